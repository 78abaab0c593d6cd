//! `mikey_config_builder_t` and `mikey_config_t`: credentials, identities, policies,
//! algorithms and the clock/RNG/log callbacks shared by sessions.
//!
//! A builder is used by one thread; `mikey_config_builder_build` consumes it. A config is
//! immutable and reference-counted: any number of threads may create sessions from one
//! config at once, and each session keeps the config alive.

#![allow(non_camel_case_types)]

use super::guard::{
    Detail, Failure, FfiResult, byte_slice, flag, guard, invalid, no_detail, non_null,
    non_null_mut, null,
};
use super::status::*;
use super::types::*;
use crate::policy::SrtpProfile;
use crate::rng::{Rng, RngError};
use crate::session::{
    Config, ConfigBuilder, Identity, KeyTransport, LogLevel, MAX_MESSAGE_SIZE_RANGE, Mode,
    TRAILING_PADDING_RANGE, VerificationInput,
};
use crate::time::{Clock, SystemClock, os_monotonic};
use crate::wire::{EncrAlg, IdType, MacAlg, PrfFunc, TsType};
use std::ffi::{CString, c_char, c_void};
use std::sync::Arc;
use std::time::Duration;

/// PSK mode (RFC 3830 §3.1).
pub const MIKEY_MODE_PSK: mikey_mode_t = 0;
/// NULL mode: the PSK message with NULL encryption and NULL MAC (RFC 3830 §4.2.3).
/// **Insecure**: use only over a transport that already protects the MIKEY message
/// (SIP/RTSP over TLS).
pub const MIKEY_MODE_NULL: mikey_mode_t = 1;
/// Public-key mode, MIKEY-PK (RFC 3830 §3.2): the Initiator encrypts an envelope key to
/// the Responder's RSA key and signs the I_MESSAGE. Needs a private key
/// (`mikey_config_builder_set_private_key`); the Initiator needs the Responder's
/// certificate, the Responder trust anchors or the Initiator's certificate.
pub const MIKEY_MODE_PK: mikey_mode_t = 2;
/// MIKEY-RSA in Reverse mode (RFC 4738): the Initiator signs a request, the Responder
/// chooses the keys and sends them encrypted to the Initiator's RSA key. Needs a private
/// key; the Responder needs its identity (`mikey_config_builder_set_local_identity`).
pub const MIKEY_MODE_RSA_R: mikey_mode_t = 3;
/// Diffie-Hellman with signatures, DH-SIGN (RFC 3830 §3.3): perfect forward secrecy; both
/// messages are signed. Needs a private key and the local identity; the group is
/// `mikey_config_builder_set_dh_group` (OAKLEY 5 by default).
pub const MIKEY_MODE_DH_SIGN: mikey_mode_t = 4;
/// Diffie-Hellman authenticated by an HMAC from a pre-shared key, DH-HMAC (RFC 4650):
/// perfect forward secrecy without certificates. Needs the PSK and both identities (the
/// I_MESSAGE always names the Responder, RFC 4650 §3).
pub const MIKEY_MODE_DH_HMAC: mikey_mode_t = 5;

/// Key transport: a random TGK; SRTP keys derived per crypto session (RFC 3830 §4.1.3;
/// default).
pub const MIKEY_KEY_TRANSPORT_TGK: mikey_key_transport_t = 0;
/// Key transport: the TEK and salt themselves (Key data type TEK+SALT, RFC 3830 §6.13).
pub const MIKEY_KEY_TRANSPORT_TEK_SALT: mikey_key_transport_t = 1;
/// Key transport: master key ‖ master salt in one TEK field, as GStreamer sends it
/// (RFC 3830 §6.13).
pub const MIKEY_KEY_TRANSPORT_TEK_CONCATENATED: mikey_key_transport_t = 2;

/// Verification MAC input: ID data of IDi ‖ ID data of IDr ‖ TS value (RFC 3830 §5.2,
/// RFC 6043 §5.5 reading; default).
pub const MIKEY_VERIFICATION_IDS_AND_TIMESTAMP: mikey_verification_input_t = 0;
/// Verification MAC input: the TS value only (minisip's reading of RFC 3830 §5.2).
pub const MIKEY_VERIFICATION_TIMESTAMP_ONLY: mikey_verification_input_t = 1;

/// Log level of a warning (e.g. a NULL-mode message was accepted).
pub const MIKEY_LOG_WARNING: mikey_log_level_t = 1;
/// Log level of a protocol step.
pub const MIKEY_LOG_INFO: mikey_log_level_t = 2;

/// Returns the current time as a 64-bit NTP timestamp (seconds since 1900 in the high 32
/// bits, fraction in the low 32 bits, UTC; RFC 3830 §6.6).
///
/// Called by the thread making a call on a session of the config (and by
/// `mikey_session_new`/`_resume_initiator`), possibly by several threads at once when
/// sessions of one config are used concurrently: it must be thread-safe. `userdata` is
/// the pointer given with it and must stay valid until the config and every session
/// created from it are freed.
pub type mikey_clock_fn = Option<unsafe extern "C" fn(userdata: *mut c_void) -> u64>;
/// Returns a monotonic time in nanoseconds since an arbitrary origin fixed for the
/// config's lifetime: it never goes back and is never stepped (like `CLOCK_MONOTONIC`).
///
/// Threads and `userdata`: as `mikey_clock_fn` (called concurrently from every thread
/// using a session of the config; `userdata` valid until the config and all its sessions
/// are freed).
pub type mikey_monotonic_clock_fn = Option<unsafe extern "C" fn(userdata: *mut c_void) -> u64>;
/// Fills `buf_len` bytes at `buf` with cryptographically secure random bytes; returns 0
/// on success, anything else on failure (the call then fails with MIKEY_ERR_RNG).
///
/// Threads and `userdata`: as `mikey_clock_fn` (called concurrently from every thread
/// using a session of the config; `userdata` valid until the config and all its sessions
/// are freed).
pub type mikey_rng_fn =
    Option<unsafe extern "C" fn(userdata: *mut c_void, buf: *mut u8, buf_len: usize) -> i32>;
/// Receives a log message (NUL-terminated, valid only during the call; never secret
/// material) and its level (`MIKEY_LOG_*`).
///
/// Called by the thread making a call on the config builder (`mikey_config_builder_build`
/// logs a NULL-mode warning) or on a session of the config, possibly by several threads
/// at once: it must be thread-safe. `userdata` must stay valid until the config and every
/// session created from it are freed.
pub type mikey_log_fn = Option<
    unsafe extern "C" fn(userdata: *mut c_void, level: mikey_log_level_t, message: *const c_char),
>;

/// A configuration under construction (opaque). Create with `mikey_config_builder_new`;
/// `mikey_config_builder_build` frees it on success, `mikey_config_builder_free`
/// otherwise.
///
/// Threads: one thread at a time (it may move between threads). It keeps the detail of
/// its last failed call (`mikey_config_builder_error_detail`).
pub struct mikey_config_builder_t {
    builder: Option<ConfigBuilder>,
    /// The clocks set so far (either may be the system's).
    clock: CClock,
    detail: Detail,
}

/// An immutable configuration (opaque), shared by the sessions made from it. Create with
/// `mikey_config_builder_build`, release with `mikey_config_free`; each session holds its
/// own reference, so the config may be freed while sessions still use it.
///
/// Threads: any number of threads may use one config at once (create sessions, query
/// it). Its one mutable part, the replay cache that every session of the config shares
/// (RFC 3830 §5.4), is locked internally. Its callbacks (clock, monotonic clock, RNG, log)
/// are called from those threads concurrently.
pub struct mikey_config_t {
    pub(crate) config: Arc<Config>,
}

/// Userdata pointers are the caller's; the caller promises the callbacks may be called
/// from any thread that uses a session of this config.
#[derive(Debug, Clone, Copy)]
pub(super) struct UserData(pub(super) *mut c_void);
// SAFETY: documented contract: the callback and its userdata are usable from any thread.
unsafe impl Send for UserData {}
// SAFETY: as above.
unsafe impl Sync for UserData {}

/// A C callback and its userdata.
#[derive(Debug, Clone, Copy)]
struct Callback<F> {
    f: F,
    userdata: UserData,
}

/// The C clocks of a config: each callback given, or the system's (RFC 3830 §5.4).
#[derive(Debug, Clone, Copy, Default)]
struct CClock {
    wall: Option<Callback<unsafe extern "C" fn(*mut c_void) -> u64>>,
    monotonic: Option<Callback<unsafe extern "C" fn(*mut c_void) -> u64>>,
}

impl Clock for CClock {
    fn now_ntp(&self) -> u64 {
        match self.wall {
            // SAFETY: the caller registered a valid function and userdata.
            Some(c) => unsafe { (c.f)(c.userdata.0) },
            None => SystemClock.now_ntp(),
        }
    }

    fn monotonic(&self) -> Duration {
        match self.monotonic {
            // SAFETY: the caller registered a valid function and userdata.
            Some(c) => Duration::from_nanos(unsafe { (c.f)(c.userdata.0) }),
            None => os_monotonic(),
        }
    }
}

#[derive(Debug)]
struct CRng {
    f: unsafe extern "C" fn(*mut c_void, *mut u8, usize) -> i32,
    userdata: UserData,
}

impl Rng for CRng {
    fn fill(&self, out: &mut [u8]) -> Result<(), RngError> {
        // SAFETY: `out` is a valid writable buffer of `out.len()` bytes for the call.
        match unsafe { (self.f)(self.userdata.0, out.as_mut_ptr(), out.len()) } {
            0 => Ok(()),
            _ => Err(RngError),
        }
    }
}

/// Checks the builder, computes the setting with `value`, and applies it with `apply`.
/// The outcome's detail is kept in the builder; a failed call leaves it as it was.
pub(super) fn set<T>(
    builder: *mut mikey_config_builder_t,
    value: impl FnOnce() -> FfiResult<T>,
    apply: impl FnOnce(ConfigBuilder, T) -> ConfigBuilder,
) -> mikey_status_t {
    with_builder(builder, |b| {
        let v = value()?;
        let inner = b.builder.take().ok_or_else(unusable)?;
        b.builder = Some(apply(inner, v));
        Ok(())
    })
}

/// Runs `f` on a builder and records its outcome in the builder's detail.
fn with_builder(
    builder: *mut mikey_config_builder_t,
    f: impl FnOnce(&mut mikey_config_builder_t) -> FfiResult,
) -> mikey_status_t {
    guard(|| {
        let b = non_null_mut(builder, "builder")?;
        let result = f(b);
        b.detail.record(&result);
        result
    })
}

/// The builder lost its settings to a panic in an earlier call.
fn unusable() -> Failure {
    Failure::new(
        MIKEY_ERR_WRONG_STATE,
        "the builder is unusable after an earlier internal error; free it",
    )
}

/// Creates in `*out_builder` a builder for `mode` (`MIKEY_MODE_PSK`, `MIKEY_MODE_NULL`,
/// `MIKEY_MODE_PK`, `MIKEY_MODE_RSA_R`, `MIKEY_MODE_DH_SIGN` or `MIKEY_MODE_DH_HMAC`).
/// Defaults: MIKEY_ENCR_AES_CM_128 + MIKEY_MAC_HMAC_SHA1_160
/// (MIKEY_ENCR_NULL + MIKEY_MAC_NULL in NULL mode and DH-SIGN, MIKEY_ENCR_NULL +
/// MIKEY_MAC_HMAC_SHA1_160 in DH-HMAC), MIKEY_DH_OAKLEY_5, MIKEY_PRF_MIKEY_1, offer
/// MIKEY_SRTP_AES128_CM_SHA1_80, accept the AES-CM and AES-GCM profiles, verification requested
/// (PSK), MIKEY_KEY_TRANSPORT_TGK, no MKI, MIKEY_TS_NTP_UTC timestamps, 5-minute clock
/// skew, 4096-entry replay cache, messages of at most `MIKEY_DEFAULT_MAX_MESSAGE_SIZE`
/// bytes, system clocks, OS random generator, no log (RFC 3830 §3.1, §5.4).
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `out_builder` is NULL;
/// MIKEY_ERR_INVALID_ARGUMENT for another `mode`; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_new(
    mode: mikey_mode_t,
    out_builder: *mut *mut mikey_config_builder_t,
) -> mikey_status_t {
    guard(|| {
        let out = non_null_mut(out_builder, "out_builder")?;
        let mode = match mode {
            MIKEY_MODE_PSK => Mode::Psk,
            MIKEY_MODE_NULL => Mode::Null,
            MIKEY_MODE_PK => Mode::Pk,
            MIKEY_MODE_RSA_R => Mode::RsaR,
            MIKEY_MODE_DH_SIGN => Mode::DhSign,
            MIKEY_MODE_DH_HMAC => Mode::DhHmac,
            _ => return Err(invalid(format!("mode {mode} is not a MIKEY_MODE_*"))),
        };
        *out = boxed(ConfigBuilder::new(mode));
        Ok(())
    })
}

/// A new C builder holding `builder`, for the caller to free or build.
pub(super) fn boxed(builder: ConfigBuilder) -> *mut mikey_config_builder_t {
    Box::into_raw(Box::new(mikey_config_builder_t {
        builder: Some(builder),
        clock: CClock::default(),
        detail: Detail::default(),
    }))
}

/// Frees a builder that was not built (or whose build failed). NULL does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_free(builder: *mut mikey_config_builder_t) {
    if builder.is_null() {
        return;
    }
    // SAFETY: a non-NULL builder came from mikey_config_builder_new and is not used again.
    let b = unsafe { Box::from_raw(builder) };
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || drop(b)));
}

/// The detail of the last failed call on `builder`: which argument was out of range and
/// why, or which settings do not fit together (MIKEY_ERR_CONFIG). NUL-terminated, never
/// NULL: the empty string after a successful call, before any call, and for a NULL
/// `builder`. Valid until the next call on the builder or its free; never holds the PSK.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_error_detail(
    builder: *const mikey_config_builder_t,
) -> *const c_char {
    // SAFETY: a non-NULL builder is a live handle (caller's promise).
    match unsafe { builder.as_ref() } {
        Some(b) => b.detail.as_ptr(),
        None => no_detail(),
    }
}

/// Sets the pre-shared key (`psk_len` >= 1 bytes; copied, zeroized when the config is
/// freed; RFC 3830 §3.1).
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` is NULL, or `psk` is NULL with
/// `psk_len` > 0; MIKEY_ERR_INVALID_ARGUMENT if `psk_len` is 0; MIKEY_ERR_WRONG_STATE if
/// the builder is unusable after an internal error; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_psk(
    builder: *mut mikey_config_builder_t,
    psk: *const u8,
    psk_len: usize,
) -> mikey_status_t {
    set(
        builder,
        || match byte_slice(psk, psk_len, "psk")? {
            [] => Err(invalid(
                "psk_len is 0; the pre-shared key needs at least 1 byte",
            )),
            key => Ok(key),
        },
        |b, key| b.psk(key),
    )
}

fn identity(id_type: mikey_id_type_t, id: *const u8, id_len: usize) -> FfiResult<Identity> {
    let id_type = match id_type {
        crate::ffi::codepoints::MIKEY_ID_NAI => IdType::Nai,
        crate::ffi::codepoints::MIKEY_ID_URI => IdType::Uri,
        _ => {
            return Err(invalid(format!(
                "id_type {id_type} is not MIKEY_ID_NAI or MIKEY_ID_URI"
            )));
        }
    };
    let data = byte_slice(id, id_len, "id")?;
    if data.is_empty() || data.len() > usize::from(u16::MAX) {
        return Err(invalid(format!(
            "id_len is {id_len}; an identity is 1 to 65535 bytes"
        )));
    }
    Ok(Identity {
        id_type,
        data: data.to_vec(),
    })
}

/// Sets this endpoint's identity (an ID payload, RFC 3830 §6.7): `id_type`
/// `MIKEY_ID_NAI` or `MIKEY_ID_URI`, `id_len` 1..=65535 bytes.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` is NULL, or `id` is NULL with
/// `id_len` > 0; MIKEY_ERR_INVALID_ARGUMENT for another `id_type` or `id_len`;
/// MIKEY_ERR_WRONG_STATE if the builder is unusable after an internal error;
/// MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_local_identity(
    builder: *mut mikey_config_builder_t,
    id_type: mikey_id_type_t,
    id: *const u8,
    id_len: usize,
) -> mikey_status_t {
    set(
        builder,
        || identity(id_type, id, id_len),
        |b, id| b.local_identity(id),
    )
}

/// Sets the peer's expected identity; messages naming another are refused with
/// MIKEY_ERRNO_INVALID_ID (RFC 3830 §6.7). Arguments and statuses as
/// `mikey_config_builder_set_local_identity`.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_peer_identity(
    builder: *mut mikey_config_builder_t,
    id_type: mikey_id_type_t,
    id: *const u8,
    id_len: usize,
) -> mikey_status_t {
    set(
        builder,
        || identity(id_type, id, id_len),
        |b, id| b.peer_identity(id),
    )
}

/// Whether configured identities are sent as ID payloads (RFC 3830 §3.1; default 1).
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` is NULL;
/// MIKEY_ERR_INVALID_ARGUMENT if `send` is neither 0 nor 1; MIKEY_ERR_WRONG_STATE if the
/// builder is unusable after an internal error; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_send_identities(
    builder: *mut mikey_config_builder_t,
    send: mikey_bool_t,
) -> mikey_status_t {
    set(builder, || flag(send, "send"), |b, v| b.send_identities(v))
}

/// KEMAC encryption (RFC 3830 Table 6.2.a): MIKEY_ENCR_AES_CM_128 (default),
/// MIKEY_ENCR_AES_KW_128, MIKEY_ENCR_AES_CM_256 (RFC 6043); MIKEY_ENCR_NULL only in NULL
/// mode (checked by `mikey_config_builder_build`).
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` is NULL;
/// MIKEY_ERR_INVALID_ARGUMENT for a value that is no MIKEY_ENCR_*; MIKEY_ERR_WRONG_STATE
/// if the builder is unusable after an internal error; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_encryption(
    builder: *mut mikey_config_builder_t,
    encr_alg: mikey_encr_alg_t,
) -> mikey_status_t {
    set(
        builder,
        || match u8::try_from(encr_alg).map(EncrAlg::from) {
            Ok(EncrAlg::Unknown(_)) | Err(_) => Err(invalid(format!(
                "encr_alg {encr_alg} is not a MIKEY_ENCR_*"
            ))),
            Ok(alg) => Ok(alg),
        },
        |b, alg| b.encryption(alg),
    )
}

/// KEMAC and V MAC (RFC 3830 Table 6.2.b): MIKEY_MAC_HMAC_SHA1_160 (default),
/// MIKEY_MAC_HMAC_SHA256_256 (RFC 6043); MIKEY_MAC_NULL only in NULL mode (checked by
/// `mikey_config_builder_build`).
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` is NULL;
/// MIKEY_ERR_INVALID_ARGUMENT for a value that is no MIKEY_MAC_*; MIKEY_ERR_WRONG_STATE
/// if the builder is unusable after an internal error; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_mac(
    builder: *mut mikey_config_builder_t,
    mac_alg: mikey_mac_alg_t,
) -> mikey_status_t {
    set(
        builder,
        || match u8::try_from(mac_alg).map(MacAlg::from) {
            Ok(MacAlg::Unknown(_)) | Err(_) => {
                Err(invalid(format!("mac_alg {mac_alg} is not a MIKEY_MAC_*")))
            }
            Ok(alg) => Ok(alg),
        },
        |b, alg| b.mac(alg),
    )
}

/// PRF (RFC 3830 Table 6.1.c): MIKEY_PRF_MIKEY_1 (default) or MIKEY_PRF_HMAC_SHA256
/// (RFC 6043 §6.1).
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` is NULL;
/// MIKEY_ERR_INVALID_ARGUMENT for another value; MIKEY_ERR_WRONG_STATE if the builder is
/// unusable after an internal error; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_prf(
    builder: *mut mikey_config_builder_t,
    prf: mikey_prf_t,
) -> mikey_status_t {
    set(
        builder,
        || match prf {
            crate::ffi::codepoints::MIKEY_PRF_MIKEY_1 => Ok(PrfFunc::Mikey1),
            crate::ffi::codepoints::MIKEY_PRF_HMAC_SHA256 => Ok(PrfFunc::HmacSha256),
            _ => Err(invalid(format!("prf {prf} is not a MIKEY_PRF_*"))),
        },
        |b, prf| b.prf(prf),
    )
}

fn profiles(profiles: *const mikey_srtp_profile_t, count: usize) -> FfiResult<Vec<SrtpProfile>> {
    if count == 0 || count > 255 {
        return Err(invalid(format!(
            "profiles_count is {count}; 1 to 255 profiles (RFC 3830 §6.10 policy no.)"
        )));
    }
    let bytes = byte_slice(
        profiles.cast(),
        count
            .checked_mul(4)
            .ok_or_else(|| invalid("profiles_count overflows"))?,
        "profiles",
    )?;
    bytes
        .chunks_exact(4)
        .enumerate()
        .map(|(i, c)| {
            let v = u32::from_ne_bytes(c.try_into().expect("chunks of 4"));
            SrtpProfile::from_u32(v)
                .ok_or_else(|| invalid(format!("profiles[{i}] {v} is not a MIKEY_SRTP_*")))
        })
        .collect()
}

/// The Initiator's offer: policy no. i is `profiles[i]` (`MIKEY_SRTP_*` values),
/// `profiles_count` 1..=255 (RFC 3830 §6.10). Default: one
/// MIKEY_SRTP_AES128_CM_SHA1_80.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` or `profiles` is NULL;
/// MIKEY_ERR_INVALID_ARGUMENT for a count outside 1..=255 or a value that is no
/// MIKEY_SRTP_* (the detail names its index); MIKEY_ERR_WRONG_STATE if the builder is
/// unusable after an internal error; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_offer(
    builder: *mut mikey_config_builder_t,
    profiles: *const mikey_srtp_profile_t,
    profiles_count: usize,
) -> mikey_status_t {
    set(
        builder,
        || self::profiles(profiles, profiles_count),
        |b, list| b.offer(list.into_iter().map(SrtpProfile::policy).collect()),
    )
}

/// The profiles the Responder accepts (`MIKEY_SRTP_*`, `profiles_count` 1..=255).
/// Default: the four AES-CM and the two AES-GCM (RFC 7714) profiles; the NULL-cipher ones must be listed to be
/// accepted. Arguments and statuses as `mikey_config_builder_set_offer`.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_accepted(
    builder: *mut mikey_config_builder_t,
    profiles: *const mikey_srtp_profile_t,
    profiles_count: usize,
) -> mikey_status_t {
    set(
        builder,
        || self::profiles(profiles, profiles_count),
        |b, list| b.accept(list),
    )
}

/// Whether the Initiator asks for a verification message (the V flag, RFC 3830 §6.1;
/// default 1 in PSK mode, 0 in NULL mode).
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` is NULL;
/// MIKEY_ERR_INVALID_ARGUMENT if `request` is neither 0 nor 1; MIKEY_ERR_WRONG_STATE if
/// the builder is unusable after an internal error; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_request_verification(
    builder: *mut mikey_config_builder_t,
    request: mikey_bool_t,
) -> mikey_status_t {
    set(
        builder,
        || flag(request, "request"),
        |b, v| b.request_verification(v),
    )
}

/// What the Initiator sends in the KEMAC: `MIKEY_KEY_TRANSPORT_*` (RFC 3830 §6.13).
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` is NULL;
/// MIKEY_ERR_INVALID_ARGUMENT for another value; MIKEY_ERR_WRONG_STATE if the builder is
/// unusable after an internal error; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_key_transport(
    builder: *mut mikey_config_builder_t,
    transport: mikey_key_transport_t,
) -> mikey_status_t {
    set(
        builder,
        || match transport {
            MIKEY_KEY_TRANSPORT_TGK => Ok(KeyTransport::Tgk),
            MIKEY_KEY_TRANSPORT_TEK_SALT => Ok(KeyTransport::TekSalt),
            MIKEY_KEY_TRANSPORT_TEK_CONCATENATED => Ok(KeyTransport::TekConcatenated),
            _ => Err(invalid(format!(
                "transport {transport} is not a MIKEY_KEY_TRANSPORT_*"
            ))),
        },
        |b, t| b.key_transport(t),
    )
}

/// MKI length in bytes, 0..=4 (0: no MKI, MIKEY_KV_NULL; otherwise MIKEY_KV_SPI with a
/// fresh MKI per key, RFC 3830 §6.14).
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` is NULL;
/// MIKEY_ERR_INVALID_ARGUMENT if `mki_len` > 4; MIKEY_ERR_WRONG_STATE if the builder is
/// unusable after an internal error; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_mki_len(
    builder: *mut mikey_config_builder_t,
    mki_len: usize,
) -> mikey_status_t {
    set(
        builder,
        || match mki_len {
            0..=4 => Ok(mki_len),
            _ => Err(invalid(format!("mki_len is {mki_len}; 0 to 4 bytes"))),
        },
        |b, len| b.mki_len(len),
    )
}

/// Initiator timestamp type (RFC 3830 Table 6.6): MIKEY_TS_NTP_UTC (default),
/// MIKEY_TS_NTP or MIKEY_TS_COUNTER.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` is NULL;
/// MIKEY_ERR_INVALID_ARGUMENT for another value; MIKEY_ERR_WRONG_STATE if the builder is
/// unusable after an internal error; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_timestamp_type(
    builder: *mut mikey_config_builder_t,
    ts_type: mikey_ts_type_t,
) -> mikey_status_t {
    use crate::ffi::codepoints::{MIKEY_TS_COUNTER, MIKEY_TS_NTP, MIKEY_TS_NTP_UTC};
    set(
        builder,
        || match ts_type {
            MIKEY_TS_NTP_UTC => Ok(TsType::NtpUtc),
            MIKEY_TS_NTP => Ok(TsType::Ntp),
            MIKEY_TS_COUNTER => Ok(TsType::Counter),
            _ => Err(invalid(format!(
                "ts_type {ts_type} is not MIKEY_TS_NTP_UTC, MIKEY_TS_NTP or MIKEY_TS_COUNTER"
            ))),
        },
        |b, t| b.timestamp_type(t),
    )
}

/// What the verification MAC covers after the message: `MIKEY_VERIFICATION_*` (RFC 3830
/// §5.2).
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` is NULL;
/// MIKEY_ERR_INVALID_ARGUMENT for another value; MIKEY_ERR_WRONG_STATE if the builder is
/// unusable after an internal error; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_verification_input(
    builder: *mut mikey_config_builder_t,
    input: mikey_verification_input_t,
) -> mikey_status_t {
    set(
        builder,
        || match input {
            MIKEY_VERIFICATION_IDS_AND_TIMESTAMP => Ok(VerificationInput::IdentitiesAndTimestamp),
            MIKEY_VERIFICATION_TIMESTAMP_ONLY => Ok(VerificationInput::TimestampOnly),
            _ => Err(invalid(format!(
                "input {input} is not a MIKEY_VERIFICATION_*"
            ))),
        },
        |b, v| b.verification_input(v),
    )
}

/// Allowed clock skew in milliseconds (1 ms to 7 days; default 300000, RFC 3830 §5.4).
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` is NULL;
/// MIKEY_ERR_INVALID_ARGUMENT outside the range; MIKEY_ERR_WRONG_STATE if the builder is
/// unusable after an internal error; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_clock_skew_ms(
    builder: *mut mikey_config_builder_t,
    skew_ms: u64,
) -> mikey_status_t {
    set(
        builder,
        || match skew_ms {
            1..=604_800_000 => Ok(Duration::from_millis(skew_ms)),
            _ => Err(invalid(format!(
                "skew_ms is {skew_ms}; 1 to 604800000 (7 days)"
            ))),
        },
        |b, skew| b.clock_skew(skew),
    )
}

/// The default maximum message size in bytes (`mikey_message_parse`,
/// `mikey_session_process`): 65536, enough for every MIKEY message of RFC 3830 §3 with
/// certificate chains (a CERT payload holds at most 65535 bytes, §6.7).
pub const MIKEY_DEFAULT_MAX_MESSAGE_SIZE: usize = 65536;
const _: () = assert!(MIKEY_DEFAULT_MAX_MESSAGE_SIZE == crate::wire::DEFAULT_MAX_MESSAGE_SIZE);

/// The longest message `mikey_session_process` accepts, in bytes: 1024..=16777216
/// (default `MIKEY_DEFAULT_MAX_MESSAGE_SIZE`, 65536). A longer message is refused with
/// MIKEY_ERR_MESSAGE_TOO_LARGE before it is parsed, with no reply and the session
/// unchanged.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` is NULL;
/// MIKEY_ERR_INVALID_ARGUMENT outside the range (nothing changed); MIKEY_ERR_WRONG_STATE
/// if the builder is unusable after an internal error; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_max_message_size(
    builder: *mut mikey_config_builder_t,
    size: usize,
) -> mikey_status_t {
    set(
        builder,
        || match MAX_MESSAGE_SIZE_RANGE.contains(&size) {
            true => Ok(size),
            false => Err(invalid(format!("size is {size}; 1024 to 16777216 bytes"))),
        },
        |b, size| b.max_message_size(size),
    )
}

/// Accepts received messages followed by up to `max_bytes` zero bytes (0..=16; default 0:
/// none). RFC 3830 §6 defines no padding, but Milestone XProtect sends one zero byte after
/// its I_MESSAGE: set 1 to take it. The padding is removed before anything else, so the
/// MAC is checked over the message without it (RFC 3830 §5.2) and a padded copy of a
/// message is the same message to the replay cache (MIKEY_ERR_REPLAYED, or
/// MIKEY_RETRANSMISSION to the session that accepted it). Other trailing bytes (non-zero,
/// or more) still give MIKEY_ERR_PARSE_TRAILING_BYTES. Other values of `max_bytes` give
/// MIKEY_ERR_INVALID_ARGUMENT and change nothing.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` is NULL;
/// MIKEY_ERR_INVALID_ARGUMENT outside the range; MIKEY_ERR_WRONG_STATE if the builder is
/// unusable after an internal error; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_trailing_padding(
    builder: *mut mikey_config_builder_t,
    max_bytes: usize,
) -> mikey_status_t {
    set(
        builder,
        || match TRAILING_PADDING_RANGE.contains(&max_bytes) {
            true => Ok(max_bytes),
            false => Err(invalid(format!("max_bytes is {max_bytes}; 0 to 16"))),
        },
        |b, max_bytes| b.accept_trailing_padding(max_bytes),
    )
}

/// Replay cache capacity in messages (1..=1048576; default 4096; RFC 3830 §5.4).
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` is NULL;
/// MIKEY_ERR_INVALID_ARGUMENT outside the range; MIKEY_ERR_WRONG_STATE if the builder is
/// unusable after an internal error; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_replay_capacity(
    builder: *mut mikey_config_builder_t,
    capacity: usize,
) -> mikey_status_t {
    set(
        builder,
        || match capacity {
            1..=1_048_576 => Ok(capacity),
            _ => Err(invalid(format!(
                "capacity is {capacity}; 1 to 1048576 messages"
            ))),
        },
        |b, capacity| b.replay_capacity(capacity),
    )
}

/// Applies `update` to the builder's C clocks (the wall and monotonic callbacks set so
/// far, RFC 3830 §5.4) and gives the builder the result. A failed call leaves the builder
/// as it was.
fn set_clock(
    builder: *mut mikey_config_builder_t,
    update: impl FnOnce(&mut CClock) -> FfiResult,
) -> mikey_status_t {
    with_builder(builder, |b| {
        let mut clock = b.clock;
        update(&mut clock)?;
        let inner = b.builder.take().ok_or_else(unusable)?;
        b.builder = Some(inner.clock(Arc::new(clock)));
        b.clock = clock;
        Ok(())
    })
}

/// Replaces the system wall clock (tests, or a process with its own time source): the
/// time Initiator timestamps are made from and received ones are checked against (RFC 3830
/// §5.3, §5.4). Threads and `userdata`: see `mikey_clock_fn`. Replay-cache entries expire
/// on the monotonic clock, not on this one: a program that simulates time passing sets
/// both (see `mikey_config_builder_set_monotonic_clock`).
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` or `clock` is NULL;
/// MIKEY_ERR_WRONG_STATE if the builder is unusable after an internal error;
/// MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_clock(
    builder: *mut mikey_config_builder_t,
    clock: mikey_clock_fn,
    userdata: *mut c_void,
) -> mikey_status_t {
    set_clock(builder, |c| {
        let f = clock.ok_or_else(|| null("clock"))?;
        c.wall = Some(Callback {
            f,
            userdata: UserData(userdata),
        });
        Ok(())
    })
}

/// Replaces the operating system's monotonic clock (`CLOCK_MONOTONIC`), on which
/// replay-cache entries expire (RFC 3830 §5.4): an entry lives until the wall clock, as
/// read when its message was accepted, reaches the message's timestamp plus the clock
/// skew, measured on this clock, so that a step of the wall clock neither blocks fresh
/// messages nor shortens what the cache remembers. Only for programs that simulate time
/// passing (tests), together with `mikey_config_builder_set_clock`; C programs using the
/// system clocks need neither. `clock` returns nanoseconds since an arbitrary origin and
/// must never go back. Threads and `userdata`: see `mikey_monotonic_clock_fn`.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` or `clock` is NULL;
/// MIKEY_ERR_WRONG_STATE if the builder is unusable after an internal error;
/// MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_monotonic_clock(
    builder: *mut mikey_config_builder_t,
    clock: mikey_monotonic_clock_fn,
    userdata: *mut c_void,
) -> mikey_status_t {
    set_clock(builder, |c| {
        let f = clock.ok_or_else(|| null("clock"))?;
        c.monotonic = Some(Callback {
            f,
            userdata: UserData(userdata),
        });
        Ok(())
    })
}

/// Replaces the OS random generator. Only for tests: keys are only as good as this
/// source. Threads and `userdata`: see `mikey_rng_fn`.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` or `rng` is NULL;
/// MIKEY_ERR_WRONG_STATE if the builder is unusable after an internal error;
/// MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_rng(
    builder: *mut mikey_config_builder_t,
    rng: mikey_rng_fn,
    userdata: *mut c_void,
) -> mikey_status_t {
    set(
        builder,
        || rng.ok_or_else(|| null("rng")),
        |b, f| {
            b.rng(Arc::new(CRng {
                f,
                userdata: UserData(userdata),
            }))
        },
    )
}

/// Sets a log callback (`MIKEY_LOG_*` levels); NULL `log` removes it. Threads and
/// `userdata`: see `mikey_log_fn`.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` is NULL; MIKEY_ERR_WRONG_STATE
/// if the builder is unusable after an internal error; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_log(
    builder: *mut mikey_config_builder_t,
    log: mikey_log_fn,
    userdata: *mut c_void,
) -> mikey_status_t {
    set(
        builder,
        || Ok(log),
        |b, log| {
            let Some(f) = log else {
                return b.log(Arc::new(|_: LogLevel, _: &str| {}));
            };
            let userdata = UserData(userdata);
            b.log(Arc::new(move |level: LogLevel, message: &str| {
                let text = CString::new(message.replace('\0', " ")).unwrap_or_default();
                let userdata = userdata;
                // SAFETY: valid callback and userdata per the registration contract; the
                // string outlives the call.
                unsafe { f(userdata.0, level as mikey_log_level_t, text.as_ptr()) }
            }))
        },
    )
}

/// Builds the config into `*out_config`. On success the builder is freed (do not use or
/// free it again). On failure nothing is freed or written: the builder is unchanged,
/// `mikey_config_builder_error_detail` says what does not fit, and the caller may fix the
/// settings and build again, or free it.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` or `out_config` is NULL;
/// MIKEY_ERR_CONFIG when the settings do not fit together (PSK mode without a key,
/// MIKEY_ENCR_NULL or MIKEY_MAC_NULL in PSK mode, offered profiles of different key
/// lengths with MIKEY_KEY_TRANSPORT_TEK_CONCATENATED, ...); MIKEY_ERR_WRONG_STATE if the
/// builder is unusable after an internal error; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_build(
    builder: *mut mikey_config_builder_t,
    out_config: *mut *mut mikey_config_t,
) -> mikey_status_t {
    let status = with_builder(builder, |b| {
        let out = non_null_mut(out_config, "out_config")?;
        let inner = b.builder.as_ref().ok_or_else(unusable)?;
        inner
            .check()
            .map_err(|why| Failure::new(MIKEY_ERR_CONFIG, why))?;
        let inner = b.builder.take().ok_or_else(unusable)?;
        let config = inner
            .build()
            .map_err(|why| Failure::new(MIKEY_ERR_CONFIG, why))?;
        *out = Box::into_raw(Box::new(mikey_config_t {
            config: Arc::new(config),
        }));
        Ok(())
    });
    if status == MIKEY_OK {
        mikey_config_builder_free(builder);
    }
    status
}

/// Releases the caller's reference to a config (sessions keep their own). NULL does
/// nothing.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_free(config: *mut mikey_config_t) {
    if config.is_null() {
        return;
    }
    // SAFETY: a non-NULL config came from mikey_config_builder_build and is not used again.
    let c = unsafe { Box::from_raw(config) };
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || drop(c)));
}

/// Writes the number of messages currently in the config's replay cache (RFC 3830 §5.4)
/// to `*out_count`. Safe to call while other threads use sessions of the config.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `config` or `out_count` is NULL;
/// MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_replay_cache_len(
    config: *const mikey_config_t,
    out_count: *mut usize,
) -> mikey_status_t {
    guard(|| {
        let c = non_null(config, "config")?;
        *non_null_mut(out_count, "out_count")? = c.config.replay_cache().len();
        Ok(())
    })
}

// The C log levels are the Rust enum's.
const _: () = {
    assert!(MIKEY_LOG_WARNING == LogLevel::Warning as mikey_log_level_t);
    assert!(MIKEY_LOG_INFO == LogLevel::Info as mikey_log_level_t);
};
