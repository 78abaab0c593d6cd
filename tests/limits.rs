//! Parse bounds (`mikey::wire::Limits`): a message longer than the maximum message size
//! is refused before anything is read, a chain of more than 512 payloads at the first one
//! past the bound, by `Message::parse` and by `Session::process` (no reply, session
//! unchanged); `ConfigBuilder::max_message_size` raises the size bound within its range.

use mikey::exchange::Error;
use mikey::session::{Config, ConfigBuilder, Event, Mode, Session, State, StreamSpec};
use mikey::time::ManualClock;
use mikey::wire::{
    Cert, CertType, DEFAULT_MAX_MESSAGE_SIZE, DEFAULT_MAX_PAYLOADS, DataType, ErrorKind,
    GenExtType, GeneralExtension, KeyChainItem, KeyData, KeyDataType, KeyValidity, Limits, Message,
    MessageBuilder, ParseError, Payload, PayloadType, PrfFunc, Rand, TicketPolicy, TicketType,
    encode_key_chain, parse_key_chain,
};
use std::borrow::Cow;
use std::sync::Arc;

const NOW: u64 = 0xEA04_E300_0000_0000;

/// A well-formed message of exactly `len` bytes: HDR (10 bytes, no crypto session) and
/// one CERT payload (4 bytes + data).
fn cert_message(len: usize) -> Vec<u8> {
    let m = MessageBuilder::new(DataType::PreShared, 1)
        .payload(Payload::Cert(Cert {
            cert_type: CertType::X509v3,
            data: Cow::Owned(vec![0xC5; len - 14]),
        }))
        .build()
        .unwrap();
    let bytes = m.encode().unwrap();
    assert_eq!(bytes.len(), len);
    bytes
}

/// HDR and `n` RAND payloads of 16 bytes; returns the bytes and the offset of each RAND.
fn rand_message(n: usize) -> (Vec<u8>, Vec<usize>) {
    let mut b = MessageBuilder::new(DataType::PreShared, 1);
    for i in 0..n {
        b = b.payload(Payload::Rand(Rand {
            rand: Cow::Owned(vec![i as u8; 16]),
        }));
    }
    let (bytes, layout) = b.build().unwrap().encode_with_layout().unwrap();
    (bytes, layout.payloads.iter().map(|r| r.start).collect())
}

fn too_large(len: usize, limit: usize) -> ParseError {
    ParseError::new(0, ErrorKind::TooLarge { len, limit })
}

fn too_many(offset: usize, limit: usize) -> ParseError {
    ParseError::new(offset, ErrorKind::TooManyPayloads { limit })
}

#[test]
fn a_message_over_the_limit_is_refused_before_anything_is_read() {
    assert_eq!(DEFAULT_MAX_MESSAGE_SIZE, 65536);
    let at_limit = cert_message(65536);
    assert!(Message::parse(&at_limit).is_ok());
    let over = cert_message(65537);
    assert_eq!(Message::parse(&over).unwrap_err(), too_large(65537, 65536));
    assert_eq!(
        Message::parse_with_layout(&over).unwrap_err(),
        too_large(65537, 65536)
    );
    // Bytes that would fail at byte 0 (bad version) fail on their length first.
    assert_eq!(
        Message::parse(&vec![0xFF; 1 << 20]).unwrap_err(),
        too_large(1 << 20, 65536)
    );
    // Other limits.
    let wider = Limits {
        max_message_size: 65537,
        ..Limits::DEFAULT
    };
    let (m, layout) = Message::parse_with_layout_and_limits(&over, &wider).unwrap();
    assert_eq!(m.encode().unwrap(), over);
    assert_eq!(layout.payloads.len(), 1);
    assert_eq!(layout.payloads[0], 10..65537);
    let narrow = Limits {
        max_message_size: 100,
        ..Limits::DEFAULT
    };
    assert_eq!(
        Message::parse_with_limits(&cert_message(101), &narrow).unwrap_err(),
        too_large(101, 100)
    );
    assert!(Message::parse_with_limits(&cert_message(100), &narrow).is_ok());
}

#[test]
fn more_payloads_than_the_bound_are_refused_at_the_first_past_it() {
    assert_eq!(DEFAULT_MAX_PAYLOADS, 512);
    let (ok, _) = rand_message(512);
    assert_eq!(Message::parse(&ok).unwrap().payloads.len(), 512);
    let (bytes, starts) = rand_message(513);
    assert_eq!(
        Message::parse(&bytes).unwrap_err(),
        too_many(starts[512], 512)
    );
    let few = Limits {
        max_payloads: 4,
        ..Limits::DEFAULT
    };
    assert_eq!(
        Message::parse_with_limits(&bytes, &few).unwrap_err(),
        too_many(starts[4], 4)
    );
    // A walk stops at the same place, after yielding the payloads before it.
    let (_, header, walk) = Message::walk(&bytes, &few).unwrap();
    assert_eq!(header, 0..10);
    let items: Vec<_> = walk.collect();
    assert_eq!(items.len(), 5);
    assert_eq!(items[4], Err(too_many(starts[4], 4)));
    assert_eq!(items[0].as_ref().unwrap().next, PayloadType::Rand);
}

#[test]
fn nested_chains_have_the_same_bound() {
    // A KEMAC Key data chain (RFC 3830 §6.2) of 513 keys.
    let key = KeyChainItem::KeyData(KeyData {
        key_type: KeyDataType::Tgk,
        key: Cow::Borrowed(&[7; 16]),
        salt: None,
        kv: KeyValidity::Null,
    });
    let chain = encode_key_chain(&vec![key.clone(); 512]).unwrap();
    assert_eq!(
        parse_key_chain(&chain, PayloadType::KeyData, 0)
            .unwrap()
            .len(),
        512
    );
    let chain = encode_key_chain(&vec![key; 513]).unwrap();
    let per_key = chain.len() / 513;
    assert_eq!(
        parse_key_chain(&chain, PayloadType::KeyData, 100).unwrap_err(),
        too_many(100 + 512 * per_key, 512)
    );
    // TP Data (RFC 6043 §6.10): first payload type, then a chain of 513 RANDs.
    let (rands, starts) = rand_message(513);
    let mut tp_data = vec![PayloadType::Rand.into()];
    tp_data.extend_from_slice(&rands[10..]);
    let tp = TicketPolicy {
        ticket_type: TicketType::MikeyBase,
        subtype: 1,
        version: 1,
        prf: PrfFunc::Mikey1,
        flags: 0,
        reserved: 0,
        tp_data: Cow::Owned(tp_data),
    };
    assert_eq!(
        tp.tp_payloads().unwrap_err(),
        too_many(starts[512] - 9, 512)
    );
}

fn null_responder(f: impl FnOnce(ConfigBuilder) -> ConfigBuilder) -> Arc<Config> {
    let b = ConfigBuilder::new(Mode::Null).clock(Arc::new(ManualClock::new(NOW)));
    Arc::new(f(b).build().unwrap())
}

/// A NULL-mode I_MESSAGE (no MAC, so it may be extended) with `extra` General Extension
/// payloads of `ext_len` bytes each before its KEMAC.
fn null_i_message(extra: usize, ext_len: usize) -> Vec<u8> {
    let c = null_responder(|b| b.request_verification(false));
    let mut i = Session::initiator(c);
    let init = i
        .initiate(&[StreamSpec {
            ssrc: 0x1234,
            roc: 0,
            policy_no: 0,
        }])
        .unwrap();
    let mut m = Message::parse(&init).unwrap().into_owned();
    let kemac = m.payloads.pop().unwrap();
    for _ in 0..extra {
        m.payloads.push(Payload::GeneralExtension(GeneralExtension {
            ext_type: GenExtType::SdpIds,
            data: Cow::Owned(vec![b'm'; ext_len]),
        }));
    }
    m.payloads.push(kemac);
    m.encode().unwrap()
}

/// Pads a NULL I_MESSAGE to exactly `len` bytes with one General Extension.
fn null_i_message_of_len(len: usize) -> Vec<u8> {
    let short = null_i_message(1, 0).len();
    let bytes = null_i_message(1, len - short);
    assert_eq!(bytes.len(), len);
    bytes
}

#[test]
fn a_session_refuses_an_over_limit_message_unread_without_reply() {
    let over = null_i_message_of_len(65537);
    let mut r = Session::responder(null_responder(|b| b));
    let f = r.process(&over).unwrap_err();
    assert_eq!(f.error, Error::Parse(too_large(65537, 65536)));
    assert_eq!(f.reply, None);
    assert_eq!(r.state(), State::Idle);
    assert_eq!(r.config().replay_cache().len(), 0);
    // The same message once the limit is raised.
    let mut r = Session::responder(null_responder(|b| b.max_message_size(65537)));
    let done = r.process(&over).unwrap();
    assert_eq!(done.event, Event::KeysEstablished { update: false });
    // A PSK responder refuses by length too, whatever the bytes.
    let psk = Arc::new(
        ConfigBuilder::new(Mode::Psk)
            .psk(b"0123456789abcdef")
            .max_message_size(4096)
            .build()
            .unwrap(),
    );
    let f = Session::responder(psk).process(&[0xAB; 4097]).unwrap_err();
    assert_eq!(f.error, Error::Parse(too_large(4097, 4096)));
    assert_eq!(f.reply, None);
}

#[test]
fn an_established_session_is_unchanged_by_an_over_limit_message() {
    let mut r = Session::responder(null_responder(|b| b));
    r.process(&null_i_message(0, 0)).unwrap();
    let before = (r.state(), r.csb_id(), r.crypto_sessions().to_vec());
    let cached = r.config().replay_cache().len();
    let f = r.process(&null_i_message_of_len(65600)).unwrap_err();
    assert_eq!(f.error, Error::Parse(too_large(65600, 65536)));
    assert_eq!(f.reply, None);
    assert_eq!(
        before,
        (r.state(), r.csb_id(), r.crypto_sessions().to_vec())
    );
    assert_eq!(r.config().replay_cache().len(), cached);
}

#[test]
fn a_session_refuses_more_than_512_payloads_and_takes_512() {
    // HDR is not a payload; the plain I_MESSAGE has T, RAND, SP, KEMAC (and IDs if any).
    let base = Message::parse(&null_i_message(0, 0))
        .unwrap()
        .payloads
        .len();
    let at_bound = null_i_message(512 - base, 0);
    assert_eq!(Message::parse(&at_bound).unwrap().payloads.len(), 512);
    let mut r = Session::responder(null_responder(|b| b));
    assert_eq!(
        r.process(&at_bound).unwrap().event,
        Event::KeysEstablished { update: false }
    );
    let over = null_i_message(513 - base, 0);
    let (_, layout) = Message::parse_with_layout_and_limits(
        &over,
        &Limits {
            max_payloads: 513,
            ..Limits::DEFAULT
        },
    )
    .unwrap();
    let mut r = Session::responder(null_responder(|b| b));
    let f = r.process(&over).unwrap_err();
    assert_eq!(
        f.error,
        Error::Parse(too_many(layout.payloads[512].start, 512))
    );
    assert_eq!(f.reply, None);
    assert_eq!(r.state(), State::Idle);
    assert_eq!(r.config().replay_cache().len(), 0);
}

#[test]
fn the_maximum_message_size_has_a_range() {
    let build = |size| {
        ConfigBuilder::new(Mode::Null)
            .max_message_size(size)
            .build()
            .map(|_| ())
    };
    for ok in [1024, 65536, 16 * 1024 * 1024] {
        assert_eq!(build(ok), Ok(()), "{ok}");
    }
    for bad in [0, 1023, 16 * 1024 * 1024 + 1, usize::MAX] {
        assert!(build(bad).is_err(), "{bad}");
    }
}
