#include "service/reports.h"

#include <algorithm>
#include <map>

#include "core/access.h"
#include "core/assistance.h"
#include "service/as_of.h"
#include "service/pairing.h"

namespace jz::service {

bool Overlaps(const std::string& scope, const std::string& code) {
    return scope.empty() || code.starts_with(scope) || scope.starts_with(code);
}

Date PlanStart(const Plan& plan) { return Date{plan.start_year, 1, 1}; }

Result<ProgressReport> BuildProgress(Store& store, const Plan& plan, const OrgTree& tree, const Date& as_of,
                                     const std::string& scope) {
    ProgressBuilder builder(plan, tree, as_of);
    // The measures delivered in the plan's period so far, from the same households and one scan
    // of the items' facts.
    DeliveredBuilder delivered(plan, tree, scope.empty() ? plan.county_code : scope, PlanStart(plan), as_of);
    HouseholdFilter filter;
    filter.division_prefix = scope;
    filter.facts_only = true;
    // The households as they stood at the end of as_of (events dated after it undone).
    auto registry = RegistryAsOf::Load(store, as_of, scope);
    if (!registry) return std::unexpected(registry.error());
    auto scanned = registry->ScanFacts(store, filter, [&](const HouseholdFacts& h) {
        builder.Add(h);
        delivered.AddHousehold(h);
        return true;
    });
    if (!scanned) return std::unexpected(scanned.error());
    auto items = store.ScanItemFacts(scope, [&](const ItemFacts& f) {
        delivered.AddItem(f);
        return true;
    });
    if (!items) return std::unexpected(items.error());
    ProgressReport report = builder.Finish();
    AttachDelivered(report, delivered.Finish());
    std::erase_if(report.townships, [&](const ProgressTownship& t) { return !Overlaps(scope, t.code); });
    return report;
}

boost::json::object ProgressJson(const ProgressReport& r) {
    boost::json::object o;
    o["as_of"] = r.as_of.ToString();
    o["county"] = {{"code", r.county_code},
                   {"name", r.county_name},
                   {"households", r.households},
                   {"persons", r.persons},
                   {"exited_persons", r.exited_persons},
                   {"target_persons", r.target_persons}};
    boost::json::array townships;
    for (const ProgressTownship& t : r.townships) {
        boost::json::array years;
        for (const ProgressYear& y : t.years)
            years.push_back({{"year", y.year},
                             {"target_persons", y.target_persons},
                             {"planned_persons", y.planned_persons},
                             {"exited_persons", y.exited_persons}});
        townships.push_back({{"code", t.code},
                             {"name", t.name},
                             {"households", t.households},
                             {"persons", t.persons},
                             {"exited_persons", t.exited_persons},
                             {"years", std::move(years)}});
    }
    o["townships"] = std::move(townships);
    boost::json::array measures;
    auto opt = [](const std::optional<int>& v) {
        return v ? boost::json::value(*v) : boost::json::value(nullptr);
    };
    for (const ProgressMeasure& m : r.measures) {
        boost::json::object o{{"number", m.number},
                              {"name", m.name},
                              {"battle", m.battle},
                              {"target_households", opt(m.target_households)},
                              {"target_persons", opt(m.target_persons)},
                              {"households", m.households}};
        PutDelivered(o, m.delivered, m.households);
        measures.push_back(std::move(o));
    }
    o["measures"] = std::move(measures);
    return o;
}

void PutDelivered(boost::json::object& o, const std::optional<MeasureDelivered>& delivered,
                  int64_t planned_households) {
    const MeasureDelivered none;
    const MeasureDelivered& d = delivered ? *delivered : none;
    o["planned_households"] = delivered ? d.planned_households : planned_households;
    o["reached_households"] = d.reached_households;
    o["beneficiaries"] = d.beneficiaries;
    o["items"] = d.items;
    o["unsigned_items"] = d.unsigned_items;
    o["amount"] = FormatCenti(d.amount);
    boost::json::array stages, others;
    for (const StageDelivered& s : d.stages)
        stages.push_back({{"id", s.id}, {"name", s.name}, {"target_persons", s.target_persons}, {"persons", s.persons}});
    for (const OtherDelivered& x : d.others)
        others.push_back({{"id", x.id}, {"name", x.name}, {"target", x.target}, {"held", x.held}});
    o["stages"] = std::move(stages);
    o["others"] = std::move(others);
}

Result<std::vector<Finding>> RunChecks(Store& store, const Plan& plan, const CheckOptions& options,
                                       const std::string& scope, int parts) {
    parts = std::clamp(parts, 1, 8);
    // The pairing rules read the pairing table (every household: the checker sees them all and
    // the cross-household rules need the whole county), unless the caller brought the facts.
    CheckOptions with_pairing = options;
    std::optional<PairingFacts> pairing;
    if (!with_pairing.pairing) {
        auto facts = LoadPairingFacts(store, plan, "", options.as_of);
        if (!facts) return std::unexpected(facts.error());
        pairing = std::move(*facts);
        with_pairing.pairing = &*pairing;
    }
    std::vector<RegistryChecker> checkers;
    for (int i = 0; i < parts; ++i) checkers.emplace_back(plan, with_pairing);
    auto registry = RegistryAsOf::Load(store, options.as_of, "");
    if (!registry) return std::unexpected(registry.error());
    auto scanned = registry->ScanHouseholdsParallel(store, {}, parts, [&](int part, const Household& h) {
        checkers[static_cast<size_t>(part)].Add(h, OrgTree::Within(h.division_code, scope));
        return true;
    });
    if (!scanned) return std::unexpected(scanned.error());
    for (size_t i = 1; i < checkers.size(); ++i) checkers[0].Merge(std::move(checkers[i]));
    return checkers[0].Finish();
}

namespace {
void MaskAll(std::string& text, const std::string& id) {
    if (id.empty()) return;
    const std::string masked = MaskIdNumber(id);
    for (size_t at = text.find(id); at != std::string::npos; at = text.find(id, at + masked.size()))
        text.replace(at, id.size(), masked);
}
}  // namespace

boost::json::object CheckJson(const Date& as_of, const std::vector<Finding>& findings, bool mask_ids) {
    boost::json::array items;
    for (const Finding& f : findings) {
        std::string message = f.message(), zh = f.message_zh, en = f.message_en;
        boost::json::value id = nullptr;
        if (f.id_number) {
            if (mask_ids)
                for (std::string* text : {&message, &zh, &en}) MaskAll(*text, *f.id_number);
            id = mask_ids ? MaskIdNumber(*f.id_number) : *f.id_number;
        }
        items.push_back({{"rule", f.rule},
                         {"severity", SeverityName(f.severity)},
                         {"household_code", f.household_code},
                         {"id_number", std::move(id)},
                         {"division_code", f.division_code},
                         {"message", std::move(message)},
                         {"message_zh", std::move(zh)},
                         {"message_en", std::move(en)}});
    }
    boost::json::object c;  // every rule, in the rules' order, zero included
    for (const auto& [rule, n] : CountByRule(findings)) c[rule] = n;
    return {{"as_of", as_of.ToString()}, {"findings", std::move(items)}, {"counts", std::move(c)}};
}

Result<std::vector<ReconcileFinding>> Reconcile(Store& store, const Plan& plan, const OrgTree& tree,
                                                const Date& as_of, const std::string& scope) {
    auto report = BuildProgress(store, plan, tree, as_of);
    if (!report) return std::unexpected(report.error());
    return ReconcileReport(plan, *report, scope);
}

std::vector<ReconcileFinding> ReconcileReport(const Plan& plan, const ProgressReport& whole_registry,
                                              const std::string& scope) {
    std::vector<ReconcileFinding> findings = ReconcilePlan(plan);
    for (ReconcileFinding& f : ReconcileRegistry(plan, whole_registry))
        if (f.scope.starts_with(scope)) findings.push_back(std::move(f));  // a township's own only
    return findings;
}

boost::json::object ReconcileJson(const Date& as_of, const std::vector<ReconcileFinding>& findings) {
    boost::json::array items;
    auto opt = [](const std::optional<int>& v) {
        return v ? boost::json::value(*v) : boost::json::value(nullptr);
    };
    for (const ReconcileFinding& f : findings)
        items.push_back({{"kind", ReconcileKindName(f.kind)},
                         {"scope", f.scope},
                         {"year", opt(f.year)},
                         {"measure", opt(f.measure)},
                         {"quantity", f.quantity},
                         {"expected", f.expected},
                         {"actual", f.actual},
                         {"message", f.message()},
                         {"message_zh", f.message_zh},
                         {"message_en", f.message_en}});
    return {{"as_of", as_of.ToString()}, {"findings", std::move(items)}};
}

boost::json::object PlanJson(const Plan& plan) {
    namespace json = boost::json;
    json::array townships, measures, battles, lines;
    for (const PlanTownship& t : plan.townships) {
        json::object targets;
        for (const auto& [year, n] : t.exit_targets) targets[std::to_string(year)] = n;
        townships.push_back({{"code", t.code}, {"name", t.name}, {"exit_targets", std::move(targets)}});
    }
    auto opt = [](const std::optional<int>& v) { return v ? json::value(*v) : json::value(nullptr); };
    for (const PlanMeasure& m : plan.measures)
        measures.push_back({{"number", m.number},
                            {"name", m.name},
                            {"name_en", m.name_en},
                            {"battle", m.battle},
                            {"target_households", opt(m.target_households)},
                            {"target_persons", opt(m.target_persons)}});
    for (const PlanBattle& b : plan.battles)
        battles.push_back({{"id", b.id},
                           {"name", b.name},
                           {"owner", b.owner},
                           {"units", json::array(b.units.begin(), b.units.end())}});
    for (const auto& [year, fen] : plan.poverty_line_fen)
        lines.push_back({{"year", year}, {"yuan", FormatCenti(fen)}});
    return json::object{{"id", plan.id},
                        {"title", plan.title},
                        {"document_number", plan.document_number},
                        {"county_code", plan.county_code},
                        {"county_name", plan.county_name},
                        {"start_year", plan.start_year},
                        {"end_year", plan.end_year},
                        {"target_households", plan.target_households},
                        {"target_persons", plan.target_persons},
                        {"poverty_lines", std::move(lines)},
                        {"townships", std::move(townships)},
                        {"battles", std::move(battles)},
                        {"measures", std::move(measures)}};
}

}  // namespace jz::service
