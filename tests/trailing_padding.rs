//! Trailing padding (`ConfigBuilder::accept_trailing_padding`): RFC 3830 §6 defines none,
//! Milestone XProtect sends one zero byte after its I_MESSAGE. Off by default; when on,
//! the padding is removed before anything else, so it never enters the MAC (§5.2) and a
//! padded copy is the same message to the replay cache (§5.4).

use mikey::exchange::Error;
use mikey::session::{Config, ConfigBuilder, Event, Mode, Session, State, StreamSpec};
use mikey::time::ManualClock;
use mikey::wire::{ErrorKind, ParseError};
use std::sync::Arc;

const NOW: u64 = 0xEA04_E300_0000_0000;
const STREAM: [StreamSpec; 1] = [StreamSpec {
    ssrc: 9,
    roc: 0,
    policy_no: 0,
}];

fn config(
    clock: &Arc<ManualClock>,
    mode: Mode,
    f: impl FnOnce(ConfigBuilder) -> ConfigBuilder,
) -> Arc<Config> {
    let mut b = ConfigBuilder::new(mode).clock(clock.clone());
    if mode == Mode::Psk {
        b = b.psk(b"0123456789abcdef0123");
    }
    Arc::new(f(b).build().unwrap())
}

fn padded(message: &[u8], pad: &[u8]) -> Vec<u8> {
    [message, pad].concat()
}

fn trailing(offset: usize, count: usize) -> Error {
    Error::Parse(ParseError::new(offset, ErrorKind::TrailingBytes { count }))
}

#[test]
fn off_by_default_and_bounded() {
    let c = Arc::new(ManualClock::new(NOW));
    let init = Session::initiator(config(&c, Mode::Psk, |b| b))
        .initiate(&STREAM)
        .unwrap();
    let f = Session::responder(config(&c, Mode::Psk, |b| b))
        .process(&padded(&init, &[0]))
        .unwrap_err();
    assert_eq!((f.error, f.reply), (trailing(init.len(), 1), None));
    let cr = config(&c, Mode::Psk, |b| b.accept_trailing_padding(1));
    for pad in [&[0, 0][..], &[1], &[0x80]] {
        let f = Session::responder(cr.clone())
            .process(&padded(&init, pad))
            .unwrap_err();
        assert_eq!(f.error, trailing(init.len(), pad.len()), "{pad:?}");
    }
    let too_much = ConfigBuilder::new(Mode::Psk)
        .psk(b"k")
        .accept_trailing_padding(17)
        .build();
    assert!(too_much.is_err());
}

/// The Milestone XProtect case: a NULL-mode I_MESSAGE and one zero byte. Also PSK, with
/// up to the configured number of zero bytes; the keys are those of the message.
#[test]
fn a_padded_i_message_is_accepted_when_configured() {
    let c = Arc::new(ManualClock::new(NOW));
    for (mode, pad) in [(Mode::Null, 1), (Mode::Psk, 1), (Mode::Psk, 16)] {
        let mut i = Session::initiator(config(&c, mode, |b| b.request_verification(true)));
        let init = i.initiate(&STREAM).unwrap();
        let cr = config(&c, mode, |b| b.accept_trailing_padding(pad));
        let mut r = Session::responder(cr);
        let done = r.process(&padded(&init, &vec![0; pad])).unwrap();
        assert_eq!(done.event, Event::KeysEstablished { update: false });
        // The answer, padded too, verifies at an Initiator that accepts padding.
        let mut i_padding = Session::resume_initiator(
            config(&c, mode, |b| {
                b.request_verification(true).accept_trailing_padding(pad)
            }),
            &init,
        )
        .unwrap();
        let v = padded(&done.reply.unwrap(), &vec![0; pad]);
        assert_eq!(i_padding.process(&v).unwrap().event, Event::Verified);
        assert_eq!(i_padding.crypto_sessions(), r.crypto_sessions());
        // Without the option the padded answer is refused and nothing changes.
        assert_eq!(
            i.process(&v).unwrap_err().error,
            trailing(v.len() - pad, pad)
        );
        assert_eq!(i.state(), State::AwaitingVerification);
        c.advance(std::time::Duration::from_secs(1));
    }
}

/// The replay key is over the message without its padding: a padded copy of an accepted
/// message is a retransmission to the session that accepted it and a replay to any other,
/// whichever of the two copies came first.
#[test]
fn a_padded_copy_is_the_same_message() {
    let c = Arc::new(ManualClock::new(NOW));
    let cr = config(&c, Mode::Psk, |b| b.accept_trailing_padding(4));
    let ci = config(&c, Mode::Psk, |b| b);
    for pad_first in [false, true] {
        let init = Session::initiator(ci.clone()).initiate(&STREAM).unwrap();
        let pad = padded(&init, &[0, 0, 0]);
        let (first, second) = if pad_first {
            (&pad, &init)
        } else {
            (&init, &pad)
        };
        let mut r = Session::responder(cr.clone());
        let answered = r.process(first).unwrap();
        let cached = cr.replay_cache().len();
        let again = r.process(second).unwrap();
        assert_eq!(
            (again.event, again.reply),
            (Event::Retransmission, answered.reply)
        );
        assert_eq!(cr.replay_cache().len(), cached);
        for copy in [first, second, &padded(&init, &[0])] {
            let f = Session::responder(cr.clone()).process(copy).unwrap_err();
            assert_eq!(f.error, Error::Replayed);
        }
    }
}

/// Padding cannot carry authenticated content away: moving the end of a message into the
/// padding (dropping its last k bytes and appending k zero bytes) is never accepted unless
/// it leaves the bytes unchanged, and every bit flip of a padded message is refused.
#[test]
fn padding_never_changes_what_is_authenticated() {
    let c = Arc::new(ManualClock::new(NOW));
    let cr = config(&c, Mode::Psk, |b| b.accept_trailing_padding(16));
    let init = Session::initiator(config(&c, Mode::Psk, |b| b))
        .initiate(&STREAM)
        .unwrap();
    for k in 1..=16 {
        let shifted = padded(&init[..init.len() - k], &vec![0; k]);
        if shifted == init {
            continue;
        }
        let mut r = Session::responder(cr.clone());
        assert!(
            r.process(&shifted).is_err(),
            "last {k} bytes moved into padding"
        );
        assert_eq!(r.state(), State::Idle);
    }
    let pad = padded(&init, &[0, 0]);
    for bit in 0..pad.len() * 8 {
        let mut bad = pad.clone();
        bad[bit / 8] ^= 1 << (bit % 8);
        let mut r = Session::responder(cr.clone());
        assert!(r.process(&bad).is_err(), "bit {bit}");
        assert_eq!(r.state(), State::Idle);
    }
    assert_eq!(cr.replay_cache().len(), 0);
}
