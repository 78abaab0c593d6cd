//! PSK and NULL exchanges end to end through the Rust API (RFC 3830 §3.1, §5): keys
//! agree, verification, replay and clock checks, negotiation, re-keying, errors, and
//! that every tampered, truncated or replayed message is refused with the session left
//! unchanged.

use mikey::exchange::Error;
use mikey::policy::SrtpProfile;
use mikey::session::{
    Config, ConfigBuilder, Event, Identity, KeyTransport, Mode, Session, State, StreamSpec,
};
use mikey::time::{Clock, ManualClock};
use mikey::wire::{EncrAlg, ErrorNo, IdType, MacAlg, Message, PrfFunc};
use std::sync::Arc;
use std::time::Duration;

const NOW: u64 = 0xEA04_E300_0000_0000;
const PSK: &[u8] = b"0123456789abcdef0123";

fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(NOW))
}

fn psk_config(
    clock: &Arc<ManualClock>,
    f: impl FnOnce(ConfigBuilder) -> ConfigBuilder,
) -> Arc<Config> {
    let b = ConfigBuilder::new(Mode::Psk).psk(PSK).clock(clock.clone());
    Arc::new(f(b).build().unwrap())
}

/// A NULL-mode config (RFC 3830 §4.2.3: NULL encryption and MAC) on `clock`.
fn null_config(clock: &Arc<ManualClock>) -> Arc<Config> {
    Arc::new(
        ConfigBuilder::new(Mode::Null)
            .clock(clock.clone())
            .build()
            .unwrap(),
    )
}

fn streams(n: u32) -> Vec<StreamSpec> {
    (0..n)
        .map(|i| StreamSpec {
            ssrc: 0x1000 + i,
            roc: i,
            policy_no: 0,
        })
        .collect()
}

/// A full exchange; returns both sessions and the two messages.
fn exchange(
    ci: Arc<Config>,
    cr: Arc<Config>,
    n: u32,
) -> (Session, Session, Vec<u8>, Option<Vec<u8>>) {
    let mut i = Session::initiator(ci);
    let mut r = Session::responder(cr);
    let init = i.initiate(&streams(n)).unwrap();
    let done = r.process(&init).unwrap();
    assert_eq!(done.event, Event::KeysEstablished { update: false });
    if let Some(v) = &done.reply {
        assert_eq!(i.state(), State::AwaitingVerification);
        assert_eq!(i.process(v).unwrap().event, Event::Verified);
    }
    assert_eq!(i.state(), State::Established);
    assert_eq!(r.state(), State::Established);
    (i, r, init, done.reply)
}

fn same_keys(a: &Session, b: &Session) {
    assert_eq!(a.crypto_sessions(), b.crypto_sessions());
    assert!(!a.crypto_sessions().is_empty());
    for cs in a.crypto_sessions() {
        for k in &cs.keys {
            assert_eq!(k.key_salt().len(), cs.profile.master_key_len() + 14);
        }
    }
}

#[test]
fn psk_exchange_agrees_on_keys_for_1_and_3_streams() {
    let c = clock();
    for n in [1, 3] {
        let (i, r, init, v) = exchange(psk_config(&c, |b| b), psk_config(&c, |b| b), n);
        same_keys(&i, &r);
        assert_eq!(i.crypto_sessions().len(), n as usize);
        let ids: Vec<u8> = r.crypto_sessions().iter().map(|c| c.cs_id).collect();
        assert_eq!(ids, (1..=n as u8).collect::<Vec<_>>());
        // Distinct keys per crypto session (TGK derivation, RFC 3830 §4.1.3).
        if n == 3 {
            let k: Vec<_> = r
                .crypto_sessions()
                .iter()
                .map(|c| c.keys[0].key_salt().to_vec())
                .collect();
            assert_ne!(k[0], k[1]);
        }
        let m = Message::parse(&init).unwrap();
        assert!(m.header.v);
        assert_eq!(m.kemac().unwrap().encr_alg, EncrAlg::AesCm128);
        assert!(v.is_some());
    }
}

#[test]
fn algorithm_variants_agree() {
    let c = clock();
    for (encr, mac, prf) in [
        (EncrAlg::AesKw128, MacAlg::HmacSha1_160, PrfFunc::Mikey1),
        (
            EncrAlg::AesCm256,
            MacAlg::HmacSha256_256,
            PrfFunc::HmacSha256,
        ),
        (EncrAlg::AesCm128, MacAlg::HmacSha256_256, PrfFunc::Mikey1),
    ] {
        let ci = psk_config(&c, |b| b.encryption(encr).mac(mac).prf(prf).mki_len(4));
        let (i, r, init, _) = exchange(ci, psk_config(&c, |b| b), 2);
        same_keys(&i, &r);
        assert_eq!(r.crypto_sessions()[0].keys[0].mki.len(), 4);
        assert_eq!(
            Message::parse(&init).unwrap().kemac().unwrap().encr_alg,
            encr
        );
    }
}

#[test]
fn tek_transports_and_profiles() {
    let c = clock();
    for (t, p) in [
        (KeyTransport::TekSalt, SrtpProfile::Aes128CmSha1_32),
        (KeyTransport::TekConcatenated, SrtpProfile::Aes256CmSha1_80),
    ] {
        let ci = psk_config(&c, |b| b.key_transport(t).offer(vec![p.policy()]));
        let (i, r, _, _) = exchange(ci, psk_config(&c, |b| b), 3);
        same_keys(&i, &r);
        assert_eq!(r.crypto_sessions()[2].profile, p);
        // A TEK is used directly: every crypto session has the same key.
        assert_eq!(r.crypto_sessions()[0].keys, r.crypto_sessions()[2].keys);
    }
}

#[test]
fn identities_enter_the_verification_and_are_checked() {
    let c = clock();
    let alice = Identity {
        id_type: IdType::Uri,
        data: b"sip:alice@example.com".to_vec(),
    };
    let bob = Identity {
        id_type: IdType::Uri,
        data: b"sip:bob@example.com".to_vec(),
    };
    let (a, b) = (alice.clone(), bob.clone());
    let ci = psk_config(&c, move |x| x.local_identity(a).peer_identity(b));
    let (a, b) = (alice.clone(), bob.clone());
    let cr = psk_config(&c, move |x| x.local_identity(b).peer_identity(a));
    let (i, r, _, _) = exchange(ci.clone(), cr, 1);
    same_keys(&i, &r);
    // A responder expecting someone else refuses with Error no. 7.
    let carol = Identity {
        id_type: IdType::Uri,
        data: b"sip:carol@example.com".to_vec(),
    };
    let cr = psk_config(&c, move |x| x.peer_identity(carol));
    let mut i = Session::initiator(ci);
    let init = i.initiate(&streams(1)).unwrap();
    let f = Session::responder(cr).process(&init).unwrap_err();
    assert_eq!(f.error, Error::IdentityMismatch);
    let err = Message::parse(f.reply.as_ref().unwrap()).unwrap();
    assert!(matches!(err.error_nos().first(), Some(ErrorNo::InvalidId)));
    // The initiator reads it as an authenticated peer error and stays as it was.
    let e = i.process(f.reply.as_ref().unwrap()).unwrap_err();
    assert_eq!(
        e.error,
        Error::PeerError {
            errors: vec![ErrorNo::InvalidId],
            authenticated: true
        }
    );
    assert_eq!(i.state(), State::AwaitingVerification);
}

#[test]
fn null_mode_only_when_enabled() {
    let c = clock();
    let null = |c: &Arc<ManualClock>| {
        Arc::new(
            ConfigBuilder::new(Mode::Null)
                .clock(c.clone())
                .accept(SrtpProfile::ALL.to_vec())
                .build()
                .unwrap(),
        )
    };
    let (i, r, init, v) = exchange(null(&c), null(&c), 1);
    same_keys(&i, &r);
    assert!(v.is_none());
    let k = Message::parse(&init).unwrap().kemac().unwrap().clone();
    assert_eq!((k.encr_alg, k.mac_alg), (EncrAlg::Null, MacAlg::Null));
    // A PSK responder refuses a NULL message (Error no. 4).
    let mut i = Session::initiator(null(&c));
    let init = i.initiate(&streams(1)).unwrap();
    let f = Session::responder(psk_config(&c, |b| b))
        .process(&init)
        .unwrap_err();
    assert_eq!(f.error, Error::UnsupportedEncryption);
    assert!(f.reply.is_some());
    // NULL algorithms cannot be chosen in PSK mode.
    assert!(
        ConfigBuilder::new(Mode::Psk)
            .psk(PSK)
            .mac(MacAlg::Null)
            .build()
            .is_err()
    );
}

/// RFC 4563 §5: an Empty map keys its #CS crypto sessions, described outside MIKEY (here
/// SSRC 0 and the default policy), and "there MUST NOT be any Security Policy payload".
#[test]
fn an_empty_map_keys_its_cs_count_and_allows_no_sp() {
    use mikey::wire::{CsIdMap, Payload};
    let c = clock();
    let null = || null_config(&c);
    let init = Session::initiator(null()).initiate(&streams(1)).unwrap();
    let mut m = Message::parse(&init).unwrap().into_owned();
    m.header.cs_map = CsIdMap::Empty { cs_count: 3 };
    let mut r = Session::responder(null());
    let f = r.process(&m.encode().unwrap()).unwrap_err();
    assert_eq!(f.error, Error::UnsupportedPolicyType);
    assert_eq!(r.state(), State::Idle);
    m.payloads
        .retain(|p| !matches!(p, Payload::SecurityPolicy(_)));
    let done = r.process(&m.encode().unwrap()).unwrap();
    assert_eq!(done.event, Event::KeysEstablished { update: false });
    let cs = r.crypto_sessions();
    let seen: Vec<_> = cs
        .iter()
        .map(|c| (c.cs_id, c.ssrc, c.roc, c.profile))
        .collect();
    let default = SrtpProfile::Aes128CmSha1_80;
    assert_eq!(
        seen,
        [(1, 0, 0, default), (2, 0, 0, default), (3, 0, 0, default)]
    );
    // The CS ID enters the key derivation label (RFC 3830 §4.1.3): three keys.
    assert_ne!(cs[0].keys[0].key_salt(), cs[1].keys[0].key_salt());
    assert_ne!(cs[1].keys[0].key_salt(), cs[2].keys[0].key_salt());
}

/// A NULL-mode I_MESSAGE (its KEMAC is in the clear) whose key has the Key validity `kv`.
fn null_init_with_kv(c: &Arc<ManualClock>, kv: mikey::wire::KeyValidity<'static>) -> Vec<u8> {
    use mikey::wire::{KeyChainItem, Payload, PayloadType, encode_key_chain, parse_key_chain};
    let init = Session::initiator(null_config(c))
        .initiate(&streams(1))
        .unwrap();
    let mut m = Message::parse(&init).unwrap().into_owned();
    for p in &mut m.payloads {
        if let Payload::Kemac(k) = p {
            let mut chain = parse_key_chain(&k.encr_data, PayloadType::KeyData, 0).unwrap();
            for item in &mut chain {
                if let KeyChainItem::KeyData(d) = item {
                    d.kv = kv.clone();
                }
            }
            k.encr_data = encode_key_chain(&chain).unwrap().into();
        }
    }
    m.encode().unwrap()
}

/// A KV Interval is a range of 48-bit SRTP indices (RFC 3830 §6.14, RFC 3711 §3.3.1):
/// one outside that space, or backwards, is refused with Error no. 12 and never truncated.
#[test]
fn a_key_validity_interval_must_be_an_srtp_index_range() {
    use mikey::session::KeyLifetime;
    use mikey::wire::KeyValidity;
    let c = clock();
    let null = || null_config(&c);
    let interval = |from: &[u8], to: &[u8]| KeyValidity::Interval {
        from: from.to_vec().into(),
        to: to.to_vec().into(),
    };
    let mut r = Session::responder(null());
    let ok = null_init_with_kv(&c, interval(&[0, 0, 0, 0, 0, 7], &[0xFF; 6]));
    r.process(&ok).unwrap();
    let key = &r.crypto_sessions()[0].keys[0];
    let max = (1u64 << 48) - 1;
    assert_eq!(key.lifetime, KeyLifetime::Interval { from: 7, to: max });
    // 9-byte fields 2^64 .. 2^64 + 5, 2^48, backwards, empty: refused.
    let refused: [(&[u8], &[u8]); 5] = [
        (&[1, 0, 0, 0, 0, 0, 0, 0, 0], &[1, 0, 0, 0, 0, 0, 0, 0, 5]),
        (&[0], &[1, 0, 0, 0, 0, 0, 0]),
        (&[0, 0, 0, 0, 0, 9], &[0, 0, 0, 0, 0, 8]),
        (&[], &[5]),
        (&[5], &[]),
    ];
    for (from, to) in refused {
        c.advance(Duration::from_secs(1));
        let bad = null_init_with_kv(&c, interval(from, to));
        let mut r = Session::responder(null());
        let f = r.process(&bad).unwrap_err();
        assert!(
            matches!(f.error, Error::BadKeyValidity(_)),
            "{from:?}..{to:?}: {f:?}"
        );
        assert_eq!(r.state(), State::Idle);
        let reply = Message::parse(f.reply.as_deref().unwrap()).unwrap();
        assert_eq!(reply.error_nos(), vec![ErrorNo::Unspecified]);
    }
    // Leading zero bytes are allowed: the value counts.
    c.advance(Duration::from_secs(1));
    let long = null_init_with_kv(
        &c,
        interval(&[0, 0, 0, 0, 0, 0, 0, 1], &[0, 0, 0xFF, 0, 0, 0, 0, 0]),
    );
    let mut r = Session::responder(null());
    r.process(&long).unwrap();
    let to = 0xFF << 40;
    assert_eq!(
        r.crypto_sessions()[0].keys[0].lifetime,
        KeyLifetime::Interval { from: 1, to }
    );
}

#[test]
fn replay_and_clock_window() {
    let c = clock();
    let cr = psk_config(&c, |b| b.clock_skew(Duration::from_secs(60)));
    let (_, mut r, init, v) = exchange(psk_config(&c, |b| b), cr.clone(), 1);
    let before = r.crypto_sessions().to_vec();
    // The same message again: the session that accepted it answers it again
    // (tests/retransmission.rs); a fresh one of the same config refuses it.
    let again = r.process(&init).unwrap();
    assert_eq!((again.event, again.reply), (Event::Retransmission, v));
    let mut fresh = Session::responder(cr.clone());
    assert_eq!(fresh.process(&init).unwrap_err().error, Error::Replayed);
    assert_eq!(fresh.state(), State::Idle);
    assert_eq!(r.crypto_sessions(), &before[..]);
    // A message from 61 s in the past or future is outside the window.
    let ci = psk_config(&c, |b| b);
    let old = Session::initiator(ci.clone())
        .initiate(&streams(1))
        .unwrap();
    c.advance(Duration::from_secs(61));
    let e = Session::responder(cr.clone()).process(&old).unwrap_err();
    assert!(matches!(e.error, Error::Timestamp(_)), "{e:?}");
    assert!(e.reply.is_none());
    let future = Session::initiator(ci.clone())
        .initiate(&streams(1))
        .unwrap();
    c.set(NOW);
    let e = Session::responder(cr).process(&future).unwrap_err();
    assert!(matches!(e.error, Error::Timestamp(_)), "{e:?}");
}

#[test]
fn negotiation_and_error_10() {
    let c = clock();
    let ci = psk_config(&c, |b| b.offer(vec![SrtpProfile::Aes128CmSha1_32.policy()]));
    let cr = psk_config(&c, |b| b.accept(vec![SrtpProfile::Aes128CmSha1_80]));
    let mut i = Session::initiator(ci);
    let init = i.initiate(&streams(1)).unwrap();
    let f = Session::responder(cr).process(&init).unwrap_err();
    assert_eq!(f.error, Error::UnsupportedPolicy);
    let reply = f.reply.unwrap();
    let m = Message::parse(&reply).unwrap();
    assert!(
        m.payloads
            .iter()
            .any(|p| matches!(p, mikey::wire::Payload::SecurityPolicy(_)))
    );
    let e = i.process(&reply).unwrap_err();
    assert_eq!(
        e.error,
        Error::PeerError {
            errors: vec![ErrorNo::InvalidSpPar],
            authenticated: true
        }
    );
}

#[test]
fn rekey_updates_keys_and_adds_streams() {
    let c = clock();
    let ci = psk_config(&c, |b| b.mki_len(2));
    let (mut i, mut r, _, _) = exchange(ci, psk_config(&c, |b| b), 1);
    let old = r.crypto_sessions()[0].keys.clone();
    c.advance(Duration::from_secs(1));
    let update = i.rekey(&streams(1)).unwrap();
    assert!(Message::parse(&update).unwrap().rand().is_none());
    let done = r.process(&update).unwrap();
    assert_eq!(done.event, Event::KeysEstablished { update: true });
    i.process(&done.reply.unwrap()).unwrap();
    same_keys(&i, &r);
    assert_eq!(r.crypto_sessions().len(), 2);
    assert_ne!(r.crypto_sessions()[0].keys, old);
    assert_ne!(r.crypto_sessions()[0].keys[0].mki, old[0].mki);
}

/// Updates u1 then u2 of one CSB, delivered u2 first: the late u1 is refused and the keys
/// stay u2's, the ones the Initiator holds (RFC 3830 §4.5, §5.4: an update older than
/// the last one accepted would roll the keys back). It is discarded without an answer.
#[test]
fn a_late_update_cannot_roll_the_keys_back() {
    let c = clock();
    let (mut i, mut r, _, _) = exchange(psk_config(&c, |b| b), psk_config(&c, |b| b), 2);
    c.advance(Duration::from_secs(1));
    let u1 = i.rekey(&[]).unwrap();
    c.advance(Duration::from_secs(1));
    let u2 = i.rekey(&[]).unwrap();
    let v2 = r.process(&u2).unwrap().reply.unwrap();
    let after_u2 = (r.state(), r.crypto_sessions().to_vec());
    let f = r.process(&u1).unwrap_err();
    assert_eq!(f.error, Error::TimestampNotNewer);
    assert!(
        f.reply.is_none(),
        "discarded silently, like any timestamp failure"
    );
    assert_eq!((r.state(), r.crypto_sessions().to_vec()), after_u2);
    assert_eq!(i.process(&v2).unwrap().event, Event::Verified);
    same_keys(&i, &r);
    // With COUNTER timestamps the replay cache's per-config watermark (the counter must
    // increase, RFC 3830 §5.2) already refuses the late update.
    let counter = |b: mikey::session::ConfigBuilder| b.timestamp_type(mikey::wire::TsType::Counter);
    let (mut i, mut r, _, _) = exchange(psk_config(&c, counter), psk_config(&c, counter), 1);
    let u1 = i.rekey(&[]).unwrap();
    let u2 = i.rekey(&[]).unwrap();
    r.process(&u2).unwrap();
    let after_u2 = r.crypto_sessions().to_vec();
    assert_eq!(r.process(&u1).unwrap_err().error, Error::Replayed);
    assert_eq!(r.crypto_sessions(), &after_u2[..]);
}

/// An Initiator whose clock was set back after an update still stamps the next update
/// newer than the last one (within the skew), so the Responder takes it.
#[test]
fn an_update_after_the_clock_was_set_back_is_still_newer() {
    let c = clock();
    let (mut i, mut r, _, _) = exchange(psk_config(&c, |b| b), psk_config(&c, |b| b), 1);
    c.advance(Duration::from_secs(30));
    let u1 = i.rekey(&[]).unwrap();
    let v1 = r.process(&u1).unwrap().reply.unwrap();
    i.process(&v1).unwrap();
    c.set(NOW + (10u64 << 32));
    let u2 = i.rekey(&[]).unwrap();
    let t = |m: &[u8]| *Message::parse(m).unwrap().timestamp().unwrap();
    assert_eq!(t(&u2).value, t(&u1).value + 1);
    let v2 = r.process(&u2).unwrap().reply.unwrap();
    assert_eq!(i.process(&v2).unwrap().event, Event::Verified);
    same_keys(&i, &r);
}

/// An update keeps the CSB's RAND, so its auth_key is the one of the first exchange and
/// the first verification message still carries a valid MAC: it is refused by its
/// timestamp (RFC 3830 §5.2, the Responder echoes the Initiator's), with nothing changed.
#[test]
fn an_earlier_verification_message_of_the_csb_is_a_timestamp_mismatch() {
    let c = clock();
    let (mut i, mut r, _, v1) = exchange(psk_config(&c, |b| b), psk_config(&c, |b| b), 1);
    c.advance(Duration::from_secs(1));
    let update = i.rekey(&streams(1)).unwrap();
    let before = (i.state(), i.crypto_sessions().to_vec());
    let f = i.process(&v1.unwrap()).unwrap_err();
    assert_eq!(f.error, Error::TimestampMismatch);
    assert!(f.reply.is_none());
    assert_eq!((i.state(), i.crypto_sessions().to_vec()), before);
    let v2 = r.process(&update).unwrap().reply.unwrap();
    assert_eq!(i.process(&v2).unwrap().event, Event::Verified);
    same_keys(&i, &r);
}

/// Every single-bit flip and every truncation of the I_MESSAGE and the verification
/// message is refused with the session unchanged.
#[test]
fn tampering_is_refused_and_changes_nothing() {
    let c = clock();
    let ci = psk_config(&c, |b| b);
    let cr = psk_config(&c, |b| b);
    let mut i = Session::initiator(ci.clone());
    let init = i.initiate(&streams(2)).unwrap();
    for bit in 0..init.len() * 8 {
        let mut bad = init.clone();
        bad[bit / 8] ^= 1 << (bit % 8);
        let mut r = Session::responder(cr.clone());
        let e = r.process(&bad).unwrap_err();
        assert_eq!(r.state(), State::Idle, "bit {bit}: {e:?}");
    }
    for len in 0..init.len() {
        let mut r = Session::responder(cr.clone());
        assert!(r.process(&init[..len]).is_err());
        assert_eq!(r.state(), State::Idle);
    }
    assert!(cr.replay_cache().is_empty());
    let mut r = Session::responder(cr.clone());
    let v = r.process(&init).unwrap().reply.unwrap();
    for bit in 0..v.len() * 8 {
        let mut bad = v.clone();
        bad[bit / 8] ^= 1 << (bit % 8);
        let e = i.process(&bad).unwrap_err();
        assert_eq!(i.state(), State::AwaitingVerification, "bit {bit}: {e:?}");
    }
    for len in 0..v.len() {
        assert!(i.process(&v[..len]).is_err());
        assert_eq!(i.state(), State::AwaitingVerification);
    }
    i.process(&v).unwrap();
    assert_eq!(i.process(&v).unwrap_err().error, Error::WrongState);
    same_keys(&i, &r);
}

#[test]
fn wrong_psk_gives_auth_failure_reported_unauthenticated() {
    let c = clock();
    let mut i = Session::initiator(psk_config(&c, |b| b));
    let init = i.initiate(&streams(1)).unwrap();
    let cr = Arc::new(
        ConfigBuilder::new(Mode::Psk)
            .psk(b"another key")
            .clock(c.clone())
            .build()
            .unwrap(),
    );
    let f = Session::responder(cr).process(&init).unwrap_err();
    assert_eq!(f.error, Error::AuthFailed);
    let e = i.process(&f.reply.unwrap()).unwrap_err();
    assert_eq!(
        e.error,
        Error::PeerError {
            errors: vec![ErrorNo::AuthFailure],
            authenticated: false
        }
    );
}

#[test]
fn threads_share_one_config_and_replay_cache() {
    let c = clock();
    let ci = psk_config(&c, |b| b);
    let cr = psk_config(&c, |b| b.replay_capacity(10_000));
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let (ci, cr) = (ci.clone(), cr.clone());
            std::thread::spawn(move || {
                for _ in 0..25 {
                    let (i, r, init, _) = exchange(ci.clone(), cr.clone(), 1);
                    same_keys(&i, &r);
                    let mut again = Session::responder(cr.clone());
                    assert_eq!(again.process(&init).unwrap_err().error, Error::Replayed);
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(cr.replay_cache().len(), 200);
    let _ = c.now_ntp();
}

#[test]
fn a_shared_replay_cache_must_cover_the_clock_skew() {
    let short = Arc::new(mikey::replay::ReplayCache::new(16, Duration::from_secs(10)));
    let b = ConfigBuilder::new(Mode::Psk)
        .psk(PSK)
        .replay_cache(short.clone());
    assert!(b.build().is_err());
    let b = ConfigBuilder::new(Mode::Psk)
        .psk(PSK)
        .clock_skew(Duration::from_secs(10))
        .replay_cache(short);
    assert!(b.build().is_ok());
}

#[test]
fn an_initiator_resumed_from_its_i_message_completes_the_exchange() {
    let clock = clock();
    let ci = psk_config(&clock, |b| b.mki_len(2));
    let cr = psk_config(&clock, |b| b);
    let mut i = Session::initiator(ci.clone());
    let init = i.initiate(&streams(3)).unwrap();
    let mut r = Session::responder(cr);
    let v = r.process(&init).unwrap().reply.unwrap();

    // While the session that sent it lives, its CSB ID is taken (RFC 3830 §6.1).
    assert_eq!(
        Session::resume_initiator(ci.clone(), &init).unwrap_err(),
        Error::CsbIdInUse
    );
    let (csb_id, sent_keys) = (i.csb_id(), i.crypto_sessions().to_vec());
    drop(i);
    let mut resumed = Session::resume_initiator(ci.clone(), &init).unwrap();
    assert_eq!(resumed.state(), State::AwaitingVerification);
    assert_eq!(resumed.csb_id(), csb_id);
    assert_eq!(resumed.crypto_sessions(), &sent_keys[..]);
    assert_eq!(resumed.process(&v).unwrap().event, Event::Verified);
    assert_eq!(resumed.crypto_sessions(), r.crypto_sessions());

    // Only a message these credentials open: every bit flip is refused.
    for bit in 0..init.len() * 8 {
        let mut bad = init.clone();
        bad[bit / 8] ^= 1 << (bit % 8);
        assert!(
            Session::resume_initiator(ci.clone(), &bad).is_err(),
            "bit {bit}"
        );
    }
    let other = psk_config(&clock, |b| b.psk(b"another key"));
    assert_eq!(
        Session::resume_initiator(other, &init).unwrap_err(),
        Error::AuthFailed
    );
    // An update carries no RAND: it cannot be resumed from.
    let update = resumed.rekey(&[]).unwrap();
    assert_eq!(
        Session::resume_initiator(ci, &update).unwrap_err(),
        Error::MissingPayload("RAND")
    );
    // A NULL-mode config does not take a PSK-mode message, nor the reverse.
    let null = null_config(&clock);
    assert_eq!(
        Session::resume_initiator(null.clone(), &init).unwrap_err(),
        Error::UnsupportedEncryption
    );
    let null_init = Session::initiator(null).initiate(&streams(1)).unwrap();
    let psk = psk_config(&clock, |b| b);
    assert_eq!(
        Session::resume_initiator(psk, &null_init).unwrap_err(),
        Error::UnsupportedEncryption
    );
}
