package hooksig

// #include <hooksig.h>
import "C"

import (
	"context"
	"errors"
	"io"
	"log"
	"math"
	"net/http"
	"runtime"
	"strconv"
	"sync"
	"unsafe"
)

// DefaultLimit is the default body limit, 10 MiB (HOOKSIG_DEFAULT_BODY_LIMIT, the core's, the
// same in every hooksig integration).
const DefaultLimit = C.HOOKSIG_DEFAULT_BODY_LIMIT

// Answer is one HTTP answer decided by the core: write its status, Content-Type, headers and
// body bytes exactly (Write does).
type Answer struct {
	Status      int
	ContentType string
	// Headers besides Content-Type (Allow, Retry-After), in order.
	Headers []Header
	Body    []byte
}

// Write writes the answer: status, Content-Type, headers, Content-Length and the body bytes
// (net/http drops the body of a HEAD answer itself).
func (a *Answer) Write(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", a.ContentType)
	for _, x := range a.Headers {
		h.Add(x.Name, x.Value)
	}
	h.Set("Content-Length", strconv.Itoa(len(a.Body)))
	w.WriteHeader(a.Status)
	_, _ = w.Write(a.Body)
}

// takeAnswer copies a hooksig_answer into Go and frees it (nil for NULL: "go on").
func takeAnswer(h *C.hooksig_answer) *Answer {
	if h == nil {
		return nil
	}
	defer C.hooksig_answer_free(h)
	var n C.size_t
	a := &Answer{Status: int(C.hooksig_answer_status(h))}
	a.ContentType = sized(C.hooksig_answer_content_type(h, &n), n)
	count := int(C.hooksig_answer_header_count(h))
	for i := 0; i < count; i++ {
		var m C.size_t
		name := sized(C.hooksig_answer_header_name(h, C.size_t(i), &n), n)
		value := sized(C.hooksig_answer_header_value(h, C.size_t(i), &m), m)
		a.Headers = append(a.Headers, Header{Name: name, Value: value})
	}
	body := C.hooksig_answer_body(h, &n)
	a.Body = C.GoBytes(unsafe.Pointer(body), C.int(n))
	return a
}

// KeyAction is what to do with a delivery's replay key after the handler.
type KeyAction int

const (
	// KeyKeep: the handler succeeded; keep the key (a shared store confirms its marker).
	KeyKeep KeyAction = C.HOOKSIG_KEY_KEEP
	// KeyRelease: the handler failed; forget the key so that the sender's retry runs it.
	KeyRelease KeyAction = C.HOOKSIG_KEY_RELEASE
)

// HandlerRaised is Receiver.Finished's status for a handler that panicked / failed without an
// HTTP status (HOOKSIG_HANDLER_RAISED).
const HandlerRaised = C.HOOKSIG_HANDLER_RAISED

// Receiver is the core's receiver policy for one endpoint: the body limit and every answer
// around a verification. Immutable: share it. Handler and Middleware drive it; use it directly
// only to write an adapter for another HTTP stack.
type Receiver struct {
	h *receiverHandle
}

// NewReceiver returns a policy accepting bodies of at most limit bytes (DefaultLimit is
// 10 MiB; 0 admits only empty bodies). A negative limit is an "invalid_argument" *Error.
func NewReceiver(limit int64) (*Receiver, error) {
	if limit < 0 {
		return nil, usageError(C.HOOKSIG_INVALID_ARGUMENT, "the body limit must be at least 0")
	}
	var out *C.hooksig_receiver
	var cerr *C.hooksig_error
	if st := C.hooksig_receiver_new(C.size_t(limit), &out, &cerr); st != C.HOOKSIG_OK {
		return nil, takeError(st, cerr)
	}
	r := &Receiver{h: newReceiverHandle(out)}
	return r, nil
}

var (
	defaultReceiverOnce sync.Once
	defaultReceiver     *Receiver
)

// DefaultReceiver is the shared policy with the default 10 MiB limit.
func DefaultReceiver() *Receiver {
	defaultReceiverOnce.Do(func() {
		r, err := NewReceiver(DefaultLimit)
		if err != nil {
			panic(err) // cannot happen: the default limit is valid
		}
		defaultReceiver = r
	})
	return defaultReceiver
}

// Limit is the body limit in bytes: read at most this many.
func (r *Receiver) Limit() int64 {
	n := int64(C.hooksig_receiver_limit(r.ptr()))
	runtime.KeepAlive(r)
	return n
}

func (r *Receiver) answer(st C.hooksig_status, out *C.hooksig_answer, cerr *C.hooksig_error) (*Answer, error) {
	runtime.KeepAlive(r)
	if st != C.HOOKSIG_OK {
		return nil, takeError(st, cerr)
	}
	return takeAnswer(out), nil
}

// Start is called before reading the body: the answer to write instead (405 with Allow: POST
// for any method but POST, 413 for a declared Content-Length over the limit), or nil (read at
// most Limit bytes). contentLength is the declared length, negative when none (chunked).
func (r *Receiver) Start(method string, contentLength int64) (*Answer, error) {
	if contentLength < 0 {
		contentLength = C.HOOKSIG_NO_CONTENT_LENGTH
	}
	m := []byte(method)
	p, n := goBytes(m)
	var out *C.hooksig_answer
	var cerr *C.hooksig_error
	st := C.hooksig_receiver_start(r.ptr(), p, n, C.int64_t(contentLength), &out, &cerr)
	runtime.KeepAlive(m)
	return r.answer(st, out, cerr)
}

// BodyTooLarge is the 413 answer for a body that grew past the limit while it was read.
func (r *Receiver) BodyTooLarge() (*Answer, error) {
	var out *C.hooksig_answer
	var cerr *C.hooksig_error
	return r.answer(C.hooksig_receiver_body_too_large(r.ptr(), &out, &cerr), out, cerr)
}

// BodyReadFailed is the 400 answer for a body that could not be read.
func (r *Receiver) BodyReadFailed() (*Answer, error) {
	var out *C.hooksig_answer
	var cerr *C.hooksig_error
	return r.answer(C.hooksig_receiver_body_read_failed(r.ptr(), &out, &cerr), out, cerr)
}

// Rejected is the answer for a failed verification: the code's status and
// {"error":"<code>","message":"<description>"}.
func (r *Receiver) Rejected(e *Error) (*Answer, error) {
	if e == nil {
		return nil, usageError(C.HOOKSIG_NULL_ARGUMENT, "error is nil")
	}
	var out *C.hooksig_answer
	var cerr *C.hooksig_error
	return r.answer(C.hooksig_receiver_rejected_status(r.ptr(), C.int32_t(e.Status), &out, &cerr), out, cerr)
}

// Guarded is called after the replay guard answered for a verified delivery's key: nil (run
// the handler), or the answer to write (200 {"status":"duplicate"}, 409 or 503 with
// Retry-After: 30).
func (r *Receiver) Guarded(g GuardAnswer) (*Answer, error) {
	var out *C.hooksig_answer
	var cerr *C.hooksig_error
	return r.answer(C.hooksig_receiver_guarded(r.ptr(), C.int32_t(g), &out, &cerr), out, cerr)
}

// Finished is the one rule for a handler's outcome: status is the HTTP status it answered, or
// HandlerRaised. 200-299 keeps the key; anything else releases it.
func (r *Receiver) Finished(status int) KeyAction {
	a := KeyAction(C.hooksig_receiver_finished(r.ptr(), C.int32_t(status)))
	runtime.KeepAlive(r)
	return a
}

// Handshake is the core's answer to a vendor's endpoint handshake in a request that verified
// (header and verified as passed to and returned by v.Verify), or nil for every other request:
// a Slack url_verification → 200 {"challenge":…}; a Zoom endpoint.url_validation → 200
// {"plainToken":…,"encryptedToken":…}; a Twitch webhook_callback_verification → 200
// text/plain with the challenge. Write it and stop: the handler does not run and the replay
// guard is not asked.
func (r *Receiver) Handshake(v *Verifier, verified *Verified, header http.Header) (*Answer, error) {
	headers, n, arena := cHeaders(header)
	defer arena.free()
	var out *C.hooksig_answer
	var cerr *C.hooksig_error
	st := C.hooksig_receiver_handshake(r.ptr(), v.ptr(), verified.ptr(), headers, n, &out, &cerr)
	runtime.KeepAlive(v)
	runtime.KeepAlive(verified)
	return r.answer(st, out, cerr)
}

// Received is the canonical success answer for a verified delivery (what the demo and test
// handlers write): 200 {"status":"received","scheme":…,"id":…,"event_type":…}.
func (v *Verified) Received() *Answer {
	r := DefaultReceiver()
	var out *C.hooksig_answer
	var cerr *C.hooksig_error
	st := C.hooksig_receiver_received(r.ptr(), v.ptr(), &out, &cerr)
	runtime.KeepAlive(v)
	a, err := r.answer(st, out, cerr)
	if err != nil {
		panic(err) // cannot happen: both handles are live
	}
	return a
}

// ---- net/http ------------------------------------------------------------------------------

type contextKey struct{}

// FromContext returns the verified webhook of a request that Handler / Middleware passed on.
func FromContext(ctx context.Context) (*Verified, bool) {
	v, ok := ctx.Value(contextKey{}).(*Verified)
	return v, ok
}

// HandlerOption configures Handler and Middleware.
type HandlerOption func(*handler)

// WithGuard turns on replay protection: a verified delivery whose DedupeKey the guard has seen
// is answered 200 {"status":"duplicate"} without running the handler (409 while another
// request handles it, 503 when the store is unavailable).
func WithGuard(g ReplayGuard) HandlerOption {
	return func(h *handler) { h.guard = g }
}

// WithReceiver sets the policy (its body limit); the default is DefaultReceiver (10 MiB).
func WithReceiver(r *Receiver) HandlerOption {
	return func(h *handler) { h.receiver = r }
}

// WithPublicURL sets the public base URL the senders were given ("https://hooks.example.com"),
// for the schemes that sign the URL ("twilio", "square", "hubspot") behind a proxy or a load
// balancer: the URL verified is then PublicURL(base, r.URL.RequestURI()). Without it, the URL
// as received (RequestURL: the scheme from TLS, r.Host, the path and query). Other schemes do
// not read the URL.
func WithPublicURL(base string) HandlerOption {
	return func(h *handler) { h.publicURL = base }
}

// WithErrorLog receives what the handler panicked with (after its key was released and 500
// was answered). The default logs it with the log package.
func WithErrorLog(f func(r *http.Request, recovered any)) HandlerOption {
	return func(h *handler) { h.errorLog = f }
}

type handler struct {
	verifier *Verifier
	guard    ReplayGuard
	receiver *Receiver
	errorLog func(*http.Request, any)
	next     http.Handler
	// publicURL is WithPublicURL's base ("" for none).
	publicURL string
	// signsRequest: the verifier's scheme signs the request line (asked once, in Handler).
	signsRequest bool
}

// Handler verifies webhook requests and passes verified ones to next, with the *Verified in
// the request context (FromContext). Every other answer is the core's, byte for byte the same
// as every hooksig integration: 405 (Allow: POST) for a method other than POST, 413 over the
// body limit, 400 for an unreadable body, the error code's status and
// {"error":"<code>","message":"..."} for a request that does not verify, and with a guard 200
// {"status":"duplicate"} / 409 / 503 (Retry-After: 30).
//
// next answers the delivery. A status outside 200-299 (or a panic) counts as failed: the key is
// released so that the sender's retry runs next again. A panic is answered 500 (if next wrote
// nothing) and reported to WithErrorLog; http.ErrAbortHandler is re-raised.
func Handler(v *Verifier, next http.Handler, opts ...HandlerOption) http.Handler {
	if v == nil || next == nil {
		panic("hooksig: Handler needs a verifier and a handler")
	}
	h := &handler{verifier: v, next: next, signsRequest: v.SignsRequest()}
	for _, opt := range opts {
		opt(h)
	}
	if h.receiver == nil {
		h.receiver = DefaultReceiver()
	}
	if h.errorLog == nil {
		h.errorLog = func(r *http.Request, p any) {
			log.Printf("hooksig: webhook handler for %s panicked: %v", r.URL.Path, p)
		}
	}
	return h
}

// Middleware is Handler in the func(http.Handler) http.Handler form (chi, gorilla/mux, alice).
func Middleware(v *Verifier, opts ...HandlerOption) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler { return Handler(v, next, opts...) }
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := h.receiver
	answer, err := rec.Start(r.Method, r.ContentLength)
	if err == nil && answer == nil {
		var body []byte
		body, answer, err = readBody(r.Body, rec)
		if err == nil && answer == nil {
			answer, err = h.process(w, r, body)
		}
	}
	if err != nil {
		// A libhooksig usage error: a bug, not the request's fault.
		h.errorLog(r, err)
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	if answer != nil {
		answer.Write(w)
	}
}

// readBody reads at most the receiver's limit: the body, or the core's 413 / 400 answer.
func readBody(body io.Reader, rec *Receiver) ([]byte, *Answer, error) {
	limit := rec.Limit()
	if limit < math.MaxInt64 {
		body = io.LimitReader(body, limit+1) // one byte more: tells "over the limit" apart
	}
	data, err := io.ReadAll(body)
	if err != nil {
		a, err := rec.BodyReadFailed()
		return nil, a, err
	}
	if int64(len(data)) > limit {
		a, err := rec.BodyTooLarge()
		return nil, a, err
	}
	return data, nil, nil
}

// process verifies, asks the guard and runs next: the answer to write, or nil when next wrote.
func (h *handler) process(w http.ResponseWriter, r *http.Request, body []byte) (*Answer, error) {
	var verified *Verified
	var err error
	if h.signsRequest {
		// Only the schemes that sign the request line need its URL.
		url := RequestURL(r)
		if h.publicURL != "" {
			url = PublicURL(h.publicURL, r.URL.RequestURI())
		}
		verified, err = h.verifier.VerifyRequest(r.Header, body, RequestLine{Method: r.Method, URL: url})
	} else {
		verified, err = h.verifier.Verify(r.Header, body)
	}
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			return nil, err
		}
		return h.receiver.Rejected(e)
	}
	// A vendor's endpoint handshake is answered by the core: no guard, no handler.
	if a, err := h.receiver.Handshake(h.verifier, verified, r.Header); err != nil || a != nil {
		return a, err
	}
	key := verified.DedupeKey
	if h.guard != nil {
		// Only verified deliveries reach the guard: forged requests cannot burn keys.
		stop, err := h.receiver.Guarded(h.guard.Check(r.Context(), key))
		if stop != nil || err != nil {
			return stop, err
		}
	}
	sw := &statusWriter{ResponseWriter: w}
	finished := false
	defer func() {
		if finished {
			return
		}
		p := recover()
		h.settle(r.Context(), key, h.receiver.Finished(HandlerRaised))
		if p == http.ErrAbortHandler {
			panic(p)
		}
		if !sw.wrote {
			w.WriteHeader(http.StatusInternalServerError)
		}
		h.errorLog(r, p)
	}()
	h.next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), contextKey{}, verified)))
	finished = true
	h.settle(r.Context(), key, h.receiver.Finished(sw.statusCode()))
	return nil, nil
}

// settle carries out Finished's decision, best effort: a lost confirm or forget only lets the
// entry expire on its own. Not under the request's context: a client that hung up after the
// handler ran must not cancel the confirm (a StoreGuard bounds each command by its Timeout).
func (h *handler) settle(_ context.Context, key string, action KeyAction) {
	if h.guard == nil {
		return
	}
	ctx := context.Background()
	if action == KeyKeep {
		h.guard.Confirm(ctx, key)
	} else {
		h.guard.Forget(ctx, key)
	}
}

// statusWriter remembers the status the handler answered (200 when it only wrote a body, or
// nothing at all: what net/http sends).
type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (s *statusWriter) WriteHeader(code int) {
	if !s.wrote {
		s.status, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if !s.wrote {
		s.status, s.wrote = http.StatusOK, true
	}
	return s.ResponseWriter.Write(b)
}

func (s *statusWriter) statusCode() int {
	if !s.wrote {
		return http.StatusOK
	}
	return s.status
}

// Flush passes http.Flusher through.
func (s *statusWriter) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		if !s.wrote {
			s.status, s.wrote = http.StatusOK, true
		}
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusWriter) Unwrap() http.ResponseWriter {
	return s.ResponseWriter
}
