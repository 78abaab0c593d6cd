//! `mikey_session_t`: one MIKEY exchange / crypto session bundle (RFC 3830 §2.1), and
//! the export of its SRTP keys in libsrtp's layout.
//!
//! A session is used by one thread at a time (it may move between threads). A failed
//! call leaves it exactly as it was.

#![allow(non_camel_case_types)]

use super::config::mikey_config_t;
use super::guard::{byte_slice, guard, non_null, non_null_mut, write_out};
use super::message::parse_status;
use super::status::*;
use crate::exchange::Error;
use crate::session::{Event, KeyLifetime, Role, Session, State, StreamSpec};
use crate::time::TimestampError;
use std::sync::atomic::{AtomicBool, Ordering};

/// Role: Initiator (sends the I_MESSAGE).
pub const MIKEY_ROLE_INITIATOR: u32 = 0;
/// Role: Responder (processes the I_MESSAGE).
pub const MIKEY_ROLE_RESPONDER: u32 = 1;

/// State: no keys yet.
pub const MIKEY_STATE_IDLE: u32 = 0;
/// State: Initiator with keys, awaiting the verification message.
pub const MIKEY_STATE_AWAITING_VERIFICATION: u32 = 1;
/// State: keys set (and verified when a verification message was asked for).
pub const MIKEY_STATE_ESTABLISHED: u32 = 2;

/// SRTP profile AES_CM_128_HMAC_SHA1_80 (libsrtp `srtp_profile_aes128_cm_sha1_80`).
pub const MIKEY_SRTP_AES128_CM_SHA1_80: u32 = 1;
/// SRTP profile AES_CM_128_HMAC_SHA1_32 (libsrtp `srtp_profile_aes128_cm_sha1_32`).
pub const MIKEY_SRTP_AES128_CM_SHA1_32: u32 = 2;
/// SRTP profile NULL_HMAC_SHA1_80 (libsrtp `srtp_profile_null_sha1_80`).
pub const MIKEY_SRTP_NULL_SHA1_80: u32 = 5;
/// SRTP profile NULL_HMAC_SHA1_32 (libsrtp `srtp_profile_null_sha1_32`).
pub const MIKEY_SRTP_NULL_SHA1_32: u32 = 6;
/// SRTP profile AES_256_CM_HMAC_SHA1_80 (libsrtp
/// `srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80`).
pub const MIKEY_SRTP_AES256_CM_SHA1_80: u32 = 0x101;
/// SRTP profile AES_256_CM_HMAC_SHA1_32 (libsrtp
/// `srtp_crypto_policy_set_aes_cm_256_hmac_sha1_32`).
pub const MIKEY_SRTP_AES256_CM_SHA1_32: u32 = 0x102;

/// Key lifetime: until replaced (SRTP's own limits: 2^48 SRTP, 2^31 SRTCP packets).
pub const MIKEY_LIFETIME_UNTIL_REPLACED: u32 = 0;
/// Key lifetime: an SRTP index interval (`valid_from`..=`valid_to`).
pub const MIKEY_LIFETIME_INTERVAL: u32 = 1;

/// Largest master key ‖ salt (AES-256: 32 + 14 bytes).
pub const MIKEY_MAX_KEY_SALT_LEN: usize = 46;
/// Largest MKI (the SPI length field is one byte).
pub const MIKEY_MAX_MKI_LEN: usize = 255;

/// A MIKEY session (opaque). Create with `mikey_session_new`, release with
/// `mikey_session_free`. Thread safety: one thread at a time.
pub struct mikey_session_t {
    session: Session,
    poisoned: AtomicBool,
}

/// One stream the Initiator keys (an SRTP-ID map entry, RFC 3830 §6.1.1).
#[repr(C)]
pub struct mikey_stream_t {
    /// SSRC (0 if not known yet).
    pub ssrc: u32,
    /// Rollover counter (0 for a new stream).
    pub roc: u32,
    /// Index into the config's offer (`mikey_config_builder_set_offer`).
    pub policy_no: u8,
}

/// A crypto session (RFC 3830 §6.1.1) and its negotiated SRTP profile.
#[repr(C)]
pub struct mikey_crypto_session_info_t {
    /// CS ID (1-based position in the CS ID map).
    pub cs_id: u8,
    /// Policy no. of its SP payload.
    pub policy_no: u8,
    /// SSRC (0: not chosen by the Initiator).
    pub ssrc: u32,
    /// Rollover counter at the start.
    pub roc: u32,
    /// `MIKEY_SRTP_*` profile.
    pub profile: u32,
    /// SRTP authentication tag length in bytes.
    pub tag_len: u32,
    /// Number of keys (`mikey_session_srtp_key` indices).
    pub key_count: usize,
}

/// One SRTP key of a crypto session, in libsrtp's layout: `srtp_policy_t.key =
/// key_salt`, and with an MKI `srtp_master_key_t.mki_id = mki`. Holds secrets: wipe it
/// when done.
#[repr(C)]
pub struct mikey_srtp_key_t {
    /// Master key ‖ master salt.
    pub key_salt: [u8; MIKEY_MAX_KEY_SALT_LEN],
    /// Bytes used in `key_salt`.
    pub key_salt_len: usize,
    /// Master key length (the salt follows it).
    pub master_key_len: usize,
    /// MKI (KV SPI), `mki_len` bytes.
    pub mki: [u8; MIKEY_MAX_MKI_LEN],
    /// MKI length; 0 without MKI.
    pub mki_len: usize,
    /// `MIKEY_LIFETIME_*`.
    pub lifetime: u32,
    /// With `MIKEY_LIFETIME_INTERVAL`: first valid SRTP index (ROC ‖ SEQ, below 2^48),
    /// else 0. An I_MESSAGE whose interval does not fit SRTP's index space, or runs
    /// backwards, is refused (MIKEY_ERR_BAD_KEY_VALIDITY), never truncated.
    pub valid_from: u64,
    /// With `MIKEY_LIFETIME_INTERVAL`: last valid SRTP index (below 2^48, at least
    /// `valid_from`), else 0.
    pub valid_to: u64,
}

/// The status for an exchange error.
pub(crate) fn error_status(e: &Error) -> u32 {
    match e {
        Error::Parse(p) => parse_status(p),
        Error::WrongState => MIKEY_ERR_WRONG_STATE,
        Error::UnexpectedMessage(_) => MIKEY_ERR_UNEXPECTED_MESSAGE,
        Error::MissingPayload(_) => MIKEY_ERR_MISSING_PAYLOAD,
        Error::Timestamp(TimestampError::UnsupportedType(_)) => MIKEY_ERR_UNSUPPORTED_TIMESTAMP,
        Error::Timestamp(_) => MIKEY_ERR_TIMESTAMP_OUT_OF_WINDOW,
        Error::Replayed => MIKEY_ERR_REPLAYED,
        Error::ReplayCacheFull => MIKEY_ERR_REPLAY_CACHE_FULL,
        Error::AuthFailed => MIKEY_ERR_AUTH_FAILED,
        Error::UnsupportedPrf => MIKEY_ERR_UNSUPPORTED_PRF,
        Error::UnsupportedMac => MIKEY_ERR_UNSUPPORTED_MAC,
        Error::UnsupportedEncryption => MIKEY_ERR_UNSUPPORTED_ENCRYPTION,
        Error::IdentityMismatch => MIKEY_ERR_IDENTITY_MISMATCH,
        Error::UnsupportedPolicyType => MIKEY_ERR_UNSUPPORTED_POLICY_TYPE,
        Error::UnsupportedPolicy => MIKEY_ERR_UNSUPPORTED_POLICY,
        Error::CsbMismatch => MIKEY_ERR_CSB_MISMATCH,
        Error::TimestampMismatch => MIKEY_ERR_TIMESTAMP_MISMATCH,
        Error::BadKeyData(_) => MIKEY_ERR_BAD_KEY_DATA,
        Error::UpdateWithRand => MIKEY_ERR_UPDATE_WITH_RAND,
        Error::TimestampNotNewer => MIKEY_ERR_TIMESTAMP_NOT_NEWER,
        Error::BadKeyValidity(_) => MIKEY_ERR_BAD_KEY_VALIDITY,
        Error::PeerError {
            errors,
            authenticated,
        } => {
            let first = errors
                .first()
                .map_or(12, |e| u32::from(u8::from(*e)).min(55));
            if *authenticated {
                MIKEY_ERR_PEER_ERROR + first
            } else {
                MIKEY_ERR_PEER_ERROR_UNAUTHENTICATED + first
            }
        }
        Error::Encode(_) => MIKEY_ERR_FIELD_TOO_LONG,
        Error::Rng => MIKEY_ERR_RNG,
        Error::CsbIdInUse => MIKEY_ERR_CSB_ID_IN_USE,
        Error::Config(_) => MIKEY_ERR_CONFIG,
    }
}

/// Runs `f` on a live session; a panic poisons it.
fn with_session(
    session: *mut mikey_session_t,
    f: impl FnOnce(&mut Session) -> Result<(), u32>,
) -> u32 {
    guard(|| {
        let s = non_null_mut(session)?;
        if s.poisoned.load(Ordering::Relaxed) {
            return Err(MIKEY_ERR_POISONED);
        }
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&mut s.session)));
        result.unwrap_or_else(|_| {
            s.poisoned.store(true, Ordering::Relaxed);
            Err(MIKEY_ERR_PANIC)
        })
    })
}

/// Runs `f` on a live session, read-only.
fn read_session(
    session: *const mikey_session_t,
    f: impl FnOnce(&Session) -> Result<(), u32>,
) -> u32 {
    guard(|| {
        let s = non_null(session)?;
        if s.poisoned.load(Ordering::Relaxed) {
            return Err(MIKEY_ERR_POISONED);
        }
        f(&s.session)
    })
}

/// Creates a session of `role` (`MIKEY_ROLE_*`) on `config` in `*out`. The session holds
/// its own reference to the config.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_new(
    config: *const mikey_config_t,
    role: u32,
    out: *mut *mut mikey_session_t,
) -> u32 {
    guard(|| {
        let config = non_null(config)?;
        let out = non_null_mut(out)?;
        let session = match role {
            MIKEY_ROLE_INITIATOR => Session::initiator(config.config.clone()),
            MIKEY_ROLE_RESPONDER => Session::responder(config.config.clone()),
            _ => return Err(MIKEY_ERR_INVALID_ARGUMENT),
        };
        *out = Box::into_raw(Box::new(mikey_session_t {
            session,
            poisoned: AtomicBool::new(false),
        }));
        Ok(())
    })
}

/// Creates in `*out` the Initiator session that sent `i_message` (`len` bytes), an initial
/// I_MESSAGE built with `config`'s credentials, rebuilt from the message itself: its MAC is
/// verified and its KEMAC decrypted with the PSK (RFC 3830 §5.2). The session is
/// `MIKEY_STATE_AWAITING_VERIFICATION` when the message asked for a verification message
/// (V flag), else `MIKEY_STATE_ESTABLISHED`. For an Initiator that keeps no state between
/// sending the I_MESSAGE and receiving the answer (e.g. an SDP offer written by one process
/// and its answer read by another): keep the I_MESSAGE, not the session. The timestamp and
/// replay cache are not consulted (the message is our own); the answer must still carry
/// its timestamp. Fails with the status of the check that failed (e.g.
/// MIKEY_ERR_AUTH_FAILED for another PSK; MIKEY_ERR_MISSING_PAYLOAD for an update, which
/// has no RAND) and writes nothing. The session holds the message's CSB ID among the
/// config's live ones (RFC 3830 §6.1): while a live Initiator session of `config` holds
/// it (e.g. the one that sent the message), MIKEY_ERR_CSB_ID_IN_USE.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_resume_initiator(
    config: *const mikey_config_t,
    i_message: *const u8,
    len: usize,
    out: *mut *mut mikey_session_t,
) -> u32 {
    guard(|| {
        let config = non_null(config)?;
        let out = non_null_mut(out)?;
        let bytes = byte_slice(i_message, len)?;
        let session = Session::resume_initiator(config.config.clone(), bytes)
            .map_err(|e| error_status(&e))?;
        *out = Box::into_raw(Box::new(mikey_session_t {
            session,
            poisoned: AtomicBool::new(false),
        }));
        Ok(())
    })
}

/// Frees a session; its keys are zeroized. NULL does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_free(session: *mut mikey_session_t) {
    if session.is_null() {
        return;
    }
    // SAFETY: a non-NULL session came from mikey_session_new and is not used again.
    let s = unsafe { Box::from_raw(session) };
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || drop(s)));
}

fn streams<'a>(list: *const mikey_stream_t, count: usize) -> Result<&'a [mikey_stream_t], u32> {
    if count == 0 {
        return Ok(&[]);
    }
    if list.is_null() {
        return Err(MIKEY_ERR_NULL_POINTER);
    }
    if count > 255 {
        return Err(MIKEY_ERR_INVALID_ARGUMENT);
    }
    // SAFETY: non-NULL; the caller promises `count` readable entries.
    Ok(unsafe { std::slice::from_raw_parts(list, count) })
}

fn specs(list: &[mikey_stream_t]) -> Vec<StreamSpec> {
    list.iter()
        .map(|s| StreamSpec {
            ssrc: s.ssrc,
            roc: s.roc,
            policy_no: s.policy_no,
        })
        .collect()
}

/// Builds an I_MESSAGE and installs it only when it fits `out`.
fn build_message(
    session: *mut mikey_session_t,
    list: *const mikey_stream_t,
    count: usize,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
    rekey: bool,
) -> u32 {
    with_session(session, |s| {
        let len_out = non_null_mut(out_len)?;
        let specs = specs(streams(list, count)?);
        let result = if rekey {
            s.prepare_rekey(&specs)
        } else {
            s.prepare_initiate(&specs, &crate::session::InitInputs::default())
        };
        let (bytes, prepared) = result.map_err(|e| error_status(&e))?;
        write_out(&bytes, out, cap, len_out)?;
        s.install(prepared);
        Ok(())
    })
}

/// Initiator: builds the I_MESSAGE for `count` streams (1..=255) into `out` (capacity
/// `cap`, length in `*out_len`) and installs the keys. Too small a buffer:
/// MIKEY_ERR_BUFFER_TOO_SMALL with the needed length, nothing installed (a retry builds a
/// new message with new random values).
///
/// The CSB ID is one no live Initiator session of the config holds (RFC 3830 §6.1: CSB
/// IDs must not collide); the session holds it until `mikey_session_free`. A colliding
/// (or 0) draw is drawn again; MIKEY_ERR_RNG when the random source failed or gave 16
/// such draws in a row.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_initiate(
    session: *mut mikey_session_t,
    streams: *const mikey_stream_t,
    count: usize,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> u32 {
    build_message(session, streams, count, out, cap, out_len, false)
}

/// Initiator: builds an update I_MESSAGE (RFC 3830 §4.5) with a new key, adding `count`
/// streams (0 or more) to the crypto sessions. Buffer rules as `mikey_session_initiate`.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_rekey(
    session: *mut mikey_session_t,
    streams: *const mikey_stream_t,
    count: usize,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> u32 {
    build_message(session, streams, count, out, cap, out_len, true)
}

/// Processes the peer's message (`len` bytes at `msg`): as Responder an I_MESSAGE, as
/// Initiator the verification message or an Error message.
///
/// A message to send back (verification message on success; on failure the Error
/// message RFC 3830 §5.1.2 asks for) is written to `reply` (capacity `reply_cap`) with
/// its length in `*reply_len`; `*reply_len` is 0 when there is none, on success and on
/// failure alike. If the reply does not fit, MIKEY_ERR_BUFFER_TOO_SMALL is returned with
/// the needed length and nothing is changed, so the call can be repeated with a larger
/// buffer (2048 bytes always suffice for PSK messages). `reply` may be NULL only when
/// `reply_cap` is 0 (MIKEY_ERR_NULL_POINTER otherwise).
///
/// Every argument is checked before anything is installed: a failed call changes
/// nothing (no keys, no replay-cache entry), so it can be repeated. Failures return a
/// specific status. A message longer than the config's maximum message size
/// (`mikey_config_builder_set_max_message_size`, default
/// `MIKEY_DEFAULT_MAX_MESSAGE_SIZE`) gives MIKEY_ERR_MESSAGE_TOO_LARGE before it is
/// parsed, and more than 512 payloads MIKEY_ERR_TOO_MANY_PAYLOADS, both without a reply;
/// other malformed messages give a MIKEY_ERR_PARSE_* status. An Error message from the
/// peer gives `MIKEY_ERR_PEER_ERROR + Error no.` (authenticated) or
/// `MIKEY_ERR_PEER_ERROR_UNAUTHENTICATED + Error no.` (the first Error no.; 55 stands for
/// any above 55, 12 for none).
///
/// MIKEY_RETRANSMISSION is not an error: a Responder given a byte-identical copy of the
/// last I_MESSAGE it accepted (a SIP or RTSP retransmission after a lost answer) writes the
/// same reply as before (`*reply_len` 0 when the I_MESSAGE asked for none) and changes
/// nothing; the buffer rules above apply to it too. Only the session that accepted the
/// message answers it, and only its last one: any other copy is MIKEY_ERR_REPLAYED, and a
/// copy arriving outside the clock skew MIKEY_ERR_TIMESTAMP_OUT_OF_WINDOW. An Initiator
/// given the verification message again after it verified gets MIKEY_ERR_WRONG_STATE.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_process(
    session: *mut mikey_session_t,
    msg: *const u8,
    len: usize,
    reply: *mut u8,
    reply_cap: usize,
    reply_len: *mut usize,
) -> u32 {
    with_session(session, |s| {
        let reply_len = non_null_mut(reply_len)?;
        *reply_len = 0;
        let msg = byte_slice(msg, len)?;
        if reply.is_null() && reply_cap > 0 {
            return Err(MIKEY_ERR_NULL_POINTER);
        }
        match s.prepare(msg) {
            Ok(prepared) => {
                let needed = prepared.processed.reply.as_ref().map_or(0, Vec::len);
                if needed > reply_cap {
                    *reply_len = needed;
                    return Err(MIKEY_ERR_BUFFER_TOO_SMALL);
                }
                // The reply fits and `reply` is non-NULL when it is non-empty, so nothing
                // can fail after the commit.
                let processed = s.commit(prepared).map_err(|f| error_status(&f.error))?;
                let bytes = processed.reply.as_deref().unwrap_or_default();
                write_out(bytes, reply, reply_cap, reply_len)?;
                match processed.event {
                    Event::Retransmission => Err(MIKEY_RETRANSMISSION),
                    _ => Ok(()),
                }
            }
            Err(failure) => {
                let bytes = failure.reply.as_deref().unwrap_or_default();
                write_out(bytes, reply, reply_cap, reply_len)?;
                Err(error_status(&failure.error))
            }
        }
    })
}

/// Writes the session state (`MIKEY_STATE_*`) to `*state`.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_state(session: *const mikey_session_t, state: *mut u32) -> u32 {
    read_session(session, |s| {
        *non_null_mut(state)? = match s.state() {
            State::Idle => MIKEY_STATE_IDLE,
            State::AwaitingVerification => MIKEY_STATE_AWAITING_VERIFICATION,
            State::Established => MIKEY_STATE_ESTABLISHED,
        };
        Ok(())
    })
}

/// Writes the role (`MIKEY_ROLE_*`) to `*role`.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_role(session: *const mikey_session_t, role: *mut u32) -> u32 {
    read_session(session, |s| {
        *non_null_mut(role)? = match s.role() {
            Role::Initiator => MIKEY_ROLE_INITIATOR,
            Role::Responder => MIKEY_ROLE_RESPONDER,
        };
        Ok(())
    })
}

/// Writes the CSB ID to `*csb_id`; MIKEY_ERR_WRONG_STATE before keys are set.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_csb_id(session: *const mikey_session_t, csb_id: *mut u32) -> u32 {
    read_session(session, |s| {
        let out = non_null_mut(csb_id)?;
        *out = s.csb_id().ok_or(MIKEY_ERR_WRONG_STATE)?;
        Ok(())
    })
}

/// Writes the number of crypto sessions (0 before keys are set) to `*count`.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_crypto_session_count(
    session: *const mikey_session_t,
    count: *mut usize,
) -> u32 {
    read_session(session, |s| {
        *non_null_mut(count)? = s.crypto_sessions().len();
        Ok(())
    })
}

/// Describes crypto session `index` (0-based; its CS ID is `index + 1`).
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_crypto_session(
    session: *const mikey_session_t,
    index: usize,
    info: *mut mikey_crypto_session_info_t,
) -> u32 {
    read_session(session, |s| {
        let out = non_null_mut(info)?;
        let cs = s
            .crypto_sessions()
            .get(index)
            .ok_or(MIKEY_ERR_INDEX_OUT_OF_RANGE)?;
        *out = mikey_crypto_session_info_t {
            cs_id: cs.cs_id,
            policy_no: cs.policy_no,
            ssrc: cs.ssrc,
            roc: cs.roc,
            profile: cs.profile as u32,
            tag_len: cs.profile.tag_len() as u32,
            key_count: cs.keys.len(),
        };
        Ok(())
    })
}

/// Exports key `key_index` of crypto session `cs_index` into `*key` (libsrtp layout).
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_srtp_key(
    session: *const mikey_session_t,
    cs_index: usize,
    key_index: usize,
    key: *mut mikey_srtp_key_t,
) -> u32 {
    read_session(session, |s| {
        let out = non_null_mut(key)?;
        let cs = s
            .crypto_sessions()
            .get(cs_index)
            .ok_or(MIKEY_ERR_INDEX_OUT_OF_RANGE)?;
        let k = cs.keys.get(key_index).ok_or(MIKEY_ERR_INDEX_OUT_OF_RANGE)?;
        let ks = k.key_salt();
        if ks.len() > MIKEY_MAX_KEY_SALT_LEN || k.mki.len() > MIKEY_MAX_MKI_LEN {
            return Err(MIKEY_ERR_BAD_KEY_DATA);
        }
        out.key_salt = [0; MIKEY_MAX_KEY_SALT_LEN];
        out.key_salt[..ks.len()].copy_from_slice(ks);
        out.key_salt_len = ks.len();
        out.master_key_len = k.master_key().len();
        out.mki = [0; MIKEY_MAX_MKI_LEN];
        out.mki[..k.mki.len()].copy_from_slice(&k.mki);
        out.mki_len = k.mki.len();
        match &k.lifetime {
            KeyLifetime::UntilReplaced => {
                out.lifetime = MIKEY_LIFETIME_UNTIL_REPLACED;
                out.valid_from = 0;
                out.valid_to = 0;
            }
            KeyLifetime::Interval { from, to } => {
                out.lifetime = MIKEY_LIFETIME_INTERVAL;
                out.valid_from = *from;
                out.valid_to = *to;
            }
        }
        Ok(())
    })
}

// The C profile numbers are the Rust enum's.
const _: () = {
    use crate::policy::SrtpProfile as P;
    assert!(MIKEY_SRTP_AES128_CM_SHA1_80 == P::Aes128CmSha1_80 as u32);
    assert!(MIKEY_SRTP_AES128_CM_SHA1_32 == P::Aes128CmSha1_32 as u32);
    assert!(MIKEY_SRTP_NULL_SHA1_80 == P::NullSha1_80 as u32);
    assert!(MIKEY_SRTP_NULL_SHA1_32 == P::NullSha1_32 as u32);
    assert!(MIKEY_SRTP_AES256_CM_SHA1_80 == P::Aes256CmSha1_80 as u32);
    assert!(MIKEY_SRTP_AES256_CM_SHA1_32 == P::Aes256CmSha1_32 as u32);
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::ErrorNo;

    /// The documented ranges: the first Error no., 55 for any above, 12 for none.
    #[test]
    fn peer_error_statuses_name_the_first_error_no_within_their_range() {
        let status = |errors: &[u8], authenticated| {
            error_status(&Error::PeerError {
                errors: errors.iter().map(|&e| ErrorNo::from(e)).collect(),
                authenticated,
            })
        };
        assert_eq!(status(&[10, 3], true), MIKEY_ERR_PEER_ERROR + 10);
        assert_eq!(status(&[0], false), MIKEY_ERR_PEER_ERROR_UNAUTHENTICATED);
        assert_eq!(status(&[55], true), MIKEY_ERR_PEER_ERROR + 55);
        assert_eq!(status(&[56], true), MIKEY_ERR_PEER_ERROR + 55);
        assert_eq!(
            status(&[255], false),
            MIKEY_ERR_PEER_ERROR_UNAUTHENTICATED + 55
        );
        assert_eq!(status(&[], true), MIKEY_ERR_PEER_ERROR + 12);
    }
}
