//! The envelope key a PK exchange cached for use beyond its CSB (RFC 3830 §3.2, §6.3: the
//! PKE's C field "Cache"), handed to the application to keep as a pre-shared key.

use super::guard::write_out;
use super::session::{mikey_session_t, read_session};
use super::types::mikey_status_t;

/// Copies the envelope key of the PK exchange that keyed this session into `key`
/// (capacity `key_cap`, length in `*key_len`) when its PKE's C field was "Cache"
/// (`MIKEY_PKE_CACHE`, RFC 3830 §6.3): the application may keep it as the pre-shared key
/// of a later exchange with the same peer (`mikey_config_builder_set_psk`). Writes 0 to
/// `*key_len` when there is none: "No cache", and "Cache for CSB", whose key only this
/// session's updates use (`mikey_session_rekey` then sends a PSK message keyed with it,
/// RFC 3830 §4.5). The key is a secret: zeroize it after use.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `session` or `key_len` is NULL, or `key`
/// is NULL with a key to copy; MIKEY_ERR_BUFFER_TOO_SMALL with the length needed (32) in
/// `*key_len`; MIKEY_ERR_POISONED; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_cached_envelope_key(
    session: *const mikey_session_t,
    key: *mut u8,
    key_cap: usize,
    key_len: *mut usize,
) -> mikey_status_t {
    read_session(session, |s| {
        write_out(
            s.cached_envelope_key().unwrap_or_default(),
            key,
            key_cap,
            key_len,
            "key",
        )
    })
}
