#include "service/pairing.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <cstdlib>
#include <filesystem>
#include <set>

#include "core/codes.h"
#include "core/test_support.h"
#include "generator/generator.h"
#include "service/dynamic.h"
#include "service/reports.h"
#include "service/test_registry.h"
#include "store/sqlite_store.h"

namespace jz::service {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using testing_support::Chayu;

const ChangeContext kSetup{"setup", "2026-11-29T00:00:00Z", std::nullopt};
const ChangeContext kOfficer{"officer", "2026-11-30T08:00:00Z", std::nullopt};
const Date kToday{2017, 6, 30};

const Plan& ThePlan() { return Chayu().plan; }
const OrgTree& TheTree() { return Chayu().tree; }

// A registry of generated households without pairings (their free-text names cleared), built
// once and copied for each case.
const std::string& Template() {
    static const std::string path = testing_registry::GeneratedRegistry(
        "pairing", 60, 15, kSetup, [](Household& h) { h.pairing_cadre.clear(); });
    return path;
}

struct Registry {
    std::string path;
    std::unique_ptr<Store> store;
    Registry() {
        static int n = 0;
        path = (fs::temp_directory_path() /
                ("jz-pairing-" + std::to_string(getpid()) + "-" + std::to_string(++n) + ".db"))
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
    std::vector<Household> NotExited() {
        std::vector<Household> out;
        for (const Household& h : All())
            if (!h.exited()) out.push_back(h);
        return out;
    }
    Household Exited() {
        for (const Household& h : All())
            if (h.exited()) return h;
        ADD_FAILURE() << "no exited household";
        return {};
    }
    CadreRecord AddCadre(const std::string& name, int rank, const std::string& township = "") {
        Cadre c;
        c.name = name;
        c.rank = rank;
        c.township_code = township;
        c.unit = "县扶贫办";
        c.active_from = Date{2015, 1, 1};
        auto r = service::AddCadre(*store, ThePlan(), c, kSetup);
        EXPECT_TRUE(r) << r.error().ToString();
        return *r;
    }
    Result<Pairing> Set(const std::string& household, int64_t cadre, Date from, bool over = false) {
        return SetPairing(*store, ThePlan(),
                          {.household_code = household, .cadre_id = cadre, .from = from, .reason = "结对 paired",
                           .allow_over_quota = over},
                          kOfficer);
    }
    std::vector<Pairing> History(const std::string& household) {
        PairingFilter f;
        f.household_code = household;
        return store->ListPairings(f).value();
    }
};

// A minimal well-formed PNG start: signature and IHDR (1×1).
std::string Png() {
    std::string s("\x89PNG\r\n\x1a\n", 8);
    s += std::string("\0\0\0\x0d", 4) + "IHDR" + std::string("\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0", 13);
    s += std::string("\0\0\0\0", 4);
    return s;
}

std::string Base64(const std::string& bytes) {
    std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1);
    return out;
}

// --- cadres ---------------------------------------------------------------------------------------

TEST(PairingService, ACadreIsCheckedAndItsIdNumberIsUnique) {
    Registry r;
    Cadre bad;
    bad.name = "张三";
    bad.rank = 7;  // not in the table
    auto refused = AddCadre(*r.store, ThePlan(), bad, kOfficer);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "cadre.invalid");
    EXPECT_EQ(refused.error().field, "rank");
    EXPECT_FALSE(refused.error().message_zh.empty());
    EXPECT_FALSE(refused.error().message_en.empty());

    Cadre c;
    c.name = "  李四 ";
    c.rank = kRankSectionChief;
    c.id_number = "540425198001010018";
    const std::string township = TheTree().AtLevel(OrgLevel::kTownship).front()->code;
    c.township_code = township;
    auto added = AddCadre(*r.store, ThePlan(), c, kOfficer);
    ASSERT_TRUE(added) << added.error().ToString();
    EXPECT_GT(added->cadre.id, 0);
    EXPECT_EQ(added->cadre.name, "李四");
    EXPECT_EQ(added->cadre.division_code, township);
    c.name = "王五";
    auto twice = AddCadre(*r.store, ThePlan(), c, kOfficer);
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().field, "id_number");

    // A stale version is refused; a change bumps it.
    Cadre changed = added->cadre;
    changed.phone = "13800000000";
    auto stale = UpdateCadre(*r.store, ThePlan(), changed, added->version + 1, kOfficer);
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().code, "store.conflict");
    auto updated = UpdateCadre(*r.store, ThePlan(), changed, added->version, kOfficer);
    ASSERT_TRUE(updated) << updated.error().ToString();
    EXPECT_EQ(updated->version, added->version + 1);
    EXPECT_EQ(updated->cadre.phone, "13800000000");
}

// --- pairings -------------------------------------------------------------------------------------

TEST(PairingService, SetEndsTheCurrentPairingTheDayBeforeAndWritesTheNameIntoTheHousehold) {
    Registry r;
    const Household h = r.NotExited().front();
    const CadreRecord a = r.AddCadre("甲干部", kRankCounty);
    const CadreRecord b = r.AddCadre("乙干部", kRankCounty);
    const int64_t v0 = r.store->FindHousehold(h.household_code).value()->version;

    auto first = r.Set(h.household_code, a.cadre.id, {2016, 3, 1});
    ASSERT_TRUE(first) << first.error().ToString();
    EXPECT_EQ(first->division_code, h.division_code);
    auto rec = r.store->FindHousehold(h.household_code).value();
    EXPECT_EQ(rec->household.pairing_cadre, "甲干部");
    EXPECT_EQ(rec->version, v0 + 1);

    auto same = r.Set(h.household_code, a.cadre.id, {2016, 4, 1});
    ASSERT_FALSE(same);
    EXPECT_EQ(same.error().code, "pairing.same_cadre");
    auto before = r.Set(h.household_code, b.cadre.id, {2016, 2, 1});
    ASSERT_FALSE(before);
    EXPECT_EQ(before.error().field, "from");

    auto second = r.Set(h.household_code, b.cadre.id, {2016, 9, 1});
    ASSERT_TRUE(second) << second.error().ToString();
    auto history = r.History(h.household_code);
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(history[0].cadre_id, a.cadre.id);
    ASSERT_TRUE(history[0].to);
    EXPECT_EQ(*history[0].to, (Date{2016, 8, 31}));
    EXPECT_FALSE(history[0].end_reason.empty());
    EXPECT_TRUE(history[1].current());
    rec = r.store->FindHousehold(h.household_code).value();
    EXPECT_EQ(rec->household.pairing_cadre, "乙干部");
    EXPECT_EQ(rec->version, v0 + 2);

    // The household change is in the change log beside the pairings.
    ChangeLogFilter f;
    f.entity = "household";
    f.entity_key = h.household_code;
    auto log = r.store->ChangeLog(f).value();
    ASSERT_GE(log.size(), 3u);
    EXPECT_NE(log.back().after_json.find("乙干部"), std::string::npos);

    // History JSON: current first.
    auto j = PairingHistoryJson(*r.store, ThePlan(), h.household_code, true).value();
    EXPECT_EQ(j.at("current").at("cadre_name").as_string(), "乙干部");
    ASSERT_EQ(j.at("pairings").as_array().size(), 2u);
    EXPECT_EQ(j.at("pairings").as_array()[1].at("cadre_name").as_string(), "甲干部");

    // Ending clears the name; ending again finds nothing.
    auto ended = EndPairing(*r.store, h.household_code, {2017, 1, 31}, "干部调离 cadre left", kOfficer);
    ASSERT_TRUE(ended) << ended.error().ToString();
    EXPECT_EQ(ended->to, (Date{2017, 1, 31}));
    EXPECT_EQ(r.store->FindHousehold(h.household_code).value()->household.pairing_cadre, "");
    auto again = EndPairing(*r.store, h.household_code, {2017, 2, 1}, "x", kOfficer);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, "pairing.not_found");
    EXPECT_EQ(KindOf(again.error()), FailureKind::kNotFound);
}

TEST(PairingService, SetRefusesExitedHouseholdsQuotasInactiveAndUnknownCadresAndNoReason) {
    Registry r;
    const auto open = r.NotExited();
    ASSERT_GE(open.size(), 3u);
    const CadreRecord deputy = r.AddCadre("丙干部", kRankDeputyAndBelow);  // quota 1
    ASSERT_EQ(QuotaOf(ThePlan(), kRankDeputyAndBelow), 1);

    auto exited = r.Set(r.Exited().household_code, deputy.cadre.id, {2016, 3, 1});
    ASSERT_FALSE(exited);
    EXPECT_EQ(exited.error().code, "household.exited");
    EXPECT_EQ(KindOf(exited.error()), FailureKind::kRefused);

    ASSERT_TRUE(r.Set(open[0].household_code, deputy.cadre.id, {2016, 3, 1}));
    auto over = r.Set(open[1].household_code, deputy.cadre.id, {2016, 3, 1});
    ASSERT_FALSE(over);
    EXPECT_EQ(over.error().code, "pairing.over_quota");
    EXPECT_EQ(over.error().field, "cadre_id");
    EXPECT_TRUE(r.Set(open[1].household_code, deputy.cadre.id, {2016, 3, 1}, true));

    auto unknown = r.Set(open[2].household_code, 999999, {2016, 3, 1});
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, "cadre.not_found");

    Cadre gone;
    gone.name = "丁干部";
    gone.rank = kRankCounty;
    gone.active_from = Date{2010, 1, 1};
    gone.active_to = Date{2015, 12, 31};
    const CadreRecord retired = AddCadre(*r.store, ThePlan(), gone, kSetup).value();
    auto inactive = r.Set(open[2].household_code, retired.cadre.id, {2016, 3, 1});
    ASSERT_FALSE(inactive);
    EXPECT_EQ(inactive.error().code, "cadre.inactive");

    auto no_reason = SetPairing(*r.store, ThePlan(),
                                {.household_code = open[2].household_code, .cadre_id = deputy.cadre.id,
                                 .from = {2016, 3, 1}, .reason = " "},
                                kOfficer);
    ASSERT_FALSE(no_reason);
    EXPECT_EQ(no_reason.error().code, "pairing.invalid");
    EXPECT_EQ(no_reason.error().field, "reason");
    auto missing = r.Set("540425999999999999", deputy.cadre.id, {2016, 3, 1});
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, "household.not_found");
    // Nothing of the refused ones was written.
    EXPECT_TRUE(r.History(open[2].household_code).empty());
}

// --- assignment -----------------------------------------------------------------------------------

TEST(PairingService, AssignmentIsDeterministicRespectsQuotasAndApplyRefusesAStaleProposal) {
    Registry r;
    const auto open = r.NotExited();
    const std::string township = open.front().division_code.substr(0, 9);
    const CadreRecord county = r.AddCadre("县干部", kRankCounty);             // 3
    const CadreRecord chief = r.AddCadre("科干部", kRankSectionChief, township);  // 2
    const CadreRecord deputy = r.AddCadre("副科干部", kRankDeputyAndBelow, township);  // 1
    ASSERT_TRUE(r.Set(open[0].household_code, deputy.cadre.id, {2016, 1, 1}));  // deputy full

    const Date on{2017, 1, 1};
    auto p1 = ProposeAssignment(*r.store, ThePlan(), "", on).value();
    auto p2 = ProposeAssignment(*r.store, ThePlan(), "", on).value();
    EXPECT_EQ(p1.digest, p2.digest);
    EXPECT_EQ(json::serialize(AssignmentJson(p1)), json::serialize(AssignmentJson(p2)));
    EXPECT_EQ(p1.digest.size(), 64u);
    EXPECT_EQ(p1.proposal.kept, 1);
    // 3 + 2 places free; the rest uncovered for want of capacity.
    EXPECT_EQ(p1.proposal.pairs.size(), 5u);
    EXPECT_EQ(p1.proposal.uncovered.size(), open.size() - 1 - 5);
    for (const Uncovered& u : p1.proposal.uncovered) EXPECT_EQ(u.reason, "no_capacity");
    std::map<int64_t, int> per;
    for (const ProposedPair& p : p1.proposal.pairs) ++per[p.cadre_id];
    EXPECT_EQ(per[county.cadre.id], 3);
    EXPECT_EQ(per[chief.cadre.id], 2);
    EXPECT_EQ(per.count(deputy.cadre.id), 0u);
    const json::object j = AssignmentJson(p1);
    EXPECT_EQ(j.at("counts").at("pairs").as_int64(), 5);
    EXPECT_EQ(j.at("pairs").as_array()[0].at("cadre_name").as_string().empty(), false);

    // Something changes in between: the proposal is stale and nothing is applied.
    ASSERT_TRUE(r.Set(p1.pair_households[0], chief.cadre.id, {2016, 6, 1}));
    auto stale = ApplyAssignment(*r.store, ThePlan(), "", on, p1.digest, kOfficer);
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().code, "pairing.proposal_stale");
    EXPECT_EQ(KindOf(stale.error()), FailureKind::kRefused);

    auto fresh = ProposeAssignment(*r.store, ThePlan(), "", on).value();
    EXPECT_NE(fresh.digest, p1.digest);
    auto made = ApplyAssignment(*r.store, ThePlan(), "", on, fresh.digest, kOfficer);
    ASSERT_TRUE(made) << made.error().ToString();
    EXPECT_EQ(*made, 4);
    auto loads = ListCadreLoads(*r.store, ThePlan(), {}).value();
    for (const CadreLoad& l : loads) EXPECT_LE(l.load, l.quota) << l.record.cadre.name;
    auto after = ProposeAssignment(*r.store, ThePlan(), "", on).value();
    EXPECT_TRUE(after.proposal.pairs.empty());
    EXPECT_EQ(after.proposal.kept, 6);
    // Every pair made is in the history with the assignment's reason and the day.
    const auto history = r.History(fresh.pair_households[0]);
    ASSERT_EQ(history.size(), 1u);
    EXPECT_EQ(history[0].from, on);
    EXPECT_EQ(history[0].reason, "assigned / 自动分配");
}

TEST(PairingService, AssignmentWithoutCadresSaysSo) {
    Registry r;
    auto p = ProposeAssignment(*r.store, ThePlan(), "", {2017, 1, 1}).value();
    EXPECT_TRUE(p.proposal.pairs.empty());
    ASSERT_FALSE(p.proposal.uncovered.empty());
    EXPECT_EQ(p.proposal.uncovered.front().reason, "no_cadre");
}

// --- visits ---------------------------------------------------------------------------------------

RecordVisitRequest AVisit(const Household& h, int64_t cadre, const std::string& client_id) {
    RecordVisitRequest r;
    r.visit.client_id = client_id;
    r.visit.household_code = h.household_code;
    r.visit.cadre_id = cadre;
    r.visit.date = {2017, 6, 1};
    r.visit.discussed = "了解春耕和务工情况";
    r.visit.done = "送去化肥两袋";
    return r;
}

TEST(PairingService, AVisitIsRecordedOncePerClientIdAndAChangedHouseholdIsNeverSilentlyOverwritten) {
    Registry r;
    const auto open = r.NotExited();
    const Household h = open[0];
    const CadreRecord c = r.AddCadre("走访干部", kRankCounty);

    auto first = RecordVisit(*r.store, ThePlan(), AVisit(h, c.cadre.id, "device-0001"), kToday, kOfficer);
    ASSERT_TRUE(first) << first.error().ToString();
    EXPECT_TRUE(first->inserted);
    EXPECT_EQ(first->visit.division_code, h.division_code);
    EXPECT_EQ(first->visit.recorded_by, "officer");
    auto retry = RecordVisit(*r.store, ThePlan(), AVisit(h, c.cadre.id, "device-0001"), kToday, kOfficer);
    ASSERT_TRUE(retry) << retry.error().ToString();
    EXPECT_FALSE(retry->inserted);
    EXPECT_EQ(retry->visit.id, first->visit.id);
    VisitFilter all;
    all.household_code = h.household_code;
    EXPECT_EQ(r.store->ListVisits(all).value().size(), 1u);

    auto reused = RecordVisit(*r.store, ThePlan(), AVisit(open[1], c.cadre.id, "device-0001"), kToday, kOfficer);
    ASSERT_FALSE(reused);
    EXPECT_EQ(reused.error().code, "visit.client_id_reused");

    // The household changed since the visit was recorded on the phone.
    const int64_t version = r.store->FindHousehold(h.household_code).value()->version;
    ASSERT_TRUE(r.Set(h.household_code, c.cadre.id, {2017, 1, 1}));  // bumps the version
    RecordVisitRequest stale = AVisit(h, c.cadre.id, "device-0002");
    stale.household_version = version;
    auto changed = RecordVisit(*r.store, ThePlan(), stale, kToday, kOfficer);
    ASSERT_FALSE(changed);
    EXPECT_EQ(changed.error().code, "visit.household_changed");
    EXPECT_EQ(changed.error().field, "household_version");
    EXPECT_EQ(r.store->ListVisits(all).value().size(), 1u);
    auto summary = HouseholdSummaryJson(*r.store, ThePlan(), TheTree(), h.household_code, true).value();
    EXPECT_EQ(summary.at("version").as_int64(), version + 1);
    EXPECT_EQ(summary.at("cadre_id").as_int64(), c.cadre.id);
    EXPECT_EQ(summary.at("last_visits").as_array().size(), 1u);
    stale.confirm_changed = true;
    auto confirmed = RecordVisit(*r.store, ThePlan(), stale, kToday, kOfficer);
    ASSERT_TRUE(confirmed) << confirmed.error().ToString();
    EXPECT_TRUE(confirmed->inserted);

    // Checks: the date not after today, the cadre known.
    RecordVisitRequest future = AVisit(h, c.cadre.id, "device-0003");
    future.visit.date = {2017, 7, 1};
    auto late = RecordVisit(*r.store, ThePlan(), future, kToday, kOfficer);
    ASSERT_FALSE(late);
    EXPECT_EQ(late.error().code, "visit.invalid");
    EXPECT_EQ(late.error().field, "date");
    auto nobody = RecordVisit(*r.store, ThePlan(), AVisit(h, 999999, "device-0004"), kToday, kOfficer);
    ASSERT_FALSE(nobody);
    EXPECT_EQ(nobody.error().code, "cadre.not_found");
}

TEST(PairingService, APhotoIsCheckedByContentAndSizeAndAFarVisitIsFlaggedNotRefused) {
    Registry r;
    const Household h = r.NotExited().front();
    const CadreRecord c = r.AddCadre("走访干部", kRankCounty);
    RecordVisitRequest text = AVisit(h, c.cadre.id, "photo-0001");
    text.photo = "GIF89a not a photo we take";
    auto refused = RecordVisit(*r.store, ThePlan(), text, kToday, kOfficer);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "visit.photo");
    Plan small = ThePlan();
    small.pairing.photo_max_bytes = 10;
    RecordVisitRequest big = AVisit(h, c.cadre.id, "photo-0002");
    big.photo = Png();
    auto too_big = RecordVisit(*r.store, small, big, kToday, kOfficer);
    ASSERT_FALSE(too_big);
    EXPECT_EQ(too_big.error().code, "visit.photo");

    // The household's place, and a visit 2.2 km north of it.
    HouseholdPlace place{.household_code = h.household_code, .place = {29'000'000, 97'000'000, 10},
                         .recorded_on = {2016, 5, 1}, .source = "survey"};
    ASSERT_TRUE(PutHouseholdPlace(*r.store, place, kOfficer));
    RecordVisitRequest far = AVisit(h, c.cadre.id, "photo-0003");
    far.photo = Png();
    far.visit.place = GeoPoint{29'020'000, 97'000'000, 15};
    auto recorded = RecordVisit(*r.store, ThePlan(), far, kToday, kOfficer);
    ASSERT_TRUE(recorded) << recorded.error().ToString();
    EXPECT_EQ(recorded->visit.photo, PhotoType::kPng);
    EXPECT_TRUE(recorded->visit.far);
    ASSERT_TRUE(recorded->visit.distance_m);
    EXPECT_NEAR(static_cast<double>(*recorded->visit.distance_m), 2224, 5);
    EXPECT_EQ(r.store->VisitPhoto(recorded->visit.id).value(), Png());
    json::object j = VisitJson(recorded->visit);
    EXPECT_EQ(j.at("photo_type").as_string(), "image/png");
    EXPECT_EQ(j.at("lat").as_string(), "29.020000");
    EXPECT_TRUE(j.at("far").as_bool());

    RecordVisitRequest near = AVisit(h, c.cadre.id, "photo-0004");
    near.visit.place = GeoPoint{29'001'000, 97'000'000, 15};
    auto close = RecordVisit(*r.store, ThePlan(), near, kToday, kOfficer);
    ASSERT_TRUE(close);
    EXPECT_FALSE(close->visit.far);

    auto bad_place = PutHouseholdPlace(
        *r.store, {.household_code = h.household_code, .place = {91'000'000, 0, 0}, .recorded_on = {2016, 5, 1}},
        kOfficer);
    ASSERT_FALSE(bad_place);
    EXPECT_EQ(bad_place.error().field, "lat");
}

TEST(PairingService, AVisitFromTheApisJsonDecodesThePhotoAndThePlace) {
    const json::value body = json::parse(R"({"client_id":"0b6c3c1e-aaaa-4bbb-8ccc-123456789abc",
        "household_code":"540425100201000001","cadre_id":7,"date":"2017-06-01","discussed":"谈心",
        "place":{"lat":"29.123456","lon":97.5,"accuracy":12},"photo":")" +
                                         Base64(Png()) + R"(","household_version":3,"confirm_changed":true})");
    auto r = VisitRequestFromJson(body);
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(r->photo, Png());
    ASSERT_TRUE(r->visit.place);
    EXPECT_EQ(r->visit.place->lat_e6, 29'123'456);
    EXPECT_EQ(r->visit.place->lon_e6, 97'500'000);
    EXPECT_EQ(r->visit.place->accuracy_m, 12);
    EXPECT_EQ(r->household_version, 3);
    EXPECT_TRUE(r->confirm_changed);

    auto bad = VisitRequestFromJson(json::parse(R"({"client_id":"abcdefgh","household_code":"1","cadre_id":1,
        "date":"2017-06-01","discussed":"x","photo":"not base64!!"})"));
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().field, "photo");
    auto decimals = VisitRequestFromJson(json::parse(R"({"client_id":"abcdefgh","household_code":"1","cadre_id":1,
        "date":"2017-06-01","discussed":"x","place":{"lat":"29.1234567","lon":"97"}})"));
    ASSERT_FALSE(decimals);
    EXPECT_EQ(decimals.error().field, "place.lat");
    auto unknown = VisitRequestFromJson(json::parse(R"({"client_id":"abcdefgh","household_code":"1","cadre_id":1,
        "date":"2017-06-01","discussed":"x","colour":"red"})"));
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().field, "colour");
    auto missing = VisitRequestFromJson(json::parse(R"({"client_id":"abcdefgh"})"));
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, "visit.invalid");
}

// --- overdue --------------------------------------------------------------------------------------

TEST(PairingService, OverdueCountsFromTheLastVisitOrThePairingsStartTodayAndOnAPastDay) {
    Registry r;
    const auto open = r.NotExited();
    const CadreRecord c = r.AddCadre("走访干部", kRankCounty);
    ASSERT_TRUE(r.Set(open[0].household_code, c.cadre.id, {2017, 1, 1}));
    ASSERT_TRUE(r.Set(open[1].household_code, c.cadre.id, {2017, 1, 1}));
    ASSERT_TRUE(r.Set(open[2].household_code, c.cadre.id, {2017, 1, 1}));
    const int interval = VisitIntervalDays(ThePlan());
    EXPECT_EQ(interval, 46);
    // open[0] visited recently, open[1] long ago, open[2] never.
    RecordVisitRequest recent = AVisit(open[0], c.cadre.id, "overdue-0001");
    recent.visit.date = {2017, 6, 20};
    ASSERT_TRUE(RecordVisit(*r.store, ThePlan(), recent, kToday, kOfficer));
    RecordVisitRequest old = AVisit(open[1], c.cadre.id, "overdue-0002");
    old.visit.date = {2017, 2, 1};
    ASSERT_TRUE(RecordVisit(*r.store, ThePlan(), old, kToday, kOfficer));

    auto today = BuildOverdue(*r.store, ThePlan(), "", kToday, kToday).value();
    EXPECT_TRUE(today.from_summaries);
    EXPECT_EQ(today.states.size(), 3u);
    ASSERT_EQ(today.overdue.size(), 2u);
    std::set<std::string> overdue;
    for (const OverdueVisit& o : today.overdue) overdue.insert(std::string(today.states[o.index].household_code));
    EXPECT_TRUE(overdue.contains(open[1].household_code));
    EXPECT_TRUE(overdue.contains(open[2].household_code));
    auto j = OverdueJson(*r.store, TheTree(), today, 1000).value();
    EXPECT_EQ(j.at("total").as_int64(), 2);
    EXPECT_EQ(j.at("by_cadre").as_array()[0].at("overdue").as_int64(), 2);
    EXPECT_EQ(j.at("by_cadre").as_array()[0].at("cadre_name").as_string(), "走访干部");
    ASSERT_FALSE(j.at("by_township").as_array().empty());
    // Most overdue first: never visited since 2017-01-01 before visited on 2017-02-01.
    EXPECT_EQ(j.at("households").as_array()[0].at("household_code").as_string(), open[2].household_code);
    EXPECT_EQ(j.at("households").as_array()[0].at("due").as_string(), "2017-02-16");
    EXPECT_EQ(j.at("households").as_array()[1].at("visits_this_quarter").as_int64(), 0);

    // On a past day the visits up to that day count: on 2017-03-01 open[1] was visited a month ago.
    auto past = BuildOverdue(*r.store, ThePlan(), "", {2017, 3, 1}, kToday).value();
    EXPECT_FALSE(past.from_summaries);
    ASSERT_EQ(past.overdue.size(), 2u);
    std::set<std::string> then;
    for (const OverdueVisit& o : past.overdue) then.insert(std::string(past.states[o.index].household_code));
    EXPECT_TRUE(then.contains(open[0].household_code));
    EXPECT_TRUE(then.contains(open[2].household_code));
}

// --- teams and findings ---------------------------------------------------------------------------

TEST(PairingService, TeamsHaveOneFirstSecretaryAndShortMonthsAreFlaggedAndFound) {
    Registry r;
    const Household h = r.NotExited().front();
    const std::string village = h.division_code;
    const CadreRecord a = r.AddCadre("书记甲", kRankSectionChief);
    const CadreRecord b = r.AddCadre("书记乙", kRankSectionChief);
    TeamMember m{.village_code = village, .cadre_id = a.cadre.id, .role = kRoleFirstSecretary, .from = {2017, 1, 1}};
    auto first = AddTeamMember(*r.store, ThePlan(), m, kOfficer);
    ASSERT_TRUE(first) << first.error().ToString();
    m.cadre_id = b.cadre.id;
    auto second = AddTeamMember(*r.store, ThePlan(), m, kOfficer);
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().code, "team.first_secretary_exists");
    m.role = kRoleTeamMember;
    auto member = AddTeamMember(*r.store, ThePlan(), m, kOfficer);
    ASSERT_TRUE(member) << member.error().ToString();

    ASSERT_TRUE(PutOnPostDays(*r.store, {.member_id = first->id, .year = 2017, .month = 5, .days = 22}, kOfficer));
    ASSERT_TRUE(PutOnPostDays(*r.store, {.member_id = member->id, .year = 2017, .month = 5, .days = 12}, kOfficer));
    auto before_team = PutOnPostDays(*r.store, {.member_id = member->id, .year = 2016, .month = 5, .days = 12}, kOfficer);
    ASSERT_FALSE(before_team);
    EXPECT_EQ(before_team.error().field, "month");
    auto too_many = PutOnPostDays(*r.store, {.member_id = member->id, .year = 2017, .month = 2, .days = 29}, kOfficer);
    ASSERT_FALSE(too_many);
    EXPECT_EQ(too_many.error().code, "team.invalid");

    auto teams = TeamsJson(*r.store, ThePlan(), TheTree(), village.substr(0, 9), kToday, false).value();
    bool seen = false;
    for (const json::value& v : teams.at("villages").as_array()) {
        if (v.at("village_code").as_string() != village) continue;
        seen = true;
        EXPECT_EQ(v.at("first_secretary").at("cadre_name").as_string(), "书记甲");
        ASSERT_EQ(v.at("members").as_array().size(), 2u);
    }
    EXPECT_TRUE(seen);
    EXPECT_EQ(teams.at("counts").at("short_months").as_int64(), 1);

    auto ended = EndTeamMember(*r.store, member->id, {2017, 5, 31}, kOfficer);
    ASSERT_TRUE(ended) << ended.error().ToString();
    auto twice = EndTeamMember(*r.store, member->id, {2017, 6, 30}, kOfficer);
    ASSERT_FALSE(twice);

    auto facts = LoadPairingFacts(*r.store, ThePlan(), "", kToday).value();
    ASSERT_EQ(facts.short_on_post.size(), 1u);
    EXPECT_EQ(facts.short_on_post[0].cadre_name, "书记乙");
    EXPECT_EQ(facts.short_on_post[0].days, 12);
}

TEST(PairingService, ChecksReadThePairingTable) {
    Registry r;
    const auto open = r.NotExited();
    const CadreRecord deputy = r.AddCadre("副科干部", kRankDeputyAndBelow);
    ASSERT_TRUE(r.Set(open[0].household_code, deputy.cadre.id, {2016, 1, 1}));
    ASSERT_TRUE(r.Set(open[1].household_code, deputy.cadre.id, {2016, 1, 1}, true));  // over quota
    CheckOptions options;
    options.as_of = kToday;
    auto findings = RunChecks(*r.store, ThePlan(), options, "", 1).value();
    std::set<std::string> missing;
    int over = 0;
    for (const Finding& f : findings) {
        if (f.rule == "pairing.missing") missing.insert(f.household_code);
        if (f.rule == "pairing.over_quota") ++over;
    }
    EXPECT_FALSE(missing.contains(open[0].household_code));
    EXPECT_FALSE(missing.contains(open[1].household_code));
    EXPECT_TRUE(missing.contains(open[2].household_code));
    EXPECT_EQ(missing.size(), open.size() - 2);
    EXPECT_GE(over, 1);
}

}  // namespace
}  // namespace jz::service
