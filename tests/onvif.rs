//! The ONVIF preset (`ConfigBuilder::onvif`) against the three example MIKEY messages of the
//! ONVIF Streaming specification (onvif/specs, doc/Streaming.xml, section "MIKEY": the
//! client's RTSP SETUP KeyMgmt written by a Genetec client, its SET_PARAMETER re-key, and a
//! device's GET_PARAMETER answer), which deployed clients send: in NULL mode the preset
//! accepts them and exports the TEK and MKI each carries; PSK mode and a plain NULL config
//! refuse them; the ONVIF readings (no RAND with TEKs, a FILETIME in T) stay checked.

use mikey::exchange::Error;
use mikey::policy::SrtpProfile;
use mikey::sdp::decode_base64;
use mikey::session::onvif::{ONVIF_MKI_LEN, OnvifKeying};
use mikey::session::{Config, ConfigBuilder, Event, Mode, Session, State, StreamSpec};
use mikey::time::{ManualClock, ntp_from_filetime, ntp_from_system_time};
use mikey::wire::{
    KeyChainItem, KeyDataType, KeyValidity, Message, MessageBuilder, Payload, PayloadType,
    parse_key_chain,
};
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

/// The spec's SETUP KeyMgmt `data` (T: a FILETIME, no RAND).
const SETUP: &str = "AQAFAP1td9ABAADCD1UcAAAAAAoAAdOOGc75XD0BAAAAGAABAQEBEAIBAQMBFAcBAQgBAQoBAQsBCgAAACcAIQAe30C59UrClE0e27UP5h/Wty9UL8+dfzg+2ttmmo3kBAAAAC8A";
/// The spec's SET_PARAMETER `mikey:` line (a re-key: T a FILETIME, no RAND).
const SET_PARAMETER: &str = "AQAFAGgCr8EBAADSvxgkAAAAAAoAAdOOK7UihqIBAAAAGAABAQEBEAIBAQMBFAcBAQgBAQoBAQsBCgAAACcAIQAepekjs88g+Q7AU6LAvRsoVyn18ZW1JuXI9qht4g6+BAAAAAIA";
/// The spec's GET_PARAMETER answer (T NTP-UTC, a RAND).
const GET_PARAMETER: &str = "AQAFAGrVolgBAADdBcAoAAAAAAsA2/K83QArhBIKEGrVolg1GZvp7DPyFCdYmXABAAAAGwABAQEBEAIBAQMBFAQBDgcBAQgBAQoBAQsBCgAAACcAIQAe7OzS5umZMXHqaegZC3UkDwbC5NNpj4b8+fB6MROeBAAAAA0A";

/// A message of the spec and what it carries (read with `mikey decode`).
struct Sample {
    base64: &'static str,
    /// The clock of the Responder: a second after the message's time.
    now: u64,
    ssrc: u32,
    key_salt: &'static str,
    mki: &'static str,
}

fn at_filetime(filetime: u64) -> u64 {
    ntp_from_filetime(filetime).unwrap() + (1 << 32)
}

fn samples() -> [Sample; 3] {
    [
        Sample {
            base64: SETUP,
            now: at_filetime(0x01d3_8e19_cef9_5c3d),
            ssrc: 0xc20f_551c,
            key_salt: "df40b9f54ac2944d1edbb50fe61fd6b72f542fcf9d7f383edadb669a8de4",
            mki: "0000002f",
        },
        Sample {
            base64: SET_PARAMETER,
            now: at_filetime(0x01d3_8e2b_b522_86a2),
            ssrc: 0xd2bf_1824,
            key_salt: "a5e923b3cf20f90ec053a2c0bd1b285729f5f195b526e5c8f6a86de20ebe",
            mki: "00000002",
        },
        Sample {
            base64: GET_PARAMETER,
            now: 0xdbf2_bcdd_002b_8412 + (1 << 32),
            ssrc: 0xdd05_c028,
            key_salt: "ececd2e6e9993171ea69e8190b75240f06c2e4d3698f86fcf9f07a31139e",
            mki: "0000000d",
        },
    ]
}

fn onvif_null(now: u64) -> Arc<Config> {
    Arc::new(
        ConfigBuilder::onvif(OnvifKeying::NullOverTls, SrtpProfile::Aes128CmSha1_80)
            .clock(Arc::new(ManualClock::new(now)))
            .build()
            .unwrap(),
    )
}

#[test]
fn the_null_preset_accepts_the_specs_messages_and_exports_their_tek_and_mki() {
    for s in samples() {
        let bytes = decode_base64(s.base64).unwrap();
        let config = onvif_null(s.now);
        let mut r = Session::responder(config.clone());
        let done = r.process(&bytes).unwrap();
        assert_eq!(done.event, Event::KeysEstablished { update: false });
        assert!(done.reply.is_none(), "V = 0: no verification message");
        let cs = &r.crypto_sessions()[0];
        assert_eq!(cs.ssrc, s.ssrc);
        assert_eq!(cs.roc, 0);
        assert_eq!(cs.profile, SrtpProfile::Aes128CmSha1_80);
        assert_eq!(hex::encode(cs.keys[0].key_salt()), s.key_salt);
        assert_eq!(hex::encode(&cs.keys[0].mki), s.mki);
        // Still replay-protected: a second Responder of the config refuses it.
        let again = Session::responder(config).process(&bytes).unwrap_err();
        assert_eq!(again.error, Error::Replayed);
    }
}

#[test]
fn psk_mode_and_a_plain_null_config_refuse_them() {
    for s in samples() {
        let bytes = decode_base64(s.base64).unwrap();
        let clock = Arc::new(ManualClock::new(s.now));
        let psk =
            ConfigBuilder::onvif(OnvifKeying::Psk(b"onvif psk"), SrtpProfile::Aes128CmSha1_80)
                .clock(clock.clone())
                .build()
                .unwrap();
        let mut r = Session::responder(Arc::new(psk));
        assert!(
            r.process(&bytes).is_err(),
            "PSK mode took a NULL-mode message"
        );
        assert_eq!(r.state(), State::Idle);
        // Without the preset, the SETUP and SET_PARAMETER messages fail their timestamp
        // (1900 as NTP) and would fail for their missing RAND.
        let plain = ConfigBuilder::new(Mode::Null).clock(clock).build().unwrap();
        let result = Session::responder(Arc::new(plain)).process(&bytes);
        if s.base64 == GET_PARAMETER {
            assert!(result.is_ok());
        } else {
            assert!(matches!(result.unwrap_err().error, Error::Timestamp(_)));
        }
    }
}

#[test]
fn the_readings_stay_checked() {
    let setup = decode_base64(SETUP).unwrap();
    let when = samples()[0].now;
    // A FILETIME an hour old is stale as well.
    let mut r = Session::responder(onvif_null(when + (3600 << 32)));
    assert!(matches!(
        r.process(&setup).unwrap_err().error,
        Error::Timestamp(_)
    ));
    // A TGK without RAND has nothing to derive with: refused (a TEK needs none).
    let mut i = Session::initiator(Arc::new(
        ConfigBuilder::new(Mode::Null)
            .clock(Arc::new(ManualClock::new(when)))
            .build()
            .unwrap(),
    ));
    let stream = StreamSpec {
        ssrc: 0x1234,
        roc: 0,
        policy_no: 0,
    };
    let with_tgk = i.initiate(&[stream]).unwrap();
    let m = Message::parse(&with_tgk).unwrap();
    let mut b = MessageBuilder::new(m.header.data_type, m.header.csb_id).prf(m.header.prf);
    b = b.srtp_crypto_session(0, 0x1234, 0);
    for p in m.payloads.iter().filter(|p| !matches!(p, Payload::Rand(_))) {
        b = b.payload(p.clone());
    }
    let without_rand = b.build().unwrap().encode().unwrap();
    let f = Session::responder(onvif_null(when))
        .process(&without_rand)
        .unwrap_err();
    assert_eq!(f.error, Error::MissingPayload("RAND"));
}

#[test]
fn preset_pairs_exchange_tek_keys_with_an_mki() {
    let now = ntp_from_system_time(UNIX_EPOCH + Duration::from_secs(1_800_000_000));
    for (keying, profile) in [
        (OnvifKeying::NullOverTls, SrtpProfile::Aes128CmSha1_80),
        (OnvifKeying::Psk(b"onvif psk"), SrtpProfile::Aes128CmSha1_80),
        (OnvifKeying::Psk(b"onvif psk"), SrtpProfile::AeadAes128Gcm),
        (OnvifKeying::NullOverTls, SrtpProfile::AeadAes256Gcm),
    ] {
        let config = || {
            Arc::new(
                ConfigBuilder::onvif(keying, profile)
                    .clock(Arc::new(ManualClock::new(now)))
                    .build()
                    .unwrap(),
            )
        };
        let mut i = Session::initiator(config());
        let init = i
            .initiate(&[StreamSpec {
                ssrc: 0xabcd,
                roc: 9,
                policy_no: 0,
            }])
            .unwrap();
        let mut r = Session::responder(config());
        let done = r.process(&init).unwrap();
        assert!(done.reply.is_none());
        assert_eq!(i.crypto_sessions(), r.crypto_sessions());
        let cs = &r.crypto_sessions()[0];
        assert_eq!(cs.profile, profile);
        assert_eq!(cs.roc, 9);
        assert_eq!(cs.keys[0].mki.len(), ONVIF_MKI_LEN);
        // In NULL mode the KEMAC is readable: a TEK (key ‖ salt) for
        // AES_CM_128_HMAC_SHA1_80, a TEK+SALT for the others, each with its MKI as SPI.
        if keying == OnvifKeying::NullOverTls {
            let m = Message::parse(&init).unwrap();
            let Some(Payload::Kemac(k)) =
                m.payloads.iter().find(|p| matches!(p, Payload::Kemac(_)))
            else {
                panic!("no KEMAC")
            };
            let chain = parse_key_chain(&k.encr_data, PayloadType::KeyData, 0).unwrap();
            let [KeyChainItem::KeyData(key)] = &chain[..] else {
                panic!("not one Key data: {chain:?}")
            };
            let want = if profile == SrtpProfile::Aes128CmSha1_80 {
                KeyDataType::Tek
            } else {
                KeyDataType::TekSalt
            };
            assert_eq!(key.key_type, want);
            assert_eq!(key.kv, KeyValidity::Spi(cs.keys[0].mki.clone().into()));
        }
    }
}

/// ONVIF re-keying (Streaming specification, "Client Re-Keying with MIKEY": a
/// SET_PARAMETER with a new MIKEY message carrying only the new key; "The device shall not
/// reset the ROC when changing keys"): a new CSB for the same stream, given to the
/// device's established session, adds the new key beside the current one (packets under
/// either MKI decrypt across the change) and keeps the stream's ROC.
#[test]
fn a_re_key_for_the_same_stream_keeps_the_roc_and_the_current_key() {
    let now = ntp_from_system_time(UNIX_EPOCH + Duration::from_secs(1_800_000_000));
    let clock = Arc::new(ManualClock::new(now));
    for keying in [OnvifKeying::NullOverTls, OnvifKeying::Psk(b"onvif psk")] {
        let config = || {
            Arc::new(
                ConfigBuilder::onvif(keying, SrtpProfile::Aes128CmSha1_80)
                    .clock(clock.clone())
                    .build()
                    .unwrap(),
            )
        };
        let stream = |roc| StreamSpec {
            ssrc: 0x5eed,
            roc,
            policy_no: 0,
        };
        let mut device = Session::responder(config());
        let setup = Session::initiator(config()).initiate(&[stream(4)]).unwrap();
        device.process(&setup).unwrap();
        let first = device.crypto_sessions()[0].clone();
        assert_eq!((first.roc, first.keys.len()), (4, 1));
        clock.advance(Duration::from_secs(1));
        // The client's new message: its own CSB, ROC 0 in its map as in the spec's example.
        let mut client = Session::initiator(config());
        let rekey = client.initiate(&[stream(0)]).unwrap();
        let done = device.process(&rekey).unwrap();
        assert_eq!(done.event, Event::KeysEstablished { update: true });
        assert_eq!(device.csb_id(), client.csb_id());
        let cs = &device.crypto_sessions()[0];
        assert_eq!(cs.roc, 4, "the ROC is kept");
        assert_eq!(cs.keys.len(), 2);
        assert_eq!(cs.keys[0], first.keys[0], "the current key stays");
        assert_eq!(cs.keys[1], client.crypto_sessions()[0].keys[0]);
        // A message for another stream is no re-key of this one.
        clock.advance(Duration::from_secs(1));
        let other = Session::initiator(config())
            .initiate(&[StreamSpec {
                ssrc: 0x07e4,
                roc: 0,
                policy_no: 0,
            }])
            .unwrap();
        assert_eq!(
            device.process(&other).unwrap_err().error,
            Error::CsbMismatch
        );
    }
    // Without the preset a new CSB is refused, as RFC 3830 §6.1 has it.
    let plain = || {
        Arc::new(
            ConfigBuilder::new(Mode::Null)
                .key_transport(mikey::session::KeyTransport::TekConcatenated)
                .clock(clock.clone())
                .build()
                .unwrap(),
        )
    };
    let s = StreamSpec {
        ssrc: 7,
        roc: 0,
        policy_no: 0,
    };
    let mut device = Session::responder(plain());
    device
        .process(&Session::initiator(plain()).initiate(&[s]).unwrap())
        .unwrap();
    let again = Session::initiator(plain()).initiate(&[s]).unwrap();
    assert_eq!(
        device.process(&again).unwrap_err().error,
        Error::CsbMismatch
    );
}
