"""Issue 11's server features through the Python client and the CLI, against
the real server: Search (ranked, snippets, filter, paged), Count (groups by one
or two fields) and ``as_of`` on Get/List of agreements and partnerships.
Expected values come from the bundled catalogue (the ``catalogue`` fixture) or
from the facts docs/filtering-language.md states."""

import asyncio
import collections
import datetime
import json

import grpc
import pytest

from accord_client import AsyncAccordClient, InvalidArgumentError, NotFoundError, reasons
from accord_client.raw import agreement_pb2, partnership_pb2

from conftest import ART, ART_ID
from test_cli import accord

MOU = "agreements/my-us-critical-minerals-mou-2025"
ACSA = "agreements/my-us-acsa"
CP2014 = "agreements/my-us-comprehensive-partnership-2014"
DEFENCE_JS = "agreements/my-us-defence-joint-statement-2025"


def _client_side(ei, reason, field):
    e = ei.value
    assert e.code is grpc.StatusCode.INVALID_ARGUMENT
    assert (e.reason, e.domain) == (reason, reasons.CLIENT_DOMAIN)
    assert [f for f, _ in e.field_violations] == [field]
    return e


# -- Search -------------------------------------------------------------------

def test_search_agreements_ranked_with_marked_snippets(client):
    pager = client.search("critical minerals", collections=["agreements"])
    results = list(pager)
    assert [r.name for r in results] == [MOU, ART]
    assert pager.total_size == 2
    assert {r.collection for r in results} == {"agreements"}
    assert results[0].score > results[1].score > 0
    for r in results:
        assert "<mark>critical</mark> <mark>minerals</mark>" in r.snippet


def test_search_pages_follow_tokens_in_the_same_order(client):
    every = [r.name for r in client.search("critical minerals")]
    assert len(every) > 5 and len(set(every)) == len(every)
    pager = client.search("critical minerals", page_size=2)
    pages = list(pager.pages)
    assert [len(p.results) for p in pages[:-1]] == [2] * (len(pages) - 1)
    assert [r.name for p in pages for r in p.results] == every
    assert pager.total_size == len(every)
    # Every collection is searched: sectors, areas, commitments, assessments too.
    colls = {n.split("/")[0] if "/commitments/" not in n else "commitments" for n in every}
    assert {"agreements", "commitments", "sectors", "cooperationAreas", "assessments"} <= colls


def test_search_phrase_with_filter(client):
    results = list(client.search('"open the door"', collections="agreements",
                                 filter="legally_binding = true"))
    assert [r.name for r in results] == [ART]
    assert "<mark>open the door</mark>" in results[0].snippet


def test_search_stems_words(client):
    # "renewals" finds the ACSA's renewal text after English stemming.
    assert ACSA in [r.name for r in client.search("renewals", collections="agreements")]


def test_search_client_side_validation():
    from accord_client import AccordClient
    with AccordClient("127.0.0.1:1") as c:
        with pytest.raises(InvalidArgumentError) as ei:
            c.search("x", collections=["agreementz"])
        assert "did you mean 'agreements'" in _client_side(
            ei, reasons.UNKNOWN_COLLECTION, "collections").message
        with pytest.raises(InvalidArgumentError) as ei:
            c.search("   ")
        _client_side(ei, reasons.INVALID_QUERY, "query")
        with pytest.raises(InvalidArgumentError) as ei:
            c.search("x", page_size=-1)
        _client_side(ei, reasons.INVALID_PAGE_SIZE, "page_size")
        with pytest.raises(InvalidArgumentError) as ei:
            c.search(7)  # type: ignore[arg-type]
        _client_side(ei, reasons.INVALID_TYPE, "query")


def test_search_filter_needs_one_collection_from_the_server(client):
    with pytest.raises(InvalidArgumentError) as ei:
        client.search("trade", filter="legally_binding = true").first_page()
    assert (ei.value.reason, ei.value.domain) == ("FILTER_NEEDS_ONE_COLLECTION", "accord")


# -- Count --------------------------------------------------------------------

def _year_kind(client):
    """(signing year, kind) -> agreements, from what ListAgreements serves
    (sign_date is derived from the events by the server)."""
    kinds = agreement_pb2.Agreement.Kind
    return collections.Counter((str(a.sign_date.year), kinds.Name(a.kind))
                               for a in client.list_agreements() if a.sign_date.year)


def test_count_agreements_by_year(client, catalogue):
    resp = client.count("agreements", "year")
    expected = collections.Counter(str(a.sign_date.year) for a in client.list_agreements()
                                   if a.sign_date.year)
    assert [(list(g.values), g.count) for g in resp.groups] == [
        ([y], n) for y, n in sorted(expected.items())]
    assert resp.total_size == len(catalogue.agreements)
    assert [list(g.values) for g in resp.groups] == [["2014"], ["2025"]]


def test_count_by_two_fields_and_filter(client, catalogue):
    resp = client.count("agreements", ["sign_date.year", "kind"])
    got = {tuple(g.values): g.count for g in resp.groups}
    assert got == dict(_year_kind(client))
    years = [g.values[0] for g in resp.groups]
    assert years == sorted(years)
    resp = client.count("agreements", "year,kind", filter='signed >= "2000" AND '
                        'cooperation_areas:"cooperationAreas/critical-minerals"')
    assert resp.total_size == 2
    assert sorted(tuple(g.values) for g in resp.groups) == [
        ("2025", "MEMORANDUM_OF_UNDERSTANDING"), ("2025", "TRADE_AGREEMENT")]


def test_count_commitments_by_party(client, catalogue):
    resp = client.count("commitments", "committed_by")
    expected = collections.Counter(p for c in catalogue.commitments for p in c.committed_by)
    assert {g.values[0]: g.count for g in resp.groups} == dict(expected)
    assert resp.total_size == len(catalogue.commitments)


def test_count_errors(client):
    with pytest.raises(InvalidArgumentError) as ei:
        client.count("agreements", "year,kind,state")
    _client_side(ei, reasons.OUT_OF_RANGE, "group_by")
    with pytest.raises(InvalidArgumentError) as ei:
        client.count("agreements", [])
    _client_side(ei, reasons.OUT_OF_RANGE, "group_by")
    with pytest.raises(InvalidArgumentError) as ei:
        client.count("agreemnts", "kind")
    _client_side(ei, reasons.UNKNOWN_COLLECTION, "collection")
    with pytest.raises(InvalidArgumentError) as ei:
        client.count("agreements", "no_such_field")
    assert (ei.value.reason, ei.value.domain) == ("INVALID_GROUP_BY", "accord")


def test_count_by_free_text_is_refused_with_the_reason(client):
    # Titles and summaries are text, not groups, even though the bundled
    # catalogue is small enough for the server to index them.
    for field in ("title", "summary"):
        with pytest.raises(InvalidArgumentError) as ei:
            client.count("agreements", field)
        err = ei.value
        assert (err.reason, err.domain) == ("INVALID_GROUP_BY", "accord")
        assert err.code == grpc.StatusCode.INVALID_ARGUMENT
        assert [f for f, _ in err.field_violations] == ["group_by"]
        assert f'cannot group agreements by "{field}"' in err.field_violations[0][1]
        assert "free text, not a reference" in err.field_violations[0][1]
    # A reference groups.
    resp = client.count("agreements", "partnership")
    assert sum(g.count for g in resp.groups) <= resp.total_size


# -- as_of --------------------------------------------------------------------

def test_partnership_as_of_2020_was_comprehensive(client):
    levels = partnership_pb2.Partnership.Level
    then = client.get_partnership("my-us", as_of="2020-06-01")
    assert levels.Name(then.current_level) == "COMPREHENSIVE_PARTNERSHIP"
    assert then.as_of.date == "2020-06-01" and not then.as_of.uncertain
    now = client.get_partnership("my-us")
    assert levels.Name(now.current_level) != "COMPREHENSIVE_PARTNERSHIP"
    assert not now.HasField("as_of")
    assert len(then.level_history) < len(now.level_history)
    # A datetime.date is the same question.
    assert client.get_partnership("my-us", as_of=datetime.date(2020, 6, 1)) == then
    assert [p.name for p in client.list_partnerships(as_of="2020-06-01")] == ["partnerships/my-us"]


def test_the_art_did_not_exist_on_2020_06_01(client):
    names = [a.name for a in client.list_agreements(as_of="2020-06-01")]
    assert names == [ACSA, CP2014, DEFENCE_JS]
    assert ART not in names
    with pytest.raises(NotFoundError) as ei:
        client.get_agreement(ART_ID, as_of="2020-06-01")
    assert ei.value.reason == "NOT_YET_SIGNED"
    # Through the generic get and list too.
    with pytest.raises(NotFoundError):
        client.get(ART, as_of="2020")
    assert [a.name for a in client.list("agreements", as_of="2020-06-01")] == names


def test_as_of_reports_uncertainty_instead_of_guessing(client):
    acsa = client.get_agreement("my-us-acsa", as_of="2025-10-15")
    assert acsa.as_of.uncertain
    assert "2025-10" in acsa.as_of.uncertainty
    states = agreement_pb2.Agreement.State
    assert [states.Name(s) for s in acsa.possible_states] == ["STATE_UNSPECIFIED", "IN_FORCE"]
    cp = client.get_agreement(CP2014, as_of="2020-06-01")
    assert states.Name(cp.state) == "SIGNED" and not cp.as_of.uncertain


def test_as_of_errors(client):
    with pytest.raises(InvalidArgumentError) as ei:
        client.get("countries/my", as_of="2020")
    _client_side(ei, reasons.INVALID_AS_OF, "as_of")
    with pytest.raises(InvalidArgumentError) as ei:
        client.list("sectors", as_of="2020")
    _client_side(ei, reasons.INVALID_AS_OF, "as_of")
    with pytest.raises(InvalidArgumentError) as ei:
        client.get_agreement(ART_ID, as_of=2020)  # type: ignore[arg-type]
    _client_side(ei, reasons.INVALID_TYPE, "as_of")
    with pytest.raises(InvalidArgumentError) as ei:
        client.get_agreement(ART_ID, as_of="2020-13")
    assert (ei.value.reason, ei.value.domain) == ("INVALID_AS_OF", "accord")
    with pytest.raises(InvalidArgumentError) as ei:
        client.list_agreements(as_of="2020", order_by="sign_date desc").first_page()
    assert ei.value.reason == "ORDER_BY_WITH_AS_OF"


# -- asyncio ------------------------------------------------------------------

def test_async_search_count_as_of(address):
    async def main():
        async with AsyncAccordClient(address) as c:
            found = await c.search("critical minerals", collections=["agreements"]).collect()
            counts = await c.count("agreements", "year")
            then = await c.get_partnership("my-us", as_of="2020-06-01")
            listed = await c.list_agreements(as_of="2020-06-01").collect()
            return found, counts, then, listed

    found, counts, then, listed = asyncio.run(main())
    assert [r.name for r in found] == [MOU, ART]
    assert [(list(g.values), g.count) for g in counts.groups][0] == (["2014"], 1)
    assert partnership_pb2.Partnership.Level.Name(then.current_level) == \
        "COMPREHENSIVE_PARTNERSHIP"
    assert [a.name for a in listed] == [ACSA, CP2014, DEFENCE_JS]


# -- CLI ----------------------------------------------------------------------

def test_cli_search(address):
    r = accord("search", "critical minerals", "--collection", "agreements", address=address)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["NAME", "COLLECTION", "SCORE", "SNIPPET"]
    assert [l.split()[0] for l in lines[1:]] == [MOU, ART]
    assert all("<mark>critical</mark>" in l for l in lines[1:])
    r = accord("search", "critical minerals", "--limit", "3", "-o", "json", address=address)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert len(data) == 3 and all("<mark>" in d["snippet"] for d in data)
    assert data[0]["score"] >= data[1]["score"] >= data[2]["score"]
    r = accord("search", "critical minerals", "--limit", "3", address=address)
    assert "(3 of " in r.stderr and "raise --limit" in r.stderr


def test_cli_search_errors(address):
    r = accord("search", "trade", "--collection", "agreementz", address=address)
    assert r.returncode == 2 and "did you mean 'agreements'" in r.stderr
    r = accord("search", "trade", "--filter", "legally_binding = true", address=address)
    assert r.returncode == 1 and "FILTER_NEEDS_ONE_COLLECTION" in r.stderr


def test_cli_count(address, catalogue, client):
    r = accord("count", "agreements", "--by", "year,kind", address=address)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["SIGN_DATE.YEAR", "KIND", "COUNT"]
    rows = {(l.split()[0], l.split()[1]): int(l.split()[2]) for l in lines[1:]}
    assert rows == dict(_year_kind(client))
    assert f"({len(catalogue.agreements)} agreements match" in r.stderr
    r = accord("count", "agreements", "--by", "kind", "-o", "json", address=address)
    data = json.loads(r.stdout)
    assert data["total_size"] == len(catalogue.agreements)
    kinds = collections.Counter(agreement_pb2.Agreement.Kind.Name(a.kind)
                                for a in catalogue.agreements)
    assert {g["values"][0]: g["count"] for g in data["groups"]} == dict(kinds)
    r = accord("count", "agreements", "--by", "kind", "-o", "csv", address=address)
    assert r.stdout.splitlines()[0] == "kind,count"
    r = accord("count", "agreements", "--by", "a,b,c", address=address)
    assert r.returncode == 2 and "one or two fields" in r.stderr
    r = accord("count", "agreements", "--by", "no_such_field", address=address)
    assert r.returncode == 1 and "INVALID_GROUP_BY" in r.stderr
    r = accord("count", "agreements", "--by", "title", address=address)
    assert r.returncode == 1 and r.stdout == ""
    assert "INVALID_GROUP_BY" in r.stderr
    assert 'cannot group agreements by "title": it is free text' in r.stderr


def test_cli_as_of(address):
    r = accord("list", "agreements", "--as-of", "2020-06-01", "-o", "name", address=address)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [ACSA, CP2014, DEFENCE_JS]
    r = accord("get", "partnerships/my-us", "--as-of", "2020-06-01", "--select",
               "name,current_level,as_of.date", "-o", "csv", "--no-headers", address=address)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "partnerships/my-us,COMPREHENSIVE_PARTNERSHIP,2020-06-01"
    r = accord("get", ART, "--as-of", "2020", address=address)
    assert r.returncode == 1 and "NOT_YET_SIGNED" in r.stderr
    r = accord("get", "my-us", "--as-of", "2020-06-01", "-o", "json", address=address)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["current_level"] == "COMPREHENSIVE_PARTNERSHIP"
    r = accord("list", "countries", "--as-of", "2020", address=address)
    assert r.returncode == 2 and "only partnerships and agreements" in r.stderr


# -- search switched off ------------------------------------------------------

def test_search_on_a_server_without_the_index_says_so(tmp_path):
    from accord_client import AccordClient, UnimplementedError
    from conftest import start_server, stop_server
    server = start_server(tmp_path, extra_args=["--nosearch_index"])
    try:
        with AccordClient(server.address) as c:
            with pytest.raises(UnimplementedError) as ei:
                list(c.search("critical minerals"))
            err = ei.value
            assert (err.reason, err.domain) == (reasons.SEARCH_DISABLED, "accord")
            assert err.metadata == {"flag": "--search_index"}
            assert "--nosearch_index" in err.message
            assert c.get(ART).name == ART  # the rest still answers
        r = accord("search", "critical minerals", address=server.address)
        assert r.returncode != 0 and r.stdout == ""
        assert "SEARCH_DISABLED" in r.stderr and "--nosearch_index" in r.stderr
    finally:
        stop_server(server)
