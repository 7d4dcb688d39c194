#!/usr/bin/env bash
# Build the dokku .deb from an already built binary.
#
#   debian/build-deb.sh <dokku-binary> <output-dir>
#
# Stages the package tree in a temporary directory (binary, its helper
# links, completions, copyright), fills in the control file
# and maintainer scripts, and runs dpkg-deb. Prints the path of the .deb.
# `make deb` calls it with the release binary; the package test calls it
# with the binary under test.
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 <dokku-binary> <output-dir>" >&2
  exit 2
fi
bin=$1
outdir=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(dirname "$here")

version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$top/Cargo.toml" | head -n1)
arch=$(dpkg --print-architecture)
git_rev=$(git -C "$top" rev-parse HEAD 2>/dev/null || true)
[[ -n "$version" ]] || { echo "no version in $top/Cargo.toml" >&2; exit 1; }
[[ -x "$bin" ]] || { echo "not an executable: $bin" >&2; exit 1; }

stage=$(mktemp -d "${TMPDIR:-/tmp}/dokku-deb.XXXXXX")
trap 'rm -rf "$stage"' EXIT
chmod 0755 "$stage"

install -D -m 0755 "$bin" "$stage/usr/bin/dokku"
if command -v strip >/dev/null; then
  strip --strip-unneeded "$stage/usr/bin/dokku"
fi
ln -s dokku "$stage/usr/bin/plugn"
ln -s dokku "$stage/usr/bin/sigil"
# Dokku's healthchecker path; the install step lets the dokku group run it
# through sudo.
ln -s dokku "$stage/usr/bin/docker-container-healthchecker"
# The storage plugin's root helper sits beside the main binary.
helper="$(dirname "$bin")/dokku-storage-helper"
if [[ -x "$helper" ]]; then
  install -D -m 0755 "$helper" "$stage/usr/bin/dokku-storage-helper"
fi
install -D -m 0644 "$here/copyright" "$stage/usr/share/doc/dokku/copyright"
# The manual page, compressed as Debian policy asks (no name or time
# stamp in the gzip header, so builds are reproducible).
install -d -m 0755 "$stage/usr/share/man/man1"
gzip -9n < "$top/contrib/man/dokku.1" > "$stage/usr/share/man/man1/dokku.1.gz"
chmod 0644 "$stage/usr/share/man/man1/dokku.1.gz"
install -D -m 0644 "$top/contrib/completion/dokku.bash" "$stage/usr/share/bash-completion/completions/dokku"
install -D -m 0644 "$top/contrib/completion/_dokku" "$stage/usr/share/zsh/vendor-completions/_dokku"

install -d -m 0755 "$stage/DEBIAN"
size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@INSTALLED_SIZE@/$size/" \
  "$here/control.in" >"$stage/DEBIAN/control"
for script in postinst prerm postrm; do
  sed -e "s/@VERSION@/$version/" -e "s/@GIT_REV@/$git_rev/" \
    "$here/$script" >"$stage/DEBIAN/$script"
  chmod 0755 "$stage/DEBIAN/$script"
done

mkdir -p "$outdir"
deb="$outdir/dokku_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zgzip --build "$stage" "$deb" >/dev/null
echo "$deb"
