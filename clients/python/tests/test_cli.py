"""The `accord` command as a subprocess: output formats and exit codes."""

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ART, ART_COMMITMENT, ART_ID, unused_address

_SCRIPT = Path(sys.executable).parent / "accord"
ACCORD = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "accord_client"]


def accord(*args, address=None, env=None, proc=False):
    """Runs `accord ARGS [--address ADDRESS]`: in this process (fast) unless
    ``proc``, in which case as the installed console script in a subprocess
    (what needs the real entry point: gRPC's log lines, signals, pipes)."""
    e = dict(os.environ)
    e.pop("ACCORD_ADDRESS", None)
    e.pop("ACCORD_TOKEN", None)
    e.pop("COLUMNS", None)
    e.update(env or {})
    cmd = list(args)
    if address:
        cmd += ["--address", address]
    if proc:
        return subprocess.run(ACCORD + cmd, capture_output=True, text=True, env=e, timeout=60)
    return _in_process(cmd, e)


def _in_process(cmd, env):
    import contextlib
    from accord_client import cli
    out, err = io.StringIO(), io.StringIO()
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(cmd, stdout=out, stderr=err)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return subprocess.CompletedProcess(["accord", *cmd], code, out.getvalue(), err.getvalue())


def test_console_script_is_installed():
    assert _SCRIPT.exists() or shutil.which("accord"), "the `accord` console script"


def test_get_table(address):
    r = accord("get", ART, address=address)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["FIELD", "VALUE"]
    assert any(l.split() == ["short_title", "ART"] for l in lines)
    assert any(l.startswith("title") and "Agreement on Reciprocal Trade" in l for l in lines)
    assert r.stderr == ""


def test_list_agreements_table(address, catalogue):
    r = accord("list", "agreements", address=address)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split()[:3] == ["NAME", "SHORT_TITLE", "TITLE"]
    assert len(lines) == 1 + len(catalogue.agreements)
    art = next(l for l in lines if l.startswith(ART + " "))
    assert "Agreement on Reciprocal Trade" in art and "ART" in art
    assert "TRADE_AGREEMENT" in art and "2025-10-26" in art


def test_list_json(address, expected_names):
    r = accord("list", "agreements", "-o", "json", address=address)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert [a["name"] for a in data] == expected_names["agreements"]
    art = next(a for a in data if a["name"] == ART)
    # snake_case keys, as --read-mask, filters, tables and csv use (Why 6).
    assert art["short_title"] == "ART" and art["parties"] == ["countries/my", "countries/us"]
    assert "shortTitle" not in art


def test_get_json_and_yaml(address):
    r = accord("--output", "json", "get", ART, address=address)  # option before command
    assert r.returncode == 0, r.stderr
    art = json.loads(r.stdout)
    assert art["name"] == ART and art["kind"] == "TRADE_AGREEMENT"
    r = accord("get", ART, "-o", "yaml", "--read-mask", "name,short_title,parties",
               address=address)
    assert r.returncode == 0, r.stderr
    assert r.stdout == (f"name: {ART}\nshort_title: ART\n"
                        "parties:\n  - countries/my\n  - countries/us\n")


def test_get_several_names_and_kinds(address):
    r = accord("get", "countries/my", "countries/us", "-o", "csv", address=address)
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [(x["name"], x["display_name"]) for x in rows] == \
        [("countries/my", "Malaysia"), ("countries/us", "United States")]
    r = accord("get", ART_COMMITMENT, "catalogStatus", "-o", "json", address=address)
    assert r.returncode == 0, r.stderr
    com, status = json.loads(r.stdout)
    assert com["name"] == ART_COMMITMENT and status["name"] == "catalogStatus"


def test_list_csv(address, catalogue):
    r = accord("list", "countries", "-o", "csv", address=address)
    assert r.returncode == 0, r.stderr
    rows = list(csv.reader(io.StringIO(r.stdout)))
    assert rows[0] == ["name", "display_name", "iso_code", "region", "subregion"]
    assert rows[1:] == sorted([c.name, c.display_name, c.iso_code, c.region, c.subregion]
                              for c in catalogue.countries)


def test_list_filter_order_limit_mask(address):
    r = accord("list", "countries", "--filter", 'region = "Asia"', "--order-by",
               "display_name desc", "--read-mask", "name,display_name", "-o", "csv",
               "--no-headers", address=address)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "countries/my,Malaysia\ncountries/cn,China\n"
    r = accord("list", "agreements", "--limit", "2", "--page-size", "1", "-o", "json",
               address=address)
    assert r.returncode == 0, r.stderr
    assert len(json.loads(r.stdout)) == 2
    r = accord("list", "agreements", "--limit", "2", address=address)
    assert len(r.stdout.splitlines()) == 3
    assert "2 of 6" in r.stderr


def test_list_commitments_of_an_agreement(address, catalogue):
    want = sorted(c.name for c in catalogue.commitments if c.name.startswith(ART + "/"))
    r = accord("list", "commitments", "--agreement", ART_ID, "-o", "json", address=address)
    assert r.returncode == 0, r.stderr
    assert [c["name"] for c in json.loads(r.stdout)] == want


@pytest.mark.parametrize("spelling", ["cooperationAreas", "cooperation-areas", "sectors",
                                      "sources", "assessments", "partnerships"])
def test_list_any_collection(address, expected_names, spelling):
    from accord_client import names
    coll = names.collection(spelling).id
    r = accord("list", spelling, "-o", "json", address=address)
    assert r.returncode == 0, r.stderr
    assert [x["name"] for x in json.loads(r.stdout)] == expected_names[coll]


def test_status_and_health(address, expected_names):
    r = accord("status", address=address)
    assert r.returncode == 0, r.stderr
    counts = next(l for l in r.stdout.splitlines() if l.startswith("record_counts"))
    assert f"agreements={len(expected_names['agreements'])}," in counts
    assert counts.split(None, 1)[1].startswith("agreements=")  # keys sorted
    r = accord("status", "-o", "json", address=address)
    st = json.loads(r.stdout)
    # Numbers are numbers (Why 6), not the proto3 JSON mapping's int64 strings.
    assert st["record_counts"] == {k: len(v) for k, v in expected_names.items()}
    assert list(st["record_counts"]) == sorted(st["record_counts"])
    r = accord("health", address=address)
    assert (r.returncode, r.stdout) == (0, "SERVING\n")


def test_address_from_env(address):
    r = accord("get", "countries/my", "-o", "json", env={"ACCORD_ADDRESS": address})
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["iso_code"] == "MY"


def test_not_found_exit_code(address):
    r = accord("get", "agreements/does-not-exist", address=address)
    assert r.returncode == 1
    assert r.stdout == ""
    lines = r.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: NOT_FOUND: ")
    assert "agreements/does-not-exist" in lines[0] and "RESOURCE_NOT_FOUND" in lines[0]


def test_bad_filter_exit_code(address):
    r = accord("list", "agreements", "--filter", "kind =", address=address)
    assert r.returncode == 1
    lines = r.stderr.splitlines()
    assert len(lines) == 3  # the error, the filter, a caret under the problem
    assert lines[0].startswith("error: INVALID_ARGUMENT: offset 6")
    assert "filter" in lines[0] and "FILTER_SYNTAX" in lines[0]
    assert lines[1] == "  --filter kind ="
    assert lines[2].index("^") == len("  --filter kind =")


def test_bad_order_by_and_mask_exit_codes(address):
    r = accord("list", "agreements", "--order-by", "nosuch", address=address)
    assert r.returncode == 1 and "order_by" in r.stderr
    r = accord("get", ART, "--read-mask", "bogus", address=address)
    assert r.returncode == 1 and "read_mask" in r.stderr and "bogus" in r.stderr


def test_connection_refused_exit_code():
    addr = unused_address()
    r = accord("list", "agreements", address=addr)
    assert r.returncode == 3
    lines = r.stderr.splitlines()
    assert len(lines) == 1
    assert addr in lines[0] and "is the server running" in lines[0]
    assert "./scripts/run" in lines[0]
    r = accord("health", address=addr)
    assert r.returncode == 3


@pytest.mark.parametrize("args", [
    [],
    ["frobnicate"],
    ["get"],
    ["list"],
    ["list", "treaties"],
    ["list", "agreements", "--agreement", "x"],
    ["list", "agreements", "--limit", "-1"],
    ["list", "agreements", "--output", "xml"],
    ["get", "treaties/x"],
    ["get", "agreements/x/y"],
    ["--timeout", "0", "health"],
])
def test_usage_errors_exit_2(args):
    r = accord(*args, address=unused_address())
    assert r.returncode == 2, (args, r.stdout, r.stderr)
    assert r.stderr.strip()


def test_help_and_version():
    r = accord("--help", proc=True)
    assert r.returncode == 0 and "accord" in r.stdout and "list" in r.stdout
    r = accord("--version", proc=True)
    assert r.returncode == 0 and r.stdout.startswith("accord ")
