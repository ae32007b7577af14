#!/usr/bin/env bash
# Creates (or brings up to date) the Debian sid root that holds CPython 3.14
# and 3.15, release and debug, from Debian's binary packages, plus what
# endgame needs to build and run inside it. Prints the root's path.
#
#   ${XDG_CACHE_HOME:-$HOME/.cache}/endgame/rootfs/sid
#
# Those packages need glibc >= 2.38 and their sources are not served, so they
# run in a root of their own; scripts/lib/in-root.sh runs a command there.
# A second run finds the root complete and returns in seconds.
#
# Usage: scripts/rootfs.sh [--update] [--print]
#   --update   apt-get upgrade inside an existing root (new point releases)
#   --print    print the root's path if it is complete; exit 1 otherwise
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

update=0 print=0
while (($#)); do
  case $1 in
    --update) update=1; shift ;;
    --print) print=1; shift ;;
    -h|--help) sed -n '2,14s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) die "rootfs.sh: unknown argument '$1' (see --help)" ;;
  esac
done

root=$ENDGAME_ROOTFS
stamp=$root/.endgame-rootfs
# The CPythons come with debootstrap; the rest is installed with apt inside.
cpython_packages=(python3.14-dev python3.14-dbg python3.15-dev python3.15-dbg)
packages=(
  # build endgame inside: toolchain and the libraries it links
  g++ cmake ninja-build pkg-config libabsl-dev libgtest-dev libgmock-dev libbenchmark-dev libcli11-dev
  # fuzzing on 3.14/3.15 (scripts/fuzz.sh --cpython 3.14): clang with libFuzzer
  clang libclang-rt-dev
  # stacks, fuzzer seed archives
  gdb zip unzip procps
  # the Python strategies' libraries (for 3.14, sid's default python3)
  python3-trio python3-anyio
)
want="${cpython_packages[*]} ${packages[*]}"

if ((print)); then
  [[ -f $stamp && $(cat "$stamp") == "$want" ]] || exit 1
  echo "$root"
  exit 0
fi
if [[ -f $stamp && $(cat "$stamp") == "$want" && $update -eq 0 ]]; then
  echo "$root"
  exit 0
fi

[[ $(id -u) -eq 0 ]] || die "rootfs.sh must run as root (debootstrap and chroot need it); try: sudo $0"
command -v debootstrap >/dev/null || die "debootstrap is missing: apt-get install debootstrap (scripts/bootstrap.sh installs it)"
command -v unshare >/dev/null || die "unshare (util-linux) is missing"
mapfile -t uris < <(mirror_uris)
((${#uris[@]})) || die "no Debian mirror found in /etc/apt/sources.list{,.d}: cannot create the sid root"
mirror=${uris[0]}

if [[ ! -x $root/usr/bin/apt-get ]]; then
  # Built beside its final place and moved in whole: an interrupted run
  # leaves no half root that a later run would take for a complete one.
  mkdir -p "$(dirname "$root")"
  tmp=$root.partial
  rm -rf --one-file-system "$tmp"
  note "creating the sid root for CPython 3.14/3.15 (debootstrap, about 90 s)"
  start=$SECONDS
  log=$(dirname "$root")/debootstrap.log
  # In a private mount namespace: the /proc and /sys debootstrap mounts inside
  # the target vanish with it, even when it is killed.
  if ! unshare --mount --propagation private debootstrap --variant=minbase --include="$(IFS=,; echo "${cpython_packages[*]}")" \
      sid "$tmp" "$mirror" >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    rm -rf --one-file-system "$tmp"
    die "debootstrap of sid from $mirror failed (log: $log)"
  fi
  mv "$tmp" "$root"
  note "debootstrap took $((SECONDS - start)) s"
fi

# apt inside the root: DNS from the host, no services started by packages.
cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod +x "$root/usr/sbin/policy-rc.d"
# The mirror may serve a frozen snapshot of sid whose Release file is past its
# Valid-Until date (seen here: 25 days); debootstrap does not check it, apt does.
echo 'Acquire::Check-Valid-Until "false";' >"$root/etc/apt/apt.conf.d/90endgame-snapshot"
start=$SECONDS
upgrade=""
((update)) && upgrade="apt-get upgrade -y -qq"
apt_script="export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
$upgrade
apt-get install -y -qq --no-install-recommends $want"
note "installing inside the root: ${packages[*]}"
if ! ENDGAME_IN_ROOT_BARE=1 "$ENDGAME_ROOT/scripts/lib/in-root.sh" sh -ec "$apt_script" >"$root/../apt.log" 2>&1; then
  tail -n 20 "$root/../apt.log" >&2
  die "apt-get inside the root failed (log: $(dirname "$root")/apt.log)"
fi
note "apt inside the root took $((SECONDS - start)) s"
echo "$want" >"$stamp"
echo "$root"
