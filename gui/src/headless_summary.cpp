#include "headless_summary.hpp"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "dotakv/analysis.hpp"
#include "dotakv/bench_harness.hpp"
#include "dotakv/model.hpp"
#include "dotakv/session.hpp"
#include "inference_controller.hpp"

namespace dotakv::gui {

namespace {
std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}
std::string ms(double s) {
  return fmt("%.2f", s * 1e3);
}
bool is_uncertainty(const std::string& name) {
  return name.find("stderr") != std::string::npos;
}
// The Monte Carlo dose of the case: "mc", else the first other name containing "mc".
const Dose* monte_carlo(const Case& c, std::string* name) {
  if (auto it = c.doses.find("mc"); it != c.doses.end()) {
    *name = it->first;
    return &it->second;
  }
  for (const auto& [n, d] : c.doses)
    if (n.find("mc") != std::string::npos && !is_uncertainty(n)) {
      *name = n;
      return &d;
    }
  return nullptr;
}
}  // namespace

void print_dose_line(std::ostream& out, const std::string& name, const Volume& dose) {
  double m = 0;
  for (float x : dose.data) m = std::max(m, double(x));
  out << "  " << std::left;
  out.width(12);
  out << name << " max " << fmt("%.4g", m) << " Gy/primary";
  if (is_uncertainty(name)) {
    out << " (uncertainty)\n";
    return;
  }
  const auto idd = physics::integrated_depth_dose(dose);
  const auto met = physics::depth_dose_metrics(idd, physics::depth_positions_mm(dose));
  if (met.distal_found) out << ", R80 " << fmt("%.4g", met.r80_mm) << " mm";
  out << ", peak " << fmt("%.4g", met.peak_depth_mm) << " mm\n";
}

bool print_model_summary(std::ostream& out, const Case& c, const HeadlessOptions& o) {
  QString file;
  const auto model = load_default_model(&file);
  if (!model) {
    out << "model:    none (no loadable *.h5 in resources/models); no model dose\n";
    return false;
  }
  out << "model:    " << file.toStdString() << " (" << model->description() << ")\n";
  const auto& mc = model->config();
  if (c.ct.slices != mc.num_slices || c.ct.rows != mc.rows() || c.ct.cols != mc.cols()) {
    out << "model:    the case grid does not match the model grid " << mc.num_slices << " x "
        << mc.rows() << " x " << mc.cols() << "; no model dose\n";
    return false;
  }
  struct Setting {
    const char* name;
    Mode mode;
    bool cache;
  };
  const Setting settings[] = {{"cache off", Mode::full, false},
                              {"cache on", Mode::full, true},
                              {"stream + cache", Mode::stream, true}};
  Volume dose;
  for (const auto& st : settings) {
    SessionOptions so;
    so.mode = st.mode;
    so.cache = st.cache;
    so.chunk = InferenceSettings{}.chunk;
    Session s(model, so);
    std::vector<double> t;
    for (int i = 0; i < o.warmup + o.reps; ++i) {
      s.reset();
      dose = s.infer(c.ct, c.energy_mev);
      if (i >= o.warmup) t.push_back(s.last_stats().latency_s);
    }
    const auto stats = bench::compute_stats(t);
    out << "timing:   ";
    out.width(15);
    out << std::left << st.name << " ";
    out.width(6);
    out << s.last_stats().mode << "  median " << ms(stats.median) << " ms, IQR " << ms(stats.iqr)
        << " ms, min–max " << ms(stats.min) << "–" << ms(stats.max) << " ms (" << stats.n
        << " runs, " << o.warmup << " warm-up)\n";
  }
  out << "model dose (stream + cache, as the engine returns it):\n";
  print_dose_line(out, "model", dose);
  std::string ref_name;
  const Dose* ref = monte_carlo(c, &ref_name);
  const GammaSettings& g = o.gamma;
  const std::string crit = fmt("%g", g.dose_pct) + " %/" + fmt("%g", g.dist_mm) + " mm " +
                           (g.local ? "local" : "global") + ", threshold " +
                           fmt("%g", g.threshold_pct) + " % of the reference max";
  if (!ref || !ref->volume.same_grid(dose)) {
    out << "gamma:    " << crit << ": no Monte Carlo dose on the model grid in the case\n";
    return true;
  }
  const auto r = physics::gamma_index(ref->volume, dose, gamma_options(g));
  out << "gamma:    " << crit << " (model vs " << ref_name << "): pass " << fmt("%.2f", r.pass_rate)
      << " % of " << r.evaluated << " voxels (DoTA definition " << fmt("%.2f", r.pass_rate_dota)
      << " %), mean γ " << fmt("%.3f", r.mean_gamma) << ", max γ " << fmt("%.2f", r.max_gamma)
      << "\n";
  return true;
}

}  // namespace dotakv::gui
