// `dotakv infer --model W.h5 --ct CASE.h5 [--energy MeV] --mode full|stream --cache on|off
//  --kv-precision fp32|fp16|int8 --precision fp32|bf16 --out DOSE.h5 [--verify] [--json]`
// Runs DoTA on the CT of a case file and writes the case with the dose added (atomically;
// nothing is written if anything fails). Prints latency and cache bytes; --verify also runs
// `full` in fp32 and prints the max difference.
#include <algorithm>
#include <cmath>

#include "command.hpp"
#include "dotakv/case_file.hpp"
#include "dotakv/error.hpp"
#include "dotakv/session.hpp"

namespace {

bool parse_on_off(const std::string& s, const std::string& what) {
  if (s == "on") return true;
  if (s == "off") return false;
  throw dotakv::ConfigError(what + ": expected on|off, found '" + s + "'");
}

void setup_infer(CLI::App& app) {
  auto* cmd = app.add_subcommand("infer", "Compute a DoTA dose for the CT of a case file");
  struct Opts {
    std::string model, ct, out, mode = "full", cache = "on", kv = "fp32", precision = "fp32",
                                name = "dota";
    double energy = -1;
    int chunk = 1, threads = 0;
    bool verify = false, json = false;
  };
  auto o = std::make_shared<Opts>();
  cmd->add_option("--model", o->model, "Weights file (HDF5, see docs/format_weights.md)")
      ->required();
  cmd->add_option("--ct", o->ct, "Case file with the CT (HDF5, docs/format_case.md)")->required();
  cmd->add_option("--energy", o->energy, "Beam energy in MeV (default: the case's energy)");
  cmd->add_option("--mode", o->mode, "full | stream")->capture_default_str();
  cmd->add_option("--cache", o->cache, "on | off (KV cache)")->capture_default_str();
  cmd->add_option("--chunk", o->chunk, "Slices per streaming step")->capture_default_str();
  cmd->add_option("--kv-precision", o->kv, "fp32 | fp16 | int8 (KV cache storage)")
      ->capture_default_str();
  cmd->add_option("--precision", o->precision, "fp32 | bf16 (compute)")->capture_default_str();
  cmd->add_option("--threads", o->threads, "Threads (0: all cores)");
  cmd->add_option("--out", o->out, "Case file to write (the input case + the dose)");
  cmd->add_option("--dose-name", o->name, "Name of the dose in the output case")
      ->capture_default_str();
  cmd->add_flag("--verify", o->verify, "Also run `full` fp32 and report the max difference");
  cmd->add_flag("--json", o->json, "Print JSON");
  cmd->callback([o] {
    dotakv::SessionOptions so;
    so.mode = dotakv::parse_mode(o->mode);
    so.cache = parse_on_off(o->cache, "--cache");
    so.chunk = o->chunk;
    so.kv_precision = dotakv::parse_kv_precision(o->kv, "--kv-precision");
    so.precision = dotakv::parse_compute_precision(o->precision, "--precision");
    so.threads = o->threads;
    if (o->chunk < 1)
      throw dotakv::ValueError("--chunk: expected >= 1, found " + std::to_string(o->chunk));
    auto model = dotakv::Model::load_shared(o->model);
    dotakv::Case c = dotakv::load_case(o->ct);
    const double energy = o->energy > 0 ? o->energy : c.energy_mev;
    if (o->energy != -1 && !(o->energy > 0))
      throw dotakv::ValueError("--energy: expected MeV > 0, found " + std::to_string(o->energy));
    dotakv::Session s(model, so);
    dotakv::Volume dose = s.infer(c.ct, energy);
    const dotakv::RunStats st = s.last_stats();
    nlohmann::json j = {{"model", o->model},
                        {"ct", o->ct},
                        {"energy_mev", energy},
                        {"options", so.to_json()},
                        {"stats", st.to_json()}};
    float dmax = 0;
    for (float v : dose.data) dmax = std::max(dmax, std::fabs(v));
    j["dose_max_gy_per_primary"] = dmax;
    if (o->verify) {
      dotakv::SessionOptions fo;
      fo.mode = dotakv::Mode::full;
      fo.cache = false;
      fo.threads = o->threads;
      dotakv::Session f(model, fo);
      const dotakv::Volume ref = f.infer(c.ct, energy);
      double d = 0, m = 0;
      for (std::size_t i = 0; i < ref.data.size(); ++i) {
        d = std::max(d, double(std::fabs(ref.data[i] - dose.data[i])));
        m = std::max(m, double(std::fabs(ref.data[i])));
      }
      j["verify"] = {{"max_abs_diff", d}, {"max_diff_over_dose_max", m > 0 ? d / m : 0.0}};
    }
    if (!o->out.empty()) {
      dotakv::Dose out;
      out.volume = dose;
      out.attributes = {{"engine", "dotakv"},
                        {"model", o->model},
                        {"model_description", model->description()},
                        {"mode", o->mode},
                        {"cache", o->cache},
                        {"chunk", o->chunk},
                        {"kv_precision", o->kv},
                        {"precision", o->precision},
                        {"energy_mev", energy}};
      c.energy_mev = energy;
      c.doses[o->name] = out;
      dotakv::save_case(c, o->out);
      j["out"] = o->out;
    }
    if (o->json) {
      dotakv::cli::print_json(j);
      return;
    }
    std::printf(
        "%s, %s, cache %s, kv %s, %s: latency %.1f ms, %d step(s), cache %.2f MB in use (%.2f MB "
        "reserved)\n",
        model->description().c_str(), o->mode.c_str(), o->cache.c_str(), o->kv.c_str(),
        o->precision.c_str(), st.latency_s * 1e3, st.steps, st.cache_bytes_in_use / 1e6,
        st.cache_bytes_reserved / 1e6);
    std::printf("dose max %.4g Gy per primary\n", double(dmax));
    if (o->verify)
      std::printf("verify vs full fp32: max |diff| %.3g (%.3g of the dose max)\n",
                  j["verify"]["max_abs_diff"].get<double>(),
                  j["verify"]["max_diff_over_dose_max"].get<double>());
    if (!o->out.empty()) std::printf("wrote %s (dose '%s')\n", o->out.c_str(), o->name.c_str());
  });
}
DOTAKV_REGISTER_COMMAND(setup_infer);

}  // namespace
