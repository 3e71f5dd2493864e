"""Paging to the end: no duplicates, no gaps, same as one big page."""

import pytest

from accord_client import InvalidArgumentError

from conftest import ART


@pytest.mark.parametrize("page_size", [1, 2, 4])
@pytest.mark.parametrize("collection,kwargs", [
    ("agreements", {}),
    ("commitments", {}),
    ("commitments", {"parent": ART}),
    ("commitments", {"order_by": "kind desc"}),
    ("agreements", {"order_by": "sign_date desc"}),
    ("agreements", {"filter": 'parties:"countries/my"'}),
    ("cooperationAreas", {}),
    ("sectors", {"order_by": "display_name"}),
])
def test_small_pages_equal_one_big_page(client, collection, kwargs, page_size):
    big = client.list(collection, page_size=1000, **kwargs)
    big_pages = list(big.pages)
    assert len(big_pages) == 1 and big_pages[0].next_page_token == ""
    want = [m.name for m in big]
    assert want and len(set(want)) == len(want)

    pager = client.list(collection, page_size=page_size, **kwargs)
    pages = list(pager.pages)
    got = [m.name for p in pages for m in getattr(p, pager._field)]
    assert got == want  # same order, no duplicates, no gaps
    assert all(len(getattr(p, pager._field)) <= page_size for p in pages)
    assert len(pages) >= -(-len(want) // page_size)
    assert all(p.next_page_token for p in pages[:-1]) and pages[-1].next_page_token == ""
    assert {p.total_size for p in pages} == {len(want)}


def test_resume_from_a_page_token(client, expected_names):
    want = expected_names["commitments"]
    first = client.list_commitments(page_size=5).first_page()
    rest = client.list_commitments(page_size=5, page_token=first.next_page_token)
    assert [c.name for c in first.commitments] + [c.name for c in rest] == want


def test_page_size_may_change_between_pages(client, expected_names):
    first = client.list_agreements(page_size=2).first_page()
    rest = [a.name for a in client.list_agreements(page_size=3,
                                                   page_token=first.next_page_token)]
    assert [a.name for a in first.agreements] + rest == expected_names["agreements"]


def test_page_size_above_max_is_clamped(client, expected_names):
    assert len(list(client.list_commitments(page_size=100000))) == \
        len(expected_names["commitments"])


def test_default_page_size(client, expected_names):
    page = client.list_sectors().first_page()  # 0: the server's default of 50
    assert len(page.sectors) == min(50, len(expected_names["sectors"]))


def test_token_tied_to_the_query(client):
    first = client.list_agreements(page_size=2).first_page()
    for kwargs in ({"filter": "kind = TRADE_AGREEMENT"}, {"order_by": "title"}):
        with pytest.raises(InvalidArgumentError) as ei:
            list(client.list_agreements(page_size=2, page_token=first.next_page_token,
                                        **kwargs))
        assert ei.value.reason == "PAGE_TOKEN_MISMATCH"
        assert [f for f, _ in ei.value.field_violations] == ["page_token"]


def test_breaking_early_fetches_no_more(client):
    pager = client.list_agreements(page_size=1)
    it = iter(pager)
    first = next(it)
    assert first.name == "agreements/my-us-acsa"
    assert pager.next_page_token  # more would follow, but were not fetched
