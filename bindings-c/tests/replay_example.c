/* Dropping duplicate deliveries: a verifier plus a replay guard. The same GitHub delivery
 * arrives twice (senders retry); the handler runs once.
 * Build: cc -std=c11 replay_example.c $(pkg-config --cflags --libs hooksig) */
#include <stdio.h>
#include <string.h>

#include <hooksig.h>

static int handle(const hooksig_verified *event) {
    printf("handled %s\n", hooksig_verified_event_type(event, NULL));
    return 0; /* non-zero: the handler failed */
}

/* Verifies one request and answers it: 200 (processed or duplicate), 4xx or 500. */
static int receive(const hooksig_verifier *verifier, const hooksig_replay_guard *guard,
                   const hooksig_header *headers, size_t n_headers, const char *body) {
    hooksig_verified *event = NULL;
    hooksig_status status =
        hooksig_verify(verifier, headers, n_headers, body, strlen(body), HOOKSIG_NOW, &event, NULL);
    if (status != HOOKSIG_OK) {
        return hooksig_status_http_status(status); /* forged requests never reach the guard */
    }
    size_t key_len = 0;
    const char *key = hooksig_verified_dedupe_key(event, &key_len); /* "github:sig:<hex>" */
    int32_t is_new = 0;
    int answer = 200;
    if (hooksig_replay_guard_check_and_remember(guard, key, key_len, HOOKSIG_NOW,
                                                &is_new, NULL) != HOOKSIG_OK) {
        answer = 500;
    } else if (!is_new) {
        printf("duplicate: %s\n", key); /* answer 200 so that the sender stops retrying */
    } else if (handle(event) != 0) {
        /* Release the key so that the sender's retry runs the handler again. */
        hooksig_replay_guard_forget(guard, key, key_len, NULL);
        answer = 500;
    }
    hooksig_verified_free(event);
    return answer;
}

int main(void) {
    const char *secret = "It's a Secret to Everybody";
    hooksig_bytes secrets[] = {{secret, strlen(secret)}};
    hooksig_scheme *github = NULL;
    hooksig_verifier *verifier = NULL;
    hooksig_replay_guard *guard = NULL;
    hooksig_status status = hooksig_scheme_from_name("github", 6, &github, NULL);
    if (status == HOOKSIG_OK) {
        status = hooksig_verifier_new(github, secrets, 1, NULL, &verifier, NULL);
    }
    hooksig_scheme_free(github);
    /* ttl: the verifier's tolerance + 60 s (24 h for schemes without timestamps, as here) */
    if (status != HOOKSIG_OK || hooksig_replay_guard_new_for(verifier, &guard, NULL) != HOOKSIG_OK) {
        hooksig_verifier_free(verifier);
        return 1;
    }
    const char *sig = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    hooksig_header headers[] = {
        {"X-Hub-Signature-256", 19, sig, strlen(sig)},
        {"X-GitHub-Event", 14, "ping", 4},
    };
    int first = receive(verifier, guard, headers, 2, "Hello, World!");
    int retry = receive(verifier, guard, headers, 2, "Hello, World!");
    printf("%d %d\n", first, retry);
    hooksig_replay_guard_free(guard);
    hooksig_verifier_free(verifier);
    return first == 200 && retry == 200 ? 0 : 1;
}
