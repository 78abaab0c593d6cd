//! Identity payloads: ID and CERT (RFC 3830 §6.7, same layout) and IDR, the ID with a
//! role (RFC 6043 §6.6).

use super::codepoints::{CertType, IdRole, IdType};
use super::error::{EncodeError, ParseError};
use super::reader::Reader;
use super::writer::put_vec_u16;
use super::{Bytes, own};
use std::borrow::Cow;

/// ID payload (RFC 3830 §6.7).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Id<'a> {
    /// ID type.
    pub id_type: IdType,
    /// ID data (e.g. an NAI or URI as bytes).
    pub data: Bytes<'a>,
}

impl<'a> Id<'a> {
    /// Reads the body after the Next payload byte.
    #[inline]
    pub fn read(r: &mut Reader<'a>) -> Result<Self, ParseError> {
        Ok(Id {
            id_type: IdType::from(r.u8("ID type")?),
            data: Cow::Borrowed(r.vec_u16("ID data")?),
        })
    }

    /// Writes the body after the Next payload byte.
    pub fn write(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        out.push(self.id_type.into());
        put_vec_u16(out, "ID data", &self.data)
    }

    /// Converts borrowed fields into owned ones.
    pub fn into_owned(self) -> Id<'static> {
        Id {
            id_type: self.id_type,
            data: own(self.data),
        }
    }
}

/// CERT payload (RFC 3830 §6.7): one certificate (DER) or a certificate URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cert<'a> {
    /// Certificate type.
    pub cert_type: CertType,
    /// Certificate data.
    pub data: Bytes<'a>,
}

impl<'a> Cert<'a> {
    /// Reads the body after the Next payload byte.
    #[inline]
    pub fn read(r: &mut Reader<'a>) -> Result<Self, ParseError> {
        Ok(Cert {
            cert_type: CertType::from(r.u8("Cert type")?),
            data: Cow::Borrowed(r.vec_u16("Certificate data")?),
        })
    }

    /// Writes the body after the Next payload byte.
    pub fn write(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        out.push(self.cert_type.into());
        put_vec_u16(out, "Certificate data", &self.data)
    }

    /// Converts borrowed fields into owned ones.
    pub fn into_owned(self) -> Cert<'static> {
        Cert {
            cert_type: self.cert_type,
            data: own(self.data),
        }
    }
}

/// IDR payload: an ID with a role (RFC 6043 §6.6).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdWithRole<'a> {
    /// What the identity is (Initiator, Responder, KMS, ...).
    pub role: IdRole,
    /// ID type.
    pub id_type: IdType,
    /// ID data.
    pub data: Bytes<'a>,
}

impl<'a> IdWithRole<'a> {
    /// Reads the body after the Next payload byte.
    #[inline]
    pub fn read(r: &mut Reader<'a>) -> Result<Self, ParseError> {
        Ok(IdWithRole {
            role: IdRole::from(r.u8("IDR ID Role")?),
            id_type: IdType::from(r.u8("IDR ID type")?),
            data: Cow::Borrowed(r.vec_u16("IDR ID data")?),
        })
    }

    /// Writes the body after the Next payload byte.
    pub fn write(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        out.push(self.role.into());
        out.push(self.id_type.into());
        put_vec_u16(out, "IDR ID data", &self.data)
    }

    /// Converts borrowed fields into owned ones.
    pub fn into_owned(self) -> IdWithRole<'static> {
        IdWithRole {
            role: self.role,
            id_type: self.id_type,
            data: own(self.data),
        }
    }
}
