package hooksig_test

// Replay protection: the in-memory guard (libhooksig's), the core's shared-store contract, and
// StoreGuard over a store: a fake one in Go (failures on demand) and a real redis-server when
// one is installed (spoken to with a minimal RESP client: the module has no dependencies).

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	hooksig "example.invalid/hooksig/bindings-go"
)

func TestMemoryGuard(t *testing.T) {
	g, err := hooksig.NewMemoryGuard(10*time.Second, 2)
	if err != nil {
		t.Fatal(err)
	}
	if g.TTL() != 10*time.Second || g.Capacity() != 2 || g.Len() != 0 {
		t.Fatal(g.TTL(), g.Capacity(), g.Len())
	}
	now := time.Unix(1767225600, 0)
	for i, c := range []struct {
		key  string
		at   time.Time
		want bool
	}{
		{"k1", now, true}, {"k1", now, false}, {"k1", now.Add(11 * time.Second), true}, {"", now, true}, {"", now, false},
	} {
		got, err := g.CheckAndRememberAt(c.key, c.at)
		if err != nil || got != c.want {
			t.Fatalf("check %d: %v %v, want %v", i, got, err, c.want)
		}
	}
	if err := g.ForgetKey("k1"); err != nil {
		t.Fatal(err)
	}
	if got, _ := g.CheckAndRemember("k1"); !got {
		t.Fatal("forgotten key is not new")
	}
	if _, err := g.CheckAndRemember("\xff"); !errors.Is(err, hooksig.ErrInvalidUTF8) {
		t.Fatal(err)
	}
	for _, bad := range []struct {
		ttl      time.Duration
		capacity int
	}{{0, 1}, {-time.Second, 1}, {time.Second, 0}, {time.Second, -1}} {
		if _, err := hooksig.NewMemoryGuard(bad.ttl, bad.capacity); !errors.Is(err, hooksig.ErrInvalidArgument) {
			t.Fatalf("%v: %v", bad, err)
		}
	}
	v := mustVerifier(t, "algoguard", "whsec_k")
	g, err = hooksig.NewMemoryGuardFor(v)
	if err != nil || g.TTL() != v.ReplayTTL() || g.TTL() != 660*time.Second || g.Capacity() != hooksig.DefaultReplayCapacity {
		t.Fatal(err, g.TTL(), v.ReplayTTL(), g.Capacity())
	}
	// Atomic: of many goroutines with one key, exactly one is told it is new.
	var news int64
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if g.Check(context.Background(), "same") == hooksig.GuardNew {
				atomic.AddInt64(&news, 1)
			}
		}()
	}
	wg.Wait()
	if news != 1 {
		t.Fatal(news)
	}
}

func TestSharedStoreContract(t *testing.T) {
	if hooksig.DefaultStorePrefix() != "hooksig:replay:" {
		t.Fatal(hooksig.DefaultStorePrefix())
	}
	s, err := hooksig.NewSharedStore(660*time.Second, 60*time.Second, "p:")
	if err != nil || s.TTL() != 660*time.Second || s.ProcessingTTL() != 60*time.Second {
		t.Fatal(err)
	}
	for step, want := range map[hooksig.StoreStep]string{
		hooksig.StoreClaim:   "SET p:k processing NX EX 60",
		hooksig.StoreLookup:  "GET p:k",
		hooksig.StoreKeep:    "SET p:k done EX 660",
		hooksig.StoreRelease: "DEL p:k",
	} {
		argv, err := s.Command(step, "k")
		if err != nil || strings.Join(argv, " ") != want {
			t.Fatalf("step %d: %q %v, want %s", step, argv, err, want)
		}
	}
	if _, err := s.Command(hooksig.StoreStep(9), "k"); !errors.Is(err, hooksig.ErrInvalidArgument) {
		t.Fatal(err)
	}
	if a, lookup := s.Claimed(true); lookup || a != hooksig.GuardNew {
		t.Fatal(a, lookup)
	}
	if _, lookup := s.Claimed(false); !lookup {
		t.Fatal("no lookup after a claim that did not set")
	}
	if s.LookedUp("done", true) != hooksig.GuardDuplicate || s.LookedUp("processing", true) != hooksig.GuardInProgress ||
		s.LookedUp("", false) != hooksig.GuardInProgress {
		t.Fatal("looked up")
	}
	if _, err := hooksig.NewSharedStore(0, time.Second, ""); !errors.Is(err, hooksig.ErrInvalidArgument) {
		t.Fatal(err)
	}
	if _, err := hooksig.NewSharedStore(-time.Second, time.Second, ""); !errors.Is(err, hooksig.ErrInvalidArgument) {
		t.Fatal(err)
	}
	capped, err := hooksig.NewSharedStore(10*time.Second, 60*time.Second, "")
	if err != nil || capped.ProcessingTTL() != 10*time.Second {
		t.Fatal(err, capped.ProcessingTTL())
	}
}

// fakeStore speaks the contract's three commands over a map (expiry ignored); fail makes every
// command fail.
type fakeStore struct {
	mu   sync.Mutex
	data map[string]string
	fail bool
	log  []string
}

func (f *fakeStore) Run(ctx context.Context, argv []string) (string, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.log = append(f.log, strings.Join(argv, " "))
	if f.fail {
		return "", false, errors.New("store down")
	}
	switch argv[0] {
	case "SET":
		if len(argv) > 3 && argv[3] == "NX" {
			if _, ok := f.data[argv[1]]; ok {
				return "", false, nil
			}
		}
		f.data[argv[1]] = argv[2]
		return "OK", true, nil
	case "GET":
		v, ok := f.data[argv[1]]
		return v, ok, nil
	case "DEL":
		_, ok := f.data[argv[1]]
		delete(f.data, argv[1])
		if ok {
			return "1", true, nil
		}
		return "0", true, nil
	}
	return "", false, fmt.Errorf("unknown command %s", argv[0])
}

// storeFlow runs one delivery cycle through Handler with a StoreGuard over conn.
func storeFlow(t *testing.T, conn hooksig.StoreConn, down func(bool)) {
	v := mustVerifier(t, "algoguard", "whsec_store")
	guard, err := hooksig.NewStoreGuardFor(conn, v)
	if err != nil {
		t.Fatal(err)
	}
	var calls int64
	release := make(chan struct{})
	entered := make(chan struct{}, 1)
	server := httptest.NewServer(hooksig.Handler(v, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := atomic.AddInt64(&calls, 1)
		if r.Header.Get("X-Slow") != "" {
			entered <- struct{}{}
			<-release
		}
		if n == 1 {
			w.WriteHeader(500) // the first attempt fails: the key is released
			return
		}
		event, _ := hooksig.FromContext(r.Context())
		event.Received().Write(w)
	}), hooksig.WithGuard(guard), hooksig.WithErrorLog(func(*http.Request, any) {})))
	defer server.Close()
	body := []byte(fmt.Sprintf(`{"id":"evt_%d","event":"license.created"}`, time.Now().UnixNano()))
	signed, _ := v.Sign(body, nil)
	post := func(slow bool) (int, string, string) {
		req, _ := http.NewRequest("POST", server.URL, strings.NewReader(string(body)))
		signed.Apply(req.Header)
		if slow {
			req.Header.Set("X-Slow", "1")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp.Header.Get("Retry-After")
	}
	if status, _, _ := post(false); status != 500 {
		t.Fatal("first attempt", status)
	}
	// The retry runs again; while it runs, a concurrent copy is told 409.
	done := make(chan int)
	go func() { s, _, _ := post(true); done <- s }()
	<-entered
	if status, b, retry := post(false); status != 409 || retry != "30" || !strings.Contains(b, "delivery_in_progress") {
		t.Fatal("concurrent copy", status, b, retry)
	}
	close(release)
	if s := <-done; s != 200 {
		t.Fatal("retry", s)
	}
	if status, b, _ := post(false); status != 200 || b != `{"status":"duplicate"}` {
		t.Fatal("after success", status, b)
	}
	if calls != 2 {
		t.Fatal("handler calls", calls)
	}
	if down != nil {
		down(true)
		defer down(false)
		if status, b, retry := post(false); status != 503 || retry != "30" || !strings.Contains(b, "replay_store_unavailable") {
			t.Fatal("store down", status, b, retry)
		}
		if calls != 2 {
			t.Fatal("handler ran with the store down")
		}
	}
}

func TestStoreGuardFake(t *testing.T) {
	f := &fakeStore{data: map[string]string{}}
	storeFlow(t, f, func(fail bool) { f.mu.Lock(); f.fail = fail; f.mu.Unlock() })
	if !strings.HasPrefix(f.log[0], "SET hooksig:replay:algoguard:") || !strings.HasSuffix(f.log[0], " processing NX EX 60") {
		t.Fatal(f.log)
	}
}

// resp is a minimal Redis client: one connection, one command at a time.
type resp struct {
	mu   sync.Mutex
	addr string
	conn net.Conn
	r    *bufio.Reader
}

func (c *resp) Run(ctx context.Context, argv []string) (string, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn == nil {
		conn, err := net.DialTimeout("tcp", c.addr, 2*time.Second)
		if err != nil {
			return "", false, err
		}
		c.conn, c.r = conn, bufio.NewReader(conn)
	}
	if deadline, ok := ctx.Deadline(); ok {
		_ = c.conn.SetDeadline(deadline)
	}
	reply, ok, err := c.do(argv)
	if err != nil {
		c.conn.Close() // a late reply must not answer the next command
		c.conn = nil
	}
	return reply, ok, err
}

func (c *resp) do(argv []string) (string, bool, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(argv))
	for _, a := range argv {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	if _, err := io.WriteString(c.conn, b.String()); err != nil {
		return "", false, err
	}
	line, err := c.r.ReadString('\n')
	if err != nil {
		return "", false, err
	}
	line = strings.TrimRight(line, "\r\n")
	switch line[0] {
	case '+', ':':
		return line[1:], true, nil
	case '-':
		return "", false, errors.New(line[1:])
	case '$':
		n, _ := strconv.Atoi(line[1:])
		if n < 0 {
			return "", false, nil
		}
		data := make([]byte, n+2)
		if _, err := io.ReadFull(c.r, data); err != nil {
			return "", false, err
		}
		return string(data[:n]), true, nil
	}
	return "", false, fmt.Errorf("unexpected reply %q", line)
}

func TestStoreGuardRedis(t *testing.T) {
	path, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatal("redis-server is not installed (Debian: redis-server; scripts/install-deps.sh installs it)")
	}
	probe, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := probe.Addr().(*net.TCPAddr).Port
	probe.Close()
	dir := t.TempDir()
	cmd := exec.Command(path, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	client := &resp{addr: fmt.Sprintf("127.0.0.1:%d", port)}
	for i := 0; ; i++ {
		if reply, _, err := client.Run(context.Background(), []string{"PING"}); err == nil && reply == "PONG" {
			break
		}
		if i > 100 {
			t.Fatal("redis-server did not start")
		}
		time.Sleep(50 * time.Millisecond)
	}
	storeFlow(t, client, func(stop bool) {
		if stop {
			_ = cmd.Process.Signal(os.Interrupt) // SIGINT: redis exits; the next command fails
			_ = cmd.Wait()
			client.mu.Lock()
			if client.conn != nil {
				client.conn.Close()
				client.conn = nil
			}
			client.mu.Unlock()
		}
	})
}

// hangingStore never answers: it waits for its context.
type hangingStore struct{}

func (hangingStore) Run(ctx context.Context, _ []string) (string, bool, error) {
	<-ctx.Done()
	return "", false, ctx.Err()
}

// A store that does not answer within the timeout is unavailable (503), not a hang.
func TestStoreGuardTimeout(t *testing.T) {
	v := mustVerifier(t, "algoguard", "whsec_k")
	g, err := hooksig.NewStoreGuardFor(hangingStore{}, v)
	if err != nil || g.Timeout != hooksig.StoreTimeout || hooksig.StoreTimeout != 2*time.Second {
		t.Fatal(err, g.Timeout)
	}
	g.Timeout = 50 * time.Millisecond
	started := time.Now()
	if a := g.Check(context.Background(), "k"); a != hooksig.GuardUnavailable {
		t.Fatal(a)
	}
	if elapsed := time.Since(started); elapsed > time.Second {
		t.Fatal(elapsed)
	}
	if _, err := hooksig.NewStoreGuardFor(nil, v); !errors.Is(err, hooksig.ErrNullArgument) {
		t.Fatal(err)
	}
}
