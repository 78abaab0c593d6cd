//! The Security Policy payload (RFC 3830 §6.10) and its Type/Length/Value parameters
//! (SRTP: §6.10.1, RFC 4771 §4, RFC 7714 §14.3; TESLA: RFC 4442 §4.2).

use super::codepoints::{ProtType, SrtpParam, TeslaParam};
use super::error::{EncodeError, ErrorKind, ParseError};
use super::reader::Reader;
use super::small_bytes::SmallBytes;
use super::writer::{checked_len, put_u16_len};

/// SP payload (RFC 3830 §6.10). Parameters are validated when parsed and kept as their
/// wire bytes; [`SecurityPolicy::params`] iterates them without allocating. Unknown
/// parameter types are kept. A built policy holds up to 48 bytes of parameters without
/// allocating.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecurityPolicy<'a> {
    /// Policy number, referenced by the CS ID map.
    pub policy_no: u8,
    /// Security protocol the parameters are for.
    pub prot_type: ProtType,
    params: SmallBytes<'a, SP_INLINE_PARAM_BYTES>,
}

/// How many bytes of parameters a built [`SecurityPolicy`] holds inline: an SRTP policy's
/// usual 11-15 one-byte parameters take 33-45 bytes.
const SP_INLINE_PARAM_BYTES: usize = 48;

/// One policy parameter TLV.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PolicyParam<'a> {
    /// Parameter type (meaning depends on the Prot type).
    pub param_type: u8,
    /// Value bytes.
    pub value: &'a [u8],
}

impl PolicyParam<'_> {
    /// The parameter's name under `prot`, or `None` when unregistered.
    pub fn name(&self, prot: ProtType) -> Option<&'static str> {
        match prot {
            ProtType::Srtp => SrtpParam::from(self.param_type).registered_name(),
            ProtType::Tesla => TeslaParam::from(self.param_type).registered_name(),
            ProtType::Unknown(_) => None,
        }
    }

    /// The value read as a big-endian unsigned integer (values of up to 8 bytes).
    pub fn as_uint(&self) -> Option<u64> {
        if self.value.is_empty() || self.value.len() > 8 {
            return None;
        }
        Some(
            self.value
                .iter()
                .fold(0u64, |acc, b| acc << 8 | u64::from(*b)),
        )
    }
}

impl<'a> SecurityPolicy<'a> {
    /// A policy with no parameters (every SRTP default applies, RFC 3830 §6.10.1).
    pub fn new(policy_no: u8, prot_type: ProtType) -> SecurityPolicy<'static> {
        SecurityPolicy {
            policy_no,
            prot_type,
            params: SmallBytes::EMPTY,
        }
    }

    /// A policy with the given `(type, value)` parameters in order: inline when they take
    /// at most 48 bytes, else in one allocation. Fails when a value
    /// is longer than 255 bytes (the Length field is one byte).
    pub fn from_params(
        policy_no: u8,
        prot_type: ProtType,
        params: &[(u8, &[u8])],
    ) -> Result<SecurityPolicy<'static>, EncodeError> {
        let mut len = 0;
        for (_, value) in params {
            len += 2 + checked_len("SP parameter value", value.len(), u8::MAX.into())?;
        }
        let params = SmallBytes::filled(len, |mut out| {
            for &(param_type, value) in params {
                // `out` has room for exactly the parameters.
                let Some(([t, l], rest)) = out.split_first_chunk_mut() else {
                    return;
                };
                (*t, *l) = (param_type, value.len() as u8);
                let Some((v, rest)) = rest.split_at_mut_checked(value.len()) else {
                    return;
                };
                match (v, value) {
                    // A one-byte value (the usual one) without a call to memcpy.
                    ([v], [byte]) => *v = *byte,
                    (v, value) => v.copy_from_slice(value),
                }
                out = rest;
            }
        });
        Ok(SecurityPolicy {
            policy_no,
            prot_type,
            params,
        })
    }

    /// A policy whose Policy param field (RFC 3830 §6.10) is `params`, borrowed, checked
    /// as [`SecurityPolicy::read`] checks a received one: a sequence of whole
    /// Type/Length/Value parameters, at most 65535 bytes (the Policy param length is 16
    /// bits). Error offsets are within `params`.
    pub fn from_param_bytes(
        policy_no: u8,
        prot_type: ProtType,
        params: &'a [u8],
    ) -> Result<SecurityPolicy<'a>, ParseError> {
        let max = usize::from(u16::MAX);
        if params.len() > max {
            return Err(ParseError::new(
                max,
                ErrorKind::BadLength {
                    field: "SP Policy param length",
                },
            ));
        }
        check_params(&mut Reader::new(params))?;
        Ok(SecurityPolicy {
            policy_no,
            prot_type,
            params: SmallBytes::borrowed(params),
        })
    }

    /// Appends a parameter (builder style).
    pub fn with_param(mut self, param_type: u8, value: &[u8]) -> Result<Self, EncodeError> {
        let len = checked_len("SP parameter value", value.len(), u8::MAX.into())?;
        self.params.extend(&[param_type, len as u8]);
        self.params.extend(value);
        Ok(self)
    }

    /// The parameters in wire order.
    pub fn params(&self) -> impl Iterator<Item = PolicyParam<'_>> + '_ {
        let mut rest: &[u8] = &self.params;
        std::iter::from_fn(move || {
            let (&t, tail) = rest.split_first()?;
            let (&len, tail) = tail.split_first()?;
            let (value, tail) = tail.split_at_checked(len.into())?;
            rest = tail;
            Some(PolicyParam {
                param_type: t,
                value,
            })
        })
    }

    /// The parameter TLVs as they are on the wire.
    pub fn param_bytes(&self) -> &[u8] {
        &self.params
    }

    /// The first parameter of `param_type`, if present.
    pub fn param(&self, param_type: u8) -> Option<PolicyParam<'_>> {
        self.params().find(|p| p.param_type == param_type)
    }

    /// Reads the body after the Next payload byte.
    #[inline(always)]
    pub fn read(r: &mut Reader<'a>) -> Result<Self, ParseError> {
        let policy_no = r.u8("SP Policy no")?;
        let prot_type = ProtType::from(r.u8("SP Prot type")?);
        let len = r.u16("SP Policy param length")?;
        let mut params = r.sub(len.into(), "SP Policy param")?;
        let raw = params.clone().take_rest();
        check_params(&mut params)?;
        Ok(SecurityPolicy {
            policy_no,
            prot_type,
            params: SmallBytes::borrowed(raw),
        })
    }

    /// Writes the body after the Next payload byte.
    #[inline]
    pub fn write(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        out.push(self.policy_no);
        out.push(self.prot_type.into());
        put_u16_len(out, "SP Policy param", self.params.len())?;
        out.extend_from_slice(&self.params);
        Ok(())
    }

    /// Converts borrowed fields into owned ones.
    pub fn into_owned(self) -> SecurityPolicy<'static> {
        SecurityPolicy {
            policy_no: self.policy_no,
            prot_type: self.prot_type,
            params: self.params.into_owned(),
        }
    }
}

/// Reads the Type/Length/Value parameters of a Policy param field to its end; a length
/// running past the end is a [`ErrorKind::BadLength`] of "SP parameter".
fn check_params(params: &mut Reader<'_>) -> Result<(), ParseError> {
    // The common case (whole parameters) on the bare slice; the loop below says where
    // and how it is not.
    if whole_params(params.peek_rest()) {
        params.take_rest();
        return Ok(());
    }
    while !params.is_empty() {
        params.u8("SP parameter type")?;
        params.vec_u8("SP parameter value").map_err(|e| {
            ParseError::new(
                e.offset,
                ErrorKind::BadLength {
                    field: "SP parameter",
                },
            )
        })?;
    }
    Ok(())
}

/// True when `params` is a sequence of whole Type/Length/Value parameters.
#[inline]
fn whole_params(params: &[u8]) -> bool {
    // SRTP parameters usually have one-byte values (algorithms, lengths, on/off flags;
    // GStreamer sends nothing else), so the usual Policy param field is 3-byte TLVs:
    // checked with independent loads instead of following each Length to the next, a
    // chain of dependent loads. Anything else is walked.
    let tlvs = params.chunks_exact(3);
    (tlvs.remainder().is_empty() && tlvs.into_iter().all(|tlv| tlv[1] == 1))
        || whole_params_walk(params)
}

/// [`whole_params`] by following the Length fields.
#[inline(never)]
fn whole_params_walk(mut params: &[u8]) -> bool {
    loop {
        match params {
            [] => return true,
            [_type, len, rest @ ..] => match rest.get(usize::from(*len)..) {
                Some(rest) => params = rest,
                None => return false,
            },
            [_] => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_round_trip_and_unknown_types_are_kept() {
        let sp = SecurityPolicy::new(3, ProtType::Srtp)
            .with_param(0, &[1])
            .unwrap()
            .with_param(200, &[1, 2, 3])
            .unwrap()
            .with_param(11, &[10])
            .unwrap();
        let mut out = Vec::new();
        sp.write(&mut out).unwrap();
        assert_eq!(out, [3, 0, 0, 11, 0, 1, 1, 200, 3, 1, 2, 3, 11, 1, 10]);
        let back = SecurityPolicy::read(&mut Reader::new(&out)).unwrap();
        assert_eq!(back, sp);
        assert_eq!(back.params().count(), 3);
        assert_eq!(back.param(11).and_then(|p| p.as_uint()), Some(10));
        assert_eq!(back.params().nth(1).unwrap().name(ProtType::Srtp), None);
        assert_eq!(
            back.params().next().unwrap().name(ProtType::Srtp),
            Some("Encryption algorithm")
        );
    }

    #[test]
    fn a_tlv_overrunning_the_param_length_is_a_length_error() {
        // Param length 3 but the TLV claims 2 value bytes after type+len (needs 4).
        let b = [0, 0, 0, 3, 0, 2, 1];
        let e = SecurityPolicy::read(&mut Reader::new(&b)).unwrap_err();
        assert_eq!(
            e.kind,
            ErrorKind::BadLength {
                field: "SP parameter"
            }
        );
    }

    #[test]
    fn param_bytes_are_checked_like_a_received_sp() {
        let params = [0, 1, 1, 13, 2, 0, 10];
        let sp = SecurityPolicy::from_param_bytes(4, ProtType::Srtp, &params).unwrap();
        assert_eq!((sp.policy_no, sp.prot_type), (4, ProtType::Srtp));
        assert_eq!(sp.param_bytes(), params);
        assert_eq!(sp.param(13).map(|p| p.value), Some(&[0, 10][..]));
        assert!(
            SecurityPolicy::from_param_bytes(0, ProtType::Srtp, &[])
                .unwrap()
                .params()
                .next()
                .is_none()
        );
        // A value running past the end, or a type without a length.
        for bad in [&[0u8, 2, 1][..], &[0, 1, 1, 11]] {
            let e = SecurityPolicy::from_param_bytes(0, ProtType::Srtp, bad).unwrap_err();
            assert_eq!(
                e.kind,
                ErrorKind::BadLength {
                    field: "SP parameter"
                },
                "{bad:?}"
            );
        }
        // 65535 bytes of empty type-0 parameters but one: the last has no length byte.
        let long = vec![0u8; 65535];
        let e = SecurityPolicy::from_param_bytes(0, ProtType::Srtp, &long).unwrap_err();
        assert_eq!(e.offset, 65535);
        assert!(SecurityPolicy::from_param_bytes(0, ProtType::Srtp, &long[..65534]).is_ok());
        let too_long = vec![0u8; 65536];
        let e = SecurityPolicy::from_param_bytes(0, ProtType::Srtp, &too_long).unwrap_err();
        assert_eq!(
            e.kind,
            ErrorKind::BadLength {
                field: "SP Policy param length"
            }
        );
    }

    #[test]
    fn the_one_byte_value_shortcut_agrees_with_the_walk() {
        // Every byte string of up to 7 bytes over an alphabet with the interesting
        // lengths (0, 1, 2, 3 and too long).
        let alphabet = [0u8, 1, 2, 3, 0xFF];
        let mut input = Vec::new();
        for len in 0..=7u32 {
            for mut n in 0..alphabet.len().pow(len) {
                input.clear();
                for _ in 0..len {
                    input.push(alphabet[n % alphabet.len()]);
                    n /= alphabet.len();
                }
                assert_eq!(whole_params(&input), whole_params_walk(&input), "{input:?}");
                let mut r = Reader::at(&input, 3);
                let checked = check_params(&mut r);
                assert_eq!(checked.is_ok(), whole_params_walk(&input), "{input:?}");
                if checked.is_ok() {
                    assert!(r.is_empty());
                }
            }
        }
    }
}
