// Model configuration (JSON) and weights (HDF5): round trips and every bad-input path.
#include <H5Cpp.h>

#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>
#include <fstream>

#include "dotakv/error.hpp"
#include "dotakv/model.hpp"
#include "dotakv/session.hpp"

using namespace dotakv;

namespace {
ModelConfig small() {
  ModelConfig c;
  c.num_slices = 6;
  c.num_tokens = 7;
  c.data_shape = {8, 8, 1};
  c.projection_dim = {2, 2, 4};
  c.conv_channels = 16;
  c.num_heads = 2;
  c.key_dim = 8;
  c.kernel_size = 3;
  return c;
}
template <class E>
QString error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const E& e) {
    return QString::fromStdString(e.what());
  } catch (const std::exception& e) {
    return QString("WRONG TYPE: ") + e.what();
  }
  return "NO ERROR";
}
}  // namespace

class TestEngineIo : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() { H5::Exception::dontPrint(); }

  void configDefaultsAreDotasHyperparameters() {
    const ModelConfig c = ModelConfig::from_json(nlohmann::json::object());
    QCOMPARE(c.num_slices, 150);
    QCOMPARE(c.num_tokens, 151);
    QCOMPARE(c.token_dim(), 432);
    QCOMPARE(c.key_dim, 432);
    QCOMPARE(c.num_heads, 16);
    QCOMPARE(c.conv_channels, 64);
    QVERIFY(c.causal);
    // key_dim defaults to prod(projection_dim) of the given config
    const auto j = nlohmann::json::parse(
        R"({"num_slices": 10, "data_shape": [8,8,1], "projection_dim": [2,2,4],
                                            "conv_channels": 16})");
    const ModelConfig d = ModelConfig::from_json(j);
    QCOMPARE(d.num_tokens, 11);
    QCOMPARE(d.key_dim, 16);
  }
  void configRoundTripsThroughJson() {
    for (const char* name : {"full", "compact"}) {
      const ModelConfig c = ModelConfig::preset(name);
      QCOMPARE(ModelConfig::from_json(c.to_json()).to_json(), c.to_json());
    }
    QCOMPARE(ModelConfig::preset("compact").conv_channels, 32);
    QCOMPARE(ModelConfig::preset("compact").num_heads, 8);
    QCOMPARE(ModelConfig::preset("compact").key_dim, 54);
  }
  void badConfigsNameTheKey_data() {
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("needle");
    QTest::newRow("unknown key") << R"({"num_slice": 150})"
                                 << "num_slice";
    QTest::newRow("wrong type") << R"({"num_heads": "16"})"
                                << "num_heads";
    QTest::newRow("float") << R"({"kernel_size": 5.5})"
                           << "kernel_size";
    QTest::newRow("tokens") << R"({"num_tokens": 150})"
                            << "num_tokens";
    QTest::newRow("even kernel") << R"({"kernel_size": 4})"
                                 << "kernel_size";
    QTest::newRow("projection") << R"({"projection_dim": [5,6,12]})"
                                << "projection_dim";
    QTest::newRow("channels") << R"({"conv_channels": 40})"
                              << "conv_channels";
    QTest::newRow("negative") << R"({"num_heads": -1})"
                              << "num_heads";
    // 2^32 + 16: nlohmann's get<int>() would wrap it to 16, a valid head count.
    QTest::newRow("past int") << R"({"num_heads": 4294967312})"
                              << "num_heads";
    QTest::newRow("past int in array") << R"({"data_shape": [4294967446, 24, 24]})"
                                       << "data_shape";
    QTest::newRow("shape arity") << R"({"data_shape": [24,24]})"
                                 << "data_shape";
    QTest::newRow("causal type") << R"({"causal": 1})"
                                 << "causal";
    QTest::newRow("not object") << R"([1,2])"
                                << "object";
  }
  void badConfigsNameTheKey() {
    QFETCH(QString, json);
    QFETCH(QString, needle);
    const QString msg = error_of<ConfigError>(
        [&] { ModelConfig::from_json(nlohmann::json::parse(json.toStdString())); });
    QVERIFY2(msg.contains(needle) && !msg.startsWith("WRONG") && msg != "NO ERROR",
             qPrintable(msg));
    QVERIFY(error_of<ConfigError>([] { ModelConfig::preset("huge"); }).contains("huge"));
  }
  void costModelMatchesHandCount() {
    const ModelConfig c = ModelConfig::preset("full");
    // encoder per slice: 24*24*1*64*25*2 + 12*12*64*64*25*2 + 6*6*64*12*25*2
    const double enc = 1843200.0 + 29491200.0 + 1382400.0;
    const double dec = 6 * 6 * 12 * 64 * 25 * 2.0 + 29491200.0 + 24 * 24 * 64 * 25 * 2.0;
    const double tr = 2.0 * 151 * 432 * 3 * 6912 + 4.0 * 151 * 151 * 432 * 16 +
                      2.0 * 151 * 6912 * 432 + 4.0 * 151 * 432 * 432 + 2 * 432;
    QCOMPARE(c.flops_full(), 150 * (enc + dec) + tr);
    QVERIFY(c.flops_full() > 13e9 && c.flops_full() < 15e9);  // "about 14 GFLOP" (issue 3)
    // streaming with cache over all slices does the same work as full, except attention (causal
    // rectangle)
    QVERIFY(c.flops_stream_total(1, true) < c.flops_full());
    QVERIFY(c.flops_stream_total(1, false) > 20 * c.flops_full());
    QCOMPARE(c.weight_bytes_per_step(ComputePrecision::bf16) * 2,
             c.weight_bytes_per_step(ComputePrecision::fp32));
    // parameter count equals the sum over the tensors of a model
    const Model m = Model::random(small(), 1);
    std::int64_t n = 0;
    m.for_each_tensor([&](const std::string&, const std::vector<long long>&, const Tensor& t) {
      n += t.numel();
    });
    QCOMPARE(m.config().parameter_count(), n);
  }

  void randomInitIsSeeded() {
    const Model a = Model::random(small(), 5), b = Model::random(small(), 5),
                c = Model::random(small(), 6);
    QCOMPARE(a.weights().enc_conv2.data, b.weights().enc_conv2.data);
    QVERIFY(a.weights().enc_conv2.data != c.weights().enc_conv2.data);
  }
  void weightsRoundTripThroughHdf5() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("w.h5").toStdString();
    const Model a = Model::random(small(), 9);
    a.save(path);
    const Model b = Model::load(path);
    QCOMPARE(b.config().to_json(), a.config().to_json());
    a.for_each_tensor([&](const std::string& name, const std::vector<long long>&, const Tensor& t) {
      bool found = false;
      b.for_each_tensor(
          [&](const std::string& n2, const std::vector<long long>&, const Tensor& t2) {
            if (n2 == name) {
              found = true;
              QCOMPARE(t2.data, t.data);
            }
          });
      QVERIFY(found);
    });
    QCOMPARE(b.scaling().ct_min_hu, a.scaling().ct_min_hu);
    QCOMPARE(b.description(), a.description());
    // the loaded model computes the same dose
    Volume ct(6, 8, 8, 40.f);
    Session sa(std::make_shared<const Model>(a)), sb(std::make_shared<const Model>(b));
    QCOMPARE(sb.infer(ct, 100.0).data, sa.infer(ct, 100.0).data);
  }

  void badWeightFilesAreRejected() {
    QTemporaryDir dir;
    const std::string good = dir.filePath("good.h5").toStdString();
    Model::random(small(), 2).save(good);
    const auto copy = [&](const char* name) {
      const std::string p = dir.filePath(name).toStdString();
      std::filesystem::copy_file(good, p);
      return p;
    };
    // missing file, not HDF5, truncated
    QVERIFY(error_of<IoError>([&] {
              Model::load(dir.filePath("none.h5").toStdString());
            }).contains("no such file"));
    const std::string txt = dir.filePath("x.h5").toStdString();
    std::ofstream(txt) << "hello";
    QVERIFY(error_of<IoError>([&] { Model::load(txt); }).contains("not an HDF5"));
    const std::string trunc = copy("trunc.h5");
    std::filesystem::resize_file(trunc, std::filesystem::file_size(trunc) / 2);
    QVERIFY(!error_of<IoError>([&] { Model::load(trunc); }).startsWith("WRONG"));
    // missing tensor, wrong shape, NaN, bad config attribute
    const std::string miss = copy("miss.h5");
    {
      H5::H5File f(miss, H5F_ACC_RDWR);
      f.unlink("transformer_0/ffn2/bias");
    }
    const QString m1 = error_of<FormatError>([&] { Model::load(miss); });
    QVERIFY2(m1.contains("transformer_0/ffn2/bias") && m1.contains("[16]"), qPrintable(m1));
    const std::string shape = copy("shape.h5");
    {
      H5::H5File f(shape, H5F_ACC_RDWR);
      f.unlink("encoder/conv2/kernel");
      hsize_t dims[4] = {3, 3, 16, 8};
      std::vector<float> z(3 * 3 * 16 * 8, 0.f);
      f.createDataSet("encoder/conv2/kernel", H5::PredType::IEEE_F32LE, H5::DataSpace(4, dims))
          .write(z.data(), H5::PredType::NATIVE_FLOAT);
    }
    const QString m2 = error_of<ShapeError>([&] { Model::load(shape); });
    QVERIFY2(m2.contains("encoder/conv2/kernel") && m2.contains("[3,3,16,16]") &&
                 m2.contains("[3,3,16,8]"),
             qPrintable(m2));
    const std::string nan = copy("nan.h5");
    {
      H5::H5File f(nan, H5F_ACC_RDWR);
      H5::DataSet ds = f.openDataSet("energy/bias");
      std::vector<float> v(16, 0.f);
      v[3] = std::numeric_limits<float>::quiet_NaN();
      ds.write(v.data(), H5::PredType::NATIVE_FLOAT);
    }
    QVERIFY(error_of<ValueError>([&] { Model::load(nan); }).contains("energy/bias"));
    const std::string cfg = copy("cfg.h5");
    {
      H5::H5File f(cfg, H5F_ACC_RDWR);
      H5::Group root = f.openGroup("/");
      root.removeAttr("config");
      const std::string bad = R"({"num_slices": 6, "wings": 2})";
      H5::StrType t(H5::PredType::C_S1, bad.size());
      root.createAttribute("config", t, H5::DataSpace(H5S_SCALAR)).write(t, bad);
    }
    QVERIFY(error_of<ConfigError>([&] { Model::load(cfg); }).contains("wings"));
    const std::string noattr = copy("noattr.h5");
    {
      H5::H5File f(noattr, H5F_ACC_RDWR);
      f.openGroup("/").removeAttr("ct_max_hu");
    }
    QVERIFY(error_of<FormatError>([&] { Model::load(noattr); }).contains("ct_max_hu"));
  }
  void failedSaveLeavesNoFile() {
    QTemporaryDir dir;
    const std::string p = dir.filePath("nodir/w.h5").toStdString();
    QVERIFY_THROWS_EXCEPTION(Error, Model::random(small(), 1).save(p));
    QVERIFY(!std::filesystem::exists(p));
  }
};

QTEST_GUILESS_MAIN(TestEngineIo)
#include "test_engine_io.moc"
