#!/usr/bin/env bash
# Turn a fresh Debian or Ubuntu server into a dokku host, in one command.
#
#   sudo bash contrib/bootstrap.sh
#       from a checkout: build the .deb from this tree and install it
#   sudo DOKKU_DEB=/path/to/dokku_<version>_<arch>.deb bash bootstrap.sh
#       install a package built elsewhere (`make deb`)
#   sudo DOKKU_REPO=<git url> [DOKKU_BRANCH=<branch>] bash bootstrap.sh
#       clone the sources to /usr/src/dokku, build, install
#
# Other settings:
#   DOKKU_KEY_FILE=<public key>    add it as the `admin` ssh key when done
#   DOKKU_NO_INSTALL_RECOMMENDS=1  pass --no-install-recommends to apt
#
# The package pulls in what a server needs (a Docker engine, nginx,
# openssh-server, git, sudo); building from source also installs a
# compiler and, when cargo is missing, a Rust toolchain through rustup.
set -euo pipefail

# Progress goes to stderr so functions can return values on stdout.
log() { echo "-----> $*" >&2; }
fail() {
  echo " !     $*" >&2
  exit 1
}

apt_install() {
  local opts=(-y -qq)
  if [[ -n "${DOKKU_NO_INSTALL_RECOMMENDS:-}" ]]; then
    opts+=(--no-install-recommends)
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install "${opts[@]}" "$@"
}

check_system() {
  [[ $(id -u) -eq 0 ]] || fail "bootstrap.sh must run as root (try: sudo bash bootstrap.sh)"
  command -v apt-get >/dev/null || fail "only Debian and Ubuntu (apt-get) are supported"
  local id="" like=""
  if [[ -r /etc/os-release ]]; then
    id=$(awk -F= '$1 == "ID" { gsub(/"/, "", $2); print $2 }' /etc/os-release)
    like=$(awk -F= '$1 == "ID_LIKE" { gsub(/"/, "", $2); print $2 }' /etc/os-release)
  fi
  case "$id $like" in
    *debian* | *ubuntu*) ;;
    *) fail "unsupported distribution '${id:-unknown}': Debian or Ubuntu is required" ;;
  esac
}

# The checkout this script lives in, if it is one.
script_tree() {
  local dir
  dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." 2>/dev/null && pwd) || return 1
  [[ -f "$dir/Cargo.toml" && -f "$dir/debian/build-deb.sh" ]] || return 1
  echo "$dir"
}

source_tree() {
  if [[ -n "${DOKKU_REPO:-}" ]]; then
    local dest=/usr/src/dokku
    if [[ -d "$dest/.git" ]]; then
      git -C "$dest" fetch -q "$DOKKU_REPO" "${DOKKU_BRANCH:-HEAD}"
      git -C "$dest" checkout -q --force FETCH_HEAD
    else
      git clone -q ${DOKKU_BRANCH:+--branch "$DOKKU_BRANCH"} "$DOKKU_REPO" "$dest"
    fi
    echo "$dest"
    return 0
  fi
  script_tree || fail "no package and no sources: set DOKKU_DEB or DOKKU_REPO, or run this from a checkout"
}

ensure_cargo() {
  export PATH="$HOME/.cargo/bin:$PATH"
  command -v cargo >/dev/null && return 0
  log "installing a Rust toolchain with rustup"
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal >/dev/null
}

build_deb() {
  local src=$1
  log "building the package from $src"
  apt_install build-essential curl ca-certificates pkg-config >/dev/null
  ensure_cargo
  make -C "$src" deb >&2
  find "$src/target/debian" -maxdepth 1 -name 'dokku_*.deb' -printf '%T@ %p\n' | sort -n | tail -n1 | cut -d' ' -f2-
}

start_services() {
  [[ -d /run/systemd/system ]] || return 0
  local svc
  for svc in docker nginx ssh; do
    systemctl enable --now "$svc" >/dev/null 2>&1 || true
  done
}

add_key() {
  local file=${DOKKU_KEY_FILE:-}
  [[ -n "$file" ]] || return 0
  [[ -r "$file" ]] || fail "DOKKU_KEY_FILE $file is not readable"
  if dokku ssh-keys:list admin >/dev/null 2>&1; then
    log "an admin key is already set up"
    return 0
  fi
  dokku ssh-keys:add admin "$file" >/dev/null
  log "added $file as ssh key 'admin'"
}

main() {
  check_system
  log "updating package lists"
  apt-get update -qq >/dev/null
  apt_install ca-certificates git >/dev/null

  local deb=${DOKKU_DEB:-}
  if [[ -z "$deb" ]]; then
    deb=$(build_deb "$(source_tree)")
  fi
  [[ -f "$deb" ]] || fail "package not found: $deb"
  deb=$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")

  log "installing $(basename "$deb") and its dependencies"
  apt_install "$deb" >/dev/null
  start_services
  add_key

  log "dokku is installed: $(dokku version)"
  cat >&2 <<'NEXT'
       Next steps:
         cat ~/.ssh/authorized_keys | sudo dokku ssh-keys:add admin
         dokku apps:create my-app
       then, on your machine:
         git remote add dokku dokku@<this server>:my-app
         git push dokku main
NEXT
}

main "$@"
