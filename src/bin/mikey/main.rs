//! `mikey`: a command-line tool for MIKEY messages (DESIGN.md §6).
//!
//! `mikey decode [--json] <hex|base64|file|-|"a=key-mgmt:mikey ..."|"KeyMgmt: ...">`

mod describe;
mod input;
mod tree;

use mikey::wire::Message;
use serde_json::json;
use std::process::ExitCode;

const USAGE: &str = "\
usage: mikey decode [--json] <INPUT>
       mikey --version

INPUT is a MIKEY message as hex, base64, an SDP a=key-mgmt line (or an SDP file),
an RTSP KeyMgmt header (or request file), a binary file, or - for standard input.
--json prints a stable machine-readable form.

Exit status: 0 on success, 1 if the message does not parse, 2 on usage errors.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("decode") => decode(&args[1..]),
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

fn usage_error(why: &str) -> ExitCode {
    eprintln!("mikey: {why}\n{USAGE}");
    ExitCode::from(2)
}

fn decode(args: &[String]) -> ExitCode {
    let mut json = false;
    let mut input = None;
    for a in args {
        match a.as_str() {
            "--json" => json = true,
            "-" => input = Some(a.clone()),
            s if s.starts_with("--") => return usage_error(&format!("unknown option {s}")),
            _ if input.is_some() => return usage_error("more than one input given"),
            _ => input = Some(a.clone()),
        }
    }
    let Some(input) = input else {
        return usage_error("decode needs an input");
    };
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
            if json {
                let out = json!({
                    "status": "ok",
                    "length": bytes.len(),
                    "hex": hex::encode(&bytes),
                    "payloads": nodes.iter().map(tree::Node::to_json).collect::<Vec<_>>(),
                });
                println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
            } else {
                let mut out = format!("MIKEY message, {} bytes\n", bytes.len());
                for n in &nodes {
                    n.to_text(&mut out, 0);
                }
                print!("{out}");
            }
            ExitCode::SUCCESS
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
