#!/usr/bin/env bash
# Run dokku commands on a remote dokku server over ssh, from your machine.
#
#   alias dokku='bash /path/to/contrib/dokku_client.sh'
#   dokku apps:list
#   dokku config:show            # the app comes from the `dokku` git remote
#   dokku --remote staging ps:report
#
# The server and app come from a git remote of the current repository
# (`dokku` unless `--remote <name>` or `git config dokku.remote` says
# otherwise), in any of the forms `dokku@host:app`, `ssh://dokku@host/app`
# and `ssh://dokku@host:port/app`. Without such a remote, DOKKU_HOST names
# the server (optionally `user@host`) and DOKKU_PORT its ssh port (22).
#
# Flags read here (anything else goes to the server as is):
#   --app <app>      act on this app instead of the remote's
#   --remote <name>  use this git remote
#   --global         act without an app (the flag is also passed on)
#   --trace          trace this script and the server command
#
# Local commands: remote, remote:list, remote:add <name> <url>,
# remote:remove <name>, remote:set <name>, remote:unset. `apps:create`
# without an app invents a name and adds the git remote; `apps:destroy`
# removes the remote of the destroyed app.
set -eo pipefail
[[ -n "$DOKKU_TRACE" ]] && set -x

fail() {
  echo " !     $*" >&2
  exit 1
}

in_git_repo() {
  git rev-parse --git-dir >/dev/null 2>&1
}

# Split a remote url into REMOTE_USER, REMOTE_HOST, REMOTE_PORT, REMOTE_APP.
parse_remote_url() {
  local url=$1 rest userhost hostport
  REMOTE_USER=dokku REMOTE_HOST="" REMOTE_PORT="" REMOTE_APP=""
  if [[ "$url" == ssh://* ]]; then
    rest=${url#ssh://}
    hostport=${rest%%/*}
    [[ "$rest" == */* ]] && REMOTE_APP=${rest#*/}
    userhost=$hostport
    if [[ "$hostport" == *:* ]]; then
      REMOTE_PORT=${hostport##*:}
      userhost=${hostport%:*}
    fi
  elif [[ "$url" == *:* ]]; then
    userhost=${url%%:*}
    REMOTE_APP=${url#*:}
  else
    return 1
  fi
  if [[ "$userhost" == *@* ]]; then
    REMOTE_USER=${userhost%%@*}
    REMOTE_HOST=${userhost#*@}
  else
    REMOTE_HOST=$userhost
  fi
  REMOTE_APP=${REMOTE_APP#/}
  REMOTE_APP=${REMOTE_APP%.git}
  [[ -n "$REMOTE_HOST" ]]
}

default_remote() {
  git config --get dokku.remote 2>/dev/null || echo dokku
}

# Quote one word for the server, which splits the command line the way a
# POSIX shell does (but never runs it): 'it'\''s'.
quote() {
  local s=${1//\'/\'\\\'\'}
  printf "'%s'" "$s"
}

random_name() {
  local adjectives=(brave calm eager fancy gentle happy jolly lively proud quiet silly witty)
  local nouns=(otter falcon maple river comet harbor meadow pebble lantern willow cedar badger)
  echo "${adjectives[RANDOM % ${#adjectives[@]}]}-${nouns[RANDOM % ${#nouns[@]}]}-$((RANDOM % 9000 + 1000))"
}

remote_command() {
  local cmd=$1 remote=$2
  shift 2
  in_git_repo || fail "remote commands need a git repository"
  case "$cmd" in
    remote)
      echo "$remote"
      ;;
    remote:list)
      git remote
      ;;
    remote:add)
      [[ $# -eq 2 ]] || fail "usage: dokku remote:add <name> <url>"
      git remote add "$1" "$2"
      ;;
    remote:remove)
      [[ $# -eq 1 ]] || fail "usage: dokku remote:remove <name>"
      git remote remove "$1"
      ;;
    remote:set)
      [[ $# -eq 1 ]] || fail "usage: dokku remote:set <name>"
      git config dokku.remote "$1"
      ;;
    remote:unset)
      git config --unset dokku.remote || true
      ;;
    *)
      fail "unknown remote command: $cmd"
      ;;
  esac
}

main() {
  local app="" remote="" global=false remote_given=false
  local args=()
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --app)
        [[ $# -ge 2 ]] || fail "--app needs a value"
        app=$2
        shift 2
        ;;
      --app=*)
        app=${1#--app=}
        shift
        ;;
      --remote)
        [[ $# -ge 2 ]] || fail "--remote needs a value"
        remote=$2
        remote_given=true
        shift 2
        ;;
      --remote=*)
        remote=${1#--remote=}
        remote_given=true
        shift
        ;;
      --global)
        global=true
        args+=("$1")
        shift
        ;;
      --trace)
        set -x
        args+=("$1")
        shift
        ;;
      *)
        args+=("$1")
        shift
        ;;
    esac
  done
  [[ -n "$remote" ]] || remote=$(default_remote)

  # The first argument that is not a flag is the command.
  local cmd="" cmd_index=-1 i
  for i in "${!args[@]}"; do
    if [[ "${args[$i]}" != -* ]]; then
      cmd=${args[$i]}
      cmd_index=$i
      break
    fi
  done

  case "$cmd" in
    remote | remote:*)
      remote_command "$cmd" "$remote" "${args[@]:$((cmd_index + 1))}"
      return
      ;;
  esac

  local user=dokku host="" port=${DOKKU_PORT:-22} remote_app="" url=""
  if in_git_repo && url=$(git remote get-url "$remote" 2>/dev/null) && [[ -n "$url" ]] &&
    { [[ -z "${DOKKU_HOST:-}" ]] || $remote_given; }; then
    parse_remote_url "$url" || fail "cannot read the url of git remote '$remote': $url"
    user=$REMOTE_USER
    host=$REMOTE_HOST
    [[ -n "$REMOTE_PORT" ]] && port=$REMOTE_PORT
    remote_app=$REMOTE_APP
  elif [[ -n "${DOKKU_HOST:-}" ]]; then
    host=$DOKKU_HOST
    if [[ "$host" == *@* ]]; then
      user=${host%%@*}
      host=${host#*@}
    fi
  elif $remote_given; then
    fail "no git remote named '$remote'"
  else
    fail "no server: add a '$remote' git remote or set DOKKU_HOST"
  fi

  [[ -n "$app" ]] || app=$remote_app
  $global && app=""

  local send=("${args[@]}")
  local add_remote=false
  if [[ "$cmd" == "apps:create" ]]; then
    local named=${args[$((cmd_index + 1))]:-}
    if [[ -n "$named" && "$named" != -* ]]; then
      app=$named
    else
      [[ -n "$app" ]] || app=$(random_name)
      send=("${args[@]:0:$((cmd_index + 1))}" "$app" "${args[@]:$((cmd_index + 1))}")
    fi
    in_git_repo && ! git remote get-url "$remote" >/dev/null 2>&1 && add_remote=true
  elif [[ -n "$app" && "$cmd_index" -ge 0 && "${args[$((cmd_index + 1))]:-}" != "$app" ]]; then
    # Named already (`dokku apps:report my-app`): sending --app too would
    # give the server the app twice.
    send=(--app "$app" "${args[@]}")
  fi

  local words=() w
  for w in "${send[@]}"; do
    words+=("$(quote "$w")")
  done
  local ssh_opts=(-p "$port")
  [[ -t 0 && -t 1 ]] && ssh_opts+=(-t)

  local status=0
  ssh "${ssh_opts[@]}" "$user@$host" -- "${words[@]}" || status=$?
  if [[ $status -eq 0 ]]; then
    if $add_remote; then
      local new_url="$user@$host:$app"
      [[ "$port" != 22 ]] && new_url="ssh://$user@$host:$port/$app"
      git remote add "$remote" "$new_url"
      echo "-----> Added git remote '$remote' ($new_url)" >&2
    elif [[ "$cmd" == "apps:destroy" && -n "$remote_app" && "$remote_app" == "$app" ]]; then
      git remote remove "$remote" 2>/dev/null || true
      echo "-----> Removed git remote '$remote'" >&2
    fi
  fi
  return "$status"
}

main "$@"
