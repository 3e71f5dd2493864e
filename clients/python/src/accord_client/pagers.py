"""Lazy iterators over List RPCs that follow ``next_page_token``.

A pager fetches a page only when iteration needs it, so breaking out of a
loop early costs no further RPC::

    for agreement in client.list_agreements(filter='parties:"countries/my"'):
        print(agreement.name)

    pager = client.list_agreements(page_size=10)
    pager.total_size        # fetches the first page if needed
    for page in pager.pages:  # one ListAgreementsResponse per RPC
        ...
    pager.to_rows()         # every resource as a dict of Python values
    pager.to_dataframe()    # the same as a pandas DataFrame (extra "pandas")

The async pager is iterated with ``async for``, and awaiting it fetches the
first page (so ``(await client.list_agreements()).total_size`` works).

Both are generic in the resource type ``T`` and the List response type ``R``,
so type checkers know what iteration, :attr:`~ListPager.pages` and
:meth:`~ListPager.first_page` give.
"""

from __future__ import annotations

import itertools
from typing import (TYPE_CHECKING, Any, AsyncIterator, Awaitable, Callable, Dict, Generator,
                    Generic, Iterator, List, Optional, Sequence, TypeVar)

from google.protobuf.message import Message

from accord_client import data as _data

if TYPE_CHECKING:  # pragma: no cover
    import pandas

T = TypeVar("T", bound=Message)
R = TypeVar("R", bound=Message)

__all__ = ["AsyncListPager", "ListPager"]


def _dataframe(rows: List[Dict[str, Any]], columns: Optional[Sequence[str]]) -> "pandas.DataFrame":
    try:
        import pandas
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("to_dataframe() needs pandas: pip install 'accord-client[pandas]'"
                          ) from e
    return pandas.DataFrame.from_records(rows, columns=list(columns) if columns else None)


class ListPager(Generic[T, R]):
    """Iterates over every resource of a List RPC, page by page on demand.

    Iterating yields resources; :attr:`pages` yields the raw responses. Each
    iteration starts again from the first page (which is fetched once and
    kept).
    """

    def __init__(self, fetch: Callable[[str], R], request: Message,
                 items: Callable[[R], Sequence[T]], field: str) -> None:
        """``fetch(page_token)`` performs one List RPC; ``items(response)``
        is its resources; ``field`` names that repeated field."""
        self._fetch = fetch
        self._items = items
        self._field = field
        #: The first page's request (the page token it starts from included).
        self.request = request
        self._first: Optional[R] = None
        self._last: Optional[R] = None

    def _first_page(self) -> R:
        if self._first is None:
            self._first = self._fetch(getattr(self.request, "page_token"))
            self._last = self._first
        return self._first

    @property
    def pages(self) -> Iterator[R]:
        """The List responses, one per RPC, until ``next_page_token`` is empty."""
        return self._iter_pages()

    def _iter_pages(self) -> Iterator[R]:
        page = self._first_page()
        while True:
            self._last = page
            yield page
            token: str = getattr(page, "next_page_token")
            if not token:
                return
            page = self._fetch(token)

    def __iter__(self) -> Iterator[T]:
        for page in self._iter_pages():
            yield from self._items(page)

    @property
    def total_size(self) -> int:
        """How many resources match, over all pages (server's ``total_size``)."""
        n: int = getattr(self._last or self._first_page(), "total_size")
        return n

    @property
    def next_page_token(self) -> str:
        """The token after the most recently fetched page ("" at the end)."""
        token: str = getattr(self._last or self._first_page(), "next_page_token")
        return token

    def first_page(self) -> R:
        """The first List response (fetched on first use)."""
        return self._first_page()

    def collect(self, limit: Optional[int] = None) -> List[T]:
        """All resources (or the first ``limit``; None: all) as a list."""
        return list(self if limit is None else itertools.islice(self, max(0, limit)))

    def to_rows(self, columns: Optional[Sequence[str]] = None,
                limit: Optional[int] = None) -> List[Dict[str, Any]]:
        """The resources as rows of Python values (:func:`accord_client.to_row`):
        dates as ``datetime.date`` (or ``"YYYY[-MM]"`` text when less
        precise), enums by name."""
        return _data.rows(self.collect(limit), columns)

    def to_dataframe(self, columns: Optional[Sequence[str]] = None,
                     limit: Optional[int] = None) -> "pandas.DataFrame":
        """:meth:`to_rows` as a ``pandas.DataFrame``, one column per field.

        Raises:
            ImportError: pandas is not installed (``pip install
                'accord-client[pandas]'``).
        """
        return _dataframe(self.to_rows(columns, limit), columns)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._field} filter={getattr(self.request, 'filter')!r}>"


class AsyncListPager(Generic[T, R]):
    """The asyncio twin of :class:`ListPager`.

    ``async for item in pager`` yields resources, ``async for page in
    pager.pages`` the responses; ``await pager`` fetches the first page and
    returns the pager, after which :attr:`total_size` can be read.
    """

    def __init__(self, fetch: Callable[[str], Awaitable[R]], request: Message,
                 items: Callable[[R], Sequence[T]], field: str) -> None:
        """``await fetch(page_token)`` performs one List RPC."""
        self._fetch = fetch
        self._items = items
        self._field = field
        #: The first page's request.
        self.request = request
        self._first: Optional[R] = None
        self._last: Optional[R] = None

    async def _first_page(self) -> R:
        if self._first is None:
            self._first = await self._fetch(getattr(self.request, "page_token"))
            self._last = self._first
        return self._first

    @property
    def pages(self) -> AsyncIterator[R]:
        """The List responses, one per RPC, until ``next_page_token`` is empty."""
        return self._iter_pages()

    async def _iter_pages(self) -> AsyncIterator[R]:
        page = await self._first_page()
        while True:
            self._last = page
            yield page
            token: str = getattr(page, "next_page_token")
            if not token:
                return
            page = await self._fetch(token)

    async def _iter_items(self) -> AsyncIterator[T]:
        async for page in self._iter_pages():
            for item in self._items(page):
                yield item

    def __aiter__(self) -> AsyncIterator[T]:
        return self._iter_items()

    def __await__(self) -> Generator[Any, None, "AsyncListPager[T, R]"]:
        async def _ready() -> "AsyncListPager[T, R]":
            await self._first_page()
            return self
        return _ready().__await__()

    async def first_page(self) -> R:
        """The first List response (fetched on first use)."""
        return await self._first_page()

    async def collect(self, limit: Optional[int] = None) -> List[T]:
        """All resources (or the first ``limit``) as a list."""
        out: List[T] = []
        if limit is not None and limit <= 0:
            return out
        async for item in self:
            out.append(item)
            if limit is not None and len(out) >= limit:
                break
        return out

    async def to_rows(self, columns: Optional[Sequence[str]] = None,
                      limit: Optional[int] = None) -> List[Dict[str, Any]]:
        """See :meth:`ListPager.to_rows`."""
        return _data.rows(await self.collect(limit), columns)

    async def to_dataframe(self, columns: Optional[Sequence[str]] = None,
                           limit: Optional[int] = None) -> "pandas.DataFrame":
        """See :meth:`ListPager.to_dataframe`."""
        return _dataframe(await self.to_rows(columns, limit), columns)

    @property
    def total_size(self) -> int:
        """``total_size`` of the fetched pages; ``await`` the pager first.

        Raises:
            RuntimeError: if no page has been fetched yet.
        """
        if self._last is None:
            raise RuntimeError("await the pager (or iterate it) before reading total_size")
        n: int = getattr(self._last, "total_size")
        return n

    @property
    def next_page_token(self) -> str:
        """The token after the most recently fetched page; await the pager first."""
        if self._last is None:
            raise RuntimeError("await the pager (or iterate it) before reading next_page_token")
        token: str = getattr(self._last, "next_page_token")
        return token

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._field} filter={getattr(self.request, 'filter')!r}>"
