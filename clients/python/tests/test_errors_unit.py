"""Decoding google.rpc.Status from trailing metadata (no server needed)."""

import pickle

import grpc
import pytest

import accord_client
from accord_client import errors
from accord_client.raw import status_pb2


class FakeRpcError(grpc.RpcError):
    def __init__(self, code, details, trailing=()):
        self._code, self._details, self._trailing = code, details, trailing

    def code(self):
        return self._code

    def details(self):
        return self._details

    def trailing_metadata(self):
        return self._trailing


def _trailer(status):
    return ((errors.STATUS_DETAILS_KEY, status.SerializeToString()),)


def test_decodes_error_info_and_bad_request():
    st = errors.make_status(grpc.StatusCode.INVALID_ARGUMENT, "bad filter at offset 3",
                            reason="FILTER_SYNTAX", metadata={"offset": "3"},
                            field_violations=[("filter", "unexpected token")])
    e = errors.from_rpc_error(FakeRpcError(grpc.StatusCode.INVALID_ARGUMENT, "ignored",
                                           _trailer(st)))
    assert isinstance(e, errors.InvalidArgumentError)
    assert isinstance(e, accord_client.AccordError)
    assert e.code is grpc.StatusCode.INVALID_ARGUMENT
    assert e.message == "bad filter at offset 3"
    assert (e.reason, e.domain, e.metadata) == ("FILTER_SYNTAX", "accord", {"offset": "3"})
    assert e.field_violations == [("filter", "unexpected token")]
    assert e.error_info.reason == "FILTER_SYNTAX"
    assert len(e.bad_request.field_violations) == 1
    assert str(e) == ("INVALID_ARGUMENT: bad filter at offset 3 "
                      "(filter: unexpected token) [FILTER_SYNTAX]")
    assert e.status.code == grpc.StatusCode.INVALID_ARGUMENT.value[0]


def test_no_details_falls_back_to_grpc_message():
    e = errors.from_rpc_error(FakeRpcError(grpc.StatusCode.UNAVAILABLE, "connection refused"))
    assert isinstance(e, errors.UnavailableError)
    assert e.message == "connection refused"
    assert (e.reason, e.domain, e.metadata, e.field_violations) == ("", "", {}, [])
    assert e.status is None
    assert str(e) == "UNAVAILABLE: connection refused"


def test_garbage_trailer_is_ignored():
    e = errors.from_rpc_error(FakeRpcError(grpc.StatusCode.NOT_FOUND, "gone",
                                           ((errors.STATUS_DETAILS_KEY, b"\xff\xff\xff"),)))
    assert isinstance(e, errors.NotFoundError)
    assert e.message == "gone" and e.reason == ""


def test_unknown_detail_types_are_kept_as_any():
    from google.protobuf import any_pb2, duration_pb2
    st = status_pb2.Status(code=5, message="m")
    a = any_pb2.Any()
    a.Pack(duration_pb2.Duration(seconds=1))
    st.details.append(a)
    e = errors.from_rpc_error(FakeRpcError(grpc.StatusCode.NOT_FOUND, "m", _trailer(st)))
    assert len(e.details) == 1 and isinstance(e.details[0], any_pb2.Any)


@pytest.mark.parametrize("code,cls", [
    (grpc.StatusCode.NOT_FOUND, errors.NotFoundError),
    (grpc.StatusCode.INVALID_ARGUMENT, errors.InvalidArgumentError),
    (grpc.StatusCode.FAILED_PRECONDITION, errors.FailedPreconditionError),
    (grpc.StatusCode.UNAUTHENTICATED, errors.UnauthenticatedError),
    (grpc.StatusCode.PERMISSION_DENIED, errors.PermissionDeniedError),
    (grpc.StatusCode.UNAVAILABLE, errors.UnavailableError),
    (grpc.StatusCode.DEADLINE_EXCEEDED, errors.DeadlineExceededError),
    (grpc.StatusCode.RESOURCE_EXHAUSTED, errors.ResourceExhaustedError),
    (grpc.StatusCode.INTERNAL, errors.InternalError),
    (grpc.StatusCode.UNIMPLEMENTED, errors.UnimplementedError),
    (grpc.StatusCode.CANCELLED, errors.CancelledError),
    (grpc.StatusCode.UNKNOWN, errors.UnknownError),
])
def test_code_to_class(code, cls):
    e = errors.from_rpc_error(FakeRpcError(code, "x"))
    assert type(e) is cls and e.code is code and cls.grpc_code is code


def test_every_non_ok_code_has_a_subclass():
    for code in grpc.StatusCode:
        if code is not grpc.StatusCode.OK:
            assert errors.error_class(code) is not errors.AccordError, code


def test_pickle_round_trip():
    st = errors.make_status(grpc.StatusCode.NOT_FOUND, "agreements/x not found",
                            reason="RESOURCE_NOT_FOUND")
    e = errors.from_rpc_error(FakeRpcError(grpc.StatusCode.NOT_FOUND, "", _trailer(st)))
    e2 = pickle.loads(pickle.dumps(e))
    assert type(e2) is errors.NotFoundError
    assert (e2.code, e2.message, e2.reason) == (e.code, e.message, e.reason)
