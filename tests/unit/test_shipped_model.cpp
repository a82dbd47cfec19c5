// The shipped default model (resources/models/dotakv-compact.h5, model card beside it): it loads,
// fits the size budget (<= 20 MB), has the documented configuration (compact width, three
// transformer blocks: resources/configs/compact-3block.json), and on the four demo cases of
// resources/demo/ (MC doses with 200,000 primaries, independent of the training data: phantom seeds
// 1-4 at fixed energies) it reproduces the Monte Carlo: gamma 1 %/3 mm pass rate
// >= 98 % (the accuracy bar of the default model, DoTA's protocol with the case's own maximum),
// and in water and behind a bone slab the range R80 within 1 mm of the MC (the usual range
// tolerance of proton dose engines).
#include <QtTest>
#include <cmath>
#include <filesystem>

#include "dotakv/analysis.hpp"
#include "dotakv/case_file.hpp"
#include "dotakv/gamma.hpp"
#include "dotakv/materials.hpp"
#include "dotakv/model.hpp"
#include "dotakv/phantom.hpp"
#include "dotakv/session.hpp"
#include "test_support.hpp"

using namespace dotakv;

class TestShippedModel : public QObject {
  Q_OBJECT
  std::shared_ptr<const Model> model_;
  std::string path_;

 private slots:
  void initTestCase() {
    path_ = test::source_path("resources/models/dotakv-compact.h5");
    QVERIFY2(std::filesystem::exists(path_), path_.c_str());
    model_ = Model::load_shared(path_);
  }

  void sizeAndConfig() {
    QVERIFY(std::filesystem::file_size(path_) <= 20u * 1024 * 1024);
    QCOMPARE(
        model_->config().to_json(),
        ModelConfig::from_name_or_file(test::source_path("resources/configs/compact-3block.json"))
            .to_json());
    QVERIFY(model_->scaling().energy_min_mev <= 70.0 && model_->scaling().energy_max_mev >= 220.0);
  }

  void reproducesMonteCarloOnDemoCases_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("check_range");
    QTest::newRow("water 150 MeV") << "water_150MeV" << true;
    QTest::newRow("bone slab 120 MeV") << "bone_slab_120MeV" << true;
    // lateral heterogeneity: the MC depth dose has a 3 cm distal fall-off (part of the beam
    // passes beside the insert), so R80 is not a stable measure there; gamma only
    QTest::newRow("lateral 180 MeV") << "lateral_180MeV" << false;
    QTest::newRow("random 100 MeV") << "random_100MeV" << false;
  }
  void reproducesMonteCarloOnDemoCases() {
    QFETCH(QString, name);
    QFETCH(bool, check_range);
    const Case c = load_case(test::source_path("resources/demo/" + name.toStdString() + ".h5"));
    const Volume& mc = c.doses.at("mc").volume;
    Session session(model_, {.mode = Mode::full});
    const Volume dose = session.infer(c.ct, c.energy_mev);
    physics::GammaOptions g;  // 1 %/3 mm global, normalised to the MC maximum
    const auto gamma = physics::gamma_index(mc, dose, g);
    QVERIFY2(gamma.pass_rate_dota >= 98.0, qPrintable(QString::number(gamma.pass_rate_dota)));
    const auto dd = physics::compare_depth_dose(mc, dose);
    QVERIFY(dd.reference.distal_found && dd.evaluated.distal_found);
    if (check_range)
      QVERIFY2(std::abs(dd.r80_error_mm) <= 1.0, qPrintable(QString::number(dd.r80_error_mm)));
  }

  // No false peaks at air cavities (issue #15: the model trained on the biased Monte Carlo gave
  // an air slab far more dose than the water before it). A 40 mm air slab across a 150 MeV beam
  // at 80-120 mm: the laterally integrated dose in the slab over that in the water upstream
  // (60-80 mm) against the stopping-power ratio of air to water times the water stopping-power
  // change between the two depths (0.93, the corrected MC: 0.89 with its nuclear secondaries
  // leaving the 48 mm block through the air), within 10 %.
  void noFalsePeakInAirCavities() {
    const Volume ct = physics::make_slab_phantom(150, 24, 24, 2.0, 80.0, 40.0, -1000.f);
    Session session(model_, {.mode = Mode::full});
    const Volume dose = session.infer(ct, 150.0);
    const auto idd = physics::integrated_depth_dose(dose);
    const auto z = physics::depth_positions_mm(dose);
    double slab = 0.0, up = 0.0;
    int ns = 0, nu = 0;
    for (std::size_t i = 0; i < idd.size(); ++i) {
      if (z[i] >= 82.0 && z[i] < 118.0) slab += idd[i], ++ns;
      if (z[i] >= 60.0 && z[i] < 80.0) up += idd[i], ++nu;
    }
    const physics::Material air = physics::material_from_hu(-1000.0);
    const auto& tab = physics::WaterTables::instance();
    const double r0 = tab.range(150.0);
    const double expected = air.rsp / air.density * tab.stopping_power(tab.energy(r0 - 8.0)) /
                            tab.stopping_power(tab.energy(r0 - 7.0));
    const double ratio = (slab / ns) / (up / nu);
    qInfo("air slab / upstream water: model %.3f, stopping-power expectation %.3f", ratio,
          expected);
    QVERIFY(std::abs(ratio / expected - 1.0) < 0.10);
  }
};

QTEST_GUILESS_MAIN(TestShippedModel)
#include "test_shipped_model.moc"
