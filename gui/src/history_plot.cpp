#include "history_plot.hpp"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include "dotakv/atomic_file.hpp"
#include "dotakv/error.hpp"

namespace dotakv::gui {

using dotakv::train::EpochRecord;

namespace {

[[noreturn]] void format_error(const QString& msg) {
  throw FormatError(msg.toStdString());
}

bool parse_number(const QString& field, double* v) {
  const QString f = field.trimmed().toLower();
  if (f == "nan" || f == "-nan" || f == "+nan") {
    *v = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  if (f == "inf" || f == "+inf" || f == "-inf") {
    *v = f.startsWith('-') ? -HUGE_VAL : HUGE_VAL;
    return true;
  }
  bool ok = false;
  *v = QLocale::c().toDouble(f, &ok);
  return ok && !f.isEmpty();
}

// ---- formatting of powers of ten ----
QString superscript(int k) {
  static const char16_t digits[] = u"\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079";
  QString s = k < 0 ? QString(QChar(u'\u207b')) : QString();
  for (QChar c : QString::number(std::abs(k))) s += QChar(digits[c.digitValue()]);
  return s;
}

// m x 10^k with m an integer 1..9 (tick labels).
QString tick_label(int m, int k) {
  if (k >= -1 && k <= 2) return QLocale::c().toString(m * std::pow(10.0, k), 'g', 6);
  const QString p = QStringLiteral("10") + superscript(k);
  return m == 1 ? p : QString::number(m) + QChar(u'\u00d7') + p;
}

// A value as "3.21×10⁻⁴" (3 significant digits).
QString sci(double v) {
  if (!std::isfinite(v)) return QLocale::c().toString(v);
  if (v == 0) return QStringLiteral("0");
  int k = int(std::floor(std::log10(std::abs(v))));
  double m = v / std::pow(10.0, k);
  if (std::abs(m) >= 9.995) m /= 10, ++k;
  if (k >= -1 && k <= 2) return QLocale::c().toString(v, 'g', 3);
  return QLocale::c().toString(m, 'f', 2) + QChar(u'\u00d7') + QStringLiteral("10") +
         superscript(k);
}

bool plottable(double v) {
  return std::isfinite(v) && v > 0;
}

// Log axis: range [lo, hi] in log10 units and which mantissas m (of m x 10^k) carry a label:
// decades only, 1-2-5 or every integer, by the pixels a decade gets.
struct LogRange {
  double lo = -1, hi = 0;
  int labels = 1;  // 1: {1}; 3: {1, 2, 5}; 9: 1..9
  bool labelled(int m) const {
    return labels == 9 || m == 1 || (labels == 3 && (m == 2 || m == 5));
  }
};

// Fits the positive finite values with margins (at least 0.6 decades); with fewer than three
// labelled ticks inside, widens to the nearest labelled ticks so both ends carry a number.
LogRange log_range(const std::vector<double>& v, double height_px) {
  double a = HUGE_VAL, b = -HUGE_VAL;
  for (double x : v)
    if (plottable(x)) a = std::min(a, std::log10(x)), b = std::max(b, std::log10(x));
  if (a > b) a = -3, b = -2;  // nothing to draw: an arbitrary decade
  const double pad = std::max(0.06 * (b - a), 0.04);
  LogRange r{a - pad, b + pad};
  if (r.hi - r.lo < 0.6) {
    const double c = 0.5 * (a + b);
    r = {c - 0.3, c + 0.3};
  }
  const double px_per_decade = height_px / (r.hi - r.lo);
  r.labels = px_per_decade < 70 ? 1 : px_per_decade < 400 ? 3 : 9;
  std::vector<double> ticks;
  for (int k = int(std::floor(r.lo)) - 1; k <= int(std::ceil(r.hi)); ++k)
    for (int m = 1; m <= 9; ++m)
      if (r.labelled(m)) ticks.push_back(k + std::log10(double(m)));
  const auto inside =
      std::count_if(ticks.begin(), ticks.end(), [&](double t) { return t >= r.lo && t <= r.hi; });
  if (inside < 3) {
    double lo = r.lo, hi = r.hi;
    for (double t : ticks) {
      if (t <= r.lo + 1e-9) lo = t;
      if (t >= r.hi - 1e-9 && hi == r.hi) hi = t;
    }
    r.lo = lo - 1e-9;
    r.hi = hi + 1e-9;
  }
  return r;
}

struct Panel {
  QRectF rect;
  double x0 = 0, x1 = 1;  // epoch range
  LogRange y;
  QPointF map(double x, double v) const {
    const double fx = (x - x0) / (x1 - x0), fy = (std::log10(v) - y.lo) / (y.hi - y.lo);
    return {rect.left() + fx * rect.width(), rect.bottom() - fy * rect.height()};
  }
};

// Draws grid lines and labels of a log y axis; labels never overlap (thinned by spacing).
void draw_log_axis(QPainter& p, const Panel& pn, const QFont& font, double s) {
  const double span = pn.y.hi - pn.y.lo;
  p.setFont(font);
  const QFontMetricsF fm(font);
  double last_label_y = HUGE_VAL;
  for (int k = int(std::floor(pn.y.lo)); k <= int(std::ceil(pn.y.hi)); ++k)
    for (int m = 1; m <= 9; ++m) {
      const double lv = k + std::log10(double(m));
      if (lv < pn.y.lo || lv > pn.y.hi) continue;
      const double y = pn.rect.bottom() - (lv - pn.y.lo) / span * pn.rect.height();
      const bool major = m == 1;
      p.setPen(QPen(QColor(major ? 0xd0d0d0 : 0xececec), major ? 1.0 * s : 0.8 * s));
      p.drawLine(QPointF(pn.rect.left(), y), QPointF(pn.rect.right(), y));
      p.setPen(QPen(QColor(0x404040), 1.0 * s));
      p.drawLine(QPointF(pn.rect.left() - (major ? 5 : 3) * s, y), QPointF(pn.rect.left(), y));
      if (!pn.y.labelled(m) || last_label_y - y < fm.height() * 1.1) continue;
      last_label_y = y;
      const QRectF box(0, y - fm.height() / 2, pn.rect.left() - 8 * s, fm.height());
      p.setPen(QColor(0x303030));
      p.drawText(box, Qt::AlignRight | Qt::AlignVCenter, tick_label(m, k));
    }
}

// Integer epoch ticks with a 1-2-5 step, at most ~10.
std::vector<int> epoch_ticks(double x0, double x1) {
  long step = 1;
  for (long d = 1;; d *= 10) {
    for (long m : {1L, 2L, 5L})
      if ((x1 - x0) / double(m * d) <= 10) {
        step = m * d;
        goto found;
      }
  }
found:
  std::vector<int> t;
  for (long e = long(std::ceil(x0 / double(step))) * step; e <= x1; e += step) t.push_back(int(e));
  return t;
}

void draw_x_grid(QPainter& p, const Panel& pn, const std::vector<int>& ticks, double s) {
  for (int e : ticks) {
    const double x = pn.map(e, 1).x();
    p.setPen(QPen(QColor(0xececec), 0.8 * s));
    p.drawLine(QPointF(x, pn.rect.top()), QPointF(x, pn.rect.bottom()));
    p.setPen(QPen(QColor(0x404040), 1.0 * s));
    p.drawLine(QPointF(x, pn.rect.bottom()), QPointF(x, pn.rect.bottom() + 4 * s));
  }
}

void draw_frame(QPainter& p, const Panel& pn, double s) {
  p.setPen(QPen(QColor(0x404040), 1.0 * s));
  p.setBrush(Qt::NoBrush);
  p.drawRect(pn.rect);
}

void draw_rotated(QPainter& p, QPointF centre, const QString& text) {
  p.save();
  p.translate(centre);
  p.rotate(-90);
  p.drawText(QRectF(-200, -20, 400, 40), Qt::AlignCenter, text);
  p.restore();
}

enum class Marker { filled, ring, none };

// A series as a polyline broken at unplottable values, with markers.
void draw_series(QPainter& p, const Panel& pn, const std::vector<EpochRecord>& h,
                 const std::function<double(const EpochRecord&)>& get, QColor col, double width,
                 Qt::PenStyle style, Marker marker, double s) {
  QPainterPath path;
  bool open = false;
  std::vector<QPointF> pts;
  for (const auto& r : h) {
    const double v = get(r);
    if (!plottable(v)) {
      open = false;
      continue;
    }
    const QPointF q = pn.map(r.epoch, v);
    if (open)
      path.lineTo(q);
    else
      path.moveTo(q);
    open = true;
    pts.push_back(q);
  }
  p.save();
  p.setClipRect(pn.rect.adjusted(-6 * s, -6 * s, 6 * s, 6 * s));
  QPen pen(col, width * s, style, Qt::RoundCap, Qt::RoundJoin);
  if (style == Qt::DashLine) pen.setDashPattern({4, 2.5});
  p.setPen(pen);
  p.setBrush(Qt::NoBrush);
  p.drawPath(path);
  if (pts.size() <= 80 && marker != Marker::none) {
    p.setPen(QPen(marker == Marker::ring ? col : QColor(Qt::white), 1.4 * s));
    p.setBrush(marker == Marker::ring ? QBrush(Qt::NoBrush) : QBrush(col));
    const double r = (marker == Marker::ring ? 5.5 : 3.6) * s;
    for (const auto& q : pts) p.drawEllipse(q, r, r);
  }
  p.restore();
}

}  // namespace

std::vector<EpochRecord> parse_history_csv(const QString& text, const QString& source) {
  const QStringList lines = text.split('\n');
  int header_line = -1;
  QStringList header;
  for (int i = 0; i < lines.size() && header_line < 0; ++i)
    if (!lines[i].trimmed().isEmpty()) {
      header_line = i;
      header = lines[i].trimmed().split(',');
    }
  if (header_line < 0)
    format_error(QCoreApplication::translate("HistoryPlot",
                                             "%1: empty file, expected a training history CSV")
                     .arg(source));
  QHash<QString, int> col;
  for (int i = 0; i < header.size(); ++i) {
    const QString name = header[i].trimmed();
    if (col.contains(name))
      format_error(QCoreApplication::translate("HistoryPlot", "%1:%2: duplicate column '%3'")
                       .arg(source)
                       .arg(header_line + 1)
                       .arg(name));
    col.insert(name, i);
  }
  for (const char* req : {"epoch", "lr", "train_loss", "val_loss_full", "val_loss_stream"})
    if (!col.contains(QLatin1String(req)))
      format_error(
          QCoreApplication::translate("HistoryPlot", "%1:%2: missing column '%3' (header: %4)")
              .arg(source)
              .arg(header_line + 1)
              .arg(QLatin1String(req), header.join(',')));

  std::vector<EpochRecord> out;
  for (int i = header_line + 1; i < lines.size(); ++i) {
    const QString line = lines[i].trimmed();
    if (line.isEmpty()) continue;
    const QStringList f = line.split(',');
    if (f.size() != header.size())
      format_error(QCoreApplication::translate(
                       "HistoryPlot", "%1:%2: expected %3 fields as in the header, found %4")
                       .arg(source)
                       .arg(i + 1)
                       .arg(header.size())
                       .arg(f.size()));
    EpochRecord r;
    auto read = [&](const char* name, bool finite) {
      const auto it = col.constFind(QLatin1String(name));
      if (it == col.constEnd()) return 0.0;
      double v = 0;
      if (!parse_number(f[*it], &v) || (finite && !std::isfinite(v)))
        format_error(
            QCoreApplication::translate("HistoryPlot", "%1:%2: column '%3': '%4' is not a number")
                .arg(source)
                .arg(i + 1)
                .arg(QLatin1String(name), f[*it].trimmed()));
      return v;
    };
    r.epoch = int(std::lround(read("epoch", true)));
    r.step = std::llround(read("step", true));
    r.lr = read("lr", false);
    r.train_loss = read("train_loss", false);
    r.val_loss_full = read("val_loss_full", false);
    r.val_loss_stream = read("val_loss_stream", false);
    r.max_mode_diff = read("max_mode_diff", false);
    r.seconds = read("seconds", false);
    r.samples_per_s = read("samples_per_s", false);
    out.push_back(r);
  }
  if (out.empty())
    format_error(QCoreApplication::translate("HistoryPlot", "%1: no epoch rows after the header")
                     .arg(source));
  return out;
}

std::vector<EpochRecord> read_history_csv(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly))
    throw IoError(QCoreApplication::translate("HistoryPlot", "%1: cannot read: %2")
                      .arg(path, f.errorString())
                      .toStdString());
  return parse_history_csv(QString::fromUtf8(f.readAll()), path);
}

QImage render_history_plot(const std::vector<EpochRecord>& h, const HistoryPlotOptions& o) {
  if (h.empty()) throw ValueError("render_history_plot: empty history");
  if (o.size.width() < 200 || o.size.height() < 150)
    throw ValueError("render_history_plot: image size below 200x150");
  const double W = o.size.width(), H = o.size.height();
  const double s = std::min(W / 1000.0, H / 600.0);

  QImage img(o.size, QImage::Format_RGB32);
  img.fill(Qt::white);
  QPainter p(&img);
  p.setRenderHint(QPainter::Antialiasing);
  p.setRenderHint(QPainter::TextAntialiasing);
  auto font = [s](double px, bool bold = false) {
    QFont f(QStringLiteral("DejaVu Sans"));
    f.setStyleHint(QFont::SansSerif);
    f.setPixelSize(std::max(8, int(std::lround(px * s))));
    f.setBold(bold);
    return f;
  };
  const QFont f_title = font(19, true), f_sub = font(12.5), f_axis = font(13), f_tick = font(11.5),
              f_legend = font(12.5);

  // ---- data summary ----
  double x0 = HUGE_VAL, x1 = -HUGE_VAL, max_diff = 0;
  const EpochRecord* best = nullptr;
  std::vector<double> losses, lrs;
  for (const auto& r : h) {
    x0 = std::min(x0, double(r.epoch));
    x1 = std::max(x1, double(r.epoch));
    losses.insert(losses.end(), {r.train_loss, r.val_loss_full, r.val_loss_stream});
    lrs.push_back(r.lr);
    if (std::isfinite(r.max_mode_diff)) max_diff = std::max(max_diff, r.max_mode_diff);
    if (plottable(r.val_loss_full) && (!best || r.val_loss_full < best->val_loss_full)) best = &r;
  }
  if (x1 - x0 < 1) x0 -= 0.5, x1 += 0.5;
  const double xpad = 0.03 * (x1 - x0);
  x0 -= xpad;
  x1 += xpad;

  // ---- layout ----
  const double left = 92 * s, right = W - 24 * s, top = 84 * s, bottom = H - 58 * s;
  const double gap = 16 * s, avail = bottom - top - gap;
  const double loss_h = avail * 0.72, lr_h = avail - loss_h;
  Panel loss{QRectF(left, top, right - left, loss_h), x0, x1, log_range(losses, loss_h)};
  Panel lr{QRectF(left, loss.rect.bottom() + gap, right - left, lr_h), x0, x1,
           log_range(lrs, lr_h)};

  // ---- title ----
  p.setPen(QColor(0x202020));
  p.setFont(f_title);
  p.drawText(
      QRectF(left, 10 * s, right - left, 30 * s), Qt::AlignLeft | Qt::AlignVCenter,
      o.title.isEmpty() ? QCoreApplication::translate("HistoryPlot", "Training history") : o.title);
  QString sub = o.subtitle;
  if (sub.isEmpty()) {
    QStringList parts{
        h.size() == 1 ? QCoreApplication::translate("HistoryPlot", "epoch %1").arg(h.front().epoch)
                      : QCoreApplication::translate("HistoryPlot", "epochs %1\u2013%2")
                            .arg(h.front().epoch)
                            .arg(h.back().epoch)};
    if (best)
      parts << QCoreApplication::translate("HistoryPlot",
                                           "best validation loss (full) %1 at epoch %2")
                   .arg(sci(best->val_loss_full))
                   .arg(best->epoch);
    parts << QCoreApplication::translate("HistoryPlot", "max |full \u2212 stream| %1")
                 .arg(sci(max_diff));
    if (h.back().samples_per_s > 0)
      parts << QCoreApplication::translate("HistoryPlot", "%1 samples/s")
                   .arg(QLocale::c().toString(h.back().samples_per_s, 'f', 1));
    sub = parts.join(QStringLiteral("  \u00b7  "));
  }
  p.setPen(QColor(0x606060));
  p.setFont(f_sub);
  p.drawText(QRectF(left, 40 * s, right - left, 22 * s), Qt::AlignLeft | Qt::AlignVCenter, sub);

  // ---- axes and grids ----
  const auto ticks = epoch_ticks(x0, x1);
  for (const Panel* pn : {&loss, &lr}) {
    draw_x_grid(p, *pn, ticks, s);
    draw_log_axis(p, *pn, f_tick, s);
  }
  p.setFont(f_tick);
  p.setPen(QColor(0x303030));
  for (int e : ticks) {
    const double x = lr.map(e, 1).x();
    p.drawText(QRectF(x - 40 * s, lr.rect.bottom() + 6 * s, 80 * s, 18 * s), Qt::AlignCenter,
               QString::number(e));
  }
  p.setFont(f_axis);
  p.setPen(QColor(0x202020));
  p.drawText(QRectF(left, H - 28 * s, right - left, 22 * s), Qt::AlignCenter,
             QCoreApplication::translate("HistoryPlot", "epoch"));
  draw_rotated(p, QPointF(18 * s, loss.rect.center().y()),
               QCoreApplication::translate("HistoryPlot", "loss (log scale)"));
  draw_rotated(p, QPointF(18 * s, lr.rect.center().y()),
               QCoreApplication::translate("HistoryPlot", "learning rate"));

  // ---- series ----
  const QColor c_train(kHistoryTrainColour), c_full(kHistoryValFullColour),
      c_stream(kHistoryStreamColour), c_lr(kHistoryLrColour);
  draw_series(
      p, loss, h, [](const EpochRecord& r) { return r.train_loss; }, c_train, 2.2, Qt::SolidLine,
      Marker::filled, s);
  draw_series(
      p, loss, h, [](const EpochRecord& r) { return r.val_loss_full; }, c_full, 2.6, Qt::SolidLine,
      Marker::filled, s);
  draw_series(
      p, loss, h, [](const EpochRecord& r) { return r.val_loss_stream; }, c_stream, 1.8,
      Qt::DashLine, Marker::ring, s);
  draw_series(
      p, lr, h, [](const EpochRecord& r) { return r.lr; }, c_lr, 2.0, Qt::SolidLine, Marker::filled,
      s);
  if (best) {
    const QPointF q = loss.map(best->epoch, best->val_loss_full);
    p.setPen(QPen(QColor(0x202020), 1.2 * s, Qt::DotLine));
    p.drawLine(QPointF(q.x(), loss.rect.top()), QPointF(q.x(), loss.rect.bottom()));
  }
  draw_frame(p, loss, s);
  draw_frame(p, lr, s);

  // ---- legend (top right of the loss panel) ----
  struct Entry {
    QString label;
    QColor colour;
    Qt::PenStyle style;
    Marker marker;
  };
  const std::vector<Entry> entries{
      {QCoreApplication::translate("HistoryPlot", "train"), c_train, Qt::SolidLine, Marker::filled},
      {QCoreApplication::translate("HistoryPlot", "validation, full"), c_full, Qt::SolidLine,
       Marker::filled},
      {QCoreApplication::translate("HistoryPlot", "validation, stream (KV cache)"), c_stream,
       Qt::DashLine, Marker::ring},
      {QCoreApplication::translate("HistoryPlot", "best epoch (full)"), QColor(0x202020),
       Qt::DotLine, Marker::none}};
  const QFontMetricsF fm(f_legend);
  double text_w = 0;
  for (const auto& e : entries) text_w = std::max(text_w, fm.horizontalAdvance(e.label));
  const double row = fm.height() + 6 * s, sample = 34 * s, pad = 9 * s;
  const QRectF box(loss.rect.right() - (text_w + sample + 3 * pad) - 10 * s,
                   loss.rect.top() + 10 * s, text_w + sample + 3 * pad,
                   row * double(entries.size()) + 2 * pad - 6 * s);
  p.setPen(QPen(QColor(0xc8c8c8), 1.0 * s));
  p.setBrush(QColor(255, 255, 255, 235));
  p.drawRoundedRect(box, 4 * s, 4 * s);
  p.setFont(f_legend);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    const double y = box.top() + pad + row * double(i) + fm.height() / 2;
    const QPointF a(box.left() + pad, y), b(box.left() + pad + sample, y);
    QPen pen(e.colour, (e.style == Qt::DotLine ? 1.2 : 2.2) * s, e.style, Qt::RoundCap);
    if (e.style == Qt::DashLine) pen.setDashPattern({4, 2.5});
    p.setPen(pen);
    p.drawLine(a, b);
    if (e.marker != Marker::none) {
      const QPointF c = (a + b) / 2;
      p.setPen(QPen(e.marker == Marker::ring ? e.colour : QColor(Qt::white), 1.4 * s));
      p.setBrush(e.marker == Marker::ring ? QBrush(Qt::NoBrush) : QBrush(e.colour));
      const double r = (e.marker == Marker::ring ? 5.5 : 3.6) * s;
      p.drawEllipse(c, r, r);
    }
    p.setPen(QColor(0x202020));
    p.drawText(QRectF(b.x() + pad, y - fm.height() / 2, text_w + pad, fm.height()),
               Qt::AlignLeft | Qt::AlignVCenter, e.label);
  }
  p.end();
  return img;
}

void write_history_png(const QString& csv_path, const QString& png_path,
                       const HistoryPlotOptions& o) {
  const QImage img = render_history_plot(read_history_csv(csv_path), o);
  dotakv::write_atomically(png_path.toStdString(), [&](const std::string& tmp) {
    if (!img.save(QString::fromStdString(tmp), "PNG"))
      throw IoError(QCoreApplication::translate("HistoryPlot", "%1: cannot write PNG")
                        .arg(png_path)
                        .toStdString());
  });
}

}  // namespace dotakv::gui
