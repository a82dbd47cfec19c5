// Auto-policy calibration: measures per-step costs of the running engine on this machine.
#include <algorithm>
#include <chrono>
#include <ctime>

#include "dotakv/auto_policy.hpp"
#include "dotakv/bench_workloads.hpp"
#include "dotakv/build_info.hpp"
#include "dotakv/error.hpp"
#include "dotakv/model.hpp"
#include "dotakv/session.hpp"
#include "dotakv/sysinfo.hpp"

namespace dotakv::bench {

namespace {

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return quantile_sorted(v, 0.5);
}

}  // namespace

AutoPolicy calibrate(std::shared_ptr<const Model> model, const CalibrationOptions& o,
                     Progress* progress) {
  if (!model) throw ValueError("calibrate: no model");
  if (o.reps < 1) throw ValueError("calibrate: reps must be >= 1");
  if (o.batches.empty() || o.chunks.empty())
    throw ValueError("calibrate: batch and chunk lists must not be empty");
  const ModelConfig& c = model->config();
  const int S = c.num_slices;
  std::vector<int> depths = o.depths;
  if (depths.empty()) depths = {0, S / 4, S / 2, 3 * S / 4, S - 1};
  for (int d : depths)
    if (d < 0 || d >= S)
      throw ValueError("calibrate: depth " + std::to_string(d) + " outside 0.." +
                       std::to_string(S - 1));
  const KvPrecision kvp = parse_kv_precision(o.kv_precision);
  const ComputePrecision cp = parse_compute_precision(o.precision);

  AutoPolicy p;
  const nlohmann::json info = info_json();
  const std::time_t t = std::time(nullptr);
  char created[32];
  std::strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  p.meta = {{"created", created},
            {"cpu", info["cpu"]["model"]},
            {"threads", num_threads()},
            {"git_revision", build_info().git_revision},
            {"model_config", c.to_json()},
            {"model", model->description()},
            {"precision", o.precision},
            {"kv_precision", o.kv_precision},
            {"reps", o.reps}};

  const double total = double(o.batches.size()) *
                       (o.chunks.size() * 2 + 2 + (o.batches.size() ? 1 : 0) * depths.size()) *
                       (o.reps + 1);
  double done = 0;
  auto tick = [&](const std::string& what) { report(progress, ++done, total, what); };

  for (int b : o.batches) {
    std::vector<Volume> cts;
    std::vector<double> es;
    for (int i = 0; i < b; ++i) {
      cts.push_back(synthetic_ct(S, c.rows(), c.cols(), o.seed + i));
      es.push_back(70.0 + 150.0 * (i + 1) / (b + 1));
    }
    for (int m : o.chunks) {
      StreamCurve curve;
      curve.batch = b;
      curve.chunk = m;
      for (bool cached : {true, false}) {
        SessionOptions so;
        so.mode = Mode::stream;
        so.cache = cached;
        so.chunk = m;
        so.kv_precision = kvp;
        so.precision = cp;
        so.max_batch = b;
        Session s(model, so);
        std::vector<std::vector<double>> per_step;  // [step][rep]
        std::vector<int> prior, fresh;
        for (int r = 0; r <= o.reps; ++r) {  // r == 0: warm-up, discarded
          std::vector<double> stamps{now()};
          std::vector<int> ends;
          s.infer(cts, es, [&](const StepInfo& st) {
            stamps.push_back(now());
            ends.push_back(st.slice_end);
          });
          tick(std::string("stream ") + (cached ? "cached" : "uncached"));
          if (r == 0) {
            int begin = 0;
            for (int e : ends) {
              prior.push_back(begin == 0 ? 0 : begin + 1);
              fresh.push_back(e - begin);
              begin = e;
            }
            per_step.assign(ends.size(), {});
            continue;
          }
          for (size_t k = 0; k + 1 < stamps.size() && k < per_step.size(); ++k)
            per_step[k].push_back(stamps[k + 1] - stamps[k]);
        }
        std::vector<double> med;
        for (auto& v : per_step) med.push_back(median(v));
        curve.prior_tokens = prior;
        curve.new_slices = fresh;
        (cached ? curve.cached_step_s : curve.uncached_step_s) = med;
      }
      if (curve.cached_step_s.size() != curve.uncached_step_s.size())
        throw Error("calibrate: cached and uncached runs took different step counts");
      p.stream.push_back(std::move(curve));
    }
    // One-shot pass with and without K/V storage.
    FullPoint fp;
    fp.batch = b;
    for (bool cached : {false, true}) {
      SessionOptions so;
      so.mode = Mode::full;
      so.cache = cached;
      so.kv_precision = kvp;
      so.precision = cp;
      so.max_batch = b;
      Session s(model, so);
      std::vector<double> ts;
      for (int r = 0; r <= o.reps; ++r) {
        const double t0 = now();
        s.infer(cts, es);
        if (r > 0) ts.push_back(now() - t0);
        tick("full");
      }
      (cached ? fp.on_s : fp.off_s) = median(ts);
    }
    p.full.push_back(fp);
    // Prefix reuse (batch 1 only in the engine).
    if (b == 1) {
      PrefixCurve pc;
      pc.batch = 1;
      pc.full_s = fp.off_s;
      SessionOptions so;
      so.mode = Mode::full;
      so.cache = true;
      so.kv_precision = kvp;
      so.precision = cp;
      so.max_batch = 1;
      Session s(model, so);
      for (int d : depths) {
        Volume edited = cts[0];
        for (int z = d; z < S; ++z)
          for (int y = 0; y < c.rows(); ++y)
            for (int x = 0; x < c.cols(); ++x) edited.at(z, y, x) += 250.f;
        std::vector<double> ts;
        for (int r = 0; r <= o.reps; ++r) {
          s.reset();
          s.infer(cts[0], es[0]);
          const double t0 = now();
          s.infer_reusing_prefix(edited, es[0], d);
          if (r > 0) ts.push_back(now() - t0);
          tick("prefix");
        }
        pc.depth.push_back(d);
        pc.reuse_s.push_back(median(ts));
      }
      p.prefix.push_back(pc);
    }
  }
  return p;
}

}  // namespace dotakv::bench
