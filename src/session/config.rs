//! The configuration shared by sessions: credentials, identities, policies, algorithms,
//! and the clock, random source, replay cache and log sink. Immutable once built; share
//! it between threads with an `Arc`.

use super::csb_ids::CsbIds;
use crate::crypto::prf::Inkey;
use crate::exchange::Credentials;
pub use crate::exchange::{Identity, Mode, VerificationInput};
use crate::policy::{SrtpPolicy, SrtpProfile};
use crate::replay::{self, ReplayCache};
use crate::rng::{Rng, SystemRng};
use crate::time::{Clock, ClockReading, DEFAULT_SKEW, Freshness, InitiatorTimestamps, SystemClock};
use crate::wire::{EncrAlg, Limits, MacAlg, PrfFunc, TsType};
use std::fmt;
use std::ops::RangeInclusive;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// What the Initiator transports in the KEMAC (RFC 3830 §4.1.3, Appendix A.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyTransport {
    /// A random TGK per key; each crypto session's master key and salt are derived from
    /// it with the §4.1.3 PRF (the default).
    Tgk,
    /// The TEK (SRTP master key) itself with the master salt, as Key data type TEK+SALT.
    TekSalt,
    /// The TEK as GStreamer sends it (README, Spec readings): type TEK, master key ‖ master
    /// salt in the Key data field. Every crypto session must use the same profile.
    TekConcatenated,
}

/// Severity of a log message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u32)]
pub enum LogLevel {
    /// Something insecure or unusual happened (e.g. a NULL-mode message was accepted).
    Warning = 1,
    /// A protocol step.
    Info = 2,
}

/// The values [`ConfigBuilder::max_message_size`] allows: 1 KiB to 16 MiB. The default,
/// [`crate::wire::DEFAULT_MAX_MESSAGE_SIZE`] (64 KiB), fits every message of RFC 3830
/// §3 with certificate chains; see [`crate::wire::Limits`].
pub const MAX_MESSAGE_SIZE_RANGE: RangeInclusive<usize> = 1024..=16 * 1024 * 1024;

/// The values [`ConfigBuilder::accept_trailing_padding`] allows: 0 (the default: no
/// padding) to 16 zero bytes, enough to align a message to any block size up to 16.
pub const TRAILING_PADDING_RANGE: RangeInclusive<usize> = 0..=16;

/// A log sink.
pub type LogSink = Arc<dyn Fn(LogLevel, &str) + Send + Sync>;

/// Immutable session configuration. Build with [`ConfigBuilder`].
pub struct Config {
    /// The method, its credentials and message algorithms (what the exchange reads).
    pub(crate) creds: Credentials,
    pub(crate) prf: PrfFunc,
    pub(crate) offer: Vec<SrtpPolicy>,
    pub(crate) accepted: Vec<SrtpProfile>,
    pub(crate) request_verification: bool,
    pub(crate) key_transport: KeyTransport,
    pub(crate) tgk_len: usize,
    pub(crate) rand_len: usize,
    pub(crate) mki_len: usize,
    pub(crate) ts_type: TsType,
    pub(crate) freshness: Freshness,
    pub(crate) replay: Arc<ReplayCache>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) rng: Arc<dyn Rng>,
    pub(crate) log: Option<LogSink>,
    pub(crate) limits: Limits,
    /// How many zero bytes may follow a received message (RFC 3830 §6 defines none).
    pub(crate) trailing_padding: usize,
    /// The CSB IDs of the live Initiator sessions (RFC 3830 §6.1).
    pub(crate) csb_ids: Arc<CsbIds>,
    timestamps: InitiatorTimestamps,
    counter: AtomicU32,
    next_mki: AtomicU32,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("mode", &self.creds.mode)
            .field("psk", &self.creds.psk.as_ref().map(|_| "<secret>"))
            .field("local_id", &self.creds.local_id)
            .field("peer_id", &self.creds.peer_id)
            .field("encr_alg", &self.creds.encr_alg)
            .field("mac_alg", &self.creds.mac_alg)
            .field("offer", &self.offer)
            .field("accepted", &self.accepted)
            .finish_non_exhaustive()
    }
}

impl Config {
    /// The key transport method.
    pub fn mode(&self) -> Mode {
        self.creds.mode
    }

    /// The replay cache (shared by every session of this config).
    pub fn replay_cache(&self) -> &Arc<ReplayCache> {
        &self.replay
    }

    pub(crate) fn log(&self, level: LogLevel, message: &str) {
        if let Some(sink) = &self.log {
            sink(level, message);
        }
    }

    /// Both clocks, read for one message (RFC 3830 §5.3, §5.4).
    pub(crate) fn now(&self) -> ClockReading {
        self.clock.read()
    }

    /// A fresh, unique Initiator timestamp (RFC 3830 §5.2: "all messages from the
    /// Initiator MUST use a unique timestamp"): the clock, or one NTP unit after the last
    /// one this config issued if the clock has not moved on, never more than the clock
    /// skew ahead of the clock (see [`InitiatorTimestamps`]).
    pub(crate) fn next_timestamp(&self) -> u64 {
        match self.ts_type {
            TsType::Counter => u64::from(self.counter.fetch_add(1, Ordering::Relaxed) + 1),
            _ => self
                .timestamps
                .next(self.clock.now_ntp(), self.freshness.skew),
        }
    }

    /// A fresh MKI of `mki_len` bytes (a per-config counter, so keys of one config get
    /// distinct MKIs as RFC 3830 Appendix A.1 recommends).
    pub(crate) fn next_mki(&self) -> Vec<u8> {
        let n = self
            .next_mki
            .fetch_add(1, Ordering::Relaxed)
            .wrapping_add(1);
        let bytes = n.to_be_bytes();
        let mut mki = vec![0u8; self.mki_len];
        let take = self.mki_len.min(4);
        mki[self.mki_len - take..].copy_from_slice(&bytes[4 - take..]);
        mki
    }
}

/// Builds a [`Config`]. Defaults: PSK mode, AES-CM-128 and HMAC-SHA-1-160, PRF MIKEY-1,
/// one offered policy AES_CM_128_HMAC_SHA1_80, accepting the four AES-CM profiles, V
/// requested, a 16-byte TGK, a 16-byte RAND, no MKI, NTP-UTC timestamps, a 5-minute
/// clock skew, a replay cache of 4096 entries, messages of at most 65536 bytes with no
/// trailing padding, the system clock and the OS RNG.
pub struct ConfigBuilder {
    config: Config,
    capacity: usize,
    shared_replay: bool,
}

impl ConfigBuilder {
    /// A builder for `mode`.
    pub fn new(mode: Mode) -> ConfigBuilder {
        let (encr_alg, mac_alg) = match mode {
            Mode::Psk => (EncrAlg::AesCm128, MacAlg::HmacSha1_160),
            Mode::Null => (EncrAlg::Null, MacAlg::Null),
        };
        ConfigBuilder {
            config: Config {
                creds: Credentials {
                    mode,
                    psk: None,
                    local_id: None,
                    peer_id: None,
                    send_ids: true,
                    encr_alg,
                    mac_alg,
                    verification_input: VerificationInput::IdentitiesAndTimestamp,
                },
                prf: PrfFunc::Mikey1,
                offer: vec![SrtpProfile::Aes128CmSha1_80.policy()],
                accepted: SrtpProfile::DEFAULT_ACCEPTED.to_vec(),
                request_verification: mode == Mode::Psk,
                key_transport: KeyTransport::Tgk,
                tgk_len: 16,
                rand_len: 16,
                mki_len: 0,
                ts_type: TsType::NtpUtc,
                freshness: Freshness { skew: DEFAULT_SKEW },
                replay: Arc::new(ReplayCache::new(replay::DEFAULT_CAPACITY, DEFAULT_SKEW)),
                clock: Arc::new(SystemClock),
                rng: Arc::new(SystemRng::new()),
                log: None,
                limits: Limits::DEFAULT,
                trailing_padding: 0,
                csb_ids: Arc::new(CsbIds::default()),
                timestamps: InitiatorTimestamps::new(),
                counter: AtomicU32::new(0),
                next_mki: AtomicU32::new(0),
            },
            capacity: replay::DEFAULT_CAPACITY,
            shared_replay: false,
        }
    }

    /// The pre-shared key (PSK mode; RFC 3830 §4.1.4 inkey). Copied; zeroized on drop.
    pub fn psk(mut self, psk: &[u8]) -> Self {
        self.config.creds.psk = Some(Inkey::new(psk));
        self
    }

    /// This endpoint's identity (sent as IDi or IDr, and used in the verification MAC).
    pub fn local_identity(mut self, id: Identity) -> Self {
        self.config.creds.local_id = Some(id);
        self
    }

    /// The peer's expected identity: a message naming another one is refused (Error
    /// no. 7).
    pub fn peer_identity(mut self, id: Identity) -> Self {
        self.config.creds.peer_id = Some(id);
        self
    }

    /// Whether the configured identities are sent as ID payloads (default true).
    pub fn send_identities(mut self, send: bool) -> Self {
        self.config.creds.send_ids = send;
        self
    }

    /// KEMAC encryption (RFC 3830 §4.2.3): AES-CM-128 (default), AES-KW-128 or
    /// AES-CM-256. NULL only in NULL mode.
    pub fn encryption(mut self, alg: EncrAlg) -> Self {
        self.config.creds.encr_alg = alg;
        self
    }

    /// KEMAC/V MAC (RFC 3830 §4.2.4): HMAC-SHA-1-160 (default) or HMAC-SHA-256-256.
    /// NULL only in NULL mode.
    pub fn mac(mut self, alg: MacAlg) -> Self {
        self.config.creds.mac_alg = alg;
        self
    }

    /// The PRF (RFC 3830 §4.1.2 MIKEY-1, or RFC 6043 PRF-HMAC-SHA-256).
    pub fn prf(mut self, prf: PrfFunc) -> Self {
        self.config.prf = prf;
        self
    }

    /// The policies the Initiator offers: policy no. i is `offer[i]`.
    pub fn offer(mut self, offer: Vec<SrtpPolicy>) -> Self {
        self.config.offer = offer;
        self
    }

    /// The profiles the Responder accepts, in its order of preference.
    pub fn accept(mut self, accepted: Vec<SrtpProfile>) -> Self {
        self.config.accepted = accepted;
        self
    }

    /// Whether the Initiator asks for a verification message (HDR V flag).
    pub fn request_verification(mut self, v: bool) -> Self {
        self.config.request_verification = v;
        self
    }

    /// What the Initiator transports (TGK by default).
    pub fn key_transport(mut self, t: KeyTransport) -> Self {
        self.config.key_transport = t;
        self
    }

    /// TGK length in bytes (16 by default).
    pub fn tgk_len(mut self, len: usize) -> Self {
        self.config.tgk_len = len;
        self
    }

    /// MKI length in bytes: 0 (default) sends KV Null; 1..=4 sends KV SPI with a fresh
    /// MKI per key (RFC 3830 §6.14, Appendix A.1).
    pub fn mki_len(mut self, len: usize) -> Self {
        self.config.mki_len = len;
        self
    }

    /// Initiator timestamp type: NTP-UTC (default), NTP or COUNTER.
    pub fn timestamp_type(mut self, t: TsType) -> Self {
        self.config.ts_type = t;
        self
    }

    /// What the verification MAC covers after the message (RFC 3830 §5.2, RFC 6043 §5.5).
    pub fn verification_input(mut self, v: VerificationInput) -> Self {
        self.config.creds.verification_input = v;
        self
    }

    /// The allowed clock skew (RFC 3830 §5.4; default 5 minutes). Also the replay cache's
    /// retention unless a shared cache is given.
    pub fn clock_skew(mut self, skew: Duration) -> Self {
        self.config.freshness = Freshness { skew };
        self
    }

    /// Replay cache capacity (default 4096), when the builder creates the cache.
    pub fn replay_capacity(mut self, capacity: usize) -> Self {
        self.capacity = capacity;
        self
    }

    /// The longest message [`crate::session::Session::process`] accepts, in bytes
    /// (default 65536; [`MAX_MESSAGE_SIZE_RANGE`], checked by [`ConfigBuilder::build`]). A
    /// longer message is refused before it is parsed, with no reply and nothing changed.
    pub fn max_message_size(mut self, size: usize) -> Self {
        self.config.limits.max_message_size = size;
        self
    }

    /// Accepts received messages followed by up to `max_bytes` zero bytes
    /// ([`TRAILING_PADDING_RANGE`], checked by [`ConfigBuilder::build`]; default 0: none).
    /// RFC 3830 §6 defines no padding, but Milestone XProtect sends one zero byte after
    /// its I_MESSAGE; `accept_trailing_padding(1)` takes it. The padding is removed before
    /// anything else: the MAC is checked over the message without it (§5.2: the MAC
    /// covers the message, which ends with its last payload), and the replay cache and
    /// retransmission check see the message without it, so a padded copy of a message is
    /// the same message. Anything else after the last payload (a non-zero byte, more bytes)
    /// is refused as [`crate::wire::ErrorKind::TrailingBytes`].
    pub fn accept_trailing_padding(mut self, max_bytes: usize) -> Self {
        self.config.trailing_padding = max_bytes;
        self
    }

    /// Uses an existing replay cache (shared with other configs). Its entries' lifetimes
    /// are measured on the monotonic clock of each config that uses it
    /// ([`Clock::monotonic`], RFC 3830 §5.4): configs sharing a cache should share that
    /// clock, as every clock using the operating system's does.
    pub fn replay_cache(mut self, cache: Arc<ReplayCache>) -> Self {
        self.config.replay = cache;
        self.shared_replay = true;
        self
    }

    /// The clocks (RFC 3830 §5.4): the wall clock timestamps are made from and checked
    /// against, and the monotonic clock replay-cache lifetimes are measured on (the system
    /// clock and the operating system's monotonic clock by default; inject one such as
    /// [`crate::time::ManualClock`] in tests).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.config.clock = clock;
        self
    }

    /// The random source (the OS by default; inject one only in tests).
    pub fn rng(mut self, rng: Arc<dyn Rng>) -> Self {
        self.config.rng = rng;
        self
    }

    /// The log sink.
    pub fn log(mut self, sink: LogSink) -> Self {
        self.config.log = Some(sink);
        self
    }

    /// Checks the combination without building: the error [`ConfigBuilder::build`] would
    /// return, naming what does not fit, and the builder stays usable.
    pub fn check(&self) -> Result<(), &'static str> {
        let c = &self.config;
        let creds = &c.creds;
        let (encr_alg, mac_alg) = match creds.mode {
            Mode::Psk => {
                match &creds.psk {
                    None => return Err("PSK mode needs a pre-shared key"),
                    Some(k) if k.as_bytes().is_empty() => {
                        return Err("the pre-shared key is empty");
                    }
                    Some(_) => {}
                }
                if creds.encr_alg == EncrAlg::Null || creds.mac_alg == MacAlg::Null {
                    return Err("NULL encryption or MAC needs NULL mode");
                }
                (creds.encr_alg, creds.mac_alg)
            }
            Mode::Null => (EncrAlg::Null, MacAlg::Null),
        };
        if !matches!(
            encr_alg,
            EncrAlg::Null | EncrAlg::AesCm128 | EncrAlg::AesKw128 | EncrAlg::AesCm256
        ) {
            return Err("unsupported KEMAC encryption algorithm");
        }
        if !matches!(
            mac_alg,
            MacAlg::Null | MacAlg::HmacSha1_160 | MacAlg::HmacSha256_256
        ) {
            return Err("unsupported MAC algorithm");
        }
        if !matches!(c.prf, PrfFunc::Mikey1 | PrfFunc::HmacSha256) {
            return Err("unsupported PRF");
        }
        if !matches!(c.ts_type, TsType::NtpUtc | TsType::Ntp | TsType::Counter) {
            return Err("unsupported timestamp type");
        }
        if c.offer.is_empty() || c.offer.len() > 255 {
            return Err("the offer needs 1 to 255 policies");
        }
        if c.offer.iter().any(|p| p.profile().is_none()) {
            return Err("an offered policy is not a supported SRTP profile");
        }
        if c.key_transport == KeyTransport::TekConcatenated
            && c.offer.iter().any(|p| p.profile() != c.offer[0].profile())
        {
            return Err("a concatenated TEK needs one profile for every policy");
        }
        if c.tgk_len == 0 || c.tgk_len > 1024 {
            return Err("TGK length must be 1 to 1024 bytes");
        }
        if c.mki_len > 4 {
            return Err("MKI length must be 0 to 4 bytes");
        }
        if !MAX_MESSAGE_SIZE_RANGE.contains(&c.limits.max_message_size) {
            return Err("the maximum message size must be 1024 to 16777216 bytes");
        }
        if !TRAILING_PADDING_RANGE.contains(&c.trailing_padding) {
            return Err("trailing padding must be 0 to 16 bytes");
        }
        if c.freshness.skew.is_zero() {
            return Err("the clock skew must be positive");
        }
        if self.shared_replay && c.replay.skew() < c.freshness.skew {
            // Entries would expire while a replay of them still passes the clock check.
            return Err("the shared replay cache keeps entries for less than the clock skew");
        }
        Ok(())
    }

    /// Checks the combination ([`ConfigBuilder::check`]) and builds the config.
    pub fn build(mut self) -> Result<Config, &'static str> {
        self.check()?;
        let c = &mut self.config;
        if c.creds.mode == Mode::Null {
            c.creds.encr_alg = EncrAlg::Null;
            c.creds.mac_alg = MacAlg::Null;
        }
        if !self.shared_replay {
            c.replay = Arc::new(ReplayCache::new(self.capacity, c.freshness.skew));
        }
        if c.creds.mode == Mode::Null {
            c.log(
                LogLevel::Warning,
                "NULL mode configured: MIKEY messages are neither encrypted nor authenticated \
                 (RFC 3830 §4.2.3); use only over a transport that protects them",
            );
        }
        Ok(self.config)
    }
}
