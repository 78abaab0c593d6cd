//! The pre-shared key method (RFC 3830 §3.1, §5) and its NULL variant, message by
//! message:
//!
//! ```text
//! Initiator                                Responder
//! I_MESSAGE = HDR, T, RAND, [IDi|CERTi], [IDr], {SP}, KEMAC  --->
//!                         <---  R_MESSAGE = HDR, T, [IDr], V   (when V = 1)
//!                         <---  Error = HDR, T, {ERR}, {SP}, [V]
//! ```
//!
//! Updates (§4.5) are I_MESSAGEs for the same CSB without RAND.

use super::{Error, TransportKeys, ts_value_bytes};
use crate::crypto::prf::Inkey;
use crate::session::VerificationInput;
use crate::session::keys::CarriedKey;
use crate::wire::{
    CsIdMap, DataType, EncrAlg, ErrorNo, ErrorPayload, Id, IdType, Kemac, KeyChainItem, KeyData,
    MacAlg, Message, MessageBuilder, Payload, PayloadType, PrfFunc, Rand, SecurityPolicy,
    SrtpIdEntry, Timestamp, Verification, encode_key_chain, parse_key_chain,
    parse_key_chain_prefix,
};
use std::borrow::Cow;
use zeroize::Zeroizing;

/// The identities that enter the verification MAC (RFC 3830 §5.2, RFC 6043 §5.5; README, Spec readings).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct VerificationIds {
    pub initiator: Vec<u8>,
    pub responder: Vec<u8>,
}

/// What an I_MESSAGE carries, for building one.
pub(crate) struct InitMessage<'a> {
    pub csb_id: u32,
    pub v: bool,
    pub prf: PrfFunc,
    pub streams: &'a [SrtpIdEntry],
    pub t: Timestamp,
    /// `None` in an update (§4.5).
    pub rand: Option<&'a [u8]>,
    pub idi: Option<(IdType, &'a [u8])>,
    pub idr: Option<(IdType, &'a [u8])>,
    pub policies: Vec<SecurityPolicy<'static>>,
    pub keys: &'a [CarriedKey],
}

/// Builds and protects an I_MESSAGE (§5.2: the MAC covers the whole message up to and
/// including the KEMAC Mac alg byte).
pub(crate) fn build_init(m: &InitMessage<'_>, tk: &TransportKeys) -> Result<Vec<u8>, Error> {
    let items: Vec<KeyChainItem<'_>> = m
        .keys
        .iter()
        .map(|k| {
            KeyChainItem::KeyData(KeyData {
                key_type: k.kind,
                key: Cow::Borrowed(&k.key),
                salt: k.salt.as_ref().map(|s| Cow::Borrowed(&s[..])),
                kv: k.kv.clone(),
            })
        })
        .collect();
    let plain = Zeroizing::new(encode_key_chain(&items)?);
    let encr_data = tk.encrypt(m.csb_id, &m.t, &plain)?;
    let mut b = MessageBuilder::new(DataType::PreShared, m.csb_id)
        .v(m.v)
        .prf(m.prf);
    for s in m.streams {
        b = b.srtp_crypto_session(s.policy_no, s.ssrc, s.roc);
    }
    b = b.payload(Payload::Timestamp(m.t));
    if let Some(rand) = m.rand {
        b = b.payload(Payload::Rand(Rand {
            rand: Cow::Borrowed(rand),
        }));
    }
    for (id_type, data) in [m.idi, m.idr].into_iter().flatten() {
        b = b.payload(Payload::Id(Id {
            id_type,
            data: Cow::Borrowed(data),
        }));
    }
    for sp in &m.policies {
        b = b.payload(Payload::SecurityPolicy(sp.clone()));
    }
    let mac_alg = tk.mac_alg();
    b = b.payload(Payload::Kemac(Kemac {
        encr_alg: tk.encr_alg,
        encr_data: Cow::Owned(encr_data),
        mac_alg,
        mac: Cow::Owned(vec![0; tk.tag_len()]),
    }));
    seal(b.build()?.encode()?, tk, &[])
}

/// Fills the MAC field that ends `bytes` with the MAC over everything before it followed
/// by `extra`.
fn seal(mut bytes: Vec<u8>, tk: &TransportKeys, extra: &[&[u8]]) -> Result<Vec<u8>, Error> {
    let covered = bytes.len() - tk.tag_len();
    let mut parts: Vec<&[u8]> = vec![&bytes[..covered]];
    parts.extend_from_slice(extra);
    let tag = tk.sign(&parts);
    bytes[covered..].copy_from_slice(&tag);
    Ok(bytes)
}

/// The payloads of a received I_MESSAGE, checked for presence and order (§3.1) but not
/// yet authenticated.
pub(crate) struct InitView<'m, 'a> {
    pub message: &'m Message<'a>,
    pub streams: Vec<SrtpIdEntry>,
    pub t: Timestamp,
    pub rand: Option<&'m [u8]>,
    pub idi: Option<&'m Id<'a>>,
    pub idr: Option<&'m Id<'a>>,
    pub policies: Vec<&'m SecurityPolicy<'a>>,
    pub kemac: &'m Kemac<'a>,
}

/// Checks that `message` is a PSK I_MESSAGE with an SRTP-ID (or Empty) map and extracts
/// its payloads.
pub(crate) fn view_init<'m, 'a>(message: &'m Message<'a>) -> Result<InitView<'m, 'a>, Error> {
    if message.header.data_type != DataType::PreShared {
        return Err(Error::UnexpectedMessage(message.header.data_type));
    }
    // RFC 4563 §5: with the Empty map the #CS crypto sessions and their policies are
    // described outside MIKEY; here they take SSRC 0, ROC 0 and the default policy.
    let streams = match &message.header.cs_map {
        CsIdMap::SrtpId(map) => map.entries().collect(),
        CsIdMap::Empty { cs_count } => vec![
            SrtpIdEntry {
                policy_no: 0,
                ssrc: 0,
                roc: 0,
            };
            usize::from(*cs_count)
        ],
        CsIdMap::GenericId(_) => return Err(Error::UnsupportedPolicyType),
    };
    let mut t = None;
    let mut rand = None;
    let mut ids = Vec::new();
    let mut policies = Vec::new();
    let mut kemac = None;
    for p in &message.payloads {
        match p {
            Payload::Timestamp(ts) if t.is_none() => t = Some(*ts),
            Payload::Rand(r) if rand.is_none() => rand = Some(&r.rand[..]),
            Payload::Id(id) if ids.len() < 2 => ids.push(id),
            Payload::SecurityPolicy(sp) => policies.push(sp),
            Payload::Kemac(k) if kemac.is_none() => kemac = Some(k),
            // Other payloads (CERT, General Extension, ...) carry nothing PSK mode needs;
            // the MAC covers them all the same.
            _ => {}
        }
    }
    // RFC 4563 §5: with the Empty map "there MUST NOT be any Security Policy payload".
    if matches!(message.header.cs_map, CsIdMap::Empty { .. }) && !policies.is_empty() {
        return Err(Error::UnsupportedPolicyType);
    }
    let kemac = kemac.ok_or(Error::MissingPayload("KEMAC"))?;
    if !matches!(message.payloads.last(), Some(Payload::Kemac(_))) {
        return Err(Error::MissingPayload("KEMAC as the last payload"));
    }
    Ok(InitView {
        message,
        streams,
        t: t.ok_or(Error::MissingPayload("T"))?,
        rand,
        idi: ids.first().copied(),
        idr: ids.get(1).copied(),
        policies,
        kemac,
    })
}

/// Verifies the KEMAC MAC of a received I_MESSAGE (`bytes` as received) and decrypts its
/// Key data chain.
pub(crate) fn open_kemac(
    bytes: &[u8],
    view: &InitView<'_, '_>,
    tk: &TransportKeys,
) -> Result<Vec<CarriedKey>, Error> {
    let tag = &view.kemac.mac[..];
    let covered = bytes
        .len()
        .checked_sub(tag.len())
        .ok_or(Error::AuthFailed)?;
    tk.verify(&[&bytes[..covered]], tag)?;
    let csb_id = view.message.header.csb_id;
    let plain = tk.decrypt(csb_id, &view.t, &view.kemac.encr_data)?;
    let items = parse_chain(&plain, tk.encr_alg)?;
    let mut keys = Vec::with_capacity(items.len());
    for item in &items {
        match item {
            KeyChainItem::KeyData(k) => keys.push(CarriedKey::from_key_data(k)?),
            KeyChainItem::Id(_) => return Err(Error::BadKeyData("ID in a PSK key chain")),
        }
    }
    if keys.is_empty() && view.rand.is_some() {
        return Err(Error::BadKeyData("no key in an initial message"));
    }
    Ok(keys)
}

/// The transport keys of a received I_MESSAGE (from `psk`, its CSB ID and `rand`, for its
/// KEMAC algorithms) and its verified, decrypted keys (RFC 3830 §4.1.4, §5.2).
pub(crate) fn open_with_psk(
    psk: Option<&Inkey>,
    bytes: &[u8],
    view: &InitView<'_, '_>,
    rand: &[u8],
) -> Result<(TransportKeys, Vec<CarriedKey>), Error> {
    let tk = TransportKeys::derive(
        view.message.header.prf,
        psk,
        view.message.header.csb_id,
        rand,
        view.kemac.encr_alg,
        view.kemac.mac_alg,
    )?;
    let keys = open_kemac(bytes, view, &tk)?;
    Ok((tk, keys))
}

/// Parses the decrypted Key data chain. AES-KW plaintexts are zero-padded to a multiple
/// of 8 bytes (see [`crate::crypto::aes_kw`]); the chain ends where its last sub-payload
/// ends, so up to 7 zero bytes after it are padding.
fn parse_chain(plain: &[u8], alg: EncrAlg) -> Result<Vec<KeyChainItem<'_>>, Error> {
    let malformed = |_| Error::BadKeyData("malformed Key data chain");
    if alg != EncrAlg::AesKw128 {
        return parse_key_chain(plain, PayloadType::KeyData, 0).map_err(malformed);
    }
    let (items, end) = parse_key_chain_prefix(plain, PayloadType::KeyData, 0).map_err(malformed)?;
    let padding = &plain[end..];
    // A chain shorter than 9 bytes (e.g. the empty chain of an update) is padded to the
    // 16-byte minimum of RFC 3394, so more than 7 bytes of padding occur only then.
    let max_padding = if plain.len() == 16 { 16 } else { 7 };
    if padding.len() > max_padding || padding.iter().any(|b| *b != 0) {
        return Err(Error::BadKeyData("AES-KW padding"));
    }
    Ok(items)
}

/// The verification MAC input after the message (§5.2).
fn verification_extra(
    input: VerificationInput,
    ids: &VerificationIds,
    t: &Timestamp,
) -> Vec<Vec<u8>> {
    match input {
        VerificationInput::IdentitiesAndTimestamp => vec![
            ids.initiator.clone(),
            ids.responder.clone(),
            ts_value_bytes(t),
        ],
        VerificationInput::TimestampOnly => vec![ts_value_bytes(t)],
    }
}

/// Builds the R_MESSAGE (verification message): HDR, T, [IDr], V, with the Initiator's
/// timestamp (§5.2) and the same CS ID map.
#[allow(clippy::too_many_arguments)]
pub(crate) fn build_verification(
    csb_id: u32,
    prf: PrfFunc,
    streams: &[SrtpIdEntry],
    t: Timestamp,
    idr: Option<(IdType, &[u8])>,
    tk: &TransportKeys,
    input: VerificationInput,
    ids: &VerificationIds,
) -> Result<Vec<u8>, Error> {
    let mut b = MessageBuilder::new(DataType::PskVerification, csb_id).prf(prf);
    for s in streams {
        b = b.srtp_crypto_session(s.policy_no, s.ssrc, s.roc);
    }
    b = b.payload(Payload::Timestamp(t));
    if let Some((id_type, data)) = idr {
        b = b.payload(Payload::Id(Id {
            id_type,
            data: Cow::Borrowed(data),
        }));
    }
    b = b.payload(Payload::Verification(Verification {
        auth_alg: tk.mac_alg(),
        data: Cow::Owned(vec![0; tk.tag_len()]),
    }));
    let extra = verification_extra(input, ids, &t);
    let parts: Vec<&[u8]> = extra.iter().map(Vec::as_slice).collect();
    seal(b.build()?.encode()?, tk, &parts)
}

/// Builds an Error message: HDR, T, {ERR}, {SP}, [V] (§5.1.2). It carries the Initiator's
/// timestamp (§5.2) and, when `tk` is given, a V payload computed like the verification
/// MAC. Authentication failures are reported unauthenticated ("the error message is
/// OPTIONAL, and does not need to be authenticated").
#[allow(clippy::too_many_arguments)]
pub(crate) fn build_error(
    csb_id: u32,
    prf: PrfFunc,
    t: Timestamp,
    errors: &[ErrorNo],
    supported: Vec<SecurityPolicy<'static>>,
    tk: Option<&TransportKeys>,
    input: VerificationInput,
    ids: &VerificationIds,
) -> Result<Vec<u8>, Error> {
    // An SRTP-ID map without entries ("0 is interpreted as no CS included", RFC 3830
    // §6.1): every RFC 3830 peer reads it, and unlike the Empty map of RFC 4563 §5 it
    // allows the SP payloads an Error no. 10 carries.
    let mut b = MessageBuilder::new(DataType::Error, csb_id).prf(prf);
    b = b.payload(Payload::Timestamp(t));
    for e in errors {
        b = b.payload(Payload::Error(ErrorPayload {
            error_no: *e,
            reserved: 0,
        }));
    }
    for sp in supported {
        b = b.payload(Payload::SecurityPolicy(sp));
    }
    let Some(tk) = tk.filter(|tk| tk.tag_len() > 0) else {
        return Ok(b.build()?.encode()?);
    };
    b = b.payload(Payload::Verification(Verification {
        auth_alg: tk.mac_alg(),
        data: Cow::Owned(vec![0; tk.tag_len()]),
    }));
    let extra = verification_extra(input, ids, &t);
    let parts: Vec<&[u8]> = extra.iter().map(Vec::as_slice).collect();
    seal(b.build()?.encode()?, tk, &parts)
}

/// Verifies a received R_MESSAGE or Error message against what the Initiator sent.
/// Returns `Ok(())` for a verified R_MESSAGE and `Err(PeerError)` for an Error message
/// (authenticated when its MAC verifies and it carries the T sent). A verification
/// message whose MAC verifies but whose T is not the one sent is `TimestampMismatch`.
pub(crate) fn check_response(
    bytes: &[u8],
    message: &Message<'_>,
    csb_id: u32,
    sent_t: &Timestamp,
    tk: &TransportKeys,
    input: VerificationInput,
    ids: &VerificationIds,
) -> Result<(), Error> {
    let is_error = match message.header.data_type {
        DataType::PskVerification => false,
        DataType::Error => true,
        other => return Err(Error::UnexpectedMessage(other)),
    };
    if message.header.csb_id != csb_id {
        return Err(Error::CsbMismatch);
    }
    let t = message.timestamp().ok_or(Error::MissingPayload("T"))?;
    let mut ids = ids.clone();
    let mut v = None;
    for p in &message.payloads {
        match p {
            Payload::Id(id) if !is_error => ids.responder = id.data.to_vec(),
            Payload::Verification(ver) => v = Some(ver),
            _ => {}
        }
    }
    let verified = match v {
        Some(ver) if matches!(message.payloads.last(), Some(Payload::Verification(_))) => {
            if ver.auth_alg != tk.mac_alg() {
                Err(Error::AuthFailed)
            } else {
                let covered = bytes.len() - ver.data.len();
                let extra = verification_extra(input, &ids, t);
                let mut parts: Vec<&[u8]> = vec![&bytes[..covered]];
                parts.extend(extra.iter().map(Vec::as_slice));
                tk.verify(&parts, &ver.data)
            }
        }
        Some(_) => Err(Error::MissingPayload("V as the last payload")),
        // A NULL-MAC exchange has nothing to verify with.
        None if tk.tag_len() == 0 => Ok(()),
        None => Err(Error::MissingPayload("V")),
    };
    if is_error {
        return Err(Error::PeerError {
            errors: message.error_nos(),
            // An Error message of an earlier update of this CSB carries a valid MAC too
            // (same RAND, same auth_key); only one for this I_MESSAGE echoes its T.
            authenticated: verified.is_ok() && tk.tag_len() > 0 && t == sent_t,
        });
    }
    verified?;
    // §5.2: the Responder "uses the timestamp used by the Initiator". The MAC above
    // covers the T received, so a peer that echoed another one is named here.
    if t != sent_t {
        return Err(Error::TimestampMismatch);
    }
    Ok(())
}

impl TransportKeys {
    /// The MAC alg codepoint these keys authenticate with.
    pub fn mac_alg(&self) -> MacAlg {
        match self.mac_algorithm() {
            None => MacAlg::Null,
            Some(crate::crypto::mac::MacAlgorithm::HmacSha1_160) => MacAlg::HmacSha1_160,
            Some(crate::crypto::mac::MacAlgorithm::HmacSha256_256) => MacAlg::HmacSha256_256,
        }
    }
}
