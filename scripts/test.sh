#!/usr/bin/env bash
# Runs every test, failing on the first failure:
#  1. cargo test: unit, integration, property, corpus replay, header freshness, benches in
#     test mode (--all-targets), then the doc tests (which --all-targets leaves out), then
#     the loom model checks of the replay cache and the Initiator's timestamps (built with
#     --cfg mikey_loom in their own target directory, so the normal build is untouched);
#  2. CMake + ctest in build/ (or $MIKEY_BUILD_DIR): the C tests under ASan+UBSan, each
#     also under valgrind, the exported-symbol checks, and the pkg-config / find_package /
#     dlopen consumers of an installed tree.
# The cargo "test result:" lines and ctest's "% tests passed" line are printed unaltered.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh

cargo test --workspace --all-targets
cargo test --workspace --doc
RUSTFLAGS="--cfg mikey_loom" CARGO_TARGET_DIR=target/loom cargo test --lib -- loom_

build=${MIKEY_BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMIKEY_SANITIZE=ON -DMIKEY_VALGRIND=ON
cmake --build "$build" -j "$(nproc)"
cd "$build"
ctest --output-on-failure
