//! What a key exchange method reads from a configuration: the method itself, the
//! credentials, the identities and the algorithms of the messages it builds (RFC 3830 §3,
//! §4.2, §6.7).

use crate::crypto::prf::Inkey;
use crate::wire::{EncrAlg, IdType, MacAlg};

/// The key transport method.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Pre-shared key (RFC 3830 §3.1): KEMAC encrypted and MACed with keys from the PSK.
    Psk,
    /// NULL: the pre-shared key message with NULL encryption and NULL MAC (RFC 3830
    /// §4.2.3, §4.2.4). **Insecure**: anyone on the path reads and can replace the keys.
    /// Only for transports that already protect the message (e.g. SIP over TLS, RTSP over
    /// TLS). Never on unless chosen.
    Null,
}

/// An identity (ID payload, RFC 3830 §6.7).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    /// ID type (NAI or URI).
    pub id_type: IdType,
    /// The identity bytes.
    pub data: Vec<u8>,
}

/// What follows the message in the verification MAC (RFC 3830 §5.2, RFC 6043 §5.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VerificationInput {
    /// `ID Data of IDi || ID Data of IDr || TS value` (the default; RFC 6043 §5.5 reads
    /// "the identities (not whole payloads)"). An identity absent from the messages is
    /// taken from the configuration, or is empty when not configured either.
    IdentitiesAndTimestamp,
    /// Only the TS value, as minisip computes it (for interop tests against it).
    TimestampOnly,
}

/// The credentials and message algorithms of one configuration, as the exchange methods
/// read them (the session layer's `Config` owns one).
pub(crate) struct Credentials {
    pub mode: Mode,
    /// The pre-shared key (PSK mode; RFC 3830 §4.1.4 inkey).
    pub psk: Option<Inkey>,
    /// This endpoint's identity (IDi or IDr).
    pub local_id: Option<Identity>,
    /// The identity the peer must have.
    pub peer_id: Option<Identity>,
    /// Whether the identities are sent as ID payloads.
    pub send_ids: bool,
    /// KEMAC encryption (RFC 3830 §4.2.3).
    pub encr_alg: EncrAlg,
    /// KEMAC and V MAC (RFC 3830 §4.2.4).
    pub mac_alg: MacAlg,
    /// What follows the message in the verification MAC (RFC 3830 §5.2).
    pub verification_input: VerificationInput,
}

impl Credentials {
    /// The local identity as an ID payload would carry it, when it is sent.
    pub fn sent_local_id(&self) -> Option<(IdType, &[u8])> {
        self.local_id
            .as_ref()
            .filter(|_| self.send_ids)
            .map(|i| (i.id_type, i.data.as_slice()))
    }

    /// The peer identity as an ID payload would carry it, when it is sent.
    pub fn sent_peer_id(&self) -> Option<(IdType, &[u8])> {
        self.peer_id
            .as_ref()
            .filter(|_| self.send_ids)
            .map(|i| (i.id_type, i.data.as_slice()))
    }
}
