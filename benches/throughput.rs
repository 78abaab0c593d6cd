//! Call-setup throughput of a server's Responder side (issue "Performance": 2 threads give
//! at least 1.8 × the exchanges per second of 1 thread), and the allocations of an
//! exchange.
//!
//! The server: one PSK Responder config shared by every thread, hence one replay cache;
//! each I_MESSAGE is processed by a new `Session::responder(config.clone())` (verify the
//! MAC, check and insert the replay-cache entry, decrypt, negotiate, derive, build the
//! verification message), which is then dropped. The I_MESSAGEs (one stream, AES-CM-128,
//! HMAC-SHA-1, V requested) are built beforehand, untimed, by Initiator sessions on their
//! own config; the clock stands still, so every timestamp stays fresh, and the Initiator
//! still gives each message its own timestamp (one NTP unit apart), CSB ID and RAND:
//! none is a replay. Each batch gets a new Responder config whose replay cache holds the
//! whole batch (it grows from empty to the batch size while the batch runs).
//!
//! Batches of 1 thread and of 2 threads (`std::thread::scope`, the messages split in two
//! halves) are interleaved with three baselines, and each figure is the median of its
//! batches:
//! - 2 Responder threads with a config each, so each its own replay cache: the same work
//!   with nothing shared, to tell what sharing the config costs; and with a config each
//!   sharing one replay cache (`ConfigBuilder::replay_cache`), to tell what sharing the
//!   cache alone costs;
//! - a pure-CPU baseline with no shared state: each message HMAC-SHA-1'd as many times as
//!   takes about as long as a Responder call, on 1 and 2 threads: what the machine gives
//!   two threads at that moment (another job on a 2-core machine takes its share);
//! - the replay cache alone: the `check` and `insert` a Responder call makes, on 1 and
//!   2 threads over one cache: how long the lock is held per exchange, and how many
//!   exchanges per second the lock could pass at most.
//!
//! Allocations: a counting global allocator (`stats_alloc`'s, switched on only while
//! counting, single-threaded: while the throughput runs it is off, so its shared atomic
//! counters add no traffic between the cores) reports allocations and bytes allocated
//! per full exchange (Initiator and Responder sessions, I_MESSAGE, Responder processing,
//! verification by the Initiator) and per Responder `process` call.
//!
//! `cargo bench --bench throughput`; `MIKEY_BENCH_QUICK=1` for a short run. Under
//! `cargo test --benches` a few messages go through each path as a check.

mod same_run;

use hmac::{Hmac, Mac};
use mikey::replay::{MessageKey, ReplayCache, message_key};
use mikey::session::{Config, ConfigBuilder, Mode, Session, StreamSpec};
use mikey::time::{Clock, ClockReading, DEFAULT_SKEW, ManualClock, ntp_from_system_time};
use mikey::wire::{Timestamp, TsType};
use same_run::{Target, median, table_row};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, Stats};
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Instant, SystemTime};

/// `stats_alloc`'s instrumented allocator while `COUNTING` is set, the system allocator
/// otherwise. Both allocate from `System`, so a block may be freed by either.
struct Switched;

static COUNTING: AtomicBool = AtomicBool::new(false);

unsafe impl GlobalAlloc for Switched {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged to an allocator over `System`.
        unsafe {
            if COUNTING.load(Ordering::Relaxed) {
                INSTRUMENTED_SYSTEM.alloc(layout)
            } else {
                System.alloc(layout)
            }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as for `alloc`; `ptr` came from `System` either way.
        unsafe {
            if COUNTING.load(Ordering::Relaxed) {
                INSTRUMENTED_SYSTEM.dealloc(ptr, layout)
            } else {
                System.dealloc(ptr, layout)
            }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        unsafe {
            if COUNTING.load(Ordering::Relaxed) {
                INSTRUMENTED_SYSTEM.alloc_zeroed(layout)
            } else {
                System.alloc_zeroed(layout)
            }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `alloc`.
        unsafe {
            if COUNTING.load(Ordering::Relaxed) {
                INSTRUMENTED_SYSTEM.realloc(ptr, layout, new_size)
            } else {
                System.realloc(ptr, layout, new_size)
            }
        }
    }
}

#[global_allocator]
static GLOBAL: Switched = Switched;

/// The allocator's counts over `f` (run `n` times), single-threaded.
fn counted(n: usize, mut f: impl FnMut()) -> Stats {
    COUNTING.store(true, Ordering::SeqCst);
    let region = Region::new(&INSTRUMENTED_SYSTEM);
    for _ in 0..n {
        f();
    }
    let change = region.change();
    COUNTING.store(false, Ordering::SeqCst);
    change
}

const PSK: &[u8] = b"a 20-byte shared key";
const STREAM: [StreamSpec; 1] = [StreamSpec {
    ssrc: 0xDEAD_BEEF,
    roc: 0,
    policy_no: 0,
}];

/// A PSK config on `clock` with a replay cache of `capacity` messages.
fn psk_config(clock: &Arc<ManualClock>, capacity: usize) -> Arc<Config> {
    Arc::new(
        ConfigBuilder::new(Mode::Psk)
            .psk(PSK)
            .clock(clock.clone())
            .replay_capacity(capacity)
            .build()
            .expect("valid config"),
    )
}

/// Two PSK configs on `clock` sharing one replay cache of `capacity` messages.
fn sharing_a_cache(clock: &Arc<ManualClock>, capacity: usize) -> [Arc<Config>; 2] {
    let cache = Arc::new(ReplayCache::new(capacity, DEFAULT_SKEW));
    [(); 2].map(|_| {
        Arc::new(
            ConfigBuilder::new(Mode::Psk)
                .psk(PSK)
                .clock(clock.clone())
                .replay_cache(cache.clone())
                .build()
                .expect("valid config"),
        )
    })
}

/// `n` fresh I_MESSAGEs from `initiator`.
fn i_messages(initiator: &Arc<Config>, n: usize) -> Vec<Vec<u8>> {
    (0..n)
        .map(|_| {
            Session::initiator(initiator.clone())
                .initiate(&STREAM)
                .expect("initiate")
        })
        .collect()
}

/// Runs `work` over `items` split into `threads` parts, one scoped thread each (`work`
/// is given the part's index); returns items per second (thread start and join included,
/// the same for every batch).
fn per_second<T: Sync>(items: &[T], threads: usize, work: impl Fn(usize, &T) + Sync) -> f64 {
    let part = items.len().div_ceil(threads);
    let start = Instant::now();
    std::thread::scope(|s| {
        for (index, chunk) in items.chunks(part).enumerate() {
            let work = &work;
            s.spawn(move || chunk.iter().for_each(|item| work(index, item)));
        }
    });
    items.len() as f64 / start.elapsed().as_secs_f64()
}

/// What a server does with one I_MESSAGE.
fn respond(config: &Arc<Config>, message: &[u8]) {
    let mut r = Session::responder(config.clone());
    let done = r.process(message).expect("a fresh, valid I_MESSAGE");
    black_box((r, done));
}

/// A full exchange: both sessions, the I_MESSAGE, its processing and the verification.
fn exchange(ci: &Arc<Config>, cr: &Arc<Config>) {
    let mut i = Session::initiator(ci.clone());
    let mut r = Session::responder(cr.clone());
    let init = i.initiate(&STREAM).expect("initiate");
    let reply = r
        .process(&init)
        .expect("process")
        .reply
        .expect("V requested");
    i.process(&reply).expect("verify");
    black_box((i, r));
}

/// The pure-CPU baseline's work for one message: `rounds` HMAC-SHA-1 over it.
fn hmacs(message: &[u8], rounds: u32) {
    let mut tag = [0u8; 20];
    for _ in 0..rounds {
        let mut mac = Hmac::<sha1::Sha1>::new_from_slice(PSK).expect("any key length");
        mac.update(message);
        mac.update(&tag);
        tag = mac.finalize().into_bytes().into();
    }
    black_box(tag);
}

/// The replay-cache calls of one Responder call: the early `check` and the `insert` after
/// authentication, each one lock acquisition (the message's SHA-256, its key, is computed
/// before, outside the lock).
fn cache_ops(cache: &ReplayCache, clock: &ManualClock, key: &MessageKey, ts: &Timestamp) {
    let now = ClockReading {
        ntp: clock.now_ntp(),
        monotonic: clock.monotonic(),
    };
    cache.check(key, ts, now).expect("not cached");
    cache.insert(*key, ts, now).expect("room left");
}

fn main() {
    let (benchmarking, quick) = same_run::mode();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let clock = Arc::new(ManualClock::new(ntp_from_system_time(SystemTime::now())));
    let initiator = psk_config(&clock, 16);

    // Allocations per exchange, averaged (the replay cache's B-tree nodes come in blocks).
    let n = if benchmarking { 1000 } else { 20 };
    let responder = psk_config(&clock, 4 * n + 16);
    let warm = i_messages(&initiator, n);
    warm.iter().for_each(|m| respond(&responder, m));
    let full = counted(n, || exchange(&initiator, &responder));
    let messages = i_messages(&initiator, n);
    let mut it = messages.iter();
    let process = counted(n, || respond(&responder, it.next().expect("n messages")));
    let mut initiators = Vec::with_capacity(n);
    let initiate = counted(n, || {
        let mut i = Session::initiator(initiator.clone());
        black_box(i.initiate(&STREAM).expect("initiate"));
        initiators.push(i);
    });
    let per = |s: &Stats| {
        format!(
            "{:.1} allocations ({:.1} reallocations), {:.0} bytes allocated",
            s.allocations as f64 / n as f64,
            s.reallocations as f64 / n as f64,
            s.bytes_allocated as f64 / n as f64,
        )
    };
    println!(
        "Allocations (mean of {n}, one stream, replay cache of {n} to {} entries):",
        3 * n
    );
    println!(
        "  full PSK exchange (both sessions, I_MESSAGE, Responder, verification): {}",
        per(&full)
    );
    println!("  Responder session + process: {}", per(&process));
    println!(
        "  Initiator session + initiate (the message kept): {}",
        per(&initiate)
    );
    drop(initiators);

    if !benchmarking {
        // One batch of each kind as a check.
        let config = psk_config(&clock, 64);
        let messages = i_messages(&initiator, 32);
        per_second(&messages[..16], 1, |_, m| respond(&config, m));
        per_second(&messages[16..], 2, |_, m| respond(&config, m));
        assert!(config.replay_cache().len() == 32);
        let own = [psk_config(&clock, 64), psk_config(&clock, 64)];
        per_second(&messages, 2, |i, m| respond(&own[i], m));
        assert_eq!(own.each_ref().map(|c| c.replay_cache().len()), [16, 16]);
        let two = sharing_a_cache(&clock, 64);
        per_second(&messages, 2, |i, m| respond(&two[i], m));
        assert_eq!(two[1].replay_cache().len(), 32);
        let cache = ReplayCache::new(64, DEFAULT_SKEW);
        let ts = Timestamp {
            ts_type: TsType::NtpUtc,
            value: clock.now_ntp(),
        };
        let keys: Vec<MessageKey> = messages.iter().map(|m| message_key(m)).collect();
        per_second(&keys, 2, |_, k| cache_ops(&cache, &clock, k, &ts));
        per_second(&messages, 2, |_, m| hmacs(m, 2));
        println!("throughput: 1 and 2 Responder threads over one config checked");
        return;
    }

    let (rounds, batch) = if quick { (5, 5_000) } else { (15, 20_000) };
    // Calibration: HMACs per message that take as long as a Responder call.
    let one = {
        let config = psk_config(&clock, batch);
        let messages = i_messages(&initiator, batch);
        1e9 / per_second(&messages, 1, |_, m| respond(&config, m))
    };
    let hmac_ns = {
        let m = &warm[0];
        let t = Instant::now();
        for _ in 0..10_000 {
            hmacs(m, 1);
        }
        t.elapsed().as_nanos() as f64 / 10_000.0
    };
    let rounds_per_message = (one / hmac_ns).round().max(1.0) as u32;

    let ts = Timestamp {
        ts_type: TsType::NtpUtc,
        value: clock.now_ntp(),
    };
    let mut t: [Vec<f64>; 8] = Default::default();
    for _ in 0..rounds {
        // Responder: 1 thread, then 2, each over a new shared config and new messages.
        for (threads, out) in [(1, 0), (2, 1)] {
            let config = psk_config(&clock, batch);
            let messages = i_messages(&initiator, batch);
            t[out].push(per_second(&messages, threads, |_, m| respond(&config, m)));
            assert_eq!(config.replay_cache().len(), batch);
        }
        // Responder, 2 threads with a config (and replay cache) each: nothing shared.
        let own = [psk_config(&clock, batch), psk_config(&clock, batch)];
        let messages = i_messages(&initiator, batch);
        t[6].push(per_second(&messages, 2, |i, m| respond(&own[i], m)));
        // Responder, 2 threads with a config each, sharing one replay cache.
        let two = sharing_a_cache(&clock, batch);
        let messages = i_messages(&initiator, batch);
        t[7].push(per_second(&messages, 2, |i, m| respond(&two[i], m)));
        assert_eq!(two[0].replay_cache().len(), batch);
        // Pure CPU, no shared state.
        let messages = &warm;
        let reps: Vec<&Vec<u8>> = messages.iter().cycle().take(batch).collect();
        for (threads, out) in [(1, 2), (2, 3)] {
            t[out].push(per_second(&reps, threads, |_, m| {
                hmacs(m, rounds_per_message)
            }));
        }
        // The replay cache alone, over one cache.
        let keys: Vec<MessageKey> = (0..batch as u64)
            .map(|i| message_key(&i.to_be_bytes()))
            .collect();
        for (threads, out) in [(1, 4), (2, 5)] {
            let cache = ReplayCache::new(batch, DEFAULT_SKEW);
            t[out].push(per_second(&keys, threads, |_, k| {
                cache_ops(&cache, &clock, k, &ts)
            }));
        }
    }
    let [r1, r2, c1, c2, l1, l2, u2, s2] = t.map(median);
    let scaling = r2 / r1;
    let verdict = if scaling >= 1.8 { "meets" } else { "MISSES" };
    println!(
        "\nThroughput ({cores} cores; median of {rounds} interleaved batches of {batch} \
         items; the replay cache grows from empty to the batch):"
    );
    println!("| per second | 1 thread | 2 threads | 2 / 1 |");
    println!("|---|---|---|---|");
    println!(
        "| PSK Responder exchanges, one shared config | {r1:.0} | {r2:.0} | **{scaling:.2}** \
         ({verdict} the target of >= 1.8) |"
    );
    println!(
        "| PSK Responder exchanges, a config each (nothing shared) | {r1:.0} | {u2:.0} | {:.2} |",
        u2 / r1
    );
    println!(
        "| PSK Responder exchanges, a config each sharing one replay cache | {r1:.0} | {s2:.0} \
         | {:.2} |",
        s2 / r1
    );
    println!(
        "| pure CPU: {rounds_per_message} HMAC-SHA-1 ({hmac_ns:.0} ns each) per item | \
         {c1:.0} | {c2:.0} | {:.2} |",
        c2 / c1
    );
    println!(
        "| replay cache alone: check + insert, one cache | {l1:.0} | {l2:.0} | {:.2} |",
        l2 / l1
    );
    table_row(
        "PSK Responder exchanges per second, 2 threads / 1 thread, one shared config",
        &format!("{r2:.0}/s on 2 threads"),
        &format!("{r1:.0}/s on 1 thread"),
        scaling,
        Target::AtLeast(1.8),
    );
    let held = 1e9 / l1;
    println!(
        "A Responder call takes {:.0} ns on 1 thread, its two replay-cache calls (two lock \
         acquisitions) {held:.0} ns of it ({:.1} %). At the 2-thread rate the lock is held \
         {:.1} % of the time (upper bound: the cache-alone time per message). Sharing the \
         config costs 2 threads {:.1} % of their rate, sharing the replay cache alone {:.1} \
         %; against the pure-CPU baseline's \
         scaling the Responder's is {:.2}.",
        1e9 / r1,
        100.0 * held * r1 / 1e9,
        100.0 * held * r2 / 1e9,
        100.0 * (1.0 - r2 / u2),
        100.0 * (1.0 - s2 / u2),
        scaling / (c2 / c1)
    );
}
