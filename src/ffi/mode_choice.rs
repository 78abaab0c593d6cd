//! The key exchange method recommendation of RFC 5197 §5.5 (`crate::mode_choice`) for C.

use super::config::{
    MIKEY_MODE_DH_HMAC, MIKEY_MODE_DH_SIGN, MIKEY_MODE_NULL, MIKEY_MODE_PK, MIKEY_MODE_PSK,
    MIKEY_MODE_RSA_R,
};
use super::guard::{Failure, guard, non_null, non_null_mut, write_out};
use super::status::*;
use super::types::*;
use crate::exchange::Mode;
use crate::mode_choice::{Needs, recommend};

/// What an application has and needs, for `mikey_recommend_mode` (RFC 5197 §5). Each
/// field is 0 or 1. Plain data, owned by the caller.
#[repr(C)]
pub struct mikey_mode_needs_t {
    /// A pre-shared key with the peer is configured.
    pub have_psk: mikey_bool_t,
    /// A private key and certificate, and a way to trust the peer's.
    pub have_pki: mikey_bool_t,
    /// The messages travel over a transport that already protects them (TLS): the only
    /// case NULL mode is recommended.
    pub secure_transport: mikey_bool_t,
    /// Perfect forward secrecy.
    pub pfs: mikey_bool_t,
    /// Both sides contribute to the keys.
    pub both_contribute: mikey_bool_t,
    /// Media may flow before the answer (early media, RFC 5197 §5.1).
    pub early_media: mikey_bool_t,
    /// The request may reach several Responders or be retargeted (§5.2, §5.3).
    pub forking: mikey_bool_t,
    /// One key for a group (shared-key conferencing, §5.4).
    pub group: mikey_bool_t,
}

/// Recommends the key exchange method for `*needs` (RFC 5197 §5.5's tables: among the
/// methods that meet every need with the credentials at hand, the least work), writes it
/// to `*out_mode` and the reason, citing RFC 5197, to `why` (capacity `why_cap`, length in
/// `*why_len`, not NUL-terminated).
///
/// Returns MIKEY_OK; MIKEY_ERR_CONFIG when no method meets every need (`*out_mode` is not
/// written; `why` says why); MIKEY_ERR_NULL_POINTER if `needs`, `out_mode` or `why_len` is
/// NULL, or `why` is NULL; MIKEY_ERR_INVALID_ARGUMENT for a field other than 0 or 1;
/// MIKEY_ERR_BUFFER_TOO_SMALL with the length needed in `*why_len` (nothing else
/// written); MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_recommend_mode(
    needs: *const mikey_mode_needs_t,
    out_mode: *mut mikey_mode_t,
    why: *mut u8,
    why_cap: usize,
    why_len: *mut usize,
) -> mikey_status_t {
    guard(|| {
        let n = non_null(needs, "needs")?;
        let out = non_null_mut(out_mode, "out_mode")?;
        let flag = |v: mikey_bool_t, name: &str| match v {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(Failure::new(
                MIKEY_ERR_INVALID_ARGUMENT,
                format!("needs->{name} is {v}, not 0 or 1"),
            )),
        };
        let needs = Needs {
            have_psk: flag(n.have_psk, "have_psk")?,
            have_pki: flag(n.have_pki, "have_pki")?,
            secure_transport: flag(n.secure_transport, "secure_transport")?,
            pfs: flag(n.pfs, "pfs")?,
            both_contribute: flag(n.both_contribute, "both_contribute")?,
            early_media: flag(n.early_media, "early_media")?,
            forking: flag(n.forking, "forking")?,
            group: flag(n.group, "group")?,
        };
        let r = recommend(&needs);
        write_out(r.why.as_bytes(), why, why_cap, why_len, "why")?;
        match r.mode {
            Some(mode) => {
                *out = match mode {
                    Mode::Psk => MIKEY_MODE_PSK,
                    Mode::Null => MIKEY_MODE_NULL,
                    Mode::Pk => MIKEY_MODE_PK,
                    Mode::RsaR => MIKEY_MODE_RSA_R,
                    Mode::DhSign => MIKEY_MODE_DH_SIGN,
                    Mode::DhHmac => MIKEY_MODE_DH_HMAC,
                };
                Ok(())
            }
            None => Err(Failure::new(MIKEY_ERR_CONFIG, r.why)),
        }
    })
}
