//! Payloads of the public-key and DH modes: PKE (RFC 3830 §6.3), DH (§6.4), SIGN (§6.5)
//! and CHASH (§6.8).

use super::codepoints::{CacheIndicator, DhGroup, HashFunc, SignatureType};
use super::error::{EncodeError, ErrorKind, ParseError};
use super::key_data::KeyValidity;
use super::reader::Reader;
use super::writer::{bits, checked_len, exact};
use super::{Bytes, own};
use std::borrow::Cow;

/// Envelope data (RFC 3830 §6.3): the envelope key encrypted with the peer's public key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pke<'a> {
    /// Envelope key cache indicator (2 bits).
    pub cache: CacheIndicator,
    /// The encrypted envelope key (at most 2^14 - 1 bytes).
    pub data: Bytes<'a>,
}

impl<'a> Pke<'a> {
    /// Reads the body after the Next payload byte.
    pub fn read(r: &mut Reader<'a>) -> Result<Self, ParseError> {
        let cl = r.u16("PKE C/Data len")?;
        let data = Cow::Borrowed(r.take(usize::from(cl & 0x3FFF), "PKE Data")?);
        Ok(Pke {
            cache: CacheIndicator::from((cl >> 14) as u8),
            data,
        })
    }

    /// Writes the body after the Next payload byte.
    pub fn write(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let c = bits("PKE C", self.cache.into(), 2)?;
        let len = checked_len("PKE Data", self.data.len(), 0x3FFF)? as u16;
        out.extend_from_slice(&(u16::from(c) << 14 | len).to_be_bytes());
        out.extend_from_slice(&self.data);
        Ok(())
    }

    /// Converts borrowed fields into owned ones.
    pub fn into_owned(self) -> Pke<'static> {
        Pke {
            cache: self.cache,
            data: own(self.data),
        }
    }
}

/// DH data (RFC 3830 §6.4): a public DH value whose length is implied by the group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dh<'a> {
    /// DH group.
    pub group: DhGroup,
    /// Public value, left-padded to the group's length.
    pub value: Bytes<'a>,
    /// The 4 reserved bits before KV (kept for byte-identical re-encoding).
    pub reserved: u8,
    /// Key validity of the TGK.
    pub kv: KeyValidity<'a>,
}

impl<'a> Dh<'a> {
    /// Reads the body after the Next payload byte.
    pub fn read(r: &mut Reader<'a>) -> Result<Self, ParseError> {
        let at = r.offset();
        let group = DhGroup::from(r.u8("DH-Group")?);
        let len = group.value_len().ok_or(ParseError::new(
            at,
            ErrorKind::UnknownLengthCodepoint {
                field: "DH-Group",
                value: group.into(),
            },
        ))?;
        let value = Cow::Borrowed(r.take(len, "DH-value")?);
        let kv_at = r.offset();
        let rkv = r.u8("DH Reserv/KV")?;
        let kv = KeyValidity::read(rkv & 0x0F, kv_at, r)?;
        Ok(Dh {
            group,
            value,
            reserved: rkv >> 4,
            kv,
        })
    }

    /// Writes the body after the Next payload byte.
    pub fn write(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        out.push(self.group.into());
        let len = self
            .group
            .value_len()
            .ok_or(EncodeError::BadValue { field: "DH-Group" })?;
        exact("DH-value", &self.value, len)?;
        out.extend_from_slice(&self.value);
        let res = bits("DH Reserv", self.reserved, 4)?;
        out.push(res << 4 | u8::from(self.kv.kv_type()));
        self.kv.write(out)
    }

    /// Converts borrowed fields into owned ones.
    pub fn into_owned(self) -> Dh<'static> {
        Dh {
            group: self.group,
            value: own(self.value),
            reserved: self.reserved,
            kv: self.kv.into_owned(),
        }
    }
}

/// Signature (RFC 3830 §6.5). It has no Next payload field and is always last.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sign<'a> {
    /// Signature type (4 bits).
    pub sig_type: SignatureType,
    /// The signature (at most 4095 bytes).
    pub signature: Bytes<'a>,
}

impl<'a> Sign<'a> {
    /// Reads the whole payload (SIGN has no Next payload byte).
    pub fn read(r: &mut Reader<'a>) -> Result<Self, ParseError> {
        let tl = r.u16("SIGN S type/Signature len")?;
        let signature = Cow::Borrowed(r.take(usize::from(tl & 0x0FFF), "Signature")?);
        Ok(Sign {
            sig_type: SignatureType::from((tl >> 12) as u8),
            signature,
        })
    }

    /// Writes the whole payload.
    pub fn write(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let t = bits("S type", self.sig_type.into(), 4)?;
        let len = checked_len("Signature", self.signature.len(), 0x0FFF)? as u16;
        out.extend_from_slice(&(u16::from(t) << 12 | len).to_be_bytes());
        out.extend_from_slice(&self.signature);
        Ok(())
    }

    /// Converts borrowed fields into owned ones.
    pub fn into_owned(self) -> Sign<'static> {
        Sign {
            sig_type: self.sig_type,
            signature: own(self.signature),
        }
    }
}

/// Cert hash (RFC 3830 §6.8): the hash length is implied by the function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chash<'a> {
    /// Hash function.
    pub hash_func: HashFunc,
    /// The hash.
    pub hash: Bytes<'a>,
}

impl<'a> Chash<'a> {
    /// Reads the body after the Next payload byte.
    pub fn read(r: &mut Reader<'a>) -> Result<Self, ParseError> {
        let at = r.offset();
        let hash_func = HashFunc::from(r.u8("CHASH Hash func")?);
        let len = hash_func.hash_len().ok_or(ParseError::new(
            at,
            ErrorKind::UnknownLengthCodepoint {
                field: "Hash func",
                value: hash_func.into(),
            },
        ))?;
        Ok(Chash {
            hash_func,
            hash: Cow::Borrowed(r.take(len, "CHASH Hash")?),
        })
    }

    /// Writes the body after the Next payload byte.
    pub fn write(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        out.push(self.hash_func.into());
        let len = self
            .hash_func
            .hash_len()
            .ok_or(EncodeError::BadValue { field: "Hash func" })?;
        exact("CHASH Hash", &self.hash, len)?;
        out.extend_from_slice(&self.hash);
        Ok(())
    }

    /// Converts borrowed fields into owned ones.
    pub fn into_owned(self) -> Chash<'static> {
        Chash {
            hash_func: self.hash_func,
            hash: own(self.hash),
        }
    }
}
