// `dotakv digits strings --split train|val|test --count N --len a:b --seed S --out F.h5
//   [--mnist DIR] [--png-dir D --png-count K] [--json]`: composes handwritten digit strings from
// MNIST (docs/digits.md) into a strings dataset file. Nothing is written to --out on any error.
// Usage errors (bad --split, --count, --len) exit 2; data errors (missing MNIST files) exit 1.
#include <algorithm>
#include <filesystem>
#include <map>

#include "command.hpp"
#include "digits_group.hpp"
#include "dotakv/digits/data.hpp"
#include "dotakv/error.hpp"

namespace {

namespace dg = dotakv::digits;

struct StringsArgs {
  std::string split = "train", len = "1:80", out, mnist, png_dir;
  int count = 1000, png_count = 8;
  std::uint64_t seed = 1;
  bool json = false;
};

// "a:b" or "a" -> [a, b]; returns an error message (empty when valid).
std::string parse_len(const std::string& text, int& a, int& b) {
  const std::string bad = "expected A:B with 1 <= A <= B <= " + std::to_string(dg::kMaxDigits) +
                          ", found '" + text + "'";
  try {
    const auto c = text.find(':');
    std::size_t used = 0;
    const std::string sa = text.substr(0, c);
    a = std::stoi(sa, &used);
    if (used != sa.size()) return bad;
    b = a;
    if (c != std::string::npos) {
      const std::string sb = text.substr(c + 1);
      b = std::stoi(sb, &used);
      if (used != sb.size()) return bad;
    }
  } catch (const std::exception&) {
    return bad;
  }
  if (a < 1 || a > b || b > dg::kMaxDigits) return bad;
  return {};
}

void run_strings(const StringsArgs& a) {
  int len_min = 0, len_max = 0;
  if (const auto e = parse_len(a.len, len_min, len_max); !e.empty())
    throw dotakv::ValueError("--len: " + e);
  const dg::Split split = dg::parse_split(a.split);
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path parent = fs::absolute(a.out, ec).parent_path();
  if (!fs::is_directory(parent, ec))
    throw dotakv::IoError(a.out + ": directory " + parent.string() + " does not exist");

  const dg::MnistSet mnist = dg::load_mnist(a.mnist.empty() ? dg::default_mnist_dir() : a.mnist);
  const auto strings = dg::compose_strings(mnist, split, a.count, len_min, len_max, a.seed);

  nlohmann::json pngs = nlohmann::json::array();
  if (!a.png_dir.empty()) {
    fs::create_directories(a.png_dir, ec);
    if (!fs::is_directory(a.png_dir, ec))
      throw dotakv::IoError(a.png_dir + ": cannot create directory");
    const int k = std::min<int>(a.png_count, int(strings.size()));
    for (int i = 0; i < k; ++i) {
      const auto& s = strings[std::size_t(i)];
      const std::string p =
          (fs::path(a.png_dir) / ("string_" + std::to_string(i) + ".png")).string();
      dg::save_png(p, s.pixels, dg::kCanvasHeight, s.width);
      pngs.push_back(p);
    }
  }
  dg::save_strings(a.out, strings, {split, a.seed, len_min, len_max, mnist.dir});

  int lmin = dg::kMaxDigits, lmax = 0, wmin = dg::kMaxWidth, wmax = 0;
  double lsum = 0;
  std::map<int, int> hist;
  for (const auto& s : strings) {
    lmin = std::min(lmin, s.length());
    lmax = std::max(lmax, s.length());
    lsum += s.length();
    wmin = std::min(wmin, s.width);
    wmax = std::max(wmax, s.width);
    ++hist[s.length()];
  }
  const double lmean = lsum / double(strings.size());
  if (a.json) {
    nlohmann::json h = nlohmann::json::object();
    for (const auto& [len, n] : hist) h[std::to_string(len)] = n;
    dotakv::cli::print_json(
        {{"file", a.out},
         {"split", a.split},
         {"seed", a.seed},
         {"count", strings.size()},
         {"lengths", {{"min", lmin}, {"max", lmax}, {"mean", lmean}, {"histogram", h}}},
         {"widths", {{"min", wmin}, {"max", wmax}}},
         {"height", dg::kCanvasHeight},
         {"mnist_dir", mnist.dir},
         {"png", pngs}});
  } else {
    std::cout << "wrote " << a.out << ": " << strings.size() << " " << a.split
              << " strings, lengths " << lmin << ".." << lmax << " (mean " << lmean << "), widths "
              << wmin << ".." << wmax << " px, height " << dg::kCanvasHeight << " px";
    if (!pngs.empty()) std::cout << ", " << pngs.size() << " PNGs in " << a.png_dir;
    std::cout << "\n";
  }
}

void setup_digits_strings(CLI::App& app) {
  CLI::App* cmd = dotakv::cli::digits_group(app)->add_subcommand(
      "strings", "Compose handwritten digit strings from MNIST into a dataset file");
  auto a = std::make_shared<StringsArgs>();
  cmd->add_option("--split", a->split, "train|val|test (fixed split by MNIST image)")
      ->check(CLI::IsMember({"train", "val", "test"}))
      ->capture_default_str();
  cmd->add_option("--count", a->count, "Number of strings")
      ->check(CLI::Range(1, dg::kMaxStrings))
      ->capture_default_str();
  cmd->add_option("--len", a->len, "Length range A:B in digits (1 <= A <= B <= 96)")
      ->check(CLI::Validator(
          [](std::string& t) {
            int x = 0, y = 0;
            return parse_len(t, x, y);
          },
          "A:B"))
      ->capture_default_str();
  cmd->add_option("--seed", a->seed, "Seed (string i depends only on seed and i)")
      ->capture_default_str();
  cmd->add_option("--out", a->out, "Output dataset (.h5)")->required();
  cmd->add_option("--mnist", a->mnist,
                  "MNIST digits directory (default: " + dg::default_mnist_dir() + ")");
  auto* png_dir = cmd->add_option("--png-dir", a->png_dir, "Also export strings as PNG here");
  cmd->add_option("--png-count", a->png_count, "How many strings to export as PNG")
      ->check(CLI::Range(0, dg::kMaxStrings))
      ->needs(png_dir)
      ->capture_default_str();
  cmd->add_flag("--json", a->json, "Print a JSON summary");
  cmd->callback([a] { run_strings(*a); });
}
DOTAKV_REGISTER_COMMAND(setup_digits_strings);

}  // namespace
