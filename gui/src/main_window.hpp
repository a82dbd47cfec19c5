// The studio's main window: tabs (slices, projections, compare, 3-D, benchmark, digits — the
// Digits workspace hides the dose docks, toolbars and timing badge while it is shown), docks (CT
// edit, reference dose), the dose-engine toolbar (KV cache Off/On/Auto, streaming, KV precision,
// recompute/cancel, timing badge), menus (file with recent files, view with light/dark palettes,
// language), status bar with progress, the timing badge and the last error. Errors go through an
// injectable sink (default: a window-modal, non-blocking QMessageBox "errorDialog" carrying core's
// message, posted to the event loop so an error before show() appears over the window); the
// status bar keeps the last error until the next successful open. A failed open leaves the
// current case intact. A case whose grid the model cannot run says so (gridNote) in the status
// bar and the badge, and drops the previous case's timings.
#pragma once
#include <QActionGroup>
#include <QComboBox>
#include <QLabel>
#include <QMainWindow>
#include <QProgressBar>
#include <QTabWidget>
#include <QTranslator>
#include <QUndoStack>
#include <functional>
#include <memory>

#include "case_model.hpp"
#include "dotakv/bench_report.hpp"
#include "inference_controller.hpp"

class QDockWidget;
class QMenu;
class QToolBar;

namespace dotakv::gui {

class SlicesPanel;
class ProjectionsPanel;
class ComparePanel;
class View3DPanel;
class EditPanel;
class ReferencePanel;
class DigitsPanel;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  enum Tab { SlicesTab = 0, ProjectionsTab, CompareTab, View3DTab, BenchTab, DigitsTab };
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  CaseModel* caseModel() const { return model_; }
  InferenceController* engine() const { return engine_; }
  QUndoStack* undoStack() const { return undo_; }
  SlicesPanel* slicesPanel() const { return slices_; }
  ProjectionsPanel* projectionsPanel() const { return projections_; }
  ComparePanel* comparePanel() const { return compare_; }
  View3DPanel* view3dPanel() const { return view3d_; }
  EditPanel* editPanel() const { return edit_; }
  QLabel* timingBadge() const { return badge_; }
  ReferencePanel* referencePanel() const { return reference_; }
  DigitsPanel* digitsPanel() const { return digits_; }
  // The error the status bar keeps ("⚠ title: message"); empty when none.
  QString lastError() const;
  // Why the model cannot run on the current case's grid (empty when it can).
  QString gridNote() const;
  QTabWidget* tabs() const { return tabs_; }
  bool hasBenchTab() const { return bench_ != nullptr; }

  // Error sink: (title, message). Default shows a non-modal QMessageBox.
  using ErrorSink = std::function<void(const QString&, const QString&)>;
  void setErrorSink(ErrorSink sink) { error_sink_ = std::move(sink); }
  const ErrorSink& errorSink() const { return error_sink_; }
  void showError(const QString& title, const QString& message);
  // Writes a case report (PDF or HTML by extension) of the current case. Returns success.
  bool exportCaseReport(const QString& path);
  // The report's case options: the Compare tab's γ settings and the case's display name.
  dotakv::bench::CaseReportOptions caseReportOptions() const;

  // Opens a case file (HDF5 case or DoTA layout; DoTA files ask for the sample unless given).
  // Returns false (and reports the error) on failure; the current case is then unchanged.
  bool openFile(const QString& path, int dota_sample = -1);
  // Bundled demo: first *.h5 in DOTAKV_RESOURCES_DIR/demo, else a generated phantom.
  void openDemo();
  void setCase(Case c, const QString& path, const QString& name);
  bool saveAs(const QString& path);

  // KV cache controls (also driven by the toolbar). Each change recomputes the model dose.
  void setCacheMode(CacheMode m);
  void setStreaming(bool on);
  void setKvPrecision(KvPrecision p);
  void setComputePrecision(ComputePrecision p);
  void recompute();
  // Blocks (processing events) until the engine, gamma and reference workers are idle.
  bool waitIdle(int timeout_ms = 60000);

  void setDarkPalette(bool dark);
  bool darkPalette() const { return dark_; }
  // "en", "de", "fr", "nl". Returns false if the translation is unavailable.
  bool switchLanguage(const QString& code);
  QString language() const { return lang_; }
  QStringList recentFiles() const;

 protected:
  void changeEvent(QEvent* e) override;
  void closeEvent(QCloseEvent* e) override;
  void dragEnterEvent(QDragEnterEvent* e) override;
  void dropEvent(QDropEvent* e) override;

 private:
  void buildActions();
  void buildMenus();
  void buildToolbars();
  void updateUndoTexts();
  void retranslate();
  void updateBadge();
  void updateTitle();
  void updateRecentMenu();
  void addRecent(const QString& path);
  void refreshDoseCombos();
  void onEngineFinished(const Volume& dose, const InferenceReport& r);
  void readSettings();
  void writeSettings();
  void pushEngineSettings(const InferenceSettings& s);
  void onTabChanged(int index);
  void restoreDoseUi();

  CaseModel* model_;
  InferenceController* engine_;
  QUndoStack* undo_;
  QTabWidget* tabs_;
  SlicesPanel* slices_;
  ProjectionsPanel* projections_;
  ComparePanel* compare_;
  View3DPanel* view3d_;
  QWidget* bench_ = nullptr;
  DigitsPanel* digits_ = nullptr;
  // Dose docks/toolbar hidden while the Digits tab shows (their visibility before).
  bool dose_ui_hidden_ = false, edit_was_visible_ = true, ref_was_visible_ = true,
       engine_bar_was_visible_ = true, case_bar_was_visible_ = true;
  EditPanel* edit_;
  ReferencePanel* reference_;
  QDockWidget *edit_dock_, *ref_dock_;
  QMenu *file_menu_, *recent_menu_, *demo_menu_, *edit_menu_, *view_menu_, *lang_menu_, *help_menu_;
  QToolBar *case_bar_, *engine_bar_;
  QAction *open_, *open_demo_, *save_as_, *export_report_, *screenshot_, *quit_, *undo_act_,
      *redo_act_, *dark_act_, *recompute_, *cancel_, *streaming_, *about_, *cache_off_, *cache_on_,
      *cache_auto_;
  QActionGroup *cache_group_, *lang_group_;
  QLabel *cache_label_, *prec_label_, *compute_label_, *ref_label_, *eval_label_, *badge_,
      *error_label_;
  QComboBox *precision_, *compute_, *ref_combo_, *eval_combo_;
  QProgressBar* progress_;
  ErrorSink error_sink_;
  std::unique_ptr<QTranslator> translator_, qt_translator_;
  QString lang_ = QStringLiteral("en");
  bool dark_ = false;
  bool engine_running_ = false;
  QString model_note_;
  QString error_text_;  // the whole last error (the label shows it elided)
};

}  // namespace dotakv::gui
