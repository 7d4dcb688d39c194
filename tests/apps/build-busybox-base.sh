#!/bin/sh
# Builds the local base image the sample apps start FROM: scratch plus the
# host's static busybox with its applets installed. Nothing is pulled.
# Usage: build-busybox-base.sh [TAG]   (default dokku-sample-base:busybox)
set -eu
tag="${1:-dokku-sample-base:busybox}"
busybox="${BUSYBOX:-/bin/busybox}"
ctx="$(mktemp -d)"
trap 'rm -rf "$ctx"' EXIT
cp "$busybox" "$ctx/busybox"
cat >"$ctx/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
DOCKERFILE
docker build --quiet --tag "$tag" "$ctx" >/dev/null
echo "$tag"
