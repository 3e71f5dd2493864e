#!/usr/bin/env python3
"""Runs the examples of docs pages against a real server, as a reader would.

Usage: run_doc_examples.py SERVER_BIN CATALOG_DIR BUF DOC.md [DOC.md ...]

Every ```sh block that is followed directly by a ```json block is run with
$ACCORD set to the server's address and `buf` on PATH; its output must be
the JSON of the block after it (compared as parsed JSON, with numbers that
are not integers rounded to 3 decimals: relevance scores). A streaming call
prints one JSON document per message: a block may hold several, compared in
order. Prints one line
per example and "N passed, N failed" at the end.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time

BLOCK = re.compile(r"```sh\n(.*?)```\n```json\n(.*?)```", re.S)


def rounded(value):
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, list):
        return [rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    return value


def loads_all(text):
    """Every JSON document in `text`, in order (one for a unary call)."""
    decoder, docs, i = json.JSONDecoder(), [], 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i == len(text):
            return docs
        doc, i = decoder.raw_decode(text, i)
        docs.append(doc)


def main():
    server_bin, catalog, buf, docs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    bindir = tempfile.mkdtemp()
    os.symlink(os.path.abspath(buf), os.path.join(bindir, "buf"))
    log = tempfile.NamedTemporaryFile(delete=False)
    server = subprocess.Popen([server_bin, "--listen=127.0.0.1:0", "--catalog=" + catalog],
                              stderr=log, stdout=subprocess.DEVNULL)
    addr = None
    try:
        for _ in range(200):
            with open(log.name) as f:
                m = re.search(r"listening on ([0-9.:]+)", f.read())
            if m:
                addr = m.group(1)
                break
            time.sleep(0.05)
        if addr is None:
            print(open(log.name).read())
            print("0 passed, 1 failed")
            return 1
        env = dict(os.environ, ACCORD=addr, PATH=bindir + os.pathsep + os.environ["PATH"])
        passed = failed = 0
        for doc in docs:
            text = open(doc).read()
            examples = BLOCK.findall(text)
            if not examples:
                print(f"FAIL {doc}: no examples found")
                failed += 1
            for i, (command, expected) in enumerate(examples, 1):
                where = f"{os.path.basename(doc)} example {i}"
                run = subprocess.run(["bash", "-c", command], env=env, capture_output=True,
                                     text=True, timeout=30, cwd=bindir)
                try:
                    got = loads_all(run.stdout)
                except json.JSONDecodeError:
                    got = None
                if run.returncode == 0 and rounded(got) == rounded(loads_all(expected)):
                    print(f"ok   {where}")
                    passed += 1
                else:
                    print(f"FAIL {where}: exit {run.returncode}\n{run.stdout}{run.stderr}")
                    failed += 1
        print(f"{passed} passed, {failed} failed")
        return 0 if failed == 0 else 1
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
