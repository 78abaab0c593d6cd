/* examples/psk_srtp.c: the place to start with the C API. Two MIKEY sessions in one
 * process, an Initiator and a Responder sharing a pre-shared key, run an exchange
 * (RFC 3830 §3.1: I_MESSAGE, then the verification message) keying two SRTP streams, one
 * each way; mikey_srtp.h (the header-only libsrtp glue installed beside mikey.h) turns each
 * side's crypto sessions into libsrtp2 policies, and libsrtp2 protects an RTP packet with
 * one side's keys and unprotects it with the other's, in both directions. Every status is
 * checked.
 * Build: cc psk_srtp.c $(pkg-config --cflags --libs mikey libsrtp2) */
#include <mikey.h>
#include <srtp2/srtp.h>
#include <mikey_srtp.h> /* the libsrtp glue, header-only */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Evaluates a mikey_* call; on failure prints it with its status and jumps to `out`. */
#define TRY(call)                                                                      \
    do {                                                                               \
        mikey_status_t st_ = (call);                                                         \
        if (st_ != MIKEY_OK) {                                                         \
            fprintf(stderr, "%s: %s (status %u)\n", #call, mikey_status_str(st_), st_); \
            goto out;                                                                  \
        }                                                                              \
    } while (0)

static const uint8_t PSK[16] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                                0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f};

/* A PSK-mode configuration in *cfg; a MIKEY status. */
static mikey_status_t psk_config(mikey_config_t **cfg) {
    mikey_config_builder_t *b = NULL;
    mikey_status_t st = mikey_config_builder_new(MIKEY_MODE_PSK, &b);
    if (st != MIKEY_OK) return st;
    st = mikey_config_builder_set_psk(b, PSK, sizeof PSK);
    if (st == MIKEY_OK) st = mikey_config_builder_build(b, cfg); /* frees b on success */
    if (st != MIKEY_OK) {
        fprintf(stderr, "config: %s\n", mikey_config_builder_error_detail(b));
        mikey_config_builder_free(b);
    }
    return st;
}

/* A libsrtp2 context in *ctx for crypto session `cs` of session `s`, which this endpoint
 * sends (MIKEY_SRTP_OUTBOUND) or receives (MIKEY_SRTP_INBOUND); 0 on success. */
static int srtp_for(const mikey_session_t *s, size_t cs, mikey_srtp_direction_t dir, srtp_t *ctx) {
    mikey_srtp_policy_t p; /* srtp_policy_t + the key storage it points to */
    mikey_status_t st = mikey_srtp_policy(s, cs, dir, 0, &p);
    if (st != MIKEY_OK) {
        fprintf(stderr, "mikey_srtp_policy: %s\n", mikey_status_str(st));
        return 1;
    }
    int failed = srtp_create(ctx, &p.policy) != srtp_err_status_ok;
    if (failed) *ctx = NULL;
    st = failed ? MIKEY_OK : mikey_srtp_policy_set_roc(*ctx, &p); /* the stream's ROC */
    if (st != MIKEY_OK) {
        fprintf(stderr, "mikey_srtp_policy_set_roc: %s\n", mikey_status_str(st));
        failed = 1;
    }
    mikey_srtp_policy_wipe(&p); /* it holds the keys; libsrtp has its own copy */
    return failed;
}

/* Sends one RTP packet of SSRC `ssrc` from `tx` to `rx`; 0 if `rx` got it back intact. */
static int rtp_roundtrip(srtp_t tx, srtp_t rx, uint32_t ssrc, const char *text) {
    uint8_t pkt[12 + 64 + SRTP_MAX_TRAILER_LEN] = {0x80, 0x60, 0x00, 0x01, 0x00, 0x00, 0x00, 0xa0};
    pkt[8] = (uint8_t)(ssrc >> 24), pkt[9] = (uint8_t)(ssrc >> 16);
    pkt[10] = (uint8_t)(ssrc >> 8), pkt[11] = (uint8_t)ssrc;
    size_t n = strlen(text);
    memcpy(pkt + 12, text, n);
    int len = (int)(12 + n);
    if (srtp_protect(tx, pkt, &len) != srtp_err_status_ok) return 1;
    int refused = srtp_unprotect(rx, pkt, &len) != srtp_err_status_ok;
    if (refused || len != (int)(12 + n) || memcmp(pkt + 12, text, n) != 0) return 1;
    printf("SSRC 0x%08x: \"%s\" protected and unprotected\n", (unsigned)ssrc, text);
    return 0;
}

int main(void) {
    int failed = 1;
    mikey_config_t *ci = NULL, *cr = NULL;
    mikey_session_t *init = NULL, *resp = NULL;
    srtp_t i_tx = NULL, i_rx = NULL, r_tx = NULL, r_rx = NULL;
    uint8_t msg[2048], reply[2048];
    size_t msg_len = 0, reply_len = 0, done_len = 0;
    mikey_state_t state = MIKEY_STATE_IDLE;
    /* Crypto session 0 keys the Initiator's stream, 1 the Responder's. */
    const mikey_stream_t streams[2] = {{.ssrc = 0x11111111, .roc = 0, .policy_no = 0},
                                       {.ssrc = 0x22222222, .roc = 0, .policy_no = 0}};

    if (srtp_init() != srtp_err_status_ok) return 1;
    TRY(psk_config(&ci));
    TRY(psk_config(&cr));
    TRY(mikey_session_new(ci, MIKEY_ROLE_INITIATOR, &init));
    TRY(mikey_session_new(cr, MIKEY_ROLE_RESPONDER, &resp));
    TRY(mikey_session_initiate(init, streams, 2, msg, sizeof msg, &msg_len));
    printf("I_MESSAGE: %zu bytes\n", msg_len);
    TRY(mikey_session_process(resp, msg, msg_len, reply, sizeof reply, &reply_len));
    printf("verification message: %zu bytes\n", reply_len);
    TRY(mikey_session_process(init, reply, reply_len, NULL, 0, &done_len));
    TRY(mikey_session_state(init, &state));
    if (state != MIKEY_STATE_ESTABLISHED) goto out;
    TRY(mikey_session_state(resp, &state));
    if (state != MIKEY_STATE_ESTABLISHED) goto out;

    if (srtp_for(init, 0, MIKEY_SRTP_OUTBOUND, &i_tx) ||
        srtp_for(resp, 0, MIKEY_SRTP_INBOUND, &r_rx) ||
        srtp_for(resp, 1, MIKEY_SRTP_OUTBOUND, &r_tx) ||
        srtp_for(init, 1, MIKEY_SRTP_INBOUND, &i_rx))
        goto out;
    if (rtp_roundtrip(i_tx, r_rx, streams[0].ssrc, "hello from the initiator") ||
        rtp_roundtrip(r_tx, i_rx, streams[1].ssrc, "hello from the responder"))
        goto out;
    printf("done: MIKEY exchange and SRTP OK\n");
    failed = 0;
out:
    if (i_tx && srtp_dealloc(i_tx) != srtp_err_status_ok) failed = 1;
    if (i_rx && srtp_dealloc(i_rx) != srtp_err_status_ok) failed = 1;
    if (r_tx && srtp_dealloc(r_tx) != srtp_err_status_ok) failed = 1;
    if (r_rx && srtp_dealloc(r_rx) != srtp_err_status_ok) failed = 1;
    mikey_session_free(init);
    mikey_session_free(resp);
    mikey_config_free(ci);
    mikey_config_free(cr);
    if (srtp_shutdown() != srtp_err_status_ok) failed = 1;
    if (failed) fprintf(stderr, "psk_srtp: FAILED\n");
    return failed;
}
