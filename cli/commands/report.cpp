// `dotakv report`: HTML (written here, Qt-free) and PDF (delegated to the Qt program
// `dotakv-report` installed next to this executable) for a benchmark results file and/or a
// case file. Both formats are built from the same Report content (bench_report.hpp).
//   dotakv report --bench results.json [--case case.h5] --html r.html --pdf r.pdf
// Gamma defaults (--gamma, --threshold in %) are physics::GammaDefaults, as in `dotakv compare`.
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "command.hpp"
#include "dotakv/atomic_file.hpp"
#include "dotakv/bench_harness.hpp"
#include "dotakv/bench_report.hpp"
#include "dotakv/error.hpp"
#include "dotakv/gamma.hpp"

namespace {

struct ReportOptions {
  std::string bench, case_path, html, pdf, title = "dotakv report",
                                           gamma = dotakv::physics::GammaDefaults::criteria;
  double threshold_percent = dotakv::physics::GammaDefaults::threshold_percent;
};

std::string report_tool() {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  return (self.parent_path() / "dotakv-report").string();
}

void setup_report(CLI::App& app) {
  auto* cmd = app.add_subcommand("report", "Export a benchmark and/or case report (HTML, PDF)");
  auto o = std::make_shared<ReportOptions>();
  cmd->add_option("--bench", o->bench, "Benchmark results (JSON from `dotakv bench --json`)");
  cmd->add_option("--case", o->case_path, "Case file (HDF5) with doses to show and compare");
  cmd->add_option("--html", o->html, "Write HTML here");
  cmd->add_option("--pdf", o->pdf, "Write PDF here (needs dotakv-report next to dotakv)");
  cmd->add_option("--title", o->title, "Report title")->capture_default_str();
  cmd->add_option("--gamma", o->gamma, "Gamma criteria for dose comparisons")
      ->capture_default_str();
  cmd->add_option("--threshold", o->threshold_percent,
                  "Gamma low-dose threshold in % (0-100) of the reference max")
      ->capture_default_str()
      ->transform(dotakv::cli::percent_validator());
  cmd->callback([o] {
    using namespace dotakv::bench;
    if (o->bench.empty() && o->case_path.empty())
      throw dotakv::ValueError("report: give --bench RESULTS.json and/or --case CASE.h5");
    if (o->html.empty() && o->pdf.empty())
      throw dotakv::ValueError("report: give --html FILE and/or --pdf FILE");
    std::string tool;
    if (!o->pdf.empty()) {
      tool = report_tool();
      if (tool.empty() || access(tool.c_str(), X_OK) != 0)
        throw dotakv::IoError(
            "report: PDF export needs the Qt program 'dotakv-report' next to this "
            "executable (looked for " +
            (tool.empty() ? std::string("?") : tool) +
            "); build with DOTAKV_BUILD_GUI=ON, or export --html only");
    }
    // Build (and so validate) the content before writing anything.
    Report r = make_report(o->title);
    if (!o->bench.empty()) {
      const auto doc = load_results(o->bench);
      for (auto& s : bench_sections(doc)) r.sections.push_back(std::move(s));
    }
    if (!o->case_path.empty()) {
      CaseReportOptions co;
      co.gamma_criteria = o->gamma;
      co.threshold_percent = o->threshold_percent;
      for (auto& s : case_sections(o->case_path, co)) r.sections.push_back(std::move(s));
    }
    if (!o->html.empty()) {
      dotakv::write_text_atomically(o->html, render_html(r));
      std::cout << "wrote " << o->html << "\n";
    }
    if (!o->pdf.empty()) {
      std::vector<std::string> args{tool,      "--pdf",       o->pdf,
                                    "--title", o->title,      "--gamma",
                                    o->gamma,  "--threshold", std::to_string(o->threshold_percent)};
      if (!o->bench.empty()) args.insert(args.end(), {"--bench", o->bench});
      if (!o->case_path.empty()) args.insert(args.end(), {"--case", o->case_path});
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      std::cout.flush();
      const pid_t pid = fork();
      if (pid < 0) throw dotakv::IoError("report: cannot start " + tool);
      if (pid == 0) {
        execv(tool.c_str(), argv.data());
        _exit(127);
      }
      int status = 0;
      waitpid(pid, &status, 0);
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw dotakv::IoError("report: " + tool + " failed (exit " +
                              std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) +
                              "); no PDF written");
    }
  });
}
DOTAKV_REGISTER_COMMAND(setup_report);

}  // namespace
