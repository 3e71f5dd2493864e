#!/usr/bin/env bash
# --catalog=FILE.accord: a compiled catalogue (accord_catalog compile) is
# served exactly as its source directory is, and with --watch_catalog a new
# file renamed over it is served without a signal, while a corrupt one is
# refused whole and the old catalogue keeps serving (as with SIGHUP).
# The file carries the search index ("@search"): Search answers as over the
# directory (names, order, scores, snippets, page tokens) with no index
# built and no index directory made; compiled with --nosearch_index, the
# server builds the index as from sources.
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
  searches
}
searches() {
  call Search '{"query": "critical minerals", "pageSize": 3}'
  local page token
  page=$(call Search '{"query": "malaysia", "pageSize": 4}')
  echo "$page"
  token=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["nextPageToken"])' <<<"$page")
  call Search "{\"query\": \"malaysia\", \"pageSize\": 4, \"pageToken\": \"$token\"}"
  call Search '{"query": "\"defense articles\" OR semicond*", "collections": ["agreements", "commitments"]}'
  call Search '{"query": "trade", "collections": ["agreements"], "filter": "sign_date >= \"2020\""}'
}
# Index directories a server made under its $TMPDIR.
index_dirs() { find "$1" -maxdepth 1 -name 'accord-search-*' | wc -l; }
mkdir -p "$work/tmp-dir" "$work/tmp-file" "$work/tmp-nosearch"

TMPDIR="$work/tmp-dir" start_server "$work/dir.log" --catalog="$CATALOG"
replies >"$work/from-dir.txt" 2>&1
searches >"$work/search-dir.txt" 2>&1
[ "$(index_dirs "$work/tmp-dir")" = 1 ] || { echo "FAIL: no index built from the directory"; exit 1; }
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true

"$TOOL" compile "$CATALOG" "$work/catalog.accord" | grep -q "with the search index" ||
  { echo "FAIL: compile did not write the search index"; exit 1; }
TMPDIR="$work/tmp-file" start_server "$work/file.log" --catalog="$work/catalog.accord" --watch_catalog
replies >"$work/from-file.txt" 2>&1
diff -u "$work/from-dir.txt" "$work/from-file.txt" ||
  { echo "FAIL: the compiled catalogue is not served as its directory"; exit 1; }
grep -q '"shortTitle": "ART"' "$work/from-file.txt" || { echo "FAIL: no ART in the replies"; exit 1; }
grep -q '"name": "agreements/my-us-critical-minerals-mou-2025"' "$work/from-file.txt" ||
  { echo "FAIL: Search found nothing"; exit 1; }
[ "$(grep -c '<mark>' "$work/from-file.txt")" -ge 10 ] || { echo "FAIL: no snippets"; exit 1; }
[ "$(index_dirs "$work/tmp-file")" = 0 ] ||
  { echo "FAIL: a server started from the compiled file made an index directory"; exit 1; }
grep -q "search index opened from the compiled file" "$work/file.log" ||
  { cat "$work/file.log"; echo "FAIL: the search index was not opened from the file"; exit 1; }

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
call Search '{"query": "\"ART-v2\"", "collections": ["agreements"]}' |
  grep -q '"name": "agreements/my-us-reciprocal-trade-2025"' ||
  { echo "FAIL: Search does not answer from the new file's index"; exit 1; }
[ "$(index_dirs "$work/tmp-file")" = 0 ] || { echo "FAIL: the reload made an index directory"; exit 1; }

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
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true

# Compiled without the search index: the server builds it, as from sources.
"$TOOL" compile --nosearch_index "$CATALOG" "$work/nosearch.accord" | grep -q "without the search index" ||
  { echo "FAIL: compile --nosearch_index"; exit 1; }
[ "$(stat -c %s "$work/nosearch.accord")" -lt "$(stat -c %s "$work/catalog.accord")" ] ||
  { echo "FAIL: --nosearch_index did not leave the index out"; exit 1; }
TMPDIR="$work/tmp-nosearch" start_server "$work/nosearch.log" --catalog="$work/nosearch.accord"
searches >"$work/from-nosearch.txt" 2>&1
diff -u "$work/search-dir.txt" "$work/from-nosearch.txt" ||
  { echo "FAIL: Search over the index built from the file differs"; exit 1; }
[ "$(index_dirs "$work/tmp-nosearch")" = 1 ] || { echo "FAIL: no index built without @search"; exit 1; }
grep -q '"name": "agreements/my-us-critical-minerals-mou-2025"' "$work/from-nosearch.txt" ||
  { echo "FAIL: Search found nothing without @search"; exit 1; }
echo "compiled catalogue: OK (served as its directory; $v1 -> $v2 by rename; corrupt file refused; Search from the embedded index, none built)"
