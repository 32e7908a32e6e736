// The household as JSON for the change log. Written directly rather than through a JSON DOM: an
// import writes one of these per household, and building a tree of a few dozen nodes per household
// cost more than the SQLite insert it is logged beside. The output is plain JSON (a test parses it
// back with Boost.JSON); fields without a value are omitted. HouseholdFromJson reads it back.
#include <charconv>

#include "store/json_reader.h"
#include "store/json_writer.h"
#include "store/store.h"

namespace jz {

using json_writer::JsonWriter;

std::string HouseholdToJson(const Household& h) {
    std::string out;
    out.reserve(256 + 256 * h.members.size());
    JsonWriter w(out);
    w.Open('{');
    w.Key("household_code"), w.String(h.household_code);
    w.Key("division_code"), w.String(h.division_code);
    w.Key("attribute"), w.Int(h.attribute);
    w.Field("identification_standard", h.identification_standard);
    w.Key("main_cause"), w.Int(h.main_cause);
    w.Key("other_causes"), w.Ints(h.other_causes);
    w.Key("identified_year"), w.Int(h.identified_year);
    w.Field("planned_exit_year", h.planned_exit_year);
    w.Key("status"), w.Int(h.status);
    w.Field("exit_year", h.exit_year);
    if (h.net_income_per_head) w.Key("net_income_per_head"), w.String(FormatCenti(*h.net_income_per_head));
    w.Field("main_measure", h.main_measure);
    w.Key("aux_measures"), w.Ints(h.aux_measures);
    w.Key("pairing_cadre"), w.String(h.pairing_cadre);
    w.Key("phone"), w.String(h.phone);
    w.Field("dangerous_housing", h.dangerous_housing);
    w.Field("safe_water", h.safe_water);
    w.Field("household_electricity", h.household_electricity);
    if (h.housing_area) w.Key("housing_area"), w.String(FormatCenti(*h.housing_area));
    w.Key("members");
    w.Open('[');
    for (const Person& p : h.members) {
        w.Open('{');
        w.Key("name"), w.String(p.name);
        w.Key("id_number"), w.String(p.id_number);
        w.Key("relation"), w.Int(p.relation);
        w.Key("sex"), w.Int(p.sex);
        w.Key("birth_date"), w.String(p.birth_date.ToString());
        w.Field("ethnicity", p.ethnicity);
        if (!p.ethnicity_name.empty()) w.Key("ethnicity_name"), w.String(p.ethnicity_name);
        w.Field("education", p.education);
        w.Field("schooling", p.schooling);
        w.Field("health", p.health);
        w.Field("labour", p.labour);
        w.Field("migrant_work", p.migrant_work);
        w.Field("months_worked", p.months_worked);
        w.Close('}');
    }
    w.Close(']');
    w.Close('}');
    return out;
}

Household HouseholdFromObject(const boost::json::object& o, json_reader::Reader& r) {
    Household h;
    h.household_code = r.String(o, "household_code");
    h.division_code = r.String(o, "division_code");
    h.attribute = r.Int32(o, "attribute");
    h.identification_standard = r.OptInt32(o, "identification_standard");
    h.main_cause = r.Int32(o, "main_cause");
    h.other_causes = r.Ints(o, "other_causes");
    h.identified_year = r.Int32(o, "identified_year");
    h.planned_exit_year = r.OptInt32(o, "planned_exit_year");
    h.status = r.Int32(o, "status");
    h.exit_year = r.OptInt32(o, "exit_year");
    h.net_income_per_head = r.OptCenti(o, "net_income_per_head");
    h.main_measure = r.OptInt32(o, "main_measure");
    h.aux_measures = r.Ints(o, "aux_measures");
    h.pairing_cadre = r.String(o, "pairing_cadre");
    h.phone = r.String(o, "phone");
    h.dangerous_housing = r.OptBool(o, "dangerous_housing");
    h.safe_water = r.OptBool(o, "safe_water");
    h.household_electricity = r.OptBool(o, "household_electricity");
    h.housing_area = r.OptCenti(o, "housing_area");
    if (const boost::json::array* members = r.Array(o, "members")) {
        h.members.reserve(members->size());
        for (const boost::json::value& v : *members) {
            const boost::json::object* m = r.ObjectIn(v, "members");
            if (!m) break;
            Person& p = h.members.emplace_back();
            p.name = r.String(*m, "name");
            p.id_number = r.String(*m, "id_number");
            p.relation = r.Int32(*m, "relation");
            p.sex = r.Int32(*m, "sex");
            p.birth_date = r.DateOf(*m, "birth_date");
            p.ethnicity = r.OptInt32(*m, "ethnicity");
            if (m->if_contains("ethnicity_name")) p.ethnicity_name = r.String(*m, "ethnicity_name");
            p.education = r.OptInt32(*m, "education");
            p.schooling = r.OptInt32(*m, "schooling");
            p.health = r.OptInt32(*m, "health");
            p.labour = r.OptInt32(*m, "labour");
            p.migrant_work = r.OptInt32(*m, "migrant_work");
            p.months_worked = r.OptInt32(*m, "months_worked");
        }
    }
    return h;
}

Result<Household> HouseholdFromJson(std::string_view json) {
    json_reader::Reader r("household");
    boost::json::value holder;
    const boost::json::object* o = r.Parse(json, holder);
    if (!o) return std::unexpected(r.error());
    Household h = HouseholdFromObject(*o, r);
    if (!r.ok()) return std::unexpected(r.error());
    return h;
}

}  // namespace jz
