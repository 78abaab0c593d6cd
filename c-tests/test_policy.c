/* SRTP policy parameters and profiles through the C API: mikey_srtp_profile_from_sp_params
 * and mikey_srtp_profile_sp_params.
 * - One check per row of the library's profile table (src/policy/table.rs PROFILE_TABLE): the
 *   row's parameters with RFC 4771's separate SRTP and SRTCP values (types 14-19) map to
 *   the profile, and the libsrtp policies mikey_srtp.h makes of that profile have those
 *   SRTP and SRTCP values; an SRTCP tag the profile does not use is refused; what our
 *   offers carry for the profile maps back to it.
 * - Each RFC 4771 parameter (types 13-19) accepted or refused as the table says, RCC
 *   (RFC 4771 Table 1) refused in types 2, 14 and 15 (Error no. 10's status).
 * - The SP parameters of an I_MESSAGE read back with mikey_message_payload_data.
 * - Argument checks. */
#include "check.h"

#include <mikey_srtp.h>
#include <srtp2/crypto_types.h> /* SRTP_NULL_AUTH, SRTP_HMAC_SHA1 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* One row of the table: the SP parameters of a profile, SRTP and SRTCP each (the
 * effective values after RFC 4771 §4's precedence). */
typedef struct {
    const char *name;
    mikey_srtp_profile_t profile;
    uint8_t encr, key, salt;
    uint8_t srtp_auth, srtp_key, srtp_tag;    /* types 14, 16, 18 (an AEAD: NULL, -, -) */
    uint8_t srtcp_auth, srtcp_key, srtcp_tag; /* types 15, 17, 19 */
    uint8_t aead_tag;                         /* type 20; 0: not an AEAD */
} row_t;

static const row_t ROWS[8] = {
    {"AES_CM_128_HMAC_SHA1_80", MIKEY_SRTP_AES128_CM_SHA1_80, MIKEY_SRTP_ENCR_AES_CM, 16, 14,
     MIKEY_SRTP_AUTH_HMAC_SHA1, 20, 10, MIKEY_SRTP_AUTH_HMAC_SHA1, 20, 10, 0},
    {"AES_CM_128_HMAC_SHA1_32", MIKEY_SRTP_AES128_CM_SHA1_32, MIKEY_SRTP_ENCR_AES_CM, 16, 14,
     MIKEY_SRTP_AUTH_HMAC_SHA1, 20, 4, MIKEY_SRTP_AUTH_HMAC_SHA1, 20, 10, 0},
    {"AES_256_CM_HMAC_SHA1_80", MIKEY_SRTP_AES256_CM_SHA1_80, MIKEY_SRTP_ENCR_AES_CM, 32, 14,
     MIKEY_SRTP_AUTH_HMAC_SHA1, 20, 10, MIKEY_SRTP_AUTH_HMAC_SHA1, 20, 10, 0},
    {"AES_256_CM_HMAC_SHA1_32", MIKEY_SRTP_AES256_CM_SHA1_32, MIKEY_SRTP_ENCR_AES_CM, 32, 14,
     MIKEY_SRTP_AUTH_HMAC_SHA1, 20, 4, MIKEY_SRTP_AUTH_HMAC_SHA1, 20, 10, 0},
    {"AEAD_AES_128_GCM", MIKEY_SRTP_AEAD_AES_128_GCM, MIKEY_SRTP_ENCR_AES_GCM, 16, 12,
     MIKEY_SRTP_AUTH_NULL, 0, 0, MIKEY_SRTP_AUTH_NULL, 0, 0, 16},
    {"AEAD_AES_256_GCM", MIKEY_SRTP_AEAD_AES_256_GCM, MIKEY_SRTP_ENCR_AES_GCM, 32, 12,
     MIKEY_SRTP_AUTH_NULL, 0, 0, MIKEY_SRTP_AUTH_NULL, 0, 0, 16},
    {"NULL_HMAC_SHA1_80", MIKEY_SRTP_NULL_SHA1_80, MIKEY_SRTP_ENCR_NULL, 16, 14,
     MIKEY_SRTP_AUTH_HMAC_SHA1, 20, 10, MIKEY_SRTP_AUTH_HMAC_SHA1, 20, 10, 0},
    {"NULL_HMAC_SHA1_32", MIKEY_SRTP_NULL_SHA1_32, MIKEY_SRTP_ENCR_NULL, 16, 14,
     MIKEY_SRTP_AUTH_HMAC_SHA1, 20, 4, MIKEY_SRTP_AUTH_HMAC_SHA1, 20, 10, 0},
};

/* A Policy param field being built: Type/Length/Value parameters. */
typedef struct {
    uint8_t b[256];
    size_t len;
} params_t;

static void put(params_t *p, uint8_t type, const uint8_t *value, uint8_t value_len) {
    if (p->len + 2 + value_len > sizeof p->b) {
        CHECK(0);
        return;
    }
    p->b[p->len++] = type;
    p->b[p->len++] = value_len;
    memcpy(p->b + p->len, value, value_len);
    p->len += value_len;
}

static void put1(params_t *p, uint8_t type, uint8_t value) { put(p, type, &value, 1); }

/* What our offers carry for `profile` (mikey_srtp_profile_sp_params). */
static params_t offer_of(mikey_srtp_profile_t profile) {
    params_t p;
    memset(&p, 0, sizeof p);
    CHECK(mikey_srtp_profile_sp_params(profile, p.b, sizeof p.b, &p.len) == MIKEY_OK);
    return p;
}

/* The value of the first parameter of `type` in `p`, or -1. */
static int value_of(const params_t *p, uint8_t type) {
    for (size_t i = 0; i + 1 < p->len; i += 2u + p->b[i + 1])
        if (p->b[i] == type) return p->b[i + 1] == 1 ? p->b[i + 2] : -2;
    return -1;
}

/* The profile of `p`, or the status. */
static mikey_status_t profile_of(const params_t *p, mikey_srtp_profile_t *out) {
    *out = 0xdead;
    return mikey_srtp_profile_from_sp_params(p->b, p->len, out);
}

static void expect_profile(const params_t *p, mikey_srtp_profile_t want, const char *what) {
    mikey_srtp_profile_t got = 0;
    mikey_status_t st = profile_of(p, &got);
    if (st != MIKEY_OK || got != want)
        fprintf(stderr, "%s: status %u (%s), profile %u, want profile %u\n", what, (unsigned)st,
                mikey_status_str(st), (unsigned)got, (unsigned)want);
    CHECK(st == MIKEY_OK && got == want);
}

static void expect_refused(const params_t *p, const char *what) {
    mikey_srtp_profile_t got = 0;
    mikey_status_t st = profile_of(p, &got);
    if (st != MIKEY_ERR_UNSUPPORTED_POLICY)
        fprintf(stderr, "%s: status %u (%s), want MIKEY_ERR_UNSUPPORTED_POLICY\n", what,
                (unsigned)st, mikey_status_str(st));
    CHECK(st == MIKEY_ERR_UNSUPPORTED_POLICY);
    CHECK(got == 0xdead); /* not written */
}

/* One row of the table. */
static void check_row(const row_t *r) {
    /* The row's parameters with RFC 4771's SRTP and SRTCP values written out. */
    params_t p;
    memset(&p, 0, sizeof p);
    put1(&p, MIKEY_SRTP_PARAM_ENCR_ALG, r->encr);
    put1(&p, MIKEY_SRTP_PARAM_ENCR_KEY_LEN, r->key);
    put1(&p, MIKEY_SRTP_PARAM_SALT_KEY_LEN, r->salt);
    put1(&p, MIKEY_SRTP_PARAM_SRTP_AUTH_ALG, r->srtp_auth);
    put1(&p, MIKEY_SRTP_PARAM_SRTCP_AUTH_ALG, r->srtcp_auth);
    if (r->aead_tag) {
        put1(&p, MIKEY_SRTP_PARAM_AEAD_AUTH_TAG_LEN, r->aead_tag);
    } else {
        put1(&p, MIKEY_SRTP_PARAM_SRTP_AUTH_KEY_LEN, r->srtp_key);
        put1(&p, MIKEY_SRTP_PARAM_SRTCP_AUTH_KEY_LEN, r->srtcp_key);
        put1(&p, MIKEY_SRTP_PARAM_SRTP_AUTH_TAG_LEN, r->srtp_tag);
        put1(&p, MIKEY_SRTP_PARAM_SRTCP_AUTH_TAG_LEN, r->srtcp_tag);
    }
    expect_profile(&p, r->profile, r->name);

    /* What libsrtp does with the profile (mikey_srtp.h) is what the row says. */
    srtp_crypto_policy_t rtp, rtcp;
    /* Zeroed first: a failed call leaves them unwritten (and -O2 warns otherwise). */
    memset(&rtp, 0, sizeof rtp);
    memset(&rtcp, 0, sizeof rtcp);
    CHECK(mikey_srtp_crypto_policies(r->profile, &rtp, &rtcp) == MIKEY_OK);
    CHECK(rtp.cipher_key_len == r->key + r->salt && rtcp.cipher_key_len == rtp.cipher_key_len);
    srtp_sec_serv_t serv = r->encr == MIKEY_SRTP_ENCR_NULL ? sec_serv_auth : sec_serv_conf_and_auth;
    CHECK(rtp.sec_serv == serv && rtcp.sec_serv == serv);
    if (r->aead_tag) {
        CHECK(rtp.auth_type == SRTP_NULL_AUTH && rtcp.auth_type == SRTP_NULL_AUTH);
        CHECK(rtp.auth_tag_len == r->aead_tag && rtcp.auth_tag_len == r->aead_tag);
    } else {
        CHECK(r->srtp_auth == MIKEY_SRTP_AUTH_HMAC_SHA1 && rtp.auth_type == SRTP_HMAC_SHA1);
        CHECK(r->srtcp_auth == MIKEY_SRTP_AUTH_HMAC_SHA1 && rtcp.auth_type == SRTP_HMAC_SHA1);
        CHECK(rtp.auth_key_len == r->srtp_key && rtcp.auth_key_len == r->srtcp_key);
        CHECK(rtp.auth_tag_len == r->srtp_tag && rtcp.auth_tag_len == r->srtcp_tag);
        if (rtp.auth_tag_len != r->srtp_tag || rtcp.auth_tag_len != r->srtcp_tag)
            fprintf(stderr, "%s: libsrtp tags %d/%d\n", r->name, rtp.auth_tag_len,
                    rtcp.auth_tag_len);
        /* An SRTCP tag the profile does not use: 4 bytes (also for the _32 ones). */
        params_t short_srtcp = p;
        short_srtcp.b[short_srtcp.len - 1] = 4; /* type 19 is the last one */
        expect_refused(&short_srtcp, r->name);
    }

    /* What our offers carry: the RFC 3830 parameters only, read back as the profile. */
    params_t offer = offer_of(r->profile);
    CHECK(offer.len == (r->aead_tag ? 36u : 39u));
    for (uint8_t t = MIKEY_SRTP_PARAM_ROC_TRANSMISSION_RATE;
         t <= MIKEY_SRTP_PARAM_SRTCP_AUTH_TAG_LEN; t++)
        CHECK(value_of(&offer, t) == -1);
    CHECK(value_of(&offer, MIKEY_SRTP_PARAM_ENCR_ALG) == r->encr);
    CHECK(value_of(&offer, MIKEY_SRTP_PARAM_ENCR_KEY_LEN) == r->key);
    CHECK(value_of(&offer, MIKEY_SRTP_PARAM_SALT_KEY_LEN) == r->salt);
    if (r->aead_tag) {
        CHECK(value_of(&offer, MIKEY_SRTP_PARAM_AEAD_AUTH_TAG_LEN) == r->aead_tag);
        CHECK(value_of(&offer, MIKEY_SRTP_PARAM_AUTH_TAG_LEN) == -1);
    } else {
        CHECK(value_of(&offer, MIKEY_SRTP_PARAM_AUTH_TAG_LEN) == r->srtp_tag);
        CHECK(value_of(&offer, MIKEY_SRTP_PARAM_AUTH_KEY_LEN) == r->srtp_key);
        CHECK(value_of(&offer, MIKEY_SRTP_PARAM_AEAD_AUTH_TAG_LEN) == -1);
    }
    CHECK(value_of(&offer, MIKEY_SRTP_PARAM_AUTH_ALG) == r->srtp_auth);
    expect_profile(&offer, r->profile, r->name);
}

/* `base` (what our offers carry for a profile, or nothing) with `extra` appended. */
static params_t with(mikey_srtp_profile_t base, const uint8_t *extra, size_t extra_len) {
    params_t p;
    memset(&p, 0, sizeof p);
    if (base) p = offer_of(base);
    CHECK(p.len + extra_len <= sizeof p.b);
    if (p.len + extra_len <= sizeof p.b) {
        memcpy(p.b + p.len, extra, extra_len);
        p.len += extra_len;
    }
    return p;
}

typedef struct {
    const char *what;
    mikey_srtp_profile_t base; /* 0: no other parameter */
    uint8_t extra[12];
    size_t extra_len;
    mikey_srtp_profile_t want; /* 0: refused with MIKEY_ERR_UNSUPPORTED_POLICY */
} case_t;

#define P80 MIKEY_SRTP_AES128_CM_SHA1_80
#define P32 MIKEY_SRTP_AES128_CM_SHA1_32
#define RATE MIKEY_SRTP_PARAM_ROC_TRANSMISSION_RATE
#define SRTP_AUTH MIKEY_SRTP_PARAM_SRTP_AUTH_ALG
#define SRTCP_AUTH MIKEY_SRTP_PARAM_SRTCP_AUTH_ALG
#define SRTP_KEY MIKEY_SRTP_PARAM_SRTP_AUTH_KEY_LEN
#define SRTCP_KEY MIKEY_SRTP_PARAM_SRTCP_AUTH_KEY_LEN
#define SRTP_TAG MIKEY_SRTP_PARAM_SRTP_AUTH_TAG_LEN
#define SRTCP_TAG MIKEY_SRTP_PARAM_SRTCP_AUTH_TAG_LEN
#define HMAC MIKEY_SRTP_AUTH_HMAC_SHA1

static const case_t CASES[] = {
    /* 13: ROC transmission rate, two bytes, non-zero (RFC 4771 §4); harmless without RCC. */
    {"rate 1", P80, {RATE, 2, 0, 1}, 4, P80},
    {"rate 65535", P32, {RATE, 2, 0xff, 0xff}, 4, P32},
    {"rate 0", P80, {RATE, 2, 0, 0}, 4, 0},
    {"rate in one byte", P80, {RATE, 1, 5}, 3, 0},
    {"rate in three bytes", P80, {RATE, 3, 0, 0, 5}, 5, 0},
    {"rate, empty", P80, {RATE, 0}, 2, 0},
    {"rate 0, then 7", P80, {RATE, 2, 0, 0, RATE, 2, 0, 7}, 8, P80},
    {"rate with RCCm1", P80, {RATE, 2, 0, 10, SRTP_AUTH, 1, MIKEY_SRTP_AUTH_RCCM1}, 7, 0},
    /* 14: SRTP auth alg. */
    {"SRTP HMAC-SHA-1", P80, {SRTP_AUTH, 1, HMAC}, 3, P80},
    {"SRTP HMAC-SHA-1, _32", P32, {SRTP_AUTH, 1, HMAC}, 3, P32},
    {"SRTP RCCm1", P80, {SRTP_AUTH, 1, MIKEY_SRTP_AUTH_RCCM1}, 3, 0},
    {"SRTP RCCm2", P80, {SRTP_AUTH, 1, MIKEY_SRTP_AUTH_RCCM2}, 3, 0},
    {"SRTP RCCm3", P80, {SRTP_AUTH, 1, MIKEY_SRTP_AUTH_RCCM3}, 3, 0},
    {"SRTP NULL auth", P80, {SRTP_AUTH, 1, MIKEY_SRTP_AUTH_NULL}, 3, 0},
    {"SRTP RCCm2, else HMAC-SHA-1", 0, {SRTP_AUTH, 1, MIKEY_SRTP_AUTH_RCCM2, SRTP_AUTH, 1, HMAC}, 6, P80},
    /* 15: SRTCP auth alg. */
    {"SRTCP HMAC-SHA-1", P80, {SRTCP_AUTH, 1, HMAC}, 3, P80},
    {"SRTCP RCCm1", P80, {SRTCP_AUTH, 1, MIKEY_SRTP_AUTH_RCCM1}, 3, 0},
    {"SRTCP RCCm2", P80, {SRTCP_AUTH, 1, MIKEY_SRTP_AUTH_RCCM2}, 3, 0},
    {"SRTCP RCCm3", P80, {SRTCP_AUTH, 1, MIKEY_SRTP_AUTH_RCCM3}, 3, 0},
    {"SRTCP NULL auth", P80, {SRTCP_AUTH, 1, MIKEY_SRTP_AUTH_NULL}, 3, 0},
    /* Type 2 (RFC 3830): RCC there would apply to SRTP and SRTCP. */
    {"RCCm1 in type 2", 0, {MIKEY_SRTP_PARAM_AUTH_ALG, 1, MIKEY_SRTP_AUTH_RCCM1}, 3, 0},
    {"RCCm2 in type 2", 0, {MIKEY_SRTP_PARAM_AUTH_ALG, 1, MIKEY_SRTP_AUTH_RCCM2}, 3, 0},
    {"RCCm3 in type 2", 0, {MIKEY_SRTP_PARAM_AUTH_ALG, 1, MIKEY_SRTP_AUTH_RCCM3}, 3, 0},
    {"RCCm2 in type 2, HMAC-SHA-1 in 14 and 15", 0,
     {MIKEY_SRTP_PARAM_AUTH_ALG, 1, MIKEY_SRTP_AUTH_RCCM2, SRTP_AUTH, 1, HMAC, SRTCP_AUTH, 1, HMAC},
     9, P80},
    /* 16 and 17: session auth key lengths. */
    {"SRTP auth key 20", P80, {SRTP_KEY, 1, 20}, 3, P80},
    {"SRTP auth key 16", P80, {SRTP_KEY, 1, 16}, 3, 0},
    {"SRTCP auth key 20", P80, {SRTCP_KEY, 1, 20}, 3, P80},
    {"SRTCP auth key 32", P80, {SRTCP_KEY, 1, 32}, 3, 0},
    /* 18: SRTP tag; SRTCP's is then type 11's (RFC 4771 §4). */
    {"SRTP tag 4 (type 11 = 10)", P80, {SRTP_TAG, 1, 4}, 3, P32},
    {"SRTP tag 10 (type 11 = 10)", P80, {SRTP_TAG, 1, 10}, 3, P80},
    {"SRTP tag 8", P80, {SRTP_TAG, 1, 8}, 3, 0},
    {"SRTP tag 4 (type 11 = 4: SRTCP tag 4)", P32, {SRTP_TAG, 1, 4}, 3, 0},
    {"SRTP tag 4, SRTCP tag 10 (type 11 = 4)", P32, {SRTP_TAG, 1, 4, SRTCP_TAG, 1, 10}, 6, P32},
    /* 19: SRTCP tag: 10 for every HMAC-SHA-1 profile. */
    {"SRTCP tag 10", P80, {SRTCP_TAG, 1, 10}, 3, P80},
    {"SRTCP tag 10, _32", P32, {SRTCP_TAG, 1, 10}, 3, P32},
    {"SRTCP tag 4", P80, {SRTCP_TAG, 1, 4}, 3, 0},
    {"SRTCP tag 4, _32", P32, {SRTCP_TAG, 1, 4}, 3, 0},
    /* A parameter type no RFC registers. */
    {"type 21", P80, {21, 1, 0}, 3, 0},
    {"type 13 with a one-byte value of 1", 0, {RATE, 1, 1}, 3, 0},
};

static void rfc4771_parameters(void) {
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        const case_t *c = &CASES[i];
        params_t p = with(c->base, c->extra, c->extra_len);
        if (c->want)
            expect_profile(&p, c->want, c->what);
        else
            expect_refused(&p, c->what);
    }
    /* Every type 13-19 is covered above. */
    int covered[20] = {0};
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++)
        for (size_t k = 0; k < CASES[i].extra_len; k += 2u + CASES[i].extra[k + 1])
            if (CASES[i].extra[k] < 20) covered[CASES[i].extra[k]] = 1;
    for (int t = MIKEY_SRTP_PARAM_ROC_TRANSMISSION_RATE; t <= MIKEY_SRTP_PARAM_SRTCP_AUTH_TAG_LEN; t++)
        CHECK(covered[t]);
}

/* An I_MESSAGE's SP payload read with mikey_message_payload_data: the parameters our
 * offer carries, mapped back to the profile offered. */
static const uint8_t PSK[] = "a policy test pre-shared key";

static void from_a_message(mikey_srtp_profile_t profile) {
    mikey_config_builder_t *b = NULL;
    mikey_config_t *c = NULL;
    mikey_session_t *s = NULL;
    mikey_message_t *m = NULL;
    uint8_t msg[1024];
    size_t msg_len = 0, n = 0, found = 0;
    const mikey_stream_t stream = {0x1234u, 0, 0};
    CHECK(mikey_config_builder_new(MIKEY_MODE_PSK, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_set_psk(b, PSK, sizeof PSK - 1) == MIKEY_OK);
    CHECK(mikey_config_builder_set_offer(b, &profile, 1) == MIKEY_OK);
    CHECK(mikey_config_builder_build(b, &c) == MIKEY_OK);
    CHECK(mikey_session_new(c, MIKEY_ROLE_INITIATOR, &s) == MIKEY_OK);
    CHECK(mikey_session_initiate(s, &stream, 1, msg, sizeof msg, &msg_len) == MIKEY_OK);
    CHECK(mikey_message_parse(msg, msg_len, &m, NULL) == MIKEY_OK);
    CHECK(mikey_message_payload_count(m, &n) == MIKEY_OK);
    for (size_t i = 0; i < n; i++) {
        mikey_payload_info_t info;
        CHECK(mikey_message_payload_info(m, i, &info) == MIKEY_OK);
        if (info.payload_type != MIKEY_PAYLOAD_SECURITY_POLICY) continue;
        found++;
        CHECK(info.code == MIKEY_PROT_SRTP);
        params_t p;
        memset(&p, 0, sizeof p);
        CHECK(mikey_message_payload_data(m, i, p.b, sizeof p.b, &p.len) == MIKEY_OK);
        params_t offer = offer_of(profile);
        CHECK(p.len == offer.len && memcmp(p.b, offer.b, p.len) == 0);
        expect_profile(&p, profile, "from an I_MESSAGE");
    }
    CHECK(found == 1);
    mikey_message_free(m);
    mikey_session_free(s);
    mikey_config_free(c);
}

static void arguments(void) {
    static uint8_t big[65536]; /* zeros: empty type-0 parameters */
    mikey_srtp_profile_t out = 0xdead;
    const uint8_t tag4[3] = {MIKEY_SRTP_PARAM_AUTH_TAG_LEN, 1, 4};
    /* No parameters: every SRTP default, AES_CM_128_HMAC_SHA1_80 (RFC 3830 §6.10.1). */
    CHECK(mikey_srtp_profile_from_sp_params(NULL, 0, &out) == MIKEY_OK && out == P80);
    CHECK(mikey_srtp_profile_from_sp_params(tag4, sizeof tag4, &out) == MIKEY_OK && out == P32);
    out = 0xdead;
    CHECK(mikey_srtp_profile_from_sp_params(NULL, 3, &out) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_srtp_profile_from_sp_params(tag4, sizeof tag4, NULL) == MIKEY_ERR_NULL_POINTER);
    /* Not whole parameters: a Length past the end, a Type without a Length. */
    CHECK(mikey_srtp_profile_from_sp_params(tag4, 2, &out) == MIKEY_ERR_PARSE_BAD_LENGTH);
    CHECK(mikey_srtp_profile_from_sp_params(tag4, 1, &out) == MIKEY_ERR_PARSE_BAD_LENGTH);
    CHECK(mikey_srtp_profile_from_sp_params(big, 65535, &out) == MIKEY_ERR_PARSE_BAD_LENGTH);
    /* 32767 alternatives of type 0: more combinations than are tried. */
    CHECK(mikey_srtp_profile_from_sp_params(big, 65534, &out) == MIKEY_ERR_UNSUPPORTED_POLICY);
    /* Longer than an SP payload holds. */
    CHECK(mikey_srtp_profile_from_sp_params(big, sizeof big, &out) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(out == 0xdead);

    uint8_t buf[64];
    size_t len = 0;
    memset(buf, 0xAA, sizeof buf);
    const mikey_srtp_profile_t unknown[] = {0, 3, 4, 9, 0x100, 0x103, 0xffffffffu};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
        CHECK(mikey_srtp_profile_sp_params(unknown[i], buf, sizeof buf, &len) ==
              MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(len == 0);
    /* Asking for the length, then a buffer one byte short: nothing written but it. */
    CHECK(mikey_srtp_profile_sp_params(P80, NULL, 0, &len) == MIKEY_ERR_BUFFER_TOO_SMALL);
    CHECK(len == 39);
    len = 0;
    CHECK(mikey_srtp_profile_sp_params(MIKEY_SRTP_AEAD_AES_256_GCM, buf, 35, &len) ==
          MIKEY_ERR_BUFFER_TOO_SMALL);
    CHECK(len == 36 && buf[0] == 0xAA);
    CHECK(mikey_srtp_profile_sp_params(P80, NULL, sizeof buf, &len) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_srtp_profile_sp_params(P80, buf, sizeof buf, NULL) == MIKEY_ERR_NULL_POINTER);
    CHECK(buf[0] == 0xAA);
    CHECK(mikey_srtp_profile_sp_params(MIKEY_SRTP_AEAD_AES_256_GCM, buf, 36, &len) == MIKEY_OK);
    CHECK(len == 36 && buf[0] == MIKEY_SRTP_PARAM_ENCR_ALG && buf[2] == MIKEY_SRTP_ENCR_AES_GCM);
}

int main(void) {
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++) check_row(&ROWS[i]);
    rfc4771_parameters();
    from_a_message(P80);
    from_a_message(P32);
    from_a_message(MIKEY_SRTP_AEAD_AES_128_GCM);
    arguments();
    return check_report("test_policy");
}
