/* Several vendors at one endpoint: one verifier over a Stripe and a GitHub one. Prints the
 * scheme that matched a GitHub delivery, then the status for a request that carries no
 * vendor's signature header.
 * Build: cc -std=c11 any_of_example.c $(pkg-config --cflags --libs hooksig) */
#include <stdio.h>
#include <string.h>

#include <hooksig.h>

static hooksig_verifier *verifier_for(const char *scheme, const char *secret) {
    hooksig_scheme *s = NULL;
    hooksig_verifier *v = NULL;
    hooksig_bytes secrets[] = {{secret, strlen(secret)}};
    if (hooksig_scheme_from_name(scheme, strlen(scheme), &s, NULL) == HOOKSIG_OK) {
        hooksig_verifier_new(s, secrets, 1, NULL, &v, NULL);
    }
    hooksig_scheme_free(s);
    return v;
}

int main(void) {
    hooksig_verifier *stripe = verifier_for("stripe", "whsec_stripe_demo");
    hooksig_verifier *github = verifier_for("github", "github_demo");
    const hooksig_verifier *vendors[] = {stripe, github};
    hooksig_verifier *endpoint = NULL;
    hooksig_status st = hooksig_verifier_any_of(vendors, 2, &endpoint, NULL);
    /* A GitHub delivery, signed here as GitHub would (the sender's side). */
    const char *body = "{\"zen\":\"hi\"}";
    hooksig_signed_headers *sent = NULL;
    if (st == HOOKSIG_OK) {
        st = hooksig_verifier_sign(github, body, strlen(body), NULL, &sent, NULL);
    }
    hooksig_verifier_free(stripe); /* the composite shares what it needs */
    hooksig_verifier_free(github);
    if (st != HOOKSIG_OK) {
        return 1;
    }

    hooksig_header headers[4];
    size_t n = hooksig_signed_headers_count(sent);
    for (size_t i = 0; i < n && i < 4; i++) {
        headers[i].name = hooksig_signed_headers_name(sent, i, &headers[i].name_len);
        headers[i].value = hooksig_signed_headers_value(sent, i, &headers[i].value_len);
    }
    hooksig_verified *event = NULL;
    st = hooksig_verify(endpoint, headers, n, body, strlen(body), HOOKSIG_NOW, &event, NULL);
    if (st == HOOKSIG_OK) {
        printf("%s\n", hooksig_verified_scheme(event, NULL)); /* github */
        hooksig_verified_free(event);
    }
    /* No vendor's signature header: HOOKSIG_MISSING_SIGNATURE, answered 400. */
    st = hooksig_verify(endpoint, NULL, 0, body, strlen(body), HOOKSIG_NOW, &event, NULL);
    printf("%d\n", (int)hooksig_status_http_status(st)); /* 400 */

    hooksig_signed_headers_free(sent);
    hooksig_verifier_free(endpoint);
    return 0;
}
