#!/usr/bin/env bash
# scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...] — builds the `fuzz` preset (clang-14,
# libFuzzer + ASan + UBSan) and runs every libFuzzer target of tests/fuzz (or the named ones) for
# SECONDS_PER_TARGET seconds (default 30), one after the other. See docs/fuzzing.md.
#
# Corpora live outside the repository: ~/.cache/dotakv/fuzz/corpus/<target>/ starts from the
# seeds the project's writers produce (fuzz_make_corpus), tests/fuzz/corpus/<target>/ and
# tests/fuzz/regressions/<target>/, and keeps what libFuzzer adds between runs. Prints the
# executions and crashes per target; exits 1 if any target crashed (crash, sanitizer report,
# leak, timeout or out-of-memory), with the input saved under ~/.cache/dotakv/fuzz/crashes/.
# Environment: FUZZ_RSS_LIMIT_MB (default 2048), FUZZ_TIMEOUT_S per input (default 10),
# FUZZ_FRESH=1 to drop the accumulated corpora first.
set -euo pipefail
secs="${1:-30}"
shift || true
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
cache="${HOME}/.cache/dotakv/fuzz"
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(dirname "$root")}"

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
bin="$root/build/fuzz/bin"

if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for f in tests/fuzz/fuzz_*.cpp; do
    n="$(basename "$f" .cpp)"
    targets+=("${n#fuzz_}")
  done
fi

[ "${FUZZ_FRESH:-0}" = 1 ] && rm -rf "$cache/corpus"
mkdir -p "$cache/corpus" "$cache/crashes" "$cache/logs"
rm -rf "$cache/seeds" "$cache/artifacts"
"$bin/fuzz_make_corpus" "$cache/seeds" "${targets[@]}" >/dev/null

export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:allocator_may_return_null=0}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$root/tests/fuzz/lsan.supp:print_suppressions=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"

printf '%-20s %12s %8s %8s  %s\n' target executions exec/s crashes "first finding"
total_crashes=0
for t in "${targets[@]}"; do
  corpus="$cache/corpus/$t"
  art="$cache/artifacts/$t"
  log="$cache/logs/$t.log"
  mkdir -p "$corpus" "$art"
  cp -f "$cache/seeds/$t/"* "$corpus/" 2>/dev/null || true
  for kept in "tests/fuzz/corpus/$t" "tests/fuzz/regressions/$t"; do
    [ -d "$kept" ] && cp -f "$kept/"* "$corpus/" 2>/dev/null || true
  done
  set +e
  "$bin/fuzz_$t" -max_total_time="$secs" -rss_limit_mb="${FUZZ_RSS_LIMIT_MB:-2048}" \
    -timeout="${FUZZ_TIMEOUT_S:-10}" -print_final_stats=1 -artifact_prefix="$art/" \
    "$corpus" >"$log" 2>&1
  rc=$?
  set -e
  execs="$(awk '/stat::number_of_executed_units/ {n = $2} END {print n + 0}' "$log")"
  rate="$(awk -v n="$execs" -v s="$secs" 'BEGIN {printf "%.0f", n / (s > 0 ? s : 1)}')"
  crashes=0
  first=""
  for a in "$art"/crash-* "$art"/leak-* "$art"/timeout-* "$art"/oom-*; do
    [ -e "$a" ] || continue
    crashes=$((crashes + 1))
    cp -f "$a" "$cache/crashes/${t}-$(basename "$a")"
    first="${first:-$cache/crashes/${t}-$(basename "$a")}"
  done
  if [ "$rc" -ne 0 ] && [ "$crashes" -eq 0 ]; then
    crashes=1
    first="exit status $rc, see $log"
  fi
  [ -n "$first" ] && first="$first ($(grep -m1 -E '^==[0-9]+==ERROR|^SUMMARY|runtime error|uncaught|deadly signal|out-of-memory|timeout' "$log" | cut -c1-100))"
  total_crashes=$((total_crashes + crashes))
  printf '%-20s %12s %8s %8s  %s\n' "$t" "$execs" "$rate" "$crashes" "$first"
done
echo "logs: $cache/logs/; corpora: $cache/corpus/"
if [ "$total_crashes" -gt 0 ]; then
  echo "fuzz: $total_crashes crash(es); inputs in $cache/crashes/" >&2
  exit 1
fi
