//! Resource bounds applied while parsing, so that an unauthenticated message can make the
//! parser allocate only a bounded amount (RFC 3830 §5.3 checks the MAC only after the
//! message has been parsed, so parsing must be cheap for anyone).
//!
//! RFC 3830 §6 sets no limit on message length or payload count; the bounds below come
//! from what real messages carry:
//!
//! - **Length, 65536 bytes.** The largest fields are 16-bit lengths (ID/CERT data, §6.7;
//!   KEMAC Encr data, §6.2; General Extension data, §6.15), so one certificate is at most
//!   64 KiB; real certificate chains and the largest PSK/PK messages (255 crypto sessions
//!   of 9 bytes each in the SRTP-ID map, §6.1.1, with their SP payloads) stay well below.
//!   It is configurable for deployments that send longer chains.
//! - **Payloads, 512 per chain.** SP payloads are numbered by an 8-bit Policy no (§6.10),
//!   so a message needs at most 256 of them; the other payloads of any exchange of RFC
//!   3830 §3, RFC 4738, RFC 6043 §5 or RFC 6267 §4 (HDR, T/TR, RAND/RANDR, ID/IDR of each
//!   role, one CERT per certificate of a chain (§6.7), KEMAC/PKE/DH/SAKKE, CHASH,
//!   General Extensions of the six registered types, ERR payloads (§6.12), TP/TICKET,
//!   V/SIGN) are a few dozen. The remaining 256 leave room for long certificate chains.
//!   The same bound applies to the sub-payload chains parsed from a payload: the Key
//!   data chain of a KEMAC (at most one key per crypto session, 255, in practice) and
//!   the TP Data chain of a TP or TICKET payload (RFC 6043 §6.10).
//!
//! Nested lists (SP parameters, Key ID entries, GENERIC-ID blocks, SRTP-ID entries) are
//! checked at parse time but kept as their wire bytes and read by iterators, so they
//! allocate nothing; only the payload list (`Vec<Payload>`, [`size_of::<Payload>()`]
//! bytes per entry) grows with the input, and it is bounded by `max_payloads`.
//!
//! [`size_of::<Payload>()`]: std::mem::size_of

/// Parse bounds: a message longer than `max_message_size` is refused before any byte
/// is read ([`ErrorKind::TooLarge`](super::ErrorKind::TooLarge)), and a chain with more
/// than `max_payloads` payloads is refused at the first one past the bound
/// ([`ErrorKind::TooManyPayloads`](super::ErrorKind::TooManyPayloads)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The longest message accepted, in bytes.
    pub max_message_size: usize,
    /// The most payloads accepted in one chain (after the Common Header, in a KEMAC Key
    /// data chain, in TP Data).
    pub max_payloads: usize,
}

/// The default longest message: 65536 bytes (see [`Limits`]).
pub const DEFAULT_MAX_MESSAGE_SIZE: usize = 65536;

/// The default payload bound per chain: 512 (see [`Limits`]).
pub const DEFAULT_MAX_PAYLOADS: usize = 512;

impl Limits {
    /// [`DEFAULT_MAX_MESSAGE_SIZE`] and [`DEFAULT_MAX_PAYLOADS`].
    pub const DEFAULT: Limits = Limits {
        max_message_size: DEFAULT_MAX_MESSAGE_SIZE,
        max_payloads: DEFAULT_MAX_PAYLOADS,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}
