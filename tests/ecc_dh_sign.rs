//! DH-SIGN in the ECC profile (RFC 5197 §4.1, draft-ietf-msec-mikey-ecc-03 §2-3) through
//! the Rust API: ECDH on P-256 and P-384 and ECDSA signatures (S type 2), with EC
//! certificates made by the openssl tool at run time. SIGN is checked by `openssl dgst
//! -verify`; the ECDH agreement itself against OpenSSL is in tests/dh_openssl.rs. The
//! profile is off unless enabled, and an ECCSI-sized S type 2 signature is never read as
//! ECDSA.

mod pki;

use pki::{clock, uri};

use mikey::crypto::dh::{DhError, DhSecret, FfdhGroup, Group};
use mikey::crypto::ec::EcCurve;
use mikey::exchange::Error;
use mikey::rng::SystemRng;
use mikey::session::{Config, ConfigBuilder, Event, InitInputs, Mode, Session, State, StreamSpec};
use mikey::time::ManualClock;
use mikey::wire::{ErrorNo, Message, Payload, SignatureType};
use std::process::Command;
use std::sync::Arc;

const STREAMS: [StreamSpec; 1] = [StreamSpec {
    ssrc: 0xEC,
    roc: 0,
    policy_no: 0,
}];

/// The DH-SIGN config of `who` (an entity of `pki::EC_ENTITIES`, or an RSA one) with the
/// ECC profile on and `curve` as the DH group, talking to `peer`.
fn config(
    clock: &Arc<ManualClock>,
    who: &str,
    peer: &str,
    curve: EcCurve,
    f: impl FnOnce(ConfigBuilder) -> ConfigBuilder,
) -> Arc<Config> {
    let b = ConfigBuilder::new(Mode::DhSign)
        .ecc_profile(true)
        .dh_group(curve)
        .certificate_chain(vec![pki::cert(who)])
        .trust_anchors(pki::anchors("ca"))
        .local_identity(uri(&format!("sip:{}@example.com", person(who))))
        .peer_identity(uri(&format!("sip:{peer}@example.com")))
        .clock(clock.clone());
    let b = if who.contains("_p") {
        b.ec_private_key(pki::ec_key(who))
    } else {
        b.private_key(pki::key(who))
    };
    Arc::new(f(b).build().unwrap())
}

fn person(entity: &str) -> &str {
    entity.split('_').next().unwrap()
}

fn suffix(curve: EcCurve) -> &'static str {
    match curve {
        EcCurve::P256 => "p256",
        EcCurve::P384 => "p384",
    }
}

fn alice(c: &Arc<ManualClock>, curve: EcCurve) -> Arc<Config> {
    config(c, &format!("alice_{}", suffix(curve)), "bob", curve, |b| b)
}

fn bob(c: &Arc<ManualClock>, curve: EcCurve) -> Arc<Config> {
    config(c, &format!("bob_{}", suffix(curve)), "alice", curve, |b| b)
}

/// I_MESSAGE, R_MESSAGE between `ci` and `cr`: both sides keyed alike.
fn exchange(ci: Arc<Config>, cr: Arc<Config>) -> (Session, Vec<u8>, Vec<u8>) {
    let mut i = Session::initiator(ci);
    let mut r = Session::responder(cr);
    let init = i.initiate(&STREAMS).unwrap();
    let answer = r.process(&init).unwrap().reply.unwrap();
    assert_eq!(
        i.process(&answer).unwrap().event,
        Event::KeysEstablished { update: false }
    );
    assert_eq!(i.crypto_sessions(), r.crypto_sessions());
    assert_eq!(i.crypto_sessions().len(), 1);
    (i, init, answer)
}

fn dh_payloads(bytes: &[u8]) -> Vec<(u8, usize)> {
    Message::parse(bytes)
        .unwrap()
        .payloads
        .iter()
        .filter_map(|p| match p {
            Payload::Dh(dh) => Some((u8::from(dh.group), dh.value.len())),
            _ => None,
        })
        .collect()
}

fn sign_of(bytes: &[u8]) -> (SignatureType, Vec<u8>) {
    let m = Message::parse(bytes).unwrap();
    match m.payloads.last() {
        Some(Payload::Sign(s)) => (s.sig_type, s.signature.to_vec()),
        other => panic!("no SIGN last: {other:?}"),
    }
}

#[test]
fn p256_and_p384_exchanges_agree_with_draft_codepoints_and_sizes() {
    let c = clock();
    for (curve, code) in [(EcCurve::P256, 10u8), (EcCurve::P384, 13)] {
        let (_, init, answer) = exchange(alice(&c, curve), bob(&c, curve));
        // draft-ietf-msec-mikey-ecc-03 §3: DH-Group 10 (P-256) / 13 (P-384), the value an
        // uncompressed point.
        assert_eq!(dh_payloads(&init), [(code, curve.point_len())]);
        assert_eq!(
            dh_payloads(&answer),
            [(code, curve.point_len()), (code, curve.point_len())]
        );
        // §2: S type 2, here r || s at the group order's size.
        for m in [&init, &answer] {
            let (ty, sig) = sign_of(m);
            assert_eq!(ty, SignatureType::Eccsi);
            assert_eq!(sig.len(), curve.signature_len());
        }
    }
}

/// `openssl dgst -<hash> -verify` of a message's SIGN with `who`'s certificate key: the
/// `r || s` signature turned into the DER ECDSA-Sig-Value openssl reads.
fn openssl_verifies(bytes: &[u8], who: &str, curve: EcCurve) -> bool {
    let (_, sig) = sign_of(bytes);
    let n = curve.field_len();
    let der = openssl::ecdsa::EcdsaSig::from_private_components(
        openssl::bn::BigNum::from_slice(&sig[..n]).unwrap(),
        openssl::bn::BigNum::from_slice(&sig[n..]).unwrap(),
    )
    .unwrap()
    .to_der()
    .unwrap();
    let dir = pki::dir();
    let tag = format!("{who}-{}", bytes.len());
    let covered = dir.join(format!("{tag}.covered"));
    let sig_file = dir.join(format!("{tag}.sig"));
    let pubkey = dir.join(format!("{tag}.pub"));
    std::fs::write(&covered, &bytes[..bytes.len() - sig.len()]).unwrap();
    std::fs::write(&sig_file, der).unwrap();
    let out = Command::new("openssl")
        .args(["x509", "-pubkey", "-noout", "-in"])
        .arg(dir.join(format!("{who}.pem")))
        .output()
        .unwrap();
    std::fs::write(&pubkey, out.stdout).unwrap();
    let hash = match curve {
        EcCurve::P256 => "-sha256",
        EcCurve::P384 => "-sha384",
    };
    Command::new("openssl")
        .args(["dgst", hash, "-verify"])
        .arg(&pubkey)
        .arg("-signature")
        .arg(&sig_file)
        .arg(&covered)
        .output()
        .unwrap()
        .status
        .success()
}

#[test]
fn openssl_verifies_sign_i_and_sign_r_with_the_draft_hash() {
    let c = clock();
    for curve in [EcCurve::P256, EcCurve::P384] {
        let (_, init, answer) = exchange(alice(&c, curve), bob(&c, curve));
        let s = suffix(curve);
        assert!(openssl_verifies(&init, &format!("alice_{s}"), curve));
        assert!(openssl_verifies(&answer, &format!("bob_{s}"), curve));
        assert!(!openssl_verifies(&init, &format!("bob_{s}"), curve));
    }
}

#[test]
fn an_rsa_signer_and_an_ecdsa_signer_meet_on_an_ecdh_group() {
    let c = clock();
    let ci = alice(&c, EcCurve::P256);
    let cr = config(&c, "bob", "alice", EcCurve::P256, |b| b);
    let (_, init, answer) = exchange(ci, cr);
    assert_eq!(sign_of(&init).0, SignatureType::Eccsi);
    assert_eq!(sign_of(&answer).0, SignatureType::RsaPkcs1v15);
}

#[test]
fn the_profile_is_off_unless_enabled() {
    let c = clock();
    let off = |b: ConfigBuilder| b.ecc_profile(false);
    for (what, b) in [
        (
            "EC group",
            ConfigBuilder::new(Mode::DhSign)
                .private_key(pki::key("alice"))
                .dh_group(EcCurve::P256),
        ),
        (
            "EC key",
            ConfigBuilder::new(Mode::DhSign).ec_private_key(pki::ec_key("alice_p256")),
        ),
    ] {
        let err = off(b).check().unwrap_err();
        assert!(err.contains("ECC profile"), "{what}: {err}");
    }
    let dh_hmac = ConfigBuilder::new(Mode::DhHmac)
        .psk(&[7; 16])
        .ecc_profile(true)
        .dh_group(EcCurve::P384);
    assert!(dh_hmac.check().unwrap_err().contains("DH-SIGN"));
    let pk = ConfigBuilder::new(Mode::Pk)
        .private_key(pki::key("alice"))
        .ecc_profile(true)
        .ec_private_key(pki::ec_key("alice_p256"));
    assert!(pk.check().unwrap_err().contains("DH-SIGN"));
    let both = ConfigBuilder::new(Mode::DhSign)
        .private_key(pki::key("alice"))
        .ecc_profile(true)
        .ec_private_key(pki::ec_key("alice_p256"));
    assert!(both.check().unwrap_err().contains("not both"));

    // The two halves of the profile are independent (draft §2 and §3 "may be combined"):
    // an ECDSA signer on OAKLEY 5. A Responder without the profile reads S type 2 as ECCSI,
    // which it does not support; with the profile it accepts the message.
    let ecdsa_on_oakley = config(&c, "alice_p256", "bob", EcCurve::P256, |b| {
        b.dh_group(FfdhGroup::Oakley5)
    });
    let init = Session::initiator(ecdsa_on_oakley)
        .initiate(&STREAMS)
        .unwrap();
    let mut r = Session::responder(pki_bob_rsa(&c, |b| b));
    assert_eq!(
        r.process(&init).unwrap_err().error,
        Error::UnsupportedSignature
    );
    assert_eq!(r.state(), State::Idle);
    let mut r = Session::responder(pki_bob_rsa(&c, |b| b.ecc_profile(true)));
    assert!(r.process(&init).is_ok());
    // A P-256 offer to a Responder on OAKLEY 5 is refused with Error no. 6.
    let init = Session::initiator(alice(&c, EcCurve::P256))
        .initiate(&STREAMS)
        .unwrap();
    let mut r = Session::responder(pki_bob_rsa(&c, |b| b.ecc_profile(true)));
    let f = r.process(&init).unwrap_err();
    assert_eq!(f.error, Error::UnsupportedDhGroup);
    assert_eq!(
        Message::parse(&f.reply.unwrap()).unwrap().error_nos(),
        [ErrorNo::InvalidDh]
    );
}

/// Bob with his RSA key on OAKLEY 5.
fn pki_bob_rsa(
    c: &Arc<ManualClock>,
    f: impl FnOnce(ConfigBuilder) -> ConfigBuilder,
) -> Arc<Config> {
    let b = ConfigBuilder::new(Mode::DhSign)
        .private_key(pki::key("bob"))
        .dh_group(FfdhGroup::Oakley5)
        .certificate_chain(vec![pki::cert("bob")])
        .trust_anchors(pki::anchors("ca"))
        .local_identity(uri("sip:bob@example.com"))
        .clock(c.clone());
    Arc::new(f(b).build().unwrap())
}

#[test]
fn an_eccsi_sized_signature_is_never_read_as_ecdsa() {
    let c = clock();
    let init = Session::initiator(alice(&c, EcCurve::P256))
        .initiate(&STREAMS)
        .unwrap();
    // RFC 6507 §3.3: an ECCSI signature is r || s || PVT, 4N+1 = 129 bytes on P-256. The
    // SIGN payload's header is S type (4 bits) and Signature len (12 bits).
    let mut eccsi = init[..init.len() - 2 - 64].to_vec();
    eccsi.extend_from_slice(&[0x20, 129]);
    eccsi.extend_from_slice(&[0x04; 129]);
    let mut r = Session::responder(bob(&c, EcCurve::P256));
    assert_eq!(
        r.process(&eccsi).unwrap_err().error,
        Error::UnsupportedSignature
    );
    assert_eq!(r.state(), State::Idle);
    assert!(r.process(&init).is_ok());
}

#[test]
fn points_off_the_curve_are_refused_with_error_6() {
    let c = clock();
    let curve = EcCurve::P256;
    let mut i = Session::initiator(alice(&c, curve));
    let init = i.initiate(&STREAMS).unwrap();
    let genuine = Message::parse(&init).unwrap();
    let Some(Payload::Dh(dhi)) = genuine
        .payloads
        .iter()
        .find(|p| matches!(p, Payload::Dh(_)))
    else {
        panic!("no DHi")
    };
    let mut off_curve = dhi.value.to_vec();
    off_curve[64] ^= 1;
    let mut compressed_tag = dhi.value.to_vec();
    compressed_tag[0] = 0x02;
    let mut zero = vec![0u8; curve.point_len()];
    zero[0] = 0x04;
    for bad in [off_curve.clone(), compressed_tag, zero.clone()] {
        let edited = pki::resign_ec(&pki::with_dh_value(&init, 0, bad), "alice_p256");
        let mut r = Session::responder(bob(&c, curve));
        let f = r.process(&edited).unwrap_err();
        assert_eq!(f.error, Error::Dh(DhError::NotOnCurve));
        assert_eq!(
            Message::parse(&f.reply.unwrap()).unwrap().error_nos(),
            [ErrorNo::InvalidDh]
        );
        assert_eq!(r.state(), State::Idle);
    }
    // An answer whose DHr is off the curve, signed by Bob: the Initiator refuses it and
    // still takes the genuine answer.
    let answer = Session::responder(bob(&c, curve))
        .process(&init)
        .unwrap()
        .reply
        .unwrap();
    let forged = pki::resign_ec(&pki::with_dh_value(&answer, 0, off_curve), "bob_p256");
    assert_eq!(
        i.process(&forged).unwrap_err().error,
        Error::Dh(DhError::NotOnCurve)
    );
    assert_eq!(i.state(), State::AwaitingKeys);
    assert!(i.process(&answer).is_ok());
}

#[test]
fn every_truncation_and_bit_flip_is_refused() {
    let c = clock();
    let curve = EcCurve::P384;
    let mut i = Session::initiator(alice(&c, curve));
    let init = i.initiate(&STREAMS).unwrap();
    let mut r = Session::responder(bob(&c, curve));
    for len in 0..init.len() {
        assert!(r.process(&init[..len]).is_err());
    }
    for bit in 0..init.len() * 8 {
        let mut bad = init.clone();
        bad[bit / 8] ^= 1 << (bit % 8);
        assert!(r.process(&bad).is_err(), "I_MESSAGE bit {bit}");
        assert_eq!(r.state(), State::Idle);
    }
    let answer = r.process(&init).unwrap().reply.unwrap();
    for len in 0..answer.len() {
        assert!(i.process(&answer[..len]).is_err());
    }
    for bit in 0..answer.len() * 8 {
        let mut bad = answer.clone();
        bad[bit / 8] ^= 1 << (bit % 8);
        assert!(i.process(&bad).is_err(), "R_MESSAGE bit {bit}");
        assert_eq!(i.state(), State::AwaitingKeys);
    }
    assert!(i.process(&answer).is_ok());
}

#[test]
fn an_initiator_resumed_from_its_scalar_completes() {
    let c = clock();
    let curve = EcCurve::P256;
    let ci = alice(&c, curve);
    let scalar = DhSecret::generate(curve, &SystemRng::new())
        .unwrap()
        .exponent();
    assert_eq!(scalar.len(), Group::Ecdh(curve).secret_len());
    let inputs = InitInputs {
        dh_secret: Some(scalar.clone()),
        ..InitInputs::default()
    };
    let mut i = Session::initiator(ci.clone());
    let init = i.initiate_with(&STREAMS, &inputs).unwrap();
    let answer = Session::responder(bob(&c, curve))
        .process(&init)
        .unwrap()
        .reply
        .unwrap();
    // The resumed Initiator stands for another process: its own config (and CSB IDs).
    let elsewhere = alice(&c, curve);
    let mut resumed =
        Session::resume_initiator_with_dh_secret(elsewhere.clone(), &init, &scalar).unwrap();
    assert!(resumed.process(&answer).is_ok());
    assert!(i.process(&answer).is_ok());
    assert_eq!(resumed.crypto_sessions(), i.crypto_sessions());
    // Another scalar did not make this DHi.
    let other = DhSecret::generate(curve, &SystemRng::new())
        .unwrap()
        .exponent();
    assert!(matches!(
        Session::resume_initiator_with_dh_secret(alice(&c, curve), &init, &other),
        Err(Error::Config(_))
    ));
}
