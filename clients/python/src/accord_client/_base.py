"""Shared by the sync and async clients: channel options, metadata, requests."""

from __future__ import annotations

import json
import os
from typing import Any, Callable, Iterable, List, Optional, Sequence, Tuple, Union

from accord_client import names as _names
from accord_client.raw import accord_service_pb2

#: Used when neither ``address`` nor ``$ACCORD_ADDRESS`` is given; the
#: server's default listen address.
DEFAULT_ADDRESS = "127.0.0.1:50051"
#: Default per-call deadline in seconds.
DEFAULT_TIMEOUT = 10.0
SERVICE = "accord.v1.AccordService"
HEALTH_SERVICE = "grpc.health.v1.Health"
VERSION = "0.1.0"

#: A bearer token, or a callable returning one (called before every RPC, so it
#: can refresh).
Token = Union[str, Callable[[], str], None]
Metadata = Sequence[Tuple[str, str]]

#: gRPC retry policy: UNAVAILABLE (server restarting, connection refused,
#: connection reset) is retried up to 3 more times with exponential backoff.
#: Everything Accord serves is read-only, so retrying is always safe.
RETRY_POLICY = {
    "maxAttempts": 4,
    "initialBackoff": "0.1s",
    "maxBackoff": "1s",
    "backoffMultiplier": 2,
    "retryableStatusCodes": ["UNAVAILABLE"],
}


def default_address() -> str:
    """``$ACCORD_ADDRESS`` if set, else ``127.0.0.1:50051``."""
    return os.environ.get("ACCORD_ADDRESS") or DEFAULT_ADDRESS


def service_config(retry: bool = True) -> str:
    """The JSON service config passed as the ``grpc.service_config`` option."""
    cfg: dict = {"methodConfig": [{
        "name": [{"service": SERVICE}, {"service": HEALTH_SERVICE}],
    }]}
    if retry:
        cfg["methodConfig"][0]["retryPolicy"] = RETRY_POLICY
    return json.dumps(cfg)


def channel_options(extra: Iterable[Tuple[str, Any]] = (), retry: bool = True
                    ) -> List[Tuple[str, Any]]:
    """Channel options: retries via service config, user agent, 64 MiB replies.

    ``extra`` options win over these defaults.
    """
    opts = {
        "grpc.enable_retries": 1 if retry else 0,
        "grpc.service_config": service_config(retry),
        "grpc.primary_user_agent": f"accord-python/{VERSION}",
        "grpc.max_receive_message_length": 64 * 1024 * 1024,
    }
    for k, v in extra:
        opts[k] = v
    return list(opts.items())


class CallConfig:
    """Deadline and metadata shared by every call of one client."""

    def __init__(self, token: Token, timeout: Optional[float],
                 metadata: Metadata = ()) -> None:
        if timeout is not None and timeout <= 0:
            raise ValueError("timeout must be positive, or None for no deadline")
        self.token = token
        self.timeout = timeout
        self.metadata: List[Tuple[str, str]] = [(k.lower(), v) for k, v in metadata]

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
        return self.timeout if timeout is None else timeout


def _mask_kw(read_mask: _names.ReadMask) -> dict:
    mask = _names.field_mask(read_mask)
    return {} if mask is None else {"read_mask": mask}


def get_request(coll: _names.Collection, name: str, read_mask: _names.ReadMask) -> Any:
    """Builds ``Get<Message>Request``."""
    cls = getattr(accord_service_pb2, f"{coll.get_rpc}Request")
    return cls(name=name, **_mask_kw(read_mask))


def batch_get_request(coll: _names.Collection, names: Iterable[str],
                      read_mask: _names.ReadMask, parent: Optional[str] = None) -> Any:
    """Builds ``BatchGet<Plural>Request`` with full names."""
    if isinstance(names, str):
        raise TypeError("names must be a list of names, not a single str")
    cls = getattr(accord_service_pb2, f"{coll.batch_get_rpc}Request")
    kw = _mask_kw(read_mask)
    if coll.parent is not None:
        full = [_names.commitment_name(n, agreement=parent) if parent and "/" not in n
                else _names.commitment_name(n) for n in names]
        if parent:
            kw["parent"] = _names.agreement_name(parent)
    else:
        full = [_names.resource_name(coll, n) for n in names]
    return cls(names=full, **kw)


def list_request(coll: _names.Collection, *, filter: str = "", order_by: str = "",
                 page_size: int = 0, read_mask: _names.ReadMask = None,
                 page_token: str = "", parent: Optional[str] = None) -> Any:
    """Builds ``List<Plural>Request``."""
    cls = getattr(accord_service_pb2, f"{coll.list_rpc}Request")
    kw = _mask_kw(read_mask)
    if parent is not None:
        if coll.parent is None:
            raise TypeError(f"{coll.id} have no parent")
        kw["parent"] = _names.agreement_name(parent)
    return cls(filter=filter or "", order_by=order_by or "", page_size=page_size or 0,
               page_token=page_token or "", **kw)
