#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>
#include <set>
#include <sstream>

#include "dotakv/analysis.hpp"
#include "dotakv/bench_report.hpp"
#include "dotakv/build_info.hpp"
#include "dotakv/case_file.hpp"
#include "dotakv/gamma.hpp"

namespace dotakv::bench {

namespace {

std::string fmt(const char* f, double v) {
  return format_number(f, v);
}
std::string fmt_time(double s) {
  return format_duration(s);
}
std::string esc(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '<')
      o += "&lt;";
    else if (c == '>')
      o += "&gt;";
    else if (c == '&')
      o += "&amp;";
    else if (c == '"')
      o += "&quot;";
    else
      o += c;
  }
  return o;
}
double num(const nlohmann::json& j, const char* k, double def = NAN) {
  return j.contains(k) && j[k].is_number() ? j[k].get<double>() : def;
}
std::string group_desc(const nlohmann::json& s) {
  std::string d = s.value("workload", std::string("?")) + " b=" + s["batch"].dump() +
                  " S=" + s["slices"].dump();
  if (s.contains("chunk") && !s["chunk"].is_null()) d += " c=" + s["chunk"].dump();
  if (s.contains("depth") && !s["depth"].is_null()) d += " k=" + s["depth"].dump();
  if (s.value("threads", 0) > 0) d += " t=" + s["threads"].dump();
  return d;
}

}  // namespace

void colormap_rgb(const std::string& name, double t, int& r, int& g, int& b) {
  t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0);
  struct Stop {
    double t, r, g, b;
  };
  static const std::vector<Stop> dose{{0, 0, 0, 0.15},       {0.2, 0.1, 0.1, 0.6},
                                      {0.4, 0.0, 0.6, 0.8},  {0.6, 0.3, 0.85, 0.3},
                                      {0.8, 1.0, 0.85, 0.1}, {1.0, 0.85, 0.1, 0.05}};
  static const std::vector<Stop> div{{0, 0.1, 0.2, 0.7}, {0.5, 1, 1, 1}, {1, 0.75, 0.1, 0.1}};
  static const std::vector<Stop> gam{{0, 0.1, 0.6, 0.2}, {0.5, 1.0, 0.9, 0.2}, {1, 0.8, 0.1, 0.1}};
  static const std::vector<Stop> gray{{0, 0, 0, 0}, {1, 1, 1, 1}};
  const auto& m = name == "diverging" ? div : name == "gamma" ? gam : name == "gray" ? gray : dose;
  size_t i = 1;
  while (i + 1 < m.size() && t > m[i].t) ++i;
  const double u = (t - m[i - 1].t) / (m[i].t - m[i - 1].t);
  r = int(std::lround(255 * (m[i - 1].r + u * (m[i].r - m[i - 1].r))));
  g = int(std::lround(255 * (m[i - 1].g + u * (m[i].g - m[i - 1].g))));
  b = int(std::lround(255 * (m[i - 1].b + u * (m[i].b - m[i - 1].b))));
}

Report make_report(const std::string& title) {
  Report r;
  r.title = title;
  const std::time_t t = std::time(nullptr);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", std::gmtime(&t));
  r.created = buf;
  r.version = "dotakv " + build_info().version + " (" + build_info().git_revision + ")";
  return r;
}

// ---- benchmark part ---------------------------------------------------------------------------

std::vector<ReportChart> bench_charts(const nlohmann::json& doc) {
  const auto& res = doc.at("results");
  std::set<int> slices_set, batch_set;
  std::map<std::string, std::set<std::string>> values;  // group axis -> values seen
  for (const auto& r : res) {
    slices_set.insert(r["settings"].value("slices", 0));
    batch_set.insert(r["settings"].value("batch", 1));
    for (const char* k : {"batch", "slices", "chunk", "depth", "threads"})
      values[k].insert(r["settings"].contains(k) ? r["settings"][k].dump() : "null");
  }
  const bool many_slices = slices_set.size() > 1, many_batches = batch_set.size() > 1;
  // Series name suffix: the group axes (other than the chart's x axis) that vary in the sweep.
  auto suffix = [&](const nlohmann::json& s, const std::string& x_axis) {
    std::string out;
    static const std::map<std::string, std::string> abbrev{
        {"batch", "b"}, {"slices", "S"}, {"chunk", "c"}, {"depth", "k"}, {"threads", "t"}};
    for (const auto& [k, a] : abbrev)
      if (k != x_axis && values[k].size() > 1 && s.contains(k)) out += " " + a + "=" + s[k].dump();
    return out;
  };
  (void)many_slices;
  (void)many_batches;
  std::vector<ReportChart> charts;

  // speedup vs batch (bars with CI whiskers)
  {
    ReportChart c{"speedup_vs_batch",
                  "Speedup vs batch size (median ratio, 95 % CI)",
                  "bar",
                  "batch size",
                  "speedup vs reference (x)",
                  {},
                  {},
                  false};
    std::vector<int> batches(batch_set.begin(), batch_set.end());
    for (int b : batches) c.categories.push_back(std::to_string(b));
    std::map<std::string, ChartSeries> series;
    for (const auto& r : res) {
      if (r["speedup"].is_null()) continue;
      const auto& s = r["settings"];
      std::string name = r["label"].get<std::string>() + " vs " +
                         r.value("reference_label", std::string("ref")) + suffix(s, "batch");
      auto& se = series[name];
      se.name = name;
      const int xi =
          int(std::find(batches.begin(), batches.end(), s.value("batch", 1)) - batches.begin());
      se.x.push_back(xi);
      se.y.push_back(r["speedup"]["median_ratio"].get<double>());
      se.lo.push_back(r["speedup"]["ci95"][0].get<double>());
      se.hi.push_back(r["speedup"]["ci95"][1].get<double>());
    }
    for (auto& [k, v] : series) c.series.push_back(v);
    if (!c.series.empty()) charts.push_back(c);
  }
  // time vs slices (lines)
  {
    ReportChart c{"time_vs_slices",
                  "Median latency vs slices per cache setting",
                  "line",
                  "slices",
                  "median latency (ms)",
                  {},
                  {},
                  false};
    std::map<std::string, std::map<int, std::pair<double, std::pair<double, double>>>> pts;
    for (const auto& r : res) {
      if (r["stats"].is_null()) continue;
      const auto& s = r["settings"];
      const std::string name = r["label"].get<std::string>() + suffix(s, "slices");
      pts[name][s.value("slices", 0)] = {
          r["stats"]["median"].get<double>() * 1e3,
          {r["stats"]["q1"].get<double>() * 1e3, r["stats"]["q3"].get<double>() * 1e3}};
    }
    for (auto& [name, m] : pts) {
      ChartSeries se;
      se.name = name;
      for (auto& [x, y] : m) {
        se.x.push_back(x);
        se.y.push_back(y.first);
        se.lo.push_back(y.second.first);
        se.hi.push_back(y.second.second);
      }
      c.series.push_back(se);
    }
    double ymax = 0, ymin = 1e300;
    for (auto& se : c.series)
      for (double y : se.y) ymax = std::max(ymax, y), ymin = std::min(ymin, y);
    c.log_y = ymin > 0 && ymax / ymin > 50;
    if (!c.series.empty() && slices_set.size() > 1) charts.push_back(c);
  }
  // cold vs warm (bars)
  {
    ReportChart c{"cold_vs_warm",
                  "Cold start (first run after loading) vs warm median",
                  "bar",
                  "setting",
                  "latency (ms)",
                  {},
                  {},
                  false};
    ChartSeries cold{"cold (first run)", {}, {}, {}, {}}, warm{"warm median (IQR)", {}, {}, {}, {}};
    int i = 0;
    for (const auto& r : res) {
      if (r["stats"].is_null() || r["cold_s"].is_null()) continue;
      c.categories.push_back("[" + r["group"].dump() + "] " + r["label"].get<std::string>());
      cold.x.push_back(i);
      cold.y.push_back(r["cold_s"].get<double>() * 1e3);
      warm.x.push_back(i);
      warm.y.push_back(r["stats"]["median"].get<double>() * 1e3);
      warm.lo.push_back(r["stats"]["q1"].get<double>() * 1e3);
      warm.hi.push_back(r["stats"]["q3"].get<double>() * 1e3);
      ++i;
      if (i >= 24) break;  // keep the chart readable
    }
    c.series = {cold, warm};
    if (i > 0) charts.push_back(c);
  }
  // cache memory vs slices (lines)
  {
    ReportChart c{"cache_vs_slices",
                  "KV cache memory in use vs slices",
                  "line",
                  "slices",
                  "cache (MB)",
                  {},
                  {},
                  false};
    std::map<std::string, std::map<int, double>> pts;
    for (const auto& r : res) {
      if (num(r, "cache_bytes", 0) <= 0) continue;
      const auto& s = r["settings"];
      const std::string name = r["label"].get<std::string>() + suffix(s, "slices");
      pts[name][s.value("slices", 0)] = num(r, "cache_bytes", 0) / 1e6;
    }
    for (auto& [name, m] : pts) {
      ChartSeries se;
      se.name = name;
      for (auto& [x, y] : m) se.x.push_back(x), se.y.push_back(y);
      c.series.push_back(se);
    }
    if (!c.series.empty()) charts.push_back(c);
  }
  return charts;
}

std::vector<ReportSection> bench_sections(const nlohmann::json& doc) {
  std::vector<ReportSection> out;
  const nlohmann::json m = doc.value("machine", nlohmann::json::object());
  const nlohmann::json h = doc.value("harness", nlohmann::json::object());
  const nlohmann::json sw = doc.value("sweep", nlohmann::json::object());
  {
    ReportSection s;
    s.title = "Benchmark: method and settings";
    s.paragraphs.push_back(
        "Each compared setting is loaded fresh and its first inference is timed on its own "
        "(cold start). " +
        h.value("warmup", nlohmann::json(3)).dump() +
        " warm-up runs per setting are discarded; then " +
        h.value("reps", nlohmann::json(20)).dump() +
        " repetitions are timed with a steady clock, " +
        (h.value("interleave", true) ? std::string("interleaving the settings (A B A B ...)")
                                     : std::string("in blocks (A A ... B B ...)")) +
        ". Speedup = median(reference) / median(setting) with a 95 % percentile-bootstrap "
        "confidence interval (" +
        h.value("bootstrap_resamples", nlohmann::json(2000)).dump() +
        " resamples, fixed seed). Every run's output is compared with the reference setting "
        "(max |difference|).");
    if (doc.value("cancelled", false))
      s.paragraphs.push_back("The sweep was cancelled; the tables hold the runs finished before.");
    ReportTable t{"Sweep", {"parameter", "value"}, {}};
    for (const auto& [k, v] : sw.items())
      t.rows.push_back({k, v.is_string() ? v.get<std::string>() : v.dump()});
    s.tables.push_back(t);
    ReportTable mt{"Machine", {"field", "value"}, {}};
    if (m.contains("cpu")) {
      mt.rows.push_back({"CPU", m["cpu"].value("model", std::string("?"))});
      mt.rows.push_back(
          {"logical cores", m["cpu"].value("logical_cores", nlohmann::json()).dump()});
      std::string feats;
      const nlohmann::json features = m["cpu"].value("features", nlohmann::json::object());
      for (const auto& [k, v] : features.items())
        if (v.is_boolean() && v.get<bool>()) feats += (feats.empty() ? "" : " ") + k;
      mt.rows.push_back({"features", feats});
    }
    for (const char* k : {"threads", "compiler", "flags", "build_type", "version", "git_revision"})
      if (m.contains(k))
        mt.rows.push_back({k, m[k].is_string() ? m[k].get<std::string>() : m[k].dump()});
    if (m.contains("onednn")) mt.rows.push_back({"oneDNN", m["onednn"].dump()});
    mt.rows.push_back({"results created", doc.value("created", std::string("?"))});
    s.tables.push_back(mt);
    out.push_back(s);
  }
  {
    ReportSection s;
    s.title = "Benchmark: results";
    ReportTable t{"Per setting: cold start, warm statistics, speedup vs the group's reference",
                  {"grp", "point", "setting", "cold", "median", "IQR", "min", "max",
                   "speedup [95% CI]", "max|diff|", "cache MB"},
                  {}};
    for (const auto& r : doc["results"]) {
      const auto& st = r["stats"];
      std::string sp = "reference";
      if (!r["speedup"].is_null())
        sp = fmt("%.2f", r["speedup"]["median_ratio"].get<double>()) + " [" +
             fmt("%.2f", r["speedup"]["ci95"][0].get<double>()) + ", " +
             fmt("%.2f", r["speedup"]["ci95"][1].get<double>()) + "]";
      t.rows.push_back({r["group"].dump(), group_desc(r["settings"]), r["label"].get<std::string>(),
                        r["cold_s"].is_null() ? "-" : fmt_time(r["cold_s"].get<double>()),
                        st.is_null() ? "-" : fmt_time(num(st, "median")),
                        st.is_null() ? "-" : fmt_time(num(st, "iqr")),
                        st.is_null() ? "-" : fmt_time(num(st, "min")),
                        st.is_null() ? "-" : fmt_time(num(st, "max")), sp,
                        fmt("%.2e", num(r, "max_abs_diff", 0)),
                        fmt("%.2f", num(r, "cache_bytes", 0) / 1e6)});
    }
    s.tables.push_back(t);
    bool has_auto = false;
    ReportTable at{
        "Auto policy decisions", {"grp", "point", "choice", "regret vs best fixed", "reason"}, {}};
    for (const auto& r : doc["results"])
      if (r.contains("auto")) {
        has_auto = true;
        const auto& a = r["auto"];
        at.rows.push_back(
            {r["group"].dump(), group_desc(r["settings"]), a.value("choice", std::string("?")),
             a.contains("regret") ? fmt("%+.1f %%", a["regret"].get<double>() * 100) : "-",
             a.value("reason", std::string())});
      }
    if (has_auto) s.tables.push_back(at);
    s.charts = bench_charts(doc);
    out.push_back(s);
  }
  {
    ReportSection s;
    s.title = "Benchmark: cost model vs measured";
    bool any = false;
    ReportTable t{
        "Roofline prediction: per step max(FLOPs / measured GEMM peak, bytes / measured bandwidth)",
        {"grp", "point", "setting", "GFLOP", "GB read", "predicted", "measured", "meas/pred",
         "pred. speedup", "meas. speedup", "GFLOP/s", "% peak"},
        {}};
    for (const auto& r : doc["results"]) {
      if (!r.contains("cost_model")) continue;
      any = true;
      const auto& c = r["cost_model"];
      t.rows.push_back({r["group"].dump(), group_desc(r["settings"]), r["label"].get<std::string>(),
                        fmt("%.2f", num(c, "gflop", 0)), fmt("%.3f", num(c, "weight_and_kv_gb", 0)),
                        fmt_time(num(c, "predicted_s", 0)),
                        r["stats"].is_null() ? "-" : fmt_time(num(r["stats"], "median")),
                        fmt("%.2f", num(c, "measured_over_predicted", NAN)),
                        fmt("%.2fx", num(c, "predicted_speedup", NAN)),
                        r["speedup"].is_null()
                            ? "ref"
                            : fmt("%.2fx", r["speedup"]["median_ratio"].get<double>()),
                        fmt("%.1f", num(c, "gflops_achieved", NAN)),
                        fmt("%.1f %%", 100 * num(c, "fraction_of_peak", NAN))});
      if (s.paragraphs.empty() && c.contains("ceilings"))
        s.paragraphs.push_back(
            "Measured ceilings on this machine: fp32 GEMM " +
            fmt("%.0f", num(c["ceilings"], "fp32_gemm_gflops", 0)) + " GFLOP/s, bf16 GEMM " +
            fmt("%.0f", num(c["ceilings"], "bf16_gemm_gflops", 0)) + " GFLOP/s, memory bandwidth " +
            fmt("%.1f", num(c["ceilings"], "bandwidth_gbs", 0)) + " GB/s.");
    }
    if (any) {
      s.tables.push_back(t);
      out.push_back(s);
    }
  }
  return out;
}

// ---- case part ------------------------------------------------------------------------------

namespace {

ReportImage side_view(const Volume& v, const std::string& id, const std::string& caption,
                      const std::string& cmap, float vmin, float vmax) {
  // Through the beam axis: [cols (vertical), slices (horizontal)] at the central row.
  ReportImage im;
  im.id = id;
  im.caption = caption;
  im.width = v.slices;
  im.height = v.cols;
  im.values.resize(size_t(im.width) * im.height);
  const int r = v.rows / 2;
  for (int x = 0; x < v.cols; ++x)
    for (int z = 0; z < v.slices; ++z) im.values[size_t(x) * im.width + z] = v.at(z, r, x);
  im.vmin = vmin;
  im.vmax = vmax;
  im.colormap = cmap;
  im.aspect = v.spacing_mm[2] / v.spacing_mm[0];
  return im;
}
ReportImage projection(const Volume& v, const std::string& id, const std::string& caption,
                       float vmax) {
  const auto p = physics::max_intensity_projection(v, 1);  // [slices, cols]
  ReportImage im;
  im.id = id;
  im.caption = caption;
  im.width = p.height;  // slices horizontal
  im.height = p.width;
  im.values.resize(size_t(im.width) * im.height);
  for (int z = 0; z < p.height; ++z)
    for (int x = 0; x < p.width; ++x) im.values[size_t(x) * im.width + z] = p.at(z, x);
  im.vmin = 0;
  im.vmax = vmax;
  im.aspect = v.spacing_mm[2] / v.spacing_mm[0];
  return im;
}
bool is_uncertainty(const std::string& name) {
  return name.find("stderr") != std::string::npos;
}
// Attributes as "key: value, ..." (strings unquoted, numbers short, nested values compact).
std::string attributes_text(const nlohmann::json& a) {
  if (!a.is_object()) return a.is_null() ? "" : a.dump();
  std::string out;
  for (const auto& [k, v] : a.items()) {
    std::string val = v.is_string()           ? v.get<std::string>()
                      : v.is_boolean()        ? (v.get<bool>() ? "yes" : "no")
                      : v.is_number_integer() ? std::to_string(v.get<long long>())
                      : v.is_number()         ? fmt("%.4g", v.get<double>())
                                              : v.dump();
    if (val.size() > 40) val = val.substr(0, 37) + "...";
    out += (out.empty() ? "" : ", ") + k + ": " + val;
  }
  return out;
}
std::string base_name(const std::string& path) {
  const auto p = path.find_last_of('/');
  return p == std::string::npos ? path : path.substr(p + 1);
}
float vmax_of(const Volume& v) {
  float m = 0;
  for (float x : v.data) m = std::max(m, x);
  return m > 0 ? m : 1.f;
}

}  // namespace

std::vector<ReportSection> case_sections(const std::string& path, const CaseReportOptions& o) {
  const Case c = load_case(path);
  std::vector<ReportSection> out;
  ReportSection s;
  const std::string case_name = o.case_name.empty() ? base_name(path) : o.case_name;
  s.title = "Case: " + case_name;
  int n_doses = 0;
  for (const auto& [name, d] : c.doses) n_doses += is_uncertainty(name) ? 0 : 1;
  s.paragraphs.push_back("Grid " + std::to_string(c.ct.slices) + " x " + std::to_string(c.ct.rows) +
                         " x " + std::to_string(c.ct.cols) + " voxels of " +
                         fmt("%.1f", c.ct.spacing_mm[0]) + " x " + fmt("%.1f", c.ct.spacing_mm[1]) +
                         " x " + fmt("%.1f", c.ct.spacing_mm[2]) +
                         " mm (beam along the slices), beam energy " + fmt("%.1f", c.energy_mev) +
                         " MeV, " + std::to_string(n_doses) +
                         " dose(s). Images: side view through the beam "
                         "axis (depth horizontal, beam entering from the left) and "
                         "maximum-intensity projection over rows.");
  float ct_lo = 1e30f, ct_hi = -1e30f;
  for (float x : c.ct.data) ct_lo = std::min(ct_lo, x), ct_hi = std::max(ct_hi, x);
  s.images.push_back(
      side_view(c.ct, "ct_side", "CT (HU), side view", "gray", ct_lo, std::max(ct_hi, ct_lo + 1)));
  s.images.back().unit = "HU";
  ReportTable metrics{
      "Dose metrics (integrated depth dose)",
      {"dose", "max (Gy/primary)", "peak depth (mm)", "R80 (mm)", "R20 (mm)", "details"},
      {}};
  ReportTable uncertainty{
      "Uncertainty maps (not doses)", {"map", "max (Gy/primary)", "details"}, {}};
  const Dose* first = nullptr;
  std::string first_name;
  float global_max = 0;
  for (const auto& [name, d] : c.doses)
    if (!is_uncertainty(name)) global_max = std::max(global_max, vmax_of(d.volume));
  for (const auto& [name, d] : c.doses) {
    if (is_uncertainty(name)) {
      uncertainty.rows.push_back(
          {name, fmt("%.4g", vmax_of(d.volume)), attributes_text(d.attributes)});
      s.images.push_back(side_view(d.volume, "uncertainty_side_" + name,
                                   "Uncertainty map '" + name + "' (standard error), side view",
                                   "dose", 0, vmax_of(d.volume)));
      s.images.back().unit = "Gy/primary";
      continue;
    }
    const auto idd = physics::integrated_depth_dose(d.volume);
    const auto m = physics::depth_dose_metrics(idd, physics::depth_positions_mm(d.volume));
    metrics.rows.push_back({name, fmt("%.4g", vmax_of(d.volume)), fmt("%.1f", m.peak_depth_mm),
                            m.distal_found ? fmt("%.1f", m.r80_mm) : "-",
                            m.distal_found ? fmt("%.1f", m.r20_mm) : "-",
                            attributes_text(d.attributes)});
    s.images.push_back(side_view(d.volume, "dose_side_" + name, "Dose '" + name + "', side view",
                                 "dose", 0, global_max));
    s.images.back().unit = "Gy/primary";
    s.images.push_back(projection(d.volume, "dose_mip_" + name,
                                  "Dose '" + name + "', projection over rows", global_max));
    s.images.back().unit = "Gy/primary";
  }
  // The comparison reference: a dose named "reference" or "mc" if present, else the first.
  for (const char* want : {"reference", "mc", "MC"})
    if (!first && c.doses.count(want)) {
      first = &c.doses.at(want);
      first_name = want;
    }
  for (const auto& [name, d] : c.doses)
    if (!first && !is_uncertainty(name)) {
      first = &d;
      first_name = name;
    }
  s.tables.push_back(metrics);
  if (!uncertainty.rows.empty()) s.tables.push_back(uncertainty);
  if (first && n_doses > 1) {
    physics::GammaOptions go;
    physics::parse_gamma_criteria(o.gamma_criteria, go);
    go.threshold_fraction = o.threshold_percent / 100.0;
    go.local = o.local;
    ReportTable cmp{"Comparison with '" + first_name + "' (gamma " + o.gamma_criteria +
                        (o.local ? ", local" : ", global, % of reference max") +
                        "; low-dose threshold " + fmt("%g %%", o.threshold_percent) +
                        " of reference max; gamma capped at " + fmt("%.2f", go.max_gamma) + ")",
                    {"dose", "max |diff| (% of max)", "mean |diff| (%)", "gamma pass (%)",
                     "pass DoTA def. (%)", "mean gamma"},
                    {}};
    for (const auto& [name, d] : c.doses) {
      // Uncertainty maps (e.g. "mc_stderr") are shown above but are not doses to compare.
      if (&d == first || is_uncertainty(name)) continue;
      const auto dd = physics::dose_difference(first->volume, d.volume);
      const auto g = physics::gamma_index(first->volume, d.volume, go);
      cmp.rows.push_back({name, fmt("%.3f", dd.max_abs_percent), fmt("%.4f", dd.mean_abs_percent),
                          fmt("%.2f", g.pass_rate), fmt("%.2f", g.pass_rate_dota),
                          fmt("%.3f", g.mean_gamma)});
      Volume diff = d.volume;
      float dm = 0;
      for (size_t i = 0; i < diff.data.size(); ++i) {
        diff.data[i] -= first->volume.data[i];
        dm = std::max(dm, std::fabs(diff.data[i]));
      }
      if (dm == 0) dm = 1e-12f;
      s.images.push_back(side_view(
          diff, "diff_" + name,
          "Difference '" + name + "' - '" + first_name + "' (±" + fmt("%.3g", dm) + " Gy/primary)",
          "diverging", -dm, dm));
      s.images.back().unit = "Gy/primary";
      s.images.push_back(side_view(
          g.gamma, "gamma_" + name,
          "Gamma map '" + name +
              "' (0..2, pass <= 1, grey: below the threshold): " + fmt("%.2f %% pass", g.pass_rate),
          "gamma", 0, 2));
      s.images.back().unit = "gamma";
    }
    s.tables.push_back(cmp);
  }
  out.push_back(s);
  return out;
}

// ---- HTML ---------------------------------------------------------------------------------------

namespace {

std::string svg_color(const std::string& cmap, double t) {
  int r, g, b;
  colormap_rgb(cmap, t, r, g, b);
  char buf[16];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", r, g, b);
  return buf;
}
const char* kPalette[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e",
                          "#9467bd", "#8c564b", "#e377c2", "#17becf"};

std::string svg_chart(const ReportChart& c) {
  const double W = 640, H = 340, L = 70, R = 200, T = 30, B = 50;
  const double pw = W - L - R, ph = H - T - B;
  double xmin = 1e300, xmax = -1e300, ymin = c.kind == "bar" ? 0 : 1e300, ymax = -1e300;
  for (const auto& s : c.series)
    for (size_t i = 0; i < s.y.size(); ++i) {
      xmin = std::min(xmin, s.x[i]);
      xmax = std::max(xmax, s.x[i]);
      const double hi = s.hi.size() == s.y.size() ? s.hi[i] : s.y[i];
      const double lo = s.lo.size() == s.y.size() ? s.lo[i] : s.y[i];
      ymax = std::max({ymax, s.y[i], hi});
      ymin = std::min({ymin, s.y[i], lo});
    }
  if (c.kind == "bar") xmin = -0.5, xmax = std::max<double>(c.categories.size(), 1) - 0.5;
  if (xmax <= xmin) xmax = xmin + 1;
  const bool logy = c.log_y && ymin > 0;
  auto fy = [&](double y) { return logy ? std::log10(std::max(y, 1e-300)) : y; };
  double y0 = fy(ymin > 0 && !logy && c.kind == "line" ? 0 : ymin), y1 = fy(ymax);
  if (y1 <= y0) y1 = y0 + 1;
  y1 += (y1 - y0) * 0.05;
  auto px = [&](double x) { return L + (x - xmin) / (xmax - xmin) * pw; };
  auto py = [&](double y) { return T + ph - (fy(y) - y0) / (y1 - y0) * ph; };
  std::ostringstream o;
  o << "<svg xmlns='http://www.w3.org/2000/svg' width='" << W << "' height='" << H
    << "' font-family='sans-serif' font-size='11'>";
  o << "<text x='" << W / 2 << "' y='16' text-anchor='middle' font-weight='bold'>" << esc(c.title)
    << "</text>";
  o << "<rect x='" << L << "' y='" << T << "' width='" << pw << "' height='" << ph
    << "' fill='none' stroke='#444'/>";
  for (int k = 0; k <= 4; ++k) {
    const double yv = y0 + (y1 - y0) * k / 4;
    const double yy = T + ph - ph * k / 4.0;
    const double label = logy ? std::pow(10, yv) : yv;
    o << "<line x1='" << L << "' x2='" << L + pw << "' y1='" << yy << "' y2='" << yy
      << "' stroke='#ddd'/>";
    o << "<text x='" << L - 4 << "' y='" << yy + 4 << "' text-anchor='end'>" << fmt("%.3g", label)
      << "</text>";
  }
  if (c.kind == "bar") {
    for (size_t i = 0; i < c.categories.size(); ++i)
      o << "<text x='" << px(double(i)) << "' y='" << T + ph + 14 << "' text-anchor='middle'>"
        << esc(c.categories[i].substr(0, 14)) << "</text>";
  } else {
    for (int k = 0; k <= 4; ++k) {
      const double xv = xmin + (xmax - xmin) * k / 4;
      o << "<text x='" << px(xv) << "' y='" << T + ph + 14 << "' text-anchor='middle'>"
        << fmt("%.4g", xv) << "</text>";
    }
  }
  o << "<text x='" << L + pw / 2 << "' y='" << H - 12 << "' text-anchor='middle'>" << esc(c.x_label)
    << "</text>";
  o << "<text transform='translate(14," << T + ph / 2 << ") rotate(-90)' text-anchor='middle'>"
    << esc(c.y_label) << "</text>";
  const size_t ns = c.series.size();
  for (size_t si = 0; si < ns; ++si) {
    const auto& s = c.series[si];
    const std::string col = kPalette[si % 8];
    if (c.kind == "bar") {
      const double slot = pw / (xmax - xmin) * 0.8, bw = slot / std::max<size_t>(ns, 1);
      for (size_t i = 0; i < s.y.size(); ++i) {
        const double x = px(s.x[i]) - slot / 2 + bw * si;
        const double base = py(logy ? ymin : 0);
        o << "<rect x='" << x << "' y='" << std::min(py(s.y[i]), base) << "' width='" << bw * 0.9
          << "' height='" << std::fabs(base - py(s.y[i])) << "' fill='" << col << "'/>";
        if (s.lo.size() == s.y.size()) {
          const double cx = x + bw * 0.45;
          o << "<line x1='" << cx << "' x2='" << cx << "' y1='" << py(s.lo[i]) << "' y2='"
            << py(s.hi[i]) << "' stroke='black'/>";
          for (double yv : {s.lo[i], s.hi[i]})
            o << "<line x1='" << cx - 4 << "' x2='" << cx + 4 << "' y1='" << py(yv) << "' y2='"
              << py(yv) << "' stroke='black'/>";
        }
      }
    } else {
      o << "<polyline fill='none' stroke='" << col << "' stroke-width='2' points='";
      for (size_t i = 0; i < s.y.size(); ++i) o << px(s.x[i]) << "," << py(s.y[i]) << " ";
      o << "'/>";
      for (size_t i = 0; i < s.y.size(); ++i) {
        o << "<circle cx='" << px(s.x[i]) << "' cy='" << py(s.y[i]) << "' r='3' fill='" << col
          << "'/>";
        if (s.lo.size() == s.y.size())
          o << "<line x1='" << px(s.x[i]) << "' x2='" << px(s.x[i]) << "' y1='" << py(s.lo[i])
            << "' y2='" << py(s.hi[i]) << "' stroke='" << col << "'/>";
      }
    }
    o << "<rect x='" << L + pw + 10 << "' y='" << T + 14 * si << "' width='10' height='10' fill='"
      << col << "'/>";
    o << "<text x='" << L + pw + 24 << "' y='" << T + 9 + 14 * si << "'>"
      << esc(s.name.substr(0, 30)) << "</text>";
  }
  if (c.kind == "bar" && c.id == "speedup_vs_batch")  // the no-change line
    o << "<line x1='" << L << "' x2='" << L + pw << "' y1='" << py(1) << "' y2='" << py(1)
      << "' stroke='#888' stroke-dasharray='4,3'/>";
  o << "</svg>";
  return o.str();
}

// Vertical colour bar beside an image: 32 steps, vmin/mid/vmax labels, the unit on top.
std::string svg_colorbar(const ReportImage& im, double h) {
  const double H = std::max(h, 80.0), top = 22, bh = H - top - 6;
  std::ostringstream o;
  o << "<svg xmlns='http://www.w3.org/2000/svg' width='90' height='" << H
    << "' font-family='sans-serif' font-size='10'><text x='2' y='10'>" << esc(im.unit) << "</text>";
  for (int i = 0; i < 32; ++i)
    o << "<rect x='2' y='" << top + bh * (31 - i) / 32 << "' width='14' height='" << bh / 32 + 0.3
      << "' fill='" << svg_color(im.colormap, (i + 0.5) / 32) << "'/>";
  for (int k = 0; k < 3; ++k) {
    const double y = top + bh * (1 - k / 2.0);
    o << "<line x1='16' x2='20' y1='" << y << "' y2='" << y << "' stroke='#333'/><text x='22' y='"
      << y + 3.5 << "'>" << fmt("%.4g", im.vmin + (im.vmax - im.vmin) * k / 2) << "</text>";
  }
  o << "</svg>";
  return o.str();
}

std::string svg_image(const ReportImage& im) {
  const double scale = std::max(1.0, 600.0 / std::max(im.width, 1));
  const double pxw = std::min(scale, 12.0), pxh = pxw * im.aspect;
  std::ostringstream o;
  o << "<svg xmlns='http://www.w3.org/2000/svg' width='" << im.width * pxw << "' height='"
    << im.height * pxh << "' shape-rendering='crispEdges'>";
  const double span = im.vmax > im.vmin ? im.vmax - im.vmin : 1;
  for (int y = 0; y < im.height; ++y)
    for (int x = 0; x < im.width; ++x) {
      const float v = im.values[size_t(y) * im.width + x];
      const std::string col = (im.colormap == "gamma" && v < 0)
                                  ? std::string("#808080")
                                  : svg_color(im.colormap, (v - im.vmin) / span);
      o << "<rect x='" << x * pxw << "' y='" << y * pxh << "' width='" << pxw + 0.05 << "' height='"
        << pxh + 0.05 << "' fill='" << col << "'/>";
    }
  o << "<rect x='0' y='0' width='" << im.width * pxw << "' height='" << im.height * pxh
    << "' fill='none' stroke='#999'/></svg>";
  if (!im.unit.empty()) o << svg_colorbar(im, im.height * pxh);
  return o.str();
}

}  // namespace

std::string render_html(const Report& r) {
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>" << esc(r.title) << "</title>"
    << "<style>body{font-family:sans-serif;max-width:1100px;margin:auto;padding:1em}"
       "table{border-collapse:collapse;margin:0.5em 0 1.2em;font-size:12px}"
       "td,th{border:1px solid #bbb;padding:2px 6px;text-align:left}th{background:#eee}"
       "figure{display:inline-block;margin:0.5em}figcaption{font-size:12px}"
       "caption{font-weight:bold;text-align:left}</style></head><body>\n";
  o << "<h1>" << esc(r.title) << "</h1>\n<p>" << esc(r.created) << " &middot; " << esc(r.version)
    << "</p>\n";
  for (const auto& s : r.sections) {
    o << "<h2>" << esc(s.title) << "</h2>\n";
    for (const auto& p : s.paragraphs) o << "<p>" << esc(p) << "</p>\n";
    for (const auto& t : s.tables) {
      o << "<table><caption>" << esc(t.caption) << "</caption><tr>";
      for (const auto& h : t.header) o << "<th>" << esc(h) << "</th>";
      o << "</tr>\n";
      for (const auto& row : t.rows) {
        o << "<tr>";
        for (const auto& cell : row) o << "<td>" << esc(cell) << "</td>";
        o << "</tr>\n";
      }
      o << "</table>\n";
    }
    for (const auto& c : s.charts)
      o << "<figure id='" << esc(c.id) << "'>" << svg_chart(c) << "</figure>\n";
    for (const auto& im : s.images)
      o << "<figure id='" << esc(im.id) << "'>" << svg_image(im) << "<figcaption>"
        << esc(im.caption) << "</figcaption></figure>\n";
  }
  o << "</body></html>\n";
  return o.str();
}

std::string format_number(const char* printf_format, double v) {
  char b[64];
  std::snprintf(b, sizeof b, printf_format, v);
  return b;
}
std::string format_duration(double s) {
  return s < 1 ? format_number("%.2f ms", s * 1e3) : format_number("%.3f s", s);
}

}  // namespace dotakv::bench
