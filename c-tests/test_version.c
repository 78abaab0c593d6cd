/* mikey_version, mikey_abi_version and mikey_status_str for every status in mikey.h. */
#include "check.h"

#include <mikey.h>
#include <stdint.h>
#include <string.h>

int main(void) {
    CHECK(mikey_version() != NULL);
    CHECK(strcmp(mikey_version(), MIKEY_EXPECTED_VERSION) == 0);
    CHECK(mikey_abi_version() == 0);

    const uint32_t all[] = {
        MIKEY_OK, MIKEY_ERR_NULL_POINTER, MIKEY_ERR_BUFFER_TOO_SMALL, MIKEY_ERR_PANIC,
        MIKEY_ERR_POISONED, MIKEY_ERR_INVALID_ARGUMENT, MIKEY_ERR_INDEX_OUT_OF_RANGE,
        MIKEY_ERR_WRONG_PAYLOAD_TYPE, MIKEY_ERR_PARSE_TRUNCATED, MIKEY_ERR_PARSE_BAD_VERSION,
        MIKEY_ERR_PARSE_UNKNOWN_PAYLOAD, MIKEY_ERR_PARSE_TRAILING_BYTES,
        MIKEY_ERR_PARSE_UNKNOWN_CS_ID_MAP, MIKEY_ERR_PARSE_UNKNOWN_LENGTH_CODEPOINT,
        MIKEY_ERR_PARSE_BAD_LENGTH, MIKEY_ERR_PARSE_MISPLACED_PAYLOAD, MIKEY_ERR_BASE64,
        MIKEY_ERR_KEY_MGMT_SYNTAX, MIKEY_ERR_FIELD_TOO_LONG,
    };
    const size_t n = sizeof all / sizeof all[0];
    for (size_t i = 0; i < n; i++) {
        const char *s = mikey_status_str(all[i]);
        CHECK(s != NULL && s[0] != '\0');
        CHECK(strcmp(s, "unknown status") != 0);
        for (size_t j = 0; j < i; j++) {
            CHECK(strcmp(s, mikey_status_str(all[j])) != 0);
        }
    }
    CHECK(strcmp(mikey_status_str(9999), "unknown status") == 0);
    CHECK(strcmp(mikey_status_str(UINT32_MAX), "unknown status") == 0);
    return check_report("test_version");
}
