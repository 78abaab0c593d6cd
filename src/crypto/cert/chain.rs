//! Certificate path validation (RFC 5280 §6.1) with rustls-webpki, backed by aws-lc-rs,
//! plus the MIKEY usage rules of [`CertUsage`].

use super::usage::MikeyEku;
use super::{CertError, CertUsage, Certificate};
use rustls_pki_types::{CertificateDer, SignatureVerificationAlgorithm, TrustAnchor, UnixTime};
use std::cell::Cell;
use std::time::Duration;
use webpki::aws_lc_rs as algs;
use webpki::{EndEntityCert, VerifiedPath};
use x509_cert::der::oid::ObjectIdentifier;

/// The signature algorithms accepted on the certificates of a path (webpki's aws-lc-rs
/// set): RSASSA-PKCS1-v1_5 and RSASSA-PSS with SHA-256, SHA-384 or SHA-512 by RSA keys
/// of 2048 to 8192 bits; ECDSA on P-256, P-384 and P-521 with SHA-256, SHA-384 or
/// SHA-512; Ed25519; ML-DSA-44, -65 and -87. Certificates signed with SHA-1 or MD5 are
/// refused ([`CertError::UnsupportedSignatureAlgorithm`]); a signature by an RSA key
/// outside 2048..=8192 bits does not verify ([`CertError::BadSignature`]).
static SIGNATURE_ALGORITHMS: &[&dyn SignatureVerificationAlgorithm] = &[
    algs::RSA_PKCS1_2048_8192_SHA256,
    algs::RSA_PKCS1_2048_8192_SHA384,
    algs::RSA_PKCS1_2048_8192_SHA512,
    algs::RSA_PKCS1_2048_8192_SHA256_ABSENT_PARAMS,
    algs::RSA_PKCS1_2048_8192_SHA384_ABSENT_PARAMS,
    algs::RSA_PKCS1_2048_8192_SHA512_ABSENT_PARAMS,
    algs::RSA_PKCS1_3072_8192_SHA384,
    algs::RSA_PSS_2048_8192_SHA256_LEGACY_KEY,
    algs::RSA_PSS_2048_8192_SHA384_LEGACY_KEY,
    algs::RSA_PSS_2048_8192_SHA512_LEGACY_KEY,
    algs::ECDSA_P256_SHA256,
    algs::ECDSA_P256_SHA384,
    algs::ECDSA_P256_SHA512,
    algs::ECDSA_P384_SHA256,
    algs::ECDSA_P384_SHA384,
    algs::ECDSA_P384_SHA512,
    algs::ECDSA_P521_SHA256,
    algs::ECDSA_P521_SHA384,
    algs::ECDSA_P521_SHA512,
    algs::ED25519,
    algs::ML_DSA_44,
    algs::ML_DSA_65,
    algs::ML_DSA_87,
];

/// The CAs a MIKEY endpoint trusts to certify its peers' keys (RFC 5280 §6.1.1 (d):
/// each anchor is the subject name, key and nameConstraints of a certificate; its
/// validity, keyUsage and other extensions are not checked), and the extra extended
/// key purposes accepted (see [`CertUsage`]).
#[derive(Clone, Debug)]
pub struct TrustAnchors {
    anchors: Vec<TrustAnchor<'static>>,
    extra_ekus: Vec<ObjectIdentifier>,
}

impl TrustAnchors {
    /// Trusts each of `certs` as an anchor (a CA certificate, usually self-signed;
    /// X.509 v1 anchors are accepted). At least one is needed.
    pub fn from_certificates(certs: &[Certificate]) -> Result<TrustAnchors, CertError> {
        if certs.is_empty() {
            return Err(CertError::NoTrustAnchor);
        }
        let anchors = certs
            .iter()
            .map(|cert| {
                webpki::anchor_from_trusted_cert(&CertificateDer::from(cert.der()))
                    .map(|anchor| anchor.to_owned())
                    .map_err(webpki_error)
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(TrustAnchors {
            anchors,
            extra_ekus: Vec::new(),
        })
    }

    /// Also accepts certificates whose extendedKeyUsage lists `oid` (dotted decimal,
    /// e.g. `1.3.6.1.4.1.99999.1`), besides anyExtendedKeyUsage (RFC 5280 §4.2.1.12; see
    /// [`CertUsage`]).
    pub fn with_extended_key_usage(mut self, oid: &str) -> Result<TrustAnchors, CertError> {
        let oid = ObjectIdentifier::new(oid)
            .map_err(|_| CertError::BadEncoding("not a dotted-decimal OBJECT IDENTIFIER"))?;
        self.extra_ekus.push(oid);
        Ok(self)
    }

    /// Validates `end_entity` for `usage` at `now_unix` (seconds since 1970-01-01 UTC):
    ///
    /// 1. its key is RSA, or EC on P-256 or P-384 ([`CertError::UnsupportedKeyType`]
    ///    otherwise), and its keyUsage allows
    ///    `usage` ([`Certificate::allows`]);
    /// 2. a path leads from it through some of `intermediates` (in any order, unused
    ///    ones ignored, at most 6 in the path) to one of the anchors, on which (RFC 5280
    ///    §6.1.3)
    ///    every signature verifies with an accepted algorithm (`SIGNATURE_ALGORITHMS`:
    ///    SHA-1-signed certificates are refused with
    ///    [`CertError::UnsupportedSignatureAlgorithm`]), every certificate is X.509 v3
    ///    and valid at `now_unix`, has no critical extension left unprocessed, meets
    ///    basicConstraints (§4.2.1.9) and the anchors' and CAs' nameConstraints
    ///    (§4.2.1.10: dNSName and iPAddress constraints are processed; a constraint on
    ///    URI, rfc822Name or another unprocessed form refuses every certificate below
    ///    it that has a name of that form, and a directoryName constraint every
    ///    certificate below it);
    /// 3. the extendedKeyUsage and intermediate keyUsage rules of [`CertUsage`] hold.
    ///
    /// Revocation (CRLs, OCSP) is not checked, and certificate policies are not
    /// processed (a critical policy extension is refused as unsupported).
    pub fn verify(
        &self,
        end_entity: &Certificate,
        intermediates: &[Certificate],
        now_unix: u64,
        usage: CertUsage,
    ) -> Result<(), CertError> {
        if !end_entity.is_rsa() && end_entity.ec_curve().is_none() {
            return Err(CertError::UnsupportedKeyType);
        }
        end_entity.allows(usage)?;
        let ee_der = CertificateDer::from(end_entity.der());
        let ee = EndEntityCert::try_from(&ee_der).map_err(webpki_error)?;
        let intermediate_ders: Vec<CertificateDer<'_>> = intermediates
            .iter()
            .map(|cert| CertificateDer::from(cert.der()))
            .collect();
        let time = UnixTime::since_unix_epoch(Duration::from_secs(now_unix));
        let cert_sign_refused = Cell::new(false);
        let check_intermediates = |path: &VerifiedPath<'_>| {
            for ca in path.intermediate_certificates() {
                let ca_der = ca.der();
                let allowed = intermediates
                    .iter()
                    .find(|cert| cert.der() == ca_der.as_ref())
                    .is_some_and(Certificate::may_sign_certificates);
                if !allowed {
                    cert_sign_refused.set(true);
                    return Err(webpki::Error::EndEntityUsedAsCa);
                }
            }
            Ok(())
        };
        let eku = MikeyEku {
            extra: &self.extra_ekus,
        };
        let result = ee.verify_for_usage(
            SIGNATURE_ALGORITHMS,
            &self.anchors,
            &intermediate_ders,
            time,
            eku,
            None,
            Some(&check_intermediates),
        );
        match result {
            Ok(_) => Ok(()),
            Err(_) if cert_sign_refused.get() => Err(CertError::KeyUsage(
                "an intermediate CA's keyUsage lacks keyCertSign",
            )),
            Err(e) => Err(webpki_error(e)),
        }
    }
}

/// The [`CertError`] for a webpki refusal.
fn webpki_error(e: webpki::Error) -> CertError {
    use webpki::Error as W;
    match e {
        W::UnknownIssuer => CertError::UnknownIssuer,
        W::CertExpired { .. } => CertError::Expired,
        W::CertNotValidYet { .. } => CertError::NotYetValid,
        W::InvalidSignatureForPublicKey => CertError::BadSignature,
        W::UnsupportedSignatureAlgorithmContext(_)
        | W::UnsupportedSignatureAlgorithmForPublicKeyContext(_) => {
            CertError::UnsupportedSignatureAlgorithm
        }
        W::RequiredEkuNotFoundContext(_) => CertError::ExtendedKeyUsage,
        W::CaUsedAsEndEntity => {
            CertError::BasicConstraints("a CA certificate is used as the end entity")
        }
        W::EndEntityUsedAsCa => {
            CertError::BasicConstraints("a certificate that is not a CA is used as an issuer")
        }
        W::PathLenConstraintViolated => CertError::BasicConstraints("pathLenConstraint exceeded"),
        W::NameConstraintViolation | W::InvalidNetworkMaskConstraint => CertError::NameConstraints,
        W::CertDistrusted => CertError::Distrusted,
        W::UnsupportedCertVersion => CertError::Unsupported("a certificate that is not X.509 v3"),
        W::UnsupportedCriticalExtension => {
            CertError::Unsupported("a critical extension that is not processed")
        }
        W::UnsupportedNameType => CertError::Unsupported("a name type that is not processed"),
        W::MaximumPathDepthExceeded
        | W::MaximumSignatureChecksExceeded
        | W::MaximumPathBuildCallsExceeded
        | W::MaximumNameConstraintComparisonsExceeded => CertError::PathTooComplex,
        W::SignatureAlgorithmMismatch => CertError::BadEncoding(
            "signatureAlgorithm differs from the TBSCertificate signature field",
        ),
        W::EmptyEkuExtension => CertError::BadEncoding("empty extendedKeyUsage"),
        W::InvalidCertValidity => CertError::BadEncoding("notBefore is after notAfter"),
        W::InvalidSerialNumber => CertError::BadEncoding("invalid serial number"),
        W::BadDerTime => CertError::BadEncoding("a validity time is not DER"),
        W::MalformedExtensions | W::ExtensionValueInvalid => {
            CertError::BadEncoding("an extension is malformed")
        }
        W::MalformedNameConstraint | W::MalformedDnsIdentifier => {
            CertError::BadEncoding("a name or name constraint is malformed")
        }
        W::TrailingData(_) => CertError::BadEncoding("trailing data inside the certificate"),
        W::BadDer => CertError::BadEncoding("a certificate field is not valid DER"),
        _ => CertError::Unsupported("a certificate path webpki refuses for another reason"),
    }
}
