#include "case_model.hpp"

#include <QComboBox>
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

double dose_unit_scale(const DisplaySettings& d) {
  return d.unit == DoseUnit::GyAbsolute ? d.protons : 1.0;
}

QString dose_unit_label(const DisplaySettings& d) {
  switch (d.unit) {
    case DoseUnit::Percent:
      return CaseModel::tr("% of reference max");
    case DoseUnit::Gy:
      return CaseModel::tr("Gy per primary");
    case DoseUnit::GyAbsolute:
      return CaseModel::tr("Gy for %1 protons").arg(d.protons, 0, 'g', 3);
  }
  return {};
}

uint64_t ct_fingerprint(const Volume& ct) {
  uint64_t h = 1469598103934665603ULL;
  auto mix = [&h](const void* p, size_t n) {
    const auto* b = static_cast<const unsigned char*>(p);
    for (size_t i = 0; i < n; ++i) h = (h ^ b[i]) * 1099511628211ULL;
  };
  const int dims[3] = {ct.slices, ct.rows, ct.cols};
  mix(dims, sizeof dims);
  mix(ct.data.data(), ct.data.size() * sizeof(float));
  return h;
}

namespace {
const char* kFingerprintKey = "ct_fingerprint";
QString hex(uint64_t v) {
  return QStringLiteral("%1").arg(v, 16, 16, QLatin1Char('0'));
}
}  // namespace

CaseModel::CaseModel(QObject* parent) : QObject(parent) {}

void fill_dose_combo(QComboBox* box, const CaseModel* model, const QString& current) {
  QSignalBlocker b(box);
  box->clear();
  for (const QString& n : model->doseNames()) {
    box->addItem(model->doseLabel(n), n);
    box->setItemData(box->count() - 1, model->staleNote(n), Qt::ToolTipRole);
  }
  box->setCurrentIndex(box->findData(current));
}

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
  ct_fp_ = ct_fingerprint(case_.ct);
  edit_number_ = 0;
  fp_edit_ = {{ct_fp_, 0}};
  dose_ct_.clear();
  for (const auto& [n, d] : case_.doses) {
    // A dose saved by the studio names its CT; any other dose belongs to the file's CT.
    uint64_t fp = ct_fp_;
    if (d.attributes.is_object() && d.attributes.contains(kFingerprintKey) &&
        d.attributes[kFingerprintKey].is_string()) {
      bool ok = false;
      const uint64_t v = QString::fromStdString(d.attributes[kFingerprintKey].get<std::string>())
                             .toULongLong(&ok, 16);
      if (ok) fp = v;
    }
    dose_ct_[QString::fromStdString(n)] = fp;
  }
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
  emit stalenessChanged();
}

void CaseModel::setCt(Volume ct) {
  if (!ct.same_grid(case_.ct)) throw ShapeError("edited CT: grid differs from the case's CT");
  case_.ct = std::move(ct);
  modified_ = true;
  ct_fp_ = ct_fingerprint(case_.ct);
  fp_edit_.try_emplace(ct_fp_, edit_number_);
  emit ctChanged();
  emit stalenessChanged();
}

void CaseModel::setEditNumber(int n) {
  edit_number_ = n;
  fp_edit_[ct_fp_] = n;
}

bool CaseModel::isUncertainty(const QString& name, const Dose* d) {
  if (name.contains(QLatin1String("stderr")) || name.contains(QLatin1String("uncert"))) return true;
  return d && d->attributes.is_object() &&
         d->attributes.value("quantity", std::string()) == "standard_error";
}

bool CaseModel::isStale(const QString& name) const {
  auto it = dose_ct_.find(name);
  return it != dose_ct_.end() && it->second != ct_fp_;
}

QString CaseModel::staleNote(const QString& name) const {
  if (!isStale(name)) return {};
  auto it = fp_edit_.find(dose_ct_.at(name));
  if (it == fp_edit_.end()) return tr("stale: computed on a different CT");
  return tr("stale: computed on the CT before edit %1").arg(it->second + 1);
}

QStringList CaseModel::staleDoses() const {
  QStringList l;
  for (const auto& n : doseNames())
    if (isStale(n)) l << n;
  return l;
}

QString CaseModel::doseLabel(const QString& name) const {
  return isStale(name) ? tr("%1 (stale)").arg(name) : name;
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

void CaseModel::setDose(const QString& name, Dose d, std::optional<Dose> uncertainty,
                        std::optional<uint64_t> computed_on) {
  if (!d.volume.same_grid(case_.ct))
    throw ShapeError("dose '" + name.toStdString() + "': grid differs from the CT");
  if (uncertainty && !uncertainty->volume.same_grid(case_.ct))
    throw ShapeError("uncertainty of '" + name.toStdString() + "': grid differs from the CT");
  const uint64_t fp = computed_on.value_or(ct_fp_);
  if (!d.attributes.is_object()) d.attributes = nlohmann::json::object();
  d.attributes[kFingerprintKey] = hex(fp).toStdString();
  const QString partner = name + QStringLiteral("_stderr");
  bool list_changed = false;
  if (uncertainty) {
    if (!uncertainty->attributes.is_object()) uncertainty->attributes = nlohmann::json::object();
    uncertainty->attributes[kFingerprintKey] = hex(fp).toStdString();
    list_changed = !dose(partner);
    case_.doses[partner.toStdString()] = std::move(*uncertainty);
    dose_ct_[partner] = fp;
  } else if (dose(partner)) {
    eraseDose(partner);  // the old uncertainty belongs to the old dose
    list_changed = true;
  }
  const bool is_new = !dose(name);
  case_.doses[name.toStdString()] = std::move(d);
  dose_ct_[name] = fp;
  modified_ = true;
  if (name == ref_) ref_max_.reset();
  if (name == ref_ || name == eval_) clearGamma();
  if (is_new) {
    if (ref_.isEmpty()) ref_ = name;
    if (eval_.isEmpty() || eval_ == ref_) {
      eval_ = name;
      clearGamma();
    }
  }
  if (is_new || list_changed) {
    emit dosesListChanged();
    emit selectionChanged();
  }
  emit doseChanged(name);
  if (uncertainty) emit doseChanged(partner);
  emit stalenessChanged();
}

void CaseModel::eraseDose(const QString& name) {
  case_.doses.erase(name.toStdString());
  dose_ct_.erase(name);
  const QStringList names = doseNames();
  if (ref_ == name) ref_ = names.isEmpty() ? QString() : names.front();
  if (eval_ == name) eval_ = names.isEmpty() ? QString() : names.back();
  ref_max_.reset();
  clearGamma();
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
  if (!dose(name)) return;
  modified_ = true;
  eraseDose(name);
  emit dosesListChanged();
  emit selectionChanged();
  emit stalenessChanged();
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
