//! The verification message (RFC 3830 §3.1, §3.2 R_MESSAGE: HDR, T, [IDr], V) and the
//! Error message (§5.1.2: HDR, T, {ERR}, {SP}, [V]) of the methods whose answer is
//! authenticated with the transport keys' auth_key (PSK, NULL, PK), and their MAC
//! (§5.2: the message, then Identity_i || Identity_r || Timestamp).

use super::{Error, TransportKeys, VerificationInput, ts_value_bytes};
use crate::wire::{
    DataType, ErrorNo, ErrorPayload, Id, IdType, Message, MessageBuilder, Payload, PrfFunc,
    SecurityPolicy, SrtpIdEntry, Timestamp, Verification,
};
use std::borrow::Cow;

/// The identities that enter the verification MAC (RFC 3830 §5.2, RFC 6043 §5.5; README, Spec readings).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct VerificationIds {
    pub initiator: Vec<u8>,
    pub responder: Vec<u8>,
}

/// Fills the MAC field that ends `bytes` with the MAC over everything before it followed
/// by `extra`.
pub(crate) fn seal(
    mut bytes: Vec<u8>,
    tk: &TransportKeys,
    extra: &[&[u8]],
) -> Result<Vec<u8>, Error> {
    let covered = bytes.len() - tk.tag_len();
    let mut parts: Vec<&[u8]> = vec![&bytes[..covered]];
    parts.extend_from_slice(extra);
    let tag = tk.sign(&parts);
    bytes[covered..].copy_from_slice(&tag);
    Ok(bytes)
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

/// Builds the R_MESSAGE (verification message, of `data_type`): HDR, T, [IDr], V, with the Initiator's
/// timestamp (§5.2) and the same CS ID map.
#[allow(clippy::too_many_arguments)]
pub(crate) fn build_verification(
    data_type: DataType,
    csb_id: u32,
    prf: PrfFunc,
    streams: &[SrtpIdEntry],
    t: Timestamp,
    idr: Option<(IdType, &[u8])>,
    tk: &TransportKeys,
    input: VerificationInput,
    ids: &VerificationIds,
) -> Result<Vec<u8>, Error> {
    let mut b = MessageBuilder::new(data_type, csb_id).prf(prf);
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
    let mut b = error_start(csb_id, prf, t, errors, supported);
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

/// An Error message up to its authentication (RFC 3830 §5.1.2): HDR, T, {ERR}, {SP}.
pub(crate) fn error_start(
    csb_id: u32,
    prf: PrfFunc,
    t: Timestamp,
    errors: &[ErrorNo],
    supported: Vec<SecurityPolicy<'static>>,
) -> MessageBuilder<'static> {
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
    b
}

/// Verifies a received verification message of `data_type` or an Error message against what the Initiator sent.
/// Returns `Ok(())` for a verified R_MESSAGE and `Err(PeerError)` for an Error message
/// (authenticated when its MAC verifies and it carries the T sent). A verification
/// message whose MAC verifies but whose T is not the one sent is `TimestampMismatch`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn check_response(
    data_type: DataType,
    bytes: &[u8],
    message: &Message<'_>,
    csb_id: u32,
    sent_t: &Timestamp,
    tk: &TransportKeys,
    input: VerificationInput,
    ids: &VerificationIds,
) -> Result<(), Error> {
    let is_error = match message.header.data_type {
        DataType::Error => true,
        t if t == data_type => false,
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

/// Checks the answer of a method whose answer is a verification message of `data_type`
/// authenticated with the I_MESSAGE's transport keys (PSK, NULL, PK).
pub(crate) fn check_v_answer(
    data_type: DataType,
    creds: &super::Credentials,
    bytes: &[u8],
    message: &Message<'_>,
    csb_id: u32,
    sent: &super::Sent,
) -> Result<(), Error> {
    let tk = sent
        .transport
        .as_ref()
        .ok_or(Error::Config("no transport keys"))?;
    check_response(
        data_type,
        bytes,
        message,
        csb_id,
        &sent.t,
        tk,
        creds.verification_input,
        &sent.ids,
    )
}

/// The verification message (of `data_type`) answering the I_MESSAGE of `view` when its V
/// flag asks for one (RFC 3830 §3.1, §3.2, §5.2), authenticated with `opened`'s keys.
pub(crate) fn answer_v(
    data_type: DataType,
    creds: &super::Credentials,
    view: &super::InitView<'_, '_>,
    opened: &super::Opened,
) -> Result<Option<Vec<u8>>, Error> {
    let tk = opened
        .transport
        .as_ref()
        .ok_or(Error::Config("no transport keys"))?;
    let header = &view.message.header;
    if !header.v {
        return Ok(None);
    }
    build_verification(
        data_type,
        header.csb_id,
        header.prf,
        &view.streams,
        view.t,
        creds.sent_local_id(),
        tk,
        creds.verification_input,
        &opened.ids,
    )
    .map(Some)
}

/// An Error message (RFC 3830 §5.1.2) answering the I_MESSAGE of `view`, its V MAC (when
/// `auth` is given) over the identities `ids`.
pub(crate) fn answer_error(
    creds: &super::Credentials,
    view: &super::InitView<'_, '_>,
    errors: &[ErrorNo],
    supported: Vec<SecurityPolicy<'static>>,
    auth: Option<&TransportKeys>,
    ids: &VerificationIds,
) -> Option<Vec<u8>> {
    let header = &view.message.header;
    build_error(
        header.csb_id,
        header.prf,
        view.t,
        errors,
        supported,
        auth,
        creds.verification_input,
        ids,
    )
    .ok()
}
