#!/usr/bin/env bash
# The C++ consumer test: installs Accord from an existing build into a prefix,
# configures and builds this project against that prefix only
# (find_package(Accord CONFIG)), then runs its first call and the conformance
# suite through the installed client library against a real server.
#
#   tests/cpp_consumer/run.sh
#
# Environment: BUILD_DIR (Accord's build, default build; must be built),
# ACCORD_SERVER_BIN (default $BUILD_DIR/accord_server).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
build="${BUILD_DIR:-$repo/build}"
prefix="$build/install"
consumer="$build/cpp_consumer"
export ACCORD_SERVER_BIN="${ACCORD_SERVER_BIN:-$build/accord_server}"

rm -rf "$prefix" "$consumer"
cmake --install "$build" --prefix "$prefix" >/dev/null
cmake -S "$here" -B "$consumer" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$consumer"

cases=("$repo"/tests/conformance/cases/*.json)
"$repo/tests/conformance/serve.sh" bash -c '
  "$0/first_call" "$ACCORD_CONFORMANCE_ADDR" &&
  "$0/accord_conformance" "$ACCORD_CONFORMANCE_ADDR" "$ACCORD_CONFORMANCE_AUTH_ADDR" "${@}"
' "$consumer" "${cases[@]}"
