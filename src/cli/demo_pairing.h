// The demo county's pairing (结对帮扶, issue 15): the generator's cadres, pairings, village work teams,
// days on post, households' places and visits (generator.h, GeneratePairing), written through the
// Store by `jingzhun demo`, and as files beside the registry by `jingzhun generate --pairing`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cli/app.h"
#include "generator/generator.h"
#include "io/assistance_exchange.h"
#include "store/store.h"

namespace jz::cli {

struct PairingCounts {
    int64_t cadres = 0;
    int64_t pairings = 0;  // current and ended
    int64_t team_members = 0;
    int64_t on_post = 0;
    int64_t places = 0;
    int64_t visits = 0;
    int64_t far_visits = 0;
};

// The registry `options` generates (options.cadres must be set, as for the registry written) and its
// pairing data as of options.as_of, with the same seed.
struct DemoPairing {
    std::vector<Household> households;
    PairingData data;
    PairingCounts counts;
};
Result<DemoPairing> MakeDemoPairing(const LoadedPlan& loaded, const GeneratorOptions& options);

// Before the registry is imported, in one transaction: the cadres, the pairings (the earlier ones
// ended), the work teams and their days on post. The import then finds each household's name to be
// its current cadre's and leaves the pairings as they are. `cadre_ids` receives the store's id of
// each generated cadre (by position).
Result<void> WriteDemoCadres(Store& store, const DemoPairing& pairing, const ChangeContext& change,
                             std::vector<int64_t>& cadre_ids);
// After the import, in one transaction: the households' places and the visits.
Result<void> WriteDemoVisits(Store& store, const DemoPairing& pairing, const std::vector<int64_t>& cadre_ids,
                             const ChangeContext& change);

// `generate --pairing`: beside the registry, `<stem>-cadres.csv|.xlsx` in the cadres' exchange layout
// and, as UTF-8 CSV with English headers, `<stem>-pairings.csv`, `-teams.csv`, `-on-post.csv`,
// `-places.csv`, `-visits.csv` (src/generator/README.md, "Pairing"). Returns the counts and fills
// `files` with the paths written.
Result<PairingCounts> WriteGeneratedPairing(const LoadedPlan& loaded, const GeneratorOptions& options,
                                            const std::string& stem, io::LedgerFormat cadres_format,
                                            std::vector<std::string>& files);

}  // namespace jz::cli
