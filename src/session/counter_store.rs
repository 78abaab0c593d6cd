//! COUNTER timestamps that survive a restart (RFC 3830 §6.6 TS type COUNTER; §5.4:
//! "all messages from the Initiator MUST use a unique timestamp", and a replay is
//! discarded). A broadcast key server without a reliable clock (MBMS, RFC 4563 §1; 3GPP TS
//! 33.246) numbers its pushed I_MESSAGEs, and its receivers accept each number once: both
//! must remember the last number after a restart, so the application persists it through
//! a callback, and the library refuses to send or accept a message whose number it could
//! not persist.

use super::Role;
use crate::exchange::Error;
use std::sync::{Arc, Mutex};

/// The application's persistence of COUNTER values: called with the role (Initiator: a
/// value about to be sent; Responder: a value about to be accepted) and the value; it
/// returns `true` once the value is stored durably. Called with a lock held, so values
/// of one config arrive in increasing order per role, and on the thread making the call.
pub type CounterPersist = Arc<dyn Fn(Role, u32) -> bool + Send + Sync>;

/// The last COUNTER values of a config, per role, and their persistence.
pub(crate) struct CounterStore {
    last: Mutex<Last>,
    persist: CounterPersist,
}

#[derive(Clone, Copy)]
struct Last {
    sent: u32,
    accepted: u32,
}

impl CounterStore {
    /// A store starting from the values persisted before (0 for a new one).
    pub(crate) fn new(last_sent: u32, last_accepted: u32, persist: CounterPersist) -> Self {
        CounterStore {
            last: Mutex::new(Last {
                sent: last_sent,
                accepted: last_accepted,
            }),
            persist,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Last> {
        self.last.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The next value to send: one above the last one, persisted first. After 2^32 - 1
    /// messages the counter is spent ([`Error::Config`]): a new key must be distributed
    /// another way.
    pub(crate) fn next_sent(&self) -> Result<u32, Error> {
        let mut last = self.lock();
        let next = last
            .sent
            .checked_add(1)
            .ok_or(Error::Config("the COUNTER timestamps are spent"))?;
        if !(self.persist)(Role::Initiator, next) {
            return Err(Error::CounterStore);
        }
        last.sent = next;
        Ok(next)
    }

    /// Whether a received value is above the last one accepted (a check before
    /// authentication; [`CounterStore::accept`] decides).
    pub(crate) fn check(&self, value: u64) -> Result<(), Error> {
        if value <= u64::from(self.lock().accepted) {
            return Err(Error::Replayed);
        }
        Ok(())
    }

    /// Accepts a received value: above the last one accepted, and persisted.
    pub(crate) fn accept(&self, value: u64) -> Result<(), Error> {
        let mut last = self.lock();
        let value = u32::try_from(value).map_err(|_| Error::Replayed)?;
        if value <= last.accepted {
            return Err(Error::Replayed);
        }
        if !(self.persist)(Role::Responder, value) {
            return Err(Error::CounterStore);
        }
        last.accepted = value;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};

    type Log = Arc<Mutex<Vec<(Role, u32)>>>;

    fn recording() -> (CounterPersist, Log, Arc<AtomicBool>) {
        let log = Arc::new(Mutex::new(Vec::new()));
        let ok = Arc::new(AtomicBool::new(true));
        let (l, o) = (Arc::clone(&log), Arc::clone(&ok));
        let persist: CounterPersist = Arc::new(move |role, v| {
            l.lock().unwrap().push((role, v));
            o.load(Ordering::SeqCst)
        });
        (persist, log, ok)
    }

    #[test]
    fn sent_values_continue_from_the_persisted_one() {
        let (persist, log, ok) = recording();
        let s = CounterStore::new(41, 0, persist);
        assert_eq!(s.next_sent(), Ok(42));
        assert_eq!(s.next_sent(), Ok(43));
        ok.store(false, Ordering::SeqCst);
        assert_eq!(s.next_sent(), Err(Error::CounterStore));
        ok.store(true, Ordering::SeqCst);
        // The failed value was not taken: it is offered again.
        assert_eq!(s.next_sent(), Ok(44));
        assert_eq!(
            *log.lock().unwrap(),
            [
                (Role::Initiator, 42),
                (Role::Initiator, 43),
                (Role::Initiator, 44),
                (Role::Initiator, 44)
            ]
        );
        let (persist, _, _) = recording();
        let spent = CounterStore::new(u32::MAX, 0, persist);
        assert!(matches!(spent.next_sent(), Err(Error::Config(_))));
    }

    #[test]
    fn accepted_values_must_increase_and_be_persisted() {
        let (persist, log, ok) = recording();
        let s = CounterStore::new(0, 10, persist);
        assert_eq!(s.check(10), Err(Error::Replayed));
        assert_eq!(s.accept(10), Err(Error::Replayed));
        assert_eq!(s.check(11), Ok(()));
        ok.store(false, Ordering::SeqCst);
        assert_eq!(s.accept(12), Err(Error::CounterStore));
        ok.store(true, Ordering::SeqCst);
        assert_eq!(s.accept(12), Ok(()));
        assert_eq!(s.accept(11), Err(Error::Replayed));
        assert_eq!(s.accept(u64::from(u32::MAX) + 1), Err(Error::Replayed));
        assert_eq!(
            *log.lock().unwrap(),
            [(Role::Responder, 12), (Role::Responder, 12)]
        );
    }
}
