/* Reading the test PKI's files (c-tests/make_pki.sh writes them to the directory a test
 * gets as argv[1]) for the public-key C tests. */
#ifndef MIKEY_C_TEST_PKI_FILE_H
#define MIKEY_C_TEST_PKI_FILE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A file's bytes, owned (free `data`). */
typedef struct {
    uint8_t *data;
    size_t len;
} blob_t;

/* Reads the whole file `name` of directory `dir`; NULL data (and a line on stderr naming
 * `prog`) when it cannot. */
static inline blob_t pki_file(const char *dir, const char *name, const char *prog) {
    blob_t b = {NULL, 0};
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "%s: cannot open %s\n", prog, path);
        return b;
    }
    if (fseek(f, 0, SEEK_END) == 0) {
        long n = ftell(f);
        if (n > 0 && fseek(f, 0, SEEK_SET) == 0) {
            b.data = malloc((size_t)n);
            if (b.data != NULL && fread(b.data, 1, (size_t)n, f) == (size_t)n) {
                b.len = (size_t)n;
            } else {
                free(b.data);
                b.data = NULL;
            }
        }
    }
    fclose(f);
    if (b.data == NULL) fprintf(stderr, "%s: cannot read %s\n", prog, path);
    return b;
}

/* Writes `len` bytes to `path`; 0 on failure. */
static inline int pki_write_file(const char *path, const uint8_t *data, size_t len) {
    FILE *f = fopen(path, "wb");
    if (f == NULL) return 0;
    int ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok;
}

/* Makes the signature that ends `msg` (its last `sig_len` bytes) again with the key in file
 * `key_file` of `dir`, by the openssl tool (RSASSA-PKCS1-v1_5 with SHA-256, S type 0; RFC
 * 3830 §5.2: the signature covers the whole message except the Signature field). Scratch
 * files in `dir` carry `prog`, so tests running at once never share one. Returns 1 on
 * success. */
static inline int pki_resign(const char *dir, const char *prog, uint8_t *msg, size_t len,
                             size_t sig_len, const char *key_file) {
    char covered[1200], sig[1200], cmd[4000];
    uint8_t buf[1024 + 1];
    size_t got = 0;
    snprintf(covered, sizeof covered, "%s/%s-covered.bin", dir, prog);
    snprintf(sig, sizeof sig, "%s/%s-sig.bin", dir, prog);
    if (len < sig_len || sig_len > 1024 || !pki_write_file(covered, msg, len - sig_len))
        return 0;
    snprintf(cmd, sizeof cmd, "openssl dgst -sha256 -sign \"%s/%s\" -out \"%s\" \"%s\"", dir,
             key_file, sig, covered);
    if (system(cmd) != 0) return 0;
    FILE *f = fopen(sig, "rb");
    if (f != NULL) {
        got = fread(buf, 1, sizeof buf, f);
        fclose(f);
        if (got == sig_len) memcpy(msg + len - sig_len, buf, sig_len);
    }
    remove(covered);
    remove(sig);
    return got == sig_len;
}

#endif
