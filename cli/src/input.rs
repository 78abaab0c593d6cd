//! Reads a MIKEY message from what a person pastes or points at: hex, base64, an SDP
//! `a=key-mgmt` line (or a whole SDP), an RTSP `KeyMgmt` header (or request), a binary
//! file, or `-` for standard input. Reading is bounded: a message may be at most
//! `--max-size` bytes (default 65536), and no more input is read than its longest text
//! form needs.

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

/// Returns the message bytes named by `arg`: at most `max_size` bytes.
pub fn read_message(arg: &str, max_size: usize) -> Result<Vec<u8>, String> {
    let max_input = max_input_len(max_size);
    let raw = if arg == "-" {
        read_bounded(std::io::stdin().lock(), max_input, "standard input")?
    } else if std::path::Path::new(arg).is_file() {
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
    let bytes = match std::str::from_utf8(&raw) {
        Ok(text) if raw.first().is_none_or(|b| *b != 1) => from_text(text)?,
        _ => raw,
    };
    if bytes.len() > max_size {
        return Err(format!(
            "the message is {} bytes, more than the limit of {max_size} bytes (raise it \
             with --max-size BYTES)",
            bytes.len()
        ));
    }
    Ok(bytes)
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
