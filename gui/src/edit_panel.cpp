#include "edit_panel.hpp"

#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QVBoxLayout>
#include <cmath>

namespace dotakv::gui {

namespace {
bool inside(const Volume& v, const ShapeEdit& e, int z, int y, int x) {
  const double zm = (z + 0.5) * v.spacing_mm[0];
  const double ym = (y + 0.5) * v.spacing_mm[1] - v.rows * v.spacing_mm[1] / 2 - e.offset_y_mm;
  const double xm = (x + 0.5) * v.spacing_mm[2] - v.cols * v.spacing_mm[2] / 2 - e.offset_x_mm;
  if (e.kind == ShapeEdit::Block)
    return std::abs(zm - e.depth_mm) <= e.size_mm / 2 && std::abs(xm) <= e.width_mm / 2 &&
           std::abs(ym) <= e.width_mm / 2;
  const double dz = zm - e.depth_mm;
  return dz * dz + xm * xm + ym * ym <= e.size_mm * e.size_mm / 4;
}
}  // namespace

Volume apply_shape(const Volume& ct, const ShapeEdit& e) {
  Volume out = ct;
  for (int z = 0; z < ct.slices; ++z)
    for (int y = 0; y < ct.rows; ++y)
      for (int x = 0; x < ct.cols; ++x)
        if (inside(ct, e, z, y, x)) out.at(z, y, x) = float(e.hu);
  return out;
}

Volume restore_shape(const Volume& ct, const Volume& original, const ShapeEdit& e) {
  Volume out = ct;
  for (int z = 0; z < ct.slices; ++z)
    for (int y = 0; y < ct.rows; ++y)
      for (int x = 0; x < ct.cols; ++x)
        if (inside(ct, e, z, y, x)) out.at(z, y, x) = original.at(z, y, x);
  return out;
}

Volume paint_disc(const Volume& ct, int z, int y, int x, double r_mm, double hu) {
  Volume out = ct;
  if (z < 0 || z >= ct.slices) return out;
  for (int j = 0; j < ct.rows; ++j)
    for (int i = 0; i < ct.cols; ++i) {
      const double dy = (j - y) * ct.spacing_mm[1], dx = (i - x) * ct.spacing_mm[2];
      if (dx * dx + dy * dy <= r_mm * r_mm) out.at(z, j, i) = float(hu);
    }
  return out;
}

int first_changed_slice(const Volume& a, const Volume& b) {
  if (!a.same_grid(b)) return 0;
  const size_t n = size_t(a.rows) * a.cols;
  for (int z = 0; z < a.slices; ++z)
    for (size_t i = 0; i < n; ++i)
      if (a.data[z * n + i] != b.data[z * n + i]) return z;
  return -1;
}

CtEditCommand::CtEditCommand(CaseModel* model, Volume before, Volume after, const QString& text,
                             std::function<void(int)> changed)
    : QUndoCommand(text),
      model_(model),
      before_(std::move(before)),
      after_(std::move(after)),
      changed_(std::move(changed)) {
  first_ = first_changed_slice(before_, after_);
}

void CtEditCommand::redo() {
  model_->setCt(after_);
  if (changed_) changed_(std::max(first_, 0));
}

void CtEditCommand::undo() {
  model_->setCt(before_);
  if (changed_) changed_(std::max(first_, 0));
}

EditPanel::EditPanel(CaseModel* model, QUndoStack* stack, QWidget* parent)
    : QWidget(parent), model_(model), stack_(stack) {
  shape_ = new QComboBox;
  shape_->addItems({QString(), QString()});
  material_ = new QComboBox;
  material_->addItems({QString(), QString(), QString(), QString(), QString()});
  hu_ = new QDoubleSpinBox;
  hu_->setRange(-1000, 3000);
  hu_->setDecimals(0);
  hu_->setValue(1200);
  auto mm = [](double lo, double hi, double v) {
    auto* s = new QDoubleSpinBox;
    s->setRange(lo, hi);
    s->setValue(v);
    s->setSuffix(QStringLiteral(" mm"));
    s->setDecimals(1);
    return s;
  };
  depth_ = mm(0, 1000, 60);
  size_ = mm(1, 300, 20);
  width_ = mm(1, 300, 48);
  ox_ = mm(-200, 200, 0);
  oy_ = mm(-200, 200, 0);
  radius_ = mm(1, 100, 6);
  insert_ = new QPushButton;
  move_ = new QPushButton;
  paint_ = new QPushButton;
  brush_ = new QPushButton;
  brush_->setCheckable(true);
  undo_ = new QPushButton;
  redo_ = new QPushButton;
  hint_ = new QLabel;
  hint_->setWordWrap(true);
  form_ = new QFormLayout;
  for (QWidget* w :
       std::initializer_list<QWidget*>{shape_, material_, hu_, depth_, size_, width_, ox_, oy_})
    form_->addRow(QStringLiteral("-"), w);
  auto* buttons = new QVBoxLayout;  // one per row: translated labels are long (de, fr, nl)
  buttons->addWidget(insert_);
  buttons->addWidget(move_);
  for (auto* c : {shape_, material_}) c->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  auto* paint_row = new QHBoxLayout;
  paint_row->addWidget(radius_);
  paint_row->addWidget(paint_, 1);
  auto* ur = new QHBoxLayout;
  ur->addWidget(undo_);
  ur->addWidget(redo_);
  auto* lay = new QVBoxLayout(this);
  lay->addLayout(form_);
  lay->addLayout(buttons);
  lay->addLayout(paint_row);
  lay->addWidget(brush_);
  lay->addLayout(ur);
  lay->addWidget(hint_);
  lay->addStretch();

  connect(material_, &QComboBox::currentIndexChanged, this, [this](int i) {
    static const double hu[] = {1200, -750, -1000, 40};
    if (i >= 0 && i < 4) hu_->setValue(hu[i]);
    hu_->setEnabled(i == 4);
  });
  hu_->setEnabled(false);
  connect(shape_, &QComboBox::currentIndexChanged, this,
          [this](int i) { width_->setEnabled(i == 0); });
  connect(insert_, &QPushButton::clicked, this, &EditPanel::insertShape);
  connect(move_, &QPushButton::clicked, this, &EditPanel::moveLastShape);
  connect(paint_, &QPushButton::clicked, this, &EditPanel::paintAtCrosshair);
  connect(brush_, &QPushButton::toggled, this, &EditPanel::brushToggled);
  connect(undo_, &QPushButton::clicked, stack_, &QUndoStack::undo);
  connect(redo_, &QPushButton::clicked, stack_, &QUndoStack::redo);
  connect(stack_, &QUndoStack::canUndoChanged, undo_, &QPushButton::setEnabled);
  connect(stack_, &QUndoStack::canRedoChanged, redo_, &QPushButton::setEnabled);
  connect(model_, &CaseModel::caseChanged, this, [this] {
    stack_->clear();
    last_.reset();
    before_last_.reset();
    move_->setEnabled(false);
  });
  undo_->setEnabled(false);
  redo_->setEnabled(false);
  move_->setEnabled(false);
  retranslate();
}

ShapeEdit EditPanel::currentShape() const {
  ShapeEdit s;
  s.kind = shape_->currentIndex() == 1 ? ShapeEdit::Sphere : ShapeEdit::Block;
  s.hu = hu_->value();
  s.depth_mm = depth_->value();
  s.size_mm = size_->value();
  s.width_mm = width_->value();
  s.offset_x_mm = ox_->value();
  s.offset_y_mm = oy_->value();
  return s;
}

void EditPanel::setShape(const ShapeEdit& s) {
  shape_->setCurrentIndex(s.kind == ShapeEdit::Sphere ? 1 : 0);
  material_->setCurrentIndex(4);
  hu_->setValue(s.hu);
  depth_->setValue(s.depth_mm);
  size_->setValue(s.size_mm);
  width_->setValue(s.width_mm);
  ox_->setValue(s.offset_x_mm);
  oy_->setValue(s.offset_y_mm);
}

void EditPanel::push(Volume after, const QString& text) {
  stack_->push(new CtEditCommand(model_, model_->ct(), std::move(after), text,
                                 [this](int z) { emit ctEdited(z); }));
}

bool EditPanel::insertShape() {
  if (!model_->hasCase()) return false;
  const ShapeEdit s = currentShape();
  before_last_ = model_->ct();
  last_ = s;
  push(apply_shape(model_->ct(), s),
       tr("Insert %1 at %2 mm").arg(shape_->currentText()).arg(s.depth_mm, 0, 'f', 0));
  move_->setEnabled(true);
  return true;
}

bool EditPanel::moveLastShape() {
  if (!model_->hasCase() || !last_ || !before_last_ || !before_last_->same_grid(model_->ct()))
    return false;
  ShapeEdit moved = *last_;
  moved.depth_mm = depth_->value();
  moved.offset_x_mm = ox_->value();
  moved.offset_y_mm = oy_->value();
  Volume v = restore_shape(model_->ct(), *before_last_, *last_);
  v = apply_shape(v, moved);
  last_ = moved;
  push(std::move(v), tr("Move shape to %1 mm").arg(moved.depth_mm, 0, 'f', 0));
  return true;
}

bool EditPanel::paintAtCrosshair() {
  if (!model_->hasCase()) return false;
  const auto c = model_->crosshair();
  push(paint_disc(model_->ct(), c[0], c[1], c[2], radius_->value(), hu_->value()),
       tr("Paint %1 HU in slice %2").arg(hu_->value(), 0, 'f', 0).arg(c[0]));
  return true;
}

bool EditPanel::brushEnabled() const {
  return brush_->isChecked();
}

void EditPanel::strokePaint(const std::array<int, 3>& c) {
  if (!model_->hasCase()) return;
  if (!stroke_) {
    stroke_before_ = model_->ct();
    stroke_ = model_->ct();
  }
  stroke_ = paint_disc(*stroke_, c[0], c[1], c[2], radius_->value(), hu_->value());
  model_->setCt(*stroke_);  // live feedback; the dose follows when the stroke ends
}

void EditPanel::strokeFinished() {
  if (!stroke_ || !stroke_before_) return;
  Volume before = std::move(*stroke_before_), after = std::move(*stroke_);
  stroke_.reset();
  stroke_before_.reset();
  stack_->push(new CtEditCommand(model_, std::move(before), std::move(after),
                                 tr("Paint %1 HU").arg(hu_->value(), 0, 'f', 0),
                                 [this](int z) { emit ctEdited(z); }));
}

void EditPanel::retranslate() {
  shape_->setItemText(0, tr("Block"));
  shape_->setItemText(1, tr("Sphere"));
  material_->setItemText(0, tr("Bone (1200 HU)"));
  material_->setItemText(1, tr("Lung (-750 HU)"));
  material_->setItemText(2, tr("Air (-1000 HU)"));
  material_->setItemText(3, tr("Soft tissue (40 HU)"));
  material_->setItemText(4, tr("Custom HU"));
  const QStringList labels{tr("Shape"),
                           tr("Material"),
                           tr("HU"),
                           tr("Centre depth"),
                           tr("Thickness / diameter"),
                           tr("Lateral width"),
                           tr("Offset x"),
                           tr("Offset y")};
  for (int i = 0; i < labels.size(); ++i)
    if (auto* item = form_->itemAt(i, QFormLayout::LabelRole))
      if (auto* l = qobject_cast<QLabel*>(item->widget())) l->setText(labels[i]);
  insert_->setText(tr("Insert"));
  move_->setText(tr("Move last to depth"));
  paint_->setText(tr("Paint HU at crosshair"));
  radius_->setToolTip(tr("Paint radius"));
  brush_->setText(tr("Paint with the mouse (drag in the slices)"));
  undo_->setText(tr("Undo"));
  redo_->setText(tr("Redo"));
  hint_->setText(
      tr("The dose is recomputed after each edit, reusing the cached tokens of the "
         "slices upstream of the change (KV cache On or Auto)."));
}

void EditPanel::changeEvent(QEvent* e) {
  if (e->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(e);
}

}  // namespace dotakv::gui
