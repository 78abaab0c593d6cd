//! The Diffie-Hellman modes' settings on `mikey_config_builder_t` (RFC 3830 §3.3, §4.2.7;
//! RFC 4650) and the ECC profile of DH-SIGN (RFC 5197 §4.1, draft-ietf-msec-mikey-ecc-03
//! §2-3): the group, the profile switch and the ECDSA key.

use super::codepoints::{
    MIKEY_DH_OAKLEY_1, MIKEY_DH_OAKLEY_2, MIKEY_DH_OAKLEY_5, MIKEY_DH_P256, MIKEY_DH_P384,
};
use super::config::{mikey_config_builder_t, set};
use super::credentials::private_key;
use super::guard::{flag, invalid};
use super::types::*;
use crate::crypto::dh::{FfdhGroup, Group};
use crate::crypto::ec::{EcCurve, EcSigningKey};

/// The DH group of `MIKEY_MODE_DH_SIGN` and `MIKEY_MODE_DH_HMAC` (RFC 3830 §4.2.7, Table
/// 6.4): `MIKEY_DH_OAKLEY_5` (1536 bits, the default and the one every implementation
/// supports), `MIKEY_DH_OAKLEY_2` (1024 bits) or `MIKEY_DH_OAKLEY_1` (768 bits, weak:
/// only for old peers); in DH-SIGN with the ECC profile enabled
/// (`mikey_config_builder_set_ecc_profile`), `MIKEY_DH_P256` or `MIKEY_DH_P384` (ECDH,
/// draft-ietf-msec-mikey-ecc-03 §3; `mikey_config_builder_build` refuses them otherwise).
/// An Initiator offers it; a Responder accepts only it (another group is refused with
/// MIKEY_ERR_UNSUPPORTED_DH_GROUP, Error no. 6).
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
            MIKEY_DH_OAKLEY_5 => Ok(Group::Ffdh(FfdhGroup::Oakley5)),
            MIKEY_DH_OAKLEY_1 => Ok(Group::Ffdh(FfdhGroup::Oakley1)),
            MIKEY_DH_OAKLEY_2 => Ok(Group::Ffdh(FfdhGroup::Oakley2)),
            MIKEY_DH_P256 => Ok(Group::Ecdh(EcCurve::P256)),
            MIKEY_DH_P384 => Ok(Group::Ecdh(EcCurve::P384)),
            _ => Err(invalid(format!(
                "group {group} is not a MIKEY_DH_OAKLEY_* or MIKEY_DH_P*"
            ))),
        },
        |b, g| b.dh_group(g),
    )
}

/// Enables (1) or disables (0, the default) the ECC profile of DH-SIGN (RFC 5197 §4.1,
/// draft-ietf-msec-mikey-ecc-03 §2-3): ECDH groups `MIKEY_DH_P256` and `MIKEY_DH_P384`,
/// and ECDSA signatures (SIGN S type 2) by P-256 and P-384 certificates. The draft expired
/// and its codepoints were never registered; S type 2 is registered to ECCSI (RFC 6509),
/// so with the profile off a SIGN of S type 2 is refused
/// (MIKEY_ERR_UNSUPPORTED_SIGNATURE), and with it on S type 2 is read as ECDSA only from
/// an EC certificate and an `r || s` signature of its curve's size: an ECCSI signature
/// never is.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` is NULL;
/// MIKEY_ERR_INVALID_ARGUMENT if `enabled` is neither 0 nor 1; MIKEY_ERR_WRONG_STATE if
/// the builder is unusable after an internal error; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_ecc_profile(
    builder: *mut mikey_config_builder_t,
    enabled: mikey_bool_t,
) -> mikey_status_t {
    set(
        builder,
        || flag(enabled, "enabled"),
        |b, e| b.ecc_profile(e),
    )
}

/// Sets this endpoint's ECDSA private key on P-256 or P-384 (ECC profile, DH-SIGN): PKCS#8
/// or SEC 1, DER or PEM (`PRIVATE KEY` or `EC PRIVATE KEY`). It signs in place of an RSA
/// key (a config holds one or the other) with SHA-256 on P-256 and SHA-384 on P-384
/// (draft-ietf-msec-mikey-ecc-03 §2); its certificate chain is set with
/// `mikey_config_builder_set_certificate_chain`. Copied; freed with the config.
/// `mikey_config_builder_build` refuses it without the ECC profile or in another mode.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` is NULL, or `key` is NULL with
/// `key_len` > 0; MIKEY_ERR_INVALID_ARGUMENT if `key_len` is 0; MIKEY_ERR_BAD_CREDENTIAL if
/// the bytes are not such a key; MIKEY_ERR_WRONG_STATE if the builder is unusable after an
/// internal error; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_ec_private_key(
    builder: *mut mikey_config_builder_t,
    key: *const u8,
    key_len: usize,
) -> mikey_status_t {
    set(
        builder,
        || private_key(key, key_len, EcSigningKey::from_pem, EcSigningKey::from_der),
        |b, k| b.ec_private_key(k),
    )
}
