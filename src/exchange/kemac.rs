//! The KEMAC's Encr data (RFC 3830 §6.2, §6.13): the chain of Key data sub-payloads (PK
//! mode: led by the Initiator's ID, §3.2), encrypted with the transport keys (§4.2.3).

use super::{CarriedKey, Error, TransportKeys};
use crate::wire::{
    EncrAlg, Id, IdType, KeyChainItem, KeyData, PayloadType, Timestamp, encode_key_chain,
    parse_key_chain, parse_key_chain_prefix,
};
use crate::wire::{Kemac, Layout, Limits, Message, Payload};
use std::borrow::Cow;
use zeroize::Zeroizing;

/// The KEMAC of a PSK, NULL or DH-HMAC message, which must be its last payload and its
/// only KEMAC (RFC 3830 §3.1, RFC 4650 §3: one KEMAC ends the message). A second KEMAC is
/// never read, so a message holding one is malformed and refused (Error no. 12) rather
/// than keyed by one of two.
pub(crate) fn last_kemac<'m, 'a>(message: &'m Message<'a>) -> Result<&'m Kemac<'a>, Error> {
    check_one_kemac(message)?;
    match message.payloads.last() {
        Some(Payload::Kemac(k)) => Ok(k),
        _ if message
            .payloads
            .iter()
            .any(|p| matches!(p, Payload::Kemac(_))) =>
        {
            Err(Error::MissingPayload("KEMAC as the last payload"))
        }
        _ => Err(Error::MissingPayload("KEMAC")),
    }
}

/// At most one KEMAC payload in `message` (RFC 3830 §3: every exchange message carries one
/// or none).
pub(crate) fn check_one_kemac(message: &Message<'_>) -> Result<(), Error> {
    let count = message
        .payloads
        .iter()
        .filter(|p| matches!(p, Payload::Kemac(_)))
        .count();
    if count > 1 {
        return Err(Error::MissingPayload("one KEMAC (the message has several)"));
    }
    Ok(())
}

/// The Encr data of a KEMAC carrying `keys`, encrypted for CSB `csb_id` at `t`, led by
/// the sender's ID in the public-key methods (`lead`: RFC 3830 §3.2, §6.2).
pub(crate) fn seal_keys(
    tk: &TransportKeys,
    csb_id: u32,
    t: &Timestamp,
    lead: Option<(IdType, &[u8])>,
    keys: &[CarriedKey],
) -> Result<Vec<u8>, Error> {
    let lead = lead.map(|(id_type, data)| {
        KeyChainItem::Id(Id {
            id_type,
            data: Cow::Borrowed(data),
        })
    });
    let items: Vec<KeyChainItem<'_>> = lead
        .into_iter()
        .chain(keys.iter().map(|k| {
            KeyChainItem::KeyData(KeyData {
                key_type: k.kind,
                key: Cow::Borrowed(&k.key),
                salt: k.salt.as_ref().map(|s| Cow::Borrowed(&s[..])),
                kv: k.kv.clone(),
            })
        }))
        .collect();
    let plain = Zeroizing::new(encode_key_chain(&items)?);
    tk.encrypt(csb_id, t, &plain)
}

/// The ID that leads the key chain of a public-key method, as (type, data).
pub(crate) type LeadingId = (IdType, Vec<u8>);

/// Decrypts the Encr data of a KEMAC whose MAC verified and returns its keys, with the ID
/// that leads the chain when `led` (the public-key methods: RFC 3830 §3.2, §6.2; even an
/// update without keys carries it). Any other ID sub-payload is refused.
pub(crate) fn open_keys(
    tk: &TransportKeys,
    csb_id: u32,
    t: &Timestamp,
    encr_data: &[u8],
    led: bool,
) -> Result<(Option<LeadingId>, Vec<CarriedKey>), Error> {
    // With AES-KW and the NULL MAC (the public-key methods, RFC 3830 §4.2.3) the key wrap's
    // integrity check is all that authenticates the chain: a chain that does not unwrap is
    // an authentication failure, the same as a wrong MAC (and as a PKE that does not open).
    let unauthenticated = tk.tag_len() == 0 && tk.encr_alg() == EncrAlg::AesKw128;
    let plain = tk.decrypt(csb_id, t, encr_data).map_err(|e| {
        if unauthenticated {
            Error::AuthFailed
        } else {
            e
        }
    })?;
    let first = if led {
        PayloadType::Id
    } else {
        PayloadType::KeyData
    };
    let items = parse_chain(&plain, first, tk.encr_alg())?;
    let mut lead = None;
    let mut keys = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match item {
            KeyChainItem::KeyData(k) => keys.push(CarriedKey::from_key_data(k)?),
            KeyChainItem::Id(id) if led && i == 0 => {
                lead = Some((id.id_type, id.data.to_vec()));
            }
            KeyChainItem::Id(_) => {
                return Err(Error::BadKeyData("ID sub-payload in the key chain"));
            }
        }
    }
    if led && lead.is_none() {
        return Err(Error::BadKeyData(
            "the key chain does not start with the sender's ID",
        ));
    }
    Ok((lead, keys))
}

/// Parses the decrypted Key data chain. AES-KW plaintexts are zero-padded to a multiple
/// of 8 bytes (see [`crate::crypto::aes_kw`]); the chain ends where its last sub-payload
/// ends, so up to 7 zero bytes after it are padding.
fn parse_chain(
    plain: &[u8],
    first: PayloadType,
    alg: EncrAlg,
) -> Result<Vec<KeyChainItem<'_>>, Error> {
    let malformed = |_| Error::BadKeyData("malformed Key data chain");
    if alg != EncrAlg::AesKw128 {
        return parse_key_chain(plain, first, 0).map_err(malformed);
    }
    let (items, end) = parse_key_chain_prefix(plain, first, 0).map_err(malformed)?;
    let padding = &plain[end..];
    // A chain shorter than 9 bytes (e.g. the empty chain of an update) is padded to the
    // 16-byte minimum of RFC 3394, so more than 7 bytes of padding occur only then.
    let max_padding = if plain.len() == 16 { 16 } else { 7 };
    if padding.len() > max_padding || padding.iter().any(|b| *b != 0) {
        return Err(Error::BadKeyData("AES-KW padding"));
    }
    Ok(items)
}

/// The Layout of a message already parsed (so it parses again within its own bounds).
pub(crate) fn layout_of(bytes: &[u8], message: &Message<'_>) -> Result<Layout, Error> {
    let limits = Limits {
        max_message_size: bytes.len(),
        max_payloads: message.payloads.len().max(1),
    };
    Ok(Message::parse_with_layout_and_limits(bytes, &limits)?.1)
}

/// The byte range of the KEMAC payload.
pub(crate) fn kemac_span(
    message: &Message<'_>,
    layout: &Layout,
) -> Result<std::ops::Range<usize>, Error> {
    message
        .payloads
        .iter()
        .position(|p| matches!(p, Payload::Kemac(_)))
        .and_then(|i| layout.payloads.get(i).cloned())
        .ok_or(Error::MissingPayload("KEMAC"))
}

/// What the KEMAC MAC of the public-key methods covers (RFC 3830 §6.2, RFC 4738 §3.6): the KEMAC payload "except for the MAC field and
/// where the Next payload field has been set to zero".
pub(crate) fn kemac_covered(
    bytes: &[u8],
    span: &std::ops::Range<usize>,
    tag_len: usize,
) -> Vec<u8> {
    let mut covered = bytes[span.start..span.end - tag_len].to_vec();
    covered[0] = 0;
    covered
}

/// The KEMAC MAC of an encoded message whose KEMAC lies at `span`.
pub(crate) fn kemac_mac(
    tk: &TransportKeys,
    bytes: &[u8],
    span: &std::ops::Range<usize>,
) -> Vec<u8> {
    tk.sign(&[&kemac_covered(bytes, span, tk.tag_len())])
}

/// The transport keys of a public-key method's KEMAC (RFC 3830 §3.2, §4.1.4; RFC 4738 §3.6),
/// derived from `env_key` for CSB `csb_id` and `rand`, once its MAC verified: the MAC covers
/// the KEMAC payload of `bytes` (as received or sent) only, its Next payload set to zero
/// (§6.2).
pub(crate) fn envelope_keys(
    bytes: &[u8],
    message: &Message<'_>,
    kemac: &crate::wire::Kemac<'_>,
    prf: crate::wire::PrfFunc,
    env_key: &[u8],
    csb_id: u32,
    rand: &[u8],
) -> Result<TransportKeys, Error> {
    let tk = TransportKeys::derive(
        prf,
        Some(&crate::crypto::prf::Inkey::new(env_key)),
        csb_id,
        rand,
        kemac.encr_alg,
        kemac.mac_alg,
    )?;
    let span = kemac_span(message, &layout_of(bytes, message)?)?;
    tk.verify(&[&kemac_covered(bytes, &span, kemac.mac.len())], &kemac.mac)?;
    Ok(tk)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{DataType, MacAlg, MessageBuilder};

    fn kemac() -> Payload<'static> {
        Payload::Kemac(Kemac {
            encr_alg: EncrAlg::Null,
            encr_data: Cow::Owned(Vec::new()),
            mac_alg: MacAlg::Null,
            mac: Cow::Owned(Vec::new()),
        })
    }

    #[test]
    fn a_message_has_one_kemac_and_it_is_last() {
        let one = MessageBuilder::new(DataType::PreShared, 1)
            .payload(kemac())
            .build()
            .unwrap();
        assert!(last_kemac(&one).is_ok());
        let two = MessageBuilder::new(DataType::PreShared, 1)
            .payload(kemac())
            .payload(kemac())
            .build()
            .unwrap();
        assert_eq!(
            last_kemac(&two).unwrap_err(),
            Error::MissingPayload("one KEMAC (the message has several)")
        );
        let none = MessageBuilder::new(DataType::PreShared, 1).build().unwrap();
        assert_eq!(
            last_kemac(&none).unwrap_err(),
            Error::MissingPayload("KEMAC")
        );
    }
}
