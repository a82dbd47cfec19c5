#include "dotakv/error.hpp"

namespace dotakv {
std::string shape_string(const std::vector<long long>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ",";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}
}  // namespace dotakv
