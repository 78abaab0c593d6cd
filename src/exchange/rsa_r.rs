//! MIKEY-RSA in Reverse mode, MIKEY-RSA-R (RFC 4738): the Initiator asks, the Responder
//! chooses the keys and sends them encrypted to the Initiator's public key.
//!
//! ```text
//! Initiator                                Responder
//! I_MESSAGE = HDR, T, [RAND], [IDi|CERTi], [IDr], {SP}, SIGNi        --->
//!       <---  R_MESSAGE = HDR, [GenExt(CSB_ID)], T, [RAND], [IDr|CERTr], [SP],
//!                         KEMAC, PKE, SIGNr
//! ```
//!
//! Unicast (§3.1): the RAND comes from exactly one side, the I_MESSAGE's when it has one;
//! the Responder chooses one of the offered policies (§3.6). Group mode (§3.2): the
//! Responder is the group's key server; Initiators send no SP and no RAND, and the
//! R_MESSAGE carries the group's CSB ID in a General Extension (type 4, a 32-bit CSB ID:
//! RFC 4738 gives it no format), the group's RAND, SP and keys, which every member derives
//! its keys from.
//!
//! SIGNi covers the whole I_MESSAGE except the Signature field (RFC 3830 §5.2). SIGNr
//! covers "R_MESSAGE (excluding the SIGNr payload itself) || IDi || IDr || T" (§3.6), "the
//! added identities and timestamp are identical to those transported in the ID and T
//! payloads": here the ID data of the IDi payload of the I_MESSAGE, the ID data of the IDr
//! payload of the R_MESSAGE (or, when it sends a certificate instead, of the IDr payload of
//! the I_MESSAGE), and the TS value; an identity no message carries is empty. Both sides
//! compute it from the messages alone. The KEMAC (`E(encr_key, IDr || {TGK}) || MAC`) is protected with
//! transport keys derived from the envelope key (RFC 3830 §4.1.4) with the CSB ID the keys
//! derive with (the group's when there is one) and the RAND of the exchange; its MAC covers
//! the KEMAC payload only, as in MIKEY-PK (RFC 3830 §6.2).

use super::kemac::{self, kemac_mac};
use super::signed_error::{self, Coverage};
use super::signer::{
    bind_identity, blank_sign, fill_signature, identity_payloads, message_chain, open_envelope,
    peer_certificate, signature_len, signed_init_start, verify_message_signature, verify_signature,
};
use super::{
    Answer, CarriedKey, Context, Credentials, Error, InitPayloads, InitView, Method, Offer, Opened,
    Received, Refused, Sent, TransportKeys, VerificationIds, check_empty_map, map_entries,
    ts_value_bytes,
};
use crate::crypto::cert::CertUsage;
use crate::crypto::prf::Inkey;
use crate::crypto::rsa::RsaPublicKey;
use crate::wire::{
    CacheIndicator, DataType, ErrorNo, GeneralExtension, Kemac, Message, MessageBuilder, Payload,
    Pke, Rand, SecurityPolicy, Sign,
};
use std::borrow::Cow;
use zeroize::Zeroizing;

/// The envelope key length in bytes (as in MIKEY-PK).
const ENV_KEY_LEN: usize = super::pk::ENV_KEY_LEN;

/// The MIKEY-RSA-R method (RFC 4738).
pub(crate) struct RsaR;

impl Method for RsaR {
    fn build_init(
        &self,
        creds: &Credentials,
        _ctx: &Context<'_>,
        o: &Offer<'_>,
    ) -> Result<(Vec<u8>, Sent), Error> {
        // §3.4: "The V bit MUST be set to '1'".
        let mut b = signed_init_start(DataType::RsaRInit, true, creds, o);
        b = b.payload(blank_sign(creds)?);
        let bytes = b.build()?.encode()?;
        let sig_start = bytes.len() - signature_len(creds)?;
        let bytes = fill_signature(creds, bytes, sig_start, &[])?;
        // The SIGNr identities (module documentation): the ID payloads sent.
        let sent_idi = match identity_payloads(creds).first() {
            Some(Payload::Id(id)) => id.data.to_vec(),
            _ => Vec::new(),
        };
        let ids = VerificationIds {
            initiator: sent_idi,
            responder: creds.sent_peer_id().map_or(Vec::new(), |(_, d)| d.to_vec()),
        };
        Ok((
            bytes,
            Sent {
                t: o.t,
                ids,
                transport: None,
                rand: o.send_rand.then(|| o.rand.to_vec()),
                cached_key: None,
                dh_secret: None,
                keeps_tgk: false,
            },
        ))
    }

    fn reopen_init<'m, 'a>(
        &self,
        _creds: &Credentials,
        _bytes: &[u8],
        message: &'m Message<'a>,
        _envelope_key: Option<&[u8]>,
    ) -> Result<(InitView<'m, 'a>, Vec<CarriedKey>, Sent), Error> {
        // The I_MESSAGE carries no secret: the Initiator rebuilds what it sent from it.
        let view = self.view_init(message)?;
        let ids = VerificationIds {
            initiator: view.idi.map_or(Vec::new(), |i| i.data.to_vec()),
            responder: view.idr.map_or(Vec::new(), |i| i.data.to_vec()),
        };
        let sent = Sent {
            t: view.t,
            ids,
            transport: None,
            rand: view.rand.map(<[u8]>::to_vec),
            cached_key: None,
            dh_secret: None,
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
            DataType::RsaRResp => {}
            DataType::Error => {
                return Err(signed_error::read(
                    creds,
                    ctx,
                    bytes,
                    message,
                    csb_id,
                    sent,
                    Coverage::RsaR,
                ));
            }
            other => return Err(Error::UnexpectedMessage(other)),
        }
        // §3.6: "the CSB_ID in the HDR payload MUST be the same as the one in the HDR of
        // the I_MESSAGE".
        if header.csb_id != csb_id {
            return Err(Error::CsbMismatch);
        }
        let parts = answer_parts(message)?;
        // RFC 3830 §5.2: the Responder "uses the timestamp used by the Initiator"; §3.6
        // "The T payload is exactly the same as that received in the I_MESSAGE".
        if parts.t != sent.t {
            return Err(Error::TimestampMismatch);
        }
        // §3.6: the General Extension CSB_ID is in group answers only.
        match (creds.rsa_r.group_member, parts.group_csb_id) {
            (true, None) => {
                return Err(Error::BadAnswer(
                    "a group answer without the group's CSB_ID (RFC 4738 §3.6)",
                ));
            }
            (false, Some(_)) => {
                return Err(Error::BadAnswer(
                    "a CSB_ID General Extension in unicast (RFC 4738 §3.6)",
                ));
            }
            _ => {}
        }
        // §3.5-3.7: unicast, a RAND from exactly one side ("silently discard" otherwise);
        // group, always the Responder's.
        let key_rand = match (&sent.rand, parts.rand, parts.group_csb_id) {
            (_, Some(r), Some(_)) | (None, Some(r), None) => r.to_vec(),
            (Some(mine), None, None) => mine.clone(),
            (Some(_), Some(_), None) => {
                return Err(Error::BadAnswer("a RAND from both sides (RFC 4738 §3.7)"));
            }
            (_, None, _) => {
                return Err(Error::BadAnswer("no RAND from either side (RFC 4738 §3.7)"));
            }
        };
        // SIGNr with the Responder's authenticated certificate.
        let cert = peer_certificate(
            creds,
            message_chain(creds, message)?,
            ctx.now_unix,
            CertUsage::Signing,
        )?;
        let idr = parts
            .idr
            .map(|(_, data)| data.to_vec())
            .unwrap_or_else(|| sent.ids.responder.clone());
        let covered = Coverage::RsaR.covered(
            bytes,
            parts.sign.signature.len(),
            &sent.ids.initiator,
            &idr,
            &sent.t,
        );
        verify_signature(creds.ecc_profile, &cert, parts.sign, &covered)?;
        if let Some((id_type, data)) = parts.idr {
            bind_identity(creds, &cert, id_type, data)?;
        }
        // The envelope (implicit rejection) and the KEMAC MAC.
        let key = creds
            .pk
            .key
            .as_ref()
            .ok_or(Error::Config("no private key"))?;
        let env_key = open_envelope(key, &parts.pke.data, ctx.rng)?;
        let key_csb_id = parts.group_csb_id.unwrap_or(csb_id);
        let tk = kemac::envelope_keys(
            bytes,
            message,
            parts.kemac,
            header.prf,
            &env_key,
            key_csb_id,
            &key_rand,
        )?;
        let (lead, keys) =
            kemac::open_keys(&tk, key_csb_id, &parts.t, &parts.kemac.encr_data, true)?;
        if keys.is_empty() {
            return Err(Error::BadKeyData("no key in the R_MESSAGE"));
        }
        // The encrypted IDr: the identity the certificate names, and the expected one.
        let (lead_type, lead_data) = lead.ok_or(Error::BadKeyData("no IDr in the KEMAC"))?;
        bind_identity(creds, &cert, lead_type, &lead_data)?;
        // A forking Initiator takes any Responder its trust anchors vouch for (RFC 5197
        // §5.2); otherwise the configured one only.
        if let Some(expected) = creds.peer_id.as_ref().filter(|_| !creds.rsa_r.forking) {
            if expected.id_type != lead_type || expected.data != lead_data {
                return Err(Error::IdentityMismatch);
            }
        }
        Ok(Some(Received {
            keys,
            key_rand,
            key_csb_id,
            streams: map_entries(message)?,
            policies: parts
                .policies
                .iter()
                .map(|sp| (*sp).clone().into_owned())
                .collect(),
            responder: lead_data,
        }))
    }

    fn responder_keys(&self) -> bool {
        true
    }

    fn view_init<'m, 'a>(&self, message: &'m Message<'a>) -> Result<InitView<'m, 'a>, Error> {
        let read = InitPayloads::read(message, DataType::RsaRInit)?;
        if !matches!(message.payloads.last(), Some(Payload::Sign(_))) {
            return Err(Error::MissingPayload("SIGN as the last payload"));
        }
        check_empty_map(message, &read.policies)?;
        read.into_view(true)
    }

    fn check_algorithms(
        &self,
        creds: &Credentials,
        _ctx: &Context<'_>,
        _view: &InitView<'_, '_>,
    ) -> Result<(), Error> {
        if creds.pk.key.is_none() || creds.local_id.is_none() {
            return Err(Error::Config(
                "an RSA-R Responder needs a private key and its identity",
            ));
        }
        Ok(())
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
        let Some(Payload::Sign(sign)) = message.payloads.last() else {
            return Err(Error::MissingPayload("SIGN as the last payload").into());
        };
        // §3.5: SIGNi verified with the Initiator's authenticated certificate; its key
        // also receives the envelope (§3.6: PKE = E(PKi, env_key)).
        let cert = peer_certificate(
            creds,
            message_chain(creds, message)?,
            ctx.now_unix,
            CertUsage::Signing,
        )?;
        verify_message_signature(creds.ecc_profile, &cert, sign, bytes)?;
        cert.allows(CertUsage::Encryption)
            .map_err(Error::Certificate)?;
        if let Some(idi) = view.idi {
            bind_identity(creds, &cert, idi.id_type, &idi.data)?;
        }
        if let Some(expected) = &creds.peer_id {
            bind_identity(creds, &cert, expected.id_type, &expected.data)?;
        }
        let peer_key = RsaPublicKey::from_spki_der(cert.spki_der()).map_err(Error::PeerKey)?;
        // The SIGNr identities (module documentation).
        let initiator = view.idi.map_or(Vec::new(), |i| i.data.to_vec());
        let responder = view.idr.map_or(Vec::new(), |i| i.data.to_vec());
        Ok(Opened {
            keys: Vec::new(),
            transport: None,
            cached_key: None,
            ids: VerificationIds {
                initiator,
                responder,
            },
            peer_key: Some(peer_key),
            dh_public: None,
        })
    }

    fn build_answer(
        &self,
        creds: &Credentials,
        ctx: &Context<'_>,
        view: &InitView<'_, '_>,
        opened: &Opened,
        answer: &Answer<'_>,
    ) -> Result<Option<Vec<u8>>, Error> {
        let header = &view.message.header;
        let local = creds
            .local_id
            .as_ref()
            .ok_or(Error::Config("an RSA-R Responder needs its identity"))?;
        let peer_key = opened
            .peer_key
            .as_ref()
            .ok_or(Error::Config("no Initiator key"))?;
        let mut env_key = Zeroizing::new(vec![0u8; ENV_KEY_LEN]);
        ctx.rng.fill(&mut env_key)?;
        let key_csb_id = answer.group_csb_id.unwrap_or(header.csb_id);
        let tk = TransportKeys::derive(
            header.prf,
            Some(&Inkey::new(&env_key)),
            key_csb_id,
            answer.key_rand,
            creds.encr_alg,
            creds.mac_alg,
        )?;
        let encr_data = kemac::seal_keys(
            &tk,
            key_csb_id,
            &view.t,
            Some((local.id_type, &local.data)),
            answer.keys,
        )?;
        let pke = peer_key
            .encrypt_envelope(&env_key)
            .map_err(Error::PeerKey)?;
        // §3.6: "The Responder MUST fill in the number of CSs and the CS ID map".
        let mut b = MessageBuilder::new(DataType::RsaRResp, header.csb_id).prf(header.prf);
        for s in answer.streams {
            b = b.srtp_crypto_session(s.policy_no, s.ssrc, s.roc);
        }
        if let Some(group) = answer.group_csb_id {
            b = b.payload(Payload::GeneralExtension(GeneralExtension::csb_id(group)));
        }
        b = b.payload(Payload::Timestamp(view.t));
        if let Some(rand) = answer.rand {
            b = b.payload(Payload::Rand(Rand {
                rand: Cow::Borrowed(rand),
            }));
        }
        for p in identity_payloads(creds) {
            b = b.payload(p);
        }
        for sp in &answer.policies {
            b = b.payload(Payload::SecurityPolicy(sp.clone()));
        }
        b = b.payload(Payload::Kemac(Kemac {
            encr_alg: tk.encr_alg(),
            encr_data: Cow::Owned(encr_data),
            mac_alg: tk.mac_alg(),
            mac: Cow::Owned(vec![0; tk.tag_len()]),
        }));
        b = b.payload(Payload::Pke(Pke {
            cache: CacheIndicator::NoCache,
            data: Cow::Owned(pke),
        }));
        b = b.payload(blank_sign(creds)?);
        let (mut bytes, layout) = b.build()?.encode_with_layout()?;
        let n = layout.payloads.len();
        let kemac_span = layout.payloads[n - 3].clone();
        let tag = kemac_mac(&tk, &bytes, &kemac_span);
        bytes[kemac_span.end - tag.len()..kemac_span.end].copy_from_slice(&tag);
        // SIGNr: R_MESSAGE without the SIGN payload || IDi || IDr || T (§3.6).
        let sign_start = layout.payloads[n - 1].start;
        let extra_t = ts_value_bytes(&view.t);
        let idr = match identity_payloads(creds).first() {
            Some(Payload::Id(id)) => id.data.to_vec(),
            _ => opened.ids.responder.clone(),
        };
        let bytes = fill_signature(
            creds,
            bytes,
            sign_start,
            &[&opened.ids.initiator, &idr, &extra_t],
        )?;
        Ok(Some(bytes))
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
        signed_error::build(creds, view, errors, supported, initiator_id, Coverage::RsaR)
    }
}

/// The payloads of an R_MESSAGE (§3.6), in order.
struct AnswerParts<'m, 'a> {
    group_csb_id: Option<u32>,
    t: crate::wire::Timestamp,
    rand: Option<&'m [u8]>,
    idr: Option<(crate::wire::IdType, &'m [u8])>,
    policies: Vec<&'m SecurityPolicy<'a>>,
    kemac: &'m Kemac<'a>,
    pke: &'m Pke<'a>,
    sign: &'m Sign<'a>,
}

fn answer_parts<'m, 'a>(message: &'m Message<'a>) -> Result<AnswerParts<'m, 'a>, Error> {
    let p = &message.payloads;
    let n = p.len();
    let (Some(Payload::Kemac(kemac)), Some(Payload::Pke(pke)), Some(Payload::Sign(sign))) = (
        n.checked_sub(3).map(|i| &p[i]),
        n.checked_sub(2).map(|i| &p[i]),
        p.last(),
    ) else {
        return Err(Error::MissingPayload("KEMAC, PKE, SIGN at the end"));
    };
    let mut group_csb_id = None;
    let mut t = None;
    let mut rand = None;
    let mut idr = None;
    let mut policies = Vec::new();
    for payload in &p[..n - 3] {
        match payload {
            Payload::GeneralExtension(g) if g.ext_type == crate::wire::GenExtType::CsbId => {
                group_csb_id = Some(g.as_csb_id().ok_or(Error::BadKeyData(
                    "a CSB_ID General Extension that is not 4 bytes",
                ))?);
            }
            Payload::Timestamp(ts) if t.is_none() => t = Some(*ts),
            Payload::Rand(r) if rand.is_none() => rand = Some(&r.rand[..]),
            Payload::Id(id) if idr.is_none() => idr = Some((id.id_type, &id.data[..])),
            Payload::SecurityPolicy(sp) => policies.push(sp),
            _ => {}
        }
    }
    Ok(AnswerParts {
        group_csb_id,
        t: t.ok_or(Error::MissingPayload("T"))?,
        rand,
        idr,
        policies,
        kemac,
        pke,
        sign,
    })
}
