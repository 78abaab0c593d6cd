//! The Responder's replay cache (RFC 3830 §5.3, §5.4; DIGEST §3.7): the successfully
//! authenticated messages whose timestamps are still inside the clock-skew window, keyed
//! by a hash of the message. Shared by all sessions of a config; safe across threads.
//!
//! Bounded: when it is full of live entries every new message is refused until entries
//! expire (§5.4: "it rejects all incoming requests until the clock skew interval has
//! passed"). A live entry is never evicted, since that would reopen a replay window.
//!
//! Expiry is measured against the latest clock value the cache has seen, never against an
//! older one a slow caller passes in; a message whose entry would already have expired by
//! that clock is refused as [`ReplayError::Replayed`], since the cache may have forgotten
//! it (§5.4: "messages ... which have an outdated timestamp are discarded").

use crate::time::{ntp_offset, ntp_units};
use crate::wire::{Timestamp, TsType};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

/// Default capacity in messages (RFC 3830 §5.4 sizes its example at ~200 messages for
/// 6 kB; entries here are about 64 bytes).
pub const DEFAULT_CAPACITY: usize = 4096;

/// The cache key: SHA-256 of the whole message as received (RFC 3830 §5.4 counts "30
/// bytes/message (20-byte hash)"; SHA-256 is used here).
pub type MessageKey = [u8; 32];

/// The cache key of `message_bytes` (RFC 3830 §5.4): their SHA-256.
pub fn message_key(message_bytes: &[u8]) -> MessageKey {
    let digest = ring::digest::digest(&ring::digest::SHA256, message_bytes);
    let mut key = [0u8; 32];
    key.copy_from_slice(digest.as_ref());
    key
}

/// Why the cache refused a message (RFC 3830 §5.3, §5.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplayError {
    /// Seen before, a COUNTER timestamp not above the highest accepted one (§5.2: "all
    /// messages from the Initiator MUST use a unique timestamp"), or a timestamp so old the
    /// cache may have forgotten the message (§5.4).
    Replayed,
    /// Full of live entries (§5.4: the host "rejects all incoming requests until the clock
    /// skew interval has passed").
    Full,
}

impl fmt::Display for ReplayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReplayError::Replayed => f.write_str("replayed message"),
            ReplayError::Full => f.write_str("replay cache full"),
        }
    }
}

impl std::error::Error for ReplayError {}

/// The state behind the lock. Times are NTP units (2^-32 s) relative to `base`, in i128
/// so that adding the skew cannot overflow.
#[derive(Debug, Default)]
struct Inner {
    /// Key -> expiry; an entry is live while `expiry >= latest`.
    entries: HashMap<MessageKey, i128>,
    /// (expiry, key) of every entry, earliest first; same size as `entries`.
    expiries: BinaryHeap<Reverse<(i128, MessageKey)>>,
    /// The clock value times are measured from (the first `now` seen).
    base: Option<u64>,
    /// The latest clock value seen (never moves back).
    latest: i128,
    /// The highest COUNTER accepted; never expires.
    max_counter: Option<u64>,
}

impl Inner {
    fn rel(&mut self, ntp: u64) -> i128 {
        let base = *self.base.get_or_insert(ntp);
        i128::from(ntp_offset(ntp, base))
    }

    /// Moves the clock to `now_ntp` (if later) and drops the expired entries:
    /// O(log n) per dropped entry.
    fn advance(&mut self, now_ntp: u64) {
        let now = self.rel(now_ntp);
        self.latest = self.latest.max(now);
        while let Some(Reverse((expiry, key))) = self.expiries.peek().copied() {
            if expiry >= self.latest {
                break;
            }
            self.expiries.pop();
            self.entries.remove(&key);
        }
    }

    /// The expiry an entry for `ts` gets: `skew` past an NTP timestamp (era-aware), or
    /// `skew` past the cache's clock for a COUNTER (or a type with no clock meaning).
    fn expiry(&mut self, ts: &Timestamp, skew: u64) -> i128 {
        let from = match ts.ts_type {
            TsType::NtpUtc | TsType::Ntp => self.rel(ts.value),
            // RFC 6043 §6.3: padded "with zeroes in the fractional second part".
            TsType::NtpUtc32 => self.rel(ts.value << 32),
            _ => self.latest,
        };
        from + i128::from(skew)
    }

    fn check(&mut self, key: &MessageKey, ts: &Timestamp, skew: u64) -> Result<i128, ReplayError> {
        if self.entries.contains_key(key) {
            return Err(ReplayError::Replayed);
        }
        if ts.ts_type == TsType::Counter && self.max_counter.is_some_and(|m| ts.value <= m) {
            return Err(ReplayError::Replayed);
        }
        let expiry = self.expiry(ts, skew);
        if expiry < self.latest {
            return Err(ReplayError::Replayed);
        }
        Ok(expiry)
    }
}

/// A bounded, thread-safe replay cache (RFC 3830 §5.4). All operations are O(log n)
/// amortised under one short lock; hashing is done by the caller ([`message_key`]).
/// An entry costs about 100 to 150 bytes (a hash-map slot and a heap slot).
#[derive(Debug)]
pub struct ReplayCache {
    inner: Mutex<Inner>,
    capacity: usize,
    skew: Duration,
    skew_units: u64,
}

impl ReplayCache {
    /// A cache of `capacity` messages (0 is taken as 1) kept until `skew` past their
    /// timestamp (RFC 3830 §5.4). `skew` should be the [`crate::time::Freshness`] skew:
    /// a smaller one would let a replay pass once its entry expired.
    pub fn new(capacity: usize, skew: Duration) -> ReplayCache {
        ReplayCache {
            inner: Mutex::new(Inner::default()),
            capacity: capacity.max(1),
            skew,
            skew_units: ntp_units(skew),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // Nothing in the locked sections panics; should it ever, the state is still
        // consistent enough (at worst an entry is kept too long), so keep using it.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The early check before the MAC is verified (RFC 3830 §5.3 step 1): refuses a cached
    /// message, a COUNTER timestamp not above the highest accepted one, and a timestamp
    /// whose entry would already have expired. Changes nothing visible (expired entries
    /// may be dropped).
    pub fn check(&self, key: &MessageKey, ts: &Timestamp, now_ntp: u64) -> Result<(), ReplayError> {
        let mut inner = self.lock();
        inner.advance(now_ntp);
        inner.check(key, ts, self.skew_units).map(|_| ())
    }

    /// Records an authenticated message (RFC 3830 §5.3: "only successfully authenticated
    /// messages are stored in the replay cache"). Atomic: of two threads inserting the
    /// same message, exactly one succeeds and the other gets `Replayed`. Same refusals as
    /// [`ReplayCache::check`], then `Full` if the cache holds `capacity` live entries. An
    /// NTP entry lives until `skew` past its timestamp (inclusive, like
    /// [`crate::time::Freshness`]); a COUNTER entry until `skew` past the cache's clock,
    /// and the COUNTER watermark rises for good.
    pub fn insert(&self, key: MessageKey, ts: &Timestamp, now_ntp: u64) -> Result<(), ReplayError> {
        let mut inner = self.lock();
        inner.advance(now_ntp);
        let expiry = inner.check(&key, ts, self.skew_units)?;
        if inner.entries.len() >= self.capacity {
            return Err(ReplayError::Full);
        }
        if ts.ts_type == TsType::Counter {
            inner.max_counter = Some(ts.value);
        }
        inner.entries.insert(key, expiry);
        inner.expiries.push(Reverse((expiry, key)));
        Ok(())
    }

    /// Number of cached messages (RFC 3830 §5.4); expired ones are counted until the next
    /// `check` or `insert` drops them.
    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    /// True when no message is cached (RFC 3830 §5.4).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The most messages the cache holds (RFC 3830 §5.4 cache size).
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How long past its timestamp an entry is kept (RFC 3830 §5.4 clock skew).
    pub fn skew(&self) -> Duration {
        self.skew
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::{Clock, DEFAULT_SKEW, Freshness, ManualClock};
    use ReplayError::{Full, Replayed};
    use std::sync::{Arc, Barrier};

    const NOW: u64 = 0xEA04_E300_0000_0000;
    const SEC: u64 = 1 << 32;

    fn t(value: u64) -> Timestamp {
        Timestamp {
            ts_type: TsType::NtpUtc,
            value,
        }
    }

    fn k(bytes: &[u8]) -> MessageKey {
        message_key(bytes)
    }

    fn counter(value: u64) -> Timestamp {
        Timestamp {
            ts_type: TsType::Counter,
            value,
        }
    }

    #[test]
    fn check_then_insert_then_replayed() {
        let c = ReplayCache::new(8, DEFAULT_SKEW);
        let key = k(b"one");
        assert_ne!(key, k(b"two"));
        assert!(c.check(&key, &t(NOW), NOW).is_ok());
        assert!(c.check(&key, &t(NOW), NOW).is_ok(), "check changes nothing");
        assert!(c.is_empty());
        assert!(c.insert(key, &t(NOW), NOW).is_ok());
        assert_eq!(c.check(&key, &t(NOW), NOW), Err(Replayed));
        assert_eq!(c.insert(key, &t(NOW), NOW), Err(Replayed));
        assert_eq!(c.len(), 1);
        assert_eq!(ReplayError::Replayed.to_string(), "replayed message");
    }

    #[test]
    fn entries_expire_just_after_skew_past_their_timestamp() {
        let clock = ManualClock::new(NOW);
        let c = ReplayCache::new(8, DEFAULT_SKEW);
        let fresh = Freshness { skew: DEFAULT_SKEW };
        let key = k(b"one");
        c.insert(key, &t(NOW), clock.now_ntp()).unwrap();
        // At exactly ts + skew Freshness still accepts (inclusive), so the entry is live.
        clock.advance(DEFAULT_SKEW);
        assert!(fresh.check(&t(NOW), clock.now_ntp()).is_ok());
        assert_eq!(c.check(&key, &t(NOW), clock.now_ntp()), Err(Replayed));
        // One NTP unit later both refuse it: Freshness as outdated, the cache as too old.
        clock.set(NOW + 300 * SEC + 1);
        assert!(fresh.check(&t(NOW), clock.now_ntp()).is_err());
        assert_eq!(c.check(&key, &t(NOW), clock.now_ntp()), Err(Replayed));
        assert!(c.is_empty(), "the entry itself is gone");
        // A newer message is accepted.
        let k2 = k(b"two");
        assert!(c.insert(k2, &t(clock.now_ntp()), clock.now_ntp()).is_ok());
    }

    #[test]
    fn a_stale_clock_cannot_revive_a_purged_entry() {
        let c = ReplayCache::new(8, DEFAULT_SKEW);
        let key = k(b"one");
        c.insert(key, &t(NOW), NOW).unwrap();
        // Another thread, with a later clock, purges the entry ...
        let later = NOW + 300 * SEC + SEC;
        assert!(c.check(&k(b"x"), &t(later), later).is_ok());
        assert!(c.is_empty());
        // ... so a thread still holding an earlier clock value (at which the timestamp
        // looks fresh) must not be able to insert the replay.
        let stale = NOW + 299 * SEC;
        assert_eq!(c.check(&key, &t(NOW), stale), Err(Replayed));
        assert_eq!(c.insert(key, &t(NOW), stale), Err(Replayed));
    }

    #[test]
    fn entries_survive_the_2036_wrap() {
        let before = 0xFFFF_FFF6 * SEC; // 10 s before the wrap
        let c = ReplayCache::new(8, Duration::from_secs(30));
        let key = k(b"one");
        c.insert(key, &t(before), before).unwrap();
        let after = 15 * SEC; // 25 s later, in the next era
        assert_eq!(c.check(&key, &t(before), after), Err(Replayed));
        let k2 = k(b"two");
        c.insert(k2, &t(after), after).unwrap();
        assert_eq!(c.len(), 2);
        let much_later = 41 * SEC; // 51 s after `before`: its entry has expired
        assert!(c.check(&k(b"x"), &t(much_later), much_later).is_ok());
        assert_eq!(c.len(), 1);
        assert_eq!(c.check(&k2, &t(after), much_later), Err(Replayed));
    }

    #[test]
    fn full_until_entries_expire() {
        let c = ReplayCache::new(2, Duration::from_secs(10));
        c.insert(k(b"a"), &t(NOW), NOW).unwrap();
        c.insert(k(b"b"), &t(NOW + SEC), NOW).unwrap();
        assert_eq!(c.insert(k(b"c"), &t(NOW), NOW), Err(Full));
        // A replay is reported as such even when full.
        assert_eq!(c.insert(k(b"a"), &t(NOW), NOW), Err(Replayed));
        // At NOW + 10 s "a" is still live (inclusive): still full.
        let at10 = NOW + 10 * SEC;
        assert_eq!(c.insert(k(b"c"), &t(at10), at10), Err(Full));
        let later = at10 + 1;
        assert_eq!(c.insert(k(b"c"), &t(later), later), Ok(()));
        assert_eq!((c.len(), c.capacity()), (2, 2));
        assert_eq!(ReplayError::Full.to_string(), "replay cache full");
        let one = ReplayCache::new(0, DEFAULT_SKEW);
        assert_eq!((one.capacity(), one.skew()), (1, DEFAULT_SKEW));
        one.insert(k(b"a"), &t(NOW), NOW).unwrap();
        let full = one.insert(k(b"b"), &t(NOW), NOW);
        assert_eq!(full, Err(Full));
    }

    #[test]
    fn counters_must_increase() {
        let c = ReplayCache::new(8, Duration::from_secs(10));
        // check does not raise the watermark.
        assert!(c.check(&k(b"z"), &counter(9), NOW).is_ok());
        c.insert(k(b"a"), &counter(5), NOW).unwrap();
        for (msg, v) in [(&b"b"[..], 5), (b"c", 4), (b"d", 0)] {
            assert_eq!(c.check(&k(msg), &counter(v), NOW), Err(Replayed));
            assert_eq!(c.insert(k(msg), &counter(v), NOW), Err(Replayed));
        }
        c.insert(k(b"e"), &counter(6), NOW).unwrap();
        // The entries expire skew after insertion; the watermark outlives them.
        let later = NOW + 3600 * SEC;
        assert!(c.check(&k(b"x"), &counter(7), later).is_ok());
        assert!(c.is_empty());
        assert_eq!(c.check(&k(b"f"), &counter(6), later), Err(Replayed));
    }

    #[test]
    fn threads_race_for_one_message() {
        const THREADS: u8 = 8;
        const EACH: u32 = 500;
        let c = Arc::new(ReplayCache::new(10_000, DEFAULT_SKEW));
        let barrier = Arc::new(Barrier::new(usize::from(THREADS)));
        let handles: Vec<_> = (0..THREADS)
            .map(|i| {
                let (c, barrier) = (Arc::clone(&c), Arc::clone(&barrier));
                std::thread::spawn(move || {
                    let mut distinct_ok = 0;
                    for j in 0..EACH {
                        let key = message_key(&[&[i][..], &j.to_be_bytes()].concat());
                        distinct_ok += usize::from(c.insert(key, &t(NOW), NOW).is_ok());
                    }
                    barrier.wait();
                    let shared = k(b"shared");
                    let won = c.check(&shared, &t(NOW), NOW).is_ok()
                        && c.insert(shared, &t(NOW), NOW).is_ok();
                    (distinct_ok, won)
                })
            })
            .collect();
        let results: Vec<(usize, bool)> = handles
            .into_iter()
            .map(|h| h.join().unwrap_or((0, false)))
            .collect();
        assert!(results.iter().all(|(ok, _)| *ok == EACH as usize));
        assert_eq!(results.iter().filter(|(_, won)| *won).count(), 1);
        assert_eq!(c.len(), usize::from(THREADS) * EACH as usize + 1);
    }
}
