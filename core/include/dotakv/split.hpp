// The train / validation / test split shared by every family's data (digits: by digit image,
// digits/data.hpp; lm: by document id, lm/corpus.hpp). Each family says which items fall where;
// the names and their parsing are one.
#pragma once
#include <string>

namespace dotakv {

enum class Split { train, val, test };
// "train" | "val" | "test"; anything else: ValueError naming the accepted values.
Split parse_split(const std::string& text);
std::string to_string(Split s);

}  // namespace dotakv
