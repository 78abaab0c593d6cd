//! Full public-key exchanges against the RSA operations they need, measured in the same run
//! with OpenSSL's libcrypto (the `openssl` crate, a dev-dependency: the bench-only path):
//!
//! - MIKEY-PK (RFC 3830 §3.2), V requested: the Initiator signs SIGNi and encrypts the
//!   envelope; the Responder validates the Initiator's certificate (one signature by the
//!   CA), verifies SIGNi and decrypts the envelope; the verification message is a MAC.
//!   RSA in it: 1 sign, 1 encrypt, 2 verify, 1 decrypt;
//! - MIKEY-RSA-R (RFC 4738), unicast: the Initiator signs SIGNi; the Responder validates
//!   and verifies it, encrypts the envelope, signs SIGNr; the Initiator validates and
//!   verifies it and decrypts. RSA in it: 2 sign, 4 verify, 1 encrypt, 1 decrypt.
//!
//! The baseline is the sum of those operations by libcrypto (RSA-2048, PKCS#1 v1.5,
//! SHA-256, on the same keys), target ratio 1.1. Keys and certificates: the fixed test PKI
//! of tests/data/pk. A manual clock advances 0.1 s per exchange.
//!
//! `cargo bench --bench pk_exchange`; `MIKEY_BENCH_QUICK=1` for a short run. Under
//! `cargo test --benches` one exchange of each runs as a check.

mod same_run;

use mikey::crypto::cert::TrustAnchors;
use mikey::crypto::rsa::RsaPrivateKey;
use mikey::session::{Config, ConfigBuilder, Event, Mode, Session, StreamSpec};
use mikey::time::{ManualClock, ntp_from_system_time};
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Private, Public};
use openssl::rsa::Padding;
use openssl::sign::{Signer, Verifier};
use same_run::{
    ALICE_KEY, ALICE_PEM, BOB_KEY, BOB_PEM, CA, Target, cert, libcrypto_rows, median, per_call, uri,
};
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// `who` (alice or bob) in `mode`, trusting the test CA; Alice pins Bob's certificate.
fn config(mode: Mode, clock: &Arc<ManualClock>, alice: bool) -> Arc<Config> {
    let (key, own, me) = if alice {
        (ALICE_KEY, ALICE_PEM, "sip:alice@example.com")
    } else {
        (BOB_KEY, BOB_PEM, "sip:bob@example.com")
    };
    let mut b = ConfigBuilder::new(mode)
        .private_key(RsaPrivateKey::from_pem(key).unwrap())
        .certificate_chain(vec![cert(own)])
        .trust_anchors(TrustAnchors::from_certificates(&[cert(CA)]).unwrap())
        .local_identity(uri(me))
        .replay_capacity(1 << 16)
        .clock(clock.clone());
    if alice {
        b = b.peer_identity(uri("sip:bob@example.com"));
        if mode == Mode::Pk {
            b = b.peer_certificate(cert(BOB_PEM));
        }
    }
    Arc::new(b.build().unwrap())
}

const STREAM: [StreamSpec; 1] = [StreamSpec {
    ssrc: 0xDEAD_BEEF,
    roc: 0,
    policy_no: 0,
}];

/// One whole exchange; both sides end with the same key.
fn exchange(ci: &Arc<Config>, cr: &Arc<Config>, clock: &ManualClock) {
    clock.advance(Duration::from_millis(100));
    let mut i = Session::initiator(ci.clone());
    let mut r = Session::responder(cr.clone());
    let init = i.initiate(&STREAM).expect("initiate");
    let reply = r.process(&init).expect("respond").reply.expect("an answer");
    let done = i.process(&reply).expect("complete");
    assert!(matches!(
        done.event,
        Event::Verified | Event::KeysEstablished { .. }
    ));
    let a = i.crypto_sessions()[0].keys[0].key_salt().to_vec();
    assert_eq!(a, r.crypto_sessions()[0].keys[0].key_salt());
    black_box(a);
}

/// The RSA operations of libcrypto on the same keys.
struct Libcrypto {
    alice: PKey<Private>,
    alice_public: PKey<Public>,
    bob: PKey<Private>,
    /// A certificate-sized message and Alice's signature over it: verifying it is the
    /// operation a path validation does for one certificate (same key size and hash).
    signed: Vec<u8>,
    signature: Vec<u8>,
}

impl Libcrypto {
    fn new() -> Libcrypto {
        let alice = PKey::private_key_from_pem(ALICE_KEY).unwrap();
        let alice_public = PKey::public_key_from_der(&alice.public_key_to_der().unwrap()).unwrap();
        let signed = vec![0x5a; 800];
        let mut s = Signer::new(MessageDigest::sha256(), &alice).unwrap();
        s.update(&signed).unwrap();
        let signature = s.sign_to_vec().unwrap();
        Libcrypto {
            bob: PKey::private_key_from_pem(BOB_KEY).unwrap(),
            alice,
            alice_public,
            signed,
            signature,
        }
    }

    fn sign(&self) -> Vec<u8> {
        let mut s = Signer::new(MessageDigest::sha256(), &self.alice).unwrap();
        s.update(black_box(&[0x11; 1000])).unwrap();
        s.sign_to_vec().unwrap()
    }

    fn verify(&self) {
        let mut v = Verifier::new(MessageDigest::sha256(), &self.alice_public).unwrap();
        v.update(black_box(&self.signed)).unwrap();
        assert!(v.verify(&self.signature).unwrap());
    }

    fn encrypt(&self) -> Vec<u8> {
        let rsa = self.bob.rsa().unwrap();
        let mut out = vec![0u8; rsa.size() as usize];
        let n = rsa
            .public_encrypt(black_box(&[7u8; 32]), &mut out, Padding::PKCS1)
            .unwrap();
        out.truncate(n);
        out
    }

    fn decrypt(&self, ciphertext: &[u8]) {
        let rsa = self.bob.rsa().unwrap();
        let mut out = vec![0u8; rsa.size() as usize];
        let n = rsa
            .private_decrypt(black_box(ciphertext), &mut out, Padding::PKCS1)
            .unwrap();
        assert_eq!(n, 32);
    }
}

fn main() {
    let (benchmarking, quick) = same_run::mode();
    let clock = Arc::new(ManualClock::new(ntp_from_system_time(SystemTime::now())));
    let (pk_i, pk_r) = (
        config(Mode::Pk, &clock, true),
        config(Mode::Pk, &clock, false),
    );
    let (rr_i, rr_r) = (
        config(Mode::RsaR, &clock, true),
        config(Mode::RsaR, &clock, false),
    );
    exchange(&pk_i, &pk_r, &clock);
    exchange(&rr_i, &rr_r, &clock);
    let lc = Libcrypto::new();
    let ct = lc.encrypt();
    lc.decrypt(&ct);
    lc.verify();
    black_box(lc.sign());
    if !benchmarking {
        println!("pk_exchange: one PK and one RSA-R exchange checked");
        return;
    }
    let (rounds, n) = if quick { (5, 20) } else { (21, 100) };
    let mut t = [
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    ];
    for _ in 0..rounds {
        t[0].push(per_call(n, &mut || exchange(&pk_i, &pk_r, &clock)));
        t[1].push(per_call(n, &mut || exchange(&rr_i, &rr_r, &clock)));
        t[2].push(per_call(n, &mut || {
            black_box(lc.sign());
        }));
        t[3].push(per_call(n, &mut || lc.verify()));
        t[4].push(per_call(n, &mut || {
            black_box(lc.encrypt());
        }));
        t[5].push(per_call(n, &mut || lc.decrypt(&ct)));
    }
    let [pk, rr, sign, verify, encrypt, decrypt] = t.map(median);
    let pk_floor = sign + encrypt + 2.0 * verify + decrypt;
    let rr_floor = 2.0 * sign + 4.0 * verify + encrypt + decrypt;
    println!();
    println!(
        "libcrypto {} RSA-2048: sign {sign:.1} us, verify {verify:.1} us, encrypt {encrypt:.1} us, decrypt {decrypt:.1} us",
        openssl::version::version()
    );
    println!("| exchange | mikey (us) | its RSA operations in libcrypto (us) | ratio | target |");
    println!("|---|---|---|---|---|");
    println!(
        "| PK (1 sign, 1 encrypt, 2 verify, 1 decrypt) | {pk:.1} | {pk_floor:.1} | {:.2} | <= 1.1 |",
        pk / pk_floor
    );
    println!(
        "| RSA-R (2 sign, 4 verify, 1 encrypt, 1 decrypt) | {rr:.1} | {rr_floor:.1} | {:.2} | <= 1.1 |",
        rr / rr_floor
    );
    libcrypto_rows(&[
        (
            "MIKEY-PK exchange, RSA-2048",
            pk,
            "1 sign, 1 encrypt, 2 verify, 1 decrypt",
            pk_floor,
            Target::AtMost(1.1),
        ),
        (
            "MIKEY-RSA-R exchange, RSA-2048",
            rr,
            "2 sign, 4 verify, 1 encrypt, 1 decrypt",
            rr_floor,
            Target::AtMost(1.1),
        ),
    ]);
}
