//! CSB ID collisions (RFC 3830 §6.1: "An Initiator MUST check for collisions when choosing
//! the ID"): the CSB IDs of one config's live Initiator sessions never repeat, a drawn ID
//! that collides is drawn again, a fixed or resumed one that collides is refused, and an ID
//! is free again once its session is dropped.

use mikey::exchange::Error;
use mikey::rng::{Rng, RngError};
use mikey::session::{Config, ConfigBuilder, InitInputs, Mode, Session, State, StreamSpec};
use mikey::time::ManualClock;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

const NOW: u64 = 0xEA04_E300_0000_0000;
const STREAM: [StreamSpec; 1] = [StreamSpec {
    ssrc: 1,
    roc: 0,
    policy_no: 0,
}];

/// Fills every call below `repeat` with the same bytes (`fill_byte`), later calls with a
/// counter, so the first draws of two sessions collide.
#[derive(Debug)]
struct RepeatingRng {
    calls: AtomicUsize,
    repeat: usize,
    fill_byte: u8,
}

impl RepeatingRng {
    fn new(repeat: usize, fill_byte: u8) -> Arc<RepeatingRng> {
        Arc::new(RepeatingRng {
            calls: AtomicUsize::new(0),
            repeat,
            fill_byte,
        })
    }
}

impl Rng for RepeatingRng {
    fn fill(&self, out: &mut [u8]) -> Result<(), RngError> {
        let call = self.calls.fetch_add(1, Ordering::Relaxed);
        for (i, b) in out.iter_mut().enumerate() {
            *b = if call < self.repeat {
                self.fill_byte
            } else {
                (call * 31 + i) as u8
            };
        }
        Ok(())
    }
}

fn config(rng: Option<Arc<dyn Rng>>) -> Arc<Config> {
    let mut b = ConfigBuilder::new(Mode::Psk)
        .psk(b"0123456789abcdef0123")
        .clock(Arc::new(ManualClock::new(NOW)));
    if let Some(rng) = rng {
        b = b.rng(rng);
    }
    Arc::new(b.build().unwrap())
}

#[test]
fn a_drawn_id_that_collides_is_drawn_again() {
    // Both sessions' first draw is the same; the second session draws its ID again.
    let c = config(Some(RepeatingRng::new(2, 0x5A)));
    let mut a = Session::initiator(c.clone());
    let mut b = Session::initiator(c.clone());
    a.initiate(&STREAM).unwrap();
    b.initiate(&STREAM).unwrap();
    assert_eq!(a.csb_id(), Some(0x5A5A_5A5A));
    assert_ne!(b.csb_id(), a.csb_id());
    assert!(b.csb_id().is_some());
}

#[test]
fn a_source_that_keeps_colliding_is_an_rng_failure_not_a_hang() {
    let c = config(Some(RepeatingRng::new(usize::MAX, 0x33)));
    let mut a = Session::initiator(c.clone());
    a.initiate(&STREAM).unwrap();
    let mut b = Session::initiator(c.clone());
    assert_eq!(b.initiate(&STREAM).unwrap_err(), Error::Rng);
    assert_eq!(b.state(), State::Idle);
    // Once the holder is gone the same draw is free.
    drop(a);
    b.initiate(&STREAM).unwrap();
    assert_eq!(b.csb_id(), Some(0x3333_3333));
}

/// A source that only ever gives zero bytes (the CSB ID must not be 0) is reported, not
/// redrawn forever.
#[test]
fn a_source_of_zeros_is_an_rng_failure_not_a_hang() {
    let c = config(Some(RepeatingRng::new(usize::MAX, 0)));
    let mut a = Session::initiator(c);
    assert_eq!(a.initiate(&STREAM).unwrap_err(), Error::Rng);
    assert_eq!(a.state(), State::Idle);
}

#[test]
fn a_fixed_id_in_use_is_refused_until_its_session_is_dropped() {
    let c = config(None);
    let fixed = InitInputs {
        csb_id: Some(0x0102_0304),
        ..InitInputs::default()
    };
    let mut a = Session::initiator(c.clone());
    a.initiate_with(&STREAM, &fixed).unwrap();
    let mut b = Session::initiator(c.clone());
    assert_eq!(
        b.initiate_with(&STREAM, &fixed).unwrap_err(),
        Error::CsbIdInUse
    );
    assert_eq!(b.state(), State::Idle);
    // A re-key keeps the session's own ID: no collision with itself.
    a.rekey(&[]).unwrap();
    assert_eq!(a.csb_id(), Some(0x0102_0304));
    // Another config has its own sessions.
    Session::initiator(config(None))
        .initiate_with(&STREAM, &fixed)
        .unwrap();
    drop(a);
    b.initiate_with(&STREAM, &fixed).unwrap();
    assert_eq!(b.csb_id(), Some(0x0102_0304));
}

#[test]
fn many_live_sessions_have_distinct_ids() {
    let c = config(None);
    let sessions: Vec<Session> = (0..200)
        .map(|_| {
            let mut s = Session::initiator(c.clone());
            s.initiate(&STREAM).unwrap();
            s
        })
        .collect();
    let ids: std::collections::HashSet<u32> =
        sessions.iter().map(|s| s.csb_id().unwrap()).collect();
    assert_eq!(ids.len(), sessions.len());
}

/// The CSB ID is the Initiator's: a Responder registers none, so two Initiators that
/// happen to choose the same one are both served by one Responder config.
#[test]
fn responders_do_not_check_ids() {
    let cr = config(None);
    let fixed = InitInputs {
        csb_id: Some(77),
        ..InitInputs::default()
    };
    for _ in 0..2 {
        let init = Session::initiator(config(None))
            .initiate_with(&STREAM, &fixed)
            .unwrap();
        let mut r = Session::responder(cr.clone());
        r.process(&init).unwrap();
        assert_eq!(r.csb_id(), Some(77));
    }
}
