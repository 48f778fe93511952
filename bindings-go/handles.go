package hooksig

// #include <hooksig.h>
import "C"

import "runtime"

// Every libhooksig object is owned by a small handle struct whose finalizer frees it. The
// public types point at their handle, so a copy of a public value (say *verified) shares the
// handle and keeps the object alive: nothing is freed while any copy can still reach it. A nil
// or zero value passes NULL, which libhooksig answers with "null_argument".

type schemeHandle struct{ p *C.hooksig_scheme }
type verifierHandle struct{ p *C.hooksig_verifier }
type verifiedHandle struct{ p *C.hooksig_verified }
type receiverHandle struct{ p *C.hooksig_receiver }
type guardHandle struct{ p *C.hooksig_replay_guard }
type storeHandle struct{ p *C.hooksig_shared_store }

func newSchemeHandle(p *C.hooksig_scheme) *schemeHandle {
	h := &schemeHandle{p}
	runtime.SetFinalizer(h, func(h *schemeHandle) { C.hooksig_scheme_free(h.p) })
	return h
}

func newVerifierHandle(p *C.hooksig_verifier) *verifierHandle {
	h := &verifierHandle{p}
	runtime.SetFinalizer(h, func(h *verifierHandle) { C.hooksig_verifier_free(h.p) })
	return h
}

func newVerifiedHandle(p *C.hooksig_verified) *verifiedHandle {
	h := &verifiedHandle{p}
	runtime.SetFinalizer(h, func(h *verifiedHandle) { C.hooksig_verified_free(h.p) })
	return h
}

func newReceiverHandle(p *C.hooksig_receiver) *receiverHandle {
	h := &receiverHandle{p}
	runtime.SetFinalizer(h, func(h *receiverHandle) { C.hooksig_receiver_free(h.p) })
	return h
}

func newGuardHandle(p *C.hooksig_replay_guard) *guardHandle {
	h := &guardHandle{p}
	runtime.SetFinalizer(h, func(h *guardHandle) { C.hooksig_replay_guard_free(h.p) })
	return h
}

func newStoreHandle(p *C.hooksig_shared_store) *storeHandle {
	h := &storeHandle{p}
	runtime.SetFinalizer(h, func(h *storeHandle) { C.hooksig_shared_store_free(h.p) })
	return h
}

func (s *Scheme) ptr() *C.hooksig_scheme {
	if s == nil || s.h == nil {
		return nil
	}
	return s.h.p
}

func (v *Verifier) ptr() *C.hooksig_verifier {
	if v == nil || v.h == nil {
		return nil
	}
	return v.h.p
}

func (v *Verified) ptr() *C.hooksig_verified {
	if v == nil || v.h == nil {
		return nil
	}
	return v.h.p
}

func (r *Receiver) ptr() *C.hooksig_receiver {
	if r == nil || r.h == nil {
		return nil
	}
	return r.h.p
}

func (g *MemoryGuard) ptr() *C.hooksig_replay_guard {
	if g == nil || g.h == nil {
		return nil
	}
	return g.h.p
}

func (s *SharedStore) ptr() *C.hooksig_shared_store {
	if s == nil || s.h == nil {
		return nil
	}
	return s.h.p
}
