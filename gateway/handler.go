// Command accord_gateway serves Accord's API as HTTP/JSON for curl and
// browsers: a grpc-gateway reverse proxy in front of accord_server, routed by
// the google.api.http annotations of proto/accord/v1/accord_service.proto,
// plus the OpenAPI description at /openapi.json. See docs/http.md.
//
//go:generate ./generate.sh
package main

import (
	"context"
	"net/http"
	"strings"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	_ "google.golang.org/genproto/googleapis/rpc/errdetails" // decodes error details into JSON
	"google.golang.org/grpc"
	"google.golang.org/protobuf/encoding/protojson"

	"accord/gateway/internal/gw"
)

// NewHandler returns the HTTP handler: /v1/... proxied to the AccordService
// at conn, /openapi.json, and /healthz (200 once the handler exists; the
// backend's health is the server's own concern).
//
// Responses are proto3 JSON with lowerCamel names and without default
// values, as the conformance cases write them. A failed call answers with the
// HTTP status grpc-gateway maps its code to and a google.rpc.Status body
// ({"code", "message", "details": [ErrorInfo, BadRequest]}). The
// Authorization header is forwarded as gRPC metadata.
func NewHandler(ctx context.Context, conn *grpc.ClientConn) (http.Handler, error) {
	mux := runtime.NewServeMux(
		runtime.WithMarshalerOption(runtime.MIMEWildcard, &runtime.JSONPb{
			MarshalOptions:   protojson.MarshalOptions{EmitUnpopulated: false},
			UnmarshalOptions: protojson.UnmarshalOptions{DiscardUnknown: false},
		}),
	)
	if err := gw.RegisterAccordServiceHandler(ctx, mux, conn); err != nil {
		return nil, err
	}
	root := http.NewServeMux()
	root.Handle("/v1/", snakeReadMask(mux))
	root.HandleFunc("GET /openapi.json", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(gw.OpenAPI)
	})
	root.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte("ok\n"))
	})
	return root, nil
}

// snakeReadMask rewrites the readMask (or read_mask) query parameter from the
// lowerCamel paths of the JSON mapping ("name,signDate") to the proto field
// paths the server expects ("name,sign_date"). grpc-gateway passes a
// FieldMask query parameter through unconverted; a request body's readMask
// is already converted by protojson.
func snakeReadMask(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		changed := false
		for _, key := range []string{"readMask", "read_mask"} {
			vals, ok := q[key]
			if !ok {
				continue
			}
			for i, v := range vals {
				paths := strings.Split(v, ",")
				for j, p := range paths {
					paths[j] = CamelToSnake(strings.TrimSpace(p))
				}
				vals[i] = strings.Join(paths, ",")
			}
			changed = true
		}
		if changed {
			r2 := r.Clone(r.Context())
			r2.URL.RawQuery = q.Encode()
			r = r2
		}
		next.ServeHTTP(w, r)
	})
}

// CamelToSnake turns a lowerCamel field path into a proto one:
// "signDate.year" -> "sign_date.year". Snake paths are unchanged.
func CamelToSnake(path string) string {
	var b strings.Builder
	for _, c := range path {
		if c >= 'A' && c <= 'Z' {
			b.WriteByte('_')
			b.WriteRune(c - 'A' + 'a')
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}
