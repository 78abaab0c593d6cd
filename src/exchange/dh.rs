//! What the Diffie-Hellman methods share (RFC 3830 §3.3; RFC 4650 §3): the DH payloads, the
//! Responder's side of the agreement, the layout of the answer and the Initiator's check
//! of it. Each method adds its authenticator: SIGN (DH-SIGN) or a KEMAC MAC (DH-HMAC).
//!
//! ```text
//! I_MESSAGE = HDR, T, RAND, [IDi|CERTi], [IDr], {SP}, DHi, <auth>
//! R_MESSAGE = HDR, T, [IDr|CERTr], IDi, DHr, DHi, <auth>
//! ```
//!
//! The TGK is the shared secret g^(xi*xr) at the group's length (leading zeros kept). Its
//! Key validity is the one the Initiator put in DHi; the Responder's DHr carries the same
//! (RFC 3830 §6.4 gives each DH payload a KV and says no more; the Initiator proposes the
//! key, so its KV is the one both sides apply).

use super::{CarriedKey, Credentials, Error, InitView, Received, Sent, map_entries};
use crate::crypto::cert::{Certificate, SubjectIdentity};
use crate::crypto::dh::{DhError, DhSecret, Group};
use crate::wire::{
    Dh, DhGroup, IdType, KeyDataType, KeyValidity, Message, MessageBuilder, Payload,
};
use std::borrow::Cow;

/// The group of a DH-Group codepoint, when it is the configured one (RFC 3830 §4.2.7:
/// Error no. 6 otherwise). An elliptic curve is configured only with the ECC profile on.
pub(crate) fn configured_group(creds: &Credentials, code: DhGroup) -> Result<Group, Error> {
    match Group::from_codepoint(code.into()) {
        Some(group) if group == creds.dh_group => Ok(group),
        _ => Err(Error::UnsupportedDhGroup),
    }
}

/// A DH payload of `group` with `value` and Key validity `kv`.
pub(crate) fn dh_payload<'a>(group: Group, value: &'a [u8], kv: KeyValidity<'a>) -> Payload<'a> {
    Payload::Dh(Dh {
        group: DhGroup::from(group.codepoint()),
        value: Cow::Borrowed(value),
        reserved: 0,
        kv,
    })
}

/// The DHi of an I_MESSAGE: its one DH payload (RFC 3830 §3.3).
pub(crate) fn init_dh<'m, 'a>(message: &'m Message<'a>) -> Result<&'m Dh<'a>, Error> {
    init_dh_if_any(message)?.ok_or(Error::MissingPayload("DHi"))
}

/// The DHi of an I_MESSAGE, or `None` when it has no DH payload: an update that keeps the
/// TGK (RFC 3830 §4.5, Figure 4.1: `[DHi]`; RFC 4650 §3.1 procedure b).
pub(crate) fn init_dh_if_any<'m, 'a>(
    message: &'m Message<'a>,
) -> Result<Option<&'m Dh<'a>>, Error> {
    let mut found = message.payloads.iter().filter_map(|p| match p {
        Payload::Dh(dh) => Some(dh),
        _ => None,
    });
    match (found.next(), found.next()) {
        (dh, None) => Ok(dh),
        (_, Some(_)) => Err(Error::MissingPayload("one DH payload (DHi)")),
    }
}

/// How the ID payloads of a DH I_MESSAGE are read.
#[derive(Clone, Copy)]
pub(crate) enum Ids {
    /// `[IDi|CERTi], [IDr]` (RFC 3830 §3.3): after a CERT payload, a lone ID is IDr.
    CertNamesInitiator,
    /// `[IDi], IDr` (RFC 4650 §3): a lone ID is IDr.
    IdrRequired,
}

/// The view of a DH I_MESSAGE of `data_type` whose last two payloads are DHi and the
/// method's authenticator (`is_auth`; `named` in the error): its one DH payload checked.
pub(crate) fn view_init<'m, 'a>(
    message: &'m Message<'a>,
    data_type: crate::wire::DataType,
    is_auth: fn(&Payload<'_>) -> bool,
    named: &'static str,
    ids: Ids,
) -> Result<InitView<'m, 'a>, Error> {
    let read = super::InitPayloads::read(message, data_type)?;
    super::check_empty_map(message, &read.policies)?;
    let n = message.payloads.len();
    // An update (no RAND, RFC 3830 §4.5) may leave DHi out and keep the TGK.
    let update = read.rand.is_none();
    match (
        n.checked_sub(2).map(|i| &message.payloads[i]),
        message.payloads.last(),
    ) {
        (Some(Payload::Dh(_)), Some(auth)) if is_auth(auth) => {}
        (_, Some(auth)) if is_auth(auth) && update && init_dh_if_any(message)?.is_none() => {}
        _ => return Err(Error::MissingPayload(named)),
    }
    init_dh_if_any(message)?;
    match ids {
        Ids::CertNamesInitiator => read.into_view(true),
        Ids::IdrRequired => read.into_view_idr_required(),
    }
}

/// The TGK a DH exchange makes: the shared secret, with the Key validity of DHi.
pub(crate) fn tgk(shared: zeroize::Zeroizing<Vec<u8>>, kv: &KeyValidity<'_>) -> CarriedKey {
    CarriedKey {
        kind: KeyDataType::Tgk,
        key: shared,
        salt: None,
        kv: kv.clone().into_owned(),
    }
}

/// The Responder's side (RFC 3830 §3.3): a fresh x_r, DHi checked, the TGK g^(xi*xr).
/// Returns g^(xr) for the answer and the TGK; x_r is zeroized on return.
pub(crate) fn respond(
    creds: &Credentials,
    rng: &dyn crate::rng::Rng,
    dhi: &Dh<'_>,
) -> Result<(Vec<u8>, CarriedKey), Error> {
    let group = configured_group(creds, dhi.group)?;
    crate::crypto::dh::check_public(group, &dhi.value).map_err(Error::Dh)?;
    let secret = DhSecret::generate(group, rng).map_err(dh_error)?;
    let shared = secret.agree(&dhi.value).map_err(Error::Dh)?;
    Ok((secret.public().to_vec(), tgk(shared, &dhi.kv)))
}

/// The Initiator's secret x_i for an I_MESSAGE (RFC 3830 §3.3): the fixed exponent of the
/// offer, or a fresh one from the random source.
pub(crate) fn initiator_secret(
    creds: &Credentials,
    rng: &dyn crate::rng::Rng,
    fixed: Option<&[u8]>,
) -> Result<DhSecret, Error> {
    match fixed {
        Some(x) => DhSecret::from_exponent(creds.dh_group, x).map_err(|e| match e {
            DhError::BadSecret => Error::Config(
                "the DH secret must be the group's length, below 2^(bits-1) and at least 2",
            ),
            other => dh_error(other),
        }),
        None => DhSecret::generate(creds.dh_group, rng).map_err(dh_error),
    }
}

/// The Initiator's secret that made the DHi of `message`, an I_MESSAGE this configuration
/// sent, from its exponent (an Initiator that keeps no state between sending and
/// receiving): [`Error::Config`] for an exponent that is not the one.
pub(crate) fn reopened_secret(
    creds: &Credentials,
    message: &Message<'_>,
    exponent: Option<&[u8]>,
) -> Result<DhSecret, Error> {
    let exponent = exponent.ok_or(Error::Config(
        "a DH I_MESSAGE is reopened with the secret x_i it was sent with",
    ))?;
    let dhi = init_dh(message)?;
    let group = configured_group(creds, dhi.group)?;
    let wrong = Error::Config("this DH secret did not make the message's DHi");
    match DhSecret::from_exponent(group, exponent) {
        Ok(secret) if secret.public() == &dhi.value[..] => Ok(secret),
        Ok(_) | Err(DhError::BadSecret) => Err(wrong),
        Err(other) => Err(dh_error(other)),
    }
}

/// A DH failure as an exchange error (a failing random source is [`Error::Rng`]).
pub(crate) fn dh_error(e: DhError) -> Error {
    match e {
        DhError::Rng => Error::Rng,
        other => Error::Dh(other),
    }
}

/// The Initiator's identity the R_MESSAGE names (IDi is mandatory there, RFC 3830 §3.3;
/// RFC 4650 §3 "SHALL always include"): the IDi the I_MESSAGE sent, or the configured
/// peer identity, or the first URI or e-mail subjectAltName of the Initiator's
/// certificate.
pub(crate) fn initiator_identity(
    view: &InitView<'_, '_>,
    creds: &Credentials,
    cert: Option<&Certificate>,
) -> Result<(IdType, Vec<u8>), Error> {
    if let Some(idi) = view.idi {
        return Ok((idi.id_type, idi.data.to_vec()));
    }
    if let Some(peer) = &creds.peer_id {
        return Ok((peer.id_type, peer.data.clone()));
    }
    cert.and_then(certificate_identity)
        .ok_or(Error::MissingPayload(
            "IDi: the Initiator's identity is neither sent, configured nor in its certificate",
        ))
}

/// The first identity a certificate names that an ID payload can carry: a URI
/// subjectAltName (ID type URI) or an e-mail one (ID type NAI).
pub(crate) fn certificate_identity(cert: &Certificate) -> Option<(IdType, Vec<u8>)> {
    cert.identities().iter().find_map(|id| match id {
        SubjectIdentity::Uri(uri) => Some((IdType::Uri, uri.as_bytes().to_vec())),
        SubjectIdentity::Email(mail) => Some((IdType::Nai, mail.as_bytes().to_vec())),
        _ => None,
    })
}

/// The Responder's side of an authenticated I_MESSAGE: [`respond`] to its DHi, or nothing
/// for an update without one (the TGK stays, RFC 3830 §4.5).
pub(crate) fn respond_if_any(
    creds: &Credentials,
    rng: &dyn crate::rng::Rng,
    message: &Message<'_>,
) -> Result<Option<(Vec<u8>, CarriedKey)>, Error> {
    init_dh_if_any(message)?
        .map(|dhi| respond(creds, rng, dhi))
        .transpose()
}

/// The Responder's view of an authenticated DH I_MESSAGE: the TGK, the Initiator's
/// identity, the transport keys of DH-HMAC (none in DH-SIGN) and DHr for the answer; no
/// key and no DHr for an update that keeps the TGK.
pub(crate) fn opened(
    creds: &Credentials,
    view: &InitView<'_, '_>,
    initiator: Vec<u8>,
    answer: Option<(Vec<u8>, CarriedKey)>,
    transport: Option<std::sync::Arc<super::TransportKeys>>,
) -> super::Opened {
    let (dhr, keys) = match answer {
        Some((dhr, tgk)) => (Some(dhr), vec![tgk]),
        None => (None, Vec::new()),
    };
    let responder = creds
        .sent_local_id()
        .map(|(_, data)| data.to_vec())
        .or_else(|| view.idr.map(|i| i.data.to_vec()))
        .unwrap_or_default();
    super::Opened {
        keys,
        transport,
        ids: super::VerificationIds {
            initiator,
            responder,
        },
        peer_key: None,
        cached_key: None,
        dh_public: dhr,
    }
}

/// The start of an R_MESSAGE of `data_type` answering `view` (RFC 3830 §3.3, RFC 4650 §3):
/// HDR with the I_MESSAGE's CSB ID, PRF and map, T (the Initiator's), `responder_ids`
/// (`[IDr|CERTr]`), IDi, DHr, DHi; the method adds its authenticator. An update without
/// DHi is answered without DHr and DHi (RFC 3830 §4.5: "the Responder MUST NOT include DHr
/// or DHi").
pub(crate) fn answer_start<'a>(
    data_type: crate::wire::DataType,
    creds: &Credentials,
    view: &'a InitView<'_, 'a>,
    opened: &'a super::Opened,
    responder_ids: Vec<Payload<'a>>,
) -> Result<MessageBuilder<'a>, Error> {
    let idi_type = view
        .idi
        .map(|i| i.id_type)
        .or(creds.peer_id.as_ref().map(|i| i.id_type))
        .unwrap_or(IdType::Uri);
    let header = &view.message.header;
    let mut b = MessageBuilder::new(data_type, header.csb_id).prf(header.prf);
    for s in &view.streams {
        b = b.srtp_crypto_session(s.policy_no, s.ssrc, s.roc);
    }
    b = b.payload(Payload::Timestamp(view.t));
    for p in responder_ids {
        b = b.payload(p);
    }
    b = b.payload(super::signer::id_payload(idi_type, &opened.ids.initiator));
    match (init_dh_if_any(view.message)?, opened.dh_public.as_deref()) {
        (Some(dhi), Some(dhr)) => {
            let group = Group::from_codepoint(dhi.group.into()).ok_or(Error::UnsupportedDhGroup)?;
            b = b.payload(dh_payload(group, dhr, dhi.kv.clone()));
            b = b.payload(Payload::Dh(dhi.clone()));
        }
        (None, None) => {}
        _ => return Err(Error::Config("a DH answer needs DHr exactly when DHi came")),
    }
    Ok(b)
}

/// The payloads of an R_MESSAGE (RFC 3830 §3.3), in order, before its authenticator.
pub(crate) struct AnswerParts<'m, 'a> {
    /// The Responder's IDr payload, if sent.
    pub idr: Option<(IdType, &'m [u8])>,
    /// IDi.
    pub idi: (IdType, &'m [u8]),
    /// DHr and DHi (echoed); `None` in the answer to an update without DHi (RFC 3830
    /// §4.5).
    pub dh: Option<(&'m Dh<'a>, &'m Dh<'a>)>,
}

/// Reads `..., [IDr|CERTr], IDi, DHr, DHi, <auth>` (or `..., [IDr|CERTr], IDi, <auth>`,
/// answering an update without DHi) from an R_MESSAGE whose last payload is the
/// authenticator.
pub(crate) fn answer_parts<'m, 'a>(message: &'m Message<'a>) -> Result<AnswerParts<'m, 'a>, Error> {
    let p = &message.payloads;
    let n = p.len();
    let at = |back: usize| n.checked_sub(back).map(|i| &p[i]);
    let (idi, dh, idr_at) = match (at(4), at(3), at(2)) {
        (Some(Payload::Id(idi)), Some(Payload::Dh(dhr)), Some(Payload::Dh(dhi))) => {
            (idi, Some((dhr, dhi)), 5)
        }
        (_, _, Some(Payload::Id(idi))) => (idi, None, 3),
        _ => {
            return Err(Error::MissingPayload(
                "IDi, DHr, DHi before the authenticator",
            ));
        }
    };
    let idr = match at(idr_at) {
        Some(Payload::Id(idr)) => Some((idr.id_type, &idr.data[..])),
        _ => None,
    };
    Ok(AnswerParts {
        idr,
        idi: (idi.id_type, &idi.data[..]),
        dh,
    })
}

/// The Initiator's checks of an authenticated R_MESSAGE (RFC 3830 §3.3) and its keys: IDi
/// is this Initiator, DHi is the one it sent, DHr is a usable value of the same group;
/// TGK = DHr^(xi). The answer to an update without DHi has no DH payload and no key: the
/// TGK stays (§4.5). `responder` is the Responder's authenticated identity.
pub(crate) fn received(
    creds: &Credentials,
    message: &Message<'_>,
    parts: &AnswerParts<'_, '_>,
    csb_id: u32,
    sent: &Sent,
    responder: Vec<u8>,
) -> Result<Received, Error> {
    let local = creds
        .local_id
        .as_ref()
        .ok_or(Error::Config("a DH Initiator needs its identity"))?;
    if parts.idi.0 != local.id_type || parts.idi.1 != local.data.as_slice() {
        return Err(Error::IdentityMismatch);
    }
    let keys = match (sent.keeps_tgk, parts.dh) {
        (true, None) => Vec::new(),
        (true, Some(_)) => {
            return Err(Error::BadAnswer(
                "DHr and DHi answering an update without DHi (RFC 3830 §4.5: the Responder \
                 MUST NOT include them)",
            ));
        }
        (false, None) => {
            return Err(Error::MissingPayload(
                "DHr and DHi: the I_MESSAGE carried DHi (RFC 3830 §3.3, §4.5)",
            ));
        }
        (false, Some((dhr, dhi))) => {
            let secret = sent.dh_secret.as_ref().ok_or(Error::WrongState)?;
            let group = secret.group();
            if dhi.group != DhGroup::from(group.codepoint()) || dhi.value[..] != *secret.public() {
                return Err(Error::BadAnswer(
                    "the DHi of the answer is not the Initiator's (RFC 3830 §3.3)",
                ));
            }
            if dhr.group != dhi.group {
                return Err(Error::UnsupportedDhGroup);
            }
            let shared = secret.agree(&dhr.value).map_err(Error::Dh)?;
            vec![tgk(shared, &dhi.kv)]
        }
    };
    Ok(Received {
        keys,
        key_rand: sent.rand.clone().unwrap_or_default(),
        key_csb_id: csb_id,
        streams: map_entries(message)?,
        policies: Vec::new(),
        responder,
    })
}
