#!/usr/bin/env bash
# The main job, for now: build the library and CLI, then decode both MIKEY messages of
# RFC 4567 §5.1 (the SDP offer and answer) and the RTSP form of §5.3, printing every field.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
for input in tests/data/rfc4567-example1-offer.sdp \
             tests/data/rfc4567-example1-answer.sdp \
             tests/data/rfc4567-example3-setup.rtsp; do
    echo "== mikey decode $input"
    ./target/release/mikey decode "$input"
    echo
done
