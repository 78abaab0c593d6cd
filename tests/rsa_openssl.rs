//! Cross-checks of `mikey::crypto::rsa` against the OpenSSL command line, with keys made at
//! run time by `openssl genpkey` in a temporary directory:
//!
//! - PKE envelopes (RFC 3830 §4.2.5, RSAES-PKCS1-v1_5): ours open with `openssl pkeyutl
//!   -decrypt`, and `openssl pkeyutl -encrypt`'s open with ours;
//! - SIGN payloads (RFC 3830 §4.2.6, §6.5): ours verify with `openssl dgst -verify`
//!   (RSASSA-PSS pinned to MGF1 with the same hash and a salt as long as the hash), and
//!   OpenSSL's verify with ours, reporting the hash used;
//! - key import: every encoding OpenSSL writes gives the key `openssl pkey -pubout` shows.
//!
//! The `openssl` tool must be installed (CI installs it); without it these tests fail.

use mikey::crypto::rsa::{RsaError, RsaPrivateKey, RsaPublicKey, SignatureHash, SignaturePadding};
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A temporary directory holding one fresh RSA key (`key.pem`, PKCS#8) and its public key
/// (`pub.pem`, `pub.der`), removed on drop.
struct KeyDir {
    dir: PathBuf,
}

impl KeyDir {
    fn new(bits: u32) -> KeyDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "mikey-rsa-openssl-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let d = KeyDir { dir };
        let bits = format!("rsa_keygen_bits:{bits}");
        d.openssl(&[
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            &bits,
            "-out",
            "key.pem",
        ]);
        d.openssl(&["pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem"]);
        d.openssl(&[
            "pkey", "-in", "key.pem", "-pubout", "-outform", "DER", "-out", "pub.der",
        ]);
        d
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.path(name)).unwrap()
    }

    fn write(&self, name: &str, bytes: &[u8]) {
        std::fs::write(self.path(name), bytes).unwrap();
    }

    fn private_key(&self) -> RsaPrivateKey {
        RsaPrivateKey::from_pem(&self.read("key.pem")).unwrap()
    }

    fn public_key(&self) -> RsaPublicKey {
        RsaPublicKey::from_spki_der(&self.read("pub.der")).unwrap()
    }

    /// Runs `openssl args` in the directory; panics with its stderr if it fails.
    fn openssl(&self, args: &[&str]) {
        assert!(self.try_openssl(args), "openssl {args:?} failed");
    }

    /// Runs `openssl args` in the directory: did it succeed? A missing `openssl` fails the
    /// test rather than skipping it.
    fn try_openssl(&self, args: &[&str]) -> bool {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(&self.dir)
            .output()
            .unwrap_or_else(|e| {
                panic!("tests/rsa_openssl.rs needs the `openssl` command line tool on PATH: {e}")
            });
        if !out.status.success() {
            eprintln!("openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        }
        out.status.success()
    }
}

impl Drop for KeyDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Distinct, recognisable bytes of length `len`.
fn bytes(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

fn digest_flag(hash: SignatureHash) -> &'static str {
    match hash {
        SignatureHash::Sha1 => "-sha1",
        SignatureHash::Sha256 => "-sha256",
        SignatureHash::Sha384 => "-sha384",
        SignatureHash::Sha512 => "-sha512",
    }
}

/// `openssl dgst` options for a padding (PSS: MGF1 with the signature's hash, and the given
/// salt length).
fn padding_opts(padding: SignaturePadding, hash: SignatureHash, salt: &str) -> Vec<String> {
    match padding {
        SignaturePadding::Pkcs1v15 => vec![],
        SignaturePadding::Pss => [
            "rsa_padding_mode:pss".to_string(),
            format!("rsa_pss_saltlen:{salt}"),
            format!("rsa_mgf1_md:{}", &digest_flag(hash)[1..]),
        ]
        .into_iter()
        .flat_map(|o| ["-sigopt".to_string(), o])
        .collect(),
    }
}

#[test]
fn our_envelopes_open_with_openssl() {
    for bits in [2048, 3072] {
        let d = KeyDir::new(bits);
        let public = d.public_key();
        for len in [1, 16, 32, public.modulus_len() - 11] {
            let plaintext = bytes(len, 1);
            d.write("ct.bin", &public.encrypt_envelope(&plaintext).unwrap());
            d.openssl(&[
                "pkeyutl",
                "-decrypt",
                "-inkey",
                "key.pem",
                "-pkeyopt",
                "rsa_padding_mode:pkcs1",
                "-in",
                "ct.bin",
                "-out",
                "pt.bin",
            ]);
            assert_eq!(d.read("pt.bin"), plaintext, "{bits} bits, {len} bytes");
        }
    }
}

#[test]
fn openssl_envelopes_open_with_ours() {
    for bits in [2048, 3072] {
        let d = KeyDir::new(bits);
        let key = d.private_key();
        let fallback = [0x5a; 32];
        for len in [1, 16, 32, key.modulus_len() - 11] {
            let plaintext = bytes(len, 2);
            d.write("pt.bin", &plaintext);
            d.openssl(&[
                "pkeyutl",
                "-encrypt",
                "-pubin",
                "-inkey",
                "pub.pem",
                "-pkeyopt",
                "rsa_padding_mode:pkcs1",
                "-in",
                "pt.bin",
                "-out",
                "ct.bin",
            ]);
            let opened = key.decrypt_envelope(&d.read("ct.bin"), &fallback);
            assert_eq!(&opened[..], &plaintext[..], "{bits} bits, {len} bytes");
        }
    }
}

#[test]
fn our_signatures_verify_with_openssl() {
    let d = KeyDir::new(2048);
    let key = d.private_key();
    let message = bytes(300, 3);
    d.write("msg.bin", &message);
    for padding in [SignaturePadding::Pkcs1v15, SignaturePadding::Pss] {
        for hash in [
            SignatureHash::Sha256,
            SignatureHash::Sha384,
            SignatureHash::Sha512,
        ] {
            d.write("sig.bin", &key.sign(padding, hash, &message).unwrap());
            // PSS pinned to a salt as long as the hash: what this module says it signs with.
            let opts = padding_opts(padding, hash, "digest");
            let mut args = vec!["dgst", digest_flag(hash), "-verify", "pub.pem"];
            args.extend(opts.iter().map(String::as_str));
            args.extend(["-signature", "sig.bin", "msg.bin"]);
            d.openssl(&args);
            // And a tampered message does not verify, so the check above means something.
            d.write("other.bin", &bytes(300, 4));
            let last = args.len() - 1;
            args[last] = "other.bin";
            assert!(
                !d.try_openssl(&args),
                "{padding:?} {hash:?} verified a tampered message"
            );
        }
    }
}

#[test]
fn openssl_signatures_verify_with_ours() {
    let d = KeyDir::new(2048);
    let public = d.public_key();
    let message = bytes(300, 5);
    d.write("msg.bin", &message);
    let sign = |padding, hash, salt| {
        let opts = padding_opts(padding, hash, salt);
        let mut args = vec!["dgst", digest_flag(hash), "-sign", "key.pem"];
        args.extend(opts.iter().map(String::as_str));
        args.extend(["-out", "sig.bin", "msg.bin"]);
        d.openssl(&args);
        d.read("sig.bin")
    };
    for hash in [
        SignatureHash::Sha1,
        SignatureHash::Sha256,
        SignatureHash::Sha384,
        SignatureHash::Sha512,
    ] {
        let sig = sign(SignaturePadding::Pkcs1v15, hash, "");
        assert_eq!(
            public.verify(SignaturePadding::Pkcs1v15, &message, &sig),
            Ok(hash)
        );
        assert_eq!(
            public.verify(SignaturePadding::Pkcs1v15, &message[1..], &sig),
            Err(RsaError::BadSignature)
        );
    }
    for hash in [
        SignatureHash::Sha256,
        SignatureHash::Sha384,
        SignatureHash::Sha512,
    ] {
        for salt in ["digest", "max"] {
            let sig = sign(SignaturePadding::Pss, hash, salt);
            assert_eq!(
                public.verify(SignaturePadding::Pss, &message, &sig),
                Ok(hash),
                "PSS {hash:?} salt {salt}"
            );
            assert_eq!(
                public.verify(SignaturePadding::Pkcs1v15, &message, &sig),
                Err(RsaError::BadSignature)
            );
        }
    }
    // The documented gap: the backend has no RSASSA-PSS verifier for SHA-1.
    let sig = sign(SignaturePadding::Pss, SignatureHash::Sha1, "digest");
    assert_eq!(
        public.verify(SignaturePadding::Pss, &message, &sig),
        Err(RsaError::BadSignature)
    );
}

#[test]
fn every_openssl_key_encoding_imports() {
    let d = KeyDir::new(2048);
    let expected = d.public_key();
    d.openssl(&[
        "pkey",
        "-in",
        "key.pem",
        "-traditional",
        "-out",
        "pkcs1.pem",
    ]);
    d.openssl(&[
        "pkey",
        "-in",
        "key.pem",
        "-outform",
        "DER",
        "-out",
        "pkcs1.der",
    ]);
    d.openssl(&[
        "pkcs8",
        "-topk8",
        "-nocrypt",
        "-in",
        "key.pem",
        "-outform",
        "DER",
        "-out",
        "pkcs8.der",
    ]);
    for (file, pem) in [
        ("key.pem", true),
        ("pkcs1.pem", true),
        ("pkcs1.der", false),
        ("pkcs8.der", false),
    ] {
        let bytes = d.read(file);
        let key = if pem {
            RsaPrivateKey::from_pem(&bytes)
        } else {
            RsaPrivateKey::from_der(&bytes)
        };
        assert_eq!(key.unwrap().public_key(), expected, "{file}");
    }
    assert_eq!(
        RsaPublicKey::from_pem(&d.read("pub.pem")).unwrap(),
        expected
    );
}
