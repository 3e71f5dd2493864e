"""Why 1: a server restart shorter than the retry deadline is invisible.

List with page_size=1, SIGTERM the server mid-iteration, start it again 50 ms
after it exited, on the same port: the next item arrives (the old client
raised UnavailableError after 0.71 s, in 3 of 3 trials)."""

import asyncio
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from accord_client import AccordClient, AsyncAccordClient, Retry, UnavailableError

from conftest import CATALOG_DIR, REPO, SERVER_BIN, free_port, require_server_bin

TRIALS = 3


def _start(port: int, log: Path) -> subprocess.Popen:
    with open(log, "ab") as f:
        return subprocess.Popen([str(SERVER_BIN), f"--listen=127.0.0.1:{port}",
                                 f"--catalog={CATALOG_DIR}"], stdout=f,
                                stderr=subprocess.STDOUT, cwd=str(REPO))


def _wait_serving(address: str) -> None:
    with AccordClient(address, timeout=30) as c:
        c.wait_until_serving(timeout=30)


def _restart(proc: subprocess.Popen, port: int, log: Path) -> subprocess.Popen:
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=20) == 0
    time.sleep(0.05)
    return _start(port, log)


@pytest.fixture()
def restartable(tmp_path):
    require_server_bin()
    port = free_port()
    log = tmp_path / "server.log"
    procs = [_start(port, log)]
    _wait_serving(f"127.0.0.1:{port}")
    yield port, log, procs
    for p in procs:
        if p.poll() is None:
            p.kill()
            p.wait()


@pytest.mark.parametrize("trial", range(TRIALS))
def test_restart_mid_iteration_is_invisible(restartable, expected_names, trial):
    port, log, procs = restartable
    with AccordClient(f"127.0.0.1:{port}") as client:
        it = iter(client.list_agreements(page_size=1))
        first = next(it)
        procs.append(_restart(procs[-1], port, log))
        t0 = time.monotonic()
        second = next(it)
        elapsed = time.monotonic() - t0
        rest = list(it)
    assert [first.name, second.name, *(a.name for a in rest)] == expected_names["agreements"]
    assert elapsed < 10, elapsed  # within the default timeout, retries included


def test_restart_mid_iteration_async(restartable, expected_names):
    port, log, procs = restartable

    async def main():
        async with AsyncAccordClient(f"127.0.0.1:{port}") as client:
            it = client.list_agreements(page_size=1).__aiter__()
            names = [(await it.__anext__()).name]
            procs.append(await asyncio.get_running_loop().run_in_executor(
                None, _restart, procs[-1], port, log))
            async for a in it:
                names.append(a.name)
            return names

    assert asyncio.run(main()) == expected_names["agreements"]


def test_without_retry_the_restart_is_seen(restartable):
    """The same restart with retry=None fails: the test above is not vacuous."""
    port, log, procs = restartable
    with AccordClient(f"127.0.0.1:{port}", retry=None) as client:
        it = iter(client.list_agreements(page_size=1))
        next(it)
        procs[-1].send_signal(signal.SIGTERM)
        procs[-1].wait(timeout=20)
        with pytest.raises(UnavailableError):
            next(it)


def test_retry_deadline_shorter_than_the_outage_fails(restartable):
    port, log, procs = restartable
    procs[-1].send_signal(signal.SIGTERM)
    procs[-1].wait(timeout=20)
    with AccordClient(f"127.0.0.1:{port}") as client:
        t0 = time.monotonic()
        with pytest.raises(UnavailableError):
            client.get_country("my", retry=Retry(deadline=0.5))
        assert 0.4 < time.monotonic() - t0 < 2.0
