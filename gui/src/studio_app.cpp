#include "studio_app.hpp"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QThread>
#include <QTimer>
#include <cmath>
#include <cstdlib>
#include <iomanip>
#include <iostream>

#include "compare_panel.hpp"
#include "digits_panel.hpp"
#include "dotakv/analysis.hpp"
#include "dotakv/build_info.hpp"
#include "dotakv/dataset.hpp"
#include "dotakv/error.hpp"
#include "dotakv/pba.hpp"
#include "dotakv/phantom.hpp"
#include "headless_summary.hpp"
#include "main_window.hpp"
#include "vtk_view.hpp"

namespace dotakv::gui {

Case load_case_or_demo(const QString& path, int sample, QString* name) {
  if (!path.isEmpty()) {
    if (name) *name = QFileInfo(path).fileName();
    try {
      return load_case(path.toStdString());
    } catch (const FormatError&) {
      if (physics::dataset_info(path.toStdString()).n <= 0) throw;
      return physics::read_dataset_sample(path.toStdString(), std::max(sample, 0));
    }
  }
  const QDir dir(QStringLiteral(DOTAKV_RESOURCES_DIR "/demo"));
  for (const QString& f : dir.entryList({QStringLiteral("*.h5")}, QDir::Files, QDir::Name)) {
    try {
      Case c = load_case(dir.filePath(f).toStdString());
      if (name) *name = f;
      return c;
    } catch (const Error&) {
    }
  }
  if (name) *name = QStringLiteral("generated demo phantom");
  return generated_demo_case();
}

Case generated_demo_case() {
  physics::PhantomOptions po;
  po.kind = physics::PhantomKind::Lateral;
  po.seed = 3;
  Case c;
  c.ct = physics::make_phantom(po);
  c.energy_mev = 150.0;
  physics::PbaOptions o;
  o.energy_mev = c.energy_mev;
  c.doses.emplace("pba", Dose{physics::run_pba(c.ct, o), {{"engine", "pba"}}});
  return c;
}

void print_case_summary(std::ostream& out, const Case& c, const QString& name) {
  const Volume& v = c.ct;
  float lo = 0, hi = 0;
  if (!v.data.empty()) {
    const auto [a, b] = std::minmax_element(v.data.begin(), v.data.end());
    lo = *a;
    hi = *b;
  }
  out << "dotakv studio — case summary (no display; use xvfb-run for the window)\n";
  out << "case:     " << name.toStdString() << "\n";
  out << "grid:     " << v.slices << " x " << v.rows << " x " << v.cols
      << " voxels (depth x rows x cols), " << v.spacing_mm[0] << " x " << v.spacing_mm[1] << " x "
      << v.spacing_mm[2] << " mm\n";
  out << "energy:   " << c.energy_mev << " MeV\n";
  out << "CT:       " << lo << " .. " << hi << " HU\n";
  out << "doses:    " << c.doses.size() << "\n";
  for (const auto& [n, d] : c.doses) print_dose_line(out, n, d.volume);
}

namespace {
bool has_display() {
  return qEnvironmentVariableIsSet("QT_QPA_PLATFORM") || qEnvironmentVariableIsSet("DISPLAY") ||
         qEnvironmentVariableIsSet("WAYLAND_DISPLAY");
}

int summary_main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  QCommandLineParser p;
  p.addPositionalArgument(QStringLiteral("case"), QStringLiteral("case file"));
  p.addOption({QStringLiteral("open"), QStringLiteral("case file"), QStringLiteral("file")});
  p.addOption({QStringLiteral("sample"), QStringLiteral("DoTA sample"), QStringLiteral("n"),
               QStringLiteral("0")});
  for (const char* o :
       {"view", "screenshot", "size", "lang", "compare-map", "cache", "reference", "evaluated"})
    p.addOption({QString::fromLatin1(o), QString(), QStringLiteral("x")});
  for (const char* o : {"summary", "dark", "streaming", "ct-volume"})
    p.addOption({QString::fromLatin1(o), QString()});
  p.process(app);
  QString path = p.value(QStringLiteral("open"));
  if (path.isEmpty() && !p.positionalArguments().isEmpty()) path = p.positionalArguments().front();
  try {
    QString name;
    const Case c = load_case_or_demo(path, p.value(QStringLiteral("sample")).toInt(), &name);
    print_case_summary(std::cout, c, name);
    std::cout.flush();
    print_model_summary(std::cout, c);
  } catch (const std::exception& e) {
    std::cerr << "dotakv-studio: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
}  // namespace

int run_studio(int argc, char** argv) {
  bool summary = !has_display();
  for (int i = 1; i < argc; ++i)
    if (std::string(argv[i]) == "--summary") summary = true;
  if (summary) return summary_main(argc, argv);

  VtkView::setDefaultSurfaceFormat();
  QApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("dotakv"));
  QApplication::setApplicationName(QStringLiteral("studio"));
  QApplication::setApplicationVersion(QString::fromStdString(build_info().version));

  QCommandLineParser p;
  p.setApplicationDescription(
      QStringLiteral("dotakv studio: proton dose with DoTA and KV caching"));
  p.addHelpOption();
  p.addVersionOption();
  p.addPositionalArgument(QStringLiteral("case"), QStringLiteral("Case file to open (HDF5)."));
  p.addOption(
      {QStringLiteral("open"), QStringLiteral("Open this case file."), QStringLiteral("file")});
  p.addOption({QStringLiteral("sample"), QStringLiteral("Sample index for DoTA-layout files."),
               QStringLiteral("n"), QStringLiteral("0")});
  p.addOption({QStringLiteral("view"), QStringLiteral("slices|projections|compare|3d|bench|digits"),
               QStringLiteral("view")});
  p.addOption({QStringLiteral("digits-model"), QStringLiteral("Digits tab: this model file."),
               QStringLiteral("file")});
  p.addOption({QStringLiteral("digits-measure"),
               QStringLiteral("Digits tab: run the latency sweep (Measure).")});
  p.addOption({QStringLiteral("digits-token"),
               QStringLiteral("Digits tab: show token N's attention once read."),
               QStringLiteral("n")});
  p.addOption({QStringLiteral("digits"),
               QStringLiteral("Digits tab: read this PNG, or 'random[:SEED]' for an MNIST test "
                              "string."),
               QStringLiteral("source")});
  p.addOption({QStringLiteral("screenshot"), QStringLiteral("Render, save PNG and exit."),
               QStringLiteral("file")});
  p.addOption({QStringLiteral("size"), QStringLiteral("Window size for --screenshot (WxH)."),
               QStringLiteral("WxH"), QStringLiteral("1500x950")});
  p.addOption(
      {QStringLiteral("lang"), QStringLiteral("Language: en|de|fr|nl."), QStringLiteral("code")});
  p.addOption({QStringLiteral("compare-map"), QStringLiteral("difference|relative|gamma"),
               QStringLiteral("map"), QStringLiteral("gamma")});
  p.addOption(
      {QStringLiteral("cache"), QStringLiteral("KV cache off|on|auto."), QStringLiteral("mode")});
  p.addOption({QStringLiteral("reference"), QStringLiteral("Reference dose name."),
               QStringLiteral("name")});
  p.addOption({QStringLiteral("evaluated"), QStringLiteral("Evaluated dose name."),
               QStringLiteral("name")});
  p.addOption({QStringLiteral("dark"), QStringLiteral("Dark palette.")});
  p.addOption({QStringLiteral("ct-volume"), QStringLiteral("3-D view: CT volume rendering.")});
  p.addOption({QStringLiteral("streaming"), QStringLiteral("Streaming inference.")});
  p.addOption({QStringLiteral("summary"), QStringLiteral("Print a text summary and exit.")});
  p.process(app);

  const QString shot = p.value(QStringLiteral("screenshot"));
  if (!shot.isEmpty()) {
    // Screenshots must not depend on (or change) the user's saved settings.
    QApplication::setApplicationName(QStringLiteral("studio-screenshot"));
  }
  MainWindow w;
  bool failed = false;
  // Every error is also printed on stderr; interactively it still opens the window's dialog
  // (the default sink), in screenshot mode it only fails the run.
  w.setErrorSink([&, dialog = w.errorSink()](const QString& title, const QString& msg) {
    std::cerr << "dotakv-studio: " << title.toStdString() << ": " << msg.toStdString() << "\n";
    if (!shot.isEmpty())
      failed = true;
    else if (dialog)
      dialog(title, msg);
  });
  if (!shot.isEmpty()) {
    w.setDarkPalette(p.isSet(QStringLiteral("dark")));
    w.switchLanguage(p.isSet(QStringLiteral("lang")) ? p.value(QStringLiteral("lang"))
                                                     : QStringLiteral("en"));
  } else {
    if (p.isSet(QStringLiteral("dark"))) w.setDarkPalette(true);
    if (p.isSet(QStringLiteral("lang"))) w.switchLanguage(p.value(QStringLiteral("lang")));
  }
  if (p.isSet(QStringLiteral("cache"))) {
    const QString c = p.value(QStringLiteral("cache")).toLower();
    w.setCacheMode(c == QLatin1String("off")    ? CacheMode::Off
                   : c == QLatin1String("auto") ? CacheMode::Auto
                                                : CacheMode::On);
  }
  if (p.isSet(QStringLiteral("streaming"))) w.setStreaming(true);
  if (p.isSet(QStringLiteral("ct-volume"))) w.view3dPanel()->setVolumeRendering(true);

  QString path = p.value(QStringLiteral("open"));
  if (path.isEmpty() && !p.positionalArguments().isEmpty()) path = p.positionalArguments().front();
  if (!path.isEmpty()) {
    if (!w.openFile(path, p.value(QStringLiteral("sample")).toInt()) && !shot.isEmpty()) return 1;
  } else {
    w.openDemo();
  }

  if (p.isSet(QStringLiteral("reference")) || p.isSet(QStringLiteral("evaluated"))) {
    w.engine()->waitIdle(120000);  // the model dose may be the one asked for
    if (p.isSet(QStringLiteral("reference")))
      w.caseModel()->setReference(p.value(QStringLiteral("reference")));
    if (p.isSet(QStringLiteral("evaluated")))
      w.caseModel()->setEvaluated(p.value(QStringLiteral("evaluated")));
  }
  const QString view = p.value(QStringLiteral("view")).toLower();
  const std::map<QString, int> tabs{{QStringLiteral("slices"), MainWindow::SlicesTab},
                                    {QStringLiteral("projections"), MainWindow::ProjectionsTab},
                                    {QStringLiteral("compare"), MainWindow::CompareTab},
                                    {QStringLiteral("3d"), MainWindow::View3DTab},
                                    {QStringLiteral("bench"), MainWindow::BenchTab},
                                    {QStringLiteral("digits"), MainWindow::DigitsTab}};
  if (!view.isEmpty()) {
    auto it = tabs.find(view);
    if (it == tabs.end() || it->second >= w.tabs()->count()) {
      std::cerr << "dotakv-studio: error: unknown or unavailable view '" << view.toStdString()
                << "'\n";
      return 2;
    }
    w.tabs()->setCurrentIndex(view == QLatin1String("digits") ? w.tabs()->indexOf(w.digitsPanel())
                                                              : it->second);
  }
  if (p.isSet(QStringLiteral("digits-model")) &&
      !w.digitsPanel()->loadModel(p.value(QStringLiteral("digits-model"))) && !shot.isEmpty())
    return 1;
  if (p.isSet(QStringLiteral("digits-measure"))) w.digitsPanel()->measure();
  if (p.isSet(QStringLiteral("digits"))) {
    const QString src = p.value(QStringLiteral("digits"));
    if (src.startsWith(QLatin1String("random"))) {
      const QString seed = src.section(QLatin1Char(':'), 1);
      w.digitsPanel()->randomTestString(seed.isEmpty() ? 0 : seed.toULongLong());
    } else if (!w.digitsPanel()->openPng(src) && !shot.isEmpty()) {
      return 1;
    }
  }
  const QString map = p.value(QStringLiteral("compare-map")).toLower();
  w.comparePanel()->setMapKind(map == QLatin1String("difference")
                                   ? ComparePanel::MapKind::Difference
                               : map == QLatin1String("relative") ? ComparePanel::MapKind::Relative
                                                                  : ComparePanel::MapKind::Gamma);

  if (shot.isEmpty()) {
    w.show();
    return app.exec();
  }
  const QStringList wh = p.value(QStringLiteral("size")).split(QLatin1Char('x'));
  if (wh.size() == 2) w.resize(wh[0].toInt(), wh[1].toInt());
  w.show();
  w.waitIdle(120000);
  if (p.isSet(QStringLiteral("digits-token")))
    w.digitsPanel()->hoverToken(p.value(QStringLiteral("digits-token")).toInt());
  // A result arriving at the end may trigger follow-up work (gamma of the new dose).
  for (int i = 0; i < 3; ++i) {
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 150) {
      QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
      QThread::msleep(5);
    }
    w.waitIdle(120000);
  }
  const QImage img = w.grab().toImage();
  if (img.isNull() || !img.save(shot)) {
    std::cerr << "dotakv-studio: error: could not write " << shot.toStdString() << "\n";
    return 1;
  }
  std::cout << "wrote " << shot.toStdString() << " (" << img.width() << "x" << img.height()
            << ")\n";
  return failed ? 1 : 0;
}

}  // namespace dotakv::gui
