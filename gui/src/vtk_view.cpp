#include "vtk_view.hpp"

#include "dotakv/viz/contour.hpp"

#include <vtkCamera.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkOpenGLFramebufferObject.h>
#include <vtkOpenGLState.h>
#include <vtkRenderer.h>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QOpenGLFunctions_3_2_Core>
#include <QOpenGLVersionFunctionsFactory>
#include <QRegularExpression>
#include <QSurfaceFormat>
#include <QVBoxLayout>
#include <QWheelEvent>

#include "dotakv/viz/scene3d.hpp"

namespace dotakv::gui {

void VtkView::setDefaultSurfaceFormat() {
  QSurfaceFormat f;
  f.setRenderableType(QSurfaceFormat::OpenGL);
  f.setVersion(3, 2);
  f.setProfile(QSurfaceFormat::CoreProfile);
  f.setDepthBufferSize(24);
  f.setStencilBufferSize(8);
  f.setSamples(0);
  QSurfaceFormat::setDefaultFormat(f);
}

VtkView::VtkView(QWidget* parent) : QOpenGLWidget(parent) {
  window_ = vtkSmartPointer<vtkGenericOpenGLRenderWindow>::New();
  renderer_ = vtkSmartPointer<vtkRenderer>::New();
  renderer_->SetBackground(0.08, 0.09, 0.12);
  renderer_->SetBackground2(0.25, 0.27, 0.33);
  renderer_->GradientBackgroundOn();
  renderer_->SetBackgroundAlpha(1.0);
  window_->AddRenderer(renderer_);
  window_->SetMultiSamples(0);
  setMinimumSize(200, 200);
}

VtkView::~VtkView() {
  makeCurrent();
  renderer_->RemoveAllViewProps();
  window_->Finalize();
  doneCurrent();
}

void VtkView::initializeGL() {
  window_->SetOwnContext(false);
  window_->SetReadyForRendering(true);
  window_->SetIsCurrent(true);
  window_->OpenGLInitContext();
  initialized_ = true;
}

void VtkView::resizeGL(int w, int h) {
  const double dpr = devicePixelRatioF();
  window_->SetSize(int(w * dpr), int(h * dpr));
}

void VtkView::paintGL() {
  if (!initialized_) return;
  const double dpr = devicePixelRatioF();
  const int w = int(width() * dpr), h = int(height() * dpr);
  window_->SetSize(w, h);
  window_->SetReadyForRendering(true);
  window_->SetIsCurrent(true);
  window_->GetState()->Reset();
  window_->Render();
  auto* f = QOpenGLVersionFunctionsFactory::get<QOpenGLFunctions_3_2_Core>(context());
  if (!f) return;
  auto* fbo = window_->GetDisplayFramebuffer();
  if (!fbo) return;
  f->glBindFramebuffer(GL_READ_FRAMEBUFFER, fbo->GetFBOIndex());
  f->glReadBuffer(GL_COLOR_ATTACHMENT0);
  f->glBindFramebuffer(GL_DRAW_FRAMEBUFFER, defaultFramebufferObject());
  f->glBlitFramebuffer(0, 0, w, h, 0, 0, w, h, GL_COLOR_BUFFER_BIT, GL_NEAREST);
  f->glBindFramebuffer(GL_FRAMEBUFFER, defaultFramebufferObject());
}

void VtkView::resetCamera() {
  renderer_->ResetCamera();
  update();
}

void VtkView::mousePressEvent(QMouseEvent* e) {
  last_ = e->position();
}

void VtkView::mouseMoveEvent(QMouseEvent* e) {
  const QPointF d = e->position() - last_;
  last_ = e->position();
  auto* cam = renderer_->GetActiveCamera();
  if (e->buttons() & Qt::LeftButton) {
    cam->Azimuth(-d.x() * 0.5);
    cam->Elevation(d.y() * 0.5);
    cam->OrthogonalizeViewUp();
  } else if (e->buttons() & Qt::RightButton) {
    cam->Dolly(std::pow(1.01, -d.y()));
  } else if (e->buttons() & Qt::MiddleButton) {
    double fp[3], pos[3], up[3];
    cam->GetFocalPoint(fp);
    cam->GetPosition(pos);
    cam->GetViewUp(up);
    const double dist = cam->GetDistance();
    const double s = dist * 0.002;
    double right[3];
    double dir[3] = {fp[0] - pos[0], fp[1] - pos[1], fp[2] - pos[2]};
    right[0] = dir[1] * up[2] - dir[2] * up[1];
    right[1] = dir[2] * up[0] - dir[0] * up[2];
    right[2] = dir[0] * up[1] - dir[1] * up[0];
    const double rn = std::sqrt(right[0] * right[0] + right[1] * right[1] + right[2] * right[2]);
    for (int k = 0; k < 3; ++k) {
      const double m = (-d.x() * right[k] / std::max(rn, 1e-9) + d.y() * up[k]) * s;
      fp[k] += m;
      pos[k] += m;
    }
    cam->SetFocalPoint(fp);
    cam->SetPosition(pos);
  }
  renderer_->ResetCameraClippingRange();
  update();
}

void VtkView::wheelEvent(QWheelEvent* e) {
  renderer_->GetActiveCamera()->Dolly(std::pow(1.1, e->angleDelta().y() / 120.0));
  renderer_->ResetCameraClippingRange();
  update();
  e->accept();
}

View3DPanel::View3DPanel(CaseModel* model, QWidget* parent) : QWidget(parent), model_(model) {
  view_ = new VtkView;
  ct_mode_ = new QComboBox;
  ct_mode_->addItems({QString(), QString()});
  ct_mode_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  beam_ = new QCheckBox;
  beam_->setChecked(true);
  levels_label_ = new QLabel;
  levels_ = new QLineEdit;
  levels_->setMaximumWidth(220);
  legend_ = new QLabel;
  legend_->setObjectName(QStringLiteral("isodoseLegend"));
  legend_->setTextFormat(Qt::RichText);
  reset_ = new QPushButton;
  auto* top = new QHBoxLayout;
  top->addWidget(ct_mode_);
  top->addWidget(beam_);
  top->addWidget(levels_label_);
  top->addWidget(levels_, 1);
  top->addWidget(legend_, 2);
  top->addWidget(reset_);
  auto* lay = new QVBoxLayout(this);
  lay->setContentsMargins(2, 2, 2, 2);
  lay->addLayout(top);
  lay->addWidget(view_, 1);
  auto mark = [this] {
    dirty_ = true;
    if (isVisible()) rebuild();
  };
  connect(ct_mode_, &QComboBox::currentIndexChanged, this, mark);
  connect(beam_, &QCheckBox::toggled, this, mark);
  connect(levels_, &QLineEdit::editingFinished, this, mark);
  connect(reset_, &QPushButton::clicked, this, [this] {
    dirty_ = true;
    rebuild();
  });
  connect(model_, &CaseModel::caseChanged, this, mark);
  connect(model_, &CaseModel::ctChanged, this, mark);
  connect(model_, &CaseModel::selectionChanged, this, mark);
  connect(model_, &CaseModel::doseChanged, this, [this, mark](const QString& n) {
    if (n == model_->evaluatedName()) mark();
  });
  retranslate();
}

void View3DPanel::showEvent(QShowEvent* e) {
  QWidget::showEvent(e);
  if (dirty_) rebuild();
}

void View3DPanel::rebuild() {
  dirty_ = false;
  viz::Scene3DOptions o;
  o.ct_volume_rendering = ct_mode_->currentIndex() == 1;
  o.beam_axis = beam_->isChecked();
  const Dose* d = model_->evaluated();
  const double ref = model_->referenceMax();
  for (const auto& s :
       levels_->text().split(QRegularExpression(QStringLiteral("[,; ]+")), Qt::SkipEmptyParts)) {
    bool ok = false;
    const double p = s.toDouble(&ok);
    if (ok && p > 0) {
      o.iso_percent.push_back(p);
      o.iso_levels.push_back(p / 100 * ref);
    }
  }
  viz::build_scene(view_->renderer(), model_->ct(), d ? &d->volume : nullptr, o);
  view_->update();
  updateLegend(o.iso_percent, d != nullptr);
}

void View3DPanel::updateLegend(const std::vector<double>& percent, bool have_dose) {
  QString html = have_dose
                     ? tr("Isodose surfaces of %1:").arg(model_->evaluatedName().toHtmlEscaped())
                     : tr("No evaluated dose");
  if (have_dose)
    for (double p : percent)
      html += QStringLiteral(" <span style='color:%1'>&#9632;</span>&nbsp;%2&nbsp;%")
                  .arg(viz::isodose_color(p).name())
                  .arg(p, 0, 'g', 3);
  legend_->setText(html);
}

void View3DPanel::retranslate() {
  ct_mode_->setItemText(0, tr("CT surfaces (body, bone)"));
  ct_mode_->setItemText(1, tr("CT volume rendering"));
  beam_->setText(tr("Beam axis"));
  levels_label_->setText(tr("Isodose levels [%]"));
  if (levels_->text().isEmpty()) levels_->setText(QStringLiteral("20, 50, 90"));
  levels_->setToolTip(tr("Isodose surface levels in % of the reference maximum"));
  reset_->setText(tr("Reset view"));
}

void View3DPanel::changeEvent(QEvent* e) {
  if (e->type() == QEvent::LanguageChange) {
    retranslate();
    dirty_ = true;  // the legend
    if (isVisible()) rebuild();
  }
  QWidget::changeEvent(e);
}

}  // namespace dotakv::gui
