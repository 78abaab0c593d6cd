//! The panic guard, the failure type with its detail text, and the pointer helpers used by
//! every exported function.

use super::status::*;
use super::types::mikey_status_t;
use std::cell::RefCell;
use std::ffi::{CStr, CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Why a call failed: its status and a detail text for `mikey_*_error_detail` (which
/// argument, which payload, which byte offset). The detail never holds secret material.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) status: mikey_status_t,
    pub(crate) detail: String,
}

impl Failure {
    /// A failure with a detail text.
    pub(crate) fn new(status: mikey_status_t, detail: impl Into<String>) -> Failure {
        Failure {
            status,
            detail: detail.into(),
        }
    }
}

/// A bare status: a failure without detail.
impl From<mikey_status_t> for Failure {
    fn from(status: mikey_status_t) -> Failure {
        Failure {
            status,
            detail: String::new(),
        }
    }
}

/// The result of an exported function's body.
pub(crate) type FfiResult<T = ()> = Result<T, Failure>;

/// MIKEY_ERR_INVALID_ARGUMENT naming the argument and what it must be.
pub(crate) fn invalid(detail: impl Into<String>) -> Failure {
    Failure::new(MIKEY_ERR_INVALID_ARGUMENT, detail)
}

/// The detail text of a handle's last call: empty after a success, NUL-terminated, valid
/// until the next call on the handle. Used by one thread at a time, like its handle.
#[derive(Debug, Default)]
pub(crate) struct Detail(RefCell<CString>);

impl Detail {
    /// Records the outcome of a call.
    pub(crate) fn record<T>(&self, result: &FfiResult<T>) {
        let text = match result {
            Ok(_) => String::new(),
            Err(f) => f.detail.replace('\0', " "),
        };
        *self.0.borrow_mut() = CString::new(text).unwrap_or_default();
    }

    /// The text, valid until the next `record`.
    pub(crate) fn as_ptr(&self) -> *const c_char {
        self.0.borrow().as_ptr()
    }
}

/// The detail of a NULL handle: the static empty string.
pub(crate) fn no_detail() -> *const c_char {
    const EMPTY: &CStr = c"";
    EMPTY.as_ptr()
}

/// Runs `f`, turning a panic into `MIKEY_ERR_PANIC` so no unwind crosses the C boundary.
pub(crate) fn guard(f: impl FnOnce() -> FfiResult) -> mikey_status_t {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => MIKEY_OK,
        Ok(Err(failure)) => failure.status,
        Err(_) => MIKEY_ERR_PANIC,
    }
}

/// Turns a possibly-NULL pointer into a reference, or MIKEY_ERR_NULL_POINTER naming
/// the argument `name`.
pub(crate) fn non_null<'a, T>(ptr: *const T, name: &str) -> FfiResult<&'a T> {
    // SAFETY: the C caller promises a non-NULL pointer points to a live, aligned `T`
    // for the duration of the call (documented on every function).
    unsafe { ptr.as_ref() }.ok_or_else(|| null(name))
}

/// Like [`non_null`], for an output location.
pub(crate) fn non_null_mut<'a, T>(ptr: *mut T, name: &str) -> FfiResult<&'a mut T> {
    // SAFETY: as for `non_null`; the caller owns the location for the call.
    unsafe { ptr.as_mut() }.ok_or_else(|| null(name))
}

/// MIKEY_ERR_NULL_POINTER naming the argument.
pub(crate) fn null(name: &str) -> Failure {
    Failure::new(MIKEY_ERR_NULL_POINTER, format!("{name} is NULL"))
}

/// Borrows `len` bytes at `ptr` (argument `name`); NULL is accepted only when `len == 0`.
pub(crate) fn byte_slice<'a>(ptr: *const u8, len: usize, name: &str) -> FfiResult<&'a [u8]> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(Failure::new(
            MIKEY_ERR_NULL_POINTER,
            format!("{name} is NULL but its length is {len}"),
        ));
    }
    if len > isize::MAX as usize {
        return Err(invalid(format!(
            "{name}: length {len} is larger than isize::MAX"
        )));
    }
    // SAFETY: non-NULL, the caller promises `len` readable bytes; length checked above.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Element `index` of `items` (`what` names them in the detail), or
/// MIKEY_ERR_INDEX_OUT_OF_RANGE saying how many there are.
pub(crate) fn element<'a, T>(items: &'a [T], index: usize, what: &str) -> FfiResult<&'a T> {
    items.get(index).ok_or_else(|| {
        Failure::new(
            MIKEY_ERR_INDEX_OUT_OF_RANGE,
            format!("index {index}: {} {what}", items.len()),
        )
    })
}

/// Reads a `mikey_bool_t` argument: 0 or 1, anything else is refused.
pub(crate) fn flag(value: u8, name: &str) -> FfiResult<bool> {
    match value {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(invalid(format!(
            "{name} is {value}; a mikey_bool_t is 0 or 1"
        ))),
    }
}

/// Copies `data` into the caller's byte output `name` (`buf`, capacity `cap`, length
/// output `len_out`). Too small: writes the needed length and returns
/// `MIKEY_ERR_BUFFER_TOO_SMALL`; the buffer is left untouched.
pub(crate) fn write_out(
    data: &[u8],
    buf: *mut u8,
    cap: usize,
    len_out: *mut usize,
    name: &str,
) -> FfiResult {
    let len_out = non_null_mut(len_out, &format!("{name}_len"))?;
    if data.len() > cap {
        *len_out = data.len();
        return Err(Failure::new(
            MIKEY_ERR_BUFFER_TOO_SMALL,
            format!("{name}: {} bytes needed, {name}_cap is {cap}", data.len()),
        ));
    }
    if !data.is_empty() {
        if buf.is_null() {
            return Err(null(name));
        }
        // SAFETY: `buf` is non-NULL and the caller promises `cap >= data.len()` writable bytes.
        unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), buf, data.len()) };
    }
    *len_out = data.len();
    Ok(())
}
