/* Quick start: verify a GitHub webhook (GitHub's documented example).
 * Build: cc -std=c11 quickstart.c $(pkg-config --cflags --libs hooksig) */
#include <stdio.h>
#include <string.h>

#include <hooksig.h>

int main(void) {
    /* Once at start-up: a verifier is immutable and may be shared by every thread. */
    const char *secret = "It's a Secret to Everybody";
    hooksig_bytes secrets[] = {{(const uint8_t *)secret, strlen(secret)}};
    hooksig_verifier *verifier = NULL;
    hooksig_error *err = NULL;
    if (hooksig_verifier_new((const uint8_t *)"github", strlen("github"), secrets, 1,
                             HOOKSIG_DEFAULT_TOLERANCE, &verifier, &err) != HOOKSIG_OK) {
        fprintf(stderr, "configuration error: %s\n", hooksig_error_message(err));
        hooksig_error_free(err);
        return 1;
    }

    /* Per request: the headers and the raw body bytes exactly as received. */
    const char *body = "Hello, World!";
    const char *sig = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    hooksig_header headers[] = {
        {(const uint8_t *)"X-Hub-Signature-256", 19, (const uint8_t *)sig, strlen(sig)},
        {(const uint8_t *)"X-GitHub-Event", 14, (const uint8_t *)"ping", 4},
    };
    hooksig_verified *verified = NULL;
    hooksig_status status = hooksig_verify(verifier, headers, 2, (const uint8_t *)body,
                                           strlen(body), HOOKSIG_NOW, &verified, &err);
    if (status == HOOKSIG_OK) {
        printf("200: verified a %s event\n", hooksig_verified_event_type(verified, NULL));
        hooksig_verified_free(verified);
    } else {
        /* 400 for missing/malformed headers, 401 for a bad signature or stale timestamp. */
        printf("%d: %s (%s)\n", hooksig_status_http_status(status), hooksig_error_code(err),
               hooksig_error_message(err));
        hooksig_error_free(err);
    }
    hooksig_verifier_free(verifier);
    return status == HOOKSIG_OK ? 0 : 1;
}
