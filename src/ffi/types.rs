//! The named integer types of the C API. Every value crossing the boundary is a
//! fixed-width integer, never a Rust enum or `bool`: an out-of-range value from C is then
//! an ordinary number that the callee refuses with MIKEY_ERR_INVALID_ARGUMENT, not
//! undefined behaviour before any check runs.

#![allow(non_camel_case_types)]

/// A status: `MIKEY_OK` (0) or a `MIKEY_ERR_*` value (`mikey_status_str` names it).
/// Returned by every function that can fail.
pub type mikey_status_t = u32;
/// A boolean: 0 (false) or 1 (true). Any other value given to a function gives
/// MIKEY_ERR_INVALID_ARGUMENT. One byte, like C99 `bool` on every Linux ABI, so a `bool`
/// may be passed where a `mikey_bool_t` is expected.
pub type mikey_bool_t = u8;
/// Key exchange mode: `MIKEY_MODE_*`.
pub type mikey_mode_t = u32;
/// Role of a session: `MIKEY_ROLE_*`.
pub type mikey_role_t = u32;
/// State of a session: `MIKEY_STATE_*`.
pub type mikey_state_t = u32;
/// What the Initiator's KEMAC carries: `MIKEY_KEY_TRANSPORT_*`.
pub type mikey_key_transport_t = u32;
/// What the verification MAC covers: `MIKEY_VERIFICATION_*`.
pub type mikey_verification_input_t = u32;
/// SRTP protection profile: `MIKEY_SRTP_*` (libsrtp's `srtp_profile_t` numbers).
pub type mikey_srtp_profile_t = u32;
/// Lifetime kind of an SRTP key: `MIKEY_LIFETIME_*`.
pub type mikey_lifetime_t = u32;
/// Level of a log message: `MIKEY_LOG_*`.
pub type mikey_log_level_t = u32;
/// KEMAC encryption algorithm: `MIKEY_ENCR_*` (RFC 3830 Table 6.2.a).
pub type mikey_encr_alg_t = u32;
/// KEMAC and V MAC algorithm: `MIKEY_MAC_*` (RFC 3830 Table 6.2.b).
pub type mikey_mac_alg_t = u32;
/// PRF function: `MIKEY_PRF_*` (RFC 3830 Table 6.1.c).
pub type mikey_prf_t = u32;
/// Timestamp type: `MIKEY_TS_*` (RFC 3830 Table 6.6).
pub type mikey_ts_type_t = u32;
/// Identity type: `MIKEY_ID_*` (RFC 3830 Table 6.7.a).
pub type mikey_id_type_t = u32;
/// Payload type (a Next payload value): `MIKEY_PAYLOAD_*` (RFC 3830 Table 6.1.b).
pub type mikey_payload_type_t = u32;
/// Level of an SDP attribute (RFC 4567 §3.1): `MIKEY_SDP_LEVEL_*`.
pub type mikey_sdp_level_t = u32;
/// SIGN payload S type: `MIKEY_SIGN_*` (RFC 3830 Table 6.5).
pub type mikey_sign_type_t = u32;
/// CHASH Hash func: `MIKEY_HASH_*` (RFC 3830 Table 6.8).
pub type mikey_hash_func_t = u32;
/// PKE envelope key cache indicator: `MIKEY_PKE_*` (RFC 3830 §6.3).
pub type mikey_pke_cache_t = u32;

/// DH group: `MIKEY_DH_OAKLEY_*` (RFC 3830 Table 6.4).
pub type mikey_dh_group_t = u32;
/// General Extension type: `MIKEY_EXT_*` (RFC 3830 Table 6.15 and its IANA registry).
pub type mikey_ext_type_t = u32;
/// Key data type of a KEMAC key: `MIKEY_KEY_DATA_*` (RFC 3830 Table 6.13.a).
pub type mikey_key_data_type_t = u32;
