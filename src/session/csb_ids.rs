//! The CSB IDs of an Initiator configuration's live sessions, so that a new one never
//! collides with one in use (RFC 3830 §6.1: "An Initiator MUST check for collisions when
//! choosing the ID (if the Initiator already has one or more established CSBs with the
//! Responder)").
//!
//! A config may talk to many Responders; its registry spans them all, which is stricter
//! than the per-Responder uniqueness §6.1 asks for and needs no notion of who the
//! Responder is. A Responder registers nothing: the CSB ID is the Initiator's choice, and
//! sessions with different Initiators may legitimately share one.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, MutexGuard};

/// The live CSB IDs of one configuration. Safe across threads.
#[derive(Debug, Default)]
pub(crate) struct CsbIds {
    live: Mutex<HashSet<u32>>,
}

/// A CSB ID held by one session (or by an I_MESSAGE built but not yet installed); released
/// when dropped.
#[derive(Debug)]
pub(crate) struct CsbIdLease {
    ids: Arc<CsbIds>,
    id: u32,
}

impl CsbIds {
    /// Takes `id` unless a live session holds it.
    pub(crate) fn claim(self: &Arc<Self>, id: u32) -> Option<CsbIdLease> {
        self.lock().insert(id).then(|| CsbIdLease {
            ids: Arc::clone(self),
            id,
        })
    }

    /// How many IDs are held.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> MutexGuard<'_, HashSet<u32>> {
        // The set is consistent after every statement, so a panic elsewhere while it was
        // held leaves nothing half done.
        self.live.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for CsbIdLease {
    fn drop(&mut self) {
        self.ids.lock().remove(&self.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_held_until_its_lease_is_dropped() {
        let ids = Arc::new(CsbIds::default());
        let a = ids.claim(7).unwrap();
        assert!(ids.claim(7).is_none());
        let b = ids.claim(8).unwrap();
        assert_eq!(ids.len(), 2);
        drop(a);
        assert_eq!(ids.len(), 1);
        let again = ids.claim(7).unwrap();
        drop((b, again));
        assert_eq!(ids.len(), 0);
    }
}
