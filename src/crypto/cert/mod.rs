//! X.509 certificates for MIKEY's public-key modes (MIKEY-PK, RFC 3830 §3.2; MIKEY-RSA-R,
//! RFC 4738): parsing the certificates of CERT payloads (RFC 3830 §6.7), validating a
//! peer's certificate up to a trusted CA for signing or encryption, matching it to the
//! peer's ID payload, and the CHASH certificate hash (§6.8).
//!
//! Knows nothing of MIKEY messages: it takes bytes and plain enums. The end entity's
//! key leaves as SubjectPublicKeyInfo DER ([`Certificate::spki_der`]) for the RSA layer.
//! Path validation is rustls-webpki's (with aws-lc-rs signature verification); the
//! fields webpki does not expose (URI and email subjectAltNames, keyUsage) are read with
//! RustCrypto's `x509-cert`; PEM is decoded by `rustls-pki-types`.

mod certificate;
mod chain;
mod chash;
mod error;
mod identity;
mod pem;
mod usage;

pub use certificate::{Certificate, KeyUsageFlags, SubjectIdentity};
pub use chain::TrustAnchors;
pub use chash::{CertHashFunc, cert_hash};
pub use error::CertError;
pub use identity::{IdentityKind, matches_identity};
pub use pem::parse_certificates;
pub use usage::CertUsage;
