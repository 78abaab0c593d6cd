//! RSA key import. Private keys: PKCS#8 PrivateKeyInfo (RFC 5208 §5) or PKCS#1
//! RSAPrivateKey (RFC 8017 Appendix A.1.2), DER or PEM (RFC 7468 labels "PRIVATE KEY" and
//! "RSA PRIVATE KEY"). Public keys: X.509 SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) with the
//! rsaEncryption algorithm (RFC 3279 §2.3.1), DER or PEM ("PUBLIC KEY"), as a certificate
//! hands it out for the PKE and SIGN payloads (RFC 3830 §4.2.5, §4.2.6).
//!
//! Strictness: bytes after the DER structure are refused (AWS-LC's parsers would ignore
//! them), and so is a public key that is not the canonical DER encoding of an
//! rsaEncryption key (e.g. an id-RSASSA-PSS key, RFC 4055 §1.2, which may not encrypt).

use super::RsaError;
use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::error::KeyRejected;
use aws_lc_rs::rsa::{
    KeyPair, Pkcs1PrivateDecryptingKey, PrivateDecryptingKey, PublicEncryptingKey, PublicKey,
};
use aws_lc_rs::signature::RsaParameters;
use rustls_pki_types::pem::{self, PemObject};
use rustls_pki_types::{PrivateKeyDer, SubjectPublicKeyInfoDer};
use zeroize::Zeroizing;

/// What `aws-lc-rs` says when the bytes do not parse as the expected structure.
const INVALID_ENCODING: &str = "InvalidEncoding";

/// An RSA private key, for signing SIGN payloads (RFC 3830 §4.2.6) and opening PKE
/// envelopes (§4.2.5). The key material is held by AWS-LC, which overwrites it when the
/// key is dropped; `Debug` shows only the modulus size.
pub struct RsaPrivateKey {
    pub(super) signing: KeyPair,
    pub(super) decrypting: Pkcs1PrivateDecryptingKey,
    pub(super) public: RsaPublicKey,
}

impl RsaPrivateKey {
    /// Imports a DER private key: PKCS#8 PrivateKeyInfo (rsaEncryption) or PKCS#1
    /// RSAPrivateKey, told apart by their structure.
    pub fn from_der(der: &[u8]) -> Result<Self, RsaError> {
        let key = match KeyPair::from_pkcs8(der) {
            Err(e) if e.description_() == INVALID_ENCODING => exact(
                KeyPair::from_der(der),
                der,
                KeyPair::from_der,
                "neither a PKCS#8 PrivateKeyInfo nor a PKCS#1 RSAPrivateKey",
            )?,
            first => exact(
                first,
                der,
                KeyPair::from_pkcs8,
                "not a PKCS#8 PrivateKeyInfo",
            )?,
        };
        RsaPrivateKey::from_key_pair(key)
    }

    /// Imports the first private key block of a PEM text: "PRIVATE KEY" (PKCS#8) or "RSA
    /// PRIVATE KEY" (PKCS#1); other blocks (e.g. certificates) before it are skipped.
    /// Encrypted keys ("ENCRYPTED PRIVATE KEY") are not read. The decoded DER is
    /// overwritten once the key is imported.
    pub fn from_pem(pem: &[u8]) -> Result<Self, RsaError> {
        let der = Zeroizing::new(PrivateKeyDer::from_pem_slice(pem).map_err(|e| {
            pem_error(
                e,
                "no \"PRIVATE KEY\" or \"RSA PRIVATE KEY\" PEM block (encrypted keys are not read)",
            )
        })?);
        let key = match &*der {
            PrivateKeyDer::Pkcs8(k) => exact(
                KeyPair::from_pkcs8(k.secret_pkcs8_der()),
                k.secret_pkcs8_der(),
                KeyPair::from_pkcs8,
                "the \"PRIVATE KEY\" block is not a PKCS#8 PrivateKeyInfo",
            )?,
            PrivateKeyDer::Pkcs1(k) => exact(
                KeyPair::from_der(k.secret_pkcs1_der()),
                k.secret_pkcs1_der(),
                KeyPair::from_der,
                "the \"RSA PRIVATE KEY\" block is not a PKCS#1 RSAPrivateKey",
            )?,
            _ => {
                return Err(RsaError::Unsupported(
                    "the PEM private key is not an RSA key",
                ));
            }
        };
        RsaPrivateKey::from_key_pair(key)
    }

    /// Sets up the decryption side from the same key (through its PKCS#8 encoding, which
    /// `aws-lc-rs` overwrites on drop) and derives the public key.
    fn from_key_pair(signing: KeyPair) -> Result<Self, RsaError> {
        let pkcs8 = signing.as_der().map_err(|_| RsaError::Backend)?;
        let decrypting = PrivateDecryptingKey::from_pkcs8(pkcs8.as_ref())
            .map_err(|e| private_rejected(e, "the key cannot decrypt"))?;
        let public = RsaPublicKey::from_backend(decrypting.public_key())?;
        let decrypting =
            Pkcs1PrivateDecryptingKey::new(decrypting).map_err(|_| RsaError::Backend)?;
        Ok(RsaPrivateKey {
            signing,
            decrypting,
            public,
        })
    }

    /// The public half of this key.
    pub fn public_key(&self) -> RsaPublicKey {
        self.public.clone()
    }

    /// The modulus length in bytes (the length of a signature and of a PKE ciphertext).
    pub fn modulus_len(&self) -> usize {
        self.public.modulus_len()
    }
}

impl std::fmt::Debug for RsaPrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RsaPrivateKey")
            .field("bits", &self.public.modulus_bits())
            .finish_non_exhaustive()
    }
}

/// Maps the first parse of `der` to our error, then refuses bytes after the DER structure:
/// DER is self-delimiting, so `der` without its last byte still parses exactly when
/// something follows the structure.
fn exact(
    first: Result<KeyPair, KeyRejected>,
    der: &[u8],
    parse: fn(&[u8]) -> Result<KeyPair, KeyRejected>,
    what: &'static str,
) -> Result<KeyPair, RsaError> {
    let key = first.map_err(|e| private_rejected(e, what))?;
    if der.len() > 1 && parse(&der[..der.len() - 1]).is_ok() {
        return Err(RsaError::BadKeyEncoding(
            "bytes follow the private key's DER structure",
        ));
    }
    Ok(key)
}

/// Our error for a private key `aws-lc-rs` refused (it does not report the size of a
/// key it refuses for its size).
fn private_rejected(e: KeyRejected, what: &'static str) -> RsaError {
    match e.description_() {
        "TooSmall" | "TooLarge" => RsaError::UnsupportedKeySize { bits: None },
        "WrongAlgorithm" => RsaError::Unsupported("the private key is not an rsaEncryption key"),
        "InconsistentComponents" => {
            RsaError::BadKeyEncoding("the RSA private key's components are inconsistent")
        }
        _ => RsaError::BadKeyEncoding(what),
    }
}

fn pem_error(e: pem::Error, missing: &'static str) -> RsaError {
    match e {
        pem::Error::NoItemsFound => RsaError::BadKeyEncoding(missing),
        _ => RsaError::BadKeyEncoding("malformed PEM (RFC 7468)"),
    }
}

/// An RSA public key from a certificate's SubjectPublicKeyInfo, for sealing PKE envelopes
/// (RFC 3830 §4.2.5) and verifying SIGN payloads (§4.2.6). Two keys are equal when their
/// SubjectPublicKeyInfo encodings are.
#[derive(Clone)]
pub struct RsaPublicKey {
    /// The canonical SubjectPublicKeyInfo DER (what the caller passed, checked).
    pub(super) spki: Box<[u8]>,
    pub(super) encrypting: PublicEncryptingKey,
}

impl RsaPublicKey {
    /// Imports an X.509 SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) whose algorithm is
    /// rsaEncryption (RFC 3279 §2.3.1), in DER with nothing after it.
    pub fn from_spki_der(der: &[u8]) -> Result<Self, RsaError> {
        let encrypting = PublicEncryptingKey::from_der(der).map_err(|e| public_rejected(e, der))?;
        let key = RsaPublicKey::from_backend(encrypting)?;
        if *key.spki != *der {
            return Err(RsaError::BadKeyEncoding(
                "not exactly the DER of an rsaEncryption SubjectPublicKeyInfo",
            ));
        }
        Ok(key)
    }

    /// Imports the first "PUBLIC KEY" block of a PEM text (RFC 7468 §13).
    pub fn from_pem(pem: &[u8]) -> Result<Self, RsaError> {
        let der = SubjectPublicKeyInfoDer::from_pem_slice(pem)
            .map_err(|e| pem_error(e, "no \"PUBLIC KEY\" PEM block"))?;
        RsaPublicKey::from_spki_der(&der)
    }

    /// Wraps a key `aws-lc-rs` accepted, with its canonical SubjectPublicKeyInfo. The
    /// backend cannot encode an id-RSASSA-PSS key, which is how such a key is told apart.
    fn from_backend(encrypting: PublicEncryptingKey) -> Result<Self, RsaError> {
        let spki = encrypting.as_der().map_err(|_| {
            RsaError::Unsupported("only rsaEncryption public keys are accepted (not id-RSASSA-PSS)")
        })?;
        Ok(RsaPublicKey {
            spki: spki.as_ref().into(),
            encrypting,
        })
    }

    /// The SubjectPublicKeyInfo DER of this key.
    pub fn spki_der(&self) -> &[u8] {
        &self.spki
    }

    /// The modulus length in bytes (the length of a signature and of a PKE ciphertext).
    pub fn modulus_len(&self) -> usize {
        self.encrypting.key_size_bytes()
    }

    /// The modulus size in bits.
    pub fn modulus_bits(&self) -> usize {
        self.encrypting.key_size_bits()
    }
}

impl PartialEq for RsaPublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.spki == other.spki
    }
}

impl Eq for RsaPublicKey {}

impl std::fmt::Debug for RsaPublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RsaPublicKey")
            .field("bits", &self.modulus_bits())
            .finish_non_exhaustive()
    }
}

/// Our error for a SubjectPublicKeyInfo `aws-lc-rs` refused; for a refused size, the size
/// comes from parsing the key again without the size check.
fn public_rejected(e: KeyRejected, der: &[u8]) -> RsaError {
    match e.description_() {
        "TooSmall" | "TooLarge" => RsaError::UnsupportedKeySize {
            bits: PublicKey::from_der(der)
                .ok()
                .and_then(|k| RsaParameters::public_modulus_len(k.as_ref()).ok())
                .map(|bits| bits as usize),
        },
        "WrongAlgorithm" => RsaError::Unsupported("the public key is not an RSA key"),
        _ => RsaError::BadKeyEncoding("not an RSA SubjectPublicKeyInfo"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkeys::*;
    use super::*;
    use base64::Engine;

    fn pem(label: &str, der: &[u8]) -> Vec<u8> {
        let b64 = base64::engine::general_purpose::STANDARD.encode(der);
        format!("-----BEGIN {label}-----\n{b64}\n-----END {label}-----\n").into_bytes()
    }

    fn with_junk(der: &[u8]) -> Vec<u8> {
        let mut v = der.to_vec();
        v.push(0);
        v
    }

    #[test]
    fn every_private_encoding_gives_the_same_key() {
        let expected = public();
        for key in [
            RsaPrivateKey::from_pem(RSA2048_PK8_PEM),
            RsaPrivateKey::from_pem(RSA2048_PK1_PEM),
            RsaPrivateKey::from_der(RSA2048_PK8_DER),
            RsaPrivateKey::from_der(RSA2048_PK1_DER),
        ] {
            let key = key.unwrap();
            assert_eq!(key.public_key(), expected);
            assert_eq!(key.modulus_len(), 256);
        }
        assert_ne!(other_key().public_key(), expected);
    }

    #[test]
    fn other_pem_blocks_before_the_key_are_skipped() {
        let mut text = RSA2048_SPKI_PEM.to_vec();
        text.extend_from_slice(RSA2048_PK1_PEM);
        assert_eq!(
            RsaPrivateKey::from_pem(&text).unwrap().public_key(),
            public()
        );
        let mut text = RSA2048_PK8_PEM.to_vec();
        text.extend_from_slice(RSA2048_SPKI_PEM);
        assert_eq!(RsaPublicKey::from_pem(&text).unwrap(), public());
    }

    #[test]
    fn public_key_from_pem_and_der() {
        let from_pem = RsaPublicKey::from_pem(RSA2048_SPKI_PEM).unwrap();
        assert_eq!(from_pem, public());
        assert_eq!(from_pem.spki_der(), RSA2048_SPKI_DER);
        assert_eq!(from_pem.modulus_len(), 256);
        assert_eq!(from_pem.modulus_bits(), 2048);
    }

    #[test]
    fn debug_shows_only_the_size() {
        assert_eq!(format!("{:?}", key()), "RsaPrivateKey { bits: 2048, .. }");
        assert_eq!(format!("{:?}", public()), "RsaPublicKey { bits: 2048, .. }");
    }

    #[test]
    fn keys_can_be_shared_between_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<RsaPrivateKey>();
        shared::<RsaPublicKey>();
    }

    #[test]
    fn garbage_is_a_bad_encoding() {
        for der in [
            &b""[..],
            b"\x30",
            b"garbage",
            RSA2048_SPKI_DER,
            &RSA2048_PK8_DER[..600],
        ] {
            assert!(
                matches!(
                    RsaPrivateKey::from_der(der),
                    Err(RsaError::BadKeyEncoding(_))
                ),
                "{der:02x?}"
            );
        }
        for der in [
            &b""[..],
            b"garbage",
            RSA2048_PK8_DER,
            &RSA2048_SPKI_DER[..200],
        ] {
            assert!(
                matches!(
                    RsaPublicKey::from_spki_der(der),
                    Err(RsaError::BadKeyEncoding(_))
                ),
                "{der:02x?}"
            );
        }
    }

    #[test]
    fn bytes_after_the_der_are_refused() {
        assert_eq!(
            RsaPrivateKey::from_der(&with_junk(RSA2048_PK8_DER)).unwrap_err(),
            RsaError::BadKeyEncoding("bytes follow the private key's DER structure")
        );
        assert_eq!(
            RsaPrivateKey::from_der(&with_junk(RSA2048_PK1_DER)).unwrap_err(),
            RsaError::BadKeyEncoding("bytes follow the private key's DER structure")
        );
        assert!(matches!(
            RsaPrivateKey::from_pem(&pem("PRIVATE KEY", &with_junk(RSA2048_PK8_DER))),
            Err(RsaError::BadKeyEncoding(
                "bytes follow the private key's DER structure"
            ))
        ));
        assert!(matches!(
            RsaPublicKey::from_spki_der(&with_junk(RSA2048_SPKI_DER)),
            Err(RsaError::BadKeyEncoding(_))
        ));
    }

    #[test]
    fn pem_without_the_right_block_is_a_bad_encoding() {
        assert_eq!(
            RsaPrivateKey::from_pem(b"not PEM at all").unwrap_err(),
            RsaError::BadKeyEncoding(
                "no \"PRIVATE KEY\" or \"RSA PRIVATE KEY\" PEM block (encrypted keys are not read)"
            )
        );
        assert!(matches!(
            RsaPrivateKey::from_pem(RSA2048_SPKI_PEM),
            Err(RsaError::BadKeyEncoding(_))
        ));
        assert_eq!(
            RsaPublicKey::from_pem(RSA2048_PK8_PEM).unwrap_err(),
            RsaError::BadKeyEncoding("no \"PUBLIC KEY\" PEM block")
        );
        assert!(matches!(
            RsaPrivateKey::from_pem(&pem("ENCRYPTED PRIVATE KEY", RSA2048_PK8_DER)),
            Err(RsaError::BadKeyEncoding(_))
        ));
        assert!(matches!(
            RsaPrivateKey::from_pem(&pem("EC PRIVATE KEY", RSA2048_PK1_DER)),
            Err(RsaError::Unsupported(_))
        ));
        let bad_base64 = b"-----BEGIN PRIVATE KEY-----\nMII!!!\n-----END PRIVATE KEY-----\n";
        assert_eq!(
            RsaPrivateKey::from_pem(bad_base64).unwrap_err(),
            RsaError::BadKeyEncoding("malformed PEM (RFC 7468)")
        );
    }

    #[test]
    fn a_pem_label_must_match_its_content() {
        assert_eq!(
            RsaPrivateKey::from_pem(&pem("PRIVATE KEY", RSA2048_PK1_DER)).unwrap_err(),
            RsaError::BadKeyEncoding("the \"PRIVATE KEY\" block is not a PKCS#8 PrivateKeyInfo")
        );
        assert_eq!(
            RsaPrivateKey::from_pem(&pem("RSA PRIVATE KEY", RSA2048_PK8_DER)).unwrap_err(),
            RsaError::BadKeyEncoding("the \"RSA PRIVATE KEY\" block is not a PKCS#1 RSAPrivateKey")
        );
    }

    #[test]
    fn key_sizes_outside_2048_to_8192_bits_are_refused() {
        assert_eq!(
            RsaPrivateKey::from_pem(RSA1024_PK8_PEM).unwrap_err(),
            RsaError::UnsupportedKeySize { bits: None }
        );
        assert_eq!(
            RsaPublicKey::from_spki_der(RSA1024_SPKI_DER).unwrap_err(),
            RsaError::UnsupportedKeySize { bits: Some(1024) }
        );
        assert_eq!(
            RsaPrivateKey::from_pem(RSA8200_PK8_PEM).unwrap_err(),
            RsaError::UnsupportedKeySize { bits: None }
        );
        assert_eq!(
            RsaPublicKey::from_spki_der(RSA8200_SPKI_DER).unwrap_err(),
            RsaError::UnsupportedKeySize { bits: Some(8200) }
        );
        let largest = RsaPrivateKey::from_pem(RSA8192_PK8_PEM).unwrap();
        assert_eq!(largest.modulus_len(), 1024);
        let bits = super::super::MODULUS_BITS;
        assert_eq!(largest.public_key().modulus_bits(), *bits.end());
        assert_eq!(key().public_key().modulus_bits(), *bits.start());
    }

    #[test]
    fn non_rsa_keys_are_unsupported() {
        assert_eq!(
            RsaPrivateKey::from_pem(EC_PK8_PEM).unwrap_err(),
            RsaError::Unsupported("the private key is not an rsaEncryption key")
        );
        assert_eq!(
            RsaPublicKey::from_spki_der(EC_SPKI_DER).unwrap_err(),
            RsaError::Unsupported("the public key is not an RSA key")
        );
        assert_eq!(
            RsaPublicKey::from_spki_der(RSAPSS_SPKI_DER).unwrap_err(),
            RsaError::Unsupported(
                "only rsaEncryption public keys are accepted (not id-RSASSA-PSS)"
            )
        );
    }
}
