// Qt Charts for benchmark results (issue 7 §5). Each chart is built from the same
// dotakv::bench::ReportChart the HTML report uses (bench_report.hpp), so the studio, the PDF
// and the HTML show identical data:
//   bars (x = category) with whiskers (95 % CI of the speedup, or IQR of the latency) drawn as
//   area rectangles and line segments on a value axis labelled by a QCategoryAxis;
//   lines (x numeric) with markers and whiskers; a log y axis when the chart asks for one.
// Export: PNG (grab of a QChartView at the given size) and SVG (QSvgGenerator).
// Threading: GUI thread only.
#pragma once
#include <QImage>
#include <QString>
#include <QtCharts/QChart>

#include "dotakv/bench_report.hpp"

namespace dotakv::gui {

// A new QChart (caller owns it, or hands it to a QChartView).
QChart* make_bench_chart(const dotakv::bench::ReportChart& spec);
// Renders a chart to an image of the given size (offscreen; used by the PDF writer and export).
QImage render_chart_image(const dotakv::bench::ReportChart& spec, QSize size);
// Export to PNG or SVG (by extension). Returns false and sets *error on failure; writes atomically.
bool export_chart(const dotakv::bench::ReportChart& spec, const QString& path, QSize size,
                  QString* error = nullptr);
// A dotakv::bench::ReportImage as a QImage (colormap applied; gamma < 0 shown grey).
QImage report_image_to_qimage(const dotakv::bench::ReportImage& im);

}  // namespace dotakv::gui
