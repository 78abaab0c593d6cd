//! A bounded reader over a byte slice: it never reads past its slice and every read is
//! checked against what remains, so a length field can never drive an over-read or an
//! allocation (docs/architecture.md).

use super::error::{ErrorKind, ParseError};

/// A cursor over a byte slice; errors name absolute byte offsets (the offset of the
/// slice's first byte in the whole message is given to [`Reader::at`]).
#[derive(Clone, Debug)]
pub struct Reader<'a> {
    /// The bytes not yet read.
    rest: &'a [u8],
    /// The absolute offset of the end of the slice: the next byte's offset is
    /// `end - rest.len()`.
    end: usize,
}

impl<'a> Reader<'a> {
    /// A reader over a whole message.
    #[inline]
    pub fn new(bytes: &'a [u8]) -> Self {
        Self::at(bytes, 0)
    }

    /// A reader over `bytes`, which start at offset `base` of the enclosing message.
    #[inline]
    pub fn at(bytes: &'a [u8], base: usize) -> Self {
        Self {
            rest: bytes,
            // Wrapping, as `offset` is: offsets are only meaningful below `usize::MAX`.
            end: base.wrapping_add(bytes.len()),
        }
    }

    /// The absolute offset of the next byte.
    #[inline]
    pub fn offset(&self) -> usize {
        self.end.wrapping_sub(self.rest.len())
    }

    /// Bytes not yet read.
    #[inline]
    pub fn remaining(&self) -> usize {
        self.rest.len()
    }

    /// True when every byte has been read.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The next byte without consuming it.
    #[inline]
    pub fn peek_u8(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// An error of `kind` at the current offset.
    pub fn error(&self, kind: ErrorKind) -> ParseError {
        ParseError::new(self.offset(), kind)
    }

    /// The [`ErrorKind::Truncated`] error of a read of `n` bytes of `what` (out of line:
    /// the reads inline only their success path).
    #[cold]
    #[inline(never)]
    fn truncated(&self, n: usize, what: &'static str) -> ParseError {
        self.error(ErrorKind::Truncated {
            field: what,
            needed: n,
            available: self.remaining(),
        })
    }

    /// Takes the next `n` bytes, or fails with [`ErrorKind::Truncated`] naming `what`.
    #[inline]
    pub fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], ParseError> {
        match self.rest.split_at_checked(n) {
            Some((out, rest)) => {
                self.rest = rest;
                Ok(out)
            }
            None => Err(self.truncated(n, what)),
        }
    }

    /// Takes the next `N` bytes as an array, or fails as [`Reader::take`] does.
    #[inline]
    pub fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], ParseError> {
        match self.rest.split_first_chunk::<N>() {
            Some((out, rest)) => {
                self.rest = rest;
                Ok(*out)
            }
            None => Err(self.truncated(N, what)),
        }
    }

    /// The bytes not yet read, without consuming them.
    #[inline]
    pub fn peek_rest(&self) -> &'a [u8] {
        self.rest
    }

    /// Takes the rest of the slice.
    #[inline]
    pub fn take_rest(&mut self) -> &'a [u8] {
        std::mem::take(&mut self.rest)
    }

    /// Reads one byte.
    #[inline]
    pub fn u8(&mut self, what: &'static str) -> Result<u8, ParseError> {
        Ok(self.array::<1>(what)?[0])
    }

    /// Reads a big-endian 16-bit integer (RFC 3830 §6: network byte order).
    #[inline]
    pub fn u16(&mut self, what: &'static str) -> Result<u16, ParseError> {
        Ok(u16::from_be_bytes(self.array(what)?))
    }

    /// Reads a big-endian 32-bit integer.
    #[inline]
    pub fn u32(&mut self, what: &'static str) -> Result<u32, ParseError> {
        Ok(u32::from_be_bytes(self.array(what)?))
    }

    /// Reads a big-endian 64-bit integer.
    #[inline]
    pub fn u64(&mut self, what: &'static str) -> Result<u64, ParseError> {
        Ok(u64::from_be_bytes(self.array(what)?))
    }

    /// Reads an 8-bit length, then that many bytes.
    #[inline]
    pub fn vec_u8(&mut self, what: &'static str) -> Result<&'a [u8], ParseError> {
        let n = self.u8(what)?;
        self.take(n.into(), what)
    }

    /// Reads a 16-bit length, then that many bytes.
    #[inline]
    pub fn vec_u16(&mut self, what: &'static str) -> Result<&'a [u8], ParseError> {
        let n = self.u16(what)?;
        self.take(n.into(), what)
    }

    /// A sub-reader over the next `n` bytes (consumed from this one).
    #[inline]
    pub fn sub(&mut self, n: usize, what: &'static str) -> Result<Reader<'a>, ParseError> {
        let base = self.offset();
        Ok(Reader::at(self.take(n, what)?, base))
    }

    /// Fails with [`ErrorKind::TrailingBytes`] unless everything was read.
    #[inline]
    pub fn expect_end(&self) -> Result<(), ParseError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self.error(ErrorKind::TrailingBytes {
                count: self.remaining(),
            }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_bounded_and_offsets_absolute() {
        let mut r = Reader::at(&[1, 2, 3, 4, 5], 10);
        assert_eq!(r.u8("a").unwrap(), 1);
        assert_eq!(r.u16("b").unwrap(), 0x0203);
        let e = r.u32("c").unwrap_err();
        assert_eq!(e.offset, 13);
        assert!(matches!(
            e.kind,
            ErrorKind::Truncated {
                needed: 4,
                available: 2,
                ..
            }
        ));
        assert_eq!(r.remaining(), 2, "a failed read consumes nothing");
        assert_eq!(r.vec_u8("d").unwrap_err().offset, 14);
    }

    #[test]
    fn huge_length_fields_fail_without_allocating() {
        let mut r = Reader::new(&[0xFF, 0xFF, 0]);
        assert!(r.vec_u16("x").is_err());
    }
}
