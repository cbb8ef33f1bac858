package sim

import (
	"errors"
	"fmt"
)

// ErrorCode says what kind of failure an Error is. Adapters map each code
// to their own form in one place: an HTTP status, a websocket error code.
type ErrorCode string

// The error codes.
const (
	ENotFound     ErrorCode = "not_found"    // no such call, scenario, user...
	EInvalid      ErrorCode = "invalid"      // the request or its data cannot be used as it is
	EConflict     ErrorCode = "conflict"     // it clashes with what is stored (turn n already taken, call ended)
	EUnauthorized ErrorCode = "unauthorized" // the caller is not who may do this
	EInternal     ErrorCode = "internal"     // anything else; the message is not shown to users
)

// An Error is a failure a user may be told about: Message is written for
// people and never holds Go type names or internal details. Any other
// error is internal.
type Error struct {
	Code    ErrorCode
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Errorf returns an Error with a formatted message.
func Errorf(code ErrorCode, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCodeOf returns the code of the Error in err's chain, EInternal for
// any other error, and "" for nil.
func ErrorCodeOf(err error) ErrorCode {
	if err == nil {
		return ""
	}
	if e := asError(err); e != nil {
		return e.Code
	}
	return EInternal
}

// ErrorMessage returns the message of the Error in err's chain, or
// "internal error" for any other error, so details never reach users.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	if e := asError(err); e != nil {
		return e.Message
	}
	return "internal error"
}

func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}
