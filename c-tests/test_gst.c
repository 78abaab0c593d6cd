/* Interoperability with Debian's GStreamer MIKEY code (libgstsdp-1.0, gstmikey.c) in NULL
 * mode, both directions:
 *  A. mikey -> GStreamer: a NULL-mode I_MESSAGE with the key as one TEK (master key || salt,
 *     MIKEY_KEY_TRANSPORT_TEK_CONCATENATED) is parsed by gst_mikey_message_new_from_data and
 *     mapped by gst_mikey_message_to_caps; the CSB ID, SSRC/ROC, srtp-key and the
 *     srtp-/srtcp- cipher and auth strings are compared with what the session exports.
 *  B. GStreamer -> mikey: gst_mikey_message_new_from_caps (+ gst_mikey_message_add_cs_srtp, as
 *     gst-rtsp-server does) + gst_mikey_message_to_bytes is processed by a NULL-mode
 *     responder, whose exported key, SSRC/ROC and profile must match; the message without
 *     crypto session that new_from_caps alone makes is checked for what it does now.
 *  C. A message GStreamer's parser never returns on (IDi) ends in the child's alarm.
 *
 * GStreamer 1.22's parser never returns on some payloads (ID, DH, SIGN, CERT, CHASH, V, ERR,
 * General Extension), so every gst_mikey_message_new_from_data call runs in a forked child
 * with an alarm; its results come back through a pipe, and a hang fails the test.
 *
 * AES-GCM (RFC 7714) both ways: our AEAD_AES_128_GCM / AEAD_AES_256_GCM message maps to
 * "aes-128-gcm" / "aes-256-gcm" with auth "null" and our key || 12-byte salt; GStreamer's
 * message from such caps (SP: Encr alg 6, key length, auth NULL, type 3 = 0, no salt length
 * and no type 20) is read with RFC 7714's defaults (96-bit salt, 16-octet tag).
 *
 * GStreamer reads the SRTP auth *tag* length from SP parameter type 3 ("auth key length",
 * 4 -> hmac-sha1-32, 10 -> hmac-sha1-80) and ignores type 11. This library writes type 3 = 20
 * (the HMAC-SHA-1 key length, RFC 3711) and the tag length in type 11, so GStreamer keeps its
 * default "hmac-sha1-80" for AES_CM_128_HMAC_SHA1_32 too: case A asserts that observed mapping
 * (see GST_MAPS_32_AS in the code). */
#define _POSIX_C_SOURCE 200809L

#include "check.h"

#include <errno.h>
#include <gst/gst.h>
#include <gst/sdp/gstmikey.h>
#include <mikey.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* What GStreamer 1.22 maps our AES_CM_128_HMAC_SHA1_32 offer to (observed: the SP type 3
 * value 20 is not 4 or 10, so its default stays). "hmac-sha1-32" would be the right one. */
#define GST_MAPS_32_AS "hmac-sha1-80"

#define CHILD_TIMEOUT_S 5

/* What the child learnt from GStreamer about one message (plain data: sent through a pipe). */
typedef struct {
    int parsed;  /* gst_mikey_message_new_from_data returned a message */
    int caps_ok; /* gst_mikey_message_to_caps returned TRUE */
    int version, type, v, prf, map_type;
    uint32_t csb_id;
    unsigned n_cs, n_payloads;
    uint8_t policy;
    uint32_t ssrc, roc;
    int has_key;
    size_t key_len;
    uint8_t key[64];
    char srtp_cipher[32], srtp_auth[32], srtcp_cipher[32], srtcp_auth[32];
} gst_view_t;

static void copy_str(char *dst, size_t cap, const GstStructure *s, const char *field) {
    const gchar *v = gst_structure_get_string(s, field);
    snprintf(dst, cap, "%s", v ? v : "(none)");
}

/* Runs in the child: parse, map to caps, describe. */
static void gst_view(const uint8_t *data, size_t len, gst_view_t *out) {
    GError *error = NULL;
    GstMIKEYMessage *msg = gst_mikey_message_new_from_data(data, len, NULL, &error);
    if (error) g_error_free(error);
    if (!msg) return;
    out->parsed = 1;
    out->version = msg->version;
    out->type = msg->type;
    out->v = msg->V;
    out->prf = msg->prf_func;
    out->map_type = msg->map_type;
    out->csb_id = msg->CSB_id;
    out->n_cs = gst_mikey_message_get_n_cs(msg);
    out->n_payloads = gst_mikey_message_get_n_payloads(msg);
    if (out->n_cs > 0) {
        const GstMIKEYMapSRTP *m = gst_mikey_message_get_cs_srtp(msg, 0);
        if (m) {
            out->policy = m->policy;
            out->ssrc = m->ssrc;
            out->roc = m->roc;
        }
    }
    GstCaps *caps = gst_caps_new_empty_simple("application/x-srtp");
    out->caps_ok = gst_mikey_message_to_caps(msg, caps) ? 1 : 0;
    const GstStructure *s = gst_caps_get_structure(caps, 0);
    const GValue *val = gst_structure_get_value(s, "srtp-key");
    if (val && G_VALUE_HOLDS(val, GST_TYPE_BUFFER)) {
        GstBuffer *buf = gst_value_get_buffer(val);
        GstMapInfo map;
        if (buf && gst_buffer_map(buf, &map, GST_MAP_READ)) {
            out->has_key = 1;
            out->key_len = map.size;
            memcpy(out->key, map.data, map.size < sizeof out->key ? map.size : sizeof out->key);
            gst_buffer_unmap(buf, &map);
        }
    }
    copy_str(out->srtp_cipher, sizeof out->srtp_cipher, s, "srtp-cipher");
    copy_str(out->srtp_auth, sizeof out->srtp_auth, s, "srtp-auth");
    copy_str(out->srtcp_cipher, sizeof out->srtcp_cipher, s, "srtcp-cipher");
    copy_str(out->srtcp_auth, sizeof out->srtcp_auth, s, "srtcp-auth");
    gst_caps_unref(caps);
    gst_mikey_message_unref(msg);
}

/* The GStreamer parser runs in a child process forked at the start of main, before any
 * libmikey object exists (so a leak check of the child's copy of the heap, as valgrind does
 * when the child exits, finds nothing of ours). It reads requests (length, bytes) from a pipe
 * and answers each with a gst_view_t; an alarm kills it if one parse does not return. */
static pid_t oracle_pid = -1;
static int oracle_in = -1, oracle_out = -1; /* parent's ends: requests, answers */

static int write_full(int fd, const void *buf, size_t len) {
    const uint8_t *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return 0;
        p += n;
        len -= (size_t)n;
    }
    return 1;
}

static int read_full(int fd, void *buf, size_t len) {
    uint8_t *p = buf;
    while (len > 0) {
        ssize_t n = read(fd, p, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return 0;
        p += n;
        len -= (size_t)n;
    }
    return 1;
}

static void oracle_loop(int in, int out) {
    static uint8_t data[65536];
    size_t len = 0;
    while (read_full(in, &len, sizeof len)) {
        if (len > sizeof data || !read_full(in, data, len)) _exit(3);
        gst_view_t v;
        memset(&v, 0, sizeof v);
        alarm(CHILD_TIMEOUT_S); /* default action of SIGALRM: terminate */
        gst_view(data, len, &v);
        alarm(0);
        if (!write_full(out, &v, sizeof v)) _exit(2);
    }
    _exit(0); /* the parent closed the pipe: done */
}

static int oracle_start(void) {
    int req[2], ans[2];
    if (pipe(req) != 0 || pipe(ans) != 0) {
        perror("pipe");
        return 0;
    }
    fflush(NULL);
    oracle_pid = fork();
    if (oracle_pid < 0) {
        perror("fork");
        return 0;
    }
    if (oracle_pid == 0) {
        close(req[1]);
        close(ans[0]);
        oracle_loop(req[0], ans[1]);
    }
    close(req[0]);
    close(ans[1]);
    oracle_in = req[1];
    oracle_out = ans[0];
    return 1;
}

/* Waits for the child; returns 1 if it exited with status 0. */
static int oracle_stop(void) {
    if (oracle_pid <= 0) return 0;
    close(oracle_in);
    close(oracle_out);
    oracle_in = oracle_out = -1;
    int status = 0;
    while (waitpid(oracle_pid, &status, 0) < 0 && errno == EINTR) {
    }
    oracle_pid = -1;
    if (WIFSIGNALED(status)) {
        fprintf(stderr, "GStreamer parser child killed by signal %d%s\n", WTERMSIG(status),
                WTERMSIG(status) == SIGALRM ? " (the parser did not return: hang)" : "");
        return 0;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "GStreamer parser child failed (wait status %d)\n", status);
        return 0;
    }
    return 1;
}

/* Parses `data` with GStreamer in the child. Returns 1 when the child answered (then *out is
 * filled), 0 when it hung or died (later requests then fail too). */
static int gst_view_in_child(const uint8_t *data, size_t len, gst_view_t *out) {
    memset(out, 0, sizeof *out);
    if (oracle_pid <= 0) return 0;
    if (write_full(oracle_in, &len, sizeof len) && write_full(oracle_in, data, len) &&
        read_full(oracle_out, out, sizeof *out))
        return 1;
    oracle_stop();
    return 0;
}

static mikey_config_t *null_config(const uint32_t *offer) {
    mikey_config_builder_t *b = NULL;
    mikey_config_t *c = NULL;
    CHECK(mikey_config_builder_new(MIKEY_MODE_NULL, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_set_key_transport(b, MIKEY_KEY_TRANSPORT_TEK_CONCATENATED) == MIKEY_OK);
    CHECK(mikey_config_builder_set_request_verification(b, 0) == MIKEY_OK);
    if (offer) CHECK(mikey_config_builder_set_offer(b, offer, 1) == MIKEY_OK);
    CHECK(mikey_config_builder_build(b, &c) == MIKEY_OK);
    return c;
}

/* A. Our NULL-mode I_MESSAGE read by GStreamer. */
static void mikey_to_gst(uint32_t profile, const char *want_cipher, const char *want_auth,
                         size_t key_len, size_t salt_len) {
    const uint32_t ssrc = 0x11223344u, roc = 7;
    mikey_config_t *c = null_config(&profile);
    mikey_session_t *i = NULL;
    mikey_stream_t s = {ssrc, roc, 0};
    uint8_t msg[2048];
    size_t len = 0;
    uint32_t csb = 0;
    mikey_srtp_key_t key;
    memset(&key, 0, sizeof key);
    CHECK(c != NULL);
    CHECK(mikey_session_new(c, MIKEY_ROLE_INITIATOR, &i) == MIKEY_OK);
    CHECK(mikey_session_initiate(i, &s, 1, msg, sizeof msg, &len) == MIKEY_OK);
    CHECK(mikey_session_csb_id(i, &csb) == MIKEY_OK);
    CHECK(mikey_session_srtp_key(i, 0, 0, &key) == MIKEY_OK);
    CHECK(key.key_salt_len == key_len + salt_len && key.master_key_len == key_len);
    CHECK(key.mki_len == 0);

    gst_view_t v;
    int reported = gst_view_in_child(msg, len, &v);
    CHECK(reported);
    if (reported) {
        CHECK(v.parsed);
        CHECK(v.version == 1 && v.type == GST_MIKEY_TYPE_PSK_INIT && v.v == 0);
        CHECK(v.prf == GST_MIKEY_PRF_MIKEY_1 && v.map_type == GST_MIKEY_MAP_TYPE_SRTP);
        CHECK(v.csb_id == csb);
        CHECK(v.n_cs == 1 && v.policy == 0 && v.ssrc == ssrc && v.roc == roc);
        CHECK(v.n_payloads == 4); /* T, RAND, SP, KEMAC */
        CHECK(v.caps_ok);
        CHECK(v.has_key && v.key_len == key.key_salt_len);
        CHECK(v.key_len == key.key_salt_len && memcmp(v.key, key.key_salt, key.key_salt_len) == 0);
        CHECK(strcmp(v.srtp_cipher, want_cipher) == 0);
        CHECK(strcmp(v.srtcp_cipher, want_cipher) == 0);
        CHECK(strcmp(v.srtp_auth, want_auth) == 0);
        CHECK(strcmp(v.srtcp_auth, want_auth) == 0);
        printf("A profile %u: csb %08x ssrc %08x roc %u key %zu bytes -> %s %s / %s %s\n",
               profile, v.csb_id, v.ssrc, v.roc, v.key_len, v.srtp_cipher, v.srtp_auth,
               v.srtcp_cipher, v.srtcp_auth);
    }
    memset(&key, 0, sizeof key);
    mikey_session_free(i);
    mikey_config_free(c);
}

/* B. GStreamer's message made from caps, processed by our NULL-mode responder.
 * gst_mikey_message_new_from_caps ignores a "ssrc" caps field and writes no crypto session
 * (#CS = 0); gst-rtsp-server and rtspsrc then add one per stream with
 * gst_mikey_message_add_cs_srtp (policy 0, SSRC, ROC), which `add_cs` does here.
 * Without it (add_cs 0) this library keys one crypto session with SSRC 0 under the SP's
 * policy, as GStreamer's own gst_mikey_message_to_caps reads such a message (CS0_* below). */
#define CS0_STATUS MIKEY_OK
#define CS0_CRYPTO_SESSIONS 1

static void gst_to_mikey(const char *cipher, const char *auth, size_t key_len,
                         uint32_t want_profile, uint32_t want_tag_len, int add_cs) {
    const uint32_t ssrc = 0x55667788u, roc = 3;
    const int aead = strcmp(auth, "null") == 0;
    uint8_t srtp_key[44];
    CHECK(key_len <= sizeof srtp_key);
    for (size_t k = 0; k < sizeof srtp_key; k++) srtp_key[k] = (uint8_t)(0xA0 + k * 7);
    GstBuffer *buf = gst_buffer_new_memdup(srtp_key, key_len);
    GstCaps *caps = gst_caps_new_simple("application/x-srtp", "srtp-key", GST_TYPE_BUFFER, buf,
                                        "srtp-cipher", G_TYPE_STRING, cipher,
                                        "srtp-auth", G_TYPE_STRING, auth,
                                        "srtcp-cipher", G_TYPE_STRING, cipher,
                                        "srtcp-auth", G_TYPE_STRING, auth,
                                        "ssrc", G_TYPE_UINT, ssrc, NULL);
    gst_buffer_unref(buf);
    GstMIKEYMessage *gmsg = gst_mikey_message_new_from_caps(caps);
    gst_caps_unref(caps);
    CHECK(gmsg != NULL);
    if (!gmsg) return;
    CHECK(gst_mikey_message_get_n_cs(gmsg) == 0); /* "ssrc" is not read */
    if (add_cs) CHECK(gst_mikey_message_add_cs_srtp(gmsg, 0, ssrc, roc));
    GError *error = NULL;
    GBytes *bytes = gst_mikey_message_to_bytes(gmsg, NULL, &error);
    CHECK(bytes != NULL && error == NULL);
    if (error) g_error_free(error);
    uint32_t gst_csb = gmsg->CSB_id;
    gst_mikey_message_unref(gmsg);
    if (!bytes) return;
    gsize len = 0;
    const uint8_t *data = g_bytes_get_data(bytes, &len);

    /* Our parser reads GStreamer's message: HDR, T, RAND, SP, KEMAC; SP type 3 = tag length. */
    mikey_message_t *m = NULL;
    size_t err_off = 0, np = 0;
    mikey_header_info_t h;
    CHECK(mikey_message_parse(data, len, &m, &err_off) == MIKEY_OK);
    CHECK(m != NULL && mikey_message_payload_count(m, &np) == MIKEY_OK && np == 4);
    CHECK(m != NULL && mikey_message_header(m, &h) == MIKEY_OK);
    CHECK(h.data_type == MIKEY_DATA_TYPE_PRE_SHARED && h.v == 0 && h.csb_id == gst_csb && h.cs_count == (add_cs ? 1 : 0));
    for (size_t p = 0; m != NULL && p < np; p++) {
        mikey_payload_info_t info;
        CHECK(mikey_message_payload_info(m, p, &info) == MIKEY_OK);
        if (info.payload_type != 10) continue; /* SP */
        for (size_t q = 0; q < info.item_count; q++) {
            uint8_t type = 0, val[8];
            size_t vlen = 0;
            CHECK(mikey_message_sp_param(m, p, q, &type, val, sizeof val, &vlen) == MIKEY_OK);
            CHECK(type != 11); /* no "SRTP auth tag length" */
            CHECK(type != 20); /* no "AEAD auth tag length": RFC 7714's default 16 */
            CHECK(type != 4);  /* no salt length: the cipher's default */
            /* Type 3: the HMAC tag length (its reading), 0 with AES-GCM's NULL auth. */
            if (type == 3) CHECK(vlen == 1 && val[0] == (aead ? 0 : want_tag_len));
        }
    }
    mikey_message_free(m);

    mikey_config_t *c = null_config(NULL);
    mikey_session_t *r = NULL;
    uint8_t reply[2048];
    size_t reply_len = 99, count = 99;
    uint32_t state = 99, csb = 0;
    CHECK(mikey_session_new(c, MIKEY_ROLE_RESPONDER, &r) == MIKEY_OK);
    mikey_status_t st = mikey_session_process(r, data, len, reply, sizeof reply, &reply_len);
    if (st != MIKEY_OK) fprintf(stderr, "B %s: process: %u %s\n", auth, st, mikey_status_str(st));
    CHECK(mikey_session_crypto_session_count(r, &count) == MIKEY_OK);
    printf("B %s, #CS %d: process status %u, %zu crypto session(s)\n", auth, add_cs ? 1 : 0, st,
           count);
    if (!add_cs) {
        CHECK(st == CS0_STATUS && count == CS0_CRYPTO_SESSIONS);
    } else {
        CHECK(st == MIKEY_OK);
        CHECK(reply_len == 0); /* V = 0: no verification message */
        CHECK(mikey_session_state(r, &state) == MIKEY_OK && state == MIKEY_STATE_ESTABLISHED);
        CHECK(mikey_session_csb_id(r, &csb) == MIKEY_OK && csb == gst_csb);
        CHECK(count == 1);
    }
    if (add_cs && st == MIKEY_OK && count == 1) {
        mikey_crypto_session_info_t info;
        mikey_srtp_key_t key;
        memset(&key, 0, sizeof key);
        CHECK(mikey_session_crypto_session(r, 0, &info) == MIKEY_OK);
        CHECK(info.cs_id == 1 && info.policy_no == 0 && info.ssrc == ssrc && info.roc == roc);
        CHECK(info.profile == want_profile && info.tag_len == want_tag_len);
        CHECK(info.key_count == 1);
        CHECK(mikey_session_srtp_key(r, 0, 0, &key) == MIKEY_OK);
        CHECK(key.key_salt_len == key_len && key.mki_len == 0);
        CHECK(memcmp(key.key_salt, srtp_key, key_len) == 0);
        CHECK(key.lifetime == MIKEY_LIFETIME_UNTIL_REPLACED);
        printf("B %s: cs %u policy %u ssrc %08x roc %u profile %u tag %u\n", auth, info.cs_id,
               info.policy_no, info.ssrc, info.roc, info.profile, info.tag_len);
        memset(&key, 0, sizeof key);
    }
    mikey_session_free(r);
    mikey_config_free(c);
    g_bytes_unref(bytes);
}

/* C. The timeout works: with an IDi payload GStreamer 1.22's parser never returns
 * (payloads_from_bytes does not advance past ID), so the child is killed by its alarm and
 * the request fails instead of hanging the test. Run last: it ends the child. */
static void gst_hang_is_caught(void) {
    mikey_config_builder_t *b = NULL;
    mikey_config_t *c = NULL;
    mikey_session_t *i = NULL;
    mikey_stream_t s = {0x01020304u, 0, 0};
    uint8_t msg[2048];
    size_t len = 0;
    CHECK(mikey_config_builder_new(MIKEY_MODE_NULL, &b) == MIKEY_OK);
    CHECK(mikey_config_builder_set_key_transport(b, MIKEY_KEY_TRANSPORT_TEK_CONCATENATED) == MIKEY_OK);
    CHECK(mikey_config_builder_set_local_identity(b, MIKEY_ID_URI, (const uint8_t *)"sip:a@x", 7) == MIKEY_OK);
    CHECK(mikey_config_builder_build(b, &c) == MIKEY_OK);
    CHECK(mikey_session_new(c, MIKEY_ROLE_INITIATOR, &i) == MIKEY_OK);
    CHECK(mikey_session_initiate(i, &s, 1, msg, sizeof msg, &len) == MIKEY_OK);
    gst_view_t v;
    fprintf(stderr, "expected below: the GStreamer child killed after %d s (ID payload)\n",
            CHILD_TIMEOUT_S);
    CHECK(!gst_view_in_child(msg, len, &v));
    CHECK(oracle_pid == -1); /* reaped */
    mikey_session_free(i);
    mikey_config_free(c);
}

int main(void) {
    /* No plugins are needed: do not scan for them (slow under valgrind). */
    setenv("GST_REGISTRY_UPDATE", "no", 1);
    GError *error = NULL;
    signal(SIGPIPE, SIG_IGN); /* a dead child shows as a failed write, not a dead test */
    if (!gst_init_check(NULL, NULL, &error)) {
        fprintf(stderr, "gst_init_check: %s\n", error ? error->message : "?");
        if (error) g_error_free(error);
        return 1;
    }
    CHECK(oracle_start());

    mikey_to_gst(MIKEY_SRTP_AES128_CM_SHA1_80, "aes-128-icm", "hmac-sha1-80", 16, 14);
    mikey_to_gst(MIKEY_SRTP_AES128_CM_SHA1_32, "aes-128-icm", GST_MAPS_32_AS, 16, 14);
    mikey_to_gst(MIKEY_SRTP_AEAD_AES_128_GCM, "aes-128-gcm", "null", 16, 12);
    mikey_to_gst(MIKEY_SRTP_AEAD_AES_256_GCM, "aes-256-gcm", "null", 32, 12);

    gst_to_mikey("aes-128-icm", "hmac-sha1-80", 30, MIKEY_SRTP_AES128_CM_SHA1_80, 10, 1);
    gst_to_mikey("aes-128-icm", "hmac-sha1-32", 30, MIKEY_SRTP_AES128_CM_SHA1_32, 4, 1);
    gst_to_mikey("aes-128-icm", "hmac-sha1-80", 30, MIKEY_SRTP_AES128_CM_SHA1_80, 10, 0);
    gst_to_mikey("aes-128-icm", "hmac-sha1-32", 30, MIKEY_SRTP_AES128_CM_SHA1_32, 4, 0);
    gst_to_mikey("aes-128-gcm", "null", 28, MIKEY_SRTP_AEAD_AES_128_GCM, 16, 1);
    gst_to_mikey("aes-256-gcm", "null", 44, MIKEY_SRTP_AEAD_AES_256_GCM, 16, 1);

    CHECK(oracle_stop());
    CHECK(oracle_start());
    gst_hang_is_caught();
    gst_deinit();
    return check_report("test_gst");
}
