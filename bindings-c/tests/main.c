/* Runs every C test suite and prints `N passed, N failed` on the last line.
 * Usage: hooksig_tests VECTORS_FIXTURE [BAD_INPUTS_FIXTURE] (both made by vectors_to_fixture.py;
 * test.sh gives the bad-input table, with its 100 MiB body, to one of the two link modes only) */
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"

static int passed, failed;

int check_at(int ok, const char *expr, const char *file, int line) {
    if (ok) {
        passed++;
    } else {
        failed++;
        fprintf(stderr, "FAIL %s:%d: %s\n", file, line, expr);
    }
    return ok;
}

void record(int ok, const char *what) {
    if (ok) {
        passed++;
    } else {
        failed++;
        fprintf(stderr, "FAIL %s\n", what);
    }
}

int str_eq(const char *a, const char *b) {
    if (a == NULL || b == NULL) {
        return a == b;
    }
    return strcmp(a, b) == 0;
}

int main(int argc, char **argv) {
    if (argc != 2 && argc != 3) {
        fprintf(stderr, "usage: %s VECTORS_FIXTURE [BAD_INPUTS_FIXTURE]\n", argv[0]);
        return 2;
    }
    run_api_tests();
    run_thread_tests();
    run_replay_tests();
    run_receiver_tests();
    int cases = run_vector_tests(argv[1]);
    if (cases <= 0) {
        record(0, "the vector fixture holds no cases");
    }
    printf("vector cases run: %d\n", cases);
    run_bad_input_rows();
    if (argc == 3) {
        int bad = run_bad_input_table(argv[2]);
        if (bad <= 0) {
            record(0, "the bad-inputs fixture holds no cases");
        }
        printf("bad-input cases run: %d\n", bad);
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
