//! `mikey`: Multimedia Internet KEYing (RFC 3830 and its extensions) with a C API.
//!
//! Layers follow the data path (see `docs/architecture.md`):
//! - [`crypto`]: primitives (PRFs, ...), knowing nothing of messages;
//! - [`wire`]: bytes ⇄ typed payloads (RFC 3830 §6 and the later payload RFCs), no crypto;
//! - [`sdp`]: the RFC 4567 carriage of MIKEY messages in SDP and RTSP;
//! - [`exchange`]: the key exchange methods (PSK and NULL), message by message, one file
//!   per method behind one trait;
//! - [`session`]: a crypto session bundle driven through an exchange, the same for every
//!   method, and its SRTP keys;
//! - [`policy`]: the SRTP policy model, profiles and negotiation;
//! - [`time`], [`replay`], [`rng`]: clocks and timestamps, the replay cache, randomness;
//! - `ffi`: the C ABI (`include/mikey.h`), the only module allowed `unsafe` code.
#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod crypto;
pub mod exchange;
pub mod mode_choice;
pub mod policy;
pub mod replay;
pub mod rng;
pub mod sdp;
pub mod session;
mod sync;
pub mod tesla;
pub mod time;
pub mod wire;

#[allow(unsafe_code)]
mod ffi;

/// The library version (`CARGO_PKG_VERSION`), also returned by `mikey_version()`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
