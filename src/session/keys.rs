//! Key material of a crypto session bundle: the keys carried in the KEMAC and the SRTP
//! master keys and salts derived from them per crypto session (RFC 3830 §4.1.3, §4.4,
//! Appendix A.1).

use crate::crypto::prf::{Label, Prf, tgk_constant};
pub use crate::exchange::CarriedKey;
use crate::exchange::Error;
use crate::exchange::keys::srtp_interval;
use crate::policy::{SrtpPolicy, SrtpProfile};
use crate::wire::{KeyDataType, KeyValidity};
use zeroize::Zeroizing;

/// How long an SRTP key may be used (RFC 3830 §6.14 Key validity).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyLifetime {
    /// No restriction from MIKEY: valid until replaced, within SRTP's own limit of 2^48
    /// SRTP and 2^31 SRTCP packets (RFC 3711 §9.2; RFC 3830 §9.2).
    UntilReplaced,
    /// Valid for the SRTP indices `from..=to` (KV Interval, RFC 3830 §6.14; the index is
    /// ROC ‖ SEQ, 48 bits, RFC 3711 §3.3.1). Both are below 2^48 and `from <= to`.
    Interval {
        /// Valid From: the first SRTP index the key is used for.
        from: u64,
        /// Valid To: the last SRTP index the key is used for.
        to: u64,
    },
}

/// One key of a crypto session, ready for libsrtp.
#[derive(Clone, PartialEq, Eq)]
pub struct SrtpKey {
    /// Master key ‖ master salt (libsrtp's `srtp_policy_t.key` layout).
    pub(crate) key_salt: Zeroizing<Vec<u8>>,
    /// Master key length within `key_salt`.
    pub(crate) key_len: usize,
    /// MKI (the SPI of KV SPI), empty when none.
    pub mki: Vec<u8>,
    /// Lifetime.
    pub lifetime: KeyLifetime,
}

impl std::fmt::Debug for SrtpKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SrtpKey")
            .field("key_salt", &"<secret>")
            .field("mki", &self.mki)
            .field("lifetime", &self.lifetime)
            .finish()
    }
}

impl SrtpKey {
    /// Master key ‖ master salt, as libsrtp takes it.
    pub fn key_salt(&self) -> &[u8] {
        &self.key_salt
    }

    /// The master key (TEK).
    pub fn master_key(&self) -> &[u8] {
        &self.key_salt[..self.key_len]
    }

    /// The master salt.
    pub fn master_salt(&self) -> &[u8] {
        &self.key_salt[self.key_len..]
    }
}

/// A crypto session (RFC 3830 §6.1.1; one SRTP stream) with its negotiated policy and
/// keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CryptoSession {
    /// CS ID: 1-based position in the CS ID map.
    pub cs_id: u8,
    /// SSRC (0: not chosen by the Initiator).
    pub ssrc: u32,
    /// Rollover counter at the start.
    pub roc: u32,
    /// Policy no. of the SP payload the crypto session uses.
    pub policy_no: u8,
    /// The negotiated policy.
    pub policy: SrtpPolicy,
    /// Its SRTP protection profile.
    pub profile: SrtpProfile,
    /// One key per Key data sub-payload, in KEMAC order.
    pub keys: Vec<SrtpKey>,
}

/// Key derivation is the session's job (RFC 3830 §4.1.3); the key as a message carries it
/// is defined by the exchange layer ([`crate::exchange::CarriedKey`]).
impl CarriedKey {
    /// The SRTP key for crypto session `cs_id` of CSB `csb_id` with `rand`, under
    /// `policy` (RFC 3830 §4.1.3; Appendix A.1).
    pub fn srtp_key(
        &self,
        prf: Prf,
        cs_id: u8,
        csb_id: u32,
        rand: &[u8],
        profile: SrtpProfile,
    ) -> Result<SrtpKey, Error> {
        let key_len = profile.master_key_len();
        let salt_len = profile.master_salt_len();
        let mut key_salt = Zeroizing::new(Vec::with_capacity(key_len + salt_len));
        match self.kind {
            KeyDataType::Tgk | KeyDataType::TgkSalt => {
                let tgk = prf
                    .key(&self.key)
                    .map_err(|_| Error::BadKeyData("empty TGK"))?;
                let mut label = Label::tgk(cs_id, csb_id, rand);
                key_salt.resize(key_len, 0);
                tgk.derive_into(label.with(tgk_constant::TEK), &mut key_salt);
                match &self.salt {
                    // §4.1.3: "SHALL use the salt key carried in the Key data
                    // sub-payload ... when present".
                    Some(salt) if salt.len() == salt_len => key_salt.extend_from_slice(salt),
                    Some(_) => return Err(Error::BadKeyData("salt length")),
                    None => {
                        key_salt.resize(key_len + salt_len, 0);
                        tgk.derive_into(label.with(tgk_constant::SALT), &mut key_salt[key_len..]);
                    }
                }
            }
            _ => {
                // The TEK is the master key itself (Appendix A.1).
                match &self.salt {
                    Some(salt) if self.key.len() == key_len && salt.len() == salt_len => {
                        key_salt.extend_from_slice(&self.key);
                        key_salt.extend_from_slice(salt);
                    }
                    // GStreamer: master key ‖ master salt in one TEK (README, Spec readings).
                    None if self.key.len() == key_len + salt_len => {
                        key_salt.extend_from_slice(&self.key)
                    }
                    _ => return Err(Error::BadKeyData("TEK or salt length")),
                }
            }
        }
        let (mki, lifetime) = match &self.kv {
            KeyValidity::Null => (Vec::new(), KeyLifetime::UntilReplaced),
            KeyValidity::Spi(spi) => (spi.to_vec(), KeyLifetime::UntilReplaced),
            KeyValidity::Interval { from, to } => {
                let (from, to) = srtp_interval(from, to)?;
                (Vec::new(), KeyLifetime::Interval { from, to })
            }
        };
        Ok(SrtpKey {
            key_salt,
            key_len,
            mki,
            lifetime,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::KeyData;
    use std::borrow::Cow;

    fn carried(kind: KeyDataType, key: &[u8], salt: Option<&[u8]>) -> CarriedKey {
        CarriedKey::from_key_data(&KeyData {
            key_type: kind,
            key: Cow::Borrowed(key),
            salt: salt.map(Cow::Borrowed),
            kv: KeyValidity::Spi(Cow::Borrowed(&[0, 0, 0, 7])),
        })
        .unwrap()
    }

    #[test]
    fn tgk_keys_follow_the_prf_labels() {
        // Expected values: the PRF of crypto::prf (checked there against the worked PSK example)
        // with the §4.1.3 labels.
        let tgk = [0x11u8; 16];
        let rand = [0x22u8; 16];
        let k = carried(KeyDataType::Tgk, &tgk, None);
        let key = k
            .srtp_key(
                Prf::Mikey1,
                2,
                0x0102_0304,
                &rand,
                SrtpProfile::Aes128CmSha1_80,
            )
            .unwrap();
        let tek = Prf::Mikey1
            .derive(
                &tgk,
                Label::tgk(2, 0x0102_0304, &rand).with(tgk_constant::TEK),
                16,
            )
            .unwrap();
        let salt = Prf::Mikey1
            .derive(
                &tgk,
                Label::tgk(2, 0x0102_0304, &rand).with(tgk_constant::SALT),
                14,
            )
            .unwrap();
        assert_eq!(key.master_key(), &tek[..]);
        assert_eq!(key.master_salt(), &salt[..]);
        assert_eq!(key.mki, [0, 0, 0, 7]);
        let other_cs = k
            .srtp_key(
                Prf::Mikey1,
                3,
                0x0102_0304,
                &rand,
                SrtpProfile::Aes128CmSha1_80,
            )
            .unwrap();
        assert_ne!(other_cs.master_key(), key.master_key());
    }

    #[test]
    fn carried_salt_is_used_and_checked() {
        let k = carried(KeyDataType::TgkSalt, &[1; 16], Some(&[9; 14]));
        let key = k
            .srtp_key(Prf::Mikey1, 1, 1, &[0; 16], SrtpProfile::Aes128CmSha1_80)
            .unwrap();
        assert_eq!(key.master_salt(), [9; 14]);
        let bad = carried(KeyDataType::TgkSalt, &[1; 16], Some(&[9; 12]));
        assert!(
            bad.srtp_key(Prf::Mikey1, 1, 1, &[0; 16], SrtpProfile::Aes128CmSha1_80)
                .is_err()
        );
    }

    #[test]
    fn tek_forms() {
        let p = SrtpProfile::Aes128CmSha1_80;
        let split = carried(KeyDataType::TekSalt, &[1; 16], Some(&[2; 14]));
        let joined = carried(KeyDataType::Tek, &[[1u8; 16], [2; 16]].concat()[..30], None);
        let a = split.srtp_key(Prf::Mikey1, 1, 1, &[], p).unwrap();
        let b = joined.srtp_key(Prf::Mikey1, 1, 1, &[], p).unwrap();
        assert_eq!(a.key_salt(), b.key_salt());
        let short = carried(KeyDataType::Tek, &[1; 16], None);
        assert!(short.srtp_key(Prf::Mikey1, 1, 1, &[], p).is_err());
        let aes256 = carried(KeyDataType::TekSalt, &[1; 16], Some(&[2; 14]));
        assert!(
            aes256
                .srtp_key(Prf::Mikey1, 1, 1, &[], SrtpProfile::Aes256CmSha1_80)
                .is_err()
        );
    }
}
