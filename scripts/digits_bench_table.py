#!/usr/bin/env python3
"""Markdown tables of a `dotakv bench --family digits --json F` results document.

    python3 scripts/digits_bench_table.py docs/bench/digits_bench.json > table.md
    python3 scripts/digits_bench_table.py --trim FULL.json SMALL.json   # a copy for docs/

--trim keeps every timed sample (samples_s), the statistics and every "digits" figure with its
CI, drops what is repeated or raw elsewhere ("metrics": their medians and CIs are in "digits";
"engine": the last run's ReadStats; "order"; the per-result copy of the ceilings), rounds
numbers to 5 significant digits and writes compact JSON ("trimmed": true at the top).

One table per (batch, beam): length, setting, reps, ms per string [95 % CI] (roofline),
first-token ms (roofline), per-token ms (roofline), speedup vs off [95 % CI] (roofline),
cache KiB, cold ms per request; then auto's choices and regret, the KV-precision effect (when
measured) and the summary lines. Schema: docs/format_bench.md ("Digits family").
"""
import json
import sys


def ms(s):
    v = s * 1e3
    return f"{v:.3f}" if v < 1 else f"{v:.2f}" if v < 100 else f"{v:.1f}"


def ci(m):
    if m is None:
        return "-"
    return f"{ms(m['median'])} [{ms(m['ci95'][0])}, {ms(m['ci95'][1])}]"


def main(path):
    doc = json.load(open(path))
    dg = doc["digits"]
    rows = {}
    for r in doc["results"]:
        d = r["digits"]
        rows.setdefault((d["batch"], d["beam"]), []).append(r)
    out = []
    for (b, w), rs in rows.items():
        out.append(f"\n### Batch {b}, {'greedy' if w == 1 else f'beam {w}'}\n")
        out.append("| L | setting | n | ms / string [95 % CI] (roofline) | first token ms (roofline) "
                   "| per token ms (roofline) | speedup vs off [95 % CI] (roofline) | cache KiB "
                   "| cold ms per request |")
        out.append("|---|---|---|---|---|---|---|---|---|")
        for r in rs:
            d = r["digits"]
            rf = d["roofline"]
            label = r["label"] + (f" → {d['effective_mode']}" if d["mode"] == "auto" else "")
            sp = "reference"
            if r["speedup"]:
                s = r["speedup"]
                sp = (f"{s['median_ratio']:.2f}× [{s['ci95'][0]:.2f}, {s['ci95'][1]:.2f}] "
                      f"({rf['predicted_speedup']:.2f}×)")
            out.append(
                f"| {d['length']} | {label} | {d['reps']} | {ci(d['per_string_s'])} "
                f"({ms(rf['per_string_s'])}) | {ms(d['first_token_s']['median'])} "
                f"({ms(rf['first_token_s'])}) | {ms(d['per_token_s']['median'])} "
                f"({ms(rf['per_token_s'])}) | {sp} | {r['cache_bytes'] / 1024:.1f} "
                f"| {ms(r['cold_s']) if r['cold_s'] is not None else '-'} |")
        autos = [r for r in rs if r["digits"]["mode"] == "auto" and r.get("auto", {}).get("regret")
                 is not None]
        if autos:
            out.append("\nauto: " + "; ".join(
                f"L={r['digits']['length']} → {r['auto']['choice']} (best fixed "
                f"{r['auto']['best_fixed']}, regret {r['auto']['regret'] * 100:+.1f} % "
                f"[{r['auto']['regret_ci95'][0] * 100:+.1f}, {r['auto']['regret_ci95'][1] * 100:+.1f}])"
                for r in autos))
        kv = [r for r in rs if "kv_effect" in r and not r["reference"]
              and r["settings"]["kv_precision"] != "fp32"]
        if kv:
            out.append("\n| L | setting | token agreement with off fp32 | max abs logit difference |")
            out.append("|---|---|---|---|")
            for r in kv:
                e = r["kv_effect"]
                out.append(f"| {r['digits']['length']} | {r['label']} | "
                           f"{e['token_agreement'] * 100:.2f} % | {e['max_abs_logit_diff']:.2e} |")
    out.append("\n### Summary\n")
    for s in dg["summary"]:
        slower = [f"{m['mode']} at L={','.join(map(str, m['slower_than_off_at']))}"
                  for m in s["modes"] if m["slower_than_off_at"]]
        grows = ", ".join(f"{m['mode']} {'yes' if m['speedup_grows_with_length'] else 'no'}"
                          for m in s["modes"])
        out.append(f"- batch {s['batch']}, beam {s['beam']}, kv {s['kv_precision']}: "
                   + ("slower than off beyond noise: " + "; ".join(slower) if slower
                      else "no cached mode slower than off beyond noise")
                   + f"; speedup grows with length: {grows}")
    print("\n".join(out))


def trim(src, dst):
    doc = json.load(open(src))

    def rnd(x):
        if isinstance(x, float):
            return float(f"{x:.5g}")
        if isinstance(x, list):
            return [rnd(v) for v in x]
        if isinstance(x, dict):
            return {k: rnd(v) for k, v in x.items()}
        return x

    doc.pop("order", None)
    for r in doc["results"]:
        r.pop("metrics", None)
        r.pop("engine", None)
        r.get("digits", {}).get("roofline", {}).pop("ceilings", None)
        r.get("cost_model", {}).pop("ceilings", None)
    doc["trimmed"] = True
    with open(dst, "w") as f:
        json.dump(rnd(doc), f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    if sys.argv[1] == "--trim":
        trim(sys.argv[2], sys.argv[3])
    else:
        main(sys.argv[1])
