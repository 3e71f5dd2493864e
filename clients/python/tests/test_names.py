"""Resource-name helpers (no server needed)."""

import pytest
from google.protobuf import field_mask_pb2

from accord_client import names


def test_resource_name_accepts_ids_and_names():
    assert names.resource_name("agreements", "x") == "agreements/x"
    assert names.resource_name("agreements", "agreements/x") == "agreements/x"
    assert names.resource_name("cooperation_areas", "trade") == "cooperationAreas/trade"
    # Anything with a slash goes to the server unchanged, to be validated there.
    assert names.resource_name("agreements", "countries/my") == "countries/my"


def test_resource_name_rejects_non_str():
    with pytest.raises(TypeError):
        names.resource_name("agreements", 5)  # type: ignore[arg-type]


def test_commitment_name_forms():
    full = "agreements/a/commitments/c"
    assert names.commitment_name(full) == full
    assert names.commitment_name(agreement="a", commitment="c") == full
    assert names.commitment_name(agreement="agreements/a", commitment="c") == full
    assert names.commitment_name("c", agreement="a") == full
    with pytest.raises(ValueError, match="needs agreement"):
        names.commitment_name("c")
    with pytest.raises(ValueError):
        names.commitment_name()
    with pytest.raises(ValueError):
        names.commitment_name(full, commitment="c")


def test_collection_lookup_by_any_spelling():
    for spelling in ("cooperationAreas", "cooperation_areas", "cooperation-areas",
                     "cooperation_area", "CooperationAreas"):
        assert names.collection(spelling).id == "cooperationAreas"
    assert names.collection("country").id == "countries"
    with pytest.raises(KeyError):
        names.collection("treaties")


def test_collection_of():
    assert names.collection_of("agreements/a").id == "agreements"
    assert names.collection_of("agreements/a/commitments/c").id == "commitments"
    assert names.collection_of("sectors/semiconductors").id == "sectors"
    assert names.collection_of("catalogStatus") is None
    assert names.collection_of("treaties/x") is None
    assert names.collection_of("commitments/c") is None


def test_field_mask():
    assert names.field_mask(None) is None
    assert list(names.field_mask("name, title").paths) == ["name", "title"]
    assert list(names.field_mask(["name", "title,kind"]).paths) == ["name", "title", "kind"]
    fm = field_mask_pb2.FieldMask(paths=["x"])
    assert names.field_mask(fm) is fm
    assert list(names.field_mask("").paths) == []


def test_every_collection_has_rpcs():
    from accord_client.raw import accord_service_pb2
    service = accord_service_pb2.DESCRIPTOR.services_by_name["AccordService"]
    rpcs = {m.name for m in service.methods}
    for c in names.COLLECTIONS.values():
        assert {c.get_rpc, c.batch_get_rpc, c.list_rpc} <= rpcs
    covered = {r for c in names.COLLECTIONS.values()
               for r in (c.get_rpc, c.batch_get_rpc, c.list_rpc)}
    # Service-wide methods (one client method each: tests/test_codegen.py).
    assert rpcs - covered == {"GetCatalogStatus", "Count", "Search", "Watch"}
