//! SIGN payload signatures (RFC 3830 §4.2.6, §6.5): RSASSA-PKCS1-v1_5 (S type 0) and
//! RSASSA-PSS (S type 1) over the bytes RFC 3830 §5.2 (and RFC 4738 §3.4, §3.6) says a
//! signature covers, hashed here.
//!
//! The SIGN payload names the padding but not the hash, so [`RsaPublicKey::verify`] tries
//! the accepted hashes and reports the one that verified. PSS parameters (RFC 3830 gives
//! none): MGF1 with the signature's hash; signing uses a salt as long as the hash;
//! verification accepts that salt length or the maximum one (`emLen - hLen - 2`, OpenSSL's
//! default when signing with PSS).

use super::{RsaError, RsaPrivateKey, RsaPublicKey};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{self as backend, RsaEncoding, RsaParameters, RsaPssSaltLength};

/// The signature scheme, RFC 3830 §6.5 "S type".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignaturePadding {
    /// S type 0: RSASSA-PKCS1-v1_5 (RFC 8017 §8.2), mandatory (RFC 3830 §4.2.6).
    Pkcs1v15,
    /// S type 1: RSASSA-PSS (RFC 8017 §8.1), recommended (RFC 3830 §4.2.6).
    Pss,
}

/// The hash a signature is computed over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureHash {
    /// SHA-1: verified for RSASSA-PKCS1-v1_5 only; never used to sign.
    Sha1,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

/// What [`RsaPublicKey::verify`] tries for RSASSA-PKCS1-v1_5, most likely first.
const PKCS1_CANDIDATES: [(SignatureHash, &RsaParameters); 4] = [
    (SignatureHash::Sha256, &backend::RSA_PKCS1_2048_8192_SHA256),
    (
        SignatureHash::Sha1,
        &backend::RSA_PKCS1_2048_8192_SHA1_FOR_LEGACY_USE_ONLY,
    ),
    (SignatureHash::Sha384, &backend::RSA_PKCS1_2048_8192_SHA384),
    (SignatureHash::Sha512, &backend::RSA_PKCS1_2048_8192_SHA512),
];

/// PSS verification with the maximum salt length, per hash.
const PSS_SHA256_MAX_SALT: RsaParameters =
    backend::RSA_PSS_2048_8192_SHA256.with_pss_salt_length(RsaPssSaltLength::Max);
const PSS_SHA384_MAX_SALT: RsaParameters =
    backend::RSA_PSS_2048_8192_SHA384.with_pss_salt_length(RsaPssSaltLength::Max);
const PSS_SHA512_MAX_SALT: RsaParameters =
    backend::RSA_PSS_2048_8192_SHA512.with_pss_salt_length(RsaPssSaltLength::Max);

/// What [`RsaPublicKey::verify`] tries for RSASSA-PSS: per hash, the salt as long as the
/// hash (the `aws-lc-rs` default), then the maximum salt.
const PSS_CANDIDATES: [(SignatureHash, &RsaParameters); 6] = [
    (SignatureHash::Sha256, &backend::RSA_PSS_2048_8192_SHA256),
    (SignatureHash::Sha256, &PSS_SHA256_MAX_SALT),
    (SignatureHash::Sha384, &backend::RSA_PSS_2048_8192_SHA384),
    (SignatureHash::Sha384, &PSS_SHA384_MAX_SALT),
    (SignatureHash::Sha512, &backend::RSA_PSS_2048_8192_SHA512),
    (SignatureHash::Sha512, &PSS_SHA512_MAX_SALT),
];

impl RsaPrivateKey {
    /// Signs `message` (hashed here with `hash`) for a SIGN payload of S type `padding`
    /// (RFC 3830 §6.5). The signature is [`RsaPrivateKey::modulus_len`] bytes. PSS uses MGF1
    /// with `hash` and a random salt as long as the hash, from AWS-LC's OS-seeded generator.
    ///
    /// SHA-1 is refused ([`RsaError::Unsupported`]): the backend does not sign with it.
    pub fn sign(
        &self,
        padding: SignaturePadding,
        hash: SignatureHash,
        message: &[u8],
    ) -> Result<Vec<u8>, RsaError> {
        let encoding: &'static dyn RsaEncoding = match (padding, hash) {
            (_, SignatureHash::Sha1) => {
                return Err(RsaError::Unsupported(
                    "signing with SHA-1 (the backend signs with SHA-256, SHA-384 or SHA-512)",
                ));
            }
            (SignaturePadding::Pkcs1v15, SignatureHash::Sha256) => &backend::RSA_PKCS1_SHA256,
            (SignaturePadding::Pkcs1v15, SignatureHash::Sha384) => &backend::RSA_PKCS1_SHA384,
            (SignaturePadding::Pkcs1v15, SignatureHash::Sha512) => &backend::RSA_PKCS1_SHA512,
            (SignaturePadding::Pss, SignatureHash::Sha256) => &backend::RSA_PSS_SHA256,
            (SignaturePadding::Pss, SignatureHash::Sha384) => &backend::RSA_PSS_SHA384,
            (SignaturePadding::Pss, SignatureHash::Sha512) => &backend::RSA_PSS_SHA512,
        };
        let mut signature = vec![0u8; self.signing.public_modulus_len()];
        // aws-lc-rs ignores this generator and draws the PSS salt from AWS-LC's own.
        let rng = SystemRandom::new();
        self.signing
            .sign(encoding, &rng, message, &mut signature)
            .map_err(|_| RsaError::Backend)?;
        Ok(signature)
    }
}

impl RsaPublicKey {
    /// Verifies a SIGN payload's `signature` of S type `padding` over `message` (RFC 3830
    /// §6.5) and returns the hash it was made with. Tried in order: RSASSA-PKCS1-v1_5 with
    /// SHA-256, SHA-1, SHA-384, SHA-512; RSASSA-PSS with SHA-256, SHA-384, SHA-512, each
    /// with a salt as long as the hash or the maximum salt. A PSS signature with SHA-1 does
    /// not verify (the backend has no such verifier).
    ///
    /// Every failure is [`RsaError::BadSignature`], whatever the cause (wrong length, wrong
    /// key, altered message or signature, another hash).
    pub fn verify(
        &self,
        padding: SignaturePadding,
        message: &[u8],
        signature: &[u8],
    ) -> Result<SignatureHash, RsaError> {
        if signature.len() != self.modulus_len() {
            return Err(RsaError::BadSignature);
        }
        let candidates: &[(SignatureHash, &RsaParameters)] = match padding {
            SignaturePadding::Pkcs1v15 => &PKCS1_CANDIDATES,
            SignaturePadding::Pss => &PSS_CANDIDATES,
        };
        candidates
            .iter()
            .find(|(_, params)| {
                backend::UnparsedPublicKey::new(*params, &self.spki)
                    .verify(message, signature)
                    .is_ok()
            })
            .map(|(hash, _)| *hash)
            .ok_or(RsaError::BadSignature)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkeys::*;
    use super::*;

    const SIGNING_HASHES: [SignatureHash; 3] = [
        SignatureHash::Sha256,
        SignatureHash::Sha384,
        SignatureHash::Sha512,
    ];

    #[test]
    fn every_padding_and_hash_round_trips() {
        let (key, public) = (key(), public());
        for padding in [SignaturePadding::Pkcs1v15, SignaturePadding::Pss] {
            for hash in SIGNING_HASHES {
                let sig = key.sign(padding, hash, MESSAGE).unwrap();
                assert_eq!(sig.len(), 256);
                assert_eq!(
                    public.verify(padding, MESSAGE, &sig),
                    Ok(hash),
                    "{padding:?} {hash:?}"
                );
            }
        }
    }

    #[test]
    fn pkcs1_is_deterministic_and_pss_is_salted() {
        let key = key();
        let sign = |padding| key.sign(padding, SignatureHash::Sha256, MESSAGE).unwrap();
        assert_eq!(
            sign(SignaturePadding::Pkcs1v15),
            sign(SignaturePadding::Pkcs1v15)
        );
        assert_ne!(sign(SignaturePadding::Pss), sign(SignaturePadding::Pss));
    }

    #[test]
    fn signing_with_sha1_is_unsupported() {
        for padding in [SignaturePadding::Pkcs1v15, SignaturePadding::Pss] {
            assert!(matches!(
                key().sign(padding, SignatureHash::Sha1, MESSAGE),
                Err(RsaError::Unsupported(_))
            ));
        }
    }

    #[test]
    fn openssl_fixtures_verify_with_the_hash_they_used() {
        let public = public();
        assert_eq!(
            public.verify(SignaturePadding::Pkcs1v15, MESSAGE, SHA1_PKCS1_SIG),
            Ok(SignatureHash::Sha1)
        );
        assert_eq!(
            public.verify(SignaturePadding::Pss, MESSAGE, SHA256_PSS_MAX_SALT_SIG),
            Ok(SignatureHash::Sha256)
        );
    }

    #[test]
    fn pss_with_sha1_does_not_verify() {
        assert_eq!(
            public().verify(SignaturePadding::Pss, MESSAGE, SHA1_PSS_SIG),
            Err(RsaError::BadSignature)
        );
    }

    #[test]
    fn tampering_fails_verification() {
        let (key, public) = (key(), public());
        for padding in [SignaturePadding::Pkcs1v15, SignaturePadding::Pss] {
            let sig = key.sign(padding, SignatureHash::Sha256, MESSAGE).unwrap();
            for bit in [0, 7, 1000, 2047] {
                let mut flipped = sig.clone();
                flipped[bit / 8] ^= 1 << (bit % 8);
                assert_eq!(
                    public.verify(padding, MESSAGE, &flipped),
                    Err(RsaError::BadSignature)
                );
            }
            let mut message = MESSAGE.to_vec();
            message[0] ^= 1;
            assert_eq!(
                public.verify(padding, &message, &sig),
                Err(RsaError::BadSignature)
            );
            assert_eq!(
                public.verify(padding, b"", &sig),
                Err(RsaError::BadSignature)
            );
        }
    }

    #[test]
    fn wrong_key_or_padding_fails_verification() {
        let (key, public) = (key(), public());
        let other = other_key().public_key();
        let pkcs1 = key
            .sign(SignaturePadding::Pkcs1v15, SignatureHash::Sha256, MESSAGE)
            .unwrap();
        let pss = key
            .sign(SignaturePadding::Pss, SignatureHash::Sha256, MESSAGE)
            .unwrap();
        assert_eq!(
            other.verify(SignaturePadding::Pkcs1v15, MESSAGE, &pkcs1),
            Err(RsaError::BadSignature)
        );
        assert_eq!(
            other.verify(SignaturePadding::Pss, MESSAGE, &pss),
            Err(RsaError::BadSignature)
        );
        assert_eq!(
            public.verify(SignaturePadding::Pss, MESSAGE, &pkcs1),
            Err(RsaError::BadSignature)
        );
        assert_eq!(
            public.verify(SignaturePadding::Pkcs1v15, MESSAGE, &pss),
            Err(RsaError::BadSignature)
        );
    }

    #[test]
    fn signatures_of_the_wrong_length_fail() {
        let (key, public) = (key(), public());
        let sig = key
            .sign(SignaturePadding::Pkcs1v15, SignatureHash::Sha256, MESSAGE)
            .unwrap();
        let mut longer = vec![0u8];
        longer.extend_from_slice(&sig);
        for bad in [&[][..], &sig[..255], &sig[1..], &longer] {
            assert_eq!(
                public.verify(SignaturePadding::Pkcs1v15, MESSAGE, bad),
                Err(RsaError::BadSignature)
            );
        }
    }

    #[test]
    fn the_largest_key_signs_and_verifies() {
        let key = RsaPrivateKey::from_pem(RSA8192_PK8_PEM).unwrap();
        let sig = key
            .sign(SignaturePadding::Pss, SignatureHash::Sha512, MESSAGE)
            .unwrap();
        assert_eq!(sig.len(), 1024);
        assert_eq!(
            key.public_key()
                .verify(SignaturePadding::Pss, MESSAGE, &sig),
            Ok(SignatureHash::Sha512)
        );
    }
}
