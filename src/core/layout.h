// The registry exchange layout (import-format.md): one row per person, household fields repeated.
// This header is the single description of its columns, used by import, export and the generator.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace jz {

enum class Column {
    kHouseholdCode,
    kDivisionCode,
    kName,
    kIdNumber,
    kRelation,
    kSex,
    kBirthDate,
    kEthnicity,
    kEducation,
    kSchooling,
    kHealth,
    kLabour,
    kMigrantWork,
    kMonthsWorked,
    kAttribute,
    kIdentificationStandard,
    kMainCause,
    kOtherCauses,
    kIdentifiedYear,
    kPlannedExitYear,
    kStatus,
    kExitYear,
    kNetIncomePerHead,
    kMainMeasure,
    kAuxMeasures,
    kPairingCadre,
    kPhone,
    kDangerousHousing,
    kSafeWater,
    kHouseholdElectricity,
    kHousingArea,
};
inline constexpr size_t kColumnCount = 31;

struct ColumnInfo {
    Column column;
    std::string_view zh;  // 户编号
    std::string_view en;  // household_code
    bool household_level;
    bool required;
};

// In the layout's order.
std::span<const ColumnInfo> Columns();
const ColumnInfo& InfoOf(Column column);
// A header cell (Chinese or English, surrounding spaces ignored, English case-insensitive).
std::optional<Column> ColumnFromHeader(std::string_view header);

// One row of the layout, as text, indexed by Column.
using LayoutRow = std::array<std::string, kColumnCount>;

// Splits a list cell (其他致贫原因, 辅助帮扶措施) on 、 , ， ; ； / and spaces; empty parts dropped.
std::vector<std::string_view> SplitList(std::string_view text);

// Trims ASCII spaces/tabs and U+3000 ideographic spaces at both ends.
std::string_view TrimCell(std::string_view text);

}  // namespace jz
