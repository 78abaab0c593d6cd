//! Version queries, for `dlopen` users that must check what they loaded.

use std::ffi::c_char;

/// The ABI number: the SONAME major (`libmikey.so.0`). While the version is 0.x a minor
/// release may change the ABI without changing it (README "Versions and ABI"); from 1.0 on
/// it changes exactly when the ABI breaks.
pub const MIKEY_ABI_VERSION: u32 = 0;

/// Returns the library version ("MAJOR.MINOR.PATCH"), static and NUL-terminated.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_version() -> *const c_char {
    const V: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");
    V.as_ptr().cast()
}

/// Returns `MIKEY_ABI_VERSION` of the loaded library.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_abi_version() -> u32 {
    MIKEY_ABI_VERSION
}
