/* Retransmitted I_MESSAGEs through the C API: the Responder session that accepted an
 * I_MESSAGE answers a byte-identical copy with the same reply and MIKEY_RETRANSMISSION
 * (not an error, nothing changed), the short-buffer rules hold for it, and any other
 * replay is still MIKEY_ERR_REPLAYED (RFC 3830 §5.4). */
#include "check.h"

#include <mikey.h>
#include <stdint.h>
#include <string.h>

static const uint8_t PSK[] = "0123456789abcdef0123";
static uint64_t now_ntp = 0xEA04E30000000000ull;

static uint64_t test_clock(void *userdata) { return *(const uint64_t *)userdata; }

static mikey_config_t *psk_config(void) {
    mikey_config_builder_t *b = NULL;
    mikey_config_t *c = NULL;
    CHECK(mikey_config_builder_new(MIKEY_MODE_PSK, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_set_psk(b, PSK, sizeof PSK - 1) == MIKEY_OK);
    CHECK(mikey_config_builder_set_clock(b, test_clock, &now_ntp) == MIKEY_OK);
    CHECK(mikey_config_builder_build(b, &c) == MIKEY_OK);
    return c;
}

static void test_retransmission_gets_the_same_reply(void) {
    mikey_config_t *ci = psk_config(), *cr = psk_config();
    mikey_session_t *i = NULL, *r = NULL, *fresh = NULL, *i2 = NULL;
    mikey_stream_t s = {0x5151, 0, 0};
    uint8_t msg[2048], msg2[2048], reply[2048], again[2048];
    size_t len = 0, len2 = 0, reply_len = 0, again_len = 0, cached = 0, cached_after = 0;
    uint32_t state = 99;

    CHECK(strcmp(mikey_status_str(MIKEY_RETRANSMISSION), "unknown status") != 0);
    CHECK(mikey_session_new(ci, MIKEY_ROLE_INITIATOR, &i) == MIKEY_OK);
    CHECK(mikey_session_initiate(i, &s, 1, msg, sizeof msg, &len) == MIKEY_OK);
    CHECK(mikey_session_new(cr, MIKEY_ROLE_RESPONDER, &r) == MIKEY_OK);
    CHECK(mikey_session_process(r, msg, len, reply, sizeof reply, &reply_len) == MIKEY_OK);
    CHECK(reply_len > 0);
    CHECK(mikey_config_replay_cache_len(cr, &cached) == MIKEY_OK && cached == 1);

    /* The answer was lost: the Initiator's stack resends the I_MESSAGE. A short buffer
     * gets the needed length and changes nothing, like any reply. */
    now_ntp += 1ull << 32;
    again_len = 0;
    CHECK(mikey_session_process(r, msg, len, again, 3, &again_len) == MIKEY_ERR_BUFFER_TOO_SMALL);
    CHECK(again_len == reply_len);
    again_len = 0;
    CHECK(mikey_session_process(r, msg, len, again, sizeof again, &again_len) == MIKEY_RETRANSMISSION);
    CHECK(again_len == reply_len && memcmp(again, reply, reply_len) == 0);
    CHECK(mikey_config_replay_cache_len(cr, &cached_after) == MIKEY_OK && cached_after == cached);
    CHECK(mikey_session_state(r, &state) == MIKEY_OK && state == MIKEY_STATE_ESTABLISHED);

    /* The Initiator takes the answer once; a second copy after it verified is out of place. */
    CHECK(mikey_session_process(i, again, again_len, NULL, 0, &reply_len) == MIKEY_OK);
    CHECK(mikey_session_process(i, again, again_len, NULL, 0, &reply_len) == MIKEY_ERR_WRONG_STATE);
    CHECK(mikey_session_state(i, &state) == MIKEY_OK && state == MIKEY_STATE_ESTABLISHED);

    /* Another session of the same config never accepted it: a replay. */
    CHECK(mikey_session_new(cr, MIKEY_ROLE_RESPONDER, &fresh) == MIKEY_OK);
    again_len = 777;
    CHECK(mikey_session_process(fresh, msg, len, again, sizeof again, &again_len) == MIKEY_ERR_REPLAYED);
    CHECK(again_len == 0);
    CHECK(mikey_session_state(fresh, &state) == MIKEY_OK && state == MIKEY_STATE_IDLE);

    /* A different message the config already accepted, to the session: still a replay. */
    CHECK(mikey_session_new(ci, MIKEY_ROLE_INITIATOR, &i2) == MIKEY_OK);
    CHECK(mikey_session_initiate(i2, &s, 1, msg2, sizeof msg2, &len2) == MIKEY_OK);
    CHECK(mikey_session_process(fresh, msg2, len2, again, sizeof again, &again_len) == MIKEY_OK);
    again_len = 777;
    CHECK(mikey_session_process(r, msg2, len2, again, sizeof again, &again_len) == MIKEY_ERR_REPLAYED);
    CHECK(again_len == 0);

    /* Outside the clock skew (5 minutes by default) a copy is refused like any message. */
    now_ntp += 301ull << 32;
    again_len = 777;
    CHECK(mikey_session_process(r, msg, len, again, sizeof again, &again_len) ==
          MIKEY_ERR_TIMESTAMP_OUT_OF_WINDOW);
    CHECK(again_len == 0);

    mikey_session_free(i);
    mikey_session_free(i2);
    mikey_session_free(r);
    mikey_session_free(fresh);
    mikey_config_free(ci);
    mikey_config_free(cr);
}

int main(void) {
    test_retransmission_gets_the_same_reply();
    return check_report("test_retransmission");
}
