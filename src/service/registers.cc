#include "service/registers.h"

#include "service/as_of.h"

#include <algorithm>
#include <map>

#include "core/access.h"
#include "core/codes.h"
#include "core/procedure.h"

namespace jz::service {

namespace {

// The one place households are loaded for registers (switched to the as-of registry at merge).
Result<std::vector<Household>> LoadHouseholdsForRegister(Store& store, const std::string& division_prefix,
                                                         const Date& as_of) {
    // The households as they stood at the end of as_of (service/as_of.h).
    auto registry = RegistryAsOf::Load(store, as_of, division_prefix);
    if (!registry) return std::unexpected(registry.error());
    std::vector<Household> out;
    HouseholdFilter f;
    f.division_prefix = division_prefix;
    auto r = registry->ScanHouseholds(store, f, [&](const Household& h) {
        out.push_back(h);
        return true;
    });
    if (!r) return std::unexpected(r.error());
    std::ranges::sort(out, [](const Household& a, const Household& b) {
        if (a.division_code != b.division_code) return a.division_code < b.division_code;
        return a.household_code < b.household_code;
    });
    return out;
}

std::string Name(const CodeTable& table, std::optional<int> code) {
    if (!code) return "";
    return std::string(table.NameOf(*code));
}

std::string UnitName(const OrgTree& tree, std::string_view code) {
    const OrgUnit* u = tree.Find(code);
    return u ? u->name() : std::string(code);
}

std::string MeasureName(const Plan& plan, int number) {
    const PlanMeasure* m = plan.FindMeasure(number);
    return m ? m->name : "措施" + std::to_string(number);
}

DocColumn Col(std::string id, std::string zh, std::string en, DocCellType t = DocCellType::kText) {
    return DocColumn{std::move(id), std::move(zh), std::move(en), t};
}

DocValue OptInt(const std::optional<int>& v) {
    if (!v) return std::monostate{};
    return int64_t{*v};
}

DocSection Roster(const Plan& plan, const OrgTree& tree, const std::vector<Household>& hs, bool by_village) {
    DocSection s;
    s.id = "roster";
    s.title_zh = "贫困户花名册";
    s.title_en = "Roster of poor households";
    s.columns = {Col("household_code", "户编号", "Household code"),
                 Col("head", "户主", "Head"),
                 Col("members", "人数", "Members", DocCellType::kInteger),
                 Col("attribute", "贫困户属性", "Attribute"),
                 Col("main_cause", "主要致贫原因", "Main cause"),
                 Col("main_measure", "主要帮扶措施", "Main measure"),
                 Col("aux_measures", "辅助帮扶措施", "Auxiliary measures"),
                 Col("pairing_cadre", "帮扶责任人", "Pairing cadre"),
                 Col("status", "脱贫状态", "Status"),
                 Col("planned_exit_year", "计划脱贫年度", "Planned exit year", DocCellType::kInteger),
                 Col("exit_year", "脱贫年度", "Exit year", DocCellType::kInteger)};
    int64_t total_h = 0, total_p = 0, sub_h = 0, sub_p = 0;
    std::string village;
    auto subtotal = [&] {
        if (!by_village || village.empty()) return;
        s.rows.push_back({{std::string("小计：") + UnitName(tree, village), std::string(std::to_string(sub_h) + " 户"),
                           sub_p, std::monostate{}, std::monostate{}, std::monostate{}, std::monostate{},
                           std::monostate{}, std::monostate{}, std::monostate{}, std::monostate{}},
                          true});
    };
    for (const Household& h : hs) {
        if (h.division_code != village) {
            subtotal();
            village = h.division_code;
            sub_h = sub_p = 0;
        }
        std::string aux;
        for (int m : h.aux_measures) aux += (aux.empty() ? "" : "、") + MeasureName(plan, m);
        const Person* head = h.head();
        s.rows.push_back({{h.household_code, head ? head->name : std::string(), static_cast<int64_t>(h.members.size()),
                           Name(codes::Attribute(), h.attribute), Name(codes::Cause(), h.main_cause),
                           h.main_measure ? MeasureName(plan, *h.main_measure) : std::string(), aux, h.pairing_cadre,
                           Name(codes::Status(), h.status), OptInt(h.planned_exit_year), OptInt(h.exit_year)},
                          false});
        ++sub_h, ++total_h;
        sub_p += static_cast<int64_t>(h.members.size());
        total_p += static_cast<int64_t>(h.members.size());
    }
    subtotal();
    s.rows.push_back({{std::string("合计"), std::string(std::to_string(total_h) + " 户"), total_p, std::monostate{},
                       std::monostate{}, std::monostate{}, std::monostate{}, std::monostate{}, std::monostate{},
                       std::monostate{}, std::monostate{}},
                      true});
    if (hs.empty()) s.note_zh = "无登记贫困户", s.note_en = "no registered poor households";
    return s;
}

DocSection Members(const std::vector<Household>& hs, bool mask) {
    DocSection s;
    s.id = "members";
    s.title_zh = "家庭成员";
    s.title_en = "Household members";
    s.columns = {Col("household_code", "户编号", "Household code"), Col("name", "姓名", "Name"),
                 Col("relation", "与户主关系", "Relation"),       Col("sex", "性别", "Sex"),
                 Col("birth", "出生日期", "Birth"),               Col("health", "健康状况", "Health"),
                 Col("schooling", "在校生状况", "Schooling"),     Col("labour", "劳动能力", "Labour")};
    for (const Household& h : hs)
        for (const Person& p : h.members)
            s.rows.push_back({{h.household_code, p.name, Name(codes::Relation(), p.relation), Name(codes::Sex(), p.sex),
                               mask ? std::to_string(p.birth_date.year) : p.birth_date.ToString(),
                               Name(codes::Health(), p.health), Name(codes::Schooling(), p.schooling),
                               Name(codes::Labour(), p.labour)},
                              false});
    if (s.rows.empty()) s.note_zh = "无", s.note_en = "none";
    return s;
}

DocSection Summary(const OrgTree& tree, const std::vector<Household>& hs) {
    DocSection s;
    s.id = "summary";
    s.title_zh = "分村汇总";
    s.title_en = "Summary by village";
    s.columns = {Col("village", "村", "Village"),
                 Col("households", "贫困户数", "Households", DocCellType::kInteger),
                 Col("persons", "贫困人口", "Persons", DocCellType::kInteger),
                 Col("exited", "已脱贫户数", "Exited households", DocCellType::kInteger),
                 Col("not_exited", "未脱贫户数", "Households not exited", DocCellType::kInteger)};
    const auto entries = codes::Attribute().entries;
    for (const CodeEntry& e : entries)
        s.columns.push_back(Col("attribute_" + std::to_string(e.code), std::string(e.name),
                                "Attribute " + std::to_string(e.code), DocCellType::kInteger));
    struct Count {
        int64_t h = 0, p = 0, exited = 0, not_exited = 0;
        std::map<int, int64_t> by_attr;
    };
    std::map<std::string, Count> by_village;
    Count total;
    for (const Household& h : hs) {
        for (Count* c : {&by_village[h.division_code], &total}) {
            ++c->h;
            c->p += static_cast<int64_t>(h.members.size());
            if (h.exited()) ++c->exited;
            else ++c->not_exited;
            ++c->by_attr[h.attribute];
        }
    }
    auto row = [&](std::string label, const Count& c, bool is_total) {
        DocRow r;
        r.total = is_total;
        r.cells = {std::move(label), c.h, c.p, c.exited, c.not_exited};
        for (const CodeEntry& e : entries) {
            auto it = c.by_attr.find(e.code);
            r.cells.push_back(it == c.by_attr.end() ? int64_t{0} : it->second);
        }
        s.rows.push_back(std::move(r));
    };
    for (const auto& [code, c] : by_village) row(UnitName(tree, code), c, false);
    row("合计", total, true);
    s.chart = DocChart{DocChart::Kind::kBar, 0, {3, 4}};
    return s;
}

bool Effective(const ProcedureCase& c) {
    return c.state == "registered" || c.state == "exited" || c.state == "done";
}

Result<DocSection> Changes(Store& store, const OrgTree& tree, const std::string& prefix, int year, const Date& as_of,
                           bool mask) {
    DocSection s;
    s.id = "changes";
    s.title_zh = std::to_string(year) + "年动态变化";
    s.title_en = "Changes in " + std::to_string(year);
    s.columns = {Col("date", "日期", "Date", DocCellType::kDate),
                 Col("kind", "变化类别", "Change"),
                 Col("household_code", "户编号", "Household code"),
                 Col("head", "户主", "Head"),
                 Col("village", "村", "Village"),
                 Col("persons", "人数", "Persons", DocCellType::kInteger),
                 Col("detail", "说明", "Detail")};
    std::vector<ProcedureCase> all;
    CaseFilter f;
    f.division_prefix = prefix;
    f.year = year;
    f.limit = 1000;
    for (;;) {
        auto page = store.ListCases(f);
        if (!page) return std::unexpected(page.error());
        const size_t n = page->size();
        for (auto& c : *page) all.push_back(std::move(c));
        if (n < static_cast<size_t>(f.limit)) break;
        f.offset += f.limit;
    }
    struct Line {
        Date date;
        int64_t id;
        DocRow row;
    };
    std::vector<Line> lines;
    for (const ProcedureCase& c : all) {
        if (!Effective(c) || c.steps.empty()) continue;
        const Date date = c.steps.back().date;
        if (as_of < date) continue;  // not yet effective on as_of
        std::string head;
        const Household* hh = c.household ? &*c.household : nullptr;
        std::optional<HouseholdRecord> found;
        if (!hh) {
            auto r = store.FindHousehold(c.household_code);
            if (!r) return std::unexpected(r.error());
            found = *r;
            if (found) hh = &found->household;
        }
        if (hh && hh->head()) head = hh->head()->name;
        std::string detail;
        if (c.kind == ProcedureKind::kMemberChange) {
            detail = std::string(codes::MemberChange().NameOf(c.member_change.value_or(0)));
            std::string who;
            if (hh)
                for (const Person& p : hh->members)
                    if (p.id_number == c.member_id_number) who = p.name;
            if (who.empty()) who = mask ? MaskIdNumber(c.member_id_number) : c.member_id_number;
            detail += (detail.empty() ? "" : "：") + who;
        }
        if (!c.reason.empty()) detail += (detail.empty() ? "" : "；") + (mask ? MaskIdNumbersInText(c.reason) : c.reason);
        lines.push_back({date, c.id,
                         DocRow{{date.ToString(), std::string(ProcedureKindNameZh(c.kind)), c.household_code, head,
                                 UnitName(tree, c.division_code), int64_t{c.persons}, detail},
                                false}});
    }
    std::ranges::sort(lines, [](const Line& a, const Line& b) {
        if (a.date != b.date) return a.date < b.date;
        return a.id < b.id;
    });
    for (auto& l : lines) s.rows.push_back(std::move(l.row));
    if (s.rows.empty()) s.note_zh = "本年度无生效的动态变化", s.note_en = "no effective changes this year";
    return s;
}

}  // namespace

Result<Document> BuildRegister(Store& store, const Plan& plan, const OrgTree& tree, const std::string& unit_code,
                               const RegisterOptions& o) {
    const OrgUnit* u = tree.Find(unit_code);
    const bool village = u && unit_code.size() == 12 && u->level == OrgLevel::kVillage;
    const bool township = u && unit_code.size() == 9 && u->level == OrgLevel::kTownship;
    if (!village && !township)
        return Fail("register.unknown_unit", "unit", unit_code + " 不是本县的村(12 位)或乡镇(9 位)",
                    unit_code + " is not a village (12 digits) or township (9 digits) of the county");
    const int year = o.year > 0 ? o.year : o.as_of.year;
    auto hs = LoadHouseholdsForRegister(store, unit_code, o.as_of);
    if (!hs) return std::unexpected(hs.error());
    Document d;
    d.kind = village ? "village_register" : "township_book";
    d.unit_code = unit_code;
    d.unit_name = u->name();
    const std::string township_name = village ? UnitName(tree, unit_code.substr(0, 9)) + " " : "";
    d.title_zh = township_name + d.unit_name + (village ? "贫困户村有册" : "贫困户乡有簿");
    d.title_en = d.unit_name + (village ? " village register of poor households" : " township book of poor households");
    d.period = std::to_string(year);
    d.from = Date{year, 1, 1};
    d.to = std::min(Date{year, 12, 31}, o.as_of);
    d.as_of = o.as_of;
    int64_t persons = 0, exited = 0;
    for (const Household& h : *hs) {
        persons += static_cast<int64_t>(h.members.size());
        if (h.exited()) ++exited;
    }
    d.facts = {{"单位", "Unit", (village ? township_name : std::string()) + d.unit_name + "（" + unit_code + "）"},
               {"年度", "Year", std::to_string(year)},
               {"截至日期", "As of", o.as_of.ToString()},
               {"贫困户数", "Households", std::to_string(hs->size())},
               {"贫困人口", "Persons", std::to_string(persons)},
               {"已脱贫户数", "Exited households", std::to_string(exited)}};
    if (o.mask) d.facts.push_back({"说明", "Note", "出生日期仅显示年份"});
    // Records corrected after the day show their corrected values: say which.
    auto corrected = CorrectedSince(store, o.as_of, unit_code);
    if (!corrected) return std::unexpected(corrected.error());
    if (!corrected->empty()) {
        std::string list = std::to_string(corrected->size()) + " 户";
        for (size_t i = 0; i < corrected->size() && i < 20; ++i) list += (i ? "、" : "：") + (*corrected)[i];
        if (corrected->size() > 20) list += " 等";
        d.facts.push_back({"截至日期后更正的记录(按更正后显示)", "Records corrected after the day (shown corrected)", list});
    }
    d.sections.push_back(Roster(plan, tree, *hs, township));
    d.sections.push_back(Members(*hs, o.mask));
    d.sections.push_back(Summary(tree, *hs));
    auto changes = Changes(store, tree, unit_code, year, o.as_of, o.mask);
    if (!changes) return std::unexpected(changes.error());
    d.sections.push_back(std::move(*changes));
    d.signatures = village ? std::vector<std::string>{"填报人", "村委会主任", "驻村第一书记"}
                           : std::vector<std::string>{"填报人", "审核人", "乡镇主要负责人"};
    return d;
}

}  // namespace jz::service
