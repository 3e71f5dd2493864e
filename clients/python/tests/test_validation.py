"""Why 12 and "Errors": mistakes the client sees before calling raise
AccordError subclasses with a field violation; reasons are constants checked
against docs/errors.md."""

import re
from pathlib import Path

import grpc
import pytest

from accord_client import AccordClient, AccordError, InvalidArgumentError, reasons

DOCS = Path(__file__).resolve().parents[3] / "docs"


def _client_err(ei, reason, field):
    e = ei.value
    assert isinstance(e, AccordError) and isinstance(e, InvalidArgumentError)
    assert e.code is grpc.StatusCode.INVALID_ARGUMENT
    assert (e.reason, e.domain) == (reason, reasons.CLIENT_DOMAIN)
    assert [f for f, _ in e.field_violations] == [field]
    assert e.error_info is not None and e.bad_request is not None
    return e


def test_unknown_collection():
    with AccordClient("127.0.0.1:1") as c:
        with pytest.raises(InvalidArgumentError) as ei:
            c.list("agreementz")
    e = _client_err(ei, reasons.UNKNOWN_COLLECTION, "collection")
    assert "did you mean 'agreements'" in e.message


def test_get_of_a_non_name():
    with AccordClient("127.0.0.1:1") as c:
        with pytest.raises(InvalidArgumentError) as ei:
            c.get("foo")
        _client_err(ei, reasons.INVALID_NAME, "name")
        with pytest.raises(InvalidArgumentError) as ei:
            c.get_agreement(42)  # type: ignore[arg-type]
        _client_err(ei, reasons.INVALID_TYPE, "name")


def test_batch_get_of_a_single_str():
    with AccordClient("127.0.0.1:1") as c:
        with pytest.raises(InvalidArgumentError) as ei:
            c.batch_get_agreements("x")
        _client_err(ei, reasons.INVALID_TYPE, "names")
        with pytest.raises(InvalidArgumentError) as ei:
            c.batch_get_agreements(["a", 3])  # type: ignore[list-item]
        _client_err(ei, reasons.INVALID_TYPE, "names[1]")


def test_page_size_and_timeout():
    with AccordClient("127.0.0.1:1") as c:
        with pytest.raises(InvalidArgumentError) as ei:
            c.list_sectors(page_size=-5)
        _client_err(ei, reasons.INVALID_PAGE_SIZE, "page_size")
        with pytest.raises(InvalidArgumentError) as ei:
            c.get_country("my", timeout=-1)
        _client_err(ei, reasons.OUT_OF_RANGE, "timeout")


def test_bad_address_url():
    with pytest.raises(InvalidArgumentError) as ei:
        AccordClient("http://host:1/path")
    _client_err(ei, reasons.INVALID_NAME, "address")


def test_client_errors_pickle():
    import pickle
    with AccordClient("127.0.0.1:1") as c:
        with pytest.raises(InvalidArgumentError) as ei:
            c.list("nope")
    again = pickle.loads(pickle.dumps(ei.value))
    assert (again.reason, again.field_violations) == (ei.value.reason, ei.value.field_violations)


def test_reason_constants_match_docs_errors_md():
    text = (DOCS / "errors.md").read_text()
    table = [l for l in text.splitlines() if l.startswith("| `")]
    documented = set()
    for line in table:
        cell = line.split("|")[2]
        documented |= set(re.findall(r"`([A-Z_]+)`", cell))
    documented.discard("CANCELLED")  # "as the code": not a reason the server sets
    documented.discard("DEADLINE_EXCEEDED")
    assert documented <= reasons.SERVER_REASONS, (
        f"docs/errors.md has reasons reasons.py lacks: "
        f"{sorted(documented - reasons.SERVER_REASONS)}")
    assert reasons.SERVER_REASONS == documented, (
        f"reasons.py has reasons docs/errors.md lacks: "
        f"{sorted(reasons.SERVER_REASONS - documented)}")
    for name in reasons.SERVER_REASONS | reasons.CLIENT_REASONS:
        assert getattr(reasons, name) == name


def test_client_reasons_are_documented():
    text = (DOCS / "python.md").read_text()
    for name in reasons.CLIENT_REASONS:
        assert f"`{name}`" in text, name
    assert f"`{reasons.CLIENT_DOMAIN}`" in text
