// Every visible string of every view is translated and fits. The main window is shown on a demo
// case; for each tab the texts of the visible widgets (labels, buttons, check boxes, group boxes,
// combo box entries, tooltips, tab and dock titles, menus, chart titles and axis titles, table
// headers) are collected in English, then after a live switch to de, fr and nl: each must differ
// from English unless it is in the small allow-list below (numbers, units, proper names and words
// that are the same in that language). Labels, buttons, check boxes and combo boxes must show
// their whole text (QFontMetrics width within the widget's).
#include <QAbstractAxis>
#include <QAbstractButton>
#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTabBar>
#include <QTableView>
#include <QTextDocument>
#include <QtTest>
#include <map>

#include "main_window.hpp"
#include "test_support.hpp"
#include "vtk_view.hpp"

using namespace dotakv::gui;

namespace {

// Same in every language by design: proper names, units, codes, dose names, technical terms the
// translations keep (checked by a translator, not a guess).
const QSet<QString> kAllowed{
    "dotakv",    "DoTA",      "fp32",     "fp16",       "int8",    "bf16",      "Auto",
    "Streaming", "Benchmark", "3D",       "Batch",      "Cache",   "Threads",   "Material",
    "HU",        "RSP",       "mc",       "model",      "pba",     "mc_stderr", "Monte Carlo",
    "Spot σ",    "full",      "stream",   "prefix",     "compact", "auto",      "γ",
    "English",   "Deutsch",   "Français", "Nederlands", "Voxel",   "Position",  "Dose",
    "Dose [%]",  "Dose [Gy]", "Gy",       "x →",        "y ↓",     "x ↓",       "IQR",
    "Sample",    "Isodose",   "Self"};  // "Self": the digits cache mode (self-attention K/V)

// Words that are the same in one language (the translation was checked, it is not missing).
const std::map<QString, QSet<QString>> kSameIn{{"fr",
                                                {
                                                    "Projections",
                                                    "Air (-1000 HU)",
                                                    "point",
                                                    "Protons (N)",
                                                }},
                                               {"nl", {"&Help", "Model", "Model…"}},
                                               {"de", {}}};

QString plain(const QString& s) {
  if (!Qt::mightBeRichText(s)) return s.simplified();
  QTextDocument d;
  d.setHtml(s);
  return d.toPlainText().simplified();
}

// True for strings that carry no words to translate (numbers, units, symbols).
bool untranslatable(const QString& s) {
  static const QRegularExpression only_units(QStringLiteral(
      R"(^[\d\s.,:;%×±/()\[\]|\-–—→←↓+=<>·#&]*(mm|ms|s|MiB|KiB|MB|HU|Gy|MeV|k|x|y|z|)"
      R"([\d\s.,:;%×±/()\[\]|\-–—→↓+=<>·]*)*$)"));
  return s.isEmpty() || kAllowed.contains(s) || only_units.match(s).hasMatch() ||
         s.startsWith(QStringLiteral("cache ")) ||  // the timing badge (other engineer's area)
         s.contains(QStringLiteral(".h5"));
}

using Texts = std::map<QString, QString>;  // "pointer/kind" -> text

void put(Texts& t, const QObject* o, const char* kind, const QString& text) {
  t[QStringLiteral("%1/%2").arg(quintptr(o)).arg(QLatin1String(kind))] = plain(text);
}

Texts collect(QMainWindow* w) {
  Texts t;
  for (QWidget* x : w->findChildren<QWidget*>()) {
    if (!x->isVisible()) continue;
    if (!x->toolTip().isEmpty()) put(t, x, "tip", x->toolTip());
    if (auto* l = qobject_cast<QLabel*>(x)) put(t, l, "text", l->text());
    if (auto* b = qobject_cast<QAbstractButton*>(x)) put(t, b, "text", b->text());
    if (auto* g = qobject_cast<QGroupBox*>(x)) put(t, g, "title", g->title());
    if (auto* d = qobject_cast<QDockWidget*>(x)) put(t, d, "title", d->windowTitle());
    if (auto* c = qobject_cast<QComboBox*>(x); c && !c->isEditable())
      for (int i = 0; i < c->count(); ++i)
        put(t, c, qPrintable(QStringLiteral("item%1").arg(i)), c->itemText(i));
    if (auto* tb = qobject_cast<QTabBar*>(x))
      for (int i = 0; i < tb->count(); ++i)
        put(t, tb, qPrintable(QStringLiteral("tab%1").arg(i)), tb->tabText(i));
    if (auto* cv = qobject_cast<QChartView*>(x)) {
      put(t, cv, "chart", cv->chart()->title());
      int k = 0;
      for (auto* a : cv->chart()->axes())
        put(t, cv, qPrintable(QStringLiteral("axis%1").arg(k++)), a->titleText());
    }
    if (auto* tv = qobject_cast<QTableView*>(x))
      for (int i = 0; tv->model() && i < tv->model()->columnCount(); ++i)
        put(t, tv, qPrintable(QStringLiteral("col%1").arg(i)),
            tv->model()->headerData(i, Qt::Horizontal).toString());
  }
  for (QAction* a : w->menuBar()->actions()) {
    put(t, a, "menu", a->text());
    if (a->menu())
      for (QAction* b : a->menu()->actions())
        if (!b->isSeparator() && !b->menu() && b->isVisible()) put(t, b, "action", b->text());
  }
  return t;
}

// Widgets whose text is cut off: "class 'text' needs N px, has M px".
QStringList clipped(QMainWindow* w) {
  QStringList out;
  for (QWidget* x : w->findChildren<QWidget*>()) {
    if (!x->isVisible() || x->width() <= 0) continue;
    const QFontMetrics fm(x->font());
    QString text;
    int need = 0, have = x->width();
    if (auto* l = qobject_cast<QLabel*>(x);
        l && !l->wordWrap() && !Qt::mightBeRichText(l->text()) && !l->text().isEmpty()) {
      text = l->text();
      for (const QString& line : text.split('\n'))
        need = std::max(need, fm.horizontalAdvance(line));
      have = l->contentsRect().width();
    } else if (auto* c = qobject_cast<QCheckBox*>(x)) {
      text = c->text();
      need = fm.horizontalAdvance(text) + 20;
    } else if (auto* b = qobject_cast<QPushButton*>(x); b && !b->text().isEmpty()) {
      text = b->text();
      need = fm.horizontalAdvance(QString(text).remove('&')) + 8 + (b->icon().isNull() ? 0 : 20);
    } else if (auto* cb = qobject_cast<QComboBox*>(x); cb && !cb->isEditable()) {
      text = cb->currentText();
      need = fm.horizontalAdvance(text) + 24;  // frame and arrow
    }
    if (!text.isEmpty() && need > have)
      out << QStringLiteral("%1 '%2' needs %3 px, has %4 px")
                 .arg(QLatin1String(x->metaObject()->className()), text)
                 .arg(need)
                 .arg(have);
  }
  return out;
}

}  // namespace

class TestTranslations : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("dotakv-test"));
    QCoreApplication::setApplicationName(QStringLiteral("translations-test"));
    w_ = std::make_unique<MainWindow>();
    w_->setErrorSink([](const QString& t, const QString& m) { qWarning() << t << m; });
    w_->switchLanguage(QStringLiteral("en"));
    w_->resize(1500, 950);
    w_->show();
    QVERIFY(QTest::qWaitForWindowExposed(w_.get()));
    QVERIFY(w_->openFile(
        QString::fromStdString(dotakv::test::source_path("resources/demo/bone_slab_120MeV.h5")),
        0));
    QVERIFY(w_->waitIdle(120000));
  }

  void everyVisibleStringTranslatedAndFits_data() {
    QTest::addColumn<int>("tab");
    for (int i = 0; i < w_->tabs()->count(); ++i)
      QTest::newRow(qPrintable(QStringLiteral("tab %1").arg(i))) << i;
  }
  void everyVisibleStringTranslatedAndFits() {
    QFETCH(int, tab);
    w_->switchLanguage(QStringLiteral("en"));
    w_->tabs()->setCurrentIndex(tab);
    QVERIFY(w_->waitIdle(120000));
    QTest::qWait(50);
    const Texts en = collect(w_.get());
    QStringList problems = clipped(w_.get());
    for (const char* lang : {"de", "fr", "nl"}) {
      QVERIFY(w_->switchLanguage(QString::fromLatin1(lang)));
      QVERIFY(w_->waitIdle(120000));
      QTest::qWait(50);
      const Texts tr = collect(w_.get());
      for (const auto& [key, text] : en) {
        if (untranslatable(text)) continue;
        const auto it = tr.find(key);
        if (it != tr.end() && it->second == text && !kSameIn.at(lang).contains(text))
          problems << QStringLiteral("[%1] not translated: '%2'").arg(QLatin1String(lang), text);
      }
      for (const QString& c : clipped(w_.get()))
        problems << QStringLiteral("[%1] %2").arg(QLatin1String(lang), c);
    }
    w_->switchLanguage(QStringLiteral("en"));
    problems.removeDuplicates();
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')));
  }

 private:
  std::unique_ptr<MainWindow> w_;
};

int main(int argc, char** argv) {
  VtkView::setDefaultSurfaceFormat();
  QApplication app(argc, argv);
  TestTranslations t;
  return QTest::qExec(&t, argc, argv);
}

#include "test_translations.moc"
