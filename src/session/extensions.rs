//! What an I_MESSAGE carries besides keys and SRTP policies: the application's General
//! Extensions (RFC 3830 §6.15; Vendor ID, Key ID of RFC 4563, OMA BCAST of RFC 5410, the
//! 3GPP types, private ones) and a TESLA bootstrap (RFC 4442: the policy in an SP payload
//! of Prot type TESLA and the initial key in a TESLA I-Key extension). The Initiator sends
//! them; the Responder keeps those of the I_MESSAGE it accepted, all covered by its MAC
//! or signature.

use super::{CarriedKey, Role, Session};
use crate::exchange::Error;
use crate::tesla::{TeslaBootstrap, TeslaPolicy};
use crate::wire::{GenExtType, GeneralExtension, Message, Payload, ProtType, SecurityPolicy};

/// What a session's I_MESSAGEs carry besides keys (set by the application).
#[derive(Clone, Default)]
pub(crate) struct Outgoing {
    pub extensions: Vec<GeneralExtension<'static>>,
    pub tesla: Option<TeslaBootstrap>,
}

/// What the accepted I_MESSAGE carried besides keys.
#[derive(Clone, Default)]
pub(crate) struct Received {
    pub extensions: Vec<GeneralExtension<'static>>,
    pub tesla: Option<TeslaBootstrap>,
}

impl Received {
    /// Reads the General Extensions and the TESLA bootstrap of an authenticated
    /// I_MESSAGE. A TESLA policy that does not check, a second one, or one without exactly
    /// one TESLA I-Key (the receiver could authenticate nothing with it) is refused with
    /// Error no. 10 (Invalid SPpar); a TESLA I-Key without a policy is kept as an
    /// extension.
    pub(crate) fn read(
        message: &Message<'_>,
        policies: &[&SecurityPolicy<'_>],
    ) -> Result<Received, Error> {
        let extensions: Vec<GeneralExtension<'static>> = message
            .payloads
            .iter()
            .filter_map(|p| match p {
                Payload::GeneralExtension(g) => Some(g.clone().into_owned()),
                _ => None,
            })
            .collect();
        let mut tesla_sps = policies.iter().filter(|sp| sp.prot_type == ProtType::Tesla);
        let tesla = match (tesla_sps.next(), tesla_sps.next()) {
            (None, _) => None,
            (Some(_), Some(_)) => return Err(Error::UnsupportedPolicy),
            (Some(sp), None) => {
                let policy = TeslaPolicy::from_sp(sp).map_err(|_| Error::UnsupportedPolicy)?;
                let mut keys = extensions.iter().filter_map(|g| g.as_tesla_i_key());
                match (keys.next(), keys.next()) {
                    (Some(k), None) if !k.is_empty() => Some(TeslaBootstrap {
                        policy,
                        initial_key: k.to_vec(),
                    }),
                    _ => return Err(Error::UnsupportedPolicy),
                }
            }
        };
        Ok(Received { extensions, tesla })
    }
}

impl Session {
    /// Initiator: the General Extensions every I_MESSAGE this session builds from now on
    /// carries ([`Session::initiate`], [`Session::rekey`], updates), after its SP payloads
    /// and under its MAC or signature (RFC 3830 §6.15), in the order given; replaces the
    /// previous list. For Vendor ID, Key ID (RFC 4563: MBMS key identifiers), OMA BCAST
    /// (RFC 5410), the 3GPP types and private ones. The library writes SDP IDs
    /// ([`Session::initiate_offer`]), CSB_ID (RSA-R group answers) and TESLA I-Key
    /// ([`Session::set_tesla`]) itself: those are refused here ([`Error::Config`]), as is
    /// a Responder session ([`Error::WrongState`]).
    pub fn set_extensions(
        &mut self,
        extensions: Vec<GeneralExtension<'static>>,
    ) -> Result<(), Error> {
        if self.role != Role::Initiator {
            return Err(Error::WrongState);
        }
        for g in &extensions {
            match g.ext_type {
                GenExtType::SdpIds => {
                    return Err(Error::Config("SDP IDs are written by initiate_offer"));
                }
                GenExtType::CsbId => {
                    return Err(Error::Config("CSB_ID is written by an RSA-R group answer"));
                }
                GenExtType::TeslaIKey => {
                    return Err(Error::Config("the TESLA I-Key is written by set_tesla"));
                }
                _ => {}
            }
        }
        self.outgoing.extensions = extensions;
        Ok(())
    }

    /// Initiator: the General Extensions [`Session::set_extensions`] set.
    pub fn extensions(&self) -> &[GeneralExtension<'static>] {
        &self.outgoing.extensions
    }

    /// Initiator as a TESLA sender (RFC 4442): every I_MESSAGE from now on carries
    /// `policy` in an SP payload of Prot type TESLA (numbered after the SRTP policies,
    /// RFC 4442 §4.1) and `initial_key`, the key chain's K_0, in a TESLA I-Key extension
    /// (§4.4). The policy is checked ([`TeslaPolicy::validate`]; [`Error::Config`]), and so
    /// is the key (1 to 255 bytes). Not with the Empty CS ID map, which allows no SP payload
    /// (RFC 4563 §5). The application runs TESLA itself (RFC 4383): libsrtp has none.
    pub fn set_tesla(&mut self, policy: TeslaPolicy, initial_key: &[u8]) -> Result<(), Error> {
        if self.role != Role::Initiator {
            return Err(Error::WrongState);
        }
        policy
            .validate()
            .map_err(|_| Error::Config("the TESLA policy has a value out of range"))?;
        if initial_key.is_empty() || initial_key.len() > 255 {
            return Err(Error::Config(
                "the TESLA initial key must be 1 to 255 bytes",
            ));
        }
        if self.config.empty_cs_map {
            return Err(Error::Config(
                "the Empty CS ID map allows no SP payload, so no TESLA policy (RFC 4563 §5)",
            ));
        }
        self.outgoing.tesla = Some(TeslaBootstrap {
            policy,
            initial_key: initial_key.to_vec(),
        });
        Ok(())
    }

    /// Responder: the General Extensions of the I_MESSAGE that installed the current keys,
    /// in message order, every type including the ones the library reads itself (SDP IDs,
    /// CSB_ID, TESLA I-Key) and unknown ones, as they were on the wire; empty before.
    pub fn peer_extensions(&self) -> &[GeneralExtension<'static>] {
        self.csb
            .as_ref()
            .map_or(&[][..], |csb| &csb.received.extensions[..])
    }

    /// Responder: the TESLA policy and initial key of the I_MESSAGE that installed the
    /// current keys (RFC 4442), if it carried them.
    pub fn peer_tesla(&self) -> Option<&TeslaBootstrap> {
        self.csb
            .as_ref()
            .and_then(|csb| csb.received.tesla.as_ref())
    }

    /// The keys the session is keyed with, as the exchange delivered them: each TGK or TEK
    /// the KEMAC carried (RFC 3830 §6.13) with its salt and Key validity, oldest first, or
    /// in the DH modes the TGK g^(xi·xr) (§3.3); empty before keys are set. Most applications take the derived SRTP
    /// keys ([`Session::crypto_sessions`]) instead; a broadcast receiver takes the key
    /// itself here, e.g. an MBMS Service Key (MSK) that is the pre-shared key of the
    /// traffic-key messages that follow (RFC 4563 §1). Secret: zeroized on drop.
    pub fn carried_keys(&self) -> &[CarriedKey] {
        self.csb.as_ref().map_or(&[][..], |csb| &csb.keys[..])
    }
}
