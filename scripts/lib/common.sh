# Shared helpers for endgame's shell scripts. Source it; do not run it.
# shellcheck shell=bash

ENDGAME_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ENDGAME_CACHE=${ENDGAME_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/endgame}
ENDGAME_SERIES=${ENDGAME_SERIES:-3.13}

die() { echo "error: $*" >&2; exit 1; }
note() { echo "[endgame] $*" >&2; }

# Runs apt-get as root, or through sudo when available.
as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root to run: $*"; fi
}

# The prefix of the default CPython build for a variant: the newest
# <version>-<variant> directory in the cache that has a finished build stamp.
default_cpython_prefix() {
  local variant=${1:-release} best="" d
  for d in "$ENDGAME_CACHE/cpython/$ENDGAME_SERIES".*-"$variant"; do
    [[ -f $d/.endgame-built ]] && best=$d
  done
  # Versions sort numerically, not lexically (3.13.9 < 3.13.15).
  if [[ -n $best ]]; then
    printf '%s\n' "$ENDGAME_CACHE/cpython/$ENDGAME_SERIES".*-"$variant" |
      while read -r d; do [[ -f $d/.endgame-built ]] && echo "$d"; done |
      sort -V | tail -n 1
  fi
}
