#!/usr/bin/env bash
# Checks a built libmikey: SONAME libmikey.so.0, only mikey_* symbols exported (plus the
# MIKEY_0 version node), each with version MIKEY_0 (nm prints name@@MIKEY_0).
set -euo pipefail
lib="$1"
soname=$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = "libmikey.so.0" ] || { echo "SONAME is '$soname'"; exit 1; }
others=$(nm -D --defined-only "$lib" | awk '{print $3}' | grep -v -E '^(mikey_[A-Za-z0-9_]+@@MIKEY_0|MIKEY_0)$' || true)
[ -z "$others" ] || { echo "unexpected exported symbols:"; echo "$others"; exit 1; }
count=$(nm -D --defined-only "$lib" | awk '{print $3}' | grep -c '^mikey_')
[ "$count" -ge 16 ] || { echo "only $count mikey_* symbols"; exit 1; }
echo "ok: SONAME $soname, $count mikey_* symbols, all MIKEY_0"
