// The household card (扶贫手册 / 明白卡): everything a household is told about its own registration
// and assistance, gathered into plain values for printing (io/household_card_pdf.h). Codes are
// given by their Chinese names (core/codes.h), measures by the plan's names, money in fen.
//
// Time: every list keeps what is dated on or before `as_of` (assistance items by their start date,
// income by year, dividends by year, pairings by their first day, procedure cases by their steps'
// dates, share holdings by their certificates' issue and revocation days); the household itself is
// read through LoadHouseholdsForCards (the registry as it stands now until service/as_of.h lands).
//
// Masking (`mask`, for roles that MasksPersonalData): ID numbers as MaskIdNumber, birth dates as
// the year only, phones as MaskPhone, ID numbers typed into free text (reasons, notes) as
// MaskIdNumbersInText — the same as the household routes show them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/error.h"
#include "core/household_card.h"
#include "core/household.h"
#include "core/org_unit.h"
#include "core/plan.h"
#include "store/store.h"

namespace jz::service {

struct CardOptions {
    Date as_of;
    bool mask = false;
    std::string base_url = "http://localhost:8080";
};

// One household's card. "card.unknown_household" (not registered) naming household_code.
Result<HouseholdCard> BuildHouseholdCard(Store& store, const Plan& plan, const OrgTree& tree,
                                         const std::string& household_code, const CardOptions& options);

// Every registered household of a village (12 digits), by household code. "card.not_a_village"
// when the code is not a village of the tree.
Result<std::vector<HouseholdCard>> BuildVillageCards(Store& store, const Plan& plan, const OrgTree& tree,
                                                     const std::string& village_code, const CardOptions& options);

}  // namespace jz::service
