#!/usr/bin/env bash
# The clean-install check: what a packager does first, on a fresh copy of the source tree.
#  1. Copies the tracked and untracked-but-not-ignored files (what a clone of the committed
#     work tree holds; no build directory, no target/) into $work/src.
#  2. Configures and builds with the defaults only, with pkg-config able to find OpenSSL
#     alone (the one library the build needs), so a build that needed GStreamer or
#     libsrtp2 fails here; then installs into $work/prefix.
#  3. Checks the installed tree: library, symlinks, static archive, header, pkg-config file,
#     CMake package, the mikey CLI (it runs), the man pages (man -l renders them), and no
#     debug info in the installed library or CLI.
# Cargo's output is kept in target/install-check so a second run only rebuilds the crate.
# $MIKEY_INSTALL_CHECK_DIR: the work directory (default build-install-check).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=${MIKEY_INSTALL_CHECK_DIR:-$root/build-install-check}
fail() { echo "install check FAIL: $*" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work/src"
git ls-files -z --cached --others --exclude-standard \
    | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
    | tar --null -T - -cf - | tar -xf - -C "$work/src"

prefix=$work/prefix
# A pkg-config directory holding OpenSSL's files only (openssl-sys finds libcrypto there).
mkdir -p "$work/pkgconfig"
for pc in openssl libssl libcrypto; do
    path=$(pkg-config --path "$pc") || fail "pkg-config does not find $pc (Debian: libssl-dev)"
    ln -s "$path" "$work/pkgconfig/$pc.pc"
done
(
    export PKG_CONFIG_PATH='' PKG_CONFIG_LIBDIR=$work/pkgconfig
    cmake -S "$work/src" -B "$work/build" -DMIKEY_CARGO_TARGET_DIR="$root/target/install-check"
    cmake --build "$work/build" -j "$(nproc)"
    cmake --install "$work/build" --prefix "$prefix"
) >"$work/build.log" 2>&1 || { tail -30 "$work/build.log"; fail "default build or install (log: $work/build.log)"; }

version=$(sed -n 's/^version = "\([0-9.]*\)"$/\1/p' Cargo.toml | head -1)
libdir=$prefix/lib
for f in "lib/libmikey.so.$version" lib/libmikey.a include/mikey.h include/mikey_srtp.h lib/pkgconfig/mikey.pc \
    lib/cmake/mikey/mikeyConfig.cmake lib/cmake/mikey/mikeyConfigVersion.cmake \
    lib/cmake/mikey/mikeyTargets.cmake bin/mikey share/man/man1/mikey.1 \
    share/man/man1/mikey-decode.1 share/man/man1/mikey-initiate.1 \
    share/man/man1/mikey-respond.1 share/man/man1/mikey-complete.1 \
    share/man/man1/mikey-sdp-unwrap.1 share/man/man1/mikey-rtsp-unwrap.1; do
    [ -f "$prefix/$f" ] || fail "not installed: $f"
done
[ -L "$libdir/libmikey.so" ] && [ -L "$libdir/libmikey.so.0" ] || fail "libmikey.so/.so.0 are not symlinks"
grep -q 'GST\|SRTP' "$work/build/CMakeCache.txt" && fail "the default configure looked for GStreamer or libsrtp2"
for f in "$libdir/libmikey.so.$version" "$prefix/bin/mikey"; do
    ! readelf -S "$f" | grep -q '\.debug_info' || fail "$f has debug info"
done
! objdump -h "$libdir/libmikey.a" 2>/dev/null | grep -q '\.debug_info' || fail "libmikey.a has debug info"

[ "$("$prefix/bin/mikey" --version)" = "mikey $version" ] || fail "bin/mikey --version"
"$prefix/bin/mikey" decode AQAFgM0XflABAAAAAAAAAAAAAAsAyONQ6gAAAAAGEEoo2pee4hp2UaDX8ZE22YwKAAAPZG9uYWxkQGR1Y2suY29tAQAAAAAAAQAk0JKpgaVkDaawi9whVBtBt0KZ14ymNuu62+Nv3ozPLygwK/GbAV9iemnGUIZ19fWQUOSrzKTAv9zV \
    | grep -q 'MIKEY message, 132 bytes' || fail "bin/mikey decode"
page=$(MANWIDTH=80 man -l "$prefix/share/man/man1/mikey.1" 2>&1) || fail "man -l mikey.1: $page"
grep -q 'mikey-decode(1)' <<<"$page" || fail "mikey.1 does not list mikey-decode(1)"
page=$(MANWIDTH=80 man -l "$prefix/share/man/man1/mikey-decode.1" 2>&1) || fail "man -l mikey-decode.1"
grep -q -- '--max-payloads' <<<"$page" || fail "mikey-decode.1 does not document --max-payloads"
echo "install check: ok (default build installed library, header, pc, CMake package, CLI and man pages into $prefix)"
