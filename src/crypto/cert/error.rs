//! Why a certificate was not parsed or not accepted.

use std::fmt;

/// A certificate could not be parsed, or was refused for the use asked of it (RFC 5280 §6.1
/// path validation, RFC 3830 §6.7 Cert types). Every variant names one cause.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CertError {
    /// The bytes are not a DER X.509 certificate (RFC 5280 §4.1) or not a readable PEM
    /// file (RFC 7468 §2); the text says which part is wrong.
    BadEncoding(&'static str),
    /// The input holds no certificate (empty, or a PEM file without a `CERTIFICATE`
    /// block).
    NoCertificate,
    /// No trust anchor was given.
    NoTrustAnchor,
    /// No path leads from the certificate to a trust anchor through the intermediates
    /// given (RFC 5280 §6.1: no issuer with a matching name).
    UnknownIssuer,
    /// A certificate of the path is past its notAfter (RFC 5280 §4.1.2.5).
    Expired,
    /// A certificate of the path is before its notBefore (RFC 5280 §4.1.2.5).
    NotYetValid,
    /// A signature in the path does not verify with its issuer's key. An RSA issuer
    /// key outside 2048..=8192 bits gives this too: the verifier refuses the key
    /// inside the signature check, which does not say why.
    BadSignature,
    /// A certificate of the path is signed with an algorithm that is not accepted:
    /// SHA-1 or MD5 signatures, unknown algorithms (see [`super::TrustAnchors::verify`]).
    UnsupportedSignatureAlgorithm,
    /// The end-entity key is neither an RSA (rsaEncryption) key, which MIKEY's PKE
    /// envelope and SIGN payload use (RFC 3830 §4.2.5, §6.5), nor an EC key on P-256 or
    /// P-384, which sign in the ECC profile (draft-ietf-msec-mikey-ecc-03 §2).
    UnsupportedKeyType,
    /// A keyUsage extension does not allow the use (RFC 5280 §4.2.1.3); the text names
    /// the missing bit.
    KeyUsage(&'static str),
    /// An extendedKeyUsage extension in the path does not allow MIKEY (RFC 5280
    /// §4.2.1.12; see [`super::CertUsage`] for the rule).
    ExtendedKeyUsage,
    /// basicConstraints is violated (RFC 5280 §4.2.1.9): a CA certificate used as the
    /// end entity, a non-CA certificate used as an issuer, or a path longer than a
    /// pathLenConstraint allows; the text says which.
    BasicConstraints(&'static str),
    /// A name in the path is outside a CA's nameConstraints, or of a name form whose
    /// constraints are not processed, which is refused (RFC 5280 §4.2.1.10).
    NameConstraints,
    /// The certificate uses something this library does not process (a critical
    /// extension it does not know, a version other than v3, ...); the text says what.
    Unsupported(&'static str),
    /// A key in the path is on webpki's list of distrusted CA keys.
    Distrusted,
    /// Path building gave up: too many candidate paths, signatures or name comparisons,
    /// or a path longer than the supported depth.
    PathTooComplex,
}

impl fmt::Display for CertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CertError::BadEncoding(what) => write!(f, "bad certificate encoding: {what}"),
            CertError::NoCertificate => f.write_str("no certificate in the input"),
            CertError::NoTrustAnchor => f.write_str("no trust anchor given"),
            CertError::UnknownIssuer => {
                f.write_str("certificate not issued by a trusted CA (no path to a trust anchor)")
            }
            CertError::Expired => f.write_str("a certificate of the path has expired"),
            CertError::NotYetValid => f.write_str("a certificate of the path is not yet valid"),
            CertError::BadSignature => f.write_str(
                "a certificate signature does not verify (or its RSA issuer key is not \
                 2048 to 8192 bits)",
            ),
            CertError::UnsupportedSignatureAlgorithm => f.write_str(
                "a certificate is signed with an algorithm that is not accepted \
                 (SHA-1 and MD5 signatures are refused)",
            ),
            CertError::UnsupportedKeyType => {
                f.write_str("the certificate's key is neither RSA nor EC on P-256 or P-384")
            }
            CertError::KeyUsage(what) => write!(f, "keyUsage does not allow this use: {what}"),
            CertError::ExtendedKeyUsage => f.write_str(
                "extendedKeyUsage does not allow MIKEY (anyExtendedKeyUsage or a configured \
                 purpose is needed)",
            ),
            CertError::BasicConstraints(what) => write!(f, "basicConstraints violated: {what}"),
            CertError::NameConstraints => {
                f.write_str("a name is outside, or not checkable against, a CA's nameConstraints")
            }
            CertError::Unsupported(what) => write!(f, "unsupported certificate feature: {what}"),
            CertError::Distrusted => f.write_str("a CA key of the path is distrusted"),
            CertError::PathTooComplex => {
                f.write_str("certificate path building gave up (too many candidates or too deep)")
            }
        }
    }
}

impl std::error::Error for CertError {}
