//! What the public-key methods share (RFC 3830 §3.2, §4.2.6, §5.2, §6.5, §6.7; RFC 4738
//! §3.4-3.8): the SIGN payload made and checked, and the peer's certificate found in a
//! message, validated and bound to the identity the message names.

use super::{Credentials, Error};
use crate::crypto::cert::{CertUsage, Certificate, IdentityKind, matches_identity};
use crate::crypto::ec::EcSigningKey;
use crate::crypto::rsa::{RsaPublicKey, SignaturePadding};
use crate::wire::{CertType, Id, IdType, Message, Payload, Sign, SignatureType};
use std::borrow::Cow;

/// The key this configuration signs with.
enum SigningKey<'c> {
    Rsa(&'c crate::crypto::rsa::RsaPrivateKey),
    Ec(&'c EcSigningKey),
}

/// The key this configuration signs with: [`Error::Config`] when it has none.
fn signing_key(creds: &Credentials) -> Result<SigningKey<'_>, Error> {
    match (&creds.pk.ec_key, &creds.pk.key) {
        (Some(ec), _) => Ok(SigningKey::Ec(ec)),
        (None, Some(rsa)) => Ok(SigningKey::Rsa(rsa)),
        (None, None) => Err(Error::Config("no private key")),
    }
}

/// The SIGN payload of this configuration with its Signature field zeroed, to be filled by
/// [`fill_signature`] once the rest of the message is encoded.
pub(crate) fn blank_sign(creds: &Credentials) -> Result<Payload<'static>, Error> {
    let sig_type = match signing_key(creds)? {
        SigningKey::Ec(_) => SignatureType::Eccsi,
        SigningKey::Rsa(_) => match creds.pk.padding {
            SignaturePadding::Pkcs1v15 => SignatureType::RsaPkcs1v15,
            SignaturePadding::Pss => SignatureType::RsaPss,
        },
    };
    Ok(Payload::Sign(Sign {
        sig_type,
        signature: Cow::Owned(vec![0; signature_len(creds)?]),
    }))
}

/// The Signature length of this configuration's key: the RSA modulus length, or an ECDSA
/// `r || s` (ECC profile; see [`crate::crypto::ec`]).
pub(crate) fn signature_len(creds: &Credentials) -> Result<usize, Error> {
    Ok(match signing_key(creds)? {
        SigningKey::Rsa(key) => key.modulus_len(),
        SigningKey::Ec(key) => key.curve().signature_len(),
    })
}

/// Fills the Signature field that ends `bytes` (RFC 3830 §5.2: the signature covers the
/// entire message except the Signature field) with the signature over everything before
/// it, followed by `extra` (RFC 4738 §3.6 appends IDi || IDr || T to the R_MESSAGE).
pub(crate) fn fill_signature(
    creds: &Credentials,
    mut bytes: Vec<u8>,
    covered_end: usize,
    extra: &[&[u8]],
) -> Result<Vec<u8>, Error> {
    let field = bytes.len() - signature_len(creds)?;
    let mut covered = bytes[..covered_end].to_vec();
    for part in extra {
        covered.extend_from_slice(part);
    }
    let signature = match signing_key(creds)? {
        SigningKey::Rsa(key) => key
            .sign(creds.pk.padding, creds.pk.hash, &covered)
            .map_err(Error::LocalKey)?,
        // AWS-LC fails an ECDSA signature only when drawing its nonce fails.
        SigningKey::Ec(key) => key.sign(&covered).map_err(|_| Error::Rng)?,
    };
    bytes[field..].copy_from_slice(&signature);
    Ok(bytes)
}

/// Verifies the SIGN payload `sign` over `covered` with the public key of `cert`
/// (RFC 3830 §6.5: S type 0 RSASSA-PKCS1-v1_5, 1 RSASSA-PSS; the hash is not signalled,
/// so SHA-256, SHA-1, SHA-384 and SHA-512 are tried). S type 2 is ECCSI (RFC 6509 §4.3),
/// which is not supported; with the ECC profile on it is ECDSA (draft-ietf-msec-mikey-ecc-03
/// §2) when `cert` holds a P-256 or P-384 key, an `r || s` signature of that curve's size
/// with the hash draft §2 Table 2 names. `ecc_profile` is the configuration's switch.
pub(crate) fn verify_signature(
    ecc_profile: bool,
    cert: &Certificate,
    sign: &Sign<'_>,
    covered: &[u8],
) -> Result<(), Error> {
    let padding = match (sign.sig_type, cert.ec_curve()) {
        // An RSA S type from a signer whose key is not RSA cannot verify: the message's
        // fault, not the key's.
        (SignatureType::RsaPkcs1v15 | SignatureType::RsaPss, _) if !cert.is_rsa() => {
            return Err(Error::UnsupportedSignature);
        }
        (SignatureType::RsaPkcs1v15, _) => SignaturePadding::Pkcs1v15,
        (SignatureType::RsaPss, _) => SignaturePadding::Pss,
        (SignatureType::Eccsi, Some(curve)) if ecc_profile => {
            if sign.signature.len() != curve.signature_len() {
                return Err(Error::UnsupportedSignature);
            }
            return crate::crypto::ec::verify(curve, cert.spki_der(), covered, &sign.signature)
                .map_err(|_| Error::SignatureInvalid);
        }
        _ => return Err(Error::UnsupportedSignature),
    };
    let key = RsaPublicKey::from_spki_der(cert.spki_der()).map_err(Error::PeerKey)?;
    key.verify(padding, covered, &sign.signature)
        .map(|_| ())
        .map_err(|_| Error::SignatureInvalid)
}

/// [`verify_signature`] of the SIGN payload that ends the message `bytes`, over the whole
/// message but its Signature field (RFC 3830 §5.2).
pub(crate) fn verify_message_signature(
    ecc_profile: bool,
    cert: &Certificate,
    sign: &Sign<'_>,
    bytes: &[u8],
) -> Result<(), Error> {
    verify_signature(
        ecc_profile,
        cert,
        sign,
        &bytes[..bytes.len() - sign.signature.len()],
    )
}

/// The certificate chain a message carries: its CERT payloads in order, the signer's
/// first (RFC 3830 §6.7: "each certificate in the chain should be included in a separate
/// CERT payload"). An X.509v3 URL certificate (Cert type 1, RFC 4738 §3.8) is fetched by
/// the configured resolver; without one, or when it fails, [`Error::Certificate`] says so.
pub(crate) fn message_chain(
    creds: &Credentials,
    message: &Message<'_>,
) -> Result<Vec<Certificate>, Error> {
    use crate::crypto::cert::CertError;
    let mut chain = Vec::new();
    for p in &message.payloads {
        if let Payload::Cert(c) = p {
            match c.cert_type {
                CertType::X509v3 | CertType::X509v3Sign | CertType::X509v3Encr => {
                    chain.push(Certificate::from_der(&c.data).map_err(Error::Certificate)?)
                }
                CertType::X509v3Url => {
                    let resolver = creds.pk.resolver.as_ref().ok_or(Error::Certificate(
                        CertError::Unsupported(
                            "a certificate by URL (Cert type 1) and no resolver configured",
                        ),
                    ))?;
                    let url = std::str::from_utf8(&c.data)
                        .ok()
                        .filter(|u| u.is_ascii())
                        .ok_or(Error::Certificate(CertError::BadEncoding(
                            "a certificate URL that is not ASCII",
                        )))?;
                    let der = resolver(url).ok_or(Error::Certificate(CertError::Unsupported(
                        "the resolver could not fetch the certificate URL",
                    )))?;
                    chain.push(Certificate::from_der(&der).map_err(Error::Certificate)?);
                }
                _ => {
                    return Err(Error::Certificate(CertError::Unsupported(
                        "an unknown Cert type",
                    )));
                }
            }
        }
    }
    Ok(chain)
}

/// The peer's certificate for `usage`, authenticated: the first certificate of `chain`
/// (the message's), validated up to a trust anchor at `now_unix`, or, when the message
/// carries none, the peer certificate of the configuration. A configured peer
/// certificate is pinned: a message that carries another one is refused.
pub(crate) fn peer_certificate(
    creds: &Credentials,
    chain: Vec<Certificate>,
    now_unix: u64,
    usage: CertUsage,
) -> Result<Certificate, Error> {
    let full = chain.clone();
    let cert = checked_peer_certificate(creds, chain, now_unix, usage)?;
    // The application's verifier sees the chain as sent (or the pinned certificate).
    if let Some(verifier) = &creds.pk.verifier {
        let shown = if full.is_empty() {
            std::slice::from_ref(&cert)
        } else {
            full.as_slice()
        };
        if !verifier(shown) {
            return Err(Error::Certificate(
                crate::crypto::cert::CertError::Unsupported(
                    "refused by the application's verifier",
                ),
            ));
        }
    }
    Ok(cert)
}

/// [`peer_certificate`] before the application's verifier.
fn checked_peer_certificate(
    creds: &Credentials,
    chain: Vec<Certificate>,
    now_unix: u64,
    usage: CertUsage,
) -> Result<Certificate, Error> {
    let pk = &creds.pk;
    let mut chain = chain.into_iter();
    let Some(end_entity) = chain.next() else {
        let pinned = pk.peer_cert.as_ref().ok_or(Error::MissingPayload(
            "CERT (no peer certificate is configured)",
        ))?;
        pinned.allows(usage).map_err(Error::Certificate)?;
        return Ok(pinned.clone());
    };
    let intermediates: Vec<Certificate> = chain.collect();
    match (&pk.peer_cert, &pk.anchors) {
        (Some(pinned), _) if pinned.der() != end_entity.der() => Err(Error::Certificate(
            crate::crypto::cert::CertError::Unsupported(
                "the certificate is not the configured peer certificate",
            ),
        )),
        (Some(_), _) => {
            end_entity.allows(usage).map_err(Error::Certificate)?;
            Ok(end_entity)
        }
        (None, Some(anchors)) => {
            anchors
                .verify(&end_entity, &intermediates, now_unix, usage)
                .map_err(Error::Certificate)?;
            Ok(end_entity)
        }
        (None, None) => Err(Error::Certificate(
            crate::crypto::cert::CertError::NoTrustAnchor,
        )),
    }
}

/// Checks that `cert` stands for the identity (ID type, ID data) of an ID payload (RFC 3830
/// §4.3, §6.7): its subjectAltName names it (the rules of
/// [`crate::crypto::cert::matches_identity`]), or, when the configuration has an identity
/// binder, the binder says so (it is told whether the subjectAltName matched).
pub(crate) fn bind_identity(
    creds: &Credentials,
    cert: &Certificate,
    id_type: IdType,
    data: &[u8],
) -> Result<(), Error> {
    let san = match id_type {
        IdType::Nai => matches_identity(cert, IdentityKind::Nai, data),
        IdType::Uri => matches_identity(cert, IdentityKind::Uri, data),
        _ => false,
    };
    let bound = match &creds.pk.identity_binder {
        Some(binder) => binder(cert, id_type, data, san),
        None => san,
    };
    if bound {
        Ok(())
    } else {
        Err(Error::CertificateIdentity)
    }
}

/// An ID payload.
pub(crate) fn id_payload(id_type: IdType, data: &[u8]) -> Payload<'_> {
    Payload::Id(Id {
        id_type,
        data: Cow::Borrowed(data),
    })
}

/// `[IDx|CERTx]` (RFC 3830 §3.2, RFC 4738 §3.4, §3.6): the certificate chain in CERT
/// payloads when it is sent, otherwise the local identity when it is sent.
pub(crate) fn identity_payloads(creds: &Credentials) -> Vec<Payload<'_>> {
    let pk = &creds.pk;
    if pk.send_chain && !pk.chain.is_empty() {
        pk.chain
            .iter()
            .map(|cert| {
                Payload::Cert(crate::wire::Cert {
                    cert_type: CertType::X509v3,
                    data: Cow::Borrowed(cert.der()),
                })
            })
            .collect()
    } else {
        creds
            .sent_local_id()
            .map(|(id_type, data)| id_payload(id_type, data))
            .into_iter()
            .collect()
    }
}

/// The start of a public-key I_MESSAGE (RFC 3830 §3.2, RFC 4738 §3.4): HDR of `data_type`
/// with the V flag `v` and the offer's map, then T, [RAND], [IDi|CERTi], [IDr], {SP}; the
/// method adds the rest.
pub(crate) fn signed_init_start<'o>(
    data_type: crate::wire::DataType,
    v: bool,
    creds: &'o Credentials,
    o: &super::Offer<'o>,
) -> crate::wire::MessageBuilder<'o> {
    let mut b = crate::wire::MessageBuilder::new(data_type, o.csb_id)
        .v(v)
        .prf(o.prf);
    for s in o.streams {
        b = b.srtp_crypto_session(s.policy_no, s.ssrc, s.roc);
    }
    b = b.payload(Payload::Timestamp(o.t));
    if o.send_rand {
        b = b.payload(Payload::Rand(crate::wire::Rand {
            rand: Cow::Borrowed(o.rand),
        }));
    }
    for p in identity_payloads(creds) {
        b = b.payload(p);
    }
    if let Some((id_type, data)) = creds.sent_peer_id() {
        b = b.payload(id_payload(id_type, data));
    }
    for sp in &o.policies {
        b = b.payload(Payload::SecurityPolicy(sp.clone()));
    }
    for ext in super::offer_extensions(o) {
        b = b.payload(ext);
    }
    b
}

/// Opens a PKE envelope (RFC 3830 §4.2.5) with `key`, with implicit rejection: an envelope
/// that does not decrypt yields fresh random bytes from `rng` instead, so that it fails
/// later at the KEMAC exactly as a wrong MAC does. Call it only after the signature
/// verified (RFC 3830 §5.3).
pub(crate) fn open_envelope(
    key: &crate::crypto::rsa::RsaPrivateKey,
    pke: &[u8],
    rng: &dyn crate::rng::Rng,
) -> Result<zeroize::Zeroizing<Vec<u8>>, Error> {
    let mut fallback = zeroize::Zeroizing::new(vec![0u8; super::pk::ENV_KEY_LEN]);
    rng.fill(&mut fallback)?;
    Ok(key.decrypt_envelope(pke, &fallback))
}
