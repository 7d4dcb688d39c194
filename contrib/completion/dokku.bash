# bash completion for dokku: command names and their flags come from
# `dokku help --all` (cached in /var/cache/dokku-completion when present),
# app names from `dokku apps:list`.

_dokku_help_all() {
  dokku --quiet help --all 2>/dev/null
}

_dokku_commands() {
  local cache=/var/cache/dokku-completion
  if [[ -s $cache && -r $cache ]]; then
    cat "$cache"
  else
    _dokku_help_all | awk '/^    [a-z0-9]/ { print $1 }' | sort -u
  fi
}

_dokku_flags() {
  _dokku_help_all | awk -v c="$1" '$1 == c' | grep -oE -- '--[a-z0-9-]+' | sort -u
}

_dokku() {
  # Work on the line itself: bash splits words at `:`, dokku's commands
  # contain one.
  local line=${COMP_LINE:0:COMP_POINT}
  local -a words
  read -r -a words <<<"$line"
  [[ $line == *" " ]] && words+=("")
  local n=${#words[@]}
  local cur=${words[n - 1]}
  local candidates=""
  if ((n == 2)); then
    candidates=$(_dokku_commands)
  elif [[ $cur == -* ]]; then
    candidates=$(_dokku_flags "${words[1]}")
  elif ((n == 3)); then
    candidates=$(dokku --quiet apps:list 2>/dev/null)
  fi
  local -a matches=()
  local c
  for c in $candidates; do
    [[ $c == "$cur"* ]] && matches+=("$c")
  done
  # Bash replaces only what follows the last `:` of the word.
  if [[ $cur == *:* ]]; then
    local head=${cur%:*}:
    matches=("${matches[@]#"$head"}")
  fi
  COMPREPLY=("${matches[@]}")
}

complete -F _dokku dokku
