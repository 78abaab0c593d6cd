/* Loads libmikey.so.0 with dlopen (found through LD_LIBRARY_PATH) and resolves every
 * exported function by name and by version MIKEY_0, as a plugin host would.
 * `test_dlopen --list` prints EXPORTED[]; consumers.sh checks it equals the library's
 * export list, so a new C API function must be appended here. */
#include "check.h"

#include <dlfcn.h>
#include <stdint.h>
#include <string.h>

static const char *const EXPORTED[] = {
    "mikey_version",
    "mikey_abi_version",
    "mikey_status_str",
    "mikey_payload_type_str",
    "mikey_message_parse",
    "mikey_message_parse_text",
    "mikey_message_free",
    "mikey_message_header",
    "mikey_message_srtp_cs",
    "mikey_message_payload_count",
    "mikey_message_payload_info",
    "mikey_message_payload_data",
    "mikey_message_payload_bytes",
    "mikey_message_sp_param",
    "mikey_message_serialize",
    "mikey_message_to_base64",
    "mikey_config_builder_new",
    "mikey_config_builder_free",
    "mikey_config_builder_set_psk",
    "mikey_config_builder_set_local_identity",
    "mikey_config_builder_set_peer_identity",
    "mikey_config_builder_set_send_identities",
    "mikey_config_builder_set_encryption",
    "mikey_config_builder_set_mac",
    "mikey_config_builder_set_prf",
    "mikey_config_builder_set_offer",
    "mikey_config_builder_set_accepted",
    "mikey_config_builder_set_request_verification",
    "mikey_config_builder_set_key_transport",
    "mikey_config_builder_set_mki_len",
    "mikey_config_builder_set_timestamp_type",
    "mikey_config_builder_set_verification_input",
    "mikey_config_builder_set_clock_skew_ms",
    "mikey_config_builder_set_replay_capacity",
    "mikey_config_builder_set_clock",
    "mikey_config_builder_set_monotonic_clock",
    "mikey_config_builder_set_rng",
    "mikey_config_builder_set_log",
    "mikey_config_builder_build",
    "mikey_config_builder_error_detail",
    "mikey_config_free",
    "mikey_config_replay_cache_len",
    "mikey_session_new",
    "mikey_session_resume_initiator",
    "mikey_session_free",
    "mikey_session_error_detail",
    "mikey_session_initiate",
    "mikey_session_rekey",
    "mikey_session_process",
    "mikey_session_state",
    "mikey_session_role",
    "mikey_session_csb_id",
    "mikey_session_crypto_session_count",
    "mikey_session_crypto_session",
    "mikey_session_srtp_key",
    "mikey_config_builder_set_max_message_size",
    "mikey_config_builder_set_trailing_padding",
    "mikey_sdp_media_count",
    "mikey_sdp_media_message",
    "mikey_config_builder_set_private_key",
    "mikey_config_builder_set_certificate_chain",
    "mikey_config_builder_set_trust_anchors",
    "mikey_config_builder_set_peer_certificate",
    "mikey_config_builder_set_send_certificates",
    "mikey_config_builder_set_signature_type",
    "mikey_config_builder_set_envelope_key_cache",
    "mikey_config_builder_set_cert_hash",
    "mikey_config_builder_set_rsa_r_initiator_rand",
    "mikey_config_builder_set_rsa_r_group_member",
    "mikey_config_builder_set_rsa_r_group",
    "mikey_config_builder_set_accept_forked_answers",
    "mikey_session_branch_count",
    "mikey_session_branch_identity",
    "mikey_session_select_branch",
    "mikey_config_builder_set_cert_resolver",
    "mikey_config_builder_set_cert_verifier",
    "mikey_config_builder_set_cert_identity_binder",
    "mikey_session_cached_envelope_key",
    "mikey_session_branch_crypto_session_count",
    "mikey_session_branch_crypto_session",
    "mikey_session_branch_srtp_key",
    "mikey_config_builder_set_dh_group",
    "mikey_recommend_mode",
    "mikey_config_builder_set_ecc_profile",
    "mikey_config_builder_set_ec_private_key",
    "mikey_session_update_keeping_tgk",
    "mikey_config_builder_new_onvif",
    "mikey_session_initiate_offer",
    "mikey_session_process_offer",
    "mikey_sdp_protocol_list",
    "mikey_stream_message_len",
    "mikey_session_add_extension",
    "mikey_session_clear_extensions",
    "mikey_session_peer_extension_count",
    "mikey_session_peer_extension",
    "mikey_key_id_list_build",
    "mikey_key_id_list_entry",
    "mikey_session_set_tesla",
    "mikey_session_peer_tesla",
    "mikey_session_carried_key_count",
    "mikey_session_carried_key",
    "mikey_config_builder_set_counter_store",
    "mikey_config_builder_set_empty_cs_map",
    "mikey_rtsp_set_parameter_body",
    "mikey_rtsp_get_parameter_body",
    "mikey_rtsp_parameter_message",
    "mikey_srtp_profile_from_sp_params",
    "mikey_srtp_profile_sp_params",
};
#define N_EXPORTED (sizeof EXPORTED / sizeof EXPORTED[0])

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        for (size_t i = 0; i < N_EXPORTED; i++) puts(EXPORTED[i]);
        return 0;
    }

    void *lib = dlopen("libmikey.so.0", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        fprintf(stderr, "dlopen: %s\n", dlerror());
        return 1;
    }
    for (size_t i = 0; i < N_EXPORTED; i++) {
        void *sym = dlsym(lib, EXPORTED[i]);
        if (!sym) fprintf(stderr, "dlsym %s: %s\n", EXPORTED[i], dlerror());
        CHECK(sym != NULL);
        CHECK(dlvsym(lib, EXPORTED[i], "MIKEY_0") == sym);
    }

    /* Function pointers through a void * copy: ISO C forbids casting void * to them. */
    uint32_t (*abi)(void) = NULL;
    const char *(*version)(void) = NULL;
    const char *(*status_str)(uint32_t) = NULL;
    void *p = dlsym(lib, "mikey_abi_version");
    if (p) memcpy(&abi, &p, sizeof p);
    p = dlvsym(lib, "mikey_version", "MIKEY_0");
    if (p) memcpy(&version, &p, sizeof p);
    p = dlsym(lib, "mikey_status_str");
    if (p) memcpy(&status_str, &p, sizeof p);
    CHECK(abi != NULL && abi() == 0);
    CHECK(version != NULL && strcmp(version(), MIKEY_EXPECTED_VERSION) == 0);
    CHECK(status_str != NULL && strcmp(status_str(UINT32_MAX), "unknown status") == 0);

    /* Nothing but mikey_* is visible: not Rust's runtime, not the bundled crates. */
    CHECK(dlsym(lib, "rust_begin_unwind") == NULL);
    CHECK(dlsym(lib, "rust_eh_personality") == NULL);
    CHECK(dlvsym(lib, "mikey_version", "MIKEY_1") == NULL);

    CHECK(dlclose(lib) == 0);
    return check_report("test_dlopen");
}
