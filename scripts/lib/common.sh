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

# Mirror URIs of the main archive, from deb822 (*.sources) and one-line
# (*.list) files. Security and update pockets are skipped: they do not carry
# the newer suites.
mirror_uris() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
    [[ -f $f ]] || continue
    case $f in
      *.sources)
        awk '/^[[:space:]]*$/ {if (uri != "" && suites !~ /security/) print uri; uri=""; suites=""; next}
             /^URIs:/ {uri=$2} /^Suites:/ {suites=$0}
             END {if (uri != "" && suites !~ /security/) print uri}' "$f" ;;
      *) awk '$1=="deb" && $0 !~ /security/ {for (i=2;i<=NF;i++) if ($i ~ /^[a-z]+:\/\//) {print $i; break}}' "$f" ;;
    esac
  done | grep -v -e security -e '^$' | awk '!seen[$0]++'
}

# The Debian sid root holding CPython 3.14 and 3.15 (scripts/rootfs.sh).
ENDGAME_ROOTFS=${ENDGAME_ROOTFS:-$ENDGAME_CACHE/rootfs/sid}

# The CPython builds endgame knows by name, for --cpython / ENDGAME_CPYTHON.
ENDGAME_CPYTHON_SPECS="3.13 3.13-debug 3.14 3.14-debug 3.15 3.15-debug asan-fuzz"

# resolve_cpython SPEC: sets, for a SPEC of ENDGAME_CPYTHON_SPECS or the path
# of a python3-config,
#   CPY_PRESET   the build folder's name under build/ (a CMake preset, except
#                for a path: "custom-<hash>")
#   CPY_CONFIG   the python3-config (empty: the preset finds it)
#   CPY_PYTHON   the interpreter (inside the root for 3.14/3.15)
#   CPY_IN_ROOT  1 when the build lives in the sid root (scripts/rootfs.sh)
#   CPY_ORIGIN   where it came from, in words
resolve_cpython() {
  local spec=$1 prefix
  CPY_CONFIG="" CPY_IN_ROOT=0
  case $spec in
    3.13|3.13-debug)
      local variant=release
      [[ $spec == *-debug ]] && variant=debug
      CPY_PRESET=ci
      [[ $variant == debug ]] && CPY_PRESET=ci-debug
      prefix=$(default_cpython_prefix "$variant")
      CPY_PYTHON=${prefix:+$prefix/bin/python3.13}
      CPY_ORIGIN="built from Debian's python3.13 source package by scripts/build-cpython.sh (${prefix:-not built yet})" ;;
    3.14|3.14-debug|3.15|3.15-debug)
      local series=${spec%-debug} d=""
      [[ $spec == *-debug ]] && d=d
      CPY_PRESET=py${series/./}${d:+-debug}
      CPY_CONFIG=/usr/bin/python$series$d-config
      CPY_PYTHON=/usr/bin/python$series$d
      CPY_IN_ROOT=1
      CPY_ORIGIN="Debian sid's binary package python$series${d:+-dbg}, in the root $ENDGAME_ROOTFS (scripts/rootfs.sh)" ;;
    asan-fuzz)
      CPY_PRESET=fuzz
      prefix=$(default_cpython_prefix asan-fuzz)
      CPY_PYTHON=${prefix:+$prefix/bin/python3.13}
      CPY_ORIGIN="built from source with ASan and fuzzer-no-link by scripts/build-cpython.sh --variant asan-fuzz (${prefix:-not built yet})" ;;
    */*)
      [[ -x $spec ]] || die "--cpython $spec: no such executable python3-config"
      CPY_CONFIG=$(cd "$(dirname "$spec")" && pwd)/$(basename "$spec")
      CPY_PRESET=custom-$(printf '%s' "$CPY_CONFIG" | sha1sum | cut -c1-8)
      CPY_PYTHON=$(dirname "$CPY_CONFIG")/$(basename "$CPY_CONFIG" | sed 's/-config$//')
      CPY_ORIGIN="the python3-config given: $CPY_CONFIG" ;;
    *) die "unknown CPython '$spec': one of ${ENDGAME_CPYTHON_SPECS// /, }, or the path of a python3-config" ;;
  esac
}

# cpython_available SPEC: true when SPEC can be used on this machine without
# building a CPython or a root (for matrices over "every CPython it has").
cpython_available() {
  resolve_cpython "$1"
  if ((CPY_IN_ROOT)); then
    [[ -f $ENDGAME_ROOTFS/.endgame-rootfs && -x $ENDGAME_ROOTFS$CPY_PYTHON ]]
  else
    [[ -n $CPY_PYTHON && -x $CPY_PYTHON ]]
  fi
}

# root_python_wrapper PYTHON: prints the path of an executable that runs the
# sid root's PYTHON (e.g. /usr/bin/python3.14) from the host, for tools that
# take an interpreter path (endgame matrix --python). Beside it: PYTHON-config
# the same way, and `.endgame-runner`, which runs any command inside the root
# (endgame/report/repro_run.h: repro.c is compiled and run with it).
root_python_wrapper() {
  local dir=$ENDGAME_CACHE/rootfs/bin w
  mkdir -p "$dir"
  _root_wrapper() {  # _root_wrapper FILE COMMAND...: FILE runs COMMAND... "$@" in the root
    local file=$1 quoted=""; shift
    (($#)) && quoted=$(printf ' "%s"' "$@")
    printf '#!/bin/sh\n# Runs %s inside the sid root (written by scripts/lib/common.sh).\nexec "%s"%s "$@"\n' \
      "${*:-a command}" "$ENDGAME_ROOT/scripts/lib/in-root.sh" "$quoted" >"$file.tmp"
    chmod +x "$file.tmp"
    mv "$file.tmp" "$file"
  }
  _root_wrapper "$dir/.endgame-runner"
  [[ -x $ENDGAME_ROOTFS$1-config ]] && _root_wrapper "$dir/$(basename "$1")-config" "$1-config"
  w=$dir/$(basename "$1")
  _root_wrapper "$w" "$1"
  echo "$w"
}

# endgame_wrapper SPEC: prints the path of an executable that runs endgame on
# CPython SPEC (scripts/endgame --cpython SPEC, which builds it when needed),
# for `endgame matrix --endgame`.
endgame_wrapper() {
  local dir=$ENDGAME_CACHE/matrix w
  mkdir -p "$dir"
  w=$dir/endgame-$1
  printf '#!/bin/sh\n# Runs endgame on CPython %s (written by scripts/lib/common.sh).\nexec "%s" --cpython "%s" "$@"\n' \
    "$1" "$ENDGAME_ROOT/scripts/endgame" "$1" >"$w.tmp"
  chmod +x "$w.tmp"
  mv "$w.tmp" "$w"
  echo "$w"
}
