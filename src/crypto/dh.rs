//! Finite-field Diffie-Hellman over the three OAKLEY groups MIKEY names (RFC 3830 §3.3,
//! §4.2.7, §6.4: DH-Group 0 is OAKLEY 5, 1 is OAKLEY 1, 2 is OAKLEY 2), generator 2, the
//! primes of RFC 2412 Appendix E (OAKLEY 5 is also the 1536-bit group of RFC 3526 §2).
//!
//! The exponentiation is OpenSSL's libcrypto `BN_mod_exp_mont_consttime` (through the
//! `openssl` crate: `BN_mod_exp` with the exponent flagged `BN_FLG_CONSTTIME`): fixed
//! windows over every bit of the exponent's words, the table read by scatter/gather so that
//! neither the timing nor the memory access pattern depends on the exponent; never a
//! variable-time bignum. The exponent, the intermediate values and the result live in
//! libcrypto's "secure" bignums (`BN_secure_new`, `BN_CTX_secure_new`), which libcrypto clears
//! when it frees them. A secret exponent is as long as the prime with its top bit clear (so
//! it is below the prime), drawn from the caller's random source, and zeroized on drop.
//!
//! Values on the wire are big-endian and exactly as long as the prime ("the length is
//! implicit, defined by the DH-Group", §6.4), leading zeros kept; so is the shared secret
//! that becomes the TGK (§3.3: TGK = g^(xi*xr)).
//!
//! [`DhSecret`] and [`check_public`] also take the elliptic curves of the ECC profile
//! ([`Group::Ecdh`], computed by [`super::ec`]), so that the DH methods hold one kind of
//! secret whatever the group.

use super::ec::{EcCurve, EcdhSecret, check_point};
use crate::rng::Rng;
use openssl::bn::{BigNum, BigNumContext};
use zeroize::Zeroizing;

/// OAKLEY 1 (RFC 2412 Appendix E.1): 768 bits.
const OAKLEY1_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74",
    "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437",
    "4FE1356D6D51C245E485B576625E7EC6F44C42E9A63A3620FFFFFFFFFFFFFFFF",
);

/// OAKLEY 2 (RFC 2412 Appendix E.2): 1024 bits.
const OAKLEY2_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74",
    "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437",
    "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF",
);

/// OAKLEY 5 (RFC 2412 Appendix E.5, RFC 3526 §2): 1536 bits, the group MIKEY implementations
/// must support (RFC 3830 §4.2.7).
const OAKLEY5_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74",
    "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437",
    "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05",
    "98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB",
    "9ED529077096966D670C354E4ABC9804F1746C08CA237327FFFFFFFFFFFFFFFF",
);

/// The generator of every OAKLEY group.
const GENERATOR: u8 = 2;

/// A finite-field DH group of RFC 3830 §6.4.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FfdhGroup {
    /// OAKLEY 5, 1536 bits (DH-Group 0, mandatory).
    Oakley5,
    /// OAKLEY 1, 768 bits (DH-Group 1).
    Oakley1,
    /// OAKLEY 2, 1024 bits (DH-Group 2).
    Oakley2,
}

/// Why a DH step failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DhError {
    /// A public value is not exactly as long as the group's prime (RFC 3830 §6.4).
    WrongLength {
        /// The group's length in bytes.
        expected: usize,
        /// The value's.
        got: usize,
    },
    /// A public value outside 2 ..= p-2: 0, 1 and p-1 confine the shared secret to a
    /// subgroup of order 1 or 2, and p or more is not an element at all.
    OutOfRange,
    /// A public value that is not an uncompressed point of the curve (ECC profile).
    NotOnCurve,
    /// The random source failed.
    Rng,
    /// A secret given to [`DhSecret::from_exponent`] that is not one the group allows.
    BadSecret,
    /// libcrypto failed on a well-formed request (it fails only when an allocation does).
    Backend,
}

impl std::fmt::Display for DhError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DhError::WrongLength { expected, got } => write!(
                f,
                "DH value of {got} bytes where the group's is {expected} (RFC 3830 §6.4)"
            ),
            DhError::OutOfRange => f.write_str("DH value outside 2..p-2"),
            DhError::NotOnCurve => f.write_str(
                "DH value that is not an uncompressed point of the curve (SEC 1 §2.3.3)",
            ),
            DhError::Rng => f.write_str("the random source failed"),
            DhError::BadSecret => f.write_str("not a usable DH secret for the group"),
            DhError::Backend => f.write_str("libcrypto failed (an allocation)"),
        }
    }
}

impl std::error::Error for DhError {}

impl FfdhGroup {
    /// The group of a DH-Group codepoint (RFC 3830 Table 6.4), if it is one of these.
    pub fn from_codepoint(code: u8) -> Option<FfdhGroup> {
        match code {
            0 => Some(FfdhGroup::Oakley5),
            1 => Some(FfdhGroup::Oakley1),
            2 => Some(FfdhGroup::Oakley2),
            _ => None,
        }
    }

    /// The DH-Group codepoint (RFC 3830 Table 6.4).
    pub fn codepoint(self) -> u8 {
        match self {
            FfdhGroup::Oakley5 => 0,
            FfdhGroup::Oakley1 => 1,
            FfdhGroup::Oakley2 => 2,
        }
    }

    /// The length of the prime, of every public value and of the shared secret, in bytes.
    pub fn value_len(self) -> usize {
        match self {
            FfdhGroup::Oakley5 => 192,
            FfdhGroup::Oakley1 => 96,
            FfdhGroup::Oakley2 => 128,
        }
    }

    /// The prime, big-endian.
    pub fn prime(self) -> Vec<u8> {
        let hex = match self {
            FfdhGroup::Oakley5 => OAKLEY5_HEX,
            FfdhGroup::Oakley1 => OAKLEY1_HEX,
            FfdhGroup::Oakley2 => OAKLEY2_HEX,
        };
        (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex constant"))
            .collect()
    }

    /// `base^exponent mod p`, both big-endian of the group's length; constant time in the
    /// exponent (libcrypto's `BN_mod_exp_mont_consttime`), the result at the prime's length
    /// with its leading zeros.
    fn pow(self, base: &[u8], exponent: &[u8]) -> Result<Zeroizing<Vec<u8>>, DhError> {
        let backend = |_| DhError::Backend;
        let p = BigNum::from_slice(&self.prime()).map_err(backend)?;
        let base = BigNum::from_slice(base).map_err(backend)?;
        let mut x = BigNum::new_secure().map_err(backend)?;
        x.copy_from_slice(exponent).map_err(backend)?;
        // BN_mod_exp_mont (which BN_mod_exp calls for an odd modulus) hands an exponent
        // with this flag to BN_mod_exp_mont_consttime.
        x.set_const_time();
        let mut ctx = BigNumContext::new_secure().map_err(backend)?;
        let mut r = BigNum::new_secure().map_err(backend)?;
        r.mod_exp(&base, &x, &p, &mut ctx).map_err(backend)?;
        let len = i32::try_from(self.value_len()).map_err(|_| DhError::Backend)?;
        Ok(Zeroizing::new(r.to_vec_padded(len).map_err(backend)?))
    }

    /// Whether `value` (big-endian, the group's length) is in 2 ..= p-2. The value is public:
    /// variable time is fine.
    fn in_range(self, value: &[u8]) -> bool {
        let mut p_minus_1 = self.prime();
        *p_minus_1.last_mut().expect("non-empty prime") -= 1; // p is odd: no borrow
        !below_two(value) && value < &p_minus_1[..]
    }
}

/// Whether the big-endian number `value` (not empty) is 0 or 1.
fn below_two(value: &[u8]) -> bool {
    let (last, rest) = value.split_last().expect("not empty");
    rest.iter().all(|b| *b == 0) && *last < 2
}

/// A DH group of a DH payload (RFC 3830 §6.4): one of the OAKLEY groups, or, in the ECC
/// profile, an elliptic curve (draft-ietf-msec-mikey-ecc-03 §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Group {
    /// A finite-field group (RFC 3830 §4.2.7).
    Ffdh(FfdhGroup),
    /// An elliptic curve of the ECC profile; its DH-Group codepoint was never registered.
    Ecdh(EcCurve),
}

impl From<FfdhGroup> for Group {
    fn from(group: FfdhGroup) -> Group {
        Group::Ffdh(group)
    }
}

impl From<EcCurve> for Group {
    fn from(curve: EcCurve) -> Group {
        Group::Ecdh(curve)
    }
}

impl Group {
    /// The DH-Group codepoint: 0, 1, 2 (RFC 3830 §6.4); P-256 10 and P-384 13
    /// (draft-ietf-msec-mikey-ecc-03 §3, the DH-Group table; unregistered).
    pub fn codepoint(self) -> u8 {
        match self {
            Group::Ffdh(g) => g.codepoint(),
            Group::Ecdh(EcCurve::P256) => 10,
            Group::Ecdh(EcCurve::P384) => 13,
        }
    }

    /// The group of a DH-Group codepoint, `None` for an unknown one.
    pub fn from_codepoint(code: u8) -> Option<Group> {
        match code {
            10 => Some(Group::Ecdh(EcCurve::P256)),
            13 => Some(Group::Ecdh(EcCurve::P384)),
            _ => FfdhGroup::from_codepoint(code).map(Group::Ffdh),
        }
    }

    /// The length of a public value on the wire: the prime's, or an uncompressed point's.
    pub fn value_len(self) -> usize {
        match self {
            Group::Ffdh(g) => g.value_len(),
            Group::Ecdh(c) => c.point_len(),
        }
    }

    /// The length of a secret ([`DhSecret::from_exponent`]): the prime's, or the
    /// curve's field size.
    pub fn secret_len(self) -> usize {
        match self {
            Group::Ffdh(g) => g.value_len(),
            Group::Ecdh(c) => c.field_len(),
        }
    }

    /// Whether this is an elliptic curve of the ECC profile.
    pub fn is_ecc(self) -> bool {
        matches!(self, Group::Ecdh(_))
    }
}

/// An ephemeral DH secret (x_i or x_r, RFC 3830 §3.3: "randomly/pseudo-randomly and
/// secretly chosen") with its public value. Not `Clone`; zeroized on drop. It serves one
/// exchange: the session drops it once the exchange is done (a forked exchange agrees
/// once with each Responder that answered, RFC 5197 §5.2).
pub struct DhSecret(Secret);

enum Secret {
    Ffdh {
        group: FfdhGroup,
        exponent: Zeroizing<Vec<u8>>,
        public: Vec<u8>,
    },
    Ecdh(EcdhSecret),
}

impl std::fmt::Debug for DhSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DhSecret")
            .field("group", &self.group())
            .field("exponent", &"<secret>")
            .finish_non_exhaustive()
    }
}

impl DhSecret {
    /// Draws a secret from `rng`. In a finite-field group the exponent is as long as the
    /// prime with its top bit cleared, and a draw below 2 (probability 2^-1535 for
    /// OAKLEY 5) is drawn again; on a curve the scalar is drawn as
    /// [`EcdhSecret::generate`] says.
    pub fn generate(group: impl Into<Group>, rng: &dyn Rng) -> Result<DhSecret, DhError> {
        let group = match group.into() {
            Group::Ecdh(curve) => {
                return EcdhSecret::generate(curve, rng)
                    .map(|s| DhSecret(Secret::Ecdh(s)))
                    .map_err(|_| DhError::Rng);
            }
            Group::Ffdh(group) => group,
        };
        let mut exponent = Zeroizing::new(vec![0u8; group.value_len()]);
        for _ in 0..16 {
            rng.fill(&mut exponent).map_err(|_| DhError::Rng)?;
            exponent[0] &= 0x7F;
            if !below_two(&exponent) {
                return DhSecret::with_exponent(group, exponent);
            }
        }
        Err(DhError::Rng)
    }

    fn with_exponent(group: FfdhGroup, exponent: Zeroizing<Vec<u8>>) -> Result<DhSecret, DhError> {
        let public = group.pow(&[GENERATOR], &exponent)?.to_vec();
        Ok(DhSecret(Secret::Ffdh {
            group,
            public,
            exponent,
        }))
    }

    /// The secret of a given exponent (an Initiator resumed in another process, or a test
    /// that needs a known value): [`Group::secret_len`] bytes; in a finite-field group the
    /// top bit clear and the value at least 2, on a curve a scalar in 1..n-1;
    /// [`DhError::BadSecret`] otherwise.
    pub fn from_exponent(group: impl Into<Group>, exponent: &[u8]) -> Result<DhSecret, DhError> {
        let group = match group.into() {
            Group::Ecdh(curve) => {
                return EcdhSecret::from_scalar(curve, exponent)
                    .map(|s| DhSecret(Secret::Ecdh(s)))
                    .ok_or(DhError::BadSecret);
            }
            Group::Ffdh(group) => group,
        };
        let usable =
            exponent.len() == group.value_len() && exponent[0] & 0x80 == 0 && !below_two(exponent);
        if !usable {
            return Err(DhError::BadSecret);
        }
        DhSecret::with_exponent(group, Zeroizing::new(exponent.to_vec()))
    }

    /// A copy of the secret exponent (or scalar), for an Initiator that keeps no state
    /// between sending its I_MESSAGE and receiving the answer.
    pub fn exponent(&self) -> Zeroizing<Vec<u8>> {
        match &self.0 {
            Secret::Ffdh { exponent, .. } => exponent.clone(),
            Secret::Ecdh(s) => s.scalar(),
        }
    }

    /// The group.
    pub fn group(&self) -> Group {
        match &self.0 {
            Secret::Ffdh { group, .. } => Group::Ffdh(*group),
            Secret::Ecdh(s) => Group::Ecdh(s.curve()),
        }
    }

    /// The public value g^x (or the point x·G), exactly [`Group::value_len`] bytes.
    pub fn public(&self) -> &[u8] {
        match &self.0 {
            Secret::Ffdh { public, .. } => public,
            Secret::Ecdh(s) => s.public(),
        }
    }

    /// The shared secret with the peer's public value: peer^x at the prime's length,
    /// leading zeros kept (the peer's value must be exactly the group's length and in
    /// 2 ..= p-2), or the x-coordinate of x·peer at the field size (the peer's value must
    /// be an uncompressed point of the curve).
    pub fn agree(&self, peer: &[u8]) -> Result<Zeroizing<Vec<u8>>, DhError> {
        match &self.0 {
            Secret::Ffdh {
                group, exponent, ..
            } => {
                check_public(*group, peer)?;
                group.pow(peer, exponent)
            }
            // EcdhSecret::agree checks the point itself: once is enough.
            Secret::Ecdh(s) => {
                check_len(self.group(), peer)?;
                s.agree(peer).map_err(|_| DhError::NotOnCurve)
            }
        }
    }
}

/// Checks a peer's public value: the group's length (RFC 3830 §6.4) and in 2 ..= p-2, or
/// an uncompressed point of the curve.
pub fn check_public(group: impl Into<Group>, value: &[u8]) -> Result<(), DhError> {
    let group = group.into();
    check_len(group, value)?;
    match group {
        Group::Ffdh(g) if !g.in_range(value) => Err(DhError::OutOfRange),
        Group::Ecdh(c) if check_point(c, value).is_err() => Err(DhError::NotOnCurve),
        _ => Ok(()),
    }
}

/// A public value of `group`'s length (RFC 3830 §6.4: "implicit, defined by the DH-Group").
fn check_len(group: Group, value: &[u8]) -> Result<(), DhError> {
    if value.len() != group.value_len() {
        return Err(DhError::WrongLength {
            expected: group.value_len(),
            got: value.len(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::RngError;
    use std::sync::Mutex;

    /// Hands out fixed bytes.
    #[derive(Debug)]
    struct Fixed(Mutex<Vec<u8>>);

    impl Rng for Fixed {
        fn fill(&self, out: &mut [u8]) -> Result<(), RngError> {
            let mut left = self.0.lock().unwrap();
            if left.len() < out.len() {
                return Err(RngError);
            }
            out.copy_from_slice(&left[..out.len()]);
            left.drain(..out.len());
            Ok(())
        }
    }

    const GROUPS: [FfdhGroup; 3] = [FfdhGroup::Oakley5, FfdhGroup::Oakley1, FfdhGroup::Oakley2];

    #[test]
    fn codepoints_round_trip() {
        for g in GROUPS {
            assert_eq!(FfdhGroup::from_codepoint(g.codepoint()), Some(g));
            assert_eq!(g.prime().len(), g.value_len());
        }
        assert_eq!(FfdhGroup::from_codepoint(3), None);
    }

    #[test]
    fn both_sides_agree_in_every_group() {
        let rng = crate::rng::SystemRng::new();
        for g in GROUPS {
            let a = DhSecret::generate(g, &rng).unwrap();
            let b = DhSecret::generate(g, &rng).unwrap();
            let ab = a.agree(b.public()).unwrap();
            assert_eq!(ab.len(), g.value_len());
            assert_eq!(ab, b.agree(a.public()).unwrap());
        }
    }

    #[test]
    fn small_exponents_give_known_powers() {
        // x = 2: g^x = 4; x = 10: 1024; the shared secret with y = 4 is 16.
        let g = FfdhGroup::Oakley1;
        let mut draws = vec![0u8; 96];
        draws[95] = 2;
        let s = DhSecret::generate(g, &Fixed(Mutex::new(draws))).unwrap();
        assert_eq!(s.public()[..94], [0u8; 94]);
        assert_eq!(s.public()[94..], [0, 4]);
        let mut four = vec![0u8; 96];
        four[95] = 4;
        assert_eq!(s.agree(&four).unwrap()[94..], [0, 16]);
    }

    #[test]
    fn a_secret_made_again_from_its_exponent_is_the_same() {
        let rng = crate::rng::SystemRng::new();
        let g = FfdhGroup::Oakley1;
        let s = DhSecret::generate(g, &rng).unwrap();
        let again = DhSecret::from_exponent(g, &s.exponent()).unwrap();
        assert_eq!(again.public(), s.public());
        let mut top = s.exponent().to_vec();
        top[0] |= 0x80;
        assert_eq!(
            DhSecret::from_exponent(g, &top).unwrap_err(),
            DhError::BadSecret
        );
        assert_eq!(
            DhSecret::from_exponent(g, &s.exponent()[1..]).unwrap_err(),
            DhError::BadSecret
        );
        let mut one = vec![0u8; 96];
        one[95] = 1;
        assert_eq!(
            DhSecret::from_exponent(g, &one).unwrap_err(),
            DhError::BadSecret
        );
    }

    #[test]
    fn exponents_0_and_1_are_drawn_again() {
        let mut draws = vec![0u8; 96 * 3];
        draws[96 + 95] = 1; // 0, then 1, then 0x80.. with its top bit cleared: 0
        draws[2 * 96] = 0x80;
        draws[3 * 96 - 1] = 3;
        let s = DhSecret::generate(FfdhGroup::Oakley1, &Fixed(Mutex::new(draws))).unwrap();
        assert_eq!(s.public()[95], 8, "x = 3 (the top bit cleared)");
        // A source that always gives 0 is broken.
        let zeros = Fixed(Mutex::new(vec![0u8; 96 * 16]));
        assert_eq!(
            DhSecret::generate(FfdhGroup::Oakley1, &zeros).unwrap_err(),
            DhError::Rng
        );
    }

    #[test]
    fn out_of_range_and_wrong_length_values_are_refused() {
        let rng = crate::rng::SystemRng::new();
        for g in GROUPS {
            let s = DhSecret::generate(g, &rng).unwrap();
            let n = g.value_len();
            let p = g.prime();
            let mut p_minus_1 = p.clone();
            p_minus_1[n - 1] -= 1;
            let mut p_minus_2 = p.clone();
            p_minus_2[n - 1] -= 2;
            // p + 1 (p ends with 64 one bits: the carry runs through them).
            let mut p_plus_1 = p.clone();
            for byte in p_plus_1.iter_mut().rev() {
                let (sum, carry) = byte.overflowing_add(1);
                *byte = sum;
                if !carry {
                    break;
                }
            }
            let mut one = vec![0u8; n];
            one[n - 1] = 1;
            let mut two = vec![0u8; n];
            two[n - 1] = 2;
            for bad in [
                vec![0u8; n],
                one,
                p_minus_1,
                p.clone(),
                p_plus_1,
                vec![0xFF; n],
            ] {
                assert_eq!(s.agree(&bad).unwrap_err(), DhError::OutOfRange);
            }
            assert!(s.agree(&two).is_ok());
            assert!(s.agree(&p_minus_2).is_ok());
            assert_eq!(
                s.agree(&p[1..]).unwrap_err(),
                DhError::WrongLength {
                    expected: n,
                    got: n - 1
                }
            );
            assert!(s.agree(&[p.as_slice(), &[0]].concat()).is_err());
        }
    }
}
