#!/usr/bin/env bash
# Installs the Debian packages the build and the C tests need, and only those missing:
# on a machine that has everything this does no apt work at all (idempotent).
# Tools are checked with `command -v` (they may come from elsewhere), libraries with dpkg.
set -euo pipefail

missing=()
need_cmd() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }   # command, package
need_pkg() { dpkg -s "$1" >/dev/null 2>&1 || missing+=("$1"); }      # package

need_cmd cmake cmake
need_cmd make make                 # CMake's default generator
need_cmd pkg-config pkg-config
need_cmd cc gcc
need_cmd nm binutils               # nm, readelf, objdump for the exported-symbol tests
need_cmd readelf binutils
need_cmd objdump binutils
need_cmd objcopy binutils           # splits debug info off the installed files
need_cmd man man-db                # man -l renders the generated man pages (install check)
need_cmd valgrind valgrind
need_cmd openssl openssl            # the RSA and certificate tests cross-check with the openssl tool
need_pkg libc6-dev
need_pkg libsrtp2-dev
need_pkg libnss3-dev               # NSS: examples/mikey-endpoint's key fingerprints (SHA-256)
need_pkg libgstreamer-plugins-base1.0-dev
need_pkg libssl-dev                # libcrypto: the OAKLEY exponentiation (src/crypto/dh.rs), and the bench baseline
# The sanitizer runtimes normally come with gcc; check them in case gcc is a minimal one.
if command -v cc >/dev/null 2>&1 && ! echo 'int main(void){return 0;}' \
    | cc -x c -fsanitize=address,undefined -o /dev/null - >/dev/null 2>&1; then
    missing+=(libasan8 libubsan1)
fi
optional=()
command -v xxd >/dev/null 2>&1 || optional+=(xxd)

if [ ${#missing[@]} -eq 0 ] && [ ${#optional[@]} -eq 0 ]; then
    exit 0
fi
command -v apt-get >/dev/null 2>&1 || { echo "deps.sh: missing ${missing[*]} ${optional[*]}, and no apt-get" >&2; exit 1; }
sudo=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "deps.sh: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo -E)
fi
export DEBIAN_FRONTEND=noninteractive
if [ ${#missing[@]} -gt 0 ]; then
    mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
fi
echo "deps.sh: installing ${missing[*]} ${optional[*]}"
"${sudo[@]}" apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if [ ${#optional[@]} -gt 0 ]; then
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${optional[@]}" \
        || echo "deps.sh: optional ${optional[*]} not installed (not needed by the tests)"
fi
