"""The generated stubs used directly, with the error trailer decoded by
hand, as a user of the raw API would."""

import grpc
import pytest

from accord_client import errors
from accord_client.raw import (accord_service_pb2, accord_service_pb2_grpc,
                               error_details_pb2, health_pb2, health_pb2_grpc, status_pb2)

from conftest import ART


@pytest.fixture()
def stub(address):
    with grpc.insecure_channel(address) as channel:
        yield accord_service_pb2_grpc.AccordServiceStub(channel), channel


def test_every_rpc_via_raw_stubs(stub, expected_names):
    s, _ = stub
    a = s.GetAgreement(accord_service_pb2.GetAgreementRequest(name=ART), timeout=10)
    assert a.short_title == "ART"
    for coll in ("Countries", "Partnerships", "Agreements", "Commitments", "CooperationAreas",
                 "Sectors", "Sources", "Assessments"):
        resp = getattr(s, f"List{coll}")(
            getattr(accord_service_pb2, f"List{coll}Request")(page_size=1000), timeout=10)
        field = resp.DESCRIPTOR.fields[0].name
        items = getattr(resp, field)
        assert resp.total_size == len(items) > 0
        name = items[0].name
        get_req = getattr(accord_service_pb2, f"Get{type(items[0]).__name__}Request")(name=name)
        assert getattr(s, f"Get{type(items[0]).__name__}")(get_req, timeout=10) == items[0]
        batch_req = getattr(accord_service_pb2, f"BatchGet{coll}Request")(names=[name])
        batch = getattr(s, f"BatchGet{coll}")(batch_req, timeout=10)
        assert list(getattr(batch, field)) == [items[0]]
    st = s.GetCatalogStatus(accord_service_pb2.GetCatalogStatusRequest(), timeout=10)
    assert st.record_counts["agreements"] == len(expected_names["agreements"])


def test_error_trailer_by_hand(stub):
    s, _ = stub
    with pytest.raises(grpc.RpcError) as ei:
        s.ListAgreements(accord_service_pb2.ListAgreementsRequest(order_by="nosuch"), timeout=10)
    err = ei.value
    assert err.code() is grpc.StatusCode.INVALID_ARGUMENT
    raw = dict(err.trailing_metadata())[errors.STATUS_DETAILS_KEY]
    st = status_pb2.Status.FromString(raw)
    assert st.code == grpc.StatusCode.INVALID_ARGUMENT.value[0]
    assert st.message == err.details()
    kinds = {}
    for d in st.details:
        for cls in (error_details_pb2.ErrorInfo, error_details_pb2.BadRequest):
            if d.Is(cls.DESCRIPTOR):
                m = cls()
                d.Unpack(m)
                kinds[cls.__name__] = m
    assert kinds["ErrorInfo"].reason == "INVALID_ORDER_BY"
    assert kinds["ErrorInfo"].domain == "accord"
    assert kinds["BadRequest"].field_violations[0].field == "order_by"
    # Exactly one ErrorInfo per error (docs/errors.md).
    assert sum(d.Is(error_details_pb2.ErrorInfo.DESCRIPTOR) for d in st.details) == 1


def test_raw_health(stub):
    _, channel = stub
    h = health_pb2_grpc.HealthStub(channel)
    resp = h.Check(health_pb2.HealthCheckRequest(), timeout=10)
    assert resp.status == health_pb2.HealthCheckResponse.SERVING
