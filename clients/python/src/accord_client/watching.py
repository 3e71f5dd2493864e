"""Watch events: what :meth:`AccordClient.watch` yields (docs/watch.md).

Each ``WatchResponse`` of the stream becomes zero or more
:class:`WatchEvent` objects: one per record event, with the resource
unpacked to its message type, then a ``SNAPSHOT_COMPLETE`` marker where the
snapshot ends, and ``HEARTBEAT`` markers if asked for.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any, List, Optional, Union

from google.protobuf import symbol_database
from google.protobuf.message import Message

from accord_client import _base
from accord_client import reasons as _reasons
from accord_client.errors import InvalidArgumentError
from accord_client.raw import accord_service_pb2

__all__ = ["EVENT_TYPES", "WatchEvent", "events_of", "watch_request"]

#: Every ``WatchEvent.type``: the record events of ``WatchEvent.Type``, and
#: the markers this client adds.
EVENT_TYPES = ("EXISTING", "ADDED", "MODIFIED", "REMOVED", "SNAPSHOT_COMPLETE", "HEARTBEAT",
               "RESET")

#: A heartbeat interval: seconds, or a ``datetime.timedelta``.
HeartbeatInterval = Union[None, float, int, datetime.timedelta]


@dataclasses.dataclass(frozen=True)
class WatchEvent:
    """One event of a watch.

    Attributes:
        type: ``"EXISTING"`` (a record of the initial snapshot), ``"ADDED"``,
            ``"MODIFIED"``, ``"REMOVED"`` (a record that a reload added,
            changed or removed, or that started or stopped matching the
            filter); or a marker: ``"SNAPSHOT_COMPLETE"`` (the copy built
            from EXISTING events is complete), ``"HEARTBEAT"`` (only with
            ``heartbeats=True``), ``"RESET"`` (the connection broke during the
            snapshot: drop the copy, a new snapshot follows).
        name: The record's resource name; ``""`` for markers.
        resource: The record, unpacked to its message type (e.g.
            ``accord.v1.Agreement``); None for REMOVED and markers.
        catalog_version: The catalogue version this event belongs to.
        resume_token: Set on the last event of each response of the stream
            (``""`` on the others): pass it as ``resume_token=`` to continue
            after that event once this iterator is gone.
        version_complete: True on the last event of a catalogue version for
            this watch: the copy is then exactly that version's.
    """

    type: str
    name: str
    resource: Optional[Message]
    catalog_version: str
    resume_token: str = ""
    version_complete: bool = False


def _unpack(any_msg: Any) -> Message:
    full_name = any_msg.type_url.rsplit("/", 1)[-1]
    cls = symbol_database.Default().GetSymbol(full_name)
    msg: Message = cls()
    msg.ParseFromString(any_msg.value)
    return msg


def events_of(resp: accord_service_pb2.WatchResponse, heartbeats: bool) -> List[WatchEvent]:
    """The events of one ``WatchResponse``, markers included."""
    out: List[WatchEvent] = []
    type_names = accord_service_pb2.WatchEvent.Type.Name
    for e in resp.events:
        resource = _unpack(e.resource) if e.HasField("resource") else None
        out.append(WatchEvent(type_names(e.type), e.name, resource, resp.catalog_version))
    if resp.snapshot_complete:
        out.append(WatchEvent("SNAPSHOT_COMPLETE", "", None, resp.catalog_version))
    if resp.heartbeat and heartbeats:
        out.append(WatchEvent("HEARTBEAT", "", None, resp.catalog_version))
    if out:
        out[-1] = dataclasses.replace(out[-1], resume_token=resp.resume_token,
                                      version_complete=resp.version_complete)
    return out


def watch_request(collection: Any, filter: Any, snapshot: Any, resume_token: Any,
                  heartbeat_interval: HeartbeatInterval) -> accord_service_pb2.WatchRequest:
    """Builds a ``WatchRequest``; ``collection`` is a known collection id or
    ``"-"`` for every collection.

    Raises:
        InvalidArgumentError: an unknown collection (``UNKNOWN_COLLECTION``,
            with a "did you mean"), a value of the wrong type
            (``INVALID_TYPE``) or a negative heartbeat interval
            (``OUT_OF_RANGE``).
    """
    coll = _base.check_str(collection, "collection")
    if coll != "-":
        coll = _base.collection(coll).id
    req = accord_service_pb2.WatchRequest(
        collection=coll, filter=_base.check_str(filter or "", "filter"),
        skip_snapshot=not snapshot,
        resume_token=_base.check_str(resume_token or "", "resume_token"))
    if heartbeat_interval is not None:
        seconds = (heartbeat_interval.total_seconds()
                   if isinstance(heartbeat_interval, datetime.timedelta) else heartbeat_interval)
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
            raise InvalidArgumentError.client_side(
                "heartbeat_interval", "heartbeat_interval must be seconds or a timedelta",
                _reasons.INVALID_TYPE)
        if seconds < 0:
            raise InvalidArgumentError.client_side(
                "heartbeat_interval", "heartbeat_interval must not be negative",
                _reasons.OUT_OF_RANGE)
        req.heartbeat_interval.FromTimedelta(datetime.timedelta(seconds=seconds))
    return req
