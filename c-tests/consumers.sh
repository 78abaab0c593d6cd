#!/usr/bin/env bash
# Builds and runs programs against an installed tree, as a downstream user would.
#   $1 mode: pkgconfig | cmake | dlopen     $2 install prefix     $3 its libdir
#   $4 c-tests source dir     $5 scratch dir     $6 expected version
# Environment (set by ctest): CC, CMAKE, TEST_DLOPEN (the built test_dlopen program).
set -euo pipefail
mode=$1 prefix=$2 libdir=$3 src=$4 work=$5 version=$6
CC=${CC:-cc} CMAKE=${CMAKE:-cmake}
fail() { echo "FAIL: $*"; exit 1; }
[ -e "$libdir/libmikey.so.0" ] || fail "no libmikey.so.0 in $libdir"
rm -rf "$work"
mkdir -p "$work"
# The consumers find the installed library only through LD_LIBRARY_PATH (no rpath into it).
export LD_LIBRARY_PATH="$libdir"
expected="mikey $version: 3 payloads"

case "$mode" in
pkgconfig)
    for f in libmikey.so libmikey.so.0 "libmikey.so.$version" libmikey.a include/mikey.h \
        include/mikey_srtp.h; do
        case "$f" in include/*) p="$prefix/$f" ;; *) p="$libdir/$f" ;; esac
        [ -e "$p" ] || fail "missing $p"
    done
    [ -L "$libdir/libmikey.so" ] && [ -L "$libdir/libmikey.so.0" ] || fail "libmikey.so/.so.0 are not symlinks"
    readelf -d "$libdir/libmikey.so.$version" | grep -q '(SONAME).*\[libmikey\.so\.0\]' \
        || fail "installed libmikey.so.$version has no SONAME libmikey.so.0"

    export PKG_CONFIG_PATH="$libdir/pkgconfig"
    [ "$(pkg-config --modversion mikey)" = "$version" ] || fail "pkg-config --modversion mikey"
    # shellcheck disable=SC2046  # word splitting of the pkg-config flags is intended
    "$CC" -std=c11 -Wall -Wextra -Werror -pedantic -o "$work/consumer" \
        "$src/consumer/consumer.c" $(pkg-config --cflags --libs mikey)
    out=$("$work/consumer")
    [ "$out" = "$expected" ] || fail "consumer printed '$out', expected '$expected'"
    readelf -d "$work/consumer" | grep -q 'NEEDED.*\[libmikey\.so\.0\]' || fail "consumer does not need libmikey.so.0"

    # The header-only libsrtp glue: its user links libsrtp2, libmikey does not.
    # shellcheck disable=SC2046
    "$CC" -std=c11 -Wall -Wextra -Werror -pedantic -o "$work/srtp_consumer" \
        "$src/consumer/srtp_consumer.c" $(pkg-config --cflags --libs mikey libsrtp2)
    out=$("$work/srtp_consumer")
    [ "$out" = "4 10" ] || fail "srtp_consumer printed '$out', expected '4 10'"
    ! readelf -d "$libdir/libmikey.so.$version" | grep -q 'NEEDED.*srtp' || fail "libmikey needs libsrtp"

    # The installed static archive, with the system libraries from Libs.private.
    # shellcheck disable=SC2046
    "$CC" -std=c11 -Wall -Wextra -Werror -pedantic -o "$work/consumer_static" \
        "$src/consumer/consumer.c" $(pkg-config --cflags mikey) "$libdir/libmikey.a" \
        $(pkg-config --static --libs-only-l mikey | sed 's/-lmikey\b//')
    ! readelf -d "$work/consumer_static" | grep -q 'libmikey' || fail "static consumer needs libmikey.so"
    out=$("$work/consumer_static")
    [ "$out" = "$expected" ] || fail "static consumer printed '$out'"
    ;;
cmake)
    "$CMAKE" -S "$src/consumer-cmake" -B "$work/build" -DCMAKE_PREFIX_PATH="$prefix" \
        -DCMAKE_C_COMPILER="$CC" >/dev/null
    "$CMAKE" --build "$work/build" >/dev/null
    # find_package(mikey 2.0) must fail: the package version file says SameMajorVersion.
    if "$CMAKE" -S "$src/consumer-cmake" -B "$work/build-v2" -DCMAKE_PREFIX_PATH="$prefix" \
        -DMIKEY_WANT_VERSION=2.0 >/dev/null 2>&1; then
        fail "find_package(mikey 2.0) accepted version $version"
    fi
    out=$("$work/build/consumer")
    [ "$out" = "$expected" ] || fail "consumer printed '$out', expected '$expected'"
    ! readelf -d "$work/build/consumer_static" | grep -q 'libmikey' \
        || fail "consumer_static (mikey::mikey_static) needs libmikey.so"
    out=$("$work/build/consumer_static")
    [ "$out" = "$expected" ] || fail "consumer_static printed '$out', expected '$expected'"
    ;;
dlopen)
    "$TEST_DLOPEN"
    # The program's list of names must be the library's whole export list.
    listed=$("$TEST_DLOPEN" --list | sort)
    exported=$(nm -D --defined-only "$libdir/libmikey.so.0" | awk '$2 == "T" {sub(/@.*/, "", $3); print $3}' | sort)
    if [ "$listed" != "$exported" ]; then
        diff <(echo "$listed") <(echo "$exported") || true
        fail "test_dlopen.c EXPORTED[] (<) differs from the library's exports (>)"
    fi
    ;;
*) fail "unknown mode $mode" ;;
esac
echo "ok: $mode consumer"
