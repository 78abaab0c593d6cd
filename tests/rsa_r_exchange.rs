//! MIKEY-RSA-R exchanges end to end through the Rust API (RFC 4738), with certificates made
//! by the openssl tool at run time: unicast with the RAND from either side, a group of three
//! members receiving the same keys from a group key server, and the refusals of §3.5-3.7,
//! each with its own error and the session unchanged.

mod pki;

use pki::{clock, uri};

use mikey::exchange::Error;
use mikey::policy::SrtpProfile;
use mikey::session::{
    Config, ConfigBuilder, CryptoSession, Event, Mode, Session, State, StreamSpec,
};
use mikey::time::ManualClock;
use mikey::wire::{ErrorNo, Message, Payload};
use std::sync::Arc;
use std::time::Duration;

/// An Initiator `who`, asking Bob.
fn member(
    clock: &Arc<ManualClock>,
    who: &str,
    f: impl FnOnce(ConfigBuilder) -> ConfigBuilder,
) -> Arc<Config> {
    let b = ConfigBuilder::new(Mode::RsaR)
        .private_key(pki::key(who))
        .certificate_chain(vec![pki::cert(who)])
        .trust_anchors(pki::anchors("ca"))
        .local_identity(uri(&format!("sip:{who}@example.com")))
        .peer_identity(uri("sip:bob@example.com"))
        .clock(clock.clone());
    Arc::new(f(b).build().unwrap())
}

/// Bob, the Responder.
fn bob(clock: &Arc<ManualClock>, f: impl FnOnce(ConfigBuilder) -> ConfigBuilder) -> Arc<Config> {
    let b = ConfigBuilder::new(Mode::RsaR)
        .private_key(pki::key("bob"))
        .certificate_chain(vec![pki::cert("bob")])
        .trust_anchors(pki::anchors("ca"))
        .local_identity(uri("sip:bob@example.com"))
        .clock(clock.clone());
    Arc::new(f(b).build().unwrap())
}

const STREAMS: [StreamSpec; 2] = [
    StreamSpec {
        ssrc: 0xA1,
        roc: 0,
        policy_no: 0,
    },
    StreamSpec {
        ssrc: 0xA2,
        roc: 7,
        policy_no: 0,
    },
];

/// I_MESSAGE, R_MESSAGE: both sides keyed alike.
fn exchange(
    ci: Arc<Config>,
    cr: Arc<Config>,
    streams: &[StreamSpec],
) -> (Session, Session, Vec<u8>, Vec<u8>) {
    let mut i = Session::initiator(ci);
    let mut r = Session::responder(cr);
    let init = i.initiate(streams).unwrap();
    assert_eq!(i.state(), State::AwaitingKeys);
    assert!(
        i.crypto_sessions().is_empty(),
        "the keys come with the answer"
    );
    let done = r.process(&init).unwrap();
    assert_eq!(done.event, Event::KeysEstablished { update: false });
    let answer = done
        .reply
        .expect("RFC 4738 §3.5: the R_MESSAGE is mandatory");
    assert_eq!(
        Message::parse(&answer).unwrap().header.data_type.value(),
        10
    );
    assert_eq!(
        i.process(&answer).unwrap().event,
        Event::KeysEstablished { update: false }
    );
    assert_eq!(i.state(), State::Established);
    assert_eq!(i.crypto_sessions(), r.crypto_sessions());
    assert!(!i.crypto_sessions().is_empty());
    (i, r, init, answer)
}

fn has_rand(bytes: &[u8]) -> bool {
    Message::parse(bytes).unwrap().rand().is_some()
}

#[test]
fn unicast_with_the_initiators_rand() {
    let c = clock();
    let (i, _, init, answer) = exchange(member(&c, "alice", |b| b), bob(&c, |b| b), &STREAMS);
    // §3.6: a RAND from exactly one side.
    assert!(has_rand(&init));
    assert!(!has_rand(&answer));
    assert_eq!(i.crypto_sessions().len(), 2);
    assert_eq!(i.crypto_sessions()[1].ssrc, 0xA2);
    assert_eq!(i.crypto_sessions()[1].roc, 7);
}

#[test]
fn unicast_with_the_responders_rand() {
    let c = clock();
    let (_, _, init, answer) = exchange(
        member(&c, "alice", |b| b.rsa_r_initiator_rand(false)),
        bob(&c, |b| b),
        &STREAMS,
    );
    assert!(!has_rand(&init));
    assert!(has_rand(&answer));
}

#[test]
fn group_of_three_members_gets_the_same_keys() {
    let c = clock();
    let server = bob(&c, |b| {
        b.rsa_r_group(&[
            StreamSpec {
                ssrc: 0x6000_0001,
                roc: 0,
                policy_no: 0,
            },
            StreamSpec {
                ssrc: 0x6000_0002,
                roc: 0,
                policy_no: 0,
            },
        ])
    });
    let mut keys: Vec<Vec<CryptoSession>> = Vec::new();
    for who in ["alice", "carol", "dave"] {
        let (i, r, init, answer) = exchange(
            member(&c, who, |b| b.rsa_r_group_member(true)),
            server.clone(),
            &[],
        );
        // §3.2: no SP and no RAND from a member; the answer carries the group's CSB_ID
        // (General Extension type 4), RAND and SP.
        let m = Message::parse(&init).unwrap();
        assert!(m.rand().is_none());
        assert!(
            !m.payloads
                .iter()
                .any(|p| matches!(p, Payload::SecurityPolicy(_)))
        );
        let a = Message::parse(&answer).unwrap();
        assert!(a.rand().is_some());
        assert!(
            a.payloads
                .iter()
                .any(|p| matches!(p, Payload::GeneralExtension(g) if g.as_csb_id().is_some()))
        );
        assert_eq!(i.crypto_sessions(), r.crypto_sessions());
        keys.push(i.crypto_sessions().to_vec());
    }
    assert_eq!(keys[0].len(), 2);
    assert_eq!(keys[0], keys[1]);
    assert_eq!(keys[1], keys[2]);
}

#[test]
fn tampered_i_message_is_refused() {
    let c = clock();
    let init = Session::initiator(member(&c, "alice", |b| b))
        .initiate(&STREAMS)
        .unwrap();
    let mut bad = init.clone();
    let last = bad.len() - 1;
    bad[last] ^= 1;
    let mut r = Session::responder(bob(&c, |b| b));
    assert_eq!(r.process(&bad).unwrap_err().error, Error::SignatureInvalid);
    assert_eq!(r.state(), State::Idle);
    // The genuine message still succeeds on the same session, once.
    r.process(&init).unwrap();
    let mut r2 = Session::responder(r.config().clone());
    assert_eq!(r2.process(&init).unwrap_err().error, Error::Replayed);
}

#[test]
fn tampered_r_message_is_refused_and_the_initiator_unchanged() {
    let c = clock();
    let mut i = Session::initiator(member(&c, "alice", |b| b));
    let init = i.initiate(&STREAMS).unwrap();
    let answer = Session::responder(bob(&c, |b| b))
        .process(&init)
        .unwrap()
        .reply
        .unwrap();
    for (at, expected) in [
        (answer.len() - 1, Error::SignatureInvalid),
        (answer.len() - 300, Error::SignatureInvalid),
    ] {
        let mut bad = answer.clone();
        bad[at] ^= 0x10;
        assert_eq!(i.process(&bad).unwrap_err().error, expected);
        assert_eq!(i.state(), State::AwaitingKeys);
    }
    for len in 0..answer.len() {
        assert!(i.process(&answer[..len]).is_err());
        assert_eq!(i.state(), State::AwaitingKeys);
    }
    i.process(&answer).unwrap();
    assert_eq!(i.state(), State::Established);
}

#[test]
fn answer_from_another_responder_is_refused() {
    let c = clock();
    // Alice asks for Bob; Carol answers with her own (valid) certificate.
    let mut i = Session::initiator(member(&c, "alice", |b| b));
    let init = i.initiate(&STREAMS).unwrap();
    let carol = ConfigBuilder::new(Mode::RsaR)
        .private_key(pki::key("carol"))
        .certificate_chain(vec![pki::cert("carol")])
        .trust_anchors(pki::anchors("ca"))
        .local_identity(uri("sip:carol@example.com"))
        .clock(c.clone())
        .build()
        .unwrap();
    // Carol refuses to answer a message naming Bob (Error no. 7)...
    let f = Session::responder(Arc::new(carol))
        .process(&init)
        .unwrap_err();
    assert_eq!(f.error, Error::IdentityMismatch);
}

#[test]
fn untrusted_initiator_is_refused() {
    let c = clock();
    let init = Session::initiator(member(&c, "mallory", |b| {
        b.local_identity(uri("sip:alice@example.com"))
    }))
    .initiate(&STREAMS)
    .unwrap();
    let f = Session::responder(bob(&c, |b| b))
        .process(&init)
        .unwrap_err();
    assert!(matches!(f.error, Error::Certificate(_)), "{:?}", f.error);
}

#[test]
fn stale_i_message_is_refused() {
    let c = clock();
    let init = Session::initiator(member(&c, "alice", |b| b))
        .initiate(&STREAMS)
        .unwrap();
    c.advance(Duration::from_secs(3600));
    let f = Session::responder(bob(&c, |b| b))
        .process(&init)
        .unwrap_err();
    assert!(matches!(f.error, Error::Timestamp(_)), "{:?}", f.error);
}

/// `who` as an RSA-R Responder.
fn responder(clock: &Arc<ManualClock>, who: &str) -> Arc<Config> {
    Arc::new(
        ConfigBuilder::new(Mode::RsaR)
            .private_key(pki::key(who))
            .certificate_chain(vec![pki::cert(who)])
            .trust_anchors(pki::anchors("ca"))
            .local_identity(uri(&format!("sip:{who}@example.com")))
            .clock(clock.clone())
            .build()
            .unwrap(),
    )
}

#[test]
fn forked_request_gives_one_key_set_per_responder() {
    let c = clock();
    // RFC 5197 §5.2: Alice's INVITE is forked to Bob and Carol; she names no Responder.
    let ci = Arc::new(
        ConfigBuilder::new(Mode::RsaR)
            .private_key(pki::key("alice"))
            .certificate_chain(vec![pki::cert("alice")])
            .trust_anchors(pki::anchors("ca"))
            .local_identity(uri("sip:alice@example.com"))
            .accept_forked_answers(true)
            .clock(c.clone())
            .build()
            .unwrap(),
    );
    let mut i = Session::initiator(ci);
    let init = i.initiate(&STREAMS).unwrap();
    let mut rb = Session::responder(responder(&c, "bob"));
    let mut rc = Session::responder(responder(&c, "carol"));
    let from_bob = rb.process(&init).unwrap().reply.unwrap();
    let from_carol = rc.process(&init).unwrap().reply.unwrap();
    assert_eq!(
        i.process(&from_bob).unwrap().event,
        Event::Branch { index: 0 }
    );
    assert_eq!(i.state(), State::Forked);
    assert!(i.crypto_sessions().is_empty());
    // Early media (RFC 5197 §5.3): Bob's keys are usable before Carol answers.
    assert_eq!(i.branch(0).unwrap().1, rb.crypto_sessions());
    assert_eq!(
        i.process(&from_carol).unwrap().event,
        Event::Branch { index: 1 }
    );
    // The same Responder twice is refused, the session unchanged.
    assert!(matches!(
        i.process(&from_bob).unwrap_err().error,
        Error::BadAnswer(_)
    ));
    assert_eq!(i.branch_count(), 2);
    let (bob_id, bob_keys) = i.branch(0).unwrap();
    let (carol_id, carol_keys) = i.branch(1).unwrap();
    assert_eq!(bob_id, b"sip:bob@example.com");
    assert_eq!(carol_id, b"sip:carol@example.com");
    assert_eq!(carol_keys, rc.crypto_sessions());
    // Independent key sets: no two branches share a key for a stream.
    for (b, cs) in bob_keys.iter().zip(carol_keys) {
        assert_eq!(b.ssrc, cs.ssrc);
        assert_ne!(b.keys[0].key_salt(), cs.keys[0].key_salt());
    }
    // Carol picks up: her branch is kept, Bob's dropped.
    assert_eq!(
        i.select_branch(5).unwrap_err(),
        Error::Config("no branch of that index")
    );
    i.select_branch(1).unwrap();
    assert_eq!(i.state(), State::Established);
    assert_eq!(i.branch_count(), 0);
    assert_eq!(i.crypto_sessions(), rc.crypto_sessions());
    assert_eq!(i.select_branch(0).unwrap_err(), Error::WrongState);
    assert_eq!(i.process(&from_bob).unwrap_err().error, Error::WrongState);
}

#[test]
fn forking_is_refused_where_branches_would_share_keys() {
    // PK: every branch would receive Alice's one TGK (a two-time pad, RFC 5197 §5.2).
    let e = ConfigBuilder::new(Mode::Pk)
        .private_key(pki::key("alice"))
        .accept_forked_answers(true)
        .build()
        .unwrap_err();
    assert!(e.contains("forked answers"), "{e}");
}

#[test]
fn unparsable_rsa_r_message_is_answered_with_error_13() {
    let c = clock();
    let init = Session::initiator(member(&c, "alice", |b| b))
        .initiate(&STREAMS)
        .unwrap();
    // RFC 4738 §3.5 (MUST respond; SHOULD use Error no. 13 for a message it cannot parse):
    // the I_MESSAGE without its SIGNi payload.
    let m = Message::parse(&init).unwrap();
    let mut b = mikey::wire::MessageBuilder::new(m.header.data_type, m.header.csb_id).v(true);
    for p in &m.payloads[..m.payloads.len() - 1] {
        b = b.payload(p.clone());
    }
    let unsigned = b.build().unwrap().encode().unwrap();
    let mut r = Session::responder(bob(&c, |b| b));
    let f = r.process(&unsigned).unwrap_err();
    assert_eq!(f.error, Error::MissingPayload("SIGN as the last payload"));
    let reply_bytes = f.reply.expect("an Error message");
    let reply = Message::parse(&reply_bytes).unwrap();
    assert_eq!(
        reply.error_nos(),
        [mikey::wire::ErrorNo::UnsupportedMessageType]
    );
    assert_eq!(r.state(), State::Idle);
}

#[test]
fn a_refusal_after_sign_i_is_signed_with_sign_r() {
    // RFC 3830 §5.1.2: HDR, T, {ERR}, {SP}, [V|SIGNr]. Bob accepts none of Alice's
    // policies (Error no. 10) after SIGNi verified: he signs the refusal.
    let c = clock();
    let strict = || bob(&c, |b| b.accept(vec![SrtpProfile::Aes256CmSha1_80]));
    let alice = member(&c, "alice", |b| b.peer_certificate(pki::cert("bob")));
    let mut i = Session::initiator(alice);
    let init = i.initiate(&STREAMS).unwrap();
    let f = Session::responder(strict()).process(&init).unwrap_err();
    assert_eq!(f.error, Error::UnsupportedPolicy);
    let reply = f.reply.expect("an Error message");
    let m = Message::parse(&reply).unwrap();
    assert_eq!(m.error_nos(), [ErrorNo::InvalidSpPar]);
    assert!(matches!(m.payloads.last(), Some(Payload::Sign(_))));
    // Alice knows Bob's certificate: the refusal is authenticated; a tampered copy is
    // discarded, and she is unchanged by both.
    let mut bad = reply.clone();
    let last = bad.len() - 1;
    bad[last] ^= 1;
    assert_eq!(i.process(&bad).unwrap_err().error, Error::SignatureInvalid);
    assert_eq!(i.state(), State::AwaitingKeys);
    assert_eq!(
        i.process(&reply).unwrap_err().error,
        Error::PeerError {
            errors: vec![ErrorNo::InvalidSpPar],
            authenticated: true
        }
    );
    assert_eq!(i.state(), State::AwaitingKeys);
    // Carol does not know Bob's certificate (the Error message carries none): a hint.
    let mut carol = Session::initiator(member(&c, "carol", |b| b));
    let init = carol.initiate(&STREAMS).unwrap();
    let reply = Session::responder(strict())
        .process(&init)
        .unwrap_err()
        .reply
        .unwrap();
    assert_eq!(
        carol.process(&reply).unwrap_err().error,
        Error::PeerError {
            errors: vec![ErrorNo::InvalidSpPar],
            authenticated: false
        }
    );
    // A refusal before SIGNi verified is not signed (§5.1.2 recommends against it).
    let mut init = Session::initiator(member(&c, "alice", |b| b))
        .initiate(&STREAMS)
        .unwrap();
    let last = init.len() - 1;
    init[last] ^= 1;
    let f = Session::responder(bob(&c, |b| b))
        .process(&init)
        .unwrap_err();
    assert_eq!(f.error, Error::SignatureInvalid);
    if let Some(reply) = f.reply {
        let m = Message::parse(&reply).unwrap();
        assert!(!m.payloads.iter().any(|p| matches!(p, Payload::Sign(_))));
    }
}

/// Alice's I_MESSAGE with her CERT payload replaced by the URL `url` (Cert type 1), SIGNi
/// made again over it (RFC 3830 §5.2).
fn with_cert_url(init: &[u8], url: &str) -> Vec<u8> {
    use mikey::wire::{Cert, CertType, MessageBuilder, Sign};
    use std::borrow::Cow;
    let m = Message::parse(init).unwrap().into_owned();
    let mut b = MessageBuilder::new(m.header.data_type, m.header.csb_id)
        .v(m.header.v)
        .prf(m.header.prf);
    if let mikey::wire::CsIdMap::SrtpId(map) = &m.header.cs_map {
        for e in map.entries() {
            b = b.srtp_crypto_session(e.policy_no, e.ssrc, e.roc);
        }
    }
    for p in &m.payloads {
        b = b.payload(match p {
            Payload::Cert(_) => Payload::Cert(Cert {
                cert_type: CertType::X509v3Url,
                data: Cow::Owned(url.as_bytes().to_vec()),
            }),
            Payload::Sign(s) => Payload::Sign(Sign {
                sig_type: s.sig_type,
                signature: Cow::Owned(vec![0; s.signature.len()]),
            }),
            other => other.clone(),
        });
    }
    let mut bytes = b.build().unwrap().encode().unwrap();
    let n = bytes.len();
    let sig = pki::key("alice")
        .sign(
            mikey::crypto::rsa::SignaturePadding::Pkcs1v15,
            mikey::crypto::rsa::SignatureHash::Sha256,
            &bytes[..n - 256],
        )
        .unwrap();
    bytes[n - 256..].copy_from_slice(&sig);
    bytes
}

#[test]
fn certificate_by_url_goes_through_the_resolver() {
    let c = clock();
    let init = Session::initiator(member(&c, "alice", |b| b))
        .initiate(&STREAMS)
        .unwrap();
    let url = "http://certs.example.com/alice.cer";
    let by_url = with_cert_url(&init, url);
    // RFC 4738 §3.8: the URL is handed to the resolver, which returns the DER.
    let asked = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = asked.clone();
    let resolver: mikey::exchange::CertResolver = Arc::new(move |u: &str| {
        seen.lock().unwrap().push(u.to_string());
        (u == "http://certs.example.com/alice.cer").then(|| pki::cert("alice").der().to_vec())
    });
    let mut r = Session::responder(bob(&c, |b| b.certificate_resolver(resolver.clone())));
    r.process(&by_url).unwrap();
    assert_eq!(*asked.lock().unwrap(), [url]);
    // A URL the resolver cannot fetch, and no resolver at all: refused.
    let c2 = clock();
    let init = Session::initiator(member(&c2, "alice", |b| b))
        .initiate(&STREAMS)
        .unwrap();
    let elsewhere = with_cert_url(&init, "http://elsewhere.example/x.cer");
    let mut r = Session::responder(bob(&c2, |b| b.certificate_resolver(resolver)));
    assert!(matches!(
        r.process(&elsewhere).unwrap_err().error,
        Error::Certificate(_)
    ));
    let mut r = Session::responder(bob(&c2, |b| b));
    assert!(matches!(
        r.process(&elsewhere).unwrap_err().error,
        Error::Certificate(_)
    ));
    assert_eq!(r.state(), State::Idle);
}

#[test]
fn the_applications_verifier_has_the_last_word() {
    let c = clock();
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    let refuse_carol: mikey::exchange::CertVerifier = Arc::new(move |chain| {
        log.lock().unwrap().push(chain.len());
        chain[0].der() != pki::cert("carol").der()
    });
    let cr = bob(&c, |b| b.certificate_verifier(refuse_carol));
    let init = Session::initiator(member(&c, "alice", |b| b))
        .initiate(&STREAMS)
        .unwrap();
    Session::responder(cr.clone()).process(&init).unwrap();
    let init = Session::initiator(member(&c, "carol", |b| b))
        .initiate(&STREAMS)
        .unwrap();
    let f = Session::responder(cr).process(&init).unwrap_err();
    assert!(matches!(f.error, Error::Certificate(_)), "{:?}", f.error);
    assert_eq!(*seen.lock().unwrap(), [1, 1]);
}
