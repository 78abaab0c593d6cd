//! What the benchmarks against libcrypto share: the fixed test PKI of tests/data/pk and the
//! timing of interleaved batches (each figure the median of its batches, so that ours and
//! the baseline see the same machine state).

#![allow(dead_code)]

pub mod hash_floor;

use mikey::crypto::cert::{Certificate, parse_certificates};
use mikey::session::Identity;
use mikey::wire::IdType;
use std::time::Instant;

pub const CA: &[u8] = include_bytes!("../../tests/data/pk/ca.pem");
pub const ALICE_KEY: &[u8] = include_bytes!("../../tests/data/pk/alice.key");
pub const ALICE_PEM: &[u8] = include_bytes!("../../tests/data/pk/alice.pem");
pub const BOB_KEY: &[u8] = include_bytes!("../../tests/data/pk/bob.key");
pub const BOB_PEM: &[u8] = include_bytes!("../../tests/data/pk/bob.pem");

/// The first certificate of a PEM file.
pub fn cert(pem: &[u8]) -> Certificate {
    parse_certificates(pem).unwrap().remove(0)
}

/// A URI identity.
pub fn uri(s: &str) -> Identity {
    Identity {
        id_type: IdType::Uri,
        data: s.as_bytes().to_vec(),
    }
}

/// Microseconds per call of `f`, over `n` calls.
pub fn per_call(n: u32, f: &mut dyn FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..n {
        f();
    }
    start.elapsed().as_secs_f64() * 1e6 / f64::from(n)
}

/// The median of `v`.
pub fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Whether the binary runs as a benchmark (`cargo bench`), not as a check (`cargo test
/// --benches`), and whether `MIKEY_BENCH_QUICK` asks for a short run.
pub fn mode() -> (bool, bool) {
    let args: Vec<String> = std::env::args().collect();
    let benchmarking = args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--test");
    let quick = std::env::var("MIKEY_BENCH_QUICK").is_ok_and(|v| !v.is_empty() && v != "0");
    (benchmarking, quick)
}

/// A target of the performance table: the ratio at most or at least this.
#[derive(Clone, Copy, Debug)]
pub enum Target {
    /// Met when the ratio is at most this.
    AtMost(f64),
    /// Met when the ratio is at least this.
    AtLeast(f64),
}

/// Prints one row of the summary table that `scripts/bench-table.sh` gathers from every
/// bench: `TABLE|operation|ours|baseline|ratio|target|met` (or `MISSED`).
pub fn table_row(operation: &str, ours: &str, baseline: &str, ratio: f64, target: Target) {
    let (text, met) = match target {
        Target::AtMost(t) => (format!("<= {t}"), ratio <= t),
        Target::AtLeast(t) => (format!(">= {t}"), ratio >= t),
    };
    let verdict = if met { "met" } else { "MISSED" };
    println!("TABLE|{operation}|{ours}|{baseline}|{ratio:.3}|{text}|{verdict}");
}

/// [`table_row`]s of operations timed in microseconds against sums of libcrypto's
/// operations: (operation, ours, what libcrypto does, its time, target).
pub fn libcrypto_rows(rows: &[(&str, f64, &str, f64, Target)]) {
    for &(operation, ours, what, libcrypto, target) in rows {
        table_row(
            operation,
            &format!("{ours:.0} µs"),
            &format!("{what} in libcrypto: {libcrypto:.0} µs"),
            ours / libcrypto,
            target,
        );
    }
}
