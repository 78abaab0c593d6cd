//! The General Extension payload (RFC 3830 §6.15) and typed views of the registered
//! extension types: Vendor ID (RFC 3830 §6.15), SDP IDs (RFC 4567 §4.1.4), TESLA I-Key
//! (RFC 4442 §4.4), Key ID (RFC 4563 §4), CSB_ID (RFC 4738 §3.6), OMA BCAST (RFC 5410 §3),
//! and the two 3GPP types (SAKKE-to-self 6, 3GPP key parameters 7: IANA MIKEY registry,
//! 3GPP TS 33.180 Annex E), which are kept as opaque data under their registered names.
//! Every other type passes through intact.

use super::codepoints::{GenExtType, KeyIdType, OmaBcastSubtype};
use super::error::{EncodeError, ErrorKind, ParseError};
use super::reader::Reader;
use super::writer::put_vec_u16;
use super::{Bytes, own};
use std::borrow::Cow;

/// General Extension payload. Data is kept as bytes; a Key ID extension is validated
/// when parsed (its sub-entries must exactly fill the data).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneralExtension<'a> {
    /// Extension type.
    pub ext_type: GenExtType,
    /// Extension data.
    pub data: Bytes<'a>,
}

/// One entry of a Key ID extension (RFC 4563 §4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyIdEntry<'a> {
    /// Key ID type.
    pub id_type: KeyIdType,
    /// Key ID bytes.
    pub id: &'a [u8],
}

impl<'a> GeneralExtension<'a> {
    /// Reads the body after the Next payload byte.
    pub fn read(r: &mut Reader<'a>) -> Result<Self, ParseError> {
        let ext_type = GenExtType::from(r.u8("General Ext. Type")?);
        let data_at = r.offset() + 2;
        let data = r.vec_u16("General Ext. Data")?;
        if ext_type == GenExtType::KeyId {
            check_key_id_list(data, data_at)?;
        }
        Ok(GeneralExtension {
            ext_type,
            data: Cow::Borrowed(data),
        })
    }

    /// A Key ID extension (type 3) over `data`, the Data field of one as received
    /// (borrowed), checked as [`GeneralExtension::read`] checks it: a sequence of whole
    /// entries (RFC 4563 §4), at most 65535 bytes (the payload's Length field).
    pub fn key_ids_from(data: &'a [u8]) -> Result<GeneralExtension<'a>, ParseError> {
        if data.len() > usize::from(u16::MAX) {
            return Err(ParseError::new(
                0,
                ErrorKind::BadLength {
                    field: "General Ext. Data",
                },
            ));
        }
        check_key_id_list(data, 0)?;
        Ok(GeneralExtension {
            ext_type: GenExtType::KeyId,
            data: Cow::Borrowed(data),
        })
    }

    /// Writes the body after the Next payload byte.
    pub fn write(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        out.push(self.ext_type.into());
        put_vec_u16(out, "General Ext. Data", &self.data)
    }

    /// An extension of any type with `data` as it is (unknown and private types pass
    /// through; the typed constructors below are for the registered ones).
    pub fn new(ext_type: GenExtType, data: &[u8]) -> GeneralExtension<'static> {
        GeneralExtension {
            ext_type,
            data: Cow::Owned(data.to_vec()),
        }
    }

    /// The data of an extension of type `ext_type`, if this is one.
    fn data_of(&self, ext_type: GenExtType) -> Option<&[u8]> {
        (self.ext_type == ext_type).then_some(&self.data[..])
    }

    /// A Vendor ID extension (type 0, RFC 3830 §6.15: "Vendor specific byte string").
    pub fn vendor_id(data: &[u8]) -> GeneralExtension<'static> {
        Self::new(GenExtType::VendorId, data)
    }

    /// The byte string of a Vendor ID extension.
    pub fn as_vendor_id(&self) -> Option<&[u8]> {
        self.data_of(GenExtType::VendorId)
    }

    /// A TESLA I-Key extension (type 2, RFC 4442 §4.4): the initial key of the TESLA key
    /// chain, K_0, to which the sender has committed (RFC 4442 §3 item 10).
    pub fn tesla_i_key(key: &[u8]) -> GeneralExtension<'static> {
        Self::new(GenExtType::TeslaIKey, key)
    }

    /// The initial key of a TESLA I-Key extension.
    pub fn as_tesla_i_key(&self) -> Option<&[u8]> {
        self.data_of(GenExtType::TeslaIKey)
    }

    /// An OMA BCAST extension (type 5, RFC 5410 §3): the subtype (LTKM, STKM, LTKM
    /// Reporting, Parental Control) and its subtype-specific data, whose contents the OMA
    /// BCAST Service and Content Protection specification defines.
    pub fn oma_bcast(subtype: OmaBcastSubtype, data: &[u8]) -> GeneralExtension<'static> {
        let mut all = Vec::with_capacity(1 + data.len());
        all.push(subtype.into());
        all.extend_from_slice(data);
        GeneralExtension {
            ext_type: GenExtType::OmaBcast,
            data: Cow::Owned(all),
        }
    }

    /// The data of a SAKKE-to-self extension (type 6, 3GPP TS 33.180 §E.5), opaque here.
    pub fn as_sakke_to_self(&self) -> Option<&[u8]> {
        self.data_of(GenExtType::SakkeToSelf)
    }

    /// The data of a 3GPP key parameters extension (type 7, 3GPP TS 33.180 §E.6), opaque
    /// here.
    pub fn as_3gpp_key_parameters(&self) -> Option<&[u8]> {
        self.data_of(GenExtType::ThreeGppKeyParameters)
    }

    /// An SDP IDs extension (type 1) carrying the ";"-separated KMPID list of RFC 4567
    /// §4.1.4, e.g. `mikey` or `mikey;keyp1`.
    pub fn sdp_ids(list: &str) -> GeneralExtension<'static> {
        GeneralExtension {
            ext_type: GenExtType::SdpIds,
            data: Cow::Owned(list.as_bytes().to_vec()),
        }
    }

    /// The KMPID list of an SDP IDs extension, if it is one and is ASCII text.
    pub fn as_sdp_ids(&self) -> Option<&str> {
        (self.ext_type == GenExtType::SdpIds)
            .then(|| std::str::from_utf8(&self.data).ok())
            .flatten()
            .filter(|s| s.is_ascii())
    }

    /// A CSB_ID extension (type 4, RFC 4738 §3.6). RFC 4738 gives no data format; we
    /// carry the 32-bit CSB ID big-endian (README, Spec readings).
    pub fn csb_id(csb_id: u32) -> GeneralExtension<'static> {
        GeneralExtension {
            ext_type: GenExtType::CsbId,
            data: Cow::Owned(csb_id.to_be_bytes().to_vec()),
        }
    }

    /// The CSB ID of a 4-byte CSB_ID extension.
    pub fn as_csb_id(&self) -> Option<u32> {
        let b: [u8; 4] = self.data.as_ref().try_into().ok()?;
        (self.ext_type == GenExtType::CsbId).then(|| u32::from_be_bytes(b))
    }

    /// A Key ID extension (type 3) from entries.
    pub fn key_ids(entries: &[KeyIdEntry<'_>]) -> Result<GeneralExtension<'static>, EncodeError> {
        let mut data = Vec::new();
        for e in entries {
            data.push(e.id_type.into());
            super::writer::put_vec_u8(&mut data, "Key ID", e.id)?;
        }
        Ok(GeneralExtension {
            ext_type: GenExtType::KeyId,
            data: Cow::Owned(data),
        })
    }

    /// The entries of a Key ID extension (empty for other types).
    pub fn key_id_entries(&self) -> impl Iterator<Item = KeyIdEntry<'_>> + '_ {
        let mut rest: &[u8] = if self.ext_type == GenExtType::KeyId {
            &self.data
        } else {
            &[]
        };
        std::iter::from_fn(move || {
            let (&t, tail) = rest.split_first()?;
            let (&len, tail) = tail.split_first()?;
            let (id, tail) = tail.split_at_checked(len.into())?;
            rest = tail;
            Some(KeyIdEntry {
                id_type: KeyIdType::from(t),
                id,
            })
        })
    }

    /// The subtype and subtype-specific data of an OMA BCAST extension (type 5).
    pub fn as_oma_bcast(&self) -> Option<(OmaBcastSubtype, &[u8])> {
        if self.ext_type != GenExtType::OmaBcast {
            return None;
        }
        let (&sub, rest) = self.data.split_first()?;
        Some((OmaBcastSubtype::from(sub), rest))
    }

    /// Converts borrowed fields into owned ones.
    pub fn into_owned(self) -> GeneralExtension<'static> {
        GeneralExtension {
            ext_type: self.ext_type,
            data: own(self.data),
        }
    }
}

/// Checks that `data` (at byte offset `data_at` of the message) is a sequence of whole Key
/// ID entries (RFC 4563 §4: Type, Length, Key ID).
fn check_key_id_list(data: &[u8], data_at: usize) -> Result<(), ParseError> {
    let mut kr = Reader::at(data, data_at);
    while !kr.is_empty() {
        kr.u8("Key ID Type")?;
        kr.vec_u8("Key ID")
            .map_err(|e| ParseError::new(e.offset, ErrorKind::BadLength { field: "Key ID" }))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_views() {
        assert_eq!(
            GeneralExtension::sdp_ids("mikey;keyp1").as_sdp_ids(),
            Some("mikey;keyp1")
        );
        assert_eq!(
            GeneralExtension::csb_id(0xDEADBEEF).as_csb_id(),
            Some(0xDEADBEEF)
        );
        let k = GeneralExtension::key_ids(&[
            KeyIdEntry {
                id_type: KeyIdType::MbmsKeyDomainId,
                id: &[1, 2, 3],
            },
            KeyIdEntry {
                id_type: KeyIdType::MbmsTrafficKeyId,
                id: &[9],
            },
        ])
        .unwrap();
        let mut out = Vec::new();
        k.write(&mut out).unwrap();
        let back = GeneralExtension::read(&mut Reader::new(&out)).unwrap();
        assert_eq!(back.key_id_entries().count(), 2);
        assert_eq!(back.key_id_entries().nth(1).unwrap().id, &[9]);
    }

    /// Every registered type and an unknown one: built, written, read back, viewed.
    #[test]
    fn every_type_round_trips() {
        let exts = [
            (GeneralExtension::vendor_id(b"\x00\x00\x28\xafACME"), 0u8),
            (GeneralExtension::sdp_ids("mikey;keyp1"), 1),
            (GeneralExtension::tesla_i_key(&[7; 20]), 2),
            (
                GeneralExtension::key_ids(&[KeyIdEntry {
                    id_type: KeyIdType::MbmsServiceKeyId,
                    id: &[0, 0, 0, 1],
                }])
                .unwrap(),
                3,
            ),
            (GeneralExtension::csb_id(0x0102_0304), 4),
            (
                GeneralExtension::oma_bcast(OmaBcastSubtype::Stkm, &[0xAB, 0xCD]),
                5,
            ),
            (GeneralExtension::new(GenExtType::SakkeToSelf, &[1, 2]), 6),
            (
                GeneralExtension::new(GenExtType::ThreeGppKeyParameters, &[3]),
                7,
            ),
            (
                GeneralExtension::new(GenExtType::from(250), b"private"),
                250,
            ),
        ];
        for (ext, ty) in exts {
            let mut out = Vec::new();
            ext.write(&mut out).unwrap();
            assert_eq!(out[0], ty);
            let back = GeneralExtension::read(&mut Reader::new(&out)).unwrap();
            assert_eq!(back, ext);
            let mut again = Vec::new();
            back.write(&mut again).unwrap();
            assert_eq!(again, out);
        }
        let v = GeneralExtension::vendor_id(b"ACME");
        assert_eq!(v.as_vendor_id(), Some(&b"ACME"[..]));
        assert_eq!(v.as_tesla_i_key(), None);
        let t = GeneralExtension::tesla_i_key(&[9; 20]);
        assert_eq!(t.as_tesla_i_key(), Some(&[9u8; 20][..]));
        assert_eq!(t.as_vendor_id(), None);
        let b = GeneralExtension::oma_bcast(OmaBcastSubtype::Ltkm, &[1, 2, 3]);
        assert_eq!(
            b.as_oma_bcast(),
            Some((OmaBcastSubtype::Ltkm, &[1u8, 2, 3][..]))
        );
        let s = GeneralExtension::new(GenExtType::SakkeToSelf, &[5]);
        assert_eq!(s.as_sakke_to_self(), Some(&[5u8][..]));
        assert_eq!(s.as_3gpp_key_parameters(), None);
        let k = GeneralExtension::new(GenExtType::ThreeGppKeyParameters, &[6]);
        assert_eq!(k.as_3gpp_key_parameters(), Some(&[6u8][..]));
    }

    #[test]
    fn key_id_data_is_checked_as_a_parsed_payload_is() {
        let data = [0, 3, 2, 0xF8, 0x39, 1, 1, 7];
        let k = GeneralExtension::key_ids_from(&data).unwrap();
        assert_eq!(k.key_id_entries().count(), 2);
        assert_eq!(k.key_id_entries().nth(1).unwrap().id, &[7]);
        let e = GeneralExtension::key_ids_from(&data[..7]).unwrap_err();
        assert_eq!(e.kind, ErrorKind::BadLength { field: "Key ID" });
        let long = vec![0u8; 65536];
        assert!(GeneralExtension::key_ids_from(&long).is_err());
    }

    #[test]
    fn malformed_key_id_list_is_rejected() {
        let b = [3, 0, 3, 0, 5, 1];
        let e = GeneralExtension::read(&mut Reader::new(&b)).unwrap_err();
        assert_eq!(e.kind, ErrorKind::BadLength { field: "Key ID" });
    }
}
