#!/usr/bin/env bash
# Builds one CPython variant into endgame's cache and prints its install prefix.
#
# Usage: scripts/build-cpython.sh [--variant release|debug|asan-fuzz|tsan|freethreaded|oss-fuzz]
#                                 [--source DIR|TARBALL] [--series 3.13] [--prefix DIR] [--force]
#
# Without --source, the newest python<series> source on the machine's Debian
# mirror is used. The prefix defaults to
#   ${XDG_CACHE_HOME:-$HOME/.cache}/endgame/cpython/<version>-<variant>
# A prefix that already holds a finished build is reused unless --force.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

variant=release source="" series=$ENDGAME_SERIES prefix="" force=0
usage() { sed -n '2,10s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
while (($#)); do
  case $1 in
    --variant) variant=${2:?}; shift 2 ;;
    --source) source=${2:?}; shift 2 ;;
    --series) series=${2:?}; shift 2 ;;
    --prefix) prefix=${2:?}; shift 2 ;;
    --force) force=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "build-cpython.sh: unknown argument '$1'" ;;
  esac
done

cc=gcc cxx=g++ cflags="" ldflags="" extra=()
case $variant in
  release) ;;
  debug) extra+=(--with-pydebug) ;;
  asan-fuzz)
    # As OSS-Fuzz builds CPython: clang, ASan, coverage for libFuzzer, asserts on,
    # static libpython, system malloc so ASan sees every block.
    cc=clang cxx=clang++
    cflags="-fsanitize=fuzzer-no-link -UNDEBUG -fno-omit-frame-pointer"
    extra+=(--with-address-sanitizer --without-pymalloc --disable-shared) ;;
  tsan)
    cc=clang cxx=clang++
    cflags="-fno-omit-frame-pointer"
    extra+=(--with-thread-sanitizer) ;;
  freethreaded) extra+=(--disable-gil) ;;
  oss-fuzz)
    # Inside OSS-Fuzz's builder (scripts/oss-fuzz/build.sh): its compiler and
    # sanitizer flags from the environment, asserts on, static, system malloc.
    cc=${CC:-clang} cxx=${CXX:-clang++}
    cflags="${CFLAGS:-} -UNDEBUG" ldflags="${CFLAGS:-}"
    extra+=(--without-pymalloc --disable-shared) ;;
  *) die "unknown variant '$variant' (release|debug|asan-fuzz|tsan|freethreaded|oss-fuzz)" ;;
esac
command -v "$cc" >/dev/null || die "variant $variant needs $cc; run scripts/bootstrap.sh"

# Locate or download the source, then unpack it into a scratch tree.
if [[ -z $source ]]; then
  source=$("$ENDGAME_ROOT/scripts/lib/fetch-cpython-source.sh" --series "$series")
fi
[[ -e $source ]] || die "CPython source '$source' does not exist"
# A Debian orig tarball names its version: a finished build of it is reused
# without unpacking anything (bootstrap's second run takes seconds).
if [[ -z $prefix && $force -eq 0 && $(basename "$source") =~ ^python[0-9.]+_([0-9]+\.[0-9]+\.[0-9]+)\.orig\.tar ]]; then
  known=$ENDGAME_CACHE/cpython/${BASH_REMATCH[1]}-$variant
  if [[ -f $known/.endgame-built ]]; then
    echo "$known"
    exit 0
  fi
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/endgame-cpython.XXXXXX")
trap 'rm -rf "$work"' EXIT
if [[ -d $source ]]; then
  src=$(cd "$source" && pwd)
  [[ -f $src/Include/patchlevel.h && -x $src/configure ]] || die "'$source' is not a CPython source tree (no Include/patchlevel.h or configure)"
else
  tar -xf "$source" -C "$work" || die "cannot unpack '$source'"
  src=$(find "$work" -maxdepth 2 -name configure -path '*/configure' -printf '%h\n' | head -n 1)
  [[ -n $src && -f $src/Include/patchlevel.h ]] || die "'$source' does not contain a CPython source tree"
fi
version=$(sed -n 's/^#define PY_VERSION[[:space:]]*"\(.*\)"/\1/p' "$src/Include/patchlevel.h")
[[ -n $version ]] || die "cannot read PY_VERSION from $src/Include/patchlevel.h"

prefix=${prefix:-$ENDGAME_CACHE/cpython/$version-$variant}
if [[ -f $prefix/.endgame-built && $force -eq 0 ]]; then
  echo "$prefix"
  exit 0
fi

# Release, debug, tsan and free-threaded builds are shared libraries with an
# rpath, like distribution builds (so extension modules and `python3-config
# --embed` work for embedders); asan-fuzz is static, as OSS-Fuzz ships it.
if [[ " ${extra[*]} " != *" --disable-shared "* ]]; then
  extra+=(--enable-shared)
  ldflags="$ldflags -Wl,-rpath,$prefix/lib"
fi

note "building CPython $version ($variant) into $prefix"
build=$work/build
mkdir -p "$build"
log=$work/build.log
start=$SECONDS
(
  cd "$build"
  # Building with ASan must not stop on leaks in the build's own python runs.
  export ASAN_OPTIONS=detect_leaks=0
  CC=$cc CXX=$cxx CFLAGS="$cflags" LDFLAGS="$ldflags" \
    "$src/configure" --prefix="$prefix" --with-ensurepip=no "${extra[@]}"
  make -j"$(nproc)"
  rm -rf "$prefix"
  make install
) >"$log" 2>&1 || { tail -n 40 "$log" >&2; die "CPython $version ($variant) build failed; full log above"; }
# CPython's gdb helpers give the watchdog Python stacks of every thread (py-bt).
mkdir -p "$prefix/share/endgame"
cp "$src/Tools/gdb/libpython.py" "$prefix/share/endgame/libpython.py"
configure_args=$(sed -n "s/^CONFIG_ARGS=[[:space:]]*//p" "$build/Makefile")
# Record how it was made, for `endgame doctor` and finding reports.
{
  echo "version=$version"
  echo "variant=$variant"
  echo "source=$source"
  echo "cc=$cc"
  echo "configure=$configure_args"
  echo "built=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "seconds=$((SECONDS - start))"
} >"$prefix/.endgame-built"
note "built CPython $version ($variant) in $((SECONDS - start)) s"
echo "$prefix"
