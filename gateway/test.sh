#!/usr/bin/env bash
# Builds and tests the HTTP/JSON gateway: generates its code and OpenAPI
# document, go vet, builds $BUILD_DIR/accord_gateway, runs `go test` (the
# conformance suite over HTTP through the gateway's handler), then starts the
# binary in front of real servers and drives it with plain HTTP requests and
# validates its OpenAPI document (tests/http_test.py).
#
# Environment: BUILD_DIR (default <repo>/build), ACCORD_SERVER_BIN (default
# $BUILD_DIR/accord_server). Needs Go >= 1.23, protoc, python3 (venv).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
build="${BUILD_DIR:-$repo/build}"
export ACCORD_SERVER_BIN="${ACCORD_SERVER_BIN:-$build/accord_server}"
export ACCORD_GOBIN="${ACCORD_GOBIN:-$build/go/bin}"

cd "$here"
./generate.sh
go vet ./...
go build -o "$build/accord_gateway" .
"$repo/tests/conformance/serve.sh" go test -count=1 -v ./... | grep -Ev "^(=== RUN|=== NAME|    --- PASS|--- PASS)"

venv="$build/gateway-venv"
[ -x "$venv/bin/python" ] || /usr/bin/python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/tests/requirements.txt"

# Two gateways, in front of the default and the auth server profiles.
"$repo/tests/conformance/serve.sh" bash -c '
  set -euo pipefail
  gw_pids=()
  trap "kill \${gw_pids[*]} 2>/dev/null; wait" EXIT
  start_gateway() {  # BACKEND -> sets url
    local port
    for attempt in 1 2 3; do
      port="$(python3 -c "import socket; s = socket.socket(); s.bind((\"127.0.0.1\", 0)); print(s.getsockname()[1])")"
      "$0/accord_gateway" --listen="127.0.0.1:$port" --backend="$1" 2>/dev/null &
      gw_pids+=($!)
      for _ in $(seq 1 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then url="http://127.0.0.1:$port"; return 0; fi
        sleep 0.1
      done
    done
    echo "accord_gateway did not start" >&2; return 1
  }
  start_gateway "$ACCORD_CONFORMANCE_ADDR"; default_url="$url"
  start_gateway "$ACCORD_CONFORMANCE_AUTH_ADDR"; auth_url="$url"
  "$1" "$2" "$default_url" "$auth_url" "$3" "$4"
' "$build" "$venv/bin/python" "$here/tests/http_test.py" "$(cat "$repo/VERSION")" \
  "$repo/proto/accord/v1/accord_service.proto"
