"""Watch through the Python client and CLI, against real servers whose
catalogue copy the tests edit and reload with SIGHUP (docs/watch.md)."""

import asyncio
import json
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from accord_client import (AccordClient, AsyncAccordClient, InvalidArgumentError, Retry,
                           UnavailableError, WatchExpiredError)
from accord_client import cli

from conftest import CATALOG_DIR, REPO, SERVER_BIN, free_port, require_server_bin, start_server, \
    stop_server


@pytest.fixture()
def private_server(tmp_path):
    require_server_bin()
    catalog = tmp_path / "catalogue"
    shutil.copytree(CATALOG_DIR, catalog)
    server = start_server(tmp_path, catalog=catalog, extra_args=["--watch_log_versions=4"])
    try:
        yield server, catalog
    finally:
        stop_server(server)


def _write_sectors(catalog: Path, sectors: dict) -> None:
    text = "".join(f'sectors {{ name: "{n}" display_name: "{d}" }}\n'
                   for n, d in sorted(sectors.items()))
    tmp = catalog / "watch.textproto.tmp"
    tmp.write_text(text)
    tmp.rename(catalog / "watch.textproto")


def _reload(proc, client) -> str:
    st = client.get_catalog_status()
    before = st.reload_count + st.failed_reload_count
    proc.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        st = client.get_catalog_status()
        if st.reload_count + st.failed_reload_count > before:
            assert st.last_error == ""
            return str(st.version)
        time.sleep(0.02)
    raise AssertionError("no reload within 20 s")


def _next_within(events, seconds: float, log: Path):
    """``next(events)``, failing the test (with the server log) if it takes
    more than ``seconds``: a stream that never delivers must not stall the
    run. The iterator is advanced on a daemon thread, which is left behind
    if it never returns."""
    box: list = []

    def advance():
        try:
            box.append((True, next(events)))
        except BaseException as e:  # noqa: B036 (re-raised below)
            box.append((False, e))

    t = threading.Thread(target=advance, daemon=True)
    t.start()
    t.join(seconds)
    if not box:
        tail = log.read_text(errors="replace")[-4000:] if log.exists() else "(no log)"
        pytest.fail(f"no watch event within {seconds:g} s; server log:\n{tail}", pytrace=False)
    ok, value = box[0]
    if not ok:
        raise value
    return value


def _start_on(port: int, catalog: Path, log: Path) -> subprocess.Popen:
    """A server on ``port`` that drains quickly on SIGTERM, logging to ``log``."""
    with open(log, "ab") as f:
        return subprocess.Popen([str(SERVER_BIN), f"--listen=127.0.0.1:{port}",
                                 f"--catalog={catalog}", "--shutdown_drain=100ms",
                                 "--shutdown_grace=1s"],
                                stdout=f, stderr=subprocess.STDOUT, cwd=str(REPO))


def _apply(copy: dict, event) -> None:
    if event.type == "REMOVED":
        del copy[event.name]
    elif event.type in ("EXISTING", "ADDED"):
        assert event.name not in copy or event.type == "EXISTING"
        copy[event.name] = event.resource
    elif event.type == "MODIFIED":
        assert event.name in copy
        copy[event.name] = event.resource


def test_snapshot_then_every_reload_in_order(private_server):
    server, catalog = private_server
    with AccordClient(server.address) as client:
        events = client.watch("sectors", heartbeat_interval=1)
        copy: dict = {}
        for e in events:
            if e.type == "SNAPSHOT_COMPLETE":
                assert e.resume_token and e.version_complete
                break
            assert e.type == "EXISTING"
            assert type(e.resource).__name__ == "Sector" and e.resource.name == e.name
            _apply(copy, e)
        assert copy == {s.name: s for s in client.list_sectors()}

        model: dict = {}
        expected = []
        for round_ in range(8):
            before = dict(model)
            model[f"sectors/w-{round_}"] = f"Round {round_}"       # added
            if round_ >= 1:
                model[f"sectors/w-{round_ - 1}"] = f"Changed {round_}"  # modified
            if round_ >= 3:
                model.pop(f"sectors/w-{round_ - 3}", None)          # removed
            _write_sectors(catalog, model)
            version = _reload(server.proc, client)
            names = sorted(set(before) | set(model))
            expected.append((version, [
                ("ADDED" if n not in before else "REMOVED" if n not in model else "MODIFIED", n)
                for n in names if before.get(n) != model.get(n)]))

        seen = []
        for e in events:
            if not seen or seen[-1][0] != e.catalog_version:
                seen.append((e.catalog_version, []))
            seen[-1][1].append((e.type, e.name))
            _apply(copy, e)
            if e.catalog_version == expected[-1][0] and e.version_complete:
                break
        events.close()
        assert seen == expected
        assert copy == {s.name: s for s in client.list_sectors()}


def test_filter_moves_records_in_and_out(private_server):
    server, catalog = private_server
    with AccordClient(server.address) as client:
        _write_sectors(catalog, {"sectors/w-a": "Watched", "sectors/w-b": "Other"})
        _reload(server.proc, client)
        events = client.watch("sectors", filter='display_name = "Watched"')
        first = [next(events), next(events)]
        assert [(e.type, e.name) for e in first] == [("EXISTING", "sectors/w-a"),
                                                     ("SNAPSHOT_COMPLETE", "")]
        _write_sectors(catalog, {"sectors/w-a": "Other", "sectors/w-b": "Watched"})
        _reload(server.proc, client)
        got = [next(events), next(events)]
        events.close()
        assert [(e.type, e.name) for e in got] == [("REMOVED", "sectors/w-a"),
                                                   ("ADDED", "sectors/w-b")]
        assert got[0].resource is None and got[1].resource.display_name == "Watched"


def test_expired_token_raises_watch_expired(private_server):
    server, catalog = private_server
    with AccordClient(server.address) as client:
        events = client.watch("sectors", snapshot=False)
        marker = next(events)
        events.close()
        assert marker.type == "SNAPSHOT_COMPLETE" and marker.resume_token
        for i in range(5):  # the log keeps 4 versions
            _write_sectors(catalog, {"sectors/w-x": f"Round {i}"})
            _reload(server.proc, client)
        with pytest.raises(WatchExpiredError) as ei:
            next(client.watch("sectors", resume_token=marker.resume_token))
        assert ei.value.reason == "RESUME_TOKEN_EXPIRED" and ei.value.domain == "accord"
        with pytest.raises(InvalidArgumentError) as bad:
            next(client.watch("sectors", filter="colour = 1"))
        assert bad.value.reason == "UNKNOWN_FIELD"


class _Restartable:
    """Servers started one after another on one port, over one editable
    copy of the catalogue, logging to one file."""

    def __init__(self, tmp_path: Path):
        self.catalog = tmp_path / "catalogue"
        shutil.copytree(CATALOG_DIR, self.catalog)
        self.port = free_port()
        self.log = tmp_path / "server.log"
        self.procs: list = []

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> subprocess.Popen:
        self.procs.append(_start_on(self.port, self.catalog, self.log))
        return self.procs[-1]

    def stop_current(self) -> None:
        """SIGTERM to the newest server, which must exit cleanly."""
        self.procs[-1].send_signal(signal.SIGTERM)
        assert self.procs[-1].wait(timeout=20) == 0

    def kill_all(self) -> None:
        for p in self.procs:
            if p.poll() is None:
                p.kill()
                p.wait()


@pytest.fixture()
def restartable(tmp_path):
    require_server_bin()
    servers = _Restartable(tmp_path)
    servers.start()
    try:
        yield servers
    finally:
        servers.kill_all()


def _heartbeating_watch_then_stop(client, servers: _Restartable):
    """A sectors watch (no snapshot, 1 s heartbeats, retried for 30 s) that
    has reached SNAPSHOT_COMPLETE, after which the server is stopped."""
    client.wait_until_serving(timeout=30)
    events = client.watch("sectors", snapshot=False, retry=Retry(deadline=30),
                          heartbeat_interval=1, heartbeats=True)
    assert _next_within(events, 30, servers.log).type == "SNAPSHOT_COMPLETE"
    servers.stop_current()
    return events


def _reload_and_expect_added(events, client, servers: _Restartable, name: str) -> None:
    """Adds sector ``name`` to the catalogue, reloads the newest server, and
    asserts that the stream's next event is its ADDED."""
    _write_sectors(servers.catalog, {name: "Added after the break"})
    _reload(servers.procs[-1], client)
    e = _next_within(events, 40, servers.log)
    events.close()
    assert (e.type, e.name) == ("ADDED", name)


def test_resumes_across_a_server_restart(restartable):
    """The server restarts on the same port with the same catalogue: the
    iterator resumes from its token (the version is the same) and the next
    change after the restart arrives, with nothing before it repeated."""
    servers = restartable
    with AccordClient(servers.address, timeout=30) as client:
        events = _heartbeating_watch_then_stop(client, servers)
        servers.start()
        # Two heartbeats: at least the second comes from the new server,
        # so the stream has resumed there before the catalogue changes
        # (a reload first would make the token's version unknown there).
        assert [_next_within(events, 40, servers.log).type,
                _next_within(events, 40, servers.log).type] == ["HEARTBEAT", "HEARTBEAT"]
        _reload_and_expect_added(events, client, servers, "sectors/w-after")


def test_resumes_when_the_server_comes_back_later(restartable):
    """The iterator sees the break while nothing listens on the port, and
    the server comes back a second later: the resume attempts that fail to
    connect are retried, and the stream resumes on the new server. (With
    grpcio 1.51's own retry layer on, such an attempt got its UNAVAILABLE but
    the iterator then waited for ever.)"""
    servers = restartable
    with AccordClient(servers.address, timeout=30) as client:
        events = _heartbeating_watch_then_stop(client, servers)
        later = threading.Timer(1.0, servers.start)
        later.start()
        try:
            assert _next_within(events, 40, servers.log).type == "HEARTBEAT"
        finally:
            later.join()
        assert _next_within(events, 40, servers.log).type == "HEARTBEAT"
        _reload_and_expect_added(events, client, servers, "sectors/w-later")


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_gives_up_when_the_server_stays_away_past_the_retry_deadline(tmp_path, flavour):
    """Retry(deadline=2) bounds the resume attempts: with the server gone for
    good, the iterator raises UnavailableError about 2 s after the break
    (it used to retry for ever)."""
    require_server_bin()
    port = free_port()
    log = tmp_path / "server.log"
    proc = _start_on(port, CATALOG_DIR, log)
    try:
        if flavour == "sync":
            with AccordClient(f"127.0.0.1:{port}", timeout=30) as client:
                client.wait_until_serving(timeout=30)
                events = client.watch("sectors", snapshot=False, retry=Retry(deadline=2))
                assert _next_within(events, 30, log).type == "SNAPSHOT_COMPLETE"
                proc.send_signal(signal.SIGTERM)
                assert proc.wait(timeout=20) == 0
                start = time.monotonic()
                with pytest.raises(UnavailableError):
                    _next_within(events, 30, log)
                took = time.monotonic() - start
        else:
            async def main() -> float:
                async with AsyncAccordClient(f"127.0.0.1:{port}", timeout=30) as client:
                    await client.wait_until_serving(timeout=30)
                    events = client.watch("sectors", snapshot=False, retry=Retry(deadline=2))
                    first = await asyncio.wait_for(events.__anext__(), 30)
                    assert first.type == "SNAPSHOT_COMPLETE"
                    proc.send_signal(signal.SIGTERM)
                    assert await asyncio.get_running_loop().run_in_executor(
                        None, lambda: proc.wait(timeout=20)) == 0
                    start = time.monotonic()
                    with pytest.raises(UnavailableError):
                        await asyncio.wait_for(events.__anext__(), 30)
                    return time.monotonic() - start
            took = asyncio.run(main())
        assert 1.5 <= took <= 15, took
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_async_watch(private_server):
    server, catalog = private_server

    async def main():
        async with AsyncAccordClient(server.address) as client:
            events = client.watch("sectors", snapshot=False)
            first = await events.__anext__()
            assert first.type == "SNAPSHOT_COMPLETE"
            _write_sectors(catalog, {"sectors/w-async": "Async"})
            await asyncio.get_running_loop().run_in_executor(
                None, lambda: _reload(server.proc, AccordClient(server.address)))
            e = await events.__anext__()
            await events.aclose()
            return e

    e = asyncio.run(main())
    assert (e.type, e.name) == ("ADDED", "sectors/w-async")
    assert e.resource.display_name == "Async" and e.resume_token


def test_cli_watch_prints_one_json_line_per_event(private_server, capsys):
    server, catalog = private_server

    def change():
        time.sleep(0.5)
        _write_sectors(catalog, {"sectors/w-cli": "From the CLI test"})
        with AccordClient(server.address) as c:
            _reload(server.proc, c)

    t = threading.Thread(target=change)
    t.start()
    code = cli.main(["-a", server.address, "watch", "sectors", "--no-snapshot", "--limit", "1",
                     "-o", "json"])
    t.join()
    assert code == cli.EXIT_OK
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["type"] for line in lines] == ["SNAPSHOT_COMPLETE", "ADDED"]
    assert lines[1]["name"] == "sectors/w-cli"
    assert lines[1]["resource"]["display_name"] == "From the CLI test"
    assert lines[1]["resume_token"]


def test_metrics_count_watch_streams_by_code(tmp_path):
    """Through the server's Prometheus endpoint: a refused stream and a
    cancelled one are counted as server_stream calls with their codes."""
    import urllib.request
    require_server_bin()
    metrics_port = free_port()
    server = start_server(tmp_path, extra_args=[f"--metrics_listen=127.0.0.1:{metrics_port}"])
    try:
        with AccordClient(server.address) as client:
            with pytest.raises(InvalidArgumentError):
                next(client.watch("sectors", filter="colour = 1"))
            events = client.watch("sectors", snapshot=False)
            assert next(events).type == "SNAPSHOT_COMPLETE"
            events.close()  # cancels the stream
        wanted = {
            'grpc_server_handled_total{grpc_code="InvalidArgument",grpc_method="Watch",'
            'grpc_service="accord.v1.AccordService",grpc_type="server_stream"} 1',
            'grpc_server_handled_total{grpc_code="Canceled",grpc_method="Watch",'
            'grpc_service="accord.v1.AccordService",grpc_type="server_stream"} 1',
            'grpc_server_started_total{grpc_method="Watch",grpc_service="accord.v1.AccordService",'
            'grpc_type="server_stream"} 2',
        }
        deadline = time.monotonic() + 10
        while True:
            with urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/metrics") as r:
                lines = set(r.read().decode().splitlines())
            if wanted <= lines or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert wanted <= lines, sorted(line for line in lines if "Watch" in line)
    finally:
        stop_server(server)


def test_cli_watch_stops_cleanly_on_ctrl_c(private_server):
    """`accord watch` streams until interrupted; Ctrl-C (SIGINT) ends it with
    status 130 and one line, no traceback."""
    import sys
    server, _ = private_server
    proc = subprocess.Popen([sys.executable, "-m", "accord_client", "-a", server.address,
                             "watch", "sectors", "--no-snapshot", "-o", "name",
                             "--heartbeats", "--heartbeat-interval", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(1.5)  # connected, idle
        assert proc.poll() is None
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, (out, err)
    assert err == "accord: interrupted\n"
    assert "Traceback" not in out
