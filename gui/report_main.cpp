// dotakv-report: writes a PDF (and optionally HTML) report of a benchmark results file and/or a
// case file, and/or a PNG plot of a training history. Invoked by `dotakv report --pdf` (the CLI
// itself is Qt-free), by scripts, or directly:
//   dotakv-report --bench results.json [--case case.h5] --pdf out.pdf [--html out.html]
//   dotakv-report --history RUN/history.csv --png history.png [--title text]
// Runs headless (QT_QPA_PLATFORM=offscreen is set when no display is available).
#include <H5Cpp.h>

#include <QApplication>
#include <QCommandLineParser>
#include <cstdio>

#include "dotakv/atomic_file.hpp"
#include "dotakv/bench_harness.hpp"
#include "dotakv/bench_report.hpp"
#include "dotakv/error.hpp"
#include "history_plot.hpp"
#include "report_writer.hpp"

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
    qputenv("QT_QPA_PLATFORM", "offscreen");
  H5::Exception::dontPrint();
  // Copy the arguments first: on X11 QApplication consumes options such as -title/--title.
  QStringList args;
  for (int i = 0; i < argc; ++i) args << QString::fromLocal8Bit(argv[i]);
  QApplication app(argc, argv);
  QCoreApplication::setApplicationName("dotakv-report");
  QCommandLineParser cl;
  cl.setApplicationDescription("PDF/HTML report of dotakv benchmark results and/or a case");
  cl.addHelpOption();
  const QCommandLineOption bench("bench", "Benchmark results JSON.", "file");
  const QCommandLineOption case_opt("case", "Case file (HDF5).", "file");
  const QCommandLineOption pdf("pdf", "Write PDF here.", "file");
  const QCommandLineOption html("html", "Write HTML here.", "file");
  const QCommandLineOption history("history", "Training history CSV (history.csv of a run).",
                                   "file");
  const QCommandLineOption png("png", "Write the training-history plot (PNG) here.", "file");
  const QCommandLineOption title("title", "Report title.", "text", "dotakv report");
  const QCommandLineOption gamma("gamma", "Gamma criteria.", "criteria",
                                 dotakv::physics::GammaDefaults::criteria);
  const QCommandLineOption threshold(
      "threshold", "Gamma low-dose threshold in % (0-100) of the reference max.", "percent",
      QString::number(dotakv::physics::GammaDefaults::threshold_percent));
  cl.addOptions({bench, case_opt, pdf, html, history, png, title, gamma, threshold});
  cl.process(args);
  try {
    const bool report = cl.isSet(bench) || cl.isSet(case_opt);
    if (!report && !cl.isSet(history))
      throw dotakv::ValueError(
          "give --bench RESULTS.json and/or --case CASE.h5, or --history HISTORY.csv");
    if (cl.isSet(history) != cl.isSet(png))
      throw dotakv::ValueError("--history HISTORY.csv and --png FILE go together");
    if (report && !cl.isSet(pdf) && !cl.isSet(html))
      throw dotakv::ValueError("give --pdf FILE and/or --html FILE");
    if (cl.isSet(history)) {
      dotakv::gui::HistoryPlotOptions ho;
      if (cl.isSet(title)) ho.title = cl.value(title);
      dotakv::gui::write_history_png(cl.value(history), cl.value(png), ho);
      std::printf("wrote %s\n", qPrintable(cl.value(png)));
      if (!report) return 0;
    }
    using namespace dotakv::bench;
    Report r = make_report(cl.value(title).toStdString());
    if (cl.isSet(bench))
      for (auto& s : bench_sections(load_results(cl.value(bench).toStdString())))
        r.sections.push_back(s);
    if (cl.isSet(case_opt)) {
      CaseReportOptions co;
      co.gamma_criteria = cl.value(gamma).toStdString();
      co.threshold_percent = dotakv::physics::parse_threshold_percent(
          cl.value(threshold).toStdString(), "--threshold");
      for (auto& s : case_sections(cl.value(case_opt).toStdString(), co)) r.sections.push_back(s);
    }
    if (cl.isSet(html)) dotakv::write_text_atomically(cl.value(html).toStdString(), render_html(r));
    if (cl.isSet(pdf)) {
      const int pages = dotakv::gui::write_report_pdf(r, cl.value(pdf));
      std::printf("wrote %s (%d pages)\n", qPrintable(cl.value(pdf)), pages);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dotakv-report: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
