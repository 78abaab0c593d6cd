//! General Extensions (RFC 3830 §6.15) and the flows built on them, end to end between two
//! sessions: every registered type carried under the MAC and read back by the Responder;
//! TESLA bootstrapping (RFC 4442); MBMS key delivery with Key IDs, the Empty map and
//! persisted COUNTER timestamps (RFC 4563, 3GPP TS 33.246 usage); OMA BCAST LTKM/STKM
//! delivery (RFC 5410).

use mikey::exchange::Error;
use mikey::session::counter_store::CounterPersist;
use mikey::session::{Config, ConfigBuilder, Event, Mode, Role, Session, State, StreamSpec};
use mikey::tesla::{TESLA_HMAC_SHA256, TeslaPolicy};
use mikey::wire::{
    CsIdMap, ErrorNo, GenExtType, GeneralExtension, KeyDataType, KeyIdEntry, KeyIdType, Message,
    OmaBcastSubtype, Payload, ProtType, TsType,
};
use std::sync::{Arc, Mutex};

const STREAM: StreamSpec = StreamSpec {
    ssrc: 0x1234_5678,
    roc: 0,
    policy_no: 0,
};

fn psk_config(psk: &[u8]) -> Arc<Config> {
    Arc::new(ConfigBuilder::new(Mode::Psk).psk(psk).build().unwrap())
}

fn every_type() -> Vec<GeneralExtension<'static>> {
    vec![
        GeneralExtension::vendor_id(b"\x00\x00\x28\xafexample"),
        GeneralExtension::key_ids(&[
            KeyIdEntry {
                id_type: KeyIdType::MbmsKeyDomainId,
                id: &[0x02, 0xF8, 0x39],
            },
            KeyIdEntry {
                id_type: KeyIdType::MbmsServiceKeyId,
                id: &[0, 0, 0, 7],
            },
        ])
        .unwrap(),
        GeneralExtension::oma_bcast(OmaBcastSubtype::Ltkm, b"ltkm-data"),
        GeneralExtension::new(GenExtType::SakkeToSelf, b"sakke"),
        GeneralExtension::new(GenExtType::ThreeGppKeyParameters, b"3gpp"),
        GeneralExtension::new(GenExtType::from(200), b"unassigned"),
        GeneralExtension::new(GenExtType::from(250), b"private"),
    ]
}

#[test]
fn every_extension_type_travels_under_the_mac() {
    let c = psk_config(b"extension key");
    let mut i = Session::initiator(c.clone());
    i.set_extensions(every_type()).unwrap();
    let init = i.initiate(&[STREAM]).unwrap();
    let mut r = Session::responder(c.clone());
    assert!(r.peer_extensions().is_empty());
    let reply = r.process(&init).unwrap().reply.unwrap();
    assert_eq!(r.peer_extensions(), &every_type()[..]);
    assert_eq!(
        r.peer_extensions()[1].key_id_entries().nth(1).unwrap().id,
        &[0, 0, 0, 7]
    );
    i.process(&reply).unwrap();
    assert_eq!(i.state(), State::Established);
    // An update carries them again, and a changed list replaces the old one.
    i.set_extensions(vec![GeneralExtension::vendor_id(b"v2")])
        .unwrap();
    let update = i.rekey(&[]).unwrap();
    r.process(&update).unwrap();
    assert_eq!(
        r.peer_extensions(),
        &[GeneralExtension::vendor_id(b"v2")][..]
    );
    // Altered on the way, the message fails its MAC: the extensions are authenticated.
    let mut forged = i.rekey(&[]).unwrap();
    let at = forged.windows(2).position(|w| w == b"v2").unwrap();
    forged[at] ^= 1;
    assert_eq!(r.process(&forged).unwrap_err().error, Error::AuthFailed);
    assert_eq!(
        r.peer_extensions(),
        &[GeneralExtension::vendor_id(b"v2")][..]
    );
    // In a first I_MESSAGE too.
    let mut i2 = Session::initiator(c.clone());
    i2.set_extensions(every_type()).unwrap();
    let mut forged = i2.initiate(&[STREAM]).unwrap();
    let at = forged.windows(7).position(|w| w == b"private").unwrap();
    forged[at] ^= 1;
    let mut r2 = Session::responder(c);
    assert_eq!(r2.process(&forged).unwrap_err().error, Error::AuthFailed);
    assert!(r2.peer_extensions().is_empty());
}

#[test]
fn the_library_s_own_extension_types_and_responders_are_refused() {
    let c = psk_config(b"k");
    let mut i = Session::initiator(c.clone());
    for t in [GenExtType::SdpIds, GenExtType::CsbId, GenExtType::TeslaIKey] {
        assert!(matches!(
            i.set_extensions(vec![GeneralExtension::new(t, b"x")]),
            Err(Error::Config(_))
        ));
    }
    let mut r = Session::responder(c);
    assert_eq!(r.set_extensions(Vec::new()), Err(Error::WrongState));
}

fn tesla_policy() -> TeslaPolicy {
    TeslaPolicy {
        mac: TESLA_HMAC_SHA256,
        mac_output_bits: 96,
        ..TeslaPolicy::new(0xEB00_0000_0000_0000, 40, 2, 90_000)
    }
}

#[test]
fn tesla_bootstrap_reaches_the_receiver() {
    let c = psk_config(b"tesla key");
    let mut sender = Session::initiator(c.clone());
    let k0 = [0x5A; 20];
    sender.set_tesla(tesla_policy(), &k0).unwrap();
    let init = sender.initiate(&[STREAM]).unwrap();
    let m = Message::parse(&init).unwrap();
    let sps: Vec<_> = m
        .payloads
        .iter()
        .filter_map(|p| match p {
            Payload::SecurityPolicy(sp) => Some((sp.policy_no, sp.prot_type)),
            _ => None,
        })
        .collect();
    assert_eq!(sps, [(0, ProtType::Srtp), (1, ProtType::Tesla)]);
    let mut receiver = Session::responder(c);
    let reply = receiver.process(&init).unwrap().reply.unwrap();
    let boot = receiver.peer_tesla().unwrap();
    assert_eq!(boot.policy, tesla_policy());
    assert_eq!(boot.initial_key, k0);
    assert_eq!(
        receiver.peer_extensions()[0].as_tesla_i_key(),
        Some(&k0[..])
    );
    // The SRTP keys are the same on both sides as always.
    sender.process(&reply).unwrap();
    assert_eq!(
        sender.crypto_sessions()[0].keys[0].master_key(),
        receiver.crypto_sessions()[0].keys[0].master_key()
    );
}

#[test]
fn a_tesla_policy_out_of_range_or_without_its_key_is_refused_with_error_10() {
    let c = psk_config(b"k");
    let mut s = Session::initiator(c.clone());
    let bad = TeslaPolicy {
        interval_ms: 0,
        ..tesla_policy()
    };
    assert!(matches!(s.set_tesla(bad, &[1; 20]), Err(Error::Config(_))));
    assert!(matches!(
        s.set_tesla(tesla_policy(), &[]),
        Err(Error::Config(_))
    ));
    // NULL mode has no MAC, so the message can be edited on the way: the receiver checks.
    let null = Arc::new(ConfigBuilder::new(Mode::Null).build().unwrap());
    let mut sender = Session::initiator(null.clone());
    sender.set_tesla(tesla_policy(), &[7; 20]).unwrap();
    let init = sender.initiate(&[STREAM]).unwrap();
    // The interval duration (type 6, four bytes of 40) becomes 0.
    let mut zero_interval = init.clone();
    let at = zero_interval
        .windows(6)
        .position(|w| w == [6, 4, 0, 0, 0, 40])
        .unwrap();
    zero_interval[at + 5] = 0;
    let mut r = Session::responder(null.clone());
    let failure = r.process(&zero_interval).unwrap_err();
    assert_eq!(failure.error, Error::UnsupportedPolicy);
    let err = Message::parse(failure.reply.as_ref().unwrap()).unwrap();
    assert_eq!(err.error_nos(), [ErrorNo::InvalidSpPar]);
    assert_eq!(r.state(), State::Idle);
    // Without the I-Key: the extension's type becomes Vendor ID.
    let mut keyless = init.clone();
    let at = keyless.windows(4).position(|w| w == [2, 0, 20, 7]).unwrap();
    keyless[at] = 0;
    let failure = Session::responder(null.clone())
        .process(&keyless)
        .unwrap_err();
    assert_eq!(failure.error, Error::UnsupportedPolicy);
    // The unaltered message is accepted.
    let mut r = Session::responder(null);
    r.process(&init).unwrap();
    assert_eq!(r.peer_tesla().unwrap().initial_key, [7; 20]);
}

/// A COUNTER store the tests can look into and make fail.
#[derive(Clone, Default)]
struct Store {
    values: Arc<Mutex<Vec<(Role, u32)>>>,
    failing: Arc<Mutex<bool>>,
}

impl Store {
    fn persist(&self) -> CounterPersist {
        let s = self.clone();
        Arc::new(move |role, v| {
            if *s.failing.lock().unwrap() {
                return false;
            }
            s.values.lock().unwrap().push((role, v));
            true
        })
    }

    fn last(&self, role: Role) -> u32 {
        let values = self.values.lock().unwrap();
        values
            .iter()
            .rev()
            .find(|(r, _)| *r == role)
            .map_or(0, |(_, v)| *v)
    }
}

/// A broadcast key server's config: PSK, COUNTER timestamps from the store, no answer.
fn push_config(psk: &[u8], store: &Store, empty_map: bool) -> Arc<Config> {
    Arc::new(
        ConfigBuilder::new(Mode::Psk)
            .psk(psk)
            .timestamp_type(TsType::Counter)
            .request_verification(false)
            .empty_cs_map(empty_map)
            .counter_store(store.last(Role::Initiator), 0, store.persist())
            .build()
            .unwrap(),
    )
}

/// A receiver's config: the same PSK, COUNTER values checked against the store.
fn receive_config(psk: &[u8], store: &Store) -> Arc<Config> {
    Arc::new(
        ConfigBuilder::new(Mode::Psk)
            .psk(psk)
            .counter_store(0, store.last(Role::Responder), store.persist())
            .build()
            .unwrap(),
    )
}

fn key_ids(ids: &[(KeyIdType, &[u8])]) -> GeneralExtension<'static> {
    let entries: Vec<KeyIdEntry<'_>> = ids
        .iter()
        .map(|(id_type, id)| KeyIdEntry {
            id_type: *id_type,
            id,
        })
        .collect();
    GeneralExtension::key_ids(&entries).unwrap()
}

const DOMAIN: &[u8] = &[0x02, 0xF8, 0x39];
const MSK_ID: &[u8] = &[0, 0, 0, 1];
const MTK_ID: &[u8] = &[0, 0, 0, 9];

#[test]
fn mbms_msk_then_mtk_delivery_with_persisted_counters() {
    let muk = b"MBMS user key (MUK) of this UE";
    let (server, ue) = (Store::default(), Store::default());
    // 1. The BM-SC pushes the MSK under the MUK: Empty map, Key IDs, COUNTER 1, no answer.
    let bmsc = push_config(muk, &server, true);
    let mut msk_push = Session::initiator(bmsc.clone());
    msk_push
        .set_extensions(vec![key_ids(&[
            (KeyIdType::MbmsKeyDomainId, DOMAIN),
            (KeyIdType::MbmsServiceKeyId, MSK_ID),
        ])])
        .unwrap();
    let msk_message = msk_push.initiate(&[STREAM]).unwrap();
    assert_eq!(msk_push.state(), State::Established);
    let m = Message::parse(&msk_message).unwrap();
    assert_eq!(m.header.cs_map, CsIdMap::Empty { cs_count: 1 });
    assert!(
        m.payloads
            .iter()
            .all(|p| !matches!(p, Payload::SecurityPolicy(_)))
    );
    assert_eq!(m.timestamp().unwrap().ts_type, TsType::Counter);
    assert_eq!(m.timestamp().unwrap().value, 1);
    assert_eq!(server.last(Role::Initiator), 1);

    let mut ue_msk = Session::responder(receive_config(muk, &ue));
    let processed = ue_msk.process(&msk_message).unwrap();
    assert_eq!(processed.reply, None);
    assert_eq!(ue.last(Role::Responder), 1);
    let ids: Vec<_> = ue_msk.peer_extensions()[0].key_id_entries().collect();
    assert_eq!(ids[1].id_type, KeyIdType::MbmsServiceKeyId);
    assert_eq!(ids[1].id, MSK_ID);
    let msk = ue_msk.carried_keys()[0].key.to_vec();
    assert_eq!(ue_msk.carried_keys()[0].kind, KeyDataType::Tgk);
    assert_eq!(msk, msk_push.carried_keys()[0].key.to_vec());
    assert_eq!(ue_msk.crypto_sessions()[0].ssrc, 0);

    // 2. The MTK under the MSK, for the stream: SRTP-ID map, Key IDs naming MSK and MTK.
    let traffic = push_config(&msk, &server, false);
    let mut mtk_push = Session::initiator(traffic);
    mtk_push
        .set_extensions(vec![key_ids(&[
            (KeyIdType::MbmsKeyDomainId, DOMAIN),
            (KeyIdType::MbmsServiceKeyId, MSK_ID),
            (KeyIdType::MbmsTrafficKeyId, MTK_ID),
        ])])
        .unwrap();
    let mtk_message = mtk_push.initiate(&[STREAM]).unwrap();
    assert_eq!(
        Message::parse(&mtk_message)
            .unwrap()
            .timestamp()
            .unwrap()
            .value,
        2
    );
    let ue_traffic = receive_config(&msk, &ue);
    let mut ue_mtk = Session::responder(ue_traffic.clone());
    ue_mtk.process(&mtk_message).unwrap();
    assert_eq!(
        ue_mtk.crypto_sessions()[0].keys[0].master_key(),
        mtk_push.crypto_sessions()[0].keys[0].master_key()
    );
    assert_eq!(ue_mtk.crypto_sessions()[0].ssrc, STREAM.ssrc);

    // 3. A copy to the session that took it is a retransmission; to any other, a replay.
    assert_eq!(
        ue_mtk.process(&mtk_message).unwrap().event,
        Event::Retransmission
    );
    assert_eq!(
        Session::responder(ue_traffic)
            .process(&mtk_message)
            .unwrap_err()
            .error,
        Error::Replayed
    );

    // 4. After a restart (configs rebuilt from the store) the old messages stay refused,
    //    and the server numbers on from its persisted value.
    let restarted = receive_config(&msk, &ue);
    assert_eq!(
        Session::responder(restarted.clone())
            .process(&mtk_message)
            .unwrap_err()
            .error,
        Error::Replayed
    );
    let bmsc_again = push_config(&msk, &server, false);
    let mut next = Session::initiator(bmsc_again);
    let newer = next.initiate(&[STREAM]).unwrap();
    assert_eq!(
        Message::parse(&newer).unwrap().timestamp().unwrap().value,
        3
    );

    // 5. A store that fails: not accepted, nothing changed; accepted once it works.
    *ue.failing.lock().unwrap() = true;
    let mut r = Session::responder(restarted);
    assert_eq!(r.process(&newer).unwrap_err().error, Error::CounterStore);
    assert_eq!(r.state(), State::Idle);
    *ue.failing.lock().unwrap() = false;
    r.process(&newer).unwrap();
    assert_eq!(ue.last(Role::Responder), 3);
    // And a server whose store fails sends nothing.
    *server.failing.lock().unwrap() = true;
    let mut s = Session::initiator(push_config(&msk, &server, false));
    assert_eq!(s.initiate(&[STREAM]), Err(Error::CounterStore));
    assert_eq!(s.state(), State::Idle);
}

#[test]
fn the_empty_map_config_is_checked() {
    let err = ConfigBuilder::new(Mode::DhHmac)
        .psk(b"k")
        .empty_cs_map(true)
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("Empty CS ID map"), "{err}");
    let err = ConfigBuilder::new(Mode::Psk)
        .psk(b"k")
        .empty_cs_map(true)
        .offer(vec![mikey::policy::SrtpProfile::Aes128CmSha1_32.policy()])
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("SRTP default"), "{err}");
    let c = Arc::new(
        ConfigBuilder::new(Mode::Psk)
            .psk(b"k")
            .empty_cs_map(true)
            .build()
            .unwrap(),
    );
    let mut s = Session::initiator(c);
    assert!(matches!(
        s.set_tesla(tesla_policy(), &[1; 20]),
        Err(Error::Config(_))
    ));
}

#[test]
fn oma_bcast_ltkm_and_stkm_delivery() {
    // OMA BCAST Smartcard Profile: an LTKM carries the service encryption key (SEK) under
    // the subscriber's key, then STKMs carry traffic keys under the SEK (RFC 5410 §3 names
    // the subtypes; their contents are the OMA specification's, opaque here).
    let (server, terminal) = (Store::default(), Store::default());
    let smk = b"subscriber management key (SMK)";
    let mut ltkm = Session::initiator(push_config(smk, &server, true));
    ltkm.set_extensions(vec![GeneralExtension::oma_bcast(
        OmaBcastSubtype::Ltkm,
        b"\x01security-policy-extension",
    )])
    .unwrap();
    let ltkm_message = ltkm.initiate(&[STREAM]).unwrap();
    let mut t = Session::responder(receive_config(smk, &terminal));
    assert_eq!(t.process(&ltkm_message).unwrap().reply, None);
    let (subtype, data) = t.peer_extensions()[0].as_oma_bcast().unwrap();
    assert_eq!(subtype, OmaBcastSubtype::Ltkm);
    assert_eq!(data, b"\x01security-policy-extension");
    let sek = t.carried_keys()[0].key.to_vec();

    let mut stkm = Session::initiator(push_config(&sek, &server, false));
    stkm.set_extensions(vec![GeneralExtension::oma_bcast(
        OmaBcastSubtype::Stkm,
        b"\x02program",
    )])
    .unwrap();
    let stkm_message = stkm.initiate(&[STREAM]).unwrap();
    let mut t2 = Session::responder(receive_config(&sek, &terminal));
    t2.process(&stkm_message).unwrap();
    assert_eq!(
        t2.peer_extensions()[0].as_oma_bcast().unwrap().0,
        OmaBcastSubtype::Stkm
    );
    assert_eq!(
        t2.crypto_sessions()[0].keys[0].master_key(),
        stkm.crypto_sessions()[0].keys[0].master_key()
    );
    assert_eq!(terminal.last(Role::Responder), 2);
}
