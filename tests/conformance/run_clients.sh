#!/usr/bin/env bash
# Builds and tests the Python, TypeScript and Java clients' conformance
# runners (and the TypeScript and Java clients' own tests) against the real
# server. scripts/test runs it as the "client conformance" stage.
#
#   tests/conformance/run_clients.sh [python] [typescript] [java]   (default: all three)
#
# Environment:
#   ACCORD_SERVER_BIN  server binary (default: build/accord_server); each
#                      runner starts its own servers on free loopback ports
# Needs: protoc + python3-grpcio/protobuf/pytest (Python), node + npm
# (TypeScript), a JDK 17+ and Maven (Java): scripts/lib.sh's
# install_client_toolchains installs the missing ones.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
export ACCORD_SERVER_BIN="${ACCORD_SERVER_BIN:-$repo/build/accord_server}"
langs=("$@")
((${#langs[@]})) || langs=(python typescript java)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

for lang in "${langs[@]}"; do
  start=$SECONDS
  case "$lang" in
    python)
      say "conformance: Python (pytest, grpcio)"
      (cd "$repo" && /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/conformance/python)
      ;;
    typescript)
      say "conformance: TypeScript (npm ci, buf generate, tsc --strict, node --test)"
      (cd "$repo/clients/typescript" && npm ci --no-audit --no-fund --loglevel=error && npm test)
      ;;
    java)
      say "conformance: Java (mvn verify: protobuf-maven-plugin, JUnit 5)"
      (cd "$repo/clients/java" && mvn -B -ntp verify)
      ;;
    *)
      echo "run_clients.sh: unknown client '$lang' (python, typescript, java)" >&2
      exit 2
      ;;
  esac
  say "conformance: $lang took $((SECONDS - start))s"
done
