//! MIKEY-PK (RFC 3830 §3.2) on the command line: which of the PK options each exchange
//! command needs and takes (a usage error otherwise), and the configuration's credentials
//! read from the files they name.
//!
//! - `initiate` needs `--key`, `--peer-cert` (the envelope key is encrypted to it) and
//!   `--id` (the KEMAC carries IDi); `--cert` is sent in CERT payloads unless
//!   `--no-send-cert`.
//! - `respond` needs `--key` and `--ca` or `--peer-cert`, to authenticate the Initiator's
//!   certificate (RFC 3830 §5.3).
//! - `complete` takes the Initiator's options and needs `--key` and `--envelope-key`.
//!
//! RSA-R (RFC 4738) takes the same files: `initiate` needs `--key` (SIGNi); `respond`
//! needs `--key`, `--id` (the KEMAC carries IDr) and `--ca` or `--peer-cert`; `complete`
//! needs `--key` (the PKE is encrypted to this side) and `--ca` or `--peer-cert`.
//!
//! DH-SIGN (RFC 3830 §3.3) takes them too; with `--ecc-profile` its `--key` may be an EC
//! key on P-256 or P-384, which signs with ECDSA (draft-ietf-msec-mikey-ecc-03 §2).
//!
//! With both `--ca` and `--peer-cert`, the peer certificate is validated against the CAs
//! before it is used (the library takes a configured peer certificate as pinned and
//! consults no anchor for it).

use crate::exchange::Failure;
use crate::keyfiles::{
    SigningKey, check_key_matches, read_certificates, read_key, read_signing_key,
};
use mikey::crypto::cert::{CertHashFunc, CertUsage, TrustAnchors};
use mikey::crypto::rsa::SignaturePadding;
use mikey::session::ConfigBuilder;
use mikey::time::system_time_from_ntp;
use mikey::wire::CacheIndicator;
use mikey_cli::args::{CacheArg, ChashArg, PkFiles, PkInitiate, SignArg};
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

/// The exchange command the PK options are given to.
#[derive(Clone, Copy)]
pub enum Step<'a> {
    /// `initiate`, with the options only the Initiator takes.
    Initiate(&'a PkInitiate),
    /// `respond`.
    Respond,
    /// `complete`; whether `--envelope-key` was given.
    Complete {
        /// `--envelope-key` was given.
        envelope_key: bool,
    },
}

/// The names of the PK options given.
fn given(files: &PkFiles, step: Step<'_>) -> Vec<&'static str> {
    let mut flags = vec![
        ("--key", files.key.is_some()),
        ("--cert", files.cert.is_some()),
        ("--ca", files.ca.is_some()),
        ("--peer-cert", files.peer_cert.is_some()),
    ];
    match step {
        Step::Initiate(i) => flags.extend([
            ("--no-send-cert", i.no_send_cert),
            ("--sign", i.sign.is_some()),
            ("--chash", i.chash.is_some()),
            ("--envelope-cache", i.envelope_cache.is_some()),
        ]),
        Step::Complete { envelope_key } => flags.push(("--envelope-key", envelope_key)),
        Step::Respond => {}
    }
    flags
        .into_iter()
        .filter_map(|(name, set)| set.then_some(name))
        .collect()
}

/// In a mode other than PK and RSA-R (`mode`, its name): a usage error naming the
/// public-key options given.
pub fn refuse_in_other_mode(files: &PkFiles, step: Step<'_>, mode: &str) -> Result<(), Failure> {
    match given(files, step).as_slice() {
        [] => Ok(()),
        [one] => Err(Failure::Usage(format!(
            "{one} is for --mode pk, rsar or dhsign, not --mode {mode}"
        ))),
        names => Err(Failure::Usage(format!(
            "{} are for --mode pk, rsar or dhsign, not --mode {mode}",
            names.join(", ")
        ))),
    }
}

/// The options `step` cannot do without in RSA-R mode (RFC 4738), each a usage error.
fn check_needed_rsar(files: &PkFiles, step: Step<'_>, id: bool) -> Result<(), Failure> {
    let missing = |why: &str| Err(Failure::Usage(why.to_string()));
    let peer_known = files.ca.is_some() || files.peer_cert.is_some();
    match step {
        Step::Respond if !id => missing(
            "respond --mode rsar needs --id URI: the KEMAC carries IDr (RFC 4738 §3.6), and \
             the certificate of --cert must name it",
        ),
        Step::Respond if !peer_known => missing(
            "respond --mode rsar needs --ca FILE or --peer-cert FILE to authenticate the \
             Initiator's certificate",
        ),
        Step::Complete { envelope_key: true } => {
            missing("--envelope-key is for --mode pk: an RSA-R I_MESSAGE carries no envelope")
        }
        Step::Complete { .. } if !peer_known => missing(
            "complete --mode rsar needs --ca FILE or --peer-cert FILE to authenticate the \
             Responder's certificate",
        ),
        Step::Initiate(i) if i.chash.is_some() => {
            missing("--chash is for --mode pk: an RSA-R I_MESSAGE carries no envelope")
        }
        Step::Initiate(i) if i.envelope_cache.is_some() => {
            missing("--envelope-cache is for --mode pk: an RSA-R I_MESSAGE carries no envelope")
        }
        _ => Ok(()),
    }
}

/// The modes whose credentials are private keys and certificates: RSA, or for DH-SIGN in
/// the ECC profile also EC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PkMode {
    /// MIKEY-PK (RFC 3830 §3.2).
    Pk,
    /// MIKEY-RSA-R (RFC 4738).
    RsaR,
    /// DH-SIGN (RFC 3830 §3.3).
    DhSign,
}

/// The options `step` cannot do without in DH-SIGN (RFC 3830 §3.3), each a usage error.
fn check_needed_dhsign(files: &PkFiles, step: Step<'_>, id: bool) -> Result<(), Failure> {
    let missing = |why: &str| Err(Failure::Usage(why.to_string()));
    let peer_known = files.ca.is_some() || files.peer_cert.is_some();
    match step {
        Step::Initiate(_) if !id => missing(
            "initiate --mode dhsign needs --id URI: the answer names the Initiator (IDi, RFC \
             3830 §3.3)",
        ),
        Step::Initiate(i) if i.chash.is_some() || i.envelope_cache.is_some() => {
            missing("--chash and --envelope-cache are for --mode pk: DH-SIGN has no envelope")
        }
        Step::Complete { envelope_key: true } => {
            missing("--envelope-key is for --mode pk: DH-SIGN has no envelope")
        }
        Step::Respond | Step::Complete { .. } if !peer_known => missing(
            "--mode dhsign needs --ca FILE or --peer-cert FILE to authenticate the peer's \
             certificate",
        ),
        _ => Ok(()),
    }
}

/// The options `step` cannot do without, each a usage error; `id` is whether `--id` was
/// given. Returns the path of `--key`.
fn check_needed<'f>(
    files: &'f PkFiles,
    step: Step<'_>,
    id: bool,
    mode: PkMode,
) -> Result<&'f Path, Failure> {
    let missing = |why: &str| Err(Failure::Usage(why.to_string()));
    let Some(key) = &files.key else {
        return missing(match mode {
            PkMode::RsaR => "--mode rsar needs --key FILE: this side's RSA private key",
            PkMode::Pk => "--mode pk needs --key FILE: this side's RSA private key",
            PkMode::DhSign => {
                "--mode dhsign needs --key FILE: this side's RSA private key (or EC, with \
                 --ecc-profile)"
            }
        });
    };
    match mode {
        PkMode::RsaR => return check_needed_rsar(files, step, id).map(|()| key.as_path()),
        PkMode::DhSign => return check_needed_dhsign(files, step, id).map(|()| key.as_path()),
        PkMode::Pk => {}
    }
    match step {
        Step::Initiate(_) if files.peer_cert.is_none() => missing(
            "initiate --mode pk needs --peer-cert FILE: the Responder's certificate, which \
             the envelope key is encrypted to (RFC 3830 §3.2)",
        ),
        Step::Initiate(_) if !id => missing(
            "initiate --mode pk needs --id URI: the KEMAC carries IDi (RFC 3830 §3.2), and \
             the certificate of --cert must name it",
        ),
        Step::Respond if files.ca.is_none() && files.peer_cert.is_none() => missing(
            "respond --mode pk needs --ca FILE or --peer-cert FILE to authenticate the \
             Initiator's certificate",
        ),
        Step::Complete {
            envelope_key: false,
        } => missing(
            "complete --mode pk needs --envelope-key HEX: the envelope key initiate printed \
             (the PKE of --sent is encrypted to the Responder)",
        ),
        _ => Ok(key),
    }
}

/// Seconds since 1970 at the NTP time `ntp`, or now.
fn unix_time(ntp: Option<u64>) -> u64 {
    let now = SystemTime::now();
    let at = ntp.map_or(now, |ntp| system_time_from_ntp(ntp, now));
    at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// PK, RSA-R or DH-SIGN `mode`: checks that `step` has the options it needs (usage errors),
/// then reads the files and adds their credentials and the Initiator's choices to `b`;
/// returns it with whether `--key` is an EC key. `id` is whether `--id` was given; `at`
/// the NTP time a peer certificate is validated at with `--ca` (the clock when `None`).
pub fn configure(
    mut b: ConfigBuilder,
    files: &PkFiles,
    step: Step<'_>,
    id: bool,
    mode: PkMode,
    at: Option<u64>,
) -> Result<(ConfigBuilder, bool), Failure> {
    let key_path = check_needed(files, step, id, mode)?;
    let input = Failure::Input;
    // DH-SIGN signs with an RSA or an EC key; PK and RSA-R also encrypt to or open with
    // the key, which only RSA does (read_key says so of an EC key).
    let key = match mode {
        PkMode::DhSign => read_signing_key("--key", key_path).map_err(input)?,
        PkMode::Pk | PkMode::RsaR => SigningKey::Rsa(read_key("--key", key_path).map_err(input)?),
    };
    if let Some(path) = &files.cert {
        let chain = read_certificates("--cert", path).map_err(input)?;
        if let Some(own) = chain.first() {
            check_key_matches(&key, own, "--cert", path).map_err(input)?;
        }
        b = b.certificate_chain(chain);
    }
    let ec_key = matches!(key, SigningKey::Ec(_));
    b = match key {
        SigningKey::Rsa(key) => b.private_key(key),
        SigningKey::Ec(key) => b.ec_private_key(key),
    };
    let anchors = match &files.ca {
        Some(path) => {
            let certs = read_certificates("--ca", path).map_err(input)?;
            let anchors = TrustAnchors::from_certificates(&certs)
                .map_err(|e| Failure::Input(format!("--ca {}: {e}", path.display())))?;
            Some(anchors)
        }
        None => None,
    };
    if let Some(path) = &files.peer_cert {
        let mut certs = read_certificates("--peer-cert", path)
            .map_err(input)?
            .into_iter();
        let peer = certs.next().ok_or_else(|| {
            Failure::Input(format!("--peer-cert {}: no certificate", path.display()))
        })?;
        let intermediates: Vec<_> = certs.collect();
        if let (Some(anchors), Some(ca)) = (&anchors, &files.ca) {
            // PK: the Initiator encrypts to the peer, the Responder checks its signature.
            // RSA-R: the Responder encrypts to the peer and both check signatures. DH-SIGN:
            // both check signatures.
            let usage = match (step, mode) {
                (_, PkMode::DhSign)
                | (Step::Respond, PkMode::Pk)
                | (Step::Initiate(_) | Step::Complete { .. }, PkMode::RsaR) => CertUsage::Signing,
                (Step::Respond, PkMode::RsaR)
                | (Step::Initiate(_) | Step::Complete { .. }, PkMode::Pk) => CertUsage::Encryption,
            };
            anchors
                .verify(&peer, &intermediates, unix_time(at), usage)
                .map_err(|e| {
                    Failure::Input(format!(
                        "--peer-cert {}: not accepted with --ca {}: {e}",
                        path.display(),
                        ca.display()
                    ))
                })?;
        }
        b = b.peer_certificate(peer);
    }
    if let Some(anchors) = anchors {
        b = b.trust_anchors(anchors);
    }
    if let Step::Initiate(i) = step {
        if i.no_send_cert {
            b = b.send_certificates(false);
        }
        if let Some(sign) = i.sign {
            b = b.signature_padding(match sign {
                SignArg::Pkcs1 => SignaturePadding::Pkcs1v15,
                SignArg::Pss => SignaturePadding::Pss,
            });
        }
        if let Some(chash) = i.chash {
            b = b.cert_hash(Some(match chash {
                ChashArg::Sha1 => CertHashFunc::Sha1,
                ChashArg::Sha256 => CertHashFunc::Sha256,
            }));
        }
        if let Some(cache) = i.envelope_cache {
            b = b.envelope_key_cache(match cache {
                CacheArg::None => CacheIndicator::NoCache,
                CacheArg::Cache => CacheIndicator::Cache,
                CacheArg::Csb => CacheIndicator::CacheForCsb,
            });
        }
    }
    Ok((b, ec_key))
}
