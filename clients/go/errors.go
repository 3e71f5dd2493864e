package accord

import (
	"errors"
	"fmt"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Error is a failed Accord call with its google.rpc details decoded
// (docs/errors.md lists every reason). Use errors.As to get one:
//
//	var e *accord.Error
//	if errors.As(err, &e) && e.Reason == "FILTER_SYNTAX" { ... e.FieldViolations[0].Field ... }
type Error struct {
	// Code is the canonical gRPC code.
	Code codes.Code
	// Message is for developers; it may change between versions.
	Message string
	// Reason, Domain and Metadata come from the ErrorInfo; empty when the
	// status carried none (e.g. a deadline that passed in this client).
	Reason   string
	Domain   string
	Metadata map[string]string
	// FieldViolations come from the BadRequest, in order; nil if none.
	FieldViolations []*errdetails.BadRequest_FieldViolation

	status *status.Status
}

// Error formats e as "accord: CODE REASON (field): message".
func (e *Error) Error() string {
	s := "accord: " + e.Code.String()
	if e.Reason != "" {
		s += " " + e.Reason
	}
	if len(e.FieldViolations) > 0 {
		s += " (" + e.FieldViolations[0].GetField() + ")"
	}
	return fmt.Sprintf("%s: %s", s, e.Message)
}

// GRPCStatus returns the status e was made from, so status.FromError and
// status.Code keep working on an *Error.
func (e *Error) GRPCStatus() *status.Status { return e.status }

// FromError returns err as an *Error: err itself if it already is one, its
// decoded gRPC status otherwise (codes.Unknown for an error that carries
// none). nil stays nil.
func FromError(err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	st, _ := status.FromError(err)
	e = &Error{Code: st.Code(), Message: st.Message(), status: st}
	for _, d := range st.Details() {
		switch d := d.(type) {
		case *errdetails.ErrorInfo:
			e.Reason, e.Domain, e.Metadata = d.GetReason(), d.GetDomain(), d.GetMetadata()
		case *errdetails.BadRequest:
			e.FieldViolations = append(e.FieldViolations, d.GetFieldViolations()...)
		}
	}
	return e
}
