/* The ONVIF preset through the C API (mikey_config_builder_new_onvif) with the three example
 * MIKEY messages of the ONVIF Streaming specification (onvif/specs, doc/Streaming.xml,
 * section "MIKEY"): the client's RTSP SETUP KeyMgmt (a Genetec client: no RAND, a Windows
 * FILETIME in T), its SET_PARAMETER re-key (the same), and a device's GET_PARAMETER answer.
 * A NULL-mode ONVIF Responder accepts each and exports its TEK and MKI; the PSK-mode preset
 * refuses them; a pair of presets (PSK and NULL) exchanges keys with a 4-byte MKI that
 * libsrtp2 carries RTP with; re-keying mid-stream (a new MIKEY message, as an RTSP
 * SET_PARAMETER carries it) keeps the ROC and the receiver decrypts packets across the key
 * change; and the argument checks. */
#include "check.h"

#include <mikey_srtp.h>
#include "srtp_end.h"
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint64_t test_clock(void *userdata) { return *(const uint64_t *)userdata; }

typedef struct {
    const char *base64;
    uint64_t now; /* NTP: a second after the message's time (its FILETIME read as one) */
    uint32_t ssrc;
    uint8_t key_salt[30];
    uint8_t mki[4];
} sample_t;

static const sample_t SAMPLES[3] = {
    {"AQAFAP1td9ABAADCD1UcAAAAAAoAAdOOGc75XD0BAAAAGAABAQEBEAIBAQMBFAcBAQgBAQoBAQsBCgAAACcAIQAe"
     "30C59UrClE0e27UP5h/Wty9UL8+dfzg+2ttmmo3kBAAAAC8A",
     0xde074e5b2a4761beull, 0xc20f551cu,
     {0xdf, 0x40, 0xb9, 0xf5, 0x4a, 0xc2, 0x94, 0x4d, 0x1e, 0xdb, 0xb5, 0x0f, 0xe6, 0x1f, 0xd6,
      0xb7, 0x2f, 0x54, 0x2f, 0xcf, 0x9d, 0x7f, 0x38, 0x3e, 0xda, 0xdb, 0x66, 0x9a, 0x8d, 0xe4},
     {0, 0, 0, 0x2f}},
    {"AQAFAGgCr8EBAADSvxgkAAAAAAoAAdOOK7UihqIBAAAAGAABAQEBEAIBAQMBFAcBAQgBAQoBAQsBCgAAACcAIQAe"
     "pekjs88g+Q7AU6LAvRsoVyn18ZW1JuXI9qht4g6+BAAAAAIA",
     0xde076c62c15bb88dull, 0xd2bf1824u,
     {0xa5, 0xe9, 0x23, 0xb3, 0xcf, 0x20, 0xf9, 0x0e, 0xc0, 0x53, 0xa2, 0xc0, 0xbd, 0x1b, 0x28,
      0x57, 0x29, 0xf5, 0xf1, 0x95, 0xb5, 0x26, 0xe5, 0xc8, 0xf6, 0xa8, 0x6d, 0xe2, 0x0e, 0xbe},
     {0, 0, 0, 0x02}},
    {"AQAFAGrVolgBAADdBcAoAAAAAAsA2/K83QArhBIKEGrVolg1GZvp7DPyFCdYmXABAAAAGwABAQEBEAIBAQMBFAQB"
     "DgcBAQgBAQoBAQsBCgAAACcAIQAe7OzS5umZMXHqaegZC3UkDwbC5NNpj4b8+fB6MROeBAAAAA0A",
     0xdbf2bcde002b8412ull, 0xdd05c028u,
     {0xec, 0xec, 0xd2, 0xe6, 0xe9, 0x99, 0x31, 0x71, 0xea, 0x69, 0xe8, 0x19, 0x0b, 0x75, 0x24,
      0x0f, 0x06, 0xc2, 0xe4, 0xd3, 0x69, 0x8f, 0x86, 0xfc, 0xf9, 0xf0, 0x7a, 0x31, 0x13, 0x9e},
     {0, 0, 0, 0x0d}},
};

static const uint8_t PSK[] = "an ONVIF pre-shared key";

static mikey_config_t *onvif(mikey_mode_t mode, mikey_srtp_profile_t profile, uint64_t *now) {
    mikey_config_builder_t *b = NULL;
    mikey_config_t *c = NULL;
    const uint8_t *psk = mode == MIKEY_MODE_PSK ? PSK : NULL;
    size_t psk_len = mode == MIKEY_MODE_PSK ? sizeof PSK - 1 : 0;
    CHECK(mikey_config_builder_new_onvif(mode, psk, psk_len, profile, &b) == MIKEY_OK);
    if (now) CHECK(mikey_config_builder_set_clock(b, test_clock, now) == MIKEY_OK);
    CHECK(mikey_config_builder_build(b, &c) == MIKEY_OK);
    return c;
}

static void spec_messages(void) {
    for (size_t k = 0; k < 3; k++) {
        const sample_t *s = &SAMPLES[k];
        uint64_t now = s->now;
        mikey_message_t *m = NULL;
        uint8_t bytes[256], reply[256];
        size_t len = 0, reply_len = 9, n = 0;
        CHECK(mikey_message_parse_text(s->base64, strlen(s->base64), &m, NULL) == MIKEY_OK);
        CHECK(mikey_message_serialize(m, bytes, sizeof bytes, &len) == MIKEY_OK);
        mikey_message_free(m);

        mikey_config_t *c = onvif(MIKEY_MODE_NULL, MIKEY_SRTP_AES128_CM_SHA1_80, &now);
        mikey_session_t *r = NULL;
        CHECK(mikey_session_new(c, MIKEY_ROLE_RESPONDER, &r) == MIKEY_OK);
        mikey_status_t st = mikey_session_process(r, bytes, len, reply, sizeof reply, &reply_len);
        CHECK(st == MIKEY_OK);
        if (st != MIKEY_OK) fprintf(stderr, "sample %zu: %s\n", k, mikey_session_error_detail(r));
        CHECK(reply_len == 0);
        CHECK(mikey_session_crypto_session_count(r, &n) == MIKEY_OK && n == 1);
        mikey_crypto_session_info_t info;
        mikey_srtp_key_t key;
        CHECK(mikey_session_crypto_session(r, 0, &info) == MIKEY_OK);
        CHECK(info.ssrc == s->ssrc && info.profile == MIKEY_SRTP_AES128_CM_SHA1_80);
        CHECK(mikey_session_srtp_key(r, 0, 0, &key) == MIKEY_OK);
        CHECK(key.key_salt_len == 30 && memcmp(key.key_salt, s->key_salt, 30) == 0);
        CHECK(key.mki_len == 4 && memcmp(key.mki, s->mki, 4) == 0);
        memset(&key, 0, sizeof key);
        mikey_session_free(r);
        mikey_config_free(c);

        /* The PSK preset refuses the NULL-mode message, its session unchanged. */
        c = onvif(MIKEY_MODE_PSK, MIKEY_SRTP_AES128_CM_SHA1_80, &now);
        mikey_state_t state = 99;
        CHECK(mikey_session_new(c, MIKEY_ROLE_RESPONDER, &r) == MIKEY_OK);
        CHECK(mikey_session_process(r, bytes, len, reply, sizeof reply, &reply_len) != MIKEY_OK);
        CHECK(mikey_session_state(r, &state) == MIKEY_OK && state == MIKEY_STATE_IDLE);
        mikey_session_free(r);
        mikey_config_free(c);
    }
}

/* Two presets key a stream: MKI on every packet, libsrtp2 carries RTP. */
static void preset_pair(mikey_mode_t mode, mikey_srtp_profile_t profile) {
    mikey_config_t *ci = onvif(mode, profile, NULL), *cr = onvif(mode, profile, NULL);
    mikey_session_t *i = NULL, *r = NULL;
    const mikey_stream_t stream = {0x0badcafeu, 4, 0};
    uint8_t init[1024], reply[256];
    size_t len = 0, reply_len = 9;
    CHECK(mikey_session_new(ci, MIKEY_ROLE_INITIATOR, &i) == MIKEY_OK);
    CHECK(mikey_session_new(cr, MIKEY_ROLE_RESPONDER, &r) == MIKEY_OK);
    CHECK(mikey_session_initiate(i, &stream, 1, init, sizeof init, &len) == MIKEY_OK);
    CHECK(mikey_session_process(r, init, len, reply, sizeof reply, &reply_len) == MIKEY_OK);
    CHECK(reply_len == 0);
    mikey_srtp_key_t ki, kr;
    CHECK(mikey_session_srtp_key(i, 0, 0, &ki) == MIKEY_OK);
    CHECK(mikey_session_srtp_key(r, 0, 0, &kr) == MIKEY_OK);
    CHECK(ki.mki_len == 4 && kr.mki_len == 4 && memcmp(ki.mki, kr.mki, 4) == 0);
    CHECK(ki.key_salt_len == kr.key_salt_len &&
          memcmp(ki.key_salt, kr.key_salt, ki.key_salt_len) == 0);
    memset(&ki, 0, sizeof ki);
    memset(&kr, 0, sizeof kr);
    srtp_t tx = srtp_end(i, 0, MIKEY_SRTP_OUTBOUND), rx = srtp_end(r, 0, MIKEY_SRTP_INBOUND);
    CHECK(tx != NULL && rx != NULL);
    if (tx != NULL && rx != NULL) {
        union {
            uint32_t align;
            uint8_t b[12 + 100 + SRTP_MAX_TRAILER_LEN];
        } pkt;
        uint8_t plain[112];
        memset(plain, 0x5c, sizeof plain);
        plain[0] = 0x80;
        plain[1] = 96;
        for (int k = 0; k < 4; k++) plain[8 + k] = (uint8_t)(stream.ssrc >> (24 - 8 * k));
        memcpy(pkt.b, plain, sizeof plain);
        int plen = (int)sizeof plain;
        CHECK(srtp_protect_mki(tx, pkt.b, &plen, 1, 0) == srtp_err_status_ok);
        CHECK(srtp_unprotect_mki(rx, pkt.b, &plen, 1) == srtp_err_status_ok);
        CHECK(plen == (int)sizeof plain && memcmp(pkt.b, plain, sizeof plain) == 0);
    }
    if (tx) srtp_dealloc(tx);
    if (rx) srtp_dealloc(rx);
    mikey_session_free(i);
    mikey_session_free(r);
    mikey_config_free(ci);
    mikey_config_free(cr);
}

/* One RTP packet with sequence number `seq` protected by `tx` under its key `mki_index`. */
static int protect(srtp_t tx, uint32_t ssrc, uint16_t seq, unsigned mki_index, uint8_t *pkt,
                   uint8_t *plain) {
    memset(plain, 0x3c, 112);
    plain[0] = 0x80;
    plain[1] = 96;
    plain[2] = (uint8_t)(seq >> 8);
    plain[3] = (uint8_t)seq;
    for (int k = 0; k < 4; k++) plain[8 + k] = (uint8_t)(ssrc >> (24 - 8 * k));
    memcpy(pkt, plain, 112);
    int len = 112;
    CHECK(srtp_protect_mki(tx, pkt, &len, 1, mki_index) == srtp_err_status_ok);
    return len;
}

/* The receiver `rx` decrypts `pkt` back to `plain`. */
static void delivered(srtp_t rx, uint8_t *pkt, int len, const uint8_t *plain) {
    CHECK(srtp_unprotect_mki(rx, pkt, &len, 1) == srtp_err_status_ok);
    CHECK(len == 112 && memcmp(pkt, plain, 112) == 0);
}

/* ONVIF re-keying: the device's session takes the client's new message for the same stream
 * (ROC 0 in its map, as in the spec's example) and keeps both keys and the ROC; each side
 * moves its libsrtp stream to the new keys with srtp_update_stream, which keeps the
 * stream's index (ROC and sequence number). A packet sent under the old key and delivered
 * after the change, and packets under the new key across a sequence-number wrap, decrypt. */
static void rekey_keeps_roc(void) {
    uint64_t now = 0xe9a0000000000000ull;
    mikey_config_t *cd = onvif(MIKEY_MODE_NULL, MIKEY_SRTP_AES128_CM_SHA1_80, &now);
    mikey_config_t *cc = onvif(MIKEY_MODE_NULL, MIKEY_SRTP_AES128_CM_SHA1_80, &now);
    mikey_session_t *device = NULL, *client = NULL, *client2 = NULL;
    const uint32_t ssrc = 0x0dd0f00du;
    const mikey_stream_t setup_stream = {ssrc, 4, 0}, rekey_stream = {ssrc, 0, 0};
    uint8_t msg[512], reply[64];
    size_t len = 0, reply_len = 9, n = 0;
    CHECK(mikey_session_new(cd, MIKEY_ROLE_RESPONDER, &device) == MIKEY_OK);
    CHECK(mikey_session_new(cc, MIKEY_ROLE_INITIATOR, &client) == MIKEY_OK);
    CHECK(mikey_session_initiate(client, &setup_stream, 1, msg, sizeof msg, &len) == MIKEY_OK);
    CHECK(mikey_session_process(device, msg, len, reply, sizeof reply, &reply_len) == MIKEY_OK);
    srtp_t tx = srtp_end(client, 0, MIKEY_SRTP_OUTBOUND);
    srtp_t rx = srtp_end(device, 0, MIKEY_SRTP_INBOUND);
    CHECK(tx != NULL && rx != NULL);
    if (tx == NULL || rx == NULL) return;
    union {
        uint32_t align;
        uint8_t b[112 + SRTP_MAX_TRAILER_LEN];
    } pkt, held;
    uint8_t plain[112], held_plain[112];
    int plen = protect(tx, ssrc, 0xfffd, 0, pkt.b, plain);
    delivered(rx, pkt.b, plen, plain);
    int held_len = protect(tx, ssrc, 0xfffe, 0, held.b, held_plain); /* in flight */

    now += 1ull << 32;
    CHECK(mikey_session_new(cc, MIKEY_ROLE_INITIATOR, &client2) == MIKEY_OK);
    CHECK(mikey_session_initiate(client2, &rekey_stream, 1, msg, sizeof msg, &len) == MIKEY_OK);
    CHECK(mikey_session_process(device, msg, len, reply, sizeof reply, &reply_len) == MIKEY_OK);
    mikey_crypto_session_info_t info;
    CHECK(mikey_session_crypto_session(device, 0, &info) == MIKEY_OK);
    CHECK(info.roc == 4 && info.key_count == 2);
    CHECK(mikey_session_crypto_session_count(device, &n) == MIKEY_OK && n == 1);

    mikey_srtp_policy_t p;
    CHECK(mikey_srtp_policy(client2, 0, MIKEY_SRTP_OUTBOUND, 0, &p) == MIKEY_OK);
    CHECK(srtp_update_stream(tx, &p.policy) == srtp_err_status_ok);
    mikey_srtp_policy_wipe(&p);
    CHECK(mikey_srtp_policy(device, 0, MIKEY_SRTP_INBOUND, 0, &p) == MIKEY_OK);
    CHECK(p.key_count == 2);
    CHECK(srtp_update_stream(rx, &p.policy) == srtp_err_status_ok);
    mikey_srtp_policy_wipe(&p);

    /* New key (the client's only one), across the wrap to ROC 5. */
    for (uint32_t seq = 0xffff; seq <= 0x10001u; seq++) {
        plen = protect(tx, ssrc, (uint16_t)seq, 0, pkt.b, plain);
        delivered(rx, pkt.b, plen, plain);
    }
    /* The packet sent under the old key, delivered late. */
    delivered(rx, held.b, held_len, held_plain);
    srtp_dealloc(tx);
    srtp_dealloc(rx);
    mikey_session_free(device);
    mikey_session_free(client);
    mikey_session_free(client2);
    mikey_config_free(cd);
    mikey_config_free(cc);
}

static void misuse(void) {
    mikey_config_builder_t *b = NULL;
    const mikey_srtp_profile_t cm = MIKEY_SRTP_AES128_CM_SHA1_80;
    CHECK(mikey_config_builder_new_onvif(MIKEY_MODE_NULL, NULL, 0, cm, NULL) ==
          MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_config_builder_new_onvif(MIKEY_MODE_PSK, NULL, 3, cm, &b) ==
          MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_config_builder_new_onvif(MIKEY_MODE_PSK, NULL, 0, cm, &b) ==
          MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_config_builder_new_onvif(MIKEY_MODE_NULL, PSK, 4, cm, &b) ==
          MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_config_builder_new_onvif(MIKEY_MODE_PK, NULL, 0, cm, &b) ==
          MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_config_builder_new_onvif(MIKEY_MODE_NULL, NULL, 0, MIKEY_SRTP_AES128_CM_SHA1_32,
                                         &b) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(b == NULL);
}

int main(void) {
    CHECK(srtp_init() == srtp_err_status_ok);
    spec_messages();
    preset_pair(MIKEY_MODE_NULL, MIKEY_SRTP_AES128_CM_SHA1_80);
    preset_pair(MIKEY_MODE_PSK, MIKEY_SRTP_AES128_CM_SHA1_80);
    preset_pair(MIKEY_MODE_PSK, MIKEY_SRTP_AEAD_AES_128_GCM);
    preset_pair(MIKEY_MODE_NULL, MIKEY_SRTP_AEAD_AES_256_GCM);
    rekey_keeps_roc();
    misuse();
    CHECK(srtp_shutdown() == srtp_err_status_ok);
    return check_report("test_onvif");
}
