//! `mikey`: Multimedia Internet KEYing (RFC 3830 and its extensions) with a C API.
//!
//! Layers follow the data path (see `DESIGN.md` §2):
//! - [`crypto`]: primitives (PRFs, ...), knowing nothing of messages;
//! - [`wire`]: bytes ⇄ typed payloads (RFC 3830 §6 and the later payload RFCs), no crypto;
//! - [`sdp`]: the RFC 4567 carriage of MIKEY messages in SDP and RTSP;
//! - `ffi`: the C ABI (`include/mikey.h`), the only module allowed `unsafe` code.
#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod crypto;
pub mod sdp;
pub mod wire;

#[allow(unsafe_code)]
mod ffi;

/// The library version (`CARGO_PKG_VERSION`), also returned by `mikey_version()`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
