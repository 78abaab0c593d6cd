//! DH-SIGN exchanges end to end through the Rust API (RFC 3830 §3.3, §4.2.7, §4.5, §5.2,
//! §6.4), with certificates made by the openssl tool at run time: both sides derive the same
//! keys in every OAKLEY group, and each way a message can be wrong is refused with its own
//! error and the session unchanged.

mod pki;

use pki::{clock, uri};

use mikey::crypto::dh::{DhError, FfdhGroup};
use mikey::exchange::Error;
use mikey::policy::SrtpProfile;
use mikey::rng::{Rng, RngError};
use mikey::session::{Config, ConfigBuilder, Event, Mode, Session, State, StreamSpec};
use mikey::time::ManualClock;
use mikey::wire::{DataType, ErrorNo, Message, Payload};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// `who`'s DH-SIGN config: key, certificate, the test CA, its identity and the `peer`'s,
/// if any.
fn config(
    clock: &Arc<ManualClock>,
    who: &str,
    peer: Option<&str>,
    f: impl FnOnce(ConfigBuilder) -> ConfigBuilder,
) -> Arc<Config> {
    let mut b = ConfigBuilder::new(Mode::DhSign)
        .private_key(pki::key(who))
        .certificate_chain(vec![pki::cert(who)])
        .trust_anchors(pki::anchors("ca"))
        .local_identity(uri(&format!("sip:{who}@example.com")))
        .clock(clock.clone());
    if let Some(peer) = peer {
        b = b.peer_identity(uri(&format!("sip:{peer}@example.com")));
    }
    Arc::new(f(b).build().unwrap())
}

fn alice(c: &Arc<ManualClock>, f: impl FnOnce(ConfigBuilder) -> ConfigBuilder) -> Arc<Config> {
    config(c, "alice", Some("bob"), f)
}

fn bob(c: &Arc<ManualClock>, f: impl FnOnce(ConfigBuilder) -> ConfigBuilder) -> Arc<Config> {
    config(c, "bob", Some("alice"), f)
}

const STREAMS: [StreamSpec; 2] = [
    StreamSpec {
        ssrc: 0xA1,
        roc: 0,
        policy_no: 0,
    },
    StreamSpec {
        ssrc: 0xA2,
        roc: 7,
        policy_no: 0,
    },
];

fn kinds(bytes: &[u8]) -> Vec<&'static str> {
    Message::parse(bytes)
        .unwrap()
        .payloads
        .iter()
        .map(|p| match p {
            Payload::Timestamp(_) => "T",
            Payload::Rand(_) => "RAND",
            Payload::Cert(_) => "CERT",
            Payload::Id(_) => "ID",
            Payload::SecurityPolicy(_) => "SP",
            Payload::Dh(_) => "DH",
            Payload::Sign(_) => "SIGN",
            _ => "other",
        })
        .collect()
}

/// I_MESSAGE, R_MESSAGE: both sides keyed alike. Returns the sessions and both messages.
fn exchange(ci: Arc<Config>, cr: Arc<Config>) -> (Session, Session, Vec<u8>, Vec<u8>) {
    let mut i = Session::initiator(ci);
    let mut r = Session::responder(cr);
    let init = i.initiate(&STREAMS).unwrap();
    assert_eq!(i.state(), State::AwaitingKeys);
    assert!(i.crypto_sessions().is_empty(), "the TGK needs DHr");
    let done = r.process(&init).unwrap();
    assert_eq!(done.event, Event::KeysEstablished { update: false });
    let answer = done
        .reply
        .expect("RFC 3830 §3.3: the R_MESSAGE carries DHr");
    assert_eq!(
        Message::parse(&answer).unwrap().header.data_type,
        DataType::DhResp
    );
    assert_eq!(
        i.process(&answer).unwrap().event,
        Event::KeysEstablished { update: false }
    );
    assert_eq!(i.state(), State::Established);
    assert_eq!(i.crypto_sessions(), r.crypto_sessions());
    assert_eq!(i.crypto_sessions().len(), 2);
    (i, r, init, answer)
}

#[test]
fn dh_sign_agrees_on_keys_in_every_group() {
    let c = clock();
    for group in [FfdhGroup::Oakley5, FfdhGroup::Oakley1, FfdhGroup::Oakley2] {
        let (_, _, init, answer) = exchange(
            alice(&c, |b| b.dh_group(group)),
            bob(&c, |b| b.dh_group(group)),
        );
        // RFC 3830 §3.3: HDR, T, RAND, CERTi, IDr, SP, DHi, SIGNi and
        // HDR, T, CERTr, IDi, DHr, DHi, SIGNr.
        assert_eq!(
            kinds(&init),
            ["T", "RAND", "CERT", "ID", "SP", "DH", "SIGN"]
        );
        assert_eq!(kinds(&answer), ["T", "CERT", "ID", "DH", "DH", "SIGN"]);
        let m = Message::parse(&init).unwrap();
        let Some(Payload::Dh(dh)) = m.payloads.iter().find(|p| matches!(p, Payload::Dh(_))) else {
            panic!("no DHi")
        };
        assert_eq!(u8::from(dh.group), group.codepoint());
        assert_eq!(dh.value.len(), group.value_len());
    }
}

/// Processes `bytes` at a fresh Responder of `cr`, which refuses it with `error` and stays
/// idle; returns the Error message sent back, if any.
fn refused(cr: Arc<Config>, bytes: &[u8], error: Error) -> Option<Vec<u8>> {
    let mut r = Session::responder(cr);
    let f = r.process(bytes).unwrap_err();
    assert_eq!(f.error, error);
    assert_eq!(r.state(), State::Idle);
    f.reply
}

fn error_nos(reply: &[u8]) -> Vec<ErrorNo> {
    Message::parse(reply).unwrap().error_nos()
}

/// `message` with its DH payload number `which` (0 first) given `value`, signed again by
/// `who`.
fn with_dh_value(message: &[u8], which: usize, value: Vec<u8>, who: &str) -> Vec<u8> {
    pki::resign(&pki::with_dh_value(message, which, value), who)
}

#[test]
fn out_of_range_dh_values_are_refused_with_error_6() {
    let c = clock();
    let group = FfdhGroup::Oakley1;
    let init = Session::initiator(alice(&c, |b| b.dh_group(group)))
        .initiate(&STREAMS)
        .unwrap();
    let n = group.value_len();
    let p = group.prime();
    let mut p_minus_1 = p.clone();
    p_minus_1[n - 1] -= 1;
    let mut one = vec![0u8; n];
    one[n - 1] = 1;
    for bad in [vec![0u8; n], one, p_minus_1, p.clone(), vec![0xFF; n]] {
        let edited = with_dh_value(&init, 0, bad, "alice");
        let reply = refused(
            bob(&c, |b| b.dh_group(group)),
            &edited,
            Error::Dh(DhError::OutOfRange),
        )
        .expect("an Error message");
        assert_eq!(error_nos(&reply), [ErrorNo::InvalidDh]);
    }
    // A value of another length cannot even be written: the group fixes it (RFC 3830
    // §6.4), so the parser reads the group's length and the rest is misplaced.
}

#[test]
fn another_group_is_refused_with_error_6() {
    let c = clock();
    let init = Session::initiator(alice(&c, |b| b.dh_group(FfdhGroup::Oakley2)))
        .initiate(&STREAMS)
        .unwrap();
    let reply = refused(bob(&c, |b| b), &init, Error::UnsupportedDhGroup).unwrap();
    assert_eq!(error_nos(&reply), [ErrorNo::InvalidDh]);
}

#[test]
fn tampered_messages_are_refused_and_the_sessions_unchanged() {
    let c = clock();
    let ci = alice(&c, |b| b.dh_group(FfdhGroup::Oakley1));
    let cr = bob(&c, |b| b.dh_group(FfdhGroup::Oakley1));
    let mut i = Session::initiator(ci);
    let init = i.initiate(&STREAMS).unwrap();
    // A flipped bit in DHi: SIGNi no longer verifies.
    // DHi ends with its value then its KV byte, just before SIGN (2 bytes of header and
    // a 256-byte signature).
    let dh_at = init.len() - 256 - 2 - 1 - 5;
    let mut bad = init.clone();
    bad[dh_at] ^= 1;
    refused(cr.clone(), &bad, Error::SignatureInvalid);
    // The genuine I_MESSAGE, then a tampered answer: the Initiator stays awaiting keys and
    // accepts the genuine answer afterwards.
    let answer = Session::responder(cr.clone())
        .process(&init)
        .unwrap()
        .reply
        .unwrap();
    let mut bad = answer.clone();
    let last = bad.len() - 1;
    bad[last] ^= 1;
    assert_eq!(i.process(&bad).unwrap_err().error, Error::SignatureInvalid);
    assert_eq!(i.state(), State::AwaitingKeys);
    // An answer whose DHi is not ours, signed by Bob: refused.
    let mut other = vec![0u8; 96];
    other[95] = 5;
    let forged = with_dh_value(&answer, 1, other, "bob");
    assert!(matches!(
        i.process(&forged).unwrap_err().error,
        Error::BadAnswer(_)
    ));
    // An out-of-range DHr, signed by Bob.
    let forged = with_dh_value(&answer, 0, vec![0u8; 96], "bob");
    assert_eq!(
        i.process(&forged).unwrap_err().error,
        Error::Dh(DhError::OutOfRange)
    );
    assert_eq!(i.state(), State::AwaitingKeys);
    assert!(i.process(&answer).is_ok());
    assert_eq!(i.state(), State::Established);
}

#[test]
fn replay_and_stale_timestamp_are_refused() {
    let c = clock();
    let ci = alice(&c, |b| b.dh_group(FfdhGroup::Oakley1));
    let cr = bob(&c, |b| b.dh_group(FfdhGroup::Oakley1));
    let init = Session::initiator(ci.clone()).initiate(&STREAMS).unwrap();
    Session::responder(cr.clone()).process(&init).unwrap();
    refused(cr.clone(), &init, Error::Replayed);
    let old = Session::initiator(ci).initiate(&STREAMS).unwrap();
    c.advance(Duration::from_secs(3600));
    let f = Session::responder(cr).process(&old).unwrap_err();
    assert!(matches!(f.error, Error::Timestamp(_)), "{:?}", f.error);
}

#[test]
fn an_update_is_a_new_dh_exchange() {
    // RFC 3830 §4.5: the update of a DH CSB brings new DH values, so a new TGK; the old
    // keys stay in use until the answer.
    let c = clock();
    let (mut i, mut r, _, _) = exchange(
        alice(&c, |b| b.dh_group(FfdhGroup::Oakley1)),
        bob(&c, |b| b.dh_group(FfdhGroup::Oakley1)),
    );
    let before = i.crypto_sessions().to_vec();
    c.advance(Duration::from_secs(1));
    let update = i.rekey(&[]).unwrap();
    assert!(
        !Message::parse(&update)
            .unwrap()
            .payloads
            .iter()
            .any(|p| matches!(p, Payload::Rand(_)))
    );
    assert_eq!(
        i.crypto_sessions(),
        &before[..],
        "the old keys until the answer"
    );
    let done = r.process(&update).unwrap();
    assert_eq!(done.event, Event::KeysEstablished { update: true });
    assert_eq!(
        i.process(&done.reply.unwrap()).unwrap().event,
        Event::KeysEstablished { update: true }
    );
    assert_eq!(i.crypto_sessions(), r.crypto_sessions());
    assert_ne!(i.crypto_sessions(), &before[..]);
}

#[test]
fn an_update_without_dh_values_keeps_the_tgk_and_keys_new_streams() {
    // RFC 3830 §4.5 (Figure 4.1: [DHi]; "If the Initiator does not include DHi, the
    // Responder MUST NOT include DHr or DHi"): the update adds a crypto session, keyed
    // with the TGK both sides hold.
    let c = clock();
    let (mut i, mut r, _, _) = exchange(
        alice(&c, |b| b.dh_group(FfdhGroup::Oakley1)),
        bob(&c, |b| b.dh_group(FfdhGroup::Oakley1)),
    );
    let before = i.crypto_sessions().to_vec();
    c.advance(Duration::from_secs(1));
    let added = StreamSpec {
        ssrc: 0xA3,
        roc: 0,
        policy_no: 0,
    };
    let update = i.update_keeping_tgk(&[added]).unwrap();
    assert_eq!(
        kinds(&update),
        ["T", "CERT", "ID", "SP", "SIGN"],
        "no RAND, no DHi"
    );
    // A fresh Responder has no TGK to keep: refused.
    let f = Session::responder(bob(&c, |b| b.dh_group(FfdhGroup::Oakley1)))
        .process(&update)
        .unwrap_err();
    assert_eq!(f.error, Error::MissingPayload("RAND"));
    let done = r.process(&update).unwrap();
    assert_eq!(done.event, Event::KeysEstablished { update: true });
    let answer = done.reply.unwrap();
    assert_eq!(
        kinds(&answer),
        ["T", "CERT", "ID", "SIGN"],
        "no DHr, no DHi"
    );
    assert_eq!(
        i.process(&answer).unwrap().event,
        Event::KeysEstablished { update: true }
    );
    assert_eq!(i.crypto_sessions(), r.crypto_sessions());
    assert_eq!(i.crypto_sessions().len(), 3);
    // The first two crypto sessions keep their keys: same TGK, same CS IDs.
    assert_eq!(&i.crypto_sessions()[..2], &before[..]);
    // Not in the other modes.
    let mut psk = Session::initiator(Arc::new(
        ConfigBuilder::new(Mode::Psk)
            .psk(&[1; 16])
            .clock(c.clone())
            .build()
            .unwrap(),
    ));
    psk.initiate(&STREAMS).unwrap();
    assert!(matches!(psk.update_keeping_tgk(&[]), Err(Error::Config(_))));
}

/// Hands out the queued chunks to the calls that ask for their length, and a counter
/// pattern to the others.
#[derive(Debug)]
struct Scripted(Mutex<(VecDeque<Vec<u8>>, u8)>);

impl Rng for Scripted {
    fn fill(&self, out: &mut [u8]) -> Result<(), RngError> {
        let mut s = self.0.lock().unwrap();
        if s.0.front().is_some_and(|c| c.len() == out.len()) {
            out.copy_from_slice(&s.0.pop_front().unwrap());
        } else {
            for b in out.iter_mut() {
                s.1 = s.1.wrapping_add(37);
                *b = s.1;
            }
        }
        Ok(())
    }
}

#[test]
fn a_shared_secret_with_a_zero_top_byte_derives_the_same_keys() {
    // x_i = 0x11 repeated and x_r = 0x22 repeated + 727 make g^(xi*xr) (OAKLEY 5) start
    // with a zero byte (tests/dh_openssl.rs checks it against OpenSSL). The TGK keeps it.
    let c = clock();
    let xi = vec![0x11u8; 192];
    let mut xr = vec![0x22u8; 192];
    xr[190] = 0x24;
    xr[191] = 0xF9;
    let rng = |x: Vec<u8>| Arc::new(Scripted(Mutex::new((VecDeque::from([x]), 0))));
    let (i, r, _, _) = exchange(
        alice(&c, |b| b.rng(rng(xi.clone()))),
        bob(&c, |b| b.rng(rng(xr.clone()))),
    );
    assert_eq!(i.crypto_sessions(), r.crypto_sessions());
}

#[test]
fn forked_answers_give_one_key_set_per_responder() {
    // RFC 5197 §5.2: each Responder's x_r makes its own TGK.
    let c = clock();
    // The forked request names no Responder (no IDr).
    let ci = config(&c, "alice", None, |b| {
        b.dh_group(FfdhGroup::Oakley1).accept_forked_answers(true)
    });
    let mut i = Session::initiator(ci);
    let init = i.initiate(&STREAMS).unwrap();
    let mut rb = Session::responder(bob(&c, |b| b.dh_group(FfdhGroup::Oakley1)));
    let mut rc = Session::responder(config(&c, "carol", Some("alice"), |b| {
        b.dh_group(FfdhGroup::Oakley1)
    }));
    let from_bob = rb.process(&init).unwrap().reply.unwrap();
    let from_carol = rc.process(&init).unwrap().reply.unwrap();
    assert_eq!(
        i.process(&from_bob).unwrap().event,
        Event::Branch { index: 0 }
    );
    assert_eq!(
        i.process(&from_carol).unwrap().event,
        Event::Branch { index: 1 }
    );
    assert_eq!(i.state(), State::Forked);
    let (bob_id, bob_keys) = i.branch(0).unwrap();
    assert_eq!(bob_id, b"sip:bob@example.com");
    assert_eq!(bob_keys, rb.crypto_sessions());
    let (carol_id, carol_keys) = i.branch(1).unwrap();
    assert_eq!(carol_id, b"sip:carol@example.com");
    assert_eq!(carol_keys, rc.crypto_sessions());
    assert_ne!(bob_keys, carol_keys);
    i.select_branch(1).unwrap();
    assert_eq!(i.state(), State::Established);
    assert_eq!(i.crypto_sessions(), rc.crypto_sessions());
}

#[test]
fn a_refusal_after_sign_i_is_signed_with_sign_r() {
    let c = clock();
    let ci = alice(&c, |b| {
        b.dh_group(FfdhGroup::Oakley1)
            .peer_certificate(pki::cert("bob"))
    });
    let mut i = Session::initiator(ci);
    let init = i.initiate(&STREAMS).unwrap();
    let cr = bob(&c, |b| {
        b.dh_group(FfdhGroup::Oakley1)
            .accept(vec![SrtpProfile::Aes256CmSha1_80])
    });
    let reply = refused(cr, &init, Error::UnsupportedPolicy).unwrap();
    assert!(matches!(
        Message::parse(&reply).unwrap().payloads.last(),
        Some(Payload::Sign(_))
    ));
    assert_eq!(
        i.process(&reply).unwrap_err().error,
        Error::PeerError {
            errors: vec![ErrorNo::InvalidSpPar],
            authenticated: true
        }
    );
    assert_eq!(i.state(), State::AwaitingKeys);
}

#[test]
fn every_truncation_and_bit_flip_is_refused() {
    let c = clock();
    let ci = alice(&c, |b| b.dh_group(FfdhGroup::Oakley1));
    let cr = bob(&c, |b| b.dh_group(FfdhGroup::Oakley1));
    let mut i = Session::initiator(ci);
    let init = i.initiate(&STREAMS).unwrap();
    let mut r = Session::responder(cr);
    for len in 0..init.len() {
        assert!(r.process(&init[..len]).is_err());
    }
    for bit in (0..init.len() * 8).step_by(7) {
        let mut bad = init.clone();
        bad[bit / 8] ^= 1 << (bit % 8);
        assert!(r.process(&bad).is_err(), "I_MESSAGE bit {bit}");
        assert_eq!(r.state(), State::Idle);
    }
    let answer = r.process(&init).unwrap().reply.unwrap();
    for len in 0..answer.len() {
        assert!(i.process(&answer[..len]).is_err());
    }
    for bit in (0..answer.len() * 8).step_by(7) {
        let mut bad = answer.clone();
        bad[bit / 8] ^= 1 << (bit % 8);
        assert!(i.process(&bad).is_err(), "R_MESSAGE bit {bit}");
        assert_eq!(i.state(), State::AwaitingKeys);
    }
    assert!(i.process(&answer).is_ok());
}
