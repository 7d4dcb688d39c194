#!/usr/bin/env bash
# Print the tag of a clean Debian image for the package test, building it
# first when the tag is not there yet:
#
#   tests/deb/base-image.sh <tag> [<suite>]
#
# The image is a `debootstrap --variant=minbase` tree from Debian's mirror,
# imported with `docker import`; nothing is pulled from a registry. As in
# Debian's own container images, a policy-rc.d keeps package installs from
# starting services. debootstrap is installed with apt when missing.
set -euo pipefail

tag=${1:?usage: base-image.sh <tag> [<suite>]}
suite=${2:-bookworm}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

if docker image inspect "$tag" >/dev/null 2>&1; then
  echo "$tag"
  exit 0
fi

if ! command -v debootstrap >/dev/null; then
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/dokku-debootstrap.XXXXXX")
cleanup() {
  # Never delete through a mount debootstrap may have left behind.
  awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do
    umount -l "$m" || true
  done
  rm -rf "$dir"
}
trap cleanup EXIT

if ! debootstrap --variant=minbase "$suite" "$dir/root" "$mirror" >"$dir/log" 2>&1; then
  tail -n 40 "$dir/log" >&2
  exit 1
fi
printf '#!/bin/sh\nexit 101\n' >"$dir/root/usr/sbin/policy-rc.d"
chmod 0755 "$dir/root/usr/sbin/policy-rc.d"
rm -f "$dir/root/var/cache/apt/archives/"*.deb
rm -rf "$dir/root/var/lib/apt/lists/"*
tar -C "$dir/root" -c . | docker import - "$tag" >/dev/null
echo "$tag"
