/* Hostile inputs (issue 7): the language-neutral table tests/bad-inputs/cases.json (re-spelled
 * by vectors_to_fixture.py --bad-inputs) through the C API, then the C-specific rows: NULL for
 * every pointer argument of every exported function, impossible lengths, NUL bytes and
 * non-UTF-8 in scheme names and header names/values, a 1 MiB header name. Each row must give
 * its documented status, never a crash (valgrind watches every row). The outcomes are listed in
 * bindings-c/BAD_INPUTS.md. */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "harness.h"

#define MAX_ITEMS 16

typedef struct {
    char *p;
    size_t n;
    int present;
} bytes;

typedef struct {
    bytes name, scheme, secrets[MAX_ITEMS], body, ts_header, sig_header, expect;
    bytes hnames[MAX_ITEMS], hvalues[MAX_ITEMS];
    size_t n_secrets, n_headers;
    int headers_replaced, has_tolerance, has_sign_ts;
    int64_t tolerance, now, sign_ts;
} bcase;

static void bytes_free(bytes *b) {
    free(b->p);
    memset(b, 0, sizeof *b);
}

static void bcase_free(bcase *c) {
    bytes_free(&c->name);
    bytes_free(&c->scheme);
    for (size_t i = 0; i < c->n_secrets; i++) bytes_free(&c->secrets[i]);
    for (size_t i = 0; i < c->n_headers; i++) {
        bytes_free(&c->hnames[i]);
        bytes_free(&c->hvalues[i]);
    }
    bytes_free(&c->body);
    bytes_free(&c->ts_header);
    bytes_free(&c->sig_header);
    bytes_free(&c->expect);
    memset(c, 0, sizeof *c);
}

/* "x<hex>" -> bytes (with a NUL after them for printing). 0 on a malformed token. */
static int hex_token(const char *tok, bytes *out) {
    bytes_free(out);
    if (tok == NULL || tok[0] != 'x' || strlen(tok + 1) % 2 != 0) return 0;
    out->n = strlen(tok + 1) / 2;
    out->p = malloc(out->n + 1);
    if (out->p == NULL) return 0;
    for (size_t i = 0; i < out->n; i++) {
        unsigned int byte;
        if (sscanf(tok + 1 + 2 * i, "%2x", &byte) != 1) return 0;
        out->p[i] = (char)byte;
    }
    out->p[out->n] = 0;
    out->present = 1;
    return 1;
}

/* "x<hex unit> <count>" -> the unit repeated (the fixture keeps big values as a rule). */
static int repeat_token(const char *unit_tok, const char *count_tok, bytes *out) {
    bytes unit = {0};
    char *end = NULL;
    unsigned long long count = count_tok ? strtoull(count_tok, &end, 10) : 0;
    if (!hex_token(unit_tok, &unit) || end == NULL || *end != 0 || unit.n == 0) {
        bytes_free(&unit);
        return 0;
    }
    bytes_free(out);
    out->n = unit.n * (size_t)count;
    out->p = malloc(out->n + 1);
    if (out->p != NULL) {
        if (unit.n == 1) {
            memset(out->p, unit.p[0], out->n);
        } else {
            for (size_t i = 0; i < (size_t)count; i++) memcpy(out->p + i * unit.n, unit.p, unit.n);
        }
        out->p[out->n] = 0;
        out->present = 1;
    }
    bytes_free(&unit);
    return out->p != NULL;
}

static int parse_int(const char *tok, int64_t *out) {
    char *end = NULL;
    if (tok == NULL) return 0;
    long long v = strtoll(tok, &end, 10);
    if (*end != 0) return 0;
    *out = v;
    return 1;
}

/* Header names of the signed headers: the signature header is the one whose name contains
 * "signature", the timestamp header the one whose value is the signing timestamp. A case that
 * overrides a header the runner cannot find fails (never silently passes). */
static int is_signature_name(const char *name) {
    for (const char *p = name; *p; p++) {
        if (strncasecmp(p, "signature", 9) == 0) return 1;
    }
    return 0;
}

/* Runs one case; writes its outcome ("ok" or an error code) to `outcome`. */
static void run_case(const bcase *c, char *outcome, size_t outcome_len) {
    hooksig_bytes secrets[MAX_ITEMS];
    for (size_t i = 0; i < c->n_secrets; i++) {
        secrets[i].ptr = c->secrets[i].p;
        secrets[i].len = c->secrets[i].n;
    }
    hooksig_verifier *v = NULL;
    hooksig_status st = new_verifier(c->scheme.p, c->scheme.n, c->n_secrets ? secrets : NULL,
                                             c->n_secrets, c->has_tolerance ? c->tolerance : HOOKSIG_TOLERANCE_SCHEME_DEFAULT,
                                             &v, NULL);
    if (st != HOOKSIG_OK) {
        snprintf(outcome, outcome_len, "%s", hooksig_status_code(st));
        return;
    }
    static const char default_body[] = "{\"id\":\"evt_1\"}";
    const char *body = c->body.present ? c->body.p : default_body;
    size_t body_len = c->body.present ? c->body.n : strlen(default_body);
    int64_t ts = c->has_sign_ts ? c->sign_ts : c->now;
    hooksig_signed_headers *signed_h = NULL;
    hooksig_sign_options *o = sign_options(ts, NULL, 0, NULL, 0, &st, NULL);
    if (st == HOOKSIG_OK) {
        st = hooksig_verifier_sign(v, body, body_len, o, &signed_h, NULL);
    }
    hooksig_sign_options_free(o);
    if (st != HOOKSIG_OK) {
        snprintf(outcome, outcome_len, "runner: signing failed (%s)", hooksig_status_code(st));
        hooksig_verifier_free(v);
        return;
    }
    char ts_text[32];
    snprintf(ts_text, sizeof ts_text, "%" PRId64, ts);
    const char *sig_name = NULL, *ts_name = NULL;
    hooksig_header headers[MAX_ITEMS];
    size_t n = 0, count = hooksig_signed_headers_count(signed_h);
    for (size_t i = 0; i < count && i < MAX_ITEMS; i++) {
        const char *name = hooksig_signed_headers_name(signed_h, i, NULL);
        const char *value = hooksig_signed_headers_value(signed_h, i, NULL);
        if (is_signature_name(name)) sig_name = name;
        if (str_eq(value, ts_text)) ts_name = name;
        headers[n++] = (hooksig_header){(const char *)name, strlen(name),
                                        (const char *)value, strlen(value)};
    }
    if (c->headers_replaced) {
        n = 0;
        for (size_t i = 0; i < c->n_headers; i++) {
            headers[n++] = (hooksig_header){c->hnames[i].p, c->hnames[i].n, c->hvalues[i].p,
                                            c->hvalues[i].n};
        }
    }
    int missing_target = (c->ts_header.present && ts_name == NULL) ||
                         (c->sig_header.present && sig_name == NULL);
    for (size_t i = 0; i < n; i++) {
        if (c->ts_header.present && ts_name && headers[i].name_len == strlen(ts_name) &&
            memcmp(headers[i].name, ts_name, headers[i].name_len) == 0) {
            headers[i].value = c->ts_header.p;
            headers[i].value_len = c->ts_header.n;
        }
        if (c->sig_header.present && sig_name && headers[i].name_len == strlen(sig_name) &&
            memcmp(headers[i].name, sig_name, headers[i].name_len) == 0) {
            headers[i].value = c->sig_header.p;
            headers[i].value_len = c->sig_header.n;
        }
    }
    hooksig_verified *out = NULL;
    st = hooksig_verify(v, n ? headers : NULL, n, body, body_len, c->now, &out, NULL);
    if (missing_target) {
        snprintf(outcome, outcome_len, "runner: the header to override was not found");
    } else if (st == HOOKSIG_OK) {
        /* A success must authenticate the bytes given, without a copy on our side. */
        size_t len = 0;
        const uint8_t *payload = hooksig_verified_payload(out, &len);
        int same = len == body_len && memcmp(payload, body, len) == 0;
        snprintf(outcome, outcome_len, "%s", same ? "ok" : "runner: payload differs");
    } else {
        snprintf(outcome, outcome_len, "%s", hooksig_status_code(st));
    }
    hooksig_verified_free(out);
    hooksig_signed_headers_free(signed_h);
    hooksig_verifier_free(v);
}

/* Reads the fixture and runs every case; returns the number of cases (-1 on a parse error). */
int run_bad_input_table(const char *path) {
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        record(0, "cannot open the bad-inputs fixture");
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    int cases = 0, ok = 1, in_case = 0;
    bcase c = {0};
    while (ok && getline(&line, &cap, f) != -1) {
        line[strcspn(line, "\n")] = 0;
        char *save = NULL;
        char *key = strtok_r(line, " ", &save);
        char *a = strtok_r(NULL, " ", &save);
        char *b = strtok_r(NULL, " ", &save);
        char *d = strtok_r(NULL, " ", &save);
        if (key == NULL) continue;
        if (strcmp(key, "case") == 0) {
            bcase_free(&c);
            in_case = 1;
            ok = hex_token(a, &c.name);
        } else if (!in_case) {
            ok = 0;
        } else if (strcmp(key, "scheme") == 0) {
            ok = hex_token(a, &c.scheme);
        } else if (strcmp(key, "secret") == 0) {
            ok = c.n_secrets < MAX_ITEMS && hex_token(a, &c.secrets[c.n_secrets++]);
        } else if (strcmp(key, "tolerance") == 0) {
            ok = parse_int(a, &c.tolerance);
            c.has_tolerance = 1;
        } else if (strcmp(key, "now") == 0) {
            ok = parse_int(a, &c.now);
        } else if (strcmp(key, "sign_timestamp") == 0) {
            ok = parse_int(a, &c.sign_ts);
            c.has_sign_ts = 1;
        } else if (strcmp(key, "body") == 0) {
            ok = hex_token(a, &c.body);
        } else if (strcmp(key, "body_repeat") == 0) {
            ok = repeat_token(a, b, &c.body);
        } else if (strcmp(key, "headers_replaced") == 0) {
            c.headers_replaced = 1;
        } else if (strcmp(key, "header") == 0) {
            ok = c.n_headers < MAX_ITEMS && hex_token(a, &c.hnames[c.n_headers]) &&
                 hex_token(b, &c.hvalues[c.n_headers]);
            c.n_headers++;
        } else if (strcmp(key, "header_repeat") == 0) {
            ok = c.n_headers < MAX_ITEMS && hex_token(a, &c.hnames[c.n_headers]) &&
                 repeat_token(b, d, &c.hvalues[c.n_headers]);
            c.n_headers++;
        } else if (strcmp(key, "timestamp_header") == 0) {
            ok = hex_token(a, &c.ts_header);
        } else if (strcmp(key, "signature_header") == 0) {
            ok = hex_token(a, &c.sig_header);
        } else if (strcmp(key, "signature_header_repeat") == 0) {
            ok = repeat_token(a, b, &c.sig_header);
        } else if (strcmp(key, "expect") == 0) {
            ok = a != NULL;
            if (ok) {
                bytes_free(&c.expect);
                c.expect.p = strdup(a);
                c.expect.present = c.expect.p != NULL;
            }
        } else if (strcmp(key, "end") == 0) {
            char outcome[128];
            ok = c.expect.present;
            if (ok) {
                run_case(&c, outcome, sizeof outcome);
                int pass = strcmp(outcome, (const char *)c.expect.p) == 0;
                if (!pass) {
                    fprintf(stderr, "bad input \"%s\": got %s, expected %s\n", (const char *)c.name.p,
                            outcome, (const char *)c.expect.p);
                }
                record(pass, "bad-input case");
                cases++;
            }
            bcase_free(&c);
            in_case = 0;
        } else {
            ok = 0;
        }
    }
    if (!ok) {
        fprintf(stderr, "bad-inputs fixture: cannot read the line starting \"%s\"\n", line);
    }
    bcase_free(&c);
    free(line);
    fclose(f);
    return ok ? cases : -1;
}

/* ---- C-specific rows ------------------------------------------------------------------- */

#define ROW(expr) CHECK(expr)

static const char *SECRET = "whsec_bad_input_secret";

static hooksig_verifier *algoguard(void) {
    hooksig_bytes s[] = {{BYTES(SECRET)}};
    hooksig_verifier *v = NULL;
    CHECK(new_verifier(BYTES("algoguard"), s, 1, 300, &v, NULL) == HOOKSIG_OK);
    return v;
}

/* NULL for every pointer argument of every exported function (pointer + non-zero length where
 * the pointer has a length). Functions returning a status give HOOKSIG_NULL_ARGUMENT (or, for
 * an optional or empty-able buffer passed as NULL with length 0, the documented meaning);
 * accessors give NULL/0; every _free accepts NULL. `*out` stays untouched on failure. */
static void null_rows(void) {
    hooksig_bytes s[] = {{BYTES(SECRET)}};
    hooksig_bytes null_secret[] = {{NULL, 4}};
    hooksig_verifier *v = NULL;
    hooksig_error *err = NULL;

    /* hooksig_scheme_from_name, the custom-scheme builder, the options */
    hooksig_scheme *scheme = NULL;
    ROW(hooksig_scheme_from_name(NULL, 9, &scheme, NULL) == HOOKSIG_NULL_ARGUMENT);
    ROW(hooksig_scheme_from_name(NULL, 0, &scheme, NULL) == HOOKSIG_NULL_ARGUMENT);
    ROW(hooksig_scheme_from_name(BYTES("algoguard"), NULL, &err) == HOOKSIG_NULL_ARGUMENT);
    ROW(str_eq(hooksig_error_code(err), "null_argument"));
    hooksig_error_free(err);
    err = NULL;
    ROW(scheme == NULL);
    ROW(hooksig_scheme_from_name(BYTES("algoguard"), &scheme, NULL) == HOOKSIG_OK);
    hooksig_custom_scheme_builder *cb = NULL;
    hooksig_scheme *custom = NULL;
    ROW(hooksig_custom_scheme_builder_new(NULL, NULL) == HOOKSIG_NULL_ARGUMENT);
    ROW(hooksig_custom_scheme_builder_new(&cb, NULL) == HOOKSIG_OK);
    ROW(hooksig_custom_scheme_builder_set(NULL, BYTES("prefix"), BYTES("v1="), NULL) ==
        HOOKSIG_NULL_ARGUMENT);
    ROW(hooksig_custom_scheme_builder_set(cb, NULL, 6, BYTES("v1="), NULL) ==
        HOOKSIG_NULL_ARGUMENT);
    ROW(hooksig_custom_scheme_builder_set(cb, BYTES("prefix"), NULL, 3, NULL) ==
        HOOKSIG_NULL_ARGUMENT);
    ROW(hooksig_custom_scheme_builder_set(cb, BYTES("prefix"), NULL, 0, NULL) ==
        HOOKSIG_OK); /* unset */
    static const char *const required[] = {"id",       "signature_header", "template",
                                           "encoding", "algorithm",        "json_fallback"};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
        /* NULL + 0 means "unset"; these settings cannot be unset (the core's CustomScheme::set). */
        ROW(hooksig_custom_scheme_builder_set(cb, BYTES(required[i]), NULL, 0, NULL) ==
            HOOKSIG_INVALID_CONFIG);
    }
    static const char *const optional[] = {"timestamp_header", "id_header", "event_header",
                                           "prefix"};
    for (size_t i = 0; i < sizeof optional / sizeof optional[0]; i++) {
        ROW(hooksig_custom_scheme_builder_set(cb, BYTES(optional[i]), NULL, 0, NULL) ==
            HOOKSIG_OK);
    }
    /* No id or signature header yet: refused by the core when built. */
    ROW(hooksig_custom_scheme_builder_build(cb, &custom, NULL) == HOOKSIG_INVALID_CONFIG);
    ROW(hooksig_custom_scheme_builder_set(cb, BYTES("id"), BYTES("acme"), NULL) == HOOKSIG_OK);
    ROW(hooksig_custom_scheme_builder_set(cb, BYTES("signature_header"), BYTES("X-Sig"), NULL) ==
        HOOKSIG_OK);
    ROW(hooksig_custom_scheme_builder_build(NULL, &custom, NULL) == HOOKSIG_NULL_ARGUMENT);
    ROW(hooksig_custom_scheme_builder_build(cb, NULL, NULL) == HOOKSIG_NULL_ARGUMENT);
    ROW(custom == NULL);
    ROW(hooksig_custom_scheme_builder_build(cb, &custom, NULL) == HOOKSIG_OK);
    hooksig_custom_scheme_builder_free(cb);
    hooksig_verifier_options *vo = NULL;
    ROW(hooksig_verifier_options_new(NULL, NULL) == HOOKSIG_NULL_ARGUMENT);
    ROW(hooksig_verifier_options_set_tolerance(NULL, 1, NULL) == HOOKSIG_NULL_ARGUMENT);
    ROW(hooksig_scheme_default_tolerance(NULL) == -1);
    ROW(hooksig_verifier_tolerance(NULL) == -1);
    ROW(hooksig_verifier_options_set_secret_format(NULL, BYTES("auto"), NULL) ==
        HOOKSIG_NULL_ARGUMENT);
    ROW(hooksig_verifier_options_set_json_fallback(NULL, 1, NULL) == HOOKSIG_NULL_ARGUMENT);
    ROW(hooksig_verifier_options_new(&vo, NULL) == HOOKSIG_OK);
    ROW(hooksig_verifier_options_set_secret_format(vo, NULL, 4, NULL) == HOOKSIG_NULL_ARGUMENT);
    /* secret_format NULL with length 0 means "auto" */
    ROW(hooksig_verifier_options_set_secret_format(vo, NULL, 0, NULL) == HOOKSIG_OK);
    hooksig_sign_options *so = NULL;
    ROW(hooksig_sign_options_new(NULL, NULL) == HOOKSIG_NULL_ARGUMENT);
    ROW(hooksig_sign_options_set_timestamp(NULL, 1, NULL) == HOOKSIG_NULL_ARGUMENT);
    ROW(hooksig_sign_options_set_id(NULL, BYTES("x"), NULL) == HOOKSIG_NULL_ARGUMENT);
    ROW(hooksig_sign_options_set_event_type(NULL, BYTES("x"), NULL) == HOOKSIG_NULL_ARGUMENT);
    ROW(hooksig_sign_options_new(&so, NULL) == HOOKSIG_OK);
    ROW(hooksig_sign_options_set_id(so, NULL, 2, NULL) == HOOKSIG_NULL_ARGUMENT);
    ROW(hooksig_sign_options_set_event_type(so, NULL, 2, NULL) == HOOKSIG_NULL_ARGUMENT);
    /* NULL (and 0) unsets an id or event type */
    ROW(hooksig_sign_options_set_id(so, NULL, 0, NULL) == HOOKSIG_OK);
    ROW(hooksig_sign_options_set_event_type(so, NULL, 0, NULL) == HOOKSIG_OK);
    ROW(hooksig_sign_options_set_timestamp(so, 1, NULL) == HOOKSIG_OK);

    /* hooksig_verifier_new, built-in and custom alike (NULL options: the defaults) */
    hooksig_scheme *both_kinds[] = {scheme, custom};
    for (size_t k = 0; k < 2; k++) {
        hooksig_scheme *sc = both_kinds[k];
        ROW(hooksig_verifier_new(NULL, s, 1, NULL, &v, NULL) == HOOKSIG_NULL_ARGUMENT);
        ROW(hooksig_verifier_new(sc, NULL, 1, vo, &v, NULL) == HOOKSIG_NULL_ARGUMENT);
        ROW(hooksig_verifier_new(sc, NULL, 0, vo, &v, NULL) == HOOKSIG_INVALID_SECRET);
        ROW(hooksig_verifier_new(sc, null_secret, 1, NULL, &v, NULL) == HOOKSIG_NULL_ARGUMENT);
        ROW(hooksig_verifier_new(sc, s, 1, vo, NULL, NULL) == HOOKSIG_NULL_ARGUMENT);
        ROW(hooksig_verifier_new(sc, s, 1, NULL, NULL, &err) == HOOKSIG_NULL_ARGUMENT);
        ROW(str_eq(hooksig_error_code(err), "null_argument"));
        hooksig_error_free(err);
        err = NULL;
        ROW(v == NULL);
        ROW(hooksig_verifier_new(sc, s, 1, NULL, &v, NULL) == HOOKSIG_OK);
        hooksig_verifier_free(v);
        v = NULL;
        ROW(hooksig_verifier_new(sc, s, 1, vo, &v, NULL) == HOOKSIG_OK);
        hooksig_verifier_free(v);
        v = NULL;
    }

    /* hooksig_verify */
    v = algoguard();
    hooksig_verified *out = NULL;
    hooksig_header h = {BYTES("X-AlgoGuard-Signature"), BYTES("sha256=00")};
    hooksig_header null_name = {NULL, 5, BYTES("x")};
    hooksig_header null_value = {BYTES("X-AlgoGuard-Signature"), NULL, 5};
    hooksig_header empty_value = {BYTES("X-AlgoGuard-Signature"), NULL, 0};
    ROW(hooksig_verify(NULL, &h, 1, BYTES("{}"), 0, &out, NULL) == HOOKSIG_NULL_ARGUMENT);
    ROW(hooksig_verify(v, NULL, 1, BYTES("{}"), 0, &out, NULL) == HOOKSIG_NULL_ARGUMENT);
    ROW(hooksig_verify(v, NULL, 0, BYTES("{}"), 0, &out, NULL) == HOOKSIG_MISSING_SIGNATURE);
    ROW(hooksig_verify(v, &null_name, 1, BYTES("{}"), 0, &out, NULL) == HOOKSIG_NULL_ARGUMENT);
    ROW(hooksig_verify(v, &null_value, 1, BYTES("{}"), 0, &out, NULL) == HOOKSIG_NULL_ARGUMENT);
    ROW(hooksig_verify(v, &empty_value, 1, BYTES("{}"), 0, &out, NULL) ==
        HOOKSIG_MISSING_SIGNATURE);
    ROW(hooksig_verify(v, &h, 1, NULL, 2, 0, &out, NULL) == HOOKSIG_NULL_ARGUMENT);
    ROW(hooksig_verify(v, &h, 1, NULL, 0, 0, &out, NULL) == HOOKSIG_MISSING_TIMESTAMP);
    ROW(hooksig_verify(v, &h, 1, BYTES("{}"), 0, NULL, NULL) == HOOKSIG_NULL_ARGUMENT);
    ROW(out == NULL);

    /* hooksig_sign (built-in and custom alike) / hooksig_verifier_sign */
    hooksig_signed_headers *sh = NULL;
    for (size_t k = 0; k < 2; k++) {
        hooksig_scheme *sc = both_kinds[k];
        ROW(hooksig_sign(NULL, BYTES(SECRET), BYTES("{}"), so, &sh, NULL) ==
            HOOKSIG_NULL_ARGUMENT);
        ROW(hooksig_sign(sc, NULL, 4, BYTES("{}"), so, &sh, NULL) == HOOKSIG_NULL_ARGUMENT);
        ROW(hooksig_sign(sc, NULL, 0, BYTES("{}"), so, &sh, NULL) == HOOKSIG_INVALID_SECRET);
        ROW(hooksig_sign(sc, BYTES(SECRET), NULL, 2, so, &sh, NULL) == HOOKSIG_NULL_ARGUMENT);
        ROW(hooksig_sign(sc, BYTES(SECRET), BYTES("{}"), so, NULL, NULL) ==
            HOOKSIG_NULL_ARGUMENT);
        ROW(sh == NULL);
        ROW(hooksig_sign(sc, BYTES(SECRET), BYTES("{}"), NULL, &sh, NULL) == HOOKSIG_OK);
        hooksig_signed_headers_free(sh);
        sh = NULL;
    }
    ROW(hooksig_verifier_sign(NULL, BYTES("{}"), so, &sh, NULL) == HOOKSIG_NULL_ARGUMENT);
    ROW(hooksig_verifier_sign(v, NULL, 2, so, &sh, NULL) == HOOKSIG_NULL_ARGUMENT);
    ROW(hooksig_verifier_sign(v, BYTES("{}"), so, NULL, NULL) == HOOKSIG_NULL_ARGUMENT);
    ROW(sh == NULL);
    /* NULL body with length 0 is the empty body: signing it is fine. */
    ROW(hooksig_verifier_sign(v, NULL, 0, so, &sh, NULL) == HOOKSIG_OK);
    ROW(hooksig_signed_headers_count(sh) == 2);
    hooksig_signed_headers_free(sh);
    ROW(hooksig_verifier_sign(v, NULL, 0, NULL, &sh, NULL) == HOOKSIG_OK);
    hooksig_signed_headers_free(sh);
    ROW(hooksig_scheme_id(NULL, NULL) == NULL);
    size_t id_len = 0;
    ROW(str_eq(hooksig_scheme_id(custom, &id_len), "acme") && id_len == 4);
    hooksig_scheme_free(scheme);
    hooksig_scheme_free(custom);
    hooksig_verifier_options_free(vo);
    hooksig_sign_options_free(so);

    /* The replay guard */
    hooksig_replay_guard *g = NULL;
    int32_t is_new = 5;
    ROW(hooksig_replay_guard_new(1, 1, NULL, NULL) == HOOKSIG_NULL_ARGUMENT);
    ROW(hooksig_replay_guard_new_for(NULL, &g, NULL) == HOOKSIG_NULL_ARGUMENT);
    ROW(hooksig_replay_guard_new_for(v, NULL, NULL) == HOOKSIG_NULL_ARGUMENT);
    ROW(g == NULL);
    ROW(hooksig_replay_guard_new(1, 1, &g, NULL) == HOOKSIG_OK);
    ROW(hooksig_replay_guard_check_and_remember(NULL, BYTES("k"), 0, &is_new, NULL) ==
        HOOKSIG_NULL_ARGUMENT);
    ROW(hooksig_replay_guard_check_and_remember(g, NULL, 1, 0, &is_new, NULL) ==
        HOOKSIG_NULL_ARGUMENT);
    ROW(hooksig_replay_guard_check_and_remember(g, NULL, 0, 0, &is_new, NULL) ==
        HOOKSIG_NULL_ARGUMENT);
    ROW(hooksig_replay_guard_check_and_remember(g, BYTES("k"), 0, NULL, NULL) ==
        HOOKSIG_NULL_ARGUMENT);
    ROW(is_new == 5);
    ROW(hooksig_replay_guard_forget(NULL, BYTES("k"), NULL) == HOOKSIG_NULL_ARGUMENT);
    ROW(hooksig_replay_guard_forget(g, NULL, 1, NULL) == HOOKSIG_NULL_ARGUMENT);
    ROW(hooksig_replay_default_ttl(NULL) == 0);
    ROW(hooksig_replay_guard_ttl(NULL) == 0);
    ROW(hooksig_replay_guard_capacity(NULL) == 0);
    ROW(hooksig_replay_guard_len(NULL) == 0);
    hooksig_replay_guard_free(g);

    /* Accessors and frees */
    size_t len = 99;
    ROW(hooksig_verified_scheme(NULL, &len) == NULL && len == 99);
    ROW(hooksig_verified_id(NULL, &len) == NULL && len == 99);
    ROW(hooksig_verified_event_type(NULL, &len) == NULL && len == 99);
    ROW(hooksig_verified_dedupe_key(NULL, &len) == NULL && len == 99);
    ROW(hooksig_verified_payload(NULL, &len) == NULL && len == 99);
    ROW(hooksig_verified_has_timestamp(NULL) == 0);
    ROW(hooksig_verified_timestamp(NULL) == 0);
    ROW(hooksig_verified_key_index(NULL) == 0);
    ROW(hooksig_signed_headers_count(NULL) == 0);
    ROW(hooksig_signed_headers_name(NULL, 0, &len) == NULL && len == 99);
    ROW(hooksig_signed_headers_value(NULL, 0, &len) == NULL && len == 99);
    ROW(hooksig_error_status(NULL) == HOOKSIG_NULL_ARGUMENT);
    ROW(hooksig_error_code(NULL) == NULL);
    ROW(hooksig_error_header(NULL) == NULL);
    ROW(hooksig_error_message(NULL) == NULL);
    hooksig_verifier_free(NULL);
    hooksig_verified_free(NULL);
    hooksig_signed_headers_free(NULL);
    hooksig_scheme_free(NULL);
    hooksig_custom_scheme_builder_free(NULL);
    hooksig_verifier_options_free(NULL);
    hooksig_sign_options_free(NULL);
    hooksig_replay_guard_free(NULL);
    hooksig_error_free(NULL);
    /* Accessors with a NULL len_out on a live object are fine. */
    hooksig_signed_headers *ok_h = NULL;
    ROW(hooksig_verifier_sign(v, BYTES("{}"), NULL, &ok_h, NULL) == HOOKSIG_OK);
    ROW(hooksig_signed_headers_name(ok_h, 0, NULL) != NULL);
    ROW(hooksig_signed_headers_name(ok_h, SIZE_MAX, &len) == NULL);
    hooksig_signed_headers_free(ok_h);
    hooksig_verifier_free(v);
}

/* Lengths no object can have, NUL bytes and non-UTF-8 in names, a 1 MiB header name. */
static void garbage_rows(void) {
    hooksig_bytes s[] = {{BYTES(SECRET)}};
    hooksig_verifier *v = NULL;
    const char nul_scheme[] = {'a', 'l', 'g', 'o', 0, 'g', 'u', 'a', 'r', 'd'};
    const char bad_scheme[] = {'a', 'l', 'g', 'o', (char)0xff};
    ROW(new_verifier(nul_scheme, sizeof nul_scheme, s, 1, 300, &v, NULL) ==
        HOOKSIG_UNKNOWN_SCHEME);
    ROW(new_verifier(bad_scheme, sizeof bad_scheme, s, 1, 300, &v, NULL) ==
        HOOKSIG_INVALID_UTF8);
    ROW(new_verifier(BYTES("algoguard"), s, SIZE_MAX, 300, &v, NULL) ==
        HOOKSIG_INVALID_ARGUMENT);
    hooksig_verifier_options *vo = NULL;
    ROW(hooksig_verifier_options_new(&vo, NULL) == HOOKSIG_OK);
    ROW(hooksig_verifier_options_set_secret_format(vo, bad_scheme, sizeof bad_scheme, NULL) ==
        HOOKSIG_INVALID_UTF8);
    ROW(hooksig_verifier_options_set_secret_format(vo, BYTES("rot13"), NULL) ==
        HOOKSIG_INVALID_CONFIG);
    ROW(hooksig_verifier_options_set_json_fallback(vo, 2, NULL) == HOOKSIG_INVALID_ARGUMENT);
    ROW(hooksig_verifier_options_set_json_fallback(vo, INT32_MIN, NULL) ==
        HOOKSIG_INVALID_ARGUMENT);
    hooksig_verifier_options_free(vo);
    hooksig_custom_scheme_builder *cb = NULL;
    ROW(hooksig_custom_scheme_builder_new(&cb, NULL) == HOOKSIG_OK);
    ROW(hooksig_custom_scheme_builder_set(cb, bad_scheme, sizeof bad_scheme, BYTES("x"), NULL) ==
        HOOKSIG_INVALID_UTF8);
    ROW(hooksig_custom_scheme_builder_set(cb, BYTES("id"), bad_scheme, sizeof bad_scheme, NULL) ==
        HOOKSIG_INVALID_UTF8);
    hooksig_custom_scheme_builder_free(cb);
    ROW(new_verifier(BYTES("algoguard"), s, 1, INT64_MIN + 1, &v, NULL) ==
        HOOKSIG_INVALID_CONFIG);
    ROW(v == NULL);
    /* INT64_MIN is HOOKSIG_TOLERANCE_SCHEME_DEFAULT: "not given", the scheme's 300 s. */
    ROW(new_verifier(BYTES("algoguard"), s, 1, INT64_MIN, &v, NULL) == HOOKSIG_OK);
    ROW(hooksig_verifier_tolerance(v) == 300);
    hooksig_verifier_free(v);
    v = NULL;
    /* A secret with a NUL byte inside is bytes like any other (accepted, verifies). */
    hooksig_bytes nul_secret[] = {{(const char *)"ab\0cd", 5}};
    ROW(new_verifier(BYTES("easycart"), nul_secret, 1, 300, &v, NULL) == HOOKSIG_OK);
    hooksig_signed_headers *sh = NULL;
    ROW(hooksig_verifier_sign(v, BYTES("{}"), NULL, &sh, NULL) == HOOKSIG_OK);
    hooksig_header h = {BYTES("X-Webhook-Signature"), NULL, 0};
    h.value = (const char *)hooksig_signed_headers_value(sh, 0, &h.value_len);
    hooksig_verified *out = NULL;
    ROW(hooksig_verify(v, &h, 1, BYTES("{}"), HOOKSIG_NOW, &out, NULL) == HOOKSIG_OK);
    hooksig_verified_free(out);
    out = NULL;
    /* Header names: a NUL inside or non-UTF-8 bytes never match a scheme's header. */
    const char nul_name[] = "X-Webhook-Signature\0";
    hooksig_header hn = {nul_name, sizeof nul_name - 1, h.value, h.value_len};
    ROW(hooksig_verify(v, &hn, 1, BYTES("{}"), HOOKSIG_NOW, &out, NULL) ==
        HOOKSIG_MISSING_SIGNATURE);
    const char bad_name[] = {'X', '-', (char)0xff, (char)0xfe};
    hooksig_header hb = {bad_name, sizeof bad_name, h.value, h.value_len};
    hooksig_header both[] = {hb, h};
    ROW(hooksig_verify(v, both, 2, BYTES("{}"), HOOKSIG_NOW, &out, NULL) == HOOKSIG_OK);
    hooksig_verified_free(out);
    out = NULL;
    /* A 1 MiB header name next to the real headers is ignored. */
    size_t big = 1 << 20;
    char *big_name = malloc(big);
    if (CHECK(big_name != NULL)) {
        memset(big_name, 'X', big);
        hooksig_header with_big[] = {{big_name, big, BYTES("v")}, h};
        ROW(hooksig_verify(v, with_big, 2, BYTES("{}"), HOOKSIG_NOW, &out, NULL) == HOOKSIG_OK);
        hooksig_verified_free(out);
        out = NULL;
    }
    free(big_name);
    /* Lengths above PTRDIFF_MAX */
    ROW(hooksig_verify(v, &h, 1, (const char *)"{}", SIZE_MAX, HOOKSIG_NOW, &out, NULL) ==
        HOOKSIG_INVALID_ARGUMENT);
    ROW(hooksig_verify(v, &h, SIZE_MAX / 2, BYTES("{}"), HOOKSIG_NOW, &out, NULL) ==
        HOOKSIG_INVALID_ARGUMENT);
    ROW(out == NULL);
    /* Sign: a NUL byte and non-UTF-8 in id / event type */
    hooksig_signed_headers *sh2 = NULL;
    ROW(sign_named(BYTES("github"), BYTES("k"), BYTES("{}"), 1, (const char *)"a\xff", 2,
                     NULL, 0, &sh2, NULL) == HOOKSIG_INVALID_UTF8);
    /* A control character (NUL included) cannot be sent in a header: refused when signing. */
    ROW(sign_named(BYTES("github"), BYTES("k"), BYTES("{}"), 1, NULL, 0,
                     (const char *)"p\0sh", 4, &sh2, NULL) == HOOKSIG_INVALID_CONFIG);
    ROW(sign_named(BYTES("standard-webhooks"), BYTES("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
                     BYTES("{}"), 1, (const char *)"msg\0", 4, NULL, 0, &sh2,
                     NULL) == HOOKSIG_INVALID_CONFIG);
    ROW(sh2 == NULL);
    ROW(sign_named(BYTES("algoguard"), BYTES(SECRET), BYTES("{}"), -1, NULL, 0, NULL, 0, &sh2,
                     NULL) == HOOKSIG_INVALID_CONFIG);
    /* A NUL inside a replay key is part of the key. */
    hooksig_replay_guard *g = NULL;
    int32_t a = 0, b = 0;
    ROW(hooksig_replay_guard_new(10, 10, &g, NULL) == HOOKSIG_OK);
    ROW(hooksig_replay_guard_check_and_remember(g, (const char *)"k\0x", 3, 0, &a, NULL) ==
            HOOKSIG_OK &&
        hooksig_replay_guard_check_and_remember(g, (const char *)"k", 1, 0, &b, NULL) ==
            HOOKSIG_OK &&
        a == 1 && b == 1);
    hooksig_replay_guard_free(g);
    /* Status functions with numbers that are not statuses */
    ROW(str_eq(hooksig_status_code(INT32_MIN), "unknown"));
    ROW(hooksig_status_http_status(INT32_MAX) == 500);
    ROW(hooksig_scheme_builtin_id(SIZE_MAX) == NULL);
    hooksig_signed_headers_free(sh);
    hooksig_verifier_free(v);
}

void run_bad_input_rows(void) {
    null_rows();
    garbage_rows();
}
