//! `mikey_status_t` values and `mikey_status_str`. Numbers are stable and never reused.

use super::types::mikey_status_t;
use std::ffi::c_char;

/// Success.
pub const MIKEY_OK: mikey_status_t = 0;
/// A required pointer argument was NULL.
pub const MIKEY_ERR_NULL_POINTER: mikey_status_t = 1;
/// The caller's buffer is too small; the needed length was written to the length output.
pub const MIKEY_ERR_BUFFER_TOO_SMALL: mikey_status_t = 2;
/// The library panicked inside this call; the handle (if any) is now poisoned.
pub const MIKEY_ERR_PANIC: mikey_status_t = 3;
/// The handle panicked in an earlier call and can only be freed.
pub const MIKEY_ERR_POISONED: mikey_status_t = 4;
/// An argument has a value outside its documented range.
pub const MIKEY_ERR_INVALID_ARGUMENT: mikey_status_t = 5;
/// An index is not below the number of items.
pub const MIKEY_ERR_INDEX_OUT_OF_RANGE: mikey_status_t = 6;
/// The payload at this index is not of the kind this function reads.
pub const MIKEY_ERR_WRONG_PAYLOAD_TYPE: mikey_status_t = 7;
/// The call is not allowed in the session's current state or role.
pub const MIKEY_ERR_WRONG_STATE: mikey_status_t = 8;
/// The configuration is incomplete or inconsistent (e.g. PSK mode without a key).
pub const MIKEY_ERR_CONFIG: mikey_status_t = 9;
/// Not an error: the message is a byte-identical copy of the last I_MESSAGE this Responder
/// session accepted (a SIP or RTSP retransmission after a lost answer). The same reply as
/// before is written, nothing changed (no new keys, no replay-cache entry).
pub const MIKEY_RETRANSMISSION: mikey_status_t = 10;
/// The message ends inside a field (RFC 3830 §6).
pub const MIKEY_ERR_PARSE_TRUNCATED: mikey_status_t = 100;
/// The Common Header version is not 1 (RFC 3830 §6.1).
pub const MIKEY_ERR_PARSE_BAD_VERSION: mikey_status_t = 101;
/// A Next payload value names no payload this library can walk past (RFC 3830 §6.1).
pub const MIKEY_ERR_PARSE_UNKNOWN_PAYLOAD: mikey_status_t = 102;
/// Bytes remain after the last payload.
pub const MIKEY_ERR_PARSE_TRAILING_BYTES: mikey_status_t = 103;
/// The CS ID map type is not registered, so the header length is unknown (RFC 3830 §6.1).
pub const MIKEY_ERR_PARSE_UNKNOWN_CS_ID_MAP: mikey_status_t = 104;
/// A codepoint that fixes a field's length (DH group, MAC alg, TS type, hash, KV) is unknown.
pub const MIKEY_ERR_PARSE_UNKNOWN_LENGTH_CODEPOINT: mikey_status_t = 105;
/// Inner length fields disagree with each other or with the payload (SP, Key ID, maps).
pub const MIKEY_ERR_PARSE_BAD_LENGTH: mikey_status_t = 106;
/// A payload stands where it may not (a sub-payload at top level, nothing after the header).
pub const MIKEY_ERR_PARSE_MISPLACED_PAYLOAD: mikey_status_t = 107;
/// The message is longer than the maximum message size (`MIKEY_DEFAULT_MAX_MESSAGE_SIZE`
/// unless configured); refused before any byte of it is read, error offset 0.
pub const MIKEY_ERR_MESSAGE_TOO_LARGE: mikey_status_t = 108;
/// A payload chain holds more than 512 payloads (256 SP payloads, RFC 3830 §6.10, and
/// room for every other payload a message carries); error offset: the first one past it.
pub const MIKEY_ERR_TOO_MANY_PAYLOADS: mikey_status_t = 109;
/// The text is not valid base64 (RFC 4566 §9, RFC 3548).
pub const MIKEY_ERR_BASE64: u32 = 110;
/// The text is not an `a=key-mgmt:mikey` attribute or RTSP `KeyMgmt` header (RFC 4567 §3),
/// or an RTSP `text/parameters` body names the `mikey` parameter more than once.
pub const MIKEY_ERR_KEY_MGMT_SYNTAX: mikey_status_t = 111;
/// A field is too long for its length field when building a message.
pub const MIKEY_ERR_FIELD_TOO_LONG: mikey_status_t = 112;

/// The message type is not one this session processes now (Error no. 11 is sent back).
pub const MIKEY_ERR_UNEXPECTED_MESSAGE: mikey_status_t = 120;
/// A payload the message type requires is missing (RFC 3830 §3.1).
pub const MIKEY_ERR_MISSING_PAYLOAD: mikey_status_t = 121;
/// The timestamp is outside the allowed clock skew (RFC 3830 §5.3); discarded.
pub const MIKEY_ERR_TIMESTAMP_OUT_OF_WINDOW: mikey_status_t = 122;
/// The timestamp type is not supported.
pub const MIKEY_ERR_UNSUPPORTED_TIMESTAMP: mikey_status_t = 123;
/// The message was already processed (RFC 3830 §5.4); discarded.
pub const MIKEY_ERR_REPLAYED: mikey_status_t = 124;
/// The replay cache is full of live entries; messages are refused until they expire.
pub const MIKEY_ERR_REPLAY_CACHE_FULL: mikey_status_t = 125;
/// The MAC did not verify (Error no. 0).
pub const MIKEY_ERR_AUTH_FAILED: mikey_status_t = 126;
/// The PRF is not supported (Error no. 2).
pub const MIKEY_ERR_UNSUPPORTED_PRF: mikey_status_t = 127;
/// The MAC algorithm is not supported or not enabled (Error no. 3).
pub const MIKEY_ERR_UNSUPPORTED_MAC: mikey_status_t = 128;
/// The KEMAC encryption algorithm is not supported or not enabled (Error no. 4).
pub const MIKEY_ERR_UNSUPPORTED_ENCRYPTION: mikey_status_t = 129;
/// An identity does not match the configured one (Error no. 7).
pub const MIKEY_ERR_IDENTITY_MISMATCH: mikey_status_t = 130;
/// A security policy is not for SRTP (Error no. 9).
pub const MIKEY_ERR_UNSUPPORTED_POLICY_TYPE: mikey_status_t = 131;
/// No offered security policy is acceptable (Error no. 10).
pub const MIKEY_ERR_UNSUPPORTED_POLICY: mikey_status_t = 132;
/// The message is for another crypto session bundle.
pub const MIKEY_ERR_CSB_MISMATCH: mikey_status_t = 133;
/// The verification message does not carry the Initiator's timestamp (RFC 3830 §5.2).
pub const MIKEY_ERR_TIMESTAMP_MISMATCH: mikey_status_t = 134;
/// The decrypted key data is unusable (Error no. 12).
pub const MIKEY_ERR_BAD_KEY_DATA: mikey_status_t = 135;
/// An update message carries a RAND (RFC 3830 §4.5; Error no. 12).
pub const MIKEY_ERR_UPDATE_WITH_RAND: mikey_status_t = 136;
/// The random number generator failed.
pub const MIKEY_ERR_RNG: mikey_status_t = 137;
/// An update I_MESSAGE whose timestamp is not newer than the one of the last I_MESSAGE
/// accepted for its CSB (RFC 3830 §4.5, §5.4): a late or reordered update, refused so that
/// older keys cannot replace newer ones; discarded without an Error message (§5.3).
pub const MIKEY_ERR_TIMESTAMP_NOT_NEWER: mikey_status_t = 138;
/// A Key validity interval (RFC 3830 §6.14, KV type Interval) that is not a range of
/// 48-bit SRTP indices (RFC 3711 §3.3.1): Valid From or Valid To empty or 2^48 or more,
/// or Valid From after Valid To (Error no. 12).
pub const MIKEY_ERR_BAD_KEY_VALIDITY: mikey_status_t = 139;
/// The CSB ID of the I_MESSAGE an Initiator is resumed from is held by a live Initiator
/// session of the same config (RFC 3830 §6.1: CSB IDs must not collide); free that session
/// first.
pub const MIKEY_ERR_CSB_ID_IN_USE: mikey_status_t = 140;
/// No MIKEY message where one was looked for: the SDP description has no
/// `a=key-mgmt:mikey` attribute that applies to the media section asked for (none in that
/// section and none at the session level, RFC 4567 §3.1), or the RTSP `text/parameters`
/// body has no value of the `mikey` parameter (RFC 2326 §10.8, §10.9; ONVIF Streaming
/// Specification).
pub const MIKEY_ERR_NO_KEY_MGMT: mikey_status_t = 141;
/// A SIGN payload did not verify with the signer's certificate (RFC 3830 §5.3, §6.5;
/// Error no. 0 sent unauthenticated).
pub const MIKEY_ERR_SIGNATURE_INVALID: mikey_status_t = 142;
/// A SIGN payload of an S type other than RSA PKCS#1 v1.5 (0) or RSA-PSS (1) (RFC 3830
/// §6.5; Error no. 12).
pub const MIKEY_ERR_UNSUPPORTED_SIGNATURE: mikey_status_t = 143;
/// The peer's certificate was not accepted: not parsed, no path to a trust anchor,
/// expired or not yet valid, a key usage that does not allow the use, a certificate by URL
/// with no resolver, or not the configured (pinned) peer certificate (RFC 3830 §4.3,
/// §6.7; RFC 5280 §6.1; Error no. 8). The detail names the cause.
pub const MIKEY_ERR_CERTIFICATE: mikey_status_t = 144;
/// The peer's certificate does not name the identity its message claims (ID payload or
/// the IDi inside the KEMAC; RFC 3830 §3.2, §6.7; Error no. 7).
pub const MIKEY_ERR_CERTIFICATE_IDENTITY: mikey_status_t = 145;
/// The peer's RSA public key is not usable: under 2048 or over 8192 bits, or not RSA
/// (Error no. 8).
pub const MIKEY_ERR_PEER_KEY: mikey_status_t = 146;
/// This endpoint's private key could not sign or decrypt, or libcrypto could not compute
/// its DH value (an allocation failed) (local; no Error message).
pub const MIKEY_ERR_LOCAL_KEY: mikey_status_t = 147;
/// A CHASH payload with MD5 or an unknown Hash func (RFC 3830 §6.8; Error no. 5).
pub const MIKEY_ERR_UNSUPPORTED_HASH: mikey_status_t = 148;
/// A private key or certificate given to the config builder could not be read: not DER or
/// PEM of the expected kind, an RSA key outside 2048..=8192 bits (the detail says why).
pub const MIKEY_ERR_BAD_CREDENTIAL: mikey_status_t = 149;
/// An answer that breaks a rule of its method (discarded silently; the detail names the
/// rule and its section): RFC 4738 §3.6-3.7 (a RAND from both sides or neither, a group
/// CSB_ID in unicast or none in a group answer), RFC 3830 §3.3 (a DH answer that does not
/// echo the Initiator's DH value), RFC 5197 §5.2 (a second answer from one Responder).
pub const MIKEY_ERR_BAD_ANSWER: mikey_status_t = 150;
/// A DH value that is not usable: not the group's length, or outside 2..p-2 (RFC 3830
/// §6.4; Error no. 6).
pub const MIKEY_ERR_BAD_DH_VALUE: mikey_status_t = 151;
/// A DH-Group this configuration does not use (RFC 3830 Table 6.4; Error no. 6).
pub const MIKEY_ERR_UNSUPPORTED_DH_GROUP: mikey_status_t = 152;
/// The I_MESSAGE's SDP IDs extension does not list the key management protocols of the
/// offer that carried it, or a multi-protocol offer came without it (RFC 4567 §4.1.4:
/// bidding-down); reject the offer.
pub const MIKEY_ERR_BIDDING_DOWN: mikey_status_t = 153;
/// The application's COUNTER store callback (`mikey_config_builder_set_counter_store`)
/// returned failure: the I_MESSAGE was not built, or the received one not accepted (its
/// COUNTER could be used again after a restart; RFC 3830 §5.4). Nothing changed.
pub const MIKEY_ERR_COUNTER_STORE: mikey_status_t = 154;
/// The peer sent an authenticated Error message; the status is this value plus the first
/// Error no. (RFC 3830 Table 6.12, IANA "Error no" registry), e.g. 210 for Error no. 10
/// (Invalid SPpar). Error nos. above 55 give 255; an Error message without an ERR
/// payload gives 212 (Error no. 12, Unspecified error). Statuses 200..=255 are this kind.
pub const MIKEY_ERR_PEER_ERROR: mikey_status_t = 200;
/// The peer sent an Error message without a verifying V payload, or not for the
/// I_MESSAGE sent (only a hint, RFC 3830 §5.1.2); the status is this value plus the first
/// Error no., with the same limits: 300..=355.
pub const MIKEY_ERR_PEER_ERROR_UNAUTHENTICATED: mikey_status_t = 300;

/// Returns a static, NUL-terminated description of `status`; never NULL.
/// Unknown values give "unknown status".
#[unsafe(no_mangle)]
pub extern "C" fn mikey_status_str(status: mikey_status_t) -> *const c_char {
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
        MIKEY_ERR_MESSAGE_TOO_LARGE => c"message longer than the maximum message size",
        MIKEY_ERR_TOO_MANY_PAYLOADS => c"too many payloads in one chain",
        MIKEY_ERR_BASE64 => c"invalid base64",
        MIKEY_ERR_KEY_MGMT_SYNTAX => c"not a key-mgmt attribute, KeyMgmt header or mikey parameter",
        MIKEY_ERR_FIELD_TOO_LONG => c"field too long for its length field",
        MIKEY_ERR_WRONG_STATE => c"not allowed in the session's current state",
        MIKEY_ERR_CONFIG => c"configuration incomplete or inconsistent",
        MIKEY_RETRANSMISSION => {
            c"retransmission of the last accepted I_MESSAGE: the same reply as before, nothing changed"
        }
        MIKEY_ERR_UNEXPECTED_MESSAGE => c"unexpected message type",
        MIKEY_ERR_MISSING_PAYLOAD => c"required payload missing",
        MIKEY_ERR_TIMESTAMP_OUT_OF_WINDOW => c"timestamp outside the allowed clock skew",
        MIKEY_ERR_UNSUPPORTED_TIMESTAMP => c"timestamp type not supported",
        MIKEY_ERR_REPLAYED => c"replayed message",
        MIKEY_ERR_REPLAY_CACHE_FULL => c"replay cache full",
        MIKEY_ERR_AUTH_FAILED => c"authentication failed",
        MIKEY_ERR_UNSUPPORTED_PRF => c"PRF not supported",
        MIKEY_ERR_UNSUPPORTED_MAC => c"MAC algorithm not supported or not enabled",
        MIKEY_ERR_UNSUPPORTED_ENCRYPTION => c"encryption algorithm not supported or not enabled",
        MIKEY_ERR_IDENTITY_MISMATCH => c"identity does not match",
        MIKEY_ERR_UNSUPPORTED_POLICY_TYPE => c"security policy type not supported",
        MIKEY_ERR_UNSUPPORTED_POLICY => c"no acceptable security policy",
        MIKEY_ERR_CSB_MISMATCH => c"message is for another CSB",
        MIKEY_ERR_TIMESTAMP_MISMATCH => c"verification message timestamp mismatch",
        MIKEY_ERR_BAD_KEY_DATA => c"unusable key data",
        MIKEY_ERR_UPDATE_WITH_RAND => c"update message carries a RAND",
        MIKEY_ERR_RNG => c"random number generator failed",
        MIKEY_ERR_TIMESTAMP_NOT_NEWER => c"update timestamp not newer than the last accepted",
        MIKEY_ERR_BAD_KEY_VALIDITY => c"key validity interval is not an SRTP index range",
        MIKEY_ERR_CSB_ID_IN_USE => c"CSB ID held by a live session of this configuration",
        MIKEY_ERR_NO_KEY_MGMT => {
            c"no MIKEY message: no a=key-mgmt:mikey for this media, or no mikey parameter value"
        }
        MIKEY_ERR_SIGNATURE_INVALID => c"signature does not verify",
        MIKEY_ERR_UNSUPPORTED_SIGNATURE => c"signature type not supported",
        MIKEY_ERR_CERTIFICATE => c"peer certificate not accepted",
        MIKEY_ERR_CERTIFICATE_IDENTITY => c"peer certificate does not name the identity of the message",
        MIKEY_ERR_PEER_KEY => c"peer public key not usable",
        MIKEY_ERR_LOCAL_KEY => c"private key operation failed",
        MIKEY_ERR_UNSUPPORTED_HASH => c"CHASH hash function not supported",
        MIKEY_ERR_BAD_CREDENTIAL => c"private key or certificate cannot be read",
        MIKEY_ERR_BAD_ANSWER => c"answer breaks a rule of its key exchange method",
        MIKEY_ERR_BAD_DH_VALUE => c"DH value not usable",
        MIKEY_ERR_UNSUPPORTED_DH_GROUP => c"DH group not supported or not configured",
        MIKEY_ERR_BIDDING_DOWN => c"key management protocol list altered (bidding-down)",
        MIKEY_ERR_COUNTER_STORE => c"the COUNTER store did not persist the timestamp",
        200..=255 => peer_error_text(status - MIKEY_ERR_PEER_ERROR, true),
        300..=355 => peer_error_text(status - MIKEY_ERR_PEER_ERROR_UNAUTHENTICATED, false),
        _ => c"unknown status",
    }
}

/// Texts of the peer-error statuses: one per registered Error no. (RFC 3830 Table 6.12,
/// RFC 4738 §3.9.2, RFC 6043 §6.9), and one for unregistered numbers.
fn peer_error_text(error_no: u32, authenticated: bool) -> &'static std::ffi::CStr {
    const AUTHENTICATED: [&std::ffi::CStr; 16] = [
        c"peer error 0: Auth failure",
        c"peer error 1: Invalid TS",
        c"peer error 2: Invalid PRF",
        c"peer error 3: Invalid MAC",
        c"peer error 4: Invalid EA",
        c"peer error 5: Invalid HA",
        c"peer error 6: Invalid DH",
        c"peer error 7: Invalid ID",
        c"peer error 8: Invalid Cert",
        c"peer error 9: Invalid SP",
        c"peer error 10: Invalid SPpar",
        c"peer error 11: Invalid DT",
        c"peer error 12: Unspecified error",
        c"peer error 13: Unsupported message type",
        c"peer error 14: Invalid TICKET",
        c"peer error 15: Invalid TPpar",
    ];
    const UNAUTHENTICATED: [&std::ffi::CStr; 16] = [
        c"unauthenticated peer error 0: Auth failure",
        c"unauthenticated peer error 1: Invalid TS",
        c"unauthenticated peer error 2: Invalid PRF",
        c"unauthenticated peer error 3: Invalid MAC",
        c"unauthenticated peer error 4: Invalid EA",
        c"unauthenticated peer error 5: Invalid HA",
        c"unauthenticated peer error 6: Invalid DH",
        c"unauthenticated peer error 7: Invalid ID",
        c"unauthenticated peer error 8: Invalid Cert",
        c"unauthenticated peer error 9: Invalid SP",
        c"unauthenticated peer error 10: Invalid SPpar",
        c"unauthenticated peer error 11: Invalid DT",
        c"unauthenticated peer error 12: Unspecified error",
        c"unauthenticated peer error 13: Unsupported message type",
        c"unauthenticated peer error 14: Invalid TICKET",
        c"unauthenticated peer error 15: Invalid TPpar",
    ];
    let table = if authenticated {
        &AUTHENTICATED
    } else {
        &UNAUTHENTICATED
    };
    match table.get(error_no as usize) {
        Some(text) => text,
        None if authenticated => c"peer error: unregistered Error no.",
        None => c"unauthenticated peer error: unregistered Error no.",
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
            MIKEY_ERR_MESSAGE_TOO_LARGE,
            MIKEY_ERR_TOO_MANY_PAYLOADS,
            MIKEY_ERR_BASE64,
            MIKEY_ERR_KEY_MGMT_SYNTAX,
            MIKEY_ERR_FIELD_TOO_LONG,
            MIKEY_ERR_WRONG_STATE,
            MIKEY_ERR_CONFIG,
            MIKEY_RETRANSMISSION,
            MIKEY_ERR_UNEXPECTED_MESSAGE,
            MIKEY_ERR_MISSING_PAYLOAD,
            MIKEY_ERR_TIMESTAMP_OUT_OF_WINDOW,
            MIKEY_ERR_UNSUPPORTED_TIMESTAMP,
            MIKEY_ERR_REPLAYED,
            MIKEY_ERR_REPLAY_CACHE_FULL,
            MIKEY_ERR_AUTH_FAILED,
            MIKEY_ERR_UNSUPPORTED_PRF,
            MIKEY_ERR_UNSUPPORTED_MAC,
            MIKEY_ERR_UNSUPPORTED_ENCRYPTION,
            MIKEY_ERR_IDENTITY_MISMATCH,
            MIKEY_ERR_UNSUPPORTED_POLICY_TYPE,
            MIKEY_ERR_UNSUPPORTED_POLICY,
            MIKEY_ERR_CSB_MISMATCH,
            MIKEY_ERR_TIMESTAMP_MISMATCH,
            MIKEY_ERR_BAD_KEY_DATA,
            MIKEY_ERR_UPDATE_WITH_RAND,
            MIKEY_ERR_RNG,
            MIKEY_ERR_TIMESTAMP_NOT_NEWER,
            MIKEY_ERR_BAD_KEY_VALIDITY,
            MIKEY_ERR_CSB_ID_IN_USE,
            MIKEY_ERR_NO_KEY_MGMT,
            MIKEY_ERR_SIGNATURE_INVALID,
            MIKEY_ERR_UNSUPPORTED_SIGNATURE,
            MIKEY_ERR_CERTIFICATE,
            MIKEY_ERR_CERTIFICATE_IDENTITY,
            MIKEY_ERR_PEER_KEY,
            MIKEY_ERR_LOCAL_KEY,
            MIKEY_ERR_UNSUPPORTED_HASH,
            MIKEY_ERR_BAD_CREDENTIAL,
            MIKEY_ERR_BAD_ANSWER,
            MIKEY_ERR_BAD_DH_VALUE,
            MIKEY_ERR_UNSUPPORTED_DH_GROUP,
            MIKEY_ERR_BIDDING_DOWN,
            MIKEY_ERR_COUNTER_STORE,
            MIKEY_ERR_PEER_ERROR,
            MIKEY_ERR_PEER_ERROR + 10,
            MIKEY_ERR_PEER_ERROR + 55,
            MIKEY_ERR_PEER_ERROR_UNAUTHENTICATED,
            MIKEY_ERR_PEER_ERROR_UNAUTHENTICATED + 10,
            MIKEY_ERR_PEER_ERROR_UNAUTHENTICATED + 55,
        ];
        let texts: std::collections::HashSet<_> = all.iter().map(|s| status_text(*s)).collect();
        assert_eq!(texts.len(), all.len());
        assert!(!texts.contains(c"unknown status"));
        assert_eq!(status_text(9999), c"unknown status");
    }
}
