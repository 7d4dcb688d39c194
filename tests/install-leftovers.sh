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

# Dokku's storage sudo helpers, listed in the sudoers file the storage
# install writes, and usable by the dokku user through sudo.
bin_dir="$lib/plugins/available/storage/bin"
for h in chown-storage-dir chmod-storage-dir destroy-storage-dir; do
  if [[ ! -x "$bin_dir/$h" ]]; then
    echo "install-leftovers: $bin_dir/$h is missing" >&2
    failures=$((failures + 1))
  fi
done
expect /etc/sudoers.d/dokku-storage "root:root 440"
want_sudoers="%dokku ALL=(ALL) NOPASSWD:$bin_dir/chown-storage-dir *
%dokku ALL=(ALL) NOPASSWD:$bin_dir/chmod-storage-dir *
%dokku ALL=(ALL) NOPASSWD:$bin_dir/destroy-storage-dir *
Defaults env_keep += \"DOKKU_LIB_ROOT\""
if [[ "$(cat /etc/sudoers.d/dokku-storage 2>/dev/null)" != "$want_sudoers" ]]; then
  echo "install-leftovers: /etc/sudoers.d/dokku-storage is not Dokku's:" >&2
  cat /etc/sudoers.d/dokku-storage >&2 || true
  failures=$((failures + 1))
fi
visudo -cf /etc/sudoers.d/dokku-storage >/dev/null || {
  echo "install-leftovers: /etc/sudoers.d/dokku-storage does not pass visudo" >&2
  failures=$((failures + 1))
}
for d in "$lib/data/storage" "$lib/data/storage-registry" "$lib/data/storage-registry/entries" "$lib/data/storage-registry/migrations"; do
  expect "$d" "dokku:dokku 755"
done
store="install-leftovers-$$"
if su -s /bin/sh dokku -c "dokku storage:ensure-directory --chown herokuish $store" >/dev/null &&
  [[ "$(stat -c '%u %a' "$lib/data/storage/$store" 2>/dev/null)" == "32767 755" ]] &&
  su -s /bin/sh dokku -c "sudo -n $bin_dir/chmod-storage-dir $lib/data/storage/$store 0750" &&
  [[ "$(stat -c '%a' "$lib/data/storage/$store")" == "750" ]] &&
  su -s /bin/sh dokku -c "sudo -n $bin_dir/destroy-storage-dir $lib/data/storage/$store" &&
  [[ ! -e "$lib/data/storage/$store" ]]; then
  :
else
  echo "install-leftovers: the dokku user cannot use the storage helpers through sudo" >&2
  failures=$((failures + 1))
fi
rm -rf "${lib:?}/data/storage/$store"
if su -s /bin/sh dokku -c "sudo -n $bin_dir/destroy-storage-dir /etc" 2>/dev/null; then
  echo "install-leftovers: destroy-storage-dir accepted a path outside the storage root" >&2
  failures=$((failures + 1))
fi

# The ps:retire schedule: a systemd timer where systemd runs, else a cron
# entry; and the command it runs works as the dokku user.
if [[ -d /run/systemd/system ]]; then
  expect /etc/systemd/system/dokku-retire.service "root:root 644"
  expect /etc/systemd/system/dokku-retire.timer "root:root 644"
  grep -qx 'OnCalendar=\*:0/5' /etc/systemd/system/dokku-retire.timer || {
    echo "install-leftovers: dokku-retire.timer does not run every 5 minutes" >&2
    failures=$((failures + 1))
  }
  systemctl is-enabled --quiet dokku-retire.timer || {
    echo "install-leftovers: dokku-retire.timer is not enabled" >&2
    failures=$((failures + 1))
  }
  retire_cmd=$(sed -n 's/^ExecStart=//p' /etc/systemd/system/dokku-retire.service)
else
  expect /etc/cron.d/dokku-retire "root:root 644"
  retire_line=$(grep -E '^\*/5 \* \* \* \* dokku ' /etc/cron.d/dokku-retire 2>/dev/null || true)
  retire_cmd=${retire_line#'*/5 * * * * dokku '}
  retire_cmd=${retire_cmd%% >>*}
fi
if [[ "$retire_cmd" != "/usr/bin/dokku ps:retire" ]]; then
  echo "install-leftovers: the retire schedule runs '$retire_cmd', expected '/usr/bin/dokku ps:retire'" >&2
  failures=$((failures + 1))
elif ! su -s /bin/sh dokku -c "$retire_cmd"; then
  echo "install-leftovers: '$retire_cmd' fails as the dokku user" >&2
  failures=$((failures + 1))
fi

# The swarm routes watcher: kept running by a systemd timer every minute
# where systemd runs, else a cron line every minute; either runs
# `dokku scheduler-swarm:watch` as the dokku user, which ends at once when
# no app is on the swarm (a second one also exits at once).
if [[ -d /run/systemd/system ]]; then
  expect /etc/systemd/system/dokku-scheduler-swarm-watch.service "root:root 644"
  expect /etc/systemd/system/dokku-scheduler-swarm-watch.timer "root:root 644"
  watch_cmd=$(sed -n 's/^ExecStart=//p' /etc/systemd/system/dokku-scheduler-swarm-watch.service)
  grep -qx 'User=dokku' /etc/systemd/system/dokku-scheduler-swarm-watch.service || {
    echo "install-leftovers: the swarm watcher does not run as dokku" >&2
    failures=$((failures + 1))
  }
else
  expect /etc/cron.d/dokku-scheduler-swarm-watch "root:root 644"
  watch_line=$(grep -E '^\* \* \* \* \* dokku ' /etc/cron.d/dokku-scheduler-swarm-watch 2>/dev/null || true)
  watch_cmd=${watch_line#'* * * * * dokku '}
  watch_cmd=${watch_cmd%% >>*}
fi
if [[ "$watch_cmd" != "/usr/bin/dokku scheduler-swarm:watch" ]]; then
  echo "install-leftovers: the swarm watcher runs '$watch_cmd', expected '/usr/bin/dokku scheduler-swarm:watch'" >&2
  failures=$((failures + 1))
fi
# With no app on the swarm there is nothing to watch: it ends at once.
if ! timeout 20 su -s /bin/sh dokku -c "dokku scheduler-swarm:watch"; then
  echo "install-leftovers: the swarm watcher did not end at once without swarm apps" >&2
  failures=$((failures + 1))
fi

# The daily build cache prune, the vector sink's log directory.
if [[ -d /run/systemd/system ]]; then
  expect /etc/systemd/system/docker-builder-prune.timer "root:root 644"
else
  expect /etc/cron.d/docker-builder-prune "root:root 644"
  grep -qxF '5 4 * * * dokku docker builder prune >>/var/log/dokku/builder-prune.log 2>&1' /etc/cron.d/docker-builder-prune || {
    echo "install-leftovers: /etc/cron.d/docker-builder-prune is not Dokku's" >&2
    failures=$((failures + 1))
  }
fi
expect /var/log/dokku/apps "dokku:dokku 755"
expect /var/log/dokku/events.log "$(stat -c %U /var/log/dokku/events.log):dokku 664"

# The login hints, the healthchecker at Dokku's path with its sudoers
# entry, and docker's live-restore (unless refused with
# DOKKU_LIVE_RESTORE=false, or already on in the engine, by a flag maybe).
expect /etc/update-motd.d/99-dokku "root:root 755"
if [[ "$(readlink /usr/bin/docker-container-healthchecker)" != dokku ]]; then
  echo "install-leftovers: /usr/bin/docker-container-healthchecker is not a link to dokku" >&2
  failures=$((failures + 1))
fi
expect /etc/sudoers.d/dokku-docker-container-healthchecker "root:root 440"
if [[ "$(cat /etc/sudoers.d/dokku-docker-container-healthchecker 2>/dev/null)" != "%dokku ALL=(ALL) NOPASSWD:/usr/bin/docker-container-healthchecker" ]]; then
  echo "install-leftovers: /etc/sudoers.d/dokku-docker-container-healthchecker is not Dokku's" >&2
  failures=$((failures + 1))
fi
if [[ "${DOKKU_LIVE_RESTORE:-}" != false ]] &&
  ! grep -q '"live-restore": true' /etc/docker/daemon.json 2>/dev/null &&
  [[ "$(docker info -f '{{.LiveRestoreEnabled}}' 2>/dev/null)" != true ]]; then
  echo "install-leftovers: docker live-restore is not enabled" >&2
  failures=$((failures + 1))
fi
if [[ -f "$home/VHOST" ]]; then
  expect "$home/VHOST" "dokku:dokku $(stat -c %a "$home/VHOST")"
fi

if ((failures)); then
  echo "install-leftovers: $failures problem(s)" >&2
  exit 1
fi
echo "install-leftovers: owners and modes are Dokku's"
