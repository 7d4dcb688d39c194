#!/usr/bin/env bash
# The README's main job: deploy the bundled sample app with a real
# `git push` through the same entry sshd's forced command uses, then show
# that it answers. Usage: demo.sh [APP]   (run as root after make install)
set -euo pipefail
APP="${1:-demo-app}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DOKKU="${DOKKU_BIN:-$(command -v dokku)}"

echo "-----> building the local base image (nothing is pulled)"
"$HERE/build-busybox-base.sh" >/dev/null

work="$(mktemp -d)"
tools="$(mktemp -d)"
trap 'rm -rf "$work" "$tools"' EXIT
cp -R "$HERE/dockerfile-sample/." "$work/"
# A stand-in for `ssh dokku@host`: hands the remote command to dokku the
# way sshd's forced command does.
cat >"$tools/ssh" <<SH
#!/bin/sh
for last; do :; done
exec env SSH_ORIGINAL_COMMAND="\$last" "$DOKKU"
SH
chmod +x "$tools/ssh"

git -C "$work" init -q -b main
git -C "$work" add -A
git -C "$work" -c user.name=demo -c user.email=demo@localhost commit -qm "sample app"
# Apps answer by name through nginx, under the global domain.
[[ -n "$("$DOKKU" domains:report --global --domains-global-vhosts 2>/dev/null)" ]] || "$DOKKU" domains:set-global dokku.me
"$DOKKU" apps:exists "$APP" 2>/dev/null || "$DOKKU" apps:create "$APP"
echo "-----> git push dokku main"
GIT_SSH_COMMAND="$tools/ssh" git -C "$work" push --force "dokku@localhost:$APP" main:main

"$DOKKU" apps:report "$APP"
ip_file="$(getent passwd dokku | cut -d: -f6)/$APP/IP.web.1"
port_file="${ip_file/IP./PORT.}"
if [[ -f "$ip_file" ]]; then
  url="http://$(cat "$ip_file"):$(cat "$port_file" 2>/dev/null || echo 5000)/"
  echo "=====> $APP answers at $url"
  curl -fsS --max-time 5 "$url" | head -n 5
fi
url="$("$DOKKU" plugin:trigger domains-urls "$APP" url 2>/dev/null | head -n 1)"
if [[ "$url" == http://* ]]; then
  hostport="${url#http://}"
  host="${hostport%%:*}"
  port=80
  [[ "$hostport" == *:* ]] && port="${hostport##*:}"
  echo "=====> $APP answers through nginx at $url/"
  curl -fsS --max-time 5 --resolve "$host:$port:127.0.0.1" "$url/" | head -n 5
fi
