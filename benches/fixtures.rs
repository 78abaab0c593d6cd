//! The two benchmark messages: their field values, their expected bytes, and the code
//! that builds them with the `mikey` builder.
//!
//! - PSK/NULL: a 124-byte Pre-shared I_MESSAGE: HDR (one SRTP-ID CS), T, RAND, SP (the
//!   usual SRTP parameters), KEMAC (Encr NULL, MAC NULL, one TEK Key data carrying the
//!   30-byte master key || salt, KV Null). This is the shape of GStreamer's
//!   `gst_mikey_message_new_from_caps`, and one GStreamer 1.22 both parses and builds.
//! - RFC 4567 §5 example 1: the 132-byte I_MESSAGE of the SDP offer (HDR, T, RAND, ID, SP,
//!   KEMAC with AES-CM-128 and HMAC-SHA-1-160).

use mikey::wire::{
    DataType, EncodeError, EncrAlg, Id, IdType, Kemac, KeyChainItem, KeyData, KeyDataType,
    KeyValidity, MacAlg, MessageBuilder, Payload, ProtType, Rand, SecurityPolicy, Timestamp,
    TsType, encode_key_chain,
};
use std::borrow::Cow;

/// Field values of the PSK/NULL message.
pub mod psk_null {
    /// CSB ID.
    pub const CSB_ID: u32 = 0x1234_5678;
    /// Policy no of the only crypto session (and of the SP payload).
    pub const POLICY_NO: u8 = 0;
    /// SSRC of the only crypto session.
    pub const SSRC: u32 = 0xDEAD_BEEF;
    /// ROC of the only crypto session.
    pub const ROC: u32 = 0;
    /// NTP-UTC timestamp (2024-06-01T00:00:00Z).
    pub const TS_NTP_UTC: u64 = 0xEA04_E300_0000_0000;
    /// RAND (16 bytes).
    pub const RAND: [u8; 16] = [
        0x4A, 0x28, 0xDA, 0x97, 0x9E, 0xE2, 0x1A, 0x76, 0x51, 0xA0, 0xD7, 0xF1, 0x91, 0x36, 0xD9,
        0x8C,
    ];
    /// SRTP policy parameters (RFC 3830 §6.10.1), each with a one-byte value: AES-CM,
    /// 16-byte session key, HMAC-SHA-1, 20-byte auth key, 14-byte salt, PRF AES-CM, KDR 0,
    /// SRTP and SRTCP encryption on, SRTP authentication on, 10-byte tag.
    pub const SP_PARAMS: [(u8, u8); 11] = [
        (0, 1),
        (1, 16),
        (2, 1),
        (3, 20),
        (4, 14),
        (5, 0),
        (6, 0),
        (7, 1),
        (8, 1),
        (10, 1),
        (11, 10),
    ];
    /// The TEK: 16-byte master key || 14-byte master salt in the Key data field (no Salt
    /// field), as GStreamer sends it.
    pub const KEY: [u8; 30] = [
        0xE1, 0xF9, 0x7A, 0x0D, 0x3E, 0x01, 0x8B, 0xE0, 0xD6, 0x4F, 0xA3, 0x2C, 0x06, 0xDE, 0x41,
        0x39, 0x0E, 0xC6, 0x75, 0xAD, 0x49, 0x8A, 0xFE, 0xEB, 0xB6, 0x96, 0x0B, 0x3A, 0xAB, 0xE6,
    ];

    /// The expected encoding (124 bytes), written out by hand from RFC 3830 §6.
    pub const HEX: &str = concat!(
        // HDR: version 1, PSK, next T, V=0 PRF MIKEY-1, CSB ID, #CS 1, SRTP-ID map,
        // Policy_no_1 SSRC_1 ROC_1
        "01000500",
        "12345678",
        "0100",
        "00deadbeef00000000",
        // T: next RAND, NTP-UTC, value
        "0b00",
        "ea04e30000000000",
        // RAND: next SP, 16 bytes
        "0a10",
        "4a28da979ee21a7651a0d7f19136d98c",
        // SP: next KEMAC, policy 0, SRTP, 33 bytes of type/length/value parameters
        "01000000",
        "21",
        "00010101011002010103011404010e050100060100070101080101",
        "0a01010b010a",
        // KEMAC: last, Encr NULL, 34 bytes of Encr data:
        "0000",
        "0022",
        //   Key data: last, TEK / KV Null, 30-byte key
        "0020001e",
        "e1f97a0d3e018be0d64fa32c06de41390ec675ad498afeebb6960b3aabe6",
        // MAC alg NULL (no MAC)
        "00",
    );
}

/// Field values of the RFC 4567 §5 example 1 I_MESSAGE.
pub mod rfc4567 {
    /// The `a=key-mgmt:mikey` data of the SDP offer of RFC 4567 §5, example 1.
    pub const BASE64: &str = concat!(
        "AQAFgM0XflABAAAAAAAAAAAAAAsAyONQ6gAAAAAGEEoo2pee4hp2UaDX8ZE22YwKAAAPZG9uYWxkQGR1Y2suY29t",
        "AQAAAAAAAQAk0JKpgaVkDaawi9whVBtBt0KZ14ymNuu62+Nv3ozPLygwK/GbAV9iemnGUIZ19fWQUOSrzKTAv9zV",
    );
    /// CSB ID.
    pub const CSB_ID: u32 = 0xCD17_7E50;
    /// NTP-UTC timestamp.
    pub const TS_NTP_UTC: u64 = 0xC8E3_50EA_0000_0000;
    /// RAND (16 bytes).
    pub const RAND: [u8; 16] = [
        0x4A, 0x28, 0xDA, 0x97, 0x9E, 0xE2, 0x1A, 0x76, 0x51, 0xA0, 0xD7, 0xF1, 0x91, 0x36, 0xD9,
        0x8C,
    ];
    /// IDi (NAI).
    pub const ID: &[u8] = b"donald@duck.com";
    /// KEMAC Encr data (the AES-CM-128 encrypted Key data sub-payload).
    pub const ENCR_DATA: [u8; 36] = [
        0xD0, 0x92, 0xA9, 0x81, 0xA5, 0x64, 0x0D, 0xA6, 0xB0, 0x8B, 0xDC, 0x21, 0x54, 0x1B, 0x41,
        0xB7, 0x42, 0x99, 0xD7, 0x8C, 0xA6, 0x36, 0xEB, 0xBA, 0xDB, 0xE3, 0x6F, 0xDE, 0x8C, 0xCF,
        0x2F, 0x28, 0x30, 0x2B, 0xF1, 0x9B,
    ];
    /// KEMAC MAC (HMAC-SHA-1-160).
    pub const MAC: [u8; 20] = [
        0x5F, 0x62, 0x7A, 0x69, 0xC6, 0x50, 0x86, 0x75, 0xF5, 0xF5, 0x90, 0x50, 0xE4, 0xAB, 0xCC,
        0xA4, 0xC0, 0xBF, 0xDC, 0xD5,
    ];
}

/// The PSK/NULL message bytes (from [`psk_null::HEX`]).
pub fn psk_null_bytes() -> Vec<u8> {
    hex::decode(psk_null::HEX).expect("psk_null::HEX is valid hex")
}

/// The RFC 4567 example message bytes (from [`rfc4567::BASE64`]).
pub fn rfc4567_bytes() -> Vec<u8> {
    mikey::sdp::decode_base64(rfc4567::BASE64).expect("RFC 4567 example is valid base64")
}

/// Builds the PSK/NULL message from its field values and encodes it into `out` (cleared
/// first): what a sender does per message.
pub fn build_psk_null(out: &mut Vec<u8>) -> Result<(), EncodeError> {
    use psk_null::*;
    let values = SP_PARAMS.map(|(_, value)| [value]);
    let params: [(u8, &[u8]); 11] = std::array::from_fn(|i| (SP_PARAMS[i].0, values[i].as_slice()));
    let sp = SecurityPolicy::from_params(POLICY_NO, ProtType::Srtp, &params)?;
    let key_chain = encode_key_chain(&[KeyChainItem::KeyData(KeyData {
        key_type: KeyDataType::Tek,
        key: Cow::Borrowed(&KEY),
        salt: None,
        kv: KeyValidity::Null,
    })])?;
    let message = MessageBuilder::new(DataType::PreShared, CSB_ID)
        .srtp_crypto_session(POLICY_NO, SSRC, ROC)
        .payload(Payload::Timestamp(Timestamp {
            ts_type: TsType::NtpUtc,
            value: TS_NTP_UTC,
        }))
        .payload(Payload::Rand(Rand {
            rand: Cow::Borrowed(&RAND),
        }))
        .payload(Payload::SecurityPolicy(sp))
        .payload(Payload::Kemac(Kemac {
            encr_alg: EncrAlg::Null,
            encr_data: Cow::Owned(key_chain),
            mac_alg: MacAlg::Null,
            mac: Cow::Borrowed(&[]),
        }))
        .build()?;
    out.clear();
    message.encode_into(out, None)
}

/// Builds the RFC 4567 example message from its field values and encodes it into `out`
/// (cleared first).
pub fn build_rfc4567(out: &mut Vec<u8>) -> Result<(), EncodeError> {
    use rfc4567::*;
    let message = MessageBuilder::new(DataType::PreShared, CSB_ID)
        .v(true)
        .srtp_crypto_session(0, 0, 0)
        .payload(Payload::Timestamp(Timestamp {
            ts_type: TsType::NtpUtc,
            value: TS_NTP_UTC,
        }))
        .payload(Payload::Rand(Rand {
            rand: Cow::Borrowed(&RAND),
        }))
        .payload(Payload::Id(Id {
            id_type: IdType::Nai,
            data: Cow::Borrowed(ID),
        }))
        .payload(Payload::SecurityPolicy(SecurityPolicy::new(
            0,
            ProtType::Srtp,
        )))
        .payload(Payload::Kemac(Kemac {
            encr_alg: EncrAlg::AesCm128,
            encr_data: Cow::Borrowed(&ENCR_DATA),
            mac_alg: MacAlg::HmacSha1_160,
            mac: Cow::Borrowed(&MAC),
        }))
        .build()?;
    out.clear();
    message.encode_into(out, None)
}
