//! Error messages of the signed methods (RFC 3830 §5.1.2: `HDR, T, {ERR}, {SP},
//! [V|SIGNr]`). A refusal of an I_MESSAGE whose signature verified is signed; one before
//! that is not ("in case of authentication failure, one recommendation would be not to
//! authenticate such an error message"). An Error message carries no certificate, so only
//! an Initiator that knows the Responder's (its configured peer certificate) can check the
//! SIGNr; to any other it is a hint.
//!
//! No RFC defines what the SIGNr of an Error message covers; each method covers it as it
//! covers its answer: the whole message except the Signature field (RFC 3830 §5.2: DH-SIGN),
//! or the message without its SIGN payload followed by IDi || IDr || T (RFC 4738 §3.6:
//! RSA-R).

use super::signer::{
    blank_sign, fill_signature, peer_certificate, signature_len, verify_signature,
};
use super::{Context, Credentials, Error, InitView, Sent, ts_value_bytes};
use crate::crypto::cert::CertUsage;
use crate::wire::{ErrorNo, Message, Payload, SecurityPolicy, Timestamp};

/// The bytes the SIGN payload header takes: S type (4 bits), Signature len (12 bits)
/// (RFC 3830 §6.5).
const SIGN_HEADER_LEN: usize = 2;

/// What the SIGNr of an Error message covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Coverage {
    /// The message except the Signature field (RFC 3830 §5.2).
    Message,
    /// The message without its SIGN payload, then IDi || IDr || T (RFC 4738 §3.6).
    RsaR,
}

impl Coverage {
    /// Where the covered part of a message of `len` bytes ends, its Signature field being
    /// its last `sig_len` bytes.
    fn end(self, len: usize, sig_len: usize) -> usize {
        match self {
            Coverage::Message => len - sig_len,
            Coverage::RsaR => len - sig_len - SIGN_HEADER_LEN,
        }
    }

    /// What the signature covers after that part: nothing, or IDi || IDr || T.
    fn extra(self, idi: &[u8], idr: &[u8], t: &Timestamp) -> Vec<Vec<u8>> {
        match self {
            Coverage::Message => Vec::new(),
            Coverage::RsaR => vec![idi.to_vec(), idr.to_vec(), ts_value_bytes(t)],
        }
    }

    /// The covered bytes of `bytes`, a message ending with a Signature of `sig_len` bytes,
    /// with the identities and timestamp of the exchange.
    pub(crate) fn covered(
        self,
        bytes: &[u8],
        sig_len: usize,
        idi: &[u8],
        idr: &[u8],
        t: &Timestamp,
    ) -> Vec<u8> {
        let mut covered = bytes[..self.end(bytes.len(), sig_len)].to_vec();
        for part in self.extra(idi, idr, t) {
            covered.extend_from_slice(&part);
        }
        covered
    }
}

/// The Error message answering the I_MESSAGE of `view` with `errors` (and the `supported`
/// policies), signed when the I_MESSAGE was authenticated (`initiator_id`: the Initiator's
/// identity it proved).
pub(crate) fn build(
    creds: &Credentials,
    view: &InitView<'_, '_>,
    errors: &[ErrorNo],
    supported: Vec<SecurityPolicy<'static>>,
    initiator_id: Option<&[u8]>,
    coverage: Coverage,
) -> Option<Vec<u8>> {
    let header = &view.message.header;
    let b = super::verification::error_start(header.csb_id, header.prf, view.t, errors, supported);
    let Some(idi) = initiator_id else {
        return b.build().ok()?.encode().ok();
    };
    let idr = view.idr.map_or(&[][..], |i| &i.data[..]);
    let bytes = b
        .payload(blank_sign(creds).ok()?)
        .build()
        .ok()?
        .encode()
        .ok()?;
    let end = coverage.end(bytes.len(), signature_len(creds).ok()?);
    let extra = coverage.extra(idi, idr, &view.t);
    let extra: Vec<&[u8]> = extra.iter().map(Vec::as_slice).collect();
    fill_signature(creds, bytes, end, &extra).ok()
}

/// The Initiator's reading of an Error message answering the I_MESSAGE `sent` describes:
/// [`Error::PeerError`], authenticated when it carries a SIGNr that verifies with the
/// configured peer certificate and the timestamp sent; [`Error::SignatureInvalid`] when its
/// SIGNr does not verify (the message is discarded); [`Error::CsbMismatch`] for another
/// CSB.
pub(crate) fn read(
    creds: &Credentials,
    ctx: &Context<'_>,
    bytes: &[u8],
    message: &Message<'_>,
    csb_id: u32,
    sent: &Sent,
    coverage: Coverage,
) -> Error {
    match authenticated(creds, ctx, bytes, message, csb_id, sent, coverage) {
        Ok(authenticated) => Error::PeerError {
            errors: message.error_nos(),
            authenticated,
        },
        Err(e) => e,
    }
}

fn authenticated(
    creds: &Credentials,
    ctx: &Context<'_>,
    bytes: &[u8],
    message: &Message<'_>,
    csb_id: u32,
    sent: &Sent,
    coverage: Coverage,
) -> Result<bool, Error> {
    if message.header.csb_id != csb_id {
        return Err(Error::CsbMismatch);
    }
    let t = message.timestamp().ok_or(Error::MissingPayload("T"))?;
    let Some(Payload::Sign(sign)) = message.payloads.last() else {
        return Ok(false);
    };
    if creds.pk.peer_cert.is_none() {
        return Ok(false);
    }
    let cert = peer_certificate(creds, Vec::new(), ctx.now_unix, CertUsage::Signing)?;
    let covered = coverage.covered(
        bytes,
        sign.signature.len(),
        &sent.ids.initiator,
        &sent.ids.responder,
        t,
    );
    verify_signature(creds.ecc_profile, &cert, sign, &covered)?;
    Ok(*t == sent.t)
}
