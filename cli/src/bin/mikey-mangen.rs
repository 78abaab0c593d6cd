//! `mikey-mangen DIR`: writes the man pages of `mikey` (`mikey.1` and `mikey-<subcommand>.1`)
//! into DIR, generated from the clap declaration of the command line.

use clap::CommandFactory;
use mikey_cli::args::Cli;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let (Some(dir), None) = (args.next(), args.next()) else {
        eprintln!("usage: mikey-mangen DIR");
        return ExitCode::from(2);
    };
    let dir = PathBuf::from(dir);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("mikey-mangen: cannot create {}: {e}", dir.display());
        return ExitCode::from(1);
    }
    match clap_mangen::generate_to(Cli::command(), &dir) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mikey-mangen: cannot write into {}: {e}", dir.display());
            ExitCode::from(1)
        }
    }
}
