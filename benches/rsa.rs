//! RSA-2048 benchmarks of `mikey::crypto::rsa` (AWS-LC through aws-lc-rs), with OpenSSL's
//! libcrypto (the `openssl` crate) measured in the same run on the same key as the
//! baseline:
//!
//! - `sign`: RSASSA-PKCS1-v1_5 with SHA-256 over a 300-byte message (hashing included);
//! - `decrypt`: RSAES-PKCS1-v1_5 decryption of a 32-byte envelope key (ours: implicit
//!   rejection included);
//! - `encrypt`: RSAES-PKCS1-v1_5 encryption of a 32-byte envelope key;
//! - `verify`: the `sign` signature (ours: SubjectPublicKeyInfo parsing included, as
//!   [`RsaPublicKey::verify`] does it per call).
//!
//! Ours only: `verify/bad_pkcs1` and `verify/bad_pss`, a signature that does not verify,
//! which costs every hash (and PSS salt length) [`RsaPublicKey::verify`] tries.
//!
//! Setup checks (not timed): each side's signature verifies with the other, each side's
//! ciphertext opens with the other. After the criterion groups, a summary table gives our
//! median, OpenSSL's, the ratio and the target (sign <= 1.5x OpenSSL, decrypt <= 2x), from
//! its own loop (batches of calls interleaved between operations).
//!
//! `cargo bench --bench rsa`; quick run: `MIKEY_BENCH_QUICK=1 cargo bench --bench rsa`.
//! Under `cargo test --benches` only the checks and one call of each benchmark run.

use criterion::Criterion;
use mikey::crypto::rsa::{RsaPrivateKey, RsaPublicKey, SignatureHash, SignaturePadding};
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Private};
use openssl::pkey_ctx::PkeyCtx;
use openssl::rsa::{Padding, Rsa};
use openssl::sign::{Signer, Verifier};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// Set (to anything but `0`) for a quick run.
const QUICK_ENV: &str = "MIKEY_BENCH_QUICK";
const MESSAGE: [u8; 300] = [0x4d; 300];
const ENVELOPE_KEY: [u8; 32] = [0x6b; 32];

/// The key pair, once in each library, and one output of each operation.
struct Setup {
    ours: RsaPrivateKey,
    ours_public: RsaPublicKey,
    theirs: PKey<Private>,
    signature: Vec<u8>,
    ciphertext: Vec<u8>,
}

fn main() {
    let quick = std::env::var(QUICK_ENV).is_ok_and(|v| !v.is_empty() && v != "0");
    let args: Vec<String> = std::env::args().collect();
    let has = |flag: &str| args.iter().any(|a| a == flag);
    let benchmarking = has("--bench") && !has("--test") && !has("--list");

    let setup = checked_setup();
    let mut c = Criterion::default();
    if quick {
        c = c
            .warm_up_time(Duration::from_millis(200))
            .measurement_time(Duration::from_millis(1000))
            .sample_size(10);
    }
    let mut c = c.configure_from_args();
    criterion_benches(&mut c, &setup);
    c.final_summary();

    if benchmarking {
        summary(&setup, quick);
    }
}

/// A fresh RSA-2048 key from OpenSSL, imported into ours as PKCS#8 DER, after checking
/// that each side's signatures and ciphertexts are accepted by the other.
fn checked_setup() -> Setup {
    let theirs = PKey::from_rsa(Rsa::generate(2048).expect("keygen")).expect("pkey");
    let ours = RsaPrivateKey::from_der(&theirs.private_key_to_pkcs8().expect("pkcs8"))
        .expect("our import of OpenSSL's PKCS#8 key");
    let ours_public = RsaPublicKey::from_spki_der(&theirs.public_key_to_der().expect("spki"))
        .expect("our import of OpenSSL's SubjectPublicKeyInfo");
    assert_eq!(ours.public_key(), ours_public);

    let signature = ours_sign(&ours);
    assert_eq!(
        signature,
        openssl_sign(&theirs),
        "PKCS#1 v1.5 signatures are deterministic"
    );
    assert!(
        openssl_verify(&theirs, &signature),
        "OpenSSL verifies our signature"
    );
    assert_eq!(ours_verify(&ours_public, &signature), SignatureHash::Sha256);

    let ciphertext = ours_encrypt(&ours_public);
    assert_eq!(
        openssl_decrypt(&theirs, &ciphertext),
        ENVELOPE_KEY,
        "OpenSSL opens ours"
    );
    assert_eq!(
        ours_decrypt(&ours, &openssl_encrypt(&theirs)),
        ENVELOPE_KEY,
        "we open OpenSSL's"
    );
    println!(
        "RSA-2048 key from OpenSSL {}; cross-checks passed",
        openssl::version::version()
    );
    Setup {
        ours,
        ours_public,
        theirs,
        signature,
        ciphertext,
    }
}

fn ours_sign(key: &RsaPrivateKey) -> Vec<u8> {
    key.sign(
        SignaturePadding::Pkcs1v15,
        SignatureHash::Sha256,
        black_box(&MESSAGE),
    )
    .expect("signs")
}

fn ours_verify(key: &RsaPublicKey, signature: &[u8]) -> SignatureHash {
    key.verify(SignaturePadding::Pkcs1v15, black_box(&MESSAGE), signature)
        .expect("verifies")
}

fn ours_encrypt(key: &RsaPublicKey) -> Vec<u8> {
    key.encrypt_envelope(black_box(&ENVELOPE_KEY))
        .expect("encrypts")
}

fn ours_decrypt(key: &RsaPrivateKey, ciphertext: &[u8]) -> Vec<u8> {
    key.decrypt_envelope(black_box(ciphertext), &[0u8; 32])
        .to_vec()
}

fn openssl_sign(key: &PKey<Private>) -> Vec<u8> {
    let mut signer = Signer::new(MessageDigest::sha256(), key).expect("signer");
    signer.update(black_box(&MESSAGE)).expect("update");
    signer.sign_to_vec().expect("signs")
}

fn openssl_verify(key: &PKey<Private>, signature: &[u8]) -> bool {
    let mut verifier = Verifier::new(MessageDigest::sha256(), key).expect("verifier");
    verifier.update(black_box(&MESSAGE)).expect("update");
    verifier.verify(signature).expect("verify runs")
}

fn openssl_encrypt(key: &PKey<Private>) -> Vec<u8> {
    let mut ctx = PkeyCtx::new(key).expect("ctx");
    ctx.encrypt_init().expect("init");
    ctx.set_rsa_padding(Padding::PKCS1).expect("padding");
    let mut out = Vec::new();
    ctx.encrypt_to_vec(black_box(&ENVELOPE_KEY), &mut out)
        .expect("encrypts");
    out
}

fn openssl_decrypt(key: &PKey<Private>, ciphertext: &[u8]) -> Vec<u8> {
    let mut ctx = PkeyCtx::new(key).expect("ctx");
    ctx.decrypt_init().expect("init");
    ctx.set_rsa_padding(Padding::PKCS1).expect("padding");
    let mut out = Vec::new();
    ctx.decrypt_to_vec(black_box(ciphertext), &mut out)
        .expect("decrypts");
    out
}

/// A signature of the right length that verifies under no hash.
fn bad_signature(s: &Setup) -> Vec<u8> {
    let mut bad = s.signature.clone();
    bad[100] ^= 1;
    bad
}

fn criterion_benches(c: &mut Criterion, s: &Setup) {
    let bad = bad_signature(s);
    let mut group = c.benchmark_group("rsa2048/ours");
    group.bench_function("sign", |b| b.iter(|| ours_sign(&s.ours)));
    group.bench_function("decrypt", |b| {
        b.iter(|| ours_decrypt(&s.ours, &s.ciphertext))
    });
    group.bench_function("encrypt", |b| b.iter(|| ours_encrypt(&s.ours_public)));
    group.bench_function("verify", |b| {
        b.iter(|| ours_verify(&s.ours_public, &s.signature))
    });
    for (name, padding) in [
        ("verify/bad_pkcs1", SignaturePadding::Pkcs1v15),
        ("verify/bad_pss", SignaturePadding::Pss),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                s.ours_public
                    .verify(padding, black_box(&MESSAGE), &bad)
                    .is_err()
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("rsa2048/openssl");
    group.bench_function("sign", |b| b.iter(|| openssl_sign(&s.theirs)));
    group.bench_function("decrypt", |b| {
        b.iter(|| openssl_decrypt(&s.theirs, &s.ciphertext))
    });
    group.bench_function("encrypt", |b| b.iter(|| openssl_encrypt(&s.theirs)));
    group.bench_function("verify", |b| {
        b.iter(|| openssl_verify(&s.theirs, &s.signature))
    });
    group.finish();
}

/// A benchmarked operation: runs `n` calls and returns the elapsed time.
type Batch<'a> = Box<dyn FnMut(u32) -> Duration + 'a>;

fn batched<'a, T>(mut f: impl FnMut() -> T + 'a) -> Batch<'a> {
    Box::new(move |n| {
        let start = Instant::now();
        for _ in 0..n {
            black_box(f());
        }
        start.elapsed()
    })
}

struct Op<'a> {
    name: &'static str,
    ours: Batch<'a>,
    theirs: Option<Batch<'a>>,
    /// Largest accepted ours/OpenSSL ratio, if there is a target.
    target: Option<f64>,
}

/// Medians of batches of calls, interleaved across all operations and both libraries.
fn summary(s: &Setup, quick: bool) {
    let (batch, rounds) = if quick { (20, 9) } else { (100, 21) };
    let bad = bad_signature(s);
    let bad = &bad;
    let mut ops = [
        Op {
            name: "sign",
            ours: batched(move || ours_sign(&s.ours)),
            theirs: Some(batched(move || openssl_sign(&s.theirs))),
            target: Some(1.5),
        },
        Op {
            name: "decrypt",
            ours: batched(move || ours_decrypt(&s.ours, &s.ciphertext)),
            theirs: Some(batched(move || openssl_decrypt(&s.theirs, &s.ciphertext))),
            target: Some(2.0),
        },
        Op {
            name: "encrypt",
            ours: batched(move || ours_encrypt(&s.ours_public)),
            theirs: Some(batched(move || openssl_encrypt(&s.theirs))),
            target: None,
        },
        Op {
            name: "verify",
            ours: batched(move || ours_verify(&s.ours_public, &s.signature)),
            theirs: Some(batched(move || openssl_verify(&s.theirs, &s.signature))),
            target: None,
        },
        Op {
            name: "verify/bad_pkcs1",
            ours: batched(move || {
                s.ours_public
                    .verify(SignaturePadding::Pkcs1v15, black_box(&MESSAGE), bad)
                    .is_err()
            }),
            theirs: None,
            target: None,
        },
        Op {
            name: "verify/bad_pss",
            ours: batched(move || {
                s.ours_public
                    .verify(SignaturePadding::Pss, black_box(&MESSAGE), bad)
                    .is_err()
            }),
            theirs: None,
            target: None,
        },
    ];
    let per_call = |d: Duration| d.as_secs_f64() * 1e6 / f64::from(batch);
    let mut samples: Vec<(Vec<f64>, Vec<f64>)> = ops.iter().map(|_| Default::default()).collect();
    // Warm-up round, then the measured rounds; within a round the two libraries alternate.
    for round in 0..=rounds {
        for (op, (ours, theirs)) in ops.iter_mut().zip(&mut samples) {
            let t = per_call((op.ours)(batch));
            let o = op.theirs.as_mut().map(|f| per_call(f(batch)));
            if round > 0 {
                ours.push(t);
                theirs.extend(o);
            }
        }
    }

    println!();
    println!(
        "Summary: RSA-2048, median µs per call of {rounds} batches of {batch} calls, \
         interleaved, same process, same key"
    );
    println!(
        "{:<18} {:>10} {:>10} {:>8} {:>8}  verdict",
        "operation", "ours", "OpenSSL", "ratio", "target"
    );
    for (op, (ours, theirs)) in ops.iter().zip(&mut samples) {
        let ours = median(ours);
        if theirs.is_empty() {
            println!(
                "{:<18} {:>10.1} {:>10} {:>8} {:>8}",
                op.name, ours, "-", "-", "-"
            );
            continue;
        }
        let theirs = median(theirs);
        let ratio = ours / theirs;
        let (target, verdict) = match op.target {
            Some(t) if ratio <= t => (format!("<= {t}"), "meets the target"),
            Some(t) => (format!("<= {t}"), "MISSES the target"),
            None => ("-".to_string(), ""),
        };
        println!(
            "{:<18} {:>10.1} {:>10.1} {:>8.2} {:>8}  {verdict}",
            op.name, ours, theirs, ratio, target
        );
    }
}

fn median(samples: &mut [f64]) -> f64 {
    samples.sort_by(f64::total_cmp);
    let mid = samples.len() / 2;
    if samples.len() % 2 == 1 {
        samples[mid]
    } else {
        (samples[mid - 1] + samples[mid]) / 2.0
    }
}
