//! Key exchange methods (docs/architecture.md): building and authenticating the messages
//! of one method, on top of [`crate::wire`] and [`crate::crypto`]. Each method is one file
//! implementing `Method`; the session layer ([`crate::session`]) holds the state and
//! reaches the methods through `method`, the one dispatch point. Nothing here depends
//! on the session layer.
//!
//! This module holds what the methods share: their configuration (`Credentials`), the
//! transport keys of RFC 3830 §4.1.4 with KEMAC encryption (§4.2.3), the keys a KEMAC
//! carries (§6.13), and the verification and Error messages (§5.1.2, §5.2).

mod cached_key;
mod credentials;
mod dh;
mod dh_hmac;
mod dh_sign;
mod error;
mod kemac;
pub(crate) mod keys;
pub(crate) mod pk;
pub(crate) mod psk;
mod rsa_r;
mod signed_error;
mod signer;
mod transport;
pub(crate) mod verification;

pub(crate) use cached_key::CachedKey;
pub use credentials::{
    CertIdentityBinder, CertResolver, CertVerifier, Identity, Mode, VerificationInput,
};
pub(crate) use credentials::{Credentials, PublicKeyCredentials, RsaRSettings};
pub use error::Error;
pub use keys::CarriedKey;
pub use pk::{OpenedPk, open_pk_i_message};
pub use psk::open_i_message;
pub(crate) use transport::TransportKeys;
pub(crate) use verification::VerificationIds;

use crate::crypto::mac::MacAlgorithm;
use crate::crypto::prf::Prf;
use crate::wire::{
    CsIdMap, DataType, ErrorNo, Id, MacAlg, Message, Payload, PrfFunc, SecurityPolicy, SrtpIdEntry,
    Timestamp,
};
use std::sync::Arc;

/// The method of `mode`: the session's one way to the methods.
pub(crate) fn method(mode: Mode) -> &'static dyn Method {
    match mode {
        Mode::Psk | Mode::Null => &psk::Psk,
        Mode::Pk => &pk::Pk,
        Mode::RsaR => &rsa_r::RsaR,
        Mode::DhSign => &dh_sign::DhSign,
        Mode::DhHmac => &dh_hmac::DhHmac,
    }
}

/// One key exchange method (RFC 3830 §3): how its I_MESSAGE is built and authenticated,
/// and how the answer is built and checked. The session does the rest, the same for every
/// method: CSB IDs, timestamps and replays (§5.3, §5.4), updates (§4.5), identities,
/// policy negotiation (§5.1.1), key derivation (§4.1.3) and state.
pub(crate) trait Method: Sync {
    /// Initiator: builds and protects the I_MESSAGE of `offer`; returns it and what is
    /// needed to check the answer.
    fn build_init(
        &self,
        creds: &Credentials,
        ctx: &Context<'_>,
        offer: &Offer<'_>,
    ) -> Result<(Vec<u8>, Sent), Error>;

    /// Initiator: opens an I_MESSAGE this configuration sent (for an Initiator that keeps
    /// no state between sending and receiving): its view, the keys it carries and what is
    /// needed to check the answer. Its MAC is verified. `secret` is what the message was
    /// sent with and does not carry: PK's envelope key (the PKE is encrypted to the
    /// Responder), DH's exponent x_i.
    fn reopen_init<'m, 'a>(
        &self,
        creds: &Credentials,
        bytes: &[u8],
        message: &'m Message<'a>,
        secret: Option<&[u8]>,
    ) -> Result<(InitView<'m, 'a>, Vec<CarriedKey>, Sent), Error>;

    /// Initiator: checks the answer to the I_MESSAGE `sent` describes: a verification
    /// message (`Ok(None)`), an answer carrying the Responder's keys (`Ok(Some)`, RSA-R), or
    /// an Error message ([`Error::PeerError`]).
    fn check_answer(
        &self,
        creds: &Credentials,
        ctx: &Context<'_>,
        bytes: &[u8],
        message: &Message<'_>,
        csb_id: u32,
        sent: &Sent,
    ) -> Result<Option<Received>, Error>;

    /// Whether the Responder chooses the keys (RFC 4738 §3.6) rather than the Initiator
    /// (RFC 3830 §3.1, §3.2).
    fn responder_keys(&self) -> bool {
        false
    }

    /// Whether the Initiator learns its keys from the answer: when the Responder chooses
    /// them (RSA-R), or when both sides make them (the DH methods, RFC 3830 §3.3).
    fn keys_in_answer(&self) -> bool {
        self.responder_keys()
    }

    /// Responder: the payloads of an I_MESSAGE of this method, checked for presence and
    /// order, not authenticated; [`Error::UnexpectedMessage`] for another data type.
    fn view_init<'m, 'a>(&self, message: &'m Message<'a>) -> Result<InitView<'m, 'a>, Error>;

    /// Responder: refuses algorithms or credentials the configuration does not allow,
    /// before the timestamp is checked (answered with an unauthenticated Error message).
    fn check_algorithms(
        &self,
        creds: &Credentials,
        ctx: &Context<'_>,
        view: &InitView<'_, '_>,
    ) -> Result<(), Error>;

    /// Responder: authenticates the I_MESSAGE (`bytes` as received, `rand` the CSB's
    /// RAND) and opens the keys it carries.
    fn open_init(
        &self,
        creds: &Credentials,
        ctx: &Context<'_>,
        bytes: &[u8],
        view: &InitView<'_, '_>,
        rand: &[u8],
    ) -> Result<Opened, Refused>;

    /// Responder: the answer to an accepted I_MESSAGE, if the method sends one.
    fn build_answer(
        &self,
        creds: &Credentials,
        ctx: &Context<'_>,
        view: &InitView<'_, '_>,
        opened: &Opened,
        answer: &Answer<'_>,
    ) -> Result<Option<Vec<u8>>, Error>;

    /// Responder: an Error message (RFC 3830 §5.1.2) reporting `errors` about the
    /// I_MESSAGE of `view`, with the `supported` policies (Error no. 10), authenticated
    /// with the transport keys `auth` when the I_MESSAGE was authenticated with them, and
    /// the Initiator's identity it authenticated (`initiator_id`), when known.
    fn build_error(
        &self,
        creds: &Credentials,
        view: &InitView<'_, '_>,
        errors: &[ErrorNo],
        supported: Vec<SecurityPolicy<'static>>,
        auth: Option<&TransportKeys>,
        initiator_id: Option<&[u8]>,
    ) -> Option<Vec<u8>>;
}

/// What a method may use besides its credentials: the random source and the time.
pub(crate) struct Context<'a> {
    /// The configuration's random source (envelope keys, implicit rejection).
    pub rng: &'a dyn crate::rng::Rng,
    /// The wall clock, in seconds since 1970 (certificate validity).
    pub now_unix: u64,
    /// The envelope key cached for the CSB a PSK update is for (RFC 3830 §4.5): the
    /// update's transport keys derive from it instead of the pre-shared key.
    pub cached_key: Option<&'a CachedKey>,
}

/// What an Initiator puts in an I_MESSAGE, whatever the method (RFC 3830 §3).
pub(crate) struct Offer<'a> {
    /// The CSB ID (§6.1).
    pub csb_id: u32,
    /// The V flag: a verification message is asked for.
    pub v: bool,
    /// The PRF func.
    pub prf: PrfFunc,
    /// The CS ID map entries (SRTP-ID map, §6.1.1).
    pub streams: &'a [SrtpIdEntry],
    /// The timestamp (§6.6), new for every I_MESSAGE (§5.2).
    pub t: Timestamp,
    /// The CSB's RAND: the transport keys derive from it (§4.1.4).
    pub rand: &'a [u8],
    /// Whether the RAND payload is sent: not in an update (§4.5).
    pub send_rand: bool,
    /// The SP payloads (§6.10), policy no. i at index i.
    pub policies: Vec<SecurityPolicy<'static>>,
    /// The keys the KEMAC carries (§6.13).
    pub keys: &'a [CarriedKey],
    /// A fixed envelope key (PK, §3.2), instead of one drawn from the random source.
    pub envelope_key: Option<&'a [u8]>,
    /// The Key validity of the TGK a DH exchange makes (the DHi payload's KV, §6.4).
    pub dh_kv: crate::wire::KeyValidity<'static>,
    /// A fixed DH exponent x_i (DH modes, §3.3), instead of one drawn from the random
    /// source.
    pub dh_exponent: Option<&'a [u8]>,
    /// The key management protocol identifiers the SDP or RTSP offer carrying this
    /// I_MESSAGE lists (RFC 4567 §4.1.4: "mikey;keyp1"), sent in a General Extension of type
    /// SDP IDs so that the MAC or signature covers them (bidding-down protection).
    pub sdp_ids: Option<&'a str>,
    /// The application's General Extensions (RFC 3830 §6.15), after SDP IDs.
    pub extensions: &'a [crate::wire::GeneralExtension<'static>],
    /// The CS ID map is the Empty map (RFC 4563 §5): `streams` gives only #CS.
    pub empty_map: bool,
    /// DH modes: whether the I_MESSAGE carries a new DHi. An update may leave it out to
    /// change only the crypto sessions and policies, keeping the TGK (RFC 3830 §4.5; RFC
    /// 4650 §3.1 procedure b).
    pub new_dh: bool,
}

/// What an Initiator keeps of the I_MESSAGE it sent, to check the answer.
#[derive(Clone)]
pub(crate) struct Sent {
    /// The timestamp sent: the answer carries it (§5.2).
    pub t: Timestamp,
    /// The identities of the verification MAC.
    pub ids: VerificationIds,
    /// The transport keys of the I_MESSAGE, which authenticate the answer (none in
    /// RSA-R: the answer is signed).
    pub transport: Option<Arc<TransportKeys>>,
    /// The RAND the I_MESSAGE carried, if any (RFC 4738 §3.7).
    pub rand: Option<Vec<u8>>,
    /// The envelope key the I_MESSAGE asked both sides to cache (PK, RFC 3830 §3.2).
    pub cached_key: Option<Arc<CachedKey>>,
    /// The Initiator's DH secret x_i (DH modes, RFC 3830 §3.3), until the answer is in:
    /// [`Sent::spent`] drops it.
    pub dh_secret: Option<Arc<crate::crypto::dh::DhSecret>>,
    /// DH modes: the I_MESSAGE was an update without DHi, whose answer keeps the TGK
    /// (RFC 3830 §4.5).
    pub keeps_tgk: bool,
}

impl Sent {
    /// What is kept once the answer is in: the DH secret dropped (zeroized when no forked
    /// branch still waits for it).
    pub fn spent(&self) -> Sent {
        Sent {
            dh_secret: None,
            ..self.clone()
        }
    }
}

/// The payloads of a received I_MESSAGE every method has, checked for presence and order
/// but not authenticated.
pub(crate) struct InitView<'m, 'a> {
    /// The message.
    pub message: &'m Message<'a>,
    /// The CS ID map entries (an Empty map gives #CS entries of SSRC 0, ROC 0, policy 0).
    pub streams: Vec<SrtpIdEntry>,
    /// T.
    pub t: Timestamp,
    /// RAND (absent in an update).
    pub rand: Option<&'m [u8]>,
    /// IDi.
    pub idi: Option<&'m Id<'a>>,
    /// IDr.
    pub idr: Option<&'m Id<'a>>,
    /// The SP payloads.
    pub policies: Vec<&'m SecurityPolicy<'a>>,
}

/// An authenticated I_MESSAGE: the keys it carries and what authenticates its answer.
pub(crate) struct Opened {
    /// The keys of the KEMAC, in order (none in an update that only adds streams, none
    /// when the Responder chooses them).
    pub keys: Vec<CarriedKey>,
    /// The transport keys that authenticated the message and authenticate the answer
    /// (none in RSA-R, whose I_MESSAGE is signed).
    pub transport: Option<Arc<TransportKeys>>,
    /// The identities of the verification MAC or signature.
    pub ids: VerificationIds,
    /// The Initiator's public key, when the answer is encrypted to it (RSA-R).
    pub peer_key: Option<crate::crypto::rsa::RsaPublicKey>,
    /// The envelope key the I_MESSAGE asked to cache (PK, RFC 3830 §3.2, §6.3).
    pub cached_key: Option<Arc<CachedKey>>,
    /// The Responder's DH value g^(xr) for the answer (DH modes, RFC 3830 §3.3); x_r is
    /// already used and zeroized.
    pub dh_public: Option<Vec<u8>>,
}

/// What the session decided for the answer of a method whose Responder chooses the keys
/// (RFC 4738 §3.6).
pub(crate) struct Answer<'a> {
    /// The CS ID map of the answer.
    pub streams: &'a [SrtpIdEntry],
    /// The negotiated SP payloads (one option per parameter).
    pub policies: Vec<SecurityPolicy<'static>>,
    /// The keys the Responder chose.
    pub keys: &'a [CarriedKey],
    /// The RAND the answer carries, if any.
    pub rand: Option<&'a [u8]>,
    /// The RAND the keys derive from (the I_MESSAGE's or the answer's).
    pub key_rand: &'a [u8],
    /// Group mode: the group's CSB ID (General Extension type 4, RFC 4738 §3.6).
    pub group_csb_id: Option<u32>,
}

/// The keys an answer carried (RFC 4738 §3.7), authenticated, for the Initiator.
pub(crate) struct Received {
    /// The keys of the KEMAC.
    pub keys: Vec<CarriedKey>,
    /// The RAND the keys derive from.
    pub key_rand: Vec<u8>,
    /// The CSB ID the keys derive with (the group's, or the I_MESSAGE's).
    pub key_csb_id: u32,
    /// The CS ID map of the answer.
    pub streams: Vec<SrtpIdEntry>,
    /// The SP payloads of the answer.
    pub policies: Vec<SecurityPolicy<'static>>,
    /// The Responder's authenticated identity (the ID data of the IDr in its KEMAC).
    pub responder: Vec<u8>,
}

/// A refused I_MESSAGE: why, and what authenticated it when the refusal came after its
/// authentication (so that the Error message answering it is authenticated too).
pub(crate) struct Refused {
    /// Why.
    pub error: Error,
    /// The transport keys, when the message was authenticated.
    pub transport: Option<Arc<TransportKeys>>,
    /// The Initiator's identity the message authenticated (PK: the IDi inside the KEMAC),
    /// when known: the authenticated Error message's MAC takes it.
    pub initiator_id: Option<Vec<u8>>,
}

impl From<Error> for Refused {
    fn from(error: Error) -> Self {
        Refused {
            error,
            transport: None,
            initiator_id: None,
        }
    }
}

/// The payloads every I_MESSAGE may have, read in one pass; the method checks what it
/// requires.
pub(crate) struct InitPayloads<'m, 'a> {
    message: &'m Message<'a>,
    streams: Vec<SrtpIdEntry>,
    t: Option<Timestamp>,
    rand: Option<&'m [u8]>,
    ids: Vec<&'m Id<'a>>,
    cert_seen: bool,
    /// The SP payloads.
    pub policies: Vec<&'m SecurityPolicy<'a>>,
}

impl<'m, 'a> InitPayloads<'m, 'a> {
    /// Reads `message`, an I_MESSAGE of `data_type` ([`Error::UnexpectedMessage`]
    /// otherwise): its CS ID map entries, the first T and RAND, the first two ID payloads,
    /// whether a CERT payload comes before them, and the SP payloads.
    pub fn read(message: &'m Message<'a>, data_type: DataType) -> Result<Self, Error> {
        if message.header.data_type != data_type {
            return Err(Error::UnexpectedMessage(message.header.data_type));
        }
        let mut read = InitPayloads {
            message,
            streams: map_entries(message)?,
            t: None,
            rand: None,
            ids: Vec::new(),
            cert_seen: false,
            policies: Vec::new(),
        };
        for p in &message.payloads {
            match p {
                Payload::Timestamp(ts) if read.t.is_none() => read.t = Some(*ts),
                Payload::Rand(r) if read.rand.is_none() => read.rand = Some(&r.rand[..]),
                Payload::Cert(_) if read.ids.is_empty() => read.cert_seen = true,
                Payload::Id(id) if read.ids.len() < 2 => read.ids.push(id),
                Payload::SecurityPolicy(sp) => read.policies.push(sp),
                // Other payloads carry nothing every method needs; the MAC or signature
                // covers them all the same.
                _ => {}
            }
        }
        Ok(read)
    }

    /// The view, T required. `[IDi|CERTi], [IDr]` (RFC 3830 §3.2, RFC 4738 §3.4): with
    /// `cert_names_initiator`, the one ID payload after a CERT payload is IDr; otherwise
    /// the first ID payload is IDi and the second IDr.
    pub fn into_view(self, cert_names_initiator: bool) -> Result<InitView<'m, 'a>, Error> {
        let one_is_idr = cert_names_initiator && self.cert_seen;
        self.view(one_is_idr)
    }

    /// The view of a message whose IDr is mandatory and IDi optional (`[IDi], IDr`, RFC
    /// 4650 §3): a lone ID payload is IDr.
    pub fn into_view_idr_required(self) -> Result<InitView<'m, 'a>, Error> {
        let one_is_idr = self.ids.len() == 1;
        self.view(one_is_idr)
    }

    fn view(self, one_is_idr: bool) -> Result<InitView<'m, 'a>, Error> {
        let (idi, idr) = if one_is_idr {
            (None, self.ids.first().copied())
        } else {
            (self.ids.first().copied(), self.ids.get(1).copied())
        };
        Ok(InitView {
            message: self.message,
            streams: self.streams,
            t: self.t.ok_or(Error::MissingPayload("T"))?,
            rand: self.rand,
            idi,
            idr,
            policies: self.policies,
        })
    }
}

/// RFC 4563 §5: with the Empty map "there MUST NOT be any Security Policy payload"
/// (Error no. 9).
pub(crate) fn check_empty_map(
    message: &Message<'_>,
    policies: &[&SecurityPolicy<'_>],
) -> Result<(), Error> {
    if matches!(message.header.cs_map, CsIdMap::Empty { .. }) && !policies.is_empty() {
        return Err(Error::UnsupportedPolicyType);
    }
    Ok(())
}

/// The CS ID map entries of a received message (RFC 3830 §6.1.1). With the Empty map
/// (RFC 4563 §5) the #CS crypto sessions and their policies are described outside MIKEY;
/// here they take SSRC 0, ROC 0 and the default policy. A GENERIC-ID map (RFC 6043) is
/// not for SRTP here: Error no. 9.
pub(crate) fn map_entries(message: &Message<'_>) -> Result<Vec<SrtpIdEntry>, Error> {
    match &message.header.cs_map {
        CsIdMap::SrtpId(map) => Ok(map.entries().collect()),
        CsIdMap::Empty { cs_count } => Ok(vec![
            SrtpIdEntry {
                policy_no: 0,
                ssrc: 0,
                roc: 0,
            };
            usize::from(*cs_count)
        ]),
        CsIdMap::GenericId(_) => Err(Error::UnsupportedPolicyType),
    }
}

/// The PRF named by the HDR PRF func (RFC 3830 §6.1; RFC 6043 §6.1).
pub(crate) fn prf_of(prf: PrfFunc) -> Result<Prf, Error> {
    match prf {
        PrfFunc::Mikey1 => Ok(Prf::Mikey1),
        PrfFunc::HmacSha256 => Ok(Prf::HmacSha256),
        PrfFunc::Unknown(_) => Err(Error::UnsupportedPrf),
    }
}

/// The keyed MAC of a MAC alg; `None` for NULL.
pub(crate) fn mac_of(alg: MacAlg) -> Result<Option<MacAlgorithm>, Error> {
    match alg {
        MacAlg::Null => Ok(None),
        MacAlg::HmacSha1_160 => Ok(Some(MacAlgorithm::HmacSha1_160)),
        MacAlg::HmacSha256_256 => Ok(Some(MacAlgorithm::HmacSha256_256)),
        MacAlg::Unknown(_) => Err(Error::UnsupportedMac),
    }
}

/// The TS value field bytes of `t` as sent (8 bytes for NTP types, 4 for COUNTER): the
/// "Timestamp" appended to the verification MAC input (RFC 3830 §5.2).
pub(crate) fn ts_value_bytes(t: &Timestamp) -> Vec<u8> {
    let len = t.ts_type.value_len().unwrap_or(8);
    t.value.to_be_bytes()[8 - len..].to_vec()
}

/// The General Extension payloads an I_MESSAGE carries after its SP payloads (RFC 3830
/// §6.15: "part of the authenticated/signed data part"): SDP IDs when the offer names its
/// key management protocols (RFC 4567 §4.1.4), then the application's.
pub(crate) fn offer_extensions<'o>(
    o: &'o Offer<'_>,
) -> impl Iterator<Item = Payload<'static>> + 'o {
    o.sdp_ids
        .map(crate::wire::GeneralExtension::sdp_ids)
        .into_iter()
        .chain(o.extensions.iter().cloned())
        .map(Payload::GeneralExtension)
}
