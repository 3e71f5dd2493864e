# Podman settings for Accord's image scripts: rootful, vfs storage, runc,
# cgroupfs, with storage kept apart from any other podman use. Source it
# after scripts/lib.sh.
#
# The storage (the debootstrapped base, the images) and the build's ccache
# live in /var/cache/accord-container, outside the clone, so that a fresh
# clone (as in CI) reuses the base and compiles only what changed; delete
# the directory to start over.
ACCORD_CONTAINER_ROOT="${ACCORD_CONTAINER_ROOT:-/var/cache/accord-container}"
ACCORD_CONTAINER_CCACHE="${ACCORD_CONTAINER_CCACHE:-$ACCORD_CONTAINER_ROOT/ccache}"
mkdir -p "$ACCORD_CONTAINER_ROOT"

podman_() {
  as_root podman --storage-driver vfs --root "$ACCORD_CONTAINER_ROOT/storage" \
    --runroot "$ACCORD_CONTAINER_ROOT/run" --runtime runc --cgroup-manager cgroupfs \
    --events-backend file "$@"
}
