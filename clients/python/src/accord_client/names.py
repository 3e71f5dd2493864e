"""Accord's collections and resource names (AIP-122).

=====================  ====================================================
collection             resource name pattern
=====================  ====================================================
``countries``          ``countries/{country}``
``partnerships``       ``partnerships/{partnership}``
``agreements``         ``agreements/{agreement}``
``commitments``        ``agreements/{agreement}/commitments/{commitment}``
``cooperationAreas``   ``cooperationAreas/{cooperation_area}``
``sectors``            ``sectors/{sector}``
``sources``            ``sources/{source}``
``assessments``        ``assessments/{assessment}``
=====================  ====================================================

The client accepts either a full name or, where that is unambiguous, a bare
id: ``"my-us-reciprocal-trade-2025"`` is taken as
``"agreements/my-us-reciprocal-trade-2025"`` by ``get_agreement``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from google.protobuf import field_mask_pb2

__all__ = [
    "COLLECTIONS",
    "CATALOG_STATUS_NAME",
    "Collection",
    "ReadMask",
    "agreement_name",
    "collection",
    "collection_of",
    "commitment_name",
    "field_mask",
    "resource_name",
]

#: The name of the catalogue-status singleton.
CATALOG_STATUS_NAME = "catalogStatus"

#: A read mask as accepted by the client: ``"name,title"``, ``["name", "title"]``
#: or a ``google.protobuf.FieldMask``. None or empty: every field.
ReadMask = Union[str, Sequence[str], field_mask_pb2.FieldMask, None]


@dataclass(frozen=True)
class Collection:
    """One collection of the API and the names of its RPCs and fields."""

    #: Collection id as it appears in resource names, e.g. "cooperationAreas".
    id: str
    #: Message name, e.g. "CooperationArea" (also the Get RPC's suffix).
    message: str
    #: Plural used in BatchGet/List RPC names, e.g. "CooperationAreas".
    plural: str
    #: The repeated field in BatchGet/List responses, e.g. "cooperation_areas".
    field: str
    #: The Python method stem, e.g. "cooperation_area" (get_cooperation_area).
    singular: str
    #: The parent collection's id for nested collections ("agreements").
    parent: Optional[str] = None

    @property
    def get_rpc(self) -> str:
        """The Get RPC's name, e.g. ``GetAgreement``."""
        return f"Get{self.message}"

    @property
    def batch_get_rpc(self) -> str:
        """The BatchGet RPC's name, e.g. ``BatchGetAgreements``."""
        return f"BatchGet{self.plural}"

    @property
    def list_rpc(self) -> str:
        """The List RPC's name, e.g. ``ListAgreements``."""
        return f"List{self.plural}"

    @property
    def method_plural(self) -> str:
        """The Python method stem for lists, e.g. ``cooperation_areas``."""
        return self.field


def _lower_camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(w.capitalize() for w in rest)


def derive_collections(catalog: Any, service_file: Any) -> Dict[str, Collection]:
    """Derives the collections from the ``accord.v1.Catalog`` descriptor.

    ``catalog`` is the ``Catalog`` message's descriptor and ``service_file``
    the file descriptor of ``accord_service.proto`` (where the request
    messages are). :data:`COLLECTIONS` is this applied to the installed
    descriptors; codegen/generate_clients.py applies it at build time to
    make one method per collection in the clients.

    The Catalog message has one repeated field per collection, in API order.
    For field ``cooperation_areas`` of message ``CooperationArea``:

    * the collection id (the first segment of a resource name) is the field
      name in lowerCamelCase, ``cooperationAreas`` (AIP-122);
    * the RPCs are ``GetCooperationArea``, ``BatchGetCooperationAreas`` and
      ``ListCooperationAreas`` (the plural is the field name in UpperCamelCase);
    * a collection whose List request has a ``parent`` field is nested; its
      parent collection is the one whose singular names a string field of the
      resource (``Commitment.agreement`` -> ``agreements``).
    """
    files = service_file.message_types_by_name
    fields = [f for f in catalog.fields if f.message_type is not None]
    singular = {f.name: _snake(_msg(f).name) for f in fields}
    out: Dict[str, Collection] = {}
    for f in fields:
        msg = _msg(f)
        plural = _lower_camel(f.name)
        plural = plural[0].upper() + plural[1:]
        parent = None
        list_req = files.get(f"List{plural}Request")
        if list_req is not None and "parent" in list_req.fields_by_name:
            for other, single in singular.items():
                field = msg.fields_by_name.get(single)
                if other != f.name and field is not None and field.type == field.TYPE_STRING:
                    parent = _lower_camel(other)
        out[_lower_camel(f.name)] = Collection(
            id=_lower_camel(f.name), message=msg.name, plural=plural, field=f.name,
            singular=singular[f.name], parent=parent)
    return out


def _msg(field: Any) -> Any:
    return field.message_type


def _snake(camel: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() and i else c.lower()
                   for i, c in enumerate(camel))


def _installed_collections() -> Dict[str, Collection]:
    from accord_client._gen.accord.v1 import accord_service_pb2, catalog_pb2

    return derive_collections(catalog_pb2.Catalog.DESCRIPTOR, accord_service_pb2.DESCRIPTOR)


#: Every collection by id, in the order of ``accord.v1.Catalog``'s fields.
COLLECTIONS: Dict[str, Collection] = _installed_collections()

_ALIASES: Dict[str, str] = {}
for _c in COLLECTIONS.values():
    for _alias in (_c.id, _c.id.lower(), _c.field, _c.field.replace("_", "-"),
                   _c.singular, _c.singular.replace("_", "-"), _c.message.lower()):
        _ALIASES[_alias.lower()] = _c.id


def collection(name_or_alias: str) -> Collection:
    """Looks a collection up by id or a common spelling.

    ``"cooperationAreas"``, ``"cooperation_areas"``, ``"cooperation-areas"``
    and ``"cooperation_area"`` all give the cooperation-areas collection.

    Raises:
        KeyError: for an unknown collection.
    """
    key = _ALIASES.get(name_or_alias.lower())
    if key is None:
        raise KeyError(name_or_alias)
    return COLLECTIONS[key]


def resource_name(coll: Union[Collection, str], name_or_id: str) -> str:
    """Returns the full resource name for a top-level collection.

    A value with no ``/`` is an id and gets the collection prefixed; anything
    else is passed through as is, so that the server validates it (and a
    malformed name is reported as the server's INVALID_ARGUMENT).
    """
    c = coll if isinstance(coll, Collection) else collection(coll)
    if not isinstance(name_or_id, str):
        raise TypeError(f"{c.singular} name must be a str, not {type(name_or_id).__name__}")
    if name_or_id and "/" not in name_or_id and c.parent is None:
        return f"{c.id}/{name_or_id}"
    return name_or_id


def agreement_name(agreement: str) -> str:
    """``"x"`` or ``"agreements/x"`` -> ``"agreements/x"`` (also ``"-"``)."""
    return resource_name(COLLECTIONS["agreements"], agreement)


def commitment_name(
    name: Optional[str] = None,
    *,
    agreement: Optional[str] = None,
    commitment: Optional[str] = None,
) -> str:
    """Builds a commitment's resource name.

    Any of::

        commitment_name("agreements/a/commitments/c")
        commitment_name(agreement="a", commitment="c")
        commitment_name(agreement="agreements/a", commitment="c")
        commitment_name("c", agreement="a")

    Raises:
        ValueError: if the agreement is needed but not given, or both
            ``name`` and ``commitment`` are given.
    """
    if name is not None and commitment is not None:
        raise ValueError("give the commitment as `name` or `commitment=`, not both")
    value = name if name is not None else commitment
    if value is None:
        raise ValueError("a commitment name, or agreement= and commitment=, is required")
    if "/" in value:
        return value
    if agreement is None:
        raise ValueError(
            f"commitment id {value!r} needs agreement=, or pass the full name "
            f"'agreements/{{agreement}}/commitments/{value}'")
    return f"{agreement_name(agreement)}/commitments/{value}"


def collection_of(name: str) -> Optional[Collection]:
    """Returns the collection a full resource name belongs to, or None.

    ``collection_of("agreements/a/commitments/c")`` is the commitments
    collection; ``collection_of("catalogStatus")`` is None (a singleton).
    """
    parts = name.strip("/").split("/")
    if len(parts) == 4 and parts[0] == "agreements" and parts[2] == "commitments":
        return COLLECTIONS["commitments"]
    if len(parts) == 2 and parts[0] in COLLECTIONS and COLLECTIONS[parts[0]].parent is None:
        return COLLECTIONS[parts[0]]
    return None


def split_paths(mask: Union[str, Iterable[str]]) -> List[str]:
    """``"name, title"`` or ``["name", "title"]`` -> ``["name", "title"]``."""
    items: Iterable[str] = mask.split(",") if isinstance(mask, str) else mask
    out: List[str] = []
    for item in items:
        out += [p.strip() for p in item.split(",") if p.strip()]
    return out


def field_mask(mask: ReadMask) -> Optional[field_mask_pb2.FieldMask]:
    """Converts a :data:`ReadMask` to a ``FieldMask`` (None for no mask)."""
    if mask is None:
        return None
    if isinstance(mask, field_mask_pb2.FieldMask):
        return mask
    return field_mask_pb2.FieldMask(paths=split_paths(mask))


def parse_commitment_name(name: str) -> Tuple[str, str]:
    """``"agreements/a/commitments/c"`` -> ``("a", "c")``.

    Raises:
        ValueError: if ``name`` is not a commitment name.
    """
    parts = name.split("/")
    if len(parts) != 4 or parts[0] != "agreements" or parts[2] != "commitments":
        raise ValueError(f"not a commitment name: {name!r}")
    return parts[1], parts[3]
