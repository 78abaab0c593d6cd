#!/usr/bin/env bash
# Installs the Debian packages the build and tests need, only if some are missing.
set -euo pipefail
packages=(cmake pkg-config gcc libc6-dev binutils valgrind libsrtp2-dev libgstreamer-plugins-base1.0-dev)
missing=()
for p in "${packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
