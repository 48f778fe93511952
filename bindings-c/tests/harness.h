/* Minimal test harness shared by the C test files: counted checks, one summary line. */
#ifndef HOOKSIG_TEST_HARNESS_H
#define HOOKSIG_TEST_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "hooksig.h"

/* A UTF-8 string literal or char array as the (pointer, length) pair hooksig takes. */
#define BYTES(s) (const char *)(s), strlen(s)

/* Records one assertion; prints the failing expression and location. Returns `ok`. */
int check_at(int ok, const char *expr, const char *file, int line);
#define CHECK(expr) check_at((expr) ? 1 : 0, #expr, __FILE__, __LINE__)

/* Records one named test outcome (used by the vector runner: one count per case). */
void record(int ok, const char *what);

/* 1 when the two C strings are equal (NULL equals only NULL). */
int str_eq(const char *a, const char *b);

/* The old one-call shapes, for the tests that are about something else: the scheme (by name)
 * and the options are built, used and freed around one hooksig_verifier_new / hooksig_sign.
 * The first failing call's status (and error) is returned. */
hooksig_status new_verifier(const char *scheme, size_t scheme_len, const hooksig_bytes *secrets,
                            size_t n_secrets, int64_t tolerance_s, hooksig_verifier **out,
                            hooksig_error **err_out);
hooksig_status sign_named(const char *scheme, size_t scheme_len, const char *secret,
                          size_t secret_len, const char *body, size_t body_len, int64_t timestamp,
                          const char *id, size_t id_len, const char *event_type,
                          size_t event_type_len, hooksig_signed_headers **out,
                          hooksig_error **err_out);
/* hooksig_sign_options for (timestamp, id, event type); NULL (with *status set) on failure. */
hooksig_sign_options *sign_options(int64_t timestamp, const char *id, size_t id_len,
                                   const char *event_type, size_t event_type_len,
                                   hooksig_status *status, hooksig_error **err_out);

void run_api_tests(void);
void run_thread_tests(void);
void run_replay_tests(void);
void run_receiver_tests(void);
void run_bad_input_rows(void);
int run_bad_input_table(const char *fixture_path);
int run_vector_tests(const char *fixture_path);

#endif
