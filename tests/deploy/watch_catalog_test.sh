#!/usr/bin/env bash
# --watch_catalog with a Kubernetes ConfigMap-style volume: files are
# symlinks through "..data", which an update swaps atomically. A good update
# is served without a signal; a broken one is refused whole and the old
# catalogue keeps serving (as with SIGHUP).
set -euo pipefail
SERVER_BIN="$1"; CATALOG="$2"; BUF="$3"
source "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
cleanup() { kill "${SERVER_PID:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
vol="$work/catalogue"
mkdir -p "$vol"

# publish NAME: makes $vol/..NAME the target of ..data by rename(2), as the
# kubelet does, and links every top-level entry through ..data.
publish() {
  ln -sfn "..$1" "$vol/..data_tmp"
  mv -T "$vol/..data_tmp" "$vol/..data"
  for entry in "$vol/..$1"/*; do
    name=$(basename "$entry")
    [ -L "$vol/$name" ] || ln -s "..data/$name" "$vol/$name"
  done
}
cp -r "$CATALOG" "$vol/..v1"
publish v1

status() {
  bufcurl -d '{}' "http://$ADDR/accord.v1.AccordService/GetCatalogStatus" |
    python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["version"], s.get("reloadCount","0"), s.get("failedReloadCount","0"))'
}
start_server "$work/server.log" --catalog="$vol" --watch_catalog
read -r v1 reloads failed < <(status)
[ "$reloads/$failed" = "0/0" ] || { echo "FAIL: fresh server reports $reloads/$failed reloads"; exit 1; }

# wait_status WANT_RELOADS WANT_FAILED: until the counts match (10 s).
wait_status() {
  for _ in $(seq 100); do
    read -r version reloads failed < <(status)
    [ "$reloads/$failed" = "$1/$2" ] && return 0
    sleep 0.1
  done
  cat "$work/server.log"; echo "FAIL: reloads/failed = $reloads/$failed, want $1/$2"; exit 1
}

# A good update: one more agreement title changed.
cp -r "$CATALOG" "$vol/..v2"
sed -i '0,/short_title: "ART"/s//short_title: "ART-v2"/' "$vol/..v2/agreements.textproto"
grep -q 'short_title: "ART-v2"' "$vol/..v2/agreements.textproto"
publish v2
rm -rf "$vol/..v1"
wait_status 1 0
[ "$version" != "$v1" ] || { echo "FAIL: version unchanged after a good update"; exit 1; }
v2="$version"
got=$(bufcurl -d '{"name": "agreements/my-us-reciprocal-trade-2025"}' \
  "http://$ADDR/accord.v1.AccordService/GetAgreement")
grep -q '"shortTitle": "ART-v2"' <<<"$got" || { echo "FAIL: the new catalogue is not served"; exit 1; }

# A broken update: refused whole; v2 keeps serving.
cp -r "$vol/..v2" "$vol/..v3"
echo 'agreements { name: "agreements/broken" kind: NOT_A_KIND }' >>"$vol/..v3/agreements.textproto"
publish v3
wait_status 1 1
[ "$version" = "$v2" ] || { echo "FAIL: version $version after a broken update, want $v2"; exit 1; }
got=$(bufcurl -d '{"name": "agreements/my-us-reciprocal-trade-2025"}' \
  "http://$ADDR/accord.v1.AccordService/GetAgreement")
grep -q '"shortTitle": "ART-v2"' <<<"$got" || { echo "FAIL: the old catalogue stopped serving"; exit 1; }
grep -q "reload failed; version $v2 keeps serving" "$work/server.log" ||
  { cat "$work/server.log"; echo "FAIL: no reload failure logged"; exit 1; }
echo "watch_catalog: OK ($v1 -> $v2, broken update refused)"
