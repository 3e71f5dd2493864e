"""Build hooks for accord-client.

The Python modules for the Accord protos are generated at build time and never
committed: ``build_py`` runs ``grpc_tools.protoc`` (from the build
requirement ``grpcio-tools``) over the repository's ``proto/accord`` directory
with three outputs: ``--python_out`` (messages), ``--grpc_python_out`` (the
service stub) and mypy-protobuf's ``--mypy_out`` / ``--mypy_grpc_out`` (full
``.pyi`` type stubs). They land in ``accord_client/_gen/`` of the *build* tree.

Then ``codegen/generate_clients.py`` writes the clients ``accord_client/client.py``,
``aio.py`` and ``types.py`` from those modules' descriptors, also into the
build tree: one method per collection of ``accord.v1.Catalog``, so a
collection added to the protos gets its methods with no other edit. They
are not committed either.

``pip install -e`` (PEP 660) maps the package to ``src/``, so there the
generated files are written into ``src/accord_client`` instead (setuptools'
``editable_mode``; all gitignored), and re-running ``pip install -e``
regenerates them.

Nothing is written into the source tree: setuptools' ``build/`` directory and
the ``*.egg-info`` directory go to a temporary directory, so installing from a
read-only checkout works.

``google.rpc`` (error details) and ``grpc.health.v1`` come from the runtime
dependencies ``googleapis-common-protos`` and ``grpcio-health-checking``; the
repository's wire-compatible ``proto/google/rpc`` copies are not generated,
so the same ``.proto`` file is never registered twice.

Where the protos are looked for, first match wins:

1. ``$ACCORD_PROTO_DIR``;
2. ``protos/`` next to this file (an sdist, see ``sdist`` below);
3. ``../../proto`` (this package inside the Accord source tree).
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py as _build_py
from setuptools.command.sdist import sdist as _sdist

HERE = Path(__file__).resolve().parent
PACKAGE = "accord_client"
GEN_DIR = "_gen"
#: The proto packages generated into accord_client._gen.
GEN_PACKAGES = ("accord",)
_SERVICE_RE = re.compile(r"^\s*service\s+\w+", re.MULTILINE)

# Out-of-tree scratch space for setuptools (build/ and *.egg-info).
_SCRATCH = Path(tempfile.mkdtemp(prefix="accord-client-build-"))
atexit.register(shutil.rmtree, _SCRATCH, True)


def find_proto_root() -> Path:
    """Returns the directory holding accord/v1/*.proto."""
    candidates = []
    env = os.environ.get("ACCORD_PROTO_DIR")
    if env:
        candidates.append(Path(env))
    candidates += [HERE / "protos", HERE.parent.parent / "proto"]
    for cand in candidates:
        if (cand / "accord" / "v1").is_dir():
            return cand.resolve()
    raise SystemExit(
        "accord-client: cannot find the Accord protos; looked in "
        + ", ".join(str(c) for c in candidates)
        + ". Set ACCORD_PROTO_DIR to the repository's proto/ directory."
    )


def _plugin(name: str) -> str:
    """Path of a protoc plugin installed as a console script (mypy-protobuf)."""
    for d in (Path(sys.executable).parent, Path(sysconfig.get_path("scripts"))):
        if (d / name).is_file():
            return str(d / name)
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"accord-client: {name} not found; the build needs mypy-protobuf")
    return found


def _rewrite_imports(gen: Path) -> int:
    """Makes the generated modules import each other inside accord_client._gen.

    protoc writes ``from accord.v1 import common_pb2``; every import of a
    generated package becomes ``from accord_client._gen.accord.v1 import
    common_pb2`` so that nothing is added to sys.path and type checkers follow
    the .pyi stubs. Other imports (google.protobuf, grpc) are left alone.
    """
    files = sorted(f for f in gen.rglob("*") if f.suffix in (".py", ".pyi"))
    prefix = f"{PACKAGE}.{GEN_DIR}"
    alt = "|".join(re.escape(p) for p in GEN_PACKAGES)
    import_re = re.compile(rf"^(\s*(?:from|import)\s+)((?:{alt})(?:\.\w+)*)(\s|$)", re.MULTILINE)
    ref_re = re.compile(rf"(?<![\w.])((?:{alt})\.v1\.\w+_pb2)\b")
    # The module name protoc passes to the builder (used by pickle).
    modname_re = re.compile(rf"(['\"])((?:{alt})\.v1\.\w+_pb2)\1")
    for f in files:
        text = f.read_text("utf-8")
        text = import_re.sub(lambda m: f"{m.group(1)}{prefix}.{m.group(2)}{m.group(3)}", text)
        text = modname_re.sub(lambda m: f"{m.group(1)}{prefix}.{m.group(2)}{m.group(1)}", text)
        if f.suffix == ".pyi":
            # mypy-protobuf refers to other modules by their full dotted name.
            text = ref_re.sub(lambda m: f"{prefix}.{m.group(1)}", text)
            text = text.replace(f"{prefix}.{prefix}.", f"{prefix}.")
            # A field named like a module it imports (SearchRequest.collections
            # and collections.abc) shadows the module inside the class: refer
            # to the module by an alias that no field can take.
            text = re.sub(r"^import collections\.abc$",
                          "import collections.abc as _collections_abc", text, flags=re.M)
            text = re.sub(r"(?<![\w.])collections\.abc\.", "_collections_abc.", text)
        f.write_text(text, "utf-8")
    for d in {gen, *(f.parent for f in files)}:
        while True:
            init = d / "__init__.py"
            if not init.exists():
                init.write_text('"""Generated by setup.py from .proto files. DO NOT EDIT."""\n')
            if d == gen:
                break
            d = d.parent
    return len(files)


def generate(out_pkg_dir: Path) -> None:
    """Generates every proto module into ``out_pkg_dir/_gen`` (wiped first)."""
    try:
        import grpc_tools  # noqa: F401 - build requirement
        from grpc_tools import protoc
    except ImportError as e:  # pragma: no cover
        raise SystemExit(f"accord-client: the build needs grpcio-tools ({e})")
    root = find_proto_root()
    gen = out_pkg_dir / GEN_DIR
    if gen.exists():
        shutil.rmtree(gen)
    gen.mkdir(parents=True)
    wkt = Path(grpc_tools.__file__).parent / "_proto"
    # googleapis-common-protos ships google/api/*.proto beside its modules.
    spec = importlib.util.find_spec("google.api.annotations_pb2")
    if spec is None or spec.origin is None:  # pragma: no cover
        raise SystemExit("accord-client: the build needs googleapis-common-protos")
    googleapis = Path(spec.origin).resolve().parents[2]
    protos = sorted(p.relative_to(root).as_posix()
                    for pkg in GEN_PACKAGES for p in (root / pkg).rglob("*.proto"))
    services = [p for p in protos if _SERVICE_RE.search((root / p).read_text("utf-8"))]
    base = ["grpc_tools.protoc", f"-I{root}", f"-I{wkt}", f"-I{googleapis}"]
    steps = [
        base + [f"--python_out={gen}", f"--plugin=protoc-gen-mypy={_plugin('protoc-gen-mypy')}",
                f"--mypy_out={gen}", *protos],
        base + [f"--grpc_python_out={gen}",
                f"--plugin=protoc-gen-mypy_grpc={_plugin('protoc-gen-mypy_grpc')}",
                f"--mypy_grpc_out={gen}", *services],
    ]
    for cmd in steps:
        if protoc.main(cmd) != 0:
            raise SystemExit(f"accord-client: protoc failed: {' '.join(cmd)}")
    n = _rewrite_imports(gen)
    (gen / "PROTO_SOURCE").write_text(f"{root}\n", "utf-8")
    print(f"accord-client: generated {n} modules and stubs from {root} into {gen}",
          file=sys.stderr)


#: The modules codegen/generate_clients.py writes.
CLIENT_MODULES = ("client.py", "aio.py", "types.py")


def generate_clients(package_root: Path) -> None:
    """Runs codegen/generate_clients.py over ``package_root/accord_client/_gen``.

    A separate interpreter, so that the build tree's ``accord_client`` is
    imported from ``package_root`` and nothing leaks into this process.
    """
    script = HERE / "codegen" / "generate_clients.py"
    out = package_root / PACKAGE
    for name in CLIENT_MODULES:
        (out / name).unlink(missing_ok=True)
    cmd = [sys.executable, str(script), "--package-root", str(package_root), "--out", str(out)]
    if subprocess.run(cmd).returncode != 0:
        raise SystemExit(f"accord-client: generating the clients failed: {' '.join(cmd)}")
    missing = [n for n in CLIENT_MODULES if not (out / n).is_file()]
    if missing:
        raise SystemExit(f"accord-client: generate_clients.py did not write {missing}")


class build_py(_build_py):
    """build_py that also generates the proto modules and the clients into the
    build tree."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            # `pip install -e`: generate next to the sources (gitignored).
            root = HERE / "src"
        else:
            root = Path(self.build_lib)
        generate(root / PACKAGE)
        generate_clients(root)


class sdist(_sdist):
    """sdist that carries a copy of the repository's protos in ``protos/``."""

    def make_release_tree(self, base_dir: str, files: list[str]) -> None:
        super().make_release_tree(base_dir, files)
        root = find_proto_root()
        dst = Path(base_dir) / "protos"
        if dst.resolve() == root:
            return
        if dst.exists():
            shutil.rmtree(dst)
        for pkg in GEN_PACKAGES:
            for p in (root / pkg).rglob("*.proto"):
                target = dst / p.relative_to(root)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(p, target)


setup(
    cmdclass={"build_py": build_py, "sdist": sdist},
    options={
        "build": {"build_base": str(_SCRATCH / "build")},
        "egg_info": {"egg_base": str(_SCRATCH)},
    },
)
