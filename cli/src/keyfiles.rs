//! Reading the MIKEY-PK credentials (RFC 3830 §3.2) from the files the options name: an
//! RSA private key and certificates, each in PEM or DER. Parsing is the library's
//! ([`RsaPrivateKey::from_pem`], [`RsaPrivateKey::from_der`], [`parse_certificates`]);
//! this module reads the files, boundedly, and names the option and file in each error.

use mikey::crypto::cert::{Certificate, parse_certificates};
use mikey::crypto::rsa::{RsaPrivateKey, RsaPublicKey};
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

/// The RSA private key in `path` (`option`): PEM ("PRIVATE KEY" or "RSA PRIVATE KEY") or
/// DER (PKCS#8 or PKCS#1), not encrypted.
pub fn read_key(option: &str, path: &Path) -> Result<RsaPrivateKey, String> {
    let bytes = read(option, path)?;
    let key = if bytes.windows(PEM_BEGIN.len()).any(|w| w == PEM_BEGIN) {
        RsaPrivateKey::from_pem(&bytes)
    } else {
        RsaPrivateKey::from_der(&bytes)
    };
    key.map_err(|e| format!("{option} {}: {e}", path.display()))
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
    key: &RsaPrivateKey,
    cert: &Certificate,
    cert_option: &str,
    cert_path: &Path,
) -> Result<(), String> {
    let name = cert_path.display();
    let public = RsaPublicKey::from_spki_der(cert.spki_der())
        .map_err(|e| format!("{cert_option} {name}: the certificate's key: {e}"))?;
    if public != key.public_key() {
        return Err(format!(
            "{cert_option} {name}: the first certificate is not for the private key of --key"
        ));
    }
    Ok(())
}
