#!/usr/bin/env bash
# accord_healthcheck (the container's HEALTHCHECK) against the real server:
# exit 0 and SERVING while it serves; exit 1 for an unknown service and once
# the server has stopped.
set -euo pipefail
SERVER_BIN=$(readlink -f "$1"); CATALOG=$(readlink -f "$2"); CHECK_BIN=$(readlink -f "$3")
source "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
cleanup() { kill "${SERVER_PID:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
start_server "$work/server.log" --catalog="$CATALOG"
[ "$("$CHECK_BIN" "$ADDR")" = SERVING ] || { echo "FAIL: not SERVING"; exit 1; }
[ "$("$CHECK_BIN" --service=accord.v1.AccordService "$ADDR")" = SERVING ] || exit 1
# ACCORD_LISTEN's port on 127.0.0.1, as in the container.
[ "$(ACCORD_LISTEN="0.0.0.0:${ADDR##*:}" "$CHECK_BIN")" = SERVING ] || { echo "FAIL: ACCORD_LISTEN"; exit 1; }
if "$CHECK_BIN" --service=no.such.Service "$ADDR" 2>"$work/err"; then echo "FAIL: unknown service passed"; exit 1; fi
grep -q "unknown" "$work/err"
kill -TERM "$SERVER_PID"; wait "$SERVER_PID"; SERVER_PID=
if "$CHECK_BIN" --timeout=1s "$ADDR" 2>/dev/null; then echo "FAIL: stopped server passed"; exit 1; fi

# Mutual TLS, as the production overlay's exec probes use it.
cd "$work"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=test-ca -keyout ca.key -out ca.crt 2>/dev/null
sign() {  # NAME SAN
  openssl req -newkey rsa:2048 -nodes -subj "/CN=$1" -keyout "$1.key" -out "$1.csr" 2>/dev/null
  printf 'subjectAltName=%s\n' "$2" >"$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 1 \
    -extfile "$1.ext" -out "$1.crt" 2>/dev/null
}
sign server DNS:accord.accord.svc
sign client DNS:probe
start_server "$work/tls.log" --catalog="$CATALOG" --tls_cert=server.crt --tls_key=server.key \
  --tls_client_ca=ca.crt
tls=(--tls_ca=ca.crt --tls_server_name=accord.accord.svc)
[ "$("$CHECK_BIN" "${tls[@]}" --tls_cert=client.crt --tls_key=client.key "$ADDR")" = SERVING ] ||
  { echo "FAIL: mutual TLS probe"; exit 1; }
if "$CHECK_BIN" "${tls[@]}" --timeout=2s "$ADDR" 2>/dev/null; then
  echo "FAIL: a probe without a client certificate passed mutual TLS"; exit 1
fi
if "$CHECK_BIN" --timeout=2s "$ADDR" 2>/dev/null; then echo "FAIL: plaintext probe passed TLS"; exit 1; fi
echo "healthcheck: OK"
