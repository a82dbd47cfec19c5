// The studio's main window (placeholder until the studio issue lands).
#pragma once
#include <QMainWindow>

namespace dotakv::gui {
class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
};
}  // namespace dotakv::gui
