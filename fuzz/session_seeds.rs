// The seeds of the session fuzz targets (`respond`, `complete`, `respond_pk`,
// `complete_pk`, `respond_dh`, `complete_dh`), included with `include!` by `tests/fuzz_corpus.rs`, which writes them to
// `fuzz/corpus/<target>/seed-*` and checks the committed ones: valid messages made with the
// deterministic configs of `session_check.rs` (include it first), so each reaches the
// outcome it is named for. The PSK, NULL and DH seeds are the same bytes in every run (DH
// values come from the configs' `TestRng` and the fixed exponent, DH-SIGN signs with
// RSASSA-PKCS1-v1_5) except the ECDSA signatures of the ECC profile's; the PK and RSA-R
// ones differ only in their PKE data and SIGN signature (aws-lc draws PKCS#1 v1.5
// encryption padding, RSA-PSS salts and ECDSA nonces from its own generator).

#[allow(dead_code)]
mod session_seeds {
    use super::session_check::*;
    use mikey::crypto::dh::FfdhGroup;
    use mikey::exchange::Error;
    use mikey::policy::SrtpProfile;
    use mikey::rng::{Rng, RngError};
    use mikey::session::{ConfigBuilder, InitInputs, KeyTransport, Mode, Session};
    use mikey::time::ManualClock;
    use mikey::wire::{EncrAlg, MacAlg, Message, PrfFunc};
    use std::sync::Arc;

    /// An I_MESSAGE from an Initiator config built by `f` from Alice's builder for `mode`
    /// (`seed` for its random source), for `n` streams (PK: with the fixed envelope key).
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
        initiate(&mut Session::initiator(config), n)
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
        // Every kind of General Extension and a TESLA bootstrap (RFC 4442) under the MAC.
        v.push(("psk-extensions-tesla", {
            use mikey::wire::{GeneralExtension, KeyIdEntry, KeyIdType, OmaBcastSubtype};
            let config = Arc::new(initiator_builder(Psk, 23).build().expect("seed config"));
            let mut s = Session::initiator(config);
            s.set_extensions(vec![
                GeneralExtension::vendor_id(b"vendor"),
                GeneralExtension::key_ids(&[KeyIdEntry {
                    id_type: KeyIdType::MbmsServiceKeyId,
                    id: &[0, 0, 0, 1],
                }])
                .expect("seed key ids"),
                GeneralExtension::oma_bcast(OmaBcastSubtype::Stkm, &[1, 2]),
            ])
            .expect("seed extensions");
            let tesla = mikey::tesla::TeslaPolicy::new(0xEB00_0000_0000_0000, 40, 2, 1000);
            s.set_tesla(tesla, &[0x5a; 20]).expect("seed TESLA");
            initiate(&mut s, 1)
        }));
        // Broadcast delivery (RFC 4563): the Empty map, a COUNTER timestamp, no answer.
        v.push((
            "psk-empty-map-counter",
            init_message(Psk, 24, 1, |b| {
                b.empty_cs_map(true)
                    .timestamp_type(mikey::wire::TsType::Counter)
                    .request_verification(false)
            }),
        ));
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
                let b = responder_builder(mode, 1);
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

    /// Seeds of target `respond_pk`, as (name, bytes): MIKEY-PK I_MESSAGEs (1 to 3 streams,
    /// with and without V, RSASSA-PKCS1-v1_5 and RSA-PSS, CHASH, AES-CM-128 / AES-KW-128
    /// with the NULL MAC / AES-CM-256, HMAC-SHA-1 / HMAC-SHA-256, PRF-HMAC-SHA-256, MKIs,
    /// TGK and TEK+SALT, with and without CERTi), an offer the Responder refuses (Error
    /// no. 10, authenticated), an envelope for another key (Error no. 0) and an update for
    /// `pk-established`; MIKEY-RSA-R I_MESSAGEs (the Initiator's RAND or the Responder's,
    /// RSA-PSS, without CERTi, a group member's), a refused offer (Error no. 10) and a
    /// second I_MESSAGE for the CSB of `rsa-r-established` (RFC 4738 defines no update).
    pub fn respond_pk_seeds() -> Vec<(&'static str, Vec<u8>)> {
        use Mode::*;
        use mikey::crypto::cert::CertHashFunc;
        use mikey::crypto::rsa::SignaturePadding::Pss;
        let mut v: Vec<(&'static str, Vec<u8>)> = vec![
            ("pk-1cs-v-tgk", init_message(Pk, 30, 1, |b| b)),
            (
                "pk-3cs-nov-pss-teksalt",
                init_message(Pk, 31, 3, |b| {
                    b.request_verification(false)
                        .signature_padding(Pss)
                        .key_transport(KeyTransport::TekSalt)
                }),
            ),
            (
                "pk-1cs-v-chash-aeskw-nullmac",
                init_message(Pk, 32, 1, |b| {
                    b.cert_hash(Some(CertHashFunc::Sha256))
                        .encryption(EncrAlg::AesKw128)
                        .mac(MacAlg::Null)
                }),
            ),
            (
                "pk-2cs-v-aescm256-sha256-prf256-mki-nocert",
                init_message(Pk, 33, 2, |b| {
                    b.encryption(EncrAlg::AesCm256)
                        .mac(MacAlg::HmacSha256_256)
                        .prf(PrfFunc::HmacSha256)
                        .mki_len(4)
                        .send_certificates(false)
                        .offer(vec![
                            SrtpProfile::Aes256CmSha1_32.policy(),
                            SrtpProfile::Aes128CmSha1_32.policy(),
                        ])
                }),
            ),
            // Answered with an authenticated Error no. 10 (no NULL cipher accepted).
            (
                "pk-unsupported-policy",
                init_message(Pk, 34, 1, |b| {
                    b.offer(vec![SrtpProfile::NullSha1_80.policy()])
                }),
            ),
            // The envelope is encrypted to Alice's key: Bob fails at the MAC (implicit
            // rejection), Error no. 0.
            (
                "pk-envelope-for-another-key",
                init_message(Pk, 35, 1, |b| b.peer_certificate(cert(ALICE_PEM))),
            ),
            ("pk-update", {
                let (mut i, _, _) = established_pair(Pk);
                i.rekey(&streams(2)[1..]).expect("update")
            }),
            ("rsa-r-2cs-rand", init_message(RsaR, 40, 2, |b| b)),
            (
                "rsa-r-1cs-norand-pss",
                init_message(RsaR, 41, 1, |b| {
                    b.rsa_r_initiator_rand(false).signature_padding(Pss)
                }),
            ),
            (
                "rsa-r-1cs-nocert",
                init_message(RsaR, 42, 1, |b| b.send_certificates(false)),
            ),
            (
                "rsa-r-group-member",
                init_message(RsaR, 43, 0, |b| b.rsa_r_group_member(true)),
            ),
            // Answered with an unauthenticated Error no. 10 by the unicast Responder; the
            // group key server hands out the group's keys whatever is offered.
            (
                "rsa-r-unsupported-policy",
                init_message(RsaR, 44, 1, |b| {
                    b.offer(vec![SrtpProfile::NullSha1_80.policy()])
                }),
            ),
        ];
        // The CSB of `rsa-r-established`, a second later.
        let (_, _, init) = established_pair(RsaR);
        let csb_id = Message::parse(&init).expect("I_MESSAGE").header.csb_id;
        let config = initiator_builder(RsaR, 45)
            .clock(Arc::new(ManualClock::new(NOW + (1 << 32))))
            .build()
            .expect("seed config");
        let inputs = InitInputs {
            csb_id: Some(csb_id),
            ..InitInputs::default()
        };
        v.push((
            "rsa-r-same-csb",
            Session::initiator(Arc::new(config))
                .initiate_with(&streams(1), &inputs)
                .expect("seed I_MESSAGE"),
        ));
        v
    }

    /// Seeds of target `complete_pk`: for each Initiator, its answer (the verification
    /// message; the R_MESSAGE), an Error message no. 10 (the Responder accepts no offered
    /// policy: authenticated in PK mode with a MAC; not for the group member, whose key
    /// server offers nothing to refuse) and an unauthenticated one: `wrong-key` in PK mode
    /// (the Responder has another key: no. 0, also with AES-KW and the NULL MAC, where the
    /// key wrap fails instead of a MAC), `other-pinned-cert` in RSA-R (the Responder pins
    /// another certificate: no. 8).
    pub fn complete_pk_seeds() -> Vec<(String, Vec<u8>)> {
        let mut v = Vec::new();
        for (k, name) in COMPLETE_PK_INITIATORS.iter().enumerate() {
            let (_, init) = complete_pk_initiator(k);
            let mode = Message::parse(&init).expect("I_MESSAGE").header.data_type;
            let pk = mode == mikey::wire::DataType::PublicKey;
            let group = name.ends_with("group-member");
            let responder = |f: &dyn Fn(ConfigBuilder) -> ConfigBuilder| {
                let b = responder_builder(if pk { Mode::Pk } else { Mode::RsaR }, 1);
                let b = if group {
                    b.rsa_r_group(&group_streams())
                } else {
                    b
                };
                Session::responder(Arc::new(f(b).build().expect("seed responder")))
            };
            let done = responder(&|b| b).process(&init).expect("seed answer");
            v.push((format!("{name}-answer"), done.reply.expect("an answer")));
            if !group {
                let f = responder(&|b| b.accept(vec![SrtpProfile::NullSha1_32]))
                    .process(&init)
                    .unwrap_err();
                assert_eq!(f.error, Error::UnsupportedPolicy);
                v.push((format!("{name}-error-10"), f.reply.expect("Error no. 10")));
            }
            let (kind, mut r) = if pk {
                let alice_key = |b: ConfigBuilder| {
                    b.private_key(mikey::crypto::rsa::RsaPrivateKey::from_pem(ALICE_KEY).unwrap())
                };
                ("wrong-key", responder(&alice_key))
            } else {
                (
                    "other-pinned-cert",
                    responder(&|b| b.peer_certificate(cert(BOB_PEM))),
                )
            };
            let f = r.process(&init).unwrap_err();
            v.push((format!("{name}-{kind}"), f.reply.expect("an Error message")));
        }
        v
    }

    /// (p-1)/2 of [`DH_GROUP`], big-endian at the group's length: the order of the
    /// generator 2 (the OAKLEY primes are safe primes with p = 7 mod 8, so 2 is a square).
    /// As an exponent (its top bit is clear) it makes the public value g^((p-1)/2) = 1,
    /// which a peer must refuse (RFC 3830 §6.4 values in 2 ..= p-2): the only out-of-range
    /// DH value the library can be made to send, and sign or MAC.
    pub fn half_order() -> Vec<u8> {
        let p = DH_GROUP.prime();
        let mut q = vec![0u8; p.len()];
        let mut carry = 0u8;
        for (i, byte) in p.iter().enumerate() {
            // p is odd: (p-1)/2 = p >> 1.
            q[i] = (byte >> 1) | (carry << 7);
            carry = byte & 1;
        }
        q
    }

    /// A random source that hands out [`half_order`] for a draw of the group's length (a
    /// DH secret) and the `TestRng` at `seed` otherwise: a Responder with it answers with
    /// DHr = 1.
    #[derive(Debug)]
    struct HalfOrderRng(TestRng);

    impl Rng for HalfOrderRng {
        fn fill(&self, out: &mut [u8]) -> Result<(), RngError> {
            if out.len() == DH_GROUP.value_len() {
                out.copy_from_slice(&half_order());
                Ok(())
            } else {
                self.0.fill(out)
            }
        }
    }

    /// A DH I_MESSAGE from Alice's config for `mode` (`seed`, changed by `f`) with exponent
    /// `x` for one stream, or a drawn one (`None`).
    fn dh_init_message(
        mode: Mode,
        seed: u64,
        x: Option<Vec<u8>>,
        f: impl FnOnce(ConfigBuilder) -> ConfigBuilder,
    ) -> Vec<u8> {
        let config = Arc::new(
            f(initiator_builder(mode, seed))
                .build()
                .expect("seed config"),
        );
        let inputs = InitInputs {
            dh_secret: x.map(Into::into),
            ..InitInputs::default()
        };
        Session::initiator(config)
            .initiate_with(&streams(1), &inputs)
            .expect("seed I_MESSAGE")
    }

    /// Seeds of target `respond_dh`, as (name, bytes), for each of DH-SIGN and DH-HMAC (in
    /// OAKLEY 1 with the fixed exponent unless named otherwise): I_MESSAGEs (1 and 2
    /// streams; DH-SIGN without CERTi, PRF-HMAC-SHA-256 and MKIs; DH-HMAC with
    /// HMAC-SHA-256), an offer the Responder refuses (Error no. 10: signed
    /// in DH-SIGN, without V in DH-HMAC), DHi = 1 (authenticated, refused with Error no. 6),
    /// a DHi of OAKLEY 2 (not the configured group: Error no. 6, unauthenticated), in
    /// DH-HMAC another PSK (Error no. 0), and an update for the `*-established` Responder
    /// (a new DH exchange, RFC 3830 §4.5) and one without DH values (keeping the TGK, RFC
    /// 4650 §3.1 b); and DH-SIGN in the ECC profile (P-256, ECDSA:
    /// 1 stream; 2 streams without CERTi; an update).
    pub fn respond_dh_seeds() -> Vec<(&'static str, Vec<u8>)> {
        use Mode::*;
        let refused_offer = |b: ConfigBuilder| b.offer(vec![SrtpProfile::NullSha1_80.policy()]);
        let mut v: Vec<(&'static str, Vec<u8>)> = vec![
            ("dh-sign-1cs", init_message(DhSign, 50, 1, |b| b)),
            (
                "dh-sign-2cs-nocert-prf256-mki",
                init_message(DhSign, 51, 2, |b| {
                    b.send_certificates(false)
                        .prf(PrfFunc::HmacSha256)
                        .mki_len(4)
                }),
            ),
            (
                "dh-sign-unsupported-policy",
                init_message(DhSign, 52, 1, refused_offer),
            ),
            (
                "dh-sign-dhi-1",
                dh_init_message(DhSign, 53, Some(half_order()), |b| b),
            ),
            (
                "dh-sign-oakley2",
                dh_init_message(DhSign, 54, None, |b| b.dh_group(FfdhGroup::Oakley2)),
            ),
            ("dh-hmac-1cs", init_message(DhHmac, 60, 1, |b| b)),
            (
                "dh-hmac-2cs-sha256",
                init_message(DhHmac, 61, 2, |b| b.mac(MacAlg::HmacSha256_256)),
            ),
            (
                "dh-hmac-unsupported-policy",
                init_message(DhHmac, 62, 1, refused_offer),
            ),
            (
                "dh-hmac-dhi-1",
                dh_init_message(DhHmac, 63, Some(half_order()), |b| b),
            ),
            (
                "dh-hmac-oakley2",
                dh_init_message(DhHmac, 64, None, |b| b.dh_group(FfdhGroup::Oakley2)),
            ),
            (
                "dh-hmac-wrong-psk",
                init_message(DhHmac, 65, 1, |b| b.psk(b"another pre-shared key")),
            ),
        ];
        for (name, mode) in [("dh-sign-update", DhSign), ("dh-hmac-update", DhHmac)] {
            let (mut i, _, _) = established_pair(mode);
            v.push((name, i.rekey(&streams(2)[1..]).expect("update")));
        }
        // Updates without DH values, keeping the TGK (RFC 3830 §4.5, RFC 4650 §3.1 b).
        for (name, mode) in [
            ("dh-sign-keep-tgk-update", DhSign),
            ("dh-hmac-keep-tgk-update", DhHmac),
        ] {
            let (mut i, _, _) = established_pair(mode);
            let update = i.update_keeping_tgk(&streams(2)[1..]).expect("update");
            v.push((name, update));
        }
        for (name, seed, n, send_certs) in [
            ("dh-sign-p256-1cs", 55, 1, true),
            ("dh-sign-p256-2cs-nocert", 56, 2, false),
        ] {
            let config = ecc_initiator_builder(seed).send_certificates(send_certs);
            let config = Arc::new(config.build().expect("seed config"));
            v.push((name, initiate(&mut Session::initiator(config), n)));
        }
        let (mut i, _, _) = established_ecc_pair();
        v.push(("dh-sign-p256-update", i.rekey(&streams(2)[1..]).expect("update")));
        v
    }

    /// Seeds of target `complete_dh`: for each Initiator, its answer, an Error message
    /// no. 10 (the Responder accepts no offered policy: signed in DH-SIGN, without V in
    /// DH-HMAC, RFC 4650 §4.1), an unauthenticated one (`other-pinned-cert` in DH-SIGN: the
    /// Responder pins another certificate; `wrong-psk` in DH-HMAC: no. 0) and an answer
    /// with DHr = 1 (authenticated, refused as a DH value out of range).
    pub fn complete_dh_seeds() -> Vec<(String, Vec<u8>)> {
        let mut v = Vec::new();
        for (k, name) in COMPLETE_DH_INITIATORS.iter().enumerate() {
            let (i, init) = complete_dh_initiator(k);
            let mode = i.config().mode();
            let ecc = i.config().dh_group().is_ecc();
            let responder = |f: &dyn Fn(ConfigBuilder) -> ConfigBuilder| {
                let b = if ecc {
                    ecc_responder_builder(1)
                } else {
                    responder_builder(mode, 1)
                };
                Session::responder(Arc::new(f(b).build().expect("seed responder")))
            };
            let done = responder(&|b| b).process(&init).expect("seed answer");
            v.push((format!("{name}-answer"), done.reply.expect("an answer")));
            let f = responder(&|b| b.accept(vec![SrtpProfile::NullSha1_32]))
                .process(&init)
                .unwrap_err();
            assert_eq!(f.error, Error::UnsupportedPolicy);
            v.push((format!("{name}-error-10"), f.reply.expect("Error no. 10")));
            let (kind, mut r) = if mode == Mode::DhSign {
                let bob = if ecc { BOB_P256_PEM } else { BOB_PEM };
                (
                    "other-pinned-cert",
                    responder(&|b| b.peer_certificate(cert(bob))),
                )
            } else {
                ("wrong-psk", responder(&|b| b.psk(b"another pre-shared key")))
            };
            let f = r.process(&init).unwrap_err();
            v.push((format!("{name}-{kind}"), f.reply.expect("an Error message")));
            if ecc {
                // A P-256 DHr is x_r·G: no draw makes it a small-order value.
                continue;
            }
            let done = responder(&|b| b.rng(Arc::new(HalfOrderRng(TestRng::new(1)))))
                .process(&init)
                .expect("seed answer with DHr = 1");
            v.push((format!("{name}-dhr-1"), done.reply.expect("an answer")));
        }
        v
    }
}
