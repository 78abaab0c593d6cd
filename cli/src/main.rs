//! `mikey`: a command-line tool for MIKEY messages (RFC 3830).
//!
//! `mikey decode [--json] [--psk HEX | --key FILE] [--rand HEX] <message>`, and one step
//! of a PSK, PK or NULL-mode exchange per run: `mikey initiate`, `mikey respond`,
//! `mikey complete`.
//! Messages are bounded (`--max-size`, default 65536 bytes) and decoded as a stream. The
//! command line is declared in [`mikey_cli::args`].

mod decode;
mod describe;
mod exchange;
mod extensions;
mod input;
mod keyfiles;
mod opened;
mod pk;
mod report;
mod tree;

use clap::Parser;
use clap::error::ErrorKind;
use mikey_cli::args::{Cli, Command};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // No subcommand: the usage line, not the whole help.
        Err(e) if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let e = mikey_cli::args::command().error(
                ErrorKind::MissingSubcommand,
                "expected a command: decode, initiate, respond or complete",
            );
            return print_clap(&e, None);
        }
        Err(e) => return print_clap(&e, std::env::args().nth(1).as_deref()),
    };
    match cli.command {
        Command::Decode(a) => decode::decode(&a),
        Command::Initiate(a) => exchange::initiate(&a),
        Command::Respond(a) => exchange::respond(&a),
        Command::Complete(a) => exchange::complete(&a),
    }
}

/// Prints clap's message (help and version on standard output, errors with the usage line
/// of `subcommand`, when it names one, on standard error) and returns its exit status: 0,
/// or 2 for a usage error.
fn print_clap(e: &clap::Error, subcommand: Option<&str>) -> ExitCode {
    let code = ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
    if !e.use_stderr() {
        return if e.print().is_ok() {
            code
        } else {
            ExitCode::from(1)
        };
    }
    // clap leaves the usage line out of some errors (an invalid value): add it.
    let mut text = e.render().to_string();
    if !text.contains("Usage:") {
        let mut cmd = mikey_cli::args::command();
        let sub = subcommand.and_then(|name| cmd.find_subcommand_mut(name));
        let usage = match sub {
            Some(sub) => sub.render_usage(),
            None => cmd.render_usage(),
        };
        let more = "\nFor more information";
        text = match text.find(more) {
            Some(at) => format!("{}\n{usage}\n{}", &text[..at], &text[at..]),
            None => format!("{text}\n{usage}\n"),
        };
    }
    eprint!("{text}");
    code
}

/// A usage error of `subcommand` found after parsing: the message and the usage line on
/// standard error; exit status 2.
fn usage_error(subcommand: &str, why: impl std::fmt::Display) -> ExitCode {
    print_clap(&mikey_cli::args::usage_error(subcommand, why), None)
}
