//! The ONVIF profile of MIKEY: what an ONVIF camera and video management system exchange
//! over RTSP (ONVIF Streaming Specification, section "MIKEY": MIKEY-PSK mandatory, MIKEY-PK
//! not used; over RTSPS the KEMAC "should not be encrypted since TLS already encrypts the
//! RTSPS channel"; a TEK for AES_CM_128_HMAC_SHA1_80 and TEK+SALT for the other
//! algorithms; an MKI in the KV data and on every SRTP packet; the SP sets
//! AES_CM_128_HMAC_SHA1_80, AEAD_AES_128_GCM and AEAD_AES_256_GCM).
//!
//! The specification's own example messages, which deployed clients send, carry no RAND
//! and, in the SETUP one, a T payload of type NTP-UTC holding a Windows FILETIME. In NULL
//! mode (no authentication: the messages travel in RTSPS) the preset reads them as they are
//! meant: a missing RAND is accepted when the KEMAC carries TEKs, which need no derivation
//! (a TGK without RAND is still refused), and a T that is not fresh as NTP but is fresh as
//! a FILETIME is read as the FILETIME, then checked and replay-protected like any other.
//! PSK mode stays strict: its transport keys derive from the RAND (RFC 3830 §4.1.4).
//!
//! Re-keying ("Client Re-Keying with MIKEY": an RTSP SET_PARAMETER carrying a new MIKEY
//! message with only the new key; "The device shall not reset the ROC when changing
//! keys"): an established session of the preset takes a message with a new CSB ID for its
//! own streams (same SSRCs, TEKs) as a re-key of them: the crypto sessions keep their ROC
//! and hold the current TEK and the new ones (by MKI, so that packets under either decrypt
//! across the change), and the CSB ID becomes the new one. Any other new CSB is refused as
//! RFC 3830 §6.1 has it.

use super::config::{ConfigBuilder, KeyTransport, Mode};
use crate::policy::SrtpProfile;

/// How an ONVIF pair protects its MIKEY messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnvifKeying<'a> {
    /// MIKEY-PSK with this pre-shared key: the KEMAC encrypted and MACed (RFC 3830 §3.1).
    Psk(&'a [u8]),
    /// NULL mode (RFC 3830 §4.2.3-4.2.4): nothing encrypted or authenticated, for RTSP over
    /// TLS only, as the ONVIF specification requires whenever SRTP is used.
    NullOverTls,
}

/// The SRTP profiles of the ONVIF Streaming specification's SP sets, in its order.
pub const ONVIF_PROFILES: [SrtpProfile; 3] = [
    SrtpProfile::Aes128CmSha1_80,
    SrtpProfile::AeadAes128Gcm,
    SrtpProfile::AeadAes256Gcm,
];

/// The length of the MKI the preset sends: ONVIF makes one mandatory and its examples use
/// four bytes.
pub const ONVIF_MKI_LEN: usize = 4;

impl ConfigBuilder {
    /// A builder for the ONVIF profile (see the module documentation): `keying` picks PSK
    /// or NULL mode; an Initiator offers `profile` (one of [`ONVIF_PROFILES`]) as a TEK
    /// (AES_CM_128_HMAC_SHA1_80: master key ‖ salt in one TEK, as ONVIF clients send it)
    /// or a TEK+SALT (the AES-GCM ones), with a 4-byte MKI and no verification requested;
    /// a Responder accepts the [`ONVIF_PROFILES`]. In NULL mode the ONVIF readings of a
    /// missing RAND and of a FILETIME timestamp apply. Identities, the clock and the rest
    /// are set as for any builder.
    pub fn onvif(keying: OnvifKeying<'_>, profile: SrtpProfile) -> ConfigBuilder {
        let b = match keying {
            OnvifKeying::Psk(psk) => ConfigBuilder::new(Mode::Psk).psk(psk),
            OnvifKeying::NullOverTls => ConfigBuilder::new(Mode::Null),
        };
        let transport = if profile == SrtpProfile::Aes128CmSha1_80 {
            KeyTransport::TekConcatenated
        } else {
            KeyTransport::TekSalt
        };
        b.onvif_behaviour(true)
            .offer(vec![profile.policy()])
            .accept(ONVIF_PROFILES.to_vec())
            .key_transport(transport)
            .mki_len(ONVIF_MKI_LEN)
            .request_verification(false)
    }
}
