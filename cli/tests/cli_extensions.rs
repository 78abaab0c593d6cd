//! The exchange commands with General Extensions (RFC 3830 §6.15), a TESLA bootstrap (RFC
//! 4442), and broadcast delivery (RFC 4563 Empty map and Key IDs, RFC 5410 OMA BCAST) with
//! COUNTER timestamps kept in a file across runs: each step a separate process.

use serde_json::{Value, json};
use std::path::PathBuf;

mod common;
use common::{mikey, mikey_json};

const MUK: &str = "000102030405060708090a0b0c0d0e0f";

/// A fresh directory under the target directory for this test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn every_extension_type_and_tesla_reach_respond() {
    let k0 = "a5".repeat(20);
    let (code, init, err) = mikey_json(&[
        "initiate",
        "--mode",
        "psk",
        "--psk",
        MUK,
        "--ext",
        "vendor-id:000028af41",
        "--ext",
        "sakke-to-self:aa",
        "--ext",
        "3gpp-key-parameters:bb",
        "--ext",
        "250:cc",
        "--key-id",
        "domain:02f839",
        "--key-id",
        "service:00000001",
        "--key-id",
        "traffic:00000009",
        "--oma-bcast",
        "stkm:0102",
        "--tesla",
        "start=0xEB00000000000000,interval=40,delay=2,chain=90000,mac=2,mac-bits=96",
        "--tesla-key",
        &k0,
    ]);
    assert_eq!(code, 0, "{err}");
    let msg = init["message"]["base64"].as_str().unwrap();
    let (code, resp, err) = mikey_json(&["respond", "--mode", "psk", "--psk", MUK, msg]);
    assert_eq!(code, 0, "{err}");
    let exts = resp["extensions"].as_array().unwrap();
    let types: Vec<u64> = exts.iter().map(|e| e["type"].as_u64().unwrap()).collect();
    assert_eq!(types, [0, 6, 7, 250, 3, 5, 2]);
    assert_eq!(exts[0]["name"], "Vendor ID");
    assert_eq!(exts[0]["hex"], "000028af41");
    assert_eq!(exts[1]["name"], "SAKKE-to-self");
    assert_eq!(exts[2]["name"], "3GPP key parameters");
    assert_eq!(exts[3]["name"], Value::Null);
    assert_eq!(
        exts[4]["key_ids"],
        json!([
            {"type": 0, "name": "MBMS Key Domain ID", "hex": "02f839"},
            {"type": 1, "name": "MBMS Service Key ID", "hex": "00000001"},
            {"type": 2, "name": "MBMS Traffic Key ID", "hex": "00000009"},
        ])
    );
    assert_eq!(
        exts[5]["oma_bcast"],
        json!({"subtype": 2, "name": "STKM", "hex": "0102"})
    );
    assert_eq!(exts[6]["name"], "TESLA I-Key");
    let t = &resp["tesla"];
    assert_eq!(t["session_start"], 0xEB00_0000_0000_0000u64);
    assert_eq!(t["interval_ms"], 40);
    assert_eq!(t["disclosure_delay"], 2);
    assert_eq!(t["chain_length"], 90000);
    assert_eq!(t["mac"], 2);
    assert_eq!(t["mac_output_bits"], 96);
    assert_eq!(t["prf_output_bits"], 160);
    assert_eq!(t["initial_key"], k0.as_str());
    // decode names them too.
    let out = mikey(&["decode", msg]);
    let text = String::from_utf8(out.stdout).unwrap();
    for want in [
        "type: 0 (Vendor ID)",
        "vendor id: 000028af41",
        "type: 6 (SAKKE-to-self)",
        "type: 7 (3GPP key parameters)",
        "key id type: 2 (MBMS Traffic Key ID)",
        "oma bcast subtype: 2 (STKM)",
        "oma bcast data: 0102",
        "type: 2 (TESLA I-Key)",
        "prot type: 1 (TESLA)",
        "(Key disclosure delay)",
    ] {
        assert!(text.contains(want), "decode lacks {want:?}:\n{text}");
    }
}

#[test]
fn extension_usage_errors() {
    for (args, want) in [
        (vec!["--ext", "sdp-ids:00"], "SDP IDs"),
        (vec!["--ext", "vendor-id"], "TYPE:HEX"),
        (vec!["--ext", "256:00"], "above 255"),
        (vec!["--key-id", "nosuch:00"], "not one of domain"),
        (vec!["--tesla-key", "00"], "--tesla and --tesla-key"),
        (
            vec![
                "--tesla",
                "start=1,interval=0,delay=1,chain=1",
                "--tesla-key",
                "00",
            ],
            "TESLA",
        ),
        (
            vec!["--tesla", "start=1,interval=1"],
            "start, interval, delay and chain",
        ),
        (vec!["--timestamp", "counter"], "--counter-file"),
    ] {
        let mut all = vec!["initiate", "--mode", "psk", "--psk", MUK];
        all.extend(args.iter().copied());
        let out = mikey(&all);
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(want), "{args:?}: {stderr}");
    }
}

/// The MBMS flow of RFC 4563 with a BM-SC and a UE as separate runs: the MSK under the MUK
/// (Empty map, Key IDs, COUNTER from the server's file, no answer), then the MTK under the
/// MSK; the UE's file refuses the same message again and any older one.
#[test]
fn mbms_push_across_runs_with_counter_files() {
    let dir = scratch("mbms_push");
    let server = dir.join("bmsc.counter");
    let ue = dir.join("ue.counter");
    let (server, ue) = (server.to_str().unwrap(), ue.to_str().unwrap());
    let push = |psk: &str, extra: &[&str]| {
        let mut args = vec![
            "initiate",
            "--mode",
            "psk",
            "--psk",
            psk,
            "--no-verify",
            "--timestamp",
            "counter",
            "--counter-file",
            server,
            "--key-id",
            "domain:02f839",
            "--key-id",
            "service:00000001",
        ];
        args.extend_from_slice(extra);
        let (code, v, err) = mikey_json(&args);
        assert_eq!(code, 0, "{err}");
        v["message"]["base64"].as_str().unwrap().to_string()
    };
    let receive = |psk: &str, msg: &str| {
        mikey_json(&[
            "respond",
            "--mode",
            "psk",
            "--psk",
            psk,
            "--counter-file",
            ue,
            "--carried-keys",
            msg,
        ])
    };
    let msk_message = push(MUK, &["--empty-map"]);
    assert_eq!(
        std::fs::read_to_string(server).unwrap(),
        "sent 1\naccepted 0\n"
    );
    let (code, v, err) = receive(MUK, &msk_message);
    assert_eq!(code, 0, "{err}");
    assert_eq!(v["message"], Value::Null);
    assert_eq!(std::fs::read_to_string(ue).unwrap(), "sent 0\naccepted 1\n");
    let msk = v["carried_keys"][0]["key"].as_str().unwrap().to_string();
    assert_eq!(v["carried_keys"][0]["type"], "TGK");
    assert_eq!(v["extensions"][0]["key_ids"][1]["hex"], "00000001");
    // The decoded message has the Empty map and COUNTER 1.
    let out = String::from_utf8(mikey(&["decode", &msk_message]).stdout).unwrap();
    assert!(out.contains("cs id map type: 1 (Empty map)"), "{out}");
    assert!(out.contains("ts type: 2 (COUNTER)"), "{out}");

    let mtk_message = push(
        &msk,
        &["--key-id", "traffic:00000009", "--ssrc", "0x4d424d53"],
    );
    let (code, v, err) = receive(&msk, &mtk_message);
    assert_eq!(code, 0, "{err}");
    assert_eq!(v["crypto_sessions"][0]["ssrc"], 0x4d42_4d53);
    assert_eq!(std::fs::read_to_string(ue).unwrap(), "sent 0\naccepted 2\n");
    // Again, in a new run: refused (the file remembers), and so is the older MSK message.
    for old in [&mtk_message, &msk_message] {
        let psk = if old == &mtk_message {
            msk.as_str()
        } else {
            MUK
        };
        let (code, v, _) = receive(psk, old);
        assert_eq!(code, 1);
        assert_eq!(v["error"]["message"], "replayed message", "{v}");
    }
    // A corrupt file is refused before anything is sent.
    std::fs::write(server, "sent many\n").unwrap();
    let out = mikey(&[
        "initiate",
        "--mode",
        "psk",
        "--psk",
        MUK,
        "--timestamp",
        "counter",
        "--counter-file",
        server,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("is not \"sent N\"")
    );
}
