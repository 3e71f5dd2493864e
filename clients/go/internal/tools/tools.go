//go:build tools

// Package tools pins the protoc plugins generate.sh installs, so that their
// versions come from this module's go.mod.
package tools

import (
	_ "google.golang.org/grpc/cmd/protoc-gen-go-grpc"
	_ "google.golang.org/protobuf/cmd/protoc-gen-go"
)
