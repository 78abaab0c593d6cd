// The session-level fuzz properties, in ONE place: included with `include!` by the fuzz
// targets `respond`, `complete`, `respond_pk`, `complete_pk`, `respond_dh` and
// `complete_dh` (`fuzz/fuzz_targets/*.rs`),
// by the corpus replay and seed generator (`tests/fuzz_corpus.rs`, with the seeds of
// `session_seeds.rs`) and by the tamper tests (`tests/tamper.rs`, `tests/tamper_pk.rs`) for
// their configs. Each check panics on a violation and on nothing else, and returns what
// happened so that tests can check the seeds reach their outcome.
//
// Everything here is deterministic: a fixed PSK, the fixed test PKI of tests/data/pk (valid
// 2020 to 2119; its P-256 twin for the ECC profile of DH-SIGN), a `ManualClock` at `NOW` (so the seeds' timestamps are fresh in every run),
// `TestRng`, a SplitMix64 stream, for the values an Initiator or an RSA-R Responder draws
// (CSB ID, RAND, keys, a DH Responder's secret x_r), a fixed PK envelope key and a fixed
// DH Initiator exponent x_i. (The RSA operations of aws-lc draw
// PKCS#1 v1.5 encryption padding and RSA-PSS salts from aws-lc's own generator: those bytes
// differ from run to run, nothing else does.)
//
// Every input meets a session as if built for it alone: the session each check uses is
// built once per thread and kept between inputs only while it is exactly what a new one
// would be (see `take_kept`), because importing an RSA key costs about 0.4 ms in release
// and 2 ms in debug, more than the whole check of most inputs.

#[allow(dead_code)]
mod session_check {
    use mikey::crypto::dh::{DhSecret, FfdhGroup, Group};
    use mikey::crypto::ec::EcCurve;
    use mikey::exchange::Error;
    use mikey::rng::{Rng, RngError};
    use mikey::session::{
        Config, ConfigBuilder, CryptoSession, Event, Identity, InitInputs, Mode, Session, State,
        StreamSpec,
    };
    use mikey::time::ManualClock;
    use mikey::wire::{
        CsIdMap, DataType, EncrAlg, ErrorNo, IdType, MacAlg, Message, ParseError, Payload, PrfFunc,
    };
    use std::cell::RefCell;
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};

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
    /// The envelope key of every PK I_MESSAGE made here (RFC 3830 §3.2), so that the
    /// Initiator that sent one can be rebuilt from it
    /// (`Session::resume_initiator_with_envelope_key`).
    pub const PK_ENVELOPE_KEY: [u8; 32] = *b"mikey fuzz fixed envelope key 32";
    /// The DH group of every DH-SIGN and DH-HMAC config here: OAKLEY 1 (768 bits, DH-Group
    /// 1), the fastest, so that an accepted input costs little (OAKLEY 5, the default, is
    /// refused with Error no. 6).
    pub const DH_GROUP: FfdhGroup = FfdhGroup::Oakley1;
    /// The ECC profile of DH-SIGN (draft-ietf-msec-mikey-ecc-03): the P-256 test PKI of
    /// tests/data/pk (make_ecc.sh, valid 2020 to 2119) and the curve of its DH values.
    pub const ECC_CA_PEM: &[u8] = include_bytes!("../tests/data/pk/ecc_ca.pem");
    pub const ALICE_P256_KEY: &[u8] = include_bytes!("../tests/data/pk/alice_p256.key");
    pub const ALICE_P256_PEM: &[u8] = include_bytes!("../tests/data/pk/alice_p256.pem");
    pub const BOB_P256_KEY: &[u8] = include_bytes!("../tests/data/pk/bob_p256.key");
    pub const BOB_P256_PEM: &[u8] = include_bytes!("../tests/data/pk/bob_p256.pem");
    pub const ECC_CURVE: EcCurve = EcCurve::P256;

    /// The exponent x_i of every initial DH I_MESSAGE made here (RFC 3830 §3.3), so that
    /// the Initiator that sent one can be rebuilt from it
    /// (`Session::resume_initiator_with_dh_secret`): the one `DhSecret::generate` draws
    /// from a `TestRng` at a fixed seed. (Updates and Responders draw theirs from their
    /// config's `TestRng`.)
    pub fn dh_exponent() -> &'static [u8] {
        static X: OnceLock<Vec<u8>> = OnceLock::new();
        X.get_or_init(|| {
            DhSecret::generate(DH_GROUP, &TestRng::new(0xD1FF_1E00))
                .expect("TestRng draws")
                .exponent()
                .to_vec()
        })
    }

    /// The scalar x_i of every initial I_MESSAGE of the ECC profile made here, as
    /// [`dh_exponent`] for [`ECC_CURVE`].
    pub fn ecc_exponent() -> &'static [u8] {
        static X: OnceLock<Vec<u8>> = OnceLock::new();
        X.get_or_init(|| {
            DhSecret::generate(ECC_CURVE, &TestRng::new(0xECC0_1E00))
                .expect("TestRng draws")
                .exponent()
                .to_vec()
        })
    }

    /// The fixed x_i of a group: [`dh_exponent`] or [`ecc_exponent`].
    pub fn exponent_for(group: Group) -> &'static [u8] {
        if group.is_ecc() {
            ecc_exponent()
        } else {
            dh_exponent()
        }
    }

    pub fn cert(pem: &[u8]) -> mikey::crypto::cert::Certificate {
        mikey::crypto::cert::parse_certificates(pem)
            .unwrap()
            .remove(0)
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

    /// The ECC profile of DH-SIGN: `who`'s P-256 key and certificate (ALICE or BOB), the
    /// other's certificate pinned as the peer's, the P-256 test CA as trust anchor, and
    /// [`ECC_CURVE`] as the DH group.
    pub fn ecc_credentials(b: ConfigBuilder, who: &[u8]) -> ConfigBuilder {
        let (key, own, peer) = if who == ALICE {
            (ALICE_P256_KEY, ALICE_P256_PEM, BOB_P256_PEM)
        } else {
            (BOB_P256_KEY, BOB_P256_PEM, ALICE_P256_PEM)
        };
        b.ecc_profile(true)
            .dh_group(ECC_CURVE)
            .ec_private_key(mikey::crypto::ec::EcSigningKey::from_pem(key).unwrap())
            .certificate_chain(vec![cert(own)])
            .peer_certificate(cert(peer))
            .trust_anchors(
                mikey::crypto::cert::TrustAnchors::from_certificates(&[cert(ECC_CA_PEM)])
                    .unwrap(),
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
            Mode::DhHmac => b.psk(PSK).dh_group(DH_GROUP),
            Mode::DhSign => b.dh_group(DH_GROUP),
            Mode::Null | Mode::Pk | Mode::RsaR => b,
        }
    }

    /// An Initiator config: Alice, expecting Bob (with Alice's key and certificate and
    /// Bob's certificate in the public-key modes).
    pub fn initiator_builder(mode: Mode, seed: u64) -> ConfigBuilder {
        let b = builder(mode, seed)
            .local_identity(identity(ALICE))
            .peer_identity(identity(BOB));
        if matches!(mode, Mode::Pk | Mode::RsaR | Mode::DhSign) {
            pk_credentials(b, ALICE)
        } else {
            b
        }
    }

    /// A Responder config: Bob, expecting Alice (with Bob's key and certificate and
    /// Alice's certificate pinned in the public-key modes), accepting the default profiles
    /// (the AES-CM and AES-GCM ones; so an offer of a NULL-cipher profile is answered with Error
    /// no. 10).
    pub fn responder_builder(mode: Mode, seed: u64) -> ConfigBuilder {
        let b = builder(mode, seed)
            .local_identity(identity(BOB))
            .peer_identity(identity(ALICE));
        if matches!(mode, Mode::Pk | Mode::RsaR | Mode::DhSign) {
            pk_credentials(b, BOB)
        } else {
            b
        }
    }

    /// Alice as a DH-SIGN Initiator of the ECC profile (see [`ecc_credentials`]).
    pub fn ecc_initiator_builder(seed: u64) -> ConfigBuilder {
        let b = builder(Mode::DhSign, seed)
            .local_identity(identity(ALICE))
            .peer_identity(identity(BOB));
        ecc_credentials(b, ALICE)
    }

    /// Bob as a DH-SIGN Responder of the ECC profile (see [`ecc_credentials`]).
    pub fn ecc_responder_builder(seed: u64) -> ConfigBuilder {
        let b = builder(Mode::DhSign, seed)
            .local_identity(identity(BOB))
            .peer_identity(identity(ALICE));
        ecc_credentials(b, BOB)
    }

    /// The Responder config of targets `respond` and `respond_pk`.
    pub fn responder_config(mode: Mode) -> Arc<Config> {
        Arc::new(
            responder_builder(mode, 1)
                .build()
                .expect("responder config"),
        )
    }

    /// The streams of the RSA-R group (RFC 4738 §3.2) of [`group_server_config`].
    pub fn group_streams() -> Vec<StreamSpec> {
        (0..2)
            .map(|i| StreamSpec {
                ssrc: 0x6000_0001 + i,
                roc: 0,
                policy_no: 0,
            })
            .collect()
    }

    /// Bob as the RSA-R group key server of [`group_streams`] (its CSB ID, RAND and TGK
    /// drawn from its `TestRng` when built).
    pub fn group_server_config() -> Arc<Config> {
        Arc::new(
            responder_builder(Mode::RsaR, 1)
                .rsa_r_group(&group_streams())
                .build()
                .expect("group key server config"),
        )
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

    /// `s` (an Initiator) initiates for `n` streams; in PK mode with [`PK_ENVELOPE_KEY`], in
    /// the DH modes with [`dh_exponent`].
    pub fn initiate(s: &mut Session, n: u32) -> Vec<u8> {
        let mode = s.config().mode();
        let inputs = InitInputs {
            envelope_key: (mode == Mode::Pk).then(|| PK_ENVELOPE_KEY.to_vec().into()),
            dh_secret: is_dh(mode).then(|| exponent_for(s.config().dh_group()).to_vec().into()),
            ..InitInputs::default()
        };
        s.initiate_with(&streams(n), &inputs).expect("initiate")
    }

    /// True for DH-SIGN and DH-HMAC.
    pub fn is_dh(mode: Mode) -> bool {
        matches!(mode, Mode::DhSign | Mode::DhHmac)
    }

    /// The exchange that the `*-established` responders of targets `respond`, `respond_pk`
    /// and `respond_dh` went through before they read the input: one stream, V requested in
    /// PSK and PK mode, not in NULL mode (the DH modes always answer). Returns the Initiator (for update seeds), the
    /// Responder and the I_MESSAGE.
    pub fn established_pair(mode: Mode) -> (Session, Session, Vec<u8>) {
        established_pair_of(initiator_builder(mode, 7), responder_builder(mode, 1))
    }

    /// [`established_pair`] in the ECC profile of DH-SIGN.
    pub fn established_ecc_pair() -> (Session, Session, Vec<u8>) {
        established_pair_of(ecc_initiator_builder(7), ecc_responder_builder(1))
    }

    fn established_pair_of(ci: ConfigBuilder, cr: ConfigBuilder) -> (Session, Session, Vec<u8>) {
        let ci = Arc::new(ci.build().expect("initiator config"));
        let mut i = Session::initiator(ci);
        let init = initiate(&mut i, 1);
        let mut r = Session::responder(Arc::new(cr.build().expect("responder config")));
        let done = r.process(&init).expect("the fixed I_MESSAGE is accepted");
        if let Some(answer) = done.reply {
            i.process(&answer).expect("the fixed answer is accepted");
        }
        assert_eq!(r.state(), State::Established);
        assert_eq!(i.state(), State::Established);
        (i, r, init)
    }

    // ---------------------------------------------------------------------------------
    // Kept sessions.

    /// A session a check uses, and (for an Initiator) the I_MESSAGE it sent.
    pub struct Kept {
        pub session: Session,
        pub sent: Vec<u8>,
    }

    thread_local! {
        static KEPT: RefCell<HashMap<(&'static str, &'static str), Kept>> =
            RefCell::new(HashMap::new());
    }

    /// The session kept as `name` of `target`, or a new one from `make`. A kept session is
    /// one whose last call failed, and a failed call changes nothing (`Session::process`
    /// computes aside and installs at the end; the checks verify that the state, keys and
    /// replay cache are unchanged), so it is what `make` would build. Its config's random
    /// source may have moved on, which changes no outcome: it is drawn from for a success
    /// (after which the session is not kept), for the random envelope key of implicit
    /// rejection, which fails the MAC whatever it is, and for a DH Responder's x_r, drawn
    /// once SIGNi or the KEMAC MAC verified, before a later refusal (no. 10, an identity)
    /// whose Error message carries no DH value.
    pub fn take_kept(
        target: &'static str,
        name: &'static str,
        make: impl FnOnce() -> Kept,
    ) -> Kept {
        KEPT.with(|k| k.borrow_mut().remove(&(target, name)))
            .unwrap_or_else(make)
    }

    /// Keeps `kept` for the next input (only after a failed call, or unused).
    pub fn keep(target: &'static str, name: &'static str, kept: Kept) {
        KEPT.with(|k| k.borrow_mut().insert((target, name), kept));
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

    // ---------------------------------------------------------------------------------
    // Responders: targets `respond` and `respond_pk`.

    /// What a Responder went through before it reads the input.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Setup {
        /// Nothing: a new session.
        Fresh,
        /// The exchange of [`established_pair`].
        Established,
        /// Nothing, configured as the RSA-R group key server of [`group_server_config`].
        GroupServer,
    }

    /// A Responder of a target.
    #[derive(Clone, Copy, Debug)]
    pub struct Responder {
        pub name: &'static str,
        pub mode: Mode,
        pub setup: Setup,
        /// DH-SIGN in the ECC profile ([`ecc_credentials`]).
        pub ecc: bool,
    }

    const fn responder(name: &'static str, mode: Mode, setup: Setup) -> Responder {
        Responder {
            name,
            mode,
            setup,
            ecc: false,
        }
    }

    const fn ecc_responder(name: &'static str, setup: Setup) -> Responder {
        Responder {
            name,
            mode: Mode::DhSign,
            setup,
            ecc: true,
        }
    }

    /// The responders of target `respond`.
    pub const RESPONDERS: [Responder; 4] = [
        responder("psk", Mode::Psk, Setup::Fresh),
        responder("psk-established", Mode::Psk, Setup::Established),
        responder("null", Mode::Null, Setup::Fresh),
        responder("null-established", Mode::Null, Setup::Established),
    ];

    /// The responders of target `respond_pk`.
    pub const PK_RESPONDERS: [Responder; 5] = [
        responder("pk", Mode::Pk, Setup::Fresh),
        responder("pk-established", Mode::Pk, Setup::Established),
        responder("rsa-r", Mode::RsaR, Setup::Fresh),
        responder("rsa-r-established", Mode::RsaR, Setup::Established),
        responder("rsa-r-group", Mode::RsaR, Setup::GroupServer),
    ];

    /// The responders of target `respond_dh` (group [`DH_GROUP`]; the ECC profile's on
    /// [`ECC_CURVE`]).
    pub const DH_RESPONDERS: [Responder; 6] = [
        responder("dh-sign", Mode::DhSign, Setup::Fresh),
        responder("dh-sign-established", Mode::DhSign, Setup::Established),
        responder("dh-hmac", Mode::DhHmac, Setup::Fresh),
        responder("dh-hmac-established", Mode::DhHmac, Setup::Established),
        ecc_responder("dh-sign-p256", Setup::Fresh),
        ecc_responder("dh-sign-p256-established", Setup::Established),
    ];

    fn new_responder(r: &Responder) -> Kept {
        let session = match (r.setup, r.ecc) {
            (Setup::Fresh, true) => Session::responder(Arc::new(
                ecc_responder_builder(1).build().expect("responder config"),
            )),
            (Setup::Established, true) => established_ecc_pair().1,
            (Setup::Fresh, false) => Session::responder(responder_config(r.mode)),
            (Setup::Established, false) => established_pair(r.mode).1,
            (Setup::GroupServer, _) => Session::responder(group_server_config()),
        };
        Kept {
            session,
            sent: Vec::new(),
        }
    }

    /// Target `respond`: `data` as an I_MESSAGE to each of [`RESPONDERS`] (PSK and NULL
    /// mode; the established ones only when it parses). See [`check_responder`].
    pub fn check_respond(data: &[u8]) -> Vec<(&'static str, Result<Event, Error>)> {
        check_responders("respond", data, &RESPONDERS)
    }

    /// Target `respond_pk`: `data` as an I_MESSAGE to each of [`PK_RESPONDERS`] (MIKEY-PK
    /// and MIKEY-RSA-R; the established ones only when it parses). See
    /// [`check_responder`].
    pub fn check_respond_pk(data: &[u8]) -> Vec<(&'static str, Result<Event, Error>)> {
        check_responders("respond_pk", data, &PK_RESPONDERS)
    }

    /// Target `respond_dh`: `data` as an I_MESSAGE to each of [`DH_RESPONDERS`] (DH-SIGN
    /// and DH-HMAC in OAKLEY 1; the established ones only when it parses). See
    /// [`check_responder`].
    pub fn check_respond_dh(data: &[u8]) -> Vec<(&'static str, Result<Event, Error>)> {
        check_responders("respond_dh", data, &DH_RESPONDERS)
    }

    fn check_responders(
        target: &'static str,
        data: &[u8],
        responders: &[Responder],
    ) -> Vec<(&'static str, Result<Event, Error>)> {
        let parsed = Message::parse(data);
        responders
            .iter()
            // An input that does not parse is refused before anything else is looked at;
            // the fresh responders check that.
            .filter(|r| r.setup != Setup::Established || parsed.is_ok())
            .map(|r| {
                let mut kept = take_kept(target, r.name, || new_responder(r));
                let outcome = check_responder(r, &mut kept.session, data, &parsed);
                if outcome.is_err() {
                    keep(target, r.name, kept);
                }
                (r.name, outcome)
            })
            .collect()
    }

    /// `data` as an I_MESSAGE to the Responder `s` (set up as `r` says):
    ///
    /// - never panics;
    /// - a failure leaves the session unchanged and records nothing in the replay cache; a
    ///   message that does not parse fails with exactly its parse error; an Error message
    ///   sent back is a MIKEY Error message for the same CSB carrying the Initiator's
    ///   timestamp and the Error no. of the failure (with the supported policies for
    ///   no. 10; with a V payload only in PSK and PK mode, never for an authentication
    ///   failure; with a SIGN payload only in RSA-R and DH-SIGN, and in DH-SIGN only for an
    ///   input whose SIGNi verifies and always for a refusal after it (no. 10, a DH value));
    ///   messages an Initiator does not send are never answered; when the Initiator with
    ///   our credentials can rebuild itself from the input, it reads the Error message as
    ///   that Error no., authenticated iff it has a V (SIGN in RSA-R and DH-SIGN) payload;
    /// - a success installs keys for the message's CSB (one crypto session per map entry;
    ///   the group's for a group key server), answers as the mode says (a verification
    ///   message exactly when V is set; in RSA-R and DH always the R_MESSAGE), and the same bytes
    ///   again are a retransmission to this session (same answer, nothing changed) and a
    ///   replay to a fresh one sharing the config; for an initial message, the Initiator
    ///   rebuilt from it accepts the answer and holds the same keys (when it picks the same
    ///   policies).
    pub fn check_responder(
        r: &Responder,
        s: &mut Session,
        data: &[u8],
        parsed: &Result<Message<'_>, ParseError>,
    ) -> Result<Event, Error> {
        let name = r.name;
        let config = Arc::clone(s.config());
        let cache_len = config.replay_cache().len();
        let before = Snapshot::of(s);
        match s.process(data) {
            Err(f) => {
                assert_eq!(
                    Snapshot::of(s),
                    before,
                    "{name}: failure changed the session: {f:?}"
                );
                assert_eq!(
                    config.replay_cache().len(),
                    cache_len,
                    "{name}: a refused message entered the replay cache: {f:?}"
                );
                match parsed {
                    Err(e) => {
                        assert_eq!(f.error, Error::Parse(e.clone()), "{name}");
                        assert!(f.reply.is_none(), "{name}: answered an unparsable message");
                    }
                    Ok(m) => {
                        if let Some(reply) = &f.reply {
                            check_error_reply(r, data, m, &f.error, reply);
                        }
                    }
                }
                Err(f.error)
            }
            Ok(p) => {
                let m = parsed
                    .as_ref()
                    .unwrap_or_else(|e| panic!("{name}: accepted an unparsable message: {e}"));
                check_accepted(r, m, &before, s, &p.event, p.reply.as_deref());
                // The same bytes again: to this session a retransmission, answered with
                // the same reply and changing nothing; to a fresh one a replay.
                let after = Snapshot::of(s);
                let cached = config.replay_cache().len();
                let again = s
                    .process(data)
                    .unwrap_or_else(|f| panic!("{name}: retransmission refused: {:?}", f.error));
                assert_eq!(again.event, Event::Retransmission, "{name}: second time");
                assert_eq!(again.reply, p.reply, "{name}: another reply");
                assert_eq!(
                    Snapshot::of(s),
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
                if before.csb_id.is_none() {
                    cross_check_initiator(r, data, s, p.reply.as_deref());
                }
                Ok(p.event)
            }
        }
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

    /// The ID data of the IDr payload of an I_MESSAGE: the second ID payload, or the first
    /// after a CERT payload ([IDi|CERTi], [IDr]: RFC 3830 §3.2, RFC 4738 §3.4).
    fn input_idr<'m>(m: &'m Message<'_>) -> Option<&'m [u8]> {
        let cert = m.payloads.iter().any(|p| matches!(p, Payload::Cert(_)));
        m.payloads
            .iter()
            .filter_map(|p| match p {
                Payload::Id(id) => Some(&id.data[..]),
                _ => None,
            })
            .nth(if cert { 0 } else { 1 })
    }

    fn check_error_reply(
        r: &Responder,
        data: &[u8],
        input: &Message<'_>,
        error: &Error,
        reply: &[u8],
    ) {
        let name = r.name;
        assert!(
            !is_response_type(input.header.data_type),
            "{name}: answered a {:?} message",
            input.header.data_type
        );
        // RFC 4738 §3.5: an RSA-R Responder answers a message of its type that it cannot
        // read (a required payload missing) with Error no. 13.
        let unreadable_rsa_r = r.mode == Mode::RsaR
            && input.header.data_type == DataType::RsaRInit
            && matches!(error, Error::MissingPayload(_));
        let no = if unreadable_rsa_r {
            ErrorNo::UnsupportedMessageType
        } else {
            error
                .error_no()
                .unwrap_or_else(|| panic!("{name}: {error:?} has no Error no. but was answered"))
        };
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
        let has_sign = matches!(m.payloads.last(), Some(Payload::Sign(_)));
        if has_sign {
            assert!(
                matches!(r.mode, Mode::RsaR | Mode::DhSign),
                "{name}: a SIGN payload in {:?} mode",
                r.mode
            );
            assert_ne!(
                no,
                ErrorNo::AuthFailure,
                "{name}: an auth failure reported signed"
            );
        }
        if r.mode == Mode::DhSign {
            // RFC 3830 §5.1.2: a refusal is signed only once the I_MESSAGE is
            // authenticated, and a refusal past SIGNi (the offer, DHi) is signed.
            if has_sign {
                assert!(
                    signed_by_alice(data, input),
                    "{name}: a signed refusal of an I_MESSAGE whose SIGNi does not verify"
                );
            }
            if matches!(error, Error::UnsupportedPolicy | Error::Dh(_)) {
                assert!(has_sign, "{name}: {error:?} refused without SIGNr");
            }
        }
        if has_v {
            // Not in DH-HMAC: RFC 4650 §4.1 leaves V out of its payloads.
            assert!(
                matches!(r.mode, Mode::Psk | Mode::Pk),
                "{name}: a V payload in {:?} mode",
                r.mode
            );
            assert_ne!(
                no,
                ErrorNo::AuthFailure,
                "{name}: an auth failure reported authenticated"
            );
        }
        // The Initiator that sent `data` (if our credentials open it) reads the answer.
        let Some(mut initiator) = rebuild_initiator(r, data) else {
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
                if matches!(r.mode, Mode::RsaR | Mode::DhSign) {
                    // RFC 3830 §5.1.2: an RSA-R or DH-SIGN refusal after SIGNi verified
                    // carries SIGNr, which this Initiator (it knows Bob's certificate)
                    // verifies; any other is only a hint.
                    assert_eq!(
                        authenticated, has_sign,
                        "{name}: SIGNr verification of a signed Error message"
                    );
                } else if input_idr(input).is_none_or(|idr| idr == BOB) {
                    // The V payload covers the IDr the input named; it verifies for this
                    // Initiator when that is the IDr it sends itself (bob).
                    assert_eq!(authenticated, has_v, "{name}: V payload verification");
                } else {
                    assert!(!authenticated || has_v, "{name}");
                }
            }
            other => panic!("{name}: the Initiator read our Error message as {other:?}"),
        }
    }

    /// Whether the SIGN payload that ends `m` (`data`) verifies with Alice's key (RSA, or
    /// P-256 for S type 2) over the
    /// message but its Signature field (RFC 3830 §5.2).
    fn signed_by_alice(data: &[u8], m: &Message<'_>) -> bool {
        use mikey::crypto::rsa::{RsaPublicKey, SignaturePadding};
        use mikey::wire::SignatureType;
        let Some(Payload::Sign(sign)) = m.payloads.last() else {
            return false;
        };
        let covered = &data[..data.len() - sign.signature.len()];
        let padding = match sign.sig_type {
            SignatureType::RsaPkcs1v15 => SignaturePadding::Pkcs1v15,
            SignatureType::RsaPss => SignaturePadding::Pss,
            // The ECC profile's ECDSA (draft-ietf-msec-mikey-ecc-03 §2), by Alice's P-256
            // key.
            SignatureType::Eccsi => {
                let spki = cert(ALICE_P256_PEM).spki_der().to_vec();
                return mikey::crypto::ec::verify(ECC_CURVE, &spki, covered, &sign.signature)
                    .is_ok();
            }
            _ => return false,
        };
        let key = RsaPublicKey::from_spki_der(cert(ALICE_PEM).spki_der()).expect("Alice's key");
        key.verify(
            padding,
            &data[..data.len() - sign.signature.len()],
            &sign.signature,
        )
        .is_ok()
    }

    fn check_accepted(
        r: &Responder,
        m: &Message<'_>,
        before: &Snapshot,
        s: &Session,
        event: &Event,
        reply: Option<&[u8]>,
    ) {
        let (name, mode) = (r.name, r.mode);
        let (init_type, answer_type) = match mode {
            Mode::Psk | Mode::Null => (DataType::PreShared, DataType::PskVerification),
            Mode::Pk => (DataType::PublicKey, DataType::PkVerification),
            Mode::RsaR => (DataType::RsaRInit, DataType::RsaRResp),
            Mode::DhSign => (DataType::DhInit, DataType::DhResp),
            Mode::DhHmac => (DataType::DhHmacInit, DataType::DhHmacResp),
        };
        assert_eq!(m.header.data_type, init_type, "{name}");
        if matches!(mode, Mode::Psk | Mode::Null | Mode::Pk) {
            let kemac = m.kemac().expect("an accepted I_MESSAGE has a KEMAC");
            assert_eq!(
                kemac.encr_alg == EncrAlg::Null,
                mode == Mode::Null,
                "{name}: KEMAC {:?} accepted",
                kemac.encr_alg
            );
        }
        let update = before.csb_id == Some(m.header.csb_id);
        assert!(
            before.csb_id.is_none() || update,
            "{name}: keys for another CSB installed"
        );
        // RFC 4738 defines no update.
        assert!(!update || mode != Mode::RsaR, "{name}: an RSA-R update");
        assert_eq!(*event, Event::KeysEstablished { update }, "{name}");
        assert_eq!(s.state(), State::Established, "{name}");
        assert_eq!(s.csb_id(), Some(m.header.csb_id), "{name}");
        assert!(
            !matches!(m.header.cs_map, CsIdMap::Empty { .. })
                || !m
                    .payloads
                    .iter()
                    .any(|p| matches!(p, Payload::SecurityPolicy(_))),
            "{name}: an Empty map with an SP payload accepted (RFC 4563 §5)"
        );
        if r.setup == Setup::GroupServer {
            // The group's crypto sessions, whatever the I_MESSAGE offered (RFC 4738 §3.2).
            let group: Vec<(u32, u32)> = group_streams().iter().map(|g| (g.ssrc, g.roc)).collect();
            let got: Vec<(u32, u32)> = s
                .crypto_sessions()
                .iter()
                .map(|cs| (cs.ssrc, cs.roc))
                .collect();
            assert_eq!(got, group, "{name}: not the group's crypto sessions");
        } else {
            // One crypto session per SRTP-ID map entry or per #CS of an Empty map (SSRC 0);
            // a map without entries keys one crypto session (README, exchange readings).
            let (entries, empty_map) = match &m.header.cs_map {
                CsIdMap::SrtpId(map) => (map.len(), false),
                CsIdMap::Empty { cs_count } => (usize::from(*cs_count), true),
                CsIdMap::GenericId(_) => panic!("{name}: a GENERIC-ID map accepted"),
            };
            assert_eq!(
                s.crypto_sessions().len(),
                entries.max(1),
                "{name}: one crypto session per map entry"
            );
            if entries == 0 || empty_map {
                assert!(
                    s.crypto_sessions().iter().all(|cs| cs.ssrc == 0),
                    "{name}: SSRC of a map without SSRCs"
                );
            }
        }
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
        // RFC 4738 §3.5: the R_MESSAGE is mandatory; RFC 3830 §3.3 and RFC 4650 §3: so is
        // the DH answer, which carries the Responder's half of the key; otherwise it is
        // sent iff V.
        let answered = mode == Mode::RsaR || is_dh(mode) || m.header.v;
        assert_eq!(reply.is_some(), answered, "{name}: an answer iff V");
        if let Some(reply) = reply {
            let a = Message::parse(reply)
                .unwrap_or_else(|e| panic!("{name}: the answer does not parse: {e}"));
            assert_eq!(a.header.data_type, answer_type, "{name}");
            assert_eq!(a.header.csb_id, m.header.csb_id, "{name}");
            assert_eq!(
                a.timestamp(),
                m.timestamp(),
                "{name}: not the Initiator's timestamp"
            );
            if mode == Mode::RsaR {
                let group_ext = a
                    .payloads
                    .iter()
                    .any(|p| matches!(p, Payload::GeneralExtension(g) if g.as_csb_id().is_some()));
                assert_eq!(
                    group_ext,
                    r.setup == Setup::GroupServer,
                    "{name}: a CSB_ID General Extension iff a group answer"
                );
                // §3.6: in unicast a RAND from exactly one side.
                if !group_ext {
                    assert_ne!(
                        a.rand().is_some(),
                        m.rand().is_some(),
                        "{name}: RAND from both sides or neither"
                    );
                }
            }
            if is_dh(mode) {
                let group = if r.ecc {
                    Group::Ecdh(ECC_CURVE)
                } else {
                    Group::Ffdh(DH_GROUP)
                };
                check_dh_answer(name, mode, group, m, &a);
            }
        }
    }

    /// A DH R_MESSAGE answering the accepted I_MESSAGE `m` (RFC 3830 §3.3, RFC 4650 §3):
    /// `HDR, T, [IDr|CERTr], IDi, DHr, DHi, SIGNr|KEMAC`, no SP payload (the policies are
    /// the offer's), the I_MESSAGE's SRTP-ID map, DHi echoed, DHr a usable value of its
    /// group; without DHr and DHi when `m` is an update without DHi (RFC 3830 §4.5).
    fn check_dh_answer(name: &str, mode: Mode, group: Group, m: &Message<'_>, a: &Message<'_>) {
        assert!(
            !a.payloads
                .iter()
                .any(|p| matches!(p, Payload::SecurityPolicy(_))),
            "{name}: an SP payload in a DH answer"
        );
        if let CsIdMap::SrtpId(_) = &m.header.cs_map {
            assert_eq!(
                a.header.cs_map, m.header.cs_map,
                "{name}: the answer's CS ID map is not the I_MESSAGE's"
            );
        }
        assert_eq!(a.header.prf, m.header.prf, "{name}");
        let n = a.payloads.len();
        assert!(n >= 3, "{name}: a DH answer of {n} payloads");
        let sent = m.payloads.iter().find_map(|p| match p {
            Payload::Dh(d) => Some(d),
            _ => None,
        });
        let answer_dh = a.payloads.iter().any(|p| matches!(p, Payload::Dh(_)));
        // RFC 3830 §4.5: "If the Initiator does not include DHi, the Responder MUST NOT
        // include DHr or DHi."
        assert_eq!(
            answer_dh,
            sent.is_some(),
            "{name}: DH values in the answer iff DHi came"
        );
        match (mode, &a.payloads[n - 1]) {
            (Mode::DhSign, Payload::Sign(_)) => {}
            (Mode::DhHmac, Payload::Kemac(k)) => {
                assert_eq!(k.encr_alg, EncrAlg::Null, "{name}: RFC 4650 §4.2");
                assert!(k.encr_data.is_empty(), "{name}: RFC 4650 §4.2");
            }
            (_, p) => panic!("{name}: a {mode:?} answer ending in {:?}", p.payload_type()),
        }
        let Some(sent) = sent else {
            let Payload::Id(idi) = &a.payloads[n - 2] else {
                panic!("{name}: no IDi before the authenticator");
            };
            assert_eq!(&idi.data[..], ALICE, "{name}: IDi");
            return;
        };
        assert!(n >= 5, "{name}: a DH answer of {n} payloads");
        let (Payload::Id(idi), Payload::Dh(dhr), Payload::Dh(dhi)) =
            (&a.payloads[n - 4], &a.payloads[n - 3], &a.payloads[n - 2])
        else {
            panic!("{name}: no IDi, DHr, DHi before the authenticator");
        };
        assert_eq!(&idi.data[..], ALICE, "{name}: IDi");
        assert_eq!(dhi, sent, "{name}: DHi not echoed");
        assert_eq!(dhr.group, dhi.group, "{name}: DHr of another group");
        assert_eq!(dhr.kv, dhi.kv, "{name}: DHr with another Key validity");
        assert_eq!(
            Group::from_codepoint(dhr.group.into()),
            Some(group),
            "{name}: DHr not of the configured group"
        );
        mikey::crypto::dh::check_public(group, &dhr.value)
            .unwrap_or_else(|e| panic!("{name}: DHr not usable: {e}"));
    }

    /// The Initiator with our credentials (the config of [`initiator_builder`]; a group
    /// member for the group key server) that sent `data`, rebuilt from it, if it opens.
    fn rebuild_initiator(r: &Responder, data: &[u8]) -> Option<Session> {
        let group = r.setup == Setup::GroupServer;
        let name = match (r.mode, group) {
            (Mode::Psk, _) => "psk",
            (Mode::Null, _) => "null",
            (Mode::Pk, _) => "pk",
            (Mode::RsaR, false) => "rsa-r",
            (Mode::RsaR, true) => "rsa-r-group-member",
            // x_i is in no message: a DH Initiator is rebuilt with the fixed exponent of
            // the seeds (an input whose DHi it did not make does not reopen).
            (Mode::DhSign, _) if r.ecc => "dh-sign-p256",
            (Mode::DhSign, _) => "dh-sign",
            (Mode::DhHmac, _) => "dh-hmac",
        };
        let idle = take_kept("rebuild", name, || {
            let b = if r.ecc {
                ecc_initiator_builder(0)
            } else {
                initiator_builder(r.mode, 0)
            };
            let b = if group { b.rsa_r_group_member(true) } else { b };
            Kept {
                session: Session::initiator(Arc::new(b.build().expect("initiator config"))),
                sent: Vec::new(),
            }
        });
        let config = Arc::clone(idle.session.config());
        keep("rebuild", name, idle);
        match r.mode {
            Mode::Pk => {
                Session::resume_initiator_with_envelope_key(config, data, &PK_ENVELOPE_KEY).ok()
            }
            Mode::DhSign | Mode::DhHmac => {
                let x = exponent_for(config.dh_group());
                Session::resume_initiator_with_dh_secret(config, data, x).ok()
            }
            _ => Session::resume_initiator(config, data).ok(),
        }
    }

    /// An initial I_MESSAGE the Responder accepted: the Initiator rebuilt from it (our
    /// credentials) accepts the answer and holds the same keys. With a key-carrying
    /// I_MESSAGE, when it settles on the same policies (it takes the first offered
    /// combination, the Responder the first it accepts); in RSA-R the answer brings the
    /// Responder's choice. A DH answer (no SP payload) brings the Responder's half of the
    /// TGK: the rebuilt Initiator accepts it, and holds the same keys when it settles on
    /// the same policies.
    fn cross_check_initiator(r: &Responder, data: &[u8], s: &Session, reply: Option<&[u8]>) {
        let name = r.name;
        let Some(mut i) = rebuild_initiator(r, data) else {
            return;
        };
        if is_dh(r.mode) {
            assert_eq!(i.state(), State::AwaitingKeys, "{name}");
            let reply = reply.expect("DH answers");
            let done = i
                .process(reply)
                .unwrap_or_else(|f| panic!("{name}: the Initiator refuses our answer: {f:?}"));
            assert_eq!(
                done.event,
                Event::KeysEstablished { update: false },
                "{name}"
            );
            assert_eq!(i.state(), State::Established, "{name}");
            let same_policies = i.crypto_sessions().len() == s.crypto_sessions().len()
                && i.crypto_sessions()
                    .iter()
                    .zip(s.crypto_sessions())
                    .all(|(a, b)| a.policy == b.policy && a.profile == b.profile);
            if same_policies {
                assert_eq!(
                    i.crypto_sessions(),
                    s.crypto_sessions(),
                    "{name}: keys differ"
                );
            }
            return;
        }
        if r.mode == Mode::RsaR {
            let reply = reply.expect("RSA-R answers");
            let done = i
                .process(reply)
                .unwrap_or_else(|f| panic!("{name}: the Initiator refuses our answer: {f:?}"));
            assert_eq!(
                done.event,
                Event::KeysEstablished { update: false },
                "{name}"
            );
        } else {
            let same_policies = i.crypto_sessions().len() == s.crypto_sessions().len()
                && i.crypto_sessions()
                    .iter()
                    .zip(s.crypto_sessions())
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
        }
        assert_eq!(i.state(), State::Established, "{name}");
        assert_eq!(
            i.crypto_sessions(),
            s.crypto_sessions(),
            "{name}: keys differ"
        );
    }

    // ---------------------------------------------------------------------------------
    // Initiators: targets `complete` and `complete_pk`.

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
        awaiting(config, n)
    }

    /// The Initiators of target `complete_pk`: MIKEY-PK awaiting the verification message
    /// (HMAC-SHA-1; AES-KW with the NULL MAC, RFC 3830 §4.2.3) and MIKEY-RSA-R awaiting the
    /// keys (two streams and its RAND; one stream, the Responder's RAND; a group member).
    pub const COMPLETE_PK_INITIATORS: [&str; 5] = [
        "pk",
        "pk-aeskw-nullmac",
        "rsa-r",
        "rsa-r-responder-rand",
        "rsa-r-group-member",
    ];

    /// Initiator `k` of [`COMPLETE_PK_INITIATORS`] and the I_MESSAGE it sent.
    pub fn complete_pk_initiator(k: usize) -> (Session, Vec<u8>) {
        let (config, n) = match k {
            0 => (initiator_builder(Mode::Pk, 110), 1),
            1 => (
                initiator_builder(Mode::Pk, 111)
                    .encryption(EncrAlg::AesKw128)
                    .mac(MacAlg::Null),
                1,
            ),
            2 => (initiator_builder(Mode::RsaR, 112), 2),
            3 => (
                initiator_builder(Mode::RsaR, 113).rsa_r_initiator_rand(false),
                1,
            ),
            4 => (
                initiator_builder(Mode::RsaR, 114).rsa_r_group_member(true),
                0,
            ),
            _ => unreachable!("no initiator {k}"),
        };
        awaiting(config, n)
    }

    /// The Initiators of target `complete_dh` (group [`DH_GROUP`], the exponent
    /// [`dh_exponent`]), each awaiting the answer: DH-SIGN (one stream; two streams without
    /// CERTi and PRF-HMAC-SHA-256), DH-HMAC (HMAC-SHA-1, one stream; HMAC-SHA-256, two
    /// streams) and DH-SIGN in the ECC profile (one stream, [`ECC_CURVE`],
    /// [`ecc_exponent`]).
    pub const COMPLETE_DH_INITIATORS: [&str; 5] = [
        "dh-sign",
        "dh-sign-2cs-nocert-prf256",
        "dh-hmac",
        "dh-hmac-sha256-2cs",
        "dh-sign-p256",
    ];

    /// Initiator `k` of [`COMPLETE_DH_INITIATORS`] and the I_MESSAGE it sent.
    pub fn complete_dh_initiator(k: usize) -> (Session, Vec<u8>) {
        let (config, n) = match k {
            0 => (initiator_builder(Mode::DhSign, 120), 1),
            1 => (
                initiator_builder(Mode::DhSign, 121)
                    .send_certificates(false)
                    .prf(PrfFunc::HmacSha256),
                2,
            ),
            2 => (initiator_builder(Mode::DhHmac, 122), 1),
            3 => (
                initiator_builder(Mode::DhHmac, 123).mac(MacAlg::HmacSha256_256),
                2,
            ),
            4 => (ecc_initiator_builder(124), 1),
            _ => unreachable!("no initiator {k}"),
        };
        awaiting(config, n)
    }

    fn awaiting(config: ConfigBuilder, n: u32) -> (Session, Vec<u8>) {
        let mut s = Session::initiator(Arc::new(config.build().expect("initiator config")));
        let init = initiate(&mut s, n);
        let mode = s.config().mode();
        let expected = if mode == Mode::RsaR || is_dh(mode) {
            State::AwaitingKeys
        } else {
            State::AwaitingVerification
        };
        assert_eq!(s.state(), expected);
        (s, init)
    }

    /// Target `complete`: `data` as the answer to each of [`COMPLETE_INITIATORS`]. See
    /// [`check_initiator`].
    pub fn check_complete(data: &[u8]) -> Vec<(&'static str, Result<Event, Error>)> {
        check_initiators("complete", data, &COMPLETE_INITIATORS, complete_initiator)
    }

    /// Target `complete_pk`: `data` as the answer to each of [`COMPLETE_PK_INITIATORS`].
    /// See [`check_initiator`].
    pub fn check_complete_pk(data: &[u8]) -> Vec<(&'static str, Result<Event, Error>)> {
        check_initiators(
            "complete_pk",
            data,
            &COMPLETE_PK_INITIATORS,
            complete_pk_initiator,
        )
    }

    /// Target `complete_dh`: `data` as the answer to each of [`COMPLETE_DH_INITIATORS`].
    /// See [`check_initiator`].
    pub fn check_complete_dh(data: &[u8]) -> Vec<(&'static str, Result<Event, Error>)> {
        check_initiators(
            "complete_dh",
            data,
            &COMPLETE_DH_INITIATORS,
            complete_dh_initiator,
        )
    }

    fn check_initiators(
        target: &'static str,
        data: &[u8],
        names: &[&'static str],
        make: fn(usize) -> (Session, Vec<u8>),
    ) -> Vec<(&'static str, Result<Event, Error>)> {
        let parsed = Message::parse(data);
        names
            .iter()
            .enumerate()
            .map(|(k, &name)| {
                let mut kept = take_kept(target, name, || {
                    let (session, sent) = make(k);
                    Kept { session, sent }
                });
                let outcome = check_initiator(name, &mut kept.session, &kept.sent, data, &parsed);
                if outcome.is_err() {
                    keep(target, name, kept);
                }
                (name, outcome)
            })
            .collect()
    }

    /// `data` as the answer to the Initiator `s`, which sent `sent`:
    ///
    /// - never panics; an Initiator never answers;
    /// - a failure leaves the session unchanged; a message that does not parse fails with
    ///   exactly its parse error; an Error message for our CSB (with a T) is reported as a
    ///   peer error with its Error no. values, authenticated only in PSK and PK mode, with
    ///   a SIGN payload in RSA-R and DH-SIGN, with a V payload in DH-HMAC; in RSA-R and
    ///   DH-SIGN one whose SIGN does not verify may be discarded instead
    ///   (`SignatureInvalid`, `UnsupportedSignature`: `exchange::signed_error::read`);
    /// - a success is an answer for our CSB: a verification message (the session is
    ///   Established with the keys it had) or, in RSA-R and DH, the R_MESSAGE with our
    ///   timestamp (Established with keys of the lengths of their profiles; in DH with our
    ///   SRTP-ID map, one crypto session per stream we sent); the same bytes again fail with
    ///   `WrongState`, changing nothing.
    pub fn check_initiator(
        name: &str,
        s: &mut Session,
        sent: &[u8],
        data: &[u8],
        parsed: &Result<Message<'_>, ParseError>,
    ) -> Result<Event, Error> {
        let mode = s.config().mode();
        let before = Snapshot::of(s);
        match s.process(data) {
            Err(f) => {
                assert_eq!(
                    Snapshot::of(s),
                    before,
                    "{name}: failure changed the session: {f:?}"
                );
                assert!(f.reply.is_none(), "{name}: an Initiator answered");
                match (parsed, &f.error) {
                    (Err(e), error) => assert_eq!(*error, Error::Parse(e.clone()), "{name}"),
                    (
                        Ok(m),
                        Error::PeerError {
                            errors,
                            authenticated,
                        },
                    ) => {
                        assert_eq!(m.header.data_type, DataType::Error, "{name}");
                        // Only an Error message for our CSB, with a T, is a peer error (an
                        // RSA-R one is authenticated only by a SIGNr).
                        assert_eq!(Some(m.header.csb_id), before.csb_id, "{name}");
                        assert!(m.timestamp().is_some(), "{name}");
                        assert_eq!(*errors, m.error_nos(), "{name}");
                        let signed = matches!(m.payloads.last(), Some(Payload::Sign(_)));
                        let with_v = matches!(m.payloads.last(), Some(Payload::Verification(_)));
                        assert!(
                            !authenticated
                                || matches!(mode, Mode::Psk | Mode::Pk)
                                || (matches!(mode, Mode::RsaR | Mode::DhSign) && signed)
                                || (mode == Mode::DhHmac && with_v),
                            "{name}: authenticated in {mode:?} mode"
                        );
                    }
                    (Ok(m), error) => {
                        // A signed Error message whose SIGN does not verify is discarded.
                        let bad_sign = matches!(mode, Mode::RsaR | Mode::DhSign)
                            && matches!(m.payloads.last(), Some(Payload::Sign(_)))
                            && matches!(
                                error,
                                Error::SignatureInvalid | Error::UnsupportedSignature
                            );
                        assert!(
                            m.header.data_type != DataType::Error
                                || Some(m.header.csb_id) != before.csb_id
                                || m.timestamp().is_none()
                                || bad_sign,
                            "{name}: an Error message for our CSB not read as one: {f:?}"
                        );
                    }
                }
                Err(f.error)
            }
            Ok(p) => {
                let m = parsed
                    .as_ref()
                    .unwrap_or_else(|e| panic!("{name}: accepted an unparsable message: {e}"));
                assert!(p.reply.is_none(), "{name}: an Initiator answered");
                assert_eq!(Some(m.header.csb_id), before.csb_id, "{name}");
                assert_eq!(s.state(), State::Established, "{name}");
                assert_eq!(s.csb_id(), before.csb_id, "{name}");
                if mode == Mode::RsaR || is_dh(mode) {
                    assert_eq!(p.event, Event::KeysEstablished { update: false }, "{name}");
                    let answer_type = match mode {
                        Mode::DhSign => DataType::DhResp,
                        Mode::DhHmac => DataType::DhHmacResp,
                        _ => DataType::RsaRResp,
                    };
                    assert_eq!(m.header.data_type, answer_type, "{name}");
                    let ours = Message::parse(sent).expect("our I_MESSAGE");
                    let sent_t = ours.timestamp().copied();
                    if is_dh(mode) {
                        // Our SSRCs are not 0: the answer's map is exactly ours, and keys
                        // one crypto session per stream.
                        assert_eq!(m.header.cs_map, ours.header.cs_map, "{name}: CS ID map");
                        let CsIdMap::SrtpId(entries) = &ours.header.cs_map else {
                            panic!("{name}: our I_MESSAGE has an SRTP-ID map");
                        };
                        assert_eq!(s.crypto_sessions().len(), entries.len(), "{name}");
                    }
                    assert_eq!(m.timestamp().copied(), sent_t, "{name}: not our timestamp");
                    assert!(before.crypto_sessions.is_empty(), "{name}");
                    assert!(!s.crypto_sessions().is_empty(), "{name}: no keys installed");
                    for cs in s.crypto_sessions() {
                        for k in &cs.keys {
                            assert_eq!(
                                k.key_salt().len(),
                                cs.profile.master_key_len() + cs.profile.master_salt_len(),
                                "{name}: key length for {:?}",
                                cs.profile
                            );
                        }
                    }
                } else {
                    let v_type = if mode == Mode::Pk {
                        DataType::PkVerification
                    } else {
                        DataType::PskVerification
                    };
                    assert_eq!(p.event, Event::Verified, "{name}");
                    assert_eq!(m.header.data_type, v_type, "{name}");
                    assert_eq!(
                        s.crypto_sessions(),
                        &before.crypto_sessions[..],
                        "{name}: keys changed"
                    );
                }
                let after = Snapshot::of(s);
                let again = s.process(data).unwrap_err();
                assert_eq!(again.error, Error::WrongState, "{name}: second time");
                assert!(again.reply.is_none(), "{name}");
                assert_eq!(Snapshot::of(s), after, "{name}");
                Ok(p.event)
            }
        }
    }
}
