#!/usr/bin/env bash
# --catalog=FILE.accord: a compiled catalogue (accord_catalog compile) is
# served exactly as its source directory is, and with --watch_catalog a new
# file renamed over it is served without a signal, while a corrupt one is
# refused whole and the old catalogue keeps serving (as with SIGHUP).
set -euo pipefail
SERVER_BIN="$1"; CATALOG="$2"; BUF="$3"; TOOL="$4"
source "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
cleanup() { kill "${SERVER_PID:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

call() { bufcurl -d "$2" "http://$ADDR/accord.v1.AccordService/$1"; }
# The same calls against both servers; their replies must be identical.
replies() {
  call GetAgreement '{"name": "agreements/my-us-reciprocal-trade-2025"}'
  call BatchGetCommitments '{"parent": "agreements/-", "names": []}' || true
  call ListAgreements '{"filter": "parties:\"countries/us\" AND sign_date >= \"2020\"", "order_by": "sign_date desc", "page_size": 3}'
  call ListAgreements '{"filter": "title:\"trade\"", "read_mask": "name,title"}'
  call ListCommitments '{"parent": "agreements/my-us-reciprocal-trade-2025", "page_size": 5}'
  call ListAgreements '{"filter": "commitments.committed_by:\"countries/my\"", "page_size": 4}'
  call GetCatalogStatus '{}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])'
}

start_server "$work/dir.log" --catalog="$CATALOG"
replies >"$work/from-dir.txt"
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true

"$TOOL" compile "$CATALOG" "$work/catalog.accord"
start_server "$work/file.log" --catalog="$work/catalog.accord" --watch_catalog
replies >"$work/from-file.txt"
diff -u "$work/from-dir.txt" "$work/from-file.txt" ||
  { echo "FAIL: the compiled catalogue is not served as its directory"; exit 1; }
grep -q '"shortTitle": "ART"' "$work/from-file.txt" || { echo "FAIL: no ART in the replies"; exit 1; }

status() {
  call GetCatalogStatus '{}' |
    python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["version"], s.get("reloadCount","0"), s.get("failedReloadCount","0"))'
}
wait_status() {
  for _ in $(seq 100); do
    read -r version reloads failed < <(status)
    [ "$reloads/$failed" = "$1/$2" ] && return 0
    sleep 0.1
  done
  cat "$work/file.log"; echo "FAIL: reloads/failed = $reloads/$failed, want $1/$2"; exit 1
}
read -r v1 _ _ < <(status)

# A new compiled file, renamed over the served one by the compiler itself.
cp -r "$CATALOG" "$work/v2"
sed -i '0,/short_title: "ART"/s//short_title: "ART-v2"/' "$work/v2/agreements.textproto"
"$TOOL" compile "$work/v2" "$work/catalog.accord"
wait_status 1 0
[ "$version" != "$v1" ] || { echo "FAIL: version unchanged after a new file"; exit 1; }
v2="$version"
call GetAgreement '{"name": "agreements/my-us-reciprocal-trade-2025"}' | grep -q '"shortTitle": "ART-v2"' ||
  { echo "FAIL: the new compiled catalogue is not served"; exit 1; }

# A corrupt file (one byte flipped) renamed over it: refused, v2 serves on.
python3 - "$work/catalog.accord" "$work/corrupt.accord" <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read()); b[-50] ^= 0x40
open(sys.argv[2], "wb").write(b)
PY
mv "$work/corrupt.accord" "$work/catalog.accord"
wait_status 1 1
[ "$version" = "$v2" ] || { echo "FAIL: version $version after a corrupt file, want $v2"; exit 1; }
call GetAgreement '{"name": "agreements/my-us-reciprocal-trade-2025"}' | grep -q '"shortTitle": "ART-v2"' ||
  { echo "FAIL: the old catalogue stopped serving"; exit 1; }
grep -q "checksum does not match" "$work/file.log" ||
  { cat "$work/file.log"; echo "FAIL: the corrupt file's error was not logged"; exit 1; }
echo "compiled catalogue: OK (served as its directory; $v1 -> $v2 by rename; corrupt file refused)"
