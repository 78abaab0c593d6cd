//! DH-HMAC exchanges end to end through the Rust API (RFC 4650 §3, §4): both sides derive
//! the same keys in every OAKLEY group; the KEMAC MAC is checked against an HMAC the test
//! computes from the RFC text (auth_key from RFC 3830 §4.1.4, the MAC over the whole
//! message but its MAC field); each way a message can be wrong is refused with its own
//! error and the session unchanged.

mod pki;

use mikey::crypto::dh::{DhError, FfdhGroup};
use mikey::crypto::prf::Prf;
use mikey::exchange::{Error, Identity};
use mikey::session::{Config, ConfigBuilder, Event, Mode, Session, State, StreamSpec};
use mikey::time::ManualClock;
use mikey::wire::{DataType, EncrAlg, ErrorNo, IdType, MacAlg, Message, Payload};
use std::sync::Arc;
use std::time::Duration;

const PSK: &[u8] = b"a DH-HMAC pre-shared key, 32 b.";

fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(mikey::time::ntp_from_system_time(
        std::time::SystemTime::now(),
    )))
}

fn uri(s: &str) -> Identity {
    Identity {
        id_type: IdType::Uri,
        data: s.as_bytes().to_vec(),
    }
}

fn config(
    c: &Arc<ManualClock>,
    me: &str,
    peer: &str,
    f: impl FnOnce(ConfigBuilder) -> ConfigBuilder,
) -> Arc<Config> {
    let b = ConfigBuilder::new(Mode::DhHmac)
        .psk(PSK)
        .local_identity(uri(me))
        .peer_identity(uri(peer))
        .dh_group(FfdhGroup::Oakley1)
        .clock(c.clone());
    Arc::new(f(b).build().unwrap())
}

const ALICE: &str = "sip:alice@example.com";
const BOB: &str = "sip:bob@example.com";

fn alice(c: &Arc<ManualClock>, f: impl FnOnce(ConfigBuilder) -> ConfigBuilder) -> Arc<Config> {
    config(c, ALICE, BOB, f)
}

fn bob(c: &Arc<ManualClock>, f: impl FnOnce(ConfigBuilder) -> ConfigBuilder) -> Arc<Config> {
    config(c, BOB, ALICE, f)
}

const STREAMS: [StreamSpec; 1] = [StreamSpec {
    ssrc: 0xB1,
    roc: 0,
    policy_no: 0,
}];

fn exchange(ci: Arc<Config>, cr: Arc<Config>) -> (Session, Session, Vec<u8>, Vec<u8>) {
    let mut i = Session::initiator(ci);
    let mut r = Session::responder(cr);
    let init = i.initiate(&STREAMS).unwrap();
    assert_eq!(i.state(), State::AwaitingKeys);
    let done = r.process(&init).unwrap();
    assert_eq!(done.event, Event::KeysEstablished { update: false });
    let answer = done.reply.unwrap();
    assert_eq!(
        i.process(&answer).unwrap().event,
        Event::KeysEstablished { update: false }
    );
    assert_eq!(i.crypto_sessions(), r.crypto_sessions());
    assert_eq!(i.crypto_sessions().len(), 1);
    (i, r, init, answer)
}

fn kinds(bytes: &[u8]) -> Vec<&'static str> {
    Message::parse(bytes)
        .unwrap()
        .payloads
        .iter()
        .map(|p| match p {
            Payload::Timestamp(_) => "T",
            Payload::Rand(_) => "RAND",
            Payload::Id(_) => "ID",
            Payload::SecurityPolicy(_) => "SP",
            Payload::Dh(_) => "DH",
            Payload::Kemac(_) => "KEMAC",
            _ => "other",
        })
        .collect()
}

/// The HMAC-SHA-1 a DH-HMAC message carries, computed here from the RFC text: auth_key =
/// PRF(PSK, 0x2D22AC75 || 0xFF || CSB ID || RAND) (RFC 3830 §4.1.4, 160 bits for
/// HMAC-SHA-1, §4.2.4), over the whole message but the 20-byte MAC field (RFC 4650 §3).
fn expected_mac(message: &[u8], rand: &[u8]) -> Vec<u8> {
    let csb_id = Message::parse(message).unwrap().header.csb_id;
    let mut label = vec![0x2D, 0x22, 0xAC, 0x75, 0xFF];
    label.extend_from_slice(&csb_id.to_be_bytes());
    label.extend_from_slice(rand);
    let auth_key = Prf::Mikey1.derive(PSK, &label, 20).unwrap();
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, &auth_key);
    ring::hmac::sign(&key, &message[..message.len() - 20])
        .as_ref()
        .to_vec()
}

fn rand_of(message: &[u8]) -> Vec<u8> {
    Message::parse(message)
        .unwrap()
        .rand()
        .unwrap()
        .rand
        .to_vec()
}

#[test]
fn dh_hmac_agrees_on_keys_in_every_group() {
    let c = clock();
    for group in [FfdhGroup::Oakley5, FfdhGroup::Oakley1, FfdhGroup::Oakley2] {
        let (_, _, init, answer) = exchange(
            alice(&c, |b| b.dh_group(group)),
            bob(&c, |b| b.dh_group(group)),
        );
        // RFC 4650 §3: HDR, T, RAND, IDi, IDr, SP, DHi, KEMAC and
        // HDR, T, IDr, IDi, DHr, DHi, KEMAC; data types 7 and 8 (§4.1).
        assert_eq!(kinds(&init), ["T", "RAND", "ID", "ID", "SP", "DH", "KEMAC"]);
        assert_eq!(kinds(&answer), ["T", "ID", "ID", "DH", "DH", "KEMAC"]);
        let m = Message::parse(&init).unwrap();
        assert_eq!(m.header.data_type, DataType::DhHmacInit);
        assert_eq!(
            Message::parse(&answer).unwrap().header.data_type,
            DataType::DhHmacResp
        );
        // §4.2 with the IANA codepoints: Encr alg NULL (0), no data, HMAC-SHA-1-160 (1).
        let kemac = m.kemac().unwrap();
        assert_eq!(kemac.encr_alg, EncrAlg::Null);
        assert!(kemac.encr_data.is_empty());
        assert_eq!(kemac.mac_alg, MacAlg::HmacSha1_160);
        let rand = rand_of(&init);
        assert_eq!(init[init.len() - 20..], expected_mac(&init, &rand)[..]);
        assert_eq!(
            answer[answer.len() - 20..],
            expected_mac(&answer, &rand)[..]
        );
    }
}

#[test]
fn hmac_sha_256_agrees_too() {
    let c = clock();
    exchange(alice(&c, |b| b.mac(MacAlg::HmacSha256_256)), bob(&c, |b| b));
}

fn refused(cr: Arc<Config>, bytes: &[u8], error: Error) -> Option<Vec<u8>> {
    let mut r = Session::responder(cr);
    let f = r.process(bytes).unwrap_err();
    assert_eq!(f.error, error);
    assert_eq!(r.state(), State::Idle);
    f.reply
}

#[test]
fn a_wrong_psk_fails_as_an_auth_failure() {
    let c = clock();
    let init = Session::initiator(alice(&c, |b| b.psk(b"another key")))
        .initiate(&STREAMS)
        .unwrap();
    let reply = refused(bob(&c, |b| b), &init, Error::AuthFailed).unwrap();
    let m = Message::parse(&reply).unwrap();
    assert_eq!(m.error_nos(), [ErrorNo::AuthFailure]);
    assert!(
        !m.payloads
            .iter()
            .any(|p| matches!(p, Payload::Verification(_)))
    );
}

/// `message` with its first DH payload given `value` and its MAC made again with the PSK
/// and `rand` (computed here, `expected_mac`).
fn with_dhi(message: &[u8], value: Vec<u8>, rand: &[u8]) -> Vec<u8> {
    let mut bytes = pki::with_dh_value(message, 0, value);
    let mac = expected_mac(&bytes, rand);
    let n = bytes.len();
    bytes[n - 20..].copy_from_slice(&mac);
    bytes
}

#[test]
fn out_of_range_dh_values_are_refused_with_error_6() {
    let c = clock();
    let mut i = Session::initiator(alice(&c, |b| b));
    let init = i.initiate(&STREAMS).unwrap();
    let rand = rand_of(&init);
    let n = FfdhGroup::Oakley1.value_len();
    let p = FfdhGroup::Oakley1.prime();
    let mut p_minus_1 = p.clone();
    p_minus_1[n - 1] -= 1;
    let mut one = vec![0u8; n];
    one[n - 1] = 1;
    for bad in [vec![0u8; n], one, p_minus_1, p, vec![0xFF; n]] {
        let edited = with_dhi(&init, bad, &rand);
        let reply = refused(bob(&c, |b| b), &edited, Error::Dh(DhError::OutOfRange)).unwrap();
        // RFC 4650 §4.1 leaves V out of DH-HMAC, so the refusal has none: the Initiator
        // reads it as a hint.
        let m = Message::parse(&reply).unwrap();
        assert!(
            !m.payloads
                .iter()
                .any(|p| matches!(p, Payload::Verification(_)))
        );
        assert_eq!(
            i.process(&reply).unwrap_err().error,
            Error::PeerError {
                errors: vec![ErrorNo::InvalidDh],
                authenticated: false
            }
        );
        assert_eq!(i.state(), State::AwaitingKeys);
    }
}

#[test]
fn tampered_answers_are_refused_and_the_initiator_unchanged() {
    let c = clock();
    let mut i = Session::initiator(alice(&c, |b| b));
    let init = i.initiate(&STREAMS).unwrap();
    let rand = rand_of(&init);
    let answer = Session::responder(bob(&c, |b| b))
        .process(&init)
        .unwrap()
        .reply
        .unwrap();
    // DHr out of range with a valid MAC.
    let bad = with_dhi(&answer, vec![0u8; 96], &rand);
    assert_eq!(
        i.process(&bad).unwrap_err().error,
        Error::Dh(DhError::OutOfRange)
    );
    // A bit flipped anywhere: the MAC fails (or the message no longer parses).
    for bit in (0..answer.len() * 8).step_by(5) {
        let mut bad = answer.clone();
        bad[bit / 8] ^= 1 << (bit % 8);
        assert!(i.process(&bad).is_err(), "bit {bit}");
        assert_eq!(i.state(), State::AwaitingKeys);
    }
    i.process(&answer).unwrap();
    assert_eq!(i.state(), State::Established);
}

#[test]
fn every_truncation_and_bit_flip_of_the_i_message_is_refused() {
    let c = clock();
    let init = Session::initiator(alice(&c, |b| b))
        .initiate(&STREAMS)
        .unwrap();
    let mut r = Session::responder(bob(&c, |b| b));
    for len in 0..init.len() {
        assert!(r.process(&init[..len]).is_err());
    }
    for bit in 0..init.len() * 8 {
        let mut bad = init.clone();
        bad[bit / 8] ^= 1 << (bit % 8);
        assert!(r.process(&bad).is_err(), "bit {bit}");
        assert_eq!(r.state(), State::Idle);
    }
    assert!(r.process(&init).is_ok());
}

#[test]
fn replay_is_refused_and_an_update_makes_a_new_tgk() {
    let c = clock();
    let cr = bob(&c, |b| b);
    let (mut i, mut r, init, _) = exchange(alice(&c, |b| b), cr.clone());
    let f = r.process(&init).unwrap();
    assert_eq!(
        f.event,
        Event::Retransmission,
        "the same session answers it again"
    );
    refused(cr, &init, Error::Replayed);
    let before = i.crypto_sessions().to_vec();
    c.advance(Duration::from_secs(1));
    let update = i.rekey(&[]).unwrap();
    let done = r.process(&update).unwrap();
    assert_eq!(done.event, Event::KeysEstablished { update: true });
    i.process(&done.reply.unwrap()).unwrap();
    assert_eq!(i.crypto_sessions(), r.crypto_sessions());
    assert_ne!(i.crypto_sessions(), &before[..]);
}

#[test]
fn an_update_without_dh_values_keeps_the_tgk() {
    // RFC 4650 §3.1 procedure b: "[DHi] and [DHr, DHi] SHALL be left out"; the update
    // changes the crypto sessions, not the TGK.
    let c = clock();
    let (mut i, mut r, _, _) = exchange(alice(&c, |b| b), bob(&c, |b| b));
    let before = i.crypto_sessions().to_vec();
    c.advance(Duration::from_secs(1));
    let added = StreamSpec {
        ssrc: 0xB2,
        roc: 3,
        policy_no: 0,
    };
    let update = i.update_keeping_tgk(&[added]).unwrap();
    let has_dh = |m: &[u8]| {
        Message::parse(m)
            .unwrap()
            .payloads
            .iter()
            .any(|p| matches!(p, Payload::Dh(_) | Payload::Rand(_)))
    };
    assert!(!has_dh(&update), "no RAND, no DHi");
    let done = r.process(&update).unwrap();
    assert_eq!(done.event, Event::KeysEstablished { update: true });
    let answer = done.reply.unwrap();
    assert!(!has_dh(&answer), "no DHr, no DHi");
    assert_eq!(
        Message::parse(&answer).unwrap().header.data_type,
        DataType::DhHmacResp
    );
    // The answer's KEMAC MAC is checked: a flipped bit is refused, the session unchanged.
    let mut bad = answer.clone();
    let last = bad.len() - 1;
    bad[last] ^= 1;
    assert_eq!(i.process(&bad).unwrap_err().error, Error::AuthFailed);
    assert_eq!(
        i.process(&answer).unwrap().event,
        Event::KeysEstablished { update: true }
    );
    assert_eq!(i.crypto_sessions(), r.crypto_sessions());
    assert_eq!(i.crypto_sessions().len(), before.len() + 1);
    assert_eq!(&i.crypto_sessions()[..before.len()], &before[..]);
}

#[test]
fn rfc_4650s_swapped_codepoints_are_refused() {
    // RFC 4650 §4.2's table gives HMAC-SHA-1 the value 0, which is NULL in RFC 3830 and
    // IANA: a KEMAC with Mac alg 0 has an empty MAC field, so a message that follows the
    // table carries 20 bytes too many and does not parse; one with Mac alg NULL and no
    // MAC is refused for its NULL MAC (Error no. 3).
    let c = clock();
    let init = Session::initiator(alice(&c, |b| b))
        .initiate(&STREAMS)
        .unwrap();
    let mut swapped = init.clone();
    let mac_alg_at = init.len() - 21;
    assert_eq!(swapped[mac_alg_at], 1);
    swapped[mac_alg_at] = 0;
    let f = Session::responder(bob(&c, |b| b))
        .process(&swapped)
        .unwrap_err();
    assert!(matches!(f.error, Error::Parse(_)), "{:?}", f.error);
    let null = swapped[..init.len() - 20].to_vec();
    let f = Session::responder(bob(&c, |b| b))
        .process(&null)
        .unwrap_err();
    assert_eq!(f.error, Error::UnsupportedMac);
}
