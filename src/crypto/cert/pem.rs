//! Reading certificates from a file's bytes: one or more concatenated DER certificates,
//! or PEM text (RFC 7468 §5) with one or more `CERTIFICATE` blocks. PEM is decoded by
//! `rustls-pki-types`, DER lengths are read by `der`.

use super::{CertError, Certificate};
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::{self, PemObject};
use x509_cert::der::{Decode, Header, Reader, SliceReader};

/// The first byte of a DER certificate (a SEQUENCE, RFC 5280 §4.1).
const DER_SEQUENCE: u8 = 0x30;

/// Every certificate in `bytes`: a DER blob (one certificate or several back to back),
/// or PEM text whose `CERTIFICATE` blocks are read in order while other blocks (keys,
/// CRLs, ...) and text between blocks are skipped. Empty input, or PEM without a
/// `CERTIFICATE` block, gives [`CertError::NoCertificate`]; bytes that are neither DER
/// nor PEM give [`CertError::BadEncoding`].
pub fn parse_certificates(bytes: &[u8]) -> Result<Vec<Certificate>, CertError> {
    if bytes.first() == Some(&DER_SEQUENCE) {
        return parse_der_blob(bytes);
    }
    if bytes.windows(11).any(|w| w == b"-----BEGIN ") {
        let certs = CertificateDer::pem_slice_iter(bytes)
            .map(|block| {
                let der = block.map_err(pem_error)?;
                Certificate::from_der(der.as_ref())
            })
            .collect::<Result<Vec<_>, _>>()?;
        return match certs.is_empty() {
            true => Err(CertError::NoCertificate),
            false => Ok(certs),
        };
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(CertError::NoCertificate);
    }
    Err(CertError::BadEncoding("neither DER nor PEM"))
}

/// Concatenated DER certificates, cut at each one's outer TLV length.
fn parse_der_blob(mut bytes: &[u8]) -> Result<Vec<Certificate>, CertError> {
    let mut certs = Vec::new();
    while !bytes.is_empty() {
        let len = tlv_len(bytes).ok_or(CertError::BadEncoding("truncated DER"))?;
        certs.push(Certificate::from_der(&bytes[..len])?);
        bytes = &bytes[len..];
    }
    Ok(certs)
}

/// The length of the DER TLV at the start of `bytes`, if it fits in `bytes`.
fn tlv_len(bytes: &[u8]) -> Option<usize> {
    let mut reader = SliceReader::new(bytes).ok()?;
    let header = Header::decode(&mut reader).ok()?;
    let total = (reader.position() + header.length()).ok()?;
    usize::try_from(total)
        .ok()
        .filter(|&len| len <= bytes.len())
}

/// The [`CertError`] for a PEM file that does not read.
fn pem_error(e: pem::Error) -> CertError {
    CertError::BadEncoding(match e {
        pem::Error::MissingSectionEnd { .. } => "a PEM block has no END line",
        pem::Error::IllegalSectionStart { .. } => "a malformed PEM BEGIN line",
        pem::Error::Base64Decode(_) => "a PEM block is not valid base64",
        pem::Error::SectionTooLarge => "a PEM block is too large",
        _ => "unreadable PEM",
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::cert::certificate::tests::alice_der;

    fn alice_pem() -> &'static [u8] {
        include_bytes!("../../../tests/data/cert-alice-selfsigned.pem")
    }

    #[test]
    fn empty_and_blank_inputs_hold_no_certificate() {
        for input in [&b""[..], b"  \n\r\n\t"] {
            assert_eq!(parse_certificates(input), Err(CertError::NoCertificate));
        }
    }

    #[test]
    fn garbage_is_neither_der_nor_pem() {
        assert_eq!(
            parse_certificates(b"\x01\x02garbage"),
            Err(CertError::BadEncoding("neither DER nor PEM"))
        );
        assert_eq!(
            parse_certificates(b"hello world\n"),
            Err(CertError::BadEncoding("neither DER nor PEM"))
        );
    }

    #[test]
    fn pem_without_a_certificate_block() {
        let key_only = b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
        assert_eq!(parse_certificates(key_only), Err(CertError::NoCertificate));
        let empty_block = b"-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n";
        assert_eq!(
            parse_certificates(empty_block),
            Err(CertError::NoCertificate)
        );
    }

    #[test]
    fn pem_mixed_with_other_blocks_and_text() {
        let mut bundle = b"Subject: alice\n".to_vec();
        bundle.extend_from_slice(b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        bundle.extend_from_slice(alice_pem());
        bundle.extend_from_slice(b"-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n");
        bundle.extend_from_slice(alice_pem());
        let certs = parse_certificates(&bundle).unwrap();
        assert_eq!(certs.len(), 2);
        assert!(certs.iter().all(|c| c.der() == alice_der()));
    }

    #[test]
    fn broken_pem_is_a_specific_error() {
        let pem = alice_pem();
        let no_end = &pem[..pem.len() - 30];
        assert_eq!(
            parse_certificates(no_end),
            Err(CertError::BadEncoding("a PEM block has no END line"))
        );
        let bad_base64 = b"-----BEGIN CERTIFICATE-----\nMII*\n-----END CERTIFICATE-----\n";
        assert_eq!(
            parse_certificates(bad_base64),
            Err(CertError::BadEncoding("a PEM block is not valid base64"))
        );
        // Valid base64 ("hello") that is not a certificate.
        let not_a_cert = b"-----BEGIN CERTIFICATE-----\naGVsbG8=\n-----END CERTIFICATE-----\n";
        assert!(matches!(
            parse_certificates(not_a_cert),
            Err(CertError::BadEncoding(_))
        ));
    }

    #[test]
    fn concatenated_der() {
        let der = alice_der();
        assert_eq!(parse_certificates(&der).unwrap()[0].der(), &der[..]);
        let two = [der.clone(), der.clone()].concat();
        assert_eq!(parse_certificates(&two).unwrap().len(), 2);
        let and_a_half = [der.clone(), der[..100].to_vec()].concat();
        assert_eq!(
            parse_certificates(&and_a_half),
            Err(CertError::BadEncoding("truncated DER"))
        );
        let and_junk = [der.clone(), vec![0x30, 0x80]].concat();
        assert!(matches!(
            parse_certificates(&and_junk),
            Err(CertError::BadEncoding(_))
        ));
    }
}
