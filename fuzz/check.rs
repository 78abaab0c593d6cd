// The properties every input must satisfy, in ONE place: included with `include!` by the
// fuzz targets (`fuzz/fuzz_targets/*.rs`), by the corpus replay (`tests/fuzz_corpus.rs`)
// and by the property tests (`tests/wire_properties.rs`). Each check panics on a violation
// and on nothing else.

#[allow(dead_code)]
mod fuzz_check {
    use mikey::wire::{
        CommonHeader, CsIdMap, DataType, EccPoint, GenExtType, GeneralExtension, GenericIdMap,
        KeyChainItem, Message, MessageBuilder, ParseError, Payload, PayloadType, PrfFunc, Reader,
        SecretKey, SecurityPolicy, SrtpIdMap, encode_key_chain, parse_key_chain,
    };

    /// Target `parse`: parsing never panics; an error names an offset inside the input;
    /// whatever parses re-encodes to exactly the input, with a layout that tiles it and
    /// equals the encoder's; typed views of the parsed fields are consistent; the same
    /// bytes read as a KEMAC key chain (either first type) never panic and re-encode
    /// exactly when they parse.
    pub fn check_parse(data: &[u8]) {
        let plain = Message::parse(data);
        let with_layout = Message::parse_with_layout(data);
        match (&plain, &with_layout) {
            (Ok(m), Ok((ml, _))) => assert_eq!(m, ml, "parse and parse_with_layout differ"),
            (Err(e), Err(el)) => {
                assert_eq!(e, el, "parse and parse_with_layout fail differently");
                check_error(e, 0, data.len());
            }
            _ => panic!("parse: {plain:?}\nparse_with_layout: {with_layout:?}"),
        }
        if let Ok((message, layout)) = &with_layout {
            check_parsed_message(data, message, layout);
        }
        check_key_chains(data);
    }

    /// Target `roundtrip`: parse → `into_owned` → encode → parse again gives the same
    /// message and bytes; a message with an SRTP-ID or Empty map is rebuilt identically
    /// by `MessageBuilder`; the same for KEMAC key chains (owned copies re-encode and
    /// re-parse to the same items).
    pub fn check_roundtrip(data: &[u8]) {
        if let Ok(message) = Message::parse(data) {
            let owned: Message<'static> = message.clone().into_owned();
            assert_eq!(owned, message, "into_owned changed the message");
            let bytes = owned.encode().expect("an owned parsed message encodes");
            assert_eq!(bytes, data, "owned message re-encodes differently");
            let again = Message::parse(&bytes).expect("a re-encoded message parses");
            assert_eq!(again, owned, "re-parse of the re-encoding differs");
            assert_eq!(again.into_owned(), owned);
            check_builder(&owned, data);
        }
        for first in [PayloadType::KeyData, PayloadType::Id] {
            if let Ok(items) = parse_key_chain(data, first, 0) {
                let owned: Vec<KeyChainItem<'static>> = items.iter().map(own_item).collect();
                assert_eq!(owned, items);
                let bytes = encode_key_chain(&owned).expect("a parsed key chain encodes");
                assert_eq!(bytes, data, "key chain re-encodes differently");
                let again = parse_key_chain(&bytes, first, 0).expect("re-encoded chain parses");
                assert_eq!(again, owned, "key chain re-parse differs");
            }
        }
    }

    fn check_error(e: &ParseError, base: usize, len: usize) {
        assert!(
            e.offset >= base && e.offset <= base + len,
            "error offset {} outside {base}..={}: {e}",
            e.offset,
            base + len
        );
        let _ = e.to_string();
    }

    fn check_parsed_message(data: &[u8], m: &Message<'_>, layout: &mikey::wire::Layout) {
        let encoded = m.encode().expect("a parsed message encodes");
        assert_eq!(encoded, data, "parsed message re-encodes differently");
        let (encoded2, layout2) = m.encode_with_layout().expect("encode_with_layout");
        assert_eq!(encoded2, data);
        assert_eq!(&layout2, layout, "parse and encode layouts differ");

        // The header range, then one range per payload, tile the input exactly.
        assert_eq!(layout.header.start, 0);
        assert!(layout.header.end >= 10, "header shorter than 10 bytes");
        assert_eq!(layout.payloads.len(), m.payloads.len());
        let mut end = layout.header.end;
        for span in &layout.payloads {
            assert_eq!(span.start, end, "payload ranges are not contiguous");
            assert!(span.end > span.start, "empty payload range");
            end = span.end;
        }
        assert_eq!(end, data.len(), "payload ranges do not reach the end");

        // No strict prefix of a message is a message: parsing is deterministic and never
        // looks at how much input remains except to fail.
        if let Ok(short) = Message::parse(&data[..data.len() - 1]) {
            panic!("a strict prefix of a valid message parses as {short:?}");
        }

        for (i, span) in layout.payloads.iter().enumerate() {
            if let Some(auth) = layout.auth_field(m, i) {
                assert_eq!(auth.payload_index, i);
                assert_eq!(
                    auth.field.end, span.end,
                    "auth field does not end its payload"
                );
                assert!(auth.field.start > span.start);
                assert_eq!(auth.covered, 0..auth.field.start);
            }
        }
        // SIGN, which has no Next payload field, can only be last.
        if let Some(i) = m
            .payloads
            .iter()
            .position(|p| matches!(p, Payload::Sign(_)))
        {
            assert_eq!(
                i + 1,
                m.payloads.len(),
                "SIGN parsed before the last payload"
            );
        }

        check_header(&m.header);
        for p in &m.payloads {
            check_payload(p);
        }
        let _ = (m.timestamp(), m.rand(), m.kemac());
    }

    fn check_header(h: &CommonHeader<'_>) {
        assert!(u8::from(h.prf) < 0x80, "PRF is a 7-bit field");
        match &h.cs_map {
            CsIdMap::SrtpId(map) => {
                let entries: Vec<_> = map.entries().collect();
                assert_eq!(entries.len(), map.len());
                assert_eq!(map.is_empty(), entries.is_empty());
                for (i, e) in entries.iter().enumerate() {
                    assert_eq!(map.get(i), Some(*e));
                }
                assert_eq!(map.get(entries.len()), None);
                assert_eq!(&SrtpIdMap::from_entries(&entries).unwrap(), map);
            }
            CsIdMap::Empty { cs_count } => assert_eq!(h.cs_map.cs_count(), usize::from(*cs_count)),
            CsIdMap::GenericId(map) => {
                let entries: Vec<_> = map.entries().collect();
                assert_eq!(entries.len(), h.cs_map.cs_count(), "GENERIC-ID blocks lost");
                assert_eq!(&GenericIdMap::from_entries(&entries).unwrap(), map);
            }
        }
    }

    fn check_payload(p: &Payload<'_>) {
        match p {
            Payload::SecurityPolicy(sp) => {
                let mut rebuilt = SecurityPolicy::new(sp.policy_no, sp.prot_type);
                for param in sp.params() {
                    let _ = (param.name(sp.prot_type), param.as_uint());
                    rebuilt = rebuilt.with_param(param.param_type, param.value).unwrap();
                }
                assert_eq!(&rebuilt, sp, "SP parameters do not cover param_bytes");
                assert_eq!(rebuilt.param_bytes(), sp.param_bytes());
            }
            Payload::GeneralExtension(ext) => {
                let _ = (ext.as_sdp_ids(), ext.as_csb_id(), ext.as_oma_bcast());
                if ext.ext_type == GenExtType::KeyId {
                    let entries: Vec<_> = ext.key_id_entries().collect();
                    let rebuilt = GeneralExtension::key_ids(&entries).unwrap();
                    assert_eq!(
                        rebuilt.data, ext.data,
                        "Key ID entries do not cover the data"
                    );
                } else {
                    assert_eq!(ext.key_id_entries().count(), 0);
                }
            }
            Payload::TicketPolicy(tp) => check_tp_data(&tp.tp_data, tp.tp_payloads()),
            Payload::Ticket(t) => check_tp_data(&t.policy.tp_data, t.policy.tp_payloads()),
            Payload::Kemac(k) => check_key_chains(&k.encr_data),
            Payload::Ibake(ibe) => {
                // A plaintext ECCPT sub-payload: Next payload byte, then its body.
                if let Some(body) = ibe.encr_data.get(1..) {
                    let mut r = Reader::new(body);
                    if let Ok(pt) = EccPoint::read(&mut r) {
                        let used = body.len() - r.remaining();
                        let mut out = Vec::new();
                        pt.write(&mut out).expect("a parsed ECCPT encodes");
                        assert_eq!(out, &body[..used], "ECCPT re-encodes differently");
                    }
                }
            }
            Payload::EncryptedSecretKey(ibe) => {
                if let Some(body) = ibe.encr_data.get(1..) {
                    let mut r = Reader::new(body);
                    if let Ok(sk) = SecretKey::read(&mut r) {
                        let used = body.len() - r.remaining();
                        let mut out = Vec::new();
                        sk.write(&mut out).expect("a parsed SK encodes");
                        assert_eq!(out, &body[..used], "SK re-encodes differently");
                    }
                }
            }
            _ => {}
        }
    }

    /// TP Data is one byte naming the first payload, then a payload chain. What parses
    /// must re-encode to exactly the TP Data (re-encoded here behind a dummy header).
    fn check_tp_data(tp_data: &[u8], parsed: Result<Vec<Payload<'_>>, ParseError>) {
        match parsed {
            Ok(payloads) => {
                let first = payloads
                    .first()
                    .map_or(PayloadType::Last, Payload::payload_type);
                let wrapper = Message {
                    header: CommonHeader {
                        data_type: DataType::PreShared,
                        v: false,
                        prf: PrfFunc::Mikey1,
                        csb_id: 0,
                        cs_map: CsIdMap::Empty { cs_count: 0 },
                    },
                    payloads,
                };
                let (bytes, layout) = wrapper.encode_with_layout().expect("TP payloads encode");
                let mut rebuilt = vec![u8::from(first)];
                rebuilt.extend_from_slice(&bytes[layout.header.end..]);
                assert_eq!(rebuilt, tp_data, "TP Data re-encodes differently");
            }
            Err(e) => check_error(&e, 0, tp_data.len()),
        }
    }

    fn check_key_chains(data: &[u8]) {
        for first in [PayloadType::KeyData, PayloadType::Id] {
            match parse_key_chain(data, first, 0) {
                Ok(items) => {
                    assert_eq!(items.is_empty(), data.is_empty());
                    let bytes = encode_key_chain(&items).expect("a parsed key chain encodes");
                    assert_eq!(bytes, data, "key chain re-encodes differently");
                }
                Err(e) => {
                    check_error(&e, 0, data.len());
                    // The base only shifts error offsets.
                    let shifted = parse_key_chain(data, first, 1000).unwrap_err();
                    assert_eq!(shifted.offset, e.offset + 1000);
                    assert_eq!(shifted.kind, e.kind);
                }
            }
        }
    }

    fn check_builder(m: &Message<'static>, data: &[u8]) {
        let mut b = MessageBuilder::new(m.header.data_type, m.header.csb_id)
            .v(m.header.v)
            .prf(m.header.prf);
        match &m.header.cs_map {
            CsIdMap::SrtpId(map) => {
                for e in map.entries() {
                    b = b.srtp_crypto_session(e.policy_no, e.ssrc, e.roc);
                }
            }
            CsIdMap::Empty { cs_count } => b = b.empty_map(*cs_count),
            CsIdMap::GenericId(_) => return,
        }
        for p in &m.payloads {
            b = b.payload(p.clone());
        }
        let built = b.build().expect("MessageBuilder rebuilds a parsed message");
        assert_eq!(&built, m, "MessageBuilder builds a different message");
        assert_eq!(built.encode().unwrap(), data);
    }

    fn own_item(item: &KeyChainItem<'_>) -> KeyChainItem<'static> {
        match item {
            KeyChainItem::Id(id) => KeyChainItem::Id(id.clone().into_owned()),
            KeyChainItem::KeyData(k) => KeyChainItem::KeyData(k.clone().into_owned()),
        }
    }
}
