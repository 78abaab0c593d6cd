//! A keyed HMAC (RFC 2104 §2): the hash states after the key XOR ipad and XOR opad
//! blocks, set up once and cloned for every tag, overwritten when dropped.
//!
//! RustCrypto's `hmac` over `sha1` and `sha2`, which use the CPU's SHA extensions when it
//! has them (runtime detection) and portable code otherwise. The keyed states are as secret
//! as the key (with them anyone computes the MAC or PRF output) and the crates have no
//! `Zeroize` for them: [`HmacKey`] keeps them on the heap and, on drop, assigns the states
//! of an empty key over them in place before the memory is freed; `black_box` keeps the
//! compiler from removing that store as dead. Copies made on the stack while a tag is
//! computed are out of reach, as for every by-value computation.

use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::Sha256;

/// The hash of an HMAC key (RFC 2104 with SHA-1 or SHA-256).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HmacHash {
    /// HMAC-SHA-1 (RFC 2104, RFC 2202).
    Sha1,
    /// HMAC-SHA-256 (RFC 4231).
    Sha256,
}

impl HmacHash {
    /// The output length in bytes (20 or 32).
    pub fn output_len(self) -> usize {
        match self {
            HmacHash::Sha1 => 20,
            HmacHash::Sha256 => 32,
        }
    }
}

/// The keyed states of one hash.
#[derive(Clone)]
enum Keyed {
    Sha1(Hmac<Sha1>),
    Sha256(Hmac<Sha256>),
}

impl Keyed {
    fn new(hash: HmacHash, key: &[u8]) -> Keyed {
        // `new_from_slice` takes a key of any length (RFC 2104 §2: longer keys are hashed
        // first); it cannot fail for HMAC.
        match hash {
            HmacHash::Sha1 => Keyed::Sha1(
                <Hmac<Sha1> as Mac>::new_from_slice(key).expect("HMAC takes any key length"),
            ),
            HmacHash::Sha256 => Keyed::Sha256(
                <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length"),
            ),
        }
    }
}

/// An HMAC tag: the first [`HmacTag::len`] bytes of a 32-byte buffer.
#[derive(Clone, Copy)]
pub struct HmacTag {
    bytes: [u8; 32],
    len: usize,
}

impl HmacTag {
    /// The tag length (the hash output length).
    #[allow(clippy::len_without_is_empty)]
    pub fn len(&self) -> usize {
        self.len
    }
}

impl AsRef<[u8]> for HmacTag {
    fn as_ref(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

/// A keyed HMAC whose states are overwritten on drop (see the module text).
pub struct HmacKey {
    keyed: Box<Keyed>,
}

impl HmacKey {
    /// Sets up the HMAC key `key` for `hash` (two compression-function calls).
    pub fn new(hash: HmacHash, key: &[u8]) -> HmacKey {
        HmacKey {
            keyed: Box::new(Keyed::new(hash, key)),
        }
    }

    /// The tag over the concatenation of `parts` (no further key setup).
    pub fn sign(&self, parts: &[&[u8]]) -> HmacTag {
        let mut bytes = [0u8; 32];
        let len = match &*self.keyed {
            Keyed::Sha1(k) => {
                let mut m = k.clone();
                for p in parts {
                    m.update(p);
                }
                bytes[..20].copy_from_slice(&m.finalize().into_bytes());
                20
            }
            Keyed::Sha256(k) => {
                let mut m = k.clone();
                for p in parts {
                    m.update(p);
                }
                bytes.copy_from_slice(&m.finalize().into_bytes());
                32
            }
        };
        HmacTag { bytes, len }
    }
}

impl Drop for HmacKey {
    fn drop(&mut self) {
        let hash = match &*self.keyed {
            Keyed::Sha1(_) => HmacHash::Sha1,
            Keyed::Sha256(_) => HmacHash::Sha256,
        };
        *self.keyed = Keyed::new(hash, &[]);
        std::hint::black_box(&*self.keyed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 2202 §3 test_case 2 and RFC 4231 §4.3 test case 2, whole and in parts.
    #[test]
    fn rfc_2202_and_4231_test_case_2() {
        let k = HmacKey::new(HmacHash::Sha1, b"Jefe");
        let tag = k.sign(&[b"what do ya want for nothing?"]);
        assert_eq!(hex::encode(tag), "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
        assert_eq!(
            hex::encode(k.sign(&[b"what do ya ", b"", b"want for nothing?"])),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
        );
        let k = HmacKey::new(HmacHash::Sha256, b"Jefe");
        let tag = k.sign(&[b"what do ya want for nothing?"]);
        assert_eq!(tag.len(), HmacHash::Sha256.output_len());
        assert_eq!(
            hex::encode(tag),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    /// RFC 2202 §3 test_case 6: a key longer than the block size is hashed first.
    #[test]
    fn rfc_2202_test_case_6_long_key() {
        let k = HmacKey::new(HmacHash::Sha1, &[0xaa; 80]);
        let tag = k.sign(&[b"Test Using Larger Than Block-Size Key - Hash Key First"]);
        assert_eq!(hex::encode(tag), "aa4ae5e15272d00e95705637ce8a3b55ed402112");
    }
}
