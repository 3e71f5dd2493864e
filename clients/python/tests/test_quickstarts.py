"""The quickstarts run as written: every ```python block of README.md,
clients/python/README.md and docs/python.md, and every `accord` command of
their ```sh blocks, against the test server. A `#=> text` comment on a line
is output the block must print (one line each, in order)."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from test_cli import ACCORD

REPO = Path(__file__).resolve().parents[3]
DOCS = [REPO / "README.md", REPO / "clients" / "python" / "README.md",
        REPO / "docs" / "python.md"]
DEFAULT = "127.0.0.1:50051"


def _blocks(lang):
    out = []
    for doc in DOCS:
        if not doc.is_file():
            continue
        text = doc.read_text()
        for i, m in enumerate(re.finditer(rf"```{lang}\n(.*?)```", text, re.S)):
            out.append(pytest.param(m.group(1), id=f"{doc.relative_to(REPO)}#{i}"))
    return out


@pytest.mark.parametrize("code", _blocks("python"))
def test_python_block_runs(address, code):
    expected = [m.group(1).strip() for m in re.finditer(r"#=>\s?(.*)$", code, re.M)]
    env = dict(os.environ, ACCORD_ADDRESS=address)
    r = subprocess.run([sys.executable, "-c", code.replace(DEFAULT, address)],
                       capture_output=True, text=True, env=env, timeout=120,
                       cwd=REPO)
    assert r.returncode == 0, r.stderr
    lines = [l.strip() for l in r.stdout.splitlines()]
    pos = 0
    for want in expected:
        while pos < len(lines) and lines[pos] != want:
            pos += 1
        assert pos < len(lines), f"missing output line {want!r} in:\n{r.stdout}"
        pos += 1
    # Readable values: no multi-line protobuf text of a Date, no enum numbers.
    assert "precision:" not in r.stdout and "year:" not in r.stdout


def _commands():
    out = []
    for doc in DOCS:
        if not doc.is_file():
            continue
        text = doc.read_text()
        for m in re.finditer(r"```sh\n(.*?)```", text, re.S):
            lines = m.group(1).replace("\\\n", " ").splitlines()
            for n, line in enumerate(lines):
                cmd = line[2:] if line.startswith("$ ") else line
                words = shlex.split(cmd, comments=True) if "accord " in cmd else []
                if not words or not words[0].endswith("accord") or "<(" in cmd:
                    continue
                nxt = lines[n + 1] if n + 1 < len(lines) else ""
                code = 1 if nxt.startswith("error:") else 0
                if "127.0.0.1:1" in cmd:
                    code = 3
                out.append(pytest.param(words[1:], code,
                                        id=f"{doc.name}:{' '.join(words[1:3])}:{n}"))
    return out


@pytest.mark.parametrize("args,code", _commands())
def test_shell_command_runs(address, args, code):
    env = dict(os.environ, ACCORD_ADDRESS=address)
    if "--address" in args:
        i = args.index("--address")
        if args[i + 1] == DEFAULT:
            args = args[:i + 1] + [address] + args[i + 2:]
    r = subprocess.run(ACCORD + args, capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == code, (args, r.stdout, r.stderr)
