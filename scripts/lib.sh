# Shared by the scripts in this folder: installing what is missing and
# building. Source it; do not run it.
set -euo pipefail
ACCORD_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ACCORD_ROOT/build}"

# Debian packages the build, the server, the tests and the Python client need.
ACCORD_APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler libabsl-dev
  libgtest-dev libgmock-dev libbenchmark-dev libroaring-dev libsqlite3-dev
  libxapian-dev
  # XXH3 checksums of compiled catalogues (service/catalog/compiled_file.h)
  libxxhash-dev
  clang libclang-rt-14-dev llvm clang-format-14
  python3 python3-grpcio python3-protobuf python3-pytest python3-venv python3-setuptools python3-wheel python3-pip-whl
  openssl nghttp2-client procps
  # deploy (docs/deploy.md): metrics library, promtool and Prometheus for the tests
  prometheus-cpp-dev prometheus
)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs the Debian packages that are not installed yet (apt-get update
# runs only when something is missing), then buf from the npm registry.
install_deps() {
  local missing=()
  for pkg in "${ACCORD_APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  # Node.js may come from another packaging that bundles npm (and conflicts
  # with Debian's npm package): install Debian's only when npm is absent.
  command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
  if [ ! -x "$ACCORD_ROOT/tools/node_modules/.bin/buf" ]; then
    log "installing buf from the npm registry"
    (cd "$ACCORD_ROOT/tools" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# Configures and builds into $BUILD_DIR. Extra arguments go to cmake; set
# ACCORD_BUILD_TARGETS to build only some targets.
build() {
  log "building into $BUILD_DIR"
  cmake -S "$ACCORD_ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  # ACCORD_BUILD_TARGETS: only these targets (e.g. the container's binaries).
  cmake --build "$BUILD_DIR" -j "$(nproc)" ${ACCORD_BUILD_TARGETS:+--target $ACCORD_BUILD_TARGETS}
}

# Installs the Python client and its `accord` CLI into $BUILD_DIR/pyvenv. pip
# builds the wheel (protobuf modules generated from proto/ by grpcio-tools)
# and fetches its dependencies from the package index.
install_python_client() {
  local venv="$BUILD_DIR/pyvenv"
  log "installing the Python client into $venv"
  # An older venv shared Debian's site packages; the client now brings its own.
  if grep -qs "include-system-site-packages = true" "$venv/pyvenv.cfg"; then rm -rf "$venv"; fi
  [ -x "$venv/bin/pip" ] || /usr/bin/python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "$ACCORD_ROOT/clients/python"
}

# The toolchains of the TypeScript and Java clients (tests/conformance/
# run_clients.sh): Node.js and npm, a JDK and Maven, from Debian's packages.
install_client_toolchains() {
  local missing=()
  for pkg in openjdk-17-jdk-headless maven; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
}

# Google's googleapis protos (google.rpc, google.api), pinned in
# proto/googleapis/requirements.txt, fetched once into $BUILD_DIR/googleapis
# (where CMake, buf.yaml and the clients look). See docs/clients.md.
fetch_googleapis() {
  export ACCORD_GOOGLEAPIS_DIR="${ACCORD_GOOGLEAPIS_DIR:-$BUILD_DIR/googleapis}"
  /usr/bin/python3 "$ACCORD_ROOT/proto/googleapis/fetch.py" "$ACCORD_GOOGLEAPIS_DIR"
}

# Go >= 1.23 (iter.Seq2) for clients/go and gateway/. A `go` on PATH that is
# new enough is used as is. Otherwise any go (Debian's golang-go 1.19 if none)
# downloads the toolchain module golang.org/toolchain of ACCORD_GO_VERSION
# through the Go module proxy, the way GOTOOLCHAIN does, into
# $BUILD_DIR/go-toolchain, which is put first on PATH.
ACCORD_GO_VERSION="${ACCORD_GO_VERSION:-1.23.12}"
install_go() {
  local local_go="$BUILD_DIR/go-toolchain/bin/go"
  if [ -x "$local_go" ]; then export PATH="$BUILD_DIR/go-toolchain/bin:$PATH"; fi
  if command -v go >/dev/null 2>&1 &&
     go version | grep -Eq 'go1\.(2[3-9]|[3-9][0-9])(\.|[^0-9])'; then
    export GOTOOLCHAIN=local
    return 0
  fi
  if ! command -v go >/dev/null 2>&1; then
    log "installing Debian's golang-go (to download a newer Go toolchain)"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends golang-go
  fi
  local arch mod dir
  arch="$(go env GOARCH)"
  mod="golang.org/toolchain@v0.0.1-go${ACCORD_GO_VERSION}.linux-${arch}"
  log "downloading Go ${ACCORD_GO_VERSION} ($mod) through the Go module proxy"
  dir="$(cd "$(mktemp -d)" && GOFLAGS=-mod=mod GO111MODULE=on go mod download -json "$mod" |
         /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["Dir"])')"
  rm -rf "$BUILD_DIR/go-toolchain"
  mkdir -p "$BUILD_DIR"
  cp -r "$dir" "$BUILD_DIR/go-toolchain"
  chmod -R u+w "$BUILD_DIR/go-toolchain"
  chmod +x "$BUILD_DIR/go-toolchain"/bin/* "$BUILD_DIR/go-toolchain"/pkg/tool/*/*
  export PATH="$BUILD_DIR/go-toolchain/bin:$PATH" GOTOOLCHAIN=local
  go version
}

# The container tools of deploy/container (podman with runc, debootstrap),
# installed only by the stages that build or run the image.
ACCORD_CONTAINER_PACKAGES=(podman runc debootstrap containernetworking-plugins iptables uidmap)
install_container_tools() {
  local missing=()
  for pkg in "${ACCORD_CONTAINER_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
}

# grpcurl, for the deploy tests (tests/deploy/grpcurl_test.sh), from the Go
# module proxy into $BUILD_DIR/tools/bin, with the Go of install_go.
GRPCURL_VERSION=v1.9.1
install_go_tools() {
  [ -x "$BUILD_DIR/tools/bin/grpcurl" ] && return 0
  install_go
  log "installing grpcurl $GRPCURL_VERSION (go install)"
  GOBIN="$BUILD_DIR/tools/bin" GOFLAGS=-mod=mod go install "github.com/fullstorydev/grpcurl/cmd/grpcurl@$GRPCURL_VERSION"
}
