"""Shared by the sync and async clients: channel options, call settings and
request building with client-side validation."""

from __future__ import annotations

import datetime
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
#: An ``as_of`` date: ``"YYYY"``, ``"YYYY-MM"``, ``"YYYY-MM-DD"`` or a
#: ``datetime.date``; None for today's view.
AsOf = Union[str, datetime.date, None]


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
    not by the channel's service config, so gRPC's own retry layer is off
    (``grpc.enable_retries`` 0): in grpcio 1.51 (the oldest supported) it
    leaves a server stream that fails while the channel reconnects without
    its end, and the iterator then blocks for ever (a resumed ``watch``
    after a server restart). ``extra`` options win.
    """
    opts: Dict[str, Any] = {
        "grpc.primary_user_agent": f"accord-python/{VERSION}",
        "grpc.max_receive_message_length": 64 * 1024 * 1024,
        "grpc.initial_reconnect_backoff_ms": 100,
        "grpc.min_reconnect_backoff_ms": 100,
        "grpc.max_reconnect_backoff_ms": 2000,
        "grpc.enable_retries": 0,
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


def as_of_kw(as_of: Any, coll: Optional[_names.Collection] = None,
             request_cls: Any = None) -> Dict[str, Any]:
    """``{"as_of": "YYYY[-MM[-DD]]"}``, or ``{}`` for None. A
    ``datetime.date`` becomes ``YYYY-MM-DD``; the server checks the text.

    Raises:
        InvalidArgumentError: ``as_of`` is neither a str nor a date
            (``INVALID_TYPE``), or ``request_cls`` has no ``as_of`` field
            (``INVALID_AS_OF``: only agreements and partnerships have it).
    """
    if as_of is None:
        return {}
    if isinstance(as_of, datetime.datetime):
        as_of = as_of.date()
    if isinstance(as_of, datetime.date):
        as_of = as_of.isoformat()
    if not isinstance(as_of, str):
        raise InvalidArgumentError.client_side(
            "as_of", f"as_of must be a str (YYYY, YYYY-MM or YYYY-MM-DD) or a datetime.date, "
            f"not {type(as_of).__name__}", _reasons.INVALID_TYPE)
    if request_cls is not None and "as_of" not in request_cls.DESCRIPTOR.fields_by_name:
        with_as_of = [c.id for c in _names.COLLECTIONS.values()
                      if "as_of" in getattr(accord_service_pb2, f"{c.get_rpc}Request")
                      .DESCRIPTOR.fields_by_name]
        raise InvalidArgumentError.client_side(
            "as_of", f"{coll.id if coll else 'this collection'} cannot be asked as of a date; "
            f"only {' and '.join(with_as_of)} can", _reasons.INVALID_AS_OF)
    return {"as_of": as_of}


def get_request(coll: _names.Collection, name: str, read_mask: _names.ReadMask,
                as_of: Any = None) -> Any:
    """Builds ``Get<Message>Request`` (for the generic :meth:`get`)."""
    cls = getattr(accord_service_pb2, f"{coll.get_rpc}Request")
    return cls(name=name, **mask_kw(read_mask), **as_of_kw(as_of, coll, cls))


def list_request(coll: _names.Collection, *, filter: str = "", order_by: str = "",
                 page_size: int = 0, read_mask: _names.ReadMask = None,
                 page_token: str = "", parent: Optional[str] = None, as_of: Any = None) -> Any:
    """Builds ``List<Plural>Request`` (for the generic :meth:`list`)."""
    cls = getattr(accord_service_pb2, f"{coll.list_rpc}Request")
    kw = mask_kw(read_mask)
    kw.update(as_of_kw(as_of, coll, cls))
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


def id_list(value: Any, field: str) -> List[str]:
    """A list of ids from a list of str or one comma-separated str; blanks
    dropped."""
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, bytes) or not isinstance(value, Iterable):
        raise InvalidArgumentError.client_side(
            field, f"{field} must be a list of str or a comma-separated str, not "
            f"{type(value).__name__}", _reasons.INVALID_TYPE)
    out = list(value)
    for i, v in enumerate(out):
        check_str(v, f"{field}[{i}]")
    return [v.strip() for v in out if v.strip()]


def search_request(query: Any, collections: Any, filter: Any, page_size: Any,
                   page_token: Any) -> accord_service_pb2.SearchRequest:
    """Builds a ``SearchRequest``; collections are checked against the
    known ones (with a "did you mean")."""
    if not check_str(query, "query").strip():
        raise InvalidArgumentError.client_side(
            "query", "query must not be blank: give words or a \"phrase\"",
            _reasons.INVALID_QUERY)
    colls = [collection(c, "collections").id for c in id_list(collections, "collections")]
    return accord_service_pb2.SearchRequest(
        query=query, collections=colls, filter=check_str(filter or "", "filter"),
        page_size=check_page_size(page_size or 0),
        page_token=check_str(page_token or "", "page_token"))


#: Date fields whose year ``group_by="year"`` means, in order of preference.
_YEAR_FIELDS = ("sign_date", "publish_date", "date")


def group_by_fields(coll: _names.Collection, group_by: Any) -> List[str]:
    """One or two ``group_by`` fields; ``year`` becomes the collection's
    main date field's year (``sign_date.year`` for agreements).

    Raises:
        InvalidArgumentError: not one or two fields (``OUT_OF_RANGE``), or not
            str (``INVALID_TYPE``).
    """
    fields = id_list(group_by, "group_by")
    if not 1 <= len(fields) <= 2:
        raise InvalidArgumentError.client_side(
            "group_by", f"group_by takes one or two fields, not {len(fields)}, e.g. "
            "\"year,kind\"", _reasons.OUT_OF_RANGE)
    desc = getattr(accord_service_pb2, f"{coll.list_rpc}Response").DESCRIPTOR.fields_by_name[
        coll.field].message_type
    year = next((f"{n}.year" for n in _YEAR_FIELDS if n in desc.fields_by_name), None)
    return [year if f == "year" and year else f for f in fields]


def count_request(collection_id: Any, group_by: Any, filter: Any
                  ) -> accord_service_pb2.CountRequest:
    """Builds a ``CountRequest`` (see :func:`group_by_fields`)."""
    coll = collection(collection_id)
    return accord_service_pb2.CountRequest(
        collection=coll.id, filter=check_str(filter or "", "filter"),
        group_by=group_by_fields(coll, group_by))
