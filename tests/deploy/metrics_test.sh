#!/usr/bin/env bash
# The metrics endpoint seen from outside: the exposition passes
# `promtool check metrics`, and a real Prometheus on loopback scrapes the
# server and answers PromQL queries with the counts of the calls made.
# Also: non-loopback --metrics_listen is refused without
# --metrics_allow_remote.
set -euo pipefail
SERVER_BIN="$1"; CATALOG="$2"; BUF="$3"
source "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
cleanup() { kill "${PROM_PID:-}" "${SERVER_PID:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# Refused: a remote metrics address without the explicit switch.
if "$SERVER_BIN" --listen=127.0.0.1:0 --catalog="$CATALOG" --metrics_listen=0.0.0.0:0 \
     2>"$work/refused.log"; then
  echo "FAIL: --metrics_listen=0.0.0.0:0 was accepted"; exit 1
fi
grep -q -- "--metrics_allow_remote" "$work/refused.log" || { cat "$work/refused.log"; exit 1; }

start_server "$work/server.log" --catalog="$CATALOG" --metrics_listen=127.0.0.1:0
MPORT=$(metrics_port "$work/server.log")
[ -n "$MPORT" ] || { cat "$work/server.log"; echo "FAIL: no metrics port"; exit 1; }

# 3 found, 2 not found, 1 bad filter.
for _ in 1 2 3; do
  bufcurl -d '{"name": "agreements/my-us-reciprocal-trade-2025"}' \
    "http://$ADDR/accord.v1.AccordService/GetAgreement" >/dev/null
done
for _ in 1 2; do
  bufcurl -d '{"name": "agreements/none"}' \
    "http://$ADDR/accord.v1.AccordService/GetAgreement" >/dev/null 2>&1 && exit 1
done
bufcurl -d '{"filter": "kind = FRIENDSHIP"}' \
  "http://$ADDR/accord.v1.AccordService/ListAgreements" >/dev/null 2>&1 && exit 1

curl -sf "http://127.0.0.1:$MPORT/metrics" >"$work/metrics.txt"
promtool check metrics <"$work/metrics.txt" || { echo "FAIL: promtool check metrics"; exit 1; }
expect_line() {
  grep -qxF "$1" "$work/metrics.txt" || { echo "FAIL: missing line: $1"; cat "$work/metrics.txt"; exit 1; }
}
expect_line 'grpc_server_handled_total{grpc_code="OK",grpc_method="GetAgreement",grpc_service="accord.v1.AccordService",grpc_type="unary"} 3'
expect_line 'grpc_server_handled_total{grpc_code="NotFound",grpc_method="GetAgreement",grpc_service="accord.v1.AccordService",grpc_type="unary"} 2'
expect_line 'grpc_server_handled_total{grpc_code="InvalidArgument",grpc_method="ListAgreements",grpc_service="accord.v1.AccordService",grpc_type="unary"} 1'
expect_line 'grpc_server_started_total{grpc_method="GetAgreement",grpc_service="accord.v1.AccordService",grpc_type="unary"} 5'
expect_line 'grpc_server_handling_seconds_count{grpc_method="GetAgreement",grpc_service="accord.v1.AccordService",grpc_type="unary"} 5'
# The catalogue metrics say what GetCatalogStatus says.
bufcurl -d '{}' "http://$ADDR/accord.v1.AccordService/GetCatalogStatus" >"$work/status.json"
status() { python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$work/status.json" "$1"; }
AGREEMENTS=$(status 's["recordCounts"]["agreements"]')
COMMITMENTS=$(status 's["recordCounts"]["commitments"]')
VERSION=$(status 's["version"]')
expect_line "accord_catalog_records{collection=\"agreements\"} $AGREEMENTS"
expect_line "accord_catalog_info{directory=\"$CATALOG\",version=\"$VERSION\"} 1"
grep -q '^process_resident_memory_bytes [0-9]' "$work/metrics.txt"

# A load cut off mid-flight (h2load -D resets its in-flight streams): every
# started call is counted handled, and the abandoned ones as Canceled, not as
# the UNIMPLEMENTED that gRPC 1.51 finishes them with.
printf '\0\0\0\0\0' >"$work/list.bin"  # one empty ListAgreementsRequest
h2load -D 1 -c 4 -m 16 -t 1 -d "$work/list.bin" -H 'content-type: application/grpc' \
  -H 'te: trailers' "http://$ADDR/accord.v1.AccordService/ListAgreements" >/dev/null
sleep 0.5
curl -sf "http://127.0.0.1:$MPORT/metrics" | python3 -c '
import re, sys
started = handled = 0
for line in sys.stdin:
    m = re.match(r"grpc_server_(started|handled)_total\{(.*grpc_method=\"ListAgreements\".*)\} (\S+)$", line)
    if not m: continue
    if m[1] == "started": started += float(m[3])
    else:
        handled += float(m[3])
        assert "Unimplemented" not in m[2], line
print(f"ListAgreements under a cut-off load: {started:.0f} started, {handled:.0f} handled")
assert started == handled and started > 100, (started, handled)'

# A real Prometheus, loopback only, scraping every second.
PPORT=$(free_port)
cat >"$work/prometheus.yml" <<YAML
global: {scrape_interval: 1s, evaluation_interval: 1s}
scrape_configs:
  - job_name: accord
    static_configs: [{targets: ["127.0.0.1:$MPORT"]}]
YAML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$PPORT" >"$work/prometheus.log" 2>&1 &
PROM_PID=$!
query() {
  curl -sf --get "http://127.0.0.1:$PPORT/api/v1/query" --data-urlencode "query=$1" |
    python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "none")'
}
ok=""
for _ in $(seq 60); do
  got=$(query 'sum(grpc_server_handled_total{job="accord",grpc_method="GetAgreement",grpc_code="OK"})' 2>/dev/null || true)
  [ "$got" = 3 ] && { ok=1; break; }
  sleep 0.5
done
[ -n "$ok" ] || { tail -20 "$work/prometheus.log"; echo "FAIL: Prometheus never saw 3 OK GetAgreement calls (last: ${got:-})"; exit 1; }
check() {
  local got; got=$(query "$1")
  [ "$got" = "$2" ] || { echo "FAIL: $1 = $got, want $2"; exit 1; }
  echo "PromQL $1 = $got"
}
check 'sum by (grpc_code) (grpc_server_handled_total{job="accord",grpc_method="GetAgreement",grpc_code="NotFound"})' 2
check 'sum(grpc_server_handled_total{job="accord",grpc_service="accord.v1.AccordService",grpc_method!="ListAgreements"})' 6  # 5 + GetCatalogStatus
check 'up{job="accord"}' 1
check 'accord_catalog_records{job="accord",collection="commitments"}' "$COMMITMENTS"
echo "metrics: OK"
