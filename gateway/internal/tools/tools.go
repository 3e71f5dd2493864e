//go:build tools

// Package tools pins the protoc plugins generate.sh installs, so that their
// versions come from this module's go.mod.
package tools

import (
	_ "github.com/grpc-ecosystem/grpc-gateway/v2/protoc-gen-grpc-gateway"
	_ "github.com/grpc-ecosystem/grpc-gateway/v2/protoc-gen-openapiv2"
)
