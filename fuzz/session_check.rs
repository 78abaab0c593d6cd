// The session-level fuzz properties, in ONE place: included with `include!` by the fuzz
// targets `respond` and `complete` (`fuzz/fuzz_targets/*.rs`) and by the corpus replay and
// seed generator (`tests/fuzz_corpus.rs`). Each check panics on a violation and on nothing
// else, and returns what happened so that tests can check the seeds reach their outcome.
//
// Everything here is deterministic: a fixed PSK, a `ManualClock` at `NOW` (so the seeds'
// timestamps are fresh in every run) and `TestRng`, a SplitMix64 stream, for the values an
// Initiator draws (CSB ID, RAND, keys). A fresh config (with its own replay cache) is built
// for every input, so one input never influences another.

#[allow(dead_code)]
mod session_check {
    use mikey::exchange::Error;
    use mikey::policy::SrtpProfile;
    use mikey::rng::{Rng, RngError};
    use mikey::session::{
        Config, ConfigBuilder, CryptoSession, Event, Identity, KeyTransport, Mode, Session, State,
        StreamSpec,
    };
    use mikey::time::ManualClock;
    use mikey::wire::{
        CsIdMap, DataType, EncrAlg, ErrorNo, IdType, MacAlg, Message, Payload, PrfFunc,
    };
    use std::sync::{Arc, Mutex};

    /// The time of every clock here (NTP, RFC 3830 §6.6): 2024-09-12T03:54:40Z.
    pub const NOW: u64 = 0xEA8C_E480_0000_0000;
    /// The pre-shared key of every PSK-mode config here.
    pub const PSK: &[u8] = b"mikey fuzz pre-shared key";
    /// The Initiator's identity (IDi).
    pub const ALICE: &[u8] = b"sip:alice@example.com";
    /// The Responder's identity (IDr).
    pub const BOB: &[u8] = b"sip:bob@example.com";
    /// PK mode: the fixed test PKI of tests/data/pk (valid 2020 to 2119, so at `NOW`).
    pub const CA_PEM: &[u8] = include_bytes!("../tests/data/pk/ca.pem");
    pub const ALICE_KEY: &[u8] = include_bytes!("../tests/data/pk/alice.key");
    pub const ALICE_PEM: &[u8] = include_bytes!("../tests/data/pk/alice.pem");
    pub const BOB_KEY: &[u8] = include_bytes!("../tests/data/pk/bob.key");
    pub const BOB_PEM: &[u8] = include_bytes!("../tests/data/pk/bob.pem");

    fn cert(pem: &[u8]) -> mikey::crypto::cert::Certificate {
        mikey::crypto::cert::parse_certificates(pem).unwrap().remove(0)
    }

    /// PK mode: `who`'s key and certificate (ALICE or BOB), the other's certificate
    /// pinned as the peer's, and the test CA as trust anchor.
    pub fn pk_credentials(b: ConfigBuilder, who: &[u8]) -> ConfigBuilder {
        let (key, own, peer) = if who == ALICE {
            (ALICE_KEY, ALICE_PEM, BOB_PEM)
        } else {
            (BOB_KEY, BOB_PEM, ALICE_PEM)
        };
        b.private_key(mikey::crypto::rsa::RsaPrivateKey::from_pem(key).unwrap())
            .certificate_chain(vec![cert(own)])
            .peer_certificate(cert(peer))
            .trust_anchors(
                mikey::crypto::cert::TrustAnchors::from_certificates(&[cert(CA_PEM)]).unwrap(),
            )
    }

    /// A deterministic random source for tests (SplitMix64; not for keys anyone uses).
    #[derive(Debug)]
    pub struct TestRng(Mutex<u64>);

    impl TestRng {
        /// The stream starting at `seed`.
        pub fn new(seed: u64) -> TestRng {
            TestRng(Mutex::new(seed))
        }
    }

    impl Rng for TestRng {
        fn fill(&self, out: &mut [u8]) -> Result<(), RngError> {
            let mut state = self.0.lock().unwrap();
            for chunk in out.chunks_mut(8) {
                *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
                let mut z = *state;
                z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
                z ^= z >> 31;
                chunk.copy_from_slice(&z.to_be_bytes()[..chunk.len()]);
            }
            Ok(())
        }
    }

    pub fn identity(data: &[u8]) -> Identity {
        Identity {
            id_type: IdType::Uri,
            data: data.to_vec(),
        }
    }

    /// A config builder for `mode` with the fixed PSK (PSK mode), clock and a `TestRng`
    /// at `seed`, and no identities.
    pub fn builder(mode: Mode, seed: u64) -> ConfigBuilder {
        let b = ConfigBuilder::new(mode)
            .clock(Arc::new(ManualClock::new(NOW)))
            .rng(Arc::new(TestRng::new(seed)));
        match mode {
            Mode::Psk => b.psk(PSK),
            Mode::Null | Mode::Pk | Mode::RsaR => b,
        }
    }

    /// An Initiator config: Alice, expecting Bob.
    pub fn initiator_builder(mode: Mode, seed: u64) -> ConfigBuilder {
        let b = builder(mode, seed)
            .local_identity(identity(ALICE))
            .peer_identity(identity(BOB));
        if matches!(mode, Mode::Pk | Mode::RsaR) {
            pk_credentials(b, ALICE)
        } else {
            b
        }
    }

    /// The Responder config of target `respond`: Bob, expecting Alice, accepting the
    /// default profiles (the four AES-CM ones; so an offer of a NULL-cipher profile is
    /// answered with Error no. 10).
    pub fn responder_config(mode: Mode) -> Arc<Config> {
        let b = builder(mode, 1)
            .local_identity(identity(BOB))
            .peer_identity(identity(ALICE));
        let b = if matches!(mode, Mode::Pk | Mode::RsaR) {
            pk_credentials(b, BOB)
        } else {
            b
        };
        Arc::new(b.build().expect("responder config"))
    }

    pub fn streams(n: u32) -> Vec<StreamSpec> {
        (0..n)
            .map(|i| StreamSpec {
                ssrc: 0x5EED_0000 + i,
                roc: i,
                policy_no: 0,
            })
            .collect()
    }

    /// The exchange that the `*-established` responders of target `respond` went through
    /// before they read the input: one stream, V requested in PSK mode, not in NULL mode.
    /// Returns the Initiator (for update seeds), the Responder and the I_MESSAGE.
    pub fn established_pair(mode: Mode) -> (Session, Session, Vec<u8>) {
        let ci = Arc::new(
            initiator_builder(mode, 7)
                .build()
                .expect("initiator config"),
        );
        let mut i = Session::initiator(ci);
        let init = i.initiate(&streams(1)).expect("initiate");
        let mut r = Session::responder(responder_config(mode));
        let done = r.process(&init).expect("the fixed I_MESSAGE is accepted");
        if let Some(v) = done.reply {
            i.process(&v)
                .expect("the fixed verification message verifies");
        }
        assert_eq!(r.state(), State::Established);
        (i, r, init)
    }

    /// The Initiators of target `complete`, each awaiting the verification message.
    pub const COMPLETE_INITIATORS: [&str; 3] = ["psk-sha1", "psk-sha256-kw-3cs", "null-v"];

    /// Initiator `k` of [`COMPLETE_INITIATORS`], awaiting verification, and the I_MESSAGE it
    /// sent: the same session and bytes in every run.
    pub fn complete_initiator(k: usize) -> (Session, Vec<u8>) {
        let (config, n) = match k {
            0 => (initiator_builder(Mode::Psk, 100), 1),
            1 => (
                initiator_builder(Mode::Psk, 101)
                    .encryption(EncrAlg::AesKw128)
                    .mac(MacAlg::HmacSha256_256)
                    .prf(PrfFunc::HmacSha256)
                    .mki_len(2),
                3,
            ),
            2 => (
                initiator_builder(Mode::Null, 102).request_verification(true),
                1,
            ),
            _ => unreachable!("no initiator {k}"),
        };
        let mut s = Session::initiator(Arc::new(config.build().expect("initiator config")));
        let init = s.initiate(&streams(n)).expect("initiate");
        assert_eq!(s.state(), State::AwaitingVerification);
        (s, init)
    }

    /// What a failed call must not change.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Snapshot {
        pub state: State,
        pub csb_id: Option<u32>,
        pub crypto_sessions: Vec<CryptoSession>,
    }

    impl Snapshot {
        pub fn of(s: &Session) -> Snapshot {
            Snapshot {
                state: s.state(),
                csb_id: s.csb_id(),
                crypto_sessions: s.crypto_sessions().to_vec(),
            }
        }
    }

    /// The responders of target `respond`, by name; `-established` ones have completed
    /// [`established_pair`] first.
    pub const RESPONDERS: [(&str, Mode, bool); 4] = [
        ("psk", Mode::Psk, false),
        ("psk-established", Mode::Psk, true),
        ("null", Mode::Null, false),
        ("null-established", Mode::Null, true),
    ];

    /// Target `respond`: `data` as an I_MESSAGE, processed by each of [`RESPONDERS`] (only
    /// by the fresh ones when it does not parse).
    ///
    /// - never panics;
    /// - a failure leaves the session unchanged and records nothing in the replay cache; a
    ///   message that does not parse fails with exactly its parse error; an Error message
    ///   sent back is a MIKEY Error message for the same CSB carrying the Initiator's
    ///   timestamp and the Error no. of the failure (with the supported policies for
    ///   no. 10; with a V payload only in PSK mode and never for an authentication
    ///   failure); messages an Initiator does not send are never answered; when the
    ///   Initiator with our credentials can rebuild itself from the input, it reads the
    ///   Error message as that Error no.;
    /// - a success installs keys for the message's CSB (one crypto session per map entry),
    ///   answers with a verification message exactly when V is set, and the same bytes
    ///   again fail as a replay (to this session and to a fresh one sharing the config)
    ///   with nothing changed; for an initial message, the Initiator rebuilt from it
    ///   verifies the answer and holds the same keys (when it picks the same policies).
    pub fn check_respond(data: &[u8]) -> Vec<(&'static str, Result<Event, Error>)> {
        let parsed = Message::parse(data);
        RESPONDERS
            .iter()
            // An input that does not parse is refused before anything else is looked at;
            // the fresh responders check that. The established ones cost two exchanges per
            // input, so they are spent on inputs that parse.
            .filter(|&&(_, _, established)| !established || parsed.is_ok())
            .map(|&(name, mode, established)| {
                let (mut s, config) = if established {
                    let (_, r, _) = established_pair(mode);
                    let c = Arc::clone(r.config());
                    (r, c)
                } else {
                    let c = responder_config(mode);
                    (Session::responder(Arc::clone(&c)), c)
                };
                let cache_len = config.replay_cache().len();
                let before = Snapshot::of(&s);
                let outcome = match s.process(data) {
                    Err(f) => {
                        assert_eq!(
                            Snapshot::of(&s),
                            before,
                            "{name}: failure changed the session: {f:?}"
                        );
                        assert_eq!(
                            config.replay_cache().len(),
                            cache_len,
                            "{name}: a refused message entered the replay cache: {f:?}"
                        );
                        match &parsed {
                            Err(e) => {
                                assert_eq!(f.error, Error::Parse(e.clone()), "{name}");
                                assert!(
                                    f.reply.is_none(),
                                    "{name}: answered an unparsable message"
                                );
                            }
                            Ok(m) => {
                                if let Some(reply) = &f.reply {
                                    check_error_reply(name, mode, data, m, &f.error, reply);
                                }
                            }
                        }
                        Err(f.error)
                    }
                    Ok(p) => {
                        let m = parsed.as_ref().unwrap_or_else(|e| {
                            panic!("{name}: accepted an unparsable message: {e}")
                        });
                        check_accepted(
                            name,
                            mode,
                            data,
                            m,
                            &before,
                            &s,
                            &p.event,
                            p.reply.as_deref(),
                        );
                        // The same bytes again: to this session a retransmission,
                        // answered with the same reply and changing nothing; to a fresh
                        // one a replay.
                        let after = Snapshot::of(&s);
                        let cached = config.replay_cache().len();
                        let again = s.process(data).unwrap_or_else(|f| {
                            panic!("{name}: retransmission refused: {:?}", f.error)
                        });
                        assert_eq!(again.event, Event::Retransmission, "{name}: second time");
                        assert_eq!(again.reply, p.reply, "{name}: another reply");
                        assert_eq!(
                            Snapshot::of(&s),
                            after,
                            "{name}: the retransmission changed the session"
                        );
                        assert_eq!(
                            config.replay_cache().len(),
                            cached,
                            "{name}: the retransmission entered the replay cache again"
                        );
                        let mut fresh = Session::responder(Arc::clone(&config));
                        let again = fresh.process(data).unwrap_err();
                        assert_eq!(again.error, Error::Replayed, "{name}: fresh session");
                        assert_eq!(fresh.state(), State::Idle);
                        if !before_had_keys(&before) {
                            cross_check_initiator(name, mode, data, &s, p.reply.as_deref());
                        }
                        Ok(p.event)
                    }
                };
                (name, outcome)
            })
            .collect()
    }

    fn before_had_keys(before: &Snapshot) -> bool {
        before.csb_id.is_some()
    }

    /// True for data types only a Responder (or KMS) sends: never answered (no error
    /// loops).
    fn is_response_type(t: DataType) -> bool {
        matches!(
            t,
            DataType::PskVerification
                | DataType::PkVerification
                | DataType::DhResp
                | DataType::Error
                | DataType::DhHmacResp
                | DataType::RsaRResp
                | DataType::RequestResp
                | DataType::TransferResp
                | DataType::ResolveResp
                | DataType::RequestKeyResp
                | DataType::IbakeResp1
                | DataType::IbakeResp2
        )
    }

    fn check_error_reply(
        name: &str,
        mode: Mode,
        data: &[u8],
        input: &Message<'_>,
        error: &Error,
        reply: &[u8],
    ) {
        assert!(
            !is_response_type(input.header.data_type),
            "{name}: answered a {:?} message",
            input.header.data_type
        );
        let no = error
            .error_no()
            .unwrap_or_else(|| panic!("{name}: {error:?} has no Error no. but was answered"));
        let m = Message::parse(reply)
            .unwrap_or_else(|e| panic!("{name}: the Error message does not parse: {e}"));
        assert_eq!(m.header.data_type, DataType::Error, "{name}");
        assert_eq!(m.header.csb_id, input.header.csb_id, "{name}");
        assert_eq!(m.header.prf, input.header.prf, "{name}");
        assert_eq!(
            m.timestamp(),
            input.timestamp(),
            "{name}: not the Initiator's timestamp"
        );
        assert_eq!(m.error_nos(), vec![no], "{name}: {error:?}");
        let sps = m
            .payloads
            .iter()
            .filter(|p| matches!(p, Payload::SecurityPolicy(_)))
            .count();
        assert_eq!(
            sps > 0,
            no == ErrorNo::InvalidSpPar,
            "{name}: SP payloads in {no:?}"
        );
        let has_v = matches!(m.payloads.last(), Some(Payload::Verification(_)));
        if has_v {
            assert_eq!(mode, Mode::Psk, "{name}: a V payload in NULL mode");
            assert_ne!(
                no,
                ErrorNo::AuthFailure,
                "{name}: an auth failure reported authenticated"
            );
        }
        // The Initiator that sent `data` (if our credentials open it) reads the answer.
        let Ok(config) = initiator_builder(mode, 0).build() else {
            return;
        };
        let Ok(mut initiator) = Session::resume_initiator(Arc::new(config), data) else {
            return;
        };
        let before = Snapshot::of(&initiator);
        let e = initiator.process(reply).unwrap_err();
        assert_eq!(Snapshot::of(&initiator), before, "{name}");
        match e.error {
            Error::PeerError {
                errors,
                authenticated,
            } => {
                assert_eq!(errors, vec![no], "{name}");
                // The V payload covers the IDr the input named; it verifies for this
                // Initiator when that is the IDr it sends itself (bob).
                let idr_is_bob = input
                    .payloads
                    .iter()
                    .filter_map(|p| match p {
                        Payload::Id(id) => Some(&id.data[..]),
                        _ => None,
                    })
                    .nth(1)
                    .is_none_or(|idr| idr == BOB);
                if idr_is_bob {
                    assert_eq!(authenticated, has_v, "{name}: V payload verification");
                } else {
                    assert!(!authenticated || has_v, "{name}");
                }
            }
            other => panic!("{name}: the Initiator read our Error message as {other:?}"),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn check_accepted(
        name: &str,
        mode: Mode,
        _data: &[u8],
        m: &Message<'_>,
        before: &Snapshot,
        s: &Session,
        event: &Event,
        reply: Option<&[u8]>,
    ) {
        assert_eq!(m.header.data_type, DataType::PreShared, "{name}");
        let kemac = m.kemac().expect("an accepted I_MESSAGE has a KEMAC");
        assert_eq!(
            kemac.encr_alg == EncrAlg::Null,
            mode == Mode::Null,
            "{name}: KEMAC {:?} accepted",
            kemac.encr_alg
        );
        let update = before.csb_id == Some(m.header.csb_id);
        assert!(
            before.csb_id.is_none() || update,
            "{name}: keys for another CSB installed"
        );
        assert_eq!(*event, Event::KeysEstablished { update }, "{name}");
        assert_eq!(s.state(), State::Established, "{name}");
        assert_eq!(s.csb_id(), Some(m.header.csb_id), "{name}");
        // One crypto session per SRTP-ID map entry or per #CS of an Empty map (SSRC 0,
        // no SP payload allowed); a map without entries keys one crypto session (README,
        // exchange readings).
        let (entries, empty_map) = match &m.header.cs_map {
            CsIdMap::SrtpId(map) => (map.len(), false),
            CsIdMap::Empty { cs_count } => (usize::from(*cs_count), true),
            CsIdMap::GenericId(_) => panic!("{name}: a GENERIC-ID map accepted"),
        };
        let n = s.crypto_sessions().len();
        assert_eq!(
            n,
            entries.max(1),
            "{name}: one crypto session per map entry"
        );
        if entries == 0 || empty_map {
            assert!(
                s.crypto_sessions().iter().all(|cs| cs.ssrc == 0),
                "{name}: SSRC of a map without SSRCs"
            );
        }
        assert!(
            !empty_map
                || !m
                    .payloads
                    .iter()
                    .any(|p| matches!(p, Payload::SecurityPolicy(_))),
            "{name}: an Empty map with an SP payload accepted"
        );
        for (i, cs) in s.crypto_sessions().iter().enumerate() {
            assert_eq!(usize::from(cs.cs_id), i + 1, "{name}");
            assert!(!cs.keys.is_empty(), "{name}: a crypto session without keys");
            for k in &cs.keys {
                assert_eq!(
                    k.key_salt().len(),
                    cs.profile.master_key_len() + cs.profile.master_salt_len(),
                    "{name}: key length for {:?}",
                    cs.profile
                );
            }
        }
        assert_eq!(reply.is_some(), m.header.v, "{name}: reply iff V");
        if let Some(reply) = reply {
            let v = Message::parse(reply)
                .unwrap_or_else(|e| panic!("{name}: the verification message does not parse: {e}"));
            assert_eq!(v.header.data_type, DataType::PskVerification, "{name}");
            assert_eq!(v.header.csb_id, m.header.csb_id, "{name}");
            assert_eq!(
                v.timestamp(),
                m.timestamp(),
                "{name}: not the Initiator's timestamp"
            );
        }
    }

    /// An initial I_MESSAGE the Responder accepted: the Initiator rebuilt from it (our
    /// credentials) verifies the answer and derives the same keys, when it settles on the
    /// same policies (it takes the first offered combination, the Responder the first it
    /// accepts).
    fn cross_check_initiator(
        name: &str,
        mode: Mode,
        data: &[u8],
        r: &Session,
        reply: Option<&[u8]>,
    ) {
        let config = Arc::new(
            initiator_builder(mode, 0)
                .build()
                .expect("initiator config"),
        );
        let Ok(mut i) = Session::resume_initiator(config, data) else {
            return;
        };
        let same_policies = i.crypto_sessions().len() == r.crypto_sessions().len()
            && i.crypto_sessions()
                .iter()
                .zip(r.crypto_sessions())
                .all(|(a, b)| a.policy == b.policy && a.profile == b.profile);
        if !same_policies {
            return;
        }
        if let Some(reply) = reply {
            let done = i
                .process(reply)
                .unwrap_or_else(|f| panic!("{name}: the Initiator refuses our answer: {f:?}"));
            assert_eq!(done.event, Event::Verified, "{name}");
        }
        assert_eq!(i.state(), State::Established, "{name}");
        assert_eq!(
            i.crypto_sessions(),
            r.crypto_sessions(),
            "{name}: keys differ"
        );
    }

    /// Target `complete`: `data` as the answer to each of [`COMPLETE_INITIATORS`]
    /// (awaiting verification).
    ///
    /// - never panics; an Initiator never answers;
    /// - a failure leaves the session unchanged; a message that does not parse fails with
    ///   exactly its parse error; an Error message for our CSB is reported as a peer
    ///   error with its Error no. values, authenticated only in PSK mode;
    /// - a success is a verification message for our CSB with our timestamp: the session
    ///   is Established with the keys it had, and the same bytes again fail with
    ///   `WrongState`, changing nothing.
    pub fn check_complete(data: &[u8]) -> Vec<(&'static str, Result<Event, Error>)> {
        let parsed = Message::parse(data);
        COMPLETE_INITIATORS
            .iter()
            .enumerate()
            .map(|(k, &name)| {
                let (mut s, _) = complete_initiator(k);
                let mode = s.config().mode();
                let before = Snapshot::of(&s);
                let outcome = match s.process(data) {
                    Err(f) => {
                        assert_eq!(
                            Snapshot::of(&s),
                            before,
                            "{name}: failure changed the session: {f:?}"
                        );
                        assert!(f.reply.is_none(), "{name}: an Initiator answered");
                        match (&parsed, &f.error) {
                            (Err(e), error) => {
                                assert_eq!(*error, Error::Parse(e.clone()), "{name}")
                            }
                            (
                                Ok(m),
                                Error::PeerError {
                                    errors,
                                    authenticated,
                                },
                            ) => {
                                assert_eq!(m.header.data_type, DataType::Error, "{name}");
                                assert_eq!(Some(m.header.csb_id), before.csb_id, "{name}");
                                assert_eq!(*errors, m.error_nos(), "{name}");
                                assert!(
                                    !authenticated || mode == Mode::Psk,
                                    "{name}: authenticated in NULL mode"
                                );
                            }
                            (Ok(m), _) => assert!(
                                m.header.data_type != DataType::Error
                                    || Some(m.header.csb_id) != before.csb_id
                                    || m.timestamp().is_none(),
                                "{name}: an Error message for our CSB not read as one: {f:?}"
                            ),
                        }
                        Err(f.error)
                    }
                    Ok(p) => {
                        let m = parsed.as_ref().unwrap_or_else(|e| {
                            panic!("{name}: accepted an unparsable message: {e}")
                        });
                        assert_eq!(p.event, Event::Verified, "{name}");
                        assert!(p.reply.is_none(), "{name}: an Initiator answered");
                        assert_eq!(m.header.data_type, DataType::PskVerification, "{name}");
                        assert_eq!(Some(m.header.csb_id), before.csb_id, "{name}");
                        assert_eq!(s.state(), State::Established, "{name}");
                        assert_eq!(s.csb_id(), before.csb_id, "{name}");
                        assert_eq!(
                            s.crypto_sessions(),
                            &before.crypto_sessions[..],
                            "{name}: keys changed"
                        );
                        let after = Snapshot::of(&s);
                        let again = s.process(data).unwrap_err();
                        assert_eq!(again.error, Error::WrongState, "{name}: second time");
                        assert!(again.reply.is_none(), "{name}");
                        assert_eq!(Snapshot::of(&s), after, "{name}");
                        Ok(p.event)
                    }
                };
                (name, outcome)
            })
            .collect()
    }

    // ---------------------------------------------------------------------------------
    // Seeds (written by `tests/fuzz_corpus.rs`): valid messages, deterministic because
    // the clock and the random source are.

    /// An I_MESSAGE from an Initiator config built by `f` from Alice's PSK-mode or NULL-mode
    /// builder (`seed` for its random source), for `n` streams.
    fn init_message(
        mode: Mode,
        seed: u64,
        n: u32,
        f: impl FnOnce(ConfigBuilder) -> ConfigBuilder,
    ) -> Vec<u8> {
        let config = Arc::new(
            f(initiator_builder(mode, seed))
                .build()
                .expect("seed config"),
        );
        Session::initiator(config)
            .initiate(&streams(n))
            .expect("seed I_MESSAGE")
    }

    /// Seeds of target `respond`, as (name, bytes).
    pub fn respond_seeds() -> Vec<(&'static str, Vec<u8>)> {
        use KeyTransport::*;
        use Mode::*;
        let cm = EncrAlg::AesCm128;
        let kw = EncrAlg::AesKw128;
        let sha1 = MacAlg::HmacSha1_160;
        let sha256 = MacAlg::HmacSha256_256;
        let mut v: Vec<(&'static str, Vec<u8>)> = Vec::new();
        for (name, n, verify, t, encr, mac) in [
            ("psk-1cs-v-tgk-aescm-sha1", 1, true, Tgk, cm, sha1),
            ("psk-3cs-v-tgk-aescm-sha1", 3, true, Tgk, cm, sha1),
            (
                "psk-1cs-nov-teksalt-aeskw-sha256",
                1,
                false,
                TekSalt,
                kw,
                sha256,
            ),
            (
                "psk-3cs-v-teksalt-aescm-sha256",
                3,
                true,
                TekSalt,
                cm,
                sha256,
            ),
            (
                "psk-1cs-v-tek-aeskw-sha1",
                1,
                true,
                TekConcatenated,
                kw,
                sha1,
            ),
            (
                "psk-3cs-nov-tek-aescm-sha1",
                3,
                false,
                TekConcatenated,
                cm,
                sha1,
            ),
            ("psk-3cs-v-tgk-aeskw-sha256", 3, true, Tgk, kw, sha256),
        ] {
            let seed = v.len() as u64 + 10;
            v.push((
                name,
                init_message(Psk, seed, n, |b| {
                    b.request_verification(verify)
                        .key_transport(t)
                        .encryption(encr)
                        .mac(mac)
                }),
            ));
        }
        v.push((
            "psk-2cs-v-aescm256-prf256-mki-noids",
            init_message(Psk, 20, 2, |b| {
                b.encryption(EncrAlg::AesCm256)
                    .prf(PrfFunc::HmacSha256)
                    .mki_len(4)
                    .send_identities(false)
                    .offer(vec![
                        SrtpProfile::Aes256CmSha1_32.policy(),
                        SrtpProfile::Aes128CmSha1_32.policy(),
                    ])
            }),
        ));
        // Answered with Error no. 10 (the Responder accepts no NULL cipher) with its SPs.
        v.push((
            "psk-unsupported-policy",
            init_message(Psk, 21, 1, |b| {
                b.offer(vec![SrtpProfile::NullSha1_80.policy()])
            }),
        ));
        // Answered with an unauthenticated Error no. 0.
        v.push((
            "psk-wrong-psk",
            init_message(Psk, 22, 1, |b| b.psk(b"another pre-shared key")),
        ));
        for (name, n, verify, t) in [
            ("null-1cs-nov-tgk", 1, false, Tgk),
            ("null-3cs-v-teksalt", 3, true, TekSalt),
            ("null-1cs-v-tek", 1, true, TekConcatenated),
        ] {
            let seed = v.len() as u64 + 10;
            v.push((
                name,
                init_message(Null, seed, n, |b| {
                    b.request_verification(verify).key_transport(t)
                }),
            ));
        }
        // Updates (RFC 3830 §4.5) for the `*-established` responders' CSB.
        for (name, mode) in [("psk-update", Psk), ("null-update", Null)] {
            let (mut i, _, _) = established_pair(mode);
            v.push((name, i.rekey(&streams(2)[1..]).expect("update")));
        }
        v
    }

    /// Seeds of target `complete`: for each Initiator, the verification message, an
    /// authenticated Error message (no. 10: the Responder accepts no offered policy) and an
    /// unauthenticated one (no. 0: the Responder has another PSK; in NULL mode: a policy
    /// refused, NULL Error messages being never authenticated).
    pub fn complete_seeds() -> Vec<(String, Vec<u8>)> {
        let mut v = Vec::new();
        for (k, name) in COMPLETE_INITIATORS.iter().enumerate() {
            let (i, init) = complete_initiator(k);
            let mode = i.config().mode();
            let responder = |f: &dyn Fn(ConfigBuilder) -> ConfigBuilder| {
                let b = builder(mode, 1)
                    .local_identity(identity(BOB))
                    .peer_identity(identity(ALICE));
                Session::responder(Arc::new(f(b).build().expect("seed responder")))
            };
            let done = responder(&|b| b).process(&init).expect("seed verification");
            v.push((
                format!("{name}-verification"),
                done.reply.expect("V requested"),
            ));
            let f = responder(&|b| b.accept(vec![SrtpProfile::NullSha1_32]))
                .process(&init)
                .unwrap_err();
            assert_eq!(f.error, Error::UnsupportedPolicy);
            v.push((format!("{name}-error-10"), f.reply.expect("Error no. 10")));
            if mode == Mode::Psk {
                let f = responder(&|b| b.psk(b"another pre-shared key"))
                    .process(&init)
                    .unwrap_err();
                assert_eq!(f.error, Error::AuthFailed);
                v.push((format!("{name}-error-0"), f.reply.expect("Error no. 0")));
            }
        }
        v
    }
}
