package hooksig

// #include <hooksig.h>
import "C"

import (
	"context"
	"runtime"
	"time"
)

// GuardAnswer is what a replay guard answered for a verified delivery's key.
type GuardAnswer int

const (
	// GuardNew: not seen before (now remembered): run the handler.
	GuardNew GuardAnswer = C.HOOKSIG_GUARD_NEW
	// GuardDuplicate: already processed: answer 200 {"status":"duplicate"}.
	GuardDuplicate GuardAnswer = C.HOOKSIG_GUARD_DUPLICATE
	// GuardInProgress: another request is processing it: 409.
	GuardInProgress GuardAnswer = C.HOOKSIG_GUARD_IN_PROGRESS
	// GuardUnavailable: the replay store could not be asked: 503.
	GuardUnavailable GuardAnswer = C.HOOKSIG_GUARD_UNAVAILABLE
)

// ReplayGuard is what Handler drives around the handler: Check before it, then Confirm (it
// succeeded) or Forget (it failed), as the core's Receiver.Finished decides. MemoryGuard (one
// process) and StoreGuard (a shared store such as Redis) implement it.
type ReplayGuard interface {
	// Check atomically checks key (Verified.DedupeKey) and, when it is new, remembers it (or
	// marks it in progress). Of two concurrent calls with one key exactly one gets GuardNew. A
	// store that cannot be asked answers GuardUnavailable.
	Check(ctx context.Context, key string) GuardAnswer
	// Confirm makes the key's entry final after the handler succeeded. Best effort.
	Confirm(ctx context.Context, key string)
	// Forget drops the key after the handler failed, so that the sender's retry runs it. Best
	// effort.
	Forget(ctx context.Context, key string)
}

// DefaultReplayCapacity is the capacity of NewMemoryGuardFor (HOOKSIG_DEFAULT_REPLAY_CAPACITY).
const DefaultReplayCapacity = C.HOOKSIG_DEFAULT_REPLAY_CAPACITY

// MemoryGuard is libhooksig's in-memory replay guard: it remembers verified deliveries' keys for
// a while, in this process (several processes or machines need a StoreGuard). Safe for
// concurrent use; check-and-remember is atomic.
type MemoryGuard struct {
	h *guardHandle
}

func newMemoryGuard(h *C.hooksig_replay_guard) *MemoryGuard {
	g := &MemoryGuard{h: newGuardHandle(h)}
	return g
}

// NewMemoryGuard remembers each key for ttl (whole seconds, at least 1), at most capacity keys
// (when full, expired entries go first, then the oldest). Out of range: "invalid_argument".
func NewMemoryGuard(ttl time.Duration, capacity int) (*MemoryGuard, error) {
	seconds := ttl / time.Second
	if seconds < 0 {
		seconds = 0 // the core refuses 0 (a negative value would wrap around in C)
	}
	if capacity < 0 {
		capacity = 0
	}
	var out *C.hooksig_replay_guard
	var cerr *C.hooksig_error
	if st := C.hooksig_replay_guard_new(C.uint64_t(seconds), C.size_t(capacity), &out, &cerr); st != C.HOOKSIG_OK {
		return nil, takeError(st, cerr)
	}
	return newMemoryGuard(out), nil
}

// NewMemoryGuardFor sizes a guard for v: ttl = v.ReplayTTL(), DefaultReplayCapacity.
func NewMemoryGuardFor(v *Verifier) (*MemoryGuard, error) {
	if v == nil {
		return nil, usageError(C.HOOKSIG_NULL_ARGUMENT, "verifier is nil")
	}
	var out *C.hooksig_replay_guard
	var cerr *C.hooksig_error
	st := C.hooksig_replay_guard_new_for(v.ptr(), &out, &cerr)
	runtime.KeepAlive(v)
	if st != C.HOOKSIG_OK {
		return nil, takeError(st, cerr)
	}
	return newMemoryGuard(out), nil
}

func (g *MemoryGuard) checkAndRemember(key string, now int64) (bool, error) {
	// Never NULL, even for "": the C API refuses a NULL key.
	b, p, n := nonNull(key)
	var isNew C.int32_t
	var cerr *C.hooksig_error
	st := C.hooksig_replay_guard_check_and_remember(g.ptr(), p, n, C.int64_t(now), &isNew, &cerr)
	runtime.KeepAlive(g)
	runtime.KeepAlive(b)
	if st != C.HOOKSIG_OK {
		return false, takeError(st, cerr)
	}
	return isNew == 1, nil
}

// CheckAndRemember reports whether key is new (now remembered until now + ttl: run the
// handler, and Forget the key if it fails) or a duplicate (answer 200 and skip the handler).
func (g *MemoryGuard) CheckAndRemember(key string) (bool, error) {
	return g.checkAndRemember(key, nowClock)
}

// CheckAndRememberAt is CheckAndRemember at the given clock.
func (g *MemoryGuard) CheckAndRememberAt(key string, now time.Time) (bool, error) {
	return g.checkAndRemember(key, now.Unix())
}

// ForgetKey forgets key (unknown keys are fine).
func (g *MemoryGuard) ForgetKey(key string) error {
	b, p, n := nonNull(key)
	var cerr *C.hooksig_error
	st := C.hooksig_replay_guard_forget(g.ptr(), p, n, &cerr)
	runtime.KeepAlive(g)
	runtime.KeepAlive(b)
	if st != C.HOOKSIG_OK {
		return takeError(st, cerr)
	}
	return nil
}

// Check implements ReplayGuard: GuardNew or GuardDuplicate (GuardUnavailable if the key is not
// valid UTF-8, which a DedupeKey always is).
func (g *MemoryGuard) Check(_ context.Context, key string) GuardAnswer {
	isNew, err := g.CheckAndRemember(key)
	switch {
	case err != nil:
		return GuardUnavailable
	case isNew:
		return GuardNew
	default:
		return GuardDuplicate
	}
}

// Confirm implements ReplayGuard: nothing to do, the check remembered the key.
func (g *MemoryGuard) Confirm(context.Context, string) {}

// Forget implements ReplayGuard.
func (g *MemoryGuard) Forget(_ context.Context, key string) { _ = g.ForgetKey(key) }

// TTL is how long a key is remembered.
func (g *MemoryGuard) TTL() time.Duration {
	ttl := uint64(C.hooksig_replay_guard_ttl(g.ptr()))
	runtime.KeepAlive(g)
	return time.Duration(ttl) * time.Second
}

// Capacity is the most keys kept.
func (g *MemoryGuard) Capacity() int {
	n := int(C.hooksig_replay_guard_capacity(g.ptr()))
	runtime.KeepAlive(g)
	return n
}

// Len is the number of keys held (expired ones included until they are purged).
func (g *MemoryGuard) Len() int {
	n := int(C.hooksig_replay_guard_len(g.ptr()))
	runtime.KeepAlive(g)
	return n
}

// ---- shared store --------------------------------------------------------------------------

// StoreStep names one command of the replay-store contract.
type StoreStep int

const (
	// StoreClaim: SET <prefix><key> processing NX EX <processing ttl>.
	StoreClaim StoreStep = C.HOOKSIG_STORE_CLAIM
	// StoreLookup: GET <prefix><key>, after a claim that did not set the key.
	StoreLookup StoreStep = C.HOOKSIG_STORE_LOOKUP
	// StoreKeep: SET <prefix><key> done EX <ttl>, the handler succeeded.
	StoreKeep StoreStep = C.HOOKSIG_STORE_KEEP
	// StoreRelease: DEL <prefix><key>, the handler failed.
	StoreRelease StoreStep = C.HOOKSIG_STORE_RELEASE
)

// Store contract defaults (the core's).
const (
	// DefaultProcessingTTL is how long a claimed delivery stays "processing".
	DefaultProcessingTTL = C.HOOKSIG_PROCESSING_TTL * time.Second
	// StoreTimeout is how long one store command may take before the store counts as
	// unavailable.
	StoreTimeout = C.HOOKSIG_STORE_TIMEOUT_MS * time.Millisecond
)

// DefaultStorePrefix is the core's key prefix, "hooksig:replay:".
func DefaultStorePrefix() string {
	var n C.size_t
	return sized(C.hooksig_store_default_prefix(&n), n)
}

// SharedStore is the core's replay-store contract (hooksig_shared_store): the key format, the
// two-phase marker, its TTLs and the reading of each reply. StoreGuard executes it over a
// StoreConn; nothing here talks to a store.
type SharedStore struct {
	h *storeHandle
}

// NewSharedStore remembers handled deliveries for ttl and claimed ones for processingTTL
// (capped at ttl), whole seconds, under prefix. Out of range: "invalid_argument".
func NewSharedStore(ttl, processingTTL time.Duration, prefix string) (*SharedStore, error) {
	secs := func(d time.Duration) C.uint64_t {
		if d < 0 {
			return 0 // refused by the core, rather than wrapped around
		}
		return C.uint64_t(d / time.Second)
	}
	// "" is a valid prefix, but libhooksig refuses a NULL one: never pass NULL.
	b, p, n := nonNull(prefix)
	var out *C.hooksig_shared_store
	var cerr *C.hooksig_error
	st := C.hooksig_shared_store_new(secs(ttl), secs(processingTTL), p, n, &out, &cerr)
	runtime.KeepAlive(b)
	if st != C.HOOKSIG_OK {
		return nil, takeError(st, cerr)
	}
	s := &SharedStore{h: newStoreHandle(out)}
	return s, nil
}

// Command is the store command (Redis argv, name first) for step on a delivery key.
func (s *SharedStore) Command(step StoreStep, key string) ([]string, error) {
	b, p, n := nonNull(key)
	var out *C.hooksig_store_command
	var cerr *C.hooksig_error
	st := C.hooksig_shared_store_command(s.ptr(), C.int32_t(step), p, n, &out, &cerr)
	runtime.KeepAlive(s)
	runtime.KeepAlive(b)
	if st != C.HOOKSIG_OK {
		return nil, takeError(st, cerr)
	}
	defer C.hooksig_store_command_free(out)
	argc := int(C.hooksig_store_command_argc(out))
	argv := make([]string, argc)
	for i := range argv {
		var m C.size_t
		argv[i] = sized(C.hooksig_store_command_arg(out, C.size_t(i), &m), m)
	}
	return argv, nil
}

// Claimed reads the claim's outcome: GuardNew when it set the key; lookup is true when the
// StoreLookup command must be sent next (then LookedUp decides).
func (s *SharedStore) Claimed(wasSet bool) (answer GuardAnswer, lookup bool) {
	set := C.int32_t(0)
	if wasSet {
		set = 1
	}
	a := C.hooksig_shared_store_claimed(s.ptr(), set)
	runtime.KeepAlive(s)
	if a == C.HOOKSIG_STORE_LOOKUP_NEEDED {
		return 0, true
	}
	return GuardAnswer(a), false
}

// LookedUp reads the lookup's reply (exists false: no value): GuardDuplicate or
// GuardInProgress.
func (s *SharedStore) LookedUp(value string, exists bool) GuardAnswer {
	var a C.hooksig_guard_answer
	if exists {
		b, p, n := nonNull(value) // "" is an existing empty value, not NULL (no value)
		a = C.hooksig_shared_store_looked_up(s.ptr(), p, n)
		runtime.KeepAlive(b)
	} else {
		a = C.hooksig_shared_store_looked_up(s.ptr(), nil, 0)
	}
	runtime.KeepAlive(s)
	return GuardAnswer(a)
}

// TTL is how long a handled delivery is remembered.
func (s *SharedStore) TTL() time.Duration {
	t := uint64(C.hooksig_shared_store_ttl(s.ptr()))
	runtime.KeepAlive(s)
	return time.Duration(t) * time.Second
}

// ProcessingTTL is how long a claimed delivery stays "processing".
func (s *SharedStore) ProcessingTTL() time.Duration {
	t := uint64(C.hooksig_shared_store_processing_ttl(s.ptr()))
	runtime.KeepAlive(s)
	return time.Duration(t) * time.Second
}

// StoreConn runs one command of the contract on a shared store (Redis, or anything speaking
// its SET NX EX / GET / DEL semantics). reply is the reply as text ("OK", a value, an integer
// in decimal); exists is false for a nil reply (SET NX that did not set, GET of a missing key).
// The README shows a go-redis adapter.
type StoreConn interface {
	Run(ctx context.Context, argv []string) (reply string, exists bool, err error)
}

// StoreGuard is a ReplayGuard over a shared store: every process and machine using the same
// store sees the same deliveries. The commands and the reading of their replies are the core's
// (SharedStore); a command that fails or takes longer than Timeout makes Check answer
// GuardUnavailable (503). StoreConn.Run must honour its context's deadline.
type StoreGuard struct {
	Store *SharedStore
	Conn  StoreConn
	// Timeout bounds each command: 0 is StoreTimeout (the core's 2 s), negative is none.
	Timeout time.Duration
}

// NewStoreGuardFor is a StoreGuard for v: ttl = v.ReplayTTL(), DefaultProcessingTTL,
// DefaultStorePrefix, StoreTimeout.
func NewStoreGuardFor(conn StoreConn, v *Verifier) (*StoreGuard, error) {
	if v == nil || conn == nil {
		return nil, usageError(C.HOOKSIG_NULL_ARGUMENT, "conn and verifier are required")
	}
	store, err := NewSharedStore(v.ReplayTTL(), DefaultProcessingTTL, DefaultStorePrefix())
	if err != nil {
		return nil, err
	}
	return &StoreGuard{Store: store, Conn: conn, Timeout: StoreTimeout}, nil
}

func (g *StoreGuard) run(ctx context.Context, step StoreStep, key string) (string, bool, error) {
	argv, err := g.Store.Command(step, key)
	if err != nil {
		return "", false, err
	}
	timeout := g.Timeout
	if timeout == 0 {
		timeout = StoreTimeout
	}
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	return g.Conn.Run(ctx, argv)
}

// Check implements ReplayGuard: claim, and look up when the claim did not set the key.
func (g *StoreGuard) Check(ctx context.Context, key string) GuardAnswer {
	reply, exists, err := g.run(ctx, StoreClaim, key)
	if err != nil {
		return GuardUnavailable
	}
	answer, lookup := g.Store.Claimed(exists && reply == "OK")
	if !lookup {
		return answer
	}
	value, exists, err := g.run(ctx, StoreLookup, key)
	if err != nil {
		return GuardUnavailable
	}
	return g.Store.LookedUp(value, exists)
}

// Confirm implements ReplayGuard (best effort: a lost confirm lets the marker expire, and the
// retry runs the handler again).
func (g *StoreGuard) Confirm(ctx context.Context, key string) {
	_, _, _ = g.run(ctx, StoreKeep, key)
}

// Forget implements ReplayGuard (best effort: the marker expires after ProcessingTTL).
func (g *StoreGuard) Forget(ctx context.Context, key string) {
	_, _, _ = g.run(ctx, StoreRelease, key)
}
