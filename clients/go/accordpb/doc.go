// Package accordpb holds the Go messages and the AccordService client for
// accord/v1/*.proto. Its *.pb.go files are generated at build time by
// ../generate.sh (`go generate ./...` in clients/go) and never committed.
package accordpb
