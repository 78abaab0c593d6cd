//! MIKEY-PK exchanges end to end through the Rust API (RFC 3830 §3.2, §4.2.5, §4.2.6,
//! §5.2, §6.2, §6.3), with certificates made by the openssl tool at run time: keys agree,
//! the verification message checks, and each way an I_MESSAGE can be wrong is refused with
//! its own error and the session unchanged.

mod pki;

use pki::{clock, uri};

use mikey::crypto::cert::{CertError, CertHashFunc, Certificate};
use mikey::crypto::rsa::SignaturePadding;
use mikey::exchange::{CertIdentityBinder, Error};
use mikey::session::{Config, ConfigBuilder, Event, Mode, Session, State, StreamSpec};
use mikey::time::ManualClock;
use mikey::wire::{EncrAlg, ErrorNo, IdType, MacAlg, Message, Payload};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Alice, the Initiator: her key and certificate, Bob's certificate (for the envelope).
fn alice(clock: &Arc<ManualClock>, f: impl FnOnce(ConfigBuilder) -> ConfigBuilder) -> Arc<Config> {
    let b = ConfigBuilder::new(Mode::Pk)
        .private_key(pki::key("alice"))
        .certificate_chain(vec![pki::cert("alice")])
        .peer_certificate(pki::cert("bob"))
        .local_identity(uri("sip:alice@example.com"))
        .peer_identity(uri("sip:bob@example.com"))
        .clock(clock.clone());
    Arc::new(f(b).build().unwrap())
}

/// Bob, the Responder: his key and certificate, trusting the test CA.
fn bob(clock: &Arc<ManualClock>, f: impl FnOnce(ConfigBuilder) -> ConfigBuilder) -> Arc<Config> {
    let b = ConfigBuilder::new(Mode::Pk)
        .private_key(pki::key("bob"))
        .certificate_chain(vec![pki::cert("bob")])
        .trust_anchors(pki::anchors("ca"))
        .local_identity(uri("sip:bob@example.com"))
        .clock(clock.clone());
    Arc::new(f(b).build().unwrap())
}

fn streams() -> Vec<StreamSpec> {
    vec![
        StreamSpec {
            ssrc: 0x1111,
            roc: 0,
            policy_no: 0,
        },
        StreamSpec {
            ssrc: 0x2222,
            roc: 3,
            policy_no: 0,
        },
    ]
}

/// The whole exchange: I_MESSAGE, verification message; both sides hold the same keys.
fn exchange(ci: Arc<Config>, cr: Arc<Config>) -> (Session, Session, Vec<u8>) {
    let mut i = Session::initiator(ci);
    let mut r = Session::responder(cr);
    let init = i.initiate(&streams()).unwrap();
    let done = r.process(&init).unwrap();
    assert_eq!(done.event, Event::KeysEstablished { update: false });
    let v = done.reply.expect("V = 1: a verification message");
    assert_eq!(Message::parse(&v).unwrap().header.data_type.value(), 3);
    assert_eq!(i.process(&v).unwrap().event, Event::Verified);
    assert_eq!(i.state(), State::Established);
    assert_eq!(i.crypto_sessions(), r.crypto_sessions());
    assert_eq!(i.crypto_sessions().len(), 2);
    (i, r, init)
}

#[test]
fn pk_exchange_agrees_on_keys() {
    let c = clock();
    let (_, _, init) = exchange(alice(&c, |b| b), bob(&c, |b| b));
    // RFC 3830 §3.2: HDR, T, RAND, CERTi, IDr, SP, KEMAC, PKE, SIGNi.
    let m = Message::parse(&init).unwrap();
    assert_eq!(m.header.data_type.value(), 2);
    let kinds: Vec<&str> = m
        .payloads
        .iter()
        .map(|p| match p {
            Payload::Timestamp(_) => "T",
            Payload::Rand(_) => "RAND",
            Payload::Cert(_) => "CERT",
            Payload::Id(_) => "ID",
            Payload::SecurityPolicy(_) => "SP",
            Payload::Kemac(_) => "KEMAC",
            Payload::Pke(_) => "PKE",
            Payload::Sign(_) => "SIGN",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        ["T", "RAND", "CERT", "ID", "SP", "KEMAC", "PKE", "SIGN"]
    );
}

#[test]
fn pk_variants_agree() {
    let c = clock();
    // RSA-PSS signatures (S type 1), a CHASH, AES-KW with the NULL MAC (RFC 3830 §4.2.3),
    // HMAC-SHA-256 and AES-CM-256.
    exchange(
        alice(&c, |b| b.signature_padding(SignaturePadding::Pss)),
        bob(&c, |b| b),
    );
    exchange(
        alice(&c, |b| b.cert_hash(Some(CertHashFunc::Sha256))),
        bob(&c, |b| b),
    );
    exchange(
        alice(&c, |b| b.cert_hash(Some(CertHashFunc::Sha1))),
        bob(&c, |b| b),
    );
    exchange(
        alice(&c, |b| b.encryption(EncrAlg::AesKw128).mac(MacAlg::Null)),
        bob(&c, |b| b),
    );
    exchange(
        alice(&c, |b| {
            b.encryption(EncrAlg::AesCm256).mac(MacAlg::HmacSha256_256)
        }),
        bob(&c, |b| b),
    );
    // Without CERTi the Responder needs the Initiator's certificate configured.
    exchange(
        alice(&c, |b| b.send_certificates(false)),
        bob(&c, |b| b.peer_certificate(pki::cert("alice"))),
    );
}

/// Processes `bytes` and checks that it fails with `error`, leaving the Responder as it was.
fn refused(r: &mut Session, bytes: &[u8], error: Error) -> Option<Vec<u8>> {
    let before = format!("{r:?}");
    let f = r.process(bytes).unwrap_err();
    assert_eq!(f.error, error);
    assert_eq!(format!("{r:?}"), before);
    assert_eq!(r.state(), State::Idle);
    f.reply
}

fn error_nos(reply: &[u8]) -> Vec<ErrorNo> {
    Message::parse(reply).unwrap().error_nos()
}

#[test]
fn tampered_signature_is_refused() {
    let c = clock();
    let init = Session::initiator(alice(&c, |b| b))
        .initiate(&streams())
        .unwrap();
    let mut bad = init.clone();
    let last = bad.len() - 1;
    bad[last] ^= 1;
    let reply = refused(
        &mut Session::responder(bob(&c, |b| b)),
        &bad,
        Error::SignatureInvalid,
    );
    assert_eq!(error_nos(&reply.unwrap()), [ErrorNo::AuthFailure]);
}

#[test]
fn tampered_envelope_fails_as_a_mac_failure() {
    let c = clock();
    let ca = alice(&c, |b| b);
    let init = Session::initiator(ca).initiate(&streams()).unwrap();
    // Re-sign a message whose PKE was altered: only the envelope is wrong, and it fails
    // exactly as a wrong MAC does (implicit rejection).
    let m = Message::parse(&init).unwrap();
    let pke_at = init.len() - 2 - 256 - 256; // SIGN header + signature, PKE data
    let mut bad = init.clone();
    bad[pke_at + 10] ^= 0x40;
    let bad = pki::resign(&bad, "alice");
    assert!(matches!(m.payloads[m.payloads.len() - 2], Payload::Pke(_)));
    let reply = refused(
        &mut Session::responder(bob(&c, |b| b)),
        &bad,
        Error::AuthFailed,
    );
    assert_eq!(error_nos(&reply.unwrap()), [ErrorNo::AuthFailure]);
}

#[test]
fn wrong_responder_key_fails_as_a_mac_failure() {
    let c = clock();
    let init = Session::initiator(alice(&c, |b| b))
        .initiate(&streams())
        .unwrap();
    // Carol's key cannot open an envelope made for Bob.
    let mut r = Session::responder(bob(&c, |b| b.private_key(pki::key("carol"))));
    refused(&mut r, &init, Error::AuthFailed);
}

#[test]
fn untrusted_chain_is_refused() {
    let c = clock();
    // Mallory's certificate names Alice but comes from a CA Bob does not trust.
    let ci = alice(&c, |b| {
        b.private_key(pki::key("mallory"))
            .certificate_chain(vec![pki::cert("mallory")])
    });
    let init = Session::initiator(ci).initiate(&streams()).unwrap();
    let reply = refused(
        &mut Session::responder(bob(&c, |b| b)),
        &init,
        Error::Certificate(CertError::UnknownIssuer),
    );
    assert_eq!(error_nos(&reply.unwrap()), [ErrorNo::InvalidCert]);
}

#[test]
fn identity_not_in_certificate_is_refused() {
    let c = clock();
    // Alice claims to be Carol: the KEMAC's IDi is not the identity of her certificate.
    let ci = alice(&c, |b| b.local_identity(uri("sip:carol@example.com")));
    let init = Session::initiator(ci).initiate(&streams()).unwrap();
    refused(
        &mut Session::responder(bob(&c, |b| b)),
        &init,
        Error::CertificateIdentity,
    );
}

#[test]
fn identity_binder_decides_instead_of_the_subject_alt_name() {
    // RFC 3830 §4.3 leaves the binding of identity and certificate to local policy: the
    // application's binder replaces the subjectAltName match.
    let c = clock();
    // Alice's identity is a telephone number her certificate does not name; Bob's
    // directory binds it to her certificate.
    let ci = alice(&c, |b| b.local_identity(uri("tel:+15551234")));
    let init = Session::initiator(ci).initiate(&streams()).unwrap();
    refused(
        &mut Session::responder(bob(&c, |b| b)),
        &init,
        Error::CertificateIdentity,
    );
    let alice_der = pki::cert("alice").der().to_vec();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let binder: CertIdentityBinder = {
        let seen = seen.clone();
        Arc::new(move |cert: &Certificate, id_type, id: &[u8], san: bool| {
            seen.lock().unwrap().push((id_type, id.to_vec(), san));
            san || (cert.der() == &alice_der[..] && id == b"tel:+15551234")
        })
    };
    let mut r = Session::responder(bob(&c, |b| b.certificate_identity_binder(binder)));
    assert_eq!(
        r.process(&init).unwrap().event,
        Event::KeysEstablished { update: false }
    );
    assert_eq!(
        seen.lock().unwrap().as_slice(),
        &[(IdType::Uri, b"tel:+15551234".to_vec(), false)]
    );
    // A binder that refuses overrides a matching subjectAltName.
    let init = Session::initiator(alice(&c, |b| b))
        .initiate(&streams())
        .unwrap();
    let never: CertIdentityBinder = Arc::new(|_: &Certificate, _, _: &[u8], san: bool| {
        assert!(san, "Alice's certificate names her sip: URI");
        false
    });
    refused(
        &mut Session::responder(bob(&c, |b| b.certificate_identity_binder(never))),
        &init,
        Error::CertificateIdentity,
    );
}

#[test]
fn pinned_peer_certificate_is_enforced() {
    let c = clock();
    let init = Session::initiator(alice(&c, |b| b))
        .initiate(&streams())
        .unwrap();
    let mut r = Session::responder(bob(&c, |b| b.peer_certificate(pki::cert("carol"))));
    let f = r.process(&init).unwrap_err();
    assert!(matches!(f.error, Error::Certificate(_)), "{:?}", f.error);
}

#[test]
fn expired_certificate_is_refused() {
    let c = clock();
    let init = Session::initiator(alice(&c, |b| b))
        .initiate(&streams())
        .unwrap();
    // 60 days later the 30-day certificates have expired; the message is sent then too.
    c.advance(Duration::from_secs(60 * 86400));
    let init_late = Session::initiator(alice(&c, |b| b))
        .initiate(&streams())
        .unwrap();
    assert_ne!(init, init_late);
    refused(
        &mut Session::responder(bob(&c, |b| b)),
        &init_late,
        Error::Certificate(CertError::Expired),
    );
}

#[test]
fn replay_and_stale_timestamp_are_refused() {
    let c = clock();
    let cr = bob(&c, |b| b);
    let (_, _, init) = exchange(alice(&c, |b| b), cr.clone());
    let mut r2 = Session::responder(cr.clone());
    assert_eq!(r2.process(&init).unwrap_err().error, Error::Replayed);
    let fresh = Session::initiator(alice(&c, |b| b))
        .initiate(&streams())
        .unwrap();
    c.advance(Duration::from_secs(3600));
    let f = Session::responder(cr).process(&fresh).unwrap_err();
    assert!(matches!(f.error, Error::Timestamp(_)), "{:?}", f.error);
    assert!(f.reply.is_none());
}

#[test]
fn every_truncation_and_bit_flip_is_refused() {
    let c = clock();
    let init = Session::initiator(alice(&c, |b| b))
        .initiate(&streams())
        .unwrap();
    let cr = bob(&c, |b| b);
    for len in 0..init.len() {
        let mut r = Session::responder(cr.clone());
        assert!(r.process(&init[..len]).is_err(), "truncated to {len}");
        assert_eq!(r.state(), State::Idle);
    }
    for bit in (0..init.len() * 8).step_by(7) {
        let mut bad = init.clone();
        bad[bit / 8] ^= 1 << (bit % 8);
        let mut r = Session::responder(cr.clone());
        assert!(r.process(&bad).is_err(), "bit {bit} flipped");
        assert_eq!(r.state(), State::Idle);
    }
}

/// Runs the openssl tool in the test PKI directory; returns its stdout.
fn openssl(args: &[&str]) -> Vec<u8> {
    let out = std::process::Command::new("openssl")
        .args(args)
        .current_dir(pki::dir())
        .output()
        .expect("the openssl command-line tool is needed (scripts/deps.sh installs it)");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn openssl_opens_the_envelope_and_verifies_the_signature() {
    let c = clock();
    for padding in [SignaturePadding::Pkcs1v15, SignaturePadding::Pss] {
        let init = Session::initiator(alice(&c, |b| b.signature_padding(padding)))
            .initiate(&streams())
            .unwrap();
        let m = Message::parse(&init).unwrap();
        let (Payload::Pke(pke), Payload::Sign(sign)) = (
            &m.payloads[m.payloads.len() - 2],
            &m.payloads[m.payloads.len() - 1],
        ) else {
            panic!("PKE, SIGN expected last");
        };
        let tag = format!("{}-{:?}", std::process::id(), padding);
        let dir = pki::dir();
        // PKE = E(PKr, env_key), RSAES-PKCS1-v1_5 (RFC 3830 §3.2, §4.2.5): Bob's key opens
        // it into a 32-byte envelope key.
        std::fs::write(dir.join(format!("pke-{tag}.bin")), &pke.data[..]).unwrap();
        let env_key = openssl(&[
            "pkeyutl",
            "-decrypt",
            "-inkey",
            "bob.key",
            "-pkeyopt",
            "rsa_padding_mode:pkcs1",
            "-in",
            &format!("pke-{tag}.bin"),
        ]);
        assert_eq!(env_key.len(), 32);
        // SIGNi covers the whole message except the Signature field, so the S type and
        // Signature len bytes are covered (RFC 3830 §5.2).
        let covered = &init[..init.len() - sign.signature.len()];
        std::fs::write(dir.join(format!("covered-{tag}.bin")), covered).unwrap();
        std::fs::write(dir.join(format!("sig-{tag}.bin")), &sign.signature[..]).unwrap();
        let pubkey = openssl(&["x509", "-in", "alice.pem", "-pubkey", "-noout"]);
        std::fs::write(dir.join(format!("alice-pub-{tag}.pem")), pubkey).unwrap();
        let mut args = vec![
            "dgst".to_string(),
            "-sha256".into(),
            "-verify".into(),
            format!("alice-pub-{tag}.pem"),
            "-signature".into(),
            format!("sig-{tag}.bin"),
        ];
        if padding == SignaturePadding::Pss {
            for o in [
                "rsa_padding_mode:pss",
                "rsa_pss_saltlen:32",
                "rsa_mgf1_md:sha256",
            ] {
                args.push("-sigopt".into());
                args.push(o.into());
            }
        }
        args.push(format!("covered-{tag}.bin"));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        assert_eq!(openssl(&args), b"Verified OK\n");
    }
}
