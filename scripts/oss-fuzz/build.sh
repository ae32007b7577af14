#!/bin/bash -eu
# OSS-Fuzz / ClusterFuzzLite build script for endgame (docs/oss-fuzz.md).
#
# Honours OSS-Fuzz's environment: $CC $CXX $CFLAGS $CXXFLAGS $LIB_FUZZING_ENGINE
# $SANITIZER $SRC $OUT $WORK. Builds CPython from source with those flags
# (asserts on, static, system malloc) and ships it in $OUT/python, where the
# fuzz targets find it relative to their own path at run time; then builds the
# engine fuzz targets, linked with $CXX, and writes next to each binary
# <target>_seed_corpus.zip, <target>.dict and <target>.options.
#
# Sources: $SRC/endgame (this repository) and the CPython tree in
# $SRC/cpython, or $ENDGAME_CPYTHON_SOURCE (a tree or a tarball) when set.
# A $SRC/abseil-cpp checkout, when present, is built and used instead of the
# system's Abseil.
: "${SRC:?}" "${OUT:?}" "${WORK:?}" "${CC:?}" "${CXX:?}" "${LIB_FUZZING_ENGINE:?}"
CFLAGS=${CFLAGS:-} CXXFLAGS=${CXXFLAGS:-} SANITIZER=${SANITIZER:-address}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=${ENDGAME_SRC:-$(cd "$here/../.." && pwd)}
targets=(lifecycle strategy_diff destroy_race interp_config)
jobs=$(nproc)

echo "endgame oss-fuzz build: sanitizer $SANITIZER, engine $LIB_FUZZING_ENGINE, out $OUT"

# 1. CPython, into $OUT/python.
cpython=${ENDGAME_CPYTHON_SOURCE:-$SRC/cpython}
[[ -e $cpython ]] || { echo "build.sh: no CPython source at $cpython (set ENDGAME_CPYTHON_SOURCE)" >&2; exit 1; }
XDG_CACHE_HOME=$WORK/cache "$root/scripts/build-cpython.sh" --variant oss-fuzz --source "$cpython" \
  --prefix "$OUT/python" --force
config=$(ls "$OUT"/python/bin/python3.*-config | head -n 1)
# What the targets never need at run time: tests, idle, tkinter, caches.
rm -rf "$OUT"/python/lib/python3.*/{test,idlelib,tkinter,turtledemo,ensurepip}
find "$OUT/python" -name __pycache__ -prune -exec rm -rf {} +

# 2. Abseil, when the project brings its own.
prefix_path=()
if [[ -d $SRC/abseil-cpp ]]; then
  cmake -S "$SRC/abseil-cpp" -B "$WORK/abseil" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_STANDARD=17 -DABSL_PROPAGATE_CXX_STD=ON -DCMAKE_INSTALL_PREFIX="$WORK/deps"
  cmake --build "$WORK/abseil" -j"$jobs"
  cmake --install "$WORK/abseil"
  prefix_path=(-DCMAKE_PREFIX_PATH="$WORK/deps")
fi

# 3. The fuzz targets. The sanitizer and coverage flags are OSS-Fuzz's
# (CFLAGS/CXXFLAGS), so endgame adds none of its own.
cmake -S "$root" -B "$WORK/endgame" -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
  -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_CXX_FLAGS="$CXXFLAGS" \
  -DENDGAME_SANITIZER=none -DENDGAME_LIB_FUZZING_ENGINE="$LIB_FUZZING_ENGINE" \
  -DENDGAME_PYTHON_CONFIG="$config" \
  -DENDGAME_BUILD_TESTS=OFF -DENDGAME_BUILD_BENCHMARKS=OFF -DENDGAME_BUILD_CLI=OFF "${prefix_path[@]}"
cmake --build "$WORK/endgame" -j"$jobs" --target fuzz_seeds "${targets[@]/%/_fuzzer}"

# 4. Ship binaries, seeds, dictionaries and options.
for t in "${targets[@]}"; do
  cp "$WORK/endgame/fuzz/${t}_fuzzer" "$OUT/${t}_fuzzer"
  cp "$root/fuzz/$t.dict" "$OUT/${t}_fuzzer.dict"
  sed "s/^dict = .*/dict = ${t}_fuzzer.dict/" "$root/fuzz/$t.options" >"$OUT/${t}_fuzzer.options"
  rm -f "$OUT/${t}_fuzzer_seed_corpus.zip"
  (cd "$WORK/endgame/fuzz/seeds/$t" && zip -q -j "$OUT/${t}_fuzzer_seed_corpus.zip" ./*.bin)
done
echo "endgame oss-fuzz build: $(printf '%s_fuzzer ' "${targets[@]}")in $OUT"
