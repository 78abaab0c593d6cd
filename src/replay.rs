//! The Responder's replay cache (RFC 3830 §5.3, §5.4): the successfully authenticated
//! messages whose timestamps are still inside the clock-skew window, keyed by a hash of
//! the message. Shared by all sessions of a config; safe across threads.
//!
//! Bounded: when it is full of live entries every new message is refused until entries
//! expire (§5.4: "it rejects all incoming requests until the clock skew interval has
//! passed"). A live entry is never evicted, since that would reopen a replay window.
//!
//! # Clocks and lifetimes
//!
//! Every call brings one reading of the endpoint's two clocks ([`ClockReading`]): the wall
//! clock the timestamps are compared with, and a monotonic clock that never steps. An
//! entry's lifetime is measured on the monotonic clock: it lives for as long as the wall
//! clock, as read when the message was accepted, still had to go to reach `timestamp +
//! skew` (inclusive), the last instant [`crate::time::Freshness`] accepts the timestamp.
//! That is at most twice the skew, and with a steady wall clock it ends exactly when the
//! wall clock passes `timestamp + skew`. A later step of the wall clock neither shortens
//! nor lengthens it, and never holds up the expiry of other entries.
//!
//! What the cache has forgotten it still refuses: an NTP timestamp at or below the highest
//! timestamp of an entry removed so far (the watermark) is refused as
//! [`ReplayError::Replayed`] (§5.4: "messages ... which have an outdated timestamp are
//! discarded"), and so is a COUNTER value not above the highest accepted. With a steady
//! wall clock the watermark stays more than the skew behind the clock, so it refuses only
//! what the clock-skew check refuses too. A message whose entry would already have expired
//! by the latest monotonic reading the cache has seen is refused the same way, so a slow
//! thread holding an older reading cannot revive a removed entry.
//!
//! # When the wall clock steps
//!
//! - **Forward**: entries keep their lifetimes. Messages stamped with the right time are
//!   outside the window while the clock is ahead (the clock-skew check refuses them); once
//!   the clock is corrected they are accepted at once.
//! - **Back by at most the skew**: no replay is ever accepted; a message is refused only if
//!   stamped at or below the watermark, i.e. more than the skew before what the clock read
//!   before the step, and only until the clock passes the watermark again (at most the
//!   step). A message stamped with the right time, whichever side of the step was right,
//!   is never refused.
//! - **Back by more than the skew** (for instance the correction of a forward step during
//!   which messages stamped at the wrong time were accepted): the watermark would be ahead
//!   of the clock and refuse every fresh message until the clock passes it, for as long as
//!   the step. The cache cannot tell which reading was right, and takes the step as a
//!   correction: the watermark is lowered to the bottom of the present window at the first
//!   reading that is behind it. Fresh messages are then accepted at once; the price is
//!   that a message accepted while the clock was ahead, and already removed, could be
//!   accepted once more when the clock reaches its timestamp again. Entries still live are
//!   unaffected. RFC 3830 §5.4 names the trade-off: the cache size against the required
//!   clock synchronisation; only an unbounded cache could refuse such replays as well.
//!
//! # Shards
//!
//! A cache of [`SHARD_CAPACITY`] × n entries or more is split into n shards (at most
//! [`MAX_SHARDS`]), each with its own lock, entries, clocks and watermark; a message goes to
//! the shard its key selects, a COUNTER-stamped one always to the first (which holds the
//! highest COUNTER accepted). Threads handling different messages then rarely wait for each
//! other. What is said above and below holds per shard: a shard refuses a message at or
//! below its own watermark, and forgets by its own latest monotonic reading (a message is
//! always in the same shard, so it is refused there as it would be in one cache). The
//! capacity is for the whole cache (one atomic count); an `insert` that finds it full after
//! removing an expired entry of its own shard looks for one in the others, one shard at a
//! time. Expired entries are removed by the calls that land in their shard.
//!
//! # Expiry work
//!
//! Expired entries are removed a few at a time ([`EXPIRE_BATCH`] per `check` or `insert`,
//! earliest deadline first), so however many expire together no call does more than a
//! bounded amount of work under the lock; an `insert` into a full cache removes one more
//! if it has expired, so an expired entry never counts as live for the capacity. A message
//! found among the expired entries not yet removed is refused, as it would be by the
//! watermark once removed. The entries are kept in B-trees, which free their nodes as
//! they empty: the memory of a burst is returned as its entries are removed, with no
//! rehash or reallocation pause (a hash map would have to be shrunk, moving every live
//! entry at once).

use crate::sync::{AtomicUsize, Mutex, MutexGuard, Ordering};
use crate::time::{ClockReading, ntp_offset, ntp_units};
use crate::wire::{Timestamp, TsType};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::time::Duration;

/// Default capacity in messages (RFC 3830 §5.4 sizes its example at ~200 messages for
/// 6 kB; entries here are about 90 bytes: tests/session_memory.rs).
pub const DEFAULT_CAPACITY: usize = 4096;

/// Capacity per shard: a cache of capacity c has `c / SHARD_CAPACITY` shards (at least 1,
/// at most [`MAX_SHARDS`]).
pub const SHARD_CAPACITY: usize = 1024;

/// The most shards a cache is split into.
pub const MAX_SHARDS: usize = 16;

/// The most expired entries one [`ReplayCache::check`] or [`ReplayCache::insert`] removes
/// (RFC 3830 §5.4), besides the one an `insert` into a full cache makes room with. A
/// removal costs O(log n).
pub const EXPIRE_BATCH: usize = 32;

/// The cache key: SHA-256 of the whole message as received (RFC 3830 §5.4 counts "30
/// bytes/message (20-byte hash)"; SHA-256 is used here).
pub type MessageKey = [u8; 32];

/// The cache key of `message_bytes` (RFC 3830 §5.4): their SHA-256 (RustCrypto `sha2`,
/// with the CPU's SHA extensions when present).
pub fn message_key(message_bytes: &[u8]) -> MessageKey {
    use sha2::Digest;
    sha2::Sha256::digest(message_bytes).into()
}

/// Why the cache refused a message (RFC 3830 §5.3, §5.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplayError {
    /// Seen before, a COUNTER timestamp not above the highest accepted one (§5.2: "all
    /// messages from the Initiator MUST use a unique timestamp"), or a timestamp the cache
    /// may have forgotten the message of (§5.4).
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

/// A [`MessageKey`] as the B-trees hold it: its first 128 bits as two big-endian 64-bit
/// integers (8-byte aligned, so that a (deadline, key) pair takes 24 bytes; compared by two
/// integer comparisons). Two messages whose SHA-256 agree on 128 bits would be taken for
/// one: by chance once in 2^128 pairs, and finding one on purpose costs about 2^128 work
/// (a second preimage), for nothing more than the refusal of the attacker's own message.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
struct Key(u64, u64);

impl From<&MessageKey> for Key {
    fn from(key: &MessageKey) -> Key {
        let word = |i: usize| u64::from_be_bytes(key[i..i + 8].try_into().expect("8 bytes"));
        Key(word(0), word(8))
    }
}

/// An entry's timestamp as stored: NTP units relative to the shard's `base`, or
/// [`NO_STAMP`] for COUNTER and types without a clock meaning.
type Stamp = i64;

/// The stored [`Stamp`] of an entry without an NTP timestamp.
const NO_STAMP: Stamp = i64::MIN;

/// An i128 time as the trees store it (i64, saturated): a relative NTP value always fits
/// (`ntp_offset` gives i64); a deadline saturates only past 2^31 s (68 years) of
/// monotonic time, and then never expires, which is safe.
fn narrow(t: i128) -> i64 {
    i64::try_from(t).unwrap_or(if t < 0 { i64::MIN + 1 } else { i64::MAX })
}

/// The state of one shard, behind its lock. Times are NTP units (2^-32 s), in i128 so
/// that sums cannot overflow (the trees store them as i64, [`narrow`]); wall-clock times
/// are relative to `base`.
#[derive(Debug, Default)]
struct Inner {
    /// Key -> the message's timestamp ([`NO_STAMP`] for COUNTER and types without a
    /// clock meaning).
    entries: BTreeMap<Key, Stamp>,
    /// (deadline, key) of every entry, earliest first; same size as `entries`. An entry is
    /// live while its deadline is at or after `mono`.
    deadlines: BTreeSet<(i64, Key)>,
    /// The wall-clock value times are measured from (the first one seen).
    base: Option<u64>,
    /// The latest monotonic reading seen (never moves back).
    mono: i128,
    /// The wall clock of the reading that brought `mono`.
    wall: i128,
    /// The watermark: NTP timestamps at or below it are refused.
    forgotten: Option<i128>,
    /// The highest COUNTER accepted; never expires.
    max_counter: Option<u64>,
}

/// The cache's own clock-skew retention in NTP units (RFC 3830 §5.4).
#[derive(Clone, Copy, Debug)]
struct Skew(i128);

impl Inner {
    fn rel(&mut self, ntp: u64) -> i128 {
        let base = *self.base.get_or_insert(ntp);
        i128::from(ntp_offset(ntp, base))
    }

    /// Takes in a clock reading (a slow caller's older one moves nothing), then removes
    /// up to `batch` expired entries; returns how many it removed.
    fn advance(&mut self, now: &ClockReading, skew: Skew, batch: usize) -> usize {
        let mono = i128::from(ntp_units(now.monotonic));
        if mono >= self.mono {
            self.mono = mono;
            self.wall = self.rel(now.ntp);
            self.follow_step_back(skew);
        }
        (0..batch).take_while(|_| self.expire_one(skew)).count()
    }

    /// Removes the entry with the earliest deadline if it has expired; false if none has.
    fn expire_one(&mut self, skew: Skew) -> bool {
        match self.deadlines.first() {
            Some((deadline, _)) if i128::from(*deadline) < self.mono => {}
            _ => return false,
        }
        let Some((_, key)) = self.deadlines.pop_first() else {
            return false;
        };
        if let Some(stamp) = self.entries.remove(&key).filter(|s| *s != NO_STAMP) {
            let ts = i128::from(stamp);
            self.forgotten = Some(self.forgotten.map_or(ts, |w| w.max(ts)));
            self.follow_step_back(skew);
        }
        true
    }

    /// A watermark ahead of the latest wall clock means the clock went back by more than
    /// the skew since those messages were removed: take it as a correction and lower the
    /// watermark to just below the present window (see the module doc).
    fn follow_step_back(&mut self, skew: Skew) {
        if self.forgotten.is_some_and(|w| w > self.wall) {
            self.forgotten = Some(self.wall - skew.0 - 1);
        }
    }

    /// The refusals of `check` and `insert` (Replayed); else the new entry's deadline and
    /// timestamp.
    fn admit(
        &mut self,
        key: &Key,
        ts: &Timestamp,
        now: &ClockReading,
        skew: Skew,
    ) -> Result<(i128, Option<i128>), ReplayError> {
        if self.entries.contains_key(key) {
            return Err(ReplayError::Replayed);
        }
        let ntp = match ts.ts_type {
            TsType::NtpUtc | TsType::Ntp => Some(ts.value),
            // RFC 6043 §6.3: padded "with zeroes in the fractional second part".
            TsType::NtpUtc32 => Some(ts.value << 32),
            _ => None,
        };
        let (deadline, stamp) = match ntp {
            Some(value) => {
                let stamp = self.rel(value);
                if self.forgotten.is_some_and(|w| stamp <= w) {
                    return Err(ReplayError::Replayed);
                }
                // When this reading's wall clock reaches `value + skew`, on the monotonic
                // clock.
                let to_go = i128::from(ntp_offset(value, now.ntp)) + skew.0;
                (i128::from(ntp_units(now.monotonic)) + to_go, Some(stamp))
            }
            None => {
                if ts.ts_type == TsType::Counter && self.max_counter.is_some_and(|m| ts.value <= m)
                {
                    return Err(ReplayError::Replayed);
                }
                (self.mono + skew.0, None)
            }
        };
        if deadline < self.mono {
            return Err(ReplayError::Replayed);
        }
        Ok((deadline, stamp))
    }
}

/// A bounded, thread-safe replay cache (RFC 3830 §5.4). Every operation does O(log n) work
/// under one short lock (of the message's shard, see the module doc), at most
/// [`EXPIRE_BATCH`] + 1 removals of expired entries included, plus, when the cache is full,
/// one look for an expired entry in each other shard; hashing is done by the caller
/// ([`message_key`]). An entry costs about 90 bytes (a slot in each of two B-trees).
#[derive(Debug)]
pub struct ReplayCache {
    shards: Box<[Mutex<Inner>]>,
    /// Entries in all shards, expired ones included until removed; never above
    /// `capacity` (a slot is reserved before an entry is added).
    count: AtomicUsize,
    capacity: usize,
    skew: Duration,
    skew_units: Skew,
    expire_batch: usize,
}

impl ReplayCache {
    /// A cache of `capacity` messages (0 is taken as 1) kept until `skew` past their
    /// timestamp (RFC 3830 §5.4). `skew` should be the [`crate::time::Freshness`] skew:
    /// a smaller one would let a replay pass once its entry expired. Split into
    /// `capacity / SHARD_CAPACITY` shards, 1 to [`MAX_SHARDS`].
    pub fn new(capacity: usize, skew: Duration) -> ReplayCache {
        ReplayCache::with_shards(capacity, skew, capacity / SHARD_CAPACITY)
    }

    /// A cache of `shards` shards (clamped to 1..=[`MAX_SHARDS`]).
    fn with_shards(capacity: usize, skew: Duration, shards: usize) -> ReplayCache {
        ReplayCache {
            shards: (0..shards.clamp(1, MAX_SHARDS))
                .map(|_| Mutex::new(Inner::default()))
                .collect(),
            count: AtomicUsize::new(0),
            capacity: capacity.max(1),
            skew,
            skew_units: Skew(i128::from(ntp_units(skew))),
            expire_batch: EXPIRE_BATCH,
        }
    }

    /// The shard of a message: the first for COUNTER timestamps (it holds the highest
    /// accepted), else the one its key selects.
    fn shard_of(&self, key: &Key, ts: &Timestamp) -> usize {
        if ts.ts_type == TsType::Counter {
            return 0;
        }
        // The key is a hash: its low bits are as good as any. The remainder is below
        // the shard count, a usize.
        (key.1 % self.shards.len() as u64) as usize
    }

    fn lock(&self, shard: usize) -> MutexGuard<'_, Inner> {
        // Nothing in the locked sections panics; should it ever, the state is still
        // consistent enough (at worst an entry is kept too long), so keep using it.
        self.shards[shard].lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Takes in `now` and removes up to `batch` expired entries of a locked shard,
    /// keeping the count.
    fn advance(&self, inner: &mut Inner, now: &ClockReading, batch: usize) {
        let removed = inner.advance(now, self.skew_units, batch);
        if removed > 0 {
            self.count.fetch_sub(removed, Ordering::AcqRel);
        }
    }

    /// Removes one expired entry of a locked shard, if it has one, keeping the count.
    fn expire_one(&self, inner: &mut Inner) -> bool {
        let removed = inner.expire_one(self.skew_units);
        if removed {
            self.count.fetch_sub(1, Ordering::AcqRel);
        }
        removed
    }

    /// Takes a slot for a new entry if fewer than `capacity` are taken.
    fn reserve(&self) -> bool {
        self.count
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < self.capacity).then_some(n + 1)
            })
            .is_ok()
    }

    /// Removes one expired entry from the shards other than `own` (not locked by the
    /// caller), looking at one shard at a time, as of `now`.
    fn expire_one_elsewhere(&self, own: usize, now: &ClockReading) {
        for shard in (0..self.shards.len()).filter(|s| *s != own) {
            let mut inner = self.lock(shard);
            self.advance(&mut inner, now, 0);
            if self.expire_one(&mut inner) {
                return;
            }
        }
    }

    /// The early check before the MAC is verified (RFC 3830 §5.3 step 1), with `now` the
    /// clocks as read for this message: refuses a cached message, a COUNTER timestamp not
    /// above the highest accepted one, and a timestamp the cache may have forgotten the
    /// message of (see the module doc). Changes nothing visible (expired entries may be
    /// removed).
    pub fn check(
        &self,
        key: &MessageKey,
        ts: &Timestamp,
        now: ClockReading,
    ) -> Result<(), ReplayError> {
        let key = Key::from(key);
        let mut inner = self.lock(self.shard_of(&key, ts));
        self.advance(&mut inner, &now, self.expire_batch);
        inner.admit(&key, ts, &now, self.skew_units).map(|_| ())
    }

    /// Records an authenticated message (RFC 3830 §5.3: "only successfully authenticated
    /// messages are stored in the replay cache"). Atomic: of two threads inserting the
    /// same message, exactly one succeeds and the other gets `Replayed`. Same refusals as
    /// [`ReplayCache::check`], then `Full` if the cache holds `capacity` live entries. An
    /// NTP entry lives until the wall clock, as read in `now`, would reach `skew` past its
    /// timestamp (inclusive, like [`crate::time::Freshness`]), measured on the monotonic
    /// clock; a COUNTER entry for `skew` on the monotonic clock, and the COUNTER watermark
    /// rises for good.
    pub fn insert(
        &self,
        key: MessageKey,
        ts: &Timestamp,
        now: ClockReading,
    ) -> Result<(), ReplayError> {
        let key = Key::from(&key);
        let shard = self.shard_of(&key, ts);
        let mut inner = self.lock(shard);
        self.advance(&mut inner, &now, self.expire_batch);
        let mut admitted = inner.admit(&key, ts, &now, self.skew_units)?;
        if !self.reserve() {
            // Full: an expired entry of this shard makes room, else one of another shard.
            // Their locks are taken without this one held (no lock order to keep), so the
            // message is admitted again afterwards.
            let room = self.expire_one(&mut inner) && self.reserve();
            if !room {
                drop(inner);
                self.expire_one_elsewhere(shard, &now);
                inner = self.lock(shard);
                admitted = inner.admit(&key, ts, &now, self.skew_units)?;
                if !self.reserve() {
                    return Err(ReplayError::Full);
                }
            }
        }
        let (deadline, stamp) = admitted;
        if ts.ts_type == TsType::Counter {
            inner.max_counter = Some(ts.value);
        }
        let stamp = stamp.map_or(NO_STAMP, |t| narrow(t).max(NO_STAMP + 1));
        inner.entries.insert(key, stamp);
        inner.deadlines.insert((narrow(deadline), key));
        debug_assert!(self.count.load(Ordering::Acquire) <= self.capacity);
        debug_assert_eq!(inner.entries.len(), inner.deadlines.len());
        Ok(())
    }

    /// Number of cached messages (RFC 3830 §5.4), expired ones included until removed.
    pub fn len(&self) -> usize {
        self.count.load(Ordering::Acquire)
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

#[cfg(all(test, not(mikey_loom)))]
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

    /// The wall clock at `ntp`, the monotonic clock at `mono_secs` seconds.
    fn at(ntp: u64, mono_secs: u64) -> ClockReading {
        ClockReading {
            ntp,
            monotonic: Duration::from_secs(mono_secs),
        }
    }

    /// A steady clock: the monotonic clock at the wall clock's seconds since `NOW`.
    fn steady(ntp: u64) -> ClockReading {
        at(ntp, ntp.wrapping_sub(NOW) >> 32)
    }

    #[test]
    fn check_then_insert_then_replayed() {
        let c = ReplayCache::new(8, DEFAULT_SKEW);
        let key = k(b"one");
        let now = steady(NOW);
        assert_ne!(key, k(b"two"));
        assert!(c.check(&key, &t(NOW), now).is_ok());
        assert!(c.check(&key, &t(NOW), now).is_ok(), "check changes nothing");
        assert!(c.is_empty());
        assert!(c.insert(key, &t(NOW), now).is_ok());
        assert_eq!(c.check(&key, &t(NOW), now), Err(Replayed));
        assert_eq!(c.insert(key, &t(NOW), now), Err(Replayed));
        assert_eq!(c.len(), 1);
        assert_eq!(ReplayError::Replayed.to_string(), "replayed message");
    }

    #[test]
    fn entries_expire_just_after_skew_past_their_timestamp() {
        let clock = ManualClock::new(NOW);
        let c = ReplayCache::new(8, DEFAULT_SKEW);
        let fresh = Freshness { skew: DEFAULT_SKEW };
        let key = k(b"one");
        c.insert(key, &t(NOW), clock.read()).unwrap();
        // At exactly ts + skew Freshness still accepts (inclusive), so the entry is live.
        clock.advance(DEFAULT_SKEW);
        assert!(fresh.check(&t(NOW), clock.now_ntp()).is_ok());
        assert_eq!(c.check(&key, &t(NOW), clock.read()), Err(Replayed));
        // One nanosecond later both refuse it: Freshness as outdated, the cache as too old.
        clock.advance(Duration::from_nanos(1));
        assert!(fresh.check(&t(NOW), clock.now_ntp()).is_err());
        assert_eq!(c.check(&key, &t(NOW), clock.read()), Err(Replayed));
        assert!(c.is_empty(), "the entry itself is gone");
        // A newer message is accepted.
        let k2 = k(b"two");
        assert!(c.insert(k2, &t(clock.now_ntp()), clock.read()).is_ok());
    }

    #[test]
    fn an_entry_lives_until_the_wall_clock_read_at_insertion_reaches_ts_plus_skew() {
        // Stamped 100 s ahead of the Responder's clock: kept 400 s on the monotonic clock.
        let c = ReplayCache::new(8, DEFAULT_SKEW);
        let ahead = NOW + 100 * SEC;
        c.insert(k(b"ahead"), &t(ahead), at(NOW, 0)).unwrap();
        // Stamped 250 s behind: kept 50 s.
        let behind = NOW - 250 * SEC;
        c.insert(k(b"behind"), &t(behind), at(NOW, 0)).unwrap();
        assert!(c.check(&k(b"x"), &t(NOW), at(NOW + 50 * SEC, 50)).is_ok());
        assert_eq!(c.len(), 2);
        let just_after = ClockReading {
            ntp: NOW + 50 * SEC + 5,
            monotonic: Duration::from_secs(50) + Duration::from_nanos(1),
        };
        assert!(c.check(&k(b"x"), &t(NOW), just_after).is_ok());
        assert_eq!(c.len(), 1);
        let at400 = NOW + 400 * SEC;
        assert!(c.check(&k(b"x"), &t(at400), at(at400, 400)).is_ok());
        assert_eq!(c.len(), 1);
        assert!(
            c.check(&k(b"x"), &t(NOW + 401 * SEC), at(NOW + 401 * SEC, 401))
                .is_ok()
        );
        assert!(c.is_empty());
    }

    #[test]
    fn a_stale_clock_cannot_revive_a_purged_entry() {
        let c = ReplayCache::new(8, DEFAULT_SKEW);
        let key = k(b"one");
        c.insert(key, &t(NOW), steady(NOW)).unwrap();
        // Another thread, with a later clock, purges the entry ...
        let later = NOW + 300 * SEC + SEC;
        assert!(c.check(&k(b"x"), &t(later), steady(later)).is_ok());
        assert!(c.is_empty());
        // ... so a thread still holding an earlier reading (at which the timestamp looks
        // fresh) must not be able to insert the replay, nor a message of the same age.
        let stale = steady(NOW + 299 * SEC);
        assert_eq!(c.check(&key, &t(NOW), stale), Err(Replayed));
        assert_eq!(c.insert(key, &t(NOW), stale), Err(Replayed));
        assert_eq!(c.insert(k(b"y"), &t(NOW), stale), Err(Replayed));
        // A fresh message read at that stale time is still accepted.
        let fresh = NOW + 299 * SEC;
        assert_eq!(c.insert(k(b"z"), &t(fresh), stale), Ok(()));
    }

    /// Issue 9, defect 6: a forward step of the wall clock and its correction. The cache saw
    /// the wrong time (a message stamped with it was accepted); once the clock is right
    /// again, a message stamped with the right time is accepted at once, and the replays of
    /// both are refused.
    #[test]
    fn a_wall_clock_step_and_its_correction_block_no_fresh_message() {
        let day = 86_400 * SEC;
        let clock = ManualClock::new(NOW);
        let c = ReplayCache::new(8, DEFAULT_SKEW);
        c.insert(k(b"before"), &t(NOW), clock.read()).unwrap();
        clock.advance(Duration::from_secs(10));
        clock.set(clock.now_ntp() + day);
        let wrong = clock.now_ntp();
        c.insert(k(b"wrong"), &t(wrong), clock.read()).unwrap();
        clock.advance(Duration::from_secs(10));
        clock.set(clock.now_ntp() - day);
        let right = clock.now_ntp();
        assert_eq!(right, NOW + 20 * SEC);
        assert_eq!(c.insert(k(b"after"), &t(right), clock.read()), Ok(()));
        assert_eq!(
            c.insert(k(b"after"), &t(right), clock.read()),
            Err(Replayed)
        );
        assert_eq!(c.insert(k(b"before"), &t(NOW), clock.read()), Err(Replayed));
        assert_eq!(
            c.insert(k(b"wrong"), &t(wrong), clock.read()),
            Err(Replayed)
        );
        // The entries keep their monotonic lifetimes: "before" expires 300 s after it was
        // accepted, "wrong" 300 s after, whatever the wall clock says.
        clock.advance(Duration::from_secs(281));
        assert!(c.check(&k(b"x"), &t(clock.now_ntp()), clock.read()).is_ok());
        assert_eq!(c.len(), 2, "before expired");
        clock.advance(Duration::from_secs(10));
        let now = clock.now_ntp();
        assert!(c.check(&k(b"x"), &t(now), clock.read()).is_ok());
        assert_eq!(c.len(), 1, "wrong expired");
        // Its timestamp is a day ahead of the clock: the watermark follows the correction
        // rather than refuse every message for a day.
        assert_eq!(c.insert(k(b"later"), &t(now), clock.read()), Ok(()));
        assert_eq!(
            c.insert(k(b"past"), &t(now - 299 * SEC), clock.read()),
            Ok(())
        );
    }

    #[test]
    fn a_backward_step_within_the_skew_lets_no_replay_in() {
        let clock = ManualClock::new(NOW);
        let c = ReplayCache::new(8, DEFAULT_SKEW);
        c.insert(k(b"old"), &t(NOW), clock.read()).unwrap();
        clock.advance(Duration::from_secs(400));
        // "old" is removed (300 s passed); the watermark is its timestamp.
        assert!(c.check(&k(b"x"), &t(clock.now_ntp()), clock.read()).is_ok());
        assert!(c.is_empty());
        // The clock steps back 200 s: "old" is inside the window again, but refused.
        clock.set(clock.now_ntp() - 200 * SEC);
        let now = clock.now_ntp();
        assert!(Freshness { skew: DEFAULT_SKEW }.check(&t(NOW), now).is_ok());
        assert_eq!(c.insert(k(b"old"), &t(NOW), clock.read()), Err(Replayed));
        // As is another message that old, until the clock passes the watermark.
        assert_eq!(c.insert(k(b"old2"), &t(NOW), clock.read()), Err(Replayed));
        // Messages stamped with either reading of the clock are accepted.
        assert_eq!(c.insert(k(b"a"), &t(now), clock.read()), Ok(()));
        assert_eq!(c.insert(k(b"b"), &t(now + 200 * SEC), clock.read()), Ok(()));
        assert_eq!(c.insert(k(b"c"), &t(NOW + SEC), clock.read()), Ok(()));
    }

    /// Issue 9, defect 7: however many entries expire together, one call removes at most
    /// `EXPIRE_BATCH` of them (one more for room in a full cache); after enough calls all
    /// are gone (the memory returned: tests/replay_memory.rs).
    #[test]
    fn expiry_is_incremental() {
        const N: usize = 4000;
        // One shard, so that every call removes from the same entries.
        let c = ReplayCache::with_shards(N, DEFAULT_SKEW, 1);
        for i in 0..N {
            c.insert(message_key(&i.to_be_bytes()), &t(NOW), steady(NOW))
                .unwrap();
        }
        let later = NOW + 301 * SEC;
        let old_key = message_key(&7usize.to_be_bytes());
        assert_eq!(c.len(), N);
        assert_eq!(c.insert(k(b"new"), &t(later), steady(later)), Ok(()));
        assert_eq!(c.len(), N - EXPIRE_BATCH + 1);
        // Each further call removes EXPIRE_BATCH; an expired entry is still refused.
        assert_eq!(c.check(&old_key, &t(NOW), steady(later)), Err(Replayed));
        let mut len = c.len();
        assert_eq!(len, N - 2 * EXPIRE_BATCH + 1);
        let mut calls = 2;
        while c.len() > 1 {
            assert!(c.check(&k(b"x"), &t(later), steady(later)).is_ok());
            assert!(len - c.len() <= EXPIRE_BATCH);
            len = c.len();
            calls += 1;
        }
        assert_eq!(calls, N.div_ceil(EXPIRE_BATCH));
        assert_eq!(c.insert(k(b"new"), &t(later), steady(later)), Err(Replayed));
        assert_eq!(c.check(&old_key, &t(NOW), steady(later)), Err(Replayed));
    }

    #[test]
    fn expired_entries_never_count_as_live_for_the_capacity() {
        // No batch removal at all: only the room an insert into a full cache makes.
        let c = ReplayCache {
            expire_batch: 0,
            ..ReplayCache::new(3, DEFAULT_SKEW)
        };
        for m in [&b"a"[..], b"b", b"c"] {
            c.insert(k(m), &t(NOW), steady(NOW)).unwrap();
        }
        assert_eq!(c.insert(k(b"d"), &t(NOW), steady(NOW)), Err(Full));
        let later = NOW + 301 * SEC;
        for m in [&b"d"[..], b"e", b"f"] {
            assert_eq!(c.insert(k(m), &t(later), steady(later)), Ok(()));
            assert_eq!(c.len(), 3);
        }
        assert_eq!(c.insert(k(b"g"), &t(later), steady(later)), Err(Full));
    }

    #[test]
    fn entries_survive_the_2036_wrap() {
        let before = 0xFFFF_FFF6 * SEC; // 10 s before the wrap
        let c = ReplayCache::new(8, Duration::from_secs(30));
        let key = k(b"one");
        c.insert(key, &t(before), at(before, 0)).unwrap();
        let after = 15 * SEC; // 25 s later, in the next era
        assert_eq!(c.check(&key, &t(before), at(after, 25)), Err(Replayed));
        let k2 = k(b"two");
        c.insert(k2, &t(after), at(after, 25)).unwrap();
        assert_eq!(c.len(), 2);
        let much_later = 41 * SEC; // 51 s after `before`: its entry has expired
        assert!(
            c.check(&k(b"x"), &t(much_later), at(much_later, 51))
                .is_ok()
        );
        assert_eq!(c.len(), 1);
        assert_eq!(c.check(&k2, &t(after), at(much_later, 51)), Err(Replayed));
        // The removed entry's timestamp (era 0) is below the watermark, read across the wrap.
        assert_eq!(
            c.check(&k(b"y"), &t(before), at(much_later, 51)),
            Err(Replayed)
        );
    }

    #[test]
    fn full_until_entries_expire() {
        let c = ReplayCache::new(2, Duration::from_secs(10));
        c.insert(k(b"a"), &t(NOW), steady(NOW)).unwrap();
        c.insert(k(b"b"), &t(NOW + SEC), steady(NOW)).unwrap();
        assert_eq!(c.insert(k(b"c"), &t(NOW), steady(NOW)), Err(Full));
        // A replay is reported as such even when full.
        assert_eq!(c.insert(k(b"a"), &t(NOW), steady(NOW)), Err(Replayed));
        // At NOW + 10 s "a" is still live (inclusive): still full.
        let at10 = NOW + 10 * SEC;
        assert_eq!(c.insert(k(b"c"), &t(at10), steady(at10)), Err(Full));
        let later = ClockReading {
            ntp: at10 + 5,
            monotonic: Duration::from_secs(10) + Duration::from_nanos(1),
        };
        assert_eq!(c.insert(k(b"c"), &t(at10), later), Ok(()));
        assert_eq!((c.len(), c.capacity()), (2, 2));
        assert_eq!(ReplayError::Full.to_string(), "replay cache full");
        let one = ReplayCache::new(0, DEFAULT_SKEW);
        assert_eq!((one.capacity(), one.skew()), (1, DEFAULT_SKEW));
        one.insert(k(b"a"), &t(NOW), steady(NOW)).unwrap();
        let full = one.insert(k(b"b"), &t(NOW), steady(NOW));
        assert_eq!(full, Err(Full));
        // A wall-clock step does not empty a full cache; only time passing does.
        let c = ReplayCache::new(1, Duration::from_secs(10));
        c.insert(k(b"a"), &t(NOW), at(NOW, 0)).unwrap();
        let stepped = NOW + 3600 * SEC;
        assert_eq!(c.insert(k(b"b"), &t(stepped), at(stepped, 5)), Err(Full));
        assert_eq!(c.insert(k(b"b"), &t(stepped), at(stepped, 11)), Ok(()));
    }

    #[test]
    fn counters_must_increase() {
        let c = ReplayCache::new(8, Duration::from_secs(10));
        let now = steady(NOW);
        // check does not raise the watermark.
        assert!(c.check(&k(b"z"), &counter(9), now).is_ok());
        c.insert(k(b"a"), &counter(5), now).unwrap();
        for (msg, v) in [(&b"b"[..], 5), (b"c", 4), (b"d", 0)] {
            assert_eq!(c.check(&k(msg), &counter(v), now), Err(Replayed));
            assert_eq!(c.insert(k(msg), &counter(v), now), Err(Replayed));
        }
        c.insert(k(b"e"), &counter(6), now).unwrap();
        // The entries expire skew after insertion on the monotonic clock; the watermark
        // outlives them.
        let later = at(NOW, 3600);
        assert!(c.check(&k(b"x"), &counter(7), later).is_ok());
        assert!(c.is_empty());
        assert_eq!(c.check(&k(b"f"), &counter(6), later), Err(Replayed));
    }

    #[test]
    fn the_capacity_sets_the_shard_count() {
        let shards = |capacity| ReplayCache::new(capacity, DEFAULT_SKEW).shards.len();
        assert_eq!(shards(0), 1);
        assert_eq!(shards(SHARD_CAPACITY - 1), 1);
        assert_eq!(shards(DEFAULT_CAPACITY), 4);
        assert_eq!(shards(1 << 20), MAX_SHARDS);
    }

    /// Keys that land in each of the `n` shards of `c`, `per` of each.
    fn keys_per_shard(c: &ReplayCache, per: usize) -> Vec<Vec<MessageKey>> {
        let mut by_shard = vec![Vec::new(); c.shards.len()];
        for i in 0u32.. {
            let key = k(&i.to_be_bytes());
            let shard = c.shard_of(&Key::from(&key), &t(NOW));
            if by_shard[shard].len() < per {
                by_shard[shard].push(key);
            }
            if by_shard.iter().all(|keys| keys.len() == per) {
                return by_shard;
            }
        }
        unreachable!("u32 keys run out")
    }

    #[test]
    fn a_full_cache_finds_room_in_another_shard() {
        // Capacity 4 over 4 shards, no batch removal: the only removal is the one an
        // insert into a full cache makes, in its own shard or else in another.
        let c = ReplayCache {
            expire_batch: 0,
            ..ReplayCache::with_shards(4, DEFAULT_SKEW, 4)
        };
        let keys = keys_per_shard(&c, 3);
        // Shards 0 and 1 hold the four entries.
        for key in &keys[0] {
            c.insert(*key, &t(NOW), steady(NOW)).unwrap();
        }
        c.insert(keys[1][0], &t(NOW), steady(NOW)).unwrap();
        assert_eq!(c.insert(keys[2][0], &t(NOW), steady(NOW)), Err(Full));
        // A replay is still a replay in a full cache.
        assert_eq!(c.insert(keys[0][0], &t(NOW), steady(NOW)), Err(Replayed));
        let later = NOW + 301 * SEC;
        // Shards 2 and 3 have nothing expired: room comes from shard 0 or 1, one entry
        // per insert.
        for key in [keys[2][1], keys[3][0], keys[3][1], keys[2][2]] {
            assert_eq!(c.insert(key, &t(later), steady(later)), Ok(()));
            assert_eq!(c.len(), 4);
        }
        assert_eq!(c.insert(keys[3][2], &t(later), steady(later)), Err(Full));
        // The entries removed from shard 0 are still refused there (its watermark).
        assert_eq!(c.check(&keys[0][0], &t(NOW), steady(later)), Err(Replayed));
    }

    #[test]
    fn counters_increase_across_shards() {
        let c = ReplayCache::with_shards(64, Duration::from_secs(10), 8);
        let keys = keys_per_shard(&c, 1);
        let now = steady(NOW);
        for (i, key) in keys.iter().enumerate() {
            let v = 10 + i as u64;
            c.insert(key[0], &counter(v), now).unwrap();
            // Whatever shard its key selects, a lower or equal COUNTER is refused.
            for other in &keys {
                assert_eq!(c.check(&other[0], &counter(v), now), Err(Replayed));
            }
        }
        assert_eq!(c.len(), 8);
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
                    let now = steady(NOW);
                    for j in 0..EACH {
                        let key = message_key(&[&[i][..], &j.to_be_bytes()].concat());
                        distinct_ok += usize::from(c.insert(key, &t(NOW), now).is_ok());
                    }
                    barrier.wait();
                    let shared = k(b"shared");
                    let won = c.check(&shared, &t(NOW), now).is_ok()
                        && c.insert(shared, &t(NOW), now).is_ok();
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

/// Model checks with loom (`RUSTFLAGS="--cfg mikey_loom" cargo test --lib loom`, run by
/// scripts/test.sh): every interleaving of the threads' lock acquisitions is explored.
#[cfg(all(test, mikey_loom))]
mod loom_model {
    use super::*;
    use ReplayError::Replayed;
    use loom::sync::Arc;
    use loom::thread;

    const NOW: u64 = 0xEA04_E300_0000_0000;
    const SEC: u64 = 1 << 32;
    const SKEW: Duration = Duration::from_secs(300);

    fn t(value: u64) -> Timestamp {
        Timestamp {
            ts_type: TsType::NtpUtc,
            value,
        }
    }

    /// A steady clock `secs` seconds after `NOW`.
    fn at(secs: u64) -> ClockReading {
        ClockReading {
            ntp: NOW + secs * SEC,
            monotonic: Duration::from_secs(secs),
        }
    }

    /// A cache of two shards removing one expired entry per call, so that partial expiry
    /// and room taken from the other shard are explored.
    fn cache(capacity: usize) -> ReplayCache {
        ReplayCache {
            expire_batch: 1,
            ..ReplayCache::with_shards(capacity, SKEW, 2)
        }
    }

    /// Of three threads inserting the same message, exactly one wins.
    #[test]
    fn loom_exactly_one_of_three_inserts_wins() {
        loom::model(|| {
            let c = Arc::new(cache(4));
            let key = message_key(b"m");
            let handles: Vec<_> = (0..3u64)
                .map(|i| {
                    let c = c.clone();
                    thread::spawn(move || c.insert(key, &t(NOW), at(i)))
                })
                .collect();
            let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
            assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
            assert!(results.iter().all(|r| r.is_ok() || *r == Err(Replayed)));
            assert_eq!(c.len(), 1);
        });
    }

    /// Two threads each check then insert the same message while its entry would be live:
    /// it is accepted once, whatever the interleaving of the four calls.
    #[test]
    fn loom_a_live_message_is_never_accepted_twice() {
        loom::model(|| {
            let c = Arc::new(cache(4));
            let key = message_key(b"m");
            let handles: Vec<_> = [1u64, 200]
                .into_iter()
                .map(|secs| {
                    let c = c.clone();
                    thread::spawn(move || {
                        let now = at(secs);
                        c.check(&key, &t(NOW), now).is_ok() && c.insert(key, &t(NOW), now).is_ok()
                    })
                })
                .collect();
            let accepted = handles
                .into_iter()
                .map(|h| h.join().unwrap())
                .filter(|&a| a)
                .count();
            assert_eq!(accepted, 1);
        });
    }

    /// A message accepted at time 0 expires at 300 s. One thread moves the cache past that
    /// (its insert removes the entry); two slow threads, holding readings at which the
    /// message still looks fresh, try to insert it again: none succeeds, in any order.
    #[test]
    fn loom_expiry_by_another_thread_lets_no_replay_in() {
        loom::model(|| {
            let c = Arc::new(cache(2));
            let key = message_key(b"m");
            c.insert(key, &t(NOW), at(0)).unwrap();
            let mover = {
                let c = c.clone();
                thread::spawn(move || c.insert(message_key(b"x"), &t(NOW + 301 * SEC), at(301)))
            };
            let replays: Vec<_> = [1u64, 299]
                .into_iter()
                .map(|secs| {
                    let c = c.clone();
                    thread::spawn(move || c.insert(key, &t(NOW), at(secs)))
                })
                .collect();
            assert_eq!(mover.join().unwrap(), Ok(()));
            for r in replays {
                assert_eq!(r.join().unwrap(), Err(Replayed));
            }
            assert_eq!(c.insert(key, &t(NOW), at(301)), Err(Replayed));
        });
    }

    /// Two entries expire at 300 s in a cache of capacity 2 (two shards). Three threads
    /// insert distinct messages, one at 99 s and two at 400 s: the cache never holds more
    /// than its capacity (also asserted inside every insert), and both late ones get in,
    /// expired entries making room for them. The early message may get in too: when a
    /// late thread has freed a slot in another shard and its own shard has not yet seen
    /// the late reading, it is a fresh message there (with one lock for the whole cache it
    /// was refused as outdated); it then expires at 399 s and makes room in turn.
    #[test]
    fn loom_capacity_is_never_exceeded() {
        // Three threads, each taking up to three locks and updating the count: every
        // schedule with up to three preemptions (the full space does not finish).
        let mut model = loom::model::Builder::new();
        model.preemption_bound = Some(3);
        model.check(|| {
            let c = Arc::new(cache(2));
            c.insert(message_key(b"a"), &t(NOW), at(0)).unwrap();
            c.insert(message_key(b"b"), &t(NOW), at(0)).unwrap();
            let handles: Vec<_> = [(b"early", 99u64), (b"late1", 400), (b"late2", 400)]
                .into_iter()
                .map(|(m, secs)| {
                    let c = c.clone();
                    thread::spawn(move || {
                        let r = c.insert(message_key(m), &t(NOW + secs * SEC), at(secs));
                        assert!(c.len() <= c.capacity());
                        r
                    })
                })
                .collect();
            let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
            assert!(c.len() <= 2);
            assert!(matches!(
                results[0],
                Ok(()) | Err(ReplayError::Full | Replayed)
            ));
            assert_eq!(results[1..].iter().filter(|r| r.is_ok()).count(), 2);
        });
    }
}
