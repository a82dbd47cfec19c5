#include "dotakv/train/evaluate.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <sstream>

#include "dotakv/analysis.hpp"
#include "dotakv/bench_harness.hpp"
#include "dotakv/dataset.hpp"
#include "dotakv/error.hpp"
#include "dotakv/gamma.hpp"
#include "dotakv/pba.hpp"
#include "dotakv/session.hpp"
#include "dotakv/sysinfo.hpp"
#include "dotakv/train/augment.hpp"

namespace dotakv::train {

namespace {
double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

void errors(const Volume& ref, const Volume& ev, double& mae_pct, double& max_pct) {
  double mx = 0, sum = 0, worst = 0;
  for (float v : ref.data) mx = std::max(mx, double(v));
  for (std::size_t i = 0; i < ref.data.size(); ++i) {
    const double d = std::abs(double(ev.data[i]) - ref.data[i]);
    sum += d;
    worst = std::max(worst, d);
  }
  mx = mx > 0 ? mx : 1;
  mae_pct = 100.0 * sum / double(ref.data.size()) / mx;
  max_pct = 100.0 * worst / mx;
}

// Mean and median of |R80 error| values (0 for none), by the benchmark harness's statistics.
bench::Stats abs_error_stats(const std::vector<double>& v) {
  return v.empty() ? bench::Stats{} : bench::compute_stats(v);
}

PairedDifference paired_difference(const std::vector<SampleScore>& samples) {
  PairedDifference p;
  p.n = int(samples.size());
  if (p.n == 0) return p;
  double sum = 0, sum2 = 0;
  for (const auto& s : samples) {
    const double d = s.model_pass_dota - s.pba_pass_dota;
    sum += d;
    sum2 += d * d;
    if (std::abs(d) < 1e-9)
      ++p.ties;
    else if (d > 0)
      ++p.model_better;
    else
      ++p.model_worse;
  }
  p.mean = sum / p.n;
  const double var = p.n > 1 ? std::max(0.0, (sum2 - p.n * p.mean * p.mean) / (p.n - 1)) : 0.0;
  const double half = 1.96 * std::sqrt(var / p.n);
  p.ci95_low = p.mean - half;
  p.ci95_high = p.mean + half;
  return p;
}

nlohmann::json group_json(const GroupScore& g) {
  return {{"name", g.name},
          {"n", g.n},
          {"model_gamma_pass_mean", g.model_pass_mean},
          {"model_gamma_pass_std", g.model_pass_std},
          {"model_gamma_pass_min", g.model_pass_min},
          {"pba_gamma_pass_mean", g.pba_pass_mean},
          {"pba_gamma_pass_std", g.pba_pass_std},
          {"pba_gamma_pass_min", g.pba_pass_min},
          {"model_gamma_pass_clinical_mean", g.model_clinical_mean},
          {"pba_gamma_pass_clinical_mean", g.pba_clinical_mean},
          {"model_mae_pct_mean", g.model_mae_mean},
          {"pba_mae_pct_mean", g.pba_mae_mean},
          {"n_range", g.n_range},
          {"model_r80_abs_err_mm_mean", g.model_r80_abs_mean},
          {"pba_r80_abs_err_mm_mean", g.pba_r80_abs_mean},
          {"model_r80_abs_err_mm_median", g.model_r80_abs_median},
          {"pba_r80_abs_err_mm_median", g.pba_r80_abs_median},
          {"model_range_missing", g.model_range_missing},
          {"pba_range_missing", g.pba_range_missing},
          {"model_idd_err_pct_mean", g.model_idd_err_mean},
          {"pba_idd_err_pct_mean", g.pba_idd_err_mean}};
}
}  // namespace

GroupScore summarize_group(const std::string& name, const std::vector<const SampleScore*>& s) {
  GroupScore g;
  g.name = name;
  g.n = int(s.size());
  if (s.empty()) return g;
  auto stats = [&](auto f, double& mean, double& sd, double* mn) {
    double a = 0, b = 0, lo = 1e300;
    for (auto* x : s) {
      const double v = f(*x);
      a += v;
      b += v * v;
      lo = std::min(lo, v);
    }
    mean = a / double(s.size());
    sd = std::sqrt(std::max(0.0, b / double(s.size()) - mean * mean));
    if (mn) *mn = lo;
  };
  double unused = 0;
  stats([](const SampleScore& x) { return x.model_pass_dota; }, g.model_pass_mean, g.model_pass_std,
        &g.model_pass_min);
  stats([](const SampleScore& x) { return x.pba_pass_dota; }, g.pba_pass_mean, g.pba_pass_std,
        &g.pba_pass_min);
  stats([](const SampleScore& x) { return x.model_pass_clinical; }, g.model_clinical_mean, unused,
        nullptr);
  stats([](const SampleScore& x) { return x.pba_pass_clinical; }, g.pba_clinical_mean, unused,
        nullptr);
  stats([](const SampleScore& x) { return x.model_mae_pct; }, g.model_mae_mean, unused, nullptr);
  stats([](const SampleScore& x) { return x.pba_mae_pct; }, g.pba_mae_mean, unused, nullptr);
  stats([](const SampleScore& x) { return x.model_idd_err_pct; }, g.model_idd_err_mean, unused,
        nullptr);
  stats([](const SampleScore& x) { return x.pba_idd_err_pct; }, g.pba_idd_err_mean, unused,
        nullptr);
  std::vector<double> model_abs, pba_abs;
  for (auto* x : s) {
    if (std::isnan(x->mc_r80_mm)) continue;
    ++g.n_range;
    if (std::isnan(x->model_r80_err_mm))
      ++g.model_range_missing;
    else
      model_abs.push_back(std::abs(x->model_r80_err_mm));
    if (std::isnan(x->pba_r80_err_mm))
      ++g.pba_range_missing;
    else
      pba_abs.push_back(std::abs(x->pba_r80_err_mm));
  }
  const bench::Stats model_stats = abs_error_stats(model_abs), pba_stats = abs_error_stats(pba_abs);
  g.model_r80_abs_mean = model_stats.mean;
  g.pba_r80_abs_mean = pba_stats.mean;
  g.model_r80_abs_median = model_stats.median;
  g.pba_r80_abs_median = pba_stats.median;
  return g;
}

EvaluateResult evaluate(const std::shared_ptr<const Model>& model, const std::string& data,
                        const EvaluateOptions& o, Progress* progress) {
  if (!model) throw ValueError("evaluate: model is null");
  if (o.threads > 0) set_num_threads(o.threads);
  const auto info = physics::dataset_info(data);
  if (!(info.y_max > 0) || !std::isfinite(info.y_max))
    throw FormatError(data +
                      ": missing or invalid scaling constant y_max (the dataset's maximum "
                      "dose, needed for DoTA's gamma normalisation)");
  EvaluateResult r;
  r.model_description = model->description();
  r.data = data;
  r.norm_dose = info.y_max;
  r.pba = o.pba;
  r.rotation_average = o.rotation_average;
  const int n = o.max_samples > 0 ? std::min(o.max_samples, info.n) : info.n;
  Session session(model, {.mode = Mode::full, .max_batch = o.rotation_average ? 4 : 1});
  physics::GammaOptions dota;
  dota.dose_percent = o.dose_percent;
  dota.dta_mm = o.dta_mm;
  dota.norm_dose = info.y_max;
  physics::GammaOptions clinical = dota;
  clinical.norm_dose = 0;  // per-sample max of the MC dose
  clinical.threshold_fraction = 0.10;
  for (int i = 0; i < n; ++i) {
    if (progress)
      progress->report(i, n, "sample " + std::to_string(i + 1) + "/" + std::to_string(n));
    Case c = physics::read_dataset_sample(data, i, true);
    const Volume& mc = c.doses.at("mc").volume;
    SampleScore s;
    s.index = i;
    s.energy_mev = c.energy_mev;
    const auto& attrs = c.doses.at("mc").attributes;
    s.kind = attrs.contains("kind") && attrs["kind"].is_string() ? attrs["kind"].get<std::string>()
                                                                 : "unknown";
    auto t0 = std::chrono::steady_clock::now();
    Volume pred = o.rotation_average ? infer_rotation_averaged(session, c.ct, c.energy_mev)
                                     : session.infer(c.ct, c.energy_mev);
    s.model_ms = ms_since(t0);
    s.model_pass_dota = physics::gamma_index(mc, pred, dota).pass_rate_dota;
    s.model_pass_clinical = physics::gamma_index(mc, pred, clinical).pass_rate;
    errors(mc, pred, s.model_mae_pct, s.model_max_err_pct);
    const auto dd = physics::compare_depth_dose(mc, pred);
    s.mc_r80_mm =
        dd.reference.distal_found ? dd.reference.r80_mm : std::numeric_limits<double>::quiet_NaN();
    s.model_r80_err_mm = dd.r80_error_mm;
    s.model_idd_err_pct = dd.idd_error_percent;
    if (o.pba) {
      physics::PbaOptions po;
      po.energy_mev = c.energy_mev;
      t0 = std::chrono::steady_clock::now();
      Volume pba = physics::run_pba(c.ct, po);
      s.pba_ms = ms_since(t0);
      s.pba_pass_dota = physics::gamma_index(mc, pba, dota).pass_rate_dota;
      s.pba_pass_clinical = physics::gamma_index(mc, pba, clinical).pass_rate;
      errors(mc, pba, s.pba_mae_pct, s.pba_max_err_pct);
      const auto ddp = physics::compare_depth_dose(mc, pba);
      s.pba_r80_err_mm = ddp.r80_error_mm;
      s.pba_idd_err_pct = ddp.idd_error_percent;
    }
    r.samples.push_back(s);
  }
  std::vector<const SampleScore*> all;
  std::map<std::string, std::vector<const SampleScore*>> kinds, bands;
  const char* band_names[] = {"70-120 MeV", "120-170 MeV", "170-220 MeV"};
  for (const auto& s : r.samples) {
    all.push_back(&s);
    kinds[s.kind].push_back(&s);
    const int b = s.energy_mev < 120 ? 0 : s.energy_mev < 170 ? 1 : 2;
    bands[band_names[b]].push_back(&s);
    r.model_ms_mean += s.model_ms / double(r.samples.size());
    r.pba_ms_mean += s.pba_ms / double(r.samples.size());
  }
  r.overall = summarize_group("all", all);
  if (o.pba) r.model_minus_pba = paired_difference(r.samples);
  for (const auto& [k, v] : kinds) r.by_kind.push_back(summarize_group(k, v));
  for (const char* b : band_names)
    if (bands.count(b)) r.by_energy.push_back(summarize_group(b, bands[b]));
  return r;
}

nlohmann::json EvaluateResult::to_json(bool with_samples) const {
  nlohmann::json j = {{"model", model_description},
                      {"data", data},
                      {"protocol",
                       {{"criterion", "gamma 1%/3mm global"},
                        {"norm_dose", norm_dose},
                        {"pass_rate", "count(gamma<=1)/count(gamma>0) (DoTA)"},
                        {"clinical_variant", "per-sample max, 10% low-dose cut"}}},
                      {"n", int(samples.size())},
                      {"pba", pba},
                      {"model_inference", rotation_average ? "rotation-averaged (4 lateral quarter "
                                                             "turns)"
                                                           : "single pass"},
                      {"overall", group_json(overall)},
                      {"model_ms_mean", model_ms_mean},
                      {"pba_ms_mean", pba_ms_mean}};
  j["by_kind"] = nlohmann::json::array();
  for (const auto& g : by_kind) j["by_kind"].push_back(group_json(g));
  j["by_energy"] = nlohmann::json::array();
  for (const auto& g : by_energy) j["by_energy"].push_back(group_json(g));
  if (pba)
    j["model_minus_pba_gamma_pass"] = {{"n", model_minus_pba.n},
                                       {"mean", model_minus_pba.mean},
                                       {"ci95_low", model_minus_pba.ci95_low},
                                       {"ci95_high", model_minus_pba.ci95_high},
                                       {"model_better", model_minus_pba.model_better},
                                       {"model_worse", model_minus_pba.model_worse},
                                       {"ties", model_minus_pba.ties}};
  if (with_samples) {
    j["samples"] = nlohmann::json::array();
    for (const auto& s : samples)
      j["samples"].push_back({{"index", s.index},
                              {"kind", s.kind},
                              {"energy_mev", s.energy_mev},
                              {"model_gamma_pass", s.model_pass_dota},
                              {"pba_gamma_pass", s.pba_pass_dota},
                              {"model_gamma_pass_clinical", s.model_pass_clinical},
                              {"pba_gamma_pass_clinical", s.pba_pass_clinical},
                              {"model_mae_pct", s.model_mae_pct},
                              {"model_max_err_pct", s.model_max_err_pct},
                              {"pba_mae_pct", s.pba_mae_pct},
                              {"pba_max_err_pct", s.pba_max_err_pct},
                              {"mc_r80_mm", s.mc_r80_mm},
                              {"model_r80_err_mm", s.model_r80_err_mm},
                              {"pba_r80_err_mm", s.pba_r80_err_mm},
                              {"model_idd_err_pct", s.model_idd_err_pct},
                              {"pba_idd_err_pct", s.pba_idd_err_pct},
                              {"model_ms", s.model_ms},
                              {"pba_ms", s.pba_ms}});
  }
  return j;
}

std::string EvaluateResult::to_text() const {
  std::ostringstream s;
  char line[256];
  s << "model: " << model_description << "\ndata:  " << data << " (" << samples.size()
    << " samples)\ngamma 1%/3mm, global, normalised to the dataset max dose " << norm_dose
    << " Gy/primary (DoTA protocol); 'clinical' = per-sample max, 10% cut\n"
    << "model inference: "
    << (rotation_average ? "rotation-averaged over the 4 lateral quarter turns" : "single pass")
    << (pba ? "" : "; PBA not evaluated (--no-pba): its columns show '-'") << "\n\n";
  std::snprintf(line, sizeof line, "%-14s %4s  %-22s %-22s %-9s %-9s %-8s %-8s\n", "group", "n",
                "model pass % (min)", "PBA pass % (min)", "model cl.", "PBA cl.", "model MAE",
                "PBA MAE");
  s << line;
  auto pba_num = [&](double v, const char* fmt) {
    char t[32];
    std::snprintf(t, sizeof t, fmt, v);
    return pba ? std::string(t) : std::string("-");
  };
  auto row = [&](const GroupScore& g) {
    char a[64], b[64];
    std::snprintf(a, sizeof a, "%.2f±%.2f (%.1f)", g.model_pass_mean, g.model_pass_std,
                  g.model_pass_min);
    std::snprintf(b, sizeof b, "%.2f±%.2f (%.1f)", g.pba_pass_mean, g.pba_pass_std, g.pba_pass_min);
    std::snprintf(line, sizeof line, "%-14s %4d  %-22s %-22s %-9.2f %-9s %-8.3f %-8s\n",
                  g.name.c_str(), g.n, a, pba ? b : "-", g.model_clinical_mean,
                  pba_num(g.pba_clinical_mean, "%.2f").c_str(), g.model_mae_mean,
                  pba_num(g.pba_mae_mean, "%.3f").c_str());
    s << line;
  };
  auto each_group = [&](const auto& f) {
    f(overall);
    for (const auto& g : by_kind) f(g);
    for (const auto& g : by_energy) f(g);
  };
  each_group(row);
  s << "\ndepth dose (integrated over each slice): mean and median |R80 error| (mm) over samples "
       "whose MC range lies inside the grid; 'no fall-off': of those, samples whose curve never "
       "falls below 20 %; IDD error: largest |difference| in % of the MC maximum\n";
  std::snprintf(line, sizeof line, "%-14s %7s  %-12s %-12s %-12s %-12s %-12s %-12s %-10s %-10s\n",
                "group", "n range", "model |dR80|", "PBA |dR80|", "model median", "PBA median",
                "model no f.", "PBA no f.", "model IDD", "PBA IDD");
  s << line;
  auto range_row = [&](const GroupScore& g) {
    std::snprintf(line, sizeof line,
                  "%-14s %7d  %-12.2f %-12s %-12.2f %-12s %-12d %-12s %-10.2f %-10s\n",
                  g.name.c_str(), g.n_range, g.model_r80_abs_mean,
                  pba_num(g.pba_r80_abs_mean, "%.2f").c_str(), g.model_r80_abs_median,
                  pba_num(g.pba_r80_abs_median, "%.2f").c_str(), g.model_range_missing,
                  pba_num(g.pba_range_missing, "%.0f").c_str(), g.model_idd_err_mean,
                  pba_num(g.pba_idd_err_mean, "%.2f").c_str());
    s << line;
  };
  each_group(range_row);
  if (pba) {
    const auto& p = model_minus_pba;
    std::snprintf(line, sizeof line,
                  "\nmodel - PBA, DoTA pass rate paired over %d samples: %+.3f points (95%% "
                  "interval %+.3f to %+.3f); model better on %d, worse on %d, equal on %d\n",
                  p.n, p.mean, p.ci95_low, p.ci95_high, p.model_better, p.model_worse, p.ties);
    s << line;
  }
  std::snprintf(line, sizeof line, "\ntiming: model %.1f ms/sample (full mode, %s), PBA %s\n",
                model_ms_mean, rotation_average ? "4 rotations in one batch" : "batch 1",
                pba ? (pba_num(pba_ms_mean, "%.1f") + " ms/sample").c_str() : "-");
  s << line;
  return s.str();
}

}  // namespace dotakv::train
