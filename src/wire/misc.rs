//! Small payloads: RAND (RFC 3830 §6.11), RANDR (RFC 6043 §6.8), V (RFC 3830 §6.9) and
//! ERR (RFC 3830 §6.12).

use super::codepoints::{ErrorNo, MacAlg, RandRole};
use super::error::{EncodeError, ErrorKind, ParseError};
use super::reader::Reader;
use super::writer::{exact, put_vec_u8};
use super::{Bytes, own};
use std::borrow::Cow;

/// RAND payload (RFC 3830 §6.11): at most 255 bytes, "SHOULD be at least 16".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rand<'a> {
    /// The random bytes.
    pub rand: Bytes<'a>,
}

impl<'a> Rand<'a> {
    /// Reads the body after the Next payload byte.
    #[inline(always)]
    pub fn read(r: &mut Reader<'a>) -> Result<Self, ParseError> {
        Ok(Rand {
            rand: Cow::Borrowed(r.vec_u8("RAND")?),
        })
    }

    /// Writes the body after the Next payload byte.
    #[inline]
    pub fn write(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        put_vec_u8(out, "RAND", &self.rand)
    }

    /// Converts borrowed fields into owned ones.
    pub fn into_owned(self) -> Rand<'static> {
        Rand {
            rand: own(self.rand),
        }
    }
}

/// RANDR payload: a RAND with the role of its generator (RFC 6043 §6.8).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RandWithRole<'a> {
    /// Who generated the RAND.
    pub role: RandRole,
    /// The random bytes.
    pub rand: Bytes<'a>,
}

impl<'a> RandWithRole<'a> {
    /// Reads the body after the Next payload byte.
    #[inline]
    pub fn read(r: &mut Reader<'a>) -> Result<Self, ParseError> {
        Ok(RandWithRole {
            role: RandRole::from(r.u8("RANDR RAND Role")?),
            rand: Cow::Borrowed(r.vec_u8("RANDR RAND")?),
        })
    }

    /// Writes the body after the Next payload byte.
    pub fn write(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        out.push(self.role.into());
        put_vec_u8(out, "RANDR RAND", &self.rand)
    }

    /// Converts borrowed fields into owned ones.
    pub fn into_owned(self) -> RandWithRole<'static> {
        RandWithRole {
            role: self.role,
            rand: own(self.rand),
        }
    }
}

/// V payload (RFC 3830 §6.9): the verification MAC; its length is implied by `auth_alg`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verification<'a> {
    /// MAC algorithm (the KEMAC MAC alg table).
    pub auth_alg: MacAlg,
    /// The verification MAC.
    pub data: Bytes<'a>,
}

impl<'a> Verification<'a> {
    /// Reads the body after the Next payload byte.
    #[inline]
    pub fn read(r: &mut Reader<'a>) -> Result<Self, ParseError> {
        let at = r.offset();
        let auth_alg = MacAlg::from(r.u8("V Auth alg")?);
        let len = auth_alg.mac_len().ok_or(ParseError::new(
            at,
            ErrorKind::UnknownLengthCodepoint {
                field: "V Auth alg",
                value: auth_alg.into(),
            },
        ))?;
        Ok(Verification {
            auth_alg,
            data: Cow::Borrowed(r.take(len, "V Ver data")?),
        })
    }

    /// Writes the body after the Next payload byte.
    pub fn write(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        out.push(self.auth_alg.into());
        let len = self.auth_alg.mac_len().ok_or(EncodeError::BadValue {
            field: "V Auth alg",
        })?;
        exact("V Ver data", &self.data, len)?;
        out.extend_from_slice(&self.data);
        Ok(())
    }

    /// Converts borrowed fields into owned ones.
    pub fn into_owned(self) -> Verification<'static> {
        Verification {
            auth_alg: self.auth_alg,
            data: own(self.data),
        }
    }
}

/// ERR payload (RFC 3830 §6.12).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrorPayload {
    /// The error number.
    pub error_no: ErrorNo,
    /// The 16 reserved bits (kept for byte-identical re-encoding).
    pub reserved: u16,
}

impl ErrorPayload {
    /// Reads the body after the Next payload byte.
    #[inline]
    pub fn read(r: &mut Reader<'_>) -> Result<Self, ParseError> {
        Ok(ErrorPayload {
            error_no: ErrorNo::from(r.u8("ERR Error no")?),
            reserved: r.u16("ERR Reserved")?,
        })
    }

    /// Writes the body after the Next payload byte.
    pub fn write(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        out.push(self.error_no.into());
        out.extend_from_slice(&self.reserved.to_be_bytes());
        Ok(())
    }
}
