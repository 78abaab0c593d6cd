//! `mikey initiate`, `mikey respond`, `mikey complete`: one step of a PSK or NULL-mode
//! exchange (RFC 3830 §3.1, §5) per run, printing the message to send and the SRTP keys.
//!
//! The Initiator keeps no state between `initiate` and `complete`: `complete --sent`
//! rebuilds it from the I_MESSAGE it sent and the PSK ([`Session::resume_initiator`]).
//! Each run has its own replay cache, so replays across runs are not detected; the
//! timestamp is checked against the clock (or `--now`).

use crate::args::{Args, number};
use crate::input;
use crate::report::{self, Outcome};
use mikey::policy::SrtpProfile;
use mikey::session::{
    Config, ConfigBuilder, Identity, InitInputs, KeyTransport, LogLevel, Mode, Session, StreamSpec,
};
use mikey::time::ManualClock;
use mikey::wire::{EncrAlg, IdType, MacAlg, PrfFunc};
use std::process::ExitCode;
use std::sync::Arc;
use zeroize::Zeroizing;

/// Options every exchange command takes.
const COMMON: [&str; 9] = [
    "--mode",
    "--psk",
    "--encr",
    "--mac",
    "--prf",
    "--id",
    "--peer-id",
    "--profile",
    "--now",
];

/// `mikey initiate`: builds an I_MESSAGE.
pub fn initiate(args: &[String]) -> ExitCode {
    let extra = [
        "--ssrc",
        "--transport",
        "--mki-len",
        "--csb",
        "--rand",
        "--t",
        "--tgk",
    ];
    let with_value: Vec<&'static str> = COMMON.iter().chain(&extra).copied().collect();
    run(args, &with_value, &["--json", "--no-verify"], |a| {
        if !a.positional.is_empty() {
            return Err(usage("initiate takes no message"));
        }
        if a.value("--now")?.is_some() {
            return Err(usage("initiate takes --t for its timestamp, not --now"));
        }
        let config = config(a, Side::Initiator)?;
        let streams = streams(a)?;
        let inputs = InitInputs {
            csb_id: a
                .number("--csb")?
                .map(|v| u32::try_from(v).map_err(|_| "--csb: more than 32 bits".to_string()))
                .transpose()?,
            rand: a.hex("--rand")?,
            key: a.hex("--tgk")?.map(Zeroizing::new),
        };
        let mut session = Session::initiator(config);
        match session.initiate_with(&streams, &inputs) {
            Ok(message) => Ok(Outcome::sent("initiate", &session, "I_MESSAGE", message)),
            Err(e) => Err(Failure::Exchange(Box::new(Outcome::failed(
                "initiate", &session, &e, None,
            )))),
        }
    })
}

/// `mikey respond <I_MESSAGE>`: processes an I_MESSAGE as the Responder.
pub fn respond(args: &[String]) -> ExitCode {
    let with_value: Vec<&'static str> = COMMON.iter().chain(&["--max-size"]).copied().collect();
    run(args, &with_value, &["--json"], |a| {
        let message = one_message(a, "respond")?;
        let config = config(a, Side::Responder)?;
        let mut session = Session::responder(config);
        match session.process(&message) {
            Ok(p) => Ok(Outcome::processed("respond", &session, p.reply)),
            Err(f) => Err(Failure::Exchange(Box::new(Outcome::failed(
                "respond", &session, &f.error, f.reply,
            )))),
        }
    })
}

/// `mikey complete --sent <I_MESSAGE> <REPLY>`: processes the Responder's answer as the
/// Initiator that sent `--sent`.
pub fn complete(args: &[String]) -> ExitCode {
    let with_value: Vec<&'static str> = COMMON
        .iter()
        .chain(&["--sent", "--max-size"])
        .copied()
        .collect();
    run(args, &with_value, &["--json"], |a| {
        let reply = one_message(a, "complete")?;
        let sent = a
            .value("--sent")?
            .ok_or_else(|| usage("complete needs --sent <the I_MESSAGE sent>"))?;
        let sent = input::read_message(sent, input::max_size(a)?)
            .map_err(|e| Failure::Input(format!("--sent: {e}")))?;
        let config = config(a, Side::Initiator)?;
        let mut session = match Session::resume_initiator(config, &sent) {
            Ok(s) => s,
            Err(e) => {
                return Err(Failure::Input(format!(
                    "--sent is not an I_MESSAGE these credentials open: {e}"
                )));
            }
        };
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

impl From<String> for Failure {
    fn from(s: String) -> Self {
        Failure::Usage(s)
    }
}

fn usage(s: &str) -> Failure {
    Failure::Usage(s.to_string())
}

/// Parses `args`, runs `body`, prints its outcome, and maps it to the exit status.
fn run(
    args: &[String],
    with_value: &[&'static str],
    switches: &[&'static str],
    body: impl FnOnce(&Args) -> Result<Outcome, Failure>,
) -> ExitCode {
    let parsed = match Args::parse(args, with_value, switches) {
        Ok(a) => a,
        Err(e) => return crate::usage_error(&e),
    };
    let json = parsed.flag("--json");
    match body(&parsed) {
        Ok(outcome) => {
            report::print(&outcome, json);
            ExitCode::SUCCESS
        }
        Err(Failure::Usage(e)) => crate::usage_error(&e),
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

/// The single positional argument: a message in any form `mikey decode` reads, of at
/// most `--max-size` bytes.
fn one_message(a: &Args, command: &str) -> Result<Vec<u8>, Failure> {
    let max_size = input::max_size(a)?;
    match a.positional.as_slice() {
        [m] => input::read_message(m, max_size).map_err(Failure::Input),
        [] => Err(Failure::Usage(format!("{command} needs a message"))),
        _ => Err(Failure::Usage(format!("{command} takes one message"))),
    }
}

#[derive(PartialEq)]
enum Side {
    Initiator,
    Responder,
}

/// The configuration the options describe.
fn config(a: &Args, side: Side) -> Result<Arc<Config>, Failure> {
    let mode = match a.value("--mode")? {
        Some("psk") => Mode::Psk,
        Some("null") => Mode::Null,
        Some(other) => return Err(Failure::Usage(format!("--mode {other}: psk or null"))),
        None => return Err(usage("--mode psk|null is required")),
    };
    let mut b = ConfigBuilder::new(mode).log(Arc::new(|level, text: &str| {
        if level == LogLevel::Warning {
            eprintln!("mikey: warning: {text}");
        }
    }));
    match (mode, a.hex("--psk")?) {
        (Mode::Psk, Some(psk)) => b = b.psk(&psk),
        (Mode::Psk, None) => return Err(usage("--mode psk needs --psk HEX")),
        (Mode::Null, Some(_)) => return Err(usage("--mode null takes no --psk")),
        (Mode::Null, None) => {}
    }
    if let Some(name) = a.value("--encr")? {
        b = b.encryption(codepoint::<EncrAlg>("--encr", name, 0..=3)?);
    }
    if let Some(name) = a.value("--mac")? {
        b = b.mac(codepoint::<MacAlg>("--mac", name, 0..=2)?);
    }
    if let Some(name) = a.value("--prf")? {
        b = b.prf(codepoint::<PrfFunc>("--prf", name, 0..=1)?);
    }
    let uri = |v: &str| Identity {
        id_type: IdType::Uri,
        data: v.as_bytes().to_vec(),
    };
    if let Some(id) = a.value("--id")? {
        b = b.local_identity(uri(id));
    }
    if let Some(id) = a.value("--peer-id")? {
        b = b.peer_identity(uri(id));
    }
    let profiles = a
        .values("--profile")
        .iter()
        .map(|p| {
            SrtpProfile::from_name(p)
                .ok_or_else(|| format!("--profile {p}: not one of {}", profile_names()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    if side == Side::Initiator {
        if !profiles.is_empty() {
            b = b.offer(profiles.iter().map(|p| p.policy()).collect());
        }
        if a.flag("--no-verify") {
            b = b.request_verification(false);
        }
        if let Some(t) = a.value("--transport")? {
            b = b.key_transport(match t {
                "tgk" => KeyTransport::Tgk,
                "tek-salt" => KeyTransport::TekSalt,
                "tek" => KeyTransport::TekConcatenated,
                _ => {
                    return Err(Failure::Usage(format!(
                        "--transport {t}: tgk, tek-salt or tek"
                    )));
                }
            });
        }
        if let Some(n) = a.number("--mki-len")? {
            b = b.mki_len(n as usize);
        }
    } else if !profiles.is_empty() {
        b = b.accept(profiles);
    }
    // `initiate --t` fixes the I_MESSAGE timestamp; `respond`/`complete --now` the time
    // messages are checked against. Each command accepts only its own option.
    if let Some(ntp) = a.number("--t")?.or(a.number("--now")?) {
        b = b.clock(Arc::new(ManualClock::new(ntp)));
    }
    // respond/complete --max-size: the longest message the session processes.
    b = b.max_message_size(input::max_size(a)?);
    b.build()
        .map(Arc::new)
        .map_err(|e| Failure::Usage(format!("invalid configuration: {e}")))
}

/// The registered codepoint named `name` (case-insensitive) among `values`.
fn codepoint<T>(option: &str, name: &str, values: std::ops::RangeInclusive<u8>) -> Result<T, String>
where
    T: From<u8> + Copy + std::fmt::Display,
{
    let all: Vec<T> = values.map(T::from).collect();
    all.iter()
        .find(|v| v.to_string().eq_ignore_ascii_case(name))
        .copied()
        .ok_or_else(|| {
            let names: Vec<String> = all.iter().map(ToString::to_string).collect();
            format!("{option} {name}: one of {}", names.join(", "))
        })
}

fn profile_names() -> String {
    SrtpProfile::ALL.map(SrtpProfile::name).join(", ")
}

/// The streams of `--ssrc SSRC[:ROC[:POLICY]]` (repeatable); one stream with SSRC 0 when
/// none is given.
fn streams(a: &Args) -> Result<Vec<StreamSpec>, Failure> {
    let specs = a.values("--ssrc");
    if specs.is_empty() {
        return Ok(vec![StreamSpec {
            ssrc: 0,
            roc: 0,
            policy_no: 0,
        }]);
    }
    specs
        .iter()
        .map(|spec| {
            let parts: Vec<&str> = spec.split(':').collect();
            if parts.len() > 3 {
                return Err(Failure::Usage(format!(
                    "--ssrc {spec}: SSRC[:ROC[:POLICY]]"
                )));
            }
            let field = |i: usize, max: u64| -> Result<u64, Failure> {
                let v = parts.get(i).map_or(Ok(0), |p| number("--ssrc", p))?;
                if v > max {
                    return Err(Failure::Usage(format!("--ssrc {spec}: field out of range")));
                }
                Ok(v)
            };
            Ok(StreamSpec {
                ssrc: field(0, u64::from(u32::MAX))? as u32,
                roc: field(1, u64::from(u32::MAX))? as u32,
                policy_no: field(2, 254)? as u8,
            })
        })
        .collect()
}
