#!/usr/bin/env bash
# Regenerates docs/BENCHMARKS.md: the seed prototype's KV-cache study redone honestly
# (issue 7 §7) on the machine that runs this script.
#
#   scripts/benchmarks.sh                 # full DoTA size, ~5-15 min on 2 cores
#   CONFIG=compact scripts/benchmarks.sh  # the compact configuration
#   QUICK=1 scripts/benchmarks.sh         # few repetitions: a smoke test of the pipeline only
#   RESUME=1 scripts/benchmarks.sh        # reuse study results already in $OUT
#   GENERATE_ONLY=1 scripts/benchmarks.sh # only regenerate the markdown from $OUT
#
# Environment: BUILD (build dir with bin/dotakv, default build/release), OUT (raw results,
# default ~/.cache/dotakv/benchmarks/<config>), DOC (default docs/BENCHMARKS.md), MODEL (weights
# file; default seeded random weights of CONFIG — timing does not depend on the weight values).
# Raw JSON/CSV/text of every study stay in $OUT; the markdown is generated from them.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build/release}
CONFIG=${CONFIG:-full}
OUT=${OUT:-$HOME/.cache/dotakv/benchmarks/$CONFIG}
DOC=${DOC:-$ROOT/docs/BENCHMARKS.md}
QUICK=${QUICK:-0}
RESUME=${RESUME:-0}
GENERATE_ONLY=${GENERATE_ONLY:-0}
[[ $GENERATE_ONLY == 1 ]] && RESUME=1
MODEL=${MODEL:-}

if [[ $GENERATE_ONLY != 1 ]] && { [[ ! -x $BUILD/bin/dotakv ]] || [[ ${REBUILD:-1} == 1 ]]; }; then
  cmake --build "$BUILD" --target dotakv >/dev/null
fi
DOTAKV=$BUILD/bin/dotakv
mkdir -p "$OUT"
START=$(date +%s)

R20=20 R10=10 R5=5 W=3 W1=1
if [[ $QUICK == 1 ]]; then R20=3 R10=2 R5=2 W=1 W1=0; fi
MODEL_ARGS=(--config "$CONFIG")
[[ -n $MODEL ]] && MODEL_ARGS=(--model "$MODEL")

study() {  # study NAME ARGS... : one `dotakv bench` run, resumable
  local name=$1
  shift
  if [[ $RESUME == 1 && -s $OUT/$name.json ]]; then
    echo "== $name (kept from $OUT)"
    return
  fi
  if [[ $GENERATE_ONLY == 1 ]]; then
    echo "== $name (missing, not run: GENERATE_ONLY)"
    return
  fi
  echo "== $name: dotakv bench $*"
  local t0=$(date +%s)
  "$DOTAKV" bench --quiet "${MODEL_ARGS[@]}" "$@" --json "$OUT/$name.json" --csv "$OUT/$name.csv" \
    >"$OUT/$name.txt"
  echo "   $(($(date +%s) - t0)) s"
  echo "dotakv bench ${MODEL_ARGS[*]} $*" >"$OUT/$name.cmd"
}

[[ $GENERATE_ONLY == 1 && -s $OUT/machine.json ]] || "$DOTAKV" info --json >"$OUT/machine.json"
# 1. The seed's single-sample study: 20 samples, with and without the cache, one-shot inference.
study single --workload full --batch 1 --cache off,on --reps $R20 --warmup $W
#    ... and measured the seed's way (no warm-up, first run included, settings in blocks).
study seedstyle --workload full --batch 1 --cache off,on --reps $R20 --warmup 0 --no-cold --no-interleave
# 2. The seed's batch-size table.
study batch --workload full --batch 1,2,4,8 --cache off,on --reps $R10 --warmup $W1
# 3. Streaming slice by slice (where a causal KV cache can help) and its chunk trade-off.
study stream --workload stream --batch 1 --slices 20,50,150 --chunk 1,10 --cache off,on --reps $R5 --warmup $W1
study stream_kv --workload stream --batch 1 --chunk 1 --cache on --kv-precision fp32,fp16,int8 --reps $R5 --warmup $W1
study stream_batch --workload stream --batch 1,4 --chunk 10 --cache off,on --reps $R5 --warmup $W1
# 4. Prefix reuse after an edit at depth k.
study prefix --workload prefix --batch 1 --depth 0,37,75,112,149 --cache off,on --reps $R10 --warmup $W1
# 5. Auto policy: calibrate on this machine, then decide per request; regret vs best fixed.
if [[ $RESUME == 1 && -s $OUT/auto_policy.json ]] || [[ $GENERATE_ONLY == 1 ]]; then
  echo "== calibrate (kept or skipped)"
else
  echo "== calibrate"
  "$DOTAKV" calibrate "${MODEL_ARGS[@]}" --batch 1 --chunk 1,10 --reps $([[ $QUICK == 1 ]] && echo 1 || echo 3) \
    --out "$OUT/auto_policy.json" >"$OUT/calibrate.txt" 2>/dev/null
fi
study auto --workload stream --batch 1 --slices 5,20,150 --chunk 1 --cache off,on,auto \
  --policy "$OUT/auto_policy.json" --reps $R5 --warmup $W1
# 6. Compute precision and threads.
study precision --workload full --batch 1 --cache off --precision fp32,bf16 --reps $R10 --warmup $W
study threads --workload full --batch 1 --cache off,on --threads 1,2 --reps $R5 --warmup $W1

ELAPSED=$(($(date +%s) - START))
python3 - "$OUT" "$DOC" "$CONFIG" "$ELAPSED" "$QUICK" "$RESUME" <<'PY'
import json, os, sys, datetime
out, doc, config, elapsed, quick = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5] == "1"
gen_only = sys.argv[6] == "1"

def load(name):
    p = os.path.join(out, name + ".json")
    return json.load(open(p)) if os.path.exists(p) else None

def cmd(name):
    p = os.path.join(out, name + ".cmd")
    return open(p).read().strip() if os.path.exists(p) else "(kept from an earlier run)"

def ms(s):
    if s is None: return "-"
    return f"{s*1e3:.1f} ms" if s < 1 else f"{s:.3f} s"

def sp(r):
    s = r.get("speedup")
    if not s: return "reference"
    return f"{s['median_ratio']:.2f}x [{s['ci95'][0]:.2f}, {s['ci95'][1]:.2f}]"

def verdict(r):
    s = r.get("speedup")
    if not s: return ""
    lo, hi = s["ci95"]
    if lo > 1: return "measurably faster"
    if hi < 1: return "measurably slower"
    return "not measurably different (the CI contains 1)"

def groups(d):
    g = {}
    for r in d["results"]: g.setdefault(r["group"], []).append(r)
    return [g[k] for k in sorted(g)]

def by_cache(rs):
    return {r["settings"]["cache"] + ("" if r["settings"]["kv_precision"] == "fp32" else "/" + r["settings"]["kv_precision"])
            + ("" if r["settings"]["precision"] == "fp32" else "/" + r["settings"]["precision"]): r for r in rs}

L = []
w = L.append
m = json.load(open(os.path.join(out, "machine.json")))
single = load("single")
ceil = single["results"][0].get("cost_model", {}).get("ceilings", {}) if single else {}
cm0 = single["results"][0].get("cost_model", {}) if single else {}
w("# Benchmarks: KV caching in DoTA, measured honestly")
w("")
w(f"Generated by `scripts/benchmarks.sh` (CONFIG={config}) on {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC"
  + (" from study results (partly kept from an earlier run, RESUME=1)" if gen_only else f" in {elapsed//60} min {elapsed%60} s")
  + ". Do not edit by hand: rerun the script. Raw results "
  f"(every sample, JSON + CSV, schema in [format_bench.md](format_bench.md)) are in `{out}`.")
if quick:
    w("")
    w("**QUICK mode: few repetitions; these numbers only show that the pipeline works.**")
missing = [n for n in ("single", "seedstyle", "batch", "stream", "stream_kv", "stream_batch", "prefix", "auto",
                       "precision", "threads") if not os.path.exists(os.path.join(out, n + ".json"))]
if missing:
    w("")
    w("**Studies not run in this generation: " + ", ".join(missing) + "** (rerun `RESUME=1 scripts/benchmarks.sh` "
      "to complete them; their sections are left out).")
w("")
w("## Machine")
w("")
feats = " ".join(k for k, v in m["cpu"]["features"].items() if v)
w(f"- CPU: {m['cpu']['model']}, {m['cpu']['logical_cores']} logical cores, {m['threads']} OpenMP threads; features: {feats}")
w(f"- dotakv {m['version']} ({m['git_revision']}), {m['compiler']}, {m['build_type']}, flags `{m['flags']}`; oneDNN {m['onednn']['version']} (max ISA {m['onednn']['max_isa']})")
if ceil:
    w(f"- Measured ceilings (dotakv's own measurement, best of several runs): fp32 GEMM **{ceil['fp32_gemm_gflops']:.0f} GFLOP/s**, "
      f"bf16 GEMM {ceil['bf16_gemm_gflops']:.0f} GFLOP/s, streaming read bandwidth **{ceil['bandwidth_gbs']:.1f} GB/s**.")
if cm0:
    w(f"- Model ({config}): {cm0.get('gflop_per_forward', 0):.2f} GFLOP per one-shot forward of one beamlet, "
      f"{cm0.get('weight_bytes_per_step', 0)/1e6:.1f} MB of weights read per step (fp32).")
peaks = []
for n in ("single", "seedstyle", "batch", "stream", "stream_kv", "stream_batch", "prefix", "auto", "precision", "threads"):
    d = load(n)
    if d and d["results"] and "cost_model" in d["results"][0]:
        c = d["results"][0]["cost_model"]["ceilings"]
        peaks.append((n, c["fp32_gemm_gflops"], c["bandwidth_gbs"]))
if peaks:
    lo = min(p[1] for p in peaks); hi = max(p[1] for p in peaks)
    w(f"- Each study re-measures the ceilings when it starts: fp32 GEMM peak between {lo:.0f} and {hi:.0f} GFLOP/s, "
      f"bandwidth between {min(p[2] for p in peaks):.1f} and {max(p[2] for p in peaks):.1f} GB/s ("
      + ", ".join(f"{n} {g:.0f}" for n, g, _ in peaks) + " GFLOP/s). "
      + ("**A spread this large means other processes were competing for the 2 cores during the run**; absolute "
         "latencies are then inflated and noisy, while the interleaved speedups and their CIs remain comparisons "
         "under equal conditions. Rerun on an idle machine for absolute figures." if hi > 1.5 * lo else
         "The machine was quiet enough for the figures to be comparable."))
w("- The 2 cores may be shared with other processes; every comparison below is interleaved so that such load "
  "hits both settings alike, and the confidence intervals show what remains.")
w("")
w("## Method")
w("")
w("Each compared setting loads the model, and its first inference is reported separately as the **cold** start. "
  "Warm-up runs (3 by default) are discarded. Then the settings run **interleaved** (A B A B ...), each run timed "
  "with a steady clock. We report median, IQR, mean ± sd, min, max, and the **speedup** median(reference)/median(setting) "
  "with a **95 % bootstrap confidence interval** (2000 resamples, fixed seed). Every run's output is compared with the "
  "reference (cache off, fp32): `max |diff|` relative to the dose maximum. Beside each measured speedup stands the speedup a "
  "simple roofline model predicts (per step: max(FLOPs / measured GEMM peak, bytes read / measured bandwidth)).")
w("")

# 1. single
if single:
    rs = groups(single)[0]
    c = by_cache(rs)
    w("## 1. The single-sample study (20 samples), one-shot inference")
    w("")
    w(f"`{cmd('single')}`")
    w("")
    w("| setting | cold (first run) | median [IQR] | mean ± sd | min | max | speedup vs off [95 % CI] | max rel. diff |")
    w("|---|---|---|---|---|---|---|---|")
    for k in ("off", "on"):
        if k not in c: continue
        r = c[k]; s = r["stats"]
        w(f"| cache {k} | {ms(r['cold_s'])} | {ms(s['median'])} [{ms(s['iqr'])}] | {ms(s['mean'])} ± {ms(s['sd'])} | "
          f"{ms(s['min'])} | {ms(s['max'])} | {sp(r)} | {r['max_abs_diff_rel']:.1e} |")
    w("")
    on = c.get("on")
    if on:
        w(f"**Result:** in a one-shot pass, cache on is {verdict(on)} ({sp(on)}). This is expected: DoTA's attention is causal, "
          f"and a single pass over all 151 tokens computes every key and value exactly once whether or not they are kept; "
          f"keeping them (cache on) only adds the copy into the cache. The cost model predicts "
          f"{on.get('cost_model', {}).get('predicted_speedup', float('nan')):.2f}x. "
          f"The one-shot pass runs at {c['off'].get('cost_model', {}).get('gflops_achieved', 0):.0f} GFLOP/s = "
          f"{100*c['off'].get('cost_model', {}).get('fraction_of_peak', 0):.0f} % of the measured fp32 GEMM peak.")
        w("")
    seed = load("seedstyle")
    if seed:
        rs2 = by_cache(groups(seed)[0])
        w("### The same measured the seed's way")
        w("")
        w(f"`{cmd('seedstyle')}` — no warm-up, the first run kept among the 20 samples, all 'off' runs before all 'on' runs.")
        w("")
        w("| setting | first sample | mean of 20 (incl. first) | median | 'speedup' of means |")
        w("|---|---|---|---|---|")
        means = {k: sum(r["samples_s"]) / len(r["samples_s"]) for k, r in rs2.items()}
        for k in ("off", "on"):
            if k not in rs2: continue
            r = rs2[k]
            ratio = means["off"] / means[k] if k == "on" else None
            w(f"| cache {k} | {ms(r['samples_s'][0])} | {ms(means[k])} | {ms(r['stats']['median'])} | "
              f"{'' if ratio is None else f'{ratio:.2f}x'} |")
        if "on" in rs2:
            f_off, f_on = rs2["off"]["samples_s"][0], rs2["on"]["samples_s"][0]
            w("")
            w(f"Measured this way the first 'off' sample is the first inference after loading ({ms(f_off)}) while the "
              f"first 'on' sample follows 20 'off' runs in the same process ({ms(f_on)}): a 'first-sample speedup' of "
              f"{f_off/f_on:.2f}x and a 'speedup' of means of {means['off']/means['on']:.2f}x, neither of which measures "
              f"caching (the one-shot pass computes the same thing either way). Comparing a cold run with a warm one "
              f"and averaging over the warm-up is how the seed report's 3.43x (first sample) and 1.27x (average of 20) "
              f"arose. In dotakv each setting loads its own model copy, so later settings still pay for their own "
              f"weight reordering but reuse oneDNN's process-wide kernel cache; the cold figures in section 1 are "
              f"therefore reported per setting and never mixed into the warm statistics.")
        w("")

# 2. batch
batch = load("batch")
if batch:
    w("## 2. Batch size, with and without the cache (one-shot)")
    w("")
    w(f"`{cmd('batch')}`")
    w("")
    w("| batch | off: median | on: median | per beamlet (off) | speedup on vs off [95 % CI] | model | GFLOP/s (off) | % of fp32 peak |")
    w("|---|---|---|---|---|---|---|---|")
    for rs in groups(batch):
        c = by_cache(rs); b = rs[0]["settings"]["batch"]
        off, on = c.get("off"), c.get("on")
        if not off or not off.get("stats"): continue
        cmo = off.get("cost_model", {})
        w(f"| {b} | {ms(off['stats']['median'])} | {ms(on['stats']['median']) if on and on.get('stats') else '-'} | "
          f"{ms(off['stats']['median']/b)} | {sp(on) if on else '-'} | {on.get('cost_model', {}).get('predicted_speedup', float('nan')):.2f}x | "
          f"{cmo.get('gflops_achieved', 0):.0f} | {100*cmo.get('fraction_of_peak', 0):.0f} % |")
    w("")
    w("The seed reported 1.11x at batch 1 falling to 0.88x at batch 4 and explained it by cache overhead. In a one-shot "
      "pass there is nothing for a cache to save at any batch size; differences whose CI contains 1 are noise.")
    w("")

# 3. streaming
stream = load("stream")
if stream:
    w("## 3. Streaming slice by slice: where the cache helps")
    w("")
    w(f"`{cmd('stream')}`")
    w("")
    w("Without the cache every step recomputes the whole prefix (quadratic growth); with it each step encodes, attends "
      "and decodes only the new slices, reading all weights once per step (at batch 1 that makes it memory-bound).")
    w("")
    w("| slices | chunk | steps | off: median | on: median | speedup [95 % CI] | model | on: measured/predicted | on: GB/s read vs measured | max rel. diff |")
    w("|---|---|---|---|---|---|---|---|---|---|")
    for rs in groups(stream):
        c = by_cache(rs); st = rs[0]["settings"]
        off, on = c.get("off"), c.get("on")
        if not on or not on.get("stats"): continue
        cm = on.get("cost_model", {})
        w(f"| {st['slices']} | {st['chunk']} | {cm.get('steps', '-')} | {ms(off['stats']['median']) if off and off.get('stats') else '-'} | "
          f"{ms(on['stats']['median'])} | {sp(on)} | {cm.get('predicted_speedup', float('nan')):.2f}x | "
          f"{cm.get('measured_over_predicted', float('nan')):.2f} | {cm.get('bytes_gbs_achieved', 0):.1f} / {cm.get('ceilings', {}).get('bandwidth_gbs', 0):.1f} | "
          f"{on['max_abs_diff_rel']:.1e} |")
    w("")
    w("Chunking (c slices per step) trades latency of the first finished slice for throughput: fewer steps read the "
      "weights fewer times. 'measured/predicted' near 1 means the roofline explains the time; well above 1 means "
      "overheads (per-step primitive calls, small GEMMs) dominate.")
    w("")
    kv = load("stream_kv")
    if kv:
        w("### Cache storage precision")
        w("")
        w(f"`{cmd('stream_kv')}`")
        w("")
        w("| KV precision | median | vs fp32 cache [95 % CI] | max abs diff (rel. to dose max) | cache MB |")
        w("|---|---|---|---|---|")
        for r in groups(kv)[0]:
            w(f"| {r['settings']['kv_precision']} | {ms(r['stats']['median']) if r.get('stats') else '-'} | {sp(r)} | "
              f"{r['max_abs_diff_rel']:.1e} | {r['cache_bytes']/1e6:.2f} |")
        w("")
    sb = load("stream_batch")
    if sb:
        w("### Streaming at batch 1 and 4 (chunk 10)")
        w("")
        w(f"`{cmd('stream_batch')}`")
        w("")
        w("| batch | off: median | on: median | speedup [95 % CI] | model |")
        w("|---|---|---|---|---|")
        for rs in groups(sb):
            c = by_cache(rs)
            off, on = c.get("off"), c.get("on")
            if not on or not on.get("stats") or not off or not off.get("stats"): continue
            w(f"| {rs[0]['settings']['batch']} | {ms(off['stats']['median'])} | {ms(on['stats']['median'])} | {sp(on)} | "
              f"{on.get('cost_model', {}).get('predicted_speedup', float('nan')):.2f}x |")
        w("")

# 4. prefix
prefix = load("prefix")
if prefix:
    w("## 4. Prefix reuse after a CT edit at depth k")
    w("")
    w(f"`{cmd('prefix')}`")
    w("")
    w("The CT changes from slice k on; with the cache the K/V of the energy token and slices < k are kept from the "
      "previous run and only the rest is recomputed (the previous run itself is not timed).")
    w("")
    w("| k | full recompute | reuse | speedup [95 % CI] | model | tokens reused | max rel. diff |")
    w("|---|---|---|---|---|---|---|")
    for rs in groups(prefix):
        c = by_cache(rs)
        off, on = c.get("off"), c.get("on")
        if not on or not on.get("stats"): continue
        w(f"| {on['settings']['depth']} | {ms(off['stats']['median']) if off and off.get('stats') else '-'} | {ms(on['stats']['median'])} | {sp(on)} | "
          f"{on.get('cost_model', {}).get('predicted_speedup', float('nan')):.2f}x | {on.get('engine', {}).get('tokens_reused', '-')} | {on['max_abs_diff_rel']:.1e} |")
    w("")

# 5. auto
auto = load("auto")
pol = json.load(open(os.path.join(out, "auto_policy.json"))) if os.path.exists(os.path.join(out, "auto_policy.json")) else None
if auto:
    w("## 5. The auto policy")
    w("")
    w(f"Calibrated on this machine with `dotakv calibrate --batch 1 --chunk 1,10` (profile: `{out}/auto_policy.json`); "
      "then `" + cmd('auto') + "`.")
    w("")
    if pol:
        for be in pol.get("break_even", []):
            w(f"- measured break-even, stream batch {be['batch']} chunk {be['chunk']}: cache pays off from "
              f"{'never (within 150 slices)' if be['slices'] is None else str(be['slices']) + ' slices'}")
        for f in pol.get("full", []):
            w(f"- one-shot batch {f['batch']}: {ms(f['off_s'])} without K/V storage, {ms(f['on_s'])} with")
        w("")
    w("| slices | off | on | auto (choice) | auto's regret vs best fixed | reason |")
    w("|---|---|---|---|---|---|")
    for rs in groups(auto):
        c = by_cache(rs)
        a = c.get("auto", {})
        ai = a.get("auto", {})
        offm = ms(c['off']['stats']['median']) if c.get('off', {}).get('stats') else '-'
        onm = ms(c['on']['stats']['median']) if c.get('on', {}).get('stats') else '-'
        am = ms(a['stats']['median']) if a.get('stats') else '-'
        regret = f"{100*ai['regret']:+.1f} %" if 'regret' in ai else '-'
        w(f"| {rs[0]['settings']['slices']} | {offm} | {onm} | {am} ({ai.get('choice', '-')}) | {regret} | {ai.get('reason', '')} |")
    w("")
    w("The seed's adaptive rule (cache only for 15-25 tokens) was a constant from one machine; here the break-even "
      "is measured where dotakv runs, and auto's regret (its median over the best fixed choice's, minus 1) shows "
      "what the decision costs. Auto runs the same code as the setting it picks, so a regret near 0 (negative "
      "values are run-to-run noise) means it picked the faster setting; a large positive regret means it picked "
      "the slower one.")
    w("")

# 6. precision and threads
prec = load("precision")
if prec:
    w("## 6. Compute precision and threads")
    w("")
    w(f"`{cmd('precision')}`")
    w("")
    w("| precision | median | speedup vs fp32 [95 % CI] | GFLOP/s | max rel. diff vs fp32 |")
    w("|---|---|---|---|---|")
    for r in groups(prec)[0]:
        w(f"| {r['settings']['precision']} | {ms(r['stats']['median']) if r.get('stats') else '-'} | {sp(r)} | "
          f"{r.get('cost_model', {}).get('gflops_achieved', 0):.0f} | {r['max_abs_diff_rel']:.1e} |")
    w("")
thr = load("threads")
if thr:
    w(f"`{cmd('threads')}`")
    w("")
    w("| threads | off: median | on: median | speedup on vs off |")
    w("|---|---|---|---|")
    for rs in groups(thr):
        c = by_cache(rs)
        w(f"| {rs[0]['settings']['threads']} | {ms(c['off']['stats']['median']) if c.get('off', {}).get('stats') else '-'} | "
          f"{ms(c['on']['stats']['median']) if c.get('on', {}).get('stats') else '-'} | {sp(c['on']) if 'on' in c else '-'} |")
    w("")

w("## What changed against the seed report, and why")
w("")
w("| seed claim | measured here | why |")
w("|---|---|---|")
if single:
    c = by_cache(groups(single)[0])
    w(f"| 1.27x overall speedup from the cache (one-shot, 20 samples) | {sp(c['on']) if 'on' in c else '-'} | warm-up excluded, "
      "settings interleaved, medians with CIs; a one-shot causal pass has nothing for a cache to reuse |")
    w(f"| 3.43x on the first sample | cold start reported separately: off {ms(c['off']['cold_s'])}, on {ms(c['on']['cold_s']) if 'on' in c else '-'} | "
      "the first run of a process pays for kernel creation and weight reordering; comparing it with a warm run measures warm-up |")
if batch:
    w("| 1.11x at batch 1 falling to 0.88x at batch 4 | see section 2 | same as above: no reuse in one-shot passes at any batch size; the seed's differences were within noise |")
w("| 'store and reuse attention scores' | K and V of earlier tokens are cached (pre-allocated, reset per sample) | that is what a KV cache is |")
if stream:
    w("| (not measured) streaming | section 3 | the cache's real use: slice-by-slice streaming avoids recomputing the prefix |")
if prefix:
    w("| (not measured) | section 4 | reusing the unchanged upstream part after a downstream CT edit |")
w("| outputs 100 % identical | max relative differences listed per table (fp32 cache: float rounding; fp16/int8 caches and bf16 compute: measured error) | reordered floating-point sums are not bit-identical; the error is reported, not assumed |")
w("")
open(doc + ".tmp", "w").write("\n".join(L) + "\n")
os.replace(doc + ".tmp", doc)
print("wrote", doc)
PY
