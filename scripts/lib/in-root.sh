#!/usr/bin/env bash
# Runs a command inside the sid root made by scripts/rootfs.sh (CPython 3.14
# and 3.15), with the checkout, endgame's cache, /tmp, /proc, /dev, /sys and
# the working directory visible at the same paths as on the host.
#
# The mounts are made in a private mount namespace created for the command:
# they exist only for it and vanish when its last process ends, however it
# ends (normal exit, failure, Ctrl-C, kill -9). The host never sees them, so
# nothing is left mounted. Inside the root, ENDGAME_IN_ROOT=1.
#
# Usage: scripts/lib/in-root.sh CMD [ARG...]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

case ${1:-} in
  ""|-h|--help) sed -n '2,11s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; [[ -n ${1:-} ]]; exit ;;
esac
if [[ ${ENDGAME_IN_ROOT:-} == 1 ]]; then exec "$@"; fi   # already inside

root=$ENDGAME_ROOTFS
if [[ ${_ENDGAME_IN_NS:-} != 1 ]]; then
  [[ $(id -u) -eq 0 ]] || die "running inside the sid root needs root (mount namespaces and chroot)"
  [[ -x $root/usr/bin/env ]] || die "no sid root at $root: run scripts/rootfs.sh"
  if [[ ${ENDGAME_IN_ROOT_BARE:-} != 1 && ! -f $root/.endgame-rootfs ]]; then
    die "the sid root at $root is incomplete: run scripts/rootfs.sh"
  fi
  command -v unshare >/dev/null || die "unshare (util-linux) is missing"
  export _ENDGAME_IN_NS=1
  exec unshare --mount --propagation private -- bash "${BASH_SOURCE[0]}" "$@"
fi
unset _ENDGAME_IN_NS ENDGAME_IN_ROOT_BARE

# In the private namespace: every mount below dies with it.
bind() {  # bind SRC [--rbind]: SRC at the same path inside the root
  local src=$1 how=${2:---bind}
  [[ -e $src ]] || return 0
  mkdir -p "$root$src"
  mount "$how" "$src" "$root$src" || die "cannot bind $src into $root"
}
bind /proc --rbind
bind /dev --rbind
bind /sys --rbind
bind /tmp
bind "$ENDGAME_CACHE"
bind "$ENDGAME_ROOT"
case $PWD in
  "$ENDGAME_ROOT"|"$ENDGAME_ROOT"/*|/tmp|/tmp/*|/) ;;
  *) bind "$PWD" ;;
esac
export ENDGAME_IN_ROOT=1 ENDGAME_CACHE ENDGAME_ROOTFS
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
exec chroot "$root" /bin/sh -c 'cd "$1" 2>/dev/null || cd /; shift; exec "$@"' sh "$PWD" "$@"
