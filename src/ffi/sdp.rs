//! The MIKEY message of one media section of a whole SDP description (RFC 4567 §3.1: a
//! media-level `a=key-mgmt` attribute overrides the session-level one), for C users
//! holding an RTSP DESCRIBE answer or a SIP body. Stateless functions: the description is
//! read again on every call, in time and memory linear in its length, which
//! `MIKEY_MAX_SDP_LEN` bounds. And the `mikey` parameter of RTSP SET_PARAMETER and
//! GET_PARAMETER bodies (RFC 2326 §10.8, §10.9; the ONVIF Streaming Specification's
//! re-keying and multicast key retrieval), written and read.

#![allow(non_camel_case_types)]

use super::guard::{Failure, FfiResult, byte_slice, guard, invalid, non_null_mut, write_out};
use super::message::{key_mgmt_failure, mikey_message_t, new_handle};
use super::status::*;
use super::types::*;
use crate::sdp::{self, KeyMgmtLevel, SdpKeyMgmt};
use std::ffi::c_char;

/// The longest SDP description `mikey_sdp_media_count` and `mikey_sdp_media_message`
/// read, in bytes: four times `MIKEY_DEFAULT_MAX_MESSAGE_SIZE` (262144). Room for the
/// base64 of a largest message and the rest of a description; a longer one is refused
/// with MIKEY_ERR_MESSAGE_TOO_LARGE before any byte of it is read.
pub const MIKEY_MAX_SDP_LEN: usize = 262144;
const _: () = assert!(MIKEY_MAX_SDP_LEN == sdp::MAX_SDP_LEN);

/// The attribute was written at the session level, before the first `m=` line; it applies
/// to every media section without one of its own (RFC 4567 §3.1).
pub const MIKEY_SDP_LEVEL_SESSION: mikey_sdp_level_t = 1;
/// The attribute was written in the media section itself (RFC 4567 §3.1).
pub const MIKEY_SDP_LEVEL_MEDIA: mikey_sdp_level_t = 2;

/// Where the `a=key-mgmt:mikey` attribute that applies to a media section was found
/// (RFC 4567 §3.1). Plain data, owned by the caller.
#[repr(C)]
pub struct mikey_sdp_key_mgmt_info_t {
    /// `MIKEY_SDP_LEVEL_MEDIA` when the section has its own attribute, else
    /// `MIKEY_SDP_LEVEL_SESSION`.
    pub level: mikey_sdp_level_t,
    /// The number of the attribute's first line, counted from 1 (a folded attribute
    /// continues on the following lines).
    pub line: usize,
    /// The number of the section's `m=` line, counted from 1; 0 for a description
    /// without `m=` lines (only the session level).
    pub media_line: usize,
    /// How many further `a=key-mgmt:mikey` attributes at the same level were ignored:
    /// RFC 4567 §4.1 makes the attributes of one level alternatives of different
    /// protocols, so a second MIKEY one is the sender's mistake; the first one applies.
    pub ignored_count: usize,
}

/// Reads `sdp_len` bytes at `sdp` as an SDP description. The relevant lines are ASCII;
/// bytes that are not UTF-8 (an `s=` line in ISO-8859-1, RFC 4566 §5.3) are replaced and
/// do not matter.
fn read_sdp(sdp: *const c_char, sdp_len: usize) -> FfiResult<SdpKeyMgmt> {
    if sdp_len > MIKEY_MAX_SDP_LEN {
        return Err(Failure::from(MIKEY_ERR_MESSAGE_TOO_LARGE));
    }
    let bytes = byte_slice(sdp.cast(), sdp_len, "sdp")?;
    sdp::media_key_mgmt(&String::from_utf8_lossy(bytes)).map_err(|e| key_mgmt_failure(&e))
}

/// Writes the number of media sections (`m=` lines) of the SDP description `sdp`
/// (`sdp_len` bytes, need not be NUL-terminated, lines ending in CRLF or LF) to
/// `*out_count`. A description without `m=` lines counts as one section, the session
/// level alone, so the count is at least 1: valid indexes for `mikey_sdp_media_message`
/// are 0 to count - 1.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `out_count` is NULL, or `sdp` is NULL with
/// `sdp_len` > 0; MIKEY_ERR_MESSAGE_TOO_LARGE if `sdp_len` is above `MIKEY_MAX_SDP_LEN`;
/// MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_sdp_media_count(
    sdp: *const c_char,
    sdp_len: usize,
    out_count: *mut usize,
) -> mikey_status_t {
    guard(|| {
        let out = non_null_mut(out_count, "out_count")?;
        *out = read_sdp(sdp, sdp_len)?.media_count();
        Ok(())
    })
}

/// Parses the MIKEY message that applies to media section `media_index` (0-based, in the
/// order of the `m=` lines) of the SDP description `sdp` (`sdp_len` bytes, need not be
/// NUL-terminated) into a new message written to `*out_message` (free it with
/// `mikey_message_free`). The attribute that applies is the section's first
/// `a=key-mgmt:mikey` attribute, else the first one of the session level (RFC 4567 §3.1);
/// attributes of other key management protocols are passed over. Lines may end in CRLF or
/// LF; an attribute may be folded (continued on lines indented deeper than its own). If
/// `out_info` is not NULL, where the attribute was found is written to it. On failure
/// nothing is written.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `out_message` is NULL, or `sdp` is NULL
/// with `sdp_len` > 0; MIKEY_ERR_MESSAGE_TOO_LARGE if `sdp_len` is above
/// `MIKEY_MAX_SDP_LEN`, or the decoded message is longer than
/// `MIKEY_DEFAULT_MAX_MESSAGE_SIZE`; MIKEY_ERR_INDEX_OUT_OF_RANGE if `media_index` is not
/// below the count of `mikey_sdp_media_count`; MIKEY_ERR_NO_KEY_MGMT if neither the
/// section nor the session level has an `a=key-mgmt:mikey` attribute;
/// MIKEY_ERR_KEY_MGMT_SYNTAX if that attribute has no data; MIKEY_ERR_BASE64 if its data
/// is not base64; otherwise the statuses of `mikey_message_parse` for the decoded
/// message; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_sdp_media_message(
    sdp: *const c_char,
    sdp_len: usize,
    media_index: usize,
    out_message: *mut *mut mikey_message_t,
    out_info: *mut mikey_sdp_key_mgmt_info_t,
) -> mikey_status_t {
    guard(|| {
        non_null_mut(out_message, "out_message")?;
        let found = read_sdp(sdp, sdp_len)?;
        let media = found
            .media(media_index)
            .ok_or(MIKEY_ERR_INDEX_OUT_OF_RANGE)?;
        let attribute = media.attribute.ok_or(MIKEY_ERR_NO_KEY_MGMT)?;
        let bytes = sdp::parse_sdp_attribute(&attribute.text).map_err(|e| key_mgmt_failure(&e))?;
        new_handle(&bytes, out_message, std::ptr::null_mut())?;
        if let Ok(info) = non_null_mut(out_info, "out_info") {
            *info = mikey_sdp_key_mgmt_info_t {
                level: match media.level {
                    KeyMgmtLevel::Session => MIKEY_SDP_LEVEL_SESSION,
                    KeyMgmtLevel::Media => MIKEY_SDP_LEVEL_MEDIA,
                },
                line: attribute.number,
                media_line: media.media.map_or(0, |m| m.number),
                ignored_count: media.ignored.len(),
            };
        }
        Ok(())
    })
}

/// Writes to `text` (capacity `text_cap`, length in `*text_len`, no terminating NUL) the key
/// management protocols the SDP description offers for media section `media_index`, as RFC
/// 4567 §4.1.4 lists them for bidding-down protection: the protocol identifiers of every
/// `a=key-mgmt` attribute of the level that applies (the section's own, else the session
/// level), in order, ";"-separated (e.g. "mikey;keyp1"). The Initiator gives it to
/// `mikey_session_initiate_offer`, the Responder to `mikey_session_process_offer`.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `text_len` is NULL, or `sdp` or `text` is
/// NULL where bytes are needed; MIKEY_ERR_MESSAGE_TOO_LARGE if `sdp_len` is above
/// `MIKEY_MAX_SDP_LEN`; MIKEY_ERR_INDEX_OUT_OF_RANGE if `media_index` is not below the
/// count of `mikey_sdp_media_count`; MIKEY_ERR_NO_KEY_MGMT if no key-mgmt attribute
/// applies; MIKEY_ERR_BUFFER_TOO_SMALL with the length needed in `*text_len`;
/// MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_sdp_protocol_list(
    sdp: *const c_char,
    sdp_len: usize,
    media_index: usize,
    text: *mut c_char,
    text_cap: usize,
    text_len: *mut usize,
) -> mikey_status_t {
    guard(|| {
        non_null_mut(text_len, "text_len")?;
        let found = read_sdp(sdp, sdp_len)?;
        if media_index >= found.media_count() {
            return Err(MIKEY_ERR_INDEX_OUT_OF_RANGE.into());
        }
        let list = found
            .protocol_list(media_index)
            .ok_or(MIKEY_ERR_NO_KEY_MGMT)?;
        write_out(list.as_bytes(), text.cast(), text_cap, text_len, "text")
    })
}

/// Writes to `text` (capacity `text_cap`, length in `*text_len`, no terminating NUL) the
/// `text/parameters` body of an RTSP SET_PARAMETER request carrying the MIKEY message
/// `message` (`message_len` bytes, e.g. a re-keying I_MESSAGE from
/// `mikey_session_rekey`): `mikey: <base64>` and CRLF, padded standard base64 on one line
/// (RFC 2326 §10.9, RFC 7826 Appendix F; the ONVIF Streaming Specification's client
/// re-keying; a device answers a GET_PARAMETER `mikey` request with the same body). Send
/// it with `Content-Type: text/parameters` and `Content-Length: *text_len`. The message
/// is not parsed.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `text_len` is NULL, or `message` or `text`
/// is NULL where bytes are needed; MIKEY_ERR_INVALID_ARGUMENT if `message_len` is 0 (a
/// body without a message is not one a peer reads); MIKEY_ERR_BUFFER_TOO_SMALL with the
/// length needed in `*text_len`; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_rtsp_set_parameter_body(
    message: *const u8,
    message_len: usize,
    text: *mut c_char,
    text_cap: usize,
    text_len: *mut usize,
) -> mikey_status_t {
    guard(|| {
        non_null_mut(text_len, "text_len")?;
        let message = byte_slice(message, message_len, "message")?;
        if message.is_empty() {
            return Err(invalid("message_len is 0: there is no message to carry"));
        }
        let body = sdp::rtsp_set_parameter_body(message);
        write_out(body.as_bytes(), text.cast(), text_cap, text_len, "text")
    })
}

/// Writes to `text` (capacity `text_cap`, length in `*text_len`, no terminating NUL) the
/// `text/parameters` body of the RTSP GET_PARAMETER request that asks a device for its
/// current MIKEY message: `mikey` and CRLF (RFC 2326 §10.8, RFC 7826 Appendix F; the ONVIF
/// Streaming Specification's multicast key retrieval). Read the answer's body with
/// `mikey_rtsp_parameter_message`.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `text_len` is NULL, or `text` is NULL where
/// bytes are needed; MIKEY_ERR_BUFFER_TOO_SMALL with the length needed (7) in
/// `*text_len`; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_rtsp_get_parameter_body(
    text: *mut c_char,
    text_cap: usize,
    text_len: *mut usize,
) -> mikey_status_t {
    guard(|| {
        write_out(
            sdp::RTSP_GET_PARAMETER_BODY.as_bytes(),
            text.cast(),
            text_cap,
            text_len,
            "text",
        )
    })
}

/// Writes to `message` (capacity `message_cap`, length in `*message_len`) the MIKEY
/// message carried by the `mikey` parameter of the RTSP `text/parameters` body `body`
/// (`body_len` bytes, need not be NUL-terminated): a SET_PARAMETER request re-keying a
/// stream, or the answer to a GET_PARAMETER `mikey` request (RFC 2326 §10.8, §10.9; the
/// ONVIF Streaming Specification). Give the bytes to `mikey_session_process` (or
/// `mikey_message_parse` to inspect them); they are not parsed here. Lines may end in CRLF
/// or LF; the name is read in any case, with white space around it and the ':'; other
/// parameters are passed over, so a whole RTSP message (request or status line, headers,
/// blank line, body) may be given; non-blank lines without a ':' right after the `mikey`
/// line continue its value (wrapped for print, as the ONVIF specification prints it);
/// missing base64 padding is accepted. Bytes that are not UTF-8 (in other parameters) are
/// replaced and do not matter.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `message_len` is NULL, or `body` or
/// `message` is NULL where bytes are needed; MIKEY_ERR_NO_KEY_MGMT if no line names the
/// `mikey` parameter or the one that does has no value (the GET_PARAMETER request itself);
/// MIKEY_ERR_KEY_MGMT_SYNTAX if two lines name it; MIKEY_ERR_BASE64 if its value is not
/// base64; MIKEY_ERR_BUFFER_TOO_SMALL with the length needed in `*message_len`;
/// MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_rtsp_parameter_message(
    body: *const c_char,
    body_len: usize,
    message: *mut u8,
    message_cap: usize,
    message_len: *mut usize,
) -> mikey_status_t {
    guard(|| {
        non_null_mut(message_len, "message_len")?;
        let body = byte_slice(body.cast(), body_len, "body")?;
        let bytes = sdp::parse_rtsp_parameter_body(&String::from_utf8_lossy(body))
            .map_err(|e| key_mgmt_failure(&e))?;
        write_out(&bytes, message, message_cap, message_len, "message")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::message::mikey_message_free;

    #[test]
    fn too_long_is_refused_before_reading_even_with_null() {
        let mut count = 0;
        // sdp is NULL: a length above the bound is refused before the pointer is used.
        assert_eq!(
            mikey_sdp_media_count(std::ptr::null(), MIKEY_MAX_SDP_LEN + 1, &mut count),
            MIKEY_ERR_MESSAGE_TOO_LARGE
        );
        let mut m = std::ptr::null_mut();
        assert_eq!(
            mikey_sdp_media_message(
                std::ptr::null(),
                MIKEY_MAX_SDP_LEN + 1,
                0,
                &mut m,
                std::ptr::null_mut()
            ),
            MIKEY_ERR_MESSAGE_TOO_LARGE
        );
        assert!(m.is_null());
        mikey_message_free(m);
    }

    #[test]
    fn parameter_bodies_round_trip_and_keep_outputs_on_failure() {
        let message = [1u8, 0, 5, 0, 1, 2, 3, 4];
        let mut text = [0 as c_char; 64];
        let mut len = 0;
        assert_eq!(
            mikey_rtsp_set_parameter_body(
                message.as_ptr(),
                message.len(),
                text.as_mut_ptr(),
                text.len(),
                &mut len
            ),
            MIKEY_OK
        );
        let body: Vec<u8> = text[..len].iter().map(|&c| c as u8).collect();
        assert_eq!(body, b"mikey: AQAFAAECAwQ=\r\n");
        let mut out = [0u8; 16];
        let mut out_len = 99;
        assert_eq!(
            mikey_rtsp_parameter_message(
                text.as_ptr(),
                len,
                out.as_mut_ptr(),
                out.len(),
                &mut out_len
            ),
            MIKEY_OK
        );
        assert_eq!(&out[..out_len], message);
        // Too small: the needed length, the buffer untouched.
        let mut small = [0xa5u8; 4];
        assert_eq!(
            mikey_rtsp_parameter_message(
                text.as_ptr(),
                len,
                small.as_mut_ptr(),
                small.len(),
                &mut out_len
            ),
            MIKEY_ERR_BUFFER_TOO_SMALL
        );
        assert_eq!((out_len, small), (message.len(), [0xa5; 4]));
        // The GET_PARAMETER request names the parameter without a value.
        assert_eq!(
            mikey_rtsp_get_parameter_body(text.as_mut_ptr(), text.len(), &mut len),
            MIKEY_OK
        );
        assert_eq!(len, 7);
        out_len = 99;
        assert_eq!(
            mikey_rtsp_parameter_message(
                text.as_ptr(),
                len,
                out.as_mut_ptr(),
                out.len(),
                &mut out_len
            ),
            MIKEY_ERR_NO_KEY_MGMT
        );
        assert_eq!(out_len, 99);
        len = 42;
        assert_eq!(
            mikey_rtsp_set_parameter_body(
                std::ptr::null(),
                0,
                text.as_mut_ptr(),
                text.len(),
                &mut len
            ),
            MIKEY_ERR_INVALID_ARGUMENT
        );
        assert_eq!(len, 42);
    }
}
