//! RSA for MIKEY's public-key modes: the envelope key encryption of MIKEY-PK (RFC 3830
//! §4.2.5, PKE = E(PKr, env_key), §3.2) and of MIKEY-RSA-R (RFC 4738 §3.6, PKE = E(PKi,
//! env_key)), and the SIGN payload's signatures (RFC 3830 §4.2.6, §6.5). Knows nothing of
//! messages: the caller passes the bytes a signature covers (RFC 3830 §5.2; RFC 4738 §3.6).
//!
//! - Envelope encryption is RSAES-PKCS1-v1_5 (RFC 8017 §7.2), the mandatory scheme of RFC
//!   3830 §4.2.5. Decryption uses implicit rejection ([`RsaPrivateKey::decrypt_envelope`]).
//! - Signatures are RSASSA-PKCS1-v1_5 (S type 0) or RSASSA-PSS (S type 1) (RFC 8017 §8.2,
//!   §8.1). RFC 3830 names no PSS parameters; this module signs with MGF1 over the same hash
//!   and a salt as long as the hash (RFC 8017 §9.1 and its recommended choice), and verifies
//!   that salt length or the maximum one (`emLen - hLen - 2`, OpenSSL's default when signing).
//! - Keys: a modulus of 2048 to 8192 bits for every operation ([`MODULUS_BITS`]); public
//!   keys come as X.509 SubjectPublicKeyInfo (rsaEncryption), as certificates carry them.
//!
//! The backend is AWS-LC through `aws-lc-rs` (constant-time RSA with blinding). Private key
//! material lives in AWS-LC's memory, which it overwrites when it frees it. Randomness for
//! the PKCS#1 v1.5 encryption padding, the PSS salt and the blinding comes from AWS-LC's own
//! generator (a DRBG seeded from the operating system), not from [`crate::rng`].
//!
//! Not supported by the backend, hence refused here: signing with SHA-1 (either padding;
//! [`RsaError::Unsupported`]), and verifying RSASSA-PSS with SHA-1 (such a signature does
//! not verify). RSASSA-PKCS1-v1_5 signatures with SHA-1 do verify.

use std::ops::RangeInclusive;

mod envelope;
mod keys;
mod signature;

pub use keys::{RsaPrivateKey, RsaPublicKey};
pub use signature::{SignatureHash, SignaturePadding};

/// The modulus sizes accepted, in bits, for signing, verifying, encrypting and decrypting
/// alike (the bounds of `aws-lc-rs`); other keys are refused as
/// [`RsaError::UnsupportedKeySize`].
pub const MODULUS_BITS: RangeInclusive<usize> = 2048..=8192;

/// Why an RSA operation or a key import failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RsaError {
    /// The key bytes are not a key of the expected encoding (the text says which).
    BadKeyEncoding(&'static str),
    /// The modulus is outside [`MODULUS_BITS`]. `bits` is its
    /// size when known: the backend reports it for public keys, not for a private key it
    /// refuses.
    UnsupportedKeySize {
        /// The modulus size in bits, when known.
        bits: Option<usize>,
    },
    /// The signature does not verify (with any of the accepted hashes).
    BadSignature,
    /// The plaintext is longer than RSAES-PKCS1-v1_5 allows for this key (`k - 11`
    /// bytes, RFC 8017 §7.2.1).
    PlaintextTooLong {
        /// The plaintext length.
        len: usize,
        /// The longest plaintext this key can encrypt.
        max: usize,
    },
    /// A valid request this module does not carry out (the text says which).
    Unsupported(&'static str),
    /// The backend failed on a well-formed request (e.g. its generator or an allocation).
    Backend,
}

impl std::fmt::Display for RsaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RsaError::BadKeyEncoding(what) => write!(f, "bad RSA key encoding: {what}"),
            RsaError::UnsupportedKeySize { bits: Some(bits) } => write!(
                f,
                "RSA modulus of {bits} bits is outside {MODULUS_BITS:?} bits"
            ),
            RsaError::UnsupportedKeySize { bits: None } => {
                write!(f, "RSA modulus size is outside {MODULUS_BITS:?} bits")
            }
            RsaError::BadSignature => f.write_str("RSA signature does not verify"),
            RsaError::PlaintextTooLong { len, max } => write!(
                f,
                "RSA plaintext of {len} bytes is longer than the {max} bytes this key allows"
            ),
            RsaError::Unsupported(what) => write!(f, "unsupported RSA operation: {what}"),
            RsaError::Backend => f.write_str("the RSA backend failed"),
        }
    }
}

impl std::error::Error for RsaError {}

#[cfg(test)]
mod testkeys;
