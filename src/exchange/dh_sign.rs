//! The Diffie-Hellman method with signatures, DH-SIGN (RFC 3830 §3.3, §4.2.7, §5.2, §6.4):
//!
//! ```text
//! Initiator                                Responder
//! I_MESSAGE = HDR, T, RAND, [IDi|CERTi], [IDr], {SP}, DHi, SIGNi  --->
//!               <---  R_MESSAGE = HDR, T, [IDr|CERTr], IDi, DHr, DHi, SIGNr
//! ```
//!
//! Each side signs its whole message except the Signature field (§5.2) with its RSA key;
//! the TGK is g^(xi*xr) (see [`super::dh`]). The answer is always sent: it carries the
//! Responder's half of the key. Forked requests (RFC 5197 §5.2) give each Responder's
//! answer its own TGK.

use super::dh::{self, answer_parts, answer_start, configured_group, dh_payload, init_dh_if_any};
use super::signed_error::{self, Coverage};
use super::signer::{
    bind_identity, blank_sign, fill_signature, identity_payloads, message_chain, peer_certificate,
    signature_len, signed_init_start, verify_message_signature,
};
use super::{
    Answer, CarriedKey, Context, Credentials, Error, InitView, Method, Offer, Opened, Received,
    Refused, Sent, TransportKeys, VerificationIds,
};
use crate::crypto::cert::CertUsage;
use crate::wire::{DataType, ErrorNo, Message, Payload, SecurityPolicy, Sign};
use std::sync::Arc;

/// The DH-SIGN method (RFC 3830 §3.3).
pub(crate) struct DhSign;

impl Method for DhSign {
    fn build_init(
        &self,
        creds: &Credentials,
        ctx: &Context<'_>,
        o: &Offer<'_>,
    ) -> Result<(Vec<u8>, Sent), Error> {
        let idi = creds.local_id.as_ref().ok_or(Error::Config(
            "DH-SIGN needs the local identity: the answer names the Initiator (IDi, RFC 3830 \
             §3.3)",
        ))?;
        // An update may leave DHi out and keep the TGK (RFC 3830 §4.5).
        let secret = o
            .new_dh
            .then(|| dh::initiator_secret(creds, ctx.rng, o.dh_exponent))
            .transpose()?;
        // The V flag asks for a verification message, which DH has none of: the answer
        // is always sent (§3.3).
        let mut b = signed_init_start(DataType::DhInit, false, creds, o);
        if let Some(secret) = &secret {
            b = b.payload(dh_payload(creds.dh_group, secret.public(), o.dh_kv.clone()));
        }
        b = b.payload(blank_sign(creds)?);
        let bytes = b.build()?.encode()?;
        let sig_start = bytes.len() - signature_len(creds)?;
        let bytes = fill_signature(creds, bytes, sig_start, &[])?;
        let ids = VerificationIds {
            initiator: idi.data.clone(),
            responder: creds
                .peer_id
                .as_ref()
                .map_or(Vec::new(), |i| i.data.clone()),
        };
        Ok((
            bytes,
            Sent {
                t: o.t,
                ids,
                transport: None,
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
        _bytes: &[u8],
        message: &'m Message<'a>,
        secret: Option<&[u8]>,
    ) -> Result<(InitView<'m, 'a>, Vec<CarriedKey>, Sent), Error> {
        // The exponent made the message's DHi: that ties the message to this Initiator.
        let secret = dh::reopened_secret(creds, message, secret)?;
        let view = self.view_init(message)?;
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
            transport: None,
            rand: view.rand.map(<[u8]>::to_vec),
            cached_key: None,
            dh_secret: Some(Arc::new(secret)),
            keeps_tgk: false,
        };
        Ok((view, Vec::new(), sent))
    }

    fn check_answer(
        &self,
        creds: &Credentials,
        ctx: &Context<'_>,
        bytes: &[u8],
        message: &Message<'_>,
        csb_id: u32,
        sent: &Sent,
    ) -> Result<Option<Received>, Error> {
        let header = &message.header;
        match header.data_type {
            DataType::DhResp => {}
            DataType::Error => {
                return Err(signed_error::read(
                    creds,
                    ctx,
                    bytes,
                    message,
                    csb_id,
                    sent,
                    Coverage::Message,
                ));
            }
            other => return Err(Error::UnexpectedMessage(other)),
        }
        if header.csb_id != csb_id {
            return Err(Error::CsbMismatch);
        }
        let sign = last_sign(message)?;
        let parts = answer_parts(message)?;
        // §3.3: "The timestamp that is included in the answer is the same as the one
        // included in the Initiator's message."
        let t = message.timestamp().ok_or(Error::MissingPayload("T"))?;
        if *t != sent.t {
            return Err(Error::TimestampMismatch);
        }
        // SIGNr with the Responder's authenticated certificate (§5.2, §5.3).
        let cert = peer_certificate(
            creds,
            message_chain(creds, message)?,
            ctx.now_unix,
            CertUsage::Signing,
        )?;
        verify_message_signature(creds.ecc_profile, &cert, sign, bytes)?;
        if let Some((id_type, data)) = parts.idr {
            bind_identity(creds, &cert, id_type, data)?;
        }
        // The Responder is the configured one (a forking Initiator takes any its anchors
        // vouch for, RFC 5197 §5.2).
        let responder = match (&creds.peer_id, parts.idr) {
            (Some(expected), _) if !creds.rsa_r.forking => {
                bind_identity(creds, &cert, expected.id_type, &expected.data)?;
                if let Some((id_type, data)) = parts.idr {
                    if id_type != expected.id_type || data != expected.data.as_slice() {
                        return Err(Error::IdentityMismatch);
                    }
                }
                expected.data.clone()
            }
            (_, Some((_, data))) => data.to_vec(),
            (_, None) => dh::certificate_identity(&cert)
                .map(|(_, id)| id)
                .unwrap_or_default(),
        };
        dh::received(creds, message, &parts, csb_id, sent, responder).map(Some)
    }

    fn keys_in_answer(&self) -> bool {
        true
    }

    fn view_init<'m, 'a>(&self, message: &'m Message<'a>) -> Result<InitView<'m, 'a>, Error> {
        dh::view_init(
            message,
            DataType::DhInit,
            |p| matches!(p, Payload::Sign(_)),
            "DHi and SIGNi at the end",
            dh::Ids::CertNamesInitiator,
        )
    }

    fn check_algorithms(
        &self,
        creds: &Credentials,
        _ctx: &Context<'_>,
        view: &InitView<'_, '_>,
    ) -> Result<(), Error> {
        if let Some(dhi) = init_dh_if_any(view.message)? {
            configured_group(creds, dhi.group)?;
        }
        super::signer::signature_len(creds).map(|_| ())
    }

    fn open_init(
        &self,
        creds: &Credentials,
        ctx: &Context<'_>,
        bytes: &[u8],
        view: &InitView<'_, '_>,
        _rand: &[u8],
    ) -> Result<Opened, Refused> {
        let message = view.message;
        let sign = last_sign(message)?;
        // 1. SIGNi, with the Initiator's authenticated certificate (§5.2, §5.3).
        let cert = peer_certificate(
            creds,
            message_chain(creds, message)?,
            ctx.now_unix,
            CertUsage::Signing,
        )?;
        verify_message_signature(creds.ecc_profile, &cert, sign, bytes)?;
        let idi = dh::initiator_identity(view, creds, Some(&cert))?;
        bind_identity(creds, &cert, idi.0, &idi.1)?;
        // 2. DHi and the TGK (§3.3). From here on the message is authenticated.
        let answer = dh::respond_if_any(creds, ctx.rng, message).map_err(|error| Refused {
            error,
            transport: None,
            initiator_id: Some(idi.1.clone()),
        })?;
        Ok(dh::opened(creds, view, idi.1, answer, None))
    }

    fn build_answer(
        &self,
        creds: &Credentials,
        _ctx: &Context<'_>,
        view: &InitView<'_, '_>,
        opened: &Opened,
        _answer: &Answer<'_>,
    ) -> Result<Option<Vec<u8>>, Error> {
        let mut b = answer_start(
            DataType::DhResp,
            creds,
            view,
            opened,
            identity_payloads(creds),
        )?;
        b = b.payload(blank_sign(creds)?);
        let bytes = b.build()?.encode()?;
        let sig_start = bytes.len() - signature_len(creds)?;
        Ok(Some(fill_signature(creds, bytes, sig_start, &[])?))
    }

    fn build_error(
        &self,
        creds: &Credentials,
        view: &InitView<'_, '_>,
        errors: &[ErrorNo],
        supported: Vec<SecurityPolicy<'static>>,
        _auth: Option<&TransportKeys>,
        initiator_id: Option<&[u8]>,
    ) -> Option<Vec<u8>> {
        signed_error::build(
            creds,
            view,
            errors,
            supported,
            initiator_id,
            Coverage::Message,
        )
    }
}

/// The SIGN payload that ends a DH-SIGN message.
fn last_sign<'m, 'a>(message: &'m Message<'a>) -> Result<&'m Sign<'a>, Error> {
    match message.payloads.last() {
        Some(Payload::Sign(s)) => Ok(s),
        _ => Err(Error::MissingPayload("SIGN as the last payload")),
    }
}
