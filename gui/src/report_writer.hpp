// PDF export of a dotakv::bench::Report (bench_report.hpp) with Qt: a QTextDocument laid out on
// A4 pages (QPdfWriter at 96 dpi so document units are device pixels), charts rendered by Qt
// Charts (charts_bench.hpp) and images by the shared colormaps, embedded at twice their display
// size, each with its colour bar (ReportImage::unit). Every page carries a header (title, date,
// software version) and "page i / n". Used by the studio's export action and by the `dotakv-report`
// program. Threading: GUI thread (Qt Charts rendering).
#pragma once
#include <QString>
#include <QTextDocument>

#include "dotakv/bench_report.hpp"

namespace dotakv::gui {

// Builds the document (images registered as resources "img://<id>").
void build_report_document(const dotakv::bench::Report& r, QTextDocument& doc, double width_px);
// Writes the PDF atomically; returns the page count. Throws dotakv::IoError on failure.
int write_report_pdf(const dotakv::bench::Report& r, const QString& path);

}  // namespace dotakv::gui
