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

// A GitHub webhook receiver on net/http, fed GitHub's documented example delivery.
func Example() {
	// Once at start-up: a verifier is immutable and shared by every request. Several secrets
	// may be given (rotation); options: hooksig.WithTolerance, WithSecretFormat.
	verifier, err := hooksig.NewVerifier("github", []string{"It's a Secret to Everybody"})
	if err != nil {
		log.Fatal(err) // e.g. hooksig: unknown_scheme, invalid_secret
	}
	// Replay protection: a retried delivery is answered 200 {"status":"duplicate"} without
	// running the handler again. In memory (one process); several processes: hooksig.StoreGuard.
	guard, err := hooksig.NewMemoryGuardFor(verifier)
	if err != nil {
		log.Fatal(err)
	}

	mux := http.NewServeMux()
	// Every answer but the handler's is hooksig's: 405 (Allow: POST) for other methods, 413
	// over 10 MiB (hooksig.WithReceiver sets another limit), 400/401
	// {"error":"<code>","message":...} when the request does not verify.
	mux.Handle("/webhooks/github", hooksig.Handler(verifier, http.HandlerFunc(
		func(w http.ResponseWriter, r *http.Request) {
			event, _ := hooksig.FromContext(r.Context())
			fmt.Printf("handler: %s event, payload %q\n", event.EventType, event.Payload)
			// A status outside 200-299 (or a panic) releases the delivery: the retry runs again.
			event.Received().Write(w)
		}), hooksig.WithGuard(guard)))

	// In production: log.Fatal(http.ListenAndServe(":8080", mux)). Here: a test server.
	server := httptest.NewServer(mux)
	defer server.Close()
	for _, signature := range []string{
		"sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", // valid
		"sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", // retried
		"sha256=0000000000000000000000000000000000000000000000000000000000000000", // forged
	} {
		req, _ := http.NewRequest("POST", server.URL+"/webhooks/github", strings.NewReader("Hello, World!"))
		req.Header.Set("X-Hub-Signature-256", signature)
		req.Header.Set("X-GitHub-Event", "ping")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			log.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(resp.StatusCode, string(body))
	}
	// Output:
	// handler: ping event, payload "Hello, World!"
	// 200 {"status":"received","scheme":"github","id":null,"event_type":"ping"}
	// 200 {"status":"duplicate"}
	// 401 {"error":"signature_mismatch","message":"no signature matched any secret"}
}
