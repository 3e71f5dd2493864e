"""The asyncio Accord client, :class:`AsyncAccordClient` (on ``grpc.aio``)."""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Type, Union

import grpc
import grpc.aio

from accord_client import _base
from accord_client import names as _names
from accord_client._base import Metadata, Token
from accord_client.errors import AccordError, UnimplementedError, from_rpc_error
from accord_client.names import ReadMask
from accord_client.pagers import AsyncListPager
from accord_client.raw import (
    accord_service_pb2,
    accord_service_pb2_grpc,
    agreement_pb2,
    assessment_pb2,
    catalog_pb2,
    commitment_pb2,
    cooperation_area_pb2,
    country_pb2,
    health_pb2,
    health_pb2_grpc,
    partnership_pb2,
    sector_pb2,
    source_pb2,
)

__all__ = ["AsyncAccordClient"]


class AsyncAccordClient:
    """The asyncio twin of :class:`~accord_client.AccordClient`.

    Same methods, arguments and errors; ``get_*``, ``batch_get_*``,
    ``get_catalog_status`` and ``health`` are coroutines, and ``list_*``
    return an :class:`~accord_client.pagers.AsyncListPager` to iterate with
    ``async for`` (or ``await`` for its first page)::

        async with AsyncAccordClient("127.0.0.1:50051") as client:
            art = await client.get_agreement("my-us-reciprocal-trade-2025")
            async for c in client.list_commitments(agreement=art.name):
                print(c.title)

    Make the client inside a running event loop (``grpc.aio`` binds its
    channel to the loop).

    Args:
        address: ``host:port``. Default: ``$ACCORD_ADDRESS``, else
            ``127.0.0.1:50051``.
        credentials: ``grpc.ChannelCredentials`` for TLS; None for plaintext.
        token: Bearer token (or a callable returning one) sent as
            ``authorization: Bearer <token>``.
        timeout: Default per-call deadline in seconds; None for none.
        metadata: Extra metadata sent on every call.
        options: Extra gRPC channel options.
        retry: Whether gRPC retries UNAVAILABLE (default True).
        channel: Use this ``grpc.aio.Channel`` instead of making one.
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
        retry: bool = True,
        channel: Optional[grpc.aio.Channel] = None,
    ) -> None:
        #: The server address this client talks to.
        self.address: str = address or _base.default_address()
        self._config = _base.CallConfig(token, timeout, metadata)
        self._owns_channel = channel is None
        if channel is None:
            opts = _base.channel_options(options, retry=retry)
            if credentials is not None:
                channel = grpc.aio.secure_channel(self.address, credentials, options=opts)
            else:
                channel = grpc.aio.insecure_channel(self.address, options=opts)
        self._channel: grpc.aio.Channel = channel
        #: The raw generated stub (its methods return awaitables).
        self.stub = accord_service_pb2_grpc.AccordServiceStub(channel)
        self._health = health_pb2_grpc.HealthStub(channel)

    # -- plumbing ---------------------------------------------------------

    @property
    def channel(self) -> grpc.aio.Channel:
        """The underlying ``grpc.aio.Channel``."""
        return self._channel

    @property
    def timeout(self) -> Optional[float]:
        """The default per-call deadline in seconds (None: no deadline)."""
        return self._config.timeout

    async def close(self) -> None:
        """Closes the channel (if this client made it)."""
        if self._owns_channel:
            await self._channel.close()

    async def __aenter__(self) -> "AsyncAccordClient":
        return self

    async def __aexit__(self, exc_type: Optional[Type[BaseException]],
                        exc: Optional[BaseException], tb: Optional[TracebackType]) -> None:
        await self.close()

    def __repr__(self) -> str:
        return f"AsyncAccordClient({self.address!r})"

    async def _invoke(self, method: Any, request: Any, timeout: Optional[float],
                      metadata: Metadata) -> Any:
        try:
            return await method(request, timeout=self._config.call_timeout(timeout),
                                metadata=self._config.call_metadata(metadata))
        except grpc.RpcError as e:
            raise from_rpc_error(e) from e

    async def _call(self, rpc: str, request: Any, timeout: Optional[float],
                    metadata: Metadata) -> Any:
        return await self._invoke(getattr(self.stub, rpc), request, timeout, metadata)

    async def _get(self, coll: Union[str, _names.Collection], name: str, read_mask: ReadMask,
                   timeout: Optional[float], metadata: Metadata) -> Any:
        c = _names.COLLECTIONS[coll] if isinstance(coll, str) else coll
        request = _base.get_request(c, _names.resource_name(c, name), read_mask)
        return await self._call(c.get_rpc, request, timeout, metadata)

    def _list(self, coll: _names.Collection, kwargs: Dict[str, Any],
              timeout: Optional[float], metadata: Metadata) -> AsyncListPager[Any]:
        request = _base.list_request(coll, **kwargs)

        async def fetch(page_token: str) -> Any:
            req = type(request)()
            req.CopyFrom(request)
            req.page_token = page_token
            return await self._call(coll.list_rpc, req, timeout, metadata)

        return AsyncListPager(fetch, request, coll.field)

    # -- generic access by collection --------------------------------------

    async def get(self, name: str, *, read_mask: ReadMask = None,
                  timeout: Optional[float] = None, metadata: Metadata = ()) -> Any:
        """Gets any resource by its full name, dispatching on the collection
        (see :meth:`AccordClient.get`).

        Raises:
            ValueError: the name belongs to no known collection.
        """
        if name.strip("/") == _names.CATALOG_STATUS_NAME:
            return await self.get_catalog_status(timeout=timeout, metadata=metadata)
        coll = _names.collection_of(name)
        if coll is None:
            raise ValueError(f"not an Accord resource name: {name!r} (expected e.g. "
                             "'agreements/{agreement}' or 'countries/{country}')")
        return await self._get(coll, name, read_mask, timeout, metadata)

    def list(self, collection: str, *, parent: Optional[str] = None, filter: str = "",
             order_by: str = "", page_size: int = 0, read_mask: ReadMask = None,
             page_token: str = "", timeout: Optional[float] = None,
             metadata: Metadata = ()) -> AsyncListPager[Any]:
        """Lists any collection by id; ``parent`` is the agreement for
        ``"commitments"``.

        Raises:
            KeyError: unknown collection.
        """
        coll = _names.collection(collection)
        kwargs: Dict[str, Any] = dict(filter=filter, order_by=order_by, page_size=page_size,
                                      read_mask=read_mask, page_token=page_token)
        if parent is not None:
            kwargs["parent"] = parent
        return self._list(coll, kwargs, timeout, metadata)

    # -- service-wide -----------------------------------------------------

    async def get_catalog_status(self, *, timeout: Optional[float] = None,
                                 metadata: Metadata = ()) -> catalog_pb2.CatalogStatus:
        """Describes the serving catalogue (``GetCatalogStatus``)."""
        request = accord_service_pb2.GetCatalogStatusRequest(name=_names.CATALOG_STATUS_NAME)
        return await self._call("GetCatalogStatus", request, timeout, metadata)

    async def health(self, service: str = "", *, timeout: Optional[float] = None,
                     metadata: Metadata = ()) -> health_pb2.HealthCheckResponse:
        """Asks the standard ``grpc.health.v1.Health/Check`` (``""``: the whole
        server)."""
        return await self._invoke(self._health.Check,
                                  health_pb2.HealthCheckRequest(service=service),
                                  timeout, metadata)

    async def is_serving(self, service: str = "", *, timeout: Optional[float] = None) -> bool:
        """True if the health check answers SERVING; False on any error."""
        try:
            resp = await self.health(service, timeout=timeout)
        except Exception:
            return False
        return resp.status == health_pb2.HealthCheckResponse.SERVING

    async def wait_until_serving(self, timeout: float = 30.0, service: str = "") -> None:
        """Waits until the health check answers SERVING.

        Raises:
            TimeoutError: not serving within ``timeout`` seconds.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            left = deadline - loop.time()
            if left <= 0:
                raise TimeoutError(f"{self.address} not serving after {timeout:g}s")
            try:
                resp = await self.health(service, timeout=min(left, 2.0))
                if resp.status == health_pb2.HealthCheckResponse.SERVING:
                    return
            except UnimplementedError:
                await self.get_catalog_status(timeout=min(left, 2.0))
                return
            except AccordError:
                pass
            await asyncio.sleep(min(0.1, max(0.0, deadline - loop.time())))

    # -- per collection ----------------------------------------------------

    async def get_country(self, name: str, *, read_mask: ReadMask = None,
                          timeout: Optional[float] = None, metadata: Metadata = ()
                          ) -> country_pb2.Country:
        """Gets one country (``GetCountry``).

        Args:
            name: The resource name, e.g. ``"countries/my"``, or just
                its id.
            read_mask: Fields to return, e.g. ``"name,title"`` or a list of
                paths; None returns every field.
            timeout: Deadline in seconds for this call (default: the client's).
            metadata: Extra request metadata for this call.

        Raises:
            NotFoundError: there is no such country.
            InvalidArgumentError: the name or read mask is malformed.
        """
        return await self._get("countries", name, read_mask, timeout, metadata)

    async def batch_get_countries(self, names: Iterable[str], *, read_mask: ReadMask = None,
                                  timeout: Optional[float] = None, metadata: Metadata = ()
                                  ) -> List[country_pb2.Country]:
        """Gets 1 to 100 countries in one call, in the order asked.

        ``BatchGetCountries`` is all or nothing: one missing name fails the
        whole call with NOT_FOUND.

        Args:
            names: Resource names or ids.
            read_mask: Fields to return; None returns every field.
            timeout: Deadline in seconds for this call (default: the client's).
            metadata: Extra request metadata for this call.
        """
        request = _base.batch_get_request(_names.COLLECTIONS["countries"], names, read_mask)
        resp = await self._call("BatchGetCountries", request, timeout, metadata)
        return list(resp.countries)

    def list_countries(self, *, filter: str = "", order_by: str = "", page_size: int = 0,
                       read_mask: ReadMask = None, page_token: str = "",
                       timeout: Optional[float] = None, metadata: Metadata = ()
                       ) -> AsyncListPager[country_pb2.Country]:
        """Lists countries lazily, following page tokens (``ListCountries``).

        Args:
            filter: An AIP-160 filter (docs/filtering.md); empty for all.
            order_by: e.g. ``"display_name desc"``; default ``"name"``.
            page_size: Results per RPC, 1 to 1000; 0 for the server's 50.
            read_mask: Fields to return; None returns every field.
            page_token: Resume from this ``next_page_token``.
            timeout: Deadline in seconds for each page's call.
            metadata: Extra request metadata for each call.

        Returns:
            A pager: iterate it for Country messages, or use ``.pages``
            and ``.total_size``.
        """
        return self._list(_names.COLLECTIONS["countries"], dict(
            filter=filter, order_by=order_by, page_size=page_size, read_mask=read_mask,
            page_token=page_token), timeout, metadata)

    async def get_partnership(self, name: str, *, read_mask: ReadMask = None,
                              timeout: Optional[float] = None, metadata: Metadata = ()
                              ) -> partnership_pb2.Partnership:
        """Gets one partnership (``GetPartnership``).

        Args:
            name: The resource name, e.g. ``"partnerships/my-us"``, or just
                its id.
            read_mask: Fields to return, e.g. ``"name,title"`` or a list of
                paths; None returns every field.
            timeout: Deadline in seconds for this call (default: the client's).
            metadata: Extra request metadata for this call.

        Raises:
            NotFoundError: there is no such partnership.
            InvalidArgumentError: the name or read mask is malformed.
        """
        return await self._get("partnerships", name, read_mask, timeout, metadata)

    async def batch_get_partnerships(self, names: Iterable[str], *, read_mask: ReadMask = None,
                                     timeout: Optional[float] = None, metadata: Metadata = ()
                                     ) -> List[partnership_pb2.Partnership]:
        """Gets 1 to 100 partnerships in one call, in the order asked.

        ``BatchGetPartnerships`` is all or nothing: one missing name fails the
        whole call with NOT_FOUND.

        Args:
            names: Resource names or ids.
            read_mask: Fields to return; None returns every field.
            timeout: Deadline in seconds for this call (default: the client's).
            metadata: Extra request metadata for this call.
        """
        request = _base.batch_get_request(_names.COLLECTIONS["partnerships"], names, read_mask)
        resp = await self._call("BatchGetPartnerships", request, timeout, metadata)
        return list(resp.partnerships)

    def list_partnerships(self, *, filter: str = "", order_by: str = "", page_size: int = 0,
                          read_mask: ReadMask = None, page_token: str = "",
                          timeout: Optional[float] = None, metadata: Metadata = ()
                          ) -> AsyncListPager[partnership_pb2.Partnership]:
        """Lists partnerships lazily, following page tokens (``ListPartnerships``).

        Args:
            filter: An AIP-160 filter (docs/filtering.md); empty for all.
            order_by: e.g. ``"display_name desc"``; default ``"name"``.
            page_size: Results per RPC, 1 to 1000; 0 for the server's 50.
            read_mask: Fields to return; None returns every field.
            page_token: Resume from this ``next_page_token``.
            timeout: Deadline in seconds for each page's call.
            metadata: Extra request metadata for each call.

        Returns:
            A pager: iterate it for Partnership messages, or use ``.pages``
            and ``.total_size``.
        """
        return self._list(_names.COLLECTIONS["partnerships"], dict(
            filter=filter, order_by=order_by, page_size=page_size, read_mask=read_mask,
            page_token=page_token), timeout, metadata)

    async def get_agreement(self, name: str, *, read_mask: ReadMask = None,
                            timeout: Optional[float] = None, metadata: Metadata = ()
                            ) -> agreement_pb2.Agreement:
        """Gets one agreement (``GetAgreement``).

        Args:
            name: The resource name, e.g. ``"agreements/my-us-reciprocal-trade-2025"``, or just
                its id.
            read_mask: Fields to return, e.g. ``"name,title"`` or a list of
                paths; None returns every field.
            timeout: Deadline in seconds for this call (default: the client's).
            metadata: Extra request metadata for this call.

        Raises:
            NotFoundError: there is no such agreement.
            InvalidArgumentError: the name or read mask is malformed.
        """
        return await self._get("agreements", name, read_mask, timeout, metadata)

    async def batch_get_agreements(self, names: Iterable[str], *, read_mask: ReadMask = None,
                                   timeout: Optional[float] = None, metadata: Metadata = ()
                                   ) -> List[agreement_pb2.Agreement]:
        """Gets 1 to 100 agreements in one call, in the order asked.

        ``BatchGetAgreements`` is all or nothing: one missing name fails the
        whole call with NOT_FOUND.

        Args:
            names: Resource names or ids.
            read_mask: Fields to return; None returns every field.
            timeout: Deadline in seconds for this call (default: the client's).
            metadata: Extra request metadata for this call.
        """
        request = _base.batch_get_request(_names.COLLECTIONS["agreements"], names, read_mask)
        resp = await self._call("BatchGetAgreements", request, timeout, metadata)
        return list(resp.agreements)

    def list_agreements(self, *, filter: str = "", order_by: str = "", page_size: int = 0,
                        read_mask: ReadMask = None, page_token: str = "",
                        timeout: Optional[float] = None, metadata: Metadata = ()
                        ) -> AsyncListPager[agreement_pb2.Agreement]:
        """Lists agreements lazily, following page tokens (``ListAgreements``).

        Args:
            filter: An AIP-160 filter (docs/filtering.md); empty for all.
            order_by: e.g. ``"display_name desc"``; default ``"name"``.
            page_size: Results per RPC, 1 to 1000; 0 for the server's 50.
            read_mask: Fields to return; None returns every field.
            page_token: Resume from this ``next_page_token``.
            timeout: Deadline in seconds for each page's call.
            metadata: Extra request metadata for each call.

        Returns:
            A pager: iterate it for Agreement messages, or use ``.pages``
            and ``.total_size``.
        """
        return self._list(_names.COLLECTIONS["agreements"], dict(
            filter=filter, order_by=order_by, page_size=page_size, read_mask=read_mask,
            page_token=page_token), timeout, metadata)

    async def get_commitment(self, name: Optional[str] = None, *, agreement: Optional[str] = None,
                             commitment: Optional[str] = None, read_mask: ReadMask = None,
                             timeout: Optional[float] = None, metadata: Metadata = ()
                             ) -> commitment_pb2.Commitment:
        """Gets one commitment (``GetCommitment``).

        Any of::

            get_commitment("agreements/a/commitments/c")
            get_commitment(agreement="a", commitment="c")
            get_commitment("c", agreement="agreements/a")

        Args:
            name: The full resource name, or the commitment id with ``agreement``.
            agreement: The agreement's id or name, when ``name`` is an id.
            commitment: The commitment id (instead of ``name``).
            read_mask: Fields to return; None returns every field.
            timeout: Deadline in seconds for this call (default: the client's).
            metadata: Extra request metadata for this call.

        Raises:
            NotFoundError: there is no such commitment.
            InvalidArgumentError: the name or read mask is malformed.
            ValueError: a bare id was given without ``agreement``.
        """
        full = _names.commitment_name(name, agreement=agreement, commitment=commitment)
        coll = _names.COLLECTIONS["commitments"]
        return await self._get(coll, full, read_mask, timeout, metadata)

    async def batch_get_commitments(self, names: Iterable[str], *, agreement: Optional[str] = None,
                                    read_mask: ReadMask = None, timeout: Optional[float] = None,
                                    metadata: Metadata = ()) -> List[commitment_pb2.Commitment]:
        """Gets 1 to 100 commitments at once, in the order asked
        (``BatchGetCommitments``).

        Args:
            names: Full commitment names, or ids when ``agreement`` is given.
            agreement: The parent agreement (id or name); every name must
                lie under it. None: names may span agreements.
            read_mask: Fields to return; None returns every field.
            timeout: Deadline in seconds for this call (default: the client's).
            metadata: Extra request metadata for this call.
        """
        request = _base.batch_get_request(_names.COLLECTIONS["commitments"], names, read_mask,
                                          parent=agreement)
        resp = await self._call("BatchGetCommitments", request, timeout, metadata)
        return list(resp.commitments)

    def list_commitments(self, *, agreement: Optional[str] = None, filter: str = "",
                         order_by: str = "", page_size: int = 0, read_mask: ReadMask = None,
                         page_token: str = "", timeout: Optional[float] = None,
                         metadata: Metadata = ()) -> AsyncListPager[commitment_pb2.Commitment]:
        """Lists commitments lazily, following page tokens (``ListCommitments``).

        Args:
            agreement: Only this agreement's commitments (id or name); None
                lists the commitments of every agreement (``agreements/-``).
            filter: An AIP-160 filter (docs/filtering.md); empty for all.
            order_by: e.g. ``"kind, name"``; default ``"name"``.
            page_size: Results per RPC, 1 to 1000; 0 for the server's 50.
            read_mask: Fields to return; None returns every field.
            page_token: Resume from this ``next_page_token``.
            timeout: Deadline in seconds for each page's call.
            metadata: Extra request metadata for each call.
        """
        return self._list(_names.COLLECTIONS["commitments"], dict(
            filter=filter, order_by=order_by, page_size=page_size, read_mask=read_mask,
            page_token=page_token, parent=agreement), timeout, metadata)

    async def get_cooperation_area(self, name: str, *, read_mask: ReadMask = None,
                                   timeout: Optional[float] = None, metadata: Metadata = ()
                                   ) -> cooperation_area_pb2.CooperationArea:
        """Gets one cooperation area (``GetCooperationArea``).

        Args:
            name: The resource name, e.g. ``"cooperationAreas/critical-minerals"``, or just
                its id.
            read_mask: Fields to return, e.g. ``"name,title"`` or a list of
                paths; None returns every field.
            timeout: Deadline in seconds for this call (default: the client's).
            metadata: Extra request metadata for this call.

        Raises:
            NotFoundError: there is no such cooperation area.
            InvalidArgumentError: the name or read mask is malformed.
        """
        return await self._get("cooperationAreas", name, read_mask, timeout, metadata)

    async def batch_get_cooperation_areas(self, names: Iterable[str], *, read_mask: ReadMask = None,
                                          timeout: Optional[float] = None, metadata: Metadata = ()
                                          ) -> List[cooperation_area_pb2.CooperationArea]:
        """Gets 1 to 100 cooperation areas in one call, in the order asked.

        ``BatchGetCooperationAreas`` is all or nothing: one missing name fails the
        whole call with NOT_FOUND.

        Args:
            names: Resource names or ids.
            read_mask: Fields to return; None returns every field.
            timeout: Deadline in seconds for this call (default: the client's).
            metadata: Extra request metadata for this call.
        """
        request = _base.batch_get_request(_names.COLLECTIONS["cooperationAreas"], names, read_mask)
        resp = await self._call("BatchGetCooperationAreas", request, timeout, metadata)
        return list(resp.cooperation_areas)

    def list_cooperation_areas(self, *, filter: str = "", order_by: str = "", page_size: int = 0,
                               read_mask: ReadMask = None, page_token: str = "",
                               timeout: Optional[float] = None, metadata: Metadata = ()
                               ) -> AsyncListPager[cooperation_area_pb2.CooperationArea]:
        """Lists cooperation areas lazily, following page tokens (``ListCooperationAreas``).

        Args:
            filter: An AIP-160 filter (docs/filtering.md); empty for all.
            order_by: e.g. ``"display_name desc"``; default ``"name"``.
            page_size: Results per RPC, 1 to 1000; 0 for the server's 50.
            read_mask: Fields to return; None returns every field.
            page_token: Resume from this ``next_page_token``.
            timeout: Deadline in seconds for each page's call.
            metadata: Extra request metadata for each call.

        Returns:
            A pager: iterate it for CooperationArea messages, or use ``.pages``
            and ``.total_size``.
        """
        return self._list(_names.COLLECTIONS["cooperationAreas"], dict(
            filter=filter, order_by=order_by, page_size=page_size, read_mask=read_mask,
            page_token=page_token), timeout, metadata)

    async def get_sector(self, name: str, *, read_mask: ReadMask = None,
                         timeout: Optional[float] = None, metadata: Metadata = ()
                         ) -> sector_pb2.Sector:
        """Gets one sector (``GetSector``).

        Args:
            name: The resource name, e.g. ``"sectors/semiconductors"``, or just
                its id.
            read_mask: Fields to return, e.g. ``"name,title"`` or a list of
                paths; None returns every field.
            timeout: Deadline in seconds for this call (default: the client's).
            metadata: Extra request metadata for this call.

        Raises:
            NotFoundError: there is no such sector.
            InvalidArgumentError: the name or read mask is malformed.
        """
        return await self._get("sectors", name, read_mask, timeout, metadata)

    async def batch_get_sectors(self, names: Iterable[str], *, read_mask: ReadMask = None,
                                timeout: Optional[float] = None, metadata: Metadata = ()
                                ) -> List[sector_pb2.Sector]:
        """Gets 1 to 100 sectors in one call, in the order asked.

        ``BatchGetSectors`` is all or nothing: one missing name fails the
        whole call with NOT_FOUND.

        Args:
            names: Resource names or ids.
            read_mask: Fields to return; None returns every field.
            timeout: Deadline in seconds for this call (default: the client's).
            metadata: Extra request metadata for this call.
        """
        request = _base.batch_get_request(_names.COLLECTIONS["sectors"], names, read_mask)
        resp = await self._call("BatchGetSectors", request, timeout, metadata)
        return list(resp.sectors)

    def list_sectors(self, *, filter: str = "", order_by: str = "", page_size: int = 0,
                     read_mask: ReadMask = None, page_token: str = "",
                     timeout: Optional[float] = None, metadata: Metadata = ()
                     ) -> AsyncListPager[sector_pb2.Sector]:
        """Lists sectors lazily, following page tokens (``ListSectors``).

        Args:
            filter: An AIP-160 filter (docs/filtering.md); empty for all.
            order_by: e.g. ``"display_name desc"``; default ``"name"``.
            page_size: Results per RPC, 1 to 1000; 0 for the server's 50.
            read_mask: Fields to return; None returns every field.
            page_token: Resume from this ``next_page_token``.
            timeout: Deadline in seconds for each page's call.
            metadata: Extra request metadata for each call.

        Returns:
            A pager: iterate it for Sector messages, or use ``.pages``
            and ``.total_size``.
        """
        return self._list(_names.COLLECTIONS["sectors"], dict(
            filter=filter, order_by=order_by, page_size=page_size, read_mask=read_mask,
            page_token=page_token), timeout, metadata)

    async def get_source(self, name: str, *, read_mask: ReadMask = None,
                         timeout: Optional[float] = None, metadata: Metadata = ()
                         ) -> source_pb2.Source:
        """Gets one source (``GetSource``).

        Args:
            name: The resource name, e.g. ``"sources/ustr-art-fact-sheet"``, or just
                its id.
            read_mask: Fields to return, e.g. ``"name,title"`` or a list of
                paths; None returns every field.
            timeout: Deadline in seconds for this call (default: the client's).
            metadata: Extra request metadata for this call.

        Raises:
            NotFoundError: there is no such source.
            InvalidArgumentError: the name or read mask is malformed.
        """
        return await self._get("sources", name, read_mask, timeout, metadata)

    async def batch_get_sources(self, names: Iterable[str], *, read_mask: ReadMask = None,
                                timeout: Optional[float] = None, metadata: Metadata = ()
                                ) -> List[source_pb2.Source]:
        """Gets 1 to 100 sources in one call, in the order asked.

        ``BatchGetSources`` is all or nothing: one missing name fails the
        whole call with NOT_FOUND.

        Args:
            names: Resource names or ids.
            read_mask: Fields to return; None returns every field.
            timeout: Deadline in seconds for this call (default: the client's).
            metadata: Extra request metadata for this call.
        """
        request = _base.batch_get_request(_names.COLLECTIONS["sources"], names, read_mask)
        resp = await self._call("BatchGetSources", request, timeout, metadata)
        return list(resp.sources)

    def list_sources(self, *, filter: str = "", order_by: str = "", page_size: int = 0,
                     read_mask: ReadMask = None, page_token: str = "",
                     timeout: Optional[float] = None, metadata: Metadata = ()
                     ) -> AsyncListPager[source_pb2.Source]:
        """Lists sources lazily, following page tokens (``ListSources``).

        Args:
            filter: An AIP-160 filter (docs/filtering.md); empty for all.
            order_by: e.g. ``"display_name desc"``; default ``"name"``.
            page_size: Results per RPC, 1 to 1000; 0 for the server's 50.
            read_mask: Fields to return; None returns every field.
            page_token: Resume from this ``next_page_token``.
            timeout: Deadline in seconds for each page's call.
            metadata: Extra request metadata for each call.

        Returns:
            A pager: iterate it for Source messages, or use ``.pages``
            and ``.total_size``.
        """
        return self._list(_names.COLLECTIONS["sources"], dict(
            filter=filter, order_by=order_by, page_size=page_size, read_mask=read_mask,
            page_token=page_token), timeout, metadata)

    async def get_assessment(self, name: str, *, read_mask: ReadMask = None,
                             timeout: Optional[float] = None, metadata: Metadata = ()
                             ) -> assessment_pb2.Assessment:
        """Gets one assessment (``GetAssessment``).

        Args:
            name: The resource name, e.g. ``"assessments/art-alternative-hub-to-china"``, or just
                its id.
            read_mask: Fields to return, e.g. ``"name,title"`` or a list of
                paths; None returns every field.
            timeout: Deadline in seconds for this call (default: the client's).
            metadata: Extra request metadata for this call.

        Raises:
            NotFoundError: there is no such assessment.
            InvalidArgumentError: the name or read mask is malformed.
        """
        return await self._get("assessments", name, read_mask, timeout, metadata)

    async def batch_get_assessments(self, names: Iterable[str], *, read_mask: ReadMask = None,
                                    timeout: Optional[float] = None, metadata: Metadata = ()
                                    ) -> List[assessment_pb2.Assessment]:
        """Gets 1 to 100 assessments in one call, in the order asked.

        ``BatchGetAssessments`` is all or nothing: one missing name fails the
        whole call with NOT_FOUND.

        Args:
            names: Resource names or ids.
            read_mask: Fields to return; None returns every field.
            timeout: Deadline in seconds for this call (default: the client's).
            metadata: Extra request metadata for this call.
        """
        request = _base.batch_get_request(_names.COLLECTIONS["assessments"], names, read_mask)
        resp = await self._call("BatchGetAssessments", request, timeout, metadata)
        return list(resp.assessments)

    def list_assessments(self, *, filter: str = "", order_by: str = "", page_size: int = 0,
                         read_mask: ReadMask = None, page_token: str = "",
                         timeout: Optional[float] = None, metadata: Metadata = ()
                         ) -> AsyncListPager[assessment_pb2.Assessment]:
        """Lists assessments lazily, following page tokens (``ListAssessments``).

        Args:
            filter: An AIP-160 filter (docs/filtering.md); empty for all.
            order_by: e.g. ``"display_name desc"``; default ``"name"``.
            page_size: Results per RPC, 1 to 1000; 0 for the server's 50.
            read_mask: Fields to return; None returns every field.
            page_token: Resume from this ``next_page_token``.
            timeout: Deadline in seconds for each page's call.
            metadata: Extra request metadata for each call.

        Returns:
            A pager: iterate it for Assessment messages, or use ``.pages``
            and ``.total_size``.
        """
        return self._list(_names.COLLECTIONS["assessments"], dict(
            filter=filter, order_by=order_by, page_size=page_size, read_mask=read_mask,
            page_token=page_token), timeout, metadata)
