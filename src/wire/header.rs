//! The Common Header payload (RFC 3830 §6.1) and its CS ID maps: SRTP-ID (§6.1.1),
//! Empty (RFC 4563 §5) and GENERIC-ID (RFC 6043 §6.1.1).

use super::codepoints::{CsIdMapType, DataType, PayloadType, PrfFunc, ProtType};
use super::error::{EncodeError, ErrorKind, ParseError};
use super::reader::Reader;
use super::small_bytes::SmallBytes;
use super::writer::{bits, checked_len, put_vec_u8, put_vec_u16};
use super::{Bytes, own};
use std::borrow::Cow;

/// The only version defined (RFC 3830 §6.1).
pub const MIKEY_VERSION: u8 = 1;

/// The Common Header (HDR), always the first payload (RFC 3830 §6.1). Its `Next payload`
/// is not stored: it is derived from the payload that follows when encoding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommonHeader<'a> {
    /// Message type.
    pub data_type: DataType,
    /// V flag: the Initiator wants a verification message (§6.1; ignored in DH mode).
    pub v: bool,
    /// PRF function (7 bits).
    pub prf: PrfFunc,
    /// Crypto Session Bundle ID.
    pub csb_id: u32,
    /// The CS ID map, which also gives `#CS`.
    pub cs_map: CsIdMap<'a>,
}

/// The CS ID map of the header (RFC 3830 §6.1: "CS ID map type" and "CS ID map info").
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CsIdMap<'a> {
    /// SRTP-ID map: `#CS` entries of Policy_no, SSRC, ROC (RFC 3830 §6.1.1).
    SrtpId(SrtpIdMap<'a>),
    /// Empty map: crypto sessions are described outside MIKEY (RFC 4563 §5); `#CS` is kept.
    Empty {
        /// The `#CS` field.
        cs_count: u8,
    },
    /// GENERIC-ID map (RFC 6043 §6.1.1).
    GenericId(GenericIdMap<'a>),
}

impl CsIdMap<'_> {
    /// The map type codepoint.
    pub fn map_type(&self) -> CsIdMapType {
        match self {
            CsIdMap::SrtpId(_) => CsIdMapType::SrtpId,
            CsIdMap::Empty { .. } => CsIdMapType::Empty,
            CsIdMap::GenericId(_) => CsIdMapType::GenericId,
        }
    }

    /// `#CS`: the number of crypto sessions.
    pub fn cs_count(&self) -> usize {
        match self {
            CsIdMap::SrtpId(m) => m.len(),
            CsIdMap::Empty { cs_count } => (*cs_count).into(),
            CsIdMap::GenericId(m) => m.count.into(),
        }
    }

    fn into_owned(self) -> CsIdMap<'static> {
        match self {
            CsIdMap::SrtpId(m) => CsIdMap::SrtpId(SrtpIdMap {
                raw: m.raw.into_owned(),
            }),
            CsIdMap::Empty { cs_count } => CsIdMap::Empty { cs_count },
            CsIdMap::GenericId(m) => CsIdMap::GenericId(GenericIdMap {
                count: m.count,
                raw: own(m.raw),
            }),
        }
    }
}

/// One SRTP-ID map entry (RFC 3830 §6.1.1). The crypto session with this entry has
/// CS ID = its 1-based position in the map, not the SSRC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SrtpIdEntry {
    /// Policy no of the SP payload that applies to this stream.
    pub policy_no: u8,
    /// SSRC; 0 means "not chosen by the Initiator" (filled in by the Responder).
    pub ssrc: u32,
    /// Rollover counter; 0 if the SRTP session has not started.
    pub roc: u32,
}

const SRTP_ID_ENTRY_LEN: usize = 9;

fn entry_from_bytes(b: &[u8]) -> SrtpIdEntry {
    SrtpIdEntry {
        policy_no: b[0],
        ssrc: u32::from_be_bytes([b[1], b[2], b[3], b[4]]),
        roc: u32::from_be_bytes([b[5], b[6], b[7], b[8]]),
    }
}

fn entry_bytes(e: &SrtpIdEntry) -> [u8; SRTP_ID_ENTRY_LEN] {
    let [s0, s1, s2, s3] = e.ssrc.to_be_bytes();
    let [r0, r1, r2, r3] = e.roc.to_be_bytes();
    [e.policy_no, s0, s1, s2, s3, r0, r1, r2, r3]
}

/// How many SRTP-ID entries a built map holds inline (an audio and a video stream).
const SRTP_ID_INLINE_ENTRIES: usize = 2;

/// The SRTP-ID map info: `#CS` 9-byte entries, kept as bytes (zero-copy). A built map of
/// up to two entries does not allocate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SrtpIdMap<'a> {
    raw: SmallBytes<'a, { SRTP_ID_INLINE_ENTRIES * SRTP_ID_ENTRY_LEN }>,
}

impl<'a> SrtpIdMap<'a> {
    /// An empty map.
    pub fn new() -> SrtpIdMap<'static> {
        SrtpIdMap {
            raw: SmallBytes::EMPTY,
        }
    }

    /// Builds a map from entries (at most 255).
    pub fn from_entries(entries: &[SrtpIdEntry]) -> Result<SrtpIdMap<'static>, EncodeError> {
        checked_len("SRTP-ID map (#CS)", entries.len(), u8::MAX.into())?;
        let mut raw = SmallBytes::with_capacity(entries.len() * SRTP_ID_ENTRY_LEN);
        for e in entries {
            raw.extend(&entry_bytes(e));
        }
        Ok(SrtpIdMap { raw })
    }

    /// Appends an entry (the `#CS` limit of 255 is checked when the header is written).
    #[inline]
    pub fn push(&mut self, e: SrtpIdEntry) {
        self.raw.extend(&entry_bytes(&e));
    }

    /// Number of entries (`#CS`).
    #[inline]
    pub fn len(&self) -> usize {
        self.raw.len() / SRTP_ID_ENTRY_LEN
    }

    /// True when the map has no entry.
    pub fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }

    /// Entry `i` (0-based; its CS ID is `i + 1`).
    pub fn get(&self, i: usize) -> Option<SrtpIdEntry> {
        let start = i.checked_mul(SRTP_ID_ENTRY_LEN)?;
        self.raw
            .get(start..start.checked_add(SRTP_ID_ENTRY_LEN)?)
            .map(entry_from_bytes)
    }

    /// The entries in order.
    pub fn entries(&self) -> impl ExactSizeIterator<Item = SrtpIdEntry> + '_ {
        self.raw
            .chunks_exact(SRTP_ID_ENTRY_LEN)
            .map(entry_from_bytes)
    }
}

/// One GENERIC-ID block (RFC 6043 §6.1.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenericIdEntry<'a> {
    /// CS ID.
    pub cs_id: u8,
    /// Security protocol.
    pub prot_type: ProtType,
    /// S flag: for SRTP, the session data carries ROC and SEQ after the SSRC.
    pub s: bool,
    /// Policy numbers (`#P` of them).
    pub policy_nos: Cow<'a, [u8]>,
    /// Session data (SRTP: SSRC [ROC SEQ]).
    pub session_data: Cow<'a, [u8]>,
    /// SPI (SRTP: MKI), possibly empty.
    pub spi: Cow<'a, [u8]>,
}

impl GenericIdEntry<'_> {
    fn read<'b>(r: &mut Reader<'b>) -> Result<GenericIdEntry<'b>, ParseError> {
        let cs_id = r.u8("GENERIC-ID CS ID")?;
        let prot_type = ProtType::from(r.u8("GENERIC-ID Prot type")?);
        let sp = r.u8("GENERIC-ID S/#P")?;
        let policy_nos = r.take((sp & 0x7F).into(), "GENERIC-ID Ps")?;
        let session_data = r.vec_u16("GENERIC-ID Session Data")?;
        let spi = r.vec_u8("GENERIC-ID SPI")?;
        Ok(GenericIdEntry {
            cs_id,
            prot_type,
            s: sp & 0x80 != 0,
            policy_nos: Cow::Borrowed(policy_nos),
            session_data: Cow::Borrowed(session_data),
            spi: Cow::Borrowed(spi),
        })
    }

    fn write(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        out.push(self.cs_id);
        out.push(self.prot_type.into());
        let p = checked_len("GENERIC-ID #P", self.policy_nos.len(), 0x7F)? as u8;
        out.push(u8::from(self.s) << 7 | p);
        out.extend_from_slice(&self.policy_nos);
        put_vec_u16(out, "GENERIC-ID Session Data", &self.session_data)?;
        put_vec_u8(out, "GENERIC-ID SPI", &self.spi)
    }
}

/// The GENERIC-ID map info: `count` blocks, validated at parse time and kept as bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenericIdMap<'a> {
    count: u8,
    raw: Bytes<'a>,
}

impl GenericIdMap<'_> {
    /// Builds a map from blocks (at most 255).
    pub fn from_entries(
        entries: &[GenericIdEntry<'_>],
    ) -> Result<GenericIdMap<'static>, EncodeError> {
        let count = checked_len("GENERIC-ID map (#CS)", entries.len(), u8::MAX.into())? as u8;
        let mut raw = Vec::new();
        for e in entries {
            e.write(&mut raw)?;
        }
        Ok(GenericIdMap {
            count,
            raw: Cow::Owned(raw),
        })
    }

    /// The blocks in order.
    pub fn entries(&self) -> impl Iterator<Item = GenericIdEntry<'_>> + '_ {
        let mut r = Reader::new(&self.raw);
        (0..self.count).map_while(move |_| GenericIdEntry::read(&mut r).ok())
    }
}

impl<'a> CommonHeader<'a> {
    /// Parses the header; returns it and the type of the first payload.
    #[inline]
    pub fn read(r: &mut Reader<'a>) -> Result<(Self, PayloadType), ParseError> {
        match Self::read_srtp_id(r) {
            Some(header) => Ok(header),
            None => Self::read_any(r),
        }
    }

    /// The common case of [`CommonHeader::read`], inline so that the fields stay in
    /// registers on their way into the message: version 1 and a whole SRTP-ID map. `None`
    /// (with `r` unchanged) for anything else, which [`CommonHeader::read_any`] reads.
    #[inline(always)]
    pub(crate) fn read_srtp_id(r: &mut Reader<'a>) -> Option<(Self, PayloadType)> {
        // Version, data type, next payload, V/PRF, CSB ID, #CS, CS ID map type 0 (SRTP-ID).
        let (fixed, map) = r.peek_rest().split_first_chunk::<10>()?;
        let [
            MIKEY_VERSION,
            data_type,
            next,
            vprf,
            c0,
            c1,
            c2,
            c3,
            cs_count,
            0,
        ] = *fixed
        else {
            return None;
        };
        let map_len = usize::from(cs_count) * SRTP_ID_ENTRY_LEN;
        let raw = map.get(..map_len)?;
        r.take(fixed.len() + map_len, "HDR").ok()?;
        let header = CommonHeader {
            data_type: DataType::from(data_type),
            v: vprf & 0x80 != 0,
            prf: PrfFunc::from(vprf & 0x7F),
            csb_id: u32::from_be_bytes([c0, c1, c2, c3]),
            cs_map: CsIdMap::SrtpId(SrtpIdMap {
                raw: SmallBytes::borrowed(raw),
            }),
        };
        Some((header, PayloadType::from(next)))
    }

    /// [`CommonHeader::read`] field by field, for any header (and any error).
    #[inline(never)]
    pub(crate) fn read_any(r: &mut Reader<'a>) -> Result<(Self, PayloadType), ParseError> {
        let at = r.offset();
        let version = r.u8("HDR version")?;
        if version != MIKEY_VERSION {
            return Err(ParseError::new(at, ErrorKind::BadVersion(version)));
        }
        let data_type = DataType::from(r.u8("HDR data type")?);
        let next = PayloadType::from(r.u8("HDR next payload")?);
        let vprf = r.u8("HDR V/PRF func")?;
        let csb_id = r.u32("HDR CSB ID")?;
        let cs_count = r.u8("HDR #CS")?;
        let map_at = r.offset();
        let map_type = r.u8("HDR CS ID map type")?;
        let cs_map = match CsIdMapType::from(map_type) {
            CsIdMapType::SrtpId => {
                let raw = r.take(usize::from(cs_count) * SRTP_ID_ENTRY_LEN, "SRTP-ID map")?;
                CsIdMap::SrtpId(SrtpIdMap {
                    raw: SmallBytes::borrowed(raw),
                })
            }
            CsIdMapType::Empty => CsIdMap::Empty { cs_count },
            CsIdMapType::GenericId => {
                let start = r.clone();
                for _ in 0..cs_count {
                    GenericIdEntry::read(r)?;
                }
                let len = start.remaining() - r.remaining();
                let raw = start.clone().take(len, "GENERIC-ID map")?;
                CsIdMap::GenericId(GenericIdMap {
                    count: cs_count,
                    raw: Cow::Borrowed(raw),
                })
            }
            CsIdMapType::Unknown(t) => {
                return Err(ParseError::new(map_at, ErrorKind::UnknownCsIdMap(t)));
            }
        };
        let header = CommonHeader {
            data_type,
            v: vprf & 0x80 != 0,
            prf: PrfFunc::from(vprf & 0x7F),
            csb_id,
            cs_map,
        };
        Ok((header, next))
    }

    /// Encodes the header with `next` as its Next payload.
    pub fn write(&self, next: PayloadType, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        out.push(MIKEY_VERSION);
        out.push(self.data_type.into());
        out.push(next.into());
        let prf = bits("HDR PRF func", self.prf.into(), 7)?;
        out.push(u8::from(self.v) << 7 | prf);
        out.extend_from_slice(&self.csb_id.to_be_bytes());
        let count = checked_len("#CS", self.cs_map.cs_count(), u8::MAX.into())?;
        out.push(count as u8);
        out.push(self.cs_map.map_type().into());
        match &self.cs_map {
            CsIdMap::SrtpId(m) => out.extend_from_slice(&m.raw),
            CsIdMap::Empty { .. } => {}
            CsIdMap::GenericId(m) => out.extend_from_slice(&m.raw),
        }
        Ok(())
    }

    /// Converts borrowed fields into owned ones.
    pub fn into_owned(self) -> CommonHeader<'static> {
        CommonHeader {
            data_type: self.data_type,
            v: self.v,
            prf: self.prf,
            csb_id: self.csb_id,
            cs_map: self.cs_map.into_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn srtp_id_header_round_trip() {
        let bytes = [
            1, 0, 5, 0x80, 0xCD, 0x17, 0x7E, 0x50, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2,
        ];
        let mut r = Reader::new(&bytes);
        let (h, next) = CommonHeader::read(&mut r).unwrap();
        assert!(r.is_empty());
        assert_eq!(next, PayloadType::Timestamp);
        assert!(h.v);
        assert_eq!(h.csb_id, 0xCD17_7E50);
        let CsIdMap::SrtpId(m) = &h.cs_map else {
            panic!()
        };
        assert_eq!(
            m.get(0),
            Some(SrtpIdEntry {
                policy_no: 0,
                ssrc: 1,
                roc: 2
            })
        );
        let mut out = Vec::new();
        h.write(next, &mut out).unwrap();
        assert_eq!(out, bytes);
        for i in [1, usize::MAX, usize::MAX / 9, usize::MAX / 9 + 1] {
            assert_eq!(m.get(i), None, "index {i}");
        }
    }

    #[test]
    fn generic_id_blocks_are_validated() {
        let block = GenericIdEntry {
            cs_id: 1,
            prot_type: ProtType::Srtp,
            s: true,
            policy_nos: Cow::Owned(vec![0, 1]),
            session_data: Cow::Owned(vec![1, 2, 3, 4, 0, 0, 0, 0, 0, 9]),
            spi: Cow::Owned(vec![0xAA]),
        };
        let h = CommonHeader {
            data_type: DataType::TransferInit,
            v: false,
            prf: PrfFunc::HmacSha256,
            csb_id: 7,
            cs_map: CsIdMap::GenericId(
                GenericIdMap::from_entries(std::slice::from_ref(&block)).unwrap(),
            ),
        };
        let mut out = Vec::new();
        h.write(PayloadType::Last, &mut out).unwrap();
        let (back, _) = CommonHeader::read(&mut Reader::new(&out)).unwrap();
        assert_eq!(back, h);
        let CsIdMap::GenericId(m) = &back.cs_map else {
            panic!()
        };
        assert_eq!(m.entries().collect::<Vec<_>>(), vec![block]);
        let short = &out[..out.len() - 1];
        assert!(CommonHeader::read(&mut Reader::new(short)).is_err());
    }

    #[test]
    fn unknown_map_type_and_version_are_errors() {
        let mut b = [1, 0, 0, 0, 0, 0, 0, 0, 0, 9];
        let e = CommonHeader::read(&mut Reader::new(&b)).unwrap_err();
        assert_eq!(e, ParseError::new(9, ErrorKind::UnknownCsIdMap(9)));
        b[0] = 2;
        let e = CommonHeader::read(&mut Reader::new(&b)).unwrap_err();
        assert_eq!(e.kind, ErrorKind::BadVersion(2));
    }

    #[test]
    fn the_srtp_id_fast_path_reads_what_the_field_by_field_read_does() {
        let with_entries = |n: u8| {
            let mut b = vec![1, 2, 5, 0x81, 0xCD, 0x17, 0x7E, 0x50, n, 0];
            for i in 0..n {
                b.extend_from_slice(&[i, 0, 0, 0, i, 0, 0, 1, i]);
            }
            b.push(0xEE);
            b
        };
        let mut inputs = vec![
            with_entries(0),
            with_entries(1),
            with_entries(2),
            vec![1, 0, 0, 0, 0, 0, 0, 0, 4, 1, 0xEE],
        ];
        for base in inputs.clone() {
            for end in 0..base.len() {
                inputs.push(base[..end].to_vec());
            }
            for at in 0..base.len() {
                for value in [0, 1, 2, 3, 9, 0x80, 0xFF] {
                    let mut changed = base.clone();
                    changed[at] = value;
                    inputs.push(changed);
                }
            }
        }
        for input in &inputs {
            let (mut fast, mut any) = (Reader::at(input, 5), Reader::at(input, 5));
            let read = CommonHeader::read(&mut fast);
            assert_eq!(read, CommonHeader::read_any(&mut any), "{input:02x?}");
            if read.is_ok() {
                assert_eq!(fast.offset(), any.offset(), "{input:02x?}");
            }
        }
    }
}
