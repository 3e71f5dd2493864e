#!/usr/bin/env bash
# Builds and tests the Go client: generates accordpb, go vet, then go test
# (unit tests and the conformance suite against real servers it starts from
# $ACCORD_SERVER_BIN).
#
# Environment: BUILD_DIR (default <repo>/build), ACCORD_SERVER_BIN (default
# $BUILD_DIR/accord_server). Needs Go >= 1.23, protoc, python3.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
build="${BUILD_DIR:-$repo/build}"
export ACCORD_SERVER_BIN="${ACCORD_SERVER_BIN:-$build/accord_server}"
export ACCORD_GOBIN="${ACCORD_GOBIN:-$build/go/bin}"

cd "$here"
./generate.sh
go vet ./...
go test -count=1 -v ./... | grep -Ev "^(=== RUN|=== NAME|    --- PASS|--- PASS)| INFO "
