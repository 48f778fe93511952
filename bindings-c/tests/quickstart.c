/* Quick start: verify a GitHub webhook (GitHub's documented example).
 * Build: cc -std=c11 quickstart.c $(pkg-config --cflags --libs hooksig) */
#include <stdio.h>
#include <string.h>

#include <hooksig.h>

int main(void) {
    /* Once at start-up: a verifier is immutable and may be shared by every thread. */
    const char *secret = "It's a Secret to Everybody";
    hooksig_bytes secrets[] = {{secret, strlen(secret)}};
    hooksig_scheme *github = NULL;
    hooksig_verifier *verifier = NULL;
    hooksig_error *err = NULL;
    if (hooksig_scheme_from_name("github", strlen("github"), &github, &err) != HOOKSIG_OK ||
        /* NULL options: the scheme's tolerance (300 s; 600 for twitch and box), secret format "auto" */
        hooksig_verifier_new(github, secrets, 1, NULL, &verifier, &err) != HOOKSIG_OK) {
        fprintf(stderr, "configuration error: %s\n", hooksig_error_message(err));
        hooksig_error_free(err);
        hooksig_scheme_free(github);
        return 1;
    }
    hooksig_scheme_free(github); /* the verifier keeps its own copy */

    /* Per request: the headers and the raw body bytes exactly as received. */
    const char *body = "Hello, World!";
    const char *sig = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    hooksig_header headers[] = {
        {"X-Hub-Signature-256", 19, sig, strlen(sig)},
        {"X-GitHub-Event", 14, "ping", 4},
    };
    hooksig_verified *verified = NULL;
    hooksig_status status =
        hooksig_verify(verifier, headers, 2, body, strlen(body), HOOKSIG_NOW, &verified, &err);
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
