//! Replays the committed fuzz corpora (`fuzz/corpus/*/`), the fixed crash inputs
//! (`fuzz/regressions/`) and any local crash artifacts (`fuzz/artifacts/*/`, not
//! committed) through the checks of every fuzz target (`fuzz/check.rs` for `parse` and
//! `roundtrip`, `fuzz/session_check.rs` for `respond`, `complete`, `respond_pk`,
//! `complete_pk`, `respond_dh` and `complete_dh`), and keeps the generated seed messages in the corpus in step with their
//! generators (below, and in `fuzz/session_seeds.rs`). Regenerate the seeds with
//! `MIKEY_WRITE_FUZZ_SEEDS=1 cargo test --test fuzz_corpus`.
//!
//! The public-key seeds (`respond_pk`, `complete_pk`) are not the same bytes twice: aws-lc
//! draws the PKCS#1 v1.5 padding of the PKE and the salt of an RSA-PSS signature from its
//! own generator. A committed one is checked against a regenerated one with its PKE data
//! and SIGN signature zeroed (everything else is deterministic), rewritten only when that
//! differs, and must itself reach the outcome it is named for.

use base64::Engine;
use mikey::wire::*;
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

include!("../fuzz/check.rs");
include!("../fuzz/session_check.rs");
include!("../fuzz/session_seeds.rs");

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// The regular files of `dir` (none if it does not exist), sorted.
fn files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .filter(|p| p.file_name().unwrap() != "README.md")
        .collect();
    files.sort();
    files
}

fn run_checks(path: &Path) {
    let data = std::fs::read(path).unwrap();
    let outcome = std::panic::catch_unwind(|| {
        fuzz_check::check_parse(&data);
        fuzz_check::check_roundtrip(&data);
        session_check::check_respond(&data);
        session_check::check_complete(&data);
        session_check::check_respond_pk(&data);
        session_check::check_complete_pk(&data);
        session_check::check_respond_dh(&data);
        session_check::check_complete_dh(&data);
    });
    if let Err(panic) = outcome {
        let msg = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("(non-string panic)");
        panic!(
            "{} ({} bytes: {}) fails the fuzz checks: {msg}",
            path.display(),
            data.len(),
            hex::encode(&data)
        );
    }
}

#[test]
fn committed_corpus_passes_the_fuzz_checks() {
    let root = fuzz_dir();
    for (target, seed_count) in [
        ("parse", seeds().len()),
        ("roundtrip", seeds().len()),
        ("respond", session_seeds::respond_seeds().len()),
        ("complete", session_seeds::complete_seeds().len()),
        ("respond_pk", session_seeds::respond_pk_seeds().len()),
        ("complete_pk", session_seeds::complete_pk_seeds().len()),
        ("respond_dh", session_seeds::respond_dh_seeds().len()),
        ("complete_dh", session_seeds::complete_dh_seeds().len()),
    ] {
        let files = files_in(&root.join("corpus").join(target));
        assert!(
            files.len() >= seed_count,
            "fuzz/corpus/{target}/ has {} files: the corpus is missing",
            files.len()
        );
        for f in &files {
            run_checks(f);
        }
    }
    // Minimized crash inputs that were fixed, and whatever crash, leak or timeout inputs a
    // local fuzz run left behind.
    let mut extra = files_in(&root.join("regressions"));
    if let Ok(dirs) = std::fs::read_dir(root.join("artifacts")) {
        for d in dirs {
            extra.extend(files_in(&d.unwrap().path()));
        }
    }
    for f in &extra {
        run_checks(f);
    }
}

#[test]
fn generated_seeds_are_committed() {
    let write = std::env::var_os("MIKEY_WRITE_FUZZ_SEEDS").is_some();
    let wire: Vec<(String, Vec<u8>)> = seeds()
        .into_iter()
        .map(|(n, b)| (n.to_string(), b))
        .collect();
    let named = |v: Vec<(&'static str, Vec<u8>)>| -> Vec<(String, Vec<u8>)> {
        v.into_iter().map(|(n, b)| (n.to_string(), b)).collect()
    };
    // (target, seeds, whether they carry RSA randomness).
    for (target, seeds, random) in [
        ("parse", wire.clone(), false),
        ("roundtrip", wire, false),
        ("respond", named(session_seeds::respond_seeds()), false),
        ("complete", session_seeds::complete_seeds(), false),
        ("respond_pk", named(session_seeds::respond_pk_seeds()), true),
        ("complete_pk", session_seeds::complete_pk_seeds(), true),
        // DH values from the configs' TestRng, DH-SIGN with RSASSA-PKCS1-v1_5 or, in the
        // ECC profile, ECDSA (aws-lc draws its nonce).
        ("respond_dh", named(session_seeds::respond_dh_seeds()), true),
        ("complete_dh", session_seeds::complete_dh_seeds(), true),
    ] {
        let dir = fuzz_dir().join("corpus").join(target);
        let comparable = |b: &[u8]| {
            if random {
                without_rsa_randomness(b)
            } else {
                b.to_vec()
            }
        };
        for (name, bytes) in &seeds {
            let path = dir.join(format!("seed-{name}"));
            let committed = std::fs::read(&path).ok();
            if write && committed.as_deref().map(comparable) != Some(comparable(bytes)) {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, bytes).unwrap();
            }
            let committed = std::fs::read(&path)
                .unwrap_or_else(|e| panic!("{}: {e} (MIKEY_WRITE_FUZZ_SEEDS=1)", path.display()));
            assert_eq!(
                comparable(&committed),
                comparable(bytes),
                "{} is stale",
                path.display()
            );
        }
    }
}

/// `bytes` with the data of its PKE payloads and the signature of its SIGN payloads
/// zeroed: the part of a public-key seed that is made again the same (aws-lc randomizes
/// PKCS#1 v1.5 encryption padding, RSA-PSS salts and ECDSA nonces). Unparsable bytes stay as they are.
fn without_rsa_randomness(bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let Ok((m, layout)) = Message::parse_with_layout(bytes) else {
        return out;
    };
    for (p, range) in m.payloads.iter().zip(&layout.payloads) {
        let random = match p {
            Payload::Pke(k) => k.data.len(),
            Payload::Sign(s) => s.signature.len(),
            _ => 0,
        };
        out[range.end - random..range.end].fill(0);
    }
    out
}

/// A committed seed of `target`.
fn committed_seed(target: &str, name: &str) -> Vec<u8> {
    let path = fuzz_dir()
        .join("corpus")
        .join(target)
        .join(format!("seed-{name}"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The session seeds start the fuzzers deep in the exchange: each reaches the outcome it is
/// named for, and the responders of the other mode refuse it.
#[test]
fn session_seeds_reach_their_outcome() {
    use mikey::exchange::Error;
    use mikey::session::Event;
    let keys = |update| Ok(Event::KeysEstablished { update });
    for (name, bytes) in session_seeds::respond_seeds() {
        let outcomes: std::collections::BTreeMap<_, _> =
            session_check::check_respond(&bytes).into_iter().collect();
        let (responder, expected) = match name {
            "psk-unsupported-policy" => ("psk", Err(Error::UnsupportedPolicy)),
            "psk-wrong-psk" => ("psk", Err(Error::AuthFailed)),
            "psk-update" => ("psk-established", keys(true)),
            "null-update" => ("null-established", keys(true)),
            n if n.starts_with("psk-") => ("psk", keys(false)),
            n if n.starts_with("null-") => ("null", keys(false)),
            n => panic!("unexpected seed {n}"),
        };
        assert_eq!(outcomes[responder], expected, "seed {name}");
        let other = if responder.starts_with("psk") {
            "null"
        } else {
            "psk"
        };
        assert_eq!(
            outcomes[other],
            Err(Error::UnsupportedEncryption),
            "seed {name} to the {other} responder"
        );
        if expected.is_ok() && !name.ends_with("update") {
            // A new CSB for the established responder of the same mode.
            assert_eq!(
                outcomes[format!("{responder}-established").as_str()],
                Err(Error::CsbMismatch),
                "seed {name}"
            );
        }
    }
    let initiators = session_check::COMPLETE_INITIATORS;
    for (name, bytes) in session_seeds::complete_seeds() {
        let outcomes = session_check::check_complete(&bytes);
        let (k, kind) = initiators
            .iter()
            .enumerate()
            .find_map(|(k, i)| Some((k, name.strip_prefix(i)?.strip_prefix('-')?)))
            .unwrap_or_else(|| panic!("unexpected seed {name}"));
        let psk = !initiators[k].starts_with("null");
        let expected = match kind {
            "verification" => Ok(Event::Verified),
            "error-10" => Err(Error::PeerError {
                errors: vec![ErrorNo::InvalidSpPar],
                authenticated: psk,
            }),
            "error-0" => Err(Error::PeerError {
                errors: vec![ErrorNo::AuthFailure],
                authenticated: false,
            }),
            other => panic!("unexpected seed kind {other}"),
        };
        assert_eq!(outcomes[k].1, expected, "seed {name}");
        // The other Initiators have other CSB IDs.
        for (j, (_, outcome)) in outcomes.iter().enumerate().filter(|(j, _)| *j != k) {
            assert_eq!(
                *outcome,
                Err(Error::CsbMismatch),
                "seed {name} to {}",
                initiators[j]
            );
        }
    }
}

/// The committed public-key seeds (the bytes the fuzzers start from) reach the outcome they
/// are named for, and the responders of the other mode refuse them as a message of another
/// method (Error no. 11).
#[test]
fn pk_session_seeds_reach_their_outcome() {
    use mikey::exchange::Error;
    use mikey::session::Event;
    let keys = Ok(Event::KeysEstablished { update: false });
    for (name, _) in session_seeds::respond_pk_seeds() {
        let bytes = committed_seed("respond_pk", name);
        let outcomes: std::collections::BTreeMap<_, _> = session_check::check_respond_pk(&bytes)
            .into_iter()
            .collect();
        let pk = name.starts_with("pk-");
        let expected: Vec<(&str, Result<Event, Error>)> = match name {
            "pk-update" => vec![(
                "pk-established",
                Ok(Event::KeysEstablished { update: true }),
            )],
            "pk-unsupported-policy" => vec![("pk", Err(Error::UnsupportedPolicy))],
            "pk-envelope-for-another-key" => vec![("pk", Err(Error::AuthFailed))],
            "rsa-r-unsupported-policy" => vec![
                ("rsa-r", Err(Error::UnsupportedPolicy)),
                ("rsa-r-group", keys.clone()),
            ],
            "rsa-r-same-csb" => vec![
                ("rsa-r", keys.clone()),
                ("rsa-r-established", Err(Error::WrongState)),
            ],
            n if n.starts_with("pk-") => vec![
                ("pk", keys.clone()),
                ("pk-established", Err(Error::CsbMismatch)),
            ],
            n if n.starts_with("rsa-r-") => vec![
                ("rsa-r", keys.clone()),
                ("rsa-r-group", keys.clone()),
                ("rsa-r-established", Err(Error::CsbMismatch)),
            ],
            n => panic!("unexpected seed {n}"),
        };
        for (responder, want) in expected {
            assert_eq!(outcomes[responder], want, "seed {name} to {responder}");
        }
        let (others, t) = if pk {
            (
                &["rsa-r", "rsa-r-established", "rsa-r-group"][..],
                DataType::PublicKey,
            )
        } else {
            (&["pk", "pk-established"][..], DataType::RsaRInit)
        };
        for other in others {
            assert_eq!(
                outcomes[other],
                Err(Error::UnexpectedMessage(t)),
                "seed {name} to {other}"
            );
        }
    }
    let initiators = session_check::COMPLETE_PK_INITIATORS;
    for (name, _) in session_seeds::complete_pk_seeds() {
        let bytes = committed_seed("complete_pk", &name);
        let outcomes = session_check::check_complete_pk(&bytes);
        let (k, kind) = seed_initiator(&initiators, &name);
        let rsa_r = initiators[k].starts_with("rsa-r");
        let expected = match kind {
            "answer" if rsa_r => Ok(Event::KeysEstablished { update: false }),
            "answer" => Ok(Event::Verified),
            // Authenticated with the HMAC of the PK answer keys (HMAC-SHA-1 also under the
            // NULL KEMAC MAC, RFC 3830 §6.9); in RSA-R with SIGNr, which this Initiator
            // verifies with Bob's certificate (RFC 3830 §5.1.2).
            "error-10" => peer(ErrorNo::InvalidSpPar, true),
            // The envelope does not open: an authentication failure (no. 0), also with
            // AES-KW and the NULL MAC, where the key wrap's integrity check is what fails.
            "wrong-key" => peer(ErrorNo::AuthFailure, false),
            "other-pinned-cert" => peer(ErrorNo::InvalidCert, false),
            other => panic!("unexpected seed kind {other}"),
        };
        assert_eq!(outcomes[k].1, expected, "seed {name}");
        for (j, (other, outcome)) in outcomes.iter().enumerate().filter(|(j, _)| *j != k) {
            assert!(outcome.is_err(), "seed {name} accepted by {other} ({j})");
        }
    }
}

/// The DH seeds reach the outcome they are named for, and the responders of the other DH
/// method refuse them as a message of another method (Error no. 11).
#[test]
fn dh_session_seeds_reach_their_outcome() {
    use mikey::exchange::Error;
    use mikey::session::Event;
    let keys = Ok(Event::KeysEstablished { update: false });
    let out_of_range = Err(Error::Dh(mikey::crypto::dh::DhError::OutOfRange));
    for (name, bytes) in session_seeds::respond_dh_seeds() {
        let outcomes: std::collections::BTreeMap<_, _> = session_check::check_respond_dh(&bytes)
            .into_iter()
            .collect();
        let (mode, kind) = name
            .strip_prefix("dh-sign-p256-")
            .map(|k| ("dh-sign-p256", k))
            .or_else(|| name.strip_prefix("dh-sign-").map(|k| ("dh-sign", k)))
            .or_else(|| name.strip_prefix("dh-hmac-").map(|k| ("dh-hmac", k)))
            .unwrap_or_else(|| panic!("unexpected seed {name}"));
        let established = format!("{mode}-established");
        let expected: Vec<(&str, Result<Event, Error>)> = match kind {
            "update" | "keep-tgk-update" => vec![(
                established.as_str(),
                Ok(Event::KeysEstablished { update: true }),
            )],
            "unsupported-policy" => vec![(mode, Err(Error::UnsupportedPolicy))],
            "dhi-1" => vec![(mode, out_of_range.clone())],
            "oakley2" => vec![(mode, Err(Error::UnsupportedDhGroup))],
            "wrong-psk" => vec![(mode, Err(Error::AuthFailed))],
            _ => vec![
                (mode, keys.clone()),
                (established.as_str(), Err(Error::CsbMismatch)),
            ],
        };
        for (responder, want) in expected {
            assert_eq!(outcomes[responder], want, "seed {name} to {responder}");
        }
        let (others, t) = if mode == "dh-hmac" {
            (
                &[
                    "dh-sign",
                    "dh-sign-established",
                    "dh-sign-p256",
                    "dh-sign-p256-established",
                ][..],
                DataType::DhHmacInit,
            )
        } else {
            (&["dh-hmac", "dh-hmac-established"][..], DataType::DhInit)
        };
        for other in others {
            assert_eq!(
                outcomes[*other],
                Err(Error::UnexpectedMessage(t)),
                "seed {name} to {other}"
            );
        }
        // A DH-SIGN I_MESSAGE in the other group (OAKLEY 1 or P-256) is refused with Error
        // no. 6 by a fresh Responder of the other (an update is not read past its CSB).
        let other_group = match mode {
            "dh-sign" => Some("dh-sign-p256"),
            "dh-sign-p256" => Some("dh-sign"),
            _ => None,
        };
        if let (Some(other), false) = (other_group, kind.ends_with("update")) {
            assert_eq!(
                outcomes[other],
                Err(Error::UnsupportedDhGroup),
                "seed {name} to {other}"
            );
        }
    }
    let initiators = session_check::COMPLETE_DH_INITIATORS;
    for (name, bytes) in session_seeds::complete_dh_seeds() {
        let outcomes = session_check::check_complete_dh(&bytes);
        let (k, kind) = seed_initiator(&initiators, &name);
        let sign = initiators[k].starts_with("dh-sign");
        let expected = match kind {
            "answer" => keys.clone(),
            // Signed in DH-SIGN (RFC 3830 §5.1.2), which this Initiator verifies with Bob's
            // certificate; a hint in DH-HMAC, whose Error messages carry no V (RFC 4650
            // §4.1).
            "error-10" => peer(ErrorNo::InvalidSpPar, sign),
            // Bob pins Bob's certificate as Alice's: SIGNi does not verify (no. 0) or, with
            // CERTi, the chain is not the pinned certificate (no. 8).
            "other-pinned-cert" => Err(Error::PeerError {
                errors: outcome_errors(&bytes),
                authenticated: false,
            }),
            "wrong-psk" => peer(ErrorNo::AuthFailure, false),
            "dhr-1" => out_of_range.clone(),
            other => panic!("unexpected seed kind {other}"),
        };
        assert_eq!(outcomes[k].1, expected, "seed {name}");
        for (j, (other, outcome)) in outcomes.iter().enumerate().filter(|(j, _)| *j != k) {
            assert!(outcome.is_err(), "seed {name} accepted by {other} ({j})");
        }
    }
}

/// A DH-HMAC Initiator without its own identity (`send_identities(false)`) sends `HDR, T,
/// RAND, IDr, DHi, KEMAC`, as RFC 4650 §3 allows (`I_MESSAGE = HDR, T, RAND, [IDi], IDr,
/// {SP}, DHi, KEMAC`: IDr mandatory, IDi optional): the Responder reads the lone ID payload
/// as IDr (`InitPayloads::into_view_idr_required`; it used to read it as IDi and refuse
/// the message with `IdentityMismatch`).
#[test]
fn dh_hmac_i_message_without_idi_is_accepted() {
    use mikey::session::{Event, Mode, Session};
    use std::sync::Arc;
    let config = session_check::initiator_builder(Mode::DhHmac, 61)
        .send_identities(false)
        .build()
        .unwrap();
    let init = session_check::initiate(&mut Session::initiator(Arc::new(config)), 1);
    let outcomes: std::collections::BTreeMap<_, _> =
        session_check::check_respond_dh(&init).into_iter().collect();
    assert_eq!(
        outcomes["dh-hmac"],
        Ok(Event::KeysEstablished { update: false }),
        "{}",
        hex::encode(&init)
    );
}

/// The Initiator of a `complete_*` seed and the seed's kind: the longest Initiator name the
/// seed name starts with, followed by "-" ("rsa-r" and "dh-sign" are prefixes of other
/// names).
fn seed_initiator<'n>(initiators: &[&str], name: &'n str) -> (usize, &'n str) {
    initiators
        .iter()
        .enumerate()
        .filter_map(|(k, i)| Some((k, name.strip_prefix(i)?.strip_prefix('-')?)))
        .min_by_key(|(_, kind)| kind.len())
        .unwrap_or_else(|| panic!("unexpected seed {name}"))
}

/// The outcome of an Error message with Error no. `no` read by an Initiator.
fn peer(no: ErrorNo, authenticated: bool) -> Result<mikey::session::Event, mikey::exchange::Error> {
    Err(mikey::exchange::Error::PeerError {
        errors: vec![no],
        authenticated,
    })
}

/// The Error no. values of an Error message.
fn outcome_errors(bytes: &[u8]) -> Vec<ErrorNo> {
    Message::parse(bytes).expect("an Error message").error_nos()
}

#[test]
fn seeds_cover_every_payload_kind_and_map() {
    let mut types = BTreeSet::new();
    let mut maps = BTreeSet::new();
    let mut chains = 0;
    for (name, bytes) in seeds() {
        if name.starts_with("keychain-") {
            let first = if name.ends_with("-psk") {
                PayloadType::KeyData
            } else {
                PayloadType::Id
            };
            assert!(!parse_key_chain(&bytes, first, 0).unwrap().is_empty());
            chains += 1;
            continue;
        }
        let m = Message::parse(&bytes).unwrap_or_else(|e| panic!("seed {name}: {e}"));
        maps.insert(u8::from(m.header.cs_map.map_type()));
        for p in &m.payloads {
            types.insert(u8::from(p.payload_type()));
        }
    }
    let every: BTreeSet<u8> = (1..=17).chain(21..=23).chain([26]).collect();
    assert_eq!(types, every, "payload kinds missing from the seeds");
    assert_eq!(maps, BTreeSet::from([0, 1, 2]));
    assert_eq!(chains, 2);
}

// ---------------------------------------------------------------------------------------
// The seeds: the RFC 4567 §5 messages, the worked PSK example (tests/data/README.md), and hand-built
// messages that together use every payload, every CS ID map and every length-implying
// codepoint value.

const RFC4567_OFFER: &str = "AQAFgM0XflABAAAAAAAAAAAAAAsAyONQ6gAAAAAGEEoo2pee4hp2UaDX8ZE22YwKAAAPZG9uYWxkQGR1Y2suY29tAQAAAAAAAQAk0JKpgaVkDaawi9whVBtBt0KZ14ymNuu62+Nv3ozPLygwK/GbAV9iemnGUIZ19fWQUOSrzKTAv9zV";
const RFC4567_ANSWER: &str = "AQEFgM0XflABAAAAAAAAAAAAAAYAyONQ6gAAAAAJAAAQbWlja2V5QG1vdXNlLmNvbQABn8HdGE5BMDXFIuGEga+62AgY5cc=";
const DIGEST_I_MESSAGE: &str = "010005800102030401000011223344000000000b00e8d4a510000000000610aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa06000011616c696365406578616d706c652e636f6d0a00000f626f62406578616d706c652e636f6d010000001e00010101011002010103011404010e0501000701010801010a01010b010a00010014eb4f5122395a436dc894c33481105238c729ec430189a2ff9bc02014b9068dad44a25bb4e6f7c26eb4";
const DIGEST_R_MESSAGE: &str = "010105000102030401000011223344000000000600e8d4a510000000000900000f626f62406578616d706c652e636f6d0001e4c36968b58bc0a305447564f1119a2ec35444c4";

fn b(x: &[u8]) -> Cow<'static, [u8]> {
    Cow::Owned(x.to_vec())
}

/// `n` bytes of a recognizable pattern.
fn fill(n: usize, seed: u8) -> Cow<'static, [u8]> {
    Cow::Owned(
        (0..n)
            .map(|i| seed.wrapping_add((i as u8).wrapping_mul(31)))
            .collect(),
    )
}

fn header(data_type: u8, cs_map: CsIdMap<'static>) -> CommonHeader<'static> {
    CommonHeader {
        data_type: DataType::from(data_type),
        v: false,
        prf: PrfFunc::Mikey1,
        csb_id: 0x1234_5678,
        cs_map,
    }
}

fn srtp_map(n: u8) -> CsIdMap<'static> {
    let entries: Vec<_> = (0..n)
        .map(|i| SrtpIdEntry {
            policy_no: i,
            ssrc: 0xA000_0000 | u32::from(i),
            roc: u32::from(i) * 7,
        })
        .collect();
    CsIdMap::SrtpId(SrtpIdMap::from_entries(&entries).unwrap())
}

fn generic_map() -> CsIdMap<'static> {
    let blocks = [
        GenericIdEntry {
            cs_id: 1,
            prot_type: ProtType::Srtp,
            s: true,
            policy_nos: b(&[0, 1]),
            session_data: b(&[0xDE, 0xAD, 0xBE, 0xEF, 0, 0, 0, 1, 0, 9]),
            spi: b(&[0xAA, 0xBB]),
        },
        GenericIdEntry {
            cs_id: 2,
            prot_type: ProtType::Unknown(77),
            s: false,
            policy_nos: b(&[]),
            session_data: b(&[]),
            spi: b(&[]),
        },
    ];
    CsIdMap::GenericId(GenericIdMap::from_entries(&blocks).unwrap())
}

fn msg(header: CommonHeader<'static>, payloads: Vec<Payload<'static>>) -> Vec<u8> {
    Message { header, payloads }.encode().unwrap()
}

fn ts(t: u8, value: u64) -> Payload<'static> {
    Payload::Timestamp(Timestamp {
        ts_type: TsType::from(t),
        value,
    })
}

fn rand(n: usize) -> Payload<'static> {
    Payload::Rand(Rand { rand: fill(n, 3) })
}

fn id(t: u8, text: &[u8]) -> Payload<'static> {
    Payload::Id(Id {
        id_type: IdType::from(t),
        data: b(text),
    })
}

fn idr(role: u8, text: &[u8]) -> Payload<'static> {
    Payload::IdRole(IdWithRole {
        role: IdRole::from(role),
        id_type: IdType::Uri,
        data: b(text),
    })
}

fn cert(t: u8, n: usize) -> Payload<'static> {
    Payload::Cert(Cert {
        cert_type: CertType::from(t),
        data: fill(n, 0x30),
    })
}

fn sign(t: u8, n: usize) -> Payload<'static> {
    Payload::Sign(Sign {
        sig_type: SignatureType::from(t),
        signature: fill(n, 0x51),
    })
}

fn kemac(encr: u8, data: Cow<'static, [u8]>, mac: u8) -> Payload<'static> {
    let mac_alg = MacAlg::from(mac);
    Payload::Kemac(Kemac {
        encr_alg: EncrAlg::from(encr),
        encr_data: data,
        mac_alg,
        mac: fill(mac_alg.mac_len().unwrap(), 0x77),
    })
}

fn key_data(t: u8, kv: KeyValidity<'static>) -> KeyChainItem<'static> {
    let key_type = KeyDataType::from(t);
    KeyChainItem::KeyData(KeyData {
        key_type,
        key: fill(16, t),
        salt: key_type.has_salt().then(|| fill(14, 0x5A)),
        kv,
    })
}

fn psk_chain() -> Vec<u8> {
    encode_key_chain(&[
        key_data(3, KeyValidity::Spi(b(&[0, 0, 0, 1]))),
        key_data(
            0,
            KeyValidity::Interval {
                from: b(&[0, 0, 0, 0, 0, 0]),
                to: b(&[0, 0, 0xFF, 0xFF, 0xFF, 0xFF]),
            },
        ),
    ])
    .unwrap()
}

fn pk_chain() -> Vec<u8> {
    encode_key_chain(&[
        KeyChainItem::Id(Id {
            id_type: IdType::Uri,
            data: b(b"sip:alice@example.com"),
        }),
        key_data(1, KeyValidity::Null),
        key_data(5, KeyValidity::Spi(b(&[9]))),
    ])
    .unwrap()
}

fn sp(no: u8, prot: u8, params: &[(u8, &[u8])]) -> Payload<'static> {
    let mut sp = SecurityPolicy::new(no, ProtType::from(prot));
    for (t, v) in params {
        sp = sp.with_param(*t, v).unwrap();
    }
    Payload::SecurityPolicy(sp)
}

fn dh(group: u8, reserved: u8, kv: KeyValidity<'static>) -> Payload<'static> {
    let group = DhGroup::from(group);
    Payload::Dh(Dh {
        group,
        value: fill(group.value_len().unwrap(), 0xD0),
        reserved,
        kv,
    })
}

fn tr(role: u8, t: u8, value: u64) -> Payload<'static> {
    Payload::TimestampRole(TimestampWithRole {
        role: TsRole::from(role),
        ts_type: TsType::from(t),
        value,
    })
}

/// TP Data: the first payload's type, then the chain as a message would carry it.
fn tp_data(payloads: Vec<Payload<'static>>) -> Cow<'static, [u8]> {
    let first = payloads
        .first()
        .map_or(PayloadType::Last, Payload::payload_type);
    let m = Message {
        header: header(0, CsIdMap::Empty { cs_count: 0 }),
        payloads,
    };
    let (bytes, layout) = m.encode_with_layout().unwrap();
    let mut out = vec![u8::from(first)];
    out.extend_from_slice(&bytes[layout.header.end..]);
    Cow::Owned(out)
}

fn tp(flags: u16, data: Cow<'static, [u8]>) -> TicketPolicy<'static> {
    TicketPolicy {
        ticket_type: TicketType::MikeyBase,
        subtype: 1,
        version: 1,
        prf: PrfFunc::HmacSha256,
        flags,
        reserved: 0,
        tp_data: data,
    }
}

fn gen_ext(t: u8, data: &[u8]) -> Payload<'static> {
    Payload::GeneralExtension(GeneralExtension {
        ext_type: GenExtType::from(t),
        data: b(data),
    })
}

fn sub_payload(next: u8, write: impl FnOnce(&mut Vec<u8>)) -> Cow<'static, [u8]> {
    let mut out = vec![next];
    write(&mut out);
    Cow::Owned(out)
}

/// Every seed as (name, bytes). Key chain seeds are named `keychain-*`.
fn seeds() -> Vec<(&'static str, Vec<u8>)> {
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut v = vec![
        ("rfc4567-offer", b64.decode(RFC4567_OFFER).unwrap()),
        ("rfc4567-answer", b64.decode(RFC4567_ANSWER).unwrap()),
        ("digest-i-message", hex::decode(DIGEST_I_MESSAGE).unwrap()),
        ("digest-r-message", hex::decode(DIGEST_R_MESSAGE).unwrap()),
        ("keychain-psk", psk_chain()),
        ("keychain-pk", pk_chain()),
    ];
    let mut h = header(0, srtp_map(2));
    h.v = true;
    v.push((
        "psk-init",
        msg(
            h,
            vec![
                ts(0, 0xE8D4_A510_0000_0001),
                rand(16),
                id(1, b"sip:alice@example.com"),
                sp(
                    0,
                    0,
                    &[
                        (0, &[1]),
                        (1, &[16]),
                        (2, &[1]),
                        (11, &[10]),
                        (200, &[1, 2]),
                    ],
                ),
                kemac(0, Cow::Owned(psk_chain()), 1),
            ],
        ),
    ));
    v.push((
        "psk-verify",
        msg(
            header(1, srtp_map(1)),
            vec![
                ts(2, 0xFFFF_FFFF),
                Payload::Verification(Verification {
                    auth_alg: MacAlg::HmacSha256_256,
                    data: fill(32, 1),
                }),
            ],
        ),
    ));
    v.push((
        "pk-init",
        msg(
            header(2, srtp_map(3)),
            vec![
                ts(1, 42),
                rand(20),
                id(0, b"alice@example.com"),
                cert(0, 40),
                Payload::Chash(Chash {
                    hash_func: HashFunc::Sha256,
                    hash: fill(32, 2),
                }),
                sp(1, 0, &[(5, &[0])]),
                kemac(1, fill(36, 9), 1),
                Payload::Pke(Pke {
                    cache: CacheIndicator::CacheForCsb,
                    data: fill(64, 4),
                }),
                sign(1, 64),
            ],
        ),
    ));
    v.push((
        "pk-verify-chash-sha1-md5",
        msg(
            header(3, srtp_map(0)),
            vec![
                ts(0, 1),
                Payload::Chash(Chash {
                    hash_func: HashFunc::Sha1,
                    hash: fill(20, 5),
                }),
                Payload::Chash(Chash {
                    hash_func: HashFunc::Md5,
                    hash: fill(16, 6),
                }),
                Payload::Verification(Verification {
                    auth_alg: MacAlg::HmacSha1_160,
                    data: fill(20, 7),
                }),
            ],
        ),
    ));
    v.push((
        "dh-init-oakley5",
        msg(
            header(4, srtp_map(1)),
            vec![
                ts(0, 7),
                rand(16),
                cert(2, 24),
                sp(0, 0, &[]),
                dh(
                    0,
                    0,
                    KeyValidity::Interval {
                        from: b(&[0; 6]),
                        to: b(&[1; 6]),
                    },
                ),
                sign(0, 48),
            ],
        ),
    ));
    v.push((
        "dh-resp-oakley1",
        msg(
            header(5, srtp_map(1)),
            vec![
                ts(0, 8),
                id(0, b"bob@example.com"),
                dh(1, 0b1010, KeyValidity::Null),
                dh(0, 0, KeyValidity::Null),
                sign(0, 32),
            ],
        ),
    ));
    v.push((
        "dhhmac-oakley2",
        msg(
            header(7, srtp_map(1)),
            vec![
                ts(3, 0xE8D4_A510),
                rand(16),
                dh(2, 0, KeyValidity::Spi(b(&[1, 2, 3, 4]))),
                kemac(0, b(&[]), 0),
            ],
        ),
    ));
    v.push((
        "error",
        msg(
            header(6, srtp_map(0)),
            vec![
                ts(0, 9),
                Payload::Error(ErrorPayload {
                    error_no: ErrorNo::AuthFailure,
                    reserved: 0,
                }),
                Payload::Error(ErrorPayload {
                    error_no: ErrorNo::Unknown(250),
                    reserved: 0xBEEF,
                }),
                Payload::Verification(Verification {
                    auth_alg: MacAlg::Null,
                    data: b(&[]),
                }),
            ],
        ),
    ));
    v.push((
        "rsa-r-init",
        msg(
            header(9, CsIdMap::Empty { cs_count: 3 }),
            vec![
                ts(0, 10),
                rand(16),
                id(1, b"sip:bob@example.com"),
                cert(1, 30),
                gen_ext(4, &0xDEAD_BEEFu32.to_be_bytes()),
                Payload::GeneralExtension(GeneralExtension::sdp_ids("mikey;keyp1")),
                sign(2, 40),
            ],
        ),
    ));
    v.push((
        "rsa-r-resp",
        msg(
            header(10, CsIdMap::Empty { cs_count: 3 }),
            vec![
                ts(0, 11),
                sp(2, 1, &[(1, &[0]), (6, &[0, 0, 0, 100])]),
                kemac(1, fill(60, 1), 1),
                Payload::Pke(Pke {
                    cache: CacheIndicator::NoCache,
                    data: fill(128, 8),
                }),
                sign(0, 128),
            ],
        ),
    ));
    v.push(("ticket-request-init-psk", {
        let mut h = header(11, generic_map());
        h.prf = PrfFunc::HmacSha256;
        msg(
            h,
            vec![
                ts(0, 12),
                Payload::RandRole(RandWithRole {
                    role: RandRole::Initiator,
                    rand: fill(16, 1),
                }),
                idr(1, b"sip:alice@example.com"),
                idr(3, b"sip:kms@example.com"),
                Payload::TicketPolicy(tp(
                    ticket_flags::D | ticket_flags::O,
                    tp_data(vec![idr(2, b"sip:bob@example.com"), sp(0, 0, &[(0, &[1])])]),
                )),
                kemac(3, fill(40, 2), 2),
            ],
        )
    }));
    v.push(("ticket-request-resp", {
        let mut h = header(13, generic_map());
        h.prf = PrfFunc::HmacSha256;
        msg(
            h,
            vec![
                ts(0, 13),
                tr(1, 0, 0xE8D4_A510_0000_0000),
                tr(2, 2, 5),
                tr(3, 3, 0xE8D4_A511),
                tr(4, 1, 3600),
                Payload::Ticket(Ticket {
                    policy: tp(ticket_flags::E | ticket_flags::L, tp_data(vec![])),
                    ticket_data: fill(48, 0x70),
                    initiator_data: b(&[]),
                }),
                kemac(3, fill(32, 3), 2),
                Payload::Verification(Verification {
                    auth_alg: MacAlg::HmacSha256_256,
                    data: fill(32, 9),
                }),
            ],
        )
    }));
    v.push((
        "ticket-transfer-init",
        msg(
            header(14, srtp_map(1)),
            vec![
                ts(0, 14),
                Payload::RandRole(RandWithRole {
                    role: RandRole::Kms,
                    rand: fill(16, 2),
                }),
                idr(2, b"sip:bob@example.com"),
                Payload::Ticket(Ticket {
                    policy: TicketPolicy {
                        ticket_type: TicketType::Unknown(0xFFFF),
                        subtype: 9,
                        version: 2,
                        prf: PrfFunc::Mikey1,
                        flags: 0x0FFF,
                        reserved: 0x1F,
                        tp_data: b(&[0xFF, 1, 2, 3]),
                    },
                    ticket_data: fill(20, 1),
                    initiator_data: fill(20, 2),
                }),
                kemac(1, fill(24, 5), 1),
            ],
        ),
    ));
    v.push((
        "ibake-i-message-1",
        msg(
            header(22, CsIdMap::Empty { cs_count: 1 }),
            vec![
                ts(0, 15),
                rand(16),
                idr(1, b"tel:+15555550100"),
                idr(2, b"tel:+15555550199"),
                Payload::Ibake(IbeEncrypted {
                    encr_data: sub_payload(0, |out| {
                        EccPoint {
                            curve: EccCurve::P256,
                            point: fill(68, 4),
                            auth_alg: 1,
                            tgk_len: 32,
                            reserved: 0,
                            kv: KeyValidity::Spi(b(&[7])),
                        }
                        .write(out)
                        .unwrap()
                    }),
                }),
            ],
        ),
    ));
    v.push((
        "ibake-request-key-resp",
        msg(
            header(21, CsIdMap::Empty { cs_count: 0 }),
            vec![
                ts(0, 16),
                idr(3, b"kms.example.com"),
                Payload::EncryptedSecretKey(IbeEncrypted {
                    encr_data: sub_payload(0, |out| {
                        SecretKey {
                            sk_type: SecretKeyType::Sk,
                            key: fill(32, 6),
                            kv: KeyValidity::Null,
                        }
                        .write(out)
                        .unwrap()
                    }),
                }),
                Payload::Ibake(IbeEncrypted {
                    encr_data: fill(10, 1),
                }),
            ],
        ),
    ));
    v.push((
        "sakke",
        msg(
            header(26, CsIdMap::Empty { cs_count: 1 }),
            vec![
                ts(0, 17),
                rand(16),
                idr(1, b"tel:+447700900123"),
                idr(7, b"kms.example.org"),
                Payload::Sakke(Sakke {
                    params: SakkeParams::ParameterSet1,
                    id_scheme: IdScheme::TelUriMonthly,
                    data: fill(96, 0x0A),
                }),
                sign(2, 129),
            ],
        ),
    ));
    v.push((
        "general-extensions",
        msg(
            header(0, srtp_map(1)),
            vec![
                Payload::GeneralExtension(
                    GeneralExtension::key_ids(&[
                        KeyIdEntry {
                            id_type: KeyIdType::MbmsKeyDomainId,
                            id: &[1, 2, 3],
                        },
                        KeyIdEntry {
                            id_type: KeyIdType::MbmsTrafficKeyId,
                            id: &[],
                        },
                    ])
                    .unwrap(),
                ),
                gen_ext(5, &[2, 0xAB, 0xCD]),
                gen_ext(2, &[0x11; 20]),
                gen_ext(0, b"vendor"),
                gen_ext(200, &[]),
                kemac(0, Cow::Owned(psk_chain()), 0),
            ],
        ),
    ));
    v.push((
        "unknown-codepoints",
        msg(
            CommonHeader {
                data_type: DataType::Unknown(200),
                v: true,
                prf: PrfFunc::Unknown(127),
                csb_id: u32::MAX,
                cs_map: CsIdMap::Empty { cs_count: 255 },
            },
            vec![
                id(99, b""),
                cert(77, 0),
                sp(255, 9, &[(255, &[0xFF; 9])]),
                Payload::RandRole(RandWithRole {
                    role: RandRole::Unknown(0),
                    rand: b(&[]),
                }),
                Payload::Sakke(Sakke {
                    params: SakkeParams::Unknown(0),
                    id_scheme: IdScheme::Unknown(0),
                    data: b(&[]),
                }),
                kemac(200, fill(5, 0), 0),
                tr(0, 2, 0),
                Payload::IdRole(IdWithRole {
                    role: IdRole::Unknown(255),
                    id_type: IdType::Unknown(255),
                    data: b(&[0]),
                }),
                sign(15, 0),
            ],
        ),
    ));
    v.push(("header-only-srtp", msg(header(0, srtp_map(0)), vec![])));
    v.push((
        "header-only-generic-id",
        msg(header(15, generic_map()), vec![]),
    ));
    v.push((
        "large-fields",
        msg(
            header(2, srtp_map(4)),
            vec![
                rand(255),
                id(1, &[b'x'; 300]),
                Payload::Pke(Pke {
                    cache: CacheIndicator::Cache,
                    data: fill(512, 1),
                }),
                sign(0, 512),
            ],
        ),
    ));
    v
}
