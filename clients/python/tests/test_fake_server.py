"""Client behaviour that the real server cannot easily show: bearer tokens,
retries of UNAVAILABLE, deadlines and rich error details, against an
in-process fake AccordService."""

import asyncio
import threading
import time
from concurrent import futures

import grpc
import pytest

from accord_client import (AccordClient, AsyncAccordClient, DeadlineExceededError,
                           InvalidArgumentError, Retry, UnavailableError)
from accord_client import errors
from accord_client.raw import (accord_service_pb2, accord_service_pb2_grpc,
                               country_pb2, health_pb2, health_pb2_grpc)


class FakeService(accord_service_pb2_grpc.AccordServiceServicer):
    def __init__(self):
        self.lock = threading.Lock()
        self.calls = []          # (method, request, metadata dict)
        self.fail_next = 0       # answer UNAVAILABLE this many times
        self.sleep = 0.0

    def _record(self, method, request, context):
        with self.lock:
            self.calls.append((method, request, dict(context.invocation_metadata())))
            failing = self.fail_next > 0
            if failing:
                self.fail_next -= 1
        if failing:
            context.abort(grpc.StatusCode.UNAVAILABLE, "restarting")
        if self.sleep:
            time.sleep(self.sleep)

    def GetCountry(self, request, context):
        self._record("GetCountry", request, context)
        return country_pb2.Country(name=request.name, display_name="Malaysia")

    def GetAgreement(self, request, context):
        self._record("GetAgreement", request, context)
        st = errors.make_status(grpc.StatusCode.INVALID_ARGUMENT, "bad name",
                                reason="INVALID_NAME", metadata={"name": request.name},
                                field_violations=[("name", "must look like agreements/{id}")])
        context.abort_with_status(_RichStatus(st))

    def ListCountries(self, request, context):
        self._record("ListCountries", request, context)
        all_ = [f"countries/c{i}" for i in range(5)]
        start = int(request.page_token or 0)
        size = request.page_size or 50
        page = all_[start:start + size]
        nxt = start + size
        return accord_service_pb2.ListCountriesResponse(
            countries=[country_pb2.Country(name=n) for n in page],
            next_page_token=str(nxt) if nxt < len(all_) else "", total_size=len(all_))


class _RichStatus(grpc.Status):
    def __init__(self, st):
        self.code = grpc.StatusCode.INVALID_ARGUMENT
        self.details = st.message
        self.trailing_metadata = ((errors.STATUS_DETAILS_KEY, st.SerializeToString()),)


class FakeHealth(health_pb2_grpc.HealthServicer):
    def Check(self, request, context):
        return health_pb2.HealthCheckResponse(status=health_pb2.HealthCheckResponse.SERVING)


@pytest.fixture()
def fake():
    service = FakeService()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    accord_service_pb2_grpc.add_AccordServiceServicer_to_server(service, server)
    health_pb2_grpc.add_HealthServicer_to_server(FakeHealth(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    service.address = f"127.0.0.1:{port}"
    yield service
    server.stop(None)


def test_bearer_token_and_metadata_are_sent(fake):
    with AccordClient(fake.address, token="s3cret", metadata=[("x-team", "py")]) as c:
        assert c.get_country("my").display_name == "Malaysia"
    method, request, md = fake.calls[-1]
    assert request.name == "countries/my"
    assert md["authorization"] == "Bearer s3cret"
    assert md["x-team"] == "py"
    assert "accord-python/" in md["user-agent"]


def test_token_callable_is_called_per_call(fake):
    tokens = iter(["t1", "t2"])
    with AccordClient(fake.address, token=lambda: next(tokens)) as c:
        c.get_country("my")
        c.get_country("my")
    assert [m["authorization"] for _, _, m in fake.calls] == ["Bearer t1", "Bearer t2"]


def test_no_token_no_authorization_header(fake):
    with AccordClient(fake.address) as c:
        c.get_country("my")
    assert "authorization" not in fake.calls[-1][2]


def test_unavailable_is_retried(fake):
    fake.fail_next = 2
    with AccordClient(fake.address) as c:
        assert c.get_country("my").name == "countries/my"
    assert len(fake.calls) == 3


def test_retries_give_up_at_the_retry_deadline(fake):
    fake.fail_next = 10_000
    policy = Retry(initial=0.02, maximum=0.1, deadline=0.6)
    with AccordClient(fake.address, retry=policy) as c:
        t0 = time.monotonic()
        with pytest.raises(UnavailableError):
            c.get_country("my")
        elapsed = time.monotonic() - t0
    # Backoff 20, 40, 80, 100, 100 ... ms (less up to 20% jitter) within 0.6 s.
    assert 0.4 <= elapsed < 1.2
    assert 5 <= len(fake.calls) <= 14


def test_timeout_bounds_the_retries(fake):
    fake.fail_next = 10_000
    with AccordClient(fake.address, timeout=0.5) as c:  # the default retry lasts 30 s
        t0 = time.monotonic()
        with pytest.raises(UnavailableError):
            c.get_country("my")
        assert time.monotonic() - t0 < 1.0


def test_per_call_retry_none_is_one_attempt(fake):
    fake.fail_next = 1
    with AccordClient(fake.address) as c:
        with pytest.raises(UnavailableError):
            c.get_country("my", retry=None)
        assert len(fake.calls) == 1
        assert c.get_country("my").name == "countries/my"


def test_retry_can_be_disabled(fake):
    fake.fail_next = 1
    with AccordClient(fake.address, retry=False) as c:
        with pytest.raises(UnavailableError):
            c.get_country("my")
    assert len(fake.calls) == 1


def test_deadline(fake):
    fake.sleep = 2.5
    with AccordClient(fake.address, timeout=0.2) as c:
        t0 = time.monotonic()
        with pytest.raises(DeadlineExceededError):
            c.get_country("my")
        assert time.monotonic() - t0 < 2.0  # the deadline, not the server, ended it
        fake.sleep = 0.3
        assert c.get_country("my", timeout=5).name == "countries/my"


def test_rich_error_details(fake):
    with AccordClient(fake.address) as c:
        with pytest.raises(InvalidArgumentError) as ei:
            c.get_agreement("oops")
    e = ei.value
    assert e.message == "bad name"
    assert (e.reason, e.domain) == ("INVALID_NAME", "accord")
    assert e.metadata == {"name": "agreements/oops"}
    assert e.field_violations == [("name", "must look like agreements/{id}")]
    assert isinstance(e.__cause__, grpc.RpcError)


def test_pager_is_lazy(fake):
    with AccordClient(fake.address) as c:
        pager = c.list_countries(page_size=2)
        assert fake.calls == []
        first = next(iter(pager))
        assert first.name == "countries/c0" and len(fake.calls) == 1
        assert pager.total_size == 5 and len(fake.calls) == 1
        assert [x.name for x in pager] == [f"countries/c{i}" for i in range(5)]
        assert [len(p.countries) for p in pager.pages] == [2, 2, 1]
        resumed = c.list_countries(page_size=2, page_token="2")
        assert [x.name for x in resumed] == ["countries/c2", "countries/c3", "countries/c4"]


def test_async_client_against_fake(fake):
    async def main():
        async with AsyncAccordClient(fake.address, token="tok") as c:
            country = await c.get_country("countries/my")
            pager = await c.list_countries(page_size=2)
            total = pager.total_size
            names = [x.name async for x in c.list_countries(page_size=3)]
            with pytest.raises(InvalidArgumentError) as ei:
                await c.get_agreement("x")
            fake.fail_next = 1
            again = await c.get_country("my")
            health = await c.health()
            return country, total, names, ei.value, again, health

    country, total, names, err, again, health = asyncio.run(main())
    assert country.display_name == "Malaysia"
    assert total == 5
    assert names == [f"countries/c{i}" for i in range(5)]
    assert err.reason == "INVALID_NAME" and err.field_violations[0][0] == "name"
    assert again.name == "countries/my"
    assert health.status == health_pb2.HealthCheckResponse.SERVING
    assert fake.calls[0][2]["authorization"] == "Bearer tok"


def test_client_rejects_bad_timeout():
    with pytest.raises(InvalidArgumentError) as ei:
        AccordClient("127.0.0.1:1", timeout=0)
    assert ei.value.field_violations[0][0] == "timeout"
    assert ei.value.domain == "accord-client"


def test_wait_for_ready_waits_for_a_server_that_comes_up_later():
    """wait_for_ready=True: the call waits for the channel instead of failing."""
    from conftest import free_port
    port = free_port()
    service = FakeService()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    accord_service_pb2_grpc.add_AccordServiceServicer_to_server(service, server)
    server.add_insecure_port(f"127.0.0.1:{port}")
    timer = threading.Timer(0.5, server.start)
    with AccordClient(f"127.0.0.1:{port}", retry=None) as c:
        timer.start()
        try:
            t0 = time.monotonic()
            got = c.get_country("my", wait_for_ready=True, timeout=10)
            assert got.name == "countries/my"
            assert time.monotonic() - t0 >= 0.4
        finally:
            timer.join()
            server.stop(None)
