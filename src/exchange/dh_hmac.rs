//! The HMAC-authenticated Diffie-Hellman method, DH-HMAC (RFC 4650):
//!
//! ```text
//! Initiator                                Responder
//! I_MESSAGE = HDR, T, RAND, [IDi], IDr, {SP}, DHi, KEMAC  --->
//!                 <---  R_MESSAGE = HDR, T, [IDr], IDi, DHr, DHi, KEMAC
//! ```
//!
//! The KEMAC carries no key (Encr alg NULL, no Encr data, §4.2): its MAC authenticates the
//! whole message but the MAC field (§3, RFC 3830 §5.2), with the auth_key derived from the
//! pre-shared key, the CSB ID and the I_MESSAGE's RAND (RFC 3830 §4.1.4; RFC 4650 §1.1
//! points to a "section 4.1.5" RFC 3830 does not have, and this is the derivation that
//! fits). The TGK is g^(xi*xr) (see [`super::dh`]).
//!
//! Codepoints are RFC 3830's and IANA's: Encr alg NULL is 0 and HMAC-SHA-1-160 is 1. RFC
//! 4650 §4.2 writes "Encr alg SHALL be set to 2 (NULL)" and lists HMAC-SHA-1 as 0 and NULL
//! as 1, the reverse of the registry. Those values are not accepted: with Mac alg 0 the
//! KEMAC's MAC field is empty (RFC 3830 Table 6.2.b), so a message written by that table
//! does not even parse, and Encr alg 2 is AES-KW, which §4.2 forbids for DH-HMAC.

use super::dh::{self, answer_parts, answer_start, configured_group, dh_payload, init_dh_if_any};
use super::kemac::last_kemac;
use super::{
    Answer, CarriedKey, Context, Credentials, Error, InitView, Method, Offer, Opened, Received,
    Refused, Sent, TransportKeys, VerificationIds, verification,
};
use crate::wire::{
    DataType, EncrAlg, ErrorNo, Kemac, MacAlg, Message, MessageBuilder, Payload, PrfFunc,
    SecurityPolicy,
};
use std::borrow::Cow;
use std::sync::Arc;

/// The DH-HMAC method (RFC 4650).
pub(crate) struct DhHmac;

impl Method for DhHmac {
    fn build_init(
        &self,
        creds: &Credentials,
        ctx: &Context<'_>,
        o: &Offer<'_>,
    ) -> Result<(Vec<u8>, Sent), Error> {
        let idi = creds.local_id.as_ref().ok_or(Error::Config(
            "DH-HMAC needs the local identity: the answer names the Initiator (IDi, RFC 4650 §3)",
        ))?;
        let idr = creds.peer_id.as_ref().ok_or(Error::Config(
            "DH-HMAC needs the peer identity: \"the initiator SHALL always include the \
             recipient's identity\" (RFC 4650 §3)",
        ))?;
        let tk = auth_keys(creds, o.prf, o.csb_id, o.rand)?;
        // An update may leave DHi out and keep the TGK (RFC 3830 §4.5).
        let secret = o
            .new_dh
            .then(|| dh::initiator_secret(creds, ctx.rng, o.dh_exponent))
            .transpose()?;
        let mut b = MessageBuilder::new(DataType::DhHmacInit, o.csb_id).prf(o.prf);
        for s in o.streams {
            b = b.srtp_crypto_session(s.policy_no, s.ssrc, s.roc);
        }
        b = b.payload(Payload::Timestamp(o.t));
        if o.send_rand {
            b = b.payload(Payload::Rand(crate::wire::Rand {
                rand: Cow::Borrowed(o.rand),
            }));
        }
        if creds.send_ids {
            b = b.payload(super::signer::id_payload(idi.id_type, &idi.data));
        }
        b = b.payload(super::signer::id_payload(idr.id_type, &idr.data));
        for sp in &o.policies {
            b = b.payload(Payload::SecurityPolicy(sp.clone()));
        }
        for ext in super::offer_extensions(o) {
            b = b.payload(ext);
        }
        if let Some(secret) = &secret {
            b = b.payload(dh_payload(creds.dh_group, secret.public(), o.dh_kv.clone()));
        }
        b = b.payload(mac_kemac(&tk));
        let bytes = verification::seal(b.build()?.encode()?, &tk, &[])?;
        Ok((
            bytes,
            Sent {
                t: o.t,
                ids: VerificationIds {
                    initiator: idi.data.clone(),
                    responder: idr.data.clone(),
                },
                transport: Some(Arc::new(tk)),
                rand: o.send_rand.then(|| o.rand.to_vec()),
                cached_key: None,
                keeps_tgk: secret.is_none(),
                dh_secret: secret.map(Arc::new),
            },
        ))
    }

    fn reopen_init<'m, 'a>(
        &self,
        creds: &Credentials,
        bytes: &[u8],
        message: &'m Message<'a>,
        secret: Option<&[u8]>,
    ) -> Result<(InitView<'m, 'a>, Vec<CarriedKey>, Sent), Error> {
        let secret = dh::reopened_secret(creds, message, secret)?;
        let view = self.view_init(message)?;
        let rand = view.rand.ok_or(Error::MissingPayload("RAND"))?;
        let header = &message.header;
        let kemac = last_kemac(message)?;
        let tk = TransportKeys::derive(
            header.prf,
            creds.psk.as_ref(),
            header.csb_id,
            rand,
            EncrAlg::Null,
            kemac.mac_alg,
        )?;
        verify(bytes, message, &tk)?;
        // As build_init has them: the configured identities.
        let ids = VerificationIds {
            initiator: creds
                .local_id
                .as_ref()
                .map_or(Vec::new(), |i| i.data.clone()),
            responder: creds
                .peer_id
                .as_ref()
                .map_or(Vec::new(), |i| i.data.clone()),
        };
        let sent = Sent {
            t: view.t,
            ids,
            transport: Some(Arc::new(tk)),
            rand: Some(rand.to_vec()),
            cached_key: None,
            dh_secret: Some(Arc::new(secret)),
            keeps_tgk: false,
        };
        Ok((view, Vec::new(), sent))
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
        let header = &message.header;
        match header.data_type {
            DataType::DhHmacResp => {}
            // RFC 3830 §5.1.2: an Error message; a hint, unless a peer added a V payload
            // that verifies with the auth_key (RFC 4650 §4.1 leaves V out; ours have none).
            DataType::Error => {
                return verification::check_v_answer(
                    DataType::DhHmacResp,
                    creds,
                    bytes,
                    message,
                    csb_id,
                    sent,
                )
                .map(|()| None);
            }
            other => return Err(Error::UnexpectedMessage(other)),
        }
        if header.csb_id != csb_id {
            return Err(Error::CsbMismatch);
        }
        let tk = sent
            .transport
            .as_ref()
            .ok_or(Error::Config("no transport keys"))?;
        verify(bytes, message, tk)?;
        let parts = answer_parts(message)?;
        let t = message.timestamp().ok_or(Error::MissingPayload("T"))?;
        if *t != sent.t {
            return Err(Error::TimestampMismatch);
        }
        let peer = creds
            .peer_id
            .as_ref()
            .ok_or(Error::Config("no peer identity"))?;
        if let Some((id_type, data)) = parts.idr {
            if id_type != peer.id_type || data != peer.data.as_slice() {
                return Err(Error::IdentityMismatch);
            }
        }
        dh::received(creds, message, &parts, csb_id, sent, peer.data.clone()).map(Some)
    }

    fn keys_in_answer(&self) -> bool {
        true
    }

    fn view_init<'m, 'a>(&self, message: &'m Message<'a>) -> Result<InitView<'m, 'a>, Error> {
        dh::view_init(
            message,
            DataType::DhHmacInit,
            |p| matches!(p, Payload::Kemac(_)),
            "DHi and KEMAC at the end",
            dh::Ids::IdrRequired,
        )
    }

    fn check_algorithms(
        &self,
        creds: &Credentials,
        _ctx: &Context<'_>,
        view: &InitView<'_, '_>,
    ) -> Result<(), Error> {
        let kemac = last_kemac(view.message)?;
        // §4.2: "KEMAC SHALL not convey any encrypted data; thus, Encr alg SHALL be set
        // to ... NULL".
        if kemac.encr_alg != EncrAlg::Null || !kemac.encr_data.is_empty() {
            return Err(Error::UnsupportedEncryption);
        }
        // The NULL MAC would leave the DH values unauthenticated (a man in the middle).
        if !matches!(kemac.mac_alg, MacAlg::HmacSha1_160 | MacAlg::HmacSha256_256) {
            return Err(Error::UnsupportedMac);
        }
        if creds.psk.is_none() {
            return Err(Error::UnsupportedEncryption);
        }
        if let Some(dhi) = init_dh_if_any(view.message)? {
            configured_group(creds, dhi.group)?;
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
        let message = view.message;
        let kemac = last_kemac(message)?;
        let header = &message.header;
        let tk = Arc::new(TransportKeys::derive(
            header.prf,
            creds.psk.as_ref(),
            header.csb_id,
            rand,
            EncrAlg::Null,
            kemac.mac_alg,
        )?);
        verify(bytes, message, &tk)?;
        // Authenticated from here on: a refusal is answered with a V made with the keys.
        let authenticated = |error: Error| Refused {
            error,
            transport: Some(Arc::clone(&tk)),
            initiator_id: None,
        };
        let idi = dh::initiator_identity(view, creds, None).map_err(authenticated)?;
        let answer = dh::respond_if_any(creds, ctx.rng, message).map_err(authenticated)?;
        Ok(dh::opened(creds, view, idi.1, answer, Some(tk)))
    }

    fn build_answer(
        &self,
        creds: &Credentials,
        _ctx: &Context<'_>,
        view: &InitView<'_, '_>,
        opened: &Opened,
        _answer: &Answer<'_>,
    ) -> Result<Option<Vec<u8>>, Error> {
        let tk = opened
            .transport
            .as_ref()
            .ok_or(Error::Config("no transport keys"))?;
        // §3: IDr is RECOMMENDED in the answer.
        let idr = creds
            .sent_local_id()
            .map(|(id_type, data)| super::signer::id_payload(id_type, data))
            .into_iter()
            .collect();
        let b = answer_start(DataType::DhHmacResp, creds, view, opened, idr)?;
        let bytes = b.payload(mac_kemac(tk)).build()?.encode()?;
        verification::seal(bytes, tk, &[]).map(Some)
    }

    fn build_error(
        &self,
        creds: &Credentials,
        view: &InitView<'_, '_>,
        errors: &[ErrorNo],
        supported: Vec<SecurityPolicy<'static>>,
        _auth: Option<&TransportKeys>,
        _initiator_id: Option<&[u8]>,
    ) -> Option<Vec<u8>> {
        // RFC 4650 §4.1 lists the payloads of DH-HMAC and says "Other defined next payload
        // values defined in [2] SHALL not be applied to DHHMAC": V (9) is not among them,
        // so an Error message is sent without one (RFC 3830 §5.1.2 makes V optional): a
        // hint to the Initiator, never authenticated, so no identities enter it.
        let none = VerificationIds::default();
        verification::answer_error(creds, view, errors, supported, None, &none)
    }
}

/// The transport keys of an exchange: only the auth_key is used (RFC 3830 §4.1.4).
fn auth_keys(
    creds: &Credentials,
    prf: PrfFunc,
    csb_id: u32,
    rand: &[u8],
) -> Result<TransportKeys, Error> {
    TransportKeys::derive(
        prf,
        creds.psk.as_ref(),
        csb_id,
        rand,
        EncrAlg::Null,
        creds.mac_alg,
    )
}

/// The KEMAC of a DH-HMAC message (§4.2): no encrypted data, the MAC to fill.
fn mac_kemac(tk: &TransportKeys) -> Payload<'static> {
    Payload::Kemac(Kemac {
        encr_alg: EncrAlg::Null,
        encr_data: Cow::Borrowed(&[]),
        mac_alg: tk.mac_alg(),
        mac: Cow::Owned(vec![0; tk.tag_len()]),
    })
}

/// Verifies the KEMAC MAC of a DH-HMAC message: over the whole message but the MAC field
/// (§3, §4.2), with `tk`'s auth_key and MAC algorithm.
fn verify(bytes: &[u8], message: &Message<'_>, tk: &TransportKeys) -> Result<(), Error> {
    let kemac = last_kemac(message)?;
    if kemac.mac_alg != tk.mac_alg() || kemac.encr_alg != EncrAlg::Null {
        return Err(Error::AuthFailed);
    }
    let covered = bytes
        .len()
        .checked_sub(kemac.mac.len())
        .ok_or(Error::AuthFailed)?;
    tk.verify(&[&bytes[..covered]], &kemac.mac)
}
