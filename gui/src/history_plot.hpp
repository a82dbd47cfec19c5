// Training-history plot: reads the history.csv a training run writes (trainer.hpp, header
// `epoch,step,lr,train_loss,val_loss_full,val_loss_stream,max_mode_diff,seconds,samples_per_s`)
// and draws it with QPainter on a QImage, saved as PNG by `dotakv-report --history ... --png ...`
// (the CLI is Qt-free).
//
// CSV: the first non-empty line is the header; columns are found by name (order free, extra
// columns ignored); epoch, lr, train_loss, val_loss_full and val_loss_stream are required, the
// other known columns are optional (0 when absent). Every row needs as many fields as the header.
// Values are C-locale numbers; "nan"/"inf" are accepted and drawn as gaps. A missing file is an
// IoError, a missing column, wrong field count, non-numeric value or a file without data rows a
// FormatError whose message starts with "<file>:" or "<file>:<line>:".
//
// Plot (default 1000 x 600, white): title and a summary line (epochs, best full-mode validation
// loss and its epoch, largest |full - stream| difference); upper panel: loss on a log y axis
// (decade labels 10^k, minor grid at 2..9), series train_loss (solid), val_loss_full (solid) and
// val_loss_stream (dashed, drawn on top so agreement with full shows as a dashed line over the
// solid one), best epoch marked, legend; lower panel: learning rate on its own log axis;
// shared x axis = epoch. Non-positive or non-finite values are skipped (log scale).
// Strings are translated in context "HistoryPlot".
// Threading: any thread with a QGuiApplication (fonts); no widgets.
#pragma once
#include <QImage>
#include <QSize>
#include <QString>
#include <QtGui/QRgb>
#include <vector>

#include "dotakv/train/trainer.hpp"

namespace dotakv::gui {

// Series colours (the test looks for them in the image).
inline constexpr QRgb kHistoryTrainColour = 0xff1f77b4;    // blue
inline constexpr QRgb kHistoryValFullColour = 0xffe3731c;  // orange
inline constexpr QRgb kHistoryStreamColour = 0xff2a9d3c;   // green
inline constexpr QRgb kHistoryLrColour = 0xff7b4fb0;       // purple

struct HistoryPlotOptions {
  QSize size{1000, 600};
  QString title;     // empty: "Training history"
  QString subtitle;  // empty: summary line built from the data
};

// Parses CSV text; `source` names the file in error messages.
std::vector<dotakv::train::EpochRecord> parse_history_csv(const QString& text,
                                                          const QString& source);
// Reads and parses a file (IoError if unreadable).
std::vector<dotakv::train::EpochRecord> read_history_csv(const QString& path);

// Draws the plot. `history` must not be empty (ValueError).
QImage render_history_plot(const std::vector<dotakv::train::EpochRecord>& history,
                           const HistoryPlotOptions& o = {});

// read_history_csv + render_history_plot + atomic PNG write (IoError if saving fails).
void write_history_png(const QString& csv_path, const QString& png_path,
                       const HistoryPlotOptions& o = {});

}  // namespace dotakv::gui
