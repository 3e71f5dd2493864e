#!/usr/bin/env bash
# Starts the two conformance server profiles (tests/conformance/README.md) on
# free loopback ports, runs a command with ACCORD_CONFORMANCE_ADDR and
# ACCORD_CONFORMANCE_AUTH_ADDR set to them, stops both servers, and exits with
# the command's status. Used by the C++ and HTTP gateway runners.
#
#   tests/conformance/serve.sh COMMAND [ARGS...]
#
# Environment: ACCORD_SERVER_BIN (default build/accord_server),
# ACCORD_CATALOG (default data/catalogue).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
bin="${ACCORD_SERVER_BIN:-$repo/build/accord_server}"
catalog="${ACCORD_CATALOG:-$repo/data/catalogue}"
logdir="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$logdir"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start NAME [FLAGS...]: starts a server, waits until it accepts connections,
# and sets $addr. Retries on another port if the chosen one was taken.
start() {
  local name="$1"; shift
  local attempt port pid
  for attempt in 1 2 3; do
    port="$(free_port)"
    "$bin" --listen="127.0.0.1:$port" --catalog="$catalog" "$@" >"$logdir/$name.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 200); do
      if ! kill -0 "$pid" 2>/dev/null; then break; fi
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        pids+=("$pid"); addr="127.0.0.1:$port"; return 0
      fi
      sleep 0.1
    done
    kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  done
  echo "serve.sh: the $name server did not start:" >&2
  cat "$logdir/$name.log" >&2
  return 1
}

start default; ACCORD_CONFORMANCE_ADDR="$addr"
start auth --auth_token_file="$here/tokens.txt"; ACCORD_CONFORMANCE_AUTH_ADDR="$addr"
export ACCORD_CONFORMANCE_ADDR ACCORD_CONFORMANCE_AUTH_ADDR
status=0
"$@" || status=$?
exit "$status"
