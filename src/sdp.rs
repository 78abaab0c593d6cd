//! RFC 4567 carriage of MIKEY messages: the SDP attribute `a=key-mgmt:mikey <base64>`
//! (§3.1), per media section with the media level over the session level
//! ([`media_key_mgmt`]), and the RTSP `KeyMgmt` header (§3.2). Lenient in, strict out:
//! reading accepts line wrapping, missing padding, extra spaces and any header-name case
//! (messages are pasted from mail and print, as RFC 4567's own examples are wrapped);
//! writing gives one line with padded standard base64 (RFC 4566 §9).

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
}

impl fmt::Display for KeyMgmtError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyMgmtError::Base64 => f.write_str("invalid base64 in key management data"),
            KeyMgmtError::Syntax(what) => write!(f, "malformed key-mgmt text: {what}"),
            KeyMgmtError::NotMikey(p) => {
                write!(f, "key management protocol is {p:?}, not \"mikey\"")
            }
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
/// `KeyMgmt` header (the first `prot=mikey` spec), or bare base64.
pub fn parse_key_mgmt(text: &str) -> Result<Vec<u8>, KeyMgmtError> {
    let t = text.trim();
    if t.starts_with("a=") || t.starts_with("key-mgmt:") {
        return parse_sdp_attribute(t);
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
/// (RFC 4567 §3.1), as [`media_key_mgmt`] finds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MediaKeyMgmt {
    /// The section's `m=` line; `None` for a description without `m=` lines, where only
    /// the session level exists.
    pub media: Option<SdpLine>,
    /// The `a=key-mgmt:mikey` attribute that applies: the first one of the media section,
    /// else the first one of the session level; `None` when neither level has one.
    pub attribute: Option<SdpLine>,
    /// The level `attribute` was written at.
    pub level: KeyMgmtLevel,
    /// Further `a=key-mgmt:mikey` attributes at the same level as `attribute`, which do
    /// not apply. RFC 4567 §4.1 lists several key-mgmt attributes of one level as
    /// alternative protocols in order of preference, so a second MIKEY one at the same
    /// level is a mistake of the sender: reported here, not silently dropped.
    pub ignored: Vec<SdpLine>,
}

/// Line `start` of `lines` joined with its folded continuation lines: the lines after it
/// that are indented deeper than it (a line folded after CRLF or LF starts with a space or
/// a tab). A deeper indent rather than any indent keeps the next attribute of an SDP pasted
/// with a uniform indent out of this one. SDP itself has no folding (RFC 4566 §5); this
/// reads text that was wrapped for mail or print, as RFC 4567's own examples are.
pub fn unfold_line(lines: &[&str], start: usize) -> String {
    let indent = |l: &str| l.len() - l.trim_start_matches([' ', '\t']).len();
    let depth = indent(lines[start]);
    let mut joined = lines[start].to_string();
    for l in &lines[start + 1..] {
        if indent(l) <= depth || l.trim().is_empty() {
            break;
        }
        joined.push_str(l);
    }
    joined
}

/// Whether `line` is an `a=key-mgmt` attribute naming MIKEY (`a=key-mgmt:mikey ...`,
/// RFC 4567 §3.1; the protocol identifier is case-sensitive).
fn is_mikey_attribute(line: &str) -> bool {
    line.trim_start()
        .strip_prefix("a=key-mgmt:")
        .and_then(|v| v.split_ascii_whitespace().next())
        == Some(KMPID_MIKEY)
}

/// For each media section (`m=` line) of the SDP description `sdp`, the MIKEY key-mgmt
/// attribute that applies to it (RFC 4567 §3.1): the media-level one if the section has
/// one, else the session-level one. A description without `m=` lines gives one entry for
/// the session level. Attributes of other key management protocols are not MIKEY's and
/// are passed over. Lines may end in CRLF or LF and may be folded (see [`unfold_line`]).
pub fn media_key_mgmt(sdp: &str) -> Vec<MediaKeyMgmt> {
    let lines: Vec<&str> = sdp.lines().collect();
    let line = |i: usize| SdpLine {
        number: i + 1,
        text: unfold_line(&lines, i),
    };
    let mut session: Vec<SdpLine> = Vec::new();
    // Each media section: its m= line and its MIKEY attributes.
    let mut media: Vec<(SdpLine, Vec<SdpLine>)> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim_start();
        if t.starts_with("m=") {
            media.push((line(i), Vec::new()));
        } else if is_mikey_attribute(t) {
            match media.last_mut() {
                Some((_, attributes)) => attributes.push(line(i)),
                None => session.push(line(i)),
            }
        }
    }
    let choose = |media: Option<SdpLine>, own: Vec<SdpLine>| {
        let (level, mut found) = if own.is_empty() {
            (KeyMgmtLevel::Session, session.clone())
        } else {
            (KeyMgmtLevel::Media, own)
        };
        let attribute = (!found.is_empty()).then(|| found.remove(0));
        MediaKeyMgmt {
            media,
            attribute,
            level,
            ignored: found,
        }
    };
    if media.is_empty() {
        return vec![choose(None, Vec::new())];
    }
    media
        .into_iter()
        .map(|(m, own)| choose(Some(m), own))
        .collect()
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
        let found = media_key_mgmt(SESSION_AND_MEDIA);
        assert_eq!(found.len(), 3);
        let media: Vec<&str> = found
            .iter()
            .map(|f| f.media.as_ref().unwrap().text.as_str())
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
            let a = f.attribute.as_ref().unwrap();
            assert_eq!((a.number, a.text.as_str()), (4, "a=key-mgmt:mikey AQID"));
            assert!(f.ignored.is_empty());
        }
        // video: its first MIKEY attribute (keyp1 is another protocol); the second MIKEY
        // one, folded over two lines, is reported as not applying.
        let video = &found[1];
        assert_eq!(video.level, KeyMgmtLevel::Media);
        let a = video.attribute.as_ref().unwrap();
        assert_eq!(a.number, 10);
        assert_eq!(parse_sdp_attribute(&a.text).unwrap(), [4, 5]);
        assert_eq!(video.ignored.len(), 1);
        assert_eq!(video.ignored[0].number, 11);
        assert_eq!(
            parse_sdp_attribute(&video.ignored[0].text).unwrap(),
            [6, 7, 8]
        );
    }

    #[test]
    fn session_level_only_and_no_attribute() {
        let only = media_key_mgmt("v=0\na=key-mgmt:mikey AQID\na=key-mgmt:mikey BAU=\n");
        assert_eq!(only.len(), 1);
        assert_eq!(only[0].media, None);
        assert_eq!(only[0].level, KeyMgmtLevel::Session);
        assert_eq!(only[0].attribute.as_ref().unwrap().number, 2);
        assert_eq!(only[0].ignored.len(), 1);

        let none = media_key_mgmt("v=0\nm=audio 49000 RTP/AVP 0\na=key-mgmt:keyp1 AAAA\n");
        assert_eq!(none.len(), 1);
        assert!(none[0].attribute.is_none());
        assert!(
            media_key_mgmt("root:x:0:0:root:/root:/bin/bash\n")[0]
                .attribute
                .is_none()
        );
    }

    #[test]
    fn folded_attribute_is_joined_and_stops_at_the_next_line() {
        let lines = [
            "  a=key-mgmt:mikey AQID",
            "     BAU=",
            "  a=rtpmap:98 AMR/8000",
        ];
        assert_eq!(unfold_line(&lines, 0), "  a=key-mgmt:mikey AQID     BAU=");
        let found = media_key_mgmt(
            "m=audio 49000 RTP/SAVP 98\r\na=key-mgmt:mikey AQ\r\n ID\n\tBAU=\r\na=rtpmap:98",
        );
        let a = found[0].attribute.as_ref().unwrap();
        assert_eq!(parse_sdp_attribute(&a.text).unwrap(), [1, 2, 3, 4, 5]);
    }
}
