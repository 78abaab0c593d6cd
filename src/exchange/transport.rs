//! The MIKEY transport keys (RFC 3830 §4.1.4): encr_key, salt_key and auth_key derived
//! from a pre-shared key or an envelope key, and what they do to a message: KEMAC
//! encryption (§4.2.3, RFC 3394 for AES-KW) and the MAC of KEMAC and V payloads (§4.2.4).

use super::{Error, mac_of, prf_of};
use crate::crypto::aes_kw;
use crate::crypto::kemac_cipher::{aes_cm_apply, kemac_iv};
use crate::crypto::mac::{MacAlgorithm, MacKey};
use crate::crypto::prf::{Inkey, Label, transport_constant};
use crate::wire::{EncrAlg, MacAlg, PrfFunc, Timestamp};
use zeroize::Zeroizing;

/// Encryption key and salt lengths of a KEMAC Encr alg (RFC 3830 §4.2.3; RFC 6043 §6.2).
fn encr_lengths(alg: EncrAlg) -> Result<(usize, usize), Error> {
    match alg {
        EncrAlg::Null => Ok((0, 0)),
        EncrAlg::AesCm128 => Ok((16, 14)),
        EncrAlg::AesKw128 => Ok((16, 8)),
        EncrAlg::AesCm256 => Ok((32, 14)),
        EncrAlg::Unknown(_) => Err(Error::UnsupportedEncryption),
    }
}

/// The MIKEY transport keys (RFC 3830 §4.1.4) derived from a PSK or envelope key.
pub(crate) struct TransportKeys {
    encr: Zeroizing<Vec<u8>>,
    salt: Zeroizing<Vec<u8>>,
    /// auth_key, set up for the MAC algorithm; `None` for NULL.
    mac: Option<MacKey>,
    encr_alg: EncrAlg,
}

impl TransportKeys {
    /// Derives encr_key, salt_key and auth_key from `inkey` with the label
    /// `constant || 0xFF || csb_id || RAND`, at the lengths the algorithms need. With
    /// NULL algorithms nothing is derived and `inkey` may be absent.
    pub fn derive(
        prf: PrfFunc,
        inkey: Option<&Inkey>,
        csb_id: u32,
        rand: &[u8],
        encr_alg: EncrAlg,
        mac_alg: MacAlg,
    ) -> Result<TransportKeys, Error> {
        let (encr_len, salt_len) = encr_lengths(encr_alg)?;
        let mac = mac_of(mac_alg)?;
        let prf = prf_of(prf)?;
        let auth_len = mac.map_or(0, |m| m.key_len());
        // NULL algorithms derive nothing and need no key.
        let key = if encr_len + salt_len + auth_len == 0 {
            None
        } else {
            let inkey = inkey.ok_or(Error::Config("no pre-shared key"))?;
            Some(
                inkey
                    .keyed(prf)
                    .map_err(|_| Error::Config("empty pre-shared key"))?,
            )
        };
        let mut label = Label::transport(csb_id, rand);
        let mut derive = |constant: u32, len: usize| match key {
            Some(key) if len > 0 => key.derive(label.with(constant), len),
            _ => Zeroizing::new(Vec::new()),
        };
        Ok(TransportKeys {
            encr: derive(transport_constant::ENCR, encr_len),
            salt: derive(transport_constant::SALT, salt_len),
            mac: mac.map(|m| m.key(&derive(transport_constant::AUTH, auth_len))),
            encr_alg,
        })
    }

    /// Encrypts a Key data chain for the KEMAC (RFC 3830 §4.2.3).
    pub fn encrypt(&self, csb_id: u32, t: &Timestamp, plain: &[u8]) -> Result<Vec<u8>, Error> {
        match self.encr_alg {
            EncrAlg::Null => Ok(plain.to_vec()),
            EncrAlg::AesKw128 => aes_kw::wrap_key_chain(self.kw_key(), self.kw_iv(), plain)
                .map_err(|_| Error::BadKeyData("key chain cannot be wrapped")),
            _ => {
                let mut data = plain.to_vec();
                aes_cm_apply(&self.encr, &self.cm_iv(csb_id, t), &mut data)
                    .map_err(|_| Error::BadKeyData("key chain too long"))?;
                Ok(data)
            }
        }
    }

    /// Decrypts KEMAC Encr data. Call only after the MAC verified.
    pub fn decrypt(
        &self,
        csb_id: u32,
        t: &Timestamp,
        encr_data: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, Error> {
        match self.encr_alg {
            EncrAlg::Null => Ok(Zeroizing::new(encr_data.to_vec())),
            EncrAlg::AesKw128 => aes_kw::unwrap_key_chain(self.kw_key(), self.kw_iv(), encr_data)
                .map_err(|_| Error::BadKeyData("AES-KW integrity check failed")),
            _ => {
                let mut data = Zeroizing::new(encr_data.to_vec());
                aes_cm_apply(&self.encr, &self.cm_iv(csb_id, t), &mut data)
                    .map_err(|_| Error::BadKeyData("Encr data too long"))?;
                Ok(data)
            }
        }
    }

    fn cm_iv(&self, csb_id: u32, t: &Timestamp) -> [u8; 16] {
        let mut s = [0u8; 14];
        s.copy_from_slice(&self.salt);
        kemac_iv(&s, csb_id, t.value)
    }

    fn kw_key(&self) -> &[u8; 16] {
        self.encr
            .as_slice()
            .try_into()
            .expect("AES-KW-128 key is derived at 16 bytes")
    }

    fn kw_iv(&self) -> &[u8; 8] {
        self.salt
            .as_slice()
            .try_into()
            .expect("AES-KW salt is derived at 8 bytes")
    }

    /// The KEMAC encryption algorithm of these keys.
    pub fn encr_alg(&self) -> EncrAlg {
        self.encr_alg
    }

    /// The MAC length in bytes (0 for NULL).
    pub fn tag_len(&self) -> usize {
        self.mac.as_ref().map_or(0, |m| m.algorithm().tag_len())
    }

    /// The MAC over the concatenation of `parts` (empty for NULL).
    pub fn sign(&self, parts: &[&[u8]]) -> Vec<u8> {
        self.mac.as_ref().map_or(Vec::new(), |m| m.sign(parts))
    }

    /// Verifies `tag` in constant time (NULL: the tag must be empty).
    pub fn verify(&self, parts: &[&[u8]], tag: &[u8]) -> Result<(), Error> {
        match &self.mac {
            None if tag.is_empty() => Ok(()),
            None => Err(Error::AuthFailed),
            Some(m) => m.verify(parts, tag).map_err(|_| Error::AuthFailed),
        }
    }

    /// The MAC algorithm of these keys; `None` for NULL.
    pub fn mac_algorithm(&self) -> Option<MacAlgorithm> {
        self.mac.as_ref().map(MacKey::algorithm)
    }
}

impl TransportKeys {
    /// The MAC alg codepoint these keys authenticate with.
    pub fn mac_alg(&self) -> MacAlg {
        match self.mac_algorithm() {
            None => MacAlg::Null,
            Some(crate::crypto::mac::MacAlgorithm::HmacSha1_160) => MacAlg::HmacSha1_160,
            Some(crate::crypto::mac::MacAlgorithm::HmacSha256_256) => MacAlg::HmacSha256_256,
        }
    }
}
