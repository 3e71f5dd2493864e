"""Output formats of the CLI (no server needed)."""

import csv
import io
import json

from accord_client import formatting
from accord_client.raw import agreement_pb2, common_pb2, country_pb2


def _agreement():
    return agreement_pb2.Agreement(
        name="agreements/x", title="Agreement, on \"things\"", short_title="X",
        kind=agreement_pb2.Agreement.TRADE_AGREEMENT, parties=["countries/my", "countries/us"],
        sign_date=common_pb2.Date(year=2025, month=10, day=26,
                                  precision=common_pb2.Date.DAY),
        events=[agreement_pb2.Agreement.Event(type=agreement_pb2.Agreement.Event.SIGNED,
                                              place="Kuala Lumpur")])


def test_table_list_has_header_and_aligned_rows():
    text = formatting.render_many([_agreement(), agreement_pb2.Agreement(name="agreements/y")])
    lines = text.splitlines()
    assert lines[0].split() == ["NAME", "SHORT_TITLE", "TITLE", "KIND", "STATE", "SIGN_DATE",
                                "PARTIES"]
    assert "TRADE_AGREEMENT" in lines[1] and "2025-10-26" in lines[1]
    assert "countries/my, countries/us" in lines[1]
    assert lines[1].index("X") == lines[0].index("SHORT_TITLE")


def test_table_clips_only_when_asked():
    long = country_pb2.Country(name="countries/x", display_name="y" * 100)
    assert "y" * 100 in formatting.render_many([long])
    clipped = formatting.render_many([long], max_width=20)
    assert "y" * 100 not in clipped and "…" in clipped


def test_table_single_resource_is_field_value():
    text = formatting.render(_agreement())
    assert text.splitlines()[0].split() == ["FIELD", "VALUE"]
    assert any(l.startswith("short_title") and l.rstrip().endswith("X")
               for l in text.splitlines())
    assert "- type=SIGNED place=Kuala Lumpur" in text


def test_read_mask_picks_columns():
    text = formatting.render_many([_agreement()], read_mask=["name", "kind"])
    assert text.splitlines()[0].split() == ["NAME", "KIND"]


def test_json_keys_are_proto_names_unless_asked():
    data = json.loads(formatting.render_many([_agreement()], "json"))
    assert data[0]["short_title"] == "X" and data[0]["kind"] == "TRADE_AGREEMENT"
    assert data[0]["sign_date"] == "2025-10-26"
    one = json.loads(formatting.render(_agreement(), "json", proto_names=False))
    assert one["name"] == "agreements/x" and one["shortTitle"] == "X"
    assert one["signDate"] == "2025-10-26"


def test_csv_round_trips():
    text = formatting.render_many([_agreement()], "csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["name", "short_title", "title"]
    assert rows[1][2] == 'Agreement, on "things"'


def test_yaml_quotes_what_needs_quoting():
    text = formatting.render(_agreement(), "yaml")
    assert 'title: "Agreement, on \\"things\\""' in text
    assert "short_title: X" in text
    assert "parties:\n  - countries/my\n  - countries/us" in text
    assert "events:\n  - type: SIGNED\n    place: Kuala Lumpur" in text
    assert formatting.to_yaml({"a": "no", "b": "1.5", "c": "", "d": []}) == \
        'a: "no"\nb: "1.5"\nc: ""\nd: []\n'


def test_year_and_month_precision_dates():
    year = country_pb2.Country()  # no date field; use Date directly via cell on Agreement
    a = agreement_pb2.Agreement(sign_date=common_pb2.Date(year=2014))
    assert formatting.cell(a, "sign_date") == "2014"
    a = agreement_pb2.Agreement(sign_date=common_pb2.Date(year=2025, month=10))
    assert formatting.cell(a, "sign_date") == "2025-10"
    assert formatting.cell(agreement_pb2.Agreement(), "legally_binding") == ""
    assert formatting.cell(agreement_pb2.Agreement(legally_binding=False),
                           "legally_binding") == "false"
    del year
