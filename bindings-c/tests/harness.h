/* Minimal test harness shared by the C test files: counted checks, one summary line. */
#ifndef HOOKSIG_TEST_HARNESS_H
#define HOOKSIG_TEST_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "hooksig.h"

/* A UTF-8 string literal or char array as the (pointer, length) pair hooksig takes. */
#define BYTES(s) (const uint8_t *)(s), strlen(s)

/* Records one assertion; prints the failing expression and location. Returns `ok`. */
int check_at(int ok, const char *expr, const char *file, int line);
#define CHECK(expr) check_at((expr) ? 1 : 0, #expr, __FILE__, __LINE__)

/* Records one named test outcome (used by the vector runner: one count per case). */
void record(int ok, const char *what);

/* 1 when the two C strings are equal (NULL equals only NULL). */
int str_eq(const char *a, const char *b);

void run_api_tests(void);
void run_thread_tests(void);
void run_replay_tests(void);
void run_receiver_tests(void);
void run_bad_input_rows(void);
int run_bad_input_table(const char *fixture_path);
int run_vector_tests(const char *fixture_path);

#endif
