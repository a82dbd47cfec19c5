// Reports: `dotakv report` writes HTML itself and a PDF through dotakv-report; the PDF pages are
// rendered to images with pdftoppm and checked (page count, every page non-blank, charts and
// images present). Bad input gives one clear error and writes nothing.
#include <H5Cpp.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

#include "dotakv/bench_harness.hpp"
#include "dotakv/bench_report.hpp"
#include "dotakv/case_file.hpp"
#include "test_support.hpp"

using dotakv::test::run_cli;

namespace {

// A results document from the real harness with synthetic workloads of known timing.
nlohmann::json synthetic_results() {
  using namespace dotakv::bench;
  auto t = std::make_shared<double>(0);
  SweepSpec s;
  s.workload = "stream";
  s.batch = {1, 2, 4};
  s.slices = {10, 20};
  s.cache = {"off", "on"};
  s.harness.reps = 6;
  s.harness.warmup = 1;
  s.harness.clock = [t] { return *t; };
  auto factory = [t](const nlohmann::json& st) {
    Workload w;
    const bool on = st["cache"] == "on";
    const int S = st["slices"], B = st["batch"];
    auto n = std::make_shared<int>(0);
    w.run = [t, on, S, B, n] {
      const double base = on ? 1e-3 * S * B : 1e-4 * S * S * B;
      *t += (*n == 0 ? 5 * base : base * (1 + 0.02 * std::sin(*n)));
      ++*n;
      return RunOutput{{1.f, 2.f}, on ? std::uint64_t(S) * 4096 * B : 0};
    };
    return w;
  };
  return results_json(s, run_sweep(s, factory));
}

// Two doses on a small grid: a Bragg-like depth dose with a Gaussian lateral profile, and a copy
// shifted by 1 mm in depth-scaled amplitude (a realistic small disagreement).
void write_case(const std::string& path) {
  dotakv::Case c;
  c.energy_mev = 100;
  c.ct = dotakv::Volume(40, 24, 24, 0.f);
  for (int z = 20; z < 25; ++z)
    for (int y = 0; y < 24; ++y)
      for (int x = 0; x < 24; ++x) c.ct.at(z, y, x) = 800.f;
  auto dose = [](double peak) {
    dotakv::Volume v(40, 24, 24, 0.f);
    for (int z = 0; z < 40; ++z)
      for (int y = 0; y < 24; ++y)
        for (int x = 0; x < 24; ++x) {
          const double depth = z < peak ? 0.3 + 0.7 * std::exp(-(peak - z) / 4.0)
                                        : std::exp(-(z - peak) * (z - peak) / 2.0);
          const double r2 = (y - 11.5) * (y - 11.5) + (x - 11.5) * (x - 11.5);
          v.at(z, y, x) = float(1e-3 * depth * std::exp(-r2 / 8.0));
        }
    return v;
  };
  c.doses["reference"] = {dose(30), {{"engine", "synthetic"}}};
  c.doses["evaluated"] = {dose(30.5), {{"engine", "synthetic shifted"}}};
  dotakv::save_case(c, path);
}

// Fraction of pixels that are not (nearly) white.
double ink(const QImage& img) {
  long long n = 0;
  for (int y = 0; y < img.height(); ++y)
    for (int x = 0; x < img.width(); ++x) {
      const QRgb p = img.pixel(x, y);
      if (qRed(p) < 235 || qGreen(p) < 235 || qBlue(p) < 235) ++n;
    }
  return double(n) / (double(img.width()) * img.height());
}

// Fraction of strongly coloured pixels (charts and dose images, not black text).
double colour(const QImage& img) {
  long long n = 0;
  for (int y = 0; y < img.height(); ++y)
    for (int x = 0; x < img.width(); ++x) {
      const QColor c(img.pixel(x, y));
      if (c.hsvSaturation() > 80 && c.value() > 60) ++n;
    }
  return double(n) / (double(img.width()) * img.height());
}

}  // namespace

class TestReport : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() { H5::Exception::dontPrint(); }

  void htmlAndPdfFromBenchAndCase() {
    QTemporaryDir dir;
    const QString json = dir.filePath("r.json"), cas = dir.filePath("case.h5"),
                  html = dir.filePath("r.html"), pdf = dir.filePath("r.pdf");
    dotakv::bench::save_results_json(synthetic_results(), json.toStdString());
    write_case(cas.toStdString());
    const auto r = run_cli({"report", "--bench", json, "--case", cas, "--html", html, "--pdf", pdf,
                            "--title", "Test report"});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));

    QFile h(html);
    QVERIFY(h.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(h.readAll());
    QVERIFY(text.contains("<h1>Test report</h1>"));
    for (const char* id : {"speedup_vs_batch", "time_vs_slices", "cold_vs_warm", "cache_vs_slices",
                           "dose_side_reference", "diff_evaluated", "gamma_evaluated"})
      QVERIFY2(text.contains(QString("id='%1'").arg(id)), id);
    QVERIFY(text.contains("gamma pass (%)"));

    QProcess info;
    info.start("pdfinfo", {pdf});
    QVERIFY(info.waitForFinished(30000));
    const QString meta = QString::fromUtf8(info.readAllStandardOutput());
    const auto m = QRegularExpression("Pages:\\s+(\\d+)").match(meta);
    QVERIFY2(m.hasMatch(), qPrintable(meta));
    const int pages = m.captured(1).toInt();
    QVERIFY2(pages >= 3, qPrintable(meta));
    QVERIFY2(meta.contains("Test report"), qPrintable(meta));

    QProcess ppm;
    ppm.start("pdftoppm", {"-r", "40", "-png", pdf, dir.filePath("page")});
    QVERIFY(ppm.waitForFinished(60000));
    QCOMPARE(ppm.exitCode(), 0);
    const QStringList pngs = QDir(dir.path()).entryList({"page*.png"}, QDir::Files, QDir::Name);
    QCOMPARE(pngs.size(), pages);
    double total_colour = 0;
    for (const auto& f : pngs) {
      const QImage img(dir.filePath(f));
      QVERIFY(!img.isNull());
      QVERIFY2(ink(img) > 0.01, qPrintable(f + " looks blank"));
      total_colour += colour(img);
    }
    QVERIFY2(total_colour > 0.05, "no charts or dose images rendered in the PDF");
  }

  void missingOrBadInputWritesNothing() {
    QTemporaryDir dir;
    const QString html = dir.filePath("r.html");
    auto r = run_cli({"report", "--bench", dir.filePath("none.json"), "--html", html});
    QVERIFY(r.exit_code != 0);
    QVERIFY(r.err.contains("none.json"));
    QVERIFY(!QFile::exists(html));

    QFile bad(dir.filePath("bad.json"));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("{\"schema\": \"something-else\", \"results\": []}");
    bad.close();
    r = run_cli({"report", "--bench", bad.fileName(), "--html", html});
    QVERIFY(r.exit_code != 0);
    QVERIFY(r.err.contains("schema"));
    QVERIFY(!QFile::exists(html));

    r = run_cli({"report", "--bench", bad.fileName()});
    QVERIFY(r.exit_code != 0);
    QVERIFY(r.err.contains("--html"));

    QFile notcase(dir.filePath("case.h5"));
    QVERIFY(notcase.open(QIODevice::WriteOnly));
    notcase.write("this is not HDF5");
    notcase.close();
    r = run_cli({"report", "--case", notcase.fileName(), "--html", html});
    QVERIFY(r.exit_code != 0);
    QVERIFY(!QFile::exists(html));
  }

  void pdfWithoutTheQtToolFailsClearly() {
    // A copy of the CLI in a directory without dotakv-report: --pdf must say so and fail.
    QTemporaryDir dir;
    const QString cli = dir.filePath("dotakv");
    QVERIFY(QFile::copy(QStringLiteral(DOTAKV_CLI_PATH), cli));
    const QString json = dir.filePath("r.json"), pdf = dir.filePath("r.pdf");
    dotakv::bench::save_results_json(synthetic_results(), json.toStdString());
    QProcess p;
    p.start(cli, {"report", "--bench", json, "--pdf", pdf});
    QVERIFY(p.waitForFinished(60000));
    QVERIFY(p.exitCode() != 0);
    QVERIFY(QString::fromUtf8(p.readAllStandardError()).contains("dotakv-report"));
    QVERIFY(!QFile::exists(pdf));
  }
};

QTEST_GUILESS_MAIN(TestReport)
#include "test_report.moc"
