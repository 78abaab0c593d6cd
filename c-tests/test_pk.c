/* MIKEY-PK (RFC 3830 §3.2) through the C API, the C twin of tests/pk_exchange.rs, with the
 * test PKI c-tests/make_pki.sh made in the directory given as argv[1] (ctest fixture
 * "pki"):
 * - Alice (Initiator: PKCS#8 PEM key, PEM chain, Bob's DER certificate) and Bob
 *   (Responder: PKCS#8 DER key, PEM chain, the test CA as trust anchor) run the exchange:
 *   I_MESSAGE (HDR, T, RAND, CERTi, IDr, SP, KEMAC, PKE, SIGNi), verification message,
 *   both ESTABLISHED with the same crypto sessions and keys; libsrtp2 then carries RTP
 *   with those keys both ways (mikey_srtp.h);
 * - the envelope key cache (RFC 3830 §3.2, §4.5): with "Cache" and "Cache for CSB" the
 *   update (mikey_session_rekey) is a PSK message keyed with the cached envelope key,
 *   answered by a PSK verification message, and its new keys carry RTP; with "Cache" both
 *   sides read the same key (mikey_session_cached_envelope_key); with "No cache" the
 *   update is a PK message;
 * - variants: RSA-PSS, CHASH SHA-256 and SHA-1, the PKE cache indicator, a PKCS#1 key, no
 *   CERT payloads with Alice's certificate configured at Bob;
 * - the application's identity binder (mikey_config_builder_set_cert_identity_binder):
 *   it binds an identity the certificate does not name, and its refusal overrides a
 *   matching subjectAltName;
 * - refusals, each with its status, its Error message (Error no., and what the Initiator
 *   reads from it) or none, the Responder session left IDLE without keys and the replay
 *   cache as it was, and a correct message then accepted by the same session: a wrong
 *   Responder key, an untrusted chain, an identity the certificate does not name, a pinned
 *   peer certificate, expired certificates, a tampered signature, a tampered PKE and an
 *   unknown S type (both re-signed with Alice's key by the openssl tool), a CHASH with MD5,
 *   a replay, a stale timestamp; and the Initiator's own refusals (no peer certificate, a
 *   1024-bit peer key, no identity);
 * - C API misuse of every PK setter (NULL builder, NULL bytes, length 0, unreadable
 *   credentials, an EC key, two peer certificates, values out of range), each failure with
 *   a detail and leaving the builder's earlier value in place; a PK config without a
 *   private key does not build. */
#include "check.h"
#include "pki_file.h"

#include <mikey_srtp.h>
#include "srtp_end.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MSG_CAP 8192
#define SIG_LEN 256 /* RSA-2048 */
#define NTP_UNIX_OFFSET 2208988800u
#define RTP_HDR 12
#define RTP_PAYLOAD 160
#define RTP_LEN (RTP_HDR + RTP_PAYLOAD)

/* --- The test PKI -------------------------------------------------------------------- */

static char pki_dir[1024];
/* This program's name: the scratch files of the re-signing step carry it, so the sanitizer
 * build and its valgrind twin never share one. */
static const char *prog = "test_pk";

static struct {
    blob_t alice_key, alice_pem, alice_der, bob_key_der, bob_rsa_key, bob_pem, bob_der;
    blob_t carol_key, carol_der, mallory_key, mallory_pem, ca_pem, ca_der, evil_pem;
    blob_t small_der, small_key, ec_key, ec_key_der;
} pki;

/* Reads a whole file of the PKI directory; NULL data when it cannot. */
static blob_t load(const char *name) {
    return pki_file(pki_dir, name, prog);
}

/* Loads every file the tests use; 0 if one is missing. */
static int load_pki(void) {
    struct {
        blob_t *into;
        const char *name;
    } files[] = {
        {&pki.alice_key, "alice.key"},     {&pki.alice_pem, "alice.pem"},
        {&pki.alice_der, "alice.der"},     {&pki.bob_key_der, "bob.key.der"},
        {&pki.bob_rsa_key, "bob.rsa.key"}, {&pki.bob_pem, "bob.pem"},
        {&pki.bob_der, "bob.der"},         {&pki.carol_key, "carol.key"},
        {&pki.carol_der, "carol.der"},     {&pki.mallory_key, "mallory.key"},
        {&pki.mallory_pem, "mallory.pem"}, {&pki.ca_pem, "ca.pem"},
        {&pki.ca_der, "ca.der"},           {&pki.evil_pem, "evil.pem"},
        {&pki.small_der, "small.der"},     {&pki.small_key, "small.key"},
        {&pki.ec_key, "ec.key"},           {&pki.ec_key_der, "ec.key.der"},
    };
    int ok = 1;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        *files[i].into = load(files[i].name);
        if (files[i].into->data == NULL) ok = 0;
    }
    return ok;
}

static void free_pki(void) {
    blob_t *all[] = {&pki.alice_key, &pki.alice_pem,   &pki.alice_der,   &pki.bob_key_der,
                     &pki.bob_rsa_key, &pki.bob_pem,   &pki.bob_der,     &pki.carol_key,
                     &pki.carol_der,   &pki.mallory_key, &pki.mallory_pem, &pki.ca_pem,
                     &pki.ca_der,      &pki.evil_pem,  &pki.small_der,   &pki.small_key,
                     &pki.ec_key,      &pki.ec_key_der};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        free(all[i]->data);
        all[i]->data = NULL;
    }
}

/* Two blobs one after the other (two PEM files make one PEM with two blocks). */
static blob_t concat(blob_t a, blob_t b) {
    blob_t c = {malloc(a.len + b.len), a.len + b.len};
    CHECK(c.data != NULL);
    if (c.data == NULL) {
        c.len = 0;
        return c;
    }
    memcpy(c.data, a.data, a.len);
    memcpy(c.data + a.len, b.data, b.len);
    return c;
}

/* --- Configs ------------------------------------------------------------------------- */

/* Wall clocks (NTP): now, one hour ahead, 60 days ahead (the certificates have expired). */
static uint64_t now_ntp, hour_ntp, expired_ntp;
static uint64_t test_clock(void *userdata) { return *(const uint64_t *)userdata; }

static mikey_status_t set_uri(mikey_config_builder_t *b, int local, const char *uri) {
    return local ? mikey_config_builder_set_local_identity(b, MIKEY_ID_URI, (const uint8_t *)uri,
                                                           strlen(uri))
                 : mikey_config_builder_set_peer_identity(b, MIKEY_ID_URI, (const uint8_t *)uri,
                                                          strlen(uri));
}

/* Alice, the Initiator: her key (PKCS#8 PEM) and chain, Bob's certificate (DER). */
static mikey_config_builder_t *alice(uint64_t *clock) {
    mikey_config_builder_t *b = NULL;
    CHECK(mikey_config_builder_new(MIKEY_MODE_PK, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_set_private_key(b, pki.alice_key.data, pki.alice_key.len) ==
          MIKEY_OK);
    CHECK(mikey_config_builder_set_certificate_chain(b, pki.alice_pem.data, pki.alice_pem.len) ==
          MIKEY_OK);
    CHECK(mikey_config_builder_set_peer_certificate(b, pki.bob_der.data, pki.bob_der.len) ==
          MIKEY_OK);
    CHECK(set_uri(b, 1, "sip:alice@example.com") == MIKEY_OK);
    CHECK(set_uri(b, 0, "sip:bob@example.com") == MIKEY_OK);
    CHECK(mikey_config_builder_set_clock(b, test_clock, clock) == MIKEY_OK);
    CHECK(mikey_config_builder_error_detail(b)[0] == '\0');
    return b;
}

/* Bob, the Responder: his key (PKCS#8 DER) and chain, trusting the test CA. */
static mikey_config_builder_t *bob(uint64_t *clock) {
    mikey_config_builder_t *b = NULL;
    CHECK(mikey_config_builder_new(MIKEY_MODE_PK, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_set_private_key(b, pki.bob_key_der.data, pki.bob_key_der.len) ==
          MIKEY_OK);
    CHECK(mikey_config_builder_set_certificate_chain(b, pki.bob_pem.data, pki.bob_pem.len) ==
          MIKEY_OK);
    CHECK(mikey_config_builder_set_trust_anchors(b, pki.ca_pem.data, pki.ca_pem.len) ==
          MIKEY_OK);
    CHECK(set_uri(b, 1, "sip:bob@example.com") == MIKEY_OK);
    CHECK(mikey_config_builder_set_clock(b, test_clock, clock) == MIKEY_OK);
    return b;
}

/* Builds `b` (consumed on success, freed here on failure). */
static mikey_config_t *build(mikey_config_builder_t *b) {
    mikey_config_t *c = NULL;
    mikey_status_t st = mikey_config_builder_build(b, &c);
    CHECK(st == MIKEY_OK);
    if (st != MIKEY_OK) {
        fprintf(stderr, "build: %s\n", mikey_config_builder_error_detail(b));
        mikey_config_builder_free(b);
    }
    return c;
}

/* --- Messages ------------------------------------------------------------------------ */

/* The payload types of a message (at most `cap`); returns their number. */
static size_t payload_kinds(const uint8_t *msg, size_t len, uint8_t *kinds, size_t cap) {
    mikey_message_t *m = NULL;
    size_t count = 0;
    CHECK(mikey_message_parse(msg, len, &m, NULL) == MIKEY_OK);
    CHECK(mikey_message_payload_count(m, &count) == MIKEY_OK);
    for (size_t i = 0; i < count && i < cap; i++) {
        mikey_payload_info_t info;
        CHECK(mikey_message_payload_info(m, i, &info) == MIKEY_OK);
        kinds[i] = info.payload_type;
    }
    mikey_message_free(m);
    return count;
}

/* The last payload of type `type` of a message; CHECKs that there is one. */
static mikey_payload_info_t find_payload(const uint8_t *msg, size_t len, uint8_t type) {
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
        if (info.payload_type == type) {
            found = info;
            seen = 1;
        }
    }
    mikey_message_free(m);
    CHECK(seen);
    return found;
}

static uint8_t data_type(const uint8_t *msg, size_t len) {
    mikey_message_t *m = NULL;
    mikey_header_info_t h;
    memset(&h, 0, sizeof h);
    h.data_type = 0xff;
    CHECK(mikey_message_parse(msg, len, &m, NULL) == MIKEY_OK);
    CHECK(mikey_message_header(m, &h) == MIKEY_OK);
    mikey_message_free(m);
    return h.data_type;
}

/* The Error no. of an Error message (its first ERR payload); -1 if it is not one. */
static int error_no(const uint8_t *msg, size_t len) {
    if (len == 0 || data_type(msg, len) != MIKEY_DATA_TYPE_ERROR) return -1;
    mikey_payload_info_t err = find_payload(msg, len, MIKEY_PAYLOAD_ERROR);
    return err.payload_type == MIKEY_PAYLOAD_ERROR ? err.code : -1;
}

/* Writes `len` bytes to a scratch file of the PKI directory; 0 on failure. */
/* Makes SIGNi of `msg` again with `key_file`'s key (pki_resign). Returns 1 on success. */
static int resign(uint8_t *msg, size_t len, const char *key_file) {
    return pki_resign(pki_dir, prog, msg, len, SIG_LEN, key_file);
}

/* --- The exchange -------------------------------------------------------------------- */

static const mikey_stream_t STREAMS[2] = {{0x1111aaaau, 0, 0}, {0x2222bbbbu, 3, 0}};

typedef struct {
    mikey_session_t *i, *r;
    uint8_t init[MSG_CAP];
    size_t init_len;
} pk_exchange_t;

/* Both sessions hold the same crypto sessions and SRTP keys. */
static void same_keys(const mikey_session_t *a, const mikey_session_t *b) {
    size_t na = 0, nb = 0;
    uint32_t csa = 0, csb = 1;
    CHECK(mikey_session_csb_id(a, &csa) == MIKEY_OK && mikey_session_csb_id(b, &csb) == MIKEY_OK);
    CHECK(csa == csb);
    CHECK(mikey_session_crypto_session_count(a, &na) == MIKEY_OK && na == 2);
    CHECK(mikey_session_crypto_session_count(b, &nb) == MIKEY_OK && nb == 2);
    for (size_t i = 0; i < 2; i++) {
        mikey_crypto_session_info_t ia, ib;
        mikey_srtp_key_t ka, kb;
        CHECK(mikey_session_crypto_session(a, i, &ia) == MIKEY_OK);
        CHECK(mikey_session_crypto_session(b, i, &ib) == MIKEY_OK);
        CHECK(ia.cs_id == i + 1 && ib.cs_id == i + 1);
        CHECK(ia.ssrc == STREAMS[i].ssrc && ib.ssrc == ia.ssrc);
        CHECK(ia.roc == STREAMS[i].roc && ib.roc == ia.roc && ia.profile == ib.profile);
        CHECK(ia.key_count == 1 && ib.key_count == 1);
        CHECK(mikey_session_srtp_key(a, i, 0, &ka) == MIKEY_OK);
        CHECK(mikey_session_srtp_key(b, i, 0, &kb) == MIKEY_OK);
        CHECK(ka.key_salt_len == 30 && kb.key_salt_len == 30);
        CHECK(memcmp(ka.key_salt, kb.key_salt, 30) == 0);
        memset(&ka, 0, sizeof ka);
        memset(&kb, 0, sizeof kb);
    }
}

/* The whole exchange; `kinds` (0-terminated) are the I_MESSAGE's payload types. The
 * sessions stay in `ex` (exchange_free). */
static void exchange(pk_exchange_t *ex, mikey_config_t *ci, mikey_config_t *cr,
                     const uint8_t *kinds) {
    uint8_t reply[MSG_CAP], got[32];
    size_t reply_len = 0, none = 1, want = strlen((const char *)kinds);
    mikey_state_t state = 99;
    ex->i = ex->r = NULL;
    ex->init_len = 0;
    CHECK(mikey_session_new(ci, MIKEY_ROLE_INITIATOR, &ex->i) == MIKEY_OK);
    CHECK(mikey_session_new(cr, MIKEY_ROLE_RESPONDER, &ex->r) == MIKEY_OK);
    CHECK(mikey_session_initiate(ex->i, STREAMS, 2, ex->init, sizeof ex->init, &ex->init_len) ==
          MIKEY_OK);
    CHECK(mikey_session_state(ex->i, &state) == MIKEY_OK &&
          state == MIKEY_STATE_AWAITING_VERIFICATION);
    if (ex->init_len == 0) return;
    CHECK(data_type(ex->init, ex->init_len) == MIKEY_DATA_TYPE_PUBLIC_KEY);
    CHECK(payload_kinds(ex->init, ex->init_len, got, sizeof got) == want);
    CHECK(memcmp(got, kinds, want) == 0);
    mikey_status_t st =
        mikey_session_process(ex->r, ex->init, ex->init_len, reply, sizeof reply, &reply_len);
    CHECK(st == MIKEY_OK);
    if (st != MIKEY_OK) fprintf(stderr, "responder: %s\n", mikey_session_error_detail(ex->r));
    CHECK(reply_len > 0);
    if (reply_len == 0) return;
    CHECK(data_type(reply, reply_len) == MIKEY_DATA_TYPE_PK_VERIFICATION);
    CHECK(mikey_session_process(ex->i, reply, reply_len, NULL, 0, &none) == MIKEY_OK);
    CHECK(none == 0);
    CHECK(mikey_session_state(ex->i, &state) == MIKEY_OK && state == MIKEY_STATE_ESTABLISHED);
    CHECK(mikey_session_state(ex->r, &state) == MIKEY_OK && state == MIKEY_STATE_ESTABLISHED);
    same_keys(ex->i, ex->r);
}

static void exchange_free(pk_exchange_t *ex) {
    mikey_session_free(ex->i);
    mikey_session_free(ex->r);
    ex->i = ex->r = NULL;
}

/* I_MESSAGE payload orders (RFC 3830 §3.2). */
static const uint8_t WITH_CERT[] = {MIKEY_PAYLOAD_TIMESTAMP, MIKEY_PAYLOAD_RAND,
                                    MIKEY_PAYLOAD_CERT,      MIKEY_PAYLOAD_ID,
                                    MIKEY_PAYLOAD_SECURITY_POLICY, MIKEY_PAYLOAD_KEMAC,
                                    MIKEY_PAYLOAD_PKE,       MIKEY_PAYLOAD_SIGN, 0};
static const uint8_t WITH_CHASH[] = {MIKEY_PAYLOAD_TIMESTAMP, MIKEY_PAYLOAD_RAND,
                                     MIKEY_PAYLOAD_CERT,      MIKEY_PAYLOAD_ID,
                                     MIKEY_PAYLOAD_SECURITY_POLICY, MIKEY_PAYLOAD_KEMAC,
                                     MIKEY_PAYLOAD_CHASH,     MIKEY_PAYLOAD_PKE,
                                     MIKEY_PAYLOAD_SIGN,      0};
static const uint8_t WITH_IDS[] = {MIKEY_PAYLOAD_TIMESTAMP, MIKEY_PAYLOAD_RAND,
                                   MIKEY_PAYLOAD_ID,        MIKEY_PAYLOAD_ID,
                                   MIKEY_PAYLOAD_SECURITY_POLICY, MIKEY_PAYLOAD_KEMAC,
                                   MIKEY_PAYLOAD_PKE,       MIKEY_PAYLOAD_SIGN, 0};

/* --- SRTP with the keys -------------------------------------------------------------- */

static void put32(uint8_t *p, uint32_t v) {
    for (int b = 0; b < 4; b++) p[b] = (uint8_t)(v >> (24 - 8 * b));
}

/* 32-bit aligned packet buffer with room for libsrtp's trailer. */
typedef union {
    uint32_t align;
    uint8_t b[RTP_LEN + SRTP_MAX_TRAILER_LEN];
} pkt_buf_t;

/* RTP packet `seq` of SSRC `ssrc` from `tx` to `rx`: encrypted on the way, the plaintext
 * comes back, and a packet with one bit flipped is refused. */
static void rtp_send(srtp_t tx, srtp_t rx, uint32_t ssrc, uint16_t seq) {
    uint8_t plain[RTP_LEN];
    pkt_buf_t buf, bad;
    plain[0] = 0x80;
    plain[1] = 96;
    plain[2] = (uint8_t)(seq >> 8);
    plain[3] = (uint8_t)seq;
    put32(plain + 4, (uint32_t)seq * 160u);
    put32(plain + 8, ssrc);
    for (size_t i = 0; i < RTP_PAYLOAD; i++) plain[RTP_HDR + i] = (uint8_t)(i * 5u + seq);
    memcpy(buf.b, plain, RTP_LEN);
    int len = RTP_LEN;
    CHECK(srtp_protect(tx, buf.b, &len) == srtp_err_status_ok);
    CHECK(len == RTP_LEN + 10); /* AES128_CM_SHA1_80 */
    CHECK(memcmp(buf.b + RTP_HDR, plain + RTP_HDR, RTP_PAYLOAD) != 0);
    memcpy(bad.b, buf.b, (size_t)len);
    bad.b[RTP_HDR + 3] ^= 0x01;
    int bad_len = len;
    CHECK(srtp_unprotect(rx, bad.b, &bad_len) == srtp_err_status_auth_fail);
    CHECK(srtp_unprotect(rx, buf.b, &len) == srtp_err_status_ok);
    CHECK(len == RTP_LEN && memcmp(buf.b, plain, RTP_LEN) == 0);
}

/* libsrtp2 with the exchanged keys: CS 1 (ROC 0) from Alice to Bob, CS 2 (ROC 3, applied
 * with mikey_srtp_policy_set_roc) from Bob to Alice. */
static void srtp_both_ways(const pk_exchange_t *ex) {
    srtp_t a_tx = srtp_end(ex->i, 0, MIKEY_SRTP_OUTBOUND);
    srtp_t b_rx = srtp_end(ex->r, 0, MIKEY_SRTP_INBOUND);
    srtp_t b_tx = srtp_end(ex->r, 1, MIKEY_SRTP_OUTBOUND);
    srtp_t a_rx = srtp_end(ex->i, 1, MIKEY_SRTP_INBOUND);
    if (a_tx && b_rx && b_tx && a_rx) {
        for (uint16_t seq = 1; seq <= 3; seq++) {
            rtp_send(a_tx, b_rx, STREAMS[0].ssrc, seq);
            rtp_send(b_tx, a_rx, STREAMS[1].ssrc, (uint16_t)(seq + 100));
        }
        uint32_t roc = 0;
        CHECK(srtp_get_stream_roc(a_rx, STREAMS[1].ssrc, &roc) == srtp_err_status_ok);
        CHECK(roc == 3);
    }
    srtp_t all[4] = {a_tx, b_rx, b_tx, a_rx};
    for (size_t i = 0; i < 4; i++)
        if (all[i]) CHECK(srtp_dealloc(all[i]) == srtp_err_status_ok);
}

/* --- Exchanges ----------------------------------------------------------------------- */

static void test_exchange(void) {
    mikey_config_t *ci = build(alice(&now_ntp)), *cr = build(bob(&now_ntp));
    pk_exchange_t ex;
    exchange(&ex, ci, cr, WITH_CERT);
    /* The defaults: SIGN S type RSA PKCS#1 v1.5 with a 2048-bit signature, PKE C "No
     * cache" with a 256-byte envelope, CERTi Alice's certificate as DER. */
    mikey_payload_info_t sign = find_payload(ex.init, ex.init_len, MIKEY_PAYLOAD_SIGN);
    CHECK(sign.code == MIKEY_SIGN_RSA_PKCS1_V15 && sign.data_len == SIG_LEN);
    CHECK(sign.offset + sign.len == ex.init_len);
    mikey_payload_info_t pke = find_payload(ex.init, ex.init_len, MIKEY_PAYLOAD_PKE);
    CHECK(pke.code == MIKEY_PKE_NO_CACHE && pke.data_len == 256);
    mikey_payload_info_t cert = find_payload(ex.init, ex.init_len, MIKEY_PAYLOAD_CERT);
    CHECK(cert.code == MIKEY_CERT_X509V3 && cert.data_len == pki.alice_der.len);
    CHECK(memcmp(ex.init + cert.offset + cert.len - cert.data_len, pki.alice_der.data,
                 pki.alice_der.len) == 0);
    srtp_both_ways(&ex);
    /* PKCS#1 v1.5 signatures are deterministic: openssl signing the covered bytes with
     * Alice's key gives SIGNi byte for byte (which also checks resign() for the tampered
     * messages below). */
    uint8_t copy[MSG_CAP];
    memcpy(copy, ex.init, ex.init_len);
    memset(copy + ex.init_len - SIG_LEN, 0, SIG_LEN);
    CHECK(resign(copy, ex.init_len, "alice.key"));
    CHECK(memcmp(copy, ex.init, ex.init_len) == 0);
    exchange_free(&ex);
    mikey_config_free(ci);
    mikey_config_free(cr);
}

/* The envelope key cache (RFC 3830 §3.2, §4.5, §6.3): with the PKE's C field "Cache" the
 * update is a PSK message keyed with the cached envelope key, answered by a PSK
 * verification message, the new keys carry SRTP, and both applications get the same
 * envelope key; with "Cache for CSB" the update is a PSK message too but the key stays in
 * the session; with "No cache" the update is a PK message with a new envelope. */
static void cache_case(mikey_pke_cache_t cache, uint8_t update_type, size_t key_len) {
    uint64_t clock = now_ntp;
    mikey_config_builder_t *ab = alice(&clock);
    CHECK(mikey_config_builder_set_envelope_key_cache(ab, cache) == MIKEY_OK);
    mikey_config_t *ci = build(ab), *cr = build(bob(&clock));
    pk_exchange_t ex;
    exchange(&ex, ci, cr, WITH_CERT);
    CHECK(find_payload(ex.init, ex.init_len, MIKEY_PAYLOAD_PKE).code == cache);
    mikey_srtp_key_t before, after;
    CHECK(mikey_session_srtp_key(ex.i, 0, 0, &before) == MIKEY_OK);
    uint8_t ki[64], kr[64], update[MSG_CAP], reply[MSG_CAP];
    size_t ki_len = 99, kr_len = 99, update_len = 0, reply_len = 0, none = 1;
    CHECK(mikey_session_cached_envelope_key(ex.i, ki, sizeof ki, &ki_len) == MIKEY_OK);
    CHECK(mikey_session_cached_envelope_key(ex.r, kr, sizeof kr, &kr_len) == MIKEY_OK);
    CHECK(ki_len == key_len && kr_len == key_len);
    CHECK(memcmp(ki, kr, key_len) == 0);
    if (key_len > 0) {
        size_t need = 0;
        CHECK(mikey_session_cached_envelope_key(ex.i, ki, key_len - 1, &need) ==
              MIKEY_ERR_BUFFER_TOO_SMALL);
        CHECK(need == key_len);
        CHECK(mikey_session_cached_envelope_key(ex.i, NULL, sizeof ki, &need) ==
              MIKEY_ERR_NULL_POINTER);
    }
    CHECK(mikey_session_cached_envelope_key(ex.i, ki, sizeof ki, NULL) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_session_cached_envelope_key(NULL, ki, sizeof ki, &ki_len) ==
          MIKEY_ERR_NULL_POINTER);
    clock += 1ull << 32; /* one second later: the update's T must be newer */
    CHECK(mikey_session_rekey(ex.i, NULL, 0, update, sizeof update, &update_len) == MIKEY_OK);
    CHECK(update_len > 0 && data_type(update, update_len) == update_type);
    CHECK(mikey_session_process(ex.r, update, update_len, reply, sizeof reply, &reply_len) ==
          MIKEY_OK);
    CHECK(reply_len > 0 && data_type(reply, reply_len) == update_type + 1);
    CHECK(mikey_session_process(ex.i, reply, reply_len, NULL, 0, &none) == MIKEY_OK);
    same_keys(ex.i, ex.r);
    CHECK(mikey_session_srtp_key(ex.i, 0, 0, &after) == MIKEY_OK);
    CHECK(memcmp(before.key_salt, after.key_salt, 30) != 0);
    srtp_both_ways(&ex);
    memset(ki, 0, sizeof ki);
    memset(kr, 0, sizeof kr);
    memset(&before, 0, sizeof before);
    memset(&after, 0, sizeof after);
    exchange_free(&ex);
    mikey_config_free(ci);
    mikey_config_free(cr);
}

static void test_envelope_cache(void) {
    cache_case(MIKEY_PKE_CACHE, MIKEY_DATA_TYPE_PRE_SHARED, 32);
    cache_case(MIKEY_PKE_CACHE_FOR_CSB, MIKEY_DATA_TYPE_PRE_SHARED, 0);
    cache_case(MIKEY_PKE_NO_CACHE, MIKEY_DATA_TYPE_PUBLIC_KEY, 0);
}

static void test_variants(void) {
    mikey_config_t *cr = build(bob(&now_ntp));
    pk_exchange_t ex;

    /* RSA-PSS signatures (S type 1), randomized: two messages differ in more than T. */
    mikey_config_builder_t *b = alice(&now_ntp);
    CHECK(mikey_config_builder_set_signature_type(b, MIKEY_SIGN_RSA_PSS) == MIKEY_OK);
    mikey_config_t *ci = build(b);
    exchange(&ex, ci, cr, WITH_CERT);
    CHECK(find_payload(ex.init, ex.init_len, MIKEY_PAYLOAD_SIGN).code == MIKEY_SIGN_RSA_PSS);
    srtp_both_ways(&ex);
    exchange_free(&ex);
    mikey_config_free(ci);

    /* CHASH naming Bob's certificate: SHA-256 (32 bytes), SHA-1 (20 bytes). */
    const struct {
        mikey_hash_func_t func;
        size_t len;
    } hashes[2] = {{MIKEY_HASH_SHA256, 32}, {MIKEY_HASH_SHA1, 20}};
    for (size_t h = 0; h < 2; h++) {
        b = alice(&now_ntp);
        CHECK(mikey_config_builder_set_cert_hash(b, 1, hashes[h].func) == MIKEY_OK);
        ci = build(b);
        exchange(&ex, ci, cr, WITH_CHASH);
        mikey_payload_info_t chash = find_payload(ex.init, ex.init_len, MIKEY_PAYLOAD_CHASH);
        CHECK(chash.code == hashes[h].func && chash.data_len == hashes[h].len);
        exchange_free(&ex);
        mikey_config_free(ci);
    }
    /* CHASH turned on, then off again (the hash func is ignored then). */
    b = alice(&now_ntp);
    CHECK(mikey_config_builder_set_cert_hash(b, 1, MIKEY_HASH_SHA256) == MIKEY_OK);
    CHECK(mikey_config_builder_set_cert_hash(b, 0, 99) == MIKEY_OK);
    ci = build(b);
    exchange(&ex, ci, cr, WITH_CERT);
    exchange_free(&ex);
    mikey_config_free(ci);

    /* The PKE C field as configured. */
    const mikey_pke_cache_t caches[3] = {MIKEY_PKE_CACHE, MIKEY_PKE_CACHE_FOR_CSB,
                                         MIKEY_PKE_NO_CACHE};
    for (size_t c = 0; c < 3; c++) {
        b = alice(&now_ntp);
        CHECK(mikey_config_builder_set_envelope_key_cache(b, caches[c]) == MIKEY_OK);
        ci = build(b);
        exchange(&ex, ci, cr, WITH_CERT);
        CHECK(find_payload(ex.init, ex.init_len, MIKEY_PAYLOAD_PKE).code == caches[c]);
        exchange_free(&ex);
        mikey_config_free(ci);
    }

    /* Without CERTi (IDi instead), Bob needs Alice's certificate configured (PEM here). */
    b = alice(&now_ntp);
    CHECK(mikey_config_builder_set_send_certificates(b, 0) == MIKEY_OK);
    ci = build(b);
    b = bob(&now_ntp);
    CHECK(mikey_config_builder_set_peer_certificate(b, pki.alice_pem.data, pki.alice_pem.len) ==
          MIKEY_OK);
    mikey_config_t *pinned = build(b);
    exchange(&ex, ci, pinned, WITH_IDS);
    srtp_both_ways(&ex);
    exchange_free(&ex);
    /* Bob without it has no certificate to check SIGNi with: CERTi is missing (Error
     * no. 12). */
    mikey_session_t *i = NULL, *r = NULL;
    uint8_t msg[MSG_CAP], reply[MSG_CAP];
    size_t len = 0, reply_len = 0;
    CHECK(mikey_session_new(ci, MIKEY_ROLE_INITIATOR, &i) == MIKEY_OK);
    CHECK(mikey_session_initiate(i, STREAMS, 2, msg, sizeof msg, &len) == MIKEY_OK);
    CHECK(mikey_session_new(cr, MIKEY_ROLE_RESPONDER, &r) == MIKEY_OK);
    mikey_status_t st = mikey_session_process(r, msg, len, reply, sizeof reply, &reply_len);
    CHECK(st == MIKEY_ERR_MISSING_PAYLOAD);
    CHECK(strstr(mikey_session_error_detail(r), "CERT") != NULL);
    CHECK(error_no(reply, reply_len) == MIKEY_ERRNO_UNSPECIFIED);
    mikey_session_free(i);
    mikey_session_free(r);
    mikey_config_free(ci);
    mikey_config_free(pinned);

    /* Bob's key as PKCS#1 PEM, Alice's chain and Bob's certificate as DER, Alice's key as
     * PKCS#8 DER, the anchors as DER. */
    b = alice(&now_ntp);
    CHECK(mikey_config_builder_set_certificate_chain(b, pki.alice_der.data, pki.alice_der.len) ==
          MIKEY_OK);
    ci = build(b);
    b = bob(&now_ntp);
    CHECK(mikey_config_builder_set_private_key(b, pki.bob_rsa_key.data, pki.bob_rsa_key.len) ==
          MIKEY_OK);
    CHECK(mikey_config_builder_set_trust_anchors(b, pki.ca_der.data, pki.ca_der.len) ==
          MIKEY_OK);
    mikey_config_t *cr2 = build(b);
    exchange(&ex, ci, cr2, WITH_CERT);
    exchange_free(&ex);
    mikey_config_free(ci);
    mikey_config_free(cr2);
    mikey_config_free(cr);
}

/* --- Refusals ------------------------------------------------------------------------ */

/* A correct message from a new Initiator of `ci` is accepted by `r`, which then holds keys
 * equal to the Initiator's. */
static void still_works(mikey_session_t *r, mikey_config_t *ci) {
    mikey_session_t *i = NULL;
    uint8_t msg[MSG_CAP], reply[MSG_CAP];
    size_t len = 0, reply_len = 0, none = 1;
    mikey_state_t state = 99;
    CHECK(mikey_session_new(ci, MIKEY_ROLE_INITIATOR, &i) == MIKEY_OK);
    CHECK(mikey_session_initiate(i, STREAMS, 2, msg, sizeof msg, &len) == MIKEY_OK);
    CHECK(mikey_session_process(r, msg, len, reply, sizeof reply, &reply_len) == MIKEY_OK);
    CHECK(mikey_session_error_detail(r)[0] == '\0');
    CHECK(mikey_session_state(r, &state) == MIKEY_OK && state == MIKEY_STATE_ESTABLISHED);
    CHECK(mikey_session_process(i, reply, reply_len, NULL, 0, &none) == MIKEY_OK && none == 0);
    same_keys(i, r);
    mikey_session_free(i);
}

/* `msg` is refused by a new Responder of `cr` with `status`: the session stays IDLE
 * without keys and the replay cache as it was; the reply is an Error message with Error
 * no. `errno_want` (-1: no reply). Then a correct message from `good` (unless NULL) is
 * accepted by the same session. The reply is left in `reply` (capacity MSG_CAP). */
static size_t refused(mikey_config_t *cr, const uint8_t *msg, size_t len, mikey_status_t status,
                      int errno_want, mikey_config_t *good, uint8_t *reply) {
    mikey_session_t *r = NULL;
    size_t reply_len = 777, cached = 0, cached_after = 1, count = 9;
    mikey_state_t state = 99;
    uint32_t csb = 0;
    CHECK(mikey_config_replay_cache_len(cr, &cached) == MIKEY_OK);
    CHECK(mikey_session_new(cr, MIKEY_ROLE_RESPONDER, &r) == MIKEY_OK);
    mikey_status_t st = mikey_session_process(r, msg, len, reply, MSG_CAP, &reply_len);
    CHECK(st == status);
    if (st != status)
        fprintf(stderr, "refused: status %u (%s), wanted %u\n", st,
                mikey_session_error_detail(r), status);
    /* A failed MAC has no detail on purpose (mikey_session_error_detail); others have. */
    CHECK((mikey_session_error_detail(r)[0] == '\0') == (status == MIKEY_ERR_AUTH_FAILED));
    CHECK(mikey_session_state(r, &state) == MIKEY_OK && state == MIKEY_STATE_IDLE);
    CHECK(mikey_session_crypto_session_count(r, &count) == MIKEY_OK && count == 0);
    CHECK(mikey_session_csb_id(r, &csb) == MIKEY_ERR_WRONG_STATE);
    CHECK(mikey_config_replay_cache_len(cr, &cached_after) == MIKEY_OK && cached_after == cached);
    if (errno_want < 0) {
        CHECK(reply_len == 0);
    } else {
        CHECK(reply_len > 0 && reply_len <= MSG_CAP);
        if (reply_len > MSG_CAP) reply_len = 0;
        CHECK(error_no(reply, reply_len) == errno_want);
    }
    if (good != NULL) still_works(r, good);
    mikey_session_free(r);
    return reply_len;
}

/* A new I_MESSAGE of a new Initiator of `ci`, kept in `ex` (its Initiator stays, to read
 * the reply). */
static void new_init(pk_exchange_t *ex, mikey_config_t *ci) {
    ex->i = ex->r = NULL;
    ex->init_len = 0;
    CHECK(mikey_session_new(ci, MIKEY_ROLE_INITIATOR, &ex->i) == MIKEY_OK);
    CHECK(mikey_session_initiate(ex->i, STREAMS, 2, ex->init, sizeof ex->init, &ex->init_len) ==
          MIKEY_OK);
}

/* The Initiator of `ex` reads the Error message `reply` as `status`. */
static void initiator_reads(pk_exchange_t *ex, const uint8_t *reply, size_t reply_len,
                            mikey_status_t status) {
    size_t none = 1;
    mikey_status_t st = mikey_session_process(ex->i, reply, reply_len, NULL, 0, &none);
    CHECK(st == status);
    if (st != status)
        fprintf(stderr, "initiator_reads: status %u (%s), wanted %u\n", st,
                mikey_session_error_detail(ex->i), status);
    CHECK(none == 0);
}

static void test_refusals(void) {
    mikey_config_t *ci = build(alice(&now_ntp)), *cr = build(bob(&now_ntp));
    uint8_t reply[MSG_CAP];
    size_t reply_len;
    pk_exchange_t ex;

    /* A wrong Responder key: Carol's key cannot open an envelope made for Bob; implicit
     * rejection makes it a MAC failure (Error no. 0, unauthenticated). The same session
     * then accepts an envelope made for Carol's certificate. */
    mikey_config_builder_t *b = bob(&now_ntp);
    CHECK(mikey_config_builder_set_private_key(b, pki.carol_key.data, pki.carol_key.len) ==
          MIKEY_OK);
    mikey_config_t *cr_carol = build(b);
    b = alice(&now_ntp);
    CHECK(mikey_config_builder_set_peer_certificate(b, pki.carol_der.data, pki.carol_der.len) ==
          MIKEY_OK);
    mikey_config_t *ci_to_carol = build(b);
    new_init(&ex, ci);
    reply_len = refused(cr_carol, ex.init, ex.init_len, MIKEY_ERR_AUTH_FAILED,
                        MIKEY_ERRNO_AUTH_FAILURE, ci_to_carol, reply);
    initiator_reads(&ex, reply, reply_len,
                    MIKEY_ERR_PEER_ERROR_UNAUTHENTICATED + MIKEY_ERRNO_AUTH_FAILURE);
    exchange_free(&ex);
    mikey_config_free(cr_carol);
    mikey_config_free(ci_to_carol);

    /* An untrusted chain: Mallory's certificate names Alice, but its CA is not Bob's
     * (Error no. 8, unauthenticated). */
    b = alice(&now_ntp);
    CHECK(mikey_config_builder_set_private_key(b, pki.mallory_key.data, pki.mallory_key.len) ==
          MIKEY_OK);
    CHECK(mikey_config_builder_set_certificate_chain(b, pki.mallory_pem.data,
                                                     pki.mallory_pem.len) == MIKEY_OK);
    mikey_config_t *ci_mallory = build(b);
    new_init(&ex, ci_mallory);
    reply_len = refused(cr, ex.init, ex.init_len, MIKEY_ERR_CERTIFICATE, MIKEY_ERRNO_INVALID_CERT,
                        ci, reply);
    initiator_reads(&ex, reply, reply_len,
                    MIKEY_ERR_PEER_ERROR_UNAUTHENTICATED + MIKEY_ERRNO_INVALID_CERT);
    exchange_free(&ex);
    mikey_config_free(ci_mallory);

    /* An identity the certificate does not name: Alice claims to be Carol in the KEMAC's
     * IDi. Found after the MAC verified, so the Error message (Error no. 7) is
     * authenticated. */
    b = alice(&now_ntp);
    CHECK(set_uri(b, 1, "sip:carol@example.com") == MIKEY_OK);
    mikey_config_t *ci_carol_id = build(b);
    new_init(&ex, ci_carol_id);
    reply_len = refused(cr, ex.init, ex.init_len, MIKEY_ERR_CERTIFICATE_IDENTITY,
                        MIKEY_ERRNO_INVALID_ID, ci, reply);
    initiator_reads(&ex, reply, reply_len, MIKEY_ERR_PEER_ERROR + MIKEY_ERRNO_INVALID_ID);
    exchange_free(&ex);
    mikey_config_free(ci_carol_id);

    /* No acceptable SRTP policy, found after the MAC verified: an authenticated Error
     * message (Error no. 10) the Initiator reads as such, both when Bob knows Alice's
     * identity beforehand and when only the KEMAC's IDi names her (RFC 3830 §3.2: CERTi
     * and no IDi payload). */
    mikey_srtp_profile_t p256 = MIKEY_SRTP_AES256_CM_SHA1_80, p128 = MIKEY_SRTP_AES128_CM_SHA1_80;
    b = alice(&now_ntp);
    CHECK(mikey_config_builder_set_offer(b, &p256, 1) == MIKEY_OK);
    mikey_config_t *ci_256 = build(b);
    for (int knows_alice = 1; knows_alice >= 0; knows_alice--) {
        b = bob(&now_ntp);
        CHECK(mikey_config_builder_set_accepted(b, &p128, 1) == MIKEY_OK);
        if (knows_alice) CHECK(set_uri(b, 0, "sip:alice@example.com") == MIKEY_OK);
        mikey_config_t *cr_128 = build(b);
        new_init(&ex, ci_256);
        reply_len = refused(cr_128, ex.init, ex.init_len, MIKEY_ERR_UNSUPPORTED_POLICY,
                            MIKEY_ERRNO_INVALID_SPPAR, ci, reply);
        initiator_reads(&ex, reply, reply_len, MIKEY_ERR_PEER_ERROR + MIKEY_ERRNO_INVALID_SPPAR);
        exchange_free(&ex);
        mikey_config_free(cr_128);
    }
    mikey_config_free(ci_256);

    /* A pinned peer certificate (Carol's) refuses Alice's, though her CA is trusted; the
     * same session then accepts a message Carol signed. */
    b = bob(&now_ntp);
    CHECK(mikey_config_builder_set_peer_certificate(b, pki.carol_der.data, pki.carol_der.len) ==
          MIKEY_OK);
    mikey_config_t *cr_pinned = build(b);
    b = alice(&now_ntp);
    CHECK(mikey_config_builder_set_private_key(b, pki.carol_key.data, pki.carol_key.len) ==
          MIKEY_OK);
    CHECK(mikey_config_builder_set_certificate_chain(b, pki.carol_der.data, pki.carol_der.len) ==
          MIKEY_OK);
    CHECK(set_uri(b, 1, "sip:carol@example.com") == MIKEY_OK);
    mikey_config_t *ci_carol = build(b);
    new_init(&ex, ci);
    refused(cr_pinned, ex.init, ex.init_len, MIKEY_ERR_CERTIFICATE, MIKEY_ERRNO_INVALID_CERT,
            ci_carol, reply);
    exchange_free(&ex);
    mikey_config_free(cr_pinned);
    mikey_config_free(ci_carol);

    /* 60 days later the 30-day certificates have expired (both clocks there, so the
     * timestamp is fresh). No message can be correct for that Responder: no follow-up. */
    mikey_config_t *ci_late = build(alice(&expired_ntp)), *cr_late = build(bob(&expired_ntp));
    new_init(&ex, ci_late);
    refused(cr_late, ex.init, ex.init_len, MIKEY_ERR_CERTIFICATE, MIKEY_ERRNO_INVALID_CERT, NULL,
            reply);
    exchange_free(&ex);
    mikey_config_free(ci_late);
    mikey_config_free(cr_late);

    /* A tampered signature (last byte flipped): Error no. 0, unauthenticated. */
    uint8_t bad[MSG_CAP];
    new_init(&ex, ci);
    memcpy(bad, ex.init, ex.init_len);
    bad[ex.init_len - 1] ^= 0x01;
    reply_len = refused(cr, bad, ex.init_len, MIKEY_ERR_SIGNATURE_INVALID,
                        MIKEY_ERRNO_AUTH_FAILURE, ci, reply);
    initiator_reads(&ex, reply, reply_len,
                    MIKEY_ERR_PEER_ERROR_UNAUTHENTICATED + MIKEY_ERRNO_AUTH_FAILURE);
    /* A tampered PKE, signed again with Alice's key so that only the envelope is wrong: it
     * opens to another key (implicit rejection) and fails exactly as a wrong MAC does. */
    mikey_payload_info_t pke = find_payload(ex.init, ex.init_len, MIKEY_PAYLOAD_PKE);
    CHECK(pke.data_len == 256);
    memcpy(bad, ex.init, ex.init_len);
    bad[pke.offset + pke.len - pke.data_len + 10] ^= 0x40;
    CHECK(resign(bad, ex.init_len, "alice.key"));
    reply_len = refused(cr, bad, ex.init_len, MIKEY_ERR_AUTH_FAILED, MIKEY_ERRNO_AUTH_FAILURE, ci,
                        reply);
    initiator_reads(&ex, reply, reply_len,
                    MIKEY_ERR_PEER_ERROR_UNAUTHENTICATED + MIKEY_ERRNO_AUTH_FAILURE);
    /* S type 2 (ECCSI, RFC 6509), signed again: not an S type of MIKEY-PK (Error no. 12). */
    mikey_payload_info_t sign = find_payload(ex.init, ex.init_len, MIKEY_PAYLOAD_SIGN);
    memcpy(bad, ex.init, ex.init_len);
    bad[sign.offset] = (uint8_t)(MIKEY_SIGN_ECCSI << 4 | (bad[sign.offset] & 0x0f));
    CHECK(resign(bad, ex.init_len, "alice.key"));
    refused(cr, bad, ex.init_len, MIKEY_ERR_UNSUPPORTED_SIGNATURE, MIKEY_ERRNO_UNSPECIFIED, ci,
            reply);
    exchange_free(&ex);

    /* A CHASH with MD5 (its 20-byte SHA-1 hash cut to MD5's 16), signed again: Error no. 5. */
    b = alice(&now_ntp);
    CHECK(mikey_config_builder_set_cert_hash(b, 1, MIKEY_HASH_SHA1) == MIKEY_OK);
    mikey_config_t *ci_sha1 = build(b);
    new_init(&ex, ci_sha1);
    mikey_payload_info_t chash = find_payload(ex.init, ex.init_len, MIKEY_PAYLOAD_CHASH);
    CHECK(chash.code == MIKEY_HASH_SHA1 && chash.len == 2 + 20);
    size_t cut = chash.offset + 2 + 16, rest = chash.offset + chash.len;
    memcpy(bad, ex.init, cut);
    memcpy(bad + cut, ex.init + rest, ex.init_len - rest);
    bad[chash.offset + 1] = MIKEY_HASH_MD5;
    CHECK(resign(bad, ex.init_len - 4, "alice.key"));
    refused(cr, bad, ex.init_len - 4, MIKEY_ERR_UNSUPPORTED_HASH, MIKEY_ERRNO_INVALID_HA, ci,
            reply);
    exchange_free(&ex);
    mikey_config_free(ci_sha1);

    /* A replay to another session of the same config: discarded, no reply (RFC 3830
     * §5.4). */
    exchange(&ex, ci, cr, WITH_CERT);
    refused(cr, ex.init, ex.init_len, MIKEY_ERR_REPLAYED, -1, ci, reply);
    exchange_free(&ex);

    /* A Responder whose clock is an hour ahead: the timestamp is out of the window,
     * discarded without reply (RFC 3830 §5.3); a message made an hour later passes. */
    mikey_config_t *ci_hour = build(alice(&hour_ntp)), *cr_hour = build(bob(&hour_ntp));
    new_init(&ex, ci);
    refused(cr_hour, ex.init, ex.init_len, MIKEY_ERR_TIMESTAMP_OUT_OF_WINDOW, -1, ci_hour, reply);
    exchange_free(&ex);
    mikey_config_free(ci_hour);
    mikey_config_free(cr_hour);

    mikey_config_free(ci);
    mikey_config_free(cr);
}

/* The Initiator's own refusals: nothing is sent and the session stays IDLE. */
/* The application's identity binder (mikey_config_builder_set_cert_identity_binder, RFC
 * 3830 §4.3): what it was asked, and its answer. */
typedef struct {
    int calls;
    mikey_bool_t last_san;
    mikey_id_type_t last_type;
    int bind_tel; /* 1: bind Alice's certificate to tel:+15551234; 0: refuse everything */
} binder_t;

static int bind_identity(void *userdata, const uint8_t *cert, size_t cert_len,
                         mikey_id_type_t id_type, const uint8_t *id, size_t id_len,
                         mikey_bool_t san_matches) {
    binder_t *b = userdata;
    static const char tel[] = "tel:+15551234";
    b->calls++;
    b->last_san = san_matches;
    b->last_type = id_type;
    if (!b->bind_tel) return 1;
    int alice = cert_len == pki.alice_der.len && memcmp(cert, pki.alice_der.data, cert_len) == 0;
    int is_tel = id_len == strlen(tel) && memcmp(id, tel, id_len) == 0;
    return san_matches || (alice && is_tel) ? 0 : 1;
}

static void test_identity_binder(void) {
    uint8_t reply[MSG_CAP];
    pk_exchange_t ex;
    /* Alice's identity is a number her certificate does not name. */
    mikey_config_builder_t *ab = alice(&now_ntp);
    CHECK(set_uri(ab, 1, "tel:+15551234") == MIKEY_OK);
    mikey_config_t *ci = build(ab), *plain = build(bob(&now_ntp));
    new_init(&ex, ci);
    refused(plain, ex.init, ex.init_len, MIKEY_ERR_CERTIFICATE_IDENTITY, MIKEY_ERRNO_INVALID_ID, NULL,
            reply);
    /* Bob's directory binds it. */
    binder_t directory = {0, 9, 9, 1};
    mikey_config_builder_t *bb = bob(&now_ntp);
    CHECK(mikey_config_builder_set_cert_identity_binder(bb, bind_identity, &directory) ==
          MIKEY_OK);
    mikey_config_t *cr = build(bb);
    mikey_session_t *r = NULL;
    size_t reply_len = 0;
    CHECK(mikey_session_new(cr, MIKEY_ROLE_RESPONDER, &r) == MIKEY_OK);
    CHECK(mikey_session_process(r, ex.init, ex.init_len, reply, sizeof reply, &reply_len) ==
          MIKEY_OK);
    CHECK(directory.calls == 1 && directory.last_san == 0 && directory.last_type == MIKEY_ID_URI);
    mikey_session_free(r);
    exchange_free(&ex);
    /* A binder that refuses overrides a matching subjectAltName. */
    binder_t none = {0, 9, 9, 0};
    bb = bob(&now_ntp);
    CHECK(mikey_config_builder_set_cert_identity_binder(bb, bind_identity, &none) == MIKEY_OK);
    mikey_config_t *strict = build(bb), *good = build(alice(&now_ntp));
    new_init(&ex, good);
    refused(strict, ex.init, ex.init_len, MIKEY_ERR_CERTIFICATE_IDENTITY, MIKEY_ERRNO_INVALID_ID, NULL,
            reply);
    CHECK(none.calls == 1 && none.last_san == 1);
    exchange_free(&ex);
    /* Misuse. */
    bb = bob(&now_ntp);
    CHECK(mikey_config_builder_set_cert_identity_binder(NULL, bind_identity, NULL) ==
          MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_config_builder_set_cert_identity_binder(bb, NULL, NULL) ==
          MIKEY_ERR_NULL_POINTER);
    mikey_config_builder_free(bb);
    mikey_config_free(ci);
    mikey_config_free(plain);
    mikey_config_free(cr);
    mikey_config_free(strict);
    mikey_config_free(good);
}

static void initiate_fails(mikey_config_builder_t *b, mikey_status_t status, const char *detail) {
    mikey_config_t *c = build(b);
    mikey_session_t *i = NULL;
    uint8_t msg[MSG_CAP];
    size_t len = 777;
    mikey_state_t state = 99;
    CHECK(mikey_session_new(c, MIKEY_ROLE_INITIATOR, &i) == MIKEY_OK);
    CHECK(mikey_session_initiate(i, STREAMS, 2, msg, sizeof msg, &len) == status);
    CHECK(strstr(mikey_session_error_detail(i), detail) != NULL);
    if (strstr(mikey_session_error_detail(i), detail) == NULL)
        fprintf(stderr, "initiate: detail \"%s\" lacks \"%s\"\n", mikey_session_error_detail(i),
                detail);
    CHECK(mikey_session_state(i, &state) == MIKEY_OK && state == MIKEY_STATE_IDLE);
    mikey_session_free(i);
    mikey_config_free(c);
}

static void test_initiator_refusals(void) {
    /* No Responder certificate to encrypt the envelope key to. */
    mikey_config_builder_t *b = NULL;
    CHECK(mikey_config_builder_new(MIKEY_MODE_PK, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_set_private_key(b, pki.alice_key.data, pki.alice_key.len) ==
          MIKEY_OK);
    CHECK(mikey_config_builder_set_certificate_chain(b, pki.alice_pem.data, pki.alice_pem.len) ==
          MIKEY_OK);
    CHECK(set_uri(b, 1, "sip:alice@example.com") == MIKEY_OK);
    initiate_fails(b, MIKEY_ERR_CONFIG, "peer certificate");
    /* A 1024-bit Responder key. */
    b = alice(&now_ntp);
    CHECK(mikey_config_builder_set_peer_certificate(b, pki.small_der.data, pki.small_der.len) ==
          MIKEY_OK);
    initiate_fails(b, MIKEY_ERR_PEER_KEY, "");
    /* No local identity: the KEMAC carries IDi. */
    b = NULL;
    CHECK(mikey_config_builder_new(MIKEY_MODE_PK, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_set_private_key(b, pki.alice_key.data, pki.alice_key.len) ==
          MIKEY_OK);
    CHECK(mikey_config_builder_set_peer_certificate(b, pki.bob_der.data, pki.bob_der.len) ==
          MIKEY_OK);
    initiate_fails(b, MIKEY_ERR_CONFIG, "local identity");
}

/* --- C API misuse -------------------------------------------------------------------- */

typedef mikey_status_t (*bytes_setter_t)(mikey_config_builder_t *, const uint8_t *, size_t);

/* `st` is `want`, with a detail on the builder. */
static void fails(mikey_config_builder_t *b, mikey_status_t st, mikey_status_t want,
                  const char *what) {
    CHECK(st == want);
    CHECK(mikey_config_builder_error_detail(b)[0] != '\0');
    if (st != want) fprintf(stderr, "%s: status %u, wanted %u\n", what, st, want);
}

static void test_misuse(void) {
    static const uint8_t garbage[] = "this is neither DER nor PEM";
    static const uint8_t bad_pem[] =
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    const struct {
        const char *name;
        bytes_setter_t set;
        blob_t good;
    } setters[4] = {
        {"set_private_key", mikey_config_builder_set_private_key, pki.alice_key},
        {"set_certificate_chain", mikey_config_builder_set_certificate_chain, pki.alice_pem},
        {"set_trust_anchors", mikey_config_builder_set_trust_anchors, pki.ca_pem},
        {"set_peer_certificate", mikey_config_builder_set_peer_certificate, pki.bob_der},
    };
    mikey_config_builder_t *b = NULL;
    CHECK(mikey_config_builder_new(MIKEY_MODE_PK, &b) == MIKEY_OK);

    for (size_t i = 0; i < 4; i++) {
        const char *n = setters[i].name;
        blob_t good = setters[i].good;
        CHECK(setters[i].set(NULL, good.data, good.len) == MIKEY_ERR_NULL_POINTER);
        fails(b, setters[i].set(b, NULL, 5), MIKEY_ERR_NULL_POINTER, n);
        fails(b, setters[i].set(b, good.data, 0), MIKEY_ERR_INVALID_ARGUMENT, n);
        fails(b, setters[i].set(b, NULL, 0), MIKEY_ERR_INVALID_ARGUMENT, n);
        fails(b, setters[i].set(b, garbage, sizeof garbage - 1), MIKEY_ERR_BAD_CREDENTIAL, n);
        fails(b, setters[i].set(b, bad_pem, sizeof bad_pem - 1), MIKEY_ERR_BAD_CREDENTIAL, n);
        fails(b, setters[i].set(b, good.data, good.len / 2), MIKEY_ERR_BAD_CREDENTIAL, n);
        CHECK(setters[i].set(b, good.data, good.len) == MIKEY_OK);
        CHECK(mikey_config_builder_error_detail(b)[0] == '\0');
    }

    /* Keys that are not MIKEY-PK keys; certificates as a key and the other way round. */
    const blob_t not_keys[4] = {pki.ec_key, pki.ec_key_der, pki.small_key, pki.alice_pem};
    for (size_t i = 0; i < 4; i++)
        fails(b, mikey_config_builder_set_private_key(b, not_keys[i].data, not_keys[i].len),
              MIKEY_ERR_BAD_CREDENTIAL, "set_private_key");
    fails(b,
          mikey_config_builder_set_certificate_chain(b, pki.alice_key.data, pki.alice_key.len),
          MIKEY_ERR_BAD_CREDENTIAL, "set_certificate_chain");
    fails(b, mikey_config_builder_set_trust_anchors(b, pki.bob_key_der.data, pki.bob_key_der.len),
          MIKEY_ERR_BAD_CREDENTIAL, "set_trust_anchors");
    /* The peer certificate is one certificate. */
    blob_t two = concat(pki.alice_pem, pki.bob_pem);
    fails(b, mikey_config_builder_set_peer_certificate(b, two.data, two.len),
          MIKEY_ERR_BAD_CREDENTIAL, "set_peer_certificate");
    CHECK(strstr(mikey_config_builder_error_detail(b), "2 certificates") != NULL);
    /* A chain and anchors may hold several. */
    CHECK(mikey_config_builder_set_certificate_chain(b, two.data, two.len) == MIKEY_OK);
    blob_t cas = concat(pki.ca_pem, pki.evil_pem);
    CHECK(mikey_config_builder_set_trust_anchors(b, cas.data, cas.len) == MIKEY_OK);
    free(cas.data);

    /* Values out of range. */
    CHECK(mikey_config_builder_set_send_certificates(NULL, 1) == MIKEY_ERR_NULL_POINTER);
    fails(b, mikey_config_builder_set_send_certificates(b, 2), MIKEY_ERR_INVALID_ARGUMENT,
          "set_send_certificates");
    CHECK(strstr(mikey_config_builder_error_detail(b), "send is 2") != NULL);
    fails(b, mikey_config_builder_set_send_certificates(b, 255), MIKEY_ERR_INVALID_ARGUMENT,
          "set_send_certificates");
    CHECK(mikey_config_builder_set_signature_type(NULL, MIKEY_SIGN_RSA_PSS) ==
          MIKEY_ERR_NULL_POINTER);
    const mikey_sign_type_t bad_signs[3] = {MIKEY_SIGN_ECCSI, 3, 0xffffffffu};
    for (size_t i = 0; i < 3; i++)
        fails(b, mikey_config_builder_set_signature_type(b, bad_signs[i]),
              MIKEY_ERR_INVALID_ARGUMENT, "set_signature_type");
    CHECK(mikey_config_builder_set_envelope_key_cache(NULL, MIKEY_PKE_CACHE) ==
          MIKEY_ERR_NULL_POINTER);
    fails(b, mikey_config_builder_set_envelope_key_cache(b, 3), MIKEY_ERR_INVALID_ARGUMENT,
          "set_envelope_key_cache");
    fails(b, mikey_config_builder_set_envelope_key_cache(b, 0xffffffffu),
          MIKEY_ERR_INVALID_ARGUMENT, "set_envelope_key_cache");
    CHECK(mikey_config_builder_set_cert_hash(NULL, 1, MIKEY_HASH_SHA256) ==
          MIKEY_ERR_NULL_POINTER);
    fails(b, mikey_config_builder_set_cert_hash(b, 2, MIKEY_HASH_SHA256),
          MIKEY_ERR_INVALID_ARGUMENT, "set_cert_hash");
    fails(b, mikey_config_builder_set_cert_hash(b, 1, MIKEY_HASH_MD5), MIKEY_ERR_INVALID_ARGUMENT,
          "set_cert_hash");
    fails(b, mikey_config_builder_set_cert_hash(b, 1, 3), MIKEY_ERR_INVALID_ARGUMENT,
          "set_cert_hash");
    CHECK(mikey_config_builder_set_send_certificates(b, 1) == MIKEY_OK);
    CHECK(mikey_config_builder_error_detail(b)[0] == '\0');
    mikey_config_builder_free(b);

    /* A PK config without a private key does not build; the builder stays usable. */
    b = NULL;
    mikey_config_t *c = NULL;
    CHECK(mikey_config_builder_new(MIKEY_MODE_PK, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_set_certificate_chain(b, pki.bob_pem.data, pki.bob_pem.len) ==
          MIKEY_OK);
    CHECK(mikey_config_builder_build(b, &c) == MIKEY_ERR_CONFIG);
    CHECK(c == NULL);
    CHECK(strstr(mikey_config_builder_error_detail(b), "private key") != NULL);
    CHECK(mikey_config_builder_set_private_key(b, pki.bob_key_der.data, pki.bob_key_der.len) ==
          MIKEY_OK);
    CHECK(mikey_config_builder_build(b, &c) == MIKEY_OK && c != NULL);
    mikey_config_free(c);

    /* Failed calls leave the earlier values in place: Alice's builder keeps PSS, Bob's
     * certificate and no CHASH; Bob's keeps his key, chain and anchors. */
    b = alice(&now_ntp);
    CHECK(mikey_config_builder_set_signature_type(b, MIKEY_SIGN_RSA_PSS) == MIKEY_OK);
    CHECK(mikey_config_builder_set_peer_certificate(b, two.data, two.len) ==
          MIKEY_ERR_BAD_CREDENTIAL);
    CHECK(mikey_config_builder_set_peer_certificate(b, garbage, sizeof garbage - 1) ==
          MIKEY_ERR_BAD_CREDENTIAL);
    CHECK(mikey_config_builder_set_signature_type(b, 7) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_config_builder_set_cert_hash(b, 1, MIKEY_HASH_MD5) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_config_builder_set_send_certificates(b, 9) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_config_builder_set_private_key(b, pki.ec_key.data, pki.ec_key.len) ==
          MIKEY_ERR_BAD_CREDENTIAL);
    mikey_config_t *ci = build(b);
    b = bob(&now_ntp);
    CHECK(mikey_config_builder_set_private_key(b, pki.small_key.data, pki.small_key.len) ==
          MIKEY_ERR_BAD_CREDENTIAL);
    CHECK(mikey_config_builder_set_private_key(b, NULL, 3) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_config_builder_set_certificate_chain(b, garbage, sizeof garbage - 1) ==
          MIKEY_ERR_BAD_CREDENTIAL);
    CHECK(mikey_config_builder_set_trust_anchors(b, pki.ca_pem.data, 0) ==
          MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_config_builder_set_trust_anchors(b, bad_pem, sizeof bad_pem - 1) ==
          MIKEY_ERR_BAD_CREDENTIAL);
    mikey_config_t *cr = build(b);
    pk_exchange_t ex;
    exchange(&ex, ci, cr, WITH_CERT);
    CHECK(find_payload(ex.init, ex.init_len, MIKEY_PAYLOAD_SIGN).code == MIKEY_SIGN_RSA_PSS);
    exchange_free(&ex);
    mikey_config_free(ci);
    mikey_config_free(cr);
    free(two.data);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s PKI_DIR (made by c-tests/make_pki.sh)\n", argv[0]);
        return 2;
    }
    if (strlen(argv[1]) >= sizeof pki_dir || strchr(argv[1], '"') != NULL) {
        fprintf(stderr, "test_pk: unusable PKI directory %s\n", argv[1]);
        return 2;
    }
    strcpy(pki_dir, argv[1]);
    const char *slash = strrchr(argv[0], '/');
    prog = slash ? slash + 1 : argv[0];
    if (!load_pki()) {
        free_pki();
        return 1;
    }
    now_ntp = ((uint64_t)time(NULL) + NTP_UNIX_OFFSET) << 32;
    hour_ntp = now_ntp + (3600ull << 32);
    expired_ntp = now_ntp + (60ull * 86400ull << 32);
    CHECK(srtp_init() == srtp_err_status_ok);
    test_exchange();
    test_envelope_cache();
    test_variants();
    test_refusals();
    test_initiator_refusals();
    test_identity_binder();
    test_misuse();
    CHECK(srtp_shutdown() == srtp_err_status_ok);
    free_pki();
    return check_report("test_pk");
}
