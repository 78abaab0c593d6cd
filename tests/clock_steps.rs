//! Wall-clock steps and the replay cache through sessions (RFC 3830 §5.2, §5.3, §5.4):
//! a Responder whose clock was stepped forward and corrected accepts fresh messages at
//! once and still refuses replays; an Initiator whose clock was corrected stamps messages
//! within the window again; one `process` call removes a bounded number of expired
//! replay-cache entries however many expired together.

use mikey::exchange::Error;
use mikey::replay::EXPIRE_BATCH;
use mikey::session::{Config, ConfigBuilder, Mode, Session, StreamSpec};
use mikey::time::{Clock, ManualClock};
use mikey::wire::Message;
use std::sync::Arc;
use std::time::Duration;

const NOW: u64 = 0xEA04_E300_0000_0000;
const SEC: u64 = 1 << 32;
const DAY: u64 = 86_400 * SEC;
const PSK: &[u8] = b"0123456789abcdef0123";

fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(NOW))
}

/// A PSK config with the default 5-minute skew on `clock`.
fn config(clock: &Arc<ManualClock>) -> Arc<Config> {
    let b = ConfigBuilder::new(Mode::Psk)
        .psk(PSK)
        .clock(clock.clone())
        .replay_capacity(1000);
    Arc::new(b.build().unwrap())
}

/// A new I_MESSAGE from a new Initiator session of `ci`.
fn initiate(ci: &Arc<Config>) -> Vec<u8> {
    let stream = [StreamSpec {
        ssrc: 0x1234,
        roc: 0,
        policy_no: 0,
    }];
    Session::initiator(ci.clone()).initiate(&stream).unwrap()
}

/// What a new Responder session of `cr` makes of `message`.
fn respond(cr: &Arc<Config>, message: &[u8]) -> Result<(), Error> {
    Session::responder(cr.clone())
        .process(message)
        .map(|_| ())
        .map_err(|f| f.error)
}

fn timestamp(message: &[u8]) -> u64 {
    Message::parse(message).unwrap().timestamp().unwrap().value
}

fn pass(clocks: &[&Arc<ManualClock>], d: Duration) {
    for c in clocks {
        c.advance(d);
    }
}

/// Issue 9 defect 6, Responder side: its clock is stepped a day ahead, during which it
/// accepts a message from an Initiator that follows the same wrong time, and is then
/// corrected. Messages stamped with the right time are accepted at once (before the fix
/// every one was refused as replayed until the clock caught up a day later), and every
/// replay is refused.
#[test]
fn a_corrected_responder_clock_accepts_fresh_messages_at_once() {
    let (right, wrong, rc) = (clock(), clock(), clock());
    let (ci, cwrong, cr) = (config(&right), config(&wrong), config(&rc));
    let first = initiate(&ci);
    respond(&cr, &first).unwrap();
    pass(&[&right, &wrong, &rc], Duration::from_secs(10));
    wrong.set(wrong.now_ntp() + DAY);
    rc.set(rc.now_ntp() + DAY);
    let refused = respond(&cr, &initiate(&ci)).unwrap_err();
    assert!(matches!(refused, Error::Timestamp(_)), "{refused:?}");
    let ahead = initiate(&cwrong);
    respond(&cr, &ahead).unwrap();
    pass(&[&right, &wrong, &rc], Duration::from_secs(10));
    rc.set(rc.now_ntp() - DAY);
    assert_eq!(rc.now_ntp(), right.now_ntp());
    let fresh = initiate(&ci);
    assert_eq!(respond(&cr, &fresh), Ok(()));
    for replay in [&first, &fresh] {
        assert_eq!(respond(&cr, replay), Err(Error::Replayed));
    }
    // Once the entries have expired (5 minutes on the monotonic clock), the one stamped a
    // day ahead does not hold up fresh messages either.
    pass(&[&right, &wrong, &rc], Duration::from_secs(301));
    assert_eq!(respond(&cr, &initiate(&ci)), Ok(()));
    assert_eq!(respond(&cr, &initiate(&ci)), Ok(()));
    let late = respond(&cr, &fresh).unwrap_err();
    assert!(matches!(late, Error::Timestamp(_)), "{late:?}");
}

/// Issue 9 defect 6, Initiator side: after its clock was a day ahead and is corrected,
/// its timestamps follow the clock again (before the fix it kept issuing the last one
/// plus one, outside every correct Responder's window), and they stay unique.
#[test]
fn a_corrected_initiator_clock_stamps_messages_inside_the_window() {
    let (ic, rc) = (clock(), clock());
    let (ci, cr) = (config(&ic), config(&rc));
    respond(&cr, &initiate(&ci)).unwrap();
    ic.set(NOW + DAY);
    let ahead = initiate(&ci);
    assert_eq!(timestamp(&ahead), NOW + DAY);
    pass(&[&ic, &rc], Duration::from_secs(1));
    ic.set(rc.now_ntp());
    let (a, b) = (initiate(&ci), initiate(&ci));
    assert_eq!(timestamp(&a), rc.now_ntp());
    assert_eq!(
        timestamp(&b),
        rc.now_ntp() + 1,
        "unique: one NTP unit later"
    );
    assert_eq!(respond(&cr, &a), Ok(()));
    assert_eq!(respond(&cr, &b), Ok(()));
    // A step back within the skew keeps timestamps increasing.
    ic.set(rc.now_ntp() - 10 * SEC);
    assert_eq!(timestamp(&initiate(&ci)), rc.now_ntp() + 2);
}

/// Issue 9 defect 7: when many replay-cache entries expire together, one `process` call
/// removes at most `EXPIRE_BATCH` of them in its early check and as many in its insert
/// (before the fix it removed them all under the cache lock, however many); later calls
/// remove the rest.
#[test]
fn one_process_call_removes_a_bounded_number_of_expired_entries() {
    const N: usize = 3 * EXPIRE_BATCH + 5;
    let (ic, rc) = (clock(), clock());
    let (ci, cr) = (config(&ic), config(&rc));
    for _ in 0..N {
        respond(&cr, &initiate(&ci)).unwrap();
    }
    assert_eq!(cr.replay_cache().len(), N);
    pass(&[&ic, &rc], Duration::from_secs(301));
    respond(&cr, &initiate(&ci)).unwrap();
    assert_eq!(cr.replay_cache().len(), N - 2 * EXPIRE_BATCH + 1);
    respond(&cr, &initiate(&ci)).unwrap();
    assert_eq!(
        cr.replay_cache().len(),
        2,
        "the rest expired, two fresh entries"
    );
}
