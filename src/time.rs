//! Time for MIKEY: 64-bit NTP timestamps (RFC 3830 §6.6), the clocks they are read from,
//! the clock-skew check of the Responder (§5.3, §5.4) and the Initiator's unique
//! timestamps (§5.2).
//!
//! NTP seconds wrap every 2^32 s (the next wrap is in February 2036); RFC 3830 §4.2.8:
//! an implementation "MUST be aware of (and take into account) the fact that the counter
//! will overflow approximately every 136th year". Differences are therefore taken
//! modulo 2^64 and read as signed, which is right whenever the two times are less than
//! 68 years apart.
//!
//! Two clocks are read ([`Clock`]): the wall clock, whose NTP time timestamps are made
//! from and compared with, and a monotonic clock, which never steps and only measures how
//! long replay-cache entries are kept ([`crate::replay`]), so that a step of the wall
//! clock neither blocks fresh messages nor shortens what the cache remembers.

use crate::sync::AtomicU64 as SyncAtomicU64;
use crate::wire::{Timestamp, TsType};
use std::fmt;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Seconds from the NTP epoch (1900-01-01) to the Unix epoch (1970-01-01).
pub const NTP_UNIX_OFFSET: u64 = 2_208_988_800;

/// The default allowed clock skew. RFC 3830 §5.4 leaves it to local policy ("several
/// minutes to hours" for clients); we default to 5 minutes.
pub const DEFAULT_SKEW: Duration = Duration::from_secs(300);

/// The clocks of an endpoint (RFC 3830 §5.4: timestamps "require that the clocks are
/// synchronized"). The wall clock gives the current time as a 64-bit NTP timestamp (§6.6):
/// seconds since 1900-01-01 UTC in the high 32 bits, binary fraction in the low 32 bits,
/// i.e. the value an NTP-UTC T payload carries. It is read by the Initiator to stamp
/// messages and by the Responder for the clock-skew check (§5.3). The monotonic clock
/// measures how long the Responder keeps replay-cache entries (§5.4).
pub trait Clock: Send + Sync + fmt::Debug {
    /// The current wall-clock time as an NTP timestamp (RFC 3830 §6.6), modulo the NTP era.
    fn now_ntp(&self) -> u64;

    /// The time elapsed since an arbitrary origin fixed for the clock's lifetime, on a
    /// clock that never steps and never goes back (RFC 3830 §5.4: how long replay-cache
    /// entries are kept). Default: the operating system's monotonic clock
    /// ([`os_monotonic`]); a clock that simulates time passing overrides it.
    fn monotonic(&self) -> Duration {
        os_monotonic()
    }

    /// Both clocks, read one after the other (RFC 3830 §5.3, §5.4).
    fn read(&self) -> ClockReading {
        ClockReading {
            ntp: self.now_ntp(),
            monotonic: self.monotonic(),
        }
    }
}

/// One reading of an endpoint's two clocks (RFC 3830 §5.4): what the Responder's clock-skew
/// check and replay cache are given for one message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClockReading {
    /// The wall clock as an NTP timestamp (RFC 3830 §6.6).
    pub ntp: u64,
    /// The monotonic clock ([`Clock::monotonic`]).
    pub monotonic: Duration,
}

/// The operating system's monotonic clock (`std::time::Instant`: `CLOCK_MONOTONIC` on
/// Linux, which does not advance while the machine is suspended): the time since this
/// function was first called in the process. Used for replay-cache lifetimes (RFC 3830
/// §5.4).
pub fn os_monotonic() -> Duration {
    static ORIGIN: OnceLock<Instant> = OnceLock::new();
    ORIGIN.get_or_init(Instant::now).elapsed()
}

/// The system clock, read as UTC (RFC 3830 §4.2.8: "RECOMMENDED that the time always be
/// specified in UTC"), with the operating system's monotonic clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ntp(&self) -> u64 {
        ntp_from_system_time(SystemTime::now())
    }
}

/// Clocks set by hand (tests, simulations and the CLI's `--now`): a wall clock holding an
/// RFC 3830 §6.6 NTP timestamp and a monotonic clock starting at zero. [`ManualClock::advance`]
/// moves both, as time passing does; [`ManualClock::set`] steps the wall clock alone, as a
/// clock correction does. Thread-safe; the wall clock wraps modulo 2^64 like the NTP
/// counter (§4.2.8).
#[derive(Debug)]
pub struct ManualClock {
    wall: AtomicU64,
    /// Nanoseconds (saturating at about 584 years).
    mono: AtomicU64,
}

impl ManualClock {
    /// A wall clock at the NTP timestamp `ntp` (RFC 3830 §6.6), the monotonic clock at 0.
    pub fn new(ntp: u64) -> ManualClock {
        ManualClock {
            wall: AtomicU64::new(ntp),
            mono: AtomicU64::new(0),
        }
    }

    /// Steps the wall clock to the NTP timestamp `ntp` (RFC 3830 §6.6), forward or back;
    /// the monotonic clock does not move.
    pub fn set(&self, ntp: u64) {
        self.wall.store(ntp, Ordering::SeqCst);
    }

    /// Lets `d` pass: both clocks move forward by `d`, the wall clock wrapping at the end
    /// of the NTP era (§4.2.8).
    pub fn advance(&self, d: Duration) {
        let nanos = u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
        // Both updates are atomic read-modify-writes; `fetch_update` cannot fail here.
        let _ = self
            .mono
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |m| {
                Some(m.saturating_add(nanos))
            });
        self.wall.fetch_add(ntp_units(d), Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_ntp(&self) -> u64 {
        self.wall.load(Ordering::SeqCst)
    }

    fn monotonic(&self) -> Duration {
        Duration::from_nanos(self.mono.load(Ordering::SeqCst))
    }
}

/// `d` in NTP timestamp units of 2^-32 s (RFC 3830 §6.6), rounded down, saturating at
/// `u64::MAX` (about 136 years, §4.2.8).
pub fn ntp_units(d: Duration) -> u64 {
    let units =
        (u128::from(d.as_secs()) << 32) + ((u128::from(d.subsec_nanos()) << 32) / 1_000_000_000);
    u64::try_from(units).unwrap_or(u64::MAX)
}

/// The NTP timestamp (RFC 3830 §6.6) of a system time, modulo the NTP era (§4.2.8); times
/// before 1970 (and before 1900) are handled. The fraction is rounded down.
pub fn ntp_from_system_time(t: SystemTime) -> u64 {
    let (secs, nanos) = match t.duration_since(UNIX_EPOCH) {
        Ok(d) => (i128::from(d.as_secs()), d.subsec_nanos()),
        Err(e) => {
            let d = e.duration();
            let mut secs = -i128::from(d.as_secs());
            let mut nanos = d.subsec_nanos();
            if nanos > 0 {
                secs -= 1;
                nanos = 1_000_000_000 - nanos;
            }
            (secs, nanos)
        }
    };
    let ntp_secs = (secs + i128::from(NTP_UNIX_OFFSET)).rem_euclid(1 << 32) as u64;
    let frac = (u64::from(nanos) << 32) / 1_000_000_000;
    ntp_secs << 32 | frac
}

/// The system time of an NTP timestamp (RFC 3830 §6.6), choosing the NTP era closest to
/// `reference` (§4.2.8: the seconds counter "will overflow approximately every 136th
/// year"). Nanoseconds are rounded down. Should the result not be representable as a
/// `SystemTime` (only when `reference` is within 68 years of its limits), `reference` is
/// returned.
pub fn system_time_from_ntp(ntp: u64, reference: SystemTime) -> SystemTime {
    let offset = ntp_offset(ntp, ntp_from_system_time(reference));
    let nanos = (u128::from(offset.unsigned_abs()) * 1_000_000_000) >> 32;
    let d = Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX));
    let t = if offset >= 0 {
        reference.checked_add(d)
    } else {
        reference.checked_sub(d)
    };
    t.unwrap_or(reference)
}

/// Seconds from 1601-01-01 (the Windows FILETIME epoch) to 1900-01-01 (the NTP epoch):
/// 299 years with 72 leap days.
const FILETIME_NTP_OFFSET: u64 = 9_435_484_800;

/// The NTP timestamp (modulo the era) of a Windows FILETIME value: 100 ns intervals since
/// 1601-01-01 UTC. Some ONVIF clients write one into a T payload of type NTP-UTC (the
/// ONVIF Streaming specification's own SETUP example does); read as NTP it falls in 1900.
/// `None` before 1900.
pub fn ntp_from_filetime(filetime: u64) -> Option<u64> {
    let secs = (filetime / 10_000_000).checked_sub(FILETIME_NTP_OFFSET)?;
    let frac = ((filetime % 10_000_000) << 32) / 10_000_000;
    Some((secs % (1 << 32)) << 32 | frac)
}

/// `ts − now` in NTP units of 2^-32 s, taken modulo 2^64 and read as signed (RFC 3830
/// §4.2.8, era-aware: a timestamp just after the 2036 wrap is later than a clock just
/// before it). Right whenever the two times are less than 68 years apart.
pub fn ntp_offset(ts: u64, now: u64) -> i64 {
    ts.wrapping_sub(now) as i64
}

/// An NTP offset (2^-32 s) in milliseconds, rounded away from zero so that an offset just
/// outside a whole-millisecond window never reads as inside it.
fn offset_millis(offset: i64) -> i64 {
    let ms = (u128::from(offset.unsigned_abs()) * 1000).div_ceil(1 << 32);
    // |offset| <= 2^63, so ms <= 2^63 * 1000 / 2^32 < 2^42: fits.
    let ms = i64::try_from(ms).unwrap_or(i64::MAX);
    if offset < 0 { -ms } else { ms }
}

/// Why the Responder refused a timestamp (RFC 3830 §5.3, §5.4; §6.12 Error no. 1, "Invalid TS").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimestampError {
    /// Further from the clock than the allowed skew (§5.4: an "outdated timestamp").
    OutsideWindow {
        /// Timestamp minus clock in milliseconds, rounded away from zero; negative for a
        /// timestamp in the past.
        offset_ms: i64,
    },
    /// A TS type this library does not check against a clock (§6.6 registry; the value
    /// is the codepoint).
    UnsupportedType(u8),
}

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimestampError::OutsideWindow { offset_ms } => {
                write!(
                    f,
                    "timestamp {offset_ms} ms from the clock, outside the allowed skew"
                )
            }
            TimestampError::UnsupportedType(t) => write!(f, "unsupported TS type {t}"),
        }
    }
}

impl std::error::Error for TimestampError {}

/// The Responder's timestamp check (RFC 3830 §5.3: "check that it is within the allowable
/// clock skew"; §5.4: the skew "is set by the local policy").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Freshness {
    /// Allowed |timestamp − clock|, inclusive: a timestamp exactly `skew` away passes
    /// (§5.4). The replay cache keeps entries up to and including that instant.
    pub skew: Duration,
}

impl Freshness {
    /// Checks `ts` against the clock value `now_ntp` (RFC 3830 §5.3, §5.4, §6.6).
    ///
    /// NTP-UTC and NTP are both read as UTC: RFC 3830 §6.6 never says what distinguishes
    /// them and §4.2.8 RECOMMENDS UTC (README, Spec readings). The comparison is era-aware
    /// ([`ntp_offset`]). COUNTER has no clock to compare with: it passes here, and the
    /// replay cache requires it to increase (§5.2 "unique timestamp"). NTP-UTC-32 (RFC 6043
    /// §6.3, TICKET mode only) and unregistered types give `UnsupportedType`.
    pub fn check(&self, ts: &Timestamp, now_ntp: u64) -> Result<(), TimestampError> {
        match ts.ts_type {
            TsType::NtpUtc | TsType::Ntp => {
                let offset = ntp_offset(ts.value, now_ntp);
                if offset.unsigned_abs() <= ntp_units(self.skew) {
                    Ok(())
                } else {
                    Err(TimestampError::OutsideWindow {
                        offset_ms: offset_millis(offset),
                    })
                }
            }
            TsType::Counter => Ok(()),
            other => Err(TimestampError::UnsupportedType(other.into())),
        }
    }
}

/// The Initiator's NTP timestamps (RFC 3830 §5.2: "all messages from the Initiator MUST use
/// a unique timestamp"), shared by the sessions of one config; safe across threads.
///
/// A timestamp is the wall clock, or one NTP unit (2^-32 s) after the last one issued when
/// the clock has not moved past it, so timestamps strictly increase. That runs ahead of the
/// clock by at most the skew: when the clock reads more than the skew before the last
/// timestamp (it was stepped back, e.g. corrected after a forward step), the next timestamp
/// is the clock again, since continuing would stamp every message outside the window of
/// every Responder whose clock is right (§5.4). From there timestamps increase again; one
/// can equal a timestamp issued before that step only if the clock reaches exactly (to
/// 2^-32 s) a value it had issued while it was ahead.
#[derive(Debug)]
pub(crate) struct InitiatorTimestamps {
    /// The last timestamp issued; 0 before the first.
    last: SyncAtomicU64,
}

impl InitiatorTimestamps {
    /// A source that has issued nothing yet.
    pub(crate) fn new() -> InitiatorTimestamps {
        InitiatorTimestamps {
            last: SyncAtomicU64::new(0),
        }
    }

    /// The next timestamp for a message stamped when the wall clock reads `now_ntp`,
    /// allowing a lead of at most `skew` over it (RFC 3830 §5.2, §5.4).
    pub(crate) fn next(&self, now_ntp: u64, skew: Duration) -> u64 {
        let skew = ntp_units(skew);
        let mut last = self.last.load(Ordering::Relaxed);
        loop {
            let next = next_timestamp(last, now_ntp, skew);
            match self
                .last
                .compare_exchange_weak(last, next, Ordering::Relaxed, Ordering::Relaxed)
            {
                Ok(_) => return next,
                Err(seen) => last = seen,
            }
        }
    }
}

/// The timestamp after `last` (0: none yet) at clock `now`, with a lead over the clock of at
/// most `skew` NTP units (RFC 3830 §5.2, §5.4; era-aware, §4.2.8).
/// Never 0, which stands for "none yet" (the clock reading exactly the 2036 wrap gives 1).
fn next_timestamp(last: u64, now: u64, skew: u64) -> u64 {
    let next = if last == 0 || ntp_offset(now, last) > 0 {
        now
    } else if ntp_offset(last.wrapping_add(1), now).unsigned_abs() <= skew {
        last.wrapping_add(1)
    } else {
        now
    };
    next.max(1)
}

#[cfg(all(test, not(mikey_loom)))]
mod tests {
    use super::*;

    const SEC: u64 = 1 << 32;
    /// NTP era 1 starts at Unix 2085978496 (2036-02-07T06:28:16Z).
    const WRAP_UNIX: u64 = 2_085_978_496;

    /// The ONVIF Streaming specification's SETUP example T value (its client wrote a
    /// FILETIME): 2018-01-15T15:59:22.165152Z, 5 s after 2018-01-15T15:59:17Z (Unix
    /// 1516031957).
    #[test]
    fn a_filetime_converts_to_its_ntp_time() {
        let ntp = ntp_from_filetime(0x01d3_8e19_cef9_5c3d).unwrap();
        let at = UNIX_EPOCH + Duration::from_secs(1_516_031_957);
        let offset = ntp_offset(ntp, ntp_from_system_time(at));
        assert!((offset - (5i64 << 32)).unsigned_abs() < SEC / 2, "{offset}");
        // 1900-01-01 is FILETIME 94354848000000000: NTP 0; before it, none.
        assert_eq!(ntp_from_filetime(94_354_848_000_000_000), Some(0));
        assert_eq!(ntp_from_filetime(94_354_847_999_999_999), None);
    }

    fn ts(ts_type: TsType, value: u64) -> Timestamp {
        Timestamp { ts_type, value }
    }

    fn at(unix: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(unix)
    }

    #[test]
    fn unix_epoch_and_a_known_date() {
        assert_eq!(ntp_from_system_time(UNIX_EPOCH), NTP_UNIX_OFFSET << 32);
        // 2024-06-01T00:00:00Z = Unix 1717200000 -> NTP seconds 0xEA04E300.
        let t = at(1_717_200_000);
        assert_eq!(ntp_from_system_time(t), 0xEA04_E300_0000_0000);
        let half = t + Duration::from_millis(500);
        assert_eq!(ntp_from_system_time(half), 0xEA04_E300_8000_0000);
        assert_eq!(system_time_from_ntp(0xEA04_E300_8000_0000, t), half);
        assert_eq!(
            system_time_from_ntp(0xEA04_E300_8000_0000, UNIX_EPOCH),
            half
        );
    }

    #[test]
    fn before_1970_and_before_1900() {
        let t = UNIX_EPOCH - Duration::from_millis(1500);
        assert_eq!(
            ntp_from_system_time(t),
            ((NTP_UNIX_OFFSET - 2) << 32) | (1 << 31)
        );
        assert_eq!(system_time_from_ntp(ntp_from_system_time(t), UNIX_EPOCH), t);
        // One second before 1900-01-01 is the last second of era -1.
        let t = UNIX_EPOCH - Duration::from_secs(NTP_UNIX_OFFSET + 1);
        assert_eq!(ntp_from_system_time(t), 0xFFFF_FFFF_0000_0000);
    }

    #[test]
    fn the_2036_wrap() {
        let wrap = at(WRAP_UNIX);
        assert_eq!(ntp_from_system_time(wrap), 0);
        let before = ntp_from_system_time(wrap - Duration::from_secs(10));
        let after = ntp_from_system_time(wrap + Duration::from_secs(10));
        assert_eq!(before >> 32, 0xFFFF_FFF6);
        assert_eq!(after >> 32, 10);
        assert_eq!(ntp_offset(after, before), 20 << 32);
        assert_eq!(ntp_offset(before, after), -(20 << 32));
        let f = Freshness {
            skew: Duration::from_secs(30),
        };
        assert!(f.check(&ts(TsType::NtpUtc, after), before).is_ok());
        assert!(f.check(&ts(TsType::Ntp, before), after).is_ok());
        let c = ManualClock::new(before);
        c.advance(Duration::from_secs(20));
        assert_eq!(c.now_ntp(), after);
    }

    #[test]
    fn era_closest_to_the_reference() {
        let wrap = at(WRAP_UNIX);
        let after = 10 * SEC;
        let before = 0xFFFF_FFF6 * SEC;
        // Before the wrap, a small value is read in era 1, a large one in era 0.
        let ref0 = wrap - Duration::from_secs(60);
        assert_eq!(system_time_from_ntp(after, ref0), at(WRAP_UNIX + 10));
        assert_eq!(system_time_from_ntp(before, ref0), at(WRAP_UNIX - 10));
        // After the wrap, the same.
        let ref1 = wrap + Duration::from_secs(60);
        assert_eq!(system_time_from_ntp(after, ref1), at(WRAP_UNIX + 10));
        assert_eq!(system_time_from_ntp(before, ref1), at(WRAP_UNIX - 10));
        // From 2024, NTP second 10 is 2036 (12 years on), not 1900 (124 years back).
        assert_eq!(
            system_time_from_ntp(after, at(1_717_200_000)),
            at(WRAP_UNIX + 10)
        );
        // From 1990, 2036 is 46 years on and 1900 90 years back: 2036.
        assert_eq!(
            system_time_from_ntp(after, at(631_152_000)),
            at(WRAP_UNIX + 10)
        );
        // From 1950, 2036 is 86 years on and 1900 50 years back: 1900.
        let y1950 = UNIX_EPOCH - Duration::from_secs(631_152_000);
        assert_eq!(
            system_time_from_ntp(after, y1950),
            UNIX_EPOCH - Duration::from_secs(NTP_UNIX_OFFSET - 10)
        );
    }

    #[test]
    fn extreme_inputs_do_not_panic() {
        let far = UNIX_EPOCH + Duration::from_secs(i64::MAX as u64 / 2);
        for ntp in [0, u64::MAX, 1 << 63] {
            let _ = system_time_from_ntp(ntp, far);
            let _ = system_time_from_ntp(ntp, UNIX_EPOCH);
        }
        let _ = ntp_from_system_time(far);
        assert_eq!(ntp_units(Duration::MAX), u64::MAX);
        let f = Freshness {
            skew: Duration::MAX,
        };
        assert!(f.check(&ts(TsType::NtpUtc, 1 << 63), 0).is_ok());
        let f = Freshness {
            skew: Duration::ZERO,
        };
        assert_eq!(
            f.check(&ts(TsType::NtpUtc, 1 << 63), 0),
            Err(TimestampError::OutsideWindow {
                offset_ms: -(1000i64 << 31)
            })
        );
        assert!(f.check(&ts(TsType::NtpUtc, 7), 7).is_ok());
    }

    #[test]
    fn skew_boundary_is_inclusive() {
        let now = 0xEA04_E300_0000_0000u64;
        let f = Freshness { skew: DEFAULT_SKEW };
        let s = 300 * SEC;
        assert!(f.check(&ts(TsType::NtpUtc, now + s), now).is_ok());
        assert!(f.check(&ts(TsType::Ntp, now - s), now).is_ok());
        // One NTP unit (2^-32 s) beyond: outside, and reported as beyond 300 000 ms.
        assert_eq!(
            f.check(&ts(TsType::NtpUtc, now + s + 1), now),
            Err(TimestampError::OutsideWindow { offset_ms: 300_001 })
        );
        assert_eq!(
            f.check(&ts(TsType::Ntp, now - s - 1), now),
            Err(TimestampError::OutsideWindow {
                offset_ms: -300_001
            })
        );
        assert_eq!(
            f.check(&ts(TsType::NtpUtc, now - s - SEC), now),
            Err(TimestampError::OutsideWindow {
                offset_ms: -301_000
            })
        );
    }

    #[test]
    fn counter_and_unsupported_types() {
        let now = 0xEA04_E300_0000_0000u64;
        let f = Freshness { skew: DEFAULT_SKEW };
        assert!(f.check(&ts(TsType::Counter, 5), now).is_ok());
        assert!(f.check(&ts(TsType::Counter, u64::MAX), now).is_ok());
        assert_eq!(
            f.check(&ts(TsType::NtpUtc32, now >> 32), now),
            Err(TimestampError::UnsupportedType(3))
        );
        let e = f.check(&ts(TsType::Unknown(9), 0), now).unwrap_err();
        assert_eq!(e, TimestampError::UnsupportedType(9));
        assert_eq!(e.to_string(), "unsupported TS type 9");
    }

    #[test]
    fn manual_clock_moves() {
        let c = ManualClock::new(SEC);
        assert_eq!(c.monotonic(), Duration::ZERO);
        c.advance(Duration::from_millis(1500));
        assert_eq!(c.now_ntp(), SEC + SEC + (1 << 31));
        assert_eq!(c.monotonic(), Duration::from_millis(1500));
        // A step moves the wall clock alone.
        c.set(7);
        assert_eq!(
            c.read(),
            ClockReading {
                ntp: 7,
                monotonic: Duration::from_millis(1500)
            }
        );
        c.advance(Duration::MAX);
        assert_eq!(c.monotonic(), Duration::from_nanos(u64::MAX));
        // The OS monotonic clock never goes back.
        let (a, b) = (SystemClock.monotonic(), SystemClock.monotonic());
        assert!(b >= a);
        // The system clock reads after 2024-06-01 (whatever the NTP era).
        let sys = system_time_from_ntp(SystemClock.now_ntp(), at(1_717_200_000));
        assert!(sys > at(1_717_200_000));
    }

    #[test]
    fn initiator_timestamps_increase_within_the_skew() {
        let now = 0xEA04_E300_0000_0000u64;
        let skew = 300 * SEC;
        assert_eq!(next_timestamp(0, now, skew), now);
        // The clock has not moved on: one unit later; it has: the clock.
        assert_eq!(next_timestamp(now, now, skew), now + 1);
        assert_eq!(next_timestamp(now, now + 5, skew), now + 5);
        // Stepped back: keep increasing while at most the skew ahead of the clock ...
        assert_eq!(next_timestamp(now + skew - 1, now, skew), now + skew);
        // ... and follow the clock beyond.
        assert_eq!(next_timestamp(now + skew, now, skew), now);
        assert_eq!(next_timestamp(now + 86_400 * SEC, now, skew), now);
        // Across the 2036 wrap, and never 0 ("none yet").
        assert_eq!(next_timestamp(u64::MAX - 1, u64::MAX - 1, skew), u64::MAX);
        assert_eq!(next_timestamp(u64::MAX, u64::MAX, skew), 1);
        assert_eq!(next_timestamp(u64::MAX, 5, skew), 5);
        assert_eq!(next_timestamp(0, 0, skew), 1);
    }

    #[test]
    fn threads_get_unique_timestamps() {
        let source = std::sync::Arc::new(InitiatorTimestamps::new());
        let now = 0xEA04_E300_0000_0000u64;
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let source = source.clone();
                std::thread::spawn(move || {
                    (0..1000)
                        .map(|_| source.next(now, DEFAULT_SKEW))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut all: Vec<u64> = handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), 4000);
        assert_eq!((all[0], all[3999]), (now, now + 3999));
    }
}

/// Model check with loom (`RUSTFLAGS="--cfg mikey_loom" cargo test --lib loom`, run by
/// scripts/test.sh): every interleaving of the compare-and-swap loops.
#[cfg(all(test, mikey_loom))]
mod loom_model {
    use super::*;
    use loom::sync::Arc;
    use loom::thread;

    const NOW: u64 = 0xEA04_E300_0000_0000;

    /// Two threads draw two timestamps each, one reading the clock a unit later than the
    /// other: all four are distinct, and each thread's increase.
    #[test]
    fn loom_initiator_timestamps_are_unique() {
        loom::model(|| {
            let source = Arc::new(InitiatorTimestamps::new());
            let handles: Vec<_> = [NOW, NOW + 1]
                .into_iter()
                .map(|now| {
                    let source = source.clone();
                    thread::spawn(move || {
                        let a = source.next(now, DEFAULT_SKEW);
                        let b = source.next(now, DEFAULT_SKEW);
                        assert!(b > a);
                        [a, b]
                    })
                })
                .collect();
            let mut all: Vec<u64> = handles
                .into_iter()
                .flat_map(|h| h.join().unwrap())
                .collect();
            all.sort_unstable();
            all.dedup();
            assert_eq!(all.len(), 4);
        });
    }
}
