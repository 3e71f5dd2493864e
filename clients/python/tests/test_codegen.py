"""client.py, aio.py and types.py are generated at build time (setup.py's
build_py runs codegen/generate_clients.py over the descriptors protoc made).

These tests check the generated modules of the *installed* package by their
shape and behaviour (one typed, documented method per RPC in both clients,
with the same signature; types.py names every resource), and the generator
itself on a modified descriptor set: a collection added to the protos alone
gives its methods, one removed takes them away.
"""

import ast
import importlib.util
import inspect
import re
import sys
import typing
from pathlib import Path

import pytest

import accord_client
from accord_client import AccordClient, AsyncAccordClient, names, schema
from accord_client.raw import accord_service_pb2, catalog_pb2

PKG = Path(accord_client.__file__).parent
SRC = Path(__file__).resolve().parents[1]
GEN = SRC / "codegen" / "generate_clients.py"
GENERATED = ("client.py", "aio.py", "types.py")


def _generator():
    if not GEN.is_file():
        pytest.skip("codegen/ not present")
    if "generate_clients" in sys.modules:
        return sys.modules["generate_clients"]
    spec = importlib.util.spec_from_file_location("generate_clients", GEN)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["generate_clients"] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


def _expected_methods(collections=None):
    """The client method of every AccordService RPC."""
    expected = set()
    for c in (collections or names.COLLECTIONS).values():
        expected |= {f"get_{c.singular}", f"batch_get_{c.field}", f"list_{c.field}"}
    return expected | {"get_catalog_status", "count", "search", "watch"}


# -- the installed, generated modules ---------------------------------------

@pytest.mark.parametrize("name", GENERATED)
def test_generated_modules_are_installed_and_marked_generated(name):
    text = (PKG / name).read_text()
    assert "Generated at build time by codegen/generate_clients.py" in text
    assert "do not edit" in text


def test_one_method_per_rpc_in_both_clients():
    rpcs = [m.name for m in accord_service_pb2.DESCRIPTOR.services_by_name[
        "AccordService"].methods]
    expected = _expected_methods()
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


def test_both_clients_have_the_same_signatures():
    """Same parameters (names, kinds, defaults, annotations) in both; the
    return types differ only by the async pager/iterator."""
    public = {m for m in dir(AccordClient) if not m.startswith("_")}
    assert public == {m for m in dir(AsyncAccordClient) if not m.startswith("_")}
    assert _expected_methods() <= public
    for m in sorted(public):
        s, a = getattr(AccordClient, m), getattr(AsyncAccordClient, m)
        if isinstance(s, property):
            assert isinstance(a, property) and s.__doc__ and a.__doc__, m
            continue
        if m in ("close",):
            assert inspect.iscoroutinefunction(a) and not inspect.iscoroutinefunction(s)
            continue
        ss, sa = inspect.signature(s), inspect.signature(a)
        assert ss.parameters == sa.parameters, m
        async_ret = re.sub(r"\bAsync(ListPager|Iterator)\b", r"\1", str(sa.return_annotation))
        assert str(ss.return_annotation) == async_ret, m
        assert s.__doc__ and a.__doc__, m


def test_list_overloads_name_every_collection():
    """``client.list("agreements")`` is typed by one overload per collection."""
    for cls in (AccordClient, AsyncAccordClient):
        text = inspect.getsource(sys.modules[cls.__module__])
        found = re.findall(r'def list\(self, collection: Literal\["(\w+)"\]', text)
        assert found == list(names.COLLECTIONS), cls


def test_types_name_every_resource_and_list_response():
    from accord_client.types import AnyListResponse, Resource
    resources = [getattr(accord_service_pb2, f"List{c.plural}Response").DESCRIPTOR
                 .fields_by_name[c.field].message_type.full_name
                 for c in names.COLLECTIONS.values()]
    assert [t.DESCRIPTOR.full_name for t in typing.get_args(Resource)] == \
        resources + ["accord.v1.CatalogStatus"]
    assert typing.get_args(AnyListResponse) == tuple(
        getattr(accord_service_pb2, f"List{c.plural}Response")
        for c in names.COLLECTIONS.values())
    assert catalog_pb2.CatalogStatus in typing.get_args(Resource)


def test_the_generator_is_deterministic_and_made_the_installed_modules():
    gen = _generator()
    first, second = gen.outputs(), gen.outputs()
    assert first == second
    for name in GENERATED:
        assert (PKG / name).read_text() == first[name], (
            f"the installed {name} is not what the generator makes from the installed "
            "descriptors: reinstall the package")


def test_collections_come_from_the_catalog_descriptor():
    fields = [f.name for f in catalog_pb2.Catalog.DESCRIPTOR.fields]
    assert [c.field for c in names.COLLECTIONS.values()] == fields
    assert names.COLLECTIONS["cooperationAreas"].plural == "CooperationAreas"
    assert names.COLLECTIONS["commitments"].parent == "agreements"
    assert [c.id for c in names.COLLECTIONS.values() if c.parent] == ["commitments"]


def test_docstrings_promise_only_real_reasons_and_sortable_order_by():
    """Why 7: no INVALID_FILTER, and order_by examples use sortable fields."""
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


# -- the generator on a modified descriptor set -----------------------------

def _file_protos():
    """FileDescriptorProtos of accord_service.proto and everything it imports,
    dependencies first."""
    from google.protobuf import descriptor_pb2
    order, seen = [], set()

    def visit(fd):
        if fd.name in seen:
            return
        seen.add(fd.name)
        for dep in fd.dependencies:
            visit(dep)
        p = descriptor_pb2.FileDescriptorProto()
        fd.CopyToProto(p)
        order.append(p)

    visit(accord_service_pb2.DESCRIPTOR)
    return order


def _rename(proto, old, new):
    """Renames ``old`` to ``new`` in every name and type of a message or
    method proto (Sector -> Widget, sectors -> widgets)."""
    text = proto.SerializeToString()
    for a, b in ((old, new), (old.lower(), new.lower())):
        text = text.replace(a.encode(), b.encode())
    out = type(proto)()
    # Same-length names keep the serialized lengths valid.
    assert len(old) == len(new)
    out.ParseFromString(text)
    return out


def _api(add_widgets=False, drop=()):
    """The generator's Api over the installed descriptors, with a ``widgets``
    collection added (a copy of ``sectors`` in a new widget.proto, its
    Catalog field and its three RPCs) and the Catalog fields in ``drop``
    removed."""
    from google.protobuf import descriptor_pool
    gen = _generator()
    files = _file_protos()
    by_name = {f.name: f for f in files}
    if add_widgets:
        sector = by_name["accord/v1/sector.proto"]
        widget = _rename(sector, "Sector", "Widget")
        widget.name = "accord/v1/widget.proto"
        files.insert(files.index(sector) + 1, widget)
        catalog = by_name["accord/v1/catalog.proto"]
        catalog.dependency.append(widget.name)
        (msg,) = [m for m in catalog.message_type if m.name == "Catalog"]
        field = msg.field.add()
        field.CopyFrom([f for f in msg.field if f.name == "sectors"][0])
        field.name, field.json_name, field.number = "widgets", "widgets", 99
        field.type_name = ".accord.v1.Widget"
        service = by_name["accord/v1/accord_service.proto"]
        service.dependency.append(widget.name)
        for m in list(service.message_type):
            if re.fullmatch(r"(Get|BatchGet|List)Sectors?(Request|Response)", m.name):
                service.message_type.add().CopyFrom(_rename(m, "Sector", "Widget"))
        (svc,) = service.service
        for m in list(svc.method):
            if re.fullmatch(r"(Get|BatchGet|List)Sectors?", m.name):
                svc.method.add().CopyFrom(_rename(m, "Sector", "Widget"))
    for name in drop:
        (msg,) = [m for m in by_name["accord/v1/catalog.proto"].message_type
                  if m.name == "Catalog"]
        (field,) = [f for f in msg.field if f.name == name]
        msg.field.remove(field)
    pool = descriptor_pool.DescriptorPool()
    for f in files:
        pool.Add(f)
    return gen.Api(pool.FindMessageTypeByName("accord.v1.Catalog"),
                   pool.FindFileByName("accord/v1/accord_service.proto"))


def _methods(source, cls):
    """{method name: "def" or "async def"} of class ``cls`` in ``source``,
    which must compile."""
    compile(source, cls, "exec")
    (node,) = [n for n in ast.parse(source).body if isinstance(n, ast.ClassDef)
               and n.name == cls]
    return {f.name: "async def" if isinstance(f, ast.AsyncFunctionDef) else "def"
            for f in node.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))}


def test_generator_on_the_installed_descriptors_matches_a_fresh_pool():
    gen = _generator()
    assert gen.outputs(_api()) == gen.outputs()


def test_a_collection_added_to_the_protos_gets_its_methods():
    gen = _generator()
    base, more = gen.outputs(_api()), gen.outputs(_api(add_widgets=True))
    assert more == gen.outputs(_api(add_widgets=True))  # deterministic
    new = {"get_widget", "batch_get_widgets", "list_widgets"}
    for module, cls in (("client.py", "AccordClient"), ("aio.py", "AsyncAccordClient")):
        before, after = _methods(base[module], cls), _methods(more[module], cls)
        assert set(after) - set(before) == new, module
        assert {m: after[m] for m in new} == (
            {"get_widget": "def", "batch_get_widgets": "def", "list_widgets": "def"}
            if cls == "AccordClient" else
            {"get_widget": "async def", "batch_get_widgets": "async def",
             "list_widgets": "def"})
        text = more[module]
        assert "from accord_client._gen.accord.v1 import " in text and "widget_pb2" in text
        assert 'collection: Literal["widgets"]' in text
        assert "accord_service_pb2.ListWidgetsRequest(" in text
        assert "-> widget_pb2.Widget:" in text
        # Documented like the others.
        assert re.search(r"def get_widget\(.*?\n        \"\"\"Gets one widget \(``GetWidget``\)", text, re.S)
    types = more["types.py"]
    compile(types, "types.py", "exec")
    assert "    widget_pb2.Widget,\n" in types
    assert "    accord_service_pb2.ListWidgetsResponse,\n" in types
    assert "widget_pb2.Widget" not in base["types.py"]


def test_a_collection_removed_from_the_catalog_loses_its_methods():
    gen = _generator()
    out = gen.outputs(_api(drop=("sources",)))
    for module, cls in (("client.py", "AccordClient"), ("aio.py", "AsyncAccordClient")):
        methods = _methods(out[module], cls)
        assert "get_source" not in methods and "list_sources" not in methods
        assert "get_sector" in methods and "list_sectors" in methods
    assert "source_pb2.Source," not in out["types.py"]
