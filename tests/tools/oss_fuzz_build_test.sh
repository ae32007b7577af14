#!/usr/bin/env bash
# Runs scripts/oss-fuzz/build.sh as OSS-Fuzz runs it for address + libFuzzer,
# into a temporary $OUT, moves $OUT elsewhere (ClusterFuzz runs binaries from
# another place), then runs each produced fuzz target from there, alone, for
# 10 seconds on its seed corpus.
#
# Usage: oss_fuzz_build_test.sh REPO_ROOT
# A target passes when it started CPython and either fuzzed for the whole
# time or stopped on a finding the harness reported (a CPython bug is a
# result, not a failure of this test). Any other end fails.
set -euo pipefail
root=$(cd "${1:?usage: oss_fuzz_build_test.sh REPO_ROOT}" && pwd)
source "$root/scripts/lib/common.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/endgame-ossfuzz.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src" "$tmp/out" "$tmp/work"
ln -s "$root" "$tmp/src/endgame"

# The CPython source OSS-Fuzz's Dockerfile would clone: here, the tarball
# bootstrap fetched (or fetches) from the Debian mirror.
cpython=$("$root/scripts/lib/fetch-cpython-source.sh" --series "$ENDGAME_SERIES")

export SRC=$tmp/src OUT=$tmp/out WORK=$tmp/work
export CC=clang CXX=clang++ SANITIZER=address FUZZING_ENGINE=libfuzzer ARCHITECTURE=x86_64 FUZZING_LANGUAGE=c++
export CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION -fsanitize=address -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link"
# OSS-Fuzz adds -stdlib=libc++ and builds Abseil with it (its Dockerfile);
# here Debian's Abseil is built against libstdc++, so the test keeps that.
export CXXFLAGS=$CFLAGS
export LIB_FUZZING_ENGINE=-fsanitize=fuzzer
export ENDGAME_CPYTHON_SOURCE=$cpython
start=$SECONDS
bash -eu "$root/scripts/oss-fuzz/build.sh" >"$tmp/build.log" 2>&1 || { tail -n 60 "$tmp/build.log"; echo "FAIL: build.sh failed"; exit 1; }
echo "build.sh: $((SECONDS - start)) s"

mv "$tmp/out" "$tmp/moved"
cd "$tmp/moved"
fail=0
for t in lifecycle strategy_diff destroy_race interp_config; do
  b=${t}_fuzzer
  for f in "$b" "$b.dict" "$b.options" "${b}_seed_corpus.zip"; do
    [[ -s $f ]] || { echo "FAIL: \$OUT lacks $f"; fail=1; }
  done
  [[ $b =~ ^[A-Za-z0-9_-]+$ ]] || { echo "FAIL: bad binary name $b"; fail=1; }
  mkdir -p "seeds-$t"
  unzip -q -o "${b}_seed_corpus.zip" -d "seeds-$t"
  n=$(ls "seeds-$t" | wc -l)
  ((n >= 10)) || { echo "FAIL: $b has $n seeds"; fail=1; }
  set +e
  ASAN_OPTIONS=detect_leaks=0 timeout -k 10 120 "./$b" -max_total_time=10 -timeout=25 -dict="$b.dict" \
    -artifact_prefix="$tmp/moved/" "seeds-$t" >"$t.log" 2>&1
  rc=$?
  set -e
  execs=$(grep -oE '^#[0-9]+' "$t.log" | tail -n 1)
  if ! grep -q "endgame-fuzz: target $t on CPython" "$t.log"; then
    echo "FAIL: $b did not start CPython (exit $rc)"; tail -n 30 "$t.log"; fail=1
  elif ((rc == 0)) && grep -q "Done" "$t.log"; then
    echo "ok: $b fuzzed 10 s, last stats ${execs:-none}: $(grep -E '^#[0-9]+' "$t.log" | tail -n 1)"
  elif grep -qE "==endgame-fuzz== finding|Fatal Python error" "$t.log"; then
    echo "ok: $b stopped on a finding after ${execs:-no stats}: $(grep -m1 -E '==endgame-fuzz== finding|Fatal Python error' "$t.log")"
  else
    echo "FAIL: $b ended with $rc"; tail -n 40 "$t.log"; fail=1
  fi
done
exit $fail
