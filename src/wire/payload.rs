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
        Self::read_with(ty, r, |payload| payload)
    }

    /// [`Payload::read`], handing the payload to `sink` as soon as it is read. Inline, with
    /// the payload types' reads that PSK messages use: their fields then go from registers
    /// to `sink` (a `Vec::push` in [`read_chain`]) without a call returning each through
    /// memory.
    #[inline(always)]
    fn read_with<R>(
        ty: PayloadType,
        r: &mut Reader<'a>,
        sink: impl FnOnce(Self) -> R,
    ) -> Result<(R, PayloadType), ParseError> {
        // The Next payload field, then the body, as one payload type's arm.
        macro_rules! arm {
            ($variant:ident, $body:ty) => {{
                let next = PayloadType::from(r.u8("Next payload")?);
                (sink(Payload::$variant(<$body>::read(r)?)), next)
            }};
        }
        Ok(match ty {
            PayloadType::Kemac => arm!(Kemac, Kemac),
            PayloadType::Pke => arm!(Pke, Pke),
            PayloadType::Dh => arm!(Dh, Dh),
            PayloadType::Sign => (sink(Payload::Sign(Sign::read(r)?)), PayloadType::Last),
            PayloadType::Timestamp => arm!(Timestamp, Timestamp),
            PayloadType::Id => arm!(Id, Id),
            PayloadType::Cert => arm!(Cert, Cert),
            PayloadType::Chash => arm!(Chash, Chash),
            PayloadType::Verification => arm!(Verification, Verification),
            PayloadType::SecurityPolicy => arm!(SecurityPolicy, SecurityPolicy),
            PayloadType::Rand => arm!(Rand, Rand),
            PayloadType::Error => arm!(Error, ErrorPayload),
            PayloadType::TimestampRole => arm!(TimestampRole, TimestampWithRole),
            PayloadType::IdRole => arm!(IdRole, IdWithRole),
            PayloadType::RandRole => arm!(RandRole, RandWithRole),
            PayloadType::TicketPolicy => arm!(TicketPolicy, TicketPolicy),
            PayloadType::Ticket => arm!(Ticket, Ticket),
            PayloadType::GeneralExtension => arm!(GeneralExtension, GeneralExtension),
            PayloadType::Ibake => arm!(Ibake, IbeEncrypted),
            PayloadType::EncryptedSecretKey => arm!(EncryptedSecretKey, IbeEncrypted),
            PayloadType::Sakke => arm!(Sakke, Sakke),
            PayloadType::EccPoint => arm!(EccPoint, EccPoint),
            PayloadType::Unknown(t) => {
                return Err(ParseError::new(r.offset(), ErrorKind::UnknownPayload(t)));
            }
            PayloadType::Last | PayloadType::KeyData | PayloadType::SecretKey => {
                return Err(ParseError::new(r.offset(), ErrorKind::Misplaced(ty)));
            }
        })
    }

    /// Writes the payload with `next` in its Next payload field (SIGN has none).
    #[inline]
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

/// Reads the payload chain at `r`, whose first payload has type `first`, onto
/// `payloads` (and, if asked, their byte ranges onto `spans`); bytes left after the last
/// payload are an error. Errors are those of [`PayloadWalk`] over the same chain, in the
/// same order; this loop only avoids moving each payload through the walk's `Option`,
/// `Result` and [`WalkedPayload`] on its way into the `Vec`.
pub(crate) fn read_chain<'a>(
    r: &mut Reader<'a>,
    first: PayloadType,
    max_payloads: usize,
    payloads: &mut Vec<Payload<'a>>,
    mut spans: Option<&mut Vec<Range<usize>>>,
) -> Result<(), ParseError> {
    let mut next = first;
    let mut read = 0;
    while next != PayloadType::Last {
        if read == max_payloads {
            return Err(r.error(ErrorKind::TooManyPayloads {
                limit: max_payloads,
            }));
        }
        let start = r.offset();
        let ((), following) = Payload::read_with(next, r, |p| payloads.push(p))?;
        if let Some(spans) = spans.as_deref_mut() {
            spans.push(start..r.offset());
        }
        read += 1;
        next = following;
    }
    r.expect_end()
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
        read_chain(&mut r, first, DEFAULT_MAX_PAYLOADS, &mut payloads, None)?;
        Ok(payloads)
    }
}
