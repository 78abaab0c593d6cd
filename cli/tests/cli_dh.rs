//! `mikey initiate` / `respond` / `complete --mode dhsign|dhhmac` end to end (RFC 3830
//! §3.3, RFC 4650): each step a separate process, the messages passed between them as
//! text; DH-SIGN with certificates made by the openssl tool at test time (the library's
//! test PKI, `tests/pki`). The stateless Initiator resumes with the DH secret `initiate`
//! printed. DH-SIGN's ECC profile (draft-ietf-msec-mikey-ecc-03, `--ecc-profile`) runs
//! the same way with the test PKI's P-256 and P-384 keys and certificates.

#[path = "../../tests/pki/mod.rs"]
mod pki;

use serde_json::Value;
use std::process::Command;

mod common;
use common::{mikey, mikey_json};

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

/// The credentials options of `who` in `mode` (`who` an entity of the test PKI: "alice",
/// or "alice_p256" for Alice's P-256 key and certificate).
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
    exchange_as(mode, group, ("alice", "bob"), &[])
}

/// [`exchange`] with Alice and Bob signing as the test PKI entities `who` and with `extra`
/// options on all three commands. Returns the I_MESSAGE (with `dh_secret`) and the answer.
fn exchange_as(mode: &str, group: &str, who: (&str, &str), extra: &[&str]) -> (Value, Value) {
    let (alice, bob) = who;
    let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
    let mut init_args: Vec<String> = ["initiate", "--mode", mode, "--dh-group", group]
        .map(String::from)
        .to_vec();
    init_args.extend(extra.clone());
    init_args.extend(creds(mode, alice));
    init_args.extend(["--id", ALICE, "--peer-id", BOB, "--ssrc", "0x1234"].map(String::from));
    let args: Vec<&str> = init_args.iter().map(String::as_str).collect();
    let (code, i, stderr) = mikey_json(&args);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(i["state"], "awaiting-keys");
    let secret = i["dh_secret"].as_str().expect("the DH secret").to_string();
    let mut resp_args: Vec<String> = ["respond", "--mode", mode, "--dh-group", group]
        .map(String::from)
        .to_vec();
    resp_args.extend(extra.clone());
    resp_args.extend(creds(mode, bob));
    resp_args.extend(["--id", BOB, "--peer-id", ALICE].map(String::from));
    resp_args.push(message_hex(&i));
    let args: Vec<&str> = resp_args.iter().map(String::as_str).collect();
    let (code, r, stderr) = mikey_json(&args);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(r["state"], "established");
    let mut done_args: Vec<String> = ["complete", "--mode", mode, "--dh-group", group]
        .map(String::from)
        .to_vec();
    done_args.extend(extra);
    done_args.extend(creds(mode, alice));
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

/// The DH group codepoints and S types of the DH and SIGN payloads of a `--json` message.
fn dh_groups_and_s_types(v: &Value) -> (Vec<u64>, Vec<u64>) {
    let (code, decoded, stderr) = mikey_json(&["decode", &message_hex(v)]);
    assert_eq!(code, 0, "{stderr}");
    let payloads = decoded["payloads"].as_array().expect("payloads");
    let field = |kind: &str, name: &str| -> Vec<u64> {
        payloads
            .iter()
            .filter(|p| p["payload"].as_str().is_some_and(|s| s.contains(kind)))
            .map(|p| {
                p["fields"][name]["value"]
                    .as_u64()
                    .unwrap_or_else(|| panic!("{p}"))
            })
            .collect()
    };
    (field("DH", "dh_group"), field("SIGN", "s_type"))
}

#[test]
fn dhsign_ecc_p256_across_three_processes() {
    // P-256 ECDH and ECDSA keys and certificates on both sides (the test CA issued them):
    // initiate, respond and complete print the same keys.
    let (i, r) = exchange_as(
        "dhsign",
        "p256",
        ("alice_p256", "bob_p256"),
        &["--ecc-profile"],
    );
    // The secret is the curve's scalar: 32 bytes on P-256.
    assert_eq!(i["dh_secret"].as_str().unwrap().len(), 64, "{i}");
    // draft-ietf-msec-mikey-ecc-03: DH-Group 10, S type 2.
    assert_eq!(dh_groups_and_s_types(&i), (vec![10], vec![2]));
    assert_eq!(dh_groups_and_s_types(&r), (vec![10, 10], vec![2]));
}

#[test]
fn dhsign_ecc_p384_and_mixed_signers_across_three_processes() {
    let (i, _) = exchange_as(
        "dhsign",
        "p384",
        ("alice_p384", "bob_p384"),
        &["--ecc-profile"],
    );
    assert_eq!(i["dh_secret"].as_str().unwrap().len(), 96, "{i}");
    // The two halves combine: an RSA signer and an EC one, on an OAKLEY group or a curve.
    let (i, r) = exchange_as("dhsign", "5", ("alice", "bob_p256"), &["--ecc-profile"]);
    assert_eq!(dh_groups_and_s_types(&i), (vec![0], vec![0]));
    assert_eq!(dh_groups_and_s_types(&r), (vec![0, 0], vec![2]));
    exchange_as("dhsign", "p256", ("alice", "bob"), &["--ecc-profile"]);
}

#[test]
fn ec_keys_in_sec1_pem_and_der_forms_are_read() {
    // The test PKI's keys are PKCS#8 PEM; openssl writes the others from them.
    let dir = pki::dir();
    for (out, args) in [
        ("alice_p256.sec1.pem", &["ec", "-in", "alice_p256.key"][..]),
        (
            "alice_p256.sec1.der",
            &["ec", "-in", "alice_p256.key", "-outform", "DER"],
        ),
        (
            "alice_p256.pk8.der",
            &[
                "pkcs8",
                "-topk8",
                "-nocrypt",
                "-in",
                "alice_p256.key",
                "-outform",
                "DER",
            ],
        ),
    ] {
        let o = Command::new("openssl")
            .args(args)
            .args(["-out", out])
            .current_dir(dir)
            .output()
            .expect("the openssl command-line tool is needed");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let sec1 = std::fs::read_to_string(dir.join("alice_p256.sec1.pem")).unwrap();
    assert!(sec1.contains("-----BEGIN EC PRIVATE KEY-----"), "{sec1}");
    let cert = f("alice_p256.pem");
    for key in [
        "alice_p256.sec1.pem",
        "alice_p256.sec1.der",
        "alice_p256.pk8.der",
    ] {
        let key = f(key);
        let (code, i, stderr) = mikey_json(&[
            "initiate",
            "--mode",
            "dhsign",
            "--ecc-profile",
            "--dh-group",
            "p256",
            "--key",
            &key,
            "--cert",
            &cert,
            "--id",
            ALICE,
        ]);
        assert_eq!(code, 0, "{key}: {stderr}");
        assert_eq!(dh_groups_and_s_types(&i), (vec![10], vec![2]));
    }
}

#[test]
fn dh_group_p256_without_ecc_profile_is_refused() {
    // The draft's codepoints are unregistered: without --ecc-profile neither a curve nor an
    // EC key is used, on any of the three commands; the library's configuration check says
    // why and the CLI names the flag.
    let mut cases: Vec<Vec<String>> = Vec::new();
    for (group, who) in [
        ("p256", "alice_p256"),
        ("p256", "alice"),
        ("5", "alice_p256"),
    ] {
        let mut args: Vec<String> = ["initiate", "--mode", "dhsign", "--dh-group", group]
            .map(String::from)
            .to_vec();
        args.extend(creds("dhsign", who));
        args.extend(["--id", ALICE, "--peer-id", BOB].map(String::from));
        cases.push(args);
    }
    let mut respond: Vec<String> = ["respond", "--mode", "dhsign", "--dh-group", "p256"]
        .map(String::from)
        .to_vec();
    respond.extend(creds("dhsign", "bob_p256"));
    respond.extend(["--id", BOB, "--peer-id", ALICE, "00"].map(String::from));
    cases.push(respond);
    for args in cases {
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = mikey(&argv);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("invalid configuration")
                && stderr.contains("needs the ECC profile enabled")
                && stderr.contains("--ecc-profile"),
            "{args:?}: {stderr}"
        );
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn ecc_profile_options_outside_dhsign_are_refused() {
    let psk_dhhmac = ["--psk", PSK, "--id", ALICE, "--peer-id", BOB];
    let mut dhhmac_p256 = vec!["initiate", "--mode", "dhhmac", "--dh-group", "p256"];
    dhhmac_p256.extend(psk_dhhmac);
    let mut dhhmac_p256_profile = dhhmac_p256.clone();
    dhhmac_p256_profile.push("--ecc-profile");
    for (args, needle) in [
        (
            dhhmac_p256,
            "--dh-group p256 and p384 are for --mode dhsign",
        ),
        (
            dhhmac_p256_profile,
            "--dh-group p256 and p384 are for --mode dhsign",
        ),
        (
            vec!["initiate", "--mode", "psk", "--psk", PSK, "--ecc-profile"],
            "--ecc-profile is for --mode dhsign",
        ),
        (
            vec![
                "initiate",
                "--mode",
                "psk",
                "--psk",
                PSK,
                "--dh-group",
                "p384",
            ],
            "--dh-group is for --mode dhsign or dhhmac",
        ),
    ] {
        let out = mikey(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
    }
    // An EC key where RSA is needed (PK encrypts to and opens with --key): refused, with
    // where EC keys serve.
    let (key, peer) = (f("alice_p256.key"), f("bob.pem"));
    let out = mikey(&[
        "initiate",
        "--mode",
        "pk",
        "--key",
        &key,
        "--peer-cert",
        &peer,
        "--id",
        ALICE,
        "--ecc-profile",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let out = mikey(&[
        "initiate",
        "--mode",
        "pk",
        "--key",
        &key,
        "--peer-cert",
        &peer,
        "--id",
        ALICE,
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "--key {key}: an EC private key on P-256, not an RSA key"
        )),
        "{stderr}"
    );
}

#[test]
fn a_dhsign_key_that_is_neither_rsa_nor_ec_is_named() {
    let garbage = pki::dir().join("garbage-dh.key");
    std::fs::write(&garbage, b"not a key").unwrap();
    let garbage = garbage.to_str().unwrap().to_string();
    let cert = f("alice.pem");
    for (key, needle) in [
        (
            garbage.clone(),
            format!(
                "--key {garbage}: neither an RSA private key (bad RSA key encoding: \
                 neither a PKCS#8 PrivateKeyInfo nor a PKCS#1 RSAPrivateKey) nor an EC \
                 private key on P-256 or P-384"
            ),
        ),
        (
            cert.clone(),
            format!("--key {cert}: neither an RSA private key"),
        ),
    ] {
        let out = mikey(&[
            "initiate",
            "--mode",
            "dhsign",
            "--key",
            &key,
            "--id",
            ALICE,
            "--ecc-profile",
        ]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains(&needle), "{needle} not in {stderr}");
    }
    // The certificate of another key than --key's.
    let (key, bob) = (f("alice_p256.key"), f("bob_p256.pem"));
    let out = mikey(&[
        "initiate",
        "--mode",
        "dhsign",
        "--key",
        &key,
        "--cert",
        &bob,
        "--id",
        ALICE,
        "--ecc-profile",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("the first certificate is not for the private key of --key"),
        "{stderr}"
    );
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
