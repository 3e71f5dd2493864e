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
  clang libclang-rt-14-dev llvm
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

# Configures and builds into $BUILD_DIR. Extra arguments go to cmake.
build() {
  log "building into $BUILD_DIR"
  cmake -S "$ACCORD_ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  cmake --build "$BUILD_DIR" -j "$(nproc)"
}

# Installs the Python client and its `accord` CLI, offline, into a venv that
# sees Debian's grpcio and protobuf: $BUILD_DIR/pyvenv.
install_python_client() {
  local venv="$BUILD_DIR/pyvenv"
  log "installing the Python client into $venv"
  [ -x "$venv/bin/pip" ] || /usr/bin/python3 -m venv --system-site-packages "$venv"
  "$venv/bin/pip" install --quiet --no-index --no-build-isolation "$ACCORD_ROOT/clients/python"
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
# module proxy into $BUILD_DIR/tools/bin. Needs a Go toolchain (1.21+).
GRPCURL_VERSION=v1.9.1
install_go_tools() {
  [ -x "$BUILD_DIR/tools/bin/grpcurl" ] && return 0
  PATH="$PATH:/usr/local/go/bin"
  command -v go >/dev/null 2>&1 || { as_root apt-get update -q; as_root apt-get install -y -q --no-install-recommends golang-go; }
  log "installing grpcurl $GRPCURL_VERSION (go install)"
  GOBIN="$BUILD_DIR/tools/bin" GOFLAGS=-mod=mod go install "github.com/fullstorydev/grpcurl/cmd/grpcurl@$GRPCURL_VERSION"
}
