//! The SRTP profile <-> SP parameter mapping (`crate::policy::PROFILE_TABLE`; RFC 3830
//! §6.10.1, RFC 4771 §4, RFC 7714 §14.3) for C: the `MIKEY_SRTP_*` profile of SRTP policy
//! parameters read from a message, and the parameters our offers carry for a profile.

use super::guard::{Failure, byte_slice, guard, invalid, non_null_mut, write_out};
use super::message::parse_failure;
use super::status::*;
use super::types::*;
use crate::policy::{PolicyError, SrtpPolicy, SrtpProfile};
use crate::wire::{ProtType, SecurityPolicy};

/// Writes to `*out_profile` the `MIKEY_SRTP_*` profile of the SRTP policy parameters
/// `params` (`params_len` bytes): the Policy param field of an SP payload whose Prot type
/// is `MIKEY_PROT_SRTP` (RFC 3830 §6.10), the Type/Length/Value parameters
/// `mikey_message_payload_data` gives for an SP payload. The mapping is the one a Responder
/// negotiates with (README "What works today" and "Spec readings"):
/// - an absent parameter takes its SRTP default (RFC 3830 §6.10.1; RFC 7714's for
///   AES-GCM), so no parameters at all are MIKEY_SRTP_AES128_CM_SHA1_80;
/// - RFC 4771's separate SRTP and SRTCP parameters (`MIKEY_SRTP_PARAM_SRTP_AUTH_ALG` ...
///   `MIKEY_SRTP_PARAM_SRTCP_AUTH_TAG_LEN`, types 14-19) take precedence over the general
///   types 2, 3 and 11 (RFC 4771 §4); the SRTCP values must be the profile's (an 80-bit
///   SRTCP tag for every HMAC-SHA-1 profile, the _32 ones included);
/// - the RCC integrity transforms (`MIKEY_SRTP_AUTH_RCCM1` ... `_RCCM3`) are no profile of
///   this library (libsrtp cannot run them); a ROC transmission rate
///   (`MIKEY_SRTP_PARAM_ROC_TRANSMISSION_RATE`) must be two non-zero bytes and is otherwise
///   not looked at;
/// - a type given more than once offers alternatives: the first combination, in offer
///   order, that is one of the eight `MIKEY_SRTP_*` profiles is taken (the NULL-cipher ones
///   included; at most 256 combinations are tried).
///
/// Returns MIKEY_OK; MIKEY_ERR_UNSUPPORTED_POLICY (what a Responder answers with Error no.
/// 10, Invalid SPpar, and the policies it supports) when no combination is a profile of
/// this library: an RCC transform, an SRTCP tag other than 10 bytes, an unknown parameter
/// type, a value of the wrong length, a ROC transmission rate of 0, more than 256
/// combinations; MIKEY_ERR_PARSE_BAD_LENGTH when the bytes are not whole parameters (a
/// Length running past the end); MIKEY_ERR_NULL_POINTER if `out_profile` is NULL, or
/// `params` is NULL and `params_len` is not 0; MIKEY_ERR_INVALID_ARGUMENT if `params_len`
/// is over 65535 (an SP payload's Policy param length is 16 bits); MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_srtp_profile_from_sp_params(
    params: *const u8,
    params_len: usize,
    out_profile: *mut mikey_srtp_profile_t,
) -> mikey_status_t {
    guard(|| {
        let out = non_null_mut(out_profile, "out_profile")?;
        let bytes = byte_slice(params, params_len, "params")?;
        if params_len > usize::from(u16::MAX) {
            return Err(invalid(format!(
                "params_len {params_len} is over 65535, the most an SP payload holds"
            )));
        }
        let sp = SecurityPolicy::from_param_bytes(0, ProtType::Srtp, bytes)
            .map_err(|e| parse_failure(&e))?;
        match SrtpPolicy::negotiate(&sp, |_| true) {
            Ok((_, profile)) => {
                *out = profile as mikey_srtp_profile_t;
                Ok(())
            }
            Err(PolicyError::Unsupported | PolicyError::NotSrtp) => Err(Failure::new(
                MIKEY_ERR_UNSUPPORTED_POLICY,
                "no combination of the parameters is a profile of this library",
            )),
        }
    })
}

/// Writes into `params` (capacity `params_cap`) the SRTP policy parameters our offers
/// carry for `profile` (a `MIKEY_SRTP_*`), the Policy param field of an SP payload with
/// Prot type `MIKEY_PROT_SRTP`, and their length to `*params_len`: every parameter of RFC
/// 3830 Table 6.10.1.a written out once in type order, the SRTP tag length in
/// `MIKEY_SRTP_PARAM_AUTH_TAG_LEN` (types 0-12, 39 bytes); for the AES-GCM profiles the
/// AEAD tag length in `MIKEY_SRTP_PARAM_AEAD_AUTH_TAG_LEN` instead of types 3 and 11 (RFC
/// 7714 §14.3, 36 bytes). No RFC 4771 parameter (types 13-19) is written, so peers that
/// predate RFC 4771 read them. `mikey_srtp_profile_from_sp_params` maps them back to
/// `profile`.
///
/// Returns MIKEY_OK; MIKEY_ERR_INVALID_ARGUMENT if `profile` is not a `MIKEY_SRTP_*`;
/// MIKEY_ERR_BUFFER_TOO_SMALL with the needed length in `*params_len` (nothing else
/// written; `params` may be NULL when `params_cap` is 0); MIKEY_ERR_NULL_POINTER if
/// `params_len` is NULL, or `params` is NULL and `params_cap` holds the parameters;
/// MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_srtp_profile_sp_params(
    profile: mikey_srtp_profile_t,
    params: *mut u8,
    params_cap: usize,
    params_len: *mut usize,
) -> mikey_status_t {
    guard(|| {
        let profile = SrtpProfile::from_u32(profile)
            .ok_or_else(|| invalid(format!("profile {profile} is not a MIKEY_SRTP_*")))?;
        // A profile's parameters are one byte each, within an SP's length fields.
        let sp = profile
            .policy()
            .to_sp(0)
            .map_err(|e| Failure::new(MIKEY_ERR_PANIC, e.to_string()))?;
        write_out(sp.param_bytes(), params, params_cap, params_len, "params")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::session::{
        MIKEY_SRTP_AEAD_AES_128_GCM, MIKEY_SRTP_AES128_CM_SHA1_32, MIKEY_SRTP_AES128_CM_SHA1_80,
    };

    #[test]
    fn every_profile_round_trips_through_its_parameters() {
        for profile in SrtpProfile::ALL {
            let mut buf = [0u8; 64];
            let mut len = 0;
            assert_eq!(
                mikey_srtp_profile_sp_params(profile as u32, buf.as_mut_ptr(), buf.len(), &mut len),
                MIKEY_OK
            );
            let expected = profile.policy().to_sp(0).unwrap();
            assert_eq!(&buf[..len], expected.param_bytes());
            assert_eq!(len, if profile.is_aead() { 36 } else { 39 });
            let mut back = 0;
            assert_eq!(
                mikey_srtp_profile_from_sp_params(buf.as_ptr(), len, &mut back),
                MIKEY_OK
            );
            assert_eq!(back, profile as u32);
        }
    }

    #[test]
    fn statuses() {
        let mut out = 77;
        let rcc = [14u8, 1, 3]; // RCCm2 for SRTP
        assert_eq!(
            mikey_srtp_profile_from_sp_params(rcc.as_ptr(), rcc.len(), &mut out),
            MIKEY_ERR_UNSUPPORTED_POLICY
        );
        let overrun = [11u8, 2, 4];
        assert_eq!(
            mikey_srtp_profile_from_sp_params(overrun.as_ptr(), overrun.len(), &mut out),
            MIKEY_ERR_PARSE_BAD_LENGTH
        );
        assert_eq!(out, 77);
        assert_eq!(
            mikey_srtp_profile_from_sp_params(std::ptr::null(), 0, &mut out),
            MIKEY_OK
        );
        assert_eq!(out, MIKEY_SRTP_AES128_CM_SHA1_80);
        assert_eq!(
            mikey_srtp_profile_from_sp_params(std::ptr::null(), 3, &mut out),
            MIKEY_ERR_NULL_POINTER
        );
        assert_eq!(
            mikey_srtp_profile_from_sp_params(rcc.as_ptr(), 3, std::ptr::null_mut()),
            MIKEY_ERR_NULL_POINTER
        );
        let big = vec![0u8; 65536];
        assert_eq!(
            mikey_srtp_profile_from_sp_params(big.as_ptr(), big.len(), &mut out),
            MIKEY_ERR_INVALID_ARGUMENT
        );
        let short_tag = [11u8, 1, 4];
        assert_eq!(
            mikey_srtp_profile_from_sp_params(short_tag.as_ptr(), 3, &mut out),
            MIKEY_OK
        );
        assert_eq!(out, MIKEY_SRTP_AES128_CM_SHA1_32);

        let mut len = 0;
        assert_eq!(
            mikey_srtp_profile_sp_params(3, std::ptr::null_mut(), 0, &mut len),
            MIKEY_ERR_INVALID_ARGUMENT
        );
        assert_eq!(
            mikey_srtp_profile_sp_params(
                MIKEY_SRTP_AEAD_AES_128_GCM,
                std::ptr::null_mut(),
                0,
                &mut len
            ),
            MIKEY_ERR_BUFFER_TOO_SMALL
        );
        assert_eq!(len, 36);
        assert_eq!(
            mikey_srtp_profile_sp_params(
                MIKEY_SRTP_AEAD_AES_128_GCM,
                std::ptr::null_mut(),
                36,
                &mut len
            ),
            MIKEY_ERR_NULL_POINTER
        );
        let mut buf = [0u8; 36];
        assert_eq!(
            mikey_srtp_profile_sp_params(
                MIKEY_SRTP_AEAD_AES_128_GCM,
                buf.as_mut_ptr(),
                buf.len(),
                std::ptr::null_mut()
            ),
            MIKEY_ERR_NULL_POINTER
        );
    }
}
