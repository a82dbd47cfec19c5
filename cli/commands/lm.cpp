// `dotakv lm corpus [--split train|val|test|all] [--brown DIR] [--json]`: figures of the Brown
//   Corpus per split (documents, tokens, sentences, paragraphs, UTF-8 bytes, genres).
// `dotakv lm tokenizer --out F.model [--vocab N] [--brown DIR] [--json]`: trains the SentencePiece
//   BPE tokenizer on the train split, reports bytes per token on val, writes F.model atomically.
// `dotakv lm tokenize --tokenizer F.model (--text FILE | --split S) [--brown DIR] [--json]`:
//   token count, bytes per token and the decode(encode(text)) == text check of a text.
// `dotakv lm train --out DIR --tokenizer F.model [--config lm-tiny|lm-small|FILE.json] [--epochs N]
//   [--context C] [--batch B] [--lr X] [--warmup N] [--train-docs N] [--val-docs N] [--resume]`:
//   trains the language model (lm/trainer.hpp); a preset takes its vocabulary from the tokenizer.
// `dotakv lm perplexity --model M.h5 --tokenizer F.model (--text FILE | --split S) [--context C]
//   [--json]`: bits per byte (total -log2 p / UTF-8 bytes) and token perplexity (lm/evaluate.hpp).
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
#include "dotakv/lm/evaluate.hpp"
#include "dotakv/lm/model.hpp"
#include "dotakv/lm/tokenizer.hpp"
#include "dotakv/lm/trainer.hpp"
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

std::string read_text_file(const std::string& path, const char* command = "lm tokenize") {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw dotakv::IoError(path + ": no such file");
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) throw dotakv::IoError(path + ": cannot read (" + ec.message() + ")");
  if (size > kMaxTextBytes)
    throw dotakv::ResourceError(path + ": text of " + std::to_string(size >> 20) +
                                " MiB, more than the " + std::to_string(kMaxTextBytes >> 20) +
                                " MiB `" + command + "` reads");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw dotakv::IoError(path + ": cannot open");
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) throw dotakv::IoError(path + ": cannot read");
  std::string text = s.str();
  if (text.empty())
    throw dotakv::FormatError(path + ": empty text (nothing to " +
                              (std::string(command) == "lm tokenize" ? "tokenize" : "score") + ")");
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

// ---- lm train ----

struct TrainArgs {
  lm::LmTrainOptions o;
  std::string config = "lm-small";
  double lr = 1e-3;
  long long warmup = 100;
  bool json = false;
};

void run_train(TrainArgs& a) {
  a.o.config = lm::LmConfig::from_name_or_file(a.config);
  if (a.config.size() < 5 || a.config.substr(a.config.size() - 5) != ".json")
    a.o.config.vocab =
        lm::Tokenizer::load(a.o.tokenizer).vocab_size();  // a preset: the tokenizer's
  a.o.schedule.base_lr = a.lr;
  a.o.schedule.warmup_steps = a.warmup;
  a.o.schedule.min_lr = std::min(a.o.schedule.min_lr, a.lr);
  const auto r = lm::train_lm(a.o, nullptr, [](const std::string& line) {
    dotakv::cli::progress_printf("%s", line.c_str());
  });
  if (a.json) {
    print_json(r.to_json());
    return;
  }
  const auto& best = r.history[std::size_t(r.best_epoch - 1)];
  std::cout << "best epoch " << r.best_epoch << ": validation " << fixed(best.val_loss, 4)
            << " nats/token, " << fixed(best.val_bits_per_byte, 4) << " bits/byte, perplexity "
            << fixed(best.val_perplexity, 2) << "; model " << a.o.out_dir << "/model.h5\n";
}

// ---- lm perplexity ----

struct PerplexityArgs {
  std::string model, tokenizer, text, split, brown;
  int context = 0;
  bool json = false;
};

void run_perplexity(const PerplexityArgs& a) {
  if (a.text.empty() == a.split.empty())
    throw dotakv::cli::UsageError("lm perplexity: give exactly one of --text FILE and --split S");
  const auto model = lm::LmModel::load_shared(a.model);
  const lm::Tokenizer tok = lm::Tokenizer::load(a.tokenizer);
  lm::check_tokenizer(*model, tok, a.tokenizer);
  std::string text, source;
  if (!a.text.empty()) {
    text = read_text_file(a.text, "lm perplexity");
    source = a.text;
  } else {
    const lm::Corpus c = lm::load_brown(brown_dir(a.brown));
    text = lm::join_text(split_docs(c, a.split));
    source = "split " + a.split;
  }
  const std::vector<int> ids = tok.encode(text);
  const lm::TextScore s =
      lm::score_tokens(model, ids, (long long)text.size(), tok.bos_id(), a.context);
  if (a.json) {
    auto j = s.to_json();
    j["model"] = a.model;
    j["tokenizer"] = a.tokenizer;
    j["source"] = source;
    print_json(j);
    return;
  }
  std::cout << source << ": " << s.bytes << " bytes, " << s.tokens << " tokens, "
            << fixed(s.bits_per_byte(), 4) << " bits/byte, token perplexity "
            << fixed(s.token_perplexity(), 3) << " (" << fixed(s.nats_per_token(), 4)
            << " nats/token, context " << s.context << ", " << s.windows << " windows, "
            << fixed(s.seconds, 1) << " s)\n";
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
  {
    auto a = std::make_shared<TrainArgs>();
    auto* cmd = g->add_subcommand("train", "Train the language model on the corpus train split");
    cmd->add_option("--out", a->o.out_dir, "Output directory (checkpoints, history, tokenizer)")
        ->required();
    cmd->add_option("--tokenizer", a->o.tokenizer, "Tokenizer model (.model)")->required();
    cmd->add_option("--config", a->config, "lm-small | lm-tiny | JSON file")->capture_default_str();
    cmd->add_option("--epochs", a->o.epochs, "Total epochs")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    cmd->add_option("--context", a->o.context, "Window length in tokens (0: max_context)")
        ->capture_default_str();
    cmd->add_option("--batch", a->o.batch, "Windows per step")
        ->check(CLI::Range(1, 4096))
        ->capture_default_str();
    cmd->add_option("--lr", a->lr, "Peak learning rate (cosine with warm-up)")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    cmd->add_option("--warmup", a->warmup, "Warm-up steps")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    cmd->add_option("--optimizer", a->o.optimizer, "adamw | lamb")
        ->check(CLI::IsMember({"adamw", "lamb"}))
        ->capture_default_str();
    cmd->add_option("--weight-decay", a->o.weight_decay, "Decoupled weight decay (kernels)")
        ->capture_default_str();
    cmd->add_option("--train-docs", a->o.train_documents,
                    "Use the first N train documents (0: all)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--val-docs", a->o.val_documents, "Use the first N val documents (0: all)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--seed", a->o.seed, "Data order and initialisation seed")
        ->capture_default_str();
    cmd->add_option("--threads", a->o.threads, "OpenMP threads (0: all)");
    cmd->add_option("--brown", a->o.brown_dir, brown_help);
    cmd->add_flag("--resume", a->o.resume, "Continue from OUT/last.h5");
    cmd->add_flag("--json", a->json, "Print the result as JSON");
    cmd->callback([a] { run_train(*a); });
  }
  {
    auto a = std::make_shared<PerplexityArgs>();
    auto* cmd = g->add_subcommand(
        "perplexity", "Bits per byte and token perplexity of a text file or a corpus split");
    cmd->add_option("--model", a->model, "Language model weights (.h5)")->required();
    cmd->add_option("--tokenizer", a->tokenizer, "Tokenizer model (.model)")->required();
    auto* text = cmd->add_option("--text", a->text, "UTF-8 text file");
    auto* split = cmd->add_option("--split", a->split, "train|val|test|all of the corpus")
                      ->check(CLI::IsMember({"train", "val", "test", "all"}));
    text->excludes(split);
    cmd->add_option("--context", a->context, "Window length in tokens (0: the model's context)")
        ->capture_default_str();
    cmd->add_option("--brown", a->brown, brown_help);
    cmd->add_flag("--json", a->json, "Print JSON");
    cmd->callback([a] { run_perplexity(*a); });
  }
}
DOTAKV_REGISTER_COMMAND(setup_lm);

}  // namespace
