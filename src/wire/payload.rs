//! The payload union and the walk along a Next-payload chain (RFC 3830 §6: there is no
//! generic length field, so each payload's layout decides where the next one starts).

use super::codepoints::PayloadType;
use super::envelope::{Chash, Dh, Pke, Sign};
use super::error::{EncodeError, ErrorKind, ParseError};
use super::general_ext::GeneralExtension;
use super::id::{Cert, Id, IdWithRole};
use super::identity_based::{EccPoint, IbeEncrypted, Sakke};
use super::kemac::Kemac;
use super::limits::DEFAULT_MAX_PAYLOADS;
use super::misc::{ErrorPayload, Rand, RandWithRole, Verification};
use super::policy::SecurityPolicy;
use super::reader::Reader;
use super::ticket::{Ticket, TicketPolicy};
use super::timestamp::{Timestamp, TimestampWithRole};
use std::ops::Range;

/// Any payload that may follow the Common Header. Sub-payloads (Key data, SK) are not
/// here: they live inside KEMAC and ESK data. ECCPT is both: a sub-payload of IBAKE data
/// (RFC 6267 §6.1.4) and the top-level payload of MIKEY-ECMQV
/// (draft-ietf-msec-mikey-ecc-03 §5, §6.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Payload<'a> {
    /// KEMAC (RFC 3830 §6.2).
    Kemac(Kemac<'a>),
    /// PKE (RFC 3830 §6.3).
    Pke(Pke<'a>),
    /// DH (RFC 3830 §6.4).
    Dh(Dh<'a>),
    /// SIGN (RFC 3830 §6.5); always last.
    Sign(Sign<'a>),
    /// T (RFC 3830 §6.6).
    Timestamp(Timestamp),
    /// ID (RFC 3830 §6.7).
    Id(Id<'a>),
    /// CERT (RFC 3830 §6.7).
    Cert(Cert<'a>),
    /// CHASH (RFC 3830 §6.8).
    Chash(Chash<'a>),
    /// V (RFC 3830 §6.9).
    Verification(Verification<'a>),
    /// SP (RFC 3830 §6.10).
    SecurityPolicy(SecurityPolicy<'a>),
    /// RAND (RFC 3830 §6.11).
    Rand(Rand<'a>),
    /// ERR (RFC 3830 §6.12).
    Error(ErrorPayload),
    /// TR (RFC 6043 §6.4).
    TimestampRole(TimestampWithRole),
    /// IDR (RFC 6043 §6.6).
    IdRole(IdWithRole<'a>),
    /// RANDR (RFC 6043 §6.8).
    RandRole(RandWithRole<'a>),
    /// TP (RFC 6043 §6.10).
    TicketPolicy(TicketPolicy<'a>),
    /// TICKET (RFC 6043 §6.10).
    Ticket(Ticket<'a>),
    /// General Extension (RFC 3830 §6.15).
    GeneralExtension(GeneralExtension<'a>),
    /// IBAKE (RFC 6267 §6.1.1).
    Ibake(IbeEncrypted<'a>),
    /// ESK (RFC 6267 §6.1.2).
    EncryptedSecretKey(IbeEncrypted<'a>),
    /// SAKKE (RFC 6509 §4.2).
    Sakke(Sakke<'a>),
    /// ECCPT (RFC 6267 §6.1.4, payload 25; the layout of draft-ietf-msec-mikey-ecc-03
    /// §6.1, whose MIKEY-ECMQV messages carry ECCPTi and ECCPTr at the top level).
    EccPoint(EccPoint<'a>),
}

impl<'a> Payload<'a> {
    /// The payload's Next-payload codepoint.
    pub fn payload_type(&self) -> PayloadType {
        match self {
            Payload::Kemac(_) => PayloadType::Kemac,
            Payload::Pke(_) => PayloadType::Pke,
            Payload::Dh(_) => PayloadType::Dh,
            Payload::Sign(_) => PayloadType::Sign,
            Payload::Timestamp(_) => PayloadType::Timestamp,
            Payload::Id(_) => PayloadType::Id,
            Payload::Cert(_) => PayloadType::Cert,
            Payload::Chash(_) => PayloadType::Chash,
            Payload::Verification(_) => PayloadType::Verification,
            Payload::SecurityPolicy(_) => PayloadType::SecurityPolicy,
            Payload::Rand(_) => PayloadType::Rand,
            Payload::Error(_) => PayloadType::Error,
            Payload::TimestampRole(_) => PayloadType::TimestampRole,
            Payload::IdRole(_) => PayloadType::IdRole,
            Payload::RandRole(_) => PayloadType::RandRole,
            Payload::TicketPolicy(_) => PayloadType::TicketPolicy,
            Payload::Ticket(_) => PayloadType::Ticket,
            Payload::GeneralExtension(_) => PayloadType::GeneralExtension,
            Payload::Ibake(_) => PayloadType::Ibake,
            Payload::EncryptedSecretKey(_) => PayloadType::EncryptedSecretKey,
            Payload::Sakke(_) => PayloadType::Sakke,
            Payload::EccPoint(_) => PayloadType::EccPoint,
        }
    }

    /// Reads a payload of type `ty` at `r`; returns it and the type of the payload that
    /// follows (`Last` after SIGN, which has no Next payload field).
    pub fn read(ty: PayloadType, r: &mut Reader<'a>) -> Result<(Self, PayloadType), ParseError> {
        let at = r.offset();
        if ty == PayloadType::Sign {
            return Ok((Payload::Sign(Sign::read(r)?), PayloadType::Last));
        }
        match ty {
            PayloadType::Unknown(t) => {
                return Err(ParseError::new(at, ErrorKind::UnknownPayload(t)));
            }
            PayloadType::Last | PayloadType::KeyData | PayloadType::SecretKey => {
                return Err(ParseError::new(at, ErrorKind::Misplaced(ty)));
            }
            _ => {}
        }
        let next = PayloadType::from(r.u8("Next payload")?);
        let payload = match ty {
            PayloadType::Kemac => Payload::Kemac(Kemac::read(r)?),
            PayloadType::Pke => Payload::Pke(Pke::read(r)?),
            PayloadType::Dh => Payload::Dh(Dh::read(r)?),
            PayloadType::Timestamp => Payload::Timestamp(Timestamp::read(r)?),
            PayloadType::Id => Payload::Id(Id::read(r)?),
            PayloadType::Cert => Payload::Cert(Cert::read(r)?),
            PayloadType::Chash => Payload::Chash(Chash::read(r)?),
            PayloadType::Verification => Payload::Verification(Verification::read(r)?),
            PayloadType::SecurityPolicy => Payload::SecurityPolicy(SecurityPolicy::read(r)?),
            PayloadType::Rand => Payload::Rand(Rand::read(r)?),
            PayloadType::Error => Payload::Error(ErrorPayload::read(r)?),
            PayloadType::TimestampRole => Payload::TimestampRole(TimestampWithRole::read(r)?),
            PayloadType::IdRole => Payload::IdRole(IdWithRole::read(r)?),
            PayloadType::RandRole => Payload::RandRole(RandWithRole::read(r)?),
            PayloadType::TicketPolicy => Payload::TicketPolicy(TicketPolicy::read(r)?),
            PayloadType::Ticket => Payload::Ticket(Ticket::read(r)?),
            PayloadType::GeneralExtension => Payload::GeneralExtension(GeneralExtension::read(r)?),
            PayloadType::Ibake => Payload::Ibake(IbeEncrypted::read(r)?),
            PayloadType::EncryptedSecretKey => Payload::EncryptedSecretKey(IbeEncrypted::read(r)?),
            PayloadType::Sakke => Payload::Sakke(Sakke::read(r)?),
            PayloadType::EccPoint => Payload::EccPoint(EccPoint::read(r)?),
            PayloadType::Sign
            | PayloadType::Last
            | PayloadType::KeyData
            | PayloadType::SecretKey
            | PayloadType::Unknown(_) => unreachable!("handled above"),
        };
        Ok((payload, next))
    }

    /// Writes the payload with `next` in its Next payload field (SIGN has none).
    pub fn write(&self, next: PayloadType, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        if let Payload::Sign(s) = self {
            if next != PayloadType::Last {
                return Err(EncodeError::BadValue {
                    field: "SIGN must be the last payload",
                });
            }
            return s.write(out);
        }
        out.push(next.into());
        match self {
            Payload::Kemac(p) => p.write(out),
            Payload::Pke(p) => p.write(out),
            Payload::Dh(p) => p.write(out),
            Payload::Timestamp(p) => p.write(out),
            Payload::Id(p) => p.write(out),
            Payload::Cert(p) => p.write(out),
            Payload::Chash(p) => p.write(out),
            Payload::Verification(p) => p.write(out),
            Payload::SecurityPolicy(p) => p.write(out),
            Payload::Rand(p) => p.write(out),
            Payload::Error(p) => p.write(out),
            Payload::TimestampRole(p) => p.write(out),
            Payload::IdRole(p) => p.write(out),
            Payload::RandRole(p) => p.write(out),
            Payload::TicketPolicy(p) => p.write(out),
            Payload::Ticket(p) => p.write(out),
            Payload::GeneralExtension(p) => p.write(out),
            Payload::Ibake(p) | Payload::EncryptedSecretKey(p) => p.write(out),
            Payload::Sakke(p) => p.write(out),
            Payload::EccPoint(p) => p.write(out),
            Payload::Sign(_) => unreachable!("handled above"),
        }
    }

    /// Converts borrowed fields into owned ones.
    pub fn into_owned(self) -> Payload<'static> {
        match self {
            Payload::Kemac(p) => Payload::Kemac(p.into_owned()),
            Payload::Pke(p) => Payload::Pke(p.into_owned()),
            Payload::Dh(p) => Payload::Dh(p.into_owned()),
            Payload::Sign(p) => Payload::Sign(p.into_owned()),
            Payload::Timestamp(p) => Payload::Timestamp(p),
            Payload::Id(p) => Payload::Id(p.into_owned()),
            Payload::Cert(p) => Payload::Cert(p.into_owned()),
            Payload::Chash(p) => Payload::Chash(p.into_owned()),
            Payload::Verification(p) => Payload::Verification(p.into_owned()),
            Payload::SecurityPolicy(p) => Payload::SecurityPolicy(p.into_owned()),
            Payload::Rand(p) => Payload::Rand(p.into_owned()),
            Payload::Error(p) => Payload::Error(p),
            Payload::TimestampRole(p) => Payload::TimestampRole(p),
            Payload::IdRole(p) => Payload::IdRole(p.into_owned()),
            Payload::RandRole(p) => Payload::RandRole(p.into_owned()),
            Payload::TicketPolicy(p) => Payload::TicketPolicy(p.into_owned()),
            Payload::Ticket(p) => Payload::Ticket(p.into_owned()),
            Payload::GeneralExtension(p) => Payload::GeneralExtension(p.into_owned()),
            Payload::Ibake(p) => Payload::Ibake(p.into_owned()),
            Payload::EncryptedSecretKey(p) => Payload::EncryptedSecretKey(p.into_owned()),
            Payload::Sakke(p) => Payload::Sakke(p.into_owned()),
            Payload::EccPoint(p) => Payload::EccPoint(p.into_owned()),
        }
    }
}

/// One payload of a chain read by [`PayloadWalk`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalkedPayload<'a> {
    /// The payload.
    pub payload: Payload<'a>,
    /// Where it lies in the input (absolute offsets).
    pub range: Range<usize>,
    /// Its Next payload field: the type of the payload that follows (`Last` after the
    /// last one and after SIGN).
    pub next: PayloadType,
}

/// The payloads of a chain read one at a time, zero-copy and without collecting them
/// (RFC 3830 §6: each payload's layout decides where the next one starts). Yields each
/// payload, then an error if bytes remain after the last one; stops after the first
/// error. More than `max_payloads` payloads is [`ErrorKind::TooManyPayloads`] at the
/// offset of the first payload past the bound.
#[derive(Clone, Debug)]
pub struct PayloadWalk<'a> {
    r: Reader<'a>,
    next: PayloadType,
    read: usize,
    max_payloads: usize,
    done: bool,
}

impl<'a> PayloadWalk<'a> {
    /// A walk over the chain at `r` whose first payload has type `first`.
    pub fn new(r: Reader<'a>, first: PayloadType, max_payloads: usize) -> Self {
        PayloadWalk {
            r,
            next: first,
            read: 0,
            max_payloads,
            done: false,
        }
    }

    /// The type of the next payload to read (`Last` at the end): before the first read,
    /// the Next payload field that precedes the chain (for a message, the Common
    /// Header's).
    pub fn next_type(&self) -> PayloadType {
        self.next
    }
}

impl<'a> Iterator for PayloadWalk<'a> {
    type Item = Result<WalkedPayload<'a>, ParseError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        if self.next == PayloadType::Last {
            self.done = true;
            return self.r.expect_end().err().map(Err);
        }
        if self.read == self.max_payloads {
            self.done = true;
            return Some(Err(self.r.error(ErrorKind::TooManyPayloads {
                limit: self.max_payloads,
            })));
        }
        let start = self.r.offset();
        match Payload::read(self.next, &mut self.r) {
            Ok((payload, next)) => {
                self.read += 1;
                self.next = next;
                Some(Ok(WalkedPayload {
                    payload,
                    range: start..self.r.offset(),
                    next,
                }))
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

/// Collects the payloads of `walk`, and (if asked) their byte ranges; fails with the
/// walk's first error.
pub(crate) fn read_chain<'a>(
    walk: PayloadWalk<'a>,
    payloads: &mut Vec<Payload<'a>>,
    mut spans: Option<&mut Vec<Range<usize>>>,
) -> Result<(), ParseError> {
    for item in walk {
        let item = item?;
        payloads.push(item.payload);
        if let Some(spans) = spans.as_deref_mut() {
            spans.push(item.range);
        }
    }
    Ok(())
}

/// Encodes `payloads` as a chain, each Next payload field naming its successor; spans
/// (if asked) are relative to `base`.
pub(crate) fn write_chain(
    payloads: &[Payload<'_>],
    out: &mut Vec<u8>,
    base: usize,
    mut spans: Option<&mut Vec<Range<usize>>>,
) -> Result<(), EncodeError> {
    for (i, p) in payloads.iter().enumerate() {
        let next = payloads
            .get(i + 1)
            .map_or(PayloadType::Last, Payload::payload_type);
        let start = out.len() - base;
        p.write(next, out)?;
        if let Some(spans) = spans.as_deref_mut() {
            spans.push(start..out.len() - base);
        }
    }
    Ok(())
}

impl<'a> TicketPolicy<'a> {
    /// The payloads of TP Data: its first byte names the first payload and the rest is a
    /// payload chain (RFC 6043 §6.10), of at most [`DEFAULT_MAX_PAYLOADS`] payloads.
    /// Parsed on demand; errors name offsets in TP Data.
    pub fn tp_payloads(&self) -> Result<Vec<Payload<'_>>, ParseError> {
        let mut r = Reader::new(&self.tp_data);
        let first = PayloadType::from(r.u8("TP Data first payload")?);
        let mut payloads = Vec::new();
        read_chain(
            PayloadWalk::new(r, first, DEFAULT_MAX_PAYLOADS),
            &mut payloads,
            None,
        )?;
        Ok(payloads)
    }
}
