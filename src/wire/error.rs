//! Typed parse and encode errors. A parse error names the absolute byte offset and what
//! was wrong, so a C caller or the CLI can point at the bad byte.

use super::codepoints::PayloadType;
use std::fmt;

/// What went wrong while parsing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input ends inside `field`: `needed` bytes, `available` left.
    Truncated {
        /// The field being read.
        field: &'static str,
        /// Bytes the field needs.
        needed: usize,
        /// Bytes that were left.
        available: usize,
    },
    /// The Common Header version is not 0x01 (RFC 3830 §6.1).
    BadVersion(u8),
    /// A Next payload value whose payload layout is unknown, so the chain cannot be walked
    /// (RFC 3830 §6: there is no generic payload length field).
    UnknownPayload(u8),
    /// Bytes remain after the last payload (or after a length-delimited inner structure).
    TrailingBytes {
        /// How many bytes remain.
        count: usize,
    },
    /// The CS ID map type is unregistered, so the header length is unknown (RFC 3830 §6.1).
    UnknownCsIdMap(u8),
    /// A codepoint that implies a field length is unregistered (DH group, MAC alg,
    /// TS type, hash function, KV type, ECC curve).
    UnknownLengthCodepoint {
        /// The field whose length it fixes.
        field: &'static str,
        /// The value found.
        value: u8,
    },
    /// Inner length fields disagree (SP parameters, Key ID list, GENERIC-ID blocks).
    BadLength {
        /// The structure whose lengths disagree.
        field: &'static str,
    },
    /// A payload stands where it may not: a sub-payload (Key data, SK, ECCPT) at top
    /// level, or something other than ID/Key data inside a KEMAC chain.
    Misplaced(PayloadType),
    /// The message is longer than the configured bound (reported at offset 0, before
    /// anything is read; see [`Limits`](super::Limits)).
    TooLarge {
        /// The message length.
        len: usize,
        /// The longest message accepted.
        limit: usize,
    },
    /// A payload chain holds more payloads than the bound (reported at the offset of the
    /// first payload past it; see [`Limits`](super::Limits)).
    TooManyPayloads {
        /// The most payloads accepted in one chain.
        limit: usize,
    },
}

/// A parse failure at byte `offset` of the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// Absolute byte offset in the parsed input where the problem was found.
    pub offset: usize,
    /// What was wrong.
    pub kind: ErrorKind,
}

impl ParseError {
    /// A new error.
    pub fn new(offset: usize, kind: ErrorKind) -> Self {
        Self { offset, kind }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at byte {}: ", self.offset)?;
        match &self.kind {
            ErrorKind::Truncated {
                field,
                needed,
                available,
            } => write!(
                f,
                "truncated {field}: needs {needed} bytes, {available} left"
            ),
            ErrorKind::BadVersion(v) => write!(f, "unsupported MIKEY version {v} (expected 1)"),
            ErrorKind::UnknownPayload(t) => write!(f, "unknown next payload type {t}"),
            ErrorKind::TrailingBytes { count } => write!(f, "{count} trailing bytes"),
            ErrorKind::UnknownCsIdMap(t) => write!(f, "unknown CS ID map type {t}"),
            ErrorKind::UnknownLengthCodepoint { field, value } => {
                write!(f, "unknown {field} {value}: its length is not defined")
            }
            ErrorKind::BadLength { field } => write!(f, "inconsistent length in {field}"),
            ErrorKind::Misplaced(t) => write!(f, "{} payload not allowed here", t.name()),
            ErrorKind::TooLarge { len, limit } => {
                write!(
                    f,
                    "message of {len} bytes exceeds the limit of {limit} bytes"
                )
            }
            ErrorKind::TooManyPayloads { limit } => {
                write!(f, "more than {limit} payloads in one chain")
            }
        }
    }
}

impl std::error::Error for ParseError {}

/// Why a message could not be encoded: a value does not fit its wire field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EncodeError {
    /// `field` holds `len` bytes (or items) but its length field allows at most `max`.
    TooLong {
        /// The field.
        field: &'static str,
        /// Its length.
        len: usize,
        /// The largest length the wire format can carry.
        max: usize,
    },
    /// `field` has a value that cannot be written (e.g. a 4-bit field above 15, a
    /// fixed-length field of the wrong length).
    BadValue {
        /// The field.
        field: &'static str,
    },
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EncodeError::TooLong { field, len, max } => {
                write!(f, "{field} is {len} long; at most {max} fits")
            }
            EncodeError::BadValue { field } => {
                write!(f, "{field} has a value that cannot be encoded")
            }
        }
    }
}

impl std::error::Error for EncodeError {}
