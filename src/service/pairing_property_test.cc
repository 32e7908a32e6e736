// The pairing operations over a real SQLite store, as random sequences (rapidcheck): whatever the
// order of set, end, assign and exits, every household keeps at most one current cadre, the history
// stays complete (each pairing dated with a reason, an ended one with the reason it ended, no
// overlap, and no gap except where a pairing was ended on purpose), and an assignment never takes a
// cadre over quota nor changes a pair that existed.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>

#include "core/codes.h"
#include "core/test_support.h"
#include "generator/generator.h"
#include "service/households.h"
#include "service/pairing.h"
#include "service/test_registry.h"
#include "store/sqlite_store.h"

namespace jz::service {
namespace {

namespace fs = std::filesystem;
using testing_support::Chayu;

const ChangeContext kSetup{"setup", "2026-11-29T00:00:00Z", std::nullopt};
const ChangeContext kOfficer{"officer", "2026-11-30T08:00:00Z", std::nullopt};
const std::string kSetReason = "换人 replaced";
const std::string kEndReason = "结束 ended on purpose";

// 14 generated households (names cleared) and five cadres of different ranks and townships.
const std::string& Template() {
    static const std::string path = [] {
        std::vector<std::string> townships;
        const std::string p = testing_registry::GeneratedRegistry("pairing-prop", 14, 1515, kSetup, [&](Household& h) {
            h.pairing_cadre.clear();
            if (h.exited()) h.status = codes::kStatusNotExited, h.exit_year.reset();  // exits come from the test
            townships.push_back(h.township_code());
        });
        auto store = OpenSqliteStore(p, OpenMode::kExisting).value();
        const int ranks[] = {kRankCounty, kRankSectionChief, kRankDeputyAndBelow, kRankDeputyAndBelow, kRankUnknown};
        for (int i = 0; i < 5; ++i) {
            Cadre c;
            c.name = "干部" + std::to_string(i);
            c.rank = ranks[i];
            c.township_code = i == 0 ? std::string() : townships[static_cast<size_t>(i) % townships.size()];
            c.active_from = Date{2015, 1, 1};
            if (i == 3) c.active_to = Date{2016, 12, 31};  // leaves midway
            auto added = AddCadre(*store, Chayu().plan, c, kSetup);
            if (!added) throw std::runtime_error(added.error().ToString());
        }
        return p;
    }();
    return path;
}

struct Op {
    enum Kind { kSet, kEnd, kAssign, kExit } kind = kSet;
    int household = 0;
    int cadre = 0;
    int days = 0;  // days after the previous operation's day
    bool over = false;
};

std::ostream& operator<<(std::ostream& os, const Op& op) {
    static const char* names[] = {"set", "end", "assign", "exit"};
    return os << names[op.kind] << "(h" << op.household << ", c" << op.cadre << ", +" << op.days << "d"
              << (op.over ? ", over" : "") << ")";
}

rc::Gen<Op> GenOp() {
    return rc::gen::build<Op>(
        rc::gen::set(&Op::kind, rc::gen::weightedElement<Op::Kind>(
                                    {{6, Op::kSet}, {2, Op::kEnd}, {2, Op::kAssign}, {1, Op::kExit}})),
        rc::gen::set(&Op::household, rc::gen::inRange(0, 14)), rc::gen::set(&Op::cadre, rc::gen::inRange(0, 6)),
        rc::gen::set(&Op::days, rc::gen::inRange(0, 40)), rc::gen::set(&Op::over, rc::gen::weightedElement<bool>({{1, true}, {4, false}})));
}

struct Db {
    std::string path;
    std::unique_ptr<Store> store;
    Db() {
        static int n = 0;
        path = (fs::temp_directory_path() /
                ("jz-pairing-prop-" + std::to_string(getpid()) + "-" + std::to_string(++n) + ".db"))
                   .string();
        fs::copy_file(Template(), path, fs::copy_options::overwrite_existing);
        store = OpenSqliteStore(path, OpenMode::kExisting).value();
    }
    ~Db() {
        store.reset();
        for (const char* s : {"", "-wal", "-shm"}) fs::remove(path + s);
    }
};

std::map<int64_t, int64_t> LoadsOf(Store& store) {
    std::map<int64_t, int64_t> out;
    // (the result kept first: a range-for over a temporary's value() would read a destroyed vector)
    const auto loads = store.CadreLoads("").value();
    for (const auto& [id, n] : loads) out[id] = n;
    return out;
}

std::map<std::string, Pairing> CurrentOf(Store& store) {
    std::map<std::string, Pairing> out;
    (void)store.ScanCurrentPairings("", [&](const Pairing& p) {
        out.emplace(p.household_code, p);
        return true;
    });
    return out;
}

RC_GTEST_PROP(PairingProperty, AnySequenceKeepsOneCurrentCadreACompleteHistoryAndQuotas, ()) {
    const auto count = *rc::gen::inRange<size_t>(1, 25);
    const auto ops = *rc::gen::container<std::vector<Op>>(count, GenOp());
    const Plan& plan = Chayu().plan;
    Db db;
    Store& store = *db.store;
    std::vector<Household> households;
    (void)store.ScanHouseholds({}, [&](const Household& h) {
        households.push_back(h);
        return true;
    });
    RC_ASSERT(households.size() == 14u);
    std::vector<CadreRecord> cadres = store.ListCadres({}).value();
    RC_ASSERT(cadres.size() == 5u);

    Date day{2016, 1, 1};
    for (const Op& op : ops) {
        day = Date::FromDaysSinceEpoch(day.DaysSinceEpoch() + op.days);
        const std::string& code = households[static_cast<size_t>(op.household)].household_code;
        switch (op.kind) {
            case Op::kSet: {
                // Cadre 5 does not exist: a refusal that must leave nothing behind.
                const int64_t cadre = op.cadre < 5 ? cadres[static_cast<size_t>(op.cadre)].cadre.id : 999999;
                (void)SetPairing(store, plan,
                                 {.household_code = code, .cadre_id = cadre, .from = day, .reason = kSetReason,
                                  .allow_over_quota = op.over},
                                 kOfficer);
                break;
            }
            case Op::kEnd:
                (void)EndPairing(store, code, day, kEndReason, kOfficer);
                break;
            case Op::kExit: {
                auto rec = store.FindHousehold(code).value();
                RC_ASSERT(rec.has_value());
                Household after = rec->household;
                after.status = codes::kStatusExited;
                after.exit_year = day.year;
                RC_ASSERT(UpdateHousehold(store, *rec, after, kOfficer).has_value());
                break;
            }
            case Op::kAssign: {
                const auto loads_before = LoadsOf(store);
                const auto current_before = CurrentOf(store);
                auto proposal = ProposeAssignment(store, plan, "", day);
                RC_ASSERT(proposal.has_value());
                auto made = ApplyAssignment(store, plan, "", day, proposal->digest, kOfficer);
                RC_ASSERT(made.has_value());
                RC_ASSERT(*made == static_cast<int64_t>(proposal->proposal.pairs.size()));
                const auto loads_after = LoadsOf(store);
                for (const CadreRecord& c : cadres) {
                    const int quota = QuotaOf(plan, c.cadre.rank);
                    const int64_t before = loads_before.contains(c.cadre.id) ? loads_before.at(c.cadre.id) : 0;
                    const int64_t after = loads_after.contains(c.cadre.id) ? loads_after.at(c.cadre.id) : 0;
                    // Never over quota by the assignment (a cadre put over by hand stays where it was).
                    if (after > before) RC_ASSERT(after <= quota);
                    RC_ASSERT(after >= before);
                    if (after > before) RC_ASSERT(c.cadre.ActiveOn(day));
                }
                // Every pair that existed is still there, unchanged.
                const auto current_after = CurrentOf(store);
                for (const auto& [household, p] : current_before) {
                    RC_ASSERT(current_after.contains(household));
                    RC_ASSERT(current_after.at(household) == p);
                }
                break;
            }
        }
    }

    // At most one current cadre per household, and the household's text agrees with it.
    for (const Household& h0 : households) {
        auto rec = store.FindHousehold(h0.household_code).value();
        RC_ASSERT(rec.has_value());
        PairingFilter f;
        f.household_code = h0.household_code;
        std::vector<Pairing> history = store.ListPairings(f).value();
        std::ranges::sort(history, [](const Pairing& a, const Pairing& b) {
            return a.from != b.from ? a.from < b.from : a.id < b.id;
        });
        int current = 0;
        for (const Pairing& p : history) current += p.current();
        RC_ASSERT(current <= 1);
        if (current == 1) {
            RC_ASSERT(history.back().current());  // the current one is the latest
            std::string name;
            for (const CadreRecord& c : cadres)
                if (c.cadre.id == history.back().cadre_id) name = c.cadre.name;
            RC_ASSERT(rec->household.pairing_cadre == name);
        } else {
            RC_ASSERT(rec->household.pairing_cadre.empty());
        }
        // The history is complete: dated, with reasons, no overlap, gaps only after an end on purpose.
        for (size_t i = 0; i < history.size(); ++i) {
            const Pairing& p = history[i];
            RC_ASSERT(!p.reason.empty());
            RC_ASSERT(p.household_code == h0.household_code);
            if (!p.to) continue;
            RC_ASSERT(!(*p.to < p.from));
            RC_ASSERT(!p.end_reason.empty());
            if (i + 1 == history.size()) {
                RC_ASSERT(p.end_reason == kEndReason);
                continue;
            }
            const Pairing& next = history[i + 1];
            const long gap = next.from.DaysSinceEpoch() - p.to->DaysSinceEpoch();
            if (p.end_reason == kEndReason) {
                RC_ASSERT(gap >= 0);
                if (gap == 0) RC_ASSERT(p.from == *p.to);
            } else {
                // Replaced: the successor begins the next day, or the same day when both began that day.
                RC_ASSERT(gap == 1 || (gap == 0 && p.from == *p.to));
                RC_ASSERT(p.end_reason == next.reason);
            }
        }
    }
}

}  // namespace
}  // namespace jz::service
