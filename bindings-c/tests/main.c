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

hooksig_status new_verifier(const char *scheme, size_t scheme_len, const hooksig_bytes *secrets,
                            size_t n_secrets, int64_t tolerance_s, hooksig_verifier **out,
                            hooksig_error **err_out) {
    hooksig_scheme *s = NULL;
    hooksig_verifier_options *o = NULL;
    hooksig_status st = hooksig_scheme_from_name(scheme, scheme_len, &s, err_out);
    if (st == HOOKSIG_OK) {
        st = hooksig_verifier_options_new(&o, err_out);
    }
    if (st == HOOKSIG_OK) {
        st = hooksig_verifier_options_set_tolerance(o, tolerance_s, err_out);
    }
    if (st == HOOKSIG_OK) {
        st = hooksig_verifier_new(s, secrets, n_secrets, o, out, err_out);
    }
    hooksig_verifier_options_free(o);
    hooksig_scheme_free(s);
    return st;
}

hooksig_sign_options *sign_options(int64_t timestamp, const char *id, size_t id_len,
                                   const char *event_type, size_t event_type_len,
                                   hooksig_status *status, hooksig_error **err_out) {
    hooksig_sign_options *o = NULL;
    hooksig_status st = hooksig_sign_options_new(&o, err_out);
    if (st == HOOKSIG_OK) {
        st = hooksig_sign_options_set_timestamp(o, timestamp, err_out);
    }
    if (st == HOOKSIG_OK) {
        st = hooksig_sign_options_set_id(o, id, id_len, err_out);
    }
    if (st == HOOKSIG_OK) {
        st = hooksig_sign_options_set_event_type(o, event_type, event_type_len, err_out);
    }
    *status = st;
    if (st != HOOKSIG_OK) {
        hooksig_sign_options_free(o);
        return NULL;
    }
    return o;
}

hooksig_status sign_named(const char *scheme, size_t scheme_len, const char *secret,
                          size_t secret_len, const char *body, size_t body_len, int64_t timestamp,
                          const char *id, size_t id_len, const char *event_type,
                          size_t event_type_len, hooksig_signed_headers **out,
                          hooksig_error **err_out) {
    hooksig_scheme *s = NULL;
    hooksig_sign_options *o = NULL;
    hooksig_status st = hooksig_scheme_from_name(scheme, scheme_len, &s, err_out);
    if (st == HOOKSIG_OK) {
        o = sign_options(timestamp, id, id_len, event_type, event_type_len, &st, err_out);
    }
    if (st == HOOKSIG_OK) {
        st = hooksig_sign(s, secret, secret_len, body, body_len, o, out, err_out);
    }
    hooksig_sign_options_free(o);
    hooksig_scheme_free(s);
    return st;
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
