//! A bounded reader over a byte slice: it never reads past its slice and every read is
//! checked against what remains, so a length field can never drive an over-read or an
//! allocation (docs/architecture.md).

use super::error::{ErrorKind, ParseError};

/// A cursor over `bytes`; `base` is the offset of `bytes[0]` in the whole message, so
/// errors name absolute byte offsets.
#[derive(Clone, Debug)]
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    base: usize,
}

impl<'a> Reader<'a> {
    /// A reader over a whole message.
    pub fn new(bytes: &'a [u8]) -> Self {
        Self::at(bytes, 0)
    }

    /// A reader over `bytes`, which start at offset `base` of the enclosing message.
    pub fn at(bytes: &'a [u8], base: usize) -> Self {
        Self {
            bytes,
            pos: 0,
            base,
        }
    }

    /// The absolute offset of the next byte.
    pub fn offset(&self) -> usize {
        self.base + self.pos
    }

    /// Bytes not yet read.
    pub fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    /// True when every byte has been read.
    pub fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    /// The next byte without consuming it.
    pub fn peek_u8(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// An error of `kind` at the current offset.
    pub fn error(&self, kind: ErrorKind) -> ParseError {
        ParseError::new(self.offset(), kind)
    }

    /// Takes the next `n` bytes, or fails with [`ErrorKind::Truncated`] naming `what`.
    pub fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], ParseError> {
        if n > self.remaining() {
            return Err(self.error(ErrorKind::Truncated {
                field: what,
                needed: n,
                available: self.remaining(),
            }));
        }
        let out = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(out)
    }

    /// Takes the rest of the slice.
    pub fn take_rest(&mut self) -> &'a [u8] {
        let out = &self.bytes[self.pos..];
        self.pos = self.bytes.len();
        out
    }

    /// Reads one byte.
    pub fn u8(&mut self, what: &'static str) -> Result<u8, ParseError> {
        Ok(self.take(1, what)?[0])
    }

    /// Reads a big-endian 16-bit integer (RFC 3830 §6: network byte order).
    pub fn u16(&mut self, what: &'static str) -> Result<u16, ParseError> {
        let b = self.take(2, what)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    /// Reads a big-endian 32-bit integer.
    pub fn u32(&mut self, what: &'static str) -> Result<u32, ParseError> {
        let b = self.take(4, what)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// Reads a big-endian 64-bit integer.
    pub fn u64(&mut self, what: &'static str) -> Result<u64, ParseError> {
        let b = self.take(8, what)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_be_bytes(a))
    }

    /// Reads an 8-bit length, then that many bytes.
    pub fn vec_u8(&mut self, what: &'static str) -> Result<&'a [u8], ParseError> {
        let n = self.u8(what)?;
        self.take(n.into(), what)
    }

    /// Reads a 16-bit length, then that many bytes.
    pub fn vec_u16(&mut self, what: &'static str) -> Result<&'a [u8], ParseError> {
        let n = self.u16(what)?;
        self.take(n.into(), what)
    }

    /// A sub-reader over the next `n` bytes (consumed from this one).
    pub fn sub(&mut self, n: usize, what: &'static str) -> Result<Reader<'a>, ParseError> {
        let base = self.offset();
        Ok(Reader::at(self.take(n, what)?, base))
    }

    /// Fails with [`ErrorKind::TrailingBytes`] unless everything was read.
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
