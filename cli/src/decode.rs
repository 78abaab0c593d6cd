//! `mikey decode`: the message as an indented tree or as `--json`, written payload by
//! payload as it is read, so memory stays a small multiple of the message whatever its
//! payload count. The message is walked twice, both times without collecting its
//! payloads: once to check that it parses (so a malformed message prints only its
//! error), then to print it. With `--psk` or `--key` it also opens an I_MESSAGE
//! ([`crate::opened`]).

use crate::describe;
use crate::input;
use crate::keyfiles;
use crate::opened::{KemacAlgs, Opened};
use crate::tree::{Node, write_hex};
use mikey::crypto::rsa::RsaPrivateKey;
use mikey::exchange::Error;
use mikey::wire::{DEFAULT_MAX_PAYLOADS, DataType, Limits, Message, ParseError, Payload};
use mikey_cli::args::{Decode, MaxSize};
use serde_json::json;
use std::io::{self, Write};
use std::process::ExitCode;

/// `mikey decode [--json] [--psk HEX | --key FILE] [--rand HEX] [--max-size BYTES]
/// [--max-payloads N]`. An SDP whose media are keyed by several key-mgmt attributes gives
/// each message, after a line naming its attribute and media (in `--json`, a `messages`
/// array).
pub fn decode(a: &Decode) -> ExitCode {
    let limits = Limits {
        max_message_size: a.max_size.bytes,
        max_payloads: a.max_payloads,
    };
    let key = match a
        .key
        .as_deref()
        .map(|path| keyfiles::read_key("--key", path))
    {
        None => None,
        Some(Ok(key)) => Some(key),
        Some(Err(e)) => {
            eprintln!("mikey: {e}");
            return ExitCode::from(1);
        }
    };
    let key = key.as_ref();
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
        return decode_one(a, key, &one.bytes, &limits, &mut out);
    }
    let mut failed = false;
    let mut decoded = Vec::new();
    for m in &messages {
        let label = m.source.as_ref().map(input::KeyMgmtSource::label);
        let code = if a.json {
            let mut buffer = Vec::new();
            let code = decode_one(a, key, &m.bytes, &limits, &mut buffer);
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
            decode_one(a, key, &m.bytes, &limits, &mut out)
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

/// Prints the payload tree of `bytes` on standard output, as `mikey decode` without
/// options does (the message is at most `limits.max_message_size` bytes); exit status 0,
/// or 1 if it does not parse (the error on standard error).
pub fn print_tree(bytes: &[u8], limits: &Limits) -> ExitCode {
    let plain = Decode {
        json: false,
        psk: None,
        key: None,
        rand: None,
        max_size: MaxSize {
            bytes: limits.max_message_size,
        },
        max_payloads: limits.max_payloads,
        message: String::new(),
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    decode_one(&plain, None, bytes, limits, &mut out)
}

/// Decodes one message onto `out`, opening it with `--psk` or `key` (`--key`); exit
/// status 0, or 1 if it does not parse or open, or its SIGNi does not verify.
fn decode_one(
    a: &Decode,
    key: Option<&RsaPrivateKey>,
    bytes: &[u8],
    limits: &Limits,
    out: &mut dyn Write,
) -> ExitCode {
    let json = a.json;
    let limits = *limits;
    let kemac = match check(bytes, &limits) {
        Ok(kemac) => kemac,
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
    let rand = a.rand.as_ref().map(|r| r.as_slice());
    let opened = match (&a.psk, key) {
        (Some(psk), _) => Some(Opened::Psk(mikey::exchange::open_i_message(
            Some(psk.as_slice()),
            bytes,
            rand,
            &open_limits,
        ))),
        (None, Some(key)) => Some(Opened::Pk(mikey::exchange::open_pk_i_message(
            key,
            bytes,
            rand,
            &open_limits,
        ))),
        (None, None) => None,
    };
    let opened = opened.as_ref();
    let printed = print_with(out, |w| {
        if json {
            message_json(w, bytes, &limits, opened, kemac)
        } else {
            message_text(w, bytes, &limits, opened, kemac)
        }
    });
    if let Err(code) = printed {
        return code;
    }
    let Some(opened) = opened else {
        return ExitCode::SUCCESS;
    };
    let (option, what) = match opened {
        Opened::Psk(_) => ("--psk", "the KEMAC of a PSK or NULL-mode I_MESSAGE"),
        Opened::Pk(_) => ("--key", "the PKE and KEMAC of a PK I_MESSAGE"),
    };
    match opened.error() {
        Some(Error::UnexpectedMessage(t)) => {
            let hint = match (opened, *t) {
                (Opened::Psk(_), DataType::PublicKey) => " (a PK I_MESSAGE opens with --key)",
                (Opened::Pk(_), DataType::PreShared) => " (a PSK I_MESSAGE opens with --psk)",
                _ => " (`mikey complete` verifies a verification message)",
            };
            eprintln!("mikey: {option} opens {what}, not a message of data type {t}{hint}");
            ExitCode::from(1)
        }
        Some(e) => {
            let with = match opened {
                Opened::Psk(_) => "the KEMAC does not open with this PSK",
                Opened::Pk(_) => "the PKE and KEMAC do not open with this key",
            };
            eprintln!("mikey: {with}: {e}");
            ExitCode::from(1)
        }
        None if opened.signature_failed() => {
            eprintln!("mikey: SIGNi does not verify with the certificate the message encloses");
            ExitCode::from(1)
        }
        None => ExitCode::SUCCESS,
    }
}

/// Walks the whole message without keeping its payloads: its first parse error, or the
/// algorithms of its (first) KEMAC.
fn check(bytes: &[u8], limits: &Limits) -> Result<KemacAlgs, ParseError> {
    let (_, _, walk) = Message::walk(bytes, limits)?;
    let mut kemac = None;
    for item in walk {
        if let Payload::Kemac(k) = item?.payload {
            kemac = kemac.or(Some((k.encr_alg, k.mac_alg)));
        }
    }
    Ok(kemac)
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

/// The text form: a title line, then each node, then the `--psk` or `--key` result.
fn message_text(
    w: &mut dyn Write,
    bytes: &[u8],
    limits: &Limits,
    opened: Option<&Opened>,
    kemac: KemacAlgs,
) -> io::Result<()> {
    writeln!(w, "MIKEY message, {} bytes", bytes.len())?;
    for_each_node(bytes, limits, |node| node.write_text(w, 0))?;
    if let Some(opened) = opened {
        w.write_all(opened.text(kemac).as_bytes())?;
    }
    Ok(())
}

/// The `--json` form, member by member in the order serde_json sorts them: `hex`,
/// `kemac` (with `--psk` or `--key`), `length`, `payloads`, `status`.
fn message_json(
    w: &mut dyn Write,
    bytes: &[u8],
    limits: &Limits,
    opened: Option<&Opened>,
    kemac: KemacAlgs,
) -> io::Result<()> {
    w.write_all(b"{\n  \"hex\": \"")?;
    write_hex(w, bytes)?;
    w.write_all(b"\",\n")?;
    if let Some(opened) = opened {
        writeln!(w, "  \"kemac\": {},", nested(&opened.json(kemac), 1))?;
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
