// The studio's Digits workspace (issue #16), a tab beside the dose views: an encoder-decoder
// model reads a handwritten digit string one token at a time with a KV cache.
//   left column   model file (default DOTAKV_RESOURCES_DIR/models/dotakv-digits.h5; the status
//                 says when it is missing and "Model…" picks another), input tools (brush size,
//                 canvas width, undo stroke, clear, Open PNG…, Random test string from the MNIST
//                 test split), decoding (cache Off/Self/Full/Auto, beam width 1..8, KV storage
//                 fp32/fp16/int8, Read, Cancel, progress);
//   right         the canvas (DigitsCanvas), the tokens as they arrive with their latency
//                 (DigitsTokenStrip; hovering one shows its cross-attention over the image), the
//                 text read, the stats line (mode that ran, encoder, first token, per-token median
//                 with IQR, cache KiB), the beam hypotheses, and the read time vs length chart
//                 (a `dotakv bench --family digits --json` file, or "Measure": an in-process sweep
//                 with medians and IQR bars).
// Changing cache mode, beam width or KV storage re-reads the canvas at once (when something was
// read). Settings persist in QSettings under "digits/". Errors (core's message) go out through
// errorOccurred(title, message) — the main window shows them — and the panel keeps its image,
// result and model. Work runs on DigitsController's worker thread.
#pragma once
#include <QWidget>
#include <optional>

#include "digits_controller.hpp"

class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QScrollArea;
class QSpinBox;
class QTableWidget;
class QChartView;
class QFormLayout;

namespace dotakv::gui {

class DigitsCanvas;
class DigitsTokenStrip;

class DigitsPanel : public QWidget {
  Q_OBJECT
 public:
  explicit DigitsPanel(QWidget* parent = nullptr);
  ~DigitsPanel() override;

  // The shipped model's path (may not exist).
  static QString defaultModelPath();

  // Loads a model file; on failure reports the error and keeps the current model.
  bool loadModel(const QString& path);
  // An in-memory model (tests, fallbacks).
  void setModel(std::shared_ptr<const dotakv::digits::DigitsModel> m, const QString& name);
  // Opens a PNG onto the canvas (and reads it); on failure reports and keeps the canvas.
  bool openPng(const QString& path);
  // A random MNIST test string (worker thread), then reads it.
  void randomTestString(quint64 seed = 0);
  // Reads the canvas with the current settings. Returns false if nothing was queued.
  bool read();
  void cancel();
  bool busy() const { return controller_->busy(); }
  bool waitIdle(int timeout_ms = 60000) { return controller_->waitIdle(timeout_ms); }
  // Runs the latency sweep (lengths 5, 10, 20, 30; 5 reads each after a warm-up).
  void measure();
  // Loads a benchmark JSON for the chart; on failure reports and keeps the chart.
  bool loadBenchmark(const QString& path);
  void setLatencyCurve(const DigitsLatencyCurve& c, const QString& source);

  void setCacheMode(dotakv::digits::CacheMode m);
  dotakv::digits::CacheMode cacheMode() const;
  void setBeamWidth(int w);
  int beamWidth() const;
  void setKvPrecision(dotakv::KvPrecision p);
  dotakv::KvPrecision kvPrecision() const;
  void setBrushRadius(double px);
  double brushRadius() const;
  // Shows the attention of token i over the image (-1: none), as hovering does.
  void hoverToken(int i);

  DigitsController* controller() const { return controller_; }
  DigitsCanvas* canvas() const { return canvas_; }
  DigitsTokenStrip* tokenStrip() const { return strip_; }
  // The text read, in large type (read-only; scrolls and copies when long).
  QLineEdit* textLabel() const { return text_; }
  QLabel* statsLabel() const { return stats_; }
  QLabel* modelLabel() const { return model_label_; }
  QLabel* attentionLabel() const { return att_label_; }
  QTableWidget* beamsTable() const { return beams_; }
  QChartView* chartView() const { return chart_view_; }
  const DigitsLatencyCurve& latencyCurve() const { return curve_; }
  const std::optional<DigitsReading>& lastReading() const { return shown_; }
  int readsFinished() const { return reads_finished_; }
  QString modelPath() const { return controller_->modelPath(); }
  void retranslate();

 signals:
  void errorOccurred(const QString& title, const QString& message);
  void statusMessage(const QString& message);

 protected:
  void changeEvent(QEvent* e) override;

 private:
  dotakv::digits::ReadOptions options() const;
  void settingsChanged(bool reread);
  void readSettings();
  void writeSettings() const;
  void showReading(const DigitsReading& r);
  void showStep(int step, const QVector<int>& digits, double seconds);
  void restoreShown();
  void updateModelLabel();
  void updateStats();
  void updateTruth();
  void rebuildChart();
  void setRunning(bool on);
  void onOpenPng();
  void onChooseModel();
  void onLoadBenchmark();
  void onFailed(int kind, const QString& message);

  DigitsController* controller_;
  DigitsCanvas* canvas_;
  DigitsTokenStrip* strip_;
  QScrollArea* strip_area_;
  QLineEdit* text_;
  QLabel *model_label_, *stats_, *truth_, *att_label_, *chart_note_, *brush_label_, *width_label_,
      *cache_label_, *beam_label_, *kv_label_;
  QGroupBox *model_box_, *input_box_, *decode_box_, *beams_box_, *chart_box_;
  QPushButton *model_btn_, *undo_btn_, *clear_btn_, *png_btn_, *random_btn_, *read_btn_,
      *cancel_btn_, *bench_btn_, *measure_btn_;
  QDoubleSpinBox* brush_;
  QSpinBox *width_, *beam_;
  QComboBox *cache_, *kv_;
  QProgressBar* progress_;
  QTableWidget* beams_;
  QChartView* chart_view_;
  std::optional<DigitsReading> shown_;  // the result on display
  QString model_status_;                // why there is no model (empty when loaded)
  QString truth_text_;                  // digits of the test string on the canvas
  DigitsLatencyCurve curve_;
  QString curve_source_;  // "" none, "measure", or the file
  QVector<int> live_tokens_;
  QVector<double> live_latency_;
  int last_request_ = 0;
  int truth_request_ = 0;  // the read of the test string on the canvas (0: none)
  int reads_finished_ = 0;
  bool live_ = false;  // a read is running and its tokens are on display
  quint64 next_seed_ = 0;
};

}  // namespace dotakv::gui
