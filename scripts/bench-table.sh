#!/usr/bin/env bash
# The performance table (README, "Performance"): runs every benchmark with a same-run
# baseline (codec, exchange, pk_exchange, dh, throughput; each ratio is measured inside one
# process from interleaved batches) and the memory test, then prints their rows as one
# Markdown table, with the machine it ran on. The benchmarks' own, more detailed tables go
# to stderr with their progress.
# MIKEY_BENCH_QUICK=1 for a short run (a few minutes instead of about a quarter of an hour).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for bench in codec exchange pk_exchange dh throughput; do
    echo "== cargo bench --bench $bench" >&2
    cargo bench --bench "$bench" 2>&1 | tee -a "$out" >&2
done
echo "== cargo test --release --test session_memory" >&2
cargo test --release --test session_memory -- --nocapture 2>&1 | tee -a "$out" >&2

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
echo "Machine: ${cpu:-unknown CPU}, $(nproc) cores visible, $(uname -sr); $(rustc -V);" \
    "$(openssl version 2>/dev/null || echo 'openssl CLI absent');" \
    "${MIKEY_BENCH_QUICK:+MIKEY_BENCH_QUICK=$MIKEY_BENCH_QUICK; }$(date -u +%Y-%m-%d)."
echo
echo "| operation | mikey | baseline (same run) | ratio | target | |"
echo "|---|---|---|---|---|---|"
grep '^TABLE|' "$out" | sed 's/^TABLE//; s/$/|/'
missed=$(grep -c '^TABLE|.*|MISSED$' "$out" || true)
echo
echo "$(grep -c '^TABLE|' "$out") targets, $missed missed."
