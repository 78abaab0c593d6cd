/* CSB ID collisions through the C API (RFC 3830 §6.1: "An Initiator MUST check for
 * collisions"): with an injected random source that repeats itself, a second Initiator
 * session of the config draws its CSB ID again, a source that only repeats is reported as
 * MIKEY_ERR_RNG, an abandoned I_MESSAGE (short buffer) and a freed session release their
 * ID, and resuming from an I_MESSAGE whose sender still lives is MIKEY_ERR_CSB_ID_IN_USE. */
#include "check.h"

#include <mikey.h>
#include <stdint.h>
#include <string.h>

static const uint8_t PSK[] = "0123456789abcdef0123";

/* Calls below `repeat` fill 0x5A bytes; later ones a counter. */
struct repeating_rng {
    unsigned calls;
    unsigned repeat;
};

static int repeating_rng(void *userdata, uint8_t *out, size_t len) {
    struct repeating_rng *r = userdata;
    unsigned call = r->calls++;
    for (size_t i = 0; i < len; i++) out[i] = call < r->repeat ? 0x5A : (uint8_t)(call * 31u + i);
    return 0;
}

static mikey_config_t *config(struct repeating_rng *rng) {
    mikey_config_builder_t *b = NULL;
    mikey_config_t *c = NULL;
    CHECK(mikey_config_builder_new(MIKEY_MODE_PSK, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_set_psk(b, PSK, sizeof PSK - 1) == MIKEY_OK);
    if (rng) CHECK(mikey_config_builder_set_rng(b, repeating_rng, rng) == MIKEY_OK);
    CHECK(mikey_config_builder_build(b, &c) == MIKEY_OK);
    return c;
}

static const mikey_stream_t STREAM = {0x5151, 0, 0};

static void test_a_colliding_draw_is_drawn_again(void) {
    struct repeating_rng rng = {0, 2};
    mikey_config_t *c = config(&rng);
    mikey_session_t *a = NULL, *b = NULL;
    uint8_t msg[2048];
    size_t len = 0;
    uint32_t id_a = 0, id_b = 0;
    CHECK(mikey_session_new(c, MIKEY_ROLE_INITIATOR, &a) == MIKEY_OK);
    CHECK(mikey_session_new(c, MIKEY_ROLE_INITIATOR, &b) == MIKEY_OK);
    CHECK(mikey_session_initiate(a, &STREAM, 1, msg, sizeof msg, &len) == MIKEY_OK);
    CHECK(mikey_session_initiate(b, &STREAM, 1, msg, sizeof msg, &len) == MIKEY_OK);
    CHECK(mikey_session_csb_id(a, &id_a) == MIKEY_OK && id_a == 0x5A5A5A5Au);
    CHECK(mikey_session_csb_id(b, &id_b) == MIKEY_OK && id_b != id_a && id_b != 0);
    mikey_session_free(a);
    mikey_session_free(b);
    mikey_config_free(c);
}

static void test_a_source_that_only_collides_is_an_rng_failure(void) {
    struct repeating_rng rng = {0, 0xFFFFFFFFu};
    mikey_config_t *c = config(&rng);
    mikey_session_t *a = NULL, *b = NULL;
    uint8_t msg[2048];
    size_t len = 0;
    uint32_t id = 0, state = 99;
    CHECK(strcmp(mikey_status_str(MIKEY_ERR_CSB_ID_IN_USE), "unknown status") != 0);
    CHECK(mikey_session_new(c, MIKEY_ROLE_INITIATOR, &a) == MIKEY_OK);
    CHECK(mikey_session_new(c, MIKEY_ROLE_INITIATOR, &b) == MIKEY_OK);
    /* A message that did not fit was not installed: its CSB ID is free again. */
    CHECK(mikey_session_initiate(a, &STREAM, 1, msg, 3, &len) == MIKEY_ERR_BUFFER_TOO_SMALL);
    CHECK(mikey_session_initiate(a, &STREAM, 1, msg, sizeof msg, &len) == MIKEY_OK);
    CHECK(mikey_session_csb_id(a, &id) == MIKEY_OK && id == 0x5A5A5A5Au);
    CHECK(mikey_session_initiate(b, &STREAM, 1, msg, sizeof msg, &len) == MIKEY_ERR_RNG);
    CHECK(mikey_session_state(b, &state) == MIKEY_OK && state == MIKEY_STATE_IDLE);
    /* Freeing the holder releases the ID. */
    mikey_session_free(a);
    CHECK(mikey_session_initiate(b, &STREAM, 1, msg, sizeof msg, &len) == MIKEY_OK);
    CHECK(mikey_session_csb_id(b, &id) == MIKEY_OK && id == 0x5A5A5A5Au);
    mikey_session_free(b);
    mikey_config_free(c);
}

static void test_resuming_while_the_sender_lives(void) {
    mikey_config_t *c = config(NULL);
    mikey_session_t *i = NULL, *resumed = NULL;
    uint8_t msg[2048];
    size_t len = 0;
    uint32_t id = 0, id2 = 0;
    CHECK(mikey_session_new(c, MIKEY_ROLE_INITIATOR, &i) == MIKEY_OK);
    CHECK(mikey_session_initiate(i, &STREAM, 1, msg, sizeof msg, &len) == MIKEY_OK);
    CHECK(mikey_session_resume_initiator(c, msg, len, &resumed) == MIKEY_ERR_CSB_ID_IN_USE);
    CHECK(resumed == NULL);
    CHECK(mikey_session_csb_id(i, &id) == MIKEY_OK);
    mikey_session_free(i);
    CHECK(mikey_session_resume_initiator(c, msg, len, &resumed) == MIKEY_OK);
    CHECK(mikey_session_csb_id(resumed, &id2) == MIKEY_OK && id2 == id);
    mikey_session_free(resumed);
    mikey_config_free(c);
}

int main(void) {
    test_a_colliding_draw_is_drawn_again();
    test_a_source_that_only_collides_is_an_rng_failure();
    test_resuming_while_the_sender_lives();
    return check_report("test_csb_ids");
}
