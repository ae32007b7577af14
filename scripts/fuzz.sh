#!/usr/bin/env bash
# Runs one engine fuzz target with libFuzzer, then triages what it found.
#
# Usage: scripts/fuzz.sh TARGET [--seconds N] [--jobs N] [--cpython asan-fuzz|release] [--out DIR]
#                         [--seeds FILE.scn|DIR]...
#   TARGET     lifecycle | strategy_diff | destroy_race | interp_config
#   --seconds  total fuzzing time (default 600)
#   --jobs     parallel libFuzzer processes (fork mode; default: cores)
#   --cpython  the CPython the target embeds: asan-fuzz (default; 3.13 built
#              from source with ASan and coverage, so libFuzzer sees CPython's
#              own teardown code), release (3.13), or 3.14 / 3.15 (Debian's
#              release builds, inside the sid root with its clang; coverage
#              then covers only endgame's own code)
#   --out      results (default out/fuzz/TARGET-CPYTHON): corpus/, artifacts/,
#              scenarios/ (each artifact decoded into .scn), findings/, fuzz.log
#   --seeds    more seed scenarios (.scn files, or folders of them) besides
#              corpus/TARGET, e.g. a known finding to find again
#
# Fuzzing goes on past findings (-fork with -ignore_crashes/-ignore_timeouts);
# every crash, timeout or OOM artifact is decoded into the scenario the target
# ran and handed to `endgame triage`, which runs it supervised and records a
# finding folder (scenario, verdict, stacks, meta.json) under findings/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
usage() { sed -n '2,23s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

orig_args=("$@")
target="" seconds=600 jobs=$(nproc) cpython=asan-fuzz out="" seeds=()
while (($#)); do
  case $1 in
    --seconds) seconds=${2:?--seconds needs a value}; shift 2 ;;
    --jobs) jobs=${2:?--jobs needs a value}; shift 2 ;;
    --cpython) cpython=${2:?--cpython needs a value}; shift 2 ;;
    --out) out=${2:?--out needs a value}; shift 2 ;;
    --seeds) [[ -e ${2:?--seeds needs a value} ]] || die "fuzz.sh: no such seed file or folder: $2"
             seeds+=("$2"); shift 2 ;;
    -h|--help) usage; exit 0 ;;
    -*) usage >&2; die "fuzz.sh: unknown flag '$1'" ;;
    *) [[ -z $target ]] || { usage >&2; die "fuzz.sh: one TARGET only"; }; target=$1; shift ;;
  esac
done
case $target in
  lifecycle|strategy_diff|destroy_race|interp_config) ;;
  "") usage >&2; die "fuzz.sh: which TARGET?" ;;
  *) die "fuzz.sh: unknown target '$target' (lifecycle, strategy_diff, destroy_race, interp_config)" ;;
esac
[[ $seconds =~ ^[1-9][0-9]*$ ]] || die "fuzz.sh: --seconds must be a positive integer, not '$seconds'"
[[ $jobs =~ ^[1-9][0-9]*$ ]] || die "fuzz.sh: --jobs must be a positive integer, not '$jobs'"
case $cpython in
  asan-fuzz) preset=fuzz ;;
  release) preset=fuzz-release ;;
  3.14|3.15)
    preset=fuzz-py${cpython/./}
    if [[ ${ENDGAME_IN_ROOT:-} != 1 ]]; then
      "$ENDGAME_ROOT/scripts/rootfs.sh" >/dev/null || die "fuzz.sh: the sid root for CPython $cpython is not ready (scripts/rootfs.sh)"
      exec "$ENDGAME_ROOT/scripts/lib/in-root.sh" "$ENDGAME_ROOT/scripts/fuzz.sh" "${orig_args[@]}"
    fi ;;
  *) die "fuzz.sh: --cpython must be asan-fuzz, release, 3.14 or 3.15, not '$cpython'" ;;
esac
command -v clang++ >/dev/null || die "fuzz.sh needs clang with libFuzzer; run scripts/bootstrap.sh"
out=${out:-$ENDGAME_ROOT/out/fuzz/$target-$cpython}

# CPython and the build.
if [[ $cpython != 3.1[45] && -z $(default_cpython_prefix "$cpython") ]]; then
  [[ $cpython == release ]] && "$ENDGAME_ROOT/scripts/bootstrap.sh" >&2
  [[ $cpython == asan-fuzz ]] && "$ENDGAME_ROOT/scripts/build-cpython.sh" --variant asan-fuzz >/dev/null
fi
build=$ENDGAME_ROOT/build/$preset
if [[ ! -f $build/build.ninja ]]; then
  (cd "$ENDGAME_ROOT" && cmake --preset "$preset" -DENDGAME_BUILD_TESTS=OFF -DENDGAME_BUILD_BENCHMARKS=OFF >/dev/null) ||
    die "configure failed (cmake --preset $preset)"
fi
note "building ${target}_fuzzer ($preset)"
cmake --build "$build" --target "${target}_fuzzer" fuzz_seeds endgame >"$build/.fuzz-build.log" 2>&1 ||
  { tail -n 40 "$build/.fuzz-build.log" >&2; die "build failed (cmake --build $build --target ${target}_fuzzer)"; }
bin=$build/fuzz/${target}_fuzzer
endgame=$build/cli/endgame

mkdir -p "$out/corpus" "$out/artifacts" "$out/scenarios"
cp -n "$build/fuzz/seeds/$target"/*.bin "$out/corpus/" 2>/dev/null || true
for s in "${seeds[@]}"; do
  while IFS= read -r f; do
    "$endgame" encode "$f" -o "$out/corpus/extra-$(basename "$f" .scn).bin" || die "fuzz.sh: bad seed $f"
  done < <(if [[ -d $s ]]; then find "$s" -name '*.scn' | sort; else echo "$s"; fi)
done

# fuzz/TARGET.options ([libfuzzer] key = value) as flags; the dictionary by path.
flags=()
while IFS='=' read -r k v; do
  k=${k//[[:space:]]/} v=${v//[[:space:]]/}
  [[ -z $k || $k == \#* || $k == \[* ]] && continue
  [[ $k == dict ]] && v=$ENDGAME_ROOT/fuzz/$target.dict
  flags+=("-$k=$v")
done <"$ENDGAME_ROOT/fuzz/$target.options"

# LeakSanitizer is off here: CPython keeps its runtime alive for the whole
# process by design (a leak lane with PYTHONMALLOC=malloc covers leaks).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1}
before=$(ls "$out/artifacts" | wc -l)
started=$(date +%s)
# Seconds from the start of fuzzing to the first new artifact.
first_artifact() {
  local t
  t=$(find "$out/artifacts" -type f -newermt "@$started" -printf '%T@\n' | sort -n | head -n 1)
  [[ -n $t ]] && echo "$(( ${t%.*} - started )) s" || echo "none"
}
note "fuzzing $target for ${seconds}s with $jobs jobs on CPython $cpython; log: $out/fuzz.log"
set +e
(cd "$out" && "$bin" "${flags[@]}" -fork="$jobs" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
   -max_total_time="$seconds" -artifact_prefix="$out/artifacts/" "$out/corpus" 2>&1) |
  tee "$out/fuzz.log" | grep --line-buffered -E '^#[0-9]+|INITED|DONE|==endgame-fuzz== finding|ERROR:' 
rc=${PIPESTATUS[0]}
set -e
[[ $rc -eq 0 ]] || note "libFuzzer exited with $rc (see $out/fuzz.log)"

# Triage: every artifact becomes a scenario and, when it still fails, a finding.
scns=()
for a in "$out"/artifacts/*; do
  [[ -f $a && $a != *.scn ]] || continue
  s=$out/scenarios/$(basename "$a").scn
  [[ -f $s ]] && continue  # triaged by an earlier run
  "$endgame" decode --target "$target" "$a" -o "$s"
  scns+=("$s")
done
last=$(grep -E '^#[0-9]+' "$out/fuzz.log" | tail -n 1 || true)
echo
echo "fuzz.sh: $target on CPython $cpython, ${seconds}s, $jobs jobs; first artifact after $(first_artifact)"
echo "  last stats: ${last:-none}"
echo "  corpus: $(ls "$out/corpus" | wc -l) inputs; artifacts: $(ls "$out/artifacts" | wc -l) ($(( $(ls "$out/artifacts" | wc -l) - before )) new)"
if ((${#scns[@]})); then
  "$endgame" triage "${scns[@]}" --runs 3 --out "$out/findings" --known "$ENDGAME_ROOT/corpus/known" || true
  echo "  findings: $out/findings"
fi
