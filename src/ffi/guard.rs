//! The panic guard and pointer helpers used by every exported function.

use super::status::*;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Runs `f`, turning a panic into `MIKEY_ERR_PANIC` so no unwind crosses the C boundary.
pub(crate) fn guard(f: impl FnOnce() -> Result<(), u32>) -> u32 {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => MIKEY_OK,
        Ok(Err(status)) => status,
        Err(_) => MIKEY_ERR_PANIC,
    }
}

/// Turns a possibly-NULL pointer into a reference or `MIKEY_ERR_NULL_POINTER`.
pub(crate) fn non_null<'a, T>(ptr: *const T) -> Result<&'a T, u32> {
    // SAFETY: the C caller promises a non-NULL pointer points to a live, aligned `T`
    // for the duration of the call (documented on every function).
    unsafe { ptr.as_ref() }.ok_or(MIKEY_ERR_NULL_POINTER)
}

/// Like [`non_null`], for an output location.
pub(crate) fn non_null_mut<'a, T>(ptr: *mut T) -> Result<&'a mut T, u32> {
    // SAFETY: as for `non_null`; the caller owns the location for the call.
    unsafe { ptr.as_mut() }.ok_or(MIKEY_ERR_NULL_POINTER)
}

/// Borrows `len` bytes at `ptr`; NULL is accepted only when `len == 0`.
pub(crate) fn byte_slice<'a>(ptr: *const u8, len: usize) -> Result<&'a [u8], u32> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(MIKEY_ERR_NULL_POINTER);
    }
    if len > isize::MAX as usize {
        return Err(MIKEY_ERR_INVALID_ARGUMENT);
    }
    // SAFETY: non-NULL, the caller promises `len` readable bytes; length checked above.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Copies `data` into the caller's buffer (`buf`, capacity `cap`) and writes the length.
/// Too small: writes the needed length and returns `MIKEY_ERR_BUFFER_TOO_SMALL`;
/// the buffer is left untouched.
pub(crate) fn write_out(
    data: &[u8],
    buf: *mut u8,
    cap: usize,
    len_out: *mut usize,
) -> Result<(), u32> {
    let len_out = non_null_mut(len_out)?;
    if data.len() > cap {
        *len_out = data.len();
        return Err(MIKEY_ERR_BUFFER_TOO_SMALL);
    }
    if !data.is_empty() {
        if buf.is_null() {
            return Err(MIKEY_ERR_NULL_POINTER);
        }
        // SAFETY: `buf` is non-NULL and the caller promises `cap >= data.len()` writable bytes.
        unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), buf, data.len()) };
    }
    *len_out = data.len();
    Ok(())
}
