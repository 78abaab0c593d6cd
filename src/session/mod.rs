//! A MIKEY session: one crypto session bundle (CSB) between an Initiator and a Responder
//! (RFC 3830 §2.1, §4.4), driven message by message.
//!
//! Every call either succeeds and moves the session on, or fails and leaves it exactly
//! as it was: new state is computed aside and installed only at the end.

pub mod config;
pub mod counter_store;
mod csb_ids;
mod extensions;
mod initiator;
pub(crate) mod keys;
mod negotiate;
pub mod onvif;
mod responder;
mod update_order;

pub use config::{
    Config, ConfigBuilder, Identity, KeyTransport, LogLevel, LogSink, MAX_MESSAGE_SIZE_RANGE, Mode,
    TRAILING_PADDING_RANGE, VerificationInput,
};
pub use keys::{CarriedKey, CryptoSession, KeyLifetime, SrtpKey};

use crate::exchange::{CachedKey, Error, Sent};
use crate::wire::{Message, SrtpIdEntry, Timestamp, TsType};
use csb_ids::CsbIdLease;
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
    /// Initiator: the I_MESSAGE is sent and the keys come with the answer (RSA-R, RFC
    /// 4738 §3.1).
    AwaitingKeys,
    /// Initiator accepting forked answers (RFC 5197 §5.2): one or more Responders
    /// answered, each with its own keys ([`Session::branch`]); more may answer until the
    /// application picks one ([`Session::select_branch`]).
    Forked,
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
    /// PK mode: the envelope key (RFC 3830 §3.2), 32 bytes; a stateless Initiator keeps
    /// it to resume with [`Session::resume_initiator_with_envelope_key`].
    pub envelope_key: Option<Zeroizing<Vec<u8>>>,
    /// DH modes: the exponent x_i (RFC 3830 §3.3), the group's length with its top bit
    /// clear; a stateless Initiator keeps it to resume with
    /// [`Session::resume_initiator_with_dh_secret`].
    pub dh_secret: Option<Zeroizing<Vec<u8>>>,
}

impl std::fmt::Debug for InitInputs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InitInputs")
            .field("csb_id", &self.csb_id)
            .field("rand", &self.rand)
            .field("key", &self.key.as_ref().map(|_| "<secret>"))
            .field(
                "envelope_key",
                &self.envelope_key.as_ref().map(|_| "<secret>"),
            )
            .field("dh_secret", &self.dh_secret.as_ref().map(|_| "<secret>"))
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
    /// Initiator accepting forked answers: a Responder's answer became branch `index`
    /// (RFC 5197 §5.2; see [`Session::branch`]).
    Branch {
        /// The branch's index.
        index: usize,
    },
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
    /// Initiator: the keys an answer carried (RSA-R) are installed.
    Received {
        csb: Box<Csb>,
    },
    /// Initiator accepting forked answers: the keys of one more Responder are kept.
    Branch {
        responder: Vec<u8>,
        csb: Box<Csb>,
    },
    Install {
        csb: Box<Csb>,
        replay_key: crate::replay::MessageKey,
        now: crate::time::ClockReading,
    },
}

#[derive(Clone)]
struct Csb {
    csb_id: u32,
    rand: Vec<u8>,
    streams: Vec<SrtpIdEntry>,
    keys: Vec<CarriedKey>,
    crypto_sessions: Vec<CryptoSession>,
    /// The timestamp of the last I_MESSAGE: sent (Initiator) or accepted (Responder);
    /// an update must be newer (RFC 3830 §4.5, §5.4).
    last_t: Timestamp,
    /// Initiator: what it needs of the last I_MESSAGE it sent to check the answer.
    sent: Option<Sent>,
    /// Responder: the I_MESSAGE that installed this CSB (the initial one or the last
    /// update) and the reply sent to it, to answer its retransmissions.
    accepted: Option<Accepted>,
    /// The envelope key the PK exchange asked both sides to cache (RFC 3830 §3.2, §6.3):
    /// the updates of this CSB are PSK messages keyed with it (§4.5).
    cached_key: Option<Arc<CachedKey>>,
    /// Initiator: the last I_MESSAGE sent was such an update, so its answer is a PSK
    /// verification message.
    sent_with_cached_key: bool,
    /// Responder: the extensions and TESLA bootstrap of the I_MESSAGE that installed it.
    received: extensions::Received,
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
    /// Initiator with forked answers (RFC 5197 §5.2): one key set per Responder, until the
    /// application selects one.
    branches: Vec<Branch>,
    /// Initiator: what its I_MESSAGEs carry besides keys.
    outgoing: extensions::Outgoing,
}

/// The keys one Responder of a forked exchange sent (RFC 5197 §5.2).
struct Branch {
    /// The Responder's authenticated identity (the IDr inside its KEMAC).
    responder: Vec<u8>,
    csb: Csb,
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
            branches: Vec::new(),
            outgoing: extensions::Outgoing::default(),
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
            branches: Vec::new(),
            outgoing: extensions::Outgoing::default(),
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
            (Some(csb), true) if csb.keys.is_empty() && !self.branches.is_empty() => State::Forked,
            (Some(csb), true) if csb.keys.is_empty() => State::AwaitingKeys,
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

    /// The envelope key of the PK exchange that keyed this CSB, when its PKE's C field was
    /// "Cache" (RFC 3830 §3.2, §6.3): the application may keep it as the pre-shared key
    /// of a later exchange with the same peer (a PSK config). `None` with "No cache" and
    /// with "Cache for CSB", whose key only this session's updates use
    /// ([`Session::rekey`]). A secret: zeroize it after use.
    pub fn cached_envelope_key(&self) -> Option<&[u8]> {
        self.csb
            .as_ref()
            .and_then(|c| c.cached_key.as_deref())
            .and_then(CachedKey::outliving_key)
    }

    /// Initiator accepting forked answers (RFC 5197 §5.2): how many Responders answered
    /// with keys so far.
    pub fn branch_count(&self) -> usize {
        self.branches.len()
    }

    /// Branch `index`: the Responder's authenticated identity (the ID data of the IDr its
    /// KEMAC carried) and the crypto sessions keyed by it, usable at once (early media,
    /// RFC 5197 §5.3: the Initiator knows the keys as soon as the answer arrives).
    pub fn branch(&self, index: usize) -> Option<(&[u8], &[CryptoSession])> {
        self.branches
            .get(index)
            .map(|b| (b.responder.as_slice(), b.csb.crypto_sessions.as_slice()))
    }

    /// Keeps branch `index` as the session's keys ([`State::Established`]) and drops every
    /// other branch, whose keys are zeroized; no further answer is accepted.
    /// [`Error::WrongState`] unless the session is [`State::Forked`];
    /// [`Error::Config`] for an index past [`Session::branch_count`].
    pub fn select_branch(&mut self, index: usize) -> Result<(), Error> {
        if self.state() != State::Forked {
            return Err(Error::WrongState);
        }
        if index >= self.branches.len() {
            return Err(Error::Config("no branch of that index"));
        }
        let chosen = self.branches.swap_remove(index);
        self.branches.clear();
        self.csb = Some(chosen.csb);
        self.awaiting_verification = false;
        Ok(())
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

    /// Responder: [`Session::process`] for an I_MESSAGE that came in an SDP or RTSP offer
    /// listing the key management protocols `kmpids` ("mikey", "mikey;keyp1": see
    /// [`crate::sdp::SdpKeyMgmt::protocol_list`]). RFC 4567 §4.1.4 bidding-down protection:
    /// once the message is authenticated, the KMPID list of its SDP IDs extension must be
    /// `kmpids`, and an offer of several protocols must carry one; otherwise
    /// [`Error::BiddingDown`] and nothing changes. A message without the extension passes
    /// when the offer is MIKEY alone (most senders do not add it then).
    pub fn process_offer(&mut self, bytes: &[u8], kmpids: &str) -> Result<Processed, Failure> {
        let prepared = self.prepare_offer(bytes, Some(kmpids))?;
        self.commit(prepared)
    }

    /// [`Session::prepare`], with the bidding-down check of [`Session::process_offer`]
    /// when the offer's KMPID list is given.
    pub(crate) fn prepare_offer(
        &self,
        bytes: &[u8],
        kmpids: Option<&str>,
    ) -> Result<Prepared, Failure> {
        let Some(kmpids) = kmpids else {
            return self.prepare(bytes);
        };
        if self.role != Role::Responder {
            return Err(Error::WrongState.into());
        }
        let prepared = self.prepare(bytes)?;
        if matches!(prepared.change, Change::Install { .. }) {
            check_sdp_ids(&self.config, bytes, kmpids)?;
        }
        Ok(prepared)
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
            Change::Received { csb } => {
                self.csb = Some(*csb);
                self.awaiting_verification = false;
            }
            Change::Branch { responder, csb } => {
                self.branches.push(Branch {
                    responder,
                    csb: *csb,
                });
            }
            Change::Install {
                csb,
                replay_key,
                now,
            } => {
                let c = &self.config;
                // A persisted COUNTER first (RFC 3830 §5.4): a value the store did not
                // take is not accepted, so it cannot come back after a restart.
                if let (TsType::Counter, Some(store)) = (csb.last_t.ts_type, &c.counter_store) {
                    store.accept(csb.last_t.value)?;
                }
                c.replay
                    .insert(replay_key, &csb.last_t, now)
                    .map_err(Error::from)?;
                c.log(LogLevel::Info, "I_MESSAGE processed");
                self.csb = Some(*csb);
            }
        }
        Ok(prepared.processed)
    }
}

/// RFC 4567 §4.1.4: the SDP IDs of an accepted I_MESSAGE against the offer's KMPID list.
fn check_sdp_ids(c: &Config, bytes: &[u8], kmpids: &str) -> Result<(), Error> {
    let (message, _) =
        Message::parse_padded(bytes, &c.limits, c.trailing_padding).map_err(Error::Parse)?;
    let listed = message.payloads.iter().find_map(|p| match p {
        crate::wire::Payload::GeneralExtension(g) => g.as_sdp_ids(),
        _ => None,
    });
    let kmpids = kmpids.trim();
    match listed {
        Some(list) if list == kmpids => Ok(()),
        None if !kmpids.contains(';') => Ok(()),
        _ => Err(Error::BiddingDown),
    }
}
