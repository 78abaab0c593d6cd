//! The finite-field DH of `crypto::dh` (RFC 3830 §3.3, §4.2.7) against OpenSSL and an
//! independent bignum: the OAKLEY primes are OpenSSL's copies of RFC 2409 §6.1-6.2
//! (OAKLEY 1 and 2, the same primes as RFC 2412 Appendix E.1-E.2) and RFC 3526 §2 (OAKLEY 5,
//! RFC 2412 Appendix E.5); the public values and shared secrets from the same private values
//! are those of RustCrypto's crypto-bigint (portable Rust, no code in common with libcrypto,
//! whose exponentiation `crypto::dh` calls) and of libcrypto's own DH path; the ECDH of the
//! ECC profile (`crypto::ec`, ring) is checked against OpenSSL's.

use mikey::crypto::dh::{DhSecret, FfdhGroup};
use mikey::crypto::ec::EcCurve;
use mikey::rng::{Rng, RngError};
use openssl::bn::{BigNum, BigNumContext};
use std::sync::Mutex;

/// A random source handing out fixed bytes (the private exponents).
#[derive(Debug)]
struct Fixed(Mutex<Vec<u8>>);

impl Fixed {
    fn new(bytes: Vec<u8>) -> Fixed {
        Fixed(Mutex::new(bytes))
    }
}

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

fn openssl_prime(group: FfdhGroup) -> BigNum {
    match group {
        FfdhGroup::Oakley1 => BigNum::get_rfc2409_prime_768().unwrap(),
        FfdhGroup::Oakley2 => BigNum::get_rfc2409_prime_1024().unwrap(),
        FfdhGroup::Oakley5 => BigNum::get_rfc3526_prime_1536().unwrap(),
    }
}

#[test]
fn the_primes_are_the_rfcs() {
    for g in GROUPS {
        assert_eq!(g.prime(), openssl_prime(g).to_vec(), "{g:?}");
        // The shape RFC 2412 Appendix E gives: 2^n - 2^(n-64) - 1 + 2^64 * {...}, so the
        // top and bottom 64 bits are all ones.
        let p = g.prime();
        assert_eq!(p[..8], [0xFF; 8]);
        assert_eq!(p[p.len() - 8..], [0xFF; 8]);
    }
}

/// OpenSSL's shared secret `y^x mod p` for private value `x` and peer value `y` (both
/// big-endian), as a number written at the group's length (BN_bn2binpad; a minimal-length
/// encoding such as DH_compute_key's drops leading zeros). The private exponent is marked
/// constant-time, so libcrypto takes BN_mod_exp_mont_consttime.
fn openssl_agree(group: FfdhGroup, x: &[u8], y: &[u8]) -> Vec<u8> {
    let p = openssl_prime(group);
    let mut ctx = BigNumContext::new().unwrap();
    let mut x = BigNum::from_slice(x).unwrap();
    x.set_const_time();
    let y = BigNum::from_slice(y).unwrap();
    let mut shared = BigNum::new().unwrap();
    shared.mod_exp(&y, &x, &p, &mut ctx).unwrap();
    shared.to_vec_padded(group.value_len() as i32).unwrap()
}

/// crypto-bigint's `y^x mod p` (big-endian, the group's length): an exponentiation that
/// shares no code with libcrypto's.
fn independent_agree(group: FfdhGroup, x: &[u8], y: &[u8]) -> Vec<u8> {
    use crypto_bigint::modular::{BoxedMontyForm, BoxedMontyParams};
    use crypto_bigint::{BoxedUint, Odd};
    let bits = 8 * group.value_len() as u32;
    let p = BoxedUint::from_be_slice(&group.prime(), bits).unwrap();
    let params = BoxedMontyParams::new(Odd::new(p).unwrap());
    let y = BoxedUint::from_be_slice(y, bits).unwrap();
    let x = BoxedUint::from_be_slice(x, bits).unwrap();
    let r = BoxedMontyForm::new(y, &params).pow(&x).retrieve();
    r.to_be_bytes().to_vec()
}

/// OpenSSL's public value `g^x mod p` at the group's length.
fn openssl_public(group: FfdhGroup, x: &[u8]) -> Vec<u8> {
    let mut two = vec![0u8; group.value_len()];
    two[group.value_len() - 1] = 2;
    openssl_agree(group, x, &two)
}

/// A private exponent as `DhSecret::generate` makes it from `bytes`: top bit cleared.
fn exponent(mut bytes: Vec<u8>) -> Vec<u8> {
    bytes[0] &= 0x7F;
    bytes
}

#[test]
fn openssl_derives_the_same_secret() {
    for g in GROUPS {
        let n = g.value_len();
        let xi: Vec<u8> = (0..n).map(|i| (i * 7 + 3) as u8).collect();
        let xr: Vec<u8> = (0..n).map(|i| (i * 13 + 200) as u8).collect();
        let ours_i = DhSecret::generate(g, &Fixed::new(xi.clone())).unwrap();
        let ours_r = DhSecret::generate(g, &Fixed::new(xr.clone())).unwrap();
        assert_eq!(
            ours_i.public(),
            openssl_public(g, &exponent(xi.clone())),
            "{g:?}"
        );
        let mut two = vec![0u8; n];
        two[n - 1] = 2;
        assert_eq!(
            ours_i.public(),
            independent_agree(g, &exponent(xi.clone()), &two),
            "{g:?}"
        );
        let shared = ours_i.agree(ours_r.public()).unwrap();
        assert_eq!(*shared, ours_r.agree(ours_i.public()).unwrap()[..]);
        assert_eq!(
            shared[..],
            independent_agree(g, &exponent(xi.clone()), ours_r.public())[..],
            "{g:?}"
        );
        assert_eq!(
            shared[..],
            openssl_agree(g, &exponent(xi), ours_r.public())[..],
            "{g:?}"
        );
    }
}

#[test]
fn a_shared_secret_with_a_zero_top_byte_keeps_its_length() {
    // xi = 0x11 repeated, xr = 0x22 repeated + 727: found (with OpenSSL) so that g^(xi*xr)
    // mod p (OAKLEY 5) is below 2^1528. It stays 192 bytes, its first one 0: the TGK is
    // the group element at the group's length (RFC 3830 §3.3, §6.4); its 191 significant
    // bytes alone, as a minimal-length encoding gives them, would be another TGK.
    let g = FfdhGroup::Oakley5;
    let xi = vec![0x11u8; 192];
    let mut xr = vec![0x22u8; 192];
    xr[190] = 0x24;
    xr[191] = 0xF9;
    let ours_i = DhSecret::generate(g, &Fixed::new(xi.clone())).unwrap();
    let ours_r = DhSecret::generate(g, &Fixed::new(xr)).unwrap();
    let shared = ours_i.agree(ours_r.public()).unwrap();
    assert_eq!(shared.len(), 192);
    assert_eq!(shared[0], 0);
    assert_eq!(*shared, ours_r.agree(ours_i.public()).unwrap()[..]);
    assert_eq!(shared[..], openssl_agree(g, &xi, ours_r.public())[..]);
    assert_eq!(shared[..], independent_agree(g, &xi, ours_r.public())[..]);
}

/// OpenSSL's ECDH (EVP_PKEY_derive, what `openssl pkeyutl -derive` runs) for private
/// scalar `d` and the peer's uncompressed point: the x-coordinate at the field size.
fn openssl_ecdh(curve: EcCurve, d: &[u8], peer: &[u8]) -> Vec<u8> {
    use openssl::derive::Deriver;
    use openssl::ec::{EcGroup, EcKey, EcPoint};
    use openssl::nid::Nid;
    use openssl::pkey::PKey;
    let nid = match curve {
        EcCurve::P256 => Nid::X9_62_PRIME256V1,
        EcCurve::P384 => Nid::SECP384R1,
    };
    let group = EcGroup::from_curve_name(nid).unwrap();
    let mut ctx = BigNumContext::new().unwrap();
    let d = BigNum::from_slice(d).unwrap();
    let mut public = EcPoint::new(&group).unwrap();
    public.mul_generator2(&group, &d, &mut ctx).unwrap();
    let ours =
        PKey::from_ec_key(EcKey::from_private_components(&group, &d, &public).unwrap()).unwrap();
    let point = EcPoint::from_bytes(&group, peer, &mut ctx).unwrap();
    let theirs = PKey::from_ec_key(EcKey::from_public_key(&group, &point).unwrap()).unwrap();
    let mut deriver = Deriver::new(&ours).unwrap();
    deriver.set_peer(&theirs).unwrap();
    deriver.derive_to_vec().unwrap()
}

/// The ECC profile's ECDH (draft-ietf-msec-mikey-ecc-03 §3: "the raw shared secret is the
/// x-coordinate(only)") is OpenSSL's, on both curves, for the same scalars; a secret whose
/// x-coordinate starts with a zero byte (found by trying scalars, about 1 in 256) keeps
/// its length.
#[test]
fn openssl_derives_the_same_ecdh_secret_at_the_field_size() {
    for curve in [EcCurve::P256, EcCurve::P384] {
        let n = curve.field_len();
        let mut zero_top_seen = false;
        for k in 1..=2000u32 {
            let mut a = vec![0x5A; n];
            a[n - 4..].copy_from_slice(&k.to_be_bytes());
            let b = vec![0x33; n];
            let xa = DhSecret::generate(curve, &Fixed::new(a.clone())).unwrap();
            let xb = DhSecret::generate(curve, &Fixed::new(b.clone())).unwrap();
            let ours = xa.agree(xb.public()).unwrap();
            assert_eq!(ours.len(), n);
            assert_eq!(&ours[..], &openssl_ecdh(curve, &a, xb.public())[..]);
            assert_eq!(ours, xb.agree(xa.public()).unwrap());
            if ours[0] == 0 {
                zero_top_seen = true;
                break;
            }
        }
        assert!(zero_top_seen, "{curve:?}: no zero top byte in 2000 scalars");
    }
}
