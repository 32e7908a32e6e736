// Figures as of a past day: for random histories, the figures as of D equal those of a copy of the
// database taken when nothing after D had happened yet.
#include "service/as_of.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <sqlite3.h>

#include <filesystem>

#include "core/codes.h"
#include "core/id_number.h"
#include "core/test_support.h"
#include "service/dynamic.h"
#include "service/reports.h"
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

const std::string& Template() {
    static const std::string path = testing_registry::GeneratedRegistry("asof", 200, 17, kSetup);
    return path;
}

std::string TempPath(const std::string& name) {
    return (fs::temp_directory_path() / ("jz-asof-" + std::to_string(getpid()) + "-" + name + ".db")).string();
}

void Remove(const std::string& path) {
    for (const char* s : {"", "-wal", "-shm"}) fs::remove(path + s);
}

std::vector<Household> All(Store& store) {
    std::vector<Household> out;
    (void)store.ScanHouseholds({}, [&](const Household& h) {
        out.push_back(h);
        return true;
    });
    return out;
}



// One random dated operation on or after `from`; returns the last day anything of it took effect.
Date RandomOperation(Store& store, Dynamic& d, const Date& from, int& fresh) {
    const auto households = All(store);
    RC_PRE(!households.empty());
    const Household& h = households[*rc::gen::inRange<size_t>(0, households.size())];
    const Date date = Date::FromDaysSinceEpoch(from.DaysSinceEpoch() + *rc::gen::inRange(0, 60));
    Date last = date;
    OpenRequest q;
    q.year = date.year;
    q.date = date;
    q.household_code = h.household_code;
    switch (*rc::gen::inRange(0, 5)) {
        case 0: {  // an exit carried through (when the standard holds)
            q.kind = ProcedureKind::kExit;
            auto c = d.Open(kCounty, q, kNow);
            if (c) {
                auto done = CarryThrough(d, *c, kCounty, kNow);
                RC_ASSERT(done.has_value());
                last = done->steps.back().date;
            }
            break;
        }
        case 1:
            q.kind = ProcedureKind::kFallback;
            q.reason = "因病返贫";
            (void)d.Open(kCounty, q, kNow);
            break;
        case 2:
            q.kind = ProcedureKind::kDeregistration;
            q.reason = *rc::gen::element<std::string>("moved_away", "wrongly_registered");
            (void)d.Open(kCounty, q, kNow);
            break;
        case 3: {  // a newborn joins, or a member who is not the head leaves
            q.kind = ProcedureKind::kMemberChange;
            if (*rc::gen::arbitrary<bool>() || h.members.size() == 1) {
                q.member.change = 6;  // 新生儿
                Person baby = h.members.front();
                baby.name = "新生" + std::to_string(fresh + 1);
                baby.relation = codes::kRelationSon;
                baby.sex = codes::kSexMale;
                baby.birth_date = Date{date.year - 1, 3, 1};
                baby.id_number = FreshId(baby, fresh);
                baby.education = 6;
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
            (void)d.Open(kCounty, q, kNow);
            break;
        }
        default: {  // a new household, all steps
            Household n = h;
            n.household_code = n.division_code + std::to_string(9000 + ++fresh);
            for (Person& m : n.members) m.id_number = FreshId(m, fresh);
            q.kind = ProcedureKind::kNewIdentification;
            q.proposal = n;
            auto c = d.Open(kCounty, q, kNow);
            RC_ASSERT(c.has_value());
            auto done = CarryThrough(d, *c, kCounty, kNow);
            RC_ASSERT(done.has_value());
            last = done->steps.back().date;
        }
    }
    return last;
}

// The figures that take a date, as one comparable value.
std::string Figures(Store& store, const Date& as_of) {
    std::string out = boost::json::serialize(ProgressJson(BuildProgress(store, Chayu().plan, Chayu().tree, as_of).value()));
    Dynamic d(store, Chayu().plan, Chayu().tree);
    const auto candidates = d.ExitCandidates(as_of.year, as_of, "", 2).value();
    for (const auto& c : candidates.candidates) out += "|" + c.household_code;
    CheckOptions options;
    options.as_of = as_of;
    const auto findings = RunChecks(store, Chayu().plan, options, "", 2).value();
    out += "|" + boost::json::serialize(CheckJson(as_of, findings));
    return out;
}

RC_GTEST_PROP(AsOfProperty, FiguresAsOfADayEqualThoseOfTheRegistryThen, ()) {
    static int run = 0;
    ++run;
    const std::string full = TempPath("full-" + std::to_string(run)), then = TempPath("then-" + std::to_string(run));
    fs::copy_file(Template(), full, fs::copy_options::overwrite_existing);
    Date as_of;
    {
        auto store = OpenSqliteStore(full, OpenMode::kExisting).value();
        Dynamic d(*store, Chayu().plan, Chayu().tree);
        int fresh = 0;
        Date day{2017, 1, 2};
        const int before = *rc::gen::inRange(0, 6), after = *rc::gen::inRange(1, 6);
        for (int i = 0; i < before; ++i) day = std::max(day, RandomOperation(*store, d, day, fresh));
        // D: the last day anything took effect; what follows happens after it.
        as_of = day;
        store.reset();
        Remove(then);
        fs::copy_file(full, then, fs::copy_options::overwrite_existing);
        store = OpenSqliteStore(full, OpenMode::kExisting).value();
        Dynamic d2(*store, Chayu().plan, Chayu().tree);
        day = Date::FromDaysSinceEpoch(as_of.DaysSinceEpoch() + 1);
        for (int i = 0; i < after; ++i) day = std::max(day, RandomOperation(*store, d2, day, fresh));
    }
    auto a = OpenSqliteStore(full, OpenMode::kExisting).value();
    auto b = OpenSqliteStore(then, OpenMode::kExisting).value();
    RC_ASSERT(Figures(*a, as_of) == Figures(*b, as_of));
    // The registry then has nothing dated after D: its figures as of D are its own.
    RC_ASSERT(!RegistryAsOf::Load(*b, as_of, "").value().past());
    a.reset();
    b.reset();
    Remove(full);
    Remove(then);
}

TEST(AsOf, AFallbackAfterTheDayDoesNotChangeTheYearsExits) {
    const std::string path = TempPath("fallback");
    fs::copy_file(Template(), path, fs::copy_options::overwrite_existing);
    auto store = OpenSqliteStore(path, OpenMode::kExisting).value();
    const auto households = All(*store);
    const Household* exited = nullptr;
    for (const Household& h : households)
        if (h.exited() && h.exit_year == 2016) exited = &h;
    ASSERT_TRUE(exited);
    const auto exits_2016 = [&](const Date& as_of) {
        const auto report = BuildProgress(*store, Chayu().plan, Chayu().tree, as_of).value();
        int64_t n = 0;
        for (const auto& t : report.townships)
            for (const auto& y : t.years)
                if (y.year == 2016) n += y.exited_persons;
        return n;
    };
    const int64_t before = exits_2016({2017, 6, 30});
    Dynamic d(*store, Chayu().plan, Chayu().tree);
    OpenRequest q{ProcedureKind::kFallback, 2017, {2017, 8, 1}, "", exited->household_code, {}, "因灾返贫", {}};
    ASSERT_TRUE(d.Open(kCounty, q, kNow).has_value());
    const int64_t persons = static_cast<int64_t>(exited->members.size());
    EXPECT_EQ(exits_2016({2016, 12, 31}), before);
    EXPECT_EQ(exits_2016({2017, 6, 30}), before);
    EXPECT_EQ(exits_2016({2017, 7, 31}), before);
    EXPECT_EQ(exits_2016({2017, 8, 1}), before - persons);
    EXPECT_EQ(exits_2016({2026, 12, 7}), before - persons);
    // The household as of the day before is exited again; as of the day itself, fallen back.
    const auto registry = RegistryAsOf::Load(*store, {2017, 7, 31}, "").value();
    EXPECT_TRUE(registry.past());
    EXPECT_EQ(registry.FindHousehold(*store, exited->household_code).value()->status, codes::kStatusExited);
    // A correction recorded later is kept, and the household is listed as corrected.
    auto record = store->FindHousehold(exited->household_code).value().value();
    Household corrected = record.household;
    corrected.phone = "13800000000";
    ASSERT_TRUE(store->Begin().has_value());
    ASSERT_TRUE(store->UpdateHousehold(record, corrected, ChangeContext{"officer", "2026-12-01T02:00:00Z", std::nullopt})
                    .has_value());
    ASSERT_TRUE(store->Commit().has_value());
    EXPECT_EQ(registry.FindHousehold(*store, exited->household_code).value()->phone, "13800000000");
    EXPECT_EQ(CorrectedSince(*store, {2017, 7, 31}, "").value(), std::vector<std::string>{exited->household_code});
    EXPECT_TRUE(CorrectedSince(*store, {2026, 12, 1}, "").value().empty());
    EXPECT_TRUE(store->VerifyChangeLog().value().intact());
    store.reset();
    Remove(path);
}

}  // namespace
}  // namespace jz::service

namespace jz::service {
namespace {

TEST(AsOf, AnUpgradedDatabaseGetsTheEventsOfItsClosedCases) {
    const std::string path = TempPath("upgrade");
    fs::copy_file(Template(), path, fs::copy_options::overwrite_existing);
    std::string code;
    {
        auto store = OpenSqliteStore(path, OpenMode::kExisting).value();
        for (const Household& h : All(*store))
            if (h.exited() && h.exit_year == 2016) code = h.household_code;
        ASSERT_FALSE(code.empty());
        Dynamic d(*store, Chayu().plan, Chayu().tree);
        OpenRequest q{ProcedureKind::kFallback, 2017, {2017, 8, 1}, "", code, {}, "因灾返贫", {}};
        ASSERT_TRUE(d.Open(kCounty, q, kNow).has_value());
    }
    // The database as version 9 left it: no events table (nor later ones), no events in the log (they
    // were its tail).
    {
        sqlite3* db = nullptr;
        ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
        ASSERT_EQ(sqlite3_exec(db,
                               "DELETE FROM change_log WHERE entity = 'household_event'; DROP TABLE household_event;"
                               " DROP TABLE issued_reports; PRAGMA user_version = 9;",
                               nullptr, nullptr, nullptr),
                  SQLITE_OK);
        sqlite3_close(db);
    }
    auto store = OpenSqliteStore(path, OpenMode::kExisting).value();
    const auto events = store->ListHouseholdEvents({}).value();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].household_code, code);
    EXPECT_EQ(events[0].kind, "fallback");
    EXPECT_EQ(events[0].effective_on, (Date{2017, 8, 1}));
    EXPECT_EQ(events[0].before_status, codes::kStatusExited);
    EXPECT_EQ(events[0].before_exit_year, 2016);
    EXPECT_EQ(RegistryAsOf::Load(*store, {2017, 7, 31}, "").value().FindHousehold(*store, code).value()->exit_year,
              2016);
    EXPECT_TRUE(store->VerifyChangeLog().value().intact());
    store.reset();
    Remove(path);
}

}  // namespace
}  // namespace jz::service
