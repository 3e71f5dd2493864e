"""Lazy iterators over List RPCs that follow ``next_page_token``.

A pager fetches a page only when iteration needs it, so breaking out of a
loop early costs no further RPC::

    for agreement in client.list_agreements(filter='parties:"countries/my"'):
        print(agreement.name)

    pager = client.list_agreements(page_size=10)
    pager.total_size        # fetches the first page if needed
    for page in pager.pages:  # one ListAgreementsResponse per RPC
        ...

The async pager is iterated with ``async for``, and awaiting it fetches the
first page (so ``(await client.list_agreements()).total_size`` works).
"""

from __future__ import annotations

from typing import (Any, AsyncIterator, Awaitable, Callable, Generator, Generic, Iterator,
                    Optional, TypeVar)

T = TypeVar("T")

__all__ = ["AsyncListPager", "ListPager"]


class ListPager(Generic[T]):
    """Iterates over every resource of a List RPC, page by page on demand.

    Iterating yields resources; :attr:`pages` yields the raw responses. Each
    iteration starts again from the first page (which is fetched once and
    kept).
    """

    def __init__(self, fetch: Callable[[str], Any], request: Any, field: str) -> None:
        """``fetch(page_token)`` performs one List RPC; ``field`` names the
        response's repeated resource field."""
        self._fetch = fetch
        self._field = field
        #: The first page's request (the page token it starts from included).
        self.request = request
        self._first: Optional[Any] = None
        self._last: Optional[Any] = None

    def _first_page(self) -> Any:
        if self._first is None:
            self._first = self._fetch(self.request.page_token)
            self._last = self._first
        return self._first

    @property
    def pages(self) -> Iterator[Any]:
        """The List responses, one per RPC, until ``next_page_token`` is empty."""
        return self._iter_pages()

    def _iter_pages(self) -> Iterator[Any]:
        page = self._first_page()
        while True:
            self._last = page
            yield page
            if not page.next_page_token:
                return
            page = self._fetch(page.next_page_token)

    def __iter__(self) -> Iterator[T]:
        for page in self._iter_pages():
            yield from getattr(page, self._field)

    @property
    def total_size(self) -> int:
        """How many resources match, over all pages (server's ``total_size``)."""
        return (self._last or self._first_page()).total_size

    @property
    def next_page_token(self) -> str:
        """The token after the most recently fetched page ("" at the end)."""
        return (self._last or self._first_page()).next_page_token

    def first_page(self) -> Any:
        """The first List response (fetched on first use)."""
        return self._first_page()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._field} filter={self.request.filter!r}>"


class AsyncListPager(Generic[T]):
    """The asyncio twin of :class:`ListPager`.

    ``async for item in pager`` yields resources, ``async for page in
    pager.pages`` the responses; ``await pager`` fetches the first page and
    returns the pager, after which :attr:`total_size` can be read.
    """

    def __init__(self, fetch: Callable[[str], Awaitable[Any]], request: Any,
                 field: str) -> None:
        """``await fetch(page_token)`` performs one List RPC."""
        self._fetch = fetch
        self._field = field
        #: The first page's request.
        self.request = request
        self._first: Optional[Any] = None
        self._last: Optional[Any] = None

    async def _first_page(self) -> Any:
        if self._first is None:
            self._first = await self._fetch(self.request.page_token)
            self._last = self._first
        return self._first

    @property
    def pages(self) -> AsyncIterator[Any]:
        """The List responses, one per RPC, until ``next_page_token`` is empty."""
        return self._iter_pages()

    async def _iter_pages(self) -> AsyncIterator[Any]:
        page = await self._first_page()
        while True:
            self._last = page
            yield page
            if not page.next_page_token:
                return
            page = await self._fetch(page.next_page_token)

    async def _iter_items(self) -> AsyncIterator[T]:
        async for page in self._iter_pages():
            for item in getattr(page, self._field):
                yield item

    def __aiter__(self) -> AsyncIterator[T]:
        return self._iter_items()

    def __await__(self) -> Generator[Any, None, "AsyncListPager[T]"]:
        async def _ready() -> "AsyncListPager[T]":
            await self._first_page()
            return self
        return _ready().__await__()

    async def first_page(self) -> Any:
        """The first List response (fetched on first use)."""
        return await self._first_page()

    async def collect(self, limit: Optional[int] = None) -> list:
        """All resources (or the first ``limit``) as a list."""
        out: list = []
        if limit is not None and limit <= 0:
            return out
        async for item in self:
            out.append(item)
            if limit is not None and len(out) >= limit:
                break
        return out

    @property
    def total_size(self) -> int:
        """``total_size`` of the fetched pages; ``await`` the pager first.

        Raises:
            RuntimeError: if no page has been fetched yet.
        """
        if self._last is None:
            raise RuntimeError("await the pager (or iterate it) before reading total_size")
        return self._last.total_size

    @property
    def next_page_token(self) -> str:
        """The token after the most recently fetched page; await the pager first."""
        if self._last is None:
            raise RuntimeError("await the pager (or iterate it) before reading next_page_token")
        return self._last.next_page_token

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._field} filter={self.request.filter!r}>"
