#!/usr/bin/env bash
# Every function libmikey ($1) exports is called by at least one C test program ($2...):
# the union of their undefined mikey_* references must cover the exported set, so a new
# C API function cannot ship without a C test (NULL arguments, short buffers, ...).
set -euo pipefail
lib=$1; shift
exported=$(nm -D --defined-only "$lib" | awk '$2 == "T" {sub(/@.*/, "", $3); print $3}' | sort -u)
called=$(nm -u "$@" | awk '{sub(/@.*/, "", $2); print $2}' | grep '^mikey_' | sort -u || true)
missing=$(comm -23 <(echo "$exported") <(echo "$called"))
if [ -n "$missing" ]; then
    echo "FAIL: exported but not called by any C test (add them to a c-tests/test_*.c):"
    echo "$missing"
    exit 1
fi
echo "ok: all $(echo "$exported" | wc -l) exported functions are called by the C tests"
