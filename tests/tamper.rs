//! Every truncation and every single-bit flip of an authenticated Error message, an
//! unauthenticated Error message (both read by the Initiator), a NULL-mode I_MESSAGE (read
//! by the Responder) and a NULL-mode verification message (read by the Initiator) gets the
//! outcome the flipped field calls for, and a refused message leaves the session as it
//! was. `tests/psk_exchange.rs` does the same for a PSK I_MESSAGE and verification message,
//! where every variant is refused.
//!
//! Only NULL mode may accept a flipped message (RFC 3830 §4.2.3/§4.2.4: no MAC; "MUST only
//! be used over already secured channels"); when it does, what changed in the session is
//! what the flipped field means (a flipped key byte changes every key, a flipped SSRC that
//! crypto session's SSRC, ...). An Error message is never accepted: it is a peer error
//! naming the (possibly flipped) Error no., authenticated only while its V payload
//! verifies (RFC 3830 §5.1.2), i.e. never after a flip.
//!
//! The outcome classes are `mikey::exchange::Error` variants; the C API maps each to one
//! status (`src/ffi/session.rs` `error_status`): `Parse` → `MIKEY_ERR_PARSE_*`,
//! `PeerError { authenticated: false }` → `MIKEY_ERR_PEER_ERROR_UNAUTHENTICATED + no.`, ...
//!
//! Everything is deterministic: the configs of `fuzz/session_check.rs` (fixed PSK,
//! `ManualClock`, `TestRng`), so the same bytes are tampered with in every run.

include!("../fuzz/session_check.rs");

use mikey::exchange::Error;
use mikey::policy::SrtpProfile;
use mikey::session::{Config, ConfigBuilder, Event, Mode, Session, State};
use mikey::time::TimestampError;
use mikey::wire::{DataType, EncrAlg, ErrorNo, Layout, Message, Payload};
use session_check::{Snapshot, initiator_builder, responder_config, streams};
use std::sync::Arc;

/// The clock skew of every config here (the default, RFC 3830 §5.4 leaves it to policy).
const SKEW_SECONDS: u64 = 300;

/// What a byte of a message is, by RFC 3830 §6 layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    // Common Header (§6.1).
    Version,
    DataType,
    NextPayload,
    /// Byte 3: V flag (bit 7) and PRF func (bits 0..6).
    VPrf,
    CsbId,
    CsCount,
    CsMapType,
    MapPolicyNo(usize),
    MapSsrc(usize),
    MapRoc(usize),
    // T (§6.6).
    TsType,
    /// Byte `n` of the 8-byte TS value (big-endian).
    TsValue(usize),
    // RAND (§6.11).
    RandLen,
    RandData,
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
    // KEMAC (§6.2) and its NULL-encrypted Key data chain (§6.13).
    EncrAlg,
    EncrDataLen,
    KeyDataNext,
    KeyTypeKv,
    KeyLen,
    KeyBytes,
    MacAlg,
    // ERR (§6.12).
    ErrNo,
    ErrReserved,
    // V (§6.9).
    AuthAlg,
    VerData,
}

/// The field of `byte` in a message parsed with `layout`.
fn field_at(m: &Message<'_>, layout: &Layout, byte: usize) -> Field {
    if layout.header.contains(&byte) {
        return match byte {
            0 => Field::Version,
            1 => Field::DataType,
            2 => Field::NextPayload,
            3 => Field::VPrf,
            4..=7 => Field::CsbId,
            8 => Field::CsCount,
            9 => Field::CsMapType,
            _ => {
                // SRTP-ID map entries (§6.1.1): Policy_no, SSRC, ROC.
                let (k, at) = ((byte - 10) / 9, (byte - 10) % 9);
                match at {
                    0 => Field::MapPolicyNo(k),
                    1..=4 => Field::MapSsrc(k),
                    _ => Field::MapRoc(k),
                }
            }
        };
    }
    let i = layout
        .payloads
        .iter()
        .position(|r| r.contains(&byte))
        .expect("byte inside a payload");
    let at = byte - layout.payloads[i].start;
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
                // One Key data sub-payload with KV Null: next, type|KV, key len, key.
                4 => Field::KeyDataNext,
                5 => Field::KeyTypeKv,
                6 | 7 => Field::KeyLen,
                a if a < chain_end => Field::KeyBytes,
                a if a == chain_end => Field::MacAlg,
                _ => panic!("a NULL-mode KEMAC has no MAC bytes"),
            }
        }
        Payload::Error(_) => match at {
            1 => Field::ErrNo,
            _ => Field::ErrReserved,
        },
        Payload::Verification(_) => match at {
            1 => Field::AuthAlg,
            _ => Field::VerData,
        },
        other => panic!("no field map for {:?}", other.payload_type()),
    }
}

/// What changed in a session that accepted a flipped NULL-mode message.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Change {
    /// Nothing but (for a Responder) the installed keys of the original message.
    Nothing,
    /// No verification message is sent (V flag cleared).
    NoReply,
    /// Every key differs (a flipped key byte, RAND or PRF); nothing else.
    Keys,
    /// The CSB ID is the flipped one and so every key differs (§4.1.3 derivation).
    CsbId(u32),
    /// Crypto session `k`'s Policy_no, SSRC or ROC is the flipped value; nothing else.
    PolicyNo(usize, u8),
    Ssrc(usize, u32),
    Roc(usize, u32),
    /// Every crypto session's policy records other parameters that map to the same profile
    /// (an RFC 4771 type restating what the profile does, RFC 4771 §4); keys, profile and
    /// the rest are the original's.
    PolicyRecord,
}

/// An expected outcome.
#[derive(Clone, Debug)]
enum Want {
    /// The bytes do not parse; the failure is exactly their parse error.
    Parse,
    /// Refused with exactly this error and (Responder) an Error message with this Error
    /// no., or none.
    Refused(Error, Option<ErrorNo>),
    /// Refused as key data the Responder cannot use, answered with Error no. 12.
    BadKeyData,
    /// Refused: the timestamp is outside the clock skew window; discarded silently.
    OutsideWindow,
    /// A peer error, unauthenticated, naming these Error no. values.
    PeerUnauthenticated(Vec<ErrorNo>),
    /// A peer error, unauthenticated, naming the Error no. values the flipped message
    /// carries (for flips that change how the payloads are read).
    PeerUnauthenticatedAsParsed,
    /// Accepted (NULL mode only), with this change.
    Accepted(Change),
    /// One of these.
    Any(Vec<Want>),
}

/// A variant of a message and what it got.
struct Outcome {
    result: Result<Event, Error>,
    reply: Option<Vec<u8>>,
    /// The session after the call.
    after: Snapshot,
}

/// Whether `got` is `want` for the variant `bad` of a message that, untouched, left the
/// session as `original`.
fn matches(want: &Want, got: &Outcome, bad: &[u8], original: &Snapshot, original_csb: u32) -> bool {
    let parsed = Message::parse(bad);
    match want {
        Want::Parse => match (&parsed, &got.result) {
            (Err(e), Err(Error::Parse(got_e))) => e == got_e && got.reply.is_none(),
            _ => false,
        },
        Want::Refused(error, no) => {
            got.result.as_ref().err() == Some(error) && reply_nos(&got.reply) == no.map(|n| vec![n])
        }
        Want::BadKeyData => {
            matches!(got.result, Err(Error::BadKeyData(_)))
                && reply_nos(&got.reply) == Some(vec![ErrorNo::Unspecified])
        }
        Want::OutsideWindow => {
            matches!(
                got.result,
                Err(Error::Timestamp(TimestampError::OutsideWindow { .. }))
            ) && got.reply.is_none()
        }
        Want::PeerUnauthenticated(errors) => {
            got.result
                == Err(Error::PeerError {
                    errors: errors.clone(),
                    authenticated: false,
                })
                && got.reply.is_none()
        }
        Want::PeerUnauthenticatedAsParsed => match &parsed {
            Ok(m) => matches(
                &Want::PeerUnauthenticated(m.error_nos()),
                got,
                bad,
                original,
                original_csb,
            ),
            Err(_) => false,
        },
        Want::Accepted(change) => {
            let Ok(event) = &got.result else {
                return false;
            };
            let Ok(m) = &parsed else { return false };
            if got.after.state != State::Established {
                return false;
            }
            // A Responder answers exactly when V is set, with a verification message
            // for the (possibly flipped) CSB.
            if let Event::KeysEstablished { update: false } = event {
                let reply_ok = match &got.reply {
                    None => !m.header.v,
                    Some(r) => Message::parse(r).is_ok_and(|v| {
                        m.header.v
                            && v.header.data_type == DataType::PskVerification
                            && v.header.csb_id == m.header.csb_id
                    }),
                };
                if !reply_ok || (*change == Change::NoReply) != got.reply.is_none() {
                    return false;
                }
            }
            changed_as(change, got, original, original_csb)
        }
        Want::Any(options) => options
            .iter()
            .any(|w| matches(w, got, bad, original, original_csb)),
    }
}

/// The Error no. values of a reply (an Error message), if there is one.
fn reply_nos(reply: &Option<Vec<u8>>) -> Option<Vec<ErrorNo>> {
    reply.as_ref().map(|r| {
        let m = Message::parse(r).expect("an Error message we sent parses");
        assert_eq!(m.header.data_type, DataType::Error);
        assert!(
            !m.payloads
                .iter()
                .any(|p| matches!(p, Payload::Verification(_))),
            "a NULL-mode Error message with a V payload"
        );
        m.error_nos()
    })
}

/// Whether the accepted session differs from `original` exactly as `change` says.
fn changed_as(change: &Change, got: &Outcome, original: &Snapshot, original_csb: u32) -> bool {
    let (now, was) = (&got.after.crypto_sessions, &original.crypto_sessions);
    let csb_id = got.after.csb_id;
    if now.len() != was.len() {
        return false;
    }
    let keys_differ = now.iter().zip(was).all(|(a, b)| {
        a.keys.len() == b.keys.len()
            && a.keys
                .iter()
                .zip(&b.keys)
                .all(|(x, y)| x.key_salt() != y.key_salt() && x.mki == y.mki)
    });
    let same_but_keys = |i: usize| {
        let (a, b) = (&now[i], &was[i]);
        (a.cs_id, a.ssrc, a.roc, a.policy_no, a.policy, a.profile)
            == (b.cs_id, b.ssrc, b.roc, b.policy_no, b.policy, b.profile)
    };
    let all_same_but_keys = (0..now.len()).all(same_but_keys);
    let only = |k: usize, f: &dyn Fn(&mut mikey::session::CryptoSession)| {
        let mut expected = was.to_vec();
        f(&mut expected[k]);
        *now == expected && csb_id == Some(original_csb)
    };
    match *change {
        Change::Nothing | Change::NoReply => now == was && csb_id == Some(original_csb),
        Change::Keys => keys_differ && all_same_but_keys && csb_id == Some(original_csb),
        Change::CsbId(id) => keys_differ && all_same_but_keys && csb_id == Some(id),
        Change::PolicyNo(k, v) => only(k, &|cs| cs.policy_no = v),
        Change::Ssrc(k, v) => only(k, &|cs| cs.ssrc = v),
        Change::Roc(k, v) => only(k, &|cs| cs.roc = v),
        Change::PolicyRecord => {
            csb_id == Some(original_csb)
                && now.iter().zip(was).all(|(a, b)| {
                    let mut same = a.clone();
                    same.policy = b.policy;
                    same == *b && a.policy != b.policy && a.policy.profile() == Some(b.profile)
                })
        }
    }
}

/// Feeds every single-bit flip and every truncation of `msg` to a session from `make` (in
/// the state before `msg`; the same session is used on until a variant is accepted), and
/// checks the outcome against `expect(field, bit, flipped bytes)`, or `Want::Parse` for a
/// truncation. A refused variant must leave the session and the replay cache unchanged; an
/// accepted one is allowed in NULL mode only, and is compared with `original`, the session
/// after accepting `msg` itself (or before it, for messages that are always refused).
fn tamper(
    name: &str,
    msg: &[u8],
    mut make: impl FnMut() -> Session,
    original: &Snapshot,
    expect: impl Fn(Field, usize, &[u8]) -> Want,
) {
    let (m, layout) = Message::parse_with_layout(msg).unwrap();
    let original_csb = m.header.csb_id;
    let mut slot: Option<Session> = None;
    let mut count = std::collections::BTreeMap::<String, usize>::new();
    let variants = (0..msg.len() * 8)
        .map(|bit| {
            let mut bad = msg.to_vec();
            bad[bit / 8] ^= 1 << (bit % 8);
            let want = expect(field_at(&m, &layout, bit / 8), bit % 8, &bad);
            (
                format!(
                    "byte {} bit {} ({:?})",
                    bit / 8,
                    bit % 8,
                    field_at(&m, &layout, bit / 8)
                ),
                bad,
                want,
            )
        })
        .chain((0..msg.len()).map(|len| {
            (
                format!("truncated to {len} bytes"),
                msg[..len].to_vec(),
                Want::Parse,
            )
        }));
    for (what, bad, want) in variants {
        let mut s = slot.take().unwrap_or_else(&mut make);
        let before = Snapshot::of(&s);
        let cache = s.config().replay_cache().len();
        let (result, reply) = match s.process(&bad) {
            Ok(p) => (Ok(p.event), p.reply),
            Err(f) => (Err(f.error), f.reply),
        };
        let got = Outcome {
            result,
            reply,
            after: Snapshot::of(&s),
        };
        assert!(
            matches(&want, &got, &bad, original, original_csb),
            "{name}, {what}: want {want:?}, got {:?} (reply {:?})\n{}",
            got.result,
            got.reply.as_ref().map(hex::encode),
            hex::encode(&bad)
        );
        match &got.result {
            Err(e) => {
                assert_eq!(
                    got.after, before,
                    "{name}, {what}: {e:?} changed the session"
                );
                assert_eq!(
                    s.config().replay_cache().len(),
                    cache,
                    "{name}, {what}: a refused message entered the replay cache"
                );
                *count.entry(class(e)).or_default() += 1;
                slot = Some(s);
            }
            Ok(_) => {
                assert_eq!(
                    s.config().mode(),
                    Mode::Null,
                    "{name}, {what}: accepted outside NULL mode"
                );
                *count.entry("accepted".into()).or_default() += 1;
            }
        }
    }
    println!("{name}: {} variants: {count:?}", msg.len() * 9);
}

/// The outcome class of an error, for the summary.
fn class(e: &Error) -> String {
    match e {
        Error::PeerError { authenticated, .. } => {
            format!("PeerError(authenticated: {authenticated})")
        }
        Error::Parse(_) => "Parse".into(),
        Error::Timestamp(_) => "Timestamp".into(),
        Error::BadKeyData(_) => "BadKeyData".into(),
        Error::UnexpectedMessage(_) => "UnexpectedMessage".into(),
        other => format!("{other:?}"),
    }
}

fn psk_initiator(f: impl Fn(ConfigBuilder) -> ConfigBuilder) -> impl FnMut() -> (Session, Vec<u8>) {
    move || {
        let config = Arc::new(f(initiator_builder(Mode::Psk, 1)).build().unwrap());
        let mut s = Session::initiator(config);
        let init = s.initiate(&streams(2)).unwrap();
        assert_eq!(s.state(), State::AwaitingVerification);
        (s, init)
    }
}

/// Bob's responder config with changes.
fn responder(mode: Mode, f: impl FnOnce(ConfigBuilder) -> ConfigBuilder) -> Arc<Config> {
    let b = session_check::builder(mode, 2)
        .local_identity(session_check::identity(session_check::BOB))
        .peer_identity(session_check::identity(session_check::ALICE));
    Arc::new(f(b).build().unwrap())
}

/// Flips of an Error message read by the Initiator: never accepted, never authenticated
/// once flipped (the V payload, where there is one, covers every byte but itself, and
/// without one the message is only a hint), and the Error no. named is the one the
/// flipped message carries.
fn expect_error_message(field: Field, bit: usize, bad: &[u8], no: ErrorNo) -> Want {
    use Want::*;
    let unauth = PeerUnauthenticated(vec![no]);
    match field {
        Field::Version => Parse,
        Field::DataType => Refused(Error::UnexpectedMessage(DataType::from(bad[1])), None),
        // The following payloads may still parse, as something else.
        Field::NextPayload => Any(vec![Parse, PeerUnauthenticatedAsParsed]),
        Field::VPrf | Field::TsValue(_) | Field::ErrReserved | Field::VerData => unauth,
        Field::CsbId => Refused(Error::CsbMismatch, None),
        Field::CsCount | Field::CsMapType | Field::TsType | Field::SpParamLen => {
            Any(vec![Parse, unauth])
        }
        Field::ErrNo => PeerUnauthenticated(vec![ErrorNo::from(u8::from(no) ^ (1 << bit))]),
        Field::SpPolicyNo | Field::SpProtType | Field::SpParamType | Field::SpParamValue => unauth,
        Field::SpParamsLen | Field::AuthAlg => Parse,
        other => panic!("{other:?} in an Error message"),
    }
}

/// (a) The Responder accepts no offered policy: an authenticated Error no. 10 with the
/// policies it supports (RFC 3830 §5.1.1).
#[test]
fn flipped_or_truncated_authenticated_error_message() {
    let mut make = psk_initiator(|b| b.offer(vec![SrtpProfile::Aes128CmSha1_32.policy()]));
    let (mut i, init) = make();
    let f = Session::responder(responder(Mode::Psk, |b| {
        b.accept(vec![SrtpProfile::Aes128CmSha1_80])
    }))
    .process(&init)
    .unwrap_err();
    assert_eq!(f.error, Error::UnsupportedPolicy);
    let err = f.reply.unwrap();
    let m = Message::parse(&err).unwrap();
    assert!(
        m.payloads
            .iter()
            .any(|p| matches!(p, Payload::SecurityPolicy(_)))
    );
    assert!(matches!(m.payloads.last(), Some(Payload::Verification(_))));
    tamper_error_message(
        "authenticated Error no. 10",
        &err,
        &mut i,
        || make().0,
        ErrorNo::InvalidSpPar,
        true,
    );
}

/// (b) The Responder has another PSK: Error no. 0, unauthenticated (RFC 3830 §5.1.2).
#[test]
fn flipped_or_truncated_unauthenticated_error_message() {
    let mut make = psk_initiator(|b| b);
    let (mut i, init) = make();
    let f = Session::responder(responder(Mode::Psk, |b| b.psk(b"another pre-shared key")))
        .process(&init)
        .unwrap_err();
    assert_eq!(f.error, Error::AuthFailed);
    let err = f.reply.unwrap();
    let m = Message::parse(&err).unwrap();
    assert!(
        !m.payloads
            .iter()
            .any(|p| matches!(p, Payload::Verification(_)))
    );
    tamper_error_message(
        "unauthenticated Error no. 0",
        &err,
        &mut i,
        || make().0,
        ErrorNo::AuthFailure,
        false,
    );
}

/// Tampers with the Error message `err` (Error no. `no`) as `initiator` would receive it,
/// then checks that, untouched, it is a peer error with that authentication and changes
/// nothing either.
fn tamper_error_message(
    name: &str,
    err: &[u8],
    initiator: &mut Session,
    make: impl FnMut() -> Session,
    no: ErrorNo,
    authenticated: bool,
) {
    let before = Snapshot::of(initiator);
    tamper(name, err, make, &before, |field, bit, bad| {
        expect_error_message(field, bit, bad, no)
    });
    let e = initiator.process(err).unwrap_err();
    assert_eq!(
        e.error,
        Error::PeerError {
            errors: vec![no],
            authenticated
        }
    );
    assert_eq!(Snapshot::of(initiator), before);
}

/// A NULL-mode Initiator (V requested, two streams, identities sent) and its I_MESSAGE.
fn null_initiator() -> (Session, Vec<u8>) {
    let config = initiator_builder(Mode::Null, 3)
        .request_verification(true)
        .build()
        .unwrap();
    let mut s = Session::initiator(Arc::new(config));
    let init = s.initiate(&streams(2)).unwrap();
    (s, init)
}

fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes(b.try_into().unwrap())
}

/// (c) A NULL-mode I_MESSAGE read by a NULL-mode Responder.
#[test]
fn flipped_or_truncated_null_i_message() {
    use Want::*;
    let (_, init) = null_initiator();
    let mut r = Session::responder(responder_config(Mode::Null));
    assert!(r.process(&init).unwrap().reply.is_some());
    let accepted = Snapshot::of(&r);
    let (m, layout) = Message::parse_with_layout(&init).unwrap();
    let kemac = layout.payloads[m.payloads.len() - 1].start;
    let skew = SKEW_SECONDS << 32;
    tamper(
        "NULL I_MESSAGE",
        &init,
        || Session::responder(responder_config(Mode::Null)),
        &accepted,
        |field, bit, bad| {
            let entry = |k: usize| 10 + 9 * k;
            match field {
                Field::Version => Parse,
                Field::DataType => {
                    // Messages only a Responder sends are never answered (no error loops).
                    let t = DataType::from(bad[1]);
                    let answered = !matches!(
                        t,
                        DataType::PskVerification
                            | DataType::PkVerification
                            | DataType::DhResp
                            | DataType::Error
                            | DataType::DhHmacResp
                            | DataType::RsaRResp
                            | DataType::RequestResp
                    );
                    Refused(
                        Error::UnexpectedMessage(t),
                        answered.then_some(ErrorNo::InvalidDt),
                    )
                }
                // What follows may still parse, as payloads NULL mode ignores (an ID read
                // as a CERT, which moves IDr into the place of IDi).
                Field::NextPayload => Any(vec![
                    Parse,
                    Accepted(Change::Nothing),
                    Refused(Error::IdentityMismatch, Some(ErrorNo::InvalidId)),
                ]),
                Field::VPrf if bit == 7 => Accepted(Change::NoReply),
                Field::VPrf => match mikey::wire::PrfFunc::from(bad[3] & 0x7F) {
                    mikey::wire::PrfFunc::Unknown(_) => {
                        Refused(Error::UnsupportedPrf, Some(ErrorNo::InvalidPrf))
                    }
                    _ => Accepted(Change::Keys),
                },
                Field::CsbId => Accepted(Change::CsbId(be32(&bad[4..8]))),
                Field::CsCount | Field::CsMapType => Parse,
                // No SP payload has the flipped number: the policy is all defaults
                // (RFC 3830 §6.10.1), which is the offered AES_CM_128_HMAC_SHA1_80.
                Field::MapPolicyNo(k) => Accepted(Change::PolicyNo(k, bad[entry(k)])),
                Field::MapSsrc(k) => Accepted(Change::Ssrc(k, be32(&bad[entry(k) + 1..][..4]))),
                Field::MapRoc(k) => Accepted(Change::Roc(k, be32(&bad[entry(k) + 5..][..4]))),
                // NTP is read as UTC like NTP-UTC (README, Spec readings); other types change the length.
                Field::TsType if bad[29] == u8::from(mikey::wire::TsType::Ntp) => {
                    Accepted(Change::Nothing)
                }
                Field::TsType => Parse,
                Field::TsValue(n) if 1u64 << (8 * (7 - n) + bit) <= skew => {
                    Accepted(Change::Nothing)
                }
                Field::TsValue(_) => OutsideWindow,
                Field::RandLen | Field::IdLen | Field::SpParamsLen => Parse,
                Field::RandData | Field::KeyBytes => Accepted(Change::Keys),
                Field::IdType | Field::IdData => {
                    Refused(Error::IdentityMismatch, Some(ErrorNo::InvalidId))
                }
                // The SP no longer has the map's policy number: defaults again.
                Field::SpPolicyNo => Accepted(Change::Nothing),
                Field::SpProtType => {
                    Refused(Error::UnsupportedPolicyType, Some(ErrorNo::InvalidSp))
                }
                // Every parameter of the offered policy is pinned by its profile, and no
                // single-bit change of a value gives another profile the Responder takes.
                Field::SpParamValue => {
                    Refused(Error::UnsupportedPolicy, Some(ErrorNo::InvalidSpPar))
                }
                // Another type: unknown (unsupported), a second value of a known type, an
                // alternative after the offered one (RFC 3830 §6.10), or an RFC 4771 type
                // restating what the profile does (type 7 = 1 flipped to 15 = 1: SRTCP
                // authentication HMAC-SHA-1, SRTP encryption at its default, on).
                Field::SpParamType => Any(vec![
                    Refused(Error::UnsupportedPolicy, Some(ErrorNo::InvalidSpPar)),
                    Accepted(Change::Nothing),
                    Accepted(Change::PolicyRecord),
                ]),
                Field::SpParamLen => Any(vec![
                    Parse,
                    Refused(Error::UnsupportedPolicy, Some(ErrorNo::InvalidSpPar)),
                ]),
                // Encryption in a NULL-mode config: a NULL MAC with an implemented cipher is
                // refused first (Error no. 3), an unknown cipher as such (Error no. 4).
                Field::EncrAlg => match EncrAlg::from(bad[kemac + 1]) {
                    EncrAlg::Unknown(_) => {
                        Refused(Error::UnsupportedEncryption, Some(ErrorNo::InvalidEa))
                    }
                    _ => Refused(Error::UnsupportedMac, Some(ErrorNo::InvalidMac)),
                },
                Field::EncrDataLen | Field::MacAlg => Parse,
                Field::KeyDataNext | Field::KeyTypeKv | Field::KeyLen => BadKeyData,
                other => panic!("{other:?} in a NULL I_MESSAGE"),
            }
        },
    );
}

/// (c) A NULL-mode verification message read by the NULL-mode Initiator awaiting it.
#[test]
fn flipped_or_truncated_null_verification_message() {
    use Want::*;
    let (mut i, init) = null_initiator();
    let before = Snapshot::of(&i);
    assert_eq!(before.state, State::AwaitingVerification);
    let v = Session::responder(responder_config(Mode::Null))
        .process(&init)
        .unwrap()
        .reply
        .unwrap();
    // The state `i` reaches, shown by a copy rebuilt from its I_MESSAGE (in a config of
    // its own: `i` holds the CSB ID in its config, RFC 3830 §6.1).
    let same_config = initiator_builder(Mode::Null, 3)
        .request_verification(true)
        .build()
        .unwrap();
    let mut verified = Session::resume_initiator(Arc::new(same_config), &init).unwrap();
    verified.process(&v).unwrap();
    let accepted = Snapshot::of(&verified);
    tamper(
        "NULL verification message",
        &v,
        || null_initiator().0,
        &accepted,
        |field, _, bad| match field {
            Field::Version | Field::CsCount | Field::CsMapType | Field::IdLen | Field::AuthAlg => {
                Parse
            }
            Field::DataType => Refused(Error::UnexpectedMessage(DataType::from(bad[1])), None),
            Field::NextPayload => Any(vec![Parse, Accepted(Change::Nothing)]),
            // Nothing authenticates a NULL-mode answer, and the Initiator keeps its own
            // crypto sessions: a changed V flag, PRF or map in the answer changes nothing.
            Field::VPrf | Field::MapPolicyNo(_) | Field::MapSsrc(_) | Field::MapRoc(_) => {
                Accepted(Change::Nothing)
            }
            Field::CsbId => Refused(Error::CsbMismatch, None),
            // Not our timestamp (RFC 3830 §5.2: the Responder echoes it); the NULL V
            // payload has no MAC to fail first.
            Field::TsType if bad[29] == u8::from(mikey::wire::TsType::Ntp) => {
                Refused(Error::TimestampMismatch, None)
            }
            Field::TsType => Parse,
            Field::TsValue(_) => Refused(Error::TimestampMismatch, None),
            Field::IdType | Field::IdData => Refused(Error::IdentityMismatch, None),
            other => panic!("{other:?} in a NULL verification message"),
        },
    );
    assert_eq!(i.process(&v).unwrap().event, Event::Verified);
    assert_eq!(Snapshot::of(&i), accepted);
}

/// A message of data type `t` (HDR and T) as a PSK Responder answers it: the failure and
/// whether an Error message is sent back.
fn respond_to_type(t: DataType) -> (Error, Option<Vec<u8>>) {
    use mikey::wire::{MessageBuilder, Timestamp, TsType};
    let bytes = MessageBuilder::new(t, 0x0102_0304)
        .empty_map(0)
        .payload(Payload::Timestamp(Timestamp {
            ts_type: TsType::NtpUtc,
            value: session_check::NOW,
        }))
        .build()
        .unwrap()
        .encode()
        .unwrap();
    let mut r = Session::responder(responder_config(Mode::Psk));
    let f = r.process(&bytes).unwrap_err();
    assert_eq!(r.state(), State::Idle);
    (f.error, f.reply)
}

/// Messages only a Responder (or KMS) sends are refused and never answered: an answer to
/// an answer invites error loops (`is_initiator_type` in `src/session/mod.rs`). The types
/// of RFC 3830 and RFC 4650/4738, and REQUEST_RESP of RFC 6043, are handled so; an
/// initiator's message of another mode is answered with Error no. 11.
#[test]
fn responses_of_other_modes_are_refused_unanswered() {
    for t in [
        DataType::PskVerification,
        DataType::PkVerification,
        DataType::DhResp,
        DataType::Error,
        DataType::DhHmacResp,
        DataType::RsaRResp,
        DataType::RequestResp,
    ] {
        assert_eq!(
            respond_to_type(t),
            (Error::UnexpectedMessage(t), None),
            "{t:?}"
        );
    }
    for t in [
        DataType::PublicKey,
        DataType::DhInit,
        DataType::TransferInit,
    ] {
        let (e, reply) = respond_to_type(t);
        assert_eq!(e, Error::UnexpectedMessage(t));
        let m = Message::parse(reply.as_ref().unwrap()).unwrap();
        assert_eq!(m.error_nos(), vec![ErrorNo::InvalidDt], "{t:?}");
    }
}

/// The remaining response types: TRANSFER_RESP and RESOLVE_RESP (RFC 6043 §6.1),
/// REQUEST_KEY_RESP, R_MESSAGE_1 and R_MESSAGE_2 (RFC 6267 §6.1) are answered with an Error
/// no. 11 message today.
#[test]
fn ticket_and_ibake_responses_are_refused_unanswered() {
    for t in [
        DataType::TransferResp,
        DataType::ResolveResp,
        DataType::RequestKeyResp,
        DataType::IbakeResp1,
        DataType::IbakeResp2,
    ] {
        let (e, reply) = respond_to_type(t);
        assert_eq!(e, Error::UnexpectedMessage(t));
        assert!(
            reply.is_none(),
            "{t:?} answered with {}",
            hex::encode(reply.unwrap())
        );
    }
}

/// An I_MESSAGE naming another Responder (IDr carol; the Responder is bob) is refused with
/// an Error no. 7 message that carries a V payload (RFC 3830 §5.1.2: Error messages other
/// than for authentication failures are authenticated). The Initiator must be able to
/// verify it, as it does for the IDi case: the Error message carries no ID payload, so its
/// V MAC covers the IDr the Initiator sent (carol), not the Responder's own identity (bob).
/// (This once read as `MIKEY_ERR_PEER_ERROR_UNAUTHENTICATED + 7`.)
#[test]
fn error_7_for_a_wrong_idr_is_authenticated() {
    let carol = session_check::identity(b"sip:carol@example.com");
    error_7_is_authenticated(initiator_builder(Mode::Psk, 1).peer_identity(carol));
}

/// The same with the Initiator's identity refused (IDi dave; the Responder expects alice):
/// the Error no. 7 message verifies.
#[test]
fn error_7_for_a_wrong_idi_is_authenticated() {
    let dave = session_check::identity(b"sip:dave@example.com");
    error_7_is_authenticated(initiator_builder(Mode::Psk, 1).local_identity(dave));
}

/// An Initiator from `config` sends an I_MESSAGE the Responder refuses for an identity; the
/// Error no. 7 message ends with a V payload and reads as authenticated.
fn error_7_is_authenticated(config: mikey::session::ConfigBuilder) {
    let mut i = Session::initiator(Arc::new(config.build().unwrap()));
    let init = i.initiate(&streams(1)).unwrap();
    let f = Session::responder(responder_config(Mode::Psk))
        .process(&init)
        .unwrap_err();
    assert_eq!(f.error, Error::IdentityMismatch);
    let reply = f.reply.unwrap();
    let m = Message::parse(&reply).unwrap();
    assert!(matches!(m.payloads.last(), Some(Payload::Verification(_))));
    assert_eq!(
        i.process(&reply).unwrap_err().error,
        Error::PeerError {
            errors: vec![ErrorNo::InvalidId],
            authenticated: true
        }
    );
}
