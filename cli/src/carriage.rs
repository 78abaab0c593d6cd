//! `mikey sdp wrap|unwrap` and `mikey rtsp wrap|unwrap`: a MIKEY message into and out of
//! the texts that carry it: the SDP attribute `a=key-mgmt:mikey` (RFC 4567 §3.1), the RTSP
//! `KeyMgmt` header (RFC 4567 §3.2) and the `mikey` parameter of RTSP `text/parameters`
//! bodies (RFC 2326 §10.8, §10.9; ONVIF Streaming Specification re-keying and multicast
//! key retrieval). Strict out, lenient in, as [`mikey::sdp`] writes and reads them. A
//! message to wrap must parse as MIKEY; an unwrapped one is printed whether it parses or
//! not (a carriage of a broken message is worth seeing), with exit status 1 if it does not.

use crate::decode;
use crate::input;
use mikey::sdp::{self, KeyMgmtError, KeyMgmtLevel, MediaKeyMgmt, RtspKeyMgmt, SdpLine};
use mikey::wire::{DEFAULT_MAX_PAYLOADS, Limits, Message};
use mikey_cli::args::{RtspUnwrap, RtspWrap, SdpUnwrap, UnwrapOutput, Wrap};
use std::fmt::Display;
use std::io::Write;
use std::process::ExitCode;

/// The library's bounds, with the message size of `--max-size`.
fn limits(max_size: usize) -> Limits {
    Limits {
        max_message_size: max_size,
        max_payloads: DEFAULT_MAX_PAYLOADS,
    }
}

/// Reports `e` on standard error; exit status 1.
fn fail(e: impl Display) -> ExitCode {
    eprintln!("mikey: {e}");
    ExitCode::from(1)
}

/// Writes `text` to standard output; a write error (a closed pipe) is reported.
fn print(text: &[u8]) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    out.write_all(text)
        .and_then(|()| out.flush())
        .map_err(|e| format!("cannot write the output: {e}"))
}

/// The message named by MESSAGE, which must parse as a MIKEY message of at most
/// `max_size` bytes: a carriage is for a message a peer can read.
fn message_to_wrap(arg: &str, max_size: usize) -> Result<Vec<u8>, String> {
    let bytes = input::read_message(arg, max_size)?;
    Message::parse_with_limits(&bytes, &limits(max_size))
        .map_err(|e| format!("not a MIKEY message, nothing wrapped: parse error {e}"))?;
    Ok(bytes)
}

/// `mikey sdp wrap`: `a=key-mgmt:mikey <base64>` on one line.
pub fn sdp_wrap(a: &Wrap) -> ExitCode {
    let wrapped = message_to_wrap(&a.message, a.max_size.bytes)
        .and_then(|bytes| print(format!("{}\n", sdp::sdp_attribute(&bytes)).as_bytes()));
    wrapped.map_or_else(fail, |()| ExitCode::SUCCESS)
}

/// `mikey rtsp wrap`: the `KeyMgmt` header line, or with `--parameter` the exact
/// SET_PARAMETER body (`mikey: <base64>` and CRLF).
pub fn rtsp_wrap(a: &RtspWrap) -> ExitCode {
    let wrapped = message_to_wrap(&a.message, a.max_size.bytes).and_then(|bytes| {
        let text = if a.parameter {
            sdp::rtsp_set_parameter_body(&bytes)
        } else {
            format!("{}\n", sdp::rtsp_header(&bytes, a.uri.as_deref()))
        };
        print(text.as_bytes())
    });
    wrapped.map_or_else(fail, |()| ExitCode::SUCCESS)
}

/// Writes an unwrapped message as `out` asks (base64, hex, raw bytes into a file, or the
/// decoded tree); exit status 1 if it could not be written or does not parse.
fn emit(bytes: &[u8], out: &UnwrapOutput, max_size: usize) -> ExitCode {
    let limits = limits(max_size);
    if out.decode {
        return decode::print_tree(bytes, &limits);
    }
    let written = match &out.out {
        Some(path) => {
            std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
        }
        None if out.hex => print(format!("{}\n", hex::encode(bytes)).as_bytes()),
        None => print(format!("{}\n", sdp::encode_base64(bytes)).as_bytes()),
    };
    if let Err(e) = written {
        return fail(e);
    }
    match Message::parse_with_limits(bytes, &limits) {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => fail(format!(
            "the unwrapped data is not a MIKEY message: parse error {e}"
        )),
    }
}

/// `mikey sdp unwrap`.
pub fn sdp_unwrap(a: &SdpUnwrap) -> ExitCode {
    match sdp_message(a) {
        Ok(bytes) => emit(&bytes, &a.output, a.max_size.bytes),
        Err(e) => fail(e),
    }
}

/// `mikey rtsp unwrap`.
pub fn rtsp_unwrap(a: &RtspUnwrap) -> ExitCode {
    match rtsp_message(a) {
        Ok(bytes) => emit(&bytes, &a.output, a.max_size.bytes),
        Err(e) => fail(e),
    }
}

/// How a media section is named in messages: its `m=` line, or "the session" for a
/// description without `m=` lines.
fn media_name(m: &MediaKeyMgmt<'_>) -> String {
    m.media
        .map_or_else(|| "the session".to_string(), |l| l.text.trim().to_string())
}

fn level_name(level: KeyMgmtLevel) -> &'static str {
    match level {
        KeyMgmtLevel::Session => "session",
        KeyMgmtLevel::Media => "media",
    }
}

/// The attribute that applies to some media sections, the level it was written at and
/// those sections.
struct Applies<'a> {
    attribute: &'a SdpLine,
    level: KeyMgmtLevel,
    media: Vec<String>,
}

impl Applies<'_> {
    fn label(&self) -> String {
        format!(
            "a=key-mgmt:mikey at line {} ({} level), for {}",
            self.attribute.number,
            level_name(self.level),
            self.media.join("; ")
        )
    }
}

/// The MIKEY message of the SDP attribute or description `a.text`: the attribute that
/// applies to media section `--media`, or the one attribute that applies to every section.
fn sdp_message(a: &SdpUnwrap) -> Result<Vec<u8>, String> {
    let text = input::read_text(&a.text, a.max_size.bytes)?;
    let lines: Vec<&str> = text.lines().collect();
    let Some(first) = lines
        .iter()
        .position(|l| l.trim_start().starts_with("a=key-mgmt:"))
    else {
        if text.trim_start().starts_with("key-mgmt:") {
            return bounded(sdp::parse_sdp_attribute(&text), a.max_size.bytes);
        }
        return Err(
            "the input has no a=key-mgmt attribute (a KeyMgmt header or a mikey: \
                    parameter unwraps with mikey rtsp unwrap)"
                .to_string(),
        );
    };
    let found = sdp::media_key_mgmt(&text).map_err(|e| e.to_string())?;
    let mut warned = Vec::new();
    let mut warn = |m: &MediaKeyMgmt<'_>| {
        for other in m.ignored {
            if !warned.contains(&other.number) {
                warned.push(other.number);
                eprintln!(
                    "mikey: warning: line {}: a second a=key-mgmt:mikey at the {} level, \
                     which does not apply (line {} does, RFC 4567 §3.1)",
                    other.number,
                    level_name(m.level),
                    m.attribute.map_or(0, |l| l.number)
                );
            }
        }
    };
    let chosen = match a.media {
        Some(n) => {
            let count = found.media_count();
            let m = found.media(n).ok_or_else(|| {
                format!(
                    "--media {n}: the SDP has {count} media section{} (0 to {})",
                    if count == 1 { "" } else { "s" },
                    count - 1
                )
            })?;
            let attribute = m.attribute.ok_or_else(|| {
                format!(
                    "no a=key-mgmt:mikey attribute applies to media {n} ({}): none in the \
                     section and none at the session level",
                    media_name(&m)
                )
            })?;
            warn(&m);
            Applies {
                attribute,
                level: m.level,
                media: vec![media_name(&m)],
            }
        }
        None => {
            let mut all: Vec<Applies<'_>> = Vec::new();
            for m in found.iter() {
                let Some(attribute) = m.attribute else {
                    continue;
                };
                warn(&m);
                match all
                    .iter_mut()
                    .find(|s| s.attribute.number == attribute.number)
                {
                    Some(s) => s.media.push(media_name(&m)),
                    None => all.push(Applies {
                        attribute,
                        level: m.level,
                        media: vec![media_name(&m)],
                    }),
                }
            }
            match all.len() {
                // Only other protocols' attributes: the first one says which.
                0 => {
                    return bounded(
                        sdp::parse_sdp_attribute(&sdp::unfold_line(&lines, first)),
                        a.max_size.bytes,
                    );
                }
                1 => all.remove(0),
                n => {
                    let labels: Vec<String> = all.iter().map(Applies::label).collect();
                    return Err(format!(
                        "the SDP has {n} a=key-mgmt:mikey attributes for different media \
                         ({}); choose one with --media N (0 for the first m= line)",
                        labels.join(" / ")
                    ));
                }
            }
        }
    };
    if found.media(0).is_some_and(|m| m.media.is_some()) {
        eprintln!("mikey: {}", chosen.label());
    }
    let bytes = sdp::parse_sdp_attribute(&chosen.attribute.text).map_err(|e| {
        if lines.len() > 1 {
            format!("line {}: {e}", chosen.attribute.number)
        } else {
            e.to_string()
        }
    })?;
    input::check_size(bytes.len(), a.max_size.bytes)?;
    Ok(bytes)
}

/// A message read from a carriage, refused when it is longer than `max_size`.
fn bounded(read: Result<Vec<u8>, KeyMgmtError>, max_size: usize) -> Result<Vec<u8>, String> {
    let bytes = read.map_err(|e| e.to_string())?;
    input::check_size(bytes.len(), max_size)?;
    Ok(bytes)
}

/// How a key-mgmt-spec is named in messages: by its uri parameter.
fn spec_name(spec: &RtspKeyMgmt) -> String {
    spec.uri
        .as_ref()
        .map_or_else(|| "no uri".to_string(), |u| format!("uri \"{u}\""))
}

/// Whether `line` is a `KeyMgmt` header line (the name in any case, RFC 4567 §3.2).
fn is_key_mgmt_header(line: &str) -> bool {
    let lower = line.trim_start().to_ascii_lowercase();
    lower
        .strip_prefix("keymgmt")
        .is_some_and(|rest| rest.trim_start().starts_with(':'))
}

/// The MIKEY message of the RTSP text `a.text`: its `KeyMgmt` header (the `prot=mikey`
/// key-mgmt-spec, or the one for `--uri`), else the `mikey` parameter of its
/// text/parameters body.
fn rtsp_message(a: &RtspUnwrap) -> Result<Vec<u8>, String> {
    let text = input::read_text(&a.text, a.max_size.bytes)?;
    let lines: Vec<&str> = text.lines().collect();
    let header = match lines.iter().position(|l| is_key_mgmt_header(l)) {
        Some(start) => Some(sdp::unfold_line(&lines, start)),
        None if text.trim_start().to_ascii_lowercase().starts_with("prot=") => {
            Some(text.trim().to_string())
        }
        None => None,
    };
    let Some(header) = header else {
        if let Some(uri) = &a.uri {
            return Err(format!(
                "--uri \"{uri}\" chooses a key-mgmt-spec of a KeyMgmt header, and the input \
                 has none"
            ));
        }
        let bytes = sdp::parse_rtsp_parameter_body(&text).map_err(|e| match e {
            KeyMgmtError::NoMikeyParameter { requested: false } => {
                "the input has no KeyMgmt header and no mikey parameter (a SETUP request or \
                 its answer carries the header; a SET_PARAMETER request or a GET_PARAMETER \
                 answer, the parameter)"
                    .to_string()
            }
            e => e.to_string(),
        })?;
        input::check_size(bytes.len(), a.max_size.bytes)?;
        return Ok(bytes);
    };
    let specs = sdp::parse_rtsp_header(&header).map_err(|e| format!("KeyMgmt header: {e}"))?;
    let mikey: Vec<&RtspKeyMgmt> = specs
        .iter()
        .filter(|s| s.prot == sdp::KMPID_MIKEY)
        .collect();
    if mikey.is_empty() {
        return Err(KeyMgmtError::NotMikey(specs[0].prot.clone()).to_string());
    }
    let names = || {
        mikey
            .iter()
            .map(|s| spec_name(s))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let chosen = match &a.uri {
        Some(uri) => mikey
            .iter()
            .find(|s| s.uri.as_deref() == Some(uri.as_str()))
            .ok_or_else(|| {
                format!(
                    "the KeyMgmt header has no prot=mikey key-mgmt-spec with uri \"{uri}\" \
                     (it has {})",
                    names()
                )
            })?,
        None if mikey.len() == 1 => &mikey[0],
        None => {
            return Err(format!(
                "the KeyMgmt header has {} prot=mikey key-mgmt-specs ({}); choose one with \
                 --uri URI",
                mikey.len(),
                names()
            ));
        }
    };
    input::check_size(chosen.data.len(), a.max_size.bytes)?;
    Ok(chosen.data.clone())
}
