//! The replay cache returns the memory of a burst (RFC 3830 §5.4): after
//! 100,000 entries expire together and are removed, a few at a time by the calls that land
//! in their shard, the heap memory they held is freed. Counted with an instrumented global allocator (`stats_alloc`), so this
//! file holds a single test (nothing else allocates meanwhile).

use mikey::replay::{EXPIRE_BATCH, ReplayCache, message_key};
use mikey::time::ClockReading;
use mikey::wire::{Timestamp, TsType};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};
use std::alloc::System;
use std::time::Duration;

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Heap bytes in use now, relative to the start of `region`.
fn in_use(region: &Region<'_, System>) -> isize {
    let change = region.change();
    change.bytes_allocated as isize - change.bytes_deallocated as isize + change.bytes_reallocated
}

const NOW: u64 = 0xEA04_E300_0000_0000;
const SEC: u64 = 1 << 32;

fn t(value: u64) -> Timestamp {
    Timestamp {
        ts_type: TsType::NtpUtc,
        value,
    }
}

#[test]
fn the_memory_of_expired_entries_is_returned() {
    const N: u32 = 100_000;
    let c = ReplayCache::new(N as usize, Duration::from_secs(300));
    let region = Region::new(GLOBAL);
    let r0 = ClockReading {
        ntp: NOW,
        monotonic: Duration::ZERO,
    };
    for i in 0..N {
        c.insert(message_key(&i.to_be_bytes()), &t(NOW), r0)
            .unwrap();
    }
    let full = in_use(&region);
    let per_entry = full / N as isize;
    assert!(
        (48..=128).contains(&per_entry),
        "{per_entry} bytes per entry"
    );
    let later = NOW + 301 * SEC;
    let r1 = ClockReading {
        ntp: later,
        monotonic: Duration::from_secs(301),
    };
    // Each call removes up to EXPIRE_BATCH expired entries of its message's shard; fresh
    // messages spread over the shards as their hashes do. N / EXPIRE_BATCH calls would do
    // with one shard; allow twice as many for the uneven spread.
    let calls = (N as usize).div_ceil(EXPIRE_BATCH);
    let mut made = 0;
    while !c.is_empty() {
        assert!(
            made < 2 * calls,
            "{} entries left after {made} calls",
            c.len()
        );
        let fresh = message_key(&(N + made as u32).to_be_bytes());
        assert!(c.check(&fresh, &t(later), r1).is_ok());
        made += 1;
    }
    let left = in_use(&region);
    assert!(
        left * 100 <= full,
        "{left} of {full} bytes still held after the {N} entries were removed"
    );
    println!(
        "{N} entries: {full} bytes ({per_entry} per entry); after removal ({made} calls) {left} bytes"
    );
}
