"""FAILED_PRECONDITION after a catalogue reload, on a private server whose
catalogue copy the test edits and reloads with SIGHUP."""

import shutil
import signal
import time

import pytest

from accord_client import AccordClient, FailedPreconditionError

from conftest import CATALOG_DIR, require_server_bin, start_server, stop_server


@pytest.fixture()
def private_server(tmp_path):
    require_server_bin()
    catalog = tmp_path / "catalogue"
    shutil.copytree(CATALOG_DIR, catalog)
    server = start_server(tmp_path, catalog=catalog)
    try:
        yield server, catalog
    finally:
        stop_server(server)


def _reload_and_wait(server, client, before):
    server.proc.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        st = client.get_catalog_status()
        if st.reload_count + st.failed_reload_count > before:
            return st
        time.sleep(0.05)
    raise AssertionError("no reload within 20 s:\n" + server.log_tail())


def test_page_token_fails_after_the_catalogue_changed(private_server):
    server, catalog = private_server
    with AccordClient(server.address) as client:
        st0 = client.get_catalog_status()
        first = client.list_countries(page_size=1).first_page()
        assert first.next_page_token
        countries = catalog / "countries.textproto"
        countries.write_text(countries.read_text().replace('display_name: "China"',
                                                           'display_name: "China (edited)"'))
        st1 = _reload_and_wait(server, client, st0.reload_count + st0.failed_reload_count)
        assert st1.last_error == "" and st1.version != st0.version
        assert client.get_country("cn").display_name == "China (edited)"
        with pytest.raises(FailedPreconditionError) as ei:
            list(client.list_countries(page_size=1, page_token=first.next_page_token))
        e = ei.value
        assert e.reason == "CATALOG_CHANGED" and e.domain == "accord"
        assert [f for f, _ in e.field_violations] == ["page_token"]
        assert e.metadata.get("version") == st1.version
        # Starting again works.
        assert len(list(client.list_countries(page_size=1))) == 3


def test_failed_reload_keeps_serving_and_is_reported(private_server):
    server, catalog = private_server
    with AccordClient(server.address) as client:
        st0 = client.get_catalog_status()
        (catalog / "countries.textproto").write_text("countries { name: ")  # broken
        st1 = _reload_and_wait(server, client, st0.reload_count + st0.failed_reload_count)
        assert st1.failed_reload_count == st0.failed_reload_count + 1
        assert st1.last_error
        assert st1.version == st0.version
        assert client.get_country("my").display_name == "Malaysia"
