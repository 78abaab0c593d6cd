//! `mikey`: a command-line tool for MIKEY messages (RFC 3830).
//!
//! `mikey decode [--json] [--psk HEX | --key FILE] [--rand HEX] <message>`, one step
//! of a PSK, PK or NULL-mode exchange per run: `mikey initiate`, `mikey respond`,
//! `mikey complete`; and a message into and out of SDP and RTSP: `mikey sdp wrap|unwrap`,
//! `mikey rtsp wrap|unwrap`.
//! Messages are bounded (`--max-size`, default 65536 bytes) and decoded as a stream. The
//! command line is declared in [`mikey_cli::args`].

mod carriage;
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
use mikey_cli::args::{Cli, Command, RtspCommand, SdpCommand};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let args: Vec<String> = std::env::args().skip(1).collect();
            // No subcommand (of mikey, or of mikey sdp or rtsp): the usage line and the
            // commands, not the whole help.
            if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                let mut cmd = named_command(&args);
                let names: Vec<&str> = cmd
                    .get_subcommands()
                    .map(clap::Command::get_name)
                    .filter(|name| *name != "help")
                    .collect();
                let list = match names.split_last() {
                    Some((last, [])) => last.to_string(),
                    Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
                    None => String::new(),
                };
                let e = cmd.error(
                    ErrorKind::MissingSubcommand,
                    format!("expected a command: {list}"),
                );
                return print_clap(&e, &args);
            }
            return print_clap(&e, &args);
        }
    };
    match cli.command {
        Command::Decode(a) => decode::decode(&a),
        Command::Initiate(a) => exchange::initiate(&a),
        Command::Respond(a) => exchange::respond(&a),
        Command::Complete(a) => exchange::complete(&a),
        Command::Sdp(s) => match s.command {
            SdpCommand::Wrap(a) => carriage::sdp_wrap(&a),
            SdpCommand::Unwrap(a) => carriage::sdp_unwrap(&a),
        },
        Command::Rtsp(r) => match r.command {
            RtspCommand::Wrap(a) => carriage::rtsp_wrap(&a),
            RtspCommand::Unwrap(a) => carriage::rtsp_unwrap(&a),
        },
    }
}

/// Prints clap's message (help and version on standard output, errors with the usage line
/// of the (sub)subcommand the leading `args` name, if any, on standard error) and returns
/// its exit status: 0, or 2 for a usage error.
fn print_clap(e: &clap::Error, args: &[String]) -> ExitCode {
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
        let usage = named_command(args).render_usage();
        let more = "\nFor more information";
        text = match text.find(more) {
            Some(at) => format!("{}\n{usage}\n{}", &text[..at], &text[at..]),
            None => format!("{text}\n{usage}\n"),
        };
    }
    eprint!("{text}");
    code
}

/// The command that the leading `args` name: `mikey`, a subcommand, or a subcommand of one
/// (`mikey sdp unwrap`).
fn named_command(args: &[String]) -> clap::Command {
    let mut cmd = mikey_cli::args::command();
    for name in args {
        match cmd.find_subcommand(name) {
            Some(next) => cmd = next.clone(),
            None => break,
        }
    }
    cmd
}

/// A usage error of `subcommand` found after parsing: the message and the usage line on
/// standard error; exit status 2.
fn usage_error(subcommand: &str, why: impl std::fmt::Display) -> ExitCode {
    print_clap(&mikey_cli::args::usage_error(subcommand, why), &[])
}
