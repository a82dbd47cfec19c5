// Counts typed by the user: "20000", "2e4", "200k", "1.5M", "1G" (k = 10^3, M = 10^6, G = 10^9;
// case-insensitive, spaces allowed). Used for MC primaries (ReferencePanel) and the number of
// protons of the absolute-dose display (SlicesPanel). Returns nullopt for anything else.
#pragma once
#include <QRegularExpression>
#include <QString>
#include <cmath>
#include <optional>

namespace dotakv::gui {

inline std::optional<double> parse_count_text(const QString& text) {
  static const QRegularExpression re(
      QStringLiteral("^\\s*([0-9]*\\.?[0-9]+(?:[eE][+-]?[0-9]+)?)\\s*([kKmMgG]?)\\s*$"));
  const auto m = re.match(text);
  if (!m.hasMatch()) return std::nullopt;
  double v = m.captured(1).toDouble();
  const QChar s = m.captured(2).isEmpty() ? QChar() : m.captured(2).at(0).toLower();
  if (s == QLatin1Char('k')) v *= 1e3;
  if (s == QLatin1Char('m')) v *= 1e6;
  if (s == QLatin1Char('g')) v *= 1e9;
  if (!std::isfinite(v)) return std::nullopt;
  return v;
}

// Short form for display: 1500000 -> "1.5M", 200000 -> "200k", 1e9 -> "1G", 1234 -> "1234".
inline QString format_count_text(double v) {
  for (auto [f, s] : {std::pair{1e9, "G"}, std::pair{1e6, "M"}, std::pair{1e3, "k"}})
    if (v >= f && std::abs(v / f * 1000 - std::round(v / f * 1000)) < 1e-6)
      return QString::number(v / f, 'g', 6) + QLatin1String(s);
  return QString::number(v, 'g', 12);
}

}  // namespace dotakv::gui
