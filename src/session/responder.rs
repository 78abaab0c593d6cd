//! The Responder side of a session: a received I_MESSAGE checked in the order of RFC
//! 3830 §5.3 (timestamp, replay, authentication, parameters) and answered.

use super::extensions::Received;
use super::negotiate::{
    derive_sessions, effective_streams, negotiated_sessions, supported_policies,
};
use super::{
    Accepted, CarriedKey, Change, CryptoSession, Csb, Event, Failure, Identity, LogLevel, Prepared,
    Processed, Session, update_order,
};
use crate::exchange::{self, Answer, Error, InitView, prf_of};
use crate::replay::message_key;
use crate::wire::{
    DataType, EncrAlg, ErrorNo, KeyDataType, Message, SecurityPolicy, SrtpIdEntry, Timestamp,
    TsType,
};
use std::sync::Arc;
use zeroize::Zeroizing;

impl Session {
    pub(super) fn process_init(
        &self,
        bytes: &[u8],
        message: &Message<'_>,
    ) -> Result<Prepared, Failure> {
        let c = Arc::clone(&self.config);
        let header = &message.header;
        // RFC 3830 §4.5: once the envelope key is cached, an update of the CSB is a PSK
        // message keyed with it, and "MUST NOT be a public key message".
        // A retransmission of the PK I_MESSAGE that set the cache is answered as before.
        // (The message is hashed for that only when a key is cached.)
        let cached_key = self
            .csb
            .as_ref()
            .filter(|csb| csb.csb_id == header.csb_id && csb.cached_key.is_some())
            .filter(|csb| {
                csb.accepted
                    .as_ref()
                    .is_none_or(|a| a.key != message_key(bytes))
            })
            .and_then(|csb| csb.cached_key.clone());
        let method = match (&cached_key, header.data_type) {
            (Some(_), DataType::PreShared) => exchange::method(exchange::Mode::Psk),
            (Some(_), t) if is_initiator_type(t) => {
                let e = Error::UnexpectedMessage(t);
                let reply = self.unauthenticated_error(message, &e);
                return Err(Failure { error: e, reply });
            }
            _ => exchange::method(c.creds.mode),
        };
        let view = match method.view_init(message) {
            Ok(v) => v,
            Err(e @ Error::UnexpectedMessage(t)) if is_initiator_type(t) => {
                let reply = self.unauthenticated_error(message, &e);
                return Err(Failure { error: e, reply });
            }
            // RFC 4738 §3.5: an RSA-R Responder "SHOULD send an Error message 'Message type
            // not supported' (Error no. 13), if it cannot correctly parse the received MIKEY
            // message" (one of its data type without the payloads §3.4 requires).
            Err(e @ Error::MissingPayload(_)) if method.responder_keys() => {
                let reply = self.error_with_no(message, ErrorNo::UnsupportedMessageType);
                return Err(Failure { error: e, reply });
            }
            Err(e) => return Err(e.into()),
        };
        // Refusals before authentication are answered unauthenticated (§5.1.2).
        let refuse = |error: Error| {
            let reply = error
                .error_no()
                .and_then(|no| method.build_error(&c.creds, &view, &[no], Vec::new(), None, None));
            Failure { error, reply }
        };
        let now = c.now();
        let ctx = exchange::Context {
            cached_key: cached_key.as_deref(),
            ..c.context(&now)
        };
        method
            .check_algorithms(&c.creds, &ctx, &view)
            .map_err(&refuse)?;
        let prf = prf_of(header.prf).map_err(&refuse)?;
        // RFC 3830 §5.3: timestamp and replay first; both discard silently.
        let t = checked_timestamp(&c, &view.t, now.ntp)?;
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
        c.replay.check(&key, &t, now).map_err(Error::from)?;
        if let (TsType::Counter, Some(store)) = (t.ts_type, &c.counter_store) {
            store.check(t.value)?;
        }
        // ONVIF re-keying (see `super::onvif`): a new CSB for this session's streams.
        let onvif_rekey = match &self.csb {
            Some(csb) if csb.csb_id != header.csb_id && c.onvif => {
                let streams = effective_streams(&view);
                let ours = |s: &SrtpIdEntry| csb.streams.iter().any(|o| o.ssrc == s.ssrc);
                let teks = csb.keys.iter().all(|k| k.kind != KeyDataType::Tgk);
                !streams.is_empty() && streams.iter().all(ours) && teks
            }
            _ => false,
        };
        let update = match &self.csb {
            None => false,
            Some(csb) if csb.csb_id == header.csb_id || onvif_rekey => {
                // RFC 3830 §4.5, §5.4: a late update must not put older keys back.
                update_order::check_update(&t, &csb.last_t)?;
                true
            }
            Some(_) => return Err(Error::CsbMismatch.into()),
        };
        let responder_keys = method.responder_keys();
        if responder_keys && update {
            // RFC 4738 defines no update: a new exchange (a new CSB) re-keys.
            return Err(Error::WrongState.into());
        }
        // The RAND the I_MESSAGE brings: its own, or the CSB's in an update (§4.5). In RSA-R
        // the Responder may bring it instead (RFC 4738 §3.6).
        let rand = match (update, view.rand) {
            // An ONVIF re-key is a CSB of its own: its RAND, if it has one.
            (true, Some(r)) if onvif_rekey => Some(r.to_vec()),
            (true, None) if onvif_rekey && !c.onvif_readings() => {
                return Err(refuse(Error::MissingPayload("RAND")));
            }
            (true, None) if onvif_rekey => None,
            (false, Some(r)) => Some(r.to_vec()),
            (false, None) if responder_keys => None,
            // ONVIF (see `super::onvif`): TEKs need no RAND; a TGK is refused below.
            (false, None) if c.onvif_readings() => None,
            (false, None) => return Err(refuse(Error::MissingPayload("RAND"))),
            (true, None) => self.csb.as_ref().map(|c| c.rand.clone()),
            (true, Some(_)) => return Err(refuse(Error::UpdateWithRand)),
        };
        let opened = match method.open_init(
            &c.creds,
            &ctx,
            bytes,
            &view,
            rand.as_deref().unwrap_or_default(),
        ) {
            Ok(opened) => opened,
            Err(refused) => {
                let error = refused.error;
                let reply = error.error_no().and_then(|no| {
                    method.build_error(
                        &c.creds,
                        &view,
                        &[no],
                        Vec::new(),
                        refused.transport.as_deref(),
                        refused.initiator_id.as_deref(),
                    )
                });
                return Err(Failure { error, reply });
            }
        };
        // A TGK derives the TEKs with the RAND (RFC 3830 §4.1.3): without one, refused.
        if rand.is_none()
            && !responder_keys
            && opened.keys.iter().any(|k| k.kind == KeyDataType::Tgk)
        {
            return Err(refuse(Error::MissingPayload("RAND")));
        }
        // From here on the message is authenticated, and so is a refusal of it.
        let fail = |error: Error| {
            let reply = error.error_no().and_then(|no| {
                let supported = if no == ErrorNo::InvalidSpPar {
                    supported_policies(&c)
                } else {
                    Vec::new()
                };
                method.build_error(
                    &c.creds,
                    &view,
                    &[no],
                    supported,
                    opened.transport.as_deref(),
                    Some(&opened.ids.initiator),
                )
            });
            Failure { error, reply }
        };
        check_identity(view.idi, c.creds.peer_id.as_ref()).map_err(fail)?;
        check_identity(view.idr, c.creds.local_id.as_ref()).map_err(fail)?;
        let keyed = if responder_keys {
            self.responder_choice(&view, rand, prf).map_err(fail)?
        } else {
            let current = self.csb.as_ref();
            let keys = match current {
                // ONVIF: the current TEK (the last one) stays beside the new ones, so that
                // packets under either MKI decrypt across the change (the client sends only
                // the new key); older ones go.
                Some(csb) if onvif_rekey => {
                    if opened.keys.iter().any(|k| k.kind == KeyDataType::Tgk) {
                        return Err(fail(Error::CsbMismatch));
                    }
                    let mut both: Vec<CarriedKey> = csb.keys.last().cloned().into_iter().collect();
                    both.extend(opened.keys.iter().cloned());
                    both
                }
                Some(csb) if opened.keys.is_empty() => csb.keys.clone(),
                _ => opened.keys.clone(),
            };
            let rand = rand.unwrap_or_default();
            let streams = effective_streams(&view);
            let mut crypto_sessions = negotiated_sessions(
                &view.policies,
                &streams,
                prf,
                header.csb_id,
                &rand,
                &keys,
                |p| c.accepted.contains(&p),
            )
            .map_err(fail)?;
            // ONVIF: "The device shall not reset the ROC when changing keys."
            if let (Some(csb), true) = (current, onvif_rekey) {
                for cs in &mut crypto_sessions {
                    if let Some(old) = csb.crypto_sessions.iter().find(|o| o.ssrc == cs.ssrc) {
                        cs.roc = old.roc;
                    }
                }
            }
            Keyed {
                key_csb_id: header.csb_id,
                rand,
                sent_rand: None,
                streams,
                keys,
                crypto_sessions,
                group: false,
            }
        };
        // After the SRTP policies, so that a stream naming a TESLA SP is Error no. 9.
        let received = Received::read(message, &view.policies).map_err(fail)?;
        let policies = answer_policies(&keyed.crypto_sessions).map_err(Failure::from)?;
        let answer = Answer {
            streams: &keyed.streams,
            policies,
            keys: &keyed.keys,
            rand: keyed.sent_rand.as_deref(),
            key_rand: &keyed.rand,
            group_csb_id: keyed.group.then_some(keyed.key_csb_id),
        };
        let reply = method
            .build_answer(&c.creds, &ctx, &view, &opened, &answer)
            .map_err(Failure::from)?;
        if view_is_null(message) {
            c.log(
                LogLevel::Warning,
                "accepting a NULL-mode I_MESSAGE: its keys were sent in the clear and \
                 unauthenticated",
            );
        }
        let csb = Csb {
            csb_id: header.csb_id,
            rand: keyed.rand,
            streams: keyed.streams,
            keys: keyed.keys,
            crypto_sessions: keyed.crypto_sessions,
            last_t: t,
            sent: None,
            accepted: Some(Accepted {
                key,
                reply: reply.clone(),
            }),
            // A PK message sets the cache anew (C field); a PSK update keeps it.
            cached_key: opened.cached_key.clone().or(cached_key),
            sent_with_cached_key: false,
            received,
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

    /// RSA-R (RFC 4738 §3.5, §3.6): the keys the Responder chooses for an authenticated
    /// I_MESSAGE. A group key server hands out the group's (its CSB ID, RAND, crypto
    /// sessions and TGK, whatever the I_MESSAGE offered: §3.2); otherwise fresh keys for the
    /// Initiator's crypto sessions under one of its offered policies, with its RAND or, when
    /// it sent none, a fresh one sent back.
    fn responder_choice(
        &self,
        view: &InitView<'_, '_>,
        rand: Option<Vec<u8>>,
        prf: crate::crypto::prf::Prf,
    ) -> Result<Keyed, Error> {
        let c = &self.config;
        if let Some(group) = &c.group {
            let profiles = group
                .streams
                .iter()
                .map(|e| {
                    c.offer[usize::from(e.policy_no)]
                        .profile()
                        .expect("offered policies are checked when the config is built")
                })
                .collect::<Vec<_>>();
            let crypto_sessions = derive_sessions(
                prf,
                group.csb_id,
                &group.rand,
                &group.streams,
                &profiles,
                &group.keys,
                |i| c.offer[usize::from(group.streams[i].policy_no)],
            )?;
            return Ok(Keyed {
                key_csb_id: group.csb_id,
                rand: group.rand.clone(),
                sent_rand: Some(group.rand.clone()),
                streams: group.streams.clone(),
                keys: group.keys.clone(),
                crypto_sessions,
                group: true,
            });
        }
        let (rand, sent_rand) = match rand {
            Some(r) => (r, None),
            None => {
                let mut r = vec![0u8; c.rand_len];
                c.rng.fill(&mut r)?;
                (r.clone(), Some(r))
            }
        };
        let mut material = Zeroizing::new(vec![0u8; self.key_material_len()]);
        c.rng.fill(&mut material)?;
        let keys = vec![self.carried_key(&material)?];
        let streams = effective_streams(view);
        let csb_id = view.message.header.csb_id;
        let crypto_sessions =
            negotiated_sessions(&view.policies, &streams, prf, csb_id, &rand, &keys, |p| {
                c.accepted.contains(&p)
            })?;
        Ok(Keyed {
            key_csb_id: csb_id,
            rand,
            sent_rand,
            streams,
            keys,
            crypto_sessions,
            group: false,
        })
    }

    /// An unauthenticated Error message answering `message` (used before its MAC could be
    /// checked).
    fn unauthenticated_error(&self, message: &Message<'_>, error: &Error) -> Option<Vec<u8>> {
        self.error_with_no(message, error.error_no()?)
    }

    /// An unauthenticated Error message with Error no. `no` answering `message`, when it
    /// has a timestamp to echo.
    fn error_with_no(&self, message: &Message<'_>, no: ErrorNo) -> Option<Vec<u8>> {
        let t = *message.timestamp()?;
        exchange::verification::build_error(
            message.header.csb_id,
            message.header.prf,
            t,
            &[no],
            Vec::new(),
            None,
            self.config.creds.verification_input,
            &exchange::VerificationIds::default(),
        )
        .ok()
    }
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

/// True when the message carries its keys in the clear: a KEMAC with NULL encryption
/// (RFC 3830 §4.2.3).
fn view_is_null(message: &Message<'_>) -> bool {
    message
        .payloads
        .iter()
        .any(|p| matches!(p, crate::wire::Payload::Kemac(k) if k.encr_alg == EncrAlg::Null))
}

/// The keys a Responder holds for an accepted I_MESSAGE, and where they came from.
struct Keyed {
    /// The CSB ID the keys derive with (the group's, or the I_MESSAGE's).
    key_csb_id: u32,
    /// The RAND the keys derive from.
    rand: Vec<u8>,
    /// The RAND the answer carries (RSA-R: the Responder's).
    sent_rand: Option<Vec<u8>>,
    streams: Vec<SrtpIdEntry>,
    keys: Vec<CarriedKey>,
    crypto_sessions: Vec<CryptoSession>,
    /// RSA-R group mode: the answer names the group's CSB ID.
    group: bool,
}

/// The SP payloads of an answer: the negotiated policy of each policy no. in use, one
/// option per parameter (RFC 4738 §3.6).
fn answer_policies(sessions: &[CryptoSession]) -> Result<Vec<SecurityPolicy<'static>>, Error> {
    let mut out: Vec<SecurityPolicy<'static>> = Vec::new();
    for cs in sessions {
        if out.iter().all(|sp| sp.policy_no != cs.policy_no) {
            out.push(cs.policy.to_sp(cs.policy_no)?);
        }
    }
    Ok(out)
}

/// The timestamp of an I_MESSAGE as the freshness and replay checks read it (RFC 3830
/// §5.3-5.4): its T. With the ONVIF readings, a T that is not fresh as NTP but is fresh
/// as a Windows FILETIME (what some ONVIF clients write, see `super::onvif`) is that time;
/// it is then checked like any other.
fn checked_timestamp(c: &super::Config, t: &Timestamp, now_ntp: u64) -> Result<Timestamp, Error> {
    let as_ntp = c.freshness.check(t, now_ntp);
    if as_ntp.is_err() && c.onvif_readings() && matches!(t.ts_type, TsType::NtpUtc | TsType::Ntp) {
        if let Some(value) = crate::time::ntp_from_filetime(t.value) {
            let filetime = Timestamp {
                ts_type: t.ts_type,
                value,
            };
            if c.freshness.check(&filetime, now_ntp).is_ok() {
                c.log(
                    LogLevel::Warning,
                    "ONVIF: the T payload holds a Windows FILETIME; read as such",
                );
                return Ok(filetime);
            }
        }
    }
    as_ntp.map(|()| *t).map_err(Error::from)
}
