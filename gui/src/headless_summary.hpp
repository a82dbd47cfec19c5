// The studio's main job without a display (`dotakv-studio --summary`, automatic when no display
// is available, so `scripts/run.sh` headless does what the window does): the case summary, then
// the shipped model (load_default_model) run on the case in the studio's three engine settings
//   cache off          mode full, no K/V kept
//   cache on           mode full, K/V kept (the studio's default)
//   stream + cache     mode stream, chunk InferenceSettings{}.chunk slices per step
// each timed over `reps` runs after `warmup` warm-up runs; the spread (median, interquartile
// range, min–max) comes from bench::compute_stats. Then the model dose's line (as in the case
// summary: max, R80, peak; printed as the core inference returns it) and γ of the model dose
// against the Monte Carlo dose ("mc", else the first dose whose name contains "mc" and is not an
// uncertainty map) with the studio's γ defaults (GammaSettings{}: 1 %/3 mm, global, 10 %).
// Output lines (stable prefixes, parsed by tests/gui/test_headless_summary.cpp):
//   model:    <file> (<description>)
//   timing:   <setting>  median <t> ms, IQR <t> ms, min–max <a>–<b> ms (<n> runs, <w> warm-up)
//   gamma:    <crit> <global|local>, threshold <p> % (model vs <name>): pass <r> % ...
// Threading: runs on the calling thread (no event loop needed); core parallelises with OpenMP.
#pragma once
#include <ostream>

#include "case_model.hpp"
#include "dotakv/case_file.hpp"

namespace dotakv::gui {

struct HeadlessOptions {
  int warmup = 2, reps = 7;
  GammaSettings gamma;  // the studio's defaults
};

// One dose line of the summary: "  <name> max <m> Gy/primary, R80 <r> mm, peak <p> mm".
void print_dose_line(std::ostream& out, const std::string& name, const Volume& dose);
// Runs the model part described above (after print_case_summary). Returns false, with a line
// saying why, when no trained model is available or the case grid does not fit the model.
bool print_model_summary(std::ostream& out, const Case& c, const HeadlessOptions& o = {});

}  // namespace dotakv::gui
