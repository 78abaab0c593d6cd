//! An HMAC key as ring holds it (the hash states after the key XOR ipad and XOR opad
//! blocks, RFC 2104 §2), overwritten when dropped.
//!
//! ring has no `Zeroize` for `hmac::Key`, and those states are as secret as the key:
//! with them anyone computes the MAC or PRF output. [`HmacKey`] keeps the states on the
//! heap and, on drop, assigns the states of an empty key over them in place before the
//! memory is freed; `black_box` keeps the compiler from removing that store as dead.
//! Copies ring makes on the stack while computing are out of reach, as for every
//! by-value computation.

use ring::hmac;
use std::sync::LazyLock;

/// The states of an empty HMAC-SHA-1 key, written over a dropped key's.
static BLANK_SHA1: LazyLock<hmac::Key> =
    LazyLock::new(|| hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, &[]));
/// The states of an empty HMAC-SHA-256 key, written over a dropped key's.
static BLANK_SHA256: LazyLock<hmac::Key> = LazyLock::new(|| hmac::Key::new(hmac::HMAC_SHA256, &[]));

/// The hash of an HMAC key (RFC 2104 with SHA-1 or SHA-256).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HmacHash {
    /// HMAC-SHA-1 (RFC 2104, RFC 2202).
    Sha1,
    /// HMAC-SHA-256 (RFC 4231).
    Sha256,
}

/// A keyed HMAC whose states are overwritten on drop (see the module text).
pub struct HmacKey {
    hash: HmacHash,
    key: Box<hmac::Key>,
}

impl HmacKey {
    /// Sets up the HMAC key `key` for `hash` (two compression-function calls).
    pub fn new(hash: HmacHash, key: &[u8]) -> HmacKey {
        let alg = match hash {
            HmacHash::Sha1 => hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY,
            HmacHash::Sha256 => hmac::HMAC_SHA256,
        };
        HmacKey {
            hash,
            key: Box::new(hmac::Key::new(alg, key)),
        }
    }

    /// The ring key, for `hmac::sign` and `hmac::Context::with_key`.
    pub fn ring_key(&self) -> &hmac::Key {
        &self.key
    }
}

impl Drop for HmacKey {
    fn drop(&mut self) {
        let blank = match self.hash {
            HmacHash::Sha1 => &*BLANK_SHA1,
            HmacHash::Sha256 => &*BLANK_SHA256,
        };
        *self.key = blank.clone();
        std::hint::black_box(&*self.key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 2202 §3 test_case 2 and RFC 4231 §4.3 test case 2 through the wrapper.
    #[test]
    fn signs_like_ring() {
        let k = HmacKey::new(HmacHash::Sha1, b"Jefe");
        let tag = hmac::sign(k.ring_key(), b"what do ya want for nothing?");
        assert_eq!(hex::encode(tag), "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
        let k = HmacKey::new(HmacHash::Sha256, b"Jefe");
        let tag = hmac::sign(k.ring_key(), b"what do ya want for nothing?");
        assert_eq!(
            hex::encode(tag),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
