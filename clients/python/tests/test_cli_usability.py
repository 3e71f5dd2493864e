"""The `accord` CLI's answers to issue 9's "Why" list, as a user sees them."""

import csv
import io
import json
import os
import shutil
import subprocess

import pytest

from accord_client import formatting
from accord_client.cli import char_column

from conftest import ART, ART_ID, unused_address
from test_cli import ACCORD, accord


# -- Why 2: tables fit an 80-column terminal; NAME is never clipped ---------

@pytest.mark.parametrize("args", [["list", "agreements"],
                                  ["list", "commitments", "--limit", "4"],
                                  ["list", "countries"], ["get", ART]])
def test_tables_fit_80_columns(address, expected_names, args):
    r = accord(*args, address=address, env={"COLUMNS": "80"})
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    if args[0] == "list":
        names = [l.split()[0] for l in lines[1:]]
        coll = args[1]
        # Every NAME whole, and so all different; each a real name.
        assert len(set(names)) == len(names) and all(n in expected_names[coll] for n in names)
        assert not any("…" in n for n in names)
        longest_name = max(len(n) for n in names)
        assert all(len(l) <= max(80, longest_name) for l in lines), lines
    else:
        assert all(len(l) <= 80 for l in lines), lines


def test_wide_and_pipes_are_not_clipped(address):
    r = accord("list", "agreements", "-o", "wide", address=address, env={"COLUMNS": "80"})
    assert r.returncode == 0 and "…" not in r.stdout
    assert "Agreement on Reciprocal Trade" in r.stdout and "ENTRY_INTO_FORCE_DATE" in r.stdout
    r = accord("list", "agreements", address=address)  # a pipe, no $COLUMNS: no fitting
    assert "Agreement on Reciprocal Trade" in r.stdout and "…" not in r.stdout


def test_shrinks_long_text_first():
    header = ["NAME", "KIND", "TITLE"]
    widths = formatting.fit_widths(header, [20, 12, 60], 60, fixed=(0,))
    assert widths[0] == 20 and widths[1] == 12 and sum(widths) + 4 <= 60
    # Not enough room even at the minimum: columns go from the right.
    widths = formatting.fit_widths(header, [70, 12, 60], 80, fixed=(0,))
    assert widths[0] == 70 and widths[2] == 0


def test_in_a_real_terminal(address):
    """Through a pseudo-terminal of 80 columns (no $COLUMNS)."""
    pty = pytest.importorskip("pty")
    import fcntl
    import struct
    import termios
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 80, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "ACCORD_ADDRESS")}
    p = subprocess.Popen(ACCORD + ["list", "agreements", "--address", address], stdout=slave,
                         stderr=subprocess.PIPE, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    p.wait(timeout=60)
    os.close(master)
    lines = b"".join(chunks).decode().replace("\r", "").splitlines()
    assert p.returncode == 0 and lines[0].startswith("NAME")
    assert all(len(l) <= 80 for l in lines), lines


# -- Why 4: one collection per CSV -------------------------------------------

def test_mixed_collection_csv_is_refused(address):
    r = accord("get", "agreements/my-us-acsa", "countries/my", "-o", "csv", address=address)
    assert r.returncode == 2 and r.stdout == ""
    assert "csv holds one collection" in r.stderr
    r = accord("get", "agreements/my-us-acsa", "countries/my", "-o", "json", address=address)
    assert r.returncode == 0 and len(json.loads(r.stdout)) == 2


# -- Why 5: --limit 0 means no limit -----------------------------------------

def test_limit_zero_is_no_limit(address, expected_names):
    r = accord("list", "agreements", "--limit", "0", "-o", "name", address=address)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == expected_names["agreements"]
    assert "no agreements found" not in r.stderr


# -- Why 6: JSON for scripts --------------------------------------------------

def test_status_json_numbers_and_defaults(address):
    r = accord("status", "-o", "json", address=address)
    st = json.loads(r.stdout)
    assert isinstance(st["load_duration_ms"], int)
    assert "reload_count" not in st  # zero values are left out...
    r = accord("status", "-o", "json", "--emit-defaults", address=address)
    st = json.loads(r.stdout)
    assert st["reload_count"] == 0 and st["last_error"] == ""  # ...unless asked
    r = accord("status", "-o", "json", "--no-proto-names", address=address)
    st = json.loads(r.stdout)
    assert isinstance(st["recordCounts"]["agreements"], int) and "record_counts" not in st


def test_select_paths(address):
    r = accord("get", ART, "--select", "name,sign_date,events[0].type,events[*].date",
               "-o", "json", address=address)
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["name"] == ART and d["sign_date"] == "2025-10-26"
    assert d["events[0].type"] == "SIGNED" and d["events[*].date"][0] == "2025-10-26"
    r = accord("list", "countries", "--select", "name,iso_code", "-o", "csv", address=address)
    rows = list(csv.reader(io.StringIO(r.stdout)))
    assert rows[0] == ["name", "iso_code"] and ["countries/my", "MY"] in rows
    r = accord("list", "countries", "--select", "name,[", address=address)
    assert r.returncode == 2 and "--select" in r.stderr


def test_output_name(address, expected_names):
    r = accord("list", "countries", "-o", "name", address=address)
    assert r.stdout.splitlines() == expected_names["countries"]


# -- Why 9: a caret under the filter error, in characters ----------------------

def test_caret_counts_characters_not_bytes(address):
    flt = 'title = "Acuerdo café – x" AND knd = TREATY'
    r = accord("list", "agreements", "--filter", flt, address=address)
    assert r.returncode == 1
    first, echo, caret = r.stderr.splitlines()
    assert "UNKNOWN_FIELD" in first and "offset 34" in first  # the server's byte offset
    assert echo == f"  --filter {flt}"
    col = caret.index("^") - len("  --filter ")
    assert col == flt.index("knd") == 31
    assert "(character 32)" in caret
    assert char_column(flt, 34) == 31 and char_column("abc", 2) == 2


# -- Why 10: TLS and URL hints -------------------------------------------------

def test_http_and_https_addresses(address):
    r = accord("get", "countries/my", "-o", "name", address=f"http://{address}")
    assert (r.returncode, r.stdout) == (0, "countries/my\n"), r.stderr
    r = accord("get", "countries/my", address=f"https://{address}", proc=True)
    assert r.returncode == 3
    assert "may not use TLS" in r.stderr
    assert "ssl_transport_security" not in r.stderr  # gRPC's own log lines are quiet
    assert "scripts/run" not in r.stderr  # the server is running: do not suggest starting it
    r = accord("get", "countries/my", address=f"ftp://{address}")
    assert r.returncode == 2 and "http://" in r.stderr


def test_tls_to_a_plaintext_server(address):
    r = accord("--tls", "get", "countries/my", address=address, proc=True)
    assert r.returncode == 3
    assert len(r.stderr.splitlines()) == 1
    assert "may not use TLS" in r.stderr and "ssl_transport_security" not in r.stderr


def test_refused_connection_still_suggests_starting_a_server():
    r = accord("list", "agreements", address=unused_address())
    assert r.returncode == 3 and "is the server running" in r.stderr


# -- Why 11: BrokenPipe ----------------------------------------------------------

@pytest.mark.parametrize("args", [["--help"], ["list", "agreements"],
                                  ["completion", "bash"]])
def test_broken_pipe_is_quiet(address, args):
    r, w = os.pipe()
    os.close(r)  # the reader is gone before accord writes a byte
    env = dict(os.environ, ACCORD_ADDRESS=address)
    p = subprocess.run(ACCORD + args, stdout=w, stderr=subprocess.PIPE, env=env, timeout=60)
    os.close(w)
    assert p.returncode == 0
    assert p.stderr == b"", p.stderr.decode()


# -- Why 12: client-side mistakes are usage errors, bare ids work ----------------

def test_negative_page_size_and_limit_are_both_usage_errors(address):
    for flag in ("--page-size", "--limit"):
        r = accord("list", "agreements", flag, "-5", address=address)
        assert r.returncode == 2, (flag, r.stderr)
        assert flag in r.stderr


def test_bare_id_is_found(address):
    r = accord("get", ART_ID, "-o", "name", address=address)
    assert (r.returncode, r.stdout) == (0, ART + "\n"), r.stderr
    r = accord("get", "no-such-id-anywhere", address=address)
    assert r.returncode == 2 and "no resource has the id" in r.stderr


def test_did_you_mean(address):
    r = accord("list", "agreementz", address=address)
    assert r.returncode == 2 and "did you mean 'agreements'" in r.stderr
    r = accord("get", "agreementz/x", address=address)
    assert r.returncode == 2 and "did you mean agreements/" in r.stderr


# -- fields and completion ---------------------------------------------------------

def test_fields(expected_names):
    r = accord("fields", "agreements")
    assert r.returncode == 0
    rows = [l.split() for l in r.stdout.splitlines()]
    assert rows[0] == ["FIELD", "TYPE", "REPEATED", "SORTABLE"]
    assert ["sign_date", "date", "yes"] in rows and ["term_years", "integer", "yes"] in rows
    assert any(r[0] == "commitments.kind" for r in rows)
    r = accord("fields", "agreements", "-o", "json")
    kind = next(f for f in json.loads(r.stdout) if f["path"] == "kind")
    assert "TRADE_AGREEMENT" in kind["values"] and kind["sortable"] is True
    r = accord("fields", "agreementz")
    assert r.returncode == 2 and "did you mean" in r.stderr


def test_bash_completion_completes_collections():
    if shutil.which("bash") is None:
        pytest.skip("no bash")
    script = accord("completion", "bash", proc=True).stdout

    def complete(*words):
        line = " ".join(["accord", *words])
        prog = (script + "\nCOMP_WORDS=(" + " ".join(f"'{w}'" for w in ["accord", *words])
                + f")\nCOMP_CWORD={len(words)}\nCOMP_LINE='{line}'\n_accord\n"
                "printf '%s\\n' \"${COMPREPLY[@]}\"\n")
        return subprocess.run(["bash", "-c", prog], capture_output=True, text=True,
                              check=True).stdout.split()

    assert complete("li") == ["list"]
    assert complete("list", "coo") == ["cooperationAreas"]
    assert complete("-o", "ya") == ["yaml"]
    assert "--emit-defaults" in complete("list", "--em")


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_other_completions(shell):
    r = accord("completion", shell)
    assert r.returncode == 0 and "cooperationAreas" in r.stdout
    exe = shutil.which(shell)
    if exe:  # a syntax check where the shell is installed
        flag = "-n" if shell == "zsh" else "--no-execute"
        assert subprocess.run([exe, flag], input=r.stdout, text=True).returncode == 0
