#include "core/layout.h"

#include <cctype>

namespace jz {
namespace {

constexpr ColumnInfo kColumns[] = {
    {Column::kHouseholdCode, "户编号", "household_code", true, true},
    {Column::kDivisionCode, "行政区划代码", "division_code", true, true},
    {Column::kName, "姓名", "name", false, true},
    {Column::kIdNumber, "证件号码", "id_number", false, true},
    {Column::kRelation, "与户主关系", "relation", false, true},
    {Column::kSex, "性别", "sex", false, false},
    {Column::kBirthDate, "出生日期", "birth_date", false, false},
    {Column::kEthnicity, "民族", "ethnicity", false, false},
    {Column::kEducation, "文化程度", "education", false, false},
    {Column::kSchooling, "在校生状况", "schooling", false, false},
    {Column::kHealth, "健康状况", "health", false, false},
    {Column::kLabour, "劳动能力", "labour", false, false},
    {Column::kMigrantWork, "务工状况", "migrant_work", false, false},
    {Column::kMonthsWorked, "务工时间", "months_worked", false, false},
    {Column::kAttribute, "贫困户属性", "attribute", true, true},
    {Column::kIdentificationStandard, "识别标准", "identification_standard", true, false},
    {Column::kMainCause, "主要致贫原因", "main_cause", true, true},
    {Column::kOtherCauses, "其他致贫原因", "other_causes", true, false},
    {Column::kIdentifiedYear, "识别年度", "identified_year", true, true},
    {Column::kPlannedExitYear, "计划脱贫年度", "planned_exit_year", true, false},
    {Column::kStatus, "脱贫状态", "status", true, false},
    {Column::kExitYear, "脱贫年度", "exit_year", true, false},
    {Column::kNetIncomePerHead, "年人均纯收入", "net_income_per_head", true, false},
    {Column::kMainMeasure, "主导帮扶措施", "main_measure", true, false},
    {Column::kAuxMeasures, "辅助帮扶措施", "aux_measures", true, false},
    {Column::kPairingCadre, "帮扶责任人", "pairing_cadre", true, false},
    {Column::kPhone, "联系电话", "phone", true, false},
    {Column::kDangerousHousing, "是否危房", "dangerous_housing", true, false},
    {Column::kSafeWater, "饮水安全", "safe_water", true, false},
    {Column::kHouseholdElectricity, "通生活用电", "household_electricity", true, false},
    {Column::kHousingArea, "住房面积", "housing_area", true, false},
};
static_assert(std::size(kColumns) == kColumnCount);

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

}  // namespace

std::span<const ColumnInfo> Columns() { return kColumns; }

const ColumnInfo& InfoOf(Column column) { return kColumns[static_cast<size_t>(column)]; }

std::optional<Column> ColumnFromHeader(std::string_view header) {
    header = TrimCell(header);
    for (const ColumnInfo& c : kColumns)
        if (header == c.zh || EqualsIgnoreCase(header, c.en)) return c.column;
    return std::nullopt;
}

std::string_view TrimCell(std::string_view s) {
    constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";
    for (;;) {
        if (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
            s.remove_prefix(1);
        else if (s.starts_with(kIdeographicSpace))
            s.remove_prefix(3);
        else
            break;
    }
    for (;;) {
        if (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
            s.remove_suffix(1);
        else if (s.ends_with(kIdeographicSpace))
            s.remove_suffix(3);
        else
            break;
    }
    return s;
}

std::vector<std::string_view> SplitList(std::string_view text) {
    // Separators: 、 ， ； (3-byte UTF-8) and , ; / space.
    static constexpr std::string_view kWide[] = {"\xE3\x80\x81", "\xEF\xBC\x8C", "\xEF\xBC\x9B",
                                                 "\xE3\x80\x80"};
    std::vector<std::string_view> parts;
    size_t start = 0, i = 0;
    auto flush = [&](size_t end) {
        std::string_view part = TrimCell(text.substr(start, end - start));
        if (!part.empty()) parts.push_back(part);
    };
    while (i < text.size()) {
        char c = text[i];
        if (c == ',' || c == ';' || c == '/' || c == ' ' || c == '\t') {
            flush(i);
            start = ++i;
            continue;
        }
        bool wide = false;
        for (std::string_view w : kWide) {
            if (text.compare(i, w.size(), w) == 0) {
                flush(i);
                i += w.size();
                start = i;
                wide = true;
                break;
            }
        }
        if (!wide) ++i;
    }
    flush(text.size());
    return parts;
}

}  // namespace jz
