// Name pools for the synthetic registry (the generator's households.cc and persons.cc only):
// Tibetan names in Chinese transliteration and Han surnames and given names, split by sex. Parts are ordered
// from most to least common, so a skewed draw over the index makes popular names repeat as they do in a
// county.
#pragma once

#include <span>
#include <string_view>

namespace jz::names {

// Two-character Tibetan name parts. `Lead` parts start four-character names (扎西次仁, 次仁卓玛)
// and, alone, serve either sex; `Male`/`Female` parts end names of that sex or stand alone.
std::span<const std::string_view> TibetanLead();
std::span<const std::string_view> TibetanMale();
std::span<const std::string_view> TibetanFemale();

std::span<const std::string_view> HanSurnames();
std::span<const std::string_view> HanGivenMale();
std::span<const std::string_view> HanGivenFemale();

}  // namespace jz::names
