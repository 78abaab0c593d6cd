//! The Responder's replay cache (RFC 3830 §5.3, §5.4; DIGEST §3.7): the successfully
//! authenticated messages whose timestamps are still inside the clock-skew window, keyed
//! by a hash of the message. Shared by all sessions of a config; safe across threads.
//!
//! Bounded: when it is full of live entries every new message is refused until entries
//! expire (§5.4: "it rejects all incoming requests until the clock skew interval has
//! passed"). A live entry is never evicted, since that would reopen a replay window.

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

/// The cache key: SHA-256 of the message as received (§5.4 uses "a 20-byte hash").
pub type MessageKey = [u8; 32];

/// The cache key of `message_bytes`.
pub fn message_key(message_bytes: &[u8]) -> MessageKey {
    let digest = ring::digest::digest(&ring::digest::SHA256, message_bytes);
    let mut key = [0u8; 32];
    key.copy_from_slice(digest.as_ref());
    key
}

/// Why the cache refused a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplayError {
    /// Seen before (or a COUNTER timestamp that does not increase).
    Replayed,
    /// Full of live entries.
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

#[derive(Debug, Default)]
struct Inner {
    /// Key -> expiry (NTP units relative to `base`).
    entries: HashMap<MessageKey, i128>,
    /// (expiry, key), earliest first.
    expiries: BinaryHeap<Reverse<(i128, MessageKey)>>,
    /// The clock value expiries are measured from (set on first use).
    base: Option<u64>,
    /// The highest COUNTER accepted.
    max_counter: Option<u64>,
}

impl Inner {
    fn rel(&mut self, ntp: u64) -> i128 {
        let base = *self.base.get_or_insert(ntp);
        i128::from(ntp_offset(ntp, base))
    }

    fn purge(&mut self, now: i128) {
        while let Some(Reverse((expiry, key))) = self.expiries.peek().copied() {
            if expiry > now {
                break;
            }
            self.expiries.pop();
            if self.entries.get(&key) == Some(&expiry) {
                self.entries.remove(&key);
            }
        }
    }

    fn check(&self, key: &MessageKey, ts: &Timestamp) -> Result<(), ReplayError> {
        if self.entries.contains_key(key) {
            return Err(ReplayError::Replayed);
        }
        if ts.ts_type == TsType::Counter && self.max_counter.is_some_and(|m| ts.value <= m) {
            return Err(ReplayError::Replayed);
        }
        Ok(())
    }
}

/// A bounded, thread-safe replay cache.
#[derive(Debug)]
pub struct ReplayCache {
    inner: Mutex<Inner>,
    capacity: usize,
    skew: u64,
}

impl ReplayCache {
    /// A cache of `capacity` messages (at least 1) kept for `skew` past their timestamp.
    pub fn new(capacity: usize, skew: Duration) -> ReplayCache {
        ReplayCache {
            inner: Mutex::new(Inner::default()),
            capacity: capacity.max(1),
            skew: ntp_units(skew),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave Inner inconsistent in a way that
        // matters more than refusing service; keep using it.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The early check before the MAC is verified (§5.3): refuses a cached message, and
    /// a COUNTER timestamp not above the highest accepted one. Changes nothing visible.
    pub fn check(&self, key: &MessageKey, ts: &Timestamp, now_ntp: u64) -> Result<(), ReplayError> {
        let mut inner = self.lock();
        let now = inner.rel(now_ntp);
        inner.purge(now);
        inner.check(key, ts)
    }

    /// Records an authenticated message (§5.3: "only successfully authenticated messages
    /// are stored"). Atomic: of two threads inserting the same message, one gets
    /// `Replayed`. An NTP entry lives until `skew` past its timestamp; a COUNTER entry
    /// until `skew` past now, and the COUNTER watermark rises for good.
    pub fn insert(&self, key: MessageKey, ts: &Timestamp, now_ntp: u64) -> Result<(), ReplayError> {
        let mut inner = self.lock();
        let now = inner.rel(now_ntp);
        inner.purge(now);
        inner.check(&key, ts)?;
        if inner.entries.len() >= self.capacity {
            return Err(ReplayError::Full);
        }
        let from = match ts.ts_type {
            TsType::Counter => now,
            _ => inner.rel(ts.value),
        };
        let expiry = from.max(now) + i128::from(self.skew);
        if ts.ts_type == TsType::Counter {
            inner.max_counter = Some(ts.value);
        }
        inner.entries.insert(key, expiry);
        inner.expiries.push(Reverse((expiry, key)));
        Ok(())
    }

    /// Number of cached messages (expired ones may still be counted until the next call).
    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    /// True when nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The capacity.
    pub fn capacity(&self) -> usize {
        self.capacity
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    const NOW: u64 = 0xEA04_E300_0000_0000;
    const SEC: u64 = 1 << 32;

    fn t(value: u64) -> Timestamp {
        Timestamp {
            ts_type: TsType::NtpUtc,
            value,
        }
    }

    fn counter(value: u64) -> Timestamp {
        Timestamp {
            ts_type: TsType::Counter,
            value,
        }
    }

    #[test]
    fn check_then_insert_then_replayed() {
        let c = ReplayCache::new(8, Duration::from_secs(300));
        let k = message_key(b"one");
        assert!(c.check(&k, &t(NOW), NOW).is_ok());
        assert!(c.insert(k, &t(NOW), NOW).is_ok());
        assert_eq!(c.check(&k, &t(NOW), NOW), Err(ReplayError::Replayed));
        assert_eq!(c.insert(k, &t(NOW), NOW), Err(ReplayError::Replayed));
        assert_eq!(c.len(), 1);
    }

    #[test]
    fn entries_expire_skew_after_their_timestamp() {
        let c = ReplayCache::new(8, Duration::from_secs(300));
        let k = message_key(b"one");
        c.insert(k, &t(NOW), NOW).unwrap();
        assert_eq!(
            c.check(&k, &t(NOW), NOW + 299 * SEC),
            Err(ReplayError::Replayed)
        );
        assert!(c.check(&k, &t(NOW), NOW + 300 * SEC).is_ok());
        assert!(c.is_empty());
    }

    #[test]
    fn full_until_entries_expire() {
        let c = ReplayCache::new(2, Duration::from_secs(10));
        c.insert(message_key(b"a"), &t(NOW), NOW).unwrap();
        c.insert(message_key(b"b"), &t(NOW + SEC), NOW).unwrap();
        assert_eq!(
            c.insert(message_key(b"c"), &t(NOW), NOW),
            Err(ReplayError::Full)
        );
        assert_eq!(c.insert(message_key(b"c"), &t(NOW), NOW + 10 * SEC), Ok(()));
        assert_eq!(c.len(), 2);
        assert_eq!(c.capacity(), 2);
    }

    #[test]
    fn counters_must_increase() {
        let c = ReplayCache::new(8, Duration::from_secs(10));
        c.insert(message_key(b"a"), &counter(5), NOW).unwrap();
        for (msg, v) in [(&b"b"[..], 5), (b"c", 4)] {
            assert_eq!(
                c.check(&message_key(msg), &counter(v), NOW),
                Err(ReplayError::Replayed)
            );
            assert_eq!(
                c.insert(message_key(msg), &counter(v), NOW),
                Err(ReplayError::Replayed)
            );
        }
        c.insert(message_key(b"d"), &counter(6), NOW).unwrap();
        // The watermark outlives the entries.
        assert_eq!(
            c.check(&message_key(b"e"), &counter(6), NOW + 3600 * SEC),
            Err(ReplayError::Replayed)
        );
    }

    #[test]
    fn threads_race_for_one_message() {
        let c = Arc::new(ReplayCache::new(10_000, Duration::from_secs(300)));
        let handles: Vec<_> = (0..8u8)
            .map(|i| {
                let c = Arc::clone(&c);
                std::thread::spawn(move || {
                    for j in 0..500u32 {
                        let key = message_key(&[&[i][..], &j.to_be_bytes()].concat());
                        c.insert(key, &t(NOW), NOW).unwrap();
                    }
                    c.insert(message_key(b"shared"), &t(NOW), NOW).is_ok()
                })
            })
            .collect();
        let wins = handles
            .into_iter()
            .filter(|_| true)
            .map(|h| h.join().unwrap());
        assert_eq!(wins.filter(|w| *w).count(), 1);
        assert_eq!(c.len(), 4001);
    }
}
