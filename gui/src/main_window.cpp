#include "main_window.hpp"

#include <QTemporaryDir>

#include "dotakv/atomic_file.hpp"
#include "dotakv/bench_report.hpp"
#include "report_writer.hpp"
#include "studio_app.hpp"

#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLibraryInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QResizeEvent>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>
#include <QStyleFactory>
#include <QThread>
#include <QToolBar>
#include <QUndoStack>

#include "compare_panel.hpp"
#include "digits_panel.hpp"
#include "dotakv/dataset.hpp"
#include "dotakv/error.hpp"
#include "dotakv/pba.hpp"
#include "dotakv/phantom.hpp"
#include "edit_panel.hpp"
#include "projections_panel.hpp"
#include "reference_panel.hpp"
#include "slices_panel.hpp"
#include "vtk_view.hpp"
#if __has_include("bench_panel.hpp")
#include "bench_panel.hpp"
#define DOTAKV_HAVE_BENCH_PANEL 1
#endif

namespace dotakv::gui {

namespace {
constexpr int kMaxRecent = 8;

// The last error in the status bar: elided to the width it gets, whole in the tooltip.
class ElidedLabel : public QLabel {
 public:
  void setFullText(const QString& t) {
    full_ = t;
    setToolTip(t);
    refit();
  }
  QSize sizeHint() const override {
    return {fontMetrics().horizontalAdvance(full_) + 8, QLabel::sizeHint().height()};
  }
  QSize minimumSizeHint() const override { return {60, QLabel::minimumSizeHint().height()}; }

 protected:
  void resizeEvent(QResizeEvent* e) override {
    QLabel::resizeEvent(e);
    refit();
  }

 private:
  void refit() {
    setText(fontMetrics().elidedText(full_, Qt::ElideRight, std::max(0, width() - 4)));
  }
  QString full_;
};
QString fmt_seconds(double s) {
  return s < 1.0 ? QStringLiteral("%1 ms").arg(s * 1000, 0, 'f', 1)
                 : QStringLiteral("%1 s").arg(s, 0, 'f', 2);
}
QString fmt_range(double a, double b) {  // "26.0–27.4 ms": one unit for both ends
  if (b < 1.0) return QStringLiteral("%1–%2 ms").arg(a * 1000, 0, 'f', 1).arg(b * 1000, 0, 'f', 1);
  return QStringLiteral("%1–%2 s").arg(a, 0, 'f', 2).arg(b, 0, 'f', 2);
}
QString fmt_bytes(double b) {
  if (b >= 1 << 20) return QStringLiteral("%1 MiB").arg(b / (1 << 20), 0, 'f', 2);
  return QStringLiteral("%1 KiB").arg(b / 1024, 0, 'f', 1);
}
}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setObjectName(QStringLiteral("MainWindow"));
  setAcceptDrops(true);
  model_ = new CaseModel(this);
  engine_ = new InferenceController(this);
  undo_ = new QUndoStack(this);
  error_sink_ = [this](const QString& title, const QString& msg) {
    // Queued: an error raised before the window is shown (a bad --open) appears over it once the
    // event loop runs. open() is window-modal but does not block the caller.
    QMetaObject::invokeMethod(
        this,
        [this, title, msg] {
          auto* box = new QMessageBox(QMessageBox::Warning, title, msg, QMessageBox::Ok, this);
          box->setObjectName(QStringLiteral("errorDialog"));
          box->setAttribute(Qt::WA_DeleteOnClose);
          box->open();
        },
        Qt::QueuedConnection);
  };

  tabs_ = new QTabWidget;
  slices_ = new SlicesPanel(model_);
  projections_ = new ProjectionsPanel(model_);
  compare_ = new ComparePanel(model_);
  view3d_ = new View3DPanel(model_);
  tabs_->addTab(slices_, QString());
  tabs_->addTab(projections_, QString());
  tabs_->addTab(compare_, QString());
  tabs_->addTab(view3d_, QString());
#ifdef DOTAKV_HAVE_BENCH_PANEL
  bench_ = new BenchPanel(this);
  tabs_->addTab(bench_, QString());
#endif
  digits_ = new DigitsPanel;
  tabs_->addTab(digits_, QString());
  setCentralWidget(tabs_);

  edit_ = new EditPanel(model_, undo_);
  edit_dock_ = new QDockWidget(this);
  edit_dock_->setObjectName(QStringLiteral("EditDock"));
  edit_dock_->setWidget(edit_);
  addDockWidget(Qt::RightDockWidgetArea, edit_dock_);
  reference_ = new ReferencePanel(model_);
  ref_dock_ = new QDockWidget(this);
  ref_dock_->setObjectName(QStringLiteral("ReferenceDock"));
  ref_dock_->setWidget(reference_);
  addDockWidget(Qt::RightDockWidgetArea, ref_dock_);

  progress_ = new QProgressBar;
  progress_->setRange(0, 1000);
  progress_->setMaximumWidth(180);
  progress_->setVisible(false);
  error_label_ = new ElidedLabel;
  error_label_->setObjectName(QStringLiteral("lastError"));
  error_label_->setStyleSheet(QStringLiteral("QLabel#lastError{color:#c0392b;}"));
  error_label_->setVisible(false);
  // A normal (left) widget: transient messages cover it for their few seconds, then it is back;
  // the permanent badge on the right keeps the room it needs.
  statusBar()->addWidget(error_label_, 1);
  statusBar()->addPermanentWidget(progress_);

  buildActions();
  buildMenus();
  buildToolbars();

  connect(edit_, &EditPanel::ctEdited, this, [this](int first) {
    if (engine_->acceptsGrid(model_->ct()))
      engine_->recomputeEdited(model_->ct(), model_->energy(), first);
  });
  for (auto plane : {viz::Plane::Lateral, viz::Plane::DepthRow, viz::Plane::DepthCol}) {
    SliceView* v = slices_->viewer(plane)->view();
    connect(edit_, &EditPanel::brushToggled, v, &SliceView::setPaintMode);
    connect(v, &SliceView::paintAt, edit_, &EditPanel::strokePaint);
    connect(v, &SliceView::paintFinished, edit_, &EditPanel::strokeFinished);
  }
  connect(undo_, &QUndoStack::indexChanged, model_, &CaseModel::setEditNumber);
  connect(model_, &CaseModel::stalenessChanged, this, [this] {
    refreshDoseCombos();
    updateBadge();
  });
  connect(reference_, &ReferencePanel::failed, this,
          [this](const QString& m) { showError(tr("Reference dose failed"), m); });
  connect(reference_, &ReferencePanel::done, this, [this](const QString& n) {
    statusBar()->showMessage(tr("Reference dose “%1” added").arg(n), 5000);
  });
  connect(engine_, &InferenceController::started, this, [this] {
    engine_running_ = true;
    progress_->setValue(0);
    progress_->setVisible(true);
    cancel_->setEnabled(true);
    statusBar()->showMessage(tr("Computing the model dose…"));
  });
  connect(engine_, &InferenceController::progress, this, [this](double f, const QString& msg) {
    progress_->setValue(int(f * 1000));
    if (!msg.isEmpty()) statusBar()->showMessage(msg, 3000);
  });
  connect(engine_, &InferenceController::stepReady, this, [this](const Volume& partial, int) {
    model_->updateDoseVolume(QStringLiteral("model"), partial);
  });
  connect(engine_, &InferenceController::finished, this, &MainWindow::onEngineFinished);
  connect(engine_, &InferenceController::reportUpdated, this, &MainWindow::updateBadge);
  connect(engine_, &InferenceController::failed, this,
          [this](const QString& m) { showError(tr("Dose computation failed"), m); });
  connect(engine_, &InferenceController::idle, this, [this] {
    engine_running_ = false;
    progress_->setVisible(false);
    cancel_->setEnabled(false);
  });
  connect(model_, &CaseModel::dosesListChanged, this, &MainWindow::refreshDoseCombos);
  connect(model_, &CaseModel::selectionChanged, this, &MainWindow::refreshDoseCombos);
  connect(model_, &CaseModel::caseChanged, this, &MainWindow::updateTitle);
  connect(model_, &CaseModel::crosshairChanged, this, [this] {
    const auto r = model_->readout(model_->crosshair());
    statusBar()->showMessage(tr("z %1, y %2, x %3 — HU %4, RSP %5")
                                 .arg(r.voxel[0])
                                 .arg(r.voxel[1])
                                 .arg(r.voxel[2])
                                 .arg(r.hu, 0, 'f', 0)
                                 .arg(r.rsp, 0, 'f', 3),
                             4000);
  });

  connect(digits_, &DigitsPanel::errorOccurred, this, &MainWindow::showError);
  connect(digits_, &DigitsPanel::statusMessage, this,
          [this](const QString& m) { statusBar()->showMessage(m, 5000); });
  connect(tabs_, &QTabWidget::currentChanged, this, &MainWindow::onTabChanged);

  try {
    model_note_ = engine_->loadModel();
  } catch (const std::exception& e) {
    model_note_ = QString::fromStdString(e.what());
  }
  readSettings();
  retranslate();
  updateBadge();
}

MainWindow::~MainWindow() {
  digits_->cancel();
  engine_->cancel();
  reference_->cancel();
  // The undo stack is a child destroyed by ~QObject after this destructor; its clear() emits
  // signals whose slots are MainWindow members, by then an invalid downcast (found by UBSan).
  undo_->disconnect(this);
}

void MainWindow::buildActions() {
  auto mk = [this](QKeySequence ks = {}) {
    auto* a = new QAction(this);
    if (!ks.isEmpty()) a->setShortcut(ks);
    return a;
  };
  open_ = mk(QKeySequence::Open);
  open_->setIcon(style()->standardIcon(QStyle::SP_DialogOpenButton));
  open_demo_ = mk(QKeySequence(Qt::CTRL | Qt::Key_D));
  save_as_ = mk(QKeySequence::SaveAs);
  save_as_->setIcon(style()->standardIcon(QStyle::SP_DialogSaveButton));
  export_report_ = mk(QKeySequence(Qt::CTRL | Qt::Key_R));
  screenshot_ = mk(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
  quit_ = mk(QKeySequence::Quit);
  undo_act_ = undo_->createUndoAction(this);
  undo_act_->setShortcut(QKeySequence::Undo);
  redo_act_ = undo_->createRedoAction(this);
  redo_act_->setShortcut(QKeySequence::Redo);
  // Our texts, not Qt's "Undo %1" (French qtbase says "Annuler", which is Cancel here); connected
  // after QUndoStack's own update so they win.
  connect(undo_, &QUndoStack::undoTextChanged, this, &MainWindow::updateUndoTexts);
  connect(undo_, &QUndoStack::redoTextChanged, this, &MainWindow::updateUndoTexts);
  dark_act_ = mk(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
  dark_act_->setCheckable(true);
  recompute_ = mk(QKeySequence(Qt::Key_F5));
  recompute_->setIcon(style()->standardIcon(QStyle::SP_BrowserReload));
  cancel_ = mk(QKeySequence(Qt::Key_Escape));
  cancel_->setIcon(style()->standardIcon(QStyle::SP_BrowserStop));
  cancel_->setEnabled(false);
  streaming_ = mk(QKeySequence(Qt::CTRL | Qt::Key_T));
  streaming_->setCheckable(true);
  about_ = mk();
  cache_group_ = new QActionGroup(this);
  cache_off_ = mk(QKeySequence(Qt::CTRL | Qt::Key_0));
  cache_on_ = mk(QKeySequence(Qt::CTRL | Qt::Key_1));
  cache_auto_ = mk(QKeySequence(Qt::CTRL | Qt::Key_2));
  for (auto* a : {cache_off_, cache_on_, cache_auto_}) {
    a->setCheckable(true);
    cache_group_->addAction(a);
  }
  cache_on_->setChecked(true);
  cache_off_->setObjectName(QStringLiteral("cacheOff"));
  cache_on_->setObjectName(QStringLiteral("cacheOn"));
  cache_auto_->setObjectName(QStringLiteral("cacheAuto"));
  streaming_->setObjectName(QStringLiteral("streaming"));
  recompute_->setObjectName(QStringLiteral("recompute"));

  connect(open_, &QAction::triggered, this, [this] {
    const QString f =
        QFileDialog::getOpenFileName(this, tr("Open case"), QString(),
                                     tr("HDF5 case or DoTA file (*.h5 *.hdf5);;All files (*)"));
    if (!f.isEmpty()) openFile(f);
  });
  connect(open_demo_, &QAction::triggered, this, &MainWindow::openDemo);
  connect(save_as_, &QAction::triggered, this, [this] {
    const QString f = QFileDialog::getSaveFileName(this, tr("Save case as"), model_->filePath(),
                                                   tr("HDF5 case (*.h5)"));
    if (!f.isEmpty()) saveAs(f);
  });
  connect(export_report_, &QAction::triggered, this, [this] {
    const QString f = QFileDialog::getSaveFileName(this, tr("Export case report"),
                                                   QStringLiteral("dotakv-case-report.pdf"),
                                                   tr("PDF document (*.pdf);;HTML page (*.html)"));
    if (!f.isEmpty()) exportCaseReport(f);
  });
  connect(screenshot_, &QAction::triggered, this, [this] {
    const QString f = QFileDialog::getSaveFileName(
        this, tr("Save screenshot"), QStringLiteral("dotakv.png"), tr("PNG image (*.png)"));
    if (!f.isEmpty() && !grab().save(f))
      showError(tr("Screenshot"), tr("Could not write %1").arg(f));
  });
  connect(quit_, &QAction::triggered, this, &QWidget::close);
  connect(dark_act_, &QAction::toggled, this, &MainWindow::setDarkPalette);
  connect(recompute_, &QAction::triggered, this, &MainWindow::recompute);
  connect(cancel_, &QAction::triggered, this, [this] {
    engine_->cancel();
    reference_->cancel();
  });
  connect(streaming_, &QAction::toggled, this, &MainWindow::setStreaming);
  connect(cache_off_, &QAction::triggered, this, [this] { setCacheMode(CacheMode::Off); });
  connect(cache_on_, &QAction::triggered, this, [this] { setCacheMode(CacheMode::On); });
  connect(cache_auto_, &QAction::triggered, this, [this] { setCacheMode(CacheMode::Auto); });
  connect(about_, &QAction::triggered, this, [this] {
    QMessageBox::about(this, tr("About dotakv studio"),
                       tr("<b>dotakv studio</b><br>Proton pencil-beam dose with DoTA "
                          "(Pastor-Serrano &amp; Perkó 2022) and KV caching.<br>Model: %1")
                           .arg(model_note_.toHtmlEscaped()));
  });
}

void MainWindow::buildMenus() {
  file_menu_ = menuBar()->addMenu(QString());
  file_menu_->addAction(open_);
  demo_menu_ = file_menu_->addMenu(QString());
  demo_menu_->addAction(open_demo_);
  const QDir dir(QStringLiteral(DOTAKV_RESOURCES_DIR "/demo"));
  for (const QString& f : dir.entryList({QStringLiteral("*.h5")}, QDir::Files, QDir::Name)) {
    auto* a = demo_menu_->addAction(f);
    const QString path = dir.filePath(f);
    connect(a, &QAction::triggered, this, [this, path] { openFile(path, 0); });
  }
  recent_menu_ = file_menu_->addMenu(QString());
  file_menu_->addSeparator();
  file_menu_->addAction(save_as_);
  file_menu_->addAction(export_report_);
  file_menu_->addAction(screenshot_);
  file_menu_->addSeparator();
  file_menu_->addAction(quit_);
  edit_menu_ = menuBar()->addMenu(QString());
  edit_menu_->addAction(undo_act_);
  edit_menu_->addAction(redo_act_);
  view_menu_ = menuBar()->addMenu(QString());
  view_menu_->addAction(edit_dock_->toggleViewAction());
  view_menu_->addAction(ref_dock_->toggleViewAction());
  view_menu_->addSeparator();
  view_menu_->addAction(dark_act_);
  lang_menu_ = menuBar()->addMenu(QString());
  lang_group_ = new QActionGroup(this);
  for (auto [code, name] : {std::pair{"en", "English"}, std::pair{"de", "Deutsch"},
                            std::pair{"fr", "Français"}, std::pair{"nl", "Nederlands"}}) {
    auto* a = lang_menu_->addAction(QString::fromUtf8(name));
    a->setCheckable(true);
    a->setData(QString::fromLatin1(code));
    a->setChecked(lang_ == QLatin1String(code));
    lang_group_->addAction(a);
    connect(a, &QAction::triggered, this,
            [this, c = QString::fromLatin1(code)] { switchLanguage(c); });
  }
  help_menu_ = menuBar()->addMenu(QString());
  help_menu_->addAction(about_);
  updateRecentMenu();
}

void MainWindow::buildToolbars() {
  case_bar_ = addToolBar(QString());
  case_bar_->setObjectName(QStringLiteral("CaseToolbar"));
  case_bar_->addAction(open_);
  case_bar_->addAction(save_as_);
  case_bar_->addSeparator();
  ref_label_ = new QLabel;
  ref_combo_ = new QComboBox;
  ref_combo_->setMinimumContentsLength(8);
  eval_label_ = new QLabel;
  eval_combo_ = new QComboBox;
  eval_combo_->setMinimumContentsLength(8);
  case_bar_->addWidget(ref_label_);
  case_bar_->addWidget(ref_combo_);
  case_bar_->addWidget(eval_label_);
  case_bar_->addWidget(eval_combo_);
  connect(ref_combo_, &QComboBox::activated, this,
          [this] { model_->setReference(ref_combo_->currentData().toString()); });
  connect(eval_combo_, &QComboBox::activated, this,
          [this] { model_->setEvaluated(eval_combo_->currentData().toString()); });

  addToolBarBreak();
  engine_bar_ = addToolBar(QString());
  engine_bar_->setObjectName(QStringLiteral("EngineToolbar"));
  cache_label_ = new QLabel;
  engine_bar_->addWidget(cache_label_);
  engine_bar_->addAction(cache_off_);
  engine_bar_->addAction(cache_on_);
  engine_bar_->addAction(cache_auto_);
  engine_bar_->addSeparator();
  engine_bar_->addAction(streaming_);
  prec_label_ = new QLabel;
  engine_bar_->addWidget(prec_label_);
  precision_ = new QComboBox;
  precision_->setObjectName(QStringLiteral("kvStorage"));
  precision_->addItems({QStringLiteral("fp32"), QStringLiteral("fp16"), QStringLiteral("int8")});
  engine_bar_->addWidget(precision_);
  connect(precision_, &QComboBox::activated, this, [this](int i) {
    setKvPrecision(i == 0 ? KvPrecision::fp32 : i == 1 ? KvPrecision::fp16 : KvPrecision::int8);
  });
  compute_label_ = new QLabel;
  engine_bar_->addWidget(compute_label_);
  compute_ = new QComboBox;
  compute_->setObjectName(QStringLiteral("computePrecision"));
  compute_->addItems({QStringLiteral("fp32"), QStringLiteral("bf16")});
  engine_bar_->addWidget(compute_);
  connect(compute_, &QComboBox::activated, this, [this](int i) {
    setComputePrecision(i == 0 ? ComputePrecision::fp32 : ComputePrecision::bf16);
  });
  engine_bar_->addSeparator();
  engine_bar_->addAction(recompute_);
  engine_bar_->addAction(cancel_);
  // The badge lives in the status bar (it grows after an edit and would otherwise drop into the
  // toolbar's overflow menu).
  badge_ = new QLabel;
  badge_->setObjectName(QStringLiteral("timingBadge"));
  badge_->setTextFormat(Qt::RichText);
  badge_->setStyleSheet(
      QStringLiteral("QLabel#timingBadge{border:1px solid #3a7bd5;border-radius:4px;"
                     "padding:1px 6px;background:rgba(58,123,213,40);}"));
  statusBar()->addPermanentWidget(badge_);
}

void MainWindow::retranslate() {
  updateTitle();
  tabs_->setTabText(SlicesTab, tr("Slices"));
  tabs_->setTabText(ProjectionsTab, tr("Projections"));
  tabs_->setTabText(CompareTab, tr("Compare"));
  tabs_->setTabText(View3DTab, tr("3D"));
  if (hasBenchTab()) tabs_->setTabText(BenchTab, tr("Benchmark"));
  tabs_->setTabText(tabs_->indexOf(digits_), tr("Digits"));
  edit_dock_->setWindowTitle(tr("CT edit"));
  ref_dock_->setWindowTitle(tr("Reference dose"));
  file_menu_->setTitle(tr("&File"));
  demo_menu_->setTitle(tr("Open &demo case"));
  recent_menu_->setTitle(tr("Open &recent"));
  edit_menu_->setTitle(tr("&Edit"));
  view_menu_->setTitle(tr("&View"));
  lang_menu_->setTitle(tr("&Language"));
  help_menu_->setTitle(tr("&Help"));
  open_->setText(tr("&Open…"));
  open_->setToolTip(tr("Open a case file or a DoTA data file (Ctrl+O)"));
  open_demo_->setText(tr("Bundled demo case"));
  save_as_->setText(tr("Save case &as…"));
  export_report_->setText(tr("&Export case report…"));
  screenshot_->setText(tr("Save &screenshot…"));
  quit_->setText(tr("&Quit"));
  updateUndoTexts();
  dark_act_->setText(tr("&Dark palette"));
  recompute_->setText(tr("Recompute"));
  recompute_->setToolTip(tr("Recompute the model dose with the current cache settings (F5)"));
  cancel_->setText(tr("Cancel"));
  streaming_->setText(tr("Streaming"));
  streaming_->setToolTip(tr("Stream the dose slice by slice as tokens are processed"));
  about_->setText(tr("&About"));
  cache_off_->setText(tr("Off"));
  cache_on_->setText(tr("On"));
  cache_auto_->setText(tr("Auto"));
  cache_off_->setToolTip(tr("KV cache off"));
  cache_on_->setToolTip(tr("KV cache on"));
  cache_auto_->setToolTip(tr("Let the calibrated policy decide"));
  case_bar_->setWindowTitle(tr("Case"));
  engine_bar_->setWindowTitle(tr("Dose engine"));
  cache_label_->setText(tr(" KV cache: "));
  prec_label_->setText(tr(" KV-cache storage: "));
  compute_label_->setText(tr(" compute: "));
  precision_->setToolTip(
      tr("Storage precision of the K/V cache (fp32, fp16, int8); the "
         "arithmetic precision is set under “compute”"));
  compute_->setToolTip(
      tr("Arithmetic precision of the convolutions and matrix products "
         "(bf16 falls back to fp32 where the CPU lacks it)"));
  ref_label_->setText(tr(" Reference: "));
  eval_label_->setText(tr(" Evaluated: "));
  updateRecentMenu();
  updateBadge();
}

void MainWindow::updateUndoTexts() {
  const QString u = undo_->undoText(), r = undo_->redoText();
  undo_act_->setText(u.isEmpty() ? tr("&Undo edit") : tr("&Undo edit: %1").arg(u));
  redo_act_->setText(r.isEmpty() ? tr("&Redo edit") : tr("&Redo edit: %1").arg(r));
}

void MainWindow::changeEvent(QEvent* e) {
  if (e->type() == QEvent::LanguageChange) retranslate();
  QMainWindow::changeEvent(e);
}

void MainWindow::updateTitle() {
  const QString name = model_->hasCase() ? model_->displayName() : tr("no case");
  setWindowTitle(tr("dotakv studio — %1").arg(name));
}

void MainWindow::showError(const QString& title, const QString& message) {
  // The status bar keeps the last error (a permanent widget) until the next successful open.
  // Elided so that the timing badge keeps its room; the tooltip and lastError() hold it all.
  statusBar()->clearMessage();
  error_text_ = QStringLiteral("⚠ %1: %2").arg(title, message);
  static_cast<ElidedLabel*>(error_label_)->setFullText(error_text_);
  error_label_->setVisible(true);
  if (error_sink_) error_sink_(title, message);
}

QString MainWindow::lastError() const {
  return error_label_->isVisibleTo(this) ? error_text_ : QString();
}

bool MainWindow::openFile(const QString& path, int dota_sample) {
  const std::string p = path.toStdString();
  Case c;
  QString name = QFileInfo(path).fileName();
  try {
    try {
      c = load_case(p);
    } catch (const FormatError& case_error) {
      // Not a case file: maybe a training dataset (dotakv layout or DoTA's geometry/doseK/energyK).
      physics::DatasetInfo info;
      try {
        info = physics::dataset_info(p);
      } catch (const Error&) {
        throw case_error;
      }
      if (info.n <= 0) throw case_error;
      int index = dota_sample;
      if (index < 0) {
        bool ok = false;
        index = QInputDialog::getInt(this, tr("DoTA file"), tr("Sample (0–%1):").arg(info.n - 1), 0,
                                     0, info.n - 1, 1, &ok);
        if (!ok) return false;
      }
      if (index >= info.n)
        throw ValueError(p + ": sample " + std::to_string(index) + " requested, the file holds " +
                         std::to_string(info.n));
      c = physics::read_dataset_sample(p, index);
      name = tr("%1, sample %2").arg(name).arg(index);
    }
  } catch (const std::exception& e) {
    showError(tr("Could not open %1").arg(QFileInfo(path).fileName()),
              QString::fromStdString(e.what()));
    return false;
  }
  setCase(std::move(c), path, name);
  addRecent(path);
  error_label_->setVisible(false);
  if (gridNote().isEmpty()) statusBar()->showMessage(tr("Opened %1").arg(name), 5000);
  return true;
}

void MainWindow::setCase(Case c, const QString& path, const QString& name) {
  engine_->cancel();
  engine_->clearReport();  // timings belong to the previous case
  model_->setCase(std::move(c), path, name);
  undo_->clear();
  model_->setEditNumber(0);
  recompute_->setEnabled(engine_->acceptsGrid(model_->ct()));
  const QString note = gridNote();
  if (!note.isEmpty()) statusBar()->showMessage(note);
  updateBadge();
  if (engine_->acceptsGrid(model_->ct()) && !model_->dose(QStringLiteral("model"))) recompute();
}

QString MainWindow::gridNote() const {
  if (!model_->hasCase() || !engine_->hasModel() || engine_->acceptsGrid(model_->ct())) return {};
  const Volume& v = model_->ct();
  const auto g = engine_->modelGrid();
  return tr("This case's grid %1×%2×%3 differs from the model's %4×%5×%6: the model dose cannot "
            "be computed. Viewing, CT edits, Monte Carlo, pencil beam and comparisons work.")
      .arg(v.slices)
      .arg(v.rows)
      .arg(v.cols)
      .arg(g[0])
      .arg(g[1])
      .arg(g[2]);
}

void MainWindow::openDemo() {
  const QDir dir(QStringLiteral(DOTAKV_RESOURCES_DIR "/demo"));
  for (const QString& f : dir.entryList({QStringLiteral("*.h5")}, QDir::Files, QDir::Name)) {
    if (openFile(dir.filePath(f), 0)) return;
  }
  // No bundled case: generate one in memory (phantom with lateral heterogeneities + PBA dose).
  try {
    setCase(generated_demo_case(), QString(), tr("generated demo phantom"));
  } catch (const std::exception& e) {
    showError(tr("Could not create the demo case"), QString::fromStdString(e.what()));
  }
}

bool MainWindow::exportCaseReport(const QString& path) {
  // The report reads a case file: write the current (possibly edited) case to a temporary one.
  QTemporaryDir tmp;
  try {
    if (!tmp.isValid()) throw dotakv::IoError(tmp.path().toStdString() + ": no temporary folder");
    const std::string case_path = tmp.filePath(QStringLiteral("case.h5")).toStdString();
    save_case(model_->data(), case_path);
    dotakv::bench::Report r = dotakv::bench::make_report(tr("dotakv case report").toStdString());
    r.sections = dotakv::bench::case_sections(case_path, caseReportOptions());
    if (path.endsWith(QLatin1String(".html"), Qt::CaseInsensitive)) {
      dotakv::write_text_atomically(path.toStdString(), dotakv::bench::render_html(r));
    } else {
      write_report_pdf(r, path);
    }
  } catch (const std::exception& e) {
    showError(tr("Could not export %1").arg(QFileInfo(path).fileName()),
              QString::fromStdString(e.what()));
    return false;
  }
  statusBar()->showMessage(tr("Report written to %1").arg(path), 5000);
  return true;
}

dotakv::bench::CaseReportOptions MainWindow::caseReportOptions() const {
  const GammaSettings g = compare_->currentGammaSettings();
  dotakv::bench::CaseReportOptions o;
  o.gamma_criteria = QStringLiteral("%1%/%2mm").arg(g.dose_pct).arg(g.dist_mm).toStdString();
  o.threshold_percent = g.threshold_pct;
  o.local = g.local;
  o.case_name = model_->displayName().toStdString();
  return o;
}

bool MainWindow::saveAs(const QString& path) {
  try {
    save_case(model_->data(), path.toStdString());
  } catch (const std::exception& e) {
    showError(tr("Could not save %1").arg(QFileInfo(path).fileName()),
              QString::fromStdString(e.what()));
    return false;
  }
  model_->setModified(false);
  addRecent(path);
  statusBar()->showMessage(tr("Saved %1").arg(path), 5000);
  return true;
}

void MainWindow::pushEngineSettings(const InferenceSettings& s) {
  engine_->setSettings(s);
  {
    QSignalBlocker b1(cache_group_), b2(streaming_), b3(precision_), b4(compute_);
    cache_off_->setChecked(s.cache == CacheMode::Off);
    cache_on_->setChecked(s.cache == CacheMode::On);
    cache_auto_->setChecked(s.cache == CacheMode::Auto);
    streaming_->setChecked(s.streaming);
    precision_->setCurrentIndex(int(s.kv));
    compute_->setCurrentIndex(int(s.compute));
  }
  recompute();
}

void MainWindow::setCacheMode(CacheMode m) {
  auto s = engine_->settings();
  s.cache = m;
  pushEngineSettings(s);
}

void MainWindow::setStreaming(bool on) {
  auto s = engine_->settings();
  s.streaming = on;
  pushEngineSettings(s);
}

void MainWindow::setKvPrecision(KvPrecision p) {
  auto s = engine_->settings();
  s.kv = p;
  pushEngineSettings(s);
}

void MainWindow::setComputePrecision(ComputePrecision p) {
  auto s = engine_->settings();
  s.compute = p;
  pushEngineSettings(s);
}

void MainWindow::recompute() {
  if (!model_->hasCase()) return;
  if (!engine_->acceptsGrid(model_->ct())) {
    statusBar()->showMessage(gridNote());
    return;
  }
  engine_->recompute(model_->ct(), model_->energy());
}

void MainWindow::onEngineFinished(const Volume& dose, const InferenceReport& r) {
  nlohmann::json attrs = {{"engine", "dotakv"},
                          {"model", model_note_.toStdString()},
                          {"mode", r.mode.toStdString()},
                          {"cache", r.cache_used},
                          {"kv_precision", to_string(r.settings.kv)},
                          {"precision", r.precision.toStdString()},
                          {"latency_s", r.latency_s}};
  const bool had = model_->dose(QStringLiteral("model"));
  if (!dose.same_grid(model_->ct())) return;  // a result for a case replaced meanwhile
  model_->setDose(QStringLiteral("model"), Dose{dose, attrs}, std::nullopt, r.ct_fingerprint);
  // Show the model dose unless it comes from untrained random weights (then it stays selectable).
  if ((!had && !engine_->randomWeights()) || model_->evaluatedName() == model_->referenceName())
    model_->setEvaluated(QStringLiteral("model"));
  updateBadge();
  statusBar()->showMessage(tr("Model dose computed in %1").arg(fmt_seconds(r.latency_s)), 5000);
}

void MainWindow::updateBadge() {
  const QString grid = gridNote();
  if (!grid.isEmpty()) {
    const Volume& v = model_->ct();
    const auto g = engine_->modelGrid();
    badge_->setText(tr("model: needs a %1×%2×%3 grid, this case is %4×%5×%6 — MC, PBA, viewing "
                       "and comparison work")
                        .arg(g[0])
                        .arg(g[1])
                        .arg(g[2])
                        .arg(v.slices)
                        .arg(v.rows)
                        .arg(v.cols));
    badge_->setToolTip(grid);
    return;
  }
  const auto& r = engine_->lastReport();
  if (!r) {
    badge_->setText(tr("model: %1").arg(model_note_.toHtmlEscaped()));
    badge_->setToolTip(tr("Model: %1").arg(model_note_));
    return;
  }
  QStringList parts;
  QString cache = cacheModeName(r->settings.cache);
  if (r->settings.cache == CacheMode::Auto) cache += r->cache_used ? tr("→on") : tr("→off");
  parts << tr("cache %1").arg(cache) << r->mode;
  if (r->settings.kv != KvPrecision::fp32)
    parts << tr("KV %1").arg(QString::fromStdString(to_string(r->settings.kv)));
  if (!r->precision.isEmpty() && r->precision != QLatin1String("fp32"))
    parts << tr("compute %1").arg(r->precision);
  if (r->this_stats)
    parts << tr("<b>median %1</b> (IQR %2, n = %3)")
                 .arg(fmt_seconds(r->this_stats->median),
                      fmt_range(r->this_stats->q1, r->this_stats->q3))
                 .arg(r->this_stats->n);
  else
    parts << tr("<b>%1</b> (one run)").arg(fmt_seconds(r->latency_s));
  if (r->prefix) {
    parts << tr("%1 tokens reused, %2 computed").arg(r->tokens_reused).arg(r->tokens_computed);
    if (!r->cache_used)
      parts << tr("cache off: nothing reused");
    else if (!r->full_recompute_s)
      parts << tr("full recompute …");
  }
  if (const auto& sp = r->speedup_estimate) {
    const QString ratio = QStringLiteral("×%1 [%2–%3]")
                              .arg(sp->point, 0, 'f', 2)
                              .arg(sp->ci.lo, 0, 'f', 2)
                              .arg(sp->ci.hi, 0, 'f', 2);
    parts << (r->prefix && r->full_recompute_s
                  ? tr("%1 vs full %2").arg(ratio, fmt_seconds(*r->full_recompute_s))
                  : tr("%1 vs %2").arg(ratio, r->other_label));
  }
  if (r->max_diff_vs_full)
    parts << tr("Δ vs full %1 (%2 %)")
                 .arg(*r->max_diff_vs_full, 0, 'g', 3)
                 .arg(r->dose_max > 0 ? *r->max_diff_vs_full / r->dose_max * 100 : 0.0, 0, 'g', 3);
  parts << tr("KV %1").arg(fmt_bytes(double(r->cache_bytes)));
  badge_->setText(parts.join(QStringLiteral(" · ")));
  QString tip = r->auto_reason.isEmpty() ? tr("Model: %1").arg(model_note_)
                                         : tr("Auto: %1").arg(r->auto_reason);
  if (r->this_stats && r->other_stats && r->speedup_estimate)
    tip += QStringLiteral("\n") +
           tr("Timing on a second session, %1 warm-up and %2 interleaved runs per setting: this "
              "setting median %3 (min %4, max %5), %6 median %7 (min %8, max %9). Speed-up = "
              "ratio of medians with its %10 % bootstrap interval. The first figure before the "
              "timing finishes is one run.")
               .arg(kTimingWarmup)
               .arg(kTimingRuns)
               .arg(fmt_seconds(r->this_stats->median), fmt_seconds(r->this_stats->min),
                    fmt_seconds(r->this_stats->max), r->other_label,
                    fmt_seconds(r->other_stats->median), fmt_seconds(r->other_stats->min),
                    fmt_seconds(r->other_stats->max))
               .arg(r->speedup_estimate->level * 100, 0, 'f', 0);
  badge_->setToolTip(tip);
}

void MainWindow::refreshDoseCombos() {
  fill_dose_combo(ref_combo_, model_, model_->referenceName());
  fill_dose_combo(eval_combo_, model_, model_->evaluatedName());
}

bool MainWindow::waitIdle(int timeout_ms) {
  QElapsedTimer t;
  t.start();
  bool ok = engine_->waitIdle(timeout_ms);
  while ((compare_->gammaRunning() || reference_->running() || digits_->busy()) &&
         t.elapsed() < timeout_ms) {
    QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    QThread::msleep(5);
  }
  QCoreApplication::processEvents();
  return ok && !compare_->gammaRunning() && !reference_->running() && !digits_->busy();
}

void MainWindow::onTabChanged(int index) {
  // The Digits workspace has nothing to do with the dose case: give it the whole width.
  const bool digits = tabs_->widget(index) == digits_;
  if (digits && !dose_ui_hidden_) {
    edit_was_visible_ = !edit_dock_->isHidden();
    ref_was_visible_ = !ref_dock_->isHidden();
    engine_bar_was_visible_ = !engine_bar_->isHidden();
    case_bar_was_visible_ = !case_bar_->isHidden();
    edit_dock_->hide();
    ref_dock_->hide();
    engine_bar_->hide();
    case_bar_->hide();
    badge_->hide();
    dose_ui_hidden_ = true;
  } else if (!digits && dose_ui_hidden_) {
    restoreDoseUi();
  }
}

void MainWindow::restoreDoseUi() {
  edit_dock_->setVisible(edit_was_visible_);
  ref_dock_->setVisible(ref_was_visible_);
  engine_bar_->setVisible(engine_bar_was_visible_);
  case_bar_->setVisible(case_bar_was_visible_);
  badge_->show();
  dose_ui_hidden_ = false;
}

void MainWindow::setDarkPalette(bool dark) {
  dark_ = dark;
  {
    QSignalBlocker b(dark_act_);
    dark_act_->setChecked(dark);
  }
  qApp->setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
  for (QWidget* panel : {static_cast<QWidget*>(projections_), static_cast<QWidget*>(compare_)})
    for (auto* v : panel->findChildren<QChartView*>())
      v->chart()->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
  projections_->retranslate();  // re-plots with the project's series colours
  if (!dark) {
    qApp->setPalette(qApp->style()->standardPalette());
    return;
  }
  QPalette p;
  p.setColor(QPalette::Window, QColor(45, 47, 52));
  p.setColor(QPalette::WindowText, QColor(225, 225, 225));
  p.setColor(QPalette::Base, QColor(30, 31, 35));
  p.setColor(QPalette::AlternateBase, QColor(45, 47, 52));
  p.setColor(QPalette::ToolTipBase, QColor(60, 62, 68));
  p.setColor(QPalette::ToolTipText, QColor(230, 230, 230));
  p.setColor(QPalette::Text, QColor(225, 225, 225));
  p.setColor(QPalette::Button, QColor(55, 57, 63));
  p.setColor(QPalette::ButtonText, QColor(225, 225, 225));
  p.setColor(QPalette::Highlight, QColor(58, 123, 213));
  p.setColor(QPalette::HighlightedText, Qt::white);
  p.setColor(QPalette::Link, QColor(100, 160, 240));
  p.setColor(QPalette::Disabled, QPalette::Text, QColor(120, 120, 120));
  p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(120, 120, 120));
  p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(120, 120, 120));
  qApp->setPalette(p);
}

bool MainWindow::switchLanguage(const QString& code) {
  if (translator_) {
    qApp->removeTranslator(translator_.get());
    translator_.reset();
  }
  if (qt_translator_) {
    qApp->removeTranslator(qt_translator_.get());
    qt_translator_.reset();
  }
  bool ok = true;
  if (code != QLatin1String("en")) {
    auto t = std::make_unique<QTranslator>();
    ok = t->load(QStringLiteral(":/i18n/dotakv_%1.qm").arg(code));
    if (ok) {
      qApp->installTranslator(t.get());
      translator_ = std::move(t);
    }
    auto q = std::make_unique<QTranslator>();
    if (q->load(QStringLiteral("qtbase_%1").arg(code),
                QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
      qApp->installTranslator(q.get());
      qt_translator_ = std::move(q);
    }
  }
  lang_ = ok ? code : QStringLiteral("en");
  for (auto* a : lang_group_->actions()) a->setChecked(a->data().toString() == lang_);
  if (code == QLatin1String("en")) {
    // Removing translators sends LanguageChange too, but make sure en retranslates once.
    QEvent ev(QEvent::LanguageChange);
    QCoreApplication::sendEvent(this, &ev);
  }
  return ok;
}

QStringList MainWindow::recentFiles() const {
  return QSettings().value(QStringLiteral("recentFiles")).toStringList();
}

void MainWindow::addRecent(const QString& path) {
  QStringList l = recentFiles();
  const QString abs = QFileInfo(path).absoluteFilePath();
  l.removeAll(abs);
  l.prepend(abs);
  while (l.size() > kMaxRecent) l.removeLast();
  QSettings().setValue(QStringLiteral("recentFiles"), l);
  updateRecentMenu();
}

void MainWindow::updateRecentMenu() {
  recent_menu_->clear();
  const QStringList l = recentFiles();
  for (int i = 0; i < l.size(); ++i) {
    auto* a = recent_menu_->addAction(
        QStringLiteral("&%1 %2").arg(i + 1).arg(QFileInfo(l[i]).fileName()));
    a->setToolTip(l[i]);
    connect(a, &QAction::triggered, this, [this, p = l[i]] { openFile(p); });
  }
  if (l.isEmpty()) recent_menu_->addAction(tr("(none)"))->setEnabled(false);
}

void MainWindow::readSettings() {
  QSettings s;
  if (s.contains(QStringLiteral("geometry")))
    restoreGeometry(s.value(QStringLiteral("geometry")).toByteArray());
  else
    resize(1400, 900);
  restoreState(s.value(QStringLiteral("windowState")).toByteArray());
  setDarkPalette(s.value(QStringLiteral("darkPalette"), false).toBool());
  InferenceSettings is;
  is.cache = CacheMode(
      std::clamp(s.value(QStringLiteral("engine/cache"), int(CacheMode::On)).toInt(), 0, 2));
  is.streaming = s.value(QStringLiteral("engine/streaming"), false).toBool();
  is.kv = KvPrecision(std::clamp(s.value(QStringLiteral("engine/kvPrecision"), 0).toInt(), 0, 2));
  is.compute = ComputePrecision(
      std::clamp(s.value(QStringLiteral("engine/computePrecision"), 0).toInt(), 0, 1));
  engine_->setSettings(is);
  {
    QSignalBlocker b1(cache_group_), b2(streaming_), b3(precision_), b4(compute_);
    compute_->setCurrentIndex(int(is.compute));
    cache_off_->setChecked(is.cache == CacheMode::Off);
    cache_on_->setChecked(is.cache == CacheMode::On);
    cache_auto_->setChecked(is.cache == CacheMode::Auto);
    streaming_->setChecked(is.streaming);
    precision_->setCurrentIndex(int(is.kv));
  }
  DisplaySettings d = model_->display();
  d.window = s.value(QStringLiteral("display/window"), d.window).toDouble();
  d.level = s.value(QStringLiteral("display/level"), d.level).toDouble();
  d.opacity = s.value(QStringLiteral("display/opacity"), d.opacity).toDouble();
  d.unit = DoseUnit(
      std::clamp(s.value(QStringLiteral("display/unit"), int(DoseUnit::Percent)).toInt(), 0, 2));
  d.protons = std::max(1.0, s.value(QStringLiteral("display/protons"), d.protons).toDouble());
  model_->setDisplay(d);
  tabs_->setCurrentIndex(
      std::clamp(s.value(QStringLiteral("tab"), 0).toInt(), 0, tabs_->count() - 1));
  const QString lang = s.value(QStringLiteral("language"), QStringLiteral("en")).toString();
  if (lang != QLatin1String("en")) switchLanguage(lang);
}

void MainWindow::writeSettings() {
  QSettings s;
  if (dose_ui_hidden_) restoreDoseUi();  // save the dose layout, not the Digits one
  s.setValue(QStringLiteral("geometry"), saveGeometry());
  s.setValue(QStringLiteral("windowState"), saveState());
  s.setValue(QStringLiteral("darkPalette"), dark_);
  s.setValue(QStringLiteral("language"), lang_);
  const auto& is = engine_->settings();
  s.setValue(QStringLiteral("engine/cache"), int(is.cache));
  s.setValue(QStringLiteral("engine/streaming"), is.streaming);
  s.setValue(QStringLiteral("engine/kvPrecision"), int(is.kv));
  s.setValue(QStringLiteral("engine/computePrecision"), int(is.compute));
  s.setValue(QStringLiteral("display/protons"), model_->display().protons);
  const auto& d = model_->display();
  s.setValue(QStringLiteral("display/window"), d.window);
  s.setValue(QStringLiteral("display/level"), d.level);
  s.setValue(QStringLiteral("display/opacity"), d.opacity);
  s.setValue(QStringLiteral("display/unit"), int(d.unit));
  s.setValue(QStringLiteral("tab"), tabs_->currentIndex());
}

void MainWindow::closeEvent(QCloseEvent* e) {
  writeSettings();
  digits_->cancel();
  engine_->cancel();
  reference_->cancel();
  e->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* e) {
  if (!e->mimeData()->hasUrls()) return;
  for (const auto& u : e->mimeData()->urls())
    if (u.isLocalFile()) {
      e->acceptProposedAction();
      return;
    }
}

void MainWindow::dropEvent(QDropEvent* e) {
  for (const auto& u : e->mimeData()->urls())
    if (u.isLocalFile()) {
      openFile(u.toLocalFile());
      break;
    }
}

}  // namespace dotakv::gui
