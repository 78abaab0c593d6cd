//! `mikey`: a command-line tool for MIKEY messages (DESIGN.md §6).
//!
//! `mikey decode [--json] [--psk HEX [--rand HEX]] <message>`, and one step of a PSK or
//! NULL-mode exchange per run: `mikey initiate`, `mikey respond`, `mikey complete`.

mod args;
mod describe;
mod exchange;
mod input;
mod report;
mod tree;

use args::Args;
use mikey::session::CarriedKey;
use mikey::wire::{KeyValidity, MacAlg, Message, Payload};
use serde_json::json;
use std::process::ExitCode;

const USAGE: &str = "\
usage: mikey decode [--json] [--psk HEX [--rand HEX]] <MESSAGE>
       mikey initiate --mode psk|null [--psk HEX] [OPTIONS] [--json]
       mikey respond --mode psk|null [--psk HEX] [OPTIONS] [--json] <I_MESSAGE>
       mikey complete --mode psk|null [--psk HEX] --sent <I_MESSAGE> [--json] <REPLY>
       mikey --version

A MESSAGE is hex, base64, an SDP a=key-mgmt line (or an SDP file), an RTSP KeyMgmt
header (or request file), a binary file, or - for standard input.
--json prints a stable machine-readable form.

decode --psk verifies the MAC of an I_MESSAGE and decrypts its KEMAC (--rand gives the
RAND an update message lacks).

initiate prints the I_MESSAGE and the Initiator's SRTP keys; respond prints the
verification message (or the Error message) to send back and the Responder's keys;
complete checks the answer to the I_MESSAGE given by --sent.
  --mode psk|null            NULL mode: no encryption, no MAC (insecure; explicit only)
  --psk HEX                  the pre-shared key (PSK mode)
  --encr NAME, --mac NAME    KEMAC algorithms: AES-CM-128, AES-KW-128, AES-CM-256;
                             HMAC-SHA-1-160, HMAC-SHA-256-256
  --prf NAME                 MIKEY-1 or PRF-HMAC-SHA-256
  --id URI, --peer-id URI    this side's and the peer's identity (ID payloads)
  --profile NAME             initiate: a policy to offer (repeatable, policy no. in order);
                             respond: a profile to accept (repeatable, in preference order)
                             e.g. AES_CM_128_HMAC_SHA1_80, AES_CM_128_HMAC_SHA1_32
  --ssrc SSRC[:ROC[:POLICY]] initiate: a stream to key (repeatable; default one, SSRC 0)
  --transport tgk|tek-salt|tek, --mki-len N, --no-verify      initiate only
  --csb N, --rand HEX, --t NTP, --tgk HEX   initiate: fixed inputs for tests
  --now NTP                  respond/complete: check timestamps against this time

Exit status: 0 on success, 1 if a message does not parse, verify or process (an
Error message to send back is still printed), 2 on usage errors.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("decode") => decode(&args[1..]),
        Some("initiate") => exchange::initiate(&args[1..]),
        Some("respond") => exchange::respond(&args[1..]),
        Some("complete") => exchange::complete(&args[1..]),
        Some("--version" | "-V") => {
            println!("mikey {}", mikey::VERSION);
            ExitCode::SUCCESS
        }
        Some("--help" | "-h" | "help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => usage_error("expected a command"),
    }
}

/// Prints `why` and the usage; exit status 2.
fn usage_error(why: &str) -> ExitCode {
    eprintln!("mikey: {why}\n{USAGE}");
    ExitCode::from(2)
}

fn decode(args: &[String]) -> ExitCode {
    let a = match Args::parse(args, &["--psk", "--rand"], &["--json"]) {
        Ok(a) => a,
        Err(e) => return usage_error(&e),
    };
    let json = a.flag("--json");
    let input = match a.positional.as_slice() {
        [i] => i.clone(),
        [] => return usage_error("decode needs an input"),
        _ => return usage_error("more than one input given"),
    };
    let (psk, rand) = match (a.hex("--psk"), a.hex("--rand")) {
        (Ok(p), Ok(r)) => (p, r),
        (Err(e), _) | (_, Err(e)) => return usage_error(&e),
    };
    if rand.is_some() && psk.is_none() {
        return usage_error("--rand needs --psk");
    }
    let bytes = match input::read_message(&input) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("mikey: {e}");
            return ExitCode::from(1);
        }
    };
    match Message::parse_with_layout(&bytes) {
        Ok((message, layout)) => {
            let nodes = describe::describe(&message, &layout);
            let null_mac = message
                .payloads
                .iter()
                .any(|p| matches!(p, Payload::Kemac(k) if k.mac_alg == MacAlg::Null));
            let opened =
                psk.map(|psk| mikey::exchange::open_i_message(Some(&psk), &bytes, rand.as_deref()));
            if json {
                let mut out = json!({
                    "status": "ok",
                    "length": bytes.len(),
                    "hex": hex::encode(&bytes),
                    "payloads": nodes.iter().map(tree::Node::to_json).collect::<Vec<_>>(),
                });
                if let Some(opened) = &opened {
                    out["kemac"] = kemac_json(opened, null_mac);
                }
                println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
            } else {
                let mut out = format!("MIKEY message, {} bytes\n", bytes.len());
                for n in &nodes {
                    n.to_text(&mut out, 0);
                }
                if let Some(opened) = &opened {
                    out += &kemac_text(opened, null_mac);
                }
                print!("{out}");
            }
            match opened {
                Some(Err(mikey::exchange::Error::UnexpectedMessage(t))) => {
                    eprintln!(
                        "mikey: --psk opens the KEMAC of a PSK or NULL-mode I_MESSAGE, not a \
                         message of data type {t} (`mikey complete` verifies a verification \
                         message)"
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
        Err(e) => {
            if json {
                let out = json!({
                    "status": "error",
                    "length": bytes.len(),
                    "hex": hex::encode(&bytes),
                    "error": { "offset": e.offset, "message": e.to_string() },
                });
                println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
            }
            eprintln!("mikey: parse error {e}");
            ExitCode::from(1)
        }
    }
}

type Opened = Result<Vec<CarriedKey>, mikey::exchange::Error>;

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
