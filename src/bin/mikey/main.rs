//! `mikey`: a command-line tool for MIKEY messages (DESIGN.md §6).
//!
//! `mikey decode [--json] [--psk HEX [--rand HEX]] <message>`, and one step of a PSK or
//! NULL-mode exchange per run: `mikey initiate`, `mikey respond`, `mikey complete`.
//! Messages are bounded (`--max-size`, default 65536 bytes) and decoded as a stream.

mod args;
mod decode;
mod describe;
mod exchange;
mod input;
mod report;
mod tree;

use std::process::ExitCode;

const USAGE: &str = "\
usage: mikey decode [--json] [--psk HEX [--rand HEX]] [LIMITS] <MESSAGE>
       mikey initiate --mode psk|null [--psk HEX] [OPTIONS] [--json]
       mikey respond --mode psk|null [--psk HEX] [OPTIONS] [--json] <I_MESSAGE>
       mikey complete --mode psk|null [--psk HEX] --sent <I_MESSAGE> [--json] <REPLY>
       mikey --version

A MESSAGE is hex, base64, an SDP a=key-mgmt line (or an SDP file), an RTSP KeyMgmt
header (or request file), a binary file, or - for standard input.
--json prints a stable machine-readable form.
  --max-size BYTES           decode/respond/complete: the longest message accepted
                             (default 65536; 1024 to 16777216); longer input is refused
                             unread
  --max-payloads N           decode: the most payloads shown per chain (default 512,
                             the library's bound; --psk opens only messages within it)

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
        Some("decode") => decode::decode(&args[1..]),
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
