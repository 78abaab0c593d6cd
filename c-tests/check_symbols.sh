#!/usr/bin/env bash
# Checks a built libmikey ($1) against its header ($2, preprocessed with the C compiler $3):
# SONAME libmikey.so.0; the dynamic symbol table defines only mikey_* (plus the MIKEY_0
# version node); every mikey_* symbol has version MIKEY_0; and the exported functions are
# exactly the functions mikey.h declares; and it needs no libsrtp (mikey_srtp.h, the
# libsrtp glue, is header-only: only its users link libsrtp).
set -euo pipefail
lib=$1 header=$2 cc=$3
fail() { echo "FAIL: $*"; exit 1; }

soname=$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = "libmikey.so.0" ] || fail "SONAME is '$soname', not libmikey.so.0"

needed=$(readelf -d "$lib" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
! grep -qi srtp <<<"$needed" || fail "libmikey links libsrtp:"$'\n'"$needed"
! nm -D --undefined-only "$lib" | grep -q ' srtp_' || fail "libmikey refers to srtp_* symbols"

# nm prints versioned names as name@@VERSION; the version node itself is an ABS symbol.
others=$(nm -D --defined-only "$lib" | awk '{print $3}' \
    | grep -v -E '^(mikey_[A-Za-z0-9_]+@@MIKEY_0|MIKEY_0)$' || true)
[ -z "$others" ] || fail "symbols other than mikey_*@@MIKEY_0 exported:"$'\n'"$others"

# objdump -T: "addr flags section size version name"; check the version column directly.
unversioned=$(objdump -T "$lib" | awk '$NF ~ /^mikey_/ && $(NF-1) != "MIKEY_0" {print}')
[ -z "$unversioned" ] || fail "mikey_* symbols without version MIKEY_0:"$'\n'"$unversioned"

exported=$(nm -D --defined-only "$lib" | awk '$2 == "T" {sub(/@.*/, "", $3); print $3}' | sort -u)
# The preprocessor drops comments, so only real declarations "mikey_name(" remain.
declared=$("$cc" -E -P "$header" | grep -oE '\bmikey_[a-z0-9_]+ *\(' | tr -d ' (' | sort -u)
if [ "$exported" != "$declared" ]; then
    echo "exported (<) vs declared in mikey.h (>):"
    diff <(echo "$exported") <(echo "$declared") || true
    fail "exported functions differ from mikey.h"
fi
echo "ok: SONAME $soname, $(echo "$exported" | wc -l) mikey_* functions, all MIKEY_0, all in mikey.h"
