//! AES-KW-128 for the KEMAC (RFC 3830 §4.2.3): RFC 3394 key wrap with the initial value
//! A\[0\] = S, the 64-bit salt derived per §4.1.4, instead of A6A6A6A6A6A6A6A6.
//!
//! Why not the `aes-kw` crate: its wrap and unwrap fix the RFC 3394 default IV (0.2 and
//! 0.3), and the integrity check of unwrap compares against it, so an IV of S cannot be
//! used. This is the RFC 3394 §2.2.1/§2.2.2 index-based wrapping *mode* over the `aes`
//! crate's block cipher (no AES of our own).
//!
//! Padding (README, Spec readings): RFC 3394 wraps n >= 2 blocks of 64 bits and RFC 3830
//! gives no rule for Key data chains of other lengths (a chain with one 16-byte TGK is 20
//! bytes). [`wrap_key_chain`] pads with zero bytes to a multiple of 8 (at least 16); the
//! reader of the chain knows where it ends and accepts up to 7 zero bytes after it.

use aes::Aes128;
use aes::cipher::{BlockDecrypt, BlockEncrypt, KeyInit, generic_array::GenericArray};
use zeroize::{Zeroize, Zeroizing};

/// Why a wrap or unwrap failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyWrapError {
    /// The input is not n >= 2 (wrap) or n >= 3 (unwrap) blocks of 8 bytes.
    BadLength,
    /// The unwrapped initial value is not the expected IV (RFC 3394 §2.2.3).
    IntegrityCheckFailed,
}

impl std::fmt::Display for KeyWrapError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeyWrapError::BadLength => f.write_str("key wrap input length"),
            KeyWrapError::IntegrityCheckFailed => f.write_str("key wrap integrity check failed"),
        }
    }
}

impl std::error::Error for KeyWrapError {}

/// Wraps `plaintext` (n >= 2 blocks of 8 bytes) under `kek` with initial value `iv`
/// (RFC 3394 §2.2.1, index-based form). The output is 8 bytes longer.
pub fn wrap(kek: &[u8; 16], iv: &[u8; 8], plaintext: &[u8]) -> Result<Vec<u8>, KeyWrapError> {
    if plaintext.len() % 8 != 0 || plaintext.len() < 16 {
        return Err(KeyWrapError::BadLength);
    }
    let cipher = Aes128::new(GenericArray::from_slice(kek));
    let n = plaintext.len() / 8;
    let mut a = *iv;
    let mut r = Zeroizing::new(plaintext.to_vec());
    let mut block = GenericArray::from([0u8; 16]);
    for j in 0..6u64 {
        for i in 0..n {
            block[..8].copy_from_slice(&a);
            block[8..].copy_from_slice(&r[i * 8..i * 8 + 8]);
            cipher.encrypt_block(&mut block);
            let t = (n as u64) * j + (i as u64) + 1;
            for (k, b) in t.to_be_bytes().iter().enumerate() {
                a[k] = block[k] ^ b;
            }
            r[i * 8..i * 8 + 8].copy_from_slice(&block[8..]);
        }
    }
    block.as_mut_slice().zeroize();
    let mut out = Vec::with_capacity(plaintext.len() + 8);
    out.extend_from_slice(&a);
    out.extend_from_slice(&r);
    Ok(out)
}

/// Unwraps `ciphertext` (n >= 3 blocks) under `kek`, checking the initial value against
/// `iv` in constant time (RFC 3394 §2.2.2, §2.2.3). Nothing is returned on failure.
pub fn unwrap(
    kek: &[u8; 16],
    iv: &[u8; 8],
    ciphertext: &[u8],
) -> Result<Zeroizing<Vec<u8>>, KeyWrapError> {
    if ciphertext.len() % 8 != 0 || ciphertext.len() < 24 {
        return Err(KeyWrapError::BadLength);
    }
    let cipher = Aes128::new(GenericArray::from_slice(kek));
    let n = ciphertext.len() / 8 - 1;
    let mut a = [0u8; 8];
    a.copy_from_slice(&ciphertext[..8]);
    let mut r = Zeroizing::new(ciphertext[8..].to_vec());
    let mut block = GenericArray::from([0u8; 16]);
    for j in (0..6u64).rev() {
        for i in (0..n).rev() {
            let t = (n as u64) * j + (i as u64) + 1;
            for (k, b) in t.to_be_bytes().iter().enumerate() {
                block[k] = a[k] ^ b;
            }
            block[8..].copy_from_slice(&r[i * 8..i * 8 + 8]);
            cipher.decrypt_block(&mut block);
            a.copy_from_slice(&block[..8]);
            r[i * 8..i * 8 + 8].copy_from_slice(&block[8..]);
        }
    }
    block.as_mut_slice().zeroize();
    if bool::from(subtle::ConstantTimeEq::ct_eq(&a[..], &iv[..])) {
        Ok(r)
    } else {
        Err(KeyWrapError::IntegrityCheckFailed)
    }
}

/// Wraps a KEMAC Key data chain, zero-padding it to a multiple of 8 bytes (at least 16).
pub fn wrap_key_chain(kek: &[u8; 16], iv: &[u8; 8], chain: &[u8]) -> Result<Vec<u8>, KeyWrapError> {
    let padded_len = chain.len().div_ceil(8).max(2) * 8;
    let mut padded = Zeroizing::new(vec![0u8; padded_len]);
    padded[..chain.len()].copy_from_slice(chain);
    wrap(kek, iv, &padded)
}

/// Unwraps a KEMAC Encr data; the result still carries the zero padding.
pub fn unwrap_key_chain(
    kek: &[u8; 16],
    iv: &[u8; 8],
    encr_data: &[u8],
) -> Result<Zeroizing<Vec<u8>>, KeyWrapError> {
    unwrap(kek, iv, encr_data)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(s: &str) -> Vec<u8> {
        hex::decode(s.replace(' ', "")).unwrap()
    }

    const DEFAULT_IV: [u8; 8] = [0xA6; 8];

    /// RFC 3394 §4.1: 128 bits of key data with a 128-bit KEK.
    #[test]
    fn rfc3394_4_1() {
        let kek: [u8; 16] = h("000102030405060708090A0B0C0D0E0F").try_into().unwrap();
        let data = h("00112233445566778899AABBCCDDEEFF");
        let expected = h("1FA68B0A8112B447 AEF34BD8FB5A7B82 9D3E862371D2CFE5");
        assert_eq!(wrap(&kek, &DEFAULT_IV, &data).unwrap(), expected);
        assert_eq!(
            &unwrap(&kek, &DEFAULT_IV, &expected).unwrap()[..],
            &data[..]
        );
    }

    /// IV = S cross-checked with OpenSSL 3.0 (`id-aes128-wrap` takes the IV):
    /// `printf '\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff\x00\x01\x02\x03\x04\x05\x06\x07'
    ///  | openssl enc -id-aes128-wrap -K 000102030405060708090A0B0C0D0E0F -iv 0123456789ABCDEF | xxd -p`
    #[test]
    fn custom_iv_matches_openssl() {
        let kek: [u8; 16] = h("000102030405060708090A0B0C0D0E0F").try_into().unwrap();
        let iv: [u8; 8] = h("0123456789ABCDEF").try_into().unwrap();
        let data = h("00112233445566778899AABBCCDDEEFF0001020304050607");
        let wrapped = wrap(&kek, &iv, &data).unwrap();
        assert_eq!(hex::encode(&wrapped), OPENSSL_CUSTOM_IV);
        assert_eq!(&unwrap(&kek, &iv, &wrapped).unwrap()[..], &data[..]);
    }

    /// Output of the openssl command in `custom_iv_matches_openssl`.
    const OPENSSL_CUSTOM_IV: &str = include_str!("aes_kw_openssl.hex");

    #[test]
    fn wrong_iv_bit_flips_and_lengths_fail() {
        let kek = [7u8; 16];
        let iv = [1u8; 8];
        let wrapped = wrap(&kek, &iv, &[9u8; 24]).unwrap();
        assert_eq!(
            unwrap(&kek, &[2u8; 8], &wrapped).unwrap_err(),
            KeyWrapError::IntegrityCheckFailed
        );
        for bit in 0..wrapped.len() * 8 {
            let mut bad = wrapped.clone();
            bad[bit / 8] ^= 1 << (bit % 8);
            assert_eq!(
                unwrap(&kek, &iv, &bad).unwrap_err(),
                KeyWrapError::IntegrityCheckFailed
            );
        }
        assert_eq!(
            wrap(&kek, &iv, &[0; 8]).unwrap_err(),
            KeyWrapError::BadLength
        );
        assert_eq!(
            wrap(&kek, &iv, &[0; 17]).unwrap_err(),
            KeyWrapError::BadLength
        );
        assert_eq!(
            unwrap(&kek, &iv, &[0; 16]).unwrap_err(),
            KeyWrapError::BadLength
        );
        assert_eq!(
            unwrap(&kek, &iv, &[0; 25]).unwrap_err(),
            KeyWrapError::BadLength
        );
    }

    #[test]
    fn key_chain_is_padded() {
        let chain = [0x00, 0x00, 0x00, 0x10]
            .iter()
            .chain(&[5u8; 16])
            .copied()
            .collect::<Vec<_>>();
        let wrapped = wrap_key_chain(&[3; 16], &[4; 8], &chain).unwrap();
        assert_eq!(wrapped.len(), 32);
        let plain = unwrap_key_chain(&[3; 16], &[4; 8], &wrapped).unwrap();
        assert_eq!(&plain[..20], &chain[..]);
        assert_eq!(&plain[20..], [0; 4]);
    }
}
