"""The asyncio client against the real server: same surface, same answers."""

import asyncio

import grpc
import pytest

from accord_client import (AsyncAccordClient, InvalidArgumentError,
                           NotFoundError, UnavailableError, names)
from accord_client.raw import health_pb2

from conftest import ART, ART_COMMITMENT, ART_ID, unused_address


def run(coro):
    return asyncio.run(coro)


def test_gets_match_sync(address, client):
    async def main():
        async with AsyncAccordClient(address) as c:
            return (await c.get_agreement(ART_ID), await c.get_agreement(ART),
                    await c.get_commitment(agreement=ART_ID,
                                           commitment=ART_COMMITMENT.rsplit("/", 1)[1]),
                    await c.get_country("my"), await c.get_partnership("my-us"),
                    await c.get_cooperation_area("trade"), await c.get_sector("semiconductors"),
                    await c.get_source("ustr-art-fact-sheet"),
                    await c.get_assessment("economic-ties-cornerstone"),
                    await c.get("countries/us"))

    (a1, a2, com, country, partnership, area, sector, source, assessment,
     us) = run(main())
    assert a1 == a2 == client.get_agreement(ART)
    assert a1.short_title == "ART" and list(a1.parties) == ["countries/my", "countries/us"]
    assert com == client.get_commitment(ART_COMMITMENT)
    assert country.display_name == "Malaysia"
    assert partnership == client.get_partnership("my-us")
    assert area == client.get_cooperation_area("trade")
    assert sector == client.get_sector("semiconductors")
    assert source.publisher == "Office of the United States Trade Representative"
    assert assessment == client.get_assessment("economic-ties-cornerstone")
    assert us.iso_code == "US"


@pytest.mark.parametrize("coll", list(names.COLLECTIONS))
def test_lists_and_batch_gets(address, expected_names, coll):
    c = names.COLLECTIONS[coll]

    async def main():
        async with AsyncAccordClient(address) as client:
            listed = [m.name async for m in getattr(client, f"list_{c.field}")(page_size=2)]
            pager = await client.list(coll, page_size=3)
            total = pager.total_size
            pages = [p async for p in pager.pages]
            batch = await getattr(client, f"batch_get_{c.field}")(expected_names[coll][:2])
            return listed, total, pages, [m.name for m in batch]

    listed, total, pages, batch = run(main())
    assert listed == expected_names[coll]
    assert total == len(expected_names[coll])
    assert [m.name for p in pages for m in getattr(p, c.field)] == expected_names[coll]
    assert batch == expected_names[coll][:2]


def test_commitments_filter_and_collect(address, catalogue):
    want = sorted(c.name for c in catalogue.commitments if c.name.startswith(ART + "/"))

    async def main():
        async with AsyncAccordClient(address) as c:
            everything = await c.list_commitments(agreement=ART_ID, page_size=4).collect()
            two = await c.list_commitments(agreement=ART).collect(limit=2)
            trade = await c.list_agreements(filter="kind = TRADE_AGREEMENT").collect()
            return everything, two, trade

    everything, two, trade = run(main())
    assert [c.name for c in everything] == want
    assert [c.name for c in two] == want[:2]
    assert [a.name for a in trade] == [ART]


def test_status_and_health(address, expected_names):
    async def main():
        async with AsyncAccordClient(address) as c:
            await c.wait_until_serving(timeout=10)
            return await c.get_catalog_status(), await c.health(), await c.is_serving()

    status, health, serving = run(main())
    assert dict(status.record_counts)["agreements"] == len(expected_names["agreements"])
    assert health.status == health_pb2.HealthCheckResponse.SERVING
    assert serving


def test_errors(address):
    async def main():
        out = []
        async with AsyncAccordClient(address) as c:
            for call in (lambda: c.get_agreement("nope"),
                         lambda: c.list_agreements(filter="kind =").collect(),
                         lambda: c.batch_get_sectors([]),
                         lambda: c.list_agreements(page_size=-1).first_page()):
                try:
                    await call()
                except Exception as e:  # noqa: BLE001
                    out.append(e)
        return out

    nf, flt, empty, size = run(main())
    assert isinstance(nf, NotFoundError) and "agreements/nope" in nf.message
    assert isinstance(flt, InvalidArgumentError) and flt.reason == "FILTER_SYNTAX"
    assert flt.field_violations[0][0] == "filter" and flt.metadata["offset"] == "6"
    assert isinstance(empty, InvalidArgumentError) and empty.reason == "EMPTY_BATCH"
    assert isinstance(size, InvalidArgumentError) and size.reason == "INVALID_PAGE_SIZE"


def test_connection_refused():
    async def main():
        async with AsyncAccordClient(unused_address(), timeout=1) as c:
            await c.get_country("my")

    with pytest.raises(UnavailableError) as ei:
        run(main())
    assert ei.value.code is grpc.StatusCode.UNAVAILABLE


def test_total_size_needs_await(address):
    async def main():
        async with AsyncAccordClient(address) as c:
            pager = c.list_countries()
            with pytest.raises(RuntimeError):
                pager.total_size
            await pager
            return pager.total_size

    assert run(main()) == 3
