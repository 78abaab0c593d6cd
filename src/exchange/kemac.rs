//! The KEMAC's Encr data (RFC 3830 §6.2, §6.13): the chain of Key data sub-payloads (PK
//! mode: led by the Initiator's ID, §3.2), encrypted with the transport keys (§4.2.3).

use super::{CarriedKey, Error, TransportKeys};
use crate::wire::{
    EncrAlg, KeyChainItem, KeyData, PayloadType, Timestamp, encode_key_chain, parse_key_chain,
    parse_key_chain_prefix,
};
use std::borrow::Cow;
use zeroize::Zeroizing;

/// The Encr data of a KEMAC carrying `keys`, encrypted for CSB `csb_id` at `t`.
pub(crate) fn seal_keys(
    tk: &TransportKeys,
    csb_id: u32,
    t: &Timestamp,
    keys: &[CarriedKey],
) -> Result<Vec<u8>, Error> {
    let items: Vec<KeyChainItem<'_>> = keys
        .iter()
        .map(|k| {
            KeyChainItem::KeyData(KeyData {
                key_type: k.kind,
                key: Cow::Borrowed(&k.key),
                salt: k.salt.as_ref().map(|s| Cow::Borrowed(&s[..])),
                kv: k.kv.clone(),
            })
        })
        .collect();
    let plain = Zeroizing::new(encode_key_chain(&items)?);
    tk.encrypt(csb_id, t, &plain)
}

/// Decrypts the Encr data of a KEMAC whose MAC verified and returns its keys. A chain
/// with an ID sub-payload is refused (the methods here carry none).
pub(crate) fn open_keys(
    tk: &TransportKeys,
    csb_id: u32,
    t: &Timestamp,
    encr_data: &[u8],
) -> Result<Vec<CarriedKey>, Error> {
    let plain = tk.decrypt(csb_id, t, encr_data)?;
    let items = parse_chain(&plain, tk.encr_alg())?;
    let mut keys = Vec::with_capacity(items.len());
    for item in &items {
        match item {
            KeyChainItem::KeyData(k) => keys.push(CarriedKey::from_key_data(k)?),
            KeyChainItem::Id(_) => return Err(Error::BadKeyData("ID in a PSK key chain")),
        }
    }
    Ok(keys)
}

/// Parses the decrypted Key data chain. AES-KW plaintexts are zero-padded to a multiple
/// of 8 bytes (see [`crate::crypto::aes_kw`]); the chain ends where its last sub-payload
/// ends, so up to 7 zero bytes after it are padding.
fn parse_chain(plain: &[u8], alg: EncrAlg) -> Result<Vec<KeyChainItem<'_>>, Error> {
    let malformed = |_| Error::BadKeyData("malformed Key data chain");
    if alg != EncrAlg::AesKw128 {
        return parse_key_chain(plain, PayloadType::KeyData, 0).map_err(malformed);
    }
    let (items, end) = parse_key_chain_prefix(plain, PayloadType::KeyData, 0).map_err(malformed)?;
    let padding = &plain[end..];
    // A chain shorter than 9 bytes (e.g. the empty chain of an update) is padded to the
    // 16-byte minimum of RFC 3394, so more than 7 bytes of padding occur only then.
    let max_padding = if plain.len() == 16 { 16 } else { 7 };
    if padding.len() > max_padding || padding.iter().any(|b| *b != 0) {
        return Err(Error::BadKeyData("AES-KW padding"));
    }
    Ok(items)
}
