//! Memory bound of parsing unauthenticated input: with the parse limits of
//! `mikey::wire::Limits`, the heap bytes allocated while parsing an adversarial message
//! (and while a Responder processes it, before any MAC is checked) peak at most at 8
//! times the message length for messages at the 64 KiB limit; a longer message allocates
//! nothing at all. Measured with a counting global allocator (`peak_alloc`), so the test
//! is deterministic (no timing); its counts are process-wide, so the tests of this file
//! take a lock and measure one at a time.
//!
//! The adversarial messages are made of the payload that is smallest on the wire for its
//! in-memory size, repeated up to the payload bound, and filled to the size limit with
//! one CERT payload.

use mikey::session::{ConfigBuilder, Mode, Session, StreamSpec};
use mikey::time::ManualClock;
use mikey::wire::*;
use peak_alloc::PeakAlloc;
use std::borrow::Cow;
use std::sync::{Arc, Mutex};

#[global_allocator]
static PEAK: PeakAlloc = PeakAlloc;

/// The allocator's counts are process-wide: the tests of this file measure one at a time.
static MEASURING: Mutex<()> = Mutex::new(());

/// Runs `f` and returns its result (still alive) with the most heap bytes allocated at
/// once during the call, above what was allocated before it.
fn peak_of<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let base = PEAK.current_usage();
    PEAK.reset_peak_usage();
    let r = f();
    let peak = PEAK.peak_usage().saturating_sub(base);
    (r, peak)
}

/// The smallest encoding of each payload kind (what an attacker sends most of).
fn small_payloads() -> Vec<(&'static str, Payload<'static>)> {
    let tp = TicketPolicy {
        ticket_type: TicketType::MikeyBase,
        subtype: 0,
        version: 0,
        prf: PrfFunc::Mikey1,
        flags: 0,
        reserved: 0,
        tp_data: Cow::Borrowed(&[]),
    };
    let empty = || Cow::Borrowed(&[][..]);
    vec![
        ("RAND", Payload::Rand(Rand { rand: empty() })),
        (
            "V",
            Payload::Verification(Verification {
                auth_alg: MacAlg::Null,
                data: empty(),
            }),
        ),
        (
            "KEMAC",
            Payload::Kemac(Kemac {
                encr_alg: EncrAlg::Null,
                encr_data: empty(),
                mac_alg: MacAlg::Null,
                mac: empty(),
            }),
        ),
        (
            "PKE",
            Payload::Pke(Pke {
                cache: CacheIndicator::from(0),
                data: empty(),
            }),
        ),
        (
            "ESK",
            Payload::EncryptedSecretKey(IbeEncrypted { encr_data: empty() }),
        ),
        (
            "ERR",
            Payload::Error(ErrorPayload {
                error_no: ErrorNo::AuthFailure,
                reserved: 0,
            }),
        ),
        (
            "T",
            Payload::Timestamp(Timestamp {
                ts_type: TsType::Counter,
                value: 1,
            }),
        ),
        (
            "SP",
            Payload::SecurityPolicy(SecurityPolicy::new(0, ProtType::Srtp)),
        ),
        (
            "General Ext.",
            Payload::GeneralExtension(GeneralExtension {
                ext_type: GenExtType::SdpIds,
                data: empty(),
            }),
        ),
        ("TP", Payload::TicketPolicy(tp.clone())),
        (
            "TICKET",
            Payload::Ticket(Ticket {
                policy: tp,
                ticket_data: empty(),
                initiator_data: empty(),
            }),
        ),
    ]
}

/// HDR, `count` copies of `payload`, then (if `fill_to` is set) one CERT payload that
/// brings the message to exactly `fill_to` bytes.
fn message(payload: &Payload<'static>, count: usize, fill_to: Option<usize>) -> Vec<u8> {
    let mut m = MessageBuilder::new(DataType::PreShared, 1).build().unwrap();
    m.payloads = vec![payload.clone(); count];
    let mut bytes = m.encode().unwrap();
    if let Some(total) = fill_to {
        m.payloads.push(Payload::Cert(Cert {
            cert_type: CertType::X509v3,
            data: Cow::Owned(vec![0; total - bytes.len() - 4]),
        }));
        bytes = m.encode().unwrap();
        assert_eq!(bytes.len(), total);
    }
    bytes
}

#[test]
fn parse_memory_is_bounded() {
    let _one_at_a_time = MEASURING.lock().unwrap_or_else(|e| e.into_inner());
    let limit = DEFAULT_MAX_MESSAGE_SIZE;
    eprintln!("size_of::<Payload>() = {}", size_of::<Payload>());
    for (name, p) in small_payloads() {
        // At the limit: the most payloads allowed, filled to the size limit.
        let bytes = message(&p, DEFAULT_MAX_PAYLOADS - 1, Some(limit));
        let (parsed, peak) = peak_of(|| Message::parse_with_layout(&bytes));
        assert!(parsed.is_ok(), "{name}: {parsed:?}");
        drop(parsed);
        eprintln!("{name}: {} bytes, peak {peak} bytes", bytes.len());
        assert!(
            peak <= 8 * bytes.len(),
            "{name}: {peak} > 8 x {}",
            bytes.len()
        );
        // 64 KiB of the payload alone: refused at payload 513, so no more is allocated.
        let flood = message(&p, 70_000, None);
        let flood = &flood[..limit.min(flood.len())];
        let (parsed, flood_peak) = peak_of(|| Message::parse_with_layout(flood));
        assert!(matches!(
            parsed,
            Err(ParseError {
                kind: ErrorKind::TooManyPayloads { limit: 512 } | ErrorKind::TooLarge { .. },
                ..
            })
        ));
        drop(parsed);
        assert!(flood_peak <= peak, "{name}: flood {flood_peak} > {peak}");
    }
    // Longer than the limit: refused unread.
    let rands = message(&small_payloads()[0].1, 1 << 19, None);
    assert_eq!(rands.len(), (1 << 20) + 10);
    let (parsed, peak) = peak_of(|| Message::parse_with_layout(&rands));
    assert!(matches!(
        parsed,
        Err(ParseError {
            kind: ErrorKind::TooLarge { .. },
            ..
        })
    ));
    drop(parsed);
    assert_eq!(peak, 0);
}

/// A NULL-mode I_MESSAGE (no MAC, so nothing is authenticated) whose KEMAC carries `keys`
/// one-byte keys and with `extra` empty General Extensions, filled to the size limit.
fn null_i_message(keys: usize, extra: usize, now: u64) -> Vec<u8> {
    let config = ConfigBuilder::new(Mode::Null)
        .clock(Arc::new(ManualClock::new(now)))
        .build()
        .unwrap();
    let mut i = Session::initiator(Arc::new(config));
    let stream = StreamSpec {
        ssrc: 1,
        roc: 0,
        policy_no: 0,
    };
    let init = i.initiate(&[stream]).unwrap();
    let mut m = Message::parse(&init).unwrap().into_owned();
    let Some(Payload::Kemac(mut kemac)) = m.payloads.pop() else {
        panic!("KEMAC last")
    };
    let key = KeyChainItem::KeyData(KeyData {
        key_type: KeyDataType::Tgk,
        key: Cow::Borrowed(&[1]),
        salt: None,
        kv: KeyValidity::Spi(Cow::Borrowed(&[2])),
    });
    kemac.encr_data = Cow::Owned(encode_key_chain(&vec![key; keys]).unwrap());
    let filler = |len| {
        Payload::GeneralExtension(GeneralExtension {
            ext_type: GenExtType::SdpIds,
            data: Cow::Owned(vec![b'x'; len]),
        })
    };
    m.payloads.extend(std::iter::repeat_n(filler(0), extra));
    m.payloads.push(filler(0));
    m.payloads.push(Payload::Kemac(kemac.clone()));
    let short = m.encode().unwrap().len();
    let n = m.payloads.len();
    m.payloads[n - 2] = filler(DEFAULT_MAX_MESSAGE_SIZE - short);
    let bytes = m.encode().unwrap();
    assert_eq!(bytes.len(), DEFAULT_MAX_MESSAGE_SIZE);
    bytes
}

#[test]
fn responder_memory_before_authentication_is_bounded() {
    let _one_at_a_time = MEASURING.lock().unwrap_or_else(|e| e.into_inner());
    const NOW: u64 = 0xEA04_E300_0000_0000;
    let responder = || {
        let c = ConfigBuilder::new(Mode::Null)
            .clock(Arc::new(ManualClock::new(NOW)))
            .build()
            .unwrap();
        Session::responder(Arc::new(c))
    };
    // The most payloads, the most Key data sub-payloads (parsed and copied into keys:
    // NULL mode has no MAC, so this is before any authentication), and a KEMAC holding
    // far more Key data than the bound (refused: its chain does not parse).
    for (keys, extra, accepted) in [(1, 500, true), (500, 1, true), (9000, 0, false)] {
        let bytes = null_i_message(keys, extra, NOW);
        let mut r = responder();
        let (done, peak) = peak_of(|| r.process(&bytes));
        eprintln!("responder, {keys} keys, {extra} extensions: peak {peak} bytes");
        assert_eq!(done.is_ok(), accepted, "{keys} keys: {:?}", done.err());
        drop(done);
        assert!(
            peak <= 8 * bytes.len(),
            "{keys} keys: {peak} > 8 x {}",
            bytes.len()
        );
    }
}
