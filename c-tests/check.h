/* A tiny assertion helper for the C tests: CHECK(cond) reports a failed condition with
 * file:line and carries on (so one run shows every failure); check_report() at the end of
 * main turns the count into the exit status:  return check_report("test_name"); */
#ifndef MIKEY_C_TEST_CHECK_H
#define MIKEY_C_TEST_CHECK_H

#include <stdio.h>

static int check_failures = 0;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
            check_failures++;                                                        \
        }                                                                            \
    } while (0)

/* static inline: a test file that never calls it does not trip -Wunused-function. */
static inline int check_report(const char *name) {
    if (check_failures) {
        fprintf(stderr, "%s: %d check(s) failed\n", name, check_failures);
        return 1;
    }
    printf("%s: all checks passed\n", name);
    return 0;
}

#endif
