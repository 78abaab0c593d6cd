//! The command line of `mikey`, declared with clap: the subcommands, their options, and
//! the checks of each value. The same declaration gives `--help`, the usage line printed
//! on a usage error (exit status 2) and the man pages (`mikey-mangen`).

use clap::builder::NonEmptyStringValueParser;
use clap::error::ErrorKind;
use clap::{ArgGroup, Args, CommandFactory, Parser, Subcommand, ValueEnum};
use mikey::policy::SrtpProfile;
use mikey::session::{MAX_MESSAGE_SIZE_RANGE, StreamSpec};
use mikey::wire::{DEFAULT_MAX_MESSAGE_SIZE, DEFAULT_MAX_PAYLOADS, EncrAlg, MacAlg, PrfFunc};
use std::path::PathBuf;
use zeroize::Zeroizing;

const ABOUT: &str = "Decode MIKEY messages (RFC 3830) and run PSK, PK or NULL-mode exchanges";

const LONG_ABOUT: &str = "\
Decode MIKEY messages (RFC 3830 and extensions) and run one step of a pre-shared-key,
public-key (RSA and X.509 certificates) or NULL-mode exchange per run, printing the
message to send and the SRTP keys; wrap a message for SDP or RTSP and unwrap it again.

A MESSAGE is hex, base64, an SDP a=key-mgmt line (or an SDP file: each media section's
key-mgmt attribute, RFC 4567 §3.1), an RTSP KeyMgmt header (or request file), an RTSP
text/parameters body with a mikey: line (or SET_PARAMETER request or GET_PARAMETER
answer file), a binary file, or - for standard input.";

/// The help heading of the MIKEY-PK options.
const PK_HEADING: &str = "Public-key mode (--mode pk)";

const EXIT_STATUS: &str = "\
Exit status: 0 on success, 1 if a message does not parse, verify or process (an Error
message to send back is still printed), 2 on usage errors.";

/// `mikey`: its subcommands.
#[derive(Debug, Parser)]
#[command(
    name = "mikey",
    version = mikey::VERSION,
    about = ABOUT,
    long_about = LONG_ABOUT,
    after_help = EXIT_STATUS,
    propagate_version = true,
    subcommand_required = true
)]
pub struct Cli {
    /// The subcommand to run.
    #[command(subcommand)]
    pub command: Command,
}

/// One subcommand and its options.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Decode a MIKEY message: every payload as a tree, or --json
    #[command(after_help = EXIT_STATUS)]
    Decode(Decode),
    /// Build an I_MESSAGE (RFC 3830 §5.2) and print the Initiator's SRTP keys
    #[command(after_help = EXIT_STATUS)]
    Initiate(Initiate),
    /// Process an I_MESSAGE as the Responder: print the verification (or Error) message
    /// and the Responder's SRTP keys
    #[command(after_help = EXIT_STATUS)]
    Respond(Respond),
    /// Check the Responder's answer to the I_MESSAGE given by --sent
    #[command(after_help = EXIT_STATUS)]
    Complete(Complete),
    /// Wrap a MIKEY message in an SDP a=key-mgmt attribute, or unwrap it (RFC 4567 §3.1)
    #[command(subcommand_required = true)]
    Sdp(Sdp),
    /// Wrap a MIKEY message in an RTSP KeyMgmt header (RFC 4567 §3.2) or SET_PARAMETER
    /// body (ONVIF re-keying), or unwrap it
    #[command(subcommand_required = true)]
    Rtsp(Rtsp),
}

const CARRIAGE_EXIT_STATUS: &str = "\
Exit status: 0 on success, 1 if the input holds no message in this form or the message
does not parse as MIKEY (unwrap still prints it), 2 on usage errors.";

/// `mikey sdp`: the SDP attribute `a=key-mgmt:mikey <base64>` (RFC 4567 §3.1).
#[derive(Debug, Args)]
pub struct Sdp {
    /// wrap or unwrap
    #[command(subcommand)]
    pub command: SdpCommand,
}

/// `mikey sdp wrap` or `mikey sdp unwrap`.
#[derive(Debug, Subcommand)]
pub enum SdpCommand {
    /// Print the message as an SDP attribute line: a=key-mgmt:mikey BASE64 (RFC 4567
    /// §3.1; one line, padded base64)
    #[command(after_help = CARRIAGE_EXIT_STATUS)]
    Wrap(Wrap),
    /// Print the MIKEY message of an a=key-mgmt:mikey attribute or of a whole SDP
    /// description: the attribute that applies to a media section, media level over
    /// session level (RFC 4567 §3.1)
    #[command(after_help = CARRIAGE_EXIT_STATUS)]
    Unwrap(SdpUnwrap),
}

/// `mikey rtsp`: the RTSP `KeyMgmt` header (RFC 4567 §3.2) and the `mikey` parameter of
/// text/parameters bodies (RFC 2326 §10.8, §10.9; ONVIF Streaming Specification).
#[derive(Debug, Args)]
pub struct Rtsp {
    /// wrap or unwrap
    #[command(subcommand)]
    pub command: RtspCommand,
}

/// `mikey rtsp wrap` or `mikey rtsp unwrap`.
#[derive(Debug, Subcommand)]
pub enum RtspCommand {
    /// Print the message as an RTSP KeyMgmt header (RFC 4567 §3.2), or with --parameter as
    /// the text/parameters body of a SET_PARAMETER request (ONVIF re-keying)
    #[command(after_help = CARRIAGE_EXIT_STATUS)]
    Wrap(RtspWrap),
    /// Print the MIKEY message of an RTSP KeyMgmt header (a SETUP request or its answer)
    /// or of a text/parameters body with a mikey parameter (a SET_PARAMETER request or a
    /// GET_PARAMETER answer), alone or in a whole RTSP message
    #[command(after_help = CARRIAGE_EXIT_STATUS)]
    Unwrap(RtspUnwrap),
}

/// `mikey sdp wrap`.
#[derive(Debug, Args)]
pub struct Wrap {
    #[command(flatten)]
    pub max_size: MaxSize,
    /// The message: hex, base64, a=key-mgmt line, KeyMgmt header, mikey: line, binary file,
    /// or -; it must parse as a MIKEY message
    #[arg(value_name = "MESSAGE", value_parser = NonEmptyStringValueParser::new())]
    pub message: String,
}

/// `mikey rtsp wrap`.
#[derive(Debug, Args)]
pub struct RtspWrap {
    /// The uri parameter of the KeyMgmt header: the RTSP URI the message applies to (RFC
    /// 4567 §3.2; without it, the request's URI)
    #[arg(long, value_name = "URI", value_parser = header_uri, conflicts_with = "parameter")]
    pub uri: Option<String>,
    /// Print the text/parameters body of an RTSP SET_PARAMETER request instead: the line
    /// "mikey: BASE64" ended by CRLF, exactly the body to send (Content-Type:
    /// text/parameters; ONVIF Streaming Specification re-keying, RFC 2326 §10.9)
    #[arg(long)]
    pub parameter: bool,
    #[command(flatten)]
    pub max_size: MaxSize,
    /// The message: hex, base64, a=key-mgmt line, KeyMgmt header, mikey: line, binary file,
    /// or -; it must parse as a MIKEY message
    #[arg(value_name = "MESSAGE", value_parser = NonEmptyStringValueParser::new())]
    pub message: String,
}

/// What `unwrap` prints: base64 (the default), hex, the raw bytes into a file, or the
/// decoded tree.
#[derive(Debug, Args)]
#[group(multiple = false)]
pub struct UnwrapOutput {
    /// Print the message in hex instead of base64
    #[arg(long)]
    pub hex: bool,
    /// Write the message's bytes to FILE instead of printing it
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Print the message's payload tree, as mikey decode does
    #[arg(long)]
    pub decode: bool,
}

/// `mikey sdp unwrap`.
#[derive(Debug, Args)]
pub struct SdpUnwrap {
    /// The media section whose attribute to read, counted from 0 in the order of the m=
    /// lines (as mikey_sdp_media_message counts); needed when the media sections are keyed
    /// by different attributes
    #[arg(long, value_name = "N", value_parser = media_index)]
    pub media: Option<usize>,
    #[command(flatten)]
    pub output: UnwrapOutput,
    #[command(flatten)]
    pub max_size: MaxSize,
    /// An a=key-mgmt:mikey line, or an SDP description: the text, a file, or -
    #[arg(value_name = "SDP", value_parser = NonEmptyStringValueParser::new())]
    pub text: String,
}

/// `mikey rtsp unwrap`.
#[derive(Debug, Args)]
pub struct RtspUnwrap {
    /// Of a KeyMgmt header with several prot=mikey key-mgmt-specs, the one whose uri
    /// parameter is URI
    #[arg(long, value_name = "URI")]
    pub uri: Option<String>,
    #[command(flatten)]
    pub output: UnwrapOutput,
    #[command(flatten)]
    pub max_size: MaxSize,
    /// A KeyMgmt header, a text/parameters body with a mikey: line, or a whole RTSP
    /// message holding either: the text, a file, or -
    #[arg(value_name = "RTSP", value_parser = NonEmptyStringValueParser::new())]
    pub text: String,
}

/// `mikey decode`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("opener").args(["psk", "key"])))]
pub struct Decode {
    /// Print a stable machine-readable form
    #[arg(long)]
    pub json: bool,
    /// Verify the MAC of an I_MESSAGE with this pre-shared key and decrypt its KEMAC
    #[arg(long, value_name = "HEX", value_parser = hex)]
    pub psk: Option<Zeroizing<Vec<u8>>>,
    /// Open a PK I_MESSAGE with this RSA private key (the Responder's; PEM or DER): decrypt
    /// the PKE and the KEMAC, show IDi and the keys, and check SIGNi with the certificate
    /// the message encloses (its chain is not validated: for inspection only)
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
    /// The RAND an update message lacks (with --psk or --key)
    #[arg(long, value_name = "HEX", value_parser = hex, requires = "opener")]
    pub rand: Option<Zeroizing<Vec<u8>>>,
    #[command(flatten)]
    pub max_size: MaxSize,
    /// The most payloads shown per chain (--psk and --key open only messages within the library's
    /// bound of 512)
    #[arg(long, value_name = "N", value_parser = max_payloads, default_value_t = DEFAULT_MAX_PAYLOADS)]
    pub max_payloads: usize,
    /// The message: hex, base64, a=key-mgmt line, KeyMgmt header, file, or -
    #[arg(value_name = "MESSAGE", value_parser = NonEmptyStringValueParser::new())]
    pub message: String,
}

/// `--max-size BYTES`: the longest message accepted.
#[derive(Debug, Args)]
pub struct MaxSize {
    /// The longest message accepted (1024 to 16777216); longer input is refused unread
    #[arg(long = "max-size", value_name = "BYTES", value_parser = max_size, default_value_t = DEFAULT_MAX_MESSAGE_SIZE)]
    pub bytes: usize,
}

/// The key-management mode: pre-shared key (RFC 3830 §3.1), public key (§3.2), or NULL
/// mode (the NULL encryption and MAC algorithms of the KEMAC, RFC 3830 §6.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ModeArg {
    /// Pre-shared key (RFC 3830 §3.1)
    Psk,
    /// Public key (RFC 3830 §3.2): an RSA envelope and signature, X.509 certificates
    Pk,
    /// RSA in reverse (RFC 4738): the Initiator signs a request, the Responder sends the
    /// keys encrypted to the Initiator's certificate
    Rsar,
    /// Diffie-Hellman with signatures (RFC 3830 §3.3): perfect forward secrecy, X.509
    /// certificates (the --key, --cert, --ca, --peer-cert files)
    Dhsign,
    /// Diffie-Hellman authenticated by an HMAC from --psk (RFC 4650): perfect forward
    /// secrecy without certificates; needs --id and --peer-id
    Dhhmac,
    /// No encryption, no MAC: insecure, explicit only
    Null,
}

/// The DH group of the DH modes (`--dh-group`, RFC 3830 Table 6.4; the curves of the ECC
/// profile, draft-ietf-msec-mikey-ecc-03 §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DhGroupArg {
    /// OAKLEY 5, 1536 bits (the default, the one every implementation supports)
    #[value(name = "5")]
    Oakley5,
    /// OAKLEY 1, 768 bits (weak: only for old peers)
    #[value(name = "1")]
    Oakley1,
    /// OAKLEY 2, 1024 bits
    #[value(name = "2")]
    Oakley2,
    /// ECDH on NIST P-256 (DH-SIGN with --ecc-profile: draft-ietf-msec-mikey-ecc-03
    /// DH-Group 10, unregistered)
    P256,
    /// ECDH on NIST P-384 (DH-SIGN with --ecc-profile: draft-ietf-msec-mikey-ecc-03
    /// DH-Group 13, unregistered)
    P384,
}

/// How the Initiator carries its keys (`--transport`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TransportArg {
    /// A TGK; each crypto session's keys are derived from it (RFC 3830 §4.1.3)
    Tgk,
    /// A TEK and a salt per crypto session
    TekSalt,
    /// Each crypto session's master key and salt concatenated as one TEK
    Tek,
}

/// How the Initiator signs a PK I_MESSAGE (`--sign`, RFC 3830 §6.5 S type).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SignArg {
    /// RSASSA-PKCS1-v1_5 with SHA-256 (S type 0, the mandatory one)
    Pkcs1,
    /// RSASSA-PSS with SHA-256 (S type 1)
    Pss,
}

/// The hash of a CHASH payload (`--chash`, RFC 3830 §6.8, RFC 6043 §6.7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ChashArg {
    /// SHA-1 (Hash func 0)
    Sha1,
    /// SHA-256 (Hash func 2)
    Sha256,
}

/// The MIKEY-PK credentials (`--mode pk`, RFC 3830 §3.2), read from files. Each takes PEM
/// or DER.
#[derive(Debug, Args)]
pub struct PkFiles {
    /// This side's RSA private key, PKCS#8 or PKCS#1, not encrypted (needed in PK mode).
    /// --mode dhsign with --ecc-profile also takes an EC key on P-256 or P-384, PKCS#8 or
    /// SEC 1 ("EC PRIVATE KEY"), which signs with ECDSA
    #[arg(long, value_name = "FILE", help_heading = PK_HEADING)]
    pub key: Option<PathBuf>,
    /// This side's certificate chain, its own certificate first (for the key of --key).
    /// initiate sends it in CERT payloads; respond needs it only to check a CHASH
    #[arg(long, value_name = "FILE", help_heading = PK_HEADING)]
    pub cert: Option<PathBuf>,
    /// Trusted CA certificates: respond validates the chain the Initiator sends up to
    /// them; with --peer-cert, that certificate is validated against them first
    #[arg(long, value_name = "FILE", help_heading = PK_HEADING)]
    pub ca: Option<PathBuf>,
    /// The peer's certificate, pinned (further certificates in the file are intermediates
    /// for --ca). initiate: the Responder's, needed (the envelope key is encrypted to it);
    /// respond: the only certificate the Initiator may sign with, needed when it sends none
    #[arg(long = "peer-cert", value_name = "FILE", help_heading = PK_HEADING)]
    pub peer_cert: Option<PathBuf>,
}

/// The options only a PK Initiator takes (`initiate --mode pk`).
#[derive(Debug, Args)]
pub struct PkInitiate {
    /// Send no CERT payloads, only IDi (the Responder then needs this side's certificate
    /// as its --peer-cert)
    #[arg(long = "no-send-cert", help_heading = PK_HEADING)]
    pub no_send_cert: bool,
    /// The signature SIGNi: pkcs1 (RSASSA-PKCS1-v1_5, the default) or pss (RSASSA-PSS),
    /// both with SHA-256
    #[arg(long, value_enum, value_name = "SCHEME", help_heading = PK_HEADING)]
    pub sign: Option<SignArg>,
    /// Send a CHASH payload: the hash (sha1 or sha256) of the Responder's certificate the
    /// envelope key is encrypted to
    #[arg(long, value_enum, value_name = "HASH", help_heading = PK_HEADING)]
    pub chash: Option<ChashArg>,
    /// The PKE's envelope key cache indicator (RFC 3830 §6.3): none (the default), csb
    /// (both sides keep the key for this CSB's updates) or cache (also beyond it:
    /// respond and complete print it, to be the --psk of later exchanges with this peer)
    #[arg(long = "envelope-cache", value_enum, value_name = "CACHE", help_heading = PK_HEADING)]
    pub envelope_cache: Option<CacheArg>,
}

/// The PKE envelope key cache indicator (`--envelope-cache`, RFC 3830 §6.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CacheArg {
    /// No cache (C = 0): the envelope key MUST NOT be cached
    None,
    /// Cache (C = 1): the envelope key MUST be cached
    Cache,
    /// Cache for CSB (C = 2): cached, only for this CSB
    Csb,
}

/// The options every exchange command takes.
#[derive(Debug, Args)]
pub struct Common {
    /// psk, pk, rsar, dhsign, dhhmac, or null (no encryption, no MAC: insecure; explicit
    /// only)
    #[arg(long, value_enum, value_name = "MODE")]
    pub mode: ModeArg,
    /// The pre-shared key (PSK mode)
    #[arg(long, value_name = "HEX", value_parser = hex)]
    pub psk: Option<Zeroizing<Vec<u8>>>,
    /// KEMAC encryption: AES-CM-128, AES-KW-128, AES-CM-256 (or NULL)
    #[arg(long, value_name = "NAME", value_parser = encr)]
    pub encr: Option<EncrAlg>,
    /// KEMAC MAC: HMAC-SHA-1-160, HMAC-SHA-256-256 (or NULL)
    #[arg(long, value_name = "NAME", value_parser = mac)]
    pub mac: Option<MacAlg>,
    /// PRF: MIKEY-1 or PRF-HMAC-SHA-256
    #[arg(long, value_name = "NAME", value_parser = prf)]
    pub prf: Option<PrfFunc>,
    /// This side's identity (an ID payload with a URI). initiate --mode pk needs it: the
    /// KEMAC carries it, and its certificate must name it
    #[arg(long, value_name = "URI")]
    pub id: Option<String>,
    /// The peer's identity (an ID payload with a URI)
    #[arg(long = "peer-id", value_name = "URI")]
    pub peer_id: Option<String>,
    /// initiate: a policy to offer (repeatable, policy no. in order); respond: a profile
    /// to accept (repeatable, in preference order), e.g. AES_CM_128_HMAC_SHA1_80
    #[arg(long, value_name = "NAME", value_parser = profile)]
    pub profile: Vec<SrtpProfile>,
    /// Print a stable machine-readable form
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub pk: PkFiles,
    /// RSA-R group mode (RFC 4738 §3.2): initiate and complete join a group (no SP, no
    /// RAND; no --ssrc: no stream of this side); respond is the group's key server, handing
    /// the keys of the --group-ssrc streams to every member
    #[arg(long, help_heading = PK_HEADING)]
    pub group: bool,
    /// The DH group of --mode dhsign and dhhmac (both sides must agree; default 5);
    /// p256 and p384 are for --mode dhsign with --ecc-profile
    #[arg(long = "dh-group", value_enum, value_name = "GROUP")]
    pub dh_group: Option<DhGroupArg>,
    /// Enable the ECC profile of DH-SIGN (draft-ietf-msec-mikey-ecc-03, expired; its
    /// codepoints were never registered): --dh-group p256|p384, an EC --key (ECDSA
    /// signatures, S type 2), and the peer's EC certificates and signatures. Off unless
    /// given; a peer using it must enable it too
    #[arg(long = "ecc-profile")]
    pub ecc_profile: bool,
    /// The ONVIF profile (ONVIF Streaming Specification, "MIKEY"), --mode psk or null: a
    /// TEK (AES_CM_128_HMAC_SHA1_80) or TEK+SALT (AES-GCM) with a 4-byte MKI, no
    /// verification requested, the ONVIF SP sets accepted; in NULL mode the ONVIF readings
    /// of a missing RAND (with TEKs) and of a Windows FILETIME in T
    #[arg(long)]
    pub onvif: bool,
    /// Keep COUNTER timestamps in FILE across runs (RFC 3830 §5.4): initiate
    /// --timestamp counter numbers its message from the last one sent; respond refuses a
    /// COUNTER not above the last one accepted. FILE is rewritten before the message is
    /// printed or accepted
    #[arg(long = "counter-file", value_name = "FILE", help_heading = EXT_HEADING)]
    pub counter_file: Option<PathBuf>,
}

/// `mikey initiate`. In PK mode it draws the envelope key itself and prints it: the secret
/// `complete --envelope-key` needs; in the DH modes, the same for the DH secret and
/// `complete --dh-secret`.
#[derive(Debug, Args)]
pub struct Initiate {
    #[command(flatten)]
    pub common: Common,
    #[command(flatten)]
    pub pk: PkInitiate,
    /// A stream to key (repeatable; default one, SSRC 0)
    #[arg(long, value_name = "SSRC[:ROC[:POLICY]]", value_parser = stream)]
    pub ssrc: Vec<StreamSpec>,
    /// How the keys are carried
    #[arg(long, value_enum, value_name = "HOW")]
    pub transport: Option<TransportArg>,
    /// The MKI length in bytes
    #[arg(long = "mki-len", value_name = "N", value_parser = mki_len)]
    pub mki_len: Option<usize>,
    /// Ask for no verification message
    #[arg(long = "no-verify")]
    pub no_verify: bool,
    /// A fixed CSB ID (for tests)
    #[arg(long, value_name = "N", value_parser = csb)]
    pub csb: Option<u32>,
    /// A fixed RAND (for tests)
    #[arg(long, value_name = "HEX", value_parser = hex)]
    pub rand: Option<Zeroizing<Vec<u8>>>,
    /// A fixed NTP timestamp for the I_MESSAGE (for tests)
    #[arg(long, value_name = "NTP", value_parser = ntp)]
    pub t: Option<u64>,
    /// A fixed TGK or TEK (for tests)
    #[arg(long, value_name = "HEX", value_parser = hex)]
    pub tgk: Option<Zeroizing<Vec<u8>>>,
    /// The timestamp type: ntp-utc (default), ntp, or counter (needs --counter-file, which
    /// numbers the messages across runs)
    #[arg(long, value_enum, value_name = "TYPE")]
    pub timestamp: Option<TimestampArg>,
    /// Send the Empty CS ID map (RFC 4563 §5; MBMS, OMA BCAST): no SSRC, ROC or SP payload;
    /// both sides use AES_CM_128_HMAC_SHA1_80
    #[arg(long = "empty-map", help_heading = EXT_HEADING)]
    pub empty_map: bool,
    /// A General Extension (repeatable, RFC 3830 §6.15): TYPE is vendor-id, key-id,
    /// oma-bcast, sakke-to-self, 3gpp-key-parameters or a number up to 255
    #[arg(long, value_name = "TYPE:HEX", value_parser = crate::ext_args::ext, help_heading = EXT_HEADING)]
    pub ext: Vec<crate::ext_args::ExtArg>,
    /// A Key ID (repeatable, in order; all go in one Key ID extension, RFC 4563 §4): TYPE
    /// is domain, service, traffic (MBMS Key Domain, Service Key, Traffic Key ID) or a
    /// number
    #[arg(long = "key-id", value_name = "TYPE:HEX", value_parser = crate::ext_args::key_id, help_heading = EXT_HEADING)]
    pub key_id: Vec<crate::ext_args::KeyIdArg>,
    /// An OMA BCAST extension (repeatable, RFC 5410 §3): SUBTYPE is ltkm, stkm,
    /// ltkm-reporting, parental-control or a number; HEX the subtype-specific data
    #[arg(long = "oma-bcast", value_name = "SUBTYPE:HEX", value_parser = crate::ext_args::oma_bcast, help_heading = EXT_HEADING)]
    pub oma_bcast: Vec<crate::ext_args::OmaBcastArg>,
    /// A TESLA policy (RFC 4442 §4.2), with --tesla-key:
    /// start=NTP,interval=MS,delay=N,chain=N[,prf=ID,prf-bits=N,mac=ID,mac-bits=N,receiver-time=NTP]
    #[arg(long, value_name = "POLICY", value_parser = crate::ext_args::tesla, help_heading = EXT_HEADING)]
    pub tesla: Option<mikey::tesla::TeslaPolicy>,
    /// The TESLA key chain's initial key K_0 (RFC 4442 §4.4), with --tesla
    #[arg(long = "tesla-key", value_name = "HEX", value_parser = hex, help_heading = EXT_HEADING)]
    pub tesla_key: Option<Zeroizing<Vec<u8>>>,
}

/// The timestamp type of the I_MESSAGE (`--timestamp`, RFC 3830 §6.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TimestampArg {
    /// NTP-UTC (TS type 0, the default)
    NtpUtc,
    /// NTP (TS type 1)
    Ntp,
    /// COUNTER (TS type 2): numbered from --counter-file
    Counter,
}

/// The help heading of the extension options.
const EXT_HEADING: &str = "Extensions (RFC 3830 §6.15, RFC 4442, RFC 4563, RFC 5410)";

/// `mikey respond`.
#[derive(Debug, Args)]
pub struct Respond {
    #[command(flatten)]
    pub common: Common,
    /// RSA-R group key server (--group): a stream of the group (repeatable; default one,
    /// SSRC 0)
    #[arg(long = "group-ssrc", value_name = "SSRC[:ROC[:POLICY]]", value_parser = stream, help_heading = PK_HEADING)]
    pub group_ssrc: Vec<StreamSpec>,
    /// Check timestamps against this NTP time instead of the clock
    #[arg(long, value_name = "NTP", value_parser = ntp)]
    pub now: Option<u64>,
    #[command(flatten)]
    pub max_size: MaxSize,
    /// Also print the keys as the exchange delivered them: the KEMAC's TGK or TEKs, or in
    /// the DH modes the TGK (secret). A broadcast receiver's MBMS Service Key or OMA BCAST
    /// service key is the --psk of the messages that follow
    #[arg(long = "carried-keys", help_heading = EXT_HEADING)]
    pub carried_keys: bool,
    /// The I_MESSAGE: hex, base64, a=key-mgmt line, KeyMgmt header, file, or -
    #[arg(value_name = "I_MESSAGE", value_parser = NonEmptyStringValueParser::new())]
    pub message: String,
}

/// `mikey complete`.
#[derive(Debug, Args)]
pub struct Complete {
    #[command(flatten)]
    pub common: Common,
    /// The I_MESSAGE this Initiator sent (any form MESSAGE takes)
    #[arg(long, value_name = "I_MESSAGE", value_parser = NonEmptyStringValueParser::new())]
    pub sent: String,
    /// The envelope key initiate printed for --sent (64 hex digits; secret), needed in PK
    /// mode: the PKE is encrypted to the Responder, so only this key reopens the message
    #[arg(long = "envelope-key", value_name = "HEX", value_parser = envelope_key, help_heading = PK_HEADING)]
    pub envelope_key: Option<Zeroizing<Vec<u8>>>,
    /// The DH secret initiate printed for --sent (hex; secret), needed in the DH modes: the
    /// message carries only g^x, so only this secret makes the key with the answer's DH value
    #[arg(long = "dh-secret", value_name = "HEX", value_parser = hex)]
    pub dh_secret: Option<Zeroizing<Vec<u8>>>,
    /// Check timestamps against this NTP time instead of the clock
    #[arg(long, value_name = "NTP", value_parser = ntp)]
    pub now: Option<u64>,
    #[command(flatten)]
    pub max_size: MaxSize,
    /// The Responder's answer: hex, base64, a=key-mgmt line, KeyMgmt header, file, or -
    #[arg(value_name = "REPLY", value_parser = NonEmptyStringValueParser::new())]
    pub message: String,
}

/// The clap command of `mikey`, with the subcommands' full names (`mikey decode`) set.
pub fn command() -> clap::Command {
    let mut cmd = Cli::command();
    cmd.build();
    cmd
}

/// A usage error found after parsing (e.g. two options that do not go together), in
/// clap's form: the error, the subcommand's usage line and where to find more; exit status
/// 2 when printed with [`clap::Error::exit`] or [`clap::Error::exit_code`].
pub fn usage_error(subcommand: &str, message: impl std::fmt::Display) -> clap::Error {
    let mut cmd = command();
    match cmd.find_subcommand_mut(subcommand) {
        Some(sub) => sub.error(ErrorKind::ArgumentConflict, message),
        None => cmd.error(ErrorKind::ArgumentConflict, message),
    }
}

/// `text` as a number: decimal, or hex with `0x`.
pub fn number(text: &str) -> Result<u64, String> {
    let parsed = match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(h) => u64::from_str_radix(h, 16),
        None => text.parse(),
    };
    parsed.map_err(|_| format!("{text:?} is not a number (decimal, or hex with 0x)"))
}

/// Non-empty hex, with or without `0x` (zeroized on drop: it may be a key).
fn hex(text: &str) -> Result<Zeroizing<Vec<u8>>, String> {
    let digits = text.trim_start_matches("0x");
    if digits.is_empty() {
        return Err("empty: give at least one byte in hex".to_string());
    }
    hex::decode(digits)
        .map(Zeroizing::new)
        .map_err(|e| format!("not hex ({e})"))
}

/// The length of a PK envelope key: the key `initiate --mode pk` draws and prints
/// (RFC 3830 §3.2; [`mikey::session::InitInputs::envelope_key`]).
pub const ENVELOPE_KEY_LEN: usize = 32;

/// A PK envelope key: [`ENVELOPE_KEY_LEN`] bytes in hex.
fn envelope_key(text: &str) -> Result<Zeroizing<Vec<u8>>, String> {
    let key = hex(text)?;
    if key.len() != ENVELOPE_KEY_LEN {
        return Err(format!(
            "an envelope key is {ENVELOPE_KEY_LEN} bytes, not {}",
            key.len()
        ));
    }
    Ok(key)
}

/// The uri parameter of a KeyMgmt header, written between double quotes (RFC 4567 §3.2):
/// no double quote, no control character. Empty is allowed (ONVIF clients send `uri=""`).
fn header_uri(text: &str) -> Result<String, String> {
    if text.contains('"') || text.chars().any(char::is_control) {
        return Err("a URI holds no double quote and no control character".to_string());
    }
    Ok(text.to_string())
}

/// A media section index, counted from 0.
fn media_index(text: &str) -> Result<usize, String> {
    usize::try_from(number(text)?).map_err(|_| "too large".to_string())
}

fn ntp(text: &str) -> Result<u64, String> {
    number(text)
}

fn csb(text: &str) -> Result<u32, String> {
    u32::try_from(number(text)?).map_err(|_| "more than 32 bits".to_string())
}

fn mki_len(text: &str) -> Result<usize, String> {
    usize::try_from(number(text)?).map_err(|_| "too large".to_string())
}

fn max_size(text: &str) -> Result<usize, String> {
    usize::try_from(number(text)?)
        .ok()
        .filter(|n| MAX_MESSAGE_SIZE_RANGE.contains(n))
        .ok_or_else(|| {
            format!(
                "{} to {} bytes",
                MAX_MESSAGE_SIZE_RANGE.start(),
                MAX_MESSAGE_SIZE_RANGE.end()
            )
        })
}

fn max_payloads(text: &str) -> Result<usize, String> {
    usize::try_from(number(text)?)
        .ok()
        .filter(|n| *n >= 1)
        .ok_or_else(|| "at least 1".to_string())
}

/// The registered codepoint named `name` (case-insensitive) among `values`.
fn codepoint<T>(name: &str, values: std::ops::RangeInclusive<u8>) -> Result<T, String>
where
    T: From<u8> + Copy + std::fmt::Display,
{
    let all: Vec<T> = values.map(T::from).collect();
    all.iter()
        .find(|v| v.to_string().eq_ignore_ascii_case(name))
        .copied()
        .ok_or_else(|| {
            let names: Vec<String> = all.iter().map(ToString::to_string).collect();
            format!("one of {}", names.join(", "))
        })
}

fn encr(name: &str) -> Result<EncrAlg, String> {
    codepoint(name, 0..=3)
}

fn mac(name: &str) -> Result<MacAlg, String> {
    codepoint(name, 0..=2)
}

fn prf(name: &str) -> Result<PrfFunc, String> {
    codepoint(name, 0..=1)
}

fn profile(name: &str) -> Result<SrtpProfile, String> {
    SrtpProfile::from_name(name).ok_or_else(|| {
        format!(
            "not one of {}",
            SrtpProfile::ALL.map(SrtpProfile::name).join(", ")
        )
    })
}

/// `SSRC[:ROC[:POLICY]]`: ROC and policy no. default to 0.
fn stream(spec: &str) -> Result<StreamSpec, String> {
    let parts: Vec<&str> = spec.split(':').collect();
    if parts.len() > 3 {
        return Err("SSRC[:ROC[:POLICY]]".to_string());
    }
    let field = |i: usize, max: u64| -> Result<u64, String> {
        let v = parts.get(i).map_or(Ok(0), |p| number(p))?;
        if v > max {
            return Err(format!("field {} out of range (at most {max})", i + 1));
        }
        Ok(v)
    };
    Ok(StreamSpec {
        ssrc: field(0, u64::from(u32::MAX))? as u32,
        roc: field(1, u64::from(u32::MAX))? as u32,
        policy_no: field(2, 254)? as u8,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("mikey").chain(args.iter().copied()))
    }

    #[test]
    fn declaration_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn options_switches_and_positionals() {
        let cli = parse(&[
            "initiate", "--mode", "psk", "--psk", "0a0b", "--json", "--ssrc", "1", "--ssrc",
            "0x10:2:1",
        ])
        .unwrap();
        let Command::Initiate(a) = cli.command else {
            panic!("not initiate")
        };
        assert_eq!(
            a.common.psk.as_deref().map(Vec::as_slice),
            Some(&[10, 11][..])
        );
        assert!(a.common.json);
        assert_eq!(a.ssrc.len(), 2);
        assert_eq!(
            (a.ssrc[1].ssrc, a.ssrc[1].roc, a.ssrc[1].policy_no),
            (16, 2, 1)
        );
        assert_eq!(number("0x10"), Ok(16));
        assert!(number("ten").is_err());
    }

    #[test]
    fn pk_options() {
        let cli = parse(&[
            "initiate",
            "--mode",
            "pk",
            "--key",
            "a.key",
            "--cert",
            "a.pem",
            "--peer-cert",
            "b.pem",
            "--sign",
            "pss",
            "--chash",
            "sha256",
            "--no-send-cert",
        ])
        .unwrap();
        let Command::Initiate(a) = cli.command else {
            panic!("not initiate")
        };
        assert_eq!(a.common.mode, ModeArg::Pk);
        assert_eq!(a.common.pk.key, Some(PathBuf::from("a.key")));
        assert_eq!(a.common.pk.peer_cert, Some(PathBuf::from("b.pem")));
        assert_eq!(a.common.pk.ca, None);
        assert_eq!(
            (a.pk.sign, a.pk.chash, a.pk.no_send_cert),
            (Some(SignArg::Pss), Some(ChashArg::Sha256), true)
        );
        let key = "00".repeat(ENVELOPE_KEY_LEN);
        let cli = parse(&[
            "complete",
            "--mode",
            "pk",
            "--key",
            "a.key",
            "--envelope-key",
            &key,
            "--sent",
            "00",
            "00",
        ])
        .unwrap();
        let Command::Complete(c) = cli.command else {
            panic!("not complete")
        };
        assert_eq!(
            c.envelope_key.as_deref().map(Vec::len),
            Some(ENVELOPE_KEY_LEN)
        );
        assert!(envelope_key(&"00".repeat(ENVELOPE_KEY_LEN + 1)).is_err());
        let cli = parse(&["decode", "--key", "b.key", "--rand", "00", "00"]).unwrap();
        let Command::Decode(d) = cli.command else {
            panic!("not decode")
        };
        assert_eq!(d.key, Some(PathBuf::from("b.key")));
        assert!(d.rand.is_some());
    }

    #[test]
    fn dh_groups_and_the_ecc_profile() {
        for (name, group) in [
            ("5", DhGroupArg::Oakley5),
            ("1", DhGroupArg::Oakley1),
            ("2", DhGroupArg::Oakley2),
            ("p256", DhGroupArg::P256),
            ("p384", DhGroupArg::P384),
        ] {
            let cli = parse(&["initiate", "--mode", "dhsign", "--dh-group", name]).unwrap();
            let Command::Initiate(a) = cli.command else {
                panic!("not initiate")
            };
            assert_eq!(a.common.dh_group, Some(group));
            assert!(!a.common.ecc_profile);
        }
        let cli = parse(&["respond", "--mode", "dhsign", "--ecc-profile", "00"]).unwrap();
        let Command::Respond(r) = cli.command else {
            panic!("not respond")
        };
        assert!(r.common.ecc_profile);
        assert!(parse(&["initiate", "--mode", "dhsign", "--dh-group", "p521"]).is_err());
    }

    #[test]
    fn usage_errors_exit_2() {
        for bad in [
            &["decode"][..],
            &["decode", ""],
            &["decode", "--psk", "", "00"],
            &["decode", "--psk", "zz", "00"],
            &["decode", "--rand", "00", "00"],
            &["decode", "--max-size", "1023", "00"],
            &["initiate", "--mode", "psk", "--ssrc", "1:2:3:4"],
            &["initiate", "--mode", "psk", "--now", "1"],
            &["decode", "--psk", "00", "--key", "k.pem", "00"],
            &["initiate", "--mode", "pk", "--sign", "md5"],
            &["initiate", "--mode", "pk", "--chash", "md5"],
            &["respond", "--mode", "pk", "--sign", "pss", "00"],
            &[
                "complete",
                "--mode",
                "pk",
                "--envelope-key",
                "00",
                "--sent",
                "00",
                "00",
            ],
            &["frobnicate"],
            &[],
            &["sdp"],
            &["sdp", "wrap"],
            &["sdp", "unwrap", "--hex", "--decode", "x"],
            &["sdp", "unwrap", "--media", "-1", "x"],
            &["rtsp", "wrap", "--parameter", "--uri", "rtsp://a/b", "00"],
            &["rtsp", "wrap", "--uri", "rtsp://a/\"b", "00"],
            &["rtsp", "unwrap", "--out", "f", "--hex", "x"],
            &["rtsp", "frobnicate"],
        ] {
            let e = parse(bad).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{bad:?}: {e}");
        }
        assert_eq!(usage_error("decode", "x").exit_code(), 2);
        let text = usage_error("respond", "why").to_string();
        assert!(
            text.contains("why") && text.contains("Usage: mikey respond"),
            "{text}"
        );
    }
}
