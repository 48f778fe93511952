//go:build hooksig_dynamic

package hooksig

// Dynamic link (-tags hooksig_dynamic): libhooksig.so from the pkg-config prefix; at run time
// the loader must find libhooksig.so.0 (installed in a system library directory, or
// LD_LIBRARY_PATH).

// #cgo pkg-config: hooksig
import "C"
