#!/usr/bin/env bash
# Downloads the newest python3.13 (or --series) source that the machine's own
# Debian mirror serves, without touching the system's apt state.
#
# Usage: fetch-cpython-source.sh [--series 3.13] [--dest DIR]
# Prints the path of the upstream tarball (the Debian .orig.tar.*).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

series=$ENDGAME_SERIES
dest=$ENDGAME_CACHE/src
while (($#)); do
  case $1 in
    --series) series=$2; shift 2 ;;
    --dest) dest=$2; shift 2 ;;
    *) die "fetch-cpython-source.sh: unknown argument '$1'" ;;
  esac
done
pkg=python$series

mapfile -t uris < <(mirror_uris)
((${#uris[@]})) || die "no Debian mirror found in /etc/apt/sources.list{,.d}: cannot fetch $pkg sources (use --source DIR|TARBALL)"

shopt -s nullglob
mkdir -p "$dest"
existing=("$dest"/${pkg}_*.orig.tar.*)
if ((${#existing[@]})); then
  printf '%s\n' "${existing[@]}" | sort -V | tail -n 1
  exit 0
fi

# Suites from newest to oldest; the first whose files actually download wins
# (sid and experimental sometimes list versions whose pool files are gone).
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT
mkdir -p "$state/lists/partial" "$state/cache/archives/partial"
for suite in sid forky trixie bookworm; do
  for uri in "${uris[@]}"; do
    echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $suite main"
  done
done >"$state/sources.list"
: >"$state/status"
apt_opts=(-o Dir::Etc::SourceList="$state/sources.list" -o Dir::Etc::SourceParts=/dev/null
  -o Dir::State::Lists="$state/lists" -o Dir::State::Status="$state/status"
  -o Dir::Cache="$state/cache" -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
note "reading source indexes for $pkg from ${uris[*]}"
apt-get "${apt_opts[@]}" update -qq >"$state/update.log" 2>&1 ||
  { cat "$state/update.log" >&2; die "apt-get update on the private source list failed"; }

# Every version on offer, newest first.
mapfile -t versions < <(apt-cache "${apt_opts[@]}" showsrc "$pkg" 2>/dev/null |
  awk '/^Version:/ {print $2}' | sort -rV | awk '!seen[$0]++')
((${#versions[@]})) || die "the mirror offers no source package '$pkg'"

work=$(mktemp -d "$dest/.dl.XXXXXX")
for v in "${versions[@]}"; do
  note "trying $pkg $v"
  if (cd "$work" && apt-get "${apt_opts[@]}" source --download-only -qq "$pkg=$v" >"$state/dl.log" 2>&1); then
    orig=("$work"/${pkg}_*.orig.tar.*)
    if ((${#orig[@]})); then
      mv "${orig[0]}" "$dest/"
      rm -rf "$work"
      echo "$dest/$(basename "${orig[0]}")"
      exit 0
    fi
  fi
  note "$pkg $v did not download: $(tail -n 1 "$state/dl.log")"
  rm -f "$work"/*
done
rm -rf "$work"
die "no version of $pkg could be downloaded (tried: ${versions[*]})"
