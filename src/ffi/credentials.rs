//! The public-key credentials of `mikey_config_builder_t` (MIKEY-PK, RFC 3830 §3.2,
//! §4.2.5, §4.2.6, §6.3, §6.5, §6.7, §6.8): this endpoint's RSA private key and certificate
//! chain, the trust anchors and the pinned peer certificate, and the choices of the
//! messages made (S type, envelope key cache, CHASH).

#![allow(non_camel_case_types)]

use super::config::{UserData, mikey_config_builder_t, set};
use super::guard::null;
use super::guard::{Failure, FfiResult, byte_slice, flag, invalid};
use super::status::*;
use super::types::*;
use crate::crypto::cert::{CertHashFunc, Certificate, TrustAnchors, parse_certificates};
use crate::crypto::rsa::{RsaPrivateKey, SignaturePadding};
use crate::wire::{CacheIndicator, IdType};
use std::ffi::{CString, c_char, c_void};
use std::sync::Arc;

/// PKE C field "No cache": the envelope key MUST NOT be cached (RFC 3830 §6.3; default).
pub const MIKEY_PKE_NO_CACHE: mikey_pke_cache_t = 0;
/// PKE C field "Cache": the envelope key MUST be cached (RFC 3830 §6.3).
pub const MIKEY_PKE_CACHE: mikey_pke_cache_t = 1;
/// PKE C field "Cache for CSB": cached, only for this CSB (RFC 3830 §6.3).
pub const MIKEY_PKE_CACHE_FOR_CSB: mikey_pke_cache_t = 2;

/// The bytes of a credential argument: non-NULL and non-empty.
fn credential_bytes<'a>(ptr: *const u8, len: usize, name: &str) -> FfiResult<&'a [u8]> {
    match byte_slice(ptr, len, name)? {
        [] => Err(invalid(format!("{name}_len is 0"))),
        bytes => Ok(bytes),
    }
}

/// A credential that could not be read, with the reason.
fn bad_credential(what: &str, why: impl std::fmt::Display) -> Failure {
    Failure::new(MIKEY_ERR_BAD_CREDENTIAL, format!("{what}: {why}"))
}

/// A private key argument (`key_len` bytes at `key`): PEM when it starts with a PEM
/// boundary ("-----"), else DER, read by `from_pem` or `from_der`.
pub(super) fn private_key<K, E: std::fmt::Display>(
    key: *const u8,
    key_len: usize,
    from_pem: fn(&[u8]) -> Result<K, E>,
    from_der: fn(&[u8]) -> Result<K, E>,
) -> FfiResult<K> {
    let bytes = credential_bytes(key, key_len, "key")?;
    let parsed = if bytes.starts_with(b"-----") {
        from_pem(bytes)
    } else {
        from_der(bytes)
    };
    parsed.map_err(|e| bad_credential("key", e))
}

/// Certificates from DER (one) or PEM (one or more `CERTIFICATE` blocks).
fn certificates(ptr: *const u8, len: usize, name: &str) -> FfiResult<Vec<Certificate>> {
    let bytes = credential_bytes(ptr, len, name)?;
    parse_certificates(bytes).map_err(|e| bad_credential(name, e))
}

/// Sets this endpoint's RSA private key (2048 to 8192 bits): PKCS#8 or PKCS#1, DER or PEM
/// (`PRIVATE KEY` or `RSA PRIVATE KEY`). Copied; the key material is freed with the
/// config. PK mode needs it: it signs the I_MESSAGE and opens PKE envelopes (RFC 3830
/// §4.2.5, §4.2.6).
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` is NULL, or `key` is NULL with
/// `key_len` > 0; MIKEY_ERR_INVALID_ARGUMENT if `key_len` is 0; MIKEY_ERR_BAD_CREDENTIAL if
/// the bytes are not such a key (the detail says why); MIKEY_ERR_WRONG_STATE if the builder
/// is unusable after an internal error; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_private_key(
    builder: *mut mikey_config_builder_t,
    key: *const u8,
    key_len: usize,
) -> mikey_status_t {
    set(
        builder,
        || {
            private_key(
                key,
                key_len,
                RsaPrivateKey::from_pem,
                RsaPrivateKey::from_der,
            )
        },
        |b, k| b.private_key(k),
    )
}

/// Sets this endpoint's certificate chain, its own certificate first, then the
/// intermediates: one DER certificate, or PEM with one `CERTIFICATE` block per certificate.
/// Sent in CERT payloads (RFC 3830 §6.7) unless `mikey_config_builder_set_send_certificates`
/// turns that off.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` is NULL, or `chain` is NULL with
/// `chain_len` > 0; MIKEY_ERR_INVALID_ARGUMENT if `chain_len` is 0;
/// MIKEY_ERR_BAD_CREDENTIAL if a certificate cannot be read; MIKEY_ERR_WRONG_STATE if the
/// builder is unusable after an internal error; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_certificate_chain(
    builder: *mut mikey_config_builder_t,
    chain: *const u8,
    chain_len: usize,
) -> mikey_status_t {
    set(
        builder,
        || certificates(chain, chain_len, "chain"),
        |b, c| b.certificate_chain(c),
    )
}

/// Sets the trust anchors (CA certificates, DER or PEM with one or more blocks) a peer's
/// certificate chain is validated against (RFC 5280 §6.1): signatures (no SHA-1 or MD5, RSA
/// keys of 2048 bits or more), validity at the config's clock, basicConstraints, name
/// constraints, key usage.
///
/// Returns as `mikey_config_builder_set_certificate_chain`.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_trust_anchors(
    builder: *mut mikey_config_builder_t,
    anchors: *const u8,
    anchors_len: usize,
) -> mikey_status_t {
    set(
        builder,
        || {
            let certs = certificates(anchors, anchors_len, "anchors")?;
            TrustAnchors::from_certificates(&certs).map_err(|e| bad_credential("anchors", e))
        },
        |b, a| b.trust_anchors(a),
    )
}

/// Sets the peer's certificate (DER or PEM, one certificate), known beforehand: a PK
/// Initiator encrypts the envelope key to it (RFC 3830 §3.2). It is pinned: a message
/// signed with another certificate is refused (MIKEY_ERR_CERTIFICATE), and it needs no
/// trust anchor.
///
/// Returns as `mikey_config_builder_set_certificate_chain`, and MIKEY_ERR_BAD_CREDENTIAL
/// for more than one certificate.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_peer_certificate(
    builder: *mut mikey_config_builder_t,
    cert: *const u8,
    cert_len: usize,
) -> mikey_status_t {
    set(
        builder,
        || {
            let mut certs = certificates(cert, cert_len, "cert")?;
            if certs.len() != 1 {
                return Err(bad_credential(
                    "cert",
                    format!("{} certificates; the peer certificate is one", certs.len()),
                ));
            }
            Ok(certs.remove(0))
        },
        |b, c| b.peer_certificate(c),
    )
}

/// Whether the certificate chain is sent in CERT payloads (default 1). With 0 the peer
/// needs this endpoint's certificate configured as its peer certificate.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` is NULL;
/// MIKEY_ERR_INVALID_ARGUMENT if `send` is neither 0 nor 1; MIKEY_ERR_WRONG_STATE if the
/// builder is unusable after an internal error; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_send_certificates(
    builder: *mut mikey_config_builder_t,
    send: mikey_bool_t,
) -> mikey_status_t {
    set(
        builder,
        || flag(send, "send"),
        |b, v| b.send_certificates(v),
    )
}

/// The S type of the SIGN payloads made (RFC 3830 §6.5): `MIKEY_SIGN_RSA_PKCS1_V15` (the
/// default, mandatory to implement) or `MIKEY_SIGN_RSA_PSS`; both with SHA-256 (PSS: MGF1
/// with SHA-256, 32-byte salt). Signatures received are verified whichever of the two S
/// types they have.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` is NULL;
/// MIKEY_ERR_INVALID_ARGUMENT for another `sign_type`; MIKEY_ERR_WRONG_STATE if the builder
/// is unusable after an internal error; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_signature_type(
    builder: *mut mikey_config_builder_t,
    sign_type: mikey_sign_type_t,
) -> mikey_status_t {
    set(
        builder,
        || match sign_type {
            super::codepoints::MIKEY_SIGN_RSA_PKCS1_V15 => Ok(SignaturePadding::Pkcs1v15),
            super::codepoints::MIKEY_SIGN_RSA_PSS => Ok(SignaturePadding::Pss),
            _ => Err(invalid(format!(
                "sign_type {sign_type} is not MIKEY_SIGN_RSA_PKCS1_V15 or MIKEY_SIGN_RSA_PSS"
            ))),
        },
        |b, p| b.signature_padding(p),
    )
}

/// The PKE C field sent (RFC 3830 §6.3): `MIKEY_PKE_NO_CACHE` (default), `MIKEY_PKE_CACHE`
/// or `MIKEY_PKE_CACHE_FOR_CSB`.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` is NULL;
/// MIKEY_ERR_INVALID_ARGUMENT for another `cache`; MIKEY_ERR_WRONG_STATE if the builder is
/// unusable after an internal error; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_envelope_key_cache(
    builder: *mut mikey_config_builder_t,
    cache: mikey_pke_cache_t,
) -> mikey_status_t {
    set(
        builder,
        || match cache {
            MIKEY_PKE_NO_CACHE => Ok(CacheIndicator::NoCache),
            MIKEY_PKE_CACHE => Ok(CacheIndicator::Cache),
            MIKEY_PKE_CACHE_FOR_CSB => Ok(CacheIndicator::CacheForCsb),
            _ => Err(invalid(format!("cache {cache} is not a MIKEY_PKE_*"))),
        },
        |b, c| b.envelope_key_cache(c),
    )
}

/// Whether a PK I_MESSAGE carries a CHASH payload naming the Responder certificate the
/// envelope key is encrypted to (RFC 3830 §6.8), with `hash_func` `MIKEY_HASH_SHA1` or
/// `MIKEY_HASH_SHA256` (ignored when `send` is 0). Default: no CHASH.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` is NULL;
/// MIKEY_ERR_INVALID_ARGUMENT if `send` is neither 0 nor 1, or for another `hash_func`
/// (MD5 is refused); MIKEY_ERR_WRONG_STATE if the builder is unusable after an internal
/// error; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_cert_hash(
    builder: *mut mikey_config_builder_t,
    send: mikey_bool_t,
    hash_func: mikey_hash_func_t,
) -> mikey_status_t {
    set(
        builder,
        || {
            if !flag(send, "send")? {
                return Ok(None);
            }
            match hash_func {
                super::codepoints::MIKEY_HASH_SHA1 => Ok(Some(CertHashFunc::Sha1)),
                super::codepoints::MIKEY_HASH_SHA256 => Ok(Some(CertHashFunc::Sha256)),
                _ => Err(invalid(format!(
                    "hash_func {hash_func} is not MIKEY_HASH_SHA1 or MIKEY_HASH_SHA256"
                ))),
            }
        },
        |b, h| b.cert_hash(h),
    )
}

/// RSA-R unicast Initiator (RFC 4738 §3.4): whether the I_MESSAGE carries the RAND (default
/// 1: "SHOULD be included", so that the Initiator contributes entropy) or the Responder
/// sends it (0).
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` is NULL;
/// MIKEY_ERR_INVALID_ARGUMENT if `send` is neither 0 nor 1; MIKEY_ERR_WRONG_STATE if the
/// builder is unusable after an internal error; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_rsa_r_initiator_rand(
    builder: *mut mikey_config_builder_t,
    send: mikey_bool_t,
) -> mikey_status_t {
    set(
        builder,
        || flag(send, "send"),
        |b, v| b.rsa_r_initiator_rand(v),
    )
}

/// RSA-R Initiator joining a group (RFC 4738 §3.2): no SP and no RAND in the I_MESSAGE,
/// and the answer must carry the group's CSB ID, RAND, SP and keys. Initiate with
/// `streams_count` 0 when this endpoint sends no stream.
///
/// Returns as `mikey_config_builder_set_rsa_r_initiator_rand`.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_rsa_r_group_member(
    builder: *mut mikey_config_builder_t,
    member: mikey_bool_t,
) -> mikey_status_t {
    set(
        builder,
        || flag(member, "member"),
        |b, v| b.rsa_r_group_member(v),
    )
}

/// RSA-R Responder as a group key server (RFC 4738 §3.2): `mikey_config_builder_build`
/// draws the group's CSB ID, RAND and TGK once, and every answer of the config hands them
/// out with these `streams_count` (1..=255) streams, each naming a policy no. of the offer,
/// so that every member derives the same keys. Needs the TGK key transport.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` is NULL, or `streams` is NULL with
/// `streams_count` > 0; MIKEY_ERR_INVALID_ARGUMENT if `streams_count` is 0 or above 255
/// (the policy numbers are checked by `mikey_config_builder_build`: MIKEY_ERR_CONFIG);
/// MIKEY_ERR_WRONG_STATE if the builder is unusable after an internal error;
/// MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_rsa_r_group(
    builder: *mut mikey_config_builder_t,
    streams: *const super::session::mikey_stream_t,
    streams_count: usize,
) -> mikey_status_t {
    set(
        builder,
        || super::session::stream_list(streams, streams_count, 1),
        |b, v| b.rsa_r_group(&v),
    )
}

/// RSA-R Initiator whose request may be forked (RFC 5197 §5.2, e.g. a SIP INVITE forked to
/// several devices): every Responder's answer becomes a branch with its own keys
/// (MIKEY_STATE_FORKED; `mikey_session_branch_count`, `mikey_session_branch_identity`)
/// until `mikey_session_select_branch` keeps one and zeroizes the others. The configured
/// peer identity is then not required of the Responders. Only in RSA-R mode
/// (`mikey_config_builder_build` refuses it elsewhere with MIKEY_ERR_CONFIG: in PSK and PK
/// modes every branch would share the Initiator's TGK, a two-time pad).
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` is NULL;
/// MIKEY_ERR_INVALID_ARGUMENT if `accept` is neither 0 nor 1; MIKEY_ERR_WRONG_STATE if the
/// builder is unusable after an internal error; MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_accept_forked_answers(
    builder: *mut mikey_config_builder_t,
    accept: mikey_bool_t,
) -> mikey_status_t {
    set(
        builder,
        || flag(accept, "accept"),
        |b, v| b.accept_forked_answers(v),
    )
}

/// Fetches the certificate a CERT payload of type X.509v3 URL names (RFC 4738 §3.8): `url`
/// is the URL, NUL-terminated (`url_len` bytes before the NUL); the callback writes the
/// DER certificate (`application/pkix-cert`, RFC 2585) into `der` (capacity `der_cap`,
/// 65536 bytes) and its length into `*der_len`, and returns 0; anything else means it could
/// not (the message is then refused with MIKEY_ERR_CERTIFICATE). The library does no
/// network I/O itself: the callback fetches over HTTP or reads a cache.
///
/// Called by the thread processing a message on a session of the config, possibly by
/// several at once: it must be thread-safe. `userdata` must stay valid until the config and
/// every session created from it are freed.
pub type mikey_cert_resolver_fn = Option<
    unsafe extern "C" fn(
        userdata: *mut c_void,
        url: *const c_char,
        url_len: usize,
        der: *mut u8,
        der_cap: usize,
        der_len: *mut usize,
    ) -> i32,
>;

/// Decides on a peer's certificate chain that passed the library's checks (path to a
/// trust anchor, validity, key usage, pinning): `certs[i]` (`cert_lens[i]` bytes, DER) for
/// `i` below `cert_count`, the peer's own certificate first. Returns 0 to accept; anything
/// else refuses the message (MIKEY_ERR_CERTIFICATE, Error no. 8). For revocation (CRL,
/// OCSP), pinning or local policy. The arrays are valid only during the call.
///
/// Threads and `userdata`: as `mikey_cert_resolver_fn`.
pub type mikey_cert_verify_fn = Option<
    unsafe extern "C" fn(
        userdata: *mut c_void,
        certs: *const *const u8,
        cert_lens: *const usize,
        cert_count: usize,
    ) -> i32,
>;

/// Decides whether a peer's certificate (already validated up to a trust anchor or
/// pinned) stands for an identity, in place of the subjectAltName match (RFC 3830 §4.3
/// leaves the binding to local policy): `cert` (`cert_len` bytes, DER), the ID type
/// (`MIKEY_ID_*`) and ID data (`id`, `id_len` bytes) of an ID payload or of the configured
/// peer identity, and `san_matches`, whether the library's own rule holds (a subjectAltName
/// names the identity). Returns 0 to bind them; anything else refuses the message
/// (MIKEY_ERR_CERTIFICATE_IDENTITY, Error no. 7). The buffers are valid only during the
/// call.
///
/// Threads and `userdata`: as `mikey_cert_resolver_fn`.
pub type mikey_cert_identity_fn = Option<
    unsafe extern "C" fn(
        userdata: *mut c_void,
        cert: *const u8,
        cert_len: usize,
        id_type: mikey_id_type_t,
        id: *const u8,
        id_len: usize,
        san_matches: mikey_bool_t,
    ) -> i32,
>;

/// The largest certificate a resolver may return, in bytes.
const RESOLVED_CERT_CAP: usize = 65536;

/// Sets the resolver of certificates by URL (RFC 4738 §3.8; see `mikey_cert_resolver_fn`).
/// Without one, a message with a certificate by URL is refused.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` or `resolver` is NULL;
/// MIKEY_ERR_WRONG_STATE if the builder is unusable after an internal error;
/// MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_cert_resolver(
    builder: *mut mikey_config_builder_t,
    resolver: mikey_cert_resolver_fn,
    userdata: *mut c_void,
) -> mikey_status_t {
    let userdata = UserData(userdata);
    set(
        builder,
        || resolver.ok_or_else(|| null("resolver")),
        move |b, f| {
            b.certificate_resolver(Arc::new(move |url: &str| {
                let data = &userdata;
                let c_url = CString::new(url).ok()?;
                let mut der = vec![0u8; RESOLVED_CERT_CAP];
                let mut len = 0usize;
                // SAFETY: the caller registered a valid function and userdata; the URL is
                // NUL-terminated and the buffer writable for `der.len()` bytes during the call.
                let rc = unsafe {
                    f(
                        data.0,
                        c_url.as_ptr(),
                        url.len(),
                        der.as_mut_ptr(),
                        der.len(),
                        &mut len,
                    )
                };
                (rc == 0 && len <= der.len()).then(|| {
                    der.truncate(len);
                    der
                })
            }))
        },
    )
}

/// Sets the application's verifier of peer certificates (see `mikey_cert_verify_fn`).
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` or `verify` is NULL;
/// MIKEY_ERR_WRONG_STATE if the builder is unusable after an internal error;
/// MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_cert_verifier(
    builder: *mut mikey_config_builder_t,
    verify: mikey_cert_verify_fn,
    userdata: *mut c_void,
) -> mikey_status_t {
    let userdata = UserData(userdata);
    set(
        builder,
        || verify.ok_or_else(|| null("verify")),
        move |b, f| {
            b.certificate_verifier(Arc::new(move |chain: &[Certificate]| {
                let data = &userdata;
                let ptrs: Vec<*const u8> = chain.iter().map(|c| c.der().as_ptr()).collect();
                let lens: Vec<usize> = chain.iter().map(|c| c.der().len()).collect();
                // SAFETY: the caller registered a valid function and userdata; the arrays
                // and the certificates they point to live for the call.
                unsafe { f(data.0, ptrs.as_ptr(), lens.as_ptr(), chain.len()) == 0 }
            }))
        },
    )
}

/// Sets the application's binding of peer certificates to identities (see
/// `mikey_cert_identity_fn`), which replaces the subjectAltName match for every identity a
/// public-key message is checked against.
///
/// Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `builder` or `bind` is NULL;
/// MIKEY_ERR_WRONG_STATE if the builder is unusable after an internal error;
/// MIKEY_ERR_PANIC.
#[unsafe(no_mangle)]
pub extern "C" fn mikey_config_builder_set_cert_identity_binder(
    builder: *mut mikey_config_builder_t,
    bind: mikey_cert_identity_fn,
    userdata: *mut c_void,
) -> mikey_status_t {
    let userdata = UserData(userdata);
    set(
        builder,
        || bind.ok_or_else(|| null("bind")),
        move |b, f| {
            b.certificate_identity_binder(Arc::new(
                move |cert: &Certificate, id_type: IdType, id: &[u8], san: bool| {
                    let data = &userdata;
                    let der = cert.der();
                    // SAFETY: the caller registered a valid function and userdata; the
                    // certificate and identity buffers live for the call.
                    unsafe {
                        f(
                            data.0,
                            der.as_ptr(),
                            der.len(),
                            mikey_id_type_t::from(u8::from(id_type)),
                            id.as_ptr(),
                            id.len(),
                            mikey_bool_t::from(san),
                        ) == 0
                    }
                },
            ))
        },
    )
}
