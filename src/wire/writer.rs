//! Encoding helpers: length-prefixed fields that refuse lengths their field cannot carry.

use super::error::EncodeError;

/// Checks that `len` fits in a length field whose maximum is `max`.
pub fn checked_len(field: &'static str, len: usize, max: usize) -> Result<usize, EncodeError> {
    if len > max {
        Err(EncodeError::TooLong { field, len, max })
    } else {
        Ok(len)
    }
}

/// Writes an 8-bit length and `data`.
pub fn put_vec_u8(out: &mut Vec<u8>, field: &'static str, data: &[u8]) -> Result<(), EncodeError> {
    out.push(checked_len(field, data.len(), u8::MAX.into())? as u8);
    out.extend_from_slice(data);
    Ok(())
}

/// Writes a 16-bit length and `data`.
pub fn put_vec_u16(out: &mut Vec<u8>, field: &'static str, data: &[u8]) -> Result<(), EncodeError> {
    put_u16_len(out, field, data.len())?;
    out.extend_from_slice(data);
    Ok(())
}

/// Writes `len` as a 16-bit length field.
pub fn put_u16_len(out: &mut Vec<u8>, field: &'static str, len: usize) -> Result<(), EncodeError> {
    let n = checked_len(field, len, u16::MAX.into())? as u16;
    out.extend_from_slice(&n.to_be_bytes());
    Ok(())
}

/// Checks a value destined for a bit field of `bits` bits.
pub fn bits(field: &'static str, value: u8, bits: u32) -> Result<u8, EncodeError> {
    if u32::from(value) >> bits == 0 {
        Ok(value)
    } else {
        Err(EncodeError::BadValue { field })
    }
}

/// Checks that a fixed-length field has exactly `len` bytes.
pub fn exact(field: &'static str, data: &[u8], len: usize) -> Result<(), EncodeError> {
    if data.len() == len {
        Ok(())
    } else {
        Err(EncodeError::BadValue { field })
    }
}
