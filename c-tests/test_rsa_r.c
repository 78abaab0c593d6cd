/* MIKEY-RSA-R (RFC 4738) through the C API, the C twin of tests/rsa_r_exchange.rs, with the
 * test PKI c-tests/make_pki.sh made in the directory given as argv[1] (ctest fixture "pki"):
 * - unicast, the RAND from the Initiator (§3.4 SHOULD) and from the Responder
 *   (mikey_config_builder_set_rsa_r_initiator_rand 0): the Initiator is
 *   MIKEY_STATE_AWAITING_KEYS (no crypto session yet) until the R_MESSAGE, then both sides
 *   hold the same keys, and libsrtp2 carries RTP with them;
 * - group (§3.2): Bob as key server (mikey_config_builder_set_rsa_r_group), Alice, Carol
 *   and Dave as members (mikey_config_builder_set_rsa_r_group_member, 0 streams): every
 *   member holds the same crypto sessions and keys, and RTP Alice protects with the group
 *   keys, Carol and Dave unprotect;
 * - forking (RFC 5197 §5.2): Alice's request answered by Bob and Carol gives two branches
 *   (MIKEY_STATE_FORKED) with independent keys and the Responders' identities, each usable
 *   at once (early media, RFC 5197 §5.3: RTP from each Responder unprotects with its
 *   branch's keys through mikey_srtp_branch_policy, not with the other's); selecting
 *   Carol's keeps her keys (MIKEY_STATE_ESTABLISHED) and drops Bob's;
 * - the application's certificate verifier (mikey_config_builder_set_cert_verifier) sees
 *   each Initiator's chain and refuses Carol's (MIKEY_ERR_CERTIFICATE); a resolver is set
 *   (certificates by URL are exercised by tests/rsa_r_exchange.rs);
 * - an Error message refusing an authenticated I_MESSAGE is signed with SIGNr (RFC 3830
 *   §5.1.2): authenticated for an Initiator that knows the Responder's certificate, a hint
 *   for one that does not;
 * - refusals: a tampered R_MESSAGE (MIKEY_ERR_SIGNATURE_INVALID, the Initiator still
 *   awaiting keys and then accepting the genuine one), a tampered I_MESSAGE, a replay;
 * - C API misuse of the RSA-R setters. */
#include "check.h"
#include "pki_file.h"

#include <mikey_srtp.h>
#include "srtp_end.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MSG_CAP 8192
#define RTP_HDR 12
#define RTP_PAYLOAD 160
#define RTP_LEN (RTP_HDR + RTP_PAYLOAD)

static char pki_dir[1024];

/* Reads a whole file of the PKI directory; NULL data when it cannot. */
static blob_t load(const char *name) {
    blob_t b = pki_file(pki_dir, name, "test_rsa_r");
    CHECK(b.data != NULL);
    return b;
}

/* An RSA-R config builder for `name` (its key, certificate and identity; the test CA
 * trusted). */
static mikey_config_builder_t *builder_for(const char *name, int group_member,
                                           int initiator_rand, const mikey_stream_t *group,
                                           size_t group_count, int forking) {
    char file[64], uri[64];
    mikey_config_builder_t *b = NULL;
    CHECK(mikey_config_builder_new(MIKEY_MODE_RSA_R, &b) == MIKEY_OK);
    snprintf(file, sizeof file, "%s.key", name);
    blob_t key = load(file);
    snprintf(file, sizeof file, "%s.pem", name);
    blob_t cert = load(file);
    blob_t ca = load("ca.pem");
    CHECK(mikey_config_builder_set_private_key(b, key.data, key.len) == MIKEY_OK);
    CHECK(mikey_config_builder_set_certificate_chain(b, cert.data, cert.len) == MIKEY_OK);
    CHECK(mikey_config_builder_set_trust_anchors(b, ca.data, ca.len) == MIKEY_OK);
    snprintf(uri, sizeof uri, "sip:%s@example.com", name);
    CHECK(mikey_config_builder_set_local_identity(b, MIKEY_ID_URI, (const uint8_t *)uri,
                                                  strlen(uri)) == MIKEY_OK);
    if (strcmp(name, "bob") != 0 && strcmp(name, "carol") != 0 && !forking) {
        const char *bob = "sip:bob@example.com";
        CHECK(mikey_config_builder_set_peer_identity(b, MIKEY_ID_URI, (const uint8_t *)bob,
                                                     strlen(bob)) == MIKEY_OK);
    }
    CHECK(mikey_config_builder_set_rsa_r_group_member(b, group_member ? 1 : 0) == MIKEY_OK);
    CHECK(mikey_config_builder_set_rsa_r_initiator_rand(b, initiator_rand ? 1 : 0) == MIKEY_OK);
    if (group != NULL) CHECK(mikey_config_builder_set_rsa_r_group(b, group, group_count) == MIKEY_OK);
    if (forking) CHECK(mikey_config_builder_set_accept_forked_answers(b, 1) == MIKEY_OK);
    free(key.data);
    free(cert.data);
    free(ca.data);
    return b;
}

static mikey_config_t *build(mikey_config_builder_t *b) {
    mikey_config_t *c = NULL;
    CHECK(mikey_config_builder_build(b, &c) == MIKEY_OK);
    return c;
}

/* An RSA-R config for `name` (builder_for). */
static mikey_config_t *config_with(const char *name, int group_member, int initiator_rand,
                                   const mikey_stream_t *group, size_t group_count, int forking) {
    return build(builder_for(name, group_member, initiator_rand, group, group_count, forking));
}

static mikey_config_t *config(const char *name, int group_member, int initiator_rand,
                              const mikey_stream_t *group, size_t group_count) {
    return config_with(name, group_member, initiator_rand, group, group_count, 0);
}

static int has_payload(const uint8_t *msg, size_t len, mikey_payload_type_t type) {
    mikey_message_t *m = NULL;
    size_t n = 0;
    int found = 0;
    size_t at = 0;
    CHECK(mikey_message_parse(msg, len, &m, &at) == MIKEY_OK);
    CHECK(mikey_message_payload_count(m, &n) == MIKEY_OK);
    for (size_t i = 0; i < n; i++) {
        mikey_payload_info_t info;
        CHECK(mikey_message_payload_info(m, i, &info) == MIKEY_OK);
        if (info.payload_type == type) found = 1;
    }
    mikey_message_free(m);
    return found;
}

/* Both sessions hold `count` crypto sessions with the same keys. */
static void same_keys(const mikey_session_t *a, const mikey_session_t *b, size_t count) {
    size_t na = 0, nb = 0;
    CHECK(mikey_session_crypto_session_count(a, &na) == MIKEY_OK && na == count);
    CHECK(mikey_session_crypto_session_count(b, &nb) == MIKEY_OK && nb == count);
    for (size_t i = 0; i < count && i < na && i < nb; i++) {
        mikey_crypto_session_info_t ia, ib;
        mikey_srtp_key_t ka, kb;
        CHECK(mikey_session_crypto_session(a, i, &ia) == MIKEY_OK);
        CHECK(mikey_session_crypto_session(b, i, &ib) == MIKEY_OK);
        CHECK(ia.ssrc == ib.ssrc && ia.roc == ib.roc && ia.profile == ib.profile);
        CHECK(mikey_session_srtp_key(a, i, 0, &ka) == MIKEY_OK);
        CHECK(mikey_session_srtp_key(b, i, 0, &kb) == MIKEY_OK);
        CHECK(ka.key_salt_len == kb.key_salt_len);
        CHECK(memcmp(ka.key_salt, kb.key_salt, ka.key_salt_len) == 0);
        memset(&ka, 0, sizeof ka);
        memset(&kb, 0, sizeof kb);
    }
}

/* I_MESSAGE, R_MESSAGE; the sessions are returned in *i and *r. */
static void exchange(mikey_config_t *ci, mikey_config_t *cr, const mikey_stream_t *streams,
                     size_t count, mikey_session_t **i, mikey_session_t **r, int *rand_in_init,
                     int *rand_in_answer) {
    uint8_t init[MSG_CAP], answer[MSG_CAP];
    size_t init_len = 0, answer_len = 0, none = 1, n = 9;
    mikey_state_t st = 0;
    CHECK(mikey_session_new(ci, MIKEY_ROLE_INITIATOR, i) == MIKEY_OK);
    CHECK(mikey_session_new(cr, MIKEY_ROLE_RESPONDER, r) == MIKEY_OK);
    CHECK(mikey_session_initiate(*i, streams, count, init, sizeof init, &init_len) == MIKEY_OK);
    CHECK(mikey_session_state(*i, &st) == MIKEY_OK && st == MIKEY_STATE_AWAITING_KEYS);
    CHECK(mikey_session_crypto_session_count(*i, &n) == MIKEY_OK && n == 0);
    CHECK(mikey_session_process(*r, init, init_len, answer, sizeof answer, &answer_len) ==
          MIKEY_OK);
    CHECK(answer_len > 0);
    CHECK(mikey_session_process(*i, answer, answer_len, NULL, 0, &none) == MIKEY_OK);
    CHECK(none == 0);
    CHECK(mikey_session_state(*i, &st) == MIKEY_OK && st == MIKEY_STATE_ESTABLISHED);
    if (rand_in_init) *rand_in_init = has_payload(init, init_len, MIKEY_PAYLOAD_RAND);
    if (rand_in_answer) *rand_in_answer = has_payload(answer, answer_len, MIKEY_PAYLOAD_RAND);
}

typedef union {
    uint32_t align;
    uint8_t b[RTP_LEN + SRTP_MAX_TRAILER_LEN];
} pkt_buf_t;

/* One RTP packet of `ssrc` protected by `tx`, unprotected by each of `rx`. */
static void rtp(srtp_t tx, srtp_t *rx, size_t rx_count, uint32_t ssrc, uint16_t seq) {
    uint8_t plain[RTP_LEN];
    memset(plain, 0, sizeof plain);
    plain[0] = 0x80;
    plain[1] = 96;
    plain[2] = (uint8_t)(seq >> 8);
    plain[3] = (uint8_t)seq;
    for (int b = 0; b < 4; b++) plain[8 + b] = (uint8_t)(ssrc >> (24 - 8 * b));
    for (size_t k = 0; k < RTP_PAYLOAD; k++) plain[RTP_HDR + k] = (uint8_t)(k * 3u + seq);
    pkt_buf_t sent;
    memcpy(sent.b, plain, RTP_LEN);
    int len = RTP_LEN;
    CHECK(srtp_protect(tx, sent.b, &len) == srtp_err_status_ok);
    for (size_t k = 0; k < rx_count; k++) {
        pkt_buf_t got;
        int got_len = len;
        memcpy(got.b, sent.b, (size_t)len);
        CHECK(srtp_unprotect(rx[k], got.b, &got_len) == srtp_err_status_ok);
        CHECK(got_len == RTP_LEN && memcmp(got.b, plain, RTP_LEN) == 0);
    }
}

static const mikey_stream_t STREAMS[2] = {{0x0000a1a1u, 0, 0}, {0x0000a2a2u, 0, 0}};
static const mikey_stream_t GROUP[1] = {{0x60000001u, 0, 0}};

static void unicast(int initiator_rand) {
    mikey_config_t *ci = config("alice", 0, initiator_rand, NULL, 0);
    mikey_config_t *cr = config("bob", 0, 1, NULL, 0);
    mikey_session_t *i = NULL, *r = NULL;
    int rand_init = -1, rand_answer = -1;
    exchange(ci, cr, STREAMS, 2, &i, &r, &rand_init, &rand_answer);
    /* §3.6: a RAND from exactly one side. */
    CHECK(rand_init == initiator_rand && rand_answer == !initiator_rand);
    same_keys(i, r, 2);
    srtp_t tx = srtp_end(i, 0, MIKEY_SRTP_OUTBOUND), rx = srtp_end(r, 0, MIKEY_SRTP_INBOUND);
    if (tx != NULL && rx != NULL) rtp(tx, &rx, 1, STREAMS[0].ssrc, 1);
    if (tx != NULL) srtp_dealloc(tx);
    if (rx != NULL) srtp_dealloc(rx);
    mikey_session_free(i);
    mikey_session_free(r);
    mikey_config_free(ci);
    mikey_config_free(cr);
}

static void group(void) {
    mikey_config_t *server = config("bob", 0, 1, GROUP, 1);
    const char *names[3] = {"alice", "carol", "dave"};
    mikey_config_t *cm[3];
    mikey_session_t *members[3], *answers[3];
    for (size_t k = 0; k < 3; k++) {
        int rand_init = -1, rand_answer = -1;
        cm[k] = config(names[k], 1, 1, NULL, 0);
        exchange(cm[k], server, NULL, 0, &members[k], &answers[k], &rand_init, &rand_answer);
        /* §3.2: no RAND from a member; the group's RAND comes with the answer. */
        CHECK(rand_init == 0 && rand_answer == 1);
        same_keys(members[k], answers[k], 1);
        if (k > 0) same_keys(members[0], members[k], 1);
    }
    /* Alice sends to the group stream; Carol and Dave read it. */
    srtp_t tx = srtp_end(members[0], 0, MIKEY_SRTP_OUTBOUND);
    srtp_t rx[2] = {srtp_end(members[1], 0, MIKEY_SRTP_INBOUND),
                    srtp_end(members[2], 0, MIKEY_SRTP_INBOUND)};
    if (tx != NULL && rx[0] != NULL && rx[1] != NULL) rtp(tx, rx, 2, GROUP[0].ssrc, 7);
    if (tx != NULL) srtp_dealloc(tx);
    for (size_t k = 0; k < 2; k++)
        if (rx[k] != NULL) srtp_dealloc(rx[k]);
    for (size_t k = 0; k < 3; k++) {
        mikey_session_free(members[k]);
        mikey_session_free(answers[k]);
        mikey_config_free(cm[k]);
    }
    mikey_config_free(server);
}

/* Branch `b` of `i` holds the keys Responder `r` holds (RFC 5197 §5.3: usable at once). */
static void branch_keys_match(const mikey_session_t *i, size_t b, const mikey_session_t *r) {
    size_t n = 0;
    CHECK(mikey_session_branch_crypto_session_count(i, b, &n) == MIKEY_OK && n == 2);
    for (size_t cs = 0; cs < 2 && cs < n; cs++) {
        mikey_crypto_session_info_t ib, ir;
        mikey_srtp_key_t kb, kr;
        CHECK(mikey_session_branch_crypto_session(i, b, cs, &ib) == MIKEY_OK);
        CHECK(mikey_session_crypto_session(r, cs, &ir) == MIKEY_OK);
        CHECK(ib.cs_id == ir.cs_id && ib.ssrc == ir.ssrc && ib.profile == ir.profile);
        CHECK(mikey_session_branch_srtp_key(i, b, cs, 0, &kb) == MIKEY_OK);
        CHECK(mikey_session_srtp_key(r, cs, 0, &kr) == MIKEY_OK);
        CHECK(kb.key_salt_len == kr.key_salt_len &&
              memcmp(kb.key_salt, kr.key_salt, kb.key_salt_len) == 0);
        memset(&kb, 0, sizeof kb);
        memset(&kr, 0, sizeof kr);
    }
}

/* A libsrtp session from branch `b`'s crypto session `cs` (mikey_srtp_branch_policy). */
static srtp_t branch_srtp_end(const mikey_session_t *s, size_t b, size_t cs,
                              mikey_srtp_direction_t dir) {
    mikey_srtp_policy_t p;
    srtp_t ctx = NULL;
    CHECK(mikey_srtp_branch_policy(s, b, cs, dir, 0, &p) == MIKEY_OK);
    if (srtp_create(&ctx, &p.policy) != srtp_err_status_ok) {
        CHECK(0);
        ctx = NULL;
    }
    mikey_srtp_policy_wipe(&p);
    return ctx;
}

/* Early media: an RTP packet Responder `r` protects on crypto session 2 unprotects with
 * branch `b`'s keys, and not with branch `other`'s. */
static void early_media(const mikey_session_t *i, size_t b, size_t other,
                        const mikey_session_t *r) {
    srtp_t tx = srtp_end(r, 1, MIKEY_SRTP_OUTBOUND);
    srtp_t rx = branch_srtp_end(i, b, 1, MIKEY_SRTP_INBOUND);
    srtp_t wrong = branch_srtp_end(i, other, 1, MIKEY_SRTP_INBOUND);
    if (tx != NULL && rx != NULL && wrong != NULL) {
        pkt_buf_t pkt, copy;
        memset(&pkt, 0, sizeof pkt);
        pkt.b[0] = 0x80;
        pkt.b[1] = 96;
        pkt.b[3] = 1;
        for (int k = 0; k < 4; k++) pkt.b[8 + k] = (uint8_t)(STREAMS[1].ssrc >> (24 - 8 * k));
        int len = RTP_LEN, copy_len;
        CHECK(srtp_protect(tx, pkt.b, &len) == srtp_err_status_ok);
        copy = pkt;
        copy_len = len;
        CHECK(srtp_unprotect(wrong, copy.b, &copy_len) == srtp_err_status_auth_fail);
        CHECK(srtp_unprotect(rx, pkt.b, &len) == srtp_err_status_ok && len == RTP_LEN);
    }
    srtp_t all[3] = {tx, rx, wrong};
    for (size_t k = 0; k < 3; k++)
        if (all[k] != NULL) srtp_dealloc(all[k]);
}

static void forked(void) {
    mikey_config_t *ci = config_with("alice", 0, 1, NULL, 0, 1);
    mikey_config_t *cb = config("bob", 0, 1, NULL, 0), *cc = config("carol", 0, 1, NULL, 0);
    mikey_session_t *i = NULL, *rb = NULL, *rc = NULL;
    uint8_t init[MSG_CAP], from_bob[MSG_CAP], from_carol[MSG_CAP], id[64];
    size_t init_len = 0, bob_len = 0, carol_len = 0, none = 0, n = 0, id_len = 0;
    mikey_state_t st = 0;
    CHECK(mikey_session_new(ci, MIKEY_ROLE_INITIATOR, &i) == MIKEY_OK);
    CHECK(mikey_session_new(cb, MIKEY_ROLE_RESPONDER, &rb) == MIKEY_OK);
    CHECK(mikey_session_new(cc, MIKEY_ROLE_RESPONDER, &rc) == MIKEY_OK);
    CHECK(mikey_session_initiate(i, STREAMS, 2, init, sizeof init, &init_len) == MIKEY_OK);
    CHECK(mikey_session_select_branch(i, 0) == MIKEY_ERR_WRONG_STATE);
    CHECK(mikey_session_process(rb, init, init_len, from_bob, sizeof from_bob, &bob_len) ==
          MIKEY_OK);
    CHECK(mikey_session_process(rc, init, init_len, from_carol, sizeof from_carol,
                                &carol_len) == MIKEY_OK);
    CHECK(mikey_session_process(i, from_bob, bob_len, NULL, 0, &none) == MIKEY_OK);
    CHECK(mikey_session_state(i, &st) == MIKEY_OK && st == MIKEY_STATE_FORKED);
    CHECK(mikey_session_process(i, from_carol, carol_len, NULL, 0, &none) == MIKEY_OK);
    CHECK(mikey_session_branch_count(i, &n) == MIKEY_OK && n == 2);
    CHECK(mikey_session_branch_identity(i, 1, id, 4, &id_len) == MIKEY_ERR_BUFFER_TOO_SMALL);
    CHECK(id_len == strlen("sip:carol@example.com"));
    CHECK(mikey_session_branch_identity(i, 1, id, sizeof id, &id_len) == MIKEY_OK);
    CHECK(id_len == strlen("sip:carol@example.com") && memcmp(id, "sip:carol", 9) == 0);
    CHECK(mikey_session_branch_identity(i, 0, id, sizeof id, &id_len) == MIKEY_OK);
    CHECK(id_len == strlen("sip:bob@example.com") && memcmp(id, "sip:bob", 7) == 0);
    CHECK(mikey_session_branch_identity(i, 2, id, sizeof id, &id_len) ==
          MIKEY_ERR_INDEX_OUT_OF_RANGE);
    CHECK(mikey_session_branch_identity(NULL, 0, id, sizeof id, &id_len) ==
          MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_session_branch_count(i, NULL) == MIKEY_ERR_NULL_POINTER);
    /* Early media (RFC 5197 §5.3): each branch holds its Responder's keys, usable before a
     * branch is selected; the two key sets are independent. */
    branch_keys_match(i, 0, rb);
    branch_keys_match(i, 1, rc);
    early_media(i, 0, 1, rb);
    early_media(i, 1, 0, rc);
    {
        mikey_srtp_key_t k0, k1;
        mikey_crypto_session_info_t info;
        mikey_srtp_policy_t p;
        CHECK(mikey_session_branch_srtp_key(i, 0, 0, 0, &k0) == MIKEY_OK);
        CHECK(mikey_session_branch_srtp_key(i, 1, 0, 0, &k1) == MIKEY_OK);
        CHECK(memcmp(k0.key_salt, k1.key_salt, k0.key_salt_len) != 0);
        CHECK(mikey_session_branch_srtp_key(i, 2, 0, 0, &k0) == MIKEY_ERR_INDEX_OUT_OF_RANGE);
        CHECK(mikey_session_branch_srtp_key(i, 0, 2, 0, &k0) == MIKEY_ERR_INDEX_OUT_OF_RANGE);
        CHECK(mikey_session_branch_srtp_key(i, 0, 0, 1, &k0) == MIKEY_ERR_INDEX_OUT_OF_RANGE);
        CHECK(mikey_session_branch_srtp_key(i, 0, 0, 0, NULL) == MIKEY_ERR_NULL_POINTER);
        CHECK(mikey_session_branch_srtp_key(NULL, 0, 0, 0, &k0) == MIKEY_ERR_NULL_POINTER);
        CHECK(mikey_session_branch_crypto_session(i, 0, 2, &info) ==
              MIKEY_ERR_INDEX_OUT_OF_RANGE);
        CHECK(mikey_session_branch_crypto_session(i, 0, 0, NULL) == MIKEY_ERR_NULL_POINTER);
        CHECK(mikey_session_branch_crypto_session_count(i, 2, &n) ==
              MIKEY_ERR_INDEX_OUT_OF_RANGE);
        CHECK(mikey_session_branch_crypto_session_count(i, 0, NULL) == MIKEY_ERR_NULL_POINTER);
        CHECK(mikey_srtp_branch_policy(i, 2, 0, MIKEY_SRTP_INBOUND, 0, &p) ==
              MIKEY_ERR_INDEX_OUT_OF_RANGE);
        CHECK(mikey_srtp_branch_policy(i, (size_t)-1, 0, MIKEY_SRTP_INBOUND, 0, &p) ==
              MIKEY_ERR_INDEX_OUT_OF_RANGE);
        /* The selected keys do not exist yet. */
        CHECK(mikey_srtp_policy(i, 0, MIKEY_SRTP_INBOUND, 0, &p) == MIKEY_ERR_WRONG_STATE);
        memset(&k0, 0, sizeof k0);
        memset(&k1, 0, sizeof k1);
    }
    CHECK(mikey_session_select_branch(i, 2) == MIKEY_ERR_INDEX_OUT_OF_RANGE);
    CHECK(mikey_session_select_branch(NULL, 0) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_session_select_branch(i, 1) == MIKEY_OK);
    CHECK(mikey_session_state(i, &st) == MIKEY_OK && st == MIKEY_STATE_ESTABLISHED);
    CHECK(mikey_session_branch_count(i, &n) == MIKEY_OK && n == 0);
    CHECK(mikey_session_branch_crypto_session_count(i, 0, &n) == MIKEY_ERR_INDEX_OUT_OF_RANGE);
    same_keys(i, rc, 2);
    CHECK(mikey_session_select_branch(i, 0) == MIKEY_ERR_WRONG_STATE);
    mikey_session_free(i);
    mikey_session_free(rb);
    mikey_session_free(rc);
    mikey_config_free(ci);
    mikey_config_free(cb);
    mikey_config_free(cc);
}

/* RFC 3830 §5.1.2: Bob refuses Alice's policies (Error no. 10) after SIGNi verified, and
 * signs the Error message with SIGNr. Alice, who knows Bob's certificate, reads it in the
 * authenticated range; a tampered copy is discarded (MIKEY_ERR_SIGNATURE_INVALID); Carol,
 * who does not, reads it as a hint. */
static void signed_refusal(void) {
    const mikey_srtp_profile_t aes256 = MIKEY_SRTP_AES256_CM_SHA1_80;
    mikey_config_builder_t *bb = builder_for("bob", 0, 1, NULL, 0, 0);
    CHECK(mikey_config_builder_set_accepted(bb, &aes256, 1) == MIKEY_OK);
    mikey_config_t *cr = build(bb);
    mikey_config_builder_t *ab = builder_for("alice", 0, 1, NULL, 0, 0);
    blob_t bob_pem = load("bob.pem");
    CHECK(mikey_config_builder_set_peer_certificate(ab, bob_pem.data, bob_pem.len) == MIKEY_OK);
    free(bob_pem.data);
    mikey_config_t *ca = build(ab), *cc = config("carol", 0, 1, NULL, 0);
    mikey_config_t *initiators[2] = {ca, cc};
    for (size_t k = 0; k < 2; k++) {
        mikey_session_t *i = NULL, *r = NULL;
        uint8_t init[MSG_CAP], err[MSG_CAP];
        size_t init_len = 0, err_len = 0, none = 0;
        mikey_state_t st = 0;
        CHECK(mikey_session_new(initiators[k], MIKEY_ROLE_INITIATOR, &i) == MIKEY_OK);
        CHECK(mikey_session_new(cr, MIKEY_ROLE_RESPONDER, &r) == MIKEY_OK);
        CHECK(mikey_session_initiate(i, STREAMS, 2, init, sizeof init, &init_len) == MIKEY_OK);
        CHECK(mikey_session_process(r, init, init_len, err, sizeof err, &err_len) ==
              MIKEY_ERR_UNSUPPORTED_POLICY);
        CHECK(err_len > 0 && has_payload(err, err_len, MIKEY_PAYLOAD_SIGN));
        if (k == 0 && err_len > 0) {
            err[err_len - 1] ^= 1;
            CHECK(mikey_session_process(i, err, err_len, NULL, 0, &none) ==
                  MIKEY_ERR_SIGNATURE_INVALID);
            err[err_len - 1] ^= 1;
        }
        mikey_status_t got = mikey_session_process(i, err, err_len, NULL, 0, &none);
        CHECK(MIKEY_PEER_ERROR_NO(got) == MIKEY_ERRNO_INVALID_SPPAR);
        CHECK(got == (k == 0 ? MIKEY_ERR_PEER_ERROR : MIKEY_ERR_PEER_ERROR_UNAUTHENTICATED) +
                         MIKEY_ERRNO_INVALID_SPPAR);
        CHECK(mikey_session_state(i, &st) == MIKEY_OK && st == MIKEY_STATE_AWAITING_KEYS);
        mikey_session_free(i);
        mikey_session_free(r);
    }
    mikey_config_free(ca);
    mikey_config_free(cc);
    mikey_config_free(cr);
}

static void refusals(void) {
    mikey_config_t *ci = config("alice", 0, 1, NULL, 0);
    mikey_config_t *cr = config("bob", 0, 1, NULL, 0);
    mikey_session_t *i = NULL, *r = NULL, *r2 = NULL;
    uint8_t init[MSG_CAP], answer[MSG_CAP], bad[MSG_CAP];
    size_t init_len = 0, answer_len = 0, none = 0;
    mikey_state_t st = 0;
    CHECK(mikey_session_new(ci, MIKEY_ROLE_INITIATOR, &i) == MIKEY_OK);
    CHECK(mikey_session_new(cr, MIKEY_ROLE_RESPONDER, &r) == MIKEY_OK);
    CHECK(mikey_session_initiate(i, STREAMS, 2, init, sizeof init, &init_len) == MIKEY_OK);
    /* A tampered I_MESSAGE: SIGNi does not verify; the Responder stays IDLE. */
    memcpy(bad, init, init_len);
    bad[init_len - 1] ^= 0x01;
    CHECK(mikey_session_process(r, bad, init_len, answer, sizeof answer, &answer_len) ==
          MIKEY_ERR_SIGNATURE_INVALID);
    CHECK(mikey_session_state(r, &st) == MIKEY_OK && st == MIKEY_STATE_IDLE);
    CHECK(mikey_session_process(r, init, init_len, answer, sizeof answer, &answer_len) ==
          MIKEY_OK);
    /* A replay to another session of the config. */
    CHECK(mikey_session_new(cr, MIKEY_ROLE_RESPONDER, &r2) == MIKEY_OK);
    size_t r2_len = 0;
    CHECK(mikey_session_process(r2, init, init_len, bad, sizeof bad, &r2_len) ==
          MIKEY_ERR_REPLAYED);
    /* A tampered R_MESSAGE: SIGNr does not verify; the Initiator still awaits its keys. */
    memcpy(bad, answer, answer_len);
    bad[answer_len - 1] ^= 0x80;
    CHECK(mikey_session_process(i, bad, answer_len, NULL, 0, &none) ==
          MIKEY_ERR_SIGNATURE_INVALID);
    CHECK(strlen(mikey_session_error_detail(i)) > 0);
    CHECK(mikey_session_state(i, &st) == MIKEY_OK && st == MIKEY_STATE_AWAITING_KEYS);
    CHECK(mikey_session_process(i, answer, answer_len, NULL, 0, &none) == MIKEY_OK);
    same_keys(i, r, 2);
    mikey_session_free(i);
    mikey_session_free(r);
    mikey_session_free(r2);
    mikey_config_free(ci);
    mikey_config_free(cr);
}

/* A verifier refusing Carol's certificate; it counts its calls and checks the chain. */
static int verify_calls = 0;
static int refuse_carol(void *userdata, const uint8_t *const *certs, const size_t *lens,
                        size_t count) {
    const blob_t *carol = (const blob_t *)userdata;
    verify_calls++;
    CHECK(count == 1 && certs != NULL && lens != NULL && lens[0] > 0);
    return count >= 1 && lens[0] == carol->len && memcmp(certs[0], carol->data, carol->len) == 0;
}

static int no_resolver(void *userdata, const char *url, size_t url_len, uint8_t *der,
                       size_t der_cap, size_t *der_len) {
    (void)userdata;
    (void)url;
    (void)url_len;
    (void)der;
    (void)der_cap;
    (void)der_len;
    return 1;
}

static void verifier(void) {
    blob_t carol = load("carol.der");
    mikey_config_builder_t *b = NULL;
    mikey_config_t *cr = NULL;
    blob_t key = load("bob.key"), cert = load("bob.pem"), ca = load("ca.pem");
    const char *bob = "sip:bob@example.com";
    CHECK(mikey_config_builder_new(MIKEY_MODE_RSA_R, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_set_private_key(b, key.data, key.len) == MIKEY_OK);
    CHECK(mikey_config_builder_set_certificate_chain(b, cert.data, cert.len) == MIKEY_OK);
    CHECK(mikey_config_builder_set_trust_anchors(b, ca.data, ca.len) == MIKEY_OK);
    CHECK(mikey_config_builder_set_local_identity(b, MIKEY_ID_URI, (const uint8_t *)bob,
                                                  strlen(bob)) == MIKEY_OK);
    CHECK(mikey_config_builder_set_cert_verifier(b, refuse_carol, &carol) == MIKEY_OK);
    CHECK(mikey_config_builder_set_cert_resolver(b, no_resolver, NULL) == MIKEY_OK);
    CHECK(mikey_config_builder_build(b, &cr) == MIKEY_OK);
    const char *who[2] = {"alice", "carol"};
    for (size_t k = 0; k < 2; k++) {
        mikey_config_t *ci = config(who[k], 0, 1, NULL, 0);
        mikey_session_t *i = NULL, *r = NULL;
        uint8_t init[MSG_CAP], answer[MSG_CAP];
        size_t init_len = 0, answer_len = 0;
        CHECK(mikey_session_new(ci, MIKEY_ROLE_INITIATOR, &i) == MIKEY_OK);
        CHECK(mikey_session_new(cr, MIKEY_ROLE_RESPONDER, &r) == MIKEY_OK);
        CHECK(mikey_session_initiate(i, STREAMS, 2, init, sizeof init, &init_len) == MIKEY_OK);
        mikey_status_t st =
            mikey_session_process(r, init, init_len, answer, sizeof answer, &answer_len);
        CHECK(st == (k == 0 ? MIKEY_OK : MIKEY_ERR_CERTIFICATE));
        mikey_session_free(i);
        mikey_session_free(r);
        mikey_config_free(ci);
    }
    CHECK(verify_calls == 2);
    mikey_config_free(cr);
    free(carol.data);
    free(key.data);
    free(cert.data);
    free(ca.data);
}

static void misuse(void) {
    mikey_config_builder_t *b = NULL;
    mikey_config_t *c = NULL;
    CHECK(mikey_config_builder_set_rsa_r_initiator_rand(NULL, 1) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_config_builder_set_rsa_r_group_member(NULL, 1) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_config_builder_set_rsa_r_group(NULL, GROUP, 1) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_config_builder_set_accept_forked_answers(NULL, 1) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_config_builder_set_cert_verifier(NULL, refuse_carol, NULL) ==
          MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_config_builder_set_cert_resolver(NULL, no_resolver, NULL) ==
          MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_config_builder_new(MIKEY_MODE_RSA_R, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_set_cert_verifier(b, NULL, NULL) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_config_builder_set_cert_resolver(b, NULL, NULL) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_config_builder_set_rsa_r_initiator_rand(b, 2) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(strlen(mikey_config_builder_error_detail(b)) > 0);
    CHECK(mikey_config_builder_set_rsa_r_group_member(b, 7) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_config_builder_set_rsa_r_group(b, GROUP, 0) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_config_builder_set_rsa_r_group(b, GROUP, 256) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_config_builder_set_rsa_r_group(b, NULL, 1) == MIKEY_ERR_NULL_POINTER);
    /* A group stream naming a policy that is not offered; no private key either. */
    const mikey_stream_t far[1] = {{1, 0, 9}};
    CHECK(mikey_config_builder_set_rsa_r_group(b, far, 1) == MIKEY_OK);
    CHECK(mikey_config_builder_build(b, &c) == MIKEY_ERR_CONFIG && c == NULL);
    mikey_config_builder_free(b);
    /* Forking where every branch would share the Initiator's TGK (PK). */
    CHECK(mikey_config_builder_new(MIKEY_MODE_PK, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_set_accept_forked_answers(b, 2) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_config_builder_set_accept_forked_answers(b, 1) == MIKEY_OK);
    CHECK(mikey_config_builder_build(b, &c) == MIKEY_ERR_CONFIG && c == NULL);
    mikey_config_builder_free(b);
    /* A group in another mode. */
    CHECK(mikey_config_builder_new(MIKEY_MODE_PSK, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_set_psk(b, (const uint8_t *)"k", 1) == MIKEY_OK);
    CHECK(mikey_config_builder_set_rsa_r_group(b, GROUP, 1) == MIKEY_OK);
    CHECK(mikey_config_builder_build(b, &c) == MIKEY_ERR_CONFIG && c == NULL);
    mikey_config_builder_free(b);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: test_rsa_r PKI_DIR\n");
        return 2;
    }
    snprintf(pki_dir, sizeof pki_dir, "%s", argv[1]);
    CHECK(srtp_init() == srtp_err_status_ok);
    unicast(1);
    unicast(0);
    group();
    forked();
    verifier();
    refusals();
    signed_refusal();
    misuse();
    CHECK(srtp_shutdown() == srtp_err_status_ok);
    return check_report("test_rsa_r");
}
