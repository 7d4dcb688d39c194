#!/usr/bin/env bash
# The package test, run as root inside a clean Debian container with the
# package at /deb/ and the contrib scripts at /contrib/: install with the
# bootstrap script (apt resolves the dependencies), use dokku, upgrade,
# remove, reinstall and purge, checking what each step keeps.
set -euo pipefail

step() { echo "==> $*"; }
fail() {
  echo "FAILED: $*" >&2
  exit 1
}

deb=$(find /deb -maxdepth 1 -name 'dokku_*.deb' | head -n1)
[[ -n "$deb" ]] || fail "no package in /deb"

step "bootstrap.sh installs the package"
# An engine configuration of the admin's: install adds live-restore to it.
mkdir -p /etc/docker
printf '{\n  "log-driver": "local"\n}\n' >/etc/docker/daemon.json
DOKKU_DEB="$deb" DOKKU_NO_INSTALL_RECOMMENDS=1 bash /contrib/bootstrap.sh

step "dokku version"
dokku version | tee /tmp/version
grep -qx "dokku version $(dpkg-query -W -f='${Version}' dokku)" /tmp/version || fail "version line"

step "layout"
[[ "$(stat -c '%U:%G %a' /home/dokku)" == "dokku:dokku 755" ]] || fail "home"
[[ "$(stat -c '%U:%G %a' /home/dokku/.ssh)" == "dokku:dokku 700" ]] || fail ".ssh"
[[ "$(stat -c '%U:%G %a' /home/dokku/.ssh/authorized_keys)" == "dokku:dokku 600" ]] || fail "authorized_keys"
[[ "$(cat /home/dokku/.sshcommand)" == "/usr/bin/dokku" ]] || fail ".sshcommand"
[[ "$(getent passwd dokku | cut -d: -f6,7)" == "/home/dokku:/bin/bash" ]] || fail "dokku user"
id -nG dokku | grep -qw docker || fail "dokku is not in the docker group"
[[ -s /var/lib/dokku/GIT_REV ]] || fail "GIT_REV"
[[ "$(stat -c '%a' /etc/sudoers.d/dokku-nginx)" == "440" ]] || fail "sudoers mode"
visudo -cf /etc/sudoers.d/dokku-nginx >/dev/null || fail "sudoers syntax"
grep -qE 'NOPASSWD:(/usr/sbin/invoke-rc.d nginx enable|/(usr/)?bin/systemctl enable nginx), .* /usr/sbin/nginx -t -c \*$' /etc/sudoers.d/dokku-nginx || fail "sudoers rule as Dokku writes it"
grep -qx 'include /home/dokku/\*/nginx.conf;' /etc/nginx/conf.d/dokku.conf || fail "nginx include"
[[ -s /etc/nginx/dhparam.pem ]] || fail "dhparam.pem"
grep -qx 'ssl_dhparam /etc/nginx/dhparam.pem;' /etc/nginx/conf.d/dokku.conf || fail "ssl_dhparam in dokku.conf"
nginx -t 2>/dev/null || fail "nginx -t"
[[ -L /usr/bin/plugn ]] || fail "plugn link"
[[ -f /usr/share/bash-completion/completions/dokku ]] || fail "bash completion"
[[ "$(stat -c '%a' /usr/share/man/man1/dokku.1.gz)" == "644" ]] || fail "man page mode"
zcat /usr/share/man/man1/dokku.1.gz | grep -q "^.TH DOKKU 1" || fail "man page"
[[ -L /usr/bin/sigil ]] || fail "sigil link"
[[ "$(stat -c '%a' /etc/sudoers.d/dokku-storage)" == "440" ]] || fail "storage sudoers mode"
visudo -cf /etc/sudoers.d/dokku-storage >/dev/null || fail "storage sudoers syntax"
for h in chown-storage-dir chmod-storage-dir destroy-storage-dir; do
  [[ -x "/var/lib/dokku/plugins/available/storage/bin/$h" ]] || fail "storage helper $h"
  grep -qxF "%dokku ALL=(ALL) NOPASSWD:/var/lib/dokku/plugins/available/storage/bin/$h *" /etc/sudoers.d/dokku-storage || fail "sudoers line for $h"
done
grep -qxF 'Defaults env_keep += "DOKKU_LIB_ROOT"' /etc/sudoers.d/dokku-storage || fail "sudoers env_keep"
[[ "$(stat -c '%U:%G %a' /var/lib/dokku/data/storage)" == "dokku:dokku 755" ]] || fail "data/storage"

step "docker live-restore merged into the engine's configuration"
check_daemon_json() {
  grep -qx '  "log-driver": "local",' /etc/docker/daemon.json || fail "daemon.json lost the admin's key: $(cat /etc/docker/daemon.json)"
  grep -qx '  "live-restore": true' /etc/docker/daemon.json || fail "daemon.json lacks live-restore: $(cat /etc/docker/daemon.json)"
}
check_daemon_json
# (bootstrap.sh keeps apt's output to itself: the message is checked on a
# second install step over the admin's file.)
printf '{\n  "log-driver": "local"\n}\n' >/etc/docker/daemon.json
dokku plugin:install --core >/tmp/install.log
grep -qx 'Enabling docker live-restore' /tmp/install.log || fail "live-restore message: $(cat /tmp/install.log)"
check_daemon_json
dokku plugin:install --core >/tmp/install.log
! grep -q 'live-restore' /tmp/install.log || fail "live-restore enabled twice"
[[ "$(stat -c '%U:%G %a' /etc/docker/daemon.json)" == "root:root 644" ]] || fail "daemon.json owner/mode"
daemon_json_before=$(stat -c '%Y %i' /etc/docker/daemon.json)

step "login hints in /etc/update-motd.d/99-dokku"
[[ "$(stat -c '%U:%G %a' /etc/update-motd.d/99-dokku)" == "root:root 755" ]] || fail "motd owner/mode"
/etc/update-motd.d/99-dokku >/tmp/motd || fail "motd script fails"
grep -q 'dokku ssh-keys:add' /tmp/motd || fail "motd does not ask for an ssh key: $(cat /tmp/motd)"

step "VHOST from hostname -f when it resolves, never overwritten"
# The host's own name (the container shares the host's network and name).
fqdn=$(hostname -f 2>/dev/null || true)
if [[ -n "$fqdn" ]] && answer=$(dig +short "$fqdn" 2>/dev/null) && [[ -n "$answer" ]]; then
  [[ "$(cat /home/dokku/VHOST)" == "$fqdn" ]] || fail "VHOST is not $fqdn"
else
  [[ ! -e /home/dokku/VHOST ]] || fail "VHOST written for a name DNS does not know"
fi
rm -f /home/dokku/VHOST
# From here a name of our own, and DNS answers as the stubs say.
stubs=$(mktemp -d)
fqdn=box.example.test
printf '#!/bin/sh\necho %s\n' "$fqdn" >"$stubs/hostname"
printf '#!/bin/sh\nexit 0\n' >"$stubs/dig"
chmod 0755 "$stubs/hostname" "$stubs/dig"
PATH="$stubs:$PATH" dokku plugin:install --core >/dev/null
[[ ! -e /home/dokku/VHOST ]] || fail "VHOST written though dig had no answer"
printf '#!/bin/sh\necho 192.0.2.10\n' >"$stubs/dig"
PATH="$stubs:$PATH" dokku plugin:install --core >/dev/null
[[ "$(cat /home/dokku/VHOST)" == "$fqdn" ]] || fail "VHOST is not $fqdn after install"
[[ "$(stat -c '%U:%G %a' /home/dokku/VHOST)" == "dokku:dokku 644" ]] || fail "VHOST owner/mode"
printf 'Dokku.Example.test\n' >/home/dokku/VHOST
PATH="$stubs:$PATH" dokku plugin:install --core >/dev/null
[[ "$(cat /home/dokku/VHOST)" == "Dokku.Example.test" ]] || fail "VHOST overwritten by install"
[[ "$(stat -c '%U' /home/dokku/VHOST)" == "dokku" ]] || fail "VHOST not handed to dokku"
rm -rf "$stubs"
/etc/update-motd.d/99-dokku >/tmp/motd
! grep -q 'domains:set-global' /tmp/motd || fail "motd asks for a domain though VHOST is set"

step "the healthchecker at Dokku's path, through sudo"
[[ "$(readlink /usr/bin/docker-container-healthchecker)" == "dokku" ]] || fail "healthchecker link"
[[ "$(stat -c '%U:%G %a' /etc/sudoers.d/dokku-docker-container-healthchecker)" == "root:root 440" ]] || fail "healthchecker sudoers owner/mode"
[[ "$(cat /etc/sudoers.d/dokku-docker-container-healthchecker)" == "%dokku ALL=(ALL) NOPASSWD:/usr/bin/docker-container-healthchecker" ]] || fail "healthchecker sudoers line"
visudo -cf /etc/sudoers.d/dokku-docker-container-healthchecker >/dev/null || fail "healthchecker sudoers syntax"
su -s /bin/sh dokku -c 'sudo -n /usr/bin/docker-container-healthchecker version' | grep -qx 'docker-container-healthchecker 0.16.0' || fail "healthchecker through sudo"
printf '{"healthchecks":{"web":[{"type":"startup","name":"up","path":"/"}]}}\n' >/tmp/app.json
docker-container-healthchecker exists web --app-json /tmp/app.json || fail "healthchecker exists web"
! docker-container-healthchecker exists worker --app-json /tmp/app.json || fail "healthchecker exists worker"

step "storage helpers through sudo"
su -s /bin/sh dokku -c 'dokku storage:ensure-directory --chown herokuish pkgtest' >/dev/null 2>&1 || fail "storage:ensure-directory as dokku"
[[ "$(stat -c '%u' /var/lib/dokku/data/storage/pkgtest)" == "32767" ]] || fail "storage chown through sudo"
su -s /bin/sh dokku -c 'sudo -n /var/lib/dokku/plugins/available/storage/bin/destroy-storage-dir /var/lib/dokku/data/storage/pkgtest' || fail "destroy-storage-dir through sudo"
[[ ! -e /var/lib/dokku/data/storage/pkgtest ]] || fail "storage dir left"

step "ps:retire runs every five minutes"
# No systemd in the container: the cron fallback.
grep -qxF '*/5 * * * * dokku /usr/bin/dokku ps:retire >> /var/log/dokku/retire.log 2>&1' /etc/cron.d/dokku-retire || fail "retire cron entry"
su -s /bin/sh dokku -c '/usr/bin/dokku ps:retire' || fail "ps:retire as dokku"
grep -qxF '5 4 * * * dokku docker builder prune >>/var/log/dokku/builder-prune.log 2>&1' /etc/cron.d/docker-builder-prune || fail "builder prune cron entry"
[[ "$(stat -c '%U:%G %a' /var/log/dokku/apps)" == "dokku:dokku 755" ]] || fail "logs apps dir"

step "dokku apps:create x"
dokku apps:create x
dokku apps:list | grep -qx x || fail "app x not listed"
[[ "$(stat -c '%U' /home/dokku/x)" == "dokku" ]] || fail "app dir owner"

step "dokku plugin:list"
dokku plugin:list | tee /tmp/plugins
grep -q '^  apps .* enabled .*dokku core apps plugin' /tmp/plugins || fail "apps plugin"
grep -q '^  ssh-keys .* enabled .*dokku core ssh-keys plugin' /tmp/plugins || fail "ssh-keys plugin"

step "dokku ssh-keys:add"
ssh-keygen -q -t ed25519 -N '' -C admin@test -f /tmp/admin_key
fp=$(dokku ssh-keys:add admin /tmp/admin_key.pub)
dokku ssh-keys:list | grep -qx "$fp NAME=\"admin\" SSHCOMMAND_ALLOWED_KEYS=\"no-agent-forwarding,no-user-rc,no-X11-forwarding,no-port-forwarding\"" || fail "key listed"
# The backticks and $SSH_ORIGINAL_COMMAND are literal text of the file.
# shellcheck disable=SC2016
grep -qF 'command="FINGERPRINT='"$fp"' NAME=\"admin\" `cat /home/dokku/.sshcommand` $SSH_ORIGINAL_COMMAND",no-agent-forwarding' \
  /home/dokku/.ssh/authorized_keys || fail "authorized_keys line"
[[ "$(stat -c '%U:%G %a' /home/dokku/.ssh/authorized_keys)" == "dokku:dokku 700" ]] || fail "authorized_keys after add"

step "upgrade (reinstall) keeps the app, the key, VHOST and the engine configuration"
# Root's key becomes the `default` key, as with Dokku's debconf default.
mkdir -p /root/.ssh
ssh-keygen -q -t rsa -b 2048 -N '' -C root@test -f /root/.ssh/id_rsa
dpkg -i "$deb" >/tmp/upgrade.log
dokku ssh-keys:list default >/dev/null || fail "root's key not added as default"
! grep -q 'Enabling docker live-restore' /tmp/upgrade.log || fail "live-restore enabled again on upgrade"
[[ "$(stat -c '%Y %i' /etc/docker/daemon.json)" == "$daemon_json_before" ]] || fail "daemon.json rewritten on upgrade"
[[ "$(cat /home/dokku/VHOST)" == "Dokku.Example.test" ]] || fail "VHOST overwritten on upgrade"
/etc/update-motd.d/99-dokku >/tmp/motd
[[ ! -s /tmp/motd ]] || fail "motd still prints hints with a key and a domain: $(cat /tmp/motd)"
dokku apps:exists x || fail "app lost on upgrade"
dokku ssh-keys:list admin >/dev/null || fail "key lost on upgrade"

step "remove keeps data"
DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq dokku >/dev/null
for p in /usr/bin/dokku /usr/bin/plugn /usr/bin/sigil /usr/bin/docker-container-healthchecker /etc/update-motd.d/99-dokku; do
  [[ ! -e "$p" && ! -L "$p" ]] || fail "$p left after remove"
done
grep -q '"live-restore": true' /etc/docker/daemon.json || fail "remove took live-restore away"
[[ -d /home/dokku/x ]] || fail "app removed with the package"
grep -q "$fp" /home/dokku/.ssh/authorized_keys || fail "keys removed with the package"
[[ -d /var/lib/dokku/config ]] || fail "config removed with the package"
[[ ! -e /var/lib/dokku/core-plugins ]] || fail "core plugin metadata left"
getent passwd dokku >/dev/null || fail "user removed on remove"

step "reinstall finds the data"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$deb" >/dev/null
dokku apps:list | grep -qx x || fail "app not back after reinstall"

step "purge deletes everything"
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq dokku >/dev/null
for p in /home/dokku /var/lib/dokku /var/log/dokku /etc/sudoers.d/dokku-nginx /etc/sudoers.d/dokku-storage /etc/sudoers.d/dokku-docker-container-healthchecker /etc/update-motd.d/99-dokku /etc/cron.d/dokku-retire /etc/cron.d/docker-builder-prune /etc/nginx/conf.d/dokku.conf; do
  [[ ! -e "$p" ]] || fail "$p left after purge"
done
! getent passwd dokku >/dev/null || fail "user left after purge"
! getent group dokku >/dev/null || fail "group left after purge"

echo "PACKAGE-TEST-OK"
