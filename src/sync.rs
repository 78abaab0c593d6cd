//! The synchronisation primitives of the replay cache (RFC 3830 §5.4) and of the
//! Initiator's timestamp source (§5.2): the standard library's, or loom's when the crate
//! is built with `RUSTFLAGS="--cfg mikey_loom"` so that the loom model tests
//! (`scripts/test.sh`) can explore every interleaving of their operations.

#[cfg(mikey_loom)]
pub(crate) use loom::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
#[cfg(mikey_loom)]
pub(crate) use loom::sync::{Mutex, MutexGuard};
#[cfg(not(mikey_loom))]
pub(crate) use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
#[cfg(not(mikey_loom))]
pub(crate) use std::sync::{Mutex, MutexGuard};
