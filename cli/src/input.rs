//! Reads a MIKEY message from what a person pastes or points at: hex, base64, an SDP
//! `a=key-mgmt` line (or a whole SDP), an RTSP `KeyMgmt` header (or request), an RTSP
//! `text/parameters` body with a `mikey:` line (or the SET_PARAMETER request or
//! GET_PARAMETER answer holding it), a binary file, or `-` for standard input. Reading is bounded: a message may be at most
//! `--max-size` bytes (default 65536), and no more input is read than its longest text
//! form needs. An SDP may carry several key-mgmt attributes: each media section's applies
//! (media level over session level, RFC 4567 §3.1, [`sdp::media_key_mgmt`]).

use mikey::sdp;
use std::io::Read;

/// The most input read for a message of at most `max_size` bytes: its hex form with a
/// separator after every byte (3 characters a byte) and 64 KiB for the rest of an SDP
/// or RTSP text.
fn max_input_len(max_size: usize) -> usize {
    max_size.saturating_mul(3).saturating_add(65536)
}

/// Reads at most `max + 1` bytes of `source`, so that a longer input is noticed without
/// being read.
fn read_bounded(source: impl Read, max: usize, what: &str) -> Result<Vec<u8>, String> {
    let mut buf = Vec::new();
    source
        .take(u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| format!("cannot read {what}: {e}"))?;
    Ok(buf)
}

/// The SDP key-mgmt attribute a message came from, when an SDP carried several.
pub struct KeyMgmtSource {
    /// The attribute's line number.
    pub line: usize,
    /// `session` or `media`: the level the attribute was written at.
    pub level: &'static str,
    /// The `m=` lines of the media sections it applies to.
    pub media: Vec<String>,
}

impl KeyMgmtSource {
    /// One line naming the attribute and the media it keys.
    pub fn label(&self) -> String {
        format!(
            "a=key-mgmt at line {} ({} level), for {}",
            self.line,
            self.level,
            self.media.join("; ")
        )
    }
}

/// One message read from the input.
pub struct Input {
    /// The message.
    pub bytes: Vec<u8>,
    /// Where in an SDP it came from, when the SDP carried several key-mgmt attributes.
    pub source: Option<KeyMgmtSource>,
}

/// Returns the one message named by `arg`: at most `max_size` bytes. An SDP whose media
/// sections are keyed by different key-mgmt attributes is refused, naming them.
pub fn read_message(arg: &str, max_size: usize) -> Result<Vec<u8>, String> {
    let mut all = read_messages(arg, max_size)?;
    if all.len() > 1 {
        let labels: Vec<String> = all
            .iter()
            .filter_map(|r| r.source.as_ref().map(KeyMgmtSource::label))
            .collect();
        return Err(format!(
            "the SDP has {} key-mgmt attributes for different media ({}); give the \
             a=key-mgmt line of the one to use",
            all.len(),
            labels.join(" / ")
        ));
    }
    Ok(all.remove(0).bytes)
}

/// The bytes named by `arg` (standard input for `-`, else the file of that name, else the
/// text itself), read up to the bound for a message of at most `max_size` bytes; and
/// whether they came from a file.
fn read_input(arg: &str, max_size: usize) -> Result<(Vec<u8>, bool), String> {
    let max_input = max_input_len(max_size);
    let file = arg != "-" && std::path::Path::new(arg).is_file();
    let raw = if arg == "-" {
        read_bounded(std::io::stdin().lock(), max_input, "standard input")?
    } else if file {
        let file = std::fs::File::open(arg).map_err(|e| format!("cannot read {arg}: {e}"))?;
        read_bounded(file, max_input, arg)?
    } else {
        arg.as_bytes().to_vec()
    };
    if raw.len() > max_input {
        return Err(format!(
            "the input is longer than {max_input} bytes, the most read for a message of at \
             most {max_size} bytes (raise the limit with --max-size BYTES)"
        ));
    }
    Ok((raw, file))
}

/// The text named by `arg` (as [`read_messages`] reads it) for a carriage of a message of
/// at most `max_size` bytes: an SDP description or an RTSP message. Its lines are ASCII;
/// bytes that are not UTF-8 (an SDP `s=` line in ISO-8859-1) are replaced.
pub fn read_text(arg: &str, max_size: usize) -> Result<String, String> {
    let (raw, _) = read_input(arg, max_size)?;
    Ok(String::from_utf8_lossy(&raw).into_owned())
}

/// Refuses a message longer than `max_size` bytes, naming the limit and the flag.
pub fn check_size(len: usize, max_size: usize) -> Result<(), String> {
    if len > max_size {
        return Err(format!(
            "the message is {len} bytes, more than the limit of {max_size} bytes (raise it \
             with --max-size BYTES)"
        ));
    }
    Ok(())
}

/// Returns the messages named by `arg`, each of at most `max_size` bytes: one, or one per
/// distinct key-mgmt attribute of an SDP.
pub fn read_messages(arg: &str, max_size: usize) -> Result<Vec<Input>, String> {
    let (raw, file) = read_input(arg, max_size)?;
    let read = match std::str::from_utf8(&raw) {
        Ok(text) if raw.first().is_none_or(|b| *b != 1) => {
            from_text(text).map_err(|e| match e {
                TextError::Unrecognised if file => format!(
                    "{arg}: this file has no a=key-mgmt line, no KeyMgmt header, no mikey: \
                     parameter and no hex or base64 MIKEY message"
                ),
                TextError::Unrecognised => "input is neither hex, base64, an a=key-mgmt \
                                            line, a KeyMgmt header, a mikey: parameter nor \
                                            a readable file"
                    .to_string(),
                TextError::Invalid(e) => e,
            })?
        }
        _ => vec![Input {
            bytes: raw,
            source: None,
        }],
    };
    for r in &read {
        check_size(r.bytes.len(), max_size)?;
    }
    Ok(read)
}

/// Why a text gave no message.
enum TextError {
    /// It is none of the forms a message is given in.
    Unrecognised,
    /// It is one of them, and this is what is wrong with it.
    Invalid(String),
}

impl From<sdp::KeyMgmtError> for TextError {
    fn from(e: sdp::KeyMgmtError) -> Self {
        TextError::Invalid(e.to_string())
    }
}

/// One message without an SDP source.
fn one(bytes: Vec<u8>) -> Vec<Input> {
    vec![Input {
        bytes,
        source: None,
    }]
}

/// The messages of an SDP's key-mgmt attributes: one per distinct attribute that applies
/// to some media section, labelled when there are several. An SDP whose key-mgmt lines are
/// all of other protocols gives the error of the first one.
fn from_sdp(text: &str, lines: &[&str], first: usize) -> Result<Vec<Input>, TextError> {
    let mut sources: Vec<(String, KeyMgmtSource)> = Vec::new();
    let found = sdp::media_key_mgmt(text)?;
    for m in found.iter() {
        let media = m
            .media
            .map_or_else(|| "the session".to_string(), |l| l.text.trim().to_string());
        let Some(attribute) = m.attribute else {
            continue;
        };
        for other in m.ignored {
            eprintln!(
                "mikey: warning: line {}: a second a=key-mgmt:mikey for {media}, which does \
                 not apply (line {} does, RFC 4567 §3.1)",
                other.number, attribute.number
            );
        }
        match sources.iter_mut().find(|(_, s)| s.line == attribute.number) {
            Some((_, s)) => s.media.push(media),
            None => sources.push((
                attribute.text.clone(),
                KeyMgmtSource {
                    line: attribute.number,
                    level: match m.level {
                        sdp::KeyMgmtLevel::Session => "session",
                        sdp::KeyMgmtLevel::Media => "media",
                    },
                    media: vec![media],
                },
            )),
        }
    }
    match sources.len() {
        0 => Ok(one(sdp::parse_sdp_attribute(&sdp::unfold_line(
            lines, first,
        ))?)),
        1 => Ok(one(sdp::parse_sdp_attribute(&sources[0].0)?)),
        _ => sources
            .into_iter()
            .map(|(text, source)| {
                let bytes = sdp::parse_sdp_attribute(&text)
                    .map_err(|e| TextError::Invalid(format!("line {}: {e}", source.line)))?;
                Ok(Input {
                    bytes,
                    source: Some(source),
                })
            })
            .collect(),
    }
}

fn from_text(text: &str) -> Result<Vec<Input>, TextError> {
    let t = text.trim();
    let lines: Vec<&str> = text.lines().collect();
    if let Some(first) = lines
        .iter()
        .position(|l| l.trim_start().starts_with("a=key-mgmt:"))
    {
        return from_sdp(text, &lines, first);
    }
    if let Some(start) = lines
        .iter()
        .position(|l| l.trim_start().to_ascii_lowercase().starts_with("keymgmt:"))
    {
        return Ok(one(sdp::parse_key_mgmt(&sdp::unfold_line(&lines, start))?));
    }
    // A text/parameters body (or the RTSP message holding it) with a mikey parameter.
    match sdp::parse_rtsp_parameter_body(text) {
        Ok(bytes) => return Ok(one(bytes)),
        Err(sdp::KeyMgmtError::NoMikeyParameter { requested: false }) => {}
        Err(e) => return Err(e.into()),
    }
    if t.starts_with("key-mgmt:") || t.to_ascii_lowercase().starts_with("prot=") {
        return Ok(one(sdp::parse_key_mgmt(t)?));
    }
    let compact: String = t.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    if !compact.is_empty()
        && compact.len() % 2 == 0
        && compact.chars().all(|c| c.is_ascii_hexdigit())
    {
        return hex::decode(&compact)
            .map(one)
            .map_err(|e| TextError::Invalid(format!("invalid hex: {e}")));
    }
    sdp::decode_base64(&compact)
        .map(one)
        .map_err(|_| TextError::Unrecognised)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one message of `text`.
    fn bytes(text: &str) -> Vec<u8> {
        match from_text(text) {
            Ok(mut read) if read.len() == 1 => read.remove(0).bytes,
            _ => panic!("not one message: {text}"),
        }
    }

    #[test]
    fn folded_attribute_is_joined_and_stops_at_the_next_line() {
        // [1, 2, 3, 4, 5] folded after CRLF and after LF, then another attribute.
        let sdp = "m=audio 49000 RTP/SAVP 98\r\na=key-mgmt:mikey AQ\r\n ID\n\tBAU=\r\na=rtpmap:98";
        assert_eq!(bytes(sdp), [1, 2, 3, 4, 5]);
        // Pasted with a uniform indent: the next attribute is not a continuation.
        let indented = "  a=key-mgmt:mikey AQID\n     BAU=\n  a=rtpmap:98 AMR/8000";
        assert_eq!(bytes(indented), [1, 2, 3, 4, 5]);
    }

    #[test]
    fn a_mikey_parameter_is_read_and_other_text_falls_through() {
        let request = "SET_PARAMETER rtsp://a/b RTSP/1.0\r\nCSeq: 6\r\n\
                       Content-Type: text/parameters\r\n\r\nmikey: AQIDBAU=\r\n";
        assert_eq!(bytes(request), [1, 2, 3, 4, 5]);
        // Hex and base64 have no mikey parameter: read as before.
        assert_eq!(bytes("0102"), [1, 2]);
        assert_eq!(bytes("AQID"), [1, 2, 3]);
        // The GET_PARAMETER request says what it is.
        assert!(matches!(
            from_text("mikey\r\n"),
            Err(TextError::Invalid(e)) if e.contains("GET_PARAMETER")
        ));
    }
}
