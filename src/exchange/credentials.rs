//! What a key exchange method reads from a configuration: the method itself, the
//! credentials, the identities and the algorithms of the messages it builds (RFC 3830 §3,
//! §4.2, §6.7).

use crate::crypto::cert::{CertHashFunc, Certificate, TrustAnchors};
use crate::crypto::prf::Inkey;
use crate::crypto::rsa::{RsaPrivateKey, SignatureHash, SignaturePadding};
use crate::wire::{CacheIndicator, EncrAlg, IdType, MacAlg};

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
    /// Public-key encryption, MIKEY-PK (RFC 3830 §3.2): the Initiator encrypts an
    /// envelope key to the Responder's RSA key and signs the I_MESSAGE.
    Pk,
    /// MIKEY-RSA in Reverse mode (RFC 4738): the Initiator signs a request, the Responder
    /// chooses the keys and sends them encrypted to the Initiator's RSA key.
    RsaR,
    /// Diffie-Hellman with signatures, DH-SIGN (RFC 3830 §3.3): both sides send a DH value
    /// and sign their message; the TGK is g^(xi*xr) (perfect forward secrecy).
    DhSign,
    /// Diffie-Hellman authenticated with an HMAC keyed from a pre-shared key, DH-HMAC
    /// (RFC 4650): perfect forward secrecy without certificates.
    DhHmac,
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
    /// The public-key credentials (PK and RSA-R modes).
    pub pk: PublicKeyCredentials,
    /// The RSA-R choices (RFC 4738).
    pub rsa_r: RsaRSettings,
    /// The DH group an Initiator offers and a Responder accepts (RFC 3830 §4.2.7).
    pub dh_group: crate::crypto::dh::Group,
    /// Whether the ECC profile (draft-ietf-msec-mikey-ecc-03) is enabled: ECDH groups
    /// and S type 2 read as ECDSA.
    pub ecc_profile: bool,
}

/// The choices of an RSA-R configuration (RFC 4738 §3.2, §3.4).
#[derive(Clone, Copy, Debug)]
pub(crate) struct RsaRSettings {
    /// Unicast Initiator: whether the I_MESSAGE carries the RAND (§3.4: SHOULD; default
    /// true), or the Responder sends it.
    pub initiator_rand: bool,
    /// Initiator: joins a group (§3.2): no SP, no RAND, the group's keys in the answer.
    pub group_member: bool,
    /// Initiator: accepts answers from several Responders of a forked request (RFC 5197
    /// §5.2), each a branch with its own keys.
    pub forking: bool,
}

impl Default for RsaRSettings {
    fn default() -> Self {
        RsaRSettings {
            initiator_rand: true,
            group_member: false,
            forking: false,
        }
    }
}

/// The public-key credentials of a configuration (RFC 3830 §3.2, §4.2.5, §4.2.6, §4.3).
pub(crate) struct PublicKeyCredentials {
    /// This endpoint's RSA private key: signs SIGN payloads, opens PKE envelopes.
    pub key: Option<RsaPrivateKey>,
    /// This endpoint's ECDSA key (ECC profile, DH-SIGN): signs in place of `key`.
    pub ec_key: Option<crate::crypto::ec::EcSigningKey>,
    /// This endpoint's certificate chain, its own certificate first.
    pub chain: Vec<Certificate>,
    /// The trust anchors a peer's certificate chain is validated against.
    pub anchors: Option<TrustAnchors>,
    /// The peer's certificate when known beforehand (a PK Initiator encrypts the envelope
    /// key to it); pinned: a message carrying another one is refused.
    pub peer_cert: Option<Certificate>,
    /// Whether the chain is sent in CERT payloads (default true).
    pub send_chain: bool,
    /// The S type of the SIGN payloads made (RFC 3830 §6.5).
    pub padding: SignaturePadding,
    /// The hash of the signatures made.
    pub hash: SignatureHash,
    /// The PKE envelope key cache indicator sent (RFC 3830 §6.3).
    pub cache: CacheIndicator,
    /// The CHASH sent with the PKE, naming the Responder certificate used (§6.8).
    pub chash: Option<CertHashFunc>,
    /// Fetches the DER certificate a CERT payload of type X.509v3 URL names (RFC 4738
    /// §3.8); the library does no network I/O itself.
    pub resolver: Option<CertResolver>,
    /// The application's last word on a peer certificate the library accepted (revocation,
    /// OCSP, pinning).
    pub verifier: Option<CertVerifier>,
    /// Decides whether a peer certificate stands for an identity, instead of the
    /// subjectAltName match.
    pub identity_binder: Option<CertIdentityBinder>,
}

/// Fetches a certificate by URL (RFC 4738 §3.8, RFC 2585): the URL of a CERT payload of
/// type X.509v3 URL in, the DER certificate (`application/pkix-cert`) out, `None` when it
/// cannot be had.
pub type CertResolver = std::sync::Arc<dyn Fn(&str) -> Option<Vec<u8>> + Send + Sync>;

/// Decides on a peer's certificate chain (its own certificate first) that passed the
/// library's checks: `true` accepts it. For revocation (CRL, OCSP: RFC 4738 §3.8
/// recommends OCSP), pinning or any local policy.
pub type CertVerifier = std::sync::Arc<dyn Fn(&[Certificate]) -> bool + Send + Sync>;

/// Decides whether a peer's certificate (already validated) stands for an identity an ID
/// payload or the configuration names (RFC 3830 §4.3: "the identity in the certificate
/// and the ID payload are bound"; how is left to local policy): the certificate, the ID
/// type and ID data, and whether the library's own rule, the subjectAltName match, holds.
/// `true` binds them. For directories, numbering plans (a `tel:` identity, a certificate
/// naming a device), or identities in the subject name.
pub type CertIdentityBinder =
    std::sync::Arc<dyn Fn(&Certificate, IdType, &[u8], bool) -> bool + Send + Sync>;

impl Default for PublicKeyCredentials {
    fn default() -> Self {
        PublicKeyCredentials {
            key: None,
            ec_key: None,
            chain: Vec::new(),
            anchors: None,
            peer_cert: None,
            send_chain: true,
            padding: SignaturePadding::Pkcs1v15,
            hash: SignatureHash::Sha256,
            cache: CacheIndicator::NoCache,
            chash: None,
            resolver: None,
            verifier: None,
            identity_binder: None,
        }
    }
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
