//! KEMAC, the key data transport payload (RFC 3830 §6.2), and the plaintext chain of
//! sub-payloads its Encr data carries (PSK: {Key data}; PK: IDi, {Key data}; RSA-R:
//! IDr, {Key data}).

use super::codepoints::{EncrAlg, MacAlg, PayloadType};
use super::error::{EncodeError, ErrorKind, ParseError};
use super::id::Id;
use super::key_data::{KeyData, KeyValidity};
use super::limits::DEFAULT_MAX_PAYLOADS;
use super::reader::Reader;
use super::writer::{exact, put_vec_u16};
use super::{Bytes, own};
use std::borrow::Cow;

/// The KEMAC payload (RFC 3830 §6.2). `encr_data` is the (possibly encrypted) sub-payload
/// chain; the MAC length is implied by `mac_alg`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kemac<'a> {
    /// Encryption algorithm of `encr_data`.
    pub encr_alg: EncrAlg,
    /// The encrypted (or, with NULL, plain) sub-payload chain.
    pub encr_data: Bytes<'a>,
    /// MAC algorithm.
    pub mac_alg: MacAlg,
    /// The MAC (0, 20 or 32 bytes per `mac_alg`).
    pub mac: Bytes<'a>,
}

impl<'a> Kemac<'a> {
    /// Reads the body after the Next payload byte.
    #[inline(always)]
    pub fn read(r: &mut Reader<'a>) -> Result<Self, ParseError> {
        let encr_alg = EncrAlg::from(r.u8("KEMAC Encr alg")?);
        let encr_data = Cow::Borrowed(r.vec_u16("KEMAC Encr data")?);
        let mac_at = r.offset();
        let mac_alg = MacAlg::from(r.u8("KEMAC MAC alg")?);
        let len = mac_alg.mac_len().ok_or(ParseError::new(
            mac_at,
            ErrorKind::UnknownLengthCodepoint {
                field: "MAC alg",
                value: mac_alg.into(),
            },
        ))?;
        let mac = Cow::Borrowed(r.take(len, "KEMAC MAC")?);
        Ok(Kemac {
            encr_alg,
            encr_data,
            mac_alg,
            mac,
        })
    }

    /// Writes the body after the Next payload byte.
    #[inline]
    pub fn write(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        out.push(self.encr_alg.into());
        put_vec_u16(out, "KEMAC Encr data", &self.encr_data)?;
        out.push(self.mac_alg.into());
        let len = self.mac_alg.mac_len().ok_or(EncodeError::BadValue {
            field: "KEMAC MAC alg",
        })?;
        exact("KEMAC MAC", &self.mac, len)?;
        out.extend_from_slice(&self.mac);
        Ok(())
    }

    /// Converts borrowed fields into owned ones.
    pub fn into_owned(self) -> Kemac<'static> {
        Kemac {
            encr_alg: self.encr_alg,
            encr_data: own(self.encr_data),
            mac_alg: self.mac_alg,
            mac: own(self.mac),
        }
    }
}

/// One sub-payload of a KEMAC plaintext chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyChainItem<'a> {
    /// An ID payload (IDi in PK mode, IDr in RSA-R; RFC 3830 §3.2, RFC 4738 §3.6).
    Id(Id<'a>),
    /// A Key data sub-payload.
    KeyData(KeyData<'a>),
}

impl KeyChainItem<'_> {
    fn payload_type(&self) -> PayloadType {
        match self {
            KeyChainItem::Id(_) => PayloadType::Id,
            KeyChainItem::KeyData(_) => PayloadType::KeyData,
        }
    }

    /// An upper bound of the encoded size, Next payload byte included (used to reserve).
    fn size_hint(&self) -> usize {
        match self {
            KeyChainItem::Id(id) => 4 + id.data.len(),
            KeyChainItem::KeyData(k) => {
                let kv = match &k.kv {
                    KeyValidity::Null => 0,
                    KeyValidity::Spi(spi) => 1 + spi.len(),
                    KeyValidity::Interval { from, to } => 2 + from.len() + to.len(),
                };
                6 + k.key.len() + k.salt.as_ref().map_or(0, |s| s.len()) + kv
            }
        }
    }
}

/// Parses a decrypted KEMAC chain whose first sub-payload has type `first` (Key data in
/// PSK mode, ID in PK and RSA-R mode). `base` is the offset used in errors. An empty
/// chain is valid (an update without keys, RFC 3830 §4.5). More than
/// [`DEFAULT_MAX_PAYLOADS`] sub-payloads is [`ErrorKind::TooManyPayloads`].
pub fn parse_key_chain(
    plain: &[u8],
    first: PayloadType,
    base: usize,
) -> Result<Vec<KeyChainItem<'_>>, ParseError> {
    let (items, end) = parse_key_chain_prefix(plain, first, base)?;
    if end < plain.len() {
        return Err(ParseError::new(
            base + end,
            ErrorKind::TrailingBytes {
                count: plain.len() - end,
            },
        ));
    }
    Ok(items)
}

/// Like [`parse_key_chain`], but stops after the sub-payload whose Next payload is Last
/// and returns the chain with its length; what follows is left to the caller (the
/// zero padding of an AES-KW plaintext, see `crypto::aes_kw`).
pub fn parse_key_chain_prefix(
    plain: &[u8],
    first: PayloadType,
    base: usize,
) -> Result<(Vec<KeyChainItem<'_>>, usize), ParseError> {
    let mut r = Reader::at(plain, base);
    let mut items = Vec::new();
    let mut next = first;
    while !r.is_empty() {
        let at = r.offset();
        if items.len() == DEFAULT_MAX_PAYLOADS {
            return Err(ParseError::new(
                at,
                ErrorKind::TooManyPayloads {
                    limit: DEFAULT_MAX_PAYLOADS,
                },
            ));
        }
        let following = PayloadType::from(r.u8("Next payload")?);
        items.push(match next {
            PayloadType::KeyData => KeyChainItem::KeyData(KeyData::read(&mut r)?),
            PayloadType::Id => KeyChainItem::Id(Id::read(&mut r)?),
            PayloadType::Unknown(t) => {
                return Err(ParseError::new(at, ErrorKind::UnknownPayload(t)));
            }
            other => return Err(ParseError::new(at, ErrorKind::Misplaced(other))),
        });
        next = following;
        if next == PayloadType::Last {
            break;
        }
    }
    if next != PayloadType::Last && !items.is_empty() {
        return Err(r.error(ErrorKind::Truncated {
            field: "KEMAC key chain",
            needed: 1,
            available: 0,
        }));
    }
    Ok((items, r.offset() - base))
}

/// Encodes a KEMAC plaintext chain, setting each Next payload field.
pub fn encode_key_chain(items: &[KeyChainItem<'_>]) -> Result<Vec<u8>, EncodeError> {
    // Allocated at its size at once (a reserve on an empty Vec goes through the growth
    // path).
    let mut out = Vec::with_capacity(items.iter().map(KeyChainItem::size_hint).sum());
    write_key_chain(items, &mut out)?;
    Ok(out)
}

/// Appends the encoding of a Key data / ID chain to `out` (see [`encode_key_chain`]),
/// reserving its length first. On error `out` is left as it was.
pub fn encode_key_chain_into(
    items: &[KeyChainItem<'_>],
    out: &mut Vec<u8>,
) -> Result<(), EncodeError> {
    let start = out.len();
    out.reserve(items.iter().map(KeyChainItem::size_hint).sum());
    write_key_chain(items, out).inspect_err(|_| out.truncate(start))
}

/// Appends the chain's encoding to `out` (which may hold part of it on error).
fn write_key_chain(items: &[KeyChainItem<'_>], out: &mut Vec<u8>) -> Result<(), EncodeError> {
    for (i, item) in items.iter().enumerate() {
        let next = items
            .get(i + 1)
            .map_or(PayloadType::Last, KeyChainItem::payload_type);
        out.push(next.into());
        match item {
            KeyChainItem::Id(id) => id.write(out)?,
            KeyChainItem::KeyData(k) => k.write(out)?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::codepoints::{IdType, KeyDataType};
    use crate::wire::key_data::KeyValidity;

    #[test]
    fn key_chain_round_trip_psk_and_pk() {
        let kd = KeyData {
            key_type: KeyDataType::TekSalt,
            key: Cow::Owned(vec![1; 16]),
            salt: Some(Cow::Owned(vec![2; 14])),
            kv: KeyValidity::Spi(Cow::Owned(vec![0, 0, 0, 1])),
        };
        let id = Id {
            id_type: IdType::Uri,
            data: Cow::Borrowed(b"sip:alice@example.com"),
        };
        for (first, items) in [
            (
                PayloadType::KeyData,
                vec![KeyChainItem::KeyData(kd.clone())],
            ),
            (
                PayloadType::Id,
                vec![
                    KeyChainItem::Id(id),
                    KeyChainItem::KeyData(kd.clone()),
                    KeyChainItem::KeyData(kd),
                ],
            ),
        ] {
            let bytes = encode_key_chain(&items).unwrap();
            assert_eq!(parse_key_chain(&bytes, first, 0).unwrap(), items);
            for cut in 0..bytes.len() {
                if cut > 0 {
                    assert!(
                        parse_key_chain(&bytes[..cut], first, 0).is_err(),
                        "cut {cut}"
                    );
                }
            }
        }
    }

    #[test]
    fn digest_worked_example_key_data() {
        // The worked PSK example (tests/data/README.md): plain Key data sub-payload 00 00 0010 1011..1f (TGK, KV Null).
        let mut plain = vec![0, 0, 0, 0x10];
        plain.extend(0x10..=0x1Fu8);
        let items = parse_key_chain(&plain, PayloadType::KeyData, 0).unwrap();
        let KeyChainItem::KeyData(k) = &items[0] else {
            panic!()
        };
        assert_eq!(k.key_type, KeyDataType::Tgk);
        assert_eq!(k.key.len(), 16);
        assert_eq!(encode_key_chain(&items).unwrap(), plain);
    }

    #[test]
    fn kemac_rejects_unknown_mac_alg() {
        let b = [1, 0, 0, 9];
        let e = Kemac::read(&mut Reader::new(&b)).unwrap_err();
        assert_eq!(e.offset, 3);
    }

    #[test]
    fn a_chain_that_cannot_be_encoded_leaves_out_as_it_was() {
        let good = KeyChainItem::KeyData(KeyData {
            key_type: KeyDataType::Tek,
            key: Cow::Owned(vec![1; 30]),
            salt: None,
            kv: KeyValidity::Null,
        });
        // A salt with a key type that has none.
        let bad = KeyChainItem::KeyData(KeyData {
            key_type: KeyDataType::Tek,
            key: Cow::Owned(vec![1; 16]),
            salt: Some(Cow::Owned(vec![2; 14])),
            kv: KeyValidity::Null,
        });
        let items = [good.clone(), bad];
        let mut out = vec![9, 9];
        let e = encode_key_chain_into(&items, &mut out).unwrap_err();
        assert_eq!(e, encode_key_chain(&items).unwrap_err());
        assert_eq!(out, [9, 9]);
        encode_key_chain_into(&items[..1], &mut out).unwrap();
        assert_eq!(out[..2], [9, 9]);
        assert_eq!(out[2..], encode_key_chain(&items[..1]).unwrap());
    }
}
