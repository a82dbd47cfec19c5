#include "main_window.hpp"

#include <QLabel>

namespace dotakv::gui {
MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(tr("dotakv studio"));
  setCentralWidget(new QLabel(tr("dotakv studio"), this));
}
}  // namespace dotakv::gui
