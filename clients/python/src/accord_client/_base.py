"""Shared by the sync and async clients: channel options, call settings and
request building with client-side validation."""

from __future__ import annotations

import difflib
import enum
import json
import os
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from accord_client import names as _names
from accord_client import reasons as _reasons
from accord_client.errors import InvalidArgumentError
from accord_client.raw import accord_service_pb2
from accord_client.retry import DEFAULT_RETRY, Retry

#: Used when neither ``address`` nor ``$ACCORD_ADDRESS`` is given; the
#: server's default listen address.
DEFAULT_ADDRESS = "127.0.0.1:50051"
#: Default deadline of a call in seconds, retries included.
DEFAULT_TIMEOUT = 10.0
SERVICE = "accord.v1.AccordService"
HEALTH_SERVICE = "grpc.health.v1.Health"
from accord_client._version import VERSION

#: A bearer token, or a callable returning one (called before every RPC, so it
#: can refresh).
Token = Union[str, Callable[[], str], None]
Metadata = Sequence[Tuple[str, str]]


class _Default(enum.Enum):
    DEFAULT = "DEFAULT"


#: "Use the client's setting" for a per-call ``retry=``.
DEFAULT = _Default.DEFAULT
#: A per-call ``retry=``: a :class:`Retry`, None for a single attempt, or
#: :data:`DEFAULT` for the client's.
RetryArg = Union[Retry, None, _Default]


def default_address() -> str:
    """``$ACCORD_ADDRESS`` if set, else ``127.0.0.1:50051``."""
    return os.environ.get("ACCORD_ADDRESS") or DEFAULT_ADDRESS


def target(address: str) -> Tuple[str, Optional[bool]]:
    """Splits an address into a gRPC target and whether it asks for TLS.

    ``http://host:port`` is plaintext (False), ``https://host:port`` TLS
    (True), and ``host:port`` leaves it to the caller (None). A trailing ``/``
    is dropped; anything after the authority is refused.

    Raises:
        InvalidArgumentError: a URL with a path, or another scheme.
    """
    for scheme, tls in (("http://", False), ("https://", True)):
        if address.lower().startswith(scheme):
            rest = address[len(scheme):].rstrip("/")
            if not rest or "/" in rest:
                raise InvalidArgumentError.client_side(
                    "address", f"address {address!r}: expected {scheme}HOST:PORT with no path",
                    _reasons.INVALID_NAME)
            if ":" not in rest.rsplit("]", 1)[-1]:
                rest += ":443" if tls else ":80"
            return rest, tls
    if "://" in address:
        raise InvalidArgumentError.client_side(
            "address", f"address {address!r}: only http:// and https:// URLs are understood",
            _reasons.INVALID_NAME)
    return address, None


def channel_options(extra: Iterable[Tuple[str, Any]] = ()) -> List[Tuple[str, Any]]:
    """Channel options: user agent, 64 MiB replies, quick reconnects.

    gRPC's own reconnect backoff starts at 1 s; a server that restarts in
    less should be reached again sooner, so the backoff starts at 100 ms (at
    most 2 s). Retries are done by the client (:mod:`accord_client.retry`),
    not by the channel's service config. ``extra`` options win.
    """
    opts: Dict[str, Any] = {
        "grpc.primary_user_agent": f"accord-python/{VERSION}",
        "grpc.max_receive_message_length": 64 * 1024 * 1024,
        "grpc.initial_reconnect_backoff_ms": 100,
        "grpc.min_reconnect_backoff_ms": 100,
        "grpc.max_reconnect_backoff_ms": 2000,
        "grpc.service_config": json.dumps({"methodConfig": [{
            "name": [{"service": SERVICE}, {"service": HEALTH_SERVICE}]}]}),
    }
    for k, v in extra:
        opts[k] = v
    return list(opts.items())


def _check_timeout(timeout: Optional[float], field: str = "timeout") -> Optional[float]:
    if timeout is not None and (not isinstance(timeout, (int, float)) or timeout <= 0):
        raise InvalidArgumentError.client_side(
            field, f"{field} must be a positive number of seconds, or None for no deadline",
            _reasons.OUT_OF_RANGE)
    return timeout


class CallConfig:
    """Deadline, retry and metadata shared by every call of one client."""

    def __init__(self, token: Token, timeout: Optional[float], metadata: Metadata = (),
                 retry: Union[Retry, bool, None] = True, wait_for_ready: bool = False) -> None:
        self.token = token
        self.timeout = _check_timeout(timeout)
        self.metadata: List[Tuple[str, str]] = [(k.lower(), v) for k, v in metadata]
        if retry is True:
            retry = DEFAULT_RETRY
        self.retry: Optional[Retry] = retry if isinstance(retry, Retry) else None
        self.wait_for_ready = wait_for_ready

    def call_metadata(self, extra: Metadata = ()) -> List[Tuple[str, str]]:
        """Metadata for one call: the bearer token, client and call extras."""
        md = list(self.metadata)
        token = self.token() if callable(self.token) else self.token
        if token:
            md.append(("authorization", f"Bearer {token}"))
        md += [(k.lower(), v) for k, v in extra]
        return md

    def call_timeout(self, timeout: Optional[float]) -> Optional[float]:
        """The per-call timeout if given, else the client's."""
        return self.timeout if timeout is None else _check_timeout(timeout)

    def call_retry(self, retry: RetryArg) -> Optional[Retry]:
        """The per-call retry if given, else the client's."""
        if isinstance(retry, _Default):
            return self.retry
        return retry

    def call_wait_for_ready(self, wait_for_ready: Optional[bool]) -> bool:
        return self.wait_for_ready if wait_for_ready is None else wait_for_ready


def collection(name: str, field: str = "collection") -> _names.Collection:
    """Looks a collection up (see :func:`names.collection`).

    Raises:
        InvalidArgumentError: an unknown collection (reason
            ``UNKNOWN_COLLECTION``), with a "did you mean" suggestion.
    """
    if not isinstance(name, str):
        raise InvalidArgumentError.client_side(
            field, f"{field} must be a str, not {type(name).__name__}", _reasons.INVALID_TYPE)
    try:
        return _names.collection(name)
    except KeyError:
        pass
    msg = f"unknown collection {name!r}"
    guess = suggest_collection(name)
    if guess:
        msg += f"; did you mean {guess!r}?"
    msg += " Collections: " + ", ".join(_names.COLLECTIONS)
    raise InvalidArgumentError.client_side(field, msg, _reasons.UNKNOWN_COLLECTION)


def suggest_collection(name: str) -> Optional[str]:
    """The collection id closest to a misspelt ``name``, or None."""
    spellings = {a: c for c in _names.COLLECTIONS.values()
                 for a in (c.id, c.id.lower(), c.field, c.singular)}
    close = difflib.get_close_matches(name.lower(), list(spellings), n=1, cutoff=0.6)
    return spellings[close[0]].id if close else None


def check_str(value: Any, field: str) -> str:
    """``value`` if it is a str, else an INVALID_TYPE error on ``field``."""
    if not isinstance(value, str):
        raise InvalidArgumentError.client_side(
            field, f"{field} must be a str, not {type(value).__name__}", _reasons.INVALID_TYPE)
    return value


def resource_name(coll: _names.Collection, name: Any, field: str = "name") -> str:
    """The full name for an id or name of a top-level collection."""
    return _names.resource_name(coll, check_str(name, field))


def commitment_name(name: Optional[str], agreement: Optional[str],
                    commitment: Optional[str]) -> str:
    """:func:`names.commitment_name`, raising InvalidArgumentError."""
    for v, f in ((name, "name"), (agreement, "agreement"), (commitment, "commitment")):
        if v is not None:
            check_str(v, f)
    try:
        return _names.commitment_name(name, agreement=agreement, commitment=commitment)
    except ValueError as e:
        raise InvalidArgumentError.client_side(
            "name", str(e), _reasons.INVALID_NAME) from None


def name_list(names: Any, field: str = "names") -> List[str]:
    """A list of names from any iterable of str (but not a single str)."""
    if isinstance(names, (str, bytes)) or not isinstance(names, Iterable):
        raise InvalidArgumentError.client_side(
            field, f"{field} must be a list of names, not a single {type(names).__name__}",
            _reasons.INVALID_TYPE)
    out = list(names)
    for i, n in enumerate(out):
        check_str(n, f"{field}[{i}]")
    return out


def check_page_size(page_size: Any) -> int:
    """``page_size`` if it is an int >= 0."""
    if isinstance(page_size, bool) or not isinstance(page_size, int):
        raise InvalidArgumentError.client_side(
            "page_size", f"page_size must be an int, not {type(page_size).__name__}",
            _reasons.INVALID_TYPE)
    if page_size < 0:
        raise InvalidArgumentError.client_side(
            "page_size", f"page_size must be 0 (the server's default) or more, not {page_size}",
            _reasons.INVALID_PAGE_SIZE)
    return page_size


def mask_kw(read_mask: _names.ReadMask) -> Dict[str, Any]:
    """``{"read_mask": FieldMask}``, or ``{}`` for no mask."""
    mask = _names.field_mask(read_mask)
    return {} if mask is None else {"read_mask": mask}


def get_request(coll: _names.Collection, name: str, read_mask: _names.ReadMask) -> Any:
    """Builds ``Get<Message>Request`` (for the generic :meth:`get`)."""
    cls = getattr(accord_service_pb2, f"{coll.get_rpc}Request")
    return cls(name=name, **mask_kw(read_mask))


def list_request(coll: _names.Collection, *, filter: str = "", order_by: str = "",
                 page_size: int = 0, read_mask: _names.ReadMask = None,
                 page_token: str = "", parent: Optional[str] = None) -> Any:
    """Builds ``List<Plural>Request`` (for the generic :meth:`list`)."""
    cls = getattr(accord_service_pb2, f"{coll.list_rpc}Request")
    kw = mask_kw(read_mask)
    if parent is not None:
        if coll.parent is None:
            raise InvalidArgumentError.client_side(
                "parent", f"{coll.id} have no parent", _reasons.INVALID_NAME)
        kw["parent"] = _names.resource_name(_names.COLLECTIONS[coll.parent],
                                            check_str(parent, "parent"))
    return cls(filter=check_str(filter or "", "filter"),
               order_by=check_str(order_by or "", "order_by"),
               page_size=check_page_size(page_size or 0),
               page_token=check_str(page_token or "", "page_token"), **kw)
