# Podman settings for Accord's image scripts: rootful, vfs storage, runc,
# cgroupfs, with storage kept apart from any other podman use. Source it
# after scripts/lib.sh.
ACCORD_CONTAINER_ROOT="${ACCORD_CONTAINER_ROOT:-$BUILD_DIR/container}"
ACCORD_CONTAINER_CCACHE="${ACCORD_CONTAINER_CCACHE:-$ACCORD_CONTAINER_ROOT/ccache}"
mkdir -p "$ACCORD_CONTAINER_ROOT"

podman_() {
  as_root podman --storage-driver vfs --root "$ACCORD_CONTAINER_ROOT/storage" \
    --runroot "$ACCORD_CONTAINER_ROOT/run" --runtime runc --cgroup-manager cgroupfs \
    --events-backend file "$@"
}
