//! The TESLA policy (RFC 4442 §4.2): what a TESLA sender tells its receivers in an SP
//! payload of Prot type TESLA (1), beside the initial key of its key chain in a General
//! Extension of type TESLA I-Key (RFC 4442 §4.4).
//!
//! This library carries and checks the bootstrap; TESLA itself (RFC 4082, and RFC 4383
//! for SRTP) runs in the application: libsrtp has no TESLA transform.
//!
//! Encoding (RFC 4442 §4.2 fixes only some of it): the two identifiers are one byte ("a
//! one-byte length is sufficient"); the start of session and the receiver's timestamp are
//! 64-bit NTP-UTC values ("SHALL be transported in NTP-UTC format"); the interval duration
//! is written in four bytes and the key disclosure delay in two (both "RECOMMENDED"); the
//! two output lengths, in bits as the table's values (160, 80) are, in two bytes; the key
//! chain length in four. On input every integer parameter may be one to eight bytes long,
//! big-endian.

use crate::wire::{EncodeError, ProtType, SecurityPolicy, TeslaParam};

/// A TESLA PRF or MAC identifier (RFC 4442 §4.2; IANA "TESLA parameters" registry, RFC
/// 5776): HMAC-SHA1 0, HMAC-SHA-224 1, HMAC-SHA-256 2, HMAC-SHA-384 3, HMAC-SHA-512 4.
pub const TESLA_HMAC_SHA1: u8 = 0;
/// HMAC-SHA-224 (IANA "TESLA parameters").
pub const TESLA_HMAC_SHA224: u8 = 1;
/// HMAC-SHA-256 (IANA "TESLA parameters").
pub const TESLA_HMAC_SHA256: u8 = 2;
/// HMAC-SHA-384 (IANA "TESLA parameters").
pub const TESLA_HMAC_SHA384: u8 = 3;
/// HMAC-SHA-512 (IANA "TESLA parameters").
pub const TESLA_HMAC_SHA512: u8 = 4;

/// The output length in bits of a registered TESLA PRF or MAC, `None` for another value.
pub fn hmac_output_bits(id: u8) -> Option<u16> {
    match id {
        TESLA_HMAC_SHA1 => Some(160),
        TESLA_HMAC_SHA224 => Some(224),
        TESLA_HMAC_SHA256 => Some(256),
        TESLA_HMAC_SHA384 => Some(384),
        TESLA_HMAC_SHA512 => Some(512),
        _ => None,
    }
}

/// A TESLA policy (RFC 4442 §4.2, the parameters of RFC 4383 §4.3 that MIKEY carries).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TeslaPolicy {
    /// Type 1: the PRF realising F and F' (default HMAC-SHA1, RFC 4383 §6.2).
    pub prf: u8,
    /// Type 2: the length of the PRF f' output in bits (default 160).
    pub prf_output_bits: u16,
    /// Type 3: the TESLA MAC (default HMAC-SHA1).
    pub mac: u8,
    /// Type 4: the length of the TESLA MAC output in bits (default 80, truncated).
    pub mac_output_bits: u16,
    /// Type 5: the start of the session, NTP-UTC (64-bit NTP format, RFC 3830 §6.6).
    pub session_start: u64,
    /// Type 6: the interval duration in milliseconds.
    pub interval_ms: u32,
    /// Type 7: the key disclosure delay, in intervals.
    pub disclosure_delay: u32,
    /// Type 8: the key chain length, in intervals.
    pub chain_length: u32,
    /// Type 9: the receiver's local timestamp echoed by the sender, NTP-UTC (RFC 4442 §4.3,
    /// in-band time synchronisation); absent otherwise.
    pub receiver_time: Option<u64>,
}

/// Why an SP payload is not a TESLA policy this library takes (Error no. 10, Invalid
/// SPpar, in an answer).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TeslaPolicyError {
    /// The SP's Prot type is not TESLA.
    NotTesla,
    /// A parameter type RFC 4442 §4.2 does not define.
    UnknownParameter(u8),
    /// A parameter offered twice (a TESLA policy has no alternatives).
    Repeated(u8),
    /// A required parameter (5 to 8 have no default) is missing.
    Missing(u8),
    /// A value out of range: a PRF or MAC not registered, an output length of 0, above the
    /// function's output or not whole bytes, a zero interval, delay or chain length, or a
    /// value of the wrong length.
    BadValue(u8),
}

impl std::fmt::Display for TeslaPolicyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TeslaPolicyError::NotTesla => write!(f, "the SP payload is not a TESLA policy"),
            TeslaPolicyError::UnknownParameter(t) => write!(f, "unknown TESLA parameter {t}"),
            TeslaPolicyError::Repeated(t) => write!(f, "TESLA parameter {t} given twice"),
            TeslaPolicyError::Missing(t) => write!(f, "TESLA parameter {t} is missing"),
            TeslaPolicyError::BadValue(t) => write!(f, "TESLA parameter {t} is out of range"),
        }
    }
}

impl std::error::Error for TeslaPolicyError {}

impl TeslaPolicy {
    /// A policy with RFC 4383 §6.2's defaults for the functions (HMAC-SHA1, f' output 160
    /// bits, MAC output 80 bits) and the given schedule.
    pub fn new(
        session_start: u64,
        interval_ms: u32,
        disclosure_delay: u32,
        chain_length: u32,
    ) -> TeslaPolicy {
        TeslaPolicy {
            prf: TESLA_HMAC_SHA1,
            prf_output_bits: 160,
            mac: TESLA_HMAC_SHA1,
            mac_output_bits: 80,
            session_start,
            interval_ms,
            disclosure_delay,
            chain_length,
            receiver_time: None,
        }
    }

    /// Checks every value (see [`TeslaPolicyError::BadValue`]).
    pub fn validate(&self) -> Result<(), TeslaPolicyError> {
        let bits_ok = |bits: u16, id: u8| {
            hmac_output_bits(id).is_some_and(|max| bits > 0 && bits <= max && bits % 8 == 0)
        };
        let checks = [
            (TeslaParam::Prf, hmac_output_bits(self.prf).is_some()),
            (
                TeslaParam::PrfOutputLen,
                bits_ok(self.prf_output_bits, self.prf),
            ),
            (TeslaParam::Mac, hmac_output_bits(self.mac).is_some()),
            (
                TeslaParam::MacOutputLen,
                bits_ok(self.mac_output_bits, self.mac),
            ),
            (TeslaParam::IntervalDuration, self.interval_ms > 0),
            (TeslaParam::DisclosureDelay, self.disclosure_delay > 0),
            (TeslaParam::KeyChainLen, self.chain_length > 0),
        ];
        match checks.iter().find(|(_, ok)| !ok) {
            Some((param, _)) => Err(TeslaPolicyError::BadValue((*param).into())),
            None => Ok(()),
        }
    }

    /// The SP payload (Prot type TESLA, RFC 4442 §4.1) numbered `policy_no`, every
    /// parameter written explicitly.
    pub fn to_sp(&self, policy_no: u8) -> Result<SecurityPolicy<'static>, EncodeError> {
        let prf = [self.prf];
        let prf_len = self.prf_output_bits.to_be_bytes();
        let mac = [self.mac];
        let mac_len = self.mac_output_bits.to_be_bytes();
        let start = self.session_start.to_be_bytes();
        let interval = self.interval_ms.to_be_bytes();
        let delay = u16::try_from(self.disclosure_delay)
            .map(|d| d.to_be_bytes().to_vec())
            .unwrap_or_else(|_| self.disclosure_delay.to_be_bytes().to_vec());
        let chain = self.chain_length.to_be_bytes();
        let receiver = self.receiver_time.map(u64::to_be_bytes);
        let mut params: Vec<(u8, &[u8])> = vec![
            (TeslaParam::Prf.into(), &prf),
            (TeslaParam::PrfOutputLen.into(), &prf_len),
            (TeslaParam::Mac.into(), &mac),
            (TeslaParam::MacOutputLen.into(), &mac_len),
            (TeslaParam::SessionStart.into(), &start),
            (TeslaParam::IntervalDuration.into(), &interval),
            (TeslaParam::DisclosureDelay.into(), &delay),
            (TeslaParam::KeyChainLen.into(), &chain),
        ];
        if let Some(r) = &receiver {
            params.push((TeslaParam::ReceiverTimestamp.into(), r));
        }
        SecurityPolicy::from_params(policy_no, ProtType::Tesla, &params)
    }

    /// Reads a TESLA SP payload: parameters 1 to 4 default as RFC 4383 §6.2 says, 5 to 8
    /// are required, 9 is optional; every value is checked ([`TeslaPolicy::validate`]).
    pub fn from_sp(sp: &SecurityPolicy<'_>) -> Result<TeslaPolicy, TeslaPolicyError> {
        if sp.prot_type != ProtType::Tesla {
            return Err(TeslaPolicyError::NotTesla);
        }
        let mut seen = [false; 10];
        let mut values = [None::<u64>; 10];
        for p in sp.params() {
            let t = p.param_type;
            let slot = match TeslaParam::from(t) {
                TeslaParam::Unknown(_) => return Err(TeslaPolicyError::UnknownParameter(t)),
                _ => usize::from(t),
            };
            if std::mem::replace(&mut seen[slot], true) {
                return Err(TeslaPolicyError::Repeated(t));
            }
            let time = matches!(
                TeslaParam::from(t),
                TeslaParam::SessionStart | TeslaParam::ReceiverTimestamp
            );
            let len_ok = if time {
                p.value.len() == 8
            } else {
                (1..=8).contains(&p.value.len())
            };
            if !len_ok {
                return Err(TeslaPolicyError::BadValue(t));
            }
            values[slot] = p.as_uint();
        }
        let get = |param: TeslaParam| values[usize::from(u8::from(param))];
        let required =
            |param: TeslaParam| get(param).ok_or(TeslaPolicyError::Missing(param.into()));
        let narrow = |param: TeslaParam, v: u64| -> Result<u32, TeslaPolicyError> {
            u32::try_from(v).map_err(|_| TeslaPolicyError::BadValue(param.into()))
        };
        let small = |param: TeslaParam, default: u64, max: u64| {
            let v = get(param).unwrap_or(default);
            if v > max {
                return Err(TeslaPolicyError::BadValue(param.into()));
            }
            Ok(v)
        };
        let policy = TeslaPolicy {
            prf: small(TeslaParam::Prf, 0, 255)? as u8,
            prf_output_bits: small(TeslaParam::PrfOutputLen, 160, 0xFFFF)? as u16,
            mac: small(TeslaParam::Mac, 0, 255)? as u8,
            mac_output_bits: small(TeslaParam::MacOutputLen, 80, 0xFFFF)? as u16,
            session_start: required(TeslaParam::SessionStart)?,
            interval_ms: narrow(
                TeslaParam::IntervalDuration,
                required(TeslaParam::IntervalDuration)?,
            )?,
            disclosure_delay: narrow(
                TeslaParam::DisclosureDelay,
                required(TeslaParam::DisclosureDelay)?,
            )?,
            chain_length: narrow(TeslaParam::KeyChainLen, required(TeslaParam::KeyChainLen)?)?,
            receiver_time: get(TeslaParam::ReceiverTimestamp),
        };
        policy.validate()?;
        Ok(policy)
    }
}

/// What a TESLA receiver needs from its sender's I_MESSAGE (RFC 4442 §3): the policy and
/// the initial key of the key chain (the TESLA I-Key General Extension, §4.4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeslaBootstrap {
    /// The policy.
    pub policy: TeslaPolicy,
    /// The initial key K_0 the sender committed to. Not secret: TESLA discloses every
    /// key of the chain after its interval; it authenticates the chain.
    pub initial_key: Vec<u8>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> TeslaPolicy {
        TeslaPolicy {
            receiver_time: Some(0xE8D4_A510_0000_0001),
            ..TeslaPolicy::new(0xE8D4_A510_8000_0000, 20, 2, 10_000)
        }
    }

    #[test]
    fn every_parameter_round_trips() {
        for p in [
            sample(),
            TeslaPolicy::new(1, 1, 1, 1),
            TeslaPolicy {
                prf: TESLA_HMAC_SHA512,
                prf_output_bits: 512,
                mac: TESLA_HMAC_SHA256,
                mac_output_bits: 128,
                disclosure_delay: 70_000,
                ..sample()
            },
        ] {
            let sp = p.to_sp(3).unwrap();
            assert_eq!(sp.policy_no, 3);
            assert_eq!(sp.prot_type, ProtType::Tesla);
            let mut bytes = Vec::new();
            sp.write(&mut bytes).unwrap();
            let back = SecurityPolicy::read(&mut crate::wire::Reader::new(&bytes)).unwrap();
            assert_eq!(TeslaPolicy::from_sp(&back), Ok(p));
            let mut again = Vec::new();
            TeslaPolicy::from_sp(&back)
                .unwrap()
                .to_sp(3)
                .unwrap()
                .write(&mut again)
                .unwrap();
            assert_eq!(again, bytes);
        }
    }

    #[test]
    fn recommended_widths_are_written() {
        let sp = sample().to_sp(0).unwrap();
        let len = |t: TeslaParam| sp.param(t.into()).unwrap().value.len();
        assert_eq!(len(TeslaParam::Prf), 1);
        assert_eq!(len(TeslaParam::Mac), 1);
        assert_eq!(len(TeslaParam::SessionStart), 8);
        assert_eq!(len(TeslaParam::IntervalDuration), 4);
        assert_eq!(len(TeslaParam::DisclosureDelay), 2);
        assert_eq!(len(TeslaParam::ReceiverTimestamp), 8);
    }

    #[test]
    fn defaults_and_short_integers_are_read() {
        // Only the schedule, with one-byte integers: the functions take RFC 4383's defaults.
        let start = 0xE8D4_A510_0000_0000u64.to_be_bytes();
        let sp = SecurityPolicy::from_params(
            0,
            ProtType::Tesla,
            &[(5, &start), (6, &[20]), (7, &[2]), (8, &[0x27, 0x10])],
        )
        .unwrap();
        let p = TeslaPolicy::from_sp(&sp).unwrap();
        assert_eq!(p, TeslaPolicy::new(0xE8D4_A510_0000_0000, 20, 2, 10_000));
    }

    #[test]
    fn bad_policies_are_refused() {
        let base = sample().to_sp(0).unwrap();
        let with = |t: u8, v: &[u8]| {
            let params: Vec<(u8, Vec<u8>)> = base
                .params()
                .filter(|p| p.param_type != t)
                .map(|p| (p.param_type, p.value.to_vec()))
                .chain((!v.is_empty()).then(|| (t, v.to_vec())))
                .collect();
            let refs: Vec<(u8, &[u8])> = params.iter().map(|(t, v)| (*t, &v[..])).collect();
            TeslaPolicy::from_sp(&SecurityPolicy::from_params(0, ProtType::Tesla, &refs).unwrap())
        };
        assert_eq!(with(1, &[5]), Err(TeslaPolicyError::BadValue(1)));
        assert_eq!(with(2, &[0, 168]), Err(TeslaPolicyError::BadValue(2)));
        assert_eq!(with(2, &[0, 0]), Err(TeslaPolicyError::BadValue(2)));
        assert_eq!(with(2, &[0, 84]), Err(TeslaPolicyError::BadValue(2)));
        assert_eq!(with(3, &[9]), Err(TeslaPolicyError::BadValue(3)));
        assert_eq!(with(4, &[0, 168]), Err(TeslaPolicyError::BadValue(4)));
        assert_eq!(with(5, &[1, 2, 3, 4]), Err(TeslaPolicyError::BadValue(5)));
        assert_eq!(with(5, &[]), Err(TeslaPolicyError::Missing(5)));
        assert_eq!(with(6, &[0]), Err(TeslaPolicyError::BadValue(6)));
        assert_eq!(with(6, &[]), Err(TeslaPolicyError::Missing(6)));
        assert_eq!(with(7, &[0, 0]), Err(TeslaPolicyError::BadValue(7)));
        assert_eq!(
            with(8, &[1, 0, 0, 0, 0]),
            Err(TeslaPolicyError::BadValue(8))
        );
        assert_eq!(with(9, &[1]), Err(TeslaPolicyError::BadValue(9)));
        assert_eq!(with(10, &[1]), Err(TeslaPolicyError::UnknownParameter(10)));
        assert_eq!(with(0, &[1]), Err(TeslaPolicyError::UnknownParameter(0)));
        let twice = SecurityPolicy::from_params(0, ProtType::Tesla, &[(6, &[1]), (6, &[2])]);
        assert_eq!(
            TeslaPolicy::from_sp(&twice.unwrap()),
            Err(TeslaPolicyError::Repeated(6))
        );
        let srtp = SecurityPolicy::new(0, ProtType::Srtp);
        assert_eq!(TeslaPolicy::from_sp(&srtp), Err(TeslaPolicyError::NotTesla));
    }
}
