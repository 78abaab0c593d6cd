//! The Diffie-Hellman modes' setting on `mikey_config_builder_t` (RFC 3830 §3.3, §4.2.7;
//! RFC 4650).

use super::codepoints::{MIKEY_DH_OAKLEY_1, MIKEY_DH_OAKLEY_2, MIKEY_DH_OAKLEY_5};
use super::config::{mikey_config_builder_t, set};
use super::guard::invalid;
use super::types::*;
use crate::crypto::dh::FfdhGroup;

/// The DH group of `MIKEY_MODE_DH_SIGN` and `MIKEY_MODE_DH_HMAC` (RFC 3830 §4.2.7, Table
/// 6.4): `MIKEY_DH_OAKLEY_5` (1536 bits, the default and the one every implementation
/// supports), `MIKEY_DH_OAKLEY_2` (1024 bits) or `MIKEY_DH_OAKLEY_1` (768 bits, weak:
/// only for old peers). An Initiator offers it; a Responder accepts only it (another group
/// is refused with MIKEY_ERR_UNSUPPORTED_DH_GROUP, Error no. 6).
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` is NULL;
/// MIKEY_ERR_INVALID_ARGUMENT for another `group`; MIKEY_ERR_WRONG_STATE if the builder is
/// unusable after an internal error; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_dh_group(
    builder: *mut mikey_config_builder_t,
    group: mikey_dh_group_t,
) -> mikey_status_t {
    set(
        builder,
        || match group {
            MIKEY_DH_OAKLEY_5 => Ok(FfdhGroup::Oakley5),
            MIKEY_DH_OAKLEY_1 => Ok(FfdhGroup::Oakley1),
            MIKEY_DH_OAKLEY_2 => Ok(FfdhGroup::Oakley2),
            _ => Err(invalid(format!("group {group} is not a MIKEY_DH_OAKLEY_*"))),
        },
        |b, g| b.dh_group(g),
    )
}
