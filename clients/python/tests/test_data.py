"""Why 8 and "Data out": messages as Python data, dates with their precision,
enums by name, rows and DataFrames."""

import datetime
import json
import os

import pytest

from accord_client import enum_name, to_date, to_dict, to_json, to_row
from accord_client.raw import agreement_pb2, catalog_pb2, commitment_pb2, common_pb2

from conftest import ART, ART_ID


def _date(y, m=0, d=0, p=0):
    return common_pb2.Date(year=y, month=m, day=d, precision=p)


def test_to_date_keeps_precision():
    assert to_date(_date(2025, 10, 26, common_pb2.Date.DAY)) == datetime.date(2025, 10, 26)
    assert to_date(_date(2025, 10, 0, common_pb2.Date.MONTH)) == "2025-10"
    assert to_date(_date(2014, 0, 0, common_pb2.Date.YEAR)) == "2014"
    # A precision coarser than the parts set wins: no invented day.
    assert to_date(_date(2025, 10, 26, common_pb2.Date.MONTH)) == "2025-10"
    assert to_date(common_pb2.Date()) is None


def test_enum_name():
    c = commitment_pb2.Commitment(kind=commitment_pb2.Commitment.MARKET_ACCESS)
    assert enum_name(c, "kind") == "MARKET_ACCESS"
    with pytest.raises(TypeError):
        enum_name(c, "title")


def test_to_dict_names_numbers_and_defaults():
    st = catalog_pb2.CatalogStatus(name="catalogStatus", load_duration_ms=15,
                                   record_counts={"b": 2, "a": 0})
    d = to_dict(st)
    assert d == {"name": "catalogStatus", "load_duration_ms": 15,
                 "record_counts": {"a": 0, "b": 2}}
    assert list(d["record_counts"]) == ["a", "b"]
    full = to_dict(st, emit_defaults=True)
    assert full["reload_count"] == 0 and full["last_error"] == "" and full["load_time"] is None
    camel = to_dict(st, proto_names=False)
    assert camel["loadDurationMs"] == 15 and "load_duration_ms" not in camel
    assert json.loads(to_json(st)) == d


def test_quickstart_values_print_readably(client):
    """Why 8: what the quickstart prints is one line, names not numbers."""
    art = client.get_agreement(ART_ID)
    assert str(to_date(art.sign_date)) == "2025-10-26"
    assert "\n" not in str(to_date(art.sign_date))
    kinds = {enum_name(c, "kind") for c in client.list_commitments(agreement=ART_ID)}
    assert kinds and all(k.isupper() and not k.isdigit() for k in kinds)
    assert "MARKET_ACCESS" in kinds or "TARIFF" in kinds


def test_to_rows(client, catalogue):
    rows = client.list_agreements().to_rows(["name", "sign_date", "kind", "parties"])
    art = next(r for r in rows if r["name"] == ART)
    assert art == {"name": ART, "sign_date": datetime.date(2025, 10, 26),
                   "kind": "TRADE_AGREEMENT", "parties": ["countries/my", "countries/us"]}
    assert len(rows) == len(catalogue.agreements)
    by_name = {a.name: a for a in catalogue.agreements}
    for r in rows:  # coarse dates stay text
        p = by_name[r["name"]].sign_date.precision
        if p in (common_pb2.Date.YEAR, common_pb2.Date.MONTH):
            assert isinstance(r["sign_date"], str)
    full = to_row(agreement_pb2.Agreement(name="agreements/x"))
    assert full["sign_date"] is None and full["parties"] == []
    assert full["kind"].endswith("UNSPECIFIED")


def test_to_dataframe(client):
    if os.environ.get("ACCORD_PY_ENV") == "oldest":
        pytest.skip("pandas is tested in the newest environment")
    pd = pytest.importorskip("pandas")
    df = client.list_agreements().to_dataframe(["name", "kind", "sign_date"])
    assert list(df.columns) == ["name", "kind", "sign_date"]
    row = df.set_index("name").loc[ART]
    assert row["kind"] == "TRADE_AGREEMENT" and row["sign_date"] == datetime.date(2025, 10, 26)
    assert isinstance(df, pd.DataFrame) and len(df) >= 6
