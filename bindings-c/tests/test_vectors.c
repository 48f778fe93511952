/* Runs every case of every tests/vectors JSON file (re-spelled as a line-based fixture by
 * vectors_to_fixture.py) through the C API: same outcome, same error code and header. */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define MAX_ITEMS 64

typedef struct {
    int present;
    char *p;
    size_t n;
} buf;

typedef struct {
    buf name, value;
} pair;

typedef struct {
    char file[128];
    int custom;
    buf scheme; /* built-in scheme id */
    pair sets[MAX_ITEMS];
    size_t n_sets;
} block;

typedef struct {
    buf name;
    int sign;
    buf secrets[MAX_ITEMS];
    size_t n_secrets;
    buf secret_format;
    int64_t tolerance, now, timestamp;
    int json_fallback, has_timestamp;
    pair headers[MAX_ITEMS];
    size_t n_headers;
    buf body, id, event;
    int has_request; /* the case's request line: passed to hooksig_verify_request / sign */
    buf method, url;
    /* expectations */
    int expect_ok;
    size_t key_index;
    int has_exp_ts;
    int64_t exp_ts;
    buf exp_id, exp_event, exp_payload, exp_header, exp_dedupe;
    char exp_code[64];
    pair exp_headers[MAX_ITEMS];
    size_t n_exp_headers;
} vcase;

static void buf_free(buf *b) {
    free(b->p);
    memset(b, 0, sizeof *b);
}

/* "x<hex>" -> bytes (NUL-terminated for convenience), "-" -> absent. Returns 0 on bad input. */
static int parse_x(const char *tok, buf *out) {
    buf_free(out);
    if (tok == NULL) {
        return 0;
    }
    if (strcmp(tok, "-") == 0) {
        return 1;
    }
    if (tok[0] != 'x') {
        return 0;
    }
    size_t hex_len = strlen(tok + 1);
    if (hex_len % 2 != 0) {
        return 0;
    }
    out->n = hex_len / 2;
    out->p = malloc(out->n + 1);
    if (out->p == NULL) {
        return 0;
    }
    for (size_t i = 0; i < out->n; i++) {
        unsigned int byte;
        if (sscanf(tok + 1 + 2 * i, "%2x", &byte) != 1) {
            return 0;
        }
        out->p[i] = (char)byte;
    }
    out->p[out->n] = 0;
    out->present = 1;
    return 1;
}

static void case_free(vcase *c) {
    buf_free(&c->name);
    for (size_t i = 0; i < c->n_secrets; i++) buf_free(&c->secrets[i]);
    buf_free(&c->secret_format);
    for (size_t i = 0; i < c->n_headers; i++) {
        buf_free(&c->headers[i].name);
        buf_free(&c->headers[i].value);
    }
    buf_free(&c->body);
    buf_free(&c->id);
    buf_free(&c->event);
    buf_free(&c->method);
    buf_free(&c->url);
    buf_free(&c->exp_id);
    buf_free(&c->exp_event);
    buf_free(&c->exp_payload);
    buf_free(&c->exp_header);
    buf_free(&c->exp_dedupe);
    for (size_t i = 0; i < c->n_exp_headers; i++) {
        buf_free(&c->exp_headers[i].name);
        buf_free(&c->exp_headers[i].value);
    }
    memset(c, 0, sizeof *c);
}

static void block_free(block *b) {
    buf_free(&b->scheme);
    for (size_t i = 0; i < b->n_sets; i++) {
        buf_free(&b->sets[i].name);
        buf_free(&b->sets[i].value);
    }
    memset(b, 0, sizeof *b);
}

/* The block's scheme: a built-in by name, or a custom one built from its `set` lines. One
 * handle, whichever it is: everything after this is the same code for both. */
static hooksig_status open_scheme(const block *b, hooksig_scheme **out, hooksig_error **err) {
    if (!b->custom) {
        return hooksig_scheme_from_name(b->scheme.p, b->scheme.n, out, err);
    }
    hooksig_custom_scheme_builder *builder = NULL;
    hooksig_status st = hooksig_custom_scheme_builder_new(&builder, err);
    for (size_t i = 0; st == HOOKSIG_OK && i < b->n_sets; i++) {
        st = hooksig_custom_scheme_builder_set(builder, b->sets[i].name.p, b->sets[i].name.n,
                                               b->sets[i].value.p, b->sets[i].value.n, err);
    }
    if (st == HOOKSIG_OK) {
        st = hooksig_custom_scheme_builder_build(builder, out, err);
    }
    hooksig_custom_scheme_builder_free(builder);
    return st;
}

/* A verifier for the case's scheme, secrets and options. */
static hooksig_status open_verifier(const block *b, const vcase *c, const hooksig_bytes *secrets,
                                    size_t n_secrets, hooksig_verifier **out,
                                    hooksig_error **err) {
    hooksig_scheme *scheme = NULL;
    hooksig_verifier_options *o = NULL;
    hooksig_status st = open_scheme(b, &scheme, err);
    if (st == HOOKSIG_OK) st = hooksig_verifier_options_new(&o, err);
    if (st == HOOKSIG_OK) st = hooksig_verifier_options_set_tolerance(o, c->tolerance, err);
    if (st == HOOKSIG_OK && c->secret_format.present) {
        st = hooksig_verifier_options_set_secret_format(o, c->secret_format.p, c->secret_format.n,
                                                        err);
    }
    if (st == HOOKSIG_OK) st = hooksig_verifier_options_set_json_fallback(o, c->json_fallback, err);
    if (st == HOOKSIG_OK) st = hooksig_verifier_new(scheme, secrets, n_secrets, o, out, err);
    hooksig_verifier_options_free(o);
    hooksig_scheme_free(scheme);
    return st;
}

static int bytes_eq(const char *p, size_t n, const buf *want) {
    return want->present && p != NULL && n == want->n && memcmp(p, want->p, n) == 0;
}

/* Optional text accessor vs an optional expectation (absent == NULL). */
static int opt_eq(const char *got, size_t got_len, const buf *want) {
    if (!want->present) return got == NULL;
    return bytes_eq((const char *)got, got_len, want);
}

static int same_headers(hooksig_signed_headers *h, const vcase *c, const char *path, char *why,
                        size_t why_len) {
    if (hooksig_signed_headers_count(h) != c->n_exp_headers) {
        snprintf(why, why_len, "%s: %zu headers, expected %zu", path,
                 hooksig_signed_headers_count(h), c->n_exp_headers);
        return 0;
    }
    for (size_t i = 0; i < c->n_exp_headers; i++) {
        size_t nl = 0, vl = 0;
        const char *name = hooksig_signed_headers_name(h, i, &nl);
        const char *value = hooksig_signed_headers_value(h, i, &vl);
        if (!bytes_eq((const char *)name, nl, &c->exp_headers[i].name) ||
            !bytes_eq((const char *)value, vl, &c->exp_headers[i].value)) {
            snprintf(why, why_len, "%s: header %zu is %s: %s", path, i, name ? name : "(null)",
                     value ? value : "(null)");
            return 0;
        }
    }
    return hooksig_signed_headers_name(h, c->n_exp_headers, NULL) == NULL;
}

/* Sign cases go through hooksig_verifier_sign (a verifier built with the case's secret format)
 * and, when the case uses the default format, through hooksig_sign too. */
static int run_sign(const block *b, const vcase *c, char *why, size_t why_len) {
    if (c->n_secrets < 1) {
        snprintf(why, why_len, "sign case without a secret");
        return 0;
    }
    int64_t ts = c->has_timestamp ? c->timestamp : HOOKSIG_NOW;
    const buf *s = &c->secrets[0];
    hooksig_signed_headers *h = NULL;
    hooksig_error *err = NULL;
    hooksig_bytes secret = {s->p, s->n};
    hooksig_verifier *v = NULL;
    hooksig_sign_options *o = NULL;
    hooksig_status st = open_verifier(b, c, &secret, 1, &v, &err);
    if (st == HOOKSIG_OK) {
        o = sign_options(ts, c->id.p, c->id.n, c->event.p, c->event.n, &st, &err);
    }
    if (st == HOOKSIG_OK && c->has_request) {
        st = hooksig_sign_options_set_request(o, c->method.p, c->method.n, c->url.p, c->url.n,
                                              &err);
    }
    if (st == HOOKSIG_OK) {
        st = hooksig_verifier_sign(v, c->body.p, c->body.n, o, &h, &err);
    }
    hooksig_verifier_free(v);
    int ok = st == HOOKSIG_OK;
    if (!ok) {
        snprintf(why, why_len, "hooksig_verifier_sign failed: %s (%s)", hooksig_status_code(st),
                 hooksig_error_message(err));
    }
    ok = ok && same_headers(h, c, "hooksig_verifier_sign", why, why_len);
    hooksig_signed_headers_free(h);
    hooksig_error_free(err);
    if (!ok || c->secret_format.present) {
        hooksig_sign_options_free(o);
        return ok;
    }
    h = NULL;
    err = NULL;
    hooksig_scheme *scheme = NULL;
    st = open_scheme(b, &scheme, &err);
    if (st == HOOKSIG_OK) {
        st = hooksig_sign(scheme, s->p, s->n, c->body.p, c->body.n, o, &h, &err);
    }
    hooksig_scheme_free(scheme);
    hooksig_sign_options_free(o);
    ok = st == HOOKSIG_OK;
    if (!ok) {
        snprintf(why, why_len, "hooksig_sign failed: %s (%s)", hooksig_status_code(st),
                 hooksig_error_message(err));
    }
    ok = ok && same_headers(h, c, "hooksig_sign", why, why_len);
    hooksig_signed_headers_free(h);
    hooksig_error_free(err);
    return ok;
}

static int run_verify(const block *b, const vcase *c, char *why, size_t why_len) {
    hooksig_bytes secrets[MAX_ITEMS];
    hooksig_header headers[MAX_ITEMS];
    for (size_t i = 0; i < c->n_secrets; i++) {
        secrets[i].ptr = c->secrets[i].p;
        secrets[i].len = c->secrets[i].n;
    }
    for (size_t i = 0; i < c->n_headers; i++) {
        headers[i].name = c->headers[i].name.p;
        headers[i].name_len = c->headers[i].name.n;
        headers[i].value = c->headers[i].value.p;
        headers[i].value_len = c->headers[i].value.n;
    }
    hooksig_verifier *v = NULL;
    hooksig_verified *out = NULL;
    hooksig_error *err = NULL;
    hooksig_status st = open_verifier(b, c, secrets, c->n_secrets, &v, &err);
    if (st == HOOKSIG_OK) {
        if (c->has_request) {
            hooksig_request request = {c->method.p, c->method.n, c->url.p, c->url.n};
            st = hooksig_verify_request(v, headers, c->n_headers, c->body.p, c->body.n, &request,
                                        c->now, &out, &err);
        } else {
            /* Half of the cases without a request line also go through hooksig_verify_request
             * with NULL: the same answer as hooksig_verify. */
            st = (c->n_headers % 2 == 0)
                     ? hooksig_verify(v, headers, c->n_headers, c->body.p, c->body.n, c->now,
                                      &out, &err)
                     : hooksig_verify_request(v, headers, c->n_headers, c->body.p, c->body.n,
                                              NULL, c->now, &out, &err);
        }
    }
    int ok = 1;
    if (c->expect_ok) {
        if (st != HOOKSIG_OK) {
            snprintf(why, why_len, "expected ok, got %s: %s", hooksig_status_code(st),
                     hooksig_error_message(err));
            ok = 0;
        } else {
            size_t id_len = 0, ev_len = 0, pl_len = 0;
            const char *id = hooksig_verified_id(out, &id_len);
            const char *ev = hooksig_verified_event_type(out, &ev_len);
            const uint8_t *pl = hooksig_verified_payload(out, &pl_len);
            size_t dk_len = 0;
            const char *dk = hooksig_verified_dedupe_key(out, &dk_len);
            const buf *want_payload = c->exp_payload.present ? &c->exp_payload : &c->body;
            if (hooksig_verified_key_index(out) != c->key_index) {
                snprintf(why, why_len, "key_index %zu, expected %zu",
                         hooksig_verified_key_index(out), c->key_index);
                ok = 0;
            } else if (hooksig_verified_has_timestamp(out) != c->has_exp_ts ||
                       (c->has_exp_ts && hooksig_verified_timestamp(out) != c->exp_ts)) {
                snprintf(why, why_len, "timestamp %" PRId64 " (has: %d)",
                         hooksig_verified_timestamp(out), hooksig_verified_has_timestamp(out));
                ok = 0;
            } else if (!opt_eq(id, id_len, &c->exp_id)) {
                snprintf(why, why_len, "id %s", id ? id : "(null)");
                ok = 0;
            } else if (!opt_eq(ev, ev_len, &c->exp_event)) {
                snprintf(why, why_len, "event_type %s", ev ? ev : "(null)");
                ok = 0;
            } else if (c->exp_dedupe.present && !opt_eq(dk, dk_len, &c->exp_dedupe)) {
                snprintf(why, why_len, "dedupe_key %s", dk ? dk : "(null)");
                ok = 0;
            } else if (!(pl != NULL && pl_len == want_payload->n &&
                         memcmp(pl, want_payload->p ? want_payload->p : (const char *)"",
                                pl_len) == 0)) {
                snprintf(why, why_len, "payload differs (%zu bytes)", pl_len);
                ok = 0;
            } else if (err != NULL) {
                snprintf(why, why_len, "err_out written on success");
                ok = 0;
            }
        }
    } else {
        const char *code = hooksig_error_code(err);
        const char *header = hooksig_error_header(err);
        if (st == HOOKSIG_OK || !str_eq(hooksig_status_code(st), c->exp_code) ||
            !str_eq(code, c->exp_code) || hooksig_error_status(err) != st) {
            snprintf(why, why_len, "expected %s, got %s / %s", c->exp_code,
                     hooksig_status_code(st), code ? code : "(no error object)");
            ok = 0;
        } else if (c->exp_header.present && !str_eq(header, (const char *)c->exp_header.p)) {
            snprintf(why, why_len, "error names header %s, expected %s",
                     header ? header : "(null)", (const char *)c->exp_header.p);
            ok = 0;
        } else if (out != NULL) {
            snprintf(why, why_len, "out written on failure");
            ok = 0;
        }
    }
    hooksig_verified_free(out);
    hooksig_error_free(err);
    hooksig_verifier_free(v);
    return ok;
}

static int64_t parse_i64(const char *tok, int *ok) {
    if (tok == NULL) {
        *ok = 0;
        return 0;
    }
    char *end = NULL;
    long long v = strtoll(tok, &end, 10);
    if (*end != '\0') *ok = 0;
    return (int64_t)v;
}

/* Returns the number of cases run, or -1 if the fixture cannot be read. */
int run_vector_tests(const char *fixture_path) {
    FILE *f = fopen(fixture_path, "r");
    if (f == NULL) {
        perror(fixture_path);
        record(0, "cannot open the vector fixture");
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    block b;
    vcase c;
    memset(&b, 0, sizeof b);
    memset(&c, 0, sizeof c);
    int in_case = 0, cases = 0, lineno = 0, parse_ok = 1;
    char why[512];
    while (getline(&line, &cap, f) != -1) {
        lineno++;
        line[strcspn(line, "\n")] = '\0';
        char *save = NULL;
        char *cmd = strtok_r(line, " ", &save);
        char *a1 = strtok_r(NULL, " ", &save);
        char *a2 = strtok_r(NULL, " ", &save);
        if (cmd == NULL) continue;
        int ok = 1;
        if (strcmp(cmd, "file") == 0) {
            block_free(&b);
            snprintf(b.file, sizeof b.file, "%s", a1 ? a1 : "?");
        } else if (strcmp(cmd, "scheme") == 0) {
            b.custom = a1 && strcmp(a1, "custom") == 0;
            if (!b.custom) ok = parse_x(a2, &b.scheme);
        } else if (strcmp(cmd, "set") == 0) {
            ok = b.n_sets < MAX_ITEMS && parse_x(a1, &b.sets[b.n_sets].name) &&
                 parse_x(a2, &b.sets[b.n_sets].value);
            b.n_sets++;
        } else if (strcmp(cmd, "case") == 0) {
            case_free(&c);
            c.tolerance = HOOKSIG_TOLERANCE_SCHEME_DEFAULT; /* a case without "tolerance": not given */
            c.json_fallback = HOOKSIG_JSON_FALLBACK_DEFAULT;
            in_case = 1;
            ok = parse_x(a1, &c.name);
        } else if (strcmp(cmd, "op") == 0) {
            c.sign = a1 && strcmp(a1, "sign") == 0;
        } else if (strcmp(cmd, "secret") == 0) {
            ok = c.n_secrets < MAX_ITEMS && parse_x(a1, &c.secrets[c.n_secrets++]);
        } else if (strcmp(cmd, "secret_format") == 0) {
            ok = parse_x(a1, &c.secret_format);
        } else if (strcmp(cmd, "tolerance") == 0) {
            c.tolerance = parse_i64(a1, &ok);
        } else if (strcmp(cmd, "json_fallback") == 0) {
            c.json_fallback = (int)parse_i64(a1, &ok);
        } else if (strcmp(cmd, "now") == 0) {
            c.now = parse_i64(a1, &ok);
        } else if (strcmp(cmd, "header") == 0) {
            ok = c.n_headers < MAX_ITEMS && parse_x(a1, &c.headers[c.n_headers].name) &&
                 parse_x(a2, &c.headers[c.n_headers].value);
            c.n_headers++;
        } else if (strcmp(cmd, "body") == 0) {
            ok = parse_x(a1, &c.body);
        } else if (strcmp(cmd, "body_repeat") == 0) { /* x<text> <count> x<before> x<after> */
            buf unit = {0, NULL, 0}, before = {0, NULL, 0}, after = {0, NULL, 0};
            char *a3 = strtok_r(NULL, " ", &save);
            char *a4 = strtok_r(NULL, " ", &save);
            int64_t count = parse_i64(a2, &ok);
            ok = ok && count >= 0 && parse_x(a1, &unit) && parse_x(a3, &before) &&
                 parse_x(a4, &after);
            if (ok) {
                buf_free(&c.body);
                c.body.n = before.n + unit.n * (size_t)count + after.n;
                c.body.p = malloc(c.body.n + 1);
                c.body.present = c.body.p != NULL;
                if (c.body.p) {
                    char *at = c.body.p;
                    if (before.n) memcpy(at, before.p, before.n);
                    at += before.n;
                    for (size_t i = 0; i < (size_t)count; i++, at += unit.n) {
                        memcpy(at, unit.p, unit.n);
                    }
                    if (after.n) memcpy(at, after.p, after.n);
                }
                ok = c.body.present;
            }
            buf_free(&unit);
            buf_free(&before);
            buf_free(&after);
        } else if (strcmp(cmd, "timestamp") == 0) {
            c.has_timestamp = 1;
            c.timestamp = parse_i64(a1, &ok);
        } else if (strcmp(cmd, "id") == 0) {
            ok = parse_x(a1, &c.id);
        } else if (strcmp(cmd, "event") == 0) {
            ok = parse_x(a1, &c.event);
        } else if (strcmp(cmd, "request") == 0) {
            c.has_request = 1;
            ok = parse_x(a1, &c.method) && parse_x(a2, &c.url);
        } else if (strcmp(cmd, "expect") == 0 && a1 && strcmp(a1, "ok") == 0) {
            char *ts = strtok_r(NULL, " ", &save);
            char *id = strtok_r(NULL, " ", &save);
            char *ev = strtok_r(NULL, " ", &save);
            char *pl = strtok_r(NULL, " ", &save);
            c.expect_ok = 1;
            c.key_index = (size_t)parse_i64(a2, &ok);
            c.has_exp_ts = ts && strcmp(ts, "-") != 0;
            if (c.has_exp_ts) c.exp_ts = parse_i64(ts, &ok);
            ok = ok && parse_x(id, &c.exp_id) && parse_x(ev, &c.exp_event) &&
                 parse_x(pl, &c.exp_payload);
        } else if (strcmp(cmd, "expect") == 0) {
            char *hdr = strtok_r(NULL, " ", &save);
            c.expect_ok = 0;
            snprintf(c.exp_code, sizeof c.exp_code, "%s", a2 ? a2 : "?");
            ok = parse_x(hdr, &c.exp_header);
        } else if (strcmp(cmd, "expect_dedupe") == 0) {
            ok = parse_x(a1, &c.exp_dedupe);
        } else if (strcmp(cmd, "expect_header") == 0) {
            ok = c.n_exp_headers < MAX_ITEMS &&
                 parse_x(a1, &c.exp_headers[c.n_exp_headers].name) &&
                 parse_x(a2, &c.exp_headers[c.n_exp_headers].value);
            c.n_exp_headers++;
        } else if (strcmp(cmd, "end") == 0 && in_case) {
            why[0] = '\0';
            int passed = c.sign ? run_sign(&b, &c, why, sizeof why)
                                : run_verify(&b, &c, why, sizeof why);
            if (!passed) {
                char what[768];
                snprintf(what, sizeof what, "vector %s %s: %s", b.file, (const char *)c.name.p,
                         why);
                record(0, what);
            } else {
                record(1, "");
            }
            cases++;
            in_case = 0;
        } else {
            ok = 0;
        }
        if (!ok) {
            fprintf(stderr, "fixture line %d (%s) is malformed\n", lineno, cmd);
            parse_ok = 0;
        }
    }
    free(line);
    fclose(f);
    case_free(&c);
    block_free(&b);
    if (!parse_ok) {
        record(0, "the vector fixture is malformed");
    }
    return cases;
}
