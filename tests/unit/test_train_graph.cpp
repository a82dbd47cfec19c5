// The training graph and loop: forward == the inference engine (Session, full mode); whole-model
// gradients vs central finite differences in double precision; a few LAMB steps lower the loss;
// batch gradients deterministic per thread count; the loop's resume is exact (2 epochs == 1 + 1,
// bit for bit); checkpoints round-trip; bad data, a diverging run and a failing checkpoint write
// leave earlier checkpoints intact; the train/evaluate commands.
#include <H5Cpp.h>

#include <QtTest>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>

#include "dotakv/dataset.hpp"
#include "dotakv/error.hpp"
#include "dotakv/gamma.hpp"
#include "dotakv/kernels.hpp"
#include "dotakv/session.hpp"
#include "dotakv/sysinfo.hpp"
#include "dotakv/train/evaluate.hpp"
#include "dotakv/train/graph.hpp"
#include "dotakv/train/trainer.hpp"
#include "test_support.hpp"

using namespace dotakv;
using namespace dotakv::train;
namespace fs = std::filesystem;

namespace {

// A tiny DoTA (8 slices of 8x8, D = 16, two blocks) that exercises every layer.
ModelConfig tiny_config() {
  return ModelConfig::from_json(nlohmann::json::parse(R"({"num_slices": 8, "data_shape": [8, 8, 1],
      "num_tokens": 9, "kernel_size": 3, "num_heads": 2, "num_transformers": 2,
      "projection_dim": [2, 2, 4], "conv_channels": 16, "key_dim": 4, "causal": true})"));
}

std::vector<float> random_vec(std::size_t n, unsigned seed, float lo, float hi) {
  std::mt19937 g(seed);
  std::uniform_real_distribution<float> u(lo, hi);
  std::vector<float> v(n);
  for (auto& x : v) x = u(g);
  return v;
}

TrainResult run(const TrainOptions& o) {
  return dotakv::train::train(o);
}

std::string read_bytes(const std::string& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

}  // namespace

class TestTrainGraph : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  std::string data_;  // tiny dataset on the 8x8x8 grid

  std::string path(const std::string& name) const {
    return (tmp_.path() + "/").toStdString() + name;
  }
  TrainOptions tiny_options(const std::string& out) const {
    TrainOptions o;
    o.data = data_;
    o.out_dir = path(out);
    o.config = tiny_config();
    o.epochs = 2;
    o.batch = 3;
    o.val_fraction = 0.25;
    o.threads = 2;
    o.seed = 7;
    return o;
  }

 private slots:
  void initTestCase() {
    QVERIFY(tmp_.isValid());
    physics::DatasetOptions d;
    d.n = 12;
    d.slices = d.rows = d.cols = 8;
    d.energy_min = 70;
    d.energy_max = 90;
    d.primaries = 3000;
    d.seed = 3;
    data_ = path("tiny.h5");
    physics::generate_dataset(d, data_);
  }

  // The training forward is a second implementation of the model: it must agree with the
  // inference engine (oneDNN kernels, fused ops) on random weights.
  void forwardMatchesSession() {
    const auto cfg = tiny_config();
    auto model = Model::random_shared(cfg, 11);
    const auto p = ParamSet<float>::from_model(*model);
    Graph<float> g(cfg);
    auto ws = g.make_workspace();
    const std::size_t n = 8 * 8 * 8;
    const auto x = random_vec(n, 1, 0.f, 1.f);
    std::vector<float> out(n);
    g.forward(p, x.data(), 0.4f, *ws, out.data());
    Volume v(8, 8, 8);
    v.data = x;
    Session s(model, {.mode = Mode::full});
    const auto ref = s.infer_scaled({v}, {0.4f});
    double scale = 0, diff = 0;
    for (std::size_t i = 0; i < n; ++i) {
      scale = std::max(scale, double(std::abs(ref[0].data[i])));
      diff = std::max(diff, double(std::abs(ref[0].data[i] - out[i])));
    }
    QVERIFY(scale > 1e-3);
    QVERIFY2(diff <= 1e-4 * scale, qPrintable(QString("max diff %1 of %2").arg(diff).arg(scale)));
  }

  // d/dtheta of L = sum(R * out) for every parameter tensor (a spread of elements each) vs
  // central differences, all in double. Inputs are random, so ReLU/max-pool kinks are crossed
  // with negligible probability at eps = 1e-6.
  void wholeModelGradientsMatchFiniteDifferences() {
    const auto cfg = tiny_config();
    auto model = Model::random_shared(cfg, 5);
    auto p = ParamSet<double>::from_model(*model);
    // break the symmetric initialisation of the norms so their gradients are generic
    std::mt19937 rng(9);
    std::uniform_real_distribution<double> u(-0.2, 0.2);
    for (auto& t : p.values)
      for (auto& v : t) v += 0.05 * u(rng);
    Graph<double> g(cfg);
    auto ws = g.make_workspace();
    const std::size_t n = 8 * 8 * 8;
    std::vector<double> x(n), R(n), out(n);
    for (auto& v : x) v = 0.5 + u(rng) * 2.5;
    for (auto& v : R) v = u(rng) * 5;
    const double e = 0.3;
    auto loss = [&](const ParamSet<double>& q) {
      g.forward(q, x.data(), e, *ws, out.data());
      double L = 0;
      for (std::size_t i = 0; i < n; ++i) L += R[i] * out[i];
      return L;
    };
    auto grads = p.zeros_like();
    loss(p);
    g.backward(p, *ws, R.data(), grads);
    const double eps = 1e-6;
    int checked = 0;
    for (std::size_t t = 0; t < p.values.size(); ++t) {
      const std::size_t sz = p.values[t].size();
      double worst = 0, scale = 0;
      for (std::size_t k = 0; k < std::min<std::size_t>(sz, 6); ++k) {
        const std::size_t i = (k * 7919 + t * 31) % sz;
        const double keep = p.values[t][i];
        p.values[t][i] = keep + eps;
        const double lp = loss(p);
        p.values[t][i] = keep - eps;
        const double lm = loss(p);
        p.values[t][i] = keep;
        const double num = (lp - lm) / (2 * eps);
        worst = std::max(worst, std::abs(num - grads.values[t][i]));
        scale = std::max(scale, std::abs(num));
        ++checked;
      }
      QVERIFY2(worst <= 1e-5 * std::max(scale, 1e-2),
               qPrintable(QString("%1: max |analytic - numeric| %2, scale %3")
                              .arg(QString::fromStdString(p.names[t]))
                              .arg(worst)
                              .arg(scale)));
    }
    QVERIFY(checked > 150);
  }

  void fewStepsLowerTheLoss_data() {
    QTest::addColumn<int>("prec");
    QTest::newRow("fp32") << int(ComputePrecision::fp32);
    QTest::newRow("bf16") << int(ComputePrecision::bf16);
  }
  void fewStepsLowerTheLoss() {
    QFETCH(int, prec);
    if (ComputePrecision(prec) == ComputePrecision::bf16 && !kernels::bf16_supported())
      QSKIP("oneDNN has no bf16 kernels on this CPU");
    const auto cfg = tiny_config();
    auto model = Model::random_shared(cfg, 2);
    auto p = ParamSet<float>::from_model(*model);
    auto grads = p.zeros_like();
    const auto list = param_list(p, grads);
    Graph<float> g(cfg, ComputePrecision(prec));
    const std::size_t n = 8 * 8 * 8;
    const auto x0 = random_vec(n, 1, 0.f, 1.f), x1 = random_vec(n, 2, 0.f, 1.f);
    const auto y0 = random_vec(n, 3, 0.f, 0.5f), y1 = random_vec(n, 4, 0.f, 0.5f);
    std::vector<ScaledSample> batch{{x0.data(), y0.data(), 0.2f}, {x1.data(), y1.data(), 0.7f}};
    BatchScratch sc;
    AdamConfig ac;
    ac.weight_decay = 1e-3f;
    Lamb opt(ac);
    const double first = loss_and_gradients(g, p, batch, LossKind::mse, 0.f, grads, sc);
    double last = first;
    for (int s = 0; s < 8; ++s) {
      opt.step(list, 1e-2f);
      last = loss_and_gradients(g, p, batch, LossKind::mse, 0.f, grads, sc);
    }
    QVERIFY2(last < 0.5 * first, qPrintable(QString("%1 -> %2").arg(first).arg(last)));
  }

  // bf16 mixed precision computes the loss and gradients of fp32 up to bf16 rounding (operands of
  // every convolution and matrix product rounded to 8 significant bits, forward and backward).
  // Backpropagated through the network the rounding compounds: on this random tiny model the
  // per-tensor relative L2 difference measured 0.4 % (output conv) to 22 % (first layers), the
  // whole gradient 7 %. Bounds: loss within 1 %, whole gradient within 15 %, every tensor within
  // 35 %, i.e. well inside the noise of a batch-8 stochastic gradient.
  void bf16GradientsFollowFp32() {
    if (!kernels::bf16_supported()) QSKIP("oneDNN has no bf16 kernels on this CPU");
    const auto cfg = tiny_config();
    auto model = Model::random_shared(cfg, 5);
    auto p = ParamSet<float>::from_model(*model);
    const std::size_t n = 8 * 8 * 8;
    const auto x0 = random_vec(n, 11, 0.f, 1.f), x1 = random_vec(n, 12, 0.f, 1.f);
    const auto y0 = random_vec(n, 13, 0.f, 0.5f), y1 = random_vec(n, 14, 0.f, 0.5f);
    std::vector<ScaledSample> batch{{x0.data(), y0.data(), 0.3f}, {x1.data(), y1.data(), 0.8f}};
    auto g32 = p.zeros_like(), g16 = p.zeros_like();
    BatchScratch s32, s16;
    const double l32 =
        loss_and_gradients(Graph<float>(cfg), p, batch, LossKind::mse, 0.f, g32, s32);
    const double l16 = loss_and_gradients(Graph<float>(cfg, ComputePrecision::bf16), p, batch,
                                          LossKind::mse, 0.f, g16, s16);
    QVERIFY2(std::fabs(l16 - l32) < 1e-2 * l32, qPrintable(QString("%1 vs %2").arg(l16).arg(l32)));
    double all_d2 = 0, all_r2 = 0;
    for (std::size_t i = 0; i < g32.values.size(); ++i) {
      double d2 = 0, r2 = 0;
      for (std::size_t j = 0; j < g32.values[i].size(); ++j) {
        const double d = double(g16.values[i][j]) - g32.values[i][j];
        d2 += d * d;
        r2 += double(g32.values[i][j]) * g32.values[i][j];
      }
      all_d2 += d2;
      all_r2 += r2;
      QVERIFY2(std::sqrt(d2) <= 0.35 * std::sqrt(r2),
               qPrintable(
                   QString::fromStdString(g32.names[i]) +
                   QString(": |g16 - g32| %1 vs |g32| %2").arg(std::sqrt(d2)).arg(std::sqrt(r2))));
    }
    const double rel = std::sqrt(all_d2 / all_r2);
    qDebug() << "whole-gradient relative difference bf16 vs fp32:" << rel;
    QVERIFY2(rel <= 0.15, qPrintable(QString("whole gradient: %1").arg(rel)));
    QVERIFY2(rel > 0, "bf16 gradients are bit-identical to fp32: bf16 was not used");
  }

  void batchGradientsDeterministic() {
    const auto cfg = tiny_config();
    auto model = Model::random_shared(cfg, 2);
    auto p = ParamSet<float>::from_model(*model);
    Graph<float> g(cfg);
    const std::size_t n = 8 * 8 * 8;
    std::vector<std::vector<float>> xs, ys;
    std::vector<ScaledSample> batch;
    for (unsigned i = 0; i < 5; ++i) {
      xs.push_back(random_vec(n, 10 + i, 0.f, 1.f));
      ys.push_back(random_vec(n, 20 + i, 0.f, 1.f));
    }
    for (unsigned i = 0; i < 5; ++i) batch.push_back({xs[i].data(), ys[i].data(), 0.1f * i});
    set_num_threads(2);
    auto g1 = p.zeros_like(), g2 = p.zeros_like();
    BatchScratch s1, s2;
    const double l1 = loss_and_gradients(g, p, batch, LossKind::dose_weighted, 2.f, g1, s1);
    const double l2 = loss_and_gradients(g, p, batch, LossKind::dose_weighted, 2.f, g2, s2);
    QCOMPARE(l1, l2);
    for (std::size_t t = 0; t < g1.values.size(); ++t)
      if (g1.values[t] != g2.values[t]) {
        double d = 0;
        for (std::size_t i = 0; i < g1.values[t].size(); ++i)
          d = std::max(d, double(std::abs(g1.values[t][i] - g2.values[t][i])));
        qWarning("%s differs by %g", g1.names[t].c_str(), d);
      }
    QVERIFY(g1.values == g2.values);
  }

  // 2 epochs in one run == 1 epoch, then --resume to 2: same weights, moments and history.
  void resumeIsExact() {
    auto a = tiny_options("run_a");
    const auto ra = run(a);
    QCOMPARE(int(ra.history.size()), 2);
    auto b = tiny_options("run_b");
    b.epochs = 1;
    run(b);
    b.epochs = 2;
    b.resume = true;
    const auto rb = run(b);
    QCOMPARE(int(rb.history.size()), 2);
    const auto ca = load_checkpoint(a.out_dir + "/last.h5");
    const auto cb = load_checkpoint(b.out_dir + "/last.h5");
    QCOMPARE(ca.epoch, 2);
    QCOMPARE(cb.epoch, 2);
    const auto pa = ParamSet<float>::from_model(*ca.model),
               pb = ParamSet<float>::from_model(*cb.model);
    QVERIFY(pa.values == pb.values);
    QVERIFY(ca.state.m == cb.state.m && ca.state.v == cb.state.v);
    QCOMPARE(ca.state.step, cb.state.step);
    QCOMPARE(ra.history[1].train_loss, rb.history[1].train_loss);
    QCOMPARE(ra.history[1].val_loss_full, rb.history[1].val_loss_full);
    // validation in full and stream+cache modes computes the same function
    for (const auto& r : ra.history) {
      QVERIFY(std::abs(r.val_loss_full - r.val_loss_stream) <= 1e-4 * r.val_loss_full);
      QVERIFY(r.max_mode_diff < 1e-3);
    }
    // history written, weights loadable as a model
    QVERIFY(fs::exists(a.out_dir + "/history.csv") && fs::exists(a.out_dir + "/history.h5"));
    QVERIFY(fs::exists(a.out_dir + "/best.h5"));
    std::ifstream csv(a.out_dir + "/history.csv");
    std::string line;
    int rows = 0;
    while (std::getline(csv, line)) ++rows;
    QCOMPARE(rows, 3);
    auto m = Model::load(a.out_dir + "/last.h5");
    QCOMPARE(m.config().to_json(), tiny_config().to_json());
    // the data order differs with another seed, so resuming with it is refused
    auto c = b;
    c.seed = 8;
    c.epochs = 3;
    QVERIFY_THROWS_EXCEPTION(ConfigError, run(c));
  }

  void badData() {
    // grid of the dataset != grid of the config
    auto o = tiny_options("bad_grid");
    o.config = ModelConfig::preset("compact");
    QVERIFY_THROWS_EXCEPTION(ShapeError, run(o));
    // no scaling constants
    const std::string noscale = path("noscale.h5");
    fs::copy_file(data_, noscale);
    {
      H5::H5File f(noscale, H5F_ACC_RDWR);
      f.removeAttr("y_max");
    }
    o = tiny_options("noscale");
    o.data = noscale;
    try {
      run(o);
      QFAIL("expected FormatError");
    } catch (const FormatError& e) {
      QVERIFY(QString(e.what()).contains("scaling"));
    }
    // an HDF5 file of another layout, and a file that is not HDF5
    const std::string other = path("other.h5");
    {
      H5::H5File f(other, H5F_ACC_TRUNC);
      const hsize_t n = 3;
      H5::DataSpace sp(1, &n);
      f.createDataSet("x", H5::PredType::NATIVE_FLOAT, sp);
    }
    o.data = other;
    QVERIFY_THROWS_EXCEPTION(FormatError, run(o));
    const std::string text = path("text.h5");
    std::ofstream(text) << "not hdf5";
    o.data = text;
    QVERIFY_THROWS_EXCEPTION(IoError, run(o));
    // bad options
    o = tiny_options("badopt");
    o.batch = 0;
    QVERIFY_THROWS_EXCEPTION(ValueError, run(o));
    o = tiny_options("badopt");
    o.optimizer = "sgd";
    QVERIFY_THROWS_EXCEPTION(ConfigError, run(o));
  }

  // --kinds keeps only samples of the given phantom kinds (a water-only curriculum stage).
  void kindFilter() {
    auto o = tiny_options("kinds");
    o.epochs = 1;
    o.kinds = {"water"};
    int water = 0;
    for (int i = 0; i < 12; ++i)
      water += physics::read_dataset_sample(data_, i).doses.at("mc").attributes["kind"] == "water";
    QVERIFY(water >= 2 && water < 12);
    const auto r = run(o);
    QCOMPARE(r.n_train + r.n_val, water);
    o.kinds = {"no-such-kind"};
    QVERIFY_THROWS_EXCEPTION(ValueError, run(o));
  }

  // --freeze keeps a tensor exactly as initialised while the others train.
  void freezeKeepsTensor() {
    auto o = tiny_options("freeze");
    o.epochs = 1;
    o.frozen = {"transformer_0/attention/query/kernel"};
    run(o);
    const auto init = ParamSet<float>::from_model(Model::random(tiny_config(), o.seed));
    const auto trained = ParamSet<float>::from_model(Model::load(o.out_dir + "/last.h5"));
    const auto q = init.index("transformer_0/attention/query/kernel");
    QVERIFY(trained.values[q] == init.values[q]);
    const auto v = init.index("transformer_0/attention/value/kernel");
    QVERIFY(trained.values[v] != init.values[v]);
    // --zero + --freeze: the query kernel stays exactly zero (uniform causal attention)
    o.zeroed = o.frozen;
    o.out_dir = path("freeze_zero");
    run(o);
    const auto z = ParamSet<float>::from_model(Model::load(o.out_dir + "/last.h5"));
    QVERIFY(std::all_of(z.values[q].begin(), z.values[q].end(), [](float x) { return x == 0.f; }));
    o.frozen = {"no/such/tensor"};
    QVERIFY_THROWS_EXCEPTION(ValueError, run(o));
    o.frozen.clear();
    o.zeroed = {"no/such/tensor"};
    QVERIFY_THROWS_EXCEPTION(ValueError, run(o));
  }

  // A fresh run starts from a zero output-convolution kernel (zero_output_init, the default); with
  // the option off, or when starting from given weights, the kernel is the one it started from.
  void outputKernelZeroOnRandomInit() {
    const std::string out_kernel = "decoder/conv/kernel";
    auto o = tiny_options("zero_out");
    o.epochs = 1;
    o.frozen = {out_kernel};  // kept as initialised, so the checkpoint shows the initial value
    run(o);
    const auto init = ParamSet<float>::from_model(Model::random(tiny_config(), o.seed));
    const auto k = init.index(out_kernel);
    QVERIFY(std::any_of(init.values[k].begin(), init.values[k].end(),
                        [](float x) { return x != 0.f; }));
    const auto zeroed = ParamSet<float>::from_model(Model::load(o.out_dir + "/last.h5"));
    QVERIFY(std::all_of(zeroed.values[k].begin(), zeroed.values[k].end(),
                        [](float x) { return x == 0.f; }));
    o.zero_output_init = false;
    o.out_dir = path("random_out");
    run(o);
    const auto kept = ParamSet<float>::from_model(Model::load(o.out_dir + "/last.h5"));
    QVERIFY(kept.values[k] == init.values[k]);
    // --init weights are used as they are
    o.zero_output_init = true;
    o.init_weights = path("random_out/last.h5");
    o.out_dir = path("init_out");
    run(o);
    const auto from_init = ParamSet<float>::from_model(Model::load(o.out_dir + "/last.h5"));
    QVERIFY(from_init.values[k] == init.values[k]);
  }

  // Weights so large that the forward overflows: training stops with TrainingDiverged at the
  // first step and the checkpoint of an earlier run in the same directory is untouched.
  void divergingRunStopsAndKeepsCheckpoint() {
    auto o = tiny_options("diverge");
    o.epochs = 1;
    run(o);
    const std::string last = o.out_dir + "/last.h5";
    const std::string before = read_bytes(last);
    auto m = Model::random(tiny_config(), 4);
    ModelWeights w = m.weights();
    for (auto& v : w.dec_conv.data) v *= 1e30f;
    for (auto& v : w.dec_deconv2.data) v *= 1e30f;
    Model huge(m.config(), w, m.scaling());
    const std::string init = path("huge.h5");
    huge.save(init);
    o.init_weights = init;
    try {
      run(o);
      QFAIL("expected TrainingDiverged");
    } catch (const TrainingDiverged& e) {
      QVERIFY(QString(e.what()).contains("not finite"));
      QVERIFY(QString(e.what()).contains("last.h5"));
    }
    QVERIFY(read_bytes(last) == before);
  }

  void failingCheckpointWriteKeepsOldFile() {
    auto o = tiny_options("ckfail");
    o.epochs = 1;
    run(o);
    const std::string last = o.out_dir + "/last.h5";
    const std::string before = read_bytes(last);
    auto ck = load_checkpoint(last);
    const auto names = ParamSet<float>::from_model(*ck.model).names;
    ck.state.m.pop_back();  // inconsistent state: the write must fail before touching the file
    QVERIFY_THROWS_EXCEPTION(ShapeError, save_checkpoint(last, ck, names));
    QVERIFY(read_bytes(last) == before);
    // and a write into a missing directory fails with IoError, not a crash
    auto ck2 = load_checkpoint(last);
    QVERIFY_THROWS_EXCEPTION(IoError, save_checkpoint(path("missing/dir/x.h5"), ck2, names));
    QVERIFY(read_bytes(last) == before);
    // a plain weights file is not a checkpoint
    ck2.model->save(path("plain.h5"));
    QVERIFY_THROWS_EXCEPTION(FormatError, load_checkpoint(path("plain.h5")));
  }

  // Growing a trained model by identity transformer blocks (grow_transformer): the grown model
  // computes the same dose (its new blocks' residual branches are zero), training from it via
  // init_weights works and moves the new block's output weights off zero; configs that differ in
  // anything but a larger depth are refused.
  void growTransformerPreservesTheFunctionAndTrains() {
    ModelConfig shallow = tiny_config();
    shallow.num_transformers = 1;
    auto o = tiny_options("grow_base");
    o.config = shallow;
    o.epochs = 1;
    run(o);
    const auto base = Model::load_shared(o.out_dir + "/model.h5");
    const auto grown = grow_transformer(*base, tiny_config(), 3);
    QCOMPARE(grown->config().num_transformers, 2);
    QVERIFY(grown->weights().blocks[0].wq.data == base->weights().blocks[0].wq.data);
    QVERIFY(grown->weights().blocks[1].wq.data != base->weights().blocks[0].wq.data);
    Case c = physics::read_dataset_sample(data_, 0);
    Session a(base, {.mode = Mode::full}), b(grown, {.mode = Mode::full});
    const Volume da = a.infer(c.ct, c.energy_mev), db = b.infer(c.ct, c.energy_mev);
    QVERIFY(test::max_abs(da) > 0);
    QVERIFY(test::max_diff(da, db) <= 1e-6 * test::max_abs(da));
    // the same through the trainer: 1-block weights, 2-block config
    auto g = tiny_options("grow_run");
    g.init_weights = o.out_dir + "/model.h5";
    g.epochs = 1;
    const auto r = run(g);
    QCOMPARE(int(r.history.size()), 1);
    const auto trained = Model::load_shared(g.out_dir + "/last.h5");
    QCOMPARE(trained->config().num_transformers, 2);
    double wo = 0;
    for (float v : trained->weights().blocks[1].wo.data) wo = std::max(wo, double(std::abs(v)));
    QVERIFY(wo > 0);
    // refused: same depth, shallower, or another width
    QVERIFY_THROWS_EXCEPTION(ConfigError, grow_transformer(*base, shallow, 3));
    QVERIFY_THROWS_EXCEPTION(ConfigError, grow_transformer(*grown, shallow, 3));
    ModelConfig wider = tiny_config();
    wider.conv_channels = 8;
    QVERIFY_THROWS_EXCEPTION(ConfigError, grow_transformer(*base, wider, 3));
  }

  void evaluateReportsModelAndPba() {
    auto o = tiny_options("eval");
    o.epochs = 1;
    run(o);
    auto m = Model::load_shared(o.out_dir + "/best.h5");
    EvaluateOptions eo;
    eo.max_samples = 4;
    const auto r = evaluate(m, data_, eo);
    QCOMPARE(int(r.samples.size()), 4);
    QCOMPARE(r.overall.n, 4);
    QVERIFY(r.overall.pba_pass_mean > 0 && r.overall.pba_pass_mean <= 100);
    QVERIFY(r.overall.model_pass_mean >= 0 && r.overall.model_pass_mean <= 100);
    QVERIFY(r.norm_dose > 0);
    QVERIFY(!r.by_kind.empty() && !r.by_energy.empty());
    const auto j = r.to_json(true);
    QCOMPARE(int(j["samples"].size()), 4);
    // paired model - PBA difference, recomputed from the per-sample scores
    double sum = 0;
    int better = 0, worse = 0;
    for (const auto& s : r.samples) {
      const double d = s.model_pass_dota - s.pba_pass_dota;
      sum += d;
      better += d > 1e-9;
      worse += d < -1e-9;
    }
    const auto& p = r.model_minus_pba;
    QCOMPARE(p.n, 4);
    QVERIFY(std::abs(p.mean - sum / 4) < 1e-9);
    QCOMPARE(p.model_better, better);
    QCOMPARE(p.model_worse, worse);
    QCOMPARE(p.ties, 4 - better - worse);
    QVERIFY(p.ci95_low <= p.mean && p.mean <= p.ci95_high);
    QVERIFY(std::abs(p.mean - (r.overall.model_pass_mean - r.overall.pba_pass_mean)) < 1e-9);
    QVERIFY(j.contains("model_minus_pba_gamma_pass"));
    QVERIFY(j["overall"].contains("pba_r80_abs_err_mm_median"));
    QCOMPARE(j["model_inference"].get<std::string>(), std::string("single pass"));
    QVERIFY(r.to_text().find("model - PBA") != std::string::npos);
    // without the PBA its columns are '-' (not zeros) and there is no paired comparison
    eo.pba = false;
    eo.max_samples = 1;
    eo.rotation_average = true;
    const auto nr = evaluate(m, data_, eo);
    const auto nj = nr.to_json();
    QVERIFY(!nj.contains("model_minus_pba_gamma_pass"));
    QCOMPARE(nj["pba"].get<bool>(), false);
    QVERIFY(nj["model_inference"].get<std::string>().find("rotation-averaged") == 0);
    const std::string text = nr.to_text();
    QVERIFY(text.find("PBA not evaluated") != std::string::npos);
    QVERIFY(text.find("model - PBA") == std::string::npos);
    const auto row = text.substr(text.find("\nall "),
                                 text.find('\n', text.find("\nall ") + 1) - text.find("\nall "));
    QCOMPARE(row.find("±"), row.rfind("±"));  // one mean±sd column: the model's
    // a perfect "model": MC vs itself passes everywhere
    Case c = physics::read_dataset_sample(data_, 0);
    QCOMPARE(physics::gamma_index(c.doses.at("mc").volume, c.doses.at("mc").volume).pass_rate,
             100.0);
  }

  void groupStatisticsSkipMissingRanges() {
    // |R80 error| mean and median over the samples with an MC range and a fall-off; a sample
    // without an MC range counts nowhere, one without an evaluated fall-off counts as missing
    const double nan = std::numeric_limits<double>::quiet_NaN();
    std::vector<SampleScore> s(6);
    const double model_err[] = {-3, 1, nan, 2, 10, 50};
    const double pba_err[] = {0.5, -0.5, 4, nan, nan, 50};
    for (int i = 0; i < 6; ++i) {
      s[i].mc_r80_mm = i == 5 ? nan : 100.0;
      s[i].model_r80_err_mm = model_err[i];
      s[i].pba_r80_err_mm = pba_err[i];
      s[i].model_pass_dota = 90 + i;
    }
    std::vector<const SampleScore*> ptrs;
    for (const auto& x : s) ptrs.push_back(&x);
    const GroupScore g = summarize_group("g", ptrs);
    QCOMPARE(g.n, 6);
    QCOMPARE(g.n_range, 5);
    QCOMPARE(g.model_range_missing, 1);
    QCOMPARE(g.pba_range_missing, 2);
    QCOMPARE(g.model_r80_abs_mean, 4.0);    // (3 + 1 + 2 + 10) / 4
    QCOMPARE(g.model_r80_abs_median, 2.5);  // 1 2 | 3 10
    QCOMPARE(g.pba_r80_abs_mean, 5.0 / 3);
    QCOMPARE(g.pba_r80_abs_median, 0.5);  // 0.5 0.5 4
    QCOMPARE(g.model_pass_mean, 92.5);
    QCOMPARE(g.model_pass_min, 90.0);
  }

  void cli() {
    auto r = test::run_cli({"train", "--data", QString::fromStdString(data_), "--out",
                            QString::fromStdString(path("cli")), "--optimizer", "sgd"});
    QVERIFY(r.exit_code != 0);
    QVERIFY(r.err.contains("optimizer"));
    QCOMPARE(r.err.trimmed().count('\n'), 0);
    const QString cfg = QString::fromStdString(path("tiny.json"));
    std::ofstream(cfg.toStdString()) << tiny_config().to_json().dump();
    r = test::run_cli({"train", "--data", QString::fromStdString(data_), "--config", cfg, "--out",
                       QString::fromStdString(path("cli")), "--epochs", "1", "--batch", "4",
                       "--optimizer", "adamw", "--lr", "0.002", "--json", "--quiet"});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    auto j = nlohmann::json::parse(r.out.toStdString());
    QCOMPARE(int(j["history"].size()), 1);
    r = test::run_cli({"evaluate", "--model", QString::fromStdString(path("cli/best.h5")), "--data",
                       QString::fromStdString(data_), "--max-samples", "2", "--json", "--quiet"});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    j = nlohmann::json::parse(r.out.toStdString());
    QCOMPARE(j["n"].get<int>(), 2);
    QVERIFY(j["overall"].contains("model_gamma_pass_mean"));
    r = test::run_cli({"evaluate", "--model", QString::fromStdString(path("missing.h5")), "--data",
                       QString::fromStdString(data_)});
    QVERIFY(r.exit_code != 0);
    QVERIFY(r.err.contains("missing.h5"));
  }
};

QTEST_GUILESS_MAIN(TestTrainGraph)
#include "test_train_graph.moc"
