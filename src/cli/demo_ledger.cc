#include "cli/demo_ledger.h"

#include <filesystem>
#include <string>
#include <unordered_map>
#include <vector>

#include "generator/generator.h"
#include "store/sqlite_store.h"

namespace jz::cli {

Result<LedgerCounts> WriteDemoLedger(Session& session, const Date& as_of, uint64_t seed,
                                     const ChangeContext& change) {
    Store& store = *session.store;
    std::vector<Household> households;
    if (auto r = store.ScanHouseholds(HouseholdFilter{}, [&](const Household& h) {
            households.push_back(h);
            return true;
        });
        !r)
        return std::unexpected(r.error());
    const Ledger ledger = GenerateLedger(session.plan, households, LedgerOptions{.seed = seed, .as_of = as_of});
    std::unordered_map<std::string, std::string> village;
    for (const Household& h : households) village[h.household_code] = h.division_code;

    LedgerCounts counts;
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    for (const AssistanceItem& item : ledger.items) {
        AssistanceRecord record{.version = 1, .division_code = village.at(item.household_code), .item = item};
        if (auto r = store.InsertAssistance(record, change); !r) return std::unexpected(r.error());
        ++counts.items;
        if (!item.signed_off()) ++counts.unsigned_items;
    }
    for (const IncomeRecord& income : ledger.income) {
        if (auto r = store.PutIncome(income, village.at(income.household_code), 0, change); !r)
            return std::unexpected(r.error());
        ++counts.income;
    }
    for (const PersonCoverage& cover : ledger.coverage) {
        if (auto r = store.PutCoverage(cover, village.at(cover.household_code), change); !r)
            return std::unexpected(r.error());
        ++counts.coverage;
    }
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    return counts;
}

namespace {

// Removes the temporary database (and its WAL files) when the export is done or failed.
struct TempDatabase {
    std::string path;
    ~TempDatabase() {
        std::error_code ec;
        for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix, ec);
    }
};

}  // namespace

Result<LedgerCounts> WriteGeneratedLedger(const LoadedPlan& loaded, const GeneratorOptions& options,
                                          const std::string& items_path, const std::string& income_path,
                                          io::LedgerFormat format) {
    TempDatabase temp{items_path + ".ledger-tmp.db"};
    {
        TempDatabase stale{temp.path};  // a leftover of an interrupted run
    }
    const ChangeContext change{"generate", NowIso(), std::nullopt};
    LedgerCounts counts;
    {
        auto store = OpenSqliteStore(temp.path, OpenMode::kCreate);
        if (!store) return std::unexpected(store.error());
        auto generator = Generator::Create(loaded.plan, loaded.tree, options);
        if (!generator) return std::unexpected(generator.error());
        auto tx = Transaction::Begin(**store);
        if (!tx) return std::unexpected(tx.error());
        if (auto r = (*store)->SaveOrgUnits(loaded.tree, change); !r) return std::unexpected(r.error());
        if (auto r = (*store)->SavePlan(loaded.plan.id, loaded.toml_text, change); !r)
            return std::unexpected(r.error());
        LedgerMaker maker(loaded.plan, LedgerOptions{.seed = options.seed, .as_of = options.as_of});
        std::vector<Household> all;
        Household h;
        if (options.match_plan) {
            while ((*generator)->Next(h)) all.push_back(h);
            maker.Prepare(all);
        }
        Ledger ledger;
        auto write = [&](const Household& household) -> Result<void> {
            if (auto r = (*store)->InsertHousehold(household, change); !r) return std::unexpected(r.error());
            ledger.items.clear();
            ledger.income.clear();
            ledger.coverage.clear();
            maker.Add(household, ledger);
            for (const AssistanceItem& item : ledger.items) {
                AssistanceRecord record{.version = 1, .division_code = household.division_code, .item = item};
                if (auto r = (*store)->InsertAssistance(record, change); !r) return std::unexpected(r.error());
                ++counts.items;
                if (!item.signed_off()) ++counts.unsigned_items;
            }
            for (const IncomeRecord& income : ledger.income) {
                if (auto r = (*store)->PutIncome(income, household.division_code, 0, change); !r)
                    return std::unexpected(r.error());
                ++counts.income;
            }
            return {};
        };
        if (options.match_plan) {
            for (const Household& household : all)
                if (auto r = write(household); !r) return std::unexpected(r.error());
        } else {
            while ((*generator)->Next(h))
                if (auto r = write(h); !r) return std::unexpected(r.error());
        }
        if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
        io::AssistanceExportOptions items{.path = items_path, .format = format};
        if (auto r = io::ExportAssistance(**store, loaded.plan, items); !r) return std::unexpected(r.error());
        io::IncomeExportOptions income{.path = income_path, .format = format};
        if (auto r = io::ExportIncome(**store, income); !r) return std::unexpected(r.error());
    }
    return counts;
}

}  // namespace jz::cli
