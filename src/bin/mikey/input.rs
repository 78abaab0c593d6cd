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
    if let Some(line) = t
        .lines()
        .find(|l| l.trim_start().starts_with("a=key-mgmt:"))
    {
        return sdp::parse_sdp_attribute(line).map_err(|e| e.to_string());
    }
    if let Some(start) = t
        .lines()
        .position(|l| l.to_ascii_lowercase().starts_with("keymgmt:"))
    {
        // The header and its folded continuation lines (which start with white space).
        let lines: Vec<&str> = t.lines().collect();
        let mut header = lines[start].to_string();
        for l in &lines[start + 1..] {
            if !l.starts_with([' ', '\t']) {
                break;
            }
            header.push_str(l);
        }
        return sdp::parse_key_mgmt(&header).map_err(|e| e.to_string());
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
