/* mikey-endpoint: one end of a MIKEY PSK exchange (RFC 3830 §3.1), or with --key/--cert
 * of a MIKEY-PK one (§3.2: the Initiator signs the I_MESSAGE and encrypts an envelope key
 * to the Responder's certificate), whose keys then protect RTP with libsrtp2, built only
 * on the public C API of libmikey (include/mikey.h).
 *
 * Two transports for the MIKEY messages:
 *  - UDP:  `respond` binds a UDP port (default 2269, the port IANA registered for MIKEY;
 *          an ephemeral one when 2269 is taken and no --port was given) and waits for an
 *          I_MESSAGE; `initiate` sends it (V bit set, so a verification message comes
 *          back) and retransmits it every second until the reply arrives. RTP then flows
 *          over the same socket pair: a MIKEY message starts with its version byte, 1,
 *          an RTP packet with the bits 10 (version 2), so the first byte tells them apart.
 *  - SDP:  `offer` writes an SDP offer with `a=key-mgmt:mikey <I_MESSAGE>` (RFC 4567) and
 *          its RTP port, then waits for the answer file; `answer` reads the offer and
 *          writes an answer carrying the verification message (or, when it refuses the
 *          offer, the Error message and a rejected media line, port 0). Files are written
 *          under a temporary name and renamed into place, so a file that exists is whole.
 *
 * Crypto session i (0-based) is sent by the Initiator when i is even and by the
 * Responder when i is odd, so with two or more streams RTP flows both ways. The
 * Initiator chooses every SSRC (RFC 3830 §6.1.1). The Responder starts sending once the
 * first packet from the Initiator has been unprotected: it then knows that the Initiator
 * holds the keys, and no RTP can overtake the verification message.
 *
 * Only RTP is sent (no RTCP), so the SRTCP MKI lookup bug of libsrtp < 2.7.0
 * (cisco/libsrtp#733, worked around in c-tests/test_srtp.c) does not arise.
 *
 * Over UDP only an authenticated message ends a wait (RFC 3830 §5.1.2): the Initiator
 * logs and ignores anything else (junk, an unauthenticated Error message, a reply that
 * does not verify) and goes on retransmitting; the Responder answers a refused I_MESSAGE
 * with its Error message and goes on waiting, unless the I_MESSAGE was authenticated.
 * --spoof sends such forged datagrams first, to show it.
 *
 * Exit status: 0 success; 1 the key exchange failed (refused by either side, the status
 * named by mikey_status_str); 2 usage; 3 RTP/SRTP failed (a packet refused by libsrtp, a
 * payload mismatch, no RTP in time); 4 transport or system error (socket, file, no valid
 * MIKEY message in time, the final message naming the last one ignored). */
#define _DEFAULT_SOURCE /* POSIX sockets, getrandom, explicit_bzero under -std=c11 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <nss.h>
#include <sechash.h>
#include <srtp2/srtp.h>

/* Last: mikey.h defines one-letter macros (D, E, ..., O) that would break later headers. */
#include <mikey.h>

enum { EXIT_KEYS = 1, EXIT_USAGE = 2, EXIT_MEDIA = 3, EXIT_IO = 4 };
enum { MODE_RESPOND, MODE_INITIATE, MODE_OFFER, MODE_ANSWER };

#define DEFAULT_PORT 2269 /* IANA: mikey, UDP */
#define MAX_STREAMS 16
#define MAX_PSK 256
/* A PSK message fits in 2048 bytes; a PK I_MESSAGE carries the Initiator's certificate
 * chain, a SIGN and a PKE (1525 bytes with one RSA-2048 certificate). 16 KB leaves room
 * for a chain of several certificates; a larger one is refused with
 * MIKEY_ERR_BUFFER_TOO_SMALL. */
#define MSG_CAP 16384
#define B64_CAP (4 * (MSG_CAP / 3) + 8)
#define SDP_CAP (B64_CAP + 4096)
#define MAX_CREDENTIAL_FILE (1024 * 1024)
#define RTP_HDR 12
#define RTP_PAYLOAD 160 /* 20 ms of PCMU */
#define RTP_LEN (RTP_HDR + RTP_PAYLOAD)
#define RTP_PT 0
#define RTP_INTERVAL_MS 20
#define RETRANSMIT_MS 1000
#define FILE_POLL_MS 20

typedef struct {
    int mode;
    uint8_t psk[MAX_PSK];
    size_t psk_len;
    int pk;                     /* MIKEY-PK (--key ...) instead of PSK */
    const char *key_path;       /* --key: this endpoint's RSA private key */
    const char *cert_path;      /* --cert: its certificate (chain), sent in CERT payloads */
    const char *ca_path;        /* --ca: trust anchors for the peer's chain */
    const char *peer_cert_path; /* --peer-cert: the peer's certificate, pinned */
    const char *id;             /* --id: this endpoint's identity (URI) */
    const char *peer_id;        /* --peer-id: the peer's expected identity (URI) */
    const char *host;
    unsigned port;
    int port_given;
    const char *port_file;
    unsigned packets;
    mikey_srtp_profile_t profile;
    int profile_given;
    unsigned streams;
    unsigned mki;
    const char *offer_path;
    const char *answer_path;
    unsigned timeout_s;
    unsigned tamper; /* 1-based number of the sent packet to corrupt after protection; 0 none */
    unsigned lose_replies; /* respond: MIKEY replies not sent, as if lost on the way */
    unsigned spoof;        /* SPOOF_* kinds of forged datagrams to send the peer first */
} opts_t;

/* --spoof: datagrams an attacker could send, sent before the real message so that the
 * peer must ignore them (RFC 3830 §5.1.2). The Responder sends them to the Initiator from
 * its own address, the Initiator to the Responder from another port. */
enum {
    SPOOF_JUNK = 1,      /* garbage starting with the MIKEY version byte, 1 */
    SPOOF_TRUNCATED = 2, /* the first half of the real message */
    SPOOF_ERROR = 4,     /* respond: an unauthenticated Error message for the Initiator's CSB */
    SPOOF_FORGED = 8,    /* initiate: an I_MESSAGE made with another PSK */
    SPOOF_TAMPERED = 16, /* the real message with its last byte (in its MAC or SIGN) flipped */
};

typedef struct {
    uint32_t ssrc;
    uint32_t roc;
    int tx;            /* this endpoint sends the stream */
    uint16_t next_seq; /* sender: next sequence number */
    uint32_t ts;       /* sender: next RTP timestamp */
    unsigned sent, received, refused;
} stream_t;

/* The bytes of a credential file (PEM or DER), handed to the library as they are. */
typedef struct {
    uint8_t *data;
    size_t len;
} blob_t;

typedef struct {
    opts_t o;
    blob_t key, cert, ca, peer_cert; /* PK credentials read from their files */
    int initiator; /* MIKEY role */
    int sock;
    mikey_config_t *cfg;
    mikey_session_t *session;
    srtp_t tx, rx;
    int use_mki;
    NSSInitContext *nss;
    stream_t st[MAX_STREAMS];
    size_t n;
    uint8_t imsg[MSG_CAP]; /* the I_MESSAGE sent or received */
    size_t ilen;
    uint8_t reply[MSG_CAP]; /* the Responder's reply to the I_MESSAGE it accepted */
    size_t rlen;
    unsigned sent_total;
    unsigned unexpected;
} endpoint_t;

static const char *g_role = "endpoint";
static const char *g_peer = "peer";

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void complain(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void say(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    printf("[%s] ", g_role);
    vprintf(fmt, ap);
    putchar('\n');
    va_end(ap);
}

static void complain(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fflush(stdout);
    fprintf(stderr, "[%s] error: ", g_role);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static int64_t now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void sleep_ms(int ms) {
    struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) != 0 && errno == EINTR) {
    }
}

static int random_bytes(void *buf, size_t len) {
    uint8_t *p = buf;
    while (len > 0) {
        ssize_t got = getrandom(p, len, 0);
        if (got < 0) {
            if (errno == EINTR) continue;
            complain("getrandom: %s", strerror(errno));
            return -1;
        }
        p += got;
        len -= (size_t)got;
    }
    return 0;
}

/* --- MIKEY helpers -------------------------------------------------------------------- */

/* An authenticated Error message from the peer (mikey.h: 200..=255). */
static int is_authenticated_peer_error(mikey_status_t st) {
    return MIKEY_PEER_ERROR_AUTHENTICATED(st);
}

/* An unauthenticated Error message (mikey.h: 300..=355): a hint only (RFC 3830 §5.1.2). */
static int is_unauthenticated_peer_error(mikey_status_t st) {
    return MIKEY_IS_PEER_ERROR(st) && !MIKEY_PEER_ERROR_AUTHENTICATED(st);
}

/* A failure of this endpoint or of the library (statuses below the parse errors, and the
 * random number generator), not something a received datagram could cause. */
static int is_local_failure(mikey_status_t st) {
    return (st != MIKEY_OK && st < MIKEY_ERR_PARSE_TRUNCATED) || st == MIKEY_ERR_RNG;
}

static const char *profile_name(mikey_srtp_profile_t profile) {
    switch (profile) {
    case MIKEY_SRTP_AES128_CM_SHA1_80: return "AES_CM_128_HMAC_SHA1_80";
    case MIKEY_SRTP_AES128_CM_SHA1_32: return "AES_CM_128_HMAC_SHA1_32";
    case MIKEY_SRTP_NULL_SHA1_80: return "NULL_HMAC_SHA1_80";
    case MIKEY_SRTP_NULL_SHA1_32: return "NULL_HMAC_SHA1_32";
    case MIKEY_SRTP_AES256_CM_SHA1_80: return "AES_256_CM_HMAC_SHA1_80";
    case MIKEY_SRTP_AES256_CM_SHA1_32: return "AES_256_CM_HMAC_SHA1_32";
    case MIKEY_SRTP_AEAD_AES_128_GCM: return "AEAD_AES_128_GCM";
    case MIKEY_SRTP_AEAD_AES_256_GCM: return "AEAD_AES_256_GCM";
    default: return "unknown profile";
    }
}

static const char *data_type_name(unsigned t) {
    switch (t) { /* RFC 3830 Table 6.1.a */
    case MIKEY_DATA_TYPE_PRE_SHARED: return "I_MESSAGE (PSK)";
    case MIKEY_DATA_TYPE_PSK_VERIFICATION: return "verification message (PSK)";
    case MIKEY_DATA_TYPE_PUBLIC_KEY: return "I_MESSAGE (PK)";
    case MIKEY_DATA_TYPE_PK_VERIFICATION: return "verification message (PK)";
    case MIKEY_DATA_TYPE_ERROR: return "Error message";
    default: return "MIKEY message (other data type)";
    }
}

/* One line naming a MIKEY message: type, size, V, CSB ID, #CS and its payloads. */
static void describe_message(const char *verb, const uint8_t *bytes, size_t len) {
    mikey_message_t *m = NULL;
    size_t bad = 0;
    mikey_status_t st = mikey_message_parse(bytes, len, &m, &bad);
    if (st != MIKEY_OK) {
        say("%s a %zu-byte datagram that is no MIKEY message: %s at byte %zu", verb, len,
            mikey_status_str(st), bad);
        return;
    }
    mikey_header_info_t h;
    size_t count = 0;
    char list[512] = "HDR";
    size_t used = strlen(list);
    if (mikey_message_header(m, &h) == MIKEY_OK && mikey_message_payload_count(m, &count) == MIKEY_OK) {
        for (size_t i = 0; i < count; i++) {
            mikey_payload_info_t info;
            if (mikey_message_payload_info(m, i, &info) != MIKEY_OK) break;
            int w = info.payload_type == MIKEY_PAYLOAD_ERROR
                        ? snprintf(list + used, sizeof list - used, " ERR(Error no. %u)", info.code)
                        : snprintf(list + used, sizeof list - used, " %s",
                                   mikey_payload_type_str(info.payload_type));
            if (w < 0 || (size_t)w >= sizeof list - used) break;
            used += (size_t)w;
        }
        say("%s %s, %zu bytes: CSB ID 0x%08x, %u crypto session(s)%s; payloads %s", verb,
            data_type_name(h.data_type), len, h.csb_id, h.cs_count,
            h.v ? ", verification requested (V)" : "", list);
    }
    mikey_message_free(m);
}

/* Whether a MIKEY message carries a V payload (RFC 3830 Table 6.1.b: 9), i.e. whether an
 * Error message this endpoint built is authenticated: the library adds one only when the
 * refused message itself was authenticated (its MAC verified). */
static int has_v_payload(const uint8_t *bytes, size_t len) {
    mikey_message_t *m = NULL;
    size_t bad = 0, count = 0;
    int found = 0;
    if (mikey_message_parse(bytes, len, &m, &bad) == MIKEY_OK && mikey_message_payload_count(m, &count) == MIKEY_OK) {
        for (size_t i = 0; i < count && !found; i++) {
            mikey_payload_info_t info;
            found = mikey_message_payload_info(m, i, &info) == MIKEY_OK && info.payload_type == MIKEY_PAYLOAD_VERIFICATION;
        }
    }
    mikey_message_free(m);
    return found;
}

/* Standard base64 of a MIKEY message (parsed first: only well-formed messages go out). */
static int message_base64(const uint8_t *bytes, size_t len, char *out, size_t cap) {
    mikey_message_t *m = NULL;
    size_t bad = 0, b64_len = 0;
    mikey_status_t st = mikey_message_parse(bytes, len, &m, &bad);
    if (st == MIKEY_OK) st = mikey_message_to_base64(m, out, cap, &b64_len);
    mikey_message_free(m);
    if (st != MIKEY_OK) {
        complain("cannot encode the MIKEY message as base64: %s", mikey_status_str(st));
        return -1;
    }
    return 0;
}

/* The bytes of the MIKEY message in an `a=key-mgmt:mikey ...` line; on failure the status,
 * named with the byte offset of a parse error. */
static mikey_status_t key_mgmt_bytes(const char *what, const char *line, uint8_t *out, size_t cap, size_t *len) {
    mikey_message_t *m = NULL;
    size_t bad = 0;
    mikey_status_t st = mikey_message_parse_text(line, strlen(line), &m, &bad);
    if (st >= MIKEY_ERR_PARSE_TRUNCATED && st <= MIKEY_ERR_PARSE_MISPLACED_PAYLOAD)
        complain("%s a=key-mgmt line: %s at byte %zu of the message", what, mikey_status_str(st), bad);
    else if (st == MIKEY_OK && (st = mikey_message_serialize(m, out, cap, len)) != MIKEY_OK)
        complain("%s a=key-mgmt message: %s", what, mikey_status_str(st));
    else if (st != MIKEY_OK)
        complain("%s a=key-mgmt line: %s", what, mikey_status_str(st));
    mikey_message_free(m);
    return st;
}

/* Reads a whole credential file (at most MAX_CREDENTIAL_FILE bytes) into `out`. */
static int read_file(const char *opt, const char *path, blob_t *out) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        complain("%s %s: %s", opt, path, strerror(errno));
        return EXIT_IO;
    }
    out->data = malloc(MAX_CREDENTIAL_FILE + 1);
    out->len = out->data ? fread(out->data, 1, MAX_CREDENTIAL_FILE + 1, f) : 0;
    int err = out->data == NULL || ferror(f);
    fclose(f);
    if (err || out->len == 0 || out->len > MAX_CREDENTIAL_FILE) {
        complain("%s %s: %s", opt, path,
                 out->data == NULL ? "out of memory"
                 : err             ? "read error"
                 : out->len == 0   ? "empty file"
                                   : "larger than 1 MiB");
        return EXIT_IO;
    }
    return 0;
}

/* PK mode: the credential files named on the command line, read once. */
static int load_credentials(endpoint_t *ep) {
    const opts_t *o = &ep->o;
    int rc = read_file("--key", o->key_path, &ep->key);
    if (rc == 0) rc = read_file("--cert", o->cert_path, &ep->cert);
    if (rc == 0 && o->ca_path) rc = read_file("--ca", o->ca_path, &ep->ca);
    if (rc == 0 && o->peer_cert_path) rc = read_file("--peer-cert", o->peer_cert_path, &ep->peer_cert);
    return rc;
}

static void free_blob(blob_t *b, int secret) {
    if (b->data && secret) explicit_bzero(b->data, b->len);
    free(b->data);
    b->data = NULL;
    b->len = 0;
}

static mikey_status_t set_uri(mikey_config_builder_t *b, int local, const char *uri) {
    const uint8_t *id = (const uint8_t *)uri;
    return local ? mikey_config_builder_set_local_identity(b, MIKEY_ID_URI, id, strlen(uri))
                 : mikey_config_builder_set_peer_identity(b, MIKEY_ID_URI, id, strlen(uri));
}

/* The credentials of this endpoint's mode: the PSK `psk`, or the PK files (RFC 3830 §3.2);
 * `*what` names the option a refusal is about, `*path` its file. */
static mikey_status_t set_credentials(const endpoint_t *ep, mikey_config_builder_t *b, const uint8_t *psk,
                                      const char **what, const char **path) {
    const opts_t *o = &ep->o;
    if (!o->pk) {
        *what = "--psk";
        return mikey_config_builder_set_psk(b, psk, o->psk_len);
    }
    *what = "--key";
    *path = o->key_path;
    mikey_status_t st = mikey_config_builder_set_private_key(b, ep->key.data, ep->key.len);
    if (st == MIKEY_OK) {
        *what = "--cert";
        *path = o->cert_path;
        st = mikey_config_builder_set_certificate_chain(b, ep->cert.data, ep->cert.len);
    }
    if (st == MIKEY_OK && ep->ca.data) {
        *what = "--ca";
        *path = o->ca_path;
        st = mikey_config_builder_set_trust_anchors(b, ep->ca.data, ep->ca.len);
    }
    if (st == MIKEY_OK && ep->peer_cert.data) {
        *what = "--peer-cert";
        *path = o->peer_cert_path;
        st = mikey_config_builder_set_peer_certificate(b, ep->peer_cert.data, ep->peer_cert.len);
    }
    return st;
}

/* A session of this endpoint's role and options, keyed with `psk` (PSK mode) or with the
 * PK credentials. */
static int new_session(const endpoint_t *ep, const uint8_t *psk, mikey_config_t **cfg, mikey_session_t **session) {
    const opts_t *o = &ep->o;
    mikey_config_builder_t *b = NULL;
    const char *what = "configuration", *path = "";
    mikey_status_t st = mikey_config_builder_new(o->pk ? MIKEY_MODE_PK : MIKEY_MODE_PSK, &b);
    if (st == MIKEY_OK) st = set_credentials(ep, b, psk, &what, &path);
    if (st == MIKEY_OK && o->id) {
        what = "--id";
        st = set_uri(b, 1, o->id);
    }
    if (st == MIKEY_OK && o->peer_id) {
        what = "--peer-id";
        st = set_uri(b, 0, o->peer_id);
    }
    if (st != MIKEY_OK && b != NULL) {
        const char *detail = mikey_config_builder_error_detail(b);
        complain("%s%s%s: %s%s%s", what, path[0] ? " " : "", path, mikey_status_str(st), detail[0] ? ": " : "",
                 detail);
        mikey_config_builder_free(b);
        return EXIT_KEYS;
    }
    if (st == MIKEY_OK && ep->initiator) st = mikey_config_builder_set_offer(b, &o->profile, 1);
    if (st == MIKEY_OK && ep->initiator) st = mikey_config_builder_set_mki_len(b, o->mki);
    /* The Responder accepts the library's default (the AES-CM and AES-GCM profiles) unless a
     * profile was given, which it then insists on. */
    if (st == MIKEY_OK && !ep->initiator && o->profile_given)
        st = mikey_config_builder_set_accepted(b, &o->profile, 1);
    if (st != MIKEY_OK) {
        mikey_config_builder_free(b);
        complain("configuration: %s", mikey_status_str(st));
        return EXIT_KEYS;
    }
    st = mikey_config_builder_build(b, cfg); /* frees b on success */
    if (st != MIKEY_OK) {
        complain("configuration: %s (%s)", mikey_status_str(st), mikey_config_builder_error_detail(b));
        mikey_config_builder_free(b);
        return EXIT_KEYS;
    }
    st = mikey_session_new(*cfg, ep->initiator ? MIKEY_ROLE_INITIATOR : MIKEY_ROLE_RESPONDER, session);
    if (st != MIKEY_OK) {
        complain("configuration: %s", mikey_status_str(st));
        return EXIT_KEYS;
    }
    return 0;
}

static int make_session(endpoint_t *ep) {
    return new_session(ep, ep->o.psk, &ep->cfg, &ep->session);
}

/* --spoof: a session like this endpoint's under another PSK (every PSK byte inverted), as
 * an attacker without the PSK would have. */
static int impostor_session(const endpoint_t *ep, mikey_config_t **cfg, mikey_session_t **session) {
    uint8_t other[MAX_PSK];
    for (size_t i = 0; i < ep->o.psk_len; i++) other[i] = (uint8_t)~ep->o.psk[i];
    int rc = new_session(ep, other, cfg, session);
    explicit_bzero(other, sizeof other);
    return rc;
}

/* Initiator: fresh random SSRCs (distinct, non-zero), ROC 0, offer policy 0. */
static int initiate(endpoint_t *ep) {
    mikey_stream_t streams[MAX_STREAMS];
    uint32_t ssrc[MAX_STREAMS];
    size_t n = ep->o.streams;
    for (size_t i = 0; i < n; i++) {
        int fresh;
        do {
            if (random_bytes(&ssrc[i], sizeof ssrc[i]) != 0) return EXIT_IO;
            fresh = ssrc[i] != 0;
            for (size_t j = 0; j < i; j++) fresh &= ssrc[j] != ssrc[i];
        } while (!fresh);
        streams[i].ssrc = ssrc[i];
        streams[i].roc = 0;
        streams[i].policy_no = 0;
    }
    mikey_status_t st = mikey_session_initiate(ep->session, streams, n, ep->imsg, sizeof ep->imsg, &ep->ilen);
    if (st != MIKEY_OK) {
        complain("mikey_session_initiate: %s", mikey_status_str(st));
        return EXIT_KEYS;
    }
    return 0;
}

/* First 4 bytes of SHA-256(master key ‖ salt): enough to see that both ends hold the same
 * key, nothing an eavesdropper could use. */
static void key_fingerprint(const uint8_t *key, size_t len, char out[9]) {
    unsigned char h[32];
    if (HASH_HashBuf(HASH_AlgSHA256, h, key, (PRUint32)len) != SECSuccess) {
        snprintf(out, 9, "%s", "(n/a)");
        return;
    }
    snprintf(out, 9, "%02x%02x%02x%02x", h[0], h[1], h[2], h[3]);
    explicit_bzero(h, sizeof h);
}

/* Prints the CSB and every crypto session's SRTP export; fills ep->st. */
static int load_keys(endpoint_t *ep) {
    uint32_t state = 0, csb = 0;
    size_t n = 0;
    mikey_status_t st = mikey_session_state(ep->session, &state);
    if (st == MIKEY_OK) st = mikey_session_csb_id(ep->session, &csb);
    if (st == MIKEY_OK) st = mikey_session_crypto_session_count(ep->session, &n);
    if (st != MIKEY_OK || state != MIKEY_STATE_ESTABLISHED) {
        complain("session not established: %s (state %u)", mikey_status_str(st), state);
        return EXIT_KEYS;
    }
    if (n == 0 || n > MAX_STREAMS) {
        complain("%zu crypto sessions (this endpoint handles 1 to %d)", n, MAX_STREAMS);
        return EXIT_KEYS;
    }
    say("keys established: CSB ID 0x%08x, %zu crypto session(s)", csb, n);
    ep->n = n;
    ep->use_mki = -1;
    for (size_t i = 0; i < n; i++) {
        mikey_crypto_session_info_t cs;
        mikey_srtp_key_t k;
        st = mikey_session_crypto_session(ep->session, i, &cs);
        if (st == MIKEY_OK) st = mikey_session_srtp_key(ep->session, i, 0, &k);
        if (st != MIKEY_OK) {
            complain("crypto session %zu: %s", i + 1, mikey_status_str(st));
            return EXIT_KEYS;
        }
        stream_t *s = &ep->st[i];
        memset(s, 0, sizeof *s);
        s->ssrc = cs.ssrc;
        s->roc = cs.roc;
        s->tx = ((i % 2) == 0) == (ep->initiator != 0);
        if (random_bytes(&s->next_seq, sizeof s->next_seq) != 0 ||
            random_bytes(&s->ts, sizeof s->ts) != 0)
            return EXIT_IO;
        char fp[9], mki[16] = "none"; /* the MKI is public: it travels in every packet */
        key_fingerprint(k.key_salt, k.key_salt_len, fp);
        if (k.mki_len > 0) {
            snprintf(mki, sizeof mki, "0x");
            for (size_t j = 0; j < k.mki_len && j < 4; j++) snprintf(mki + 2 + 2 * j, 3, "%02x", k.mki[j]);
        }
        say("  CS %u: SSRC 0x%08x (%s sends), ROC %u, %s (tag %u bytes), master key %zu + salt %zu "
            "bytes, MKI %s, %s, key fingerprint %s",
            cs.cs_id, cs.ssrc, s->tx ? g_role : g_peer, cs.roc, profile_name(cs.profile), cs.tag_len,
            k.master_key_len, k.key_salt_len - k.master_key_len, mki,
            k.lifetime == MIKEY_LIFETIME_UNTIL_REPLACED ? "valid until replaced" : "valid for an index range",
            fp);
        int with_mki = k.mki_len > 0;
        explicit_bzero(&k, sizeof k);
        if (ep->use_mki >= 0 && ep->use_mki != with_mki) {
            complain("crypto sessions disagree on the MKI");
            return EXIT_KEYS;
        }
        ep->use_mki = with_mki;
    }
    say("  (key fingerprint: first 4 bytes of SHA-256(master key || salt); both ends print the same)");
    return 0;
}

/* --- SRTP ----------------------------------------------------------------------------- */

static const char *srtp_status_name(srtp_err_status_t st) {
    switch (st) {
    case srtp_err_status_ok: return "ok";
    case srtp_err_status_bad_param: return "bad_param";
    case srtp_err_status_auth_fail: return "auth_fail (authentication tag does not verify)";
    case srtp_err_status_replay_fail: return "replay_fail (packet already received)";
    case srtp_err_status_replay_old: return "replay_old (packet too old)";
    case srtp_err_status_no_ctx: return "no_ctx (no stream for this SSRC)";
    case srtp_err_status_bad_mki: return "bad_mki (unknown MKI)";
    case srtp_err_status_key_expired: return "key_expired";
    case srtp_err_status_parse_err: return "parse_err";
    default: return "libsrtp error";
    }
}

/* One libsrtp session holding the streams of one direction (`tx` 1: the ones this endpoint
 * sends), each keyed with its crypto session's exported key, MKI and ROC. */
static int srtp_open(endpoint_t *ep, int tx, srtp_t *out) {
    srtp_policy_t pol[MAX_STREAMS];
    uint8_t keys[MAX_STREAMS][MIKEY_MAX_KEY_SALT_LEN];
    uint8_t mkis[MAX_STREAMS][MIKEY_MAX_MKI_LEN];
    srtp_master_key_t mk[MAX_STREAMS];
    srtp_master_key_t *mkp[MAX_STREAMS];
    size_t m = 0;
    int rc = 0;
    for (size_t i = 0; i < ep->n && rc == 0; i++) {
        if (ep->st[i].tx != tx) continue;
        mikey_crypto_session_info_t cs;
        mikey_srtp_key_t k;
        mikey_status_t st = mikey_session_crypto_session(ep->session, i, &cs);
        if (st == MIKEY_OK) st = mikey_session_srtp_key(ep->session, i, 0, &k);
        if (st != MIKEY_OK) {
            complain("crypto session %zu: %s", i + 1, mikey_status_str(st));
            rc = EXIT_KEYS;
            break;
        }
        srtp_policy_t *p = &pol[m];
        memset(p, 0, sizeof *p);
        srtp_profile_t profile = (srtp_profile_t)cs.profile; /* libsrtp's numbers (mikey.h) */
        if (srtp_crypto_policy_set_from_profile_for_rtp(&p->rtp, profile) != srtp_err_status_ok ||
            srtp_crypto_policy_set_from_profile_for_rtcp(&p->rtcp, profile) != srtp_err_status_ok ||
            k.key_salt_len != srtp_profile_get_master_key_length(profile) +
                                  srtp_profile_get_master_salt_length(profile)) {
            complain("libsrtp has no profile %s with a %zu-byte key and salt", profile_name(cs.profile),
                     k.key_salt_len);
            rc = EXIT_MEDIA;
        }
        memcpy(keys[m], k.key_salt, sizeof keys[m]);
        memcpy(mkis[m], k.mki, k.mki_len);
        p->ssrc.type = ssrc_specific;
        p->ssrc.value = cs.ssrc;
        p->window_size = 128;
        if (k.mki_len > 0) {
            mk[m].key = keys[m];
            mk[m].mki_id = mkis[m];
            mk[m].mki_size = (unsigned)k.mki_len;
            mkp[m] = &mk[m];
            p->keys = &mkp[m];
            p->num_master_keys = 1;
        } else {
            p->key = keys[m];
        }
        if (m > 0) pol[m - 1].next = p;
        explicit_bzero(&k, sizeof k);
        m++;
    }
    if (rc == 0) {
        srtp_err_status_t st = srtp_create(out, m > 0 ? &pol[0] : NULL);
        if (st != srtp_err_status_ok) {
            complain("srtp_create: %s", srtp_status_name(st));
            *out = NULL;
            rc = EXIT_MEDIA;
        }
    }
    explicit_bzero(keys, sizeof keys);
    for (size_t i = 0; i < ep->n && rc == 0; i++) {
        if (ep->st[i].tx != tx) continue;
        srtp_err_status_t st = srtp_set_stream_roc(*out, ep->st[i].ssrc, ep->st[i].roc);
        if (st != srtp_err_status_ok) {
            complain("srtp_set_stream_roc: %s", srtp_status_name(st));
            rc = EXIT_MEDIA;
        }
    }
    return rc;
}

/* --- RTP -------------------------------------------------------------------------------- */

typedef union { /* libsrtp wants 32-bit aligned packets */
    uint32_t align;
    uint8_t b[MSG_CAP + SRTP_MAX_TRAILER_LEN];
} packet_t;

static uint32_t get32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* The payload is a function of SSRC and sequence number, so the receiver can check it. */
static void rtp_payload(uint8_t *p, uint32_t ssrc, uint16_t seq) {
    for (size_t i = 0; i < RTP_PAYLOAD; i++)
        p[i] = (uint8_t)((ssrc >> (8 * (i % 4))) ^ (seq * 31u) ^ (i * 7u));
}

static int send_rtp(endpoint_t *ep, stream_t *s) {
    packet_t pkt;
    uint16_t seq = s->next_seq;
    pkt.b[0] = 0x80; /* V=2 */
    pkt.b[1] = RTP_PT;
    pkt.b[2] = (uint8_t)(seq >> 8);
    pkt.b[3] = (uint8_t)seq;
    put32(pkt.b + 4, s->ts);
    put32(pkt.b + 8, s->ssrc);
    rtp_payload(pkt.b + RTP_HDR, s->ssrc, seq);
    int len = RTP_LEN;
    srtp_err_status_t st = ep->use_mki ? srtp_protect_mki(ep->tx, pkt.b, &len, 1, 0)
                                       : srtp_protect(ep->tx, pkt.b, &len);
    if (st != srtp_err_status_ok) {
        complain("srtp_protect (SSRC 0x%08x seq %u): %s", s->ssrc, (unsigned)seq, srtp_status_name(st));
        return EXIT_MEDIA;
    }
    ep->sent_total++;
    int tampered = ep->o.tamper == ep->sent_total;
    if (tampered) pkt.b[RTP_HDR + 5] ^= 0x01;
    if (send(ep->sock, pkt.b, (size_t)len, 0) != (ssize_t)len) {
        complain("send: %s%s", strerror(errno),
                 errno == ECONNREFUSED ? " (the peer has stopped listening)" : "");
        return EXIT_MEDIA;
    }
    say("-> RTP SSRC 0x%08x seq %5u: protected %d -> %d bytes%s", s->ssrc, (unsigned)seq, RTP_LEN, len,
        tampered ? ", then one payload bit flipped (--tamper)" : "");
    s->sent++;
    s->next_seq++;
    s->ts += RTP_PAYLOAD;
    return 0;
}

/* Handles one received SRTP packet; returns 1 if it was accepted. */
static int receive_rtp(endpoint_t *ep, uint8_t *b, int len) {
    uint32_t ssrc = get32(b + 8);
    uint16_t seq = (uint16_t)(b[2] << 8 | b[3]);
    stream_t *s = NULL;
    for (size_t i = 0; i < ep->n; i++)
        if (!ep->st[i].tx && ep->st[i].ssrc == ssrc) s = &ep->st[i];
    if (s == NULL) {
        say("<- RTP SSRC 0x%08x seq %5u: %d bytes on an SSRC no crypto session receives; dropped",
            ssrc, (unsigned)seq, len);
        ep->unexpected++;
        return 0;
    }
    uint8_t plain[RTP_PAYLOAD];
    rtp_payload(plain, ssrc, seq);
    int in_clear = len >= RTP_LEN && memcmp(b + RTP_HDR, plain, RTP_PAYLOAD) == 0;
    int wire_len = len;
    srtp_err_status_t st = ep->use_mki ? srtp_unprotect_mki(ep->rx, b, &len, 1) : srtp_unprotect(ep->rx, b, &len);
    if (st != srtp_err_status_ok) {
        say("<- RTP SSRC 0x%08x seq %5u: %d bytes REFUSED by srtp_unprotect: %s", ssrc, (unsigned)seq, wire_len,
            srtp_status_name(st));
        s->refused++;
        return 0;
    }
    if (len != RTP_LEN || b[1] != RTP_PT || memcmp(b + RTP_HDR, plain, RTP_PAYLOAD) != 0 || in_clear) {
        say("<- RTP SSRC 0x%08x seq %5u: %d bytes unprotected to %d bytes, but the %s", ssrc, (unsigned)seq,
            wire_len, len, in_clear ? "payload travelled in the clear" : "payload is not what was sent");
        s->refused++;
        return 0;
    }
    say("<- RTP SSRC 0x%08x seq %5u: %d bytes, unprotected OK -> %d bytes, payload matches", ssrc,
        (unsigned)seq, wire_len, len);
    s->received++;
    return 1;
}

/* A reply of the Responder's session (`reply`, `len` bytes), unless --lose-replies says to
 * drop it: to `to` (the sender of a refused I_MESSAGE, the socket not being connected
 * yet), or with NULL to the connected Initiator. */
static int send_reply(endpoint_t *ep, const struct sockaddr_in *to, const uint8_t *reply, size_t len) {
    if (ep->o.lose_replies > 0) {
        ep->o.lose_replies--;
        say("not sending the reply (--lose-replies), as if it were lost");
        return 0;
    }
    ssize_t sent = to ? sendto(ep->sock, reply, len, 0, (const struct sockaddr *)to, sizeof *to)
                      : send(ep->sock, reply, len, 0);
    if (sent < 0) {
        complain("send: %s", strerror(errno));
        return EXIT_IO;
    }
    return 0;
}

/* Sends o.packets packets on every stream this endpoint sends (one round every 20 ms) and
 * receives as many on every stream the peer sends, with a timeout that restarts whenever
 * something arrives. `wait_first`: send only after the first packet was accepted. */
static int media(endpoint_t *ep, int wait_first) {
    unsigned per = ep->o.packets;
    size_t n_tx = 0, n_rx = 0;
    for (size_t i = 0; i < ep->n; i++) {
        if (ep->st[i].tx) n_tx++;
        else n_rx++;
    }
    say("RTP: sending %u packet(s) on %zu stream(s), expecting %u on %zu stream(s)%s", per, n_tx, per,
        n_rx, wait_first && n_rx > 0 && n_tx > 0 ? "; sending starts after the first packet arrives" : "");
    int may_send = !wait_first || n_rx == 0;
    int64_t next_send = now_ms(), last_progress = now_ms();
    const int64_t patience = (int64_t)ep->o.timeout_s * 1000;
    for (;;) {
        int tx_done = 1, rx_done = 1;
        for (size_t i = 0; i < ep->n; i++) {
            const stream_t *s = &ep->st[i];
            if (s->tx && s->sent < per) tx_done = 0;
            if (!s->tx && s->received + s->refused < per) rx_done = 0;
        }
        if (tx_done && rx_done) break;
        int64_t now = now_ms();
        if (may_send && !tx_done && now >= next_send) {
            for (size_t i = 0; i < ep->n; i++) {
                if (!ep->st[i].tx || ep->st[i].sent >= per) continue;
                int rc = send_rtp(ep, &ep->st[i]);
                if (rc) return rc;
            }
            next_send = now + RTP_INTERVAL_MS;
            last_progress = now;
            continue;
        }
        if (now - last_progress >= patience) {
            for (size_t i = 0; i < ep->n; i++)
                if (!ep->st[i].tx && ep->st[i].received + ep->st[i].refused < per)
                    complain("no RTP for %u s: SSRC 0x%08x has %u of %u packet(s)", ep->o.timeout_s,
                             ep->st[i].ssrc, ep->st[i].received + ep->st[i].refused, per);
            return EXIT_MEDIA;
        }
        int64_t wait = last_progress + patience - now;
        if (may_send && !tx_done && next_send - now < wait) wait = next_send - now;
        struct pollfd pfd = {ep->sock, POLLIN, 0};
        int ready = poll(&pfd, 1, (int)wait);
        if (ready < 0 && errno != EINTR) {
            complain("poll: %s", strerror(errno));
            return EXIT_IO;
        }
        if (ready <= 0) continue;
        packet_t pkt;
        ssize_t got = recv(ep->sock, pkt.b, MSG_CAP, 0);
        if (got < 0) {
            if (errno == EINTR) continue;
            complain("recv: %s%s", strerror(errno),
                     errno == ECONNREFUSED ? " (the peer has stopped listening)" : "");
            return EXIT_MEDIA;
        }
        if (got >= RTP_HDR && (pkt.b[0] >> 6) == 2) {
            if (receive_rtp(ep, pkt.b, (int)got)) {
                last_progress = now_ms();
                may_send = 1;
            }
        } else if (got > 0 && pkt.b[0] == MIKEY_VERSION && !ep->initiator) {
            /* Every MIKEY datagram goes to the session. The library recognises a
             * byte-identical copy of the I_MESSAGE it accepted (the Initiator retransmits
             * until the reply arrives, and the reply may have been lost): it returns
             * MIKEY_RETRANSMISSION and writes the same reply again, changing nothing.
             * Anything else is refused and, keys being in use, not answered. */
            uint8_t again[MSG_CAP];
            size_t again_len = 0;
            mikey_status_t st =
                mikey_session_process(ep->session, pkt.b, (size_t)got, again, sizeof again, &again_len);
            if (st == MIKEY_RETRANSMISSION && again_len == 0) {
                say("the I_MESSAGE again: mikey_session_process returned MIKEY_RETRANSMISSION (status %u); "
                    "no verification was requested, so there is no reply to send",
                    st);
            } else if (st == MIKEY_RETRANSMISSION) {
                say("the I_MESSAGE again: mikey_session_process returned MIKEY_RETRANSMISSION (status %u); "
                    "sending the reply it wrote, the same as before",
                    st);
                int rc = send_reply(ep, NULL, again, again_len);
                if (rc) return rc;
            } else {
                say("ignoring a %zd-byte MIKEY message: %s (status %u)", got, mikey_status_str(st), st);
            }
        } else {
            say("ignoring a %zd-byte datagram that is neither RTP nor MIKEY", got);
        }
    }
    unsigned received = 0, refused = 0;
    for (size_t i = 0; i < ep->n; i++) {
        received += ep->st[i].received;
        refused += ep->st[i].refused;
    }
    say("RTP: sent %u, received %u of %u (%u refused%s)", ep->sent_total, received,
        (unsigned)(per * n_rx), refused, ep->unexpected ? ", some on unexpected SSRCs" : "");
    if (refused || ep->unexpected) {
        complain("%u RTP packet(s) refused", refused + ep->unexpected);
        return EXIT_MEDIA;
    }
    return 0;
}

/* Keys → libsrtp → RTP both ways. */
static int run_media(endpoint_t *ep, int wait_first) {
    int rc = load_keys(ep);
    if (rc == 0) rc = srtp_open(ep, 1, &ep->tx);
    if (rc == 0) rc = srtp_open(ep, 0, &ep->rx);
    if (rc == 0) rc = media(ep, wait_first);
    return rc;
}

/* --- UDP ------------------------------------------------------------------------------ */

static void sockaddr_for(struct sockaddr_in *a, const char *host, unsigned port) {
    memset(a, 0, sizeof *a);
    a->sin_family = AF_INET;
    a->sin_port = htons((uint16_t)port);
    inet_pton(AF_INET, host, &a->sin_addr); /* host was checked by parse_args */
}

/* A UDP socket bound to host:port; with `fallback`, an ephemeral port if that one is taken.
 * Writes the bound port to *bound. */
static int udp_bind(endpoint_t *ep, unsigned port, int fallback, unsigned *bound) {
    struct sockaddr_in a;
    ep->sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (ep->sock < 0) {
        complain("socket: %s", strerror(errno));
        return EXIT_IO;
    }
    sockaddr_for(&a, ep->o.host, port);
    if (bind(ep->sock, (struct sockaddr *)&a, sizeof a) != 0) {
        if (!(fallback && errno == EADDRINUSE)) {
            complain("bind to UDP %s:%u: %s", ep->o.host, port, strerror(errno));
            return EXIT_IO;
        }
        say("UDP port %u on %s is in use; taking an ephemeral port instead", port, ep->o.host);
        a.sin_port = 0;
        if (bind(ep->sock, (struct sockaddr *)&a, sizeof a) != 0) {
            complain("bind to UDP %s:0: %s", ep->o.host, strerror(errno));
            return EXIT_IO;
        }
    }
    socklen_t alen = sizeof a;
    if (getsockname(ep->sock, (struct sockaddr *)&a, &alen) != 0) {
        complain("getsockname: %s", strerror(errno));
        return EXIT_IO;
    }
    *bound = ntohs(a.sin_port);
    return 0;
}

static int udp_connect(endpoint_t *ep, const struct sockaddr_in *peer) {
    if (connect(ep->sock, (const struct sockaddr *)peer, sizeof *peer) != 0) {
        char addr[INET_ADDRSTRLEN] = "?";
        inet_ntop(AF_INET, &peer->sin_addr, addr, sizeof addr);
        complain("connect to UDP %s:%u: %s", addr, ntohs(peer->sin_port), strerror(errno));
        return EXIT_IO;
    }
    return 0;
}

/* Waits up to `ms` for a datagram. Returns its length, 0 on timeout, -1 on error. */
static ssize_t recv_wait(int sock, uint8_t *buf, size_t cap, int64_t ms, struct sockaddr_in *from) {
    int64_t end = now_ms() + ms;
    for (;;) {
        int64_t left = end - now_ms();
        if (left <= 0) return 0;
        struct pollfd pfd = {sock, POLLIN, 0};
        int ready = poll(&pfd, 1, (int)left);
        if (ready < 0 && errno == EINTR) continue;
        if (ready < 0) return -1;
        if (ready == 0) return 0;
        socklen_t flen = sizeof *from;
        ssize_t got = recvfrom(sock, buf, cap, 0, (struct sockaddr *)from, &flen);
        if (got < 0 && errno == EINTR) continue;
        if (got == 0) continue; /* an empty datagram is nothing */
        return got;
    }
}

/* The "ready" signal of `respond`: the bound port, one line, written to a FIFO the caller
 * holds open (never blocks: O_NONBLOCK fails with ENXIO when nobody reads) or atomically
 * to a regular file (temporary name, then rename). */
static int write_port_file(const char *path, unsigned port) {
    char line[16];
    int len = snprintf(line, sizeof line, "%u\n", port);
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISFIFO(sb.st_mode)) {
        int fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
        int ok = fd >= 0 && write(fd, line, (size_t)len) == len;
        if (fd >= 0) close(fd);
        if (!ok) complain("port file %s: %s", path, strerror(errno));
        return ok ? 0 : EXIT_IO;
    }
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    int ok = f && fputs(line, f) >= 0;
    if (f && fclose(f) != 0) ok = 0;
    if (ok && rename(tmp, path) != 0) ok = 0;
    if (!ok) {
        complain("port file %s: %s", path, strerror(errno));
        unlink(tmp);
    }
    return ok ? 0 : EXIT_IO;
}

/* --- forged datagrams (--spoof) ---------------------------------------------------------- */

/* Sends one forged datagram to `to`, or with NULL on the connected socket. */
static int send_spoof(int sock, const struct sockaddr_in *to, const uint8_t *b, size_t len, const char *what) {
    ssize_t sent = to ? sendto(sock, b, len, 0, (const struct sockaddr *)to, sizeof *to) : send(sock, b, len, 0);
    if (sent != (ssize_t)len) {
        complain("--spoof: send: %s", strerror(errno));
        return EXIT_IO;
    }
    say("--spoof: sent the %s %s, %zu bytes", g_peer, what, len);
    return 0;
}

/* Sends a copy of the real message whose last byte, in its MAC (KEMAC of an I_MESSAGE, V
 * of a verification message), is flipped. */
static int send_tampered(int sock, const struct sockaddr_in *to, const uint8_t *msg, size_t len, const char *what) {
    uint8_t copy[MSG_CAP];
    memcpy(copy, msg, len);
    copy[len - 1] ^= 0x01;
    return send_spoof(sock, to, copy, len, what);
}

/* Junk that starts like a MIKEY message (version 1) and is none: data type 110, next
 * payload 111, neither of them assigned. */
static const char k_junk[] = "\001not a MIKEY message: junk from --spoof";

/* Responder: before its real reply, sends the Initiator (from this endpoint's own address,
 * as a spoofer would) what it must ignore: an unauthenticated Error message for its CSB,
 * made by a Responder with another PSK processing the same I_MESSAGE; junk; the first
 * half of the real reply. */
static int spoof_initiator(endpoint_t *ep) {
    int rc = 0;
    if (ep->o.spoof & SPOOF_ERROR) {
        mikey_config_t *cfg = NULL;
        mikey_session_t *impostor = NULL;
        uint8_t err[MSG_CAP];
        size_t len = 0;
        rc = impostor_session(ep, &cfg, &impostor);
        if (rc == 0) {
            mikey_status_t st = mikey_session_process(impostor, ep->imsg, ep->ilen, err, sizeof err, &len);
            if (st != MIKEY_ERR_AUTH_FAILED || len == 0) {
                complain("--spoof: a Responder with another PSK gave %s and a %zu-byte reply, not an Error "
                         "message for an authentication failure",
                         mikey_status_str(st), len);
                rc = EXIT_KEYS;
            }
        }
        mikey_session_free(impostor);
        mikey_config_free(cfg);
        if (rc == 0)
            rc = send_spoof(ep->sock, NULL, err, len,
                            "an unauthenticated Error message for its CSB (made with another PSK)");
    }
    if (rc == 0 && (ep->o.spoof & SPOOF_JUNK))
        rc = send_spoof(ep->sock, NULL, (const uint8_t *)k_junk, sizeof k_junk - 1,
                        "junk starting with the MIKEY version byte, 1");
    if (rc == 0 && (ep->o.spoof & SPOOF_TRUNCATED))
        rc = send_spoof(ep->sock, NULL, ep->reply, ep->rlen / 2, "the first half of the real reply");
    if (rc == 0 && (ep->o.spoof & SPOOF_TAMPERED))
        rc = send_tampered(ep->sock, NULL, ep->reply, ep->rlen, "the real reply with a bit of its MAC flipped");
    return rc;
}

/* Initiator: before its real I_MESSAGE, sends the Responder from another UDP port (another
 * sender, as an attacker would be) what it must refuse without giving up: an I_MESSAGE
 * made with another PSK; junk; the first half of the real I_MESSAGE. */
static int spoof_responder(endpoint_t *ep, const struct sockaddr_in *responder) {
    int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (sock < 0) {
        complain("socket: %s", strerror(errno));
        return EXIT_IO;
    }
    int rc = 0;
    if (ep->o.spoof & SPOOF_FORGED) {
        mikey_config_t *cfg = NULL;
        mikey_session_t *impostor = NULL;
        uint8_t forged[MSG_CAP];
        size_t len = 0;
        const mikey_stream_t stream = {0x5b00f00du, 0, 0};
        rc = impostor_session(ep, &cfg, &impostor);
        if (rc == 0) {
            mikey_status_t st = mikey_session_initiate(impostor, &stream, 1, forged, sizeof forged, &len);
            if (st != MIKEY_OK) {
                complain("--spoof: mikey_session_initiate: %s", mikey_status_str(st));
                rc = EXIT_KEYS;
            }
        }
        mikey_session_free(impostor);
        mikey_config_free(cfg);
        if (rc == 0) rc = send_spoof(sock, responder, forged, len, "an I_MESSAGE made with another PSK");
    }
    if (rc == 0 && (ep->o.spoof & SPOOF_JUNK))
        rc = send_spoof(sock, responder, (const uint8_t *)k_junk, sizeof k_junk - 1,
                        "junk starting with the MIKEY version byte, 1");
    if (rc == 0 && (ep->o.spoof & SPOOF_TRUNCATED))
        rc = send_spoof(sock, responder, ep->imsg, ep->ilen / 2, "the first half of the real I_MESSAGE");
    if (rc == 0 && (ep->o.spoof & SPOOF_TAMPERED))
        rc = send_tampered(sock, responder, ep->imsg, ep->ilen, "the real I_MESSAGE with a bit of its MAC flipped");
    close(sock);
    return rc;
}

/* --- UDP exchange ---------------------------------------------------------------------- */

/* Responder: waits for a valid I_MESSAGE until the timeout. A refused I_MESSAGE is answered
 * with the Error message the library built, sent to its sender. If that Error message is
 * authenticated (it carries V: the I_MESSAGE's MAC verified, so the Initiator holding the
 * PSK sent it), the exchange has failed, for the Initiator too, and this endpoint stops.
 * Anything else (a datagram that does not parse, an I_MESSAGE whose MAC fails, a replay)
 * may come from anyone: it is logged, and the wait goes on (RFC 3830 §5.1.2). The socket
 * is connected to the Initiator once its I_MESSAGE is accepted, not before. */
static int run_respond(endpoint_t *ep) {
    unsigned port = 0;
    int rc = udp_bind(ep, ep->o.port, !ep->o.port_given, &port);
    if (rc) return rc;
    say("listening for MIKEY on UDP %s:%u", ep->o.host, port);
    if ((rc = make_session(ep)) != 0) return rc;
    if (ep->o.port_file && (rc = write_port_file(ep->o.port_file, port)) != 0) return rc;

    int64_t deadline = now_ms() + (int64_t)ep->o.timeout_s * 1000;
    char last[256] = "";
    struct sockaddr_in peer;
    for (;;) {
        int64_t left = deadline - now_ms();
        ssize_t got = left > 0 ? recv_wait(ep->sock, ep->imsg, sizeof ep->imsg, left, &peer) : 0;
        if (got < 0) {
            complain("recv (waiting for the I_MESSAGE): %s", strerror(errno));
            return EXIT_IO;
        }
        if (got == 0) {
            complain("no valid I_MESSAGE within %u s%s%s", ep->o.timeout_s, last[0] ? "; the last one ignored: " : "",
                     last);
            return EXIT_IO;
        }
        ep->ilen = (size_t)got;
        char addr[INET_ADDRSTRLEN] = "?";
        inet_ntop(AF_INET, &peer.sin_addr, addr, sizeof addr);
        unsigned from = ntohs(peer.sin_port);
        if (ep->imsg[0] != MIKEY_VERSION) {
            snprintf(last, sizeof last, "a %zd-byte datagram from UDP %s:%u that is no MIKEY message (first byte %u)",
                     got, addr, from, ep->imsg[0]);
            say("ignoring %s", last);
            continue;
        }
        describe_message("received", ep->imsg, ep->ilen);
        say("  from UDP %s:%u", addr, from);
        mikey_status_t st =
            mikey_session_process(ep->session, ep->imsg, ep->ilen, ep->reply, sizeof ep->reply, &ep->rlen);
        if (st == MIKEY_OK) break;
        int authenticated = ep->rlen > 0 && has_v_payload(ep->reply, ep->rlen);
        if (ep->rlen > 0) {
            describe_message("replying with", ep->reply, ep->rlen);
            if ((rc = send_reply(ep, &peer, ep->reply, ep->rlen)) != 0) return rc;
        }
        if (authenticated || is_local_failure(st)) {
            complain("refused the I_MESSAGE: %s (status %u)%s", mikey_status_str(st), st,
                     authenticated ? "; the authenticated Error message was sent back" : "");
            return EXIT_KEYS;
        }
        snprintf(last, sizeof last, "an I_MESSAGE from UDP %s:%u, refused: %s (status %u)", addr, from,
                 mikey_status_str(st), st);
        say("refused it: %s (status %u); %s; no authenticated I_MESSAGE, so still waiting for a valid one "
            "(RFC 3830 §5.1.2)",
            mikey_status_str(st), st,
            ep->rlen ? "sent back the unauthenticated Error message" : "nothing sent back");
    }
    if ((rc = udp_connect(ep, &peer)) != 0) return rc;
    if (ep->o.spoof && (rc = spoof_initiator(ep)) != 0) return rc;
    if (ep->rlen > 0) {
        describe_message("replying with", ep->reply, ep->rlen);
        if ((rc = send_reply(ep, NULL, ep->reply, ep->rlen)) != 0) return rc;
    }
    return run_media(ep, 1);
}

/* Initiator: sends the I_MESSAGE, again every second until the Responder's answer arrives
 * (UDP may lose it; the Responder's session answers a byte-identical copy with the same
 * reply, MIKEY_RETRANSMISSION). Only
 * an authenticated answer ends the wait: the verification message, or an authenticated
 * Error message. Anything else (a datagram that does not parse, an unauthenticated Error
 * message, a verification message whose MAC fails or with another CSB, a replay, an ICMP
 * port unreachable) may come from anyone, so it is a hint only (RFC 3830 §5.1.2): logged,
 * and the wait goes on until the timeout, whose message names the last hint. */
static int run_initiate(endpoint_t *ep) {
    unsigned local = 0;
    struct sockaddr_in peer;
    int rc = udp_bind(ep, 0, 0, &local);
    if (rc) return rc;
    sockaddr_for(&peer, ep->o.host, ep->o.port);
    if ((rc = udp_connect(ep, &peer)) != 0) return rc;
    if ((rc = make_session(ep)) != 0) return rc;
    if ((rc = initiate(ep)) != 0) return rc;
    if (ep->o.spoof && (rc = spoof_responder(ep, &peer)) != 0) return rc;
    say("sending the I_MESSAGE from UDP %s:%u to %s:%u", ep->o.host, local, ep->o.host, ep->o.port);
    describe_message("sent", ep->imsg, ep->ilen);

    int64_t deadline = now_ms() + (int64_t)ep->o.timeout_s * 1000, next_retransmit = 0;
    uint8_t in[MSG_CAP];
    char hint[256] = "";
    mikey_status_t st = MIKEY_ERR_UNEXPECTED_MESSAGE;
    for (;;) {
        int64_t now = now_ms();
        if (now >= deadline) {
            complain("no MIKEY reply from the %s within %u s%s%s", g_peer, ep->o.timeout_s,
                     hint[0] ? "; the last hint ignored: " : "", hint);
            return EXIT_IO;
        }
        if (now >= next_retransmit) {
            if (next_retransmit != 0) say("no answer yet; sending the I_MESSAGE again");
            if (send(ep->sock, ep->imsg, ep->ilen, 0) < 0 && errno != ECONNREFUSED) {
                complain("send: %s", strerror(errno));
                return EXIT_IO;
            }
            next_retransmit = now + RETRANSMIT_MS;
        }
        int64_t wait = (next_retransmit < deadline ? next_retransmit : deadline) - now;
        ssize_t got = recv_wait(ep->sock, in, sizeof in, wait, &peer);
        if (got < 0 && errno == ECONNREFUSED) {
            snprintf(hint, sizeof hint, "ICMP port unreachable (nothing listens on UDP %s:%u?)", ep->o.host,
                     ep->o.port);
            say("ignoring an %s: it may be forged; the I_MESSAGE goes on being sent", hint);
            continue;
        }
        if (got < 0) {
            complain("recv: %s", strerror(errno));
            return EXIT_IO;
        }
        if (got == 0) continue;
        if (in[0] != MIKEY_VERSION) {
            snprintf(hint, sizeof hint, "a %zd-byte datagram that is no MIKEY message (first byte %u)", got, in[0]);
            say("ignoring %s", hint);
            continue;
        }
        describe_message("received", in, (size_t)got);
        st = mikey_session_process(ep->session, in, (size_t)got, ep->reply, sizeof ep->reply, &ep->rlen);
        if (st == MIKEY_OK || is_authenticated_peer_error(st) || is_local_failure(st)) break;
        snprintf(hint, sizeof hint, "%s (status %u)", mikey_status_str(st), st);
        say("ignoring it: %s; %s, so still waiting for the %s's answer (RFC 3830 §5.1.2)", hint,
            is_unauthenticated_peer_error(st) ? "an unauthenticated Error message is only a hint"
                                              : "it is no authenticated answer",
            g_peer);
    }
    if (st != MIKEY_OK) {
        complain("%s: %s (status %u)",
                 is_authenticated_peer_error(st) ? "the responder refused the I_MESSAGE"
                                                 : "processing the responder's reply failed",
                 mikey_status_str(st), st);
        return EXIT_KEYS;
    }
    if (ep->rlen > 0 && send(ep->sock, ep->reply, ep->rlen, 0) >= 0) describe_message("sent", ep->reply, ep->rlen);
    return run_media(ep, 0);
}

/* --- SDP offer/answer (RFC 4566, RFC 4567) ---------------------------------------------- */

typedef struct {
    char key_mgmt[B64_CAP + 64]; /* the whole a=key-mgmt line, "" if none */
    char addr[INET_ADDRSTRLEN];
    unsigned port;
    int has_media;
} sdp_t;

static int write_file_atomic(const char *path, const char *text) {
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    int ok = f && fputs(text, f) >= 0;
    if (f && fclose(f) != 0) ok = 0;
    if (ok && rename(tmp, path) != 0) ok = 0;
    if (!ok) {
        complain("writing %s: %s", path, strerror(errno));
        unlink(tmp);
        return EXIT_IO;
    }
    return 0;
}

/* Waits up to `timeout_s` for `path` to appear (it is renamed into place whole), reads it. */
static int wait_read_file(const char *path, unsigned timeout_s, char *buf, size_t cap) {
    int64_t deadline = now_ms() + (int64_t)timeout_s * 1000;
    FILE *f;
    while ((f = fopen(path, "r")) == NULL) {
        if (errno != ENOENT) {
            complain("opening %s: %s", path, strerror(errno));
            return EXIT_IO;
        }
        if (now_ms() >= deadline) {
            complain("%s did not appear within %u s", path, timeout_s);
            return EXIT_IO;
        }
        sleep_ms(FILE_POLL_MS);
    }
    size_t len = fread(buf, 1, cap - 1, f);
    int err = ferror(f), more = !feof(f) && fgetc(f) != EOF;
    fclose(f);
    if (err || more) {
        complain("reading %s: %s", path, err ? "read error" : "file too large");
        return EXIT_IO;
    }
    buf[len] = '\0';
    return 0;
}

static void print_sdp(const char *what, const char *path, const char *text) {
    say("%s %s:", what, path);
    const char *p = text;
    while (*p) {
        size_t len = strcspn(p, "\r\n");
        say("  | %.*s", (int)len, p);
        p += len;
        if (*p == '\r') p++;
        if (*p == '\n') p++;
    }
}

/* Reads what this endpoint needs: the key-mgmt line (session or media level), the
 * connection address and the first audio stream's port. */
static int sdp_parse(const char *text, sdp_t *out) {
    memset(out, 0, sizeof *out);
    const char *p = text;
    while (*p) {
        size_t len = strcspn(p, "\r\n");
        char line[B64_CAP + 64];
        if (len >= sizeof line) {
            complain("SDP line longer than %zu bytes", sizeof line - 1);
            return EXIT_KEYS;
        }
        memcpy(line, p, len);
        line[len] = '\0';
        unsigned port;
        char addr[64];
        if (strncmp(line, "a=key-mgmt:", 11) == 0 && out->key_mgmt[0] == '\0')
            memcpy(out->key_mgmt, line, len + 1);
        else if (sscanf(line, "c=IN IP4 %63s", addr) == 1 && strlen(addr) < sizeof out->addr &&
                 out->addr[0] == '\0')
            memcpy(out->addr, addr, strlen(addr) + 1);
        else if (sscanf(line, "m=audio %u ", &port) == 1 && !out->has_media && port <= 65535) {
            out->port = port;
            out->has_media = 1;
        }
        p += len;
        while (*p == '\r' || *p == '\n') p++;
    }
    struct in_addr ia;
    if (!out->has_media || out->addr[0] == '\0' || inet_pton(AF_INET, out->addr, &ia) != 1) {
        complain("the SDP has no m=audio line or no c=IN IP4 address this endpoint can use");
        return EXIT_KEYS;
    }
    return 0;
}

/* An SDP offer or answer: one audio stream over RTP/SAVP, keyed by MIKEY (RFC 4567 §3.1:
 * the key-mgmt attribute at session level applies to every media stream). */
static int sdp_write(endpoint_t *ep, const char *path, const uint8_t *mikey, size_t mikey_len,
                     unsigned port, size_t streams, char *text, size_t cap) {
    uint32_t session_id = 0;
    if (random_bytes(&session_id, sizeof session_id) != 0) return EXIT_IO;
    session_id &= 0x7fffffffu;
    char b64[B64_CAP] = "";
    if (mikey_len > 0 && message_base64(mikey, mikey_len, b64, sizeof b64) != 0) return EXIT_KEYS;
    const char *dir = "sendrecv";
    if (streams == 1) dir = ep->initiator ? "sendonly" : "recvonly"; /* CS 1 is the Initiator's */
    int len = snprintf(text, cap,
                       "v=0\r\n"
                       "o=- %u 1 IN IP4 %s\r\n"
                       "s=mikey-endpoint %s\r\n"
                       "c=IN IP4 %s\r\n"
                       "t=0 0\r\n"
                       "%s%s%s"
                       "m=audio %u RTP/SAVP %d\r\n"
                       "a=rtpmap:%d PCMU/8000\r\n"
                       "a=%s\r\n",
                       session_id, ep->o.host, g_role, ep->o.host, mikey_len ? "a=key-mgmt:mikey " : "", b64,
                       mikey_len ? "\r\n" : "", port, RTP_PT, RTP_PT, dir);
    if (len < 0 || (size_t)len >= cap) {
        complain("SDP too long");
        return EXIT_IO;
    }
    return write_file_atomic(path, text);
}

static int run_offer(endpoint_t *ep) {
    unsigned port = 0;
    int rc = udp_bind(ep, ep->o.port, 0, &port);
    if (rc) return rc;
    if ((rc = make_session(ep)) != 0) return rc;
    if ((rc = initiate(ep)) != 0) return rc;
    describe_message("created", ep->imsg, ep->ilen);
    /* A stale answer from an earlier run must not be taken for the answer to this offer. */
    if (unlink(ep->o.answer_path) != 0 && errno != ENOENT) {
        complain("removing %s: %s", ep->o.answer_path, strerror(errno));
        return EXIT_IO;
    }
    char text[SDP_CAP];
    rc = sdp_write(ep, ep->o.offer_path, ep->imsg, ep->ilen, port, ep->o.streams, text, sizeof text);
    if (rc) return rc;
    print_sdp("wrote the SDP offer to", ep->o.offer_path, text);
    say("waiting up to %u s for the SDP answer in %s", ep->o.timeout_s, ep->o.answer_path);
    if ((rc = wait_read_file(ep->o.answer_path, ep->o.timeout_s, text, sizeof text)) != 0) return rc;
    print_sdp("read the SDP answer from", ep->o.answer_path, text);
    sdp_t answer;
    if ((rc = sdp_parse(text, &answer)) != 0) return rc;
    if (answer.key_mgmt[0] == '\0') {
        complain("the answer carries no a=key-mgmt line%s", answer.port == 0 ? " and rejects the stream" : "");
        return EXIT_KEYS;
    }
    uint8_t in[MSG_CAP];
    size_t in_len = 0;
    mikey_status_t st = key_mgmt_bytes("the answer's", answer.key_mgmt, in, sizeof in, &in_len);
    if (st != MIKEY_OK) return EXIT_KEYS;
    describe_message("answer carries", in, in_len);
    /* The answer is the only one this offer gets: whatever it carries ends the exchange.
     * An unauthenticated Error message is reported as what it is, a hint (RFC 3830 §5.1.2)
     * that anyone able to change the answer could have written; the signalling that carries
     * the SDP has to protect it (RFC 4567 §8). */
    st = mikey_session_process(ep->session, in, in_len, ep->reply, sizeof ep->reply, &ep->rlen);
    if (st != MIKEY_OK) {
        complain("%s: %s (status %u)",
                 is_authenticated_peer_error(st)     ? "the answerer refused the offer"
                 : is_unauthenticated_peer_error(st) ? "the answer refuses the offer with an unauthenticated Error "
                                                       "message (a hint only: it may not come from the answerer)"
                                                     : "the answer's MIKEY message was refused",
                 mikey_status_str(st), st);
        return EXIT_KEYS;
    }
    if (answer.port == 0) {
        complain("the answer rejects the audio stream (port 0)");
        return EXIT_KEYS;
    }
    struct sockaddr_in peer;
    sockaddr_for(&peer, answer.addr, answer.port);
    if ((rc = udp_connect(ep, &peer)) != 0) return rc;
    say("RTP from UDP %s:%u to %s:%u", ep->o.host, port, answer.addr, answer.port);
    return run_media(ep, 0);
}

static int run_answer(endpoint_t *ep) {
    char text[SDP_CAP];
    int rc;
    say("waiting up to %u s for the SDP offer in %s", ep->o.timeout_s, ep->o.offer_path);
    if ((rc = wait_read_file(ep->o.offer_path, ep->o.timeout_s, text, sizeof text)) != 0) return rc;
    print_sdp("read the SDP offer from", ep->o.offer_path, text);
    sdp_t offer;
    unsigned port = 0;
    if ((rc = sdp_parse(text, &offer)) != 0) return rc;
    if ((rc = udp_bind(ep, ep->o.port, 0, &port)) != 0) return rc;
    if ((rc = make_session(ep)) != 0) return rc;

    mikey_status_t st = MIKEY_ERR_KEY_MGMT_SYNTAX;
    if (offer.key_mgmt[0] == '\0') complain("the offer carries no a=key-mgmt line");
    else st = key_mgmt_bytes("the offer's", offer.key_mgmt, ep->imsg, sizeof ep->imsg, &ep->ilen);
    if (st == MIKEY_OK) {
        describe_message("offer carries", ep->imsg, ep->ilen);
        st = mikey_session_process(ep->session, ep->imsg, ep->ilen, ep->reply, sizeof ep->reply, &ep->rlen);
    }
    /* The answer carries the verification message, or on refusal the Error message (if
     * any) and a rejected stream (port 0), so the offerer learns why without waiting. */
    size_t streams = 0;
    if (st == MIKEY_OK) mikey_session_crypto_session_count(ep->session, &streams);
    rc = sdp_write(ep, ep->o.answer_path, ep->reply, ep->rlen, st == MIKEY_OK ? port : 0, streams, text,
                   sizeof text);
    if (rc) return rc;
    print_sdp(st == MIKEY_OK ? "wrote the SDP answer to" : "wrote a rejecting SDP answer to",
              ep->o.answer_path, text);
    if (ep->rlen > 0) describe_message("answer carries", ep->reply, ep->rlen);
    if (st != MIKEY_OK) {
        complain("refused the offer: %s (status %u)", mikey_status_str(st), st);
        return EXIT_KEYS;
    }
    if (offer.port == 0) {
        complain("the offer's audio stream has port 0");
        return EXIT_KEYS;
    }
    struct sockaddr_in peer;
    sockaddr_for(&peer, offer.addr, offer.port);
    if ((rc = udp_connect(ep, &peer)) != 0) return rc;
    say("RTP from UDP %s:%u to %s:%u", ep->o.host, port, offer.addr, offer.port);
    return run_media(ep, 1);
}

/* --- command line ----------------------------------------------------------------------- */

static void usage(FILE *f) {
    fprintf(f,
            "usage: mikey-endpoint respond  KEYING [--port N] [--port-file FILE] [OPTIONS]\n"
            "       mikey-endpoint initiate KEYING [--port N] [OPTIONS]\n"
            "       mikey-endpoint offer    KEYING --offer FILE --answer FILE [--port N] [OPTIONS]\n"
            "       mikey-endpoint answer   KEYING --offer FILE --answer FILE [--port N] [OPTIONS]\n"
            "\n"
            "KEYING, exactly one of:\n"
            "  --psk HEX        MIKEY PSK (RFC 3830 §3.1): the pre-shared key, 1 to %d bytes of hex\n"
            "  --key FILE --cert FILE [--ca FILE] [--peer-cert FILE]\n"
            "                   MIKEY-PK (RFC 3830 §3.2): this endpoint's RSA private key and its\n"
            "                   certificate (chain), PEM or DER; --ca the trust anchors for the\n"
            "                   peer's chain (needed by respond/answer), --peer-cert the peer's\n"
            "                   certificate, pinned (needed by initiate/offer: the envelope key is\n"
            "                   encrypted to it). The identities must be named by the\n"
            "                   certificates' subjectAltName; initiate/offer need --id\n"
            "\n"
            "respond/initiate exchange MIKEY messages over UDP (respond binds --port, default\n"
            "2269, or an ephemeral port when 2269 is in use and --port was not given; --port-file\n"
            "receives the bound port); offer/answer carry them in SDP files (RFC 4567\n"
            "a=key-mgmt:mikey), --port then being the RTP port (default ephemeral). Then RTP\n"
            "protected by libsrtp2 with the exported keys flows between the two.\n"
            "\n"
            "options:\n"
            "  --id URI         this endpoint's identity (ID payload, e.g. sip:alice@example.com)\n"
            "  --peer-id URI    the peer's expected identity; another is refused\n"
            "  --host ADDR      IPv4 address to bind and reach (default 127.0.0.1)\n"
            "  --packets N      RTP packets per stream (default 5; give both ends the same)\n"
            "  --profile 80|32  AES_CM_128_HMAC_SHA1_80 (default) or _32: offered by the Initiator;\n"
            "                   given to the Responder, the only one it accepts\n"
            "  --streams N      crypto sessions (1 to %d, default 2); even ones are sent by the\n"
            "                   Initiator, odd ones by the Responder\n"
            "  --mki N          MKI length in bytes, 0 to 4 (Initiator; default 0)\n"
            "  --timeout S      seconds to wait for the peer at each step (default 10)\n"
            "  --tamper K       flip a payload bit of the K-th packet sent, after protection\n"
            "                   (to see the receiver refuse it)\n"
            "  --lose-replies N respond: drop the first N MIKEY replies, as if lost (to see the\n"
            "                   Initiator retransmit the I_MESSAGE)\n"
            "  --spoof KINDS    send the peer forged datagrams it must ignore, before the real\n"
            "                   message (comma-separated, or all): junk, truncated (half the\n"
            "                   real message), tampered (the real one, a MAC bit flipped), and\n"
            "                   respond: error (an unauthenticated Error message); initiate,\n"
            "                   all from another port: forged (an I_MESSAGE under another PSK);\n"
            "                   error and forged are PSK only\n"
            "exit status: 0 ok, 1 key exchange failed, 2 usage, 3 RTP/SRTP failed, 4 I/O error\n",
            MAX_PSK, MAX_STREAMS);
}

static int parse_uint(const char *name, const char *s, unsigned lo, unsigned hi, unsigned *out) {
    char *end = NULL;
    errno = 0;
    unsigned long v = strtoul(s, &end, 0);
    if (errno || end == s || *end != '\0' || s[0] == '-' || v < lo || v > hi) {
        fprintf(stderr, "mikey-endpoint: %s must be a number from %u to %u, not '%s'\n", name, lo, hi, s);
        return EXIT_USAGE;
    }
    *out = (unsigned)v;
    return 0;
}

/* --spoof KINDS: a comma-separated list of the kinds `mode` sends, or "all". */
static int parse_spoof(int mode, const char *val, unsigned *out) {
    static const struct {
        const char *name;
        unsigned kind;
        int mode;
    } kinds[] = {{"junk", SPOOF_JUNK, -1},
                 {"truncated", SPOOF_TRUNCATED, -1},
                 {"tampered", SPOOF_TAMPERED, -1},
                 {"error", SPOOF_ERROR, MODE_RESPOND},
                 {"forged", SPOOF_FORGED, MODE_INITIATE}};
    const size_t n = sizeof kinds / sizeof kinds[0];
    *out = 0;
    const char *p = val;
    for (;;) {
        size_t len = strcspn(p, ",");
        size_t k = 0;
        int all = len == 3 && strncmp(p, "all", 3) == 0;
        for (; k < n; k++) {
            int fits = kinds[k].mode < 0 || kinds[k].mode == mode;
            if (fits && (all || (strlen(kinds[k].name) == len && strncmp(p, kinds[k].name, len) == 0))) {
                *out |= kinds[k].kind;
                if (!all) break;
            }
        }
        if (!all && k == n) {
            fprintf(stderr, "mikey-endpoint: --spoof takes %s, or all; not '%s'\n",
                    mode == MODE_RESPOND ? "error,junk,truncated,tampered" : "forged,junk,truncated,tampered", val);
            return EXIT_USAGE;
        }
        if (p[len] == '\0') return 0;
        p += len + 1;
    }
}

static int parse_hex(const char *s, uint8_t *out, size_t cap, size_t *len) {
    size_t n = strlen(s);
    if (n == 0 || n % 2 != 0 || n / 2 > cap) return -1;
    for (size_t i = 0; i < n / 2; i++) {
        unsigned v;
        if (sscanf(s + 2 * i, "%2x", &v) != 1 || !strchr("0123456789abcdefABCDEF", s[2 * i]) ||
            !strchr("0123456789abcdefABCDEF", s[2 * i + 1]))
            return -1;
        out[i] = (uint8_t)v;
    }
    *len = n / 2;
    return 0;
}

/* Exactly one keying: --psk, or --key and --cert with what the role needs (RFC 3830 §3.2:
 * the Initiator encrypts the envelope key to the Responder's certificate, which it must
 * know beforehand; the Responder validates the Initiator's chain against trust anchors). */
static int check_keying(opts_t *o, int have_psk, const char *command) {
    int initiator = o->mode == MODE_INITIATE || o->mode == MODE_OFFER;
    int any_pk = o->key_path || o->cert_path || o->ca_path || o->peer_cert_path;
    if (have_psk && any_pk) {
        fprintf(stderr, "mikey-endpoint: give either --psk (MIKEY PSK) or --key/--cert (MIKEY-PK), not both\n");
        return EXIT_USAGE;
    }
    if (!have_psk && !any_pk) {
        fprintf(stderr, "mikey-endpoint: --psk HEX, or --key FILE --cert FILE (MIKEY-PK), is required\n");
        return EXIT_USAGE;
    }
    if (have_psk) return 0;
    o->pk = 1;
    if (!o->key_path || !o->cert_path) {
        fprintf(stderr, "mikey-endpoint: MIKEY-PK needs both --key FILE and --cert FILE\n");
        return EXIT_USAGE;
    }
    if (initiator && !o->peer_cert_path) {
        fprintf(stderr,
                "mikey-endpoint: %s in MIKEY-PK needs --peer-cert FILE, the responder's certificate "
                "(the envelope key is encrypted to it)\n",
                command);
        return EXIT_USAGE;
    }
    if (initiator && !o->id) {
        fprintf(stderr,
                "mikey-endpoint: %s in MIKEY-PK needs --id URI, named by the subjectAltName of --cert "
                "(the KEMAC carries it)\n",
                command);
        return EXIT_USAGE;
    }
    if (!initiator && !o->ca_path && !o->peer_cert_path) {
        fprintf(stderr,
                "mikey-endpoint: %s in MIKEY-PK needs --ca FILE, the trust anchors for the initiator's "
                "certificate (or --peer-cert FILE to pin it)\n",
                command);
        return EXIT_USAGE;
    }
    if (o->spoof & (SPOOF_ERROR | SPOOF_FORGED)) {
        fprintf(stderr, "mikey-endpoint: --spoof error and forged are made under another PSK: with MIKEY-PK "
                        "use junk,truncated,tampered\n");
        return EXIT_USAGE;
    }
    return 0;
}

static int parse_args(opts_t *o, int argc, char **argv) {
    memset(o, 0, sizeof *o);
    o->host = "127.0.0.1";
    o->port = DEFAULT_PORT;
    o->packets = 5;
    o->profile = MIKEY_SRTP_AES128_CM_SHA1_80;
    o->streams = 2;
    o->timeout_s = 10;
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : -1;
    }
    const char *modes[] = {"respond", "initiate", "offer", "answer"};
    o->mode = -1;
    for (int m = 0; m < 4; m++)
        if (strcmp(argv[1], modes[m]) == 0) o->mode = m;
    if (o->mode < 0) {
        fprintf(stderr, "mikey-endpoint: unknown command '%s' (respond, initiate, offer, answer)\n", argv[1]);
        return EXIT_USAGE;
    }
    int have_psk = 0, rc = 0;
    for (int i = 2; i < argc && rc == 0; i++) {
        const char *opt = argv[i];
        if (strcmp(opt, "--help") == 0) {
            usage(stdout);
            return -1;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "mikey-endpoint: %s needs a value (or is unknown)\n", opt);
            return EXIT_USAGE;
        }
        const char *val = argv[++i];
        if (strcmp(opt, "--psk") == 0) {
            if (parse_hex(val, o->psk, sizeof o->psk, &o->psk_len) != 0) {
                fprintf(stderr, "mikey-endpoint: --psk must be 1 to %d bytes of hex\n", MAX_PSK);
                return EXIT_USAGE;
            }
            have_psk = 1;
        } else if (strcmp(opt, "--key") == 0) {
            o->key_path = val;
        } else if (strcmp(opt, "--cert") == 0) {
            o->cert_path = val;
        } else if (strcmp(opt, "--ca") == 0) {
            o->ca_path = val;
        } else if (strcmp(opt, "--peer-cert") == 0) {
            o->peer_cert_path = val;
        } else if (strcmp(opt, "--id") == 0 || strcmp(opt, "--peer-id") == 0) {
            if (val[0] == '\0') {
                fprintf(stderr, "mikey-endpoint: %s needs a non-empty URI\n", opt);
                return EXIT_USAGE;
            }
            if (opt[2] == 'i') o->id = val;
            else o->peer_id = val;
        } else if (strcmp(opt, "--host") == 0) {
            struct in_addr a;
            if (inet_pton(AF_INET, val, &a) != 1) {
                fprintf(stderr, "mikey-endpoint: --host must be an IPv4 address, not '%s'\n", val);
                return EXIT_USAGE;
            }
            o->host = val;
        } else if (strcmp(opt, "--port") == 0) {
            rc = parse_uint("--port", val, 0, 65535, &o->port);
            o->port_given = 1;
        } else if (strcmp(opt, "--port-file") == 0 && o->mode == MODE_RESPOND) {
            o->port_file = val;
        } else if (strcmp(opt, "--packets") == 0) {
            rc = parse_uint("--packets", val, 0, 100000, &o->packets);
        } else if (strcmp(opt, "--profile") == 0) {
            if (strcmp(val, "80") == 0) o->profile = MIKEY_SRTP_AES128_CM_SHA1_80;
            else if (strcmp(val, "32") == 0) o->profile = MIKEY_SRTP_AES128_CM_SHA1_32;
            else {
                fprintf(stderr, "mikey-endpoint: --profile is 80 or 32, not '%s'\n", val);
                return EXIT_USAGE;
            }
            o->profile_given = 1;
        } else if (strcmp(opt, "--streams") == 0) {
            rc = parse_uint("--streams", val, 1, MAX_STREAMS, &o->streams);
        } else if (strcmp(opt, "--mki") == 0) {
            rc = parse_uint("--mki", val, 0, 4, &o->mki);
        } else if (strcmp(opt, "--timeout") == 0) {
            rc = parse_uint("--timeout", val, 1, 600, &o->timeout_s);
        } else if (strcmp(opt, "--tamper") == 0) {
            rc = parse_uint("--tamper", val, 1, 1000000, &o->tamper);
        } else if (strcmp(opt, "--lose-replies") == 0 && o->mode == MODE_RESPOND) {
            rc = parse_uint("--lose-replies", val, 0, 100, &o->lose_replies);
        } else if (strcmp(opt, "--spoof") == 0 && (o->mode == MODE_RESPOND || o->mode == MODE_INITIATE)) {
            rc = parse_spoof(o->mode, val, &o->spoof);
        } else if (strcmp(opt, "--offer") == 0 && (o->mode == MODE_OFFER || o->mode == MODE_ANSWER)) {
            o->offer_path = val;
        } else if (strcmp(opt, "--answer") == 0 && (o->mode == MODE_OFFER || o->mode == MODE_ANSWER)) {
            o->answer_path = val;
        } else {
            fprintf(stderr, "mikey-endpoint: unknown option '%s' for %s (see --help)\n", opt, argv[1]);
            return EXIT_USAGE;
        }
    }
    if (rc) return rc;
    if (rc == 0) rc = check_keying(o, have_psk, argv[1]);
    if (rc) return rc;
    if ((o->mode == MODE_OFFER || o->mode == MODE_ANSWER) && (!o->offer_path || !o->answer_path)) {
        fprintf(stderr, "mikey-endpoint: %s needs --offer FILE and --answer FILE\n", argv[1]);
        return EXIT_USAGE;
    }
    if (o->mode == MODE_OFFER || o->mode == MODE_ANSWER) {
        if (!o->port_given) o->port = 0; /* RTP port: ephemeral unless given */
    } else if (o->mode == MODE_INITIATE && o->port == 0) {
        fprintf(stderr, "mikey-endpoint: initiate needs the responder's --port (not 0)\n");
        return EXIT_USAGE;
    }
    return 0;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    static endpoint_t ep; /* large; zero-initialized */
    ep.sock = -1;
    int rc = parse_args(&ep.o, argc, argv);
    if (rc) return rc < 0 ? 0 : rc;
    static const char *roles[] = {"responder", "initiator", "offerer", "answerer"};
    static const char *peers[] = {"initiator", "responder", "answerer", "offerer"};
    g_role = roles[ep.o.mode];
    g_peer = peers[ep.o.mode];
    ep.initiator = ep.o.mode == MODE_INITIATE || ep.o.mode == MODE_OFFER;

    srtp_err_status_t sst = srtp_init();
    if (sst != srtp_err_status_ok) {
        complain("srtp_init: %s", srtp_status_name(sst));
        return EXIT_MEDIA;
    }
    /* NSS (which libsrtp2 uses on Debian) for the key fingerprints' SHA-256; no databases. */
    ep.nss = NSS_InitContext("", "", "", "", NULL,
                             NSS_INIT_READONLY | NSS_INIT_NOCERTDB | NSS_INIT_NOMODDB | NSS_INIT_FORCEOPEN |
                                 NSS_INIT_NOROOTINIT | NSS_INIT_OPTIMIZESPACE);
    if (ep.nss == NULL) {
        complain("NSS_InitContext failed");
        srtp_shutdown();
        return EXIT_IO;
    }
    say("libmikey %s, %s, MIKEY %s (%s)", mikey_version(), srtp_get_version_string(),
        ep.initiator ? "Initiator" : "Responder", ep.o.pk ? "PK" : "PSK");

    if (ep.o.pk) rc = load_credentials(&ep);
    if (rc == 0) {
        switch (ep.o.mode) {
        case MODE_RESPOND: rc = run_respond(&ep); break;
        case MODE_INITIATE: rc = run_initiate(&ep); break;
        case MODE_OFFER: rc = run_offer(&ep); break;
        default: rc = run_answer(&ep); break;
        }
    }

    if (ep.tx) srtp_dealloc(ep.tx);
    if (ep.rx) srtp_dealloc(ep.rx);
    mikey_session_free(ep.session);
    mikey_config_free(ep.cfg);
    if (ep.sock >= 0) close(ep.sock);
    explicit_bzero(ep.o.psk, sizeof ep.o.psk);
    free_blob(&ep.key, 1);
    free_blob(&ep.cert, 0);
    free_blob(&ep.ca, 0);
    free_blob(&ep.peer_cert, 0);
    NSS_ShutdownContext(ep.nss);
    srtp_shutdown();
    if (rc == 0) say("done: MIKEY exchange and SRTP OK");
    else say("failed (exit status %d)", rc);
    return rc;
}
