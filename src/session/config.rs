//! The configuration shared by sessions: credentials, identities, policies, algorithms,
//! and the clock, random source, replay cache and log sink. Immutable once built; share
//! it between threads with an `Arc`.

use super::counter_store::CounterStore;
use super::csb_ids::CsbIds;
use crate::crypto::cert::{CertHashFunc, Certificate, TrustAnchors};
use crate::crypto::dh::{FfdhGroup, Group};
use crate::crypto::ec::EcSigningKey;
use crate::crypto::prf::Inkey;
use crate::crypto::rsa::{RsaPrivateKey, SignaturePadding};
use crate::exchange::{
    CarriedKey, Context, Credentials, Error, PublicKeyCredentials, RsaRSettings,
};
pub use crate::exchange::{Identity, Mode, VerificationInput};
use crate::policy::{SrtpPolicy, SrtpProfile};
use crate::replay::{self, ReplayCache};
use crate::rng::{Rng, SystemRng};
use crate::time::{Clock, ClockReading, DEFAULT_SKEW, Freshness, InitiatorTimestamps, SystemClock};
use crate::wire::{CacheIndicator, EncrAlg, Limits, MacAlg, PrfFunc, TsType};
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
    /// The ONVIF preset (see `session::onvif`): a new CSB for the same streams re-keys
    /// them, and in NULL mode a missing RAND with TEKs and a FILETIME timestamp are read
    /// as ONVIF clients mean them.
    pub(crate) onvif: bool,
    /// The CSB IDs of the live Initiator sessions (RFC 3830 §6.1).
    pub(crate) csb_ids: Arc<CsbIds>,
    /// RSA-R Responder as a group key server (RFC 4738 §3.2): the group's CSB ID, RAND,
    /// crypto sessions and keys, the same in every answer of this config.
    pub(crate) group: Option<Arc<GroupKeys>>,
    /// RFC 4563 §5: the I_MESSAGE's CS ID map is the Empty map and it has no SP payload
    /// (crypto sessions and policy agreed outside MIKEY).
    pub(crate) empty_cs_map: bool,
    /// COUNTER values persisted by the application (see `counter_store`).
    pub(crate) counter_store: Option<CounterStore>,
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

    /// The DH group of the DH modes (RFC 3830 §4.2.7; see [`ConfigBuilder::dh_group`]).
    pub fn dh_group(&self) -> Group {
        self.creds.dh_group
    }

    /// Whether the ONVIF readings of NULL-mode I_MESSAGEs apply (see `session::onvif`).
    pub(crate) fn onvif_readings(&self) -> bool {
        self.onvif && self.creds.mode == Mode::Null
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
    /// With a COUNTER store, the value is persisted before it is used
    /// ([`Error::CounterStore`] if not).
    pub(crate) fn next_timestamp(&self) -> Result<u64, Error> {
        Ok(match (self.ts_type, &self.counter_store) {
            (TsType::Counter, Some(store)) => u64::from(store.next_sent()?),
            (TsType::Counter, None) => u64::from(self.counter.fetch_add(1, Ordering::Relaxed) + 1),
            _ => self
                .timestamps
                .next(self.clock.now_ntp(), self.freshness.skew),
        })
    }

    /// What a key exchange method may use at `now`: the random source and the time.
    pub(crate) fn context(&self, now: &ClockReading) -> Context<'_> {
        let wall = crate::time::system_time_from_ntp(now.ntp, std::time::SystemTime::now());
        Context {
            rng: self.rng.as_ref(),
            now_unix: wall
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
            cached_key: None,
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
/// one offered policy AES_CM_128_HMAC_SHA1_80, accepting the four AES-CM and the two AES-GCM profiles, V
/// requested, a 16-byte TGK, a 16-byte RAND, no MKI, NTP-UTC timestamps, a 5-minute
/// clock skew, a replay cache of 4096 entries, messages of at most 65536 bytes with no
/// trailing padding, the system clock and the OS RNG.
pub struct ConfigBuilder {
    config: Config,
    capacity: usize,
    shared_replay: bool,
    /// RSA-R group key server: the group's streams, until `build` draws its keys.
    group_streams: Option<Vec<crate::wire::SrtpIdEntry>>,
}

impl ConfigBuilder {
    /// A builder for `mode`.
    pub fn new(mode: Mode) -> ConfigBuilder {
        let (encr_alg, mac_alg) = match mode {
            Mode::Psk | Mode::Pk | Mode::RsaR => (EncrAlg::AesCm128, MacAlg::HmacSha1_160),
            Mode::Null => (EncrAlg::Null, MacAlg::Null),
            // No KEMAC: the DH payloads carry what makes the TGK (RFC 3830 §3.3).
            Mode::DhSign => (EncrAlg::Null, MacAlg::Null),
            // A KEMAC with no encrypted data and a MAC (RFC 4650 §4.2).
            Mode::DhHmac => (EncrAlg::Null, MacAlg::HmacSha1_160),
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
                    pk: PublicKeyCredentials::default(),
                    rsa_r: RsaRSettings::default(),
                    dh_group: Group::Ffdh(FfdhGroup::Oakley5),
                    ecc_profile: false,
                },
                prf: PrfFunc::Mikey1,
                offer: vec![SrtpProfile::Aes128CmSha1_80.policy()],
                accepted: SrtpProfile::DEFAULT_ACCEPTED.to_vec(),
                request_verification: mode != Mode::Null,
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
                onvif: false,
                csb_ids: Arc::new(CsbIds::default()),
                group: None,
                empty_cs_map: false,
                counter_store: None,
                timestamps: InitiatorTimestamps::new(),
                counter: AtomicU32::new(0),
                next_mki: AtomicU32::new(0),
            },
            capacity: replay::DEFAULT_CAPACITY,
            shared_replay: false,
            group_streams: None,
        }
    }

    /// The pre-shared key (PSK mode; RFC 3830 §4.1.4 inkey). Copied; zeroized on drop.
    pub fn psk(mut self, psk: &[u8]) -> Self {
        self.config.creds.psk = Some(Inkey::new(psk));
        self
    }

    /// This endpoint's RSA private key (PK mode: signs the I_MESSAGE, opens the PKE
    /// envelope; RFC 3830 §4.2.5, §4.2.6). Parse it with
    /// [`RsaPrivateKey::from_der`] or [`RsaPrivateKey::from_pem`].
    pub fn private_key(mut self, key: RsaPrivateKey) -> Self {
        self.config.creds.pk.key = Some(key);
        self
    }

    /// This endpoint's ECDSA private key on P-256 or P-384 (DH-SIGN of the ECC profile:
    /// SIGN payloads of S type 2, draft-ietf-msec-mikey-ecc-03 §2), in place of an RSA
    /// key; it needs [`ConfigBuilder::ecc_profile`]. Parse it with
    /// [`EcSigningKey::from_der`] or [`EcSigningKey::from_pem`].
    pub fn ec_private_key(mut self, key: EcSigningKey) -> Self {
        self.config.creds.pk.ec_key = Some(key);
        self
    }

    /// Enables the ECC profile of DH-SIGN (RFC 5197 §4.1, draft-ietf-msec-mikey-ecc-03
    /// §2-3): ECDH on P-256 (DH-Group 10) and P-384 (DH-Group 13), and ECDSA signatures
    /// (S type 2) by EC certificates. Off by default: the draft expired and its codepoints
    /// were never registered; IANA later gave S type 2 to ECCSI (RFC 6509), so with the
    /// profile off a SIGN of S type 2 is refused, and with it on S type 2 is read as ECDSA
    /// only when the signer's certificate holds a P-256 or P-384 key and the signature is
    /// `r || s` of that curve's size (an ECCSI signature, 4N+1 bytes, never is).
    pub fn ecc_profile(mut self, enabled: bool) -> Self {
        self.config.creds.ecc_profile = enabled;
        self
    }

    /// The ONVIF preset's behaviour (set by [`ConfigBuilder::onvif`]).
    pub(crate) fn onvif_behaviour(mut self, on: bool) -> Self {
        self.config.onvif = on;
        self
    }

    /// The resolver of certificates by URL (CERT payloads of type X.509v3 URL, RFC 4738
    /// §3.8): called with the URL, it returns the DER certificate (it fetches it over HTTP
    /// as RFC 2585 says, or from a cache); the library itself does no network I/O. Without
    /// one, a message carrying a certificate by URL is refused.
    pub fn certificate_resolver(mut self, resolver: crate::exchange::CertResolver) -> Self {
        self.config.creds.pk.resolver = Some(resolver);
        self
    }

    /// The application's verifier of peer certificates, called with the peer's chain (its
    /// own certificate first) after the library accepted it (path, validity, usage,
    /// pinning): `false` refuses the message ([`crate::exchange::Error::Certificate`],
    /// Error no. 8). For revocation (CRL, OCSP, which RFC 4738 §3.8 recommends), pinning
    /// or any local policy. It runs on the thread processing the message.
    pub fn certificate_verifier(mut self, verifier: crate::exchange::CertVerifier) -> Self {
        self.config.creds.pk.verifier = Some(verifier);
        self
    }

    /// The application's rule binding a peer certificate to an identity (see
    /// [`crate::exchange::CertIdentityBinder`]), in place of the subjectAltName match: it
    /// decides for every ID payload and configured peer identity a public-key message is
    /// checked against (RFC 3830 §4.3), and a `false` refuses the message
    /// ([`crate::exchange::Error::CertificateIdentity`], Error no. 7). The chain is
    /// validated before, whatever it says. It runs on the thread processing the message.
    pub fn certificate_identity_binder(
        mut self,
        binder: crate::exchange::CertIdentityBinder,
    ) -> Self {
        self.config.creds.pk.identity_binder = Some(binder);
        self
    }

    /// This endpoint's certificate chain, its own certificate first (sent in CERT
    /// payloads, RFC 3830 §6.7). Its first certificate must hold the public half of
    /// [`ConfigBuilder::private_key`].
    pub fn certificate_chain(mut self, chain: Vec<Certificate>) -> Self {
        self.config.creds.pk.chain = chain;
        self
    }

    /// The trust anchors a peer's certificate chain is validated against (RFC 5280 §6.1).
    pub fn trust_anchors(mut self, anchors: TrustAnchors) -> Self {
        self.config.creds.pk.anchors = Some(anchors);
        self
    }

    /// The peer's certificate, known beforehand: a PK Initiator encrypts the envelope key
    /// to it (RFC 3830 §3.2). It is pinned: a message signed with another certificate is
    /// refused, and no trust anchor is needed for it.
    pub fn peer_certificate(mut self, cert: Certificate) -> Self {
        self.config.creds.pk.peer_cert = Some(cert);
        self
    }

    /// Whether the certificate chain is sent in CERT payloads (default true: the peer
    /// often does not have it). Without it the peer needs this endpoint's certificate
    /// configured.
    pub fn send_certificates(mut self, send: bool) -> Self {
        self.config.creds.pk.send_chain = send;
        self
    }

    /// The signatures made: RSASSA-PKCS1-v1_5 (S type 0, the default and mandatory one)
    /// or RSASSA-PSS (S type 1), with SHA-256 (RFC 3830 §4.2.6, §6.5).
    pub fn signature_padding(mut self, padding: SignaturePadding) -> Self {
        self.config.creds.pk.padding = padding;
        self
    }

    /// The DH group (RFC 3830 §4.2.7, Table 6.4) of the DH modes: the one an Initiator
    /// offers and the only one a Responder accepts (Error no. 6 for another). Default
    /// OAKLEY 5, the group every implementation supports. An elliptic curve
    /// ([`crate::crypto::ec::EcCurve`]) needs DH-SIGN and [`ConfigBuilder::ecc_profile`].
    pub fn dh_group(mut self, group: impl Into<Group>) -> Self {
        self.config.creds.dh_group = group.into();
        self
    }

    /// The envelope key cache indicator sent in the PKE (RFC 3830 §6.3; default No
    /// cache).
    pub fn envelope_key_cache(mut self, cache: CacheIndicator) -> Self {
        self.config.creds.pk.cache = cache;
        self
    }

    /// Sends a CHASH payload naming the Responder certificate the envelope key is
    /// encrypted to (RFC 3830 §6.8; SHA-1 or SHA-256), or none (the default).
    pub fn cert_hash(mut self, func: Option<CertHashFunc>) -> Self {
        self.config.creds.pk.chash = func;
        self
    }

    /// RSA-R unicast Initiator (RFC 4738 §3.4): whether the I_MESSAGE carries the RAND
    /// (default true: "SHOULD be included", so that the Initiator contributes entropy),
    /// or the Responder sends it.
    pub fn rsa_r_initiator_rand(mut self, send: bool) -> Self {
        self.config.creds.rsa_r.initiator_rand = send;
        self
    }

    /// RSA-R Initiator joining a group (RFC 4738 §3.2): the I_MESSAGE carries no SP and no
    /// RAND ("Initiators MUST NOT send the SP payload"), and the answer must carry the
    /// group's CSB ID, RAND, SP and keys. Initiate with no streams when this endpoint sends
    /// none (§3.4: "MUST specify a '0' as the number of CSs").
    pub fn rsa_r_group_member(mut self, member: bool) -> Self {
        self.config.creds.rsa_r.group_member = member;
        self
    }

    /// RSA-R Initiator whose request may be forked (RFC 5197 §5.2, a SIP INVITE forked to
    /// several devices): every Responder's answer is kept as a branch with its own keys
    /// (each Responder chooses its keys, so no two branches share a TEK), usable at once,
    /// until [`crate::session::Session::select_branch`] keeps one and zeroizes the others.
    /// The configured peer identity is then not required of the Responders (any Responder
    /// the trust anchors vouch for answers). Only RSA-R: in PSK and PK modes every branch
    /// would receive the Initiator's one TGK, and two Responders sending on the same SSRC
    /// would reuse a keystream (RFC 5197 §5.2); `build` refuses it there.
    pub fn accept_forked_answers(mut self, accept: bool) -> Self {
        self.config.creds.rsa_r.forking = accept;
        self
    }

    /// RSA-R Responder as a group key server (RFC 4738 §3.2): `build` draws the group's
    /// CSB ID, RAND and TGK once, and every answer of this config hands them out with
    /// `streams` (each a policy no. of the offer), so that every member derives the same
    /// keys. Without it the Responder answers each Initiator with keys of its own (unicast).
    pub fn rsa_r_group(mut self, streams: &[super::StreamSpec]) -> Self {
        self.group_streams = Some(
            streams
                .iter()
                .map(|s| crate::wire::SrtpIdEntry {
                    policy_no: s.policy_no,
                    ssrc: s.ssrc,
                    roc: s.roc,
                })
                .collect(),
        );
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

    /// Persists COUNTER timestamps across restarts (RFC 3830 §6.6, §5.4): `last_sent` and
    /// `last_accepted` are the values `persist` stored before (0 the first time). An
    /// Initiator with COUNTER timestamps numbers its I_MESSAGEs from `last_sent + 1` and
    /// calls `persist(Role::Initiator, n)` before a message numbered n is returned; a
    /// Responder accepts a COUNTER message only if its value is above `last_accepted` and
    /// the last value it accepted, and calls `persist(Role::Responder, n)` before
    /// accepting it. When `persist` returns `false` the message is not sent or not accepted
    /// ([`Error::CounterStore`]; nothing changes). For broadcast key delivery without a
    /// reliable clock (MBMS, RFC 4563; OMA BCAST, RFC 5410), where the receiver never
    /// answers and must never take an old key back. Without it, COUNTER values are kept in
    /// memory only (the replay cache refuses a value not above the highest accepted).
    pub fn counter_store(
        mut self,
        last_sent: u32,
        last_accepted: u32,
        persist: super::counter_store::CounterPersist,
    ) -> Self {
        self.config.counter_store = Some(CounterStore::new(last_sent, last_accepted, persist));
        self
    }

    /// Sends the Empty CS ID map (RFC 4563 §5, map type 1): the crypto sessions and their
    /// policy are agreed outside MIKEY (MBMS, OMA BCAST), so the I_MESSAGE carries "#CS"
    /// only, no SSRC, ROC or SP payload ("there MUST NOT be any Security Policy payload").
    /// Both sides key the crypto sessions under the SRTP default policy (RFC 3830 §6.10.1),
    /// AES_CM_128_HMAC_SHA1_80, with SSRC 0 and ROC 0; the offer must be that profile. PSK
    /// and NULL modes. A Responder reads an Empty map whatever this says.
    pub fn empty_cs_map(mut self, on: bool) -> Self {
        self.config.empty_cs_map = on;
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

    /// Replay cache capacity (default 4096), when the builder creates the cache; one shard
    /// per 1024 entries, up to 16 ([`ReplayCache::new`]), so that the Responder threads of
    /// a server rarely wait for each other's cache lookups.
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
            Mode::Pk | Mode::RsaR => {
                if creds.pk.key.is_none() {
                    return Err("the public-key modes need a private key");
                }
                if creds.encr_alg == EncrAlg::Null {
                    return Err("NULL encryption needs NULL mode");
                }
                if creds.mac_alg == MacAlg::Null && creds.encr_alg != EncrAlg::AesKw128 {
                    return Err("a NULL MAC in PK mode needs AES-KW encryption");
                }
                if !matches!(
                    creds.pk.cache,
                    CacheIndicator::NoCache | CacheIndicator::Cache | CacheIndicator::CacheForCsb
                ) {
                    return Err("unknown envelope key cache indicator");
                }
                if creds.pk.chash == Some(CertHashFunc::Md5) {
                    return Err("CHASH with MD5 is not supported");
                }
                (creds.encr_alg, creds.mac_alg)
            }
            Mode::DhSign => {
                if creds.pk.key.is_none() && creds.pk.ec_key.is_none() {
                    return Err("DH-SIGN needs a private key: both messages are signed");
                }
                if creds.pk.key.is_some() && creds.pk.ec_key.is_some() {
                    return Err("DH-SIGN signs with one key: an RSA or an EC key, not both");
                }
                (EncrAlg::Null, MacAlg::Null)
            }
            Mode::DhHmac => {
                match &creds.psk {
                    None => return Err("DH-HMAC needs a pre-shared key"),
                    Some(k) if k.as_bytes().is_empty() => {
                        return Err("the pre-shared key is empty");
                    }
                    Some(_) => {}
                }
                if creds.encr_alg != EncrAlg::Null {
                    return Err("DH-HMAC's KEMAC carries no encrypted data: encryption NULL");
                }
                if creds.mac_alg == MacAlg::Null {
                    return Err("DH-HMAC needs a MAC: it is what authenticates the DH values");
                }
                (EncrAlg::Null, creds.mac_alg)
            }
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
        if c.empty_cs_map && !matches!(creds.mode, Mode::Psk | Mode::Null) {
            return Err("the Empty CS ID map is for PSK or NULL mode (RFC 4563 §5)");
        }
        if c.empty_cs_map
            && c.offer
                .iter()
                .any(|p| p.profile() != Some(SrtpProfile::Aes128CmSha1_80))
        {
            return Err(
                "with the Empty CS ID map both sides use the SRTP default policy: offer \
                 AES_CM_128_HMAC_SHA1_80 only",
            );
        }
        if c.onvif && !matches!(creds.mode, Mode::Psk | Mode::Null) {
            return Err("the ONVIF preset is PSK or NULL mode");
        }
        if (creds.dh_group.is_ecc() || creds.pk.ec_key.is_some()) && !creds.ecc_profile {
            return Err(
                "an elliptic-curve DH group or EC key needs the ECC profile enabled \
                 (unregistered codepoints of draft-ietf-msec-mikey-ecc)",
            );
        }
        if creds.dh_group.is_ecc() && creds.mode == Mode::DhHmac {
            return Err("the ECC profile's curves are for DH-SIGN (draft-ietf-msec-mikey-ecc §3)");
        }
        if creds.pk.ec_key.is_some() && creds.mode != Mode::DhSign {
            return Err(
                "an EC key signs DH-SIGN messages only (MIKEY-ECIES and ECMQV are not implemented)",
            );
        }
        if creds.rsa_r.forking && !matches!(creds.mode, Mode::RsaR | Mode::DhSign | Mode::DhHmac) {
            return Err(
                "forked answers need keys each Responder makes (RSA-R, DH): in this mode every \
                 branch would share the Initiator's TGK",
            );
        }
        if creds.rsa_r.forking && creds.rsa_r.group_member {
            return Err("a group member takes the group key server's answer, not forked ones");
        }
        if let Some(streams) = &self.group_streams {
            if creds.mode != Mode::RsaR {
                return Err("a group key server is an RSA-R Responder");
            }
            if streams.is_empty() || streams.len() > 255 {
                return Err("a group needs 1 to 255 streams");
            }
            if streams
                .iter()
                .any(|s| usize::from(s.policy_no) >= c.offer.len())
            {
                return Err("a group stream names a policy that is not offered");
            }
            if c.key_transport != KeyTransport::Tgk {
                return Err("a group hands out a TGK: use the TGK key transport");
            }
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
        if let Some(streams) = self.group_streams.take() {
            c.group = Some(Arc::new(
                GroupKeys::draw(c, streams).map_err(|_| "the random source failed")?,
            ));
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

/// The keys an RSA-R group key server hands out (RFC 4738 §3.2, §3.6): one CSB ID (the
/// General Extension CSB_ID of every answer), one RAND, the crypto sessions and one TGK.
pub(crate) struct GroupKeys {
    /// The group's CSB ID (non-zero).
    pub csb_id: u32,
    /// The group's RAND.
    pub rand: Vec<u8>,
    /// The group's crypto sessions (CS ID map entries).
    pub streams: Vec<crate::wire::SrtpIdEntry>,
    /// The group's keys.
    pub keys: Vec<CarriedKey>,
}

impl GroupKeys {
    /// Draws a group's CSB ID, RAND and TGK from the config's random source.
    fn draw(
        c: &Config,
        streams: Vec<crate::wire::SrtpIdEntry>,
    ) -> Result<GroupKeys, crate::rng::RngError> {
        // A non-zero CSB ID (RFC 3830 §6.1); a source that draws 0 sixteen times is broken.
        let mut id = [0u8; 4];
        for _ in 0..16 {
            c.rng.fill(&mut id)?;
            if id != [0; 4] {
                break;
            }
        }
        if id == [0; 4] {
            return Err(crate::rng::RngError);
        }
        let mut rand = vec![0u8; c.rand_len];
        c.rng.fill(&mut rand)?;
        let mut tgk = zeroize::Zeroizing::new(vec![0u8; c.tgk_len]);
        c.rng.fill(&mut tgk)?;
        let kv = if c.mki_len == 0 {
            crate::wire::KeyValidity::Null
        } else {
            crate::wire::KeyValidity::Spi(std::borrow::Cow::Owned(c.next_mki()))
        };
        Ok(GroupKeys {
            csb_id: u32::from_be_bytes(id),
            rand,
            streams,
            keys: vec![CarriedKey {
                kind: crate::wire::KeyDataType::Tgk,
                key: tgk,
                salt: None,
                kv,
            }],
        })
    }
}
