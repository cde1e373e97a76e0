# Shared by scripts/demo and scripts/test: install Debian packages whose commands are missing (as root).
# Usage: need_debian "<command> <package>" ... ; returns 1 (with a hint) when something is missing and we are not root.
need_debian() {
  local missing=() pair
  for pair in "$@"; do
    set -- $pair
    command -v "$1" >/dev/null 2>&1 || missing+=("$2")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ]; then
    echo "installing ${missing[*]}…"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    return $?
  fi
  echo "missing Debian packages: sudo apt-get install ${missing[*]}" >&2
  return 1
}
