//! Every codepoint `#define` in `include/mikey.h` (MIKEY_ENCR_*, MIKEY_MAC_*, MIKEY_TS_*,
//! MIKEY_ERRNO_*, ...) equals the Rust wire enum's value (the IANA "MIKEY Payload Name
//! Spaces" registry, RFC 3830 §6), and every registered value of those enums has one, so
//! the C names cannot drift from what the library puts on the wire.

use mikey::wire::*;
use std::collections::HashMap;
use std::path::Path;

/// (C name, the wire enum's value), one row per codepoint `#define`.
fn expected() -> Vec<(&'static str, u32)> {
    vec![
        (
            "MIKEY_DATA_TYPE_PRE_SHARED",
            DataType::PreShared.value().into(),
        ),
        (
            "MIKEY_DATA_TYPE_PSK_VERIFICATION",
            DataType::PskVerification.value().into(),
        ),
        (
            "MIKEY_DATA_TYPE_PUBLIC_KEY",
            DataType::PublicKey.value().into(),
        ),
        (
            "MIKEY_DATA_TYPE_PK_VERIFICATION",
            DataType::PkVerification.value().into(),
        ),
        ("MIKEY_DATA_TYPE_DH_INIT", DataType::DhInit.value().into()),
        ("MIKEY_DATA_TYPE_DH_RESP", DataType::DhResp.value().into()),
        ("MIKEY_DATA_TYPE_ERROR", DataType::Error.value().into()),
        (
            "MIKEY_DATA_TYPE_DH_HMAC_INIT",
            DataType::DhHmacInit.value().into(),
        ),
        (
            "MIKEY_DATA_TYPE_DH_HMAC_RESP",
            DataType::DhHmacResp.value().into(),
        ),
        (
            "MIKEY_DATA_TYPE_RSA_R_INIT",
            DataType::RsaRInit.value().into(),
        ),
        (
            "MIKEY_DATA_TYPE_RSA_R_RESP",
            DataType::RsaRResp.value().into(),
        ),
        (
            "MIKEY_DATA_TYPE_REQUEST_INIT_PSK",
            DataType::RequestInitPsk.value().into(),
        ),
        (
            "MIKEY_DATA_TYPE_REQUEST_INIT_PK",
            DataType::RequestInitPk.value().into(),
        ),
        (
            "MIKEY_DATA_TYPE_REQUEST_RESP",
            DataType::RequestResp.value().into(),
        ),
        (
            "MIKEY_DATA_TYPE_TRANSFER_INIT",
            DataType::TransferInit.value().into(),
        ),
        (
            "MIKEY_DATA_TYPE_TRANSFER_RESP",
            DataType::TransferResp.value().into(),
        ),
        (
            "MIKEY_DATA_TYPE_RESOLVE_INIT_PSK",
            DataType::ResolveInitPsk.value().into(),
        ),
        (
            "MIKEY_DATA_TYPE_RESOLVE_INIT_PK",
            DataType::ResolveInitPk.value().into(),
        ),
        (
            "MIKEY_DATA_TYPE_RESOLVE_RESP",
            DataType::ResolveResp.value().into(),
        ),
        (
            "MIKEY_DATA_TYPE_REQUEST_KEY_PSK",
            DataType::RequestKeyPsk.value().into(),
        ),
        (
            "MIKEY_DATA_TYPE_REQUEST_KEY_PKE",
            DataType::RequestKeyPke.value().into(),
        ),
        (
            "MIKEY_DATA_TYPE_REQUEST_KEY_RESP",
            DataType::RequestKeyResp.value().into(),
        ),
        (
            "MIKEY_DATA_TYPE_IBAKE_INIT_1",
            DataType::IbakeInit1.value().into(),
        ),
        (
            "MIKEY_DATA_TYPE_IBAKE_RESP_1",
            DataType::IbakeResp1.value().into(),
        ),
        (
            "MIKEY_DATA_TYPE_IBAKE_INIT_2",
            DataType::IbakeInit2.value().into(),
        ),
        (
            "MIKEY_DATA_TYPE_IBAKE_RESP_2",
            DataType::IbakeResp2.value().into(),
        ),
        ("MIKEY_DATA_TYPE_SAKKE", DataType::Sakke.value().into()),
        ("MIKEY_PAYLOAD_LAST", PayloadType::Last.value().into()),
        ("MIKEY_PAYLOAD_KEMAC", PayloadType::Kemac.value().into()),
        ("MIKEY_PAYLOAD_PKE", PayloadType::Pke.value().into()),
        ("MIKEY_PAYLOAD_DH", PayloadType::Dh.value().into()),
        ("MIKEY_PAYLOAD_SIGN", PayloadType::Sign.value().into()),
        (
            "MIKEY_PAYLOAD_TIMESTAMP",
            PayloadType::Timestamp.value().into(),
        ),
        ("MIKEY_PAYLOAD_ID", PayloadType::Id.value().into()),
        ("MIKEY_PAYLOAD_CERT", PayloadType::Cert.value().into()),
        ("MIKEY_PAYLOAD_CHASH", PayloadType::Chash.value().into()),
        (
            "MIKEY_PAYLOAD_VERIFICATION",
            PayloadType::Verification.value().into(),
        ),
        (
            "MIKEY_PAYLOAD_SECURITY_POLICY",
            PayloadType::SecurityPolicy.value().into(),
        ),
        ("MIKEY_PAYLOAD_RAND", PayloadType::Rand.value().into()),
        ("MIKEY_PAYLOAD_ERROR", PayloadType::Error.value().into()),
        (
            "MIKEY_PAYLOAD_TIMESTAMP_ROLE",
            PayloadType::TimestampRole.value().into(),
        ),
        ("MIKEY_PAYLOAD_ID_ROLE", PayloadType::IdRole.value().into()),
        (
            "MIKEY_PAYLOAD_RAND_ROLE",
            PayloadType::RandRole.value().into(),
        ),
        (
            "MIKEY_PAYLOAD_TICKET_POLICY",
            PayloadType::TicketPolicy.value().into(),
        ),
        ("MIKEY_PAYLOAD_TICKET", PayloadType::Ticket.value().into()),
        (
            "MIKEY_PAYLOAD_KEY_DATA",
            PayloadType::KeyData.value().into(),
        ),
        (
            "MIKEY_PAYLOAD_GENERAL_EXTENSION",
            PayloadType::GeneralExtension.value().into(),
        ),
        ("MIKEY_PAYLOAD_IBAKE", PayloadType::Ibake.value().into()),
        (
            "MIKEY_PAYLOAD_ENCRYPTED_SECRET_KEY",
            PayloadType::EncryptedSecretKey.value().into(),
        ),
        (
            "MIKEY_PAYLOAD_SECRET_KEY",
            PayloadType::SecretKey.value().into(),
        ),
        (
            "MIKEY_PAYLOAD_ECC_POINT",
            PayloadType::EccPoint.value().into(),
        ),
        ("MIKEY_PAYLOAD_SAKKE", PayloadType::Sakke.value().into()),
        ("MIKEY_PRF_MIKEY_1", PrfFunc::Mikey1.value().into()),
        ("MIKEY_PRF_HMAC_SHA256", PrfFunc::HmacSha256.value().into()),
        (
            "MIKEY_CS_ID_MAP_SRTP_ID",
            CsIdMapType::SrtpId.value().into(),
        ),
        ("MIKEY_CS_ID_MAP_EMPTY", CsIdMapType::Empty.value().into()),
        (
            "MIKEY_CS_ID_MAP_GENERIC_ID",
            CsIdMapType::GenericId.value().into(),
        ),
        ("MIKEY_ENCR_NULL", EncrAlg::Null.value().into()),
        ("MIKEY_ENCR_AES_CM_128", EncrAlg::AesCm128.value().into()),
        ("MIKEY_ENCR_AES_KW_128", EncrAlg::AesKw128.value().into()),
        ("MIKEY_ENCR_AES_CM_256", EncrAlg::AesCm256.value().into()),
        ("MIKEY_MAC_NULL", MacAlg::Null.value().into()),
        (
            "MIKEY_MAC_HMAC_SHA1_160",
            MacAlg::HmacSha1_160.value().into(),
        ),
        (
            "MIKEY_MAC_HMAC_SHA256_256",
            MacAlg::HmacSha256_256.value().into(),
        ),
        ("MIKEY_DH_OAKLEY_5", DhGroup::Oakley5.value().into()),
        ("MIKEY_DH_OAKLEY_1", DhGroup::Oakley1.value().into()),
        ("MIKEY_DH_OAKLEY_2", DhGroup::Oakley2.value().into()),
        ("MIKEY_DH_P256", DhGroup::EcdhP256.value().into()),
        ("MIKEY_DH_P384", DhGroup::EcdhP384.value().into()),
        (
            "MIKEY_SIGN_RSA_PKCS1_V15",
            SignatureType::RsaPkcs1v15.value().into(),
        ),
        ("MIKEY_SIGN_RSA_PSS", SignatureType::RsaPss.value().into()),
        ("MIKEY_SIGN_ECCSI", SignatureType::Eccsi.value().into()),
        ("MIKEY_TS_NTP_UTC", TsType::NtpUtc.value().into()),
        ("MIKEY_TS_NTP", TsType::Ntp.value().into()),
        ("MIKEY_TS_COUNTER", TsType::Counter.value().into()),
        ("MIKEY_TS_NTP_UTC_32", TsType::NtpUtc32.value().into()),
        ("MIKEY_ID_NAI", IdType::Nai.value().into()),
        ("MIKEY_ID_URI", IdType::Uri.value().into()),
        ("MIKEY_ID_BYTE_STRING", IdType::ByteString.value().into()),
        ("MIKEY_CERT_X509V3", CertType::X509v3.value().into()),
        ("MIKEY_CERT_X509V3_URL", CertType::X509v3Url.value().into()),
        (
            "MIKEY_CERT_X509V3_SIGN",
            CertType::X509v3Sign.value().into(),
        ),
        (
            "MIKEY_CERT_X509V3_ENCR",
            CertType::X509v3Encr.value().into(),
        ),
        ("MIKEY_HASH_SHA1", HashFunc::Sha1.value().into()),
        ("MIKEY_HASH_MD5", HashFunc::Md5.value().into()),
        ("MIKEY_HASH_SHA256", HashFunc::Sha256.value().into()),
        ("MIKEY_PROT_SRTP", ProtType::Srtp.value().into()),
        ("MIKEY_PROT_TESLA", ProtType::Tesla.value().into()),
        (
            "MIKEY_SRTP_PARAM_ENCR_ALG",
            SrtpParam::EncrAlg.value().into(),
        ),
        (
            "MIKEY_SRTP_PARAM_ENCR_KEY_LEN",
            SrtpParam::EncrKeyLen.value().into(),
        ),
        (
            "MIKEY_SRTP_PARAM_AUTH_ALG",
            SrtpParam::AuthAlg.value().into(),
        ),
        (
            "MIKEY_SRTP_PARAM_AUTH_KEY_LEN",
            SrtpParam::AuthKeyLen.value().into(),
        ),
        (
            "MIKEY_SRTP_PARAM_SALT_KEY_LEN",
            SrtpParam::SaltKeyLen.value().into(),
        ),
        ("MIKEY_SRTP_PARAM_PRF", SrtpParam::Prf.value().into()),
        (
            "MIKEY_SRTP_PARAM_KEY_DERIVATION_RATE",
            SrtpParam::KeyDerivationRate.value().into(),
        ),
        (
            "MIKEY_SRTP_PARAM_SRTP_ENCRYPTION",
            SrtpParam::SrtpEncryption.value().into(),
        ),
        (
            "MIKEY_SRTP_PARAM_SRTCP_ENCRYPTION",
            SrtpParam::SrtcpEncryption.value().into(),
        ),
        (
            "MIKEY_SRTP_PARAM_FEC_ORDER",
            SrtpParam::FecOrder.value().into(),
        ),
        (
            "MIKEY_SRTP_PARAM_SRTP_AUTHENTICATION",
            SrtpParam::SrtpAuthentication.value().into(),
        ),
        (
            "MIKEY_SRTP_PARAM_AUTH_TAG_LEN",
            SrtpParam::AuthTagLen.value().into(),
        ),
        (
            "MIKEY_SRTP_PARAM_PREFIX_LEN",
            SrtpParam::PrefixLen.value().into(),
        ),
        (
            "MIKEY_SRTP_PARAM_ROC_TRANSMISSION_RATE",
            SrtpParam::RocTransmissionRate.value().into(),
        ),
        (
            "MIKEY_SRTP_PARAM_SRTP_AUTH_ALG",
            SrtpParam::SrtpAuthAlg.value().into(),
        ),
        (
            "MIKEY_SRTP_PARAM_SRTCP_AUTH_ALG",
            SrtpParam::SrtcpAuthAlg.value().into(),
        ),
        (
            "MIKEY_SRTP_PARAM_SRTP_AUTH_KEY_LEN",
            SrtpParam::SrtpAuthKeyLen.value().into(),
        ),
        (
            "MIKEY_SRTP_PARAM_SRTCP_AUTH_KEY_LEN",
            SrtpParam::SrtcpAuthKeyLen.value().into(),
        ),
        (
            "MIKEY_SRTP_PARAM_SRTP_AUTH_TAG_LEN",
            SrtpParam::SrtpAuthTagLen.value().into(),
        ),
        (
            "MIKEY_SRTP_PARAM_SRTCP_AUTH_TAG_LEN",
            SrtpParam::SrtcpAuthTagLen.value().into(),
        ),
        (
            "MIKEY_SRTP_PARAM_AEAD_AUTH_TAG_LEN",
            SrtpParam::AeadAuthTagLen.value().into(),
        ),
        ("MIKEY_SRTP_ENCR_NULL", SrtpEncrAlg::Null.value().into()),
        ("MIKEY_SRTP_ENCR_AES_CM", SrtpEncrAlg::AesCm.value().into()),
        ("MIKEY_SRTP_ENCR_AES_F8", SrtpEncrAlg::AesF8.value().into()),
        (
            "MIKEY_SRTP_ENCR_SEED_CTR",
            SrtpEncrAlg::SeedCtr.value().into(),
        ),
        (
            "MIKEY_SRTP_ENCR_SEED_CCM",
            SrtpEncrAlg::SeedCcm.value().into(),
        ),
        (
            "MIKEY_SRTP_ENCR_SEED_GCM",
            SrtpEncrAlg::SeedGcm.value().into(),
        ),
        (
            "MIKEY_SRTP_ENCR_AES_GCM",
            SrtpEncrAlg::AesGcm.value().into(),
        ),
        (
            "MIKEY_SRTP_ENCR_ARIA_CTR",
            SrtpEncrAlg::AriaCtr.value().into(),
        ),
        (
            "MIKEY_SRTP_ENCR_ARIA_GCM",
            SrtpEncrAlg::AriaGcm.value().into(),
        ),
        ("MIKEY_SRTP_AUTH_NULL", SrtpAuthAlg::Null.value().into()),
        (
            "MIKEY_SRTP_AUTH_HMAC_SHA1",
            SrtpAuthAlg::HmacSha1.value().into(),
        ),
        ("MIKEY_SRTP_AUTH_RCCM1", SrtpAuthAlg::RccM1.value().into()),
        ("MIKEY_SRTP_AUTH_RCCM2", SrtpAuthAlg::RccM2.value().into()),
        ("MIKEY_SRTP_AUTH_RCCM3", SrtpAuthAlg::RccM3.value().into()),
        (
            "MIKEY_ERRNO_AUTH_FAILURE",
            ErrorNo::AuthFailure.value().into(),
        ),
        ("MIKEY_ERRNO_INVALID_TS", ErrorNo::InvalidTs.value().into()),
        (
            "MIKEY_ERRNO_INVALID_PRF",
            ErrorNo::InvalidPrf.value().into(),
        ),
        (
            "MIKEY_ERRNO_INVALID_MAC",
            ErrorNo::InvalidMac.value().into(),
        ),
        ("MIKEY_ERRNO_INVALID_EA", ErrorNo::InvalidEa.value().into()),
        ("MIKEY_ERRNO_INVALID_HA", ErrorNo::InvalidHa.value().into()),
        ("MIKEY_ERRNO_INVALID_DH", ErrorNo::InvalidDh.value().into()),
        ("MIKEY_ERRNO_INVALID_ID", ErrorNo::InvalidId.value().into()),
        (
            "MIKEY_ERRNO_INVALID_CERT",
            ErrorNo::InvalidCert.value().into(),
        ),
        ("MIKEY_ERRNO_INVALID_SP", ErrorNo::InvalidSp.value().into()),
        (
            "MIKEY_ERRNO_INVALID_SPPAR",
            ErrorNo::InvalidSpPar.value().into(),
        ),
        ("MIKEY_ERRNO_INVALID_DT", ErrorNo::InvalidDt.value().into()),
        (
            "MIKEY_ERRNO_UNSPECIFIED",
            ErrorNo::Unspecified.value().into(),
        ),
        (
            "MIKEY_ERRNO_UNSUPPORTED_MESSAGE_TYPE",
            ErrorNo::UnsupportedMessageType.value().into(),
        ),
        (
            "MIKEY_ERRNO_INVALID_TICKET",
            ErrorNo::InvalidTicket.value().into(),
        ),
        (
            "MIKEY_ERRNO_INVALID_TPPAR",
            ErrorNo::InvalidTpPar.value().into(),
        ),
        ("MIKEY_KEY_DATA_TGK", KeyDataType::Tgk.value().into()),
        (
            "MIKEY_KEY_DATA_TGK_SALT",
            KeyDataType::TgkSalt.value().into(),
        ),
        ("MIKEY_KEY_DATA_TEK", KeyDataType::Tek.value().into()),
        (
            "MIKEY_KEY_DATA_TEK_SALT",
            KeyDataType::TekSalt.value().into(),
        ),
        ("MIKEY_KEY_DATA_GTGK", KeyDataType::Gtgk.value().into()),
        (
            "MIKEY_KEY_DATA_GTGK_SALT",
            KeyDataType::GtgkSalt.value().into(),
        ),
        ("MIKEY_KEY_DATA_MPK", KeyDataType::Mpk.value().into()),
        (
            "MIKEY_KEY_DATA_K_PR",
            KeyDataType::PrivateKey.value().into(),
        ),
        ("MIKEY_KV_NULL", KvType::Null.value().into()),
        ("MIKEY_KV_SPI", KvType::Spi.value().into()),
        ("MIKEY_KV_INTERVAL", KvType::Interval.value().into()),
        ("MIKEY_EXT_VENDOR_ID", GenExtType::VendorId.value().into()),
        ("MIKEY_EXT_SDP_IDS", GenExtType::SdpIds.value().into()),
        (
            "MIKEY_EXT_TESLA_I_KEY",
            GenExtType::TeslaIKey.value().into(),
        ),
        ("MIKEY_EXT_KEY_ID", GenExtType::KeyId.value().into()),
        ("MIKEY_EXT_CSB_ID", GenExtType::CsbId.value().into()),
        ("MIKEY_EXT_OMA_BCAST", GenExtType::OmaBcast.value().into()),
        (
            "MIKEY_EXT_SAKKE_TO_SELF",
            GenExtType::SakkeToSelf.value().into(),
        ),
        (
            "MIKEY_EXT_3GPP_KEY_PARAMETERS",
            GenExtType::ThreeGppKeyParameters.value().into(),
        ),
        (
            "MIKEY_KEY_ID_MBMS_KEY_DOMAIN_ID",
            KeyIdType::MbmsKeyDomainId.value().into(),
        ),
        (
            "MIKEY_KEY_ID_MBMS_SERVICE_KEY_ID",
            KeyIdType::MbmsServiceKeyId.value().into(),
        ),
        (
            "MIKEY_KEY_ID_MBMS_TRAFFIC_KEY_ID",
            KeyIdType::MbmsTrafficKeyId.value().into(),
        ),
        ("MIKEY_OMA_BCAST_LTKM", OmaBcastSubtype::Ltkm.value().into()),
        ("MIKEY_OMA_BCAST_STKM", OmaBcastSubtype::Stkm.value().into()),
        (
            "MIKEY_OMA_BCAST_LTKM_REPORTING",
            OmaBcastSubtype::LtkmReporting.value().into(),
        ),
        (
            "MIKEY_OMA_BCAST_PARENTAL_CONTROL",
            OmaBcastSubtype::ParentalControl.value().into(),
        ),
        ("MIKEY_TESLA_PARAM_PRF", TeslaParam::Prf.value().into()),
        (
            "MIKEY_TESLA_PARAM_PRF_OUTPUT_LEN",
            TeslaParam::PrfOutputLen.value().into(),
        ),
        ("MIKEY_TESLA_PARAM_MAC", TeslaParam::Mac.value().into()),
        (
            "MIKEY_TESLA_PARAM_MAC_OUTPUT_LEN",
            TeslaParam::MacOutputLen.value().into(),
        ),
        (
            "MIKEY_TESLA_PARAM_SESSION_START",
            TeslaParam::SessionStart.value().into(),
        ),
        (
            "MIKEY_TESLA_PARAM_INTERVAL_DURATION",
            TeslaParam::IntervalDuration.value().into(),
        ),
        (
            "MIKEY_TESLA_PARAM_DISCLOSURE_DELAY",
            TeslaParam::DisclosureDelay.value().into(),
        ),
        (
            "MIKEY_TESLA_PARAM_KEY_CHAIN_LEN",
            TeslaParam::KeyChainLen.value().into(),
        ),
        (
            "MIKEY_TESLA_PARAM_RECEIVER_TIMESTAMP",
            TeslaParam::ReceiverTimestamp.value().into(),
        ),
        (
            "MIKEY_TESLA_HMAC_SHA1",
            mikey::tesla::TESLA_HMAC_SHA1.into(),
        ),
        (
            "MIKEY_TESLA_HMAC_SHA224",
            mikey::tesla::TESLA_HMAC_SHA224.into(),
        ),
        (
            "MIKEY_TESLA_HMAC_SHA256",
            mikey::tesla::TESLA_HMAC_SHA256.into(),
        ),
        (
            "MIKEY_TESLA_HMAC_SHA384",
            mikey::tesla::TESLA_HMAC_SHA384.into(),
        ),
        (
            "MIKEY_TESLA_HMAC_SHA512",
            mikey::tesla::TESLA_HMAC_SHA512.into(),
        ),
    ]
}

/// The C prefix of each codepoint registry and how many values the Rust enum registers
/// (counted over every byte value, so a newly registered value needs a new `#define`).
fn registries() -> Vec<(&'static str, usize)> {
    fn count<E: Copy + PartialEq>(from: impl Fn(u8) -> E, unknown: impl Fn(E) -> bool) -> usize {
        (0..=255u8).filter(|&v| !unknown(from(v))).count()
    }
    macro_rules! reg {
        ($prefix:literal, $enum:ident) => {
            (
                $prefix,
                count($enum::from, |e| e.registered_name().is_none()),
            )
        };
    }
    vec![
        reg!("MIKEY_DATA_TYPE_", DataType),
        reg!("MIKEY_PAYLOAD_", PayloadType),
        reg!("MIKEY_PRF_", PrfFunc),
        reg!("MIKEY_CS_ID_MAP_", CsIdMapType),
        reg!("MIKEY_ENCR_", EncrAlg),
        reg!("MIKEY_MAC_", MacAlg),
        reg!("MIKEY_DH_", DhGroup),
        reg!("MIKEY_SIGN_", SignatureType),
        reg!("MIKEY_TS_", TsType),
        reg!("MIKEY_ID_", IdType),
        reg!("MIKEY_CERT_", CertType),
        reg!("MIKEY_HASH_", HashFunc),
        reg!("MIKEY_PROT_", ProtType),
        reg!("MIKEY_SRTP_PARAM_", SrtpParam),
        reg!("MIKEY_SRTP_ENCR_", SrtpEncrAlg),
        reg!("MIKEY_SRTP_AUTH_", SrtpAuthAlg),
        reg!("MIKEY_ERRNO_", ErrorNo),
        reg!("MIKEY_KEY_DATA_", KeyDataType),
        reg!("MIKEY_KV_", KvType),
        reg!("MIKEY_EXT_", GenExtType),
        reg!("MIKEY_KEY_ID_", KeyIdType),
        reg!("MIKEY_OMA_BCAST_", OmaBcastSubtype),
        reg!("MIKEY_TESLA_PARAM_", TeslaParam),
    ]
}

/// The `#define NAME value` lines of the header with a decimal value.
fn header_defines() -> HashMap<String, u32> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let header = std::fs::read_to_string(root.join("include/mikey.h")).unwrap();
    header
        .lines()
        .filter_map(|l| {
            let mut w = l.split_whitespace();
            match (w.next(), w.next(), w.next(), w.next()) {
                (Some("#define"), Some(name), Some(value), None) => {
                    Some((name.to_string(), value.parse().ok()?))
                }
                _ => None,
            }
        })
        .collect()
}

#[test]
fn codepoint_defines_equal_the_wire_enums() {
    let defines = header_defines();
    for (name, value) in expected() {
        assert_eq!(
            defines.get(name),
            Some(&value),
            "{name} in include/mikey.h must be {value}"
        );
    }
}

#[test]
fn every_registered_codepoint_has_a_define_and_every_define_is_checked() {
    let defines = header_defines();
    let expected: HashMap<_, _> = expected().into_iter().collect();
    let prefixes = registries();
    for (prefix, registered) in &prefixes {
        let in_header: Vec<_> = defines.keys().filter(|n| n.starts_with(prefix)).collect();
        for name in &in_header {
            assert!(
                expected.contains_key(name.as_str()),
                "{name} is not compared with the wire enum (add it to expected())"
            );
        }
        assert_eq!(
            in_header.len(),
            *registered,
            "{prefix}*: {} defines for {registered} registered values",
            in_header.len()
        );
    }
}
