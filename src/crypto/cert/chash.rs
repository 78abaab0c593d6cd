//! The certificate hash of a CHASH payload (RFC 3830 §6.8; SHA-256 from RFC 6043 §6.7):
//! the hash of the certificate's DER encoding.

use super::{CertError, Certificate};
use ring::digest;

/// The Hash func of a CHASH payload (RFC 3830 §6.8 Table 6.8, RFC 6043 §6.7 Table 6.12).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CertHashFunc {
    /// Hash func 0: SHA-1, 160 bits (mandatory in RFC 3830).
    Sha1,
    /// Hash func 1: MD5, 128 bits. Refused: MD5 is broken for collision resistance
    /// (RFC 6151 §2), which is what a certificate hash relies on.
    Md5,
    /// Hash func 2: SHA-256, 256 bits (RFC 6043 §6.7).
    Sha256,
}

impl CertHashFunc {
    /// The hash length in bytes (Table 6.8 / 6.12).
    pub fn output_len(self) -> usize {
        match self {
            CertHashFunc::Sha1 => 20,
            CertHashFunc::Md5 => 16,
            CertHashFunc::Sha256 => 32,
        }
    }
}

/// The CHASH value of `cert`: `func` over its DER bytes. MD5 gives
/// [`CertError::Unsupported`].
pub fn cert_hash(cert: &Certificate, func: CertHashFunc) -> Result<Vec<u8>, CertError> {
    let alg = match func {
        CertHashFunc::Sha1 => &digest::SHA1_FOR_LEGACY_USE_ONLY,
        CertHashFunc::Sha256 => &digest::SHA256,
        CertHashFunc::Md5 => {
            return Err(CertError::Unsupported(
                "MD5 certificate hashes (CHASH Hash func 1)",
            ));
        }
    };
    Ok(digest::digest(alg, cert.der()).as_ref().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::cert::certificate::tests::alice_der;

    #[test]
    fn hash_lengths_follow_the_tables_and_md5_is_refused() {
        let cert = Certificate::from_der(&alice_der()).unwrap();
        for func in [CertHashFunc::Sha1, CertHashFunc::Sha256] {
            assert_eq!(cert_hash(&cert, func).unwrap().len(), func.output_len());
        }
        assert_ne!(
            cert_hash(&cert, CertHashFunc::Sha1).unwrap(),
            cert_hash(&cert, CertHashFunc::Sha256).unwrap()[..20]
        );
        assert!(matches!(
            cert_hash(&cert, CertHashFunc::Md5),
            Err(CertError::Unsupported(_))
        ));
    }
}
