#include "dotakv/auto_policy.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "dotakv/atomic_file.hpp"
#include "dotakv/error.hpp"
#include "dotakv/json_file.hpp"

namespace dotakv::bench {

namespace {

std::string fmt_s(double s) {
  char buf[64];
  if (s < 1e-3)
    std::snprintf(buf, sizeof buf, "%.1f us", s * 1e6);
  else if (s < 1)
    std::snprintf(buf, sizeof buf, "%.2f ms", s * 1e3);
  else
    std::snprintf(buf, sizeof buf, "%.3f s", s);
  return buf;
}

// Piecewise-linear interpolation, linear extrapolation beyond the ends (the uncached step cost
// keeps growing past the calibrated range), never below 0.
double interp(const std::vector<int>& x, const std::vector<double>& y, double at) {
  if (x.empty()) return 0;
  if (x.size() == 1) return y[0];
  size_t i = 1;
  while (i + 1 < x.size() && at > x[i]) ++i;
  const double x0 = x[i - 1], x1 = x[i];
  const double t = x1 == x0 ? 0 : (at - x0) / (x1 - x0);
  const double v = y[i - 1] + t * (y[i] - y[i - 1]);
  return std::max(0.0, v);
}

template <class T>
const T* nearest(const std::vector<T>& v, int batch, int chunk, bool use_chunk) {
  const T* best = nullptr;
  double best_d = 1e300;
  for (const auto& e : v) {
    double d = std::fabs(std::log(double(e.batch) / batch)) * 1000;
    if constexpr (requires { e.chunk; })
      if (use_chunk) d += std::fabs(std::log(double(e.chunk) / chunk));
    if (d < best_d) {
      best_d = d;
      best = &e;
    }
  }
  return best;
}

void need(bool ok, const std::string& what) {
  if (!ok) throw FormatError("auto policy profile: " + what);
}

template <class T>
std::vector<T> get_vec(const nlohmann::json& j, const char* key, const std::string& where) {
  need(j.contains(key) && j[key].is_array(), where + ": field '" + key + "': expected an array");
  try {
    return j[key].get<std::vector<T>>();
  } catch (const nlohmann::json::exception&) {
    throw FormatError("auto policy profile: " + where + ": field '" + key +
                      "': wrong element type");
  }
}

}  // namespace

nlohmann::json PolicyDecision::to_json() const {
  return {{"choice", use_cache ? "on" : "off"},
          {"predicted_on_s", predicted_on_s},
          {"predicted_off_s", predicted_off_s},
          {"reason", reason}};
}

AutoPolicy AutoPolicy::from_json(const nlohmann::json& j) {
  need(j.is_object() && j.value("schema", std::string()) == "dotakv.auto_policy/1",
       "field 'schema': expected \"dotakv.auto_policy/1\"");
  AutoPolicy p;
  if (j.contains("meta")) p.meta = j["meta"];
  try {
    for (const auto& e : j.value("stream", nlohmann::json::array())) {
      StreamCurve c;
      c.batch = e.at("batch").get<int>();
      c.chunk = e.at("chunk").get<int>();
      c.prior_tokens = get_vec<int>(e, "prior_tokens", "stream");
      c.cached_step_s = get_vec<double>(e, "cached_step_s", "stream");
      c.uncached_step_s = get_vec<double>(e, "uncached_step_s", "stream");
      c.new_slices = get_vec<int>(e, "new_slices", "stream");
      const size_t n = c.prior_tokens.size();
      need(n > 0 && c.cached_step_s.size() == n && c.uncached_step_s.size() == n &&
               c.new_slices.size() == n,
           "stream curve (batch " + std::to_string(c.batch) + ", chunk " + std::to_string(c.chunk) +
               "): arrays must be non-empty and of equal length");
      need(std::is_sorted(c.prior_tokens.begin(), c.prior_tokens.end()),
           "stream curve: prior_tokens must ascend");
      for (int m : c.new_slices) need(m > 0, "stream curve: new_slices must be > 0");
      need(c.batch > 0 && c.chunk > 0, "stream curve: batch and chunk must be > 0");
      p.stream.push_back(std::move(c));
    }
    for (const auto& e : j.value("full", nlohmann::json::array()))
      p.full.push_back(
          {e.at("batch").get<int>(), e.at("off_s").get<double>(), e.at("on_s").get<double>()});
    for (const auto& e : j.value("prefix", nlohmann::json::array())) {
      PrefixCurve c;
      c.batch = e.at("batch").get<int>();
      c.depth = get_vec<int>(e, "depth", "prefix");
      c.reuse_s = get_vec<double>(e, "reuse_s", "prefix");
      c.full_s = e.at("full_s").get<double>();
      need(!c.depth.empty() && c.depth.size() == c.reuse_s.size(),
           "prefix curve: depth and reuse_s must be non-empty and of equal length");
      need(std::is_sorted(c.depth.begin(), c.depth.end()), "prefix curve: depth must ascend");
      p.prefix.push_back(std::move(c));
    }
  } catch (const nlohmann::json::exception& e) {
    throw FormatError(std::string("auto policy profile: missing or mistyped field (") + e.what() +
                      ")");
  }
  need(!p.stream.empty() || !p.full.empty() || !p.prefix.empty(),
       "no calibration data (stream, full and prefix are all empty)");
  return p;
}

nlohmann::json AutoPolicy::to_json() const {
  nlohmann::json j;
  j["schema"] = "dotakv.auto_policy/1";
  j["meta"] = meta;
  j["stream"] = nlohmann::json::array();
  for (const auto& c : stream)
    j["stream"].push_back({{"batch", c.batch},
                           {"chunk", c.chunk},
                           {"prior_tokens", c.prior_tokens},
                           {"new_slices", c.new_slices},
                           {"cached_step_s", c.cached_step_s},
                           {"uncached_step_s", c.uncached_step_s}});
  j["full"] = nlohmann::json::array();
  for (const auto& f : full)
    j["full"].push_back({{"batch", f.batch}, {"off_s", f.off_s}, {"on_s", f.on_s}});
  j["prefix"] = nlohmann::json::array();
  for (const auto& c : prefix)
    j["prefix"].push_back(
        {{"batch", c.batch}, {"depth", c.depth}, {"reuse_s", c.reuse_s}, {"full_s", c.full_s}});
  j["break_even"] = nlohmann::json::array();
  for (const auto& c : stream) {
    const int be = break_even_slices(c.batch, c.chunk);
    j["break_even"].push_back({{"batch", c.batch},
                               {"chunk", c.chunk},
                               {"slices", be < 0 ? nlohmann::json() : nlohmann::json(be)}});
  }
  return j;
}

AutoPolicy AutoPolicy::load(const std::string& path) {
  const nlohmann::json j =
      read_json_file(path, "auto-policy profile (make one with `dotakv calibrate`)");
  try {
    return from_json(j);
  } catch (const FormatError& e) {
    throw FormatError(path + ": " + e.what());
  }
}

void AutoPolicy::save(const std::string& path) const {
  write_text_atomically(path, to_json().dump(2) + "\n");
}

double AutoPolicy::predict_stream_s(const StreamCurve& c, int slices, int chunk,
                                    bool cached) const {
  const auto& y = cached ? c.cached_step_s : c.uncached_step_s;
  std::vector<double> per_slice(y.size());
  for (size_t i = 0; i < y.size(); ++i) per_slice[i] = y[i] / c.new_slices[i];
  double total = 0;
  int done = 0;
  while (done < slices) {
    const int m = std::min(chunk, slices - done);
    const int prior = done == 0 ? 0 : done + 1;
    total += m * interp(c.prior_tokens, per_slice, prior);
    done += m;
  }
  return total;
}

int AutoPolicy::break_even_slices(int batch, int chunk) const {
  const StreamCurve* c = nearest(stream, batch, chunk, true);
  if (!c) return -1;
  int max_slices = 0;
  for (int m : c->new_slices) max_slices += m;
  for (int s = 1; s <= max_slices; ++s)
    if (predict_stream_s(*c, s, chunk, true) < predict_stream_s(*c, s, chunk, false)) return s;
  return -1;
}

PolicyDecision AutoPolicy::decide(const PolicyRequest& r) const {
  PolicyDecision d;
  char head[160];
  if (r.workload == "stream") {
    const StreamCurve* c = nearest(stream, r.batch, r.chunk, true);
    if (!c) throw ValueError("auto policy: the profile has no stream calibration");
    d.predicted_on_s = predict_stream_s(*c, r.slices, r.chunk, true);
    d.predicted_off_s = predict_stream_s(*c, r.slices, r.chunk, false);
    std::snprintf(head, sizeof head, "stream %d slices, chunk %d, batch %d", r.slices, r.chunk,
                  r.batch);
    d.reason = head;
    if (c->batch != r.batch || c->chunk != r.chunk)
      d.reason += " (nearest calibrated: batch " + std::to_string(c->batch) + ", chunk " +
                  std::to_string(c->chunk) + ")";
  } else if (r.workload == "prefix") {
    const PrefixCurve* c = nearest(prefix, r.batch, 1, false);
    if (!c) throw ValueError("auto policy: the profile has no prefix-reuse calibration");
    d.predicted_on_s = interp(c->depth, c->reuse_s, r.depth);
    d.predicted_off_s = c->full_s;
    std::snprintf(head, sizeof head, "prefix reuse at depth %d, batch %d", r.depth, r.batch);
    d.reason = head;
  } else if (r.workload == "full") {
    const FullPoint* c = nearest(full, r.batch, 1, false);
    if (!c) throw ValueError("auto policy: the profile has no one-shot calibration");
    d.predicted_on_s = c->on_s;
    d.predicted_off_s = c->off_s;
    std::snprintf(head, sizeof head, "one-shot pass, batch %d (no earlier tokens to reuse)",
                  r.batch);
    d.reason = head;
  } else {
    throw ValueError("auto policy: unknown workload '" + r.workload + "'");
  }
  d.use_cache = d.predicted_on_s < d.predicted_off_s;
  d.reason += ": measured-profile prediction with cache " + fmt_s(d.predicted_on_s) + ", without " +
              fmt_s(d.predicted_off_s) + " -> cache " + (d.use_cache ? "on" : "off");
  return d;
}

std::string default_policy_path() {
  if (const char* p = std::getenv("DOTAKV_POLICY"); p && *p) return p;
  const char* home = std::getenv("HOME");
  return std::string(home ? home : ".") + "/.cache/dotakv/auto_policy.json";
}

}  // namespace dotakv::bench
