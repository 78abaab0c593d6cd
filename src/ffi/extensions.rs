//! What an I_MESSAGE carries besides keys and SRTP policies, on `mikey_session_t`: General
//! Extensions (RFC 3830 §6.15) sent and received, Key ID lists (RFC 4563 §4), the TESLA
//! bootstrap (RFC 4442), the keys as the KEMAC carried them; and on
//! `mikey_config_builder_t` the two settings of broadcast key delivery (MBMS, OMA BCAST):
//! the Empty CS ID map (RFC 4563 §5) and the COUNTER store.

#![allow(non_camel_case_types)]

use super::config::{UserData, mikey_config_builder_t, set};
use super::guard::{
    Failure, FfiResult, byte_slice, element, flag, invalid, non_null, non_null_mut, write_out,
};
use super::session::{error_failure, mikey_session_t, read_session, with_session};
use super::status::*;
use super::types::*;
use crate::session::Role;
use crate::tesla::TeslaPolicy;
use crate::wire::{GenExtType, GeneralExtension, KeyIdEntry, KeyIdType};
use std::ffi::c_void;
use std::sync::Arc;

/// One entry of a Key ID list (RFC 4563 §4): its type (`MIKEY_KEY_ID_*`) and `id_len`
/// bytes at `id` (at most 255).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct mikey_key_id_t {
    /// Key ID Type: `MIKEY_KEY_ID_*` (0..=255).
    pub id_type: u32,
    /// The Key ID bytes.
    pub id: *const u8,
    /// Their length (0..=255).
    pub id_len: usize,
}

/// A TESLA policy (RFC 4442 §4.2). Lengths of the function outputs are in bits.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct mikey_tesla_policy_t {
    /// The PRF realising F and F': `MIKEY_TESLA_HMAC_*` (default HMAC-SHA1).
    pub prf: u32,
    /// Length of the PRF f' output in bits (a multiple of 8, at most the PRF's output;
    /// RFC 4383's default 160).
    pub prf_output_bits: u32,
    /// The TESLA MAC: `MIKEY_TESLA_HMAC_*`.
    pub mac: u32,
    /// Length of the TESLA MAC output in bits (RFC 4383's default 80).
    pub mac_output_bits: u32,
    /// Start of the session, 64-bit NTP-UTC (RFC 3830 §6.6).
    pub session_start: u64,
    /// Interval duration in milliseconds (non-zero).
    pub interval_ms: u32,
    /// Key disclosure delay in intervals (non-zero).
    pub disclosure_delay: u32,
    /// Key chain length in intervals (non-zero).
    pub chain_length: u32,
    /// Whether `receiver_time` is set (RFC 4442 §4.3 in-band time synchronisation).
    pub has_receiver_time: mikey_bool_t,
    /// The media receiver's local timestamp, 64-bit NTP-UTC.
    pub receiver_time: u64,
}

/// A General Extension type argument: 0..=255.
fn ext_type(value: mikey_ext_type_t) -> FfiResult<GenExtType> {
    u8::try_from(value).map(GenExtType::from).map_err(|_| {
        invalid(format!(
            "type {value} is not a General Extension type (0..=255)"
        ))
    })
}

/// Adds a General Extension (RFC 3830 §6.15) of `type` (`MIKEY_EXT_*`, or an unassigned or
/// private value up to 255) with `data` (`data_len` bytes, at most 65535) to the ones every
/// I_MESSAGE of this Initiator session carries from now on (`mikey_session_initiate`,
/// `mikey_session_rekey`, updates): after the SP payloads, under the MAC or signature, in
/// the order added. For Vendor ID, Key ID (`mikey_key_id_list_build`), OMA BCAST (the
/// subtype byte `MIKEY_OMA_BCAST_*`, then the subtype-specific data), the 3GPP types and
/// private ones. SDP IDs (`mikey_session_initiate_offer` writes it), CSB_ID (RSA-R group
/// answers) and TESLA I-Key (`mikey_session_set_tesla`) are refused.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `session` is NULL, or `data` is NULL with
/// `data_len` > 0; MIKEY_ERR_INVALID_ARGUMENT if `type` is above 255 or `data_len` above
/// 65535; MIKEY_ERR_CONFIG for SDP IDs, CSB_ID or TESLA I-Key; MIKEY_ERR_WRONG_STATE on a
/// Responder session; MIKEY_ERR_POISONED; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_add_extension(
    session: *mut mikey_session_t,
    r#type: mikey_ext_type_t,
    data: *const u8,
    data_len: usize,
) -> mikey_status_t {
    with_session(session, |s| {
        let t = ext_type(r#type)?;
        let data = byte_slice(data, data_len, "data")?;
        if data.len() > usize::from(u16::MAX) {
            return Err(invalid(format!(
                "data_len {} is above 65535 (the payload's 16-bit Length)",
                data.len()
            )));
        }
        let mut all = s.extensions().to_vec();
        all.push(GeneralExtension::new(t, data));
        s.set_extensions(all).map_err(|e| error_failure(&e))
    })
}

/// Removes every General Extension `mikey_session_add_extension` added: the next
/// I_MESSAGEs carry none (a TESLA bootstrap stays).
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `session` is NULL; MIKEY_ERR_WRONG_STATE on
/// a Responder session; MIKEY_ERR_POISONED; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_clear_extensions(session: *mut mikey_session_t) -> mikey_status_t {
    with_session(session, |s| {
        s.set_extensions(Vec::new()).map_err(|e| error_failure(&e))
    })
}

/// Writes to `*out_count` how many General Extensions the I_MESSAGE that installed this
/// Responder session's keys carried (every type, including SDP IDs, CSB_ID and TESLA
/// I-Key): 0 before keys are set and on an Initiator.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `session` or `out_count` is NULL;
/// MIKEY_ERR_POISONED; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_peer_extension_count(
    session: *const mikey_session_t,
    out_count: *mut usize,
) -> mikey_status_t {
    read_session(session, |s| {
        *non_null_mut(out_count, "out_count")? = s.peer_extensions().len();
        Ok(())
    })
}

/// Writes the type (`MIKEY_EXT_*` or another value up to 255) of the General Extension
/// `index` (message order, below `mikey_session_peer_extension_count`) to `*out_type` and
/// copies its data into `data` (capacity `data_cap`, length in `*data_len`). It was covered
/// by the message's MAC or signature. Read a Key ID list with `mikey_key_id_list_entry`;
/// an OMA BCAST extension is its subtype byte and the subtype-specific data.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `session`, `out_type` or `data_len` is NULL,
/// or `data` is NULL with bytes to copy; MIKEY_ERR_INDEX_OUT_OF_RANGE; MIKEY_ERR_BUFFER_TOO_SMALL
/// with the length needed in `*data_len` (nothing else written); MIKEY_ERR_POISONED;
/// MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_peer_extension(
    session: *const mikey_session_t,
    index: usize,
    out_type: *mut mikey_ext_type_t,
    data: *mut u8,
    data_cap: usize,
    data_len: *mut usize,
) -> mikey_status_t {
    read_session(session, |s| {
        let out_type = non_null_mut(out_type, "out_type")?;
        let g = element(s.peer_extensions(), index, "extensions in the message")?;
        write_out(&g.data, data, data_cap, data_len, "data")?;
        *out_type = u8::from(g.ext_type).into();
        Ok(())
    })
}

/// Writes the data of a Key ID extension (RFC 4563 §4: for each entry its Key ID Type, its
/// length and its bytes) for the `entries_count` entries at `entries` into `ext_data`
/// (capacity `ext_data_cap`, length in `*ext_data_len`), for `mikey_session_add_extension`
/// with `MIKEY_EXT_KEY_ID`. MBMS (3GPP TS 33.246) names a key by its Key Domain ID, MSK ID
/// and MTK ID.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `ext_data_len` is NULL, `entries` is NULL
/// with `entries_count` > 0, an entry's `id` is NULL with `id_len` > 0, or `ext_data` is
/// NULL with bytes to write; MIKEY_ERR_INVALID_ARGUMENT if an `id_type` is above 255, an
/// `id_len` above 255, the whole above 65535 bytes or `entries_count` beyond the address
/// space; MIKEY_ERR_BUFFER_TOO_SMALL with the
/// length needed in `*ext_data_len`; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_key_id_list_build(
    entries: *const mikey_key_id_t,
    entries_count: usize,
    ext_data: *mut u8,
    ext_data_cap: usize,
    ext_data_len: *mut usize,
) -> mikey_status_t {
    super::guard::guard(|| {
        let entries = if entries_count == 0 {
            &[][..]
        } else {
            let first = non_null(entries, "entries")?;
            if entries_count > isize::MAX as usize / std::mem::size_of::<mikey_key_id_t>() {
                return Err(invalid(format!(
                    "entries_count {entries_count} is too large"
                )));
            }
            // SAFETY: non-NULL; the caller promises `entries_count` readable entries, whose
            // total size was checked against isize::MAX above.
            unsafe { std::slice::from_raw_parts(first, entries_count) }
        };
        let mut list = Vec::with_capacity(entries.len());
        for (i, e) in entries.iter().enumerate() {
            let id_type = u8::try_from(e.id_type)
                .map_err(|_| invalid(format!("entries[{i}].id_type {} is above 255", e.id_type)))?;
            let id = byte_slice(e.id, e.id_len, &format!("entries[{i}].id"))?;
            if id.len() > 255 {
                return Err(invalid(format!(
                    "entries[{i}].id_len {} is above 255",
                    id.len()
                )));
            }
            list.push(KeyIdEntry {
                id_type: KeyIdType::from(id_type),
                id,
            });
        }
        let ext = GeneralExtension::key_ids(&list).map_err(|e| invalid(e.to_string()))?;
        if ext.data.len() > usize::from(u16::MAX) {
            return Err(invalid("the Key ID list is above 65535 bytes"));
        }
        write_out(&ext.data, ext_data, ext_data_cap, ext_data_len, "ext_data")
    })
}

/// Reads entry `index` of the Key ID extension data `ext_data` (`ext_data_len` bytes, as
/// `mikey_session_peer_extension` or `mikey_message_payload_data` give it) into
/// `*out_entry`, whose `id` then points into `ext_data` (valid as long as it is).
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `out_entry` is NULL, or `ext_data` is NULL
/// with `ext_data_len` > 0; MIKEY_ERR_PARSE_BAD_LENGTH if the data is not a sequence of
/// whole entries; MIKEY_ERR_INDEX_OUT_OF_RANGE past the last entry; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_key_id_list_entry(
    ext_data: *const u8,
    ext_data_len: usize,
    index: usize,
    out_entry: *mut mikey_key_id_t,
) -> mikey_status_t {
    super::guard::guard(|| {
        let out = non_null_mut(out_entry, "out_entry")?;
        let data = byte_slice(ext_data, ext_data_len, "ext_data")?;
        let view = GeneralExtension::key_ids_from(data).map_err(|_| {
            Failure::new(
                MIKEY_ERR_PARSE_BAD_LENGTH,
                "ext_data is not a sequence of whole Key ID entries (RFC 4563 §4)",
            )
        })?;
        let count = view.key_id_entries().count();
        let e = view.key_id_entries().nth(index).ok_or_else(|| {
            Failure::new(
                MIKEY_ERR_INDEX_OUT_OF_RANGE,
                format!("index {index}: the list has {count} entries"),
            )
        })?;
        *out = mikey_key_id_t {
            id_type: u8::from(e.id_type).into(),
            id: e.id.as_ptr(),
            id_len: e.id.len(),
        };
        Ok(())
    })
}

/// Makes this Initiator session a TESLA sender (RFC 4442): every I_MESSAGE from now on
/// carries `*policy` in an SP payload of Prot type TESLA (numbered after the SRTP
/// policies) and `initial_key` (`initial_key_len` bytes, 1..=255), the key chain's K_0, in
/// a TESLA I-Key extension. The application runs TESLA itself (RFC 4383): libsrtp has no
/// TESLA transform.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `session` or `policy` is NULL, or
/// `initial_key` is NULL with `initial_key_len` > 0; MIKEY_ERR_INVALID_ARGUMENT if a
/// field does not fit its wire field (`prf`, `mac` above 255, an output length above
/// 65535) or `has_receiver_time` is not 0 or 1; MIKEY_ERR_CONFIG if a value is out of
/// range (an unregistered function, an output length of 0, not whole bytes or above the
/// function's output, a zero interval, delay or chain length), the key is empty or above
/// 255 bytes, or the config sends the Empty CS ID map (no SP payload allowed);
/// MIKEY_ERR_WRONG_STATE on a Responder session; MIKEY_ERR_POISONED; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_set_tesla(
    session: *mut mikey_session_t,
    policy: *const mikey_tesla_policy_t,
    initial_key: *const u8,
    initial_key_len: usize,
) -> mikey_status_t {
    with_session(session, |s| {
        let p = non_null(policy, "policy")?;
        let key = byte_slice(initial_key, initial_key_len, "initial_key")?;
        let byte = |v: u32, name: &str| {
            u8::try_from(v).map_err(|_| invalid(format!("policy->{name} {v} is above 255")))
        };
        let bits = |v: u32, name: &str| {
            u16::try_from(v).map_err(|_| invalid(format!("policy->{name} {v} is above 65535")))
        };
        let tesla = TeslaPolicy {
            prf: byte(p.prf, "prf")?,
            prf_output_bits: bits(p.prf_output_bits, "prf_output_bits")?,
            mac: byte(p.mac, "mac")?,
            mac_output_bits: bits(p.mac_output_bits, "mac_output_bits")?,
            session_start: p.session_start,
            interval_ms: p.interval_ms,
            disclosure_delay: p.disclosure_delay,
            chain_length: p.chain_length,
            receiver_time: flag(p.has_receiver_time, "policy->has_receiver_time")?
                .then_some(p.receiver_time),
        };
        s.set_tesla(tesla, key).map_err(|e| error_failure(&e))
    })
}

/// The TESLA bootstrap of the I_MESSAGE that installed this Responder session's keys
/// (RFC 4442): writes its policy to `*out_policy` and copies the initial key K_0 into
/// `initial_key` (capacity `initial_key_cap`, length in `*initial_key_len`). Writes 0 to
/// `*initial_key_len` and nothing to `*out_policy` when the message carried none. The
/// library checked the policy (registered functions, lengths, non-zero schedule) and that
/// exactly one TESLA I-Key came with it; an I_MESSAGE failing that was refused with Error
/// no. 10. K_0 is not secret (TESLA discloses the chain) but authenticates it.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `session`, `out_policy` or
/// `initial_key_len` is NULL, or `initial_key` is NULL with a key to copy;
/// MIKEY_ERR_BUFFER_TOO_SMALL with the length needed in `*initial_key_len` (nothing else
/// written); MIKEY_ERR_POISONED; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_peer_tesla(
    session: *const mikey_session_t,
    out_policy: *mut mikey_tesla_policy_t,
    initial_key: *mut u8,
    initial_key_cap: usize,
    initial_key_len: *mut usize,
) -> mikey_status_t {
    read_session(session, |s| {
        let out = non_null_mut(out_policy, "out_policy")?;
        let Some(boot) = s.peer_tesla() else {
            return write_out(
                &[],
                initial_key,
                initial_key_cap,
                initial_key_len,
                "initial_key",
            );
        };
        write_out(
            &boot.initial_key,
            initial_key,
            initial_key_cap,
            initial_key_len,
            "initial_key",
        )?;
        let p = boot.policy;
        *out = mikey_tesla_policy_t {
            prf: p.prf.into(),
            prf_output_bits: p.prf_output_bits.into(),
            mac: p.mac.into(),
            mac_output_bits: p.mac_output_bits.into(),
            session_start: p.session_start,
            interval_ms: p.interval_ms,
            disclosure_delay: p.disclosure_delay,
            chain_length: p.chain_length,
            has_receiver_time: p.receiver_time.is_some().into(),
            receiver_time: p.receiver_time.unwrap_or(0),
        };
        Ok(())
    })
}

/// Writes to `*out_count` how many keys this session is keyed with, as the exchange
/// delivered them (`mikey_session_carried_key`): 0 before keys are set.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `session` or `out_count` is NULL;
/// MIKEY_ERR_POISONED; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_session_carried_key_count(
    session: *const mikey_session_t,
    out_count: *mut usize,
) -> mikey_status_t {
    read_session(session, |s| {
        *non_null_mut(out_count, "out_count")? = s.carried_keys().len();
        Ok(())
    })
}

/// Key `index` (below `mikey_session_carried_key_count`, oldest first) as the exchange
/// delivered it (a TGK or TEK the KEMAC carried, RFC 3830 §6.13; in the DH modes the TGK
/// g^(xi·xr), §3.3): its Key data type (`MIKEY_KEY_DATA_*`) in `*out_type`, the TGK or TEK in
/// `key` (capacity `key_cap`, length in `*key_len`), its salt in `salt` (capacity
/// `salt_cap`, length in `*salt_len`, 0 for the types without one). Most applications
/// take the SRTP keys (`mikey_session_srtp_key`) instead; a broadcast receiver takes the
/// key itself, e.g. an MBMS Service Key that is the pre-shared key of the traffic-key
/// messages that follow (RFC 4563). Secret: wipe both buffers after use.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `session`, `out_type`, `key_len` or
/// `salt_len` is NULL, or `key` or `salt` is NULL with bytes to copy;
/// MIKEY_ERR_INDEX_OUT_OF_RANGE; MIKEY_ERR_BUFFER_TOO_SMALL with the lengths needed in
/// `*key_len` and `*salt_len` (nothing copied); MIKEY_ERR_POISONED; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub extern "C" fn mikey_session_carried_key(
    session: *const mikey_session_t,
    index: usize,
    out_type: *mut mikey_key_data_type_t,
    key: *mut u8,
    key_cap: usize,
    key_len: *mut usize,
    salt: *mut u8,
    salt_cap: usize,
    salt_len: *mut usize,
) -> mikey_status_t {
    read_session(session, |s| {
        let out_type = non_null_mut(out_type, "out_type")?;
        let key_len = non_null_mut(key_len, "key_len")?;
        let salt_len = non_null_mut(salt_len, "salt_len")?;
        let k = element(s.carried_keys(), index, "keys")?;
        let salt_bytes: &[u8] = k.salt.as_ref().map_or(&[], |s| &s[..]);
        if k.key.len() > key_cap || salt_bytes.len() > salt_cap {
            *key_len = k.key.len();
            *salt_len = salt_bytes.len();
            return Err(Failure::new(
                MIKEY_ERR_BUFFER_TOO_SMALL,
                format!(
                    "{} key bytes and {} salt bytes needed; key_cap is {key_cap}, salt_cap {salt_cap}",
                    k.key.len(),
                    salt_bytes.len()
                ),
            ));
        }
        write_out(&k.key, key, key_cap, key_len, "key")?;
        write_out(salt_bytes, salt, salt_cap, salt_len, "salt")?;
        *out_type = u8::from(k.kind).into();
        Ok(())
    })
}

/// Persists a COUNTER value (RFC 3830 §6.6, §5.4): called with `role`
/// (`MIKEY_ROLE_INITIATOR`: a value about to be sent; `MIKEY_ROLE_RESPONDER`: a value about
/// to be accepted) and the value; returns 0 once it is stored durably, anything else if
/// not (the message is then not sent, or not accepted: MIKEY_ERR_COUNTER_STORE). Called
/// with a lock held, so the values of one config arrive in increasing order per role.
///
/// Threads and `userdata`: as `mikey_clock_fn`.
pub type mikey_counter_store_fn =
    Option<unsafe extern "C" fn(userdata: *mut c_void, role: mikey_role_t, value: u32) -> i32>;

/// Persists COUNTER timestamps across restarts, for broadcast key delivery without a
/// reliable clock (MBMS, RFC 4563; OMA BCAST, RFC 5410), where a receiver never answers and
/// must never take an old key back: `last_sent` and `last_accepted` are the values `store`
/// persisted before (0 the first time). An Initiator with `MIKEY_TS_COUNTER` numbers its
/// I_MESSAGEs from `last_sent + 1`, calling `store` before each is returned; a Responder
/// accepts a COUNTER message only above `last_accepted` and the last it accepted, calling
/// `store` before accepting it. Without this, COUNTER values are kept in memory only.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` or `store` is NULL;
/// MIKEY_ERR_WRONG_STATE if the builder is unusable after an internal error;
/// MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_counter_store(
    builder: *mut mikey_config_builder_t,
    last_sent: u32,
    last_accepted: u32,
    store: mikey_counter_store_fn,
    userdata: *mut c_void,
) -> mikey_status_t {
    let userdata = UserData(userdata);
    set(
        builder,
        || store.ok_or_else(|| super::guard::null("store")),
        move |b, f| {
            b.counter_store(
                last_sent,
                last_accepted,
                Arc::new(move |role: Role, value: u32| {
                    let role = match role {
                        Role::Initiator => super::session::MIKEY_ROLE_INITIATOR,
                        Role::Responder => super::session::MIKEY_ROLE_RESPONDER,
                    };
                    let data = &userdata;
                    // SAFETY: the caller registered a valid function and userdata.
                    unsafe { f(data.0, role, value) == 0 }
                }),
            )
        },
    )
}

/// Whether an Initiator sends the Empty CS ID map (RFC 4563 §5; default 0): the crypto
/// sessions and their policy are agreed outside MIKEY (MBMS, OMA BCAST), so the I_MESSAGE
/// carries only their number, no SSRC, ROC or SP payload. Both sides key them under the
/// SRTP default policy, AES_CM_128_HMAC_SHA1_80, with SSRC 0 and ROC 0: the offer must be
/// that profile (checked by `mikey_config_builder_build`, MIKEY_ERR_CONFIG, as is a mode
/// other than PSK or NULL). A Responder reads an Empty map whatever this says.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` is NULL;
/// MIKEY_ERR_INVALID_ARGUMENT if `empty_map` is neither 0 nor 1; MIKEY_ERR_WRONG_STATE if
/// the builder is unusable after an internal error; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_empty_cs_map(
    builder: *mut mikey_config_builder_t,
    empty_map: mikey_bool_t,
) -> mikey_status_t {
    set(
        builder,
        || flag(empty_map, "empty_map"),
        |b, v| b.empty_cs_map(v),
    )
}
