package hooksig_test

// The shared receiver table (tests/receivers/cases.json) over real HTTP: every case against
// hooksig.Handler on an httptest server (net/http, a free 127.0.0.1 port), one fresh receiver
// per case (verifier, optional in-memory guard, optional body limit). Requests are written on a
// raw socket so that header names, case, order and repeats are exactly the table's; each answer
// is checked: status, exact body bytes (and Content-Type application/json), the listed headers,
// and how many times the handler ran so far.
//
// The harness handler obeys X-Test-Handler: "ok" answers the core's success body
// (Verified.Received), "raise" panics, a number N answers N {"status":"handler_status"}.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	hooksig "example.invalid/hooksig/bindings-go"
)

const handlerBody = `{"status":"handler_status"}`

// tablePath is the path every request of the table goes to.
const tablePath = "/hook"

type receiverCase struct {
	Name     string            `json:"name"`
	Scheme   string            `json:"scheme"`
	Secret   string            `json:"secret"`
	Guard    string            `json:"guard"`
	Limit    *int64            `json:"limit"`
	Requests []receiverRequest `json:"requests"`
	// PublicURL configures the receiver with WithPublicURL (the runner signs for it + /hook).
	PublicURL string `json:"public_url"`
}

type receiverRequest struct {
	Method       string          `json:"method"`
	Body         *byteValue      `json:"body"`
	Sign         json.RawMessage `json:"sign"`
	Overrides    overrides       `json:"overrides"`
	ExtraHeaders [][]string      `json:"extra_headers"`
	ExtraFirst   bool            `json:"extra_first"`
	HeaderCase   string          `json:"header_case"`
	Handler      json.RawMessage `json:"handler"`
	Expect       struct {
		Status       int               `json:"status"`
		Body         *string           `json:"body"`
		Headers      map[string]string `json:"headers"`
		HandlerCalls *int64            `json:"handler_calls"`
	} `json:"expect"`
}

// overrides keeps the table's order (a Go map would not).
type overrides []struct {
	name  string
	value *string // nil: remove
}

func (o *overrides) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if _, err := dec.Token(); err != nil { // {
		return err
	}
	for dec.More() {
		name, err := dec.Token()
		if err != nil {
			return err
		}
		var value *string
		if err := dec.Decode(&value); err != nil {
			return err
		}
		*o = append(*o, struct {
			name  string
			value *string
		}{name.(string), value})
	}
	return nil
}

type signSpec struct {
	TSOffset  int64      `json:"ts_offset"`
	ID        string     `json:"id"`
	EventType string     `json:"event_type"`
	Secret    *string    `json:"secret"`
	Body      *byteValue `json:"body"`
	URL       string     `json:"url"`
}

func TestReceiverTable(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(tablesDir, "receivers", "cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Cases []receiverCase `json:"cases"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Cases) < 60 {
		t.Fatalf("only %d receiver cases", len(doc.Cases))
	}
	for i := range doc.Cases {
		c := doc.Cases[i]
		t.Run(c.Name, func(t *testing.T) { runReceiverCase(t, &c) })
	}
}

// tableHandler is the harness handler; calls counts its runs.
func tableHandler(calls *int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		atomic.AddInt64(calls, 1)
		v, ok := hooksig.FromContext(r.Context())
		if !ok {
			panic("no verified webhook in the context")
		}
		switch what := r.Header.Get("X-Test-Handler"); what {
		case "raise":
			panic("the test handler raised")
		case "ok", "":
			v.Received().Write(w)
		default:
			status, err := strconv.Atoi(what)
			if err != nil {
				panic(err)
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_, _ = io.WriteString(w, handlerBody)
		}
	})
}

func runReceiverCase(t *testing.T, c *receiverCase) {
	v, err := hooksig.NewVerifier(c.Scheme, []string{c.Secret})
	if err != nil {
		t.Fatal(err)
	}
	opts := []hooksig.HandlerOption{hooksig.WithErrorLog(func(*http.Request, any) {})}
	switch c.Guard {
	case "":
	case "memory":
		g, err := hooksig.NewMemoryGuardFor(v)
		if err != nil {
			t.Fatal(err)
		}
		opts = append(opts, hooksig.WithGuard(g))
	default:
		t.Fatalf("unknown guard %q", c.Guard)
	}
	if c.Limit != nil {
		r, err := hooksig.NewReceiver(*c.Limit)
		if err != nil {
			t.Fatal(err)
		}
		opts = append(opts, hooksig.WithReceiver(r))
	}
	if c.PublicURL != "" {
		opts = append(opts, hooksig.WithPublicURL(c.PublicURL))
	}
	var calls int64
	server := httptest.NewServer(hooksig.Handler(v, tableHandler(&calls), opts...))
	defer server.Close()
	addr := server.Listener.Addr().String()
	// The URL the sender requests: the public one behind the proxy, else the one the receiver sees.
	url := "http://" + addr + tablePath
	if c.PublicURL != "" {
		url = hooksig.PublicURL(c.PublicURL, tablePath)
	}
	for i := range c.Requests {
		r := &c.Requests[i]
		where := fmt.Sprintf("request %d", i+1)
		var body []byte
		if r.Body != nil {
			body = r.Body.bytes(t)
		}
		resp, respBody := send(t, addr, r.Method, requestHeaders(t, c, r, body, url), body)
		if resp.StatusCode != r.Expect.Status {
			t.Fatalf("%s: status %d, want %d (body %.300q)", where, resp.StatusCode, r.Expect.Status, respBody)
		}
		if r.Expect.Body != nil {
			if string(respBody) != *r.Expect.Body {
				t.Fatalf("%s: body %q, want %q", where, respBody, *r.Expect.Body)
			}
			typed := false // an expected Content-Type is compared with the headers below
			for name := range r.Expect.Headers {
				typed = typed || strings.EqualFold(name, "Content-Type")
			}
			if ct := resp.Header.Get("Content-Type"); !typed && ct != "application/json" {
				t.Fatalf("%s: content-type %q", where, ct)
			}
		}
		for name, want := range r.Expect.Headers {
			if got := strings.Join(resp.Header.Values(name), ", "); got != want {
				t.Fatalf("%s: header %s %q, want %q", where, name, got, want)
			}
		}
		if r.Expect.HandlerCalls != nil {
			if got := atomic.LoadInt64(&calls); got != *r.Expect.HandlerCalls {
				t.Fatalf("%s: handler calls %d, want %d", where, got, *r.Expect.HandlerCalls)
			}
		}
	}
}

// cased writes a header name in the request's header_case ("mixed": even 0-based positions
// lower, odd upper).
func cased(t *testing.T, name, mode string) string {
	switch mode {
	case "":
		return name
	case "upper":
		return strings.ToUpper(name)
	case "lower":
		return strings.ToLower(name)
	case "mixed":
		b := []rune(name)
		for i, r := range b {
			if i%2 == 0 {
				b[i] = []rune(strings.ToLower(string(r)))[0]
			} else {
				b[i] = []rune(strings.ToUpper(string(r)))[0]
			}
		}
		return string(b)
	}
	t.Fatalf("unknown header_case %q", mode)
	return ""
}

// requestHeaders builds the header lines in order: the signed headers (unless sign is false)
// and Content-Type: application/json, with the overrides applied (matched case-insensitively;
// null removes), then extra_headers (before them with extra_first); every name in header_case;
// then X-Test-Handler.
func requestHeaders(t *testing.T, c *receiverCase, r *receiverRequest, body []byte, url string) [][2]string {
	var headers [][2]string
	if string(r.Sign) != "false" {
		var s signSpec
		if len(r.Sign) > 0 && string(r.Sign) != "true" {
			if err := json.Unmarshal(r.Sign, &s); err != nil {
				t.Fatal(err)
			}
		}
		secret, signed := c.Secret, body
		if s.Secret != nil {
			secret = *s.Secret
		}
		if s.Body != nil {
			signed = s.Body.bytes(t)
		}
		if s.URL != "" {
			url = s.URL // signed for another URL
		}
		// Schemes that sign the request line sign for url and the method; others ignore them.
		h, err := hooksig.Sign(c.Scheme, secret, signed, &hooksig.SignOptions{
			Timestamp: time.Unix(time.Now().Unix()+s.TSOffset, 0), ID: s.ID, EventType: s.EventType,
			URL: url, Method: r.Method,
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range h {
			headers = append(headers, [2]string{x.Name, x.Value})
		}
	}
	headers = append(headers, [2]string{"Content-Type", "application/json"})
	for _, o := range r.Overrides {
		name := o.name
		at := -1
		kept := headers[:0:0]
		for _, h := range headers {
			if strings.EqualFold(h[0], name) {
				if at < 0 {
					at = len(kept)
				}
				continue
			}
			kept = append(kept, h)
		}
		headers = kept
		if o.value == nil {
			continue
		}
		value := *o.value
		if at < 0 {
			at = len(headers)
		}
		headers = append(headers[:at], append([][2]string{{name, value}}, headers[at:]...)...)
	}
	var extra [][2]string
	for _, p := range r.ExtraHeaders {
		extra = append(extra, [2]string{p[0], p[1]})
	}
	if r.ExtraFirst {
		headers = append(extra, headers...)
	} else {
		headers = append(headers, extra...)
	}
	for i := range headers {
		headers[i][0] = cased(t, headers[i][0], r.HeaderCase)
	}
	if len(r.Handler) > 0 {
		var what string
		if json.Unmarshal(r.Handler, &what) != nil {
			var status struct {
				Status int `json:"status"`
			}
			if err := json.Unmarshal(r.Handler, &status); err != nil {
				t.Fatal(err)
			}
			what = strconv.Itoa(status.Status)
		}
		headers = append(headers, [2]string{"X-Test-Handler", what})
	}
	return headers
}

// send writes one HTTP/1.1 request with exactly these header lines, then Host, Content-Length
// and Connection: close, and reads the answer. The body is written concurrently: the server
// may answer (405, 413) and close before reading all of it.
func send(t *testing.T, addr, method string, headers [][2]string, body []byte) (*http.Response, []byte) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	var head bytes.Buffer
	fmt.Fprintf(&head, "%s %s HTTP/1.1\r\n", method, tablePath)
	for _, h := range headers {
		fmt.Fprintf(&head, "%s: %s\r\n", h[0], h[1])
	}
	fmt.Fprintf(&head, "Host: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n", addr, len(body))
	go func() {
		_, _ = conn.Write(append(head.Bytes(), body...))
	}()
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: method})
	if err != nil {
		t.Fatalf("reading the answer: %v", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading the answer's body: %v", err)
	}
	return resp, data
}
