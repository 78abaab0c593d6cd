// mikey.h in a C++ program (g++ -Wall -Wextra -Werror -pedantic): the extern "C" guards,
// the typedefs, the codepoint #defines and the peer-error macros in constant expressions,
// and a few calls, so a header change that breaks C++ users fails the build.
#include <mikey.h>

#include <cstdio>
#include <cstring>
#include <type_traits>

static_assert(std::is_same<mikey_status_t, uint32_t>::value, "mikey_status_t is uint32_t");
static_assert(sizeof(mikey_bool_t) == sizeof(bool), "mikey_bool_t has the size of bool");
static_assert(MIKEY_IS_PEER_ERROR(MIKEY_ERR_PEER_ERROR + MIKEY_ERRNO_INVALID_SPPAR), "200+n");
static_assert(MIKEY_PEER_ERROR_NO(MIKEY_ERR_PEER_ERROR_UNAUTHENTICATED + 55) == 55, "300+n");
static_assert(!MIKEY_PEER_ERROR_AUTHENTICATED(MIKEY_ERR_PEER_ERROR_UNAUTHENTICATED), "300");
static_assert(!MIKEY_IS_PEER_ERROR(MIKEY_ERR_AUTH_FAILED), "a local status");

static int failures = 0;
#define EXPECT(cond)                                                              \
    do {                                                                          \
        if (!(cond)) {                                                            \
            std::fprintf(stderr, "%s:%d: failed: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                                           \
        }                                                                         \
    } while (0)

int main() {
    mikey_config_builder_t *b = nullptr;
    EXPECT(mikey_config_builder_new(MIKEY_MODE_PSK, &b) == MIKEY_OK);
    EXPECT(mikey_config_builder_set_encryption(b, MIKEY_ENCR_AES_CM_256) == MIKEY_OK);
    EXPECT(mikey_config_builder_set_send_identities(b, true) == MIKEY_OK);
    EXPECT(mikey_config_builder_set_local_identity(
               b, MIKEY_ID_URI, reinterpret_cast<const uint8_t *>("sip:a@x"), 7) == MIKEY_OK);
    mikey_config_t *cfg = nullptr;
    EXPECT(mikey_config_builder_build(b, &cfg) == MIKEY_ERR_CONFIG); // no PSK yet
    EXPECT(std::strstr(mikey_config_builder_error_detail(b), "pre-shared key") != nullptr);
    const uint8_t psk[4] = {1, 2, 3, 4};
    EXPECT(mikey_config_builder_set_psk(b, psk, sizeof psk) == MIKEY_OK);
    EXPECT(mikey_config_builder_build(b, &cfg) == MIKEY_OK);

    mikey_session_t *s = nullptr;
    EXPECT(mikey_session_new(cfg, MIKEY_ROLE_INITIATOR, &s) == MIKEY_OK);
    mikey_state_t state = MIKEY_STATE_ESTABLISHED;
    EXPECT(mikey_session_state(s, &state) == MIKEY_OK && state == MIKEY_STATE_IDLE);
    mikey_stream_t stream = {1, 0, 0};
    uint8_t msg[2048];
    size_t len = 0;
    EXPECT(mikey_session_initiate(s, &stream, 1, msg, sizeof msg, &len) == MIKEY_OK);

    mikey_message_t *m = nullptr;
    EXPECT(mikey_message_parse(msg, len, &m, nullptr) == MIKEY_OK);
    mikey_header_info_t h;
    EXPECT(mikey_message_header(m, &h) == MIKEY_OK);
    EXPECT(h.data_type == MIKEY_DATA_TYPE_PRE_SHARED && h.prf_func == MIKEY_PRF_MIKEY_1);
    EXPECT(std::strcmp(mikey_payload_type_str(MIKEY_PAYLOAD_KEMAC), "KEMAC") == 0);
    mikey_message_free(m);
    mikey_session_free(s);
    mikey_config_free(cfg);
    if (failures) return 1;
    std::printf("test_cxx: all checks passed\n");
    return 0;
}
