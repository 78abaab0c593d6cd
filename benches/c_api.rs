//! A full PSK exchange through the C API, as a C program makes it (`mikey.h`): two configs
//! built with `mikey_config_builder_*`, then per exchange `mikey_session_new` for both
//! roles, `mikey_session_initiate`, `mikey_session_process` by the Responder and by the
//! Initiator (the verification message), `mikey_session_srtp_key` on both sides, and
//! `mikey_session_free`. The functions are the library's exported symbols, declared here
//! as `mikey.h` declares them (the bench links the Rust library, whose `#[no_mangle]`
//! functions they are).
//!
//! The clocks are callbacks (`mikey_config_builder_set_clock`, `_set_monotonic_clock`)
//! reading a counter that [`CApiExchange::run`] advances 0.1 s per exchange, as the Rust
//! exchange bench's manual clock does, so that both see the same replay-cache state.
//!
//! This file does not use the other bench modules, so that it also compiles as the
//! stand-alone bench target Cargo's auto-discovery makes of every `benches/*.rs`.

use std::ffi::c_void;
use std::ptr;
use std::sync::atomic::{AtomicU64, Ordering};

/// `mikey_config_builder_t`, `mikey_config_t`, `mikey_session_t`: opaque.
#[repr(C)]
pub struct Opaque {
    _private: [u8; 0],
}

/// `mikey_stream_t`.
#[repr(C)]
struct Stream {
    ssrc: u32,
    roc: u32,
    policy_no: u8,
}

/// `MIKEY_MAX_KEY_SALT_LEN`, `MIKEY_MAX_MKI_LEN`.
const MAX_KEY_SALT_LEN: usize = 46;
const MAX_MKI_LEN: usize = 255;

/// `mikey_srtp_key_t`.
#[repr(C)]
struct SrtpKey {
    key_salt: [u8; MAX_KEY_SALT_LEN],
    key_salt_len: usize,
    master_key_len: usize,
    mki: [u8; MAX_MKI_LEN],
    mki_len: usize,
    lifetime: u32,
    valid_from: u64,
    valid_to: u64,
}

impl SrtpKey {
    fn zeroed() -> SrtpKey {
        SrtpKey {
            key_salt: [0; MAX_KEY_SALT_LEN],
            key_salt_len: 0,
            master_key_len: 0,
            mki: [0; MAX_MKI_LEN],
            mki_len: 0,
            lifetime: 0,
            valid_from: 0,
            valid_to: 0,
        }
    }

    fn key_salt(&self) -> &[u8] {
        &self.key_salt[..self.key_salt_len]
    }
}

const MIKEY_OK: u32 = 0;
const MIKEY_MODE_PSK: u32 = 0;
const MIKEY_ROLE_INITIATOR: u32 = 0;
const MIKEY_ROLE_RESPONDER: u32 = 1;

type ClockFn = extern "C" fn(*mut c_void) -> u64;

unsafe extern "C" {
    fn mikey_config_builder_new(mode: u32, out: *mut *mut Opaque) -> u32;
    fn mikey_config_builder_set_psk(b: *mut Opaque, psk: *const u8, len: usize) -> u32;
    fn mikey_config_builder_set_clock(b: *mut Opaque, f: Option<ClockFn>, u: *mut c_void) -> u32;
    fn mikey_config_builder_set_monotonic_clock(
        b: *mut Opaque,
        f: Option<ClockFn>,
        u: *mut c_void,
    ) -> u32;
    fn mikey_config_builder_build(b: *mut Opaque, out: *mut *mut Opaque) -> u32;
    fn mikey_config_free(c: *mut Opaque);
    fn mikey_session_new(c: *const Opaque, role: u32, out: *mut *mut Opaque) -> u32;
    fn mikey_session_initiate(
        s: *mut Opaque,
        streams: *const Stream,
        n: usize,
        out: *mut u8,
        cap: usize,
        len: *mut usize,
    ) -> u32;
    fn mikey_session_process(
        s: *mut Opaque,
        msg: *const u8,
        msg_len: usize,
        reply: *mut u8,
        cap: usize,
        reply_len: *mut usize,
    ) -> u32;
    fn mikey_session_srtp_key(s: *const Opaque, cs: usize, key: usize, out: *mut SrtpKey) -> u32;
    fn mikey_session_free(s: *mut Opaque);
}

/// The NTP wall clock of both configs (2024-06-01, as the Rust exchange bench's) and the
/// monotonic clock in nanoseconds.
static WALL: AtomicU64 = AtomicU64::new(0xEA04_E300_0000_0000);
static MONO: AtomicU64 = AtomicU64::new(0);

extern "C" fn wall(_: *mut c_void) -> u64 {
    WALL.load(Ordering::Relaxed)
}

extern "C" fn mono(_: *mut c_void) -> u64 {
    MONO.load(Ordering::Relaxed)
}

/// Two PSK configs made through the C API.
pub struct CApiExchange {
    initiator: *mut Opaque,
    responder: *mut Opaque,
}

fn ok(status: u32, what: &str) {
    assert_eq!(status, MIKEY_OK, "{what}");
}

fn psk_config(psk: &[u8]) -> *mut Opaque {
    let mut b = ptr::null_mut();
    let mut c = ptr::null_mut();
    // SAFETY: the calls follow mikey.h: `b` comes from mikey_config_builder_new, the PSK
    // is `psk.len()` readable bytes, the clock callbacks are thread-safe and need no
    // userdata, and a successful build takes the builder.
    unsafe {
        ok(mikey_config_builder_new(MIKEY_MODE_PSK, &mut b), "builder");
        ok(
            mikey_config_builder_set_psk(b, psk.as_ptr(), psk.len()),
            "psk",
        );
        ok(
            mikey_config_builder_set_clock(b, Some(wall), ptr::null_mut()),
            "clock",
        );
        ok(
            mikey_config_builder_set_monotonic_clock(b, Some(mono), ptr::null_mut()),
            "monotonic clock",
        );
        ok(mikey_config_builder_build(b, &mut c), "build");
    }
    c
}

impl CApiExchange {
    /// Both configs, with the Rust exchange bench's PSK.
    pub fn new() -> CApiExchange {
        CApiExchange {
            initiator: psk_config(b"a 20-byte shared key"),
            responder: psk_config(b"a 20-byte shared key"),
        }
    }

    /// One exchange with key export; returns the I_MESSAGE and verification message
    /// lengths and the Initiator's key||salt (equal to the Responder's).
    pub fn run(&self) -> (usize, usize, Vec<u8>) {
        WALL.fetch_add((1u64 << 32) / 10, Ordering::Relaxed);
        MONO.fetch_add(100_000_000, Ordering::Relaxed);
        let stream = Stream {
            ssrc: 0xDEAD_BEEF,
            roc: 0,
            policy_no: 0,
        };
        let (mut i, mut r) = (ptr::null_mut(), ptr::null_mut());
        let mut init = [0u8; 512];
        let mut reply = [0u8; 512];
        let (mut init_len, mut reply_len, mut done_len) = (0, 0, 0);
        let (mut ki, mut kr) = (SrtpKey::zeroed(), SrtpKey::zeroed());
        // SAFETY: as mikey.h says: the configs are live, the buffers are as long as the
        // capacities given, every out pointer is valid, and each session is freed once.
        unsafe {
            ok(
                mikey_session_new(self.initiator, MIKEY_ROLE_INITIATOR, &mut i),
                "initiator",
            );
            ok(
                mikey_session_new(self.responder, MIKEY_ROLE_RESPONDER, &mut r),
                "responder",
            );
            ok(
                mikey_session_initiate(i, &stream, 1, init.as_mut_ptr(), 512, &mut init_len),
                "initiate",
            );
            ok(
                mikey_session_process(
                    r,
                    init.as_ptr(),
                    init_len,
                    reply.as_mut_ptr(),
                    512,
                    &mut reply_len,
                ),
                "respond",
            );
            ok(
                mikey_session_process(
                    i,
                    reply.as_ptr(),
                    reply_len,
                    ptr::null_mut(),
                    0,
                    &mut done_len,
                ),
                "verify",
            );
            ok(mikey_session_srtp_key(i, 0, 0, &mut ki), "initiator key");
            ok(mikey_session_srtp_key(r, 0, 0, &mut kr), "responder key");
            mikey_session_free(i);
            mikey_session_free(r);
        }
        assert_eq!(ki.key_salt(), kr.key_salt());
        (init_len, reply_len, ki.key_salt().to_vec())
    }
}

impl Default for CApiExchange {
    fn default() -> CApiExchange {
        CApiExchange::new()
    }
}

impl Drop for CApiExchange {
    fn drop(&mut self) {
        // SAFETY: both configs came from mikey_config_builder_build, and every session
        // made from them has been freed.
        unsafe {
            mikey_config_free(self.initiator);
            mikey_config_free(self.responder);
        }
    }
}
