#!/usr/bin/env python3
"""Generates ``accord_client/client.py``, ``aio.py`` and ``types.py``.

Both clients come from :data:`TEMPLATE` below, filled in once per flavour
(sync, asyncio) and once per collection that
:func:`accord_client.names.derive_collections` finds in the
``accord.v1.Catalog`` descriptor; ``types.py`` names every resource. Adding a
collection to the protos (a ``Catalog`` field and its Get/BatchGet/List RPCs)
is enough to get its methods.

The output is never committed: setup.py's ``build_py`` runs this script after
protoc has generated ``accord_client/_gen`` into the build tree, and writes
the three modules next to it (into the source tree only for ``pip install
-e``, where they are gitignored). It is deterministic: the same descriptors
always give the same bytes.

    python codegen/generate_clients.py --package-root BUILD_LIB --out BUILD_LIB/accord_client

``--package-root`` is a directory holding ``accord_client`` with its ``_gen``
(the build tree); without it, the installed package's descriptors are used.
Only ``google.protobuf`` and the generated ``_gen`` modules (and what they
import: ``google.api``) are imported, so the build requirements suffice.
"""

from __future__ import annotations

import argparse
import string
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Set

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Flavour:
    module: str
    cls: str
    doc: str
    channel: str
    pager: str
    a: str       # "async " before def, or ""
    w: str       # "await " before a call, or ""
    enter: str   # the context-manager methods
    invoke: str  # the _unary method
    extra_imports: str
    wait: str    # the sleep in wait_until_serving
    now: str     # the clock in wait_until_serving


SYNC = Flavour(
    module="client", cls="AccordClient",
    doc='''"""The synchronous Accord client, :class:`AccordClient`.

Generated at build time by codegen/generate_clients.py from the
accord.v1.Catalog descriptor; not in version control, do not edit.
"""''',
    channel="grpc.Channel", pager="ListPager", a="", w="",
    enter='''    def close(self) -> None:
        """Closes the channel (if this client made it)."""
        if self._owns_channel:
            self._channel.close()

    def __enter__(self) -> "AccordClient":
        return self

    def __exit__(self, exc_type: Optional[Type[BaseException]],
                 exc: Optional[BaseException], tb: Optional[TracebackType]) -> None:
        self.close()
''',
    invoke='''    def _unary(self, method: Any, request: Any, timeout: Optional[float],
               retry: RetryArg, metadata: Metadata, wait_for_ready: Optional[bool]) -> Any:
        """Calls ``method``, retrying as ``retry`` says within ``timeout``."""
        policy = self._config.call_retry(retry)
        deadline = Deadline(self._config.call_timeout(timeout), policy)
        delays = policy.delays() if policy is not None else iter(())
        md = self._config.call_metadata(metadata)
        ready = self._config.call_wait_for_ready(wait_for_ready)
        first: Optional[AccordError] = None
        while True:
            try:
                return method(request, timeout=deadline.remaining(first is not None),
                              metadata=md, wait_for_ready=ready or first is not None)
            except grpc.RpcError as e:
                err = from_rpc_error(e)
                if first is not None and err.code == grpc.StatusCode.DEADLINE_EXCEEDED:
                    # A retry waited for the server until the deadline.
                    raise first from e
                if policy is None or not policy.retryable(err.code):
                    raise err from e
                first = first or err
                sleep = deadline.next_sleep(next(delays, None))
                if sleep is None:
                    raise err from e
            time.sleep(sleep)
''',
    extra_imports="import time\n",
    wait="time.sleep", now="time.monotonic()",
)

ASYNC = Flavour(
    module="aio", cls="AsyncAccordClient",
    doc='''"""The asyncio Accord client, :class:`AsyncAccordClient` (on ``grpc.aio``).

Generated at build time by codegen/generate_clients.py from the
accord.v1.Catalog descriptor; not in version control, do not edit.
"""''',
    channel="grpc.aio.Channel", pager="AsyncListPager", a="async ", w="await ",
    enter='''    async def close(self) -> None:
        """Closes the channel (if this client made it)."""
        if self._owns_channel:
            await self._channel.close(None)

    async def __aenter__(self) -> "AsyncAccordClient":
        return self

    async def __aexit__(self, exc_type: Optional[Type[BaseException]],
                        exc: Optional[BaseException], tb: Optional[TracebackType]) -> None:
        await self.close()
''',
    invoke='''    async def _unary(self, method: Any, request: Any, timeout: Optional[float],
                     retry: RetryArg, metadata: Metadata,
                     wait_for_ready: Optional[bool]) -> Any:
        """Calls ``method``, retrying as ``retry`` says within ``timeout``."""
        policy = self._config.call_retry(retry)
        deadline = Deadline(self._config.call_timeout(timeout), policy)
        delays = policy.delays() if policy is not None else iter(())
        md = self._config.call_metadata(metadata)
        ready = self._config.call_wait_for_ready(wait_for_ready)
        first: Optional[AccordError] = None
        while True:
            try:
                return await method(request, timeout=deadline.remaining(first is not None),
                                    metadata=md, wait_for_ready=ready or first is not None)
            except grpc.RpcError as e:
                err = from_rpc_error(e)
                if first is not None and err.code == grpc.StatusCode.DEADLINE_EXCEEDED:
                    # A retry waited for the server until the deadline.
                    raise first from e
                if policy is None or not policy.retryable(err.code):
                    raise err from e
                first = first or err
                sleep = deadline.next_sleep(next(delays, None))
                if sleep is None:
                    raise err from e
            await asyncio.sleep(sleep)
''',
    extra_imports="import asyncio\nimport time\n",
    wait="await asyncio.sleep", now="time.monotonic()",
)

TEMPLATE = string.Template('''$doc

# fmt: off
from __future__ import annotations

$extra_imports
from types import TracebackType
from typing import Any, AsyncIterator, Iterable, Iterator, List, Literal, Optional, Sequence, Tuple, Type, Union, cast, overload

import grpc
import grpc.aio

from accord_client import _base
from accord_client import names as _names
from accord_client._base import DEFAULT, AsOf, Metadata, RetryArg, Token
from accord_client.errors import AccordError, InvalidArgumentError, UnimplementedError, from_rpc_error
from accord_client.names import ReadMask
from accord_client.pagers import $pager
from accord_client.raw import accord_service_pb2, accord_service_pb2_grpc, catalog_pb2, health_pb2, health_pb2_grpc
from accord_client.reasons import INVALID_NAME
from accord_client.retry import Deadline, Retry
from accord_client.types import AnyListResponse, Resource
from accord_client import watching
from accord_client.watching import HeartbeatInterval, WatchEvent
$message_imports

__all__ = ["$cls"]


class $cls:
    """A client for ``accord.v1.AccordService``.

    ::

$usage

    Every method returns the generated protobuf messages
    (``accord_client.raw``) and raises an :class:`~accord_client.AccordError`
    subclass when the server answers with an error, or when the client sees a
    mistake before calling (:class:`~accord_client.InvalidArgumentError`
    with domain ``accord-client``).

    Every RPC method takes ``timeout=`` (the deadline of the whole call,
    retries included; default: the client's), ``retry=`` (a
    :class:`~accord_client.Retry`, None for a single attempt; default: the
    client's), ``wait_for_ready=`` (wait for the server to come up instead
    of failing at once; default: the client's) and ``metadata=``.

    Args:
        address: ``host:port``, ``http://host:port`` (plaintext) or
            ``https://host:port`` (TLS with the system's roots unless
            ``credentials`` are given). Default: ``$$ACCORD_ADDRESS``, else
            ``127.0.0.1:50051``.
        credentials: ``grpc.ChannelCredentials`` for TLS (e.g.
            ``grpc.ssl_channel_credentials()``); None for plaintext.
        token: A bearer token sent as ``authorization: Bearer <token>`` on
            every call, or a callable returning one (called per call).
        timeout: The default deadline of each call, in seconds, retries
            included; None for no deadline.
        metadata: Extra metadata sent on every call.
        options: Extra gRPC channel options; they win over the defaults.
        retry: The default :class:`~accord_client.Retry` (True: the default
            policy, which retries UNAVAILABLE for up to 30 s within the call's
            timeout; False or None: no retries).
        wait_for_ready: The default ``wait_for_ready`` of each call.
        channel: Use this channel instead of making one (``address``,
            ``credentials`` and ``options`` are then ignored, and
            :meth:`close` leaves the channel open).

    Raises:
        InvalidArgumentError: a malformed ``address`` or ``timeout``.
    """

    def __init__(
        self,
        address: Optional[str] = None,
        *,
        credentials: Optional[grpc.ChannelCredentials] = None,
        token: Token = None,
        timeout: Optional[float] = _base.DEFAULT_TIMEOUT,
        metadata: Metadata = (),
        options: Sequence[Tuple[str, Any]] = (),
        retry: Union[Retry, bool, None] = True,
        wait_for_ready: bool = False,
        channel: Optional[$channel] = None,
    ) -> None:
        #: The server address this client talks to.
        self.address: str = address or _base.default_address()
        self._config = _base.CallConfig(token, timeout, metadata, retry, wait_for_ready)
        self._owns_channel = channel is None
        if channel is None:
            target, tls = _base.target(self.address)
            if tls and credentials is None:
                credentials = grpc.ssl_channel_credentials()
            opts = _base.channel_options(options)
            if credentials is not None:
                channel = $secure_channel(target, credentials, options=opts)
            else:
                channel = $insecure_channel(target, options=opts)
        self._channel: $channel = channel
        #: The raw generated stub, for anything the wrapper does not cover.
        self.stub = accord_service_pb2_grpc.AccordServiceStub(channel)
        self._health = health_pb2_grpc.HealthStub(channel)

    # -- plumbing ---------------------------------------------------------

    @property
    def channel(self) -> $channel:
        """The underlying channel."""
        return self._channel

    @property
    def timeout(self) -> Optional[float]:
        """The default per-call deadline in seconds (None: no deadline)."""
        return self._config.timeout

    @property
    def retry(self) -> Optional[Retry]:
        """The default retry policy (None: no retries)."""
        return self._config.retry

$enter
    def __repr__(self) -> str:
        return f"$cls({self.address!r})"

$invoke
    # -- generic access by collection --------------------------------------

    ${a}def get(self, name: str, *, read_mask: ReadMask = None, as_of: AsOf = None,
            timeout: Optional[float] = None, retry: RetryArg = DEFAULT,
            wait_for_ready: Optional[bool] = None, metadata: Metadata = ()) -> Resource:
        """Gets any resource by its full name, dispatching on the collection.

        ``get("agreements/a")`` calls GetAgreement,
        ``get("agreements/a/commitments/c")`` GetCommitment, and
        ``get("catalogStatus")`` GetCatalogStatus. ``as_of`` (a date:
        ``"YYYY"``, ``"YYYY-MM"``, ``"YYYY-MM-DD"`` or a ``datetime.date``)
        asks for the resource as it stood then; agreements and partnerships
        only.

        Raises:
            InvalidArgumentError: the name belongs to no collection (reason
                ``INVALID_NAME``), or ``as_of`` is given for a collection
                without it (reason ``INVALID_AS_OF``), raised before any call.
        """
        _base.check_str(name, "name")
        if name.strip("/") == _names.CATALOG_STATUS_NAME and as_of is None:
            return ${w}self.get_catalog_status(timeout=timeout, retry=retry,
                                                wait_for_ready=wait_for_ready, metadata=metadata)
        coll = _names.collection_of(name)
        if coll is None:
            raise InvalidArgumentError.client_side(
                "name", f"not an Accord resource name: {name!r} (expected COLLECTION/ID, e.g. "
                "'agreements/{agreement}' or 'countries/{country}', "
                "'agreements/{agreement}/commitments/{commitment}' or 'catalogStatus')",
                INVALID_NAME)
        request = _base.get_request(coll, name, read_mask, as_of)
        return cast(Resource, ${w}self._unary(getattr(self.stub, coll.get_rpc), request, timeout,
                                              retry, metadata, wait_for_ready))

$list_overloads
    def list(self, collection: str, *, parent: Optional[str] = None, filter: str = "",
             order_by: str = "", page_size: int = 0, read_mask: ReadMask = None,
             page_token: str = "", as_of: AsOf = None, timeout: Optional[float] = None,
             retry: RetryArg = DEFAULT, wait_for_ready: Optional[bool] = None,
             metadata: Metadata = ()) -> $pager[Any, Any]:
        """Lists any collection by id (``"agreements"``, ``"cooperationAreas"``,
        ...); ``parent`` is the agreement for ``"commitments"``;
        ``as_of`` as in :meth:`get` (agreements and partnerships).

        Raises:
            InvalidArgumentError: an unknown collection (reason
                ``UNKNOWN_COLLECTION``, with a "did you mean"), or ``as_of``
                for a collection without it (``INVALID_AS_OF``), raised before
                any call.
        """
        coll = _base.collection(collection)
        request = _base.list_request(coll, filter=filter, order_by=order_by,
                                     page_size=page_size, read_mask=read_mask,
                                     page_token=page_token, parent=parent, as_of=as_of)
        field = coll.field

        def items(resp: Any) -> Any:
            return getattr(resp, field)

        return $pager(self._fetcher(getattr(self.stub, coll.list_rpc), request, timeout, retry,
                                    metadata, wait_for_ready), request, items, field)

    def _fetcher(self, method: Any, request: Any, timeout: Optional[float], retry: RetryArg,
                 metadata: Metadata, wait_for_ready: Optional[bool]) -> Any:
        """``fetch(page_token)`` for a pager: one List call per page."""
        ${a}def fetch(page_token: str) -> Any:
            req = type(request)()
            req.CopyFrom(request)
            req.page_token = page_token
            return ${w}self._unary(method, req, timeout, retry, metadata, wait_for_ready)
        return fetch

    # -- service-wide -----------------------------------------------------

    ${a}def get_catalog_status(self, *, timeout: Optional[float] = None,
                           retry: RetryArg = DEFAULT, wait_for_ready: Optional[bool] = None,
                           metadata: Metadata = ()) -> catalog_pb2.CatalogStatus:
        """Describes the serving catalogue: version, load time, record counts
        and the last load error (``GetCatalogStatus``)."""
        request = accord_service_pb2.GetCatalogStatusRequest(name=_names.CATALOG_STATUS_NAME)
        return cast(catalog_pb2.CatalogStatus, ${w}self._unary(
            self.stub.GetCatalogStatus, request, timeout, retry, metadata, wait_for_ready))

    def search(self, query: str, *, collections: Union[str, Iterable[str], None] = None,
               filter: str = "", page_size: int = 0, page_token: str = "",
               timeout: Optional[float] = None, retry: RetryArg = DEFAULT,
               wait_for_ready: Optional[bool] = None, metadata: Metadata = ()
               ) -> $pager[accord_service_pb2.SearchResponse.Result,
                           accord_service_pb2.SearchResponse]:
        """Searches the text of every collection, best first (``Search``,
        docs/search.md): BM25 ranking, English stemming, ``"phrases"``,
        ``AND``/``OR``/``NOT``, ``prefix*``.

        Args:
            query: What to look for, e.g. ``"critical minerals"``.
            collections: Collection ids to search (a list, or one id or a
                comma-separated str, e.g. ``"agreements,commitments"``);
                None searches every collection.
            filter: An AIP-160 filter over the one collection in
                ``collections`` (``FILTER_NEEDS_ONE_COLLECTION`` otherwise).
            page_size: Results per RPC, 1 to 100; 0 for the server's 20.
            page_token: Resume from this ``next_page_token``.
            timeout, retry, wait_for_ready: Apply to each page's call.

        Returns:
            A pager of ``SearchResponse.Result`` (``name``, ``collection``,
            ``score``, and ``snippet``: HTML with matches in
            ``<mark>...</mark>``), with ``.total_size`` and ``.pages``.

        Raises:
            InvalidArgumentError: ``query`` is not a str or is blank, a
                collection is unknown (``UNKNOWN_COLLECTION``, with a "did
                you mean") or ``page_size`` is negative, before any call; or
                the server finds the query, filter or token malformed (when
                the first page is fetched).
        """
        request = _base.search_request(query, collections, filter, page_size, page_token)

        def items(resp: accord_service_pb2.SearchResponse
                  ) -> Sequence[accord_service_pb2.SearchResponse.Result]:
            return resp.results

        return $pager(self._fetcher(self.stub.Search, request, timeout, retry, metadata,
                                    wait_for_ready), request, items, "results")

    ${a}def count(self, collection: str, group_by: Union[str, Iterable[str]], *,
              filter: str = "", timeout: Optional[float] = None, retry: RetryArg = DEFAULT,
              wait_for_ready: Optional[bool] = None, metadata: Metadata = ()
              ) -> accord_service_pb2.CountResponse:
        """Counts the records of a collection that match ``filter``, grouped
        by one or two fields (``Count``, docs/counts.md)::

            resp = client.count("agreements", "year,kind")
            for g in resp.groups:
                print(g.values, g.count)   # ['2025', 'TRADE_AGREEMENT'] 1

        Args:
            collection: A collection id, e.g. ``"agreements"``.
            group_by: One or two fields, as a list or a comma-separated str:
                an indexed field (``kind``, ``state``, ``parties``,
                ``cooperation_areas``, ...) or a date field with ``.year``
                (``sign_date.year``); ``year`` alone is the collection's
                main date field's year (``sign_date.year`` for agreements).
            filter: An AIP-160 filter over the collection; empty: every record.

        Returns:
            The ``CountResponse``: ``groups`` (each ``values`` and
            ``count``) in value order, and ``total_size``.

        Raises:
            InvalidArgumentError: an unknown collection
                (``UNKNOWN_COLLECTION``), or not one or two ``group_by``
                fields (``OUT_OF_RANGE``), before any call; or a field that
                cannot group (``INVALID_GROUP_BY``) or a malformed filter,
                from the server.
        """
        request = _base.count_request(collection, group_by, filter)
        return cast(accord_service_pb2.CountResponse, ${w}self._unary(
            self.stub.Count, request, timeout, retry, metadata, wait_for_ready))

    def watch(self, collection: str, *, filter: str = "", snapshot: bool = True,
              resume_token: str = "", heartbeat_interval: HeartbeatInterval = None,
              heartbeats: bool = False, retry: RetryArg = DEFAULT,
              wait_for_ready: Optional[bool] = None, metadata: Metadata = ()
              ) -> ${iterator}[WatchEvent]:
        """Streams a collection and then its changes (``Watch``,
        docs/watch.md): an optional snapshot (``EXISTING`` events, then a
        ``SNAPSHOT_COMPLETE`` marker), then ``ADDED``, ``MODIFIED`` and
        ``REMOVED`` events for each reload, as :class:`~accord_client.WatchEvent`
        objects with the resource unpacked::

            ${a}for event in client.watch("agreements", filter="kind = TRADE_AGREEMENT"):
                if event.type == "REMOVED":
                    copy.pop(event.name, None)
                elif event.resource is not None:
                    copy[event.name] = event.resource

        The stream has no deadline (``timeout`` does not apply); it ends only
        when you stop iterating (``break``, or closing the iterator), or with
        an error. A broken connection (UNAVAILABLE, e.g. a server restart or
        drain) is resumed with the last resume token as ``retry`` allows,
        with no event lost or repeated; during the snapshot it restarts the
        snapshot after a ``RESET`` marker.

        Args:
            collection: A collection id (``"agreements"``), or ``"-"`` for
                every collection.
            filter: An AIP-160 filter, as in ``list``; one collection only.
            snapshot: Start with every (matching) record; False starts with
                the changes after the current version.
            resume_token: Continue after the event that carried this token
                (no snapshot is sent then).
            heartbeat_interval: Seconds (or a timedelta) of silence before
                the server sends a heartbeat: 1 to 600; None for its 30 s.
            heartbeats: Also yield ``HEARTBEAT`` markers.

        Raises:
            WatchExpiredError: the token is too old for the server, or the
                stream fell too far behind (reasons ``RESUME_TOKEN_EXPIRED``,
                ``WATCH_TOO_SLOW``): list again, or watch with a snapshot.
            InvalidArgumentError: an unknown collection, before any call; or
                a malformed filter or token, from the server.
            UnavailableError: the server stayed unreachable past ``retry``.
        """
        request = watching.watch_request(collection, filter, snapshot, resume_token,
                                         heartbeat_interval)
        return self._watch(request, retry, wait_for_ready, metadata, heartbeats)

    ${a}def _watch(self, request: accord_service_pb2.WatchRequest, retry: RetryArg,
               wait_for_ready: Optional[bool], metadata: Metadata, heartbeats: bool
               ) -> ${iterator}[WatchEvent]:
        policy = self._config.call_retry(retry)
        md = self._config.call_metadata(metadata)
        ready = self._config.call_wait_for_ready(wait_for_ready)
        req = accord_service_pb2.WatchRequest()
        req.CopyFrom(request)
        delays = policy.delays() if policy is not None else iter(())
        method: Any = self.stub.Watch  # the stub is typed for the sync API only
        # Set while the stream is broken (until a response arrives): retry's
        # deadline for the resume attempts, counted from the break.
        outage: Optional[Deadline] = None
        while True:
            call = method(req, metadata=md, wait_for_ready=ready)
            started = $now
            try:
                ${a}for resp in call:
                    if policy is not None:
                        delays = policy.delays()  # the stream is up again
                    outage = None
                    if resp.resume_token:
                        req.resume_token = resp.resume_token
                    for event in watching.events_of(resp, heartbeats):
                        yield event
                return
            except grpc.RpcError as e:
                err = from_rpc_error(e)
                if policy is None or not policy.retryable(err.code):
                    raise err from e
                if outage is None or $now - started > policy.maximum:
                    # A first failure, or one after the stream was up again (an
                    # attempt that lasted longer than the longest backoff): retry's
                    # deadline counts from now.
                    outage, delays = Deadline(None, policy), policy.delays()
                sleep = outage.next_sleep(next(delays, None))
                if sleep is None:
                    raise err from e
            finally:
                call.cancel()
            if not req.resume_token and not req.skip_snapshot:
                yield watching.WatchEvent("RESET", "", None, "")
            ${wait}(sleep)

    ${a}def health(self, service: str = "", *, timeout: Optional[float] = None,
               retry: RetryArg = DEFAULT, wait_for_ready: Optional[bool] = None,
               metadata: Metadata = ()) -> health_pb2.HealthCheckResponse:
        """Asks the standard ``grpc.health.v1.Health/Check``.

        Args:
            service: The service to ask about; ``""`` for the whole server,
                or ``"accord.v1.AccordService"``.

        Returns:
            The ``HealthCheckResponse``; ``.status ==
            health_pb2.HealthCheckResponse.SERVING`` when healthy.
        """
        request = health_pb2.HealthCheckRequest(service=_base.check_str(service, "service"))
        return cast(health_pb2.HealthCheckResponse, ${w}self._unary(
            getattr(self._health, "Check"), request, timeout, retry, metadata, wait_for_ready))

    ${a}def is_serving(self, service: str = "", *, timeout: Optional[float] = None) -> bool:
        """True if the health check answers SERVING; False on any error."""
        try:
            resp = ${w}self.health(service, timeout=timeout, retry=None)
        except AccordError:
            return False
        return bool(resp.status == health_pb2.HealthCheckResponse.SERVING)

    ${a}def wait_until_serving(self, timeout: float = 30.0, service: str = "") -> None:
        """Waits until the health check answers SERVING.

        A server without the health service counts as serving once
        GetCatalogStatus answers.

        Raises:
            TimeoutError: not serving within ``timeout`` seconds.
        """
        deadline = $now + timeout
        while True:
            left = deadline - $now
            if left <= 0:
                raise TimeoutError(f"{self.address} not serving after {timeout:g}s")
            try:
                resp = ${w}self.health(service, timeout=min(left, 2.0), retry=None,
                                       wait_for_ready=True)
                if resp.status == health_pb2.HealthCheckResponse.SERVING:
                    return
            except UnimplementedError:
                # A server without the health service: any answer means up.
                ${w}self.get_catalog_status(timeout=min(left, 2.0), retry=None)
                return
            except AccordError:
                pass
            $wait(min(0.1, max(0.0, deadline - $now)))

    # -- one Get, BatchGet and List per collection ---------------------------
$methods''')

COLLECTION = string.Template('''
    ${a}def get_${singular}(self, $get_params, read_mask: ReadMask = None,$as_of_param
            timeout: Optional[float] = None, retry: RetryArg = DEFAULT,
            wait_for_ready: Optional[bool] = None, metadata: Metadata = ()
            ) -> ${mod}.${Message}:
        """Gets one ${human} (``Get${Message}``).

$get_doc
            read_mask: Fields to return, e.g. ``"name,$example_field"`` or a list
                of paths; None returns every field.$get_as_of_doc

        Raises:
            NotFoundError: there is no such ${human}.
            InvalidArgumentError: the name or read mask is malformed.
        """
        request = accord_service_pb2.Get${Message}Request(
            name=$get_name, **_base.mask_kw(read_mask)$as_of_kw)
        return cast(${mod}.${Message}, ${w}self._unary(
            self.stub.Get${Message}, request, timeout, retry, metadata, wait_for_ready))

    ${a}def batch_get_${field}(self, names: Iterable[str], *,$batch_params read_mask: ReadMask = None,
            timeout: Optional[float] = None, retry: RetryArg = DEFAULT,
            wait_for_ready: Optional[bool] = None, metadata: Metadata = ()
            ) -> List[${mod}.${Message}]:
        """Gets 1 to 100 ${human_plural} in one call, in the order asked
        (``BatchGet${Plural}``), all or nothing: one missing name fails the
        whole call with NOT_FOUND.

        Args:
$batch_doc
            read_mask: Fields to return; None returns every field.

        Raises:
            InvalidArgumentError: ``names`` is a single str, or a name is
                malformed.
        """
$batch_body
        resp = cast(accord_service_pb2.BatchGet${Plural}Response, ${w}self._unary(
            self.stub.BatchGet${Plural}, request, timeout, retry, metadata, wait_for_ready))
        return list(resp.${field})

    def list_${field}(self, *,$list_params filter: str = "", order_by: str = "",
            page_size: int = 0, read_mask: ReadMask = None, page_token: str = "",$as_of_param
            timeout: Optional[float] = None, retry: RetryArg = DEFAULT,
            wait_for_ready: Optional[bool] = None, metadata: Metadata = ()
            ) -> ${pager}[${mod}.${Message}, accord_service_pb2.List${Plural}Response]:
        """Lists ${human_plural} lazily, following page tokens (``List${Plural}``).

        Args:
$list_doc
            filter: An AIP-160 filter (docs/filtering.md; ``accord fields
                $id`` lists the fields); empty for all.
            order_by: e.g. ``"$order_example"``; default ``"name"``.
            page_size: Results per RPC, 1 to 1000; 0 for the server's 50.
            read_mask: Fields to return; None returns every field.
            page_token: Resume from this ``next_page_token``.$list_as_of_doc
            timeout, retry, wait_for_ready: Apply to each page's call.

        Returns:
            A pager: iterate it for ${Message} messages, or use ``.pages``,
            ``.total_size``, ``.to_rows()`` and ``.to_dataframe()``.

        Raises:
            InvalidArgumentError: ``page_size`` is negative (before any call),
                or the server finds the filter, order_by, read mask or token
                malformed (when the first page is fetched).
        """
        request = accord_service_pb2.List${Plural}Request(
            filter=_base.check_str(filter, "filter"),
            order_by=_base.check_str(order_by, "order_by"),
            page_size=_base.check_page_size(page_size),
            page_token=_base.check_str(page_token, "page_token"),$list_parent
            **_base.mask_kw(read_mask)$as_of_kw)

        def items(resp: accord_service_pb2.List${Plural}Response
                  ) -> Sequence[${mod}.${Message}]:
            return resp.${field}

        return ${pager}(self._fetcher(self.stub.List${Plural}, request, timeout, retry, metadata,
                                      wait_for_ready), request, items, "${field}")
''')

GET_AS_OF_DOC = string.Template('''
            as_of: The ${human} as it stood at the end of this date:
                ``"YYYY"``, ``"YYYY-MM"``, ``"YYYY-MM-DD"`` or a
                ``datetime.date`` (docs/filtering-language.md, "As of a
                date"). The answer's ``as_of`` field says whether it is
                certain. Not yet signed then: NotFoundError (reason
                ``NOT_YET_SIGNED``); a malformed date: InvalidArgumentError
                (``INVALID_AS_OF``).''')

LIST_AS_OF_DOC = string.Template('''
            as_of: The ${human_plural} as they stood at the end of this date
                (as in ``get_*``); the filter applies to them as they stood,
                those not yet signed are left out, and ``order_by`` must be
                empty (``ORDER_BY_WITH_AS_OF``).''')

LIST_OVERLOAD = string.Template('''    @overload
    def list(self, collection: Literal["$id"], *, parent: Optional[str] = ...,
             filter: str = ..., order_by: str = ..., page_size: int = ...,
             read_mask: ReadMask = ..., page_token: str = ..., as_of: AsOf = ...,
             timeout: Optional[float] = ...,
             retry: RetryArg = ..., wait_for_ready: Optional[bool] = ...,
             metadata: Metadata = ...
             ) -> ${pager}[${mod}.${Message}, accord_service_pb2.List${Plural}Response]: ...

''')

LIST_OVERLOAD_ANY = string.Template('''    @overload
    def list(self, collection: str, *, parent: Optional[str] = ...,
             filter: str = ..., order_by: str = ..., page_size: int = ...,
             read_mask: ReadMask = ..., page_token: str = ..., as_of: AsOf = ...,
             timeout: Optional[float] = ...,
             retry: RetryArg = ..., wait_for_ready: Optional[bool] = ...,
             metadata: Metadata = ...) -> ${pager}[Resource, AnyListResponse]: ...

''')


def _order_example(msg) -> str:  # type: ignore[no-untyped-def]
    """A sortable (non-repeated) field of the message, for docstrings."""
    from accord_client.data import is_repeated
    for name, suffix in (("sign_date", " desc"), ("publish_date", " desc"),
                         ("display_name", ""), ("title", ""), ("kind", "")):
        f = msg.fields_by_name.get(name)
        if f is not None and not is_repeated(f):
            return name + suffix
    return "name desc"


def _example_field(msg) -> str:  # type: ignore[no-untyped-def]
    for name in ("title", "display_name", "statement", "kind"):
        if name in msg.fields_by_name:
            return name
    return "name"


def _bare_package() -> None:
    """Makes ``accord_client`` importable without running its ``__init__``
    (which imports the very modules this script writes)."""
    if "accord_client" in sys.modules:
        return
    import importlib.util
    import types

    spec = importlib.util.find_spec("accord_client")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("generate_clients.py: accord_client not found: pass --package-root "
                         "(a build tree with accord_client/_gen) or install accord-client")
    pkg = types.ModuleType("accord_client")
    pkg.__path__ = list(spec.submodule_search_locations)
    sys.modules["accord_client"] = pkg


@dataclass(frozen=True)
class Api:
    """The descriptors the clients are made from."""

    #: The ``accord.v1.Catalog`` message descriptor (one field per collection).
    catalog: Any
    #: The ``accord_service.proto`` file descriptor (the request messages).
    service_file: Any

    @staticmethod
    def installed() -> "Api":
        """The descriptors of the importable ``accord_client._gen``."""
        _bare_package()
        from accord_client._gen.accord.v1 import accord_service_pb2, catalog_pb2
        return Api(catalog_pb2.Catalog.DESCRIPTOR, accord_service_pb2.DESCRIPTOR)

    def collections(self) -> Dict[str, Any]:
        """``accord_client.names.derive_collections`` over these descriptors."""
        _bare_package()
        from accord_client.names import derive_collections
        return derive_collections(self.catalog, self.service_file)

    def resource(self, c: Any) -> Any:
        """The message descriptor of collection ``c``'s resources."""
        return self.service_file.message_types_by_name[
            f"List{c.plural}Response"].fields_by_name[c.field].message_type


def _module(msg: Any) -> str:
    """The generated module of a message: ``accord/v1/agreement.proto`` ->
    ``agreement_pb2``."""
    return Path(msg.file.name).stem + "_pb2"


def _package(msg: Any) -> str:
    """The package holding :func:`_module`, inside ``accord_client._gen``."""
    parent = Path(msg.file.name).parent.as_posix().replace("/", ".")
    return "accord_client._gen" + (f".{parent}" if parent not in ("", ".") else "")


def _message_imports(api: Api, colls: List[Any]) -> str:
    """``from accord_client._gen.accord.v1 import agreement_pb2, ...`` for the
    resources' modules (a new .proto file needs no edit anywhere)."""
    by_pkg: Dict[str, Set[str]] = {}
    for c in colls:
        msg = api.resource(c)
        by_pkg.setdefault(_package(msg), set()).add(_module(msg))
    return "\n".join(f"from {pkg} import " + ", ".join(sorted(mods))
                     for pkg, mods in sorted(by_pkg.items()))


def render(flavour: Flavour, api: Optional[Api] = None) -> str:
    """One client module (``flavour``: :data:`SYNC` or :data:`ASYNC`)."""
    api = api or Api.installed()
    collections = api.collections()
    colls = list(collections.values())
    message_imports = _message_imports(api, colls)
    methods: List[str] = []
    overloads: List[str] = []
    for c in colls:
        msg = api.resource(c)
        mod = _module(msg)
        human = c.singular.replace("_", " ")
        human_plural = c.field.replace("_", " ")
        pattern = f"{c.id}/{{{c.singular}}}"
        if c.parent is not None:
            parent = collections[c.parent]
            p = parent.singular
            pattern = f"{parent.id}/{{{p}}}/{c.id}/{{{c.singular}}}"
            get_params = (f"name: Optional[str] = None, *, {p}: Optional[str] = None,\n"
                          f"            {c.singular}: Optional[str] = None")
            get_name = f"_base.commitment_name(name, {p}, {c.singular})"
            get_doc = (f"        Any of ``get_{c.singular}(\"{pattern}\")``,\n"
                       f"        ``get_{c.singular}({p}=\"A\", {c.singular}=\"C\")`` or\n"
                       f"        ``get_{c.singular}(\"C\", {p}=\"A\")``.\n\n"
                       f"        Args:\n"
                       f"            name: The full name ``{pattern}``, or the id with ``{p}``.\n"
                       f"            {p}: The {parent.singular.replace('_', ' ')}'s id or name, when ``name`` is an id.\n"
                       f"            {c.singular}: The {human} id (instead of ``name``).")
            batch_params = f" {p}: Optional[str] = None,"
            batch_doc = (f"            names: Full {human} names, or ids when ``{p}`` is given.\n"
                         f"            {p}: The parent (id or name); every name must lie under it.\n"
                         f"                None: names may span {parent.field.replace('_', ' ')}.")
            batch_body = (
                f"        full = _base.name_list(names)\n"
                f"        parent = \"\"\n"
                f"        if {p} is not None:\n"
                f"            parent = _names.resource_name(_names.COLLECTIONS[{parent.id!r}],\n"
                f"                                          _base.check_str({p}, {p!r}))\n"
                f"            full = [n if \"/\" in n else f\"{{parent}}/{c.id}/{{n}}\" for n in full]\n"
                f"        request = accord_service_pb2.BatchGet{c.plural}Request(\n"
                f"            names=full, parent=parent, **_base.mask_kw(read_mask))")
            list_params = f" {p}: Optional[str] = None,"
            list_doc = (f"            {p}: Only this {parent.singular.replace('_', ' ')}'s {human_plural} (id or name);\n"
                        f"                None lists those of every {parent.singular.replace('_', ' ')} (``{parent.id}/-``).")
            list_parent = (f"\n            parent=(\"\" if {p} is None else _names.resource_name(\n"
                           f"                _names.COLLECTIONS[{parent.id!r}], _base.check_str({p}, {p!r}))),")
        else:
            get_params = "name: str, *"
            get_name = f"_base.resource_name(_names.COLLECTIONS[{c.id!r}], name)"
            get_doc = (f"        Args:\n"
                       f"            name: The resource name ``{pattern}``, or just the id.")
            batch_params = ""
            batch_doc = "            names: Resource names or ids."
            batch_body = (
                f"        coll = _names.COLLECTIONS[{c.id!r}]\n"
                f"        request = accord_service_pb2.BatchGet{c.plural}Request(\n"
                f"            names=[_names.resource_name(coll, n) for n in _base.name_list(names)],\n"
                f"            **_base.mask_kw(read_mask))")
            list_params = ""
            list_doc = ""
            list_parent = ""
        has_as_of = "as_of" in api.service_file.message_types_by_name[
            f"Get{c.message}Request"].fields_by_name
        subs: Dict[str, str] = dict(
            a=flavour.a, w=flavour.w, pager=flavour.pager, singular=c.singular,
            field=c.field, Message=c.message, Plural=c.plural, mod=mod, id=c.id,
            human=human, human_plural=human_plural, get_params=get_params,
            get_name=get_name, get_doc=get_doc, batch_params=batch_params,
            batch_doc=batch_doc, batch_body=batch_body, list_params=list_params,
            list_doc=list_doc.rstrip("\n"), list_parent=list_parent,
            order_example=_order_example(msg), example_field=_example_field(msg),
            as_of_param="\n            as_of: AsOf = None," if has_as_of else "",
            as_of_kw=", **_base.as_of_kw(as_of)" if has_as_of else "",
            get_as_of_doc=GET_AS_OF_DOC.substitute(human=human) if has_as_of else "",
            list_as_of_doc=LIST_AS_OF_DOC.substitute(human_plural=human_plural)
            if has_as_of else "")
        text = COLLECTION.substitute(subs)
        if not list_doc:
            text = text.replace("        Args:\n\n", "        Args:\n")
        methods.append(text)
        overloads.append(LIST_OVERLOAD.substitute(subs))
    overloads.append(LIST_OVERLOAD_ANY.substitute(pager=flavour.pager))
    if flavour is SYNC:
        usage = '''        with AccordClient("127.0.0.1:50051") as client:
            art = client.get_agreement("my-us-reciprocal-trade-2025")
            for c in client.list_commitments(agreement=art.name):
                print(c.title)'''
    else:
        usage = '''        async with AsyncAccordClient("127.0.0.1:50051") as client:
            art = await client.get_agreement("my-us-reciprocal-trade-2025")
            async for c in client.list_commitments(agreement=art.name):
                print(c.title)

    ``get_*``, ``batch_get_*``, ``count``, ``get_catalog_status`` and
    ``health`` are coroutines; ``list_*`` and ``search`` return an
    :class:`~accord_client.pagers.AsyncListPager` to iterate with ``async
    for`` (or ``await`` for its first page). Make the
    client inside a running event loop (``grpc.aio`` binds its channel to
    the loop).'''
    secure = "grpc.secure_channel" if flavour is SYNC else "grpc.aio.secure_channel"
    insecure = "grpc.insecure_channel" if flavour is SYNC else "grpc.aio.insecure_channel"
    out = TEMPLATE.substitute(
        doc=flavour.doc, extra_imports=flavour.extra_imports.rstrip("\n"), pager=flavour.pager,
        cls=flavour.cls, channel=flavour.channel, a=flavour.a, w=flavour.w,
        iterator="Iterator" if flavour is SYNC else "AsyncIterator",
        enter=flavour.enter, invoke=flavour.invoke, wait=flavour.wait, now=flavour.now,
        usage=usage, message_imports=message_imports, methods="".join(methods),
        list_overloads="".join(overloads), secure_channel=secure, insecure_channel=insecure)
    return "\n".join(line.rstrip() for line in out.splitlines()) + "\n"


def render_types(api: Optional[Api] = None) -> str:
    """``types.py``: unions of every resource and List response."""
    api = api or Api.installed()
    colls = list(api.collections().values())
    res, lists = [], []
    for c in colls:
        res.append(f"    {_module(api.resource(c))}.{c.message},\n")
        lists.append(f"    accord_service_pb2.List{c.plural}Response,\n")
    return ('''"""Type aliases for any Accord resource, for code that handles every
collection (``client.get(name)``, ``client.list(collection)``).

Generated at build time by codegen/generate_clients.py; not in version
control, do not edit.
"""

from __future__ import annotations

from typing import Union

from accord_client.raw import accord_service_pb2, catalog_pb2
''' + _message_imports(api, colls) + '''

__all__ = ["AnyListResponse", "Resource"]

#: Any resource a Get can return (``client.get(name)``).
Resource = Union[
''' + "".join(res) + '''    catalog_pb2.CatalogStatus,
]

#: Any List response.
AnyListResponse = Union[
''' + "".join(lists) + "]\n")


def outputs(api: Optional[Api] = None) -> Dict[str, str]:
    """``{"client.py": text, "aio.py": text, "types.py": text}`` for ``api``
    (default: the descriptors of the importable ``accord_client``)."""
    api = api or Api.installed()
    out = {f"{f.module}.py": render(f, api) for f in (SYNC, ASYNC)}
    out["types.py"] = render_types(api)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--package-root", help="directory holding accord_client/_gen (the build "
                    "tree); default: the installed package")
    ap.add_argument("--out", required=True, help="directory to write client.py, aio.py and "
                    "types.py into")
    args = ap.parse_args()
    if args.package_root:
        sys.path.insert(0, str(Path(args.package_root).resolve()))
    out = Path(args.out)
    for name, text in outputs().items():
        (out / name).write_text(text, "utf-8")
    print(f"generate_clients.py: wrote client.py, aio.py, types.py into {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
