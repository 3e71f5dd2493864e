#!/usr/bin/env bash
# accord_catalog on the bundled catalogue and on planted errors, as an
# editor runs it: exit codes and what it prints.
set -euo pipefail
TOOL="$1"; CATALOG="$2"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# validate: the bundled catalogue is OK.
out=$("$TOOL" validate "$CATALOG") || fail "validate bundled: $out"
grep -q ": OK: " <<<"$out" || fail "validate bundled printed: $out"

# validate: a planted bad month is reported with file, line, record, field.
cp -r "$CATALOG" "$work/bad"
line=$(grep -n 'date { year: 2025 month: 10 day: 26 }' "$work/bad/agreements.textproto" | head -1 | cut -d: -f1)
sed -i "${line}s/month: 10/month: 13/" "$work/bad/agreements.textproto"
if out=$("$TOOL" validate "$work/bad" 2>&1); then fail "validate accepted a bad month"; fi
want="$work/bad/agreements.textproto:$line:5: agreements/my-us-reciprocal-trade-2025: events[0].date: month 13 is out of range 1-12"
[ "$out" = "$want" ] || fail "validate bad month printed: $out (want: $want)"

# validate: a working label as locator is reported with its line.
cp -r "$CATALOG" "$work/label"
line=$(grep -n 'source: "sources/ustr-art-fact-sheet"' "$work/label/commitments.textproto" | head -1 | cut -d: -f1)
sed -i "${line}a\\    locator: \"F5\"" "$work/label/commitments.textproto"
if out=$("$TOOL" validate "$work/label" 2>&1); then fail "validate accepted locator F5"; fi
grep -q "commitments.textproto:$((line + 1)):[0-9]*: agreements/my-us-reciprocal-trade-2025/commitments/[a-z-]*: evidence\[[0-9]\].locator: \"F5\" does not point into the source" <<<"$out" \
  || fail "validate locator printed: $out"

# validate: a parse error names file:line:column.
cp -r "$CATALOG" "$work/syntax"
echo 'agreements { nme: "x" }' >> "$work/syntax/agreements.textproto"
if out=$("$TOOL" validate "$work/syntax" 2>&1); then fail "validate accepted a typo"; fi
grep -q "agreements.textproto:[0-9]*:[0-9]*: .*nme" <<<"$out" || fail "validate typo printed: $out"

# fmt --check: the bundled catalogue is in canonical layout.
"$TOOL" fmt --check "$CATALOG" || fail "bundled catalogue is not in canonical layout"
# fmt: a messy copy is rewritten, then passes --check and still validates.
cp -r "$CATALOG" "$work/messy"
sed -i 's/^  name: /    name:   /; s/^}$/ }/' "$work/messy/countries.textproto"
if "$TOOL" fmt --check "$work/messy" >/dev/null; then fail "fmt --check missed a messy file"; fi
"$TOOL" fmt "$work/messy" | grep -q "countries.textproto: formatted" || fail "fmt did not rewrite"
"$TOOL" fmt --check "$work/messy" || fail "fmt output is not canonical"
cmp -s "$work/messy/countries.textproto" "$CATALOG/countries.textproto" || fail "fmt did not restore the layout"

# diff: identical catalogues; then one changed date, one removed record.
out=$("$TOOL" diff --exit-code "$CATALOG" "$CATALOG") || fail "diff of identical: $out"
[ -z "$out" ] || fail "diff of identical printed: $out"
cp -r "$CATALOG" "$work/new"
sed -i 's/date { year: 2014 month: 4 day: 27 }/date { year: 2014 month: 4 }/' "$work/new/agreements.textproto"
if out=$("$TOOL" diff --exit-code "$CATALOG" "$work/new"); then fail "diff --exit-code returned 0 on a change"; fi
want=$'~ agreements/my-us-comprehensive-partnership-2014\n    - events[0].date.day: 27'
[ "$out" = "$want" ] || fail "diff printed: $out"
json=$("$TOOL" diff --format=json "$CATALOG" "$work/new")
python3 - "$json" <<'PY' || fail "diff json: $json"
import json, sys
d = json.loads(sys.argv[1])
assert d["added"] == [] and d["removed"] == [], d
[c] = d["changed"]
assert c["name"] == "agreements/my-us-comprehensive-partnership-2014", c
assert c["fields"] == [{"change": "removed", "path": "events[0].date.day", "old": "27"}], c
PY

# usage errors exit 2.
set +e
"$TOOL" >/dev/null 2>&1; [ $? -eq 2 ] || fail "no command should exit 2"
"$TOOL" diff only-one >/dev/null 2>&1; [ $? -eq 2 ] || fail "diff with one dir should exit 2"
set -e
echo "accord_catalog CLI: OK"
