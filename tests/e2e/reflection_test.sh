#!/usr/bin/env bash
# A generic reflection client (buf curl), with none of our .proto files, can
# list the services, Get an agreement and List agreements with a filter.
set -euo pipefail
SERVER_BIN="$1"; CATALOG="$2"; BUF="$3"
log=$(mktemp); trap 'kill $pid 2>/dev/null || true; rm -f "$log"' EXIT
"$SERVER_BIN" --listen=127.0.0.1:0 --catalog="$CATALOG" 2>"$log" &
pid=$!
for _ in $(seq 100); do grep -q "listening on" "$log" && break; sleep 0.1; done
addr=$(grep -o "listening on [0-9.:]*" "$log" | awk '{print $3}')
[ -n "$addr" ] || { cat "$log"; exit 1; }
curl_() { "$BUF" curl --protocol grpc --http2-prior-knowledge "$@"; }
cd "$(mktemp -d)"  # no .proto files anywhere near

services=$(curl_ --list-services "http://$addr")
echo "$services"
for s in accord.v1.AccordService grpc.health.v1.Health; do
  grep -qx "$s" <<<"$services" || { echo "FAIL: $s not listed"; exit 1; }
done

# Every listed service resolves to its schema (buf curl describes each one).
methods=$(curl_ --list-methods "http://$addr")
for m in accord.v1.AccordService/GetAgreement grpc.health.v1.Health/Check \
         grpc.reflection.v1.ServerReflection/ServerReflectionInfo \
         grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo; do
  grep -qx "$m" <<<"$methods" || { echo "FAIL: $m not described: $methods"; exit 1; }
done

got=$(curl_ -d '{"name": "agreements/my-us-reciprocal-trade-2025"}' \
  "http://$addr/accord.v1.AccordService/GetAgreement")
grep -q '"shortTitle": "ART"' <<<"$got" || { echo "FAIL: GetAgreement: $got"; exit 1; }

listed=$(curl_ -d '{"filter": "parties:\"countries/my\" AND cooperation_areas:\"cooperationAreas/critical-minerals\"", "orderBy": "sign_date desc", "readMask": "name"}' \
  "http://$addr/accord.v1.AccordService/ListAgreements")
names=$(grep -o '"name": "[^"]*"' <<<"$listed" | tr '\n' ' ')
expected='"name": "agreements/my-us-critical-minerals-mou-2025" "name": "agreements/my-us-reciprocal-trade-2025" '
[ "$names" = "$expected" ] || { echo "FAIL: ListAgreements: $listed"; exit 1; }
# Both protocol versions answer, from a C-core client with a hand-encoded
# list_services request (field 7, "*"): the response lists the services by
# name (field 6 of the response).
listed=$(/usr/bin/python3 - "$addr" <<'PY'
import sys, grpc
ch = grpc.insecure_channel(sys.argv[1])
for version in ("v1alpha", "v1"):
    call = ch.stream_stream(f"/grpc.reflection.{version}.ServerReflection/ServerReflectionInfo")
    out = b"".join(call(iter([b"\x3a\x01*"]), timeout=5))
    names = [n for n in (b"accord.v1.AccordService", b"grpc.health.v1.Health",
                         b"grpc.reflection.v1.ServerReflection",
                         b"grpc.reflection.v1alpha.ServerReflection") if n in out]
    print(f"{version}:{len(names)}")
PY
)
[ "$listed" = $'v1alpha:4\nv1:4' ] || { echo "FAIL: raw reflection on: $listed"; exit 1; }
# Health has a schema in reflection too: a schema-less client gets SERVING.
health=$(curl_ -d '{}' "http://$addr/grpc.health.v1.Health/Check")
grep -q '"status": "SERVING"' <<<"$health" || { echo "FAIL: health: $health"; exit 1; }
kill "$pid"; wait "$pid" 2>/dev/null || true

# Off means off: with --reflection=false, and with bearer tokens (where
# reflection is always off, see docs/operations.md), a reflection client
# learns nothing; health still answers with a schema the client brings.
tokens=$(mktemp); echo "reflection-test-token" >"$tokens"
for flags in "--reflection=false" "--auth_token_file=$tokens" "--auth_token_file=$tokens --reflection=true"; do
  : >"$log"
  # shellcheck disable=SC2086
  "$SERVER_BIN" --listen=127.0.0.1:0 --catalog="$CATALOG" $flags 2>"$log" &
  pid=$!
  for _ in $(seq 100); do grep -q "listening on" "$log" && break; sleep 0.1; done
  addr=$(grep -o "listening on [0-9.:]*" "$log" | awk '{print $3}')
  [ -n "$addr" ] || { cat "$log"; exit 1; }
  if out=$(curl_ --list-services "http://$addr" 2>&1); then
    echo "FAIL: $flags: reflection still answers: $out"; exit 1
  fi
  # A raw reflection request (list_services "*", hand-encoded) from a
  # C-core client: the server answers UNIMPLEMENTED.
  code=$(/usr/bin/python3 - "$addr" <<'PY'
import sys, grpc
ch = grpc.insecure_channel(sys.argv[1])
for version in ("v1alpha", "v1"):
    call = ch.stream_stream(f"/grpc.reflection.{version}.ServerReflection/ServerReflectionInfo")
    try:
        out = list(call(iter([b"\x3a\x01*"]), timeout=5))
        print(f"{version}:OK:{out!r}")
    except grpc.RpcError as e:
        print(f"{version}:{e.code().name}")
PY
)
  [ "$code" = $'v1alpha:UNIMPLEMENTED\nv1:UNIMPLEMENTED' ] || { echo "FAIL: $flags: raw reflection: $code"; exit 1; }
  if out=$(curl_ -d '{"name": "agreements/my-us-reciprocal-trade-2025"}' \
      "http://$addr/accord.v1.AccordService/GetAgreement" 2>&1); then
    echo "FAIL: $flags: a schema-less call resolved: $out"; exit 1
  fi
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
rm -f "$tokens"
echo "reflection client: OK"
