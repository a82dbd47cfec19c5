#!/usr/bin/env bash
# scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...] — builds the `fuzz` preset (clang-14,
# libFuzzer + ASan + UBSan) and runs every libFuzzer target of tests/fuzz (or the named ones) for
# SECONDS_PER_TARGET seconds (default 30), one after the other. See docs/fuzzing.md.
#
# Corpora live outside the repository: ~/.cache/dotakv/fuzz/corpus/<target>/ starts from the
# seeds the project's writers produce (fuzz_make_corpus), tests/fuzz/corpus/<target>/ and
# tests/fuzz/regressions/<target>/, and keeps what libFuzzer adds between runs.
#
# Each target runs in libFuzzer's fork mode and keeps going after a finding (crash, sanitizer
# report, leak, timeout, out-of-memory), so it uses its whole budget. Every saved input is then
# replayed and triaged by its stacks (scripts/fuzz_triage.awk): `upstream` when the faulting
# stack and every allocation/free stack of the report start (below the sanitizer runtime, libc
# and libstdc++) in Debian's libhdf5, whose 1.10.8 parser has known memory errors on corrupt
# files (docs/fuzzing.md); `unreproduced` when three replays alone in a fresh process report
# nothing (a fork-mode job runs many inputs in one process, and Debian's libhdf5 is not
# instrumented, so heap damage it does on one input can surface on a later one); `dotakv`
# otherwise, including anything unsymbolised. Prints executions and findings per target; exits 1
# if any finding is `dotakv`, with the input copied to ~/.cache/dotakv/fuzz/crashes/. Upstream
# and unreproduced findings are listed, kept in ~/.cache/dotakv/fuzz/{upstream,unreproduced}/,
# and do not fail the run (FUZZ_STRICT=1 makes them fail).
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

triage="$root/scripts/fuzz_triage.awk"
mkdir -p "$cache/upstream" "$cache/unreproduced" "$cache/results"
rm -f "$cache/results/"*
limits=(-rss_limit_mb="${FUZZ_RSS_LIMIT_MB:-2048}" -timeout="${FUZZ_TIMEOUT_S:-10}")

# Runs one target and writes "target<TAB>executions<TAB>exec/s<TAB>dotakv<TAB>upstream<TAB>first"
# to $cache/results/<target>.
run_target() {
  local t="$1" corpus="$cache/corpus/$1" art="$cache/artifacts/$1" log="$cache/logs/$1.log"
  local rc execs rate mine=0 theirs=0 ghosts=0 first="" a replay verdict
  mkdir -p "$corpus" "$art"
  cp -f "$cache/seeds/$t/"* "$corpus/" 2>/dev/null || true
  for kept in "tests/fuzz/corpus/$t" "tests/fuzz/regressions/$t"; do
    [ -d "$kept" ] && cp -f "$kept/"* "$corpus/" 2>/dev/null || true
  done
  set +e
  "$bin/fuzz_$t" -fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1 \
    -max_total_time="$secs" "${limits[@]}" -print_final_stats=1 -artifact_prefix="$art/" \
    "$corpus" >"$log" 2>&1
  rc=$?
  set -e
  # Fork mode prints "#<executions>: cov: ..." as jobs finish; plain mode prints final stats.
  execs="$(awk '/^#[0-9]+: cov:/ {v = substr($1, 2) + 0; if (v > n) n = v}
                /stat::number_of_executed_units/ {if ($2 + 0 > n) n = $2 + 0}
                END {print n + 0}' "$log")"
  rate="$(awk -v n="$execs" -v s="$secs" 'BEGIN {printf "%.0f", n / (s > 0 ? s : 1)}')"
  for a in "$art"/crash-* "$art"/leak-* "$art"/timeout-* "$art"/oom-*; do
    [ -e "$a" ] || continue
    replay="$cache/logs/$t.$(basename "$a").replay"
    # libFuzzer reports a malloc over its limit without the allocating stack; for out-of-memory
    # inputs the replay leaves single allocations to ASan (max_allocation_size_mb = the RSS
    # limit), whose report has the stack that the triage reads (HDF5's metadata cache asks for
    # gigabytes on some corrupt files). The RSS limit still stops slow growth.
    replay_env=()
    replay_limits=("${limits[@]}")
    case "$(basename "$a")" in
      oom-*)
        replay_env=(ASAN_OPTIONS="$ASAN_OPTIONS:max_allocation_size_mb=${FUZZ_RSS_LIMIT_MB:-2048}")
        replay_limits+=(-malloc_limit_mb=0)
        ;;
    esac
    for attempt in 1 2 3; do
      set +e
      # the subshell (not exec'd into the command: `; exit`) prints bash's "Aborted" job notice
      # for each replayed crash to its own stderr, which is discarded
      (
        env "${replay_env[@]}" timeout $((${FUZZ_TIMEOUT_S:-10} * 3 + 30)) "$bin/fuzz_$t" \
          "${replay_limits[@]}" "$a" >"$replay" 2>&1
        exit $?
      ) 2>/dev/null
      set -e
      verdict="$(awk -f "$triage" "$replay")"
      [ "${verdict%%$'\t'*}" = unreproduced ] || break
    done
    if [ "${verdict%%$'\t'*}" = upstream ] && [ "${FUZZ_STRICT:-0}" != 1 ]; then
      theirs=$((theirs + 1))
      cp -f "$a" "$cache/upstream/${t}-$(basename "$a")"
    elif [ "${verdict%%$'\t'*}" = unreproduced ] && [ "${FUZZ_STRICT:-0}" != 1 ]; then
      ghosts=$((ghosts + 1))
      cp -f "$a" "$cache/unreproduced/${t}-$(basename "$a")"
    else
      mine=$((mine + 1))
      cp -f "$a" "$cache/crashes/${t}-$(basename "$a")"
      first="${first:-$(basename "$a"): ${verdict#*$'\t'}}"
    fi
  done
  if [ "$rc" -ne 0 ] && [ "$mine" -eq 0 ] && [ "$theirs" -eq 0 ] && [ "$ghosts" -eq 0 ]; then
    mine=1
    first="exit status $rc with no saved input, see $log"
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$execs" "$rate" "$mine" "$theirs" "$ghosts" \
    "${first:0:110}" \
    >"$cache/results/$t"
}

# FUZZ_JOBS targets run at once (default: one per core); each uses one fuzzing process.
jobs="${FUZZ_JOBS:-$(nproc)}"
for t in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  run_target "$t" &
done
wait

printf '%-20s %12s %8s %7s %9s %7s  %s\n' target executions exec/s dotakv upstream unrepr \
  "first dotakv finding"
total_dotakv=0
total_upstream=0
total_ghosts=0
for t in "${targets[@]}"; do
  if [ ! -s "$cache/results/$t" ]; then
    printf '%s\t0\t0\t1\t0\t0\t%s\n' "$t" "no result (script error)" >"$cache/results/$t"
  fi
  IFS=$'\t' read -r name execs rate mine theirs ghosts first <"$cache/results/$t"
  total_dotakv=$((total_dotakv + mine))
  total_upstream=$((total_upstream + theirs))
  total_ghosts=$((total_ghosts + ghosts))
  printf '%-20s %12s %8s %7s %9s %7s  %s\n' "$name" "$execs" "$rate" "$mine" "$theirs" "$ghosts" \
    "$first"
done
echo "logs and replays: $cache/logs/; corpora: $cache/corpus/"
[ "$total_upstream" -gt 0 ] && echo "fuzz: $total_upstream finding(s) inside libhdf5 (upstream), inputs in $cache/upstream/"
[ "$total_ghosts" -gt 0 ] && echo "fuzz: $total_ghosts finding(s) not reproduced alone in 3 replays, inputs in $cache/unreproduced/"
if [ "$total_dotakv" -gt 0 ]; then
  echo "fuzz: $total_dotakv finding(s) in dotakv; inputs in $cache/crashes/" >&2
  exit 1
fi
echo "fuzz: no finding in dotakv"
