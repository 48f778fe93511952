package hooksig_test

// The Go API around the tables: errors and errors.Is, configuration errors, custom schemes,
// signing, the middleware form and the request context, concurrency (run with -race).

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	hooksig "example.invalid/hooksig/bindings-go"
)

func mustVerifier(t *testing.T, scheme string, secrets ...string) *hooksig.Verifier {
	t.Helper()
	v, err := hooksig.NewVerifier(scheme, secrets)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestVersionAndSchemes(t *testing.T) {
	if hooksig.Version() == "" {
		t.Fatal("no version")
	}
	ids := strings.Join(hooksig.Schemes(), ",")
	for _, id := range []string{"stripe", "github", "algoguard", "standard-webhooks"} {
		if !strings.Contains(","+ids+",", ","+id+",") {
			t.Fatalf("%s missing from %s", id, ids)
		}
	}
	s, err := hooksig.LookupScheme("stripe")
	if err != nil || s.ID() != "stripe" {
		t.Fatal(s, err)
	}
}

func TestErrors(t *testing.T) {
	v := mustVerifier(t, "github", "It's a Secret to Everybody")
	h := http.Header{}
	h.Set("X-Hub-Signature-256", "sha256="+strings.Repeat("0", 64))
	_, err := v.Verify(h, []byte("Hello, World!"))
	var e *hooksig.Error
	if !errors.As(err, &e) || e.Code != "signature_mismatch" || e.HTTPStatus() != 401 || !e.IsVerification() || e.IsConfig() {
		t.Fatalf("%#v", err)
	}
	if !errors.Is(fmt.Errorf("wrapped: %w", err), hooksig.ErrSignatureMismatch) || errors.Is(err, hooksig.ErrMissingSignature) {
		t.Fatal("errors.Is")
	}
	if !strings.Contains(err.Error(), "signature_mismatch") {
		t.Fatal(err.Error())
	}
	_, err = v.Verify(nil, nil)
	if !errors.Is(err, hooksig.ErrMissingSignature) || !errors.As(err, &e) || e.HTTPStatus() != 400 || e.Header == "" {
		t.Fatalf("%#v", err)
	}

	for _, c := range []struct {
		scheme  string
		secrets []string
		want    error
	}{
		{"nope", []string{"k"}, hooksig.ErrUnknownScheme},
		{"github", nil, hooksig.ErrInvalidSecret},
		{"github", []string{""}, hooksig.ErrInvalidSecret},
		{"github", []string{" k "}, hooksig.ErrInvalidSecret},
	} {
		_, err := hooksig.NewVerifier(c.scheme, c.secrets)
		if !errors.Is(err, c.want) || !errors.As(err, &e) || !e.IsConfig() || e.HTTPStatus() != 500 {
			t.Fatalf("%v %q: %v, want %v", c.scheme, c.secrets, err, c.want)
		}
	}
	if _, err := hooksig.NewVerifier("github", []string{"k"}, hooksig.WithSecretFormat("rot13")); !errors.Is(err, hooksig.ErrInvalidConfig) {
		t.Fatal(err)
	}
	if _, err := hooksig.NewVerifier("github", []string{"k"}, hooksig.WithTolerance(-time.Second)); !errors.Is(err, hooksig.ErrInvalidConfig) {
		t.Fatal(err)
	}
	// The most negative duration is refused too (not C's scheme-default sentinel).
	if _, err := hooksig.NewVerifier("github", []string{"k"}, hooksig.WithTolerance(time.Duration(math.MinInt64))); !errors.Is(err, hooksig.ErrInvalidConfig) {
		t.Fatal(err)
	}
	for _, c := range []struct {
		scheme string
		opts   []hooksig.Option
		want   time.Duration
	}{
		{"twitch", nil, 10 * time.Minute},
		{"box", nil, 10 * time.Minute},
		{"stripe", nil, hooksig.DefaultTolerance},
		{"twitch", []hooksig.Option{hooksig.WithTolerance(300 * time.Second)}, 5 * time.Minute},
	} {
		v, err := hooksig.NewVerifier(c.scheme, []string{"s3cret"}, c.opts...)
		if err != nil {
			t.Fatal(err)
		}
		if got := v.Tolerance(); got != c.want {
			t.Fatalf("%s tolerance %v, want %v", c.scheme, got, c.want)
		}
	}
	if _, err := hooksig.NewSchemeVerifier(nil, []string{"k"}); !errors.Is(err, hooksig.ErrNullArgument) {
		t.Fatal(err)
	}
	if _, err := hooksig.NewReceiver(-1); !errors.Is(err, hooksig.ErrInvalidArgument) {
		t.Fatal(err)
	}
	if _, err := hooksig.Sign("github", "", []byte("x"), nil); !errors.Is(err, hooksig.ErrInvalidSecret) {
		t.Fatal(err)
	}
}

func TestCustomScheme(t *testing.T) {
	yes := true
	acme := hooksig.CustomScheme{
		ID: "acme", SignatureHeader: "X-Acme-Signature", TimestampHeader: "X-Acme-Timestamp",
		IDHeader: "X-Acme-Id", Template: "{id}.{ts}.{body}", Encoding: "base64", Prefix: "v1=",
		Algorithm: "sha512", JSONFallback: &yes,
	}
	s, err := acme.Build()
	if err != nil {
		t.Fatal(err)
	}
	if s.ID() != "acme" {
		t.Fatal(s.ID())
	}
	body := []byte(`{"a":1}`)
	signed, err := hooksig.SignScheme(s, "acme-secret", body, &hooksig.SignOptions{ID: "msg_1"})
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{}
	signed.Apply(h)
	v, err := hooksig.NewSchemeVerifier(s, []string{"old-secret", "acme-secret"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := v.Verify(h, body)
	if err != nil || got.Scheme != "acme" || got.ID != "msg_1" || got.KeyIndex != 1 || got.DedupeKey != "acme:id:msg_1" {
		t.Fatalf("%+v %v", got, err)
	}
	for _, bad := range []hooksig.CustomScheme{
		{SignatureHeader: "X-S"}, // no id
		{ID: "x"},                // no signature header
		{ID: "x", SignatureHeader: "X-S", Encoding: "z"},           // bad encoding
		{ID: "x", SignatureHeader: "X-S", Template: "{ts}.{body}"}, // {ts} without a timestamp header
	} {
		if _, err := bad.Build(); !errors.Is(err, hooksig.ErrInvalidConfig) {
			t.Fatalf("%+v: %v", bad, err)
		}
	}
}

func TestSignRoundTrip(t *testing.T) {
	for _, id := range hooksig.Schemes() {
		secret := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" // base64 after whsec_, text otherwise
		v, err := hooksig.NewVerifier(id, []string{secret})
		if err != nil {
			// Schemes with another secret form (ed25519 keys) are covered by the vectors.
			continue
		}
		// Linear's and Pusher's signed timestamps are inside the body (milliseconds).
		ms := time.Now().UnixMilli()
		body := []byte(fmt.Sprintf(`{"id":"evt_1","type":"x.y","webhookTimestamp":%d,"time_ms":%d}`, ms, ms))
		signed, err := v.Sign(body, &hooksig.SignOptions{ID: "msg_1", EventType: "x.y"})
		if err != nil {
			continue // a verify-only scheme
		}
		h := http.Header{}
		signed.Apply(h)
		if _, err := v.Verify(h, body); err != nil {
			t.Errorf("%s: %v", id, err)
		}
		if _, err := v.Verify(h, bytes.Replace(body, []byte("evt_1"), []byte("evt_2"), 1)); err == nil {
			t.Errorf("%s: an edited body verified", id)
		}
	}
}

func TestDecodeJSON(t *testing.T) {
	v := mustVerifier(t, "github", "gh-secret")
	verify := func(body []byte) *hooksig.Verified {
		signed, err := v.Sign(body, nil)
		if err != nil {
			t.Fatal(err)
		}
		h := http.Header{}
		signed.Apply(h)
		verified, err := v.Verify(h, body)
		if err != nil {
			t.Fatal(err)
		}
		return verified
	}
	var event struct {
		Type string    `json:"type"`
		N    []float64 `json:"n"`
	}
	if err := verify([]byte(`{"type":"push","n":[1,2.5]}`)).DecodeJSON(&event); err != nil {
		t.Fatal(err)
	}
	if event.Type != "push" || len(event.N) != 2 || event.N[1] != 2.5 {
		t.Errorf("decoded %+v", event)
	}
	if err := verify([]byte("id=1&type=push")).DecodeJSON(&event); err == nil {
		t.Error("a form body decoded as JSON")
	}
}

// The middleware form, the request context and net/http's own plumbing (Go's client).
func TestMiddlewareForm(t *testing.T) {
	v := mustVerifier(t, "standard-webhooks", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	guard, err := hooksig.NewMemoryGuardFor(v)
	if err != nil {
		t.Fatal(err)
	}
	small, err := hooksig.NewReceiver(64)
	if err != nil || small.Limit() != 64 {
		t.Fatal(err)
	}
	var calls int64
	chain := hooksig.Middleware(v, hooksig.WithGuard(guard), hooksig.WithReceiver(small))
	server := httptest.NewServer(chain(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		atomic.AddInt64(&calls, 1)
		event, ok := hooksig.FromContext(r.Context())
		if !ok {
			t.Error("no webhook in the context")
		}
		fmt.Fprintf(w, "handled %s", event.ID)
	})))
	defer server.Close()
	post := func(body string, id string) (int, string) {
		signed, err := hooksig.Sign("standard-webhooks", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", []byte(body), &hooksig.SignOptions{ID: id})
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest("POST", server.URL, strings.NewReader(body))
		signed.Apply(req.Header)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if status, body := post(`{"a":1}`, "msg_1"); status != 200 || body != "handled msg_1" {
		t.Fatal(status, body)
	}
	if status, body := post(`{"a":1}`, "msg_1"); status != 200 || body != `{"status":"duplicate"}` {
		t.Fatal(status, body)
	}
	if status, _ := post(strings.Repeat("x", 65), "msg_2"); status != 413 {
		t.Fatal(status)
	}
	if atomic.LoadInt64(&calls) != 1 {
		t.Fatal(calls)
	}
	resp, err := http.Get(server.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 405 || resp.Header.Get("Allow") != "POST" {
		t.Fatal(resp.Status, resp.Header)
	}
	// Chunked: no declared length, read within the limit.
	signed, _ := hooksig.Sign("standard-webhooks", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", bytes.Repeat([]byte("y"), 100), &hooksig.SignOptions{ID: "msg_3"})
	req, _ := http.NewRequest("POST", server.URL, io.MultiReader(strings.NewReader(strings.Repeat("y", 100))))
	req.ContentLength = -1
	signed.Apply(req.Header)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 413 || !strings.Contains(string(b), "body_too_large") {
		t.Fatal(resp.Status, string(b))
	}
}

// Many goroutines delivering the same webhook at once: the handler runs exactly once.
func TestConcurrentDeliveries(t *testing.T) {
	v := mustVerifier(t, "algoguard", "whsec_concurrent")
	guard, err := hooksig.NewMemoryGuardFor(v)
	if err != nil {
		t.Fatal(err)
	}
	var calls int64
	server := httptest.NewServer(hooksig.Handler(v, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		atomic.AddInt64(&calls, 1)
		time.Sleep(10 * time.Millisecond)
		event, _ := hooksig.FromContext(r.Context())
		event.Received().Write(w)
	}), hooksig.WithGuard(guard)))
	defer server.Close()
	body := []byte(`{"id":"evt_9","event":"license.created"}`)
	signed, err := v.Sign(body, nil)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	statuses := make([]int, 16)
	for i := range statuses {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			req, _ := http.NewRequest("POST", server.URL, bytes.NewReader(body))
			signed.Apply(req.Header)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		}(i)
	}
	wg.Wait()
	for _, s := range statuses {
		if s != 200 {
			t.Fatal(statuses)
		}
	}
	if calls != 1 {
		t.Fatalf("handler ran %d times", calls)
	}
	// And verification itself from many goroutines on one verifier.
	var bad int64
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := http.Header{}
			signed.Apply(h)
			for j := 0; j < 50; j++ {
				if _, err := v.Verify(h, body); err != nil {
					atomic.AddInt64(&bad, 1)
				}
			}
		}()
	}
	wg.Wait()
	if bad != 0 {
		t.Fatal(bad)
	}
}

// A handler that panics: 500, and the key is released so that the retry runs it again.
func TestHandlerPanicReleasesKey(t *testing.T) {
	v := mustVerifier(t, "algoguard", "whsec_panic")
	guard, _ := hooksig.NewMemoryGuardFor(v)
	var calls int64
	var logged any
	server := httptest.NewServer(hooksig.Handler(v, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if atomic.AddInt64(&calls, 1) == 1 {
			panic("boom")
		}
		w.WriteHeader(204)
	}), hooksig.WithGuard(guard), hooksig.WithErrorLog(func(_ *http.Request, p any) { logged = p })))
	defer server.Close()
	body := []byte(`{"id":"evt_1"}`)
	signed, _ := v.Sign(body, nil)
	for i, want := range []int{500, 204, 200} {
		req, _ := http.NewRequest("POST", server.URL, bytes.NewReader(body))
		signed.Apply(req.Header)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Fatalf("request %d: %d, want %d", i+1, resp.StatusCode, want)
		}
	}
	if calls != 2 || logged != "boom" {
		t.Fatal(calls, logged)
	}
}

// Nil and zero handles reach libhooksig as NULL: "null_argument", never a crash.
func TestNilHandles(t *testing.T) {
	var nilVerifier *hooksig.Verifier
	if _, err := nilVerifier.Verify(http.Header{}, nil); !errors.Is(err, hooksig.ErrNullArgument) {
		t.Fatal(err)
	}
	if _, err := (&hooksig.Verifier{}).Sign([]byte("x"), nil); !errors.Is(err, hooksig.ErrNullArgument) {
		t.Fatal(err)
	}
	if _, err := hooksig.SignScheme(&hooksig.Scheme{}, "k", nil, nil); !errors.Is(err, hooksig.ErrNullArgument) {
		t.Fatal(err)
	}
	if _, err := (&hooksig.Receiver{}).Start("POST", 0); !errors.Is(err, hooksig.ErrNullArgument) {
		t.Fatal(err)
	}
	if _, err := (&hooksig.MemoryGuard{}).CheckAndRemember("k"); !errors.Is(err, hooksig.ErrNullArgument) {
		t.Fatal(err)
	}
	if _, err := hooksig.NewMemoryGuardFor(&hooksig.Verifier{}); !errors.Is(err, hooksig.ErrNullArgument) {
		t.Fatal(err)
	}
}

// A copy of a Verified keeps its native object alive after the original is collected.
func TestCopiesKeepHandlesAlive(t *testing.T) {
	v := mustVerifier(t, "algoguard", "whsec_copy")
	body := []byte(`{"id":"evt_1","event":"a.b"}`)
	signed, _ := v.Sign(body, nil)
	h := http.Header{}
	signed.Apply(h)
	got, err := v.Verify(h, body)
	if err != nil {
		t.Fatal(err)
	}
	copied := *got
	got = nil
	v = nil
	for i := 0; i < 3; i++ {
		runtime.GC()
	}
	if a := copied.Received(); a.Status != 200 || !strings.Contains(string(a.Body), `"id":"evt_1"`) {
		t.Fatal(a.Status, string(a.Body))
	}
}
