/* Trailing padding through the C API (mikey_config_builder_set_trailing_padding): RFC 3830
 * §6 defines none, Milestone XProtect sends one zero byte after its I_MESSAGE. Refused by
 * default; accepted up to the configured number of zero bytes, removed before the MAC and
 * the replay cache look at the message. */
#include "check.h"

#include <mikey.h>
#include <stdint.h>
#include <string.h>

static const uint8_t PSK[] = "0123456789abcdef0123";

static mikey_config_t *config(uint32_t mode, size_t padding) {
    mikey_config_builder_t *b = NULL;
    mikey_config_t *c = NULL;
    CHECK(mikey_config_builder_new(mode, &b) == MIKEY_OK);
    if (mode == MIKEY_MODE_PSK) CHECK(mikey_config_builder_set_psk(b, PSK, sizeof PSK - 1) == MIKEY_OK);
    CHECK(mikey_config_builder_set_trailing_padding(b, padding) == MIKEY_OK);
    CHECK(mikey_config_builder_build(b, &c) == MIKEY_OK);
    return c;
}

static void test_setter_arguments(void) {
    mikey_config_builder_t *b = NULL;
    CHECK(mikey_config_builder_set_trailing_padding(NULL, 1) == MIKEY_ERR_NULL_POINTER);
    CHECK(mikey_config_builder_new(MIKEY_MODE_NULL, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_set_trailing_padding(b, 17) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_config_builder_set_trailing_padding(b, SIZE_MAX) == MIKEY_ERR_INVALID_ARGUMENT);
    CHECK(mikey_config_builder_set_trailing_padding(b, 16) == MIKEY_OK);
    mikey_config_builder_free(b);
}

static void test_padded_i_message(uint32_t mode) {
    mikey_config_t *ci = config(mode, 0), *strict = config(mode, 0), *lenient = config(mode, 1);
    mikey_session_t *i = NULL, *r = NULL, *r2 = NULL;
    mikey_stream_t s = {0x77, 0, 0};
    uint8_t msg[2048], reply[2048], again[2048];
    size_t len = 0, reply_len = 777, again_len = 0;
    uint32_t state = 99;
    CHECK(mikey_session_new(ci, MIKEY_ROLE_INITIATOR, &i) == MIKEY_OK);
    CHECK(mikey_session_initiate(i, &s, 1, msg, sizeof msg - 2, &len) == MIKEY_OK);
    msg[len] = 0x00;

    /* Refused by default, with no reply and nothing changed. */
    CHECK(mikey_session_new(strict, MIKEY_ROLE_RESPONDER, &r) == MIKEY_OK);
    CHECK(mikey_session_process(r, msg, len + 1, reply, sizeof reply, &reply_len) ==
          MIKEY_ERR_PARSE_TRAILING_BYTES);
    CHECK(reply_len == 0);
    CHECK(mikey_session_state(r, &state) == MIKEY_OK && state == MIKEY_STATE_IDLE);
    mikey_session_free(r);

    /* Accepted with one byte allowed; a non-zero byte or two bytes are not padding. */
    CHECK(mikey_session_new(lenient, MIKEY_ROLE_RESPONDER, &r) == MIKEY_OK);
    msg[len] = 0x01;
    CHECK(mikey_session_process(r, msg, len + 1, reply, sizeof reply, &reply_len) ==
          MIKEY_ERR_PARSE_TRAILING_BYTES);
    msg[len] = 0x00;
    msg[len + 1] = 0x00;
    CHECK(mikey_session_process(r, msg, len + 2, reply, sizeof reply, &reply_len) ==
          MIKEY_ERR_PARSE_TRAILING_BYTES);
    CHECK(mikey_session_process(r, msg, len + 1, reply, sizeof reply, &reply_len) == MIKEY_OK);
    CHECK(mikey_session_state(r, &state) == MIKEY_OK && state == MIKEY_STATE_ESTABLISHED);
    /* The same message without the padding is a retransmission: the same message. */
    CHECK(mikey_session_process(r, msg, len, again, sizeof again, &again_len) == MIKEY_RETRANSMISSION);
    CHECK(again_len == reply_len && memcmp(again, reply, reply_len) == 0);
    /* And a replay to another session. */
    CHECK(mikey_session_new(lenient, MIKEY_ROLE_RESPONDER, &r2) == MIKEY_OK);
    CHECK(mikey_session_process(r2, msg, len, again, sizeof again, &again_len) == MIKEY_ERR_REPLAYED);
    if (reply_len > 0) CHECK(mikey_session_process(i, reply, reply_len, NULL, 0, &again_len) == MIKEY_OK);
    CHECK(mikey_session_state(i, &state) == MIKEY_OK && state == MIKEY_STATE_ESTABLISHED);
    mikey_session_free(i);
    mikey_session_free(r);
    mikey_session_free(r2);
    mikey_config_free(ci);
    mikey_config_free(strict);
    mikey_config_free(lenient);
}

int main(void) {
    test_setter_arguments();
    test_padded_i_message(MIKEY_MODE_NULL);
    test_padded_i_message(MIKEY_MODE_PSK);
    return check_report("test_padding");
}
