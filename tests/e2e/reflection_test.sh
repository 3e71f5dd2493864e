#!/usr/bin/env bash
# A generic reflection client (buf curl), with none of our .proto files, can
# list the services, Get an agreement and List agreements with a filter.
set -euo pipefail
SERVER_BIN="$1"; CATALOG="$2"; BUF="$3"
log=$(mktemp); trap 'kill $pid 2>/dev/null; rm -f "$log"' EXIT
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

got=$(curl_ -d '{"name": "agreements/my-us-reciprocal-trade-2025"}' \
  "http://$addr/accord.v1.AccordService/GetAgreement")
grep -q '"shortTitle": "ART"' <<<"$got" || { echo "FAIL: GetAgreement: $got"; exit 1; }

listed=$(curl_ -d '{"filter": "parties:\"countries/my\" AND cooperation_areas:\"cooperationAreas/critical-minerals\"", "orderBy": "sign_date desc", "readMask": "name"}' \
  "http://$addr/accord.v1.AccordService/ListAgreements")
names=$(grep -o '"name": "[^"]*"' <<<"$listed" | tr '\n' ' ')
expected='"name": "agreements/my-us-critical-minerals-mou-2025" "name": "agreements/my-us-reciprocal-trade-2025" '
[ "$names" = "$expected" ] || { echo "FAIL: ListAgreements: $listed"; exit 1; }
echo "reflection client: OK"
