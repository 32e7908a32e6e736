// The demo county's asset-income shares (资产收益扶贫, issue 16): a few assets built by the demo's
// projects, in the villages with the most poor households, quantified at once (service/shares.h).
// No dividend is declared (it would add assistance items to the demo ledger's figures).
#pragma once

#include <cstdint>

#include "cli/app.h"

namespace jz::cli {

// Adds the demo's assets, quantified on `as_of`; returns how many.
Result<int64_t> WriteDemoShares(Session& session, const Date& as_of, const ChangeContext& change);

}  // namespace jz::cli
