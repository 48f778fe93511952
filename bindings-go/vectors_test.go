package hooksig_test

// The shared tables every binding runs: tests/vectors/*.json (known answers, one subtest per
// case) and tests/bad-inputs/cases.json (hostile inputs). Formats: tests/vectors/README.md and
// the bad-input file's _comment.

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	hooksig "example.invalid/hooksig/bindings-go"
)

const tablesDir = "../tests"

type vectorFile struct {
	Scheme json.RawMessage `json:"scheme"`
	Cases  []vectorCase    `json:"cases"`
	Blocks []struct {
		Scheme json.RawMessage `json:"scheme"`
		Cases  []vectorCase    `json:"cases"`
	} `json:"blocks"`
}

type vectorCase struct {
	Name         string     `json:"name"`
	Op           string     `json:"op"`
	Secrets      []string   `json:"secrets"`
	SecretFormat *string    `json:"secret_format"`
	Tolerance    *int64     `json:"tolerance"`
	JSONFallback *bool      `json:"json_fallback"`
	Now          int64      `json:"now"`
	Headers      [][]string `json:"headers"`
	Body         *string    `json:"body"`
	BodyBase64   *string    `json:"body_base64"`
	BodyRepeat   *struct {
		Before string `json:"before"` // optional: body = before + text*count + after
		Text   string `json:"text"`
		Count  int    `json:"count"`
		After  string `json:"after"`
	} `json:"body_repeat"`
	// Request is the request line (twilio, square, hubspot); absent: not passed.
	Request *struct {
		Method string `json:"method"`
		URL    string `json:"url"`
	} `json:"request"`
	Expect struct {
		OK        bool    `json:"ok"`
		KeyIndex  int     `json:"key_index"`
		Timestamp *int64  `json:"timestamp"`
		ID        *string `json:"id"`
		EventType *string `json:"event_type"`
		Payload   *string `json:"payload"`
		DedupeKey *string `json:"dedupe_key"`
		Error     string  `json:"error"`
		Header    *string `json:"header"`
	} `json:"expect"`
	Timestamp     *int64     `json:"timestamp"`
	ID            string     `json:"id"`
	EventType     string     `json:"event_type"`
	ExpectHeaders [][]string `json:"expect_headers"`
}

func (c *vectorCase) body(t *testing.T) []byte {
	switch {
	case c.Body != nil:
		return []byte(*c.Body)
	case c.BodyBase64 != nil:
		b, err := base64.StdEncoding.DecodeString(*c.BodyBase64)
		if err != nil {
			t.Fatal(err)
		}
		return b
	case c.BodyRepeat != nil:
		r := c.BodyRepeat
		b := append([]byte(r.Before), bytes.Repeat([]byte(r.Text), r.Count)...)
		return append(b, r.After...)
	}
	t.Fatal("case has no body")
	return nil
}

// scheme reads a file's "scheme": a built-in id, or {"custom": {...}} through the builder.
func scheme(t *testing.T, raw json.RawMessage) *hooksig.Scheme {
	var id string
	if json.Unmarshal(raw, &id) == nil {
		s, err := hooksig.LookupScheme(id)
		if err != nil {
			t.Fatalf("scheme %q: %v", id, err)
		}
		return s
	}
	var custom struct {
		Custom hooksig.CustomScheme `json:"custom"`
	}
	if err := json.Unmarshal(raw, &custom); err != nil {
		t.Fatal(err)
	}
	s, err := custom.Custom.Build()
	if err != nil {
		t.Fatalf("custom scheme %s: %v", raw, err)
	}
	return s
}

func code(err error) string {
	var e *hooksig.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return "not a *hooksig.Error: " + err.Error()
}

func TestVectors(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(tablesDir, "vectors", "*.json"))
	if err != nil || len(files) < 20 {
		t.Fatalf("vector files: %v (%d)", err, len(files))
	}
	total := 0
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var f vectorFile
		if err := json.Unmarshal(data, &f); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		type block struct {
			scheme json.RawMessage
			cases  []vectorCase
		}
		blocks := []block{{f.Scheme, f.Cases}}
		if f.Blocks != nil {
			blocks = blocks[:0]
			for _, b := range f.Blocks {
				blocks = append(blocks, block{b.Scheme, b.Cases})
			}
		}
		for _, b := range blocks {
			s := scheme(t, b.scheme)
			for i := range b.cases {
				c := b.cases[i]
				total++
				t.Run(filepath.Base(path)+"/"+c.Name, func(t *testing.T) { runVector(t, s, &c) })
			}
		}
	}
	if total < 300 {
		t.Fatalf("only %d vector cases", total)
	}
}

func runVector(t *testing.T, s *hooksig.Scheme, c *vectorCase) {
	var opts []hooksig.Option
	if c.SecretFormat != nil {
		opts = append(opts, hooksig.WithSecretFormat(*c.SecretFormat))
	}
	if c.Tolerance != nil {
		opts = append(opts, hooksig.WithTolerance(time.Duration(*c.Tolerance)*time.Second))
	}
	if c.JSONFallback != nil {
		opts = append(opts, hooksig.WithJSONFallback(*c.JSONFallback))
	}
	body := c.body(t)
	v, err := hooksig.NewSchemeVerifier(s, c.Secrets, opts...)
	if c.Op == "sign" {
		if err != nil {
			t.Fatal(err)
		}
		o := &hooksig.SignOptions{ID: c.ID, EventType: c.EventType}
		if c.Request != nil {
			o.URL, o.Method = c.Request.URL, c.Request.Method
		}
		if c.Timestamp != nil {
			o.Timestamp = time.Unix(*c.Timestamp, 0)
		}
		got, err := v.Sign(body, o)
		if err != nil {
			t.Fatal(err)
		}
		var pairs [][]string
		for _, h := range got {
			pairs = append(pairs, []string{h.Name, h.Value})
		}
		if !equalJSON(pairs, c.ExpectHeaders) {
			t.Fatalf("signed headers %q, want %q", pairs, c.ExpectHeaders)
		}
		return
	}
	if err == nil {
		header := http.Header{}
		for _, h := range c.Headers {
			header.Add(h[0], h[1])
		}
		var got *hooksig.Verified
		if c.Request != nil {
			line := hooksig.RequestLine{Method: c.Request.Method, URL: c.Request.URL}
			got, err = v.VerifyRequestAt(header, body, line, time.Unix(c.Now, 0))
		} else {
			got, err = v.VerifyAt(header, body, time.Unix(c.Now, 0))
		}
		if err == nil {
			checkVerified(t, c, got, body)
			return
		}
	}
	if c.Expect.OK {
		t.Fatalf("want ok, got %v", err)
	}
	if got := code(err); got != c.Expect.Error {
		t.Fatalf("error code %q, want %q (%v)", got, c.Expect.Error, err)
	}
	var e *hooksig.Error
	errors.As(err, &e)
	if c.Expect.Header != nil && !strings.EqualFold(e.Header, *c.Expect.Header) {
		t.Fatalf("error header %q, want %q", e.Header, *c.Expect.Header)
	}
	// errors.Is compares codes.
	if !errors.Is(err, &hooksig.Error{Code: c.Expect.Error}) || errors.Is(err, &hooksig.Error{Code: "other"}) {
		t.Fatal("errors.Is does not compare codes")
	}
}

func checkVerified(t *testing.T, c *vectorCase, got *hooksig.Verified, body []byte) {
	t.Helper()
	if !c.Expect.OK {
		t.Fatalf("want %s, got ok", c.Expect.Error)
	}
	if got.KeyIndex != c.Expect.KeyIndex {
		t.Errorf("key index %d, want %d", got.KeyIndex, c.Expect.KeyIndex)
	}
	if (c.Expect.Timestamp == nil) != !got.HasTimestamp ||
		(c.Expect.Timestamp != nil && got.Timestamp.Unix() != *c.Expect.Timestamp) {
		t.Errorf("timestamp %v (%v), want %v", got.Timestamp, got.HasTimestamp, c.Expect.Timestamp)
	}
	if (c.Expect.ID == nil) != !got.HasID || (c.Expect.ID != nil && got.ID != *c.Expect.ID) {
		t.Errorf("id %q (%v), want %v", got.ID, got.HasID, c.Expect.ID)
	}
	if (c.Expect.EventType == nil) != !got.HasEventType ||
		(c.Expect.EventType != nil && got.EventType != *c.Expect.EventType) {
		t.Errorf("event type %q (%v), want %v", got.EventType, got.HasEventType, c.Expect.EventType)
	}
	want := body
	if c.Expect.Payload != nil {
		want = []byte(*c.Expect.Payload)
	}
	if !bytes.Equal(got.Payload, want) {
		t.Errorf("payload differs (%d bytes, want %d)", len(got.Payload), len(want))
	}
	if c.Expect.DedupeKey != nil && got.DedupeKey != *c.Expect.DedupeKey {
		t.Errorf("dedupe key %q, want %q", got.DedupeKey, *c.Expect.DedupeKey)
	}
}

func equalJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

// ---- bad inputs ----------------------------------------------------------------------------

type byteValue struct {
	Text   *string `json:"text"`
	Hex    *string `json:"hex"`
	Repeat *string `json:"repeat"`
	Count  int     `json:"count"`
}

func (b *byteValue) bytes(t *testing.T) []byte {
	switch {
	case b.Text != nil:
		return []byte(*b.Text)
	case b.Hex != nil:
		v, err := hex.DecodeString(*b.Hex)
		if err != nil {
			t.Fatal(err)
		}
		return v
	case b.Repeat != nil:
		return bytes.Repeat([]byte(*b.Repeat), b.Count)
	}
	t.Fatal("empty byte value")
	return nil
}

type badInput struct {
	Name            string      `json:"name"`
	Scheme          string      `json:"scheme"`
	Secrets         []string    `json:"secrets"`
	Tolerance       *int64      `json:"tolerance"`
	Now             int64       `json:"now"`
	SignTimestamp   *int64      `json:"sign_timestamp"`
	Body            *byteValue  `json:"body"`
	Headers         []badHeader `json:"headers"`
	HasHeaders      bool        `json:"-"`
	TimestampHeader *string     `json:"timestamp_header"`
	SignatureHeader *byteValue  `json:"signature_header"`
	Expect          string      `json:"expect"`
}

type badHeader struct {
	Name  string
	Value byteValue
}

func (h *badHeader) UnmarshalJSON(data []byte) error {
	var pair []json.RawMessage
	if err := json.Unmarshal(data, &pair); err != nil {
		return err
	}
	if err := json.Unmarshal(pair[0], &h.Name); err != nil {
		return err
	}
	return json.Unmarshal(pair[1], &h.Value)
}

func TestBadInputs(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(tablesDir, "bad-inputs", "cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Cases []json.RawMessage `json:"cases"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Cases) < 40 {
		t.Fatalf("only %d bad-input cases", len(doc.Cases))
	}
	for _, raw := range doc.Cases {
		var c badInput
		if err := json.Unmarshal(raw, &c); err != nil {
			t.Fatal(err)
		}
		var keys map[string]json.RawMessage
		_ = json.Unmarshal(raw, &keys)
		_, c.HasHeaders = keys["headers"]
		t.Run(c.Name, func(t *testing.T) {
			if got := badInputOutcome(t, &c); got != c.Expect {
				t.Fatalf("outcome %q, want %q", got, c.Expect)
			}
		})
	}
}

// badInputOutcome applies the table's rules: "ok" or the error code.
func badInputOutcome(t *testing.T, c *badInput) string {
	var opts []hooksig.Option
	if c.Tolerance != nil {
		opts = append(opts, hooksig.WithTolerance(time.Duration(*c.Tolerance)*time.Second))
	}
	v, err := hooksig.NewVerifier(c.Scheme, c.Secrets, opts...)
	if err != nil {
		return code(err)
	}
	body := []byte(`{"id":"evt_1"}`)
	if c.Body != nil {
		body = c.Body.bytes(t)
	}
	ts := c.Now
	if c.SignTimestamp != nil {
		ts = *c.SignTimestamp
	}
	signed, err := v.Sign(body, &hooksig.SignOptions{Timestamp: time.Unix(ts, 0)})
	if err != nil {
		t.Fatal(err)
	}
	// The signature header's name contains "signature"; the timestamp header's value is the
	// signing time (the rule of the C and PHP runners).
	sigName, tsName := "", ""
	for _, h := range signed {
		if strings.Contains(strings.ToLower(h.Name), "signature") {
			sigName = h.Name
		}
		if h.Value == strconv.FormatInt(ts, 10) {
			tsName = h.Name
		}
	}
	type pair struct{ name, value string }
	var pairs []pair
	for _, h := range signed {
		pairs = append(pairs, pair{h.Name, h.Value})
	}
	if c.HasHeaders {
		pairs = pairs[:0]
		for _, h := range c.Headers {
			pairs = append(pairs, pair{h.Name, string(h.Value.bytes(t))})
		}
	}
	if (c.TimestampHeader != nil && tsName == "") || (c.SignatureHeader != nil && sigName == "") {
		return "runner: the header to override was not found"
	}
	header := http.Header{}
	for _, p := range pairs {
		if c.TimestampHeader != nil && p.name == tsName {
			p.value = *c.TimestampHeader
		}
		if c.SignatureHeader != nil && p.name == sigName {
			p.value = string(c.SignatureHeader.bytes(t))
		}
		header.Add(p.name, p.value)
	}
	got, err := v.VerifyAt(header, body, time.Unix(c.Now, 0))
	if err != nil {
		return code(err)
	}
	if !bytes.Equal(got.Payload, body) {
		return "runner: payload differs"
	}
	return "ok"
}
