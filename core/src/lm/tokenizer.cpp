#include "dotakv/lm/tokenizer.hpp"

#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <unordered_map>

#include "dotakv/atomic_file.hpp"
#include "dotakv/error.hpp"

namespace dotakv::lm {

struct Tokenizer::Impl {
  sentencepiece::SentencePieceProcessor sp;
  std::string bytes, source;
  int vocab = 0, unk = 0, bos = -1, eos = -1, pad = -1;
};

namespace {

// Spaces (leading, doubled), tab, newlines, a paragraph break, digits, '/', Latin-1, the euro
// sign (3 bytes) and an emoji (4 bytes): what a byte-fallback identity model must round-trip.
const char* const kProbe =
    "  Gr\xC3\xBC\xC3\x9F"
    "e\t\xC3\xBC"
    "ber 3.14 \xE2\x82\xAC 1/2 \xF0\x9F\x98\x80\n\nline .\n";

std::string hex_byte(unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", c);
  return buf;
}

// Top-level structure of a serialized sentencepiece ModelProto: field 1 `pieces` (repeated
// message) first, then 2 `trainer_spec`, 3 `normalizer_spec`, optionally 4 `self_test_data` and
// 5 `denormalizer_spec`. Protobuf parsers accept a message cut at a field boundary as a smaller
// valid message, so truncation is checked here: every field must fit and fields 2 and 3 must be
// present (a model written by sentencepiece ends with its normalizer spec).
void check_wire_format(const std::string& b, const std::string& what) {
  const std::size_t n = b.size();
  if (n == 0) throw FormatError(what + ": not a SentencePiece model (the file is empty)");
  std::size_t i = 0;
  bool ran_out = false;
  auto varint = [&](std::uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (i >= n) {
        ran_out = true;
        return false;
      }
      const auto c = static_cast<unsigned char>(b[i++]);
      v |= std::uint64_t(c & 0x7F) << shift;
      if (!(c & 0x80)) return true;
    }
    return false;
  };
  const std::string not_model = what + ": not a SentencePiece model (";
  const std::string truncated = what + ": truncated SentencePiece model (";
  long long pieces = 0;
  bool trainer = false, normalizer = false;
  while (i < n) {
    const std::size_t start = i;
    std::uint64_t key = 0;
    if (!varint(key)) {
      if (ran_out)
        throw FormatError(truncated + "a field key at byte " + std::to_string(start) +
                          " runs past the end of the file)");
      throw FormatError(not_model + "an overlong field key at byte " + std::to_string(start) + ")");
    }
    const std::uint64_t field = key >> 3, wire = key & 7;
    if (start == 0 && (field != 1 || wire != 2))
      throw FormatError(not_model + "expected a ModelProto starting with its pieces (field 1, " +
                        "length-delimited: byte 0x0A), found byte " +
                        hex_byte(static_cast<unsigned char>(b[0])) + ")");
    if (field == 0)
      throw FormatError(not_model + "field number 0 at byte " + std::to_string(start) + ")");
    std::uint64_t skip = 0;
    switch (wire) {
      case 0: {
        std::uint64_t v = 0;
        if (!varint(v)) {
          if (ran_out)
            throw FormatError(truncated + "field " + std::to_string(field) + " at byte " +
                              std::to_string(start) + " runs past the end of the file)");
          throw FormatError(not_model + "an overlong integer at byte " + std::to_string(start) +
                            ")");
        }
        break;
      }
      case 1:
        skip = 8;
        break;
      case 2:
        if (!varint(skip)) {
          if (ran_out)
            throw FormatError(truncated + "field " + std::to_string(field) + " at byte " +
                              std::to_string(start) + " runs past the end of the file)");
          throw FormatError(not_model + "an overlong length at byte " + std::to_string(start) +
                            ")");
        }
        break;
      case 5:
        skip = 4;
        break;
      default:
        throw FormatError(not_model + "wire type " + std::to_string(wire) + " at byte " +
                          std::to_string(start) + " is not used by a ModelProto)");
    }
    if (skip > n - i)
      throw FormatError(truncated + "field " + std::to_string(field) + " at byte " +
                        std::to_string(start) + " claims " + std::to_string(skip) + " bytes, " +
                        std::to_string(n - i) + " left)");
    i += std::size_t(skip);
    if (wire == 2) {
      if (field == 1) ++pieces;
      if (field == 2) trainer = true;
      if (field == 3) normalizer = true;
    }
  }
  if (!trainer || !normalizer)
    throw FormatError(truncated + "the file ends after " + std::to_string(pieces) +
                      " pieces, before its " + (trainer ? "normalizer spec" : "trainer spec") +
                      ")");
}

// Feeds the trainer one text at a time.
class TextIterator : public sentencepiece::SentenceIterator {
 public:
  explicit TextIterator(const std::vector<std::string_view>& texts) : texts_(texts) {
    if (!texts_.empty()) current_.assign(texts_[0]);
  }
  bool done() const override { return i_ >= texts_.size(); }
  void Next() override {
    if (++i_ < texts_.size()) current_.assign(texts_[i_]);
  }
  const std::string& value() const override { return current_; }
  sentencepiece::util::Status status() const override { return {}; }

 private:
  const std::vector<std::string_view>& texts_;
  std::size_t i_ = 0;
  std::string current_;
};

std::mutex& train_mutex() {
  static std::mutex m;
  return m;
}

}  // namespace

Tokenizer::Tokenizer(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

Tokenizer Tokenizer::train(const std::vector<std::string_view>& texts,
                           const TokenizerOptions& options) {
  if (options.vocab_size < kMinVocab || options.vocab_size > kMaxVocab)
    throw ValueError("tokenizer vocabulary size: expected " + std::to_string(kMinVocab) + ".." +
                     std::to_string(kMaxVocab) + ", found " + std::to_string(options.vocab_size));
  if (texts.empty()) throw ValueError("tokenizer training: no text");
  for (std::size_t k = 0; k < texts.size(); ++k) {
    if (texts[k].size() > kMaxDocumentBytes)
      throw ValueError("tokenizer training: text " + std::to_string(k) + " has " +
                       std::to_string(texts[k].size()) + " bytes, more than the " +
                       std::to_string(kMaxDocumentBytes) + " one training text may have");
    if (const auto bad = first_invalid_utf8(texts[k]); bad != std::string_view::npos)
      throw ValueError("tokenizer training: text " + std::to_string(k) + " is not UTF-8 at byte " +
                       std::to_string(bad));
  }
  const std::unordered_map<std::string, std::string> args{
      {"model_type", "bpe"},
      {"vocab_size", std::to_string(options.vocab_size)},
      {"byte_fallback", "true"},
      {"normalization_rule_name", "identity"},
      {"add_dummy_prefix", "true"},
      {"remove_extra_whitespaces", "false"},
      {"split_digits", "true"},
      {"character_coverage", "1.0"},
      {"max_sentencepiece_length", "16"},
      {"allow_whitespace_only_pieces", "true"},
      {"max_sentence_length", std::to_string(kMaxDocumentBytes)},
      {"input_sentence_size", "0"},
      {"shuffle_input_sentence", "false"},
      {"num_threads", "1"},
      {"unk_id", "0"},
      {"bos_id", "1"},
      {"eos_id", "2"},
      {"pad_id", "3"},
      {"minloglevel", "2"},  // sentencepiece's progress log off (errors come back as Status)
  };
  std::string model;
  {
    std::lock_guard lock(train_mutex());
    sentencepiece::SetRandomGeneratorSeed(1);
    TextIterator it(texts);
    const auto status = sentencepiece::SentencePieceTrainer::Train(args, &it, &model);
    if (!status.ok())
      throw ValueError("tokenizer training failed (vocabulary " +
                       std::to_string(options.vocab_size) +
                       "): sentencepiece: " + status.ToString());
  }
  return from_bytes(std::move(model), "trained");
}

Tokenizer Tokenizer::train(const std::vector<const Document*>& docs,
                           const TokenizerOptions& options) {
  std::vector<std::string_view> texts;
  texts.reserve(docs.size());
  for (const Document* d : docs) texts.emplace_back(d->text);
  return train(texts, options);
}

Tokenizer Tokenizer::load(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw IoError(path + ": not found (a SentencePiece tokenizer model; `dotakv lm tokenizer " +
                  "--out FILE` trains one)");
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) throw IoError(path + ": cannot read (" + ec.message() + ")");
  if (size > kMaxTokenizerBytes)
    throw ResourceError(path + ": tokenizer model is " + std::to_string(size >> 20) +
                        " MiB, more than the " + std::to_string(kMaxTokenizerBytes >> 20) +
                        " MiB a tokenizer may have");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path + ": cannot open");
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) throw IoError(path + ": cannot read");
  return from_bytes(s.str(), path);
}

Tokenizer Tokenizer::from_bytes(std::string bytes, const std::string& what) {
  check_wire_format(bytes, what);
  auto impl = std::make_shared<Impl>();
  sentencepiece::util::Status status;
  try {
    status = impl->sp.LoadFromSerializedProto(bytes);
  } catch (const std::exception& e) {
    // sentencepiece's trie builder (darts-clone) throws on some malformed vocabularies, e.g. an
    // empty piece in a unigram model (fuzz target `tokenizer`).
    throw FormatError(what + ": not a SentencePiece model (sentencepiece: " + e.what() + ")");
  }
  if (!status.ok())
    throw FormatError(what + ": not a SentencePiece model (sentencepiece: " + status.ToString() +
                      ")");
  auto& sp = impl->sp;
  impl->vocab = sp.GetPieceSize();
  const std::string not_fallback = what + ": not a byte-fallback tokenizer (";
  if (impl->vocab <= 0) throw FormatError(not_fallback + "no pieces)");
  impl->unk = sp.unk_id();
  impl->bos = sp.bos_id();
  impl->eos = sp.eos_id();
  impl->pad = sp.pad_id();
  auto in_range = [&](int id) { return id >= 0 && id < impl->vocab; };
  if (!in_range(impl->unk) || !sp.IsUnknown(impl->unk))
    throw FormatError(not_fallback + "no <unk> piece)");
  if (!in_range(impl->bos) || !in_range(impl->eos))
    throw FormatError(not_fallback + "expected BOS and EOS pieces, found bos_id " +
                      std::to_string(impl->bos) + ", eos_id " + std::to_string(impl->eos) + ")");
  if (!in_range(impl->pad)) impl->pad = -1;
  for (int byte = 0; byte < kByteFallbackPieces; ++byte) {
    char name[8];
    std::snprintf(name, sizeof name, "<0x%02X>", byte);
    const int id = sp.PieceToId(name);
    if (!in_range(id) || id == impl->unk || !sp.IsByte(id))
      throw FormatError(not_fallback + "no byte piece " + name + ")");
  }
  std::vector<int> ids;
  std::string back;
  if (!sp.Encode(kProbe, &ids).ok() || !sp.Decode(ids, &back).ok() || back != kProbe)
    throw FormatError(not_fallback + "a text with spaces, tabs, newlines and non-ASCII " +
                      "characters does not survive decode(encode()); expected identity " +
                      "normalization with byte fallback)");
  impl->bytes = std::move(bytes);
  impl->source = what;
  return Tokenizer(std::move(impl));
}

void Tokenizer::save(const std::string& path) const {
  write_atomically(path, [&](const std::string& tmp) {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(impl_->bytes.data(), std::streamsize(impl_->bytes.size()));
    out.close();
    if (!out) throw IoError(path + ": cannot write the tokenizer model");
  });
}

const std::string& Tokenizer::model_bytes() const {
  return impl_->bytes;
}

std::vector<int> Tokenizer::encode(std::string_view text) const {
  if (const auto bad = first_invalid_utf8(text); bad != std::string_view::npos)
    throw ValueError("text to encode: not UTF-8 at byte " + std::to_string(bad));
  std::vector<int> ids;
  const auto status = impl_->sp.Encode(text, &ids);
  if (!status.ok()) throw ValueError(impl_->source + ": encode failed: " + status.ToString());
  return ids;
}

std::vector<std::string> Tokenizer::encode_pieces(std::string_view text) const {
  if (const auto bad = first_invalid_utf8(text); bad != std::string_view::npos)
    throw ValueError("text to encode: not UTF-8 at byte " + std::to_string(bad));
  std::vector<std::string> pieces;
  const auto status = impl_->sp.Encode(text, &pieces);
  if (!status.ok()) throw ValueError(impl_->source + ": encode failed: " + status.ToString());
  return pieces;
}

std::string Tokenizer::decode(const std::vector<int>& ids) const {
  for (std::size_t k = 0; k < ids.size(); ++k)
    if (ids[k] < 0 || ids[k] >= impl_->vocab)
      throw ValueError(impl_->source + ": token " + std::to_string(k) + " has id " +
                       std::to_string(ids[k]) + ", outside 0.." + std::to_string(impl_->vocab - 1));
  std::string text;
  const auto status = impl_->sp.Decode(ids, &text);
  if (!status.ok()) throw ValueError(impl_->source + ": decode failed: " + status.ToString());
  return text;
}

int Tokenizer::vocab_size() const {
  return impl_->vocab;
}

const std::string& Tokenizer::piece(int id) const {
  if (id < 0 || id >= impl_->vocab)
    throw ValueError(impl_->source + ": token id " + std::to_string(id) + " outside 0.." +
                     std::to_string(impl_->vocab - 1));
  return impl_->sp.IdToPiece(id);
}

int Tokenizer::id_of(std::string_view piece) const {
  const int id = impl_->sp.PieceToId(piece);
  if (id == impl_->unk && piece != impl_->sp.IdToPiece(impl_->unk)) return -1;
  return id;
}

bool Tokenizer::is_byte(int id) const {
  return id >= 0 && id < impl_->vocab && impl_->sp.IsByte(id);
}
bool Tokenizer::is_control(int id) const {
  return id >= 0 && id < impl_->vocab && impl_->sp.IsControl(id);
}
int Tokenizer::unk_id() const {
  return impl_->unk;
}
int Tokenizer::bos_id() const {
  return impl_->bos;
}
int Tokenizer::eos_id() const {
  return impl_->eos;
}
int Tokenizer::pad_id() const {
  return impl_->pad;
}
const std::string& Tokenizer::source() const {
  return impl_->source;
}

}  // namespace dotakv::lm
