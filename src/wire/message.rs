//! A whole MIKEY message: the Common Header and its payload chain (RFC 3830 §6), with the
//! byte ranges that MACs and signatures cover (§5.2).

use super::codepoints::{CsIdMapType, DataType, ErrorNo, PayloadType, PrfFunc};
use super::error::{EncodeError, ErrorKind, ParseError};
use super::header::{CommonHeader, CsIdMap, SrtpIdEntry, SrtpIdMap};
use super::kemac::Kemac;
use super::limits::Limits;
use super::misc::Rand;
use super::payload::{Payload, PayloadWalk, read_chain, write_chain};
use super::reader::Reader;
use super::timestamp::Timestamp;
use super::writer::checked_len;
use std::ops::Range;

/// A MIKEY message. Parsed messages borrow from their input (zero-copy); built or
/// [`into_owned`](Message::into_owned) messages own their bytes (`Message<'static>`).
/// Encoding a parsed message gives back exactly the parsed bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message<'a> {
    /// The Common Header.
    pub header: CommonHeader<'a>,
    /// The payloads after the header, in wire order.
    pub payloads: Vec<Payload<'a>>,
}

/// Where each part of an encoded message lies.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Layout {
    /// The Common Header.
    pub header: Range<usize>,
    /// One range per payload, in the order of [`Message::payloads`].
    pub payloads: Vec<Range<usize>>,
}

/// An authenticator field (a MAC or signature) and the bytes RFC 3830 §5.2 says it covers:
/// "the entire MIKEY message, except the MAC/Signature field". (PK-mode KEMAC MACs and
/// RSA-R SIGNr cover other spans; the exchange code derives those from [`Layout`].)
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthField {
    /// Index of the payload holding the field.
    pub payload_index: usize,
    /// Bytes covered: from the first header byte to the field (exclusive).
    pub covered: Range<usize>,
    /// The MAC/signature field itself.
    pub field: Range<usize>,
}

impl Layout {
    /// The MAC or signature field of payload `index` (KEMAC MAC, V Ver data, SIGN
    /// Signature) with its §5.2 coverage, or `None` for other payloads.
    pub fn auth_field(&self, message: &Message<'_>, index: usize) -> Option<AuthField> {
        let span = self.payloads.get(index)?;
        let len = match message.payloads.get(index)? {
            Payload::Kemac(k) => k.mac.len(),
            Payload::Verification(v) => v.data.len(),
            Payload::Sign(s) => s.signature.len(),
            _ => return None,
        };
        let field = span.end - len..span.end;
        Some(AuthField {
            payload_index: index,
            covered: 0..field.start,
            field,
        })
    }
}

impl<'a> Message<'a> {
    /// Parses a whole message within [`Limits::DEFAULT`] (65536 bytes, 512 payloads).
    /// Total: any input gives a message or a [`ParseError`] naming the byte offset;
    /// trailing bytes are an error.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, ParseError> {
        Self::parse_with_limits(bytes, &Limits::DEFAULT)
    }

    /// Parses a whole message within `limits`: a longer message is
    /// [`ErrorKind::TooLarge`](super::ErrorKind::TooLarge) before any byte is read, a
    /// chain of more payloads [`ErrorKind::TooManyPayloads`](super::ErrorKind::TooManyPayloads).
    pub fn parse_with_limits(bytes: &'a [u8], limits: &Limits) -> Result<Self, ParseError> {
        Self::parse_inner(bytes, limits, None)
    }

    /// Parses a message that may be followed by up to `max_padding` zero bytes, and
    /// returns it with the number of padding bytes found. RFC 3830 §6 defines no padding:
    /// a message ends with the payload whose Next payload is Last, and its MACs and
    /// signatures cover exactly the bytes up to there (§5.2), never the padding. Some
    /// implementations (Milestone XProtect) send one zero byte after the message anyway.
    /// More trailing bytes than `max_padding`, or any non-zero one, fail with
    /// [`ErrorKind::TrailingBytes`] as in [`Message::parse_with_limits`]; `limits` apply
    /// to the whole input, padding included. With `max_padding` 0 this is
    /// [`Message::parse_with_limits`].
    pub fn parse_padded(
        bytes: &'a [u8],
        limits: &Limits,
        max_padding: usize,
    ) -> Result<(Self, usize), ParseError> {
        let (header, _, walk) = Self::walk(bytes, limits)?;
        let mut payloads = Vec::with_capacity(8);
        for item in walk {
            match item {
                Ok(item) => payloads.push(item.payload),
                // The walk reports trailing bytes only after the last payload.
                Err(ParseError {
                    offset,
                    kind: ErrorKind::TrailingBytes { count },
                }) if count <= max_padding && bytes[offset..].iter().all(|b| *b == 0) => {
                    return Ok((Message { header, payloads }, count));
                }
                Err(e) => return Err(e),
            }
        }
        Ok((Message { header, payloads }, 0))
    }

    /// Parses a message within [`Limits::DEFAULT`] and returns where each payload lies in
    /// `bytes`.
    pub fn parse_with_layout(bytes: &'a [u8]) -> Result<(Self, Layout), ParseError> {
        Self::parse_with_layout_and_limits(bytes, &Limits::DEFAULT)
    }

    /// [`Message::parse_with_layout`] within `limits`.
    pub fn parse_with_layout_and_limits(
        bytes: &'a [u8],
        limits: &Limits,
    ) -> Result<(Self, Layout), ParseError> {
        let mut spans = Vec::new();
        let message = Self::parse_inner(bytes, limits, Some(&mut spans))?;
        let header_end = spans.first().map_or(bytes.len(), |s| s.start);
        Ok((
            message,
            Layout {
                header: 0..header_end,
                payloads: spans,
            },
        ))
    }

    /// Reads the Common Header and returns it, its byte range and a walk over the
    /// payloads that reads them one at a time without collecting them (for inspecting a
    /// message in constant memory). `limits` apply as in [`Message::parse_with_limits`].
    pub fn walk(
        bytes: &'a [u8],
        limits: &Limits,
    ) -> Result<(CommonHeader<'a>, Range<usize>, PayloadWalk<'a>), ParseError> {
        Self::check_size(bytes, limits)?;
        let mut r = Reader::new(bytes);
        let (header, first) = CommonHeader::read(&mut r)?;
        let header_end = r.offset();
        let walk = PayloadWalk::new(r, first, limits.max_payloads);
        Ok((header, 0..header_end, walk))
    }

    /// [`ErrorKind::TooLarge`] when `bytes` is longer than `limits` allow.
    fn check_size(bytes: &[u8], limits: &Limits) -> Result<(), ParseError> {
        if bytes.len() > limits.max_message_size {
            return Err(ParseError::new(
                0,
                ErrorKind::TooLarge {
                    len: bytes.len(),
                    limit: limits.max_message_size,
                },
            ));
        }
        Ok(())
    }

    fn parse_inner(
        bytes: &'a [u8],
        limits: &Limits,
        spans: Option<&mut Vec<Range<usize>>>,
    ) -> Result<Self, ParseError> {
        Self::check_size(bytes, limits)?;
        let mut r = Reader::new(bytes);
        // Two copies of the rest: in the common one the header stays in registers.
        match CommonHeader::read_srtp_id(&mut r) {
            Some((header, first)) => Self::parse_payloads(header, first, r, limits, spans),
            None => {
                let (header, first) = CommonHeader::read_any(&mut r)?;
                Self::parse_payloads(header, first, r, limits, spans)
            }
        }
    }

    /// The payloads after `header` (read up to `r`), into a new message.
    #[inline(always)]
    fn parse_payloads(
        header: CommonHeader<'a>,
        first: PayloadType,
        mut r: Reader<'a>,
        limits: &Limits,
        spans: Option<&mut Vec<Range<usize>>>,
    ) -> Result<Self, ParseError> {
        let mut payloads = Vec::with_capacity(8);
        read_chain(&mut r, first, limits.max_payloads, &mut payloads, spans)?;
        Ok(Message { header, payloads })
    }

    /// Encodes the message, deriving every Next payload field from the payload order.
    pub fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        let mut out = Vec::with_capacity(128);
        self.encode_into(&mut out, None)?;
        Ok(out)
    }

    /// Encodes the message and returns where each part lies.
    pub fn encode_with_layout(&self) -> Result<(Vec<u8>, Layout), EncodeError> {
        let mut out = Vec::with_capacity(128);
        let mut spans = Vec::with_capacity(self.payloads.len());
        self.encode_into(&mut out, Some(&mut spans))?;
        let header_end = spans.first().map_or(out.len(), |s| s.start);
        Ok((
            out,
            Layout {
                header: 0..header_end,
                payloads: spans,
            },
        ))
    }

    /// Appends the encoding to `out`; with `spans`, records each payload's range relative
    /// to the start of this message.
    pub fn encode_into(
        &self,
        out: &mut Vec<u8>,
        spans: Option<&mut Vec<Range<usize>>>,
    ) -> Result<(), EncodeError> {
        let base = out.len();
        let first = self
            .payloads
            .first()
            .map_or(super::codepoints::PayloadType::Last, Payload::payload_type);
        self.header.write(first, out)?;
        write_chain(&self.payloads, out, base, spans)
    }

    /// Converts every borrowed field into an owned one.
    pub fn into_owned(self) -> Message<'static> {
        Message {
            header: self.header.into_owned(),
            payloads: self.payloads.into_iter().map(Payload::into_owned).collect(),
        }
    }

    /// The first T payload.
    pub fn timestamp(&self) -> Option<&Timestamp> {
        self.payloads.iter().find_map(|p| match p {
            Payload::Timestamp(t) => Some(t),
            _ => None,
        })
    }

    /// The first RAND payload.
    pub fn rand(&self) -> Option<&Rand<'a>> {
        self.payloads.iter().find_map(|p| match p {
            Payload::Rand(r) => Some(r),
            _ => None,
        })
    }

    /// The first KEMAC payload.
    pub fn kemac(&self) -> Option<&Kemac<'a>> {
        self.payloads.iter().find_map(|p| match p {
            Payload::Kemac(k) => Some(k),
            _ => None,
        })
    }

    /// The Error nos. of the ERR payloads, in message order (RFC 3830 §6.12).
    pub fn error_nos(&self) -> Vec<ErrorNo> {
        self.payloads
            .iter()
            .filter_map(|p| match p {
                Payload::Error(e) => Some(e.error_no),
                _ => None,
            })
            .collect()
    }
}

/// Assembles a message: header fields first, then payloads in wire order.
///
/// ```
/// use mikey::wire::*;
/// let msg = MessageBuilder::new(DataType::PreShared, 0x0102_0304)
///     .v(true)
///     .srtp_crypto_session(0, 0x1122_3344, 0)
///     .payload(Payload::Timestamp(Timestamp { ts_type: TsType::NtpUtc, value: 1 }))
///     .build()
///     .unwrap();
/// let bytes = msg.encode().unwrap();
/// assert_eq!(Message::parse(&bytes).unwrap(), msg);
/// ```
#[derive(Clone, Debug)]
pub struct MessageBuilder<'a> {
    data_type: DataType,
    v: bool,
    prf: PrfFunc,
    csb_id: u32,
    map_type: CsIdMapType,
    srtp: SrtpIdMap<'static>,
    empty_count: u8,
    payloads: Vec<Payload<'a>>,
}

impl<'a> MessageBuilder<'a> {
    /// A message of `data_type` for CSB `csb_id`, PRF MIKEY-1, V=0, an empty SRTP-ID map.
    #[inline]
    pub fn new(data_type: DataType, csb_id: u32) -> Self {
        MessageBuilder {
            data_type,
            v: false,
            prf: PrfFunc::Mikey1,
            csb_id,
            map_type: CsIdMapType::SrtpId,
            srtp: SrtpIdMap::new(),
            empty_count: 0,
            // Room for the payloads of the usual messages (an I_MESSAGE with ID and V has
            // six), so that adding them does not reallocate: a first push would allocate
            // room for 4.
            payloads: Vec::with_capacity(8),
        }
    }

    /// Sets the V flag (a verification message is wanted).
    #[inline]
    pub fn v(mut self, v: bool) -> Self {
        self.v = v;
        self
    }

    /// Sets the PRF function.
    #[inline]
    pub fn prf(mut self, prf: PrfFunc) -> Self {
        self.prf = prf;
        self
    }

    /// Appends an SRTP-ID map entry (its CS ID is its 1-based position).
    #[inline]
    pub fn srtp_crypto_session(mut self, policy_no: u8, ssrc: u32, roc: u32) -> Self {
        self.map_type = CsIdMapType::SrtpId;
        self.srtp.push(SrtpIdEntry {
            policy_no,
            ssrc,
            roc,
        });
        self
    }

    /// Uses the Empty map (RFC 4563) with `cs_count` crypto sessions described elsewhere.
    #[inline]
    pub fn empty_map(mut self, cs_count: u8) -> Self {
        self.map_type = CsIdMapType::Empty;
        self.empty_count = cs_count;
        self
    }

    /// Appends a payload; borrowed fields stay borrowed (call [`Message::into_owned`] on
    /// the result for a message that outlives them).
    #[inline]
    pub fn payload(mut self, payload: Payload<'a>) -> Self {
        self.payloads.push(payload);
        self
    }

    /// Builds the message. Only the header is checked here (at most 255 crypto
    /// sessions); a payload field too long for its Length field is reported by
    /// [`Message::encode`].
    #[inline]
    pub fn build(self) -> Result<Message<'a>, EncodeError> {
        let cs_map = match self.map_type {
            CsIdMapType::Empty => CsIdMap::Empty {
                cs_count: self.empty_count,
            },
            _ => {
                checked_len("SRTP-ID map (#CS)", self.srtp.len(), u8::MAX.into())?;
                CsIdMap::SrtpId(self.srtp)
            }
        };
        let message = Message {
            header: CommonHeader {
                data_type: self.data_type,
                v: self.v,
                prf: self.prf,
                csb_id: self.csb_id,
                cs_map,
            },
            payloads: self.payloads,
        };
        Ok(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message() -> Vec<u8> {
        super::super::MessageBuilder::new(DataType::PskVerification, 7)
            .payload(Payload::Timestamp(Timestamp {
                ts_type: super::super::TsType::NtpUtc,
                value: 1,
            }))
            .build()
            .unwrap()
            .encode()
            .unwrap()
    }

    #[test]
    fn padding_is_zero_bytes_up_to_the_bound() {
        let plain = message();
        let limits = Limits::DEFAULT;
        let expected = Message::parse(&plain).unwrap();
        assert_eq!(
            Message::parse_padded(&plain, &limits, 1).unwrap(),
            (expected.clone(), 0)
        );
        for pad in 1..=3 {
            let mut padded = plain.clone();
            padded.resize(plain.len() + pad, 0);
            assert_eq!(
                Message::parse_padded(&padded, &limits, 3).unwrap(),
                (expected.clone(), pad)
            );
            let e = Message::parse_padded(&padded, &limits, pad - 1).unwrap_err();
            assert_eq!(e, Message::parse(&padded).unwrap_err());
            assert_eq!(e.offset, plain.len());
            assert_eq!(e.kind, ErrorKind::TrailingBytes { count: pad });
        }
        // A non-zero byte is not padding, wherever it stands.
        for at in 0..2 {
            let mut junk = plain.clone();
            junk.extend_from_slice(&[0, 0]);
            junk[plain.len() + at] = 1;
            let e = Message::parse_padded(&junk, &limits, 16).unwrap_err();
            assert_eq!(e.kind, ErrorKind::TrailingBytes { count: 2 });
        }
        // Other errors are unchanged.
        let e = Message::parse_padded(&plain[..plain.len() - 1], &limits, 16).unwrap_err();
        assert_eq!(e, Message::parse(&plain[..plain.len() - 1]).unwrap_err());
    }

    /// A message with payloads of several kinds (T, RAND, SP with parameters, KEMAC with
    /// a MAC, V, ERR) and two crypto sessions.
    fn varied_message() -> Vec<u8> {
        use super::super::{EncrAlg, ErrorPayload, MacAlg, ProtType, SecurityPolicy, TsType};
        use super::super::{Rand, Verification};
        use std::borrow::Cow;
        let sp =
            SecurityPolicy::from_params(1, ProtType::Srtp, &[(0, &[1]), (13, &[0, 4])]).unwrap();
        MessageBuilder::new(DataType::PreShared, 0x0102_0304)
            .v(true)
            .srtp_crypto_session(1, 0x1122_3344, 5)
            .srtp_crypto_session(1, 0x5566_7788, 0)
            .payload(Payload::Timestamp(Timestamp {
                ts_type: TsType::Counter,
                value: 9,
            }))
            .payload(Payload::Rand(Rand {
                rand: Cow::Borrowed(&[7; 16]),
            }))
            .payload(Payload::SecurityPolicy(sp))
            .payload(Payload::Kemac(Kemac {
                encr_alg: EncrAlg::AesCm128,
                encr_data: Cow::Borrowed(&[3; 20]),
                mac_alg: MacAlg::HmacSha1_160,
                mac: Cow::Borrowed(&[4; 20]),
            }))
            .payload(Payload::Verification(Verification {
                auth_alg: MacAlg::HmacSha1_160,
                data: Cow::Borrowed(&[5; 20]),
            }))
            .payload(Payload::Error(ErrorPayload {
                error_no: ErrorNo::from(4),
                reserved: 0,
            }))
            .build()
            .unwrap()
            .encode()
            .unwrap()
    }

    /// The message [`Message::walk`] reads, collected.
    fn parse_by_walk<'a>(bytes: &'a [u8], limits: &Limits) -> Result<Message<'a>, ParseError> {
        let (header, _, walk) = Message::walk(bytes, limits)?;
        let payloads = walk
            .map(|item| item.map(|item| item.payload))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Message { header, payloads })
    }

    #[test]
    fn parse_agrees_with_the_walk_on_every_prefix_and_byte_change() {
        let bytes = varied_message();
        let limits = [
            Limits::DEFAULT,
            Limits {
                max_message_size: 4096,
                max_payloads: 3,
            },
        ];
        let check = |input: &[u8]| {
            for limits in &limits {
                assert_eq!(
                    Message::parse_with_limits(input, limits),
                    parse_by_walk(input, limits),
                    "{input:02x?}"
                );
            }
        };
        for end in 0..=bytes.len() {
            check(&bytes[..end]);
        }
        let mut changed = bytes.clone();
        for at in 0..bytes.len() {
            for value in [0, 1, 2, 3, 0x7F, 0x80, 0xFF, bytes[at] ^ 1] {
                changed[at] = value;
                check(&changed);
            }
            changed[at] = bytes[at];
        }
        changed.push(0);
        check(&changed);
    }
}
