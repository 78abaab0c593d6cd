/* Reading the test PKI's files (c-tests/make_pki.sh writes them to the directory a test
 * gets as argv[1]) for the public-key C tests. */
#ifndef MIKEY_C_TEST_PKI_FILE_H
#define MIKEY_C_TEST_PKI_FILE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

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

#endif
