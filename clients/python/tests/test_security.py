"""TLS, mutual TLS and bearer tokens: the client's credentials= and token=
(and the CLI's --tls/--ca-file/--cert/--key/--token) against the real server."""

import asyncio
import shutil
import subprocess

import grpc
import pytest

from accord_client import (AccordClient, AsyncAccordClient, PermissionDeniedError,
                           UnauthenticatedError, UnavailableError)
from accord_client.raw import health_pb2

from conftest import require_server_bin, start_server, stop_server
from test_cli import accord

TOKEN = "alpha-token-123"

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None,
                                reason="needs the openssl CLI to make test certificates")


def _run(*cmd):
    subprocess.run(cmd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """A CA, a server certificate for 127.0.0.1/localhost and a client one."""
    d = tmp_path_factory.mktemp("pki")
    (d / "san.ext").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    _run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
         "/CN=accord-test-ca", "-keyout", str(d / "ca.key"), "-out", str(d / "ca.pem"))
    for who, ext in (("server", True), ("client", False)):
        _run("openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj",
             "/CN=localhost" if who == "server" else "/CN=accord-client",
             "-keyout", str(d / f"{who}.key"), "-out", str(d / f"{who}.csr"))
        _run("openssl", "x509", "-req", "-days", "2", "-in", str(d / f"{who}.csr"),
             "-CA", str(d / "ca.pem"), "-CAkey", str(d / "ca.key"), "-CAcreateserial",
             *(["-extfile", str(d / "san.ext")] if ext else []),
             "-out", str(d / f"{who}.pem"))
    return d


def _creds(pki, client_cert=False):
    kw = {}
    if client_cert:
        kw = dict(private_key=(pki / "client.key").read_bytes(),
                  certificate_chain=(pki / "client.pem").read_bytes())
    return grpc.ssl_channel_credentials(root_certificates=(pki / "ca.pem").read_bytes(), **kw)


@pytest.fixture(scope="module")
def token_server(tmp_path_factory):
    require_server_bin()
    d = tmp_path_factory.mktemp("token-server")
    (d / "tokens").write_text(f"# accepted tokens\n{TOKEN}\n")
    server = start_server(d, extra_args=[f"--auth_token_file={d / 'tokens'}"])
    yield server
    stop_server(server)


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory, pki):
    require_server_bin()
    d = tmp_path_factory.mktemp("tls-server")
    server = start_server(d, extra_args=[f"--tls_cert={pki / 'server.pem'}",
                                         f"--tls_key={pki / 'server.key'}"],
                          credentials=_creds(pki))
    yield server
    stop_server(server)


@pytest.fixture(scope="module")
def mtls_server(tmp_path_factory, pki):
    require_server_bin()
    d = tmp_path_factory.mktemp("mtls-server")
    server = start_server(d, extra_args=[f"--tls_cert={pki / 'server.pem'}",
                                         f"--tls_key={pki / 'server.key'}",
                                         f"--tls_client_ca={pki / 'ca.pem'}"],
                          credentials=_creds(pki, client_cert=True))
    yield server
    stop_server(server)


def test_missing_token_is_unauthenticated(token_server):
    with AccordClient(token_server.address) as c:
        with pytest.raises(UnauthenticatedError) as ei:
            c.get_country("my")
        assert ei.value.code is grpc.StatusCode.UNAUTHENTICATED
        # service/server/auth.cc sends TOKEN_MISSING (docs/errors.md said
        # UNAUTHENTICATED when this was written).
        assert ei.value.reason == "TOKEN_MISSING" and ei.value.domain == "accord"
        assert ei.value.metadata == {"header": "authorization"}
        # Health needs no token.
        assert c.health().status == health_pb2.HealthCheckResponse.SERVING


def test_wrong_token_is_unauthenticated(token_server):
    with AccordClient(token_server.address, token="not-the-token") as c:
        with pytest.raises(UnauthenticatedError) as ei:
            c.get_country("my")
    assert ei.value.reason == "TOKEN_REJECTED" and ei.value.domain == "accord"


def test_token_on_every_call_and_page(token_server, expected_names):
    with AccordClient(token_server.address, token=TOKEN) as c:
        assert c.get_country("my").display_name == "Malaysia"
        assert [a.name for a in c.list_agreements(page_size=1)] == expected_names["agreements"]
        assert c.get_catalog_status().name == "catalogStatus"


def test_async_token(token_server):
    async def main():
        async with AsyncAccordClient(token_server.address, token=lambda: TOKEN) as c:
            return [x.name async for x in c.list_countries(page_size=1)]

    assert asyncio.run(main()) == ["countries/cn", "countries/my", "countries/us"]


def test_cli_token(token_server):
    r = accord("get", "countries/my", address=token_server.address)
    assert r.returncode == 1 and "UNAUTHENTICATED" in r.stderr
    assert len(r.stderr.splitlines()) == 1
    r = accord("get", "countries/my", "--token", "nope", address=token_server.address)
    assert r.returncode == 1 and "UNAUTHENTICATED" in r.stderr
    r = accord("get", "countries/my", "--token", TOKEN, address=token_server.address)
    assert r.returncode == 0 and "Malaysia" in r.stdout
    r = accord("list", "countries", address=token_server.address, env={"ACCORD_TOKEN": TOKEN})
    assert r.returncode == 0 and len(r.stdout.splitlines()) == 4


def test_tls(tls_server, pki):
    with AccordClient(tls_server.address, credentials=_creds(pki)) as c:
        assert c.get_agreement("my-us-reciprocal-trade-2025").short_title == "ART"
    with AccordClient(tls_server.address, timeout=5) as plaintext:
        with pytest.raises(UnavailableError):
            plaintext.get_country("my")


def test_tls_async(tls_server, pki):
    async def main():
        async with AsyncAccordClient(tls_server.address, credentials=_creds(pki)) as c:
            return (await c.get_country("us")).iso_code

    assert asyncio.run(main()) == "US"


def test_cli_tls(tls_server, pki):
    r = accord("get", "countries/my", "--ca-file", str(pki / "ca.pem"),
               address=tls_server.address)
    assert r.returncode == 0 and "Malaysia" in r.stdout, r.stderr
    r = accord("get", "countries/my", address=tls_server.address)
    assert r.returncode == 3
    r = accord("get", "countries/my", "--ca-file", str(pki / "missing.pem"),
               address=tls_server.address)
    assert r.returncode == 2


def test_mutual_tls(mtls_server, pki):
    with AccordClient(mtls_server.address, credentials=_creds(pki, client_cert=True)) as c:
        assert c.get_country("my").iso_code == "MY"
    with AccordClient(mtls_server.address, credentials=_creds(pki), timeout=5) as c:
        with pytest.raises(UnavailableError):
            c.get_country("my")
    r = accord("get", "countries/my", "--ca-file", str(pki / "ca.pem"),
               "--cert", str(pki / "client.pem"), "--key", str(pki / "client.key"),
               address=mtls_server.address)
    assert r.returncode == 0 and "Malaysia" in r.stdout, r.stderr
    r = accord("get", "countries/my", "--cert", str(pki / "client.pem"),
               address=mtls_server.address)
    assert r.returncode == 2 and "--key" in r.stderr
