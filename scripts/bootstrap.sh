#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine for endgame: installs what is missing from
# Debian's archive, then builds the default CPython (newest python3.13 source on
# the machine's mirror) in its release and debug variants into
#   ${XDG_CACHE_HOME:-$HOME/.cache}/endgame/cpython/<version>-<variant>
# and creates the Debian sid root that holds CPython 3.14 and 3.15
# (scripts/rootfs.sh), whose pure-Python trio and anyio the 3.13 builds then
# use too. A second run finds everything in place and returns in seconds.
#
# Usage: scripts/bootstrap.sh [--variants "release debug"] [--no-cpython] [--no-rootfs]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

variants="release debug" build_cpython=1 rootfs=1
while (($#)); do
  case $1 in
    --variants) variants=${2:?}; shift 2 ;;
    --no-cpython) build_cpython=0; shift ;;
    --no-rootfs) rootfs=0; shift ;;
    -h|--help) sed -n '2,11s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) die "bootstrap.sh: unknown argument '$1'" ;;
  esac
done

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config git xz-utils
  clang libclang-rt-14-dev llvm
  # libraries endgame links
  libabsl-dev libbenchmark-dev libgtest-dev libgmock-dev libcli11-dev
  # Debian's CPython 3.11, the capi-driver baseline
  python3-dev
  # CPython build dependencies (the modules endgame's snippets use)
  libffi-dev zlib1g-dev libssl-dev liblzma-dev libbz2-dev libsqlite3-dev
  # stacks, plots, fuzzer seed archives (OSS-Fuzz's <target>_seed_corpus.zip)
  gdb python3-matplotlib zip unzip
  # the sid root for CPython 3.14 / 3.15 (scripts/rootfs.sh)
  debootstrap
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  note "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq || die "apt-get update failed"
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
    die "apt-get install failed for: ${missing[*]}"
fi

if ((build_cpython)); then
  for v in $variants; do
    prefix=$("$ENDGAME_ROOT/scripts/build-cpython.sh" --variant "$v") ||
      die "could not build the default CPython ($v)"
    note "CPython $v: $prefix"
  done
fi

if ((rootfs)); then
  root=$("$ENDGAME_ROOT/scripts/rootfs.sh") || die "could not create the sid root for CPython 3.14/3.15"
  note "CPython 3.14/3.15 root: $root"
fi

# trio and anyio for the 3.13 source builds: Debian ships them only for its
# own python3 (sid's root has trio 0.34 and anyio 4.15, which support 3.13).
# They are pure Python, so the root's copies serve 3.13.15 too: the packages
# without a compiled extension are copied into $ENDGAME_CACHE/pure-site and a
# .pth in each 3.13 build's site-packages names that folder. Without the root
# the Python strategies that need them are `skipped` on 3.13, as before.
dist=$ENDGAME_ROOTFS/usr/lib/python3/dist-packages
if ((build_cpython)) && [[ -d $dist/trio ]]; then
  site=$ENDGAME_CACHE/pure-site
  rm -rf "$site.new" && mkdir -p "$site.new"
  for entry in "$dist"/*; do
    name=${entry##*/}
    [[ $name == __pycache__ ]] && continue
    [[ -n $(find "$entry" -name '*.so' -print -quit) ]] && continue  # compiled: for sid's CPythons only
    cp -a "$entry" "$site.new/"
  done
  rm -rf "$site" && mv "$site.new" "$site"
  for v in $variants; do
    prefix=$(default_cpython_prefix "$v") && [[ -n $prefix ]] || continue
    purelib=$("$prefix/bin/python3" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])') ||
      die "could not ask $prefix/bin/python3 for its site-packages"
    echo "$site" >"$purelib/endgame-pure-site.pth"
  done
  note "trio and anyio for the 3.13 builds: $site"
fi
