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

#endif
