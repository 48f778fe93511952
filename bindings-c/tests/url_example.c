/* A scheme that signs the URL (Twilio): the receiver joins its public base URL (behind a proxy,
 * the one the vendor was given) with the request's path and query, and verifies with
 * hooksig_verify_request. Prints the scheme, then the status for the URL the server itself sees.
 * Build: cc -std=c11 url_example.c $(pkg-config --cflags --libs hooksig) */
#include <stdio.h>
#include <string.h>

#include <hooksig.h>

int main(void) {
    const char *token = "12345678901234567890123456789012"; /* the Twilio auth token */
    const char *form = "AccountSid=AC123&Body=Hello";
    const char *public_url = "https://hooks.example.com/sms?tenant=acme";
    hooksig_scheme *twilio = NULL;
    hooksig_verifier *verifier = NULL;
    hooksig_bytes secrets[] = {{token, strlen(token)}};
    hooksig_status st = hooksig_scheme_from_name("twilio", 6, &twilio, NULL);
    if (st == HOOKSIG_OK) st = hooksig_verifier_new(twilio, secrets, 1, NULL, &verifier, NULL);
    hooksig_scheme_free(twilio);
    /* Only the schemes that sign the request line need its URL. */
    if (st != HOOKSIG_OK || !hooksig_verifier_signs_request(verifier)) return 1;

    /* The sender's side: Twilio signs for the public URL. */
    hooksig_sign_options *options = NULL;
    hooksig_signed_headers *sent = NULL;
    st = hooksig_sign_options_new(&options, NULL);
    if (st == HOOKSIG_OK) {
        st = hooksig_sign_options_set_request(options, "POST", 4, public_url, strlen(public_url), NULL);
    }
    if (st == HOOKSIG_OK) st = hooksig_verifier_sign(verifier, form, strlen(form), options, &sent, NULL);
    hooksig_sign_options_free(options);
    if (st != HOOKSIG_OK) return 1;
    hooksig_header header;
    header.name = hooksig_signed_headers_name(sent, 0, &header.name_len);
    header.value = hooksig_signed_headers_value(sent, 0, &header.value_len);

    /* The receiver's side: the method and the URL the sender requested. */
    hooksig_request request = {"POST", 4, public_url, strlen(public_url)};
    hooksig_verified *event = NULL;
    st = hooksig_verify_request(verifier, &header, 1, form, strlen(form), &request, HOOKSIG_NOW,
                                &event, NULL);
    if (st == HOOKSIG_OK) {
        printf("%s\n", hooksig_verified_scheme(event, NULL)); /* twilio */
        hooksig_verified_free(event);
    }
    /* The URL behind the proxy is not the one Twilio signed: 401 signature_mismatch. */
    const char *internal = "http://10.0.0.7:8080/sms?tenant=acme";
    request.url = internal;
    request.url_len = strlen(internal);
    st = hooksig_verify_request(verifier, &header, 1, form, strlen(form), &request, HOOKSIG_NOW,
                                &event, NULL);
    printf("%d\n", (int)hooksig_status_http_status(st)); /* 401 */

    hooksig_signed_headers_free(sent);
    hooksig_verifier_free(verifier);
    return 0;
}
