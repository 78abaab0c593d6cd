//! `mikey initiate` / `respond` / `complete --mode dhsign|dhhmac` end to end (RFC 3830
//! §3.3, RFC 4650): each step a separate process, the messages passed between them as
//! text; DH-SIGN with certificates made by the openssl tool at test time (the library's
//! test PKI, `tests/pki`). The stateless Initiator resumes with the DH secret `initiate`
//! printed.

#[path = "../../tests/pki/mod.rs"]
mod pki;

use serde_json::Value;
use std::process::{Command, Output};

fn mikey(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mikey"))
        .args(args)
        .output()
        .unwrap()
}

fn mikey_json(args: &[&str]) -> (i32, Value, String) {
    let mut all = args.to_vec();
    all.push("--json");
    let out = mikey(&all);
    let stderr = String::from_utf8(out.stderr).unwrap();
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: no JSON ({e}); stderr: {stderr}"));
    (out.status.code().unwrap(), json, stderr)
}

fn f(name: &str) -> String {
    pki::dir().join(name).to_str().unwrap().to_string()
}

const ALICE: &str = "sip:alice@example.com";
const BOB: &str = "sip:bob@example.com";
const PSK: &str = "00112233445566778899aabbccddeeff";

fn message_hex(v: &Value) -> String {
    v["message"]["hex"].as_str().unwrap().to_string()
}

fn keys(v: &Value) -> Vec<String> {
    v["crypto_sessions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|cs| cs["keys"].as_array().unwrap().clone())
        .map(|k| k["key_salt"].as_str().unwrap().to_string())
        .collect()
}

/// The credentials options of `who` in `mode`.
fn creds(mode: &str, who: &str) -> Vec<String> {
    match mode {
        "dhsign" => vec![
            "--key".into(),
            f(&format!("{who}.key")),
            "--cert".into(),
            f(&format!("{who}.pem")),
            "--ca".into(),
            f("ca.pem"),
        ],
        _ => vec!["--psk".into(), PSK.into()],
    }
}

/// initiate, respond, complete in `mode` with `group`: the three processes end with the
/// same keys. Returns the I_MESSAGE and the answer.
fn exchange(mode: &str, group: &str) -> (Value, Value) {
    let mut init_args: Vec<String> = ["initiate", "--mode", mode, "--dh-group", group]
        .map(String::from)
        .to_vec();
    init_args.extend(creds(mode, "alice"));
    init_args.extend(["--id", ALICE, "--peer-id", BOB, "--ssrc", "0x1234"].map(String::from));
    let args: Vec<&str> = init_args.iter().map(String::as_str).collect();
    let (code, i, stderr) = mikey_json(&args);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(i["state"], "awaiting-keys");
    let secret = i["dh_secret"].as_str().expect("the DH secret").to_string();
    let mut resp_args: Vec<String> = ["respond", "--mode", mode, "--dh-group", group]
        .map(String::from)
        .to_vec();
    resp_args.extend(creds(mode, "bob"));
    resp_args.extend(["--id", BOB, "--peer-id", ALICE].map(String::from));
    resp_args.push(message_hex(&i));
    let args: Vec<&str> = resp_args.iter().map(String::as_str).collect();
    let (code, r, stderr) = mikey_json(&args);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(r["state"], "established");
    let mut done_args: Vec<String> = ["complete", "--mode", mode, "--dh-group", group]
        .map(String::from)
        .to_vec();
    done_args.extend(creds(mode, "alice"));
    done_args.extend(["--id", ALICE, "--peer-id", BOB, "--dh-secret"].map(String::from));
    done_args.push(secret);
    done_args.push("--sent".into());
    done_args.push(message_hex(&i));
    done_args.push(message_hex(&r));
    let args: Vec<&str> = done_args.iter().map(String::as_str).collect();
    let (code, done, stderr) = mikey_json(&args);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(done["state"], "established");
    assert_eq!(keys(&done), keys(&r));
    assert!(!keys(&r).is_empty());
    (i, r)
}

#[test]
fn dhsign_across_three_processes() {
    let (i, _) = exchange("dhsign", "5");
    let (code, decoded, _) = mikey_json(&["decode", &message_hex(&i)]);
    assert_eq!(code, 0);
    assert!(decoded.to_string().contains("D-H init"), "{decoded}");
    exchange("dhsign", "1");
}

#[test]
fn dhhmac_across_three_processes() {
    for group in ["5", "1", "2"] {
        exchange("dhhmac", group);
    }
}

#[test]
fn a_wrong_dh_secret_or_none_is_refused() {
    let (i, r) = exchange("dhhmac", "1");
    let mut args: Vec<String> = ["complete", "--mode", "dhhmac", "--dh-group", "1"]
        .map(String::from)
        .to_vec();
    args.extend(creds("dhhmac", "alice"));
    args.extend(["--id", ALICE, "--peer-id", BOB].map(String::from));
    let base = args.clone();
    // No --dh-secret: a usage error.
    args.extend(["--sent".into(), message_hex(&i), message_hex(&r)]);
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = mikey(&argv);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--dh-secret"));
    // Another secret: it did not make the message's DHi.
    let mut args = base;
    args.extend(["--dh-secret".into(), format!("7f{}", "11".repeat(95))]);
    args.extend(["--sent".into(), message_hex(&i), message_hex(&r)]);
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = mikey(&argv);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("did not make"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn usage_errors_exit_2() {
    for (args, needle) in [
        (
            vec![
                "initiate",
                "--mode",
                "psk",
                "--psk",
                "00",
                "--dh-group",
                "1",
            ],
            "--dh-group is for --mode dhsign or dhhmac",
        ),
        (
            vec![
                "initiate",
                "--mode",
                "dhhmac",
                "--id",
                ALICE,
                "--peer-id",
                BOB,
            ],
            "--mode dhhmac needs --psk",
        ),
        (
            vec!["initiate", "--mode", "dhsign", "--id", ALICE],
            "--mode dhsign needs --key FILE",
        ),
    ] {
        let out = mikey(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
    }
}
