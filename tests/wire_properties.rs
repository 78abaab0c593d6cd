//! Property tests of the wire codec.
//!
//! - Random valid messages — random header (data type, V, PRF, CSB ID, SRTP-ID / Empty /
//!   GENERIC-ID map) and 0..8 payloads of every `Payload` kind with random contents that
//!   respect the wire constraints — encode, parse back to the same message, re-encode to
//!   the same bytes, and their parse and encode layouts agree and tile the bytes. The same
//!   for KEMAC key chains and TP Data chains.
//! - Random bytes and mutated valid messages (bit flips, byte and 16-bit replacements,
//!   truncations, insertions, deletions, duplications, splices of two messages) never
//!   panic `Message::parse`, `parse_key_chain` or `encode`, and whatever parses re-encodes
//!   to exactly the input: `MIKEY_FUZZ_CASES` cases of each (100,000 by default), through
//!   the checks of the fuzz targets (`fuzz/check.rs`).

use mikey::wire::*;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use std::borrow::Cow;
use std::sync::OnceLock;

include!("../fuzz/check.rs");

type B = Cow<'static, [u8]>;

// ---------------------------------------------------------------------------------------
// Field strategies

/// Random bytes of a length in `len`.
fn rnd(len: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = B> + Clone {
    vec(any::<u8>(), len).prop_map(Cow::Owned)
}

/// A byte field of at most `max` bytes: mostly short random bytes, sometimes any length
/// up to `max` and sometimes exactly `max` (patterned, which is cheaper to generate).
fn field(max: usize) -> BoxedStrategy<B> {
    let patterned = |len: BoxedStrategy<usize>| {
        (len, any::<u8>())
            .prop_map(|(n, s)| {
                Cow::Owned((0..n).map(|i| s.wrapping_add(i as u8)).collect::<Vec<_>>())
            })
            .boxed()
    };
    prop_oneof![
        12 => rnd(0..=max.min(24)),
        2 => patterned((0..=max).boxed()),
        1 => patterned(Just(max).boxed()),
    ]
    .boxed()
}

/// Exactly `n` random bytes.
fn exact(n: usize) -> impl Strategy<Value = B> {
    rnd(n..=n)
}

fn kv() -> BoxedStrategy<KeyValidity<'static>> {
    prop_oneof![
        Just(KeyValidity::Null),
        field(255).prop_map(KeyValidity::Spi),
        (field(255), field(255)).prop_map(|(from, to)| KeyValidity::Interval { from, to }),
    ]
    .boxed()
}

/// A 4-byte or 8-byte TS type with a value that fits it.
fn ts_type_value() -> impl Strategy<Value = (TsType, u64)> {
    (0u8..4, any::<u64>()).prop_map(|(t, v)| {
        let t = TsType::from(t);
        (t, if t.value_len() == Some(4) { v >> 32 } else { v })
    })
}

fn key_data() -> impl Strategy<Value = KeyData<'static>> {
    (0u8..16, field(300), field(40), kv()).prop_map(|(t, key, salt, kv)| {
        let key_type = KeyDataType::from(t);
        KeyData {
            key_type,
            key,
            salt: key_type.has_salt().then_some(salt),
            kv,
        }
    })
}

fn id() -> impl Strategy<Value = Id<'static>> {
    (any::<u8>(), field(600)).prop_map(|(t, data)| Id {
        id_type: IdType::from(t),
        data,
    })
}

fn key_chain_item() -> impl Strategy<Value = KeyChainItem<'static>> {
    prop_oneof![
        3 => key_data().prop_map(KeyChainItem::KeyData),
        1 => id().prop_map(KeyChainItem::Id),
    ]
}

fn key_chain() -> impl Strategy<Value = Vec<KeyChainItem<'static>>> {
    vec(key_chain_item(), 0..5)
}

fn ecc_point() -> impl Strategy<Value = EccPoint<'static>> {
    (1u8..=16)
        .prop_flat_map(|c| {
            let curve = EccCurve::from(c);
            (
                Just(curve),
                exact(curve.point_field_len().unwrap()),
                any::<u8>(),
                any::<u16>(),
                0u8..16,
                kv(),
            )
        })
        .prop_map(|(curve, point, auth_alg, tgk_len, reserved, kv)| EccPoint {
            curve,
            point,
            auth_alg,
            tgk_len,
            reserved,
            kv,
        })
}

fn secret_key() -> impl Strategy<Value = SecretKey<'static>> {
    (0u8..16, field(64), kv()).prop_map(|(t, key, kv)| SecretKey {
        sk_type: SecretKeyType::from(t),
        key,
        kv,
    })
}

/// Encr data of KEMAC: random (encrypted) bytes or a plaintext key chain.
fn kemac_data() -> BoxedStrategy<B> {
    prop_oneof![
        field(2000),
        key_chain().prop_map(|items| Cow::Owned(encode_key_chain(&items).unwrap())),
    ]
    .boxed()
}

/// Encr data of IBAKE/ESK: random bytes or a plaintext ECCPT/SK sub-payload.
fn ibe_data(esk: bool) -> BoxedStrategy<B> {
    let sub = if esk {
        (any::<u8>(), secret_key())
            .prop_map(|(next, sk)| {
                let mut out = vec![next];
                sk.write(&mut out).unwrap();
                Cow::Owned(out)
            })
            .boxed()
    } else {
        (any::<u8>(), ecc_point())
            .prop_map(|(next, pt)| {
                let mut out = vec![next];
                pt.write(&mut out).unwrap();
                Cow::Owned(out)
            })
            .boxed()
    };
    prop_oneof![field(300), sub].boxed()
}

// ---------------------------------------------------------------------------------------
// Header strategies

fn generic_id_entry() -> impl Strategy<Value = GenericIdEntry<'static>> {
    (
        any::<u8>(),
        any::<u8>(),
        any::<bool>(),
        field(127),
        field(400),
        field(255),
    )
        .prop_map(
            |(cs_id, prot, s, policy_nos, session_data, spi)| GenericIdEntry {
                cs_id,
                prot_type: ProtType::from(prot),
                s,
                policy_nos,
                session_data,
                spi,
            },
        )
}

fn cs_map() -> impl Strategy<Value = CsIdMap<'static>> {
    prop_oneof![
        vec((any::<u8>(), any::<u32>(), any::<u32>()), 0..4).prop_map(|entries| {
            let entries: Vec<_> = entries
                .into_iter()
                .map(|(policy_no, ssrc, roc)| SrtpIdEntry {
                    policy_no,
                    ssrc,
                    roc,
                })
                .collect();
            CsIdMap::SrtpId(SrtpIdMap::from_entries(&entries).unwrap())
        }),
        any::<u8>().prop_map(|cs_count| CsIdMap::Empty { cs_count }),
        vec(generic_id_entry(), 0..4)
            .prop_map(|e| CsIdMap::GenericId(GenericIdMap::from_entries(&e).unwrap())),
    ]
}

fn header() -> impl Strategy<Value = CommonHeader<'static>> {
    (
        any::<u8>(),
        any::<bool>(),
        0u8..=127,
        any::<u32>(),
        cs_map(),
    )
        .prop_map(|(dt, v, prf, csb_id, cs_map)| CommonHeader {
            data_type: DataType::from(dt),
            v,
            prf: PrfFunc::from(prf),
            csb_id,
            cs_map,
        })
}

// ---------------------------------------------------------------------------------------
// Payload strategies

fn sign() -> impl Strategy<Value = Payload<'static>> {
    (0u8..16, field(4095)).prop_map(|(t, signature)| {
        Payload::Sign(Sign {
            sig_type: SignatureType::from(t),
            signature,
        })
    })
}

/// Every payload kind except SIGN (which must be last) and TP/TICKET (whose TP Data may
/// hold a chain of these).
fn leaf_payload() -> BoxedStrategy<Payload<'static>> {
    prop_oneof![
        // KEMAC: MAC length by MAC alg.
        (
            any::<u8>(),
            kemac_data(),
            (0u8..3).prop_flat_map(|m| {
                let alg = MacAlg::from(m);
                (Just(alg), exact(alg.mac_len().unwrap()))
            })
        )
            .prop_map(|(e, encr_data, (mac_alg, mac))| Payload::Kemac(Kemac {
                encr_alg: EncrAlg::from(e),
                encr_data,
                mac_alg,
                mac,
            })),
        // PKE: 2-bit C, data < 2^14.
        (0u8..4, field(16383)).prop_map(|(c, data)| Payload::Pke(Pke {
            cache: CacheIndicator::from(c),
            data,
        })),
        // DH: value length by group, 4 reserved bits.
        (
            (0u8..3).prop_flat_map(|g| {
                let group = DhGroup::from(g);
                (Just(group), exact(group.value_len().unwrap()))
            }),
            0u8..16,
            kv()
        )
            .prop_map(|((group, value), reserved, kv)| Payload::Dh(Dh {
                group,
                value,
                reserved,
                kv,
            })),
        ts_type_value()
            .prop_map(|(ts_type, value)| Payload::Timestamp(Timestamp { ts_type, value })),
        id().prop_map(Payload::Id),
        (any::<u8>(), field(2000)).prop_map(|(t, data)| Payload::Cert(Cert {
            cert_type: CertType::from(t),
            data,
        })),
        // CHASH: hash length by function.
        (0u8..3)
            .prop_flat_map(|h| {
                let f = HashFunc::from(h);
                (Just(f), exact(f.hash_len().unwrap()))
            })
            .prop_map(|(hash_func, hash)| Payload::Chash(Chash { hash_func, hash })),
        // V: MAC length by auth alg.
        (0u8..3)
            .prop_flat_map(|m| {
                let alg = MacAlg::from(m);
                (Just(alg), exact(alg.mac_len().unwrap()))
            })
            .prop_map(|(auth_alg, data)| Payload::Verification(Verification { auth_alg, data })),
        (
            any::<u8>(),
            any::<u8>(),
            vec((any::<u8>(), field(255)), 0..6)
        )
            .prop_map(|(no, prot, params)| {
                let mut sp = SecurityPolicy::new(no, ProtType::from(prot));
                for (t, v) in params {
                    sp = sp.with_param(t, &v).unwrap();
                }
                Payload::SecurityPolicy(sp)
            }),
        field(255).prop_map(|rand| Payload::Rand(Rand { rand })),
        (any::<u8>(), any::<u16>()).prop_map(|(e, reserved)| Payload::Error(ErrorPayload {
            error_no: ErrorNo::from(e),
            reserved,
        })),
        (any::<u8>(), ts_type_value()).prop_map(|(r, (ts_type, value))| {
            Payload::TimestampRole(TimestampWithRole {
                role: TsRole::from(r),
                ts_type,
                value,
            })
        }),
        (any::<u8>(), any::<u8>(), field(600)).prop_map(|(r, t, data)| {
            Payload::IdRole(IdWithRole {
                role: IdRole::from(r),
                id_type: IdType::from(t),
                data,
            })
        }),
        (any::<u8>(), field(255)).prop_map(|(r, rand)| Payload::RandRole(RandWithRole {
            role: RandRole::from(r),
            rand,
        })),
        general_extension().prop_map(Payload::GeneralExtension),
        ibe_data(false).prop_map(|encr_data| Payload::Ibake(IbeEncrypted { encr_data })),
        ibe_data(true)
            .prop_map(|encr_data| Payload::EncryptedSecretKey(IbeEncrypted { encr_data })),
        (any::<u8>(), any::<u8>(), field(1000)).prop_map(|(p, s, data)| {
            Payload::Sakke(Sakke {
                params: SakkeParams::from(p),
                id_scheme: IdScheme::from(s),
                data,
            })
        }),
    ]
    .boxed()
}

/// General Extension: a Key ID extension holds valid entries; other types any data.
fn general_extension() -> impl Strategy<Value = GeneralExtension<'static>> {
    prop_oneof![
        (any::<u8>(), field(600)).prop_filter_map("Key ID data must be entries", |(t, data)| {
            let ext_type = GenExtType::from(t);
            (ext_type != GenExtType::KeyId).then_some(GeneralExtension { ext_type, data })
        }),
        vec((any::<u8>(), field(255)), 0..5).prop_map(|entries| {
            let entries: Vec<_> = entries
                .iter()
                .map(|(t, id)| KeyIdEntry {
                    id_type: KeyIdType::from(*t),
                    id,
                })
                .collect();
            GeneralExtension::key_ids(&entries).unwrap()
        }),
    ]
}

/// A payload chain as TP Data carries it: the first payload's type, then the chain.
fn chain_bytes(payloads: Vec<Payload<'static>>) -> Vec<u8> {
    let first = payloads
        .first()
        .map_or(PayloadType::Last, Payload::payload_type);
    let m = Message {
        header: CommonHeader {
            data_type: DataType::PreShared,
            v: false,
            prf: PrfFunc::Mikey1,
            csb_id: 0,
            cs_map: CsIdMap::Empty { cs_count: 0 },
        },
        payloads,
    };
    let (bytes, layout) = m.encode_with_layout().unwrap();
    let mut out = vec![u8::from(first)];
    out.extend_from_slice(&bytes[layout.header.end..]);
    out
}

fn tp_chain() -> impl Strategy<Value = Vec<Payload<'static>>> {
    (
        vec(leaf_payload(), 0..3),
        proptest::option::weighted(0.2, sign()),
    )
        .prop_map(|(mut payloads, sign)| {
            payloads.extend(sign);
            payloads
        })
}

fn ticket_policy() -> impl Strategy<Value = TicketPolicy<'static>> {
    let tp_data = prop_oneof![
        field(400),
        tp_chain().prop_map(|p| Cow::Owned(chain_bytes(p))),
    ];
    (
        any::<u16>(),
        any::<u8>(),
        any::<u8>(),
        0u8..=127,
        0u16..=0x0FFF,
        0u8..32,
        tp_data,
    )
        .prop_map(
            |(tt, subtype, version, prf, flags, reserved, tp_data)| TicketPolicy {
                ticket_type: TicketType::from(tt),
                subtype,
                version,
                prf: PrfFunc::from(prf),
                flags,
                reserved,
                tp_data,
            },
        )
}

/// Any payload but SIGN.
fn payload() -> BoxedStrategy<Payload<'static>> {
    prop_oneof![
        19 => leaf_payload(),
        1 => ticket_policy().prop_map(Payload::TicketPolicy),
        1 => (ticket_policy(), field(400), field(400)).prop_map(
            |(policy, ticket_data, initiator_data)| Payload::Ticket(Ticket {
                policy,
                ticket_data,
                initiator_data,
            })
        ),
    ]
    .boxed()
}

/// A valid message: random header, 0..8 payloads, SIGN (if any) last.
fn message() -> impl Strategy<Value = Message<'static>> {
    (
        header(),
        vec(payload(), 0..8),
        proptest::option::weighted(0.25, sign()),
    )
        .prop_map(|(header, mut payloads, sign)| {
            if let Some(sign) = sign {
                payloads.truncate(7);
                payloads.push(sign);
            }
            Message { header, payloads }
        })
}

// ---------------------------------------------------------------------------------------
// Valid inputs round-trip

fn check_valid_message(m: &Message<'static>) -> Result<(), TestCaseError> {
    let (bytes, layout) = m.encode_with_layout().expect("a valid message encodes");
    prop_assert_eq!(&m.encode().unwrap(), &bytes);
    let (back, parsed_layout) = Message::parse_with_layout(&bytes)
        .unwrap_or_else(|e| panic!("{e}: {}", hex::encode(&bytes)));
    prop_assert_eq!(&back, m);
    prop_assert_eq!(&Message::parse(&bytes).unwrap(), m);
    prop_assert_eq!(&back.encode().unwrap(), &bytes);
    prop_assert_eq!(&parsed_layout, &layout);

    // Header range, then payload ranges, contiguous to the end.
    prop_assert_eq!(layout.header.start, 0);
    let mut end = layout.header.end;
    for span in &layout.payloads {
        prop_assert_eq!(span.start, end);
        end = span.end;
    }
    prop_assert_eq!(end, bytes.len());
    prop_assert_eq!(layout.payloads.len(), m.payloads.len());
    // Each range re-encodes alone to the payload (Next payload field aside).
    for (i, (p, span)) in m.payloads.iter().zip(&layout.payloads).enumerate() {
        let next = m
            .payloads
            .get(i + 1)
            .map_or(PayloadType::Last, Payload::payload_type);
        let mut one = Vec::new();
        p.write(next, &mut one).unwrap();
        prop_assert_eq!(&one[..], &bytes[span.clone()]);
    }

    // No strict prefix parses, and one more byte is a trailing byte.
    let cuts: Vec<usize> = if bytes.len() <= 600 {
        (0..bytes.len()).collect()
    } else {
        (0..bytes.len()).step_by(bytes.len() / 300).collect()
    };
    for cut in cuts {
        prop_assert!(
            Message::parse(&bytes[..cut]).is_err(),
            "prefix {} parses",
            cut
        );
    }
    let mut longer = bytes.clone();
    longer.push(0);
    prop_assert_eq!(
        Message::parse(&longer).unwrap_err(),
        ParseError::new(bytes.len(), ErrorKind::TrailingBytes { count: 1 })
    );

    fuzz_check::check_parse(&bytes);
    fuzz_check::check_roundtrip(&bytes);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1_000, ..ProptestConfig::default() })]

    #[test]
    fn random_messages_round_trip(m in message()) {
        check_valid_message(&m)?;
    }

    #[test]
    fn every_payload_kind_round_trips_alone_and_before_sign(
        header in header(),
        p in payload(),
        s in sign(),
    ) {
        check_valid_message(&Message { header: header.clone(), payloads: vec![p.clone()] })?;
        check_valid_message(&Message { header, payloads: vec![p, s] })?;
    }

    #[test]
    fn random_key_chains_round_trip(items in key_chain()) {
        let bytes = encode_key_chain(&items).unwrap();
        let firsts = match items.first() {
            Some(KeyChainItem::Id(_)) => vec![PayloadType::Id],
            Some(KeyChainItem::KeyData(_)) => vec![PayloadType::KeyData],
            None => vec![PayloadType::Id, PayloadType::KeyData],
        };
        for first in firsts {
            let back = parse_key_chain(&bytes, first, 0).unwrap();
            prop_assert_eq!(&back, &items);
            prop_assert_eq!(encode_key_chain(&back).unwrap(), bytes.clone());
        }
        for cut in 1..bytes.len() {
            let first = if matches!(items[0], KeyChainItem::Id(_)) {
                PayloadType::Id
            } else {
                PayloadType::KeyData
            };
            prop_assert!(parse_key_chain(&bytes[..cut], first, 0).is_err(), "prefix {}", cut);
        }
        fuzz_check::check_parse(&bytes);
        fuzz_check::check_roundtrip(&bytes);
    }

    #[test]
    fn tp_data_chains_round_trip(payloads in tp_chain(), policy in ticket_policy()) {
        let tp = TicketPolicy { tp_data: Cow::Owned(chain_bytes(payloads.clone())), ..policy };
        prop_assert_eq!(tp.tp_payloads().unwrap(), payloads);
    }

    #[test]
    fn ibake_sub_payloads_round_trip(pt in ecc_point(), sk in secret_key()) {
        let mut out = Vec::new();
        pt.write(&mut out).unwrap();
        prop_assert_eq!(EccPoint::read(&mut Reader::new(&out)).unwrap(), pt);
        let mut out = Vec::new();
        sk.write(&mut out).unwrap();
        prop_assert_eq!(SecretKey::read(&mut Reader::new(&out)).unwrap(), sk);
    }

    /// Values the wire cannot carry are encode errors, never panics or silent truncation.
    #[test]
    fn encode_refuses_what_the_wire_cannot_carry(m in message(), which in 0u8..8, n in 16u8..) {
        let mut m = m;
        let expect_err = match which {
            0 => { m.header.prf = PrfFunc::from(n | 0x80); true }
            1 => {
                m.payloads.insert(0, Payload::Sign(Sign {
                    sig_type: SignatureType::RsaPkcs1v15,
                    signature: Cow::Borrowed(&[]),
                }));
                m.payloads.len() > 1
            }
            2 => {
                m.payloads.push(Payload::Rand(Rand { rand: Cow::Owned(vec![0; 256]) }));
                true
            }
            3 => {
                m.payloads.insert(0, Payload::Timestamp(Timestamp {
                    ts_type: TsType::Counter,
                    value: 1 << 32,
                }));
                true
            }
            4 => {
                m.payloads.insert(0, Payload::Dh(Dh {
                    group: DhGroup::Oakley1,
                    value: Cow::Owned(vec![0; 95]),
                    reserved: 0,
                    kv: KeyValidity::Null,
                }));
                true
            }
            5 => {
                m.payloads.insert(0, Payload::Pke(Pke {
                    cache: CacheIndicator::from(n % 4),
                    data: Cow::Owned(vec![0; 16384]),
                }));
                true
            }
            6 => {
                m.payloads.insert(0, Payload::Verification(Verification {
                    auth_alg: MacAlg::from(n),
                    data: Cow::Borrowed(&[]),
                }));
                true
            }
            _ => {
                m.payloads.insert(0, Payload::Dh(Dh {
                    group: DhGroup::Oakley1,
                    value: Cow::Owned(vec![0; 96]),
                    reserved: n,
                    kv: KeyValidity::Null,
                }));
                true
            }
        };
        prop_assert_eq!(m.encode().is_err(), expect_err);
    }
}

// ---------------------------------------------------------------------------------------
// Random and mutated inputs never panic

/// Cases of each no-panic property (`MIKEY_FUZZ_CASES`, default 100,000).
fn fuzz_cases() -> u32 {
    std::env::var("MIKEY_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}

fn fuzz_config() -> ProptestConfig {
    ProptestConfig {
        cases: fuzz_cases(),
        ..ProptestConfig::default()
    }
}

/// Random bytes; half of them start like a header (version 1, a small Next payload type
/// and map type) so that the payload chain walk is reached.
fn random_input() -> impl Strategy<Value = Vec<u8>> {
    (any::<bool>(), vec(any::<u8>(), 0..400)).prop_map(|(header_like, mut v)| {
        if header_like {
            if let Some(b) = v.get_mut(0) {
                *b = 1;
            }
            if let Some(b) = v.get_mut(2) {
                *b %= 28;
            }
            if let Some(b) = v.get_mut(8) {
                *b %= 4;
            }
            if let Some(b) = v.get_mut(9) {
                *b %= 3;
            }
        }
        v
    })
}

/// Valid messages to mutate: 300 generated messages (a fixed seed) and the committed seed
/// corpus (RFC 4567 and worked PSK examples, one message per payload kind).
fn mutation_pool() -> &'static [Vec<u8>] {
    static POOL: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    POOL.get_or_init(|| {
        let mut runner = TestRunner::deterministic();
        let strategy = message();
        let mut pool: Vec<Vec<u8>> = (0..300)
            .map(|_| {
                let m = strategy.new_tree(&mut runner).unwrap().current();
                m.encode().unwrap()
            })
            .collect();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/corpus/parse");
        let mut seeds: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("seed-")
            })
            .collect();
        seeds.sort();
        assert!(seeds.len() >= 20, "seed corpus missing from {dir}");
        pool.extend(seeds.iter().map(|p| std::fs::read(p).unwrap()));
        pool
    })
}

#[derive(Clone, Debug)]
enum Mutation {
    FlipBit(Index, u8),
    SetByte(Index, u8),
    SetU16(Index, u16),
    Truncate(Index),
    Insert(Index, Vec<u8>),
    Delete(Index, usize),
    Duplicate(Index, usize, Index),
    /// This message up to one point, then another pool message from another point.
    Splice(Index, Index, Index),
}

fn interesting_u8() -> impl Strategy<Value = u8> {
    prop_oneof![
        3 => any::<u8>(),
        1 => prop::sample::select(vec![0u8, 1, 2, 3, 4, 0x0F, 0x10, 0x7F, 0x80, 0xFE, 0xFF]),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<Index>(), 0u8..8).prop_map(|(i, b)| Mutation::FlipBit(i, b)),
        3 => (any::<Index>(), interesting_u8()).prop_map(|(i, v)| Mutation::SetByte(i, v)),
        1 => (
            any::<Index>(),
            prop_oneof![any::<u16>(), 0u16..64, prop::sample::select(vec![0x3FFF, 0x0FFF, 0xFFFF])],
        )
            .prop_map(|(i, v)| Mutation::SetU16(i, v)),
        2 => any::<Index>().prop_map(Mutation::Truncate),
        2 => (any::<Index>(), vec(interesting_u8(), 1..8)).prop_map(|(i, v)| Mutation::Insert(i, v)),
        2 => (any::<Index>(), 1usize..16).prop_map(|(i, n)| Mutation::Delete(i, n)),
        1 => (any::<Index>(), 1usize..32, any::<Index>())
            .prop_map(|(i, n, at)| Mutation::Duplicate(i, n, at)),
        2 => (any::<Index>(), any::<Index>(), any::<Index>())
            .prop_map(|(o, a, b)| Mutation::Splice(o, a, b)),
    ]
}

fn apply(m: &Mutation, v: &mut Vec<u8>) {
    let pool = mutation_pool();
    let at = |i: &Index, n: usize| i.index(n + 1); // 0..=n
    match m {
        Mutation::FlipBit(i, b) if !v.is_empty() => {
            let i = i.index(v.len());
            v[i] ^= 1 << b;
        }
        Mutation::SetByte(i, x) if !v.is_empty() => {
            let i = i.index(v.len());
            v[i] = *x;
        }
        Mutation::SetU16(i, x) if v.len() >= 2 => {
            let i = i.index(v.len() - 1);
            v[i..i + 2].copy_from_slice(&x.to_be_bytes());
        }
        Mutation::Truncate(i) => v.truncate(at(i, v.len())),
        Mutation::Insert(i, bytes) => {
            let i = at(i, v.len());
            v.splice(i..i, bytes.iter().copied());
        }
        Mutation::Delete(i, n) if !v.is_empty() => {
            let i = i.index(v.len());
            let end = (i + n).min(v.len());
            v.drain(i..end);
        }
        Mutation::Duplicate(i, n, to) if !v.is_empty() => {
            let i = i.index(v.len());
            let chunk = v[i..(i + n).min(v.len())].to_vec();
            let to = at(to, v.len());
            v.splice(to..to, chunk);
        }
        Mutation::Splice(other, a, b) => {
            let other = &pool[other.index(pool.len())];
            v.truncate(at(a, v.len()));
            v.extend_from_slice(&other[at(b, other.len())..]);
        }
        _ => {}
    }
}

fn mutated_input() -> impl Strategy<Value = Vec<u8>> {
    (any::<Index>(), vec(mutation(), 1..5)).prop_map(|(base, mutations)| {
        let pool = mutation_pool();
        let mut v = pool[base.index(pool.len())].clone();
        for m in &mutations {
            apply(m, &mut v);
        }
        v
    })
}

proptest! {
    #![proptest_config(fuzz_config())]

    #[test]
    fn random_bytes_never_panic(data in random_input()) {
        fuzz_check::check_parse(&data);
        fuzz_check::check_roundtrip(&data);
    }

    #[test]
    fn mutated_messages_never_panic(data in mutated_input()) {
        fuzz_check::check_parse(&data);
        fuzz_check::check_roundtrip(&data);
    }
}

/// The mutations are not vacuous: a good share of mutated messages still parse (and so
/// exercise the re-encoding check), and a good share do not.
#[test]
fn mutated_inputs_both_parse_and_fail() {
    let mut runner = TestRunner::deterministic();
    let strategy = mutated_input();
    let (mut ok, n) = (0, 2_000);
    for _ in 0..n {
        let data = strategy.new_tree(&mut runner).unwrap().current();
        ok += usize::from(Message::parse(&data).is_ok());
    }
    assert!(
        ok > n / 50 && ok < n * 9 / 10,
        "{ok} of {n} mutated inputs parse"
    );
}
