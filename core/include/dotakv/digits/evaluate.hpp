// Accuracy of a digits model on labelled strings: what the model card and `dotakv digits
// evaluate` report, and what training validates with.
//
// Per string the greedy (or beam) reading is compared with the label sequence:
//   exact        the digit strings are equal
//   wrong length the read string has another number of digits
//   digit errors the Levenshtein distance (substitutions + insertions + deletions)
// digit error rate = sum(distance) / sum(reference digits) (OCR character error rate, can exceed
// 1 for long garbage); per-digit accuracy = max(0, 1 - error rate) (with equal lengths: the
// position-wise accuracy). Reported overall and per length.
#pragma once
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dotakv/digits/data.hpp"
#include "dotakv/digits/session.hpp"

namespace dotakv::digits {

struct LabelledImage {
  GrayImage image;
  std::vector<int> labels;
};

struct LengthStats {
  int strings = 0, exact = 0, wrong_length = 0;
  long long digits = 0, edits = 0;
  double digit_error_rate() const { return digits ? double(edits) / double(digits) : 0.0; }
  double digit_accuracy() const { return digits ? std::max(0.0, 1.0 - digit_error_rate()) : 0.0; }
  double exact_rate() const { return strings ? double(exact) / strings : 0.0; }
  double wrong_length_rate() const { return strings ? double(wrong_length) / strings : 0.0; }
  void add(const LengthStats& o);
  nlohmann::json to_json() const;
};

struct DigitsEvaluation {
  LengthStats all;
  std::map<int, LengthStats> by_length;  // reference length -> stats
  double seconds = 0;
  std::string mode;
  int beam = 1;
  nlohmann::json to_json() const;
};

// A composed or stored string as the model's input with its labels.
LabelledImage labelled_image(const DigitString& s);

int edit_distance(const std::vector<int>& a, const std::vector<int>& b);

// Reads every image (batches of `batch`) and scores it. Progress counts strings.
DigitsEvaluation evaluate(DigitsSession& session, const std::vector<LabelledImage>& data,
                          const ReadOptions& o, int batch = 8, Progress* progress = nullptr);

}  // namespace dotakv::digits
