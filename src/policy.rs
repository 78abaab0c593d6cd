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

/// What one [`SrtpProfile`] is in the SP parameters of RFC 3830 Table 6.10.1.a, RFC 4771
/// §4 and RFC 7714 §14.3 (lengths in bytes, README "Spec readings"), for SRTP and SRTCP
/// each, and which libsrtp crypto policies `mikey_srtp.h` makes of it. One row of
/// [`PROFILE_TABLE`].
///
/// The SRTP and SRTCP columns are the effective values after RFC 4771 §4's precedence
/// (see [`SrtpPolicy::srtp_auth`] and [`SrtpPolicy::srtcp_auth`]). The parameters not
/// listed are the same for every profile (SRTP PRF AES-CM, key derivation rate 0, FEC
/// order FEC-SRTP, SRTP authentication on, prefix length 0) and the ROC transmission rate
/// (type 13) is not looked at: see [`SrtpPolicy::profile`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProfileParams {
    /// The profile.
    pub profile: SrtpProfile,
    /// Type 0, SRTP encryption algorithm: 0 NULL, 1 AES-CM, 6 AES-GCM (RFC 7714 §14.3).
    pub encr_alg: u8,
    /// Type 1, session encryption key length, also the master key length (RFC 3830
    /// §6.10.1). With the NULL cipher it is written (16, the master key libsrtp's NULL
    /// profiles take) but not looked at when read.
    pub encr_key_len: u8,
    /// Type 4, session salt length, also the master salt length: 14 (RFC 3711 §8.2), 12
    /// for AES-GCM (RFC 7714 §14.2).
    pub salt_len: u8,
    /// SRTP authentication algorithm (type 14, else type 2): 1 HMAC-SHA-1, or 0 (NULL) for
    /// an AEAD, which authenticates by itself (RFC 7714 §14.2).
    pub srtp_auth_alg: u8,
    /// SRTP session authentication key length (type 16, else type 3): 20; 0 for an AEAD
    /// (no authentication key: not looked at).
    pub srtp_auth_key_len: u8,
    /// SRTP authentication tag length (type 18, else type 11): 10 or 4; 0 for an AEAD
    /// (its tag is type 20: not looked at).
    pub srtp_tag_len: u8,
    /// SRTCP authentication algorithm (type 15, else type 2), as for SRTP.
    pub srtcp_auth_alg: u8,
    /// SRTCP session authentication key length (type 17, else type 3), as for SRTP.
    pub srtcp_auth_key_len: u8,
    /// SRTCP authentication tag length (type 19, else type 11 when type 18 is present):
    /// 10 for every HMAC-SHA-1 profile, the _32 ones included (RFC 4568 §6.2.2: the _32
    /// suites shorten the SRTP tag only; libsrtp's `_32` policies are RTP-only and
    /// `mikey_srtp.h` gives SRTCP the `_80` one); 0 for an AEAD.
    pub srtcp_tag_len: u8,
    /// Type 20, AEAD authentication tag length: 16 for AES-GCM (RFC 7714 §14.3, §15);
    /// `None` for the other profiles, which accept type 20 only at its default, 16.
    pub aead_tag_len: Option<u8>,
    /// The libsrtp crypto policy `mikey_srtp.h` gives SRTP: the name after
    /// `srtp_crypto_policy_set_`.
    pub libsrtp_rtp: &'static str,
    /// The libsrtp crypto policy `mikey_srtp.h` gives SRTCP: the name after
    /// `srtp_crypto_policy_set_`.
    pub libsrtp_rtcp: &'static str,
}

/// The profiles and their SP parameters, in [`SrtpProfile::ALL`] order: the one mapping
/// between SP parameters and profiles, both ways ([`SrtpPolicy::profile`] finds the row
/// that admits a policy, [`SrtpProfile::policy`] writes a row as a policy).
///
/// | profile | 0 encr | 1 key | 4 salt | SRTP auth / key / tag | SRTCP auth / key / tag | 20 AEAD tag | libsrtp RTP | libsrtp RTCP |
/// |---|---|---|---|---|---|---|---|---|
/// | AES_CM_128_HMAC_SHA1_80 | 1 | 16 | 14 | 1 / 20 / 10 | 1 / 20 / 10 | – | aes_cm_128_hmac_sha1_80 | aes_cm_128_hmac_sha1_80 |
/// | AES_CM_128_HMAC_SHA1_32 | 1 | 16 | 14 | 1 / 20 / 4 | 1 / 20 / 10 | – | aes_cm_128_hmac_sha1_32 | aes_cm_128_hmac_sha1_80 |
/// | AES_256_CM_HMAC_SHA1_80 | 1 | 32 | 14 | 1 / 20 / 10 | 1 / 20 / 10 | – | aes_cm_256_hmac_sha1_80 | aes_cm_256_hmac_sha1_80 |
/// | AES_256_CM_HMAC_SHA1_32 | 1 | 32 | 14 | 1 / 20 / 4 | 1 / 20 / 10 | – | aes_cm_256_hmac_sha1_32 | aes_cm_256_hmac_sha1_80 |
/// | AEAD_AES_128_GCM | 6 | 16 | 12 | 0 / – / – | 0 / – / – | 16 | aes_gcm_128_16_auth | aes_gcm_128_16_auth |
/// | AEAD_AES_256_GCM | 6 | 32 | 12 | 0 / – / – | 0 / – / – | 16 | aes_gcm_256_16_auth | aes_gcm_256_16_auth |
/// | NULL_HMAC_SHA1_80 | 0 | (16) | 14 | 1 / 20 / 10 | 1 / 20 / 10 | – | null_cipher_hmac_sha1_80 | null_cipher_hmac_sha1_80 |
/// | NULL_HMAC_SHA1_32 | 0 | (16) | 14 | 1 / 20 / 4 | 1 / 20 / 10 | – | null_cipher_hmac_sha1_80, tag 4 | null_cipher_hmac_sha1_80 |
pub const PROFILE_TABLE: [ProfileParams; 8] = [
    ProfileParams {
        profile: SrtpProfile::Aes128CmSha1_80,
        encr_alg: 1,
        encr_key_len: 16,
        salt_len: 14,
        srtp_auth_alg: 1,
        srtp_auth_key_len: 20,
        srtp_tag_len: 10,
        srtcp_auth_alg: 1,
        srtcp_auth_key_len: 20,
        srtcp_tag_len: 10,
        aead_tag_len: None,
        libsrtp_rtp: "aes_cm_128_hmac_sha1_80",
        libsrtp_rtcp: "aes_cm_128_hmac_sha1_80",
    },
    ProfileParams {
        profile: SrtpProfile::Aes128CmSha1_32,
        encr_alg: 1,
        encr_key_len: 16,
        salt_len: 14,
        srtp_auth_alg: 1,
        srtp_auth_key_len: 20,
        srtp_tag_len: 4,
        srtcp_auth_alg: 1,
        srtcp_auth_key_len: 20,
        srtcp_tag_len: 10,
        aead_tag_len: None,
        libsrtp_rtp: "aes_cm_128_hmac_sha1_32",
        libsrtp_rtcp: "aes_cm_128_hmac_sha1_80",
    },
    ProfileParams {
        profile: SrtpProfile::Aes256CmSha1_80,
        encr_alg: 1,
        encr_key_len: 32,
        salt_len: 14,
        srtp_auth_alg: 1,
        srtp_auth_key_len: 20,
        srtp_tag_len: 10,
        srtcp_auth_alg: 1,
        srtcp_auth_key_len: 20,
        srtcp_tag_len: 10,
        aead_tag_len: None,
        libsrtp_rtp: "aes_cm_256_hmac_sha1_80",
        libsrtp_rtcp: "aes_cm_256_hmac_sha1_80",
    },
    ProfileParams {
        profile: SrtpProfile::Aes256CmSha1_32,
        encr_alg: 1,
        encr_key_len: 32,
        salt_len: 14,
        srtp_auth_alg: 1,
        srtp_auth_key_len: 20,
        srtp_tag_len: 4,
        srtcp_auth_alg: 1,
        srtcp_auth_key_len: 20,
        srtcp_tag_len: 10,
        aead_tag_len: None,
        libsrtp_rtp: "aes_cm_256_hmac_sha1_32",
        libsrtp_rtcp: "aes_cm_256_hmac_sha1_80",
    },
    ProfileParams {
        profile: SrtpProfile::AeadAes128Gcm,
        encr_alg: AES_GCM,
        encr_key_len: 16,
        salt_len: 12,
        srtp_auth_alg: 0,
        srtp_auth_key_len: 0,
        srtp_tag_len: 0,
        srtcp_auth_alg: 0,
        srtcp_auth_key_len: 0,
        srtcp_tag_len: 0,
        aead_tag_len: Some(16),
        libsrtp_rtp: "aes_gcm_128_16_auth",
        libsrtp_rtcp: "aes_gcm_128_16_auth",
    },
    ProfileParams {
        profile: SrtpProfile::AeadAes256Gcm,
        encr_alg: AES_GCM,
        encr_key_len: 32,
        salt_len: 12,
        srtp_auth_alg: 0,
        srtp_auth_key_len: 0,
        srtp_tag_len: 0,
        srtcp_auth_alg: 0,
        srtcp_auth_key_len: 0,
        srtcp_tag_len: 0,
        aead_tag_len: Some(16),
        libsrtp_rtp: "aes_gcm_256_16_auth",
        libsrtp_rtcp: "aes_gcm_256_16_auth",
    },
    ProfileParams {
        profile: SrtpProfile::NullSha1_80,
        encr_alg: 0,
        encr_key_len: 16,
        salt_len: 14,
        srtp_auth_alg: 1,
        srtp_auth_key_len: 20,
        srtp_tag_len: 10,
        srtcp_auth_alg: 1,
        srtcp_auth_key_len: 20,
        srtcp_tag_len: 10,
        aead_tag_len: None,
        libsrtp_rtp: "null_cipher_hmac_sha1_80",
        libsrtp_rtcp: "null_cipher_hmac_sha1_80",
    },
    ProfileParams {
        profile: SrtpProfile::NullSha1_32,
        encr_alg: 0,
        encr_key_len: 16,
        salt_len: 14,
        srtp_auth_alg: 1,
        srtp_auth_key_len: 20,
        srtp_tag_len: 4,
        srtcp_auth_alg: 1,
        srtcp_auth_key_len: 20,
        srtcp_tag_len: 10,
        aead_tag_len: None,
        // libsrtp has no setter for it: mikey_srtp.h sets the _80 policy's tag to 4.
        libsrtp_rtp: "null_cipher_hmac_sha1_80",
        libsrtp_rtcp: "null_cipher_hmac_sha1_80",
    },
];

impl ProfileParams {
    /// True when `p` is this profile: the row's values after RFC 4771 §4's precedence,
    /// with these readings:
    /// - AES-GCM (RFC 7714 §14.3: "The encryption algorithm, session encryption key
    ///   length, and AEAD authentication tag sizes received from MIKEY fully determine
    ///   the AEAD algorithm"): the key length, a 12-byte salt, the 16-byte AEAD tag, NULL
    ///   authentication for SRTP and SRTCP (an HMAC or RCC on top is refused) and
    ///   encryption on; the lengths of the absent authentication function (types 3, 11,
    ///   16-19) are not looked at.
    /// - the NULL cipher: the key length and the encryption flags are not looked at
    ///   (there is no key and nothing to switch on or off).
    /// - SRTCP's tag: type 19 when present, else type 11 when the policy gives SRTP's
    ///   own tag in type 18 (RFC 4771 §4 precedence); a policy with neither 18 nor 19 is
    ///   an RFC 3830 policy, whose type 11 is read as SRTP's tag, SRTCP taking the
    ///   profile's (type 11 = 4 is AES_CM_128_HMAC_SHA1_32, whose SRTCP tag is 80 bits,
    ///   as before RFC 4771 and as SDES names it, RFC 4568 §6.2.2).
    /// - type 20 on a non-AEAD profile only at its default, 16.
    pub fn admits(&self, p: &SrtpPolicy) -> bool {
        if p.encr_alg != self.encr_alg {
            return false;
        }
        let (rtp, rtcp) = (p.srtp_auth(), p.srtcp_auth());
        if let Some(aead_tag) = self.aead_tag_len {
            return p.encr_key_len == self.encr_key_len
                && p.salt_len == self.salt_len
                && p.aead_tag_len == aead_tag
                && rtp.alg == self.srtp_auth_alg
                && rtcp.alg == self.srtcp_auth_alg
                && p.srtp_encryption
                && p.srtcp_encryption;
        }
        let null_cipher = self.encr_alg == 0;
        (null_cipher
            || (p.encr_key_len == self.encr_key_len && p.srtp_encryption && p.srtcp_encryption))
            && p.salt_len == self.salt_len
            && p.aead_tag_len == DEFAULT_AEAD_TAG_LEN
            && rtp.alg == self.srtp_auth_alg
            && rtp.key_len == self.srtp_auth_key_len
            && rtp.tag_len == Some(self.srtp_tag_len)
            && rtcp.alg == self.srtcp_auth_alg
            && rtcp.key_len == self.srtcp_auth_key_len
            && rtcp.tag_len.is_none_or(|t| t == self.srtcp_tag_len)
    }
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
mod tests {
    use super::*;

    fn sp(params: &[(u8, &[u8])]) -> SecurityPolicy<'static> {
        SecurityPolicy::from_params(0, ProtType::Srtp, params).unwrap()
    }

    #[test]
    fn empty_sp_is_the_srtp_default_profile() {
        let (policy, profile) = SrtpPolicy::negotiate(&sp(&[]), |_| true).unwrap();
        assert_eq!(policy, SrtpPolicy::default());
        assert_eq!(profile, SrtpProfile::Aes128CmSha1_80);
    }

    #[test]
    fn every_profile_round_trips_through_its_sp() {
        for profile in SrtpProfile::ALL {
            let policy = profile.policy();
            assert_eq!(policy.profile(), Some(profile));
            let wire = policy.to_sp(3).unwrap();
            // The SRTP tag in type 11, or the AEAD tag in type 20 (RFC 7714 §14.3).
            let (tag_type, absent) = if profile.is_aead() {
                (20, 11)
            } else {
                (11, 20)
            };
            assert_eq!(
                wire.param(tag_type).unwrap().value,
                [profile.tag_len() as u8]
            );
            assert!(wire.param(absent).is_none());
            let (back, p) = SrtpPolicy::negotiate(&wire, |_| true).unwrap();
            assert_eq!((back, p), (policy, profile));
            assert_eq!(SrtpProfile::from_name(profile.name()), Some(profile));
            assert_eq!(SrtpProfile::from_u32(profile as u32), Some(profile));
        }
    }

    #[test]
    fn aes_gcm_is_read_as_rfc_7714_section_15_maps_it() {
        // Table 4: AES-GCM (6) with key length 16 or 32 and AEAD tag 16; absent
        // parameters at RFC 7714's defaults (NULL auth, 96-bit salt, tag 16).
        for (key, profile) in [
            (16, SrtpProfile::AeadAes128Gcm),
            (32, SrtpProfile::AeadAes256Gcm),
        ] {
            let offer = sp(&[(0, &[6]), (1, &[key])]);
            let (policy, p) = SrtpPolicy::negotiate(&offer, |_| true).unwrap();
            assert_eq!(p, profile);
            assert_eq!((policy.auth_alg, policy.salt_len), (0, 12));
            let explicit = sp(&[(0, &[6]), (1, &[key]), (2, &[0]), (4, &[12]), (20, &[16])]);
            assert_eq!(
                SrtpPolicy::negotiate(&explicit, |_| true).unwrap().1,
                profile
            );
        }
        let refuse = |params: &[(u8, &[u8])]| {
            assert_eq!(
                SrtpPolicy::negotiate(&sp(params), |_| true),
                Err(PolicyError::Unsupported),
                "{params:?}"
            );
        };
        refuse(&[(0, &[6]), (1, &[24])]); // no AES-192-GCM profile
        refuse(&[(0, &[6]), (20, &[8])]); // an 8-octet AEAD tag
        refuse(&[(0, &[6]), (5, &[1])]); // §15: the PRF must be AES-CM
        refuse(&[(0, &[6]), (4, &[14])]); // a 112-bit salt
        refuse(&[(0, &[6]), (2, &[1])]); // HMAC-SHA-1 on top of the AEAD
        refuse(&[(0, &[7])]); // ARIA-CTR (RFC 8269): not exportable to libsrtp
        refuse(&[(0, &[8])]); // ARIA-GCM
        refuse(&[(20, &[8])]); // an AEAD tag length on AES-CM
        // A responder preferring GCM picks it from alternatives.
        let offer = sp(&[(0, &[1]), (0, &[6]), (1, &[16])]);
        let (_, p) = SrtpPolicy::negotiate(&offer, |p| p.is_aead()).unwrap();
        assert_eq!(p, SrtpProfile::AeadAes128Gcm);
    }

    #[test]
    fn gstreamer_tag_length_in_type_3_is_read_as_the_tag() {
        // gst_mikey_message_new_from_caps for AES_CM_128_HMAC_SHA1_32 (README, Spec readings).
        let offer = sp(&[(0, &[1]), (1, &[16]), (2, &[1]), (3, &[4]), (4, &[14])]);
        let (policy, profile) = SrtpPolicy::negotiate(&offer, |_| true).unwrap();
        assert_eq!(profile, SrtpProfile::Aes128CmSha1_32);
        assert_eq!(policy.auth_key_len, 20);
        // With type 11 present, type 3 = 4 is an auth key length: unsupported.
        let offer = sp(&[(3, &[4]), (11, &[4])]);
        assert_eq!(
            SrtpPolicy::negotiate(&offer, |_| true),
            Err(PolicyError::Unsupported)
        );
    }

    #[test]
    fn alternatives_are_tried_in_offer_order() {
        // Offer tag 4 first, then 10; a responder taking only _80 picks 10.
        let offer = sp(&[(11, &[4]), (11, &[10])]);
        let (_, p) = SrtpPolicy::negotiate(&offer, |p| p == SrtpProfile::Aes128CmSha1_80).unwrap();
        assert_eq!(p, SrtpProfile::Aes128CmSha1_80);
        let (_, p) = SrtpPolicy::negotiate(&offer, |_| true).unwrap();
        assert_eq!(p, SrtpProfile::Aes128CmSha1_32);
        // Key length alternatives vary slower than the tag (listed earlier).
        let offer = sp(&[(1, &[32]), (1, &[16]), (11, &[4]), (11, &[10])]);
        let (_, p) = SrtpPolicy::negotiate(&offer, |p| p.tag_len() == 10).unwrap();
        assert_eq!(p, SrtpProfile::Aes256CmSha1_80);
        // Interleaved alternatives group by type, each type ordered by its first
        // appearance: the same order as above.
        let offer = sp(&[(1, &[32]), (11, &[4]), (1, &[16]), (11, &[10])]);
        let (_, p) = SrtpPolicy::negotiate(&offer, |p| p.tag_len() == 10).unwrap();
        assert_eq!(p, SrtpProfile::Aes256CmSha1_80);
        let (_, p) = SrtpPolicy::negotiate(&offer, |p| p.master_key_len() == 16).unwrap();
        assert_eq!(p, SrtpProfile::Aes128CmSha1_32);
    }

    #[test]
    fn unsupported_offers_are_refused() {
        let refuse = |params: &[(u8, &[u8])]| {
            assert_eq!(
                SrtpPolicy::negotiate(&sp(params), |p| !p.is_null_cipher()),
                Err(PolicyError::Unsupported),
                "{params:?}"
            );
        };
        refuse(&[(0, &[2])]); // AES-F8
        refuse(&[(0, &[0])]); // NULL cipher not accepted here
        refuse(&[(6, &[16])]); // KDR 2^16
        refuse(&[(12, &[4])]); // prefix
        refuse(&[(7, &[2])]); // bad flag
        refuse(&[(7, &[0])]); // SRTP encryption off with AES-CM
        refuse(&[(1, &[0, 16])]); // two-byte value
        refuse(&[(99, &[1])]); // unknown parameter
        let many: Vec<(u8, &[u8])> = (0..9).flat_map(|_| [(11, &[10][..])]).collect();
        let mut more = many.clone();
        more.extend((0..9).map(|_| (1u8, &[16u8][..])));
        more.extend((0..9).map(|_| (4u8, &[14u8][..])));
        refuse(&more); // 729 combinations
        assert_eq!(
            SrtpPolicy::negotiate(
                &SecurityPolicy::from_params(0, ProtType::Tesla, &[]).unwrap(),
                |_| true
            ),
            Err(PolicyError::NotSrtp)
        );
    }

    // --- PROFILE_TABLE: one test per row --------------------------------------------

    /// TLV bytes of `(type, value)` pairs, in order.
    fn tlv(params: &[(u8, &[u8])]) -> Vec<u8> {
        sp(params).param_bytes().to_vec()
    }

    /// The RFC 3830 parameters our offers carry for a non-AEAD profile: encr alg, key
    /// length and SRTP tag length vary, the rest is the RFC 3711 default written out.
    fn hmac_offer(encr: u8, key: u8, tag: u8) -> Vec<(u8, Vec<u8>)> {
        [
            (0, encr),
            (1, key),
            (2, 1),
            (3, 20),
            (4, 14),
            (5, 0),
            (6, 0),
            (7, 1),
            (8, 1),
            (9, 0),
            (10, 1),
            (11, tag),
            (12, 0),
        ]
        .iter()
        .map(|(t, v)| (*t, vec![*v]))
        .collect()
    }

    /// The same for AES-GCM (RFC 7714 §14.3: no types 3 and 11, the AEAD tag in 20).
    fn gcm_offer(key: u8) -> Vec<(u8, Vec<u8>)> {
        [
            (0, 6),
            (1, key),
            (2, 0),
            (4, 12),
            (5, 0),
            (6, 0),
            (7, 1),
            (8, 1),
            (9, 0),
            (10, 1),
            (12, 0),
            (20, 16),
        ]
        .iter()
        .map(|(t, v)| (*t, vec![*v]))
        .collect()
    }

    /// `params` with `(ty, value)` set in place, or inserted in type order.
    fn with(mut params: Vec<(u8, Vec<u8>)>, ty: u8, value: &[u8]) -> Vec<(u8, Vec<u8>)> {
        match params.iter().position(|(t, _)| *t >= ty) {
            Some(i) if params[i].0 == ty => params[i].1 = value.to_vec(),
            Some(i) => params.insert(i, (ty, value.to_vec())),
            None => params.push((ty, value.to_vec())),
        }
        params
    }

    fn to_sp_of(params: &[(u8, Vec<u8>)]) -> SecurityPolicy<'static> {
        let borrowed: Vec<(u8, &[u8])> = params.iter().map(|(t, v)| (*t, v.as_slice())).collect();
        sp(&borrowed)
    }

    /// The setter calls `mikey_srtp.h` makes for `profile`: the lines of its `case`.
    fn glue_case(profile: &str) -> String {
        let header = include_str!("../include/mikey_srtp.h");
        let start = header
            .find(&format!("case {profile}:"))
            .unwrap_or_else(|| panic!("mikey_srtp.h has no case {profile}"));
        let body = &header[start..];
        body[..body.find("break;").unwrap()].to_string()
    }

    /// Checks one row of PROFILE_TABLE: its place, the profile's own numbers, what our
    /// offers carry for it (the RFC 3830 parameters, unchanged since before RFC 4771) and
    /// with RFC 4771's separate parameters, both read back as the profile and no other
    /// row admitting them, and the libsrtp policies mikey_srtp.h makes of it.
    fn check_row(
        index: usize,
        profile: SrtpProfile,
        c_name: &str,
        offer: Vec<(u8, Vec<u8>)>,
        rfc4771: &[(u8, u8)],
    ) {
        let row = &PROFILE_TABLE[index];
        assert_eq!(row.profile, profile);
        assert_eq!(SrtpProfile::ALL[index], profile);
        assert_eq!(profile.params(), row);
        assert_eq!(usize::from(row.encr_key_len), profile.master_key_len());
        assert_eq!(usize::from(row.salt_len), profile.master_salt_len());
        let tag = row.aead_tag_len.unwrap_or(row.srtp_tag_len);
        assert_eq!(usize::from(tag), profile.tag_len());
        assert_eq!(row.aead_tag_len.is_some(), profile.is_aead());
        assert_eq!(row.encr_alg == 0, profile.is_null_cipher());

        // Our offer: exactly these bytes, read back as this profile alone.
        let policy = profile.policy();
        let wire = policy.to_sp(0).unwrap();
        assert_eq!(
            wire.param_bytes(),
            to_sp_of(&offer).param_bytes(),
            "{profile:?}"
        );
        assert_eq!(
            SrtpPolicy::negotiate(&wire, |_| true),
            Ok((policy, profile))
        );
        for other in &PROFILE_TABLE {
            assert_eq!(other.admits(&policy), other.profile == profile, "{other:?}");
        }

        // With RFC 4771's types 14-19 written out: the same profile, the SRTCP values
        // stated; a different SRTCP tag is refused.
        let mut separate = offer.clone();
        for (t, v) in rfc4771 {
            separate = with(separate, *t, &[*v]);
        }
        let policy = profile.rfc4771_policy();
        let wire = policy.to_sp(0).unwrap();
        assert_eq!(
            wire.param_bytes(),
            to_sp_of(&separate).param_bytes(),
            "{profile:?}"
        );
        assert_eq!(
            SrtpPolicy::negotiate(&wire, |_| true),
            Ok((policy, profile))
        );
        if !profile.is_aead() {
            assert_eq!(policy.srtcp_auth().tag_len, Some(row.srtcp_tag_len));
            assert_eq!(policy.srtp_auth().tag_len, Some(row.srtp_tag_len));
            let short_srtcp = to_sp_of(&with(separate, 19, &[4]));
            assert_eq!(
                SrtpPolicy::negotiate(&short_srtcp, |_| true),
                Err(PolicyError::Unsupported)
            );
        }

        // libsrtp: the crypto policies mikey_srtp.h sets for RTP and RTCP.
        let case = glue_case(c_name);
        let rtp = format!("srtp_crypto_policy_set_{}(&rtp)", row.libsrtp_rtp);
        let rtcp = format!("srtp_crypto_policy_set_{}(&rtcp)", row.libsrtp_rtcp);
        assert!(case.contains(&rtp), "{c_name}: {rtp} not in\n{case}");
        assert!(case.contains(&rtcp), "{c_name}: {rtcp} not in\n{case}");
        // The SRTP tag libsrtp's setter gives (its name ends in _80 or _32), or the tag
        // the glue sets on top of it.
        if !profile.is_aead() {
            let setter_tag = if row.libsrtp_rtp.ends_with("_32") {
                4
            } else {
                10
            };
            let overridden = format!("rtp.auth_tag_len = {};", row.srtp_tag_len);
            assert!(setter_tag == row.srtp_tag_len || case.contains(&overridden));
            assert!(row.libsrtp_rtcp.ends_with("_80") && row.srtcp_tag_len == 10);
        }
    }

    const RFC4771_HMAC_80: [(u8, u8); 6] =
        [(14, 1), (15, 1), (16, 20), (17, 20), (18, 10), (19, 10)];
    const RFC4771_HMAC_32: [(u8, u8); 6] =
        [(14, 1), (15, 1), (16, 20), (17, 20), (18, 4), (19, 10)];
    const RFC4771_AEAD: [(u8, u8); 2] = [(14, 0), (15, 0)];

    #[test]
    fn row_aes_cm_128_hmac_sha1_80() {
        check_row(
            0,
            SrtpProfile::Aes128CmSha1_80,
            "MIKEY_SRTP_AES128_CM_SHA1_80",
            hmac_offer(1, 16, 10),
            &RFC4771_HMAC_80,
        );
    }

    #[test]
    fn row_aes_cm_128_hmac_sha1_32() {
        check_row(
            1,
            SrtpProfile::Aes128CmSha1_32,
            "MIKEY_SRTP_AES128_CM_SHA1_32",
            hmac_offer(1, 16, 4),
            &RFC4771_HMAC_32,
        );
    }

    #[test]
    fn row_aes_256_cm_hmac_sha1_80() {
        check_row(
            2,
            SrtpProfile::Aes256CmSha1_80,
            "MIKEY_SRTP_AES256_CM_SHA1_80",
            hmac_offer(1, 32, 10),
            &RFC4771_HMAC_80,
        );
    }

    #[test]
    fn row_aes_256_cm_hmac_sha1_32() {
        check_row(
            3,
            SrtpProfile::Aes256CmSha1_32,
            "MIKEY_SRTP_AES256_CM_SHA1_32",
            hmac_offer(1, 32, 4),
            &RFC4771_HMAC_32,
        );
    }

    #[test]
    fn row_aead_aes_128_gcm() {
        check_row(
            4,
            SrtpProfile::AeadAes128Gcm,
            "MIKEY_SRTP_AEAD_AES_128_GCM",
            gcm_offer(16),
            &RFC4771_AEAD,
        );
    }

    #[test]
    fn row_aead_aes_256_gcm() {
        check_row(
            5,
            SrtpProfile::AeadAes256Gcm,
            "MIKEY_SRTP_AEAD_AES_256_GCM",
            gcm_offer(32),
            &RFC4771_AEAD,
        );
    }

    #[test]
    fn row_null_hmac_sha1_80() {
        check_row(
            6,
            SrtpProfile::NullSha1_80,
            "MIKEY_SRTP_NULL_SHA1_80",
            hmac_offer(0, 16, 10),
            &RFC4771_HMAC_80,
        );
    }

    #[test]
    fn row_null_hmac_sha1_32() {
        check_row(
            7,
            SrtpProfile::NullSha1_32,
            "MIKEY_SRTP_NULL_SHA1_32",
            hmac_offer(0, 16, 4),
            &RFC4771_HMAC_32,
        );
    }

    // --- every parameter type: SP bytes -> policy -> SP bytes -----------------------

    /// Each parameter type 0-20, at a value a profile supports (away from the default
    /// where a profile allows), in an SP otherwise as our offers write it: read, then
    /// written again, byte for byte, and the value is in the policy.
    #[test]
    fn every_parameter_type_round_trips() {
        type Field = fn(&SrtpPolicy) -> Vec<u8>;
        type Case = (u8, &'static [u8], Vec<(u8, Vec<u8>)>, SrtpProfile, Field);
        let cases: [Case; 25] = [
            (
                0,
                &[0],
                hmac_offer(1, 16, 10),
                SrtpProfile::NullSha1_80,
                |p| vec![p.encr_alg],
            ),
            (
                1,
                &[32],
                hmac_offer(1, 16, 10),
                SrtpProfile::Aes256CmSha1_80,
                |p| vec![p.encr_key_len],
            ),
            (
                2,
                &[1],
                hmac_offer(1, 16, 10),
                SrtpProfile::Aes128CmSha1_80,
                |p| vec![p.auth_alg],
            ),
            (2, &[0], gcm_offer(16), SrtpProfile::AeadAes128Gcm, |p| {
                vec![p.auth_alg]
            }),
            (
                3,
                &[20],
                hmac_offer(1, 16, 10),
                SrtpProfile::Aes128CmSha1_80,
                |p| vec![p.auth_key_len],
            ),
            (4, &[12], gcm_offer(32), SrtpProfile::AeadAes256Gcm, |p| {
                vec![p.salt_len]
            }),
            (
                5,
                &[0],
                hmac_offer(1, 16, 10),
                SrtpProfile::Aes128CmSha1_80,
                |p| vec![p.prf],
            ),
            (
                6,
                &[0],
                hmac_offer(1, 16, 10),
                SrtpProfile::Aes128CmSha1_80,
                |p| vec![p.kdr],
            ),
            (
                7,
                &[0],
                hmac_offer(0, 16, 10),
                SrtpProfile::NullSha1_80,
                |p| vec![u8::from(p.srtp_encryption)],
            ),
            (
                8,
                &[0],
                hmac_offer(0, 16, 4),
                SrtpProfile::NullSha1_32,
                |p| vec![u8::from(p.srtcp_encryption)],
            ),
            (
                9,
                &[0],
                hmac_offer(1, 16, 10),
                SrtpProfile::Aes128CmSha1_80,
                |p| vec![p.fec_order],
            ),
            (
                10,
                &[1],
                hmac_offer(1, 16, 10),
                SrtpProfile::Aes128CmSha1_80,
                |p| vec![u8::from(p.srtp_authentication)],
            ),
            (
                11,
                &[4],
                hmac_offer(1, 16, 10),
                SrtpProfile::Aes128CmSha1_32,
                |p| vec![p.tag_len],
            ),
            (
                12,
                &[0],
                hmac_offer(1, 16, 10),
                SrtpProfile::Aes128CmSha1_80,
                |p| vec![p.prefix_len],
            ),
            (
                13,
                &[0x01, 0x00],
                hmac_offer(1, 16, 10),
                SrtpProfile::Aes128CmSha1_80,
                |p| p.roc_transmission_rate().to_be_bytes().to_vec(),
            ),
            (
                13,
                &[0xFF, 0xFF],
                gcm_offer(16),
                SrtpProfile::AeadAes128Gcm,
                |p| p.roc_transmission_rate().to_be_bytes().to_vec(),
            ),
            (
                14,
                &[1],
                hmac_offer(1, 16, 10),
                SrtpProfile::Aes128CmSha1_80,
                |p| p.srtp_auth_alg.into_iter().collect(),
            ),
            (14, &[0], gcm_offer(16), SrtpProfile::AeadAes128Gcm, |p| {
                p.srtp_auth_alg.into_iter().collect()
            }),
            (
                15,
                &[1],
                hmac_offer(1, 32, 4),
                SrtpProfile::Aes256CmSha1_32,
                |p| p.srtcp_auth_alg.into_iter().collect(),
            ),
            (15, &[0], gcm_offer(32), SrtpProfile::AeadAes256Gcm, |p| {
                p.srtcp_auth_alg.into_iter().collect()
            }),
            (
                16,
                &[20],
                hmac_offer(1, 16, 10),
                SrtpProfile::Aes128CmSha1_80,
                |p| p.srtp_auth_key_len.into_iter().collect(),
            ),
            (
                17,
                &[20],
                hmac_offer(0, 16, 10),
                SrtpProfile::NullSha1_80,
                |p| p.srtcp_auth_key_len.into_iter().collect(),
            ),
            (
                18,
                &[4],
                hmac_offer(1, 16, 10),
                SrtpProfile::Aes128CmSha1_32,
                |p| p.srtp_tag_len.into_iter().collect(),
            ),
            (
                19,
                &[10],
                hmac_offer(1, 16, 4),
                SrtpProfile::Aes128CmSha1_32,
                |p| p.srtcp_tag_len.into_iter().collect(),
            ),
            (20, &[16], gcm_offer(32), SrtpProfile::AeadAes256Gcm, |p| {
                vec![p.aead_tag_len]
            }),
        ];
        let mut covered = [false; 21];
        for (ty, value, base, profile, field) in cases {
            let input = to_sp_of(&with(base, ty, value));
            let (policy, p) = SrtpPolicy::negotiate(&input, |_| true)
                .unwrap_or_else(|e| panic!("type {ty} = {value:?}: {e:?}"));
            assert_eq!(p, profile, "type {ty} = {value:?}");
            assert_eq!(field(&policy), value, "type {ty} read");
            let output = policy.to_sp(input.policy_no).unwrap();
            assert_eq!(output, input, "type {ty} = {value:?} written back");
            covered[usize::from(ty)] = true;
        }
        assert!(covered.iter().all(|c| *c));
    }

    // --- RFC 4771 §4 precedence ------------------------------------------------------

    #[test]
    fn the_specific_parameter_has_precedence() {
        let negotiate = |params: &[(u8, &[u8])]| SrtpPolicy::negotiate(&sp(params), |_| true);
        let profile = |params: &[(u8, &[u8])]| negotiate(params).map(|(_, p)| p);
        // Type 2 NULL, 14 and 15 HMAC-SHA-1: both use HMAC-SHA-1.
        assert_eq!(
            profile(&[(2, &[0]), (14, &[1]), (15, &[1])]),
            Ok(SrtpProfile::Aes128CmSha1_80)
        );
        // ... without 15, SRTCP takes type 2's NULL: no profile.
        assert_eq!(
            profile(&[(2, &[0]), (14, &[1])]),
            Err(PolicyError::Unsupported)
        );
        // RFC 4771 §4's example: type 2 HMAC-SHA-1, type 14 RCCm1: SRTP would use RCCm1.
        assert_eq!(
            profile(&[(2, &[1]), (14, &[2])]),
            Err(PolicyError::Unsupported)
        );
        // An RCC type 2 overridden for both directions is never used.
        assert_eq!(
            profile(&[(2, &[3]), (14, &[1]), (15, &[1])]),
            Ok(SrtpProfile::Aes128CmSha1_80)
        );
        // Key lengths: type 3 = 16 is overridden by 16 and 17 (both needed).
        assert_eq!(
            profile(&[(3, &[16]), (16, &[20]), (17, &[20])]),
            Ok(SrtpProfile::Aes128CmSha1_80)
        );
        assert_eq!(
            profile(&[(3, &[16]), (16, &[20])]),
            Err(PolicyError::Unsupported)
        );
        assert_eq!(
            profile(&[(3, &[16]), (17, &[20])]),
            Err(PolicyError::Unsupported)
        );
        // Tags: type 11 = 10 with 18 = 4 is the _32 profile (SRTCP 10 from type 11).
        let (policy, p) = negotiate(&[(11, &[10]), (18, &[4])]).unwrap();
        assert_eq!(p, SrtpProfile::Aes128CmSha1_32);
        assert_eq!(policy.srtp_auth().tag_len, Some(4));
        assert_eq!(policy.srtcp_auth().tag_len, Some(10));
        // Type 11 = 4 with 18 = 10: SRTCP's tag is type 11's 4, which no profile does ...
        assert_eq!(
            profile(&[(11, &[4]), (18, &[10])]),
            Err(PolicyError::Unsupported)
        );
        // ... unless type 19 says 10.
        assert_eq!(
            profile(&[(11, &[4]), (18, &[10]), (19, &[10])]),
            Ok(SrtpProfile::Aes128CmSha1_80)
        );
        // Type 11 = 4 with 19 = 10: SRTP 4 from type 11, SRTCP 10: the _32 profile.
        assert_eq!(
            profile(&[(11, &[4]), (19, &[10])]),
            Ok(SrtpProfile::Aes128CmSha1_32)
        );
        // AES-GCM: type 2 HMAC-SHA-1 overridden by NULL in 14 and 15.
        assert_eq!(
            profile(&[(0, &[6]), (2, &[1]), (14, &[0]), (15, &[0])]),
            Ok(SrtpProfile::AeadAes128Gcm)
        );
        assert_eq!(
            profile(&[(0, &[6]), (2, &[1]), (14, &[0])]),
            Err(PolicyError::Unsupported)
        );
    }

    /// README "Spec readings": type 11 alone (an RFC 3830 policy) is the profile's tag
    /// length, so type 11 = 4 without type 19 is AES_CM_128_HMAC_SHA1_32, SRTCP keeping
    /// its 80-bit tag, as before RFC 4771 support.
    #[test]
    fn type_11_without_18_or_19_names_the_profile() {
        let (policy, p) = SrtpPolicy::negotiate(&sp(&[(11, &[4])]), |_| true).unwrap();
        assert_eq!(p, SrtpProfile::Aes128CmSha1_32);
        assert_eq!(policy.srtcp_auth().tag_len, None);
        assert_eq!(policy, SrtpProfile::Aes128CmSha1_32.policy());
        // With type 18 present, RFC 4771 §4 applies as written: SRTCP's tag is type 11.
        assert_eq!(
            SrtpPolicy::negotiate(&sp(&[(11, &[4]), (18, &[4])]), |_| true),
            Err(PolicyError::Unsupported)
        );
    }

    // --- refusals ----------------------------------------------------------------------

    #[test]
    fn rcc_transforms_are_refused_in_types_2_14_and_15() {
        for ty in [2u8, 14, 15] {
            for (rcc, name) in [(2u8, "RCCm1"), (3, "RCCm2"), (4, "RCCm3")] {
                assert_eq!(SrtpAuthAlg::from(rcc).registered_name(), Some(name));
                let offer = sp(&[(ty, &[rcc])]);
                assert_eq!(
                    SrtpPolicy::negotiate(&offer, |_| true),
                    Err(PolicyError::Unsupported),
                    "{name} in type {ty}"
                );
                let policy = SrtpPolicy {
                    srtp_auth_alg: (ty == 14).then_some(rcc),
                    srtcp_auth_alg: (ty == 15).then_some(rcc),
                    auth_alg: if ty == 2 { rcc } else { 1 },
                    ..SrtpPolicy::default()
                };
                assert!(policy.uses_rcc());
                assert_eq!(policy.profile(), None);
                // The same offer with HMAC-SHA-1 there is supported.
                let hmac = sp(&[(ty, &[1])]);
                assert!(SrtpPolicy::negotiate(&hmac, |_| true).is_ok(), "type {ty}");
            }
        }
        // RCC with a rate and a tag that includes the ROC (RFC 4771 §4): still refused;
        // an HMAC-SHA-1 alternative after it is taken.
        let rcc = [(13, &[0, 10][..]), (14, &[3]), (18, &[14])];
        assert_eq!(
            SrtpPolicy::negotiate(&sp(&rcc), |_| true),
            Err(PolicyError::Unsupported)
        );
        let with_fallback = [(13, &[0, 10][..]), (14, &[3]), (14, &[1])];
        let (policy, p) = SrtpPolicy::negotiate(&sp(&with_fallback), |_| true).unwrap();
        assert_eq!(p, SrtpProfile::Aes128CmSha1_80);
        assert_eq!(policy.srtp_auth_alg, Some(1));
        assert_eq!(policy.roc_transmission_rate(), 10);
        assert!(!policy.uses_rcc());
    }

    #[test]
    fn roc_transmission_rate_is_two_non_zero_bytes() {
        let negotiate = |rate: &[u8]| SrtpPolicy::negotiate(&sp(&[(13, rate)]), |_| true);
        // Absent: 1 (RFC 4771 §4); any non-zero value is accepted without RCC.
        let (absent, _) = SrtpPolicy::negotiate(&sp(&[]), |_| true).unwrap();
        assert_eq!((absent.roc_rate, absent.roc_transmission_rate()), (None, 1));
        for (bytes, rate) in [([0u8, 1u8], 1u16), ([0, 10], 10), ([0xFF, 0xFF], 0xFFFF)] {
            let (policy, p) = negotiate(&bytes).unwrap();
            assert_eq!(
                (policy.roc_transmission_rate(), p),
                (rate, SrtpProfile::Aes128CmSha1_80)
            );
        }
        // 0 ("MUST be a non-zero unsigned integer") and every length but 2 are refused.
        for bad in [&[0u8, 0][..], &[], &[1], &[0, 0, 1], &[0, 1, 0, 0]] {
            assert_eq!(negotiate(bad), Err(PolicyError::Unsupported), "{bad:?}");
        }
        // As alternatives: a zero rate is skipped for the next one.
        let offer = sp(&[(13, &[0, 0]), (13, &[0, 7])]);
        let (policy, _) = SrtpPolicy::negotiate(&offer, |_| true).unwrap();
        assert_eq!(policy.roc_transmission_rate(), 7);
    }

    #[test]
    fn srtcp_values_no_profile_uses_are_refused() {
        let refuse = |params: &[(u8, &[u8])]| {
            assert_eq!(
                SrtpPolicy::negotiate(&sp(params), |_| true),
                Err(PolicyError::Unsupported),
                "{params:?}"
            );
        };
        refuse(&[(19, &[4])]); // SRTCP tag 4 with the default SRTP tag
        refuse(&[(11, &[4]), (19, &[4])]); // SRTCP tag 4 with SRTP tag 4
        refuse(&[(18, &[4]), (19, &[4])]);
        refuse(&[(19, &[16])]);
        refuse(&[(15, &[0])]); // SRTCP without authentication
        refuse(&[(17, &[16])]); // SRTCP auth key of 16 bytes
        refuse(&[(16, &[32])]); // SRTP auth key of 32 bytes
        refuse(&[(18, &[8])]); // an SRTP tag of 8 bytes
        refuse(&[(14, &[0])]); // SRTP without authentication
        refuse(&[(0, &[6]), (14, &[1])]); // HMAC-SHA-1 on top of AES-GCM, SRTP
        refuse(&[(0, &[6]), (15, &[1])]); // ... SRTCP
        refuse(&[(0, &[6]), (15, &[3])]); // RCCm2 for SRTCP under AES-GCM
        refuse(&[(14, &[1, 0])]); // two-byte values of one-byte types
        refuse(&[(19, &[])]);
        refuse(&[(21, &[1])]); // unassigned parameter types
        refuse(&[(240, &[1])]);
        refuse(&[(255, &[])]);
    }

    /// With AES-GCM the lengths of the authentication function it does not have (types
    /// 3, 11 and RFC 4771's 16-19) are not looked at, and not written back (RFC 7714
    /// §14.3: the encryption algorithm, key length and AEAD tag length "fully determine
    /// the AEAD algorithm"); with AES-CM they are checked.
    #[test]
    fn aead_ignores_the_lengths_of_an_absent_authentication_function() {
        let base = gcm_offer(16);
        for ty in [3u8, 11, 16, 17, 18, 19] {
            let offer = to_sp_of(&with(base.clone(), ty, &[4]));
            let (policy, p) = SrtpPolicy::negotiate(&offer, |_| true).unwrap();
            assert_eq!(p, SrtpProfile::AeadAes128Gcm, "type {ty}");
            assert!(policy.to_sp(0).unwrap().param(ty).is_none(), "type {ty}");
            let cm = to_sp_of(&with(hmac_offer(1, 16, 10), ty, &[8]));
            assert_eq!(
                SrtpPolicy::negotiate(&cm, |_| true),
                Err(PolicyError::Unsupported)
            );
        }
    }

    /// GStreamer's type 3 tag reading applies only to an SP that gives no tag length at
    /// all: with RFC 4771's type 18 or 19 present, type 3 is a key length.
    #[test]
    fn gstreamer_tag_reading_needs_no_tag_type_at_all() {
        let gst = [(2u8, &[1u8][..]), (3, &[4])];
        assert_eq!(
            SrtpPolicy::negotiate(&sp(&gst), |_| true).map(|(_, p)| p),
            Ok(SrtpProfile::Aes128CmSha1_32)
        );
        // Read as GStreamer's tag, type 3 = 4 would make the first and third the _32
        // profile; read as a key length it is refused, and 20 is accepted.
        type Params<'a> = &'a [(u8, &'a [u8])];
        let cases: [(Params<'_>, _); 4] = [
            (
                &[(2, &[1]), (3, &[4]), (18, &[4]), (19, &[10])],
                Err(PolicyError::Unsupported),
            ),
            (
                &[(2, &[1]), (3, &[20]), (18, &[4]), (19, &[10])],
                Ok(SrtpProfile::Aes128CmSha1_32),
            ),
            (
                &[(2, &[1]), (3, &[4]), (19, &[10])],
                Err(PolicyError::Unsupported),
            ),
            (
                &[(2, &[1]), (3, &[20]), (19, &[10])],
                Ok(SrtpProfile::Aes128CmSha1_80),
            ),
        ];
        for (params, expected) in cases {
            let got = SrtpPolicy::negotiate(&sp(params), |_| true).map(|(_, p)| p);
            assert_eq!(got, expected, "{params:?}");
        }
    }

    #[test]
    fn rfc4771_policies_round_trip_with_a_rate() {
        let policy = SrtpPolicy {
            roc_rate: NonZeroU16::new(0x0102),
            ..SrtpProfile::Aes256CmSha1_32.rfc4771_policy()
        };
        let wire = policy.to_sp(9).unwrap();
        let expected = tlv(&[
            (0, &[1]),
            (1, &[32]),
            (2, &[1]),
            (3, &[20]),
            (4, &[14]),
            (5, &[0]),
            (6, &[0]),
            (7, &[1]),
            (8, &[1]),
            (9, &[0]),
            (10, &[1]),
            (11, &[4]),
            (12, &[0]),
            (13, &[1, 2]),
            (14, &[1]),
            (15, &[1]),
            (16, &[20]),
            (17, &[20]),
            (18, &[4]),
            (19, &[10]),
        ]);
        assert_eq!(wire.param_bytes(), expected);
        assert_eq!(wire.policy_no, 9);
        assert_eq!(
            SrtpPolicy::negotiate(&wire, |_| true),
            Ok((policy, SrtpProfile::Aes256CmSha1_32))
        );
    }
}
