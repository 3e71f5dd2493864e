"""Exceptions raised by the Accord client.

Every failed RPC raises a subclass of :class:`AccordError` chosen by its gRPC
status code (``NOT_FOUND`` -> :class:`NotFoundError`, ...). The server's
``google.rpc.Status`` (sent in the ``grpc-status-details-bin`` trailer) is
decoded, so the machine-readable parts of the error are at hand::

    try:
        client.list_agreements(filter="kind = ")
    except InvalidArgumentError as e:
        e.reason             # "FILTER_SYNTAX"           (google.rpc.ErrorInfo)
        e.domain             # "accord"
        e.metadata           # {"offset": "7"}
        e.field_violations   # [("filter", "...")]      (google.rpc.BadRequest)

The reasons are constants in :mod:`accord_client.reasons`. Mistakes the
client can see before calling (an unknown collection, a malformed name, a
negative page size) raise :class:`InvalidArgumentError` too, with domain
``"accord-client"`` and a field violation naming the argument at fault.

The details are decoded with ``grpcio-status`` (``rpc_status.from_call``).
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Type, TypeVar, cast

import grpc
from google.protobuf import any_pb2
from google.protobuf.message import DecodeError, Message

from grpc_status import rpc_status

from accord_client import reasons as _reasons
from accord_client.raw import error_details_pb2, status_pb2

__all__ = [
    "AbortedError",
    "AccordError",
    "AlreadyExistsError",
    "CancelledError",
    "DataLossError",
    "DeadlineExceededError",
    "FailedPreconditionError",
    "FieldViolation",
    "InternalError",
    "InvalidArgumentError",
    "NotFoundError",
    "OutOfRangeError",
    "PermissionDeniedError",
    "ResourceExhaustedError",
    "UnauthenticatedError",
    "UnavailableError",
    "UnimplementedError",
    "UnknownError",
    "WatchExpiredError",
    "STATUS_DETAILS_KEY",
    "from_rpc_error",
    "parse_status_details",
]

#: The trailing-metadata key that carries a serialized ``google.rpc.Status``.
STATUS_DETAILS_KEY = "grpc-status-details-bin"

_D = TypeVar("_D", bound=Message)
_E = TypeVar("_E", bound="AccordError")

#: One ``google.rpc.BadRequest.FieldViolation`` as ``(field, description)``.
FieldViolation = Tuple[str, str]

_DETAIL_TYPES: Dict[str, Type[Message]] = {
    error_details_pb2.ErrorInfo.DESCRIPTOR.full_name: error_details_pb2.ErrorInfo,
    error_details_pb2.BadRequest.DESCRIPTOR.full_name: error_details_pb2.BadRequest,
}


class AccordError(Exception):
    """A failed Accord RPC.

    Attributes:
        code: The gRPC status code, a :class:`grpc.StatusCode`.
        message: The server's developer-facing message (English).
        details: The decoded ``google.rpc.Status.details``: ``ErrorInfo`` and
            ``BadRequest`` messages, and ``google.protobuf.Any`` for detail
            types this client does not know.
        status: The whole ``google.rpc.Status``, or None if the server sent
            none (e.g. a transport failure raised by the client library).
        reason: ``ErrorInfo.reason``, e.g. ``"FILTER_SYNTAX"`` (constants in
            :mod:`accord_client.reasons`), or ``""``.
        domain: ``ErrorInfo.domain`` (``"accord"`` for server errors), or ``""``.
        metadata: ``ErrorInfo.metadata`` as a dict (empty if none).
        field_violations: ``BadRequest.field_violations`` as a list of
            ``(field, description)`` pairs (empty if none).
    """

    #: The status code this class stands for (None on the base class).
    grpc_code: Optional[grpc.StatusCode] = None

    def __init__(
        self,
        code: grpc.StatusCode,
        message: str,
        details: Sequence[Message] = (),
        *,
        status: Optional[status_pb2.Status] = None,
    ) -> None:
        """Builds an error from its code, message and decoded details."""
        self.code: grpc.StatusCode = code
        self.message: str = message
        self.details: List[Message] = list(details)
        self.status: Optional[status_pb2.Status] = status
        info = self._first(error_details_pb2.ErrorInfo)
        self.reason: str = info.reason if info is not None else ""
        self.domain: str = info.domain if info is not None else ""
        self.metadata: Dict[str, str] = dict(info.metadata) if info is not None else {}
        self.field_violations: List[FieldViolation] = [
            (v.field, v.description)
            for d in self.details
            if isinstance(d, error_details_pb2.BadRequest)
            for v in d.field_violations
        ]
        super().__init__(self.summary())

    def _first(self, cls: Type[_D]) -> Optional[_D]:
        for d in self.details:
            if isinstance(d, cls):
                return d
        return None

    @classmethod
    def client_side(cls: Type[_E], field: str, description: str, reason: str) -> _E:
        """An error found by this client before any RPC: ``ErrorInfo`` with
        domain ``"accord-client"`` and one ``BadRequest`` field violation."""
        code = cls.grpc_code or grpc.StatusCode.INVALID_ARGUMENT
        st = make_status(code, description, reason=reason, domain=_reasons.CLIENT_DOMAIN,
                         field_violations=[(field, description)])
        return cls(code, description, _unpack(st), status=st)

    @property
    def code_name(self) -> str:
        """The status code's name, e.g. ``"NOT_FOUND"``."""
        return self.code.name

    @property
    def error_info(self) -> Optional[error_details_pb2.ErrorInfo]:
        """The ``google.rpc.ErrorInfo`` detail, or None."""
        return self._first(error_details_pb2.ErrorInfo)

    @property
    def bad_request(self) -> Optional[error_details_pb2.BadRequest]:
        """The ``google.rpc.BadRequest`` detail, or None."""
        return self._first(error_details_pb2.BadRequest)

    def summary(self) -> str:
        """One readable line: ``CODE: message (field: why; ...) [REASON]``.

        A violation whose description the message already contains is shown
        as ``(field: NAME)`` only.
        """
        text = f"{self.code.name}: {self.message}" if self.message else self.code.name
        parts = []
        for f, d in self.field_violations:
            if not d or d in self.message:  # the server often repeats the message
                parts.append(f"field: {f}" if f else "")
            else:
                parts.append(f"{f}: {d}" if f else d)
        parts = [p for p in parts if p]
        if parts:
            text += " (" + "; ".join(parts) + ")"
        if self.reason:
            text += f" [{self.reason}]"
        return text

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(code={self.code.name}, message={self.message!r}, "
                f"reason={self.reason!r}, field_violations={self.field_violations!r})")

    def __reduce__(self) -> Any:
        return (_rebuild, (type(self), self.code.name, self.message,
                           self.status.SerializeToString() if self.status is not None else b""))


def _rebuild(cls: Type[AccordError], code: str, message: str, status: bytes) -> AccordError:
    st = status_pb2.Status.FromString(status) if status else None
    return cls(grpc.StatusCode[code], message, _unpack(st) if st is not None else (),
               status=st)


class CancelledError(AccordError):
    """CANCELLED: the call was cancelled, usually by the caller."""
    grpc_code = grpc.StatusCode.CANCELLED


class UnknownError(AccordError):
    """UNKNOWN: an error the server did not classify."""
    grpc_code = grpc.StatusCode.UNKNOWN


class InvalidArgumentError(AccordError):
    """INVALID_ARGUMENT: the request is malformed (bad name, filter, order_by,
    read_mask, page size or page token); see ``field_violations``."""
    grpc_code = grpc.StatusCode.INVALID_ARGUMENT


class DeadlineExceededError(AccordError):
    """DEADLINE_EXCEEDED: no answer within the call's timeout."""
    grpc_code = grpc.StatusCode.DEADLINE_EXCEEDED


class NotFoundError(AccordError):
    """NOT_FOUND: no resource has the requested name."""
    grpc_code = grpc.StatusCode.NOT_FOUND


class AlreadyExistsError(AccordError):
    """ALREADY_EXISTS: the resource exists already."""
    grpc_code = grpc.StatusCode.ALREADY_EXISTS


class PermissionDeniedError(AccordError):
    """PERMISSION_DENIED: the caller may not do this."""
    grpc_code = grpc.StatusCode.PERMISSION_DENIED


class ResourceExhaustedError(AccordError):
    """RESOURCE_EXHAUSTED: a quota or size limit was hit."""
    grpc_code = grpc.StatusCode.RESOURCE_EXHAUSTED


class FailedPreconditionError(AccordError):
    """FAILED_PRECONDITION: e.g. a page token from before a catalogue reload
    (reason ``CATALOG_CHANGED``): start the listing again."""
    grpc_code = grpc.StatusCode.FAILED_PRECONDITION


class WatchExpiredError(FailedPreconditionError):
    """FAILED_PRECONDITION from Watch with reason ``RESUME_TOKEN_EXPIRED``
    (the resume token is older than the server's change log, or from a
    server with another catalogue version) or ``WATCH_TOO_SLOW`` (the
    stream fell so far behind that its changes left the log). The watch
    cannot continue where it was: list again, or watch with a snapshot
    (docs/watch.md)."""


#: The reasons that make a FAILED_PRECONDITION a :class:`WatchExpiredError`.
_WATCH_EXPIRED_REASONS = frozenset({_reasons.RESUME_TOKEN_EXPIRED, _reasons.WATCH_TOO_SLOW})


class AbortedError(AccordError):
    """ABORTED: the operation was aborted, e.g. by a concurrency conflict."""
    grpc_code = grpc.StatusCode.ABORTED


class OutOfRangeError(AccordError):
    """OUT_OF_RANGE: a value lies past the valid range."""
    grpc_code = grpc.StatusCode.OUT_OF_RANGE


class UnimplementedError(AccordError):
    """UNIMPLEMENTED: the server does not offer this method."""
    grpc_code = grpc.StatusCode.UNIMPLEMENTED


class InternalError(AccordError):
    """INTERNAL: a server bug."""
    grpc_code = grpc.StatusCode.INTERNAL


class UnavailableError(AccordError):
    """UNAVAILABLE: the server could not be reached or is shutting down. The
    client has already retried it (see ``AccordClient``)."""
    grpc_code = grpc.StatusCode.UNAVAILABLE


class DataLossError(AccordError):
    """DATA_LOSS: unrecoverable data loss or corruption."""
    grpc_code = grpc.StatusCode.DATA_LOSS


class UnauthenticatedError(AccordError):
    """UNAUTHENTICATED: missing or invalid credentials (see ``token=``)."""
    grpc_code = grpc.StatusCode.UNAUTHENTICATED


_BY_CODE: Dict[grpc.StatusCode, Type[AccordError]] = {
    cls.grpc_code: cls
    for cls in (CancelledError, UnknownError, InvalidArgumentError, DeadlineExceededError,
                NotFoundError, AlreadyExistsError, PermissionDeniedError,
                ResourceExhaustedError, FailedPreconditionError, AbortedError,
                OutOfRangeError, UnimplementedError, InternalError, UnavailableError,
                DataLossError, UnauthenticatedError)
    if cls.grpc_code is not None
}


def error_class(code: grpc.StatusCode) -> Type[AccordError]:
    """Returns the :class:`AccordError` subclass for a status code."""
    return _BY_CODE.get(code, AccordError)


def _unpack(status: status_pb2.Status) -> List[Message]:
    out: List[Message] = []
    for any_msg in status.details:
        type_name = any_msg.type_url.rsplit("/", 1)[-1]
        cls = _DETAIL_TYPES.get(type_name)
        if cls is None:
            out.append(any_msg)
            continue
        msg = cls()
        if any_msg.Unpack(msg):
            out.append(msg)
        else:  # pragma: no cover - Unpack only fails on a type mismatch
            out.append(any_msg)
    return out


def parse_status_details(
    trailing_metadata: Optional[Sequence[Tuple[str, Any]]],
) -> Optional[status_pb2.Status]:
    """Decodes the ``google.rpc.Status`` from an RPC's trailing metadata.

    Returns None when there is no ``grpc-status-details-bin`` entry or it does
    not parse.
    """
    for key, value in trailing_metadata or ():
        if key == STATUS_DETAILS_KEY:
            try:
                return status_pb2.Status.FromString(
                    value if isinstance(value, bytes) else bytes(value))
            except (DecodeError, TypeError):
                return None
    return None


def from_rpc_error(error: grpc.RpcError) -> AccordError:
    """Converts a ``grpc.RpcError`` (sync or ``grpc.aio.AioRpcError``) into
    the matching :class:`AccordError` subclass, with the ``google.rpc.Status``
    details decoded by ``grpcio-status``."""
    code_fn = getattr(error, "code", None)
    code = code_fn() if callable(code_fn) else grpc.StatusCode.UNKNOWN
    if not isinstance(code, grpc.StatusCode):
        code = grpc.StatusCode.UNKNOWN
    details_fn = getattr(error, "details", None)
    message = (details_fn() if callable(details_fn) else None) or ""
    status: Optional[status_pb2.Status] = None
    try:
        if callable(getattr(error, "trailing_metadata", None)):
            status = rpc_status.from_call(cast(grpc.Call, error))
    except (ValueError, DecodeError, TypeError):
        # A status whose code or message disagrees with the call's: keep the
        # call's code and message, and decode the details ourselves.
        status = None
    if status is None:
        status = _status_from_metadata(error)
    details: Sequence[Message] = ()
    if status is not None:
        details = _unpack(status)
        message = status.message or message
    cls = error_class(code)
    if code == grpc.StatusCode.FAILED_PRECONDITION and any(
            isinstance(d, error_details_pb2.ErrorInfo) and d.reason in _WATCH_EXPIRED_REASONS
            for d in details):
        cls = WatchExpiredError
    return cls(code, message, details, status=status)


def _status_from_metadata(error: grpc.RpcError) -> Optional[status_pb2.Status]:
    md_fn = getattr(error, "trailing_metadata", None)
    try:
        md = md_fn() if callable(md_fn) else None
    except Exception:  # pragma: no cover - defensive: some errors carry none
        md = None
    return parse_status_details(list(md) if md is not None else None)


def _any_of(msg: Message) -> any_pb2.Any:  # used by tests to build statuses
    a = any_pb2.Any()
    a.Pack(msg)
    return a


def make_status(code: grpc.StatusCode, message: str,
                reason: str = "", domain: str = "accord",
                metadata: Optional[Mapping[str, str]] = None,
                field_violations: Sequence[FieldViolation] = ()) -> status_pb2.Status:
    """Builds a ``google.rpc.Status`` like the server's (for tests and fakes)."""
    st = status_pb2.Status(code=code.value[0], message=message)
    if reason:
        st.details.append(_any_of(error_details_pb2.ErrorInfo(
            reason=reason, domain=domain, metadata=dict(metadata or {}))))
    if field_violations:
        st.details.append(_any_of(error_details_pb2.BadRequest(field_violations=[
            error_details_pb2.BadRequest.FieldViolation(field=f, description=d)
            for f, d in field_violations])))
    return st
