"""Python client for the Accord API (``accord.v1.AccordService``).

::

    from accord_client import AccordClient, NotFoundError

    with AccordClient("127.0.0.1:50051") as client:
        art = client.get_agreement("my-us-reciprocal-trade-2025")
        print(art.short_title, list(art.parties))
        for a in client.list_agreements(filter='parties:"countries/my"'):
            print(a.name, a.title)

* :class:`AccordClient` / :class:`AsyncAccordClient`: one method per RPC,
  ids or full resource names accepted, lazy paging, retries on UNAVAILABLE
  with a total deadline (:class:`Retry`).
* :func:`to_dict`, :func:`to_json`, :func:`to_date`, :func:`enum_name`,
  :func:`to_row`: messages as plain data (:mod:`accord_client.data`).
* :mod:`accord_client.reasons`: the ``ErrorInfo.reason`` constants.
* :mod:`accord_client.errors`: :class:`AccordError` and one subclass per gRPC
  status code, carrying the server's ``ErrorInfo`` and ``BadRequest``.
* :mod:`accord_client.raw`: the generated ``*_pb2`` / ``*_pb2_grpc`` modules.
* :mod:`accord_client.names`: resource-name helpers.
* The ``accord`` command-line tool (:mod:`accord_client.cli`).
"""

from typing import TYPE_CHECKING, Any

from accord_client._version import VERSION

#: The package version.
__version__ = VERSION

if TYPE_CHECKING:  # pragma: no cover - what the lazy imports below provide
    from accord_client import reasons
    from accord_client._base import DEFAULT_ADDRESS, DEFAULT_TIMEOUT
    from accord_client.aio import AsyncAccordClient
    from accord_client.client import AccordClient
    from accord_client.errors import (
        AbortedError,
        AccordError,
        AlreadyExistsError,
        CancelledError,
        DataLossError,
        DeadlineExceededError,
        FailedPreconditionError,
        InternalError,
        InvalidArgumentError,
        NotFoundError,
        OutOfRangeError,
        PermissionDeniedError,
        ResourceExhaustedError,
        UnauthenticatedError,
        UnavailableError,
        UnimplementedError,
        UnknownError,
        WatchExpiredError,
    )
    from accord_client.data import enum_name, to_date, to_dict, to_json, to_row
    from accord_client.pagers import AsyncListPager, ListPager
    from accord_client.retry import DEFAULT_RETRY, Retry
    from accord_client.types import Resource
    from accord_client.watching import WatchEvent



# The names are imported on first use (PEP 562), so that `import
# accord_client.<module>` does not load grpc before the CLI has configured
# its logging.
_LAZY = {
    "reasons": "accord_client.reasons",
    "DEFAULT_ADDRESS": "accord_client._base", "DEFAULT_TIMEOUT": "accord_client._base",
    "AsyncAccordClient": "accord_client.aio", "AccordClient": "accord_client.client",
    "enum_name": "accord_client.data", "to_date": "accord_client.data",
    "to_dict": "accord_client.data", "to_json": "accord_client.data",
    "to_row": "accord_client.data",
    "AsyncListPager": "accord_client.pagers", "ListPager": "accord_client.pagers",
    "DEFAULT_RETRY": "accord_client.retry", "Retry": "accord_client.retry",
    "Resource": "accord_client.types",
    "WatchEvent": "accord_client.watching",
}


def __getattr__(name: str) -> Any:
    import importlib

    if name in _LAZY:
        mod = importlib.import_module(_LAZY[name])
        value = mod if name == "reasons" else getattr(mod, name)
    elif name.endswith("Error"):
        value = getattr(importlib.import_module("accord_client.errors"), name)
    else:
        raise AttributeError(f"module 'accord_client' has no attribute {name!r}")
    globals()[name] = value
    return value


__all__ = [
    "AbortedError",
    "AccordClient",
    "AccordError",
    "AlreadyExistsError",
    "AsyncAccordClient",
    "AsyncListPager",
    "CancelledError",
    "DEFAULT_ADDRESS",
    "DEFAULT_RETRY",
    "DEFAULT_TIMEOUT",
    "DataLossError",
    "DeadlineExceededError",
    "FailedPreconditionError",
    "InternalError",
    "InvalidArgumentError",
    "ListPager",
    "NotFoundError",
    "OutOfRangeError",
    "PermissionDeniedError",
    "Resource",
    "Retry",
    "ResourceExhaustedError",
    "UnauthenticatedError",
    "UnavailableError",
    "UnimplementedError",
    "UnknownError",
    "WatchEvent",
    "WatchExpiredError",
    "__version__",
    "enum_name",
    "reasons",
    "to_date",
    "to_dict",
    "to_json",
    "to_row",
]
