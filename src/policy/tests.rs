//! Tests of the policy model, its table and negotiation.

use super::*;

fn sp(params: &[(u8, &[u8])]) -> SecurityPolicy<'static> {
    SecurityPolicy::from_params(0, ProtType::Srtp, params).unwrap()
}

#[test]
fn empty_sp_is_the_srtp_default_profile() {
    let (policy, profile) = SrtpPolicy::negotiate(&sp(&[]), |_| true).unwrap();
    assert_eq!(policy, SrtpPolicy::default());
    assert_eq!(profile, SrtpProfile::Aes128CmSha1_80);
}

#[test]
fn every_profile_round_trips_through_its_sp() {
    for profile in SrtpProfile::ALL {
        let policy = profile.policy();
        assert_eq!(policy.profile(), Some(profile));
        let wire = policy.to_sp(3).unwrap();
        // The SRTP tag in type 11, or the AEAD tag in type 20 (RFC 7714 §14.3).
        let (tag_type, absent) = if profile.is_aead() {
            (20, 11)
        } else {
            (11, 20)
        };
        assert_eq!(
            wire.param(tag_type).unwrap().value,
            [profile.tag_len() as u8]
        );
        assert!(wire.param(absent).is_none());
        let (back, p) = SrtpPolicy::negotiate(&wire, |_| true).unwrap();
        assert_eq!((back, p), (policy, profile));
        assert_eq!(SrtpProfile::from_name(profile.name()), Some(profile));
        assert_eq!(SrtpProfile::from_u32(profile as u32), Some(profile));
    }
}

#[test]
fn aes_gcm_is_read_as_rfc_7714_section_15_maps_it() {
    // Table 4: AES-GCM (6) with key length 16 or 32 and AEAD tag 16; absent
    // parameters at RFC 7714's defaults (NULL auth, 96-bit salt, tag 16).
    for (key, profile) in [
        (16, SrtpProfile::AeadAes128Gcm),
        (32, SrtpProfile::AeadAes256Gcm),
    ] {
        let offer = sp(&[(0, &[6]), (1, &[key])]);
        let (policy, p) = SrtpPolicy::negotiate(&offer, |_| true).unwrap();
        assert_eq!(p, profile);
        assert_eq!((policy.auth_alg, policy.salt_len), (0, 12));
        let explicit = sp(&[(0, &[6]), (1, &[key]), (2, &[0]), (4, &[12]), (20, &[16])]);
        assert_eq!(
            SrtpPolicy::negotiate(&explicit, |_| true).unwrap().1,
            profile
        );
    }
    let refuse = |params: &[(u8, &[u8])]| {
        assert_eq!(
            SrtpPolicy::negotiate(&sp(params), |_| true),
            Err(PolicyError::Unsupported),
            "{params:?}"
        );
    };
    refuse(&[(0, &[6]), (1, &[24])]); // no AES-192-GCM profile
    refuse(&[(0, &[6]), (20, &[8])]); // an 8-octet AEAD tag
    refuse(&[(0, &[6]), (5, &[1])]); // §15: the PRF must be AES-CM
    refuse(&[(0, &[6]), (4, &[14])]); // a 112-bit salt
    refuse(&[(0, &[6]), (2, &[1])]); // HMAC-SHA-1 on top of the AEAD
    refuse(&[(0, &[7])]); // ARIA-CTR (RFC 8269): not exportable to libsrtp
    refuse(&[(0, &[8])]); // ARIA-GCM
    refuse(&[(20, &[8])]); // an AEAD tag length on AES-CM
    // A responder preferring GCM picks it from alternatives.
    let offer = sp(&[(0, &[1]), (0, &[6]), (1, &[16])]);
    let (_, p) = SrtpPolicy::negotiate(&offer, |p| p.is_aead()).unwrap();
    assert_eq!(p, SrtpProfile::AeadAes128Gcm);
}

#[test]
fn gstreamer_tag_length_in_type_3_is_read_as_the_tag() {
    // gst_mikey_message_new_from_caps for AES_CM_128_HMAC_SHA1_32 (README, Spec readings).
    let offer = sp(&[(0, &[1]), (1, &[16]), (2, &[1]), (3, &[4]), (4, &[14])]);
    let (policy, profile) = SrtpPolicy::negotiate(&offer, |_| true).unwrap();
    assert_eq!(profile, SrtpProfile::Aes128CmSha1_32);
    assert_eq!(policy.auth_key_len, 20);
    // With type 11 present, type 3 = 4 is an auth key length: unsupported.
    let offer = sp(&[(3, &[4]), (11, &[4])]);
    assert_eq!(
        SrtpPolicy::negotiate(&offer, |_| true),
        Err(PolicyError::Unsupported)
    );
}

#[test]
fn alternatives_are_tried_in_offer_order() {
    // Offer tag 4 first, then 10; a responder taking only _80 picks 10.
    let offer = sp(&[(11, &[4]), (11, &[10])]);
    let (_, p) = SrtpPolicy::negotiate(&offer, |p| p == SrtpProfile::Aes128CmSha1_80).unwrap();
    assert_eq!(p, SrtpProfile::Aes128CmSha1_80);
    let (_, p) = SrtpPolicy::negotiate(&offer, |_| true).unwrap();
    assert_eq!(p, SrtpProfile::Aes128CmSha1_32);
    // Key length alternatives vary slower than the tag (listed earlier).
    let offer = sp(&[(1, &[32]), (1, &[16]), (11, &[4]), (11, &[10])]);
    let (_, p) = SrtpPolicy::negotiate(&offer, |p| p.tag_len() == 10).unwrap();
    assert_eq!(p, SrtpProfile::Aes256CmSha1_80);
    // Interleaved alternatives group by type, each type ordered by its first
    // appearance: the same order as above.
    let offer = sp(&[(1, &[32]), (11, &[4]), (1, &[16]), (11, &[10])]);
    let (_, p) = SrtpPolicy::negotiate(&offer, |p| p.tag_len() == 10).unwrap();
    assert_eq!(p, SrtpProfile::Aes256CmSha1_80);
    let (_, p) = SrtpPolicy::negotiate(&offer, |p| p.master_key_len() == 16).unwrap();
    assert_eq!(p, SrtpProfile::Aes128CmSha1_32);
}

#[test]
fn unsupported_offers_are_refused() {
    let refuse = |params: &[(u8, &[u8])]| {
        assert_eq!(
            SrtpPolicy::negotiate(&sp(params), |p| !p.is_null_cipher()),
            Err(PolicyError::Unsupported),
            "{params:?}"
        );
    };
    refuse(&[(0, &[2])]); // AES-F8
    refuse(&[(0, &[0])]); // NULL cipher not accepted here
    refuse(&[(6, &[16])]); // KDR 2^16
    refuse(&[(12, &[4])]); // prefix
    refuse(&[(7, &[2])]); // bad flag
    refuse(&[(7, &[0])]); // SRTP encryption off with AES-CM
    refuse(&[(1, &[0, 16])]); // two-byte value
    refuse(&[(99, &[1])]); // unknown parameter
    let many: Vec<(u8, &[u8])> = (0..9).flat_map(|_| [(11, &[10][..])]).collect();
    let mut more = many.clone();
    more.extend((0..9).map(|_| (1u8, &[16u8][..])));
    more.extend((0..9).map(|_| (4u8, &[14u8][..])));
    refuse(&more); // 729 combinations
    assert_eq!(
        SrtpPolicy::negotiate(
            &SecurityPolicy::from_params(0, ProtType::Tesla, &[]).unwrap(),
            |_| true
        ),
        Err(PolicyError::NotSrtp)
    );
}

// --- PROFILE_TABLE: one test per row --------------------------------------------

/// TLV bytes of `(type, value)` pairs, in order.
fn tlv(params: &[(u8, &[u8])]) -> Vec<u8> {
    sp(params).param_bytes().to_vec()
}

/// The RFC 3830 parameters our offers carry for a non-AEAD profile: encr alg, key
/// length and SRTP tag length vary, the rest is the RFC 3711 default written out.
fn hmac_offer(encr: u8, key: u8, tag: u8) -> Vec<(u8, Vec<u8>)> {
    [
        (0, encr),
        (1, key),
        (2, 1),
        (3, 20),
        (4, 14),
        (5, 0),
        (6, 0),
        (7, 1),
        (8, 1),
        (9, 0),
        (10, 1),
        (11, tag),
        (12, 0),
    ]
    .iter()
    .map(|(t, v)| (*t, vec![*v]))
    .collect()
}

/// The same for AES-GCM (RFC 7714 §14.3: no types 3 and 11, the AEAD tag in 20).
fn gcm_offer(key: u8) -> Vec<(u8, Vec<u8>)> {
    [
        (0, 6),
        (1, key),
        (2, 0),
        (4, 12),
        (5, 0),
        (6, 0),
        (7, 1),
        (8, 1),
        (9, 0),
        (10, 1),
        (12, 0),
        (20, 16),
    ]
    .iter()
    .map(|(t, v)| (*t, vec![*v]))
    .collect()
}

/// `params` with `(ty, value)` set in place, or inserted in type order.
fn with(mut params: Vec<(u8, Vec<u8>)>, ty: u8, value: &[u8]) -> Vec<(u8, Vec<u8>)> {
    match params.iter().position(|(t, _)| *t >= ty) {
        Some(i) if params[i].0 == ty => params[i].1 = value.to_vec(),
        Some(i) => params.insert(i, (ty, value.to_vec())),
        None => params.push((ty, value.to_vec())),
    }
    params
}

fn to_sp_of(params: &[(u8, Vec<u8>)]) -> SecurityPolicy<'static> {
    let borrowed: Vec<(u8, &[u8])> = params.iter().map(|(t, v)| (*t, v.as_slice())).collect();
    sp(&borrowed)
}

/// The setter calls `mikey_srtp.h` makes for `profile`: the lines of its `case`.
fn glue_case(profile: &str) -> String {
    let header = include_str!("../../include/mikey_srtp.h");
    let start = header
        .find(&format!("case {profile}:"))
        .unwrap_or_else(|| panic!("mikey_srtp.h has no case {profile}"));
    let body = &header[start..];
    body[..body.find("break;").unwrap()].to_string()
}

/// Checks one row of PROFILE_TABLE: its place, the profile's own numbers, what our
/// offers carry for it (the RFC 3830 parameters, unchanged since before RFC 4771) and
/// with RFC 4771's separate parameters, both read back as the profile and no other
/// row admitting them, and the libsrtp policies mikey_srtp.h makes of it.
fn check_row(
    index: usize,
    profile: SrtpProfile,
    c_name: &str,
    offer: Vec<(u8, Vec<u8>)>,
    rfc4771: &[(u8, u8)],
) {
    let row = &PROFILE_TABLE[index];
    assert_eq!(row.profile, profile);
    assert_eq!(SrtpProfile::ALL[index], profile);
    assert_eq!(profile.params(), row);
    assert_eq!(usize::from(row.encr_key_len), profile.master_key_len());
    assert_eq!(usize::from(row.salt_len), profile.master_salt_len());
    let tag = row.aead_tag_len.unwrap_or(row.srtp_tag_len);
    assert_eq!(usize::from(tag), profile.tag_len());
    assert_eq!(row.aead_tag_len.is_some(), profile.is_aead());
    assert_eq!(row.encr_alg == 0, profile.is_null_cipher());

    // Our offer: exactly these bytes, read back as this profile alone.
    let policy = profile.policy();
    let wire = policy.to_sp(0).unwrap();
    assert_eq!(
        wire.param_bytes(),
        to_sp_of(&offer).param_bytes(),
        "{profile:?}"
    );
    assert_eq!(
        SrtpPolicy::negotiate(&wire, |_| true),
        Ok((policy, profile))
    );
    for other in &PROFILE_TABLE {
        assert_eq!(other.admits(&policy), other.profile == profile, "{other:?}");
    }

    // With RFC 4771's types 14-19 written out: the same profile, the SRTCP values
    // stated; a different SRTCP tag is refused.
    let mut separate = offer.clone();
    for (t, v) in rfc4771 {
        separate = with(separate, *t, &[*v]);
    }
    let policy = profile.rfc4771_policy();
    let wire = policy.to_sp(0).unwrap();
    assert_eq!(
        wire.param_bytes(),
        to_sp_of(&separate).param_bytes(),
        "{profile:?}"
    );
    assert_eq!(
        SrtpPolicy::negotiate(&wire, |_| true),
        Ok((policy, profile))
    );
    if !profile.is_aead() {
        assert_eq!(policy.srtcp_auth().tag_len, Some(row.srtcp_tag_len));
        assert_eq!(policy.srtp_auth().tag_len, Some(row.srtp_tag_len));
        let short_srtcp = to_sp_of(&with(separate, 19, &[4]));
        assert_eq!(
            SrtpPolicy::negotiate(&short_srtcp, |_| true),
            Err(PolicyError::Unsupported)
        );
    }

    // libsrtp: the crypto policies mikey_srtp.h sets for RTP and RTCP.
    let case = glue_case(c_name);
    let rtp = format!("srtp_crypto_policy_set_{}(&rtp)", row.libsrtp_rtp);
    let rtcp = format!("srtp_crypto_policy_set_{}(&rtcp)", row.libsrtp_rtcp);
    assert!(case.contains(&rtp), "{c_name}: {rtp} not in\n{case}");
    assert!(case.contains(&rtcp), "{c_name}: {rtcp} not in\n{case}");
    // The SRTP tag libsrtp's setter gives (its name ends in _80 or _32), or the tag
    // the glue sets on top of it.
    if !profile.is_aead() {
        let setter_tag = if row.libsrtp_rtp.ends_with("_32") {
            4
        } else {
            10
        };
        let overridden = format!("rtp.auth_tag_len = {};", row.srtp_tag_len);
        assert!(setter_tag == row.srtp_tag_len || case.contains(&overridden));
        assert!(row.libsrtp_rtcp.ends_with("_80") && row.srtcp_tag_len == 10);
    }
}

const RFC4771_HMAC_80: [(u8, u8); 6] = [(14, 1), (15, 1), (16, 20), (17, 20), (18, 10), (19, 10)];
const RFC4771_HMAC_32: [(u8, u8); 6] = [(14, 1), (15, 1), (16, 20), (17, 20), (18, 4), (19, 10)];
const RFC4771_AEAD: [(u8, u8); 2] = [(14, 0), (15, 0)];

#[test]
fn row_aes_cm_128_hmac_sha1_80() {
    check_row(
        0,
        SrtpProfile::Aes128CmSha1_80,
        "MIKEY_SRTP_AES128_CM_SHA1_80",
        hmac_offer(1, 16, 10),
        &RFC4771_HMAC_80,
    );
}

#[test]
fn row_aes_cm_128_hmac_sha1_32() {
    check_row(
        1,
        SrtpProfile::Aes128CmSha1_32,
        "MIKEY_SRTP_AES128_CM_SHA1_32",
        hmac_offer(1, 16, 4),
        &RFC4771_HMAC_32,
    );
}

#[test]
fn row_aes_256_cm_hmac_sha1_80() {
    check_row(
        2,
        SrtpProfile::Aes256CmSha1_80,
        "MIKEY_SRTP_AES256_CM_SHA1_80",
        hmac_offer(1, 32, 10),
        &RFC4771_HMAC_80,
    );
}

#[test]
fn row_aes_256_cm_hmac_sha1_32() {
    check_row(
        3,
        SrtpProfile::Aes256CmSha1_32,
        "MIKEY_SRTP_AES256_CM_SHA1_32",
        hmac_offer(1, 32, 4),
        &RFC4771_HMAC_32,
    );
}

#[test]
fn row_aead_aes_128_gcm() {
    check_row(
        4,
        SrtpProfile::AeadAes128Gcm,
        "MIKEY_SRTP_AEAD_AES_128_GCM",
        gcm_offer(16),
        &RFC4771_AEAD,
    );
}

#[test]
fn row_aead_aes_256_gcm() {
    check_row(
        5,
        SrtpProfile::AeadAes256Gcm,
        "MIKEY_SRTP_AEAD_AES_256_GCM",
        gcm_offer(32),
        &RFC4771_AEAD,
    );
}

#[test]
fn row_null_hmac_sha1_80() {
    check_row(
        6,
        SrtpProfile::NullSha1_80,
        "MIKEY_SRTP_NULL_SHA1_80",
        hmac_offer(0, 16, 10),
        &RFC4771_HMAC_80,
    );
}

#[test]
fn row_null_hmac_sha1_32() {
    check_row(
        7,
        SrtpProfile::NullSha1_32,
        "MIKEY_SRTP_NULL_SHA1_32",
        hmac_offer(0, 16, 4),
        &RFC4771_HMAC_32,
    );
}

// --- every parameter type: SP bytes -> policy -> SP bytes -----------------------

/// Each parameter type 0-20, at a value a profile supports (away from the default
/// where a profile allows), in an SP otherwise as our offers write it: read, then
/// written again, byte for byte, and the value is in the policy.
#[test]
fn every_parameter_type_round_trips() {
    type Field = fn(&SrtpPolicy) -> Vec<u8>;
    type Case = (u8, &'static [u8], Vec<(u8, Vec<u8>)>, SrtpProfile, Field);
    let cases: [Case; 25] = [
        (
            0,
            &[0],
            hmac_offer(1, 16, 10),
            SrtpProfile::NullSha1_80,
            |p| vec![p.encr_alg],
        ),
        (
            1,
            &[32],
            hmac_offer(1, 16, 10),
            SrtpProfile::Aes256CmSha1_80,
            |p| vec![p.encr_key_len],
        ),
        (
            2,
            &[1],
            hmac_offer(1, 16, 10),
            SrtpProfile::Aes128CmSha1_80,
            |p| vec![p.auth_alg],
        ),
        (2, &[0], gcm_offer(16), SrtpProfile::AeadAes128Gcm, |p| {
            vec![p.auth_alg]
        }),
        (
            3,
            &[20],
            hmac_offer(1, 16, 10),
            SrtpProfile::Aes128CmSha1_80,
            |p| vec![p.auth_key_len],
        ),
        (4, &[12], gcm_offer(32), SrtpProfile::AeadAes256Gcm, |p| {
            vec![p.salt_len]
        }),
        (
            5,
            &[0],
            hmac_offer(1, 16, 10),
            SrtpProfile::Aes128CmSha1_80,
            |p| vec![p.prf],
        ),
        (
            6,
            &[0],
            hmac_offer(1, 16, 10),
            SrtpProfile::Aes128CmSha1_80,
            |p| vec![p.kdr],
        ),
        (
            7,
            &[0],
            hmac_offer(0, 16, 10),
            SrtpProfile::NullSha1_80,
            |p| vec![u8::from(p.srtp_encryption)],
        ),
        (
            8,
            &[0],
            hmac_offer(0, 16, 4),
            SrtpProfile::NullSha1_32,
            |p| vec![u8::from(p.srtcp_encryption)],
        ),
        (
            9,
            &[0],
            hmac_offer(1, 16, 10),
            SrtpProfile::Aes128CmSha1_80,
            |p| vec![p.fec_order],
        ),
        (
            10,
            &[1],
            hmac_offer(1, 16, 10),
            SrtpProfile::Aes128CmSha1_80,
            |p| vec![u8::from(p.srtp_authentication)],
        ),
        (
            11,
            &[4],
            hmac_offer(1, 16, 10),
            SrtpProfile::Aes128CmSha1_32,
            |p| vec![p.tag_len],
        ),
        (
            12,
            &[0],
            hmac_offer(1, 16, 10),
            SrtpProfile::Aes128CmSha1_80,
            |p| vec![p.prefix_len],
        ),
        (
            13,
            &[0x01, 0x00],
            hmac_offer(1, 16, 10),
            SrtpProfile::Aes128CmSha1_80,
            |p| p.roc_transmission_rate().to_be_bytes().to_vec(),
        ),
        (
            13,
            &[0xFF, 0xFF],
            gcm_offer(16),
            SrtpProfile::AeadAes128Gcm,
            |p| p.roc_transmission_rate().to_be_bytes().to_vec(),
        ),
        (
            14,
            &[1],
            hmac_offer(1, 16, 10),
            SrtpProfile::Aes128CmSha1_80,
            |p| p.srtp_auth_alg.into_iter().collect(),
        ),
        (14, &[0], gcm_offer(16), SrtpProfile::AeadAes128Gcm, |p| {
            p.srtp_auth_alg.into_iter().collect()
        }),
        (
            15,
            &[1],
            hmac_offer(1, 32, 4),
            SrtpProfile::Aes256CmSha1_32,
            |p| p.srtcp_auth_alg.into_iter().collect(),
        ),
        (15, &[0], gcm_offer(32), SrtpProfile::AeadAes256Gcm, |p| {
            p.srtcp_auth_alg.into_iter().collect()
        }),
        (
            16,
            &[20],
            hmac_offer(1, 16, 10),
            SrtpProfile::Aes128CmSha1_80,
            |p| p.srtp_auth_key_len.into_iter().collect(),
        ),
        (
            17,
            &[20],
            hmac_offer(0, 16, 10),
            SrtpProfile::NullSha1_80,
            |p| p.srtcp_auth_key_len.into_iter().collect(),
        ),
        (
            18,
            &[4],
            hmac_offer(1, 16, 10),
            SrtpProfile::Aes128CmSha1_32,
            |p| p.srtp_tag_len.into_iter().collect(),
        ),
        (
            19,
            &[10],
            hmac_offer(1, 16, 4),
            SrtpProfile::Aes128CmSha1_32,
            |p| p.srtcp_tag_len.into_iter().collect(),
        ),
        (20, &[16], gcm_offer(32), SrtpProfile::AeadAes256Gcm, |p| {
            vec![p.aead_tag_len]
        }),
    ];
    let mut covered = [false; 21];
    for (ty, value, base, profile, field) in cases {
        let input = to_sp_of(&with(base, ty, value));
        let (policy, p) = SrtpPolicy::negotiate(&input, |_| true)
            .unwrap_or_else(|e| panic!("type {ty} = {value:?}: {e:?}"));
        assert_eq!(p, profile, "type {ty} = {value:?}");
        assert_eq!(field(&policy), value, "type {ty} read");
        let output = policy.to_sp(input.policy_no).unwrap();
        assert_eq!(output, input, "type {ty} = {value:?} written back");
        covered[usize::from(ty)] = true;
    }
    assert!(covered.iter().all(|c| *c));
}

// --- RFC 4771 §4 precedence ------------------------------------------------------

#[test]
fn the_specific_parameter_has_precedence() {
    let negotiate = |params: &[(u8, &[u8])]| SrtpPolicy::negotiate(&sp(params), |_| true);
    let profile = |params: &[(u8, &[u8])]| negotiate(params).map(|(_, p)| p);
    // Type 2 NULL, 14 and 15 HMAC-SHA-1: both use HMAC-SHA-1.
    assert_eq!(
        profile(&[(2, &[0]), (14, &[1]), (15, &[1])]),
        Ok(SrtpProfile::Aes128CmSha1_80)
    );
    // ... without 15, SRTCP takes type 2's NULL: no profile.
    assert_eq!(
        profile(&[(2, &[0]), (14, &[1])]),
        Err(PolicyError::Unsupported)
    );
    // RFC 4771 §4's example: type 2 HMAC-SHA-1, type 14 RCCm1: SRTP would use RCCm1.
    assert_eq!(
        profile(&[(2, &[1]), (14, &[2])]),
        Err(PolicyError::Unsupported)
    );
    // An RCC type 2 overridden for both directions is never used.
    assert_eq!(
        profile(&[(2, &[3]), (14, &[1]), (15, &[1])]),
        Ok(SrtpProfile::Aes128CmSha1_80)
    );
    // Key lengths: type 3 = 16 is overridden by 16 and 17 (both needed).
    assert_eq!(
        profile(&[(3, &[16]), (16, &[20]), (17, &[20])]),
        Ok(SrtpProfile::Aes128CmSha1_80)
    );
    assert_eq!(
        profile(&[(3, &[16]), (16, &[20])]),
        Err(PolicyError::Unsupported)
    );
    assert_eq!(
        profile(&[(3, &[16]), (17, &[20])]),
        Err(PolicyError::Unsupported)
    );
    // Tags: type 11 = 10 with 18 = 4 is the _32 profile (SRTCP 10 from type 11).
    let (policy, p) = negotiate(&[(11, &[10]), (18, &[4])]).unwrap();
    assert_eq!(p, SrtpProfile::Aes128CmSha1_32);
    assert_eq!(policy.srtp_auth().tag_len, Some(4));
    assert_eq!(policy.srtcp_auth().tag_len, Some(10));
    // Type 11 = 4 with 18 = 10: SRTCP's tag is type 11's 4, which no profile does ...
    assert_eq!(
        profile(&[(11, &[4]), (18, &[10])]),
        Err(PolicyError::Unsupported)
    );
    // ... unless type 19 says 10.
    assert_eq!(
        profile(&[(11, &[4]), (18, &[10]), (19, &[10])]),
        Ok(SrtpProfile::Aes128CmSha1_80)
    );
    // Type 11 = 4 with 19 = 10: SRTP 4 from type 11, SRTCP 10: the _32 profile.
    assert_eq!(
        profile(&[(11, &[4]), (19, &[10])]),
        Ok(SrtpProfile::Aes128CmSha1_32)
    );
    // AES-GCM: type 2 HMAC-SHA-1 overridden by NULL in 14 and 15.
    assert_eq!(
        profile(&[(0, &[6]), (2, &[1]), (14, &[0]), (15, &[0])]),
        Ok(SrtpProfile::AeadAes128Gcm)
    );
    assert_eq!(
        profile(&[(0, &[6]), (2, &[1]), (14, &[0])]),
        Err(PolicyError::Unsupported)
    );
}

/// README "Spec readings": type 11 alone (an RFC 3830 policy) is the profile's tag
/// length, so type 11 = 4 without type 19 is AES_CM_128_HMAC_SHA1_32, SRTCP keeping
/// its 80-bit tag, as before RFC 4771 support.
#[test]
fn type_11_without_18_or_19_names_the_profile() {
    let (policy, p) = SrtpPolicy::negotiate(&sp(&[(11, &[4])]), |_| true).unwrap();
    assert_eq!(p, SrtpProfile::Aes128CmSha1_32);
    assert_eq!(policy.srtcp_auth().tag_len, None);
    assert_eq!(policy, SrtpProfile::Aes128CmSha1_32.policy());
    // With type 18 present, RFC 4771 §4 applies as written: SRTCP's tag is type 11.
    assert_eq!(
        SrtpPolicy::negotiate(&sp(&[(11, &[4]), (18, &[4])]), |_| true),
        Err(PolicyError::Unsupported)
    );
}

// --- refusals ----------------------------------------------------------------------

#[test]
fn rcc_transforms_are_refused_in_types_2_14_and_15() {
    for ty in [2u8, 14, 15] {
        for (rcc, name) in [(2u8, "RCCm1"), (3, "RCCm2"), (4, "RCCm3")] {
            assert_eq!(SrtpAuthAlg::from(rcc).registered_name(), Some(name));
            let offer = sp(&[(ty, &[rcc])]);
            assert_eq!(
                SrtpPolicy::negotiate(&offer, |_| true),
                Err(PolicyError::Unsupported),
                "{name} in type {ty}"
            );
            let policy = SrtpPolicy {
                srtp_auth_alg: (ty == 14).then_some(rcc),
                srtcp_auth_alg: (ty == 15).then_some(rcc),
                auth_alg: if ty == 2 { rcc } else { 1 },
                ..SrtpPolicy::default()
            };
            assert!(policy.uses_rcc());
            assert_eq!(policy.profile(), None);
            // The same offer with HMAC-SHA-1 there is supported.
            let hmac = sp(&[(ty, &[1])]);
            assert!(SrtpPolicy::negotiate(&hmac, |_| true).is_ok(), "type {ty}");
        }
    }
    // RCC with a rate and a tag that includes the ROC (RFC 4771 §4): still refused;
    // an HMAC-SHA-1 alternative after it is taken.
    let rcc = [(13, &[0, 10][..]), (14, &[3]), (18, &[14])];
    assert_eq!(
        SrtpPolicy::negotiate(&sp(&rcc), |_| true),
        Err(PolicyError::Unsupported)
    );
    let with_fallback = [(13, &[0, 10][..]), (14, &[3]), (14, &[1])];
    let (policy, p) = SrtpPolicy::negotiate(&sp(&with_fallback), |_| true).unwrap();
    assert_eq!(p, SrtpProfile::Aes128CmSha1_80);
    assert_eq!(policy.srtp_auth_alg, Some(1));
    assert_eq!(policy.roc_transmission_rate(), 10);
    assert!(!policy.uses_rcc());
}

#[test]
fn roc_transmission_rate_is_two_non_zero_bytes() {
    let negotiate = |rate: &[u8]| SrtpPolicy::negotiate(&sp(&[(13, rate)]), |_| true);
    // Absent: 1 (RFC 4771 §4); any non-zero value is accepted without RCC.
    let (absent, _) = SrtpPolicy::negotiate(&sp(&[]), |_| true).unwrap();
    assert_eq!((absent.roc_rate, absent.roc_transmission_rate()), (None, 1));
    for (bytes, rate) in [([0u8, 1u8], 1u16), ([0, 10], 10), ([0xFF, 0xFF], 0xFFFF)] {
        let (policy, p) = negotiate(&bytes).unwrap();
        assert_eq!(
            (policy.roc_transmission_rate(), p),
            (rate, SrtpProfile::Aes128CmSha1_80)
        );
    }
    // 0 ("MUST be a non-zero unsigned integer") and every length but 2 are refused.
    for bad in [&[0u8, 0][..], &[], &[1], &[0, 0, 1], &[0, 1, 0, 0]] {
        assert_eq!(negotiate(bad), Err(PolicyError::Unsupported), "{bad:?}");
    }
    // As alternatives: a zero rate is skipped for the next one.
    let offer = sp(&[(13, &[0, 0]), (13, &[0, 7])]);
    let (policy, _) = SrtpPolicy::negotiate(&offer, |_| true).unwrap();
    assert_eq!(policy.roc_transmission_rate(), 7);
}

#[test]
fn srtcp_values_no_profile_uses_are_refused() {
    let refuse = |params: &[(u8, &[u8])]| {
        assert_eq!(
            SrtpPolicy::negotiate(&sp(params), |_| true),
            Err(PolicyError::Unsupported),
            "{params:?}"
        );
    };
    refuse(&[(19, &[4])]); // SRTCP tag 4 with the default SRTP tag
    refuse(&[(11, &[4]), (19, &[4])]); // SRTCP tag 4 with SRTP tag 4
    refuse(&[(18, &[4]), (19, &[4])]);
    refuse(&[(19, &[16])]);
    refuse(&[(15, &[0])]); // SRTCP without authentication
    refuse(&[(17, &[16])]); // SRTCP auth key of 16 bytes
    refuse(&[(16, &[32])]); // SRTP auth key of 32 bytes
    refuse(&[(18, &[8])]); // an SRTP tag of 8 bytes
    refuse(&[(14, &[0])]); // SRTP without authentication
    refuse(&[(0, &[6]), (14, &[1])]); // HMAC-SHA-1 on top of AES-GCM, SRTP
    refuse(&[(0, &[6]), (15, &[1])]); // ... SRTCP
    refuse(&[(0, &[6]), (15, &[3])]); // RCCm2 for SRTCP under AES-GCM
    refuse(&[(14, &[1, 0])]); // two-byte values of one-byte types
    refuse(&[(19, &[])]);
    refuse(&[(21, &[1])]); // unassigned parameter types
    refuse(&[(240, &[1])]);
    refuse(&[(255, &[])]);
}

/// With AES-GCM the lengths of the authentication function it does not have (types
/// 3, 11 and RFC 4771's 16-19) are not looked at, and not written back (RFC 7714
/// §14.3: the encryption algorithm, key length and AEAD tag length "fully determine
/// the AEAD algorithm"); with AES-CM they are checked.
#[test]
fn aead_ignores_the_lengths_of_an_absent_authentication_function() {
    let base = gcm_offer(16);
    for ty in [3u8, 11, 16, 17, 18, 19] {
        let offer = to_sp_of(&with(base.clone(), ty, &[4]));
        let (policy, p) = SrtpPolicy::negotiate(&offer, |_| true).unwrap();
        assert_eq!(p, SrtpProfile::AeadAes128Gcm, "type {ty}");
        assert!(policy.to_sp(0).unwrap().param(ty).is_none(), "type {ty}");
        let cm = to_sp_of(&with(hmac_offer(1, 16, 10), ty, &[8]));
        assert_eq!(
            SrtpPolicy::negotiate(&cm, |_| true),
            Err(PolicyError::Unsupported)
        );
    }
}

/// GStreamer's type 3 tag reading applies only to an SP that gives no tag length at
/// all: with RFC 4771's type 18 or 19 present, type 3 is a key length.
#[test]
fn gstreamer_tag_reading_needs_no_tag_type_at_all() {
    let gst = [(2u8, &[1u8][..]), (3, &[4])];
    assert_eq!(
        SrtpPolicy::negotiate(&sp(&gst), |_| true).map(|(_, p)| p),
        Ok(SrtpProfile::Aes128CmSha1_32)
    );
    // Read as GStreamer's tag, type 3 = 4 would make the first and third the _32
    // profile; read as a key length it is refused, and 20 is accepted.
    type Params<'a> = &'a [(u8, &'a [u8])];
    let cases: [(Params<'_>, _); 4] = [
        (
            &[(2, &[1]), (3, &[4]), (18, &[4]), (19, &[10])],
            Err(PolicyError::Unsupported),
        ),
        (
            &[(2, &[1]), (3, &[20]), (18, &[4]), (19, &[10])],
            Ok(SrtpProfile::Aes128CmSha1_32),
        ),
        (
            &[(2, &[1]), (3, &[4]), (19, &[10])],
            Err(PolicyError::Unsupported),
        ),
        (
            &[(2, &[1]), (3, &[20]), (19, &[10])],
            Ok(SrtpProfile::Aes128CmSha1_80),
        ),
    ];
    for (params, expected) in cases {
        let got = SrtpPolicy::negotiate(&sp(params), |_| true).map(|(_, p)| p);
        assert_eq!(got, expected, "{params:?}");
    }
}

#[test]
fn rfc4771_policies_round_trip_with_a_rate() {
    let policy = SrtpPolicy {
        roc_rate: NonZeroU16::new(0x0102),
        ..SrtpProfile::Aes256CmSha1_32.rfc4771_policy()
    };
    let wire = policy.to_sp(9).unwrap();
    let expected = tlv(&[
        (0, &[1]),
        (1, &[32]),
        (2, &[1]),
        (3, &[20]),
        (4, &[14]),
        (5, &[0]),
        (6, &[0]),
        (7, &[1]),
        (8, &[1]),
        (9, &[0]),
        (10, &[1]),
        (11, &[4]),
        (12, &[0]),
        (13, &[1, 2]),
        (14, &[1]),
        (15, &[1]),
        (16, &[20]),
        (17, &[20]),
        (18, &[4]),
        (19, &[10]),
    ]);
    assert_eq!(wire.param_bytes(), expected);
    assert_eq!(wire.policy_no, 9);
    assert_eq!(
        SrtpPolicy::negotiate(&wire, |_| true),
        Ok((policy, SrtpProfile::Aes256CmSha1_32))
    );
}
