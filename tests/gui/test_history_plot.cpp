// Training-history plot (history_plot.hpp): a 3-epoch history.csv as the trainer writes it is
// rendered to a PNG of the requested size with every series visible; malformed CSVs (missing
// column, non-numeric value, wrong field count) raise FormatError naming the file (and line).
#include <QColor>
#include <QFile>
#include <QImage>
#include <QImageReader>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

#include "dotakv/error.hpp"
#include "dotakv/train/trainer.hpp"
#include "history_plot.hpp"

using namespace dotakv::gui;

namespace {

void write_file(const QString& path, const QByteArray& content) {
  QFile f(path);
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write(content);
}

std::string three_epochs() {
  std::vector<dotakv::train::EpochRecord> h(3);
  const double train[] = {4.1e-3, 1.3e-3, 6.2e-4}, full[] = {2.9e-3, 1.1e-3, 5.8e-4};
  for (int i = 0; i < 3; ++i) {
    h[i].epoch = i + 1;
    h[i].step = 25 * (i + 1);
    h[i].lr = i < 2 ? 1e-3 : 5e-4;
    h[i].train_loss = train[i];
    h[i].val_loss_full = full[i];
    h[i].val_loss_stream = full[i] * (1 + 1e-6);
    h[i].max_mode_diff = 2e-6;
    h[i].seconds = 30;
    h[i].samples_per_s = 6.7;
  }
  return dotakv::train::history_csv(h);
}

// Pixels within `tol` (per channel) of colour c.
long long count_colour(const QImage& img, QRgb c, int tol = 12) {
  long long n = 0;
  for (int y = 0; y < img.height(); ++y)
    for (int x = 0; x < img.width(); ++x) {
      const QRgb p = img.pixel(x, y);
      if (std::abs(qRed(p) - qRed(c)) <= tol && std::abs(qGreen(p) - qGreen(c)) <= tol &&
          std::abs(qBlue(p) - qBlue(c)) <= tol)
        ++n;
    }
  return n;
}

// Expects FormatError whose message names `file` and contains `part`.
void expect_format_error(const QString& file, const QString& part) {
  try {
    write_history_png(file, file + ".png");
    QFAIL("no FormatError");
  } catch (const dotakv::FormatError& e) {
    const QString msg = QString::fromStdString(e.what());
    QVERIFY2(msg.contains(file), qPrintable(msg));
    QVERIFY2(msg.contains(part), qPrintable(msg));
  }
  QVERIFY(!QFile::exists(file + ".png"));
}

}  // namespace

class TestHistoryPlot : public QObject {
  Q_OBJECT
 private slots:
  void rendersPng() {
    QTemporaryDir dir;
    const QString csv = dir.filePath("history.csv"), png = dir.filePath("history.png");
    write_file(csv, QByteArray::fromStdString(three_epochs()));
    const auto h = read_history_csv(csv);
    QCOMPARE(int(h.size()), 3);
    QCOMPARE(h[2].epoch, 3);
    QCOMPARE(h[2].step, 75LL);
    QCOMPARE(h[2].lr, 5e-4);

    write_history_png(csv, png);
    QImageReader reader(png);
    QCOMPARE(reader.format(), QByteArray("png"));
    const QImage img = reader.read();
    QVERIFY2(!img.isNull(), qPrintable(reader.errorString()));
    QCOMPARE(img.size(), QSize(1000, 600));
    QVERIFY(QDir(dir.path()).entryList({"*.tmp-*"}, QDir::Files).isEmpty());

    const long long n = 1000LL * 600;
    QVERIFY2(count_colour(img, qRgb(255, 255, 255), 0) > n / 2, "background is not white");
    for (QRgb c :
         {kHistoryTrainColour, kHistoryValFullColour, kHistoryStreamColour, kHistoryLrColour})
      QVERIFY2(count_colour(img, c) > 150, qPrintable(QColor(c).name() + " series missing"));

    // Custom size and title; scaled layout still shows the series.
    HistoryPlotOptions o;
    o.size = QSize(640, 400);
    o.title = "run 1";
    const QImage small = render_history_plot(h, o);
    QCOMPARE(small.size(), QSize(640, 400));
    QVERIFY(count_colour(small, kHistoryValFullColour) > 50);
  }

  void gapsAndSingleEpoch() {
    // One epoch, NaN stream loss (e.g. validation skipped): drawn without throwing.
    const auto h = parse_history_csv(
        "epoch,lr,train_loss,val_loss_full,val_loss_stream\n1,1e-3,2e-3,1.5e-3,nan\n", "mem.csv");
    QCOMPARE(int(h.size()), 1);
    QVERIFY(std::isnan(h[0].val_loss_stream));
    QCOMPARE(h[0].step, 0LL);  // optional column absent
    const QImage img = render_history_plot(h);
    QVERIFY(count_colour(img, kHistoryTrainColour) > 20);
  }

  void malformedCsvNamesTheFile() {
    QTemporaryDir dir;
    const QString missing = dir.filePath("missing.csv");
    write_file(missing, "epoch,step,lr,train_loss,val_loss_full\n1,25,1e-3,2e-3,1e-3\n");
    expect_format_error(missing, "val_loss_stream");

    const QString text = dir.filePath("text.csv");
    QByteArray rows = QByteArray::fromStdString(three_epochs());
    rows.replace(",0.00058,", ",abc,");  // epoch 3 val_loss_full (line 4)
    write_file(text, rows);
    expect_format_error(text, ":4:");
    expect_format_error(text, "'abc'");

    const QString fields = dir.filePath("fields.csv");
    write_file(fields, QByteArray::fromStdString(three_epochs()) + "4,100,5e-4\n");
    expect_format_error(fields, ":5:");

    const QString empty = dir.filePath("empty.csv");
    write_file(empty, "epoch,step,lr,train_loss,val_loss_full,val_loss_stream\n");
    expect_format_error(empty, "no epoch rows");

    try {
      write_history_png(dir.filePath("absent.csv"), dir.filePath("absent.png"));
      QFAIL("no IoError");
    } catch (const dotakv::IoError& e) {
      QVERIFY(QString::fromStdString(e.what()).contains("absent.csv"));
    }
  }
};

QTEST_MAIN(TestHistoryPlot)
#include "test_history_plot.moc"
