//! The SRTP policy model (RFC 3830 §6.10.1 with the RFC 3711 §8.2 defaults, RFC 4771 §4's
//! separate SRTP and SRTCP parameters, RFC 7714 §14.3), its mapping to SRTP protection
//! profiles ([`PROFILE_TABLE`]), and negotiation (RFC 3830 §5.1.1; RFC 4738 §3.6: "The
//! Responder MUST choose one option per Security Policy Parameter").
//!
//! An SP payload may repeat a parameter type to offer alternatives, in order of
//! preference. The responder takes the first combination, in offer order, that it
//! supports; when there is none it answers Error no. 10 (Invalid SPpar) with the policies
//! it supports. A parameter the library cannot honour makes its combination unsupported:
//! it is never ignored (an unknown type, an RCC integrity transform, a value of the wrong
//! length).

use crate::wire::{EncodeError, PolicyParam, ProtType, SecurityPolicy, SrtpAuthAlg, SrtpParam};
use std::num::NonZeroU16;

mod table;
pub use table::{PROFILE_TABLE, ProfileParams};

/// An SRTP protection profile: the parameter combinations this library derives keys for.
/// The numbers of the AES-CM-128, NULL and AEAD ones are libsrtp's `srtp_profile_t` values
/// (RFC 5764 §4.1.2, RFC 7714 §14.2); the AES-256-CM ones have no libsrtp profile number
/// (use `srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80` / `_32`). What each one is in SP
/// parameters, and in libsrtp crypto policies, is its row of [`PROFILE_TABLE`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum SrtpProfile {
    /// AES-CM 128-bit key, HMAC-SHA-1, 80-bit tag (`srtp_profile_aes128_cm_sha1_80`).
    Aes128CmSha1_80 = 1,
    /// AES-CM 128-bit key, HMAC-SHA-1, 32-bit SRTP tag and 80-bit SRTCP tag
    /// (`srtp_profile_aes128_cm_sha1_32`).
    Aes128CmSha1_32 = 2,
    /// NULL cipher, HMAC-SHA-1, 80-bit tag (`srtp_profile_null_sha1_80`).
    NullSha1_80 = 5,
    /// NULL cipher, HMAC-SHA-1, 32-bit SRTP tag and 80-bit SRTCP tag
    /// (`srtp_profile_null_sha1_32`).
    NullSha1_32 = 6,
    /// AES-CM 256-bit key, HMAC-SHA-1, 80-bit tag.
    Aes256CmSha1_80 = 0x101,
    /// AES-CM 256-bit key, HMAC-SHA-1, 32-bit SRTP tag and 80-bit SRTCP tag.
    Aes256CmSha1_32 = 0x102,
    /// AEAD_AES_128_GCM (RFC 7714 §14.2, §15): AES-GCM 128-bit key, 96-bit salt, 16-octet
    /// AEAD tag, no separate authentication (`srtp_profile_aead_aes_128_gcm`).
    AeadAes128Gcm = 7,
    /// AEAD_AES_256_GCM (RFC 7714 §14.2, §15): AES-GCM 256-bit key, 96-bit salt, 16-octet
    /// AEAD tag (`srtp_profile_aead_aes_256_gcm`).
    AeadAes256Gcm = 8,
}

impl SrtpProfile {
    /// Every profile, in the order a default responder prefers them.
    pub const ALL: [SrtpProfile; 8] = [
        SrtpProfile::Aes128CmSha1_80,
        SrtpProfile::Aes128CmSha1_32,
        SrtpProfile::Aes256CmSha1_80,
        SrtpProfile::Aes256CmSha1_32,
        SrtpProfile::AeadAes128Gcm,
        SrtpProfile::AeadAes256Gcm,
        SrtpProfile::NullSha1_80,
        SrtpProfile::NullSha1_32,
    ];

    /// The profiles a responder accepts unless configured otherwise: the ones with
    /// encryption (the NULL-cipher profiles must be enabled explicitly).
    pub const DEFAULT_ACCEPTED: [SrtpProfile; 6] = [
        SrtpProfile::Aes128CmSha1_80,
        SrtpProfile::Aes128CmSha1_32,
        SrtpProfile::Aes256CmSha1_80,
        SrtpProfile::Aes256CmSha1_32,
        SrtpProfile::AeadAes128Gcm,
        SrtpProfile::AeadAes256Gcm,
    ];

    /// The profile with this number, if any.
    pub fn from_u32(v: u32) -> Option<SrtpProfile> {
        SrtpProfile::ALL.into_iter().find(|p| *p as u32 == v)
    }

    /// This profile's row of [`PROFILE_TABLE`].
    pub fn params(self) -> &'static ProfileParams {
        match self {
            SrtpProfile::Aes128CmSha1_80 => &PROFILE_TABLE[0],
            SrtpProfile::Aes128CmSha1_32 => &PROFILE_TABLE[1],
            SrtpProfile::Aes256CmSha1_80 => &PROFILE_TABLE[2],
            SrtpProfile::Aes256CmSha1_32 => &PROFILE_TABLE[3],
            SrtpProfile::AeadAes128Gcm => &PROFILE_TABLE[4],
            SrtpProfile::AeadAes256Gcm => &PROFILE_TABLE[5],
            SrtpProfile::NullSha1_80 => &PROFILE_TABLE[6],
            SrtpProfile::NullSha1_32 => &PROFILE_TABLE[7],
        }
    }

    /// The SDES-style name (RFC 4568 crypto-suite names; AES-256 from RFC 6188; AEAD from
    /// RFC 7714 §14.1).
    pub fn name(self) -> &'static str {
        match self {
            SrtpProfile::Aes128CmSha1_80 => "AES_CM_128_HMAC_SHA1_80",
            SrtpProfile::Aes128CmSha1_32 => "AES_CM_128_HMAC_SHA1_32",
            SrtpProfile::NullSha1_80 => "NULL_HMAC_SHA1_80",
            SrtpProfile::NullSha1_32 => "NULL_HMAC_SHA1_32",
            SrtpProfile::Aes256CmSha1_80 => "AES_256_CM_HMAC_SHA1_80",
            SrtpProfile::Aes256CmSha1_32 => "AES_256_CM_HMAC_SHA1_32",
            SrtpProfile::AeadAes128Gcm => "AEAD_AES_128_GCM",
            SrtpProfile::AeadAes256Gcm => "AEAD_AES_256_GCM",
        }
    }

    /// The profile with this name (case-insensitive).
    pub fn from_name(name: &str) -> Option<SrtpProfile> {
        SrtpProfile::ALL
            .into_iter()
            .find(|p| p.name().eq_ignore_ascii_case(name))
    }

    /// Master key length in bytes.
    pub fn master_key_len(self) -> usize {
        match self {
            SrtpProfile::Aes256CmSha1_80
            | SrtpProfile::Aes256CmSha1_32
            | SrtpProfile::AeadAes256Gcm => 32,
            _ => 16,
        }
    }

    /// Master salt length in bytes: 112 bits for the AES-CM and NULL profiles (RFC 3711
    /// §8.2), 96 bits for AES-GCM (RFC 7714 §14.2).
    pub fn master_salt_len(self) -> usize {
        if self.is_aead() { 12 } else { 14 }
    }

    /// SRTP authentication tag length in bytes: the HMAC-SHA-1 tag, or the AEAD tag (RFC
    /// 7714 §14.2: 16 octets). SRTCP's is 10 for every HMAC-SHA-1 profile
    /// ([`ProfileParams::srtcp_tag_len`]).
    pub fn tag_len(self) -> usize {
        match self {
            SrtpProfile::Aes128CmSha1_32
            | SrtpProfile::NullSha1_32
            | SrtpProfile::Aes256CmSha1_32 => 4,
            SrtpProfile::AeadAes128Gcm | SrtpProfile::AeadAes256Gcm => 16,
            _ => 10,
        }
    }

    /// True for the AEAD profiles (RFC 7714): no separate authentication function.
    pub fn is_aead(self) -> bool {
        matches!(
            self,
            SrtpProfile::AeadAes128Gcm | SrtpProfile::AeadAes256Gcm
        )
    }

    /// True for the profiles without encryption.
    pub fn is_null_cipher(self) -> bool {
        matches!(self, SrtpProfile::NullSha1_80 | SrtpProfile::NullSha1_32)
    }

    /// The fully specified policy of this profile, as our offers carry it: its row of
    /// [`PROFILE_TABLE`] in the RFC 3830 parameters (types 0-12; the SRTP tag in type 11,
    /// which an RFC 3830 peer reads as the profile's tag, SRTCP's being 80 bits), every
    /// other parameter at its RFC 3711 default; an AEAD's tag in type 20 with NULL
    /// authentication and no auth key or SRTP tag (RFC 7714 §14.2, §15). No RFC 4771
    /// parameter: peers that predate it read it (see [`SrtpProfile::rfc4771_policy`]).
    pub fn policy(self) -> SrtpPolicy {
        let row = self.params();
        SrtpPolicy {
            encr_alg: row.encr_alg,
            encr_key_len: row.encr_key_len,
            auth_alg: row.srtp_auth_alg,
            auth_key_len: row.srtp_auth_key_len,
            salt_len: row.salt_len,
            tag_len: row.srtp_tag_len,
            aead_tag_len: row.aead_tag_len.unwrap_or(DEFAULT_AEAD_TAG_LEN),
            ..SrtpPolicy::default()
        }
    }

    /// The policy of this profile with RFC 4771 §4's separate SRTP and SRTCP parameters
    /// written out as well: types 14 and 15 (the authentication algorithms), and for the
    /// HMAC-SHA-1 profiles 16-19 (key and tag lengths; an AEAD has no authentication key
    /// or tag of its own, RFC 7714 §14.2). This states, e.g., the 80-bit SRTCP tag of a
    /// _32 profile to a peer that reads RFC 4771. Offer it only to such peers: one that
    /// predates RFC 4771 may refuse an unknown parameter type, as this library does.
    pub fn rfc4771_policy(self) -> SrtpPolicy {
        let row = self.params();
        let hmac = |v: u8| (!self.is_aead()).then_some(v);
        SrtpPolicy {
            srtp_auth_alg: Some(row.srtp_auth_alg),
            srtcp_auth_alg: Some(row.srtcp_auth_alg),
            srtp_auth_key_len: hmac(row.srtp_auth_key_len),
            srtcp_auth_key_len: hmac(row.srtcp_auth_key_len),
            srtp_tag_len: hmac(row.srtp_tag_len),
            srtcp_tag_len: hmac(row.srtcp_tag_len),
            ..self.policy()
        }
    }
}

/// SRTP encryption algorithm AES-GCM (RFC 7714 §14.3: value 6).
const AES_GCM: u8 = 6;

/// The AEAD authentication tag length RFC 7714 §14.3 registers (type 20), its default.
const DEFAULT_AEAD_TAG_LEN: u8 = 16;

/// A resolved SRTP policy: every parameter of RFC 3830 Table 6.10.1.a, absent ones at the
/// SRTP default (RFC 3830 §6.10.1: "if a Type/Value is not set, the default is used
/// (according to SRTP's own criteria)"; RFC 3711 §8.2), and the parameters of RFC 4771 §4
/// (types 13-19), which are `None` when absent: the general types 2, 3 and 11 then apply
/// (§4: "If any of the parameter types 14-19 ... and a corresponding general parameter
/// (type 2, 3, or 11) are both present in the policy, the more specific parameter SHALL
/// have precedence"; [`SrtpPolicy::srtp_auth`], [`SrtpPolicy::srtcp_auth`]). Lengths are
/// in bytes (README, Spec readings).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SrtpPolicy {
    /// Type 0: 0 NULL, 1 AES-CM, 2 AES-F8, ... (default AES-CM).
    pub encr_alg: u8,
    /// Type 1: session encryption key length, also the master key length (default 16).
    pub encr_key_len: u8,
    /// Type 2: 0 NULL, 1 HMAC-SHA-1, RCCm1-3 2-4 (RFC 4771 Table 1) (default HMAC-SHA-1),
    /// for SRTP and SRTCP unless type 14 or 15 is given.
    pub auth_alg: u8,
    /// Type 3: session authentication key length (default 20), for SRTP and SRTCP unless
    /// type 16 or 17 is given.
    pub auth_key_len: u8,
    /// Type 4: session salt key length, also the master salt length (default 14).
    pub salt_len: u8,
    /// Type 5: SRTP PRF, 0 AES-CM (default).
    pub prf: u8,
    /// Type 6: key derivation rate (default 0: keys derived once).
    pub kdr: u8,
    /// Type 7: SRTP encryption on (default on).
    pub srtp_encryption: bool,
    /// Type 8: SRTCP encryption on (default on).
    pub srtcp_encryption: bool,
    /// Type 9: sender's FEC order, 0 FEC-SRTP (default).
    pub fec_order: u8,
    /// Type 10: SRTP authentication on (default on).
    pub srtp_authentication: bool,
    /// Type 11: authentication tag length (default 10); see [`SrtpPolicy::srtcp_auth`]
    /// for what it says of SRTCP.
    pub tag_len: u8,
    /// Type 12: SRTP prefix length (default 0).
    pub prefix_len: u8,
    /// Type 13: ROC transmission rate R of the RCC transforms (RFC 4771 §4: "a 16-bit
    /// integer" in network byte order that "MUST be a non-zero unsigned integer"; absent,
    /// "the default value of 1 SHALL be used": [`SrtpPolicy::roc_transmission_rate`]).
    pub roc_rate: Option<NonZeroU16>,
    /// Type 14: SRTP authentication algorithm (RFC 4771 §4: the type 2 values and RCCm1-3).
    pub srtp_auth_alg: Option<u8>,
    /// Type 15: SRTCP authentication algorithm (RFC 4771 §4).
    pub srtcp_auth_alg: Option<u8>,
    /// Type 16: SRTP session authentication key length (RFC 4771 §4).
    pub srtp_auth_key_len: Option<u8>,
    /// Type 17: SRTCP session authentication key length (RFC 4771 §4).
    pub srtcp_auth_key_len: Option<u8>,
    /// Type 18: SRTP authentication tag length (RFC 4771 §4; with RCC it includes the
    /// 4-byte ROC).
    pub srtp_tag_len: Option<u8>,
    /// Type 19: SRTCP authentication tag length (RFC 4771 §4).
    pub srtcp_tag_len: Option<u8>,
    /// Type 20: AEAD authentication tag length (RFC 7714 §14.3; default 16).
    pub aead_tag_len: u8,
}

impl Default for SrtpPolicy {
    fn default() -> Self {
        SrtpPolicy {
            encr_alg: 1,
            encr_key_len: 16,
            auth_alg: 1,
            auth_key_len: 20,
            salt_len: 14,
            prf: 0,
            kdr: 0,
            srtp_encryption: true,
            srtcp_encryption: true,
            fec_order: 0,
            srtp_authentication: true,
            tag_len: 10,
            prefix_len: 0,
            roc_rate: None,
            srtp_auth_alg: None,
            srtcp_auth_alg: None,
            srtp_auth_key_len: None,
            srtcp_auth_key_len: None,
            srtp_tag_len: None,
            srtcp_tag_len: None,
            aead_tag_len: DEFAULT_AEAD_TAG_LEN,
        }
    }
}

/// The authentication SRTP or SRTCP uses under a policy, after RFC 4771 §4's precedence
/// ([`SrtpPolicy::srtp_auth`], [`SrtpPolicy::srtcp_auth`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuthParams {
    /// The authentication algorithm (RFC 3830 Table 6.10.1.c, RFC 4771 Table 1).
    pub alg: u8,
    /// The session authentication key length in bytes.
    pub key_len: u8,
    /// The authentication tag length in bytes; `None` only for SRTCP under an RFC 3830
    /// policy (no type 18 or 19): the profile's SRTCP tag.
    pub tag_len: Option<u8>,
}

/// Why an SP payload could not be turned into a policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyError {
    /// The Prot type is not SRTP (Error no. 9, Invalid SP).
    NotSrtp,
    /// No offered combination is supported (Error no. 10, Invalid SPpar).
    Unsupported,
}

/// At most this many combinations of alternatives are tried (an offer with more is
/// refused as unsupported rather than searched).
const MAX_COMBINATIONS: usize = 256;

impl SrtpPolicy {
    /// SRTP's authentication: type 14, 16 and 18 where given, else the general types 2,
    /// 3 and 11 (RFC 4771 §4: "the more specific parameter SHALL have precedence").
    pub fn srtp_auth(&self) -> AuthParams {
        AuthParams {
            alg: self.srtp_auth_alg.unwrap_or(self.auth_alg),
            key_len: self.srtp_auth_key_len.unwrap_or(self.auth_key_len),
            tag_len: Some(self.srtp_tag_len.unwrap_or(self.tag_len)),
        }
    }

    /// SRTCP's authentication: types 15 and 17 where given, else types 2 and 3 (RFC 4771
    /// §4). The tag length is type 19 where given; else, when the policy gives SRTP's tag
    /// in type 18, the general type 11 (RFC 4771 §4, as written); else `None`: a policy
    /// without type 18 or 19 is an RFC 3830 policy, whose type 11 names the profile's tag
    /// length (type 11 = 4 is AES_CM_128_HMAC_SHA1_32, with its 80-bit SRTCP tag, RFC 4568
    /// §6.2.2, as every MIKEY implementation reads it; README "Spec readings").
    pub fn srtcp_auth(&self) -> AuthParams {
        AuthParams {
            alg: self.srtcp_auth_alg.unwrap_or(self.auth_alg),
            key_len: self.srtcp_auth_key_len.unwrap_or(self.auth_key_len),
            tag_len: match (self.srtcp_tag_len, self.srtp_tag_len) {
                (Some(t), _) => Some(t),
                (None, Some(_)) => Some(self.tag_len),
                (None, None) => None,
            },
        }
    }

    /// The ROC transmission rate R (type 13; RFC 4771 §4: 1 when absent).
    pub fn roc_transmission_rate(&self) -> u16 {
        self.roc_rate.map_or(1, NonZeroU16::get)
    }

    /// True when SRTP or SRTCP would use an RCC integrity transform (RFC 4771 Table 1:
    /// RCCm1 2, RCCm2 3, RCCm3 4).
    pub fn uses_rcc(&self) -> bool {
        let rcc = |alg: u8| {
            matches!(
                SrtpAuthAlg::from(alg),
                SrtpAuthAlg::RccM1 | SrtpAuthAlg::RccM2 | SrtpAuthAlg::RccM3
            )
        };
        rcc(self.srtp_auth().alg) || rcc(self.srtcp_auth().alg)
    }

    /// The protection profile of this policy, if it is one this library supports: the
    /// parameters every profile shares (SRTP PRF AES-CM, RFC 7714 §15 requiring it for
    /// AES-GCM too; key derivation rate 0; FEC-SRTP order; SRTP authentication on; no
    /// prefix), then the row of [`PROFILE_TABLE`] that admits it
    /// ([`ProfileParams::admits`]: the effective SRTP and SRTCP authentication after RFC
    /// 4771 §4's precedence, SRTCP values a profile does not use refused).
    ///
    /// RFC 4771's RCC transforms (RCCm1/2/3, in type 2, 14 or 15) map to no profile:
    /// libsrtp has no ROC-carrying integrity transform, and RFC 4771 §2 forbids RCC for
    /// SRTCP ("SHALL NOT be used with SRTCP"). The ROC transmission rate (type 13) is not
    /// looked at: R says how often RCC carries the ROC (§2), so under HMAC-SHA-1 or an
    /// AEAD it changes nothing SRTP does, and an offer of RCC with an HMAC-SHA-1
    /// alternative carries R for its RCC option. Its form is checked when it is read
    /// ([`SrtpPolicy::negotiate`]: two bytes, non-zero; `NonZeroU16` here).
    pub fn profile(&self) -> Option<SrtpProfile> {
        let common = self.prf == 0
            && self.kdr == 0
            && self.fec_order == 0
            && self.srtp_authentication
            && self.prefix_len == 0;
        if !common {
            return None;
        }
        PROFILE_TABLE
            .iter()
            .find(|row| row.admits(self))
            .map(|row| row.profile)
    }

    /// The SP payload for this policy: every RFC 3830 parameter (types 0-12) written
    /// explicitly, one value each (the tag length always in type 11, never GStreamer's
    /// type 3 reading), then the RFC 4771 parameters (13-19) that are set, which a
    /// profile's policy has none of ([`SrtpProfile::policy`]; [`SrtpProfile::rfc4771_policy`]
    /// sets them). With AES-GCM the AEAD tag length goes in type 20 (RFC 7714 §14.3) and
    /// the lengths of an authentication function an AEAD has no use for (types 3, 11,
    /// 16-19) are left out; type 20 is written only then, so peers that predate RFC 7714
    /// read the other policies. Type 13 is two bytes in network byte order (RFC 4771 §4).
    pub fn to_sp(&self, policy_no: u8) -> Result<SecurityPolicy<'static>, EncodeError> {
        let b = |v: bool| u8::from(v);
        let aead = self.encr_alg == AES_GCM;
        let hmac = |v: Option<u8>| v.filter(|_| !aead);
        let values = [
            (SrtpParam::EncrAlg, Some(self.encr_alg)),
            (SrtpParam::EncrKeyLen, Some(self.encr_key_len)),
            (SrtpParam::AuthAlg, Some(self.auth_alg)),
            (SrtpParam::AuthKeyLen, hmac(Some(self.auth_key_len))),
            (SrtpParam::SaltKeyLen, Some(self.salt_len)),
            (SrtpParam::Prf, Some(self.prf)),
            (SrtpParam::KeyDerivationRate, Some(self.kdr)),
            (SrtpParam::SrtpEncryption, Some(b(self.srtp_encryption))),
            (SrtpParam::SrtcpEncryption, Some(b(self.srtcp_encryption))),
            (SrtpParam::FecOrder, Some(self.fec_order)),
            (
                SrtpParam::SrtpAuthentication,
                Some(b(self.srtp_authentication)),
            ),
            (SrtpParam::AuthTagLen, hmac(Some(self.tag_len))),
            (SrtpParam::PrefixLen, Some(self.prefix_len)),
            (SrtpParam::SrtpAuthAlg, self.srtp_auth_alg),
            (SrtpParam::SrtcpAuthAlg, self.srtcp_auth_alg),
            (SrtpParam::SrtpAuthKeyLen, hmac(self.srtp_auth_key_len)),
            (SrtpParam::SrtcpAuthKeyLen, hmac(self.srtcp_auth_key_len)),
            (SrtpParam::SrtpAuthTagLen, hmac(self.srtp_tag_len)),
            (SrtpParam::SrtcpAuthTagLen, hmac(self.srtcp_tag_len)),
            (SrtpParam::AeadAuthTagLen, aead.then_some(self.aead_tag_len)),
        ];
        let one_byte = values.map(|(_, v)| [v.unwrap_or(0)]);
        let rate = self.roc_rate.map(|r| r.get().to_be_bytes());
        let mut params: Vec<(u8, &[u8])> = Vec::with_capacity(values.len() + 1);
        for ((ty, v), bytes) in values.iter().zip(&one_byte) {
            if *ty == SrtpParam::SrtpAuthAlg {
                if let Some(rate) = &rate {
                    params.push((SrtpParam::RocTransmissionRate.into(), rate));
                }
            }
            if v.is_some() {
                params.push((u8::from(*ty), bytes));
            }
        }
        SecurityPolicy::from_params(policy_no, ProtType::Srtp, &params)
    }

    /// Negotiates an offered SP payload: tries the combinations of the offered
    /// alternatives in offer order (a parameter listed earlier varies slowest) and returns
    /// the first whose profile `accept` takes. A combination holding a value this model
    /// cannot hold (a flag other than 0 or 1, a value of the wrong length, a ROC
    /// transmission rate of 0, which RFC 4771 §4 forbids) or a parameter type it does not
    /// know (21 and up) is skipped, as is one that maps to no profile
    /// ([`SrtpPolicy::profile`]: e.g. RCC).
    ///
    /// Interop (README, Spec readings): GStreamer writes the SRTP tag length (10 or 4) in
    /// type 3 "Session Auth. key length" and sends no type 11. When an SP has no tag
    /// length at all (no type 11, 18 or 19) and its type 3 value is 4 or 10 (neither is an
    /// HMAC-SHA-1 key length), the value is read as the tag length and the auth key length
    /// stays 20. It is never written.
    pub fn negotiate(
        sp: &SecurityPolicy<'_>,
        accept: impl Fn(SrtpProfile) -> bool,
    ) -> Result<(SrtpPolicy, SrtpProfile), PolicyError> {
        if sp.prot_type != ProtType::Srtp {
            return Err(PolicyError::NotSrtp);
        }
        // The alternatives of each type, types in order of first appearance and values in
        // offer order (a stable sort on the type's first position; O(n log n) for any SP).
        let mut first_seen = [usize::MAX; 256];
        let mut params: Vec<PolicyParam<'_>> = Vec::with_capacity(sp.params().count());
        params.extend(sp.params());
        for (i, p) in params.iter().enumerate() {
            let first = &mut first_seen[usize::from(p.param_type)];
            *first = (*first).min(i);
        }
        params.sort_by_key(|p| first_seen[usize::from(p.param_type)]);
        let groups = || params.chunk_by(|a, b| a.param_type == b.param_type);
        let mut options: Vec<&[PolicyParam<'_>]> = Vec::with_capacity(groups().count());
        options.extend(groups());
        let offered = |t: SrtpParam| first_seen[usize::from(u8::from(t))] != usize::MAX;
        let gstreamer_tag = !offered(SrtpParam::AuthTagLen)
            && !offered(SrtpParam::SrtpAuthTagLen)
            && !offered(SrtpParam::SrtcpAuthTagLen);
        let mut count = 1usize;
        for values in &options {
            count = count.saturating_mul(values.len());
        }
        if count > MAX_COMBINATIONS {
            return Err(PolicyError::Unsupported);
        }
        for n in 0..count {
            let mut policy = SrtpPolicy::default();
            let mut rest = n;
            let mut valid = true;
            for values in options.iter().rev() {
                let chosen = values[rest % values.len()];
                rest /= values.len();
                valid &= policy.set(chosen.param_type, chosen.value, gstreamer_tag);
            }
            if !valid {
                continue;
            }
            // An absent parameter takes SRTP's own default (RFC 3830 §6.10.1), which for
            // AES-GCM is RFC 7714's: no authentication function (so no auth key and no
            // SRTP tag), a 96-bit salt.
            if policy.encr_alg == AES_GCM {
                for (param, field, default) in [
                    (SrtpParam::AuthAlg, &mut policy.auth_alg, 0),
                    (SrtpParam::AuthKeyLen, &mut policy.auth_key_len, 0),
                    (SrtpParam::SaltKeyLen, &mut policy.salt_len, 12),
                    (SrtpParam::AuthTagLen, &mut policy.tag_len, 0),
                ] {
                    if !offered(param) {
                        *field = default;
                    }
                }
            }
            if let Some(profile) = policy.profile().filter(|p| accept(*p)) {
                return Ok((policy, profile));
            }
        }
        Err(PolicyError::Unsupported)
    }

    /// Sets one parameter from its wire value; false when the value is not one this model
    /// can hold (a one-byte value, or two bytes for type 13), or the type is unknown (an
    /// unknown parameter cannot be honoured, so the combination is unsupported).
    fn set(&mut self, param_type: u8, value: &[u8], gstreamer_tag: bool) -> bool {
        let param = SrtpParam::from(param_type);
        if param == SrtpParam::RocTransmissionRate {
            // RFC 4771 §4: "The ROC transmission rate, R, is given in network byte order.
            // R MUST be a non-zero unsigned integer" (Table 2: a 16-bit integer).
            let rate = <[u8; 2]>::try_from(value)
                .ok()
                .and_then(|r| NonZeroU16::new(u16::from_be_bytes(r)));
            self.roc_rate = rate;
            return rate.is_some();
        }
        let [v] = value else {
            return false;
        };
        let v = *v;
        let flag = |v: u8| match v {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        };
        match param {
            SrtpParam::EncrAlg => self.encr_alg = v,
            SrtpParam::EncrKeyLen => self.encr_key_len = v,
            SrtpParam::AuthAlg => self.auth_alg = v,
            SrtpParam::AuthKeyLen if gstreamer_tag && (v == 4 || v == 10) => self.tag_len = v,
            SrtpParam::AuthKeyLen => self.auth_key_len = v,
            SrtpParam::SaltKeyLen => self.salt_len = v,
            SrtpParam::Prf => self.prf = v,
            SrtpParam::KeyDerivationRate => self.kdr = v,
            SrtpParam::SrtpEncryption => match flag(v) {
                Some(f) => self.srtp_encryption = f,
                None => return false,
            },
            SrtpParam::SrtcpEncryption => match flag(v) {
                Some(f) => self.srtcp_encryption = f,
                None => return false,
            },
            SrtpParam::FecOrder => self.fec_order = v,
            SrtpParam::SrtpAuthentication => match flag(v) {
                Some(f) => self.srtp_authentication = f,
                None => return false,
            },
            SrtpParam::AuthTagLen => self.tag_len = v,
            SrtpParam::PrefixLen => self.prefix_len = v,
            SrtpParam::SrtpAuthAlg => self.srtp_auth_alg = Some(v),
            SrtpParam::SrtcpAuthAlg => self.srtcp_auth_alg = Some(v),
            SrtpParam::SrtpAuthKeyLen => self.srtp_auth_key_len = Some(v),
            SrtpParam::SrtcpAuthKeyLen => self.srtcp_auth_key_len = Some(v),
            SrtpParam::SrtpAuthTagLen => self.srtp_tag_len = Some(v),
            SrtpParam::SrtcpAuthTagLen => self.srtcp_tag_len = Some(v),
            SrtpParam::AeadAuthTagLen => self.aead_tag_len = v,
            _ => return false,
        }
        true
    }
}

#[cfg(test)]
mod tests;
