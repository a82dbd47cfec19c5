// `dotakv lm corpus [--split train|val|test|all] [--brown DIR] [--json]`: figures of the Brown
//   Corpus per split (documents, tokens, sentences, paragraphs, UTF-8 bytes, genres).
// `dotakv lm tokenizer --out F.model [--vocab N] [--brown DIR] [--json]`: trains the SentencePiece
//   BPE tokenizer on the train split, reports bytes per token on val, writes F.model atomically.
// `dotakv lm tokenize --tokenizer F.model (--text FILE | --split S) [--brown DIR] [--json]`:
//   token count, bytes per token and the decode(encode(text)) == text check of a text.
// docs/lm.md. Usage errors exit 2; data errors (missing corpus, bad model or text) print one line
// and exit 1, and so does a failed round trip (after its figures). Nothing is written to --out on
// any error.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "command.hpp"
#include "dotakv/error.hpp"
#include "dotakv/lm/corpus.hpp"
#include "dotakv/lm/tokenizer.hpp"
#include "lm_group.hpp"

namespace {

namespace lm = dotakv::lm;
using dotakv::cli::print_json;

// A text file given to `lm tokenize`: at most this many bytes.
constexpr std::uintmax_t kMaxTextBytes = 64ull << 20;

std::string brown_dir(const std::string& given) {
  return given.empty() ? lm::default_brown_dir() : given;
}

nlohmann::json stats_json(const lm::CorpusStats& s) {
  return {{"documents", s.documents},   {"tokens", s.tokens}, {"sentences", s.sentences},
          {"paragraphs", s.paragraphs}, {"bytes", s.bytes},   {"genres", s.genres}};
}

std::vector<std::pair<std::string, std::vector<const lm::Document*>>> selected_splits(
    const lm::Corpus& c, const std::string& split) {
  std::vector<std::pair<std::string, std::vector<const lm::Document*>>> out;
  if (split == "all") {
    for (lm::Split s : {lm::Split::train, lm::Split::val, lm::Split::test})
      out.emplace_back(lm::to_string(s), c.split(s));
    out.emplace_back("all", c.all());
  } else {
    out.emplace_back(split, c.split(lm::parse_split(split)));
  }
  return out;
}

std::vector<const lm::Document*> split_docs(const lm::Corpus& c, const std::string& split) {
  return split == "all" ? c.all() : c.split(lm::parse_split(split));
}

std::string fixed(double v, int digits) {
  std::ostringstream os;
  os << std::fixed << std::setprecision(digits) << v;
  return os.str();
}

// ---- lm corpus ----

struct CorpusArgs {
  std::string split = "all", brown;
  bool json = false;
};

void run_corpus(const CorpusArgs& a) {
  const lm::Corpus c = lm::load_brown(brown_dir(a.brown));
  const auto splits = selected_splits(c, a.split);
  if (a.json) {
    nlohmann::json j{{"source", lm::kBrownPackage}, {"dir", c.dir}};
    for (const auto& [name, docs] : splits) j["splits"][name] = stats_json(lm::stats(docs));
    print_json(j);
    return;
  }
  std::cout << "Brown Corpus (" << lm::kBrownPackage << ") from " << c.dir << "\n";
  std::cout << std::left << std::setw(6) << "split" << std::right << std::setw(10) << "documents"
            << std::setw(11) << "tokens" << std::setw(11) << "sentences" << std::setw(11)
            << "paragraphs" << std::setw(11) << "bytes"
            << "\n";
  for (const auto& [name, docs] : splits) {
    const auto s = lm::stats(docs);
    std::cout << std::left << std::setw(6) << name << std::right << std::setw(10) << s.documents
              << std::setw(11) << s.tokens << std::setw(11) << s.sentences << std::setw(11)
              << s.paragraphs << std::setw(11) << s.bytes << "\n";
  }
  for (const auto& [name, docs] : splits) {
    std::cout << name << " genres:";
    const auto s = lm::stats(docs);
    bool first = true;
    for (const auto& [g, n] : s.genres) {
      std::cout << (first ? " " : ", ") << g << " " << n;
      first = false;
    }
    std::cout << "\n";
  }
}

// ---- lm tokenizer ----

struct TokenizerArgs {
  std::string out, brown;
  int vocab = lm::kDefaultVocab;
  bool json = false;
};

void run_tokenizer(const TokenizerArgs& a) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path parent = fs::absolute(a.out, ec).parent_path();
  if (!fs::is_directory(parent, ec))
    throw dotakv::IoError(a.out + ": directory " + parent.string() + " does not exist");
  const lm::Corpus c = lm::load_brown(brown_dir(a.brown));
  const auto train = c.split(lm::Split::train);
  const auto t0 = std::chrono::steady_clock::now();
  const lm::Tokenizer tok = lm::Tokenizer::train(train, {a.vocab});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const std::string val = lm::join_text(c.split(lm::Split::val));
  const std::size_t val_tokens = tok.encode(val).size();
  const double bpt = double(val.size()) / double(val_tokens);
  tok.save(a.out);
  const auto ts = lm::stats(train);
  if (a.json) {
    print_json({{"file", a.out},
                {"model_type", "bpe"},
                {"vocab_size", tok.vocab_size()},
                {"model_bytes", tok.model_bytes().size()},
                {"train", {{"documents", ts.documents}, {"bytes", ts.bytes}}},
                {"seconds", seconds},
                {"val", {{"bytes", val.size()}, {"tokens", val_tokens}, {"bytes_per_token", bpt}}},
                {"special",
                 {{"unk", tok.unk_id()},
                  {"bos", tok.bos_id()},
                  {"eos", tok.eos_id()},
                  {"pad", tok.pad_id()}}}});
  } else {
    std::cout << "wrote " << a.out << ": SentencePiece BPE, vocabulary " << tok.vocab_size()
              << " (byte fallback), trained on " << ts.documents << " train documents (" << ts.bytes
              << " bytes) in " << fixed(seconds, 1) << " s; val: " << val_tokens << " tokens, "
              << fixed(bpt, 3) << " bytes/token\n";
  }
}

// ---- lm tokenize ----

struct TokenizeArgs {
  std::string tokenizer, text, split, brown;
  bool json = false;
};

std::string read_text_file(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw dotakv::IoError(path + ": no such file");
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) throw dotakv::IoError(path + ": cannot read (" + ec.message() + ")");
  if (size > kMaxTextBytes)
    throw dotakv::ResourceError(path + ": text of " + std::to_string(size >> 20) +
                                " MiB, more than the " + std::to_string(kMaxTextBytes >> 20) +
                                " MiB `lm tokenize` reads");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw dotakv::IoError(path + ": cannot open");
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) throw dotakv::IoError(path + ": cannot read");
  std::string text = s.str();
  if (text.empty()) throw dotakv::FormatError(path + ": empty text (nothing to tokenize)");
  if (const auto bad = lm::first_invalid_utf8(text); bad != std::string::npos) {
    std::ostringstream m;
    m << path << ": not UTF-8 text (byte 0x" << std::hex << std::uppercase << std::setw(2)
      << std::setfill('0') << int(static_cast<unsigned char>(text[bad])) << std::dec
      << " at offset " << bad << ")";
    throw dotakv::FormatError(m.str());
  }
  return text;
}

void run_tokenize(const TokenizeArgs& a) {
  if (a.text.empty() == a.split.empty())
    throw dotakv::cli::UsageError("lm tokenize: give exactly one of --text FILE and --split S");
  const lm::Tokenizer tok = lm::Tokenizer::load(a.tokenizer);
  std::string text, source;
  int documents = 0;
  if (!a.text.empty()) {
    text = read_text_file(a.text);
    source = a.text;
  } else {
    const lm::Corpus c = lm::load_brown(brown_dir(a.brown));
    const auto docs = split_docs(c, a.split);
    documents = int(docs.size());
    text = lm::join_text(docs);
    source = "split " + a.split;
  }
  const auto t0 = std::chrono::steady_clock::now();
  const std::vector<int> ids = tok.encode(text);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const std::string back = tok.decode(ids);
  long long byte_tokens = 0, unk = 0;
  for (int id : ids) {
    byte_tokens += tok.is_byte(id);
    unk += id == tok.unk_id();
  }
  std::size_t differs = std::string::npos;
  if (back != text) {
    differs = 0;
    while (differs < back.size() && differs < text.size() && back[differs] == text[differs])
      ++differs;
  }
  const double bpt = ids.empty() ? 0.0 : double(text.size()) / double(ids.size());
  if (a.json) {
    nlohmann::json j{{"tokenizer", a.tokenizer},
                     {"source", source},
                     {"vocab_size", tok.vocab_size()},
                     {"bytes", text.size()},
                     {"tokens", ids.size()},
                     {"bytes_per_token", bpt},
                     {"byte_fallback_tokens", byte_tokens},
                     {"unk_tokens", unk},
                     {"encode_seconds", seconds},
                     {"round_trip", differs == std::string::npos}};
    if (documents > 0) j["documents"] = documents;
    print_json(j);
  } else {
    std::cout << source << ": " << text.size() << " bytes -> " << ids.size() << " tokens ("
              << fixed(bpt, 3) << " bytes/token, " << byte_tokens << " byte-fallback, " << unk
              << " unknown), round trip " << (differs == std::string::npos ? "ok" : "FAILED")
              << "\n";
  }
  if (differs != std::string::npos)
    throw dotakv::ValueError(source + ": decode(encode(text)) differs from the text at byte " +
                             std::to_string(differs));
}

void setup_lm(CLI::App& app) {
  CLI::App* g = dotakv::cli::lm_group(app);
  const std::string brown_help = "Brown Corpus directory (default: " + lm::default_brown_dir() +
                                 "; $DOTAKV_BROWN_DIR overrides it)";
  {
    auto a = std::make_shared<CorpusArgs>();
    auto* cmd = g->add_subcommand("corpus", "Figures of the Brown Corpus per split");
    cmd->add_option("--split", a->split, "train|val|test|all (fixed split by document id)")
        ->check(CLI::IsMember({"train", "val", "test", "all"}))
        ->capture_default_str();
    cmd->add_option("--brown", a->brown, brown_help);
    cmd->add_flag("--json", a->json, "Print JSON");
    cmd->callback([a] { run_corpus(*a); });
  }
  {
    auto a = std::make_shared<TokenizerArgs>();
    auto* cmd = g->add_subcommand(
        "tokenizer", "Train the SentencePiece BPE tokenizer on the train split of the corpus");
    cmd->add_option("--out", a->out, "Output tokenizer model (.model)")->required();
    cmd->add_option("--vocab", a->vocab, "Vocabulary size")
        ->check(CLI::Range(lm::kMinVocab, lm::kMaxVocab))
        ->capture_default_str();
    cmd->add_option("--brown", a->brown, brown_help);
    cmd->add_flag("--json", a->json, "Print JSON");
    cmd->callback([a] { run_tokenizer(*a); });
  }
  {
    auto a = std::make_shared<TokenizeArgs>();
    auto* cmd = g->add_subcommand(
        "tokenize", "Token count, bytes per token and round trip of a text or a corpus split");
    cmd->add_option("--tokenizer", a->tokenizer, "Tokenizer model (.model)")->required();
    auto* text = cmd->add_option("--text", a->text, "UTF-8 text file");
    auto* split = cmd->add_option("--split", a->split, "train|val|test|all of the corpus")
                      ->check(CLI::IsMember({"train", "val", "test", "all"}));
    text->excludes(split);
    cmd->add_option("--brown", a->brown, brown_help);
    cmd->add_flag("--json", a->json, "Print JSON");
    cmd->callback([a] { run_tokenize(*a); });
  }
}
DOTAKV_REGISTER_COMMAND(setup_lm);

}  // namespace
