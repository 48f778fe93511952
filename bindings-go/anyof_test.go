package hooksig_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	hooksig "example.invalid/hooksig/bindings-go"
)

// AnyOf: the conversions (the selection rules are the core's, tested there), and one
// net/http endpoint answering Stripe, GitHub and Slack.
func TestAnyOf(t *testing.T) {
	newV := func(scheme, secret string) *hooksig.Verifier {
		v, err := hooksig.NewVerifier(scheme, []string{secret})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	any, err := hooksig.AnyOf(newV("stripe", "whsec_stripe_any_of"), newV("github", "github_any_of"),
		newV("slack", "slack_any_of"))
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC() // the members may be collected: the composite shares their keys
	if got := any.ReplayTTL().Seconds(); got != 86400 {
		t.Errorf("ReplayTTL = %v, want a day (github: untimed)", got)
	}
	code := func(err error) string {
		var e *hooksig.Error
		if errors.As(err, &e) {
			return e.Code
		}
		return ""
	}
	if _, err := any.Sign([]byte("{}"), nil); code(err) != "invalid_config" {
		t.Errorf("Sign: %v", err)
	}
	for name, list := range map[string][]*hooksig.Verifier{
		"none": nil, "nested": {any}, "twice": {newV("slack", "a1"), newV("slack", "b1")},
	} {
		if _, err := hooksig.AnyOf(list...); code(err) != "invalid_config" {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := hooksig.AnyOf(newV("github", "x1"), nil); code(err) != "null_argument" {
		t.Errorf("nil verifier: %v", err)
	}

	var seen []string
	mux := http.NewServeMux()
	guard, err := hooksig.NewMemoryGuardFor(any)
	if err != nil {
		t.Fatal(err)
	}
	mux.Handle("/webhooks", hooksig.Handler(any, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		event, _ := hooksig.FromContext(r.Context())
		seen = append(seen, event.Scheme+" "+event.ID)
		event.Received().Write(w)
	}), hooksig.WithGuard(guard)))
	server := httptest.NewServer(mux)
	defer server.Close()
	post := func(scheme, secret, body string, opts *hooksig.SignOptions) (int, string) {
		req, _ := http.NewRequest("POST", server.URL+"/webhooks", strings.NewReader(body))
		if scheme != "" {
			signed, err := hooksig.Sign(scheme, secret, []byte(body), opts)
			if err != nil {
				t.Fatal(err)
			}
			signed.Apply(req.Header)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b strings.Builder
		buf := make([]byte, 4096)
		for {
			n, err := resp.Body.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				break
			}
		}
		return resp.StatusCode, b.String()
	}
	stripeBody := `{"id":"evt_9","type":"charge.succeeded"}`
	for _, c := range []struct {
		scheme, secret, body string
		opts                 *hooksig.SignOptions
		status               int
		contains             string
	}{
		{"stripe", "whsec_stripe_any_of", stripeBody, nil, 200, `"scheme":"stripe"`},
		{"github", "github_any_of", `{"zen":"z"}`, &hooksig.SignOptions{ID: "d-9"}, 200, `"scheme":"github"`},
		{"stripe", "whsec_stripe_any_of", stripeBody, nil, 200, `"status":"duplicate"`},
		{"slack", "slack_any_of", `{"type":"url_verification","challenge":"ch4ll"}`, nil, 200, `{"challenge":"ch4ll"}`},
		{"", "", "{}", nil, 400, `"error":"missing_signature"`},
	} {
		status, body := post(c.scheme, c.secret, c.body, c.opts)
		if status != c.status || !strings.Contains(body, c.contains) {
			t.Errorf("%s: %d %s, want %d with %s", c.scheme, status, body, c.status, c.contains)
		}
	}
	if strings.Join(seen, ",") != "stripe evt_9,github d-9" {
		t.Errorf("handler saw %v", seen)
	}
}
