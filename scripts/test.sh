#!/usr/bin/env bash
# Runs every test, failing on the first failure:
#  1. cargo test: unit, integration, property, corpus replay, header freshness, benches in
#     test mode (--all-targets), then the doc tests (which --all-targets leaves out), then
#     the loom model checks of the replay cache and the Initiator's timestamps (built with
#     --cfg mikey_loom in their own target directory, so the normal build is untouched);
#  2. the API documentation builds without a warning (cargo doc, RUSTDOCFLAGS=-D warnings);
#  3. the clean-install check (scripts/install_check.sh): a default CMake build of a fresh
#     copy of the tree, without GStreamer or libsrtp2, installs library, header, pkg-config
#     file, CMake package, CLI and man pages;
#  4. CMake + ctest in build/ (or $MIKEY_BUILD_DIR), with the opt-in parts on: the C tests
#     under ASan+UBSan, each also under valgrind, the exported-symbol checks, the
#     pkg-config / find_package / dlopen consumers of an installed tree, and the examples.
# The cargo "test result:" lines and ctest's "% tests passed" line are printed unaltered.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh

cargo test --locked --workspace --all-targets
cargo test --locked --workspace --doc
RUSTFLAGS="--cfg mikey_loom" CARGO_TARGET_DIR=target/loom cargo test --lib -- loom_

RUSTDOCFLAGS="-D warnings" cargo doc --locked --workspace --no-deps --quiet
echo "cargo doc: no warnings"

bash scripts/install_check.sh

build=${MIKEY_BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMIKEY_TESTS=ON -DMIKEY_EXAMPLES=ON \
    -DMIKEY_SANITIZE=ON -DMIKEY_VALGRIND=ON
cmake --build "$build" -j "$(nproc)"
cd "$build"
ctest --output-on-failure
