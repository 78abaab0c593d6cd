/* The Diffie-Hellman modes through the C API, with the test PKI c-tests/make_pki.sh made in
 * the directory given as argv[1] (ctest fixture "pki"):
 * - DH-SIGN (RFC 3830 §3.3, MIKEY_MODE_DH_SIGN) and DH-HMAC (RFC 4650, MIKEY_MODE_DH_HMAC)
 *   in each OAKLEY group (mikey_config_builder_set_dh_group): the Initiator is
 *   MIKEY_STATE_AWAITING_KEYS until the answer, then both sides hold the same keys and
 *   libsrtp2 carries RTP with them both ways;
 * - an update (mikey_session_rekey) of each mode: a new DH exchange, new keys carrying RTP;
 *   and an update without DH values (mikey_session_update_keeping_tgk, RFC 3830 §4.5, RFC
 *   4650 §3.1 b) adding a stream keyed with the same TGK;
 * - refusals, each with its status and Error no.: a wrong PSK (MIKEY_ERR_AUTH_FAILED), a
 *   wrong signature and a tampered DH value (MIKEY_ERR_SIGNATURE_INVALID), out-of-range DH
 *   values 0, 1, p-1, p and above p re-signed by the openssl tool
 *   (MIKEY_ERR_BAD_DH_VALUE, Error no. 6), another group (MIKEY_ERR_UNSUPPORTED_DH_GROUP),
 *   a replay (MIKEY_ERR_REPLAYED); the Responder stays IDLE;
 * - forked DH-SIGN answers from two Responders: two branches with independent keys;
 * - the ECC profile of DH-SIGN (draft-ietf-msec-mikey-ecc-03, mikey_config_builder_set_ecc_profile):
 *   ECDH on P-256 and P-384 with ECDSA keys (mikey_config_builder_set_ec_private_key), keys
 *   carrying RTP; a tampered DH value or signature refused; a Responder on OAKLEY 5
 *   refusing a P-256 offer with Error no. 6; a config asking for a curve without the
 *   profile refused;
 * - the method recommendation of RFC 5197 §5.5 (mikey_recommend_mode);
 * - C API misuse of the DH settings. */
#include "check.h"
#include "pki_file.h"

#include <mikey_srtp.h>
#include "srtp_end.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MSG_CAP 8192
#define SIG_LEN 256 /* RSA-2048 */

static char pki_dir[1024];
static const char *prog = "test_dh";

static blob_t load(const char *name) {
    blob_t b = pki_file(pki_dir, name, prog);
    CHECK(b.data != NULL);
    return b;
}

static const uint8_t PSK[] = "a DH-HMAC pre-shared key, 32 b.";

static void set_uri(mikey_config_builder_t *b, int local, const char *name) {
    char uri[64];
    snprintf(uri, sizeof uri, "sip:%s@example.com", name);
    if (local)
        CHECK(mikey_config_builder_set_local_identity(b, MIKEY_ID_URI, (const uint8_t *)uri,
                                                      strlen(uri)) == MIKEY_OK);
    else
        CHECK(mikey_config_builder_set_peer_identity(b, MIKEY_ID_URI, (const uint8_t *)uri,
                                                     strlen(uri)) == MIKEY_OK);
}

/* The config `b` builds (CHECKed), or NULL with the builder's error shown and `b` freed. */
static mikey_config_t *built(mikey_config_builder_t *b) {
    mikey_config_t *c = NULL;
    mikey_status_t st = mikey_config_builder_build(b, &c);
    CHECK(st == MIKEY_OK);
    if (st != MIKEY_OK) {
        fprintf(stderr, "%s: build: %s\n", prog, mikey_config_builder_error_detail(b));
        mikey_config_builder_free(b);
    }
    return c;
}

/* A config of `mode` for `me` (with its key and certificate, the test CA trusted, in
 * DH-SIGN; the PSK in DH-HMAC), naming `peer` unless it is NULL, in `group`. */
static mikey_config_t *config(mikey_mode_t mode, const char *me, const char *peer,
                              mikey_dh_group_t group, int forking) {
    mikey_config_builder_t *b = NULL;
    CHECK(mikey_config_builder_new(mode, &b) == MIKEY_OK);
    if (mode == MIKEY_MODE_DH_SIGN) {
        char file[64];
        snprintf(file, sizeof file, "%s.key", me);
        blob_t key = load(file);
        snprintf(file, sizeof file, "%s.pem", me);
        blob_t cert = load(file);
        blob_t ca = load("ca.pem");
        CHECK(mikey_config_builder_set_private_key(b, key.data, key.len) == MIKEY_OK);
        CHECK(mikey_config_builder_set_certificate_chain(b, cert.data, cert.len) == MIKEY_OK);
        CHECK(mikey_config_builder_set_trust_anchors(b, ca.data, ca.len) == MIKEY_OK);
        free(key.data);
        free(cert.data);
        free(ca.data);
    } else {
        CHECK(mikey_config_builder_set_psk(b, PSK, sizeof PSK - 1) == MIKEY_OK);
    }
    set_uri(b, 1, me);
    if (peer != NULL) set_uri(b, 0, peer);
    CHECK(mikey_config_builder_set_dh_group(b, group) == MIKEY_OK);
    if (forking) CHECK(mikey_config_builder_set_accept_forked_answers(b, 1) == MIKEY_OK);
    return built(b);
}

static uint8_t data_type(const uint8_t *msg, size_t len) {
    mikey_message_t *m = NULL;
    mikey_header_info_t h;
    memset(&h, 0, sizeof h);
    h.data_type = 0xff;
    if (mikey_message_parse(msg, len, &m, NULL) == MIKEY_OK) {
        CHECK(mikey_message_header(m, &h) == MIKEY_OK);
        mikey_message_free(m);
    }
    return h.data_type;
}

/* The payload info of the `nth` (0 first) payload of type `type`; CHECKs there is one. */
static mikey_payload_info_t find(const uint8_t *msg, size_t len, uint8_t type, int nth) {
    mikey_message_t *m = NULL;
    mikey_payload_info_t found;
    size_t count = 0;
    int seen = 0;
    memset(&found, 0, sizeof found);
    CHECK(mikey_message_parse(msg, len, &m, NULL) == MIKEY_OK);
    CHECK(mikey_message_payload_count(m, &count) == MIKEY_OK);
    for (size_t i = 0; i < count; i++) {
        mikey_payload_info_t info;
        CHECK(mikey_message_payload_info(m, i, &info) == MIKEY_OK);
        if (info.payload_type == type && seen++ == nth) found = info;
    }
    mikey_message_free(m);
    CHECK(seen > nth);
    return found;
}

/* The number of payloads of type `type` in a message that parses. */
static size_t payload_count(const uint8_t *msg, size_t len, uint8_t type) {
    mikey_message_t *m = NULL;
    size_t count = 0, found = 0;
    CHECK(mikey_message_parse(msg, len, &m, NULL) == MIKEY_OK);
    CHECK(mikey_message_payload_count(m, &count) == MIKEY_OK);
    for (size_t i = 0; i < count; i++) {
        mikey_payload_info_t info;
        CHECK(mikey_message_payload_info(m, i, &info) == MIKEY_OK);
        if (info.payload_type == type) found++;
    }
    mikey_message_free(m);
    return found;
}

/* The Error no. of an Error message; -1 if it is not one. */
static int error_no(const uint8_t *msg, size_t len) {
    if (len == 0 || data_type(msg, len) != MIKEY_DATA_TYPE_ERROR) return -1;
    return find(msg, len, MIKEY_PAYLOAD_ERROR, 0).code;
}

static const mikey_stream_t STREAMS[2] = {{0x0000d1d1u, 0, 0}, {0x0000d2d2u, 5, 0}};

/* `a` and `b` hold `count` crypto sessions with the same keys. */
static void same_keys_n(const mikey_session_t *a, const mikey_session_t *b, size_t count) {
    size_t na = 0, nb = 0;
    CHECK(mikey_session_crypto_session_count(a, &na) == MIKEY_OK && na == count);
    CHECK(mikey_session_crypto_session_count(b, &nb) == MIKEY_OK && nb == count);
    for (size_t i = 0; i < count && i < na && i < nb; i++) {
        mikey_srtp_key_t ka, kb;
        CHECK(mikey_session_srtp_key(a, i, 0, &ka) == MIKEY_OK);
        CHECK(mikey_session_srtp_key(b, i, 0, &kb) == MIKEY_OK);
        CHECK(ka.key_salt_len == kb.key_salt_len &&
              memcmp(ka.key_salt, kb.key_salt, ka.key_salt_len) == 0);
        memset(&ka, 0, sizeof ka);
        memset(&kb, 0, sizeof kb);
    }
}

/* The two crypto sessions of STREAMS. */
static void same_keys(const mikey_session_t *a, const mikey_session_t *b) { same_keys_n(a, b, 2); }

/* One RTP packet of crypto session `cs` from `from` to `to` (srtp_end.h). */
static void rtp(const mikey_session_t *from, const mikey_session_t *to, size_t cs) {
    srtp_round_trip(from, to, cs, STREAMS[cs].ssrc);
}

/* The last R_MESSAGE exchange() saw. */
static uint8_t last_answer[MSG_CAP];
static size_t last_answer_len;

/* I_MESSAGE (kept in `init`), R_MESSAGE (kept in last_answer): both sides keyed alike. */
static void exchange(mikey_config_t *ci, mikey_config_t *cr, mikey_session_t **i,
                     mikey_session_t **r, uint8_t *init, size_t *init_len) {
    uint8_t *answer = last_answer;
    size_t answer_len = 0, none = 1, n = 9;
    mikey_state_t st = 0;
    CHECK(mikey_session_new(ci, MIKEY_ROLE_INITIATOR, i) == MIKEY_OK);
    CHECK(mikey_session_new(cr, MIKEY_ROLE_RESPONDER, r) == MIKEY_OK);
    CHECK(mikey_session_initiate(*i, STREAMS, 2, init, MSG_CAP, init_len) == MIKEY_OK);
    CHECK(mikey_session_state(*i, &st) == MIKEY_OK && st == MIKEY_STATE_AWAITING_KEYS);
    CHECK(mikey_session_crypto_session_count(*i, &n) == MIKEY_OK && n == 0);
    mikey_status_t s =
        mikey_session_process(*r, init, *init_len, answer, MSG_CAP, &answer_len);
    last_answer_len = answer_len;
    CHECK(s == MIKEY_OK);
    if (s != MIKEY_OK) fprintf(stderr, "%s: %s\n", prog, mikey_session_error_detail(*r));
    CHECK(answer_len > 0);
    s = mikey_session_process(*i, answer, answer_len, NULL, 0, &none);
    CHECK(s == MIKEY_OK);
    if (s != MIKEY_OK) fprintf(stderr, "%s: %s\n", prog, mikey_session_error_detail(*i));
    CHECK(none == 0);
    CHECK(mikey_session_state(*i, &st) == MIKEY_OK && st == MIKEY_STATE_ESTABLISHED);
    same_keys(*i, *r);
}

static void modes_and_groups(void) {
    const mikey_dh_group_t groups[3] = {MIKEY_DH_OAKLEY_5, MIKEY_DH_OAKLEY_1, MIKEY_DH_OAKLEY_2};
    const mikey_mode_t modes[2] = {MIKEY_MODE_DH_SIGN, MIKEY_MODE_DH_HMAC};
    const uint8_t types[2][2] = {{MIKEY_DATA_TYPE_DH_INIT, MIKEY_DATA_TYPE_DH_RESP},
                                 {MIKEY_DATA_TYPE_DH_HMAC_INIT, MIKEY_DATA_TYPE_DH_HMAC_RESP}};
    for (size_t m = 0; m < 2; m++) {
        for (size_t g = 0; g < 3; g++) {
            mikey_config_t *ci = config(modes[m], "alice", "bob", groups[g], 0);
            mikey_config_t *cr = config(modes[m], "bob", "alice", groups[g], 0);
            mikey_session_t *i = NULL, *r = NULL;
            uint8_t init[MSG_CAP];
            size_t init_len = 0;
            exchange(ci, cr, &i, &r, init, &init_len);
            CHECK(data_type(init, init_len) == types[m][0]);
            CHECK(init_len > 0 && data_type(last_answer, last_answer_len) == types[m][1]);
            mikey_payload_info_t dh = find(init, init_len, MIKEY_PAYLOAD_DH, 0);
            CHECK(dh.code == groups[g]);
            rtp(i, r, 0);
            rtp(r, i, 1);
            mikey_session_free(i);
            mikey_session_free(r);
            mikey_config_free(ci);
            mikey_config_free(cr);
        }
    }
}

/* An update of a DH CSB (RFC 3830 §4.5, RFC 4650 §3.1): a new DH exchange on the same CSB
 * gives new keys on both sides, which carry RTP; the old keys stay until the answer. */
static void update(mikey_mode_t mode) {
    mikey_config_t *ci = config(mode, "alice", "bob", MIKEY_DH_OAKLEY_1, 0);
    mikey_config_t *cr = config(mode, "bob", "alice", MIKEY_DH_OAKLEY_1, 0);
    mikey_session_t *i = NULL, *r = NULL;
    uint8_t init[MSG_CAP], upd[MSG_CAP], answer[MSG_CAP];
    size_t init_len = 0, upd_len = 0, answer_len = 0, none = 1, n = 0;
    exchange(ci, cr, &i, &r, init, &init_len);
    mikey_srtp_key_t before, during, after;
    CHECK(mikey_session_srtp_key(i, 0, 0, &before) == MIKEY_OK);
    CHECK(mikey_session_rekey(i, NULL, 0, upd, sizeof upd, &upd_len) == MIKEY_OK);
    CHECK(mikey_session_crypto_session_count(i, &n) == MIKEY_OK && n == 2);
    CHECK(mikey_session_srtp_key(i, 0, 0, &during) == MIKEY_OK);
    CHECK(memcmp(before.key_salt, during.key_salt, before.key_salt_len) == 0);
    CHECK(mikey_session_process(r, upd, upd_len, answer, sizeof answer, &answer_len) ==
          MIKEY_OK);
    CHECK(mikey_session_process(i, answer, answer_len, NULL, 0, &none) == MIKEY_OK);
    same_keys(i, r);
    CHECK(mikey_session_srtp_key(i, 0, 0, &after) == MIKEY_OK);
    CHECK(memcmp(before.key_salt, after.key_salt, before.key_salt_len) != 0);
    rtp(i, r, 0);
    /* An update without DH values: a third stream, keyed with the TGK both hold; the first
     * crypto session keeps its keys. Not in PSK mode (below, misuse). */
    const mikey_stream_t third = {0x0000d3d3u, 0, 0};
    mikey_srtp_key_t kept;
    CHECK(mikey_session_update_keeping_tgk(i, &third, 1, upd, sizeof upd, &upd_len) == MIKEY_OK);
    CHECK(payload_count(upd, upd_len, MIKEY_PAYLOAD_DH) == 0);
    CHECK(mikey_session_process(r, upd, upd_len, answer, sizeof answer, &answer_len) ==
          MIKEY_OK);
    CHECK(payload_count(answer, answer_len, MIKEY_PAYLOAD_DH) == 0);
    CHECK(mikey_session_process(i, answer, answer_len, NULL, 0, &none) == MIKEY_OK);
    same_keys_n(i, r, 3);
    CHECK(mikey_session_srtp_key(i, 0, 0, &kept) == MIKEY_OK);
    CHECK(memcmp(kept.key_salt, after.key_salt, after.key_salt_len) == 0);
    memset(&kept, 0, sizeof kept);
    memset(&before, 0, sizeof before);
    memset(&during, 0, sizeof during);
    memset(&after, 0, sizeof after);
    mikey_session_free(i);
    mikey_session_free(r);
    mikey_config_free(ci);
    mikey_config_free(cr);
}

/* `msg` is refused by a new Responder of `cr` with `status` and an Error message with
 * `errno_want` (-1: none); the session stays IDLE. */
static void refused(mikey_config_t *cr, const uint8_t *msg, size_t len, mikey_status_t status,
                    int errno_want) {
    mikey_session_t *r = NULL;
    uint8_t reply[MSG_CAP];
    size_t reply_len = 777;
    mikey_state_t st = 99;
    CHECK(mikey_session_new(cr, MIKEY_ROLE_RESPONDER, &r) == MIKEY_OK);
    mikey_status_t got = mikey_session_process(r, msg, len, reply, sizeof reply, &reply_len);
    CHECK(got == status);
    if (got != status)
        fprintf(stderr, "%s: status %u (%s), wanted %u\n", prog, got,
                mikey_session_error_detail(r), status);
    CHECK(mikey_session_state(r, &st) == MIKEY_OK && st == MIKEY_STATE_IDLE);
    if (errno_want < 0)
        CHECK(reply_len == 0);
    else
        CHECK(error_no(reply, reply_len) == errno_want);
    mikey_session_free(r);
}

static void refusals(void) {
    mikey_session_t *i = NULL;
    uint8_t init[MSG_CAP], bad[MSG_CAP];
    size_t init_len = 0;
    /* DH-HMAC with another PSK: an authentication failure (Error no. 0). */
    mikey_config_builder_t *b = NULL;
    mikey_config_t *other = NULL;
    CHECK(mikey_config_builder_new(MIKEY_MODE_DH_HMAC, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_set_psk(b, (const uint8_t *)"another key", 11) == MIKEY_OK);
    set_uri(b, 1, "alice");
    set_uri(b, 0, "bob");
    CHECK(mikey_config_builder_build(b, &other) == MIKEY_OK);
    mikey_config_t *hmac_r = config(MIKEY_MODE_DH_HMAC, "bob", "alice", MIKEY_DH_OAKLEY_5, 0);
    CHECK(mikey_session_new(other, MIKEY_ROLE_INITIATOR, &i) == MIKEY_OK);
    CHECK(mikey_session_initiate(i, STREAMS, 2, init, sizeof init, &init_len) == MIKEY_OK);
    refused(hmac_r, init, init_len, MIKEY_ERR_AUTH_FAILED, MIKEY_ERRNO_AUTH_FAILURE);
    mikey_session_free(i);
    mikey_config_free(other);
    mikey_config_free(hmac_r);

    /* DH-SIGN, OAKLEY 1. */
    mikey_config_t *ci = config(MIKEY_MODE_DH_SIGN, "alice", "bob", MIKEY_DH_OAKLEY_1, 0);
    mikey_config_t *cr = config(MIKEY_MODE_DH_SIGN, "bob", "alice", MIKEY_DH_OAKLEY_1, 0);
    CHECK(mikey_session_new(ci, MIKEY_ROLE_INITIATOR, &i) == MIKEY_OK);
    CHECK(mikey_session_initiate(i, STREAMS, 2, init, sizeof init, &init_len) == MIKEY_OK);
    /* A wrong signature, and a flipped bit in DHi: SIGNi does not verify (no reply: an
     * authentication failure of a signature is answered unauthenticated or not at all). */
    memcpy(bad, init, init_len);
    bad[init_len - 1] ^= 1;
    refused(cr, bad, init_len, MIKEY_ERR_SIGNATURE_INVALID, MIKEY_ERRNO_AUTH_FAILURE);
    mikey_payload_info_t dh = find(init, init_len, MIKEY_PAYLOAD_DH, 0);
    CHECK(dh.data_len == 96);
    memcpy(bad, init, init_len);
    bad[dh.offset + 2 + 50] ^= 0x10;
    refused(cr, bad, init_len, MIKEY_ERR_SIGNATURE_INVALID, MIKEY_ERRNO_AUTH_FAILURE);
    /* Out-of-range values 0, 1, p-1, p and above p (all ones), signed again by Alice's
     * key: Error no. 6. p is OAKLEY 1 (RFC 2412 Appendix E.1). */
    static const uint8_t oakley1[96] = {
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xC9, 0x0F, 0xDA, 0xA2,
        0x21, 0x68, 0xC2, 0x34, 0xC4, 0xC6, 0x62, 0x8B, 0x80, 0xDC, 0x1C, 0xD1,
        0x29, 0x02, 0x4E, 0x08, 0x8A, 0x67, 0xCC, 0x74, 0x02, 0x0B, 0xBE, 0xA6,
        0x3B, 0x13, 0x9B, 0x22, 0x51, 0x4A, 0x08, 0x79, 0x8E, 0x34, 0x04, 0xDD,
        0xEF, 0x95, 0x19, 0xB3, 0xCD, 0x3A, 0x43, 0x1B, 0x30, 0x2B, 0x0A, 0x6D,
        0xF2, 0x5F, 0x14, 0x37, 0x4F, 0xE1, 0x35, 0x6D, 0x6D, 0x51, 0xC2, 0x45,
        0xE4, 0x85, 0xB5, 0x76, 0x62, 0x5E, 0x7E, 0xC6, 0xF4, 0x4C, 0x42, 0xE9,
        0xA6, 0x3A, 0x36, 0x20, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    };
    for (int v = 0; v < 5; v++) {
        uint8_t value[96];
        memset(value, 0, sizeof value);
        if (v == 1) value[95] = 1;
        if (v == 2 || v == 3) memcpy(value, oakley1, sizeof value);
        if (v == 2) value[95] = 0xFE;
        if (v == 4) memset(value, 0xff, sizeof value);
        memcpy(bad, init, init_len);
        memcpy(bad + dh.offset + 2, value, sizeof value);
        CHECK(pki_resign(pki_dir, prog, bad, init_len, SIG_LEN, "alice.key"));
        refused(cr, bad, init_len, MIKEY_ERR_BAD_DH_VALUE, MIKEY_ERRNO_INVALID_DH);
    }
    /* A replay. */
    mikey_session_t *r = NULL;
    uint8_t answer[MSG_CAP];
    size_t answer_len = 0;
    CHECK(mikey_session_new(cr, MIKEY_ROLE_RESPONDER, &r) == MIKEY_OK);
    CHECK(mikey_session_process(r, init, init_len, answer, sizeof answer, &answer_len) ==
          MIKEY_OK);
    mikey_session_free(r);
    refused(cr, init, init_len, MIKEY_ERR_REPLAYED, -1);
    mikey_session_free(i);
    /* Another group: Error no. 6. */
    mikey_config_t *c5 = config(MIKEY_MODE_DH_SIGN, "alice", "bob", MIKEY_DH_OAKLEY_5, 0);
    CHECK(mikey_session_new(c5, MIKEY_ROLE_INITIATOR, &i) == MIKEY_OK);
    CHECK(mikey_session_initiate(i, STREAMS, 2, init, sizeof init, &init_len) == MIKEY_OK);
    refused(cr, init, init_len, MIKEY_ERR_UNSUPPORTED_DH_GROUP, MIKEY_ERRNO_INVALID_DH);
    mikey_session_free(i);
    mikey_config_free(c5);
    mikey_config_free(ci);
    mikey_config_free(cr);
}

static void forked(void) {
    mikey_config_t *ci = config(MIKEY_MODE_DH_SIGN, "alice", NULL, MIKEY_DH_OAKLEY_1, 1);
    mikey_config_t *cb = config(MIKEY_MODE_DH_SIGN, "bob", "alice", MIKEY_DH_OAKLEY_1, 0);
    mikey_config_t *cc = config(MIKEY_MODE_DH_SIGN, "carol", "alice", MIKEY_DH_OAKLEY_1, 0);
    mikey_session_t *i = NULL, *rb = NULL, *rc = NULL;
    uint8_t init[MSG_CAP], from_bob[MSG_CAP], from_carol[MSG_CAP];
    size_t init_len = 0, bob_len = 0, carol_len = 0, none = 0, n = 0;
    mikey_state_t st = 0;
    CHECK(mikey_session_new(ci, MIKEY_ROLE_INITIATOR, &i) == MIKEY_OK);
    CHECK(mikey_session_new(cb, MIKEY_ROLE_RESPONDER, &rb) == MIKEY_OK);
    CHECK(mikey_session_new(cc, MIKEY_ROLE_RESPONDER, &rc) == MIKEY_OK);
    CHECK(mikey_session_initiate(i, STREAMS, 2, init, sizeof init, &init_len) == MIKEY_OK);
    CHECK(mikey_session_process(rb, init, init_len, from_bob, sizeof from_bob, &bob_len) ==
          MIKEY_OK);
    CHECK(mikey_session_process(rc, init, init_len, from_carol, sizeof from_carol,
                                &carol_len) == MIKEY_OK);
    CHECK(mikey_session_process(i, from_bob, bob_len, NULL, 0, &none) == MIKEY_OK);
    CHECK(mikey_session_process(i, from_carol, carol_len, NULL, 0, &none) == MIKEY_OK);
    CHECK(mikey_session_state(i, &st) == MIKEY_OK && st == MIKEY_STATE_FORKED);
    CHECK(mikey_session_branch_count(i, &n) == MIKEY_OK && n == 2);
    mikey_srtp_key_t kb, kc, rkb, rkc;
    CHECK(mikey_session_branch_srtp_key(i, 0, 0, 0, &kb) == MIKEY_OK);
    CHECK(mikey_session_branch_srtp_key(i, 1, 0, 0, &kc) == MIKEY_OK);
    CHECK(mikey_session_srtp_key(rb, 0, 0, &rkb) == MIKEY_OK);
    CHECK(mikey_session_srtp_key(rc, 0, 0, &rkc) == MIKEY_OK);
    CHECK(memcmp(kb.key_salt, rkb.key_salt, kb.key_salt_len) == 0);
    CHECK(memcmp(kc.key_salt, rkc.key_salt, kc.key_salt_len) == 0);
    CHECK(memcmp(kb.key_salt, kc.key_salt, kb.key_salt_len) != 0);
    CHECK(mikey_session_select_branch(i, 0) == MIKEY_OK);
    same_keys(i, rb);
    memset(&kb, 0, sizeof kb);
    memset(&kc, 0, sizeof kc);
    memset(&rkb, 0, sizeof rkb);
    memset(&rkc, 0, sizeof rkc);
    mikey_session_free(i);
    mikey_session_free(rb);
    mikey_session_free(rc);
    mikey_config_free(ci);
    mikey_config_free(cb);
    mikey_config_free(cc);
}

static void misuse(void) {
    mikey_config_builder_t *b = NULL;
    mikey_config_t *c = NULL;
    /* An update keeping the TGK: DH modes only, and only with keys. */
    uint8_t msg[MSG_CAP];
    size_t msg_len = 0;
    mikey_session_t *s = NULL;
    CHECK(mikey_session_update_keeping_tgk(NULL, NULL, 0, msg, sizeof msg, &msg_len) ==
          MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_config_builder_new(MIKEY_MODE_PSK, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_set_psk(b, PSK, sizeof PSK - 1) == MIKEY_OK);
    CHECK(mikey_config_builder_build(b, &c) == MIKEY_OK);
    CHECK(mikey_session_new(c, MIKEY_ROLE_INITIATOR, &s) == MIKEY_OK);
    CHECK(mikey_session_update_keeping_tgk(s, NULL, 0, msg, sizeof msg, &msg_len) ==
          MIKEY_ERR_WRONG_STATE);
    CHECK(mikey_session_initiate(s, STREAMS, 1, msg, sizeof msg, &msg_len) == MIKEY_OK);
    CHECK(mikey_session_update_keeping_tgk(s, NULL, 0, msg, sizeof msg, &msg_len) ==
          MIKEY_ERR_CONFIG);
    mikey_session_free(s);
    mikey_config_free(c);
    c = NULL;
    CHECK(mikey_config_builder_set_dh_group(NULL, MIKEY_DH_OAKLEY_5) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_config_builder_new(MIKEY_MODE_DH_SIGN, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_set_dh_group(b, 3) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_config_builder_error_detail(b)[0] != '\0');
    /* DH-SIGN without a private key does not build. */
    CHECK(mikey_config_builder_build(b, &c) == MIKEY_ERR_CONFIG);
    mikey_config_builder_free(b);
    /* DH-HMAC without a PSK does not build. */
    CHECK(mikey_config_builder_new(MIKEY_MODE_DH_HMAC, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_build(b, &c) == MIKEY_ERR_CONFIG);
    mikey_config_builder_free(b);
    CHECK(mikey_config_builder_new(6, &b) == MIKEY_ERR_INVALID_ARGUMENT);
    /* A DH Initiator cannot be rebuilt from its message: x_i is not in it. */
    mikey_config_t *ci = config(MIKEY_MODE_DH_HMAC, "alice", "bob", MIKEY_DH_OAKLEY_1, 0);
    mikey_session_t *i = NULL, *again = NULL;
    uint8_t init[MSG_CAP];
    size_t init_len = 0;
    CHECK(mikey_session_new(ci, MIKEY_ROLE_INITIATOR, &i) == MIKEY_OK);
    CHECK(mikey_session_initiate(i, STREAMS, 2, init, sizeof init, &init_len) == MIKEY_OK);
    mikey_session_free(i);
    CHECK(mikey_session_resume_initiator(ci, init, init_len, &again) == MIKEY_ERR_CONFIG);
    CHECK(again == NULL);
    mikey_config_free(ci);
    CHECK(strcmp(mikey_status_str(MIKEY_ERR_BAD_DH_VALUE), "unknown status") != 0);
    CHECK(strcmp(mikey_status_str(MIKEY_ERR_UNSUPPORTED_DH_GROUP), "unknown status") != 0);
}

/* A DH-SIGN config of the ECC profile for `me` (an EC entity of make_pki.sh, or an RSA one
 * when `rsa`), naming `peer`, in `group`. */
static mikey_config_t *ecc_config(const char *me, const char *peer, mikey_dh_group_t group,
                                  int rsa) {
    mikey_config_builder_t *b = NULL;
    char file[64];
    CHECK(mikey_config_builder_new(MIKEY_MODE_DH_SIGN, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_set_ecc_profile(b, 1) == MIKEY_OK);
    snprintf(file, sizeof file, "%s.key", me);
    blob_t key = load(file);
    snprintf(file, sizeof file, "%s.pem", me);
    blob_t cert = load(file);
    blob_t ca = load("ca.pem");
    if (rsa)
        CHECK(mikey_config_builder_set_private_key(b, key.data, key.len) == MIKEY_OK);
    else
        CHECK(mikey_config_builder_set_ec_private_key(b, key.data, key.len) == MIKEY_OK);
    CHECK(mikey_config_builder_set_certificate_chain(b, cert.data, cert.len) == MIKEY_OK);
    CHECK(mikey_config_builder_set_trust_anchors(b, ca.data, ca.len) == MIKEY_OK);
    free(key.data);
    free(cert.data);
    free(ca.data);
    char uri[64];
    snprintf(uri, sizeof uri, "%s", me);
    char *underscore = strchr(uri, '_');
    if (underscore != NULL) *underscore = '\0';
    set_uri(b, 1, uri);
    set_uri(b, 0, peer);
    CHECK(mikey_config_builder_set_dh_group(b, group) == MIKEY_OK);
    return built(b);
}

/* DH-SIGN of the ECC profile (RFC 5197 §4.1, draft-ietf-msec-mikey-ecc-03 §2-3). */
static void ecc_profile(void) {
    const mikey_dh_group_t groups[2] = {MIKEY_DH_P256, MIKEY_DH_P384};
    const char *alices[2] = {"alice_p256", "alice_p384"}, *bobs[2] = {"bob_p256", "bob_p384"};
    const size_t sig_len[2] = {64, 96}, point_len[2] = {65, 97};
    for (size_t g = 0; g < 2; g++) {
        mikey_config_t *ci = ecc_config(alices[g], "bob", groups[g], 0);
        mikey_config_t *cr = ecc_config(bobs[g], "alice", groups[g], 0);
        mikey_session_t *i = NULL, *r = NULL;
        uint8_t init[MSG_CAP], bad[MSG_CAP];
        size_t init_len = 0;
        exchange(ci, cr, &i, &r, init, &init_len);
        mikey_payload_info_t dh = find(init, init_len, MIKEY_PAYLOAD_DH, 0);
        CHECK(dh.code == groups[g]);
        /* The I_MESSAGE ends with DHi's point and KV byte, then SIGN: S type 2 with
         * Signature len, r || s. */
        CHECK(init_len > sig_len[g] + 2 + 1 + point_len[g]);
        CHECK(init[init_len - sig_len[g] - 2] >> 4 == MIKEY_SIGN_ECCSI);
        rtp(i, r, 0);
        rtp(r, i, 1);
        /* A tampered DH value (the last byte of DHi's point) and a tampered signature. */
        memcpy(bad, init, init_len);
        bad[init_len - sig_len[g] - 2 - 1 - 1] ^= 1;
        mikey_config_t *fresh = ecc_config(bobs[g], "alice", groups[g], 0);
        refused(fresh, bad, init_len, MIKEY_ERR_SIGNATURE_INVALID, MIKEY_ERRNO_AUTH_FAILURE);
        memcpy(bad, init, init_len);
        bad[init_len - 1] ^= 0x80; /* s, the last byte of SIGN */
        refused(fresh, bad, init_len, MIKEY_ERR_SIGNATURE_INVALID, MIKEY_ERRNO_AUTH_FAILURE);
        /* The genuine message replayed. */
        refused(cr, init, init_len, MIKEY_ERR_REPLAYED, -1);
        mikey_session_free(i);
        mikey_session_free(r);
        mikey_config_free(ci);
        mikey_config_free(cr);
        mikey_config_free(fresh);
    }
    /* An ECDSA Initiator and an RSA Responder meet on P-256. */
    mikey_config_t *ci = ecc_config("alice_p256", "bob", MIKEY_DH_P256, 0);
    mikey_config_t *cr = ecc_config("bob", "alice", MIKEY_DH_P256, 1);
    mikey_session_t *i = NULL, *r = NULL;
    uint8_t init[MSG_CAP];
    size_t init_len = 0;
    exchange(ci, cr, &i, &r, init, &init_len);
    rtp(i, r, 0);
    mikey_session_free(i);
    mikey_session_free(r);
    /* A Responder of the profile on OAKLEY 5 refuses the P-256 offer with Error no. 6. */
    mikey_config_t *oakley = ecc_config("bob", "alice", MIKEY_DH_OAKLEY_5, 1);
    CHECK(mikey_session_new(ci, MIKEY_ROLE_INITIATOR, &i) == MIKEY_OK);
    CHECK(mikey_session_initiate(i, STREAMS, 2, init, sizeof init, &init_len) == MIKEY_OK);
    refused(oakley, init, init_len, MIKEY_ERR_UNSUPPORTED_DH_GROUP, MIKEY_ERRNO_INVALID_DH);
    mikey_session_free(i);
    mikey_config_free(oakley);
    mikey_config_free(ci);
    mikey_config_free(cr);

    /* Misuse: the switch is 0 or 1; an EC key must be one; a curve or an EC key without
     * the profile, or a curve in DH-HMAC, does not build. */
    mikey_config_builder_t *b = NULL;
    mikey_config_t *c = NULL;
    blob_t ec = load("alice_p256.key"), rsa = load("alice.key");
    CHECK(mikey_config_builder_set_ecc_profile(NULL, 1) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_config_builder_set_ec_private_key(NULL, ec.data, ec.len) ==
          MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_config_builder_new(MIKEY_MODE_DH_SIGN, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_set_ecc_profile(b, 2) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_config_builder_set_ec_private_key(b, rsa.data, rsa.len) ==
          MIKEY_ERR_BAD_CREDENTIAL);
    CHECK(mikey_config_builder_set_ec_private_key(b, NULL, 3) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_config_builder_set_ec_private_key(b, ec.data, 0) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_config_builder_set_ec_private_key(b, ec.data, ec.len) == MIKEY_OK);
    CHECK(mikey_config_builder_set_dh_group(b, MIKEY_DH_P384) == MIKEY_OK);
    CHECK(mikey_config_builder_build(b, &c) == MIKEY_ERR_CONFIG);
    CHECK(strstr(mikey_config_builder_error_detail(b), "ECC profile") != NULL);
    CHECK(mikey_config_builder_set_ecc_profile(b, 1) == MIKEY_OK);
    CHECK(mikey_config_builder_build(b, &c) == MIKEY_OK);
    mikey_config_free(c);
    c = NULL;
    CHECK(mikey_config_builder_new(MIKEY_MODE_DH_HMAC, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_set_psk(b, PSK, sizeof PSK - 1) == MIKEY_OK);
    CHECK(mikey_config_builder_set_ecc_profile(b, 1) == MIKEY_OK);
    CHECK(mikey_config_builder_set_dh_group(b, MIKEY_DH_P256) == MIKEY_OK);
    CHECK(mikey_config_builder_build(b, &c) == MIKEY_ERR_CONFIG);
    mikey_config_builder_free(b);
    free(ec.data);
    free(rsa.data);
}

/* The method recommendation of RFC 5197 §5.5 (mikey_recommend_mode). */
static void mode_choice(void) {
    mikey_mode_needs_t n;
    mikey_mode_t mode = 99;
    char why[512];
    size_t why_len = 0;
    memset(&n, 0, sizeof n);
    n.have_psk = 1;
    n.pfs = 1;
    CHECK(mikey_recommend_mode(&n, &mode, (uint8_t *)why, sizeof why, &why_len) == MIKEY_OK);
    CHECK(mode == MIKEY_MODE_DH_HMAC && why_len > 0 && memcmp(why, "DH-HMAC", 7) == 0);
    memset(&n, 0, sizeof n);
    n.have_pki = 1;
    n.forking = 1;
    CHECK(mikey_recommend_mode(&n, &mode, (uint8_t *)why, sizeof why, &why_len) == MIKEY_OK);
    CHECK(mode == MIKEY_MODE_RSA_R);
    n.pfs = 1;
    CHECK(mikey_recommend_mode(&n, &mode, (uint8_t *)why, sizeof why, &why_len) == MIKEY_OK);
    CHECK(mode == MIKEY_MODE_DH_SIGN);
    /* Perfect forward secrecy and early media: no method (RFC 5197 §5.5). */
    n.early_media = 1;
    mode = 99;
    CHECK(mikey_recommend_mode(&n, &mode, (uint8_t *)why, sizeof why, &why_len) ==
          MIKEY_ERR_CONFIG);
    CHECK(mode == 99 && why_len > 0);
    /* Misuse. */
    size_t need = 0;
    CHECK(mikey_recommend_mode(&n, &mode, (uint8_t *)why, 3, &need) ==
          MIKEY_ERR_BUFFER_TOO_SMALL);
    CHECK(need == why_len);
    n.pfs = 2;
    CHECK(mikey_recommend_mode(&n, &mode, (uint8_t *)why, sizeof why, &why_len) ==
          MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_recommend_mode(NULL, &mode, (uint8_t *)why, sizeof why, &why_len) ==
          MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_recommend_mode(&n, NULL, (uint8_t *)why, sizeof why, &why_len) ==
          MIKEY_ERR_NULL_POINTER);
}

int main(int argc, char **argv) {
    if (argc != 2 || strlen(argv[1]) >= sizeof pki_dir || strchr(argv[1], '"') != NULL) {
        fprintf(stderr, "usage: %s PKI_DIR (made by c-tests/make_pki.sh)\n", argv[0]);
        return 2;
    }
    strcpy(pki_dir, argv[1]);
    const char *slash = strrchr(argv[0], '/');
    prog = slash ? slash + 1 : argv[0];
    CHECK(srtp_init() == srtp_err_status_ok);
    modes_and_groups();
    update(MIKEY_MODE_DH_SIGN);
    update(MIKEY_MODE_DH_HMAC);
    refusals();
    forked();
    ecc_profile();
    misuse();
    mode_choice();
    CHECK(srtp_shutdown() == srtp_err_status_ok);
    return check_report("test_dh");
}
