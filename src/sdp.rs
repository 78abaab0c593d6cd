//! RFC 4567 carriage of MIKEY messages: the SDP attribute `a=key-mgmt:mikey <base64>`
//! (§3.1) and the RTSP `KeyMgmt` header (§3.2). Lenient in, strict out: reading accepts
//! line wrapping, missing padding, extra spaces and any header-name case (DIGEST §7 item
//! 8); writing gives one line with padded standard base64 (RFC 4566 §9).

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
}
