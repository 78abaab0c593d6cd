//! `mikey initiate` / `respond` / `complete` and `decode --psk` end to end: each step a
//! separate process, as a script would run them, the messages passed between them as text.

use mikey::session::{ConfigBuilder, InitInputs, Mode, Session, StreamSpec};
use mikey::time::ManualClock;
use serde_json::Value;
use std::sync::Arc;
use zeroize::Zeroizing;

mod common;
use common::{mikey, mikey_json};

const PSK: &str = "000102030405060708090a0b0c0d0e0f";

/// `mikey complete --json` in PSK mode for the Initiator that sent `i_message`.
fn complete_json(i_message: &str, reply: &str) -> (i32, Value, String) {
    mikey_json(&[
        "complete", "--mode", "psk", "--psk", PSK, "--sent", i_message, reply,
    ])
}

fn message_hex(v: &Value) -> String {
    v["message"]["hex"].as_str().unwrap().to_string()
}

/// A crypto session as printed: (SSRC, ROC, profile, [(key ‖ salt, MKI)]).
type PrintedSession = (u64, u64, String, Vec<(String, String)>);

/// Each crypto session of a `--json` output.
fn keys(v: &Value) -> Vec<PrintedSession> {
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
                    .map(|k| {
                        (
                            k["key_salt"].as_str().unwrap().to_string(),
                            k["mki"].as_str().unwrap().to_string(),
                        )
                    })
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn psk_exchange_across_three_processes() {
    let (code, init, _) = mikey_json(&[
        "initiate",
        "--mode",
        "psk",
        "--psk",
        PSK,
        "--ssrc",
        "0x11223344",
        "--ssrc",
        "0x55667788:3:1",
        "--profile",
        "AES_CM_128_HMAC_SHA1_80",
        "--profile",
        "AES_CM_128_HMAC_SHA1_32",
        "--mki-len",
        "4",
    ]);
    assert_eq!(code, 0, "{init}");
    assert_eq!(init["state"], "awaiting-verification");
    assert_eq!(init["message"]["kind"], "I_MESSAGE");
    let i_message = message_hex(&init);

    let (code, resp, _) = mikey_json(&["respond", "--mode", "psk", "--psk", PSK, &i_message]);
    assert_eq!(code, 0, "{resp}");
    assert_eq!(resp["state"], "established");
    assert_eq!(resp["csb_id"], init["csb_id"]);
    assert_eq!(resp["message"]["kind"], "verification message");
    let initiator_keys = keys(&init);
    assert_eq!(keys(&resp), initiator_keys);
    assert_eq!(initiator_keys.len(), 2);
    assert_eq!(initiator_keys[0].0, 0x1122_3344);
    assert_eq!(initiator_keys[1].1, 3);
    assert_eq!(initiator_keys[0].2, "AES_CM_128_HMAC_SHA1_80");
    assert_eq!(initiator_keys[1].2, "AES_CM_128_HMAC_SHA1_32");
    assert_eq!(initiator_keys[0].3[0].0.len(), 60, "30-byte key ‖ salt");
    assert_eq!(initiator_keys[0].3[0].1.len(), 8, "4-byte MKI");
    assert_ne!(initiator_keys[0].3[0].0, initiator_keys[1].3[0].0);

    let v_message = message_hex(&resp);
    let (code, done, _) = complete_json(&i_message, &v_message);
    assert_eq!(code, 0, "{done}");
    assert_eq!(done["state"], "established");
    assert_eq!(keys(&done), initiator_keys);

    // The text form prints the message to send as base64 on the line after its title.
    let text = mikey(&["respond", "--mode", "psk", "--psk", PSK, &i_message]);
    let stdout = String::from_utf8(text.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].starts_with("verification message to send"),
        "{stdout}"
    );
    assert!(stdout.contains("responder: established"), "{stdout}");
    // A second respond run is a new process: no replay cache survives it, but the
    // verification message answers the same I_MESSAGE and verifies the same way.
    let out = mikey(&[
        "complete", "--mode", "psk", "--psk", PSK, "--sent", &i_message, lines[1],
    ]);
    assert!(out.status.success());
}

#[test]
fn tampered_or_foreign_answers_are_refused() {
    let (_, init, _) = mikey_json(&["initiate", "--mode", "psk", "--psk", PSK]);
    let i_message = message_hex(&init);
    let (_, resp, _) = mikey_json(&["respond", "--mode", "psk", "--psk", PSK, &i_message]);
    let mut v = hex::decode(message_hex(&resp)).unwrap();
    let last = v.len() - 1;
    v[last] ^= 1;
    let (code, done, stderr) = complete_json(&i_message, &hex::encode(&v));
    assert_eq!(code, 1);
    assert_eq!(done["status"], "error");
    assert_eq!(done["error"]["error_no"], 0, "Auth failure: {done}");
    assert_eq!(done["crypto_sessions"], Value::Array(vec![]));
    assert!(stderr.contains("complete failed"), "{stderr}");

    // The Responder with another PSK answers with an unauthenticated Error no. 0.
    let other = "ff0102030405060708090a0b0c0d0e0f";
    let (code, refused, _) = mikey_json(&["respond", "--mode", "psk", "--psk", other, &i_message]);
    assert_eq!(code, 1);
    assert_eq!(refused["error"]["error_no"], 0);
    assert_eq!(refused["message"]["kind"], "Error message");
    let (code, done, _) = complete_json(&i_message, &message_hex(&refused));
    assert_eq!(code, 1);
    assert_eq!(done["error"]["peer"]["authenticated"], false);
    assert_eq!(done["error"]["peer"]["errors"][0]["error_no"], 0);

    // complete refuses a --sent message its PSK does not open.
    let out = mikey(&[
        "complete", "--mode", "psk", "--psk", other, "--sent", &i_message, &i_message,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--sent"));
}

#[test]
fn unsupported_policy_gets_an_authenticated_error_10() {
    let (_, init, _) = mikey_json(&[
        "initiate",
        "--mode",
        "psk",
        "--psk",
        PSK,
        "--profile",
        "AES_256_CM_HMAC_SHA1_80",
    ]);
    let i_message = message_hex(&init);
    let (code, refused, stderr) = mikey_json(&[
        "respond",
        "--mode",
        "psk",
        "--psk",
        PSK,
        "--profile",
        "AES_CM_128_HMAC_SHA1_80",
        &i_message,
    ]);
    assert_eq!(code, 1);
    assert_eq!(refused["error"]["error_no"], 10, "{refused}");
    assert!(stderr.contains("MIKEY Error no. 10"), "{stderr}");
    let (code, done, _) = complete_json(&i_message, &message_hex(&refused));
    assert_eq!(code, 1);
    assert_eq!(done["error"]["peer"]["authenticated"], true);
    assert_eq!(done["error"]["peer"]["errors"][0]["error_no"], 10);
    assert_eq!(done["state"], "awaiting-verification");
}

#[test]
fn null_mode_only_when_both_sides_choose_it() {
    let (code, init, stderr) = mikey_json(&["initiate", "--mode", "null"]);
    assert_eq!(code, 0);
    assert!(stderr.contains("warning: NULL mode"), "{stderr}");
    assert_eq!(
        init["state"], "established",
        "NULL mode asks for no verification"
    );
    let i_message = message_hex(&init);
    let (code, resp, stderr) = mikey_json(&["respond", "--mode", "null", &i_message]);
    assert_eq!(code, 0, "{resp}");
    assert!(
        stderr.contains("accepting a NULL-mode I_MESSAGE"),
        "{stderr}"
    );
    assert_eq!(resp["message"], Value::Null);
    assert_eq!(keys(&resp), keys(&init));
    // A PSK-mode Responder refuses it: Error no. 4 (Invalid EA).
    let (code, refused, _) = mikey_json(&["respond", "--mode", "psk", "--psk", PSK, &i_message]);
    assert_eq!(code, 1);
    assert_eq!(refused["error"]["error_no"], 4);
    // decode shows the NULL KEMAC's key and says nothing was verified.
    let out = mikey(&["decode", "--psk", "00", &i_message]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("NULL MAC (nothing verified"), "{text}");
}

/// The fixed inputs of `initiate` (`--csb`, `--rand`, `--t`, `--tgk`).
const FIXED: [&str; 10] = [
    "--csb",
    "0x01020304",
    "--rand",
    "00112233445566778899aabbccddeeff",
    "--t",
    "0xe000000000000000",
    "--tgk",
    "0f0e0d0c0b0a09080706050403020100",
    "--ssrc",
    "0xcafe",
];

#[test]
fn fixed_inputs_reproduce_the_message_and_decode_opens_it() {
    let mut args = vec!["initiate", "--mode", "psk", "--psk", PSK];
    args.extend(FIXED);
    let (code, first, _) = mikey_json(&args);
    assert_eq!(code, 0, "{first}");
    let (_, second, _) = mikey_json(&args);
    assert_eq!(first, second);
    assert_eq!(first["csb_id"], 0x0102_0304);
    let i_message = message_hex(&first);

    // The library, given the same inputs, builds the same bytes.
    let config = ConfigBuilder::new(Mode::Psk)
        .psk(&hex::decode(PSK).unwrap())
        .clock(Arc::new(ManualClock::new(0xe000_0000_0000_0000)))
        .build()
        .unwrap();
    let mut s = Session::initiator(Arc::new(config));
    let bytes = s
        .initiate_with(
            &[StreamSpec {
                ssrc: 0xcafe,
                roc: 0,
                policy_no: 0,
            }],
            &InitInputs {
                csb_id: Some(0x0102_0304),
                rand: Some(hex::decode("00112233445566778899aabbccddeeff").unwrap()),
                key: Some(Zeroizing::new(
                    hex::decode("0f0e0d0c0b0a09080706050403020100").unwrap(),
                )),
                ..InitInputs::default()
            },
        )
        .unwrap();
    assert_eq!(hex::encode(bytes), i_message);

    let (code, decoded, _) = mikey_json(&["decode", "--psk", PSK, &i_message]);
    assert_eq!(code, 0);
    assert_eq!(decoded["kemac"]["mac"], "verified");
    assert_eq!(decoded["kemac"]["keys"][0]["type"], "TGK");
    assert_eq!(
        decoded["kemac"]["keys"][0]["key"],
        "0f0e0d0c0b0a09080706050403020100"
    );
    let text = String::from_utf8(mikey(&["decode", "--psk", PSK, &i_message]).stdout).unwrap();
    assert!(
        text.contains("KEMAC with --psk: MAC verified, 1 key(s)"),
        "{text}"
    );
    let (code, wrong, stderr) = mikey_json(&["decode", "--psk", "00", &i_message]);
    assert_eq!(code, 1);
    assert_eq!(wrong["kemac"]["mac"], "failed");
    assert!(stderr.contains("does not open"), "{stderr}");

    // --psk opens I_MESSAGEs only; the RFC 4567 §5.3 verification message is not one.
    let ver = format!(
        "{}/../tests/data/rfc4567-example3-setup.rtsp",
        env!("CARGO_MANIFEST_DIR")
    );
    let out = mikey(&["decode", "--psk", PSK, &ver]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("not a message of data type PSK ver msg"),
        "{stderr}"
    );

    // The timestamp is checked against --now: 5 minutes of skew pass, more does not.
    let respond_at = |now: &str| {
        mikey_json(&[
            "respond", "--mode", "psk", "--psk", PSK, "--now", now, &i_message,
        ])
        .0
    };
    assert_eq!(respond_at("0xe000000000000000"), 0);
    assert_eq!(
        respond_at(&format!("{:#x}", 0xe000_0000_0000_0000u64 + (300 << 32))),
        0
    );
    assert_eq!(
        respond_at(&format!("{:#x}", 0xe000_0000_0000_0000u64 + (301 << 32))),
        1
    );
    // And the system clock is far from that time.
    assert_eq!(
        mikey_json(&["respond", "--mode", "psk", "--psk", PSK, &i_message]).0,
        1
    );
}

#[test]
fn usage_errors_exit_2() {
    let cases: [&[&str]; 12] = [
        &["initiate"],
        &["initiate", "--mode", "psk"],
        &["initiate", "--mode", "null", "--psk", PSK],
        &["initiate", "--mode", "rot13"],
        &[
            "initiate", "--mode", "psk", "--psk", PSK, "--ssrc", "1:2:3:4",
        ],
        &[
            "initiate",
            "--mode",
            "psk",
            "--psk",
            PSK,
            "--profile",
            "ROT13",
        ],
        &["initiate", "--mode", "psk", "--psk", PSK, "--mki-len", "5"],
        &["initiate", "--mode", "psk", "--psk", PSK, "--encr", "DES"],
        &["respond", "--mode", "psk", "--psk", PSK],
        &["respond", "--mode", "psk", "--psk", PSK, "--t", "1", "00"],
        &["complete", "--mode", "psk", "--psk", PSK, "00"],
        &["decode", "--rand", "00", "00"],
    ];
    for args in cases {
        let out = mikey(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("Usage:"));
    }
    // A fixed key of the wrong length is refused by the library: exit 1, nothing sent.
    let out = mikey(&[
        "initiate",
        "--mode",
        "psk",
        "--psk",
        PSK,
        "--transport",
        "tek",
        "--tgk",
        "00",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("wrong length"));
}

/// AES-GCM (RFC 7714 §14-15) by its RFC 7714 §14.1 names: a PSK exchange with both AEAD
/// profiles exports key ‖ 12-byte salt, and NULL mode with the TEK transport (what a
/// GStreamer peer reads) carries the same key the Responder exports.
#[test]
fn aead_profiles_by_name_in_psk_and_null_mode() {
    let (code, init, _) = mikey_json(&[
        "initiate",
        "--mode",
        "psk",
        "--psk",
        PSK,
        "--ssrc",
        "0x0a0b0c0d",
        "--ssrc",
        "0x01020304:0:1",
        "--profile",
        "AEAD_AES_128_GCM",
        "--profile",
        "aead_aes_256_gcm",
    ]);
    assert_eq!(code, 0, "{init}");
    let i_message = message_hex(&init);
    let (code, resp, _) = mikey_json(&["respond", "--mode", "psk", "--psk", PSK, &i_message]);
    assert_eq!(code, 0, "{resp}");
    let k = keys(&resp);
    assert_eq!(k, keys(&init));
    assert_eq!(k[0].2, "AEAD_AES_128_GCM");
    assert_eq!(k[1].2, "AEAD_AES_256_GCM");
    assert_eq!(k[0].3[0].0.len(), 2 * (16 + 12), "key ‖ 96-bit salt");
    assert_eq!(k[1].3[0].0.len(), 2 * (32 + 12));

    let (code, init, _) = mikey_json(&[
        "initiate",
        "--mode",
        "null",
        "--transport",
        "tek",
        "--profile",
        "AEAD_AES_128_GCM",
    ]);
    assert_eq!(code, 0, "{init}");
    let i_message = message_hex(&init);
    let (code, resp, _) = mikey_json(&["respond", "--mode", "null", &i_message]);
    assert_eq!(code, 0, "{resp}");
    assert_eq!(keys(&resp), keys(&init));
    assert_eq!(keys(&resp)[0].2, "AEAD_AES_128_GCM");
    // The SP carries Encr alg 6 and the AEAD tag length in type 20 (RFC 7714 §14.3).
    let decoded = mikey(&["decode", "--json", &i_message]);
    let text = String::from_utf8(decoded.stdout).unwrap();
    assert!(text.contains("AES-GCM"), "{text}");
    assert!(text.contains("AEAD authentication tag length"), "{text}");
}

/// `--onvif`: the ONVIF Streaming specification's SETUP example (a Genetec client: no
/// RAND, a Windows FILETIME in T) is accepted in NULL mode and its TEK and MKI printed;
/// without `--onvif` its timestamp is refused; a PSK pair of presets exchanges a TEK with
/// a 4-byte MKI.
#[test]
fn onvif_preset_reads_the_specs_setup_message() {
    const SETUP: &str = "AQAFAP1td9ABAADCD1UcAAAAAAoAAdOOGc75XD0BAAAAGAABAQEBEAIBAQMBFAcBAQgBAQoBAQsBCgAAACcAIQAe30C59UrClE0e27UP5h/Wty9UL8+dfzg+2ttmmo3kBAAAAC8A";
    // Its FILETIME, 2018-01-15T15:59:22Z, plus a second, as NTP.
    const NOW: &str = "0xde074e5b2a4761be";
    let (code, resp, _) =
        mikey_json(&["respond", "--mode", "null", "--onvif", "--now", NOW, SETUP]);
    assert_eq!(code, 0, "{resp}");
    let k = keys(&resp);
    assert_eq!(k[0].0, 0xc20f_551c);
    assert_eq!(
        k[0].3[0],
        (
            "df40b9f54ac2944d1edbb50fe61fd6b72f542fcf9d7f383edadb669a8de4".to_string(),
            "0000002f".to_string()
        )
    );
    let (code, refused, _) = mikey_json(&["respond", "--mode", "null", "--now", NOW, SETUP]);
    assert_eq!(code, 1, "{refused}");
    let out = mikey(&["respond", "--mode", "pk", "--onvif", SETUP]);
    assert_eq!(out.status.code(), Some(2), "--onvif is for psk or null");

    let (code, init, _) = mikey_json(&["initiate", "--mode", "psk", "--psk", PSK, "--onvif"]);
    assert_eq!(code, 0, "{init}");
    assert_eq!(init["state"], "established", "no verification requested");
    let (code, resp, _) = mikey_json(&[
        "respond",
        "--mode",
        "psk",
        "--psk",
        PSK,
        "--onvif",
        &message_hex(&init),
    ]);
    assert_eq!(code, 0, "{resp}");
    assert_eq!(keys(&resp), keys(&init));
    assert_eq!(keys(&resp)[0].3[0].1.len(), 8, "a 4-byte MKI");
}
