//! Does a certificate name a MIKEY identity (RFC 3830 §6.7 ID types)? The rules are
//! stated on [`matches_identity`].

use super::{Certificate, SubjectIdentity};

/// The ID types of the MIKEY ID payload (RFC 3830 §6.7 Table 6.7.a).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdentityKind {
    /// ID type 0: a Network Access Identifier (RFC 4282), `user@realm`.
    Nai,
    /// ID type 1: a URI (RFC 3986), e.g. `sip:alice@example.com`.
    Uri,
}

/// Whether `cert` names the identity `data` of `kind` (RFC 3830 §6.7 Table 6.7.a: NAI,
/// RFC 4282 `user@realm`; URI, RFC 3986, e.g. `sip:alice@example.com`). Only the
/// subjectAltName entries (RFC 5280 §4.2.1.6) are compared, never the subject DN, and
/// the rules are:
///
/// - **URI** matches a uniformResourceIdentifier entry when both split into the same
///   parts: the scheme and the host compare ASCII case-insensitively (RFC 3986
///   §6.2.2.1; RFC 3261 §19.1.4 for SIP), everything else (user part, port, path,
///   parameters, headers) byte for byte, with no percent-decoding and no default port
///   added. The host is the part after `//` and any `user@` up to `:` or the end of the
///   authority, or, for `sip:` and `sips:` (RFC 3261 §19.1.1), the part after the one
///   `@` (or after the scheme when there is none) up to `:`, `;`, `?` or the end; an
///   IPv6 reference `[...]` is taken whole. Other URIs (`tel:`, `urn:`, ...) have no
///   host part and compare exactly after the scheme.
/// - **NAI** `user@realm` (split at the last `@`; both parts non-empty, so a NAI
///   without a realm matches nothing) matches an rfc822Name entry whose local part is
///   exactly `user` and whose domain is `realm` ASCII case-insensitively (RFC 5280
///   §7.5), or a `sip:`/`sips:` URI entry that is exactly the scheme, `:`, `user`, `@`
///   and the realm as host (scheme and host case-insensitive), without port, parameters
///   or headers.
///
/// An identity that is not UTF-8 matches nothing. A dNSName entry matches neither kind.
pub fn matches_identity(cert: &Certificate, kind: IdentityKind, data: &[u8]) -> bool {
    let Ok(id) = std::str::from_utf8(data) else {
        return false;
    };
    cert.identities().iter().any(|san| match (kind, san) {
        (IdentityKind::Uri, SubjectIdentity::Uri(uri)) => uri_matches(id, uri),
        (IdentityKind::Nai, SubjectIdentity::Email(mailbox)) => nai_matches_mailbox(id, mailbox),
        (IdentityKind::Nai, SubjectIdentity::Uri(uri)) => nai_matches_sip_uri(id, uri),
        _ => false,
    })
}

/// A URI cut around its host: `scheme ":" before host after`.
#[derive(Debug, PartialEq, Eq)]
struct UriParts<'a> {
    scheme: &'a str,
    before: &'a str,
    host: &'a str,
    after: &'a str,
}

impl UriParts<'_> {
    fn same_as(&self, other: &UriParts<'_>) -> bool {
        self.scheme.eq_ignore_ascii_case(other.scheme)
            && self.before == other.before
            && self.host.eq_ignore_ascii_case(other.host)
            && self.after == other.after
    }
}

/// Whether `scheme` is SIP or SIPS (RFC 3261 §19.1).
fn is_sip(scheme: &str) -> bool {
    scheme.eq_ignore_ascii_case("sip") || scheme.eq_ignore_ascii_case("sips")
}

/// Splits `uri` as [`matches_identity`] says; `None` when it has no valid scheme
/// (RFC 3986 §3.1), an unclosed IPv6 reference, or a SIP URI without a host.
fn split_uri(uri: &str) -> Option<UriParts<'_>> {
    let (scheme, rest) = uri.split_once(':')?;
    let mut chars = scheme.chars();
    let scheme_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok {
        return None;
    }
    let (host_start, host_stops): (usize, &[char]) = if let Some(hier) = rest.strip_prefix("//") {
        let authority_len = hier.find(['/', '?', '#']).unwrap_or(hier.len());
        let userinfo_len = hier[..authority_len].rfind('@').map_or(0, |at| at + 1);
        (2 + userinfo_len, &[':', '/', '?', '#'])
    } else if is_sip(scheme) {
        (rest.find('@').map_or(0, |at| at + 1), &[':', ';', '?'])
    } else {
        return Some(UriParts {
            scheme,
            before: rest,
            host: "",
            after: "",
        });
    };
    let tail = &rest[host_start..];
    let host_len = if tail.starts_with('[') {
        tail.find(']')? + 1
    } else {
        tail.find(host_stops).unwrap_or(tail.len())
    };
    if host_len == 0 && is_sip(scheme) {
        return None;
    }
    Some(UriParts {
        scheme,
        before: &rest[..host_start],
        host: &tail[..host_len],
        after: &tail[host_len..],
    })
}

/// URI ID against a URI subjectAltName.
fn uri_matches(id: &str, san: &str) -> bool {
    match (split_uri(id), split_uri(san)) {
        (Some(a), Some(b)) => a.same_as(&b),
        _ => false,
    }
}

/// Splits `user@realm` at the last `@`; both parts non-empty.
fn split_at_last_at(s: &str) -> Option<(&str, &str)> {
    let (user, realm) = s.rsplit_once('@')?;
    (!user.is_empty() && !realm.is_empty()).then_some((user, realm))
}

/// NAI ID against an rfc822Name subjectAltName.
fn nai_matches_mailbox(nai: &str, mailbox: &str) -> bool {
    match (split_at_last_at(nai), split_at_last_at(mailbox)) {
        (Some((user, realm)), Some((local, domain))) => {
            user == local && realm.eq_ignore_ascii_case(domain)
        }
        _ => false,
    }
}

/// NAI ID against a `sip:`/`sips:` URI subjectAltName.
fn nai_matches_sip_uri(nai: &str, uri: &str) -> bool {
    let (Some((user, realm)), Some(parts)) = (split_at_last_at(nai), split_uri(uri)) else {
        return false;
    };
    is_sip(parts.scheme)
        && parts.before.strip_suffix('@') == Some(user)
        && parts.host.eq_ignore_ascii_case(realm)
        && parts.after.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_scheme_and_host_fold_case_the_rest_does_not() {
        let san = "sip:alice@example.com";
        assert!(uri_matches("sip:alice@example.com", san));
        assert!(uri_matches("SIP:alice@EXAMPLE.com", san));
        assert!(!uri_matches("sip:Alice@example.com", san));
        assert!(!uri_matches("sips:alice@example.com", san));
        assert!(!uri_matches("sip:alice@example.com:5060", san));
        assert!(!uri_matches("sip:alice@example.com;transport=tcp", san));
        assert!(!uri_matches("sip:alice@example.co", san));
        assert!(!uri_matches("sip:alice@example.com.", san));
        assert!(!uri_matches("sip:bob@example.com", san));
        assert!(!uri_matches(" sip:alice@example.com", san));
        assert!(!uri_matches("sip:al%69ce@example.com", san));
    }

    #[test]
    fn sip_parameters_and_ports_compare_exactly() {
        let san = "sip:alice@Example.com:5061;transport=TLS";
        assert!(uri_matches("sip:alice@example.COM:5061;transport=TLS", san));
        assert!(!uri_matches(
            "sip:alice@example.com:5061;transport=tls",
            san
        ));
        assert!(!uri_matches("sip:alice@example.com;transport=TLS", san));
        // A SIP URI without a user part: the host follows the scheme.
        assert!(uri_matches("sip:EXAMPLE.com", "sip:example.com"));
        assert!(!uri_matches("sip:", "sip:"));
    }

    #[test]
    fn hierarchical_uris_fold_only_the_host() {
        let san = "https://user@Example.com:8443/Path?q=1#f";
        assert!(uri_matches("HTTPS://user@example.COM:8443/Path?q=1#f", san));
        assert!(!uri_matches(
            "https://USER@example.com:8443/Path?q=1#f",
            san
        ));
        assert!(!uri_matches(
            "https://user@example.com:8443/path?q=1#f",
            san
        ));
        assert!(!uri_matches("https://user@example.com/Path?q=1#f", san));
        assert!(uri_matches(
            "http://[2001:DB8::1]:80/",
            "http://[2001:db8::1]:80/"
        ));
        assert!(!uri_matches("http://[2001:db8::1/", "http://[2001:db8::1/"));
    }

    #[test]
    fn opaque_uris_compare_exactly_after_the_scheme() {
        assert!(uri_matches("TEL:+1-201-555-0123", "tel:+1-201-555-0123"));
        assert!(!uri_matches("tel:+1-201-555-0124", "tel:+1-201-555-0123"));
        assert!(!uri_matches("urn:Example:a", "urn:example:a"));
    }

    #[test]
    fn malformed_uris_match_nothing() {
        for bad in ["", "no-scheme", "1sip:alice@example.com", ":alice", "s p:x"] {
            assert!(!uri_matches(bad, bad), "{bad:?}");
        }
        assert!(!uri_matches("sip:alice@", "sip:alice@"));
    }

    #[test]
    fn nai_against_mailbox() {
        let mailbox = "alice@example.com";
        assert!(nai_matches_mailbox("alice@example.com", mailbox));
        assert!(nai_matches_mailbox("alice@EXAMPLE.COM", mailbox));
        assert!(!nai_matches_mailbox("Alice@example.com", mailbox));
        assert!(!nai_matches_mailbox("alice@example.org", mailbox));
        assert!(!nai_matches_mailbox("alice@sub.example.com", mailbox));
        assert!(!nai_matches_mailbox("alice", mailbox));
        assert!(!nai_matches_mailbox("@example.com", mailbox));
        assert!(!nai_matches_mailbox("alice@", mailbox));
        assert!(!nai_matches_mailbox("alice@example.com", "example.com"));
        // A quoted local part may hold an `@`: the realm is after the last one.
        assert!(nai_matches_mailbox(
            "\"a@b\"@example.com",
            "\"a@b\"@Example.com"
        ));
    }

    #[test]
    fn nai_against_sip_uri() {
        assert!(nai_matches_sip_uri(
            "alice@example.com",
            "sip:alice@example.com"
        ));
        assert!(nai_matches_sip_uri(
            "alice@Example.COM",
            "SIPS:alice@example.com"
        ));
        assert!(!nai_matches_sip_uri(
            "alice@example.com",
            "tel:alice@example.com"
        ));
        assert!(!nai_matches_sip_uri(
            "alice@example.com",
            "mailto:alice@example.com"
        ));
        assert!(!nai_matches_sip_uri(
            "alice@example.com",
            "sip:alice@example.com:5060"
        ));
        assert!(!nai_matches_sip_uri(
            "alice@example.com",
            "sip:alice@example.com;user=ip"
        ));
        assert!(!nai_matches_sip_uri(
            "alice@example.com",
            "sip:ALICE@example.com"
        ));
        assert!(!nai_matches_sip_uri("alice@example.com", "sip:example.com"));
        assert!(!nai_matches_sip_uri("example.com", "sip:example.com"));
        assert!(!nai_matches_sip_uri(
            "alice@example.com",
            "sip://alice@example.com"
        ));
    }
}
