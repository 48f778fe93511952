/* hooksig_receiver / hooksig_answer: the core's receiver policy through C — the exact bytes of
 * the 405, 413, 400, rejection, duplicate, 409, 503 and success answers, the failed-handler
 * rule, a whole request with a replay guard, and argument checks. */
#include <stdio.h>
#include <string.h>

#include "harness.h"

static int body_is(const hooksig_answer *a, const char *want) {
    size_t len = 12345;
    const uint8_t *body = hooksig_answer_body(a, &len);
    return body != NULL && len == strlen(want) && memcmp(body, want, len) == 0 &&
           body[len] == 0;
}

/* Exactly one header besides Content-Type, `name: value`. */
static int one_header(const hooksig_answer *a, const char *name, const char *value) {
    size_t nl = 0, vl = 0;
    const char *n = hooksig_answer_header_name(a, 0, &nl);
    const char *v = hooksig_answer_header_value(a, 0, &vl);
    return hooksig_answer_header_count(a) == 1 && str_eq(n, name) && nl == strlen(name) &&
           str_eq(v, value) && vl == strlen(value) &&
           hooksig_answer_header_name(a, 1, NULL) == NULL &&
           hooksig_answer_header_value(a, 1, NULL) == NULL;
}

static int json_type(const hooksig_answer *a) {
    size_t len = 0;
    const char *ct = hooksig_answer_content_type(a, &len);
    return str_eq(ct, "application/json") && len == 16;
}

#define M405 "{\"error\":\"method_not_allowed\",\"message\":\"the method is not allowed; webhooks are delivered with POST\"}"
#define M413 "{\"error\":\"body_too_large\",\"message\":\"the request body is larger than the receiver accepts\"}"

static void test_start(void) {
    hooksig_receiver *r = NULL;
    CHECK(hooksig_receiver_new(1024, &r, NULL) == HOOKSIG_OK && r != NULL);
    CHECK(hooksig_receiver_limit(r) == 1024);
    CHECK(hooksig_receiver_limit(NULL) == 0);

    hooksig_answer *a = (hooksig_answer *)1; /* must be overwritten with NULL */
    CHECK(hooksig_receiver_start(r, BYTES("POST"), 1024, &a, NULL) == HOOKSIG_OK && a == NULL);
    a = (hooksig_answer *)1;
    CHECK(hooksig_receiver_start(r, BYTES("POST"), HOOKSIG_NO_CONTENT_LENGTH, &a, NULL) ==
              HOOKSIG_OK &&
          a == NULL);

    /* Which methods are refused is the core's (receive::tests, tests/receivers); here, that a
     * 405 answer crosses the boundary whole. */
    a = NULL;
    CHECK(hooksig_receiver_start(r, BYTES("GET"), 0, &a, NULL) == HOOKSIG_OK);
    CHECK(hooksig_answer_status(a) == 405);
    CHECK(json_type(a));
    CHECK(one_header(a, "Allow", "POST"));
    CHECK(body_is(a, M405));
    hooksig_answer_free(a);
    /* Non-UTF-8 method bytes are just another method. */
    a = NULL;
    CHECK(hooksig_receiver_start(r, (const char *)"\xff\xfe", 2, 0, &a, NULL) == HOOKSIG_OK);
    CHECK(hooksig_answer_status(a) == 405);
    hooksig_answer_free(a);

    a = NULL;
    CHECK(hooksig_receiver_start(r, BYTES("POST"), 1025, &a, NULL) == HOOKSIG_OK);
    CHECK(hooksig_answer_status(a) == 413 && hooksig_answer_header_count(a) == 0);
    CHECK(body_is(a, M413));
    hooksig_answer_free(a);

    a = NULL;
    CHECK(hooksig_receiver_body_too_large(r, &a, NULL) == HOOKSIG_OK);
    CHECK(hooksig_answer_status(a) == 413 && body_is(a, M413));
    hooksig_answer_free(a);
    a = NULL;
    CHECK(hooksig_receiver_body_read_failed(r, &a, NULL) == HOOKSIG_OK);
    CHECK(hooksig_answer_status(a) == 400);
    CHECK(body_is(a, "{\"error\":\"body_read_failed\",\"message\":\"the request body could not be read\"}"));
    hooksig_answer_free(a);

    /* Argument checks: outputs untouched, an error object on request. */
    hooksig_error *err = NULL;
    a = NULL;
    CHECK(hooksig_receiver_start(r, BYTES("POST"), -2, &a, &err) == HOOKSIG_INVALID_ARGUMENT);
    CHECK(a == NULL && err != NULL && str_eq(hooksig_error_code(err), "invalid_argument"));
    hooksig_error_free(err);
    CHECK(hooksig_receiver_start(NULL, BYTES("POST"), 0, &a, NULL) == HOOKSIG_NULL_ARGUMENT);
    CHECK(hooksig_receiver_start(r, BYTES("POST"), 0, NULL, NULL) == HOOKSIG_NULL_ARGUMENT);
    CHECK(hooksig_receiver_start(r, NULL, 4, 0, &a, NULL) == HOOKSIG_NULL_ARGUMENT);
    CHECK(hooksig_receiver_new(1, NULL, NULL) == HOOKSIG_NULL_ARGUMENT);
    CHECK(hooksig_answer_status(NULL) == 0 && hooksig_answer_body(NULL, NULL) == NULL);
    CHECK(hooksig_answer_content_type(NULL, NULL) == NULL && hooksig_answer_header_count(NULL) == 0);
    hooksig_answer_free(NULL);
    hooksig_receiver_free(r);
    hooksig_receiver_free(NULL);

    CHECK(hooksig_receiver_new(HOOKSIG_DEFAULT_BODY_LIMIT, &r, NULL) == HOOKSIG_OK);
    CHECK(hooksig_receiver_limit(r) == 10 * 1024 * 1024);
    hooksig_receiver_free(r);
}

static void test_guarded_and_finished(void) {
    hooksig_receiver *r = NULL;
    CHECK(hooksig_receiver_new(HOOKSIG_DEFAULT_BODY_LIMIT, &r, NULL) == HOOKSIG_OK);
    hooksig_answer *a = (hooksig_answer *)1;
    CHECK(hooksig_receiver_guarded(r, HOOKSIG_GUARD_NEW, &a, NULL) == HOOKSIG_OK && a == NULL);
    CHECK(hooksig_receiver_guarded(r, HOOKSIG_GUARD_DUPLICATE, &a, NULL) == HOOKSIG_OK);
    CHECK(hooksig_answer_status(a) == 200 && hooksig_answer_header_count(a) == 0);
    CHECK(body_is(a, "{\"status\":\"duplicate\"}") && json_type(a));
    hooksig_answer_free(a);
    CHECK(hooksig_receiver_guarded(r, HOOKSIG_GUARD_IN_PROGRESS, &a, NULL) == HOOKSIG_OK);
    CHECK(hooksig_answer_status(a) == 409 && one_header(a, "Retry-After", "30"));
    CHECK(body_is(a, "{\"error\":\"delivery_in_progress\",\"message\":\"this delivery is being processed by another request; retry later\"}"));
    hooksig_answer_free(a);
    CHECK(hooksig_receiver_guarded(r, HOOKSIG_GUARD_UNAVAILABLE, &a, NULL) == HOOKSIG_OK);
    CHECK(hooksig_answer_status(a) == 503 && one_header(a, "Retry-After", "30"));
    CHECK(body_is(a, "{\"error\":\"replay_store_unavailable\",\"message\":\"the replay store is unavailable; retry later\"}"));
    hooksig_answer_free(a);
    a = NULL;
    CHECK(hooksig_receiver_guarded(r, 4, &a, NULL) == HOOKSIG_INVALID_ARGUMENT && a == NULL);
    CHECK(hooksig_receiver_guarded(r, -1, &a, NULL) == HOOKSIG_INVALID_ARGUMENT && a == NULL);

    /* The 2xx rule is the core's (Receiver::finished); the Rust unit test in receiver.rs checks
     * the int conversion (negative, > 65535). */
    CHECK(hooksig_receiver_finished(r, 204) == HOOKSIG_KEY_KEEP);
    CHECK(hooksig_receiver_finished(r, 422) == HOOKSIG_KEY_RELEASE);
    CHECK(hooksig_receiver_finished(r, HOOKSIG_HANDLER_RAISED) == HOOKSIG_KEY_RELEASE);
    CHECK(hooksig_receiver_finished(NULL, 200) == HOOKSIG_KEY_RELEASE);
    hooksig_receiver_free(r);
}

/* Signs `body` for github (id d-1, event ping) and verifies it: the whole request flow. */
static void test_request_flow(void) {
    const char *secret = "It's a Secret to Everybody";
    const char *body = "{\"zen\":\"Keep it logically awesome.\"}";
    hooksig_bytes sec = {(const char *)secret, strlen(secret)};
    hooksig_verifier *v = NULL;
    CHECK(new_verifier(BYTES("github"), &sec, 1, HOOKSIG_DEFAULT_TOLERANCE, &v, NULL) ==
          HOOKSIG_OK);
    hooksig_replay_guard *g = NULL;
    CHECK(hooksig_replay_guard_new_for(v, &g, NULL) == HOOKSIG_OK);
    hooksig_receiver *r = NULL;
    CHECK(hooksig_receiver_new(HOOKSIG_DEFAULT_BODY_LIMIT, &r, NULL) == HOOKSIG_OK);
    hooksig_signed_headers *sh = NULL;
    CHECK(sign_named(BYTES("github"), BYTES(secret), BYTES(body), HOOKSIG_NOW, BYTES("d-1"),
                       BYTES("ping"), &sh, NULL) == HOOKSIG_OK);
    size_t n = hooksig_signed_headers_count(sh);
    hooksig_header hs[8];
    CHECK(n > 0 && n <= 8);
    for (size_t i = 0; i < n && i < 8; i++) {
        size_t nl = 0, vl = 0;
        hs[i].name = (const char *)hooksig_signed_headers_name(sh, i, &nl);
        hs[i].name_len = nl;
        hs[i].value = (const char *)hooksig_signed_headers_value(sh, i, &vl);
        hs[i].value_len = vl;
    }

    int handler_runs = 0;
    for (int attempt = 0; attempt < 3; attempt++) {
        hooksig_answer *a = NULL;
        CHECK(hooksig_receiver_start(r, BYTES("POST"), (int64_t)strlen(body), &a, NULL) ==
                  HOOKSIG_OK &&
              a == NULL);
        hooksig_verified *ok = NULL;
        CHECK(hooksig_verify(v, hs, n, BYTES(body), HOOKSIG_NOW, &ok, NULL) == HOOKSIG_OK);
        size_t kl = 0;
        const char *key = hooksig_verified_dedupe_key(ok, &kl);
        int32_t is_new = -1;
        CHECK(hooksig_replay_guard_check_and_remember(g, (const char *)key, kl, HOOKSIG_NOW,
                                                      &is_new, NULL) == HOOKSIG_OK);
        CHECK(hooksig_receiver_guarded(r, is_new ? HOOKSIG_GUARD_NEW : HOOKSIG_GUARD_DUPLICATE,
                                       &a, NULL) == HOOKSIG_OK);
        if (attempt == 2) {
            /* The handler succeeded on attempt 1: this one is a duplicate. */
            CHECK(a != NULL && hooksig_answer_status(a) == 200 &&
                  body_is(a, "{\"status\":\"duplicate\"}"));
        } else {
            CHECK(a == NULL);
            handler_runs++;
            /* Attempt 0: the handler answers 500, the key is released; attempt 1: 200. */
            int status = attempt == 0 ? 500 : 200;
            if (hooksig_receiver_finished(r, status) == HOOKSIG_KEY_RELEASE) {
                CHECK(hooksig_replay_guard_forget(g, (const char *)key, kl, NULL) == HOOKSIG_OK);
            }
            CHECK(hooksig_receiver_received(r, ok, &a, NULL) == HOOKSIG_OK);
            CHECK(hooksig_answer_status(a) == 200 && hooksig_answer_header_count(a) == 0);
            CHECK(body_is(a, "{\"status\":\"received\",\"scheme\":\"github\",\"id\":\"d-1\",\"event_type\":\"ping\"}"));
        }
        hooksig_answer_free(a);
        hooksig_verified_free(ok);
    }
    CHECK(handler_runs == 2);

    /* A tampered body: the rejection, from the error object and from the bare status. */
    hooksig_verified *bad = NULL;
    hooksig_error *err = NULL;
    hooksig_status st = hooksig_verify(v, hs, n, BYTES("{}"), HOOKSIG_NOW, &bad, &err);
    CHECK(st == HOOKSIG_SIGNATURE_MISMATCH && bad == NULL && err != NULL);
    const char *mismatch = "{\"error\":\"signature_mismatch\",\"message\":\"no signature matched any secret\"}";
    hooksig_answer *a = NULL;
    CHECK(hooksig_receiver_rejected(r, err, &a, NULL) == HOOKSIG_OK);
    CHECK(hooksig_answer_status(a) == 401 && body_is(a, mismatch) && json_type(a));
    hooksig_answer_free(a);
    a = NULL;
    CHECK(hooksig_receiver_rejected_status(r, st, &a, NULL) == HOOKSIG_OK);
    CHECK(hooksig_answer_status(a) == 401 && body_is(a, mismatch));
    hooksig_answer_free(a);
    hooksig_error_free(err);

    /* No signature at all: 400 missing_signature. */
    err = NULL;
    CHECK(hooksig_verify(v, NULL, 0, BYTES(body), HOOKSIG_NOW, &bad, &err) == HOOKSIG_MISSING_SIGNATURE);
    a = NULL;
    CHECK(hooksig_receiver_rejected(r, err, &a, NULL) == HOOKSIG_OK);
    CHECK(hooksig_answer_status(a) == 400);
    CHECK(body_is(a, "{\"error\":\"missing_signature\",\"message\":\"the signature header is missing or empty\"}"));
    hooksig_answer_free(a);
    hooksig_error_free(err);

    /* Not answerable: OK, a C usage status, an unknown number, a NULL error. */
    a = NULL;
    CHECK(hooksig_receiver_rejected_status(r, HOOKSIG_OK, &a, NULL) == HOOKSIG_INVALID_ARGUMENT);
    CHECK(hooksig_receiver_rejected_status(r, HOOKSIG_NULL_ARGUMENT, &a, NULL) == HOOKSIG_INVALID_ARGUMENT);
    CHECK(hooksig_receiver_rejected_status(r, 9999, &a, NULL) == HOOKSIG_INVALID_ARGUMENT);
    CHECK(hooksig_receiver_rejected(r, NULL, &a, NULL) == HOOKSIG_NULL_ARGUMENT && a == NULL);
    CHECK(hooksig_receiver_received(r, NULL, &a, NULL) == HOOKSIG_NULL_ARGUMENT && a == NULL);

    hooksig_signed_headers_free(sh);
    hooksig_receiver_free(r);
    hooksig_replay_guard_free(g);
    hooksig_verifier_free(v);
}

/* A payload without id or event type: null, not "". */
static void test_received_nulls(void) {
    hooksig_bytes sec = {(const char *)"whsec_hooksig_receivers", 23};
    hooksig_verifier *v = NULL;
    CHECK(new_verifier(BYTES("algoguard"), &sec, 1, HOOKSIG_DEFAULT_TOLERANCE, &v, NULL) ==
          HOOKSIG_OK);
    hooksig_signed_headers *sh = NULL;
    CHECK(sign_named(BYTES("algoguard"), sec.ptr, sec.len, NULL, 0, HOOKSIG_NOW, NULL, 0, NULL, 0,
                       &sh, NULL) == HOOKSIG_OK);
    size_t n = hooksig_signed_headers_count(sh);
    hooksig_header hs[8];
    for (size_t i = 0; i < n && i < 8; i++) {
        size_t nl = 0, vl = 0;
        hs[i].name = (const char *)hooksig_signed_headers_name(sh, i, &nl);
        hs[i].name_len = nl;
        hs[i].value = (const char *)hooksig_signed_headers_value(sh, i, &vl);
        hs[i].value_len = vl;
    }
    hooksig_verified *ok = NULL;
    CHECK(hooksig_verify(v, hs, n, NULL, 0, HOOKSIG_NOW, &ok, NULL) == HOOKSIG_OK);
    hooksig_receiver *r = NULL;
    CHECK(hooksig_receiver_new(0, &r, NULL) == HOOKSIG_OK);
    hooksig_answer *a = NULL;
    CHECK(hooksig_receiver_received(r, ok, &a, NULL) == HOOKSIG_OK);
    CHECK(body_is(a, "{\"status\":\"received\",\"scheme\":\"algoguard\",\"id\":null,\"event_type\":null}"));
    hooksig_answer_free(a);
    hooksig_receiver_free(r);
    hooksig_verified_free(ok);
    hooksig_signed_headers_free(sh);
    hooksig_verifier_free(v);
}

/* A Twitch request through hooksig_receiver_handshake: the challenge answered in text/plain
 * for webhook_callback_verification (message type `kind`), NULL for a notification. */
static void twitch_handshake(const char *kind, int answered) {
    hooksig_bytes sec = {(const char *)"twitch_secret_hooksig", 21};
    hooksig_verifier *v = NULL;
    CHECK(new_verifier(BYTES("twitch"), &sec, 1, HOOKSIG_DEFAULT_TOLERANCE, &v, NULL) ==
          HOOKSIG_OK);
    const char *body = "{\"challenge\":\"pogchamp-kappa\",\"subscription\":{}}";
    hooksig_signed_headers *sh = NULL;
    CHECK(sign_named(BYTES("twitch"), sec.ptr, sec.len, BYTES(body), HOOKSIG_NOW, BYTES("m-1"),
                     BYTES("channel.follow"), &sh, NULL) == HOOKSIG_OK);
    size_t n = hooksig_signed_headers_count(sh);
    hooksig_header hs[9];
    for (size_t i = 0; i < n && i < 8; i++) {
        size_t nl = 0, vl = 0;
        hs[i].name = (const char *)hooksig_signed_headers_name(sh, i, &nl);
        hs[i].name_len = nl;
        hs[i].value = (const char *)hooksig_signed_headers_value(sh, i, &vl);
        hs[i].value_len = vl;
    }
    CHECK(n < 9);
    hs[n].name = "Twitch-Eventsub-Message-Type";
    hs[n].name_len = strlen(hs[n].name);
    hs[n].value = kind;
    hs[n].value_len = strlen(kind);
    n++;
    hooksig_verified *ok = NULL;
    CHECK(hooksig_verify(v, hs, n, BYTES(body), HOOKSIG_NOW, &ok, NULL) == HOOKSIG_OK);
    hooksig_receiver *r = NULL;
    CHECK(hooksig_receiver_new(HOOKSIG_DEFAULT_BODY_LIMIT, &r, NULL) == HOOKSIG_OK);
    hooksig_answer *a = NULL;
    CHECK(hooksig_receiver_handshake(r, v, ok, hs, n, &a, NULL) == HOOKSIG_OK);
    if (answered) {
        size_t len = 0;
        const char *ct = hooksig_answer_content_type(a, &len);
        CHECK(a != NULL && hooksig_answer_status(a) == 200 && hooksig_answer_header_count(a) == 0);
        CHECK(str_eq(ct, "text/plain; charset=utf-8") && len == 25);
        CHECK(body_is(a, "pogchamp-kappa"));
    } else {
        CHECK(a == NULL);
    }
    hooksig_answer_free(a);
    /* Argument checks. */
    a = NULL;
    CHECK(hooksig_receiver_handshake(r, NULL, ok, hs, n, &a, NULL) == HOOKSIG_NULL_ARGUMENT && a == NULL);
    CHECK(hooksig_receiver_handshake(r, v, NULL, hs, n, &a, NULL) == HOOKSIG_NULL_ARGUMENT && a == NULL);
    CHECK(hooksig_receiver_handshake(r, v, ok, NULL, 1, &a, NULL) == HOOKSIG_NULL_ARGUMENT && a == NULL);
    CHECK(hooksig_receiver_handshake(r, v, ok, hs, n, NULL, NULL) == HOOKSIG_NULL_ARGUMENT);
    hooksig_receiver_free(r);
    hooksig_verified_free(ok);
    hooksig_signed_headers_free(sh);
    hooksig_verifier_free(v);
}

static void test_handshake(void) {
    twitch_handshake("webhook_callback_verification", 1);
    twitch_handshake("notification", 0);
}

void run_receiver_tests(void) {
    test_start();
    test_guarded_and_finished();
    test_request_flow();
    test_received_nulls();
    test_handshake();
}
