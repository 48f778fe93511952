/* One verifier shared by 8 threads, each verifying its own signed and tampered messages. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

#define THREADS 8
#define ROUNDS 50

typedef struct {
    const hooksig_verifier *v;
    int id;
    int failures;
} job;

static void *worker(void *arg) {
    job *j = arg;
    for (int r = 0; r < ROUNDS; r++) {
        char body[96];
        snprintf(body, sizeof body, "{\"id\":\"evt_%d_%d\",\"type\":\"invoice.paid\"}", j->id, r);
        int64_t now = 1767225600 + r;
        hooksig_signed_headers *h = NULL;
        if (sign_named(BYTES("stripe"), BYTES("whsec_shared"), BYTES(body), now, NULL, 0, NULL,
                         0, &h, NULL) != HOOKSIG_OK) {
            j->failures++;
            continue;
        }
        size_t nl = 0, vl = 0;
        const char *name = hooksig_signed_headers_name(h, 0, &nl);
        const char *value = hooksig_signed_headers_value(h, 0, &vl);
        hooksig_header header = {(const char *)name, nl, (const char *)value, vl};

        hooksig_verified *out = NULL;
        hooksig_status st = hooksig_verify(j->v, &header, 1, BYTES(body), now, &out, NULL);
        char want_id[32];
        snprintf(want_id, sizeof want_id, "evt_%d_%d", j->id, r);
        if (st != HOOKSIG_OK || !str_eq(hooksig_verified_id(out, NULL), want_id) ||
            hooksig_verified_timestamp(out) != now) {
            j->failures++;
        }
        hooksig_verified_free(out);

        body[2] = 'X'; /* tampered */
        hooksig_error *err = NULL;
        out = NULL;
        st = hooksig_verify(j->v, &header, 1, BYTES(body), now, &out, &err);
        if (st != HOOKSIG_SIGNATURE_MISMATCH || out != NULL ||
            !str_eq(hooksig_error_code(err), "signature_mismatch")) {
            j->failures++;
        }
        hooksig_error_free(err);
        hooksig_signed_headers_free(h);
    }
    return NULL;
}

void run_thread_tests(void) {
    hooksig_bytes secrets[] = {{BYTES("whsec_shared")}};
    hooksig_verifier *v = NULL;
    if (!CHECK(new_verifier(BYTES("stripe"), secrets, 1, 300, &v, NULL) == HOOKSIG_OK)) {
        return;
    }
    pthread_t threads[THREADS];
    job jobs[THREADS];
    int started = 0;
    for (int i = 0; i < THREADS; i++) {
        jobs[i] = (job){v, i, 0};
        if (pthread_create(&threads[i], NULL, worker, &jobs[i]) == 0) started++;
    }
    CHECK(started == THREADS);
    int failures = 0;
    for (int i = 0; i < started; i++) {
        pthread_join(threads[i], NULL);
        failures += jobs[i].failures;
    }
    CHECK(failures == 0);
    hooksig_verifier_free(v);
}
