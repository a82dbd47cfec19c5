// Tokenizer of the language-model family (issue #17): a SentencePiece BPE model trained on the
// train split of the Brown Corpus (lm/corpus.hpp), saved as a standard SentencePiece .model
// file (a serialized ModelProto, readable by the sentencepiece Python/C++ libraries and, later,
// exported to GGUF as tokenizer.ggml.*). Documented in docs/lm.md.
//
//   auto corpus = dotakv::lm::load_brown();
//   auto tok = dotakv::lm::Tokenizer::train(corpus.split(Split::train));   // 2-4 s, 1 thread
//   tok.save("brown.model");
//   auto t = dotakv::lm::Tokenizer::load("brown.model");
//   std::vector<int> ids = t.encode("The jury said .\n");   // no BOS/EOS added
//   std::string back = t.decode(ids);                       // == the input, for any UTF-8 text
//
// Training options (fixed, except the vocabulary size), chosen to be llama's (the GGUF export's
// target: llama.cpp's "llama" tokenizer merges pieces by score, which reproduces SentencePiece
// BPE, not unigram's Viterbi segmentation):
//   model_type=bpe, vocab_size=N (default kDefaultVocab = 4096), byte_fallback=true (the 256
//   pieces <0x00>..<0xFF>: a character outside the vocabulary becomes its UTF-8 bytes, so
//   decode(encode(s)) == s for every valid UTF-8 s; no <unk> is ever produced),
//   normalization_rule_name=identity (no NFKC: the text is not changed), add_dummy_prefix=true
//   (a space is prepended before encoding and removed by decode), remove_extra_whitespaces=false,
//   split_digits=true, character_coverage=1.0, max_sentencepiece_length=16,
//   allow_whitespace_only_pieces=true.
//   Special ids: unk=0 "<unk>", bos=1 "<s>", eos=2 "</s>", pad=3 "<pad>"; ids 4..259 are the
//   byte pieces <0x00>..<0xFF>; then merged pieces in merge order, then the single characters.
//   Training input: one SentencePiece "sentence" per document, its whole text (newlines
//   included, max_sentence_length raised to kMaxDocumentBytes), exactly what the model will see;
//   '\n' is an ordinary character, so pieces such as "▁.\n" and "▁.\n\n" are learned.
//   Determinism: num_threads=1, input_sentence_size=0 (every sentence, no sampling),
//   shuffle_input_sentence=false, sentencepiece's random seed fixed to 1: the same input gives
//   byte-identical model files (tested).
//
// Thread safety: a Tokenizer is immutable after construction; encode/decode/lookups may be
// called from many threads at once, and copies share the loaded model. train() is serialised
// by a process-wide mutex (sentencepiece's trainer has global state: seed, log level).
//
// Errors (dotakv/error.hpp): see each function. Messages name the file (or `what`).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dotakv/lm/corpus.hpp"

namespace dotakv::lm {

inline constexpr int kDefaultVocab = 4096;
inline constexpr int kMinVocab = 300;      // 260 special + byte pieces, plus characters
inline constexpr int kMaxVocab = 1 << 18;  // 262,144
inline constexpr std::uintmax_t kMaxTokenizerBytes = 64ull << 20;  // larger file: ResourceError
inline constexpr int kByteFallbackPieces = 256;
inline constexpr int kFirstBytePiece = 4;  // <0x00> in a model trained here

struct TokenizerOptions {
  int vocab_size = kDefaultVocab;  // kMinVocab..kMaxVocab
};

class Tokenizer {
 public:
  // Trains on `texts` (each one SentencePiece sentence; at most kMaxDocumentBytes each, longer
  // ones would be skipped by the trainer, so they are refused). ValueError for a vocabulary size
  // outside kMinVocab..kMaxVocab, no text, an invalid UTF-8 text, and when sentencepiece refuses
  // (e.g. "Vocabulary size is smaller than required_chars" for too small a vocabulary); its
  // message is appended.
  static Tokenizer train(const std::vector<std::string_view>& texts,
                         const TokenizerOptions& options = {});
  // Same on the texts of documents (normally corpus.split(Split::train)).
  static Tokenizer train(const std::vector<const Document*>& docs,
                         const TokenizerOptions& options = {});

  // Reads a .model file. IoError "<path>: not found ..." when missing/unreadable; ResourceError
  // above kMaxTokenizerBytes; then from_bytes(bytes, path).
  static Tokenizer load(const std::string& path);
  // Parses serialized model bytes; `what` names them in messages. FormatError:
  //   "<what>: not a SentencePiece model (...)"  the bytes do not start like a ModelProto (a
  //       repeated `pieces` message, field 1) or sentencepiece cannot load them (its message);
  //   "<what>: truncated SentencePiece model (...)"  a field runs past the end, or the file
  //       ends before the trainer and normalizer specs (fields 2 and 3, written after the
  //       pieces): every cut of a model written by save() is detected;
  //   "<what>: not a byte-fallback tokenizer (...)"  a piece <0xNN> is missing, unk/bos/eos is
  //       undefined, or a probe text with spaces, tabs, newlines, digits and non-ASCII
  //       characters does not survive decode(encode()) (e.g. an NFKC-normalising model).
  static Tokenizer from_bytes(std::string bytes, const std::string& what);

  // Writes model_bytes() atomically (dotakv/atomic_file.hpp): IoError on failure, nothing left
  // at `path`.
  void save(const std::string& path) const;
  // The serialized ModelProto (the .model file's content).
  const std::string& model_bytes() const;

  // Token ids of `text` (no BOS/EOS). ValueError "<what>: not UTF-8 at byte N" for invalid
  // UTF-8 (sentencepiece would replace it with U+FFFD, breaking the round trip).
  std::vector<int> encode(std::string_view text) const;
  // Pieces of `text` (same segmentation as encode), for display.
  std::vector<std::string> encode_pieces(std::string_view text) const;
  // Text of `ids`: control pieces (bos, eos, pad) decode to nothing; byte pieces are joined to
  // their UTF-8 characters (an invalid byte sequence becomes U+FFFD). ValueError naming the
  // first id outside 0..vocab_size()-1.
  std::string decode(const std::vector<int>& ids) const;

  int vocab_size() const;
  // Piece of `id` ("▁the", "<0x0A>", "<s>"); ValueError outside 0..vocab_size()-1.
  const std::string& piece(int id) const;
  // Id of `piece`, or -1 when the vocabulary has no such piece.
  int id_of(std::string_view piece) const;
  bool is_byte(int id) const;     // one of the 256 byte-fallback pieces
  bool is_control(int id) const;  // bos, eos, pad
  int unk_id() const;
  int bos_id() const;
  int eos_id() const;
  int pad_id() const;  // -1 when the model defines none (models trained here: 3)
  // Where the model came from (the path given to load, `what` of from_bytes, or "trained").
  const std::string& source() const;

 private:
  struct Impl;
  explicit Tokenizer(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

}  // namespace dotakv::lm
