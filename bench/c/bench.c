/* The C API timed from C: hooksig_verify + hooksig_verified_free per request, the way a C
 * receiver calls it, for the schemes and sizes of bench/c/boundary (which puts the same calls
 * next to the Rust core in one process).
 *
 *   bench_c [OUT.json]        (BENCH_ROUNDS, BENCH_BATCH_MS; make bench builds and runs it)
 *
 * Same method as every bench here: per case a warm-up and a calibration, then ROUNDS rounds of
 * one batch per case, interleaved; the median of the batch means in ns per call. */
#define _POSIX_C_SOURCE 200809L
#include <hooksig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NOW 1767225600LL
#define MAX_HEADERS 16
#define MAX_CASES 8

static const char *SCHEMES[] = {"algoguard", "standard-webhooks", "stripe", "github"};
static const size_t SIZES[] = {64, 1024, 16 * 1024, 1 << 20};
static const char *LABELS[] = {"64B", "1KiB", "16KiB", "1MiB"};

static const char *secret_for(const char *scheme) {
  if (!strcmp(scheme, "standard-webhooks") || !strcmp(scheme, "svix")) {
    return "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  }
  return "whsec_benchmark_secret_value";
}

static double clock_ns(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}
static double now_ns(void) { return clock_ns(CLOCK_MONOTONIC); }
/* CPU time of this thread: excludes the time other processes had the core. */
static double cpu_ns(void) { return clock_ns(CLOCK_THREAD_CPUTIME_ID); }

/* JSON-looking filler, byte for byte the body of core/benches/verify.rs. */
static char *make_body(size_t len) {
  static const char head[] = "{\"id\":\"evt_1\",\"event\":\"x\",\"data\":\"";
  size_t n = len < 2 ? 2 : len;
  char *b = malloc(n);
  if (!b) abort();
  memset(b, 'a', n);
  size_t h = strlen(head) < n - 2 ? strlen(head) : n - 2;
  memcpy(b, head, h);
  memcpy(b + n - 2, "\"}", 2);
  return b;
}

typedef struct {
  const char *scheme;
  hooksig_verifier *v;
  hooksig_signed_headers *signed_h;
  char content_length[32];
  hooksig_header headers[MAX_HEADERS];
  size_t n_headers;
  size_t batch;
  double *samples;
  double *cpu_samples;
} bench_case;

static void add(bench_case *c, const char *name, const char *value) {
  if (c->n_headers == MAX_HEADERS) abort();
  hooksig_header *h = &c->headers[c->n_headers++];
  h->name = (const char *)name;
  h->name_len = strlen(name);
  h->value = (const char *)value;
  h->value_len = strlen(value);
}

static int verify_once(const bench_case *c, const char *body, size_t len) {
  hooksig_verified *out = NULL;
  int status = hooksig_verify(c->v, c->headers, c->n_headers, body, len, NOW, &out, NULL);
  if (status == HOOKSIG_OK) hooksig_verified_free(out);
  return status;
}

static volatile int sink;

static double run_batch(const bench_case *c, const char *body, size_t len, size_t n, double *cpu_out) {
  double t0 = now_ns(), c0 = cpu_ns();
  int acc = 0;
  for (size_t i = 0; i < n; i++) acc |= verify_once(c, body, len);
  double t1 = now_ns(), c1 = cpu_ns();
  if (cpu_out) *cpu_out = (c1 - c0) / (double)n;
  sink = acc;
  if (acc != 0) {
    fprintf(stderr, "%s: verification failed\n", c->scheme);
    exit(1);
  }
  return (t1 - t0) / (double)n;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *xs, size_t n) {
  double *s = malloc(n * sizeof *s);
  if (!s) abort();
  memcpy(s, xs, n * sizeof *s);
  qsort(s, n, sizeof *s, cmp_double);
  double m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  free(s);
  return m;
}

int main(int argc, char **argv) {
  const char *out_path = argc > 1 ? argv[1] : "target/bench/c.json";
  const char *env_rounds = getenv("BENCH_ROUNDS"), *env_batch = getenv("BENCH_BATCH_MS");
  size_t rounds = env_rounds ? (size_t)atoi(env_rounds) : 41;
  double batch_ns = (env_batch ? atof(env_batch) : 10.0) * 1e6;
  size_t n_schemes = sizeof SCHEMES / sizeof *SCHEMES;
  FILE *out = fopen(out_path, "w");
  if (!out) {
    perror(out_path);
    return 1;
  }
  fprintf(out, "{\"lang\":\"c\",\"versions\":{\"hooksig\":\"%s\",\"cc\":\"%s\"},"
               "\"config\":{\"rounds\":%zu,\"batch_ms\":%g},\"results\":[\n",
          hooksig_version(), __VERSION__, rounds, batch_ns / 1e6);
  int first = 1;
  for (size_t s = 0; s < sizeof SIZES / sizeof *SIZES; s++) {
    size_t len = SIZES[s];
    char *body = make_body(len);
    bench_case cases[MAX_CASES];
    memset(cases, 0, sizeof cases);
    for (size_t k = 0; k < n_schemes; k++) {
      bench_case *c = &cases[k];
      c->scheme = SCHEMES[k];
      const char *secret = secret_for(c->scheme);
      hooksig_bytes key = {(const char *)secret, strlen(secret)};
      hooksig_scheme *scheme = NULL;
      hooksig_sign_options *options = NULL;
      int failed = hooksig_scheme_from_name(c->scheme, strlen(c->scheme), &scheme, NULL) ||
                   hooksig_verifier_new(scheme, &key, 1, NULL, &c->v, NULL) ||
                   hooksig_sign_options_new(&options, NULL) ||
                   hooksig_sign_options_set_timestamp(options, NOW, NULL) ||
                   hooksig_sign_options_set_id(options, "msg_1", 5, NULL) ||
                   hooksig_sign_options_set_event_type(options, "x", 1, NULL) ||
                   hooksig_sign(scheme, secret, strlen(secret), body, len, options, &c->signed_h, NULL);
      hooksig_sign_options_free(options);
      hooksig_scheme_free(scheme);
      if (failed) {
        fprintf(stderr, "%s: setup failed\n", c->scheme);
        return 1;
      }
      snprintf(c->content_length, sizeof c->content_length, "%zu", len);
      add(c, "Host", "hooks.example.com");
      add(c, "User-Agent", "Sender-Hookshot/1.0");
      add(c, "Content-Type", "application/json");
      add(c, "Accept", "*/*");
      add(c, "Accept-Encoding", "gzip");
      add(c, "X-Forwarded-For", "203.0.113.7");
      add(c, "X-Forwarded-Proto", "https");
      add(c, "X-Request-Id", "5f0c4e0e-7a43-4c41-9f5e-1f6a3f0b2c9d");
      add(c, "Content-Length", c->content_length);
      for (size_t i = 0; i < hooksig_signed_headers_count(c->signed_h); i++) {
        add(c, hooksig_signed_headers_name(c->signed_h, i, NULL), hooksig_signed_headers_value(c->signed_h, i, NULL));
      }
      /* A tampered body must fail. */
      char *bad = malloc(len);
      if (!bad) abort();
      memcpy(bad, body, len);
      bad[len - 3] ^= 1;
      if (verify_once(c, body, len) != HOOKSIG_OK || verify_once(c, bad, len) == HOOKSIG_OK) {
        fprintf(stderr, "%s: sanity check failed\n", c->scheme);
        return 1;
      }
      free(bad);
      /* Warm up >= 150 ms (and >= 5 calls), then size a batch. */
      size_t calls = 0;
      double t0 = now_ns();
      while (now_ns() - t0 < 150e6 || calls < 5) {
        size_t n = calls < 1 ? 1 : (calls > 1000 ? 1000 : calls);
        run_batch(c, body, len, n, NULL);
        calls += n;
      }
      double per = (now_ns() - t0) / (double)calls;
      c->batch = (size_t)(batch_ns / per + 0.5);
      if (c->batch < 1) c->batch = 1;
      c->samples = calloc(rounds, sizeof(double));
      c->cpu_samples = calloc(rounds, sizeof(double));
      if (!c->samples || !c->cpu_samples) abort();
    }
    for (size_t r = 0; r < rounds; r++) {
      for (size_t k = 0; k < n_schemes; k++) {
        bench_case *c = &cases[(k + r) % n_schemes];
        c->samples[r] = run_batch(c, body, len, c->batch, &c->cpu_samples[r]);
      }
    }
    for (size_t k = 0; k < n_schemes; k++) {
      bench_case *c = &cases[k];
      double m = median(c->samples, rounds), cpu = median(c->cpu_samples, rounds);
      printf("c %-5s %-17s %-9s %12.0f ns\n", LABELS[s], c->scheme, "C API", m);
      fprintf(out, "%s{\"scheme\":\"%s\",\"impl\":\"C API (from C)\",\"size\":%zu,\"label\":\"%s\",\"median_ns\":%.1f,"
                   "\"cpu_median_ns\":%.1f,\"batch\":%zu,\"batches\":%zu}",
              first ? "" : ",\n", c->scheme, len, LABELS[s], m, cpu, c->batch, rounds);
      first = 0;
      free(c->samples);
      free(c->cpu_samples);
      hooksig_signed_headers_free(c->signed_h);
      hooksig_verifier_free(c->v);
    }
    free(body);
  }
  fprintf(out, "\n]}\n");
  fclose(out);
  return 0;
}
