//go:build !hooksig_dynamic

package hooksig

// Static link (the default): libhooksig.a from the pkg-config prefix, plus the system libraries
// it needs (hooksig.pc's native_static_libs, via --static). GNU ld applies every -L to every -l,
// so -l:libhooksig.a finds the archive in pkg-config's libdir; --as-needed then drops the
// -lhooksig shared library that pkg-config also names, whose symbols the archive already gave.
// The binary needs no libhooksig.so at run time. Build with -tags hooksig_dynamic to link the
// shared library instead.

// #cgo pkg-config: --static hooksig
// #cgo LDFLAGS: -l:libhooksig.a -Wl,--as-needed
import "C"
