//! `#define`s for every MIKEY codepoint the C API takes or returns, so that no C program
//! writes a raw RFC number. Values are the IANA "MIKEY Payload Name Spaces" registry
//! (RFC 3830 §6 tables and later registrations), the same as the Rust wire enums
//! (`tests/c_codepoints.rs` checks that they agree and that none is missing).

// These constants exist for C (include/mikey.h); Rust code uses the wire enums.
#![allow(dead_code)]

use super::types::*;

// Common Header data type (message type) (RFC 3830 Table 6.1.a; RFC 4650 §4.1, 4738 §3.9.1, 6043 §6.1, 6267 §6.1, 6509 §4.1).

/// Common Header data type (message type) "Pre-shared" (RFC 3830 Table 6.1.a; RFC 4650 §4.1, 4738 §3.9.1, 6043 §6.1, 6267 §6.1, 6509 §4.1).
pub const MIKEY_DATA_TYPE_PRE_SHARED: u32 = 0;
/// Common Header data type (message type) "PSK ver msg" (RFC 3830 Table 6.1.a; RFC 4650 §4.1, 4738 §3.9.1, 6043 §6.1, 6267 §6.1, 6509 §4.1).
pub const MIKEY_DATA_TYPE_PSK_VERIFICATION: u32 = 1;
/// Common Header data type (message type) "Public key" (RFC 3830 Table 6.1.a; RFC 4650 §4.1, 4738 §3.9.1, 6043 §6.1, 6267 §6.1, 6509 §4.1).
pub const MIKEY_DATA_TYPE_PUBLIC_KEY: u32 = 2;
/// Common Header data type (message type) "PK ver msg" (RFC 3830 Table 6.1.a; RFC 4650 §4.1, 4738 §3.9.1, 6043 §6.1, 6267 §6.1, 6509 §4.1).
pub const MIKEY_DATA_TYPE_PK_VERIFICATION: u32 = 3;
/// Common Header data type (message type) "D-H init" (RFC 3830 Table 6.1.a; RFC 4650 §4.1, 4738 §3.9.1, 6043 §6.1, 6267 §6.1, 6509 §4.1).
pub const MIKEY_DATA_TYPE_DH_INIT: u32 = 4;
/// Common Header data type (message type) "D-H resp" (RFC 3830 Table 6.1.a; RFC 4650 §4.1, 4738 §3.9.1, 6043 §6.1, 6267 §6.1, 6509 §4.1).
pub const MIKEY_DATA_TYPE_DH_RESP: u32 = 5;
/// Common Header data type (message type) "Error" (RFC 3830 Table 6.1.a; RFC 4650 §4.1, 4738 §3.9.1, 6043 §6.1, 6267 §6.1, 6509 §4.1).
pub const MIKEY_DATA_TYPE_ERROR: u32 = 6;
/// Common Header data type (message type) "DHHMAC init" (RFC 3830 Table 6.1.a; RFC 4650 §4.1, 4738 §3.9.1, 6043 §6.1, 6267 §6.1, 6509 §4.1).
pub const MIKEY_DATA_TYPE_DH_HMAC_INIT: u32 = 7;
/// Common Header data type (message type) "DHHMAC resp" (RFC 3830 Table 6.1.a; RFC 4650 §4.1, 4738 §3.9.1, 6043 §6.1, 6267 §6.1, 6509 §4.1).
pub const MIKEY_DATA_TYPE_DH_HMAC_RESP: u32 = 8;
/// Common Header data type (message type) "RSA-R I_MSG" (RFC 3830 Table 6.1.a; RFC 4650 §4.1, 4738 §3.9.1, 6043 §6.1, 6267 §6.1, 6509 §4.1).
pub const MIKEY_DATA_TYPE_RSA_R_INIT: u32 = 9;
/// Common Header data type (message type) "RSA-R R_MSG" (RFC 3830 Table 6.1.a; RFC 4650 §4.1, 4738 §3.9.1, 6043 §6.1, 6267 §6.1, 6509 §4.1).
pub const MIKEY_DATA_TYPE_RSA_R_RESP: u32 = 10;
/// Common Header data type (message type) "REQUEST_INIT_PSK" (RFC 3830 Table 6.1.a; RFC 4650 §4.1, 4738 §3.9.1, 6043 §6.1, 6267 §6.1, 6509 §4.1).
pub const MIKEY_DATA_TYPE_REQUEST_INIT_PSK: u32 = 11;
/// Common Header data type (message type) "REQUEST_INIT_PK" (RFC 3830 Table 6.1.a; RFC 4650 §4.1, 4738 §3.9.1, 6043 §6.1, 6267 §6.1, 6509 §4.1).
pub const MIKEY_DATA_TYPE_REQUEST_INIT_PK: u32 = 12;
/// Common Header data type (message type) "REQUEST_RESP" (RFC 3830 Table 6.1.a; RFC 4650 §4.1, 4738 §3.9.1, 6043 §6.1, 6267 §6.1, 6509 §4.1).
pub const MIKEY_DATA_TYPE_REQUEST_RESP: u32 = 13;
/// Common Header data type (message type) "TRANSFER_INIT" (RFC 3830 Table 6.1.a; RFC 4650 §4.1, 4738 §3.9.1, 6043 §6.1, 6267 §6.1, 6509 §4.1).
pub const MIKEY_DATA_TYPE_TRANSFER_INIT: u32 = 14;
/// Common Header data type (message type) "TRANSFER_RESP" (RFC 3830 Table 6.1.a; RFC 4650 §4.1, 4738 §3.9.1, 6043 §6.1, 6267 §6.1, 6509 §4.1).
pub const MIKEY_DATA_TYPE_TRANSFER_RESP: u32 = 15;
/// Common Header data type (message type) "RESOLVE_INIT_PSK" (RFC 3830 Table 6.1.a; RFC 4650 §4.1, 4738 §3.9.1, 6043 §6.1, 6267 §6.1, 6509 §4.1).
pub const MIKEY_DATA_TYPE_RESOLVE_INIT_PSK: u32 = 16;
/// Common Header data type (message type) "RESOLVE_INIT_PK" (RFC 3830 Table 6.1.a; RFC 4650 §4.1, 4738 §3.9.1, 6043 §6.1, 6267 §6.1, 6509 §4.1).
pub const MIKEY_DATA_TYPE_RESOLVE_INIT_PK: u32 = 17;
/// Common Header data type (message type) "RESOLVE_RESP" (RFC 3830 Table 6.1.a; RFC 4650 §4.1, 4738 §3.9.1, 6043 §6.1, 6267 §6.1, 6509 §4.1).
pub const MIKEY_DATA_TYPE_RESOLVE_RESP: u32 = 18;
/// Common Header data type (message type) "REQUEST_KEY_PSK" (RFC 3830 Table 6.1.a; RFC 4650 §4.1, 4738 §3.9.1, 6043 §6.1, 6267 §6.1, 6509 §4.1).
pub const MIKEY_DATA_TYPE_REQUEST_KEY_PSK: u32 = 19;
/// Common Header data type (message type) "REQUEST_KEY_PKE" (RFC 3830 Table 6.1.a; RFC 4650 §4.1, 4738 §3.9.1, 6043 §6.1, 6267 §6.1, 6509 §4.1).
pub const MIKEY_DATA_TYPE_REQUEST_KEY_PKE: u32 = 20;
/// Common Header data type (message type) "REQUEST_KEY_RESP" (RFC 3830 Table 6.1.a; RFC 4650 §4.1, 4738 §3.9.1, 6043 §6.1, 6267 §6.1, 6509 §4.1).
pub const MIKEY_DATA_TYPE_REQUEST_KEY_RESP: u32 = 21;
/// Common Header data type (message type) "I_MESSAGE_1" (RFC 3830 Table 6.1.a; RFC 4650 §4.1, 4738 §3.9.1, 6043 §6.1, 6267 §6.1, 6509 §4.1).
pub const MIKEY_DATA_TYPE_IBAKE_INIT_1: u32 = 22;
/// Common Header data type (message type) "R_MESSAGE_1" (RFC 3830 Table 6.1.a; RFC 4650 §4.1, 4738 §3.9.1, 6043 §6.1, 6267 §6.1, 6509 §4.1).
pub const MIKEY_DATA_TYPE_IBAKE_RESP_1: u32 = 23;
/// Common Header data type (message type) "I_MESSAGE_2" (RFC 3830 Table 6.1.a; RFC 4650 §4.1, 4738 §3.9.1, 6043 §6.1, 6267 §6.1, 6509 §4.1).
pub const MIKEY_DATA_TYPE_IBAKE_INIT_2: u32 = 24;
/// Common Header data type (message type) "R_MESSAGE_2" (RFC 3830 Table 6.1.a; RFC 4650 §4.1, 4738 §3.9.1, 6043 §6.1, 6267 §6.1, 6509 §4.1).
pub const MIKEY_DATA_TYPE_IBAKE_RESP_2: u32 = 25;
/// Common Header data type (message type) "SAKKE msg" (RFC 3830 Table 6.1.a; RFC 4650 §4.1, 4738 §3.9.1, 6043 §6.1, 6267 §6.1, 6509 §4.1).
pub const MIKEY_DATA_TYPE_SAKKE: u32 = 26;

// Next payload / payload type (RFC 3830 Table 6.1.b and later registrations).

/// Next payload / payload type "Last payload" (RFC 3830 Table 6.1.b and later registrations).
pub const MIKEY_PAYLOAD_LAST: mikey_payload_type_t = 0;
/// Next payload / payload type "KEMAC" (RFC 3830 Table 6.1.b and later registrations).
pub const MIKEY_PAYLOAD_KEMAC: mikey_payload_type_t = 1;
/// Next payload / payload type "PKE" (RFC 3830 Table 6.1.b and later registrations).
pub const MIKEY_PAYLOAD_PKE: mikey_payload_type_t = 2;
/// Next payload / payload type "DH" (RFC 3830 Table 6.1.b and later registrations).
pub const MIKEY_PAYLOAD_DH: mikey_payload_type_t = 3;
/// Next payload / payload type "SIGN" (RFC 3830 Table 6.1.b and later registrations).
pub const MIKEY_PAYLOAD_SIGN: mikey_payload_type_t = 4;
/// Next payload / payload type "T" (RFC 3830 Table 6.1.b and later registrations).
pub const MIKEY_PAYLOAD_TIMESTAMP: mikey_payload_type_t = 5;
/// Next payload / payload type "ID" (RFC 3830 Table 6.1.b and later registrations).
pub const MIKEY_PAYLOAD_ID: mikey_payload_type_t = 6;
/// Next payload / payload type "CERT" (RFC 3830 Table 6.1.b and later registrations).
pub const MIKEY_PAYLOAD_CERT: mikey_payload_type_t = 7;
/// Next payload / payload type "CHASH" (RFC 3830 Table 6.1.b and later registrations).
pub const MIKEY_PAYLOAD_CHASH: mikey_payload_type_t = 8;
/// Next payload / payload type "V" (RFC 3830 Table 6.1.b and later registrations).
pub const MIKEY_PAYLOAD_VERIFICATION: mikey_payload_type_t = 9;
/// Next payload / payload type "SP" (RFC 3830 Table 6.1.b and later registrations).
pub const MIKEY_PAYLOAD_SECURITY_POLICY: mikey_payload_type_t = 10;
/// Next payload / payload type "RAND" (RFC 3830 Table 6.1.b and later registrations).
pub const MIKEY_PAYLOAD_RAND: mikey_payload_type_t = 11;
/// Next payload / payload type "ERR" (RFC 3830 Table 6.1.b and later registrations).
pub const MIKEY_PAYLOAD_ERROR: mikey_payload_type_t = 12;
/// Next payload / payload type "TR" (RFC 3830 Table 6.1.b and later registrations).
pub const MIKEY_PAYLOAD_TIMESTAMP_ROLE: mikey_payload_type_t = 13;
/// Next payload / payload type "IDR" (RFC 3830 Table 6.1.b and later registrations).
pub const MIKEY_PAYLOAD_ID_ROLE: mikey_payload_type_t = 14;
/// Next payload / payload type "RANDR" (RFC 3830 Table 6.1.b and later registrations).
pub const MIKEY_PAYLOAD_RAND_ROLE: mikey_payload_type_t = 15;
/// Next payload / payload type "TP" (RFC 3830 Table 6.1.b and later registrations).
pub const MIKEY_PAYLOAD_TICKET_POLICY: mikey_payload_type_t = 16;
/// Next payload / payload type "TICKET" (RFC 3830 Table 6.1.b and later registrations).
pub const MIKEY_PAYLOAD_TICKET: mikey_payload_type_t = 17;
/// Next payload / payload type "Key data" (RFC 3830 Table 6.1.b and later registrations).
pub const MIKEY_PAYLOAD_KEY_DATA: mikey_payload_type_t = 20;
/// Next payload / payload type "General Ext." (RFC 3830 Table 6.1.b and later registrations).
pub const MIKEY_PAYLOAD_GENERAL_EXTENSION: mikey_payload_type_t = 21;
/// Next payload / payload type "IBAKE" (RFC 3830 Table 6.1.b and later registrations).
pub const MIKEY_PAYLOAD_IBAKE: mikey_payload_type_t = 22;
/// Next payload / payload type "ESK" (RFC 3830 Table 6.1.b and later registrations).
pub const MIKEY_PAYLOAD_ENCRYPTED_SECRET_KEY: mikey_payload_type_t = 23;
/// Next payload / payload type "SK" (RFC 3830 Table 6.1.b and later registrations).
pub const MIKEY_PAYLOAD_SECRET_KEY: mikey_payload_type_t = 24;
/// Next payload / payload type "ECCPT" (RFC 3830 Table 6.1.b and later registrations).
pub const MIKEY_PAYLOAD_ECC_POINT: mikey_payload_type_t = 25;
/// Next payload / payload type "SAKKE" (RFC 3830 Table 6.1.b and later registrations).
pub const MIKEY_PAYLOAD_SAKKE: mikey_payload_type_t = 26;

// PRF func (RFC 3830 Table 6.1.c; RFC 6043 §6.1).

/// PRF func "MIKEY-1" (RFC 3830 Table 6.1.c; RFC 6043 §6.1).
pub const MIKEY_PRF_MIKEY_1: mikey_prf_t = 0;
/// PRF func "PRF-HMAC-SHA-256" (RFC 3830 Table 6.1.c; RFC 6043 §6.1).
pub const MIKEY_PRF_HMAC_SHA256: mikey_prf_t = 1;

// CS ID map type (RFC 3830 Table 6.1.d; RFC 4563 §5; RFC 6043 §6.1.1).

/// CS ID map type "SRTP-ID" (RFC 3830 Table 6.1.d; RFC 4563 §5; RFC 6043 §6.1.1).
pub const MIKEY_CS_ID_MAP_SRTP_ID: u32 = 0;
/// CS ID map type "Empty map" (RFC 3830 Table 6.1.d; RFC 4563 §5; RFC 6043 §6.1.1).
pub const MIKEY_CS_ID_MAP_EMPTY: u32 = 1;
/// CS ID map type "GENERIC-ID" (RFC 3830 Table 6.1.d; RFC 4563 §5; RFC 6043 §6.1.1).
pub const MIKEY_CS_ID_MAP_GENERIC_ID: u32 = 2;

// KEMAC encryption algorithm (RFC 3830 Table 6.2.a; RFC 6043 §6.2).

/// KEMAC encryption algorithm "NULL" (RFC 3830 Table 6.2.a; RFC 6043 §6.2).
pub const MIKEY_ENCR_NULL: mikey_encr_alg_t = 0;
/// KEMAC encryption algorithm "AES-CM-128" (RFC 3830 Table 6.2.a; RFC 6043 §6.2).
pub const MIKEY_ENCR_AES_CM_128: mikey_encr_alg_t = 1;
/// KEMAC encryption algorithm "AES-KW-128" (RFC 3830 Table 6.2.a; RFC 6043 §6.2).
pub const MIKEY_ENCR_AES_KW_128: mikey_encr_alg_t = 2;
/// KEMAC encryption algorithm "AES-CM-256" (RFC 3830 Table 6.2.a; RFC 6043 §6.2).
pub const MIKEY_ENCR_AES_CM_256: mikey_encr_alg_t = 3;

// KEMAC MAC / V Auth algorithm (RFC 3830 Table 6.2.b; RFC 6043 §6.2).

/// KEMAC MAC / V Auth algorithm "NULL" (RFC 3830 Table 6.2.b; RFC 6043 §6.2).
pub const MIKEY_MAC_NULL: mikey_mac_alg_t = 0;
/// KEMAC MAC / V Auth algorithm "HMAC-SHA-1-160" (RFC 3830 Table 6.2.b; RFC 6043 §6.2).
pub const MIKEY_MAC_HMAC_SHA1_160: mikey_mac_alg_t = 1;
/// KEMAC MAC / V Auth algorithm "HMAC-SHA-256-256" (RFC 3830 Table 6.2.b; RFC 6043 §6.2).
pub const MIKEY_MAC_HMAC_SHA256_256: mikey_mac_alg_t = 2;

// DH-Group (RFC 3830 Table 6.4).

/// DH-Group "OAKLEY 5" (RFC 3830 Table 6.4).
pub const MIKEY_DH_OAKLEY_5: mikey_dh_group_t = 0;
/// DH-Group "OAKLEY 1" (RFC 3830 Table 6.4).
pub const MIKEY_DH_OAKLEY_1: mikey_dh_group_t = 1;
/// DH-Group "OAKLEY 2" (RFC 3830 Table 6.4).
pub const MIKEY_DH_OAKLEY_2: mikey_dh_group_t = 2;
/// DH-Group ECDH P-256 of the ECC profile (draft-ietf-msec-mikey-ecc-03 §3; never
/// registered: needs `mikey_config_builder_set_ecc_profile`).
pub const MIKEY_DH_P256: mikey_dh_group_t = 10;
/// DH-Group ECDH P-384 of the ECC profile (draft-ietf-msec-mikey-ecc-03 §3; never
/// registered: needs `mikey_config_builder_set_ecc_profile`).
pub const MIKEY_DH_P384: mikey_dh_group_t = 13;

// SIGN S type (RFC 3830 Table 6.5; RFC 6509 §4.3).

/// SIGN S type "RSA/PKCS#1/1.5" (RFC 3830 Table 6.5; RFC 6509 §4.3).
pub const MIKEY_SIGN_RSA_PKCS1_V15: u32 = 0;
/// SIGN S type "RSA/PSS" (RFC 3830 Table 6.5; RFC 6509 §4.3).
pub const MIKEY_SIGN_RSA_PSS: u32 = 1;
/// SIGN S type "ECCSI" (RFC 3830 Table 6.5; RFC 6509 §4.3).
pub const MIKEY_SIGN_ECCSI: u32 = 2;

// TS type (RFC 3830 Table 6.6; RFC 6043 §6.3).

/// TS type "NTP-UTC" (RFC 3830 Table 6.6; RFC 6043 §6.3).
pub const MIKEY_TS_NTP_UTC: mikey_ts_type_t = 0;
/// TS type "NTP" (RFC 3830 Table 6.6; RFC 6043 §6.3).
pub const MIKEY_TS_NTP: mikey_ts_type_t = 1;
/// TS type "COUNTER" (RFC 3830 Table 6.6; RFC 6043 §6.3).
pub const MIKEY_TS_COUNTER: mikey_ts_type_t = 2;
/// TS type "NTP-UTC-32" (RFC 3830 Table 6.6; RFC 6043 §6.3).
pub const MIKEY_TS_NTP_UTC_32: mikey_ts_type_t = 3;

// ID type (RFC 3830 Table 6.7.a; RFC 6043 §6.5).

/// ID type "NAI" (RFC 3830 Table 6.7.a; RFC 6043 §6.5).
pub const MIKEY_ID_NAI: mikey_id_type_t = 0;
/// ID type "URI" (RFC 3830 Table 6.7.a; RFC 6043 §6.5).
pub const MIKEY_ID_URI: mikey_id_type_t = 1;
/// ID type "Byte string" (RFC 3830 Table 6.7.a; RFC 6043 §6.5).
pub const MIKEY_ID_BYTE_STRING: mikey_id_type_t = 2;

// Cert type (RFC 3830 Table 6.7.b).

/// Cert type "X.509v3" (RFC 3830 Table 6.7.b).
pub const MIKEY_CERT_X509V3: u32 = 0;
/// Cert type "X.509v3 URL" (RFC 3830 Table 6.7.b).
pub const MIKEY_CERT_X509V3_URL: u32 = 1;
/// Cert type "X.509v3 Sign" (RFC 3830 Table 6.7.b).
pub const MIKEY_CERT_X509V3_SIGN: u32 = 2;
/// Cert type "X.509v3 Encr" (RFC 3830 Table 6.7.b).
pub const MIKEY_CERT_X509V3_ENCR: u32 = 3;

// CHASH hash function (RFC 3830 Table 6.8; RFC 6043 §6.7).

/// CHASH hash function "SHA-1" (RFC 3830 Table 6.8; RFC 6043 §6.7).
pub const MIKEY_HASH_SHA1: u32 = 0;
/// CHASH hash function "MD5" (RFC 3830 Table 6.8; RFC 6043 §6.7).
pub const MIKEY_HASH_MD5: u32 = 1;
/// CHASH hash function "SHA-256" (RFC 3830 Table 6.8; RFC 6043 §6.7).
pub const MIKEY_HASH_SHA256: u32 = 2;

// SP Prot type (RFC 3830 Table 6.10; RFC 4442 §4.1).

/// SP Prot type "SRTP" (RFC 3830 Table 6.10; RFC 4442 §4.1).
pub const MIKEY_PROT_SRTP: u32 = 0;
/// SP Prot type "TESLA" (RFC 3830 Table 6.10; RFC 4442 §4.1).
pub const MIKEY_PROT_TESLA: u32 = 1;

// SRTP policy parameter type (RFC 3830 Table 6.10.1.a; RFC 4771 §4; RFC 7714 §14.3).

/// SRTP policy parameter type "Encryption algorithm" (RFC 3830 Table 6.10.1.a; RFC 4771 §4; RFC 7714 §14.3).
pub const MIKEY_SRTP_PARAM_ENCR_ALG: u32 = 0;
/// SRTP policy parameter type "Session Encr. key length" (RFC 3830 Table 6.10.1.a; RFC 4771 §4; RFC 7714 §14.3).
pub const MIKEY_SRTP_PARAM_ENCR_KEY_LEN: u32 = 1;
/// SRTP policy parameter type "Authentication algorithm" (RFC 3830 Table 6.10.1.a; RFC 4771 §4; RFC 7714 §14.3).
pub const MIKEY_SRTP_PARAM_AUTH_ALG: u32 = 2;
/// SRTP policy parameter type "Session Auth. key length" (RFC 3830 Table 6.10.1.a; RFC 4771 §4; RFC 7714 §14.3).
pub const MIKEY_SRTP_PARAM_AUTH_KEY_LEN: u32 = 3;
/// SRTP policy parameter type "Session Salt key length" (RFC 3830 Table 6.10.1.a; RFC 4771 §4; RFC 7714 §14.3).
pub const MIKEY_SRTP_PARAM_SALT_KEY_LEN: u32 = 4;
/// SRTP policy parameter type "SRTP Pseudo Random Function" (RFC 3830 Table 6.10.1.a; RFC 4771 §4; RFC 7714 §14.3).
pub const MIKEY_SRTP_PARAM_PRF: u32 = 5;
/// SRTP policy parameter type "Key derivation rate" (RFC 3830 Table 6.10.1.a; RFC 4771 §4; RFC 7714 §14.3).
pub const MIKEY_SRTP_PARAM_KEY_DERIVATION_RATE: u32 = 6;
/// SRTP policy parameter type "SRTP encryption off/on" (RFC 3830 Table 6.10.1.a; RFC 4771 §4; RFC 7714 §14.3).
pub const MIKEY_SRTP_PARAM_SRTP_ENCRYPTION: u32 = 7;
/// SRTP policy parameter type "SRTCP encryption off/on" (RFC 3830 Table 6.10.1.a; RFC 4771 §4; RFC 7714 §14.3).
pub const MIKEY_SRTP_PARAM_SRTCP_ENCRYPTION: u32 = 8;
/// SRTP policy parameter type "sender's FEC order" (RFC 3830 Table 6.10.1.a; RFC 4771 §4; RFC 7714 §14.3).
pub const MIKEY_SRTP_PARAM_FEC_ORDER: u32 = 9;
/// SRTP policy parameter type "SRTP authentication off/on" (RFC 3830 Table 6.10.1.a; RFC 4771 §4; RFC 7714 §14.3).
pub const MIKEY_SRTP_PARAM_SRTP_AUTHENTICATION: u32 = 10;
/// SRTP policy parameter type "Authentication tag length" (RFC 3830 Table 6.10.1.a; RFC 4771 §4; RFC 7714 §14.3).
pub const MIKEY_SRTP_PARAM_AUTH_TAG_LEN: u32 = 11;
/// SRTP policy parameter type "SRTP prefix length" (RFC 3830 Table 6.10.1.a; RFC 4771 §4; RFC 7714 §14.3).
pub const MIKEY_SRTP_PARAM_PREFIX_LEN: u32 = 12;
/// SRTP policy parameter type "ROC transmission rate" (RFC 3830 Table 6.10.1.a; RFC 4771 §4; RFC 7714 §14.3).
pub const MIKEY_SRTP_PARAM_ROC_TRANSMISSION_RATE: u32 = 13;
/// SRTP policy parameter type "SRTP Auth. algorithm" (RFC 3830 Table 6.10.1.a; RFC 4771 §4; RFC 7714 §14.3).
pub const MIKEY_SRTP_PARAM_SRTP_AUTH_ALG: u32 = 14;
/// SRTP policy parameter type "SRTCP Auth. algorithm" (RFC 3830 Table 6.10.1.a; RFC 4771 §4; RFC 7714 §14.3).
pub const MIKEY_SRTP_PARAM_SRTCP_AUTH_ALG: u32 = 15;
/// SRTP policy parameter type "SRTP Session Auth. key length" (RFC 3830 Table 6.10.1.a; RFC 4771 §4; RFC 7714 §14.3).
pub const MIKEY_SRTP_PARAM_SRTP_AUTH_KEY_LEN: u32 = 16;
/// SRTP policy parameter type "SRTCP Session Auth. key length" (RFC 3830 Table 6.10.1.a; RFC 4771 §4; RFC 7714 §14.3).
pub const MIKEY_SRTP_PARAM_SRTCP_AUTH_KEY_LEN: u32 = 17;
/// SRTP policy parameter type "SRTP Authentication tag length" (RFC 3830 Table 6.10.1.a; RFC 4771 §4; RFC 7714 §14.3).
pub const MIKEY_SRTP_PARAM_SRTP_AUTH_TAG_LEN: u32 = 18;
/// SRTP policy parameter type "SRTCP Authentication tag length" (RFC 3830 Table 6.10.1.a; RFC 4771 §4; RFC 7714 §14.3).
pub const MIKEY_SRTP_PARAM_SRTCP_AUTH_TAG_LEN: u32 = 19;
/// SRTP policy parameter type "AEAD authentication tag length" (RFC 3830 Table 6.10.1.a; RFC 4771 §4; RFC 7714 §14.3).
pub const MIKEY_SRTP_PARAM_AEAD_AUTH_TAG_LEN: u32 = 20;

// SRTP encryption algorithm, policy type 0 (RFC 3830 Table 6.10.1.b; RFC 5748 §2.1; RFC 7714 §14.3; RFC 8269 §6.2).

/// SRTP encryption algorithm "NULL" (RFC 3830 Table 6.10.1.b; RFC 5748 §2.1; RFC 7714 §14.3; RFC 8269 §6.2).
pub const MIKEY_SRTP_ENCR_NULL: u32 = 0;
/// SRTP encryption algorithm "AES-CM" (RFC 3830 Table 6.10.1.b; RFC 5748 §2.1; RFC 7714 §14.3; RFC 8269 §6.2).
pub const MIKEY_SRTP_ENCR_AES_CM: u32 = 1;
/// SRTP encryption algorithm "AES-F8" (RFC 3830 Table 6.10.1.b; RFC 5748 §2.1; RFC 7714 §14.3; RFC 8269 §6.2).
pub const MIKEY_SRTP_ENCR_AES_F8: u32 = 2;
/// SRTP encryption algorithm "SEED-CTR" (RFC 3830 Table 6.10.1.b; RFC 5748 §2.1; RFC 7714 §14.3; RFC 8269 §6.2).
pub const MIKEY_SRTP_ENCR_SEED_CTR: u32 = 3;
/// SRTP encryption algorithm "SEED-CCM" (RFC 3830 Table 6.10.1.b; RFC 5748 §2.1; RFC 7714 §14.3; RFC 8269 §6.2).
pub const MIKEY_SRTP_ENCR_SEED_CCM: u32 = 4;
/// SRTP encryption algorithm "SEED-GCM" (RFC 3830 Table 6.10.1.b; RFC 5748 §2.1; RFC 7714 §14.3; RFC 8269 §6.2).
pub const MIKEY_SRTP_ENCR_SEED_GCM: u32 = 5;
/// SRTP encryption algorithm "AES-GCM" (RFC 3830 Table 6.10.1.b; RFC 5748 §2.1; RFC 7714 §14.3; RFC 8269 §6.2).
pub const MIKEY_SRTP_ENCR_AES_GCM: u32 = 6;
/// SRTP encryption algorithm "ARIA-CTR" (RFC 3830 Table 6.10.1.b; RFC 5748 §2.1; RFC 7714 §14.3; RFC 8269 §6.2).
pub const MIKEY_SRTP_ENCR_ARIA_CTR: u32 = 7;
/// SRTP encryption algorithm "ARIA-GCM" (RFC 3830 Table 6.10.1.b; RFC 5748 §2.1; RFC 7714 §14.3; RFC 8269 §6.2).
pub const MIKEY_SRTP_ENCR_ARIA_GCM: u32 = 8;

// SRTP authentication algorithm, policy types 2, 14 and 15 (RFC 3830 Table 6.10.1.c; RFC 4771 §4 Table 1).

/// SRTP authentication algorithm "NULL" (RFC 3830 Table 6.10.1.c; RFC 4771 §4 Table 1).
pub const MIKEY_SRTP_AUTH_NULL: u32 = 0;
/// SRTP authentication algorithm "HMAC-SHA-1" (RFC 3830 Table 6.10.1.c; RFC 4771 §4 Table 1).
pub const MIKEY_SRTP_AUTH_HMAC_SHA1: u32 = 1;
/// SRTP authentication algorithm "RCCm1" (RFC 3830 Table 6.10.1.c; RFC 4771 §4 Table 1).
pub const MIKEY_SRTP_AUTH_RCCM1: u32 = 2;
/// SRTP authentication algorithm "RCCm2" (RFC 3830 Table 6.10.1.c; RFC 4771 §4 Table 1).
pub const MIKEY_SRTP_AUTH_RCCM2: u32 = 3;
/// SRTP authentication algorithm "RCCm3" (RFC 3830 Table 6.10.1.c; RFC 4771 §4 Table 1).
pub const MIKEY_SRTP_AUTH_RCCM3: u32 = 4;

// Error no (RFC 3830 Table 6.12; RFC 4738 §3.9.2; RFC 6043 §6.9).

/// Error no "Auth failure" (RFC 3830 Table 6.12; RFC 4738 §3.9.2; RFC 6043 §6.9).
pub const MIKEY_ERRNO_AUTH_FAILURE: u32 = 0;
/// Error no "Invalid TS" (RFC 3830 Table 6.12; RFC 4738 §3.9.2; RFC 6043 §6.9).
pub const MIKEY_ERRNO_INVALID_TS: u32 = 1;
/// Error no "Invalid PRF" (RFC 3830 Table 6.12; RFC 4738 §3.9.2; RFC 6043 §6.9).
pub const MIKEY_ERRNO_INVALID_PRF: u32 = 2;
/// Error no "Invalid MAC" (RFC 3830 Table 6.12; RFC 4738 §3.9.2; RFC 6043 §6.9).
pub const MIKEY_ERRNO_INVALID_MAC: u32 = 3;
/// Error no "Invalid EA" (RFC 3830 Table 6.12; RFC 4738 §3.9.2; RFC 6043 §6.9).
pub const MIKEY_ERRNO_INVALID_EA: u32 = 4;
/// Error no "Invalid HA" (RFC 3830 Table 6.12; RFC 4738 §3.9.2; RFC 6043 §6.9).
pub const MIKEY_ERRNO_INVALID_HA: u32 = 5;
/// Error no "Invalid DH" (RFC 3830 Table 6.12; RFC 4738 §3.9.2; RFC 6043 §6.9).
pub const MIKEY_ERRNO_INVALID_DH: u32 = 6;
/// Error no "Invalid ID" (RFC 3830 Table 6.12; RFC 4738 §3.9.2; RFC 6043 §6.9).
pub const MIKEY_ERRNO_INVALID_ID: u32 = 7;
/// Error no "Invalid Cert" (RFC 3830 Table 6.12; RFC 4738 §3.9.2; RFC 6043 §6.9).
pub const MIKEY_ERRNO_INVALID_CERT: u32 = 8;
/// Error no "Invalid SP" (RFC 3830 Table 6.12; RFC 4738 §3.9.2; RFC 6043 §6.9).
pub const MIKEY_ERRNO_INVALID_SP: u32 = 9;
/// Error no "Invalid SPpar" (RFC 3830 Table 6.12; RFC 4738 §3.9.2; RFC 6043 §6.9).
pub const MIKEY_ERRNO_INVALID_SPPAR: u32 = 10;
/// Error no "Invalid DT" (RFC 3830 Table 6.12; RFC 4738 §3.9.2; RFC 6043 §6.9).
pub const MIKEY_ERRNO_INVALID_DT: u32 = 11;
/// Error no "Unspecified error" (RFC 3830 Table 6.12; RFC 4738 §3.9.2; RFC 6043 §6.9).
pub const MIKEY_ERRNO_UNSPECIFIED: u32 = 12;
/// Error no "Unsupported message type" (RFC 3830 Table 6.12; RFC 4738 §3.9.2; RFC 6043 §6.9).
pub const MIKEY_ERRNO_UNSUPPORTED_MESSAGE_TYPE: u32 = 13;
/// Error no "Invalid TICKET" (RFC 3830 Table 6.12; RFC 4738 §3.9.2; RFC 6043 §6.9).
pub const MIKEY_ERRNO_INVALID_TICKET: u32 = 14;
/// Error no "Invalid TPpar" (RFC 3830 Table 6.12; RFC 4738 §3.9.2; RFC 6043 §6.9).
pub const MIKEY_ERRNO_INVALID_TPPAR: u32 = 15;

// Key data type (RFC 3830 Table 6.13.a; RFC 6043 §6.13).

/// Key data type "TGK" (RFC 3830 Table 6.13.a; RFC 6043 §6.13).
pub const MIKEY_KEY_DATA_TGK: u32 = 0;
/// Key data type "TGK+SALT" (RFC 3830 Table 6.13.a; RFC 6043 §6.13).
pub const MIKEY_KEY_DATA_TGK_SALT: u32 = 1;
/// Key data type "TEK" (RFC 3830 Table 6.13.a; RFC 6043 §6.13).
pub const MIKEY_KEY_DATA_TEK: u32 = 2;
/// Key data type "TEK+SALT" (RFC 3830 Table 6.13.a; RFC 6043 §6.13).
pub const MIKEY_KEY_DATA_TEK_SALT: u32 = 3;
/// Key data type "GTGK" (RFC 3830 Table 6.13.a; RFC 6043 §6.13).
pub const MIKEY_KEY_DATA_GTGK: u32 = 4;
/// Key data type "GTGK+SALT" (RFC 3830 Table 6.13.a; RFC 6043 §6.13).
pub const MIKEY_KEY_DATA_GTGK_SALT: u32 = 5;
/// Key data type "MPK" (RFC 3830 Table 6.13.a; RFC 6043 §6.13).
pub const MIKEY_KEY_DATA_MPK: u32 = 6;
/// Key data type "K_PR" (RFC 3830 Table 6.13.a; RFC 6043 §6.13).
pub const MIKEY_KEY_DATA_K_PR: u32 = 7;

// KV (key validity) type (RFC 3830 Table 6.13.b).

/// KV (key validity) type "Null" (RFC 3830 Table 6.13.b).
pub const MIKEY_KV_NULL: u32 = 0;
/// KV (key validity) type "SPI" (RFC 3830 Table 6.13.b).
pub const MIKEY_KV_SPI: u32 = 1;
/// KV (key validity) type "Interval" (RFC 3830 Table 6.13.b).
pub const MIKEY_KV_INTERVAL: u32 = 2;

// General Extension type (RFC 3830 Table 6.15; RFC 4442 §4.4; RFC 4563 §4; RFC 4738 §3.6; RFC 5410 §3; IANA).

/// General Extension type "Vendor ID" (RFC 3830 Table 6.15; RFC 4442 §4.4; RFC 4563 §4; RFC 4738 §3.6; RFC 5410 §3; IANA)
pub const MIKEY_EXT_VENDOR_ID: u32 = 0;
/// General Extension type "SDP IDs" (RFC 3830 Table 6.15; RFC 4442 §4.4; RFC 4563 §4; RFC 4738 §3.6; RFC 5410 §3; IANA)
pub const MIKEY_EXT_SDP_IDS: u32 = 1;
/// General Extension type "TESLA I-Key" (RFC 3830 Table 6.15; RFC 4442 §4.4; RFC 4563 §4; RFC 4738 §3.6; RFC 5410 §3; IANA)
pub const MIKEY_EXT_TESLA_I_KEY: u32 = 2;
/// General Extension type "Key ID" (RFC 3830 Table 6.15; RFC 4442 §4.4; RFC 4563 §4; RFC 4738 §3.6; RFC 5410 §3; IANA)
pub const MIKEY_EXT_KEY_ID: u32 = 3;
/// General Extension type "CSB_ID" (RFC 3830 Table 6.15; RFC 4442 §4.4; RFC 4563 §4; RFC 4738 §3.6; RFC 5410 §3; IANA)
pub const MIKEY_EXT_CSB_ID: u32 = 4;
/// General Extension type "OMA BCAST" (RFC 3830 Table 6.15; RFC 4442 §4.4; RFC 4563 §4; RFC 4738 §3.6; RFC 5410 §3; IANA)
pub const MIKEY_EXT_OMA_BCAST: u32 = 5;
/// General Extension type "SAKKE-to-self" (RFC 3830 Table 6.15; RFC 4442 §4.4; RFC 4563 §4; RFC 4738 §3.6; RFC 5410 §3; IANA)
pub const MIKEY_EXT_SAKKE_TO_SELF: u32 = 6;
/// General Extension type "3GPP key parameters" (RFC 3830 Table 6.15; RFC 4442 §4.4; RFC 4563 §4; RFC 4738 §3.6; RFC 5410 §3; IANA)
pub const MIKEY_EXT_3GPP_KEY_PARAMETERS: u32 = 7;

// Key ID Type of a Key ID extension (RFC 4563 §4 Table 2).

/// Key ID Type of a Key ID extension "MBMS Key Domain ID" (RFC 4563 §4 Table 2)
pub const MIKEY_KEY_ID_MBMS_KEY_DOMAIN_ID: u32 = 0;
/// Key ID Type of a Key ID extension "MBMS Service Key ID" (RFC 4563 §4 Table 2)
pub const MIKEY_KEY_ID_MBMS_SERVICE_KEY_ID: u32 = 1;
/// Key ID Type of a Key ID extension "MBMS Traffic Key ID (IANA: MBMS Transport Key ID)" (RFC 4563 §4 Table 2)
pub const MIKEY_KEY_ID_MBMS_TRAFFIC_KEY_ID: u32 = 2;

// OMA BCAST data subtype (RFC 5410 §3).

/// OMA BCAST data subtype "LTKM" (RFC 5410 §3)
pub const MIKEY_OMA_BCAST_LTKM: u32 = 1;
/// OMA BCAST data subtype "STKM" (RFC 5410 §3)
pub const MIKEY_OMA_BCAST_STKM: u32 = 2;
/// OMA BCAST data subtype "LTKM Reporting" (RFC 5410 §3)
pub const MIKEY_OMA_BCAST_LTKM_REPORTING: u32 = 3;
/// OMA BCAST data subtype "Parental Control" (RFC 5410 §3)
pub const MIKEY_OMA_BCAST_PARENTAL_CONTROL: u32 = 4;

// TESLA policy parameter type (RFC 4442 §4.2).

/// TESLA policy parameter type "PRF identifier for f and f'" (RFC 4442 §4.2)
pub const MIKEY_TESLA_PARAM_PRF: u32 = 1;
/// TESLA policy parameter type "Length of PRF f' output" (RFC 4442 §4.2)
pub const MIKEY_TESLA_PARAM_PRF_OUTPUT_LEN: u32 = 2;
/// TESLA policy parameter type "Identifier for the TESLA MAC" (RFC 4442 §4.2)
pub const MIKEY_TESLA_PARAM_MAC: u32 = 3;
/// TESLA policy parameter type "Length of TESLA MAC output" (RFC 4442 §4.2)
pub const MIKEY_TESLA_PARAM_MAC_OUTPUT_LEN: u32 = 4;
/// TESLA policy parameter type "Start of session" (RFC 4442 §4.2)
pub const MIKEY_TESLA_PARAM_SESSION_START: u32 = 5;
/// TESLA policy parameter type "Interval duration (in msec)" (RFC 4442 §4.2)
pub const MIKEY_TESLA_PARAM_INTERVAL_DURATION: u32 = 6;
/// TESLA policy parameter type "Key disclosure delay" (RFC 4442 §4.2)
pub const MIKEY_TESLA_PARAM_DISCLOSURE_DELAY: u32 = 7;
/// TESLA policy parameter type "Key chain length" (RFC 4442 §4.2)
pub const MIKEY_TESLA_PARAM_KEY_CHAIN_LEN: u32 = 8;
/// TESLA policy parameter type "Local timestamp media receiver" (RFC 4442 §4.2)
pub const MIKEY_TESLA_PARAM_RECEIVER_TIMESTAMP: u32 = 9;

// TESLA PRF and MAC identifiers (RFC 4442 §4.2; IANA "TESLA parameters", RFC 5776).

/// TESLA PRF or MAC "HMAC-SHA1" (RFC 4442 §4.2).
pub const MIKEY_TESLA_HMAC_SHA1: u32 = 0;
/// TESLA PRF or MAC "HMAC-SHA-224" (IANA "TESLA parameters", RFC 5776).
pub const MIKEY_TESLA_HMAC_SHA224: u32 = 1;
/// TESLA PRF or MAC "HMAC-SHA-256" (IANA "TESLA parameters", RFC 5776).
pub const MIKEY_TESLA_HMAC_SHA256: u32 = 2;
/// TESLA PRF or MAC "HMAC-SHA-384" (IANA "TESLA parameters", RFC 5776).
pub const MIKEY_TESLA_HMAC_SHA384: u32 = 3;
/// TESLA PRF or MAC "HMAC-SHA-512" (IANA "TESLA parameters", RFC 5776).
pub const MIKEY_TESLA_HMAC_SHA512: u32 = 4;
