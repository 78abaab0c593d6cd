//! Forked answers on `mikey_session_t` (RFC 5197 §5.2): an RSA-R Initiator whose request
//! reached several Responders keeps each one's keys as a branch until the application
//! picks one. A branch's keys are usable as soon as its answer arrived (early media, RFC
//! 5197 §5.3): the branch functions export them as the session functions export the
//! selected keys.

use super::guard::{Failure, non_null_mut, write_out};
use super::session::{
    describe_crypto_session, export_key, mikey_crypto_session_info_t, mikey_session_t,
    mikey_srtp_key_t, read_session, with_session,
};
use super::status::*;
use super::types::*;
use crate::exchange::Error;

/// Writes to `*out_count` how many Responders answered a forked request with keys so far
/// (0 unless the config accepts forked answers).
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `session` or `out_count` is NULL;
/// MIKEY_ERR_POISONED; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_branch_count(
    session: *const mikey_session_t,
    out_count: *mut usize,
) -> mikey_status_t {
    read_session(session, |s| {
        *non_null_mut(out_count, "out_count")? = s.branch_count();
        Ok(())
    })
}

/// Copies the authenticated identity of branch `branch_index`'s Responder (the ID data of
/// the IDr inside its KEMAC, named by its certificate) into `identity` (capacity
/// `identity_cap`, length in `*identity_len`).
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `session` or `identity_len` is NULL, or
/// `identity` is NULL with a non-empty identity; MIKEY_ERR_INDEX_OUT_OF_RANGE if
/// `branch_index` is not below `mikey_session_branch_count`; MIKEY_ERR_BUFFER_TOO_SMALL
/// with the length needed in `*identity_len`; MIKEY_ERR_POISONED; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_branch_identity(
    session: *const mikey_session_t,
    branch_index: usize,
    identity: *mut u8,
    identity_cap: usize,
    identity_len: *mut usize,
) -> mikey_status_t {
    read_session(session, |s| {
        let (id, _) = branch(s, branch_index)?;
        write_out(id, identity, identity_cap, identity_len, "identity")
    })
}

/// Branch `branch_index` (the Responder's identity and its crypto sessions), or
/// MIKEY_ERR_INDEX_OUT_OF_RANGE.
fn branch(
    s: &crate::session::Session,
    branch_index: usize,
) -> Result<(&[u8], &[crate::session::CryptoSession]), Failure> {
    s.branch(branch_index).ok_or_else(|| {
        Failure::new(
            MIKEY_ERR_INDEX_OUT_OF_RANGE,
            format!(
                "branch_index is {branch_index}; there are {} branches",
                s.branch_count()
            ),
        )
    })
}

/// Writes to `*out_count` the number of crypto sessions branch `branch_index` keyed.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `session` or `out_count` is NULL;
/// MIKEY_ERR_INDEX_OUT_OF_RANGE if `branch_index` is not below
/// `mikey_session_branch_count`; MIKEY_ERR_POISONED; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_branch_crypto_session_count(
    session: *const mikey_session_t,
    branch_index: usize,
    out_count: *mut usize,
) -> mikey_status_t {
    read_session(session, |s| {
        let out = non_null_mut(out_count, "out_count")?;
        *out = branch(s, branch_index)?.1.len();
        Ok(())
    })
}

/// Describes crypto session `cs_index` of branch `branch_index` in `*out_info`, as
/// `mikey_session_crypto_session` does for the selected keys.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `session` or `out_info` is NULL;
/// MIKEY_ERR_INDEX_OUT_OF_RANGE if `branch_index` is not below
/// `mikey_session_branch_count` or `cs_index` not below the branch's crypto session
/// count; MIKEY_ERR_POISONED; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_branch_crypto_session(
    session: *const mikey_session_t,
    branch_index: usize,
    cs_index: usize,
    out_info: *mut mikey_crypto_session_info_t,
) -> mikey_status_t {
    read_session(session, |s| {
        let out = non_null_mut(out_info, "out_info")?;
        describe_crypto_session(branch(s, branch_index)?.1, cs_index, out)
    })
}

/// Exports key `key_index` of crypto session `cs_index` of branch `branch_index` into
/// `*out_key` (libsrtp layout), as `mikey_session_srtp_key` does for the selected keys:
/// media from that Responder can be protected before a branch is selected (early media,
/// RFC 5197 §5.3).
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `session` or `out_key` is NULL;
/// MIKEY_ERR_INDEX_OUT_OF_RANGE if `branch_index`, `cs_index` or `key_index` is out of
/// range; MIKEY_ERR_BAD_KEY_DATA if a key does not fit the struct; MIKEY_ERR_POISONED;
/// MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_branch_srtp_key(
    session: *const mikey_session_t,
    branch_index: usize,
    cs_index: usize,
    key_index: usize,
    out_key: *mut mikey_srtp_key_t,
) -> mikey_status_t {
    read_session(session, |s| {
        let out = non_null_mut(out_key, "out_key")?;
        export_key(branch(s, branch_index)?.1, cs_index, key_index, out)
    })
}

/// Keeps branch `branch_index` as the session's keys (MIKEY_STATE_ESTABLISHED: the crypto
/// session and key functions then read it) and drops every other branch, whose keys are
/// zeroized; no further answer is accepted.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `session` is NULL; MIKEY_ERR_WRONG_STATE
/// unless the session is MIKEY_STATE_FORKED; MIKEY_ERR_INDEX_OUT_OF_RANGE if
/// `branch_index` is not below `mikey_session_branch_count`; MIKEY_ERR_POISONED;
/// MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_select_branch(
    session: *mut mikey_session_t,
    branch_index: usize,
) -> mikey_status_t {
    with_session(session, |s| {
        if s.state() == crate::session::State::Forked {
            branch(s, branch_index)?;
        }
        s.select_branch(branch_index).map_err(|e| match e {
            Error::WrongState => Failure::new(
                MIKEY_ERR_WRONG_STATE,
                "no forked answers to choose from: the session is not MIKEY_STATE_FORKED",
            ),
            other => super::session::error_failure(&other),
        })
    })
}
