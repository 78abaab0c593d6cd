//! Every truncation and every single-bit flip of a MIKEY-PK I_MESSAGE and verification
//! message (RFC 3830 §3.2) and of a MIKEY-RSA-R I_MESSAGE and R_MESSAGE (RFC 4738 §3.4,
//! §3.6) is refused with the error the flipped field calls for, the session that reads it
//! (a Responder, or the Initiator awaiting the answer) and its replay cache unchanged, and
//! the Responder's Error message, when it sends one, names that error's Error no. without a
//! V payload (nothing was authenticated). None is ever accepted: SIGNi and SIGNr cover
//! every byte but the Signature field (RFC 3830 §5.2, RFC 4738 §3.6), and the verification
//! message's MAC every byte but its own (§5.2).
//!
//! Every bit of every byte is flipped except in the middle of the RSA outputs: of a PKE's
//! Data and a Signature field (256 bytes each with the 2048-bit test keys), every bit of the
//! first and last 16 bytes and of every 16th byte between (368 of 2048 bits). A flip there
//! can only fail the signature (the Signature itself, or the PKE it covers), and each costs
//! an RSA verification: all 2048 bits would take the four loops from 2 s to 3.6 s in a
//! debug build on the 2-core test machine. Every bit of the certificates (CERTi, CERTr) is
//! flipped: those reach the DER and X.509 parsing.
//!
//! Everything is deterministic but the PKE data and signatures of the messages (aws-lc
//! draws their padding and salts): the configs of `fuzz/session_check.rs`, with the fixed
//! test PKI of tests/data/pk.

include!("../fuzz/session_check.rs");

use mikey::exchange::Error;
use mikey::session::{Mode, Session, State};
use mikey::time::TimestampError;
use mikey::wire::{
    CertType, DataType, EncrAlg, ErrorNo, Layout, Message, Payload, PrfFunc, SignatureType, TsType,
};
use session_check::{Snapshot, initiate, initiator_builder, responder_config};
use std::collections::BTreeMap;
use std::sync::Arc;

/// What a byte (or bit) of a message is, by RFC 3830 §6 layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Field {
    // Common Header (§6.1).
    Version,
    DataType,
    NextPayload,
    /// Byte 3 bit 7.
    VFlag,
    /// Byte 3 bits 0..6.
    Prf,
    CsbId,
    CsCount,
    CsMapType,
    MapEntry,
    // T (§6.6).
    TsType,
    /// Byte `n` of the 8-byte TS value (big-endian).
    TsValue(usize),
    // RAND (§6.11).
    RandLen,
    RandData,
    // CERT (§6.7).
    CertType,
    CertLen,
    CertData,
    // ID (§6.7).
    IdType,
    IdLen,
    IdData,
    // SP (§6.10).
    SpPolicyNo,
    SpProtType,
    SpParamsLen,
    SpParamType,
    SpParamLen,
    SpParamValue,
    // KEMAC (§6.2).
    EncrAlg,
    EncrDataLen,
    EncrData,
    MacAlg,
    Mac,
    // PKE (§6.4): C (2 bits), Data len (14 bits), Data.
    PkeCache,
    PkeLen,
    PkeData,
    // SIGN (§6.5): S type (4 bits), Signature len (12 bits), Signature.
    SignType,
    SignLen,
    Signature,
    // V (§6.9).
    AuthAlg,
    VerData,
}

/// The field of `byte` (bit `bit`) in a message parsed with `layout`.
fn field_at(m: &Message<'_>, layout: &Layout, byte: usize, bit: usize) -> Field {
    if layout.header.contains(&byte) {
        return match byte {
            0 => Field::Version,
            1 => Field::DataType,
            2 => Field::NextPayload,
            3 if bit == 7 => Field::VFlag,
            3 => Field::Prf,
            4..=7 => Field::CsbId,
            8 => Field::CsCount,
            9 => Field::CsMapType,
            _ => Field::MapEntry,
        };
    }
    let i = layout
        .payloads
        .iter()
        .position(|r| r.contains(&byte))
        .expect("byte inside a payload");
    let at = byte - layout.payloads[i].start;
    if let Payload::Sign(_) = &m.payloads[i] {
        // No Next payload field: SIGN is always last.
        return match at {
            0 if bit >= 4 => Field::SignType,
            0 | 1 => Field::SignLen,
            _ => Field::Signature,
        };
    }
    if at == 0 {
        return Field::NextPayload;
    }
    match &m.payloads[i] {
        Payload::Timestamp(_) => match at {
            1 => Field::TsType,
            _ => Field::TsValue(at - 2),
        },
        Payload::Rand(_) => match at {
            1 => Field::RandLen,
            _ => Field::RandData,
        },
        Payload::Cert(_) => match at {
            1 => Field::CertType,
            2 | 3 => Field::CertLen,
            _ => Field::CertData,
        },
        Payload::Id(_) => match at {
            1 => Field::IdType,
            2 | 3 => Field::IdLen,
            _ => Field::IdData,
        },
        Payload::SecurityPolicy(_) => match at {
            1 => Field::SpPolicyNo,
            2 => Field::SpProtType,
            3 | 4 => Field::SpParamsLen,
            // Every parameter of our SPs has a one-byte value: type, length, value.
            _ => [Field::SpParamType, Field::SpParamLen, Field::SpParamValue][(at - 5) % 3],
        },
        Payload::Kemac(k) => {
            let chain_end = 4 + k.encr_data.len();
            match at {
                1 => Field::EncrAlg,
                2 | 3 => Field::EncrDataLen,
                a if a < chain_end => Field::EncrData,
                a if a == chain_end => Field::MacAlg,
                _ => Field::Mac,
            }
        }
        Payload::Pke(_) => match at {
            1 if bit >= 6 => Field::PkeCache,
            1 | 2 => Field::PkeLen,
            _ => Field::PkeData,
        },
        Payload::Verification(_) => match at {
            1 => Field::AuthAlg,
            _ => Field::VerData,
        },
        other => panic!("no field map for {:?}", other.payload_type()),
    }
}

/// Whether the bits of `byte` are tried: every byte but the middle of a PKE's Data and a
/// Signature field, of which every 16th byte (see the module documentation).
fn tried(m: &Message<'_>, layout: &Layout, byte: usize) -> bool {
    for (p, range) in m.payloads.iter().zip(&layout.payloads) {
        let bulk = match p {
            Payload::Pke(k) => k.data.len(),
            Payload::Sign(s) => s.signature.len(),
            _ => 0,
        };
        let start = range.end - bulk;
        if (start..range.end).contains(&byte) {
            let at = byte - start;
            return at < 16 || at >= bulk - 16 || at % 16 == 0;
        }
    }
    true
}

/// An expected outcome.
#[derive(Clone, Debug)]
enum Want {
    /// The bytes do not parse; the failure is exactly their parse error.
    Parse,
    /// Refused with exactly this error.
    Refused(Error),
    /// Refused: the peer's certificate (Error no. 8).
    Certificate,
    /// Refused: the timestamp is outside the clock skew window; discarded silently.
    OutsideWindow,
    /// One of these.
    Any(Vec<Want>),
}

fn matches(want: &Want, got: &Error, bad: &[u8]) -> bool {
    match want {
        Want::Parse => matches!((Message::parse(bad), got), (Err(e), Error::Parse(g)) if e == *g),
        Want::Refused(e) => got == e,
        Want::Certificate => matches!(got, Error::Certificate(_)),
        Want::OutsideWindow => {
            matches!(got, Error::Timestamp(TimestampError::OutsideWindow { .. }))
        }
        Want::Any(options) => options.iter().any(|w| matches(w, got, bad)),
    }
}

/// The Error no. a Responder answers `error` with for the (possibly unparsable) `bad`:
/// none for what is discarded silently (§5.3), for a response (no error loops) and for
/// what is refused before the message is looked at as an I_MESSAGE of its method.
fn answered_with(error: &Error, bad: &[u8]) -> Option<ErrorNo> {
    let m = Message::parse(bad).ok()?;
    if let Error::UnexpectedMessage(t) = error {
        let response = matches!(
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
        );
        return (!response && m.timestamp().is_some()).then_some(ErrorNo::InvalidDt);
    }
    match error {
        Error::MissingPayload(_) | Error::Parse(_) | Error::Timestamp(_) => None,
        other => other.error_no(),
    }
}

/// Feeds every single-bit flip (see [`tried`]) and every truncation of `msg` to `s`, which
/// must refuse each as `expect(field, byte, bit, flipped bytes)` says (a truncation:
/// `Want::Parse`),
/// changing neither itself nor its replay cache; a Responder (`answers`) answers with an
/// unauthenticated Error message naming the error's Error no. (see [`answered_with`]), an
/// Initiator never. Returns the count of each outcome.
fn tamper(
    name: &str,
    msg: &[u8],
    s: &mut Session,
    answers: bool,
    expect: impl Fn(Field, usize, usize, &[u8]) -> Want,
) -> BTreeMap<String, usize> {
    let (m, layout) = Message::parse_with_layout(msg).unwrap();
    let before = Snapshot::of(s);
    let cache = s.config().replay_cache().len();
    let mut count = BTreeMap::<String, usize>::new();
    let flips = (0..msg.len() * 8)
        .filter(|bit| tried(&m, &layout, bit / 8))
        .map(|bit| {
            let mut bad = msg.to_vec();
            bad[bit / 8] ^= 1 << (bit % 8);
            let field = field_at(&m, &layout, bit / 8, bit % 8);
            (
                format!("byte {} bit {} ({field:?})", bit / 8, bit % 8),
                expect(field, bit / 8, bit % 8, &bad),
                bad,
            )
        });
    let truncations = (0..msg.len()).map(|len| {
        (
            format!("truncated to {len}"),
            Want::Parse,
            msg[..len].to_vec(),
        )
    });
    for (what, want, bad) in flips.chain(truncations) {
        let f = match s.process(&bad) {
            Ok(p) => panic!("{name}, {what}: accepted ({:?})", p.event),
            Err(f) => f,
        };
        assert!(
            matches(&want, &f.error, &bad),
            "{name}, {what}: want {want:?}, got {:?}\n{}",
            f.error,
            hex::encode(&bad)
        );
        assert_eq!(
            Snapshot::of(s),
            before,
            "{name}, {what}: the session changed"
        );
        assert_eq!(
            s.config().replay_cache().len(),
            cache,
            "{name}, {what}: a refused message entered the replay cache"
        );
        let expected_no = if answers {
            answered_with(&f.error, &bad)
        } else {
            None
        };
        let reply_nos = f.reply.as_ref().map(|r| {
            let e = Message::parse(r).expect("our Error message parses");
            assert!(
                !e.payloads
                    .iter()
                    .any(|p| matches!(p, Payload::Verification(_))),
                "{name}, {what}: an Error message with a V payload for an unauthenticated message"
            );
            e.error_nos()
        });
        assert_eq!(
            reply_nos,
            expected_no.map(|n| vec![n]),
            "{name}, {what}: answered {:?}",
            f.error
        );
        let class = match &f.error {
            Error::Parse(_) => "Parse".to_string(),
            Error::Timestamp(_) => "Timestamp".to_string(),
            Error::Certificate(_) => "Certificate".to_string(),
            Error::MissingPayload(_) => "MissingPayload".to_string(),
            Error::UnexpectedMessage(_) => "UnexpectedMessage".to_string(),
            other => format!("{other:?}"),
        };
        *count.entry(class).or_default() += 1;
    }
    println!("{name}: {count:?}");
    count
}

/// The skew of every config here (the default; RFC 3830 §5.4 leaves it to policy), in NTP
/// units.
const SKEW: u64 = 300 << 32;

/// The outcome of a flip in a field SIGNi or SIGNr covers, read by a Responder or an
/// RSA-R Initiator: refused at parse or as a field checked before the signature, and
/// otherwise as a signature that does not verify.
fn signed(field: Field, byte: usize, bit: usize, bad: &[u8]) -> Want {
    use Want::*;
    let sig = || Refused(Error::SignatureInvalid);
    match field {
        Field::Version
        | Field::CsCount
        | Field::CsMapType
        | Field::RandLen
        | Field::CertLen
        | Field::IdLen
        | Field::SpParamsLen
        | Field::EncrDataLen
        | Field::MacAlg
        | Field::SignLen => Parse,
        // A length still inside the message makes the envelope's last bytes (random: the
        // RSA ciphertext) the SIGN payload's header; rarely (about once in 4096 messages)
        // its Signature len then ends the message exactly, and its S type or signature is
        // refused instead.
        Field::PkeLen => Any(vec![Parse, Refused(Error::UnsupportedSignature), sig()]),
        Field::DataType => Refused(Error::UnexpectedMessage(DataType::from(bad[1]))),
        // A payload read as another: mostly unparsable; otherwise what follows is signed.
        Field::NextPayload => Any(vec![Parse, sig(), Certificate]),
        Field::Prf => match PrfFunc::from(bad[3] & 0x7F) {
            PrfFunc::Unknown(_) => Refused(Error::UnsupportedPrf),
            _ => sig(),
        },
        // NTP and NTP-UTC have the same length, and NTP is read as UTC (README, Spec
        // readings); other types have another length.
        Field::TsType => match TsType::from(bad[byte]) {
            TsType::Ntp | TsType::NtpUtc => sig(),
            _ => Parse,
        },
        // §5.3: a timestamp outside the skew is discarded before anything else is checked.
        Field::TsValue(n) if 1u64 << (8 * (7 - n) + bit) > SKEW => OutsideWindow,
        // Sign and Encr certificates are read as X.509 too; a URL needs a resolver, the
        // rest are unknown.
        Field::CertType => match CertType::from(bad[byte]) {
            CertType::X509v3 | CertType::X509v3Sign | CertType::X509v3Encr => sig(),
            _ => Certificate,
        },
        // Not the DER of the pinned certificate, or no DER at all.
        Field::CertData => Certificate,
        // A parameter length that still parses reads the parameters otherwise.
        Field::SpParamLen => Any(vec![Parse, sig()]),
        Field::EncrAlg => match EncrAlg::from(bad[byte]) {
            EncrAlg::AesCm128 | EncrAlg::AesKw128 | EncrAlg::AesCm256 => sig(),
            _ => Refused(Error::UnsupportedEncryption),
        },
        // RSASSA-PKCS1-v1_5 read as RSA-PSS fails to verify; the other S types are not
        // RSA (§6.5).
        Field::SignType => match SignatureType::from(bad[byte] >> 4) {
            SignatureType::RsaPkcs1v15 | SignatureType::RsaPss => sig(),
            _ => Refused(Error::UnsupportedSignature),
        },
        Field::VFlag
        | Field::CsbId
        | Field::MapEntry
        | Field::TsValue(_)
        | Field::RandData
        | Field::IdType
        | Field::IdData
        | Field::SpPolicyNo
        | Field::SpProtType
        | Field::SpParamType
        | Field::SpParamValue
        | Field::EncrData
        | Field::Mac
        | Field::PkeCache
        | Field::PkeData
        | Field::Signature => sig(),
        Field::AuthAlg | Field::VerData => panic!("{field:?} in a signed message"),
    }
}

/// A MIKEY-PK Initiator (two streams, V requested, CERTi sent) awaiting verification, its
/// I_MESSAGE and Bob's verification message.
fn pk_exchange() -> (Session, Vec<u8>, Vec<u8>) {
    let mut i = Session::initiator(Arc::new(initiator_builder(Mode::Pk, 1).build().unwrap()));
    let init = initiate(&mut i, 2);
    let v = Session::responder(responder_config(Mode::Pk))
        .process(&init)
        .unwrap()
        .reply
        .unwrap();
    assert_eq!(i.state(), State::AwaitingVerification);
    (i, init, v)
}

/// A MIKEY-RSA-R Initiator (two streams, its RAND, CERTi sent) awaiting the keys, its
/// I_MESSAGE and Bob's R_MESSAGE (CERTr, SP, KEMAC, PKE, SIGNr).
fn rsa_r_exchange() -> (Session, Vec<u8>, Vec<u8>) {
    let mut i = Session::initiator(Arc::new(initiator_builder(Mode::RsaR, 1).build().unwrap()));
    let init = initiate(&mut i, 2);
    let answer = Session::responder(responder_config(Mode::RsaR))
        .process(&init)
        .unwrap()
        .reply
        .unwrap();
    assert_eq!(i.state(), State::AwaitingKeys);
    (i, init, answer)
}

/// Checks that `s`, given `msg` untouched after the flips, accepts it: the flips were
/// refused for what they changed.
fn still_accepted(s: &mut Session, msg: &[u8]) {
    let done = s.process(msg).expect("the untouched message");
    assert_eq!(s.state(), State::Established, "{:?}", done.event);
}

#[test]
fn flipped_or_truncated_pk_i_message() {
    let (_, init, _) = pk_exchange();
    let mut r = Session::responder(responder_config(Mode::Pk));
    let count = tamper("PK I_MESSAGE", &init, &mut r, true, signed);
    assert!(count["SignatureInvalid"] > 0 && count["Certificate"] > 0);
    still_accepted(&mut r, &init);
}

#[test]
fn flipped_or_truncated_pk_verification_message() {
    use Want::*;
    let (mut i, _, v) = pk_exchange();
    let auth = || Refused(Error::AuthFailed);
    tamper(
        "PK verification message",
        &v,
        &mut i,
        false,
        |field, byte, _, bad| match field {
            Field::Version | Field::CsCount | Field::CsMapType | Field::IdLen | Field::AuthAlg => {
                Parse
            }
            Field::DataType => Refused(Error::UnexpectedMessage(DataType::from(bad[1]))),
            Field::NextPayload => Any(vec![Parse, auth()]),
            Field::CsbId => Refused(Error::CsbMismatch),
            // The MAC covers the whole message, and is checked before the T is compared with
            // the one sent (§5.2).
            Field::VFlag | Field::Prf | Field::MapEntry | Field::TsValue(_) | Field::VerData => {
                auth()
            }
            Field::TsType => match TsType::from(bad[byte]) {
                TsType::Ntp | TsType::NtpUtc => auth(),
                _ => Parse,
            },
            // IDr is not the expected Responder: refused before the MAC.
            Field::IdType | Field::IdData => Refused(Error::IdentityMismatch),
            other => panic!("{other:?} in a PK verification message"),
        },
    );
    still_accepted(&mut i, &v);
}

#[test]
fn flipped_or_truncated_rsa_r_i_message() {
    let (_, init, _) = rsa_r_exchange();
    let mut r = Session::responder(responder_config(Mode::RsaR));
    let count = tamper("RSA-R I_MESSAGE", &init, &mut r, true, signed);
    assert!(count["SignatureInvalid"] > 0 && count["Certificate"] > 0);
    still_accepted(&mut r, &init);
}

#[test]
fn flipped_or_truncated_rsa_r_r_message() {
    use Want::*;
    let (mut i, _, answer) = rsa_r_exchange();
    let count = tamper(
        "RSA-R R_MESSAGE",
        &answer,
        &mut i,
        false,
        |field, byte, bit, bad| {
            match field {
                // §3.6: the CSB ID and T of the I_MESSAGE, checked before SIGNr.
                Field::CsbId => Refused(Error::CsbMismatch),
                Field::TsValue(_) => Refused(Error::TimestampMismatch),
                Field::TsType => match TsType::from(bad[byte]) {
                    TsType::Ntp => Refused(Error::TimestampMismatch),
                    _ => Parse,
                },
                // A CERTr read as an ID payload names another Responder.
                Field::NextPayload => Any(vec![
                    Parse,
                    Refused(Error::SignatureInvalid),
                    Refused(Error::IdentityMismatch),
                ]),
                // The Initiator checks no algorithm before SIGNr.
                Field::EncrAlg | Field::Prf => Refused(Error::SignatureInvalid),
                _ => signed(field, byte, bit, bad),
            }
        },
    );
    assert!(count["SignatureInvalid"] > 0 && count["Certificate"] > 0);
    still_accepted(&mut i, &answer);
}

/// The fuzz helper's findings, fixed: each is a regression test.
mod findings {
    use super::*;
    use mikey::session::Event;
    use mikey::wire::{CsIdMap, ErrorPayload, MessageBuilder, Timestamp, TsType};
    use session_check::{ALICE_KEY, NOW, complete_pk_initiator, streams};

    #[test]
    fn rsa_r_initiator_reads_only_error_messages_for_its_csb() {
        let (mut i, _) = complete_pk_initiator(2);
        let csb = i.csb_id().unwrap();
        for (other, with_t, expected) in [
            (csb ^ 1, true, Error::CsbMismatch),
            (csb, false, Error::MissingPayload("T")),
        ] {
            let mut b = MessageBuilder::new(DataType::Error, other);
            if with_t {
                b = b.payload(Payload::Timestamp(Timestamp {
                    ts_type: TsType::NtpUtc,
                    value: NOW,
                }));
            }
            let e = b
                .payload(Payload::Error(ErrorPayload {
                    error_no: ErrorNo::InvalidCert,
                    reserved: 0,
                }))
                .build()
                .unwrap()
                .encode()
                .unwrap();
            assert_eq!(i.process(&e).unwrap_err().error, expected);
        }
    }

    #[test]
    fn pk_verification_under_the_null_kemac_mac_is_authenticated() {
        // AES-KW with the NULL MAC: the verification message still carries an HMAC
        // (RFC 3830 §6.9), so a flipped map byte is refused.
        let (mut i, init) = complete_pk_initiator(1);
        let v = Session::responder(responder_config(Mode::Pk))
            .process(&init)
            .unwrap()
            .reply
            .unwrap();
        let mut bad = v.clone();
        bad[12] ^= 0x40;
        assert_eq!(i.process(&bad).unwrap_err().error, Error::AuthFailed);
        assert_eq!(i.process(&v).unwrap().event, Event::Verified);
    }

    #[test]
    fn public_key_messages_with_the_empty_map_and_sp_are_refused() {
        // RFC 4563 §5: the Empty map and an SP payload do not go together.
        let mut s = Session::initiator(Arc::new(initiator_builder(Mode::RsaR, 5).build().unwrap()));
        let init = s.initiate(&streams(1)).unwrap();
        let mut m = Message::parse(&init).unwrap().into_owned();
        m.header.cs_map = CsIdMap::Empty { cs_count: 1 };
        let mut bytes = m.encode().unwrap();
        let key = mikey::crypto::rsa::RsaPrivateKey::from_pem(ALICE_KEY).unwrap();
        let n = bytes.len();
        let sig = key
            .sign(
                mikey::crypto::rsa::SignaturePadding::Pkcs1v15,
                mikey::crypto::rsa::SignatureHash::Sha256,
                &bytes[..n - key.modulus_len()],
            )
            .unwrap();
        bytes[n - key.modulus_len()..].copy_from_slice(&sig);
        let mut r = Session::responder(responder_config(Mode::RsaR));
        assert_eq!(
            r.process(&bytes).unwrap_err().error,
            Error::UnsupportedPolicyType
        );
    }
}
