#include "case_model.hpp"

#include <algorithm>
#include <cmath>

#include "dotakv/error.hpp"
#include "dotakv/materials.hpp"

namespace dotakv::gui {

physics::GammaOptions gamma_options(const GammaSettings& s) {
  physics::GammaOptions o;
  o.dose_percent = s.dose_pct;
  o.dta_mm = s.dist_mm;
  o.local = s.local;
  o.threshold_fraction = s.threshold_pct / 100;
  o.max_gamma = physics::GammaDefaults::max_gamma;
  o.histogram_bins = 20;
  return o;
}

double hu_to_rsp(double hu) {
  if (!std::isfinite(hu)) return 0.0;
  return physics::material_from_hu(hu).rsp;
}

CaseModel::CaseModel(QObject* parent) : QObject(parent) {}

namespace {
QString pick(const QStringList& names, std::initializer_list<const char*> keys,
             const QString& avoid) {
  for (const char* k : keys)
    for (const auto& n : names)
      if (n.contains(QLatin1String(k), Qt::CaseInsensitive) && n != avoid) return n;
  return {};
}
}  // namespace

void CaseModel::setCase(Case c, const QString& path, const QString& name) {
  case_ = std::move(c);
  path_ = path;
  name_ = name;
  modified_ = false;
  ref_max_.reset();
  gamma_.reset();
  const QStringList names = doseNames();
  ref_ = pick(names, {"mc", "monte"}, {});
  if (ref_.isEmpty() && !names.isEmpty()) ref_ = names.front();
  eval_ = pick(names, {"model", "dota", "stream", "cache", "pba"}, ref_);
  if (eval_.isEmpty())
    for (const auto& n : names)  // skip uncertainty maps stored next to MC doses
      if (n != ref_ && !n.contains(QLatin1String("stderr")) &&
          !n.contains(QLatin1String("uncert"))) {
        eval_ = n;
        break;
      }
  if (eval_.isEmpty()) eval_ = ref_;
  const Volume& v = case_.ct;
  cross_ = {v.slices / 2, v.rows / 2, v.cols / 2};
  if (const Dose* r = reference()) {  // Bragg peak on the central axis
    int best = 0;
    for (int z = 0; z < v.slices; ++z)
      if (r->volume.at(z, v.rows / 2, v.cols / 2) > r->volume.at(best, v.rows / 2, v.cols / 2))
        best = z;
    cross_[0] = best;
  }
  emit caseChanged();
  emit dosesListChanged();
  emit selectionChanged();
  emit crosshairChanged();
}

void CaseModel::setCt(Volume ct) {
  if (!ct.same_grid(case_.ct)) throw ShapeError("edited CT: grid differs from the case's CT");
  case_.ct = std::move(ct);
  modified_ = true;
  emit ctChanged();
}

QStringList CaseModel::doseNames() const {
  QStringList n;
  for (const auto& [k, d] : case_.doses) n << QString::fromStdString(k);
  return n;
}

const Dose* CaseModel::dose(const QString& name) const {
  auto it = case_.doses.find(name.toStdString());
  return it == case_.doses.end() ? nullptr : &it->second;
}

void CaseModel::setDose(const QString& name, Dose d) {
  if (!d.volume.same_grid(case_.ct))
    throw ShapeError("dose '" + name.toStdString() + "': grid differs from the CT");
  const bool is_new = !dose(name);
  case_.doses[name.toStdString()] = std::move(d);
  modified_ = true;
  if (name == ref_) ref_max_.reset();
  if (name == ref_ || name == eval_) clearGamma();
  if (is_new) {
    if (ref_.isEmpty()) ref_ = name;
    if (eval_.isEmpty() || eval_ == ref_) {
      eval_ = name;
      clearGamma();
    }
    emit dosesListChanged();
    emit selectionChanged();
  }
  emit doseChanged(name);
}

void CaseModel::updateDoseVolume(const QString& name, const Volume& v) {
  auto it = case_.doses.find(name.toStdString());
  if (it == case_.doses.end()) {
    setDose(name, Dose{v, nlohmann::json::object()});
    return;
  }
  it->second.volume = v;
  if (name == ref_) ref_max_.reset();
  if (name == ref_ || name == eval_) clearGamma();
  emit doseChanged(name);
}

void CaseModel::removeDose(const QString& name) {
  if (case_.doses.erase(name.toStdString()) == 0) return;
  modified_ = true;
  const QStringList names = doseNames();
  if (ref_ == name) ref_ = names.isEmpty() ? QString() : names.front();
  if (eval_ == name) eval_ = names.isEmpty() ? QString() : names.back();
  ref_max_.reset();
  clearGamma();
  emit dosesListChanged();
  emit selectionChanged();
}

void CaseModel::setReference(const QString& n) {
  if (n == ref_ || (!n.isEmpty() && !dose(n))) return;
  ref_ = n;
  ref_max_.reset();
  clearGamma();
  emit selectionChanged();
}

void CaseModel::setEvaluated(const QString& n) {
  if (n == eval_ || (!n.isEmpty() && !dose(n))) return;
  eval_ = n;
  clearGamma();
  emit selectionChanged();
}

double CaseModel::referenceMax() const {
  if (!ref_max_) {
    double m = 0;
    if (const Dose* r = reference())
      for (float x : r->volume.data)
        if (std::isfinite(x)) m = std::max(m, double(x));
    ref_max_ = m > 0 ? m : 1.0;
  }
  return *ref_max_;
}

void CaseModel::setCrosshair(int z, int y, int x) {
  const Volume& v = case_.ct;
  if (v.data.empty()) return;
  std::array<int, 3> c{std::clamp(z, 0, v.slices - 1), std::clamp(y, 0, v.rows - 1),
                       std::clamp(x, 0, v.cols - 1)};
  if (c == cross_) return;
  cross_ = c;
  emit crosshairChanged();
}

void CaseModel::setDisplay(const DisplaySettings& d) {
  display_ = d;
  emit displayChanged();
}

void CaseModel::setGamma(Volume g, const GammaSettings& s, double pass_rate) {
  gamma_ = std::move(g);
  gamma_settings_ = s;
  pass_rate_ = pass_rate;
  emit gammaChanged();
}

void CaseModel::clearGamma() {
  if (!gamma_) return;
  gamma_.reset();
  emit gammaChanged();
}

CaseModel::Readout CaseModel::readout(const std::array<int, 3>& p) const {
  Readout r;
  r.voxel = p;
  const Volume& v = case_.ct;
  if (v.data.empty()) return r;
  for (int k = 0; k < 3; ++k) r.mm[k] = (p[k] + 0.5) * v.spacing_mm[k];
  r.hu = v.at(p[0], p[1], p[2]);
  r.rsp = hu_to_rsp(r.hu);
  for (const auto& [name, d] : case_.doses)
    r.doses.emplace_back(QString::fromStdString(name), d.volume.at(p[0], p[1], p[2]));
  const Dose* a = reference();
  const Dose* b = evaluated();
  if (a && b && a != b)
    r.difference = double(b->volume.at(p[0], p[1], p[2])) - a->volume.at(p[0], p[1], p[2]);
  if (gamma_ && gamma_->same_grid(v)) {
    const float g = gamma_->at(p[0], p[1], p[2]);
    if (std::isfinite(g)) r.gamma = g;
  }
  return r;
}

}  // namespace dotakv::gui
