//! The SRTP policy model (RFC 3830 §6.10.1 with the RFC 3711 §8.2 defaults), its mapping
//! to SRTP protection profiles, and negotiation (RFC 3830 §5.1.1; RFC 4738 §3.6: "The
//! Responder MUST choose one option per Security Policy Parameter").
//!
//! An SP payload may repeat a parameter type to offer alternatives, in order of
//! preference. The responder takes the first combination, in offer order, that it
//! supports; when there is none it answers Error no. 10 (Invalid SPpar) with the policies
//! it supports.

use crate::wire::{EncodeError, PolicyParam, ProtType, SecurityPolicy, SrtpParam};

/// An SRTP protection profile: the parameter combinations this library derives keys for.
/// The numbers of the AES-CM-128, NULL and AEAD ones are libsrtp's `srtp_profile_t` values
/// (RFC 5764 §4.1.2, RFC 7714 §14.2); the AES-256-CM ones have no libsrtp profile number
/// (use `srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80` / `_32`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum SrtpProfile {
    /// AES-CM 128-bit key, HMAC-SHA-1, 80-bit tag (`srtp_profile_aes128_cm_sha1_80`).
    Aes128CmSha1_80 = 1,
    /// AES-CM 128-bit key, HMAC-SHA-1, 32-bit tag (`srtp_profile_aes128_cm_sha1_32`).
    Aes128CmSha1_32 = 2,
    /// NULL cipher, HMAC-SHA-1, 80-bit tag (`srtp_profile_null_sha1_80`).
    NullSha1_80 = 5,
    /// NULL cipher, HMAC-SHA-1, 32-bit tag (`srtp_profile_null_sha1_32`).
    NullSha1_32 = 6,
    /// AES-CM 256-bit key, HMAC-SHA-1, 80-bit tag.
    Aes256CmSha1_80 = 0x101,
    /// AES-CM 256-bit key, HMAC-SHA-1, 32-bit tag.
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

    /// Authentication tag length in bytes: the HMAC-SHA-1 tag, or the AEAD tag (RFC 7714
    /// §14.2: 16 octets).
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

    /// The fully specified policy of this profile (every other parameter at its RFC 3711
    /// default).
    pub fn policy(self) -> SrtpPolicy {
        if self.is_aead() {
            // RFC 7714 §14.2, §15: AES-GCM, the key length, a 96-bit salt, the AEAD tag;
            // no authentication function, so no auth key or SRTP tag (0); PRF AES-CM.
            return SrtpPolicy {
                encr_alg: AES_GCM,
                encr_key_len: self.master_key_len() as u8,
                auth_alg: 0,
                auth_key_len: 0,
                salt_len: self.master_salt_len() as u8,
                tag_len: 0,
                aead_tag_len: self.tag_len() as u8,
                ..SrtpPolicy::default()
            };
        }
        SrtpPolicy {
            encr_alg: if self.is_null_cipher() { 0 } else { 1 },
            encr_key_len: self.master_key_len() as u8,
            tag_len: self.tag_len() as u8,
            ..SrtpPolicy::default()
        }
    }
}

/// SRTP encryption algorithm AES-GCM (RFC 7714 §14.3: value 6).
const AES_GCM: u8 = 6;

/// A resolved SRTP policy: every parameter of RFC 3830 Table 6.10.1.a, absent ones at the
/// SRTP default (RFC 3830 §6.10.1: "if a Type/Value is not set, the default is used
/// (according to SRTP's own criteria)"; RFC 3711 §8.2). Lengths are in bytes (README,
/// Spec readings).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SrtpPolicy {
    /// Type 0: 0 NULL, 1 AES-CM, 2 AES-F8, ... (default AES-CM).
    pub encr_alg: u8,
    /// Type 1: session encryption key length, also the master key length (default 16).
    pub encr_key_len: u8,
    /// Type 2: 0 NULL, 1 HMAC-SHA-1 (default HMAC-SHA-1).
    pub auth_alg: u8,
    /// Type 3: session authentication key length (default 20).
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
    /// Type 11: authentication tag length (default 10).
    pub tag_len: u8,
    /// Type 12: SRTP prefix length (default 0).
    pub prefix_len: u8,
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
            aead_tag_len: 16,
        }
    }
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
    /// The protection profile of this policy, if it is one this library supports: SRTP
    /// and SRTCP encryption both on or (NULL cipher) both off, authentication on,
    /// AES-CM PRF, KDR 0, no prefix, FEC-SRTP order. AES-GCM (RFC 7714 §15: the
    /// encryption algorithm, key length and AEAD tag length determine the algorithm) needs
    /// the NULL authentication algorithm, a 12-byte salt, a 16-byte AEAD tag and the AES-CM
    /// PRF ("we require that the SRTP PRF has value AES-CM whenever an AEAD algorithm is
    /// used"); its auth key and SRTP tag lengths mean nothing and are not looked at.
    pub fn profile(&self) -> Option<SrtpProfile> {
        if self.encr_alg == AES_GCM {
            let usable = self.auth_alg == 0
                && self.salt_len == 12
                && self.aead_tag_len == 16
                && self.prf == 0
                && self.kdr == 0
                && self.fec_order == 0
                && self.srtp_authentication
                && self.prefix_len == 0
                && self.srtp_encryption
                && self.srtcp_encryption;
            return match self.encr_key_len {
                16 if usable => Some(SrtpProfile::AeadAes128Gcm),
                32 if usable => Some(SrtpProfile::AeadAes256Gcm),
                _ => None,
            };
        }
        let common = self.auth_alg == 1
            && self.auth_key_len == 20
            && self.salt_len == 14
            && self.prf == 0
            && self.kdr == 0
            && self.fec_order == 0
            && self.srtp_authentication
            && self.prefix_len == 0
            && (self.tag_len == 10 || self.tag_len == 4)
            // Type 20 belongs to an AEAD (RFC 7714 §14.3): only its default is harmless.
            && self.aead_tag_len == 16;
        if !common {
            return None;
        }
        let long_tag = self.tag_len == 10;
        match (
            self.encr_alg,
            self.encr_key_len,
            self.srtp_encryption,
            self.srtcp_encryption,
        ) {
            (1, 16, true, true) if long_tag => Some(SrtpProfile::Aes128CmSha1_80),
            (1, 16, true, true) => Some(SrtpProfile::Aes128CmSha1_32),
            (1, 32, true, true) if long_tag => Some(SrtpProfile::Aes256CmSha1_80),
            (1, 32, true, true) => Some(SrtpProfile::Aes256CmSha1_32),
            (0, _, _, _) if long_tag => Some(SrtpProfile::NullSha1_80),
            (0, _, _, _) => Some(SrtpProfile::NullSha1_32),
            _ => None,
        }
    }

    /// The SP payload for this policy: every parameter written explicitly, one value
    /// each (the tag length always in type 11, never GStreamer's type 3 reading). With
    /// AES-GCM the AEAD tag length goes in type 20 (RFC 7714 §14.3) and types 3 and 11,
    /// which an AEAD has no use for, are left out; type 20 is written only then, so peers
    /// that predate RFC 7714 read the other policies.
    pub fn to_sp(&self, policy_no: u8) -> Result<SecurityPolicy<'static>, EncodeError> {
        let b = |v: bool| u8::from(v);
        let aead = self.encr_alg == AES_GCM;
        let values = [
            (SrtpParam::EncrAlg, self.encr_alg, true),
            (SrtpParam::EncrKeyLen, self.encr_key_len, true),
            (SrtpParam::AuthAlg, self.auth_alg, true),
            (SrtpParam::AuthKeyLen, self.auth_key_len, !aead),
            (SrtpParam::SaltKeyLen, self.salt_len, true),
            (SrtpParam::Prf, self.prf, true),
            (SrtpParam::KeyDerivationRate, self.kdr, true),
            (SrtpParam::SrtpEncryption, b(self.srtp_encryption), true),
            (SrtpParam::SrtcpEncryption, b(self.srtcp_encryption), true),
            (SrtpParam::FecOrder, self.fec_order, true),
            (
                SrtpParam::SrtpAuthentication,
                b(self.srtp_authentication),
                true,
            ),
            (SrtpParam::AuthTagLen, self.tag_len, !aead),
            (SrtpParam::PrefixLen, self.prefix_len, true),
            (SrtpParam::AeadAuthTagLen, self.aead_tag_len, aead),
        ];
        let one_byte = values.map(|(_, v, _)| [v]);
        let params: Vec<(u8, &[u8])> = values
            .iter()
            .zip(&one_byte)
            .filter(|((_, _, written), _)| *written)
            .map(|((ty, _, _), v)| (u8::from(*ty), v.as_slice()))
            .collect();
        SecurityPolicy::from_params(policy_no, ProtType::Srtp, &params)
    }

    /// Negotiates an offered SP payload: tries the combinations of the offered
    /// alternatives in offer order (a parameter listed earlier varies slowest) and returns
    /// the first whose profile `accept` takes.
    ///
    /// Interop (README, Spec readings): GStreamer writes the SRTP tag length (10 or 4) in
    /// type 3 "Session Auth. key length" and sends no type 11. When an SP has no type 11
    /// and its type 3 value is 4 or 10 (neither is an HMAC-SHA-1 key length), the value
    /// is read as the tag length and the auth key length stays 20. It is never written.
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
        let gstreamer_tag = first_seen[usize::from(u8::from(SrtpParam::AuthTagLen))] == usize::MAX;
        let mut count = 1usize;
        for values in &options {
            count = count.saturating_mul(values.len());
        }
        if count > MAX_COMBINATIONS {
            return Err(PolicyError::Unsupported);
        }
        let offered = |t: SrtpParam| first_seen[usize::from(u8::from(t))] != usize::MAX;
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

    /// Sets one parameter from its wire value; false when the value is not a one-byte
    /// value this model can hold, or the type is unknown (an unknown parameter cannot
    /// be honoured, so the combination is unsupported).
    fn set(&mut self, param_type: u8, value: &[u8], gstreamer_tag: bool) -> bool {
        let [v] = value else {
            return false;
        };
        let v = *v;
        let flag = |v: u8| match v {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        };
        match SrtpParam::from(param_type) {
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
}
