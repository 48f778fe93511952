package hooksig_test

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"

	hooksig "example.invalid/hooksig/bindings-go"
)

// Twilio, Square and HubSpot sign the URL the sender requested. Behind a proxy or a load
// balancer, tell the handler the public base URL the vendor was given: it verifies
// PublicURL(base, path and query). VerifyRequest takes the request line directly.
func ExampleWithPublicURL() {
	const token = "12345678901234567890123456789012" // the Twilio auth token
	twilio, err := hooksig.NewVerifier("twilio", []string{token})
	if err != nil {
		log.Fatal(err)
	}
	received := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		event, _ := hooksig.FromContext(r.Context())
		event.Received().Write(w)
	})
	server := httptest.NewServer(hooksig.Handler(twilio, received,
		hooksig.WithPublicURL("https://hooks.example.com")))
	defer server.Close()

	// Twilio signs for the public URL; the request reaches the server at another one.
	form := "AccountSid=AC123&Body=Hello"
	signed, _ := hooksig.Sign("twilio", token, []byte(form),
		&hooksig.SignOptions{URL: "https://hooks.example.com/sms?tenant=acme"})
	req, _ := http.NewRequest("POST", server.URL+"/sms?tenant=acme", strings.NewReader(form))
	signed.Apply(req.Header)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.StatusCode, string(answer))

	// Without a handler: the request line by hand.
	event, err := twilio.VerifyRequest(req.Header, []byte(form), hooksig.RequestLine{
		Method: "POST", URL: hooksig.PublicURL("https://hooks.example.com/", "/sms?tenant=acme"),
	})
	fmt.Println(event.Scheme, err)
	// Output:
	// 200 {"status":"received","scheme":"twilio","id":null,"event_type":null}
	// twilio <nil>
}
