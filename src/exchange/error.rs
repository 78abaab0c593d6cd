//! Why an exchange step failed, and which MIKEY Error no. (RFC 3830 §6.12 Table 6.12)
//! the peer is told, if any (§5.1.2, §5.3).

use crate::replay::ReplayError;
use crate::time::TimestampError;
use crate::wire::{DataType, EncodeError, ErrorNo, ParseError};
use std::fmt;

/// An exchange step failed. The session is unchanged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// The message does not parse (RFC 3830 §6).
    Parse(ParseError),
    /// The call is not allowed in the session's current state (API misuse).
    WrongState,
    /// The message has a data type this session does not process now (Error no. 11).
    UnexpectedMessage(DataType),
    /// A payload the message type requires is missing (Error no. 12).
    MissingPayload(&'static str),
    /// The timestamp is outside the allowed clock skew or of an unsupported type (§5.3:
    /// the message is discarded).
    Timestamp(TimestampError),
    /// The message was already processed (§5.4: discarded). A copy of the last I_MESSAGE
    /// a Responder session accepted, given to that session, is not this but
    /// a retransmission, which the session answers again.
    Replayed,
    /// The replay cache is full of live entries; every message is refused until they
    /// expire (§5.4).
    ReplayCacheFull,
    /// The MAC did not verify (Error no. 0). Deliberately carries no detail.
    AuthFailed,
    /// The PRF func is not supported (Error no. 2).
    UnsupportedPrf,
    /// The MAC algorithm is not supported or not enabled (Error no. 3).
    UnsupportedMac,
    /// The KEMAC encryption algorithm is not supported or not enabled (Error no. 4).
    UnsupportedEncryption,
    /// An identity does not match the configured one (Error no. 7).
    IdentityMismatch,
    /// An SP payload is not for SRTP (Error no. 9).
    UnsupportedPolicyType,
    /// No offered policy is acceptable (Error no. 10).
    UnsupportedPolicy,
    /// The message is for another crypto session bundle (Error no. 12).
    CsbMismatch,
    /// The verification message does not carry the Initiator's timestamp (§5.2).
    TimestampMismatch,
    /// The decrypted key data is unusable: malformed chain, wrong key or salt length,
    /// no key (Error no. 12).
    BadKeyData(&'static str),
    /// An update I_MESSAGE carries a RAND (RFC 3830 §4.5: "MUST NOT"; Error no. 12).
    UpdateWithRand,
    /// An update I_MESSAGE whose timestamp is not newer than the one of the last
    /// I_MESSAGE accepted for the CSB (RFC 3830 §4.5, §5.4): a late or reordered update
    /// that would put older keys back. Discarded like any timestamp failure (§5.3).
    TimestampNotNewer,
    /// A Key validity interval that is not a range of 48-bit SRTP indices (RFC 3830
    /// §6.14; RFC 3711 §3.3.1): the field named is empty or 2^48 or more, or Valid From
    /// is after Valid To (Error no. 12).
    BadKeyValidity(&'static str),
    /// The key management protocols the I_MESSAGE's SDP IDs extension lists are not the
    /// ones of the SDP or RTSP offer that carried it, or an offer of several protocols came
    /// without the list (RFC 4567 §4.1.4: a bidding-down attack; "reject the offer"). No
    /// Error message: the application refuses the offer in SIP or RTSP.
    BiddingDown,
    /// The application's COUNTER store (`ConfigBuilder::counter_store`) did not persist
    /// the COUNTER timestamp of a message: the I_MESSAGE is not sent, or a received one not
    /// accepted, since after a restart the value could be used again (RFC 3830 §5.4,
    /// RFC 4563 §1). Local: no Error message.
    CounterStore,
    /// The peer sent an Error message (RFC 3830 §5.1.2). `authenticated` is true when it
    /// carried a V payload that verified; otherwise it is only a hint.
    PeerError {
        /// The Error no. values, in message order.
        errors: Vec<ErrorNo>,
        /// Whether a V payload verified.
        authenticated: bool,
    },
    /// A message could not be built (a field too long).
    Encode(EncodeError),
    /// The random source failed, or kept drawing CSB IDs that are 0 or held by live
    /// sessions of the config (RFC 3830 §6.1).
    Rng,
    /// The CSB ID given (a fixed one, or the one of the I_MESSAGE an Initiator is resumed
    /// from) is held by a live Initiator session of the same config (RFC 3830 §6.1: "An
    /// Initiator MUST check for collisions").
    CsbIdInUse,
    /// The configuration cannot do what was asked (named).
    Config(&'static str),
    /// A SIGN payload did not verify with the signer's certificate (RFC 3830 §5.3;
    /// Error no. 0).
    SignatureInvalid,
    /// A SIGN payload of an S type other than RSA PKCS#1 v1.5 (0) or RSA-PSS (1)
    /// (RFC 3830 §6.5; Error no. 12).
    UnsupportedSignature,
    /// The peer's certificate was not accepted: not parsed, not trusted, expired, not for
    /// this use, or not the pinned one (RFC 3830 §4.3, §6.7; Error no. 8).
    Certificate(crate::crypto::cert::CertError),
    /// The peer's certificate does not name the identity its message claims (RFC 3830
    /// §6.7; Error no. 7).
    CertificateIdentity,
    /// The peer's public key is not usable (RSA key size or encoding; Error no. 8).
    PeerKey(crate::crypto::rsa::RsaError),
    /// This endpoint's private key could not do the operation (local; no Error message).
    LocalKey(crate::crypto::rsa::RsaError),
    /// An answer that breaks a rule of its method, named with its section: RFC 4738
    /// §3.6-3.7 (a RAND from both sides or neither, a group CSB_ID in unicast or none in
    /// a group answer), RFC 3830 §3.3 (a DH answer that does not echo the Initiator's DH
    /// value); discarded silently.
    BadAnswer(&'static str),
    /// A CHASH Hash func that is not supported: MD5 or unknown (RFC 3830 §6.8; Error
    /// no. 5).
    UnsupportedHash,
    /// A DH value that is not usable: not the group's length, or outside 2..p-2 (RFC 3830
    /// §6.4; Error no. 6).
    Dh(crate::crypto::dh::DhError),
    /// A DH-Group this configuration does not use (RFC 3830 §4.2.7, Table 6.4; Error
    /// no. 6).
    UnsupportedDhGroup,
}

impl Error {
    /// The Error no. to report to the peer in an Error message, or `None` when RFC 3830
    /// §5.3 says to discard silently (timestamp, replay) or the failure is local.
    pub fn error_no(&self) -> Option<ErrorNo> {
        Some(match self {
            Error::AuthFailed => ErrorNo::AuthFailure,
            Error::UnexpectedMessage(_) => ErrorNo::InvalidDt,
            Error::UnsupportedPrf => ErrorNo::InvalidPrf,
            Error::UnsupportedMac => ErrorNo::InvalidMac,
            Error::UnsupportedEncryption => ErrorNo::InvalidEa,
            Error::IdentityMismatch | Error::CertificateIdentity => ErrorNo::InvalidId,
            Error::SignatureInvalid => ErrorNo::AuthFailure,
            Error::Certificate(_) | Error::PeerKey(_) => ErrorNo::InvalidCert,
            Error::UnsupportedHash => ErrorNo::InvalidHa,
            Error::Dh(crate::crypto::dh::DhError::Backend) => return None,
            Error::Dh(_) | Error::UnsupportedDhGroup => ErrorNo::InvalidDh,
            Error::UnsupportedPolicyType => ErrorNo::InvalidSp,
            Error::UnsupportedPolicy => ErrorNo::InvalidSpPar,
            Error::MissingPayload(_)
            | Error::CsbMismatch
            | Error::BadKeyData(_)
            | Error::BadKeyValidity(_)
            | Error::UpdateWithRand
            | Error::UnsupportedSignature => ErrorNo::Unspecified,
            Error::Parse(_)
            | Error::WrongState
            | Error::Timestamp(_)
            | Error::TimestampNotNewer
            | Error::Replayed
            | Error::ReplayCacheFull
            | Error::TimestampMismatch
            | Error::PeerError { .. }
            | Error::Encode(_)
            | Error::Rng
            | Error::CsbIdInUse
            | Error::Config(_)
            | Error::LocalKey(_)
            | Error::BadAnswer(_)
            | Error::BiddingDown
            | Error::CounterStore => return None,
        })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Parse(e) => write!(f, "malformed message: {e}"),
            Error::WrongState => f.write_str("not allowed in the session's current state"),
            Error::UnexpectedMessage(t) => write!(f, "unexpected message type {} ({t})", t.value()),
            Error::MissingPayload(p) => write!(f, "required payload missing: {p}"),
            Error::Timestamp(e) => write!(f, "timestamp rejected: {e}"),
            Error::Replayed => f.write_str("replayed message"),
            Error::ReplayCacheFull => f.write_str("replay cache full; refusing messages"),
            Error::AuthFailed => f.write_str("authentication failed"),
            Error::UnsupportedPrf => f.write_str("PRF not supported"),
            Error::UnsupportedMac => f.write_str("MAC algorithm not supported or not enabled"),
            Error::UnsupportedEncryption => {
                f.write_str("KEMAC encryption algorithm not supported or not enabled")
            }
            Error::IdentityMismatch => f.write_str("identity does not match the configured one"),
            Error::UnsupportedPolicyType => f.write_str("security policy is not for SRTP"),
            Error::UnsupportedPolicy => f.write_str("no offered security policy is acceptable"),
            Error::CsbMismatch => f.write_str("message is for another CSB"),
            Error::TimestampMismatch => {
                f.write_str("verification message does not carry our timestamp")
            }
            Error::BadKeyData(why) => write!(f, "unusable key data: {why}"),
            Error::UpdateWithRand => f.write_str("update message carries a RAND"),
            Error::CounterStore => {
                f.write_str("the application's COUNTER store did not persist the timestamp")
            }
            Error::BiddingDown => f.write_str(
                "the message's SDP IDs are not the offer's key management protocols \
                 (RFC 4567 §4.1.4: bidding-down)",
            ),
            Error::TimestampNotNewer => f.write_str(
                "update timestamp not newer than the last I_MESSAGE accepted for this CSB",
            ),
            Error::BadKeyValidity(why) => {
                write!(f, "key validity interval is not an SRTP index range: {why}")
            }
            Error::PeerError {
                errors,
                authenticated,
            } => {
                let auth = if *authenticated {
                    "authenticated"
                } else {
                    "unauthenticated"
                };
                write!(f, "peer sent an {auth} Error message: ")?;
                for (i, e) in errors.iter().enumerate() {
                    let sep = if i == 0 { "" } else { ", " };
                    let name = e.registered_name().unwrap_or("unregistered");
                    write!(f, "{sep}{} ({name})", u8::from(*e))?;
                }
                Ok(())
            }
            Error::Encode(e) => write!(f, "cannot build message: {e}"),
            Error::Rng => f.write_str("random number generator failed"),
            Error::CsbIdInUse => {
                f.write_str("CSB ID already held by a live session of this configuration")
            }
            Error::Config(what) => write!(f, "configuration: {what}"),
            Error::SignatureInvalid => f.write_str("signature does not verify"),
            Error::UnsupportedSignature => f.write_str("signature type not supported"),
            Error::Certificate(e) => write!(f, "peer certificate not accepted: {e}"),
            Error::CertificateIdentity => {
                f.write_str("peer certificate does not name the identity of the message")
            }
            Error::PeerKey(e) => write!(f, "peer public key not usable: {e}"),
            Error::LocalKey(e) => write!(f, "private key operation failed: {e}"),
            Error::UnsupportedHash => f.write_str("CHASH hash function not supported"),
            Error::BadAnswer(why) => write!(f, "answer refused: {why}"),
            Error::Dh(e) => write!(f, "DH value not usable: {e}"),
            Error::UnsupportedDhGroup => f.write_str("DH group not supported or not configured"),
        }
    }
}

impl std::error::Error for Error {}

impl From<ParseError> for Error {
    fn from(e: ParseError) -> Self {
        Error::Parse(e)
    }
}

impl From<EncodeError> for Error {
    fn from(e: EncodeError) -> Self {
        Error::Encode(e)
    }
}

impl From<TimestampError> for Error {
    fn from(e: TimestampError) -> Self {
        Error::Timestamp(e)
    }
}

impl From<ReplayError> for Error {
    fn from(e: ReplayError) -> Self {
        match e {
            ReplayError::Replayed => Error::Replayed,
            ReplayError::Full => Error::ReplayCacheFull,
        }
    }
}

impl From<crate::rng::RngError> for Error {
    fn from(_: crate::rng::RngError) -> Self {
        Error::Rng
    }
}
