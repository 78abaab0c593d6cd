//! A key as a MIKEY message carries it: a Key data sub-payload of a KEMAC (RFC 3830
//! §6.13) with its Key validity (§6.14), checked and copied out of the decrypted chain.

use super::Error;
use crate::wire::{KeyData, KeyDataType, KeyValidity};
use zeroize::Zeroizing;

/// The largest SRTP index: ROC ‖ SEQ is 48 bits (RFC 3711 §3.3.1).
const MAX_SRTP_INDEX: u64 = (1 << 48) - 1;

/// Reads a KV Interval (RFC 3830 §6.14) as SRTP indices: each field is a big-endian
/// number (RFC 3830 asks for 6 bytes for SRTP; other lengths are read by value, leading
/// zero bytes allowed), non-empty, at most [`MAX_SRTP_INDEX`], and Valid From is not after
/// Valid To. Never truncated: a value outside SRTP's index space is refused.
pub(crate) fn srtp_interval(from: &[u8], to: &[u8]) -> Result<(u64, u64), Error> {
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
}
