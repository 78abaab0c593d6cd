/* The exported keys drive libsrtp2: for AES_CM_128_HMAC_SHA1_80 and _32, 1 and 3 crypto
 * sessions, without and with a 4-byte MKI, a PSK exchange (I_MESSAGE and verification
 * message) between an Initiator and a Responder session; each side's keys go into libsrtp2,
 * and RTP and RTCP are protected and unprotected in both directions (Initiator -> Responder
 * on the crypto session's SSRC and ROC, Responder -> Initiator on another SSRC with the same
 * key). Checks: the plaintext comes back, the packet grew by tag (+ MKI), the payload was
 * encrypted, the tag length is the crypto session's tag_len, and a packet protected with a
 * second exchange's key is refused (srtp_err_status_auth_fail; bad_mki for a foreign MKI).
 * A receiver without the exported ROC cannot open a ROC 3 stream. */
#include "check.h"

#include <mikey.h>
#include <srtp2/srtp.h>
#include <stdint.h>
#include <string.h>

static const uint8_t PSK[] = "srtp-test-psk-0123456789";

#define RTP_HDR 12
#define RTP_PAYLOAD 160
#define RTP_LEN (RTP_HDR + RTP_PAYLOAD)
#define RTCP_LEN 28 /* SR without report blocks */
#define SRTCP_INDEX_LEN 4
/* libsrtp2 protects SRTCP with an 80-bit tag for both AES-CM-128 profiles (RFC 4568 §6.2.2:
 * the _32 profile shortens the SRTP tag only). */
#define SRTCP_TAG_LEN 10
#define REVERSE_SSRC_BIT 0x80000000u
#define MAX_STREAMS 3

/* libsrtp2 before 2.7.0 looks for the MKI of an SRTCP packet one *SRTP* tag length before
 * its end (srtp_get_session_keys uses rtp_auth's tag length; fixed by cisco/libsrtp#733),
 * so with AES_CM_128_HMAC_SHA1_32 (4-byte SRTP tag, 10-byte SRTCP tag) and an MKI,
 * srtp_unprotect_rtcp_mki fails with bad_mki. Such receivers get a second, MKI-less
 * context for SRTCP, and the MKI (which SRTCP does not authenticate, RFC 3711 §3.4) is
 * checked here and cut out before srtp_unprotect_rtcp. */
static int libsrtp_rtcp_mki_bug(void) { return srtp_get_version() < 0x02070000u; }

/* A PSK exchange: both sessions ESTABLISHED, configs released. */
typedef struct {
    mikey_session_t *init;
    mikey_session_t *resp;
    size_t count;
} exchange_t;

static mikey_config_t *config(uint32_t profile, size_t mki_len) {
    mikey_config_builder_t *b = NULL;
    mikey_config_t *c = NULL;
    CHECK(mikey_config_builder_new(MIKEY_MODE_PSK, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_set_psk(b, PSK, sizeof PSK - 1) == MIKEY_OK);
    CHECK(mikey_config_builder_set_offer(b, &profile, 1) == MIKEY_OK);
    CHECK(mikey_config_builder_set_mki_len(b, mki_len) == MIKEY_OK);
    CHECK(mikey_config_builder_build(b, &c) == MIKEY_OK);
    CHECK(c != NULL);
    return c;
}

static void exchange(exchange_t *ex, uint32_t profile, size_t count, size_t mki_len,
                     uint32_t ssrc_base) {
    mikey_config_t *ci = config(profile, mki_len);
    mikey_config_t *cr = config(profile, mki_len);
    ex->init = ex->resp = NULL;
    ex->count = count;
    CHECK(mikey_session_new(ci, MIKEY_ROLE_INITIATOR, &ex->init) == MIKEY_OK);
    CHECK(mikey_session_new(cr, MIKEY_ROLE_RESPONDER, &ex->resp) == MIKEY_OK);
    mikey_config_free(ci);
    mikey_config_free(cr);

    mikey_stream_t streams[MAX_STREAMS];
    for (size_t i = 0; i < count; i++) {
        streams[i].ssrc = ssrc_base + (uint32_t)i * 0x111u;
        streams[i].roc = (uint32_t)i * 3u; /* 0, 3, 6: the ROC must reach libsrtp too */
        streams[i].policy_no = 0;
    }
    uint8_t imsg[2048], vmsg[2048];
    size_t ilen = 0, vlen = 0, none = 1;
    CHECK(mikey_session_initiate(ex->init, streams, count, imsg, sizeof imsg, &ilen) == MIKEY_OK);
    CHECK(ilen > 0);
    CHECK(mikey_session_process(ex->resp, imsg, ilen, vmsg, sizeof vmsg, &vlen) == MIKEY_OK);
    CHECK(vlen > 0); /* the verification message */
    CHECK(mikey_session_process(ex->init, vmsg, vlen, NULL, 0, &none) == MIKEY_OK);
    CHECK(none == 0);
    uint32_t si = 99, sr = 99;
    CHECK(mikey_session_state(ex->init, &si) == MIKEY_OK && si == MIKEY_STATE_ESTABLISHED);
    CHECK(mikey_session_state(ex->resp, &sr) == MIKEY_OK && sr == MIKEY_STATE_ESTABLISHED);

    size_t ni = 0, nr = 0;
    CHECK(mikey_session_crypto_session_count(ex->init, &ni) == MIKEY_OK && ni == count);
    CHECK(mikey_session_crypto_session_count(ex->resp, &nr) == MIKEY_OK && nr == count);
    for (size_t i = 0; i < count; i++) {
        mikey_crypto_session_info_t a, r;
        CHECK(mikey_session_crypto_session(ex->init, i, &a) == MIKEY_OK);
        CHECK(mikey_session_crypto_session(ex->resp, i, &r) == MIKEY_OK);
        CHECK(a.cs_id == i + 1 && r.cs_id == i + 1);
        CHECK(a.ssrc == streams[i].ssrc && r.ssrc == streams[i].ssrc);
        CHECK(a.roc == streams[i].roc && r.roc == streams[i].roc);
        CHECK(a.profile == profile && r.profile == profile);
        CHECK(a.tag_len == (profile == MIKEY_SRTP_AES128_CM_SHA1_80 ? 10u : 4u));
        CHECK(r.tag_len == a.tag_len && a.key_count == 1 && r.key_count == 1);
    }
}

static void exchange_free(exchange_t *ex) {
    mikey_session_free(ex->init);
    mikey_session_free(ex->resp);
    ex->init = ex->resp = NULL;
}

/* One direction of one crypto session in libsrtp: the key (and MKI) given, its SSRC. */
typedef struct {
    srtp_t ctx;
    srtp_t rtcp_ctx; /* receivers hit by libsrtp_rtcp_mki_bug: the same key without MKI */
    uint32_t ssrc;
    size_t mki_len;
    uint8_t mki[MIKEY_MAX_MKI_LEN];
    uint32_t tag_len;
} srtp_end_t;

/* Creates `end` from key `k` for `ssrc` (any inbound SSRC when `any` is 1), with `roc`
 * set on the stream when it is a specific one. `mki` overrides the MKI sent/expected (NULL: k's own). Returns 0 on success. */
static int srtp_end(srtp_end_t *end, const mikey_crypto_session_info_t *info,
                    const mikey_srtp_key_t *k, const uint8_t *mki, int any,
                    uint32_t ssrc, uint32_t roc) {
    srtp_policy_t p;
    memset(&p, 0, sizeof p);
    memset(end, 0, sizeof *end);
    end->ssrc = ssrc;
    end->mki_len = k->mki_len;
    memcpy(end->mki, mki ? mki : k->mki, k->mki_len);

    srtp_profile_t profile = (srtp_profile_t)info->profile;
    CHECK(srtp_crypto_policy_set_from_profile_for_rtp(&p.rtp, profile) == srtp_err_status_ok);
    CHECK(srtp_crypto_policy_set_from_profile_for_rtcp(&p.rtcp, profile) == srtp_err_status_ok);
    /* The profile's tag and key sizes in libsrtp are the ones MIKEY exported. */
    CHECK(p.rtp.auth_tag_len == (int)info->tag_len);
    CHECK(p.rtcp.auth_tag_len == SRTCP_TAG_LEN);
    CHECK(k->master_key_len == srtp_profile_get_master_key_length(profile));
    CHECK(k->key_salt_len ==
          srtp_profile_get_master_key_length(profile) + srtp_profile_get_master_salt_length(profile));
    end->tag_len = (uint32_t)p.rtp.auth_tag_len;

    p.ssrc.type = any ? ssrc_any_inbound : ssrc_specific;
    p.ssrc.value = ssrc;
    p.window_size = 128;
    uint8_t key[MIKEY_MAX_KEY_SALT_LEN];
    memcpy(key, k->key_salt, sizeof key);
    srtp_master_key_t mk = {key, end->mki, (unsigned)end->mki_len};
    srtp_master_key_t *keys[1] = {&mk};
    if (k->mki_len) {
        p.keys = keys;
        p.num_master_keys = 1;
    } else {
        p.key = key;
    }
    p.next = NULL;
    srtp_err_status_t st = srtp_create(&end->ctx, &p);
    memset(key, 0, sizeof key);
    CHECK(st == srtp_err_status_ok);
    if (st != srtp_err_status_ok) {
        end->ctx = NULL;
        return 1;
    }
    if (!any) CHECK(srtp_set_stream_roc(end->ctx, ssrc, roc) == srtp_err_status_ok);
    if (k->mki_len && end->tag_len != SRTCP_TAG_LEN && libsrtp_rtcp_mki_bug()) {
        memcpy(key, k->key_salt, sizeof key);
        p.key = key;
        p.keys = NULL;
        p.num_master_keys = 0;
        st = srtp_create(&end->rtcp_ctx, &p);
        memset(key, 0, sizeof key);
        CHECK(st == srtp_err_status_ok);
        if (st != srtp_err_status_ok) end->rtcp_ctx = NULL;
    }
    return 0;
}

static void srtp_end_free(srtp_end_t *end) {
    if (end->ctx) CHECK(srtp_dealloc(end->ctx) == srtp_err_status_ok);
    if (end->rtcp_ctx) CHECK(srtp_dealloc(end->rtcp_ctx) == srtp_err_status_ok);
    end->ctx = end->rtcp_ctx = NULL;
}

static void rtp_plain(uint8_t *pkt, uint32_t ssrc, uint16_t seq) {
    pkt[0] = 0x80;
    pkt[1] = 96;
    pkt[2] = (uint8_t)(seq >> 8);
    pkt[3] = (uint8_t)seq;
    uint32_t ts = (uint32_t)seq * 160u;
    for (int b = 0; b < 4; b++) {
        pkt[4 + b] = (uint8_t)(ts >> (24 - 8 * b));
        pkt[8 + b] = (uint8_t)(ssrc >> (24 - 8 * b));
    }
    for (size_t i = 0; i < RTP_PAYLOAD; i++) pkt[RTP_HDR + i] = (uint8_t)(i * 7u + seq);
}

static void rtcp_plain(uint8_t *pkt, uint32_t ssrc, uint32_t count) {
    pkt[0] = 0x80;
    pkt[1] = 200; /* SR */
    pkt[2] = 0;
    pkt[3] = RTCP_LEN / 4 - 1;
    for (int b = 0; b < 4; b++) pkt[4 + b] = (uint8_t)(ssrc >> (24 - 8 * b));
    for (size_t i = 8; i < RTCP_LEN; i++) pkt[i] = (uint8_t)(i * 13u + count);
}

static srtp_err_status_t protect(const srtp_end_t *tx, uint8_t *pkt, int *len) {
    return tx->mki_len ? srtp_protect_mki(tx->ctx, pkt, len, 1, 0) : srtp_protect(tx->ctx, pkt, len);
}

static srtp_err_status_t unprotect(const srtp_end_t *rx, uint8_t *pkt, int *len) {
    return rx->mki_len ? srtp_unprotect_mki(rx->ctx, pkt, len, 1) : srtp_unprotect(rx->ctx, pkt, len);
}

static srtp_err_status_t protect_rtcp(const srtp_end_t *tx, uint8_t *pkt, int *len) {
    return tx->mki_len ? srtp_protect_rtcp_mki(tx->ctx, pkt, len, 1, 0)
                       : srtp_protect_rtcp(tx->ctx, pkt, len);
}

static srtp_err_status_t unprotect_rtcp(const srtp_end_t *rx, uint8_t *pkt, int *len) {
    if (rx->rtcp_ctx) { /* see libsrtp_rtcp_mki_bug */
        size_t mki_at = (size_t)*len - SRTCP_TAG_LEN - rx->mki_len;
        if (*len < (int)(8 + SRTCP_INDEX_LEN + SRTCP_TAG_LEN + rx->mki_len) ||
            memcmp(pkt + mki_at, rx->mki, rx->mki_len) != 0)
            return srtp_err_status_bad_mki;
        memmove(pkt + mki_at, pkt + mki_at + rx->mki_len, SRTCP_TAG_LEN);
        *len -= (int)rx->mki_len;
        return srtp_unprotect_rtcp(rx->rtcp_ctx, pkt, len);
    }
    return rx->mki_len ? srtp_unprotect_rtcp_mki(rx->ctx, pkt, len, 1)
                       : srtp_unprotect_rtcp(rx->ctx, pkt, len);
}

/* 32-bit aligned packet buffers with room for libsrtp's trailer. */
typedef union {
    uint32_t align;
    uint8_t b[RTP_LEN + SRTP_MAX_TRAILER_LEN + 8];
} pkt_buf_t;

/* Protects RTP packet `seq` with `tx`; checks the SRTP form; unprotects with `rx` and
 * returns its status (the plaintext is checked when it is srtp_err_status_ok). */
static srtp_err_status_t rtp_send(const srtp_end_t *tx, const srtp_end_t *rx, uint16_t seq) {
    uint8_t plain[RTP_LEN];
    pkt_buf_t buf;
    rtp_plain(plain, tx->ssrc, seq);
    memcpy(buf.b, plain, RTP_LEN);
    int len = RTP_LEN;
    CHECK(protect(tx, buf.b, &len) == srtp_err_status_ok);
    CHECK(len == (int)(RTP_LEN + tx->mki_len + tx->tag_len));
    CHECK(memcmp(buf.b, plain, RTP_HDR) == 0);                          /* header in clear */
    CHECK(memcmp(buf.b + RTP_HDR, plain + RTP_HDR, RTP_PAYLOAD) != 0); /* payload encrypted */
    if (len > RTP_LEN) CHECK(memcmp(buf.b + RTP_LEN, tx->mki, tx->mki_len) == 0); /* MKI, then tag */
    srtp_err_status_t st = unprotect(rx, buf.b, &len);
    if (st == srtp_err_status_ok) CHECK(len == RTP_LEN && memcmp(buf.b, plain, RTP_LEN) == 0);
    return st;
}

/* The same for an RTCP SR: E flag + SRTCP index, MKI, 80-bit tag. */
static srtp_err_status_t rtcp_send(const srtp_end_t *tx, const srtp_end_t *rx, uint32_t count) {
    uint8_t plain[RTCP_LEN];
    pkt_buf_t buf;
    rtcp_plain(plain, tx->ssrc, count);
    memcpy(buf.b, plain, RTCP_LEN);
    int len = RTCP_LEN;
    CHECK(protect_rtcp(tx, buf.b, &len) == srtp_err_status_ok);
    CHECK(len == (int)(RTCP_LEN + SRTCP_INDEX_LEN + tx->mki_len + SRTCP_TAG_LEN));
    CHECK(memcmp(buf.b, plain, 8) == 0);                          /* header + SSRC in clear */
    CHECK(memcmp(buf.b + 8, plain + 8, RTCP_LEN - 8) != 0);       /* sender info encrypted */
    CHECK((buf.b[RTCP_LEN] & 0x80) != 0);                          /* E flag */
    if (len > RTCP_LEN)
        CHECK(memcmp(buf.b + RTCP_LEN + SRTCP_INDEX_LEN, tx->mki, tx->mki_len) == 0);
    srtp_err_status_t st = unprotect_rtcp(rx, buf.b, &len);
    if (st == srtp_err_status_ok) CHECK(len == RTCP_LEN && memcmp(buf.b, plain, RTCP_LEN) == 0);
    return st;
}

/* Traffic both ways for crypto session i of `ex`; `other` is a second exchange whose key
 * must not open it. */
static void crypto_session_traffic(const exchange_t *ex, const exchange_t *other, size_t i) {
    mikey_crypto_session_info_t ii, ir, io;
    mikey_srtp_key_t ki, kr, ko;
    CHECK(mikey_session_crypto_session(ex->init, i, &ii) == MIKEY_OK);
    CHECK(mikey_session_crypto_session(ex->resp, i, &ir) == MIKEY_OK);
    CHECK(mikey_session_crypto_session(other->init, i, &io) == MIKEY_OK);
    CHECK(mikey_session_srtp_key(ex->init, i, 0, &ki) == MIKEY_OK);
    CHECK(mikey_session_srtp_key(ex->resp, i, 0, &kr) == MIKEY_OK);
    CHECK(mikey_session_srtp_key(other->init, i, 0, &ko) == MIKEY_OK);
    CHECK(ki.mki_len == kr.mki_len && memcmp(ki.mki, kr.mki, ki.mki_len) == 0);
    CHECK(memcmp(ki.key_salt, ko.key_salt, ki.key_salt_len) != 0);

    uint32_t ssrc = ii.ssrc, back = ii.ssrc ^ REVERSE_SSRC_BIT;
    srtp_end_t i_tx, r_rx, r_tx, i_rx, o_tx, o_tx_mki;
    int failed = 0;
    /* Initiator -> Responder on the crypto session's SSRC and ROC. */
    failed |= srtp_end(&i_tx, &ii, &ki, NULL, 0, ssrc, ii.roc);
    failed |= srtp_end(&r_rx, &ir, &kr, NULL, 0, ssrc, ir.roc);
    /* Responder -> Initiator: same crypto session key, another SSRC, any-inbound receiver. */
    failed |= srtp_end(&r_tx, &ir, &kr, NULL, 0, back, 0);
    failed |= srtp_end(&i_rx, &ii, &ki, NULL, 1, back, 0);
    /* The other exchange's key on the same SSRC, sent with this exchange's MKI. */
    failed |= srtp_end(&o_tx, &io, &ko, ki.mki, 0, ssrc, ii.roc);
    /* ... and with an MKI the receiver does not know (this exchange's, one bit flipped: MKIs
     * count up per config, so both exchanges' first MKIs are equal). */
    uint8_t foreign_mki[sizeof ki.mki];
    memcpy(foreign_mki, ki.mki, sizeof foreign_mki);
    foreign_mki[0] ^= 0x80;
    failed |= srtp_end(&o_tx_mki, &io, &ko, ki.mki_len ? foreign_mki : NULL, 0, ssrc, ii.roc);
    memset(ki.key_salt, 0, sizeof ki.key_salt);
    memset(kr.key_salt, 0, sizeof kr.key_salt);
    memset(ko.key_salt, 0, sizeof ko.key_salt);
    if (!failed) {
        /* Wrong key, before any genuine packet (SRTCP checks replay before the tag, so the
         * foreign SRTCP index 0 must be new): refused, and the genuine stream still flows. */
        CHECK(rtp_send(&o_tx, &r_rx, 999) == srtp_err_status_auth_fail);
        CHECK(rtcp_send(&o_tx, &r_rx, 9) == srtp_err_status_auth_fail);
        CHECK(rtp_send(&o_tx, &i_rx, 998) == srtp_err_status_auth_fail); /* any-inbound too */
        if (ki.mki_len) {
            /* A foreign MKI is not even tried. */
            CHECK(memcmp(o_tx_mki.mki, i_tx.mki, ki.mki_len) != 0);
            CHECK(rtp_send(&o_tx_mki, &r_rx, 997) == srtp_err_status_bad_mki);
            CHECK(rtcp_send(&o_tx_mki, &r_rx, 8) == srtp_err_status_bad_mki);
        }
        for (uint16_t seq = 1000; seq < 1005; seq++) {
            CHECK(rtp_send(&i_tx, &r_rx, seq) == srtp_err_status_ok);
            CHECK(rtp_send(&r_tx, &i_rx, (uint16_t)(seq + 7000)) == srtp_err_status_ok);
        }
        for (uint32_t n = 0; n < 3; n++) {
            CHECK(rtcp_send(&i_tx, &r_rx, n) == srtp_err_status_ok);
            CHECK(rtcp_send(&r_tx, &i_rx, n) == srtp_err_status_ok);
        }
    }
    srtp_end_free(&i_tx);
    srtp_end_free(&r_rx);
    srtp_end_free(&r_tx);
    srtp_end_free(&i_rx);
    srtp_end_free(&o_tx);
    srtp_end_free(&o_tx_mki);
}

/* A receiver that does not know the crypto session's ROC cannot open its packets: the
 * exported ROC matters (stream 1 has ROC 3). */
static void roc_matters(void) {
    exchange_t ex;
    exchange(&ex, MIKEY_SRTP_AES128_CM_SHA1_80, 2, 0, 0x10000000u);
    mikey_crypto_session_info_t info;
    mikey_srtp_key_t k;
    CHECK(mikey_session_crypto_session(ex.init, 1, &info) == MIKEY_OK && info.roc == 3);
    CHECK(mikey_session_srtp_key(ex.init, 1, 0, &k) == MIKEY_OK);
    srtp_end_t tx, rx_roc, rx_zero;
    int failed = srtp_end(&tx, &info, &k, NULL, 0, info.ssrc, info.roc);
    failed |= srtp_end(&rx_roc, &info, &k, NULL, 0, info.ssrc, info.roc);
    failed |= srtp_end(&rx_zero, &info, &k, NULL, 0, info.ssrc, 0);
    if (!failed) {
        CHECK(rtp_send(&tx, &rx_zero, 1) == srtp_err_status_auth_fail);
        CHECK(rtp_send(&tx, &rx_roc, 2) == srtp_err_status_ok);
    }
    memset(&k, 0, sizeof k);
    srtp_end_free(&tx);
    srtp_end_free(&rx_roc);
    srtp_end_free(&rx_zero);
    exchange_free(&ex);
}

int main(void) {
    CHECK(srtp_init() == srtp_err_status_ok);
    const uint32_t profiles[2] = {MIKEY_SRTP_AES128_CM_SHA1_80, MIKEY_SRTP_AES128_CM_SHA1_32};
    const size_t counts[2] = {1, 3};
    const size_t mkis[2] = {0, 4};
    int combos = 0;
    for (size_t p = 0; p < 2; p++)
        for (size_t c = 0; c < 2; c++)
            for (size_t m = 0; m < 2; m++) {
                exchange_t ex, other;
                uint32_t base = 0x20000000u + (uint32_t)combos * 0x1000u;
                exchange(&ex, profiles[p], counts[c], mkis[m], base);
                exchange(&other, profiles[p], counts[c], mkis[m], base);
                for (size_t i = 0; i < counts[c]; i++) crypto_session_traffic(&ex, &other, i);
                exchange_free(&ex);
                exchange_free(&other);
                combos++;
            }
    CHECK(combos == 8);
    roc_matters();
    CHECK(srtp_shutdown() == srtp_err_status_ok);
    return check_report("test_srtp");
}
