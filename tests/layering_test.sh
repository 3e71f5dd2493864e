#!/usr/bin/env bash
# No folder under service/ includes a folder above it. The layers, lowest
# first (service/CMakeLists.txt explains each):
#   registry catalog query temporal search index counts serving watch engine api server
# Usage: tests/layering_test.sh [SERVICE_DIR]
set -euo pipefail
dir="${1:-$(dirname "$0")/../service}"
layers=(registry catalog query temporal search index counts serving watch engine api server)
rank() { local i; for i in "${!layers[@]}"; do [ "${layers[$i]}" = "$1" ] && echo "$i" && return; done; echo -1; }
fail=0
for d in "$dir"/*/; do
  name="$(basename "$d")"
  mine="$(rank "$name")"
  if [ "$mine" -lt 0 ]; then
    echo "service/$name is not a known layer: add it to tests/layering_test.sh"
    fail=1
    continue
  fi
  while IFS= read -r line; do
    file="${line%%:*}"
    used="$(sed -E 's|.*#include "service/([a-z_]+)/.*|\1|' <<<"$line")"
    if [ "$(rank "$used")" -gt "$mine" ]; then
      echo "layering: ${file#"$dir"/} includes service/$used/, a layer above service/$name/"
      fail=1
    fi
  done < <(grep -rHE '^#include "service/[a-z_]+/' "$d" || true)
done
[ "$fail" -eq 0 ] && echo "layering ok: ${layers[*]}"
exit "$fail"
