//! `mikey decode` end to end: every input form, the text tree, `--json`, and errors.

use std::io::Write;
use std::process::{Command, Stdio};

mod common;
use common::mikey_stdin as mikey;

fn data_path(name: &str) -> String {
    format!("{}/../tests/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

const OFFER_B64: &str = "AQAFgM0XflABAAAAAAAAAAAAAAsAyONQ6gAAAAAGEEoo2pee4hp2UaDX8ZE22YwKAAAPZG9uYWxkQGR1Y2suY29tAQAAAAAAAQAk0JKpgaVkDaawi9whVBtBt0KZ14ymNuu62+Nv3ozPLygwK/GbAV9iemnGUIZ19fWQUOSrzKTAv9zV";

#[test]
fn decodes_the_rfc4567_offer_from_every_input_form() {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(OFFER_B64)
        .unwrap();
    let bin = std::env::temp_dir().join(format!("mikey-cli-test-{}.bin", std::process::id()));
    std::fs::write(&bin, &bytes).unwrap();
    let line = format!("a=key-mgmt:mikey {OFFER_B64}");
    let hex = hex::encode(&bytes);
    let sdp = data_path("rfc4567-example1-offer.sdp");
    let forms: Vec<Vec<&str>> = vec![
        vec!["decode", OFFER_B64],
        vec!["decode", &line],
        vec!["decode", &hex],
        vec!["decode", &sdp],
        vec!["decode", bin.to_str().unwrap()],
    ];
    let mut outputs = Vec::new();
    for args in &forms {
        let out = mikey(args, None);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        outputs.push(String::from_utf8(out.stdout).unwrap());
    }
    let stdin = mikey(&["decode", "-"], Some(line.as_bytes()));
    outputs.push(String::from_utf8(stdin.stdout).unwrap());
    std::fs::remove_file(&bin).unwrap();
    assert!(outputs.iter().all(|o| o == &outputs[0]));

    let text = &outputs[0];
    for needle in [
        "MIKEY message, 132 bytes",
        "data type: 0 (Pre-shared)",
        "next payload: 5 (T)",
        "v: 1",
        "prf func: 0 (MIKEY-1)",
        "csb id: 0xcd177e50",
        "cs id map type: 0 (SRTP-ID)",
        "ssrc: 0x00000000",
        "ts type: 0 (NTP-UTC)",
        "ts value: 0xc8e350ea00000000",
        "ts time: \"2006-10-20T13:43:06Z\"",
        "rand: 4a28da979ee21a7651a0d7f19136d98c",
        "id type: 0 (NAI)",
        "id data: \"donald@duck.com\"",
        "prot type: 0 (SRTP)",
        "encr alg: 1 (AES-CM-128)",
        "encr data len: 36",
        "mac alg: 1 (HMAC-SHA-1-160)",
        "mac: 5f627a69c6508675f5f59050e4abcca4c0bfdcd5",
        "next payload: 0 (Last payload)",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
}

#[test]
fn decodes_the_rfc4567_answer_from_the_rtsp_request() {
    let out = mikey(&["decode", &data_path("rfc4567-example3-setup.rtsp")], None);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "MIKEY message, 71 bytes",
        "data type: 1 (PSK ver msg)",
        "id data: \"mickey@mouse.com\"",
        "auth alg: 1 (HMAC-SHA-1-160)",
        "ver data: 9fc1dd184e413035c522e18481afbad80818e5c7",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
}

#[test]
fn json_output_is_machine_readable() {
    let out = mikey(
        &[
            "decode",
            "--json",
            &data_path("rfc4567-example1-answer.sdp"),
        ],
        None,
    );
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["status"], "ok");
    assert_eq!(v["length"], 71);
    let payloads = v["payloads"].as_array().unwrap();
    assert_eq!(payloads.len(), 4);
    assert_eq!(payloads[0]["payload"], "HDR");
    assert_eq!(payloads[0]["fields"]["csb_id"], 0xCD17_7E50u32);
    assert_eq!(payloads[0]["fields"]["data_type"]["name"], "PSK ver msg");
    assert_eq!(payloads[2]["fields"]["id_data"], "mickey@mouse.com");
    assert_eq!(payloads[3]["offset"], 49);
    assert_eq!(payloads[3]["fields"]["auth_alg"]["value"], 1);
}

#[test]
fn key_data_of_a_null_kemac_is_shown() {
    // HDR (PSK, 1 CS), KEMAC NULL/NULL with one TEK Key data (KV SPI, MKI 00000001).
    let msg = "0100018000000001010000deadbeef00000000000000270021001e000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d040000000100";
    let out = mikey(&["decode", msg], None);
    let text = String::from_utf8(out.stdout).unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{err}");
    for needle in [
        "Key data",
        "type: 2 (TEK)",
        "kv: 1 (SPI)",
        "spi: 00000001",
        "key data len: 30",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
}

#[test]
fn bad_input_fails_with_the_offset() {
    let out = mikey(&["decode", "0100058000"], None);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("at byte 4: truncated HDR CSB ID"), "{err}");
    let out = mikey(&["decode", "--json", "0200"], None);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["status"], "error");
    assert_eq!(v["error"]["offset"], 0);
    assert_eq!(
        mikey(&["decode", "!!not base64!!"], None).status.code(),
        Some(1)
    );
    assert_eq!(mikey(&["decode"], None).status.code(), Some(2));
    assert_eq!(mikey(&["frobnicate"], None).status.code(), Some(2));
}

#[test]
fn every_usage_error_exits_2_with_the_usage_line_only() {
    let cases: [&[&str]; 7] = [
        &[],
        &["decode", ""],
        &["decode", "--psk", "", "00"],
        &["decode", "--max-payloads", "0", "00"],
        &["respond", "--mode", "psk", "--psk", "00", ""],
        &["complete", "--mode", "null", "--sent", "", "00"],
        &["initiate", "--mode", "psk", "--psk", "00", "--ssrc", ""],
    ];
    for args in cases {
        let out = mikey(args, None);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("Usage: mikey"), "{args:?}: {err}");
        // The usage line, not the whole help.
        assert!(!err.contains("Options:"), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn each_subcommand_has_its_help() {
    for (command, option) in [
        ("decode", "--max-payloads"),
        ("initiate", "--ssrc"),
        ("respond", "--now"),
        ("complete", "--sent"),
    ] {
        let out = mikey(&[command, "--help"], None);
        assert!(out.status.success(), "{command}");
        let help = String::from_utf8(out.stdout).unwrap();
        assert!(help.contains(&format!("Usage: mikey {command}")), "{help}");
        assert!(help.contains(option), "{command}: {help}");
    }
    let out = mikey(&["--version"], None);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("mikey {}\n", mikey::VERSION)
    );
}

#[test]
fn a_file_without_a_message_says_so() {
    let file = temp_file("no-key-mgmt.txt", b"root:x:0:0:root:/root:/bin/bash\n");
    let out = mikey(&["decode", file.to_str().unwrap()], None);
    std::fs::remove_file(&file).unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("this file has no a=key-mgmt line, no KeyMgmt header"),
        "{err}"
    );
}

/// The answer of RFC 4567 §5.1 (Example 1), a verification message.
fn answer_b64() -> String {
    let sdp = std::fs::read_to_string(data_path("rfc4567-example1-answer.sdp")).unwrap();
    let line = sdp
        .lines()
        .find(|l| l.starts_with("a=key-mgmt:mikey "))
        .unwrap();
    line["a=key-mgmt:mikey ".len()..].to_string()
}

#[test]
fn an_sdp_with_media_level_key_mgmt_decodes_each_labelled_by_media() {
    // Session level: the offer; the video section overrides it with the answer (RFC 4567
    // §3.1), and a second MIKEY attribute of the video section does not apply.
    let sdp = format!(
        "v=0\r\ns=x\r\na=key-mgmt:mikey {OFFER_B64}\r\nt=0 0\r\n\
         m=audio 49000 RTP/SAVP 98\r\na=rtpmap:98 AMR/8000\r\n\
         m=video 52230 RTP/SAVP 31\r\na=key-mgmt:mikey {answer}\r\n\
         a=key-mgmt:mikey AQID\r\n\
         m=text 11000 RTP/SAVP 100\r\n",
        answer = answer_b64()
    );
    let file = temp_file("media-level.sdp", sdp.as_bytes());
    let path = file.to_str().unwrap().to_string();
    let out = mikey(&["decode", &path], None);
    let text = String::from_utf8(out.stdout).unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{err}");
    let offer = "== a=key-mgmt at line 3 (session level), for m=audio 49000 RTP/SAVP 98; \
                 m=text 11000 RTP/SAVP 100\nMIKEY message, 132 bytes\n";
    let answer = "== a=key-mgmt at line 8 (media level), for m=video 52230 RTP/SAVP 31\n\
                  MIKEY message, 71 bytes\n";
    let (at_offer, at_answer) = (text.find(offer), text.find(answer));
    assert!(at_offer.is_some() && at_answer.is_some(), "{text}");
    assert!(text.contains("data type: 1 (PSK ver msg)"), "{text}");
    assert!(
        err.contains("line 9: a second a=key-mgmt:mikey for m=video 52230 RTP/SAVP 31"),
        "{err}"
    );

    let out = mikey(&["decode", "--json", &path], None);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let messages = v["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0]["level"], "session");
    assert_eq!(messages[0]["key_mgmt_line"], 3);
    assert_eq!(messages[0]["message"]["length"], 132);
    assert_eq!(messages[1]["level"], "media");
    assert_eq!(messages[1]["media"][0], "m=video 52230 RTP/SAVP 31");
    assert_eq!(messages[1]["message"]["length"], 71);

    // respond needs one message: it names the attributes instead of taking the first.
    let out = mikey(&["respond", "--mode", "null", &path], None);
    std::fs::remove_file(&file).unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("the SDP has 2 key-mgmt attributes"), "{err}");
}

/// HDR (PSK, no crypto session) and one CERT payload: a well-formed message of `len`
/// bytes (14 to 65549).
fn cert_message(len: usize) -> Vec<u8> {
    let data = len - 14;
    let mut m = vec![1, 0, 7, 0, 0, 0, 0, 1, 0, 0, 0, 0];
    m.extend_from_slice(&(data as u16).to_be_bytes());
    m.resize(len, 0xC5);
    m
}

fn temp_file(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("mikey-cli-{}-{name}", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn a_message_over_the_limit_is_refused_naming_the_limit_and_the_flag() {
    let over = temp_file("over.bin", &cert_message(65537));
    let over = over.to_str().unwrap();
    let hex = hex::encode(cert_message(65537));
    for (args, stdin) in [
        (vec!["decode", over], None),
        (vec!["decode", "--json", over], None),
        (vec!["decode", "-"], Some(hex.as_bytes())),
        (vec!["respond", "--mode", "null", over], None),
        (
            vec!["complete", "--mode", "null", "--sent", over, over],
            None,
        ),
    ] {
        let out = mikey(&args, stdin);
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains("the message is 65537 bytes, more than the limit of 65536 bytes")
                && err.contains("--max-size"),
            "{args:?}: {err}"
        );
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    // 65536 bytes is within the default limit.
    let at = temp_file("at.bin", &cert_message(65536));
    let out = mikey(&["decode", at.to_str().unwrap()], None);
    assert!(out.status.success());
    std::fs::remove_file(at).unwrap();
    // --max-size lets the longer message through, and is range-checked.
    let out = mikey(&["decode", "--max-size", "65537", over], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("MIKEY message, 65537 bytes\n"),
        "{}",
        &text[..80]
    );
    let out = mikey(&["decode", "--json", "--max-size", "0x10001", over], None);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (v["status"].as_str(), v["length"].as_u64()),
        (Some("ok"), Some(65537))
    );
    for bad in ["1023", "16777217", "lots"] {
        let out = mikey(&["decode", "--max-size", bad, over], None);
        assert_eq!(out.status.code(), Some(2), "{bad}");
    }
    std::fs::remove_file(over).unwrap();
}

#[test]
fn standard_input_is_read_only_up_to_the_bound() {
    // Far more than any message of 65536 bytes in any text form: mikey stops reading
    // (and exits) after 3 x 65536 + 65536 + 1 bytes, so the rest cannot be written.
    let mut child = Command::new(env!("CARGO_BIN_EXE_mikey"))
        .args(["decode", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let block = vec![b'a'; 1 << 16];
        (0..1024).try_for_each(|_| input.write_all(&block))
    });
    let out = child.wait_with_output().unwrap();
    let written = writer.join().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("the input is longer than 262144 bytes") && err.contains("--max-size"),
        "{err}"
    );
    assert_eq!(
        written.map_err(|e| e.kind()),
        Err(std::io::ErrorKind::BrokenPipe),
        "all 64 MiB were read"
    );
}

#[test]
fn a_decode_of_many_payloads_streams_every_one() {
    // HDR then 3000 RAND payloads of 16 bytes: over the 512-payload bound unless raised.
    let n = 3000;
    let mut m = vec![1, 0, 11, 0, 0, 0, 0, 1, 0, 0];
    for i in 0..n {
        m.push(if i + 1 < n { 11 } else { 0 });
        m.push(16);
        m.extend_from_slice(&[i as u8; 16]);
    }
    let file = temp_file("many.bin", &m);
    let path = file.to_str().unwrap();
    let out = mikey(&["decode", path], None);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("at byte 9226: more than 512 payloads"),
        "{err}"
    );
    let out = mikey(&["decode", "--max-payloads", "3000", path], None);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.matches("\nRAND (bytes ").count(), n);
    assert!(text.ends_with("  rand: b7b7b7b7b7b7b7b7b7b7b7b7b7b7b7b7\n"));
    let out = mikey(&["decode", "--json", "--max-payloads", "3000", path], None);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let payloads = v["payloads"].as_array().unwrap();
    assert_eq!(payloads.len(), n + 1);
    assert_eq!(payloads[n]["offset"], 10 + 18 * (n - 1));
    assert_eq!(v["hex"].as_str().unwrap(), hex::encode(&m));
    // One past the bound: the error names the first payload past it.
    let out = mikey(&["decode", "--json", "--max-payloads", "2999", path], None);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["offset"], 10 + 18 * 2999);
    std::fs::remove_file(file).unwrap();
}

#[test]
fn a_folded_key_mgmt_line_is_read_whole_from_a_file_and_stdin() {
    // The offer's attribute folded twice (a continuation line starts with a space or a
    // tab), inside the RFC 4567 example SDP so that the next attribute follows it.
    let folded = format!(
        "a=key-mgmt:mikey {}\n {}\n\t{}",
        &OFFER_B64[..60],
        &OFFER_B64[60..120],
        &OFFER_B64[120..]
    );
    let sdp = std::fs::read_to_string(data_path("rfc4567-example1-offer.sdp")).unwrap();
    let line = format!("a=key-mgmt:mikey {OFFER_B64}");
    assert!(sdp.contains(&line));
    let expected = mikey(&["decode", &line], None);
    assert!(expected.status.success());
    for eol in ["\n", "\r\n"] {
        let text = sdp.replace(&line, &folded).replace('\n', eol);
        let file = std::env::temp_dir().join(format!(
            "mikey-cli-folded-{}-{}.sdp",
            std::process::id(),
            eol.len()
        ));
        std::fs::write(&file, &text).unwrap();
        let from_file = mikey(&["decode", file.to_str().unwrap()], None);
        std::fs::remove_file(&file).unwrap();
        let from_stdin = mikey(&["decode", "-"], Some(text.as_bytes()));
        let lone_line = folded.replace('\n', eol);
        let from_line = mikey(&["decode", "-"], Some(lone_line.as_bytes()));
        for (what, out) in [
            ("file", from_file),
            ("stdin", from_stdin),
            ("line", from_line),
        ] {
            assert!(
                out.status.success(),
                "{what} with {eol:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(out.stdout, expected.stdout, "{what} with {eol:?}");
        }
    }
}
