/* A libsrtp2 session keyed by a MIKEY session, for the C tests that carry RTP with the
 * exchanged keys (include after check.h and mikey_srtp.h). */
#ifndef MIKEY_C_TEST_SRTP_END_H
#define MIKEY_C_TEST_SRTP_END_H

/* A libsrtp session for crypto session `cs` of `s` in direction `dir`, its ROC applied
 * (mikey_srtp_policy_set_roc); NULL, with a failed CHECK, when libsrtp refuses it. */
static inline srtp_t srtp_end(const mikey_session_t *s, size_t cs, mikey_srtp_direction_t dir) {
    mikey_srtp_policy_t p;
    srtp_t ctx = NULL;
    CHECK(mikey_srtp_policy(s, cs, dir, 0, &p) == MIKEY_OK);
    if (srtp_create(&ctx, &p.policy) != srtp_err_status_ok) {
        CHECK(0);
        ctx = NULL;
    } else {
        CHECK(mikey_srtp_policy_set_roc(ctx, &p) == MIKEY_OK);
    }
    mikey_srtp_policy_wipe(&p);
    return ctx;
}

/* One RTP packet of crypto session `cs` (SSRC `ssrc`) from session `from` to session `to`
 * through libsrtp2 (an encrypting profile): protected (its payload changed), unprotected,
 * the plaintext back. */
static inline void srtp_round_trip(const mikey_session_t *from, const mikey_session_t *to,
                                   size_t cs, uint32_t ssrc) {
    enum { HDR = 12, PAYLOAD = 160, LEN = HDR + PAYLOAD };
    srtp_t tx = srtp_end(from, cs, MIKEY_SRTP_OUTBOUND), rx = srtp_end(to, cs, MIKEY_SRTP_INBOUND);
    if (tx != NULL && rx != NULL) {
        uint8_t plain[LEN];
        union {
            uint32_t align;
            uint8_t b[LEN + SRTP_MAX_TRAILER_LEN];
        } pkt;
        memset(plain, 0, sizeof plain);
        plain[0] = 0x80;
        plain[1] = 96;
        plain[3] = 9;
        for (int k = 0; k < 4; k++) plain[8 + k] = (uint8_t)(ssrc >> (24 - 8 * k));
        for (size_t k = 0; k < PAYLOAD; k++) plain[HDR + k] = (uint8_t)(k * 11u);
        memcpy(pkt.b, plain, LEN);
        int len = LEN;
        CHECK(srtp_protect(tx, pkt.b, &len) == srtp_err_status_ok);
        CHECK(memcmp(pkt.b + HDR, plain + HDR, PAYLOAD) != 0);
        CHECK(srtp_unprotect(rx, pkt.b, &len) == srtp_err_status_ok);
        CHECK(len == LEN && memcmp(pkt.b, plain, LEN) == 0);
    }
    if (tx != NULL) srtp_dealloc(tx);
    if (rx != NULL) srtp_dealloc(rx);
}

#endif
