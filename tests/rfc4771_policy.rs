//! RFC 4771's SRTP policy parameters (types 13-19) in PSK exchanges through the session
//! API: an offer the library cannot honour (an RCC integrity transform) is refused with an
//! authenticated Error no. 10 listing the policies the Responder supports (RFC 3830
//! §5.1.1), never ignored; an offer stating the separate SRTP and SRTCP values of a profile
//! is keyed as that profile.
//!
//! A Responder config cannot offer RCC (its offer must be a profile), so the refused
//! offers are the Initiator's I_MESSAGE with its SP payload rewritten and its MAC computed
//! again with the PSK (RFC 3830 §4.1.4 auth_key, §5.2 MAC coverage).

use mikey::crypto::mac::MacAlgorithm;
use mikey::crypto::prf::{Label, Prf, transport_constant};
use mikey::exchange::Error;
use mikey::policy::{SrtpPolicy, SrtpProfile};
use mikey::session::{Config, ConfigBuilder, Event, Mode, Session, State, StreamSpec};
use mikey::time::ManualClock;
use mikey::wire::{
    DataType, ErrorNo, Message, Payload, ProtType, SecurityPolicy, SrtpAuthAlg, SrtpParam,
};
use std::sync::Arc;

const NOW: u64 = 0xEA04_E300_0000_0000;
const PSK: &[u8] = b"an RFC 4771 pre-shared key";

const STREAMS: [StreamSpec; 2] = [
    StreamSpec {
        ssrc: 0x4771_0001,
        roc: 0,
        policy_no: 0,
    },
    StreamSpec {
        ssrc: 0x4771_0002,
        roc: 3,
        policy_no: 0,
    },
];

fn config(clock: &Arc<ManualClock>, f: impl FnOnce(ConfigBuilder) -> ConfigBuilder) -> Arc<Config> {
    let b = ConfigBuilder::new(Mode::Psk).psk(PSK).clock(clock.clone());
    Arc::new(f(b).build().unwrap())
}

/// `init` (a PSK I_MESSAGE of MIKEY-1 and HMAC-SHA-1-160, with one SP payload) with the
/// SP's parameters replaced by `params` and the KEMAC MAC computed again: HMAC-SHA-1 keyed
/// with the auth_key of the PSK, CSB ID and RAND (RFC 3830 §4.1.4), over everything up to
/// the MAC field, the message's last 20 bytes (§5.2).
fn with_sp_params(init: &[u8], params: &[(u8, &[u8])]) -> Vec<u8> {
    let mut m = Message::parse(init).unwrap().into_owned();
    let csb_id = m.header.csb_id;
    let rand = m.rand().unwrap().rand.to_vec();
    let mut replaced = 0;
    for p in &mut m.payloads {
        if let Payload::SecurityPolicy(sp) = p {
            *sp = SecurityPolicy::from_params(sp.policy_no, ProtType::Srtp, params).unwrap();
            replaced += 1;
        }
    }
    assert_eq!(replaced, 1);
    let mut bytes = m.encode().unwrap();
    let mut label = Label::transport(csb_id, &rand);
    let auth_key = Prf::Mikey1
        .derive(PSK, label.with(transport_constant::AUTH), 20)
        .unwrap();
    let mac_at = bytes.len() - 20;
    let mac = MacAlgorithm::HmacSha1_160
        .key(&auth_key)
        .sign(&[&bytes[..mac_at]]);
    bytes[mac_at..].copy_from_slice(&mac);
    bytes
}

/// The SP payloads of a message.
fn policies<'a>(m: &'a Message<'_>) -> Vec<&'a SecurityPolicy<'a>> {
    m.payloads
        .iter()
        .filter_map(|p| match p {
            Payload::SecurityPolicy(sp) => Some(sp),
            _ => None,
        })
        .collect()
}

const RCC: [SrtpAuthAlg; 3] = [SrtpAuthAlg::RccM1, SrtpAuthAlg::RccM2, SrtpAuthAlg::RccM3];

/// An offer with RCCm2 (RFC 4771 Table 1) for SRTP in type 14, with a ROC transmission
/// rate and a 10-byte SRTP tag (with RCC: the 4-byte ROC and 6 bytes of MAC, RFC 4771 §2
/// and §4): refused with an authenticated Error no. 10 carrying the policies the
/// Responder supports, the Responder unchanged; the Initiator reads it as the Responder's
/// refusal. The same offer with HMAC-SHA-1 in type 14 is AES_CM_128_HMAC_SHA1_80.
#[test]
fn an_rcc_offer_is_refused_with_error_10_and_the_supported_policies() {
    let clock = Arc::new(ManualClock::new(NOW));
    let accepted = vec![
        SrtpProfile::Aes128CmSha1_32,
        SrtpProfile::AeadAes256Gcm,
        SrtpProfile::Aes128CmSha1_80,
    ];
    let cr = config(&clock, |b| b.accept(accepted.clone()));
    let mut i = Session::initiator(config(&clock, |b| b));
    let init = i.initiate(&STREAMS).unwrap();
    let rccm2 = [SrtpAuthAlg::RccM2.value()];
    let offer = with_sp_params(
        &init,
        &[
            (SrtpParam::RocTransmissionRate.value(), &[0, 8]),
            (SrtpParam::SrtpAuthAlg.value(), &rccm2),
            (SrtpParam::SrtpAuthTagLen.value(), &[10]),
        ],
    );
    let mut r = Session::responder(cr.clone());
    let f = r.process(&offer).unwrap_err();
    assert_eq!(f.error, Error::UnsupportedPolicy);
    assert_eq!(r.state(), State::Idle);
    assert!(r.crypto_sessions().is_empty());
    let reply = f.reply.expect("an Error message");
    let m = Message::parse(&reply).unwrap();
    assert_eq!(m.header.data_type, DataType::Error);
    assert_eq!(m.error_nos(), [ErrorNo::InvalidSpPar]);
    // The supported policies, in the Responder's order, as its offers would write them.
    let listed = policies(&m);
    assert_eq!(listed.len(), accepted.len());
    for (n, (sp, profile)) in listed.iter().zip(&accepted).enumerate() {
        assert_eq!(**sp, profile.policy().to_sp(n as u8).unwrap());
        assert_eq!(
            SrtpPolicy::negotiate(sp, |_| true).map(|(_, p)| p),
            Ok(*profile)
        );
    }
    // The Error message is for the I_MESSAGE the Initiator sent (same CSB, RAND and T):
    // authenticated.
    assert_eq!(
        i.process(&reply).unwrap_err().error,
        Error::PeerError {
            errors: vec![ErrorNo::InvalidSpPar],
            authenticated: true
        }
    );

    // The same offer with HMAC-SHA-1 in type 14 is accepted: the refusal was RCC's, and
    // the rewritten message is authentic.
    let hmac = [SrtpAuthAlg::HmacSha1.value()];
    let offer = with_sp_params(
        &init,
        &[
            (SrtpParam::RocTransmissionRate.value(), &[0, 8]),
            (SrtpParam::SrtpAuthAlg.value(), &hmac),
            (SrtpParam::SrtpAuthTagLen.value(), &[10]),
        ],
    );
    let mut r = Session::responder(cr);
    let done = r.process(&offer).unwrap();
    assert_eq!(done.event, Event::KeysEstablished { update: false });
    let cs = &r.crypto_sessions()[0];
    assert_eq!(cs.profile, SrtpProfile::Aes128CmSha1_80);
    assert_eq!(cs.policy.roc_transmission_rate(), 8);
}

/// Every RCC transform, in type 2 (both directions), 14 (SRTP) or 15 (SRTCP, which RFC
/// 4771 §2 forbids), is refused the same way.
#[test]
fn every_rcc_transform_in_types_2_14_and_15_is_refused() {
    let clock = Arc::new(ManualClock::new(NOW));
    let init = Session::initiator(config(&clock, |b| b))
        .initiate(&STREAMS)
        .unwrap();
    for ty in [
        SrtpParam::AuthAlg,
        SrtpParam::SrtpAuthAlg,
        SrtpParam::SrtcpAuthAlg,
    ] {
        for rcc in RCC {
            let offer = with_sp_params(&init, &[(ty.value(), &[rcc.value()])]);
            let mut r = Session::responder(config(&clock, |b| b));
            let f = r.process(&offer).unwrap_err();
            assert_eq!(f.error, Error::UnsupportedPolicy, "{rcc:?} in {ty:?}");
            let reply = f.reply.unwrap();
            let m = Message::parse(&reply).unwrap();
            assert_eq!(m.error_nos(), [ErrorNo::InvalidSpPar]);
            assert_eq!(policies(&m).len(), SrtpProfile::DEFAULT_ACCEPTED.len());
            assert_eq!(r.state(), State::Idle);
        }
    }
}

/// An offer of type 14 = HMAC-SHA-1 with types 18 and 19 as AES_CM_128_HMAC_SHA1_80 has
/// them (RFC 4771 §4, written by `SrtpProfile::rfc4771_policy`): both sides key that
/// profile, the Responder's policy records the separate values, and the exchange ends
/// with the verification message.
#[test]
fn separate_srtp_and_srtcp_values_of_a_profile_are_keyed_as_it() {
    let clock = Arc::new(ManualClock::new(NOW));
    for profile in [SrtpProfile::Aes128CmSha1_80, SrtpProfile::Aes128CmSha1_32] {
        let offered = profile.rfc4771_policy();
        let mut i = Session::initiator(config(&clock, |b| b.offer(vec![offered])));
        let init = i.initiate(&STREAMS).unwrap();
        let m = Message::parse(&init).unwrap();
        let sp = policies(&m)[0];
        let value = |t: SrtpParam| sp.param(t.value()).map(|p| p.value.to_vec());
        assert_eq!(
            value(SrtpParam::SrtpAuthAlg),
            Some(vec![SrtpAuthAlg::HmacSha1.value()])
        );
        assert_eq!(
            value(SrtpParam::SrtpAuthTagLen),
            Some(vec![profile.tag_len() as u8])
        );
        assert_eq!(value(SrtpParam::SrtcpAuthTagLen), Some(vec![10]));
        // The RFC 3830 parameters are there too, for a peer that reads only those.
        assert_eq!(
            value(SrtpParam::AuthTagLen),
            Some(vec![profile.tag_len() as u8])
        );

        let mut r = Session::responder(config(&clock, |b| b.accept(vec![profile])));
        let done = r.process(&init).unwrap();
        assert_eq!(done.event, Event::KeysEstablished { update: false });
        assert_eq!(
            i.process(&done.reply.unwrap()).unwrap().event,
            Event::Verified
        );
        assert_eq!(i.crypto_sessions(), r.crypto_sessions());
        for cs in r.crypto_sessions() {
            assert_eq!(cs.profile, profile);
            assert_eq!(cs.policy, offered);
            assert_eq!(cs.policy.srtcp_auth().tag_len, Some(10));
            assert_eq!(cs.keys[0].key_salt().len(), 30);
        }
    }
}

/// Without RFC 4771 types the offer is what it was (peers that predate RFC 4771 read it),
/// and an SRTCP tag of 32 bits, which no profile uses, is refused even when the SRTP tag
/// is the _32 profile's.
#[test]
fn an_srtcp_tag_no_profile_uses_is_refused() {
    let clock = Arc::new(ManualClock::new(NOW));
    let mut i = Session::initiator(config(&clock, |b| {
        b.offer(vec![SrtpProfile::Aes128CmSha1_32.policy()])
    }));
    let init = i.initiate(&STREAMS).unwrap();
    let m = Message::parse(&init).unwrap();
    let sp = policies(&m)[0];
    assert!((13..=19).all(|t| sp.param(t).is_none()));
    let hmac = [SrtpAuthAlg::HmacSha1.value()];
    for (srtcp_tag, accepted) in [(4u8, false), (10, true)] {
        let offer = with_sp_params(
            &init,
            &[
                (SrtpParam::SrtpAuthAlg.value(), &hmac),
                (SrtpParam::SrtpAuthTagLen.value(), &[4]),
                (SrtpParam::SrtcpAuthTagLen.value(), &[srtcp_tag]),
            ],
        );
        let mut r = Session::responder(config(&clock, |b| b));
        match r.process(&offer) {
            Ok(done) => {
                assert!(accepted);
                assert_eq!(done.event, Event::KeysEstablished { update: false });
                assert_eq!(r.crypto_sessions()[0].profile, SrtpProfile::Aes128CmSha1_32);
            }
            Err(f) => {
                assert!(!accepted);
                assert_eq!(f.error, Error::UnsupportedPolicy);
                let reply = f.reply.unwrap();
                let m = Message::parse(&reply).unwrap();
                assert_eq!(m.error_nos(), [ErrorNo::InvalidSpPar]);
            }
        }
    }
}
