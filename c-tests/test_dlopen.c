/* Loads libmikey.so.0 with dlopen (found through LD_LIBRARY_PATH) and resolves every
 * exported function by name, as a plugin host would. */
#include "check.h"

#include <dlfcn.h>
#include <stdint.h>
#include <string.h>

static const char *const EXPORTED[] = {
    "mikey_version", "mikey_abi_version", "mikey_status_str", "mikey_payload_type_str",
    "mikey_message_parse", "mikey_message_parse_text", "mikey_message_free",
    "mikey_message_header", "mikey_message_srtp_cs", "mikey_message_payload_count",
    "mikey_message_payload_info", "mikey_message_payload_data", "mikey_message_payload_bytes",
    "mikey_message_sp_param", "mikey_message_serialize", "mikey_message_to_base64",
};

int main(void) {
    void *lib = dlopen("libmikey.so.0", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        fprintf(stderr, "dlopen: %s\n", dlerror());
        return 1;
    }
    for (size_t i = 0; i < sizeof EXPORTED / sizeof EXPORTED[0]; i++) {
        void *sym = dlsym(lib, EXPORTED[i]);
        if (!sym) fprintf(stderr, "missing %s\n", EXPORTED[i]);
        CHECK(sym != NULL);
        CHECK(dlvsym(lib, EXPORTED[i], "MIKEY_0") == sym);
    }
    uint32_t (*abi)(void);
    const char *(*version)(void);
    *(void **)(&abi) = dlsym(lib, "mikey_abi_version");
    *(void **)(&version) = dlsym(lib, "mikey_version");
    CHECK(abi != NULL && abi() == 0);
    CHECK(version != NULL && strcmp(version(), MIKEY_EXPECTED_VERSION) == 0);
    CHECK(dlsym(lib, "rust_begin_unwind") == NULL);
    dlclose(lib);
    return check_report("test_dlopen");
}
