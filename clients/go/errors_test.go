package accord_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	accord "accord/clients/go"
)

func TestFromErrorDecodesDetails(t *testing.T) {
	st, err := status.New(codes.InvalidArgument, "offset 3: unexpected token").WithDetails(
		&errdetails.ErrorInfo{Reason: "FILTER_SYNTAX", Domain: "accord",
			Metadata: map[string]string{"offset": "3"}},
		&errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{
			{Field: "filter", Description: "offset 3: unexpected token"}}})
	if err != nil {
		t.Fatal(err)
	}
	wrapped := fmt.Errorf("listing: %w", accord.FromError(st.Err()))
	var e *accord.Error
	if !errors.As(wrapped, &e) {
		t.Fatalf("errors.As: not an *accord.Error: %v", wrapped)
	}
	if e.Code != codes.InvalidArgument || e.Reason != "FILTER_SYNTAX" || e.Domain != "accord" ||
		e.Metadata["offset"] != "3" || len(e.FieldViolations) != 1 ||
		e.FieldViolations[0].GetField() != "filter" {
		t.Errorf("decoded %+v", e)
	}
	if got, want := e.Error(), "accord: InvalidArgument FILTER_SYNTAX (filter): offset 3: unexpected token"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if status.Code(e) != codes.InvalidArgument {
		t.Errorf("status.Code(*Error) = %v", status.Code(e))
	}
	if accord.FromError(e) != error(e) {
		t.Errorf("FromError(*Error) is not the same error")
	}
}

func TestFromErrorWithoutDetails(t *testing.T) {
	if accord.FromError(nil) != nil {
		t.Errorf("FromError(nil) != nil")
	}
	var e *accord.Error
	if !errors.As(accord.FromError(errors.New("plain")), &e) || e.Code != codes.Unknown ||
		e.Reason != "" || e.FieldViolations != nil {
		t.Errorf("plain error decoded as %+v", e)
	}
	if !errors.As(accord.FromError(status.Error(codes.DeadlineExceeded, "late")), &e) ||
		e.Code != codes.DeadlineExceeded || e.Message != "late" || e.Reason != "" {
		t.Errorf("deadline decoded as %+v", e)
	}
}

func TestVersionIsTheRepositoryVersion(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot(t), "VERSION"))
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.TrimSpace(string(data)); accord.Version != want {
		t.Errorf("Version = %q, VERSION file says %q", accord.Version, want)
	}
}
