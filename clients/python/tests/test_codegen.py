"""client.py and aio.py are generated from one template: they must be what
codegen/generate_clients.py makes from the installed descriptors, and both
must offer the same typed methods, one per RPC."""

import importlib.util
import inspect
from pathlib import Path

import pytest

import accord_client
from accord_client import AccordClient, AsyncAccordClient, names, schema
from accord_client.raw import accord_service_pb2

PKG = Path(accord_client.__file__).parent
SRC = Path(__file__).resolve().parents[1]
GEN = SRC / "codegen" / "generate_clients.py"


def _generator():
    if not GEN.is_file():
        pytest.skip("codegen/ not present")
    spec = importlib.util.spec_from_file_location("generate_clients", GEN)
    mod = importlib.util.module_from_spec(spec)
    import sys
    sys.modules["generate_clients"] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("name", ["client.py", "aio.py", "types.py"])
def test_committed_output_matches_the_generator(name):
    want = _generator().outputs()[name]
    for where in (PKG / name, SRC / "src" / "accord_client" / name):
        if where.is_file():
            assert where.read_text() == want, (
                f"{where} is out of date: run codegen/generate_clients.py")


def test_one_method_per_rpc_in_both_clients():
    rpcs = [m.name for m in accord_service_pb2.DESCRIPTOR.services_by_name[
        "AccordService"].methods]
    expected = set()
    for c in names.COLLECTIONS.values():
        expected |= {f"get_{c.singular}", f"batch_get_{c.field}", f"list_{c.field}"}
    expected |= {"get_catalog_status", "count", "search", "watch"}
    assert len(expected) == len(rpcs)
    for cls in (AccordClient, AsyncAccordClient):
        for m in expected:
            fn = getattr(cls, m)
            assert fn.__doc__ and fn.__annotations__.get("return"), (cls, m)
    for m in expected:
        sync_sig = inspect.signature(getattr(AccordClient, m))
        async_sig = inspect.signature(getattr(AsyncAccordClient, m))
        assert list(sync_sig.parameters) == list(async_sig.parameters), m
        assert inspect.iscoroutinefunction(getattr(AsyncAccordClient, m)) == \
            (not (m.startswith("list_") or m in ("search", "watch"))), m  # pagers, iterators
    # as_of exactly where the request has it (agreements and partnerships).
    for c in names.COLLECTIONS.values():
        has = "as_of" in getattr(accord_service_pb2, f"Get{c.message}Request").DESCRIPTOR.fields_by_name
        for m in (f"get_{c.singular}", f"list_{c.field}"):
            for cls in (AccordClient, AsyncAccordClient):
                assert ("as_of" in inspect.signature(getattr(cls, m)).parameters) == has, (cls, m)
    assert "as_of" in inspect.signature(AccordClient.get_partnership).parameters


def test_collections_come_from_the_catalog_descriptor():
    from accord_client.raw import catalog_pb2
    fields = [f.name for f in catalog_pb2.Catalog.DESCRIPTOR.fields]
    assert [c.field for c in names.COLLECTIONS.values()] == fields
    assert names.COLLECTIONS["cooperationAreas"].plural == "CooperationAreas"
    assert names.COLLECTIONS["commitments"].parent == "agreements"
    assert [c.id for c in names.COLLECTIONS.values() if c.parent] == ["commitments"]


def test_docstrings_promise_only_real_reasons_and_sortable_order_by():
    """Why 7: no INVALID_FILTER, and order_by examples use sortable fields."""
    import re

    from accord_client import reasons
    known = reasons.SERVER_REASONS | reasons.CLIENT_REASONS
    for mod in ("client", "aio", "errors", "_base", "pagers", "cli"):
        text = (PKG / f"{mod}.py").read_text()
        assert "INVALID_FILTER" not in text, mod
        for r in re.findall(r"reason\s+``([A-Z_]+)``", text):
            assert r in known, (mod, r)
    for cls in (AccordClient, AsyncAccordClient):
        for c in names.COLLECTIONS.values():
            doc = getattr(cls, f"list_{c.field}").__doc__
            (example,) = re.findall(r'order_by: e\.g\. ``"([^"]+)"``', doc)
            sortable = {f.path for f in schema.fields(c.id) if f.sortable}
            for part in example.split(","):
                field = part.split()[0]
                assert field in sortable, (c.id, example)
