//! The public-key method, MIKEY-PK (RFC 3830 §3.2, §4.2.5, §4.2.6, §5.2, §6.2, §6.3):
//!
//! ```text
//! Initiator                                Responder
//! I_MESSAGE = HDR, T, RAND, [IDi|CERTi], [IDr], {SP},
//!             KEMAC, [CHASH], PKE, SIGNi            --->
//!                         <---  R_MESSAGE = HDR, T, [IDr], V   (when V = 1)
//! ```
//!
//! The Initiator draws an envelope key, encrypts it to the Responder's RSA key in the PKE
//! (RSAES-PKCS1-v1_5) and derives the transport keys from it as from a pre-shared key
//! (§4.1.4). The KEMAC carries `IDi || {TGK}` encrypted, and its MAC covers the KEMAC
//! payload only, with its Next payload field set to zero (§6.2). SIGNi covers the whole
//! message except the Signature field (§5.2). The verification message is the PSK one
//! with data type 3.
//!
//! The Responder checks SIGNi first (the Initiator's certificate: the message's chain
//! validated up to a trust anchor, or the configured peer certificate), then opens the
//! PKE with implicit rejection: a bad envelope yields a random key and fails at the MAC,
//! exactly as a wrong MAC does (same error, same Error no.).

use super::kemac::kemac_mac;
use super::signer::{
    bind_identity, blank_sign, fill_signature, message_chain, open_envelope, peer_certificate,
    signed_init_start, verify_message_signature, verify_signature,
};
use super::verification;
use super::{
    Answer, CachedKey, CarriedKey, Context, Credentials, Error, InitPayloads, InitView, Method,
    Offer, Opened, Received, Refused, Sent, TransportKeys, VerificationIds, check_empty_map, kemac,
};
use crate::crypto::cert::{CertHashFunc, CertUsage, cert_hash};
use crate::crypto::prf::Inkey;
use crate::crypto::rsa::RsaPublicKey;
use crate::wire::{
    Chash, DataType, EncrAlg, ErrorNo, HashFunc, Kemac, Limits, MacAlg, Message, Payload, Pke,
    SecurityPolicy,
};
use std::borrow::Cow;
use std::sync::Arc;
use zeroize::Zeroizing;

/// The envelope key length in bytes: 256 bits, the strongest transport key any KEMAC
/// algorithm derives from it (HMAC-SHA-256-256, AES-CM-256; RFC 3830 §4.1.4 leaves it
/// open).
pub(crate) const ENV_KEY_LEN: usize = 32;

/// The MIKEY-PK method (RFC 3830 §3.2).
pub(crate) struct Pk;

impl Method for Pk {
    fn build_init(
        &self,
        creds: &Credentials,
        ctx: &Context<'_>,
        o: &Offer<'_>,
    ) -> Result<(Vec<u8>, Sent), Error> {
        let pk = &creds.pk;
        let peer = pk.peer_cert.as_ref().ok_or(Error::Config(
            "a PK Initiator needs the Responder's certificate (peer certificate)",
        ))?;
        peer.allows(CertUsage::Encryption)
            .map_err(Error::Certificate)?;
        let pkr = RsaPublicKey::from_spki_der(peer.spki_der()).map_err(Error::PeerKey)?;
        let idi = creds.local_id.as_ref().ok_or(Error::Config(
            "PK mode needs the local identity: the KEMAC carries IDi (RFC 3830 §3.2)",
        ))?;
        let env_key = match o.envelope_key {
            Some(fixed) if fixed.len() == ENV_KEY_LEN => Zeroizing::new(fixed.to_vec()),
            Some(_) => return Err(Error::Config("the envelope key must be 32 bytes")),
            None => {
                let mut drawn = Zeroizing::new(vec![0u8; ENV_KEY_LEN]);
                ctx.rng.fill(&mut drawn)?;
                drawn
            }
        };
        let tk = TransportKeys::derive(
            o.prf,
            Some(&Inkey::new(&env_key)),
            o.csb_id,
            o.rand,
            creds.encr_alg,
            creds.mac_alg,
        )?;
        let encr_data =
            kemac::seal_keys(&tk, o.csb_id, &o.t, Some((idi.id_type, &idi.data)), o.keys)?;
        let pke = pkr.encrypt_envelope(&env_key).map_err(Error::PeerKey)?;
        let tk = Arc::new(tk);
        let answer_keys = answer_keys(&tk, o.prf, &env_key, o.csb_id, o.rand)?;
        let mut b = signed_init_start(DataType::PublicKey, o.v, creds, o);
        b = b.payload(Payload::Kemac(Kemac {
            encr_alg: tk.encr_alg(),
            encr_data: Cow::Owned(encr_data),
            mac_alg: tk.mac_alg(),
            mac: Cow::Owned(vec![0; tk.tag_len()]),
        }));
        if let Some(func) = pk.chash {
            let hash = cert_hash(peer, func).map_err(Error::Certificate)?;
            b = b.payload(Payload::Chash(Chash {
                hash_func: hash_func_code(func),
                hash: Cow::Owned(hash),
            }));
        }
        b = b.payload(Payload::Pke(Pke {
            cache: pk.cache,
            data: Cow::Owned(pke),
        }));
        b = b.payload(blank_sign(creds)?);
        let (mut bytes, layout) = b.build()?.encode_with_layout()?;
        let kemac_index = layout.payloads.len() - 3 - usize::from(pk.chash.is_some());
        let tag = kemac_mac(&tk, &bytes, &layout.payloads[kemac_index]);
        let mac_end = layout.payloads[kemac_index].end;
        bytes[mac_end - tag.len()..mac_end].copy_from_slice(&tag);
        let sig_start = bytes.len() - creds.pk.key.as_ref().map_or(0, |k| k.modulus_len());
        let bytes = fill_signature(creds, bytes, sig_start, &[])?;
        let ids = VerificationIds {
            initiator: idi.data.clone(),
            responder: creds
                .peer_id
                .as_ref()
                .map_or(Vec::new(), |i| i.data.clone()),
        };
        let cached_key = CachedKey::new(pk.cache, &env_key, &ids);
        Ok((
            bytes,
            Sent {
                t: o.t,
                ids,
                transport: Some(answer_keys),
                rand: o.send_rand.then(|| o.rand.to_vec()),
                cached_key,
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
        envelope_key: Option<&[u8]>,
    ) -> Result<(InitView<'m, 'a>, Vec<CarriedKey>, Sent), Error> {
        // The PKE is encrypted to the Responder: the Initiator reopens its message with the
        // envelope key it kept.
        let env_key = envelope_key.ok_or(Error::Config(
            "a PK I_MESSAGE is reopened with the envelope key it was sent with",
        ))?;
        let view = self.view_init(message)?;
        let rand = view.rand.ok_or(Error::MissingPayload("RAND"))?;
        let (kemac, _, pke, _) = parts(message)?;
        let header = &message.header;
        let tk = kemac::envelope_keys(
            bytes,
            message,
            kemac,
            header.prf,
            env_key,
            header.csb_id,
            rand,
        )?;
        let (lead, keys) = kemac::open_keys(&tk, header.csb_id, &view.t, &kemac.encr_data, true)?;
        let (_, idi) = lead.ok_or(Error::BadKeyData("no IDi in the KEMAC"))?;
        let ids = VerificationIds {
            initiator: idi,
            responder: view
                .idr
                .map(|i| i.data.to_vec())
                .or_else(|| creds.peer_id.as_ref().map(|i| i.data.clone()))
                .unwrap_or_default(),
        };
        let transport = Some(answer_keys(
            &Arc::new(tk),
            header.prf,
            env_key,
            header.csb_id,
            rand,
        )?);
        let sent = Sent {
            t: view.t,
            cached_key: CachedKey::new(pke.cache, env_key, &ids),
            ids,
            transport,
            rand: view.rand.map(<[u8]>::to_vec),
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
            DataType::PkVerification,
            creds,
            bytes,
            message,
            csb_id,
            sent,
        )
        .map(|()| None)
    }

    fn view_init<'m, 'a>(&self, message: &'m Message<'a>) -> Result<InitView<'m, 'a>, Error> {
        let read = InitPayloads::read(message, DataType::PublicKey)?;
        parts(message)?;
        check_empty_map(message, &read.policies)?;
        read.into_view(true)
    }

    fn check_algorithms(
        &self,
        creds: &Credentials,
        _ctx: &Context<'_>,
        view: &InitView<'_, '_>,
    ) -> Result<(), Error> {
        let (kemac, _, _, _) = parts(view.message)?;
        match kemac.encr_alg {
            EncrAlg::AesCm128 | EncrAlg::AesKw128 | EncrAlg::AesCm256 => {}
            _ => return Err(Error::UnsupportedEncryption),
        }
        match kemac.mac_alg {
            MacAlg::HmacSha1_160 | MacAlg::HmacSha256_256 => {}
            // RFC 3830 §4.2.3: with AES-KW in the public-key method "the NULL MAC is
            // RECOMMENDED" (the key wrap protects the keys' integrity, SIGNi the message).
            MacAlg::Null if kemac.encr_alg == EncrAlg::AesKw128 => {}
            _ => return Err(Error::UnsupportedMac),
        }
        if creds.pk.key.is_none() {
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
        let message = view.message;
        let (kemac, chash, pke, sign) = parts(message)?;
        // 1. SIGNi, with the Initiator's authenticated certificate (§5.2, §5.3).
        let cert = peer_certificate(
            creds,
            message_chain(creds, message)?,
            ctx.now_unix,
            CertUsage::Signing,
        )?;
        let sig_start = bytes.len() - sign.signature.len();
        verify_signature(creds.ecc_profile, &cert, sign, &bytes[..sig_start])?;
        if let Some(idi) = view.idi {
            bind_identity(creds, &cert, idi.id_type, &idi.data)?;
        }
        // 2. CHASH names the Responder key the envelope is for (§6.8): it must be ours.
        if let Some(chash) = chash {
            let own = creds.pk.chain.first().ok_or(Error::Certificate(
                crate::crypto::cert::CertError::Unsupported(
                    "CHASH names a certificate, and none is configured",
                ),
            ))?;
            let func = cert_hash_func(chash.hash_func)?;
            let hash = crate::crypto::cert::cert_hash(own, func).map_err(Error::Certificate)?;
            if hash != chash.hash[..] {
                return Err(
                    Error::Certificate(crate::crypto::cert::CertError::Unsupported(
                        "CHASH names another certificate than this Responder's",
                    ))
                    .into(),
                );
            }
        }
        // 3. The envelope, with implicit rejection, and the KEMAC MAC (§6.2).
        let key = creds
            .pk
            .key
            .as_ref()
            .ok_or(Error::Config("no private key"))?;
        let env_key = open_envelope(key, &pke.data, ctx.rng)?;
        let header = &message.header;
        let tk = Arc::new(kemac::envelope_keys(
            bytes,
            message,
            kemac,
            header.prf,
            &env_key,
            header.csb_id,
            rand,
        )?);
        let answer_keys = answer_keys(&tk, header.prf, &env_key, header.csb_id, rand)?;
        // After the MAC verified, a refusal is reported authenticated.
        let authenticated = |error: Error, initiator_id: Option<&[u8]>| Refused {
            transport: Some(Arc::clone(&answer_keys)),
            error,
            initiator_id: initiator_id.map(<[u8]>::to_vec),
        };
        let (lead, keys) = kemac::open_keys(&tk, header.csb_id, &view.t, &kemac.encr_data, true)
            .map_err(|e| authenticated(e, None))?;
        let lead_id = lead.as_ref().map(|(_, data)| data.as_slice());
        if keys.is_empty() && view.rand.is_some() {
            return Err(authenticated(
                Error::BadKeyData("no key in an initial message"),
                lead_id,
            ));
        }
        // §3.2: "The encrypted IDi MUST always be verified to be equal with the expected
        // IDi": the clear IDi when sent, the configured peer identity, and the one the
        // certificate names.
        let (lead_type, lead_data) = lead.ok_or(Error::BadKeyData("no IDi in the KEMAC"))?;
        let expected = view
            .idi
            .map(|i| (i.id_type, i.data.to_vec()))
            .or_else(|| creds.peer_id.as_ref().map(|i| (i.id_type, i.data.clone())));
        if let Some(expected) = expected {
            if expected != (lead_type, lead_data.clone()) {
                return Err(authenticated(Error::IdentityMismatch, Some(&lead_data)));
            }
        }
        bind_identity(creds, &cert, lead_type, &lead_data)
            .map_err(|e| authenticated(e, Some(&lead_data)))?;
        let responder = creds
            .sent_local_id()
            .map(|(_, data)| data.to_vec())
            .or_else(|| view.idr.map(|i| i.data.to_vec()))
            .or_else(|| creds.local_id.as_ref().map(|i| i.data.clone()))
            .unwrap_or_default();
        let ids = VerificationIds {
            initiator: lead_data,
            responder,
        };
        Ok(Opened {
            keys,
            cached_key: CachedKey::new(pke.cache, &env_key, &ids),
            ids,
            transport: Some(answer_keys),
            peer_key: None,
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
        verification::answer_v(DataType::PkVerification, creds, view, opened)
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
        // The IDi as the Initiator computes it: the one inside the KEMAC once the message
        // was authenticated, else the clear one or the configured peer's.
        let ids = VerificationIds {
            initiator: initiator_id
                .map(<[u8]>::to_vec)
                .or_else(|| view.idi.map(|i| i.data.to_vec()))
                .or_else(|| creds.peer_id.as_ref().map(|i| i.data.clone()))
                .unwrap_or_default(),
            responder: view
                .idr
                .map(|i| i.data.to_vec())
                .or_else(|| creds.local_id.as_ref().map(|i| i.data.clone()))
                .unwrap_or_default(),
        };
        verification::answer_error(creds, view, errors, supported, auth, &ids)
    }
}

/// The KEMAC, optional CHASH, PKE and SIGN of a PK I_MESSAGE, in the order of §3.2 at its
/// end.
#[allow(clippy::type_complexity)]
fn parts<'m, 'a>(
    message: &'m Message<'a>,
) -> Result<
    (
        &'m Kemac<'a>,
        Option<&'m Chash<'a>>,
        &'m Pke<'a>,
        &'m crate::wire::Sign<'a>,
    ),
    Error,
> {
    super::kemac::check_one_kemac(message)?;
    let p = &message.payloads;
    let n = p.len();
    let sign = match p.last() {
        Some(Payload::Sign(s)) => s,
        _ => return Err(Error::MissingPayload("SIGN as the last payload")),
    };
    let pke = match n.checked_sub(2).map(|i| &p[i]) {
        Some(Payload::Pke(k)) => k,
        _ => return Err(Error::MissingPayload("PKE before SIGN")),
    };
    match n.checked_sub(3).map(|i| &p[i]) {
        Some(Payload::Kemac(k)) => Ok((k, None, pke, sign)),
        Some(Payload::Chash(c)) => match n.checked_sub(4).map(|i| &p[i]) {
            Some(Payload::Kemac(k)) => Ok((k, Some(c), pke, sign)),
            _ => Err(Error::MissingPayload("KEMAC before CHASH")),
        },
        _ => Err(Error::MissingPayload("KEMAC before PKE")),
    }
}

/// The CHASH Hash func codepoint (RFC 3830 §6.8, RFC 6043 §6.7).
fn hash_func_code(func: CertHashFunc) -> HashFunc {
    match func {
        CertHashFunc::Sha1 => HashFunc::Sha1,
        CertHashFunc::Md5 => HashFunc::Md5,
        CertHashFunc::Sha256 => HashFunc::Sha256,
    }
}

/// The certificate hash of a CHASH Hash func (Error no. 5, Invalid HA, otherwise).
fn cert_hash_func(func: HashFunc) -> Result<CertHashFunc, Error> {
    match func {
        HashFunc::Sha1 => Ok(CertHashFunc::Sha1),
        HashFunc::Sha256 => Ok(CertHashFunc::Sha256),
        _ => Err(Error::UnsupportedHash),
    }
}

/// What [`open_pk_i_message`] found in a PK I_MESSAGE.
#[derive(Debug)]
pub struct OpenedPk {
    /// The identity inside the KEMAC (IDi, RFC 3830 §3.2), as (ID type, ID data).
    pub initiator: (crate::wire::IdType, Vec<u8>),
    /// The keys of the KEMAC.
    pub keys: Vec<CarriedKey>,
    /// Whether SIGNi verified with the first certificate the message carries (`None` when
    /// it carries none). The chain is not validated: this is for inspecting a message.
    pub signature_verified: Option<bool>,
}

/// Opens a PK I_MESSAGE with the Responder's private key (RFC 3830 §3.2): decrypts the PKE,
/// verifies the KEMAC MAC and decrypts its chain; checks SIGNi with the certificate the
/// message carries, if any. `rand` is needed only for an update (no RAND). Timestamps,
/// replays and the certificate chain are not checked: this is for inspecting a message
/// (`mikey decode --key`), not for accepting its keys — a session does that. A PKE that
/// does not decrypt fails as a MAC failure ([`Error::AuthFailed`]).
pub fn open_pk_i_message(
    key: &crate::crypto::rsa::RsaPrivateKey,
    bytes: &[u8],
    rand: Option<&[u8]>,
    limits: &Limits,
) -> Result<OpenedPk, Error> {
    let message = Message::parse_with_limits(bytes, limits)?;
    let view = Pk.view_init(&message)?;
    let rand = view.rand.or(rand).ok_or(Error::MissingPayload(
        "RAND (an update needs the RAND of its CSB)",
    ))?;
    let (kemac, _, pke, sign) = parts(&message)?;
    let signature_verified = message_chain_inspect(&message)?
        .first()
        .map(|cert| verify_message_signature(false, cert, sign, bytes).is_ok());
    let env_key = open_envelope(key, &pke.data, &crate::rng::SystemRng::new())?;
    let header = &message.header;
    let tk = kemac::envelope_keys(
        bytes,
        &message,
        kemac,
        header.prf,
        &env_key,
        header.csb_id,
        rand,
    )?;
    let (lead, keys) = kemac::open_keys(&tk, header.csb_id, &view.t, &kemac.encr_data, true)?;
    Ok(OpenedPk {
        initiator: lead.ok_or(Error::BadKeyData("no IDi in the KEMAC"))?,
        keys,
        signature_verified,
    })
}

/// The DER certificates a message carries, for inspection (certificates by URL are not
/// fetched).
fn message_chain_inspect(
    message: &Message<'_>,
) -> Result<Vec<crate::crypto::cert::Certificate>, Error> {
    message
        .payloads
        .iter()
        .filter_map(|p| match p {
            Payload::Cert(c) if c.cert_type != crate::wire::CertType::X509v3Url => Some(c),
            _ => None,
        })
        .map(|c| crate::crypto::cert::Certificate::from_der(&c.data).map_err(Error::Certificate))
        .collect()
}

/// The keys of the verification and Error messages answering a PK I_MESSAGE protected with
/// `tk`: the same, unless the KEMAC has the NULL MAC (AES-KW, RFC 3830 §4.2.3). The V
/// payload has its own Auth alg (§6.9), so it then uses HMAC-SHA-1-160 (the mandatory MAC,
/// §4.2.4) with the auth_key derived from the envelope key (§4.1.4): a verification message
/// confirms the keys in every case.
fn answer_keys(
    tk: &Arc<TransportKeys>,
    prf: crate::wire::PrfFunc,
    env_key: &[u8],
    csb_id: u32,
    rand: &[u8],
) -> Result<Arc<TransportKeys>, Error> {
    if tk.tag_len() > 0 {
        return Ok(Arc::clone(tk));
    }
    Ok(Arc::new(TransportKeys::derive(
        prf,
        Some(&Inkey::new(env_key)),
        csb_id,
        rand,
        EncrAlg::Null,
        MacAlg::HmacSha1_160,
    )?))
}
