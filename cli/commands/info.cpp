// `dotakv info [--json]`: version, git revision, compiler and flags, CPU features, threads.
#include "command.hpp"
#include "dotakv/sysinfo.hpp"

namespace {

void setup_info(CLI::App& app) {
  auto* cmd = app.add_subcommand("info", "Version, build and machine capabilities");
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "Print JSON");
  cmd->callback([json] {
    const nlohmann::json info = dotakv::info_json();
    if (*json) {
      dotakv::cli::print_json(info);
      return;
    }
    std::cout << "dotakv " << info["version"].get<std::string>() << " ("
              << info["git_revision"].get<std::string>() << ")\n"
              << "  compiler   " << info["compiler"].get<std::string>() << "  ["
              << info["build_type"].get<std::string>() << "] " << info["flags"].get<std::string>()
              << "\n"
              << "  cpu        " << info["cpu"]["model"].get<std::string>() << ", "
              << info["cpu"]["logical_cores"].get<int>() << " logical cores\n"
              << "  features  ";
    for (const auto& [name, on] : info["cpu"]["features"].items())
      if (on.get<bool>()) std::cout << " " << name;
    std::cout << "\n  threads    " << info["threads"].get<int>() << "\n"
              << "  oneDNN     " << info["onednn"]["version"].get<std::string>() << " (max ISA "
              << info["onednn"]["max_isa"].get<std::string>() << ")\n";
  });
}
DOTAKV_REGISTER_COMMAND(setup_info);

}  // namespace
