//! The hash floor of an exchange: what one SHA-1 (or SHA-256) compression of a 64-byte
//! block costs in OpenSSL's libcrypto (Debian libssl-dev, through the `openssl` crate, a
//! bench- and test-only dependency) on this CPU, with whatever SHA extensions libcrypto
//! uses. An exchange that computes n compressions cannot take less than n times this.
//!
//! One compression is measured as the time to hash 256 blocks (16 KiB, plus one padding
//! block) divided by 257: a single 64-byte message would add the padding block and the
//! call overhead to every figure.

use openssl::sha::{Sha1, Sha256};

/// The bytes hashed per measurement: 256 blocks.
const DATA: [u8; 256 * 64] = [0x5A; 256 * 64];

/// Blocks compressed per measurement: the data and its padding block.
const BLOCKS: f64 = 257.0;

/// Which hash.
#[derive(Clone, Copy, Debug)]
pub enum FloorHash {
    /// SHA-1 (MIKEY-1, HMAC-SHA-1).
    Sha1,
    /// SHA-256 (PRF-HMAC-SHA-256, HMAC-SHA-256, the replay-cache key).
    Sha256,
}

/// Hashes the 256 blocks once with libcrypto (call it in a timed loop; divide by
/// [`blocks_per_call`]).
pub fn hash_blocks(hash: FloorHash) {
    match hash {
        FloorHash::Sha1 => {
            let mut h = Sha1::new();
            h.update(std::hint::black_box(&DATA));
            std::hint::black_box(h.finish());
        }
        FloorHash::Sha256 => {
            let mut h = Sha256::new();
            h.update(std::hint::black_box(&DATA));
            std::hint::black_box(h.finish());
        }
    }
}

/// Compressions per [`hash_blocks`] call.
pub fn blocks_per_call() -> f64 {
    BLOCKS
}
