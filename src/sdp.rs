//! RFC 4567 carriage of MIKEY messages: the SDP attribute `a=key-mgmt:mikey <base64>`
//! (§3.1), per media section with the media level over the session level
//! ([`media_key_mgmt`]), and the RTSP `KeyMgmt` header (§3.2); and the `mikey` parameter
//! of RTSP SET_PARAMETER and GET_PARAMETER bodies (RFC 2326 §10.8, §10.9; the ONVIF
//! Streaming Specification's re-keying and multicast key retrieval:
//! [`rtsp_set_parameter_body`], [`RTSP_GET_PARAMETER_BODY`],
//! [`parse_rtsp_parameter_body`]). Lenient in, strict out: reading accepts line wrapping,
//! missing padding, extra spaces and any header-name case (messages are pasted from mail
//! and print, as RFC 4567's own examples are wrapped); writing gives one line with padded
//! standard base64 (RFC 4566 §9).

use base64::Engine;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use std::fmt;

/// The key management protocol identifier of MIKEY (RFC 4567 §7, case-sensitive).
pub const KMPID_MIKEY: &str = "mikey";

/// Why a key-mgmt text could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyMgmtError {
    /// The data is not base64 (standard alphabet, RFC 3548).
    Base64,
    /// The text is not a key-mgmt attribute or header; the string says what was expected.
    Syntax(&'static str),
    /// The attribute or header names another protocol than `mikey`.
    NotMikey(String),
    /// The SDP description is longer than [`MAX_SDP_LEN`]: `len` bytes, at most `max`.
    TooLong {
        /// The length of the text.
        len: usize,
        /// The longest text read.
        max: usize,
    },
    /// An RTSP `text/parameters` body (RFC 2326 §10.8, §10.9) without a value of the
    /// `mikey` parameter: `requested` when the body names the parameter without a value,
    /// as the GET_PARAMETER request asking for it does (the answer carries the message),
    /// else the body does not name it at all.
    NoMikeyParameter {
        /// The body names `mikey` without a value.
        requested: bool,
    },
}

impl fmt::Display for KeyMgmtError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyMgmtError::Base64 => f.write_str("invalid base64 in key management data"),
            KeyMgmtError::Syntax(what) => write!(f, "malformed key-mgmt text: {what}"),
            KeyMgmtError::NotMikey(p) => {
                write!(f, "key management protocol is {p:?}, not \"mikey\"")
            }
            KeyMgmtError::TooLong { len, max } => {
                write!(
                    f,
                    "SDP description of {len} bytes is longer than {max} bytes"
                )
            }
            KeyMgmtError::NoMikeyParameter { requested: false } => {
                f.write_str("no \"mikey\" parameter in the RTSP text/parameters body")
            }
            KeyMgmtError::NoMikeyParameter { requested: true } => f.write_str(
                "the \"mikey\" parameter has no value (a GET_PARAMETER request asks for it; \
                 its answer carries the message)",
            ),
        }
    }
}

impl std::error::Error for KeyMgmtError {}

/// One RTSP `KeyMgmt` key-mgmt-spec (RFC 4567 §3.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RtspKeyMgmt {
    /// The `prot` parameter (KMPID).
    pub prot: String,
    /// The `uri` parameter, if present.
    pub uri: Option<String>,
    /// The decoded `data` parameter.
    pub data: Vec<u8>,
}

const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Decodes base64 leniently: ASCII white space (line wrapping) is ignored and padding
/// may be missing.
pub fn decode_base64(text: &str) -> Result<Vec<u8>, KeyMgmtError> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    if compact.is_empty() {
        return Err(KeyMgmtError::Syntax("empty key management data"));
    }
    LENIENT.decode(compact).map_err(|_| KeyMgmtError::Base64)
}

/// Encodes with the standard alphabet and padding, as SDP requires (RFC 4566 §9).
pub fn encode_base64(data: &[u8]) -> String {
    STANDARD.encode(data)
}

/// Reads an SDP key-mgmt attribute: `a=key-mgmt:mikey <base64>`, with or without the
/// `a=` prefix (RFC 4567 §3.1 `key-mgmt-att-value = 0*1SP prtcl-id SP keymgmt-data`).
/// Returns the MIKEY message bytes.
pub fn parse_sdp_attribute(line: &str) -> Result<Vec<u8>, KeyMgmtError> {
    let line = line.trim();
    let line = line.strip_prefix("a=").unwrap_or(line);
    let value = line
        .strip_prefix("key-mgmt:")
        .ok_or(KeyMgmtError::Syntax("expected \"a=key-mgmt:\""))?;
    let value = value.trim_start();
    let (prot, data) =
        value
            .split_once(|c: char| c.is_ascii_whitespace())
            .ok_or(KeyMgmtError::Syntax(
                "expected \"<protocol> <base64 data>\"",
            ))?;
    if prot != KMPID_MIKEY {
        return Err(KeyMgmtError::NotMikey(prot.to_string()));
    }
    decode_base64(data)
}

/// Writes the SDP attribute line (without line end): `a=key-mgmt:mikey <base64>`.
pub fn sdp_attribute(message: &[u8]) -> String {
    format!("a=key-mgmt:{KMPID_MIKEY} {}", encode_base64(message))
}

/// Reads an RTSP `KeyMgmt` header (name optional and case-insensitive, RFC 4567 §3.2 and
/// §9.2) and returns its key-mgmt-specs. Parameters `prot`, `uri` (quoted) and `data`
/// (quoted base64) are read in any order with optional white space; folded lines are
/// accepted. Unknown parameters are ignored.
pub fn parse_rtsp_header(text: &str) -> Result<Vec<RtspKeyMgmt>, KeyMgmtError> {
    let text = text.trim();
    let value = match text.split_once(':') {
        Some((name, rest)) if name.trim().eq_ignore_ascii_case("keymgmt") => rest,
        _ => text,
    };
    let mut specs = Vec::new();
    for spec in split_outside_quotes(value, ',') {
        if spec.trim().is_empty() {
            continue;
        }
        let (mut prot, mut uri, mut data) = (None, None, None);
        for param in split_outside_quotes(spec, ';') {
            let param = param.trim();
            if param.is_empty() {
                continue;
            }
            let (name, val) = param
                .split_once('=')
                .ok_or(KeyMgmtError::Syntax("expected name=value parameters"))?;
            let val = val.trim();
            match name.trim().to_ascii_lowercase().as_str() {
                "prot" => prot = Some(val.to_string()),
                "uri" => uri = Some(unquote(val)?.to_string()),
                "data" => data = Some(decode_base64(unquote(val)?)?),
                _ => {}
            }
        }
        specs.push(RtspKeyMgmt {
            prot: prot.ok_or(KeyMgmtError::Syntax("missing prot parameter"))?,
            uri,
            data: data.ok_or(KeyMgmtError::Syntax("missing data parameter"))?,
        });
    }
    if specs.is_empty() {
        return Err(KeyMgmtError::Syntax("no key-mgmt-spec"));
    }
    Ok(specs)
}

/// Writes an RTSP header line: `KeyMgmt: prot=mikey; [uri="..."; ]data="<base64>"`.
pub fn rtsp_header(message: &[u8], uri: Option<&str>) -> String {
    let uri = uri.map(|u| format!("uri=\"{u}\"; ")).unwrap_or_default();
    format!(
        "KeyMgmt: prot={KMPID_MIKEY}; {uri}data=\"{}\"",
        encode_base64(message)
    )
}

/// Reads MIKEY message bytes from any of: an SDP `a=key-mgmt` attribute, an RTSP
/// `KeyMgmt` header (the first `prot=mikey` spec), an RTSP `text/parameters` body that
/// starts with the `mikey` parameter (`mikey: <base64>`, see
/// [`parse_rtsp_parameter_body`]), or bare base64.
pub fn parse_key_mgmt(text: &str) -> Result<Vec<u8>, KeyMgmtError> {
    let t = text.trim();
    if t.starts_with("a=") || t.starts_with("key-mgmt:") {
        return parse_sdp_attribute(t);
    }
    if starts_with_mikey_parameter(t) {
        return parse_rtsp_parameter_body(t);
    }
    let lower = t.to_ascii_lowercase();
    if lower.starts_with("keymgmt") || lower.starts_with("prot=") {
        let specs = parse_rtsp_header(t)?;
        let first = specs.iter().find(|s| s.prot == KMPID_MIKEY);
        return match first {
            Some(s) => Ok(s.data.clone()),
            None => Err(KeyMgmtError::NotMikey(specs[0].prot.clone())),
        };
    }
    decode_base64(t)
}

/// The name of the RTSP parameter that carries a MIKEY message in a `text/parameters`
/// body (ONVIF Streaming Specification, "Client Re-Keying with MIKEY" and "Multicast
/// considerations"). Read case-insensitively; written as is.
pub const RTSP_MIKEY_PARAMETER: &str = "mikey";

/// The body of the RTSP GET_PARAMETER request that asks for the MIKEY message (RFC 2326
/// §10.8 with `Content-Type: text/parameters`; the ONVIF Streaming Specification's
/// multicast key retrieval: the answer carries the current key and ROC). A list of
/// parameter names, one a line, each ended by CRLF (RFC 7826 Appendix F).
pub const RTSP_GET_PARAMETER_BODY: &str = "mikey\r\n";

/// Writes the `text/parameters` body of an RTSP SET_PARAMETER request that carries
/// `message` (RFC 2326 §10.9; the ONVIF Streaming Specification's client re-keying, whose
/// device answers a GET_PARAMETER [`RTSP_GET_PARAMETER_BODY`] with the same line):
/// `mikey: <base64>` and CRLF, one line with padded standard base64 (RFC 7826 Appendix F:
/// `parameter *WSP ":" value CRLF`). `message` is a serialized MIKEY message.
pub fn rtsp_set_parameter_body(message: &[u8]) -> String {
    format!("{RTSP_MIKEY_PARAMETER}: {}\r\n", encode_base64(message))
}

/// Whether `line` is a `text/parameters` entry naming the `mikey` parameter; its value
/// (after the first ':', trimmed) if it has one. RFC 7826 Appendix F: `parameter *WSP ":"
/// value`, a parameter alone in a query; the name is compared case-insensitively, and
/// white space around the name and the ':' is allowed.
fn mikey_parameter(line: &str) -> Option<Option<&str>> {
    let (name, value) = match line.split_once(':') {
        Some((name, value)) => (name, Some(value.trim())),
        None => (line, None),
    };
    name.trim()
        .eq_ignore_ascii_case(RTSP_MIKEY_PARAMETER)
        .then_some(value)
}

/// Whether the first line of `text` is a `mikey: <value>` parameter entry.
fn starts_with_mikey_parameter(text: &str) -> bool {
    text.lines()
        .next()
        .and_then(mikey_parameter)
        .is_some_and(|value| value.is_some())
}

/// Reads the MIKEY message of an RTSP `text/parameters` body (RFC 2326 §10.8, §10.9;
/// RFC 7826 Appendix F): a SET_PARAMETER request re-keying a stream or the answer to a
/// GET_PARAMETER `mikey` request (ONVIF Streaming Specification, "Client Re-Keying with
/// MIKEY" and "Multicast considerations"). Returns the message bytes.
///
/// Lenient: lines may end in CRLF or LF; the parameter name is read in any case, with
/// white space around it and the ':'; other parameters are passed over, so a whole RTSP
/// message (request line, headers, blank line, body) reads as well; the base64 may lack
/// its padding. A body lists either names (a query) or `name: value` lines (RFC 7826
/// Appendix F), so non-blank lines without a ':' right after the `mikey` line are not
/// parameters of their own: they continue its value, wrapped for print (as the ONVIF
/// specification prints its examples) or folded.
///
/// Errors: [`KeyMgmtError::NoMikeyParameter`] when no line names `mikey`
/// (`requested: false`) or the one that does has no value, as in the GET_PARAMETER
/// request (`requested: true`); [`KeyMgmtError::Syntax`] when two lines name it (RFC
/// 2326 §10.9: a request should carry a single parameter; which one applies would be a
/// guess); [`KeyMgmtError::Base64`] for a value that is not base64.
pub fn parse_rtsp_parameter_body(body: &str) -> Result<Vec<u8>, KeyMgmtError> {
    let lines: Vec<&str> = body.lines().collect();
    let mut found: Option<String> = None;
    let mut named = false;
    let mut i = 0;
    while i < lines.len() {
        let Some(value) = mikey_parameter(lines[i]) else {
            i += 1;
            continue;
        };
        if named {
            return Err(KeyMgmtError::Syntax(
                "more than one \"mikey\" parameter in the body",
            ));
        }
        named = true;
        i += 1;
        if let Some(value) = value {
            let mut text = value.to_string();
            while let Some(more) = lines
                .get(i)
                .filter(|l| !l.trim().is_empty() && !l.contains(':'))
            {
                text.push_str(more);
                i += 1;
            }
            found = Some(text);
        }
    }
    match found {
        Some(value) if !value.trim().is_empty() => decode_base64(&value),
        _ => Err(KeyMgmtError::NoMikeyParameter { requested: named }),
    }
}

/// The longest SDP description [`media_key_mgmt`] reads: four times the default maximum
/// message size (`crate::wire::DEFAULT_MAX_MESSAGE_SIZE`, 64 KiB), so 256 KiB. The
/// base64 of a largest message takes 4/3 of it, and the rest of a description (codecs,
/// candidates, other key-mgmt protocols) is far smaller; a longer text is refused before
/// it is read, so a hostile SIP body or RTSP answer costs bounded work.
pub const MAX_SDP_LEN: usize = 4 * crate::wire::DEFAULT_MAX_MESSAGE_SIZE;

/// Where the key-mgmt attribute that applies to a media section was written: RFC 4567
/// §3.1 allows both levels, and a media-level attribute overrides the session-level one
/// for that media.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyMgmtLevel {
    /// Before the first `m=` line.
    Session,
    /// In the media section itself.
    Media,
}

/// One line of an SDP description: its number (1 for the first line) and its text, with
/// any folded continuation lines joined on (see [`unfold_line`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SdpLine {
    /// The line's number, counted from 1.
    pub number: usize,
    /// The line, its continuation lines joined on.
    pub text: String,
}

/// The MIKEY key-mgmt attribute that applies to one media section of an SDP description
/// (RFC 4567 §3.1), as [`SdpKeyMgmt::media`] finds it. Borrows from the [`SdpKeyMgmt`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MediaKeyMgmt<'a> {
    /// The section's `m=` line; `None` for a description without `m=` lines, where only
    /// the session level exists.
    pub media: Option<&'a SdpLine>,
    /// The `a=key-mgmt:mikey` attribute that applies: the first one of the media section,
    /// else the first one of the session level; `None` when neither level has one.
    pub attribute: Option<&'a SdpLine>,
    /// The level `attribute` was written at.
    pub level: KeyMgmtLevel,
    /// Further `a=key-mgmt:mikey` attributes at the same level as `attribute`, which do
    /// not apply. RFC 4567 §4.1 lists several key-mgmt attributes of one level as
    /// alternative protocols in order of preference, so a second MIKEY one at the same
    /// level is a mistake of the sender: reported here, not silently dropped.
    pub ignored: &'a [SdpLine],
}

/// One media section: its `m=` line, its own MIKEY attributes and the KMPIDs of all its
/// key-mgmt attributes.
#[derive(Clone, Debug, PartialEq, Eq)]
struct MediaSection {
    line: SdpLine,
    attributes: Vec<SdpLine>,
    kmpids: Vec<String>,
}

/// The MIKEY key-mgmt attributes of an SDP description by level (RFC 4567 §3.1), read
/// by [`media_key_mgmt`]. Each line is stored once, so it takes memory linear in the
/// description; [`SdpKeyMgmt::media`] answers for one media section without copying.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SdpKeyMgmt {
    session: Vec<SdpLine>,
    session_kmpids: Vec<String>,
    media: Vec<MediaSection>,
}

impl SdpKeyMgmt {
    /// The number of media sections (`m=` lines); a description without `m=` lines counts
    /// as one section, the session level alone, so the result is at least 1.
    pub fn media_count(&self) -> usize {
        self.media.len().max(1)
    }

    /// The attribute that applies to media section `index` (0-based, in the order of the
    /// `m=` lines): the section's first MIKEY attribute, else the first one of the session
    /// level (RFC 4567 §3.1). `None` when `index` is not below [`SdpKeyMgmt::media_count`].
    pub fn media(&self, index: usize) -> Option<MediaKeyMgmt<'_>> {
        if index >= self.media_count() {
            return None;
        }
        let section = self.media.get(index);
        let (level, found) = match section {
            Some(s) if !s.attributes.is_empty() => (KeyMgmtLevel::Media, &s.attributes[..]),
            _ => (KeyMgmtLevel::Session, &self.session[..]),
        };
        Some(MediaKeyMgmt {
            media: section.map(|s| &s.line),
            attribute: found.first(),
            level,
            ignored: found.get(1..).unwrap_or_default(),
        })
    }

    /// The key management protocols offered for media section `index` as RFC 4567 §4.1.4
    /// lists them for the bidding-down check: the KMPIDs of every `a=key-mgmt` attribute
    /// of the level that applies (the section's own, else the session level), in order,
    /// ";"-separated ("mikey;keyp1"). What [`crate::session::Session::initiate_offer`]
    /// and [`crate::session::Session::process_offer`] take. `None` when `index` is out of
    /// range or no key-mgmt attribute applies.
    pub fn protocol_list(&self, index: usize) -> Option<String> {
        if index >= self.media_count() {
            return None;
        }
        let ids = match self.media.get(index) {
            Some(s) if !s.kmpids.is_empty() => &s.kmpids,
            _ => &self.session_kmpids,
        };
        (!ids.is_empty()).then(|| ids.join(";"))
    }

    /// [`SdpKeyMgmt::media`] for every media section in order.
    pub fn iter(&self) -> impl Iterator<Item = MediaKeyMgmt<'_>> {
        (0..self.media_count()).filter_map(|i| self.media(i))
    }
}

/// Where the folded continuation of line `start` ends: the index of the first line after
/// it that is indented no deeper than it, or is blank (see [`unfold_line`]).
fn continuation_end(lines: &[&str], start: usize) -> usize {
    let indent = |l: &str| l.len() - l.trim_start_matches([' ', '\t']).len();
    let depth = indent(lines[start]);
    lines[start + 1..]
        .iter()
        .position(|l| indent(l) <= depth || l.trim().is_empty())
        .map_or(lines.len(), |n| start + 1 + n)
}

/// Line `start` of `lines` joined with its folded continuation lines: the lines after it
/// that are indented deeper than it (a line folded after CRLF or LF starts with a space or
/// a tab). A deeper indent rather than any indent keeps the next attribute of an SDP pasted
/// with a uniform indent out of this one. SDP itself has no folding (RFC 4566 §5); this
/// reads text that was wrapped for mail or print, as RFC 4567's own examples are.
pub fn unfold_line(lines: &[&str], start: usize) -> String {
    lines[start..continuation_end(lines, start)].concat()
}

/// The protocol identifier of an `a=key-mgmt:<prtcl-id> <data>` attribute (RFC 4567 §3.1).
fn key_mgmt_kmpid(line: &str) -> Option<&str> {
    line.trim_start()
        .strip_prefix("a=key-mgmt:")
        .and_then(|v| v.split_ascii_whitespace().next())
}

/// Whether `line` is an `a=key-mgmt` attribute naming MIKEY (`a=key-mgmt:mikey ...`,
/// RFC 4567 §3.1; the protocol identifier is case-sensitive).
fn is_mikey_attribute(line: &str) -> bool {
    key_mgmt_kmpid(line) == Some(KMPID_MIKEY)
}

/// Reads the MIKEY key-mgmt attributes of the SDP description `sdp` (RFC 4567 §3.1) by
/// level; [`SdpKeyMgmt::media`] then gives the one that applies to each media section
/// (media level over session level). Attributes of other key management protocols are
/// not MIKEY's and are passed over. Lines may end in CRLF or LF and an attribute may be
/// folded (see [`unfold_line`]); the continuation lines of a MIKEY attribute are part of
/// it and not read as lines of their own, so every line is read once. A text longer than
/// [`MAX_SDP_LEN`] is refused with [`KeyMgmtError::TooLong`].
pub fn media_key_mgmt(sdp: &str) -> Result<SdpKeyMgmt, KeyMgmtError> {
    if sdp.len() > MAX_SDP_LEN {
        return Err(KeyMgmtError::TooLong {
            len: sdp.len(),
            max: MAX_SDP_LEN,
        });
    }
    let lines: Vec<&str> = sdp.lines().collect();
    let mut found = SdpKeyMgmt {
        session: Vec::new(),
        session_kmpids: Vec::new(),
        media: Vec::new(),
    };
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim_start();
        if t.starts_with("m=") {
            found.media.push(MediaSection {
                line: SdpLine {
                    number: i + 1,
                    text: lines[i].to_string(),
                },
                attributes: Vec::new(),
                kmpids: Vec::new(),
            });
            i += 1;
            continue;
        }
        if let Some(kmpid) = key_mgmt_kmpid(t) {
            match found.media.last_mut() {
                Some(section) => section.kmpids.push(kmpid.to_string()),
                None => found.session_kmpids.push(kmpid.to_string()),
            }
        }
        if is_mikey_attribute(t) {
            let end = continuation_end(&lines, i);
            let line = SdpLine {
                number: i + 1,
                text: lines[i..end].concat(),
            };
            match found.media.last_mut() {
                Some(section) => section.attributes.push(line),
                None => found.session.push(line),
            }
            i = end;
        } else {
            i += 1;
        }
    }
    Ok(found)
}

fn unquote(v: &str) -> Result<&str, KeyMgmtError> {
    v.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .ok_or(KeyMgmtError::Syntax("expected a quoted value"))
}

fn split_outside_quotes(s: &str, sep: char) -> impl Iterator<Item = &str> {
    let mut in_quotes = false;
    s.split(move |c| {
        if c == '"' {
            in_quotes = !in_quotes;
        }
        c == sep && !in_quotes
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sdp_round_trip_and_wrapping() {
        let line = sdp_attribute(&[1, 2, 3, 4, 5]);
        assert_eq!(line, "a=key-mgmt:mikey AQIDBAU=");
        assert_eq!(parse_sdp_attribute(&line).unwrap(), [1, 2, 3, 4, 5]);
        assert_eq!(
            parse_sdp_attribute("a=key-mgmt: mikey AQID\r\n BAU\r\n").unwrap(),
            [1, 2, 3, 4, 5]
        );
        assert_eq!(
            parse_sdp_attribute("a=key-mgmt:keyp1 AQID"),
            Err(KeyMgmtError::NotMikey("keyp1".into()))
        );
        assert_eq!(
            parse_sdp_attribute("a=key-mgmt:mikey A*ID"),
            Err(KeyMgmtError::Base64)
        );
        assert!(matches!(
            parse_sdp_attribute("a=rtpmap:98"),
            Err(KeyMgmtError::Syntax(_))
        ));
    }

    #[test]
    fn rtsp_header_as_in_rfc4567_example() {
        let h = "keymgmt: prot=mikey; uri=\"rtsp://movie.example.com/action\";\r\n         data=\"AQID\nBAU=\"";
        let specs = parse_rtsp_header(h).unwrap();
        assert_eq!(specs.len(), 1);
        assert_eq!(
            specs[0].uri.as_deref(),
            Some("rtsp://movie.example.com/action")
        );
        assert_eq!(specs[0].data, [1, 2, 3, 4, 5]);
        assert_eq!(parse_key_mgmt(h).unwrap(), [1, 2, 3, 4, 5]);
        let out = rtsp_header(&[1, 2, 3, 4, 5], Some("rtsp://a/b"));
        assert_eq!(
            out,
            "KeyMgmt: prot=mikey; uri=\"rtsp://a/b\"; data=\"AQIDBAU=\""
        );
        assert_eq!(parse_rtsp_header(&out).unwrap()[0].data, [1, 2, 3, 4, 5]);
        assert!(parse_rtsp_header("KeyMgmt: prot=mikey").is_err());
    }

    /// The ONVIF Streaming Specification's re-keying message (onvif-4 of the samples).
    const ONVIF_SET_PARAMETER: &str = "AQAFAGgCr8EBAADSvxgkAAAAAAoAAdOOK7UihqIBAAAAGAABAQEBEAIBAQMBFAcBAQgBAQoBAQsBCgAAACcAIQAepekjs88g+Q7AU6LAvRsoVyn18ZW1JuXI9qht4g6+BAAAAAIA";
    /// Its device's answer to GET_PARAMETER `mikey` (onvif-5 of the samples).
    const ONVIF_GET_PARAMETER: &str = "AQAFAGrVolgBAADdBcAoAAAAAAsA2/K83QArhBIKEGrVolg1GZvp7DPyFCdYmXABAAAAGwABAQEBEAIBAQMBFAQBDgcBAQgBAQoBAQsBCgAAACcAIQAe7OzS5umZMXHqaegZC3UkDwbC5NNpj4b8+fB6MROeBAAAAA0A";

    #[test]
    fn rtsp_parameter_bodies_are_written_strictly() {
        assert_eq!(
            rtsp_set_parameter_body(&[1, 2, 3, 4, 5]),
            "mikey: AQIDBAU=\r\n"
        );
        assert_eq!(RTSP_GET_PARAMETER_BODY, "mikey\r\n");
        let onvif = decode_base64(ONVIF_SET_PARAMETER).unwrap();
        let body = rtsp_set_parameter_body(&onvif);
        // The Content-Length of the specification's SET_PARAMETER request.
        assert_eq!(body.len(), 145);
        assert_eq!(body, format!("mikey: {ONVIF_SET_PARAMETER}\r\n"));
        assert_eq!(parse_rtsp_parameter_body(&body).unwrap(), onvif);
        assert_eq!(parse_key_mgmt(&body).unwrap(), onvif);
    }

    #[test]
    fn onvif_set_parameter_and_get_parameter_answer_are_read() {
        let set = decode_base64(ONVIF_SET_PARAMETER).unwrap();
        let get = decode_base64(ONVIF_GET_PARAMETER).unwrap();
        // The re-keying request as the specification prints it, its base64 wrapped after
        // 79 characters without indentation, as a whole RTSP message with LF line ends.
        let request = format!(
            "SET_PARAMETER rtsp://192.0.2.1/stream RTSP/1.0\n\
             CSeq: 6\nSession: 15405670\nUser-Agent: OmnicastRTSPClient/1.0\n\
             Content-Type: text/parameters\nContent-Length: 145\n\nmikey: {}\n{}\n",
            &ONVIF_SET_PARAMETER[..79],
            &ONVIF_SET_PARAMETER[79..]
        );
        assert_eq!(parse_rtsp_parameter_body(&request).unwrap(), set);
        // The answer to GET_PARAMETER, CRLF, as the body alone.
        let answer = format!("mikey: {ONVIF_GET_PARAMETER}\r\n");
        assert_eq!(parse_rtsp_parameter_body(&answer).unwrap(), get);
        let whole = format!("RTSP/1.0 200 OK\r\nCSeq: 4\r\n\r\n{answer}");
        assert_eq!(parse_rtsp_parameter_body(&whole).unwrap(), get);
        // Among other parameters, any name case, white space around ':', no padding,
        // folded on an indented line.
        let mixed = format!(
            "packets_received: 10\r\n  MIKEY\t :  {}\r\n   {}\r\njitter: 0.3838\r\n",
            &ONVIF_GET_PARAMETER[..40],
            ONVIF_GET_PARAMETER[40..].trim_end_matches('=')
        );
        assert_eq!(parse_rtsp_parameter_body(&mixed).unwrap(), get);
    }

    #[test]
    fn rtsp_parameter_body_errors_are_specific() {
        for none in [
            "",
            "\r\n",
            "packets_received: 10\r\njitter: 0.3838\r\n",
            "mikeys: AQID",
        ] {
            assert_eq!(
                parse_rtsp_parameter_body(none),
                Err(KeyMgmtError::NoMikeyParameter { requested: false }),
                "{none:?}"
            );
        }
        // The GET_PARAMETER request itself, and an empty value: named, no message.
        for named in [
            RTSP_GET_PARAMETER_BODY,
            "jitter\r\nMikey\r\n",
            "mikey:\r\n",
            "mikey :  \n\n",
        ] {
            assert_eq!(
                parse_rtsp_parameter_body(named),
                Err(KeyMgmtError::NoMikeyParameter { requested: true }),
                "{named:?}"
            );
        }
        assert!(
            KeyMgmtError::NoMikeyParameter { requested: true }
                .to_string()
                .contains("GET_PARAMETER")
        );
        assert!(matches!(
            parse_rtsp_parameter_body("mikey: AQID\r\nmikey: BAU=\r\n"),
            Err(KeyMgmtError::Syntax(_))
        ));
        assert_eq!(
            parse_rtsp_parameter_body("mikey: A*ID\r\n"),
            Err(KeyMgmtError::Base64)
        );
        // A line with a ':' after the value is a parameter of its own, not a continuation.
        assert_eq!(
            parse_rtsp_parameter_body("mikey: AQID\r\nBAU=: x\r\n").unwrap(),
            [1, 2, 3]
        );
        // parse_key_mgmt takes the body only when it starts with the mikey value.
        assert_eq!(
            parse_key_mgmt(RTSP_GET_PARAMETER_BODY),
            Err(KeyMgmtError::Base64)
        );
    }

    const SESSION_AND_MEDIA: &str = "v=0\r\n\
o=alice 2891092738 2891092738 IN IP4 w-land.example.com\r\n\
s=Cool stuff\r\n\
a=key-mgmt:mikey AQID\r\n\
t=0 0\r\n\
m=audio 49000 RTP/SAVP 98\r\n\
a=rtpmap:98 AMR/8000\r\n\
m=video 52230 RTP/SAVP 31\r\n\
a=key-mgmt:keyp1 AAAA\r\n\
a=key-mgmt:mikey BAU=\r\n\
a=key-mgmt:mikey\r\n BgcI\r\n\
m=text 11000 RTP/SAVP 100\r\n";

    #[test]
    fn media_level_attribute_overrides_the_session_level_one() {
        let sdp = media_key_mgmt(SESSION_AND_MEDIA).unwrap();
        assert_eq!(sdp.media_count(), 3);
        let found: Vec<MediaKeyMgmt> = sdp.iter().collect();
        assert_eq!(found.len(), 3);
        let media: Vec<&str> = found
            .iter()
            .map(|f| f.media.unwrap().text.as_str())
            .collect();
        assert_eq!(
            media,
            [
                "m=audio 49000 RTP/SAVP 98",
                "m=video 52230 RTP/SAVP 31",
                "m=text 11000 RTP/SAVP 100"
            ]
        );
        // audio and text: no attribute of their own, the session-level one applies.
        for f in [&found[0], &found[2]] {
            assert_eq!(f.level, KeyMgmtLevel::Session);
            let a = f.attribute.unwrap();
            assert_eq!((a.number, a.text.as_str()), (4, "a=key-mgmt:mikey AQID"));
            assert!(f.ignored.is_empty());
        }
        // video: its first MIKEY attribute (keyp1 is another protocol); the second MIKEY
        // one, folded over two lines, is reported as not applying.
        let video = &found[1];
        assert_eq!(video.level, KeyMgmtLevel::Media);
        let a = video.attribute.unwrap();
        assert_eq!(a.number, 10);
        assert_eq!(parse_sdp_attribute(&a.text).unwrap(), [4, 5]);
        assert_eq!(video.ignored.len(), 1);
        assert_eq!(video.ignored[0].number, 11);
        assert_eq!(
            parse_sdp_attribute(&video.ignored[0].text).unwrap(),
            [6, 7, 8]
        );
        assert_eq!(sdp.media(1), Some(*video));
        assert_eq!(sdp.media(3), None);
    }

    #[test]
    fn session_level_only_and_no_attribute() {
        let only = media_key_mgmt("v=0\na=key-mgmt:mikey AQID\na=key-mgmt:mikey BAU=\n").unwrap();
        assert_eq!(only.media_count(), 1);
        let first = only.media(0).unwrap();
        assert_eq!(first.media, None);
        assert_eq!(first.level, KeyMgmtLevel::Session);
        assert_eq!(first.attribute.unwrap().number, 2);
        assert_eq!(first.ignored.len(), 1);
        assert_eq!(only.media(1), None);

        let none = media_key_mgmt("v=0\nm=audio 49000 RTP/AVP 0\na=key-mgmt:keyp1 AAAA\n").unwrap();
        assert_eq!(none.media_count(), 1);
        assert!(none.media(0).unwrap().attribute.is_none());
        let other = media_key_mgmt("root:x:0:0:root:/root:/bin/bash\n").unwrap();
        assert!(other.media(0).unwrap().attribute.is_none());
        let empty = media_key_mgmt("").unwrap();
        assert_eq!(empty.media_count(), 1);
        assert!(empty.media(0).unwrap().attribute.is_none());
    }

    #[test]
    fn folded_attribute_is_joined_and_stops_at_the_next_line() {
        let lines = [
            "  a=key-mgmt:mikey AQID",
            "     BAU=",
            "  a=rtpmap:98 AMR/8000",
        ];
        assert_eq!(unfold_line(&lines, 0), "  a=key-mgmt:mikey AQID     BAU=");
        assert_eq!(unfold_line(&lines, 2), "  a=rtpmap:98 AMR/8000");
        let found = media_key_mgmt(
            "m=audio 49000 RTP/SAVP 98\r\na=key-mgmt:mikey AQ\r\n ID\n\tBAU=\r\na=rtpmap:98",
        )
        .unwrap();
        let a = found.media(0).unwrap().attribute.unwrap();
        assert_eq!(parse_sdp_attribute(&a.text).unwrap(), [1, 2, 3, 4, 5]);
    }

    #[test]
    fn continuation_lines_are_part_of_their_attribute_only() {
        // A deeper line after a MIKEY attribute continues it, even one that would read as
        // an attribute or an m= line of its own: it is not a second attribute or section.
        let sdp = "a=key-mgmt:mikey AQID\n a=key-mgmt:mikey\n m=audio 0 RTP/SAVP 0\nm=video 0 RTP/SAVP 0\n";
        let found = media_key_mgmt(sdp).unwrap();
        assert_eq!(found.media_count(), 1);
        let video = found.media(0).unwrap();
        assert_eq!(video.media.unwrap().number, 4);
        assert_eq!(video.attribute.unwrap().number, 1);
        assert!(video.ignored.is_empty());
    }

    #[test]
    fn text_longer_than_the_bound_is_refused() {
        let at_bound = format!("a=key-mgmt:mikey AQID\n{}", "x".repeat(MAX_SDP_LEN - 22));
        assert_eq!(at_bound.len(), MAX_SDP_LEN);
        assert_eq!(media_key_mgmt(&at_bound).unwrap().media_count(), 1);
        let over = format!("{at_bound}\n");
        assert_eq!(
            media_key_mgmt(&over),
            Err(KeyMgmtError::TooLong {
                len: MAX_SDP_LEN + 1,
                max: MAX_SDP_LEN
            })
        );
    }

    #[test]
    fn session_attributes_are_shared_not_copied_per_media() {
        // Many session-level attributes and many media sections: each media borrows the
        // one session list (the same slice), so the work is linear in the description.
        let mut sdp = String::from("v=0\n");
        sdp.push_str(&"a=key-mgmt:mikey AQID\n".repeat(100));
        sdp.push_str(&"m=audio 0 RTP/SAVP 0\n".repeat(100));
        let found = media_key_mgmt(&sdp).unwrap();
        assert_eq!(found.media_count(), 100);
        let first = found.media(0).unwrap().ignored;
        assert_eq!(first.len(), 99);
        assert!(found.iter().all(|m| std::ptr::eq(m.ignored, first)));
    }
}
