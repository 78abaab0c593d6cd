//! Retransmitted I_MESSAGEs (SIP and RTSP resend an offer whose answer was lost): the
//! Responder session that accepted an I_MESSAGE answers a byte-identical copy of it with
//! the same reply and changes nothing; every other replay is still refused (RFC 3830
//! §5.3, §5.4).

use mikey::exchange::Error;
use mikey::policy::SrtpProfile;
use mikey::session::{Config, ConfigBuilder, Event, Mode, Session, State, StreamSpec};
use mikey::time::ManualClock;
use std::sync::Arc;
use std::time::Duration;

const NOW: u64 = 0xEA04_E300_0000_0000;
const PSK: &[u8] = b"0123456789abcdef0123";

fn config(clock: &Arc<ManualClock>, f: impl FnOnce(ConfigBuilder) -> ConfigBuilder) -> Arc<Config> {
    let b = ConfigBuilder::new(Mode::Psk).psk(PSK).clock(clock.clone());
    Arc::new(f(b).build().unwrap())
}

const STREAM: [StreamSpec; 1] = [StreamSpec {
    ssrc: 0x1234,
    roc: 0,
    policy_no: 0,
}];

#[test]
fn a_copy_of_the_last_accepted_i_message_gets_the_same_reply_and_changes_nothing() {
    let c = Arc::new(ManualClock::new(NOW));
    let cr = config(&c, |b| b);
    let mut i = Session::initiator(config(&c, |b| b));
    let mut r = Session::responder(cr.clone());
    let init = i.initiate(&STREAM).unwrap();
    let first = r.process(&init).unwrap();
    assert_eq!(first.event, Event::KeysEstablished { update: false });
    let keys = r.crypto_sessions().to_vec();
    let cached = cr.replay_cache().len();
    c.advance(Duration::from_secs(2));
    let again = r.process(&init).unwrap();
    assert_eq!(again.event, Event::Retransmission);
    assert_eq!(again.reply, first.reply, "byte-identical reply");
    assert_eq!(r.crypto_sessions(), &keys[..], "no new keys");
    assert_eq!(cr.replay_cache().len(), cached, "nothing inserted again");
    // The Initiator takes the (identical) answer once; a second copy of it is out of
    // place after Verified and changes nothing.
    let v = again.reply.unwrap();
    assert_eq!(i.process(&v).unwrap().event, Event::Verified);
    assert_eq!(i.process(&v).unwrap_err().error, Error::WrongState);
    assert_eq!(i.state(), State::Established);
    // Any number of copies get the same answer.
    assert_eq!(r.process(&init).unwrap().reply, Some(v));
}

#[test]
fn only_the_session_that_accepted_it_answers() {
    let c = Arc::new(ManualClock::new(NOW));
    let cr = config(&c, |b| b);
    let mut i = Session::initiator(config(&c, |b| b));
    let init = i.initiate(&STREAM).unwrap();
    Session::responder(cr.clone()).process(&init).unwrap();
    let mut fresh = Session::responder(cr.clone());
    let f = fresh.process(&init).unwrap_err();
    assert_eq!((f.error, f.reply), (Error::Replayed, None));
    assert_eq!(fresh.state(), State::Idle);
    // A session that accepted another message does not answer it either.
    let mut other = Session::responder(cr);
    other
        .process(
            &Session::initiator(i.config().clone())
                .initiate(&STREAM)
                .unwrap(),
        )
        .unwrap();
    assert_eq!(other.process(&init).unwrap_err().error, Error::Replayed);
}

#[test]
fn after_an_update_only_the_update_is_answered_again() {
    let c = Arc::new(ManualClock::new(NOW));
    let mut i = Session::initiator(config(&c, |b| b));
    let mut r = Session::responder(config(&c, |b| b));
    let init = i.initiate(&STREAM).unwrap();
    i.process(&r.process(&init).unwrap().reply.unwrap())
        .unwrap();
    c.advance(Duration::from_secs(1));
    let update = i.rekey(&[]).unwrap();
    let answered = r.process(&update).unwrap();
    assert_eq!(answered.event, Event::KeysEstablished { update: true });
    let keys = r.crypto_sessions().to_vec();
    assert_eq!(r.process(&init).unwrap_err().error, Error::Replayed);
    let again = r.process(&update).unwrap();
    assert_eq!(
        (again.event, again.reply),
        (Event::Retransmission, answered.reply)
    );
    assert_eq!(r.crypto_sessions(), &keys[..]);
}

#[test]
fn without_a_verification_message_the_answer_is_empty() {
    let c = Arc::new(ManualClock::new(NOW));
    let mut i = Session::initiator(config(&c, |b| b.request_verification(false)));
    let mut r = Session::responder(config(&c, |b| b));
    let init = i.initiate(&STREAM).unwrap();
    assert_eq!(r.process(&init).unwrap().reply, None);
    let again = r.process(&init).unwrap();
    assert_eq!((again.event, again.reply), (Event::Retransmission, None));
}

/// A copy is recognised by every byte of the message: one flipped bit anywhere makes it
/// another message, refused like any other (here by the MAC or as a new CSB in an
/// established session), never answered with the cached reply.
#[test]
fn a_modified_copy_is_not_a_retransmission() {
    let c = Arc::new(ManualClock::new(NOW));
    let mut i = Session::initiator(config(&c, |b| b));
    let mut r = Session::responder(config(&c, |b| b));
    let init = i.initiate(&STREAM).unwrap();
    r.process(&init).unwrap();
    let keys = r.crypto_sessions().to_vec();
    for at in 0..init.len() {
        let mut bad = init.clone();
        bad[at] ^= 0x01;
        match r.process(&bad) {
            Err(_) => {}
            Ok(p) => panic!("byte {at} flipped: {:?}", p.event),
        }
        assert_eq!(r.crypto_sessions(), &keys[..]);
    }
}

/// The clock window applies to a retransmission as to any message (RFC 3830 §5.3): after
/// the skew it is discarded, with no reply.
#[test]
fn a_copy_outside_the_clock_skew_is_refused() {
    let c = Arc::new(ManualClock::new(NOW));
    let mut i = Session::initiator(config(&c, |b| b));
    let mut r = Session::responder(config(&c, |b| b.clock_skew(Duration::from_secs(60))));
    let init = i.initiate(&STREAM).unwrap();
    r.process(&init).unwrap();
    c.advance(Duration::from_secs(59));
    assert_eq!(r.process(&init).unwrap().event, Event::Retransmission);
    c.advance(Duration::from_secs(2));
    let f = r.process(&init).unwrap_err();
    assert!(matches!(f.error, Error::Timestamp(_)), "{f:?}");
    assert_eq!(f.reply, None);
    assert_eq!(r.state(), State::Established);
}

/// A refused I_MESSAGE was not accepted: its Error message is not kept, and a copy is
/// processed (and refused) again from scratch.
#[test]
fn a_refused_message_is_refused_again_not_answered_from_a_cache() {
    let c = Arc::new(ManualClock::new(NOW));
    let ci = config(&c, |b| b.offer(vec![SrtpProfile::Aes128CmSha1_32.policy()]));
    let cr = config(&c, |b| b.accept(vec![SrtpProfile::Aes128CmSha1_80]));
    let init = Session::initiator(ci).initiate(&STREAM).unwrap();
    let mut r = Session::responder(cr.clone());
    let first = r.process(&init).unwrap_err();
    assert_eq!(first.error, Error::UnsupportedPolicy);
    let again = r.process(&init).unwrap_err();
    assert_eq!(again.error, Error::UnsupportedPolicy);
    assert_eq!(r.state(), State::Idle);
    assert_eq!(cr.replay_cache().len(), 0);
}
