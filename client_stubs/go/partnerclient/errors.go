package partnerclient

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"google.golang.org/genproto/googleapis/rpc/code"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// ErrorDetails is a failed call's status with the google.rpc details the
// gateway attaches in the grpc-status-details-bin trailer. A detail the
// status does not carry is nil.
type ErrorDetails struct {
	Code    codes.Code
	Message string
	// Why the call failed (Reason, e.g. "INVALID_REQUEST") and its context
	// (Metadata, e.g. "resume_after").
	ErrorInfo *errdetails.ErrorInfo
	// The request fields that failed validation.
	BadRequest *errdetails.BadRequest
	// The Partner's request id, for support.
	RequestInfo *errdetails.RequestInfo
	// How long to wait before trying again.
	RetryInfo *errdetails.RetryInfo
}

// DetailsOf reads the status and rich details of an error returned by a
// call; an error that is not a gRPC status reads as UNKNOWN.
func DetailsOf(err error) *ErrorDetails {
	st, _ := status.FromError(err)
	details := &ErrorDetails{Code: st.Code(), Message: st.Message()}
	for _, detail := range st.Details() {
		switch detail := detail.(type) {
		case *errdetails.ErrorInfo:
			details.ErrorInfo = detail
		case *errdetails.BadRequest:
			details.BadRequest = detail
		case *errdetails.RequestInfo:
			details.RequestInfo = detail
		case *errdetails.RetryInfo:
			details.RetryInfo = detail
		}
	}
	return details
}

// CodeName is a status code's canonical name, e.g. "INVALID_ARGUMENT"
// (codes.Code.String() says "InvalidArgument").
func CodeName(c codes.Code) string { return code.Code(c).String() }

// String is one line: code, message, then each detail, e.g.
// INVALID_ARGUMENT: … [reason INVALID_REQUEST] [field google_percent: …].
func (d *ErrorDetails) String() string {
	var text strings.Builder
	fmt.Fprintf(&text, "%s: %s", CodeName(d.Code), d.Message)
	if d.ErrorInfo != nil {
		fmt.Fprintf(&text, " [reason %s", d.ErrorInfo.GetReason())
		for _, key := range slices.Sorted(maps.Keys(d.ErrorInfo.GetMetadata())) {
			fmt.Fprintf(&text, " %s=%s", key, d.ErrorInfo.GetMetadata()[key])
		}
		text.WriteString("]")
	}
	for _, violation := range d.BadRequest.GetFieldViolations() {
		fmt.Fprintf(&text, " [field %s: %s]", violation.GetField(), violation.GetDescription())
	}
	if d.RequestInfo != nil {
		fmt.Fprintf(&text, " [request %s]", d.RequestInfo.GetRequestId())
	}
	if d.RetryInfo != nil {
		fmt.Fprintf(&text, " [retry after %s]", d.RetryInfo.GetRetryDelay().AsDuration())
	}
	return text.String()
}
