#include "core/as_of.h"

#include <algorithm>
#include <iterator>

namespace jz {

namespace {

// A member's identity across a change: the ID number, or for one without, the name and birth date.
std::string PersonKey(const Person& p) {
    return p.id_number.empty() ? p.name + "|" + p.birth_date.ToString() : p.id_number;
}

const Person* FindPerson(const std::vector<Person>& members, const std::string& key) {
    for (const Person& p : members)
        if (PersonKey(p) == key) return &p;
    return nullptr;
}

// Each field the change from `before` to `after` rewrote takes its value from `before`.
template <class T>
void Restore(T& field, const T& before, const T& after) {
    if (before != after) field = before;
}

void RestorePerson(Person& p, const Person& before, const Person& after) {
    Restore(p.name, before.name, after.name);
    Restore(p.relation, before.relation, after.relation);
    Restore(p.sex, before.sex, after.sex);
    Restore(p.birth_date, before.birth_date, after.birth_date);
    Restore(p.ethnicity, before.ethnicity, after.ethnicity);
    Restore(p.ethnicity_name, before.ethnicity_name, after.ethnicity_name);
    Restore(p.education, before.education, after.education);
    Restore(p.schooling, before.schooling, after.schooling);
    Restore(p.health, before.health, after.health);
    Restore(p.labour, before.labour, after.labour);
    Restore(p.migrant_work, before.migrant_work, after.migrant_work);
    Restore(p.months_worked, before.months_worked, after.months_worked);
}

void UndoWhole(Household& h, const Household& before, const Household& after) {
    Restore(h.division_code, before.division_code, after.division_code);
    Restore(h.attribute, before.attribute, after.attribute);
    Restore(h.identification_standard, before.identification_standard, after.identification_standard);
    Restore(h.main_cause, before.main_cause, after.main_cause);
    Restore(h.other_causes, before.other_causes, after.other_causes);
    Restore(h.identified_year, before.identified_year, after.identified_year);
    Restore(h.planned_exit_year, before.planned_exit_year, after.planned_exit_year);
    Restore(h.net_income_per_head, before.net_income_per_head, after.net_income_per_head);
    Restore(h.main_measure, before.main_measure, after.main_measure);
    Restore(h.aux_measures, before.aux_measures, after.aux_measures);
    Restore(h.pairing_cadre, before.pairing_cadre, after.pairing_cadre);
    Restore(h.phone, before.phone, after.phone);
    Restore(h.dangerous_housing, before.dangerous_housing, after.dangerous_housing);
    Restore(h.safe_water, before.safe_water, after.safe_water);
    Restore(h.household_electricity, before.household_electricity, after.household_electricity);
    Restore(h.housing_area, before.housing_area, after.housing_area);

    // Members: those who joined leave; those still there get back what the change rewrote; those who
    // left come back at their place in `before` (after the member that preceded them there).
    std::erase_if(h.members, [&](const Person& p) {
        const std::string key = PersonKey(p);
        return FindPerson(after.members, key) && !FindPerson(before.members, key);
    });
    for (Person& p : h.members) {
        const std::string key = PersonKey(p);
        const Person* b = FindPerson(before.members, key);
        const Person* a = FindPerson(after.members, key);
        if (b && a) RestorePerson(p, *b, *a);
    }
    for (size_t i = 0; i < before.members.size(); ++i) {
        const Person& p = before.members[i];
        const std::string key = PersonKey(p);
        if (FindPerson(after.members, key) || FindPerson(h.members, key)) continue;
        auto at = h.members.begin();
        if (i > 0) {
            const std::string previous = PersonKey(before.members[i - 1]);
            auto found = std::ranges::find_if(h.members, [&](const Person& m) { return PersonKey(m) == previous; });
            at = found == h.members.end() ? h.members.end() : std::next(found);
        }
        h.members.insert(at, p);
    }
}

bool SameButStatus(const Household& a, const Household& b) {
    Household x = a;
    x.status = b.status;
    x.exit_year = b.exit_year;
    return x == b;
}

}  // namespace

HouseholdEvent EventOf(const std::optional<Household>& before, const std::optional<Household>& after) {
    HouseholdEvent e;
    const Household& any = after ? *after : *before;
    e.household_code = any.household_code;
    e.division_code = before ? before->division_code : after->division_code;
    if (before) {
        e.before_status = before->status;
        e.before_exit_year = before->exit_year;
    }
    if (after) {
        e.after_status = after->status;
        e.after_exit_year = after->exit_year;
    }
    if (!before || !after || !SameButStatus(*before, *after)) {
        e.before = before;
        e.after = after;
    }
    return e;
}

void UndoEvent(Household& h, const HouseholdEvent& event) {
    if (event.before_status) h.status = *event.before_status;
    h.exit_year = event.before_exit_year;
    if (event.before && event.after) UndoWhole(h, *event.before, *event.after);
}

std::optional<Household> HouseholdBefore(std::optional<Household> now, std::span<const HouseholdEvent> events) {
    for (auto e = events.rbegin(); e != events.rend(); ++e) {
        if (e->registers()) {
            now.reset();
            continue;
        }
        if (e->removes() || !now) {
            // The household as the event found it (a removal keeps it whole; corrections after a
            // removal cannot exist).
            if (e->before) now = *e->before;
            else if (e->after) now = *e->after;
            else continue;  // nothing kept to rebuild it from
            if (e->removes()) continue;
        }
        UndoEvent(*now, *e);
    }
    return now;
}

}  // namespace jz
