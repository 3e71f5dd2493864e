"""A user's script, type-checked with ``mypy --strict`` by CI and by
tests/test_typing.py, which also compares every ``reveal_type`` below with
the type it must have. Not run by pytest (it needs a server)."""

from __future__ import annotations

import asyncio
import datetime
from typing import List, Optional

from accord_client import (AccordClient, AsyncAccordClient, InvalidArgumentError, Retry,
                           enum_name, to_date, to_dict)
from accord_client.raw import agreement_pb2, commitment_pb2


def sync_part(client: AccordClient) -> None:
    art = client.get_agreement("my-us-reciprocal-trade-2025", retry=Retry(deadline=5), timeout=5)
    reveal_type(art)  # R: Agreement
    reveal_type(art.parties)  # R: RepeatedScalarFieldContainer[str]
    reveal_type(art.sign_date)  # R: Date
    reveal_type(to_date(art.sign_date))  # R: date | str | None
    reveal_type(enum_name(art, "kind"))  # R: str
    reveal_type(to_dict(art))  # R: dict[str, Any]
    pager = client.list_commitments(agreement=art.name, page_size=5)
    reveal_type(pager)  # R: ListPager[Commitment, ListCommitmentsResponse]
    reveal_type(pager.pages)  # R: Iterator[ListCommitmentsResponse]
    reveal_type(pager.first_page())  # R: ListCommitmentsResponse
    reveal_type(pager.total_size)  # R: int
    for c in pager:
        reveal_type(c)  # R: Commitment
        reveal_type(c.kind)  # R: ValueType
    reveal_type(pager.to_rows())  # R: list[dict[str, Any]]
    reveal_type(client.batch_get_agreements(["a", "b"]))  # R: list[Agreement]
    reveal_type(client.get("agreements/x"))  # R: Country | Partnership | Agreement | Commitment | CooperationArea | Sector | Source | Assessment | CatalogStatus
    reveal_type(client.list("agreements"))  # R: ListPager[Agreement, ListAgreementsResponse]
    reveal_type(client.list("sectors"))  # R: ListPager[Sector, ListSectorsResponse]
    reveal_type(client.get_catalog_status().record_counts)  # R: ScalarMap[str, int]
    found = client.search("critical minerals", collections=["agreements"], page_size=5)
    reveal_type(found)  # R: ListPager[Result, SearchResponse]
    for hit in found:
        reveal_type(hit)  # R: Result
        reveal_type(hit.snippet)  # R: str
        reveal_type(hit.score)  # R: float
    counts = client.count("agreements", "year,kind", filter="legally_binding = true")
    reveal_type(counts)  # R: CountResponse
    reveal_type(counts.groups[0].values)  # R: RepeatedScalarFieldContainer[str]
    reveal_type(counts.groups[0].count)  # R: int
    then = client.get_partnership("my-us", as_of=datetime.date(2020, 6, 1))
    reveal_type(then)  # R: Partnership
    reveal_type(then.as_of.uncertain)  # R: bool
    reveal_type(client.list_agreements(as_of="2020-06"))  # R: ListPager[Agreement, ListAgreementsResponse]
    try:
        client.list_agreements(filter="kind = FRIENDSHIP").first_page()
    except InvalidArgumentError as e:
        reveal_type(e.reason)  # R: str
        reveal_type(e.field_violations)  # R: list[tuple[str, str]]
        reveal_type(e.error_info)  # R: ErrorInfo | None
        reveal_type(e.bad_request)  # R: BadRequest | None
        reveal_type(e.status)  # R: Status | None
        reveal_type(e.metadata)  # R: dict[str, str]
    a: agreement_pb2.Agreement = art
    c2: Optional[commitment_pb2.Commitment] = next(iter(pager), None)
    d: object = to_date(a.sign_date)
    assert c2 is None or isinstance(d, (datetime.date, str, type(None)))


async def async_part() -> None:
    async with AsyncAccordClient("127.0.0.1:50051") as client:
        art = await client.get_agreement("my-us-reciprocal-trade-2025")
        reveal_type(art)  # R: Agreement
        pager = client.list_agreements(page_size=2)
        reveal_type(pager)  # R: AsyncListPager[Agreement, ListAgreementsResponse]
        reveal_type(await pager.first_page())  # R: ListAgreementsResponse
        items: List[agreement_pb2.Agreement] = await pager.collect(limit=3)
        reveal_type(await pager.collect())  # R: list[Agreement]
        reveal_type(pager.pages)  # R: AsyncIterator[ListAgreementsResponse]
        async for a in pager:
            reveal_type(a)  # R: Agreement
        hits = client.search("critical minerals")
        reveal_type(hits)  # R: AsyncListPager[Result, SearchResponse]
        reveal_type(await client.count("agreements", ["kind"]))  # R: CountResponse
        reveal_type(await client.get_agreement("my-us-acsa", as_of="2025-10"))  # R: Agreement
        del items


if __name__ == "__main__":
    with AccordClient() as cl:
        sync_part(cl)
    asyncio.run(async_part())
