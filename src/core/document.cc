#include "core/document.h"

#include <array>
#include <cstdlib>

namespace jz {

namespace {
constexpr std::array<std::string_view, 5> kCellTypeNames = {"text", "integer", "fen", "percent", "date"};

// "-12.34" from -1234 (two decimals, the sign before the integer part).
std::string FormatHundredths(int64_t value) {
    const bool negative = value < 0;
    // Unsigned so that INT64_MIN has a magnitude.
    const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
    std::string fraction = std::to_string(magnitude % 100);
    if (fraction.size() < 2) fraction.insert(0, "0");
    return (negative ? "-" : "") + std::to_string(magnitude / 100) + "." + fraction;
}
}  // namespace

std::string_view DocCellTypeName(DocCellType type) { return kCellTypeNames[static_cast<size_t>(type)]; }

std::optional<DocCellType> ParseDocCellType(std::string_view name) {
    for (size_t i = 0; i < kCellTypeNames.size(); ++i)
        if (kCellTypeNames[i] == name) return static_cast<DocCellType>(i);
    return std::nullopt;
}

std::string_view DocChartKindName(DocChart::Kind kind) { return kind == DocChart::Kind::kLine ? "line" : "bar"; }

const DocSection* Document::section(std::string_view id) const {
    for (const DocSection& s : sections)
        if (s.id == id) return &s;
    return nullptr;
}

std::string FormatFen(int64_t fen) { return FormatHundredths(fen); }

std::string FormatPercent(int64_t hundredths) { return FormatHundredths(hundredths) + "%"; }

std::string FormatDocValue(const DocValue& value, DocCellType type) {
    if (const auto* text = std::get_if<std::string>(&value)) return *text;
    const auto* number = std::get_if<int64_t>(&value);
    if (!number) return {};
    switch (type) {
        case DocCellType::kFen:
            return FormatFen(*number);
        case DocCellType::kPercent:
            return FormatPercent(*number);
        default:
            return std::to_string(*number);
    }
}

int64_t PercentOf(int64_t part, int64_t whole) {
    if (whole == 0) return 0;
    // part * 10000 / whole, rounded half away from zero, in 128 bits so large counts do not overflow.
    const __int128 scaled = static_cast<__int128>(part) * 10000;
    const __int128 w = whole;
    __int128 q = scaled / w;
    const __int128 r = scaled % w;
    const bool negative = (scaled < 0) != (w < 0);
    const __int128 ar = r < 0 ? -r : r, aw = w < 0 ? -w : w;
    if (ar * 2 >= aw) q += negative ? -1 : 1;
    return static_cast<int64_t>(q);
}

}  // namespace jz
