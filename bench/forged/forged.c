/* Forged-request cost ÷ valid-request cost through the C API (`make bench-forged`).
 *
 *   forged_c CASES_DIR OUT.jsonl
 *
 * Times the requests `forged_cost cases` wrote (the same bytes every binding gets): for each case
 * a valid request (hooksig_verify_request + hooksig_verified_free) and the same headers with a wrong
 * signature (hooksig_verify_request with an err_out, + hooksig_error_free: a C receiver logs why).
 * Interleaved batches (BENCH_ROUNDS, BENCH_BATCH_MS), median of the batch means in thread CPU
 * time (the machine is shared; CPU time is what the request costs). */
#define _POSIX_C_SOURCE 200809L
#include <hooksig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NOW 1767225600LL
#define MAX_FIELDS 64

static double clock_ns(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

typedef struct {
  const hooksig_verifier *v;
  hooksig_header *headers;
  size_t n_headers;
  const char *body;
  size_t body_len;
  const hooksig_request *line; /* NULL unless the scheme signs the request line */
} request;

static int verify_ok(const request *r) {
  hooksig_verified *out = NULL;
  hooksig_status s = hooksig_verify_request(r->v, r->headers, r->n_headers, r->body, r->body_len, r->line, NOW, &out, NULL);
  hooksig_verified_free(out);
  return s == HOOKSIG_OK;
}

static int verify_bad(const request *r) {
  hooksig_verified *out = NULL;
  hooksig_error *err = NULL;
  hooksig_status s = hooksig_verify_request(r->v, r->headers, r->n_headers, r->body, r->body_len, r->line, NOW, &out, &err);
  hooksig_verified_free(out);
  hooksig_error_free(err);
  return s != HOOKSIG_OK;
}

static double batch(int (*f)(const request *), const request *r, long n) {
  double start = clock_ns(CLOCK_THREAD_CPUTIME_ID);
  for (long i = 0; i < n; i++) f(r);
  return (clock_ns(CLOCK_THREAD_CPUTIME_ID) - start) / (double)n;
}

/* A shape label inside a JSON string: its quotes and backslashes escaped. */
static void json_text(FILE *out, const char *text) {
  for (; *text; text++) {
    if (*text == '"' || *text == '\\') fputc('\\', out);
    fputc(*text, out);
  }
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) { perror(path); exit(2); }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) { perror(path); exit(2); }
  fclose(f);
  *len = (size_t)n;
  return buf;
}

static hooksig_header *headers_from(char **fields, size_t *at, size_t *count) {
  size_t n = (size_t)atol(fields[(*at)++]);
  hooksig_header *h = calloc(n, sizeof *h);
  for (size_t i = 0; i < n; i++) {
    h[i].name = (const char *)fields[*at];
    h[i].name_len = strlen(fields[(*at)++]);
    h[i].value = (const char *)fields[*at];
    h[i].value_len = strlen(fields[(*at)++]);
  }
  *count = n;
  return h;
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: %s CASES_DIR OUT.jsonl\n", argv[0]); return 2; }
  const char *env = getenv("BENCH_ROUNDS");
  int rounds = env ? atoi(env) : 21;
  env = getenv("BENCH_BATCH_MS");
  double batch_ns = (env ? atof(env) : 10.0) * 1e6;
  const char *filter = getenv("BENCH_FILTER");
  char path[4096];
  snprintf(path, sizeof path, "%s/cases.tsv", argv[1]);
  size_t text_len;
  char *text = (char *)read_file(path, &text_len);
  text[text_len] = 0;
  FILE *out = fopen(argv[2], "w");
  if (!out) { perror(argv[2]); return 2; }
  double *vs = calloc((size_t)rounds, sizeof(double)), *fs = calloc((size_t)rounds, sizeof(double));
  printf("%-24s %-38s %5s %12s %12s %8s\n", "scheme", "body", "size", "valid µs", "forged µs", "ratio");
  for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
    /* Split one line on tabs, in place (strtok is busy with the lines). */
    char *fields[MAX_FIELDS];
    size_t nf = 0;
    for (char *p = line; nf < MAX_FIELDS;) {
      fields[nf++] = p;
      char *tab = strchr(p, '\t');
      if (!tab) break;
      *tab = 0;
      p = tab + 1;
    }
    const char *scheme = fields[0], *label = fields[1], *shape = fields[2], *size = fields[3];
    if (filter && !strstr(label, filter)) continue;
    snprintf(path, sizeof path, "%s/%s", argv[1], fields[4]);
    size_t body_len;
    char *body = read_file(path, &body_len);
    size_t at = 5, n_secrets = (size_t)atol(fields[at++]);
    hooksig_bytes secrets[8];
    for (size_t i = 0; i < n_secrets; i++, at++) {
      secrets[i].ptr = (const char *)fields[at];
      secrets[i].len = strlen(fields[at]);
    }
    hooksig_verifier *v = NULL;
    hooksig_scheme *named = NULL;
    hooksig_status made = hooksig_scheme_from_name(scheme, strlen(scheme), &named, NULL);
    if (made == HOOKSIG_OK) made = hooksig_verifier_new(named, secrets, n_secrets, NULL, &v, NULL);
    hooksig_scheme_free(named);
    if (made != HOOKSIG_OK) {
      fprintf(stderr, "%s: verifier refused\n", label);
      return 1;
    }
    request ok = {v, NULL, 0, body, body_len, NULL}, bad = {v, NULL, 0, body, body_len, NULL};
    ok.headers = headers_from(fields, &at, &ok.n_headers);
    bad.headers = headers_from(fields, &at, &bad.n_headers);
    const char *url = at < nf ? fields[at] : "";
    hooksig_request line = {"POST", 4, url, strlen(url)};
    if (*url) ok.line = bad.line = &line;
    if (!verify_ok(&ok) || !verify_bad(&bad)) {
      fprintf(stderr, "%s %s: valid must verify, forged must fail\n", label, shape);
      return 1;
    }
    double t0 = clock_ns(CLOCK_MONOTONIC);
    for (int i = 0; i < 3; i++) { verify_ok(&ok); verify_bad(&bad); }
    double one = (clock_ns(CLOCK_MONOTONIC) - t0) / 3;
    long n = (long)(batch_ns / (one > 1 ? one : 1));
    if (n < 1) n = 1;
    if (n > 1000000) n = 1000000;
    for (int r = 0; r < rounds; r++) {
      if (r % 2 == 0) { vs[r] = batch(verify_ok, &ok, n); fs[r] = batch(verify_bad, &bad, n); }
      else { fs[r] = batch(verify_bad, &bad, n); vs[r] = batch(verify_ok, &ok, n); }
    }
    qsort(vs, (size_t)rounds, sizeof(double), cmp);
    qsort(fs, (size_t)rounds, sizeof(double), cmp);
    double vu = vs[rounds / 2] / 1e3, fu = fs[rounds / 2] / 1e3;
    printf("%-24s %-38s %5s %12.2f %12.2f %7.2f×\n", label, shape, size, vu, fu, fu / vu);
    fflush(stdout);
    fprintf(out, "{\"binding\":\"c\",\"scheme\":\"%s\",\"shape\":\"", label);
    json_text(out, shape);
    fprintf(out, "\",\"size\":\"%s\",\"valid_us\":%.3f,\"forged_us\":%.3f}\n", size, vu, fu);
    free(ok.headers);
    free(bad.headers);
    free(body);
    hooksig_verifier_free(v);
  }
  fclose(out);
  return 0;
}
