//! Elliptic-curve primitives of the ECC profile of MIKEY (RFC 5197 §4.1, which describes the
//! expired draft-ietf-msec-mikey-ecc-03): ECDH on P-256 and P-384 (draft §3) and ECDSA
//! signatures (draft §2), both by AWS-LC through `aws-lc-rs` (constant-time scalar
//! multiplication; the same backend as the RSA operations).
//!
//! Encodings, where the draft is silent or leaves a choice:
//! - a DH-value is the uncompressed point `04 || X || Y` (SEC 1 §2.3.3), the form the draft
//!   requires every implementation to read (§6.1); the DH payload has no length field, so
//!   the form fixes the length (65 bytes on P-256, 97 on P-384);
//! - the shared secret is the x-coordinate of the product point, at the field size with
//!   its leading zeros (draft §3: "the raw shared secret is the x-coordinate(only)");
//! - an ECDSA signature is `r || s`, each at the size of the group order (64 bytes on
//!   P-256, 96 on P-384), as IKEv2 encodes ECDSA (RFC 4754 §7). The SIGN payload's
//!   Signature len field is covered by the signature (RFC 3830 §5.2), so a fixed length
//!   is what lets it be written before signing; the DER form's length varies.
//! - the hash is the one draft §2 Table 2 ties to the key size: SHA-256 on P-256,
//!   SHA-384 on P-384.

use crate::rng::Rng;
use aws_lc_rs::agreement::{self, ParsedPublicKey, ParsedPublicKeyFormat, UnparsedPublicKey};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{self as backend, EcdsaKeyPair, KeyPair};
use rustls_pki_types::PrivateKeyDer;
use rustls_pki_types::pem::PemObject;
use zeroize::Zeroizing;

/// The prime curves of the ECC profile (draft-ietf-msec-mikey-ecc-03 §3: "Implementations
/// SHOULD support one of P-256 or P-384").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EcCurve {
    /// NIST P-256 (secp256r1), signatures with SHA-256.
    P256,
    /// NIST P-384 (secp384r1), signatures with SHA-384.
    P384,
}

/// Why an elliptic-curve operation or key import failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EcError {
    /// A public value that is not an uncompressed point of the curve (wrong length, wrong
    /// form, or not on the curve).
    BadPoint,
    /// A private key that is not an EC key of a supported curve (the text says why).
    BadKey(&'static str),
    /// The signature does not verify.
    BadSignature,
    /// The random source failed.
    Rng,
    /// The backend failed on a well-formed request.
    Backend,
}

impl std::fmt::Display for EcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EcError::BadPoint => f.write_str(
                "not an uncompressed point of the curve (draft-ietf-msec-mikey-ecc-03 §3, SEC 1 §2.3.3)",
            ),
            EcError::BadKey(why) => write!(f, "EC private key: {why}"),
            EcError::BadSignature => f.write_str("the ECDSA signature does not verify"),
            EcError::Rng => f.write_str("the random source failed"),
            EcError::Backend => f.write_str("the EC backend failed"),
        }
    }
}

impl std::error::Error for EcError {}

impl EcCurve {
    /// The size of a coordinate, of a private scalar and of the shared secret, in bytes.
    pub fn field_len(self) -> usize {
        match self {
            EcCurve::P256 => 32,
            EcCurve::P384 => 48,
        }
    }

    /// The length of an uncompressed point (SEC 1 §2.3.3), the DH-value length.
    pub fn point_len(self) -> usize {
        1 + 2 * self.field_len()
    }

    /// The length of an `r || s` signature.
    pub fn signature_len(self) -> usize {
        2 * self.field_len()
    }

    /// The curve's name as NIST gives it.
    pub fn name(self) -> &'static str {
        match self {
            EcCurve::P256 => "P-256",
            EcCurve::P384 => "P-384",
        }
    }

    /// The curve of a namedCurve object identifier (RFC 5480 §2.1.1.1), dotted.
    pub fn from_oid(oid: &str) -> Option<EcCurve> {
        match oid {
            "1.2.840.10045.3.1.7" => Some(EcCurve::P256),
            "1.3.132.0.34" => Some(EcCurve::P384),
            _ => None,
        }
    }

    fn agreement(self) -> &'static agreement::Algorithm {
        match self {
            EcCurve::P256 => &agreement::ECDH_P256,
            EcCurve::P384 => &agreement::ECDH_P384,
        }
    }

    fn signing(self) -> &'static backend::EcdsaSigningAlgorithm {
        match self {
            EcCurve::P256 => &backend::ECDSA_P256_SHA256_FIXED_SIGNING,
            EcCurve::P384 => &backend::ECDSA_P384_SHA384_FIXED_SIGNING,
        }
    }

    fn verification(self) -> &'static backend::EcdsaVerificationAlgorithm {
        match self {
            EcCurve::P256 => &backend::ECDSA_P256_SHA256_FIXED,
            EcCurve::P384 => &backend::ECDSA_P384_SHA384_FIXED,
        }
    }
}

/// Checks that `value` is an uncompressed point on `curve` (SEC 1 §3.2.2.1 partial public
/// key validation; both curves have cofactor 1, so a point on the curve other than the
/// point at infinity, which has no uncompressed form, is in the group).
pub fn check_point(curve: EcCurve, value: &[u8]) -> Result<(), EcError> {
    if value.len() != curve.point_len() || value[0] != 0x04 {
        return Err(EcError::BadPoint);
    }
    let parsed = ParsedPublicKey::try_from(UnparsedPublicKey::new(curve.agreement(), value))
        .map_err(|_| EcError::BadPoint)?;
    match parsed.format() {
        ParsedPublicKeyFormat::Uncompressed => Ok(()),
        _ => Err(EcError::BadPoint),
    }
}

/// An ephemeral ECDH private scalar with its public point: one side of an ECDH exchange
/// (draft-ietf-msec-mikey-ecc-03 §3). The scalar is kept (zeroized on drop) so that an
/// Initiator can be resumed in another process.
pub struct EcdhSecret {
    curve: EcCurve,
    scalar: Zeroizing<Vec<u8>>,
    key: agreement::PrivateKey,
    public: Vec<u8>,
}

impl std::fmt::Debug for EcdhSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EcdhSecret")
            .field("curve", &self.curve)
            .field("scalar", &"<secret>")
            .finish_non_exhaustive()
    }
}

impl EcdhSecret {
    /// Draws a scalar from `rng` (field-size bytes; a value outside 1..n-1, which has
    /// a probability below 2^-32, is drawn again).
    pub fn generate(curve: EcCurve, rng: &dyn Rng) -> Result<EcdhSecret, EcError> {
        let mut scalar = Zeroizing::new(vec![0u8; curve.field_len()]);
        for _ in 0..16 {
            rng.fill(&mut scalar).map_err(|_| EcError::Rng)?;
            if let Some(secret) = EcdhSecret::from_scalar(curve, &scalar) {
                return Ok(secret);
            }
        }
        Err(EcError::Rng)
    }

    /// The secret of a big-endian scalar of the field size, `None` unless it is in
    /// 1..n-1.
    pub fn from_scalar(curve: EcCurve, scalar: &[u8]) -> Option<EcdhSecret> {
        if scalar.len() != curve.field_len() || scalar.iter().all(|b| *b == 0) {
            return None;
        }
        let key = agreement::PrivateKey::from_private_key(curve.agreement(), scalar).ok()?;
        let public = key.compute_public_key().ok()?.as_ref().to_vec();
        Some(EcdhSecret {
            curve,
            scalar: Zeroizing::new(scalar.to_vec()),
            key,
            public,
        })
    }

    /// The curve.
    pub fn curve(&self) -> EcCurve {
        self.curve
    }

    /// A copy of the scalar.
    pub fn scalar(&self) -> Zeroizing<Vec<u8>> {
        self.scalar.clone()
    }

    /// The public point, uncompressed.
    pub fn public(&self) -> &[u8] {
        &self.public
    }

    /// The x-coordinate of scalar · `peer`, at the field size (draft §3), after checking
    /// that `peer` is an uncompressed point of the curve.
    pub fn agree(&self, peer: &[u8]) -> Result<Zeroizing<Vec<u8>>, EcError> {
        check_point(self.curve, peer)?;
        agreement::agree(
            &self.key,
            UnparsedPublicKey::new(self.curve.agreement(), peer),
            EcError::BadPoint,
            |x| Ok(Zeroizing::new(x.to_vec())),
        )
    }
}

/// An ECDSA private key on P-256 or P-384, signing SIGN payloads of the ECC profile
/// (draft-ietf-msec-mikey-ecc-03 §2). The key material is held by AWS-LC, which
/// overwrites it on drop.
pub struct EcSigningKey {
    curve: EcCurve,
    pair: EcdsaKeyPair,
}

impl std::fmt::Debug for EcSigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EcSigningKey")
            .field("curve", &self.curve)
            .finish_non_exhaustive()
    }
}

impl EcSigningKey {
    /// Imports a DER private key: PKCS#8 PrivateKeyInfo (id-ecPublicKey) or SEC 1
    /// ECPrivateKey (RFC 5915), on P-256 or P-384.
    pub fn from_der(der: &[u8]) -> Result<EcSigningKey, EcError> {
        for curve in [EcCurve::P256, EcCurve::P384] {
            if let Ok(pair) = EcdsaKeyPair::from_private_key_der(curve.signing(), der) {
                return Ok(EcSigningKey { curve, pair });
            }
        }
        Err(EcError::BadKey(
            "neither a PKCS#8 nor a SEC 1 EC private key on P-256 or P-384",
        ))
    }

    /// Imports the first private key block of a PEM text: "PRIVATE KEY" (PKCS#8) or "EC
    /// PRIVATE KEY" (SEC 1). Encrypted keys are not read.
    pub fn from_pem(pem: &[u8]) -> Result<EcSigningKey, EcError> {
        let der =
            Zeroizing::new(PrivateKeyDer::from_pem_slice(pem).map_err(|_| {
                EcError::BadKey("no \"PRIVATE KEY\" or \"EC PRIVATE KEY\" PEM block")
            })?);
        match &*der {
            PrivateKeyDer::Pkcs8(k) => EcSigningKey::from_der(k.secret_pkcs8_der()),
            PrivateKeyDer::Sec1(k) => EcSigningKey::from_der(k.secret_sec1_der()),
            _ => Err(EcError::BadKey("the PEM private key is not an EC key")),
        }
    }

    /// The curve of the key.
    pub fn curve(&self) -> EcCurve {
        self.curve
    }

    /// The public point, uncompressed.
    pub fn public_point(&self) -> &[u8] {
        self.pair.public_key().as_ref()
    }

    /// The `r || s` ECDSA signature of `message` with the curve's hash.
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>, EcError> {
        self.pair
            .sign(&SystemRandom::new(), message)
            .map(|s| s.as_ref().to_vec())
            .map_err(|_| EcError::Backend)
    }
}

/// Verifies an `r || s` ECDSA signature by the key `public` (an uncompressed point or a
/// DER SubjectPublicKeyInfo) on `curve`, with the curve's hash.
pub fn verify(
    curve: EcCurve,
    public: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Result<(), EcError> {
    if signature.len() != curve.signature_len() {
        return Err(EcError::BadSignature);
    }
    backend::UnparsedPublicKey::new(curve.verification(), public)
        .verify(message, signature)
        .map_err(|_| EcError::BadSignature)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SystemRng;

    const CURVES: [EcCurve; 2] = [EcCurve::P256, EcCurve::P384];

    #[test]
    fn both_sides_agree_on_the_x_coordinate() {
        for curve in CURVES {
            let a = EcdhSecret::generate(curve, &SystemRng::new()).unwrap();
            let b = EcdhSecret::generate(curve, &SystemRng::new()).unwrap();
            assert_eq!(a.public().len(), curve.point_len());
            let ab = a.agree(b.public()).unwrap();
            assert_eq!(ab.len(), curve.field_len());
            assert_eq!(ab, b.agree(a.public()).unwrap());
            let again = EcdhSecret::from_scalar(curve, &a.scalar()).unwrap();
            assert_eq!(again.public(), a.public());
        }
    }

    #[test]
    fn points_off_the_curve_or_not_uncompressed_are_refused() {
        for curve in CURVES {
            let a = EcdhSecret::generate(curve, &SystemRng::new()).unwrap();
            let mut p = a.public().to_vec();
            *p.last_mut().unwrap() ^= 1;
            assert_eq!(check_point(curve, &p), Err(EcError::BadPoint));
            assert_eq!(a.agree(&p), Err(EcError::BadPoint));
            let mut compressed = a.public()[..1 + curve.field_len()].to_vec();
            compressed[0] = 2 | (a.public()[curve.point_len() - 1] & 1);
            assert_eq!(check_point(curve, &compressed), Err(EcError::BadPoint));
            assert_eq!(
                check_point(curve, &vec![0; curve.point_len()]),
                Err(EcError::BadPoint)
            );
            let mut hybrid = a.public().to_vec();
            hybrid[0] = 6 | (a.public()[curve.point_len() - 1] & 1);
            assert_eq!(check_point(curve, &hybrid), Err(EcError::BadPoint));
        }
        let p384 = EcdhSecret::generate(EcCurve::P384, &SystemRng::new()).unwrap();
        assert_eq!(
            check_point(EcCurve::P256, p384.public()),
            Err(EcError::BadPoint)
        );
    }

    #[test]
    fn zero_and_out_of_range_scalars_are_refused() {
        for curve in CURVES {
            assert!(EcdhSecret::from_scalar(curve, &vec![0; curve.field_len()]).is_none());
            assert!(EcdhSecret::from_scalar(curve, &vec![0xFF; curve.field_len()]).is_none());
            assert!(EcdhSecret::from_scalar(curve, &[1]).is_none());
        }
    }

    #[test]
    fn signatures_verify_with_the_point_and_fail_when_altered() {
        for curve in CURVES {
            let pkcs8 =
                EcdsaKeyPair::generate_pkcs8(curve.signing(), &SystemRandom::new()).unwrap();
            let key = EcSigningKey::from_der(pkcs8.as_ref()).unwrap();
            assert_eq!(key.curve(), curve);
            let sig = key.sign(b"covered").unwrap();
            assert_eq!(sig.len(), curve.signature_len());
            verify(curve, key.public_point(), b"covered", &sig).unwrap();
            assert_eq!(
                verify(curve, key.public_point(), b"coverex", &sig),
                Err(EcError::BadSignature)
            );
            assert_eq!(
                verify(curve, key.public_point(), b"covered", &sig[1..]),
                Err(EcError::BadSignature)
            );
        }
    }
}
