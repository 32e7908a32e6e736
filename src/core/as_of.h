// The registry as it stood at the end of a past day (time-true figures, 按时点还原).
//
// Dated changes of a household (an exit announced, a fallback, the end of the buffer, a member
// leaving or joining, a new household registered, a household deregistered) are kept as
// HouseholdEvents with the day they took effect, beside the change log. The state at the end of day
// D is today's state with every event dated after D undone, latest first: an event undoes only
// what it changed (status and exit year; for a member change the persons who left or joined and the
// fields the change rewrote), so a correction recorded later (a misspelt name put right, a birth
// date fixed) keeps its corrected value — reports mark such households (CorrectedSince). A record
// edited without an event is a correction, never a dated change.
//
// Exits known only by their year (an imported registry's exit_year, no exit case) count from that
// year as before: an event-less record has no day to undo.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "core/date.h"
#include "core/household.h"

namespace jz {

struct HouseholdEvent {
    int64_t seq = 0;  // order of recording (the store's)
    std::string household_code;
    std::string division_code;
    Date effective_on;  // the day it took effect (an exit: its announcement; one-step changes: their date)
    std::string kind;   // ProcedureKindName: exit, fallback, buffer_end, member_change, new_identification,
                        // deregistration
    int64_t case_id = 0;
    // Status and exit year just before and just after (nullopt status: not registered: before a
    // new identification, after a deregistration).
    std::optional<int> before_status;
    std::optional<int> after_status;
    std::optional<int> before_exit_year;
    std::optional<int> after_exit_year;
    // The whole household before and after, kept only when more than status and exit year changed
    // (member changes; a deregistration keeps `before`, a registration `after`).
    std::optional<Household> before;
    std::optional<Household> after;
    int64_t log_seq = 0;  // the change-log entry of the household's own change (0: none)
    bool operator==(const HouseholdEvent&) const = default;

    bool registers() const { return !before_status && after_status; }
    bool removes() const { return before_status && !after_status; }
    // Did it change more than status and exit year (so undoing it needs the whole household)?
    bool whole() const { return before.has_value() || after.has_value(); }
};

// The event of a change from `before` to `after` (either nullopt for a registration or a removal),
// keeping whole households only when more than status and exit year differ.
HouseholdEvent EventOf(const std::optional<Household>& before, const std::optional<Household>& after);

// The household before `events` (all of one household, in recording order, all after the day asked
// about), from its state now (nullopt: not registered now). Undoes them latest first; nullopt when
// it was not registered then.
std::optional<Household> HouseholdBefore(std::optional<Household> now, std::span<const HouseholdEvent> events);

// Undoes one event on `h`: status and exit year back; for a whole event, persons who joined leave,
// persons who left come back at their place, and every field the change rewrote (a member's
// relation when the head changed, the income per head) takes its value from before.
void UndoEvent(Household& h, const HouseholdEvent& event);

}  // namespace jz
