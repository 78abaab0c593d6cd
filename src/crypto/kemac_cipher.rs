//! KEMAC encryption with AES in counter mode (RFC 3830 §4.2.3, AES-CM-256 RFC 6043 §6.2):
//! the SRTP AES-CM of RFC 3711 §4.1.1 with SRTP_PREFIX_LENGTH 0 and
//! `IV = (S XOR (0x0000 || CSB ID || T)) || 0x0000`, S the 112-bit salt of §4.1.4 and T
//! the Initiator's 64-bit timestamp.

use aes::{Aes128, Aes256};
use ctr::Ctr128BE;
use ctr::cipher::{KeyIvInit, StreamCipher};

/// Why AES-CM could not run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AesCmError {
    /// The key is neither 16 nor 32 bytes, or the salt is not 14 bytes.
    BadKeyLength,
    /// The data exceeds the 2^23 bits RFC 3830 §4.2.3 allows.
    TooLong,
}

/// Builds the counter block of RFC 3830 §4.2.3 from the 14-byte salt `s`, the CSB ID and
/// the timestamp `t` (COUNTER and NTP-UTC-32 already padded to 64 bits).
pub fn kemac_iv(s: &[u8; 14], csb_id: u32, t: u64) -> [u8; 16] {
    let mut x = [0u8; 14];
    x[2..6].copy_from_slice(&csb_id.to_be_bytes());
    x[6..14].copy_from_slice(&t.to_be_bytes());
    let mut iv = [0u8; 16];
    for (i, (a, b)) in s.iter().zip(x.iter()).enumerate() {
        iv[i] = a ^ b;
    }
    iv
}

/// XORs the AES-CM keystream for `key` (16 or 32 bytes) and counter block `iv` onto
/// `data` (encryption and decryption are the same operation).
pub fn aes_cm_apply(key: &[u8], iv: &[u8; 16], data: &mut [u8]) -> Result<(), AesCmError> {
    if data.len() > (1 << 23) / 8 {
        return Err(AesCmError::TooLong);
    }
    match key.len() {
        16 => Ctr128BE::<Aes128>::new_from_slices(key, iv)
            .map_err(|_| AesCmError::BadKeyLength)?
            .apply_keystream(data),
        32 => Ctr128BE::<Aes256>::new_from_slices(key, iv)
            .map_err(|_| AesCmError::BadKeyLength)?
            .apply_keystream(data),
        _ => return Err(AesCmError::BadKeyLength),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    /// RFC 3711 Appendix B.2: AES-CM keystream for key 2B7E1516..., IV F0F1...FD0000.
    #[test]
    fn rfc3711_b2_keystream() {
        let key = hex("2B7E151628AED2A6ABF7158809CF4F3C");
        let iv: [u8; 16] = hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000").try_into().unwrap();
        let mut ks = vec![0u8; 48];
        aes_cm_apply(&key, &iv, &mut ks).unwrap();
        assert_eq!(
            ks,
            hex(
                "E03EAD0935C95E80E166B16DD92B4EB4D23513162B02D0F72A43A2FE4A5F97AB41E95B3BB0A2E8DD477901E4FCA894C0"
            )
        );
    }

    /// The worked PSK example (tests/data/README.md): the IV and the KEMAC Encr data of the worked PSK example.
    #[test]
    fn digest_worked_example_kemac_encryption() {
        let s: [u8; 14] = hex("9b254a5159ef50f66914b8dcb920").try_into().unwrap();
        let iv = kemac_iv(&s, 0x0102_0304, 0xE8D4_A510_0000_0000);
        assert_eq!(iv.to_vec(), hex("9b254b535aebb822cc04b8dcb9200000"));
        let key = hex("28a59984636396971c362c5b9c736631");
        let mut data = hex("000000101011121314151617 18191a1b1c1d1e1f"
            .replace(' ', "")
            .as_str());
        aes_cm_apply(&key, &iv, &mut data).unwrap();
        assert_eq!(data, hex("eb4f5122395a436dc894c33481105238c729ec43"));
        aes_cm_apply(&key, &iv, &mut data).unwrap();
        assert_eq!(&data[4..], &hex("101112131415161718191a1b1c1d1e1f")[..]);
    }

    #[test]
    fn bad_key_lengths_are_refused() {
        let iv = [0u8; 16];
        assert_eq!(
            aes_cm_apply(&[0; 24], &iv, &mut [0; 4]),
            Err(AesCmError::BadKeyLength)
        );
        assert_eq!(
            aes_cm_apply(&[0; 15], &iv, &mut [0; 4]),
            Err(AesCmError::BadKeyLength)
        );
        assert!(aes_cm_apply(&[0; 32], &iv, &mut [0; 4]).is_ok());
    }
}
