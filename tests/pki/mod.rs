//! Test certificates made at test run time with the `openssl` command-line tool (Debian's
//! openssl; scripts/deps.sh installs it): a root CA, a second CA nobody trusts, and RSA-2048
//! end entities (and P-256 and P-384 ones for the ECC profile) with a `sip:` URI
//! subjectAltName, valid for 30 days from now. Made once per
//! test binary under its `CARGO_TARGET_TMPDIR`. Without the tool the tests fail, they do not
//! skip. Also the editors of signed messages the tests share (`resign`, `resign_ec`,
//! `with_dh_value`).

#![allow(dead_code)]

use mikey::crypto::cert::{Certificate, TrustAnchors, parse_certificates};
use mikey::crypto::rsa::RsaPrivateKey;
use mikey::session::Identity;
use mikey::time::{ManualClock, ntp_from_system_time};
use mikey::wire::IdType;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::OnceLock;
use std::time::SystemTime;

/// The extension sections of the certificates issued.
const EXTENSIONS: &str = r#"
[ req ]
distinguished_name = dn
[ dn ]
[ ca ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ leaf ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
subjectAltName = URI:${ENV::MIKEY_TEST_SAN}
"#;

/// The end entities: (name, issuing CA, subjectAltName URI).
pub const ENTITIES: &[(&str, &str, &str)] = &[
    ("alice", "ca", "sip:alice@example.com"),
    ("bob", "ca", "sip:bob@example.com"),
    ("carol", "ca", "sip:carol@example.com"),
    ("dave", "ca", "sip:dave@example.com"),
    ("mallory", "evil", "sip:alice@example.com"),
];

/// The EC end entities of the ECC profile (draft-ietf-msec-mikey-ecc-03 §2), issued by
/// "ca": (name, curve, subjectAltName URI).
pub const EC_ENTITIES: &[(&str, &str, &str)] = &[
    ("alice_p256", "P-256", "sip:alice@example.com"),
    ("bob_p256", "P-256", "sip:bob@example.com"),
    ("alice_p384", "P-384", "sip:alice@example.com"),
    ("bob_p384", "P-384", "sip:bob@example.com"),
];

/// The directory holding `<name>.key` (PKCS#8 PEM) and `<name>.pem` for the two CAs and
/// every entity.
pub fn dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
            "pki-{}-{}",
            std::process::id(),
            std::thread::current()
                .name()
                .unwrap_or("t")
                .replace("::", "-")
        ));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("ext.cnf"), EXTENSIONS).unwrap();
        for ca in ["ca", "evil"] {
            openssl(
                &dir,
                &[
                    "req",
                    "-x509",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-keyout",
                    &format!("{ca}.key"),
                    "-out",
                    &format!("{ca}.pem"),
                    "-days",
                    "30",
                    "-subj",
                    &format!("/CN=MIKEY test {ca}"),
                    "-config",
                    "ext.cnf",
                    "-extensions",
                    "ca",
                ],
                "unused",
            );
        }
        let rsa = ENTITIES
            .iter()
            .map(|(name, ca, san)| (*name, *ca, *san, "rsa:2048".to_string()));
        for (curve, name) in [("P-256", "prime256v1"), ("P-384", "secp384r1")] {
            let out = format!("{curve}.params");
            openssl(&dir, &["ecparam", "-name", name, "-out", &out], "unused");
        }
        let ec = EC_ENTITIES
            .iter()
            .map(|(name, curve, san)| (*name, "ca", *san, format!("ec:{curve}.params")));
        for (name, ca, san, newkey) in rsa.chain(ec) {
            openssl(
                &dir,
                &[
                    "req",
                    "-newkey",
                    &newkey,
                    "-nodes",
                    "-keyout",
                    &format!("{name}.key"),
                    "-out",
                    &format!("{name}.csr"),
                    "-subj",
                    &format!("/CN={name}"),
                ],
                san,
            );
            openssl(
                &dir,
                &[
                    "x509",
                    "-req",
                    "-in",
                    &format!("{name}.csr"),
                    "-CA",
                    &format!("{ca}.pem"),
                    "-CAkey",
                    &format!("{ca}.key"),
                    "-set_serial",
                    "7",
                    "-days",
                    "30",
                    "-sha256",
                    "-out",
                    &format!("{name}.pem"),
                    "-extfile",
                    "ext.cnf",
                    "-extensions",
                    "leaf",
                ],
                san,
            );
        }
        dir
    })
}

fn openssl(dir: &Path, args: &[&str], san: &str) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .env("MIKEY_TEST_SAN", san)
        .output()
        .expect("the openssl command-line tool is needed (scripts/deps.sh installs it)");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A file of the directory.
pub fn file(name: &str) -> Vec<u8> {
    std::fs::read(dir().join(name)).unwrap()
}

/// The ECDSA private key of `name`, an entity of [`EC_ENTITIES`].
pub fn ec_key(name: &str) -> mikey::crypto::ec::EcSigningKey {
    mikey::crypto::ec::EcSigningKey::from_pem(&file(&format!("{name}.key"))).unwrap()
}

/// `bytes`, a message ending with a Signature field, signed again with `who`'s ECDSA key
/// (an entity of [`EC_ENTITIES`]) over everything before that field (RFC 3830 §5.2).
pub fn resign_ec(bytes: &[u8], who: &str) -> Vec<u8> {
    let key = ec_key(who);
    let mut out = bytes.to_vec();
    let covered = out.len() - key.curve().signature_len();
    let sig = key.sign(&out[..covered]).unwrap();
    out[covered..].copy_from_slice(&sig);
    out
}

/// The private key of `name`.
pub fn key(name: &str) -> RsaPrivateKey {
    RsaPrivateKey::from_pem(&file(&format!("{name}.key"))).unwrap()
}

/// The certificate of `name`.
pub fn cert(name: &str) -> Certificate {
    parse_certificates(&file(&format!("{name}.pem")))
        .unwrap()
        .remove(0)
}

/// The trust anchors made of the CA `name`.
pub fn anchors(name: &str) -> TrustAnchors {
    TrustAnchors::from_certificates(&[cert(name)]).unwrap()
}

/// A URI identity (RFC 3830 §6.7), as the certificates' subjectAltName names them.
pub fn uri(s: &str) -> Identity {
    Identity {
        id_type: IdType::Uri,
        data: s.as_bytes().to_vec(),
    }
}

/// A clock at the current time, read after the certificates were made (they are valid
/// from the moment they are made).
pub fn clock() -> Arc<ManualClock> {
    dir();
    Arc::new(ManualClock::new(ntp_from_system_time(SystemTime::now())))
}

/// `bytes`, a message ending with a Signature field, signed again with `who`'s key over
/// everything before that field (RFC 3830 §5.2; RSA PKCS#1 v1.5 with SHA-256, the S type
/// the configs use): for messages edited after they were signed.
pub fn resign(bytes: &[u8], who: &str) -> Vec<u8> {
    use mikey::crypto::rsa::{SignatureHash, SignaturePadding};
    let key = key(who);
    let sig_len = key.modulus_len();
    let mut out = bytes.to_vec();
    let covered = out.len() - sig_len;
    let sig = key
        .sign(
            SignaturePadding::Pkcs1v15,
            SignatureHash::Sha256,
            &out[..covered],
        )
        .unwrap();
    out[covered..].copy_from_slice(&sig);
    out
}

/// `message` with its DH payload number `which` (0 first) given `value`; its signature is
/// then stale ([`resign`] or [`resign_ec`] signs it again).
pub fn with_dh_value(message: &[u8], which: usize, value: Vec<u8>) -> Vec<u8> {
    use mikey::wire::{Message, Payload};
    let mut m = Message::parse(message).unwrap().into_owned();
    let dh = m
        .payloads
        .iter_mut()
        .filter_map(|p| match p {
            Payload::Dh(dh) => Some(dh),
            _ => None,
        })
        .nth(which)
        .expect("no such DH payload");
    dh.value = value.into();
    m.encode().unwrap()
}
