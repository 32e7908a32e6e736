#include "store/procedure_json.h"

#include <boost/json.hpp>
#include <charconv>

#include "store/json_reader.h"
#include "store/store.h"

namespace jz {

std::string ProcedureCaseToJson(const ProcedureCase& c) {
    boost::json::object o;
    o["id"] = c.id;
    o["version"] = c.version;
    o["kind"] = ProcedureKindName(c.kind);
    o["household_code"] = c.household_code;
    o["division_code"] = c.division_code;
    o["year"] = c.year;
    o["state"] = c.state;
    o["open"] = c.open;
    o["persons"] = c.persons;
    boost::json::array steps;
    steps.reserve(c.steps.size());
    for (const ProcedureStep& s : c.steps) {
        boost::json::object step;
        step["step"] = s.step;
        step["date"] = s.date.ToString();
        step["actor"] = s.actor;
        step["at"] = s.at;
        step["outcome"] = s.outcome;
        step["notes"] = s.notes;
        step["from_state"] = s.from_state;
        step["to_state"] = s.to_state;
        steps.push_back(std::move(step));
    }
    o["steps"] = std::move(steps);
    o["household"] = nullptr;  // the household's own JSON is spliced in below
    boost::json::array exclusions;
    for (const std::string& e : c.exclusions) exclusions.emplace_back(e);
    o["exclusions"] = std::move(exclusions);
    o["reason"] = c.reason;
    if (c.notice_until)
        o["notice_until"] = c.notice_until->ToString();
    else
        o["notice_until"] = nullptr;
    if (c.member_change)
        o["member_change"] = *c.member_change;
    else
        o["member_change"] = nullptr;
    o["member_id_number"] = c.member_id_number;
    std::string out = boost::json::serialize(o);
    if (c.household) {
        // Inside a serialized string every '"' is escaped, so ',"household"' (a quote after a comma)
        // can only be the key; no DOM round trip of the household is needed.
        constexpr std::string_view kNull = ",\"household\":null";
        const size_t at = out.find(kNull);
        out.replace(at + kNull.size() - 4, 4, HouseholdToJson(*c.household));
    }
    return out;
}

Result<ProcedureCase> ProcedureCaseFromJson(std::string_view json) {
    json_reader::Reader r("case");
    boost::json::value holder;
    const boost::json::object* o = r.Parse(json, holder);
    if (!o) return std::unexpected(r.error());
    ProcedureCase c;
    c.id = r.Int(*o, "id");
    c.version = r.Int(*o, "version");
    const std::string kind = r.String(*o, "kind");
    if (r.ok()) {
        if (auto k = ParseProcedureKind(kind))
            c.kind = *k;
        else
            r.Bad("kind", "a procedure kind");
    }
    c.household_code = r.String(*o, "household_code");
    c.division_code = r.String(*o, "division_code");
    c.year = r.Int32(*o, "year");
    c.state = r.String(*o, "state");
    c.open = r.Bool(*o, "open");
    c.persons = r.Int32(*o, "persons");
    if (const boost::json::array* steps = r.Array(*o, "steps")) {
        c.steps.reserve(steps->size());
        for (const boost::json::value& v : *steps) {
            const boost::json::object* s = r.ObjectIn(v, "steps");
            if (!s) break;
            ProcedureStep& step = c.steps.emplace_back();
            step.step = r.String(*s, "step");
            step.date = r.DateOf(*s, "date");
            step.actor = r.String(*s, "actor");
            step.at = r.String(*s, "at");
            step.outcome = r.String(*s, "outcome");
            step.notes = r.String(*s, "notes");
            step.from_state = r.String(*s, "from_state");
            step.to_state = r.String(*s, "to_state");
        }
    }
    if (const boost::json::value* h = r.Find(*o, "household", false)) {
        if (h->is_object())
            c.household = HouseholdFromObject(h->as_object(), r);
        else
            r.Bad("household", "null or a household");
    }
    c.exclusions = r.Strings(*o, "exclusions");
    c.reason = r.String(*o, "reason");
    c.notice_until = r.OptDate(*o, "notice_until");
    c.member_change = r.OptInt32(*o, "member_change");
    c.member_id_number = r.String(*o, "member_id_number");
    if (!r.ok()) return std::unexpected(r.error());
    return c;
}

std::string EvaluationToJson(const Evaluation& e) {
    boost::json::object o;
    o["id"] = e.id;
    o["version"] = e.version;
    o["year"] = e.year;
    o["division_code"] = e.division_code;
    o["seed"] = std::to_string(e.seed);
    o["population"] = e.population;
    o["drawn_by"] = e.drawn_by;
    o["drawn_at"] = e.drawn_at;
    boost::json::array items;
    items.reserve(e.items.size());
    for (const EvaluationItem& i : e.items) {
        boost::json::object item;
        item["household_code"] = i.household_code;
        item["division_code"] = i.division_code;
        item["verdict"] = VerdictName(i.verdict);
        item["notes"] = i.notes;
        item["recorded_by"] = i.recorded_by;
        item["recorded_at"] = i.recorded_at;
        items.push_back(std::move(item));
    }
    o["items"] = std::move(items);
    o["non_poor_surveyed"] = e.non_poor_surveyed;
    o["missed_found"] = e.missed_found;
    o["approval_surveyed"] = e.approval_surveyed;
    o["approval_satisfied"] = e.approval_satisfied;
    return boost::json::serialize(o);
}

Result<Evaluation> EvaluationFromJson(std::string_view json) {
    json_reader::Reader r("evaluation");
    boost::json::value holder;
    const boost::json::object* o = r.Parse(json, holder);
    if (!o) return std::unexpected(r.error());
    Evaluation e;
    e.id = r.Int(*o, "id");
    e.version = r.Int(*o, "version");
    e.year = r.Int32(*o, "year");
    e.division_code = r.String(*o, "division_code");
    const std::string seed = r.String(*o, "seed");
    if (r.ok()) {
        const char* end = seed.data() + seed.size();
        auto [p, ec] = std::from_chars(seed.data(), end, e.seed);
        if (seed.empty() || seed[0] == '+' || seed[0] == '-' || ec != std::errc() || p != end)
            r.Bad("seed", "decimal digits");
    }
    e.population = r.Int(*o, "population");
    e.drawn_by = r.String(*o, "drawn_by");
    e.drawn_at = r.String(*o, "drawn_at");
    if (const boost::json::array* items = r.Array(*o, "items")) {
        e.items.reserve(items->size());
        for (const boost::json::value& v : *items) {
            const boost::json::object* i = r.ObjectIn(v, "items");
            if (!i) break;
            EvaluationItem& item = e.items.emplace_back();
            item.household_code = r.String(*i, "household_code");
            item.division_code = r.String(*i, "division_code");
            const std::string verdict = r.String(*i, "verdict");
            if (r.ok()) {
                if (auto v = ParseVerdict(verdict))
                    item.verdict = *v;
                else
                    r.Bad("verdict", "pending, correct or wrongful");
            }
            item.notes = r.String(*i, "notes");
            item.recorded_by = r.String(*i, "recorded_by");
            item.recorded_at = r.String(*i, "recorded_at");
        }
    }
    e.non_poor_surveyed = r.Int(*o, "non_poor_surveyed");
    e.missed_found = r.Int(*o, "missed_found");
    e.approval_surveyed = r.Int(*o, "approval_surveyed");
    e.approval_satisfied = r.Int(*o, "approval_satisfied");
    if (!r.ok()) return std::unexpected(r.error());
    return e;
}

}  // namespace jz
