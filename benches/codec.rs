//! Wire codec benchmarks, with GStreamer's MIKEY (libgstsdp-1.0) measured in the same run
//! as the baseline.
//!
//! - `parse/psk_null`, `parse/rfc4567`: `Message::parse` on the bytes (and the drop).
//! - `build/psk_null`, `build/rfc4567`: the message built from its field values with
//!   `MessageBuilder` and encoded into a reused `Vec` (build and serialize both counted).
//! - `gst/parse/psk_null`: `gst_mikey_message_new_from_data` + unref.
//! - `gst/build/psk_null`: the same message built with `gst_mikey_message_new`, `set_info`,
//!   `add_cs_srtp`, `add_t`, `add_rand`, an SP and a KEMAC payload with a Key data
//!   sub-payload, then `gst_mikey_message_to_bytes` + unrefs.
//!
//! Setup checks (not timed): our builder reproduces the fixture bytes; GStreamer's parser
//! returns on them within 2 s (in a killable child process), accepts them and writes them
//! back unchanged; GStreamer's builder produces the same bytes.
//!
//! After the criterion groups, a summary table gives our median, GStreamer's median and
//! the ratio against the 1/8 target, from its own loop (batches of calls, interleaved
//! between the operations so that both sides see the same machine state).
//!
//! `cargo bench --bench codec`; quick run (< 30 s): `MIKEY_BENCH_QUICK=1 cargo bench
//! --bench codec`. Under `cargo test --benches` only the checks and one call of each
//! benchmark run.

mod fixtures;
mod gst_baseline;
mod same_run;

use criterion::Criterion;
use gst_baseline::{Gst, PskMessage};
use mikey::wire::Message;
use same_run::{Target, table_row};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// Set (to anything but `0`) for a quick run.
const QUICK_ENV: &str = "MIKEY_BENCH_QUICK";
/// How long GStreamer's parser may take on the PSK/NULL message in the probe.
const GST_PARSE_LIMIT: Duration = Duration::from_secs(2);
/// Target: each of our operations takes at most this fraction of GStreamer's time.
const TARGET_RATIO: f64 = 0.125;

/// The PSK/NULL message's field values, as GStreamer's builder takes them.
const GST_PSK_NULL: PskMessage<'static> = {
    use fixtures::psk_null::*;
    PskMessage {
        csb_id: CSB_ID,
        policy_no: POLICY_NO,
        ssrc: SSRC,
        roc: ROC,
        ts_ntp_utc: TS_NTP_UTC.to_be_bytes(),
        rand: &RAND,
        sp_params: &SP_PARAMS,
        key: &KEY,
    }
};

fn main() {
    if gst_baseline::run_probe_child_if_requested() {
        return;
    }
    let quick = std::env::var(QUICK_ENV).is_ok_and(|v| !v.is_empty() && v != "0");
    let args: Vec<String> = std::env::args().collect();
    let has = |flag: &str| args.iter().any(|a| a == flag);
    let benchmarking = has("--bench") && !has("--test") && !has("--list");

    let (psk, rfc) = checked_fixtures();
    let gst = match setup_gst(&psk) {
        Ok(gst) => Some(gst),
        Err(e) => {
            println!("GStreamer baseline unavailable: {e}");
            None
        }
    };

    let mut c = Criterion::default();
    if quick {
        c = c
            .warm_up_time(Duration::from_millis(200))
            .measurement_time(Duration::from_millis(700))
            .sample_size(10);
    }
    let mut c = c.configure_from_args();
    criterion_benches(&mut c, &psk, &rfc, gst.as_ref());
    c.final_summary();

    if benchmarking {
        summary(&psk, &rfc, gst.as_ref(), quick);
    }
}

/// The fixture bytes, after checking that our builder reproduces them exactly and that
/// they parse and re-encode unchanged.
fn checked_fixtures() -> (Vec<u8>, Vec<u8>) {
    let psk = fixtures::psk_null_bytes();
    let rfc = fixtures::rfc4567_bytes();
    let mut out = Vec::new();
    type Build = fn(&mut Vec<u8>) -> Result<(), mikey::wire::EncodeError>;
    let cases: [(&str, &[u8], Build); 2] = [
        ("PSK/NULL", &psk, fixtures::build_psk_null),
        ("RFC 4567 §5", &rfc, fixtures::build_rfc4567),
    ];
    for (name, bytes, build) in cases {
        build(&mut out).unwrap_or_else(|e| panic!("{name}: builder failed: {e}"));
        assert_eq!(
            hex::encode(&out),
            hex::encode(bytes),
            "{name}: built bytes differ from the fixture"
        );
        let message = Message::parse(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            message.encode().expect("re-encodes"),
            bytes,
            "{name}: round trip"
        );
        println!(
            "{name} I_MESSAGE: {} bytes, {} payloads after HDR",
            bytes.len(),
            message.payloads.len()
        );
    }
    (psk, rfc)
}

/// Loads GStreamer and checks it on the PSK/NULL message: its parser returns (in a child
/// process under a time limit), accepts the bytes and writes them back unchanged, and its
/// builder produces the same bytes. Mismatches are warnings; only a missing library or
/// a parser that fails or does not return disables the baseline.
fn setup_gst(psk: &[u8]) -> Result<Gst, String> {
    let gst = Gst::load()?;
    let (major, minor, micro) = gst.version;
    let n = gst_baseline::parse_returns_in_child(psk, GST_PARSE_LIMIT)
        .map_err(|e| format!("GStreamer {major}.{minor}.{micro} on the PSK/NULL message: {e}"))?;
    // The probe returned on these exact bytes, so the in-process calls below return too.
    let (n_in_process, written_back) = gst.parse_checked(psk)?;
    let built = gst.build_psk(&GST_PSK_NULL, |b| b.to_vec())?;
    println!(
        "GStreamer {major}.{minor}.{micro}: parse of the PSK/NULL message returned in the \
         probe ({n} payloads)"
    );
    if n != 4 || n_in_process != 4 {
        println!(
            "warning: GStreamer parsed {n_in_process} payloads, expected 4 (T, RAND, SP, KEMAC)"
        );
    }
    if written_back != psk {
        println!(
            "warning: GStreamer's parse + to_bytes of our bytes differs {}",
            first_difference(&written_back, psk)
        );
    }
    if built == psk {
        println!("GStreamer's builder produces our PSK/NULL bytes byte for byte");
    } else {
        println!(
            "warning: GStreamer's builder does not produce our bytes {}; the build \
             comparison is of two different messages",
            first_difference(&built, psk)
        );
    }
    Ok(gst)
}

fn first_difference(theirs: &[u8], ours: &[u8]) -> String {
    let at = theirs
        .iter()
        .zip(ours)
        .position(|(a, b)| a != b)
        .unwrap_or(theirs.len().min(ours.len()));
    format!(
        "(first difference at byte {at}; GStreamer {} bytes: {}; ours {} bytes: {})",
        theirs.len(),
        hex::encode(theirs),
        ours.len(),
        hex::encode(ours)
    )
}

fn criterion_benches(c: &mut Criterion, psk: &[u8], rfc: &[u8], gst: Option<&Gst>) {
    let mut group = c.benchmark_group("parse");
    for (name, bytes) in [("psk_null", psk), ("rfc4567", rfc)] {
        group.bench_function(name, |b| b.iter(|| Message::parse(black_box(bytes))));
    }
    group.finish();

    let mut group = c.benchmark_group("build");
    let mut out = Vec::with_capacity(256);
    group.bench_function("psk_null", |b| {
        b.iter(|| {
            fixtures::build_psk_null(&mut out).expect("builds");
            black_box(out.len())
        })
    });
    group.bench_function("rfc4567", |b| {
        b.iter(|| {
            fixtures::build_rfc4567(&mut out).expect("builds");
            black_box(out.len())
        })
    });
    group.finish();

    if let Some(gst) = gst {
        let mut group = c.benchmark_group("gst");
        group.bench_function("parse/psk_null", |b| {
            b.iter(|| gst.parse_discard(black_box(psk)))
        });
        group.bench_function("build/psk_null", |b| {
            b.iter(|| {
                gst.build_psk(&GST_PSK_NULL, |bytes| bytes.len())
                    .expect("builds")
            })
        });
        group.finish();
    }
}

/// A benchmarked operation: runs `n` calls and returns the elapsed time (the loop is
/// monomorphised per operation, so no indirect call per iteration).
type Batch<'a> = Box<dyn FnMut(u32) -> Duration + 'a>;

fn batched<'a>(mut f: impl FnMut() + 'a) -> Batch<'a> {
    Box::new(move |n| {
        let start = Instant::now();
        for _ in 0..n {
            f();
        }
        start.elapsed()
    })
}

struct Op<'a> {
    name: &'static str,
    ours: Batch<'a>,
    gst: Option<Batch<'a>>,
    no_gst: &'static str,
}

/// Our medians and GStreamer's, from batches of calls interleaved across all operations.
fn summary(psk: &[u8], rfc: &[u8], gst: Option<&Gst>, quick: bool) {
    let (batch, rounds) = if quick { (2_000, 9) } else { (10_000, 15) };
    let (mut out_psk, mut out_rfc) = (Vec::with_capacity(256), Vec::with_capacity(256));
    let no_gst = if gst.is_some() {
        "GStreamer 1.22 never returns on ID payloads"
    } else {
        "unavailable"
    };
    let mut ops = [
        Op {
            name: "parse/psk_null",
            ours: batched(move || {
                let _ = black_box(Message::parse(black_box(psk)));
            }),
            gst: gst.map(|g| {
                batched(move || {
                    black_box(g.parse_discard(black_box(psk)));
                })
            }),
            no_gst: "unavailable",
        },
        Op {
            name: "build/psk_null",
            ours: batched(move || {
                fixtures::build_psk_null(&mut out_psk).expect("builds");
                black_box(out_psk.len());
            }),
            gst: gst.map(|g| {
                batched(move || {
                    black_box(g.build_psk(&GST_PSK_NULL, |b| b.len()).expect("builds"));
                })
            }),
            no_gst: "unavailable",
        },
        Op {
            name: "parse/rfc4567",
            ours: batched(move || {
                let _ = black_box(Message::parse(black_box(rfc)));
            }),
            gst: None,
            no_gst,
        },
        Op {
            name: "build/rfc4567",
            ours: batched(move || {
                fixtures::build_rfc4567(&mut out_rfc).expect("builds");
                black_box(out_rfc.len());
            }),
            gst: None,
            no_gst: if gst.is_some() {
                "GStreamer 1.22 cannot write ID payloads"
            } else {
                "unavailable"
            },
        },
    ];
    let per_call = |d: Duration| d.as_secs_f64() * 1e9 / f64::from(batch);
    // Warm-up round, then the measured rounds.
    let mut samples: Vec<(Vec<f64>, Vec<f64>)> = ops.iter().map(|_| Default::default()).collect();
    for round in 0..=rounds {
        for (op, (ours, theirs)) in ops.iter_mut().zip(&mut samples) {
            let t = per_call((op.ours)(batch));
            let g = op.gst.as_mut().map(|f| per_call(f(batch)));
            if round > 0 {
                ours.push(t);
                theirs.extend(g);
            }
        }
    }

    println!();
    println!(
        "Summary: median ns per call of {rounds} batches of {batch} calls, interleaved, \
         same process; target mikey/GStreamer <= {TARGET_RATIO:.3}"
    );
    println!(
        "{:<16} {:>12} {:>12} {:>16}  verdict",
        "operation", "mikey", "GStreamer", "mikey/GStreamer"
    );
    for (op, (ours, theirs)) in ops.iter().zip(&mut samples) {
        let ours = median(ours);
        if theirs.is_empty() {
            println!(
                "{:<16} {:>12} {:>12} {:>16}  ({})",
                op.name,
                format_ns(ours),
                "n/a",
                "n/a",
                op.no_gst
            );
            continue;
        }
        let theirs = median(theirs);
        let ratio = ours / theirs;
        let verdict = if ratio <= TARGET_RATIO {
            format!("meets the 1/8 target ({:.1}x faster)", 1.0 / ratio)
        } else {
            format!("MISSES the 1/8 target (only {:.1}x faster)", 1.0 / ratio)
        };
        println!(
            "{:<16} {:>12} {:>12} {:>16.3}  {verdict}",
            op.name,
            format_ns(ours),
            format_ns(theirs),
            ratio
        );
        table_row(
            &format!("codec {} (the 124-byte PSK/NULL I_MESSAGE)", op.name),
            &format_ns(ours),
            &format!("GStreamer 1.22: {}", format_ns(theirs)),
            ratio,
            Target::AtMost(TARGET_RATIO),
        );
    }
}

fn median(samples: &mut [f64]) -> f64 {
    samples.sort_by(f64::total_cmp);
    let mid = samples.len() / 2;
    if samples.len() % 2 == 1 {
        samples[mid]
    } else {
        (samples[mid - 1] + samples[mid]) / 2.0
    }
}

fn format_ns(ns: f64) -> String {
    if ns < 1000.0 {
        format!("{ns:.1} ns")
    } else {
        format!("{:.3} µs", ns / 1000.0)
    }
}
