//! `mikey_config_builder_t` and `mikey_config_t`: credentials, identities, policies,
//! algorithms and the clock/RNG/log callbacks shared by sessions.
//!
//! A builder is used by one thread; `mikey_config_builder_build` consumes it. A config is
//! immutable and reference-counted: any number of threads may create sessions from one
//! config at once, and each session keeps the config alive.

#![allow(non_camel_case_types)]

use super::guard::{byte_slice, guard, non_null, non_null_mut};
use super::status::*;
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
pub const MIKEY_MODE_PSK: u32 = 0;
/// NULL mode: the PSK message with NULL encryption and NULL MAC. **Insecure**: use only
/// over a transport that already protects the MIKEY message (SIP/RTSP over TLS).
pub const MIKEY_MODE_NULL: u32 = 1;

/// Key transport: a random TGK; SRTP keys derived per crypto session (default).
pub const MIKEY_KEY_TRANSPORT_TGK: u32 = 0;
/// Key transport: the TEK and salt themselves (Key data type TEK+SALT).
pub const MIKEY_KEY_TRANSPORT_TEK_SALT: u32 = 1;
/// Key transport: master key ‖ master salt in one TEK field, as GStreamer sends it.
pub const MIKEY_KEY_TRANSPORT_TEK_CONCATENATED: u32 = 2;

/// Verification MAC input: ID data of IDi ‖ ID data of IDr ‖ TS value (default).
pub const MIKEY_VERIFICATION_IDS_AND_TIMESTAMP: u32 = 0;
/// Verification MAC input: the TS value only (minisip's reading).
pub const MIKEY_VERIFICATION_TIMESTAMP_ONLY: u32 = 1;

/// Log level of a warning (e.g. a NULL-mode message was accepted).
pub const MIKEY_LOG_WARNING: u32 = 1;
/// Log level of a protocol step.
pub const MIKEY_LOG_INFO: u32 = 2;

/// Returns the current time as a 64-bit NTP timestamp (seconds since 1900 in the high 32
/// bits, fraction in the low 32 bits, UTC).
pub type mikey_clock_fn = Option<unsafe extern "C" fn(userdata: *mut c_void) -> u64>;
/// Returns a monotonic time in nanoseconds since an arbitrary origin fixed for the
/// config's lifetime: it never goes back and is never stepped (like `CLOCK_MONOTONIC`).
pub type mikey_monotonic_clock_fn = Option<unsafe extern "C" fn(userdata: *mut c_void) -> u64>;
/// Fills `len` bytes at `out` with cryptographically secure random bytes; returns 0 on
/// success, anything else on failure.
pub type mikey_rng_fn =
    Option<unsafe extern "C" fn(userdata: *mut c_void, out: *mut u8, len: usize) -> i32>;
/// Receives a log message (NUL-terminated, valid during the call) and its level.
pub type mikey_log_fn =
    Option<unsafe extern "C" fn(userdata: *mut c_void, level: u32, message: *const c_char)>;

/// A configuration under construction (opaque).
pub struct mikey_config_builder_t {
    builder: Option<ConfigBuilder>,
    /// The clocks set so far (either may be the system's).
    clock: CClock,
}

/// An immutable, shareable configuration (opaque, reference-counted).
pub struct mikey_config_t {
    pub(crate) config: Arc<Config>,
}

/// Userdata pointers are the caller's; the caller promises the callbacks may be called
/// from any thread that uses a session of this config.
#[derive(Debug, Clone, Copy)]
struct UserData(*mut c_void);
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
/// A failed call leaves the builder as it was.
fn set<T>(
    builder: *mut mikey_config_builder_t,
    value: impl FnOnce() -> Result<T, u32>,
    apply: impl FnOnce(ConfigBuilder, T) -> ConfigBuilder,
) -> u32 {
    guard(|| {
        let b = non_null_mut(builder)?;
        let v = value()?;
        let inner = b.builder.take().ok_or(MIKEY_ERR_WRONG_STATE)?;
        b.builder = Some(apply(inner, v));
        Ok(())
    })
}

/// Creates a builder for `mode` (`MIKEY_MODE_PSK` or `MIKEY_MODE_NULL`) in `*out`.
/// Defaults: AES-CM-128 + HMAC-SHA-1-160 (NULL + NULL in NULL mode), PRF MIKEY-1, offer
/// AES_CM_128_HMAC_SHA1_80, accept the four AES-CM profiles, verification requested (PSK),
/// TGK transport, no MKI, NTP-UTC timestamps, 5-minute clock skew, 4096-entry replay cache,
/// messages of at most `MIKEY_DEFAULT_MAX_MESSAGE_SIZE` bytes, system clock, OS random
/// generator, no log.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_new(
    mode: u32,
    out: *mut *mut mikey_config_builder_t,
) -> u32 {
    guard(|| {
        let out = non_null_mut(out)?;
        let mode = match mode {
            MIKEY_MODE_PSK => Mode::Psk,
            MIKEY_MODE_NULL => Mode::Null,
            _ => return Err(MIKEY_ERR_INVALID_ARGUMENT),
        };
        *out = Box::into_raw(Box::new(mikey_config_builder_t {
            builder: Some(ConfigBuilder::new(mode)),
            clock: CClock::default(),
        }));
        Ok(())
    })
}

/// Frees a builder that was not built. NULL does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_free(builder: *mut mikey_config_builder_t) {
    if builder.is_null() {
        return;
    }
    // SAFETY: a non-NULL builder came from mikey_config_builder_new and is not used again.
    let b = unsafe { Box::from_raw(builder) };
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || drop(b)));
}

/// Sets the pre-shared key (`len` >= 1 bytes; copied, zeroized when the config is freed).
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_psk(
    builder: *mut mikey_config_builder_t,
    psk: *const u8,
    len: usize,
) -> u32 {
    set(
        builder,
        || match byte_slice(psk, len)? {
            [] => Err(MIKEY_ERR_INVALID_ARGUMENT),
            key => Ok(key),
        },
        |b, key| b.psk(key),
    )
}

fn identity(id_type: u32, data: *const u8, len: usize) -> Result<Identity, u32> {
    let id_type = match id_type {
        0 => IdType::Nai,
        1 => IdType::Uri,
        _ => return Err(MIKEY_ERR_INVALID_ARGUMENT),
    };
    let data = byte_slice(data, len)?;
    if data.is_empty() || data.len() > usize::from(u16::MAX) {
        return Err(MIKEY_ERR_INVALID_ARGUMENT);
    }
    Ok(Identity {
        id_type,
        data: data.to_vec(),
    })
}

/// Sets this endpoint's identity: `id_type` 0 (NAI) or 1 (URI), 1..=65535 bytes.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_local_identity(
    builder: *mut mikey_config_builder_t,
    id_type: u32,
    data: *const u8,
    len: usize,
) -> u32 {
    set(
        builder,
        || identity(id_type, data, len),
        |b, id| b.local_identity(id),
    )
}

/// Sets the peer's expected identity (messages naming another are refused, Error no. 7).
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_peer_identity(
    builder: *mut mikey_config_builder_t,
    id_type: u32,
    data: *const u8,
    len: usize,
) -> u32 {
    set(
        builder,
        || identity(id_type, data, len),
        |b, id| b.peer_identity(id),
    )
}

/// Whether configured identities are sent as ID payloads (`send` 0 or 1; default 1).
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_send_identities(
    builder: *mut mikey_config_builder_t,
    send: u32,
) -> u32 {
    set(builder, || flag(send), |b, v| b.send_identities(v))
}

fn flag(v: u32) -> Result<bool, u32> {
    match v {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(MIKEY_ERR_INVALID_ARGUMENT),
    }
}

/// KEMAC encryption (RFC 3830 Table 6.2.a): 1 AES-CM-128, 2 AES-KW-128, 3 AES-CM-256
/// (0 NULL only in NULL mode).
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_encryption(
    builder: *mut mikey_config_builder_t,
    encr_alg: u32,
) -> u32 {
    set(
        builder,
        || match u8::try_from(encr_alg).map(EncrAlg::from) {
            Ok(EncrAlg::Unknown(_)) | Err(_) => Err(MIKEY_ERR_INVALID_ARGUMENT),
            Ok(alg) => Ok(alg),
        },
        |b, alg| b.encryption(alg),
    )
}

/// KEMAC/V MAC (RFC 3830 Table 6.2.b): 1 HMAC-SHA-1-160, 2 HMAC-SHA-256-256 (0 NULL only
/// in NULL mode).
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_mac(
    builder: *mut mikey_config_builder_t,
    mac_alg: u32,
) -> u32 {
    set(
        builder,
        || match u8::try_from(mac_alg).map(MacAlg::from) {
            Ok(MacAlg::Unknown(_)) | Err(_) => Err(MIKEY_ERR_INVALID_ARGUMENT),
            Ok(alg) => Ok(alg),
        },
        |b, alg| b.mac(alg),
    )
}

/// PRF (RFC 3830 Table 6.1.c): 0 MIKEY-1 (default), 1 PRF-HMAC-SHA-256 (RFC 6043).
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_prf(
    builder: *mut mikey_config_builder_t,
    prf: u32,
) -> u32 {
    set(
        builder,
        || match prf {
            0 => Ok(PrfFunc::Mikey1),
            1 => Ok(PrfFunc::HmacSha256),
            _ => Err(MIKEY_ERR_INVALID_ARGUMENT),
        },
        |b, prf| b.prf(prf),
    )
}

fn profiles(list: *const u32, count: usize) -> Result<Vec<SrtpProfile>, u32> {
    if count == 0 || count > 255 {
        return Err(MIKEY_ERR_INVALID_ARGUMENT);
    }
    let bytes = byte_slice(
        list.cast(),
        count.checked_mul(4).ok_or(MIKEY_ERR_INVALID_ARGUMENT)?,
    )?;
    bytes
        .chunks_exact(4)
        .map(|c| {
            let v = u32::from_ne_bytes(c.try_into().expect("chunks of 4"));
            SrtpProfile::from_u32(v).ok_or(MIKEY_ERR_INVALID_ARGUMENT)
        })
        .collect()
}

/// The Initiator's offer: policy no. i is `profiles[i]` (`MIKEY_SRTP_*` values), 1..=255
/// of them. Default: one AES_CM_128_HMAC_SHA1_80.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_offer(
    builder: *mut mikey_config_builder_t,
    list: *const u32,
    count: usize,
) -> u32 {
    set(
        builder,
        || profiles(list, count),
        |b, list| b.offer(list.into_iter().map(SrtpProfile::policy).collect()),
    )
}

/// The profiles the Responder accepts (`MIKEY_SRTP_*` values, 1..=255). Default: the four
/// AES-CM profiles; the NULL-cipher ones must be listed to be accepted.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_accepted(
    builder: *mut mikey_config_builder_t,
    list: *const u32,
    count: usize,
) -> u32 {
    set(builder, || profiles(list, count), |b, list| b.accept(list))
}

/// Whether the Initiator asks for a verification message (0 or 1; default 1 in PSK mode,
/// 0 in NULL mode).
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_request_verification(
    builder: *mut mikey_config_builder_t,
    request: u32,
) -> u32 {
    set(builder, || flag(request), |b, v| b.request_verification(v))
}

/// What the Initiator sends in the KEMAC: `MIKEY_KEY_TRANSPORT_*`.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_key_transport(
    builder: *mut mikey_config_builder_t,
    transport: u32,
) -> u32 {
    set(
        builder,
        || match transport {
            MIKEY_KEY_TRANSPORT_TGK => Ok(KeyTransport::Tgk),
            MIKEY_KEY_TRANSPORT_TEK_SALT => Ok(KeyTransport::TekSalt),
            MIKEY_KEY_TRANSPORT_TEK_CONCATENATED => Ok(KeyTransport::TekConcatenated),
            _ => Err(MIKEY_ERR_INVALID_ARGUMENT),
        },
        |b, t| b.key_transport(t),
    )
}

/// MKI length in bytes, 0..=4 (0: no MKI, KV Null; otherwise KV SPI with a fresh MKI per
/// key, RFC 3830 §6.14).
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_mki_length(
    builder: *mut mikey_config_builder_t,
    len: usize,
) -> u32 {
    set(
        builder,
        || match len {
            0..=4 => Ok(len),
            _ => Err(MIKEY_ERR_INVALID_ARGUMENT),
        },
        |b, len| b.mki_len(len),
    )
}

/// Initiator timestamp type (RFC 3830 Table 6.6): 0 NTP-UTC (default), 1 NTP, 2 COUNTER.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_timestamp_type(
    builder: *mut mikey_config_builder_t,
    ts_type: u32,
) -> u32 {
    set(
        builder,
        || match ts_type {
            0 => Ok(TsType::NtpUtc),
            1 => Ok(TsType::Ntp),
            2 => Ok(TsType::Counter),
            _ => Err(MIKEY_ERR_INVALID_ARGUMENT),
        },
        |b, t| b.timestamp_type(t),
    )
}

/// What the verification MAC covers after the message: `MIKEY_VERIFICATION_*`.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_verification_input(
    builder: *mut mikey_config_builder_t,
    input: u32,
) -> u32 {
    set(
        builder,
        || match input {
            MIKEY_VERIFICATION_IDS_AND_TIMESTAMP => Ok(VerificationInput::IdentitiesAndTimestamp),
            MIKEY_VERIFICATION_TIMESTAMP_ONLY => Ok(VerificationInput::TimestampOnly),
            _ => Err(MIKEY_ERR_INVALID_ARGUMENT),
        },
        |b, v| b.verification_input(v),
    )
}

/// Allowed clock skew in milliseconds (1 ms to 7 days; default 300000, RFC 3830 §5.4).
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_clock_skew_ms(
    builder: *mut mikey_config_builder_t,
    skew_ms: u64,
) -> u32 {
    set(
        builder,
        || match skew_ms {
            1..=604_800_000 => Ok(Duration::from_millis(skew_ms)),
            _ => Err(MIKEY_ERR_INVALID_ARGUMENT),
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
/// unchanged. Other values give MIKEY_ERR_INVALID_ARGUMENT and change nothing.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_max_message_size(
    builder: *mut mikey_config_builder_t,
    size: usize,
) -> u32 {
    set(
        builder,
        || match MAX_MESSAGE_SIZE_RANGE.contains(&size) {
            true => Ok(size),
            false => Err(MIKEY_ERR_INVALID_ARGUMENT),
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
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_trailing_padding(
    builder: *mut mikey_config_builder_t,
    max_bytes: usize,
) -> u32 {
    set(
        builder,
        || match TRAILING_PADDING_RANGE.contains(&max_bytes) {
            true => Ok(max_bytes),
            false => Err(MIKEY_ERR_INVALID_ARGUMENT),
        },
        |b, max_bytes| b.accept_trailing_padding(max_bytes),
    )
}

/// Replay cache capacity in messages (1..=1048576; default 4096).
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_replay_capacity(
    builder: *mut mikey_config_builder_t,
    capacity: usize,
) -> u32 {
    set(
        builder,
        || match capacity {
            1..=1_048_576 => Ok(capacity),
            _ => Err(MIKEY_ERR_INVALID_ARGUMENT),
        },
        |b, capacity| b.replay_capacity(capacity),
    )
}

/// Applies `update` to the builder's C clocks (the wall and monotonic callbacks set so
/// far, RFC 3830 §5.4) and gives the builder the result. A failed call leaves the builder
/// as it was.
fn set_clock(
    builder: *mut mikey_config_builder_t,
    update: impl FnOnce(&mut CClock) -> Result<(), u32>,
) -> u32 {
    guard(|| {
        let b = non_null_mut(builder)?;
        let mut clock = b.clock;
        update(&mut clock)?;
        let inner = b.builder.take().ok_or(MIKEY_ERR_WRONG_STATE)?;
        b.builder = Some(inner.clock(Arc::new(clock)));
        b.clock = clock;
        Ok(())
    })
}

/// Replaces the system wall clock (tests, or a process with its own time source): the
/// time Initiator timestamps are made from and received ones are checked against (RFC 3830
/// §5.3, §5.4). `clock` must not be NULL; it is called from the threads that use sessions
/// of this config. Replay-cache entries expire on the monotonic clock, not on this one:
/// a program that simulates time passing sets both (see
/// `mikey_config_builder_set_monotonic_clock`).
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` or `clock` is NULL;
/// MIKEY_ERR_WRONG_STATE if the builder is unusable after an earlier internal error.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_clock(
    builder: *mut mikey_config_builder_t,
    clock: mikey_clock_fn,
    userdata: *mut c_void,
) -> u32 {
    set_clock(builder, |c| {
        let f = clock.ok_or(MIKEY_ERR_NULL_POINTER)?;
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
/// system clocks need neither. `clock` returns nanoseconds since an arbitrary origin, must
/// never go back, must not be NULL, and is called from the threads that use sessions of
/// this config.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` or `clock` is NULL;
/// MIKEY_ERR_WRONG_STATE if the builder is unusable after an earlier internal error.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_monotonic_clock(
    builder: *mut mikey_config_builder_t,
    clock: mikey_monotonic_clock_fn,
    userdata: *mut c_void,
) -> u32 {
    set_clock(builder, |c| {
        let f = clock.ok_or(MIKEY_ERR_NULL_POINTER)?;
        c.monotonic = Some(Callback {
            f,
            userdata: UserData(userdata),
        });
        Ok(())
    })
}

/// Replaces the OS random generator. Only for tests: keys are only as good as this
/// source. `rng` must not be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_rng(
    builder: *mut mikey_config_builder_t,
    rng: mikey_rng_fn,
    userdata: *mut c_void,
) -> u32 {
    set(
        builder,
        || rng.ok_or(MIKEY_ERR_NULL_POINTER),
        |b, f| {
            b.rng(Arc::new(CRng {
                f,
                userdata: UserData(userdata),
            }))
        },
    )
}

/// Sets a log callback (`MIKEY_LOG_*` levels). NULL `log` removes it.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_log(
    builder: *mut mikey_config_builder_t,
    log: mikey_log_fn,
    userdata: *mut c_void,
) -> u32 {
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
                unsafe { f(userdata.0, level as u32, text.as_ptr()) }
            }))
        },
    )
}

/// Builds the config into `*out`, consuming the builder (freed whether or not the build
/// succeeds). MIKEY_ERR_CONFIG when the settings do not fit together (PSK mode without a
/// key, offered profiles of different key lengths with a TEK transport, ...).
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_build(
    builder: *mut mikey_config_builder_t,
    out: *mut *mut mikey_config_t,
) -> u32 {
    guard(|| {
        if builder.is_null() {
            return Err(MIKEY_ERR_NULL_POINTER);
        }
        // SAFETY: a non-NULL builder came from mikey_config_builder_new; ownership passes
        // to this call (documented).
        let b = unsafe { Box::from_raw(builder) };
        let out = non_null_mut(out)?;
        let inner = b.builder.ok_or(MIKEY_ERR_WRONG_STATE)?;
        let config = inner.build().map_err(|_| MIKEY_ERR_CONFIG)?;
        *out = Box::into_raw(Box::new(mikey_config_t {
            config: Arc::new(config),
        }));
        Ok(())
    })
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

/// Number of messages currently in the config's replay cache.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_replay_cache_len(
    config: *const mikey_config_t,
    len_out: *mut usize,
) -> u32 {
    guard(|| {
        let c = non_null(config)?;
        *non_null_mut(len_out)? = c.config.replay_cache().len();
        Ok(())
    })
}

// The C log levels are the Rust enum's.
const _: () = {
    assert!(MIKEY_LOG_WARNING == LogLevel::Warning as u32);
    assert!(MIKEY_LOG_INFO == LogLevel::Info as u32);
};
