#include "dotakv/digits/evaluate.hpp"

#include <algorithm>
#include <chrono>

namespace dotakv::digits {

void LengthStats::add(const LengthStats& o) {
  strings += o.strings;
  exact += o.exact;
  wrong_length += o.wrong_length;
  digits += o.digits;
  edits += o.edits;
}

nlohmann::json LengthStats::to_json() const {
  return {{"strings", strings},
          {"exact", exact},
          {"exact_rate", exact_rate()},
          {"wrong_length", wrong_length},
          {"wrong_length_rate", wrong_length_rate()},
          {"digits", digits},
          {"edits", edits},
          {"digit_error_rate", digit_error_rate()},
          {"digit_accuracy", digit_accuracy()}};
}

nlohmann::json DigitsEvaluation::to_json() const {
  nlohmann::json bl = nlohmann::json::object();
  for (const auto& [len, s] : by_length) bl[std::to_string(len)] = s.to_json();
  return {{"all", all.to_json()},
          {"by_length", bl},
          {"seconds", seconds},
          {"mode", mode},
          {"beam", beam}};
}

LabelledImage labelled_image(const DigitString& s) {
  LabelledImage li;
  li.image.height = kImageHeight;
  li.image.width = s.width;
  li.image.pixels = s.pixels;
  li.labels = s.labels;
  return li;
}

int edit_distance(const std::vector<int>& a, const std::vector<int>& b) {
  std::vector<int> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = int(j);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = int(i);
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

DigitsEvaluation evaluate(DigitsSession& session, const std::vector<LabelledImage>& data,
                          const ReadOptions& o, int batch, Progress* progress) {
  const auto t0 = std::chrono::steady_clock::now();
  DigitsEvaluation ev;
  ev.beam = o.beam;
  batch = std::max(1, batch);
  for (std::size_t i = 0; i < data.size(); i += std::size_t(batch)) {
    const std::size_t n = std::min(data.size() - i, std::size_t(batch));
    std::vector<GrayImage> ims;
    for (std::size_t k = 0; k < n; ++k) ims.push_back(data[i + k].image);
    const auto res = session.read(ims, o, progress);
    ev.mode = session.last_stats().mode;
    for (std::size_t k = 0; k < n; ++k) {
      const auto& ref = data[i + k].labels;
      LengthStats s;
      s.strings = 1;
      s.digits = (long long)ref.size();
      s.edits = edit_distance(res[k].digits, ref);
      s.exact = res[k].digits == ref;
      s.wrong_length = res[k].digits.size() != ref.size();
      ev.all.add(s);
      ev.by_length[int(ref.size())].add(s);
    }
    report(progress, double(i + n), double(data.size()), "reading");
  }
  ev.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return ev;
}

}  // namespace dotakv::digits
