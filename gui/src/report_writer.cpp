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
      const QImage img = report_image_to_qimage(im);
      const double w = std::min(width_px * 0.95, std::max(200.0, im.width * 4.0));
      const double h = w / im.width * im.height * im.aspect;
      const QString name = "img://" + QString::fromStdString(im.id);
      doc.addResource(
          QTextDocument::ImageResource, QUrl(name),
          img.scaled(int(w * 2), int(h * 2), Qt::IgnoreAspectRatio, Qt::FastTransformation));
      html += "<p><img src='" + name + "' width='" + QString::number(int(w)) + "' height='" +
              QString::number(int(h)) + "'><br><i>" + esc(im.caption) + "</i></p>";
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
