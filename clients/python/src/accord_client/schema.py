"""The fields a List filter and order_by can use, per collection.

Derived from the resource messages, by the rules the server's schemas follow
(``docs/filtering.md`` lists the same; a test compares the two):

* every scalar field is a field; a nested message's fields are reached with
  dots (``events.date``); an ``accord.v1.Date`` is one field of type date;
* a field that is, or lies under, a repeated field is *repeated* (``:`` and
  ``=`` match any value) and cannot be sorted on; every other field can;
* a parent collection also filters on its nested collection's fields, under
  its id (``agreements``: ``commitments.kind``), except ``name`` and the
  reference back to the parent.

``accord fields agreements`` prints this table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, List, Tuple

from google.protobuf.descriptor import FieldDescriptor

from accord_client import names as _names
from accord_client.data import is_repeated
from accord_client.raw import accord_service_pb2

__all__ = ["FilterField", "fields"]


@dataclass(frozen=True)
class FilterField:
    """One field of a collection's filter language."""

    #: The path, e.g. ``"events.date"``.
    path: str
    #: ``string``, ``bool``, ``integer``, ``date`` or ``enum``.
    type: str
    #: For enums, the value names (without the zero "unspecified" value).
    values: Tuple[str, ...]
    #: Holds many values (is or lies under a repeated field).
    repeated: bool

    @property
    def sortable(self) -> bool:
        """Whether ``order_by`` can use it."""
        return not self.repeated

    @property
    def type_text(self) -> str:
        """The type as docs/filtering.md writes it: ``enum: A, B`` for enums."""
        return f"enum: {', '.join(self.values)}" if self.type == "enum" else self.type


_INTS = {FieldDescriptor.TYPE_INT32, FieldDescriptor.TYPE_INT64, FieldDescriptor.TYPE_UINT32,
         FieldDescriptor.TYPE_UINT64, FieldDescriptor.TYPE_SINT32, FieldDescriptor.TYPE_SINT64}


def _walk(desc: Any, prefix: str, repeated: bool, skip: Tuple[str, ...] = ()
          ) -> List[FilterField]:
    out: List[FilterField] = []
    for f in desc.fields:
        if f.name in skip:
            continue
        path = prefix + f.name
        rep = repeated or is_repeated(f)
        if f.type == FieldDescriptor.TYPE_MESSAGE:
            if f.message_type.full_name == "accord.v1.Date":
                out.append(FilterField(path, "date", (), rep))
            elif not f.message_type.GetOptions().map_entry:
                out += _walk(f.message_type, path + ".", rep)
        elif f.type == FieldDescriptor.TYPE_ENUM:
            vals = tuple(v.name for v in f.enum_type.values if v.number != 0)
            out.append(FilterField(path, "enum", vals, rep))
        elif f.type == FieldDescriptor.TYPE_BOOL:
            out.append(FilterField(path, "bool", (), rep))
        elif f.type in _INTS:
            out.append(FilterField(path, "integer", (), rep))
        elif f.type == FieldDescriptor.TYPE_STRING:
            out.append(FilterField(path, "string", (), rep))
    return out


def message_descriptor(coll: _names.Collection) -> Any:
    """The resource message's descriptor."""
    resp = accord_service_pb2.DESCRIPTOR.message_types_by_name[f"List{coll.plural}Response"]
    return resp.fields_by_name[coll.field].message_type


def fields(collection: str) -> List[FilterField]:
    """The filterable fields of a collection (by id or alias), in the
    message's order, then those of its nested collections.

    Raises:
        KeyError: an unknown collection.
    """
    coll = _names.collection(collection)
    out = _walk(message_descriptor(coll), "", False)
    for child in _names.COLLECTIONS.values():
        if child.parent == coll.id:
            out += _walk(message_descriptor(child), child.field + ".", True,
                         skip=("name", coll.singular))
    return out
