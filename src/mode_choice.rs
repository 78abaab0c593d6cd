//! Which key exchange method to use (RFC 5197 §5, the summary tables of §5.5), from what an
//! application has and needs.
//!
//! | method | early media | secure forking | retarget/redirect | shared-key conference | manual keys | needs PKI | PFS | key generation |
//! |---|---|---|---|---|---|---|---|---|
//! | PSK (§3.1) | yes | | | yes (mixer initiates) | yes | no | no | Initiator |
//! | PK (§3.2) | yes | | | yes (mixer initiates) | no | yes | no | Initiator |
//! | DH-SIGN (§3.3) | | yes | yes | | no | yes | yes | both |
//! | NULL (§3.4) | yes | | | | no | no | no | Initiator |
//! | DH-HMAC (§3.5) | | | | | yes | no | yes | both |
//! | RSA-R (§3.7) | | yes | yes | yes | no | yes | no | both (the Initiator's RAND) |
//!
//! Among the methods that meet every need with the credentials at hand, the one with the
//! least work is recommended: PSK, then PK, RSA-R, DH-HMAC, DH-SIGN; NULL only over a
//! transport that already protects the messages and when nothing else is possible.

use crate::exchange::Mode;

/// What an application has and needs, for [`recommend`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Needs {
    /// A pre-shared key with the peer is configured (PSK, DH-HMAC).
    pub have_psk: bool,
    /// A private key and certificate, and a way to trust the peer's (PK, RSA-R, DH-SIGN).
    pub have_pki: bool,
    /// The messages travel over a transport that already protects them (SIP or RTSP over
    /// TLS): the only case NULL mode may be used.
    pub secure_transport: bool,
    /// Perfect forward secrecy: a key leaked later does not reveal past media.
    pub pfs: bool,
    /// Both sides contribute to the keys.
    pub both_contribute: bool,
    /// Media may flow before the answer (early media, RFC 5197 §5.1).
    pub early_media: bool,
    /// The request may reach several Responders (forking, §5.2) or be retargeted (§5.3).
    pub forking: bool,
    /// One key for a group (shared-key conferencing, §5.4).
    pub group: bool,
}

/// A recommendation: the method, or none, and why (citing RFC 5197).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recommendation {
    /// The method, `None` when no method meets every need with these credentials.
    pub mode: Option<Mode>,
    /// Why.
    pub why: String,
}

/// One method's properties (RFC 5197 §5.5).
struct Row {
    mode: Mode,
    name: &'static str,
    early_media: bool,
    forking: bool,
    group: bool,
    pfs: bool,
    both_contribute: bool,
    psk: bool,
    pki: bool,
}

/// The methods in the order of preference (least work first).
const ROWS: [Row; 5] = [
    Row {
        mode: Mode::Psk,
        name: "PSK (RFC 5197 §3.1)",
        early_media: true,
        forking: false,
        group: true,
        pfs: false,
        both_contribute: false,
        psk: true,
        pki: false,
    },
    Row {
        mode: Mode::Pk,
        name: "MIKEY-PK (RFC 5197 §3.2)",
        early_media: true,
        forking: false,
        group: true,
        pfs: false,
        both_contribute: false,
        psk: false,
        pki: true,
    },
    Row {
        mode: Mode::RsaR,
        name: "MIKEY-RSA-R (RFC 5197 §3.7)",
        early_media: false,
        forking: true,
        group: true,
        pfs: false,
        both_contribute: true,
        psk: false,
        pki: true,
    },
    Row {
        mode: Mode::DhHmac,
        name: "DH-HMAC (RFC 5197 §3.5)",
        early_media: false,
        forking: false,
        group: false,
        pfs: true,
        both_contribute: true,
        psk: true,
        pki: false,
    },
    Row {
        mode: Mode::DhSign,
        name: "DH-SIGN (RFC 5197 §3.3)",
        early_media: false,
        forking: true,
        group: false,
        pfs: true,
        both_contribute: true,
        psk: false,
        pki: true,
    },
];

/// The method RFC 5197 §5.5's tables give for `needs`, or none, with the reason.
pub fn recommend(needs: &Needs) -> Recommendation {
    let fits = |r: &Row| {
        (r.psk && needs.have_psk || r.pki && needs.have_pki)
            && (!needs.early_media || r.early_media)
            && (!needs.forking || r.forking)
            && (!needs.group || r.group)
            && (!needs.pfs || r.pfs)
            && (!needs.both_contribute || r.both_contribute)
    };
    if let Some(r) = ROWS.iter().find(|r| fits(r)) {
        let mut met = Vec::new();
        for (need, name) in [
            (needs.pfs, "perfect forward secrecy"),
            (needs.both_contribute, "keys from both sides"),
            (needs.early_media, "early media"),
            (needs.forking, "secure forking and retargeting"),
            (needs.group, "a shared group key"),
        ] {
            if need {
                met.push(name);
            }
        }
        let creds = if r.psk {
            "the pre-shared key"
        } else {
            "the PKI"
        };
        let why = if met.is_empty() {
            format!("{}: the least work with {creds} (RFC 5197 §5.5)", r.name)
        } else {
            format!(
                "{}: the least work with {creds} that gives {} (RFC 5197 §5.5)",
                r.name,
                met.join(", ")
            )
        };
        return Recommendation {
            mode: Some(r.mode),
            why,
        };
    }
    let nothing_else = !needs.have_psk
        && !needs.have_pki
        && !needs.pfs
        && !needs.both_contribute
        && !needs.forking
        && !needs.group;
    if needs.secure_transport && nothing_else {
        return Recommendation {
            mode: Some(Mode::Null),
            why: "NULL mode (RFC 5197 §3.4): no credentials, and the transport already \
                  protects the messages; the keys travel in the clear inside it"
                .to_string(),
        };
    }
    let why = if !needs.have_psk && !needs.have_pki {
        "no method without credentials: configure a pre-shared key or a PKI (NULL mode only \
         over a protected transport and with no other need)"
            .to_string()
    } else if needs.pfs && needs.early_media {
        "no method gives both perfect forward secrecy and early media: the DH methods key \
         the media only once the answer arrives (RFC 5197 §5.1, §5.5)"
            .to_string()
    } else if needs.pfs && needs.group {
        "no method gives perfect forward secrecy with a shared group key: DH makes keys for \
         two parties only (RFC 3830 §3.3)"
            .to_string()
    } else {
        "no method meets every need with these credentials (RFC 5197 §5.5): forking, \
         retargeting and group keys need a PKI (RSA-R, DH-SIGN), perfect forward secrecy a \
         DH method"
            .to_string()
    };
    Recommendation { mode: None, why }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pick(needs: Needs) -> Option<Mode> {
        recommend(&needs).mode
    }

    #[test]
    fn the_rfc_5197_tables_decide() {
        let psk = Needs {
            have_psk: true,
            ..Needs::default()
        };
        let pki = Needs {
            have_pki: true,
            ..Needs::default()
        };
        assert_eq!(pick(psk), Some(Mode::Psk));
        assert_eq!(pick(pki), Some(Mode::Pk));
        assert_eq!(pick(Needs { pfs: true, ..psk }), Some(Mode::DhHmac));
        assert_eq!(pick(Needs { pfs: true, ..pki }), Some(Mode::DhSign));
        assert_eq!(
            pick(Needs {
                forking: true,
                ..pki
            }),
            Some(Mode::RsaR)
        );
        assert_eq!(
            pick(Needs {
                forking: true,
                pfs: true,
                ..pki
            }),
            Some(Mode::DhSign)
        );
        assert_eq!(pick(Needs { group: true, ..pki }), Some(Mode::Pk));
        assert_eq!(
            pick(Needs {
                early_media: true,
                ..psk
            }),
            Some(Mode::Psk)
        );
        assert_eq!(
            pick(Needs {
                both_contribute: true,
                ..pki
            }),
            Some(Mode::RsaR)
        );
        assert_eq!(
            pick(Needs {
                both_contribute: true,
                ..psk
            }),
            Some(Mode::DhHmac)
        );
    }

    #[test]
    fn impossible_combinations_say_why() {
        let both = Needs {
            have_psk: true,
            have_pki: true,
            ..Needs::default()
        };
        let r = recommend(&Needs {
            pfs: true,
            early_media: true,
            ..both
        });
        assert_eq!(r.mode, None);
        assert!(r.why.contains("early media"), "{}", r.why);
        let r = recommend(&Needs {
            forking: true,
            have_psk: true,
            ..Needs::default()
        });
        assert_eq!(r.mode, None);
        assert!(r.why.contains("PKI"), "{}", r.why);
        let r = recommend(&Needs::default());
        assert_eq!(r.mode, None);
        assert!(r.why.contains("credentials"), "{}", r.why);
    }

    #[test]
    fn null_only_over_a_protected_transport_with_no_other_need() {
        let tls = Needs {
            secure_transport: true,
            ..Needs::default()
        };
        assert_eq!(pick(tls), Some(Mode::Null));
        assert_eq!(pick(Needs { pfs: true, ..tls }), None);
        assert_eq!(
            pick(Needs {
                have_psk: true,
                ..tls
            }),
            Some(Mode::Psk)
        );
    }

    #[test]
    fn the_reason_names_the_method_and_the_needs() {
        let r = recommend(&Needs {
            have_pki: true,
            pfs: true,
            forking: true,
            ..Needs::default()
        });
        assert_eq!(r.mode, Some(Mode::DhSign));
        assert!(r.why.starts_with("DH-SIGN (RFC 5197 §3.3)"), "{}", r.why);
        assert!(r.why.contains("perfect forward secrecy"), "{}", r.why);
        assert!(r.why.contains("forking"), "{}", r.why);
    }
}
