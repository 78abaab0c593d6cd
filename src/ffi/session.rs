//! `mikey_session_t`: one MIKEY exchange / crypto session bundle (RFC 3830 §2.1), and
//! the export of its SRTP keys in libsrtp's layout.
//!
//! A session is used by one thread at a time (it may move between threads). A failed
//! call leaves it exactly as it was, and keeps its detail (`mikey_session_error_detail`).

#![allow(non_camel_case_types)]

use super::config::mikey_config_t;
use super::guard::{
    Detail, Failure, FfiResult, byte_slice, guard, invalid, no_detail, non_null, non_null_mut,
    write_out,
};
use super::message::parse_failure;
use super::status::*;
use super::types::*;
use crate::exchange::Error;
use crate::session::{Event, KeyLifetime, Role, Session, State, StreamSpec};
use crate::time::TimestampError;
use std::ffi::c_char;
use std::sync::atomic::{AtomicBool, Ordering};

/// Role: Initiator (sends the I_MESSAGE, RFC 3830 §2.1).
pub const MIKEY_ROLE_INITIATOR: mikey_role_t = 0;
/// Role: Responder (processes the I_MESSAGE, RFC 3830 §2.1).
pub const MIKEY_ROLE_RESPONDER: mikey_role_t = 1;

/// State: no keys yet.
pub const MIKEY_STATE_IDLE: mikey_state_t = 0;
/// State: Initiator with keys, awaiting the verification message.
pub const MIKEY_STATE_AWAITING_VERIFICATION: mikey_state_t = 1;
/// State: keys set (and verified when a verification message was asked for).
pub const MIKEY_STATE_ESTABLISHED: mikey_state_t = 2;
/// Initiator: the I_MESSAGE is sent and the keys come with the answer (RSA-R, RFC 4738
/// §3.1); no crypto session yet.
pub const MIKEY_STATE_AWAITING_KEYS: mikey_state_t = 3;
/// Initiator accepting forked answers (RFC 5197 §5.2): one or more Responders answered,
/// each a branch with its own keys (`mikey_session_branch_count`); pick one with
/// `mikey_session_select_branch`.
pub const MIKEY_STATE_FORKED: mikey_state_t = 4;

/// SRTP profile AES_CM_128_HMAC_SHA1_80 (libsrtp `srtp_profile_aes128_cm_sha1_80`).
pub const MIKEY_SRTP_AES128_CM_SHA1_80: mikey_srtp_profile_t = 1;
/// SRTP profile AES_CM_128_HMAC_SHA1_32 (libsrtp `srtp_profile_aes128_cm_sha1_32`).
pub const MIKEY_SRTP_AES128_CM_SHA1_32: mikey_srtp_profile_t = 2;
/// SRTP profile NULL_HMAC_SHA1_80 (libsrtp `srtp_profile_null_sha1_80`).
pub const MIKEY_SRTP_NULL_SHA1_80: mikey_srtp_profile_t = 5;
/// SRTP profile NULL_HMAC_SHA1_32 (libsrtp `srtp_profile_null_sha1_32`).
pub const MIKEY_SRTP_NULL_SHA1_32: mikey_srtp_profile_t = 6;
/// SRTP profile AES_256_CM_HMAC_SHA1_80 (libsrtp
/// `srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80`).
pub const MIKEY_SRTP_AES256_CM_SHA1_80: mikey_srtp_profile_t = 0x101;
/// SRTP profile AES_256_CM_HMAC_SHA1_32 (libsrtp
/// `srtp_crypto_policy_set_aes_cm_256_hmac_sha1_32`).
pub const MIKEY_SRTP_AES256_CM_SHA1_32: mikey_srtp_profile_t = 0x102;
/// SRTP profile AEAD_AES_128_GCM (RFC 7714 §14.2; libsrtp
/// `srtp_profile_aead_aes_128_gcm`): 16-byte key, 12-byte salt, 16-byte AEAD tag.
pub const MIKEY_SRTP_AEAD_AES_128_GCM: mikey_srtp_profile_t = 7;
/// SRTP profile AEAD_AES_256_GCM (RFC 7714 §14.2; libsrtp
/// `srtp_profile_aead_aes_256_gcm`): 32-byte key, 12-byte salt, 16-byte AEAD tag.
pub const MIKEY_SRTP_AEAD_AES_256_GCM: mikey_srtp_profile_t = 8;

/// Key lifetime: until replaced (SRTP's own limits: 2^48 SRTP, 2^31 SRTCP packets).
pub const MIKEY_LIFETIME_UNTIL_REPLACED: mikey_lifetime_t = 0;
/// Key lifetime: an SRTP index interval (`valid_from`..=`valid_to`).
pub const MIKEY_LIFETIME_INTERVAL: mikey_lifetime_t = 1;

/// Largest master key ‖ salt (AES-256: 32 + 14 bytes).
pub const MIKEY_MAX_KEY_SALT_LEN: usize = 46;
/// Largest MKI (the SPI length field is one byte).
pub const MIKEY_MAX_MKI_LEN: usize = 255;

/// A MIKEY session (opaque): one exchange and its crypto session bundle (RFC 3830 §2.1).
/// Create with `mikey_session_new` or `mikey_session_resume_initiator`, release with
/// `mikey_session_free`. It holds its own reference to its config.
///
/// Threads: one thread at a time (it may move between threads; sessions of one config
/// may be used by different threads at once). It keeps the detail of its last failed
/// call (`mikey_session_error_detail`).
pub struct mikey_session_t {
    session: Session,
    poisoned: AtomicBool,
    detail: Detail,
}

/// One stream the Initiator keys (an SRTP-ID map entry, RFC 3830 §6.1.1). Plain data,
/// owned by the caller.
#[repr(C)]
pub struct mikey_stream_t {
    /// SSRC (0 if not known yet).
    pub ssrc: u32,
    /// Rollover counter (0 for a new stream).
    pub roc: u32,
    /// Index into the config's offer (`mikey_config_builder_set_offer`).
    pub policy_no: u8,
}

/// A crypto session (RFC 3830 §6.1.1) and its negotiated SRTP profile. Plain data, owned
/// by the caller.
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
    pub profile: mikey_srtp_profile_t,
    /// SRTP authentication tag length in bytes.
    pub tag_len: u32,
    /// Number of keys (`mikey_session_srtp_key` indices).
    pub key_count: usize,
}

/// One SRTP key of a crypto session, in libsrtp's layout: `srtp_policy_t.key =
/// key_salt`, and with an MKI `srtp_master_key_t.mki_id = mki` (RFC 3830 §6.13, §6.14).
/// Owned by the caller; holds secrets: wipe it when done.
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
    pub lifetime: mikey_lifetime_t,
    /// With `MIKEY_LIFETIME_INTERVAL`: first valid SRTP index (ROC ‖ SEQ, below 2^48),
    /// else 0. An I_MESSAGE whose interval does not fit SRTP's index space, or runs
    /// backwards, is refused (MIKEY_ERR_BAD_KEY_VALIDITY), never truncated.
    pub valid_from: u64,
    /// With `MIKEY_LIFETIME_INTERVAL`: last valid SRTP index (below 2^48, at least
    /// `valid_from`), else 0.
    pub valid_to: u64,
}

/// The status for an exchange error.
pub(crate) fn error_status(e: &Error) -> mikey_status_t {
    match e {
        Error::Parse(p) => parse_failure(p).status,
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
        Error::SignatureInvalid => MIKEY_ERR_SIGNATURE_INVALID,
        Error::UnsupportedSignature => MIKEY_ERR_UNSUPPORTED_SIGNATURE,
        Error::Certificate(_) => MIKEY_ERR_CERTIFICATE,
        Error::CertificateIdentity => MIKEY_ERR_CERTIFICATE_IDENTITY,
        Error::PeerKey(_) => MIKEY_ERR_PEER_KEY,
        Error::LocalKey(_) => MIKEY_ERR_LOCAL_KEY,
        Error::UnsupportedHash => MIKEY_ERR_UNSUPPORTED_HASH,
        Error::BadAnswer(_) => MIKEY_ERR_BAD_ANSWER,
        Error::Dh(crate::crypto::dh::DhError::Backend) => MIKEY_ERR_LOCAL_KEY,
        Error::Dh(_) => MIKEY_ERR_BAD_DH_VALUE,
        Error::UnsupportedDhGroup => MIKEY_ERR_UNSUPPORTED_DH_GROUP,
        Error::BiddingDown => MIKEY_ERR_BIDDING_DOWN,
        Error::CounterStore => MIKEY_ERR_COUNTER_STORE,
    }
}

/// The status and detail for an exchange error. A failed MAC (RFC 3830 §5.1.2: Error
/// no. 0) has no detail on purpose: which check failed would tell an attacker more than
/// the status does.
pub(crate) fn error_failure(e: &Error) -> Failure {
    match e {
        Error::AuthFailed => Failure::from(MIKEY_ERR_AUTH_FAILED),
        Error::Parse(p) => parse_failure(p),
        _ => Failure::new(error_status(e), e.to_string()),
    }
}

/// The session is poisoned.
fn poisoned() -> Failure {
    Failure::new(
        MIKEY_ERR_POISONED,
        "the session panicked in an earlier call and can only be freed",
    )
}

/// Runs `f` on a live session; a panic poisons it. The outcome's detail is kept.
pub(super) fn with_session(
    session: *mut mikey_session_t,
    f: impl FnOnce(&mut Session) -> FfiResult,
) -> mikey_status_t {
    guard(|| {
        let s = non_null_mut(session, "session")?;
        let result = if s.poisoned.load(Ordering::Relaxed) {
            Err(poisoned())
        } else {
            let inner = &mut s.session;
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(inner))).unwrap_or_else(
                |_| {
                    s.poisoned.store(true, Ordering::Relaxed);
                    Err(MIKEY_ERR_PANIC.into())
                },
            )
        };
        s.detail.record(&result);
        result
    })
}

/// Runs `f` on a live session, read-only. The outcome's detail is kept.
pub(super) fn read_session(
    session: *const mikey_session_t,
    f: impl FnOnce(&Session) -> FfiResult,
) -> mikey_status_t {
    guard(|| {
        let s = non_null(session, "session")?;
        let result = if s.poisoned.load(Ordering::Relaxed) {
            Err(poisoned())
        } else {
            f(&s.session)
        };
        s.detail.record(&result);
        result
    })
}

fn new_handle(session: Session) -> *mut mikey_session_t {
    Box::into_raw(Box::new(mikey_session_t {
        session,
        poisoned: AtomicBool::new(false),
        detail: Detail::default(),
    }))
}

/// Creates in `*out_session` a session of `role` (`MIKEY_ROLE_*`) on `config`. The
/// session holds its own reference to the config.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `config` or `out_session` is NULL;
/// MIKEY_ERR_INVALID_ARGUMENT for another `role`; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_new(
    config: *const mikey_config_t,
    role: mikey_role_t,
    out_session: *mut *mut mikey_session_t,
) -> mikey_status_t {
    guard(|| {
        let config = non_null(config, "config")?;
        let out = non_null_mut(out_session, "out_session")?;
        let session = match role {
            MIKEY_ROLE_INITIATOR => Session::initiator(config.config.clone()),
            MIKEY_ROLE_RESPONDER => Session::responder(config.config.clone()),
            _ => return Err(invalid(format!("role {role} is not a MIKEY_ROLE_*"))),
        };
        *out = new_handle(session);
        Ok(())
    })
}

/// Creates in `*out_session` the Initiator session that sent `i_message`
/// (`i_message_len` bytes), an initial I_MESSAGE built with `config`'s credentials,
/// rebuilt from the message itself: its MAC is verified and its KEMAC decrypted with the
/// PSK (RFC 3830 §5.2). The session is `MIKEY_STATE_AWAITING_VERIFICATION` when the
/// message asked for a verification message (V flag), else `MIKEY_STATE_ESTABLISHED`. For
/// an Initiator that keeps no state between sending the I_MESSAGE and receiving the answer
/// (e.g. an SDP offer written by one process and its answer read by another): keep the
/// I_MESSAGE, not the session. The timestamp and replay cache are not consulted (the
/// message is our own); the answer must still carry its timestamp. A failure writes
/// nothing (there is no handle to keep a detail in). The session holds the message's CSB
/// ID among the config's live ones (RFC 3830 §6.1).
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `config` or `out_session` is NULL, or
/// `i_message` is NULL with `i_message_len` > 0; MIKEY_ERR_MESSAGE_TOO_LARGE,
/// MIKEY_ERR_TOO_MANY_PAYLOADS or a MIKEY_ERR_PARSE_* status for a malformed message;
/// MIKEY_ERR_UNEXPECTED_MESSAGE if it is not a PSK I_MESSAGE; MIKEY_ERR_MISSING_PAYLOAD
/// for an update (which has no RAND) or a missing payload; MIKEY_ERR_AUTH_FAILED for
/// another PSK; MIKEY_ERR_UNSUPPORTED_PRF, MIKEY_ERR_UNSUPPORTED_MAC,
/// MIKEY_ERR_UNSUPPORTED_ENCRYPTION, MIKEY_ERR_UNSUPPORTED_POLICY_TYPE,
/// MIKEY_ERR_UNSUPPORTED_POLICY, MIKEY_ERR_BAD_KEY_DATA or MIKEY_ERR_BAD_KEY_VALIDITY
/// when the message does not fit the config; MIKEY_ERR_IDENTITY_MISMATCH;
/// MIKEY_ERR_CSB_ID_IN_USE while a live Initiator session of `config` holds the
/// message's CSB ID (e.g. the one that sent it); MIKEY_ERR_CONFIG (no PSK);
/// MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_resume_initiator(
    config: *const mikey_config_t,
    i_message: *const u8,
    i_message_len: usize,
    out_session: *mut *mut mikey_session_t,
) -> mikey_status_t {
    guard(|| {
        let config = non_null(config, "config")?;
        let out = non_null_mut(out_session, "out_session")?;
        let bytes = byte_slice(i_message, i_message_len, "i_message")?;
        let session = Session::resume_initiator(config.config.clone(), bytes)
            .map_err(|e| error_failure(&e))?;
        *out = new_handle(session);
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

/// The detail of the last failed call on `session`: which argument was out of range,
/// which payload is missing or failed a check, the byte offset of a parse error, the
/// needed buffer length. NUL-terminated, never NULL: the empty string after a successful
/// call, before any call, and for a NULL `session`. Valid until the next call on the
/// session or its free. It never holds key material, and MIKEY_ERR_AUTH_FAILED has no
/// detail on purpose (an attacker must learn nothing more than the status).
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_error_detail(session: *const mikey_session_t) -> *const c_char {
    // SAFETY: a non-NULL session is a live handle (caller's promise).
    match unsafe { session.as_ref() } {
        Some(s) => s.detail.as_ptr(),
        None => no_detail(),
    }
}

/// The `count` entries of a C stream array (`least` to 255 of them) as stream specs; the
/// policy numbers are left to the caller to check.
pub(super) fn stream_list(
    list: *const mikey_stream_t,
    count: usize,
    least: usize,
) -> FfiResult<Vec<StreamSpec>> {
    if count < least || count > 255 {
        return Err(invalid(format!(
            "streams_count is {count}; {least} to 255 streams (RFC 3830 §6.1.1)"
        )));
    }
    if count == 0 {
        return Ok(Vec::new());
    }
    if list.is_null() {
        return Err(Failure::new(
            MIKEY_ERR_NULL_POINTER,
            format!("streams is NULL but streams_count is {count}"),
        ));
    }
    // SAFETY: non-NULL; the caller promises `count` readable entries.
    let list: &[mikey_stream_t] = unsafe { std::slice::from_raw_parts(list, count) };
    Ok(list
        .iter()
        .map(|s| StreamSpec {
            ssrc: s.ssrc,
            roc: s.roc,
            policy_no: s.policy_no,
        })
        .collect())
}

/// The streams of an I_MESSAGE: [`stream_list`], each naming a policy of the offer.
fn streams(
    session: &Session,
    list: *const mikey_stream_t,
    count: usize,
    at_least_one: bool,
) -> FfiResult<Vec<StreamSpec>> {
    let specs = stream_list(list, count, usize::from(at_least_one))?;
    let offered = session.config().offer.len();
    if let Some((i, s)) = specs
        .iter()
        .enumerate()
        .find(|(_, s)| usize::from(s.policy_no) >= offered)
    {
        return Err(invalid(format!(
            "streams[{i}].policy_no is {}; the offer has {offered} policies",
            s.policy_no
        )));
    }
    Ok(specs)
}

/// Which I_MESSAGE [`build_message`] builds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Build<'a> {
    /// The initial one.
    Initial,
    /// The initial one for an SDP or RTSP offer of these key management protocols.
    Offer(&'a str),
    /// An update with new keys.
    Rekey,
    /// A DH update without DHi, keeping the TGK.
    UpdateKeepingTgk,
}

/// Builds an I_MESSAGE and installs it only when it fits the output.
fn build_message(
    session: *mut mikey_session_t,
    list: *const mikey_stream_t,
    count: usize,
    out: (*mut u8, usize, *mut usize),
    build: Build<'_>,
) -> mikey_status_t {
    with_session(session, |s| {
        non_null_mut(out.2, "i_message_len")?;
        // RSA-R: an Initiator that sends no stream initiates with none (RFC 4738 §3.4).
        let initial = matches!(build, Build::Initial | Build::Offer(_));
        let at_least_one = initial && s.config().mode() != crate::session::Mode::RsaR;
        let specs = streams(s, list, count, at_least_one)?;
        let result = match build {
            Build::Initial => s.prepare_initiate(&specs, &crate::session::InitInputs::default()),
            Build::Offer(kmpids) => s.prepare_initiate_offer(
                &specs,
                &crate::session::InitInputs::default(),
                Some(kmpids),
            ),
            Build::Rekey => s.prepare_rekey(&specs, false),
            Build::UpdateKeepingTgk => s.prepare_rekey(&specs, true),
        };
        let (bytes, prepared) = result.map_err(|e| error_failure(&e))?;
        write_out(&bytes, out.0, out.1, out.2, "i_message")?;
        s.install(prepared);
        Ok(())
    })
}

/// Initiator: builds the I_MESSAGE (RFC 3830 §3.1, §5.2) for `streams_count` streams
/// (1..=255) into `i_message` (capacity `i_message_cap`, length in `*i_message_len`) and
/// installs the keys (state MIKEY_STATE_AWAITING_VERIFICATION or
/// MIKEY_STATE_ESTABLISHED; RSA-R: MIKEY_STATE_AWAITING_KEYS, the keys come with the
/// answer, and `streams_count` may be 0). 2048 bytes always suffice for PSK and NULL; a
/// public-key I_MESSAGE carries the certificate chain, a SIGN payload of the key's size and
/// (PK) a PKE: MIKEY_ERR_BUFFER_TOO_SMALL gives the length needed.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `session` or `i_message_len` is NULL, or
/// `streams`/`i_message` is NULL where bytes are needed; MIKEY_ERR_INVALID_ARGUMENT for
/// `streams_count` 0 or above 255, or a `policy_no` not in the config's offer (the detail
/// names it); MIKEY_ERR_BUFFER_TOO_SMALL with the needed length in `*i_message_len`,
/// nothing installed (a retry builds a new message with new random values);
/// MIKEY_ERR_WRONG_STATE unless an Initiator without keys; MIKEY_ERR_RNG (the random
/// source failed, or gave 16 CSB IDs in a row that are 0 or held by a live Initiator
/// session of the config: RFC 3830 §6.1, CSB IDs must not collide; the session holds its
/// ID until `mikey_session_free`);
/// MIKEY_ERR_FIELD_TOO_LONG; MIKEY_ERR_CONFIG if the config cannot make the message (the
/// detail says why); MIKEY_ERR_POISONED; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_initiate(
    session: *mut mikey_session_t,
    streams: *const mikey_stream_t,
    streams_count: usize,
    i_message: *mut u8,
    i_message_cap: usize,
    i_message_len: *mut usize,
) -> mikey_status_t {
    build_message(
        session,
        streams,
        streams_count,
        (i_message, i_message_cap, i_message_len),
        Build::Initial,
    )
}

/// Initiator: `mikey_session_initiate` for an SDP or RTSP offer listing the key management
/// protocols `kmpids` (`kmpids_len` bytes: every offered KMPID in the order of the
/// description's key-mgmt attributes, ";"-separated, e.g. "mikey;keyp1", as
/// `mikey_sdp_protocol_list` gives them). The I_MESSAGE carries the list in a General
/// Extension of type SDP IDs, covered by its MAC or signature (RFC 4567 §4.1.4), so that the
/// Responder detects offers peeled off on the way (`mikey_session_process_offer`).
///
/// Returns as `mikey_session_initiate`; MIKEY_ERR_NULL_POINTER also if `kmpids` is NULL
/// with `kmpids_len` > 0; MIKEY_ERR_INVALID_ARGUMENT if it is not UTF-8; MIKEY_ERR_CONFIG if
/// it is not a KMPID list.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_initiate_offer(
    session: *mut mikey_session_t,
    streams: *const mikey_stream_t,
    streams_count: usize,
    kmpids: *const c_char,
    kmpids_len: usize,
    i_message: *mut u8,
    i_message_cap: usize,
    i_message_len: *mut usize,
) -> mikey_status_t {
    match text_arg(kmpids, kmpids_len, "kmpids") {
        Ok(list) => build_message(
            session,
            streams,
            streams_count,
            (i_message, i_message_cap, i_message_len),
            Build::Offer(list),
        ),
        Err(failure) => with_session(session, |_| Err(failure)),
    }
}

/// Initiator with keys: builds an update I_MESSAGE (RFC 3830 §4.5) with a new key, adding
/// `streams_count` streams (0..=255; `streams` may be NULL for 0) to the crypto sessions.
/// Output and statuses as `mikey_session_initiate`, except that `streams_count` 0 is
/// allowed and MIKEY_ERR_WRONG_STATE is returned before keys are set.
///
/// What the update is depends on the mode: PSK, NULL and PK carry a new key (PK with a new
/// envelope, or, after a PK exchange whose PKE asked for the envelope key to be cached, a
/// PSK message keyed with the cached key, answered by a PSK verification message); the DH
/// modes run a new DH exchange on the CSB, whose answer brings the new keys (the current
/// ones stay in use until then); RSA-R has no update (MIKEY_ERR_CONFIG: start a new
/// exchange).
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_rekey(
    session: *mut mikey_session_t,
    streams: *const mikey_stream_t,
    streams_count: usize,
    i_message: *mut u8,
    i_message_cap: usize,
    i_message_len: *mut usize,
) -> mikey_status_t {
    build_message(
        session,
        streams,
        streams_count,
        (i_message, i_message_cap, i_message_len),
        Build::Rekey,
    )
}

/// Initiator of `MIKEY_MODE_DH_SIGN` or `MIKEY_MODE_DH_HMAC` with keys: builds an update
/// I_MESSAGE without a DH value (RFC 3830 §4.5: "a MIKEY update message does not need to
/// contain new keying material"; RFC 4650 §3.1 procedure b), adding `streams_count`
/// streams (0..=255) and sending the offered policies again. The TGK stays: the answer,
/// without DH values either, keys the new crypto sessions with it. Output and statuses as
/// `mikey_session_rekey`; MIKEY_ERR_CONFIG in the other modes.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_update_keeping_tgk(
    session: *mut mikey_session_t,
    streams: *const mikey_stream_t,
    streams_count: usize,
    i_message: *mut u8,
    i_message_cap: usize,
    i_message_len: *mut usize,
) -> mikey_status_t {
    build_message(
        session,
        streams,
        streams_count,
        (i_message, i_message_cap, i_message_len),
        Build::UpdateKeepingTgk,
    )
}

/// Processes the peer's message (`message_len` bytes at `message`): as Responder an
/// I_MESSAGE, as Initiator the verification message or an Error message (RFC 3830 §5).
///
/// A message to send back (verification message on success; on failure the Error
/// message RFC 3830 §5.1.2 asks for) is written to `reply` (capacity `reply_cap`) with
/// its length in `*reply_len`; `*reply_len` is 0 when there is none, on success and on
/// failure alike. If the reply does not fit, MIKEY_ERR_BUFFER_TOO_SMALL is returned with
/// the needed length and nothing is changed, so the call can be repeated with a larger
/// buffer (2048 bytes always suffice for PSK messages; an RSA-R answer carries certificates,
/// a PKE and a SIGN: MIKEY_ERR_BUFFER_TOO_SMALL gives the length needed). `reply` may be NULL only when
/// `reply_cap` is 0.
///
/// Every argument is checked before anything is installed: a failed call changes
/// nothing (no keys, no replay-cache entry), so it can be repeated.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `session` or `reply_len` is NULL, `message`
/// is NULL with `message_len` > 0, or `reply` is NULL with `reply_cap` > 0;
/// MIKEY_ERR_BUFFER_TOO_SMALL (see above); MIKEY_ERR_MESSAGE_TOO_LARGE for a message
/// longer than the config's maximum (`mikey_config_builder_set_max_message_size`, default
/// `MIKEY_DEFAULT_MAX_MESSAGE_SIZE`) and MIKEY_ERR_TOO_MANY_PAYLOADS for more than 512
/// payloads, both before parsing and without a reply; a MIKEY_ERR_PARSE_* status for
/// another malformed message (the detail gives the byte offset); the exchange statuses
/// MIKEY_ERR_WRONG_STATE, MIKEY_ERR_UNEXPECTED_MESSAGE, MIKEY_ERR_MISSING_PAYLOAD,
/// MIKEY_ERR_TIMESTAMP_OUT_OF_WINDOW, MIKEY_ERR_UNSUPPORTED_TIMESTAMP,
/// MIKEY_ERR_REPLAYED, MIKEY_ERR_REPLAY_CACHE_FULL, MIKEY_ERR_AUTH_FAILED,
/// MIKEY_ERR_UNSUPPORTED_PRF, MIKEY_ERR_UNSUPPORTED_MAC,
/// MIKEY_ERR_UNSUPPORTED_ENCRYPTION, MIKEY_ERR_IDENTITY_MISMATCH,
/// MIKEY_ERR_UNSUPPORTED_POLICY_TYPE, MIKEY_ERR_UNSUPPORTED_POLICY,
/// MIKEY_ERR_CSB_MISMATCH, MIKEY_ERR_TIMESTAMP_MISMATCH, MIKEY_ERR_BAD_KEY_DATA,
/// MIKEY_ERR_UPDATE_WITH_RAND, MIKEY_ERR_TIMESTAMP_NOT_NEWER, MIKEY_ERR_BAD_KEY_VALIDITY,
/// MIKEY_ERR_RNG, MIKEY_ERR_FIELD_TOO_LONG, MIKEY_ERR_CONFIG; an Error message from the
/// peer gives `MIKEY_ERR_PEER_ERROR + Error no.` (authenticated) or
/// `MIKEY_ERR_PEER_ERROR_UNAUTHENTICATED + Error no.` (the first Error no.; 55 stands
/// for any above 55, 12 for none; see `MIKEY_IS_PEER_ERROR`); MIKEY_ERR_POISONED;
/// MIKEY_ERR_PANIC.
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
    message: *const u8,
    message_len: usize,
    reply: *mut u8,
    reply_cap: usize,
    reply_len: *mut usize,
) -> mikey_status_t {
    process_message(
        session,
        (message, message_len),
        None,
        (reply, reply_cap, reply_len),
    )
}

/// Responder: `mikey_session_process` for an I_MESSAGE that came in an SDP or RTSP offer
/// listing the key management protocols `kmpids` (`kmpids_len` bytes, ";"-separated, as
/// `mikey_sdp_protocol_list` gives them). RFC 4567 §4.1.4 bidding-down protection: once the
/// message is authenticated, the list in its SDP IDs extension must be `kmpids`, and an
/// offer of several protocols must carry one; otherwise MIKEY_ERR_BIDDING_DOWN, no reply,
/// and nothing changes (reject the offer in SIP or RTSP). A message without the extension
/// passes when the offer is MIKEY alone.
///
/// Returns as `mikey_session_process`, and MIKEY_ERR_BIDDING_DOWN; MIKEY_ERR_NULL_POINTER
/// also if `kmpids` is NULL with `kmpids_len` > 0; MIKEY_ERR_INVALID_ARGUMENT if it is not
/// UTF-8; MIKEY_ERR_WRONG_STATE for an Initiator.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_process_offer(
    session: *mut mikey_session_t,
    message: *const u8,
    message_len: usize,
    kmpids: *const c_char,
    kmpids_len: usize,
    reply: *mut u8,
    reply_cap: usize,
    reply_len: *mut usize,
) -> mikey_status_t {
    process_message(
        session,
        (message, message_len),
        Some((kmpids, kmpids_len)),
        (reply, reply_cap, reply_len),
    )
}

/// The text argument `name` (`len` bytes at `ptr`), UTF-8.
fn text_arg<'a>(ptr: *const c_char, len: usize, name: &str) -> FfiResult<&'a str> {
    std::str::from_utf8(byte_slice(ptr.cast(), len, name)?)
        .map_err(|_| invalid(format!("{name} is not UTF-8")))
}

/// mikey_session_process and mikey_session_process_offer.
fn process_message(
    session: *mut mikey_session_t,
    (message, message_len): (*const u8, usize),
    kmpids: Option<(*const c_char, usize)>,
    (reply, reply_cap, reply_len): (*mut u8, usize, *mut usize),
) -> mikey_status_t {
    with_session(session, |s| {
        let reply_len = non_null_mut(reply_len, "reply_len")?;
        *reply_len = 0;
        let msg = byte_slice(message, message_len, "message")?;
        if reply.is_null() && reply_cap > 0 {
            return Err(Failure::new(
                MIKEY_ERR_NULL_POINTER,
                format!("reply is NULL but reply_cap is {reply_cap}"),
            ));
        }
        let kmpids = kmpids
            .map(|(ptr, len)| text_arg(ptr, len, "kmpids"))
            .transpose()?;
        match s.prepare_offer(msg, kmpids) {
            Ok(prepared) => {
                let needed = prepared.processed.reply.as_ref().map_or(0, Vec::len);
                if needed > reply_cap {
                    *reply_len = needed;
                    return Err(Failure::new(
                        MIKEY_ERR_BUFFER_TOO_SMALL,
                        format!("reply: {needed} bytes needed, reply_cap is {reply_cap}"),
                    ));
                }
                // The reply fits and `reply` is non-NULL when it is non-empty, so nothing
                // can fail after the commit.
                let processed = s.commit(prepared).map_err(|f| error_failure(&f.error))?;
                let bytes = processed.reply.as_deref().unwrap_or_default();
                write_out(bytes, reply, reply_cap, reply_len, "reply")?;
                match processed.event {
                    Event::Retransmission => Err(Failure::new(
                        MIKEY_RETRANSMISSION,
                        "a retransmission of the last I_MESSAGE accepted: the same reply",
                    )),
                    _ => Ok(()),
                }
            }
            Err(failure) => {
                let bytes = failure.reply.as_deref().unwrap_or_default();
                write_out(bytes, reply, reply_cap, reply_len, "reply")?;
                Err(error_failure(&failure.error))
            }
        }
    })
}

/// Writes the session state (`MIKEY_STATE_*`) to `*out_state`.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `session` or `out_state` is NULL;
/// MIKEY_ERR_POISONED; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_state(
    session: *const mikey_session_t,
    out_state: *mut mikey_state_t,
) -> mikey_status_t {
    read_session(session, |s| {
        *non_null_mut(out_state, "out_state")? = match s.state() {
            State::Idle => MIKEY_STATE_IDLE,
            State::AwaitingVerification => MIKEY_STATE_AWAITING_VERIFICATION,
            State::Established => MIKEY_STATE_ESTABLISHED,
            State::AwaitingKeys => MIKEY_STATE_AWAITING_KEYS,
            State::Forked => MIKEY_STATE_FORKED,
        };
        Ok(())
    })
}

/// Writes the role (`MIKEY_ROLE_*`) to `*out_role`.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `session` or `out_role` is NULL;
/// MIKEY_ERR_POISONED; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_role(
    session: *const mikey_session_t,
    out_role: *mut mikey_role_t,
) -> mikey_status_t {
    read_session(session, |s| {
        *non_null_mut(out_role, "out_role")? = match s.role() {
            Role::Initiator => MIKEY_ROLE_INITIATOR,
            Role::Responder => MIKEY_ROLE_RESPONDER,
        };
        Ok(())
    })
}

/// The session's keys, or MIKEY_ERR_WRONG_STATE before there are any.
fn keyed(s: &Session) -> FfiResult<&[crate::session::CryptoSession]> {
    match s.state() {
        State::Idle => Err(Failure::new(
            MIKEY_ERR_WRONG_STATE,
            "no keys yet: the session is MIKEY_STATE_IDLE",
        )),
        State::Forked => Err(Failure::new(
            MIKEY_ERR_WRONG_STATE,
            "no keys selected yet: the session is MIKEY_STATE_FORKED (mikey_session_select_branch)",
        )),
        State::AwaitingKeys => Err(Failure::new(
            MIKEY_ERR_WRONG_STATE,
            "no keys yet: the session is MIKEY_STATE_AWAITING_KEYS (they come with the answer)",
        )),
        _ => Ok(s.crypto_sessions()),
    }
}

/// Writes the CSB ID (RFC 3830 §6.1) to `*out_csb_id`.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `session` or `out_csb_id` is NULL;
/// MIKEY_ERR_WRONG_STATE before keys are set (MIKEY_STATE_IDLE); MIKEY_ERR_POISONED;
/// MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_csb_id(
    session: *const mikey_session_t,
    out_csb_id: *mut u32,
) -> mikey_status_t {
    read_session(session, |s| {
        let out = non_null_mut(out_csb_id, "out_csb_id")?;
        keyed(s)?;
        *out = s.csb_id().ok_or(MIKEY_ERR_WRONG_STATE)?;
        Ok(())
    })
}

/// Writes the number of crypto sessions (RFC 3830 §6.1.1) to `*out_count`: 0 before
/// keys are set.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `session` or `out_count` is NULL;
/// MIKEY_ERR_POISONED; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_crypto_session_count(
    session: *const mikey_session_t,
    out_count: *mut usize,
) -> mikey_status_t {
    read_session(session, |s| {
        *non_null_mut(out_count, "out_count")? = s.crypto_sessions().len();
        Ok(())
    })
}

/// Describes crypto session `cs_index` (0-based; its CS ID is `cs_index + 1`, RFC 3830
/// §6.1.1) in `*out_info`.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `session` or `out_info` is NULL;
/// MIKEY_ERR_WRONG_STATE before keys are set (MIKEY_STATE_IDLE);
/// MIKEY_ERR_INDEX_OUT_OF_RANGE if `cs_index` is not below
/// `mikey_session_crypto_session_count`; MIKEY_ERR_POISONED; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_crypto_session(
    session: *const mikey_session_t,
    cs_index: usize,
    out_info: *mut mikey_crypto_session_info_t,
) -> mikey_status_t {
    read_session(session, |s| {
        let out = non_null_mut(out_info, "out_info")?;
        describe_crypto_session(keyed(s)?, cs_index, out)
    })
}

/// Writes crypto session `cs_index` of `list` to `out`.
pub(super) fn describe_crypto_session(
    list: &[crate::session::CryptoSession],
    cs_index: usize,
    out: &mut mikey_crypto_session_info_t,
) -> FfiResult<()> {
    let cs = crypto_session(list, cs_index)?;
    *out = mikey_crypto_session_info_t {
        cs_id: cs.cs_id,
        policy_no: cs.policy_no,
        ssrc: cs.ssrc,
        roc: cs.roc,
        profile: cs.profile as mikey_srtp_profile_t,
        tag_len: cs.profile.tag_len() as u32,
        key_count: cs.keys.len(),
    };
    Ok(())
}

fn crypto_session(
    list: &[crate::session::CryptoSession],
    cs_index: usize,
) -> FfiResult<&crate::session::CryptoSession> {
    list.get(cs_index).ok_or_else(|| {
        Failure::new(
            MIKEY_ERR_INDEX_OUT_OF_RANGE,
            format!(
                "cs_index is {cs_index}; there are {} crypto sessions",
                list.len()
            ),
        )
    })
}

/// Exports key `key_index` of crypto session `cs_index` into `*out_key` (libsrtp layout).
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `session` or `out_key` is NULL;
/// MIKEY_ERR_WRONG_STATE before keys are set (MIKEY_STATE_IDLE);
/// MIKEY_ERR_INDEX_OUT_OF_RANGE if `cs_index` is not below the crypto session count or
/// `key_index` not below its `key_count`; MIKEY_ERR_BAD_KEY_DATA if a key does not fit the
/// struct; MIKEY_ERR_POISONED; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_srtp_key(
    session: *const mikey_session_t,
    cs_index: usize,
    key_index: usize,
    out_key: *mut mikey_srtp_key_t,
) -> mikey_status_t {
    read_session(session, |s| {
        let out = non_null_mut(out_key, "out_key")?;
        export_key(keyed(s)?, cs_index, key_index, out)
    })
}

/// Writes key `key_index` of crypto session `cs_index` of `list` to `out` (libsrtp
/// layout).
pub(super) fn export_key(
    list: &[crate::session::CryptoSession],
    cs_index: usize,
    key_index: usize,
    out: &mut mikey_srtp_key_t,
) -> FfiResult<()> {
    let cs = crypto_session(list, cs_index)?;
    let k = cs.keys.get(key_index).ok_or_else(|| {
        Failure::new(
            MIKEY_ERR_INDEX_OUT_OF_RANGE,
            format!(
                "key_index is {key_index}; crypto session {cs_index} has {} keys",
                cs.keys.len()
            ),
        )
    })?;
    let ks = k.key_salt();
    if ks.len() > MIKEY_MAX_KEY_SALT_LEN || k.mki.len() > MIKEY_MAX_MKI_LEN {
        return Err(MIKEY_ERR_BAD_KEY_DATA.into());
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
}

// The C profile numbers are the Rust enum's.
const _: () = {
    use crate::policy::SrtpProfile as P;
    assert!(MIKEY_SRTP_AES128_CM_SHA1_80 == P::Aes128CmSha1_80 as mikey_srtp_profile_t);
    assert!(MIKEY_SRTP_AES128_CM_SHA1_32 == P::Aes128CmSha1_32 as mikey_srtp_profile_t);
    assert!(MIKEY_SRTP_NULL_SHA1_80 == P::NullSha1_80 as mikey_srtp_profile_t);
    assert!(MIKEY_SRTP_NULL_SHA1_32 == P::NullSha1_32 as mikey_srtp_profile_t);
    assert!(MIKEY_SRTP_AES256_CM_SHA1_80 == P::Aes256CmSha1_80 as mikey_srtp_profile_t);
    assert!(MIKEY_SRTP_AES256_CM_SHA1_32 == P::Aes256CmSha1_32 as mikey_srtp_profile_t);
    assert!(MIKEY_SRTP_AEAD_AES_128_GCM == P::AeadAes128Gcm as mikey_srtp_profile_t);
    assert!(MIKEY_SRTP_AEAD_AES_256_GCM == P::AeadAes256Gcm as mikey_srtp_profile_t);
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

    /// A failed MAC has no detail (an attacker learns nothing beyond the status); other
    /// failures say what failed.
    #[test]
    fn auth_failure_has_no_detail_and_others_do() {
        let auth = error_failure(&Error::AuthFailed);
        assert_eq!(auth.status, MIKEY_ERR_AUTH_FAILED);
        assert!(auth.detail.is_empty());
        let missing = error_failure(&Error::MissingPayload("RAND"));
        assert_eq!(missing.status, MIKEY_ERR_MISSING_PAYLOAD);
        assert!(missing.detail.contains("RAND"));
        let parse = error_failure(&Error::Parse(
            crate::wire::Message::parse(&[1, 0]).unwrap_err(),
        ));
        assert_eq!(parse.status, MIKEY_ERR_PARSE_TRUNCATED);
        assert!(parse.detail.contains("at byte"), "{}", parse.detail);
    }
}
