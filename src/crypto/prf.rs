//! The MIKEY PRFs: MIKEY-1 (RFC 3830 §4.1.2) and PRF-HMAC-SHA-256 (RFC 6043 §6.1), and
//! the labels of RFC 3830 §4.1.3 (keys from a TGK) and §4.1.4 (keys from a PSK or
//! envelope key).

use super::hmac_key::{HmacHash, HmacKey};
use std::sync::OnceLock;
use zeroize::Zeroizing;

/// Which PRF (HDR "PRF func", RFC 3830 Table 6.1.c; RFC 6043 §6.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prf {
    /// MIKEY-1: HMAC-SHA-1, 160-bit output blocks.
    Mikey1,
    /// PRF-HMAC-SHA-256: MIKEY-1 with HMAC-SHA-256 and 256-bit output blocks.
    HmacSha256,
}

/// Why a PRF call was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrfError {
    /// The inkey is empty: RFC 3830 §4.1.2 splits it into n >= 1 blocks.
    EmptyKey,
}

/// Inkey block size: 256 bits for both PRFs ("half the input block-size" of SHA-1; RFC
/// 6043 §6.1 changes only the hash and the output size).
const INKEY_BLOCK: usize = 32;

impl Prf {
    fn hash(self) -> HmacHash {
        match self {
            Prf::Mikey1 => HmacHash::Sha1,
            Prf::HmacSha256 => HmacHash::Sha256,
        }
    }

    /// Computes `out_len` bytes of `PRF(inkey, label)` (RFC 3830 §4.1.2):
    /// the XOR over the 256-bit inkey blocks s_i (the last may be shorter) of
    /// `P(s_i, label, m)`, truncated to the leading `out_len` bytes.
    pub fn derive(
        self,
        inkey: &[u8],
        label: &[u8],
        out_len: usize,
    ) -> Result<Zeroizing<Vec<u8>>, PrfError> {
        Ok(self.key(inkey)?.derive(label, out_len))
    }

    /// The PRF keyed with `inkey`, to derive several keys from it (RFC 3830 §4.1.3,
    /// §4.1.4 derive TEK and salt, or encr, auth and salt keys, from one inkey with
    /// different labels): the HMAC key of each inkey block is set up once.
    pub fn key(self, inkey: &[u8]) -> Result<PrfKey, PrfError> {
        if inkey.is_empty() {
            return Err(PrfError::EmptyKey);
        }
        Ok(self.key_nonempty(inkey))
    }

    fn key_nonempty(self, inkey: &[u8]) -> PrfKey {
        PrfKey {
            blocks: inkey
                .chunks(INKEY_BLOCK)
                .map(|s| HmacKey::new(self.hash(), s))
                .collect(),
        }
    }
}

/// An inkey used for many derivations, such as a pre-shared key (RFC 3830 §4.1.4: the
/// transport keys of every message come from it): the bytes (zeroized on drop) and, per
/// PRF, the keyed PRF, set up on first use and kept (their HMAC states are overwritten
/// on drop, [`HmacKey`]).
pub struct Inkey {
    bytes: Zeroizing<Vec<u8>>,
    mikey1: OnceLock<PrfKey>,
    hmac_sha256: OnceLock<PrfKey>,
}

impl Inkey {
    /// Holds a copy of `bytes`.
    pub fn new(bytes: &[u8]) -> Inkey {
        Inkey {
            bytes: Zeroizing::new(bytes.to_vec()),
            mikey1: OnceLock::new(),
            hmac_sha256: OnceLock::new(),
        }
    }

    /// The inkey bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The PRF `prf` keyed with this inkey (the same one on every call).
    pub fn keyed(&self, prf: Prf) -> Result<&PrfKey, PrfError> {
        if self.bytes.is_empty() {
            return Err(PrfError::EmptyKey);
        }
        let cell = match prf {
            Prf::Mikey1 => &self.mikey1,
            Prf::HmacSha256 => &self.hmac_sha256,
        };
        Ok(cell.get_or_init(|| prf.key_nonempty(&self.bytes)))
    }
}

/// A PRF keyed with one inkey ([`Prf::key`]): the HMAC keys of its 256-bit blocks.
pub struct PrfKey {
    blocks: Vec<HmacKey>,
}

impl PrfKey {
    /// `out_len` bytes of `PRF(inkey, label)` (RFC 3830 §4.1.2).
    pub fn derive(&self, label: &[u8], out_len: usize) -> Zeroizing<Vec<u8>> {
        let mut out = Zeroizing::new(vec![0u8; out_len]);
        self.derive_into(label, &mut out);
        out
    }

    /// Fills `out` with `PRF(inkey, label)` (RFC 3830 §4.1.2), `out.len()` bytes.
    pub fn derive_into(&self, label: &[u8], out: &mut [u8]) {
        out.fill(0);
        for key in &self.blocks {
            xor_p(key, label, out);
        }
    }
}

/// XORs `P(s, label, m)` onto `out`, where m = ceil(len(out) / hash length):
/// A_0 = label, A_i = HMAC(s, A_(i-1)), output block i = HMAC(s, A_i || label).
fn xor_p(key: &HmacKey, label: &[u8], out: &mut [u8]) {
    let mut a = key.sign(&[label]);
    let hash_len = a.len();
    let blocks = out.len().div_ceil(hash_len);
    for (i, chunk) in out.chunks_mut(hash_len).enumerate() {
        let block = key.sign(&[a.as_ref(), label]);
        for (o, b) in chunk.iter_mut().zip(block.as_ref()) {
            *o ^= b;
        }
        if i + 1 < blocks {
            a = key.sign(&[a.as_ref()]);
        }
    }
}

/// Constants of RFC 3830 Table 4.1.3 (keys derived from a TGK).
pub mod tgk_constant {
    /// TEK (for SRTP: the master key).
    pub const TEK: u32 = 0x2AD0_1C64;
    /// Authentication key.
    pub const AUTH: u32 = 0x1B5C_7973;
    /// Encryption key.
    pub const ENCR: u32 = 0x1579_8CEF;
    /// Salting key (for SRTP: the master salt).
    pub const SALT: u32 = 0x39A2_C14B;
}

/// Constants of RFC 3830 Table 4.1.4 (keys for MIKEY messages from a PSK/envelope key).
pub mod transport_constant {
    /// KEMAC encryption key.
    pub const ENCR: u32 = 0x1505_33E1;
    /// KEMAC / V authentication key.
    pub const AUTH: u32 = 0x2D22_AC75;
    /// Salt for the KEMAC IV.
    pub const SALT: u32 = 0x29B8_8916;
}

/// A PRF label of RFC 3830 §4.1.3 (keys from a TGK: `constant || cs_id || csb_id ||
/// RAND`) or §4.1.4 (transport keys: cs_id = 0xFF), built once for a crypto session and
/// reused for each of its key constants.
pub struct Label(Vec<u8>);

impl Label {
    /// The label for keys of crypto session `cs_id` from a TGK (RFC 3830 §4.1.3).
    pub fn tgk(cs_id: u8, csb_id: u32, rand: &[u8]) -> Label {
        let mut label = Vec::with_capacity(9 + rand.len());
        label.extend_from_slice(&[0; 4]);
        label.push(cs_id);
        label.extend_from_slice(&csb_id.to_be_bytes());
        label.extend_from_slice(rand);
        Label(label)
    }

    /// The label for MIKEY transport keys (RFC 3830 §4.1.4): cs_id 0xFF.
    pub fn transport(csb_id: u32, rand: &[u8]) -> Label {
        Label::tgk(0xFF, csb_id, rand)
    }

    /// The label bytes with `constant` (Table 4.1.3 or 4.1.4) in front.
    pub fn with(&mut self, constant: u32) -> &[u8] {
        self.0[..4].copy_from_slice(&constant.to_be_bytes());
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    const CSB: u32 = 0x0102_0304;
    const RAND: [u8; 16] = [0xAA; 16];

    /// The worked PSK example of tests/data/README.md (computed from the RFC text, cross-checked with
    /// minisip's PRF for the 16- and 48-byte inkeys; not an RFC vector).
    #[test]
    fn digest_worked_example_transport_keys() {
        let psk = hex("000102030405060708090a0b0c0d0e0f");
        let k = |c, n| {
            Prf::Mikey1
                .derive(&psk, Label::transport(CSB, &RAND).with(c), n)
                .unwrap()
        };
        assert_eq!(
            *k(transport_constant::ENCR, 16),
            hex("28a59984636396971c362c5b9c736631")
        );
        assert_eq!(
            *k(transport_constant::AUTH, 20),
            hex("c788d5bb51b3e71c837f71685f0456d2b886aa9a")
        );
        assert_eq!(
            *k(transport_constant::SALT, 14),
            hex("9b254a5159ef50f66914b8dcb920")
        );
    }

    #[test]
    fn digest_worked_example_srtp_keys() {
        let tgk = hex("101112131415161718191a1b1c1d1e1f");
        let key = Prf::Mikey1
            .derive(&tgk, Label::tgk(1, CSB, &RAND).with(tgk_constant::TEK), 16)
            .unwrap();
        assert_eq!(*key, hex("1a63515da5504d915b1a97d58082c737"));
        let salt = Prf::Mikey1
            .derive(&tgk, Label::tgk(1, CSB, &RAND).with(tgk_constant::SALT), 14)
            .unwrap();
        assert_eq!(*salt, hex("14eeeb5396cf37485d56b3240052"));
    }

    /// Inkeys of exactly 256 bits and of 1.5 blocks (RFC 3830 §4.1.2: the last PRF block is cut);
    /// the 32-byte case is where minisip's PRF is wrong (it splits a 256-bit inkey in
    /// two 128-bit halves where §4.1.2 asks for 256-bit pieces).
    #[test]
    fn block_multiple_inkeys() {
        let tgk32: Vec<u8> = (0x20..=0x3F).collect();
        let mut label = Label::tgk(1, CSB, &RAND);
        let label = label.with(tgk_constant::TEK);
        assert_eq!(
            *Prf::Mikey1.derive(&tgk32, label, 16).unwrap(),
            hex("1385f5a3933366b5242cb506d6cbcc1d")
        );
        let tgk48: Vec<u8> = (0x30..=0x5F).collect();
        assert_eq!(
            *Prf::Mikey1.derive(&tgk48, label, 32).unwrap(),
            hex("0796b6db29967020350c4299af791e69a236c70e3ee15fe3613380364f87e65e")
        );
    }

    #[test]
    fn a_keyed_prf_derives_what_derive_does() {
        let inkey: Vec<u8> = (0..48).collect();
        let key = Prf::Mikey1.key(&inkey).unwrap();
        for (label, len) in [(&b"one"[..], 16), (b"two", 14), (b"three", 45)] {
            assert_eq!(
                key.derive(label, len),
                Prf::Mikey1.derive(&inkey, label, len).unwrap()
            );
        }
        assert!(Prf::HmacSha256.key(&[]).is_err());
    }

    #[test]
    fn an_inkey_keys_each_prf_once_and_derives_what_derive_does() {
        let psk = Inkey::new(&(0..40).collect::<Vec<u8>>());
        for prf in [Prf::Mikey1, Prf::HmacSha256] {
            let first: *const PrfKey = psk.keyed(prf).unwrap();
            assert!(std::ptr::eq(first, psk.keyed(prf).unwrap()));
            assert_eq!(
                psk.keyed(prf).unwrap().derive(b"label", 45),
                prf.derive(psk.as_bytes(), b"label", 45).unwrap()
            );
        }
        assert!(!std::ptr::eq(
            psk.keyed(Prf::Mikey1).unwrap(),
            psk.keyed(Prf::HmacSha256).unwrap()
        ));
        assert!(matches!(
            Inkey::new(&[]).keyed(Prf::Mikey1),
            Err(PrfError::EmptyKey)
        ));
    }

    #[test]
    fn output_is_a_prefix_of_longer_output_and_empty_key_is_refused() {
        let long = Prf::HmacSha256.derive(b"k", b"label", 70).unwrap();
        let short = Prf::HmacSha256.derive(b"k", b"label", 33).unwrap();
        assert_eq!(&long[..33], &short[..]);
        assert_eq!(Prf::Mikey1.derive(&[], b"l", 16), Err(PrfError::EmptyKey));
    }

    /// PRF-HMAC-SHA-256 with a one-block inkey is P_SHA256 of TLS 1.2 (RFC 5246 §5) with
    /// seed = label: the first output block is HMAC(s, HMAC(s, label) || label).
    #[test]
    fn hmac_sha256_first_block_follows_the_p_function() {
        // ring's HMAC, independent of the RustCrypto one the PRF uses.
        use ring::hmac;
        let key = hmac::Key::new(hmac::HMAC_SHA256, b"secret");
        let a1 = hmac::sign(&key, b"label");
        let mut ctx = hmac::Context::with_key(&key);
        ctx.update(a1.as_ref());
        ctx.update(b"label");
        let expected = ctx.sign();
        let out = Prf::HmacSha256.derive(b"secret", b"label", 32).unwrap();
        assert_eq!(&out[..], expected.as_ref());
    }
}
