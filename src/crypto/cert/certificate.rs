//! One X.509 v3 certificate (RFC 5280 §4.1), parsed once with RustCrypto's `x509-cert`,
//! keeping its DER and the fields MIKEY reads: the subject key, the subjectAltName
//! identities (§4.2.1.6) and the keyUsage bits (§4.2.1.3).

use super::CertError;
use crate::crypto::ec::EcCurve;
use x509_cert::der::oid::db::rfc5912::RSA_ENCRYPTION;
use x509_cert::der::{self, Decode, Encode};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{ExtendedKeyUsage, KeyUsage, SubjectAltName};

/// One subjectAltName entry (RFC 5280 §4.2.1.6). Identities are taken from
/// subjectAltName only, never from the subject DN (its CN or emailAddress).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SubjectIdentity {
    /// uniformResourceIdentifier, e.g. `sip:alice@example.com`.
    Uri(String),
    /// rfc822Name: a mailbox, e.g. `alice@example.com`.
    Email(String),
    /// dNSName.
    Dns(String),
    /// Any other name form (directoryName, iPAddress, otherName, ...).
    Other,
}

/// The keyUsage extension of a certificate (RFC 5280 §4.2.1.3). `present` is false when
/// the certificate has no keyUsage extension, in which case every bit reads false and
/// no use is restricted by it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KeyUsageFlags {
    /// The certificate has a keyUsage extension.
    pub present: bool,
    /// digitalSignature (bit 0).
    pub digital_signature: bool,
    /// nonRepudiation, also called contentCommitment (bit 1).
    pub non_repudiation: bool,
    /// keyEncipherment (bit 2).
    pub key_encipherment: bool,
    /// dataEncipherment (bit 3).
    pub data_encipherment: bool,
    /// keyAgreement (bit 4).
    pub key_agreement: bool,
    /// keyCertSign (bit 5).
    pub key_cert_sign: bool,
    /// cRLSign (bit 6).
    pub crl_sign: bool,
}

/// One X.509 certificate in DER (RFC 5280 §4.1), as carried in a MIKEY CERT payload
/// (RFC 3830 §6.7: "included as a bytes string using DER encoding").
///
/// [`Certificate::from_der`] checks the structure only: that the bytes are exactly one
/// DER certificate, that no extension appears twice, and that the subjectAltName,
/// keyUsage and extendedKeyUsage extensions, when present, decode. Whether the
/// certificate is trusted is for [`super::TrustAnchors::verify`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Certificate {
    der: Vec<u8>,
    spki: Vec<u8>,
    rsa: bool,
    ec_curve: Option<EcCurve>,
    identities: Vec<SubjectIdentity>,
    key_usage: KeyUsageFlags,
}

impl Certificate {
    /// Parses one DER certificate; the bytes must hold nothing else.
    pub fn from_der(der: &[u8]) -> Result<Certificate, CertError> {
        if der.is_empty() {
            return Err(CertError::NoCertificate);
        }
        let cert = x509_cert::Certificate::from_der(der).map_err(|e| der_error(e.kind()))?;
        let tbs = cert.tbs_certificate();
        let extensions = tbs.extensions().map(Vec::as_slice).unwrap_or(&[]);
        for (i, ext) in extensions.iter().enumerate() {
            if extensions[..i].iter().any(|e| e.extn_id == ext.extn_id) {
                return Err(CertError::BadEncoding(
                    "an extension appears twice (RFC 5280 §4.2)",
                ));
            }
        }
        let san = tbs
            .get_extension::<SubjectAltName>()
            .map_err(|_| CertError::BadEncoding("subjectAltName does not decode"))?;
        let key_usage = tbs
            .get_extension::<KeyUsage>()
            .map_err(|_| CertError::BadEncoding("keyUsage does not decode"))?;
        tbs.get_extension::<ExtendedKeyUsage>()
            .map_err(|_| CertError::BadEncoding("extendedKeyUsage does not decode"))?;
        let spki = tbs.subject_public_key_info();
        let spki_der = spki
            .to_der()
            .map_err(|_| CertError::BadEncoding("subjectPublicKeyInfo does not encode"))?;
        Ok(Certificate {
            der: der.to_vec(),
            spki: spki_der,
            rsa: spki.algorithm.oid == RSA_ENCRYPTION,
            ec_curve: named_curve(spki),
            identities: san.map(|(_, s)| identities(&s)).unwrap_or_default(),
            key_usage: key_usage.map(|(_, ku)| flags(&ku)).unwrap_or_default(),
        })
    }

    /// The certificate's DER bytes, as given to [`Certificate::from_der`].
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The subject's SubjectPublicKeyInfo in DER (RFC 5280 §4.1.2.7), as the RSA layer
    /// takes a public key.
    pub fn spki_der(&self) -> &[u8] {
        &self.spki
    }

    /// Whether the subject key is an RSA key (algorithm rsaEncryption, RFC 8017
    /// Appendix C / RFC 3279 §2.3.1), the only kind MIKEY's PKE envelope and SIGN
    /// payload use (RFC 3830 §4.2.5, §6.5). An id-RSASSA-PSS key is not: RFC 4055 §1.2
    /// restricts it to signatures, and the RSA layer takes rsaEncryption keys.
    pub fn is_rsa(&self) -> bool {
        self.rsa
    }

    /// The curve of the subject key when it is an EC key (id-ecPublicKey with a named
    /// curve, RFC 5480 §2.1.1) on P-256 or P-384, the keys that sign with ECDSA in the
    /// ECC profile (draft-ietf-msec-mikey-ecc-03 §2).
    pub fn ec_curve(&self) -> Option<EcCurve> {
        self.ec_curve
    }

    /// The subjectAltName entries, in certificate order (RFC 5280 §4.2.1.6); empty when
    /// the extension is absent.
    pub fn identities(&self) -> &[SubjectIdentity] {
        &self.identities
    }

    /// The keyUsage bits (RFC 5280 §4.2.1.3).
    pub fn key_usage(&self) -> KeyUsageFlags {
        self.key_usage
    }
}

/// The specific complaint for a certificate that `x509-cert` does not decode.
/// The named curve of an id-ecPublicKey SubjectPublicKeyInfo (RFC 5480 §2.1.1), when it
/// is one [`EcCurve`] knows.
fn named_curve(spki: &x509_cert::spki::SubjectPublicKeyInfoOwned) -> Option<EcCurve> {
    const ID_EC_PUBLIC_KEY: der::oid::ObjectIdentifier =
        der::oid::ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
    if spki.algorithm.oid != ID_EC_PUBLIC_KEY {
        return None;
    }
    let curve: der::oid::ObjectIdentifier = spki.algorithm.parameters.as_ref()?.decode_as().ok()?;
    EcCurve::from_oid(&curve.to_string())
}

fn der_error(kind: der::ErrorKind) -> CertError {
    CertError::BadEncoding(match kind {
        der::ErrorKind::Incomplete { .. } => "truncated DER",
        der::ErrorKind::TrailingData { .. } => "bytes after the certificate",
        der::ErrorKind::Noncanonical { .. } | der::ErrorKind::IndefiniteLength => {
            "not DER (a non-canonical encoding)"
        }
        _ => "not a DER X.509 certificate (RFC 5280 §4.1)",
    })
}

/// The subjectAltName entries MIKEY can name (RFC 5280 §4.2.1.6).
fn identities(san: &SubjectAltName) -> Vec<SubjectIdentity> {
    san.0
        .iter()
        .map(|name| match name {
            GeneralName::UniformResourceIdentifier(s) => SubjectIdentity::Uri(s.to_string()),
            GeneralName::Rfc822Name(s) => SubjectIdentity::Email(s.to_string()),
            GeneralName::DnsName(s) => SubjectIdentity::Dns(s.to_string()),
            _ => SubjectIdentity::Other,
        })
        .collect()
}

/// The keyUsage extension as plain flags.
fn flags(ku: &KeyUsage) -> KeyUsageFlags {
    KeyUsageFlags {
        present: true,
        digital_signature: ku.digital_signature(),
        non_repudiation: ku.non_repudiation(),
        key_encipherment: ku.key_encipherment(),
        data_encipherment: ku.data_encipherment(),
        key_agreement: ku.key_agreement(),
        key_cert_sign: ku.key_cert_sign(),
        crl_sign: ku.crl_sign(),
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use rustls_pki_types::CertificateDer;
    use rustls_pki_types::pem::PemObject;

    /// The DER of tests/data/cert-alice-selfsigned.pem.
    pub(in super::super) fn alice_der() -> Vec<u8> {
        let pem = include_bytes!("../../../tests/data/cert-alice-selfsigned.pem");
        CertificateDer::from_pem_slice(pem).unwrap().to_vec()
    }

    #[test]
    fn reads_the_fields_mikey_uses() {
        let der = alice_der();
        let cert = Certificate::from_der(&der).unwrap();
        assert_eq!(cert.der(), &der[..]);
        assert!(cert.is_rsa());
        assert_eq!(
            cert.identities(),
            [
                SubjectIdentity::Uri("sip:alice@example.com".into()),
                SubjectIdentity::Email("alice@example.com".into()),
                SubjectIdentity::Dns("alice.example.com".into()),
            ]
        );
        assert_eq!(
            cert.key_usage(),
            KeyUsageFlags {
                present: true,
                digital_signature: true,
                key_encipherment: true,
                ..KeyUsageFlags::default()
            }
        );
        // The SPKI is the certificate's own bytes, a SEQUENCE inside the TBS.
        let spki = cert.spki_der();
        assert_eq!(spki[0], 0x30);
        assert!(spki.len() > 270);
        assert!(der.windows(spki.len()).any(|w| w == spki));
    }

    #[test]
    fn every_truncation_is_a_specific_error() {
        let der = alice_der();
        assert_eq!(Certificate::from_der(&[]), Err(CertError::NoCertificate));
        for len in 1..der.len() {
            match Certificate::from_der(&der[..len]) {
                Err(CertError::BadEncoding(_)) => {}
                other => panic!("prefix of {len} bytes: {other:?}"),
            }
        }
        assert_eq!(
            Certificate::from_der(&der[..der.len() - 1]),
            Err(CertError::BadEncoding("truncated DER"))
        );
    }

    #[test]
    fn trailing_bytes_and_garbage_are_refused() {
        let mut der = alice_der();
        der.push(0);
        assert_eq!(
            Certificate::from_der(&der),
            Err(CertError::BadEncoding("bytes after the certificate"))
        );
        assert!(matches!(
            Certificate::from_der(b"not a certificate"),
            Err(CertError::BadEncoding(_))
        ));
        // A SEQUENCE that holds no certificate.
        assert!(matches!(
            Certificate::from_der(&[0x30, 0x03, 0x02, 0x01, 0x00]),
            Err(CertError::BadEncoding(_))
        ));
    }

    #[test]
    fn a_repeated_extension_is_refused() {
        // Rename basicConstraints (2.5.29.19) to keyUsage (2.5.29.15): same length, so
        // the DER stays well formed and keyUsage appears twice.
        let mut der = alice_der();
        let bc_oid = [0x06, 0x03, 0x55, 0x1d, 0x13];
        let at = der.windows(5).position(|w| w == bc_oid).unwrap();
        der[at + 4] = 0x0f;
        assert_eq!(
            Certificate::from_der(&der),
            Err(CertError::BadEncoding(
                "an extension appears twice (RFC 5280 §4.2)"
            ))
        );
    }
}
