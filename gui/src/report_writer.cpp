#include "report_writer.hpp"

#include <QAbstractTextDocumentLayout>
#include <QFile>
#include <QPageLayout>
#include <QPainter>
#include <QPdfWriter>
#include <QUrl>

#include "charts_bench.hpp"
#include "dotakv/atomic_file.hpp"
#include "dotakv/error.hpp"

namespace dotakv::gui {

namespace {

QString esc(const std::string& s) {
  return QString::fromStdString(s).toHtmlEscaped();
}

constexpr double kHeader = 40, kFooter = 30, kMargin = 48;

// The image scaled to `size` (pixels) with, when it has a unit, a colour bar to its right
// (same colormap, vmin/mid/vmax labels, unit on top), drawn at `scale` device pixels per unit.
QImage with_colorbar(const dotakv::bench::ReportImage& im, QSize size, double scale) {
  const QImage img =
      report_image_to_qimage(im).scaled(size, Qt::IgnoreAspectRatio, Qt::FastTransformation);
  if (im.unit.empty()) return img;  // (a frame shows white CT against the white page)
  const int bar_w = int(90 * scale), h = std::max(size.height(), int(90 * scale));
  QImage out(size.width() + bar_w, h, QImage::Format_RGB32);
  out.fill(Qt::white);
  QPainter p(&out);
  p.drawImage(0, 0, img);
  p.setPen(QColor(150, 150, 150));
  p.drawRect(0, 0, size.width() - 1, size.height() - 1);
  QFont f(QStringLiteral("sans-serif"));
  f.setPixelSize(int(10 * scale));
  p.setFont(f);
  p.setPen(Qt::black);
  const double x0 = size.width() + 6 * scale, top = 22 * scale, bh = h - top - 6 * scale;
  p.drawText(QPointF(x0, 10 * scale), QString::fromStdString(im.unit));
  for (int i = 0; i < 64; ++i) {
    int r, g, b;
    dotakv::bench::colormap_rgb(im.colormap, (i + 0.5) / 64, r, g, b);
    p.fillRect(QRectF(x0, top + bh * (63 - i) / 64, 14 * scale, bh / 64 + 1), QColor(r, g, b));
  }
  for (int k = 0; k < 3; ++k) {
    const double y = top + bh * (1 - k / 2.0);
    p.drawLine(QPointF(x0 + 14 * scale, y), QPointF(x0 + 18 * scale, y));
    p.drawText(QPointF(x0 + 20 * scale, y + 3.5 * scale),
               QString::number(im.vmin + (im.vmax - im.vmin) * k / 2, 'g', 4));
  }
  return out;
}

}  // namespace

void build_report_document(const dotakv::bench::Report& r, QTextDocument& doc, double width_px) {
  QString html;
  html += "<html><body style='font-family:sans-serif; font-size:10pt'>";
  html +=
      "<h1>" + esc(r.title) + "</h1><p>" + esc(r.created) + " &middot; " + esc(r.version) + "</p>";
  for (const auto& s : r.sections) {
    html += "<h2>" + esc(s.title) + "</h2>";
    for (const auto& p : s.paragraphs) html += "<p>" + esc(p) + "</p>";
    for (const auto& t : s.tables) {
      html += "<p><b>" + esc(t.caption) + "</b></p>";
      html +=
          "<table border='1' cellspacing='0' cellpadding='2' style='font-size:7pt; "
          "border-color:#999'><tr>";
      for (const auto& h : t.header) html += "<th bgcolor='#eeeeee'>" + esc(h) + "</th>";
      html += "</tr>";
      for (const auto& row : t.rows) {
        html += "<tr>";
        for (const auto& c : row) html += "<td>" + esc(c) + "</td>";
        html += "</tr>";
      }
      html += "</table>";
    }
    for (const auto& c : s.charts) {
      const QSize disp(int(width_px * 0.95), int(width_px * 0.5));
      const QImage img = render_chart_image(c, disp * 2);
      const QString name = "img://" + QString::fromStdString(c.id);
      doc.addResource(QTextDocument::ImageResource, QUrl(name), img);
      html += "<p><img src='" + name + "' width='" + QString::number(disp.width()) + "' height='" +
              QString::number(disp.height()) + "'></p>";
    }
    for (const auto& im : s.images) {
      const double bar = im.unit.empty() ? 0 : 90;
      const double w = std::min(width_px * 0.95 - bar, std::max(200.0, im.width * 4.0));
      const double h = w / im.width * im.height * im.aspect;
      const QImage img = with_colorbar(im, QSize(int(w * 2), int(h * 2)), 2.0);
      const QString name = "img://" + QString::fromStdString(im.id);
      doc.addResource(QTextDocument::ImageResource, QUrl(name), img);
      html += "<p><img src='" + name + "' width='" + QString::number(img.width() / 2) +
              "' height='" + QString::number(img.height() / 2) + "'><br><i>" + esc(im.caption) +
              "</i></p>";
    }
  }
  html += "</body></html>";
  doc.setHtml(html);
}

int write_report_pdf(const dotakv::bench::Report& r, const QString& path) {
  int pages = 0;
  dotakv::write_atomically(path.toStdString(), [&](const std::string& tmp) {
    QPdfWriter writer(QString::fromStdString(tmp));
    writer.setResolution(96);
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setPageMargins(QMarginsF(0, 0, 0, 0));
    writer.setTitle(QString::fromStdString(r.title));
    writer.setCreator(QString::fromStdString(r.version));
    const double W = writer.width(), H = writer.height();
    const double bw = W - 2 * kMargin, bh = H - 2 * kMargin - kHeader - kFooter;
    QTextDocument doc;
    doc.setDocumentMargin(0);
    build_report_document(r, doc, bw);
    doc.setPageSize(QSizeF(bw, bh));
    pages = doc.pageCount();
    QPainter p;
    if (!p.begin(&writer)) throw dotakv::IoError(path.toStdString() + ": cannot start PDF writer");
    const QString head = QString::fromStdString(r.title) + "  ·  " +
                         QString::fromStdString(r.created) + "  ·  " +
                         QString::fromStdString(r.version);
    for (int i = 0; i < pages; ++i) {
      if (i > 0) writer.newPage();
      QFont f = p.font();
      f.setPointSizeF(8);
      p.setFont(f);
      p.setPen(Qt::darkGray);
      p.drawText(QRectF(kMargin, kMargin, bw, kHeader - 8), Qt::AlignLeft | Qt::AlignVCenter, head);
      p.drawLine(QPointF(kMargin, kMargin + kHeader - 6),
                 QPointF(kMargin + bw, kMargin + kHeader - 6));
      p.drawText(QRectF(kMargin, H - kMargin - kFooter, bw, kFooter),
                 Qt::AlignRight | Qt::AlignVCenter, QString("page %1 / %2").arg(i + 1).arg(pages));
      p.save();
      p.translate(kMargin, kMargin + kHeader - i * bh);
      const QRectF clip(0, i * bh, bw, bh);
      p.setClipRect(clip);
      QAbstractTextDocumentLayout::PaintContext ctx;
      ctx.clip = clip;
      ctx.palette.setColor(QPalette::Text, Qt::black);
      doc.documentLayout()->draw(&p, ctx);
      p.restore();
    }
    p.end();
    if (!QFile::exists(QString::fromStdString(tmp)))
      throw dotakv::IoError(path.toStdString() + ": PDF was not written");
  });
  return pages;
}

}  // namespace dotakv::gui
