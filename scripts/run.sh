#!/usr/bin/env bash
# The main job: build libmikey and the C program examples/mikey-endpoint with CMake (which
# runs cargo for the Rust library), then run three real MIKEY exchanges between two C
# endpoint processes, each followed by RTP that libsrtp2 protects with the exported keys:
#  1. PSK over UDP on 127.0.0.1: the Responder listens on UDP 2269 (MIKEY's registered
#     port), or on an ephemeral port when 2269 is taken (MIKEY_PORT=N insists on port N);
#  2. PSK through an SDP offer/answer (RFC 4567 a=key-mgmt:mikey) written to files;
#  3. MIKEY-PK (RFC 3830 §3.2) over UDP, with throwaway RSA certificates that
#     c-tests/make_pki.sh makes with openssl in a temporary directory.
# 1 and 2 use a fresh random PSK. Build directory: $MIKEY_BUILD_DIR, default build-run (a
# release build without sanitizers; scripts/test.sh uses build/).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh

build=${MIKEY_BUILD_DIR:-build-run}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DMIKEY_SANITIZE=OFF -DMIKEY_TESTS=OFF \
    -DMIKEY_EXAMPLES=ON >/dev/null
cmake --build "$build" -j "$(nproc)" --target mikey-endpoint
endpoint=$build/examples/mikey-endpoint

psk=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
port=()
[ -z "${MIKEY_PORT:-}" ] || port=(--port "$MIKEY_PORT")

echo
echo "== 1. MIKEY PSK over UDP on 127.0.0.1, then SRTP both ways (AES_CM_128_HMAC_SHA1_80, 2 streams)"
bash examples/exchange.sh "$endpoint" udp --psk "$psk" "${port[@]}"
echo
echo "== 2. MIKEY PSK in an SDP offer/answer (RFC 4567), then SRTP both ways (AES_CM_128_HMAC_SHA1_32, 4-byte MKI)"
bash examples/exchange.sh "$endpoint" sdp --psk "$psk" -- --profile 32 --mki 4
echo
echo "== 3. MIKEY-PK over UDP on 127.0.0.1 (alice signs, encrypts the envelope key to bob's certificate), then SRTP both ways"
pki=$(mktemp -d)
trap 'rm -rf "$pki"' EXIT
bash c-tests/make_pki.sh "$pki"
bash examples/exchange.sh "$endpoint" udp --pk "$pki" "${port[@]}"
echo
echo "== all three exchanges succeeded: each side's libsrtp2 unprotected every packet of the other"
