//! The C ABI. Conventions (docs/architecture.md): every exported function checks its pointers,
//! runs inside a panic guard, reports a `uint32_t` status and writes outputs only on success.
//! One module per C type.

mod config;
mod guard;
mod message;
mod session;
mod status;
mod version;
