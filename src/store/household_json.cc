#include <boost/json.hpp>

#include "store/store.h"

namespace jz {
namespace {

template <class T>
boost::json::value Opt(const std::optional<T>& v) {
    if (!v) return nullptr;
    return boost::json::value_from(*v);
}

boost::json::array Ints(const std::vector<int>& v) {
    boost::json::array a;
    for (int x : v) a.emplace_back(x);
    return a;
}

}  // namespace

std::string HouseholdToJson(const Household& h) {
    boost::json::object o;
    o["household_code"] = h.household_code;
    o["division_code"] = h.division_code;
    o["attribute"] = h.attribute;
    o["identification_standard"] = Opt(h.identification_standard);
    o["main_cause"] = h.main_cause;
    o["other_causes"] = Ints(h.other_causes);
    o["identified_year"] = h.identified_year;
    o["planned_exit_year"] = Opt(h.planned_exit_year);
    o["status"] = h.status;
    o["exit_year"] = Opt(h.exit_year);
    o["net_income_per_head"] = h.net_income_per_head ? boost::json::value(FormatCenti(*h.net_income_per_head))
                                                     : boost::json::value(nullptr);
    o["main_measure"] = Opt(h.main_measure);
    o["aux_measures"] = Ints(h.aux_measures);
    o["pairing_cadre"] = h.pairing_cadre;
    o["phone"] = h.phone;
    o["dangerous_housing"] = Opt(h.dangerous_housing);
    o["safe_water"] = Opt(h.safe_water);
    o["household_electricity"] = Opt(h.household_electricity);
    o["housing_area"] =
        h.housing_area ? boost::json::value(FormatCenti(*h.housing_area)) : boost::json::value(nullptr);
    boost::json::array members;
    for (const Person& p : h.members) {
        boost::json::object m;
        m["name"] = p.name;
        m["id_number"] = p.id_number;
        m["relation"] = p.relation;
        m["sex"] = p.sex;
        m["birth_date"] = p.birth_date.ToString();
        m["ethnicity"] = Opt(p.ethnicity);
        m["education"] = Opt(p.education);
        m["schooling"] = Opt(p.schooling);
        m["health"] = Opt(p.health);
        m["labour"] = Opt(p.labour);
        m["migrant_work"] = Opt(p.migrant_work);
        m["months_worked"] = Opt(p.months_worked);
        members.emplace_back(std::move(m));
    }
    o["members"] = std::move(members);
    return boost::json::serialize(o);
}

}  // namespace jz
