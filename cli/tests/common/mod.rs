//! What the CLI tests share: running the `mikey` binary built for them.
#![allow(dead_code)] // each test file uses some of these

use serde_json::Value;
use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs `mikey` with `args`.
pub fn mikey(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mikey"))
        .args(args)
        .output()
        .unwrap()
}

/// Runs `mikey` with `args` and `stdin` (or an empty standard input) on its standard input.
pub fn mikey_stdin(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mikey"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(data) = stdin {
        input.write_all(data).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

/// Runs with `--json`, returns the exit code, the JSON document and standard error.
pub fn mikey_json(args: &[&str]) -> (i32, Value, String) {
    let mut all = args.to_vec();
    all.push("--json");
    let out = mikey(&all);
    let stderr = String::from_utf8(out.stderr).unwrap();
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: no JSON ({e}); stderr: {stderr}"));
    (out.status.code().unwrap(), json, stderr)
}
