//! The exchange commands' options for what an I_MESSAGE carries besides keys: General
//! Extensions (RFC 3830 §6.15), Key IDs (RFC 4563 §4), OMA BCAST (RFC 5410 §3), a TESLA
//! policy (RFC 4442 §4.2), and the value forms they take.

use crate::args::number;
use mikey::tesla::TeslaPolicy;
use mikey::wire::{GenExtType, KeyIdType, OmaBcastSubtype};

/// `--ext TYPE:HEX`: a General Extension of any type.
#[derive(Clone, Debug)]
pub struct ExtArg {
    /// The type.
    pub ext_type: GenExtType,
    /// The data.
    pub data: Vec<u8>,
}

/// `--key-id TYPE:HEX`: one Key ID entry.
#[derive(Clone, Debug)]
pub struct KeyIdArg {
    /// The Key ID Type.
    pub id_type: KeyIdType,
    /// The Key ID.
    pub id: Vec<u8>,
}

/// `--oma-bcast SUBTYPE:HEX`: an OMA BCAST extension.
#[derive(Clone, Debug)]
pub struct OmaBcastArg {
    /// The subtype.
    pub subtype: OmaBcastSubtype,
    /// The subtype-specific data.
    pub data: Vec<u8>,
}

/// `NAME:HEX` with NAME one of `names` (or a number 0..=255); HEX may be empty.
fn named<T: From<u8>>(spec: &str, names: &[(&str, u8)]) -> Result<(T, Vec<u8>), String> {
    let (name, data) = spec
        .split_once(':')
        .ok_or_else(|| "TYPE:HEX (a colon between them; HEX may be empty)".to_string())?;
    let code = match names.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
        Some((_, v)) => *v,
        None => {
            let list: Vec<&str> = names.iter().map(|(n, _)| *n).collect();
            let v = number(name)
                .map_err(|_| format!("{name:?} is not one of {} or a number", list.join(", ")))?;
            u8::try_from(v).map_err(|_| format!("{v} is above 255"))?
        }
    };
    let data = hex::decode(data.trim_start_matches("0x")).map_err(|e| format!("not hex ({e})"))?;
    Ok((T::from(code), data))
}

/// `--ext`: TYPE is vendor-id, key-id, oma-bcast, sakke-to-self, 3gpp-key-parameters or a
/// number (the library refuses the types it writes itself).
pub fn ext(spec: &str) -> Result<ExtArg, String> {
    let (ext_type, data) = named(
        spec,
        &[
            ("vendor-id", 0),
            ("sdp-ids", 1),
            ("tesla-i-key", 2),
            ("key-id", 3),
            ("csb-id", 4),
            ("oma-bcast", 5),
            ("sakke-to-self", 6),
            ("3gpp-key-parameters", 7),
        ],
    )?;
    Ok(ExtArg { ext_type, data })
}

/// `--key-id`: TYPE is domain, service, traffic (MBMS Key Domain, Service Key and Traffic
/// Key ID, RFC 4563 §4) or a number; the ID at most 255 bytes.
pub fn key_id(spec: &str) -> Result<KeyIdArg, String> {
    let (id_type, id) = named(spec, &[("domain", 0), ("service", 1), ("traffic", 2)])?;
    if id.len() > 255 {
        return Err("a Key ID holds at most 255 bytes".to_string());
    }
    Ok(KeyIdArg { id_type, id })
}

/// `--oma-bcast`: SUBTYPE is ltkm, stkm, ltkm-reporting, parental-control or a number.
pub fn oma_bcast(spec: &str) -> Result<OmaBcastArg, String> {
    let (subtype, data) = named(
        spec,
        &[
            ("ltkm", 1),
            ("stkm", 2),
            ("ltkm-reporting", 3),
            ("parental-control", 4),
        ],
    )?;
    Ok(OmaBcastArg { subtype, data })
}

/// `--tesla start=NTP,interval=MS,delay=N,chain=N[,prf=ID][,prf-bits=N][,mac=ID]
/// [,mac-bits=N][,receiver-time=NTP]`: a TESLA policy (RFC 4442 §4.2), the functions by
/// default HMAC-SHA1 with RFC 4383's lengths; values checked by the library.
pub fn tesla(spec: &str) -> Result<TeslaPolicy, String> {
    let mut p = TeslaPolicy::new(0, 0, 0, 0);
    let mut seen = [false; 4];
    for item in spec.split(',') {
        let (key, value) = item
            .split_once('=')
            .ok_or_else(|| format!("{item:?}: expected name=value"))?;
        let v = number(value.trim())?;
        let narrow = |max: u64| {
            if v > max {
                Err(format!("{key}={v} is above {max}"))
            } else {
                Ok(v)
            }
        };
        match key.trim() {
            "start" => (p.session_start, seen[0]) = (v, true),
            "interval" => (p.interval_ms, seen[1]) = (narrow(u32::MAX.into())? as u32, true),
            "delay" => (p.disclosure_delay, seen[2]) = (narrow(u32::MAX.into())? as u32, true),
            "chain" => (p.chain_length, seen[3]) = (narrow(u32::MAX.into())? as u32, true),
            "prf" => p.prf = narrow(255)? as u8,
            "prf-bits" => p.prf_output_bits = narrow(0xFFFF)? as u16,
            "mac" => p.mac = narrow(255)? as u8,
            "mac-bits" => p.mac_output_bits = narrow(0xFFFF)? as u16,
            "receiver-time" => p.receiver_time = Some(v),
            other => return Err(format!("{other:?} is not a TESLA policy field")),
        }
    }
    if seen.contains(&false) {
        return Err("start, interval, delay and chain are needed (RFC 4442 §4.2)".to_string());
    }
    Ok(p)
}
