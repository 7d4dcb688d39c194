#!/usr/bin/env bash
# CI check: `make install` over root-owned leftovers of older versions ends
# with Dokku's paths, owners and modes (see the reference layout). It lays
# the leftovers down, runs the install, and compares what it finds; run as
# root on a machine where the install may happen for real (CI, a test host).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ $(id -u) -ne 0 ]]; then
  echo "tests/install-leftovers.sh must run as root" >&2
  exit 1
fi

lib=/var/lib/dokku
home=/home/dokku

# Leftovers an older version (or a hand-run command as root) may have made;
# on a host that already has an install, its own files are turned into
# such leftovers.
for d in "$lib/config" "$lib/config/--global" "$lib/data" "$lib/config/config" "$lib/config/config/--global"; do
  install -d "$d"
  chown root:root "$d"
  chmod 0700 "$d"
done
env_file="$lib/config/--global/ENV"
touch "$env_file"
grep -q '^LEFTOVER_CHECK=' "$env_file" || printf 'LEFTOVER_CHECK="1"\n' >>"$env_file"
chown root:root "$env_file"
chmod 0644 "$env_file"

make install

failures=0
expect() {
  local path=$1 want=$2 got
  got=$(stat -c '%U:%G %a' "$path" 2>/dev/null || echo missing)
  if [[ "$got" != "$want" ]]; then
    echo "install-leftovers: $path is '$got', expected '$want'" >&2
    failures=$((failures + 1))
  fi
}

expect "$lib/config" "dokku:dokku 755"
expect "$lib/config/--global" "dokku:dokku 755"
expect "$lib/config/--global/ENV" "dokku:dokku 600"
expect "$lib/config/config" "dokku:dokku 755"
expect "$lib/data" "dokku:dokku 755"
expect "$home/.dokkurc" "dokku:dokku 755"
expect "$home/.ssh" "dokku:dokku 700"
expect "$home/.ssh/authorized_keys" "dokku:dokku 600"
expect "$home/.sshcommand" "dokku:dokku 644"
expect /etc/sudoers.d/dokku-nginx "root:root 440"

bucket=/etc/nginx/conf.d/server_names_hash_bucket_size.conf
if [[ "$(cat "$bucket" 2>/dev/null)" != "server_names_hash_bucket_size 512;" ]]; then
  echo "install-leftovers: $bucket does not hold 'server_names_hash_bucket_size 512;'" >&2
  failures=$((failures + 1))
fi
if ! su -s /bin/sh dokku -c "dokku config:get --global LEFTOVER_CHECK" | grep -qx 1; then
  echo "install-leftovers: the dokku user cannot read the global env after install" >&2
  failures=$((failures + 1))
fi
su -s /bin/sh dokku -c "dokku config:unset --global LEFTOVER_CHECK" >/dev/null

if ((failures)); then
  echo "install-leftovers: $failures problem(s)" >&2
  exit 1
fi
echo "install-leftovers: owners and modes are Dokku's"
