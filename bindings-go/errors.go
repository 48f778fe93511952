package hooksig

// #include <hooksig.h>
import "C"

import "fmt"

// Error is every error this package returns: a rejected request, a refused configuration, a
// receiver or replay-store condition or a usage error. Code is the stable string code every
// hooksig binding shares; errors.Is(err, ErrSignatureMismatch) compares codes.
type Error struct {
	// Code is the shared string code, e.g. "signature_mismatch" (see the Err* values).
	Code string
	// Status is libhooksig's numeric hooksig_status for Code.
	Status int
	// Header is the canonical name of the header the error is about, or "".
	Header string
	// Message is a human, secret-free description.
	Message string
}

func (e *Error) Error() string {
	if e.Header != "" {
		return fmt.Sprintf("hooksig: %s (%s): %s", e.Code, e.Header, e.Message)
	}
	return fmt.Sprintf("hooksig: %s: %s", e.Code, e.Message)
}

// Is reports whether target is an *Error with the same Code (so errors.Is(err,
// hooksig.ErrTimestampExpired) works through wrapping).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// HTTPStatus is the status a webhook receiver answers for this error (the core's table: 400
// for a missing or malformed header, 401 for a bad signature or stale timestamp, 405 / 413 /
// 409 / 503 for the receiver codes, 500 otherwise).
func (e *Error) HTTPStatus() int {
	return int(C.hooksig_status_http_status(C.int32_t(e.Status)))
}

// IsVerification reports whether the request was rejected (missing or malformed headers, bad
// signature, stale timestamp).
func (e *Error) IsVerification() bool {
	return C.hooksig_status_is_verification_error(C.int32_t(e.Status)) != 0
}

// IsConfig reports whether a configuration was refused (building a verifier, a scheme or
// signing: invalid_secret, unknown_scheme, invalid_config, invalid_argument).
func (e *Error) IsConfig() bool {
	return C.hooksig_status_is_config_error(C.int32_t(e.Status)) != 0
}

func codeError(status C.int32_t) *Error {
	return &Error{
		Code:    C.GoString(C.hooksig_status_code(status)),
		Status:  int(status),
		Message: C.GoString(C.hooksig_status_message(status)),
	}
}

// The shared codes, for errors.Is. Only Code is compared.
var (
	ErrMissingSignature       = codeError(C.HOOKSIG_MISSING_SIGNATURE)
	ErrMissingTimestamp       = codeError(C.HOOKSIG_MISSING_TIMESTAMP)
	ErrMissingID              = codeError(C.HOOKSIG_MISSING_ID)
	ErrMalformedSignature     = codeError(C.HOOKSIG_MALFORMED_SIGNATURE)
	ErrMalformedTimestamp     = codeError(C.HOOKSIG_MALFORMED_TIMESTAMP)
	ErrTimestampExpired       = codeError(C.HOOKSIG_TIMESTAMP_EXPIRED)
	ErrTimestampInFuture      = codeError(C.HOOKSIG_TIMESTAMP_IN_FUTURE)
	ErrSignatureMismatch      = codeError(C.HOOKSIG_SIGNATURE_MISMATCH)
	ErrInvalidSecret          = codeError(C.HOOKSIG_INVALID_SECRET)
	ErrUnknownScheme          = codeError(C.HOOKSIG_UNKNOWN_SCHEME)
	ErrInvalidConfig          = codeError(C.HOOKSIG_INVALID_CONFIG)
	ErrMethodNotAllowed       = codeError(C.HOOKSIG_METHOD_NOT_ALLOWED)
	ErrBodyTooLarge           = codeError(C.HOOKSIG_BODY_TOO_LARGE)
	ErrBodyReadFailed         = codeError(C.HOOKSIG_BODY_READ_FAILED)
	ErrDeliveryInProgress     = codeError(C.HOOKSIG_DELIVERY_IN_PROGRESS)
	ErrReplayStoreUnavailable = codeError(C.HOOKSIG_REPLAY_STORE_UNAVAILABLE)
	ErrNullArgument           = codeError(C.HOOKSIG_NULL_ARGUMENT)
	ErrInvalidArgument        = codeError(C.HOOKSIG_INVALID_ARGUMENT)
	ErrInvalidUTF8            = codeError(C.HOOKSIG_INVALID_UTF8)
	ErrInternal               = codeError(C.HOOKSIG_INTERNAL)
)

// takeError converts a failed call's status and hooksig_error (which it frees) into an *Error.
func takeError(status C.hooksig_status, err *C.hooksig_error) *Error {
	e := codeError(C.int32_t(status))
	if err != nil {
		e.Code = C.GoString(C.hooksig_error_code(err))
		if h := C.hooksig_error_header(err); h != nil {
			e.Header = C.GoString(h)
		}
		e.Message = C.GoString(C.hooksig_error_message(err))
		C.hooksig_error_free(err)
	}
	return e
}

// usageError is an error raised on the Go side before calling the library (nil handles,
// out-of-range sizes), with libhooksig's code for it.
func usageError(status C.int32_t, message string) *Error {
	e := codeError(status)
	e.Message = message
	return e
}
