#!/usr/bin/env bash
# grpcurl, with no .proto file anywhere, decodes Accord's error details
# (google.rpc.ErrorInfo and BadRequest) through server reflection alone, and
# reaches channelz when --channelz is on (and only then).
set -euo pipefail
SERVER_BIN=$(readlink -f "$1"); CATALOG=$(readlink -f "$2"); GRPCURL="$3"
[ -x "$GRPCURL" ] || { echo "SKIP: no grpcurl at $GRPCURL (scripts/lib.sh install_go_tools)"; exit 77; }
GRPCURL=$(readlink -f "$GRPCURL")
source "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
cleanup() { kill "${SERVER_PID:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
cd "$work"  # no .proto files near

start_server "$work/server.log" --catalog="$CATALOG"
if "$GRPCURL" -plaintext -d '{"name": "agreements/none"}' "$ADDR" \
     accord.v1.AccordService/GetAgreement >"$work/out" 2>&1; then
  echo "FAIL: GetAgreement of a missing name succeeded"; exit 1
fi
cat "$work/out"
for want in 'Code: NotFound' '"@type": "type.googleapis.com/google.rpc.ErrorInfo"' \
            '"reason": "RESOURCE_NOT_FOUND"' '"domain": "accord"' '"name": "agreements/none"'; do
  grep -qF "$want" "$work/out" || { echo "FAIL: missing $want"; exit 1; }
done

if "$GRPCURL" -plaintext -d '{"filter": "kind = FRIENDSHIP"}' "$ADDR" \
     accord.v1.AccordService/ListAgreements >"$work/out" 2>&1; then
  echo "FAIL: a bad filter succeeded"; exit 1
fi
for want in 'Code: InvalidArgument' '"@type": "type.googleapis.com/google.rpc.ErrorInfo"' \
            '"@type": "type.googleapis.com/google.rpc.BadRequest"' '"field": "filter"' \
            '"reason": "TYPE_MISMATCH"'; do
  grep -qF "$want" "$work/out" || { cat "$work/out"; echo "FAIL: missing $want"; exit 1; }
done
# Decoded, not raw bytes: no base64 "value" of an Any.
if grep -q '"value":' "$work/out"; then echo "FAIL: details not decoded"; exit 1; fi
"$GRPCURL" -plaintext "$ADDR" list >"$work/services"
if grep -q channelz "$work/services"; then echo "FAIL: channelz served without --channelz"; exit 1; fi
kill -TERM "$SERVER_PID"; wait "$SERVER_PID"; SERVER_PID=

# --channelz: the service is listed and reports the calls made.
start_server "$work/channelz.log" --catalog="$CATALOG" --channelz
"$GRPCURL" -plaintext "$ADDR" list >"$work/services"
grep -qx grpc.channelz.v1.Channelz "$work/services" ||
  { cat "$work/services"; echo "FAIL: channelz not listed with --channelz"; exit 1; }
"$GRPCURL" -plaintext "$ADDR" grpc.channelz.v1.Channelz/GetServers >"$work/servers"
grep -q '"calls_started"' "$work/servers" || { cat "$work/servers"; echo "FAIL: GetServers"; exit 1; }
kill -TERM "$SERVER_PID"; wait "$SERVER_PID"; SERVER_PID=
printf 'token-for-test\n' >"$work/tokens"
if "$SERVER_BIN" --listen=127.0.0.1:0 --catalog="$CATALOG" --channelz \
     --auth_token_file="$work/tokens" 2>"$work/refused"; then
  echo "FAIL: --channelz with tokens was accepted"; exit 1
fi
grep -q -- "--channelz cannot be combined with --auth_token_file" "$work/refused"
echo "grpcurl: OK (error details decoded by reflection; channelz behind its flag)"
