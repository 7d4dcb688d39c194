#!/usr/bin/env bash
# Installs and starts what the test suite needs on a Debian/Ubuntu host:
# a Docker engine (Debian's docker.io), busybox-static for locally built
# test images, nginx, openssh-server, git, sudo, curl and openssl for
# the proxy tests, rsyslog (build output reaches syslog), cron (app.json
# cron tasks run from a crontab), a local MTA (exim4, local delivery
# only: cron mails a task's output to MAILTO through /usr/sbin/sendmail,
# and nothing leaves the machine), docker-registry with apache2-utils
# (htpasswd) for the registry tests and the swarm scheduler's multi-node
# tests (nodes pull app images from it), and nsenter, ip and iptables for
# those nodes' namespaces. Idempotent.
set -euo pipefail

if [[ $(id -u) -ne 0 ]]; then
  echo "tests/setup-host.sh must run as root" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
need=()
command -v dockerd >/dev/null || need+=(docker.io)
dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || need+=(nginx)
[[ -x /usr/sbin/sshd ]] || need+=(openssh-server)
command -v sudo >/dev/null || need+=(sudo)
command -v git >/dev/null || need+=(git)
command -v curl >/dev/null || need+=(curl)
command -v openssl >/dev/null || need+=(openssl)
[[ -x /usr/sbin/rsyslogd ]] || need+=(rsyslog)
[[ -x /usr/sbin/cron ]] || need+=(cron)
if [[ ! -x /usr/sbin/sendmail ]]; then
  # Debian's exim4, configured before it installs: deliver to local
  # mailboxes (/var/mail) only, listen on loopback only, relay nothing.
  debconf-set-selections <<'PRESEED'
exim4-config exim4/dc_eximconfig_configtype select local delivery only; not on a network
exim4-config exim4/dc_local_interfaces string 127.0.0.1 ; ::1
exim4-config exim4/dc_relay_domains string
exim4-config exim4/dc_relay_nets string
exim4-config exim4/dc_smarthost string
exim4-config exim4/dc_localdelivery select mbox format in /var/mail/
exim4-config exim4/use_split_config boolean false
PRESEED
  need+=(exim4-daemon-light)
fi
[[ -x /usr/bin/docker-registry ]] || need+=(docker-registry)
command -v htpasswd >/dev/null || need+=(apache2-utils)
command -v nsenter >/dev/null || need+=(util-linux)
command -v ip >/dev/null || need+=(iproute2)
command -v iptables >/dev/null || need+=(iptables)
command -v ssh >/dev/null || need+=(openssh-client)
if ((${#need[@]})); then
  echo "-----> installing ${need[*]}"
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi

if ! docker info >/dev/null 2>&1; then
  echo "-----> starting dockerd"
  if command -v systemctl >/dev/null && systemctl start docker 2>/dev/null; then
    :
  else
    (nohup dockerd >/var/log/dockerd-tests.log 2>&1 &)
  fi
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  if ! docker info >/dev/null 2>&1; then
    cat /var/log/dockerd-tests.log 2>/dev/null || true
    echo "dockerd did not start" >&2
    exit 1
  fi
fi
# No init system to rely on: start the daemons directly when not running.
if ! pgrep -x rsyslogd >/dev/null; then
  echo "-----> starting rsyslogd"
  if ! (command -v systemctl >/dev/null && systemctl start rsyslog 2>/dev/null); then
    rm -f /run/rsyslogd.pid
    /usr/sbin/rsyslogd
  fi
fi
for _ in $(seq 1 20); do
  [[ -S /dev/log ]] && break
  sleep 0.5
done
[[ -S /dev/log ]] || { echo "rsyslogd did not create /dev/log" >&2; exit 1; }
if ! pgrep -x cron >/dev/null; then
  echo "-----> starting cron"
  if ! (command -v systemctl >/dev/null && systemctl start cron 2>/dev/null); then
    rm -f /run/crond.pid
    /usr/sbin/cron
  fi
fi
pgrep -x cron >/dev/null || { echo "cron did not start" >&2; exit 1; }

echo "-----> host ready: $(docker version --format 'docker engine {{.Server.Version}} (API {{.Server.APIVersion}})')"
