//! `mikey initiate`, `mikey respond`, `mikey complete`: one step of a PSK, PK or
//! NULL-mode exchange (RFC 3830 §3.1, §3.2, §5) per run, printing the message to send and
//! the SRTP keys.
//!
//! The Initiator keeps no state between `initiate` and `complete`: `complete --sent`
//! rebuilds it from the I_MESSAGE it sent and the PSK ([`Session::resume_initiator`]). In
//! PK mode the PKE is encrypted to the Responder, so `initiate` draws the envelope key
//! itself, prints it, and `complete --envelope-key` resumes with it
//! ([`Session::resume_initiator_with_envelope_key`]). Each run has its own replay cache,
//! so replays across runs are not detected; the timestamp is checked against the clock
//! (or `--now`).
//!
//! DH-SIGN's ECC profile (draft-ietf-msec-mikey-ecc-03: `--dh-group p256|p384`, an EC
//! `--key`) is used only with `--ecc-profile`: its codepoints were never registered, so
//! the user asks for them; without it the library's configuration check refuses them.

use crate::extensions;
use crate::input;
use crate::pk;
use crate::pk::PkMode;
use crate::report::{self, Outcome};
use mikey::crypto::dh::{DhSecret, FfdhGroup, Group};
use mikey::crypto::ec::EcCurve;
use mikey::rng::{Rng, SystemRng};
use mikey::session::onvif::OnvifKeying;
use mikey::session::{
    Config, ConfigBuilder, Identity, InitInputs, KeyTransport, LogLevel, Mode, Session, StreamSpec,
};
use mikey::time::ManualClock;
use mikey::wire::{IdType, TsType};
use mikey_cli::args::{
    Common, Complete, DhGroupArg, ENVELOPE_KEY_LEN, Initiate, ModeArg, Respond, TimestampArg,
    TransportArg,
};
use std::process::ExitCode;
use std::sync::Arc;
use zeroize::Zeroizing;

/// `mikey initiate`: builds an I_MESSAGE.
pub fn initiate(a: &Initiate) -> ExitCode {
    run("initiate", a.common.json, || {
        let config = config(&a.common, Side::Initiator(a), None, None)?;
        // An RSA-R group member that sends no stream initiates with none (RFC 4738 §3.4).
        let streams = if a.ssrc.is_empty() && a.common.mode == ModeArg::Rsar && a.common.group {
            Vec::new()
        } else if a.ssrc.is_empty() {
            vec![StreamSpec {
                ssrc: 0,
                roc: 0,
                policy_no: 0,
            }]
        } else {
            a.ssrc.clone()
        };
        // PK: the envelope key is drawn here, so that it can be printed for `complete`;
        // DH: the same for the secret exponent.
        let envelope_key = match a.common.mode {
            ModeArg::Pk => Some(draw_envelope_key()?),
            _ => None,
        };
        let dh_secret = match a.common.mode {
            ModeArg::Dhsign | ModeArg::Dhhmac => Some(draw_dh_secret(dh_group(&a.common))?),
            _ => None,
        };
        let inputs = InitInputs {
            csb_id: a.csb,
            rand: a.rand.as_ref().map(|r| r.to_vec()),
            key: a.tgk.clone(),
            envelope_key: envelope_key.clone(),
            dh_secret: dh_secret.clone(),
        };
        let mut session = Session::initiator(config);
        extensions::apply(a, &mut session).map_err(Failure::Usage)?;
        match session.initiate_with(&streams, &inputs) {
            Ok(message) => Ok(Outcome::sent("initiate", &session, "I_MESSAGE", message)
                .with_envelope_key(envelope_key)
                .with_dh_secret(dh_secret)),
            Err(e) => Err(Failure::Exchange(Box::new(Outcome::failed(
                "initiate", &session, &e, None,
            )))),
        }
    })
}

/// `mikey respond <I_MESSAGE>`: processes an I_MESSAGE as the Responder.
pub fn respond(a: &Respond) -> ExitCode {
    run("respond", a.common.json, || {
        let config = config(&a.common, Side::Responder(a), a.now, Some(a.max_size.bytes))?;
        let message = input::read_message(&a.message, a.max_size.bytes).map_err(Failure::Input)?;
        let mut session = Session::responder(config);
        match session.process(&message) {
            Ok(p) => Ok(Outcome::processed("respond", &session, p.reply)
                .with_carried_keys(a.carried_keys.then(|| session.carried_keys().to_vec()))),
            Err(f) => Err(Failure::Exchange(Box::new(Outcome::failed(
                "respond", &session, &f.error, f.reply,
            )))),
        }
    })
}

/// `mikey complete --sent <I_MESSAGE> <REPLY>`: processes the Responder's answer as the
/// Initiator that sent `--sent`.
pub fn complete(a: &Complete) -> ExitCode {
    run("complete", a.common.json, || {
        let config = config(&a.common, Side::Completer(a), a.now, Some(a.max_size.bytes))?;
        let reply = input::read_message(&a.message, a.max_size.bytes).map_err(Failure::Input)?;
        let sent = input::read_message(&a.sent, a.max_size.bytes)
            .map_err(|e| Failure::Input(format!("--sent: {e}")))?;
        let dh = matches!(a.common.mode, ModeArg::Dhsign | ModeArg::Dhhmac);
        let (resumed, opener) = match (&a.envelope_key, &a.dh_secret) {
            (_, None) if dh => {
                return Err(usage(
                    "complete in a DH mode needs --dh-secret HEX: the DH secret initiate \
                     printed (the message carries only g^x)",
                ));
            }
            (_, Some(_)) if !dh => {
                return Err(usage("--dh-secret is for --mode dhsign or dhhmac"));
            }
            (_, Some(secret)) => (
                Session::resume_initiator_with_dh_secret(config, &sent, secret),
                "this --dh-secret",
            ),
            (Some(key), None) => (
                Session::resume_initiator_with_envelope_key(config, &sent, key),
                "this --envelope-key",
            ),
            (None, None) => (
                Session::resume_initiator(config, &sent),
                "these credentials",
            ),
        };
        let mut session = resumed.map_err(|e| {
            Failure::Input(format!("--sent is not an I_MESSAGE {opener} opens: {e}"))
        })?;
        match session.process(&reply) {
            Ok(_) => Ok(Outcome::processed("complete", &session, None)),
            Err(f) => Err(Failure::Exchange(Box::new(Outcome::failed(
                "complete", &session, &f.error, None,
            )))),
        }
    })
}

/// Why a command failed.
pub enum Failure {
    /// Bad arguments (exit 2).
    Usage(String),
    /// An input message cannot be read (exit 1).
    Input(String),
    /// The exchange step failed (exit 1), with what to report.
    Exchange(Box<Outcome>),
}

fn usage(s: &str) -> Failure {
    Failure::Usage(s.to_string())
}

/// A fresh PK envelope key (RFC 3830 §3.2) from the operating system's generator.
fn draw_envelope_key() -> Result<Zeroizing<Vec<u8>>, Failure> {
    let mut key = Zeroizing::new(vec![0u8; ENVELOPE_KEY_LEN]);
    SystemRng::new()
        .fill(&mut key)
        .map_err(|e| Failure::Input(format!("cannot draw the envelope key: {e}")))?;
    Ok(key)
}

/// The DH group the options name (`--dh-group`, default OAKLEY 5): an OAKLEY group or a
/// curve of the ECC profile.
fn dh_group(a: &Common) -> Group {
    match a.dh_group {
        None | Some(DhGroupArg::Oakley5) => FfdhGroup::Oakley5.into(),
        Some(DhGroupArg::Oakley1) => FfdhGroup::Oakley1.into(),
        Some(DhGroupArg::Oakley2) => FfdhGroup::Oakley2.into(),
        Some(DhGroupArg::P256) => EcCurve::P256.into(),
        Some(DhGroupArg::P384) => EcCurve::P384.into(),
    }
}

/// A fresh DH secret of `group` (RFC 3830 §3.3) from the operating system's generator, as
/// the library draws them: an OAKLEY exponent (the group's length, top bit clear) or a
/// curve's scalar (its field size: 32 bytes on P-256, 48 on P-384).
fn draw_dh_secret(group: Group) -> Result<Zeroizing<Vec<u8>>, Failure> {
    let secret = DhSecret::generate(group, &SystemRng::new())
        .map_err(|e| Failure::Input(format!("cannot draw the DH secret: {e}")))?;
    Ok(secret.exponent())
}

/// Runs `body`, prints its outcome, and maps it to the exit status.
fn run(command: &str, json: bool, body: impl FnOnce() -> Result<Outcome, Failure>) -> ExitCode {
    match body() {
        Ok(outcome) => {
            report::print(&outcome, json);
            ExitCode::SUCCESS
        }
        Err(Failure::Usage(e)) => crate::usage_error(command, e),
        Err(Failure::Input(e)) => {
            eprintln!("mikey: {e}");
            ExitCode::from(1)
        }
        Err(Failure::Exchange(outcome)) => {
            report::print(&outcome, json);
            ExitCode::from(1)
        }
    }
}

/// Which command a configuration is for: the Initiator's options come with `initiate`.
enum Side<'a> {
    Initiator(&'a Initiate),
    Responder(&'a Respond),
    Completer(&'a Complete),
}

/// The configuration the options describe; `now` is the time messages are checked
/// against (respond/complete `--now`), `max_size` the longest message processed.
fn config(
    a: &Common,
    side: Side<'_>,
    now: Option<u64>,
    max_size: Option<usize>,
) -> Result<Arc<Config>, Failure> {
    // respond: the streams of an RSA-R group it keys (--group-ssrc).
    let group = match &side {
        Side::Responder(r) => Some(r.group_ssrc.as_slice()),
        Side::Initiator(_) | Side::Completer(_) => None,
    };
    let mode = match a.mode {
        ModeArg::Psk => Mode::Psk,
        ModeArg::Pk => Mode::Pk,
        ModeArg::Rsar => Mode::RsaR,
        ModeArg::Null => Mode::Null,
        ModeArg::Dhsign => Mode::DhSign,
        ModeArg::Dhhmac => Mode::DhHmac,
    };
    // --onvif: the ONVIF preset (library `ConfigBuilder::onvif`), for the first --profile
    // (AES_CM_128_HMAC_SHA1_80 when none); the other options still apply on top of it.
    let base = if a.onvif {
        let profile = a
            .profile
            .first()
            .copied()
            .unwrap_or(mikey::policy::SrtpProfile::Aes128CmSha1_80);
        let keying = match (mode, &a.psk) {
            (Mode::Psk, Some(psk)) => OnvifKeying::Psk(psk),
            (Mode::Null, None) => OnvifKeying::NullOverTls,
            _ => {
                return Err(usage(
                    "--onvif is for --mode psk (with --psk) or --mode null (over TLS)",
                ));
            }
        };
        ConfigBuilder::onvif(keying, profile)
    } else {
        ConfigBuilder::new(mode)
    };
    let mut b = base.log(Arc::new(|level, text: &str| {
        if level == LogLevel::Warning {
            eprintln!("mikey: warning: {text}");
        }
    }));
    match (mode, &a.psk) {
        (Mode::Psk, Some(psk)) => b = b.psk(psk),
        (Mode::Psk, None) => return Err(usage("--mode psk needs --psk HEX")),
        (Mode::Null, Some(_)) => return Err(usage("--mode null takes no --psk")),
        (Mode::Null, None) => {}
        (Mode::Pk, Some(_)) => return Err(usage("--mode pk takes no --psk")),
        (Mode::RsaR, Some(_)) => return Err(usage("--mode rsar takes no --psk")),
        (Mode::DhSign, Some(_)) => return Err(usage("--mode dhsign takes no --psk")),
        (Mode::DhHmac, Some(psk)) => b = b.psk(psk),
        (Mode::DhHmac, None) => return Err(usage("--mode dhhmac needs --psk HEX")),
        (Mode::Pk | Mode::RsaR | Mode::DhSign, None) => {}
    }
    let step = match &side {
        Side::Initiator(i) => pk::Step::Initiate(&i.pk),
        Side::Responder(_) => pk::Step::Respond,
        Side::Completer(c) => pk::Step::Complete {
            envelope_key: c.envelope_key.is_some(),
        },
    };
    if a.group && a.mode != ModeArg::Rsar {
        return Err(usage("--group is for --mode rsar (RFC 4738 §3.2)"));
    }
    if a.dh_group.is_some() && !matches!(a.mode, ModeArg::Dhsign | ModeArg::Dhhmac) {
        return Err(usage("--dh-group is for --mode dhsign or dhhmac"));
    }
    if dh_group(a).is_ecc() && a.mode != ModeArg::Dhsign {
        return Err(usage(
            "--dh-group p256 and p384 are for --mode dhsign (draft-ietf-msec-mikey-ecc-03 §3)",
        ));
    }
    if a.ecc_profile && a.mode != ModeArg::Dhsign {
        return Err(usage(
            "--ecc-profile is for --mode dhsign (draft-ietf-msec-mikey-ecc-03)",
        ));
    }
    // Not enabled for the user: without --ecc-profile the library refuses an EC group or
    // key (below, at build).
    b = b.dh_group(dh_group(a)).ecc_profile(a.ecc_profile);
    // A peer certificate is validated (with --ca) at the time the message has:
    // initiate --t, respond/complete --now, or the clock.
    let at = match &side {
        Side::Initiator(i) => i.t,
        Side::Responder(_) | Side::Completer(_) => now,
    };
    let id = a.id.is_some();
    let mut ec_key = false;
    match a.mode {
        ModeArg::Pk => (b, _) = pk::configure(b, &a.pk, step, id, PkMode::Pk, at)?,
        ModeArg::Rsar => (b, _) = pk::configure(b, &a.pk, step, id, PkMode::RsaR, at)?,
        ModeArg::Dhsign => (b, ec_key) = pk::configure(b, &a.pk, step, id, PkMode::DhSign, at)?,
        ModeArg::Psk => pk::refuse_in_other_mode(&a.pk, step, "psk")?,
        ModeArg::Null => pk::refuse_in_other_mode(&a.pk, step, "null")?,
        ModeArg::Dhhmac => pk::refuse_in_other_mode(&a.pk, step, "dhhmac")?,
    }
    if let Some(alg) = a.encr {
        b = b.encryption(alg);
    }
    if let Some(alg) = a.mac {
        b = b.mac(alg);
    }
    if let Some(prf) = a.prf {
        b = b.prf(prf);
    }
    let uri = |v: &str| Identity {
        id_type: IdType::Uri,
        data: v.as_bytes().to_vec(),
    };
    if let Some(id) = &a.id {
        b = b.local_identity(uri(id));
    }
    if let Some(id) = &a.peer_id {
        b = b.peer_identity(uri(id));
    }
    let profiles = &a.profile;
    match side {
        Side::Initiator(i) => {
            if !profiles.is_empty() {
                b = b.offer(profiles.iter().map(|p| p.policy()).collect());
            }
            if i.no_verify {
                b = b.request_verification(false);
            }
            if let Some(t) = i.transport {
                b = b.key_transport(match t {
                    TransportArg::Tgk => KeyTransport::Tgk,
                    TransportArg::TekSalt => KeyTransport::TekSalt,
                    TransportArg::Tek => KeyTransport::TekConcatenated,
                });
            }
            if let Some(n) = i.mki_len {
                b = b.mki_len(n);
            }
            // `initiate --t` fixes the I_MESSAGE timestamp.
            if let Some(ntp) = i.t {
                b = b.clock(Arc::new(ManualClock::new(ntp)));
            }
            b = b.empty_cs_map(i.empty_map);
            b = match i.timestamp {
                None | Some(TimestampArg::NtpUtc) => b,
                Some(TimestampArg::Ntp) => b.timestamp_type(TsType::Ntp),
                Some(TimestampArg::Counter) if a.counter_file.is_none() => {
                    return Err(usage(
                        "--timestamp counter needs --counter-file FILE: each run would \
                         otherwise send COUNTER 1 again",
                    ));
                }
                Some(TimestampArg::Counter) => b.timestamp_type(TsType::Counter),
            };
            if i.tesla.is_some() != i.tesla_key.is_some() {
                return Err(usage(
                    "--tesla and --tesla-key go together (RFC 4442 §4: the policy and K_0)",
                ));
            }
        }
        Side::Completer(_) if !profiles.is_empty() => {
            b = b.offer(profiles.iter().map(|p| p.policy()).collect());
        }
        Side::Responder(_) if !profiles.is_empty() => b = b.accept(profiles.clone()),
        Side::Responder(_) | Side::Completer(_) => {}
    }
    if a.group {
        b = match group {
            Some([]) => b.rsa_r_group(&[StreamSpec {
                ssrc: 0,
                roc: 0,
                policy_no: 0,
            }]),
            Some(streams) => b.rsa_r_group(streams),
            None => b.rsa_r_group_member(true),
        };
    } else if group.is_some_and(|s| !s.is_empty()) {
        return Err(usage("--group-ssrc needs --group"));
    }
    if let Some(path) = &a.counter_file {
        let file = extensions::CounterFile::new(path);
        let (sent, accepted) = file.load().map_err(Failure::Input)?;
        b = b.counter_store(sent, accepted, file.persist(sent, accepted));
    }
    // respond/complete --now: the time messages are checked against.
    if let Some(ntp) = now {
        b = b.clock(Arc::new(ManualClock::new(ntp)));
    }
    // respond/complete --max-size: the longest message the session processes.
    if let Some(max_size) = max_size {
        b = b.max_message_size(max_size);
    }
    // Without --ecc-profile, an EC group or key is what the library's check refuses: the
    // error says so in its terms, the hint names the flag.
    let ecc_used = dh_group(a).is_ecc() || ec_key;
    b.build().map(Arc::new).map_err(|e| {
        let hint = if ecc_used && !a.ecc_profile {
            "; --ecc-profile enables the ECC profile"
        } else {
            ""
        };
        Failure::Usage(format!("invalid configuration: {e}{hint}"))
    })
}
