//! MIKEY MACs (RFC 3830 §4.2.4; RFC 6043 §6.2): HMAC-SHA-1-160 and HMAC-SHA-256-256,
//! over one or more byte strings (the verification MAC covers the message followed by
//! identities and timestamp, §5.2). Verification is constant time (`subtle`).

use super::hmac_key::{HmacHash, HmacKey, HmacTag};
use subtle::ConstantTimeEq;

/// A MAC algorithm with a key-bearing variant (NULL is handled by the caller: it has no
/// tag to compute or verify).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MacAlgorithm {
    /// HMAC-SHA-1 with a 160-bit tag (mandatory).
    HmacSha1_160,
    /// HMAC-SHA-256 with a 256-bit tag.
    HmacSha256_256,
}

/// The tag did not verify. Deliberately carries no detail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MacMismatch;

impl MacAlgorithm {
    /// Tag length in bytes (20 or 32).
    pub fn tag_len(self) -> usize {
        match self {
            MacAlgorithm::HmacSha1_160 => 20,
            MacAlgorithm::HmacSha256_256 => 32,
        }
    }

    /// The authentication key length RFC 3830 §4.2.4 / RFC 6043 §6.2 ask for: the hash
    /// output size (160 or 256 bits).
    pub fn key_len(self) -> usize {
        self.tag_len()
    }

    fn hash(self) -> HmacHash {
        match self {
            MacAlgorithm::HmacSha1_160 => HmacHash::Sha1,
            MacAlgorithm::HmacSha256_256 => HmacHash::Sha256,
        }
    }

    /// Sets up `key` as this algorithm's MAC key, for any number of tags under it.
    pub fn key(self, key: &[u8]) -> MacKey {
        MacKey {
            alg: self,
            key: HmacKey::new(self.hash(), key),
        }
    }
}

/// An authentication key set up for its algorithm (the HMAC states; overwritten on
/// drop, [`HmacKey`]): the I_MESSAGE MAC and the verification MAC use the same one
/// (RFC 3830 §4.1.4 auth_key).
pub struct MacKey {
    alg: MacAlgorithm,
    key: HmacKey,
}

impl MacKey {
    /// The algorithm this key is for.
    pub fn algorithm(&self) -> MacAlgorithm {
        self.alg
    }

    fn tag(&self, parts: &[&[u8]]) -> HmacTag {
        self.key.sign(parts)
    }

    /// Computes the tag over the concatenation of `parts`.
    pub fn sign(&self, parts: &[&[u8]]) -> Vec<u8> {
        self.tag(parts).as_ref().to_vec()
    }

    /// Verifies `tag` over the concatenation of `parts` in constant time (`subtle`; the
    /// tag length is public).
    pub fn verify(&self, parts: &[&[u8]], tag: &[u8]) -> Result<(), MacMismatch> {
        if bool::from(self.tag(parts).as_ref().ct_eq(tag)) {
            Ok(())
        } else {
            Err(MacMismatch)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Message;

    fn hex(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    /// RFC 2202 §3 test_case 1.
    #[test]
    fn rfc2202_case_1() {
        let tag = MacAlgorithm::HmacSha1_160
            .key(&[0x0b; 20])
            .sign(&[b"Hi There"]);
        assert_eq!(tag, hex("b617318655057264e28bc0b6fb378c8ef146be00"));
        assert!(
            MacAlgorithm::HmacSha1_160
                .key(&[0x0b; 20])
                .verify(&[b"Hi ", b"There"], &tag)
                .is_ok()
        );
        let mut bad = tag.clone();
        bad[19] ^= 1;
        assert_eq!(
            MacAlgorithm::HmacSha1_160
                .key(&[0x0b; 20])
                .verify(&[b"Hi There"], &bad),
            Err(MacMismatch)
        );
        assert!(
            MacAlgorithm::HmacSha1_160
                .key(&[0x0b; 20])
                .verify(&[b"Hi There"], &tag[..19])
                .is_err()
        );
    }

    /// The worked PSK example (tests/data/README.md): the KEMAC MAC covers the I_MESSAGE up to and including the MAC
    /// alg byte; the V MAC covers the R_MESSAGE up to V's Auth alg byte, then
    /// ID data of IDi, ID data of IDr and the 8-byte TS value.
    #[test]
    fn digest_worked_example_macs() {
        let auth_key = hex("c788d5bb51b3e71c837f71685f0456d2b886aa9a");
        let i_msg = hex(include_str!("../../tests/data/digest-psk-i-message.hex").trim());
        let (m, layout) = Message::parse_with_layout(&i_msg).unwrap();
        let f = layout.auth_field(&m, m.payloads.len() - 1).unwrap();
        let mac = &i_msg[f.field.clone()];
        assert_eq!(mac, &hex("89a2ff9bc02014b9068dad44a25bb4e6f7c26eb4")[..]);
        assert!(
            MacAlgorithm::HmacSha1_160
                .key(&auth_key)
                .verify(&[&i_msg[f.covered]], mac)
                .is_ok()
        );

        let r_msg = hex(include_str!("../../tests/data/digest-psk-r-message.hex").trim());
        let (m, layout) = Message::parse_with_layout(&r_msg).unwrap();
        let f = layout.auth_field(&m, m.payloads.len() - 1).unwrap();
        let parts: [&[u8]; 4] = [
            &r_msg[f.covered],
            b"alice@example.com",
            b"bob@example.com",
            &hex("e8d4a51000000000"),
        ];
        assert!(
            MacAlgorithm::HmacSha1_160
                .key(&auth_key)
                .verify(&parts, &r_msg[f.field])
                .is_ok()
        );
    }
}
