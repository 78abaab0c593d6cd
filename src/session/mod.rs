//! A MIKEY session: one crypto session bundle (CSB) between an Initiator and a Responder
//! (RFC 3830 §2.1, §4.4), driven message by message.
//!
//! Every call either succeeds and moves the session on, or fails and leaves it exactly
//! as it was: new state is computed aside and installed only at the end.

pub mod config;
mod csb_ids;
pub(crate) mod keys;
mod update_order;

pub use config::{
    Config, ConfigBuilder, Identity, KeyTransport, LogLevel, LogSink, MAX_MESSAGE_SIZE_RANGE, Mode,
    TRAILING_PADDING_RANGE, VerificationInput,
};
pub use keys::{CarriedKey, CryptoSession, KeyLifetime, SrtpKey};

use crate::exchange::psk::{self, InitMessage, VerificationIds};
use crate::exchange::{Error, TransportKeys, prf_of};
use crate::policy::{PolicyError, SrtpPolicy, SrtpProfile};
use crate::replay::message_key;
use crate::wire::{
    DataType, EncrAlg, ErrorNo, IdType, KeyDataType, KeyValidity, MacAlg, Message, PrfFunc,
    SecurityPolicy, SrtpIdEntry, Timestamp,
};
use csb_ids::CsbIdLease;
use std::borrow::Cow;
use std::sync::Arc;
use zeroize::Zeroizing;

/// Which side of the exchange a session is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Sends the I_MESSAGE.
    Initiator,
    /// Processes the I_MESSAGE and answers.
    Responder,
}

/// Where a session is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// No keys yet.
    Idle,
    /// Initiator: keys are set and the verification message is awaited (V = 1).
    AwaitingVerification,
    /// Keys are set (and verified, when a verification message was asked for).
    Established,
}

/// One stream the Initiator keys: an SRTP-ID map entry (RFC 3830 §6.1.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamSpec {
    /// SSRC (0 if not known yet).
    pub ssrc: u32,
    /// Rollover counter (0 for a new stream).
    pub roc: u32,
    /// Index into the config's offered policies.
    pub policy_no: u8,
}

/// Values the Initiator normally draws from its random source, fixed instead to make an
/// I_MESSAGE reproducible (test vectors, interop scripts: the CLI's `--csb`, `--rand`,
/// `--tgk`). `None` draws as usual. Never needed in normal use: a fixed RAND
/// or key repeated across sessions destroys their security (RFC 3830 §4.1.3, §9.4).
#[derive(Clone, Default)]
pub struct InitInputs {
    /// The CSB ID (non-zero).
    pub csb_id: Option<u32>,
    /// RAND (at least 16 bytes, RFC 3830 §6.11).
    pub rand: Option<Vec<u8>>,
    /// The key carried in the KEMAC: the TGK with [`KeyTransport::Tgk`], otherwise the
    /// first offered profile's master key ‖ master salt.
    pub key: Option<Zeroizing<Vec<u8>>>,
}

impl std::fmt::Debug for InitInputs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InitInputs")
            .field("csb_id", &self.csb_id)
            .field("rand", &self.rand)
            .field("key", &self.key.as_ref().map(|_| "<secret>"))
            .finish()
    }
}

/// What a successful [`Session::process`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// Responder: keys installed from an I_MESSAGE (`update`: for an existing CSB).
    KeysEstablished {
        /// True for a re-keying update (RFC 3830 §4.5).
        update: bool,
    },
    /// Initiator: the verification message verified.
    Verified,
    /// Responder: a byte-identical copy of the last I_MESSAGE this session accepted (SIP
    /// and RTSP resend an I_MESSAGE whose answer was lost). Not an error: the reply is the
    /// same one as before (the verification message, or none when V = 0) and nothing
    /// changed: no new keys, no replay-cache entry. Only the session that accepted the
    /// message answers it, and only its last one; any other replay is still
    /// [`Error::Replayed`] (RFC 3830 §5.4), and a copy arriving outside the clock skew is
    /// refused like any message (§5.3).
    Retransmission,
}

/// A successful [`Session::process`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Processed {
    /// What happened.
    pub event: Event,
    /// The message to send back (the verification message), if any.
    pub reply: Option<Vec<u8>>,
}

/// A failed [`Session::process`]: the session is unchanged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// Why.
    pub error: Error,
    /// The Error message to send back (RFC 3830 §5.1.2), if any.
    pub reply: Option<Vec<u8>>,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure { error, reply: None }
    }
}

/// The most CSB IDs [`Session::initiate`] draws before giving up with [`Error::Rng`]: a
/// random source whose 16 draws are all 0 or all held by live sessions is broken.
const MAX_CSB_ID_DRAWS: usize = 16;

/// An I_MESSAGE built but not yet installed, with its CSB ID held (a new CSB) until then.
pub(crate) struct PreparedInit {
    csb: Csb,
    lease: Option<CsbIdLease>,
}

/// The outcome of processing a message, before it is committed.
pub(crate) struct Prepared {
    pub processed: Processed,
    change: Change,
}

enum Change {
    /// A retransmission was answered.
    Nothing,
    Verified,
    Install {
        csb: Box<Csb>,
        replay_key: crate::replay::MessageKey,
        now: crate::time::ClockReading,
    },
}

#[derive(Clone)]
struct Csb {
    csb_id: u32,
    prf: PrfFunc,
    rand: Vec<u8>,
    streams: Vec<SrtpIdEntry>,
    keys: Vec<CarriedKey>,
    crypto_sessions: Vec<CryptoSession>,
    /// The timestamp of the last I_MESSAGE: sent (Initiator) or accepted (Responder);
    /// an update must be newer (RFC 3830 §4.5, §5.4).
    last_t: Timestamp,
    /// Initiator: the verification MAC identities of the last I_MESSAGE.
    ids: VerificationIds,
    /// Initiator: the transport keys of the last I_MESSAGE (to verify the answer).
    transport: Option<Arc<TransportKeys>>,
    /// Responder: the I_MESSAGE that installed this CSB (the initial one or the last
    /// update) and the reply sent to it, to answer its retransmissions.
    accepted: Option<Accepted>,
}

/// Responder: the last I_MESSAGE a session accepted, as the replay cache knows it (its
/// [`message_key`], over every byte the MAC covers), and the reply sent to it. The reply
/// is a verification message, sent in the clear: it holds no secret.
#[derive(Clone)]
struct Accepted {
    key: crate::replay::MessageKey,
    reply: Option<Vec<u8>>,
}

/// A MIKEY session (one CSB). Used by one thread at a time; movable between threads.
pub struct Session {
    config: Arc<Config>,
    role: Role,
    csb: Option<Csb>,
    awaiting_verification: bool,
    /// Initiator: its CSB ID, held among the config's live ones until the session is
    /// dropped (RFC 3830 §6.1).
    csb_id_lease: Option<CsbIdLease>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("role", &self.role)
            .field("state", &self.state())
            .field("csb_id", &self.csb_id())
            .finish_non_exhaustive()
    }
}

impl Session {
    /// A new Initiator session.
    pub fn initiator(config: Arc<Config>) -> Session {
        Session {
            config,
            role: Role::Initiator,
            csb: None,
            awaiting_verification: false,
            csb_id_lease: None,
        }
    }

    /// A new Responder session.
    pub fn responder(config: Arc<Config>) -> Session {
        Session {
            config,
            role: Role::Responder,
            csb: None,
            awaiting_verification: false,
            csb_id_lease: None,
        }
    }

    /// The role.
    pub fn role(&self) -> Role {
        self.role
    }

    /// The configuration.
    pub fn config(&self) -> &Arc<Config> {
        &self.config
    }

    /// The state.
    pub fn state(&self) -> State {
        match (&self.csb, self.awaiting_verification) {
            (None, _) => State::Idle,
            (Some(_), true) => State::AwaitingVerification,
            (Some(_), false) => State::Established,
        }
    }

    /// The CSB ID, once keys are set.
    pub fn csb_id(&self) -> Option<u32> {
        self.csb.as_ref().map(|c| c.csb_id)
    }

    /// The crypto sessions with their keys (empty until keys are set).
    pub fn crypto_sessions(&self) -> &[CryptoSession] {
        self.csb.as_ref().map_or(&[], |c| &c.crypto_sessions)
    }

    /// Initiator: builds the I_MESSAGE for `streams` (RFC 3830 §3.1, §5.2) with a fresh
    /// CSB ID, RAND, timestamp and key, and installs the keys.
    ///
    /// The CSB ID is one no live Initiator session of this config holds (RFC 3830 §6.1:
    /// "An Initiator MUST check for collisions"); the session holds it until it is
    /// dropped. A colliding (or 0) draw is drawn again; after 16 such draws the random
    /// source is taken as broken: [`Error::Rng`].
    pub fn initiate(&mut self, streams: &[StreamSpec]) -> Result<Vec<u8>, Error> {
        self.initiate_with(streams, &InitInputs::default())
    }

    /// [`Session::initiate`] with some of the random values fixed (see [`InitInputs`]). A
    /// fixed CSB ID held by a live session of this config is refused:
    /// [`Error::CsbIdInUse`].
    pub fn initiate_with(
        &mut self,
        streams: &[StreamSpec],
        inputs: &InitInputs,
    ) -> Result<Vec<u8>, Error> {
        let (bytes, prepared) = self.prepare_initiate(streams, inputs)?;
        self.install(prepared);
        Ok(bytes)
    }

    /// Initiator: the session that sent `sent`, an initial I_MESSAGE built with this
    /// configuration's credentials, rebuilt from the message itself: its MAC is verified
    /// and its KEMAC decrypted with the PSK (RFC 3830 §5.2), and the session awaits the
    /// verification message when the message's V flag is set. For an Initiator that does
    /// not keep state between sending and receiving (`mikey initiate`, then
    /// `mikey complete`). The timestamp and the replay cache are not consulted: the
    /// message is our own, and the answer's timestamp must still equal its timestamp.
    /// The session holds the message's CSB ID like any Initiator session (RFC 3830 §6.1):
    /// while another live session of this config holds it, [`Error::CsbIdInUse`].
    pub fn resume_initiator(config: Arc<Config>, sent: &[u8]) -> Result<Session, Error> {
        let message = Message::parse_with_limits(sent, &config.limits)?;
        let view = psk::view_init(&message)?;
        let rand = view.rand.ok_or(Error::MissingPayload("RAND"))?.to_vec();
        let header = &message.header;
        if (view.kemac.encr_alg == EncrAlg::Null) != (config.mode == Mode::Null) {
            return Err(Error::UnsupportedEncryption);
        }
        let psk = config.psk.as_ref();
        let (tk, keys) = psk::open_with_psk(psk, sent, &view, &rand)?;
        let streams = effective_streams(&view);
        // Our own offer: the first combination we support is the one we offered.
        let crypto_sessions =
            negotiated_sessions(&view, &streams, prf_of(header.prf)?, &rand, &keys, |_| true)?;
        let ids = VerificationIds {
            initiator: view
                .idi
                .map(|i| i.data.to_vec())
                .or_else(|| config.local_id.as_ref().map(|i| i.data.clone()))
                .unwrap_or_default(),
            responder: view
                .idr
                .map(|i| i.data.to_vec())
                .or_else(|| config.peer_id.as_ref().map(|i| i.data.clone()))
                .unwrap_or_default(),
        };
        let csb = Csb {
            csb_id: header.csb_id,
            prf: header.prf,
            rand,
            streams,
            keys,
            crypto_sessions,
            last_t: view.t,
            ids,
            transport: Some(Arc::new(tk)),
            accepted: None,
        };
        // Last, so that a message these credentials do not open is refused as such.
        let lease = config
            .csb_ids
            .claim(header.csb_id)
            .ok_or(Error::CsbIdInUse)?;
        Ok(Session {
            config,
            role: Role::Initiator,
            csb: Some(csb),
            awaiting_verification: header.v,
            csb_id_lease: Some(lease),
        })
    }

    /// Initiator: builds an update I_MESSAGE (RFC 3830 §4.5: same CSB ID, new timestamp,
    /// no RAND) with a new key, adding `new_streams` to the crypto sessions.
    pub fn rekey(&mut self, new_streams: &[StreamSpec]) -> Result<Vec<u8>, Error> {
        let (bytes, prepared) = self.prepare_rekey(new_streams)?;
        self.install(prepared);
        Ok(bytes)
    }

    /// [`Session::initiate`] without installing: the message and what to install.
    pub(crate) fn prepare_initiate(
        &self,
        streams: &[StreamSpec],
        inputs: &InitInputs,
    ) -> Result<(Vec<u8>, PreparedInit), Error> {
        if self.role != Role::Initiator || self.csb.is_some() {
            return Err(Error::WrongState);
        }
        let c = &self.config;
        // What is not fixed is drawn in one call to the random source.
        let key_len = self.key_material_len();
        let need = [
            (inputs.csb_id.is_none(), 4),
            (inputs.rand.is_none(), c.rand_len),
            (inputs.key.is_none(), key_len),
        ]
        .iter()
        .filter(|(draw, _)| *draw)
        .map(|(_, n)| n)
        .sum();
        let mut random = Zeroizing::new(vec![0u8; need]);
        if need > 0 {
            c.rng.fill(&mut random)?;
        }
        let mut rest = &random[..];
        let mut take = |n: usize| {
            let (drawn, after) = rest.split_at(n);
            rest = after;
            drawn
        };
        // RFC 3830 §6.1: a CSB ID no live session of this config holds, drawn afresh on a
        // collision (or a 0) a bounded number of times.
        let (csb_id, lease) = match inputs.csb_id {
            Some(0) => return Err(Error::Config("the CSB ID must not be 0")),
            Some(id) => (id, c.csb_ids.claim(id).ok_or(Error::CsbIdInUse)?),
            None => {
                let mut drawn: [u8; 4] = take(4).try_into().expect("4 bytes");
                let mut draws = 1;
                loop {
                    let id = u32::from_be_bytes(drawn);
                    if let Some(lease) = (id != 0).then(|| c.csb_ids.claim(id)).flatten() {
                        break (id, lease);
                    }
                    if draws == MAX_CSB_ID_DRAWS {
                        return Err(Error::Rng);
                    }
                    c.rng.fill(&mut drawn)?;
                    draws += 1;
                }
            }
        };
        let rand = match &inputs.rand {
            Some(r) if r.len() < 16 || r.len() > 255 => {
                return Err(Error::Config("RAND must be 16 to 255 bytes"));
            }
            Some(r) => r.clone(),
            None => take(c.rand_len).to_vec(),
        };
        let key = match &inputs.key {
            Some(fixed) => self.carried_key(fixed)?,
            None => self.carried_key(take(key_len))?,
        };
        let (bytes, csb) = self.build_init(csb_id, rand, Vec::new(), streams, key)?;
        Ok((
            bytes,
            PreparedInit {
                csb,
                lease: Some(lease),
            },
        ))
    }

    /// [`Session::rekey`] without installing.
    pub(crate) fn prepare_rekey(
        &self,
        new_streams: &[StreamSpec],
    ) -> Result<(Vec<u8>, PreparedInit), Error> {
        let csb = match (&self.csb, self.role) {
            (Some(csb), Role::Initiator) => csb,
            _ => return Err(Error::WrongState),
        };
        let existing = csb.streams.clone();
        let mut material = Zeroizing::new(vec![0u8; self.key_material_len()]);
        self.config.rng.fill(&mut material)?;
        let key = self.carried_key(&material)?;
        let (bytes, csb) =
            self.build_init(csb.csb_id, csb.rand.clone(), existing, new_streams, key)?;
        Ok((bytes, PreparedInit { csb, lease: None }))
    }

    /// Installs the keys of a prepared I_MESSAGE.
    pub(crate) fn install(&mut self, prepared: PreparedInit) {
        self.csb = Some(prepared.csb);
        if let Some(lease) = prepared.lease {
            self.csb_id_lease = Some(lease);
        }
        self.awaiting_verification = self.config.request_verification;
    }

    fn build_init(
        &self,
        csb_id: u32,
        rand: Vec<u8>,
        mut entries: Vec<SrtpIdEntry>,
        streams: &[StreamSpec],
        key: CarriedKey,
    ) -> Result<(Vec<u8>, Csb), Error> {
        let c = &self.config;
        let update = !entries.is_empty();
        for s in streams {
            if usize::from(s.policy_no) >= c.offer.len() {
                return Err(Error::Config("stream names a policy that is not offered"));
            }
            entries.push(SrtpIdEntry {
                policy_no: s.policy_no,
                ssrc: s.ssrc,
                roc: s.roc,
            });
        }
        if entries.is_empty() || entries.len() > 255 {
            return Err(Error::Config("1 to 255 streams are needed"));
        }
        let mut t = Timestamp {
            ts_type: c.ts_type,
            value: c.next_timestamp(),
        };
        if let Some(csb) = &self.csb {
            let max_ahead = crate::time::ntp_units(c.freshness.skew);
            t.value = update_order::update_timestamp(&csb.last_t, t, c.clock.now_ntp(), max_ahead);
        }
        fn id(i: &Option<Identity>, send: bool) -> Option<(IdType, &[u8])> {
            i.as_ref()
                .filter(|_| send)
                .map(|i| (i.id_type, i.data.as_slice()))
        }
        let policies = (0..c.offer.len())
            .map(|i| c.offer[i].to_sp(i as u8))
            .collect::<Result<Vec<_>, _>>()?;
        let keys = vec![key];
        let tk =
            TransportKeys::derive(c.prf, c.psk.as_ref(), csb_id, &rand, c.encr_alg, c.mac_alg)?;
        let bytes = psk::build_init(
            &InitMessage {
                csb_id,
                v: c.request_verification,
                prf: c.prf,
                streams: &entries,
                t,
                rand: (!update).then_some(rand.as_slice()),
                idi: id(&c.local_id, c.send_ids),
                idr: id(&c.peer_id, c.send_ids),
                policies,
                keys: &keys,
            },
            &tk,
        )?;
        let profiles: Vec<SrtpProfile> = entries
            .iter()
            .map(|e| {
                c.offer[usize::from(e.policy_no)]
                    .profile()
                    .expect("offered policies are checked when the config is built")
            })
            .collect();
        let crypto_sessions = derive_sessions(
            prf_of(c.prf)?,
            csb_id,
            &rand,
            &entries,
            &profiles,
            &keys,
            |i| c.offer[usize::from(entries[i].policy_no)],
        )?;
        let ids = VerificationIds {
            initiator: c.local_id.as_ref().map_or(Vec::new(), |i| i.data.clone()),
            responder: c.peer_id.as_ref().map_or(Vec::new(), |i| i.data.clone()),
        };
        let csb = Csb {
            csb_id,
            prf: c.prf,
            rand,
            streams: entries,
            keys,
            crypto_sessions,
            last_t: t,
            ids,
            transport: Some(Arc::new(tk)),
            accepted: None,
        };
        Ok((bytes, csb))
    }

    /// The length of the key material [`Session::carried_key`] takes: the TGK, or the
    /// first offered profile's master key ‖ master salt.
    fn key_material_len(&self) -> usize {
        let c = &self.config;
        let profile = c.offer[0]
            .profile()
            .expect("offered policies are checked when the config is built");
        match c.key_transport {
            KeyTransport::Tgk => c.tgk_len,
            _ => profile.master_key_len() + profile.master_salt_len(),
        }
    }

    /// The KEMAC key made of `material` per the configured key transport (fresh random
    /// bytes, or [`InitInputs::key`]), with the next MKI.
    fn carried_key(&self, material: &[u8]) -> Result<CarriedKey, Error> {
        let c = &self.config;
        let wanted = self.key_material_len();
        let (kind, key, salt) = match c.key_transport {
            KeyTransport::Tgk if (1..=1024).contains(&material.len()) => {
                (KeyDataType::Tgk, material, None)
            }
            KeyTransport::TekSalt if material.len() == wanted => {
                let profile = c.offer[0].profile().expect("checked when built");
                let (key, salt) = material.split_at(profile.master_key_len());
                (KeyDataType::TekSalt, key, Some(salt))
            }
            KeyTransport::TekConcatenated if material.len() == wanted => {
                (KeyDataType::Tek, material, None)
            }
            _ => return Err(Error::Config("the given key has the wrong length")),
        };
        Ok(CarriedKey {
            kind,
            key: Zeroizing::new(key.to_vec()),
            salt: salt.map(|s| Zeroizing::new(s.to_vec())),
            kv: self.new_kv(),
        })
    }

    /// The Key validity of a new key: an SPI with the next MKI when MKIs are configured.
    fn new_kv(&self) -> KeyValidity<'static> {
        let c = &self.config;
        if c.mki_len == 0 {
            KeyValidity::Null
        } else {
            KeyValidity::Spi(Cow::Owned(c.next_mki()))
        }
    }

    /// Processes a peer's message: as Responder an I_MESSAGE (initial or update), as
    /// Initiator the verification message or an Error message. A message longer than
    /// [`ConfigBuilder::max_message_size`] fails with [`crate::wire::ErrorKind::TooLarge`]
    /// before it is parsed, with no reply.
    ///
    /// A Responder given the last I_MESSAGE it accepted once more answers it again
    /// ([`Event::Retransmission`], the same reply, nothing changed). An Initiator given
    /// the verification message again after [`Event::Verified`] fails with
    /// [`Error::WrongState`] and changes nothing: there is nothing to answer.
    pub fn process(&mut self, bytes: &[u8]) -> Result<Processed, Failure> {
        let prepared = self.prepare(bytes)?;
        self.commit(prepared)
    }

    /// [`Session::process`] without changing anything: the outcome and the change to
    /// make with [`Session::commit`].
    pub(crate) fn prepare(&self, bytes: &[u8]) -> Result<Prepared, Failure> {
        // Bounded before parsing: a longer message is refused unread (wire::Limits).
        let c = &self.config;
        let (message, padding) =
            Message::parse_padded(bytes, &c.limits, c.trailing_padding).map_err(Error::Parse)?;
        // From here on the message is its bytes without the padding: what the MAC covers,
        // what the replay cache and the retransmission check compare.
        let bytes = &bytes[..bytes.len() - padding];
        match self.role {
            Role::Initiator => self.process_response(bytes, &message),
            Role::Responder => self.process_init(bytes, &message),
        }
    }

    /// Makes the change of a prepared outcome: the authoritative replay-cache insert
    /// (RFC 3830 §5.3: only after authentication), then the new state.
    pub(crate) fn commit(&mut self, prepared: Prepared) -> Result<Processed, Failure> {
        match prepared.change {
            Change::Nothing => {}
            Change::Verified => self.awaiting_verification = false,
            Change::Install {
                csb,
                replay_key,
                now,
            } => {
                let c = &self.config;
                c.replay
                    .insert(replay_key, &csb.last_t, now)
                    .map_err(Error::from)?;
                c.log(LogLevel::Info, "I_MESSAGE processed");
                self.csb = Some(*csb);
            }
        }
        Ok(prepared.processed)
    }

    fn process_response(&self, bytes: &[u8], message: &Message<'_>) -> Result<Prepared, Failure> {
        let csb = self.csb.as_ref().ok_or(Error::WrongState)?;
        let is_error = message.header.data_type == DataType::Error;
        if !is_error && !self.awaiting_verification {
            return Err(Error::WrongState.into());
        }
        let c = &self.config;
        let tk = match &csb.transport {
            Some(tk) => Arc::clone(tk),
            None => Arc::new(TransportKeys::derive(
                csb.prf,
                c.psk.as_ref(),
                csb.csb_id,
                &csb.rand,
                c.encr_alg,
                c.mac_alg,
            )?),
        };
        if let (Some(expected), Some(idr)) = (&c.peer_id, response_idr(message)) {
            if !is_error && (idr.0 != expected.id_type || idr.1 != expected.data.as_slice()) {
                return Err(Error::IdentityMismatch.into());
            }
        }
        psk::check_response(
            bytes,
            message,
            csb.csb_id,
            &csb.last_t,
            &tk,
            c.verification_input,
            &csb.ids,
        )?;
        c.log(LogLevel::Info, "verification message verified");
        Ok(Prepared {
            processed: Processed {
                event: Event::Verified,
                reply: None,
            },
            change: Change::Verified,
        })
    }

    fn process_init(&self, bytes: &[u8], message: &Message<'_>) -> Result<Prepared, Failure> {
        let c = Arc::clone(&self.config);
        let header = &message.header;
        let view = match psk::view_init(message) {
            Ok(v) => v,
            Err(e @ Error::UnexpectedMessage(t)) if is_initiator_type(t) => {
                let reply = self.unauthenticated_error(message, &e);
                return Err(Failure { error: e, reply });
            }
            Err(e) => return Err(e.into()),
        };
        let refuse = |error: Error, session: &Session| {
            let reply = session.unauthenticated_error(message, &error);
            Failure { error, reply }
        };
        // Algorithms the configuration allows (NULL only in NULL mode, RFC 3830 §4.2.3).
        let null_ok = c.mode == Mode::Null;
        let (encr, mac) = (view.kemac.encr_alg, view.kemac.mac_alg);
        match encr {
            EncrAlg::Null if !null_ok || mac != MacAlg::Null => {
                return Err(refuse(Error::UnsupportedEncryption, self));
            }
            EncrAlg::Null | EncrAlg::AesCm128 | EncrAlg::AesKw128 | EncrAlg::AesCm256 => {}
            EncrAlg::Unknown(_) => return Err(refuse(Error::UnsupportedEncryption, self)),
        }
        match mac {
            MacAlg::Null if encr != EncrAlg::Null => {
                return Err(refuse(Error::UnsupportedMac, self));
            }
            MacAlg::Unknown(_) => return Err(refuse(Error::UnsupportedMac, self)),
            _ => {}
        }
        if encr != EncrAlg::Null && c.psk.is_none() {
            return Err(refuse(Error::UnsupportedEncryption, self));
        }
        let prf = prf_of(header.prf).map_err(|e| refuse(e, self))?;
        // RFC 3830 §5.3: timestamp and replay first; both discard silently.
        let now = c.now();
        c.freshness.check(&view.t, now.ntp).map_err(Error::from)?;
        let key = message_key(bytes);
        // A copy of the last I_MESSAGE this session accepted gets the same answer (its
        // replay key is over the whole message, so a copy is the very message that was
        // authenticated); the replay cache, which holds it, refuses every other copy.
        if let Some(accepted) = self.csb.as_ref().and_then(|csb| csb.accepted.as_ref()) {
            if accepted.key == key {
                c.log(LogLevel::Info, "I_MESSAGE retransmission answered");
                return Ok(Prepared {
                    processed: Processed {
                        event: Event::Retransmission,
                        reply: accepted.reply.clone(),
                    },
                    change: Change::Nothing,
                });
            }
        }
        c.replay.check(&key, &view.t, now).map_err(Error::from)?;
        let update = match &self.csb {
            None => false,
            Some(csb) if csb.csb_id == header.csb_id => {
                // RFC 3830 §4.5, §5.4: a late update must not put older keys back.
                update_order::check_update(&view.t, &csb.last_t)?;
                true
            }
            Some(_) => return Err(Error::CsbMismatch.into()),
        };
        let rand = match (update, view.rand) {
            (false, Some(r)) => r.to_vec(),
            (false, None) => return Err(refuse(Error::MissingPayload("RAND"), self)),
            (true, None) => self
                .csb
                .as_ref()
                .map(|c| c.rand.clone())
                .unwrap_or_default(),
            (true, Some(_)) => return Err(refuse(Error::UpdateWithRand, self)),
        };
        let tk = TransportKeys::derive(header.prf, c.psk.as_ref(), header.csb_id, &rand, encr, mac)
            .map_err(|e| refuse(e, self))?;
        let ids = VerificationIds {
            initiator: view
                .idi
                .map(|i| i.data.to_vec())
                .or_else(|| c.peer_id.as_ref().map(|i| i.data.clone()))
                .unwrap_or_default(),
            responder: c
                .local_id
                .as_ref()
                .filter(|_| c.send_ids)
                .map(|i| i.data.clone())
                .or_else(|| view.idr.map(|i| i.data.to_vec()))
                .or_else(|| c.local_id.as_ref().map(|i| i.data.clone()))
                .unwrap_or_default(),
        };
        // An Error message carries no ID payload, so its V MAC takes the identities as the
        // Initiator knows them: the IDr it sent, if any (it may name another Responder,
        // which is what an Error no. 7 reports).
        let error_ids = VerificationIds {
            initiator: ids.initiator.clone(),
            responder: view
                .idr
                .map(|i| i.data.to_vec())
                .unwrap_or_else(|| ids.responder.clone()),
        };
        let fail = |error: Error| {
            let reply = error.error_no().and_then(|no| {
                let supported = if no == ErrorNo::InvalidSpPar {
                    supported_policies(&c)
                } else {
                    Vec::new()
                };
                // An authentication failure is reported unauthenticated (§5.1.2).
                let auth = (no != ErrorNo::AuthFailure).then_some(&tk);
                psk::build_error(
                    header.csb_id,
                    header.prf,
                    view.t,
                    &[no],
                    supported,
                    auth,
                    c.verification_input,
                    &error_ids,
                )
                .ok()
            });
            Failure { error, reply }
        };
        let mut keys = psk::open_kemac(bytes, &view, &tk).map_err(fail)?;
        check_identity(view.idi, c.peer_id.as_ref()).map_err(fail)?;
        check_identity(view.idr, c.local_id.as_ref()).map_err(fail)?;
        if keys.is_empty() {
            keys = self
                .csb
                .as_ref()
                .map(|c| c.keys.clone())
                .unwrap_or_default();
        }
        let streams = effective_streams(&view);
        let crypto_sessions = negotiated_sessions(&view, &streams, prf, &rand, &keys, |p| {
            c.accepted.contains(&p)
        })
        .map_err(fail)?;
        let reply = if header.v {
            let idr = c
                .local_id
                .as_ref()
                .filter(|_| c.send_ids)
                .map(|i| (i.id_type, i.data.as_slice()));
            Some(
                psk::build_verification(
                    header.csb_id,
                    header.prf,
                    &view.streams,
                    view.t,
                    idr,
                    &tk,
                    c.verification_input,
                    &ids,
                )
                .map_err(Failure::from)?,
            )
        } else {
            None
        };
        if encr == EncrAlg::Null {
            c.log(
                LogLevel::Warning,
                "accepting a NULL-mode I_MESSAGE: its keys were sent in the clear and \
                 unauthenticated",
            );
        }
        let csb = Csb {
            csb_id: header.csb_id,
            prf: header.prf,
            rand,
            streams,
            keys,
            crypto_sessions,
            last_t: view.t,
            ids,
            transport: None,
            accepted: Some(Accepted {
                key,
                reply: reply.clone(),
            }),
        };
        Ok(Prepared {
            processed: Processed {
                event: Event::KeysEstablished { update },
                reply,
            },
            change: Change::Install {
                csb: Box::new(csb),
                replay_key: key,
                now,
            },
        })
    }

    /// An unauthenticated Error message answering `message` (used before its MAC could be
    /// checked).
    fn unauthenticated_error(&self, message: &Message<'_>, error: &Error) -> Option<Vec<u8>> {
        let no = error.error_no()?;
        let t = *message.timestamp()?;
        psk::build_error(
            message.header.csb_id,
            message.header.prf,
            t,
            &[no],
            Vec::new(),
            None,
            self.config.verification_input,
            &VerificationIds::default(),
        )
        .ok()
    }
}

/// The crypto sessions an I_MESSAGE keys. A map without entries (GStreamer's
/// `gst_mikey_message_new_from_caps` writes #CS = 0) keys one crypto session, SSRC 0 ("not
/// chosen by the Initiator", RFC 3830 §6.1.1), under the first SP payload's policy: the
/// reading GStreamer's own `gst_mikey_message_to_caps` takes. Its policy is negotiated like
/// any other.
fn effective_streams(view: &psk::InitView<'_, '_>) -> Vec<SrtpIdEntry> {
    if view.streams.is_empty() {
        vec![SrtpIdEntry {
            policy_no: view.policies.first().map_or(0, |sp| sp.policy_no),
            ssrc: 0,
            roc: 0,
        }]
    } else {
        view.streams.clone()
    }
}

/// The SP payload with `policy_no`, or an empty SRTP policy (all defaults, RFC 3830 §6.10.1)
/// when the message has none.
fn offered_policy<'a>(view: &psk::InitView<'_, 'a>, policy_no: u8) -> SecurityPolicy<'a> {
    view.policies
        .iter()
        .find(|sp| sp.policy_no == policy_no)
        .map_or_else(
            || SecurityPolicy::new(policy_no, crate::wire::ProtType::Srtp),
            |sp| (*sp).clone(),
        )
}

/// True for data types an Initiator sends (answered with Error no. 11 when unsupported);
/// responses (RFC 3830, 4650, 4738; RFC 6043 REQUEST_RESP, TRANSFER_RESP, RESOLVE_RESP;
/// RFC 6267 REQUEST_KEY_RESP, R_MESSAGE_1/2) and Error messages are never answered (no
/// error loops).
fn is_initiator_type(t: DataType) -> bool {
    !matches!(
        t,
        DataType::PskVerification
            | DataType::PkVerification
            | DataType::DhResp
            | DataType::Error
            | DataType::DhHmacResp
            | DataType::RsaRResp
            | DataType::RequestResp
            | DataType::TransferResp
            | DataType::ResolveResp
            | DataType::RequestKeyResp
            | DataType::IbakeResp1
            | DataType::IbakeResp2
    )
}

/// The IDr of a response (its ID payload), as (type, data).
fn response_idr<'m>(message: &'m Message<'_>) -> Option<(IdType, &'m [u8])> {
    message.payloads.iter().find_map(|p| match p {
        crate::wire::Payload::Id(id) => Some((id.id_type, &id.data[..])),
        _ => None,
    })
}

/// An identity in the message must match the configured one, when both exist.
fn check_identity(
    got: Option<&crate::wire::Id<'_>>,
    expected: Option<&Identity>,
) -> Result<(), Error> {
    match (got, expected) {
        (Some(got), Some(expected))
            if got.id_type != expected.id_type || got.data[..] != expected.data[..] =>
        {
            Err(Error::IdentityMismatch)
        }
        _ => Ok(()),
    }
}

/// The policies a Responder supports, as SP payloads for an Error no. 10 answer (§5.1.1).
fn supported_policies(c: &Config) -> Vec<SecurityPolicy<'static>> {
    c.accepted
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.policy().to_sp(i as u8).ok())
        .collect()
}

/// The crypto sessions a received I_MESSAGE keys: each stream's SP payload negotiated
/// with `accept` (the first supported combination, RFC 3830 §5.1.1), then keyed.
fn negotiated_sessions(
    view: &psk::InitView<'_, '_>,
    streams: &[SrtpIdEntry],
    prf: crate::crypto::prf::Prf,
    rand: &[u8],
    keys: &[CarriedKey],
    accept: impl Fn(SrtpProfile) -> bool,
) -> Result<Vec<CryptoSession>, Error> {
    let negotiated = streams
        .iter()
        .map(|s| {
            SrtpPolicy::negotiate(&offered_policy(view, s.policy_no), &accept).map_err(
                |e| match e {
                    PolicyError::NotSrtp => Error::UnsupportedPolicyType,
                    PolicyError::Unsupported => Error::UnsupportedPolicy,
                },
            )
        })
        .collect::<Result<Vec<(SrtpPolicy, SrtpProfile)>, Error>>()?;
    let profiles: Vec<SrtpProfile> = negotiated.iter().map(|(_, p)| *p).collect();
    let csb_id = view.message.header.csb_id;
    derive_sessions(prf, csb_id, rand, streams, &profiles, keys, |i| {
        negotiated[i].0
    })
}

/// The crypto sessions of a CSB: CS i+1 is map entry i, keyed by every carried key.
fn derive_sessions(
    prf: crate::crypto::prf::Prf,
    csb_id: u32,
    rand: &[u8],
    entries: &[SrtpIdEntry],
    profiles: &[SrtpProfile],
    keys: &[CarriedKey],
    policy: impl Fn(usize) -> SrtpPolicy,
) -> Result<Vec<CryptoSession>, Error> {
    entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let cs_id = (i + 1) as u8;
            let keys = keys
                .iter()
                .map(|k| k.srtp_key(prf, cs_id, csb_id, rand, profiles[i]))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(CryptoSession {
                cs_id,
                ssrc: e.ssrc,
                roc: e.roc,
                policy_no: e.policy_no,
                policy: policy(i),
                profile: profiles[i],
                keys,
            })
        })
        .collect()
}
