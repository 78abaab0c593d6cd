//! The ONVIF preset as a `mikey_config_builder_t` constructor (ONVIF Streaming
//! Specification, section "MIKEY"; see `session::onvif`).

use super::config::{boxed, mikey_config_builder_t};
use super::guard::{byte_slice, guard, invalid, non_null_mut};
use super::session::{
    MIKEY_SRTP_AEAD_AES_128_GCM, MIKEY_SRTP_AEAD_AES_256_GCM, MIKEY_SRTP_AES128_CM_SHA1_80,
};
use super::types::*;
use crate::ffi::config::{MIKEY_MODE_NULL, MIKEY_MODE_PSK};
use crate::policy::SrtpProfile;
use crate::session::ConfigBuilder;
use crate::session::onvif::OnvifKeying;

/// Creates in `*out_builder` a builder for what an ONVIF camera and client exchange over
/// RTSP: `mode` `MIKEY_MODE_PSK` with the pre-shared key `psk` (the KEMAC encrypted and
/// MACed), or `MIKEY_MODE_NULL` for RTSP over TLS (`psk` NULL and `psk_len` 0); an Initiator
/// offers `profile` (`MIKEY_SRTP_AES128_CM_SHA1_80`, `MIKEY_SRTP_AEAD_AES_128_GCM` or
/// `MIKEY_SRTP_AEAD_AES_256_GCM`) as a TEK (master key || salt, for AES_CM_128_HMAC_SHA1_80)
/// or a TEK+SALT (the AES-GCM ones), with a 4-byte MKI (ONVIF: on every SRTP packet) and no
/// verification requested; a Responder accepts those three profiles. In NULL mode the
/// ONVIF readings apply to received I_MESSAGEs: a missing RAND is accepted when the KEMAC
/// carries TEKs (a TGK without RAND is refused), and a T that is not fresh as NTP but is
/// fresh as a Windows FILETIME (what the ONVIF specification's own examples hold) is read
/// as that time, then checked and replay-protected as any other. PSK mode stays strict.
/// Set identities, clocks and the rest with the other setters.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `out_builder` is NULL, or `psk` is NULL with
/// `psk_len` > 0; MIKEY_ERR_INVALID_ARGUMENT for another `mode` or `profile`, an empty PSK
/// in PSK mode or a PSK in NULL mode; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_new_onvif(
    mode: mikey_mode_t,
    psk: *const u8,
    psk_len: usize,
    profile: mikey_srtp_profile_t,
    out_builder: *mut *mut mikey_config_builder_t,
) -> mikey_status_t {
    guard(|| {
        let out = non_null_mut(out_builder, "out_builder")?;
        let profile = match profile {
            MIKEY_SRTP_AES128_CM_SHA1_80 => SrtpProfile::Aes128CmSha1_80,
            MIKEY_SRTP_AEAD_AES_128_GCM => SrtpProfile::AeadAes128Gcm,
            MIKEY_SRTP_AEAD_AES_256_GCM => SrtpProfile::AeadAes256Gcm,
            _ => {
                return Err(invalid(format!(
                    "profile {profile} is not one of the ONVIF SP sets \
                     (AES_CM_128_HMAC_SHA1_80, AEAD_AES_128_GCM, AEAD_AES_256_GCM)"
                )));
            }
        };
        let psk = byte_slice(psk, psk_len, "psk")?;
        let keying = match (mode, psk) {
            (MIKEY_MODE_PSK, []) => return Err(invalid("PSK mode needs a non-empty psk")),
            (MIKEY_MODE_PSK, key) => OnvifKeying::Psk(key),
            (MIKEY_MODE_NULL, []) => OnvifKeying::NullOverTls,
            (MIKEY_MODE_NULL, _) => return Err(invalid("NULL mode takes no psk")),
            _ => {
                return Err(invalid(format!(
                    "mode {mode} is neither MIKEY_MODE_PSK nor MIKEY_MODE_NULL"
                )));
            }
        };
        *out = boxed(ConfigBuilder::onvif(keying, profile));
        Ok(())
    })
}
