//! The SRTP protection profiles as SP parameters and libsrtp crypto policies: one table,
//! read both ways (RFC 3830 §6.10.1, RFC 4771 §4, RFC 7714 §14.3).

use super::{AES_GCM, DEFAULT_AEAD_TAG_LEN, SrtpPolicy, SrtpProfile};

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
