"""The installed package: generated modules, stubs, namespaces, metadata."""

import importlib
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

import accord_client

PKG_DIR = Path(accord_client.__file__).parent
SRC_DIR = Path(__file__).resolve().parents[1]  # clients/python
REPO = SRC_DIR.parents[1]


def test_generated_modules_and_stubs_are_installed():
    gen = PKG_DIR / "_gen"
    for stem in ("accord/v1/accord_service_pb2", "accord/v1/agreement_pb2",
                 "google/rpc/status_pb2", "google/rpc/error_details_pb2",
                 "grpc/health/v1/health_pb2"):
        assert (gen / f"{stem}.py").is_file(), stem
        assert (gen / f"{stem}.pyi").is_file(), stem
    assert (gen / "accord/v1/accord_service_pb2_grpc.py").is_file()
    # Only files that declare a service get a _grpc module.
    assert not (gen / "accord/v1/agreement_pb2_grpc.py").exists()
    assert (PKG_DIR / "py.typed").is_file()


def test_every_repo_proto_is_generated():
    protos = sorted((REPO / "proto").rglob("*.proto"))
    if not protos:
        pytest.skip("not running inside the source tree")
    for p in protos:
        rel = p.relative_to(REPO / "proto").with_suffix("")
        assert (PKG_DIR / "_gen" / f"{rel}_pb2.py").is_file(), rel


def test_raw_imports_and_system_packages_still_work():
    from accord_client.raw import (accord_service_pb2, accord_service_pb2_grpc,
                                   agreement_pb2, error_details_pb2, status_pb2)
    import google.protobuf
    from google.protobuf import timestamp_pb2  # noqa: F401
    import grpc
    assert hasattr(grpc, "insecure_channel")
    assert google.protobuf.__file__ and "accord_client" not in google.protobuf.__file__
    assert hasattr(accord_service_pb2_grpc, "AccordServiceStub")
    assert accord_service_pb2.GetAgreementRequest.DESCRIPTOR.full_name == \
        "accord.v1.GetAgreementRequest"
    assert agreement_pb2.Agreement.DESCRIPTOR.full_name == "accord.v1.Agreement"
    assert status_pb2.Status.DESCRIPTOR.full_name == "google.rpc.Status"
    assert error_details_pb2.ErrorInfo.DESCRIPTOR.full_name == "google.rpc.ErrorInfo"
    # No top-level package was added or shadowed.
    assert "accord" not in sys.modules
    assert "google.rpc" not in sys.modules or "accord_client" not in str(
        getattr(sys.modules["google.rpc"], "__path__", ""))


def test_generated_messages_pickle_by_module_name():
    import pickle
    from accord_client.raw import agreement_pb2
    a = agreement_pb2.Agreement(name="agreements/x", short_title="X")
    assert pickle.loads(pickle.dumps(a)) == a


def test_distribution_metadata_and_console_script():
    dist = importlib.metadata.distribution("accord-client")
    assert dist.version == accord_client.__version__
    eps = [ep for ep in dist.entry_points if ep.group == "console_scripts"]
    assert [(ep.name, ep.value) for ep in eps] == [("accord", "accord_client.cli:main")]
    # Nothing but what Debian's packages satisfy.
    reqs = sorted(re.match(r"[A-Za-z0-9_.-]+", r).group(0) for r in dist.requires or [])
    assert reqs == ["grpcio", "protobuf"]


def test_generated_code_is_not_committed():
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("no git checkout")
    out = subprocess.run(["git", "ls-files", "clients/python"], cwd=REPO,
                         capture_output=True, text=True, check=True).stdout.split()
    assert out, "git ls-files saw nothing"
    assert not [f for f in out if "_pb2" in f or "/_gen/" in f]


def _build_env(**extra):
    env = dict(os.environ)
    env.update(extra)
    env.setdefault("PIP_NO_INDEX", "1")
    return env


@pytest.mark.slow
def test_proto_change_is_picked_up_by_the_build(tmp_path):
    """Edit a copy of proto/, build a wheel from it: the new field is there."""
    if not (REPO / "proto" / "accord" / "v1").is_dir():
        pytest.skip("not running inside the source tree")
    protos = tmp_path / "proto"
    shutil.copytree(REPO / "proto", protos)
    country = protos / "accord" / "v1" / "country.proto"
    text = country.read_text()
    i = text.rindex("}")
    country.write_text(text[:i] + "  string pytest_added_field = 99;\n" + text[i:])
    work = tmp_path / "src"
    shutil.copytree(SRC_DIR, work, ignore=shutil.ignore_patterns(
        "build", "*.egg-info", "_gen", "__pycache__", ".pytest_cache"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-index", "--no-deps",
                    "--no-build-isolation", "-q", "-w", str(tmp_path / "dist"), str(work)],
                   check=True, env=_build_env(ACCORD_PROTO_DIR=str(protos)))
    (wheel,) = (tmp_path / "dist").glob("accord_client-*.whl")
    with zipfile.ZipFile(wheel) as z:
        pyi = z.read("accord_client/_gen/accord/v1/country_pb2.pyi").decode()
        names = z.namelist()
    assert "pytest_added_field" in pyi
    assert not any(n.endswith("_pb2.py") and "/_gen/" not in n for n in names)


@pytest.mark.slow
def test_sdist_carries_protos_and_builds_without_the_repo(tmp_path):
    """An sdist copies proto/ into protos/ and builds a wheel on its own."""
    if not (REPO / "proto" / "accord" / "v1").is_dir():
        pytest.skip("not running inside the source tree")
    work = tmp_path / "tree" / "clients" / "python"
    shutil.copytree(SRC_DIR, work, ignore=shutil.ignore_patterns(
        "build", "*.egg-info", "_gen", "__pycache__", ".pytest_cache"))
    shutil.copytree(REPO / "proto", tmp_path / "tree" / "proto")
    code = ("import sys; from setuptools import build_meta as b; "
            "print(b.build_sdist(sys.argv[1]))")
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "sdist")], cwd=work,
                   check=True, env=_build_env(), capture_output=True)
    (sdist,) = (tmp_path / "sdist").glob("accord*-*.tar.gz")
    with tarfile.open(sdist) as t:
        members = t.getnames()
        t.extractall(tmp_path / "x")
    assert any(m.endswith("protos/accord/v1/accord_service.proto") for m in members)
    assert any(m.endswith("extra_protos/grpc/health/v1/health.proto") for m in members)
    assert not any("_pb2" in m for m in members)
    (unpacked,) = (tmp_path / "x").iterdir()
    shutil.rmtree(tmp_path / "tree")  # no ../../proto to fall back on
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-index", "--no-deps",
                    "--no-build-isolation", "-q", "-w", str(tmp_path / "dist"), str(unpacked)],
                   check=True, env=_build_env())
    (wheel,) = (tmp_path / "dist").glob("accord_client-*.whl")
    with zipfile.ZipFile(wheel) as z:
        assert "accord_client/_gen/accord/v1/accord_service_pb2_grpc.py" in z.namelist()
