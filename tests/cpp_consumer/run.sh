#!/usr/bin/env bash
# The C++ consumer test: installs Accord from an existing build into a prefix,
# configures and builds this project against that prefix only
# (find_package(Accord CONFIG)), and again with Accord as a subproject
# (add_subdirectory, without the server's dependencies); then runs the first
# call of both and the conformance suite through the installed client library
# against real servers (tests/conformance/serve.sh).
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

# The same program with Accord as a subproject, using the program's own
# googleapis code: no server, tests, Roaring,
# GTest, benchmark or SQLite needed.
sub="$build/cpp_subproject"
rm -rf "$sub"
cmake -S "$here/subproject" -B "$sub" -G Ninja -DACCORD_SOURCE_DIR="$repo" \
  -DCMAKE_DISABLE_FIND_PACKAGE_roaring=ON -DCMAKE_DISABLE_FIND_PACKAGE_GTest=ON \
  -DCMAKE_DISABLE_FIND_PACKAGE_benchmark=ON -DCMAKE_DISABLE_FIND_PACKAGE_SQLite3=ON \
  -DGOOGLEAPIS_DIR="$build/googleapis" >/dev/null
cmake --build "$sub" --target first_call

cases=("$repo"/tests/conformance/cases/*.json)
"$repo/tests/conformance/serve.sh" bash -c '
  "$0/first_call" "$ACCORD_CONFORMANCE_ADDR" &&
  "$0/../cpp_subproject/first_call" "$ACCORD_CONFORMANCE_ADDR" >/dev/null &&
  "$0/accord_conformance" "$ACCORD_CONFORMANCE_ADDR" "$ACCORD_CONFORMANCE_AUTH_ADDR" "${@}"
' "$consumer" "${cases[@]}"
