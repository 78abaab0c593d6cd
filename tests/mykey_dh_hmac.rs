//! DH-HMAC (RFC 4650) against an independent implementation: the `mykey` crate (2.3.1,
//! `DhHmacInitiator` / `DhHmacResponder`), in OAKLEY 5, 1 and 2, both ways round.
//!
//! The exchange does not pass as is, in either direction. What each test pins down, with
//! the RFC text that decides:
//!
//! 1. **auth_key length.** mykey MACs with a 256-bit auth_key: the first 32 bytes of
//!    PRF(PSK, 0x2D22AC75 || 0xFF || CSB ID || RAND) (label and PRF as RFC 3830 §4.1.4 and
//!    §4.1.2). RFC 3830 §4.2.4: "the authentication key size SHOULD be equal to the size of
//!    the hash function's output (e.g., for HMAC-SHA-1, a 160-bit authentication key is
//!    used)". HMAC pads a 20-byte and a 32-byte key differently, so the MAC differs in
//!    every message and each side refuses the other's (ours: `AuthFailed`; mykey:
//!    `InvalidMac`).
//! 2. **IDr missing from the I_MESSAGE.** RFC 4650 §3: "The initiator SHALL always include
//!    the recipient's identity." mykey sends HDR, T, RAND, DHi, KEMAC.
//! 3. **R_MESSAGE layout.** RFC 4650 §3 (Figure 1): R_message = HDR, T, [IDr], IDi, DHr,
//!    DHi, KEMAC, and "The responder SHALL always include the initiator's identity IDi".
//!    mykey sends HDR, T, RAND, DHr, KEMAC: no IDi, no DHi, and a RAND Figure 1 does not
//!    have. Its HDR also has #CS = 0 (an empty CS ID map).
//! 4. **CS ID 0.** mykey derives the SRTP master key and salt with cs_id = 0 in the RFC 3830
//!    §4.1.3 label; the crypto session of the first SRTP-ID map entry has CS ID 1 (RFC 3830
//!    §6.1.1: "The stream using SSRC_i will also have Crypto Session ID equal to no i").
//!
//! Everything else agrees: the codepoints (data types 7/8, Encr alg NULL = 0, MAC alg
//! HMAC-SHA-1-160 = 1 as RFC 3830 Table 6.2.a/b and IANA, not RFC 4650 Table 4.2.a), the
//! MAC coverage (the whole message but the MAC field, RFC 4650 §3, §4.2), the auth_key label,
//! the MIKEY-1 PRF (HMAC-SHA-1 P-function, RFC 3830 §4.1.2), DH values of exactly the
//! group's length with leading zeros kept (RFC 3830 §6.4), the echoed T, and the TGK
//! g^(xi*xr) (RFC 4650 §3). When the test undoes deviations 1-3 on the wire (and only
//! those: the bytes it changes are listed at each step), both sides accept each other's
//! messages and derive the same TGK; the SRTP keys then differ by deviation 4 alone.
//!
//! Nothing here uses the network or the wall clock: both sides get the same fixed time, and
//! our sessions draw from a fixed pattern so that the test can recompute our DH secret.

use mikey::crypto::dh::{DhSecret, FfdhGroup};
use mikey::crypto::prf::Prf;
use mikey::exchange::{Error, Identity};
use mikey::rng::{Rng, RngError};
use mikey::session::{Config, ConfigBuilder, Event, Mode, Session, State, StreamSpec};
use mikey::time::ManualClock;
use mikey::wire::{CsIdMap, DataType, Id, IdType, Message, MessageBuilder, Payload};
use mykey::MikeyError;
use mykey::message::{DhHmacInitiator, DhHmacResponder, MikeyMessage};
use mykey::modp::ModpKeyPair;
use mykey::payload::{DhGroup, Timestamp};
use mykey::srtp::{SrtpCryptoSuite, SrtpKeyMaterial};
use std::borrow::Cow;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

const PSK: &[u8] = b"a DH-HMAC pre-shared key, 32 b.";
const ALICE: &str = "sip:alice@example.com";
const BOB: &str = "sip:bob@example.com";
/// The CSB ID and SSRC mykey's Initiator uses.
const MYKEY_CSB: u32 = 0x1234_5678;
const SSRC: u32 = 0xB1;
/// The seed of the pattern our sessions draw from.
const SEED: u64 = 0x4D49_4B45_5920_4448;
const SUITE: SrtpCryptoSuite = SrtpCryptoSuite::AES_128_CM_SHA1_80;

/// The three OAKLEY groups, in our type and mykey's (RFC 3830 Table 6.4 codepoint).
const GROUPS: [(FfdhGroup, DhGroup); 3] = [
    (FfdhGroup::Oakley5, DhGroup::Oakley5),
    (FfdhGroup::Oakley1, DhGroup::Oakley1),
    (FfdhGroup::Oakley2, DhGroup::Oakley2),
];

/// The time both sides use (2027-01-15): T is NTP-UTC of it.
fn t0() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000)
}

fn t0_ntp() -> [u8; 8] {
    mikey::time::ntp_from_system_time(t0()).to_be_bytes()
}

/// A random source that gives the same bytes for every request of the same length, so
/// that `DhSecret::generate(group, &Pattern(SEED))` here draws the exponent a session with
/// this source drew (checked each time against the public value it sent).
#[derive(Debug)]
struct Pattern(u64);

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng for Pattern {
    fn fill(&self, out: &mut [u8]) -> Result<(), RngError> {
        for (i, chunk) in out.chunks_mut(8).enumerate() {
            let word = splitmix(self.0 ^ (i as u64).wrapping_mul(0x1000_0001)).to_be_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
        Ok(())
    }
}

fn uri(s: &str) -> Identity {
    Identity {
        id_type: IdType::Uri,
        data: s.as_bytes().to_vec(),
    }
}

fn config(me: &str, peer: &str, group: FfdhGroup) -> Arc<Config> {
    let clock = Arc::new(ManualClock::new(mikey::time::ntp_from_system_time(t0())));
    Arc::new(
        ConfigBuilder::new(Mode::DhHmac)
            .psk(PSK)
            .local_identity(uri(me))
            .peer_identity(uri(peer))
            .dh_group(group)
            .clock(clock)
            .rng(Arc::new(Pattern(SEED)))
            .build()
            .unwrap(),
    )
}

const STREAMS: [StreamSpec; 1] = [StreamSpec {
    ssrc: SSRC,
    roc: 0,
    policy_no: 0,
}];

fn hmac_sha1(key: &[u8], data: &[u8]) -> Vec<u8> {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, key);
    ring::hmac::sign(&key, data).as_ref().to_vec()
}

/// PRF(PSK, 0x2D22AC75 || 0xFF || CSB ID || RAND), `len` bytes (RFC 3830 §4.1.4, MIKEY-1
/// PRF of §4.1.2).
fn psk_auth_key(csb_id: u32, rand: &[u8], len: usize) -> Vec<u8> {
    let mut label = vec![0x2D, 0x22, 0xAC, 0x75, 0xFF];
    label.extend_from_slice(&csb_id.to_be_bytes());
    label.extend_from_slice(rand);
    Prf::Mikey1.derive(PSK, &label, len).unwrap().to_vec()
}

/// The auth_key of RFC 3830 §4.1.4 at the 160 bits §4.2.4 gives HMAC-SHA-1.
fn rfc_auth_key(csb_id: u32, rand: &[u8]) -> Vec<u8> {
    psk_auth_key(csb_id, rand, 20)
}

/// The auth_key mykey uses: the same PRF output, 256 bits long.
fn mykey_auth_key(csb_id: u32, rand: &[u8]) -> Vec<u8> {
    psk_auth_key(csb_id, rand, 32)
}

/// The HMAC-SHA-1 of a DH-HMAC message under `key`: over the whole message but its last
/// 20 bytes, the MAC field of the final KEMAC (RFC 4650 §3, §4.2).
fn mac_over(message: &[u8], key: &[u8]) -> Vec<u8> {
    hmac_sha1(key, &message[..message.len() - 20])
}

/// `message` with its MAC field made again under `key`: only the last 20 bytes change.
fn with_mac(message: &[u8], key: &[u8]) -> Vec<u8> {
    let mut out = message.to_vec();
    let n = out.len();
    out[n - 20..].copy_from_slice(&mac_over(message, key));
    out
}

/// The SRTP master key and salt of crypto session `cs_id` from `tgk` (RFC 3830 §4.1.3:
/// label constant || cs_id || csb_id || RAND; TEK 0x2AD01C64, salting key 0x39A2C14B;
/// 128-bit key and 112-bit salt for AES_CM_128_HMAC_SHA1_80).
fn srtp_keys(tgk: &[u8], cs_id: u8, csb_id: u32, rand: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let label = |constant: u32| {
        let mut l = constant.to_be_bytes().to_vec();
        l.push(cs_id);
        l.extend_from_slice(&csb_id.to_be_bytes());
        l.extend_from_slice(rand);
        l
    };
    let key = Prf::Mikey1.derive(tgk, &label(0x2AD0_1C64), 16).unwrap();
    let salt = Prf::Mikey1.derive(tgk, &label(0x39A2_C14B), 14).unwrap();
    (key.to_vec(), salt.to_vec())
}

fn mykey_keys(k: &SrtpKeyMaterial) -> (Vec<u8>, Vec<u8>) {
    (k.master_key.clone(), k.master_salt.clone())
}

fn our_keys(s: &Session) -> (Vec<u8>, Vec<u8>) {
    let cs = s.crypto_sessions();
    assert_eq!(cs.len(), 1);
    assert_eq!(
        cs[0].cs_id, 1,
        "RFC 3830 §6.1.1: the first map entry is CS ID 1"
    );
    let key = &cs[0].keys[0];
    (key.master_key().to_vec(), key.master_salt().to_vec())
}

fn kinds(bytes: &[u8]) -> Vec<&'static str> {
    Message::parse(bytes)
        .unwrap()
        .payloads
        .iter()
        .map(|p| match p {
            Payload::Timestamp(_) => "T",
            Payload::Rand(_) => "RAND",
            Payload::Id(_) => "ID",
            Payload::SecurityPolicy(_) => "SP",
            Payload::Dh(_) => "DH",
            Payload::Kemac(_) => "KEMAC",
            _ => "other",
        })
        .collect()
}

fn rand_of(bytes: &[u8]) -> Vec<u8> {
    Message::parse(bytes).unwrap().rand().unwrap().rand.to_vec()
}

/// The DH values of a message, in order.
fn dh_values(bytes: &[u8]) -> Vec<Vec<u8>> {
    Message::parse(bytes)
        .unwrap()
        .payloads
        .iter()
        .filter_map(|p| match p {
            Payload::Dh(dh) => Some(dh.value.to_vec()),
            _ => None,
        })
        .collect()
}

/// The bytes of a mykey DH-HMAC message, field by field (RFC 3830 §6.1 HDR, §6.6 T,
/// §6.11 RAND, §6.4 DH, §6.2 KEMAC), with the values only the message can tell (RAND, DH
/// value, MAC) passed in.
#[allow(clippy::too_many_arguments)]
fn mykey_layout(
    data_type: u8,
    csb_id: u32,
    map: Option<u32>,
    rand: &[u8],
    group: FfdhGroup,
    dh_value: &[u8],
    mac: &[u8],
) -> Vec<u8> {
    // HDR: version 1, data type, Next payload T (5), V = 0 and PRF MIKEY-1 (0), CSB ID,
    // #CS, CS ID map type SRTP-ID (0), then Policy_no, SSRC, ROC per crypto session.
    let mut m = vec![1, data_type, 5, 0];
    m.extend_from_slice(&csb_id.to_be_bytes());
    match map {
        Some(ssrc) => {
            m.extend_from_slice(&[1, 0, 0]);
            m.extend_from_slice(&ssrc.to_be_bytes());
            m.extend_from_slice(&[0; 4]);
        }
        None => m.extend_from_slice(&[0, 0]),
    }
    // T: Next RAND (11), NTP-UTC (0), 64-bit value.
    m.extend_from_slice(&[11, 0]);
    m.extend_from_slice(&t0_ntp());
    // RAND: Next DH (3), length, RAND.
    m.extend_from_slice(&[3, rand.len() as u8]);
    m.extend_from_slice(rand);
    // DH: Next KEMAC (1), DH-Group, value of exactly the group's length, KV Null (0).
    m.extend_from_slice(&[1, group.codepoint()]);
    assert_eq!(dh_value.len(), group.value_len());
    m.extend_from_slice(dh_value);
    m.push(0);
    // KEMAC: Next Last (0), Encr alg NULL (0), Encr data len 0, MAC alg HMAC-SHA-1-160
    // (1), the 160-bit MAC.
    m.extend_from_slice(&[0, 0, 0, 0, 1]);
    m.extend_from_slice(mac);
    m
}

#[test]
fn mykey_initiator_against_our_responder() {
    for (group, mgroup) in GROUPS {
        let initiator = DhHmacInitiator::new(MYKEY_CSB, SSRC, mgroup, PSK)
            .unwrap()
            .with_timestamp(Timestamp::Ntp(t0()));
        let init = initiator.init_message().unwrap().to_bytes().to_vec();
        let rand = rand_of(&init);
        let dhi = dh_values(&init).remove(0);
        let mac = init[init.len() - 20..].to_vec();

        // Byte by byte: data type 7 (RFC 4650 Table 4.1.a), the map, T, RAND, DHi of the
        // group's length, KEMAC with Encr alg 0, no Encr data, MAC alg 1 (RFC 3830 Table
        // 6.2.a/b, IANA) and last.
        assert_eq!(
            init,
            mykey_layout(7, MYKEY_CSB, Some(SSRC), &rand, group, &dhi, &mac),
            "{group:?}"
        );
        assert_eq!(rand.len(), 16);
        // Deviation 2, RFC 4650 §3: "The initiator SHALL always include the recipient's
        // identity" (I_message = HDR, T, RAND, [IDi], IDr, {SP}, DHi, KEMAC).
        assert_eq!(kinds(&init), ["T", "RAND", "DH", "KEMAC"]);

        // Deviation 1: the MAC is over the right bytes (everything but the MAC field) with
        // the right PRF and label, but under a 256-bit auth_key; RFC 3830 §4.2.4 gives
        // HMAC-SHA-1 a 160-bit one. The two keys share their first 160 bits (the PRF
        // output is a prefix), which is all that differs: the key length.
        let (k20, k32) = (
            rfc_auth_key(MYKEY_CSB, &rand),
            mykey_auth_key(MYKEY_CSB, &rand),
        );
        assert_eq!(k32[..20], k20[..]);
        assert_eq!(mac, mac_over(&init, &k32), "{group:?}");
        assert_ne!(mac, mac_over(&init, &k20), "{group:?}");

        // So our Responder refuses the message as mykey sends it.
        let mut responder = Session::responder(config(BOB, ALICE, group));
        let f = responder.process(&init).unwrap_err();
        assert_eq!(f.error, Error::AuthFailed, "{group:?}");
        assert_eq!(responder.state(), State::Idle);

        // With the MAC made under the 160-bit auth_key (the last 20 bytes changed, nothing
        // else), our Responder accepts it: without IDr it answers as its configured
        // identity.
        let repaired = with_mac(&init, &k20);
        assert_eq!(repaired[..init.len() - 20], init[..init.len() - 20]);
        let done = responder.process(&repaired).unwrap();
        assert_eq!(done.event, Event::KeysEstablished { update: false });
        let answer = done.reply.unwrap();
        assert_eq!(kinds(&answer), ["T", "ID", "ID", "DH", "DH", "KEMAC"]);
        let dhr = dh_values(&answer).remove(0);
        assert_eq!(dh_values(&answer)[1], dhi);

        // mykey reads our R_MESSAGE (T, IDr, IDi, DHr, DHi, KEMAC) but refuses its MAC,
        // which is under the 160-bit auth_key (deviation 1 again; `complete` runs this
        // check first).
        let parsed = MikeyMessage::from_bytes(&answer).unwrap();
        assert_eq!(parsed.dh_public(), Some(&dhr[..]), "mykey takes DHr");
        assert!(matches!(
            parsed.verify_dhhmac(PSK, &rand),
            Err(MikeyError::InvalidMac)
        ));

        // With the MAC of our answer made under mykey's 256-bit key, mykey completes.
        let theirs = initiator
            .complete(
                &MikeyMessage::from_bytes(&with_mac(&answer, &k32)).unwrap(),
                SUITE,
            )
            .unwrap();

        // The TGK: our Responder's x_r is the one Pattern(SEED) gives (its g^x_r is the
        // DHr it sent); TGK = DHi^x_r = g^(xi*xr), the group's length (RFC 4650 §3).
        let xr = DhSecret::generate(group, &Pattern(SEED)).unwrap();
        assert_eq!(xr.public(), &dhr[..]);
        let tgk = xr.agree(&dhi).unwrap();
        assert_eq!(tgk.len(), group.value_len());

        // Ours: CS ID 1 (RFC 3830 §6.1.1, §4.1.3). mykey's are the same TGK's with CS ID
        // 0 (deviation 4), hence different keys.
        let ours = our_keys(&responder);
        assert_eq!(ours, srtp_keys(&tgk, 1, MYKEY_CSB, &rand), "{group:?}");
        assert_eq!(
            mykey_keys(&theirs),
            srtp_keys(&tgk, 0, MYKEY_CSB, &rand),
            "{group:?}"
        );
        assert_ne!(mykey_keys(&theirs), ours);
    }
}

#[test]
fn our_initiator_against_mykey_responder() {
    for (group, mgroup) in GROUPS {
        let mut initiator = Session::initiator(config(ALICE, BOB, group));
        let init = initiator.initiate(&STREAMS).unwrap();
        let csb_id = Message::parse(&init).unwrap().header.csb_id;
        let rand = rand_of(&init);
        let dhi = dh_values(&init).remove(0);
        let (k20, k32) = (rfc_auth_key(csb_id, &rand), mykey_auth_key(csb_id, &rand));
        assert_eq!(kinds(&init), ["T", "RAND", "ID", "ID", "SP", "DH", "KEMAC"]);
        assert_eq!(init[init.len() - 20..], mac_over(&init, &k20)[..]);

        // mykey parses our I_MESSAGE and finds the group, DHi and RAND behind the IDs
        // and the SP...
        let parsed = MikeyMessage::from_bytes(&init).unwrap();
        assert_eq!(parsed.dh_group(), Some(mgroup));
        assert_eq!(parsed.dh_public(), Some(&dhi[..]));
        assert_eq!(parsed.rand_bytes(), Some(&rand[..]));
        // ...but refuses its MAC, made under the 160-bit auth_key of RFC 3830 §4.2.4
        // (deviation 1).
        let responder = DhHmacResponder::for_offer(&parsed, PSK).unwrap();
        assert!(matches!(
            responder.resp_message(&parsed),
            Err(MikeyError::InvalidMac)
        ));

        // With our MAC made under mykey's 256-bit key (the last 20 bytes), mykey answers.
        let accepted = MikeyMessage::from_bytes(&with_mac(&init, &k32)).unwrap();
        let answer = responder
            .resp_message(&accepted)
            .unwrap()
            .to_bytes()
            .to_vec();
        let dhr = dh_values(&answer).remove(0);
        let mac = answer[answer.len() - 20..].to_vec();
        // Byte by byte: data type 8, our CSB ID, #CS = 0 (no CS ID map), our T echoed,
        // our RAND, DHr of the group's length, the KEMAC as in the I_MESSAGE.
        assert_eq!(
            answer,
            mykey_layout(8, csb_id, None, &rand, group, &dhr, &mac),
            "{group:?}"
        );
        // Deviation 3, RFC 4650 §3: R_message = HDR, T, [IDr], IDi, DHr, DHi, KEMAC and
        // "The responder SHALL always include the initiator's identity IDi". mykey sends
        // no IDi and no DHi, and a RAND Figure 1 does not have.
        assert_eq!(kinds(&answer), ["T", "RAND", "DH", "KEMAC"]);
        // Deviation 1: the MAC is under the 256-bit key.
        assert_eq!(mac, mac_over(&answer, &k32));
        assert_ne!(mac, mac_over(&answer, &k20));

        // Our Initiator refuses the answer as mykey sends it (deviation 1), then, with the
        // MAC under the 160-bit key, for its layout (deviation 3); it waits on unchanged.
        let f = initiator.process(&answer).unwrap_err();
        assert_eq!(f.error, Error::AuthFailed, "{group:?}");
        let f = initiator.process(&with_mac(&answer, &k20)).unwrap_err();
        assert!(
            matches!(f.error, Error::MissingPayload(p) if p.contains("IDi")),
            "{:?}",
            f.error
        );
        assert_eq!(initiator.state(), State::AwaitingKeys);

        // The answer with IDi before DHr and DHi after it, where Figure 1 has them, and the
        // MAC under the 160-bit key: our Initiator takes it. Every other byte is mykey's.
        let m = Message::parse(&answer).unwrap();
        assert!(matches!(&m.header.cs_map, CsIdMap::SrtpId(map) if map.entries().count() == 0));
        let mut b = MessageBuilder::new(DataType::DhHmacResp, csb_id).prf(m.header.prf);
        let dhi_payload = Message::parse(&init)
            .unwrap()
            .payloads
            .into_iter()
            .find(|p| matches!(p, Payload::Dh(_)))
            .unwrap();
        for p in &m.payloads {
            if let Payload::Dh(_) = p {
                b = b
                    .payload(Payload::Id(Id {
                        id_type: IdType::Uri,
                        data: Cow::Borrowed(ALICE.as_bytes()),
                    }))
                    .payload(p.clone())
                    .payload(dhi_payload.clone());
            } else {
                b = b.payload(p.clone());
            }
        }
        let mapless = with_mac(&b.build().unwrap().encode().unwrap(), &k20);
        assert_eq!(kinds(&mapless), ["T", "RAND", "ID", "DH", "DH", "KEMAC"]);
        // Its empty CS ID map (#CS = 0) would drop the Initiator's crypto session: refused
        // (RFC 3830 §6.1.1: the SSRC of entry i "MUST be used for the i-th SRTP stream").
        assert!(matches!(
            initiator.process(&mapless).unwrap_err().error,
            Error::BadAnswer(_)
        ));
        // With the I_MESSAGE's map it is taken.
        let mut b = MessageBuilder::new(DataType::DhHmacResp, csb_id).prf(m.header.prf);
        if let CsIdMap::SrtpId(map) = &Message::parse(&init).unwrap().header.cs_map {
            for e in map.entries() {
                b = b.srtp_crypto_session(e.policy_no, e.ssrc, e.roc);
            }
        }
        for p in Message::parse(&mapless).unwrap().payloads {
            b = b.payload(p);
        }
        let completed = with_mac(&b.build().unwrap().encode().unwrap(), &k20);
        assert_eq!(
            initiator.process(&completed).unwrap().event,
            Event::KeysEstablished { update: false }
        );

        // mykey's Responder derives its keys from the I_MESSAGE it accepted.
        let theirs = responder.complete(&accepted, SUITE).unwrap();

        // The TGK: our x_i is the one Pattern(SEED) gives (g^x_i is the DHi we sent).
        let xi = DhSecret::generate(group, &Pattern(SEED)).unwrap();
        assert_eq!(xi.public(), &dhi[..]);
        let tgk = xi.agree(&dhr).unwrap();
        let ours = our_keys(&initiator);
        assert_eq!(ours, srtp_keys(&tgk, 1, csb_id, &rand), "{group:?}");
        // Deviation 4: the same TGK, CS ID 0.
        assert_eq!(
            mykey_keys(&theirs),
            srtp_keys(&tgk, 0, csb_id, &rand),
            "{group:?}"
        );
        assert_ne!(mykey_keys(&theirs), ours);
    }
}

/// RFC 3830 §4.1.2 computed here from its text for one inkey block and one output block:
/// P(s, label, 1) = HMAC(s, A_1 || label) with A_1 = HMAC(s, label), HMAC-SHA-1.
fn p1(s: &[u8], label: &[u8]) -> Vec<u8> {
    let a1 = hmac_sha1(s, label);
    hmac_sha1(s, &[&a1[..], label].concat())
}

#[test]
fn mykey_uses_the_mikey_1_prf_and_the_rfc_labels() {
    let label = b"\x2D\x22\xAC\x75\xFF\x12\x34\x56\x78 and a RAND of some length";
    let inkey: Vec<u8> = (0..200u8).map(|i| i.wrapping_mul(29) ^ 0x5C).collect();
    // One 256-bit inkey block: P itself; two: the XOR of the P of each (RFC 3830 §4.1.2).
    assert_eq!(
        mykey::crypto::mikey_prf(&inkey[..32], label, 20).unwrap(),
        p1(&inkey[..32], label)
    );
    let xor: Vec<u8> = p1(&inkey[..32], label)
        .iter()
        .zip(p1(&inkey[32..50], label))
        .map(|(a, b)| a ^ b)
        .collect();
    assert_eq!(
        mykey::crypto::mikey_prf(&inkey[..50], label, 20).unwrap(),
        xor
    );
    // mykey's PRF and ours agree for inkeys of 1 to 200 bytes (TGKs of every OAKLEY group
    // among them) and every output length used here; PRF-HMAC-SHA-256 (RFC 6043 §6.1) is
    // another function.
    for inkey_len in [1, 16, 20, 31, 32, 33, 64, 96, 128, 192, 200] {
        for out_len in [1, 14, 16, 20, 21, 32, 40, 64] {
            let theirs = mykey::crypto::mikey_prf(&inkey[..inkey_len], label, out_len).unwrap();
            let ours = Prf::Mikey1
                .derive(&inkey[..inkey_len], label, out_len)
                .unwrap();
            assert_eq!(theirs, ours.to_vec(), "inkey {inkey_len}, out {out_len}");
            let sha256 = Prf::HmacSha256
                .derive(&inkey[..inkey_len], label, out_len)
                .unwrap();
            assert_ne!(theirs, sha256.to_vec());
        }
    }
    // The labels: §4.1.4 for the auth_key (at the 160 bits asked for), §4.1.3 for the SRTP
    // keys (for the CS ID asked for).
    let rand = [0xA5; 16];
    assert_eq!(
        mykey::crypto::derive_auth_key(PSK, MYKEY_CSB, &rand, 20).unwrap(),
        rfc_auth_key(MYKEY_CSB, &rand)
    );
    let tgk = &inkey[..192];
    let keys = mykey::srtp::derive_srtp_keys(tgk, &rand, 1, MYKEY_CSB, SUITE).unwrap();
    assert_eq!(mykey_keys(&keys), srtp_keys(tgk, 1, MYKEY_CSB, &rand));
}

#[test]
fn dh_values_keep_their_leading_zeros_both_ways() {
    // Seeds for which our public value g^x begins with a zero byte (found by trying).
    for ((group, mgroup), seed) in GROUPS.into_iter().zip([69, 495, 4]) {
        let ours = DhSecret::generate(group, &Pattern(seed)).unwrap();
        assert_eq!(
            ours.public()[0],
            0,
            "{group:?}: the seed no longer gives a leading zero"
        );
        assert_eq!(ours.public().len(), group.value_len());
        // mykey takes the value at the group's length (RFC 3830 §6.4) and agrees with us on
        // g^(xy), also at the group's length.
        let theirs = ModpKeyPair::generate(mgroup).unwrap();
        let their_public = theirs.public_bytes();
        assert_eq!(their_public.len(), group.value_len());
        let shared = theirs.diffie_hellman(ours.public()).unwrap();
        assert_eq!(shared.len(), group.value_len());
        assert_eq!(
            shared,
            ours.agree(&their_public).unwrap().to_vec(),
            "{group:?}"
        );
        // On the wire, in a message mykey writes with that value: the leading zero stays.
        let rand = [0x3C; 16];
        let message =
            MikeyMessage::new_dhhmac_init(MYKEY_CSB, SSRC, &rand, mgroup, ours.public(), PSK, None)
                .unwrap();
        assert_eq!(dh_values(message.to_bytes()), [ours.public().to_vec()]);
        // A value one byte short is refused by both.
        let short = &ours.public()[1..];
        assert!(
            MikeyMessage::new_dhhmac_init(MYKEY_CSB, SSRC, &rand, mgroup, short, PSK, None)
                .is_err()
        );
        assert!(ours.agree(short).is_err());
    }
}

#[test]
fn both_read_mac_alg_0_as_null_as_rfc_3830_does() {
    // RFC 4650 Table 4.2.a numbers HMAC-SHA-1 0 and NULL 1, the reverse of RFC 3830 Table
    // 6.2.b and IANA. A message whose MAC alg byte is 0 is read by mykey, as by us, as the
    // NULL MAC (no MAC field), and refused rather than taken as unauthenticated.
    let initiator = DhHmacInitiator::new(MYKEY_CSB, SSRC, DhGroup::Oakley5, PSK)
        .unwrap()
        .with_timestamp(Timestamp::Ntp(t0()));
    let init = initiator.init_message().unwrap().to_bytes().to_vec();
    let at = init.len() - 21;
    assert_eq!(init[at], 1);
    let mut swapped = init.clone();
    swapped[at] = 0;
    let null = &swapped[..at + 1];
    let parsed = MikeyMessage::from_bytes(null).unwrap();
    assert_eq!(
        parsed.kemac().unwrap().mac_alg,
        mykey::payload::MacAlg::Null
    );
    assert!(parsed.kemac().unwrap().mac.is_empty());
    let rand = rand_of(&init);
    assert!(matches!(
        parsed.verify_dhhmac(PSK, &rand),
        Err(MikeyError::InvalidMac)
    ));
    let f = Session::responder(config(BOB, ALICE, FfdhGroup::Oakley5))
        .process(null)
        .unwrap_err();
    assert_eq!(f.error, Error::UnsupportedMac);
}
