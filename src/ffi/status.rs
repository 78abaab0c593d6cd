//! `mikey_status_t` values and `mikey_status_str`. Numbers are stable and never reused.

use std::ffi::c_char;

/// Success.
pub const MIKEY_OK: u32 = 0;
/// A required pointer argument was NULL.
pub const MIKEY_ERR_NULL_POINTER: u32 = 1;
/// The caller's buffer is too small; the needed length was written to the length output.
pub const MIKEY_ERR_BUFFER_TOO_SMALL: u32 = 2;
/// The library panicked inside this call; the handle (if any) is now poisoned.
pub const MIKEY_ERR_PANIC: u32 = 3;
/// The handle panicked in an earlier call and can only be freed.
pub const MIKEY_ERR_POISONED: u32 = 4;
/// An argument has a value outside its documented range.
pub const MIKEY_ERR_INVALID_ARGUMENT: u32 = 5;
/// An index is not below the number of items.
pub const MIKEY_ERR_INDEX_OUT_OF_RANGE: u32 = 6;
/// The payload at this index is not of the kind this function reads.
pub const MIKEY_ERR_WRONG_PAYLOAD_TYPE: u32 = 7;
/// The message ends inside a field (RFC 3830 §6).
pub const MIKEY_ERR_PARSE_TRUNCATED: u32 = 100;
/// The Common Header version is not 1 (RFC 3830 §6.1).
pub const MIKEY_ERR_PARSE_BAD_VERSION: u32 = 101;
/// A Next payload value names no payload this library can walk past (RFC 3830 §6.1).
pub const MIKEY_ERR_PARSE_UNKNOWN_PAYLOAD: u32 = 102;
/// Bytes remain after the last payload.
pub const MIKEY_ERR_PARSE_TRAILING_BYTES: u32 = 103;
/// The CS ID map type is not registered, so the header length is unknown (RFC 3830 §6.1).
pub const MIKEY_ERR_PARSE_UNKNOWN_CS_ID_MAP: u32 = 104;
/// A codepoint that fixes a field's length (DH group, MAC alg, TS type, hash, KV) is unknown.
pub const MIKEY_ERR_PARSE_UNKNOWN_LENGTH_CODEPOINT: u32 = 105;
/// Inner length fields disagree with each other or with the payload (SP, Key ID, maps).
pub const MIKEY_ERR_PARSE_BAD_LENGTH: u32 = 106;
/// A payload stands where it may not (a sub-payload at top level, nothing after the header).
pub const MIKEY_ERR_PARSE_MISPLACED_PAYLOAD: u32 = 107;
/// The text is not valid base64 (RFC 4566 §9, RFC 3548).
pub const MIKEY_ERR_BASE64: u32 = 110;
/// The text is not an `a=key-mgmt:mikey` attribute or RTSP `KeyMgmt` header (RFC 4567 §3).
pub const MIKEY_ERR_KEY_MGMT_SYNTAX: u32 = 111;
/// A field is too long for its length field when building a message.
pub const MIKEY_ERR_FIELD_TOO_LONG: u32 = 112;

/// Returns a static, NUL-terminated description of `status`; never NULL.
/// Unknown values give "unknown status".
#[unsafe(no_mangle)]
pub extern "C" fn mikey_status_str(status: u32) -> *const c_char {
    status_text(status).as_ptr()
}

fn status_text(status: u32) -> &'static std::ffi::CStr {
    match status {
        MIKEY_OK => c"ok",
        MIKEY_ERR_NULL_POINTER => c"a required pointer argument was NULL",
        MIKEY_ERR_BUFFER_TOO_SMALL => c"buffer too small; the needed length was returned",
        MIKEY_ERR_PANIC => c"internal error (panic caught); the handle is poisoned",
        MIKEY_ERR_POISONED => c"handle poisoned by an earlier internal error",
        MIKEY_ERR_INVALID_ARGUMENT => c"argument out of range",
        MIKEY_ERR_INDEX_OUT_OF_RANGE => c"index out of range",
        MIKEY_ERR_WRONG_PAYLOAD_TYPE => c"payload is not of the requested type",
        MIKEY_ERR_PARSE_TRUNCATED => c"message truncated",
        MIKEY_ERR_PARSE_BAD_VERSION => c"unsupported MIKEY version",
        MIKEY_ERR_PARSE_UNKNOWN_PAYLOAD => c"unknown next payload type",
        MIKEY_ERR_PARSE_TRAILING_BYTES => c"trailing bytes after the last payload",
        MIKEY_ERR_PARSE_UNKNOWN_CS_ID_MAP => c"unknown CS ID map type",
        MIKEY_ERR_PARSE_UNKNOWN_LENGTH_CODEPOINT => {
            c"unknown codepoint that determines a field length"
        }
        MIKEY_ERR_PARSE_BAD_LENGTH => c"inconsistent length field",
        MIKEY_ERR_PARSE_MISPLACED_PAYLOAD => c"payload not allowed at this position",
        MIKEY_ERR_BASE64 => c"invalid base64",
        MIKEY_ERR_KEY_MGMT_SYNTAX => c"not a key-mgmt attribute or KeyMgmt header",
        MIKEY_ERR_FIELD_TOO_LONG => c"field too long for its length field",
        _ => c"unknown status",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_its_own_text() {
        let all = [
            MIKEY_OK,
            MIKEY_ERR_NULL_POINTER,
            MIKEY_ERR_BUFFER_TOO_SMALL,
            MIKEY_ERR_PANIC,
            MIKEY_ERR_POISONED,
            MIKEY_ERR_INVALID_ARGUMENT,
            MIKEY_ERR_INDEX_OUT_OF_RANGE,
            MIKEY_ERR_WRONG_PAYLOAD_TYPE,
            MIKEY_ERR_PARSE_TRUNCATED,
            MIKEY_ERR_PARSE_BAD_VERSION,
            MIKEY_ERR_PARSE_UNKNOWN_PAYLOAD,
            MIKEY_ERR_PARSE_TRAILING_BYTES,
            MIKEY_ERR_PARSE_UNKNOWN_CS_ID_MAP,
            MIKEY_ERR_PARSE_UNKNOWN_LENGTH_CODEPOINT,
            MIKEY_ERR_PARSE_BAD_LENGTH,
            MIKEY_ERR_PARSE_MISPLACED_PAYLOAD,
            MIKEY_ERR_BASE64,
            MIKEY_ERR_KEY_MGMT_SYNTAX,
            MIKEY_ERR_FIELD_TOO_LONG,
        ];
        let texts: std::collections::HashSet<_> = all.iter().map(|s| status_text(*s)).collect();
        assert_eq!(texts.len(), all.len());
        assert!(!texts.contains(c"unknown status"));
        assert_eq!(status_text(9999), c"unknown status");
    }
}
