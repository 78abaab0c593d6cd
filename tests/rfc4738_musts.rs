//! Every MUST of RFC 4738 (MIKEY-RSA-R) the library implements, one test each, named by its
//! section. Certificates come from the openssl tool at run time (tests/pki). Answers that
//! break a rule are made by editing a genuine R_MESSAGE and signing it again with the
//! Responder's key over the SIGNr range of §3.6, so that only the rule under test fails.
//! §3.8 (certificates by URL): the library hands the URL to the application's resolver
//! (tests/rsa_r_exchange.rs `certificate_by_url_goes_through_the_resolver`); without one the
//! message is refused (the last test). HTTP fetching itself is the resolver's.

mod pki;

use pki::{clock, uri};

use mikey::crypto::rsa::{SignatureHash, SignaturePadding};
use mikey::exchange::Error;
use mikey::policy::SrtpProfile;
use mikey::session::{Config, ConfigBuilder, Event, Mode, Session, State, StreamSpec};
use mikey::time::ManualClock;
use mikey::wire::{
    Cert, CertType, DataType, ErrorNo, Message, MessageBuilder, Payload, Rand, SecurityPolicy,
};
use std::borrow::Cow;
use std::sync::Arc;

fn config(
    c: &Arc<ManualClock>,
    who: &str,
    f: impl FnOnce(ConfigBuilder) -> ConfigBuilder,
) -> Arc<Config> {
    let mut b = ConfigBuilder::new(Mode::RsaR)
        .private_key(pki::key(who))
        .certificate_chain(vec![pki::cert(who)])
        .trust_anchors(pki::anchors("ca"))
        .local_identity(uri(&format!("sip:{who}@example.com")))
        .clock(c.clone());
    if who != "bob" {
        b = b.peer_identity(uri("sip:bob@example.com"));
    }
    Arc::new(f(b).build().unwrap())
}

const STREAMS: [StreamSpec; 1] = [StreamSpec {
    ssrc: 0xC0FFEE,
    roc: 0,
    policy_no: 0,
}];

/// Alice's I_MESSAGE and Bob's answer.
fn answered(
    c: &Arc<ManualClock>,
    fi: impl FnOnce(ConfigBuilder) -> ConfigBuilder,
    fr: impl FnOnce(ConfigBuilder) -> ConfigBuilder,
    streams: &[StreamSpec],
) -> (Session, Session, Vec<u8>, Vec<u8>) {
    let mut i = Session::initiator(config(c, "alice", fi));
    let mut r = Session::responder(config(c, "bob", fr));
    let init = i.initiate(streams).unwrap();
    let answer = r.process(&init).unwrap().reply.unwrap();
    (i, r, init, answer)
}

/// `answer` rebuilt with `edit` applied to its payloads (the SIGN payload kept last) and
/// SIGNr made again by Bob over "R_MESSAGE (excluding the SIGNr payload itself) || IDi ||
/// IDr || T" (§3.6), with IDi empty (Alice sends CERTi) and IDr the IDr of the I_MESSAGE.
fn resigned(answer: &[u8], edit: impl FnOnce(&mut Vec<Payload<'static>>)) -> Vec<u8> {
    let m = Message::parse(answer).unwrap().into_owned();
    let mut payloads = m.payloads.clone();
    let sign = payloads.pop().unwrap();
    edit(&mut payloads);
    let mut b = MessageBuilder::new(m.header.data_type, m.header.csb_id).prf(m.header.prf);
    if let mikey::wire::CsIdMap::SrtpId(map) = &m.header.cs_map {
        for e in map.entries() {
            b = b.srtp_crypto_session(e.policy_no, e.ssrc, e.roc);
        }
    }
    let t = *m.timestamp().unwrap();
    for p in payloads {
        b = b.payload(p);
    }
    let Payload::Sign(mut s) = sign else {
        panic!("SIGN last")
    };
    let sig_len = s.signature.len();
    s.signature = Cow::Owned(vec![0; sig_len]);
    let mut bytes = b
        .payload(Payload::Sign(s))
        .build()
        .unwrap()
        .encode()
        .unwrap();
    // The SIGN payload is its 2-byte header and the signature, at the end.
    let sign_start = bytes.len() - 2 - sig_len;
    let mut covered = bytes[..sign_start].to_vec();
    covered.extend_from_slice(b"sip:bob@example.com");
    covered.extend_from_slice(&t.value.to_be_bytes());
    let signature = pki::key("bob")
        .sign(SignaturePadding::Pkcs1v15, SignatureHash::Sha256, &covered)
        .unwrap();
    let n = bytes.len();
    bytes[n - sig_len..].copy_from_slice(&signature);
    bytes
}

/// The Initiator refuses `bad` with `error` and stays awaiting its keys; the genuine
/// answer is still accepted.
fn initiator_discards(i: &mut Session, bad: &[u8], error: Error, genuine: &[u8]) {
    let f = i.process(bad).unwrap_err();
    assert_eq!(f.error, error);
    assert!(f.reply.is_none(), "silently discarded");
    assert_eq!(i.state(), State::AwaitingKeys);
    i.process(genuine).unwrap();
    assert_eq!(i.state(), State::Established);
}

#[test]
fn resigning_keeps_a_genuine_answer_valid() {
    // The editing helper itself: an unedited answer signed again is accepted.
    let c = clock();
    let (mut i, _, _, answer) = answered(&c, |b| b, |b| b, &STREAMS);
    i.process(&resigned(&answer, |_| {})).unwrap();
}

#[test]
fn s3_2_group_initiators_must_not_send_sp() {
    let c = clock();
    let (_, _, init, _) = answered(
        &c,
        |b| b.rsa_r_group_member(true),
        |b| b.rsa_r_group(&STREAMS),
        &[],
    );
    let m = Message::parse(&init).unwrap();
    assert!(
        !m.payloads
            .iter()
            .any(|p| matches!(p, Payload::SecurityPolicy(_)))
    );
}

#[test]
fn s3_4_i_message_must_have_hdr_and_t() {
    let c = clock();
    let init = Session::initiator(config(&c, "alice", |b| b))
        .initiate(&STREAMS)
        .unwrap();
    let m = Message::parse(&init).unwrap();
    assert!(matches!(m.payloads[0], Payload::Timestamp(_)));
    // Without T the Responder cannot read it: Error no. 13 is not possible (no T to echo),
    // and no key is handed out.
    let mut b = MessageBuilder::new(m.header.data_type, m.header.csb_id).v(true);
    for p in &m.payloads[1..] {
        b = b.payload(p.clone());
    }
    let no_t = b.build().unwrap().encode().unwrap();
    let mut r = Session::responder(config(&c, "bob", |b| b));
    assert_eq!(
        r.process(&no_t).unwrap_err().error,
        Error::MissingPayload("T")
    );
}

#[test]
fn s3_4_v_bit_must_be_set_and_is_ignored_by_the_responder() {
    let c = clock();
    // Even with verification not asked for in the config, V is 1 and an answer comes.
    let (_, _, init, answer) = answered(&c, |b| b.request_verification(false), |b| b, &STREAMS);
    assert!(Message::parse(&init).unwrap().header.v);
    assert_eq!(
        Message::parse(&answer).unwrap().header.data_type,
        DataType::RsaRResp
    );
}

#[test]
fn s3_4_no_streams_means_zero_crypto_sessions() {
    let c = clock();
    let (_, _, init, _) = answered(
        &c,
        |b| b.rsa_r_group_member(true),
        |b| b.rsa_r_group(&STREAMS),
        &[],
    );
    assert_eq!(Message::parse(&init).unwrap().header.cs_map.cs_count(), 0);
}

#[test]
fn s3_4_i_message_must_be_signed() {
    let c = clock();
    let init = Session::initiator(config(&c, "alice", |b| b))
        .initiate(&STREAMS)
        .unwrap();
    assert!(matches!(
        Message::parse(&init).unwrap().payloads.last(),
        Some(Payload::Sign(_))
    ));
    let mut bad = init.clone();
    let n = bad.len();
    bad[n - 5] ^= 4;
    let mut r = Session::responder(config(&c, "bob", |b| b));
    assert_eq!(r.process(&bad).unwrap_err().error, Error::SignatureInvalid);
}

#[test]
fn s3_4_group_rand_of_the_i_message_is_not_used() {
    let c = clock();
    // One member sends a RAND (a configuration error of its own), another none: both
    // derive the group's keys from the R_MESSAGE's RAND.
    let server = config(&c, "bob", |b| b.rsa_r_group(&STREAMS));
    let mut keys = Vec::new();
    for send in [true, false] {
        let mut i = Session::initiator(config(&c, "alice", |b| {
            b.rsa_r_group_member(true).rsa_r_initiator_rand(send)
        }));
        let init = i.initiate(&[]).unwrap();
        let mut r = Session::responder(server.clone());
        let answer = r.process(&init).unwrap().reply.unwrap();
        assert!(
            Message::parse(&answer).unwrap().rand().is_some(),
            "§3.4: RAND in R"
        );
        i.process(&answer).unwrap();
        keys.push(i.crypto_sessions().to_vec());
    }
    assert_eq!(keys[0], keys[1]);
}

#[test]
fn s3_4_certi_must_correspond_to_the_signing_key() {
    let c = clock();
    // Alice signs, but the CERT payload is Carol's: SIGNi does not verify with it.
    let ci = config(&c, "alice", |b| {
        b.certificate_chain(vec![pki::cert("carol")])
    });
    let init = Session::initiator(ci).initiate(&STREAMS).unwrap();
    let mut r = Session::responder(config(&c, "bob", |b| b));
    assert_eq!(r.process(&init).unwrap_err().error, Error::SignatureInvalid);
}

#[test]
fn s3_5_responder_must_answer_with_one_of_the_offered_policies() {
    let c = clock();
    let offer = vec![
        SrtpProfile::Aes256CmSha1_80.policy(),
        SrtpProfile::Aes128CmSha1_32.policy(),
    ];
    let (mut i, r, _, answer) = answered(
        &c,
        |b| b.offer(offer),
        |b| b.accept(vec![SrtpProfile::Aes128CmSha1_32]),
        &[StreamSpec {
            ssrc: 1,
            roc: 0,
            policy_no: 1,
        }],
    );
    i.process(&answer).unwrap();
    assert_eq!(r.crypto_sessions()[0].profile, SrtpProfile::Aes128CmSha1_32);
    assert_eq!(i.crypto_sessions()[0].profile, SrtpProfile::Aes128CmSha1_32);
    // §3.6: the SP payload states one value per parameter.
    let m = Message::parse(&answer).unwrap();
    let sps: Vec<&SecurityPolicy<'_>> = m
        .payloads
        .iter()
        .filter_map(|p| match p {
            Payload::SecurityPolicy(sp) => Some(sp),
            _ => None,
        })
        .collect();
    assert_eq!(sps.len(), 1);
    let mut types: Vec<u8> = sps[0].params().map(|p| p.param_type).collect();
    types.sort_unstable();
    let n = types.len();
    types.dedup();
    assert_eq!(types.len(), n, "one option per parameter");
}

#[test]
fn s3_5_unreadable_message_gets_error_13() {
    let c = clock();
    let init = Session::initiator(config(&c, "alice", |b| b))
        .initiate(&STREAMS)
        .unwrap();
    let m = Message::parse(&init).unwrap();
    let mut b = MessageBuilder::new(m.header.data_type, m.header.csb_id).v(true);
    for p in &m.payloads[..m.payloads.len() - 1] {
        b = b.payload(p.clone());
    }
    let unsigned = b.build().unwrap().encode().unwrap();
    let f = Session::responder(config(&c, "bob", |b| b))
        .process(&unsigned)
        .unwrap_err();
    let reply = f.reply.unwrap();
    assert_eq!(
        Message::parse(&reply).unwrap().error_nos(),
        [ErrorNo::UnsupportedMessageType]
    );
}

#[test]
fn s3_6_r_message_has_the_csb_id_and_map_of_the_i_message() {
    let c = clock();
    let (_, _, init, answer) = answered(&c, |b| b, |b| b, &STREAMS);
    let (mi, ma) = (
        Message::parse(&init).unwrap(),
        Message::parse(&answer).unwrap(),
    );
    assert_eq!(mi.header.csb_id, ma.header.csb_id);
    assert_eq!(ma.header.cs_map, mi.header.cs_map);
    assert_eq!(ma.timestamp(), mi.timestamp(), "§3.6: T exactly the same");
}

#[test]
fn s3_6_initiator_refuses_another_csb_id() {
    let c = clock();
    let (mut i, _, _, answer) = answered(&c, |b| b, |b| b, &STREAMS);
    let mut bad = answer.clone();
    bad[4] ^= 1; // the CSB ID (HDR bytes 4..8)
    assert_eq!(i.process(&bad).unwrap_err().error, Error::CsbMismatch);
    i.process(&answer).unwrap();
}

#[test]
fn s3_6_group_answers_carry_the_groups_csb_id_and_members_share_it() {
    let c = clock();
    let server = config(&c, "bob", |b| b.rsa_r_group(&STREAMS));
    let mut ids = Vec::new();
    for who in ["alice", "carol"] {
        let mut i = Session::initiator(config(&c, who, |b| b.rsa_r_group_member(true)));
        let init = i.initiate(&[]).unwrap();
        let answer = Session::responder(server.clone())
            .process(&init)
            .unwrap()
            .reply
            .unwrap();
        let m = Message::parse(&answer).unwrap();
        let group = m
            .payloads
            .iter()
            .find_map(|p| match p {
                Payload::GeneralExtension(g) => g.as_csb_id(),
                _ => None,
            })
            .expect("§3.6: General Extension type 4");
        assert_ne!(group, m.header.csb_id, "a new CSB_ID");
        assert_eq!(
            i.process(&answer).unwrap().event,
            Event::KeysEstablished { update: false }
        );
        ids.push((group, i.crypto_sessions().to_vec()));
    }
    assert_eq!(ids[0], ids[1]);
}

#[test]
fn s3_6_unicast_answers_carry_no_csb_id_extension() {
    let c = clock();
    let (mut i, _, _, answer) = answered(&c, |b| b, |b| b, &STREAMS);
    assert!(
        !Message::parse(&answer)
            .unwrap()
            .payloads
            .iter()
            .any(|p| matches!(p, Payload::GeneralExtension(_)))
    );
    let bad = resigned(&answer, |p| {
        p.insert(
            0,
            Payload::GeneralExtension(mikey::wire::GeneralExtension::csb_id(7)),
        );
    });
    initiator_discards(
        &mut i,
        &bad,
        Error::BadAnswer("a CSB_ID General Extension in unicast (RFC 4738 §3.6)"),
        &answer,
    );
}

#[test]
fn s3_6_rand_from_exactly_one_side() {
    let c = clock();
    let (_, _, init, answer) = answered(&c, |b| b, |b| b, &STREAMS);
    assert!(Message::parse(&init).unwrap().rand().is_some());
    assert!(Message::parse(&answer).unwrap().rand().is_none());
    let (_, _, init, answer) = answered(&c, |b| b.rsa_r_initiator_rand(false), |b| b, &STREAMS);
    assert!(Message::parse(&init).unwrap().rand().is_none());
    assert!(Message::parse(&answer).unwrap().rand().is_some());
}

#[test]
fn s3_6_certr_must_correspond_to_the_signing_key() {
    let c = clock();
    let (mut i, _, _, answer) = answered(&c, |b| b, |b| b, &STREAMS);
    // The answer re-signed by Bob but carrying Carol's certificate.
    let bad = resigned(&answer, |p| {
        for payload in p.iter_mut() {
            if let Payload::Cert(cert) = payload {
                *cert = Cert {
                    cert_type: CertType::X509v3,
                    data: Cow::Owned(pki::cert("carol").der().to_vec()),
                };
            }
        }
    });
    initiator_discards(&mut i, &bad, Error::SignatureInvalid, &answer);
}

#[test]
fn s3_6_sp_in_the_i_message_means_sp_in_the_answer() {
    let c = clock();
    let (_, _, init, answer) = answered(&c, |b| b, |b| b, &STREAMS);
    let has_sp = |b: &[u8]| {
        Message::parse(b)
            .unwrap()
            .payloads
            .iter()
            .any(|p| matches!(p, Payload::SecurityPolicy(_)))
    };
    assert!(has_sp(&init) && has_sp(&answer));
}

#[test]
fn s3_6_signr_covers_the_answer_then_idi_idr_t() {
    // An independent check of the SIGNr range: openssl verifies Bob's signature over
    // "R_MESSAGE without SIGNr || IDi || IDr || T" computed here.
    let c = clock();
    let (_, _, _, answer) = answered(&c, |b| b, |b| b, &STREAMS);
    let m = Message::parse(&answer).unwrap();
    let Some(Payload::Sign(sign)) = m.payloads.last() else {
        panic!("SIGN last")
    };
    let sign_payload_len = 2 + sign.signature.len();
    let mut covered = answer[..answer.len() - sign_payload_len].to_vec();
    covered.extend_from_slice(b"sip:bob@example.com"); // IDi empty (CERTi sent), IDr of the I_MESSAGE
    covered.extend_from_slice(&m.timestamp().unwrap().value.to_be_bytes());
    let dir = pki::dir();
    let tag = std::process::id();
    std::fs::write(dir.join(format!("signr-{tag}.bin")), &covered).unwrap();
    std::fs::write(dir.join(format!("signr-{tag}.sig")), &sign.signature[..]).unwrap();
    let run = |args: &[&str]| {
        let out = std::process::Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("the openssl command-line tool is needed (scripts/deps.sh installs it)");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let pubkey = run(&["x509", "-in", "bob.pem", "-pubkey", "-noout"]);
    std::fs::write(dir.join(format!("bob-pub-{tag}.pem")), pubkey).unwrap();
    let out = run(&[
        "dgst",
        "-sha256",
        "-verify",
        &format!("bob-pub-{tag}.pem"),
        "-signature",
        &format!("signr-{tag}.sig"),
        &format!("signr-{tag}.bin"),
    ]);
    assert_eq!(out, b"Verified OK\n");
}

#[test]
fn s3_7_answer_with_a_rand_after_an_i_message_with_one_is_discarded() {
    let c = clock();
    let (mut i, _, _, answer) = answered(&c, |b| b, |b| b, &STREAMS);
    let bad = resigned(&answer, |p| {
        let at = p
            .iter()
            .position(|x| matches!(x, Payload::Timestamp(_)))
            .unwrap()
            + 1;
        p.insert(
            at,
            Payload::Rand(Rand {
                rand: Cow::Owned(vec![9; 16]),
            }),
        );
    });
    initiator_discards(
        &mut i,
        &bad,
        Error::BadAnswer("a RAND from both sides (RFC 4738 §3.7)"),
        &answer,
    );
}

#[test]
fn s3_7_answer_without_rand_after_an_i_message_without_one_is_discarded() {
    let c = clock();
    let (mut i, _, _, answer) = answered(&c, |b| b.rsa_r_initiator_rand(false), |b| b, &STREAMS);
    let bad = resigned(&answer, |p| p.retain(|x| !matches!(x, Payload::Rand(_))));
    initiator_discards(
        &mut i,
        &bad,
        Error::BadAnswer("no RAND from either side (RFC 4738 §3.7)"),
        &answer,
    );
}

#[test]
fn s3_7_answer_with_a_policy_not_offered_is_discarded() {
    let c = clock();
    let (mut i, _, _, answer) = answered(&c, |b| b, |b| b, &STREAMS);
    let bad = resigned(&answer, |p| {
        for payload in p.iter_mut() {
            if let Payload::SecurityPolicy(sp) = payload {
                *sp = SrtpProfile::Aes256CmSha1_80.policy().to_sp(0).unwrap();
            }
        }
    });
    initiator_discards(&mut i, &bad, Error::UnsupportedPolicy, &answer);
}

#[test]
fn s3_8_certificate_by_url_without_a_resolver_is_refused() {
    // §3.8 makes the URL Cert type mandatory; the library does no network I/O: without a
    // resolver configured such a message is refused with a certificate error.
    let c = clock();
    let init = Session::initiator(config(&c, "alice", |b| b))
        .initiate(&STREAMS)
        .unwrap();
    let m = Message::parse(&init).unwrap();
    let mut b = MessageBuilder::new(m.header.data_type, m.header.csb_id).v(true);
    for p in &m.payloads {
        b = b.payload(match p {
            Payload::Cert(_) => Payload::Cert(Cert {
                cert_type: CertType::X509v3Url,
                data: Cow::Borrowed(b"http://example.com/alice.cer"),
            }),
            other => other.clone(),
        });
    }
    let with_url = b.build().unwrap().encode().unwrap();
    let f = Session::responder(config(&c, "bob", |b| b))
        .process(&with_url)
        .unwrap_err();
    assert!(matches!(f.error, Error::Certificate(_)), "{:?}", f.error);
}
