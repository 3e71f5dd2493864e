#!/usr/bin/env bash
# Generates the Go messages and gRPC stubs (package accordpb) from the
# repository's proto/ at build time; `go generate ./...` runs it. Nothing it
# writes is committed.
#
# Needs: protoc (Debian: protobuf-compiler), Go >= 1.23, python3 (to fetch
# Google's googleapis protos once, see proto/googleapis/fetch.py).
# protoc-gen-go and protoc-gen-go-grpc are installed at the versions go.mod
# pins into $ACCORD_GOBIN (default: <repo>/build/go/bin).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
gobin="${ACCORD_GOBIN:-$repo/build/go/bin}"
googleapis="${ACCORD_GOOGLEAPIS_DIR:-$repo/build/googleapis}"
module="accord/clients/go"

[ -f "$googleapis/google/rpc/status.proto" ] ||
  python3 "$repo/proto/googleapis/fetch.py" "$googleapis"
mkdir -p "$gobin"
(cd "$here" && GOBIN="$gobin" go install \
  google.golang.org/protobuf/cmd/protoc-gen-go google.golang.org/grpc/cmd/protoc-gen-go-grpc)

cd "$repo/proto"
protos=(accord/v1/*.proto)
# The Accord protos carry no go_package option: map every file to accordpb.
maps=()
for p in "${protos[@]}"; do maps+=("M$p=$module/accordpb;accordpb"); done
go_opts=(--go_opt=module=$module)
grpc_opts=(--go-grpc_opt=module=$module)
for m in "${maps[@]}"; do go_opts+=("--go_opt=$m"); grpc_opts+=("--go-grpc_opt=$m"); done
rm -f "$here"/accordpb/*.pb.go
protoc -I. -I"$googleapis" -I/usr/include \
  --plugin=protoc-gen-go="$gobin/protoc-gen-go" --plugin=protoc-gen-go-grpc="$gobin/protoc-gen-go-grpc" \
  --go_out="$here" "${go_opts[@]}" --go-grpc_out="$here" "${grpc_opts[@]}" "${protos[@]}"
echo "generate.sh: $(ls "$here"/accordpb/*.go | wc -l) files in $here/accordpb" >&2
