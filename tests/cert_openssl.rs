//! `mikey::crypto::cert` against certificates the `openssl` command-line tool makes at
//! test run time: a root CA, an intermediate and end-entity certificates with each
//! property the validation and identity rules look at. CHASH values and the SPKI are
//! compared with what openssl computes. Without the openssl tool these tests fail (they
//! do not skip): scripts/deps.sh installs it.

use mikey::crypto::cert::{
    CertError, CertHashFunc, CertUsage, Certificate, IdentityKind, KeyUsageFlags, SubjectIdentity,
    TrustAnchors, cert_hash, matches_identity, parse_certificates,
};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

/// The openssl configuration: the `req` defaults, the `ca` database, and one extension
/// section per certificate profile.
const CONFIG: &str = r#"
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused

[ ca ]
default_ca = test_ca
[ test_ca ]
dir = .
database = $dir/index.txt
new_certs_dir = $dir/issued
serial = $dir/serial
default_md = sha256
policy = any_name
unique_subject = no
copy_extensions = none
email_in_dn = no
[ any_name ]
commonName = supplied

[ root ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ inter ]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ inter_open ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
[ inter_no_cert_sign ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,digitalSignature,cRLSign
[ inter_not_ca ]
basicConstraints = critical,CA:FALSE
[ inter_server_eku ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign
extendedKeyUsage = serverAuth
[ inter_uri_constraint ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign
nameConstraints = critical,permitted;URI:.example.com
[ inter_dns_constraint ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign
nameConstraints = critical,permitted;DNS:example.com

[ alice ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
subjectAltName = URI:sip:alice@example.com,email:alice@example.com
[ email_only ]
basicConstraints = critical,CA:FALSE
subjectAltName = email:bob@Example.org
[ no_san ]
basicConstraints = critical,CA:FALSE
[ dns_ok ]
subjectAltName = DNS:host.example.com
[ dns_outside ]
subjectAltName = DNS:host.example.net
[ ku_encipher ]
keyUsage = critical,keyEncipherment
[ ku_sign ]
keyUsage = critical,digitalSignature
[ ku_nonrep ]
keyUsage = critical,nonRepudiation
[ ku_agreement ]
keyUsage = critical,keyAgreement,dataEncipherment
[ eku_server ]
extendedKeyUsage = serverAuth
[ eku_any ]
extendedKeyUsage = serverAuth,anyExtendedKeyUsage
[ leaf_is_ca ]
basicConstraints = critical,CA:TRUE
[ unknown_critical ]
1.3.6.1.4.1.55555.1 = critical,ASN1:NULL
"#;

/// A certificate to issue: name (also its CN), key file, extension section, issuer,
/// extra `openssl ca` options.
type Issued = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
);

/// Every certificate `openssl ca` issues, parents first.
#[rustfmt::skip]
const ISSUED: &[Issued] = &[
    ("inter", "inter.key", "inter", "root", &[]),
    ("inter_no_cert_sign", "inter.key", "inter_no_cert_sign", "root", &[]),
    ("inter_not_ca", "inter.key", "inter_not_ca", "root", &[]),
    ("inter_server_eku", "inter.key", "inter_server_eku", "root", &[]),
    ("inter_uri_nc", "inter.key", "inter_uri_constraint", "root", &[]),
    ("inter_dns_nc", "inter.key", "inter_dns_constraint", "root", &[]),
    ("inter_ec", "ec384.key", "inter_open", "root", &[]),
    ("inter_small", "small.key", "inter_open", "root", &[]),
    ("sub_inter", "other.key", "inter_open", "inter", &[]),
    ("alice", "leaf.key", "alice", "inter", &[]),
    ("email_only", "leaf.key", "email_only", "inter", &[]),
    ("no_san", "leaf.key", "no_san", "inter", &[]),
    ("expired", "leaf.key", "alice", "inter", EXPIRED),
    ("future", "leaf.key", "alice", "inter", FUTURE),
    ("ku_encipher", "leaf.key", "ku_encipher", "inter", &[]),
    ("ku_sign", "leaf.key", "ku_sign", "inter", &[]),
    ("ku_nonrep", "leaf.key", "ku_nonrep", "inter", &[]),
    ("ku_agreement", "leaf.key", "ku_agreement", "inter", &[]),
    ("eku_server", "leaf.key", "eku_server", "inter", &[]),
    ("eku_any", "leaf.key", "eku_any", "inter", &[]),
    ("leaf_is_ca", "leaf.key", "leaf_is_ca", "inter", &[]),
    ("unknown_critical", "leaf.key", "unknown_critical", "inter", &[]),
    ("sha1", "leaf.key", "alice", "inter", &["-md", "sha1"]),
    ("ec_leaf", "ec.key", "alice", "inter", &[]),
    ("ed_leaf", "ed.key", "alice", "inter", &[]),
    ("under_no_cert_sign", "leaf.key", "alice", "inter_no_cert_sign", &[]),
    ("under_not_ca", "leaf.key", "alice", "inter_not_ca", &[]),
    ("under_server_eku", "leaf.key", "alice", "inter_server_eku", &[]),
    ("under_uri_nc", "leaf.key", "alice", "inter_uri_nc", &[]),
    ("under_dns_nc_ok", "leaf.key", "dns_ok", "inter_dns_nc", &[]),
    ("under_dns_nc_outside", "leaf.key", "dns_outside", "inter_dns_nc", &[]),
    ("under_ec", "leaf.key", "alice", "inter_ec", &[]),
    ("under_small", "leaf.key", "alice", "inter_small", &[]),
    ("under_sub", "leaf.key", "alice", "sub_inter", &[]),
    ("stranger", "leaf.key", "alice", "other_root", &[]),
    ("forged", "leaf.key", "alice", "forged_inter", &[]),
];

/// Valid in 2000 only.
#[rustfmt::skip]
const EXPIRED: &[&str] = &["-startdate", "20000101000000Z", "-enddate", "20010101000000Z"];
/// Valid in 2090 only.
#[rustfmt::skip]
const FUTURE: &[&str] = &["-startdate", "20900101000000Z", "-enddate", "20910101000000Z"];

/// The key file of a CA.
fn key_of(ca: &str) -> &'static str {
    match ca {
        "root" => "root.key",
        "other_root" | "sub_inter" => "other.key",
        "forged_inter" => "forged.key",
        "inter_ec" => "ec384.key",
        "inter_small" => "small.key",
        _ => "inter.key",
    }
}

/// The working directory of one test run: `CARGO_TARGET_TMPDIR/cert_openssl-<pid>`.
struct Pki {
    dir: PathBuf,
}

/// Runs `openssl args...` in `dir`; panics with its stderr when it fails, and with a
/// clear message when the tool is missing.
fn openssl(dir: &Path, args: &[&str]) -> Vec<u8> {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "these tests need the openssl command-line tool ({e}); install it \
                 (Debian: apt-get install openssl, or bash scripts/deps.sh)"
            )
        });
    assert!(
        out.status.success(),
        "openssl {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

impl Pki {
    fn openssl(&self, args: &[&str]) -> Vec<u8> {
        openssl(&self.dir, args)
    }

    fn key(&self, name: &str, algorithm: &[&str]) {
        let mut args = vec!["genpkey", "-out", name];
        args.extend_from_slice(algorithm);
        self.openssl(&args);
    }

    fn rsa_key(&self, name: &str, bits: &str) {
        let opt = format!("rsa_keygen_bits:{bits}");
        self.key(name, &["-algorithm", "RSA", "-pkeyopt", &opt]);
    }

    /// A self-signed CA certificate `name.pem` for `key`, valid for ten years.
    fn self_signed(&self, name: &str, key: &str, cn: &str) {
        let subj = format!("/CN={cn}");
        let out = format!("{name}.pem");
        let req = [
            "req",
            "-x509",
            "-new",
            "-config",
            "openssl.cnf",
            "-extensions",
            "root",
        ];
        let rest = [
            "-key", key, "-subj", &subj, "-days", "3650", "-sha256", "-out", &out,
        ];
        self.openssl(&[&req[..], &rest].concat());
    }

    /// Issues `name.pem` (subject CN `name`) for `key` with extension section `ext`,
    /// signed by `issuer.pem` and its key. `extra` adds `openssl ca` options (dates,
    /// digest); without a start date the certificate is valid from now for a year.
    fn issue(&self, &(name, key, ext, issuer, extra): &Issued) {
        let subj = format!("/CN={name}");
        let csr = format!("{name}.csr");
        let out = format!("{name}.pem");
        let cert = format!("{issuer}.pem");
        let issuer_key = key_of(issuer);
        let req = ["req", "-new", "-config", "openssl.cnf", "-key", key];
        self.openssl(&[&req[..], &["-subj", &subj, "-out", &csr]].concat());
        let mut args = vec!["ca", "-batch", "-notext", "-config", "openssl.cnf"];
        args.extend_from_slice(&["-cert", &cert, "-keyfile", issuer_key, "-in", &csr]);
        args.extend_from_slice(&["-out", &out, "-extensions", ext]);
        if !extra.contains(&"-startdate") {
            args.extend_from_slice(&["-days", "365"]);
        }
        args.extend_from_slice(extra);
        self.openssl(&args);
    }

    fn make() -> Pki {
        let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
        remove_stale_dirs(&tmp);
        let dir = tmp.join(format!("cert_openssl-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("issued")).unwrap();
        std::fs::write(dir.join("openssl.cnf"), CONFIG).unwrap();
        std::fs::write(dir.join("index.txt"), "").unwrap();
        std::fs::write(dir.join("serial"), "1000\n").unwrap();
        let pki = Pki { dir };

        for key in [
            "root.key",
            "inter.key",
            "leaf.key",
            "other.key",
            "forged.key",
        ] {
            pki.rsa_key(key, "2048");
        }
        pki.rsa_key("small.key", "1024");
        pki.key(
            "ec.key",
            &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
        );
        pki.key(
            "ec384.key",
            &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
        );
        pki.key("ed.key", &["-algorithm", "ED25519"]);

        pki.self_signed("root", "root.key", "MIKEY Test Root");
        pki.self_signed("other_root", "other.key", "MIKEY Other Root");
        // Same subject as the intermediate, another key: its leaves fail the signature.
        pki.self_signed("forged_inter", "forged.key", "inter");
        for issued in ISSUED {
            pki.issue(issued);
        }
        pki
    }

    fn cert(&self, name: &str) -> Certificate {
        let pem = std::fs::read(self.dir.join(format!("{name}.pem"))).unwrap();
        let mut certs = parse_certificates(&pem).unwrap();
        assert_eq!(certs.len(), 1, "{name}.pem");
        certs.remove(0)
    }

    fn anchors(&self) -> TrustAnchors {
        TrustAnchors::from_certificates(&[self.cert("root")]).unwrap()
    }

    /// Verifies `leaf` through the intermediate `inter` to the test root, now.
    fn verify(&self, leaf: &str, inter: &str, usage: CertUsage) -> Result<(), CertError> {
        self.anchors()
            .verify(&self.cert(leaf), &[self.cert(inter)], now(), usage)
    }
}

/// Removes the `cert_openssl-<pid>` directories of earlier runs whose process is gone.
fn remove_stale_dirs(tmp: &Path) {
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.strip_prefix("cert_openssl-")) else {
            continue;
        };
        if Path::new("/proc/self").exists() && !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn pki() -> &'static Pki {
    static PKI: OnceLock<Pki> = OnceLock::new();
    PKI.get_or_init(Pki::make)
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

const BOTH: [CertUsage; 2] = [CertUsage::Signing, CertUsage::Encryption];

#[test]
fn a_good_chain_verifies_for_both_uses() {
    let p = pki();
    for usage in BOTH {
        assert_eq!(p.verify("alice", "inter", usage), Ok(()));
    }
}

#[test]
fn intermediates_in_any_order_and_unused_ones_ignored() {
    let p = pki();
    let extra = [p.cert("inter_ec"), p.cert("sub_inter"), p.cert("inter")];
    assert_eq!(
        p.anchors()
            .verify(&p.cert("alice"), &extra, now(), CertUsage::Signing),
        Ok(())
    );
}

#[test]
fn a_missing_intermediate_or_another_ca_is_an_unknown_issuer() {
    let p = pki();
    let alice = p.cert("alice");
    assert_eq!(
        p.anchors().verify(&alice, &[], now(), CertUsage::Signing),
        Err(CertError::UnknownIssuer)
    );
    let other = TrustAnchors::from_certificates(&[p.cert("other_root")]).unwrap();
    assert_eq!(
        other.verify(&alice, &[p.cert("inter")], now(), CertUsage::Signing),
        Err(CertError::UnknownIssuer)
    );
    assert_eq!(
        p.verify("stranger", "inter", CertUsage::Signing),
        Err(CertError::UnknownIssuer)
    );
    // Trusting both roots makes the stranger valid.
    let both = TrustAnchors::from_certificates(&[p.cert("root"), p.cert("other_root")]).unwrap();
    assert_eq!(
        both.verify(&p.cert("stranger"), &[], now(), CertUsage::Signing),
        Ok(())
    );
}

#[test]
fn a_signature_by_another_key_under_the_same_name_is_bad() {
    assert_eq!(
        pki().verify("forged", "inter", CertUsage::Signing),
        Err(CertError::BadSignature)
    );
}

#[test]
fn validity_periods() {
    let p = pki();
    assert_eq!(
        p.verify("expired", "inter", CertUsage::Signing),
        Err(CertError::Expired)
    );
    assert_eq!(
        p.verify("future", "inter", CertUsage::Signing),
        Err(CertError::NotYetValid)
    );
    // The same good chain, judged at other times: before the CA existed, after it ends.
    let anchors = p.anchors();
    let (alice, inter) = (p.cert("alice"), p.cert("inter"));
    assert_eq!(
        anchors.verify(
            &alice,
            std::slice::from_ref(&inter),
            946_684_800,
            CertUsage::Signing
        ),
        Err(CertError::NotYetValid)
    );
    assert_eq!(
        anchors.verify(&alice, &[inter], now() + 400 * 86_400, CertUsage::Signing),
        Err(CertError::Expired)
    );
}

#[test]
fn key_usage_rules() {
    let p = pki();
    let sign = CertUsage::Signing;
    let encr = CertUsage::Encryption;
    assert_eq!(p.verify("ku_sign", "inter", sign), Ok(()));
    assert!(matches!(
        p.verify("ku_sign", "inter", encr),
        Err(CertError::KeyUsage(_))
    ));
    assert_eq!(p.verify("ku_encipher", "inter", encr), Ok(()));
    assert!(matches!(
        p.verify("ku_encipher", "inter", sign),
        Err(CertError::KeyUsage(_))
    ));
    assert_eq!(p.verify("ku_nonrep", "inter", sign), Ok(()));
    assert!(matches!(
        p.verify("ku_nonrep", "inter", encr),
        Err(CertError::KeyUsage(_))
    ));
    for usage in BOTH {
        assert!(matches!(
            p.verify("ku_agreement", "inter", usage),
            Err(CertError::KeyUsage(_))
        ));
        // No keyUsage extension: no restriction from it.
        assert_eq!(p.verify("no_san", "inter", usage), Ok(()));
    }
    assert_eq!(
        p.cert("ku_encipher").key_usage(),
        KeyUsageFlags {
            present: true,
            key_encipherment: true,
            ..KeyUsageFlags::default()
        }
    );
    assert!(!p.cert("no_san").key_usage().present);
}

#[test]
fn an_intermediate_without_key_cert_sign_is_refused() {
    assert_eq!(
        pki().verify(
            "under_no_cert_sign",
            "inter_no_cert_sign",
            CertUsage::Signing
        ),
        Err(CertError::KeyUsage(
            "an intermediate CA's keyUsage lacks keyCertSign"
        ))
    );
}

#[test]
fn extended_key_usage_rules() {
    let p = pki();
    for usage in BOTH {
        assert_eq!(
            p.verify("eku_server", "inter", usage),
            Err(CertError::ExtendedKeyUsage)
        );
        assert_eq!(p.verify("eku_any", "inter", usage), Ok(()));
        // An intermediate limited to serverAuth limits the leaves below it.
        assert_eq!(
            p.verify("under_server_eku", "inter_server_eku", usage),
            Err(CertError::ExtendedKeyUsage)
        );
    }
    // A purpose the caller accepts (here serverAuth, 1.3.6.1.5.5.7.3.1) is enough.
    let anchors = p
        .anchors()
        .with_extended_key_usage("1.3.6.1.5.5.7.3.1")
        .unwrap();
    assert_eq!(
        anchors.verify(
            &p.cert("eku_server"),
            &[p.cert("inter")],
            now(),
            CertUsage::Signing
        ),
        Ok(())
    );
    assert!(matches!(
        p.anchors().with_extended_key_usage("server auth"),
        Err(CertError::BadEncoding(_))
    ));
}

#[test]
fn basic_constraints() {
    let p = pki();
    assert!(matches!(
        p.verify("leaf_is_ca", "inter", CertUsage::Signing),
        Err(CertError::BasicConstraints(_))
    ));
    assert!(matches!(
        p.verify("under_not_ca", "inter_not_ca", CertUsage::Signing),
        Err(CertError::BasicConstraints(_))
    ));
    // inter has pathLenConstraint 0: no CA may follow it.
    let path = [p.cert("sub_inter"), p.cert("inter")];
    assert_eq!(
        p.anchors()
            .verify(&p.cert("under_sub"), &path, now(), CertUsage::Signing),
        Err(CertError::BasicConstraints("pathLenConstraint exceeded"))
    );
}

#[test]
fn name_constraints() {
    let p = pki();
    assert_eq!(
        p.verify("under_dns_nc_ok", "inter_dns_nc", CertUsage::Signing),
        Ok(())
    );
    assert_eq!(
        p.verify("under_dns_nc_outside", "inter_dns_nc", CertUsage::Signing),
        Err(CertError::NameConstraints)
    );
    // URI constraints are not processed: a leaf with a URI name below one is refused.
    assert_eq!(
        p.verify("under_uri_nc", "inter_uri_nc", CertUsage::Signing),
        Err(CertError::NameConstraints)
    );
}

#[test]
fn an_unknown_critical_extension_is_refused() {
    assert!(matches!(
        pki().verify("unknown_critical", "inter", CertUsage::Signing),
        Err(CertError::Unsupported(_))
    ));
}

#[test]
fn the_end_entity_must_be_rsa_or_ec_but_cas_need_not() {
    let p = pki();
    let ec = p.cert("ec_leaf");
    assert!(!ec.is_rsa());
    assert_eq!(ec.ec_curve(), Some(mikey::crypto::ec::EcCurve::P256));
    assert_eq!(p.verify("ec_leaf", "inter", CertUsage::Signing), Ok(()));
    assert_eq!(
        p.cert("inter_ec").ec_curve(),
        Some(mikey::crypto::ec::EcCurve::P384)
    );
    assert_eq!(p.cert("alice").ec_curve(), None);
    let ed = p.cert("ed_leaf");
    assert!(!ed.is_rsa() && ed.ec_curve().is_none());
    assert_eq!(
        p.verify("ed_leaf", "inter", CertUsage::Signing),
        Err(CertError::UnsupportedKeyType)
    );
    assert!(p.cert("alice").is_rsa());
    // An RSA leaf signed by an ECDSA P-384 CA.
    assert!(!p.cert("inter_ec").is_rsa());
    assert_eq!(
        p.verify("under_ec", "inter_ec", CertUsage::Encryption),
        Ok(())
    );
}

#[test]
fn sha1_signatures_and_small_rsa_keys_are_refused() {
    let p = pki();
    assert_eq!(
        p.verify("sha1", "inter", CertUsage::Signing),
        Err(CertError::UnsupportedSignatureAlgorithm)
    );
    // aws-lc-rs refuses an RSA-1024 key inside the signature check, without saying why.
    assert_eq!(
        p.verify("under_small", "inter_small", CertUsage::Signing),
        Err(CertError::BadSignature)
    );
}

#[test]
fn no_trust_anchor() {
    assert!(matches!(
        TrustAnchors::from_certificates(&[]),
        Err(CertError::NoTrustAnchor)
    ));
}

#[test]
fn identities_and_matching() {
    let p = pki();
    let alice = p.cert("alice");
    assert_eq!(
        alice.identities(),
        [
            SubjectIdentity::Uri("sip:alice@example.com".into()),
            SubjectIdentity::Email("alice@example.com".into()),
        ]
    );
    assert!(matches_identity(
        &alice,
        IdentityKind::Uri,
        b"sip:alice@example.com"
    ));
    assert!(matches_identity(
        &alice,
        IdentityKind::Uri,
        b"SIP:alice@Example.COM"
    ));
    assert!(!matches_identity(
        &alice,
        IdentityKind::Uri,
        b"sip:Alice@example.com"
    ));
    assert!(!matches_identity(
        &alice,
        IdentityKind::Uri,
        b"sips:alice@example.com"
    ));
    assert!(!matches_identity(
        &alice,
        IdentityKind::Uri,
        b"alice@example.com"
    ));
    assert!(matches_identity(
        &alice,
        IdentityKind::Nai,
        b"alice@example.com"
    ));
    assert!(matches_identity(
        &alice,
        IdentityKind::Nai,
        b"alice@EXAMPLE.com"
    ));
    assert!(!matches_identity(
        &alice,
        IdentityKind::Nai,
        b"bob@example.com"
    ));
    assert!(!matches_identity(
        &alice,
        IdentityKind::Nai,
        b"alice@example.com\xff"
    ));

    // An rfc822Name only: the NAI matches through it, no URI does.
    let bob = p.cert("email_only");
    assert_eq!(
        bob.identities(),
        [SubjectIdentity::Email("bob@Example.org".into())]
    );
    assert!(matches_identity(
        &bob,
        IdentityKind::Nai,
        b"bob@example.org"
    ));
    assert!(!matches_identity(
        &bob,
        IdentityKind::Nai,
        b"Bob@example.org"
    ));
    assert!(!matches_identity(
        &bob,
        IdentityKind::Uri,
        b"sip:bob@example.org"
    ));
    assert!(!matches_identity(
        &bob,
        IdentityKind::Uri,
        b"mailto:bob@example.org"
    ));

    // No subjectAltName (only a subject CN): nothing matches, not even the CN.
    let none = p.cert("no_san");
    assert!(none.identities().is_empty());
    assert!(!matches_identity(&none, IdentityKind::Nai, b"no_san"));
    assert!(!matches_identity(&none, IdentityKind::Uri, b"no_san"));

    // A dNSName matches neither kind.
    let dns = p.cert("under_dns_nc_ok");
    assert_eq!(
        dns.identities(),
        [SubjectIdentity::Dns("host.example.com".into())]
    );
    assert!(!matches_identity(
        &dns,
        IdentityKind::Nai,
        b"host.example.com"
    ));
    assert!(!matches_identity(
        &dns,
        IdentityKind::Uri,
        b"sip:host.example.com"
    ));
}

/// openssl's `-fingerprint` output (`sha1 Fingerprint=AB:CD:...`) as bytes.
fn openssl_fingerprint(p: &Pki, name: &str, digest: &str) -> Vec<u8> {
    let file = format!("{name}.pem");
    let out = p.openssl(&["x509", "-in", &file, "-noout", "-fingerprint", digest]);
    let text = String::from_utf8(out).unwrap();
    let hex_digits: String = text
        .trim()
        .split_once('=')
        .unwrap()
        .1
        .chars()
        .filter(|c| *c != ':')
        .collect();
    hex::decode(hex_digits).unwrap()
}

#[test]
fn chash_matches_openssl_fingerprints() {
    let p = pki();
    for name in ["alice", "inter", "root", "ec_leaf"] {
        let cert = p.cert(name);
        assert_eq!(
            cert_hash(&cert, CertHashFunc::Sha1).unwrap(),
            openssl_fingerprint(p, name, "-sha1"),
            "{name}"
        );
        assert_eq!(
            cert_hash(&cert, CertHashFunc::Sha256).unwrap(),
            openssl_fingerprint(p, name, "-sha256"),
            "{name}"
        );
    }
}

#[test]
fn spki_is_the_key_openssl_extracts() {
    let p = pki();
    for (name, key) in [("alice", "leaf.key"), ("ec_leaf", "ec.key")] {
        let der = p.openssl(&["pkey", "-in", key, "-pubout", "-outform", "DER"]);
        assert_eq!(p.cert(name).spki_der(), &der[..], "{name}");
    }
}

#[test]
fn pem_bundle_and_der_files() {
    let p = pki();
    let read = |f: &str| std::fs::read(p.dir.join(f)).unwrap();
    let mut bundle = b"# alice and her CA\n".to_vec();
    bundle.extend(read("alice.pem"));
    bundle.extend(read("leaf.key"));
    bundle.extend(read("inter.pem"));
    let certs = parse_certificates(&bundle).unwrap();
    assert_eq!(certs, [p.cert("alice"), p.cert("inter")]);

    let alice_der = p.openssl(&["x509", "-in", "alice.pem", "-outform", "DER"]);
    let inter_der = p.openssl(&["x509", "-in", "inter.pem", "-outform", "DER"]);
    let blob = [alice_der.clone(), inter_der].concat();
    assert_eq!(parse_certificates(&blob).unwrap(), certs);
    assert_eq!(Certificate::from_der(&alice_der).unwrap(), certs[0]);

    assert_eq!(
        parse_certificates(&read("leaf.key")),
        Err(CertError::NoCertificate)
    );
}
