// Demo receiver: every scheme on net/http at /webhooks/<scheme>, with the in-memory replay guard
// (one process). hooksig.Handler writes every answer (the core's, as in every demo receiver);
// the handler answers the core's success body.
//
//	go-receiver PORT   (DEMO_SECRET: the secret of every scheme; DEMO_PUBLIC_URL, when set: the
//	                    public base URL that twilio, square and hubspot are signed for)
package main

import (
	"log"
	"net/http"
	"os"
	"strings"

	hooksig "example.invalid/hooksig/bindings-go"
)

func main() {
	if len(os.Args) != 2 {
		log.Fatal("usage: go-receiver PORT")
	}
	received := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		event, _ := hooksig.FromContext(r.Context())
		event.Received().Write(w)
	})
	var public []hooksig.HandlerOption
	if base := os.Getenv("DEMO_PUBLIC_URL"); base != "" {
		public = append(public, hooksig.WithPublicURL(base))
	}
	mux := http.NewServeMux()
	for _, scheme := range hooksig.Schemes() {
		// One secret for every scheme, as demo/run.py signs, except where DEMO_SECRET_<SCHEME> is
		// set (a public-key scheme's public key: discord, sendgrid).
		secret := os.Getenv("DEMO_SECRET_" + strings.ToUpper(strings.ReplaceAll(scheme, "-", "_")))
		if secret == "" {
			secret = os.Getenv("DEMO_SECRET")
		}
		verifier, err := hooksig.NewVerifier(scheme, []string{secret})
		if err != nil {
			log.Fatalf("%s: %v", scheme, err)
		}
		guard, err := hooksig.NewMemoryGuardFor(verifier)
		if err != nil {
			log.Fatal(err)
		}
		opts := append([]hooksig.HandlerOption{hooksig.WithGuard(guard)}, public...)
		mux.Handle("/webhooks/"+scheme, hooksig.Handler(verifier, received, opts...))
	}
	log.Fatal(http.ListenAndServe("127.0.0.1:"+os.Args[1], mux))
}
