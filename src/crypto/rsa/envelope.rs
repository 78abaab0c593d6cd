//! The PKE payload's envelope key encryption (RFC 3830 §4.2.5, §3.2: PKE = E(PKr,
//! env_key); RFC 4738 §3.6: PKE = E(PKi, env_key)) with RSAES-PKCS1-v1_5 (RFC 8017 §7.2).
//!
//! Decryption uses implicit rejection against Bleichenbacher-style padding oracles
//! (RFC 8017 §7.2.2 note): a ciphertext that does not decrypt yields caller-chosen random
//! bytes instead of an error, so the failure shows later, as the KEMAC's MAC failure
//! (RFC 3830 §5.3), exactly like a well-padded but wrong envelope key.

use super::{RsaError, RsaPrivateKey, RsaPublicKey};
use aws_lc_rs::rsa::Pkcs1PublicEncryptingKey;
use subtle::{Choice, ConditionallySelectable};
use zeroize::Zeroizing;

impl RsaPublicKey {
    /// Encrypts `plaintext` (the envelope key) for the holder of this key with
    /// RSAES-PKCS1-v1_5 (RFC 8017 §7.2.1). The ciphertext is [`RsaPublicKey::modulus_len`]
    /// bytes; the random padding comes from AWS-LC's OS-seeded generator. At most
    /// `modulus_len - 11` bytes can be encrypted ([`RsaError::PlaintextTooLong`]).
    pub fn encrypt_envelope(&self, plaintext: &[u8]) -> Result<Vec<u8>, RsaError> {
        let key = Pkcs1PublicEncryptingKey::new(self.encrypting.clone())
            .map_err(|_| RsaError::Backend)?;
        let max = key.max_plaintext_size();
        if plaintext.len() > max {
            return Err(RsaError::PlaintextTooLong {
                len: plaintext.len(),
                max,
            });
        }
        let mut ciphertext = vec![0u8; key.ciphertext_size()];
        let len = key
            .encrypt(plaintext, &mut ciphertext)
            .map_err(|_| RsaError::Backend)?
            .len();
        ciphertext.truncate(len);
        Ok(ciphertext)
    }
}

impl RsaPrivateKey {
    /// Opens a PKE envelope: RSAES-PKCS1-v1_5 decryption (RFC 8017 §7.2.2) with implicit
    /// rejection. Returns the plaintext when `ciphertext` decrypts with valid padding, and
    /// otherwise a copy of `fallback`, which the caller fills with fresh random bytes of
    /// the envelope key length it expects. There is no error and no early exit: a bad
    /// envelope surfaces as the KEMAC's MAC failure. The choice between the two is made in
    /// constant time (`subtle`); a ciphertext of the wrong length (public information)
    /// skips the private-key operation and yields the fallback.
    ///
    /// Limits, and what the caller does about them:
    /// - AWS-LC itself reports bad padding as an error, after a constant-time check; its
    ///   error path (recording the error) takes slightly different time from the success
    ///   path. Verify the message's signature (RFC 3830 §5.3: SIGNi before anything else;
    ///   RFC 4738 §3.7: SIGNr) before calling this, so only an authenticated peer's
    ///   ciphertexts reach it.
    /// - The result has the plaintext's length when the padding is valid: a peer's valid
    ///   envelope key of another length than `fallback` is returned as it is.
    pub fn decrypt_envelope(&self, ciphertext: &[u8], fallback: &[u8]) -> Zeroizing<Vec<u8>> {
        let mut decrypted = Zeroizing::new(vec![0u8; self.decrypting.min_output_size()]);
        let (valid, len) = if ciphertext.len() == self.modulus_len() {
            match self.decrypting.decrypt(ciphertext, &mut decrypted) {
                Ok(plaintext) => (Choice::from(1), plaintext.len()),
                Err(_) => (Choice::from(0), 0),
            }
        } else {
            (Choice::from(0), 0)
        };
        select(valid, &decrypted, len, fallback)
    }
}

/// `decrypted[..len]` if `valid`, else `fallback`, without a branch or an index on
/// `valid`: every byte of both buffers is read and the result is selected byte by byte.
fn select(valid: Choice, decrypted: &[u8], len: usize, fallback: &[u8]) -> Zeroizing<Vec<u8>> {
    let n = decrypted.len().max(fallback.len());
    let mut out = Zeroizing::new(vec![0u8; n]);
    for (i, byte) in out.iter_mut().enumerate() {
        let d = decrypted.get(i).copied().unwrap_or(0);
        let f = fallback.get(i).copied().unwrap_or(0);
        *byte = u8::conditional_select(&f, &d, valid);
    }
    let out_len = u64::conditional_select(&(fallback.len() as u64), &(len as u64), valid);
    out.truncate(out_len as usize);
    out
}

#[cfg(test)]
mod tests {
    use super::super::testkeys::*;
    use super::*;

    const FALLBACK: [u8; 32] = [0xa5; 32];

    #[test]
    fn round_trip() {
        let (key, public) = (key(), public());
        for plaintext in [&b""[..], &[7u8; 16], &[0u8; 32], &[0xff; 245]] {
            let ciphertext = public.encrypt_envelope(plaintext).unwrap();
            assert_eq!(ciphertext.len(), 256);
            assert_eq!(&key.decrypt_envelope(&ciphertext, &FALLBACK)[..], plaintext);
        }
    }

    #[test]
    fn encryption_is_randomized() {
        let public = public();
        assert_ne!(
            public.encrypt_envelope(ENVELOPE_KEY).unwrap(),
            public.encrypt_envelope(ENVELOPE_KEY).unwrap()
        );
    }

    #[test]
    fn plaintext_longer_than_k_minus_11_is_refused() {
        assert_eq!(
            public().encrypt_envelope(&[0u8; 246]),
            Err(RsaError::PlaintextTooLong { len: 246, max: 245 })
        );
    }

    #[test]
    fn openssl_envelope_opens() {
        assert_eq!(
            &key().decrypt_envelope(ENVELOPE, &FALLBACK)[..],
            ENVELOPE_KEY
        );
    }

    #[test]
    fn valid_padding_returns_the_plaintext_whatever_the_fallback_length() {
        let ciphertext = public().encrypt_envelope(&[1u8; 16]).unwrap();
        assert_eq!(
            &key().decrypt_envelope(&ciphertext, &[9u8; 40])[..],
            &[1u8; 16]
        );
        assert_eq!(&key().decrypt_envelope(&ciphertext, &[])[..], &[1u8; 16]);
    }

    #[test]
    fn bad_padding_returns_the_fallback() {
        let key = key();
        // The wrong key: ENVELOPE decrypts under it to bytes without the 00 02 padding.
        assert_eq!(
            &other_key().decrypt_envelope(ENVELOPE, &FALLBACK)[..],
            &FALLBACK
        );
        let mut flipped = ENVELOPE.to_vec();
        flipped[100] ^= 0x10;
        assert_eq!(&key.decrypt_envelope(&flipped, &FALLBACK)[..], &FALLBACK);
        // c = 1 decrypts to m = 1: no padding at all.
        let mut one = [0u8; 256];
        one[255] = 1;
        assert_eq!(&key.decrypt_envelope(&one, &FALLBACK)[..], &FALLBACK);
        // c >= n: not a ciphertext.
        assert_eq!(
            &key.decrypt_envelope(&[0xff; 256], &FALLBACK)[..],
            &FALLBACK
        );
        // A fallback longer than the modulus comes back whole.
        assert_eq!(&key.decrypt_envelope(&one, &[3u8; 300])[..], &[3u8; 300]);
    }

    #[test]
    fn a_ciphertext_of_the_wrong_length_returns_the_fallback() {
        let key = key();
        let mut longer = vec![0u8];
        longer.extend_from_slice(ENVELOPE);
        for ciphertext in [&[][..], &ENVELOPE[..255], &ENVELOPE[1..], &longer] {
            assert_eq!(&key.decrypt_envelope(ciphertext, &FALLBACK)[..], &FALLBACK);
        }
    }

    #[test]
    fn select_picks_by_the_choice_only() {
        let decrypted = [1u8, 2, 3, 4, 0, 0];
        let fallback = [9u8; 3];
        assert_eq!(
            &select(Choice::from(1), &decrypted, 4, &fallback)[..],
            &[1, 2, 3, 4]
        );
        assert_eq!(
            &select(Choice::from(1), &decrypted, 0, &fallback)[..],
            &[] as &[u8]
        );
        assert_eq!(
            &select(Choice::from(0), &decrypted, 4, &fallback)[..],
            &fallback
        );
        assert_eq!(
            &select(Choice::from(0), &decrypted, 4, &[8u8; 8])[..],
            &[8u8; 8]
        );
    }

    #[test]
    fn the_largest_key_opens_envelopes() {
        let key = RsaPrivateKey::from_pem(RSA8192_PK8_PEM).unwrap();
        let ciphertext = key.public_key().encrypt_envelope(ENVELOPE_KEY).unwrap();
        assert_eq!(ciphertext.len(), 1024);
        assert_eq!(
            &key.decrypt_envelope(&ciphertext, &FALLBACK)[..],
            ENVELOPE_KEY
        );
    }
}
