//! Reads a MIKEY message from what a person pastes or points at: hex, base64, an SDP
//! `a=key-mgmt` line (or a whole SDP), an RTSP `KeyMgmt` header (or request), a binary
//! file, or `-` for standard input.

use mikey::sdp;
use std::io::Read;

/// Returns the message bytes named by `arg`.
pub fn read_message(arg: &str) -> Result<Vec<u8>, String> {
    let raw = if arg == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        buf
    } else if std::path::Path::new(arg).is_file() {
        std::fs::read(arg).map_err(|e| format!("cannot read {arg}: {e}"))?
    } else {
        arg.as_bytes().to_vec()
    };
    match std::str::from_utf8(&raw) {
        Ok(text) if raw.first().is_none_or(|b| *b != 1) => from_text(text),
        _ => Ok(raw),
    }
}

fn from_text(text: &str) -> Result<Vec<u8>, String> {
    let t = text.trim();
    let lines: Vec<&str> = text.lines().collect();
    if let Some(start) = lines
        .iter()
        .position(|l| l.trim_start().starts_with("a=key-mgmt:"))
    {
        return sdp::parse_sdp_attribute(&unfold(&lines, start)).map_err(|e| e.to_string());
    }
    if let Some(start) = lines
        .iter()
        .position(|l| l.trim_start().to_ascii_lowercase().starts_with("keymgmt:"))
    {
        return sdp::parse_key_mgmt(&unfold(&lines, start)).map_err(|e| e.to_string());
    }
    if t.starts_with("key-mgmt:") || t.to_ascii_lowercase().starts_with("prot=") {
        return sdp::parse_key_mgmt(t).map_err(|e| e.to_string());
    }
    let compact: String = t.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    if !compact.is_empty()
        && compact.len() % 2 == 0
        && compact.chars().all(|c| c.is_ascii_hexdigit())
    {
        return hex::decode(&compact).map_err(|e| format!("invalid hex: {e}"));
    }
    sdp::decode_base64(&compact).map_err(|_| {
        "input is neither hex, base64, an a=key-mgmt line, a KeyMgmt header nor a readable file"
            .to_string()
    })
}

/// Line `start` of `lines` joined with its folded continuation lines: the lines after it
/// that are indented deeper than it (a line folded after CRLF or LF starts with a space or
/// a tab). A deeper indent rather than any indent keeps the next attribute of an SDP pasted
/// with a uniform indent out of this one.
fn unfold(lines: &[&str], start: usize) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_attribute_is_joined_and_stops_at_the_next_line() {
        // [1, 2, 3, 4, 5] folded after CRLF and after LF, then another attribute.
        let sdp = "m=audio 49000 RTP/SAVP 98\r\na=key-mgmt:mikey AQ\r\n ID\n\tBAU=\r\na=rtpmap:98";
        assert_eq!(from_text(sdp).unwrap(), [1, 2, 3, 4, 5]);
        // Pasted with a uniform indent: the next attribute is not a continuation.
        let indented = "  a=key-mgmt:mikey AQID\n     BAU=\n  a=rtpmap:98 AMR/8000";
        assert_eq!(from_text(indented).unwrap(), [1, 2, 3, 4, 5]);
    }
}
