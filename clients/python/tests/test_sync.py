"""Every RPC through the sync AccordClient, against the real server and the
bundled catalogue."""

import pytest

from accord_client import InvalidArgumentError, AccordClient, names
from accord_client.raw import agreement_pb2, commitment_pb2, health_pb2

from conftest import ART, ART_COMMITMENT, ART_ID

# One known record per collection, with a field value from data/catalogue.
KNOWN = {
    "countries": ("countries/my", "display_name", "Malaysia"),
    "partnerships": ("partnerships/my-us", "display_name", "Malaysia–United States"),
    "agreements": (ART, "short_title", "ART"),
    "commitments": (ART_COMMITMENT, "agreement", ART),
    "cooperationAreas": ("cooperationAreas/trade", "name", "cooperationAreas/trade"),
    "sectors": ("sectors/semiconductors", "name", "sectors/semiconductors"),
    "sources": ("sources/ustr-art-fact-sheet", "publisher",
                "Office of the United States Trade Representative"),
    "assessments": ("assessments/economic-ties-cornerstone", "name",
                    "assessments/economic-ties-cornerstone"),
}


def test_known_records_are_in_the_catalogue(expected_names):
    for coll, (name, _, _) in KNOWN.items():
        assert name in expected_names[coll], name


def test_get_agreement_by_id_and_by_name(client):
    by_id = client.get_agreement(ART_ID)
    by_name = client.get_agreement(ART)
    assert by_id == by_name
    assert isinstance(by_id, agreement_pb2.Agreement)
    assert by_id.name == ART
    assert by_id.short_title == "ART"
    assert by_id.title == "Agreement on Reciprocal Trade"
    assert by_id.kind == agreement_pb2.Agreement.TRADE_AGREEMENT
    assert list(by_id.parties) == ["countries/my", "countries/us"]
    assert by_id.partnership == "partnerships/my-us"
    # Output-only fields computed by the server.
    assert (by_id.sign_date.year, by_id.sign_date.month, by_id.sign_date.day) == (2025, 10, 26)
    assert by_id.state != agreement_pb2.Agreement.STATE_UNSPECIFIED


@pytest.mark.parametrize("coll", list(KNOWN))
def test_get_each_collection(client, coll):
    name, field, value = KNOWN[coll]
    c = names.COLLECTIONS[coll]
    if coll == "commitments":
        msg = client.get_commitment(name)
    else:
        getter = getattr(client, f"get_{c.singular}")
        msg = getter(name)
        assert getter(name.split("/", 1)[1]) == msg  # bare id
    assert msg.name == name
    assert getattr(msg, field) == value
    assert client.get(name) == msg  # generic dispatch


def test_get_matches_catalogue_titles(client, catalogue):
    for a in catalogue.agreements:
        got = client.get_agreement(a.name)
        assert (got.title, got.short_title, list(got.parties)) == \
            (a.title, a.short_title, list(a.parties))
    for c in catalogue.countries:
        got = client.get_country(c.name)
        assert (got.display_name, got.iso_code, got.region) == \
            (c.display_name, c.iso_code, c.region)


def test_get_commitment_forms(client):
    agreement_id = ART_ID
    commitment_id = ART_COMMITMENT.rsplit("/", 1)[1]
    full = client.get_commitment(ART_COMMITMENT)
    assert isinstance(full, commitment_pb2.Commitment)
    assert full.agreement == ART
    assert client.get_commitment(agreement=agreement_id, commitment=commitment_id) == full
    assert client.get_commitment(agreement=ART, commitment=commitment_id) == full
    assert client.get_commitment(commitment_id, agreement=agreement_id) == full
    with pytest.raises(InvalidArgumentError) as ei:
        client.get_commitment(commitment_id)
    assert (ei.value.reason, ei.value.domain) == ("INVALID_NAME", "accord-client")


def test_read_mask_on_get(client):
    a = client.get_agreement(ART_ID, read_mask="name,short_title")
    assert (a.name, a.short_title) == (ART, "ART")
    assert a.title == "" and len(a.parties) == 0 and not a.HasField("sign_date")
    b = client.get_agreement(ART_ID, read_mask=["name", "parties"])
    assert list(b.parties) == ["countries/my", "countries/us"] and b.short_title == ""
    assert client.get_agreement(ART_ID, read_mask="*") == client.get_agreement(ART_ID)


@pytest.mark.parametrize("coll", list(KNOWN))
def test_batch_get_each_collection(client, expected_names, coll):
    c = names.COLLECTIONS[coll]
    want = expected_names[coll][:3]
    want = list(reversed(want)) + [want[-1]]  # order asked, duplicates kept
    got = getattr(client, f"batch_get_{c.field}")(want)
    assert [m.name for m in got] == want


def test_batch_get_by_ids_and_commitments_under_parent(client):
    got = client.batch_get_agreements([ART_ID, "my-us-acsa"], read_mask="name")
    assert [a.name for a in got] == [ART, "agreements/my-us-acsa"]
    cid = ART_COMMITMENT.rsplit("/", 1)[1]
    got = client.batch_get_commitments([cid], agreement=ART_ID)
    assert [c.name for c in got] == [ART_COMMITMENT]


@pytest.mark.parametrize("coll", list(KNOWN))
def test_list_each_collection_matches_catalogue(client, expected_names, coll):
    c = names.COLLECTIONS[coll]
    pager = getattr(client, f"list_{c.field}")()
    got = [m.name for m in pager]
    assert got == expected_names[coll]  # default order: name
    assert pager.total_size == len(expected_names[coll])
    assert [m.name for m in client.list(coll)] == got


def test_list_filter_order_by_and_read_mask(client, catalogue):
    trade = list(client.list_agreements(filter="kind = TRADE_AGREEMENT"))
    assert [a.name for a in trade] == [ART]
    mine = client.list_agreements(filter='parties:"countries/my"')
    assert sorted(a.name for a in mine) == sorted(a.name for a in catalogue.agreements
                                                   if "countries/my" in a.parties)
    desc = [a.name for a in client.list_agreements(order_by="name desc")]
    assert desc == sorted((a.name for a in catalogue.agreements), reverse=True)
    asia = [c.name for c in client.list_countries(filter='region = "Asia"',
                                                 order_by="display_name desc")]
    assert asia == ["countries/my", "countries/cn"]
    masked = list(client.list_agreements(read_mask=["name", "title"]))
    assert all(a.name and a.title and not a.short_title and not a.parties for a in masked)


def test_list_commitments_by_agreement(client, catalogue):
    want = sorted(c.name for c in catalogue.commitments if c.name.startswith(ART + "/"))
    assert want
    for parent in (ART_ID, ART):
        pager = client.list_commitments(agreement=parent)
        assert [c.name for c in pager] == want
        assert pager.total_size == len(want)
    every = [c.name for c in client.list_commitments(agreement="-")]
    assert every == sorted(c.name for c in catalogue.commitments)
    assert [c.name for c in client.list("commitments", parent=ART_ID)] == want


def test_catalog_status(client, expected_names):
    st = client.get_catalog_status()
    assert st.name == "catalogStatus"
    assert st.version
    assert st.load_time.seconds > 0
    assert st.last_error == ""
    assert dict(st.record_counts) == {k: len(v) for k, v in expected_names.items()}
    assert client.get("catalogStatus") == st


def test_health(client):
    assert client.health().status == health_pb2.HealthCheckResponse.SERVING
    assert client.health("accord.v1.AccordService").status == \
        health_pb2.HealthCheckResponse.SERVING
    assert client.is_serving()


def test_default_address_from_env(monkeypatch, address):
    monkeypatch.setenv("ACCORD_ADDRESS", address)
    with AccordClient() as c:
        assert c.address == address
        assert c.get_country("my").iso_code == "MY"


def test_token_is_accepted_by_the_server(address):
    with AccordClient(address, token="anything") as c:
        assert c.get_country("us").iso_alpha3_code == "USA"


def test_raw_stub_on_the_client(client):
    from accord_client.raw import accord_service_pb2
    resp = client.stub.ListCountries(accord_service_pb2.ListCountriesRequest(page_size=1))
    assert len(resp.countries) == 1 and resp.next_page_token
