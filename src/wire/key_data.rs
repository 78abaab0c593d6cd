//! Key validity data (RFC 3830 §6.14) and the Key data sub-payload (§6.13), which lives
//! only inside KEMAC encrypted data.

use super::codepoints::{KeyDataType, KvType};
use super::error::{EncodeError, ErrorKind, ParseError};
use super::reader::Reader;
use super::writer::{bits, put_vec_u8, put_vec_u16};
use super::{Bytes, own};
use std::borrow::Cow;

/// Key validity data (RFC 3830 §6.14), selected by the 4-bit KV type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyValidity<'a> {
    /// KV Null: no KV data.
    Null,
    /// KV SPI: the SPI (for SRTP, the MKI).
    Spi(Bytes<'a>),
    /// KV Interval: Valid From and Valid To (for SRTP, 6-byte ROC||SEQ indices).
    Interval {
        /// Valid From.
        from: Bytes<'a>,
        /// Valid To (expires).
        to: Bytes<'a>,
    },
}

impl<'a> KeyValidity<'a> {
    /// The KV type codepoint.
    pub fn kv_type(&self) -> KvType {
        match self {
            KeyValidity::Null => KvType::Null,
            KeyValidity::Spi(_) => KvType::Spi,
            KeyValidity::Interval { .. } => KvType::Interval,
        }
    }

    /// Reads KV data of type `kv` (the 4-bit field at `kv_at`).
    pub fn read(kv: u8, kv_at: usize, r: &mut Reader<'a>) -> Result<Self, ParseError> {
        Ok(match KvType::from(kv) {
            KvType::Null => KeyValidity::Null,
            KvType::Spi => KeyValidity::Spi(Cow::Borrowed(r.vec_u8("SPI")?)),
            KvType::Interval => KeyValidity::Interval {
                from: Cow::Borrowed(r.vec_u8("Valid From")?),
                to: Cow::Borrowed(r.vec_u8("Valid To")?),
            },
            KvType::Unknown(value) => {
                return Err(ParseError::new(
                    kv_at,
                    ErrorKind::UnknownLengthCodepoint {
                        field: "KV type",
                        value,
                    },
                ));
            }
        })
    }

    /// Writes the KV data (not the KV type, which shares a byte with another field).
    pub fn write(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        match self {
            KeyValidity::Null => Ok(()),
            KeyValidity::Spi(spi) => put_vec_u8(out, "SPI", spi),
            KeyValidity::Interval { from, to } => {
                put_vec_u8(out, "Valid From", from)?;
                put_vec_u8(out, "Valid To", to)
            }
        }
    }

    /// Converts borrowed fields into owned ones.
    pub fn into_owned(self) -> KeyValidity<'static> {
        match self {
            KeyValidity::Null => KeyValidity::Null,
            KeyValidity::Spi(s) => KeyValidity::Spi(own(s)),
            KeyValidity::Interval { from, to } => KeyValidity::Interval {
                from: own(from),
                to: own(to),
            },
        }
    }
}

/// A Key data sub-payload (RFC 3830 §6.13): a TGK/TEK (or later key types), an optional
/// salt (present exactly when the Type says SALT) and its validity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyData<'a> {
    /// Key type (4 bits).
    pub key_type: KeyDataType,
    /// The key.
    pub key: Bytes<'a>,
    /// The salt; must be `Some` exactly when `key_type.has_salt()`.
    pub salt: Option<Bytes<'a>>,
    /// Key validity.
    pub kv: KeyValidity<'a>,
}

impl<'a> KeyData<'a> {
    /// Reads the body after the Next payload byte.
    pub fn read(r: &mut Reader<'a>) -> Result<Self, ParseError> {
        let at = r.offset();
        let tkv = r.u8("Key data Type/KV")?;
        let key_type = KeyDataType::from(tkv >> 4);
        let key = Cow::Borrowed(r.vec_u16("Key data")?);
        let salt = if key_type.has_salt() {
            Some(Cow::Borrowed(r.vec_u16("Salt data")?))
        } else {
            None
        };
        let kv = KeyValidity::read(tkv & 0x0F, at, r)?;
        Ok(KeyData {
            key_type,
            key,
            salt,
            kv,
        })
    }

    /// Writes the body after the Next payload byte.
    pub fn write(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let t = bits("Key data Type", self.key_type.into(), 4)?;
        out.push(t << 4 | u8::from(self.kv.kv_type()));
        put_vec_u16(out, "Key data", &self.key)?;
        match (&self.salt, self.key_type.has_salt()) {
            (Some(salt), true) => put_vec_u16(out, "Salt data", salt)?,
            (None, false) => {}
            _ => {
                return Err(EncodeError::BadValue {
                    field: "Key data salt",
                });
            }
        }
        self.kv.write(out)
    }

    /// Converts borrowed fields into owned ones.
    pub fn into_owned(self) -> KeyData<'static> {
        KeyData {
            key_type: self.key_type,
            key: own(self.key),
            salt: self.salt.map(own),
            kv: self.kv.into_owned(),
        }
    }
}
