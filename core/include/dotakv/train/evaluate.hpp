// Accuracy of a trained model (and of the pencil-beam algorithm) against the Monte Carlo doses of
// a held-out dataset, with DoTA's protocol (Pastor-Serrano & Perko 2022):
//   gamma 1 %/3 mm, global, normalised to the dataset's maximum dose (attribute y_max), pass rate
//   = count(gamma <= 1) / count(gamma > 0) (GammaResult::pass_rate_dota);
// plus a stricter clinical variant: normalised to each sample's own maximum MC dose, voxels
// below 10 % of it excluded, pass rate over the evaluated voxels (TG-218 style).
// Errors: mean absolute error over voxels and the largest |difference|, both in % of the sample's
// maximum MC dose.
// Depth dose (the beam's range, which the gamma rates above barely see: the DoTA rate is taken over
// every voxel with gamma > 0, mostly the low-dose background): integrated depth doses
// (analysis.hpp) of MC, model and PBA; R80 error = R80(evaluated) - R80(MC) in mm, where R80 is the
// distal 80 % depth; NaN when the MC curve does not fall off inside the grid (range beyond the
// phantom), or when the evaluated curve has no distal fall-off (counted in range_missing). IDD
// error = largest |IDD(evaluated) - IDD(MC)| in % of the MC curve's maximum. Timings: model
// inference (Session, full mode, batch 1) and PBA per sample. Results per sample, aggregated (mean
// and standard deviation) overall, per phantom kind and per energy band (70-120, 120-170, 170-220
// MeV).
// Model vs PBA, paired over the same samples (PairedDifference): the per-sample difference of the
// DoTA pass rate (model - PBA, percentage points), its mean with a 95 % interval (mean +- 1.96 sd /
// sqrt(n), normal approximation; n >= 200 in the acceptance protocol) and how many samples the
// model passes better / worse / equally (|diff| < 1e-9). Absent (pba == false) without the PBA.
// rotation_average: the model's dose is infer_rotation_averaged (train/augment.hpp), 4 passes.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dotakv/model.hpp"
#include "dotakv/progress.hpp"

namespace dotakv::train {

struct EvaluateOptions {
  double dose_percent = 1.0, dta_mm = 3.0;
  int max_samples = 0;            // 0: all
  bool pba = true;                // also evaluate the pencil-beam algorithm
  int threads = 0;                // 0: all cores
  bool rotation_average = false;  // model dose: infer_rotation_averaged (4 passes)
};

struct SampleScore {
  int index = 0;
  std::string kind;
  double energy_mev = 0;
  double model_pass_dota = 0, pba_pass_dota = 0;          // % (DoTA protocol)
  double model_pass_clinical = 0, pba_pass_clinical = 0;  // % (per-sample max, 10 % cut)
  double model_mae_pct = 0, model_max_err_pct = 0, pba_mae_pct = 0, pba_max_err_pct = 0;
  double model_ms = 0, pba_ms = 0;
  double mc_r80_mm = 0, model_r80_err_mm = 0, pba_r80_err_mm = 0;  // NaN: see header comment
  double model_idd_err_pct = 0, pba_idd_err_pct = 0;
};

struct GroupScore {
  std::string name;
  int n = 0;
  double model_pass_mean = 0, model_pass_std = 0, pba_pass_mean = 0, pba_pass_std = 0;
  double model_pass_min = 0, pba_pass_min = 0;
  double model_clinical_mean = 0, pba_clinical_mean = 0;
  double model_mae_mean = 0, pba_mae_mean = 0;
  // Mean and median |R80 error| (mm) over the samples whose MC range lies inside the grid (n_range)
  // and whose evaluated curve falls off; *_range_missing: samples of n_range where it does not. The
  // median is reported beside the mean because a few heterogeneous phantoms with a shouldered IDD
  // (two-step fall-off) carry range errors of 10+ mm that dominate the mean.
  int n_range = 0, model_range_missing = 0, pba_range_missing = 0;
  double model_r80_abs_mean = 0, pba_r80_abs_mean = 0;
  double model_r80_abs_median = 0, pba_r80_abs_median = 0;
  double model_idd_err_mean = 0, pba_idd_err_mean = 0;  // % of the MC IDD maximum
};

struct PairedDifference {
  int n = 0, model_better = 0, model_worse = 0, ties = 0;
  double mean = 0, ci95_low = 0, ci95_high = 0;  // percentage points, model - PBA
};

struct EvaluateResult {
  std::string model_description, data;
  bool pba = true, rotation_average = false;  // the options the run used
  PairedDifference model_minus_pba;           // DoTA pass rate; only when pba
  double norm_dose = 0;  // dataset max dose (Gy per primary) used for the DoTA protocol
  std::vector<SampleScore> samples;
  GroupScore overall;
  std::vector<GroupScore> by_kind, by_energy;
  double model_ms_mean = 0, pba_ms_mean = 0;
  nlohmann::json to_json(bool with_samples = false) const;
  std::string to_text() const;  // tables for the terminal
};

// The statistics of one group of per-sample scores (what evaluate reports per kind and energy).
GroupScore summarize_group(const std::string& name, const std::vector<const SampleScore*>& samples);

EvaluateResult evaluate(const std::shared_ptr<const Model>& model, const std::string& data,
                        const EvaluateOptions& options = {}, Progress* progress = nullptr);

}  // namespace dotakv::train
