/* hooksig_replay_guard and hooksig_verified_dedupe_key: the conversions (flag, clock, forget),
 * argument checks, and 8 pthreads racing on the same keys through the C handle. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

/* check_and_remember returning the flag, or -1 when the call failed. */
static int check_key(const hooksig_replay_guard *g, const char *key, int64_t now) {
    int32_t is_new = 42;
    if (hooksig_replay_guard_check_and_remember(g, BYTES(key), now, &is_new, NULL) != HOOKSIG_OK) {
        return -1;
    }
    return is_new;
}

static hooksig_replay_guard *new_guard(uint64_t ttl, size_t capacity) {
    hooksig_replay_guard *g = NULL;
    CHECK(hooksig_replay_guard_new(ttl, capacity, &g, NULL) == HOOKSIG_OK && g != NULL);
    return g;
}

/* The conversions only: the flag, the injected clock and HOOKSIG_NOW, forget, the accessors.
 * Expiry, eviction and key semantics are the core's (hooksig-core replay::tests). */
static void test_conversions(void) {
    hooksig_replay_guard *g = new_guard(300, 100);
    CHECK(hooksig_replay_guard_ttl(g) == 300);
    CHECK(hooksig_replay_guard_capacity(g) == 100);
    CHECK(check_key(g, "github:id:d-1", 1000) == 1);  /* new */
    CHECK(check_key(g, "github:id:d-1", 1000) == 0);  /* duplicate */
    CHECK(check_key(g, "github:id:d-1", 1300) == 1);  /* the injected clock reaches the core */
    CHECK(hooksig_replay_guard_len(g) == 1);
    CHECK(hooksig_replay_guard_forget(g, BYTES("github:id:d-1"), NULL) == HOOKSIG_OK);
    CHECK(check_key(g, "github:id:d-1", 1300) == 1);
    CHECK(check_key(g, "clock", HOOKSIG_NOW) == 1);  /* the system clock */
    CHECK(check_key(g, "clock", HOOKSIG_NOW) == 0);
    hooksig_replay_guard_free(g);
}

static void test_arguments(void) {
    hooksig_replay_guard *g = NULL;
    hooksig_error *err = NULL;
    CHECK(hooksig_replay_guard_new(0, 10, &g, &err) == HOOKSIG_INVALID_ARGUMENT && g == NULL);
    CHECK(str_eq(hooksig_error_code(err), "invalid_argument"));
    hooksig_error_free(err);
    err = NULL;
    CHECK(hooksig_replay_guard_new(10, 0, &g, &err) == HOOKSIG_INVALID_ARGUMENT && g == NULL);
    hooksig_error_free(err);
    CHECK(hooksig_replay_guard_new(10, 10, NULL, NULL) == HOOKSIG_NULL_ARGUMENT);
    /* A huge ttl saturates instead of overflowing. */
    g = new_guard(UINT64_MAX, 1);
    CHECK(check_key(g, "k", INT64_MAX - 1) == 1);
    CHECK(check_key(g, "k", INT64_MAX - 1) == 0);
    hooksig_replay_guard_free(g);

    g = new_guard(60, 10);
    int32_t is_new = 42;
    err = NULL;
    CHECK(hooksig_replay_guard_check_and_remember(NULL, BYTES("k"), 0, &is_new, &err) ==
              HOOKSIG_NULL_ARGUMENT &&
          is_new == 42);
    CHECK(str_eq(hooksig_error_code(err), "null_argument"));
    hooksig_error_free(err);
    CHECK(hooksig_replay_guard_check_and_remember(g, NULL, 0, 0, &is_new, NULL) ==
          HOOKSIG_NULL_ARGUMENT);
    CHECK(hooksig_replay_guard_check_and_remember(g, NULL, 3, 0, &is_new, NULL) ==
          HOOKSIG_NULL_ARGUMENT);
    CHECK(hooksig_replay_guard_check_and_remember(g, (const char *)"k", SIZE_MAX, 0, &is_new,
                                                  NULL) == HOOKSIG_INVALID_ARGUMENT);
    /* NULL is_new_out: refused, and nothing remembered. */
    CHECK(hooksig_replay_guard_check_and_remember(g, BYTES("k"), 0, NULL, NULL) ==
          HOOKSIG_NULL_ARGUMENT);
    CHECK(hooksig_replay_guard_len(g) == 0);
    const char bad[] = {'k', (char)0xff, (char)0xfe};
    err = NULL;
    CHECK(hooksig_replay_guard_check_and_remember(g, bad, sizeof bad, 0, &is_new, &err) ==
              HOOKSIG_INVALID_UTF8 &&
          is_new == 42);
    CHECK(str_eq(hooksig_error_code(err), "invalid_utf8"));
    hooksig_error_free(err);
    CHECK(hooksig_replay_guard_forget(NULL, BYTES("k"), NULL) == HOOKSIG_NULL_ARGUMENT);
    CHECK(hooksig_replay_guard_forget(g, NULL, 0, NULL) == HOOKSIG_NULL_ARGUMENT);
    CHECK(hooksig_replay_guard_forget(g, bad, sizeof bad, NULL) == HOOKSIG_INVALID_UTF8);
    CHECK(hooksig_replay_guard_new_for(NULL, &g, NULL) == HOOKSIG_NULL_ARGUMENT);
    CHECK(hooksig_replay_guard_len(g) == 0); /* g untouched by the failed call */
    CHECK(hooksig_replay_guard_ttl(NULL) == 0);
    CHECK(hooksig_replay_guard_capacity(NULL) == 0);
    CHECK(hooksig_replay_guard_len(NULL) == 0);
    hooksig_replay_guard_free(g);
    hooksig_replay_guard_free(NULL);
}

static hooksig_verifier *verifier_for(const char *scheme, const char *secret, int64_t tolerance) {
    hooksig_bytes secrets[] = {{BYTES(secret)}};
    hooksig_verifier *v = NULL;
    CHECK(new_verifier(BYTES(scheme), secrets, 1, tolerance, &v, NULL) == HOOKSIG_OK);
    return v;
}

static void test_new_for_verifier(void) {
    hooksig_verifier *stripe = verifier_for("stripe", "whsec_k", 300);
    hooksig_verifier *github = verifier_for("github", "k", 300);
    hooksig_replay_guard *g = NULL;
    CHECK(hooksig_replay_guard_new_for(stripe, &g, NULL) == HOOKSIG_OK);
    CHECK(hooksig_replay_guard_ttl(g) == 660); /* past + future tolerance + 60 s */
    CHECK(hooksig_replay_default_ttl(stripe) == 660);
    CHECK(hooksig_replay_default_ttl(github) == 86400);
    CHECK(hooksig_replay_default_ttl(NULL) == 0);
    CHECK(hooksig_replay_guard_capacity(g) == HOOKSIG_DEFAULT_REPLAY_CAPACITY);
    hooksig_replay_guard_free(g);
    g = NULL;
    CHECK(hooksig_replay_guard_new_for(github, &g, NULL) == HOOKSIG_OK);
    CHECK(hooksig_replay_guard_ttl(g) == 86400); /* no timestamp: a day */
    hooksig_verifier_free(github);            /* the guard does not keep the verifier */
    CHECK(check_key(g, "x", 0) == 1);
    hooksig_replay_guard_free(g);
    hooksig_verifier_free(stripe);
}

/* Signs `body` and verifies it; returns the result (caller frees) or NULL. */
static hooksig_verified *sign_and_verify(const hooksig_verifier *v, const char *scheme,
                                         const char *secret, const char *body, const char *id,
                                         int64_t now) {
    hooksig_signed_headers *h = NULL;
    if (sign_named(BYTES(scheme), BYTES(secret), BYTES(body), now, (const char *)id,
                     id ? strlen(id) : 0, NULL, 0, &h, NULL) != HOOKSIG_OK) {
        return NULL;
    }
    hooksig_header headers[4];
    size_t n = hooksig_signed_headers_count(h);
    for (size_t i = 0; i < n && i < 4; i++) {
        headers[i].name = (const char *)hooksig_signed_headers_name(h, i, &headers[i].name_len);
        headers[i].value =
            (const char *)hooksig_signed_headers_value(h, i, &headers[i].value_len);
    }
    hooksig_verified *out = NULL;
    hooksig_verify(v, headers, n < 4 ? n : 4, BYTES(body), now, &out, NULL);
    hooksig_signed_headers_free(h);
    return out;
}

static void test_dedupe_key(void) {
    hooksig_verifier *sw = verifier_for("standard-webhooks", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", 300);
    hooksig_verified *r = sign_and_verify(sw, "standard-webhooks",
                                          "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "{}", "msg_1",
                                          1767225600);
    size_t len = 0;
    CHECK(r != NULL);
    CHECK(str_eq(hooksig_verified_dedupe_key(r, &len), "standard-webhooks:id:msg_1"));
    CHECK(len == strlen("standard-webhooks:id:msg_1"));
    CHECK(str_eq(hooksig_verified_dedupe_key(r, NULL), "standard-webhooks:id:msg_1"));
    hooksig_verified_free(r);
    hooksig_verifier_free(sw);

    /* No id in the scheme: a fingerprint of the signature, equal for the same delivery. */
    hooksig_verifier *gh = verifier_for("github", "k", 300);
    hooksig_verified *a = sign_and_verify(gh, "github", "k", "{\"n\":1}", NULL, 0);
    hooksig_verified *b = sign_and_verify(gh, "github", "k", "{\"n\":1}", NULL, 0);
    hooksig_verified *c = sign_and_verify(gh, "github", "k", "{\"n\":2}", NULL, 0);
    CHECK(a != NULL && b != NULL && c != NULL);
    const char *ka = hooksig_verified_dedupe_key(a, &len);
    CHECK(ka != NULL && strncmp(ka, "github:sig:", 11) == 0 && len == 11 + 32);
    CHECK(str_eq(ka, hooksig_verified_dedupe_key(b, NULL)));
    CHECK(!str_eq(ka, hooksig_verified_dedupe_key(c, NULL)));
    /* The receiver's flow: the first delivery is new, the retry a duplicate. */
    hooksig_replay_guard *g = NULL;
    CHECK(hooksig_replay_guard_new_for(gh, &g, NULL) == HOOKSIG_OK);
    CHECK(check_key(g, ka, 10) == 1);
    CHECK(check_key(g, hooksig_verified_dedupe_key(b, NULL), 11) == 0);
    CHECK(check_key(g, hooksig_verified_dedupe_key(c, NULL), 11) == 1);
    hooksig_replay_guard_free(g);
    hooksig_verified_free(a);
    hooksig_verified_free(b);
    hooksig_verified_free(c);
    hooksig_verifier_free(gh);

    len = 7;
    CHECK(hooksig_verified_dedupe_key(NULL, &len) == NULL && len == 7);
}

/* 8 threads released together by a barrier race on the same keys: one winner per key. */
#define RACERS 8
#define KEYS 200

typedef struct {
    const hooksig_replay_guard *guard;
    pthread_barrier_t *start;
    atomic_int *wins;
    atomic_int *errors;
} racer;

static void *race(void *arg) {
    racer *r = arg;
    pthread_barrier_wait(r->start);
    for (int k = 0; k < KEYS; k++) {
        char key[32];
        snprintf(key, sizeof key, "race:id:%d", k);
        int is_new = check_key(r->guard, key, 1767225600);
        if (is_new < 0) {
            atomic_fetch_add(r->errors, 1);
        } else if (is_new == 1) {
            atomic_fetch_add(&r->wins[k], 1);
        }
    }
    return NULL;
}

static void test_threads_race(void) {
    hooksig_replay_guard *g = new_guard(300, 10000);
    pthread_barrier_t start;
    CHECK(pthread_barrier_init(&start, NULL, RACERS) == 0);
    atomic_int wins[KEYS];
    for (int k = 0; k < KEYS; k++) atomic_init(&wins[k], 0);
    atomic_int errors;
    atomic_init(&errors, 0);
    pthread_t threads[RACERS];
    racer args[RACERS];
    int started = 0;
    for (int i = 0; i < RACERS; i++) {
        args[i] = (racer){g, &start, wins, &errors};
        if (pthread_create(&threads[i], NULL, race, &args[i]) == 0) started++;
    }
    if (!CHECK(started == RACERS)) {
        return; /* the barrier would never open; the test has failed */
    }
    for (int i = 0; i < RACERS; i++) pthread_join(threads[i], NULL);
    pthread_barrier_destroy(&start);
    int not_one = 0;
    for (int k = 0; k < KEYS; k++) not_one += atomic_load(&wins[k]) != 1;
    CHECK(not_one == 0);
    CHECK(atomic_load(&errors) == 0);
    CHECK(hooksig_replay_guard_len(g) == KEYS);
    hooksig_replay_guard_free(g);
}

void run_replay_tests(void) {
    test_conversions();
    test_arguments();
    test_new_for_verifier();
    test_dedupe_key();
    test_threads_race();
}
