//! `mikey sdp wrap|unwrap` and `mikey rtsp wrap|unwrap` end to end: byte-exact round
//! trips through every carriage, the RFC 4567 examples, the ONVIF Streaming
//! Specification's RTSP messages, media selection in a whole SDP, and the errors.

use base64::Engine;
use std::path::PathBuf;

mod common;
use common::mikey_stdin as mikey;

/// The standard output of a run that must succeed.
fn ok(args: &[&str]) -> String {
    let out = mikey(args, None);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The standard error of a run that must fail with exit status `code`, having printed
/// nothing on standard output.
fn fails(code: i32, args: &[&str]) -> String {
    let out = mikey(args, None);
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
    assert!(
        out.stdout.is_empty(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    err
}

fn data_path(name: &str) -> String {
    format!("{}/../tests/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// A file under Cargo's temporary directory for integration tests (in the target
/// directory), named for this process.
fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("mikey-carriage-{}-{name}", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    path
}

fn b64(text: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .unwrap()
}

/// RFC 4567 §5.1 Example 1: the offer (132 bytes) and the answer (71 bytes).
const OFFER_B64: &str = "AQAFgM0XflABAAAAAAAAAAAAAAsAyONQ6gAAAAAGEEoo2pee4hp2UaDX8ZE22YwKAAAPZG9uYWxkQGR1Y2suY29tAQAAAAAAAQAk0JKpgaVkDaawi9whVBtBt0KZ14ymNuu62+Nv3ozPLygwK/GbAV9iemnGUIZ19fWQUOSrzKTAv9zV";
const ANSWER_B64: &str = "AQEFgM0XflABAAAAAAAAAAAAAAYAyONQ6gAAAAAJAAAQbWlja2V5QG1vdXNlLmNvbQABn8HdGE5BMDXFIuGEga+62AgY5cc=";
/// The ONVIF Streaming Specification's messages (shared/samples/onvif-streaming.md):
/// SETUP KeyMgmt (onvif-3), SET_PARAMETER re-key (onvif-4), GET_PARAMETER answer
/// (onvif-5).
const ONVIF_SETUP_B64: &str = "AQAFAP1td9ABAADCD1UcAAAAAAoAAdOOGc75XD0BAAAAGAABAQEBEAIBAQMBFAcBAQgBAQoBAQsBCgAAACcAIQAe30C59UrClE0e27UP5h/Wty9UL8+dfzg+2ttmmo3kBAAAAC8A";
const ONVIF_SET_B64: &str = "AQAFAGgCr8EBAADSvxgkAAAAAAoAAdOOK7UihqIBAAAAGAABAQEBEAIBAQMBFAcBAQgBAQoBAQsBCgAAACcAIQAepekjs88g+Q7AU6LAvRsoVyn18ZW1JuXI9qht4g6+BAAAAAIA";
const ONVIF_GET_B64: &str = "AQAFAGrVolgBAADdBcAoAAAAAAsA2/K83QArhBIKEGrVolg1GZvp7DPyFCdYmXABAAAAGwABAQEBEAIBAQMBFAQBDgcBAQgBAQoBAQsBCgAAACcAIQAe7OzS5umZMXHqaegZC3UkDwbC5NNpj4b8+fB6MROeBAAAAA0A";

/// HDR (PSK, 1 CS), KEMAC NULL/NULL with one TEK (KV SPI, MKI 00000001); given in hex.
const TEK_MESSAGE_HEX: &str = "0100018000000001010000deadbeef00000000000000270021001e000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d040000000100";

#[test]
fn wrap_then_unwrap_is_byte_exact_through_every_carriage() {
    let messages: Vec<Vec<u8>> = [
        OFFER_B64,
        ANSWER_B64,
        ONVIF_SETUP_B64,
        ONVIF_SET_B64,
        ONVIF_GET_B64,
    ]
    .iter()
    .map(|t| b64(t))
    .chain(std::iter::once(hex::decode(TEK_MESSAGE_HEX).unwrap()))
    .collect();
    for (i, bytes) in messages.iter().enumerate() {
        let hex = hex::encode(bytes);
        let base64 = base64::engine::general_purpose::STANDARD.encode(bytes);
        let bin = temp_file(&format!("round-{i}.bin"), bytes);
        let bin = bin.to_str().unwrap();

        // Every input form of the message wraps to the same line.
        let line = ok(&["sdp", "wrap", &hex]);
        assert_eq!(line, format!("a=key-mgmt:mikey {base64}\n"));
        assert_eq!(ok(&["sdp", "wrap", &base64]), line);
        assert_eq!(ok(&["sdp", "wrap", bin]), line);
        let header = ok(&["rtsp", "wrap", bin]);
        assert_eq!(header, format!("KeyMgmt: prot=mikey; data=\"{base64}\"\n"));
        let with_uri = ok(&["rtsp", "wrap", "--uri", "rtsp://a.example/s", &hex]);
        assert_eq!(
            with_uri,
            format!("KeyMgmt: prot=mikey; uri=\"rtsp://a.example/s\"; data=\"{base64}\"\n")
        );
        let body = ok(&["rtsp", "wrap", "--parameter", &hex]);
        assert_eq!(body, format!("mikey: {base64}\r\n"));

        // Each unwraps to the same bytes: base64, hex, and raw into a file.
        for (command, text) in [
            ("sdp", &line),
            ("rtsp", &header),
            ("rtsp", &with_uri),
            ("rtsp", &body),
        ] {
            let text = text.trim_end();
            assert_eq!(ok(&[command, "unwrap", text]), format!("{base64}\n"));
            assert_eq!(ok(&[command, "unwrap", "--hex", text]), format!("{hex}\n"));
            let out = PathBuf::from(format!("{bin}.{command}.out"));
            ok(&[command, "unwrap", "--out", out.to_str().unwrap(), text]);
            assert_eq!(&std::fs::read(&out).unwrap(), bytes, "{command} {text}");
            std::fs::remove_file(out).unwrap();
            // And from standard input, its line end included.
            let from_stdin = mikey(
                &[command, "unwrap", "-"],
                Some(format!("{text}\r\n").as_bytes()),
            );
            assert!(from_stdin.status.success());
            assert_eq!(from_stdin.stdout, format!("{base64}\n").as_bytes());
        }
        // A wrapped form is also what decode reads.
        assert_eq!(ok(&["decode", body.as_str()]), ok(&["decode", &hex]));
        std::fs::remove_file(bin).unwrap();
    }
}

#[test]
fn unwrap_decode_prints_the_tree_of_mikey_decode() {
    let line = format!("a=key-mgmt:mikey {OFFER_B64}");
    let tree = ok(&["sdp", "unwrap", "--decode", &line]);
    assert_eq!(tree, ok(&["decode", OFFER_B64]));
    assert!(tree.starts_with("MIKEY message, 132 bytes\n"), "{tree}");
    let body = format!("mikey: {ONVIF_SET_B64}\r\n");
    let tree = ok(&["rtsp", "unwrap", "--decode", &body]);
    assert_eq!(tree, ok(&["decode", ONVIF_SET_B64]));
}

#[test]
fn rfc4567_examples_unwrap() {
    // Example 1's offer: the session-level attribute, which applies to both media.
    let out = mikey(
        &["sdp", "unwrap", &data_path("rfc4567-example1-offer.sdp")],
        None,
    );
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("{OFFER_B64}\n")
    );
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err,
        "mikey: a=key-mgmt:mikey at line 7 (session level), for m=audio 49000 RTP/SAVP 98; \
         m=video 52230 RTP/SAVP 31\n"
    );
    assert_eq!(
        ok(&[
            "sdp",
            "unwrap",
            "--media",
            "1",
            &data_path("rfc4567-example1-answer.sdp")
        ]),
        format!("{ANSWER_B64}\n")
    );
    // Example 3: the answer in the KeyMgmt header of a SETUP request, folded.
    let setup = data_path("rfc4567-example3-setup.rtsp");
    assert_eq!(ok(&["rtsp", "unwrap", &setup]), format!("{ANSWER_B64}\n"));
    assert_eq!(
        ok(&[
            "rtsp",
            "unwrap",
            "--uri",
            "rtsp://movie.example.com/action",
            &setup
        ]),
        format!("{ANSWER_B64}\n")
    );
    // Wrapped again with its uri: the header of the example on one line.
    let header = ok(&[
        "rtsp",
        "wrap",
        "--uri",
        "rtsp://movie.example.com/action",
        ANSWER_B64,
    ]);
    assert_eq!(
        header,
        format!(
            "KeyMgmt: prot=mikey; uri=\"rtsp://movie.example.com/action\"; data=\"{ANSWER_B64}\"\n"
        )
    );
    // The example's SDP files are not RTSP, and its RTSP request is not SDP.
    let err = fails(1, &["sdp", "unwrap", &setup]);
    assert!(
        err.contains("no a=key-mgmt attribute") && err.contains("mikey rtsp unwrap"),
        "{err}"
    );
    let err = fails(
        1,
        &["rtsp", "unwrap", &data_path("rfc4567-example1-offer.sdp")],
    );
    assert!(
        err.contains("no KeyMgmt header and no mikey parameter"),
        "{err}"
    );
}

#[test]
fn onvif_rtsp_messages_unwrap_and_the_re_key_body_is_the_specifications() {
    // SET_PARAMETER body: exactly the specification's, whose Content-Length is 145.
    let body = ok(&["rtsp", "wrap", "--parameter", ONVIF_SET_B64]);
    assert_eq!(body.len(), 145);
    assert_eq!(body, format!("mikey: {ONVIF_SET_B64}\r\n"));

    // The re-keying request as the specification prints it: its base64 broken after 79
    // characters for print, without indentation.
    let request = format!(
        "SET_PARAMETER rtsp://192.0.2.10/onvif/media RTSP/1.0\r\nCSeq: 6\r\n\
         Session: 15405670\r\nUser-Agent: OmnicastRTSPClient/1.0\r\n\
         Content-Type: text/parameters\r\nContent-Length: 145\r\n\r\nmikey: {}\r\n{}\r\n",
        &ONVIF_SET_B64[..79],
        &ONVIF_SET_B64[79..]
    );
    let file = temp_file("onvif-set.rtsp", request.as_bytes());
    let path = file.to_str().unwrap();
    assert_eq!(ok(&["rtsp", "unwrap", path]), format!("{ONVIF_SET_B64}\n"));
    // decode reads the request file too.
    assert_eq!(ok(&["decode", path]), ok(&["decode", ONVIF_SET_B64]));
    std::fs::remove_file(&file).unwrap();

    // The device's answer to GET_PARAMETER, LF line ends.
    let answer = format!(
        "RTSP/1.0 200 OK\nCSeq: 4\n\nmikey: {}\n{}\n",
        &ONVIF_GET_B64[..80],
        &ONVIF_GET_B64[80..]
    );
    let out = mikey(&["rtsp", "unwrap", "--hex", "-"], Some(answer.as_bytes()));
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("{}\n", hex::encode(b64(ONVIF_GET_B64)))
    );

    // The client's SETUP KeyMgmt header as the specification writes it (no spaces, an
    // empty uri), joined onto one line.
    let setup = format!(
        "SETUP rtsp://192.0.2.10/onvif/media RTSP/1.0\r\nCSeq: 2\r\n\
         Transport: RTP/SAVP/UDP;unicast\r\nKeyMgmt: prot=mikey;uri=\"\";data=\"{ONVIF_SETUP_B64}\"\r\n"
    );
    assert_eq!(
        ok(&["rtsp", "unwrap", &setup]),
        format!("{ONVIF_SETUP_B64}\n")
    );
    assert_eq!(
        ok(&["rtsp", "wrap", "--uri", "", ONVIF_SETUP_B64]),
        format!("KeyMgmt: prot=mikey; uri=\"\"; data=\"{ONVIF_SETUP_B64}\"\n")
    );

    // The GET_PARAMETER request asks for the message; it carries none.
    let err = fails(1, &["rtsp", "unwrap", "mikey\r\n"]);
    assert!(
        err.contains("has no value") && err.contains("GET_PARAMETER"),
        "{err}"
    );
}

#[test]
fn a_whole_sdp_unwraps_per_media_and_says_which_level() {
    // Session level: the offer; video overrides it with the answer, and a second MIKEY
    // attribute of the video section does not apply.
    let sdp = format!(
        "v=0\r\ns=x\r\na=key-mgmt:mikey {OFFER_B64}\r\nt=0 0\r\n\
         m=audio 49000 RTP/SAVP 98\r\na=rtpmap:98 AMR/8000\r\n\
         m=video 52230 RTP/SAVP 31\r\na=key-mgmt:mikey {ANSWER_B64}\r\n\
         a=key-mgmt:mikey AQID\r\n\
         m=text 11000 RTP/SAVP 100\r\n"
    );
    let file = temp_file("levels.sdp", sdp.as_bytes());
    let path = file.to_str().unwrap();
    let err = fails(1, &["sdp", "unwrap", path]);
    assert!(
        err.contains("the SDP has 2 a=key-mgmt:mikey attributes for different media")
            && err.contains("line 3 (session level), for m=audio 49000 RTP/SAVP 98; m=text")
            && err.contains("line 8 (media level), for m=video 52230 RTP/SAVP 31")
            && err.contains("--media N"),
        "{err}"
    );
    for (media, expected, level) in [
        (
            "0",
            OFFER_B64,
            "line 3 (session level), for m=audio 49000 RTP/SAVP 98\n",
        ),
        (
            "1",
            ANSWER_B64,
            "line 8 (media level), for m=video 52230 RTP/SAVP 31\n",
        ),
        (
            "2",
            OFFER_B64,
            "line 3 (session level), for m=text 11000 RTP/SAVP 100\n",
        ),
    ] {
        let out = mikey(&["sdp", "unwrap", "--media", media, path], None);
        assert!(out.status.success(), "--media {media}");
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            format!("{expected}\n")
        );
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.ends_with(level), "--media {media}: {err}");
        let warned = err.contains("warning: line 9: a second a=key-mgmt:mikey");
        assert_eq!(warned, media == "1", "--media {media}: {err}");
    }
    let err = fails(1, &["sdp", "unwrap", "--media", "3", path]);
    assert!(
        err.contains("--media 3: the SDP has 3 media sections (0 to 2)"),
        "{err}"
    );
    std::fs::remove_file(&file).unwrap();

    // A section without an attribute at either level.
    let bare = "v=0\nm=audio 0 RTP/SAVP 0\na=key-mgmt:mikey AQID\nm=video 0 RTP/AVP 31\n";
    let err = fails(1, &["sdp", "unwrap", "--media", "1", bare]);
    assert!(
        err.contains("no a=key-mgmt:mikey attribute applies to media 1 (m=video 0 RTP/AVP 31)"),
        "{err}"
    );
}

#[test]
fn errors_exit_1_and_usage_errors_exit_2() {
    // Nothing to wrap: not a MIKEY message (wrap prints nothing), or not a message at all.
    let err = fails(1, &["sdp", "wrap", "00"]);
    assert!(
        err.contains("not a MIKEY message, nothing wrapped: parse error at byte 0"),
        "{err}"
    );
    let err = fails(1, &["rtsp", "wrap", "--parameter", "0100058000"]);
    assert!(err.contains("parse error at byte 4"), "{err}");
    fails(1, &["rtsp", "wrap", "!!not base64!!"]);

    // Carriages that hold no message.
    let err = fails(1, &["sdp", "unwrap", "a=key-mgmt:mikey A*ID"]);
    assert!(err.contains("invalid base64"), "{err}");
    let err = fails(1, &["sdp", "unwrap", "a=key-mgmt:keyp1 AQID"]);
    assert!(
        err.contains("key management protocol is \"keyp1\""),
        "{err}"
    );
    let err = fails(1, &["sdp", "unwrap", "m=audio 0 RTP/AVP 0"]);
    assert!(
        err.contains("the input has no a=key-mgmt attribute"),
        "{err}"
    );
    let err = fails(1, &["rtsp", "unwrap", "jitter: 0.3838\r\n"]);
    assert!(
        err.contains("no KeyMgmt header and no mikey parameter"),
        "{err}"
    );
    let err = fails(1, &["rtsp", "unwrap", "mikey: AQID\r\nmikey: BAU=\r\n"]);
    assert!(err.contains("more than one \"mikey\" parameter"), "{err}");
    let err = fails(1, &["rtsp", "unwrap", "KeyMgmt: prot=keyp1; data=\"AQID\""]);
    assert!(
        err.contains("key management protocol is \"keyp1\""),
        "{err}"
    );
    let two = "KeyMgmt: prot=mikey; uri=\"rtsp://a/1\"; data=\"AQID\", prot=mikey; uri=\"rtsp://a/2\"; data=\"BAU=\"";
    let err = fails(1, &["rtsp", "unwrap", two]);
    assert!(
        err.contains("2 prot=mikey key-mgmt-specs (uri \"rtsp://a/1\", uri \"rtsp://a/2\")")
            && err.contains("--uri URI"),
        "{err}"
    );
    let err = fails(1, &["rtsp", "unwrap", "--uri", "rtsp://a/3", two]);
    assert!(
        err.contains("no prot=mikey key-mgmt-spec with uri \"rtsp://a/3\""),
        "{err}"
    );
    let err = fails(1, &["rtsp", "unwrap", "--uri", "rtsp://a/1", "mikey: AQID"]);
    assert!(err.contains("the input has none"), "{err}");

    // Carried data that is not a MIKEY message: printed all the same, with exit status 1.
    let out = mikey(&["rtsp", "unwrap", "--uri", "rtsp://a/2", two], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(out.stdout, b"BAU=\n");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("the unwrapped data is not a MIKEY message: parse error"),
        "{err}"
    );

    // A message over --max-size.
    let big = hex::encode([0u8; 1500]);
    let err = fails(
        1,
        &[
            "sdp",
            "unwrap",
            "--max-size",
            "1024",
            &format!(
                "a=key-mgmt:mikey {}",
                base64::engine::general_purpose::STANDARD.encode(hex::decode(&big).unwrap())
            ),
        ],
    );
    assert!(
        err.contains("more than the limit of 1024 bytes") && err.contains("--max-size"),
        "{err}"
    );

    // Usage errors: the usage line of the subcommand, exit status 2.
    for (args, usage) in [
        (&["sdp"][..], "Usage: mikey sdp <COMMAND>"),
        (&["rtsp"], "Usage: mikey rtsp <COMMAND>"),
        (&["sdp", "wrap"], "Usage: mikey sdp wrap"),
        (&["sdp", "unwrap", ""], "Usage: mikey sdp unwrap"),
        (
            &["sdp", "unwrap", "--hex", "--decode", "x"],
            "Usage: mikey sdp unwrap",
        ),
        (
            &["sdp", "unwrap", "--media", "x", "y"],
            "Usage: mikey sdp unwrap",
        ),
        (
            &["rtsp", "wrap", "--parameter", "--uri", "u", "00"],
            "Usage: mikey rtsp wrap",
        ),
        (
            &["rtsp", "wrap", "--uri", "a\"b", "00"],
            "Usage: mikey rtsp wrap",
        ),
        (
            &["rtsp", "unwrap", "--out", "f", "--decode", "x"],
            "Usage: mikey rtsp unwrap",
        ),
    ] {
        let err = fails(2, args);
        assert!(err.contains(usage), "{args:?}: {err}");
        assert!(!err.contains("Options:"), "{args:?}: {err}");
    }
    let err = fails(2, &["sdp"]);
    assert!(err.contains("expected a command: wrap or unwrap"), "{err}");
}

#[test]
fn each_carriage_command_has_its_help() {
    for (args, option) in [
        (&["sdp", "wrap", "--help"][..], "--max-size"),
        (&["sdp", "unwrap", "--help"], "--media"),
        (&["rtsp", "wrap", "--help"], "--parameter"),
        (&["rtsp", "unwrap", "--help"], "--uri"),
        (&["--help"], "rtsp"),
    ] {
        let help = ok(args);
        assert!(help.contains(option), "{args:?}: {help}");
    }
}
