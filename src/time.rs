//! Time for MIKEY: 64-bit NTP timestamps (RFC 3830 §6.6), the clock they are read from,
//! and the clock-skew check of the Responder (§5.3, §5.4).
//!
//! NTP seconds wrap every 2^32 s (the next wrap is in February 2036); RFC 3830 §4.2.8:
//! an implementation "MUST be aware of (and take into account) the fact that the counter
//! will overflow approximately every 136th year". Differences are therefore taken
//! modulo 2^64 and read as signed, which is right whenever the two times are less than
//! 68 years apart.

use crate::wire::{Timestamp, TsType};
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Seconds from the NTP epoch (1900-01-01) to the Unix epoch (1970-01-01).
pub const NTP_UNIX_OFFSET: u64 = 2_208_988_800;

/// The default allowed clock skew. RFC 3830 §5.4 leaves it to local policy ("several
/// minutes to hours" for clients); 5 minutes here.
pub const DEFAULT_SKEW: Duration = Duration::from_secs(300);

/// A clock giving the current time as a 64-bit NTP timestamp: seconds since 1900-01-01
/// UTC in the high 32 bits, binary fraction in the low 32 bits (the value of an NTP-UTC T
/// payload, RFC 3830 §6.6).
pub trait Clock: Send + Sync + fmt::Debug {
    /// The current time.
    fn now_ntp(&self) -> u64;
}

/// The system clock (UTC).
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ntp(&self) -> u64 {
        ntp_from_system_time(SystemTime::now())
    }
}

/// A clock set by hand (tests, and the C API's injected clock). Thread-safe.
#[derive(Debug)]
pub struct ManualClock(AtomicU64);

impl ManualClock {
    /// A clock at `ntp`.
    pub fn new(ntp: u64) -> ManualClock {
        ManualClock(AtomicU64::new(ntp))
    }

    /// Sets the time.
    pub fn set(&self, ntp: u64) {
        self.0.store(ntp, Ordering::SeqCst);
    }

    /// Moves the time forward by `d`.
    pub fn advance(&self, d: Duration) {
        self.0.fetch_add(ntp_units(d), Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_ntp(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// `d` in NTP units (2^-32 s), saturating.
pub fn ntp_units(d: Duration) -> u64 {
    let units =
        (u128::from(d.as_secs()) << 32) + ((u128::from(d.subsec_nanos()) << 32) / 1_000_000_000);
    u64::try_from(units).unwrap_or(u64::MAX)
}

/// The NTP timestamp of a system time (modulo the NTP era).
pub fn ntp_from_system_time(t: SystemTime) -> u64 {
    let (secs, nanos) = match t.duration_since(UNIX_EPOCH) {
        Ok(d) => (d.as_secs() as i128, d.subsec_nanos()),
        Err(e) => {
            let d = e.duration();
            let mut secs = -(d.as_secs() as i128);
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

/// The system time of an NTP timestamp, choosing the NTP era closest to `reference`.
pub fn system_time_from_ntp(ntp: u64, reference: SystemTime) -> SystemTime {
    let offset = ntp_offset(ntp, ntp_from_system_time(reference));
    let nanos = (offset.unsigned_abs() as u128 * 1_000_000_000) >> 32;
    let d = Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX));
    if offset >= 0 {
        reference + d
    } else {
        reference - d
    }
}

/// `ts − now` in NTP units, taken modulo 2^64 and read as signed (era-aware: a timestamp
/// just after the 2036 wrap is later than a clock just before it).
pub fn ntp_offset(ts: u64, now: u64) -> i64 {
    ts.wrapping_sub(now) as i64
}

/// Why a timestamp was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimestampError {
    /// Further from the clock than the allowed skew; `offset_ms` is negative for a
    /// timestamp in the past.
    OutsideWindow {
        /// Timestamp minus clock, in milliseconds.
        offset_ms: i64,
    },
    /// A TS type this library does not check (its value is the codepoint).
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
/// clock skew").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Freshness {
    /// Allowed |timestamp − clock|, inclusive.
    pub skew: Duration,
}

impl Freshness {
    /// Checks `ts` against the clock value `now_ntp`. NTP-UTC and NTP are both read as
    /// UTC (RFC 3830 never says how they differ and RECOMMENDS UTC; DIGEST §7 item 15).
    /// COUNTER has no clock to compare with: it passes here and the replay cache requires
    /// it to increase. NTP-UTC-32 (RFC 6043) and unregistered types are refused.
    pub fn check(&self, ts: &Timestamp, now_ntp: u64) -> Result<(), TimestampError> {
        match ts.ts_type {
            TsType::NtpUtc | TsType::Ntp => {
                let offset = ntp_offset(ts.value, now_ntp);
                if offset.unsigned_abs() <= ntp_units(self.skew) {
                    Ok(())
                } else {
                    let offset_ms = ((i128::from(offset) * 1000) >> 32) as i64;
                    Err(TimestampError::OutsideWindow { offset_ms })
                }
            }
            TsType::Counter => Ok(()),
            other => Err(TimestampError::UnsupportedType(other.into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ntp(ts_type: TsType, value: u64) -> Timestamp {
        Timestamp { ts_type, value }
    }

    #[test]
    fn unix_epoch_and_a_known_date() {
        assert_eq!(ntp_from_system_time(UNIX_EPOCH), NTP_UNIX_OFFSET << 32);
        // 2024-06-01T00:00:00Z = Unix 1717200000 -> NTP seconds 0xEA04E300 (the bench
        // fixture's timestamp).
        let t = UNIX_EPOCH + Duration::from_secs(1_717_200_000);
        assert_eq!(ntp_from_system_time(t), 0xEA04_E300_0000_0000);
        let half = t + Duration::from_millis(500);
        assert_eq!(ntp_from_system_time(half), 0xEA04_E300_8000_0000);
        assert_eq!(system_time_from_ntp(0xEA04_E300_8000_0000, t), half);
    }

    #[test]
    fn the_2036_wrap() {
        // NTP era 1 starts at Unix 2085978496 (2036-02-07T06:28:16Z).
        let wrap = UNIX_EPOCH + Duration::from_secs(2_085_978_496);
        assert_eq!(ntp_from_system_time(wrap), 0);
        let before = ntp_from_system_time(wrap - Duration::from_secs(10));
        let after = ntp_from_system_time(wrap + Duration::from_secs(10));
        assert_eq!(before >> 32, 0xFFFF_FFF6);
        assert_eq!(after >> 32, 10);
        assert_eq!(ntp_offset(after, before), 20 << 32);
        assert_eq!(ntp_offset(before, after), -(20 << 32));
        // Era choice: the time closest to the reference.
        assert_eq!(
            system_time_from_ntp(after, wrap - Duration::from_secs(60)),
            wrap + Duration::from_secs(10)
        );
        let fresh = Freshness {
            skew: Duration::from_secs(30),
        };
        assert!(fresh.check(&ntp(TsType::NtpUtc, after), before).is_ok());
    }

    #[test]
    fn skew_boundary_is_inclusive() {
        let now = 0xEA04_E300_0000_0000u64;
        let f = Freshness {
            skew: Duration::from_secs(300),
        };
        let s = 300u64 << 32;
        assert!(f.check(&ntp(TsType::NtpUtc, now + s), now).is_ok());
        assert!(f.check(&ntp(TsType::Ntp, now - s), now).is_ok());
        assert_eq!(
            f.check(&ntp(TsType::NtpUtc, now + s + (1 << 32)), now),
            Err(TimestampError::OutsideWindow { offset_ms: 301_000 })
        );
        assert_eq!(
            f.check(&ntp(TsType::NtpUtc, now - s - (1 << 32)), now),
            Err(TimestampError::OutsideWindow {
                offset_ms: -301_000
            })
        );
        assert!(f.check(&ntp(TsType::Counter, 5), now).is_ok());
        assert_eq!(
            f.check(&ntp(TsType::NtpUtc32, now >> 32), now),
            Err(TimestampError::UnsupportedType(3))
        );
        assert_eq!(
            f.check(&ntp(TsType::Unknown(9), 0), now),
            Err(TimestampError::UnsupportedType(9))
        );
    }

    #[test]
    fn manual_clock_moves() {
        let c = ManualClock::new(1 << 32);
        c.advance(Duration::from_millis(1500));
        assert_eq!(c.now_ntp(), (1 << 32) + (1 << 32) + (1 << 31));
        c.set(7);
        assert_eq!(c.now_ntp(), 7);
        assert!(SystemClock.now_ntp() >> 32 > 0xEA00_0000);
    }
}
