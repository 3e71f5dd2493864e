"""Accord messages as plain Python data: dicts, JSON, rows and dates.

::

    from accord_client import to_dict, to_json, to_date, enum_name

    art = client.get_agreement("my-us-reciprocal-trade-2025")
    to_date(art.sign_date)       # datetime.date(2025, 10, 26)
    enum_name(art, "kind")       # "TRADE_AGREEMENT"
    to_dict(art)["sign_date"]    # "2025-10-26"   (snake_case keys by default)
    to_json(art, proto_names=False)   # camelCase keys, like the proto3 JSON mapping

Conventions (used by the CLI's json, yaml and csv output too):

* Enums are their value names. Integers, including 64-bit ones, are numbers
  (the proto3 JSON mapping would make int64 a string).
* An ``accord.v1.Date`` is written with exactly its precision: ``"2025"``,
  ``"2025-10"`` or ``"2025-10-26"``. :func:`to_date` gives a
  ``datetime.date`` only for a day-precise date and that text otherwise, so
  precision is never invented.
* Timestamps are RFC 3339 text in :func:`to_dict` and ``datetime`` (UTC) in
  :func:`to_row`; a ``FieldMask`` is its comma-separated paths.
* Unset fields are left out, unless ``emit_defaults=True``: then every field
  appears, with its default (``0``, ``""``, ``false``, ``[]``, the enum's zero
  name) or ``None`` for an unset message.
"""

from __future__ import annotations

import base64
import datetime
import json
from typing import Any, Dict, List, Optional, Sequence, Union

from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

__all__ = ["DateValue", "enum_name", "to_date", "to_dict", "to_json", "to_row", "date_text"]

#: What :func:`to_date` returns: a ``datetime.date`` for a day-precise date,
#: ``"YYYY"`` / ``"YYYY-MM"`` for a coarser one, None for an empty one.
DateValue = Union[datetime.date, str, None]

_DATE = "accord.v1.Date"
_TIMESTAMP = "google.protobuf.Timestamp"
_DURATION = "google.protobuf.Duration"
_FIELD_MASK = "google.protobuf.FieldMask"


def date_text(date: Message) -> str:
    """An ``accord.v1.Date`` as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (its
    precision), or ``""`` when empty."""
    y, m, d = getattr(date, "year"), getattr(date, "month"), getattr(date, "day")
    if not y:
        return ""
    precision = getattr(date, "precision", 0)
    # Precision: 1 YEAR, 2 MONTH, 3 DAY; unspecified: as many parts as set.
    if precision == 1 or (precision == 0 and not m):
        return f"{y:04d}"
    if precision == 2 or (precision == 0 and not d):
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


def to_date(date: Message) -> DateValue:
    """An ``accord.v1.Date`` as a ``datetime.date`` if it is precise to the
    day, as ``"YYYY"``/``"YYYY-MM"`` text if it is coarser, or None if empty.
    """
    text = date_text(date)
    if len(text) == 10:
        return datetime.date.fromisoformat(text)
    return text or None


def enum_name(msg: Message, field: str) -> str:
    """The name of an enum field's value, e.g. ``enum_name(c, "kind")`` ->
    ``"MARKET_ACCESS"`` (the number as text if the value has no name)."""
    fd = msg.DESCRIPTOR.fields_by_name[field]
    if fd.enum_type is None:
        raise TypeError(f"{msg.DESCRIPTOR.full_name}.{field} is not an enum field")
    value = getattr(msg, field)
    ev = fd.enum_type.values_by_number.get(value)
    return ev.name if ev is not None else str(value)


def is_repeated(field: Any) -> bool:
    """Whether a field is repeated (``label`` is deprecated in newer protobuf)."""
    if hasattr(type(field), "is_repeated"):
        return bool(getattr(field, "is_repeated"))
    return bool(getattr(field, "label") == FieldDescriptor.LABEL_REPEATED)


def _is_map(field: Any) -> bool:
    return bool(field.type == FieldDescriptor.TYPE_MESSAGE
                and field.message_type.GetOptions().map_entry)


def _scalar(field: Any, value: Any, python: bool) -> Any:
    if field.type == FieldDescriptor.TYPE_ENUM:
        ev = field.enum_type.values_by_number.get(value)
        return ev.name if ev is not None else value
    if field.type == FieldDescriptor.TYPE_BYTES:
        return value if python else base64.b64encode(value).decode("ascii")
    if field.type in (FieldDescriptor.TYPE_FLOAT, FieldDescriptor.TYPE_DOUBLE):
        if not python and (value != value or value in (float("inf"), float("-inf"))):
            return str(value)
    return value


def _message(msg: Message, proto_names: bool, emit_defaults: bool, python: bool) -> Any:
    full = msg.DESCRIPTOR.full_name
    if full == _DATE:
        return to_date(msg) if python else date_text(msg)
    if full == _TIMESTAMP:
        if python:
            return getattr(msg, "ToDatetime")(tzinfo=datetime.timezone.utc)
        return getattr(msg, "ToJsonString")()
    if full == _DURATION:
        return getattr(msg, "ToTimedelta")() if python else getattr(msg, "ToJsonString")()
    if full == _FIELD_MASK:
        return ",".join(getattr(msg, "paths"))
    return _fields(msg, proto_names, emit_defaults, python)


def _value(field: Any, value: Any, proto_names: bool, emit_defaults: bool,
           python: bool) -> Any:
    if _is_map(field):
        vf = field.message_type.fields_by_name["value"]
        return {k if python else str(k): _value(vf, value[k], proto_names, emit_defaults, python)
                for k in sorted(value)}
    if is_repeated(field):
        return [_one(field, v, proto_names, emit_defaults, python) for v in value]
    return _one(field, value, proto_names, emit_defaults, python)


def _one(field: Any, value: Any, proto_names: bool, emit_defaults: bool,
         python: bool) -> Any:
    if field.type == FieldDescriptor.TYPE_MESSAGE:
        return _message(value, proto_names, emit_defaults, python)
    return _scalar(field, value, python)


def _fields(msg: Message, proto_names: bool, emit_defaults: bool, python: bool,
            only: Optional[Sequence[str]] = None) -> Dict[str, Any]:
    desc: Any = msg.DESCRIPTOR
    out: Dict[str, Any] = {}
    fields = ([desc.fields_by_name[n] for n in only if n in desc.fields_by_name]
              if only is not None else list(desc.fields))
    set_fields = {f.name for f, _ in msg.ListFields()}
    for f in fields:
        key = f.name if proto_names else f.json_name
        if f.name in set_fields:
            out[key] = _value(f, getattr(msg, f.name), proto_names, emit_defaults, python)
        elif emit_defaults or only is not None:
            if (f.type == FieldDescriptor.TYPE_MESSAGE and not is_repeated(f)
                    and not _is_map(f)):
                out[key] = None
            else:
                out[key] = _value(f, getattr(msg, f.name), proto_names, emit_defaults, python)
    return out


def to_dict(msg: Message, *, proto_names: bool = True,
            emit_defaults: bool = False) -> Dict[str, Any]:
    """A message as JSON-ready data (see the module's conventions).

    Args:
        proto_names: Keys as in the .proto (``sign_date``, the default, as
            filters, read masks, tables and CSV use), or the proto3 JSON
            mapping's lowerCamelCase (``signDate``) when False.
        emit_defaults: Include unset fields with their default values.
    """
    return _fields(msg, proto_names, emit_defaults, python=False)


def to_json(value: Union[Message, Sequence[Message], Any], *, proto_names: bool = True,
            emit_defaults: bool = False, indent: Optional[int] = 2) -> str:
    """JSON text for a message, a list of messages, or data from
    :func:`to_dict` (non-ASCII kept, ending in a newline)."""
    def conv(v: Any) -> Any:
        if isinstance(v, Message):
            return to_dict(v, proto_names=proto_names, emit_defaults=emit_defaults)
        if isinstance(v, (list, tuple)) or type(v).__name__.startswith("Repeated"):
            return [conv(x) for x in v]
        return v
    return json.dumps(conv(value), indent=indent, ensure_ascii=False) + "\n"


def to_row(msg: Message, columns: Optional[Sequence[str]] = None) -> Dict[str, Any]:
    """One message as a flat row of Python values, for tables and DataFrames.

    Keys are field names (``columns`` picks and orders them; default: every
    field). Dates are :data:`DateValue`, timestamps ``datetime``, enums
    names, repeated fields lists, nested messages dicts; an unset field is its
    default (None for a message).
    """
    return _fields(msg, True, False, python=True,
                   only=list(columns) if columns is not None else
                   [f.name for f in msg.DESCRIPTOR.fields])


def rows(msgs: Sequence[Message], columns: Optional[Sequence[str]] = None
         ) -> List[Dict[str, Any]]:
    """:func:`to_row` of each message."""
    return [to_row(m, columns) for m in msgs]
