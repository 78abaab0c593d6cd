/* mikey_version, mikey_abi_version, and mikey_status_str for every status mikey.h declares
 * (mikey_statuses.inc is generated from the header by CMake) and for unknown values. */
#include "check.h"

#include <mikey.h>
#include <stdint.h>
#include <string.h>

static const struct {
    uint32_t value;
    const char *name;
} STATUSES[] = {
#define MIKEY_STATUS(name) {name, #name},
#include "mikey_statuses.inc"
#undef MIKEY_STATUS
};
#define N_STATUSES (sizeof STATUSES / sizeof STATUSES[0])

static int is_declared(uint32_t value) {
    for (size_t i = 0; i < N_STATUSES; i++) {
        if (STATUSES[i].value == value) return 1;
    }
    return 0;
}

int main(void) {
    const char *v = mikey_version();
    CHECK(v != NULL);
    CHECK(v != NULL && strcmp(v, MIKEY_EXPECTED_VERSION) == 0);
    CHECK(mikey_abi_version() == 0);
    CHECK(mikey_abi_version() == MIKEY_ABI_VERSION);

    /* The generated list really came from the header: MIKEY_OK and some errors. */
    CHECK(N_STATUSES >= 10);
    CHECK(is_declared(MIKEY_OK) && is_declared(MIKEY_ERR_BASE64));

    for (size_t i = 0; i < N_STATUSES; i++) {
        const char *s = mikey_status_str(STATUSES[i].value);
        if (s == NULL || s[0] == '\0' || strcmp(s, "unknown status") == 0) {
            fprintf(stderr, "%s (%u) has no status string\n", STATUSES[i].name,
                    (unsigned)STATUSES[i].value);
        }
        CHECK(s != NULL && s[0] != '\0');
        CHECK(s != NULL && strcmp(s, "unknown status") != 0);
        for (size_t j = 0; j < i; j++) {
            CHECK(STATUSES[i].value != STATUSES[j].value);
            CHECK(s != NULL && strcmp(s, mikey_status_str(STATUSES[j].value)) != 0);
        }
        /* A static string: the same pointer every time. */
        CHECK(s == mikey_status_str(STATUSES[i].value));
    }

    /* Every value the header does not declare is "unknown status", never NULL. */
    for (uint32_t value = 0; value < 4096; value++) {
        if (is_declared(value)) continue;
        /* MIKEY_ERR_PEER_ERROR(_UNAUTHENTICATED) + Error no. (0..=55): documented ranges. */
        if ((value > MIKEY_ERR_PEER_ERROR && value <= MIKEY_ERR_PEER_ERROR + 55) ||
            (value > MIKEY_ERR_PEER_ERROR_UNAUTHENTICATED &&
             value <= MIKEY_ERR_PEER_ERROR_UNAUTHENTICATED + 55)) {
            const char *s = mikey_status_str(value);
            CHECK(s != NULL && strstr(s, "peer error") != NULL);
            continue;
        }
        const char *s = mikey_status_str(value);
        if (s == NULL || strcmp(s, "unknown status") != 0) {
            fprintf(stderr, "undeclared status %u has string \"%s\"\n", (unsigned)value,
                    s ? s : "(null)");
        }
        CHECK(s != NULL && strcmp(s, "unknown status") == 0);
    }
    const uint32_t unknown[] = {9999, 65535, 65536, 0x7fffffffu, 0x80000000u, UINT32_MAX - 1,
                                UINT32_MAX};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        const char *s = mikey_status_str(unknown[i]);
        CHECK(s != NULL && strcmp(s, "unknown status") == 0);
    }
    /* The peer-error macros: 200+n authenticated, 300+n unauthenticated, n <= 55. */
    for (mikey_status_t s = 0; s < 1000; s++) {
        int auth = s >= MIKEY_ERR_PEER_ERROR && s <= MIKEY_ERR_PEER_ERROR + 55;
        int unauth = s >= MIKEY_ERR_PEER_ERROR_UNAUTHENTICATED &&
                     s <= MIKEY_ERR_PEER_ERROR_UNAUTHENTICATED + 55;
        CHECK((MIKEY_IS_PEER_ERROR(s) ? 1 : 0) == (auth || unauth));
        CHECK((MIKEY_PEER_ERROR_AUTHENTICATED(s) ? 1 : 0) == auth);
        if (auth) CHECK(MIKEY_PEER_ERROR_NO(s) == s - MIKEY_ERR_PEER_ERROR);
        if (unauth) CHECK(MIKEY_PEER_ERROR_NO(s) == s - MIKEY_ERR_PEER_ERROR_UNAUTHENTICATED);
    }
    CHECK(!MIKEY_IS_PEER_ERROR(UINT32_MAX) && !MIKEY_PEER_ERROR_AUTHENTICATED(UINT32_MAX));
    CHECK(MIKEY_PEER_ERROR_NO(MIKEY_ERR_PEER_ERROR + MIKEY_ERRNO_INVALID_SPPAR) ==
          MIKEY_ERRNO_INVALID_SPPAR);
    /* An int argument (a literal) works as well as a mikey_status_t. */
    CHECK(MIKEY_IS_PEER_ERROR(310) && !MIKEY_PEER_ERROR_AUTHENTICATED(310));
    return check_report("test_version");
}
