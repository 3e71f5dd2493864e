#!/usr/bin/env bash
# Builds the Python client once (wheel + sdist, out of the source tree) and
# runs its tests in two environments:
#
#   oldest  the lower bounds of the dependency ranges (constraints/oldest.txt:
#           grpcio 1.51, protobuf 4.21, as in Debian 12);
#   newest  the latest releases from the package index, plus pandas.
#
# In each: `mypy --strict` on the installed package (whose client.py, aio.py
# and types.py the build generated) and on codegen/generate_clients.py, and pytest on
# clients/python/tests against the real server (test_typing.py runs
# `mypy --strict` on tests/typing/user_script.py and pins its reveal_types).
#
#   clients/python/run_tests.sh [pytest args...]
#
# Environment:
#   ACCORD_SERVER_BIN  server binary (default: build/accord_server)
#   ACCORD_CATALOG     catalogue directory (default: data/catalogue)
#   ACCORD_PY_ENVS     which environments (default: "oldest newest")
#   ACCORD_PY_WORK     where venvs and dists go (default: build/python)
#   PYTHON             interpreter for the venvs (default: /usr/bin/python3,
#                      else python3)
# Exits non-zero if anything fails.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="${ACCORD_PY_WORK:-$repo/build/python}"
python="${PYTHON:-$(command -v /usr/bin/python3 || command -v python3)}"
envs="${ACCORD_PY_ENVS:-oldest newest}"
pip_quiet=(--quiet --disable-pip-version-check)
step() { printf '\033[1m--> %s\033[0m\n' "$*" >&2; }

mkdir -p "$work"
# A venv with `build`, used to make the wheel and sdist.
if [[ ! -x "$work/tools/bin/pyproject-build" ]]; then
  "$python" -m venv "$work/tools"
  "$work/tools/bin/pip" install "${pip_quiet[@]}" build
fi
step "python -m build (wheel + sdist) into $work/dist"
rm -rf "$work/dist"
"$work/tools/bin/python" -m build --outdir "$work/dist" "$here" >"$work/build.log" 2>&1 || {
  cat "$work/build.log" >&2; exit 1; }
wheel="$(ls "$work"/dist/accord_client-*.whl)"

export ACCORD_SERVER_BIN="${ACCORD_SERVER_BIN:-$repo/build/accord_server}"
export ACCORD_CATALOG="${ACCORD_CATALOG:-$repo/data/catalogue}"
export ACCORD_DIST_DIR="$work/dist"
for env in $envs; do
  venv="$work/venv-$env"
  step "$env environment: $venv"
  [[ -x "$venv/bin/python" ]] || "$python" -m venv "$venv"
  constraints=()
  extras="test"
  case "$env" in
    oldest) constraints=(-c "$here/constraints/oldest.txt") ;;
    newest) extras="test,pandas" ;;
    *) echo "run_tests.sh: unknown environment $env" >&2; exit 2 ;;
  esac
  upgrade=()
  [[ "$env" == newest ]] && upgrade=(--upgrade --upgrade-strategy eager)
  "$venv/bin/pip" install "${pip_quiet[@]}" "${upgrade[@]}" "${constraints[@]}" \
    --force-reinstall --no-deps "$wheel"
  "$venv/bin/pip" install "${pip_quiet[@]}" "${upgrade[@]}" "${constraints[@]}" \
    "${wheel}[$extras]"
  "$venv/bin/python" -c 'import grpc, google.protobuf as p, accord_client as a; print(f"accord_client {a.__version__}: grpcio {grpc.__version__}, protobuf {p.__version__}")'
  step "$env: mypy --strict -p accord_client, codegen/generate_clients.py"
  (cd "$here" && "$venv/bin/python" -m mypy --strict --no-incremental -p accord_client)
  (cd "$here" && "$venv/bin/python" -m mypy --strict --no-incremental codegen/generate_clients.py)
  # (tests/test_typing.py runs mypy --strict on tests/typing/user_script.py.)
  step "$env: pytest"
  (cd "$here" && ACCORD_PY_ENV="$env" "$venv/bin/python" -m pytest -p no:cacheprovider "$@")
done
