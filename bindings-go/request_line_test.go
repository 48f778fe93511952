package hooksig_test

// The request line (twilio, square, hubspot): what this package converts — VerifyRequest,
// SignOptions.URL/Method, SignsRequest, PublicURL, RequestURL — and the Handler's URL, with and
// without WithPublicURL. What is signed is the core's (the vector files).

import (
	"crypto/tls"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	hooksig "example.invalid/hooksig/bindings-go"
)

func TestRequestLine(t *testing.T) {
	const url = "https://hooks.example.com/square?x=1"
	body := []byte(`{"event_id":"sq-1","type":"payment.created"}`)
	square := mustVerifier(t, "square", "sq-key")
	github := mustVerifier(t, "github", "k")
	both, err := hooksig.AnyOf(github, square)
	if err != nil {
		t.Fatal(err)
	}
	if !square.SignsRequest() || github.SignsRequest() || !both.SignsRequest() {
		t.Fatal("SignsRequest")
	}
	signed, err := hooksig.Sign("square", "sq-key", body, &hooksig.SignOptions{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	header := http.Header{}
	signed.Apply(header)
	if v, err := square.VerifyRequest(header, body, hooksig.RequestLine{URL: url}); err != nil || v.Scheme != "square" {
		t.Fatal(v, err)
	}
	if v, err := both.VerifyRequest(header, body, hooksig.RequestLine{Method: "POST", URL: url}); err != nil || v.Scheme != "square" {
		t.Fatal(v, err)
	}
	if _, err := square.VerifyRequest(header, body, hooksig.RequestLine{URL: url + "&y=2"}); !errors.Is(err, hooksig.ErrSignatureMismatch) {
		t.Fatal("another URL:", err)
	}
	// Without a URL (Verify, or an empty one) the scheme cannot verify, nor sign.
	for _, err := range []error{
		func() error { _, err := square.Verify(header, body); return err }(),
		func() error { _, err := square.VerifyRequest(header, body, hooksig.RequestLine{}); return err }(),
		func() error { _, err := hooksig.Sign("square", "sq-key", body, nil); return err }(),
	} {
		if code(err) != "invalid_argument" {
			t.Fatal("no URL:", err)
		}
	}
	// Other schemes ignore the request line.
	gh, _ := hooksig.Sign("github", "k", body, nil)
	ghURL, _ := hooksig.Sign("github", "k", body, &hooksig.SignOptions{URL: url, Method: "PUT"})
	if len(gh) != len(ghURL) || gh[0] != ghURL[0] {
		t.Fatal(gh, ghURL)
	}
	gheader := http.Header{}
	gh.Apply(gheader)
	if _, err := github.VerifyRequest(gheader, body, hooksig.RequestLine{Method: "GET", URL: "https://elsewhere/"}); err != nil {
		t.Fatal(err)
	}
	// HubSpot signs the method too.
	hubspot := mustVerifier(t, "hubspot", "client-secret")
	hs, err := hubspot.Sign(body, &hooksig.SignOptions{URL: "https://h.example/hs", Method: "PUT"})
	if err != nil {
		t.Fatal(err)
	}
	hheader := http.Header{}
	hs.Apply(hheader)
	if _, err := hubspot.VerifyRequest(hheader, body, hooksig.RequestLine{Method: "PUT", URL: "https://h.example/hs"}); err != nil {
		t.Fatal(err)
	}
	if _, err := hubspot.VerifyRequest(hheader, body, hooksig.RequestLine{URL: "https://h.example/hs"}); !errors.Is(err, hooksig.ErrSignatureMismatch) {
		t.Fatal("POST:", err)
	}

	for _, c := range [][3]string{
		{"https://hooks.example.com/", "/hook?a=1", "https://hooks.example.com/hook?a=1"},
		{"https://hooks.example.com", "hook", "https://hooks.example.com/hook"},
		{"https://h.example/p//", "//x", "https://h.example/p/x"},
	} {
		if got := hooksig.PublicURL(c[0], c[1]); got != c[2] {
			t.Fatalf("PublicURL(%q, %q) = %q", c[0], c[1], got)
		}
	}
	r := httptest.NewRequest("POST", "http://example.com:8080/a/b?c=d%20e", nil)
	if got := hooksig.RequestURL(r); got != "http://example.com:8080/a/b?c=d%20e" {
		t.Fatal(got)
	}
	r.TLS = &tls.ConnectionState{}
	if got := hooksig.RequestURL(r); got != "https://example.com:8080/a/b?c=d%20e" {
		t.Fatal(got)
	}
}

// Twilio signs the URL the sender was given. Behind a proxy the server sees another one: the
// Handler verifies a Twilio form POST only with WithPublicURL, and answers 401 without it.
func TestHandlerTwilioBehindProxy(t *testing.T) {
	const secret, public = "12345678901234567890123456789012", "https://hooks.example.com"
	v := mustVerifier(t, "twilio", secret)
	form := "AccountSid=AC123&Body=Hello+%2B+bye&From=%2B14155550100"
	signed, err := hooksig.Sign("twilio", secret, []byte(form), &hooksig.SignOptions{URL: public + "/sms?tenant=acme"})
	if err != nil {
		t.Fatal(err)
	}
	for _, opts := range [][]hooksig.HandlerOption{{hooksig.WithPublicURL(public + "/")}, nil} {
		calls := 0
		server := httptest.NewServer(hooksig.Handler(v, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			calls++
			event, _ := hooksig.FromContext(r.Context())
			event.Received().Write(w)
		}), opts...))
		req, _ := http.NewRequest("POST", server.URL+"/sms?tenant=acme", strings.NewReader(form))
		signed.Apply(req.Header)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		server.Close()
		want, wantCalls := 401, 0
		if opts != nil {
			want, wantCalls = 200, 1
		}
		if resp.StatusCode != want || calls != wantCalls {
			t.Fatalf("public URL %v: %d %s, %d calls", opts != nil, resp.StatusCode, b, calls)
		}
		if opts == nil && !strings.Contains(string(b), "signature_mismatch") {
			t.Fatal(string(b))
		}
	}
}
