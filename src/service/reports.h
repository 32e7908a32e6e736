// The registry's reports as the CLI prints them with --json and the API returns them: the battle
// map's figures, the data-quality findings and the reconciliation. Shared so both give the same
// answer; the scope argument restricts a report to one org unit (empty: the whole county).
// Stateless functions: each uses the Store passed in for the call only (one Store per thread); the
// JSON builders may run on any thread at once.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/check.h"
#include "core/date.h"
#include "core/org_unit.h"
#include "core/plan.h"
#include "core/progress.h"
#include "core/reconcile.h"
#include "store/store.h"

namespace jz::service {

// Progress of the households under `scope` (townships outside it are left out of the report), with
// the measures delivered under the scope (the county when empty) from the plan's start
// (PlanStart) to `as_of` attached (core AttachDelivered): one scan of the households' facts, one
// of the items' facts.
Result<ProgressReport> BuildProgress(Store& store, const Plan& plan, const OrgTree& tree, const Date& as_of,
                                     const std::string& scope = {});
// The first day the delivered figures of a report count: the plan's start_year-01-01.
Date PlanStart(const Plan& plan);
// Measures carry planned_households, reached_households, beneficiaries, items, unsigned_items,
// amount, stages and others (docs/api.md "Measures delivered"), beside households (planned).
boost::json::object ProgressJson(const ProgressReport& report);
// Those delivered keys of one measure into `o` (zeros, and `planned_households`, when not counted).
void PutDelivered(boost::json::object& o, const std::optional<MeasureDelivered>& delivered,
                  int64_t planned_households);

// Every rule over the whole registry (duplicates need all of it); findings only for households
// under `scope`. Scans in `parts` parallel parts.
Result<std::vector<Finding>> RunChecks(Store& store, const Plan& plan, const CheckOptions& options,
                                       const std::string& scope, int parts);
// {"as_of", "findings": [...], "counts": {rule: n}}; mask_ids hides the middle of ID numbers in
// the id_number field and in the messages.
boost::json::object CheckJson(const Date& as_of, const std::vector<Finding>& findings, bool mask_ids = false);

// The plan's own totals and the registry against the plan. With a scope, the registry findings are
// those of the townships in it (the plan's own findings are always shown).
Result<std::vector<ReconcileFinding>> Reconcile(Store& store, const Plan& plan, const OrgTree& tree,
                                                const Date& as_of, const std::string& scope = {});
// The same, from a progress report of the whole registry already built (BuildProgress, no scope).
std::vector<ReconcileFinding> ReconcileReport(const Plan& plan, const ProgressReport& whole_registry,
                                              const std::string& scope = {});
boost::json::object ReconcileJson(const Date& as_of, const std::vector<ReconcileFinding>& findings);

// The plan as the API gives it to the workbench: targets, poverty lines, townships, battles, measures.
boost::json::object PlanJson(const Plan& plan);

// Does a report row about `code` (a township or the county) concern a user scoped to `scope`?
bool Overlaps(const std::string& scope, const std::string& code);

}  // namespace jz::service
