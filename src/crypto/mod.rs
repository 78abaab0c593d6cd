//! Cryptographic primitives of MIKEY, behind small functions (docs/architecture.md). Knows
//! nothing of messages. Every secret output is zeroized on drop.

pub mod aes_kw;
pub mod cert;
pub mod dh;
pub mod ec;
pub mod hmac_key;
pub mod kemac_cipher;
pub mod mac;
pub mod prf;
pub mod rsa;
