#include <mikey.h>
#include <srtp2/srtp.h>
#include <stdio.h>
#include <string.h>

/* One endpoint's configuration: PSK mode with the shared key, defaults otherwise. */
static mikey_config_t *psk_config(const uint8_t *psk, size_t psk_len) {
    mikey_config_builder_t *b = NULL;
    mikey_config_t *cfg = NULL;
    mikey_status_t st = mikey_config_builder_new(MIKEY_MODE_PSK, &b);
    if (st == MIKEY_OK) st = mikey_config_builder_set_psk(b, psk, psk_len);
    if (st == MIKEY_OK) st = mikey_config_builder_build(b, &cfg); /* frees b on success */
    if (st != MIKEY_OK) {
        fprintf(stderr, "config: %s (%s)\n", mikey_status_str(st),
                mikey_config_builder_error_detail(b));
        mikey_config_builder_free(b);
        return NULL;
    }
    return cfg; /* share it between threads; free it with mikey_config_free */
}

/* Creates a libsrtp session from crypto session 0 of a keyed MIKEY session. */
static int srtp_from_mikey(const mikey_session_t *s, srtp_t *out) {
    mikey_crypto_session_info_t cs;
    mikey_srtp_key_t k; /* libsrtp layout: master key ‖ master salt */
    srtp_policy_t p;
    mikey_status_t st = mikey_session_crypto_session(s, 0, &cs);
    if (st == MIKEY_OK) st = mikey_session_srtp_key(s, 0, 0, &k);
    if (st != MIKEY_OK) {
        fprintf(stderr, "keys: %s (%s)\n", mikey_status_str(st), mikey_session_error_detail(s));
        return -1;
    }
    memset(&p, 0, sizeof p);
    srtp_crypto_policy_set_from_profile_for_rtp(&p.rtp, (srtp_profile_t)cs.profile);
    srtp_crypto_policy_set_from_profile_for_rtcp(&p.rtcp, (srtp_profile_t)cs.profile);
    p.key = k.key_salt;
    p.ssrc.type = ssrc_specific;
    p.ssrc.value = cs.ssrc;
    int ok = srtp_create(out, &p) == srtp_err_status_ok;
    memset(&k, 0, sizeof k); /* secrets: wipe after use */
    return ok ? 0 : -1;
}

int main(void) {
    static const uint8_t psk[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    mikey_config_t *icfg = psk_config(psk, sizeof psk), *rcfg = psk_config(psk, sizeof psk);
    mikey_session_t *init = NULL, *resp = NULL; /* one per exchange, one thread at a time */
    mikey_stream_t stream = {0x12345678, 0, 0}; /* SSRC, ROC, policy no. */
    uint8_t i_message[2048], reply[2048];
    size_t i_message_len = 0, reply_len = 0;
    srtp_t srtp_i = NULL, srtp_r = NULL;
    mikey_status_t st = icfg && rcfg ? MIKEY_OK : MIKEY_ERR_CONFIG;
    if (st == MIKEY_OK) st = mikey_session_new(icfg, MIKEY_ROLE_INITIATOR, &init);
    if (st == MIKEY_OK) st = mikey_session_new(rcfg, MIKEY_ROLE_RESPONDER, &resp);
    /* Initiator: the I_MESSAGE goes to the peer (e.g. in SDP, RFC 4567). */
    if (st == MIKEY_OK)
        st = mikey_session_initiate(init, &stream, 1, i_message, sizeof i_message,
                                    &i_message_len);
    /* Responder: processes it and writes the verification message to send back. */
    if (st == MIKEY_OK)
        st = mikey_session_process(resp, i_message, i_message_len, reply, sizeof reply,
                                   &reply_len);
    /* Initiator: processes the verification message (no reply of its own). */
    if (st == MIKEY_OK) st = mikey_session_process(init, reply, reply_len, NULL, 0, &reply_len);
    if (MIKEY_IS_PEER_ERROR(st))
        fprintf(stderr, "the peer refused: Error no. %u\n", (unsigned)MIKEY_PEER_ERROR_NO(st));
    else if (st != MIKEY_OK)
        fprintf(stderr, "exchange: %s\n", mikey_status_str(st));
    int rc = st == MIKEY_OK && srtp_init() == srtp_err_status_ok &&
                     srtp_from_mikey(init, &srtp_i) == 0 && srtp_from_mikey(resp, &srtp_r) == 0
                 ? 0
                 : 1;
    if (srtp_i) srtp_dealloc(srtp_i);
    if (srtp_r) srtp_dealloc(srtp_r);
    srtp_shutdown();
    mikey_session_free(init);
    mikey_session_free(resp);
    mikey_config_free(icfg);
    mikey_config_free(rcfg);
    if (rc == 0) printf("SRTP sessions keyed by MIKEY\n");
    return rc;
}
