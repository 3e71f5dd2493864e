"""Fixtures: the real Accord server on a free loopback port, and the bundled
catalogue parsed locally so that tests can compare the server's answers with
the data it was given.

Environment:
    ACCORD_SERVER_BIN   the server binary (default: <repo>/build/accord_server)
    ACCORD_CATALOG      the catalogue directory (default: <repo>/data/catalogue)
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, Iterator, List, Sequence

import pytest
from google.protobuf import text_format

from accord_client import AccordClient
from accord_client.raw import catalog_pb2

REPO = Path(__file__).resolve().parents[3]
SERVER_BIN = Path(os.environ.get("ACCORD_SERVER_BIN") or REPO / "build" / "accord_server")
CATALOG_DIR = Path(os.environ.get("ACCORD_CATALOG") or REPO / "data" / "catalogue")

# Anchors from data/catalogue that the tests rely on.
ART = "agreements/my-us-reciprocal-trade-2025"
ART_ID = "my-us-reciprocal-trade-2025"
ART_COMMITMENT = f"{ART}/commitments/bilateral-market-access"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def unused_address() -> str:
    """A loopback address with nothing listening (for connection failures)."""
    return f"127.0.0.1:{free_port()}"


class Server:
    """A running accord_server process."""

    def __init__(self, proc: subprocess.Popen, address: str, log: Path) -> None:
        self.proc = proc
        self.address = address
        self.log = log

    def log_tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""


def start_server(log_dir: Path, attempt: int = 0, catalog: Path = CATALOG_DIR,
                 extra_args: Sequence[str] = (), credentials: Any = None) -> Server:
    """Starts accord_server on a free port and waits until it serves.

    ``extra_args`` go to the server; ``credentials`` are the client's TLS
    credentials for the readiness check (None: plaintext).
    """
    port = free_port()
    address = f"127.0.0.1:{port}"
    log = log_dir / f"accord_server.{attempt}.log"
    cmd = [str(SERVER_BIN), f"--listen={address}", f"--catalog={catalog}", *extra_args]
    with open(log, "wb") as f:
        proc = subprocess.Popen(cmd, stdout=f, stderr=subprocess.STDOUT, cwd=str(REPO))
    server = Server(proc, address, log)
    client = AccordClient(address, timeout=2.0, credentials=credentials)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"accord_server exited with {proc.returncode}:\n"
                                   + server.log_tail())
            try:
                client.wait_until_serving(timeout=1.0)
                return server
            except TimeoutError:
                continue
        raise RuntimeError("accord_server not serving after 60 s:\n" + server.log_tail())
    except BaseException:
        stop_server(server)
        raise
    finally:
        client.close()


def stop_server(server: Server) -> None:
    """Stops the server (SIGTERM, then SIGKILL after 10 s)."""
    if server.proc.poll() is None:
        server.proc.terminate()
        try:
            server.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.proc.kill()
            server.proc.wait()


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    """The real server binary, serving the bundled catalogue."""
    require_server_bin()
    with tempfile.TemporaryDirectory(prefix="accord-pytest-") as tmp:
        last: Exception = RuntimeError("not started")
        for attempt in range(3):  # the free port may be taken in between
            try:
                s = start_server(Path(tmp), attempt)
            except RuntimeError as e:
                last = e
                continue
            try:
                yield s
            finally:
                stop_server(s)
                if s.proc.returncode not in (0, -15):
                    sys.stderr.write(f"accord_server exit status {s.proc.returncode}:\n"
                                     + s.log_tail() + "\n")
            return
        pytest.fail(f"could not start accord_server: {last}", pytrace=False)


def require_server_bin() -> None:
    """Fails the test (not skips: a missing server must not pass) if the
    binary is missing."""
    if not SERVER_BIN.is_file():
        pytest.fail(f"server binary not found at {SERVER_BIN}: build it with "
                    "`cmake -S . -B build -G Ninja && cmake --build build --target "
                    "accord_server`, or set ACCORD_SERVER_BIN", pytrace=False)


@pytest.fixture(scope="session")
def address(server: Server) -> str:
    """host:port of the running server."""
    return server.address


@pytest.fixture()
def client(address: str) -> Iterator[AccordClient]:
    """A sync client connected to the server."""
    with AccordClient(address) as c:
        yield c


@pytest.fixture(scope="session")
def catalogue() -> catalog_pb2.Catalog:
    """Every *.textproto of the bundled catalogue, merged, parsed locally."""
    merged = catalog_pb2.Catalog()
    files = sorted(CATALOG_DIR.glob("*.textproto"))
    assert files, f"no catalogue at {CATALOG_DIR}"
    for f in files:
        part = catalog_pb2.Catalog()
        text_format.Parse(f.read_text("utf-8"), part)
        merged.MergeFrom(part)
    return merged


@pytest.fixture(scope="session")
def expected_names(catalogue: catalog_pb2.Catalog) -> Dict[str, List[str]]:
    """collection id -> sorted resource names in the bundled catalogue."""
    return {
        "countries": sorted(x.name for x in catalogue.countries),
        "partnerships": sorted(x.name for x in catalogue.partnerships),
        "agreements": sorted(x.name for x in catalogue.agreements),
        "commitments": sorted(x.name for x in catalogue.commitments),
        "cooperationAreas": sorted(x.name for x in catalogue.cooperation_areas),
        "sectors": sorted(x.name for x in catalogue.sectors),
        "sources": sorted(x.name for x in catalogue.sources),
        "assessments": sorted(x.name for x in catalogue.assessments),
    }
