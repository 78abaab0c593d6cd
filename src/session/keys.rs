//! Key material of a crypto session bundle: the keys carried in the KEMAC and the SRTP
//! master keys and salts derived from them per crypto session (RFC 3830 §4.1.3, §4.4,
//! Appendix A.1).

use crate::crypto::prf::{Label, Prf, tgk_constant};
use crate::exchange::Error;
use crate::policy::{SrtpPolicy, SrtpProfile};
use crate::wire::{KeyData, KeyDataType, KeyValidity};
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

/// The largest SRTP index: ROC ‖ SEQ is 48 bits (RFC 3711 §3.3.1).
const MAX_SRTP_INDEX: u64 = (1 << 48) - 1;

/// Reads a KV Interval (RFC 3830 §6.14) as SRTP indices: each field is a big-endian
/// number (RFC 3830 asks for 6 bytes for SRTP; other lengths are read by value, leading
/// zero bytes allowed), non-empty, at most [`MAX_SRTP_INDEX`], and Valid From is not after
/// Valid To. Never truncated: a value outside SRTP's index space is refused.
fn srtp_interval(from: &[u8], to: &[u8]) -> Result<(u64, u64), Error> {
    let index = |field: &[u8], empty, too_large| {
        if field.is_empty() {
            return Err(Error::BadKeyValidity(empty));
        }
        let start = field.iter().position(|b| *b != 0).unwrap_or(field.len());
        let value = field[start..]
            .iter()
            .try_fold(0u64, |acc, b| {
                acc.checked_mul(256).map(|v| v | u64::from(*b))
            })
            .filter(|v| *v <= MAX_SRTP_INDEX)
            .ok_or(Error::BadKeyValidity(too_large))?;
        Ok(value)
    };
    let from = index(from, "Valid From is empty", "Valid From is 2^48 or more")?;
    let to = index(to, "Valid To is empty", "Valid To is 2^48 or more")?;
    if from > to {
        return Err(Error::BadKeyValidity("Valid From is after Valid To"));
    }
    Ok((from, to))
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

/// A key as carried in a Key data sub-payload (RFC 3830 §6.13), kept for re-keying and
/// for crypto sessions added later. Zeroized on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct CarriedKey {
    /// Key data type: TGK, TGK+SALT, TEK or TEK+SALT.
    pub kind: KeyDataType,
    /// The key (TGK or TEK).
    pub key: Zeroizing<Vec<u8>>,
    /// The salt, for the +SALT types.
    pub salt: Option<Zeroizing<Vec<u8>>>,
    /// Key validity (RFC 3830 §6.14): an SPI carries the MKI.
    pub kv: KeyValidity<'static>,
}

impl std::fmt::Debug for CarriedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CarriedKey")
            .field("kind", &self.kind)
            .field("key", &"<secret>")
            .field("salt", &self.salt.as_ref().map(|_| "<secret>"))
            .field("kv", &self.kv)
            .finish()
    }
}

impl CarriedKey {
    /// Copies a decrypted Key data sub-payload, refusing the types PSK mode cannot use.
    pub fn from_key_data(k: &KeyData<'_>) -> Result<CarriedKey, Error> {
        if !matches!(
            k.key_type,
            KeyDataType::Tgk | KeyDataType::TgkSalt | KeyDataType::Tek | KeyDataType::TekSalt
        ) {
            return Err(Error::BadKeyData("Key data type is not TGK or TEK"));
        }
        if k.key.is_empty() {
            return Err(Error::BadKeyData("empty key"));
        }
        match &k.kv {
            KeyValidity::Spi(spi) if spi.len() > 255 || spi.is_empty() => {
                return Err(Error::BadKeyData("SPI length"));
            }
            KeyValidity::Interval { from, to } => {
                srtp_interval(from, to)?;
            }
            _ => {}
        }
        Ok(CarriedKey {
            kind: k.key_type,
            key: Zeroizing::new(k.key.to_vec()),
            salt: k.salt.as_ref().map(|s| Zeroizing::new(s.to_vec())),
            kv: k.kv.clone().into_owned(),
        })
    }

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
