package hooksig_test

import (
	"errors"
	"fmt"
	"log"
	"net/http"

	hooksig "example.invalid/hooksig/bindings-go"
)

// Several vendors at one endpoint: one verifier over a Stripe and a GitHub one (give it to
// hooksig.Handler like any verifier). The verified result names the scheme that matched.
func ExampleAnyOf() {
	stripe, err := hooksig.NewVerifier("stripe", []string{"whsec_stripe_demo"})
	if err != nil {
		log.Fatal(err)
	}
	github, err := hooksig.NewVerifier("github", []string{"github_demo"})
	if err != nil {
		log.Fatal(err)
	}
	endpoint, err := hooksig.AnyOf(stripe, github)
	if err != nil {
		log.Fatal(err)
	}

	body := []byte(`{"zen":"hi"}`)
	signed, _ := github.Sign(body, &hooksig.SignOptions{ID: "d-1", EventType: "ping"})
	delivery := http.Header{}
	signed.Apply(delivery)
	event, err := endpoint.Verify(delivery, body)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(event.Scheme)

	_, err = endpoint.Verify(http.Header{"Content-Type": {"application/json"}}, body)
	var e *hooksig.Error
	if errors.As(err, &e) {
		fmt.Println(e.Code, e.HTTPStatus())
	}
	// Output:
	// github
	// missing_signature 400
}
