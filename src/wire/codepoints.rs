//! Every MIKEY codepoint registry as a wire enum that keeps unregistered values
//! (`Unknown`), so decode→encode is byte-identical. Sources: IANA "MIKEY Payload Name
//! Spaces" (2019-02-15), RFC 3830 §6, RFC 4563, 4442, 4738, 4771, 5410, 6043, 6267, 6509,
//! 5748, 7714, 8269.

macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $name:ident: $repr:ty {
            $( $(#[$vmeta:meta])* $var:ident = $val:literal => $text:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $var, )*
            /// A value not registered (kept so that re-encoding is byte-identical).
            Unknown($repr),
        }

        impl From<$repr> for $name {
            fn from(v: $repr) -> Self {
                match v {
                    $( $val => Self::$var, )*
                    other => Self::Unknown(other),
                }
            }
        }

        impl From<$name> for $repr {
            fn from(v: $name) -> $repr {
                match v {
                    $( $name::$var => $val, )*
                    $name::Unknown(other) => other,
                }
            }
        }

        impl $name {
            /// The registry's name for this value, or `None` if unregistered.
            pub fn registered_name(self) -> Option<&'static str> {
                match self {
                    $( Self::$var => Some($text), )*
                    Self::Unknown(_) => None,
                }
            }

            /// The numeric value on the wire.
            pub fn value(self) -> $repr {
                self.into()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self.registered_name() {
                    Some(n) => f.write_str(n),
                    None => write!(f, "unknown ({})", self.value()),
                }
            }
        }
    };
}

wire_enum! {
    /// Common Header "data type" (RFC 3830 Table 6.1.a; 4650 §4.1; 4738 §3.9.1; 6043 §6.1;
    /// 6267 §6.1; 6509 §4.1).
    DataType: u8 {
        /// Initiator's pre-shared key message.
        PreShared = 0 => "Pre-shared",
        /// Verification message of a pre-shared key message.
        PskVerification = 1 => "PSK ver msg",
        /// Initiator's public-key transport message.
        PublicKey = 2 => "Public key",
        /// Verification message of a public-key message.
        PkVerification = 3 => "PK ver msg",
        /// Initiator's DH exchange message.
        DhInit = 4 => "D-H init",
        /// Responder's DH exchange message.
        DhResp = 5 => "D-H resp",
        /// Error message.
        Error = 6 => "Error",
        /// DH-HMAC initiator message (RFC 4650).
        DhHmacInit = 7 => "DHHMAC init",
        /// DH-HMAC responder message (RFC 4650).
        DhHmacResp = 8 => "DHHMAC resp",
        /// RSA-R I_MESSAGE (RFC 4738).
        RsaRInit = 9 => "RSA-R I_MSG",
        /// RSA-R R_MESSAGE (RFC 4738).
        RsaRResp = 10 => "RSA-R R_MSG",
        /// MIKEY-TICKET REQUEST_INIT_PSK (RFC 6043).
        RequestInitPsk = 11 => "REQUEST_INIT_PSK",
        /// MIKEY-TICKET REQUEST_INIT_PK.
        RequestInitPk = 12 => "REQUEST_INIT_PK",
        /// MIKEY-TICKET REQUEST_RESP.
        RequestResp = 13 => "REQUEST_RESP",
        /// MIKEY-TICKET TRANSFER_INIT.
        TransferInit = 14 => "TRANSFER_INIT",
        /// MIKEY-TICKET TRANSFER_RESP.
        TransferResp = 15 => "TRANSFER_RESP",
        /// MIKEY-TICKET RESOLVE_INIT_PSK.
        ResolveInitPsk = 16 => "RESOLVE_INIT_PSK",
        /// MIKEY-TICKET RESOLVE_INIT_PK.
        ResolveInitPk = 17 => "RESOLVE_INIT_PK",
        /// MIKEY-TICKET RESOLVE_RESP.
        ResolveResp = 18 => "RESOLVE_RESP",
        /// MIKEY-IBAKE REQUEST_KEY_PSK (RFC 6267).
        RequestKeyPsk = 19 => "REQUEST_KEY_PSK",
        /// MIKEY-IBAKE REQUEST_KEY_PKE.
        RequestKeyPke = 20 => "REQUEST_KEY_PKE",
        /// MIKEY-IBAKE REQUEST_KEY_RESP.
        RequestKeyResp = 21 => "REQUEST_KEY_RESP",
        /// MIKEY-IBAKE I_MESSAGE_1.
        IbakeInit1 = 22 => "I_MESSAGE_1",
        /// MIKEY-IBAKE R_MESSAGE_1.
        IbakeResp1 = 23 => "R_MESSAGE_1",
        /// MIKEY-IBAKE I_MESSAGE_2.
        IbakeInit2 = 24 => "I_MESSAGE_2",
        /// MIKEY-IBAKE R_MESSAGE_2.
        IbakeResp2 = 25 => "R_MESSAGE_2",
        /// MIKEY-SAKKE I_MESSAGE (RFC 6509).
        Sakke = 26 => "SAKKE msg",
    }
}

wire_enum! {
    /// "Next payload" values (RFC 3830 Table 6.1.b and later registrations).
    PayloadType: u8 {
        /// No further payload.
        Last = 0 => "Last payload",
        /// Key data transport (RFC 3830 §6.2).
        Kemac = 1 => "KEMAC",
        /// Envelope data (§6.3).
        Pke = 2 => "PKE",
        /// DH data (§6.4).
        Dh = 3 => "DH",
        /// Signature (§6.5).
        Sign = 4 => "SIGN",
        /// Timestamp (§6.6).
        Timestamp = 5 => "T",
        /// Identity (§6.7).
        Id = 6 => "ID",
        /// Certificate (§6.7).
        Cert = 7 => "CERT",
        /// Certificate hash (§6.8).
        Chash = 8 => "CHASH",
        /// Verification (§6.9).
        Verification = 9 => "V",
        /// Security policy (§6.10).
        SecurityPolicy = 10 => "SP",
        /// RAND (§6.11).
        Rand = 11 => "RAND",
        /// Error (§6.12).
        Error = 12 => "ERR",
        /// Timestamp with role (RFC 6043 §6.4).
        TimestampRole = 13 => "TR",
        /// ID with role (RFC 6043 §6.6).
        IdRole = 14 => "IDR",
        /// RAND with role (RFC 6043 §6.8).
        RandRole = 15 => "RANDR",
        /// Ticket policy (RFC 6043 §6.10).
        TicketPolicy = 16 => "TP",
        /// Ticket (RFC 6043 §6.10).
        Ticket = 17 => "TICKET",
        /// Key data sub-payload (§6.13), only inside KEMAC encrypted data.
        KeyData = 20 => "Key data",
        /// General extension (§6.15).
        GeneralExtension = 21 => "General Ext.",
        /// IBAKE (RFC 6267 §6.1.1).
        Ibake = 22 => "IBAKE",
        /// Encrypted secret key (RFC 6267 §6.1.2).
        EncryptedSecretKey = 23 => "ESK",
        /// Secret key sub-payload (RFC 6267 §6.1.5), only inside ESK encrypted data.
        SecretKey = 24 => "SK",
        /// EC Diffie-Hellman sub-payload (RFC 6267 §6.1.4), only inside IBAKE encrypted data.
        EccPoint = 25 => "ECCPT",
        /// SAKKE encapsulated data (RFC 6509 §4.2).
        Sakke = 26 => "SAKKE",
    }
}

impl PayloadType {
    /// A name for display: the registered name or "unknown (N)".
    pub fn name(self) -> String {
        self.to_string()
    }
}

wire_enum! {
    /// PRF func, 7 bits of HDR byte 3 (RFC 3830 Table 6.1.c; RFC 6043 §6.1).
    PrfFunc: u8 {
        /// MIKEY-1 (RFC 3830 §4.1.2), mandatory.
        Mikey1 = 0 => "MIKEY-1",
        /// PRF-HMAC-SHA-256 (RFC 6043 §6.1).
        HmacSha256 = 1 => "PRF-HMAC-SHA-256",
    }
}

wire_enum! {
    /// CS ID map type (RFC 3830 Table 6.1.d; RFC 4563 §5; RFC 6043 §6.1.1).
    CsIdMapType: u8 {
        /// SRTP-ID map (RFC 3830 §6.1.1).
        SrtpId = 0 => "SRTP-ID",
        /// Empty map (RFC 4563 §5).
        Empty = 1 => "Empty map",
        /// GENERIC-ID map (RFC 6043 §6.1.1).
        GenericId = 2 => "GENERIC-ID",
    }
}

wire_enum! {
    /// KEMAC Encr alg (RFC 3830 Table 6.2.a; RFC 6043 §6.2).
    EncrAlg: u8 {
        /// No encryption.
        Null = 0 => "NULL",
        /// AES counter mode, 128-bit key (mandatory).
        AesCm128 = 1 => "AES-CM-128",
        /// AES key wrap, 128-bit key.
        AesKw128 = 2 => "AES-KW-128",
        /// AES counter mode, 256-bit key (RFC 6043).
        AesCm256 = 3 => "AES-CM-256",
    }
}

wire_enum! {
    /// KEMAC MAC alg and V Auth alg (RFC 3830 Table 6.2.b; RFC 6043 §6.2).
    MacAlg: u8 {
        /// No MAC (0 bytes).
        Null = 0 => "NULL",
        /// HMAC-SHA-1, 160-bit tag (mandatory).
        HmacSha1_160 = 1 => "HMAC-SHA-1-160",
        /// HMAC-SHA-256, 256-bit tag (RFC 6043).
        HmacSha256_256 = 2 => "HMAC-SHA-256-256",
    }
}

impl MacAlg {
    /// The MAC length in bytes, or `None` if unregistered (then the payload cannot be walked).
    pub fn mac_len(self) -> Option<usize> {
        match self {
            MacAlg::Null => Some(0),
            MacAlg::HmacSha1_160 => Some(20),
            MacAlg::HmacSha256_256 => Some(32),
            MacAlg::Unknown(_) => None,
        }
    }
}

wire_enum! {
    /// PKE "C" envelope key cache indicator, 2 bits (RFC 3830 Table 6.3).
    CacheIndicator: u8 {
        /// The envelope key MUST NOT be cached.
        NoCache = 0 => "No cache",
        /// The envelope key MUST be cached.
        Cache = 1 => "Cache",
        /// Cached, but only for the specific CSB.
        CacheForCsb = 2 => "Cache for CSB",
    }
}

wire_enum! {
    /// DH-Group (RFC 3830 Table 6.4).
    DhGroup: u8 {
        /// OAKLEY group 5, 1536-bit MODP (mandatory when DH is supported).
        Oakley5 = 0 => "OAKLEY 5",
        /// OAKLEY group 1, 768-bit MODP.
        Oakley1 = 1 => "OAKLEY 1",
        /// OAKLEY group 2, 1024-bit MODP.
        Oakley2 = 2 => "OAKLEY 2",
        /// ECDH on P-256: the value the expired draft-ietf-msec-mikey-ecc-03 §3 proposed,
        /// never registered (RFC 5197 §4.1 describes it).
        EcdhP256 = 10 => "P-256 (draft-ietf-msec-mikey-ecc, unregistered)",
        /// ECDH on P-384, as [`DhGroup::EcdhP256`].
        EcdhP384 = 13 => "P-384 (draft-ietf-msec-mikey-ecc, unregistered)",
    }
}

impl DhGroup {
    /// The DH-value length in bytes, implicit from the group (RFC 3830 §6.4). On the draft's
    /// curves, an uncompressed point (SEC 1 §2.3.3; draft-ietf-msec-mikey-ecc-03 §3 names
    /// the X9.62 octet string and requires every implementation to read the uncompressed
    /// form, §6.1).
    pub fn value_len(self) -> Option<usize> {
        match self {
            DhGroup::Oakley5 => Some(192),
            DhGroup::Oakley1 => Some(96),
            DhGroup::Oakley2 => Some(128),
            DhGroup::EcdhP256 => Some(65),
            DhGroup::EcdhP384 => Some(97),
            DhGroup::Unknown(_) => None,
        }
    }
}

wire_enum! {
    /// SIGN "S type", 4 bits (RFC 3830 Table 6.5; RFC 6509 §4.3).
    SignatureType: u8 {
        /// RSA PKCS#1 v1.5 (mandatory).
        RsaPkcs1v15 = 0 => "RSA/PKCS#1/1.5",
        /// RSASSA-PSS.
        RsaPss = 1 => "RSA/PSS",
        /// ECCSI (RFC 6507, RFC 6509).
        Eccsi = 2 => "ECCSI",
    }
}

wire_enum! {
    /// TS type (RFC 3830 Table 6.6; RFC 6043 §6.3).
    TsType: u8 {
        /// 64-bit NTP timestamp in UTC.
        NtpUtc = 0 => "NTP-UTC",
        /// 64-bit NTP timestamp.
        Ntp = 1 => "NTP",
        /// 32-bit counter.
        Counter = 2 => "COUNTER",
        /// 32-bit NTP-UTC seconds (RFC 6043).
        NtpUtc32 = 3 => "NTP-UTC-32",
    }
}

impl TsType {
    /// The TS value length in bytes, or `None` if unregistered.
    pub fn value_len(self) -> Option<usize> {
        match self {
            TsType::NtpUtc | TsType::Ntp => Some(8),
            TsType::Counter | TsType::NtpUtc32 => Some(4),
            TsType::Unknown(_) => None,
        }
    }
}

wire_enum! {
    /// ID type (RFC 3830 Table 6.7.a; RFC 6043 §6.5).
    IdType: u8 {
        /// Network Access Identifier (RFC 2486).
        Nai = 0 => "NAI",
        /// URI (RFC 2396).
        Uri = 1 => "URI",
        /// Byte string (RFC 6043).
        ByteString = 2 => "Byte string",
    }
}

wire_enum! {
    /// Cert type (RFC 3830 Table 6.7.b).
    CertType: u8 {
        /// X.509v3 certificate (DER).
        X509v3 = 0 => "X.509v3",
        /// URL of an X.509v3 certificate.
        X509v3Url = 1 => "X.509v3 URL",
        /// X.509v3 certificate for signatures only.
        X509v3Sign = 2 => "X.509v3 Sign",
        /// X.509v3 certificate for encryption only.
        X509v3Encr = 3 => "X.509v3 Encr",
    }
}

wire_enum! {
    /// CHASH hash function (RFC 3830 Table 6.8; RFC 6043 §6.7).
    HashFunc: u8 {
        /// SHA-1 (20 bytes, mandatory).
        Sha1 = 0 => "SHA-1",
        /// MD5 (16 bytes).
        Md5 = 1 => "MD5",
        /// SHA-256 (32 bytes, RFC 6043).
        Sha256 = 2 => "SHA-256",
    }
}

impl HashFunc {
    /// The hash length in bytes, or `None` if unregistered.
    pub fn hash_len(self) -> Option<usize> {
        match self {
            HashFunc::Sha1 => Some(20),
            HashFunc::Md5 => Some(16),
            HashFunc::Sha256 => Some(32),
            HashFunc::Unknown(_) => None,
        }
    }
}

wire_enum! {
    /// SP "Prot type" (RFC 3830 Table 6.10; RFC 4442 §4.1).
    ProtType: u8 {
        /// SRTP.
        Srtp = 0 => "SRTP",
        /// TESLA (RFC 4442).
        Tesla = 1 => "TESLA",
    }
}

wire_enum! {
    /// SRTP policy parameter types (RFC 3830 Table 6.10.1.a; RFC 4771 §4; RFC 7714 §14.3).
    SrtpParam: u8 {
        /// Encryption algorithm.
        EncrAlg = 0 => "Encryption algorithm",
        /// Session encryption key length (bytes).
        EncrKeyLen = 1 => "Session Encr. key length",
        /// Authentication algorithm.
        AuthAlg = 2 => "Authentication algorithm",
        /// Session authentication key length (bytes).
        AuthKeyLen = 3 => "Session Auth. key length",
        /// Session salt key length (bytes).
        SaltKeyLen = 4 => "Session Salt key length",
        /// SRTP pseudo-random function.
        Prf = 5 => "SRTP Pseudo Random Function",
        /// Key derivation rate.
        KeyDerivationRate = 6 => "Key derivation rate",
        /// SRTP encryption off/on.
        SrtpEncryption = 7 => "SRTP encryption off/on",
        /// SRTCP encryption off/on.
        SrtcpEncryption = 8 => "SRTCP encryption off/on",
        /// Sender's FEC order.
        FecOrder = 9 => "sender's FEC order",
        /// SRTP authentication off/on.
        SrtpAuthentication = 10 => "SRTP authentication off/on",
        /// Authentication tag length (bytes).
        AuthTagLen = 11 => "Authentication tag length",
        /// SRTP prefix length (bytes).
        PrefixLen = 12 => "SRTP prefix length",
        /// ROC transmission rate (RFC 4771).
        RocTransmissionRate = 13 => "ROC transmission rate",
        /// SRTP auth algorithm (RFC 4771).
        SrtpAuthAlg = 14 => "SRTP Auth. algorithm",
        /// SRTCP auth algorithm (RFC 4771).
        SrtcpAuthAlg = 15 => "SRTCP Auth. algorithm",
        /// SRTP session auth key length (RFC 4771).
        SrtpAuthKeyLen = 16 => "SRTP Session Auth. key length",
        /// SRTCP session auth key length (RFC 4771).
        SrtcpAuthKeyLen = 17 => "SRTCP Session Auth. key length",
        /// SRTP authentication tag length (RFC 4771).
        SrtpAuthTagLen = 18 => "SRTP Authentication tag length",
        /// SRTCP authentication tag length (RFC 4771).
        SrtcpAuthTagLen = 19 => "SRTCP Authentication tag length",
        /// AEAD authentication tag length (RFC 7714).
        AeadAuthTagLen = 20 => "AEAD authentication tag length",
    }
}

wire_enum! {
    /// TESLA policy parameter types (RFC 4442 §4.2).
    TeslaParam: u8 {
        /// PRF identifier for f and f'.
        Prf = 1 => "PRF identifier for f and f'",
        /// Length of PRF f' output.
        PrfOutputLen = 2 => "Length of PRF f' output",
        /// TESLA MAC identifier.
        Mac = 3 => "Identifier for the TESLA MAC",
        /// Length of TESLA MAC output.
        MacOutputLen = 4 => "Length of TESLA MAC output",
        /// Start of session (NTP-UTC).
        SessionStart = 5 => "Start of session",
        /// Interval duration in ms.
        IntervalDuration = 6 => "Interval duration (in msec)",
        /// Key disclosure delay.
        DisclosureDelay = 7 => "Key disclosure delay",
        /// Key chain length.
        KeyChainLen = 8 => "Key chain length",
        /// Local timestamp of the media receiver (NTP-UTC).
        ReceiverTimestamp = 9 => "Local timestamp media receiver",
    }
}

wire_enum! {
    /// SRTP encryption algorithm values of policy type 0 (RFC 3830 Table 6.10.1.b;
    /// RFC 5748; RFC 7714; RFC 8269).
    SrtpEncrAlg: u8 {
        /// NULL.
        Null = 0 => "NULL",
        /// AES-CM.
        AesCm = 1 => "AES-CM",
        /// AES-F8.
        AesF8 = 2 => "AES-F8",
        /// SEED-CTR (RFC 5748).
        SeedCtr = 3 => "SEED-CTR",
        /// SEED-CCM (RFC 5748).
        SeedCcm = 4 => "SEED-CCM",
        /// SEED-GCM (RFC 5748).
        SeedGcm = 5 => "SEED-GCM",
        /// AES-GCM (RFC 7714).
        AesGcm = 6 => "AES-GCM",
        /// ARIA-CTR (RFC 8269).
        AriaCtr = 7 => "ARIA-CTR",
        /// ARIA-GCM (RFC 8269).
        AriaGcm = 8 => "ARIA-GCM",
    }
}

wire_enum! {
    /// SRTP authentication algorithm values of policy types 2, 14, 15 (RFC 3830
    /// Table 6.10.1.c; RFC 4771 Table 1).
    SrtpAuthAlg: u8 {
        /// NULL.
        Null = 0 => "NULL",
        /// HMAC-SHA-1.
        HmacSha1 = 1 => "HMAC-SHA-1",
        /// RCCm1 (RFC 4771).
        RccM1 = 2 => "RCCm1",
        /// RCCm2 (RFC 4771).
        RccM2 = 3 => "RCCm2",
        /// RCCm3 (RFC 4771).
        RccM3 = 4 => "RCCm3",
    }
}

wire_enum! {
    /// SRTP PRF values of policy type 5 (RFC 3830 Table 6.10.1.d; RFC 5748; RFC 8269).
    SrtpPrf: u8 {
        /// AES-CM.
        AesCm = 0 => "AES-CM",
        /// SEED-CTR (RFC 5748).
        SeedCtr = 1 => "SEED-CTR",
        /// ARIA-CTR (RFC 8269).
        AriaCtr = 2 => "ARIA-CTR",
    }
}

wire_enum! {
    /// ERR "Error no" (RFC 3830 Table 6.12; RFC 4738 §3.9.2; RFC 6043 §6.9).
    ErrorNo: u8 {
        /// Authentication failure.
        AuthFailure = 0 => "Auth failure",
        /// Invalid timestamp.
        InvalidTs = 1 => "Invalid TS",
        /// PRF function not supported.
        InvalidPrf = 2 => "Invalid PRF",
        /// MAC algorithm not supported.
        InvalidMac = 3 => "Invalid MAC",
        /// Encryption algorithm not supported.
        InvalidEa = 4 => "Invalid EA",
        /// Hash function not supported.
        InvalidHa = 5 => "Invalid HA",
        /// DH group not supported.
        InvalidDh = 6 => "Invalid DH",
        /// ID not supported.
        InvalidId = 7 => "Invalid ID",
        /// Certificate not supported.
        InvalidCert = 8 => "Invalid Cert",
        /// SP type not supported.
        InvalidSp = 9 => "Invalid SP",
        /// SP parameters not supported.
        InvalidSpPar = 10 => "Invalid SPpar",
        /// Data type not supported.
        InvalidDt = 11 => "Invalid DT",
        /// An unspecified error occurred.
        Unspecified = 12 => "Unspecified error",
        /// Unparseable / unsupported message type (RFC 4738).
        UnsupportedMessageType = 13 => "Unsupported message type",
        /// Ticket type not supported (RFC 6043).
        InvalidTicket = 14 => "Invalid TICKET",
        /// TP parameters not supported (RFC 6043).
        InvalidTpPar = 15 => "Invalid TPpar",
    }
}

wire_enum! {
    /// Key data "Type", 4 bits (RFC 3830 Table 6.13.a; RFC 6043 §6.2.1; RFC 6267 §6.1.3).
    KeyDataType: u8 {
        /// TGK.
        Tgk = 0 => "TGK",
        /// TGK with salt.
        TgkSalt = 1 => "TGK+SALT",
        /// TEK.
        Tek = 2 => "TEK",
        /// TEK with salt.
        TekSalt = 3 => "TEK+SALT",
        /// Group TGK (RFC 6043).
        Gtgk = 4 => "GTGK",
        /// Group TGK with salt (RFC 6043).
        GtgkSalt = 5 => "GTGK+SALT",
        /// MIKEY protection key (RFC 6043).
        Mpk = 6 => "MPK",
        /// IBE private key (RFC 6267).
        PrivateKey = 7 => "K_PR",
    }
}

impl KeyDataType {
    /// True when the Key data sub-payload carries Salt len and Salt data (RFC 3830 §6.13).
    pub fn has_salt(self) -> bool {
        matches!(
            self,
            KeyDataType::TgkSalt | KeyDataType::TekSalt | KeyDataType::GtgkSalt
        )
    }
}

wire_enum! {
    /// Key validity "KV" type, 4 bits (RFC 3830 Table 6.13.b).
    KvType: u8 {
        /// No specific usage rule.
        Null = 0 => "Null",
        /// The key is associated with the SPI/MKI.
        Spi = 1 => "SPI",
        /// The key has a start and expiration time.
        Interval = 2 => "Interval",
    }
}

wire_enum! {
    /// General Extension type (RFC 3830 Table 6.15; 4567; 4442; 4563; 4738; 5410; 3GPP).
    GenExtType: u8 {
        /// Vendor specific byte string.
        VendorId = 0 => "Vendor ID",
        /// List of SDP key management IDs (RFC 4567 §4.1.4).
        SdpIds = 1 => "SDP IDs",
        /// TESLA initial key (RFC 4442 §4.4).
        TeslaIKey = 2 => "TESLA I-Key",
        /// Key ID list (RFC 4563 §4).
        KeyId = 3 => "Key ID",
        /// Responder's CSB ID (RFC 4738 §3.6).
        CsbId = 4 => "CSB_ID",
        /// OMA BCAST (RFC 5410 §3).
        OmaBcast = 5 => "OMA BCAST",
        /// SAKKE-to-self (3GPP TS 33.180).
        SakkeToSelf = 6 => "SAKKE-to-self",
        /// 3GPP key parameters (3GPP TS 33.180).
        ThreeGppKeyParameters = 7 => "3GPP key parameters",
    }
}

wire_enum! {
    /// Key ID Type inside a Key ID General Extension (RFC 4563 §4 Table 2).
    KeyIdType: u8 {
        /// MBMS Key Domain ID.
        MbmsKeyDomainId = 0 => "MBMS Key Domain ID",
        /// MBMS Service Key ID.
        MbmsServiceKeyId = 1 => "MBMS Service Key ID",
        /// MBMS Traffic (IANA: Transport) Key ID.
        MbmsTrafficKeyId = 2 => "MBMS Traffic Key ID",
    }
}

wire_enum! {
    /// OMA BCAST data subtype (RFC 5410 §3).
    OmaBcastSubtype: u8 {
        /// Long-term key message.
        Ltkm = 1 => "LTKM",
        /// Short-term key message.
        Stkm = 2 => "STKM",
        /// LTKM reporting.
        LtkmReporting = 3 => "LTKM Reporting",
        /// Parental control.
        ParentalControl = 4 => "Parental Control",
    }
}

wire_enum! {
    /// TR "TS Role" (RFC 6043 Table 6.9).
    TsRole: u8 {
        /// Time of issue.
        TimeOfIssue = 1 => "Time of issue (TRi)",
        /// Start of validity period.
        ValidFrom = 2 => "Start of validity period (TRs)",
        /// End of validity period.
        ValidTo = 3 => "End of validity period (TRe)",
        /// Rekeying interval.
        RekeyingInterval = 4 => "Rekeying interval (TRr)",
    }
}

wire_enum! {
    /// IDR "ID Role" (RFC 6043 Table 6.11; RFC 6509; 3GPP TS 33.180).
    IdRole: u8 {
        /// Initiator.
        Initiator = 1 => "Initiator (IDRi)",
        /// Responder.
        Responder = 2 => "Responder (IDRr)",
        /// KMS.
        Kms = 3 => "KMS (IDRkms)",
        /// Pre-shared key.
        PreSharedKey = 4 => "Pre-Shared Key (IDRpsk)",
        /// Application.
        Application = 5 => "Application (IDRapp)",
        /// Initiator's KMS (RFC 6509).
        InitiatorKms = 6 => "Initiator's KMS (IDRkmsi)",
        /// Responder's KMS (RFC 6509).
        ResponderKms = 7 => "Responder's KMS (IDRkmsr)",
        /// Hashed initiator (3GPP).
        HashedInitiator = 8 => "Hashed Initiator (IDRuidi)",
        /// Hashed responder (3GPP).
        HashedResponder = 9 => "Hashed Responder (IDRuidr)",
    }
}

wire_enum! {
    /// RANDR "RAND Role" (RFC 6043 Table 6.13).
    RandRole: u8 {
        /// Initiator.
        Initiator = 1 => "Initiator (RANDRi)",
        /// Responder.
        Responder = 2 => "Responder (RANDRr)",
        /// KMS.
        Kms = 3 => "KMS (RANDRkms)",
    }
}

wire_enum! {
    /// TP/TICKET "Ticket Type", 16 bits (RFC 6043 Table 6.15).
    TicketType: u16 {
        /// MIKEY base ticket (RFC 6043 Appendix A).
        MikeyBase = 1 => "MIKEY Base Ticket",
        /// 3GPP base ticket.
        ThreeGppBase = 2 => "3GPP Base Ticket",
    }
}

wire_enum! {
    /// SAKKE params (RFC 6509 §4.2).
    SakkeParams: u8 {
        /// Parameter Set 1 (RFC 6509 Appendix A).
        ParameterSet1 = 1 => "Parameter Set 1",
    }
}

wire_enum! {
    /// SAKKE ID scheme (RFC 6509 §4.2; 3GPP TS 33.180).
    IdScheme: u8 {
        /// tel URI with monthly keys.
        TelUriMonthly = 1 => "tel URI with monthly keys",
        /// 3GPP MCX hashed UID.
        ThreeGppMcxHashedUid = 2 => "3GPP MCX hashed UID",
    }
}

wire_enum! {
    /// ECC curve of an ECCPT sub-payload (RFC 6267 Table 5).
    EccCurve: u8 {
        /// P-192.
        P192 = 1 => "P-192",
        /// B-163.
        B163 = 2 => "B-163",
        /// K-163.
        K163 = 3 => "K-163",
        /// sect163r1.
        Sect163r1 = 4 => "sect163r1",
        /// P-224.
        P224 = 5 => "P-224",
        /// B-233.
        B233 = 6 => "B-233",
        /// K-233.
        K233 = 7 => "K-233",
        /// P-256.
        P256 = 8 => "P-256",
        /// B-283.
        B283 = 9 => "B-283",
        /// K-283.
        K283 = 10 => "K-283",
        /// P-384.
        P384 = 11 => "P-384",
        /// B-409.
        B409 = 12 => "B-409",
        /// K-409.
        K409 = 13 => "K-409",
        /// P-521.
        P521 = 14 => "P-521",
        /// B-571.
        B571 = 15 => "B-571",
        /// K-571.
        K571 = 16 => "K-571",
    }
}

impl EccCurve {
    /// Field size in bits, which fixes the point length.
    pub fn field_bits(self) -> Option<usize> {
        use EccCurve::*;
        Some(match self {
            P192 => 192,
            B163 | K163 | Sect163r1 => 163,
            P224 => 224,
            B233 | K233 => 233,
            P256 => 256,
            B283 | K283 => 283,
            P384 => 384,
            B409 | K409 => 409,
            P521 => 521,
            B571 | K571 => 571,
            Unknown(_) => return None,
        })
    }

    /// The curve of an ECC curve number of draft-ietf-msec-mikey-ecc-03 §6.1, which
    /// numbers the same sixteen curves from 0 where RFC 6267 Table 5 (the registry)
    /// numbers them from 1.
    pub fn from_draft(value: u8) -> Option<EccCurve> {
        let curve = EccCurve::from(value.checked_add(1)?);
        curve.field_bits().map(|_| curve)
    }

    /// Length of the ECC Point field: an uncompressed octet-string point (0x04 || X || Y,
    /// SEC 1 §2.3.3) "padded to end on a 32-bit boundary" (RFC 6267 §6.1.4). RFC 6267 does
    /// not say compressed or uncompressed; we read it as uncompressed.
    pub fn point_field_len(self) -> Option<usize> {
        let coord = self.field_bits()?.div_ceil(8);
        Some((1 + 2 * coord).div_ceil(4) * 4)
    }
}

wire_enum! {
    /// SK sub-payload type (RFC 6267 Table 6).
    SecretKeyType: u8 {
        /// Secret key.
        Sk = 1 => "SK",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_round_trips_through_each_enum() {
        for v in 0..=255u8 {
            assert_eq!(u8::from(DataType::from(v)), v);
            assert_eq!(u8::from(PayloadType::from(v)), v);
            assert_eq!(u8::from(ErrorNo::from(v)), v);
            assert_eq!(u8::from(SrtpParam::from(v)), v);
            assert_eq!(u8::from(GenExtType::from(v)), v);
        }
        assert_eq!(u16::from(TicketType::from(0xFFFF)), 0xFFFF);
    }

    #[test]
    fn names_follow_the_registry() {
        assert_eq!(DataType::from(9).to_string(), "RSA-R I_MSG");
        assert_eq!(PayloadType::from(21).to_string(), "General Ext.");
        assert_eq!(PayloadType::from(19).to_string(), "unknown (19)");
        assert_eq!(
            ErrorNo::from(13).registered_name(),
            Some("Unsupported message type")
        );
    }

    #[test]
    fn implied_lengths() {
        assert_eq!(DhGroup::Oakley5.value_len(), Some(192));
        assert_eq!(MacAlg::HmacSha256_256.mac_len(), Some(32));
        assert_eq!(TsType::Counter.value_len(), Some(4));
        assert_eq!(HashFunc::Md5.hash_len(), Some(16));
        // P-256: 1 + 2*32 = 65, padded to 68.
        assert_eq!(EccCurve::P256.point_field_len(), Some(68));
        assert_eq!(EccCurve::Unknown(0).point_field_len(), None);
    }
}
