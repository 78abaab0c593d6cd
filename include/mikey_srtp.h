/*
 * mikey_srtp.h: libsrtp2 glue for libmikey, header-only.
 *
 * Fills a libsrtp2 `srtp_policy_t` from one crypto session (RFC 3830 §6.1.1) of a keyed
 * MIKEY session: the SRTP and SRTCP crypto policies of its profile, its master keys
 * (master key ‖ master salt) with their MKIs (RFC 3830 §6.13, §6.14), its SSRC, and, after
 * srtp_create or srtp_add_stream, its ROC (RFC 3711 §3.3.1).
 *
 * It includes <mikey.h> and <srtp2/srtp.h>; a program using it links libsrtp2 itself:
 *
 *     #include <mikey_srtp.h>
 *     cc app.c $(pkg-config --cflags --libs mikey libsrtp2)
 *
 * Everything here is `static inline`: libmikey does not link libsrtp2 and exports nothing
 * of this file. It follows the conventions of mikey.h (README "C API conventions"):
 * functions that can fail return a mikey_status_t, outputs come last, every pointer is
 * checked, and an output is written only on success. It compiles as C11 and as C++11.
 *
 * Use (one direction of one crypto session; see README "libsrtp glue"):
 *
 *     mikey_srtp_policy_t p;
 *     srtp_t srtp = NULL;
 *     mikey_status_t st = mikey_srtp_policy(session, cs_index, MIKEY_SRTP_OUTBOUND, 0, &p);
 *     if (st == MIKEY_OK) {
 *         if (srtp_create(&srtp, &p.policy) == srtp_err_status_ok)
 *             st = mikey_srtp_policy_set_roc(srtp, &p);
 *         else
 *             srtp = NULL; // libsrtp refused: the application reports it
 *         mikey_srtp_policy_wipe(&p); // libsrtp keeps its own copy of the keys
 *     }
 *
 * Choices made here, each documented where it applies:
 * - SRTCP is protected with an 80-bit tag for every profile, including the _32 ones
 *   (RFC 4568 §6.2.2: the _32 profiles shorten the SRTP tag only; RFC 3711 §7.5), as
 *   libsrtp's profile functions do.
 * - A crypto session whose SSRC is 0 ("not chosen by the Initiator", RFC 3830 §6.1.1)
 *   becomes a wildcard policy: ssrc_any_outbound when this endpoint sends the stream,
 *   ssrc_any_inbound when it receives it. A wildcard stream starts at ROC 0 (libsrtp
 *   creates it on the first packet), so SSRC 0 with another ROC is refused.
 * - A key with a lifetime interval (MIKEY_LIFETIME_INTERVAL, KV Interval, RFC 3830
 *   §6.14) is refused unless the caller passes MIKEY_SRTP_CALLER_ENFORCES_INTERVAL:
 *   libsrtp has no per-key SRTP index range, so it would use the key outside its
 *   interval. With the flag, the interval is kept in the key's `valid_from`/`valid_to`
 *   and the caller must stop using the key outside it.
 * - libsrtp2 before 2.7.0 cannot unprotect SRTCP with an MKI under a _32 profile
 *   (srtp_unprotect_rtcp_mki looks for the MKI one SRTP tag length before the end;
 *   cisco/libsrtp#733). The policy is right; such libsrtp versions fail that one case.
 */
#ifndef MIKEY_SRTP_H
#define MIKEY_SRTP_H

#include <mikey.h>
#include <srtp2/srtp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Which way a crypto session's stream flows at this endpoint (`mikey_srtp_policy`). */
typedef uint32_t mikey_srtp_direction_t;
/* This endpoint protects (sends) the stream. */
#define MIKEY_SRTP_OUTBOUND 1u
/* This endpoint unprotects (receives) the stream. */
#define MIKEY_SRTP_INBOUND 2u

/* Flags of `mikey_srtp_policy`: 0 or MIKEY_SRTP_CALLER_ENFORCES_INTERVAL. */
typedef uint32_t mikey_srtp_flags_t;
/* Accept keys with a lifetime interval (MIKEY_LIFETIME_INTERVAL): the caller stops using
 * a key outside its `valid_from`..=`valid_to` SRTP indices, which libsrtp cannot do. */
#define MIKEY_SRTP_CALLER_ENFORCES_INTERVAL 1u

/* Most keys one policy holds: libsrtp's SRTP_MAX_NUM_MASTER_KEYS. */
#define MIKEY_SRTP_MAX_KEYS SRTP_MAX_NUM_MASTER_KEYS

/* One master key of a `mikey_srtp_policy_t`. Holds secrets. */
typedef struct mikey_srtp_policy_key_t {
    /* Master key ‖ master salt (`srtp_policy_t.key` or `srtp_master_key_t.key`). */
    unsigned char key_salt[MIKEY_MAX_KEY_SALT_LEN];
    /* Bytes used in `key_salt`. */
    size_t key_salt_len;
    /* MKI (`srtp_master_key_t.mki_id`), `mki_len` bytes; none when `mki_len` is 0. */
    unsigned char mki[SRTP_MAX_MKI_LEN];
    /* MKI length. */
    size_t mki_len;
    /* `MIKEY_LIFETIME_*` of the key. */
    mikey_lifetime_t lifetime;
    /* With MIKEY_LIFETIME_INTERVAL: first valid SRTP index (ROC ‖ SEQ), else 0. */
    uint64_t valid_from;
    /* With MIKEY_LIFETIME_INTERVAL: last valid SRTP index, else 0. */
    uint64_t valid_to;
} mikey_srtp_policy_key_t;

/*
 * A libsrtp policy for one crypto session and the storage its pointers point to. Pass
 * `&x.policy` to srtp_create or srtp_add_stream (several may be chained through
 * `policy.next`, which `mikey_srtp_policy` sets to NULL), then call
 * `mikey_srtp_policy_set_roc`, then `mikey_srtp_policy_wipe`.
 *
 * `policy.key` (one key without MKI) or `policy.keys` (MKI keys, in KEMAC order; send with
 * `srtp_protect_mki(..., 1, key_index)`) point into this struct: do not copy it (a copy
 * points into the original) and keep it alive until srtp_create/srtp_add_stream returns.
 * Every other field of `policy` may be changed before that (e.g. `window_size`, left 0:
 * libsrtp's default of 128; `allow_repeat_tx`, left 0).
 */
typedef struct mikey_srtp_policy_t {
    /* The libsrtp policy. */
    srtp_policy_t policy;
    /* MIKEY_SRTP_OUTBOUND or MIKEY_SRTP_INBOUND, as given. */
    mikey_srtp_direction_t direction;
    /* The crypto session's SSRC (0: not chosen, `policy.ssrc` is a wildcard). */
    uint32_t ssrc;
    /* The crypto session's ROC at the start; `mikey_srtp_policy_set_roc` applies it. */
    uint32_t roc;
    /* The crypto session's `MIKEY_SRTP_*` profile. */
    mikey_srtp_profile_t profile;
    /* Number of keys in `keys` (at least 1). */
    size_t key_count;
    /* The keys, in KEMAC order. */
    mikey_srtp_policy_key_t keys[MIKEY_SRTP_MAX_KEYS];
    /* libsrtp's view of `keys` when they carry MKIs; `policy.keys` points here. */
    srtp_master_key_t master_keys[MIKEY_SRTP_MAX_KEYS];
    srtp_master_key_t *master_key_list[MIKEY_SRTP_MAX_KEYS];
} mikey_srtp_policy_t;

/* Zeroes `n` bytes at `p` in a way the compiler does not drop. */
static inline void mikey_srtp_zero_(void *p, size_t n) {
    volatile unsigned char *b = (volatile unsigned char *)p;
    while (n--) *b++ = 0;
}

/*
 * Writes libsrtp's SRTP and SRTCP crypto policies of `profile` (`MIKEY_SRTP_*`) to
 * `*out_rtp` and `*out_rtcp`: AES_CM_128_HMAC_SHA1_80/_32 and NULL_HMAC_SHA1_80/_32
 * (RFC 4568 §6.2), AES_256_CM_HMAC_SHA1_80/_32 (RFC 6188), AEAD_AES_128_GCM and
 * AEAD_AES_256_GCM (RFC 7714 §14.2, 16-octet tag). SRTCP always gets the 80-bit tag of the
 * HMAC profiles (RFC 4568 §6.2.2, RFC 3711 §7.5); the NULL profiles encrypt neither SRTP
 * nor SRTCP.
 *
 * Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `out_rtp` or `out_rtcp` is NULL;
 * MIKEY_ERR_INVALID_ARGUMENT for a profile this header does not map.
 */
static inline mikey_status_t mikey_srtp_crypto_policies(mikey_srtp_profile_t profile,
                                                        srtp_crypto_policy_t *out_rtp,
                                                        srtp_crypto_policy_t *out_rtcp) {
    srtp_crypto_policy_t rtp, rtcp;
    if (out_rtp == NULL || out_rtcp == NULL) return MIKEY_ERR_NULL_POINTER;
    switch (profile) {
    case MIKEY_SRTP_AES128_CM_SHA1_80:
        srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&rtp);
        srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&rtcp);
        break;
    case MIKEY_SRTP_AES128_CM_SHA1_32:
        srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&rtp);
        srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&rtcp);
        break;
    case MIKEY_SRTP_NULL_SHA1_80:
        srtp_crypto_policy_set_null_cipher_hmac_sha1_80(&rtp);
        srtp_crypto_policy_set_null_cipher_hmac_sha1_80(&rtcp);
        break;
    case MIKEY_SRTP_NULL_SHA1_32:
        /* libsrtp has no setter for it: the _80 policy with a 32-bit SRTP tag. */
        srtp_crypto_policy_set_null_cipher_hmac_sha1_80(&rtp);
        rtp.auth_tag_len = 4;
        srtp_crypto_policy_set_null_cipher_hmac_sha1_80(&rtcp);
        break;
    case MIKEY_SRTP_AES256_CM_SHA1_80:
        srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&rtp);
        srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&rtcp);
        break;
    case MIKEY_SRTP_AES256_CM_SHA1_32:
        srtp_crypto_policy_set_aes_cm_256_hmac_sha1_32(&rtp);
        srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&rtcp);
        break;
    /* RFC 7714 §14.2: AES-GCM with a 16-octet tag for SRTP and SRTCP, a 12-byte master
     * salt. libsrtp has these ciphers only when built with a crypto library (OpenSSL, NSS,
     * mbedTLS): without one srtp_create refuses the policy. */
    case MIKEY_SRTP_AEAD_AES_128_GCM:
        srtp_crypto_policy_set_aes_gcm_128_16_auth(&rtp);
        srtp_crypto_policy_set_aes_gcm_128_16_auth(&rtcp);
        break;
    case MIKEY_SRTP_AEAD_AES_256_GCM:
        srtp_crypto_policy_set_aes_gcm_256_16_auth(&rtp);
        srtp_crypto_policy_set_aes_gcm_256_16_auth(&rtcp);
        break;
    /* A profile the library negotiates later gets its case here. */
    default:
        return MIKEY_ERR_INVALID_ARGUMENT;
    }
    *out_rtp = rtp;
    *out_rtcp = rtcp;
    return MIKEY_OK;
}

/* Internal: the selected keys of a session rather than a branch's. */
#define MIKEY_SRTP_SELECTED_ ((size_t)-1)

/* Internal: crypto session `cs_index` of the selected keys or of branch `branch`. */
static inline mikey_status_t mikey_srtp_info_(const mikey_session_t *session, size_t branch,
                                              size_t cs_index,
                                              mikey_crypto_session_info_t *info) {
    if (branch == MIKEY_SRTP_SELECTED_)
        return mikey_session_crypto_session(session, cs_index, info);
    return mikey_session_branch_crypto_session(session, branch, cs_index, info);
}

/* Internal: key `key_index` of crypto session `cs_index` of the selected keys or of branch
 * `branch`. */
static inline mikey_status_t mikey_srtp_key_(const mikey_session_t *session, size_t branch,
                                             size_t cs_index, size_t key_index,
                                             mikey_srtp_key_t *key) {
    if (branch == MIKEY_SRTP_SELECTED_)
        return mikey_session_srtp_key(session, cs_index, key_index, key);
    return mikey_session_branch_srtp_key(session, branch, cs_index, key_index, key);
}

/* Internal: mikey_srtp_policy for the selected keys or branch `branch`. */
static inline mikey_status_t mikey_srtp_policy_of_(const mikey_session_t *session, size_t branch,
                                                   size_t cs_index,
                                                   mikey_srtp_direction_t direction,
                                                   mikey_srtp_flags_t flags,
                                                   mikey_srtp_policy_t *out_policy) {
    mikey_crypto_session_info_t info;
    srtp_crypto_policy_t rtp, rtcp;
    mikey_srtp_key_t k;
    mikey_status_t st;
    size_t i, mki_len = 0;
    if (session == NULL || out_policy == NULL) return MIKEY_ERR_NULL_POINTER;
    if (direction != MIKEY_SRTP_OUTBOUND && direction != MIKEY_SRTP_INBOUND)
        return MIKEY_ERR_INVALID_ARGUMENT;
    if ((flags & ~(mikey_srtp_flags_t)MIKEY_SRTP_CALLER_ENFORCES_INTERVAL) != 0)
        return MIKEY_ERR_INVALID_ARGUMENT;
    st = mikey_srtp_info_(session, branch, cs_index, &info);
    if (st != MIKEY_OK) return st;
    st = mikey_srtp_crypto_policies(info.profile, &rtp, &rtcp);
    if (st != MIKEY_OK) return st;
    if (info.ssrc == 0 && info.roc != 0) return MIKEY_ERR_UNSUPPORTED_POLICY;
    if (info.key_count == 0 || info.key_count > MIKEY_SRTP_MAX_KEYS)
        return MIKEY_ERR_UNSUPPORTED_POLICY;

    /* First every key is checked, so that a failure writes nothing. */
    for (i = 0; i < info.key_count; i++) {
        st = mikey_srtp_key_(session, branch, cs_index, i, &k);
        if (st == MIKEY_OK && k.key_salt_len != (size_t)rtp.cipher_key_len)
            st = MIKEY_ERR_BAD_KEY_DATA;
        if (st == MIKEY_OK && (i == 0 ? k.mki_len > SRTP_MAX_MKI_LEN : k.mki_len != mki_len))
            st = MIKEY_ERR_UNSUPPORTED_POLICY;
        if (st == MIKEY_OK && k.mki_len == 0 && info.key_count > 1)
            st = MIKEY_ERR_UNSUPPORTED_POLICY;
        if (st == MIKEY_OK && k.lifetime != MIKEY_LIFETIME_UNTIL_REPLACED &&
            (k.lifetime != MIKEY_LIFETIME_INTERVAL ||
             (flags & MIKEY_SRTP_CALLER_ENFORCES_INTERVAL) == 0))
            st = MIKEY_ERR_UNSUPPORTED_POLICY;
        mki_len = k.mki_len;
        mikey_srtp_zero_(&k, sizeof k);
        if (st != MIKEY_OK) return st;
    }

    mikey_srtp_zero_(out_policy, sizeof *out_policy);
    out_policy->policy.rtp = rtp;
    out_policy->policy.rtcp = rtcp;
    if (info.ssrc != 0) {
        out_policy->policy.ssrc.type = ssrc_specific;
    } else {
        out_policy->policy.ssrc.type =
            direction == MIKEY_SRTP_OUTBOUND ? ssrc_any_outbound : ssrc_any_inbound;
    }
    out_policy->policy.ssrc.value = info.ssrc;
    out_policy->policy.next = NULL;
    out_policy->direction = direction;
    out_policy->ssrc = info.ssrc;
    out_policy->roc = info.roc;
    out_policy->profile = info.profile;
    out_policy->key_count = info.key_count;
    for (i = 0; i < info.key_count; i++) {
        mikey_srtp_policy_key_t *dst = &out_policy->keys[i];
        /* Read and checked above; the session is used by one thread at a time. */
        st = mikey_srtp_key_(session, branch, cs_index, i, &k);
        if (st != MIKEY_OK) {
            mikey_srtp_zero_(out_policy, sizeof *out_policy);
            return st;
        }
        memcpy(dst->key_salt, k.key_salt, k.key_salt_len);
        dst->key_salt_len = k.key_salt_len;
        memcpy(dst->mki, k.mki, k.mki_len);
        dst->mki_len = k.mki_len;
        dst->lifetime = k.lifetime;
        dst->valid_from = k.valid_from;
        dst->valid_to = k.valid_to;
        mikey_srtp_zero_(&k, sizeof k);
        out_policy->master_keys[i].key = dst->key_salt;
        out_policy->master_keys[i].mki_id = dst->mki;
        out_policy->master_keys[i].mki_size = (unsigned int)dst->mki_len;
        out_policy->master_key_list[i] = &out_policy->master_keys[i];
    }
    if (mki_len == 0) {
        out_policy->policy.key = out_policy->keys[0].key_salt;
    } else {
        out_policy->policy.keys = out_policy->master_key_list;
        out_policy->policy.num_master_keys = (unsigned long)info.key_count;
    }
    return MIKEY_OK;
}

/*
 * Fills `*out_policy` for crypto session `cs_index` (0-based, as in
 * `mikey_session_crypto_session`) of a keyed `session`, for the `direction`
 * (`MIKEY_SRTP_OUTBOUND` / `MIKEY_SRTP_INBOUND`) in which this endpoint handles its stream:
 * - the crypto policies of its profile (`mikey_srtp_crypto_policies`);
 * - its SSRC: ssrc_specific, or for SSRC 0 (not chosen by the Initiator, RFC 3830
 *   §6.1.1) ssrc_any_outbound / ssrc_any_inbound by `direction`;
 * - its keys: without MKI its one key in `policy.key`; with MKIs every key in
 *   `policy.keys` / `policy.num_master_keys` (libsrtp picks the key by the packet's MKI
 *   on receipt; the sender chooses it with srtp_protect_mki's `mki_index`);
 * - `roc`, for `mikey_srtp_policy_set_roc` after srtp_create / srtp_add_stream.
 * `flags` is 0 or MIKEY_SRTP_CALLER_ENFORCES_INTERVAL. Wipe the result with
 * `mikey_srtp_policy_wipe` once libsrtp has it.
 *
 * Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `session` or `out_policy` is NULL;
 * MIKEY_ERR_INVALID_ARGUMENT for another `direction`, an unknown bit in `flags`, or a
 * profile this header does not map; MIKEY_ERR_WRONG_STATE before keys are set;
 * MIKEY_ERR_INDEX_OUT_OF_RANGE if `cs_index` is not below the crypto session count;
 * MIKEY_ERR_UNSUPPORTED_POLICY when libsrtp cannot carry the crypto session as it is:
 * SSRC 0 with a ROC other than 0, more than MIKEY_SRTP_MAX_KEYS keys, several keys
 * without MKIs (libsrtp could not tell them apart), MKIs of different lengths or longer
 * than SRTP_MAX_MKI_LEN, or a key with a lifetime interval without
 * MIKEY_SRTP_CALLER_ENFORCES_INTERVAL; MIKEY_ERR_BAD_KEY_DATA if a key's length is not
 * the profile's; MIKEY_ERR_POISONED; MIKEY_ERR_PANIC. On failure `*out_policy` is not
 * written.
 */
static inline mikey_status_t mikey_srtp_policy(const mikey_session_t *session, size_t cs_index,
                                               mikey_srtp_direction_t direction,
                                               mikey_srtp_flags_t flags,
                                               mikey_srtp_policy_t *out_policy) {
    return mikey_srtp_policy_of_(session, MIKEY_SRTP_SELECTED_, cs_index, direction, flags,
                                 out_policy);
}

/*
 * mikey_srtp_policy for crypto session `cs_index` of branch `branch_index` of a forked
 * exchange (RFC 5197 §5.2, `mikey_session_branch_count`), before a branch is selected:
 * early media (RFC 5197 §5.3) from and to that Responder, with the keys it sent. The same
 * results, and MIKEY_ERR_INDEX_OUT_OF_RANGE also for a `branch_index` not below the branch
 * count. Once `mikey_session_select_branch` has run the branches are gone (zeroized):
 * libsrtp sessions made from them keep working, and `mikey_srtp_policy` gives the
 * selected branch's.
 */
static inline mikey_status_t mikey_srtp_branch_policy(const mikey_session_t *session,
                                                      size_t branch_index, size_t cs_index,
                                                      mikey_srtp_direction_t direction,
                                                      mikey_srtp_flags_t flags,
                                                      mikey_srtp_policy_t *out_policy) {
    if (branch_index == MIKEY_SRTP_SELECTED_) return MIKEY_ERR_INDEX_OUT_OF_RANGE;
    return mikey_srtp_policy_of_(session, branch_index, cs_index, direction, flags,
                                 out_policy);
}

/*
 * Applies the crypto session's ROC (RFC 3711 §3.3.1) to the stream of `policy` in `srtp`,
 * which must already hold it (srtp_create or srtp_add_stream with `&policy->policy`).
 * libsrtp takes the ROC only through srtp_set_stream_roc: without this call a stream with
 * a ROC other than 0 starts at 0, and its packets fail authentication at the receiver and
 * reuse key stream at the sender. A wildcard policy (SSRC 0) has ROC 0: nothing to do.
 *
 * Returns MIKEY_OK; MIKEY_ERR_NULL_POINTER if `srtp` or `policy` is NULL;
 * MIKEY_ERR_INVALID_ARGUMENT if `srtp` has no stream of the policy's SSRC.
 */
static inline mikey_status_t mikey_srtp_policy_set_roc(srtp_t srtp,
                                                       const mikey_srtp_policy_t *policy) {
    if (srtp == NULL || policy == NULL) return MIKEY_ERR_NULL_POINTER;
    if (policy->policy.ssrc.type != ssrc_specific) return MIKEY_OK;
    if (srtp_set_stream_roc(srtp, policy->policy.ssrc.value, policy->roc) != srtp_err_status_ok)
        return MIKEY_ERR_INVALID_ARGUMENT;
    return MIKEY_OK;
}

/*
 * Zeroes the whole policy, keys included (the compiler does not drop it). libsrtp copies
 * the keys in srtp_create / srtp_add_stream, so wipe right after. NULL does nothing.
 */
static inline void mikey_srtp_policy_wipe(mikey_srtp_policy_t *policy) {
    if (policy != NULL) mikey_srtp_zero_(policy, sizeof *policy);
}

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* MIKEY_SRTP_H */
