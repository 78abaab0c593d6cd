//! Fixtures for the unit tests only, made once with the `openssl` command line (3.0).
//!
//! - Keys: `genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:N` (PKCS#8 PEM), then `pkey
//!   -traditional` (PKCS#1 PEM), `pkey -outform DER` (PKCS#1 DER), `pkcs8 -topk8 -nocrypt
//!   -outform DER` (PKCS#8 DER), `pkey -pubout` (SubjectPublicKeyInfo); the EC key with
//!   `-algorithm EC -pkeyopt ec_paramgen_curve:P-256`, the RSASSA-PSS key with `-algorithm
//!   RSA-PSS`.
//! - Signatures of [`MESSAGE`] by the 2048-bit key: `dgst -sha1 -sign` (PKCS#1 v1.5), `dgst
//!   -sha1 -sign -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest`, and `dgst
//!   -sha256 -sign -sigopt rsa_padding_mode:pss` (OpenSSL's default salt, the maximum).
//! - [`ENVELOPE`]: `pkeyutl -encrypt -pkeyopt rsa_padding_mode:pkcs1` of [`ENVELOPE_KEY`].
//!
//! The cross-checks against OpenSSL (tests/rsa_openssl.rs) make fresh keys at run time.

use super::{RsaPrivateKey, RsaPublicKey};

pub const RSA2048_PK8_PEM: &[u8] = include_bytes!("testdata/rsa2048.pk8.pem");
pub const RSA2048_PK1_PEM: &[u8] = include_bytes!("testdata/rsa2048.pk1.pem");
pub const RSA2048_PK8_DER: &[u8] = include_bytes!("testdata/rsa2048.pk8.der");
pub const RSA2048_PK1_DER: &[u8] = include_bytes!("testdata/rsa2048.pk1.der");
pub const RSA2048_SPKI_PEM: &[u8] = include_bytes!("testdata/rsa2048.spki.pem");
pub const RSA2048_SPKI_DER: &[u8] = include_bytes!("testdata/rsa2048.spki.der");
/// Another 2048-bit key, for "wrong key" cases.
pub const OTHER2048_PK8_PEM: &[u8] = include_bytes!("testdata/other2048.pk8.pem");
pub const RSA1024_PK8_PEM: &[u8] = include_bytes!("testdata/rsa1024.pk8.pem");
pub const RSA1024_SPKI_DER: &[u8] = include_bytes!("testdata/rsa1024.spki.der");
pub const RSA8192_PK8_PEM: &[u8] = include_bytes!("testdata/rsa8192.pk8.pem");
pub const RSA8200_PK8_PEM: &[u8] = include_bytes!("testdata/rsa8200.pk8.pem");
pub const RSA8200_SPKI_DER: &[u8] = include_bytes!("testdata/rsa8200.spki.der");
pub const EC_PK8_PEM: &[u8] = include_bytes!("testdata/ec.pk8.pem");
pub const EC_SPKI_DER: &[u8] = include_bytes!("testdata/ec.spki.der");
pub const RSAPSS_SPKI_DER: &[u8] = include_bytes!("testdata/rsapss.spki.der");

/// The message the signature fixtures sign.
pub const MESSAGE: &[u8] = b"MIKEY SIGN test message";
pub const SHA1_PKCS1_SIG: &[u8] = include_bytes!("testdata/sha1.pkcs1.sig");
pub const SHA1_PSS_SIG: &[u8] = include_bytes!("testdata/sha1.pss.sig");
pub const SHA256_PSS_MAX_SALT_SIG: &[u8] = include_bytes!("testdata/sha256.pss-maxsalt.sig");
/// The plaintext of [`ENVELOPE`].
pub const ENVELOPE_KEY: &[u8] = b"0123456789abcdef0123456789abcdef";
/// [`ENVELOPE_KEY`] encrypted by OpenSSL to the 2048-bit key (RSAES-PKCS1-v1_5).
pub const ENVELOPE: &[u8] = include_bytes!("testdata/envelope.bin");

/// The 2048-bit test key.
pub fn key() -> RsaPrivateKey {
    RsaPrivateKey::from_pem(RSA2048_PK8_PEM).unwrap()
}

/// Another 2048-bit key.
pub fn other_key() -> RsaPrivateKey {
    RsaPrivateKey::from_pem(OTHER2048_PK8_PEM).unwrap()
}

/// The public half of [`key`], from its SubjectPublicKeyInfo.
pub fn public() -> RsaPublicKey {
    RsaPublicKey::from_spki_der(RSA2048_SPKI_DER).unwrap()
}
