#!/usr/bin/env bash
# Runs every test: the cargo tests (unit, integration, property, corpus replay, header
# freshness), then the C tests through CMake/ctest (ASan+UBSan, exported symbols,
# pkg-config / find_package / dlopen consumers of an installed tree).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cargo test --all-targets
build=${MIKEY_BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$(nproc)"
(cd "$build" && ctest --output-on-failure)
