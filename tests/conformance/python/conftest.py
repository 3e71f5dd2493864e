"""Fixtures for the Python conformance runner.

Compiles proto/ with protoc into a temporary directory (so the runner does not
depend on how clients/python packages its generated code), and starts the two
server profiles of tests/conformance/README.md unless their addresses are given
in ACCORD_CONFORMANCE_ADDR / ACCORD_CONFORMANCE_AUTH_ADDR.
"""

import importlib
import os
import pathlib
import re
import shutil
import subprocess
import sys
import time

import pytest

REPO = pathlib.Path(__file__).resolve().parents[3]
CONFORMANCE = REPO / "tests" / "conformance"


def _generate(out: pathlib.Path) -> None:
    """Generates Python modules for accord/v1 and google/rpc into `out`."""
    protoc = shutil.which("protoc")
    if protoc is None:
        pytest.fail("protoc is not installed (Debian: protobuf-compiler)")
    proto_root = REPO / "proto"
    files = sorted(str(p.relative_to(proto_root)) for p in (proto_root / "accord" / "v1").glob("*.proto"))
    include = [f"-I{proto_root}"]
    # google/rpc and google/api: the repository's copy when proto/ holds
    # them, else a googleapis directory: $ACCORD_GOOGLEAPIS_DIR, else
    # build/googleapis (filled by proto/googleapis/fetch.py, run here if needed).
    googleapis = os.environ.get("ACCORD_GOOGLEAPIS_DIR")
    if not (proto_root / "google" / "rpc").is_dir():
        if not googleapis:
            googleapis = str(REPO / "build" / "googleapis")
            fetch = proto_root / "googleapis" / "fetch.py"
            if not (pathlib.Path(googleapis) / "google/rpc/status.proto").is_file() and fetch.is_file():
                subprocess.run([sys.executable, str(fetch), googleapis], check=True)
        include.append(f"-I{googleapis}")
    root_of = lambda rel: proto_root if (proto_root / rel).is_file() else pathlib.Path(googleapis or "")
    for rel in ("google/rpc/status.proto", "google/rpc/error_details.proto",
                "google/api/annotations.proto", "google/api/http.proto"):
        if (root_of(rel) / rel).is_file():
            files.append(rel)
    subprocess.run([protoc, *include, f"--python_out={out}", *files], check=True)


@pytest.fixture(scope="session")
def protos(tmp_path_factory):
    """The generated modules: a namespace with service, status, details."""
    out = tmp_path_factory.mktemp("gen")
    _generate(out)
    sys.path.insert(0, str(out))
    try:
        service = importlib.import_module("accord.v1.accord_service_pb2")
        status = importlib.import_module("google.rpc.status_pb2")
        details = importlib.import_module("google.rpc.error_details_pb2")
    finally:
        sys.path.remove(str(out))
    return type("Protos", (), {"service": service, "status": status, "details": details})


class _Server:
    """An accord_server child process listening on 127.0.0.1:0."""

    def __init__(self, flags):
        binary = os.environ.get("ACCORD_SERVER_BIN", str(REPO / "build" / "accord_server"))
        catalog = os.environ.get("ACCORD_CATALOG", str(REPO / "data" / "catalogue"))
        self.proc = subprocess.Popen(
            [binary, "--listen=127.0.0.1:0", f"--catalog={catalog}", *flags],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.address = None
        deadline = time.monotonic() + 20
        log = []
        while time.monotonic() < deadline:
            line = self.proc.stderr.readline()
            if not line:
                break
            log.append(line)
            m = re.search(r"listening on (127\.0\.0\.1:\d+)", line)
            if m:
                self.address = m.group(1)
                break
        if self.address is None:
            self.stop()
            pytest.fail("accord_server did not start:\n" + "".join(log))
        # Keep draining stderr so the server never blocks on a full pipe.
        import threading
        threading.Thread(target=self.proc.stderr.read, daemon=True).start()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


@pytest.fixture(scope="session")
def servers():
    """{"default": "host:port", "auth": "host:port"}."""
    given = os.environ.get("ACCORD_CONFORMANCE_ADDR")
    given_auth = os.environ.get("ACCORD_CONFORMANCE_AUTH_ADDR")
    started = []
    try:
        if not given:
            started.append(_Server([]))
            given = started[-1].address
        if not given_auth:
            started.append(_Server([f"--auth_token_file={CONFORMANCE / 'tokens.txt'}"]))
            given_auth = started[-1].address
        yield {"default": given, "auth": given_auth}
    finally:
        for s in started:
            s.stop()
