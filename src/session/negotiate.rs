//! Policy negotiation and the crypto sessions of a CSB (RFC 3830 §4.1.3, §5.1.1, §6.1.1,
//! §6.10): what each stream of a received I_MESSAGE is keyed with, the same for every
//! key exchange method.

use super::config::Config;
use super::keys::{CarriedKey, CryptoSession};
use crate::exchange::{Error, InitView};
use crate::policy::{PolicyError, SrtpPolicy, SrtpProfile};
use crate::wire::{SecurityPolicy, SrtpIdEntry};

/// The crypto sessions an I_MESSAGE keys. A map without entries (GStreamer's
/// `gst_mikey_message_new_from_caps` writes #CS = 0) keys one crypto session, SSRC 0 ("not
/// chosen by the Initiator", RFC 3830 §6.1.1), under the first SP payload's policy: the
/// reading GStreamer's own `gst_mikey_message_to_caps` takes. Its policy is negotiated like
/// any other.
pub(super) fn effective_streams(view: &InitView<'_, '_>) -> Vec<SrtpIdEntry> {
    if view.streams.is_empty() {
        vec![SrtpIdEntry {
            policy_no: view.policies.first().map_or(0, |sp| sp.policy_no),
            ssrc: 0,
            roc: 0,
        }]
    } else {
        view.streams.clone()
    }
}

/// The SP payload with `policy_no`, or an empty SRTP policy (all defaults, RFC 3830 §6.10.1)
/// when the message has none.
fn offered_policy<'a>(policies: &[&SecurityPolicy<'a>], policy_no: u8) -> SecurityPolicy<'a> {
    policies
        .iter()
        .find(|sp| sp.policy_no == policy_no)
        .map_or_else(
            || SecurityPolicy::new(policy_no, crate::wire::ProtType::Srtp),
            |sp| (*sp).clone(),
        )
}

/// The policies a Responder supports, as SP payloads for an Error no. 10 answer (§5.1.1).
pub(super) fn supported_policies(c: &Config) -> Vec<SecurityPolicy<'static>> {
    c.accepted
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.policy().to_sp(i as u8).ok())
        .collect()
}

/// The crypto sessions a received message keys: each stream's SP payload (of `policies`)
/// negotiated with `accept` (the first supported combination, RFC 3830 §5.1.1), then keyed
/// for CSB `csb_id`.
#[allow(clippy::too_many_arguments)]
pub(super) fn negotiated_sessions(
    policies: &[&SecurityPolicy<'_>],
    streams: &[SrtpIdEntry],
    prf: crate::crypto::prf::Prf,
    csb_id: u32,
    rand: &[u8],
    keys: &[CarriedKey],
    accept: impl Fn(SrtpProfile) -> bool,
) -> Result<Vec<CryptoSession>, Error> {
    let negotiated = streams
        .iter()
        .map(|s| {
            SrtpPolicy::negotiate(&offered_policy(policies, s.policy_no), &accept).map_err(|e| {
                match e {
                    PolicyError::NotSrtp => Error::UnsupportedPolicyType,
                    PolicyError::Unsupported => Error::UnsupportedPolicy,
                }
            })
        })
        .collect::<Result<Vec<(SrtpPolicy, SrtpProfile)>, Error>>()?;
    let profiles: Vec<SrtpProfile> = negotiated.iter().map(|(_, p)| *p).collect();
    derive_sessions(prf, csb_id, rand, streams, &profiles, keys, |i| {
        negotiated[i].0
    })
}

/// The crypto sessions of a CSB: CS i+1 is map entry i, keyed by every carried key.
///
/// Both lists are allocated at their exact length: a session keeps them for its lifetime,
/// and collecting through `Result` would start each at 4 entries (an established session
/// with 3 crypto sessions of one key each held 792 bytes of unused capacity).
pub(super) fn derive_sessions(
    prf: crate::crypto::prf::Prf,
    csb_id: u32,
    rand: &[u8],
    entries: &[SrtpIdEntry],
    profiles: &[SrtpProfile],
    keys: &[CarriedKey],
    policy: impl Fn(usize) -> SrtpPolicy,
) -> Result<Vec<CryptoSession>, Error> {
    let mut sessions = Vec::with_capacity(entries.len());
    for (i, e) in entries.iter().enumerate() {
        let cs_id = (i + 1) as u8;
        let mut srtp_keys = Vec::with_capacity(keys.len());
        for k in keys {
            srtp_keys.push(k.srtp_key(prf, cs_id, csb_id, rand, profiles[i])?);
        }
        sessions.push(CryptoSession {
            cs_id,
            ssrc: e.ssrc,
            roc: e.roc,
            policy_no: e.policy_no,
            policy: policy(i),
            profile: profiles[i],
            keys: srtp_keys,
        });
    }
    Ok(sessions)
}
