// Package hooksig verifies (and signs) webhook signatures in constant time. It is a thin cgo
// layer over libhooksig, the C API of the hooksig Rust core: every decision (schemes, error
// codes, HTTP answers, replay keys) is the core's, the same in every hooksig binding; this
// package converts types and maps errors.
//
// Verifiers, schemes, guards and receivers are immutable once built and safe to share between
// goroutines. Native memory is released by finalizers; nothing needs closing.
package hooksig

// #include <stdlib.h>
// #include <string.h>
// #include <hooksig.h>
import "C"

import (
	"encoding/json"
	"math"
	"net/http"
	"runtime"
	"strings"
	"time"
	"unsafe"
)

// nowClock is HOOKSIG_NOW: "use the system clock".
const nowClock = math.MinInt64

// DefaultTolerance is the accepted clock skew, both ways, of every scheme whose vendor
// documents no other window (HOOKSIG_DEFAULT_TOLERANCE). Twitch and Box document 10 minutes:
// a verifier built without WithTolerance uses the scheme's own default (see
// Verifier.Tolerance), which the core decides.
const DefaultTolerance = C.HOOKSIG_DEFAULT_TOLERANCE * time.Second

// Version is the version of the libhooksig this program runs.
func Version() string {
	return C.GoString(C.hooksig_version())
}

// Schemes lists the ids of the built-in schemes ("stripe", "github", ...).
func Schemes() []string {
	n := int(C.hooksig_scheme_builtin_count())
	ids := make([]string, 0, n)
	for i := 0; i < n; i++ {
		ids = append(ids, C.GoString(C.hooksig_scheme_builtin_id(C.size_t(i))))
	}
	return ids
}

// ---- byte conversion -----------------------------------------------------------------------

// goBytes points C at a Go byte slice for the duration of one call (no Go pointers inside, so
// the cgo pointer rules allow it). An empty slice is NULL with length 0.
func goBytes(b []byte) (*C.char, C.size_t) {
	if len(b) == 0 {
		return nil, 0
	}
	return (*C.char)(unsafe.Pointer(&b[0])), C.size_t(len(b))
}

// sized copies a (pointer, length) pair that C returned into a Go string.
func sized(p *C.char, n C.size_t) string {
	if p == nil {
		return ""
	}
	return C.GoStringN(p, C.int(n))
}

// wipe zeroes a buffer that held a secret.
func wipe(b []byte) {
	for i := range b {
		b[i] = 0
	}
}

// cArena is one C allocation holding structs whose pointers point into the same allocation:
// the header and secret arrays C reads cannot live in Go memory (a Go pointer to memory that
// holds Go pointers breaks the cgo rules).
//
// It is zeroed (calloc): Go stores the records' pointer fields with a write barrier, which hands
// the OLD contents of the field to the garbage collector. Uninitialised malloc memory may still
// hold a stale address of a Go object that C saw in an earlier call (a request body), and the
// collector would then find a pointer to a freed object and abort ("found bad pointer in Go
// heap"). Zeroed memory gives it nil.
type cArena struct {
	base unsafe.Pointer
	mem  []byte
	used int
}

func newArena(size int) *cArena {
	if size < 1 {
		size = 1
	}
	base := C.calloc(1, C.size_t(size))
	if base == nil {
		panic("hooksig: out of memory")
	}
	return &cArena{base: base, mem: unsafe.Slice((*byte)(base), size)}
}

// copyIn copies b into the arena and returns its C address (NULL for an empty b).
func (a *cArena) copyIn(b string) *C.char {
	if len(b) == 0 {
		return nil
	}
	n := copy(a.mem[a.used:], b)
	p := unsafe.Pointer(&a.mem[a.used])
	a.used += n
	return (*C.char)(p)
}

// free wipes the arena (it may hold secrets) and releases it.
func (a *cArena) free() {
	wipe(a.mem)
	C.free(a.base)
}

// cHeaders lays out the headers as hooksig_header records in C memory, one record per value
// (a repeated header is several records with one name, in their order).
func cHeaders(h http.Header) (*C.hooksig_header, C.size_t, *cArena) {
	count, size := 0, 0
	for name, values := range h {
		count += len(values)
		for _, v := range values {
			size += len(name) + len(v)
		}
	}
	recSize := int(unsafe.Sizeof(C.hooksig_header{}))
	a := newArena(count*recSize + size)
	records := unsafe.Slice((*C.hooksig_header)(a.base), count)
	a.used = count * recSize
	i := 0
	for name, values := range h {
		for _, v := range values {
			records[i] = C.hooksig_header{
				name:      a.copyIn(name),
				name_len:  C.size_t(len(name)),
				value:     a.copyIn(v),
				value_len: C.size_t(len(v)),
			}
			i++
		}
	}
	if count == 0 {
		return nil, 0, a
	}
	return (*C.hooksig_header)(a.base), C.size_t(count), a
}

// ---- schemes -------------------------------------------------------------------------------

// Scheme is a signature scheme: a built-in one (LookupScheme) or a custom one
// (CustomScheme.Build). Immutable; verifiers copy what they need.
type Scheme struct {
	h *schemeHandle
}

func newScheme(h *C.hooksig_scheme) *Scheme {
	s := &Scheme{h: newSchemeHandle(h)}
	return s
}

// LookupScheme returns the built-in scheme id ("stripe", "github", ...); an unknown id is an
// *Error with code "unknown_scheme".
func LookupScheme(id string) (*Scheme, error) {
	b := []byte(id)
	p, n := goBytes(b)
	var out *C.hooksig_scheme
	var cerr *C.hooksig_error
	if st := C.hooksig_scheme_from_name(p, n, &out, &cerr); st != C.HOOKSIG_OK {
		return nil, takeError(st, cerr)
	}
	return newScheme(out), nil
}

// ID is the scheme's id (a custom scheme's own id).
func (s *Scheme) ID() string {
	var n C.size_t
	id := sized(C.hooksig_scheme_id(s.ptr(), &n), n)
	runtime.KeepAlive(s)
	return id
}

// CustomScheme describes a scheme that is not built in. The fields are the custom scheme keys
// of the shared vector files (and the JSON tags are those keys); the core validates them in
// Build. An empty field keeps the core's default: template "{body}", encoding "hex",
// algorithm "sha256", no prefix, no timestamp / id / event header; JSONFallback nil keeps the
// default (off).
type CustomScheme struct {
	ID              string `json:"id"`
	SignatureHeader string `json:"signature_header"`
	TimestampHeader string `json:"timestamp_header,omitempty"`
	IDHeader        string `json:"id_header,omitempty"`
	EventHeader     string `json:"event_header,omitempty"`
	Template        string `json:"template,omitempty"`
	Encoding        string `json:"encoding,omitempty"`
	Prefix          string `json:"prefix,omitempty"`
	Algorithm       string `json:"algorithm,omitempty"`
	JSONFallback    *bool  `json:"json_fallback,omitempty"`
}

// Build validates the description through the core's builder (an inconsistency is an *Error
// with code "invalid_config").
func (c CustomScheme) Build() (*Scheme, error) {
	var b *C.hooksig_custom_scheme_builder
	var cerr *C.hooksig_error
	if st := C.hooksig_custom_scheme_builder_new(&b, &cerr); st != C.HOOKSIG_OK {
		return nil, takeError(st, cerr)
	}
	defer C.hooksig_custom_scheme_builder_free(b)
	settings := [][2]string{
		{"id", c.ID}, {"signature_header", c.SignatureHeader}, {"timestamp_header", c.TimestampHeader},
		{"id_header", c.IDHeader}, {"event_header", c.EventHeader}, {"template", c.Template},
		{"encoding", c.Encoding}, {"prefix", c.Prefix}, {"algorithm", c.Algorithm},
	}
	if c.JSONFallback != nil {
		fallback := "false"
		if *c.JSONFallback {
			fallback = "true"
		}
		settings = append(settings, [2]string{"json_fallback", fallback})
	}
	for _, kv := range settings {
		if kv[1] == "" {
			continue // the builder's default (required ones are reported by build)
		}
		key, value := []byte(kv[0]), []byte(kv[1])
		kp, kn := goBytes(key)
		vp, vn := goBytes(value)
		if st := C.hooksig_custom_scheme_builder_set(b, kp, kn, vp, vn, &cerr); st != C.HOOKSIG_OK {
			return nil, takeError(st, cerr)
		}
	}
	var out *C.hooksig_scheme
	if st := C.hooksig_custom_scheme_builder_build(b, &out, &cerr); st != C.HOOKSIG_OK {
		return nil, takeError(st, cerr)
	}
	return newScheme(out), nil
}

// ---- verifier ------------------------------------------------------------------------------

// Option configures NewVerifier.
type Option func(*C.hooksig_verifier_options, **C.hooksig_error) C.hooksig_status

// WithTolerance sets the accepted clock skew, both ways, in whole seconds. Without it the
// verifier uses the scheme's default: 10 minutes for "twitch" and "box", 60 s for "linear",
// 3 minutes for "workos", DefaultTolerance (5 minutes) otherwise. The core refuses a negative one ("invalid_config").
func WithTolerance(d time.Duration) Option {
	return func(o *C.hooksig_verifier_options, e **C.hooksig_error) C.hooksig_status {
		s := int64(d / time.Second)
		if d < 0 {
			// Refused by the core; -1 keeps math.MinInt64 from reading as C's
			// HOOKSIG_TOLERANCE_SCHEME_DEFAULT.
			s = -1
		}
		return C.hooksig_verifier_options_set_tolerance(o, C.int64_t(s), e)
	}
}

// WithSecretFormat sets how secrets are decoded: "auto" (the default: the scheme's
// convention; "" is the same), "text", "base64" or "hex"; the core refuses anything else.
func WithSecretFormat(format string) Option {
	return func(o *C.hooksig_verifier_options, e **C.hooksig_error) C.hooksig_status {
		b := []byte(format)
		p, n := goBytes(b) // "" is NULL: "auto"
		return C.hooksig_verifier_options_set_secret_format(o, p, n, e)
	}
}

// WithJSONFallback turns the retry on JSON.stringify(JSON.parse(body)) on or off (default:
// the scheme's, on for "chaindoc" only).
func WithJSONFallback(on bool) Option {
	return func(o *C.hooksig_verifier_options, e **C.hooksig_error) C.hooksig_status {
		v := C.int32_t(0)
		if on {
			v = 1
		}
		return C.hooksig_verifier_options_set_json_fallback(o, v, e)
	}
}

// Verifier checks requests of one scheme against one or more secrets (rotation). Immutable:
// build it once and share it between goroutines.
type Verifier struct {
	h *verifierHandle
}

// NewVerifier builds a verifier for the built-in scheme id with the given secrets (any may
// match). Errors are *Error values with a configuration code: "unknown_scheme",
// "invalid_secret", "invalid_config", "invalid_argument".
func NewVerifier(scheme string, secrets []string, opts ...Option) (*Verifier, error) {
	s, err := LookupScheme(scheme)
	if err != nil {
		return nil, err
	}
	return NewSchemeVerifier(s, secrets, opts...)
}

// NewSchemeVerifier builds a verifier for a Scheme (built in, or CustomScheme.Build).
func NewSchemeVerifier(scheme *Scheme, secrets []string, opts ...Option) (*Verifier, error) {
	if scheme == nil {
		return nil, usageError(C.HOOKSIG_NULL_ARGUMENT, "scheme is nil")
	}
	var cerr *C.hooksig_error
	var options *C.hooksig_verifier_options
	if len(opts) > 0 {
		if st := C.hooksig_verifier_options_new(&options, &cerr); st != C.HOOKSIG_OK {
			return nil, takeError(st, cerr)
		}
		defer C.hooksig_verifier_options_free(options)
		for _, opt := range opts {
			if st := opt(options, &cerr); st != C.HOOKSIG_OK {
				return nil, takeError(st, cerr)
			}
		}
	}
	size := 0
	for _, s := range secrets {
		size += len(s)
	}
	recSize := int(unsafe.Sizeof(C.hooksig_bytes{}))
	arena := newArena(len(secrets)*recSize + size)
	defer arena.free()
	records := unsafe.Slice((*C.hooksig_bytes)(arena.base), len(secrets))
	arena.used = len(secrets) * recSize
	for i, s := range secrets {
		p := arena.copyIn(s)
		if p == nil {
			p = (*C.char)(arena.base) // an empty secret: non-NULL, length 0 (the core refuses it)
		}
		records[i] = C.hooksig_bytes{ptr: p, len: C.size_t(len(s))}
	}
	var list *C.hooksig_bytes
	if len(secrets) > 0 {
		list = (*C.hooksig_bytes)(arena.base)
	}
	var out *C.hooksig_verifier
	st := C.hooksig_verifier_new(scheme.ptr(), list, C.size_t(len(secrets)), options, &out, &cerr)
	runtime.KeepAlive(scheme)
	if st != C.HOOKSIG_OK {
		return nil, takeError(st, cerr)
	}
	v := &Verifier{h: newVerifierHandle(out)}
	return v, nil
}

// AnyOf builds one verifier over several (a multi-vendor endpoint), usable wherever a Verifier
// is (Handler, guards). A request is verified by the verifier whose signature header it
// carries (schemes sharing headers, such as svix and clerk, are tried in order, the first
// success winning), and Verified.Scheme (hence DedupeKey and the handshake answers) names the
// scheme that matched; no vendor's signature header is "missing_signature". 1 to 16 verifiers
// of distinct schemes, none itself from AnyOf (else "invalid_config"); a nil one is
// "null_argument". The keys are shared, not copied. The composite does not Sign.
func AnyOf(vs ...*Verifier) (*Verifier, error) {
	// C pointers only: a Go slice of them may be passed to C.
	ptrs := make([]*C.hooksig_verifier, len(vs))
	for i, v := range vs {
		ptrs[i] = v.ptr()
	}
	var list **C.hooksig_verifier
	if len(ptrs) > 0 {
		list = &ptrs[0]
	}
	var out *C.hooksig_verifier
	var cerr *C.hooksig_error
	st := C.hooksig_verifier_any_of(list, C.size_t(len(ptrs)), &out, &cerr)
	runtime.KeepAlive(vs)
	if st != C.HOOKSIG_OK {
		return nil, takeError(st, cerr)
	}
	return &Verifier{h: newVerifierHandle(out)}, nil
}

// Verify checks one request at the system clock: the headers as received and the raw body
// bytes. A rejected request is an *Error whose Code is the shared string code
// ("signature_mismatch", ...) and whose HTTPStatus is the answer (400 or 401).
func (v *Verifier) Verify(header http.Header, body []byte) (*Verified, error) {
	return v.verify(header, body, nowClock)
}

// VerifyAt is Verify with the given clock (for tests and replays of stored requests).
func (v *Verifier) VerifyAt(header http.Header, body []byte, now time.Time) (*Verified, error) {
	return v.verify(header, body, now.Unix())
}

// RequestLine is the request line of a webhook request, for the schemes that sign it ("twilio",
// "square", "hubspot", custom templates with {method}/{url}): the method ("" means POST) and
// the full URL the sender requested (scheme://host[:port]/path?query). Behind a proxy or a
// load balancer that is the public URL (PublicURL), not the one the server sees.
type RequestLine struct {
	Method string
	URL    string
}

// PublicURL joins a public base URL ("https://hooks.example.com", or with a path prefix) and
// a request's path and query ("/hooks?a=1") with exactly one "/" between them (the core's
// RequestLine::public_url).
func PublicURL(base, pathAndQuery string) string {
	return strings.TrimRight(base, "/") + "/" + strings.TrimLeft(pathAndQuery, "/")
}

// RequestURL is the URL of r as received: "https" when r arrived over TLS (or r.URL says so),
// else "http"; the Host as received (r.Host); r.URL.RequestURI() (path and query as sent).
func RequestURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || r.URL.Scheme == "https" {
		scheme = "https"
	}
	host := r.Host
	if host == "" {
		host = r.URL.Host
	}
	return scheme + "://" + host + r.URL.RequestURI()
}

// VerifyRequest is Verify with the request line, which "twilio", "square" and "hubspot" sign
// (Verify fails for them with "invalid_argument"); other schemes ignore it. Handler passes it
// for you (see WithPublicURL).
func (v *Verifier) VerifyRequest(header http.Header, body []byte, line RequestLine) (*Verified, error) {
	return v.verifyLine(header, body, &line, nowClock)
}

// VerifyRequestAt is VerifyRequest with the given clock.
func (v *Verifier) VerifyRequestAt(header http.Header, body []byte, line RequestLine, now time.Time) (*Verified, error) {
	return v.verifyLine(header, body, &line, now.Unix())
}

// SignsRequest reports whether the verifier's scheme signs the request line ("twilio",
// "square", "hubspot", a custom scheme with {method}/{url}, or an AnyOf holding one):
// integrations build the URL for VerifyRequest only then.
func (v *Verifier) SignsRequest() bool {
	ok := bool(C.hooksig_verifier_signs_request(v.ptr()))
	runtime.KeepAlive(v)
	return ok
}

func (v *Verifier) verify(header http.Header, body []byte, now int64) (*Verified, error) {
	return v.verifyLine(header, body, nil, now)
}

func (v *Verifier) verifyLine(header http.Header, body []byte, line *RequestLine, now int64) (*Verified, error) {
	headers, n, arena := cHeaders(header)
	defer arena.free()
	var request *C.hooksig_request
	if line != nil {
		// In C memory (a struct of pointers), the URL and method NUL-terminated so that even an
		// empty one is a real address (NULL means "none").
		recSize := int(unsafe.Sizeof(C.hooksig_request{}))
		ra := newArena(recSize + len(line.URL) + len(line.Method) + 2)
		defer ra.free()
		ra.used = recSize
		url := ra.copyIn(line.URL + "\x00")
		method := ra.copyIn(line.Method + "\x00")
		request = (*C.hooksig_request)(ra.base)
		*request = C.hooksig_request{
			method:     method,
			method_len: C.size_t(len(line.Method)),
			url:        url,
			url_len:    C.size_t(len(line.URL)),
		}
	}
	bp, bn := goBytes(body)
	var out *C.hooksig_verified
	var cerr *C.hooksig_error
	st := C.hooksig_verify_request(v.ptr(), headers, n, bp, bn, request, C.int64_t(now), &out, &cerr)
	runtime.KeepAlive(v)
	runtime.KeepAlive(body)
	if st != C.HOOKSIG_OK {
		return nil, takeError(st, cerr)
	}
	return newVerified(out), nil
}

// Tolerance is the accepted clock skew, both ways: the one given with WithTolerance, or the
// scheme's default (10 minutes for "twitch" and "box", 60 s for "linear", 3 minutes for
// "workos", 5 minutes otherwise).
func (v *Verifier) Tolerance() time.Duration {
	t := int64(C.hooksig_verifier_tolerance(v.ptr()))
	runtime.KeepAlive(v)
	return time.Duration(t) * time.Second
}

// ReplayTTL is the time a replay guard for this verifier remembers deliveries: its past +
// future tolerance + 60 s, or a day for schemes without a timestamp (the core's rule).
func (v *Verifier) ReplayTTL() time.Duration {
	ttl := uint64(C.hooksig_replay_default_ttl(v.ptr()))
	runtime.KeepAlive(v)
	return time.Duration(ttl) * time.Second
}

// Verified is a request that verified. Parse Payload, not the raw body.
type Verified struct {
	// Scheme is the scheme id (a custom scheme's own id).
	Scheme string
	// Timestamp is the signed time, when HasTimestamp.
	Timestamp    time.Time
	HasTimestamp bool
	// ID is the message / delivery id, when HasID.
	ID    string
	HasID bool
	// EventType is the event type, when HasEventType.
	EventType    string
	HasEventType bool
	// DedupeKey is the delivery's replay key ("<scheme>:id:<id>" or "<scheme>:sig:<hex>").
	DedupeKey string
	// KeyIndex is which secret matched (0-based).
	KeyIndex int
	// Payload is the authenticated bytes: the body, or the JSON the sender signed when a
	// scheme's JSON fallback matched.
	Payload []byte

	h *verifiedHandle
}

// DecodeJSON unmarshals the payload (what was signed) into v, as json.Unmarshal does:
//
//	var event struct{ Type string `json:"type"` }
//	if err := verified.DecodeJSON(&event); err != nil { ... }
func (v *Verified) DecodeJSON(into any) error {
	return json.Unmarshal(v.Payload, into)
}

func newVerified(h *C.hooksig_verified) *Verified {
	var n C.size_t
	v := &Verified{h: newVerifiedHandle(h)}
	v.Scheme = sized(C.hooksig_verified_scheme(h, &n), n)
	if C.hooksig_verified_has_timestamp(h) != 0 {
		v.HasTimestamp = true
		v.Timestamp = time.Unix(int64(C.hooksig_verified_timestamp(h)), 0)
	}
	if p := C.hooksig_verified_id(h, &n); p != nil {
		v.ID, v.HasID = sized(p, n), true
	}
	if p := C.hooksig_verified_event_type(h, &n); p != nil {
		v.EventType, v.HasEventType = sized(p, n), true
	}
	v.DedupeKey = sized(C.hooksig_verified_dedupe_key(h, &n), n)
	v.KeyIndex = int(C.hooksig_verified_key_index(h))
	p := C.hooksig_verified_payload(h, &n)
	v.Payload = C.GoBytes(unsafe.Pointer(p), C.int(n))
	return v
}

// ---- signing -------------------------------------------------------------------------------

// Header is one header to send: exact name and value.
type Header struct {
	Name, Value string
}

// SignedHeaders are the headers a sender attaches, in the order to send them.
type SignedHeaders []Header

// Apply sets the headers on h (an outgoing request's Header).
func (s SignedHeaders) Apply(h http.Header) {
	for _, x := range s {
		h.Set(x.Name, x.Value)
	}
}

// SignOptions are the optional inputs of signing.
type SignOptions struct {
	// Timestamp to sign; the zero Time is the system clock. Ignored by schemes without one.
	Timestamp time.Time
	// ID is the message id ("" for none: schemes that sign one derive it from the content).
	ID string
	// EventType is the event type ("" for none).
	EventType string
	// URL is the full URL the request goes to, for the schemes that sign it ("twilio",
	// "square", "hubspot": without it they fail with "invalid_argument"); others ignore it.
	URL string
	// Method is the request's method, with URL ("" for POST).
	Method string
}

func signOptions(o *SignOptions) (*C.hooksig_sign_options, error) {
	if o == nil {
		return nil, nil
	}
	var out *C.hooksig_sign_options
	var cerr *C.hooksig_error
	if st := C.hooksig_sign_options_new(&out, &cerr); st != C.HOOKSIG_OK {
		return nil, takeError(st, cerr)
	}
	if !o.Timestamp.IsZero() {
		if st := C.hooksig_sign_options_set_timestamp(out, C.int64_t(o.Timestamp.Unix()), &cerr); st != C.HOOKSIG_OK {
			C.hooksig_sign_options_free(out)
			return nil, takeError(st, cerr)
		}
	}
	for _, f := range []struct {
		value string
		set   func(*C.char, C.size_t) C.hooksig_status
	}{
		{o.ID, func(p *C.char, n C.size_t) C.hooksig_status { return C.hooksig_sign_options_set_id(out, p, n, &cerr) }},
		{o.EventType, func(p *C.char, n C.size_t) C.hooksig_status {
			return C.hooksig_sign_options_set_event_type(out, p, n, &cerr)
		}},
	} {
		if f.value == "" {
			continue
		}
		b := []byte(f.value)
		p, n := goBytes(b)
		if st := f.set(p, n); st != C.HOOKSIG_OK {
			C.hooksig_sign_options_free(out)
			return nil, takeError(st, cerr)
		}
	}
	if o.URL != "" || o.Method != "" {
		u, m := []byte(o.URL), []byte(o.Method)
		up, un := goBytes(u) // "" is NULL: no URL
		mp, mn := goBytes(m) // "" is NULL: POST
		if st := C.hooksig_sign_options_set_request(out, mp, mn, up, un, &cerr); st != C.HOOKSIG_OK {
			C.hooksig_sign_options_free(out)
			return nil, takeError(st, cerr)
		}
		runtime.KeepAlive(u)
		runtime.KeepAlive(m)
	}
	return out, nil
}

func takeSigned(h *C.hooksig_signed_headers) SignedHeaders {
	defer C.hooksig_signed_headers_free(h)
	count := int(C.hooksig_signed_headers_count(h))
	out := make(SignedHeaders, 0, count)
	for i := 0; i < count; i++ {
		var n, m C.size_t
		name := C.hooksig_signed_headers_name(h, C.size_t(i), &n)
		value := C.hooksig_signed_headers_value(h, C.size_t(i), &m)
		out = append(out, Header{Name: sized(name, n), Value: sized(value, m)})
	}
	return out
}

// Sign signs body as a sender of the built-in scheme id would, with secret decoded as the
// "auto" format does (for tests, and for services that send webhooks).
func Sign(scheme string, secret string, body []byte, opts *SignOptions) (SignedHeaders, error) {
	s, err := LookupScheme(scheme)
	if err != nil {
		return nil, err
	}
	return SignScheme(s, secret, body, opts)
}

// SignScheme is Sign for a Scheme (built in, or CustomScheme.Build).
func SignScheme(scheme *Scheme, secret string, body []byte, opts *SignOptions) (SignedHeaders, error) {
	if scheme == nil {
		return nil, usageError(C.HOOKSIG_NULL_ARGUMENT, "scheme is nil")
	}
	options, err := signOptions(opts)
	if err != nil {
		return nil, err
	}
	defer C.hooksig_sign_options_free(options)
	key := []byte(secret)
	defer wipe(key)
	kp, kn := goBytes(key)
	bp, bn := goBytes(body)
	var out *C.hooksig_signed_headers
	var cerr *C.hooksig_error
	st := C.hooksig_sign(scheme.ptr(), kp, kn, bp, bn, options, &out, &cerr)
	runtime.KeepAlive(scheme)
	runtime.KeepAlive(key)
	runtime.KeepAlive(body)
	if st != C.HOOKSIG_OK {
		return nil, takeError(st, cerr)
	}
	return takeSigned(out), nil
}

// Sign signs body with the verifier's first secret, decoded with its secret format.
func (v *Verifier) Sign(body []byte, opts *SignOptions) (SignedHeaders, error) {
	options, err := signOptions(opts)
	if err != nil {
		return nil, err
	}
	defer C.hooksig_sign_options_free(options)
	bp, bn := goBytes(body)
	var out *C.hooksig_signed_headers
	var cerr *C.hooksig_error
	st := C.hooksig_verifier_sign(v.ptr(), bp, bn, options, &out, &cerr)
	runtime.KeepAlive(v)
	runtime.KeepAlive(body)
	if st != C.HOOKSIG_OK {
		return nil, takeError(st, cerr)
	}
	return takeSigned(out), nil
}

// nonNull points C at a copy of s that is never NULL, even when empty (for the arguments that
// libhooksig refuses as NULL even with length 0: replay keys, the store prefix).
func nonNull(s string) ([]byte, *C.char, C.size_t) {
	b := append([]byte(s), 0)
	return b, (*C.char)(unsafe.Pointer(&b[0])), C.size_t(len(s))
}
