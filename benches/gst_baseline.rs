//! GStreamer's MIKEY implementation (libgstsdp-1.0) as the baseline, loaded at run time
//! with libloading so that the bench builds and runs on machines without GStreamer.
//!
//! GStreamer 1.22's parser loops forever on ID, DH, SIGN, CERT, CHASH, V, ERR and General
//! Extension payloads (its `payloads_from_bytes` `break`s out of the `switch` without
//! advancing), and its writer silently drops them. So it only ever sees the PSK/NULL
//! message (HDR, T, RAND, SP, KEMAC), and [`parse_returns_in_child`] first checks, in a
//! child process that can be killed, that its parser returns on the exact bytes.
//!
//! This file does not use the other bench modules, so that it also compiles as the
//! stand-alone bench target Cargo's auto-discovery makes of every `benches/*.rs`.

use libloading::Library;
use std::ffi::{CStr, c_char, c_int, c_uint, c_void};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Opaque `GstMIKEYMessage` (a `GstMiniObject`).
#[repr(C)]
pub struct GstMikeyMessage {
    _opaque: [u8; 0],
}

/// Opaque `GstMIKEYPayload` (a `GstMiniObject`).
#[repr(C)]
pub struct GstMikeyPayload {
    _opaque: [u8; 0],
}

/// Opaque `GBytes`.
#[repr(C)]
pub struct GBytes {
    _opaque: [u8; 0],
}

/// `GError` (glib/gerror.h).
#[repr(C)]
pub struct GError {
    domain: u32,
    code: c_int,
    message: *mut c_char,
}

type Gboolean = c_int;

// Enum values from gst/sdp/gstmikey.h (C enums are `int`).
const GST_MIKEY_VERSION: u8 = 1;
const GST_MIKEY_TYPE_PSK_INIT: c_int = 0;
const GST_MIKEY_PRF_MIKEY_1: c_int = 0;
const GST_MIKEY_MAP_TYPE_SRTP: c_int = 0;
const GST_MIKEY_TS_TYPE_NTP_UTC: c_int = 0;
const GST_MIKEY_PT_KEMAC: c_int = 1;
const GST_MIKEY_PT_SP: c_int = 10;
const GST_MIKEY_PT_KEY_DATA: c_int = 20;
const GST_MIKEY_SEC_PROTO_SRTP: c_int = 0;
const GST_MIKEY_ENC_NULL: c_int = 0;
const GST_MIKEY_MAC_NULL: c_int = 0;
const GST_MIKEY_KD_TEK: c_int = 2;

/// The C functions used, with the signatures of gstmikey.h, gst.h, gstminiobject.h,
/// gbytes.h and gerror.h.
struct Fns {
    gst_init_check:
        unsafe extern "C" fn(*mut c_int, *mut *mut *mut c_char, *mut *mut GError) -> Gboolean,
    gst_version: unsafe extern "C" fn(*mut c_uint, *mut c_uint, *mut c_uint, *mut c_uint),
    mini_object_unref: unsafe extern "C" fn(*mut c_void),
    g_bytes_get_data: unsafe extern "C" fn(*mut GBytes, *mut usize) -> *const c_void,
    g_bytes_unref: unsafe extern "C" fn(*mut GBytes),
    g_error_free: unsafe extern "C" fn(*mut GError),
    message_new: unsafe extern "C" fn() -> *mut GstMikeyMessage,
    message_new_from_data: unsafe extern "C" fn(
        *const c_void,
        usize,
        *mut c_void,
        *mut *mut GError,
    ) -> *mut GstMikeyMessage,
    message_to_bytes:
        unsafe extern "C" fn(*mut GstMikeyMessage, *mut c_void, *mut *mut GError) -> *mut GBytes,
    message_set_info: unsafe extern "C" fn(
        *mut GstMikeyMessage,
        u8,
        c_int,
        Gboolean,
        c_int,
        u32,
        c_int,
    ) -> Gboolean,
    message_add_cs_srtp: unsafe extern "C" fn(*mut GstMikeyMessage, u8, u32, u32) -> Gboolean,
    message_add_t: unsafe extern "C" fn(*mut GstMikeyMessage, c_int, *const u8) -> Gboolean,
    message_add_rand: unsafe extern "C" fn(*mut GstMikeyMessage, u8, *const u8) -> Gboolean,
    message_add_payload:
        unsafe extern "C" fn(*mut GstMikeyMessage, *mut GstMikeyPayload) -> Gboolean,
    message_get_n_payloads: unsafe extern "C" fn(*const GstMikeyMessage) -> c_uint,
    payload_new: unsafe extern "C" fn(c_int) -> *mut GstMikeyPayload,
    payload_sp_set: unsafe extern "C" fn(*mut GstMikeyPayload, c_uint, c_int) -> Gboolean,
    payload_sp_add_param: unsafe extern "C" fn(*mut GstMikeyPayload, u8, u8, *const u8) -> Gboolean,
    payload_kemac_set: unsafe extern "C" fn(*mut GstMikeyPayload, c_int, c_int) -> Gboolean,
    payload_kemac_add_sub:
        unsafe extern "C" fn(*mut GstMikeyPayload, *mut GstMikeyPayload) -> Gboolean,
    payload_key_data_set_key:
        unsafe extern "C" fn(*mut GstMikeyPayload, c_int, u16, *const u8) -> Gboolean,
}

/// GStreamer's MIKEY functions, loaded and initialised.
pub struct Gst {
    fns: Fns,
    /// The GStreamer version (major, minor, micro).
    pub version: (u32, u32, u32),
    // Kept open for as long as `fns` may be called (declared last: dropped last).
    _libs: [Library; 3],
}

fn open(name: &str) -> Result<Library, String> {
    // SAFETY: these are the system GLib/GStreamer libraries; their initialisers only set
    // up library state and are safe to run in any process.
    unsafe { Library::new(name) }.map_err(|e| e.to_string())
}

fn sym<T: Copy>(lib: &Library, name: &str) -> Result<T, String> {
    // SAFETY: every call site names a symbol whose C signature (from the GStreamer/GLib
    // headers) is exactly the Rust fn type `T` it asks for; the value is copied out and
    // only called while the library stays loaded (`Gst` owns it).
    unsafe { lib.get::<T>(name.as_bytes()) }
        .map(|s| *s)
        .map_err(|e| format!("{name}: {e}"))
}

/// Takes the message out of a `GError` and frees it.
///
/// # Safety
/// `error` is NULL or a `GError` the caller owns and does not use afterwards.
unsafe fn take_error(fns: &Fns, error: *mut GError, what: &str) -> String {
    if error.is_null() {
        return format!("{what} failed (no GError)");
    }
    // SAFETY: `error` is a live GError (caller); its message is a NUL-terminated string
    // (or NULL) owned by it until g_error_free, after which neither is used.
    unsafe {
        let msg = (*error).message;
        let text = if msg.is_null() {
            String::new()
        } else {
            CStr::from_ptr(msg).to_string_lossy().into_owned()
        };
        (fns.g_error_free)(error);
        format!("{what} failed: {text}")
    }
}

impl Gst {
    /// Opens libglib-2.0, libgstreamer-1.0 and libgstsdp-1.0 and calls `gst_init_check`.
    pub fn load() -> Result<Gst, String> {
        let glib = open("libglib-2.0.so.0")?;
        let gst = open("libgstreamer-1.0.so.0")?;
        let sdp = open("libgstsdp-1.0.so.0")?;
        let fns = Fns {
            gst_init_check: sym(&gst, "gst_init_check")?,
            gst_version: sym(&gst, "gst_version")?,
            mini_object_unref: sym(&gst, "gst_mini_object_unref")?,
            g_bytes_get_data: sym(&glib, "g_bytes_get_data")?,
            g_bytes_unref: sym(&glib, "g_bytes_unref")?,
            g_error_free: sym(&glib, "g_error_free")?,
            message_new: sym(&sdp, "gst_mikey_message_new")?,
            message_new_from_data: sym(&sdp, "gst_mikey_message_new_from_data")?,
            message_to_bytes: sym(&sdp, "gst_mikey_message_to_bytes")?,
            message_set_info: sym(&sdp, "gst_mikey_message_set_info")?,
            message_add_cs_srtp: sym(&sdp, "gst_mikey_message_add_cs_srtp")?,
            message_add_t: sym(&sdp, "gst_mikey_message_add_t")?,
            message_add_rand: sym(&sdp, "gst_mikey_message_add_rand")?,
            message_add_payload: sym(&sdp, "gst_mikey_message_add_payload")?,
            message_get_n_payloads: sym(&sdp, "gst_mikey_message_get_n_payloads")?,
            payload_new: sym(&sdp, "gst_mikey_payload_new")?,
            payload_sp_set: sym(&sdp, "gst_mikey_payload_sp_set")?,
            payload_sp_add_param: sym(&sdp, "gst_mikey_payload_sp_add_param")?,
            payload_kemac_set: sym(&sdp, "gst_mikey_payload_kemac_set")?,
            payload_kemac_add_sub: sym(&sdp, "gst_mikey_payload_kemac_add_sub")?,
            payload_key_data_set_key: sym(&sdp, "gst_mikey_payload_key_data_set_key")?,
        };
        let mut error = std::ptr::null_mut();
        // SAFETY: gst_init_check accepts NULL argc/argv and a valid GError** out-pointer.
        if unsafe { (fns.gst_init_check)(std::ptr::null_mut(), std::ptr::null_mut(), &mut error) }
            == 0
        {
            // SAFETY: gst_init_check failed, so `error` is NULL or a GError we now own.
            return Err(unsafe { take_error(&fns, error, "gst_init_check") });
        }
        let (mut major, mut minor, mut micro, mut nano) = (0, 0, 0, 0);
        // SAFETY: gst_version writes four guints through valid pointers.
        unsafe { (fns.gst_version)(&mut major, &mut minor, &mut micro, &mut nano) };
        Ok(Gst {
            fns,
            version: (major, minor, micro),
            _libs: [sdp, gst, glib],
        })
    }

    /// `gst_mikey_message_new_from_data` + unref: what the parse benchmark times. Returns
    /// whether parsing succeeded. Only call it on bytes that [`parse_returns_in_child`]
    /// accepted: GStreamer may never return otherwise.
    pub fn parse_discard(&self, bytes: &[u8]) -> bool {
        // SAFETY: `bytes` is valid for `bytes.len()` bytes for the whole call; info and
        // error may be NULL; a non-NULL result is a new reference we release here.
        unsafe {
            let msg = (self.fns.message_new_from_data)(
                bytes.as_ptr().cast(),
                bytes.len(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            );
            if msg.is_null() {
                return false;
            }
            (self.fns.mini_object_unref)(msg.cast());
            true
        }
    }

    /// Parses `bytes` and re-serialises the result: (number of payloads, bytes written
    /// back by `gst_mikey_message_to_bytes`). Same caveat as [`Gst::parse_discard`].
    pub fn parse_checked(&self, bytes: &[u8]) -> Result<(u32, Vec<u8>), String> {
        let mut error = std::ptr::null_mut();
        // SAFETY: as in `parse_discard`, with a valid GError** out-pointer.
        let msg = unsafe {
            (self.fns.message_new_from_data)(
                bytes.as_ptr().cast(),
                bytes.len(),
                std::ptr::null_mut(),
                &mut error,
            )
        };
        if msg.is_null() {
            // SAFETY: the parse failed, so `error` is NULL or a GError we now own.
            return Err(unsafe { take_error(&self.fns, error, "gst_mikey_message_new_from_data") });
        }
        // SAFETY: `msg` is a valid message we own one reference to.
        let n = unsafe { (self.fns.message_get_n_payloads)(msg) };
        // SAFETY: `msg` is the valid message above; we hold its only reference.
        let out = unsafe { self.serialize(msg, |b| b.to_vec()) };
        // SAFETY: releases the reference returned by new_from_data.
        unsafe { (self.fns.mini_object_unref)(msg.cast()) };
        Ok((n, out?))
    }

    /// `gst_mikey_message_to_bytes` on `msg`; hands the bytes to `f`, then frees them.
    ///
    /// # Safety
    /// `msg` is a valid `GstMIKEYMessage` the caller holds a reference to.
    unsafe fn serialize<R>(
        &self,
        msg: *mut GstMikeyMessage,
        f: impl FnOnce(&[u8]) -> R,
    ) -> Result<R, String> {
        let mut error = std::ptr::null_mut();
        // SAFETY: `msg` is a valid message (caller); info may be NULL (no encryption);
        // `error` is a valid GError** out-pointer.
        let bytes = unsafe { (self.fns.message_to_bytes)(msg, std::ptr::null_mut(), &mut error) };
        if bytes.is_null() {
            // SAFETY: to_bytes failed, so `error` is NULL or a GError we now own.
            return Err(unsafe { take_error(&self.fns, error, "gst_mikey_message_to_bytes") });
        }
        let mut len = 0usize;
        // SAFETY: `bytes` is a GBytes we own; its data stays valid until g_bytes_unref,
        // which happens after `f` returns (the slice does not escape `f`).
        unsafe {
            let data = (self.fns.g_bytes_get_data)(bytes, &mut len);
            let slice = if len == 0 {
                &[][..]
            } else {
                std::slice::from_raw_parts(data.cast::<u8>(), len)
            };
            let r = f(slice);
            (self.fns.g_bytes_unref)(bytes);
            Ok(r)
        }
    }

    /// Builds a PSK I_MESSAGE from `m` with GStreamer's API, serialises it and hands the
    /// bytes to `f`; then frees everything. This is what the GStreamer build benchmark
    /// times.
    pub fn build_psk<R>(
        &self,
        m: &PskMessage<'_>,
        f: impl FnOnce(&[u8]) -> R,
    ) -> Result<R, String> {
        let (Ok(rand_len), Ok(key_len)) = (u8::try_from(m.rand.len()), u16::try_from(m.key.len()))
        else {
            return Err("RAND or key too long".to_string());
        };
        let fns = &self.fns;
        // SAFETY: each call gets a valid message/payload created just before with the
        // type the call requires (SP, KEMAC, Key data); data pointers are valid for the
        // lengths passed (GStreamer copies them); add_payload/kemac_add_sub take
        // ownership of the payload (transfer full); the message is released at the end.
        unsafe {
            let msg = (fns.message_new)();
            let mut ok = (fns.message_set_info)(
                msg,
                GST_MIKEY_VERSION,
                GST_MIKEY_TYPE_PSK_INIT,
                0,
                GST_MIKEY_PRF_MIKEY_1,
                m.csb_id,
                GST_MIKEY_MAP_TYPE_SRTP,
            ) != 0;
            ok &= (fns.message_add_cs_srtp)(msg, m.policy_no, m.ssrc, m.roc) != 0;
            ok &= (fns.message_add_t)(msg, GST_MIKEY_TS_TYPE_NTP_UTC, m.ts_ntp_utc.as_ptr()) != 0;
            ok &= (fns.message_add_rand)(msg, rand_len, m.rand.as_ptr()) != 0;
            let sp = (fns.payload_new)(GST_MIKEY_PT_SP);
            ok &= (fns.payload_sp_set)(sp, m.policy_no.into(), GST_MIKEY_SEC_PROTO_SRTP) != 0;
            for (param_type, value) in m.sp_params {
                ok &= (fns.payload_sp_add_param)(sp, *param_type, 1, value) != 0;
            }
            ok &= (fns.message_add_payload)(msg, sp) != 0;
            let kemac = (fns.payload_new)(GST_MIKEY_PT_KEMAC);
            ok &= (fns.payload_kemac_set)(kemac, GST_MIKEY_ENC_NULL, GST_MIKEY_MAC_NULL) != 0;
            let key_data = (fns.payload_new)(GST_MIKEY_PT_KEY_DATA);
            ok &=
                (fns.payload_key_data_set_key)(key_data, GST_MIKEY_KD_TEK, key_len, m.key.as_ptr())
                    != 0;
            ok &= (fns.payload_kemac_add_sub)(kemac, key_data) != 0;
            ok &= (fns.message_add_payload)(msg, kemac) != 0;
            let result = if ok {
                self.serialize(msg, f)
            } else {
                Err("a gst_mikey_* setter returned FALSE".to_string())
            };
            (fns.mini_object_unref)(msg.cast());
            result
        }
    }
}

/// The field values of a PSK I_MESSAGE as GStreamer builds it: HDR (one SRTP-ID crypto
/// session), T (NTP-UTC), RAND, SP (SRTP, one-byte parameter values), KEMAC (Encr NULL,
/// MAC NULL) with one TEK Key data sub-payload (KV Null).
pub struct PskMessage<'a> {
    /// CSB ID.
    pub csb_id: u32,
    /// Policy no of the crypto session and of the SP payload.
    pub policy_no: u8,
    /// SSRC of the crypto session.
    pub ssrc: u32,
    /// ROC of the crypto session.
    pub roc: u32,
    /// The 8-byte NTP-UTC timestamp, big-endian.
    pub ts_ntp_utc: [u8; 8],
    /// RAND.
    pub rand: &'a [u8],
    /// SRTP policy parameters: (type, one-byte value).
    pub sp_params: &'a [(u8, u8)],
    /// The TEK.
    pub key: &'a [u8],
}

/// The environment variable that turns the bench binary into the parse probe child; its
/// value is the hex of the message to parse.
pub const PROBE_ENV: &str = "MIKEY_BENCH_GST_PROBE";

/// In the probe child (see [`parse_returns_in_child`]): loads GStreamer, prints `ready`,
/// parses the message and prints `parsed <n payloads>` or `parse-failed <reason>`.
/// Returns false when this process is not the probe child.
pub fn run_probe_child_if_requested() -> bool {
    let Ok(hex_bytes) = std::env::var(PROBE_ENV) else {
        return false;
    };
    let bytes = match hex::decode(hex_bytes.trim()) {
        Ok(b) => b,
        Err(e) => {
            println!("load-failed bad {PROBE_ENV}: {e}");
            return true;
        }
    };
    match Gst::load() {
        Err(e) => println!("load-failed {e}"),
        Ok(gst) => {
            println!("ready");
            match gst.parse_checked(&bytes) {
                Ok((n, _)) => println!("parsed {n}"),
                Err(e) => println!("parse-failed {e}"),
            }
        }
    }
    true
}

/// Runs one `gst_mikey_message_new_from_data` on `bytes` in a child process (this bench
/// binary re-executed with [`PROBE_ENV`]) and kills the child if the parse has not
/// returned `limit` after GStreamer was loaded. A process rather than a thread because a
/// thread stuck in GStreamer's loop can be neither killed nor joined, and it would keep a
/// core busy during the measurements. Returns the number of payloads parsed.
pub fn parse_returns_in_child(bytes: &[u8], limit: Duration) -> Result<u32, String> {
    const LOAD_LIMIT: Duration = Duration::from_secs(60);
    let exe = std::env::current_exe().map_err(|e| format!("current_exe: {e}"))?;
    let mut child = Command::new(exe)
        .env(PROBE_ENV, hex::encode(bytes))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start the probe process: {e}"))?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if tx.send(line.unwrap_or_default()).is_err() {
                break;
            }
        }
    });
    let mut outcome = Err("probe process exited without a result".to_string());
    let mut deadline = LOAD_LIMIT;
    loop {
        match rx.recv_timeout(deadline) {
            Ok(line) if line == "ready" => deadline = limit,
            Ok(line) => {
                if let Some(n) = line.strip_prefix("parsed ") {
                    outcome = n.parse().map_err(|_| format!("probe said {line:?}"));
                } else if let Some(e) = line.strip_prefix("parse-failed ") {
                    outcome = Err(e.to_string());
                } else if let Some(e) = line.strip_prefix("load-failed ") {
                    outcome = Err(e.to_string());
                }
                break;
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                outcome = Err(if deadline == limit {
                    format!(
                        "gst_mikey_message_new_from_data did not return within {limit:?} \
                         (probe process {} killed)",
                        child.id()
                    )
                } else {
                    format!("GStreamer did not load within {LOAD_LIMIT:?}")
                });
                let _ = child.kill();
                break;
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    let _ = child.wait();
    outcome
}
