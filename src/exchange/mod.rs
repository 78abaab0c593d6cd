//! Key exchange modes (docs/architecture.md): message construction and verification per mode,
//! on top of [`crate::wire`] and [`crate::crypto`]. The session layer
//! ([`crate::session`]) holds the state.
//!
//! This module holds what the modes share: the transport keys of RFC 3830 §4.1.4, KEMAC
//! encryption (§4.2.3) and the MAC conventions of §5.2.

mod error;
pub(crate) mod psk;

pub use error::Error;

use crate::crypto::aes_kw;
use crate::crypto::kemac_cipher::{aes_cm_apply, kemac_iv};
use crate::crypto::mac::{MacAlgorithm, MacKey};
use crate::crypto::prf::{Inkey, Label, Prf, transport_constant};
use crate::wire::{EncrAlg, MacAlg, PrfFunc, Timestamp};
use zeroize::Zeroizing;

/// Opens a PSK or NULL-mode I_MESSAGE with the pre-shared key (RFC 3830 §5.2): verifies
/// the KEMAC MAC, then decrypts the Key data chain. `rand` is needed only for an update
/// (§4.5), which carries no RAND. The message is parsed within `limits`. The timestamp
/// and replays are not checked: this is for inspecting a message (`mikey decode --psk`),
/// not for accepting its keys — a [`crate::session::Session`] does that.
pub fn open_i_message(
    psk: Option<&[u8]>,
    bytes: &[u8],
    rand: Option<&[u8]>,
    limits: &crate::wire::Limits,
) -> Result<Vec<crate::session::CarriedKey>, Error> {
    let message = crate::wire::Message::parse_with_limits(bytes, limits)?;
    let view = psk::view_init(&message)?;
    let rand = view.rand.or(rand).ok_or(Error::MissingPayload(
        "RAND (an update needs the RAND of its CSB)",
    ))?;
    let psk = psk.map(Inkey::new);
    Ok(psk::open_with_psk(psk.as_ref(), bytes, &view, rand)?.1)
}

/// The PRF named by the HDR PRF func (RFC 3830 §6.1; RFC 6043 §6.1).
pub(crate) fn prf_of(prf: PrfFunc) -> Result<Prf, Error> {
    match prf {
        PrfFunc::Mikey1 => Ok(Prf::Mikey1),
        PrfFunc::HmacSha256 => Ok(Prf::HmacSha256),
        PrfFunc::Unknown(_) => Err(Error::UnsupportedPrf),
    }
}

/// The keyed MAC of a MAC alg; `None` for NULL.
pub(crate) fn mac_of(alg: MacAlg) -> Result<Option<MacAlgorithm>, Error> {
    match alg {
        MacAlg::Null => Ok(None),
        MacAlg::HmacSha1_160 => Ok(Some(MacAlgorithm::HmacSha1_160)),
        MacAlg::HmacSha256_256 => Ok(Some(MacAlgorithm::HmacSha256_256)),
        MacAlg::Unknown(_) => Err(Error::UnsupportedMac),
    }
}

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

/// The TS value field bytes of `t` as sent (8 bytes for NTP types, 4 for COUNTER): the
/// "Timestamp" appended to the verification MAC input (RFC 3830 §5.2).
pub(crate) fn ts_value_bytes(t: &Timestamp) -> Vec<u8> {
    let len = t.ts_type.value_len().unwrap_or(8);
    t.value.to_be_bytes()[8 - len..].to_vec()
}
