//! The MIKEY wire codec: bytes ⇄ typed payloads (RFC 3830 §6 and the payloads of RFC 4563,
//! 4738, 6043, 6267, 6509). No crypto, no clocks, no state.
//!
//! - Parsing is total and bounded: every input gives a [`Message`] or a [`ParseError`]
//!   naming the byte offset; no length field is trusted before it is checked against the
//!   remaining input; message length and payload count are bounded by [`Limits`].
//! - Zero-copy: a parsed [`Message`] borrows from its input; one `Vec` holds the payload
//!   list. [`Message::into_owned`] gives a `Message<'static>`.
//! - Byte-identical round trips: every codepoint keeps unregistered values, reserved bits
//!   are kept, and Next-payload fields are derived from the payload order.
//! - [`Layout`] gives the byte range of each payload and the MAC/signature coverage.

mod codepoints;
mod envelope;
mod error;
mod general_ext;
mod header;
mod id;
mod identity_based;
mod kemac;
mod key_data;
mod limits;
mod message;
mod misc;
mod payload;
mod policy;
mod reader;
mod small_bytes;
mod stream;
mod ticket;
mod timestamp;
mod writer;

pub use codepoints::*;
pub use envelope::{Chash, Dh, Pke, Sign};
pub use error::{EncodeError, ErrorKind, ParseError};
pub use general_ext::{GeneralExtension, KeyIdEntry};
pub use header::{
    CommonHeader, CsIdMap, GenericIdEntry, GenericIdMap, MIKEY_VERSION, SrtpIdEntry, SrtpIdMap,
};
pub use id::{Cert, Id, IdWithRole};
pub use identity_based::{EccPoint, IbeEncrypted, Sakke, SecretKey};
pub use kemac::{
    Kemac, KeyChainItem, encode_key_chain, encode_key_chain_into, parse_key_chain,
    parse_key_chain_prefix,
};
pub use key_data::{KeyData, KeyValidity};
pub use limits::{DEFAULT_MAX_MESSAGE_SIZE, DEFAULT_MAX_PAYLOADS, Limits};
pub use message::{AuthField, Layout, Message, MessageBuilder};
pub use misc::{ErrorPayload, Rand, RandWithRole, Verification};
pub use payload::{Payload, PayloadWalk, WalkedPayload};
pub use policy::{PolicyParam, SecurityPolicy};
pub use reader::Reader;
pub use stream::message_len;
pub use ticket::{Ticket, TicketPolicy, ticket_flags};
pub use timestamp::{Timestamp, TimestampWithRole};

use std::borrow::Cow;

/// A byte field: borrowed from the parsed input, or owned when built.
pub type Bytes<'a> = Cow<'a, [u8]>;

fn own(b: Bytes<'_>) -> Bytes<'static> {
    Cow::Owned(b.into_owned())
}
