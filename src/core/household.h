// The registry's household (户) and person (人) model. Codes are the numeric codes of core/codes.h;
// optional fields the file left empty are std::nullopt.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"

namespace jz {

// Money in fen (0.01 yuan) and areas in 0.01 m², so values round-trip exactly.
using Fen = int64_t;

struct Person {
    std::string name;
    std::string id_number;  // normalised 18 characters
    int relation = 0;
    int sex = 0;
    Date birth_date;
    std::optional<int> ethnicity;
    // The group's own name when ethnicity is 97 (其他) and the file or ID card names it (僜人,
    // 夏尔巴人, 穿青人; codes::UnidentifiedEthnicGroup); empty otherwise. Printed instead of 其他.
    std::string ethnicity_name;
    std::optional<int> education;
    std::optional<int> schooling;
    std::optional<int> health;
    std::optional<int> labour;
    std::optional<int> migrant_work;
    std::optional<int> months_worked;

    bool operator==(const Person&) const = default;
};

struct Household {
    std::string household_code;
    std::string division_code;  // 12-digit village code
    int attribute = 0;
    std::optional<int> identification_standard;
    int main_cause = 0;
    std::vector<int> other_causes;  // at most two, none equal to main_cause
    int identified_year = 0;
    std::optional<int> planned_exit_year;
    int status = 0;
    std::optional<int> exit_year;
    std::optional<Fen> net_income_per_head;
    std::optional<int> main_measure;  // the plan's measure number
    std::vector<int> aux_measures;
    std::string pairing_cadre;
    std::string phone;
    std::optional<bool> dangerous_housing;
    std::optional<bool> safe_water;
    std::optional<bool> household_electricity;
    std::optional<int64_t> housing_area;  // 0.01 m²
    std::vector<Person> members;          // head first, then in file order

    bool operator==(const Household&) const = default;

    const Person* head() const;
    bool exited() const;  // status 已脱贫(享受政策) or 已脱贫(不再享受政策)
    bool HasMeasure(int number) const;
    std::string township_code() const { return division_code.substr(0, 9); }
    std::string county_code() const { return division_code.substr(0, 6); }
};

// "3520.5" style decimal with at most two fraction digits, and back ("3520.50" prints "3520.5").
std::optional<int64_t> ParseCenti(std::string_view text);
std::string FormatCenti(int64_t centi);

}  // namespace jz
