"""Build hooks for accord-client.

The Python modules for the Accord protos are generated at build time and never
committed: ``build_py`` runs ``protoc`` with ``grpc_python_plugin`` over the
repository's ``proto/`` directory (and this package's ``extra_protos/``) and
writes the result, with ``.pyi`` stubs, into ``accord_client/_gen/`` of the
build tree. A change to any ``.proto`` is therefore picked up by the next
``pip install`` with no manual step.

Where the protos are looked for, first match wins:

1. ``$ACCORD_PROTO_DIR``;
2. ``protos/`` next to this file (an sdist, see ``sdist`` below);
3. ``../../proto`` (this package inside the Accord source tree).

Tools: ``$PROTOC`` or ``protoc`` on PATH (Debian: protobuf-compiler), and
``$GRPC_PYTHON_PLUGIN`` or ``grpc_python_plugin`` on PATH (Debian:
protobuf-compiler-grpc).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py as _build_py
from setuptools.command.sdist import sdist as _sdist

HERE = Path(__file__).resolve().parent
PACKAGE = "accord_client"
GEN_DIR = "_gen"
EXTRA_PROTOS = HERE / "extra_protos"
_SERVICE_RE = re.compile(r"^\s*service\s+\w+", re.MULTILINE)


def find_proto_root() -> Path:
    """Returns the directory holding accord/v1/*.proto and google/rpc/*.proto."""
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


def find_googleapis_root(root: Path) -> Path:
    """Returns the directory holding Google's google/rpc and google/api protos.

    They are not in the repository: ``proto/googleapis/fetch.py`` fetches them
    (pinned) into ``build/googleapis``; ``$ACCORD_GOOGLEAPIS_DIR`` overrides,
    and an sdist carries them in ``protos/`` next to the Accord ones.
    """
    env = os.environ.get("ACCORD_GOOGLEAPIS_DIR")
    candidates = [Path(env)] if env else []
    candidates += [root, HERE.parent.parent / "build" / "googleapis"]
    for cand in candidates:
        if (cand / "google" / "rpc" / "status.proto").is_file():
            return cand.resolve()
    fetch = HERE.parent.parent / "proto" / "googleapis" / "fetch.py"
    dest = HERE.parent.parent / "build" / "googleapis"
    if fetch.is_file():
        _run([sys.executable, str(fetch), str(dest)])
        return dest.resolve()
    raise SystemExit("accord-client: cannot find the googleapis protos; set ACCORD_GOOGLEAPIS_DIR")


def _tool(env_name: str, exe: str, apt: str) -> str:
    path = os.environ.get(env_name) or shutil.which(exe)
    if not path:
        raise SystemExit(
            f"accord-client: `{exe}` not found (set ${env_name}, or "
            f"`apt-get install {apt}`)"
        )
    return path


def _protoc_includes(protoc: str) -> list[str]:
    """Include dirs for the well-known types (google/protobuf/*.proto)."""
    incs = []
    for d in (Path(protoc).resolve().parent.parent / "include", Path("/usr/include"),
              Path("/usr/local/include")):
        if (d / "google" / "protobuf" / "any.proto").is_file():
            incs.append(f"-I{d}")
            break
    return incs


def _run(cmd: list[str]) -> None:
    try:
        subprocess.run(cmd, check=True)
    except subprocess.CalledProcessError as e:
        raise SystemExit(f"accord-client: protoc failed ({e.returncode}): {' '.join(cmd)}")


def _rewrite_imports(gen: Path) -> int:
    """Makes the generated modules import each other inside accord_client._gen.

    protoc writes ``from accord.v1 import common_pb2``; we rewrite every import
    of a *generated* package (accord.v1, google.rpc, grpc.health.v1) to
    ``from accord_client._gen.accord.v1 import common_pb2`` so that nothing is
    added to sys.path, the top-level ``google``/``grpc`` packages are never
    shadowed, and type checkers follow the .pyi stubs. ``google.protobuf``
    imports are left alone.
    """
    files = sorted(f for f in gen.rglob("*") if f.suffix in (".py", ".pyi"))
    pkgs = {".".join(f.relative_to(gen).parent.parts) for f in files}
    pkgs.discard("")
    prefix = f"{PACKAGE}.{GEN_DIR}"
    alt = "|".join(re.escape(p) for p in sorted(pkgs, key=len, reverse=True))
    import_re = re.compile(rf"^(\s*from\s+)({alt})(\s+import\s)", re.MULTILINE)
    modname_re = re.compile(rf"(['\"])((?:{alt})\.\w+_pb2)\1")
    for f in files:
        text = f.read_text("utf-8")
        text = import_re.sub(lambda m: f"{m.group(1)}{prefix}.{m.group(2)}{m.group(3)}", text)
        text = modname_re.sub(lambda m: f"{m.group(1)}{prefix}.{m.group(2)}{m.group(1)}", text)
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
    protoc = _tool("PROTOC", "protoc", "protobuf-compiler")
    plugin = _tool("GRPC_PYTHON_PLUGIN", "grpc_python_plugin", "protobuf-compiler-grpc")
    root = find_proto_root()
    gen = out_pkg_dir / GEN_DIR
    if gen.exists():
        shutil.rmtree(gen)
    gen.mkdir(parents=True)

    googleapis = find_googleapis_root(root)
    roots = [root, EXTRA_PROTOS] if googleapis == root else [root, googleapis, EXTRA_PROTOS]
    for proto_root in roots:
        if not proto_root.is_dir():
            continue
        protos = sorted(p.relative_to(proto_root).as_posix() for p in proto_root.rglob("*.proto")
                        if proto_root != googleapis or p.relative_to(proto_root).parts[0] == "google")
        services = [p for p in protos
                    if _SERVICE_RE.search((proto_root / p).read_text("utf-8"))]
        base = [protoc, f"-I{proto_root}", f"-I{googleapis}", *_protoc_includes(protoc)]
        _run(base + [f"--python_out={gen}", f"--pyi_out={gen}", *protos])
        if services:
            _run(base + [f"--plugin=protoc-gen-grpc_python={plugin}",
                         f"--grpc_python_out={gen}", *services])
    n = _rewrite_imports(gen)
    (gen / "PROTO_SOURCE").write_text(f"{root}\n", "utf-8")
    print(f"accord-client: generated {n} modules and stubs from {root} into {gen}",
          file=sys.stderr)


class build_py(_build_py):
    """build_py that also generates the proto modules into the build tree."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            # `pip install -e`: generate next to the sources (gitignored).
            generate(HERE / "src" / PACKAGE)
        else:
            generate(Path(self.build_lib) / PACKAGE)


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
        googleapis = find_googleapis_root(root)
        for src in {root, googleapis}:
            for p in src.rglob("*.proto"):
                target = dst / p.relative_to(src)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(p, target)


setup(cmdclass={"build_py": build_py, "sdist": sdist})
