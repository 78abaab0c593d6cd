//! The `mykey` crate (2.3.1, crates.io), an independent Rust MIKEY implementation, as a
//! same-run baseline: one full PSK exchange with key export, and the parse of a message.
//! Included by other benches (`mod mykey_baseline;`); mykey is only driven through its
//! public API here, never used by the library.
//!
//! mykey's PSK MAC does not interoperate with ours (it MACs with a 256-bit auth_key where
//! RFC 3830 §4.2.4 gives HMAC-SHA-1 160 bits, see tests/mykey_dh_hmac.rs) and it derives
//! the SRTP keys with CS ID 0, so the two exchanges are compared on the work they do, not
//! on their bytes.
//!
//! # The exchange, step by step
//!
//! Ours (benches/exchange.rs) against mykey's ([`exchange`]), same PSK (20 bytes), one SRTP
//! crypto session (SSRC 0xDEADBEEF, ROC 0), AES-CM-128 KEMAC encryption, HMAC-SHA-1 MAC,
//! verification message requested, SRTP master key (16 bytes) and salt (14 bytes) exported
//! by both sides as one `Vec` each and compared:
//!
//! | step | ours | mykey |
//! |---|---|---|
//! | Initiator: CSB ID, RAND, TGK | one call of ring's `SystemRandom` | the caller supplies CSB ID and RAND: here one call of ring's `SystemRandom` (20 bytes); the 32-byte TGK from `rand`'s thread RNG inside mykey |
//! | Initiator: timestamp | the config's clock, unique per message | the caller's `SystemTime` (here a counter of 0.1 s per exchange) |
//! | Initiator: transport keys (encr, salt, auth) from the PSK | PRF with the PSK's HMAC states prepared once per config | PRF with a fresh HMAC key setup for every HMAC; auth key 32 bytes (two PRF blocks) |
//! | Initiator: I_MESSAGE | HDR (V=1, SRTP-ID map), T, RAND, SP (SRTP policy offer), KEMAC: built, encoded, AES-CM, MAC | HDR (V=1, SRTP-ID map), T, RAND, KEMAC: **no SP payload** (its PSK builder has none) |
//! | Responder: parse | zero-copy `Message::parse` | `MikeyMessage::from_bytes` (copies the message and every field) |
//! | Responder: timestamp within the clock skew (RFC 3830 §5.4) | yes (5 minutes) | **no**; only with the opt-in `verify_fresh`, see [`Replay`] |
//! | Responder: replay cache (RFC 3830 §5.4) | yes (shared cache, ~3,000 live entries) | **no**; only with the opt-in `verify_fresh`, see [`Replay`] |
//! | Responder: MAC check, AES-CM decryption, key data parse | yes | yes (`complete_psk`), re-deriving the auth, encr and salt keys from the PSK |
//! | Responder: SP negotiation against its own policy | yes | **no** (no SP payload to negotiate) |
//! | Responder: TEK and salt from the TGK (RFC 3830 §4.1.3) | yes, CS ID 1 | yes, CS ID 0 |
//! | Responder: verification message HDR, T, V with its MAC (§5.2) | yes | yes (`new_psk_verification`), deriving the auth key from the PSK again |
//! | Initiator: parse the verification message | yes | yes (`from_bytes`) |
//! | Initiator: answer checked | echoed T, CSB ID and CS ID map compared with the I_MESSAGE's, V MAC verified | echoed T compared, V MAC verified (`verify_psk_verification`, deriving the auth key again); CSB ID and CS ID map only through the MAC |
//! | Initiator: TEK and salt | from the TGK it kept | **redone from its own I_MESSAGE** (`complete_psk` on the message it built: auth key, MAC check, encr and salt keys, decryption, then the derivation), mykey's only way to give the Initiator its keys |
//! | identities (ID payloads) | none sent | none sent |
//!
//! mykey thus does less protocol work (no SP, no freshness or replay check by default) and
//! more hashing (each PRF and MAC rekeys HMAC-SHA-1; the Initiator redoes the Responder's
//! work to find its own keys). Both hash with RustCrypto's `sha1`, `hmac` and AES-CM with
//! RustCrypto's `aes` (mykey: `aes` 0.9 and `ctr` 0.10; ours: 0.8 and 0.9).
//!
//! # Parse
//!
//! [`parse`]: `MikeyMessage::from_bytes` on the given bytes and the drop of the result.
//! mykey accepts both fixtures of benches/fixtures.rs as they are (checked by
//! [`parse_payloads`]): the 124-byte PSK/NULL message (T, RAND, SP, KEMAC) and the
//! 132-byte RFC 4567 message (T, RAND, ID, SP, KEMAC), so the same bytes are parsed by both.

#![allow(dead_code)]

use mykey::message::MikeyMessage;
use mykey::payload::Timestamp;
use mykey::replay::ReplayCache;
use mykey::srtp::{SrtpCryptoSuite, SrtpKeyMaterial};
use std::cell::{Cell, RefCell};
use std::hint::black_box;
use std::time::{Duration, SystemTime};

/// The pre-shared key both sides use (the same as benches/exchange.rs).
pub const PSK: &[u8] = b"a 20-byte shared key";
/// The SSRC of the only crypto session (the same as benches/exchange.rs).
pub const SSRC: u32 = 0xDEAD_BEEF;
/// What the clock advances per exchange (as benches/exchange.rs).
pub const STEP: Duration = Duration::from_millis(100);
/// The replay window of [`Replay::VerifyFresh`]: our default clock skew.
pub const WINDOW: Duration = Duration::from_secs(300);
const SUITE: SrtpCryptoSuite = SrtpCryptoSuite::AES_128_CM_SHA1_80;

/// Whether mykey's Responder runs its opt-in freshness and replay check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Replay {
    /// mykey's default path, as its book's PSK exchange: no timestamp or replay check.
    Off,
    /// `verify_fresh` after the MAC check (as mykey documents it): the T is within
    /// [`WINDOW`] of the Responder's clock, and (CSB ID, RAND) is not in a `ReplayCache` of
    /// that window and its default 4,096 entries. At one exchange per [`STEP`] the cache
    /// holds about 3,000 live entries, as ours does; mykey prunes the whole map on every
    /// admission.
    VerifyFresh,
}

/// The exported key || salt of one side.
fn key_salt(k: &SrtpKeyMaterial) -> Vec<u8> {
    [&k.master_key[..], &k.master_salt[..]].concat()
}

/// The bytes of one exchange, for a look at the messages (not timed).
pub struct Messages {
    /// The I_MESSAGE.
    pub init: Vec<u8>,
    /// The verification message.
    pub verification: Vec<u8>,
    /// The exported key || salt (both sides agree).
    pub key_salt: Vec<u8>,
}

/// State of the exchanges: mykey's Responder clock and replay cache.
struct State {
    replay: Replay,
    now: Cell<SystemTime>,
    cache: RefCell<ReplayCache>,
    rng: ring::rand::SystemRandom,
}

impl State {
    fn run(&self) -> Messages {
        let now = self.now.get() + STEP;
        self.now.set(now);

        // Initiator.
        let mut ids = [0u8; 20];
        ring::rand::SecureRandom::fill(&self.rng, &mut ids).expect("random source");
        let csb_id = u32::from_be_bytes([ids[0], ids[1], ids[2], ids[3]]);
        let init = MikeyMessage::new_psk_init_requiring_verification_at(
            csb_id,
            SSRC,
            &ids[4..],
            PSK,
            Timestamp::Ntp(now),
        )
        .expect("I_MESSAGE");
        let wire = init.to_bytes();

        // Responder.
        let received = MikeyMessage::from_bytes(wire).expect("Responder parses");
        let responder_keys = received.complete_psk(PSK, SUITE).expect("MAC and keys");
        if self.replay == Replay::VerifyFresh {
            received
                .verify_fresh(&mut self.cache.borrow_mut(), now)
                .expect("fresh and not replayed");
        }
        assert!(received.requires_verification());
        let answer = MikeyMessage::new_psk_verification(&received, PSK).expect("V message");

        // Initiator.
        let answer_received =
            MikeyMessage::from_bytes(answer.to_bytes()).expect("Initiator parses");
        answer_received
            .verify_psk_verification(&init, PSK)
            .expect("verification MAC");
        let initiator_keys = init.complete_psk(PSK, SUITE).expect("Initiator's keys");

        let (a, b) = (key_salt(&initiator_keys), key_salt(&responder_keys));
        assert_eq!(a, b);
        Messages {
            init: wire.to_vec(),
            verification: answer.to_bytes().to_vec(),
            key_salt: a,
        }
    }
}

/// One full mykey PSK exchange with key export per call (same shape as the `exchange`
/// closure of benches/exchange.rs): the clock advances [`STEP`] per exchange from
/// `start`, so timestamps stay unique and within [`WINDOW`] of the Responder's clock. The
/// second closure runs one exchange and returns its messages, for a look (it shares the
/// clock and the cache).
pub fn exchange(replay: Replay, start: SystemTime) -> (impl Fn(), impl Fn() -> Messages) {
    let state = std::rc::Rc::new(State {
        replay,
        now: Cell::new(start),
        cache: RefCell::new(ReplayCache::new(WINDOW)),
        rng: ring::rand::SystemRandom::new(),
    });
    let look = state.clone();
    (
        move || {
            black_box(state.run().key_salt);
        },
        move || look.run(),
    )
}

/// mykey's parse of `bytes` per call (`MikeyMessage::from_bytes` and the drop). Panics
/// here, not in the loop, if mykey refuses them.
pub fn parse(bytes: &[u8]) -> impl Fn() + '_ {
    parse_payloads(bytes).expect("mykey parses the message");
    move || {
        black_box(MikeyMessage::from_bytes(black_box(bytes)).ok());
    }
}

/// The number of payloads after HDR mykey finds in `bytes`, or its error.
pub fn parse_payloads(bytes: &[u8]) -> Result<usize, String> {
    MikeyMessage::from_bytes(bytes)
        .map(|m| m.payloads.len())
        .map_err(|e| e.to_string())
}
