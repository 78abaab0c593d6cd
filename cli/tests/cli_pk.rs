//! `mikey initiate` / `respond` / `complete --mode pk` and `decode --key` end to end
//! (MIKEY-PK, RFC 3830 §3.2): each step a separate process, the messages passed between
//! them as text, with certificates made by the openssl tool at test time (the library's
//! test PKI, `tests/pki`). The stateless Initiator resumes with the envelope key
//! `initiate` printed.

#[path = "../../tests/pki/mod.rs"]
mod pki;

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

mod common;
use common::{mikey, mikey_json};

/// The path of a file of the test PKI, as an argument.
fn f(name: &str) -> String {
    pki::dir().join(name).to_str().unwrap().to_string()
}

/// A file made from one of the test PKI by `openssl args...` (for other encodings).
fn converted(name: &str, args: &[&str]) -> String {
    let path: PathBuf = pki::dir().join(name);
    if !path.exists() {
        let tmp = pki::dir().join(format!("{name}.{}", std::process::id()));
        let out = Command::new("openssl")
            .args(args)
            .arg("-out")
            .arg(&tmp)
            .current_dir(pki::dir())
            .output()
            .expect("the openssl command-line tool is needed");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::fs::rename(&tmp, &path).unwrap();
    }
    path.to_str().unwrap().to_string()
}

const ALICE: &str = "sip:alice@example.com";
const BOB: &str = "sip:bob@example.com";

/// `initiate --mode pk` as Alice, to Bob, with `extra` options.
fn alice_initiates(extra: &[&str]) -> (i32, Value, String) {
    let (key, cert, peer) = (f("alice.key"), f("alice.pem"), f("bob.pem"));
    let mut args = vec![
        "initiate",
        "--mode",
        "pk",
        "--key",
        &key,
        "--cert",
        &cert,
        "--peer-cert",
        &peer,
        "--id",
        ALICE,
        "--peer-id",
        BOB,
    ];
    args.extend(extra);
    mikey_json(&args)
}

/// `respond --mode pk` as Bob, trusting the test CA, to `i_message`, with `extra` options
/// (an option of `extra` replaces Bob's `--key`, `--cert` or `--ca`).
fn bob_responds(i_message: &str, extra: &[&str]) -> (i32, Value, String) {
    let (key, cert, ca) = (f("bob.key"), f("bob.pem"), f("ca.pem"));
    let mut args = vec!["respond", "--mode", "pk", "--id", BOB];
    for (option, value) in [("--key", &key), ("--cert", &cert), ("--ca", &ca)] {
        if !extra.contains(&option) {
            args.extend([option, value.as_str()]);
        }
    }
    args.extend(extra);
    args.push(i_message);
    mikey_json(&args)
}

/// `complete --mode pk` as Alice with `envelope_key`.
fn alice_completes(envelope_key: &str, i_message: &str, reply: &str) -> (i32, Value, String) {
    let key = f("alice.key");
    mikey_json(&[
        "complete",
        "--mode",
        "pk",
        "--key",
        &key,
        "--envelope-key",
        envelope_key,
        "--sent",
        i_message,
        reply,
    ])
}

fn message_hex(v: &Value) -> String {
    v["message"]["hex"].as_str().unwrap().to_string()
}

/// Each crypto session's (SSRC, ROC, profile, [key ‖ salt]) in a `--json` output.
fn keys(v: &Value) -> Vec<(u64, u64, String, Vec<String>)> {
    v["crypto_sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|cs| {
            (
                cs["ssrc"].as_u64().unwrap(),
                cs["roc"].as_u64().unwrap(),
                cs["profile"].as_str().unwrap().to_string(),
                cs["keys"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|k| k["key_salt"].as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect()
}

/// The whole exchange with `initiate` options `init` and `respond` options `resp`: both
/// sides and the resumed Initiator end with the same keys; returns the I_MESSAGE.
fn exchange(init: &[&str], resp: &[&str]) -> String {
    let (code, i, stderr) = alice_initiates(init);
    assert_eq!(code, 0, "{init:?}: {stderr}");
    assert_eq!(i["state"], "awaiting-verification");
    let envelope_key = i["envelope_key"].as_str().unwrap().to_string();
    let i_message = message_hex(&i);
    let (code, r, stderr) = bob_responds(&i_message, resp);
    assert_eq!(code, 0, "{init:?} / {resp:?}: {stderr}");
    assert_eq!(r["state"], "established");
    assert_eq!(r["message"]["kind"], "verification message");
    assert_eq!(keys(&r), keys(&i));
    let (code, done, stderr) = alice_completes(&envelope_key, &i_message, &message_hex(&r));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(done["state"], "established");
    assert_eq!(keys(&done), keys(&i));
    i_message
}

#[test]
fn pk_exchange_across_three_processes() {
    let (code, init, _) = alice_initiates(&["--ssrc", "0x11223344", "--ssrc", "0x55667788:3"]);
    assert_eq!(code, 0, "{init}");
    assert_eq!(init["message"]["kind"], "I_MESSAGE");
    // The envelope key: 32 random bytes, fresh in every run.
    let envelope_key = init["envelope_key"].as_str().unwrap().to_string();
    assert_eq!(hex::decode(&envelope_key).unwrap().len(), 32);
    let (_, again, _) = alice_initiates(&[]);
    assert_ne!(again["envelope_key"], init["envelope_key"]);
    let i_message = message_hex(&init);
    // RFC 3830 §3.2: data type 2, Public key.
    assert_eq!(&i_message[2..4], "02");

    let (code, resp, _) = bob_responds(&i_message, &[]);
    assert_eq!(code, 0, "{resp}");
    assert_eq!(resp["csb_id"], init["csb_id"]);
    assert_eq!(resp["envelope_key"], Value::Null);
    let initiator_keys = keys(&init);
    assert_eq!(keys(&resp), initiator_keys);
    assert_eq!(initiator_keys.len(), 2);
    assert_eq!((initiator_keys[1].0, initiator_keys[1].1), (0x5566_7788, 3));
    assert_eq!(initiator_keys[0].3[0].len(), 60, "30-byte key ‖ salt");
    // The PK verification message, data type 3.
    let v_message = message_hex(&resp);
    assert_eq!(&v_message[2..4], "03");

    let (code, done, _) = alice_completes(&envelope_key, &i_message, &v_message);
    assert_eq!(code, 0, "{done}");
    assert_eq!(done["state"], "established");
    assert_eq!(keys(&done), initiator_keys);

    // The text forms: the message to send on the line after its title, the envelope key
    // on its own line, said to be secret.
    let (key, cert, peer) = (f("alice.key"), f("alice.pem"), f("bob.pem"));
    let out = mikey(&[
        "initiate",
        "--mode",
        "pk",
        "--key",
        &key,
        "--cert",
        &cert,
        "--peer-cert",
        &peer,
        "--id",
        ALICE,
    ]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("I_MESSAGE to send"), "{text}");
    let env_line = lines[2];
    let prefix = "envelope key (secret; for complete --envelope-key): ";
    assert!(env_line.starts_with(prefix), "{text}");
    let text_key = &env_line[prefix.len()..];
    assert_eq!(text_key.len(), 64);
    let (bkey, bcert, ca) = (f("bob.key"), f("bob.pem"), f("ca.pem"));
    let out = mikey(&[
        "respond", "--mode", "pk", "--key", &bkey, "--cert", &bcert, "--ca", &ca, lines[1],
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reply = String::from_utf8(out.stdout).unwrap();
    assert!(reply.contains("responder: established"), "{reply}");
    let v_line = reply.lines().nth(1).unwrap();
    let out = mikey(&[
        "complete",
        "--mode",
        "pk",
        "--key",
        &key,
        "--envelope-key",
        text_key,
        "--sent",
        lines[1],
        v_line,
    ]);
    let done = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(done.contains("initiator: established"), "{done}");
    assert!(!done.contains("envelope key"), "{done}");
}

#[test]
fn pk_variants_agree() {
    // RSA-PSS, a CHASH of each hash, AES-KW with the NULL MAC (RFC 3830 §4.2.3),
    // HMAC-SHA-256 with AES-CM-256.
    exchange(&["--sign", "pss"], &[]);
    exchange(&["--chash", "sha256"], &[]);
    exchange(&["--chash", "sha1", "--sign", "pkcs1"], &[]);
    exchange(&["--encr", "AES-KW-128", "--mac", "NULL"], &[]);
    exchange(&["--encr", "AES-CM-256", "--mac", "HMAC-SHA-256-256"], &[]);
    // Without CERTi, the Responder pins Alice's certificate.
    let alice_pem = f("alice.pem");
    exchange(&["--no-send-cert"], &["--peer-cert", &alice_pem]);
    // Pinned and validated against --ca.
    exchange(&[], &["--peer-cert", &alice_pem]);
}

#[test]
fn envelope_cache_hands_the_key_to_both_sides_as_a_psk() {
    // RFC 3830 §3.2, §6.3: with C = 1 ("Cache") both sides keep the envelope key; the CLI
    // prints it, and it is the pre-shared key of a later PSK exchange between them.
    let (code, i, stderr) = alice_initiates(&["--envelope-cache", "cache"]);
    assert_eq!(code, 0, "{stderr}");
    let envelope_key = i["envelope_key"].as_str().unwrap().to_string();
    let i_message = message_hex(&i);
    let (code, r, stderr) = bob_responds(&i_message, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(r["cached_envelope_key"], envelope_key.as_str());
    let (code, done, stderr) = alice_completes(&envelope_key, &i_message, &message_hex(&r));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(done["cached_envelope_key"], envelope_key.as_str());
    let (code, decoded, _) = mikey_json(&["decode", &i_message]);
    assert_eq!(code, 0);
    assert!(decoded.to_string().contains("\"Cache\""), "{decoded}");
    // The later exchange, keyed with it.
    let (code, psk_i, stderr) = mikey_json(&["initiate", "--mode", "psk", "--psk", &envelope_key]);
    assert_eq!(code, 0, "{stderr}");
    let (code, psk_r, stderr) = mikey_json(&[
        "respond",
        "--mode",
        "psk",
        "--psk",
        &envelope_key,
        &message_hex(&psk_i),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(keys(&psk_r), keys(&psk_i));
    // C = 2 ("Cache for CSB") and C = 0 keep it inside the session: nothing printed.
    for cache in ["csb", "none"] {
        let (code, i, _) = alice_initiates(&["--envelope-cache", cache]);
        assert_eq!(code, 0);
        let (code, r, _) = bob_responds(&message_hex(&i), &[]);
        assert_eq!(code, 0);
        assert!(r["cached_envelope_key"].is_null(), "{cache}: {r}");
    }
    // Text output names it as a secret.
    let (_, i, _) = alice_initiates(&["--envelope-cache", "cache"]);
    let (key, cert, ca) = (f("bob.key"), f("bob.pem"), f("ca.pem"));
    let out = mikey(&[
        "respond",
        "--mode",
        "pk",
        "--id",
        BOB,
        "--key",
        &key,
        "--cert",
        &cert,
        "--ca",
        &ca,
        &message_hex(&i),
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("cached envelope key (secret"), "{text}");
}

#[test]
fn keys_and_certificates_in_der_and_pkcs1() {
    let key_der = converted(
        "alice.key.der",
        &["pkey", "-in", "alice.key", "-outform", "DER"],
    );
    let key_pkcs1 = converted(
        "alice.key.pkcs1",
        &["rsa", "-in", "alice.key", "-traditional"],
    );
    let cert_der = converted(
        "alice.der",
        &["x509", "-in", "alice.pem", "-outform", "DER"],
    );
    let peer_der = converted("bob.der", &["x509", "-in", "bob.pem", "-outform", "DER"]);
    assert!(
        std::fs::read_to_string(&key_pkcs1)
            .unwrap()
            .contains("BEGIN RSA PRIVATE KEY")
    );
    for key in [&key_der, &key_pkcs1] {
        let (code, init, stderr) = mikey_json(&[
            "initiate",
            "--mode",
            "pk",
            "--key",
            key,
            "--cert",
            &cert_der,
            "--peer-cert",
            &peer_der,
            "--id",
            ALICE,
        ]);
        assert_eq!(code, 0, "{stderr}");
        let (code, _, stderr) = bob_responds(&message_hex(&init), &[]);
        assert_eq!(code, 0, "{stderr}");
    }
    // A CA bundle with several blocks: the untrusted CA first, then the test CA.
    let bundle = pki::dir().join("bundle.pem");
    std::fs::write(
        &bundle,
        [pki::file("evil.pem"), pki::file("ca.pem")].concat(),
    )
    .unwrap();
    let (_, init, _) = alice_initiates(&[]);
    let (code, _, stderr) = bob_responds(&message_hex(&init), &["--ca", bundle.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn decode_key_opens_the_i_message() {
    let tgk = "0f0e0d0c0b0a09080706050403020100";
    let (code, init, _) = alice_initiates(&["--tgk", tgk]);
    assert_eq!(code, 0);
    let i_message = message_hex(&init);
    let bob_key = f("bob.key");
    let (code, d, stderr) = mikey_json(&["decode", "--key", &bob_key, &i_message]);
    assert_eq!(code, 0, "{stderr}");
    let k = &d["kemac"];
    assert_eq!(k["mac"], "verified");
    assert_eq!(k["idi"]["type"], "URI");
    assert_eq!(k["idi"]["data"], ALICE);
    assert_eq!(k["keys"][0]["type"], "TGK");
    assert_eq!(k["keys"][0]["key"], tgk);
    assert_eq!(k["signature"], "verified");
    assert_eq!(k["chain_validated"], false);
    assert_eq!(d["status"], "ok");

    let out = mikey(&["decode", "--key", &bob_key, &i_message]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "data type: 2 (Public key)",
        "PKE and KEMAC with --key: MAC verified, 1 key(s)",
        "IDi: URI, \"sip:alice@example.com\"",
        &format!("Key data 1: TGK, key {tgk}"),
        "SIGNi: verified with the certificate the message encloses (its chain is not validated)",
    ] {
        assert!(text.contains(needle), "{needle} not in {text}");
    }

    // Without CERTi nothing can check SIGNi: said so, not a failure.
    let (_, bare, _) = alice_initiates(&["--no-send-cert"]);
    let (code, d, _) = mikey_json(&["decode", "--key", &bob_key, &message_hex(&bare)]);
    assert_eq!(code, 0);
    assert_eq!(d["kemac"]["signature"], "no-certificate");

    // A signature that does not verify: shown, and exit status 1.
    let mut bad = hex::decode(&i_message).unwrap();
    let last = bad.len() - 1;
    bad[last] ^= 1;
    let (code, d, stderr) = mikey_json(&["decode", "--key", &bob_key, &hex::encode(&bad)]);
    assert_eq!(code, 1);
    assert_eq!(d["kemac"]["signature"], "failed");
    assert_eq!(d["kemac"]["mac"], "verified");
    assert!(stderr.contains("SIGNi does not verify"), "{stderr}");

    // Another key: the envelope does not open (implicit rejection: a MAC failure).
    let carol_key = f("carol.key");
    let (code, d, stderr) = mikey_json(&["decode", "--key", &carol_key, &i_message]);
    assert_eq!(code, 1);
    assert_eq!(d["kemac"]["mac"], "failed");
    assert_eq!(d["kemac"]["error"], "authentication failed");
    assert!(
        stderr.contains("the PKE and KEMAC do not open with this key: authentication failed"),
        "{stderr}"
    );

    // --key opens PK I_MESSAGEs only, --psk the others.
    let psk = mikey_json(&["initiate", "--mode", "psk", "--psk", "00"]).1;
    let out = mikey(&["decode", "--key", &bob_key, &message_hex(&psk)]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("not a message of data type Pre-shared (a PSK I_MESSAGE opens with --psk)"),
        "{stderr}"
    );
    let out = mikey(&["decode", "--psk", "00", &i_message]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("opens with --key"), "{stderr}");
}

#[test]
fn usage_errors_exit_2() {
    let (key, cert, ca, peer) = (f("alice.key"), f("alice.pem"), f("ca.pem"), f("bob.pem"));
    let ek = "00".repeat(32);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                "initiate",
                "--mode",
                "pk",
                "--peer-cert",
                &peer,
                "--id",
                ALICE,
            ],
            "--mode pk needs --key FILE",
        ),
        (
            vec![
                "initiate",
                "--mode",
                "psk",
                "--psk",
                "00",
                "--envelope-cache",
                "csb",
            ],
            "--envelope-cache is for --mode pk, rsar or dhsign, not --mode psk",
        ),
        (
            vec![
                "initiate",
                "--mode",
                "rsar",
                "--key",
                &key,
                "--cert",
                &cert,
                "--id",
                ALICE,
                "--envelope-cache",
                "cache",
            ],
            "--envelope-cache is for --mode pk: an RSA-R I_MESSAGE carries no envelope",
        ),
        (
            vec!["initiate", "--mode", "pk", "--key", &key, "--id", ALICE],
            "initiate --mode pk needs --peer-cert FILE",
        ),
        (
            vec![
                "initiate",
                "--mode",
                "pk",
                "--key",
                &key,
                "--peer-cert",
                &peer,
            ],
            "initiate --mode pk needs --id URI",
        ),
        (
            vec![
                "respond", "--mode", "pk", "--key", &key, "--cert", &cert, "00",
            ],
            "respond --mode pk needs --ca FILE or --peer-cert FILE",
        ),
        (
            vec![
                "complete", "--mode", "pk", "--key", &key, "--sent", "00", "00",
            ],
            "complete --mode pk needs --envelope-key HEX",
        ),
        (
            vec!["initiate", "--mode", "psk", "--psk", "00", "--key", &key],
            "--key is for --mode pk, rsar or dhsign, not --mode psk",
        ),
        (
            vec![
                "initiate", "--mode", "null", "--cert", &cert, "--sign", "pss",
            ],
            "--cert, --sign are for --mode pk, rsar or dhsign, not --mode null",
        ),
        (
            vec!["respond", "--mode", "psk", "--psk", "00", "--ca", &ca, "00"],
            "--ca is for --mode pk",
        ),
        (
            vec![
                "complete",
                "--mode",
                "psk",
                "--psk",
                "00",
                "--envelope-key",
                &ek,
                "--sent",
                "00",
                "00",
            ],
            "--envelope-key is for --mode pk",
        ),
        (
            vec!["initiate", "--mode", "pk", "--psk", "00", "--key", &key],
            "--mode pk takes no --psk",
        ),
        (
            vec![
                "complete",
                "--mode",
                "pk",
                "--key",
                &key,
                "--envelope-key",
                "00",
                "--sent",
                "00",
                "00",
            ],
            "an envelope key is 32 bytes, not 1",
        ),
        (
            vec!["decode", "--key", &key, "--psk", "00", "00"],
            "cannot be used with",
        ),
        (
            vec![
                "initiate",
                "--mode",
                "pk",
                "--key",
                &key,
                "--peer-cert",
                &peer,
                "--id",
                ALICE,
                "--encr",
                "AES-CM-128",
                "--mac",
                "NULL",
            ],
            "a NULL MAC in PK mode needs AES-KW encryption",
        ),
    ];
    for (args, needle) in cases {
        let out = mikey(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("Usage:"), "{args:?}: {stderr}");
        assert!(
            stderr.contains(needle),
            "{args:?}: {needle} not in {stderr}"
        );
    }
}

#[test]
fn bad_files_and_refused_credentials_exit_1() {
    let (key, cert, peer) = (f("alice.key"), f("alice.pem"), f("bob.pem"));
    let missing = f("no-such-file.pem");
    let garbage = pki::dir().join("garbage.key");
    std::fs::write(&garbage, b"not a key").unwrap();
    let garbage = garbage.to_str().unwrap().to_string();
    let init = |extra: &[&str]| {
        let mut args = vec!["initiate", "--mode", "pk", "--id", ALICE];
        args.extend(extra);
        mikey(&args)
    };
    let evil = f("evil.pem");
    let cases: Vec<(Output, String)> = vec![
        (
            init(&["--key", &missing, "--peer-cert", &peer]),
            format!("--key {missing}: cannot read"),
        ),
        (
            init(&["--key", &garbage, "--peer-cert", &peer]),
            format!("--key {garbage}: bad RSA key encoding"),
        ),
        // A certificate given as the key: its PEM has no private key block.
        (
            init(&["--key", &cert, "--peer-cert", &peer]),
            "no \"PRIVATE KEY\" or \"RSA PRIVATE KEY\" PEM block".to_string(),
        ),
        (
            init(&["--key", &key, "--peer-cert", &key]),
            format!("--peer-cert {key}: no certificate in the input"),
        ),
        (
            init(&["--key", &key, "--cert", &peer, "--peer-cert", &peer]),
            "the first certificate is not for the private key of --key".to_string(),
        ),
        // --ca validates --peer-cert: Bob's certificate is not from the untrusted CA.
        (
            init(&[
                "--key",
                &key,
                "--cert",
                &cert,
                "--peer-cert",
                &peer,
                "--ca",
                &evil,
            ]),
            format!(
                "--peer-cert {peer}: not accepted with --ca {evil}: certificate not issued by \
                 a trusted CA"
            ),
        ),
    ];
    for (out, needle) in cases {
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains(&needle), "{needle} not in {stderr}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn wrong_key_untrusted_ca_and_wrong_envelope_key_exit_1() {
    let (code, init, _) = alice_initiates(&[]);
    assert_eq!(code, 0);
    let envelope_key = init["envelope_key"].as_str().unwrap().to_string();
    let i_message = message_hex(&init);

    // Carol's key does not open Bob's envelope: a MAC failure, answered with Error no. 0.
    let carol = f("carol.key");
    let carol_cert = f("carol.pem");
    let (code, r, stderr) = bob_responds(&i_message, &["--key", &carol, "--cert", &carol_cert]);
    assert_eq!(code, 1);
    assert_eq!(r["error"]["error_no"], 0);
    assert_eq!(r["error"]["message"], "authentication failed");
    assert_eq!(r["message"]["kind"], "Error message");
    assert_eq!(r["crypto_sessions"], Value::Array(vec![]));
    assert!(
        stderr.contains("respond failed: authentication failed (MIKEY Error no. 0"),
        "{stderr}"
    );

    // Bob trusting only the other CA: Alice's chain is refused, Error no. 8.
    let evil = f("evil.pem");
    let (code, r, stderr) = bob_responds(&i_message, &["--ca", &evil]);
    assert_eq!(code, 1);
    assert_eq!(r["error"]["error_no"], 8);
    assert!(
        stderr.contains(
            "peer certificate not accepted: certificate not issued by a trusted CA (no path \
             to a trust anchor)"
        ),
        "{stderr}"
    );

    // Mallory (from the untrusted CA, naming Alice) is refused by Bob, who trusts the CA.
    let (mkey, mcert, peer) = (f("mallory.key"), f("mallory.pem"), f("bob.pem"));
    let (code, forged, _) = mikey_json(&[
        "initiate",
        "--mode",
        "pk",
        "--key",
        &mkey,
        "--cert",
        &mcert,
        "--peer-cert",
        &peer,
        "--id",
        ALICE,
    ]);
    assert_eq!(code, 0);
    let (code, r, stderr) = bob_responds(&message_hex(&forged), &[]);
    assert_eq!(code, 1);
    assert_eq!(r["error"]["error_no"], 8);
    assert!(
        stderr.contains("certificate not issued by a trusted CA"),
        "{stderr}"
    );

    // complete with another envelope key does not reopen --sent.
    let (_, r, _) = bob_responds(&i_message, &[]);
    let v_message = message_hex(&r);
    let mut other = hex::decode(&envelope_key).unwrap();
    other[0] ^= 1;
    let key = f("alice.key");
    let out = mikey(&[
        "complete",
        "--mode",
        "pk",
        "--key",
        &key,
        "--envelope-key",
        &hex::encode(other),
        "--sent",
        &i_message,
        &v_message,
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "--sent is not an I_MESSAGE this --envelope-key opens: authentication failed"
        ),
        "{stderr}"
    );
    // The right one still does.
    assert_eq!(alice_completes(&envelope_key, &i_message, &v_message).0, 0);
}
