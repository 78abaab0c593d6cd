//! The pre-shared key method (RFC 3830 §3.1, §5) and its NULL variant (§4.2.3, §4.2.4),
//! message by message:
//!
//! ```text
//! Initiator                                Responder
//! I_MESSAGE = HDR, T, RAND, [IDi|CERTi], [IDr], {SP}, KEMAC  --->
//!                         <---  R_MESSAGE = HDR, T, [IDr], V   (when V = 1)
//!                         <---  Error = HDR, T, {ERR}, {SP}, [V]
//! ```
//!
//! Updates (§4.5) are I_MESSAGEs for the same CSB without RAND. The transport keys derive
//! from the pre-shared key (§4.1.4); the KEMAC MAC covers the whole message (§5.2).

use super::kemac::last_kemac;
use super::verification::{self, seal};
use super::{
    Answer, CarriedKey, Context, Credentials, Error, InitPayloads, InitView, Method, Mode, Offer,
    Opened, Received, Refused, Sent, TransportKeys, VerificationIds, check_empty_map, kemac,
};
use crate::crypto::prf::Inkey;
use crate::wire::{
    DataType, EncrAlg, ErrorNo, Id, Kemac, MacAlg, Message, MessageBuilder, Payload, Rand,
    SecurityPolicy,
};
use std::borrow::Cow;
use std::sync::Arc;

/// The PSK and NULL methods (RFC 3830 §3.1).
pub(crate) struct Psk;

impl Method for Psk {
    fn build_init(
        &self,
        creds: &Credentials,
        ctx: &Context<'_>,
        o: &Offer<'_>,
    ) -> Result<(Vec<u8>, Sent), Error> {
        // An update keyed with a cached envelope key (§4.5) of a PK configuration whose
        // KEMAC has the NULL MAC (AES-KW, §4.2.3) is a PSK message, which needs a MAC: the
        // mandatory one (§4.2.4).
        let mac_alg = match (ctx.cached_key, creds.mac_alg) {
            (Some(_), MacAlg::Null) => MacAlg::HmacSha1_160,
            (_, alg) => alg,
        };
        let tk = TransportKeys::derive(
            o.prf,
            inkey(creds, ctx),
            o.csb_id,
            o.rand,
            creds.encr_alg,
            mac_alg,
        )?;
        let encr_data = kemac::seal_keys(&tk, o.csb_id, &o.t, None, o.keys)?;
        let mut b = MessageBuilder::new(DataType::PreShared, o.csb_id)
            .v(o.v)
            .prf(o.prf);
        if o.empty_map {
            b = b.empty_map(o.streams.len() as u8);
        } else {
            for s in o.streams {
                b = b.srtp_crypto_session(s.policy_no, s.ssrc, s.roc);
            }
        }
        b = b.payload(Payload::Timestamp(o.t));
        if o.send_rand {
            b = b.payload(Payload::Rand(Rand {
                rand: Cow::Borrowed(o.rand),
            }));
        }
        for (id_type, data) in [creds.sent_local_id(), creds.sent_peer_id()]
            .into_iter()
            .flatten()
        {
            b = b.payload(Payload::Id(Id {
                id_type,
                data: Cow::Borrowed(data),
            }));
        }
        for sp in &o.policies {
            b = b.payload(Payload::SecurityPolicy(sp.clone()));
        }
        for ext in super::offer_extensions(o) {
            b = b.payload(ext);
        }
        b = b.payload(Payload::Kemac(Kemac {
            encr_alg: tk.encr_alg(),
            encr_data: Cow::Owned(encr_data),
            mac_alg: tk.mac_alg(),
            mac: Cow::Owned(vec![0; tk.tag_len()]),
        }));
        // §5.2: the MAC covers the whole message up to and including the Mac alg byte.
        let bytes = seal(b.build()?.encode()?, &tk, &[])?;
        let ids = match ctx.cached_key {
            Some(cached) => cached.ids.clone(),
            None => VerificationIds {
                initiator: creds
                    .local_id
                    .as_ref()
                    .map_or(Vec::new(), |i| i.data.clone()),
                responder: creds
                    .peer_id
                    .as_ref()
                    .map_or(Vec::new(), |i| i.data.clone()),
            },
        };
        Ok((
            bytes,
            Sent {
                t: o.t,
                ids,
                transport: Some(Arc::new(tk)),
                rand: o.send_rand.then(|| o.rand.to_vec()),
                cached_key: None,
                dh_secret: None,
                keeps_tgk: false,
            },
        ))
    }

    fn reopen_init<'m, 'a>(
        &self,
        creds: &Credentials,
        bytes: &[u8],
        message: &'m Message<'a>,
        _envelope_key: Option<&[u8]>,
    ) -> Result<(InitView<'m, 'a>, Vec<CarriedKey>, Sent), Error> {
        let view = self.view_init(message)?;
        let rand = view.rand.ok_or(Error::MissingPayload("RAND"))?;
        let kemac = last_kemac(message)?;
        if (kemac.encr_alg == EncrAlg::Null) != (creds.mode == Mode::Null) {
            return Err(Error::UnsupportedEncryption);
        }
        let (tk, keys) = open_with_psk(creds.psk.as_ref(), bytes, &view, rand)?;
        let ids = VerificationIds {
            initiator: view
                .idi
                .map(|i| i.data.to_vec())
                .or_else(|| creds.local_id.as_ref().map(|i| i.data.clone()))
                .unwrap_or_default(),
            responder: view
                .idr
                .map(|i| i.data.to_vec())
                .or_else(|| creds.peer_id.as_ref().map(|i| i.data.clone()))
                .unwrap_or_default(),
        };
        let sent = Sent {
            t: view.t,
            ids,
            transport: Some(Arc::new(tk)),
            rand: view.rand.map(<[u8]>::to_vec),
            cached_key: None,
            dh_secret: None,
            keeps_tgk: false,
        };
        Ok((view, keys, sent))
    }

    fn check_answer(
        &self,
        creds: &Credentials,
        _ctx: &Context<'_>,
        bytes: &[u8],
        message: &Message<'_>,
        csb_id: u32,
        sent: &Sent,
    ) -> Result<Option<Received>, Error> {
        verification::check_v_answer(
            DataType::PskVerification,
            creds,
            bytes,
            message,
            csb_id,
            sent,
        )
        .map(|()| None)
    }

    fn view_init<'m, 'a>(&self, message: &'m Message<'a>) -> Result<InitView<'m, 'a>, Error> {
        let read = InitPayloads::read(message, DataType::PreShared)?;
        check_empty_map(message, &read.policies)?;
        last_kemac(message)?;
        read.into_view(false)
    }

    fn check_algorithms(
        &self,
        creds: &Credentials,
        ctx: &Context<'_>,
        view: &InitView<'_, '_>,
    ) -> Result<(), Error> {
        let kemac = last_kemac(view.message)?;
        // NULL algorithms only in NULL mode (RFC 3830 §4.2.3, §4.2.4).
        let null_ok = creds.mode == Mode::Null && ctx.cached_key.is_none();
        let (encr, mac) = (kemac.encr_alg, kemac.mac_alg);
        match encr {
            EncrAlg::Null if !null_ok || mac != MacAlg::Null => {
                return Err(Error::UnsupportedEncryption);
            }
            EncrAlg::Null | EncrAlg::AesCm128 | EncrAlg::AesKw128 | EncrAlg::AesCm256 => {}
            EncrAlg::Unknown(_) => return Err(Error::UnsupportedEncryption),
        }
        match mac {
            MacAlg::Null if encr != EncrAlg::Null => return Err(Error::UnsupportedMac),
            MacAlg::Unknown(_) => return Err(Error::UnsupportedMac),
            _ => {}
        }
        if encr != EncrAlg::Null && inkey(creds, ctx).is_none() {
            return Err(Error::UnsupportedEncryption);
        }
        Ok(())
    }

    fn open_init(
        &self,
        creds: &Credentials,
        ctx: &Context<'_>,
        bytes: &[u8],
        view: &InitView<'_, '_>,
        rand: &[u8],
    ) -> Result<Opened, Refused> {
        let kemac = last_kemac(view.message)?;
        let header = &view.message.header;
        let tk = TransportKeys::derive(
            header.prf,
            inkey(creds, ctx),
            header.csb_id,
            rand,
            kemac.encr_alg,
            kemac.mac_alg,
        )?;
        let tk = Arc::new(tk);
        // After the MAC verified, a refusal is reported authenticated.
        let authenticated = |error: Error| Refused {
            transport: (error != Error::AuthFailed).then(|| Arc::clone(&tk)),
            error,
            initiator_id: None,
        };
        let keys = open_kemac(bytes, view, kemac, &tk).map_err(&authenticated)?;
        let ids = match ctx.cached_key {
            // An update keyed with the cached envelope key (§4.5) comes from the Initiator
            // the PK exchange authenticated: a clear IDi must be that one.
            Some(cached) => {
                if view
                    .idi
                    .is_some_and(|i| i.data[..] != cached.ids.initiator[..])
                {
                    return Err(authenticated(Error::IdentityMismatch));
                }
                cached.ids.clone()
            }
            None => responder_ids(creds, view),
        };
        Ok(Opened {
            keys,
            ids,
            transport: Some(tk),
            peer_key: None,
            cached_key: None,
            dh_public: None,
        })
    }

    fn build_answer(
        &self,
        creds: &Credentials,
        _ctx: &Context<'_>,
        view: &InitView<'_, '_>,
        opened: &Opened,
        _answer: &Answer<'_>,
    ) -> Result<Option<Vec<u8>>, Error> {
        verification::answer_v(DataType::PskVerification, creds, view, opened)
    }

    fn build_error(
        &self,
        creds: &Credentials,
        view: &InitView<'_, '_>,
        errors: &[ErrorNo],
        supported: Vec<SecurityPolicy<'static>>,
        auth: Option<&TransportKeys>,
        initiator_id: Option<&[u8]>,
    ) -> Option<Vec<u8>> {
        // An Error message carries no ID payload, so its V MAC takes the identities as
        // the Initiator knows them: the IDr it sent, if any (it may name another
        // Responder, which is what an Error no. 7 reports), and the IDi the message
        // authenticated (an update keyed with a cached envelope key: the PK exchange's).
        let ids = responder_ids(creds, view);
        let ids = VerificationIds {
            responder: view.idr.map(|i| i.data.to_vec()).unwrap_or(ids.responder),
            initiator: initiator_id.map_or(ids.initiator, <[u8]>::to_vec),
        };
        verification::answer_error(creds, view, errors, supported, auth, &ids)
    }
}

/// The inkey of the transport keys (§4.1.4): the envelope key cached for the CSB an update
/// is for (§4.5), else the pre-shared key.
fn inkey<'k>(creds: &'k Credentials, ctx: &Context<'k>) -> Option<&'k Inkey> {
    ctx.cached_key
        .map(|cached| &cached.inkey)
        .or(creds.psk.as_ref())
}

/// The identities of the Responder's verification MAC: IDi as sent (or the configured
/// peer), IDr as the Responder sends it (or as the Initiator named it, or configured).
fn responder_ids(creds: &Credentials, view: &InitView<'_, '_>) -> VerificationIds {
    VerificationIds {
        initiator: view
            .idi
            .map(|i| i.data.to_vec())
            .or_else(|| creds.peer_id.as_ref().map(|i| i.data.clone()))
            .unwrap_or_default(),
        responder: creds
            .sent_local_id()
            .map(|(_, data)| data.to_vec())
            .or_else(|| view.idr.map(|i| i.data.to_vec()))
            .or_else(|| creds.local_id.as_ref().map(|i| i.data.clone()))
            .unwrap_or_default(),
    }
}

/// Verifies the KEMAC MAC of a received I_MESSAGE (`bytes` as received: §5.2, the MAC
/// covers everything before it) and decrypts its Key data chain.
fn open_kemac(
    bytes: &[u8],
    view: &InitView<'_, '_>,
    kemac: &Kemac<'_>,
    tk: &TransportKeys,
) -> Result<Vec<CarriedKey>, Error> {
    let tag = &kemac.mac[..];
    let covered = bytes
        .len()
        .checked_sub(tag.len())
        .ok_or(Error::AuthFailed)?;
    tk.verify(&[&bytes[..covered]], tag)?;
    let (_, keys) = kemac::open_keys(
        tk,
        view.message.header.csb_id,
        &view.t,
        &kemac.encr_data,
        false,
    )?;
    if keys.is_empty() && view.rand.is_some() {
        return Err(Error::BadKeyData("no key in an initial message"));
    }
    Ok(keys)
}

/// The transport keys of a received I_MESSAGE (from `psk`, its CSB ID and `rand`, for its
/// KEMAC algorithms) and its verified, decrypted keys (RFC 3830 §4.1.4, §5.2).
fn open_with_psk(
    psk: Option<&Inkey>,
    bytes: &[u8],
    view: &InitView<'_, '_>,
    rand: &[u8],
) -> Result<(TransportKeys, Vec<CarriedKey>), Error> {
    let kemac = last_kemac(view.message)?;
    let tk = TransportKeys::derive(
        view.message.header.prf,
        psk,
        view.message.header.csb_id,
        rand,
        kemac.encr_alg,
        kemac.mac_alg,
    )?;
    let keys = open_kemac(bytes, view, kemac, &tk)?;
    Ok((tk, keys))
}

/// Opens a PSK or NULL-mode I_MESSAGE with the pre-shared key (RFC 3830 §5.2): verifies
/// the KEMAC MAC, then decrypts the Key data chain. `rand` is needed only for an update
/// (§4.5), which carries no RAND. The message is parsed within `limits`. The timestamp
/// and replays are not checked: this is for inspecting a message (`mikey decode --psk`),
/// not for accepting its keys — a session does that.
pub fn open_i_message(
    psk: Option<&[u8]>,
    bytes: &[u8],
    rand: Option<&[u8]>,
    limits: &crate::wire::Limits,
) -> Result<Vec<CarriedKey>, Error> {
    let message = Message::parse_with_limits(bytes, limits)?;
    let view = Psk.view_init(&message)?;
    let rand = view.rand.or(rand).ok_or(Error::MissingPayload(
        "RAND (an update needs the RAND of its CSB)",
    ))?;
    let psk = psk.map(Inkey::new);
    Ok(open_with_psk(psk.as_ref(), bytes, &view, rand)?.1)
}
