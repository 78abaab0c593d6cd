//! Reading the MIKEY-PK credentials (RFC 3830 §3.2) from the files the options name: an
//! RSA private key (or, for DH-SIGN in the ECC profile, an EC one) and certificates, each
//! in PEM or DER. Parsing is the library's ([`RsaPrivateKey::from_pem`],
//! [`RsaPrivateKey::from_der`], [`EcSigningKey::from_pem`], [`EcSigningKey::from_der`],
//! [`parse_certificates`]); this module reads the files, boundedly, and names the option
//! and file in each error.

use mikey::crypto::cert::{Certificate, parse_certificates};
use mikey::crypto::ec::{EcError, EcSigningKey};
use mikey::crypto::rsa::{RsaError, RsaPrivateKey, RsaPublicKey};
use std::io::Read;
use std::path::Path;
use zeroize::Zeroizing;

/// The largest file read: 1 MiB, far more than a key or a certificate chain takes.
const MAX_FILE_LEN: u64 = 1024 * 1024;

/// Where a PEM block starts (RFC 7468 §2); a file without it is read as DER.
const PEM_BEGIN: &[u8] = b"-----BEGIN ";

/// The bytes of `path`, given as `option`; zeroized on drop (it may hold a private key).
fn read(option: &str, path: &Path) -> Result<Zeroizing<Vec<u8>>, String> {
    let name = path.display();
    let file =
        std::fs::File::open(path).map_err(|e| format!("{option} {name}: cannot read: {e}"))?;
    let mut bytes = Zeroizing::new(Vec::new());
    file.take(MAX_FILE_LEN + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{option} {name}: cannot read: {e}"))?;
    if bytes.len() as u64 > MAX_FILE_LEN {
        return Err(format!(
            "{option} {name}: longer than {MAX_FILE_LEN} bytes: not a key or certificate file"
        ));
    }
    Ok(bytes)
}

/// The PEM label of a SEC 1 EC private key (RFC 5915 §4), which only [`EcSigningKey`]
/// reads.
const PEM_EC_BEGIN: &[u8] = b"-----BEGIN EC PRIVATE KEY-----";

/// The PEM label of a PKCS#1 RSA private key, which only [`RsaPrivateKey`] reads.
const PEM_RSA_BEGIN: &[u8] = b"-----BEGIN RSA PRIVATE KEY-----";

fn contains(bytes: &[u8], needle: &[u8]) -> bool {
    bytes.windows(needle.len()).any(|w| w == needle)
}

fn is_pem(bytes: &[u8]) -> bool {
    contains(bytes, PEM_BEGIN)
}

fn parse_rsa(bytes: &[u8]) -> Result<RsaPrivateKey, RsaError> {
    if is_pem(bytes) {
        RsaPrivateKey::from_pem(bytes)
    } else {
        RsaPrivateKey::from_der(bytes)
    }
}

fn parse_ec(bytes: &[u8]) -> Result<EcSigningKey, EcError> {
    if is_pem(bytes) {
        EcSigningKey::from_pem(bytes)
    } else {
        EcSigningKey::from_der(bytes)
    }
}

/// The RSA private key in `path` (`option`): PEM ("PRIVATE KEY" or "RSA PRIVATE KEY") or
/// DER (PKCS#8 or PKCS#1), not encrypted. An EC key is refused with a word on where it
/// serves.
pub fn read_key(option: &str, path: &Path) -> Result<RsaPrivateKey, String> {
    let bytes = read(option, path)?;
    parse_rsa(&bytes).map_err(|e| match parse_ec(&bytes) {
        Ok(ec) => format!(
            "{option} {}: an EC private key on {}, not an RSA key: EC keys sign only in \
             --mode dhsign with --ecc-profile",
            path.display(),
            ec.curve().name()
        ),
        Err(_) => format!("{option} {}: {e}", path.display()),
    })
}

/// A private key that signs DH-SIGN messages: RSA (RFC 3830 §3.3) or, in the ECC
/// profile, ECDSA on P-256 or P-384 (draft-ietf-msec-mikey-ecc-03 §2).
pub enum SigningKey {
    /// An RSA key.
    Rsa(RsaPrivateKey),
    /// An EC key on P-256 or P-384.
    Ec(EcSigningKey),
}

/// The private key in `path` (`option`), RSA or EC: tried as an RSA key first (PEM
/// "PRIVATE KEY" or "RSA PRIVATE KEY", DER PKCS#8 or PKCS#1), then as an EC key on P-256
/// or P-384 (PEM "PRIVATE KEY" or "EC PRIVATE KEY", DER PKCS#8 or SEC 1); not encrypted.
/// When neither reads it, the error is the one its PEM label calls for, or both.
pub fn read_signing_key(option: &str, path: &Path) -> Result<SigningKey, String> {
    let bytes = read(option, path)?;
    let rsa_error = match parse_rsa(&bytes) {
        Ok(key) => return Ok(SigningKey::Rsa(key)),
        Err(e) => e,
    };
    let ec_error = match parse_ec(&bytes) {
        Ok(key) => return Ok(SigningKey::Ec(key)),
        Err(e) => e,
    };
    let name = path.display();
    Err(if contains(&bytes, PEM_EC_BEGIN) {
        format!("{option} {name}: {ec_error}")
    } else if contains(&bytes, PEM_RSA_BEGIN) {
        format!("{option} {name}: {rsa_error}")
    } else {
        format!(
            "{option} {name}: neither an RSA private key ({rsa_error}) nor an EC private \
             key on P-256 or P-384 ({ec_error})"
        )
    })
}

/// The certificates in `path` (`option`), in file order: PEM with one or more
/// `CERTIFICATE` blocks, or DER (one or several back to back).
pub fn read_certificates(option: &str, path: &Path) -> Result<Vec<Certificate>, String> {
    let bytes = read(option, path)?;
    parse_certificates(&bytes).map_err(|e| format!("{option} {}: {e}", path.display()))
}

/// Checks that `cert` holds the public half of `key` (a chain whose first certificate is
/// for another key makes signatures no peer verifies, RFC 3830 §5.2).
pub fn check_key_matches(
    key: &SigningKey,
    cert: &Certificate,
    cert_option: &str,
    cert_path: &Path,
) -> Result<(), String> {
    let name = cert_path.display();
    let matches = match key {
        SigningKey::Rsa(key) if cert.ec_curve().is_none() => {
            let public = RsaPublicKey::from_spki_der(cert.spki_der())
                .map_err(|e| format!("{cert_option} {name}: the certificate's key: {e}"))?;
            public == key.public_key()
        }
        SigningKey::Rsa(_) => false,
        // An EC SubjectPublicKeyInfo ends with its subjectPublicKey BIT STRING, whose
        // content after the unused-bits byte is the point (RFC 5480 §2.2); the library's
        // point is uncompressed, as certificates carry it.
        SigningKey::Ec(key) => {
            cert.ec_curve() == Some(key.curve()) && cert.spki_der().ends_with(key.public_point())
        }
    };
    if !matches {
        return Err(format!(
            "{cert_option} {name}: the first certificate is not for the private key of --key"
        ));
    }
    Ok(())
}
