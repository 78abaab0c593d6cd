//! The order of the I_MESSAGEs of one crypto session bundle (RFC 3830 §4.5, §5.4).
//!
//! RFC 3830 §4.5 re-keys a CSB with update messages carrying "a new timestamp", and §5.4
//! relies on timestamps against replay. The replay cache refuses a message seen before,
//! but not an *older* update that was never seen: if the Initiator sends updates u1 then
//! u2 and u2 arrives first, accepting u1 afterwards would put u1's keys back while the
//! Initiator holds u2's. So a Responder accepts an update only when its timestamp is newer
//! than that of the last I_MESSAGE it accepted for the CSB; the Initiator stamps each
//! update newer than the last one it sent where it can.

use crate::exchange::Error;
use crate::time::ntp_offset;
use crate::wire::{Timestamp, TsType};

/// True when `t` is strictly later than `last` (RFC 3830 §6.6). NTP-UTC and NTP are both
/// read as UTC and compared era-aware ([`ntp_offset`], §4.2.8); COUNTER values compare as
/// integers. Timestamps of other types, or of different kinds, cannot be ordered: false.
pub(crate) fn is_newer(t: &Timestamp, last: &Timestamp) -> bool {
    let ntp = |ty: TsType| matches!(ty, TsType::NtpUtc | TsType::Ntp);
    match (t.ts_type, last.ts_type) {
        (a, b) if ntp(a) && ntp(b) => ntp_offset(t.value, last.value) > 0,
        (TsType::Counter, TsType::Counter) => t.value > last.value,
        _ => false,
    }
}

/// The Responder's check of an update for a CSB whose last accepted I_MESSAGE carried
/// `last` (RFC 3830 §4.5, §5.4): [`Error::TimestampNotNewer`] unless `t` is newer.
pub(crate) fn check_update(t: &Timestamp, last: &Timestamp) -> Result<(), Error> {
    if is_newer(t, last) {
        Ok(())
    } else {
        Err(Error::TimestampNotNewer)
    }
}

/// The timestamp value of the Initiator's next update of a CSB whose last I_MESSAGE
/// carried `last`, given `next`, the config's next fresh value (RFC 3830 §4.5, §5.2).
/// `next` is used when it is newer than `last`. Otherwise (the clock was set back, or
/// the session was resumed in another process) the value one unit after `last` is used
/// when that is at most `max_ahead` NTP units ahead of `now` (a COUNTER has no clock and is
/// always moved past `last`), so the Responder can order it; failing that, `next` is used
/// as it is: a Responder that accepted `last` refuses it, and one whose clock agrees with
/// ours never accepted `last`.
pub(crate) fn update_timestamp(last: &Timestamp, next: Timestamp, now: u64, max_ahead: u64) -> u64 {
    if is_newer(&next, last) || next.ts_type != last.ts_type {
        return next.value;
    }
    let bumped = last.value.wrapping_add(1);
    match next.ts_type {
        TsType::Counter => bumped,
        _ if i128::from(ntp_offset(bumped, now)) <= i128::from(max_ahead) => bumped,
        _ => next.value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEC: u64 = 1 << 32;
    const NOW: u64 = 0xEA04_E300_0000_0000;

    fn ts(ts_type: TsType, value: u64) -> Timestamp {
        Timestamp { ts_type, value }
    }

    #[test]
    fn ntp_timestamps_order_across_the_2036_wrap() {
        let before = ts(TsType::NtpUtc, 0xFFFF_FFF6 * SEC);
        let after = ts(TsType::Ntp, 10 * SEC);
        assert!(is_newer(&after, &before));
        assert!(!is_newer(&before, &after));
        assert!(!is_newer(&before, &before), "equal is not newer");
        assert_eq!(
            check_update(&before, &before),
            Err(Error::TimestampNotNewer)
        );
        assert_eq!(check_update(&after, &before), Ok(()));
    }

    #[test]
    fn counters_order_as_integers_and_kinds_do_not_mix() {
        let c5 = ts(TsType::Counter, 5);
        assert!(is_newer(&ts(TsType::Counter, 6), &c5));
        assert!(!is_newer(&ts(TsType::Counter, 5), &c5));
        assert!(!is_newer(&ts(TsType::NtpUtc, NOW), &c5));
        assert!(!is_newer(&c5, &ts(TsType::NtpUtc, 1)));
        let short = ts(TsType::NtpUtc32, 7);
        assert!(!is_newer(&ts(TsType::NtpUtc32, 8), &short));
    }

    #[test]
    fn the_initiator_stamps_updates_past_the_last_one_within_the_skew() {
        let skew = 300 * SEC;
        let last = ts(TsType::NtpUtc, NOW + 10 * SEC);
        // The clock is ahead of the last update: it is used.
        let next = ts(TsType::NtpUtc, NOW + 20 * SEC);
        assert_eq!(
            update_timestamp(&last, next, NOW + 20 * SEC, skew),
            NOW + 20 * SEC
        );
        // The clock went back 10 s: one unit past the last one, 10 s ahead of the clock.
        let next = ts(TsType::NtpUtc, NOW);
        assert_eq!(update_timestamp(&last, next, NOW, skew), NOW + 10 * SEC + 1);
        // Back by more than the skew: the clock's value, which a Responder that accepted
        // the last update refuses.
        let next = ts(TsType::NtpUtc, NOW - 400 * SEC);
        assert_eq!(
            update_timestamp(&last, next, NOW - 400 * SEC, skew),
            next.value
        );
        // A COUNTER restarted by a resumed Initiator moves past the last one.
        let c9 = ts(TsType::Counter, 9);
        assert_eq!(update_timestamp(&c9, ts(TsType::Counter, 1), NOW, skew), 10);
        assert_eq!(
            update_timestamp(&c9, ts(TsType::Counter, 12), NOW, skew),
            12
        );
    }
}
