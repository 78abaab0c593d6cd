/* The config and session C API end to end: a PSK exchange (1 and 3 streams, with and
 * without MKI) whose two sides export identical SRTP keys, the verification message,
 * re-keying, NULL mode, replay and clock-window refusals with an injected clock, tampered
 * messages leaving the session unchanged, peer Error messages as statuses, replay-cache
 * expiry on an injected monotonic clock, and the argument checks (NULL pointers, bad
 * values, short buffers, wrong state). */
#include "check.h"

#include <mikey.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const uint8_t PSK[] = "0123456789abcdef0123";
static uint64_t now_ntp = 0xEA04E30000000000ull;

static uint64_t test_clock(void *userdata) { return *(const uint64_t *)userdata; }

static uint32_t rng_counter = 0;
static int test_rng(void *userdata, uint8_t *out, size_t len) {
    int fail = *(const int *)userdata;
    for (size_t i = 0; i < len; i++) out[i] = (uint8_t)(++rng_counter * 31u + i);
    return fail;
}

static int log_calls = 0;
static void test_log(void *userdata, mikey_log_level_t level, const char *message) {
    (void)userdata;
    CHECK(level == MIKEY_LOG_WARNING || level == MIKEY_LOG_INFO);
    CHECK(message != NULL && message[0] != '\0');
    log_calls++;
}

static mikey_config_t *psk_config(size_t mki_len, mikey_srtp_profile_t offer, mikey_srtp_profile_t accept) {
    mikey_config_builder_t *b = NULL;
    mikey_config_t *c = NULL;
    CHECK(mikey_config_builder_new(MIKEY_MODE_PSK, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_set_psk(b, PSK, sizeof PSK - 1) == MIKEY_OK);
    CHECK(mikey_config_builder_set_mki_len(b, mki_len) == MIKEY_OK);
    CHECK(mikey_config_builder_set_offer(b, &offer, 1) == MIKEY_OK);
    CHECK(mikey_config_builder_set_accepted(b, &accept, 1) == MIKEY_OK);
    CHECK(mikey_config_builder_set_clock(b, test_clock, &now_ntp) == MIKEY_OK);
    CHECK(mikey_config_builder_build(b, &c) == MIKEY_OK);
    return c;
}

static void same_keys(const mikey_session_t *a, const mikey_session_t *b, size_t n, size_t mki) {
    size_t na = 0, nb = 0;
    CHECK(mikey_session_crypto_session_count(a, &na) == MIKEY_OK && na == n);
    CHECK(mikey_session_crypto_session_count(b, &nb) == MIKEY_OK && nb == n);
    for (size_t i = 0; i < n; i++) {
        mikey_crypto_session_info_t ia, ib;
        mikey_srtp_key_t ka, kb;
        CHECK(mikey_session_crypto_session(a, i, &ia) == MIKEY_OK);
        CHECK(mikey_session_crypto_session(b, i, &ib) == MIKEY_OK);
        CHECK(ia.cs_id == i + 1 && ib.cs_id == i + 1 && ia.ssrc == ib.ssrc && ia.roc == ib.roc);
        CHECK(ia.profile == ib.profile && ia.key_count == 1 && ib.key_count == 1);
        CHECK(mikey_session_srtp_key(a, i, 0, &ka) == MIKEY_OK);
        CHECK(mikey_session_srtp_key(b, i, 0, &kb) == MIKEY_OK);
        CHECK(ka.key_salt_len == 30 && ka.master_key_len == 16 && ka.mki_len == mki);
        CHECK(kb.key_salt_len == 30 && kb.mki_len == mki);
        CHECK(memcmp(ka.key_salt, kb.key_salt, 30) == 0 && memcmp(ka.mki, kb.mki, mki) == 0);
        CHECK(ka.lifetime == MIKEY_LIFETIME_UNTIL_REPLACED);
    }
}

/* Initiator and responder exchange I_MESSAGE and verification message. */
static void exchange(mikey_config_t *ci, mikey_config_t *cr, size_t n, size_t mki) {
    mikey_stream_t streams[3] = {{0x1111, 0, 0}, {0x2222, 1, 0}, {0x3333, 2, 0}};
    mikey_session_t *i = NULL, *r = NULL;
    uint8_t msg[2048], reply[2048];
    size_t len = 0, reply_len = 0, none = 1;
    mikey_state_t state = 99;
    CHECK(mikey_session_new(ci, MIKEY_ROLE_INITIATOR, &i) == MIKEY_OK);
    CHECK(mikey_session_new(cr, MIKEY_ROLE_RESPONDER, &r) == MIKEY_OK);
    CHECK(mikey_session_initiate(i, streams, n, msg, sizeof msg, &len) == MIKEY_OK);
    CHECK(mikey_session_state(i, &state) == MIKEY_OK && state == MIKEY_STATE_AWAITING_VERIFICATION);
    CHECK(mikey_session_process(r, msg, len, reply, sizeof reply, &reply_len) == MIKEY_OK);
    CHECK(reply_len > 0);
    CHECK(mikey_session_process(i, reply, reply_len, NULL, 0, &none) == MIKEY_OK && none == 0);
    CHECK(mikey_session_state(i, &state) == MIKEY_OK && state == MIKEY_STATE_ESTABLISHED);
    CHECK(mikey_session_state(r, &state) == MIKEY_OK && state == MIKEY_STATE_ESTABLISHED);
    uint32_t ca = 0, cb = 1;
    CHECK(mikey_session_csb_id(i, &ca) == MIKEY_OK && mikey_session_csb_id(r, &cb) == MIKEY_OK);
    CHECK(ca == cb);
    same_keys(i, r, n, mki);
    mikey_session_free(i);
    mikey_session_free(r);
}

static void test_exchanges(void) {
    mikey_config_t *ci = psk_config(0, MIKEY_SRTP_AES128_CM_SHA1_80, MIKEY_SRTP_AES128_CM_SHA1_80);
    mikey_config_t *cr = psk_config(0, MIKEY_SRTP_AES128_CM_SHA1_80, MIKEY_SRTP_AES128_CM_SHA1_80);
    mikey_config_t *cm = psk_config(4, MIKEY_SRTP_AES128_CM_SHA1_80, MIKEY_SRTP_AES128_CM_SHA1_80);
    exchange(ci, cr, 1, 0);
    exchange(ci, cr, 3, 0);
    exchange(cm, cr, 3, 4);
    size_t cached = 0;
    CHECK(mikey_config_replay_cache_len(cr, &cached) == MIKEY_OK && cached == 3);
    mikey_config_free(ci);
    mikey_config_free(cr);
    mikey_config_free(cm);
}

static void test_refusals(void) {
    mikey_config_t *ci = psk_config(0, MIKEY_SRTP_AES128_CM_SHA1_32, MIKEY_SRTP_AES128_CM_SHA1_32);
    mikey_config_t *cr = psk_config(0, MIKEY_SRTP_AES128_CM_SHA1_80, MIKEY_SRTP_AES128_CM_SHA1_32);
    mikey_config_t *c80 = psk_config(0, MIKEY_SRTP_AES128_CM_SHA1_80, MIKEY_SRTP_AES128_CM_SHA1_80);
    mikey_stream_t s = {0xABCD, 0, 0};
    mikey_session_t *i = NULL, *r = NULL, *r2 = NULL;
    uint8_t msg[2048], reply[2048], bad[2048];
    size_t len = 0, reply_len = 0, n = 0;
    mikey_state_t state = 0;
    CHECK(mikey_session_new(ci, MIKEY_ROLE_INITIATOR, &i) == MIKEY_OK);
    CHECK(mikey_session_initiate(i, &s, 1, msg, sizeof msg, &len) == MIKEY_OK);

    /* Every single-byte corruption is refused; the responder stays idle. */
    for (size_t off = 0; off < len; off++) {
        memcpy(bad, msg, len);
        bad[off] ^= 0x01;
        CHECK(mikey_session_new(cr, MIKEY_ROLE_RESPONDER, &r) == MIKEY_OK);
        CHECK(mikey_session_process(r, bad, len, reply, sizeof reply, &reply_len) != MIKEY_OK);
        CHECK(mikey_session_state(r, &state) == MIKEY_OK && state == MIKEY_STATE_IDLE);
        mikey_session_free(r);
    }
    /* Unsupported policy: Error no. 10, read back by the initiator as 200 + 10. */
    CHECK(mikey_session_new(c80, MIKEY_ROLE_RESPONDER, &r) == MIKEY_OK);
    CHECK(mikey_session_process(r, msg, len, reply, sizeof reply, &reply_len) ==
          MIKEY_ERR_UNSUPPORTED_POLICY);
    CHECK(reply_len > 0);
    CHECK(mikey_session_process(i, reply, reply_len, NULL, 0, &n) == MIKEY_ERR_PEER_ERROR + MIKEY_ERRNO_INVALID_SPPAR);
    CHECK(mikey_session_state(i, &state) == MIKEY_OK && state == MIKEY_STATE_AWAITING_VERIFICATION);
    mikey_session_free(r);

    /* A short reply buffer changes nothing; the needed length comes back. */
    CHECK(mikey_session_new(cr, MIKEY_ROLE_RESPONDER, &r) == MIKEY_OK);
    CHECK(mikey_session_process(r, msg, len, reply, 3, &reply_len) == MIKEY_ERR_BUFFER_TOO_SMALL);
    CHECK(reply_len > 3);
    CHECK(mikey_session_state(r, &state) == MIKEY_OK && state == MIKEY_STATE_IDLE);
    CHECK(mikey_session_process(r, msg, len, reply, reply_len, &reply_len) == MIKEY_OK);

    /* Replay to another session of the same config; then a stale message. */
    CHECK(mikey_session_new(cr, MIKEY_ROLE_RESPONDER, &r2) == MIKEY_OK);
    CHECK(mikey_session_process(r2, msg, len, reply, sizeof reply, &n) == MIKEY_ERR_REPLAYED);
    mikey_session_free(r2);
    CHECK(mikey_session_process(i, reply, reply_len, NULL, 0, &n) == MIKEY_OK);

    /* Re-keying adds a stream on both sides. */
    mikey_stream_t more = {0xBEEF, 0, 0};
    now_ntp += 1ull << 32;
    CHECK(mikey_session_rekey(i, &more, 1, msg, sizeof msg, &len) == MIKEY_OK);
    CHECK(mikey_session_process(r, msg, len, reply, sizeof reply, &reply_len) == MIKEY_OK);
    CHECK(mikey_session_process(i, reply, reply_len, NULL, 0, &n) == MIKEY_OK);
    size_t ci_n = 0, cr_n = 0;
    CHECK(mikey_session_crypto_session_count(i, &ci_n) == MIKEY_OK && ci_n == 2);
    CHECK(mikey_session_crypto_session_count(r, &cr_n) == MIKEY_OK && cr_n == 2);
    mikey_session_free(i);
    mikey_session_free(r);

    /* A message from 10 minutes ago is outside the 5-minute window. */
    CHECK(mikey_session_new(ci, MIKEY_ROLE_INITIATOR, &i) == MIKEY_OK);
    CHECK(mikey_session_initiate(i, &s, 1, msg, sizeof msg, &len) == MIKEY_OK);
    now_ntp += 600ull << 32;
    CHECK(mikey_session_new(cr, MIKEY_ROLE_RESPONDER, &r) == MIKEY_OK);
    CHECK(mikey_session_process(r, msg, len, reply, sizeof reply, &reply_len) ==
          MIKEY_ERR_TIMESTAMP_OUT_OF_WINDOW);
    CHECK(reply_len == 0);
    mikey_session_free(i);
    mikey_session_free(r);
    mikey_config_free(ci);
    mikey_config_free(cr);
    mikey_config_free(c80);
}

static void test_null_mode_and_callbacks(void) {
    mikey_config_builder_t *b = NULL;
    mikey_config_t *cn = NULL, *cp = NULL;
    int ok = 0, fail = 1;
    CHECK(mikey_config_builder_new(MIKEY_MODE_NULL, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_set_log(b, test_log, NULL) == MIKEY_OK);
    CHECK(mikey_config_builder_set_rng(b, test_rng, &ok) == MIKEY_OK);
    CHECK(mikey_config_builder_set_key_transport(b, MIKEY_KEY_TRANSPORT_TEK_CONCATENATED) == MIKEY_OK);
    CHECK(mikey_config_builder_set_request_verification(b, 0) == MIKEY_OK);
    CHECK(mikey_config_builder_set_send_identities(b, 0) == MIKEY_OK);
    CHECK(mikey_config_builder_set_timestamp_type(b, MIKEY_TS_NTP_UTC) == MIKEY_OK);
    CHECK(mikey_config_builder_set_verification_input(b, MIKEY_VERIFICATION_IDS_AND_TIMESTAMP) == MIKEY_OK);
    CHECK(mikey_config_builder_build(b, &cn) == MIKEY_OK);
    CHECK(log_calls > 0); /* NULL mode is announced */
    b = NULL;
    CHECK(mikey_config_builder_new(MIKEY_MODE_PSK, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_set_psk(b, PSK, 16) == MIKEY_OK);
    CHECK(mikey_config_builder_set_encryption(b, MIKEY_ENCR_AES_KW_128) == MIKEY_OK);
    CHECK(mikey_config_builder_set_mac(b, MIKEY_MAC_HMAC_SHA256_256) == MIKEY_OK);
    CHECK(mikey_config_builder_set_prf(b, MIKEY_PRF_HMAC_SHA256) == MIKEY_OK);
    CHECK(mikey_config_builder_set_clock_skew_ms(b, 60000) == MIKEY_OK);
    CHECK(mikey_config_builder_set_replay_capacity(b, 16) == MIKEY_OK);
    CHECK(mikey_config_builder_set_local_identity(b, MIKEY_ID_URI, (const uint8_t *)"sip:a@x", 7) == MIKEY_OK);
    CHECK(mikey_config_builder_set_peer_identity(b, MIKEY_ID_URI, (const uint8_t *)"sip:b@x", 7) == MIKEY_OK);
    CHECK(mikey_config_builder_set_rng(b, test_rng, &fail) == MIKEY_OK);
    CHECK(mikey_config_builder_build(b, &cp) == MIKEY_OK);

    mikey_stream_t s = {0x42, 0, 0};
    mikey_session_t *i = NULL, *r = NULL;
    uint8_t msg[2048], reply[2048];
    size_t len = 0, reply_len = 9;
    mikey_role_t role = 9;
    CHECK(mikey_session_new(cn, MIKEY_ROLE_INITIATOR, &i) == MIKEY_OK);
    CHECK(mikey_session_role(i, &role) == MIKEY_OK && role == MIKEY_ROLE_INITIATOR);
    CHECK(mikey_session_initiate(i, &s, 1, msg, sizeof msg, &len) == MIKEY_OK);
    CHECK(mikey_session_new(cn, MIKEY_ROLE_RESPONDER, &r) == MIKEY_OK);
    CHECK(mikey_session_process(r, msg, len, reply, sizeof reply, &reply_len) == MIKEY_OK);
    CHECK(reply_len == 0);
    same_keys(i, r, 1, 0);
    mikey_session_free(r);
    /* A PSK responder refuses the NULL message (Error no. 4 goes back). */
    CHECK(mikey_session_new(cp, MIKEY_ROLE_RESPONDER, &r) == MIKEY_OK);
    CHECK(mikey_session_process(r, msg, len, reply, sizeof reply, &reply_len) ==
          MIKEY_ERR_UNSUPPORTED_ENCRYPTION);
    CHECK(reply_len > 0);
    mikey_session_free(r);
    mikey_session_free(i);
    /* A failing RNG fails the initiate and installs nothing. */
    CHECK(mikey_session_new(cp, MIKEY_ROLE_INITIATOR, &i) == MIKEY_OK);
    CHECK(mikey_session_initiate(i, &s, 1, msg, sizeof msg, &len) == MIKEY_ERR_RNG);
    mikey_session_free(i);
    mikey_config_free(cn);
    mikey_config_free(cp);
}

/* A new I_MESSAGE from an Initiator of `c`, processed by a new Responder of `c`. */
static mikey_status_t exchange_status(mikey_config_t *c) {
    mikey_stream_t s = {0x42, 0, 0};
    mikey_session_t *i = NULL, *r = NULL;
    uint8_t msg[2048], reply[2048];
    size_t len = 0, reply_len = 0;
    CHECK(mikey_session_new(c, MIKEY_ROLE_INITIATOR, &i) == MIKEY_OK);
    CHECK(mikey_session_initiate(i, &s, 1, msg, sizeof msg, &len) == MIKEY_OK);
    CHECK(mikey_session_new(c, MIKEY_ROLE_RESPONDER, &r) == MIKEY_OK);
    mikey_status_t status = mikey_session_process(r, msg, len, reply, sizeof reply, &reply_len);
    mikey_session_free(i);
    mikey_session_free(r);
    return status;
}

/* Replay-cache entries expire on the monotonic clock (RFC 3830 §5.4): a step of the wall
 * clock, forward or back, frees no entry; time passing on the injected monotonic clock
 * does. */
static void test_monotonic_clock(void) {
    uint64_t wall = 0xEA04E30000000000ull, mono_ns = 5;
    const uint64_t day = 86400ull << 32;
    mikey_config_builder_t *b = NULL;
    mikey_config_t *c = NULL;
    size_t n = 9;
    CHECK(mikey_config_builder_new(MIKEY_MODE_PSK, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_set_psk(b, PSK, sizeof PSK - 1) == MIKEY_OK);
    CHECK(mikey_config_builder_set_monotonic_clock(NULL, test_clock, &mono_ns) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_config_builder_set_monotonic_clock(b, NULL, &mono_ns) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_config_builder_set_monotonic_clock(b, test_clock, &mono_ns) == MIKEY_OK);
    CHECK(mikey_config_builder_set_clock(b, test_clock, &wall) == MIKEY_OK);
    CHECK(mikey_config_builder_set_clock_skew_ms(b, 60000) == MIKEY_OK);
    CHECK(mikey_config_builder_set_replay_capacity(b, 1) == MIKEY_OK);
    CHECK(mikey_config_builder_build(b, &c) == MIKEY_OK);
    CHECK(exchange_status(c) == MIKEY_OK);
    CHECK(exchange_status(c) == MIKEY_ERR_REPLAY_CACHE_FULL);
    wall += day; /* a step forward */
    CHECK(exchange_status(c) == MIKEY_ERR_REPLAY_CACHE_FULL);
    wall -= day; /* and its correction */
    CHECK(exchange_status(c) == MIKEY_ERR_REPLAY_CACHE_FULL);
    CHECK(mikey_config_replay_cache_len(c, &n) == MIKEY_OK && n == 1);
    /* 61 s pass: the entry has expired and the next message takes its place. */
    wall += 61ull << 32;
    mono_ns += 61000000000ull;
    CHECK(exchange_status(c) == MIKEY_OK);
    CHECK(mikey_config_replay_cache_len(c, &n) == MIKEY_OK && n == 1);
    mikey_config_free(c);
}

static void test_arguments(void) {
    mikey_config_builder_t *b = NULL;
    mikey_config_t *c = NULL;
    mikey_session_t *s = NULL;
    uint32_t u = 0, profile = 999, good = MIKEY_SRTP_AES128_CM_SHA1_80;
    size_t z = 0;
    uint8_t buf[2048] = {0};
    mikey_stream_t st = {1, 0, 0};
    mikey_crypto_session_info_t info;
    mikey_srtp_key_t key;

    CHECK(mikey_config_builder_new(7, &b) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_config_builder_new(MIKEY_MODE_PSK, NULL) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_config_builder_new(MIKEY_MODE_PSK, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_set_psk(NULL, PSK, 4) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_config_builder_set_psk(b, NULL, 4) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_config_builder_set_psk(b, PSK, 0) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_config_builder_set_local_identity(b, 5, PSK, 4) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_config_builder_set_peer_identity(b, MIKEY_ID_NAI, NULL, 4) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_config_builder_set_send_identities(b, 2) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_config_builder_set_encryption(b, 300) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_config_builder_set_mac(b, 9) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_config_builder_set_prf(b, 9) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_config_builder_set_offer(b, &profile, 1) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_config_builder_set_offer(b, NULL, 1) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_config_builder_set_accepted(b, &good, 0) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_config_builder_set_request_verification(b, 5) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_config_builder_set_key_transport(b, 5) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_config_builder_set_mki_len(b, 5) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_config_builder_set_timestamp_type(b, MIKEY_TS_NTP_UTC_32) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_config_builder_set_verification_input(b, 2) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_config_builder_set_clock_skew_ms(b, 0) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_config_builder_set_replay_capacity(b, 0) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_config_builder_set_clock(b, NULL, NULL) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_config_builder_set_rng(b, NULL, NULL) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_config_builder_set_log(b, NULL, NULL) == MIKEY_OK);
    /* A failed build consumes nothing: the builder keeps the detail and stays usable. */
    CHECK(mikey_config_builder_build(b, NULL) == MIKEY_ERR_NULL_POINTER);
    CHECK(strcmp(mikey_config_builder_error_detail(b), "out_config is NULL") == 0);
    mikey_config_builder_free(b);
    b = NULL;
    CHECK(mikey_config_builder_new(MIKEY_MODE_PSK, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_error_detail(b) != NULL && mikey_config_builder_error_detail(b)[0] == '\0');
    mikey_config_t *unchanged = c;
    CHECK(mikey_config_builder_build(b, &c) == MIKEY_ERR_CONFIG); /* no PSK */
    CHECK(c == unchanged);
    CHECK(strstr(mikey_config_builder_error_detail(b), "pre-shared key") != NULL);
    CHECK(mikey_config_builder_set_psk(b, PSK, 0) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mikey_config_builder_error_detail(b), "psk_len") != NULL);
    CHECK(mikey_config_builder_set_send_identities(b, 255) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mikey_config_builder_error_detail(b), "send is 255") != NULL);
    CHECK(mikey_config_builder_set_psk(b, PSK, 4) == MIKEY_OK);
    CHECK(mikey_config_builder_error_detail(b)[0] == '\0');
    CHECK(mikey_config_builder_build(b, &c) == MIKEY_OK); /* frees b */
    mikey_config_free(c);
    CHECK(mikey_config_builder_build(NULL, &c) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_config_builder_error_detail(NULL) != NULL && mikey_config_builder_error_detail(NULL)[0] == '\0');
    mikey_config_builder_free(NULL);
    CHECK(mikey_config_builder_new(MIKEY_MODE_PSK, &b) == MIKEY_OK);
    mikey_config_builder_free(b);
    mikey_config_free(NULL);
    mikey_session_free(NULL);
    CHECK(mikey_config_replay_cache_len(NULL, &z) == MIKEY_ERR_NULL_POINTER);

    c = psk_config(0, good, good);
    CHECK(mikey_config_replay_cache_len(c, NULL) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_session_new(NULL, MIKEY_ROLE_INITIATOR, &s) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_session_new(c, 9, &s) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_session_new(c, MIKEY_ROLE_INITIATOR, NULL) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_session_new(c, MIKEY_ROLE_INITIATOR, &s) == MIKEY_OK);
    CHECK(mikey_session_error_detail(s) != NULL && mikey_session_error_detail(s)[0] == '\0');
    CHECK(mikey_session_error_detail(NULL) != NULL && mikey_session_error_detail(NULL)[0] == '\0');
    CHECK(mikey_session_csb_id(s, &u) == MIKEY_ERR_WRONG_STATE);
    /* No keys yet: a wrong state, not an index out of range. */
    CHECK(mikey_session_crypto_session(s, 0, &info) == MIKEY_ERR_WRONG_STATE);
    CHECK(strstr(mikey_session_error_detail(s), "MIKEY_STATE_IDLE") != NULL);
    CHECK(mikey_session_srtp_key(s, 0, 0, &key) == MIKEY_ERR_WRONG_STATE);
    CHECK(mikey_session_crypto_session_count(s, &z) == MIKEY_OK && z == 0);
    CHECK(mikey_session_error_detail(s)[0] == '\0');
    CHECK(mikey_session_process(s, buf, 10, NULL, 0, &z) == MIKEY_ERR_WRONG_STATE ||
          mikey_session_process(s, buf, 10, NULL, 0, &z) >= 100);
    CHECK(mikey_session_rekey(s, &st, 1, buf, sizeof buf, &z) == MIKEY_ERR_WRONG_STATE);
    CHECK(mikey_session_initiate(s, NULL, 1, buf, sizeof buf, &z) == MIKEY_ERR_NULL_POINTER);
    /* No streams is an argument error, named in the detail. */
    CHECK(mikey_session_initiate(s, &st, 0, buf, sizeof buf, &z) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mikey_session_error_detail(s), "streams_count is 0") != NULL);
    CHECK(mikey_session_initiate(s, &st, 256, buf, sizeof buf, &z) == MIKEY_ERR_INVALID_ARGUMENT);
    st.policy_no = 1; /* the offer has one policy */
    CHECK(mikey_session_initiate(s, &st, 1, buf, sizeof buf, &z) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mikey_session_error_detail(s), "streams[0].policy_no is 1") != NULL);
    st.policy_no = 0;
    CHECK(mikey_session_initiate(s, &st, 1, buf, sizeof buf, NULL) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_session_initiate(s, &st, 1, buf, 10, &z) == MIKEY_ERR_BUFFER_TOO_SMALL && z > 10);
    CHECK(strstr(mikey_session_error_detail(s), "i_message_cap is 10") != NULL);
    CHECK(mikey_session_state(s, &u) == MIKEY_OK && u == MIKEY_STATE_IDLE);
    CHECK(mikey_session_initiate(s, &st, 1, buf, z, &z) == MIKEY_OK);
    CHECK(mikey_session_initiate(s, &st, 1, buf, sizeof buf, &z) == MIKEY_ERR_WRONG_STATE);
    CHECK(mikey_session_process(NULL, buf, 1, NULL, 0, &z) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_session_process(s, NULL, 1, NULL, 0, &z) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_session_process(s, buf, 1, NULL, 0, NULL) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_session_process(s, buf, 0, NULL, 0, &z) == MIKEY_ERR_PARSE_TRUNCATED);
    CHECK(mikey_session_state(NULL, &u) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_session_state(s, NULL) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_session_role(s, NULL) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_session_csb_id(s, NULL) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_session_crypto_session_count(s, NULL) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_session_crypto_session(s, 1, &info) == MIKEY_ERR_INDEX_OUT_OF_RANGE);
    CHECK(strstr(mikey_session_error_detail(s), "cs_index is 1") != NULL);
    CHECK(mikey_session_crypto_session(s, SIZE_MAX, &info) == MIKEY_ERR_INDEX_OUT_OF_RANGE);
    CHECK(mikey_session_crypto_session(s, 0, NULL) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_session_srtp_key(s, 0, 1, &key) == MIKEY_ERR_INDEX_OUT_OF_RANGE);
    CHECK(mikey_session_srtp_key(s, 1, 0, &key) == MIKEY_ERR_INDEX_OUT_OF_RANGE);
    CHECK(mikey_session_srtp_key(s, 0, 0, NULL) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_session_srtp_key(s, 0, 0, &key) == MIKEY_OK && key.key_salt_len == 30);
    memset(&key, 0, sizeof key); /* secrets: wipe after use */
    mikey_session_free(s);
    mikey_config_free(c);

    for (uint32_t st2 = 120; st2 <= 137; st2++)
        CHECK(strcmp(mikey_status_str(st2), "unknown status") != 0);
    CHECK(strstr(mikey_status_str(MIKEY_ERR_PEER_ERROR + 10), "Invalid SPpar") != NULL);
    CHECK(strstr(mikey_status_str(MIKEY_ERR_PEER_ERROR_UNAUTHENTICATED), "unauthenticated") != NULL);
}

/* An Initiator that keeps only its I_MESSAGE (e.g. an SDP offer written by one process)
 * is rebuilt from it and completes the exchange with the same keys as the Responder. */
static void test_resume_initiator(void) {
    mikey_config_t *ci = psk_config(4, MIKEY_SRTP_AES128_CM_SHA1_80, MIKEY_SRTP_AES128_CM_SHA1_80);
    mikey_config_t *cr = psk_config(0, MIKEY_SRTP_AES128_CM_SHA1_80, MIKEY_SRTP_AES128_CM_SHA1_80);
    mikey_config_builder_t *b = NULL;
    mikey_config_t *other = NULL;
    CHECK(mikey_config_builder_new(MIKEY_MODE_PSK, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_set_psk(b, (const uint8_t *)"another psk", 11) == MIKEY_OK);
    CHECK(mikey_config_builder_build(b, &other) == MIKEY_OK);
    mikey_stream_t streams[2] = {{0x1111, 0, 0}, {0x2222, 7, 0}};
    mikey_session_t *i = NULL, *r = NULL, *resumed = NULL;
    uint8_t msg[2048], reply[2048];
    size_t len = 0, reply_len = 0, none = 1;
    uint32_t state = 99;
    CHECK(mikey_session_new(ci, MIKEY_ROLE_INITIATOR, &i) == MIKEY_OK);
    CHECK(mikey_session_initiate(i, streams, 2, msg, sizeof msg, &len) == MIKEY_OK);
    mikey_session_free(i);
    CHECK(mikey_session_new(cr, MIKEY_ROLE_RESPONDER, &r) == MIKEY_OK);
    CHECK(mikey_session_process(r, msg, len, reply, sizeof reply, &reply_len) == MIKEY_OK);

    /* Refusals write nothing. */
    mikey_session_t *untouched = (mikey_session_t *)&state;
    CHECK(mikey_session_resume_initiator(other, msg, len, &untouched) == MIKEY_ERR_AUTH_FAILED);
    CHECK(untouched == (mikey_session_t *)&state);
    msg[len / 2] ^= 1;
    CHECK(mikey_session_resume_initiator(ci, msg, len, &untouched) != MIKEY_OK);
    msg[len / 2] ^= 1;
    CHECK(mikey_session_resume_initiator(ci, reply, reply_len, &untouched) == MIKEY_ERR_UNEXPECTED_MESSAGE);
    CHECK(mikey_session_resume_initiator(ci, msg, 3, &untouched) != MIKEY_OK);
    CHECK(untouched == (mikey_session_t *)&state);
    CHECK(mikey_session_resume_initiator(NULL, msg, len, &resumed) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_session_resume_initiator(ci, NULL, len, &resumed) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_session_resume_initiator(ci, msg, len, NULL) == MIKEY_ERR_NULL_POINTER);
    CHECK(resumed == NULL);

    CHECK(mikey_session_resume_initiator(ci, msg, len, &resumed) == MIKEY_OK);
    CHECK(mikey_session_state(resumed, &state) == MIKEY_OK && state == MIKEY_STATE_AWAITING_VERIFICATION);
    CHECK(mikey_session_process(resumed, reply, reply_len, NULL, 0, &none) == MIKEY_OK && none == 0);
    CHECK(mikey_session_state(resumed, &state) == MIKEY_OK && state == MIKEY_STATE_ESTABLISHED);
    same_keys(resumed, r, 2, 4);
    mikey_session_free(resumed);
    mikey_session_free(r);
    mikey_config_free(ci);
    mikey_config_free(cr);
    mikey_config_free(other);
}

/* A failed mikey_session_process installs nothing (its argument checks come before the
 * commit), and *reply_len is 0 after every failure without a reply, including failures at
 * commit time such as a full replay cache. */
static void test_failures_commit_nothing(void) {
    mikey_config_t *ci = psk_config(0, MIKEY_SRTP_AES128_CM_SHA1_80, MIKEY_SRTP_AES128_CM_SHA1_80);
    mikey_config_builder_t *b = NULL;
    mikey_config_t *cr = NULL;
    uint32_t good = MIKEY_SRTP_AES128_CM_SHA1_80;
    CHECK(mikey_config_builder_new(MIKEY_MODE_PSK, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_set_psk(b, PSK, sizeof PSK - 1) == MIKEY_OK);
    CHECK(mikey_config_builder_set_accepted(b, &good, 1) == MIKEY_OK);
    CHECK(mikey_config_builder_set_clock(b, test_clock, &now_ntp) == MIKEY_OK);
    CHECK(mikey_config_builder_set_replay_capacity(b, 1) == MIKEY_OK);
    CHECK(mikey_config_builder_build(b, &cr) == MIKEY_OK);
    mikey_stream_t s = {0x5151, 0, 0};
    mikey_session_t *i = NULL, *i2 = NULL, *r = NULL, *r2 = NULL;
    uint8_t msg[2048], msg2[2048], reply[2048];
    size_t len = 0, len2 = 0, reply_len = 777, cached = 9;
    uint32_t state = 99;
    CHECK(mikey_session_new(ci, MIKEY_ROLE_INITIATOR, &i) == MIKEY_OK);
    CHECK(mikey_session_initiate(i, &s, 1, msg, sizeof msg, &len) == MIKEY_OK);
    CHECK(mikey_session_new(cr, MIKEY_ROLE_RESPONDER, &r) == MIKEY_OK);

    /* A NULL reply buffer with a capacity: refused before the keys or the replay entry go in. */
    CHECK(mikey_session_process(r, msg, len, NULL, sizeof reply, &reply_len) == MIKEY_ERR_NULL_POINTER);
    CHECK(reply_len == 0);
    CHECK(mikey_session_state(r, &state) == MIKEY_OK && state == MIKEY_STATE_IDLE);
    CHECK(mikey_config_replay_cache_len(cr, &cached) == MIKEY_OK && cached == 0);
    /* So the retry with a real buffer gets the verification message, not MIKEY_ERR_REPLAYED. */
    CHECK(mikey_session_process(r, msg, len, reply, sizeof reply, &reply_len) == MIKEY_OK);
    CHECK(reply_len > 0);
    CHECK(mikey_session_process(i, reply, reply_len, NULL, 0, &reply_len) == MIKEY_OK);

    /* A message that fails at commit time (the one-entry replay cache is full) leaves no
     * stale length behind. */
    now_ntp += 1ull << 32;
    CHECK(mikey_session_new(ci, MIKEY_ROLE_INITIATOR, &i2) == MIKEY_OK);
    CHECK(mikey_session_initiate(i2, &s, 1, msg2, sizeof msg2, &len2) == MIKEY_OK);
    CHECK(mikey_session_new(cr, MIKEY_ROLE_RESPONDER, &r2) == MIKEY_OK);
    reply_len = 777;
    CHECK(mikey_session_process(r2, msg2, len2, reply, sizeof reply, &reply_len) ==
          MIKEY_ERR_REPLAY_CACHE_FULL);
    CHECK(reply_len == 0);
    CHECK(mikey_session_state(r2, &state) == MIKEY_OK && state == MIKEY_STATE_IDLE);
    /* Early failures too: a NULL message, then a replay. */
    reply_len = 777;
    CHECK(mikey_session_process(r2, NULL, len2, reply, sizeof reply, &reply_len) == MIKEY_ERR_NULL_POINTER);
    CHECK(reply_len == 0);
    reply_len = 777;
    CHECK(mikey_session_process(r2, msg, len, reply, sizeof reply, &reply_len) == MIKEY_ERR_REPLAYED);
    CHECK(reply_len == 0);
    mikey_session_free(i);
    mikey_session_free(i2);
    mikey_session_free(r);
    mikey_session_free(r2);
    mikey_config_free(ci);
    mikey_config_free(cr);
}

static mikey_config_t *null_config(size_t max_message_size) {
    mikey_config_builder_t *b = NULL;
    mikey_config_t *c = NULL;
    CHECK(mikey_config_builder_new(MIKEY_MODE_NULL, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_set_clock(b, test_clock, &now_ntp) == MIKEY_OK);
    if (max_message_size) CHECK(mikey_config_builder_set_max_message_size(b, max_message_size) == MIKEY_OK);
    CHECK(mikey_config_builder_build(b, &c) == MIKEY_OK);
    return c;
}

/* A NULL-mode I_MESSAGE (no MAC) with `ext` General Extension payloads of `ext_len` bytes
 * inserted before its KEMAC, in `out` (which must hold the result); returns its length. */
static size_t extend_null(const uint8_t *msg, size_t len, size_t ext, size_t ext_len, uint8_t *out) {
    struct mikey_message_t *m = NULL;
    size_t count = 0;
    struct mikey_payload_info_t kemac, before;
    CHECK(mikey_message_parse(msg, len, &m, NULL) == MIKEY_OK);
    CHECK(mikey_message_payload_count(m, &count) == MIKEY_OK && count >= 2);
    CHECK(mikey_message_payload_info(m, count - 1, &kemac) == MIKEY_OK && kemac.payload_type == MIKEY_PAYLOAD_KEMAC);
    CHECK(mikey_message_payload_info(m, count - 2, &before) == MIKEY_OK);
    mikey_message_free(m);
    size_t at = kemac.offset;
    memcpy(out, msg, at);
    out[before.offset] = 21; /* General Ext. follows */
    for (size_t i = 0; i < ext; i++) {
        out[at++] = i + 1 < ext ? 21 : 1; /* then KEMAC */
        out[at++] = 1;                    /* SDP IDs */
        out[at++] = (uint8_t)(ext_len >> 8);
        out[at++] = (uint8_t)ext_len;
        memset(out + at, 'm', ext_len);
        at += ext_len;
    }
    memcpy(out + at, msg + kemac.offset, len - kemac.offset);
    return at + len - kemac.offset;
}

/* Messages over the maximum message size or with more than 512 payloads are refused
 * before parsing, without reply and with the session unchanged; the size is settable. */
static void test_limits(void) {
    mikey_config_t *cn = null_config(0), *wide = null_config(70000);
    mikey_session_t *i = NULL, *r = NULL;
    mikey_stream_t s = {0x42, 0, 0};
    uint8_t msg[2048], reply[2048];
    size_t len = 0, reply_len = 9, cached = 9, count = 0;
    uint32_t state = 99;
    uint8_t *big = malloc(70000);
    CHECK(big != NULL);
    if (big == NULL) return;
    CHECK(mikey_session_new(cn, MIKEY_ROLE_INITIATOR, &i) == MIKEY_OK);
    CHECK(mikey_session_initiate(i, &s, 1, msg, sizeof msg, &len) == MIKEY_OK);
    mikey_session_free(i);

    /* One byte over the default limit. */
    size_t over = extend_null(msg, len, 1, MIKEY_DEFAULT_MAX_MESSAGE_SIZE + 1 - len - 4, big);
    CHECK(over == MIKEY_DEFAULT_MAX_MESSAGE_SIZE + 1);
    CHECK(mikey_session_new(cn, MIKEY_ROLE_RESPONDER, &r) == MIKEY_OK);
    CHECK(mikey_session_process(r, big, over, reply, sizeof reply, &reply_len) == MIKEY_ERR_MESSAGE_TOO_LARGE);
    CHECK(reply_len == 0);
    CHECK(mikey_session_state(r, &state) == MIKEY_OK && state == MIKEY_STATE_IDLE);
    CHECK(mikey_config_replay_cache_len(cn, &cached) == MIKEY_OK && cached == 0);
    mikey_session_free(r);
    /* A responder with a higher limit takes it. */
    CHECK(mikey_session_new(wide, MIKEY_ROLE_RESPONDER, &r) == MIKEY_OK);
    CHECK(mikey_session_process(r, big, over, reply, sizeof reply, &reply_len) == MIKEY_OK);
    CHECK(mikey_session_state(r, &state) == MIKEY_OK && state == MIKEY_STATE_ESTABLISHED);
    mikey_session_free(r);

    /* 513 payloads: refused at the 513th; 512 are processed. */
    struct mikey_message_t *m = NULL;
    CHECK(mikey_message_parse(msg, len, &m, NULL) == MIKEY_OK);
    CHECK(mikey_message_payload_count(m, &count) == MIKEY_OK);
    mikey_message_free(m);
    size_t n = extend_null(msg, len, 513 - count, 0, big);
    CHECK(mikey_session_new(cn, MIKEY_ROLE_RESPONDER, &r) == MIKEY_OK);
    CHECK(mikey_session_process(r, big, n, reply, sizeof reply, &reply_len) == MIKEY_ERR_TOO_MANY_PAYLOADS);
    CHECK(reply_len == 0);
    CHECK(mikey_session_state(r, &state) == MIKEY_OK && state == MIKEY_STATE_IDLE);
    n = extend_null(msg, len, 512 - count, 0, big);
    CHECK(mikey_session_process(r, big, n, reply, sizeof reply, &reply_len) == MIKEY_OK);
    CHECK(mikey_session_state(r, &state) == MIKEY_OK && state == MIKEY_STATE_ESTABLISHED);
    mikey_session_free(r);

    /* The setter's range: 1024..=16777216. */
    mikey_config_builder_t *b = NULL;
    CHECK(mikey_config_builder_set_max_message_size(NULL, 65536) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_config_builder_new(MIKEY_MODE_NULL, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_set_max_message_size(b, 0) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_config_builder_set_max_message_size(b, 1023) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_config_builder_set_max_message_size(b, 16777217) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_config_builder_set_max_message_size(b, SIZE_MAX) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_config_builder_set_max_message_size(b, 1024) == MIKEY_OK);
    CHECK(mikey_config_builder_set_max_message_size(b, 16777216) == MIKEY_OK);
    mikey_config_builder_free(b);
    free(big);
    mikey_config_free(cn);
    mikey_config_free(wide);
}

int main(void) {
    test_exchanges();
    test_resume_initiator();
    test_refusals();
    test_failures_commit_nothing();
    test_null_mode_and_callbacks();
    test_monotonic_clock();
    test_arguments();
    test_limits();
    return check_report("test_exchange");
}
