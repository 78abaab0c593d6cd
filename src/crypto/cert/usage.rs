//! The key-usage and extended-key-usage policy for MIKEY certificates, stated on
//! [`CertUsage`].

use super::{CertError, Certificate};
use webpki::{
    ExtendedKeyUsageValidator, KeyPurposeId, KeyPurposeIdIter, KeyUsage, RequiredEkuNotFoundContext,
};
use x509_cert::der::oid::ObjectIdentifier;
use x509_cert::der::oid::db::rfc5280::ANY_EXTENDED_KEY_USAGE;

/// anyExtendedKeyUsage (RFC 5280 §4.2.1.12), 2.5.29.37.0.
static ANY_EKU: ObjectIdentifier = ANY_EXTENDED_KEY_USAGE;

/// What a MIKEY exchange uses a certificate's key for (RFC 3830 §6.7 Table 6.7.b: Cert
/// type 2 "X.509v3 Sign", "used for signatures only", is for [`CertUsage::Signing`], 3
/// "X.509v3 Encr", "used for encryption only", for [`CertUsage::Encryption`]; a type 0
/// "X.509v3" certificate is checked for the use the exchange makes of it).
///
/// MIKEY has no extended key purpose of its own, so the policy is built from RFC 5280:
///
/// - keyUsage (RFC 5280 §4.2.1.3), on the end-entity certificate: when the extension is
///   present, [`CertUsage::Signing`] needs digitalSignature or nonRepudiation (a MIKEY
///   SIGN payload is a signature other than on a certificate or CRL), and
///   [`CertUsage::Encryption`] needs keyEncipherment (the PKE envelope carries the
///   envelope key, RFC 3830 §4.2.5). dataEncipherment and keyAgreement do not count.
///   Without the extension the key is not restricted by it.
/// - keyUsage on every intermediate CA of the path: when present it must assert
///   keyCertSign (RFC 5280 §4.2.1.3 and the path check of §6.1.4 (n)).
/// - extendedKeyUsage (RFC 5280 §4.2.1.12), on the end entity and on every intermediate
///   CA: a certificate without the extension is accepted. With it, the list must contain
///   anyExtendedKeyUsage (2.5.29.37.0) or a purpose the caller configured with
///   [`TrustAnchors::with_extended_key_usage`](super::TrustAnchors::with_extended_key_usage) (a private PKI's own MIKEY purpose). A
///   certificate limited to other purposes, such as TLS serverAuth or S/MIME
///   emailProtection, is refused: its issuer bound the key to that protocol, and using
///   it for MIKEY as well would be cross-protocol use of one key. An intermediate's
///   extendedKeyUsage constrains the certificates below it the same way (as webpki and
///   the Web PKI read it). The trust anchors' own extensions are not checked (RFC 5280
///   §6.1.1 (d): an anchor is a name and a key).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CertUsage {
    /// Verifying a SIGN payload (RFC 3830 §6.5) made with the certificate's key.
    Signing,
    /// Encrypting a PKE envelope (RFC 3830 §4.2.5, §6.4) to the certificate's key.
    Encryption,
}

impl Certificate {
    /// Whether this certificate's keyUsage extension allows `usage` (RFC 5280
    /// §4.2.1.3; the rule is on [`CertUsage`]). Only this one certificate is looked at:
    /// [`TrustAnchors::verify`](super::TrustAnchors::verify) does this and checks the path.
    pub fn allows(&self, usage: CertUsage) -> Result<(), CertError> {
        let ku = self.key_usage();
        if !ku.present {
            return Ok(());
        }
        match usage {
            CertUsage::Signing if ku.digital_signature || ku.non_repudiation => Ok(()),
            CertUsage::Signing => Err(CertError::KeyUsage(
                "signing needs digitalSignature or nonRepudiation",
            )),
            CertUsage::Encryption if ku.key_encipherment => Ok(()),
            CertUsage::Encryption => Err(CertError::KeyUsage("encryption needs keyEncipherment")),
        }
    }

    /// Whether this certificate's keyUsage, if present, lets it sign certificates
    /// (keyCertSign, RFC 5280 §4.2.1.3, §6.1.4 (n)).
    pub(super) fn may_sign_certificates(&self) -> bool {
        let ku = self.key_usage();
        !ku.present || ku.key_cert_sign
    }
}

/// The extendedKeyUsage rule of [`CertUsage`], as webpki applies it to the
/// end entity and every intermediate of a candidate path.
pub(super) struct MikeyEku<'a> {
    /// Purposes accepted besides anyExtendedKeyUsage.
    pub(super) extra: &'a [ObjectIdentifier],
}

impl ExtendedKeyUsageValidator for MikeyEku<'_> {
    fn validate(&self, purposes: KeyPurposeIdIter<'_, '_>) -> Result<(), webpki::Error> {
        // webpki refuses an empty extension itself (EmptyEkuExtension), so no purpose
        // at all means the extension is absent.
        let mut present = Vec::new();
        for purpose in purposes {
            let purpose = purpose?;
            let accepted = std::iter::once(&ANY_EKU)
                .chain(self.extra)
                .any(|oid| purpose == KeyPurposeId::new(oid.as_bytes()));
            if accepted {
                return Ok(());
            }
            present.push(purpose.to_decoded_oid());
        }
        if present.is_empty() {
            return Ok(());
        }
        Err(webpki::Error::RequiredEkuNotFoundContext(
            RequiredEkuNotFoundContext {
                required: KeyUsage::required(ANY_EKU.as_bytes()),
                present,
            },
        ))
    }
}
