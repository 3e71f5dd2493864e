"""Every error path of the real server, as exceptions with code, reason,
metadata and field violations (docs/errors.md)."""

import grpc
import pytest

from accord_client import (AccordClient, AccordError, InvalidArgumentError, NotFoundError,
                           UnavailableError)

from conftest import ART, ART_ID, unused_address


def _check(e, cls, code, reason, fields=None):
    assert isinstance(e, cls) and isinstance(e, AccordError)
    assert e.code is code
    assert e.domain == "accord"
    assert e.reason == reason
    assert e.message
    if fields is not None:
        assert [f for f, _ in e.field_violations] == fields
        assert all(d for _, d in e.field_violations)


def test_not_found_names_the_resource(client):
    with pytest.raises(NotFoundError) as ei:
        client.get_agreement("does-not-exist")
    e = ei.value
    _check(e, NotFoundError, grpc.StatusCode.NOT_FOUND, "RESOURCE_NOT_FOUND", [])
    assert "agreements/does-not-exist" in e.message
    assert e.metadata.get("name") == "agreements/does-not-exist"


@pytest.mark.parametrize("call", [
    lambda c: c.get_country("zz"),
    lambda c: c.get_partnership("my-zz"),
    lambda c: c.get_commitment(agreement=ART_ID, commitment="nope"),
    lambda c: c.get_cooperation_area("nope"),
    lambda c: c.get_sector("nope"),
    lambda c: c.get_source("nope"),
    lambda c: c.get_assessment("nope"),
    lambda c: c.batch_get_agreements([ART_ID, "nope"]),
    lambda c: list(c.list_commitments(agreement="nope")),
])
def test_not_found_everywhere(client, call):
    with pytest.raises(NotFoundError) as ei:
        call(client)
    e = ei.value
    assert e.reason == "RESOURCE_NOT_FOUND" and e.domain == "accord"
    assert e.metadata["name"] and e.metadata["name"] in e.message


@pytest.mark.parametrize("name", ["agreements/Bad_Name", "countries/my",
                                  "agreements/x/commitments/y", "agreements/"])
def test_malformed_name(client, name):
    with pytest.raises(InvalidArgumentError) as ei:
        client.get_agreement(name)
    _check(ei.value, InvalidArgumentError, grpc.StatusCode.INVALID_ARGUMENT, "INVALID_NAME",
           ["name"])


def test_malformed_parent(client):
    with pytest.raises(InvalidArgumentError) as ei:
        list(client.list_commitments(agreement="Bad"))
    _check(ei.value, InvalidArgumentError, grpc.StatusCode.INVALID_ARGUMENT, "INVALID_NAME",
           ["parent"])


def test_negative_page_size(client):
    # The client refuses it before calling, as the server would.
    with pytest.raises(InvalidArgumentError) as ei:
        client.list_agreements(page_size=-1)
    e = ei.value
    assert (e.code, e.reason, e.domain) == (grpc.StatusCode.INVALID_ARGUMENT,
                                            "INVALID_PAGE_SIZE", "accord-client")
    assert [f for f, _ in e.field_violations] == ["page_size"]
    # The server's own answer, through the raw stub.
    from accord_client.errors import from_rpc_error
    from accord_client.raw import accord_service_pb2
    with pytest.raises(grpc.RpcError) as raw:
        client.stub.ListAgreements(accord_service_pb2.ListAgreementsRequest(page_size=-1))
    e2 = from_rpc_error(raw.value)
    _check(e2, InvalidArgumentError, grpc.StatusCode.INVALID_ARGUMENT,
           "INVALID_PAGE_SIZE", ["page_size"])
    assert e2.domain == "accord"


def test_filter_syntax_error_has_offset(client):
    with pytest.raises(InvalidArgumentError) as ei:
        list(client.list_agreements(filter="kind ="))
    e = ei.value
    _check(e, InvalidArgumentError, grpc.StatusCode.INVALID_ARGUMENT, "FILTER_SYNTAX",
           ["filter"])
    assert e.metadata["offset"] == "6"
    assert "offset 6" in e.message


@pytest.mark.parametrize("flt,reason", [
    ("nosuch = 1", "UNKNOWN_FIELD"),
    ("kind = 5", "TYPE_MISMATCH"),
    ('region = "Asia" AND', "FILTER_SYNTAX"),
])
def test_filter_semantic_errors(client, flt, reason):
    with pytest.raises(InvalidArgumentError) as ei:
        list(client.list_agreements(filter=flt) if "region" not in flt
             else client.list_countries(filter=flt))
    _check(ei.value, InvalidArgumentError, grpc.StatusCode.INVALID_ARGUMENT, reason,
           ["filter"])
    assert "offset" in ei.value.metadata


def test_bad_order_by(client):
    with pytest.raises(InvalidArgumentError) as ei:
        list(client.list_agreements(order_by="name, nosuch"))
    _check(ei.value, InvalidArgumentError, grpc.StatusCode.INVALID_ARGUMENT,
           "INVALID_ORDER_BY", ["order_by"])
    assert ei.value.metadata["offset"] == "6"


@pytest.mark.parametrize("order_by", ["name descending", "name, name", "parties", ","])
def test_malformed_order_by(client, order_by):
    with pytest.raises(InvalidArgumentError) as ei:
        list(client.list_agreements(order_by=order_by))
    _check(ei.value, InvalidArgumentError, grpc.StatusCode.INVALID_ARGUMENT,
           "INVALID_ORDER_BY", ["order_by"])
    assert "offset" in ei.value.metadata


def test_bad_read_mask(client):
    with pytest.raises(InvalidArgumentError) as ei:
        client.get_agreement(ART_ID, read_mask="name,bogus")
    e = ei.value
    _check(e, InvalidArgumentError, grpc.StatusCode.INVALID_ARGUMENT, "INVALID_READ_MASK")
    assert [f for f, _ in e.field_violations] == ["read_mask.paths[1]"]
    assert "bogus" in e.message
    with pytest.raises(InvalidArgumentError) as ei:
        list(client.list_countries(read_mask="bogus"))
    assert ei.value.reason == "INVALID_READ_MASK"


@pytest.mark.parametrize("token", ["garbage", "AAAA", "x" * 200])
def test_bad_page_token(client, token):
    with pytest.raises(InvalidArgumentError) as ei:
        list(client.list_agreements(page_token=token))
    _check(ei.value, InvalidArgumentError, grpc.StatusCode.INVALID_ARGUMENT,
           "INVALID_PAGE_TOKEN", ["page_token"])


def test_filter_too_complex(client):
    with pytest.raises(InvalidArgumentError) as ei:
        list(client.list_agreements(filter='name = "x" OR ' * 2000 + 'name = "y"'))
    _check(ei.value, InvalidArgumentError, grpc.StatusCode.INVALID_ARGUMENT,
           "FILTER_TOO_COMPLEX", ["filter"])


def test_catalog_status_name(client):
    from accord_client.errors import from_rpc_error
    from accord_client.raw import accord_service_pb2
    with pytest.raises(grpc.RpcError) as ei:
        client.stub.GetCatalogStatus(accord_service_pb2.GetCatalogStatusRequest(name="bogus"))
    e = from_rpc_error(ei.value)
    _check(e, InvalidArgumentError, grpc.StatusCode.INVALID_ARGUMENT, "INVALID_NAME", ["name"])


def test_empty_batch(client):
    with pytest.raises(InvalidArgumentError) as ei:
        client.batch_get_agreements([])
    _check(ei.value, InvalidArgumentError, grpc.StatusCode.INVALID_ARGUMENT, "EMPTY_BATCH",
           ["names"])


def test_batch_too_large(client):
    with pytest.raises(InvalidArgumentError) as ei:
        client.batch_get_countries(["my"] * 101)
    _check(ei.value, InvalidArgumentError, grpc.StatusCode.INVALID_ARGUMENT,
           "BATCH_TOO_LARGE", ["names"])


def test_batch_malformed_name_points_at_index(client):
    with pytest.raises(InvalidArgumentError) as ei:
        client.batch_get_agreements([ART_ID, "Bad_Name"])
    _check(ei.value, InvalidArgumentError, grpc.StatusCode.INVALID_ARGUMENT, "INVALID_NAME",
           ["names[1]"])


def test_batch_commitment_outside_parent(client):
    with pytest.raises(InvalidArgumentError) as ei:
        client.batch_get_commitments(["agreements/my-us-acsa/commitments/x"], agreement=ART)
    _check(ei.value, InvalidArgumentError, grpc.StatusCode.INVALID_ARGUMENT,
           "PARENT_MISMATCH", ["names[0]"])


def test_unknown_health_service(client):
    with pytest.raises(NotFoundError):
        client.health("no.such.Service")


def test_connection_refused_is_unavailable():
    with AccordClient(unused_address(), timeout=1) as c:
        with pytest.raises(UnavailableError) as ei:
            c.get_country("my")
    assert ei.value.code is grpc.StatusCode.UNAVAILABLE
    assert ei.value.reason == ""
