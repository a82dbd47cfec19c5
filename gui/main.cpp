// dotakv-studio: everything lives in dotakv_studio_lib (see src/studio_app.hpp).
#include "studio_app.hpp"

int main(int argc, char** argv) {
  return dotakv::gui::run_studio(argc, argv);
}
