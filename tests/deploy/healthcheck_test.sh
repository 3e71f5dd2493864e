#!/usr/bin/env bash
# accord_healthcheck (the container's HEALTHCHECK) against the real server:
# exit 0 and SERVING while it serves; exit 1 for an unknown service and once
# the server has stopped.
set -euo pipefail
SERVER_BIN="$1"; CATALOG="$2"; CHECK_BIN="$3"
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
echo "healthcheck: OK"
