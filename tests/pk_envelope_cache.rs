//! The PK envelope key cache (RFC 3830 §3.2, §4.5, §6.3) end to end through the Rust API:
//! with the PKE's C field "Cache" or "Cache for CSB" both sides keep the envelope key, and
//! an update is a pre-shared-key message keyed with it ("it MUST NOT be a public key
//! message"); with "No cache" an update is a PK message with a new envelope key.

mod pki;

use pki::{clock, uri};

use mikey::exchange::{Error, open_i_message};
use mikey::session::{Config, ConfigBuilder, Event, InitInputs, Mode, Session, StreamSpec};
use mikey::time::ManualClock;
use mikey::wire::{CacheIndicator, DataType, EncrAlg, ErrorNo, Limits, MacAlg, Message, Payload};
use std::sync::Arc;
use std::time::Duration;
use zeroize::Zeroizing;

fn alice(clock: &Arc<ManualClock>, cache: CacheIndicator) -> ConfigBuilder {
    ConfigBuilder::new(Mode::Pk)
        .private_key(pki::key("alice"))
        .certificate_chain(vec![pki::cert("alice")])
        .peer_certificate(pki::cert("bob"))
        .local_identity(uri("sip:alice@example.com"))
        .envelope_key_cache(cache)
        .clock(clock.clone())
}

fn bob(clock: &Arc<ManualClock>) -> Arc<Config> {
    Arc::new(
        ConfigBuilder::new(Mode::Pk)
            .private_key(pki::key("bob"))
            .certificate_chain(vec![pki::cert("bob")])
            .trust_anchors(pki::anchors("ca"))
            .local_identity(uri("sip:bob@example.com"))
            .clock(clock.clone())
            .build()
            .unwrap(),
    )
}

const STREAM: StreamSpec = StreamSpec {
    ssrc: 0x1111,
    roc: 0,
    policy_no: 0,
};

const ENV_KEY: [u8; 32] = [0x5a; 32];

/// The initial PK exchange with a fixed envelope key, then one update: returns both
/// sessions and the update message, after checking that both sides hold the same new keys.
fn exchange_then_update(
    clock: &Arc<ManualClock>,
    alice_config: ConfigBuilder,
) -> (Session, Session, Vec<u8>, Vec<u8>) {
    let mut i = Session::initiator(Arc::new(alice_config.build().unwrap()));
    let mut r = Session::responder(bob(clock));
    let inputs = InitInputs {
        envelope_key: Some(Zeroizing::new(ENV_KEY.to_vec())),
        ..InitInputs::default()
    };
    let init = i.initiate_with(&[STREAM], &inputs).unwrap();
    let v = r.process(&init).unwrap().reply.unwrap();
    i.process(&v).unwrap();
    let first = i.crypto_sessions().to_vec();
    clock.advance(Duration::from_secs(1));
    let update = i.rekey(&[]).unwrap();
    let done = r.process(&update).unwrap();
    assert_eq!(done.event, Event::KeysEstablished { update: true });
    assert_eq!(
        i.process(&done.reply.unwrap()).unwrap().event,
        Event::Verified
    );
    assert_eq!(i.crypto_sessions(), r.crypto_sessions());
    assert_ne!(
        i.crypto_sessions(),
        &first[..],
        "the update brought a new key"
    );
    (i, r, init, update)
}

fn has_pke(bytes: &[u8]) -> bool {
    let m = Message::parse(bytes).unwrap();
    m.payloads.iter().any(|p| matches!(p, Payload::Pke(_)))
}

#[test]
fn cache_for_csb_makes_the_update_a_psk_message_keyed_with_the_envelope_key() {
    let c = clock();
    let (i, r, init, update) = exchange_then_update(&c, alice(&c, CacheIndicator::CacheForCsb));
    let m = Message::parse(&update).unwrap();
    assert_eq!(m.header.data_type, DataType::PreShared);
    assert!(!has_pke(&update));
    // The update opens with the envelope key as the pre-shared key and the CSB's RAND
    // (RFC 3830 §4.1.4, §4.5): an independent reading of the same bytes.
    let rand = Message::parse(&init)
        .unwrap()
        .payloads
        .iter()
        .find_map(|p| match p {
            Payload::Rand(r) => Some(r.rand.to_vec()),
            _ => None,
        })
        .unwrap();
    let keys = open_i_message(Some(&ENV_KEY), &update, Some(&rand), &Limits::default()).unwrap();
    assert_eq!(keys.len(), 1);
    assert!(open_i_message(Some(&[0x5b; 32]), &update, Some(&rand), &Limits::default()).is_err());
    // "Cache for CSB": the key is for this CSB only, not handed out.
    assert_eq!(i.cached_envelope_key(), None);
    assert_eq!(r.cached_envelope_key(), None);
}

#[test]
fn a_retransmitted_pk_i_message_is_answered_again_once_the_key_is_cached() {
    // SIP and RTSP resend an I_MESSAGE whose answer was lost: the cache must not make the
    // Responder refuse its own accepted message as "a public key update".
    let c = clock();
    let mut i = Session::initiator(Arc::new(
        alice(&c, CacheIndicator::CacheForCsb).build().unwrap(),
    ));
    let mut r = Session::responder(bob(&c));
    let init = i.initiate(&[STREAM]).unwrap();
    let v = r.process(&init).unwrap().reply.unwrap();
    let again = r.process(&init).unwrap();
    assert_eq!(again.event, Event::Retransmission);
    assert_eq!(again.reply.unwrap(), v);
}

#[test]
fn cache_hands_the_envelope_key_to_both_applications() {
    let c = clock();
    let (i, r, _, update) = exchange_then_update(&c, alice(&c, CacheIndicator::Cache));
    assert_eq!(
        Message::parse(&update).unwrap().header.data_type,
        DataType::PreShared
    );
    assert_eq!(i.cached_envelope_key(), Some(&ENV_KEY[..]));
    assert_eq!(r.cached_envelope_key(), Some(&ENV_KEY[..]));
}

#[test]
fn no_cache_makes_the_update_a_pk_message_with_a_new_envelope() {
    let c = clock();
    let (i, r, _, update) = exchange_then_update(&c, alice(&c, CacheIndicator::NoCache));
    assert_eq!(
        Message::parse(&update).unwrap().header.data_type,
        DataType::PublicKey
    );
    assert!(has_pke(&update));
    assert_eq!(i.cached_envelope_key(), None);
    assert_eq!(r.cached_envelope_key(), None);
}

#[test]
fn an_update_of_an_aes_kw_null_mac_csb_gets_the_mandatory_mac() {
    // RFC 3830 §4.2.3: AES-KW with the NULL MAC in the PK message; the PSK update needs a
    // MAC, and takes HMAC-SHA-1-160 (§4.2.4).
    let c = clock();
    let config = alice(&c, CacheIndicator::CacheForCsb)
        .encryption(EncrAlg::AesKw128)
        .mac(MacAlg::Null);
    let (_, _, _, update) = exchange_then_update(&c, config);
    let m = Message::parse(&update).unwrap();
    let kemac = m
        .payloads
        .iter()
        .find_map(|p| match p {
            Payload::Kemac(k) => Some(k.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(kemac.encr_alg, EncrAlg::AesKw128);
    assert_eq!(kemac.mac_alg, MacAlg::HmacSha1_160);
}

#[test]
fn a_public_key_update_of_a_cached_csb_is_refused() {
    // RFC 3830 §4.5: with the envelope key cached the update "MUST NOT be a public key
    // message": Error no. 11 (Invalid DT), the Responder unchanged.
    let c = clock();
    let (i, mut r, _, _) = exchange_then_update(&c, alice(&c, CacheIndicator::CacheForCsb));
    let csb_id = i.csb_id().unwrap();
    // Another Initiator config (so the CSB ID is free there) sends a PK message for the
    // same CSB.
    let mut other = Session::initiator(Arc::new(
        alice(&c, CacheIndicator::NoCache).build().unwrap(),
    ));
    c.advance(Duration::from_secs(1));
    let inputs = InitInputs {
        csb_id: Some(csb_id),
        ..InitInputs::default()
    };
    let pk = other.initiate_with(&[STREAM], &inputs).unwrap();
    let before = r.crypto_sessions().to_vec();
    let failure = r.process(&pk).unwrap_err();
    assert_eq!(failure.error, Error::UnexpectedMessage(DataType::PublicKey));
    let reply = Message::parse(failure.reply.as_deref().unwrap()).unwrap();
    assert!(
        reply
            .payloads
            .iter()
            .any(|p| matches!(p, Payload::Error(e) if e.error_no == ErrorNo::InvalidDt))
    );
    assert_eq!(r.crypto_sessions(), &before[..]);
}

#[test]
fn every_bit_flip_of_a_cached_key_update_is_refused() {
    let c = clock();
    let mut i = Session::initiator(Arc::new(
        alice(&c, CacheIndicator::CacheForCsb).build().unwrap(),
    ));
    let mut r = Session::responder(bob(&c));
    let init = i.initiate(&[STREAM]).unwrap();
    let v = r.process(&init).unwrap().reply.unwrap();
    i.process(&v).unwrap();
    c.advance(Duration::from_secs(1));
    let update = i.rekey(&[]).unwrap();
    let before = r.crypto_sessions().to_vec();
    for bit in 0..update.len() * 8 {
        let mut bad = update.clone();
        bad[bit / 8] ^= 1 << (bit % 8);
        assert!(r.process(&bad).is_err(), "bit {bit} flipped was accepted");
        assert_eq!(r.crypto_sessions(), &before[..]);
    }
    for len in 0..update.len() {
        assert!(r.process(&update[..len]).is_err());
    }
    assert_eq!(
        r.process(&update).unwrap().event,
        Event::KeysEstablished { update: true }
    );
}

#[test]
fn a_stateless_initiator_resumes_with_the_cache() {
    // `mikey initiate` then `mikey complete`: the resumed session knows the cache from the
    // PKE's C field and the envelope key it is given.
    let c = clock();
    let config = Arc::new(alice(&c, CacheIndicator::Cache).build().unwrap());
    let inputs = InitInputs {
        envelope_key: Some(Zeroizing::new(ENV_KEY.to_vec())),
        ..InitInputs::default()
    };
    let init = {
        let mut first = Session::initiator(config.clone());
        first.initiate_with(&[STREAM], &inputs).unwrap()
    };
    let mut i = Session::resume_initiator_with_envelope_key(config, &init, &ENV_KEY).unwrap();
    let mut r = Session::responder(bob(&c));
    let v = r.process(&init).unwrap().reply.unwrap();
    i.process(&v).unwrap();
    assert_eq!(i.cached_envelope_key(), Some(&ENV_KEY[..]));
    c.advance(Duration::from_secs(1));
    let update = i.rekey(&[]).unwrap();
    let v = r.process(&update).unwrap().reply.unwrap();
    assert_eq!(
        Message::parse(&v).unwrap().header.data_type,
        DataType::PskVerification
    );
    i.process(&v).unwrap();
    assert_eq!(i.crypto_sessions(), r.crypto_sessions());
}
