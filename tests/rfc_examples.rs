//! The messages printed in RFC 4567 §5 and the worked PSK example of tests/data/README.md parse
//! into the fields the texts describe, and re-encode byte for byte.

use mikey::sdp;
use mikey::wire::*;

fn data(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn key_mgmt_line(sdp_text: &str) -> &str {
    sdp_text
        .lines()
        .find(|l| l.starts_with("a=key-mgmt:"))
        .unwrap()
}

fn assert_round_trip(bytes: &[u8]) {
    let m = Message::parse(bytes).unwrap();
    assert_eq!(m.encode().unwrap(), bytes);
    assert_eq!(m.clone().into_owned(), m);
}

#[test]
fn rfc4567_example1_offer_is_a_psk_i_message() {
    let text = data("rfc4567-example1-offer.sdp");
    let bytes = sdp::parse_sdp_attribute(key_mgmt_line(&text)).unwrap();
    assert_eq!(bytes.len(), 132);
    let (m, layout) = Message::parse_with_layout(&bytes).unwrap();
    let h = &m.header;
    assert_eq!(h.data_type, DataType::PreShared);
    assert!(h.v);
    assert_eq!(h.prf, PrfFunc::Mikey1);
    assert_eq!(h.csb_id, 0xCD17_7E50);
    let CsIdMap::SrtpId(map) = &h.cs_map else {
        panic!("SRTP-ID map expected")
    };
    assert_eq!(
        map.entries().collect::<Vec<_>>(),
        [SrtpIdEntry {
            policy_no: 0,
            ssrc: 0,
            roc: 0
        }]
    );
    let types: Vec<_> = m.payloads.iter().map(Payload::payload_type).collect();
    use PayloadType as P;
    assert_eq!(
        types,
        [P::Timestamp, P::Rand, P::Id, P::SecurityPolicy, P::Kemac]
    );
    assert_eq!(
        m.timestamp(),
        Some(&Timestamp {
            ts_type: TsType::NtpUtc,
            value: 0xC8E3_50EA_0000_0000
        })
    );
    assert_eq!(m.rand().unwrap().rand.len(), 16);
    let Payload::Id(id) = &m.payloads[2] else {
        panic!()
    };
    assert_eq!(
        (id.id_type, &id.data[..]),
        (IdType::Nai, &b"donald@duck.com"[..])
    );
    let Payload::SecurityPolicy(sp) = &m.payloads[3] else {
        panic!()
    };
    assert_eq!(
        (sp.policy_no, sp.prot_type, sp.params().count()),
        (0, ProtType::Srtp, 0)
    );
    let k = m.kemac().unwrap();
    assert_eq!(k.encr_alg, EncrAlg::AesCm128);
    assert_eq!(k.encr_data.len(), 36);
    assert_eq!(k.mac_alg, MacAlg::HmacSha1_160);
    // The MAC covers everything up to and including the MAC alg byte (RFC 3830 §5.2).
    let auth = layout.auth_field(&m, 4).unwrap();
    assert_eq!(auth.field, 112..132);
    assert_eq!(auth.covered, 0..112);
    assert_eq!(bytes[111], 1, "MAC alg byte is covered");
    assert_round_trip(&bytes);
}

#[test]
fn rfc4567_example1_answer_is_a_psk_verification_message() {
    let text = data("rfc4567-example1-answer.sdp");
    let bytes = sdp::parse_sdp_attribute(key_mgmt_line(&text)).unwrap();
    assert_eq!(bytes.len(), 71);
    let (m, layout) = Message::parse_with_layout(&bytes).unwrap();
    assert_eq!(m.header.data_type, DataType::PskVerification);
    assert_eq!(m.header.csb_id, 0xCD17_7E50);
    let types: Vec<_> = m.payloads.iter().map(Payload::payload_type).collect();
    assert_eq!(
        types,
        [
            PayloadType::Timestamp,
            PayloadType::Id,
            PayloadType::Verification
        ]
    );
    let Payload::Id(id) = &m.payloads[1] else {
        panic!()
    };
    assert_eq!(&id.data[..], b"mickey@mouse.com");
    let Payload::Verification(v) = &m.payloads[2] else {
        panic!()
    };
    assert_eq!(v.auth_alg, MacAlg::HmacSha1_160);
    assert_eq!(layout.auth_field(&m, 2).unwrap().field, 51..71);
    assert_round_trip(&bytes);
}

#[test]
fn rfc4567_example3_rtsp_header_carries_the_answer() {
    let text = data("rfc4567-example3-setup.rtsp");
    let header: String = text
        .lines()
        .skip_while(|l| !l.starts_with("keymgmt:"))
        .collect::<Vec<_>>()
        .join("\r\n");
    let specs = sdp::parse_rtsp_header(&header).unwrap();
    assert_eq!(specs[0].prot, "mikey");
    assert_eq!(
        specs[0].uri.as_deref(),
        Some("rtsp://movie.example.com/action")
    );
    let answer = data("rfc4567-example1-answer.sdp");
    assert_eq!(
        specs[0].data,
        sdp::parse_sdp_attribute(key_mgmt_line(&answer)).unwrap()
    );
}

#[test]
fn digest_worked_example_parses_field_by_field() {
    let bytes = hex::decode(data("digest-psk-i-message.hex").trim()).unwrap();
    assert_eq!(bytes.len(), 167);
    let m = Message::parse(&bytes).unwrap();
    assert_eq!(m.header.csb_id, 0x0102_0304);
    let CsIdMap::SrtpId(map) = &m.header.cs_map else {
        panic!()
    };
    assert_eq!(map.get(0).unwrap().ssrc, 0x1122_3344);
    let Payload::SecurityPolicy(sp) = &m.payloads[4] else {
        panic!()
    };
    let params: Vec<(u8, u64)> = sp
        .params()
        .map(|p| (p.param_type, p.as_uint().unwrap()))
        .collect();
    assert_eq!(
        params,
        [
            (0, 1),
            (1, 16),
            (2, 1),
            (3, 20),
            (4, 14),
            (5, 0),
            (7, 1),
            (8, 1),
            (10, 1),
            (11, 10)
        ]
    );
    let k = m.kemac().unwrap();
    assert_eq!(
        hex::encode(&k.encr_data[..]),
        "eb4f5122395a436dc894c33481105238c729ec43"
    );
    assert_round_trip(&bytes);

    let r = hex::decode(data("digest-psk-r-message.hex").trim()).unwrap();
    let rm = Message::parse(&r).unwrap();
    assert_eq!(rm.header.data_type, DataType::PskVerification);
    assert!(!rm.header.v);
    assert_round_trip(&r);
}

#[test]
fn builder_reproduces_the_digest_example_byte_for_byte() {
    let bytes = hex::decode(data("digest-psk-i-message.hex").trim()).unwrap();
    let parsed = Message::parse(&bytes).unwrap();
    let mut sp = SecurityPolicy::new(0, ProtType::Srtp);
    for (t, v) in [
        (0, 1),
        (1, 16),
        (2, 1),
        (3, 20),
        (4, 14),
        (5, 0),
        (7, 1),
        (8, 1),
        (10, 1),
        (11, 10),
    ] {
        sp = sp.with_param(t, &[v]).unwrap();
    }
    let built = MessageBuilder::new(DataType::PreShared, 0x0102_0304)
        .v(true)
        .srtp_crypto_session(0, 0x1122_3344, 0)
        .payload(Payload::Timestamp(Timestamp {
            ts_type: TsType::NtpUtc,
            value: 0xE8D4_A510_0000_0000,
        }))
        .payload(Payload::Rand(Rand {
            rand: vec![0xAA; 16].into(),
        }))
        .payload(Payload::Id(Id {
            id_type: IdType::Nai,
            data: b"alice@example.com"[..].into(),
        }))
        .payload(Payload::Id(Id {
            id_type: IdType::Nai,
            data: b"bob@example.com"[..].into(),
        }))
        .payload(Payload::SecurityPolicy(sp))
        .payload(Payload::Kemac(parsed.kemac().unwrap().clone()))
        .build()
        .unwrap();
    assert_eq!(built.encode().unwrap(), bytes);
}
