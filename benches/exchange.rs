//! A full PSK exchange with key export against its hash floor (target: at most twice it),
//! measured in the same run.
//!
//! The floor is what the cryptography itself costs on this CPU: the 58 SHA-1 compressions
//! the exchange's key schedule and MACs need at the least (README, "Benchmark of a full PSK
//! exchange"), each at the cost of one SHA-1 compression of a 64-byte block in OpenSSL's
//! libcrypto (`same_run::hash_floor`), an external baseline. A unit from our own HMAC would
//! reward a slow hash.
//!
//! The exchange: the Initiator builds the I_MESSAGE (one stream, AES-CM-128, HMAC-SHA-1,
//! V requested), the Responder verifies, decrypts, negotiates, derives and answers with
//! the verification message, the Initiator verifies it, and both export the SRTP key.
//! A manual clock (wall and monotonic) advances 0.1 s per exchange, so timestamps stay
//! unique and the replay cache (default size 4096, default 5-minute skew) holds about
//! 3,000 live messages and expires one per exchange, as a busy default configuration
//! does. (Keeping every message instead lets the cache grow to hundreds of thousands of
//! entries during a criterion run, which measures cache misses rather than the exchange.)
//!
//! The same exchange is also made through the C API (benches/c_api.rs: the exported
//! functions as a C program calls them, clocks by callback), against the same floor.
//!
//! The same run measures the `mykey` crate (2.3.1), an independent Rust MIKEY
//! implementation, on the same exchange and on parse (benches/mykey_baseline.rs lists the
//! steps it does and does not do): its full PSK exchange with export, once on its default
//! path (no timestamp or replay check) and once with its opt-in `verify_fresh` (timestamp
//! window and replay cache, kept at about 3,000 live entries like ours), and its parse of
//! the two fixture messages of benches/fixtures.rs, which both parsers accept. The summary
//! prints each as "ours / mykey" against the target: our exchange at least 3x faster than
//! mykey's (ratio <= 0.33).
//!
//! `cargo bench --bench exchange`; `MIKEY_BENCH_QUICK=1` for a short run. Under `cargo
//! test --benches` the setup checks run and criterion runs each benchmark once; the
//! interleaved batches and the summary are skipped.

mod c_api;
#[allow(dead_code)] // the field values and builders are codec.rs's
mod fixtures;
mod mykey_baseline;
mod same_run;

use criterion::{Criterion, black_box};
use mikey::session::{ConfigBuilder, Mode, Session, StreamSpec};
use mikey::time::ManualClock;
use mikey::wire::Message;
use mykey_baseline::Replay;
use same_run::hash_floor::{self, FloorHash};
use same_run::{Target, table_row};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

/// The SHA-1 compressions a PSK exchange needs at the least (README).
const SHA1_BLOCKS: f64 = 58.0;

/// Target: the exchange takes at most this many times its hash floor.
const FLOOR_TARGET: f64 = 2.0;

/// Target: our full exchange takes at most this fraction of mykey's (>= 3x faster).
const MYKEY_TARGET: f64 = 0.33;

/// Our parse of `bytes` per call (`Message::parse` and the drop), and its payload count.
fn ours_parse(bytes: &[u8]) -> (usize, impl Fn() + '_) {
    let n = Message::parse(bytes)
        .expect("fixture parses")
        .payloads
        .len();
    (n, move || {
        black_box(Message::parse(black_box(bytes)).ok());
    })
}

fn main() {
    let (benchmarking, quick) = same_run::mode();
    let clock = Arc::new(ManualClock::new(0xEA04_E300_0000_0000));
    let config = |c: &Arc<ManualClock>| {
        Arc::new(
            ConfigBuilder::new(Mode::Psk)
                .psk(b"a 20-byte shared key")
                .clock(c.clone())
                .build()
                .expect("valid config"),
        )
    };
    let (ci, cr) = (config(&clock), config(&clock));
    let stream = [StreamSpec {
        ssrc: 0xDEAD_BEEF,
        roc: 0,
        policy_no: 0,
    }];
    // One exchange; returns the I_MESSAGE, the verification message and the exported key.
    let run = || {
        clock.advance(Duration::from_millis(100));
        let mut i = Session::initiator(ci.clone());
        let mut r = Session::responder(cr.clone());
        let init = i.initiate(&stream).expect("initiate");
        let reply = r
            .process(&init)
            .expect("process")
            .reply
            .expect("V requested");
        i.process(&reply).expect("verify");
        let a = i.crypto_sessions()[0].keys[0].key_salt().to_vec();
        let b = r.crypto_sessions()[0].keys[0].key_salt().to_vec();
        assert_eq!(a, b);
        (init, reply, a)
    };
    let exchange = || {
        black_box(run());
    };
    // The same exchange through the C API (benches/c_api.rs).
    let c_api = c_api::CApiExchange::new();
    let c_exchange = || {
        black_box(c_api.run());
    };
    // libcrypto's SHA-1 over 256 blocks: the per-block cost is this over 257.
    let sha1_blocks = || hash_floor::hash_blocks(FloorHash::Sha1);

    // mykey: the same exchange (its clock from our clock's start, 2024-06-01, 0.1 s per
    // exchange) on its default path and with `verify_fresh`, and its parse of the fixtures.
    let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_717_200_000);
    assert_eq!(
        mikey::time::ntp_from_system_time(start),
        0xEA04_E300_0000_0000
    );
    let (mykey_exchange, mykey_look) = mykey_baseline::exchange(Replay::Off, start);
    let (mykey_fresh, mykey_fresh_look) = mykey_baseline::exchange(Replay::VerifyFresh, start);
    let (psk_null, rfc4567) = (fixtures::psk_null_bytes(), fixtures::rfc4567_bytes());
    let (n_psk, parse_psk) = ours_parse(&psk_null);
    let (n_rfc, parse_rfc) = ours_parse(&rfc4567);
    let (mykey_parse_psk, mykey_parse_rfc) = (
        mykey_baseline::parse(&psk_null),
        mykey_baseline::parse(&rfc4567),
    );
    // Setup checks (not timed): what each side sends, and that mykey parses the fixtures
    // into as many payloads as we do.
    let (init, reply, key) = run();
    let (c_init, c_reply, c_key) = c_api.run();
    assert_eq!(
        (c_init, c_reply, c_key.len()),
        (init.len(), reply.len(), key.len())
    );
    let kinds = |m: &[u8]| {
        let m = Message::parse(m).expect("parses");
        m.payloads
            .iter()
            .map(|p| p.payload_type().name())
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!(
        "ours:  I_MESSAGE {} bytes (HDR, {}), verification message {} bytes (HDR, {}), key||salt {} bytes",
        init.len(),
        kinds(&init),
        reply.len(),
        kinds(&reply),
        key.len()
    );
    for (name, look) in [
        ("mykey", &mykey_look as &dyn Fn() -> _),
        ("mykey+verify_fresh", &mykey_fresh_look),
    ] {
        let m: mykey_baseline::Messages = look();
        println!(
            "{name}: I_MESSAGE {} bytes (HDR, {}), verification message {} bytes (HDR, {}), key||salt {} bytes",
            m.init.len(),
            kinds(&m.init),
            m.verification.len(),
            kinds(&m.verification),
            m.key_salt.len()
        );
    }
    for (name, bytes, n) in [
        ("PSK/NULL", &psk_null, n_psk),
        ("RFC 4567", &rfc4567, n_rfc),
    ] {
        assert_eq!(
            mykey_baseline::parse_payloads(bytes),
            Ok(n),
            "mykey on the {name} message"
        );
    }
    mykey_exchange();
    mykey_fresh();

    let mut c = Criterion::default();
    if quick {
        c = c
            .warm_up_time(Duration::from_millis(200))
            .measurement_time(Duration::from_millis(700))
            .sample_size(10);
    }
    let mut c = c.configure_from_args();
    c.bench_function("psk/full_exchange_with_export", |b| b.iter(exchange));
    c.bench_function("c_api/psk/full_exchange_with_export", |b| {
        b.iter(c_exchange)
    });
    c.bench_function("libcrypto/sha1_256_blocks", |b| b.iter(sha1_blocks));
    c.bench_function("mykey/psk/full_exchange_with_export", |b| {
        b.iter(&mykey_exchange)
    });
    c.bench_function("parse/psk_null", |b| b.iter(&parse_psk));
    c.bench_function("mykey/parse/psk_null", |b| b.iter(&mykey_parse_psk));
    c.final_summary();
    if !benchmarking {
        return;
    }

    // Both replay caches to their steady state first: a window's worth of exchanges (the
    // 5-minute skew at 0.1 s per exchange), whatever criterion ran (or was filtered out).
    // mykey's cost per exchange with `verify_fresh` grows with the entries it holds.
    let steady = (mykey_baseline::WINDOW.as_millis() / mykey_baseline::STEP.as_millis()) as u32 + 1;
    for _ in 0..steady {
        exchange();
        c_exchange();
        mykey_fresh();
    }

    // Same-run ratio: interleaved batches, medians.
    let batches = if quick { 5 } else { 15 };
    // Nanoseconds per call of `f` over `n` calls.
    fn per_call(n: u32, f: &impl Fn()) -> f64 {
        let t = Instant::now();
        for _ in 0..n {
            f();
        }
        t.elapsed().as_nanos() as f64 / f64::from(n)
    }
    let (mut ex, mut c_ex, mut floor) = (Vec::new(), Vec::new(), Vec::new());
    let (mut my_ex, mut my_fresh) = (Vec::new(), Vec::new());
    let (mut p_psk, mut my_p_psk, mut p_rfc, mut my_p_rfc) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..batches {
        // Each pair back to back, ours first; parse batches short (about 0.5 ms), so that
        // a preempted batch is an outlier the median drops.
        ex.push(per_call(200, &exchange));
        c_ex.push(per_call(200, &c_exchange));
        my_ex.push(per_call(200, &mykey_exchange));
        my_fresh.push(per_call(200, &mykey_fresh));
        floor.push(per_call(200, &sha1_blocks) / hash_floor::blocks_per_call());
        p_psk.push(per_call(2_000, &parse_psk));
        my_p_psk.push(per_call(2_000, &mykey_parse_psk));
        p_rfc.push(per_call(2_000, &parse_rfc));
        my_p_rfc.push(per_call(2_000, &mykey_parse_rfc));
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (e, block) = (median(&mut ex), median(&mut floor));
    let floor_ns = SHA1_BLOCKS * block;
    let ratio = e / floor_ns;
    let verdict = if ratio <= FLOOR_TARGET {
        "meets"
    } else {
        "MISSES"
    };
    println!(
        "\nSummary (median of {batches} interleaved batches): full PSK exchange {e:.0} ns; \
         hash floor {SHA1_BLOCKS} x {block:.1} ns (libcrypto SHA-1 per block) = \
         {floor_ns:.0} ns; ratio {ratio:.2}; {verdict} the target of <= {FLOOR_TARGET}"
    );
    let c_e = median(&mut c_ex);
    let c_ratio = c_e / floor_ns;
    println!(
        "Through the C API: full PSK exchange {c_e:.0} ns; ratio to the hash floor \
         {c_ratio:.2} ({}); {:.2} x the Rust API's",
        if c_ratio <= FLOOR_TARGET {
            "meets"
        } else {
            "MISSES"
        },
        c_e / e
    );

    let floor_text = format!("58 SHA-1 blocks in libcrypto: {floor_ns:.0} ns");
    table_row(
        "PSK exchange with export, Rust API",
        &format!("{e:.0} ns"),
        &floor_text,
        ratio,
        Target::AtMost(FLOOR_TARGET),
    );
    table_row(
        "PSK exchange with export, C API",
        &format!("{c_e:.0} ns"),
        &floor_text,
        c_ratio,
        Target::AtMost(FLOOR_TARGET),
    );
    let (m, mf) = (median(&mut my_ex), median(&mut my_fresh));
    table_row(
        "PSK exchange with export, Rust API, against mykey 2.3.1 (its default path)",
        &format!("{e:.0} ns"),
        &format!("mykey: {m:.0} ns"),
        e / m,
        Target::AtMost(MYKEY_TARGET),
    );
    let parses = [
        (
            format!("parse PSK/NULL message ({} B)", psk_null.len()),
            median(&mut p_psk),
            median(&mut my_p_psk),
        ),
        (
            format!("parse RFC 4567 §5 message ({} B)", rfc4567.len()),
            median(&mut p_rfc),
            median(&mut my_p_rfc),
        ),
    ];
    let verdict = |r: f64| {
        if r <= MYKEY_TARGET { "meets" } else { "MISSES" }
    };
    println!(
        "\nAgainst mykey 2.3.1 (median of {batches} interleaved batches, ns per call):\n\
         | operation | ours | mykey | ours / mykey | target |\n\
         |---|---|---|---|---|"
    );
    for (name, theirs) in [
        (
            "full PSK exchange with export; mykey without timestamp/replay check",
            m,
        ),
        ("full PSK exchange with export; mykey with verify_fresh", mf),
    ] {
        let r = e / theirs;
        println!(
            "| {name} | {e:.0} | {theirs:.0} | {r:.2} ({:.1}x faster) | <= {MYKEY_TARGET} ({}) |",
            theirs / e,
            verdict(r)
        );
    }
    for (name, ours, theirs) in parses {
        println!(
            "| {name} | {ours:.0} | {theirs:.0} | {:.2} ({:.1}x faster) | none |",
            ours / theirs,
            theirs / ours
        );
    }
}
