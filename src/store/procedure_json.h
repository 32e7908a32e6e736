// Procedure cases and evaluations as JSON: how the store keeps them (body_json) and logs them, and
// the API's shape of them (docs/dynamic-management.md "Case JSON"; the API adds next_step,
// allowed_steps, kind_zh, state_zh, verdict_zh and rates). Decoding is the exact inverse of
// encoding; keys it does not know are ignored.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"
#include "core/evaluation.h"
#include "core/procedure.h"

namespace jz {

// {id, version, kind (name, e.g. "new_identification"), household_code, division_code, year, state,
// open, persons, steps: [{step, date (YYYY-MM-DD), actor, at, outcome, notes, from_state,
// to_state}], household (null or HouseholdToJson), exclusions, reason, notice_until (null or date),
// member_change (null or code), member_id_number}.
std::string ProcedureCaseToJson(const ProcedureCase& c);
// Fails with "json.invalid" naming the field.
Result<ProcedureCase> ProcedureCaseFromJson(std::string_view json);

// {id, version, year, division_code, seed (decimal digits as a string: it is 64-bit unsigned),
// population, drawn_by, drawn_at, items: [{household_code, division_code, verdict (name), notes,
// recorded_by, recorded_at}], non_poor_surveyed, missed_found, approval_surveyed, approval_satisfied}.
std::string EvaluationToJson(const Evaluation& e);
Result<Evaluation> EvaluationFromJson(std::string_view json);

}  // namespace jz
