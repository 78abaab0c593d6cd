//! Identity-based payloads: SAKKE (RFC 6509 §4.2) and the MIKEY-IBAKE payloads IBAKE,
//! ESK (RFC 6267 §6.1.1-6.1.2) with their sub-payloads ECCPT and SK (§6.1.4-6.1.5).

use super::codepoints::{EccCurve, IdScheme, SakkeParams, SecretKeyType};
use super::error::{EncodeError, ErrorKind, ParseError};
use super::key_data::KeyValidity;
use super::reader::Reader;
use super::writer::{bits, exact, put_vec_u16};
use super::{Bytes, own};
use std::borrow::Cow;

/// SAKKE payload (RFC 6509 §4.2): SAKKE Encapsulated Data (RFC 6508 §4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sakke<'a> {
    /// SAKKE parameter set.
    pub params: SakkeParams,
    /// Identifier scheme.
    pub id_scheme: IdScheme,
    /// Encapsulated data.
    pub data: Bytes<'a>,
}

impl<'a> Sakke<'a> {
    /// Reads the body after the Next payload byte.
    pub fn read(r: &mut Reader<'a>) -> Result<Self, ParseError> {
        Ok(Sakke {
            params: SakkeParams::from(r.u8("SAKKE params")?),
            id_scheme: IdScheme::from(r.u8("SAKKE ID scheme")?),
            data: Cow::Borrowed(r.vec_u16("SAKKE data")?),
        })
    }

    /// Writes the body after the Next payload byte.
    pub fn write(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        out.push(self.params.into());
        out.push(self.id_scheme.into());
        put_vec_u16(out, "SAKKE data", &self.data)
    }

    /// Converts borrowed fields into owned ones.
    pub fn into_owned(self) -> Sakke<'static> {
        Sakke {
            data: own(self.data),
            ..self
        }
    }
}

/// IBAKE (RFC 6267 §6.1.1) and ESK (§6.1.2) payloads share one layout: IBE-encrypted data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IbeEncrypted<'a> {
    /// The IBE-encrypted sub-payload chain.
    pub encr_data: Bytes<'a>,
}

impl<'a> IbeEncrypted<'a> {
    /// Reads the body after the Next payload byte.
    pub fn read(r: &mut Reader<'a>) -> Result<Self, ParseError> {
        Ok(IbeEncrypted {
            encr_data: Cow::Borrowed(r.vec_u16("IBE Encr data")?),
        })
    }

    /// Writes the body after the Next payload byte.
    pub fn write(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        put_vec_u16(out, "IBE Encr data", &self.encr_data)
    }

    /// Converts borrowed fields into owned ones.
    pub fn into_owned(self) -> IbeEncrypted<'static> {
        IbeEncrypted {
            encr_data: own(self.encr_data),
        }
    }
}

/// ECCPT (RFC 6267 §6.1.4, payload 25): a sub-payload of decrypted IBAKE data, and the
/// payload of MIKEY-ECMQV (draft-ietf-msec-mikey-ecc-03 §6.1, where Auth alg and TGK len
/// say how the ECMQV secret splits into TGK and auth_key). The point length is implied by
/// the curve (see [`EccCurve::point_field_len`]). The draft numbered the payload 22 (IANA
/// gave 22 to IBAKE) and the curves from 0 (RFC 6267 from 1): a draft-numbered ECMQV
/// message is read as the registry says, and a draft curve number is
/// [`EccCurve::from_draft`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EccPoint<'a> {
    /// Curve.
    pub curve: EccCurve,
    /// The padded point field.
    pub point: Bytes<'a>,
    /// Auth alg (ignored by MIKEY-IBAKE).
    pub auth_alg: u8,
    /// TGK len (ignored by MIKEY-IBAKE).
    pub tgk_len: u16,
    /// The 4 reserved bits.
    pub reserved: u8,
    /// Key validity.
    pub kv: KeyValidity<'a>,
}

impl<'a> EccPoint<'a> {
    /// Reads the body after the Next payload byte.
    pub fn read(r: &mut Reader<'a>) -> Result<Self, ParseError> {
        let at = r.offset();
        let curve = EccCurve::from(r.u8("ECC Curve")?);
        let len = curve.point_field_len().ok_or(ParseError::new(
            at,
            ErrorKind::UnknownLengthCodepoint {
                field: "ECC Curve",
                value: curve.into(),
            },
        ))?;
        let point = Cow::Borrowed(r.take(len, "ECC Point")?);
        let auth_alg = r.u8("ECCPT Auth alg")?;
        let tgk_len = r.u16("ECCPT TGK len")?;
        let kv_at = r.offset();
        let rkv = r.u8("ECCPT Reserv/KV")?;
        Ok(EccPoint {
            curve,
            point,
            auth_alg,
            tgk_len,
            reserved: rkv >> 4,
            kv: KeyValidity::read(rkv & 0x0F, kv_at, r)?,
        })
    }

    /// Converts borrowed fields into owned ones.
    pub fn into_owned(self) -> EccPoint<'static> {
        EccPoint {
            point: own(self.point),
            kv: self.kv.into_owned(),
            ..self
        }
    }

    /// Writes the body after the Next payload byte.
    pub fn write(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        out.push(self.curve.into());
        let len = self
            .curve
            .point_field_len()
            .ok_or(EncodeError::BadValue { field: "ECC Curve" })?;
        exact("ECC Point", &self.point, len)?;
        out.extend_from_slice(&self.point);
        out.push(self.auth_alg);
        out.extend_from_slice(&self.tgk_len.to_be_bytes());
        out.push(bits("ECCPT Reserv", self.reserved, 4)? << 4 | u8::from(self.kv.kv_type()));
        self.kv.write(out)
    }
}

/// SK sub-payload (RFC 6267 §6.1.5), found only inside decrypted ESK data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretKey<'a> {
    /// Key type (4 bits).
    pub sk_type: SecretKeyType,
    /// The key.
    pub key: Bytes<'a>,
    /// Key validity.
    pub kv: KeyValidity<'a>,
}

impl<'a> SecretKey<'a> {
    /// Reads the body after the Next payload byte.
    pub fn read(r: &mut Reader<'a>) -> Result<Self, ParseError> {
        let at = r.offset();
        let tkv = r.u8("SK Type/KV")?;
        let key = Cow::Borrowed(r.vec_u16("SK Key data")?);
        Ok(SecretKey {
            sk_type: SecretKeyType::from(tkv >> 4),
            key,
            kv: KeyValidity::read(tkv & 0x0F, at, r)?,
        })
    }

    /// Writes the body after the Next payload byte.
    pub fn write(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let t = bits("SK Type", self.sk_type.into(), 4)?;
        out.push(t << 4 | u8::from(self.kv.kv_type()));
        put_vec_u16(out, "SK Key data", &self.key)?;
        self.kv.write(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_payloads_round_trip() {
        let p = EccPoint {
            curve: EccCurve::P256,
            point: Cow::Owned(vec![4; 68]),
            auth_alg: 1,
            tgk_len: 32,
            reserved: 0,
            kv: KeyValidity::Spi(Cow::Borrowed(&[1, 2])),
        };
        let mut out = Vec::new();
        p.write(&mut out).unwrap();
        assert_eq!(out.len(), 1 + 68 + 1 + 2 + 1 + 3);
        assert_eq!(EccPoint::read(&mut Reader::new(&out)).unwrap(), p);
        let s = SecretKey {
            sk_type: SecretKeyType::Sk,
            key: Cow::Borrowed(&[7; 16]),
            kv: KeyValidity::Null,
        };
        let mut out = Vec::new();
        s.write(&mut out).unwrap();
        assert_eq!(SecretKey::read(&mut Reader::new(&out)).unwrap(), s);
    }

    /// A MIKEY-ECMQV I_MESSAGE shape (draft-ietf-msec-mikey-ecc-03 §5: HDR, T, RAND, {SP},
    /// ECCPTi, SIGNi) with ECCPT at the top level, as registered (payload 25), round trips;
    /// the draft's curve numbers map onto the registry's.
    #[test]
    fn a_top_level_eccpt_round_trips_and_draft_curves_map() {
        use crate::wire::{DataType, Message, MessageBuilder, Payload, Sign, SignatureType};
        let point = EccPoint {
            curve: EccCurve::P256,
            point: Cow::Owned(vec![4; 68]),
            auth_alg: 1,
            tgk_len: 16,
            reserved: 0,
            kv: KeyValidity::Null,
        };
        let bytes = MessageBuilder::new(DataType::DhInit, 1)
            .payload(Payload::EccPoint(point.clone()))
            .payload(Payload::Sign(Sign {
                sig_type: SignatureType::Eccsi,
                signature: Cow::Owned(vec![9; 64]),
            }))
            .build()
            .unwrap()
            .encode()
            .unwrap();
        let m = Message::parse(&bytes).unwrap();
        assert_eq!(m.payloads[0], Payload::EccPoint(point));
        assert_eq!(m.into_owned().encode().unwrap(), bytes);
        assert_eq!(EccCurve::from_draft(0), Some(EccCurve::P192));
        assert_eq!(EccCurve::from_draft(7), Some(EccCurve::P256));
        assert_eq!(EccCurve::from_draft(10), Some(EccCurve::P384));
        assert_eq!(EccCurve::from_draft(15), Some(EccCurve::K571));
        assert_eq!(EccCurve::from_draft(16), None);
        assert_eq!(EccCurve::from_draft(255), None);
    }
}
