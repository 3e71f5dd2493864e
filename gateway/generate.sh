#!/usr/bin/env bash
# Generates the gateway's reverse proxy (protoc-gen-grpc-gateway) and its
# OpenAPI description (protoc-gen-openapiv2) from proto/ at build time, after
# the Go client's messages (../clients/go/generate.sh). `go generate ./...`
# runs it. Nothing it writes is committed.
#
# The plugins are installed at the versions go.mod pins into $ACCORD_GOBIN
# (default: <repo>/build/go/bin).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
gobin="${ACCORD_GOBIN:-$repo/build/go/bin}"
googleapis="${ACCORD_GOOGLEAPIS_DIR:-$repo/build/googleapis}"
pbmod="accord/clients/go/accordpb"
out="$here/internal/gw"

"$repo/clients/go/generate.sh"
(cd "$here" && GOBIN="$gobin" go install \
  github.com/grpc-ecosystem/grpc-gateway/v2/protoc-gen-grpc-gateway \
  github.com/grpc-ecosystem/grpc-gateway/v2/protoc-gen-openapiv2)

cd "$repo/proto"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
protos=(accord/v1/*.proto)
gw_opts=(--grpc-gateway_opt=standalone=true --grpc-gateway_opt=paths=source_relative)
# The OpenAPI document's title and version (the repository's VERSION).
cat >"$tmp/openapi.yaml" <<YAML
openapiOptions:
  file:
    - file: accord/v1/accord_service.proto
      option:
        info:
          title: Accord API
          description: >-
            Read-only access to the Accord catalogue over HTTP/JSON, served by
            the grpc-gateway in front of accord.v1.AccordService. Errors are
            google.rpc.Status JSON with ErrorInfo and BadRequest details
            (docs/errors.md).
          version: "$(cat "$repo/VERSION")"
YAML
oa_opts=(--openapiv2_opt=allow_merge=true,merge_file_name=accord
         --openapiv2_opt=openapi_configuration="$tmp/openapi.yaml")
for p in "${protos[@]}"; do
  gw_opts+=("--grpc-gateway_opt=M$p=$pbmod;accordpb")
  oa_opts+=("--openapiv2_opt=M$p=$pbmod;accordpb")
done
protoc -I. -I"$googleapis" -I/usr/include \
  --plugin=protoc-gen-grpc-gateway="$gobin/protoc-gen-grpc-gateway" \
  --plugin=protoc-gen-openapiv2="$gobin/protoc-gen-openapiv2" \
  --grpc-gateway_out="$tmp" "${gw_opts[@]}" \
  --openapiv2_out="$tmp" "${oa_opts[@]}" \
  accord/v1/accord_service.proto
mkdir -p "$out"
rm -f "$out"/*.pb.gw.go "$out"/*.swagger.json
mv "$tmp"/accord/v1/*.pb.gw.go "$tmp"/*.swagger.json "$out/"
# One package per directory: the generated code says `package accordpb`.
sed -i 's/^package accordpb$/package gw/' "$out"/*.pb.gw.go
echo "generate.sh: $(cd "$out" && ls *.pb.gw.go *.swagger.json | tr '\n' ' ')in $out" >&2
