//! `mikey_message_t`: a parsed MIKEY message to inspect and serialize (RFC 3830 §6).
//! Immutable once created, so one handle may be read from several threads at once; for
//! that reason it keeps no error detail (the statuses here are specific enough, and a
//! parse error's byte offset is an output of the parse functions).

#![allow(non_camel_case_types)]

use super::guard::{Failure, FfiResult, byte_slice, guard, non_null, non_null_mut, write_out};
use super::status::*;
use super::types::*;
use crate::sdp::{self, KeyMgmtError};
use crate::wire::{CsIdMap, ErrorKind, Layout, Message, ParseError, Payload, PayloadType};
use std::ffi::c_char;
use std::sync::atomic::{AtomicBool, Ordering};

/// A parsed MIKEY message (opaque, RFC 3830 §6). Create with `mikey_message_parse` or
/// `mikey_message_parse_text`, release with `mikey_message_free`. It owns a copy of the
/// bytes.
///
/// Threads: immutable; any number of threads may read one handle concurrently (it keeps
/// no error detail for that reason). Free it once no thread uses it.
pub struct mikey_message_t {
    message: Message<'static>,
    bytes: Vec<u8>,
    layout: Layout,
    poisoned: AtomicBool,
}

/// Common Header fields (RFC 3830 §6.1). Plain data, owned by the caller.
#[repr(C)]
pub struct mikey_header_info_t {
    /// Always 1.
    pub version: u8,
    /// Data type (message type): `MIKEY_DATA_TYPE_*`.
    pub data_type: u8,
    /// Next payload: the type of the first payload after the header (`MIKEY_PAYLOAD_*`).
    pub next_payload: u8,
    /// V flag (1 = verification message requested).
    pub v: mikey_bool_t,
    /// PRF func (7 bits): `MIKEY_PRF_*`.
    pub prf_func: u8,
    /// CS ID map type: `MIKEY_CS_ID_MAP_*`.
    pub cs_id_map_type: u8,
    /// #CS: number of crypto sessions.
    pub cs_count: u8,
    /// CSB ID.
    pub csb_id: u32,
}

/// One SRTP-ID map entry (RFC 3830 §6.1.1); entry `i` has CS ID `i + 1`. Plain data,
/// owned by the caller.
#[repr(C)]
pub struct mikey_srtp_cs_t {
    /// Policy no of the SP payload for this stream.
    pub policy_no: u8,
    /// SSRC (0: not chosen by the Initiator).
    pub ssrc: u32,
    /// Rollover counter.
    pub roc: u32,
}

/// The main fields of one payload (RFC 3830 §6). Plain data, owned by the caller. Meaning
/// of `code`, `code2`, `number` and of the data returned by `mikey_message_payload_data`,
/// by payload type (codepoints: `MIKEY_ENCR_*`, `MIKEY_MAC_*`, `MIKEY_DH_*`,
/// `MIKEY_KV_*`, `MIKEY_SIGN_*`, `MIKEY_TS_*`, `MIKEY_ID_*`, `MIKEY_CERT_*`,
/// `MIKEY_HASH_*`, `MIKEY_PROT_*`, `MIKEY_ERRNO_*`):
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
/// | ECCPT (25) | ECC curve | Auth alg | TGK len | the padded point |
/// | SAKKE (26) | SAKKE params | ID scheme | 0 | SAKKE data |
#[repr(C)]
pub struct mikey_payload_info_t {
    /// Payload type (its Next-payload codepoint, `MIKEY_PAYLOAD_*`).
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
    pub len: usize,
    /// Length of the data returned by `mikey_message_payload_data`.
    pub data_len: usize,
    /// Number of SP parameters (SP) or Key ID entries (General Ext. type 3), else 0.
    pub item_count: usize,
}

/// The status of a parse error, with its byte offset and reason as the detail.
pub(crate) fn parse_failure(e: &ParseError) -> Failure {
    Failure::new(parse_status(e), format!("malformed message {e}"))
}

fn parse_status(e: &ParseError) -> mikey_status_t {
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

/// The status of a key-mgmt text that gave no message bytes (RFC 4567 §3), with the
/// reason as the detail.
pub(crate) fn key_mgmt_failure(e: &KeyMgmtError) -> Failure {
    let status = match e {
        KeyMgmtError::Base64 => MIKEY_ERR_BASE64,
        KeyMgmtError::Syntax(_) | KeyMgmtError::NotMikey(_) => MIKEY_ERR_KEY_MGMT_SYNTAX,
        KeyMgmtError::TooLong { .. } => MIKEY_ERR_MESSAGE_TOO_LARGE,
        KeyMgmtError::NoMikeyParameter { .. } => MIKEY_ERR_NO_KEY_MGMT,
    };
    Failure::new(status, e.to_string())
}

/// Parses `bytes` into a new message handle written to `*out_message`; on a parse error
/// the byte offset goes to `*out_error_offset` if that is not NULL.
pub(crate) fn new_handle(
    bytes: &[u8],
    out_message: *mut *mut mikey_message_t,
    out_error_offset: *mut usize,
) -> FfiResult {
    let out = non_null_mut(out_message, "out_message")?;
    let (message, layout) = match Message::parse_with_layout(bytes) {
        Ok(parsed) => parsed,
        Err(e) => {
            if let Ok(off) = non_null_mut(out_error_offset, "out_error_offset") {
                *off = e.offset;
            }
            return Err(parse_failure(&e));
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

/// Finds where the first MIKEY message of a byte stream ends (TCP port 2269: no RFC defines
/// a framing, and none is needed, since a message ends with its payload whose Next payload
/// is Last, RFC 3830 §6): given the `data_len` bytes received so far at `data`, writes to
/// `*out_len` the length of that message when they hold all of it (parse those bytes,
/// keep the rest for the next message), or 0 when they end inside it (read more and call
/// again). Over UDP port 2269 a datagram is one message.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `out_len` is NULL, or `data` is NULL with
/// `data_len` > 0; MIKEY_ERR_MESSAGE_TOO_LARGE when the message would be longer than
/// `MIKEY_DEFAULT_MAX_MESSAGE_SIZE`; the MIKEY_ERR_PARSE_* statuses of
/// `mikey_message_parse` when the bytes cannot start a message (close the connection: no
/// later byte resynchronises it); MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_stream_message_len(
    data: *const u8,
    data_len: usize,
    out_len: *mut usize,
) -> mikey_status_t {
    guard(|| {
        let out = non_null_mut(out_len, "out_len")?;
        let bytes = byte_slice(data, data_len, "data")?;
        let found = crate::wire::message_len(bytes, &crate::wire::Limits::DEFAULT)
            .map_err(|e| parse_failure(&e))?;
        *out = found.unwrap_or(0);
        Ok(())
    })
}

/// Parses `data_len` bytes at `data` (RFC 3830 §6) into a new message written to
/// `*out_message`. On a parse error, if `out_error_offset` is not NULL, the byte offset
/// where parsing failed is written to it (the one output written on failure);
/// `*out_message` is left unchanged. The handle holds a copy of the bytes and their parsed
/// form: about three times `data_len` at most.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `out_message` is NULL, or `data` is NULL
/// with `data_len` > 0; MIKEY_ERR_MESSAGE_TOO_LARGE for more than
/// `MIKEY_DEFAULT_MAX_MESSAGE_SIZE` (65536) bytes, before any byte is read (offset 0);
/// MIKEY_ERR_TOO_MANY_PAYLOADS for a payload chain of more than 512 payloads (offset of
/// the 513th); MIKEY_ERR_PARSE_TRUNCATED, MIKEY_ERR_PARSE_BAD_VERSION,
/// MIKEY_ERR_PARSE_UNKNOWN_PAYLOAD, MIKEY_ERR_PARSE_TRAILING_BYTES,
/// MIKEY_ERR_PARSE_UNKNOWN_CS_ID_MAP, MIKEY_ERR_PARSE_UNKNOWN_LENGTH_CODEPOINT,
/// MIKEY_ERR_PARSE_BAD_LENGTH or MIKEY_ERR_PARSE_MISPLACED_PAYLOAD for a malformed
/// message; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_message_parse(
    data: *const u8,
    data_len: usize,
    out_message: *mut *mut mikey_message_t,
    out_error_offset: *mut usize,
) -> mikey_status_t {
    guard(|| {
        new_handle(
            byte_slice(data, data_len, "data")?,
            out_message,
            out_error_offset,
        )
    })
}

/// Parses a message given as text: an SDP attribute (`a=key-mgmt:mikey <base64>`), an
/// RTSP `KeyMgmt` header (RFC 4567 §3), an RTSP `text/parameters` body that starts with
/// the `mikey: <base64>` parameter (RFC 2326 §10.8, §10.9; see
/// `mikey_rtsp_parameter_message`), or bare base64. `text` need not be NUL-terminated;
/// `text_len` is its length in bytes. `*out_error_offset` as in `mikey_message_parse` (an
/// offset into the decoded message).
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `out_message` is NULL, or `text` is NULL
/// with `text_len` > 0; MIKEY_ERR_KEY_MGMT_SYNTAX if the text is not UTF-8 or not such an
/// attribute, header or body; MIKEY_ERR_BASE64 for invalid base64; otherwise the statuses
/// of `mikey_message_parse` for the decoded message; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_message_parse_text(
    text: *const c_char,
    text_len: usize,
    out_message: *mut *mut mikey_message_t,
    out_error_offset: *mut usize,
) -> mikey_status_t {
    guard(|| {
        let text = byte_slice(text.cast(), text_len, "text")?;
        let text = std::str::from_utf8(text).map_err(|_| MIKEY_ERR_KEY_MGMT_SYNTAX)?;
        let bytes = sdp::parse_key_mgmt(text).map_err(|e| key_mgmt_failure(&e))?;
        new_handle(&bytes, out_message, out_error_offset)
    })
}

/// Frees a message. NULL does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_message_free(message: *mut mikey_message_t) {
    if message.is_null() {
        return;
    }
    // SAFETY: a non-NULL `message` was returned by a mikey_message_parse* function and is
    // not used again by the caller (documented ownership transfer).
    let handle = unsafe { Box::from_raw(message) };
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || drop(handle)));
}

/// Runs `f` on a live handle; a panic poisons it.
fn with_message(
    message: *const mikey_message_t,
    f: impl FnOnce(&mikey_message_t) -> FfiResult,
) -> mikey_status_t {
    guard(|| {
        let m = non_null(message, "message")?;
        if m.poisoned.load(Ordering::Relaxed) {
            return Err(MIKEY_ERR_POISONED.into());
        }
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(m)));
        result.unwrap_or_else(|_| {
            m.poisoned.store(true, Ordering::Relaxed);
            Err(MIKEY_ERR_PANIC.into())
        })
    })
}

fn payload_at(m: &mikey_message_t, index: usize) -> FfiResult<&Payload<'static>> {
    Ok(m.message
        .payloads
        .get(index)
        .ok_or(MIKEY_ERR_INDEX_OUT_OF_RANGE)?)
}

/// Reads the Common Header fields (RFC 3830 §6.1) into `*out_header`.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `message` or `out_header` is NULL;
/// MIKEY_ERR_POISONED; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_message_header(
    message: *const mikey_message_t,
    out_header: *mut mikey_header_info_t,
) -> mikey_status_t {
    with_message(message, |m| {
        let out = non_null_mut(out_header, "out_header")?;
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

/// Reads SRTP-ID map entry `cs_index` (0-based; CS ID `cs_index + 1`; RFC 3830 §6.1.1)
/// into `*out_cs`.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `message` or `out_cs` is NULL;
/// MIKEY_ERR_WRONG_PAYLOAD_TYPE if the map is not MIKEY_CS_ID_MAP_SRTP_ID;
/// MIKEY_ERR_INDEX_OUT_OF_RANGE if `cs_index` is not below #CS; MIKEY_ERR_POISONED;
/// MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_message_srtp_cs(
    message: *const mikey_message_t,
    cs_index: usize,
    out_cs: *mut mikey_srtp_cs_t,
) -> mikey_status_t {
    with_message(message, |m| {
        let out = non_null_mut(out_cs, "out_cs")?;
        let CsIdMap::SrtpId(map) = &m.message.header.cs_map else {
            return Err(MIKEY_ERR_WRONG_PAYLOAD_TYPE.into());
        };
        let e = map.get(cs_index).ok_or(MIKEY_ERR_INDEX_OUT_OF_RANGE)?;
        *out = mikey_srtp_cs_t {
            policy_no: e.policy_no,
            ssrc: e.ssrc,
            roc: e.roc,
        };
        Ok(())
    })
}

/// Writes the number of payloads after the header to `*out_count`.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `message` or `out_count` is NULL;
/// MIKEY_ERR_POISONED; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_message_payload_count(
    message: *const mikey_message_t,
    out_count: *mut usize,
) -> mikey_status_t {
    with_message(message, |m| {
        *non_null_mut(out_count, "out_count")? = m.message.payloads.len();
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
        Payload::EccPoint(x) => &x.point,
    }
}

fn ts_bytes(ts_type: crate::wire::TsType, value: u64, scratch: &mut [u8; 8]) -> &[u8] {
    *scratch = value.to_be_bytes();
    let len = ts_type.value_len().unwrap_or(8);
    &scratch[8 - len..]
}

/// Reads the main fields of payload `payload_index` (0-based, after the header) into
/// `*out_info`.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `message` or `out_info` is NULL;
/// MIKEY_ERR_INDEX_OUT_OF_RANGE if `payload_index` is not below the payload count;
/// MIKEY_ERR_POISONED; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_message_payload_info(
    message: *const mikey_message_t,
    payload_index: usize,
    out_info: *mut mikey_payload_info_t,
) -> mikey_status_t {
    with_message(message, |m| {
        let out = non_null_mut(out_info, "out_info")?;
        let index = payload_index;
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
            Payload::EccPoint(x) => (x.curve.into(), x.auth_alg, x.tgk_len.into(), 0),
        };
        let mut scratch = [0u8; 8];
        *out = mikey_payload_info_t {
            payload_type: p.payload_type().into(),
            next_payload: next.into(),
            code,
            code2,
            number,
            offset: span.start,
            len: span.len(),
            data_len: main_data(p, &mut scratch).len(),
            item_count: items,
        };
        Ok(())
    })
}

/// Copies the main data field of payload `payload_index` (see `mikey_payload_info_t`)
/// into `data` (capacity `data_cap`) and writes its length to `*data_len`.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `message` or `data_len` is NULL, or `data`
/// is NULL and the field is not empty; MIKEY_ERR_INDEX_OUT_OF_RANGE if `payload_index` is
/// not below the payload count; MIKEY_ERR_BUFFER_TOO_SMALL with the needed length in
/// `*data_len`; MIKEY_ERR_POISONED; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_message_payload_data(
    message: *const mikey_message_t,
    payload_index: usize,
    data: *mut u8,
    data_cap: usize,
    data_len: *mut usize,
) -> mikey_status_t {
    with_message(message, |m| {
        let mut scratch = [0u8; 8];
        write_out(
            main_data(payload_at(m, payload_index)?, &mut scratch),
            data,
            data_cap,
            data_len,
            "data",
        )
    })
}

/// Copies the whole encoded payload `payload_index` (from its Next payload byte, or S
/// type for SIGN, to its last byte; RFC 3830 §6) into `payload` (capacity `payload_cap`)
/// and writes its length to `*payload_len`.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `message`, `payload` or `payload_len` is
/// NULL; MIKEY_ERR_INDEX_OUT_OF_RANGE if `payload_index` is not below the payload count;
/// MIKEY_ERR_BUFFER_TOO_SMALL with the needed length in `*payload_len`;
/// MIKEY_ERR_POISONED; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_message_payload_bytes(
    message: *const mikey_message_t,
    payload_index: usize,
    payload: *mut u8,
    payload_cap: usize,
    payload_len: *mut usize,
) -> mikey_status_t {
    with_message(message, |m| {
        payload_at(m, payload_index)?;
        write_out(
            &m.bytes[m.layout.payloads[payload_index].clone()],
            payload,
            payload_cap,
            payload_len,
            "payload",
        )
    })
}

/// Reads parameter `param_index` of the SP payload at `payload_index` (RFC 3830 §6.10):
/// its type (`MIKEY_SRTP_PARAM_*` for SRTP policies) into `*out_param_type` and its value
/// into `value` (capacity `value_cap`, length in `*value_len`).
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `message`, `out_param_type` or `value_len`
/// is NULL, or `value` is NULL and the value is not empty; MIKEY_ERR_INDEX_OUT_OF_RANGE
/// for a `payload_index` or `param_index` past the end; MIKEY_ERR_WRONG_PAYLOAD_TYPE if
/// that payload is not SP; MIKEY_ERR_BUFFER_TOO_SMALL with the needed length in
/// `*value_len`; MIKEY_ERR_POISONED; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_message_sp_param(
    message: *const mikey_message_t,
    payload_index: usize,
    param_index: usize,
    out_param_type: *mut u8,
    value: *mut u8,
    value_cap: usize,
    value_len: *mut usize,
) -> mikey_status_t {
    with_message(message, |m| {
        let Payload::SecurityPolicy(sp) = payload_at(m, payload_index)? else {
            return Err(MIKEY_ERR_WRONG_PAYLOAD_TYPE.into());
        };
        let type_out = non_null_mut(out_param_type, "out_param_type")?;
        let param = sp
            .params()
            .nth(param_index)
            .ok_or(MIKEY_ERR_INDEX_OUT_OF_RANGE)?;
        write_out(param.value, value, value_cap, value_len, "value")?;
        *type_out = param.param_type;
        Ok(())
    })
}

/// Copies the serialized message (identical to the parsed bytes) into `data` (capacity
/// `data_cap`) and writes its length to `*data_len`.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `message`, `data` or `data_len` is NULL;
/// MIKEY_ERR_BUFFER_TOO_SMALL with the needed length in `*data_len`; MIKEY_ERR_POISONED;
/// MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_message_serialize(
    message: *const mikey_message_t,
    data: *mut u8,
    data_cap: usize,
    data_len: *mut usize,
) -> mikey_status_t {
    with_message(message, |m| {
        write_out(&m.bytes, data, data_cap, data_len, "data")
    })
}

/// Writes the message as padded standard base64 (RFC 4566 §9, RFC 4648 §4) followed by a
/// NUL into `text` (capacity `text_cap`, which must include the NUL). `*text_len`
/// receives the length without the NUL; when too small, it receives the needed capacity
/// including the NUL.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `message`, `text` or `text_len` is NULL;
/// MIKEY_ERR_BUFFER_TOO_SMALL (see above); MIKEY_ERR_POISONED; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_message_to_base64(
    message: *const mikey_message_t,
    text: *mut c_char,
    text_cap: usize,
    text_len: *mut usize,
) -> mikey_status_t {
    with_message(message, |m| {
        let mut encoded = sdp::encode_base64(&m.bytes).into_bytes();
        let len = encoded.len();
        encoded.push(0);
        write_out(&encoded, text.cast(), text_cap, text_len, "text")?;
        *non_null_mut(text_len, "text_len")? = len;
        Ok(())
    })
}

/// Returns the static name of a payload type (`MIKEY_PAYLOAD_*`: "KEMAC", "T", ...;
/// RFC 3830 Table 6.1.b) or "unknown"; never NULL.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_payload_type_str(payload_type: mikey_payload_type_t) -> *const c_char {
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
