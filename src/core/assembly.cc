#include "core/assembly.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string_view>

#include "core/codes.h"
#include "core/id_number.h"
#include "core/text.h"

namespace jz {
namespace {

constexpr int kMinYear = 1980;
constexpr int kMaxYear = 2100;

std::string_view Cell(const RawRow& row, Column c) { return TrimCell(row.cells[static_cast<size_t>(c)]); }

std::string Quote(std::string_view v) { return "\"" + std::string(v) + "\""; }

class Checker {
  public:
    Checker(const RawRow& row, std::string_view household_code, std::vector<jz::Error>& errors,
            std::vector<jz::Error>& warnings)
        : row_(row), household_code_(household_code), errors_(errors), warnings_(warnings) {}

    void Error(Column c, std::string code, std::string zh, std::string en) {
        errors_.push_back(Issue(c, std::move(code), std::move(zh), std::move(en)));
    }
    void Warning(Column c, std::string code, std::string zh, std::string en) {
        warnings_.push_back(Issue(c, std::move(code), std::move(zh), std::move(en)));
    }

    // Required non-empty cell.
    std::optional<std::string_view> Required(Column c) {
        std::string_view v = Cell(row_, c);
        if (v.empty()) {
            Error(c, "required", std::string(InfoOf(c).zh) + "不能为空",
                  std::string(InfoOf(c).en) + " must not be empty");
            return std::nullopt;
        }
        return v;
    }

    // Free text (names, codes, phone): refused when it holds a control or bidirectional formatting
    // character, naming the character and where it is. False after recording the error.
    bool PlainText(Column c, std::string_view v) {
        const auto bad = FindForbiddenCharacter(v);
        if (!bad) return true;
        const std::string which = DescribeCharacter(bad->character);
        const std::string at = std::to_string(bad->position);
        Error(c, "text.control_character",
              std::string(InfoOf(c).zh) + "第" + at + "个字符" + which +
                  "是控制字符或双向文本控制字符(不可见或会改变文字显示顺序),不允许出现",
              std::string(InfoOf(c).en) + ": character " + at + ", " + which +
                  ", is a control or bidirectional formatting character (invisible, or reorders what "
                  "is shown) and is not allowed");
        return false;
    }

    // A code-table cell; nullopt when empty (or invalid, after recording the error).
    std::optional<int> Code(Column c, const CodeTable& table, bool required) {
        std::string_view v = Cell(row_, c);
        if (v.empty()) {
            if (required) Required(c);
            return std::nullopt;
        }
        auto code = table.Parse(v);
        if (!code) {
            Error(c, "unknown_code", std::string(InfoOf(c).zh) + "取值" + Quote(v) + "不在代码表中",
                  std::string(InfoOf(c).en) + " value " + Quote(v) + " is not in the " +
                      std::string(table.id) + " code table");
        }
        return code;
    }

    // An integer within [lo, hi]; Excel numeric cells such as "2016.0" are accepted.
    std::optional<int> Integer(Column c, int lo, int hi, bool required) {
        std::string_view v = Cell(row_, c);
        if (v.empty()) {
            if (required) Required(c);
            return std::nullopt;
        }
        if (row_.numeric(c) && v.ends_with(".0")) v.remove_suffix(2);
        int value = 0;
        auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
        if (ec != std::errc() || p != v.data() + v.size()) {
            Error(c, "not_integer", std::string(InfoOf(c).zh) + "应为整数: " + Quote(v),
                  std::string(InfoOf(c).en) + " must be a whole number: " + Quote(v));
            return std::nullopt;
        }
        if (value < lo || value > hi) {
            Error(c, "out_of_range",
                  std::string(InfoOf(c).zh) + "应在" + std::to_string(lo) + "到" + std::to_string(hi) +
                      "之间: " + Quote(v),
                  std::string(InfoOf(c).en) + " must be between " + std::to_string(lo) + " and " +
                      std::to_string(hi) + ": " + Quote(v));
            return std::nullopt;
        }
        return value;
    }

    // A non-negative decimal with at most two fraction digits (yuan, m²), in hundredths.
    std::optional<int64_t> Centi(Column c) {
        std::string_view v = Cell(row_, c);
        if (v.empty()) return std::nullopt;
        std::optional<int64_t> value;
        if (row_.numeric(c)) {
            // Excel stores 3520.5 as a binary double; round to the fen it stands for.
            double d = 0;
            auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
            if (ec == std::errc() && p == v.data() + v.size() && std::isfinite(d) && std::fabs(d) < 1e13)
                value = static_cast<int64_t>(std::llround(d * 100));
        } else {
            value = ParseCenti(v);
        }
        if (!value) {
            Error(c, "not_number", std::string(InfoOf(c).zh) + "应为数字(最多两位小数): " + Quote(v),
                  std::string(InfoOf(c).en) + " must be a number with at most two decimals: " + Quote(v));
            return std::nullopt;
        }
        if (*value < 0) {
            Error(c, "negative", std::string(InfoOf(c).zh) + "不能为负数: " + Quote(v),
                  std::string(InfoOf(c).en) + " must not be negative: " + Quote(v));
            return std::nullopt;
        }
        return value;
    }

    std::optional<bool> YesNo(Column c) {
        auto v = Code(c, codes::YesNo(), false);
        if (!v) return std::nullopt;
        return *v == codes::kYes;
    }

    // A list of codes (causes or measures): parsed, duplicates refused.
    template <class ParseFn>
    std::vector<int> List(Column c, ParseFn parse, std::string_view what_zh, std::string_view what_en) {
        std::vector<int> out;
        for (std::string_view part : SplitList(Cell(row_, c))) {
            auto v = parse(part);
            if (!v) {
                Error(c, "unknown_code",
                      std::string(InfoOf(c).zh) + "中的" + Quote(part) + "不是有效的" + std::string(what_zh),
                      std::string(InfoOf(c).en) + ": " + Quote(part) + " is not a known " +
                          std::string(what_en));
                continue;
            }
            if (std::ranges::find(out, *v) != out.end()) {
                Error(c, "repeated", std::string(InfoOf(c).zh) + "中" + Quote(part) + "重复",
                      std::string(InfoOf(c).en) + ": " + Quote(part) + " is repeated");
                continue;
            }
            out.push_back(*v);
        }
        return out;
    }

    const RawRow& row() const { return row_; }

  private:
    const RawRow& row_;
    std::string_view household_code_;
    jz::Error Issue(Column c, std::string code, std::string zh, std::string en) const {
        return {.code = std::move(code),
                .field = std::string(InfoOf(c).en),
                .message_zh = std::move(zh),
                .message_en = std::move(en),
                .row = row_.row_number,
                .household_code = std::string(household_code_)};
    }

    std::vector<jz::Error>& errors_;
    std::vector<jz::Error>& warnings_;
};

// A spreadsheet date serial as a date. 1900 system: serial 1 is 1900-01-01, and Excel (Lotus before
// it) counts a 1900-02-29 that never was, so serial 60 is no date and serials 1-59 are one day
// later than a plain count from 1899-12-31 would say. 1904 system: serial 0 is 1904-01-01. A
// fraction (time of day) is dropped. nullopt when not such a number.
struct SerialDate {
    std::optional<Date> date;
    bool phantom_leap_day = false;  // serial 60 in the 1900 system
};

SerialDate DateFromSerial(std::string_view v, bool date1904) {
    double d = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
    if (ec != std::errc() || p != v.data() + v.size() || !std::isfinite(d) || d < 0 || d >= 2958466)
        return {};
    const long serial = static_cast<long>(std::floor(d));
    // Days from 1970-01-01: serial 25569 (1900 system) or 24107 (1904 system) is that day.
    if (date1904) return {Date::FromDaysSinceEpoch(serial - 24107)};
    if (serial == 0) return {};
    if (serial == 60) return {std::nullopt, true};
    return {Date::FromDaysSinceEpoch(serial < 60 ? serial - 25568 : serial - 25569)};
}

// A birth date cell: YYYY-MM-DD or YYYYMMDD text; a numeric .xlsx cell holding YYYYMMDD (19930713)
// or a date serial (the 1900 or the workbook's 1904 system).
std::optional<Date> ReadBirthDate(Checker& ck, const RawRow& row, bool date1904) {
    std::string_view b = Cell(row, Column::kBirthDate);
    if (b.empty()) return std::nullopt;
    if (!row.numeric(Column::kBirthDate)) {
        auto d = Date::Parse(b);
        if (!d)
            ck.Error(Column::kBirthDate, "birth_date.format", "出生日期格式应为YYYY-MM-DD或YYYYMMDD: " + Quote(b),
                     "birth_date must be YYYY-MM-DD or YYYYMMDD: " + Quote(b));
        return d;
    }
    std::string_view digits = b;
    if (digits.ends_with(".0")) digits.remove_suffix(2);
    if (digits.size() == 8 && std::ranges::all_of(digits, [](char c) { return c >= '0' && c <= '9'; })) {
        // No date serial has eight digits (the last one, 9999-12-31, is 2958465).
        auto d = Date::Parse(digits);
        if (!d)
            ck.Error(Column::kBirthDate, "birth_date.format", "出生日期" + Quote(b) + "不是有效的YYYYMMDD日期",
                     "birth_date " + Quote(b) + " is not a valid YYYYMMDD date");
        return d;
    }
    const SerialDate serial = DateFromSerial(b, date1904);
    if (serial.phantom_leap_day) {
        ck.Error(Column::kBirthDate, "birth_date.format",
                 "出生日期是表格日期序号60,即不存在的1900-02-29(Excel的1900年闰年错误)",
                 "birth_date is the spreadsheet date serial 60, the 1900-02-29 that never was (Excel's "
                 "1900 leap-year bug)");
    } else if (!serial.date) {
        ck.Error(Column::kBirthDate, "birth_date.format",
                 "出生日期是数值单元格" + Quote(b) + ",既不是YYYYMMDD也不是表格日期序号",
                 "birth_date is a numeric cell " + Quote(b) + " that is neither YYYYMMDD nor a date serial");
    }
    return serial.date;
}

Person ReadPerson(Checker& ck, const RawRow& row, const AssemblyContext& ctx) {
    Person p;
    if (auto v = ck.Required(Column::kName); v && ck.PlainText(Column::kName, *v)) p.name = std::string(*v);
    if (auto v = ck.Required(Column::kIdNumber)) {
        if (row.numeric(Column::kIdNumber)) {
            ck.Error(Column::kIdNumber, "id_number.numeric_cell",
                     "证件号码是数值单元格,已丢失位数;请设为文本格式",
                     "the ID number is a numeric cell and has lost digits; store it as text");
        } else if (auto id = ParseIdNumber(*v); !id) {
            ck.Error(Column::kIdNumber, id.error().code, id.error().message_zh + ": " + Quote(*v),
                     id.error().message_en + ": " + Quote(*v));
        } else {
            p.id_number = id->value;
            p.birth_date = id->birth_date;
            p.sex = id->sex;
            if (id->upgraded)
                ck.Warning(Column::kIdNumber, "id_number.upgraded",
                           "15位证件号码已升级为18位: " + std::string(*v) + " → " + id->value,
                           "15-digit ID number upgraded to 18: " + std::string(*v) + " → " + id->value);
        }
    }
    if (auto r = ck.Code(Column::kRelation, codes::Relation(), true)) p.relation = *r;
    if (auto s = ck.Code(Column::kSex, codes::Sex(), false); s && p.sex != 0 && *s != p.sex) {
        ck.Error(Column::kSex, "sex.mismatch", "性别与证件号码不符", "sex disagrees with the ID number");
    }
    if (auto d = ReadBirthDate(ck, row, ctx.date1904); d && !p.id_number.empty() && *d != p.birth_date) {
        ck.Error(Column::kBirthDate, "birth_date.mismatch",
                 "出生日期" + d->ToString() + "与证件号码中的" + p.birth_date.ToString() + "不符",
                 "birth_date " + d->ToString() + " disagrees with the ID number's " + p.birth_date.ToString());
    }
    if (std::string_view e = Cell(row, Column::kEthnicity); !e.empty()) {
        if (auto group = codes::UnidentifiedEthnicGroup(e)) {
            p.ethnicity = codes::kEthnicityOther;
            p.ethnicity_name = std::string(*group);
        } else {
            p.ethnicity = ck.Code(Column::kEthnicity, codes::Ethnicity(), false);
        }
    }
    p.education = ck.Code(Column::kEducation, codes::Education(), false);
    p.schooling = ck.Code(Column::kSchooling, codes::Schooling(), false);
    p.health = ck.Code(Column::kHealth, codes::Health(), false);
    p.labour = ck.Code(Column::kLabour, codes::Labour(), false);
    p.migrant_work = ck.Code(Column::kMigrantWork, codes::MigrantWork(), false);
    p.months_worked = ck.Integer(Column::kMonthsWorked, 0, 12, false);
    return p;
}

// "5.40425100001E+15": what a spreadsheet shows, and saves to CSV, for a long code turned number.
bool LooksScientific(std::string_view v) {
    const size_t e = v.find_first_of("Ee");
    if (e == std::string_view::npos || e == 0 || e + 1 >= v.size()) return false;
    std::string_view mantissa = v.substr(0, e);
    std::string_view exponent = v.substr(e + 1);
    if (exponent.front() == '+') exponent.remove_prefix(1);
    auto digits = [](std::string_view s) {
        return !s.empty() && std::ranges::all_of(s, [](char c) { return c >= '0' && c <= '9'; });
    };
    const size_t dot = mantissa.find('.');
    if (dot != std::string_view::npos) {
        if (!digits(mantissa.substr(dot + 1))) return false;
        mantissa = mantissa.substr(0, dot);
    }
    return digits(mantissa) && digits(exponent);
}

// The household code groups the rows, so one that a spreadsheet turned into a number (15
// significant digits kept: 5404251000010005 becomes 5404251000010010) would file households under
// codes that are not in the file; it is refused, like a numeric ID number.
void CheckHouseholdCode(Checker& ck, const RawRow& row) {
    const std::string_view code = Cell(row, Column::kHouseholdCode);
    if (code.empty()) return;
    if (row.numeric(Column::kHouseholdCode)) {
        ck.Error(Column::kHouseholdCode, "household_code.numeric_cell",
                 "户编号" + Quote(code) + "是数值单元格,表格软件只保留15位有效数字,编号可能已被改变;请把该列设为文本格式",
                 "household_code " + Quote(code) +
                     " is a numeric cell; spreadsheets keep only 15 significant digits, so the code may "
                     "have changed; store the column as text");
    } else if (LooksScientific(code)) {
        ck.Error(Column::kHouseholdCode, "household_code.scientific",
                 "户编号" + Quote(code) + "是科学计数法表示的数字,原编号的位数已丢失;请在表格中把该列设为文本格式后重新保存",
                 "household_code " + Quote(code) +
                     " is a number in scientific notation and has lost the code's digits; store the column "
                     "as text in the spreadsheet and save again");
    } else {
        ck.PlainText(Column::kHouseholdCode, code);
    }
}

// Household-level fields of one row, parsed; nullopt/empty where the row leaves them empty.
struct HouseholdCells {
    std::optional<std::string> division_code;
    std::optional<int> attribute, identification_standard, main_cause, identified_year, planned_exit_year,
        status, exit_year, main_measure;
    std::optional<std::vector<int>> other_causes, aux_measures;
    std::optional<Fen> income;
    std::optional<std::string> pairing_cadre, phone;
    std::optional<bool> dangerous_housing, safe_water, household_electricity;
    std::optional<int64_t> housing_area;
};

HouseholdCells ReadHouseholdCells(Checker& ck, const RawRow& row, const AssemblyContext& ctx) {
    HouseholdCells h;
    if (std::string_view d = Cell(row, Column::kDivisionCode); !d.empty()) {
        const OrgUnit* unit = ctx.tree.Find(d);
        if (!unit) {
            ck.Error(Column::kDivisionCode, "division_code.unknown",
                     "行政区划代码" + Quote(d) + "不在本系统中",
                     "division_code " + Quote(d) + " is not known to the system");
        } else if (unit->level != OrgLevel::kVillage) {
            ck.Error(Column::kDivisionCode, "division_code.not_village",
                     "行政区划代码" + Quote(d) + "不是行政村代码(应为12位)",
                     "division_code " + Quote(d) + " is not a village code (12 digits)");
        } else {
            h.division_code = std::string(d);
        }
    }
    h.attribute = ck.Code(Column::kAttribute, codes::Attribute(), false);
    h.identification_standard =
        ck.Code(Column::kIdentificationStandard, codes::IdentificationStandard(), false);
    h.main_cause = ck.Code(Column::kMainCause, codes::Cause(), false);
    if (!Cell(row, Column::kOtherCauses).empty())
        h.other_causes = ck.List(
            Column::kOtherCauses, [](std::string_view s) { return codes::Cause().Parse(s); }, "致贫原因",
            "cause");
    h.identified_year = ck.Integer(Column::kIdentifiedYear, kMinYear, kMaxYear, false);
    h.planned_exit_year = ck.Integer(Column::kPlannedExitYear, kMinYear, kMaxYear, false);
    h.status = ck.Code(Column::kStatus, codes::Status(), false);
    h.exit_year = ck.Integer(Column::kExitYear, kMinYear, kMaxYear, false);
    h.income = ck.Centi(Column::kNetIncomePerHead);
    if (std::string_view m = Cell(row, Column::kMainMeasure); !m.empty()) {
        h.main_measure = ctx.plan.ParseMeasure(m);
        if (!h.main_measure)
            ck.Error(Column::kMainMeasure, "unknown_code", "主导帮扶措施" + Quote(m) + "不是方案中的措施",
                     "main_measure " + Quote(m) + " is not one of the plan's measures");
    }
    if (!Cell(row, Column::kAuxMeasures).empty())
        h.aux_measures = ck.List(
            Column::kAuxMeasures, [&](std::string_view s) { return ctx.plan.ParseMeasure(s); }, "帮扶措施",
            "measure of the plan");
    if (std::string_view v = Cell(row, Column::kPairingCadre); !v.empty() && ck.PlainText(Column::kPairingCadre, v))
        h.pairing_cadre = std::string(v);
    if (std::string_view v = Cell(row, Column::kPhone); !v.empty() && ck.PlainText(Column::kPhone, v))
        h.phone = std::string(v);
    h.dangerous_housing = ck.YesNo(Column::kDangerousHousing);
    h.safe_water = ck.YesNo(Column::kSafeWater);
    h.household_electricity = ck.YesNo(Column::kHouseholdElectricity);
    h.housing_area = ck.Centi(Column::kHousingArea);
    return h;
}

bool SameHouseholdCells(const RawRow& a, const RawRow& b) {
    for (const ColumnInfo& c : Columns()) {
        if (!c.household_level || c.column == Column::kHouseholdCode) continue;
        const size_t i = static_cast<size_t>(c.column);
        if (a.cells[i] != b.cells[i] || a.numeric(c.column) != b.numeric(c.column)) return false;
    }
    return true;
}

// Merges one row's household fields into the running values; a differing non-empty value is a
// conflict, reported on the row where it appears.
template <class T>
void Merge(std::optional<T>& into, const std::optional<T>& value, Column c, Checker& ck) {
    if (!value) return;
    if (!into) {
        into = value;
    } else if (!(*into == *value)) {
        ck.Error(c, "household.conflict", std::string(InfoOf(c).zh) + "在同一户的各行中取值不一致",
                 std::string(InfoOf(c).en) + " differs between rows of the same household");
    }
}

}  // namespace

Assembly AssembleHousehold(std::span<const RawRow> rows, const AssemblyContext& ctx) {
    Assembly out;
    if (rows.empty()) return out;
    const std::string household_code(Cell(rows.front(), Column::kHouseholdCode));
    HouseholdCells merged;
    std::vector<Person> persons;
    std::vector<int64_t> person_rows;
    bool first_row_clean = false;
    for (const RawRow& row : rows) {
        Checker ck(row, household_code, out.errors, out.warnings);
        if (household_code.empty()) ck.Required(Column::kHouseholdCode);
        CheckHouseholdCode(ck, row);
        persons.push_back(ReadPerson(ck, row, ctx));
        person_rows.push_back(row.row_number);
        // Most files repeat the household's fields on every row: a row whose household cells are
        // byte-identical to the first row's, when those parsed cleanly, adds nothing to check.
        if (&row != &rows.front() && first_row_clean && SameHouseholdCells(row, rows.front())) continue;
        const size_t errors_before = out.errors.size();
        HouseholdCells cells = ReadHouseholdCells(ck, row, ctx);
        if (&row == &rows.front()) first_row_clean = out.errors.size() == errors_before;
        Merge(merged.division_code, cells.division_code, Column::kDivisionCode, ck);
        Merge(merged.attribute, cells.attribute, Column::kAttribute, ck);
        Merge(merged.identification_standard, cells.identification_standard, Column::kIdentificationStandard,
              ck);
        Merge(merged.main_cause, cells.main_cause, Column::kMainCause, ck);
        Merge(merged.other_causes, cells.other_causes, Column::kOtherCauses, ck);
        Merge(merged.identified_year, cells.identified_year, Column::kIdentifiedYear, ck);
        Merge(merged.planned_exit_year, cells.planned_exit_year, Column::kPlannedExitYear, ck);
        Merge(merged.status, cells.status, Column::kStatus, ck);
        Merge(merged.exit_year, cells.exit_year, Column::kExitYear, ck);
        Merge(merged.income, cells.income, Column::kNetIncomePerHead, ck);
        Merge(merged.main_measure, cells.main_measure, Column::kMainMeasure, ck);
        Merge(merged.aux_measures, cells.aux_measures, Column::kAuxMeasures, ck);
        Merge(merged.pairing_cadre, cells.pairing_cadre, Column::kPairingCadre, ck);
        Merge(merged.phone, cells.phone, Column::kPhone, ck);
        Merge(merged.dangerous_housing, cells.dangerous_housing, Column::kDangerousHousing, ck);
        Merge(merged.safe_water, cells.safe_water, Column::kSafeWater, ck);
        Merge(merged.household_electricity, cells.household_electricity, Column::kHouseholdElectricity, ck);
        Merge(merged.housing_area, cells.housing_area, Column::kHousingArea, ck);
    }

    // Whole-household checks are reported on the household's first row.
    Checker first(rows.front(), household_code, out.errors, out.warnings);
    auto household_error = [&](Column c, std::string code, std::string zh, std::string en) {
        first.Error(c, std::move(code), std::move(zh), std::move(en));
    };
    auto require = [&](const auto& value, Column c) {
        // Only report "missing" when no row tried to give a (possibly invalid) value.
        if (value) return;
        for (const RawRow& row : rows)
            if (!Cell(row, c).empty()) return;
        household_error(c, "required", std::string(InfoOf(c).zh) + "不能为空(户内各行均未填写)",
                        std::string(InfoOf(c).en) + " must not be empty (no row of the household gives it)");
    };
    require(merged.division_code, Column::kDivisionCode);
    require(merged.attribute, Column::kAttribute);
    require(merged.main_cause, Column::kMainCause);
    require(merged.identified_year, Column::kIdentifiedYear);

    int heads = 0;
    for (const Person& p : persons) heads += p.relation == codes::kRelationHead ? 1 : 0;
    const bool relations_ok =
        std::ranges::none_of(out.errors, [](const Error& e) { return e.field == "relation"; });
    if (relations_ok && heads == 0)
        household_error(Column::kRelation, "household.no_head", "该户没有户主", "the household has no head");
    if (heads > 1)
        household_error(Column::kRelation, "household.several_heads",
                        "该户有" + std::to_string(heads) + "名户主",
                        "the household has " + std::to_string(heads) + " heads");
    for (size_t i = 0; i < persons.size(); ++i)
        for (size_t j = 0; j < i; ++j)
            if (!persons[i].id_number.empty() && persons[i].id_number == persons[j].id_number) {
                Checker ck(rows[i], household_code, out.errors, out.warnings);
                ck.Error(Column::kIdNumber, "id_number.repeated_in_household",
                         "证件号码" + persons[i].id_number + "在本户中出现两次(见第" +
                             std::to_string(person_rows[j]) + "行)",
                         "ID number " + persons[i].id_number + " appears twice in this household (see row " +
                             std::to_string(person_rows[j]) + ")");
            }
    if (merged.main_cause && merged.other_causes) {
        if (merged.other_causes->size() > 2)
            household_error(Column::kOtherCauses, "other_causes.too_many", "其他致贫原因最多两项",
                            "other_causes may list at most two causes");
        if (std::ranges::find(*merged.other_causes, *merged.main_cause) != merged.other_causes->end())
            household_error(Column::kOtherCauses, "other_causes.repeats_main",
                            "其他致贫原因不能与主要致贫原因相同",
                            "other_causes must not repeat the main cause");
    }
    if (merged.identified_year && merged.planned_exit_year &&
        *merged.planned_exit_year < *merged.identified_year)
        household_error(Column::kPlannedExitYear, "planned_exit_year.before_identified",
                        "计划脱贫年度早于识别年度", "planned_exit_year is before identified_year");
    const int status = merged.status.value_or(codes::kStatusNotExited);
    const bool exited = status == codes::kStatusExited || status == codes::kStatusExitedNoPolicy;
    if (exited && !merged.exit_year &&
        !std::ranges::any_of(rows, [](const RawRow& r) { return !Cell(r, Column::kExitYear).empty(); }))
        household_error(Column::kExitYear, "exit_year.required", "已脱贫户必须填写脱贫年度",
                        "an exited household must give exit_year");
    if (status == codes::kStatusNotExited && merged.exit_year)
        household_error(Column::kExitYear, "exit_year.not_exited", "未脱贫户不应填写脱贫年度",
                        "a household not exited must not give exit_year");
    if (merged.identified_year && merged.exit_year && *merged.exit_year < *merged.identified_year)
        household_error(Column::kExitYear, "exit_year.before_identified", "脱贫年度早于识别年度",
                        "exit_year is before identified_year");

    if (!out.errors.empty()) return out;

    Household h;
    h.household_code = household_code;
    h.division_code = *merged.division_code;
    h.attribute = *merged.attribute;
    h.identification_standard = merged.identification_standard;
    h.main_cause = *merged.main_cause;
    h.other_causes = merged.other_causes.value_or(std::vector<int>{});
    h.identified_year = *merged.identified_year;
    h.planned_exit_year = merged.planned_exit_year;
    h.status = status;
    h.exit_year = merged.exit_year;
    h.net_income_per_head = merged.income;
    h.main_measure = merged.main_measure;
    for (int m : merged.aux_measures.value_or(std::vector<int>{})) {
        if (m == h.main_measure) {
            first.Warning(Column::kAuxMeasures, "aux_measures.repeats_main",
                          "辅助帮扶措施与主导措施相同,已忽略",
                          "an auxiliary measure repeats the main measure and was dropped");
            continue;
        }
        h.aux_measures.push_back(m);
    }
    h.pairing_cadre = merged.pairing_cadre.value_or("");
    h.phone = merged.phone.value_or("");
    h.dangerous_housing = merged.dangerous_housing;
    h.safe_water = merged.safe_water;
    h.household_electricity = merged.household_electricity;
    h.housing_area = merged.housing_area;
    // Head first, the others in file order.
    std::ranges::stable_partition(persons,
                                  [](const Person& p) { return p.relation == codes::kRelationHead; });
    h.members = std::move(persons);
    out.household = std::move(h);
    return out;
}

void FormatHousehold(const Household& h, const Plan& plan, std::vector<LayoutRow>& out) {
    auto name_of = [](const CodeTable& t, const std::optional<int>& v) {
        return v ? std::string(t.NameOf(*v)) : std::string();
    };
    auto year = [](const std::optional<int>& y) { return y ? std::to_string(*y) : std::string(); };
    auto yes_no = [](const std::optional<bool>& b) {
        return b ? std::string(*b ? "是" : "否") : std::string();
    };
    auto measure = [&](int n) {
        const PlanMeasure* m = plan.FindMeasure(n);
        return m ? m->name : std::to_string(n);
    };
    LayoutRow hh;
    auto set = [](LayoutRow& r, Column c, std::string v) { r[static_cast<size_t>(c)] = std::move(v); };
    set(hh, Column::kHouseholdCode, h.household_code);
    set(hh, Column::kDivisionCode, h.division_code);
    set(hh, Column::kAttribute, std::string(codes::Attribute().NameOf(h.attribute)));
    set(hh, Column::kIdentificationStandard,
        name_of(codes::IdentificationStandard(), h.identification_standard));
    set(hh, Column::kMainCause, std::string(codes::Cause().NameOf(h.main_cause)));
    std::string causes;
    for (int c : h.other_causes) {
        if (!causes.empty()) causes += "、";
        causes += codes::Cause().NameOf(c);
    }
    set(hh, Column::kOtherCauses, causes);
    set(hh, Column::kIdentifiedYear, std::to_string(h.identified_year));
    set(hh, Column::kPlannedExitYear, year(h.planned_exit_year));
    set(hh, Column::kStatus, std::string(codes::Status().NameOf(h.status)));
    set(hh, Column::kExitYear, year(h.exit_year));
    set(hh, Column::kNetIncomePerHead, h.net_income_per_head ? FormatCenti(*h.net_income_per_head) : "");
    set(hh, Column::kMainMeasure, h.main_measure ? measure(*h.main_measure) : "");
    std::string aux;
    for (int m : h.aux_measures) {
        if (!aux.empty()) aux += "、";
        aux += measure(m);
    }
    set(hh, Column::kAuxMeasures, aux);
    set(hh, Column::kPairingCadre, h.pairing_cadre);
    set(hh, Column::kPhone, h.phone);
    set(hh, Column::kDangerousHousing, yes_no(h.dangerous_housing));
    set(hh, Column::kSafeWater, yes_no(h.safe_water));
    set(hh, Column::kHouseholdElectricity, yes_no(h.household_electricity));
    set(hh, Column::kHousingArea, h.housing_area ? FormatCenti(*h.housing_area) : "");
    for (const Person& p : h.members) {
        LayoutRow& r = out.emplace_back(hh);
        set(r, Column::kName, p.name);
        set(r, Column::kIdNumber, p.id_number);
        set(r, Column::kRelation, std::string(codes::Relation().NameOf(p.relation)));
        set(r, Column::kSex, std::string(codes::Sex().NameOf(p.sex)));
        set(r, Column::kBirthDate, p.birth_date.ToString());
        set(r, Column::kEthnicity,
            p.ethnicity_name.empty() ? name_of(codes::Ethnicity(), p.ethnicity) : p.ethnicity_name);
        set(r, Column::kEducation, name_of(codes::Education(), p.education));
        set(r, Column::kSchooling, name_of(codes::Schooling(), p.schooling));
        set(r, Column::kHealth, name_of(codes::Health(), p.health));
        set(r, Column::kLabour, name_of(codes::Labour(), p.labour));
        set(r, Column::kMigrantWork, name_of(codes::MigrantWork(), p.migrant_work));
        set(r, Column::kMonthsWorked, p.months_worked ? std::to_string(*p.months_worked) : "");
    }
}

std::pair<std::string, std::string> InOtherHouseholdReason(const std::string& id_number,
                                                           const std::string& other) {
    return {"证件号码" + id_number + "已登记在户" + other + "中(一人多户)",
            "ID number " + id_number + " is already registered in household " + other +
                " (one person in two households)"};
}

}  // namespace jz
