/* MIKEY over TCP (IANA port 2269, "mikey"): a PSK exchange between two processes over a
 * loopback connection, read with mikey_stream_message_len. No RFC defines a framing for
 * MIKEY on TCP and none is needed: a message ends with its payload whose Next payload is
 * Last (RFC 3830 §6), so the receiver keeps reading until mikey_stream_message_len says the
 * bytes hold a whole message, hands exactly those bytes to mikey_session_process and keeps
 * the rest for the next message. To show it, the Initiator writes its I_MESSAGE in small
 * pieces. The example listens on an ephemeral port (2269 needs no privilege either, but may
 * be taken); pass a port number to use that one.
 *
 * Build: cc tcp_2269.c $(pkg-config --cflags --libs mikey) */
#define _POSIX_C_SOURCE 200809L

#include <mikey.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static const uint8_t PSK[] = "a pre-shared key for TCP 2269";

static mikey_config_t *config(void) {
    mikey_config_builder_t *b = NULL;
    mikey_config_t *c = NULL;
    if (mikey_config_builder_new(MIKEY_MODE_PSK, &b) != MIKEY_OK) return NULL;
    if (mikey_config_builder_set_psk(b, PSK, sizeof PSK - 1) != MIKEY_OK ||
        mikey_config_builder_build(b, &c) != MIKEY_OK) {
        mikey_config_builder_free(b);
        return NULL;
    }
    return c;
}

/* Reads one MIKEY message from `fd` into `buf` (capacity `cap`): bytes already in `buf`
 * (`*have` of them) first. Returns its length, or 0 on a closed connection or a byte stream
 * that is not MIKEY. The bytes after the message stay in `buf` (`*have` is updated). */
static size_t read_message(int fd, uint8_t *buf, size_t cap, size_t *have, uint8_t *msg) {
    for (;;) {
        size_t len = 0;
        mikey_status_t st = mikey_stream_message_len(buf, *have, &len);
        if (st != MIKEY_OK) {
            fprintf(stderr, "not a MIKEY stream: %s\n", mikey_status_str(st));
            return 0;
        }
        if (len > 0) {
            memcpy(msg, buf, len);
            memmove(buf, buf + len, *have - len);
            *have -= len;
            return len;
        }
        if (*have == cap) return 0;
        ssize_t n = read(fd, buf + *have, cap - *have);
        if (n <= 0) return 0;
        *have += (size_t)n;
    }
}

/* Writes `len` bytes in pieces of at most `piece`. */
static int write_pieces(int fd, const uint8_t *data, size_t len, size_t piece) {
    while (len > 0) {
        size_t n = len < piece ? len : piece;
        ssize_t w = write(fd, data, n);
        if (w <= 0) return -1;
        data += w;
        len -= (size_t)w;
    }
    return 0;
}

/* The Responder: accepts one connection, answers the I_MESSAGE with its verification
 * message, prints its key. */
static int responder(int listener) {
    int fd = accept(listener, NULL, NULL);
    if (fd < 0) return 1;
    mikey_config_t *c = config();
    mikey_session_t *r = NULL;
    uint8_t buf[4096], msg[4096], reply[1024];
    size_t have = 0, len, reply_len = 0;
    int failed = 1;
    if (c != NULL && mikey_session_new(c, MIKEY_ROLE_RESPONDER, &r) == MIKEY_OK &&
        (len = read_message(fd, buf, sizeof buf, &have, msg)) > 0 &&
        mikey_session_process(r, msg, len, reply, sizeof reply, &reply_len) == MIKEY_OK &&
        write_pieces(fd, reply, reply_len, reply_len) == 0) {
        mikey_srtp_key_t key;
        if (mikey_session_srtp_key(r, 0, 0, &key) == MIKEY_OK) {
            printf("responder: I_MESSAGE of %zu bytes, key", len);
            for (size_t k = 0; k < key.key_salt_len; k++) printf("%02x", key.key_salt[k]);
            printf("\n");
            memset(&key, 0, sizeof key);
            failed = 0;
        }
    }
    mikey_session_free(r);
    mikey_config_free(c);
    close(fd);
    return failed;
}

/* The Initiator: connects, sends its I_MESSAGE 7 bytes at a time, reads the verification
 * message. */
static int initiator(uint16_t port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in to;
    memset(&to, 0, sizeof to);
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&to, sizeof to) != 0) return 1;
    mikey_config_t *c = config();
    mikey_session_t *i = NULL;
    const mikey_stream_t stream = {0x22692269u, 0, 0};
    uint8_t init[1024], buf[4096], msg[4096];
    size_t init_len = 0, have = 0, len, none = 0;
    int failed = 1;
    if (c != NULL && mikey_session_new(c, MIKEY_ROLE_INITIATOR, &i) == MIKEY_OK &&
        mikey_session_initiate(i, &stream, 1, init, sizeof init, &init_len) == MIKEY_OK &&
        write_pieces(fd, init, init_len, 7) == 0 &&
        (len = read_message(fd, buf, sizeof buf, &have, msg)) > 0 &&
        mikey_session_process(i, msg, len, NULL, 0, &none) == MIKEY_OK) {
        mikey_srtp_key_t key;
        if (mikey_session_srtp_key(i, 0, 0, &key) == MIKEY_OK) {
            printf("initiator: verification message of %zu bytes, key", len);
            for (size_t k = 0; k < key.key_salt_len; k++) printf("%02x", key.key_salt[k]);
            printf("\n");
            memset(&key, 0, sizeof key);
            failed = 0;
        }
    }
    mikey_session_free(i);
    mikey_config_free(c);
    close(fd);
    return failed;
}

int main(int argc, char **argv) {
    uint16_t port = argc > 1 ? (uint16_t)atoi(argv[1]) : 0;
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in at;
    socklen_t at_len = sizeof at;
    memset(&at, 0, sizeof at);
    at.sin_family = AF_INET;
    at.sin_port = htons(port);
    at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (listener < 0 || bind(listener, (struct sockaddr *)&at, sizeof at) != 0 ||
        listen(listener, 1) != 0 || getsockname(listener, (struct sockaddr *)&at, &at_len) != 0) {
        perror("listen");
        return 1;
    }
    fflush(stdout);
    pid_t child = fork();
    if (child < 0) return 1;
    if (child == 0) {
        close(listener);
        _exit(initiator(ntohs(at.sin_port)));
    }
    int failed = responder(listener);
    close(listener);
    int status = 0;
    waitpid(child, &status, 0);
    failed |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    printf("%s\n", failed ? "FAILED" : "done: MIKEY over TCP OK");
    return failed;
}
