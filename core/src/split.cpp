#include "dotakv/split.hpp"

#include "dotakv/error.hpp"

namespace dotakv {

Split parse_split(const std::string& text) {
  if (text == "train") return Split::train;
  if (text == "val") return Split::val;
  if (text == "test") return Split::test;
  throw ValueError("split: expected train, val or test, found '" + text + "'");
}

std::string to_string(Split s) {
  switch (s) {
    case Split::train:
      return "train";
    case Split::val:
      return "val";
    case Split::test:
      return "test";
  }
  return "?";
}

}  // namespace dotakv
