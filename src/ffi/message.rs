//! `mikey_message_t`: a parsed MIKEY message to inspect and serialize (RFC 3830 §6).
//! Immutable once created, so one handle may be read from several threads at once.

#![allow(non_camel_case_types)]

use super::guard::{byte_slice, guard, non_null, non_null_mut, write_out};
use super::status::*;
use crate::sdp::{self, KeyMgmtError};
use crate::wire::{CsIdMap, ErrorKind, Layout, Message, ParseError, Payload, PayloadType};
use std::ffi::c_char;
use std::sync::atomic::{AtomicBool, Ordering};

/// A parsed MIKEY message (opaque). Create with `mikey_message_parse` or
/// `mikey_message_parse_text`, release with `mikey_message_free`.
/// Thread safety: immutable; any number of threads may read one handle concurrently.
pub struct mikey_message_t {
    message: Message<'static>,
    bytes: Vec<u8>,
    layout: Layout,
    poisoned: AtomicBool,
}

/// Common Header fields (RFC 3830 §6.1).
#[repr(C)]
pub struct mikey_header_info_t {
    /// Always 1.
    pub version: u8,
    /// Data type (message type).
    pub data_type: u8,
    /// Next payload: the type of the first payload after the header.
    pub next_payload: u8,
    /// V flag (1 = verification message requested).
    pub v: u8,
    /// PRF func (7 bits).
    pub prf_func: u8,
    /// CS ID map type (0 SRTP-ID, 1 Empty, 2 GENERIC-ID).
    pub cs_id_map_type: u8,
    /// #CS: number of crypto sessions.
    pub cs_count: u8,
    /// CSB ID.
    pub csb_id: u32,
}

/// One SRTP-ID map entry (RFC 3830 §6.1.1); entry `i` has CS ID `i + 1`.
#[repr(C)]
pub struct mikey_srtp_cs_t {
    /// Policy no of the SP payload for this stream.
    pub policy_no: u8,
    /// SSRC (0: not chosen by the Initiator).
    pub ssrc: u32,
    /// Rollover counter.
    pub roc: u32,
}

/// The main fields of one payload. Meaning of `code`, `code2`, `number` and of the data
/// returned by `mikey_message_payload_data`, by payload type:
///
/// | payload | code | code2 | number | data |
/// |---|---|---|---|---|
/// | KEMAC (1) | Encr alg | MAC alg | 0 | Encr data |
/// | PKE (2) | C | 0 | 0 | envelope data |
/// | DH (3) | DH-Group | KV type | 0 | DH-value |
/// | SIGN (4) | S type | 0 | 0 | signature |
/// | T (5) | TS type | 0 | TS value | TS value bytes |
/// | ID (6) | ID type | 0 | 0 | ID data |
/// | CERT (7) | Cert type | 0 | 0 | certificate data |
/// | CHASH (8) | Hash func | 0 | 0 | hash |
/// | V (9) | Auth alg | 0 | 0 | Ver data |
/// | SP (10) | Prot type | Policy no | 0 | policy param bytes (see `mikey_message_sp_param`) |
/// | RAND (11) | 0 | 0 | 0 | RAND |
/// | ERR (12) | Error no | 0 | reserved bits | (empty) |
/// | TR (13) | TS type | TS role | TS value | TS value bytes |
/// | IDR (14) | ID type | ID role | 0 | ID data |
/// | RANDR (15) | 0 | RAND role | 0 | RAND |
/// | TP (16), TICKET (17) | subtype | version | Ticket type | TP data |
/// | General Ext. (21) | type | 0 | 0 | extension data |
/// | IBAKE (22), ESK (23) | 0 | 0 | 0 | encrypted data |
/// | SAKKE (26) | SAKKE params | ID scheme | 0 | SAKKE data |
#[repr(C)]
pub struct mikey_payload_info_t {
    /// Payload type (its Next-payload codepoint).
    pub payload_type: u8,
    /// The Next payload field of this payload (0 for the last one and for SIGN).
    pub next_payload: u8,
    /// Primary codepoint (see the table).
    pub code: u8,
    /// Secondary codepoint (see the table).
    pub code2: u8,
    /// A numeric field (see the table).
    pub number: u64,
    /// Offset of the payload in the serialized message.
    pub offset: usize,
    /// Length of the payload in bytes.
    pub length: usize,
    /// Length of the data returned by `mikey_message_payload_data`.
    pub data_length: usize,
    /// Number of SP parameters (SP) or Key ID entries (General Ext. type 3), else 0.
    pub item_count: usize,
}

pub(crate) fn parse_status(e: &ParseError) -> u32 {
    match e.kind {
        ErrorKind::Truncated { .. } => MIKEY_ERR_PARSE_TRUNCATED,
        ErrorKind::BadVersion(_) => MIKEY_ERR_PARSE_BAD_VERSION,
        ErrorKind::UnknownPayload(_) => MIKEY_ERR_PARSE_UNKNOWN_PAYLOAD,
        ErrorKind::TrailingBytes { .. } => MIKEY_ERR_PARSE_TRAILING_BYTES,
        ErrorKind::UnknownCsIdMap(_) => MIKEY_ERR_PARSE_UNKNOWN_CS_ID_MAP,
        ErrorKind::UnknownLengthCodepoint { .. } => MIKEY_ERR_PARSE_UNKNOWN_LENGTH_CODEPOINT,
        ErrorKind::BadLength { .. } => MIKEY_ERR_PARSE_BAD_LENGTH,
        ErrorKind::Misplaced(_) => MIKEY_ERR_PARSE_MISPLACED_PAYLOAD,
        ErrorKind::TooLarge { .. } => MIKEY_ERR_MESSAGE_TOO_LARGE,
        ErrorKind::TooManyPayloads { .. } => MIKEY_ERR_TOO_MANY_PAYLOADS,
    }
}

fn new_handle(
    bytes: &[u8],
    msg_out: *mut *mut mikey_message_t,
    error_offset: *mut usize,
) -> Result<(), u32> {
    let out = non_null_mut(msg_out)?;
    let (message, layout) = match Message::parse_with_layout(bytes) {
        Ok(parsed) => parsed,
        Err(e) => {
            if let Ok(off) = non_null_mut(error_offset) {
                *off = e.offset;
            }
            return Err(parse_status(&e));
        }
    };
    let handle = Box::new(mikey_message_t {
        message: message.into_owned(),
        bytes: bytes.to_vec(),
        layout,
        poisoned: AtomicBool::new(false),
    });
    *out = Box::into_raw(handle);
    Ok(())
}

/// Parses `len` bytes at `data` into a new message written to `*msg_out`.
/// On a parse error returns a MIKEY_ERR_PARSE_* status and, if `error_offset` is not
/// NULL, writes the byte offset where parsing failed; `*msg_out` is left unchanged.
/// A message longer than `MIKEY_DEFAULT_MAX_MESSAGE_SIZE` (65536) bytes gives
/// MIKEY_ERR_MESSAGE_TOO_LARGE (offset 0) before any byte is read; a payload chain of more
/// than 512 payloads gives MIKEY_ERR_TOO_MANY_PAYLOADS (offset of the 513th). The handle
/// holds a copy of the bytes and their parsed form: about three times `len` at most.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_message_parse(
    data: *const u8,
    len: usize,
    msg_out: *mut *mut mikey_message_t,
    error_offset: *mut usize,
) -> u32 {
    guard(|| new_handle(byte_slice(data, len)?, msg_out, error_offset))
}

/// Parses a message given as text: an SDP attribute (`a=key-mgmt:mikey <base64>`), an
/// RTSP `KeyMgmt` header (RFC 4567 §3), or bare base64. `text` need not be NUL-terminated;
/// `len` is its length in bytes. Errors: MIKEY_ERR_KEY_MGMT_SYNTAX, MIKEY_ERR_BASE64, or a
/// MIKEY_ERR_PARSE_*, MIKEY_ERR_MESSAGE_TOO_LARGE or MIKEY_ERR_TOO_MANY_PAYLOADS status
/// with `*error_offset` as in `mikey_message_parse` (the limits apply to the decoded
/// message).
#[unsafe(no_mangle)]
pub extern "C" fn mikey_message_parse_text(
    text: *const c_char,
    len: usize,
    msg_out: *mut *mut mikey_message_t,
    error_offset: *mut usize,
) -> u32 {
    guard(|| {
        let text = byte_slice(text.cast(), len)?;
        let text = std::str::from_utf8(text).map_err(|_| MIKEY_ERR_KEY_MGMT_SYNTAX)?;
        let bytes = sdp::parse_key_mgmt(text).map_err(|e| match e {
            KeyMgmtError::Base64 => MIKEY_ERR_BASE64,
            KeyMgmtError::Syntax(_) | KeyMgmtError::NotMikey(_) => MIKEY_ERR_KEY_MGMT_SYNTAX,
        })?;
        new_handle(&bytes, msg_out, error_offset)
    })
}

/// Frees a message. NULL is allowed and does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_message_free(msg: *mut mikey_message_t) {
    if msg.is_null() {
        return;
    }
    // SAFETY: a non-NULL `msg` was returned by a mikey_message_parse* function and is not
    // used again by the caller (documented ownership transfer).
    let handle = unsafe { Box::from_raw(msg) };
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || drop(handle)));
}

/// Runs `f` on a live handle; a panic poisons it.
fn with_message(
    msg: *const mikey_message_t,
    f: impl FnOnce(&mikey_message_t) -> Result<(), u32>,
) -> u32 {
    guard(|| {
        let m = non_null(msg)?;
        if m.poisoned.load(Ordering::Relaxed) {
            return Err(MIKEY_ERR_POISONED);
        }
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(m)));
        result.unwrap_or_else(|_| {
            m.poisoned.store(true, Ordering::Relaxed);
            Err(MIKEY_ERR_PANIC)
        })
    })
}

fn payload_at(m: &mikey_message_t, index: usize) -> Result<&Payload<'static>, u32> {
    m.message
        .payloads
        .get(index)
        .ok_or(MIKEY_ERR_INDEX_OUT_OF_RANGE)
}

/// Reads the Common Header fields into `*out`.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_message_header(
    msg: *const mikey_message_t,
    out: *mut mikey_header_info_t,
) -> u32 {
    with_message(msg, |m| {
        let out = non_null_mut(out)?;
        let h = &m.message.header;
        *out = mikey_header_info_t {
            version: crate::wire::MIKEY_VERSION,
            data_type: h.data_type.into(),
            next_payload: m
                .message
                .payloads
                .first()
                .map_or(0, |p| p.payload_type().into()),
            v: h.v.into(),
            prf_func: h.prf.into(),
            cs_id_map_type: h.cs_map.map_type().into(),
            cs_count: h.cs_map.cs_count() as u8,
            csb_id: h.csb_id,
        };
        Ok(())
    })
}

/// Reads SRTP-ID map entry `index` (0-based; CS ID `index + 1`). Errors:
/// MIKEY_ERR_WRONG_PAYLOAD_TYPE if the map is not SRTP-ID, MIKEY_ERR_INDEX_OUT_OF_RANGE.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_message_srtp_cs(
    msg: *const mikey_message_t,
    index: usize,
    out: *mut mikey_srtp_cs_t,
) -> u32 {
    with_message(msg, |m| {
        let out = non_null_mut(out)?;
        let CsIdMap::SrtpId(map) = &m.message.header.cs_map else {
            return Err(MIKEY_ERR_WRONG_PAYLOAD_TYPE);
        };
        let e = map.get(index).ok_or(MIKEY_ERR_INDEX_OUT_OF_RANGE)?;
        *out = mikey_srtp_cs_t {
            policy_no: e.policy_no,
            ssrc: e.ssrc,
            roc: e.roc,
        };
        Ok(())
    })
}

/// Writes the number of payloads after the header to `*count_out`.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_message_payload_count(
    msg: *const mikey_message_t,
    count_out: *mut usize,
) -> u32 {
    with_message(msg, |m| {
        *non_null_mut(count_out)? = m.message.payloads.len();
        Ok(())
    })
}

fn main_data<'a>(p: &'a Payload<'static>, scratch: &'a mut [u8; 8]) -> &'a [u8] {
    match p {
        Payload::Kemac(k) => &k.encr_data,
        Payload::Pke(x) => &x.data,
        Payload::Dh(x) => &x.value,
        Payload::Sign(x) => &x.signature,
        Payload::Timestamp(t) => ts_bytes(t.ts_type, t.value, scratch),
        Payload::TimestampRole(t) => ts_bytes(t.ts_type, t.value, scratch),
        Payload::Id(x) => &x.data,
        Payload::Cert(x) => &x.data,
        Payload::IdRole(x) => &x.data,
        Payload::Chash(x) => &x.hash,
        Payload::Verification(x) => &x.data,
        Payload::SecurityPolicy(sp) => sp.param_bytes(),
        Payload::Rand(x) => &x.rand,
        Payload::RandRole(x) => &x.rand,
        Payload::Error(_) => &[],
        Payload::TicketPolicy(tp) => &tp.tp_data,
        Payload::Ticket(t) => &t.policy.tp_data,
        Payload::GeneralExtension(g) => &g.data,
        Payload::Ibake(x) | Payload::EncryptedSecretKey(x) => &x.encr_data,
        Payload::Sakke(x) => &x.data,
    }
}

fn ts_bytes(ts_type: crate::wire::TsType, value: u64, scratch: &mut [u8; 8]) -> &[u8] {
    *scratch = value.to_be_bytes();
    let len = ts_type.value_len().unwrap_or(8);
    &scratch[8 - len..]
}

/// Reads the main fields of payload `index` (0-based, after the header) into `*out`.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_message_payload_info(
    msg: *const mikey_message_t,
    index: usize,
    out: *mut mikey_payload_info_t,
) -> u32 {
    with_message(msg, |m| {
        let out = non_null_mut(out)?;
        let p = payload_at(m, index)?;
        let span = m.layout.payloads[index].clone();
        let next = match p {
            Payload::Sign(_) => PayloadType::Last,
            _ => m
                .message
                .payloads
                .get(index + 1)
                .map_or(PayloadType::Last, Payload::payload_type),
        };
        let (code, code2, number, items): (u8, u8, u64, usize) = match p {
            Payload::Kemac(k) => (k.encr_alg.into(), k.mac_alg.into(), 0, 0),
            Payload::Pke(x) => (x.cache.into(), 0, 0, 0),
            Payload::Dh(x) => (x.group.into(), x.kv.kv_type().into(), 0, 0),
            Payload::Sign(x) => (x.sig_type.into(), 0, 0, 0),
            Payload::Timestamp(t) => (t.ts_type.into(), 0, t.value, 0),
            Payload::Id(x) => (x.id_type.into(), 0, 0, 0),
            Payload::Cert(x) => (x.cert_type.into(), 0, 0, 0),
            Payload::Chash(x) => (x.hash_func.into(), 0, 0, 0),
            Payload::Verification(x) => (x.auth_alg.into(), 0, 0, 0),
            Payload::SecurityPolicy(sp) => {
                (sp.prot_type.into(), sp.policy_no, 0, sp.params().count())
            }
            Payload::Rand(_) => (0, 0, 0, 0),
            Payload::Error(e) => (e.error_no.into(), 0, e.reserved.into(), 0),
            Payload::TimestampRole(t) => (t.ts_type.into(), t.role.into(), t.value, 0),
            Payload::IdRole(x) => (x.id_type.into(), x.role.into(), 0, 0),
            Payload::RandRole(x) => (0, x.role.into(), 0, 0),
            Payload::TicketPolicy(tp) => {
                (tp.subtype, tp.version, u16::from(tp.ticket_type).into(), 0)
            }
            Payload::Ticket(t) => (
                t.policy.subtype,
                t.policy.version,
                u16::from(t.policy.ticket_type).into(),
                0,
            ),
            Payload::GeneralExtension(g) => (g.ext_type.into(), 0, 0, g.key_id_entries().count()),
            Payload::Ibake(_) | Payload::EncryptedSecretKey(_) => (0, 0, 0, 0),
            Payload::Sakke(x) => (x.params.into(), x.id_scheme.into(), 0, 0),
        };
        let mut scratch = [0u8; 8];
        *out = mikey_payload_info_t {
            payload_type: p.payload_type().into(),
            next_payload: next.into(),
            code,
            code2,
            number,
            offset: span.start,
            length: span.len(),
            data_length: main_data(p, &mut scratch).len(),
            item_count: items,
        };
        Ok(())
    })
}

/// Copies the main data field of payload `index` (see `mikey_payload_info_t`) into
/// `buf` (capacity `cap`) and writes its length to `*len_out`.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_message_payload_data(
    msg: *const mikey_message_t,
    index: usize,
    buf: *mut u8,
    cap: usize,
    len_out: *mut usize,
) -> u32 {
    with_message(msg, |m| {
        let mut scratch = [0u8; 8];
        write_out(
            main_data(payload_at(m, index)?, &mut scratch),
            buf,
            cap,
            len_out,
        )
    })
}

/// Copies the whole encoded payload `index` (from its Next payload byte, or S type for
/// SIGN, to its last byte) into `buf`.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_message_payload_bytes(
    msg: *const mikey_message_t,
    index: usize,
    buf: *mut u8,
    cap: usize,
    len_out: *mut usize,
) -> u32 {
    with_message(msg, |m| {
        payload_at(m, index)?;
        write_out(
            &m.bytes[m.layout.payloads[index].clone()],
            buf,
            cap,
            len_out,
        )
    })
}

/// Reads parameter `param_index` of the SP payload at `payload_index`: its type into
/// `*type_out` and its value into `buf`. MIKEY_ERR_WRONG_PAYLOAD_TYPE if that payload
/// is not SP; MIKEY_ERR_INDEX_OUT_OF_RANGE for an index past the end.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_message_sp_param(
    msg: *const mikey_message_t,
    payload_index: usize,
    param_index: usize,
    type_out: *mut u8,
    buf: *mut u8,
    cap: usize,
    len_out: *mut usize,
) -> u32 {
    with_message(msg, |m| {
        let Payload::SecurityPolicy(sp) = payload_at(m, payload_index)? else {
            return Err(MIKEY_ERR_WRONG_PAYLOAD_TYPE);
        };
        let type_out = non_null_mut(type_out)?;
        let param = sp
            .params()
            .nth(param_index)
            .ok_or(MIKEY_ERR_INDEX_OUT_OF_RANGE)?;
        write_out(param.value, buf, cap, len_out)?;
        *type_out = param.param_type;
        Ok(())
    })
}

/// Copies the serialized message (identical to the parsed bytes) into `buf`.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_message_serialize(
    msg: *const mikey_message_t,
    buf: *mut u8,
    cap: usize,
    len_out: *mut usize,
) -> u32 {
    with_message(msg, |m| write_out(&m.bytes, buf, cap, len_out))
}

/// Writes the message as padded standard base64 followed by a NUL into `buf` (capacity
/// `cap`, which must include the NUL). `*len_out` receives the length without the NUL;
/// when too small, it receives the needed capacity including the NUL.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_message_to_base64(
    msg: *const mikey_message_t,
    buf: *mut c_char,
    cap: usize,
    len_out: *mut usize,
) -> u32 {
    with_message(msg, |m| {
        let mut text = sdp::encode_base64(&m.bytes).into_bytes();
        let len = text.len();
        text.push(0);
        write_out(&text, buf.cast(), cap, len_out)?;
        *non_null_mut(len_out)? = len;
        Ok(())
    })
}

/// Returns the static name of a payload type ("KEMAC", "T", ...) or "unknown"; never NULL.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_payload_type_str(payload_type: u32) -> *const c_char {
    let name: &'static std::ffi::CStr = match u8::try_from(payload_type).map(PayloadType::from) {
        Ok(PayloadType::Last) => c"Last payload",
        Ok(PayloadType::Kemac) => c"KEMAC",
        Ok(PayloadType::Pke) => c"PKE",
        Ok(PayloadType::Dh) => c"DH",
        Ok(PayloadType::Sign) => c"SIGN",
        Ok(PayloadType::Timestamp) => c"T",
        Ok(PayloadType::Id) => c"ID",
        Ok(PayloadType::Cert) => c"CERT",
        Ok(PayloadType::Chash) => c"CHASH",
        Ok(PayloadType::Verification) => c"V",
        Ok(PayloadType::SecurityPolicy) => c"SP",
        Ok(PayloadType::Rand) => c"RAND",
        Ok(PayloadType::Error) => c"ERR",
        Ok(PayloadType::TimestampRole) => c"TR",
        Ok(PayloadType::IdRole) => c"IDR",
        Ok(PayloadType::RandRole) => c"RANDR",
        Ok(PayloadType::TicketPolicy) => c"TP",
        Ok(PayloadType::Ticket) => c"TICKET",
        Ok(PayloadType::KeyData) => c"Key data",
        Ok(PayloadType::GeneralExtension) => c"General Ext.",
        Ok(PayloadType::Ibake) => c"IBAKE",
        Ok(PayloadType::EncryptedSecretKey) => c"ESK",
        Ok(PayloadType::SecretKey) => c"SK",
        Ok(PayloadType::EccPoint) => c"ECCPT",
        Ok(PayloadType::Sakke) => c"SAKKE",
        Ok(PayloadType::Unknown(_)) | Err(_) => c"unknown",
    };
    name.as_ptr()
}
