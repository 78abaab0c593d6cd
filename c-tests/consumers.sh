#!/usr/bin/env bash
# Builds and runs programs against an installed tree: $1 = mode (pkgconfig|cmake|dlopen),
# $2 = install prefix, $3 = source dir, $4 = scratch dir, $5 = expected version.
set -euo pipefail
mode=$1 prefix=$2 src=$3 work=$4 version=$5
libdir=$(dirname "$(find "$prefix" -name 'libmikey.so.0' | head -n 1)")
[ -n "$libdir" ] || { echo "no libmikey.so.0 under $prefix"; exit 1; }
mkdir -p "$work"
export LD_LIBRARY_PATH="$libdir"
case "$mode" in
pkgconfig)
    export PKG_CONFIG_PATH="$libdir/pkgconfig"
    [ "$(pkg-config --modversion mikey)" = "$version" ]
    for f in libmikey.so libmikey.so.0 "libmikey.so.$version" libmikey.a; do
        [ -e "$libdir/$f" ] || { echo "missing $libdir/$f"; exit 1; }
    done
    readelf -d "$libdir/libmikey.so.$version" | grep -q 'SONAME.*\[libmikey.so.0\]'
    # shellcheck disable=SC2046
    cc -std=c11 -Wall -Wextra -Werror -pedantic -o "$work/consumer" "$src/consumer/consumer.c" $(pkg-config --cflags --libs mikey)
    "$work/consumer" | grep -q "^mikey $version: 3 payloads$"
    ;;
cmake)
    cmake -S "$src/consumer-cmake" -B "$work/build" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
    cmake --build "$work/build" >/dev/null
    "$work/build/consumer" | grep -q "^mikey $version: 3 payloads$"
    ;;
dlopen)
    cc -std=c11 -Wall -Wextra -Werror -pedantic -D_GNU_SOURCE -DMIKEY_EXPECTED_VERSION="\"$version\"" \
        -o "$work/test_dlopen" "$src/test_dlopen.c" -ldl
    "$work/test_dlopen"
    ;;
esac
echo "ok: $mode consumer"
