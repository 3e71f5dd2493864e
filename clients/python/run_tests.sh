#!/usr/bin/env bash
# Builds and tests the Python client, offline, with Debian's Python.
#
#   clients/python/run_tests.sh [pytest args...]
#
# 1. makes (or reuses) a venv at build/pyvenv with --system-site-packages, so
#    that Debian's python3-grpcio / python3-protobuf / python3-pytest are used;
# 2. `pip install --no-index --no-build-isolation ./clients/python`, which
#    regenerates the proto modules from proto/ (so proto edits are picked up);
# 3. runs pytest on clients/python/tests against the real server binary.
#
# Environment:
#   ACCORD_SERVER_BIN  server binary (default: build/accord_server)
#   ACCORD_CATALOG     catalogue directory (default: data/catalogue)
#   ACCORD_PYVENV      venv directory (default: build/pyvenv)
#   PYTHON             interpreter to build the venv with (default: /usr/bin/python3)
#   ACCORD_APT=0       never apt-get install missing Debian packages
# Exits non-zero if anything fails.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="${ACCORD_PYVENV:-$repo/build/pyvenv}"
python="${PYTHON:-/usr/bin/python3}"

# Debian packages this needs; installed when missing and we are root.
apt_pkgs=(python3-grpcio python3-protobuf python3-pytest python3-setuptools python3-wheel
          python3-venv python3-pip-whl protobuf-compiler protobuf-compiler-grpc)
missing=()
for p in "${apt_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ "${ACCORD_APT:-1}" != 0 && $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "run_tests.sh: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1 || {
      apt-get update >/dev/null && apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; }
  else
    echo "run_tests.sh: missing Debian packages: ${missing[*]}" >&2
    echo "  apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c 'import grpc, google.protobuf' 2>/dev/null; then
  rm -rf "$venv"
  "$python" -m venv --system-site-packages "$venv"
fi

# Google's googleapis protos (google.rpc, google.api) are fetched, pinned,
# into build/googleapis, not kept in the repository (docs/clients.md).
export ACCORD_GOOGLEAPIS_DIR="${ACCORD_GOOGLEAPIS_DIR:-$repo/build/googleapis}"
"$python" "$repo/proto/googleapis/fetch.py" "$ACCORD_GOOGLEAPIS_DIR"

cd "$repo"
rm -rf "$here/build"  # setuptools' in-tree build dir: no stale modules in the wheel
"$venv/bin/python" -m pip install --quiet --no-index --no-build-isolation \
  --disable-pip-version-check --force-reinstall --no-deps ./clients/python
# The generated modules must come from this build, not a stale one.
"$venv/bin/python" - <<'EOF'
import accord_client, pathlib
gen = pathlib.Path(accord_client.__file__).parent / "_gen"
src = (gen / "PROTO_SOURCE").read_text().strip()
print(f"accord_client {accord_client.__version__}: protos from {src}")
EOF

cd "$here"
export ACCORD_SERVER_BIN="${ACCORD_SERVER_BIN:-$repo/build/accord_server}"
export ACCORD_CATALOG="${ACCORD_CATALOG:-$repo/data/catalogue}"
exec "$venv/bin/python" -m pytest -p no:cacheprovider "$@"
