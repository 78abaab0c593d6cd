/* mikey_srtp.h drives libsrtp2: for each of the eight profiles (the AEAD ones of RFC 7714
 * included), without and with a 4-byte
 * MKI, an Initiator and a Responder run a PSK exchange keying three crypto sessions:
 *   CS 1, SSRC 0x1000aaaa, ROC 5: Initiator -> Responder;
 *   CS 2, SSRC 0x2000bbbb, ROC 2: Responder -> Initiator;
 *   CS 3, SSRC 0 (not chosen, RFC 3830 §6.1.1), ROC 0: Responder -> Initiator, any SSRC.
 * Each side fills its policies with mikey_srtp_policy (OUTBOUND for what it sends,
 * INBOUND for what it receives), creates libsrtp sessions and applies the ROC with
 * mikey_srtp_policy_set_roc. RTP and RTCP are protected and unprotected on every crypto
 * session; the plaintext comes back, the packet grew by tag (+ MKI), the payload is
 * encrypted except under the NULL profiles; both ends run at ROC 5 on CS 1, and a
 * receiver without the ROC refuses the packet. A second exchange's key is refused
 * (auth_fail), a foreign MKI too (bad_mki). Then the refusals of the glue: unknown
 * profiles, bad arguments, SSRC 0 with a ROC, a key with a KV Interval unless the caller
 * enforces it, and the output left untouched by them.
 * Compiled as C and as C++ (test_srtp_glue_cxx). */
#include "check.h"

#include <srtp2/srtp.h>
#include <mikey_srtp.h>
#include <stdint.h>
#include <string.h>

static const uint8_t PSK[] = "srtp-glue-test-psk-0123456789";

#define RTP_HDR 12
#define RTP_PAYLOAD 160
#define RTP_LEN (RTP_HDR + RTP_PAYLOAD)
#define RTCP_LEN 28 /* SR without report blocks */
#define SRTCP_INDEX_LEN 4
#define SRTCP_TAG_LEN 10 /* HMAC-SHA-1 profiles; the AEAD ones carry a 16-octet tag */
#define AEAD_TAG_LEN 16
#define STREAMS 3
#define WILDCARD_SSRC 0x3000ccccu

#define N_PROFILES 8
static const mikey_srtp_profile_t PROFILES[N_PROFILES] = {
    MIKEY_SRTP_AES128_CM_SHA1_80, MIKEY_SRTP_AES128_CM_SHA1_32, MIKEY_SRTP_NULL_SHA1_80,
    MIKEY_SRTP_NULL_SHA1_32,      MIKEY_SRTP_AES256_CM_SHA1_80, MIKEY_SRTP_AES256_CM_SHA1_32,
    MIKEY_SRTP_AEAD_AES_128_GCM,  MIKEY_SRTP_AEAD_AES_256_GCM};

static int is_null_profile(mikey_srtp_profile_t p) {
    return p == MIKEY_SRTP_NULL_SHA1_80 || p == MIKEY_SRTP_NULL_SHA1_32;
}

static int is_aead_profile(mikey_srtp_profile_t p) {
    return p == MIKEY_SRTP_AEAD_AES_128_GCM || p == MIKEY_SRTP_AEAD_AES_256_GCM;
}

/* The SRTCP tag: 80-bit HMAC-SHA-1, or the AEAD tag (RFC 7714 §14.2). */
static int srtcp_tag_len(mikey_srtp_profile_t p) {
    return is_aead_profile(p) ? AEAD_TAG_LEN : SRTCP_TAG_LEN;
}

/* Where E|SRTCP index starts after the RTCP packet: at its end, or after the AEAD tag,
 * which is part of the ciphertext (RFC 7714 §9.1). */
static size_t srtcp_index_at(mikey_srtp_profile_t p) {
    return RTCP_LEN + (is_aead_profile(p) ? AEAD_TAG_LEN : 0);
}

/* libsrtp2 before 2.7.0 cannot unprotect SRTCP with an MKI under a _32 profile
 * (cisco/libsrtp#733, see mikey_srtp.h): such receivers get a second, MKI-less context for
 * SRTCP and the MKI is checked here. */
static int libsrtp_rtcp_mki_bug(void) { return srtp_get_version() < 0x02070000u; }

static mikey_config_t *config(mikey_srtp_profile_t profile, size_t mki_len) {
    mikey_config_builder_t *b = NULL;
    mikey_config_t *c = NULL;
    CHECK(mikey_config_builder_new(MIKEY_MODE_PSK, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_set_psk(b, PSK, sizeof PSK - 1) == MIKEY_OK);
    CHECK(mikey_config_builder_set_offer(b, &profile, 1) == MIKEY_OK);
    CHECK(mikey_config_builder_set_accepted(b, PROFILES, N_PROFILES) == MIKEY_OK);
    CHECK(mikey_config_builder_set_mki_len(b, mki_len) == MIKEY_OK);
    CHECK(mikey_config_builder_build(b, &c) == MIKEY_OK);
    return c;
}

typedef struct {
    mikey_session_t *init;
    mikey_session_t *resp;
} exchange_t;

/* A PSK exchange keying `count` streams; both sessions ESTABLISHED. */
static void exchange(exchange_t *ex, mikey_srtp_profile_t profile, size_t mki_len,
                     const mikey_stream_t *streams, size_t count) {
    mikey_config_t *ci = config(profile, mki_len);
    mikey_config_t *cr = config(profile, mki_len);
    uint8_t imsg[2048], vmsg[2048];
    size_t ilen = 0, vlen = 0, none = 1;
    mikey_state_t si = 99, sr = 99;
    ex->init = ex->resp = NULL;
    CHECK(mikey_session_new(ci, MIKEY_ROLE_INITIATOR, &ex->init) == MIKEY_OK);
    CHECK(mikey_session_new(cr, MIKEY_ROLE_RESPONDER, &ex->resp) == MIKEY_OK);
    mikey_config_free(ci);
    mikey_config_free(cr);
    CHECK(mikey_session_initiate(ex->init, streams, count, imsg, sizeof imsg, &ilen) == MIKEY_OK);
    CHECK(mikey_session_process(ex->resp, imsg, ilen, vmsg, sizeof vmsg, &vlen) == MIKEY_OK);
    CHECK(mikey_session_process(ex->init, vmsg, vlen, NULL, 0, &none) == MIKEY_OK && none == 0);
    CHECK(mikey_session_state(ex->init, &si) == MIKEY_OK && si == MIKEY_STATE_ESTABLISHED);
    CHECK(mikey_session_state(ex->resp, &sr) == MIKEY_OK && sr == MIKEY_STATE_ESTABLISHED);
}

static void exchange_free(exchange_t *ex) {
    mikey_session_free(ex->init);
    mikey_session_free(ex->resp);
}

static int all_zero(const void *p, size_t n) {
    const unsigned char *b = (const unsigned char *)p;
    for (size_t i = 0; i < n; i++)
        if (b[i]) return 0;
    return 1;
}

/* One libsrtp session for one direction of one crypto session. */
typedef struct {
    srtp_t ctx;
    srtp_t rtcp_ctx; /* receivers hit by libsrtp_rtcp_mki_bug */
    uint32_t ssrc;   /* the SSRC its packets carry */
    mikey_srtp_profile_t profile;
    size_t mki_len;
    unsigned char mki[SRTP_MAX_MKI_LEN];
    int rtp_tag_len;
} end_t;

/* Checks what mikey_srtp_policy wrote against the session's own view. */
static void check_policy(const mikey_session_t *s, size_t cs, mikey_srtp_direction_t dir,
                         const mikey_srtp_policy_t *p) {
    mikey_crypto_session_info_t info;
    mikey_srtp_key_t k;
    CHECK(mikey_session_crypto_session(s, cs, &info) == MIKEY_OK);
    CHECK(mikey_session_srtp_key(s, cs, 0, &k) == MIKEY_OK);
    CHECK(p->direction == dir && p->ssrc == info.ssrc && p->roc == info.roc);
    CHECK(p->profile == info.profile && p->key_count == 1);
    CHECK(p->policy.ssrc.value == info.ssrc);
    if (info.ssrc != 0)
        CHECK(p->policy.ssrc.type == ssrc_specific);
    else
        CHECK(p->policy.ssrc.type ==
              (dir == MIKEY_SRTP_OUTBOUND ? ssrc_any_outbound : ssrc_any_inbound));
    CHECK(p->policy.rtp.auth_tag_len == (int)info.tag_len);
    CHECK(p->policy.rtcp.auth_tag_len == srtcp_tag_len(info.profile));
    CHECK(p->policy.rtp.cipher_key_len == (int)k.key_salt_len);
    CHECK(p->policy.rtp.sec_serv ==
          (is_null_profile(info.profile) ? sec_serv_auth : sec_serv_conf_and_auth));
    CHECK(p->policy.rtcp.sec_serv == p->policy.rtp.sec_serv);
    CHECK(p->policy.next == NULL);
    CHECK(p->keys[0].key_salt_len == k.key_salt_len);
    CHECK(memcmp(p->keys[0].key_salt, k.key_salt, k.key_salt_len) == 0);
    CHECK(p->keys[0].mki_len == k.mki_len && memcmp(p->keys[0].mki, k.mki, k.mki_len) == 0);
    CHECK(p->keys[0].lifetime == MIKEY_LIFETIME_UNTIL_REPLACED);
    if (k.mki_len == 0) {
        CHECK(p->policy.key == p->keys[0].key_salt && p->policy.keys == NULL);
        CHECK(p->policy.num_master_keys == 0);
    } else {
        CHECK(p->policy.key == NULL && p->policy.num_master_keys == 1);
        CHECK(p->policy.keys != NULL && p->policy.keys[0]->key == p->keys[0].key_salt);
        CHECK(p->policy.keys[0]->mki_id == p->keys[0].mki);
        CHECK(p->policy.keys[0]->mki_size == k.mki_len);
    }
    memset(&k, 0, sizeof k);
}

/* Creates `end` from crypto session `cs` of `s` with the glue; `ssrc` is what its packets
 * carry, `flip_mki` sends a foreign MKI, `apply_roc` 0 skips mikey_srtp_policy_set_roc.
 * Returns 0 on success. */
static int make_end(end_t *end, const mikey_session_t *s, size_t cs, mikey_srtp_direction_t dir,
                    uint32_t ssrc, int flip_mki, int apply_roc) {
    mikey_srtp_policy_t p;
    memset(end, 0, sizeof *end);
    end->ssrc = ssrc;
    CHECK(mikey_srtp_policy(s, cs, dir, 0, &p) == MIKEY_OK);
    check_policy(s, cs, dir, &p);
    if (flip_mki && p.keys[0].mki_len) p.keys[0].mki[0] ^= 0x80;
    end->profile = p.profile;
    end->mki_len = p.keys[0].mki_len;
    memcpy(end->mki, p.keys[0].mki, end->mki_len);
    end->rtp_tag_len = p.policy.rtp.auth_tag_len;
    int failed = srtp_create(&end->ctx, &p.policy) != srtp_err_status_ok;
    CHECK(!failed);
    if (failed) end->ctx = NULL;
    if (!failed && apply_roc) CHECK(mikey_srtp_policy_set_roc(end->ctx, &p) == MIKEY_OK);
    if (!failed && dir == MIKEY_SRTP_INBOUND && end->mki_len && end->rtp_tag_len == 4 &&
        libsrtp_rtcp_mki_bug()) {
        p.policy.key = p.keys[0].key_salt;
        p.policy.keys = NULL;
        p.policy.num_master_keys = 0;
        failed = srtp_create(&end->rtcp_ctx, &p.policy) != srtp_err_status_ok;
        CHECK(!failed);
        if (failed) end->rtcp_ctx = NULL;
        if (!failed && apply_roc) CHECK(mikey_srtp_policy_set_roc(end->rtcp_ctx, &p) == MIKEY_OK);
    }
    mikey_srtp_policy_wipe(&p);
    CHECK(all_zero(&p, sizeof p));
    return failed;
}

static void end_free(end_t *end) {
    if (end->ctx) CHECK(srtp_dealloc(end->ctx) == srtp_err_status_ok);
    if (end->rtcp_ctx) CHECK(srtp_dealloc(end->rtcp_ctx) == srtp_err_status_ok);
    end->ctx = end->rtcp_ctx = NULL;
}

/* 32-bit aligned packet buffers with room for libsrtp's trailer. */
typedef union {
    uint32_t align;
    uint8_t b[RTP_LEN + SRTP_MAX_TRAILER_LEN + 8];
} pkt_buf_t;

static void put32(uint8_t *p, uint32_t v) {
    for (int b = 0; b < 4; b++) p[b] = (uint8_t)(v >> (24 - 8 * b));
}

/* RTP packet `seq` from `tx` to `rx`: returns rx's status; checks the SRTP form and, on
 * success, the plaintext. */
static srtp_err_status_t rtp_send(const end_t *tx, const end_t *rx, uint16_t seq) {
    uint8_t plain[RTP_LEN];
    pkt_buf_t buf;
    plain[0] = 0x80;
    plain[1] = 96;
    plain[2] = (uint8_t)(seq >> 8);
    plain[3] = (uint8_t)seq;
    put32(plain + 4, (uint32_t)seq * 160u);
    put32(plain + 8, tx->ssrc);
    for (size_t i = 0; i < RTP_PAYLOAD; i++) plain[RTP_HDR + i] = (uint8_t)(i * 7u + seq);
    memcpy(buf.b, plain, RTP_LEN);
    int len = RTP_LEN;
    srtp_err_status_t st = tx->mki_len ? srtp_protect_mki(tx->ctx, buf.b, &len, 1, 0)
                                       : srtp_protect(tx->ctx, buf.b, &len);
    CHECK(st == srtp_err_status_ok);
    CHECK(len == RTP_LEN + (int)tx->mki_len + tx->rtp_tag_len);
    CHECK(memcmp(buf.b, plain, RTP_HDR) == 0);
    /* Encrypted, except under a NULL profile. */
    CHECK((memcmp(buf.b + RTP_HDR, plain + RTP_HDR, RTP_PAYLOAD) == 0) ==
          is_null_profile(tx->profile));
    /* The MKI follows the HMAC tag's place or, under an AEAD profile, the tag that ends
     * the ciphertext (RFC 7714 §8). */
    const size_t mki_at = RTP_LEN + (is_aead_profile(tx->profile) ? AEAD_TAG_LEN : 0);
    CHECK(memcmp(buf.b + mki_at, tx->mki, tx->mki_len) == 0);
    st = rx->mki_len ? srtp_unprotect_mki(rx->ctx, buf.b, &len, 1)
                     : srtp_unprotect(rx->ctx, buf.b, &len);
    if (st == srtp_err_status_ok) CHECK(len == RTP_LEN && memcmp(buf.b, plain, RTP_LEN) == 0);
    return st;
}

/* The same for an RTCP SR: SRTCP index (E flag unless NULL), MKI, 80-bit tag; under an
 * AEAD profile the 16-octet tag ends the ciphertext, before the index. */
static srtp_err_status_t rtcp_send(const end_t *tx, const end_t *rx, uint32_t n) {
    uint8_t plain[RTCP_LEN];
    pkt_buf_t buf;
    plain[0] = 0x80;
    plain[1] = 200;
    plain[2] = 0;
    plain[3] = RTCP_LEN / 4 - 1;
    put32(plain + 4, tx->ssrc);
    for (size_t i = 8; i < RTCP_LEN; i++) plain[i] = (uint8_t)(i * 13u + n);
    memcpy(buf.b, plain, RTCP_LEN);
    int len = RTCP_LEN;
    srtp_err_status_t st = tx->mki_len ? srtp_protect_rtcp_mki(tx->ctx, buf.b, &len, 1, 0)
                                       : srtp_protect_rtcp(tx->ctx, buf.b, &len);
    CHECK(st == srtp_err_status_ok);
    const size_t index_at = srtcp_index_at(tx->profile);
    CHECK(len == RTCP_LEN + SRTCP_INDEX_LEN + (int)tx->mki_len + srtcp_tag_len(tx->profile));
    CHECK(memcmp(buf.b, plain, 8) == 0);
    CHECK((memcmp(buf.b + 8, plain + 8, RTCP_LEN - 8) == 0) == is_null_profile(tx->profile));
    CHECK(((buf.b[index_at] & 0x80) == 0) == is_null_profile(tx->profile));
    CHECK(memcmp(buf.b + index_at + SRTCP_INDEX_LEN, tx->mki, tx->mki_len) == 0);
    if (rx->rtcp_ctx) { /* see libsrtp_rtcp_mki_bug */
        size_t mki_at = (size_t)len - SRTCP_TAG_LEN - rx->mki_len;
        if (memcmp(buf.b + mki_at, rx->mki, rx->mki_len) != 0) return srtp_err_status_bad_mki;
        memmove(buf.b + mki_at, buf.b + mki_at + rx->mki_len, SRTCP_TAG_LEN);
        len -= (int)rx->mki_len;
        st = srtp_unprotect_rtcp(rx->rtcp_ctx, buf.b, &len);
    } else {
        st = rx->mki_len ? srtp_unprotect_rtcp_mki(rx->ctx, buf.b, &len, 1)
                         : srtp_unprotect_rtcp(rx->ctx, buf.b, &len);
    }
    if (st == srtp_err_status_ok) CHECK(len == RTCP_LEN && memcmp(buf.b, plain, RTCP_LEN) == 0);
    return st;
}

static const mikey_stream_t STREAM_LIST[STREAMS] = {
    {0x1000aaaau, 5, 0}, /* Initiator -> Responder, ROC 5 */
    {0x2000bbbbu, 2, 0}, /* Responder -> Initiator, ROC 2 */
    {0, 0, 0},           /* Responder -> Initiator, SSRC not chosen */
};

/* Every crypto session of `ex` both ways through the glue; `other`'s keys are refused. */
static void traffic(const exchange_t *ex, const exchange_t *other, size_t mki_len) {
    end_t i_tx, r_rx, r_rx_noroc, r_tx, i_rx, r_any_tx, i_any_rx, o_tx, o_tx_mki;
    int failed = 0;
    failed |= make_end(&i_tx, ex->init, 0, MIKEY_SRTP_OUTBOUND, STREAM_LIST[0].ssrc, 0, 1);
    failed |= make_end(&r_rx, ex->resp, 0, MIKEY_SRTP_INBOUND, STREAM_LIST[0].ssrc, 0, 1);
    failed |= make_end(&r_rx_noroc, ex->resp, 0, MIKEY_SRTP_INBOUND, STREAM_LIST[0].ssrc, 0, 0);
    failed |= make_end(&r_tx, ex->resp, 1, MIKEY_SRTP_OUTBOUND, STREAM_LIST[1].ssrc, 0, 1);
    failed |= make_end(&i_rx, ex->init, 1, MIKEY_SRTP_INBOUND, STREAM_LIST[1].ssrc, 0, 1);
    failed |= make_end(&r_any_tx, ex->resp, 2, MIKEY_SRTP_OUTBOUND, WILDCARD_SSRC, 0, 1);
    failed |= make_end(&i_any_rx, ex->init, 2, MIKEY_SRTP_INBOUND, WILDCARD_SSRC, 0, 1);
    /* The other exchange's key for CS 1 (its MKI equals ours: MKIs count up per config). */
    failed |= make_end(&o_tx, other->init, 0, MIKEY_SRTP_OUTBOUND, STREAM_LIST[0].ssrc, 0, 1);
    failed |= make_end(&o_tx_mki, other->init, 0, MIKEY_SRTP_OUTBOUND, STREAM_LIST[0].ssrc, 1, 1);
    CHECK(i_tx.mki_len == mki_len && r_rx.mki_len == mki_len);
    if (!failed) {
        /* Wrong key first (SRTCP checks replay before the tag). */
        CHECK(rtp_send(&o_tx, &r_rx, 999) == srtp_err_status_auth_fail);
        CHECK(rtcp_send(&o_tx, &r_rx, 9) == srtp_err_status_auth_fail);
        if (mki_len) {
            CHECK(rtp_send(&o_tx_mki, &r_rx, 998) == srtp_err_status_bad_mki);
            CHECK(rtcp_send(&o_tx_mki, &r_rx, 8) == srtp_err_status_bad_mki);
        }
        /* CS 1 at ROC 5: a receiver without the ROC refuses, the glue's receiver opens. */
        CHECK(rtp_send(&i_tx, &r_rx_noroc, 1000) == srtp_err_status_auth_fail);
        for (uint16_t seq = 1001; seq < 1004; seq++) {
            CHECK(rtp_send(&i_tx, &r_rx, seq) == srtp_err_status_ok);
            CHECK(rtp_send(&r_tx, &i_rx, (uint16_t)(seq + 7000)) == srtp_err_status_ok);
            CHECK(rtp_send(&r_any_tx, &i_any_rx, (uint16_t)(seq + 20000)) == srtp_err_status_ok);
        }
        uint32_t roc = 0;
        CHECK(srtp_get_stream_roc(i_tx.ctx, STREAM_LIST[0].ssrc, &roc) == srtp_err_status_ok);
        CHECK(roc == 5);
        roc = 0;
        CHECK(srtp_get_stream_roc(r_rx.ctx, STREAM_LIST[0].ssrc, &roc) == srtp_err_status_ok);
        CHECK(roc == 5);
        roc = 0;
        CHECK(srtp_get_stream_roc(i_rx.ctx, STREAM_LIST[1].ssrc, &roc) == srtp_err_status_ok);
        CHECK(roc == 2);
        for (uint32_t n = 0; n < 2; n++) {
            CHECK(rtcp_send(&i_tx, &r_rx, n) == srtp_err_status_ok);
            CHECK(rtcp_send(&r_tx, &i_rx, n) == srtp_err_status_ok);
            CHECK(rtcp_send(&r_any_tx, &i_any_rx, n) == srtp_err_status_ok);
        }
        /* Wrong key again, after genuine traffic. */
        CHECK(rtp_send(&o_tx, &r_rx, 1010) == srtp_err_status_auth_fail);
    }
    end_free(&i_tx);
    end_free(&r_rx);
    end_free(&r_rx_noroc);
    end_free(&r_tx);
    end_free(&i_rx);
    end_free(&r_any_tx);
    end_free(&i_any_rx);
    end_free(&o_tx);
    end_free(&o_tx_mki);
}

/* The refusals: each leaves the output as it was. */
static void refusals(void) {
    mikey_srtp_policy_t p, before;
    srtp_crypto_policy_t rtp, rtcp, rtp0, rtcp0;
    memset(&p, 0xa5, sizeof p);
    memcpy(&before, &p, sizeof p);
    memset(&rtp, 0x5a, sizeof rtp);
    memset(&rtcp, 0x5a, sizeof rtcp);
    memcpy(&rtp0, &rtp, sizeof rtp);
    memcpy(&rtcp0, &rtcp, sizeof rtcp);

    /* Profiles the glue does not map. */
    const mikey_srtp_profile_t unknown[] = {0, 3, 4, 9, 256, 259, 0x10001u, 0xffffffffu};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
        CHECK(mikey_srtp_crypto_policies(unknown[i], &rtp, &rtcp) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_srtp_crypto_policies(MIKEY_SRTP_AES128_CM_SHA1_80, NULL, &rtcp) ==
          MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_srtp_crypto_policies(MIKEY_SRTP_AES128_CM_SHA1_80, &rtp, NULL) ==
          MIKEY_ERR_NULL_POINTER);
    CHECK(memcmp(&rtp, &rtp0, sizeof rtp) == 0 && memcmp(&rtcp, &rtcp0, sizeof rtcp) == 0);
    /* The _32 profiles: 32-bit SRTP tag, 80-bit SRTCP tag; AES-256 keys 32 + 14. */
    CHECK(mikey_srtp_crypto_policies(MIKEY_SRTP_AES256_CM_SHA1_32, &rtp, &rtcp) == MIKEY_OK);
    CHECK(rtp.auth_tag_len == 4 && rtcp.auth_tag_len == 10 && rtp.cipher_key_len == 46);
    CHECK(mikey_srtp_crypto_policies(MIKEY_SRTP_NULL_SHA1_32, &rtp, &rtcp) == MIKEY_OK);
    CHECK(rtp.auth_tag_len == 4 && rtcp.auth_tag_len == 10 && rtp.sec_serv == sec_serv_auth);
    /* The AEAD profiles: 16-octet tags for SRTP and SRTCP, keys 16 or 32 + a 12-byte salt
     * (RFC 7714 §14.2). */
    CHECK(mikey_srtp_crypto_policies(MIKEY_SRTP_AEAD_AES_128_GCM, &rtp, &rtcp) == MIKEY_OK);
    CHECK(rtp.auth_tag_len == 16 && rtcp.auth_tag_len == 16 && rtp.cipher_key_len == 28);
    CHECK(mikey_srtp_crypto_policies(MIKEY_SRTP_AEAD_AES_256_GCM, &rtp, &rtcp) == MIKEY_OK);
    CHECK(rtp.auth_tag_len == 16 && rtcp.auth_tag_len == 16 && rtp.cipher_key_len == 44);
    CHECK(rtp.sec_serv == sec_serv_conf_and_auth && rtcp.sec_serv == sec_serv_conf_and_auth);

    /* Arguments. */
    mikey_config_t *c = config(MIKEY_SRTP_AES128_CM_SHA1_80, 0);
    mikey_session_t *idle = NULL;
    CHECK(mikey_session_new(c, MIKEY_ROLE_INITIATOR, &idle) == MIKEY_OK);
    mikey_config_free(c);
    CHECK(mikey_srtp_policy(idle, 0, MIKEY_SRTP_OUTBOUND, 0, &p) == MIKEY_ERR_WRONG_STATE);
    mikey_session_free(idle);

    const mikey_stream_t streams[2] = {{0x44444444u, 1, 0}, {0, 7, 0}};
    exchange_t ex;
    exchange(&ex, MIKEY_SRTP_AES128_CM_SHA1_80, 0, streams, 2);
    CHECK(mikey_srtp_policy(NULL, 0, MIKEY_SRTP_OUTBOUND, 0, &p) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_srtp_policy(ex.init, 0, MIKEY_SRTP_OUTBOUND, 0, NULL) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_srtp_policy(ex.init, 0, 0, 0, &p) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_srtp_policy(ex.init, 0, 3, 0, &p) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_srtp_policy(ex.init, 0, MIKEY_SRTP_INBOUND, 2, &p) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_srtp_policy(ex.init, 2, MIKEY_SRTP_INBOUND, 0, &p) ==
          MIKEY_ERR_INDEX_OUT_OF_RANGE);
    /* SSRC 0 with ROC 7: a wildcard libsrtp stream starts at ROC 0. */
    CHECK(mikey_srtp_policy(ex.resp, 1, MIKEY_SRTP_INBOUND, 0, &p) ==
          MIKEY_ERR_UNSUPPORTED_POLICY);
    CHECK(mikey_srtp_policy(ex.init, 1, MIKEY_SRTP_OUTBOUND,
                            MIKEY_SRTP_CALLER_ENFORCES_INTERVAL, &p) ==
          MIKEY_ERR_UNSUPPORTED_POLICY);
    CHECK(memcmp(&p, &before, sizeof p) == 0);

    /* The ROC goes only to a session holding the stream. */
    CHECK(mikey_srtp_policy(ex.init, 0, MIKEY_SRTP_OUTBOUND, MIKEY_SRTP_CALLER_ENFORCES_INTERVAL,
                            &p) == MIKEY_OK);
    CHECK(p.roc == 1 && p.ssrc == 0x44444444u);
    srtp_t s = NULL, empty = NULL;
    srtp_policy_t other = p.policy;
    other.ssrc.value = 0x55555555u;
    CHECK(srtp_create(&empty, &other) == srtp_err_status_ok);
    CHECK(srtp_create(&s, &p.policy) == srtp_err_status_ok);
    CHECK(mikey_srtp_policy_set_roc(empty, &p) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_srtp_policy_set_roc(NULL, &p) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_srtp_policy_set_roc(s, NULL) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_srtp_policy_set_roc(s, &p) == MIKEY_OK); /* traffic() checks its effect */
    mikey_srtp_policy_wipe(&p);
    CHECK(all_zero(&p, sizeof p));
    mikey_srtp_policy_wipe(NULL);
    if (s) CHECK(srtp_dealloc(s) == srtp_err_status_ok);
    if (empty) CHECK(srtp_dealloc(empty) == srtp_err_status_ok);
    exchange_free(&ex);
}

static mikey_config_t *null_config(void) {
    mikey_config_builder_t *b = NULL;
    mikey_config_t *c = NULL;
    CHECK(mikey_config_builder_new(MIKEY_MODE_NULL, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_build(b, &c) == MIKEY_OK);
    return c;
}

/* Offset of the KEMAC payload of a NULL-mode I_MESSAGE, checked to be KEMAC with NULL
 * encryption and NULL MAC: next, encr alg, encr data len (2), encr data, MAC alg. */
static size_t null_kemac(const uint8_t *msg, size_t len) {
    mikey_message_t *m = NULL;
    mikey_payload_info_t kemac;
    size_t count = 0, err = 0;
    memset(&kemac, 0, sizeof kemac);
    CHECK(mikey_message_parse(msg, len, &m, &err) == MIKEY_OK);
    CHECK(mikey_message_payload_count(m, &count) == MIKEY_OK);
    for (size_t i = 0; i < count; i++) {
        mikey_payload_info_t info;
        CHECK(mikey_message_payload_info(m, i, &info) == MIKEY_OK);
        if (info.payload_type == MIKEY_PAYLOAD_KEMAC) kemac = info;
    }
    mikey_message_free(m);
    size_t k = kemac.offset, elen = (size_t)msg[k + 2] << 8 | msg[k + 3];
    CHECK(kemac.payload_type == MIKEY_PAYLOAD_KEMAC && msg[k + 1] == MIKEY_ENCR_NULL);
    CHECK(kemac.len == 4 + elen + 1 && msg[k + 4 + elen] == MIKEY_MAC_NULL);
    return k;
}

/* Several keys in one crypto session (RFC 3830 §6.13: one Key data sub-payload each): a
 * NULL-mode I_MESSAGE whose one Key data is followed by a copy with another key and an MKI
 * `mki_delta` bytes longer (0: the same length) and last byte flipped. */
static mikey_session_t *two_key_responder(size_t mki_len, int mki_delta) {
    mikey_config_builder_t *b = NULL;
    mikey_config_t *ci = NULL, *cr = null_config();
    mikey_session_t *init = NULL, *resp = NULL;
    CHECK(mikey_config_builder_new(MIKEY_MODE_NULL, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_set_mki_len(b, mki_len) == MIKEY_OK);
    CHECK(mikey_config_builder_build(b, &ci) == MIKEY_OK);
    CHECK(mikey_session_new(ci, MIKEY_ROLE_INITIATOR, &init) == MIKEY_OK);
    CHECK(mikey_session_new(cr, MIKEY_ROLE_RESPONDER, &resp) == MIKEY_OK);
    mikey_config_free(ci);
    mikey_config_free(cr);
    const mikey_stream_t stream = {0x77777777u, 0, 0};
    uint8_t msg[2048], kd[256];
    size_t len = 0, reply_len = 1;
    CHECK(mikey_session_initiate(init, &stream, 1, msg, 1024, &len) == MIKEY_OK);
    mikey_session_free(init);
    size_t k = null_kemac(msg, len), elen = (size_t)msg[k + 2] << 8 | msg[k + 3];
    /* Key data: next, type|KV, key len (2), key, [salt len (2), salt], KV data. */
    CHECK(msg[k + 4] == 0 && elen <= sizeof kd); /* the last sub-payload */
    memcpy(kd, msg + k + 4, elen);
    kd[4] ^= 0x01; /* another key */
    size_t kdlen = elen;
    if (mki_len) {
        CHECK((kd[1] & 0x0f) == MIKEY_KV_SPI && kd[elen - mki_len - 1] == mki_len);
        kd[elen - 1] ^= 0x01; /* another MKI */
        if (mki_delta < 0) {
            kd[elen - mki_len - 1] = (uint8_t)(mki_len - 1);
            kdlen--;
        }
    }
    msg[k + 4] = MIKEY_PAYLOAD_KEY_DATA; /* another Key data follows */
    size_t end = k + 4 + elen;
    memmove(msg + end + kdlen, msg + end, len - end);
    memcpy(msg + end, kd, kdlen);
    len += kdlen;
    elen += kdlen;
    msg[k + 2] = (uint8_t)(elen >> 8);
    msg[k + 3] = (uint8_t)elen;
    CHECK(mikey_session_process(resp, msg, len, NULL, 0, &reply_len) == MIKEY_OK);
    mikey_crypto_session_info_t info;
    CHECK(mikey_session_crypto_session(resp, 0, &info) == MIKEY_OK && info.key_count == 2);
    return resp;
}

/* Two keys: without MKIs libsrtp could not tell them apart, MKIs of two lengths it cannot
 * read; with equal-length MKIs both go to libsrtp, and a packet under either key opens. */
static void two_keys(void) {
    mikey_srtp_policy_t p, before;
    memset(&p, 0x6b, sizeof p);
    memcpy(&before, &p, sizeof p);
    mikey_session_t *s = two_key_responder(0, 0);
    CHECK(mikey_srtp_policy(s, 0, MIKEY_SRTP_INBOUND, 0, &p) == MIKEY_ERR_UNSUPPORTED_POLICY);
    mikey_session_free(s);
    s = two_key_responder(4, -1);
    CHECK(mikey_srtp_policy(s, 0, MIKEY_SRTP_INBOUND, 0, &p) == MIKEY_ERR_UNSUPPORTED_POLICY);
    mikey_session_free(s);
    CHECK(memcmp(&p, &before, sizeof p) == 0);

    s = two_key_responder(4, 0);
    end_t tx, rx;
    memset(&tx, 0, sizeof tx);
    memset(&rx, 0, sizeof rx);
    tx.ssrc = rx.ssrc = 0x77777777u;
    CHECK(mikey_srtp_policy(s, 0, MIKEY_SRTP_OUTBOUND, 0, &p) == MIKEY_OK);
    CHECK(p.key_count == 2 && p.policy.num_master_keys == 2 && p.policy.key == NULL);
    CHECK(p.policy.keys[1]->key == p.keys[1].key_salt && p.policy.keys[1]->mki_size == 4);
    CHECK(memcmp(p.keys[0].key_salt, p.keys[1].key_salt, p.keys[0].key_salt_len) != 0);
    CHECK(memcmp(p.keys[0].mki, p.keys[1].mki, 4) != 0);
    tx.profile = rx.profile = p.profile;
    tx.mki_len = rx.mki_len = 4;
    tx.rtp_tag_len = rx.rtp_tag_len = p.policy.rtp.auth_tag_len;
    memcpy(tx.mki, p.keys[1].mki, 4);
    CHECK(srtp_create(&tx.ctx, &p.policy) == srtp_err_status_ok);
    CHECK(mikey_srtp_policy(s, 0, MIKEY_SRTP_INBOUND, 0, &p) == MIKEY_OK);
    CHECK(srtp_create(&rx.ctx, &p.policy) == srtp_err_status_ok);
    mikey_srtp_policy_wipe(&p);
    if (tx.ctx && rx.ctx) {
        /* Key 0, then key 1 (srtp_protect_mki's mki_index): each packet carries its
         * key's MKI, and the receiver finds the key by it. */
        pkt_buf_t buf;
        uint8_t plain[RTP_LEN];
        memset(plain, 0x42, sizeof plain);
        plain[0] = 0x80;
        plain[1] = 96;
        put32(plain + 8, tx.ssrc);
        for (uint32_t idx = 0; idx < 2; idx++) {
            memcpy(buf.b, plain, RTP_LEN);
            buf.b[3] = (uint8_t)idx;
            uint8_t sent[RTP_LEN];
            memcpy(sent, buf.b, RTP_LEN);
            int len = RTP_LEN;
            CHECK(srtp_protect_mki(tx.ctx, buf.b, &len, 1, idx) == srtp_err_status_ok);
            CHECK(len == RTP_LEN + 4 + tx.rtp_tag_len);
            if (idx == 1) CHECK(memcmp(buf.b + RTP_LEN, tx.mki, 4) == 0);
            if (idx == 0) CHECK(memcmp(buf.b + RTP_LEN, tx.mki, 4) != 0);
            CHECK(srtp_unprotect_mki(rx.ctx, buf.b, &len, 1) == srtp_err_status_ok);
            CHECK(len == RTP_LEN && memcmp(buf.b, sent, RTP_LEN) == 0);
        }
    }
    end_free(&tx);
    end_free(&rx);
    mikey_session_free(s);
}

/* A key with a KV Interval (RFC 3830 §6.14): a NULL-mode I_MESSAGE (no MAC, KEMAC in the
 * clear) whose Key data gets the interval 7..=2^48-1. libsrtp cannot keep a key to an
 * interval, so the glue refuses it unless the caller says it enforces the interval. */
static void interval_key(void) {
    mikey_config_t *ci = null_config(), *cr = null_config();
    mikey_session_t *init = NULL, *resp = NULL;
    CHECK(mikey_session_new(ci, MIKEY_ROLE_INITIATOR, &init) == MIKEY_OK);
    CHECK(mikey_session_new(cr, MIKEY_ROLE_RESPONDER, &resp) == MIKEY_OK);
    mikey_config_free(ci);
    mikey_config_free(cr);
    const mikey_stream_t stream = {0x66666666u, 3, 0};
    static const uint8_t kv[14] = {6, 0, 0, 0, 0, 0, 7, 6, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    uint8_t msg[2048];
    size_t len = 0, reply_len = 1;
    CHECK(mikey_session_initiate(init, &stream, 1, msg, sizeof msg - sizeof kv, &len) == MIKEY_OK);
    size_t k = null_kemac(msg, len), elen = (size_t)msg[k + 2] << 8 | msg[k + 3];
    CHECK((msg[k + 5] & 0x0f) == MIKEY_KV_NULL);
    size_t end = k + 4 + elen;
    memmove(msg + end + sizeof kv, msg + end, len - end);
    memcpy(msg + end, kv, sizeof kv);
    len += sizeof kv;
    elen += sizeof kv;
    msg[k + 2] = (uint8_t)(elen >> 8);
    msg[k + 3] = (uint8_t)elen;
    msg[k + 5] = (uint8_t)((msg[k + 5] & 0xf0) | MIKEY_KV_INTERVAL);
    CHECK(mikey_session_process(resp, msg, len, NULL, 0, &reply_len) == MIKEY_OK);
    CHECK(reply_len == 0);

    mikey_srtp_key_t key;
    CHECK(mikey_session_srtp_key(resp, 0, 0, &key) == MIKEY_OK);
    CHECK(key.lifetime == MIKEY_LIFETIME_INTERVAL && key.valid_from == 7);
    CHECK(key.valid_to == (UINT64_C(1) << 48) - 1);
    memset(&key, 0, sizeof key);
    mikey_srtp_policy_t p, before;
    memset(&p, 0x3c, sizeof p);
    memcpy(&before, &p, sizeof p);
    CHECK(mikey_srtp_policy(resp, 0, MIKEY_SRTP_INBOUND, 0, &p) == MIKEY_ERR_UNSUPPORTED_POLICY);
    CHECK(memcmp(&p, &before, sizeof p) == 0);
    CHECK(mikey_srtp_policy(resp, 0, MIKEY_SRTP_INBOUND, MIKEY_SRTP_CALLER_ENFORCES_INTERVAL,
                            &p) == MIKEY_OK);
    CHECK(p.key_count == 1 && p.keys[0].lifetime == MIKEY_LIFETIME_INTERVAL);
    CHECK(p.keys[0].valid_from == 7 && p.keys[0].valid_to == (UINT64_C(1) << 48) - 1);
    CHECK(p.roc == 3 && p.ssrc == 0x66666666u && p.policy.ssrc.type == ssrc_specific);
    srtp_t s = NULL;
    CHECK(srtp_create(&s, &p.policy) == srtp_err_status_ok);
    CHECK(mikey_srtp_policy_set_roc(s, &p) == MIKEY_OK);
    mikey_srtp_policy_wipe(&p);
    if (s) CHECK(srtp_dealloc(s) == srtp_err_status_ok);
    mikey_session_free(init);
    mikey_session_free(resp);
}

int main(void) {
    CHECK(srtp_init() == srtp_err_status_ok);
    int combos = 0;
    for (size_t pi = 0; pi < N_PROFILES; pi++) {
        for (size_t mki_len = 0; mki_len <= 4; mki_len += 4) {
            exchange_t ex, other;
            exchange(&ex, PROFILES[pi], mki_len, STREAM_LIST, STREAMS);
            exchange(&other, PROFILES[pi], mki_len, STREAM_LIST, STREAMS);
            traffic(&ex, &other, mki_len);
            exchange_free(&ex);
            exchange_free(&other);
            combos++;
        }
    }
    CHECK(combos == 2 * N_PROFILES);
    refusals();
    interval_key();
    two_keys();
    CHECK(srtp_shutdown() == srtp_err_status_ok);
    return check_report("test_srtp_glue");
}
