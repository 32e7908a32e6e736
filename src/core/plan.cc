#include "core/plan.h"

#include <toml++/toml.h>  // Debian ships toml.h (toml.hpp is the newer name)

#include <algorithm>
#include <cctype>
#include <climits>
#include <cmath>
#include <initializer_list>
#include <set>
#include <utility>

#include "core/layout.h"

namespace jz {
namespace {

bool AllDigits(std::string_view s) {
    return !s.empty() && std::ranges::all_of(s, [](char c) { return c >= '0' && c <= '9'; });
}

std::string Join(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string Index(const std::string& path, size_t i) { return path + "[" + std::to_string(i) + "]"; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::ranges::equal(a, b, [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

// Reads a parsed TOML document into a Plan. The first problem found is kept and every later read
// returns a neutral value, so the reading code stays a straight list of fields instead of a check
// after each one; only the first error is reported, as a user fixes one line at a time anyway.
class Reader {
  public:
    explicit Reader(std::string_view source) : source_(source) {}

    bool ok() const { return !error_; }
    const Error& error() const { return *error_; }

    static int LineOf(const toml::node& n) { return static_cast<int>(n.source().begin.line); }
    static int LineOf(const toml::key& k) { return static_cast<int>(k.source().begin.line); }

    void Fail(int line, std::string code, const std::string& path, std::string_view zh, std::string_view en) {
        if (error_) return;
        const std::string prefix = path.empty() ? std::string() : path + ": ";
        // A line of 0 means toml++ kept no position (the root table): point at the file's start.
        error_ = Error{.code = std::move(code),
                       .field = source_ + ":" + std::to_string(std::max(line, 1)),
                       .message_zh = prefix + std::string(zh),
                       .message_en = prefix + std::string(en)};
    }

    // Refuses keys the format does not define: a misspelt key would otherwise drop its data silently.
    void CheckKeys(const toml::table& t, std::initializer_list<std::string_view> allowed,
                   const std::string& path) {
        for (auto&& [key, node] : t) {
            if (std::ranges::find(allowed, key.str()) != allowed.end()) continue;
            Fail(LineOf(key), "plan.unknown_key", Join(path, key.str()), "未知的键(是否拼写错误?)",
                 "unknown key (misspelt?)");
            return;
        }
    }

    // The value at `key`; a missing required key fails at the line of the table that lacks it.
    const toml::node* Get(const toml::table& t, std::string_view key, const std::string& path,
                          bool required) {
        if (!ok()) return nullptr;
        const toml::node* n = t.get(key);
        if (!n && required)
            Fail(LineOf(t), "plan.missing_key", Join(path, key), "缺少必填的键", "required key is missing");
        return n;
    }

    void WrongType(const toml::node& n, const std::string& path, std::string_view zh_type,
                   std::string_view en_type) {
        Fail(LineOf(n), "plan.type", path, "应为" + std::string(zh_type), "must be " + std::string(en_type));
    }

    std::string String(const toml::table& t, std::string_view key, const std::string& path,
                       bool required = true) {
        const toml::node* n = Get(t, key, path, required);
        if (!n) return {};
        if (!n->is_string()) {
            WrongType(*n, Join(path, key), "字符串", "a string");
            return {};
        }
        std::string s = n->as_string()->get();
        if (required && TrimCell(s).empty())
            Fail(LineOf(*n), "plan.missing_key", Join(path, key), "不能为空", "must not be empty");
        return s;
    }

    // An integer that fits an int.
    std::optional<int> IntOf(const toml::node& n, const std::string& path) {
        if (!ok()) return std::nullopt;
        if (!n.is_integer()) {
            WrongType(n, path, "整数", "an integer");
            return std::nullopt;
        }
        const int64_t v = n.as_integer()->get();
        if (v < INT_MIN || v > INT_MAX) {
            WrongType(n, path, "较小的整数", "an integer of at most 10 digits");
            return std::nullopt;
        }
        return static_cast<int>(v);
    }

    std::optional<int> Int(const toml::table& t, std::string_view key, const std::string& path,
                           bool required) {
        const toml::node* n = Get(t, key, path, required);
        return n ? IntOf(*n, Join(path, key)) : std::nullopt;
    }

    // A number of households or persons: an integer ≥ 0.
    std::optional<int> CountOf(const toml::node& n, const std::string& path) {
        std::optional<int> v = IntOf(n, path);
        if (v && *v < 0) {
            Fail(LineOf(n), "plan.negative", path, "不能为负数: " + std::to_string(*v),
                 "must not be negative: " + std::to_string(*v));
            return std::nullopt;
        }
        return v;
    }

    std::optional<int> Count(const toml::table& t, std::string_view key, const std::string& path,
                             bool required) {
        const toml::node* n = Get(t, key, path, required);
        return n ? CountOf(*n, Join(path, key)) : std::nullopt;
    }

    const toml::table* Table(const toml::table& t, std::string_view key, const std::string& path,
                             bool required) {
        const toml::node* n = Get(t, key, path, required);
        if (!n) return nullptr;
        if (!n->is_table()) {
            WrongType(*n, Join(path, key), "表", "a table");
            return nullptr;
        }
        return n->as_table();
    }

    const toml::array* Array(const toml::table& t, std::string_view key, const std::string& path,
                             bool required) {
        const toml::node* n = Get(t, key, path, required);
        if (!n) return nullptr;
        if (!n->is_array()) {
            WrongType(*n, Join(path, key), "数组", "an array");
            return nullptr;
        }
        return n->as_array();
    }

    // The elements of an array of tables ([[name]] blocks or { ... } inline tables).
    std::vector<const toml::table*> Tables(const toml::table& t, std::string_view key,
                                           const std::string& path, bool required) {
        std::vector<const toml::table*> out;
        const toml::array* a = Array(t, key, path, required);
        if (!a) return out;
        for (size_t i = 0; i < a->size() && ok(); ++i) {
            const toml::node& n = *a->get(i);
            if (!n.is_table()) {
                WrongType(n, Index(Join(path, key), i), "表", "a table");
                return {};
            }
            out.push_back(n.as_table());
        }
        return out;
    }

    std::vector<std::string> Strings(const toml::table& t, std::string_view key, const std::string& path,
                                     bool required) {
        std::vector<std::string> out;
        const toml::array* a = Array(t, key, path, required);
        if (!a) return out;
        for (size_t i = 0; i < a->size() && ok(); ++i) {
            const toml::node& n = *a->get(i);
            if (!n.is_string()) {
                WrongType(n, Index(Join(path, key), i), "字符串", "a string");
                return {};
            }
            out.push_back(n.as_string()->get());
        }
        return out;
    }

    // A table key that names a year ("2016").
    std::optional<int> YearKey(const toml::key& key, const std::string& path) {
        if (!ok()) return std::nullopt;
        if (key.str().size() != 4 || !AllDigits(key.str())) {
            Fail(LineOf(key), "plan.year", Join(path, key.str()), "键应为四位年份",
                 "key must be a 4-digit year");
            return std::nullopt;
        }
        return std::stoi(std::string(key.str()));
    }

  private:
    std::string source_;
    std::optional<Error> error_;
};

void ReadHeader(Reader& r, const toml::table& root, Plan& plan) {
    r.CheckKeys(root,
                {"id",
                 "title",
                 "document_number",
                 "issued",
                 "county_code",
                 "county_name",
                 "divisions",
                 "start_year",
                 "end_year",
                 "goal",
                 "poverty_line_yuan",
                 "precision_requirements",
                 "organisational_guarantees",
                 "townships",
                 "battles",
                 "measures",
                 "exit_standard",
                 "stated_totals",
                 "pairing_quotas",
                 "pairing",
                 "dynamic",
                 "shares",
                 "funds",
                 "reports"},
                "");
    plan.id = r.String(root, "id", "");
    plan.title = r.String(root, "title", "");
    plan.document_number = r.String(root, "document_number", "");

    if (const toml::node* n = r.Get(root, "issued", "", true)) {
        std::optional<Date> d;
        if (const auto* date = n->as_date()) {
            const toml::date& v = date->get();
            if (Date::IsValid(v.year, v.month, v.day)) d = Date{v.year, v.month, v.day};
        } else if (n->is_string()) {
            d = Date::Parse(n->as_string()->get());
        } else {
            r.WrongType(*n, "issued", "日期(YYYY-MM-DD)", "a date (YYYY-MM-DD)");
        }
        if (d)
            plan.issued = *d;
        else
            r.Fail(Reader::LineOf(*n), "plan.date", "issued", "不是有效日期", "is not a valid date");
    }

    plan.county_code = r.String(root, "county_code", "");
    if (r.ok() && (plan.county_code.size() != 6 || !AllDigits(plan.county_code)))
        r.Fail(Reader::LineOf(*root.get("county_code")), "plan.county_code", "county_code",
               "县级区划代码应为6位数字: " + plan.county_code,
               "county code must be 6 digits: " + plan.county_code);
    plan.county_name = r.String(root, "county_name", "");
    plan.divisions_file = r.String(root, "divisions", "");

    const std::optional<int> start = r.Int(root, "start_year", "", true);
    const std::optional<int> end = r.Int(root, "end_year", "", true);
    if (start && (*start < 1900 || *start > 2100))
        r.Fail(Reader::LineOf(*root.get("start_year")), "plan.year", "start_year", "年份不合理",
               "is not a plausible year");
    // The end year is bounded like the start: every year of the plan is iterated (Plan::years(),
    // reports per year), so end_year = 2147483647 would hang a loader that accepted it.
    if (end && (*end < 1900 || *end > 2100))
        r.Fail(Reader::LineOf(*root.get("end_year")), "plan.year", "end_year", "年份不合理",
               "is not a plausible year");
    else if (start && end && *end < *start)
        r.Fail(Reader::LineOf(*root.get("end_year")), "plan.year", "end_year", "结束年份早于开始年份",
               "end year is before the start year");
    plan.start_year = start.value_or(0);
    plan.end_year = end.value_or(0);

    if (const toml::table* goal = r.Table(root, "goal", "", true)) {
        r.CheckKeys(*goal, {"households", "persons"}, "goal");
        plan.target_households = r.Count(*goal, "households", "goal", true).value_or(0);
        plan.target_persons = r.Count(*goal, "persons", "goal", true).value_or(0);
    }

    if (const toml::table* lines = r.Table(root, "poverty_line_yuan", "", true)) {
        if (r.ok() && lines->empty())
            r.Fail(Reader::LineOf(*lines), "plan.poverty_line", "poverty_line_yuan", "至少需要一年的贫困线",
                   "at least one year's line is needed");
        for (auto&& [key, node] : *lines) {
            const std::string path = Join("poverty_line_yuan", key.str());
            const std::optional<int> year = r.YearKey(key, "poverty_line_yuan");
            if (!year) break;
            // Yuan, as the documents write them; kept in fen so amounts compare exactly.
            std::optional<int64_t> fen;
            if (node.is_integer()) {
                const int64_t yuan = node.as_integer()->get();
                if (yuan > 0 && yuan < 1'000'000'000)
                    fen = yuan * 100;
                else if (yuan > 0)
                    r.WrongType(node, path, "较小的金额", "a smaller amount");
            } else if (node.is_floating_point()) {
                const double yuan = node.as_floating_point()->get();
                const double centi = std::round(yuan * 100);
                if (!std::isfinite(yuan) || std::abs(yuan * 100 - centi) > 1e-6 || yuan >= 1e9)
                    r.WrongType(node, path, "最多两位小数的金额(元)",
                                "an amount in yuan with at most 2 decimals");
                else if (yuan > 0)
                    fen = static_cast<int64_t>(centi);
            } else {
                r.WrongType(node, path, "金额(元)", "an amount in yuan");
            }
            if (!r.ok()) break;
            if (!fen) {
                r.Fail(Reader::LineOf(node), "plan.poverty_line", path, "贫困线必须大于0",
                       "the poverty line must be greater than 0");
                break;
            }
            plan.poverty_line_fen[*year] = *fen;
        }
    }

    plan.precision_requirements = r.Strings(root, "precision_requirements", "", false);
    plan.organisational_guarantees = r.Strings(root, "organisational_guarantees", "", false);
}

// Fails unless `year` lies in the plan's years.
void CheckPlanYear(Reader& r, const Plan& plan, int year, int line, const std::string& path) {
    if (year >= plan.start_year && year <= plan.end_year) return;
    r.Fail(line, "plan.year", path,
           "年份 " + std::to_string(year) + " 不在规划期 " + std::to_string(plan.start_year) + "–" +
               std::to_string(plan.end_year) + " 内",
           "year " + std::to_string(year) + " lies outside the plan's years " +
               std::to_string(plan.start_year) + "–" + std::to_string(plan.end_year));
}

// Fails when `id` was seen before in the same list.
bool CheckUnique(Reader& r, std::set<std::string>& seen, const std::string& id, int line,
                 const std::string& path, std::string code = "plan.duplicate_id") {
    if (seen.insert(id).second) return true;
    r.Fail(line, std::move(code), path, "重复: " + id, "repeated: " + id);
    return false;
}

int LineAt(const toml::table& t, std::string_view key) {
    const toml::node* n = t.get(key);
    return n ? Reader::LineOf(*n) : Reader::LineOf(t);
}

void ReadTownships(Reader& r, const toml::table& root, Plan& plan) {
    std::set<std::string> seen;
    const auto tables = r.Tables(root, "townships", "", true);
    for (size_t i = 0; i < tables.size() && r.ok(); ++i) {
        const toml::table& t = *tables[i];
        const std::string path = Index("townships", i);
        r.CheckKeys(t, {"code", "name", "exit_targets"}, path);
        PlanTownship town;
        town.code = r.String(t, "code", path);
        if (!r.ok()) return;
        if (town.code.size() != 9 || !AllDigits(town.code) || !town.code.starts_with(plan.county_code)) {
            r.Fail(LineAt(t, "code"), "plan.township_code", Join(path, "code"),
                   "乡镇代码 " + town.code + " 应为以县代码 " + plan.county_code + " 开头的9位数字",
                   "township code " + town.code + " must be 9 digits beginning with the county code " +
                       plan.county_code);
            return;
        }
        if (!CheckUnique(r, seen, town.code, LineAt(t, "code"), Join(path, "code"),
                         "plan.duplicate_township"))
            return;
        town.name = r.String(t, "name", path);
        const std::string targets_path = Join(path, "exit_targets");
        if (const toml::table* targets = r.Table(t, "exit_targets", path, true)) {
            for (auto&& [key, node] : *targets) {
                const std::optional<int> year = r.YearKey(key, targets_path);
                if (!year) return;
                CheckPlanYear(r, plan, *year, Reader::LineOf(key), Join(targets_path, key.str()));
                const std::optional<int> persons = r.CountOf(node, Join(targets_path, key.str()));
                if (!persons) return;
                town.exit_targets[*year] = *persons;
            }
        }
        plan.townships.push_back(std::move(town));
    }
}

void ReadBattles(Reader& r, const toml::table& root, Plan& plan) {
    std::set<std::string> seen;
    const auto tables = r.Tables(root, "battles", "", false);
    for (size_t i = 0; i < tables.size() && r.ok(); ++i) {
        const toml::table& t = *tables[i];
        const std::string path = Index("battles", i);
        r.CheckKeys(t, {"id", "name", "owner", "units", "notes"}, path);
        PlanBattle battle;
        battle.id = r.String(t, "id", path);
        if (!r.ok() ||
            !CheckUnique(r, seen, battle.id, LineAt(t, "id"), Join(path, "id"), "plan.duplicate_battle"))
            return;
        battle.name = r.String(t, "name", path);
        battle.owner = r.String(t, "owner", path, false);
        battle.units = r.Strings(t, "units", path, false);
        battle.notes = r.Strings(t, "notes", path, false);
        plan.battles.push_back(std::move(battle));
    }
}

void ReadStages(Reader& r, const toml::table& t, const std::string& path, PlanMeasure& measure) {
    std::set<std::string> seen;
    const std::string stages_path = Join(path, "stages");
    const auto stages = r.Tables(t, "stages", path, false);
    for (size_t i = 0; i < stages.size() && r.ok(); ++i) {
        const toml::table& s = *stages[i];
        const std::string stage_path = Index(stages_path, i);
        r.CheckKeys(s, {"id", "name", "persons"}, stage_path);
        PlanMeasureStage stage;
        stage.id = r.String(s, "id", stage_path);
        if (!r.ok() || !CheckUnique(r, seen, stage.id, LineAt(s, "id"), Join(stage_path, "id"))) return;
        stage.name = r.String(s, "name", stage_path);
        stage.persons = r.Count(s, "persons", stage_path, true).value_or(0);
        measure.stages.push_back(std::move(stage));
    }
    if (!r.ok() || measure.stages.empty()) return;
    // The breakdown is the target split by stage: a breakdown that does not add up means one of
    // the two was copied wrongly, and nothing later could tell which.
    int sum = 0;
    for (const PlanMeasureStage& s : measure.stages) sum += s.persons;
    if (!measure.target_persons) {
        r.Fail(r.LineOf(t), "plan.missing_key", Join(path, "target_persons"), "分阶段目标需要人数目标",
               "a stage breakdown needs the measure's person target");
    } else if (sum != *measure.target_persons) {
        r.Fail(LineAt(t, "stages"), "plan.stage_sum", stages_path,
               "各阶段人数之和 " + std::to_string(sum) + " 不等于措施人数目标 " +
                   std::to_string(*measure.target_persons),
               "the stages add up to " + std::to_string(sum) + ", not the measure's person target " +
                   std::to_string(*measure.target_persons));
    }
}

void ReadMeasures(Reader& r, const toml::table& root, Plan& plan) {
    std::set<int> seen;
    const auto tables = r.Tables(root, "measures", "", false);
    for (size_t i = 0; i < tables.size() && r.ok(); ++i) {
        const toml::table& t = *tables[i];
        const std::string path = Index("measures", i);
        r.CheckKeys(t,
                    {"number", "name", "name_en", "battle", "target_households", "target_persons", "stages",
                     "other_targets", "beneficiaries"},
                    path);
        PlanMeasure m;
        const std::optional<int> number = r.Int(t, "number", path, true);
        if (!number) return;
        if (*number < 1 || *number > 10) {
            r.Fail(LineAt(t, "number"), "plan.measure_number", Join(path, "number"),
                   "措施编号应在1到10之间: " + std::to_string(*number),
                   "measure number must be 1..10: " + std::to_string(*number));
            return;
        }
        if (!seen.insert(*number).second) {
            r.Fail(LineAt(t, "number"), "plan.duplicate_measure", Join(path, "number"),
                   "措施编号重复: " + std::to_string(*number),
                   "measure number repeated: " + std::to_string(*number));
            return;
        }
        m.number = *number;
        m.name = r.String(t, "name", path);
        m.name_en = r.String(t, "name_en", path, false);
        m.battle = r.String(t, "battle", path);
        if (r.ok() && !plan.FindBattle(m.battle)) {
            r.Fail(LineAt(t, "battle"), "plan.unknown_battle", Join(path, "battle"),
                   "未定义的攻坚战: " + m.battle, "no battle with id " + m.battle + " is defined");
            return;
        }
        if (const std::string b = r.String(t, "beneficiaries", path, false); r.ok() && !b.empty()) {
            auto parsed = ParseBeneficiaries(b);
            if (!parsed) {
                r.Fail(LineAt(t, "beneficiaries"), "plan.beneficiaries", Join(path, "beneficiaries"),
                       "未知的受益人口口径: " + b,
                       "unknown beneficiaries: " + b +
                           " (household, students, ill, migrant_workers or able_adults)");
                return;
            }
            m.beneficiaries = *parsed;
        }
        m.target_households = r.Count(t, "target_households", path, false);
        m.target_persons = r.Count(t, "target_persons", path, false);
        ReadStages(r, t, path, m);

        std::set<std::string> other_ids;
        const std::string others_path = Join(path, "other_targets");
        const auto others = r.Tables(t, "other_targets", path, false);
        for (size_t j = 0; j < others.size() && r.ok(); ++j) {
            const toml::table& o = *others[j];
            const std::string other_path = Index(others_path, j);
            r.CheckKeys(o, {"id", "name", "value"}, other_path);
            const std::string id = r.String(o, "id", other_path);
            if (!r.ok() || !CheckUnique(r, other_ids, id, LineAt(o, "id"), Join(other_path, "id"))) return;
            const std::string name = r.String(o, "name", other_path, false);
            const std::optional<int> value = r.Count(o, "value", other_path, true);
            if (!value) return;
            m.other_targets.emplace_back(id, *value);
            if (!name.empty()) m.other_target_names[id] = name;
        }
        plan.measures.push_back(std::move(m));
    }
    std::ranges::sort(plan.measures, {}, &PlanMeasure::number);
}

void ReadExitStandard(Reader& r, const toml::table& root, Plan& plan) {
    std::set<std::string> seen;
    const auto tables = r.Tables(root, "exit_standard", "", false);
    for (size_t i = 0; i < tables.size() && r.ok(); ++i) {
        const toml::table& t = *tables[i];
        const std::string path = Index("exit_standard", i);
        r.CheckKeys(t, {"id", "group", "name"}, path);
        PlanCondition c;
        c.id = r.String(t, "id", path);
        if (!r.ok() || !CheckUnique(r, seen, c.id, LineAt(t, "id"), Join(path, "id"))) return;
        c.group = r.String(t, "group", path);
        c.name = r.String(t, "name", path);
        plan.exit_standard.push_back(std::move(c));
    }
}

void ReadStatedTotals(Reader& r, const toml::table& root, Plan& plan) {
    static constexpr std::string_view kWhats[] = {"households", "persons", "exit_persons"};
    std::set<std::string> seen;
    const auto tables = r.Tables(root, "stated_totals", "", false);
    for (size_t i = 0; i < tables.size() && r.ok(); ++i) {
        const toml::table& t = *tables[i];
        const std::string path = Index("stated_totals", i);
        r.CheckKeys(t, {"id", "what", "year", "value", "where"}, path);
        PlanStatedTotal total;
        total.id = r.String(t, "id", path);
        if (!r.ok() || !CheckUnique(r, seen, total.id, LineAt(t, "id"), Join(path, "id"))) return;
        total.what = r.String(t, "what", path);
        if (r.ok() && std::ranges::find(kWhats, total.what) == std::end(kWhats)) {
            r.Fail(LineAt(t, "what"), "plan.stated_total", Join(path, "what"),
                   "应为 households、persons 或 exit_persons: " + total.what,
                   "must be households, persons or exit_persons: " + total.what);
            return;
        }
        // An exit count is per year; without its year it could not be reconciled with anything.
        total.year = r.Int(t, "year", path, total.what == "exit_persons");
        if (total.year) CheckPlanYear(r, plan, *total.year, LineAt(t, "year"), Join(path, "year"));
        total.value = r.Count(t, "value", path, true).value_or(0);
        total.where = r.String(t, "where", path);
        plan.stated_totals.push_back(std::move(total));
    }
}

void ReadPairingQuotas(Reader& r, const toml::table& root, Plan& plan) {
    std::set<std::string> seen;
    const auto tables = r.Tables(root, "pairing_quotas", "", false);
    for (size_t i = 0; i < tables.size() && r.ok(); ++i) {
        const toml::table& t = *tables[i];
        const std::string path = Index("pairing_quotas", i);
        r.CheckKeys(t, {"id", "name", "households"}, path);
        PlanPairingQuota q;
        q.id = r.String(t, "id", path);
        if (!r.ok() || !CheckUnique(r, seen, q.id, LineAt(t, "id"), Join(path, "id"))) return;
        q.name = r.String(t, "name", path);
        q.households = r.Count(t, "households", path, true).value_or(0);
        plan.pairing_quotas.push_back(std::move(q));
    }
}

// [pairing]: every key optional, each range-checked (defaults in PlanPairing).
void ReadPairing(Reader& r, const toml::table& root, Plan& plan) {
    const toml::table* t = r.Table(root, "pairing", "", false);
    if (!t) return;
    r.CheckKeys(*t, {"visits_per_quarter", "visit_distance_m", "on_post_min_days", "photo_max_bytes"}, "pairing");
    auto whole = [&](std::string_view key, int lo, int hi, int& out) {
        if (!r.ok()) return;
        const std::optional<int> v = r.Int(*t, key, "pairing", false);
        if (!v) return;
        if (*v < lo || *v > hi)
            r.Fail(Reader::LineOf(*t->get(key)), "plan.pairing", Join("pairing", key),
                   "应在" + std::to_string(lo) + "到" + std::to_string(hi) + "之间",
                   "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
        else
            out = *v;
    };
    whole("visits_per_quarter", 1, 13, plan.pairing.visits_per_quarter);
    whole("visit_distance_m", 10, 100000, plan.pairing.visit_distance_m);
    whole("on_post_min_days", 0, 31, plan.pairing.on_post_min_days);
    whole("photo_max_bytes", 1024, 10 * 1024 * 1024, plan.pairing.photo_max_bytes);
}

// [reports]: the submission schedule; every key optional, each range-checked.
void ReadReports(Reader& r, const toml::table& root, Plan& plan) {
    const toml::table* t = r.Table(root, "reports", "", false);
    if (!t) return;
    r.CheckKeys(*t, {"weekly_due_weekday", "monthly_due_day", "quarterly_due_day", "annual_due"}, "reports");
    auto whole = [&](std::string_view key, int lo, int hi, int& out) {
        if (!r.ok()) return;
        const std::optional<int> v = r.Int(*t, key, "reports", false);
        if (!v) return;
        if (*v < lo || *v > hi)
            r.Fail(Reader::LineOf(*t->get(key)), "plan.reports", Join("reports", key),
                   "应在" + std::to_string(lo) + "到" + std::to_string(hi) + "之间",
                   "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
        else
            out = *v;
    };
    whole("weekly_due_weekday", 1, 7, plan.reports.weekly_due_weekday);
    whole("monthly_due_day", 1, 28, plan.reports.monthly_due_day);
    whole("quarterly_due_day", 1, 28, plan.reports.quarterly_due_day);
    if (!r.ok() || !t->get("annual_due")) return;
    const std::string due = r.String(*t, "annual_due", "reports", false);
    if (!r.ok()) return;
    // "MM-DD", a day every year has (not 02-29).
    const bool shaped = due.size() == 5 && due[2] == '-' && std::isdigit(static_cast<unsigned char>(due[0])) &&
                        std::isdigit(static_cast<unsigned char>(due[1])) &&
                        std::isdigit(static_cast<unsigned char>(due[3])) &&
                        std::isdigit(static_cast<unsigned char>(due[4]));
    const int month = shaped ? (due[0] - '0') * 10 + (due[1] - '0') : 0;
    const int day = shaped ? (due[3] - '0') * 10 + (due[4] - '0') : 0;
    if (!shaped || !Date::IsValid(2019, month, day)) {
        r.Fail(Reader::LineOf(*t->get("annual_due")), "plan.reports", "reports.annual_due",
               "应为“MM-DD”（如 01-20），且每年都有该日", "must be \"MM-DD\" (e.g. 01-20), a day every year has");
        return;
    }
    plan.reports.annual_due_month = month;
    plan.reports.annual_due_day = day;
}

// [dynamic]: every key optional, each range-checked.
void ReadDynamic(Reader& r, const toml::table& root, Plan& plan) {
    const toml::table* t = r.Table(root, "dynamic", "", false);
    if (!t) return;
    r.CheckKeys(*t,
                {"notice_days", "buffer_years", "village_exit_incidence", "county_exit_incidence",
                 "wrongful_exit_veto", "missed_veto", "approval_veto"},
                "dynamic");
    auto whole = [&](std::string_view key, int lo, int hi, int& out) {
        const std::optional<int> v = r.Int(*t, key, "dynamic", false);
        if (!v) return;
        if (*v < lo || *v > hi)
            r.Fail(Reader::LineOf(*t->get(key)), "plan.dynamic", Join("dynamic", key),
                   "应在" + std::to_string(lo) + "到" + std::to_string(hi) + "之间",
                   "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
        else
            out = *v;
    };
    auto ratio = [&](std::string_view key, double& out) {
        const toml::node* n = r.Get(*t, key, "dynamic", false);
        if (!n || !r.ok()) return;
        std::optional<double> v;
        if (n->is_floating_point()) v = n->as_floating_point()->get();
        if (n->is_integer()) v = static_cast<double>(n->as_integer()->get());
        if (!v) return r.WrongType(*n, Join("dynamic", key), "小数", "a number");
        if (!(*v > 0 && *v <= 1))
            return r.Fail(Reader::LineOf(*n), "plan.dynamic", Join("dynamic", key),
                          "应为0到1之间的比例(如0.03)", "must be a ratio above 0 and at most 1 (e.g. 0.03)");
        out = *v;
    };
    whole("notice_days", 1, 60, plan.dynamic.notice_days);
    whole("buffer_years", 0, 20, plan.dynamic.buffer_years);
    ratio("village_exit_incidence", plan.dynamic.village_exit_incidence);
    ratio("county_exit_incidence", plan.dynamic.county_exit_incidence);
    ratio("wrongful_exit_veto", plan.dynamic.wrongful_exit_veto);
    ratio("missed_veto", plan.dynamic.missed_veto);
    ratio("approval_veto", plan.dynamic.approval_veto);
}

// [shares]: every key optional, each range-checked (defaults in PlanShares); the split's three
// parts must add up to 1000 permille.
void ReadShares(Reader& r, const toml::table& root, Plan& plan) {
    const toml::table* t = r.Table(root, "shares", "", false);
    if (!t) return;
    r.CheckKeys(*t,
                {"quantify", "reallocation", "floor_rate_bp", "split_poor_permille", "split_village_permille",
                 "split_cooperative_permille"},
                "shares");
    auto whole = [&](std::string_view key, int lo, int hi, int& out) {
        if (!r.ok()) return;
        const std::optional<int> v = r.Int(*t, key, "shares", false);
        if (!v) return;
        if (*v < lo || *v > hi)
            r.Fail(Reader::LineOf(*t->get(key)), "plan.shares", Join("shares", key),
                   "应在" + std::to_string(lo) + "到" + std::to_string(hi) + "之间",
                   "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
        else
            out = *v;
    };
    auto choice = [&](std::string_view key, std::string_view a, std::string_view b, bool& is_b) {
        if (!r.ok() || !t->get(key)) return;
        const std::string v = r.String(*t, key, "shares", false);
        if (!r.ok()) return;
        if (v == a || v == b)
            is_b = v == b;
        else
            r.Fail(Reader::LineOf(*t->get(key)), "plan.shares", Join("shares", key),
                   "应为 " + std::string(a) + " 或 " + std::string(b) + ": " + v,
                   "must be " + std::string(a) + " or " + std::string(b) + ": " + v);
    };
    bool per_person = plan.shares.quantify == ShareBasis::kPerson;
    choice("quantify", "per_household", "per_person", per_person);
    plan.shares.quantify = per_person ? ShareBasis::kPerson : ShareBasis::kHousehold;
    bool even = plan.shares.reallocation == ReallocationMode::kEven;
    choice("reallocation", "new_first", "even", even);
    plan.shares.reallocation = even ? ReallocationMode::kEven : ReallocationMode::kNewFirst;
    whole("floor_rate_bp", 0, 10000, plan.shares.floor_rate_bp);
    whole("split_poor_permille", 0, 1000, plan.shares.split_poor_permille);
    whole("split_village_permille", 0, 1000, plan.shares.split_village_permille);
    whole("split_cooperative_permille", 0, 1000, plan.shares.split_cooperative_permille);
    if (r.ok() && plan.shares.split_poor_permille + plan.shares.split_village_permille +
                          plan.shares.split_cooperative_permille !=
                      1000)
        r.Fail(Reader::LineOf(*t), "plan.shares", "shares",
               "收益分配比例(贫困户/村集体/合作社)之和应为1000‰",
               "the income split (poor households / village / cooperative) must add up to 1000 permille");
}


// [funds]: every key optional, each range-checked (defaults in PlanFunds, core/funds.h).
void ReadFunds(Reader& r, const toml::table& root, Plan& plan) {
    const toml::table* t = r.Table(root, "funds", "", false);
    if (!t) return;
    r.CheckKeys(*t,
                {"stage_approved_percent", "stage_started_percent", "stage_near_completion_percent",
                 "stage_accepted_percent", "overrun_permille", "deposit_max_permille", "idle_days", "negative_list",
                 "sources", "notice_days"},
                "funds");
    PlanFunds& f = plan.funds;
    auto whole = [&](std::string_view key, int lo, int hi, int& out) {
        if (!r.ok()) return;
        const std::optional<int> v = r.Int(*t, key, "funds", false);
        if (!v) return;
        if (*v < lo || *v > hi)
            r.Fail(Reader::LineOf(*t->get(key)), "plan.funds", Join("funds", key),
                   "应在" + std::to_string(lo) + "到" + std::to_string(hi) + "之间",
                   "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
        else
            out = *v;
    };
    whole("stage_approved_percent", 0, 100, f.stage_approved_percent);
    whole("stage_started_percent", 0, 100, f.stage_started_percent);
    whole("stage_near_completion_percent", 0, 100, f.stage_near_completion_percent);
    whole("stage_accepted_percent", 0, 100, f.stage_accepted_percent);
    whole("overrun_permille", 0, 1000, f.overrun_permille);
    whole("deposit_max_permille", 0, 1000, f.deposit_max_permille);
    whole("idle_days", 1, 3650, f.idle_days);
    whole("notice_days", 10, 365, f.notice_days);
    if (!r.ok()) return;
    if (!(f.stage_approved_percent <= f.stage_started_percent && f.stage_started_percent <= f.stage_near_completion_percent &&
          f.stage_near_completion_percent <= f.stage_accepted_percent))
        return r.Fail(Reader::LineOf(*t), "plan.funds", "funds",
                      "各阶段累计支付比例须逐级不减(立项≤开工≤接近完工≤验收)",
                      "stage percents must not decrease (approved ≤ started ≤ near completion ≤ accepted)");
    auto code_ok = [](const std::string& c) {
        return !c.empty() && c.size() <= 40 &&
               std::all_of(c.begin(), c.end(), [](char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_'; });
    };
    if (t->get("negative_list")) {
        std::vector<std::string> list = r.Strings(*t, "negative_list", "funds", false);
        if (!r.ok()) return;
        for (const std::string& c : list)
            if (!code_ok(c))
                return r.Fail(LineAt(*t, "negative_list"), "plan.funds", "funds.negative_list",
                              "用途代码须为小写字母、数字或下划线: " + c, "a use code is lower-case letters, digits or _: " + c);
        f.negative_list = std::move(list);
    }
    std::set<std::string> seen;
    for (const FundSource& s : BuiltinFundSources()) seen.insert(s.code);
    const auto tables = r.Tables(*t, "sources", "funds", false);
    for (size_t i = 0; i < tables.size() && r.ok(); ++i) {
        const toml::table& s = *tables[i];
        const std::string path = Index("funds.sources", i);
        r.CheckKeys(s, {"code", "name", "special_poverty"}, path);
        FundSource src;
        src.code = r.String(s, "code", path);
        if (!r.ok()) return;
        if (!code_ok(src.code))
            return r.Fail(LineAt(s, "code"), "plan.funds", Join(path, "code"),
                          "资金来源代码须为小写字母、数字或下划线", "a source code is lower-case letters, digits or _");
        if (!CheckUnique(r, seen, src.code, LineAt(s, "code"), Join(path, "code"))) return;
        src.name = r.String(s, "name", path);
        if (const toml::node* n = s.get("special_poverty")) {
            if (!n->is_boolean()) return r.WrongType(*n, Join(path, "special_poverty"), "布尔值", "a boolean");
            src.special_poverty = n->as_boolean()->get();
        }
        f.sources.push_back(std::move(src));
    }
}
}  // namespace

int PlanTownship::total_persons() const {
    int sum = 0;
    for (const auto& [year, persons] : exit_targets) sum += persons;
    return sum;
}

const PlanMeasure* Plan::FindMeasure(int number) const {
    for (const PlanMeasure& m : measures)
        if (m.number == number) return &m;
    return nullptr;
}

std::optional<int> Plan::ParseMeasure(std::string_view text) const {
    text = TrimCell(text);
    if (text.empty()) return std::nullopt;
    if (AllDigits(text)) {
        if (text.size() > 2) return std::nullopt;
        const int number = std::stoi(std::string(text));
        return FindMeasure(number) ? std::optional<int>(number) : std::nullopt;
    }
    constexpr std::string_view kFupin = "扶贫";
    for (const PlanMeasure& m : measures) {
        std::string_view name = m.name;
        if (text == name) return m.number;
        // Registry files shorten 微型基建扶贫 to 微型基建; a name that is all 扶贫 has no short form.
        if (name.ends_with(kFupin) && name.size() > kFupin.size() &&
            text == name.substr(0, name.size() - kFupin.size()))
            return m.number;
        if (!m.name_en.empty() && EqualsIgnoreCase(text, m.name_en)) return m.number;
    }
    return std::nullopt;
}

const PlanTownship* Plan::FindTownship(std::string_view code) const {
    for (const PlanTownship& t : townships)
        if (t.code == code) return &t;
    return nullptr;
}

const PlanBattle* Plan::FindBattle(std::string_view battle_id) const {
    for (const PlanBattle& b : battles)
        if (b.id == battle_id) return &b;
    return nullptr;
}

std::optional<int64_t> Plan::PovertyLine(int year) const {
    auto it = poverty_line_fen.upper_bound(year);
    if (it == poverty_line_fen.begin()) return std::nullopt;
    return std::prev(it)->second;
}

int Plan::ExitTarget(int year) const {
    int sum = 0;
    for (const PlanTownship& t : townships) {
        auto it = t.exit_targets.find(year);
        if (it != t.exit_targets.end()) sum += it->second;
    }
    return sum;
}

std::vector<int> Plan::years() const {
    std::vector<int> out;
    for (int y = start_year; y <= end_year; ++y) out.push_back(y);
    return out;
}

Result<Plan> ParsePlan(std::string_view toml_text, std::string_view source) {
    toml::table root;
    try {
        root = toml::parse(toml_text, source);
    } catch (const toml::parse_error& e) {
        // toml++ describes the problem in English only; the line is what a user needs most.
        const std::string what(e.description());
        const std::string line = std::to_string(e.source().begin.line);
        return Fail("plan.syntax", std::string(source) + ":" + line,
                    "第" + line + "行 TOML 语法错误: " + what,
                    "TOML syntax error at line " + line + ": " + what);
    }
    Reader r(source);
    Plan plan;
    // Battles before measures, and the header (county code, years) before everything that is
    // checked against it.
    ReadHeader(r, root, plan);
    if (r.ok()) ReadTownships(r, root, plan);
    if (r.ok()) ReadBattles(r, root, plan);
    if (r.ok()) ReadMeasures(r, root, plan);
    if (r.ok()) ReadExitStandard(r, root, plan);
    if (r.ok()) ReadStatedTotals(r, root, plan);
    if (r.ok()) ReadPairingQuotas(r, root, plan);
    if (r.ok()) ReadPairing(r, root, plan);
    if (r.ok()) ReadReports(r, root, plan);
    if (r.ok()) ReadDynamic(r, root, plan);
    if (r.ok()) ReadShares(r, root, plan);
    if (r.ok()) ReadFunds(r, root, plan);
    if (!r.ok()) return std::unexpected(r.error());
    return plan;
}

namespace {
constexpr std::pair<Beneficiaries, std::string_view> kBeneficiaries[] = {
    {Beneficiaries::kHousehold, "household"},
    {Beneficiaries::kStudents, "students"},
    {Beneficiaries::kIll, "ill"},
    {Beneficiaries::kMigrantWorkers, "migrant_workers"},
    {Beneficiaries::kAbleAdults, "able_adults"},
};
}  // namespace

std::optional<Beneficiaries> ParseBeneficiaries(std::string_view name) {
    for (auto& [b, n] : kBeneficiaries)
        if (n == name) return b;
    return std::nullopt;
}

std::string_view BeneficiariesName(Beneficiaries b) {
    for (auto& [v, n] : kBeneficiaries)
        if (v == b) return n;
    return {};
}

}  // namespace jz
