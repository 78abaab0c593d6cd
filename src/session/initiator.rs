//! The Initiator side of a session: the I_MESSAGE (initial and update, RFC 3830 §3, §4.5)
//! and the check of its answer.

use super::negotiate::{derive_sessions, effective_streams, negotiated_sessions};
use super::{
    CarriedKey, Change, Config, Csb, Event, Failure, InitInputs, KeyTransport, LogLevel,
    MAX_CSB_ID_DRAWS, Prepared, PreparedInit, Processed, Role, Session, StreamSpec, update_order,
};
use crate::exchange::{self, Error, Offer, Sent, prf_of};
use crate::policy::SrtpProfile;
use crate::wire::{
    DataType, GeneralExtension, IdType, KeyDataType, KeyValidity, Message, SecurityPolicy,
    SrtpIdEntry, Timestamp,
};
use std::borrow::Cow;
use std::sync::Arc;
use zeroize::Zeroizing;

impl Session {
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

    /// [`Session::initiate`] for an SDP or RTSP offer that lists the key management
    /// protocols `kmpids` (RFC 4567 §4.1.4: every offered KMPID in the order of the
    /// description's key-mgmt attributes, ";"-separated, e.g. "mikey" or "mikey;keyp1"; see
    /// [`crate::sdp::SdpKeyMgmt::protocol_list`]): the I_MESSAGE carries them in a General
    /// Extension of type SDP IDs (RFC 3830 §6.15), covered by its MAC or signature, so that
    /// the Responder can detect offers peeled off on the way ([`Session::process_offer`]).
    pub fn initiate_offer(
        &mut self,
        streams: &[StreamSpec],
        kmpids: &str,
    ) -> Result<Vec<u8>, Error> {
        let (bytes, prepared) =
            self.prepare_initiate_offer(streams, &InitInputs::default(), Some(kmpids))?;
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
        Self::resume(config, sent, None)
    }

    /// [`Session::resume_initiator`] for a PK I_MESSAGE (RFC 3830 §3.2), whose envelope
    /// key is encrypted to the Responder: the Initiator gives the envelope key it sent it
    /// with ([`InitInputs::envelope_key`]), and the KEMAC MAC is verified with it.
    pub fn resume_initiator_with_envelope_key(
        config: Arc<Config>,
        sent: &[u8],
        envelope_key: &[u8],
    ) -> Result<Session, Error> {
        Self::resume(config, sent, Some(envelope_key))
    }

    /// [`Session::resume_initiator`] for a DH I_MESSAGE (RFC 3830 §3.3, RFC 4650): the
    /// Initiator gives the secret exponent x_i it made DHi with ([`InitInputs::dh_secret`];
    /// the message carries only g^(xi)), which is checked against DHi. A secret: an
    /// Initiator that can keep its state should (the secret then never leaves the session).
    pub fn resume_initiator_with_dh_secret(
        config: Arc<Config>,
        sent: &[u8],
        dh_secret: &[u8],
    ) -> Result<Session, Error> {
        Self::resume(config, sent, Some(dh_secret))
    }

    fn resume(config: Arc<Config>, sent: &[u8], secret: Option<&[u8]>) -> Result<Session, Error> {
        let message = Message::parse_with_limits(sent, &config.limits)?;
        let method = exchange::method(config.creds.mode);
        let (view, keys, sent_state) = method.reopen_init(&config.creds, sent, &message, secret)?;
        let header = &message.header;
        let responder_keys = method.responder_keys();
        let rand = match view.rand {
            Some(r) => r.to_vec(),
            None if responder_keys => Vec::new(),
            None => return Err(Error::MissingPayload("RAND")),
        };
        let streams = effective_streams(&view);
        // Our own offer: the first combination we support is the one we offered. The keys
        // of an RSA-R exchange come with the answer.
        let crypto_sessions = if keys.is_empty() {
            Vec::new()
        } else {
            negotiated_sessions(
                &view.policies,
                &streams,
                prf_of(header.prf)?,
                header.csb_id,
                &rand,
                &keys,
                |_| true,
            )?
        };
        let csb = Csb {
            csb_id: header.csb_id,
            rand,
            streams,
            keys,
            crypto_sessions,
            last_t: view.t,
            cached_key: sent_state.cached_key.clone(),
            sent: Some(sent_state),
            accepted: None,
            sent_with_cached_key: false,
            received: Default::default(),
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
            awaiting_verification: header.v || method.keys_in_answer(),
            csb_id_lease: Some(lease),
            branches: Vec::new(),
            outgoing: super::extensions::Outgoing::default(),
        })
    }

    /// Initiator: builds an update I_MESSAGE (RFC 3830 §4.5: same CSB ID, new timestamp,
    /// no RAND) with a new key, adding `new_streams` to the crypto sessions.
    ///
    /// After a PK exchange whose envelope key is cached (the PKE's C field "Cache" or
    /// "Cache for CSB", [`ConfigBuilder::envelope_key_cache`]) the update is a
    /// pre-shared-key message keyed with the cached envelope key, as RFC 3830 §4.5 requires
    /// ("it MUST NOT be a public key message"), answered by a PSK verification message;
    /// its KEMAC uses the configured algorithms, with HMAC-SHA-1-160 in place of the NULL
    /// MAC (a PSK message needs a MAC). Otherwise a PK update carries a new envelope key.
    ///
    /// [`ConfigBuilder::envelope_key_cache`]: super::ConfigBuilder::envelope_key_cache
    pub fn rekey(&mut self, new_streams: &[StreamSpec]) -> Result<Vec<u8>, Error> {
        let (bytes, prepared) = self.prepare_rekey(new_streams, false)?;
        self.install(prepared);
        Ok(bytes)
    }

    /// Initiator of a DH mode: builds an update I_MESSAGE without DHi (RFC 3830 §4.5: "a
    /// MIKEY update message does not need to contain new keying material"; RFC 4650 §3.1
    /// procedure b), adding `new_streams` to the crypto sessions and sending the offered
    /// policies again. The TGK stays: the answer, which carries no DH value either, keys
    /// the new crypto sessions with it. [`Error::Config`] in the other modes.
    pub fn update_keeping_tgk(&mut self, new_streams: &[StreamSpec]) -> Result<Vec<u8>, Error> {
        let (bytes, prepared) = self.prepare_rekey(new_streams, true)?;
        self.install(prepared);
        Ok(bytes)
    }

    /// [`Session::initiate`] without installing: the message and what to install.
    pub(crate) fn prepare_initiate(
        &self,
        streams: &[StreamSpec],
        inputs: &InitInputs,
    ) -> Result<(Vec<u8>, PreparedInit), Error> {
        self.prepare_initiate_offer(streams, inputs, None)
    }

    /// [`Session::prepare_initiate`] with the offer's KMPID list, if any.
    pub(crate) fn prepare_initiate_offer(
        &self,
        streams: &[StreamSpec],
        inputs: &InitInputs,
        kmpids: Option<&str>,
    ) -> Result<(Vec<u8>, PreparedInit), Error> {
        if kmpids.is_some_and(|k| !is_kmpid_list(k)) {
            return Err(Error::Config(
                "a KMPID list is KMPIDs (RFC 4566 tokens) separated by \";\" (RFC 4567 §4.1.4)",
            ));
        }
        if self.role != Role::Initiator || self.csb.is_some() {
            return Err(Error::WrongState);
        }
        let c = &self.config;
        let method = exchange::method(c.creds.mode);
        // RSA-R (RFC 4738 §3.4): the Responder chooses the keys, and a group member or an
        // Initiator configured so leaves the RAND to it. DH (RFC 3830 §3.3): the keys come
        // from both sides, the RAND from the Initiator.
        let carries_keys = !method.keys_in_answer();
        let sends_rand = !method.responder_keys()
            || (c.creds.rsa_r.initiator_rand && !c.creds.rsa_r.group_member);
        // What is not fixed is drawn in one call to the random source.
        let key_len = self.key_material_len();
        let need = [
            (inputs.csb_id.is_none(), 4),
            (inputs.rand.is_none() && sends_rand, c.rand_len),
            (inputs.key.is_none() && carries_keys, key_len),
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
            Some(_) if !sends_rand => {
                return Err(Error::Config("this configuration sends no RAND"));
            }
            Some(r) if r.len() < 16 || r.len() > 255 => {
                return Err(Error::Config("RAND must be 16 to 255 bytes"));
            }
            Some(r) => r.clone(),
            None if sends_rand => take(c.rand_len).to_vec(),
            None => Vec::new(),
        };
        let key = match &inputs.key {
            Some(_) if !carries_keys => {
                return Err(Error::Config(
                    "this mode's keys come with the answer (RSA-R, DH): there is no key to fix",
                ));
            }
            Some(fixed) => Some(self.carried_key(fixed)?),
            None if carries_keys => Some(self.carried_key(take(key_len))?),
            None => None,
        };
        let choices = BuildChoices {
            envelope_key: inputs.envelope_key.as_deref().map(Vec::as_slice),
            dh_exponent: inputs.dh_secret.as_deref().map(Vec::as_slice),
            keep_tgk: false,
            sdp_ids: kmpids,
        };
        let (bytes, csb) =
            self.build_init(csb_id, rand, Vec::new(), streams, key, choices, None)?;
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
        keep_tgk: bool,
    ) -> Result<(Vec<u8>, PreparedInit), Error> {
        let csb = match (&self.csb, self.role) {
            (Some(csb), Role::Initiator) => csb,
            _ => return Err(Error::WrongState),
        };
        let dh = matches!(
            self.config.creds.mode,
            exchange::Mode::DhSign | exchange::Mode::DhHmac
        );
        if keep_tgk && !dh {
            return Err(Error::Config(
                "an update keeping the TGK is made in the DH modes (RFC 3830 §4.5, RFC 4650 \
                 §3.1 b)",
            ));
        }
        let cached_key = csb.cached_key.clone();
        if cached_key.is_none() && exchange::method(self.config.creds.mode).responder_keys() {
            // RFC 4738 defines no update: a new exchange (a new CSB) re-keys.
            return Err(Error::Config("RSA-R has no update: start a new exchange"));
        }
        let existing = csb.streams.clone();
        // DH (RFC 3830 §4.5): the update's TGK comes from a new DH exchange.
        let key =
            if cached_key.is_none() && exchange::method(self.config.creds.mode).keys_in_answer() {
                None
            } else {
                let mut material = Zeroizing::new(vec![0u8; self.key_material_len()]);
                self.config.rng.fill(&mut material)?;
                Some(self.carried_key(&material)?)
            };
        let (bytes, csb) = self.build_init(
            csb.csb_id,
            csb.rand.clone(),
            existing,
            new_streams,
            key,
            BuildChoices {
                keep_tgk,
                ..BuildChoices::default()
            },
            cached_key,
        )?;
        Ok((bytes, PreparedInit { csb, lease: None }))
    }

    /// Installs the keys of a prepared I_MESSAGE.
    pub(crate) fn install(&mut self, prepared: PreparedInit) {
        self.csb = Some(prepared.csb);
        if let Some(lease) = prepared.lease {
            self.csb_id_lease = Some(lease);
        }
        self.awaiting_verification =
            self.config.request_verification || self.sent_method().keys_in_answer();
    }

    /// The method of the last I_MESSAGE sent: PSK for an update keyed with a cached
    /// envelope key (RFC 3830 §4.5), else the configured one.
    fn sent_method(&self) -> &'static dyn exchange::Method {
        match &self.csb {
            Some(csb) if csb.sent_with_cached_key => exchange::method(exchange::Mode::Psk),
            _ => exchange::method(self.config.creds.mode),
        }
    }

    /// Builds an I_MESSAGE: initial, or an update of the current CSB (`entries` its
    /// streams); keyed with `cached_key` (a PSK update, RFC 3830 §4.5) when given.
    #[allow(clippy::too_many_arguments)]
    fn build_init(
        &self,
        csb_id: u32,
        rand: Vec<u8>,
        mut entries: Vec<SrtpIdEntry>,
        streams: &[StreamSpec],
        key: Option<CarriedKey>,
        choices: BuildChoices<'_>,
        cached_key: Option<Arc<exchange::CachedKey>>,
    ) -> Result<(Vec<u8>, Csb), Error> {
        let c = &self.config;
        let method = match cached_key {
            Some(_) => exchange::method(exchange::Mode::Psk),
            None => exchange::method(c.creds.mode),
        };
        let update = !entries.is_empty();
        for s in streams {
            if usize::from(s.policy_no) >= c.offer.len() {
                return Err(Error::Config("stream names a policy that is not offered"));
            }
            // The Empty map (RFC 4563 §5) carries neither: both sides take 0.
            let (ssrc, roc) = if c.empty_cs_map {
                (0, 0)
            } else {
                (s.ssrc, s.roc)
            };
            entries.push(SrtpIdEntry {
                policy_no: s.policy_no,
                ssrc,
                roc,
            });
        }
        // RSA-R: "Initiators ... that do not originate RTP streams MUST specify a '0' as
        // the number of CSs" (RFC 4738 §3.4).
        let min_streams = usize::from(!method.responder_keys());
        if entries.len() < min_streams || entries.len() > 255 {
            return Err(Error::Config("1 to 255 streams are needed"));
        }
        let mut t = Timestamp {
            ts_type: c.ts_type,
            value: c.next_timestamp()?,
        };
        if let Some(csb) = &self.csb {
            let max_ahead = crate::time::ntp_units(c.freshness.skew);
            t.value = update_order::update_timestamp(&csb.last_t, t, c.clock.now_ntp(), max_ahead);
        }
        // A group member sends no SP (RFC 4738 §3.2), nor does an Empty map (RFC 4563 §5).
        let mut policies =
            if (c.creds.rsa_r.group_member && method.responder_keys()) || c.empty_cs_map {
                Vec::new()
            } else {
                (0..c.offer.len())
                    .map(|i| c.offer[i].to_sp(i as u8))
                    .collect::<Result<Vec<_>, _>>()?
            };
        // A TESLA policy (RFC 4442 §4.1) follows the SRTP ones, numbered after them.
        if let Some(tesla) = &self.outgoing.tesla {
            policies.push(tesla.policy.to_sp(policies.len() as u8)?);
        }
        let extensions: Vec<GeneralExtension<'static>> = self
            .outgoing
            .extensions
            .iter()
            .cloned()
            .chain(
                self.outgoing
                    .tesla
                    .as_ref()
                    .map(|t| GeneralExtension::tesla_i_key(&t.initial_key)),
            )
            .collect();
        let keys: Vec<CarriedKey> = key.into_iter().collect();
        // DH: the TGK's Key validity travels in DHi (RFC 3830 §6.4).
        let dh_kv = if method.keys_in_answer() && !method.responder_keys() {
            self.new_kv()
        } else {
            KeyValidity::Null
        };
        let ctx = exchange::Context {
            cached_key: cached_key.as_deref(),
            ..c.context(&c.now())
        };
        let (bytes, sent) = method.build_init(
            &c.creds,
            &ctx,
            &Offer {
                csb_id,
                v: c.request_verification,
                prf: c.prf,
                streams: &entries,
                t,
                rand: &rand,
                send_rand: !update && !rand.is_empty(),
                policies,
                keys: &keys,
                envelope_key: choices.envelope_key,
                dh_kv,
                dh_exponent: choices.dh_exponent,
                new_dh: !choices.keep_tgk,
                sdp_ids: choices.sdp_ids,
                extensions: &extensions,
                empty_map: c.empty_cs_map,
            },
        )?;
        let profiles: Vec<SrtpProfile> = entries
            .iter()
            .map(|e| {
                c.offer[usize::from(e.policy_no)]
                    .profile()
                    .expect("offered policies are checked when the config is built")
            })
            .collect();
        let (keys, crypto_sessions) = match (&self.csb, keys.is_empty()) {
            // A DH update: the current keys stay in use until the answer brings new ones.
            (Some(current), true) if update => {
                (current.keys.clone(), current.crypto_sessions.clone())
            }
            (_, true) => (keys, Vec::new()),
            (_, false) => {
                let sessions = derive_sessions(
                    prf_of(c.prf)?,
                    csb_id,
                    &rand,
                    &entries,
                    &profiles,
                    &keys,
                    |i| c.offer[usize::from(entries[i].policy_no)],
                )?;
                (keys, sessions)
            }
        };
        let csb = Csb {
            csb_id,
            rand,
            streams: entries,
            keys,
            crypto_sessions,
            last_t: t,
            sent_with_cached_key: cached_key.is_some(),
            received: Default::default(),
            cached_key: sent.cached_key.clone().or(cached_key),
            sent: Some(sent),
            accepted: None,
        };
        Ok((bytes, csb))
    }

    /// The length of the key material [`Session::carried_key`] takes: the TGK, or the
    /// first offered profile's master key ‖ master salt.
    pub(super) fn key_material_len(&self) -> usize {
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
    pub(super) fn carried_key(&self, material: &[u8]) -> Result<CarriedKey, Error> {
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

    pub(super) fn process_response(
        &self,
        bytes: &[u8],
        message: &Message<'_>,
    ) -> Result<Prepared, Failure> {
        let csb = self.csb.as_ref().ok_or(Error::WrongState)?;
        let sent = csb.sent.as_ref().ok_or(Error::WrongState)?;
        let is_error = message.header.data_type == DataType::Error;
        if !is_error && !self.awaiting_verification {
            return Err(Error::WrongState.into());
        }
        let c = &self.config;
        if let (Some(expected), Some(idr)) = (&c.creds.peer_id, response_idr(message)) {
            if !is_error && (idr.0 != expected.id_type || idr.1 != expected.data.as_slice()) {
                return Err(Error::IdentityMismatch.into());
            }
        }
        let received = self.sent_method().check_answer(
            &c.creds,
            &c.context(&c.now()),
            bytes,
            message,
            csb.csb_id,
            sent,
        )?;
        let Some(r) = received else {
            c.log(LogLevel::Info, "verification message verified");
            return Ok(Prepared {
                processed: Processed {
                    event: Event::Verified,
                    reply: None,
                },
                change: Change::Verified,
            });
        };
        // RFC 4738 §3.7: the answer's policies must be among those offered ("MUST be
        // discarded silently" otherwise); every key is derived with the answer's CSB ID
        // for keys (the group's) and RAND.
        // A DH answer has no SP (RFC 3830 §3.3): the Initiator's own offer applies, and an
        // update's keys use the CSB's RAND (§4.5).
        let offered: Vec<SrtpProfile> = c.offer.iter().filter_map(|p| p.profile()).collect();
        let own: Vec<SecurityPolicy<'static>> = if r.policies.is_empty() {
            (0..c.offer.len())
                .map(|i| c.offer[i].to_sp(i as u8))
                .collect::<Result<_, _>>()
                .map_err(Error::from)?
        } else {
            Vec::new()
        };
        let policies: Vec<&SecurityPolicy<'_>> = r.policies.iter().chain(&own).collect();
        let key_rand = if r.key_rand.is_empty() {
            csb.rand.clone()
        } else {
            r.key_rand
        };
        let streams = if r.policies.is_empty() {
            // A DH answer keys the Initiator's crypto sessions (RFC 3830 §3.3): its CS ID
            // map is the I_MESSAGE's, where the Responder may only fill in the SSRCs the
            // Initiator left 0 (§6.1.1). A map that drops or changes crypto sessions would
            // silently key other streams.
            let same = r.streams.len() == csb.streams.len()
                && r.streams.iter().zip(&csb.streams).all(|(theirs, ours)| {
                    theirs.policy_no == ours.policy_no
                        && theirs.roc == ours.roc
                        && (ours.ssrc == 0 || theirs.ssrc == ours.ssrc)
                });
            if !same {
                return Err(Error::BadAnswer(
                    "the answer's CS ID map is not the I_MESSAGE's (RFC 3830 §3.3, §6.1.1)",
                )
                .into());
            }
            r.streams.clone()
        } else if r.streams.is_empty() {
            vec![SrtpIdEntry {
                policy_no: r.policies.first().map_or(0, |sp| sp.policy_no),
                ssrc: 0,
                roc: 0,
            }]
        } else {
            r.streams.clone()
        };
        // An answer without keys (a DH update that kept the TGK, RFC 3830 §4.5) keys every
        // crypto session, the new ones too, with the CSB's keys.
        let keys = if r.keys.is_empty() {
            csb.keys.clone()
        } else {
            r.keys
        };
        if keys.is_empty() {
            return Err(Error::MissingPayload("the keys: none sent, none held").into());
        }
        let crypto_sessions = negotiated_sessions(
            &policies,
            &streams,
            prf_of(message.header.prf)?,
            r.key_csb_id,
            &key_rand,
            &keys,
            |p| offered.contains(&p),
        )?;
        c.log(LogLevel::Info, "keys received");
        let forking = c.creds.rsa_r.forking;
        if forking && self.branches.iter().any(|b| b.responder == r.responder) {
            return Err(Error::BadAnswer(
                "a second answer from a Responder already answered (RFC 5197 §5.2)",
            )
            .into());
        }
        let responder = r.responder;
        let update = !csb.keys.is_empty();
        let installed = Csb {
            csb_id: csb.csb_id,
            rand: key_rand,
            streams,
            keys,
            crypto_sessions,
            last_t: csb.last_t,
            sent: csb.sent.as_ref().map(Sent::spent),
            accepted: None,
            cached_key: None,
            sent_with_cached_key: false,
            received: Default::default(),
        };
        if forking {
            return Ok(Prepared {
                processed: Processed {
                    event: Event::Branch {
                        index: self.branches.len(),
                    },
                    reply: None,
                },
                change: Change::Branch {
                    responder,
                    csb: Box::new(installed),
                },
            });
        }
        Ok(Prepared {
            processed: Processed {
                event: Event::KeysEstablished { update },
                reply: None,
            },
            change: Change::Received {
                csb: Box::new(installed),
            },
        })
    }
}

/// What an I_MESSAGE is built with beyond the config: secrets given instead of drawn
/// ([`InitInputs`]), and whether a DH update keeps the TGK.
#[derive(Clone, Copy, Default)]
struct BuildChoices<'a> {
    /// PK: the envelope key.
    envelope_key: Option<&'a [u8]>,
    /// DH: the exponent x_i.
    dh_exponent: Option<&'a [u8]>,
    /// DH: an update without DHi that keeps the TGK (RFC 3830 §4.5).
    keep_tgk: bool,
    /// The KMPID list of the SDP or RTSP offer (RFC 4567 §4.1.4).
    sdp_ids: Option<&'a str>,
}

/// Whether `list` is `KMPID *(";" KMPID)` with each KMPID an RFC 4566 token (RFC 4567
/// §3, §4.1.4).
pub(crate) fn is_kmpid_list(list: &str) -> bool {
    const TOKEN_SYMBOLS: &str = "!#$%&'*+-.^_`{|}~";
    list.split(';').all(|id| {
        !id.is_empty()
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || TOKEN_SYMBOLS.contains(c))
    })
}

/// The IDr of a response, as (type, data): its first ID payload, except in a DH answer
/// (`[IDr|CERTr], IDi, ...`, RFC 3830 §3.3, RFC 4650 §3), whose last ID payload is IDi.
fn response_idr<'m>(message: &'m Message<'_>) -> Option<(IdType, &'m [u8])> {
    let mut ids = message.payloads.iter().filter_map(|p| match p {
        crate::wire::Payload::Id(id) => Some((id.id_type, &id.data[..])),
        _ => None,
    });
    let first = ids.next();
    match message.header.data_type {
        DataType::DhResp | DataType::DhHmacResp => ids.next().and(first),
        _ => first,
    }
}
