#include "service/dynamic.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include "core/codes.h"
#include "generator/generator.h"
#include "core/id_number.h"
#include "core/test_support.h"
#include "service/test_registry.h"
#include "store/sqlite_store.h"

namespace jz::service {
namespace {

namespace fs = std::filesystem;
using testing_support::Chayu;
using testing_registry::CarryThrough;
using testing_registry::FreshId;

const ChangeContext kSetup{"setup", "2026-11-29T00:00:00Z", std::nullopt};
const Actor kCounty{Role::kAdmin, "county", "540425"};
constexpr const char* kNow = "2026-11-29T01:00:00Z";

// A registry of generated households (as of 2017-06-30), built once and copied for each case.
const std::string& Template() {
    static const std::string path = testing_registry::GeneratedRegistry("dynamic", 300, 5, kSetup);
    return path;
}

struct Registry {
    std::string path;
    std::unique_ptr<Store> store;
    explicit Registry(int n) {
        path = (fs::temp_directory_path() /
                ("jz-dynamic-" + std::to_string(getpid()) + "-" + std::to_string(n) + ".db"))
                   .string();
        fs::copy_file(Template(), path, fs::copy_options::overwrite_existing);
        store = OpenSqliteStore(path, OpenMode::kExisting).value();
    }
    ~Registry() {
        store.reset();
        for (const char* s : {"", "-wal", "-shm"}) fs::remove(path + s);
    }
    std::vector<Household> All() {
        std::vector<Household> out;
        (void)store->ScanHouseholds({}, [&](const Household& h) {
            out.push_back(h);
            return true;
        });
        return out;
    }
};

// What must hold after anything: figures by status add up, an exited household has an exit year,
// no deregistered code is in the registry, every case's effect is there, the change log is intact.
void CheckRegistry(Registry& r, const std::set<std::string>& deregistered) {
    std::map<int, int64_t> by_status;
    int64_t households = 0;
    auto scanned = r.store->ScanFacts({}, [&](const HouseholdFacts& f) {
        ++households;
        ++by_status[f.status];
        RC_ASSERT(f.exited() == f.exit_year.has_value());
        RC_ASSERT(!deregistered.contains(f.household_code));
        return true;
    });
    RC_ASSERT(scanned.has_value());
    int64_t sum = 0;
    for (const auto& [status, n] : by_status) sum += n;
    RC_ASSERT(sum == households);
    RC_ASSERT(households == r.store->CountHouseholds().value());
    for (const std::string& code : deregistered) {
        RC_ASSERT(r.store->IsDeregistered(code).value());
        RC_ASSERT(!r.store->FindHousehold(code).value().has_value());
    }
    CaseFilter all;
    all.limit = 100000;
    const auto cases = r.store->ListCases(all).value();  // (kept: a loop over a temporary's value() dangles)
    for (const ProcedureCase& c : cases) {
        if (c.kind == ProcedureKind::kExit && c.state == "exited") {
            auto h = r.store->FindHousehold(c.household_code).value();
            // Still there unless deregistered since; exited unless it fell back since.
            if (h) RC_ASSERT(h->household.exited() || h->household.status == codes::kStatusFallback);
        }
        if (c.kind == ProcedureKind::kNewIdentification && c.state == "registered")
            RC_ASSERT(r.store->FindHousehold(c.household_code).value().has_value() ||
                      deregistered.contains(c.household_code));
    }
    const auto chain = r.store->VerifyChangeLog().value();
    RC_ASSERT(!chain.first_bad.has_value());
}



RC_GTEST_PROP(DynamicProperty, AnySequenceOfOperationsKeepsTheStoredRegistryConsistent, ()) {
    static int run = 0;
    Registry r(++run);
    Dynamic d(*r.store, Chayu().plan, Chayu().tree);
    std::set<std::string> deregistered;
    int fresh = 0;
    const int ops = *rc::gen::inRange(1, 12);
    for (int i = 0; i < ops; ++i) {
        const auto households = r.All();
        RC_PRE(!households.empty());
        const Household& h = households[*rc::gen::inRange<size_t>(0, households.size())];
        const int year = *rc::gen::inRange(2017, 2021);
        const Date date{year, *rc::gen::inRange(1, 13), *rc::gen::inRange(1, 29)};
        const int64_t seq_before = r.store->LastChangeSeq().value();
        OpenRequest q;
        q.year = year;
        q.date = date;
        q.household_code = h.household_code;
        bool changed = true;
        switch (*rc::gen::inRange(0, 7)) {
            case 0: {  // an exit: refused unless the standard holds, else carried through
                q.kind = ProcedureKind::kExit;
                auto c = d.Open(kCounty, q, kNow);
                const bool allowed = MayExit(h.status) && h.identified_year <= year &&
                                     UnmetExitConditions(FactsOf(h), Chayu().plan, year, date).empty();
                RC_ASSERT(c.has_value() == allowed);
                if (c) {
                    auto done = CarryThrough(d, *c, kCounty, kNow);
                    RC_ASSERT(done.has_value());
                    RC_ASSERT(r.store->FindHousehold(h.household_code).value()->household.exit_year == year);
                }
                changed = allowed;
                break;
            }
            case 1: {
                q.kind = ProcedureKind::kFallback;
                q.reason = "因病返贫";
                auto c = d.Open(kCounty, q, kNow);
                RC_ASSERT(c.has_value() == h.exited());
                changed = h.exited();
                break;
            }
            case 2: {
                q.kind = ProcedureKind::kDeregistration;
                q.reason = *rc::gen::element<std::string>("moved_away", "wrongly_registered", "death");
                auto c = d.Open(kCounty, q, kNow);
                RC_ASSERT(c.has_value() == (q.reason != "death" || h.members.size() == 1));
                if (c) deregistered.insert(h.household_code);
                changed = c.has_value();
                break;
            }
            case 3: {  // a newborn joins, or a member who is not the head leaves
                q.kind = ProcedureKind::kMemberChange;
                if (*rc::gen::arbitrary<bool>() || h.members.size() == 1) {
                    q.member.change = 6;  // 新生儿
                    Person baby = h.members.front();
                    baby.name = "新生" + std::to_string(fresh + 1);
                    baby.relation = codes::kRelationSon;
                    baby.sex = codes::kSexMale;
                    baby.birth_date = Date{year - 1, 3, 1};
                    baby.id_number = FreshId(baby, fresh);
                    baby.education = 6;  // 学龄前儿童
                    baby.schooling.reset();
                    baby.labour = 4;
                    baby.health = 1;
                    baby.migrant_work.reset();
                    baby.months_worked.reset();
                    q.member.joining = baby;
                } else {
                    q.member.change = 2;  // 嫁出
                    q.member.id_number = h.members.back().id_number;
                }
                auto c = d.Open(kCounty, q, kNow);
                RC_ASSERT(c.has_value());
                const auto after = r.store->FindHousehold(h.household_code).value()->household;
                RC_ASSERT(after.members.size() ==
                          h.members.size() + (q.member.joining ? 1 : 0) - (q.member.joining ? 0 : 1));
                break;
            }
            case 4: {  // buffer ends
                auto ids = d.EndBuffers(kCounty, year, date, kNow);
                RC_ASSERT(ids.has_value());
                changed = !ids->empty();
                break;
            }
            case 5: {  // a new household: a copy under a fresh code with fresh ID numbers, all steps
                Household n = h;
                n.household_code = n.division_code + std::to_string(9000 + ++fresh);
                for (Person& m : n.members) m.id_number = FreshId(m, fresh);
                q.kind = ProcedureKind::kNewIdentification;
                q.proposal = n;
                auto c = d.Open(kCounty, q, kNow);
                RC_ASSERT(c.has_value());
                RC_ASSERT(CarryThrough(d, *c, kCounty, kNow).has_value());
                RC_ASSERT(r.store->FindHousehold(n.household_code).value()->household.status == 0);
                break;
            }
            default: {  // a refused operation changes nothing
                q.kind = ProcedureKind::kFallback;
                q.reason = "";
                RC_ASSERT(!d.Open(kCounty, q, kNow).has_value());
                changed = false;
            }
        }
        const int64_t seq_after = r.store->LastChangeSeq().value();
        if (!changed) RC_ASSERT(seq_after == seq_before);
        CheckRegistry(r, deregistered);
    }
}

TEST(Dynamic, RefusedOperationsLeaveEverythingAsItWas) {
    Registry r(1000);
    Dynamic d(*r.store, Chayu().plan, Chayu().tree);
    const auto households = r.All();
    const Household* exited = nullptr;
    for (const Household& h : households)
        if (h.exited()) exited = &h;
    ASSERT_TRUE(exited);
    const int64_t seq = r.store->LastChangeSeq().value();
    // A township officer of another township; a viewer; a death in a household of several.
    OpenRequest q{ProcedureKind::kFallback, 2018, {2018, 1, 1}, "", exited->household_code, {}, "因灾", {}};
    const Actor elsewhere{Role::kOfficer, "other", exited->division_code.substr(0, 6) + "999"};
    EXPECT_EQ(d.Open(elsewhere, q, kNow).error().code, "not_found");
    const Actor viewer{Role::kViewer, "viewer", "540425"};
    EXPECT_EQ(d.Open(viewer, q, kNow).error().code, "procedure.permission");
    q.kind = ProcedureKind::kDeregistration;
    q.reason = "death";
    if (exited->members.size() > 1) {
        EXPECT_EQ(d.Open(kCounty, q, kNow).error().code, "procedure.reason");
    }
    q.reason = "gone fishing";
    EXPECT_EQ(KindOf(d.Open(kCounty, q, kNow).error()), FailureKind::kInput);
    EXPECT_EQ(r.store->LastChangeSeq().value(), seq);
    EXPECT_EQ(r.All(), households);
}

}  // namespace
}  // namespace jz::service
