/* The C API's contract beyond the vectors: NULL and garbage arguments, ownership (outputs
 * written only on success, caller buffers not kept), accessors, status tables. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static const char *SECRET = "It's a Secret to Everybody";
static const char *BODY = "Hello, World!";

static hooksig_verifier *github_verifier(void) {
    hooksig_bytes secrets[] = {{(const char *)SECRET, strlen(SECRET)}};
    hooksig_verifier *v = NULL;
    CHECK(new_verifier(BYTES("github"), secrets, 1, 300, &v, NULL) == HOOKSIG_OK);
    return v;
}

static void test_version_and_schemes(void) {
    CHECK(str_eq(hooksig_version(), HOOKSIG_VERSION));
    size_t n = hooksig_scheme_builtin_count();
    CHECK(n == 43);
    int has_stripe = 0;
    for (size_t i = 0; i < n; i++) {
        const char *id = hooksig_scheme_builtin_id(i);
        CHECK(id != NULL);
        has_stripe |= str_eq(id, "stripe");
        /* Every listed id opens a scheme that reports that id. */
        hooksig_scheme *scheme = NULL;
        size_t len = 0;
        CHECK(hooksig_scheme_from_name(BYTES(id), &scheme, NULL) == HOOKSIG_OK);
        CHECK(str_eq(hooksig_scheme_id(scheme, &len), id) && len == strlen(id));
        /* The scheme's default tolerance: the vendor's documented window. */
        int64_t want = (str_eq(id, "twitch") || str_eq(id, "box")) ? 600
                       : str_eq(id, "linear")                        ? 60
                       : str_eq(id, "workos")                        ? 180
                                                                     : HOOKSIG_DEFAULT_TOLERANCE;
        CHECK(hooksig_scheme_default_tolerance(scheme) == want);
        /* Public-key schemes take the vendor's public key (the test vectors' key pairs). */
        const char *k = str_eq(id, "discord")
                            ? "111d611a8f0ddc870d79b519c54c871a4c725e9c25591695c4df9bf288cc6d3f"
                        : str_eq(id, "sendgrid")
                            ? "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAElFIjjAuEstvLb81vxyZKFvImrQDm5bSPTuc26V0x"
                              "AB+qDpml4Ngc7owekYYpSASUGkwdJ96IjWAWWOUphLqO+Q=="
                            : "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        hooksig_bytes secrets[] = {{k, strlen(k)}};
        hooksig_verifier *v = NULL;
        /* NULL options and options without a tolerance both mean "the scheme's default";
         * an explicit 300 stays 300. */
        CHECK(hooksig_verifier_new(scheme, secrets, 1, NULL, &v, NULL) == HOOKSIG_OK);
        CHECK(hooksig_verifier_tolerance(v) == want);
        hooksig_verifier_free(v);
        CHECK(new_verifier(BYTES(id), secrets, 1, HOOKSIG_TOLERANCE_SCHEME_DEFAULT, &v, NULL) ==
              HOOKSIG_OK);
        CHECK(hooksig_verifier_tolerance(v) == want);
        hooksig_verifier_free(v);
        CHECK(new_verifier(BYTES(id), secrets, 1, 300, &v, NULL) == HOOKSIG_OK);
        CHECK(hooksig_verifier_tolerance(v) == 300);
        hooksig_verifier_free(v);
        hooksig_scheme_free(scheme);
    }
    CHECK(has_stripe);
    CHECK(hooksig_scheme_builtin_id(n) == NULL);
    CHECK(hooksig_scheme_builtin_id(SIZE_MAX) == NULL);
}

static void test_status_tables(void) {
    CHECK(str_eq(hooksig_status_code(HOOKSIG_OK), "ok"));
    CHECK(str_eq(hooksig_status_code(HOOKSIG_MISSING_SIGNATURE), "missing_signature"));
    CHECK(str_eq(hooksig_status_code(HOOKSIG_SIGNATURE_MISMATCH), "signature_mismatch"));
    CHECK(str_eq(hooksig_status_code(HOOKSIG_INVALID_CONFIG), "invalid_config"));
    CHECK(str_eq(hooksig_status_code(HOOKSIG_NULL_ARGUMENT), "null_argument"));
    CHECK(str_eq(hooksig_status_code(HOOKSIG_INVALID_UTF8), "invalid_utf8"));
    CHECK(str_eq(hooksig_status_code(HOOKSIG_INTERNAL), "internal"));
    CHECK(str_eq(hooksig_status_code(HOOKSIG_METHOD_NOT_ALLOWED), "method_not_allowed"));
    CHECK(str_eq(hooksig_status_code(HOOKSIG_BODY_TOO_LARGE), "body_too_large"));
    CHECK(str_eq(hooksig_status_code(HOOKSIG_BODY_READ_FAILED), "body_read_failed"));
    CHECK(str_eq(hooksig_status_code(HOOKSIG_DELIVERY_IN_PROGRESS), "delivery_in_progress"));
    CHECK(str_eq(hooksig_status_code(HOOKSIG_REPLAY_STORE_UNAVAILABLE),
                 "replay_store_unavailable"));
    CHECK(str_eq(hooksig_status_code(HOOKSIG_INVALID_ARGUMENT), "invalid_argument"));
    CHECK(str_eq(hooksig_status_code(17), "unknown"));
    CHECK(str_eq(hooksig_status_code(-1), "unknown"));
    CHECK(str_eq(hooksig_status_message(HOOKSIG_SIGNATURE_MISMATCH),
                 "no signature matched any secret"));
    CHECK(strlen(hooksig_status_message(HOOKSIG_INTERNAL)) > 10);
    CHECK(hooksig_status_message(9999) != NULL);
    CHECK(hooksig_status_http_status(HOOKSIG_OK) == 200);
    CHECK(hooksig_status_http_status(HOOKSIG_MALFORMED_TIMESTAMP) == 400);
    CHECK(hooksig_status_http_status(HOOKSIG_TIMESTAMP_EXPIRED) == 401);
    CHECK(hooksig_status_http_status(HOOKSIG_SIGNATURE_MISMATCH) == 401);
    CHECK(hooksig_status_http_status(HOOKSIG_UNKNOWN_SCHEME) == 500);
    CHECK(hooksig_status_http_status(HOOKSIG_NULL_ARGUMENT) == 500);
    CHECK(hooksig_status_http_status(4242) == 500);
    CHECK(hooksig_status_http_status(HOOKSIG_METHOD_NOT_ALLOWED) == 405);
    CHECK(hooksig_status_http_status(HOOKSIG_BODY_TOO_LARGE) == 413);
    CHECK(hooksig_status_http_status(HOOKSIG_BODY_READ_FAILED) == 400);
    CHECK(hooksig_status_http_status(HOOKSIG_DELIVERY_IN_PROGRESS) == 409);
    CHECK(hooksig_status_http_status(HOOKSIG_REPLAY_STORE_UNAVAILABLE) == 503);
    CHECK(hooksig_status_http_status(HOOKSIG_INVALID_ARGUMENT) == 500);
    CHECK(hooksig_status_is_verification_error(HOOKSIG_BODY_TOO_LARGE) == 0);
    CHECK(hooksig_status_is_config_error(HOOKSIG_BODY_TOO_LARGE) == 0);
    CHECK(hooksig_status_is_config_error(HOOKSIG_INVALID_ARGUMENT) == 1);
    CHECK(hooksig_status_is_verification_error(HOOKSIG_MISSING_ID) == 1);
    CHECK(hooksig_status_is_verification_error(HOOKSIG_INVALID_SECRET) == 0);
    CHECK(hooksig_status_is_verification_error(HOOKSIG_OK) == 0);
    CHECK(hooksig_status_is_config_error(HOOKSIG_INVALID_SECRET) == 1);
    CHECK(hooksig_status_is_config_error(HOOKSIG_SIGNATURE_MISMATCH) == 0);
    CHECK(hooksig_status_is_config_error(HOOKSIG_NULL_ARGUMENT) == 0);
}

/* GitHub's documented example, signed and verified through the C API. */
static void test_round_trip_and_accessors(void) {
    hooksig_signed_headers *h = NULL;
    CHECK(sign_named(BYTES("github"), BYTES(SECRET), BYTES(BODY), HOOKSIG_NOW, BYTES("d-1"),
                       BYTES("push"), &h, NULL) == HOOKSIG_OK);
    CHECK(hooksig_signed_headers_count(h) == 3);
    size_t len = 0;
    CHECK(str_eq(hooksig_signed_headers_name(h, 0, &len), "X-Hub-Signature-256") && len == 19);
    CHECK(str_eq(hooksig_signed_headers_value(h, 0, NULL),
                 "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"));
    CHECK(hooksig_signed_headers_value(h, 3, &len) == NULL);

    hooksig_header headers[3];
    for (size_t i = 0; i < 3; i++) {
        size_t nl = 0, vl = 0;
        headers[i].name = (const char *)hooksig_signed_headers_name(h, i, &nl);
        headers[i].name_len = nl;
        headers[i].value = (const char *)hooksig_signed_headers_value(h, i, &vl);
        headers[i].value_len = vl;
    }
    hooksig_verifier *v = github_verifier();
    /* The body lives in a heap buffer that is wiped after the call: the result must not
     * point into it. */
    char *body = malloc(strlen(BODY) + 1);
    memcpy(body, BODY, strlen(BODY) + 1);
    hooksig_verified *out = NULL;
    hooksig_error *err = NULL;
    CHECK(hooksig_verify(v, headers, 3, BYTES(body), HOOKSIG_NOW, &out, &err) == HOOKSIG_OK);
    memset(body, 'X', strlen(BODY));
    free(body);
    CHECK(err == NULL);
    CHECK(str_eq(hooksig_verified_scheme(out, &len), "github") && len == 6);
    CHECK(hooksig_verified_has_timestamp(out) == 0);
    CHECK(hooksig_verified_timestamp(out) == 0);
    CHECK(str_eq(hooksig_verified_id(out, &len), "d-1") && len == 3);
    CHECK(str_eq(hooksig_verified_event_type(out, NULL), "push"));
    CHECK(hooksig_verified_key_index(out) == 0);
    const uint8_t *payload = hooksig_verified_payload(out, &len);
    CHECK(len == strlen(BODY) && memcmp(payload, BODY, len) == 0 && payload[len] == 0);
    hooksig_verified_free(out);
    hooksig_verifier_free(v);
    hooksig_signed_headers_free(h);
}

/* A timestamped scheme against the system clock (HOOKSIG_NOW on both sides), and rotation. */
static void test_system_clock_and_rotation(void) {
    const char *body = "{\"id\":\"evt_9\",\"event\":\"license.created\"}";
    hooksig_signed_headers *h = NULL;
    CHECK(sign_named(BYTES("algoguard"), BYTES("whsec_new"), BYTES(body), HOOKSIG_NOW, NULL, 0,
                       NULL, 0, &h, NULL) == HOOKSIG_OK);
    hooksig_header headers[2];
    CHECK(hooksig_signed_headers_count(h) == 2);
    for (size_t i = 0; i < 2; i++) {
        size_t nl = 0, vl = 0;
        headers[i].name = (const char *)hooksig_signed_headers_name(h, i, &nl);
        headers[i].name_len = nl;
        headers[i].value = (const char *)hooksig_signed_headers_value(h, i, &vl);
        headers[i].value_len = vl;
    }
    /* Secrets in a buffer that is overwritten right after construction: the verifier keeps
     * its own copy. */
    char old_secret[] = "whsec_old", new_secret[] = "whsec_new";
    hooksig_bytes secrets[] = {{(const char *)old_secret, strlen(old_secret)},
                               {(const char *)new_secret, strlen(new_secret)}};
    hooksig_verifier *v = NULL;
    CHECK(new_verifier(BYTES("algoguard"), secrets, 2, 300, &v, NULL) == HOOKSIG_OK);
    memset(old_secret, '?', strlen(old_secret));
    memset(new_secret, '?', strlen(new_secret));
    hooksig_verified *out = NULL;
    CHECK(hooksig_verify(v, headers, 2, BYTES(body), HOOKSIG_NOW, &out, NULL) == HOOKSIG_OK);
    CHECK(hooksig_verified_key_index(out) == 1);
    CHECK(hooksig_verified_has_timestamp(out) == 1);
    CHECK(str_eq(hooksig_verified_id(out, NULL), "evt_9"));
    CHECK(str_eq(hooksig_verified_event_type(out, NULL), "license.created"));
    int64_t ts = hooksig_verified_timestamp(out);
    hooksig_verified_free(out);
    out = NULL;
    /* Far in the future with an explicit clock: expired, and the error names the header. */
    hooksig_error *err = NULL;
    CHECK(hooksig_verify(v, headers, 2, BYTES(body), ts + 301, &out, &err) ==
          HOOKSIG_TIMESTAMP_EXPIRED);
    CHECK(out == NULL);
    CHECK(str_eq(hooksig_error_code(err), "timestamp_expired"));
    CHECK(str_eq(hooksig_error_header(err), "X-AlgoGuard-Timestamp"));
    hooksig_error_free(err);
    hooksig_verifier_free(v);
    hooksig_signed_headers_free(h);
}

/* Outputs are written only on success; err_out only on failure; NULL err_out is allowed. */
static void test_outputs_only_on_success(void) {
    hooksig_verifier *v = github_verifier();
    hooksig_header bad = {BYTES("X-Hub-Signature-256"), BYTES("sha256=00")};
    int sentinel_a, sentinel_b;
    hooksig_verified *out = (hooksig_verified *)(void *)&sentinel_a;
    hooksig_error *err = NULL;
    CHECK(hooksig_verify(v, &bad, 1, BYTES(BODY), 0, &out, &err) == HOOKSIG_MALFORMED_SIGNATURE);
    CHECK(out == (hooksig_verified *)(void *)&sentinel_a);
    CHECK(hooksig_error_status(err) == HOOKSIG_MALFORMED_SIGNATURE);
    CHECK(str_eq(hooksig_error_header(err), "X-Hub-Signature-256"));
    const char *msg = hooksig_error_message(err);
    CHECK(msg != NULL && strlen(msg) > 0 && strstr(msg, "Secret") == NULL);
    hooksig_error_free(err);

    /* Wrong secret, no error object wanted. */
    hooksig_header wrong = {BYTES("x-hub-signature-256"),
                            BYTES("sha256=0000000000000000000000000000000000000000000000000000"
                                  "000000000000")};
    CHECK(hooksig_verify(v, &wrong, 1, BYTES(BODY), 0, &out, NULL) == HOOKSIG_SIGNATURE_MISMATCH);
    CHECK(out == (hooksig_verified *)(void *)&sentinel_a);

    /* Success leaves *err_out alone. */
    hooksig_signed_headers *h = NULL;
    CHECK(sign_named(BYTES("github"), BYTES(SECRET), BYTES(BODY), 0, NULL, 0, NULL, 0, &h,
                       NULL) == HOOKSIG_OK);
    size_t vl = 0;
    const char *sig = hooksig_signed_headers_value(h, 0, &vl);
    hooksig_header good = {BYTES("X-Hub-Signature-256"), (const char *)sig, vl};
    err = (hooksig_error *)(void *)&sentinel_b;
    out = NULL;
    CHECK(hooksig_verify(v, &good, 1, BYTES(BODY), 0, &out, &err) == HOOKSIG_OK);
    CHECK(err == (hooksig_error *)(void *)&sentinel_b);
    CHECK(out != NULL);
    hooksig_verified_free(out);
    hooksig_signed_headers_free(h);
    hooksig_verifier_free(v);
}

static hooksig_status status_and_free(hooksig_status st, hooksig_error *err, const char *code) {
    CHECK(str_eq(hooksig_error_code(err), code));
    CHECK(hooksig_error_status(err) == st);
    hooksig_error_free(err);
    return st;
}

static void test_null_arguments(void) {
    hooksig_bytes secrets[] = {{(const char *)SECRET, strlen(SECRET)}};
    hooksig_verifier *v = NULL;
    hooksig_error *err = NULL;
    CHECK(new_verifier(NULL, 6, secrets, 1, 300, &v, &err) == HOOKSIG_NULL_ARGUMENT);
    status_and_free(HOOKSIG_NULL_ARGUMENT, err, "null_argument");
    err = NULL;
    CHECK(new_verifier(NULL, 0, secrets, 1, 300, &v, NULL) == HOOKSIG_NULL_ARGUMENT);
    CHECK(new_verifier(BYTES("github"), secrets, 1, 300, NULL, NULL) ==
          HOOKSIG_NULL_ARGUMENT);
    CHECK(new_verifier(BYTES("github"), NULL, 1, 300, &v, NULL) == HOOKSIG_NULL_ARGUMENT);
    /* NULL with length 0 is an empty list: the core refuses it as a configuration error. */
    CHECK(new_verifier(BYTES("github"), NULL, 0, 300, &v, &err) == HOOKSIG_INVALID_SECRET);
    status_and_free(HOOKSIG_INVALID_SECRET, err, "invalid_secret");
    err = NULL;
    hooksig_bytes null_secret[] = {{NULL, 5}};
    CHECK(new_verifier(BYTES("github"), null_secret, 1, 300, &v, NULL) ==
          HOOKSIG_NULL_ARGUMENT);
    CHECK(hooksig_verifier_new(NULL, secrets, 1, NULL, &v, NULL) == HOOKSIG_NULL_ARGUMENT);
    CHECK(v == NULL);

    v = github_verifier();
    hooksig_verified *out = NULL;
    hooksig_header h = {BYTES("X-Hub-Signature-256"), BYTES("sha256=00")};
    CHECK(hooksig_verify(NULL, &h, 1, BYTES(BODY), 0, &out, NULL) == HOOKSIG_NULL_ARGUMENT);
    CHECK(hooksig_verify(v, NULL, 2, BYTES(BODY), 0, &out, NULL) == HOOKSIG_NULL_ARGUMENT);
    CHECK(hooksig_verify(v, NULL, 0, BYTES(BODY), 0, &out, NULL) == HOOKSIG_MISSING_SIGNATURE);
    CHECK(hooksig_verify(v, &h, 1, NULL, 5, 0, &out, NULL) == HOOKSIG_NULL_ARGUMENT);
    CHECK(hooksig_verify(v, &h, 1, NULL, 0, 0, &out, NULL) == HOOKSIG_MALFORMED_SIGNATURE);
    CHECK(hooksig_verify(v, &h, 1, BYTES(BODY), 0, NULL, NULL) == HOOKSIG_NULL_ARGUMENT);
    hooksig_header null_name = {NULL, 3, BYTES("x")};
    CHECK(hooksig_verify(v, &null_name, 1, BYTES(BODY), 0, &out, NULL) == HOOKSIG_NULL_ARGUMENT);
    hooksig_header null_value = {BYTES("X-Hub-Signature-256"), NULL, 0};
    CHECK(hooksig_verify(v, &null_value, 1, BYTES(BODY), 0, &out, NULL) ==
          HOOKSIG_MISSING_SIGNATURE);
    CHECK(out == NULL);

    hooksig_signed_headers *sh = NULL;
    CHECK(sign_named(BYTES("github"), BYTES(SECRET), BYTES(BODY), 0, NULL, 0, NULL, 0, NULL,
                       NULL) == HOOKSIG_NULL_ARGUMENT);
    CHECK(sign_named(NULL, 0, BYTES(SECRET), BYTES(BODY), 0, NULL, 0, NULL, 0, &sh, NULL) ==
          HOOKSIG_NULL_ARGUMENT);
    CHECK(sign_named(BYTES("github"), NULL, 4, BYTES(BODY), 0, NULL, 0, NULL, 0, &sh, NULL) ==
          HOOKSIG_NULL_ARGUMENT);
    CHECK(sign_named(BYTES("github"), BYTES(SECRET), BYTES(BODY), 0, NULL, 2, NULL, 0, &sh,
                       NULL) == HOOKSIG_NULL_ARGUMENT);
    CHECK(hooksig_sign(NULL, BYTES(SECRET), BYTES(BODY), NULL, &sh, NULL) ==
          HOOKSIG_NULL_ARGUMENT);
    CHECK(sh == NULL);

    CHECK(hooksig_custom_scheme_builder_new(NULL, NULL) == HOOKSIG_NULL_ARGUMENT);
    CHECK(hooksig_custom_scheme_builder_set(NULL, BYTES("prefix"), BYTES("v1="), NULL) ==
          HOOKSIG_NULL_ARGUMENT);

    /* Every free accepts NULL; every accessor accepts NULL. */
    hooksig_verifier_free(NULL);
    hooksig_verified_free(NULL);
    hooksig_error_free(NULL);
    hooksig_signed_headers_free(NULL);
    hooksig_scheme_free(NULL);
    hooksig_custom_scheme_builder_free(NULL);
    hooksig_verifier_options_free(NULL);
    hooksig_sign_options_free(NULL);
    size_t len = 77;
    CHECK(hooksig_verified_id(NULL, &len) == NULL && len == 77);
    CHECK(hooksig_verified_scheme(NULL, NULL) == NULL);
    CHECK(hooksig_verified_event_type(NULL, NULL) == NULL);
    CHECK(hooksig_verified_payload(NULL, &len) == NULL);
    CHECK(hooksig_verified_has_timestamp(NULL) == 0);
    CHECK(hooksig_verified_timestamp(NULL) == 0);
    CHECK(hooksig_verified_key_index(NULL) == 0);
    CHECK(hooksig_signed_headers_count(NULL) == 0);
    CHECK(hooksig_signed_headers_name(NULL, 0, NULL) == NULL);
    CHECK(hooksig_error_code(NULL) == NULL);
    CHECK(hooksig_error_message(NULL) == NULL);
    CHECK(hooksig_error_header(NULL) == NULL);
    CHECK(hooksig_error_status(NULL) == HOOKSIG_NULL_ARGUMENT);
    hooksig_verifier_free(v);
}

static void test_garbage_arguments(void) {
    hooksig_bytes secrets[] = {{(const char *)SECRET, strlen(SECRET)}};
    hooksig_verifier *v = NULL;
    hooksig_error *err = NULL;
    const char not_utf8[] = {'g', (char)0xff, 'h', 0};
    CHECK(new_verifier(BYTES(not_utf8), secrets, 1, 300, &v, &err) ==
          HOOKSIG_INVALID_UTF8);
    status_and_free(HOOKSIG_INVALID_UTF8, err, "invalid_utf8");
    err = NULL;
    CHECK(new_verifier(BYTES("nope"), secrets, 1, 300, &v, &err) ==
          HOOKSIG_UNKNOWN_SCHEME);
    CHECK(hooksig_error_header(err) == NULL);
    status_and_free(HOOKSIG_UNKNOWN_SCHEME, err, "unknown_scheme");
    err = NULL;
    CHECK(new_verifier(BYTES("github"), secrets, 1, -1, &v, &err) ==
          HOOKSIG_INVALID_CONFIG);
    status_and_free(HOOKSIG_INVALID_CONFIG, err, "invalid_config");
    err = NULL;
    hooksig_verifier_options *options = NULL;
    CHECK(hooksig_verifier_options_new(&options, NULL) == HOOKSIG_OK);
    CHECK(hooksig_verifier_options_set_secret_format(options, BYTES("rot13"), NULL) ==
          HOOKSIG_INVALID_CONFIG);
    CHECK(hooksig_verifier_options_set_json_fallback(options, 7, NULL) ==
          HOOKSIG_INVALID_ARGUMENT);
    hooksig_verifier_options_free(options);
    hooksig_bytes spaced[] = {{BYTES(" padded ")}};
    CHECK(new_verifier(BYTES("github"), spaced, 1, 300, &v, &err) ==
          HOOKSIG_INVALID_SECRET);
    /* The refused secret is not echoed back. */
    CHECK(strstr(hooksig_error_message(err), "padded") == NULL);
    hooksig_error_free(err);
    err = NULL;
    CHECK(v == NULL);

    v = github_verifier();
    hooksig_verified *out = NULL;
    /* Lengths no buffer can have: refused before anything is read. */
    CHECK(hooksig_verify(v, NULL, 0, (const char *)BODY, SIZE_MAX, 0, &out, NULL) ==
          HOOKSIG_INVALID_ARGUMENT);
    hooksig_header h = {BYTES("X-Hub-Signature-256"), BYTES("sha256=00")};
    CHECK(hooksig_verify(v, &h, SIZE_MAX / 2, BYTES(BODY), 0, &out, NULL) ==
          HOOKSIG_INVALID_ARGUMENT);
    /* Header values are bytes: non-UTF-8 is a malformed signature, not a crash. */
    hooksig_header binary = {BYTES("X-Hub-Signature-256"), BYTES(not_utf8)};
    CHECK(hooksig_verify(v, &binary, 1, BYTES(BODY), 0, &out, NULL) ==
          HOOKSIG_MALFORMED_SIGNATURE);
    const char nul_value[] = {'s', 'h', 'a', 0, '=', 1};
    hooksig_header with_nul = {BYTES("X-Hub-Signature-256"), nul_value, sizeof nul_value};
    CHECK(hooksig_verify(v, &with_nul, 1, BYTES(BODY), 0, &out, NULL) ==
          HOOKSIG_MALFORMED_SIGNATURE);
    CHECK(out == NULL);
    hooksig_verifier_free(v);

    hooksig_signed_headers *sh = NULL;
    CHECK(sign_named(BYTES("github"), BYTES(SECRET), BYTES(BODY), 0, BYTES(not_utf8), NULL, 0,
                       &sh, NULL) == HOOKSIG_INVALID_UTF8);
    CHECK(sign_named(BYTES("algoguard"), BYTES(SECRET), BYTES(BODY), -5, NULL, 0, NULL, 0, &sh,
                       NULL) == HOOKSIG_INVALID_CONFIG);
    CHECK(sign_named(BYTES("svix"), BYTES("not base64!"), BYTES(BODY), 0, NULL, 0, NULL, 0, &sh,
                       NULL) == HOOKSIG_INVALID_SECRET);
    CHECK(sh == NULL);

    /* Custom schemes: unknown options and values, inconsistent definitions. */
    hooksig_custom_scheme_builder *cb = NULL;
    hooksig_scheme *acme = NULL;
    CHECK(hooksig_custom_scheme_builder_new(&cb, NULL) == HOOKSIG_OK);
    CHECK(hooksig_custom_scheme_builder_set(cb, BYTES("id"), BYTES("acme"), NULL) == HOOKSIG_OK);
    CHECK(hooksig_custom_scheme_builder_set(cb, BYTES("signature_header"), BYTES("X-Acme-Sig"),
                                            NULL) == HOOKSIG_OK);
    CHECK(hooksig_custom_scheme_builder_set(cb, BYTES("colour"), BYTES("blue"), &err) ==
          HOOKSIG_INVALID_CONFIG);
    status_and_free(HOOKSIG_INVALID_CONFIG, err, "invalid_config");
    err = NULL;
    CHECK(hooksig_custom_scheme_builder_set(cb, BYTES("encoding"), BYTES("base32"), NULL) ==
          HOOKSIG_INVALID_CONFIG);
    CHECK(hooksig_custom_scheme_builder_set(cb, BYTES("algorithm"), BYTES("md5"), NULL) ==
          HOOKSIG_INVALID_CONFIG);
    CHECK(hooksig_custom_scheme_builder_set(cb, BYTES("json_fallback"), BYTES("yes"), NULL) ==
          HOOKSIG_INVALID_CONFIG);
    CHECK(hooksig_custom_scheme_builder_set(cb, BYTES("template"), NULL, 0, NULL) ==
          HOOKSIG_INVALID_CONFIG);
    CHECK(hooksig_custom_scheme_builder_set(cb, BYTES("prefix"), BYTES(not_utf8), NULL) ==
          HOOKSIG_INVALID_UTF8);
    CHECK(hooksig_custom_scheme_builder_set(cb, BYTES("template"), BYTES("{ts}.{body}"), NULL) ==
          HOOKSIG_OK);
    /* {ts} without a timestamp header: refused when built. */
    CHECK(hooksig_custom_scheme_builder_build(cb, &acme, &err) == HOOKSIG_INVALID_CONFIG);
    status_and_free(HOOKSIG_INVALID_CONFIG, err, "invalid_config");
    err = NULL;
    CHECK(acme == NULL);
    CHECK(hooksig_custom_scheme_builder_set(cb, BYTES("timestamp_header"), BYTES("X-Acme-Ts"),
                                            NULL) == HOOKSIG_OK);
    CHECK(hooksig_custom_scheme_builder_set(cb, BYTES("prefix"), BYTES("v1="), NULL) ==
          HOOKSIG_OK);
    CHECK(hooksig_custom_scheme_builder_build(cb, &acme, NULL) == HOOKSIG_OK);
    /* The scheme copied the settings: freeing the builder first is fine. */
    hooksig_custom_scheme_builder_free(cb);
    CHECK(str_eq(hooksig_scheme_id(acme, NULL), "acme"));
    CHECK(hooksig_verifier_new(acme, secrets, 1, NULL, &v, NULL) == HOOKSIG_OK);
    hooksig_sign_options *at = NULL;
    CHECK(hooksig_sign_options_new(&at, NULL) == HOOKSIG_OK);
    CHECK(hooksig_sign_options_set_timestamp(at, 1700000000, NULL) == HOOKSIG_OK);
    hooksig_signed_headers *signed_h = NULL;
    CHECK(hooksig_sign(acme, BYTES(SECRET), BYTES(BODY), at, &signed_h, NULL) == HOOKSIG_OK);
    /* The verifier copied the scheme: freeing it first is fine. */
    hooksig_scheme_free(acme);
    hooksig_sign_options_free(at);
    CHECK(hooksig_signed_headers_count(signed_h) == 2);
    CHECK(str_eq(hooksig_signed_headers_name(signed_h, 1, NULL), "X-Acme-Ts"));
    const char *sig = hooksig_signed_headers_value(signed_h, 0, NULL);
    CHECK(sig != NULL && strncmp(sig, "v1=", 3) == 0);
    hooksig_header hs[2] = {
        {BYTES("x-acme-sig"), sig, strlen(sig)},
        {BYTES("X-ACME-TS"), BYTES("1700000000")},
    };
    CHECK(hooksig_verify(v, hs, 2, BYTES(BODY), 1700000000, &out, NULL) == HOOKSIG_OK);
    CHECK(str_eq(hooksig_verified_scheme(out, NULL), "acme"));
    hooksig_verified_free(out);
    hooksig_signed_headers_free(signed_h);
    hooksig_verifier_free(v);
}

/* hooksig_verifier_any_of: the conversions (the selection rules are the core's). The members
 * are freed before the composite is used: it shares them (valgrind checks the ownership). */
static void test_any_of(void) {
    hooksig_bytes stripe_secret[] = {{"whsec_stripe_any_of", 19}};
    hooksig_verifier *stripe = NULL;
    CHECK(new_verifier(BYTES("stripe"), stripe_secret, 1, 300, &stripe, NULL) == HOOKSIG_OK);
    hooksig_verifier *github = github_verifier();
    const hooksig_verifier *list[] = {stripe, github};
    hooksig_verifier *any = NULL;
    hooksig_error *err = NULL;
    CHECK(hooksig_verifier_any_of(list, 2, &any, &err) == HOOKSIG_OK && any != NULL);
    CHECK(err == NULL);
    hooksig_verifier_free(stripe);
    hooksig_verifier_free(github);

    hooksig_signed_headers *h = NULL;
    CHECK(sign_named(BYTES("github"), BYTES(SECRET), BYTES(BODY), HOOKSIG_NOW, BYTES("d-1"),
                     BYTES("push"), &h, NULL) == HOOKSIG_OK);
    hooksig_header headers[3];
    for (size_t i = 0; i < 3; i++) {
        size_t nl = 0, vl = 0;
        headers[i].name = hooksig_signed_headers_name(h, i, &nl);
        headers[i].name_len = nl;
        headers[i].value = hooksig_signed_headers_value(h, i, &vl);
        headers[i].value_len = vl;
    }
    hooksig_verified *out = NULL;
    size_t len = 0;
    CHECK(hooksig_verify(any, headers, 3, BYTES(BODY), HOOKSIG_NOW, &out, NULL) == HOOKSIG_OK);
    CHECK(str_eq(hooksig_verified_scheme(out, &len), "github") && len == 6);
    CHECK(strncmp(hooksig_verified_dedupe_key(out, NULL), "github:sig:", 11) == 0);
    CHECK(str_eq(hooksig_verified_event_type(out, NULL), "push"));
    hooksig_verified_free(out);
    /* No vendor's signature header: missing_signature naming the first configured one. */
    CHECK(hooksig_verify(any, headers + 1, 2, BYTES(BODY), HOOKSIG_NOW, &out, &err) ==
          HOOKSIG_MISSING_SIGNATURE);
    CHECK(str_eq(hooksig_error_header(err), "Stripe-Signature"));
    CHECK(strstr(hooksig_error_message(err), "X-Hub-Signature-256") != NULL);
    hooksig_error_free(err);
    err = NULL;
    /* The composite does not sign; its tolerance is the widest of its verifiers'. */
    hooksig_signed_headers *none = NULL;
    CHECK(hooksig_verifier_sign(any, BYTES(BODY), NULL, &none, &err) == HOOKSIG_INVALID_CONFIG);
    CHECK(none == NULL && strstr(hooksig_error_message(err), "sign with one of its") != NULL);
    hooksig_error_free(err);
    err = NULL;
    CHECK(hooksig_verifier_tolerance(any) == 300);

    /* Refused: none, a composite inside, NULLs. Outputs are written on success only. */
    hooksig_verifier *bad = NULL;
    CHECK(hooksig_verifier_any_of(list, 0, &bad, NULL) == HOOKSIG_INVALID_CONFIG && bad == NULL);
    CHECK(hooksig_verifier_any_of(NULL, 0, &bad, NULL) == HOOKSIG_INVALID_CONFIG && bad == NULL);
    const hooksig_verifier *nested[] = {any};
    CHECK(hooksig_verifier_any_of(nested, 1, &bad, &err) == HOOKSIG_INVALID_CONFIG && bad == NULL);
    CHECK(strstr(hooksig_error_message(err), "composite") != NULL);
    hooksig_error_free(err);
    err = NULL;
    CHECK(hooksig_verifier_any_of(NULL, 2, &bad, NULL) == HOOKSIG_NULL_ARGUMENT && bad == NULL);
    const hooksig_verifier *holes[] = {any, NULL};
    CHECK(hooksig_verifier_any_of(holes, 2, &bad, &err) == HOOKSIG_NULL_ARGUMENT && bad == NULL);
    CHECK(strstr(hooksig_error_message(err), "verifiers[1]") != NULL);
    hooksig_error_free(err);
    CHECK(hooksig_verifier_any_of(nested, 1, NULL, NULL) == HOOKSIG_NULL_ARGUMENT);

    hooksig_signed_headers_free(h);
    hooksig_verifier_free(any);
}

/* The request line (twilio, square, hubspot): hooksig_verifier_signs_request,
 * hooksig_sign_options_set_request and hooksig_verify_request carry it across; what is signed
 * is the core's (the vectors). */
static void test_request_line(void) {
    static const char *URL = "https://hooks.example.com/square?x=1";
    hooksig_bytes secret[] = {{"sq_signature_key", 16}};
    hooksig_verifier *square = NULL, *github = github_verifier(), *any = NULL;
    CHECK(new_verifier(BYTES("square"), secret, 1, 300, &square, NULL) == HOOKSIG_OK);
    CHECK(hooksig_verifier_signs_request(square));
    CHECK(!hooksig_verifier_signs_request(github));
    CHECK(!hooksig_verifier_signs_request(NULL));
    const hooksig_verifier *list[] = {github, square};
    CHECK(hooksig_verifier_any_of(list, 2, &any, NULL) == HOOKSIG_OK);
    CHECK(hooksig_verifier_signs_request(any));

    hooksig_sign_options *o = NULL;
    hooksig_signed_headers *h = NULL;
    hooksig_error *err = NULL;
    CHECK(hooksig_sign_options_new(&o, NULL) == HOOKSIG_OK);
    /* Without a URL the scheme cannot sign. */
    CHECK(hooksig_verifier_sign(square, BYTES(BODY), o, &h, &err) == HOOKSIG_INVALID_ARGUMENT);
    CHECK(h == NULL && err != NULL);
    hooksig_error_free(err);
    err = NULL;
    CHECK(hooksig_sign_options_set_request(o, NULL, 0, BYTES(URL), NULL) == HOOKSIG_OK);
    CHECK(hooksig_verifier_sign(square, BYTES(BODY), o, &h, NULL) == HOOKSIG_OK && h != NULL);
    size_t nl = 0, vl = 0;
    hooksig_header sig = {0};
    sig.name = hooksig_signed_headers_name(h, 0, &nl);
    sig.name_len = nl;
    sig.value = hooksig_signed_headers_value(h, 0, &vl);
    sig.value_len = vl;

    /* The same URL (method NULL = POST, or "POST") verifies, through the any-of too. */
    hooksig_request req = {NULL, 0, URL, strlen(URL)};
    hooksig_verified *out = NULL;
    CHECK(hooksig_verify_request(square, &sig, 1, BYTES(BODY), &req, HOOKSIG_NOW, &out, &err) ==
          HOOKSIG_OK);
    CHECK(out != NULL && err == NULL);
    hooksig_verified_free(out);
    out = NULL;
    req.method = "POST";
    req.method_len = 4;
    CHECK(hooksig_verify_request(any, &sig, 1, BYTES(BODY), &req, HOOKSIG_NOW, &out, NULL) ==
          HOOKSIG_OK);
    CHECK(str_eq(hooksig_verified_scheme(out, NULL), "square"));
    hooksig_verified_free(out);
    out = NULL;
    /* Another URL: mismatch. No request line (NULL, or hooksig_verify): invalid_argument. */
    hooksig_request other = {NULL, 0, BYTES("https://hooks.example.com/square?x=2")};
    CHECK(hooksig_verify_request(square, &sig, 1, BYTES(BODY), &other, HOOKSIG_NOW, &out, NULL) ==
              HOOKSIG_SIGNATURE_MISMATCH &&
          out == NULL);
    CHECK(hooksig_verify_request(square, &sig, 1, BYTES(BODY), NULL, HOOKSIG_NOW, &out, &err) ==
              HOOKSIG_INVALID_ARGUMENT &&
          out == NULL);
    CHECK(str_eq(hooksig_error_code(err), "invalid_argument"));
    hooksig_error_free(err);
    err = NULL;
    CHECK(hooksig_verify(square, &sig, 1, BYTES(BODY), HOOKSIG_NOW, &out, NULL) ==
              HOOKSIG_INVALID_ARGUMENT &&
          out == NULL);

    /* Other schemes ignore the request line. */
    hooksig_signed_headers *gh = NULL;
    CHECK(sign_named(BYTES("github"), BYTES(SECRET), BYTES(BODY), HOOKSIG_NOW, NULL, 0, NULL, 0,
                     &gh, NULL) == HOOKSIG_OK);
    hooksig_header g = {0};
    g.name = hooksig_signed_headers_name(gh, 0, &nl);
    g.name_len = nl;
    g.value = hooksig_signed_headers_value(gh, 0, &vl);
    g.value_len = vl;
    CHECK(hooksig_verify_request(github, &g, 1, BYTES(BODY), &other, HOOKSIG_NOW, &out, NULL) ==
          HOOKSIG_OK);
    hooksig_verified_free(out);
    out = NULL;
    hooksig_signed_headers_free(gh);

    /* Argument checks: NULL handles and pointers, a URL that is not UTF-8. */
    CHECK(hooksig_sign_options_set_request(NULL, NULL, 0, BYTES(URL), NULL) ==
          HOOKSIG_NULL_ARGUMENT);
    CHECK(hooksig_sign_options_set_request(o, NULL, 3, BYTES(URL), NULL) == HOOKSIG_NULL_ARGUMENT);
    CHECK(hooksig_sign_options_set_request(o, NULL, 0, NULL, 4, NULL) == HOOKSIG_NULL_ARGUMENT);
    CHECK(hooksig_sign_options_set_request(o, NULL, 0, "\xff\xfe", 2, NULL) ==
          HOOKSIG_INVALID_UTF8);
    hooksig_request null_url = {NULL, 0, NULL, 0};
    CHECK(hooksig_verify_request(square, &sig, 1, BYTES(BODY), &null_url, HOOKSIG_NOW, &out,
                                 NULL) == HOOKSIG_NULL_ARGUMENT &&
          out == NULL);
    hooksig_request bad_method = {NULL, 4, URL, strlen(URL)};
    CHECK(hooksig_verify_request(square, &sig, 1, BYTES(BODY), &bad_method, HOOKSIG_NOW, &out,
                                 NULL) == HOOKSIG_NULL_ARGUMENT &&
          out == NULL);
    hooksig_request binary_url = {NULL, 0, "\xff", 1};
    CHECK(hooksig_verify_request(square, &sig, 1, BYTES(BODY), &binary_url, HOOKSIG_NOW, &out,
                                 NULL) == HOOKSIG_INVALID_UTF8 &&
          out == NULL);
    CHECK(hooksig_verify_request(NULL, &sig, 1, BYTES(BODY), &req, HOOKSIG_NOW, &out, NULL) ==
          HOOKSIG_NULL_ARGUMENT);

    hooksig_signed_headers_free(h);
    hooksig_sign_options_free(o);
    hooksig_verifier_free(any);
    hooksig_verifier_free(square);
    hooksig_verifier_free(github);
}

void run_api_tests(void) {
    test_request_line();
    test_any_of();
    test_version_and_schemes();
    test_status_tables();
    test_round_trip_and_accessors();
    test_system_clock_and_rotation();
    test_outputs_only_on_success();
    test_null_arguments();
    test_garbage_arguments();
}
