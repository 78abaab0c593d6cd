//! `mikey decode`: the message as an indented tree or as `--json`, written payload by
//! payload as it is read, so memory stays a small multiple of the message whatever its
//! payload count. The message is walked twice, both times without collecting its
//! payloads: once to check that it parses (so a malformed message prints only its
//! error), then to print it.

use crate::describe;
use crate::input;
use crate::tree::{Node, write_hex};
use mikey::exchange::Error;
use mikey::session::CarriedKey;
use mikey::wire::{
    DEFAULT_MAX_PAYLOADS, KeyValidity, Limits, MacAlg, Message, ParseError, Payload,
};
use mikey_cli::args::Decode;
use serde_json::json;
use std::io::{self, Write};
use std::process::ExitCode;

type Opened = Result<Vec<CarriedKey>, Error>;

/// `mikey decode [--json] [--psk HEX [--rand HEX]] [--max-size BYTES] [--max-payloads N]`.
/// An SDP whose media are keyed by several key-mgmt attributes gives each message, after
/// a line naming its attribute and media (in `--json`, a `messages` array).
pub fn decode(a: &Decode) -> ExitCode {
    let limits = Limits {
        max_message_size: a.max_size.bytes,
        max_payloads: a.max_payloads,
    };
    let messages = match input::read_messages(&a.message, limits.max_message_size) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("mikey: {e}");
            return ExitCode::from(1);
        }
    };
    if let [one] = messages.as_slice()
        && one.source.is_none()
    {
        let mut out = io::BufWriter::new(io::stdout().lock());
        return decode_one(a, &one.bytes, &limits, &mut out);
    }
    let mut failed = false;
    let mut decoded = Vec::new();
    for m in &messages {
        let label = m.source.as_ref().map(input::KeyMgmtSource::label);
        let code = if a.json {
            let mut buffer = Vec::new();
            let code = decode_one(a, &m.bytes, &limits, &mut buffer);
            let value: serde_json::Value =
                serde_json::from_slice(&buffer).unwrap_or(serde_json::Value::Null);
            decoded.push(match &m.source {
                Some(s) => json!({
                    "key_mgmt_line": s.line,
                    "level": s.level,
                    "media": s.media,
                    "message": value,
                }),
                None => json!({ "message": value }),
            });
            code
        } else {
            let mut out = io::BufWriter::new(io::stdout().lock());
            if let Some(label) = &label {
                let header = writeln!(out, "== {label}").and_then(|()| out.flush());
                if let Err(e) = header {
                    eprintln!("mikey: cannot write the output: {e}");
                    return ExitCode::from(1);
                }
            }
            decode_one(a, &m.bytes, &limits, &mut out)
        };
        failed |= code != ExitCode::SUCCESS;
    }
    if a.json {
        let mut out = io::BufWriter::new(io::stdout().lock());
        let doc = json!({ "messages": decoded });
        if let Err(code) = print_with(&mut out, |w| {
            writeln!(
                w,
                "{}",
                serde_json::to_string_pretty(&doc).unwrap_or_default()
            )
        }) {
            return code;
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Decodes one message onto `out`; exit status 0, or 1 if it does not parse or open.
fn decode_one(a: &Decode, bytes: &[u8], limits: &Limits, out: &mut dyn Write) -> ExitCode {
    let json = a.json;
    let limits = *limits;
    let null_mac = match check(bytes, &limits) {
        Ok(null_mac) => null_mac,
        Err(e) => {
            let printed = if json {
                print_with(out, |w| error_json(w, bytes, &e))
            } else {
                Ok(())
            };
            eprintln!("mikey: parse error {e}");
            return printed.map_or_else(|e| e, |()| ExitCode::from(1));
        }
    };
    // Opening the KEMAC parses the whole message: within the library's payload bound.
    let open_limits = Limits {
        max_payloads: DEFAULT_MAX_PAYLOADS,
        ..limits
    };
    let opened = a.psk.as_ref().map(|psk| {
        mikey::exchange::open_i_message(
            Some(psk.as_slice()),
            bytes,
            a.rand.as_ref().map(|r| r.as_slice()),
            &open_limits,
        )
    });
    let opened = opened.as_ref();
    let printed = print_with(out, |w| {
        if json {
            message_json(w, bytes, &limits, opened, null_mac)
        } else {
            message_text(w, bytes, &limits, opened, null_mac)
        }
    });
    if let Err(code) = printed {
        return code;
    }
    match opened {
        Some(Err(Error::UnexpectedMessage(t))) => {
            eprintln!(
                "mikey: --psk opens the KEMAC of a PSK or NULL-mode I_MESSAGE, not a message \
                 of data type {t} (`mikey complete` verifies a verification message)"
            );
            ExitCode::from(1)
        }
        Some(Err(e)) => {
            eprintln!("mikey: the KEMAC does not open with this PSK: {e}");
            ExitCode::from(1)
        }
        _ => ExitCode::SUCCESS,
    }
}

/// Walks the whole message without keeping its payloads: its first parse error, or
/// whether a KEMAC has the NULL MAC.
fn check(bytes: &[u8], limits: &Limits) -> Result<bool, ParseError> {
    let (_, _, walk) = Message::walk(bytes, limits)?;
    let mut null_mac = false;
    for item in walk {
        null_mac |= matches!(item?.payload, Payload::Kemac(k) if k.mac_alg == MacAlg::Null);
    }
    Ok(null_mac)
}

/// Runs `write` on `out` and flushes it; a write error (e.g. a closed pipe) is reported
/// and gives exit status 1.
fn print_with(
    out: &mut dyn Write,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), ExitCode> {
    write(out).and_then(|()| out.flush()).map_err(|e| {
        eprintln!("mikey: cannot write the output: {e}");
        ExitCode::from(1)
    })
}

/// `value` pretty-printed as a member `depth` levels deep in a pretty-printed document
/// (serde_json's two-space indentation; JSON strings hold no raw line breaks).
fn nested(value: &serde_json::Value, depth: usize) -> String {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.replace('\n', &format!("\n{}", "  ".repeat(depth)))
}

/// The text form: a title line, then each node, then the `--psk` result.
fn message_text(
    w: &mut dyn Write,
    bytes: &[u8],
    limits: &Limits,
    opened: Option<&Opened>,
    null_mac: bool,
) -> io::Result<()> {
    writeln!(w, "MIKEY message, {} bytes", bytes.len())?;
    for_each_node(bytes, limits, |node| node.write_text(w, 0))?;
    if let Some(opened) = opened {
        w.write_all(kemac_text(opened, null_mac).as_bytes())?;
    }
    Ok(())
}

/// The `--json` form, member by member in the order serde_json sorts them: `hex`,
/// `kemac` (with `--psk`), `length`, `payloads`, `status`.
fn message_json(
    w: &mut dyn Write,
    bytes: &[u8],
    limits: &Limits,
    opened: Option<&Opened>,
    null_mac: bool,
) -> io::Result<()> {
    w.write_all(b"{\n  \"hex\": \"")?;
    write_hex(w, bytes)?;
    w.write_all(b"\",\n")?;
    if let Some(opened) = opened {
        writeln!(
            w,
            "  \"kemac\": {},",
            nested(&kemac_json(opened, null_mac), 1)
        )?;
    }
    write!(w, "  \"length\": {},\n  \"payloads\": [", bytes.len())?;
    let mut first = true;
    for_each_node(bytes, limits, |node| {
        let separator = if first { "\n" } else { ",\n" };
        first = false;
        write!(w, "{separator}    ")?;
        node.write_json(w, 2)
    })?;
    w.write_all(b"\n  ],\n  \"status\": \"ok\"\n}\n")
}

/// The `--json` form of a message that does not parse.
fn error_json(w: &mut dyn Write, bytes: &[u8], e: &ParseError) -> io::Result<()> {
    let error = json!({ "offset": e.offset, "message": e.to_string() });
    writeln!(w, "{{\n  \"error\": {},", nested(&error, 1))?;
    w.write_all(b"  \"hex\": \"")?;
    write_hex(w, bytes)?;
    write!(
        w,
        "\",\n  \"length\": {},\n  \"status\": \"error\"\n}}\n",
        bytes.len()
    )
}

/// Calls `f` with the header node, then with each payload's node, one at a time. The
/// message has been checked, so it parses.
fn for_each_node(
    bytes: &[u8],
    limits: &Limits,
    mut f: impl FnMut(&Node<'_>) -> io::Result<()>,
) -> io::Result<()> {
    let checked = |e: ParseError| io::Error::other(format!("parse error {e}"));
    let (header, range, walk) = Message::walk(bytes, limits).map_err(checked)?;
    f(&describe::header(&header, walk.next_type(), range))?;
    for item in walk {
        let item = item.map_err(checked)?;
        f(&describe::payload_node(
            &item.payload,
            item.next,
            Some(item.range),
        ))?;
    }
    Ok(())
}

fn kv_text(kv: &KeyValidity<'_>) -> String {
    match kv {
        KeyValidity::Null => "none".to_string(),
        KeyValidity::Spi(spi) => format!("SPI/MKI {}", hex::encode(spi)),
        KeyValidity::Interval { from, to } => {
            format!("interval {} to {}", hex::encode(from), hex::encode(to))
        }
    }
}

/// The `--psk` result as text: the MAC verdict and each decrypted Key data.
fn kemac_text(opened: &Opened, null_mac: bool) -> String {
    match opened {
        Err(e) => format!("KEMAC with --psk: does not open: {e}\n"),
        Ok(keys) => {
            let verdict = if null_mac {
                "NULL MAC (nothing verified: NULL mode is unauthenticated)"
            } else {
                "MAC verified"
            };
            let mut out = format!("KEMAC with --psk: {verdict}, {} key(s)\n", keys.len());
            for (i, k) in keys.iter().enumerate() {
                out += &format!(
                    "  Key data {}: {}, key {}",
                    i + 1,
                    k.kind,
                    hex::encode(&k.key)
                );
                if let Some(salt) = &k.salt {
                    out += &format!(", salt {}", hex::encode(salt));
                }
                out += &format!(", key validity {}\n", kv_text(&k.kv));
            }
            out
        }
    }
}

/// The `--psk` result in `--json`: `{"mac": "verified" (or "null"), "keys": [...]}`, or
/// `{"mac": "failed", "error": ...}`.
fn kemac_json(opened: &Opened, null_mac: bool) -> serde_json::Value {
    match opened {
        Err(e) => json!({ "mac": "failed", "error": e.to_string() }),
        Ok(keys) => json!({
            "mac": if null_mac { "null" } else { "verified" },
            "keys": keys.iter().map(|k| json!({
                "type": k.kind.to_string(),
                "type_value": k.kind.value(),
                "key": hex::encode(&k.key),
                "salt": k.salt.as_ref().map(hex::encode),
                "key_validity": kv_text(&k.kv),
            })).collect::<Vec<_>>(),
        }),
    }
}
