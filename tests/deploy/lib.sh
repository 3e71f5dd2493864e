# Helpers for the deploy tests: start accord_server on a free loopback port
# and wait for it. Source it.
set -euo pipefail

# start_server LOG ARGS...: starts the server in the background with
# --listen=127.0.0.1:0 and the given flags; sets SERVER_PID and ADDR.
start_server() {
  local log="$1"; shift
  "$SERVER_BIN" --listen=127.0.0.1:0 "$@" 2>"$log" &
  SERVER_PID=$!
  for _ in $(seq 100); do grep -q "listening on" "$log" && break; sleep 0.1; done
  ADDR=$(grep -o "listening on [0-9.:]*" "$log" | awk '{print $3}' || true)
  [ -n "$ADDR" ] || { cat "$log"; echo "FAIL: server did not start"; exit 1; }
}

# metrics_port LOG: the port of "metrics on http://127.0.0.1:PORT/metrics".
metrics_port() { grep -o 'metrics on http://[0-9.]*:[0-9]*' "$1" | grep -o '[0-9]*$'; }

# A free loopback TCP port (the kernel's pick, released at once).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

bufcurl() { "$BUF" curl --protocol grpc --http2-prior-knowledge "$@"; }
