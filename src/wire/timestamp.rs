//! Timestamps: T (RFC 3830 §6.6) and TR, the timestamp with a role (RFC 6043 §6.4).

use super::codepoints::{TsRole, TsType};
use super::error::{EncodeError, ErrorKind, ParseError};
use super::reader::Reader;

/// T payload (RFC 3830 §6.6). The value is 8 bytes for NTP-UTC/NTP and 4 bytes for
/// COUNTER/NTP-UTC-32; it is held as an integer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timestamp {
    /// TS type.
    pub ts_type: TsType,
    /// TS value (a 4-byte type holds at most `u32::MAX`).
    pub value: u64,
}

impl Timestamp {
    /// Reads the body after the Next payload byte.
    #[inline(always)]
    pub fn read(r: &mut Reader<'_>) -> Result<Self, ParseError> {
        let at = r.offset();
        let ts_type = TsType::from(r.u8("TS type")?);
        Ok(Timestamp {
            ts_type,
            value: read_ts_value(ts_type, at, r)?,
        })
    }

    /// Writes the body after the Next payload byte.
    #[inline]
    pub fn write(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        out.push(self.ts_type.into());
        write_ts_value(self.ts_type, self.value, out)
    }

    /// The value as the 64-bit quantity used for IVs: COUNTER and NTP-UTC-32 padded as
    /// RFC 3830 §6.6 and RFC 6043 §6.3 say (COUNTER with leading zeros; NTP-UTC-32 as
    /// seconds with a zero fraction).
    pub fn as_u64(&self) -> u64 {
        match self.ts_type {
            TsType::NtpUtc32 => self.value << 32,
            _ => self.value,
        }
    }
}

/// TR payload: a timestamp with a role (RFC 6043 §6.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimestampWithRole {
    /// What the timestamp means.
    pub role: TsRole,
    /// TS type.
    pub ts_type: TsType,
    /// TS value.
    pub value: u64,
}

impl TimestampWithRole {
    /// Reads the body after the Next payload byte.
    #[inline]
    pub fn read(r: &mut Reader<'_>) -> Result<Self, ParseError> {
        let role = TsRole::from(r.u8("TR TS Role")?);
        let at = r.offset();
        let ts_type = TsType::from(r.u8("TR TS type")?);
        Ok(TimestampWithRole {
            role,
            ts_type,
            value: read_ts_value(ts_type, at, r)?,
        })
    }

    /// Writes the body after the Next payload byte.
    #[inline]
    pub fn write(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        out.push(self.role.into());
        out.push(self.ts_type.into());
        write_ts_value(self.ts_type, self.value, out)
    }
}

#[inline(always)]
fn read_ts_value(ts_type: TsType, at: usize, r: &mut Reader<'_>) -> Result<u64, ParseError> {
    match ts_type.value_len() {
        Some(8) => r.u64("TS value"),
        Some(_) => Ok(r.u32("TS value")?.into()),
        None => Err(ParseError::new(
            at,
            ErrorKind::UnknownLengthCodepoint {
                field: "TS type",
                value: ts_type.into(),
            },
        )),
    }
}

fn write_ts_value(ts_type: TsType, value: u64, out: &mut Vec<u8>) -> Result<(), EncodeError> {
    match ts_type.value_len() {
        Some(8) => out.extend_from_slice(&value.to_be_bytes()),
        Some(_) => {
            let v =
                u32::try_from(value).map_err(|_| EncodeError::BadValue { field: "TS value" })?;
            out.extend_from_slice(&v.to_be_bytes());
        }
        None => return Err(EncodeError::BadValue { field: "TS type" }),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counter_is_four_bytes_and_padded() {
        let t = Timestamp {
            ts_type: TsType::Counter,
            value: 7,
        };
        let mut out = Vec::new();
        t.write(&mut out).unwrap();
        assert_eq!(out, [2, 0, 0, 0, 7]);
        assert_eq!(Timestamp::read(&mut Reader::new(&out)).unwrap(), t);
        assert_eq!(t.as_u64(), 7);
        let big = Timestamp {
            ts_type: TsType::Counter,
            value: 1 << 40,
        };
        assert!(big.write(&mut Vec::new()).is_err());
    }

    #[test]
    fn ntp_utc_32_pads_fraction() {
        let t = Timestamp {
            ts_type: TsType::NtpUtc32,
            value: 0xE8D4_A510,
        };
        assert_eq!(t.as_u64(), 0xE8D4_A510_0000_0000);
    }
}
