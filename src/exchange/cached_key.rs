//! The envelope key a public-key exchange caches (RFC 3830 §3.2, §4.5, §6.3): when the
//! PKE's C field says "Cache" (1) or "Cache for CSB" (2), both sides keep the envelope key
//! with the CSB, and an update of that CSB is a pre-shared-key message keyed with it
//! ("it MUST NOT be a public key message", §4.5). With "No cache" (0) the key is zeroized
//! once the exchange is done, and an update is a public-key message with a new envelope.

use super::VerificationIds;
use crate::crypto::prf::Inkey;
use crate::wire::CacheIndicator;
use std::sync::Arc;

/// A cached envelope key and what the PSK updates keyed with it need.
pub(crate) struct CachedKey {
    /// The envelope key, the inkey of the transport keys of every update (RFC 3830
    /// §4.1.4).
    pub inkey: Inkey,
    /// The C field that asked for the cache: [`CacheIndicator::Cache`] lets the key
    /// outlive the CSB (the application may keep it as a pre-shared key);
    /// [`CacheIndicator::CacheForCsb`] only for this CSB.
    pub scope: CacheIndicator,
    /// The identities the exchange authenticated: the verification MAC of an update takes
    /// them when the update carries no ID payload (RFC 3830 §5.2).
    pub ids: VerificationIds,
}

impl CachedKey {
    /// The cache a PKE's C field `indicator` asks for, of `env_key`: `None` for No cache
    /// and for an unassigned value (3), which asks for nothing this library knows how to
    /// honour.
    pub fn new(
        indicator: CacheIndicator,
        env_key: &[u8],
        ids: &VerificationIds,
    ) -> Option<Arc<CachedKey>> {
        matches!(
            indicator,
            CacheIndicator::Cache | CacheIndicator::CacheForCsb
        )
        .then(|| {
            Arc::new(CachedKey {
                inkey: Inkey::new(env_key),
                scope: indicator,
                ids: ids.clone(),
            })
        })
    }

    /// The key, when the C field let it outlive the CSB ("Cache"): the application may
    /// keep it as the pre-shared key of a later exchange with the same peer (RFC 3830
    /// §3.2). `None` for "Cache for CSB".
    pub fn outliving_key(&self) -> Option<&[u8]> {
        (self.scope == CacheIndicator::Cache).then(|| self.inkey.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_cache_and_cache_for_csb_keep_the_key() {
        let ids = VerificationIds::default();
        let key = [7u8; 32];
        assert!(CachedKey::new(CacheIndicator::NoCache, &key, &ids).is_none());
        assert!(CachedKey::new(CacheIndicator::Unknown(3), &key, &ids).is_none());
        let csb = CachedKey::new(CacheIndicator::CacheForCsb, &key, &ids).unwrap();
        assert_eq!(csb.outliving_key(), None);
        let cache = CachedKey::new(CacheIndicator::Cache, &key, &ids).unwrap();
        assert_eq!(cache.outliving_key(), Some(&key[..]));
    }
}
