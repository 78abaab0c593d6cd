/* General Extensions (RFC 3830 §6.15) and the flows built on them through the C API:
 * - every registered type (Vendor ID, Key ID, OMA BCAST, SAKKE-to-self, 3GPP key
 *   parameters) and a private one sent by an Initiator and read back by the Responder,
 *   byte for byte, and the library's own types refused;
 * - Key ID lists built and read (RFC 4563 §4), malformed ones refused;
 * - TESLA bootstrapping (RFC 4442): policy and initial key from sender to receiver;
 * - MBMS delivery (RFC 4563, 3GPP TS 33.246 usage): the MSK pushed under the MUK with the
 *   Empty map and COUNTER timestamps persisted through the callback, then the MTK under
 *   the MSK, whose SRTP keys libsrtp2 carries RTP with; old and replayed messages refused
 *   after a restart; a failing store refuses;
 * - OMA BCAST (RFC 5410): an LTKM then an STKM, subtypes read back. */
#include "check.h"

#include <mikey_srtp.h>
#include "srtp_end.h"
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    uint32_t sent[16], accepted[16];
    size_t sent_n, accepted_n;
    int failing;
} store_t;

static int32_t persist(void *userdata, mikey_role_t role, uint32_t value) {
    store_t *s = userdata;
    if (s->failing) return 1;
    if (role == MIKEY_ROLE_INITIATOR && s->sent_n < 16) s->sent[s->sent_n++] = value;
    if (role == MIKEY_ROLE_RESPONDER && s->accepted_n < 16) s->accepted[s->accepted_n++] = value;
    return 0;
}

static uint32_t last_sent(const store_t *s) { return s->sent_n ? s->sent[s->sent_n - 1] : 0; }
static uint32_t last_accepted(const store_t *s) {
    return s->accepted_n ? s->accepted[s->accepted_n - 1] : 0;
}

static mikey_config_t *psk_config(const uint8_t *psk, size_t psk_len) {
    mikey_config_builder_t *b = NULL;
    mikey_config_t *c = NULL;
    CHECK(mikey_config_builder_new(MIKEY_MODE_PSK, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_set_psk(b, psk, psk_len) == MIKEY_OK);
    CHECK(mikey_config_builder_build(b, &c) == MIKEY_OK);
    return c;
}

/* A broadcast sender: COUNTER timestamps from the store, no answer asked for. */
static mikey_config_t *push_config(const uint8_t *psk, size_t psk_len, store_t *st,
                                   int empty_map) {
    mikey_config_builder_t *b = NULL;
    mikey_config_t *c = NULL;
    CHECK(mikey_config_builder_new(MIKEY_MODE_PSK, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_set_psk(b, psk, psk_len) == MIKEY_OK);
    CHECK(mikey_config_builder_set_timestamp_type(b, MIKEY_TS_COUNTER) == MIKEY_OK);
    CHECK(mikey_config_builder_set_request_verification(b, 0) == MIKEY_OK);
    CHECK(mikey_config_builder_set_empty_cs_map(b, (mikey_bool_t)empty_map) == MIKEY_OK);
    CHECK(mikey_config_builder_set_counter_store(b, last_sent(st), 0, persist, st) == MIKEY_OK);
    CHECK(mikey_config_builder_build(b, &c) == MIKEY_OK);
    return c;
}

static mikey_config_t *receive_config(const uint8_t *psk, size_t psk_len, store_t *st) {
    mikey_config_builder_t *b = NULL;
    mikey_config_t *c = NULL;
    CHECK(mikey_config_builder_new(MIKEY_MODE_PSK, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_set_psk(b, psk, psk_len) == MIKEY_OK);
    CHECK(mikey_config_builder_set_counter_store(b, 0, last_accepted(st), persist, st) ==
          MIKEY_OK);
    CHECK(mikey_config_builder_build(b, &c) == MIKEY_OK);
    return c;
}

static const mikey_stream_t STREAM = {0x4d424d53u, 0, 0};

/* Initiates on `c` with `exts` added; the I_MESSAGE into `init`. */
static mikey_session_t *initiate(mikey_config_t *c, const mikey_ext_type_t *types,
                                 const uint8_t *const *data, const size_t *lens, size_t n,
                                 uint8_t *init, size_t cap, size_t *len) {
    mikey_session_t *i = NULL;
    CHECK(mikey_session_new(c, MIKEY_ROLE_INITIATOR, &i) == MIKEY_OK);
    for (size_t k = 0; k < n; k++)
        CHECK(mikey_session_add_extension(i, types[k], data[k], lens[k]) == MIKEY_OK);
    CHECK(mikey_session_initiate(i, &STREAM, 1, init, cap, len) == MIKEY_OK);
    return i;
}

static void every_type(void) {
    static const uint8_t psk[] = "extensions";
    mikey_config_t *c = psk_config(psk, sizeof psk - 1);
    uint8_t key_ids[64];
    size_t key_ids_len = 0;
    static const uint8_t domain[] = {0x02, 0xf8, 0x39}, msk_id[] = {0, 0, 0, 7};
    const mikey_key_id_t entries[2] = {{MIKEY_KEY_ID_MBMS_KEY_DOMAIN_ID, domain, 3},
                                       {MIKEY_KEY_ID_MBMS_SERVICE_KEY_ID, msk_id, 4}};
    CHECK(mikey_key_id_list_build(entries, 2, key_ids, sizeof key_ids, &key_ids_len) ==
          MIKEY_OK);
    CHECK(key_ids_len == 2 + 3 + 2 + 4);
    static const uint8_t bcast[] = {MIKEY_OMA_BCAST_LTKM, 'l', 't', 'k', 'm'};
    const mikey_ext_type_t types[6] = {MIKEY_EXT_VENDOR_ID,     MIKEY_EXT_KEY_ID,
                                       MIKEY_EXT_OMA_BCAST,     MIKEY_EXT_SAKKE_TO_SELF,
                                       MIKEY_EXT_3GPP_KEY_PARAMETERS, 250};
    const uint8_t *data[6] = {(const uint8_t *)"\0\0\x28\xaf" "acme", key_ids, bcast,
                              (const uint8_t *)"sakke", (const uint8_t *)"3gpp",
                              (const uint8_t *)"private"};
    const size_t lens[6] = {8, key_ids_len, sizeof bcast, 5, 4, 7};
    uint8_t init[1024], reply[256];
    size_t len = 0, reply_len = 0;
    mikey_session_t *i = initiate(c, types, data, lens, 6, init, sizeof init, &len);
    mikey_session_t *r = NULL;
    CHECK(mikey_session_new(c, MIKEY_ROLE_RESPONDER, &r) == MIKEY_OK);
    size_t n = 9;
    CHECK(mikey_session_peer_extension_count(r, &n) == MIKEY_OK && n == 0);
    CHECK(mikey_session_process(r, init, len, reply, sizeof reply, &reply_len) == MIKEY_OK);
    CHECK(mikey_session_process(i, reply, reply_len, NULL, 0, &reply_len) == MIKEY_OK);
    CHECK(mikey_session_peer_extension_count(r, &n) == MIKEY_OK && n == 6);
    for (size_t k = 0; k < 6; k++) {
        mikey_ext_type_t t = 999;
        uint8_t got[64];
        size_t got_len = 0;
        CHECK(mikey_session_peer_extension(r, k, &t, got, sizeof got, &got_len) == MIKEY_OK);
        CHECK(t == types[k] && got_len == lens[k] && memcmp(got, data[k], lens[k]) == 0);
    }
    /* The Key ID list read back. */
    uint8_t got[64];
    size_t got_len = 0;
    mikey_ext_type_t t = 0;
    CHECK(mikey_session_peer_extension(r, 1, &t, got, sizeof got, &got_len) == MIKEY_OK);
    mikey_key_id_t e;
    CHECK(mikey_key_id_list_entry(got, got_len, 1, &e) == MIKEY_OK);
    CHECK(e.id_type == MIKEY_KEY_ID_MBMS_SERVICE_KEY_ID && e.id_len == 4 &&
          memcmp(e.id, msk_id, 4) == 0 && e.id >= got && e.id < got + got_len);
    CHECK(mikey_key_id_list_entry(got, got_len, 2, &e) == MIKEY_ERR_INDEX_OUT_OF_RANGE);
    CHECK(mikey_key_id_list_entry(got, got_len - 1, 0, &e) == MIKEY_ERR_PARSE_BAD_LENGTH);
    CHECK(mikey_key_id_list_entry(NULL, 0, 0, &e) == MIKEY_ERR_INDEX_OUT_OF_RANGE);
    CHECK(mikey_key_id_list_entry(got, got_len, 0, NULL) == MIKEY_ERR_NULL_POINTER);
    /* Argument checks of the accessors and builders. */
    CHECK(mikey_session_peer_extension(r, 6, &t, got, sizeof got, &got_len) ==
          MIKEY_ERR_INDEX_OUT_OF_RANGE);
    got_len = 0;
    CHECK(mikey_session_peer_extension(r, 0, &t, got, 2, &got_len) ==
          MIKEY_ERR_BUFFER_TOO_SMALL && got_len == 8);
    CHECK(mikey_session_peer_extension(r, 0, NULL, got, sizeof got, &got_len) ==
          MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_session_peer_extension_count(r, NULL) == MIKEY_ERR_NULL_POINTER);
    size_t need = 0;
    CHECK(mikey_key_id_list_build(entries, 2, got, 3, &need) == MIKEY_ERR_BUFFER_TOO_SMALL &&
          need == key_ids_len);
    const mikey_key_id_t bad_type = {256, domain, 3}, bad_len = {0, domain, 256},
                         null_id = {0, NULL, 1};
    CHECK(mikey_key_id_list_build(&bad_type, 1, got, sizeof got, &need) ==
          MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_key_id_list_build(&bad_len, 1, got, sizeof got, &need) ==
          MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_key_id_list_build(&null_id, 1, got, sizeof got, &need) ==
          MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_key_id_list_build(NULL, 1, got, sizeof got, &need) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_key_id_list_build(entries, SIZE_MAX, got, sizeof got, &need) ==
          MIKEY_ERR_INVALID_ARGUMENT);
    /* The library's own types, a Responder, out-of-range arguments. */
    CHECK(mikey_session_add_extension(i, MIKEY_EXT_SDP_IDS, (const uint8_t *)"mikey", 5) ==
          MIKEY_ERR_CONFIG);
    CHECK(mikey_session_add_extension(i, MIKEY_EXT_CSB_ID, got, 4) == MIKEY_ERR_CONFIG);
    CHECK(mikey_session_add_extension(i, MIKEY_EXT_TESLA_I_KEY, got, 4) == MIKEY_ERR_CONFIG);
    CHECK(mikey_session_add_extension(i, 256, got, 1) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_session_add_extension(i, 0, NULL, 1) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_session_add_extension(r, 0, got, 1) == MIKEY_ERR_WRONG_STATE);
    CHECK(mikey_session_clear_extensions(r) == MIKEY_ERR_WRONG_STATE);
    /* Cleared, an update carries none. */
    CHECK(mikey_session_clear_extensions(i) == MIKEY_OK);
    CHECK(mikey_session_rekey(i, NULL, 0, init, sizeof init, &len) == MIKEY_OK);
    CHECK(mikey_session_process(r, init, len, reply, sizeof reply, &reply_len) == MIKEY_OK);
    CHECK(mikey_session_peer_extension_count(r, &n) == MIKEY_OK && n == 0);
    mikey_session_free(i);
    mikey_session_free(r);
    mikey_config_free(c);
}

static void tesla(void) {
    static const uint8_t psk[] = "tesla";
    mikey_config_t *c = psk_config(psk, sizeof psk - 1);
    mikey_session_t *i = NULL, *r = NULL;
    CHECK(mikey_session_new(c, MIKEY_ROLE_INITIATOR, &i) == MIKEY_OK);
    CHECK(mikey_session_new(c, MIKEY_ROLE_RESPONDER, &r) == MIKEY_OK);
    mikey_tesla_policy_t p = {MIKEY_TESLA_HMAC_SHA1, 160, MIKEY_TESLA_HMAC_SHA256, 96,
                              0xeb00000000000000ull, 40, 2, 90000, 1, 0xeb00000000000001ull};
    uint8_t k0[20];
    memset(k0, 0xa5, sizeof k0);
    mikey_tesla_policy_t bad = p;
    bad.interval_ms = 0;
    CHECK(mikey_session_set_tesla(i, &bad, k0, sizeof k0) == MIKEY_ERR_CONFIG);
    bad = p;
    bad.has_receiver_time = 2;
    CHECK(mikey_session_set_tesla(i, &bad, k0, sizeof k0) == MIKEY_ERR_INVALID_ARGUMENT);
    bad = p;
    bad.mac = 256;
    CHECK(mikey_session_set_tesla(i, &bad, k0, sizeof k0) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_session_set_tesla(i, &p, k0, 0) == MIKEY_ERR_CONFIG);
    CHECK(mikey_session_set_tesla(i, NULL, k0, sizeof k0) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_session_set_tesla(r, &p, k0, sizeof k0) == MIKEY_ERR_WRONG_STATE);
    CHECK(mikey_session_set_tesla(i, &p, k0, sizeof k0) == MIKEY_OK);
    uint8_t init[1024], reply[256], got[64];
    size_t len = 0, reply_len = 0, got_len = 9;
    mikey_tesla_policy_t out;
    memset(&out, 0, sizeof out);
    CHECK(mikey_session_peer_tesla(r, &out, got, sizeof got, &got_len) == MIKEY_OK &&
          got_len == 0);
    CHECK(mikey_session_initiate(i, &STREAM, 1, init, sizeof init, &len) == MIKEY_OK);
    CHECK(mikey_session_process(r, init, len, reply, sizeof reply, &reply_len) == MIKEY_OK);
    CHECK(mikey_session_peer_tesla(r, &out, got, 4, &got_len) == MIKEY_ERR_BUFFER_TOO_SMALL &&
          got_len == 20);
    CHECK(mikey_session_peer_tesla(r, &out, got, sizeof got, &got_len) == MIKEY_OK);
    CHECK(got_len == 20 && memcmp(got, k0, 20) == 0);
    CHECK(out.prf == p.prf && out.prf_output_bits == p.prf_output_bits && out.mac == p.mac &&
          out.mac_output_bits == p.mac_output_bits && out.session_start == p.session_start &&
          out.interval_ms == p.interval_ms && out.disclosure_delay == p.disclosure_delay &&
          out.chain_length == p.chain_length && out.has_receiver_time == 1 &&
          out.receiver_time == p.receiver_time);
    CHECK(mikey_session_peer_tesla(r, NULL, got, sizeof got, &got_len) == MIKEY_ERR_NULL_POINTER);
    mikey_session_free(i);
    mikey_session_free(r);
    mikey_config_free(c);
}

static void mbms(void) {
    static const uint8_t muk[] = "MBMS user key of this UE";
    store_t server = {{0}, {0}, 0, 0, 0}, ue = {{0}, {0}, 0, 0, 0};
    static const uint8_t domain[] = {0x02, 0xf8, 0x39}, msk_id[] = {0, 0, 0, 1},
                         mtk_id[] = {0, 0, 0, 9};
    uint8_t ids[64];
    size_t ids_len = 0;
    const mikey_key_id_t msk_entries[2] = {{MIKEY_KEY_ID_MBMS_KEY_DOMAIN_ID, domain, 3},
                                           {MIKEY_KEY_ID_MBMS_SERVICE_KEY_ID, msk_id, 4}};
    CHECK(mikey_key_id_list_build(msk_entries, 2, ids, sizeof ids, &ids_len) == MIKEY_OK);
    const mikey_ext_type_t key_id = MIKEY_EXT_KEY_ID;
    const uint8_t *ids_p = ids;

    /* 1. The MSK under the MUK: Empty map, COUNTER 1, no answer. */
    mikey_config_t *bmsc = push_config(muk, sizeof muk - 1, &server, 1);
    uint8_t msg[1024], reply[256];
    size_t len = 0, reply_len = 9;
    mikey_session_t *msk_push = initiate(bmsc, &key_id, &ids_p, &ids_len, 1, msg, sizeof msg, &len);
    mikey_message_t *m = NULL;
    mikey_header_info_t h;
    CHECK(mikey_message_parse(msg, len, &m, NULL) == MIKEY_OK);
    CHECK(mikey_message_header(m, &h) == MIKEY_OK && h.cs_id_map_type == MIKEY_CS_ID_MAP_EMPTY);
    mikey_message_free(m);
    CHECK(server.sent_n == 1 && server.sent[0] == 1);
    mikey_config_t *ue_muk = receive_config(muk, sizeof muk - 1, &ue);
    mikey_session_t *r1 = NULL;
    CHECK(mikey_session_new(ue_muk, MIKEY_ROLE_RESPONDER, &r1) == MIKEY_OK);
    CHECK(mikey_session_process(r1, msg, len, reply, sizeof reply, &reply_len) == MIKEY_OK);
    CHECK(reply_len == 0 && ue.accepted_n == 1 && ue.accepted[0] == 1);
    uint8_t msk[64], salt[16], sent_msk[64];
    size_t msk_len = 0, salt_len = 9, sent_len = 0, count = 0;
    mikey_key_data_type_t kt = 99;
    CHECK(mikey_session_carried_key_count(r1, &count) == MIKEY_OK && count == 1);
    CHECK(mikey_session_carried_key(r1, 0, &kt, msk, sizeof msk, &msk_len, salt, sizeof salt,
                                    &salt_len) == MIKEY_OK);
    CHECK(kt == MIKEY_KEY_DATA_TGK && msk_len == 16 && salt_len == 0);
    CHECK(mikey_session_carried_key(msk_push, 0, &kt, sent_msk, sizeof sent_msk, &sent_len, salt,
                                    sizeof salt, &salt_len) == MIKEY_OK);
    CHECK(sent_len == msk_len && memcmp(sent_msk, msk, msk_len) == 0);
    CHECK(mikey_session_carried_key(r1, 1, &kt, msk, sizeof msk, &msk_len, salt, sizeof salt,
                                    &salt_len) == MIKEY_ERR_INDEX_OUT_OF_RANGE);
    size_t need_key = 0, need_salt = 0;
    CHECK(mikey_session_carried_key(r1, 0, &kt, msk, 4, &need_key, salt, sizeof salt,
                                    &need_salt) == MIKEY_ERR_BUFFER_TOO_SMALL &&
          need_key == 16);
    CHECK(mikey_session_carried_key_count(r1, NULL) == MIKEY_ERR_NULL_POINTER);
    uint8_t got[64];
    size_t got_len = 0;
    mikey_ext_type_t t = 0;
    mikey_key_id_t e;
    CHECK(mikey_session_peer_extension(r1, 0, &t, got, sizeof got, &got_len) == MIKEY_OK);
    CHECK(t == MIKEY_EXT_KEY_ID && mikey_key_id_list_entry(got, got_len, 1, &e) == MIKEY_OK &&
          e.id_len == 4 && memcmp(e.id, msk_id, 4) == 0);

    /* 2. The MTK under the MSK: SRTP-ID map, Key IDs naming MSK and MTK, COUNTER 2. */
    const mikey_key_id_t mtk_entries[3] = {{MIKEY_KEY_ID_MBMS_KEY_DOMAIN_ID, domain, 3},
                                           {MIKEY_KEY_ID_MBMS_SERVICE_KEY_ID, msk_id, 4},
                                           {MIKEY_KEY_ID_MBMS_TRAFFIC_KEY_ID, mtk_id, 4}};
    CHECK(mikey_key_id_list_build(mtk_entries, 3, ids, sizeof ids, &ids_len) == MIKEY_OK);
    mikey_config_t *traffic = push_config(msk, msk_len, &server, 0);
    mikey_session_t *mtk_push = initiate(traffic, &key_id, &ids_p, &ids_len, 1, msg, sizeof msg, &len);
    mikey_config_t *ue_msk = receive_config(msk, msk_len, &ue);
    mikey_session_t *r2 = NULL;
    CHECK(mikey_session_new(ue_msk, MIKEY_ROLE_RESPONDER, &r2) == MIKEY_OK);
    CHECK(mikey_session_process(r2, msg, len, reply, sizeof reply, &reply_len) == MIKEY_OK);
    CHECK(ue.accepted_n == 2 && ue.accepted[1] == 2);
    srtp_round_trip(mtk_push, r2, 0, STREAM.ssrc);

    /* 3. After a restart (configs rebuilt from the store) the MTK message is a replay. */
    mikey_config_t *restarted = receive_config(msk, msk_len, &ue);
    mikey_session_t *r3 = NULL;
    CHECK(mikey_session_new(restarted, MIKEY_ROLE_RESPONDER, &r3) == MIKEY_OK);
    CHECK(mikey_session_process(r3, msg, len, reply, sizeof reply, &reply_len) ==
          MIKEY_ERR_REPLAYED);
    /* 4. A newer one, with the receiver's store failing, then working. */
    mikey_config_t *again = push_config(msk, msk_len, &server, 0);
    mikey_session_t *next = initiate(again, &key_id, &ids_p, &ids_len, 1, msg, sizeof msg, &len);
    CHECK(server.sent_n == 3 && server.sent[2] == 3);
    ue.failing = 1;
    mikey_state_t state = 99;
    CHECK(mikey_session_process(r3, msg, len, reply, sizeof reply, &reply_len) ==
          MIKEY_ERR_COUNTER_STORE);
    CHECK(mikey_session_state(r3, &state) == MIKEY_OK && state == MIKEY_STATE_IDLE);
    ue.failing = 0;
    CHECK(mikey_session_process(r3, msg, len, reply, sizeof reply, &reply_len) == MIKEY_OK);
    CHECK(last_accepted(&ue) == 3);
    /* 5. A sender whose store fails sends nothing. */
    server.failing = 1;
    mikey_session_t *blocked = NULL;
    CHECK(mikey_session_new(again, MIKEY_ROLE_INITIATOR, &blocked) == MIKEY_OK);
    CHECK(mikey_session_initiate(blocked, &STREAM, 1, msg, sizeof msg, &len) ==
          MIKEY_ERR_COUNTER_STORE);
    /* Setter checks. */
    mikey_config_builder_t *b = NULL;
    CHECK(mikey_config_builder_new(MIKEY_MODE_PSK, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_set_counter_store(b, 0, 0, NULL, NULL) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_config_builder_set_empty_cs_map(b, 2) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_config_builder_set_empty_cs_map(NULL, 1) == MIKEY_ERR_NULL_POINTER);
    mikey_config_builder_free(b);
    mikey_config_t *refused = NULL;
    CHECK(mikey_config_builder_new(MIKEY_MODE_DH_HMAC, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_set_psk(b, muk, sizeof muk - 1) == MIKEY_OK);
    CHECK(mikey_config_builder_set_empty_cs_map(b, 1) == MIKEY_OK);
    CHECK(mikey_config_builder_build(b, &refused) == MIKEY_ERR_CONFIG && refused == NULL);
    mikey_config_builder_free(b);

    mikey_session_free(msk_push);
    mikey_session_free(mtk_push);
    mikey_session_free(next);
    mikey_session_free(blocked);
    mikey_session_free(r1);
    mikey_session_free(r2);
    mikey_session_free(r3);
    mikey_config_free(bmsc);
    mikey_config_free(traffic);
    mikey_config_free(again);
    mikey_config_free(ue_muk);
    mikey_config_free(ue_msk);
    mikey_config_free(restarted);
    memset(msk, 0, sizeof msk);
    memset(sent_msk, 0, sizeof sent_msk);
}

static void oma_bcast(void) {
    static const uint8_t smk[] = "subscriber management key";
    store_t server = {{0}, {0}, 0, 0, 0}, terminal = {{0}, {0}, 0, 0, 0};
    static const uint8_t ltkm[] = {MIKEY_OMA_BCAST_LTKM, 0x01, 0x02};
    static const uint8_t stkm[] = {MIKEY_OMA_BCAST_STKM, 0x09};
    const mikey_ext_type_t bcast = MIKEY_EXT_OMA_BCAST;
    const uint8_t *p = ltkm;
    size_t plen = sizeof ltkm;
    uint8_t msg[1024], reply[256], got[64], sek[64], salt[16];
    size_t len = 0, reply_len = 0, got_len = 0, sek_len = 0, salt_len = 0;
    mikey_ext_type_t t = 0;
    mikey_key_data_type_t kt = 0;
    mikey_config_t *ltkm_c = push_config(smk, sizeof smk - 1, &server, 1);
    mikey_session_t *i1 = initiate(ltkm_c, &bcast, &p, &plen, 1, msg, sizeof msg, &len);
    mikey_config_t *term = receive_config(smk, sizeof smk - 1, &terminal);
    mikey_session_t *r1 = NULL;
    CHECK(mikey_session_new(term, MIKEY_ROLE_RESPONDER, &r1) == MIKEY_OK);
    CHECK(mikey_session_process(r1, msg, len, reply, sizeof reply, &reply_len) == MIKEY_OK);
    CHECK(mikey_session_peer_extension(r1, 0, &t, got, sizeof got, &got_len) == MIKEY_OK);
    CHECK(t == MIKEY_EXT_OMA_BCAST && got_len == sizeof ltkm && got[0] == MIKEY_OMA_BCAST_LTKM);
    CHECK(mikey_session_carried_key(r1, 0, &kt, sek, sizeof sek, &sek_len, salt, sizeof salt,
                                    &salt_len) == MIKEY_OK);
    p = stkm;
    plen = sizeof stkm;
    mikey_config_t *stkm_c = push_config(sek, sek_len, &server, 0);
    mikey_session_t *i2 = initiate(stkm_c, &bcast, &p, &plen, 1, msg, sizeof msg, &len);
    mikey_config_t *term2 = receive_config(sek, sek_len, &terminal);
    mikey_session_t *r2 = NULL;
    CHECK(mikey_session_new(term2, MIKEY_ROLE_RESPONDER, &r2) == MIKEY_OK);
    CHECK(mikey_session_process(r2, msg, len, reply, sizeof reply, &reply_len) == MIKEY_OK);
    CHECK(mikey_session_peer_extension(r2, 0, &t, got, sizeof got, &got_len) == MIKEY_OK);
    CHECK(got_len == sizeof stkm && got[0] == MIKEY_OMA_BCAST_STKM);
    CHECK(last_accepted(&terminal) == 2);
    srtp_round_trip(i2, r2, 0, STREAM.ssrc);
    mikey_session_free(i1);
    mikey_session_free(i2);
    mikey_session_free(r1);
    mikey_session_free(r2);
    mikey_config_free(ltkm_c);
    mikey_config_free(stkm_c);
    mikey_config_free(term);
    mikey_config_free(term2);
    memset(sek, 0, sizeof sek);
}

int main(void) {
    CHECK(srtp_init() == srtp_err_status_ok);
    every_type();
    tesla();
    mbms();
    oma_bcast();
    srtp_shutdown();
    return check_report("test_extensions");
}
