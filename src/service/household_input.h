// A household as the API receives it (JSON, the shape HouseholdToJson writes: the exchange layout's
// English column names, codes as numbers or names, members as an array), accepted with exactly the
// importer's rules and messages: the JSON becomes rows of the exchange layout and goes through
// AssembleHousehold, then through the registry checks the importer makes. Stateless functions: any
// thread may call them at once (CheckAgainstRegistry with its own Store).
#pragma once

#include <boost/json.hpp>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "core/assembly.h"
#include "store/store.h"

namespace jz::service {

// Problems are jz::Error values, one per field. Their field: "division_code",
// "members[2].id_number", "household" (the whole household), or the JSON key that has the wrong
// type; code e.g. "id_number.check_digit", "json.type". Row and household code are not set.
struct AcceptedHousehold {
    Household household;
    std::vector<Error> warnings;
};

using HouseholdInput = std::expected<AcceptedHousehold, std::vector<Error>>;

// Accepts the JSON (an object). Unknown keys, wrong types and every acceptance rule give field
// errors; nothing is thrown.
HouseholdInput AcceptHouseholdJson(const boost::json::value& body, const AssemblyContext& context);

// A new household's code made of digits is the national form, its village's code and a sequence:
// it must start with the village's code (finding 9: a code with another township's prefix could be
// created in one's own). The error (household_code.division), or nullopt. For households created
// by the API and opened for new identification by the API and the CLI.
std::optional<Error> CheckNewHouseholdCode(const Household& household);

// The registry checks the importer makes: a member's ID number already in another household
// (一人多户). Field errors, empty when none. The other household is named only when it lies in
// `scope` (the caller's org unit); otherwise the error says it is outside the caller's area and
// nothing more, so an officer cannot learn another township's households by trying ID numbers.
Result<std::vector<Error>> CheckAgainstRegistry(Store& store, const Household& household,
                                                const std::string& scope);

}  // namespace jz::service
