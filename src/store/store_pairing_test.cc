// Pairing (cadres, pairings with history, work teams and on-post days, visits with their kept
// summary, households' places, the adoption of free-text names) run against every adapter; their
// JSON forms; the SQLite file's audit of the six entities and the change log's scope.

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "store/store_test_fixture.h"

namespace jz::store_test {
namespace {

// SmallTree and a second township with a village.
OrgTree TwoTownships() {
    OrgTree t = SmallTree();
    t.Add({"540425200", "540425", OrgLevel::kTownship, {{2020, "上察隅镇"}}});
    t.Add({"540425200201", "540425200", OrgLevel::kVillage, {{2020, "沙琼村"}}});
    return t;
}

Cadre MakeCadre(const std::string& name, const std::string& township = "540425100", int rank = kRankSectionChief,
                const std::string& id_number = "") {
    Cadre c;
    c.name = name;
    c.id_number = id_number;
    c.unit = "县农牧局";
    c.rank = rank;
    c.phone = "0894-1234567";
    c.township_code = township;
    c.division_code = township.empty() ? "540425" : township;
    c.active_from = Date{2016, 1, 1};
    return c;
}

Pairing MakePairing(const std::string& household, int64_t cadre, Date from, const std::string& division = "540425100201") {
    Pairing p;
    p.household_code = household;
    p.division_code = division;
    p.cadre_id = cadre;
    p.from = from;
    p.reason = "县里安排";
    return p;
}

Visit MakeVisit(const std::string& client_id, const std::string& household, int64_t cadre, Date date,
                const std::string& division = "540425100201") {
    Visit v;
    v.client_id = client_id;
    v.household_code = household;
    v.division_code = division;
    v.cadre_id = cadre;
    v.date = date;
    v.discussed = "了解 \"春耕\" 情况";
    v.done = "送去化肥";
    v.recorded_by = "officer";
    v.recorded_at = "2026-11-29T01:02:03Z";
    return v;
}

const std::string kJpeg = std::string("\xff\xd8\xff\xe0", 4) + "JFIF-test-bytes";

std::vector<std::string> Entities(Store& store, const ChangeLogFilter& f) {
    std::vector<std::string> out;
    const auto entries = store.ChangeLog(f).value();
    for (const ChangeLogEntry& e : entries) out.push_back(e.entity + " " + e.entity_key + " " + e.action);
    return out;
}

void ExpectVerifies(Store& store) {
    const ChainVerification v = store.VerifyChangeLog().value();
    EXPECT_FALSE(v.first_bad.has_value());
    EXPECT_EQ(v.mismatch_count, 0) << (v.mismatches.empty() ? "" : v.mismatches[0].code + " " + v.mismatches[0].entity +
                                                                        " " + v.mismatches[0].entity_key);
}

// --- JSON ----------------------------------------------------------------------------------------

TEST(PairingJson, EveryRecordRoundTrips) {
    Cadre c = MakeCadre("张伟", "540425100", kRankCounty, MakeIdNumber("540425", {1975, 1, 2}, 7));
    c.id = 12;
    c.active_to = Date{2020, 12, 31};
    EXPECT_EQ(CadreFromJson(CadreToJson(c)).value(), c);
    Cadre bare;
    bare.name = "李";
    EXPECT_EQ(CadreFromJson(CadreToJson(bare)).value(), bare);

    Pairing p = MakePairing("H1", 12, {2016, 3, 1});
    p.id = 5;
    EXPECT_EQ(PairingFromJson(PairingToJson(p)).value(), p);
    p.to = Date{2017, 1, 1};
    p.end_reason = "调离";
    EXPECT_EQ(PairingFromJson(PairingToJson(p)).value(), p);

    TeamMember m{.id = 3, .village_code = "540425100201", .cadre_id = 12, .role = kRoleFirstSecretary,
                 .from = {2016, 1, 1}, .to = Date{2017, 12, 31}};
    EXPECT_EQ(TeamMemberFromJson(TeamMemberToJson(m)).value(), m);

    Visit v = MakeVisit("c-0000001", "H1", 12, {2017, 5, 6});
    EXPECT_EQ(VisitFromJson(VisitToJson(v)).value(), v);
    EXPECT_NE(VisitToJson(v).find("\"photo\":null"), std::string::npos);
    v.id = 9;
    v.place = GeoPoint{28'660'000, 97'460'000, 15};
    v.photo = PhotoType::kPng;
    v.photo_bytes = 2048;
    v.distance_m = 1234;
    v.far = true;
    EXPECT_EQ(VisitFromJson(VisitToJson(v)).value(), v);
    v.photo = PhotoType::kJpeg;
    v.place = GeoPoint{-1, -2, 0};
    EXPECT_EQ(VisitFromJson(VisitToJson(v)).value(), v);
}

TEST(PairingJson, ReadersNameTheBadField) {
    auto field = [](const auto& r) { return r ? std::string("(ok)") : r.error().code + " " + r.error().field; };
    EXPECT_EQ(field(CadreFromJson("{\"rank\":1}")), "json.invalid name");
    EXPECT_EQ(field(CadreFromJson("{\"name\":\"a\",\"rank\":\"1\"}")), "json.invalid rank");
    EXPECT_EQ(field(CadreFromJson("{\"name\":\"a\",\"rank\":1,\"active_to\":\"2017-13-01\"}")), "json.invalid active_to");
    EXPECT_EQ(field(CadreFromJson("[1]")), "json.invalid ");
    EXPECT_EQ(field(PairingFromJson("{\"household_code\":\"H\",\"cadre_id\":1,\"from\":\"x\"}")), "json.invalid from");
    EXPECT_EQ(field(PairingFromJson("{\"household_code\":\"H\",\"from\":\"2017-01-01\"}")), "json.invalid cadre_id");
    EXPECT_EQ(field(TeamMemberFromJson("{\"village_code\":\"V\",\"cadre_id\":1,\"role\":1}")), "json.invalid from");
    const std::string visit = VisitToJson(MakeVisit("c-0000001", "H1", 1, {2017, 5, 6}));
    auto with = [&](const std::string& from, const std::string& to) {
        std::string s = visit;
        s.replace(s.find(from), from.size(), to);
        return s;
    };
    EXPECT_EQ(field(VisitFromJson(with("\"photo\":null", "\"photo\":\"gif\""))), "json.invalid photo");
    EXPECT_EQ(field(VisitFromJson(with("\"photo\":null", "\"place\":{\"lat_e6\":1,\"lon_e6\":2},\"photo\":null"))),
              "json.invalid place.accuracy_m");
    EXPECT_EQ(field(VisitFromJson(with("\"photo\":null", "\"place\":[1],\"photo\":null"))), "json.invalid place");
    EXPECT_EQ(field(VisitFromJson(with("\"far\":false", "\"far\":0"))), "json.invalid far");
    EXPECT_EQ(field(VisitFromJson(with("\"date\":\"2017-05-06\"", "\"date\":\"2017-02-30\""))), "json.invalid date");
}

// Text of any characters JSON must escape or carry: quotes, backslashes, controls, CJK, emoji.
std::string TextOf(const std::vector<uint8_t>& picks) {
    static const char* const kPieces[] = {"a", "\"", "\\", "\n", "\t", "\x01", "\x1f", "走访", "办实事", "😀", " ", "/"};
    std::string out;
    for (uint8_t p : picks) out += kPieces[p % std::size(kPieces)];
    return out;
}

RC_GTEST_PROP(PairingJson, VisitRoundTripsForAnyText,
              (std::vector<uint8_t> discussed, std::vector<uint8_t> done, int32_t lat)) {
    Visit v = MakeVisit("c-0000001", "H1", 3, {2017, 5, 6});
    v.discussed = TextOf(discussed);
    v.done = TextOf(done);
    v.place = GeoPoint{lat, -lat / 2, 7};
    RC_ASSERT(VisitFromJson(VisitToJson(v)).value() == v);
}

// --- Cadres --------------------------------------------------------------------------------------

TEST_P(StoreContract, CadreInsertFindUpdateListWithVersionsAndChangeLog) {
    const std::string id1 = MakeIdNumber("540425", {1975, 1, 2}, 7);
    Cadre a = MakeCadre("张伟", "540425100", kRankCounty, id1);
    a.id = 99;  // ignored: the store gives the id
    ASSERT_TRUE(store_->Begin());
    const int64_t ida = store_->InsertCadre(a, kChange).value();
    const int64_t idb = store_->InsertCadre(MakeCadre("李娜", "", kRankDeputyAndBelow), kChange).value();
    const int64_t idc = store_->InsertCadre(MakeCadre("王芳", "540425100", kRankUnknown), kChange).value();
    EXPECT_EQ(CodeOf(store_->InsertCadre(MakeCadre("重复", "540425100", 2, id1), kChange)), "store.duplicate");
    ASSERT_TRUE(store_->Commit());
    EXPECT_NE(ida, idb);
    a.id = ida;
    const CadreRecord found = store_->FindCadre(ida).value().value();
    EXPECT_EQ(found.cadre, a);
    EXPECT_EQ(found.version, 1);
    EXPECT_EQ(store_->FindCadreByIdNumber(id1).value()->cadre.id, ida);
    EXPECT_FALSE(store_->FindCadreByIdNumber("").value().has_value()) << "an empty ID number finds nobody";
    EXPECT_FALSE(store_->FindCadre(12345).value().has_value());

    Cadre changed = a;
    changed.rank = kRankSectionChief;
    changed.active_to = Date{2017, 6, 30};
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->UpdateCadre(found, changed, kChange));
    EXPECT_EQ(CodeOf(store_->UpdateCadre(found, changed, kChange)), "store.conflict") << "stale version";
    const CadreRecord c = store_->FindCadre(idc).value().value();
    Cadre taken = c.cadre;
    taken.id_number = id1;
    EXPECT_EQ(CodeOf(store_->UpdateCadre(c, taken, kChange)), "store.duplicate");
    CadreRecord ghost = c;
    ghost.cadre.id = 777;
    EXPECT_EQ(CodeOf(store_->UpdateCadre(ghost, ghost.cadre, kChange)), "store.not_found");
    ASSERT_TRUE(store_->Commit());
    const CadreRecord after = store_->FindCadre(ida).value().value();
    EXPECT_EQ(after.version, 2);
    EXPECT_EQ(after.cadre, changed);

    auto ids = [&](const CadreFilter& f) {
        std::vector<int64_t> out;
        const auto list = store_->ListCadres(f).value();
        for (const CadreRecord& r : list) out.push_back(r.cadre.id);
        return out;
    };
    EXPECT_EQ(ids({}), (std::vector<int64_t>{ida, idb, idc}));
    EXPECT_EQ(ids({.division_prefix = "540425100"}), (std::vector<int64_t>{ida, idc}));
    EXPECT_EQ(ids({.division_prefix = "540425"}), (std::vector<int64_t>{ida, idb, idc}));
    EXPECT_EQ(ids({.rank = kRankUnknown}), (std::vector<int64_t>{idc}));
    EXPECT_EQ(ids({.active_on = Date{2017, 7, 1}}), (std::vector<int64_t>{idb, idc}));
    EXPECT_EQ(ids({.active_on = Date{2015, 7, 1}}), (std::vector<int64_t>{}));
    EXPECT_EQ(ids({.name = "李娜"}), (std::vector<int64_t>{idb}));
    EXPECT_EQ(ids({.after_id = ida, .limit = 1}), (std::vector<int64_t>{idb}));

    EXPECT_EQ(Entities(*store_, {.entity = "cadre"}),
              (std::vector<std::string>{"cadre " + std::to_string(ida) + " insert", "cadre " + std::to_string(idb) + " insert",
                                        "cadre " + std::to_string(idc) + " insert",
                                        "cadre " + std::to_string(ida) + " update"}));
    const ChangeLogEntry last = store_->ChangeLog({.entity = "cadre", .entity_key = std::to_string(ida)}).value().back();
    EXPECT_EQ(CadreFromJson(last.before_json).value(), a);
    EXPECT_EQ(CadreFromJson(last.after_json).value(), changed);
    ExpectVerifies(*store_);
}

TEST_P(StoreContract, PairingWritesNeedATransaction) {
    const std::string kNoTx = "store.no_transaction";
    EXPECT_EQ(CodeOf(store_->InsertCadre(MakeCadre("a"), kChange)), kNoTx);
    EXPECT_EQ(CodeOf(store_->UpdateCadre(CadreRecord{1, MakeCadre("a")}, MakeCadre("b"), kChange)), kNoTx);
    EXPECT_EQ(CodeOf(store_->InsertPairing(MakePairing("H1", 1, {2016, 1, 1}), kChange)), kNoTx);
    EXPECT_EQ(CodeOf(store_->EndPairing(1, {2016, 1, 1}, "x", kChange)), kNoTx);
    EXPECT_EQ(CodeOf(store_->AdoptPairingNames({}, {2016, 1, 1}, "x", false, kChange)), kNoTx);
    EXPECT_EQ(CodeOf(store_->InsertTeamMember({.village_code = "540425100201", .cadre_id = 1}, kChange)), kNoTx);
    EXPECT_EQ(CodeOf(store_->UpdateTeamMember({}, {}, kChange)), kNoTx);
    EXPECT_EQ(CodeOf(store_->PutOnPostDays({1, 2017, 1, 20}, kChange)), kNoTx);
    EXPECT_EQ(CodeOf(store_->InsertVisit(MakeVisit("c-0000001", "H1", 1, {2017, 1, 1}), "", kChange)), kNoTx);
    EXPECT_EQ(CodeOf(store_->PutHouseholdPlace({.household_code = "H1"}, kChange)), kNoTx);
    EXPECT_EQ(store_->LastChangeSeq().value(), 1) << "only the org units";
}

// --- Pairings ------------------------------------------------------------------------------------

TEST_P(StoreContract, APairingHasHistoryAndAtMostOneCurrent) {
    ASSERT_TRUE(store_->Begin());
    const int64_t c1 = store_->InsertCadre(MakeCadre("张伟"), kChange).value();
    const int64_t c2 = store_->InsertCadre(MakeCadre("李娜"), kChange).value();
    const int64_t p1 = store_->InsertPairing(MakePairing("H1", c1, {2016, 3, 1}), kChange).value();
    EXPECT_EQ(CodeOf(store_->InsertPairing(MakePairing("H1", c2, {2016, 4, 1}), kChange)), "pairing.current_exists");
    EXPECT_EQ(CodeOf(store_->InsertPairing(MakePairing("H2", 999, {2016, 4, 1}), kChange)), "store.foreign_key");
    Pairing backwards = MakePairing("H2", c1, {2016, 4, 1});
    backwards.to = Date{2016, 3, 1};
    EXPECT_EQ(CodeOf(store_->InsertPairing(backwards, kChange)), "pairing.invalid");
    const int64_t p2 = store_->InsertPairing(MakePairing("H2", c1, {2016, 3, 1}, "540425100200"), kChange).value();
    ASSERT_TRUE(store_->Commit());

    Pairing expected = MakePairing("H1", c1, {2016, 3, 1});
    expected.id = p1;
    EXPECT_EQ(store_->CurrentPairing("H1").value(), std::optional<Pairing>(expected));
    EXPECT_FALSE(store_->CurrentPairing("H9").value().has_value());

    ASSERT_TRUE(store_->Begin());
    EXPECT_EQ(CodeOf(store_->EndPairing(p1, {2016, 2, 1}, "调离", kChange)), "pairing.invalid");
    EXPECT_EQ(CodeOf(store_->EndPairing(4242, {2017, 2, 1}, "调离", kChange)), "pairing.not_found");
    ASSERT_TRUE(store_->EndPairing(p1, {2017, 5, 31}, "调离", kChange));
    EXPECT_EQ(CodeOf(store_->EndPairing(p1, {2017, 6, 1}, "调离", kChange)), "pairing.ended");
    const int64_t p3 = store_->InsertPairing(MakePairing("H1", c2, {2017, 6, 1}), kChange).value();
    ASSERT_TRUE(store_->Commit());

    const std::vector<Pairing> history = store_->ListPairings({.household_code = "H1"}).value();
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(history[0].id, p1);
    EXPECT_EQ(history[0].to, std::optional<Date>(Date{2017, 5, 31}));
    EXPECT_EQ(history[0].end_reason, "调离");
    EXPECT_EQ(history[1].id, p3);
    EXPECT_TRUE(history[1].current());
    EXPECT_EQ(store_->CurrentPairing("H1").value()->cadre_id, c2);

    auto ids = [&](const PairingFilter& f) {
        std::vector<int64_t> out;
        const auto list = store_->ListPairings(f).value();
        for (const Pairing& p : list) out.push_back(p.id);
        return out;
    };
    EXPECT_EQ(ids({}), (std::vector<int64_t>{p1, p3, p2}));
    EXPECT_EQ(ids({.cadre_id = c1}), (std::vector<int64_t>{p1, p2}));
    EXPECT_EQ(ids({.division_prefix = "540425100200"}), (std::vector<int64_t>{p2}));
    EXPECT_EQ(ids({.current_only = true}), (std::vector<int64_t>{p3, p2}));
    EXPECT_EQ(ids({.after_household = "H1"}), (std::vector<int64_t>{p2}));
    EXPECT_EQ(ids({.limit = 1}), (std::vector<int64_t>{p1}));

    std::vector<std::string> current;
    ASSERT_TRUE(store_->ScanCurrentPairings("", [&](const Pairing& p) {
        current.push_back(p.household_code + ":" + std::to_string(p.cadre_id));
        return true;
    }));
    EXPECT_EQ(current, (std::vector<std::string>{"H1:" + std::to_string(c2), "H2:" + std::to_string(c1)}));
    current.clear();
    ASSERT_TRUE(store_->ScanCurrentPairings("540425100201", [&](const Pairing& p) {
        current.push_back(p.household_code);
        return true;
    }));
    EXPECT_EQ(current, (std::vector<std::string>{"H1"}));
    EXPECT_EQ(store_->CadreLoads("").value(), (std::vector<std::pair<int64_t, int64_t>>{{c1, 1}, {c2, 1}}));
    EXPECT_EQ(store_->CadreLoads("540425100200").value(), (std::vector<std::pair<int64_t, int64_t>>{{c1, 1}}));

    EXPECT_EQ(Entities(*store_, {.entity = "pairing"}),
              (std::vector<std::string>{"pairing " + std::to_string(p1) + " insert", "pairing " + std::to_string(p2) + " insert",
                                        "pairing " + std::to_string(p1) + " update",
                                        "pairing " + std::to_string(p3) + " insert"}));
    ExpectVerifies(*store_);
}

// --- Work teams ----------------------------------------------------------------------------------

TEST_P(StoreContract, WorkTeamsKeepOneFirstSecretaryAndTheirOnPostDays) {
    ASSERT_TRUE(store_->Begin());
    const int64_t c1 = store_->InsertCadre(MakeCadre("张伟"), kChange).value();
    const int64_t c2 = store_->InsertCadre(MakeCadre("李娜"), kChange).value();
    TeamMember fs{.village_code = "540425100201", .cadre_id = c1, .role = kRoleFirstSecretary, .from = {2016, 1, 1},
                  .to = Date{2016, 12, 31}};
    const int64_t m1 = store_->InsertTeamMember(fs, kChange).value();
    TeamMember second = fs;
    second.cadre_id = c2;
    second.from = {2016, 6, 1};
    second.to.reset();
    EXPECT_EQ(CodeOf(store_->InsertTeamMember(second, kChange)), "team.first_secretary_exists");
    second.from = {2017, 1, 1};
    const int64_t m2 = store_->InsertTeamMember(second, kChange).value();
    const int64_t m3 = store_->InsertTeamMember({.village_code = "540425100200", .cadre_id = c1,
                                                 .role = kRoleTeamMember, .from = {2016, 1, 1}},
                                                kChange)
                           .value();
    EXPECT_EQ(CodeOf(store_->InsertTeamMember({.village_code = "540425100200", .cadre_id = 555, .from = {2016, 1, 1}},
                                              kChange)),
              "store.foreign_key");
    ASSERT_TRUE(store_->Commit());

    fs.id = m1;
    EXPECT_EQ(store_->FindTeamMember(m1).value(), std::optional<TeamMember>(fs));
    // Stretching the first one over the second's time is refused; a stale `before` too.
    TeamMember longer = fs;
    longer.to = Date{2017, 3, 1};
    TeamMember stale = fs;
    stale.role = kRoleTeamLeader;
    ASSERT_TRUE(store_->Begin());
    EXPECT_EQ(CodeOf(store_->UpdateTeamMember(fs, longer, kChange)), "team.first_secretary_exists");
    EXPECT_EQ(CodeOf(store_->UpdateTeamMember(stale, longer, kChange)), "store.conflict");
    TeamMember ended = fs;
    ended.to = Date{2016, 11, 30};
    ASSERT_TRUE(store_->UpdateTeamMember(fs, ended, kChange));
    ASSERT_TRUE(store_->PutOnPostDays({m1, 2016, 11, 18}, kChange));
    ASSERT_TRUE(store_->PutOnPostDays({m1, 2016, 11, 22}, kChange));  // replaces
    ASSERT_TRUE(store_->PutOnPostDays({m1, 2016, 10, 25}, kChange));
    ASSERT_TRUE(store_->PutOnPostDays({m3, 2017, 1, 12}, kChange));
    EXPECT_EQ(CodeOf(store_->PutOnPostDays({9999, 2017, 1, 12}, kChange)), "store.foreign_key");
    ASSERT_TRUE(store_->Commit());
    EXPECT_EQ(store_->FindTeamMember(m1).value()->to, std::optional<Date>(Date{2016, 11, 30}));

    auto ids = [](const std::vector<TeamMember>& v) {
        std::vector<int64_t> out;
        for (const TeamMember& m : v) out.push_back(m.id);
        return out;
    };
    EXPECT_EQ(ids(store_->ListTeamMembers("", std::nullopt).value()), (std::vector<int64_t>{m3, m1, m2}));
    EXPECT_EQ(ids(store_->ListTeamMembers("540425100201", std::nullopt).value()), (std::vector<int64_t>{m1, m2}));
    EXPECT_EQ(ids(store_->ListTeamMembers("", Date{2017, 2, 1}).value()), (std::vector<int64_t>{m3, m2}));
    EXPECT_EQ(ids(store_->ListTeamMembers("540425100201", Date{2016, 12, 15}).value()), (std::vector<int64_t>{}));

    EXPECT_EQ(store_->ListOnPostDays("", 2016, 1, 2017, 12).value(),
              (std::vector<OnPostDays>{{m1, 2016, 10, 25}, {m1, 2016, 11, 22}, {m3, 2017, 1, 12}}));
    EXPECT_EQ(store_->ListOnPostDays("540425100201", 2016, 11, 2017, 12).value(),
              (std::vector<OnPostDays>{{m1, 2016, 11, 22}}));
    EXPECT_EQ(store_->ListOnPostDays("540425100200", 2016, 1, 2016, 12).value(), (std::vector<OnPostDays>{}));

    const std::string key = std::to_string(m1) + "/2016-11";
    const std::vector<ChangeLogEntry> days = store_->ChangeLog({.entity = "on_post", .entity_key = key}).value();
    ASSERT_EQ(days.size(), 2u);
    EXPECT_EQ(days[0].action, "insert");
    EXPECT_EQ(days[1].action, "update");
    EXPECT_NE(days[1].before_json.find("\"days\":18"), std::string::npos);
    EXPECT_NE(days[1].after_json.find("\"days\":22"), std::string::npos);
    ExpectVerifies(*store_);
}

// --- Visits --------------------------------------------------------------------------------------

TEST_P(StoreContract, VisitsAreStoredOnceByClientIdAndKeepTheSummary) {
    ASSERT_TRUE(store_->Begin());
    const int64_t c1 = store_->InsertCadre(MakeCadre("张伟"), kChange).value();
    Visit v1 = MakeVisit("c-0000001", "H1", c1, {2017, 5, 6});
    v1.photo = PhotoType::kJpeg;
    v1.place = GeoPoint{28'660'000, 97'460'000, 12};
    auto first = store_->InsertVisit(v1, kJpeg, kChange).value();
    EXPECT_TRUE(first.inserted);
    EXPECT_GT(first.visit.id, 0);
    EXPECT_EQ(first.visit.photo_bytes, static_cast<int64_t>(kJpeg.size()));
    // The retried upload: nothing new, the stored visit back.
    Visit retried = v1;
    retried.discussed = "另一次上传的文字";
    auto again = store_->InsertVisit(retried, kJpeg, kChange).value();
    EXPECT_FALSE(again.inserted);
    EXPECT_EQ(again.visit, first.visit);
    // An earlier visit leaves the kept last visit as it is; a photo type without bytes is none.
    Visit earlier = MakeVisit("c-0000002", "H1", c1, {2017, 3, 1});
    earlier.photo = PhotoType::kPng;
    const auto e = store_->InsertVisit(earlier, "", kChange).value();
    EXPECT_EQ(e.visit.photo, PhotoType::kNone);
    EXPECT_EQ(e.visit.photo_bytes, 0);
    Visit far = MakeVisit("c-0000003", "H2", c1, {2017, 4, 2}, "540425100200");
    far.distance_m = 5400;
    far.far = true;
    const auto f = store_->InsertVisit(far, "", kChange).value();
    ASSERT_TRUE(store_->Commit());

    EXPECT_EQ(store_->FindVisit(first.visit.id).value(), std::optional<Visit>(first.visit));
    EXPECT_EQ(store_->FindVisitByClientId("c-0000003").value(), std::optional<Visit>(f.visit));
    EXPECT_FALSE(store_->FindVisitByClientId("c-nope-nope").value().has_value());
    EXPECT_EQ(store_->VisitPhoto(first.visit.id).value(), std::optional<std::string>(kJpeg));
    EXPECT_FALSE(store_->VisitPhoto(e.visit.id).value().has_value());

    auto ids = [&](const VisitFilter& filter) {
        std::vector<int64_t> out;
        const auto list = store_->ListVisits(filter).value();
        for (const Visit& v : list) out.push_back(v.id);
        return out;
    };
    const int64_t i1 = first.visit.id, i2 = e.visit.id, i3 = f.visit.id;
    EXPECT_EQ(ids({}), (std::vector<int64_t>{i1, i3, i2})) << "newest first";
    EXPECT_EQ(ids({.household_code = "H1"}), (std::vector<int64_t>{i1, i2}));
    EXPECT_EQ(ids({.cadre_id = c1, .limit = 2}), (std::vector<int64_t>{i1, i3}));
    EXPECT_EQ(ids({.division_prefix = "540425100200"}), (std::vector<int64_t>{i3}));
    EXPECT_EQ(ids({.from = Date{2017, 3, 2}, .to = Date{2017, 5, 1}}), (std::vector<int64_t>{i3}));
    EXPECT_EQ(ids({.far = true}), (std::vector<int64_t>{i3}));
    EXPECT_EQ(ids({.far = false}), (std::vector<int64_t>{i1, i2}));
    EXPECT_EQ(ids({.before_id = i3}), (std::vector<int64_t>{i1, i2}));

    std::vector<std::string> summaries;
    ASSERT_TRUE(store_->ScanVisitSummaries("", [&](const VisitSummary& s) {
        summaries.push_back(s.household_code + " " + s.division_code + " " + s.last_visit.ToString() + " " +
                            std::to_string(s.visits));
        return true;
    }));
    EXPECT_EQ(summaries, (std::vector<std::string>{"H1 540425100201 2017-05-06 2", "H2 540425100200 2017-04-02 1"}));
    summaries.clear();
    ASSERT_TRUE(store_->ScanVisitSummaries("540425100200", [&](const VisitSummary& s) {
        summaries.push_back(s.household_code);
        return true;
    }));
    EXPECT_EQ(summaries, (std::vector<std::string>{"H2"}));

    // As of a past day, from the visits.
    std::vector<std::string> as_of;
    auto scan = [&](const std::string& prefix, Date qs, Date on) {
        as_of.clear();
        EXPECT_TRUE(store_->ScanVisitsAsOf(prefix, qs, on, [&](const std::string& h, const Date& last, int n) {
            as_of.push_back(h + " " + last.ToString() + " " + std::to_string(n));
            return true;
        }));
        return as_of;
    };
    EXPECT_EQ(scan("", {2017, 4, 1}, {2017, 4, 30}),
              (std::vector<std::string>{"H1 2017-03-01 0", "H2 2017-04-02 1"}));
    EXPECT_EQ(scan("540425100201", {2017, 4, 1}, {2017, 6, 30}), (std::vector<std::string>{"H1 2017-05-06 1"}));
    EXPECT_EQ(scan("", {2017, 1, 1}, {2017, 2, 1}), (std::vector<std::string>{}));

    EXPECT_EQ(Entities(*store_, {.entity = "visit"}),
              (std::vector<std::string>{"visit c-0000001 insert", "visit c-0000002 insert", "visit c-0000003 insert"}))
        << "the retry wrote nothing";
    ExpectVerifies(*store_);
}

TEST_P(StoreContract, HouseholdPlacesArePutAndFound) {
    HouseholdPlace p{.household_code = "H1", .division_code = "540425100201", .place = {28'660'000, 97'460'000, 30},
                     .recorded_on = {2016, 8, 1}, .source = "survey"};
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->PutHouseholdPlace(p, kChange));
    ASSERT_TRUE(store_->Commit());
    EXPECT_EQ(store_->FindHouseholdPlace("H1").value(), std::optional<HouseholdPlace>(p));
    EXPECT_FALSE(store_->FindHouseholdPlace("H2").value().has_value());
    HouseholdPlace moved = p;
    moved.place.lat_e6 += 1000;
    moved.source = "visit";
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->PutHouseholdPlace(moved, kChange));
    ASSERT_TRUE(store_->Commit());
    EXPECT_EQ(store_->FindHouseholdPlace("H1").value(), std::optional<HouseholdPlace>(moved));
    EXPECT_EQ(Entities(*store_, {.entity = "household_place"}),
              (std::vector<std::string>{"household_place H1 insert", "household_place H1 update"}));
    ExpectVerifies(*store_);
}

// --- Adoption of the free-text names ------------------------------------------------------------

struct AdoptionFixture {
    Store& store;
    void Put(const std::string& code, int seq, const std::string& division, const std::string& name,
             int status = codes::kStatusNotExited) {
        Household h = MakeHousehold(code, seq);
        h.division_code = division;
        h.pairing_cadre = name;
        h.status = status;
        if (status == codes::kStatusExited) h.exit_year = 2016;
        auto existing = store.FindHousehold(code).value();
        if (existing)
            EXPECT_TRUE(store.UpdateHousehold(*existing, h, kChange));
        else
            EXPECT_TRUE(store.InsertHousehold(h, kChange));
    }
    std::string CadreOf(const std::string& code) {
        auto p = store.CurrentPairing(code).value();
        if (!p) return "-";
        const CadreRecord c = store.FindCadre(p->cadre_id).value().value();
        return c.cadre.name + "@" + c.cadre.township_code + "/" + std::to_string(c.cadre.rank);
    }
};

// As migration 006 runs it: every household, names become cadres of rank unknown.
TEST_P(StoreContract, AdoptionTurnsEveryNameIntoACadreAndAPairing) {
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->SaveOrgUnits(TwoTownships(), kChange));
    AdoptionFixture f{*store_};
    f.Put("A1", 1, "540425100201", "张伟");
    f.Put("A2", 2, "540425100200", " 张伟 ");           // the same name, trimmed
    f.Put("A3", 3, "540425200201", "张伟");             // another township: the only 张伟 county-wide
    f.Put("A4", 4, "540425200201", "李娜");
    f.Put("A5", 5, "540425100201", "");                 // no name: nothing
    f.Put("A6", 6, "540425100201", "王芳", codes::kStatusExited);
    // A cadre of the name already in township 200: hers, not a new one.
    const int64_t known = store_->InsertCadre(MakeCadre("李娜", "540425200", kRankSectionChief), kChange).value();
    ASSERT_TRUE(store_->Commit());

    ASSERT_TRUE(store_->Begin());
    const AdoptionReport r =
        store_->AdoptPairingNames({}, {2026, 11, 29}, "migrated from the free-text pairing cadre / 由原帮扶责任人文本迁移",
                                  false, kChange)
            .value();
    ASSERT_TRUE(store_->Commit());
    EXPECT_EQ(r.cadres_created, 2);
    EXPECT_EQ(r.pairings_begun, 5);
    EXPECT_EQ(r.pairings_ended, 0);
    EXPECT_EQ(r.names_created, (std::vector<std::string>{"张伟 (540425100)", "王芳 (540425100)"}));
    EXPECT_EQ(f.CadreOf("A1"), "张伟@540425100/9");
    EXPECT_EQ(f.CadreOf("A2"), "张伟@540425100/9");
    EXPECT_EQ(f.CadreOf("A3"), "张伟@540425100/9");
    EXPECT_EQ(f.CadreOf("A4"), "李娜@540425200/2");
    EXPECT_EQ(store_->CurrentPairing("A4").value()->cadre_id, known);
    EXPECT_EQ(f.CadreOf("A5"), "-");
    EXPECT_EQ(f.CadreOf("A6"), "王芳@540425100/9");
    const Pairing a1 = store_->CurrentPairing("A1").value().value();
    EXPECT_EQ(a1.from, (Date{2026, 11, 29}));
    EXPECT_EQ(a1.reason, "migrated from the free-text pairing cadre / 由原帮扶责任人文本迁移");
    EXPECT_EQ(a1.division_code, "540425100201");
    EXPECT_EQ(store_->ListCadres({.rank = kRankUnknown}).value().size(), 2u);

    // Run again: nothing to do.
    ASSERT_TRUE(store_->Begin());
    const int64_t seq = store_->LastChangeSeq().value();
    const AdoptionReport again = store_->AdoptPairingNames({}, {2026, 11, 30}, "again", false, kChange).value();
    ASSERT_TRUE(store_->Commit());
    EXPECT_EQ(again.cadres_created + again.pairings_begun + again.pairings_ended, 0);
    EXPECT_EQ(store_->LastChangeSeq().value(), seq);
    ExpectVerifies(*store_);
}

// As a registry import runs it: only the households given, and an empty name ends a pairing.
TEST_P(StoreContract, AdoptionOfChangedNamesEndsAndBeginsPairings) {
    ASSERT_TRUE(store_->Begin());
    AdoptionFixture f{*store_};
    f.Put("B1", 1, "540425100201", "张伟");
    f.Put("B2", 2, "540425100201", "张伟");
    f.Put("B3", 3, "540425100201", "张伟", codes::kStatusExited);
    f.Put("B4", 4, "540425100201", "张伟");
    ASSERT_TRUE(store_->AdoptPairingNames({}, {2017, 1, 1}, "迁移", false, kChange));
    ASSERT_TRUE(store_->Commit());

    ASSERT_TRUE(store_->Begin());
    f.Put("B1", 1, "540425100201", "李娜");
    f.Put("B2", 2, "540425100201", "");
    f.Put("B3", 3, "540425100201", "", codes::kStatusExited);
    f.Put("B4", 4, "540425100201", "");  // changed, but not in this import's list
    const AdoptionReport r =
        store_->AdoptPairingNames({"B1", "B2", "B3", "B1", "B9"}, {2017, 6, 1}, "import / 导入", true, kChange).value();
    ASSERT_TRUE(store_->Commit());
    EXPECT_EQ(r.cadres_created, 1);
    EXPECT_EQ(r.pairings_begun, 1);
    EXPECT_EQ(r.pairings_ended, 2);
    EXPECT_EQ(f.CadreOf("B1"), "李娜@540425100/9");
    EXPECT_EQ(f.CadreOf("B2"), "-");
    EXPECT_EQ(f.CadreOf("B3"), "张伟@540425100/9") << "an exited household keeps its pairing on an empty name";
    EXPECT_EQ(f.CadreOf("B4"), "张伟@540425100/9") << "not in the list";
    const std::vector<Pairing> b1 = store_->ListPairings({.household_code = "B1"}).value();
    ASSERT_EQ(b1.size(), 2u);
    EXPECT_EQ(b1[0].to, std::optional<Date>(Date{2017, 5, 31})) << "the day before the new one";
    EXPECT_EQ(b1[0].end_reason, "import / 导入");
    EXPECT_EQ(b1[1].from, (Date{2017, 6, 1}));
    EXPECT_EQ(b1[1].reason, "import / 导入");

    // The same day again, the name changed back: the pairing begun that day ends that day.
    ASSERT_TRUE(store_->Begin());
    f.Put("B1", 1, "540425100201", "张伟");
    ASSERT_TRUE(store_->AdoptPairingNames({"B1"}, {2017, 6, 1}, "import / 导入", true, kChange));
    ASSERT_TRUE(store_->Commit());
    const std::vector<Pairing> again = store_->ListPairings({.household_code = "B1"}).value();
    ASSERT_EQ(again.size(), 3u);
    EXPECT_EQ(again[1].to, std::optional<Date>(Date{2017, 6, 1}));
    EXPECT_EQ(f.CadreOf("B1"), "张伟@540425100/9");

    // Without empty_ends an empty name keeps the pairing.
    ASSERT_TRUE(store_->Begin());
    f.Put("B4", 4, "540425100201", "");
    const AdoptionReport kept = store_->AdoptPairingNames({"B4"}, {2017, 7, 1}, "x", false, kChange).value();
    ASSERT_TRUE(store_->Commit());
    EXPECT_EQ(kept.pairings_ended, 0);
    EXPECT_EQ(f.CadreOf("B4"), "张伟@540425100/9");
    ExpectVerifies(*store_);
}

// --- Replay and scope ----------------------------------------------------------------------------

// Every kind of write leaves a log that replays onto the rows.
TEST_P(StoreContract, EveryPairingWriteReplays) {
    ASSERT_TRUE(store_->Begin());
    const int64_t c = store_->InsertCadre(MakeCadre("张伟"), kChange).value();
    ASSERT_TRUE(store_->Commit());
    ExpectVerifies(*store_);
    ASSERT_TRUE(store_->Begin());
    const CadreRecord rec = store_->FindCadre(c).value().value();
    Cadre changed = rec.cadre;
    changed.phone = "13800000000";
    ASSERT_TRUE(store_->UpdateCadre(rec, changed, kChange));
    ASSERT_TRUE(store_->Commit());
    ExpectVerifies(*store_);
    ASSERT_TRUE(store_->Begin());
    const int64_t p = store_->InsertPairing(MakePairing("H1", c, {2016, 1, 1}), kChange).value();
    ASSERT_TRUE(store_->Commit());
    ExpectVerifies(*store_);
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->EndPairing(p, {2016, 12, 31}, "调离", kChange));
    ASSERT_TRUE(store_->Commit());
    ExpectVerifies(*store_);
    ASSERT_TRUE(store_->Begin());
    TeamMember m{.village_code = "540425100201", .cadre_id = c, .role = kRoleTeamLeader, .from = {2016, 1, 1}};
    m.id = store_->InsertTeamMember(m, kChange).value();
    ASSERT_TRUE(store_->Commit());
    ExpectVerifies(*store_);
    ASSERT_TRUE(store_->Begin());
    TeamMember m2 = m;
    m2.to = Date{2017, 1, 1};
    ASSERT_TRUE(store_->UpdateTeamMember(m, m2, kChange));
    ASSERT_TRUE(store_->PutOnPostDays({m.id, 2016, 5, 21}, kChange));
    ASSERT_TRUE(store_->Commit());
    ExpectVerifies(*store_);
    ASSERT_TRUE(store_->Begin());
    Visit with_photo = MakeVisit("c-0000001", "H1", c, {2016, 5, 1});
    with_photo.photo = PhotoType::kJpeg;
    EXPECT_EQ(CodeOf(store_->InsertVisit(MakeVisit("c-0000009", "H1", c, {2016, 5, 1}), kJpeg, kChange)),
              "visit.invalid")
        << "bytes without their type";
    ASSERT_TRUE(store_->InsertVisit(with_photo, kJpeg, kChange));
    ASSERT_TRUE(store_->PutHouseholdPlace({.household_code = "H1", .division_code = "540425100201",
                                           .place = {1, 2, 3}, .recorded_on = {2016, 1, 1}, .source = "survey"},
                                          kChange));
    ASSERT_TRUE(store_->Commit());
    ExpectVerifies(*store_);
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->InsertHousehold(MakeHousehold("H2", 2), kChange));
    ASSERT_TRUE(store_->AdoptPairingNames({}, {2017, 1, 1}, "迁移", true, kChange));
    ASSERT_TRUE(store_->Commit());
    ExpectVerifies(*store_);
    EXPECT_EQ(store_->VerifyChangeLog().value().rows, 8)
        << "org units are not rows; household, the cadre (H2's 张伟 is the township's), 2 pairings, member,"
           " on-post, visit, place";
    EXPECT_EQ(store_->ListCadres({}).value().size(), 1u);
}

TEST_P(StoreContract, ChangeLogScopeCoversThePairingEntitiesByTheirDivision) {
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->SaveOrgUnits(TwoTownships(), kChange));
    const int64_t here = store_->InsertCadre(MakeCadre("张伟", "540425100"), kChange).value();
    const int64_t there = store_->InsertCadre(MakeCadre("李娜", "540425200"), kChange).value();
    const int64_t county = store_->InsertCadre(MakeCadre("王芳", ""), kChange).value();
    const int64_t p = store_->InsertPairing(MakePairing("H1", here, {2016, 1, 1}), kChange).value();
    store_->InsertPairing(MakePairing("H2", there, {2016, 1, 1}, "540425200201"), kChange).value();
    const int64_t m = store_->InsertTeamMember({.village_code = "540425100201", .cadre_id = here,
                                                .role = kRoleFirstSecretary, .from = {2016, 1, 1}},
                                               kChange)
                          .value();
    store_->InsertTeamMember({.village_code = "540425200201", .cadre_id = there, .from = {2016, 1, 1}}, kChange).value();
    ASSERT_TRUE(store_->PutOnPostDays({m, 2016, 3, 20}, kChange));
    ASSERT_TRUE(store_->InsertVisit(MakeVisit("c-here-01", "H1", here, {2016, 5, 1}), "", kChange));
    ASSERT_TRUE(store_->InsertVisit(MakeVisit("c-there-01", "H2", there, {2016, 5, 1}, "540425200201"), "", kChange));
    ASSERT_TRUE(store_->PutHouseholdPlace({.household_code = "H1", .division_code = "540425100201",
                                           .place = {1, 2, 3}, .recorded_on = {2016, 1, 1}},
                                          kChange));
    ASSERT_TRUE(store_->Commit());
    const std::vector<std::string> village = Entities(*store_, {.division_prefix = "540425100201"});
    EXPECT_EQ(village, (std::vector<std::string>{"pairing " + std::to_string(p) + " insert",
                                                 "team_member " + std::to_string(m) + " insert",
                                                 "on_post " + std::to_string(m) + "/2016-03 insert",
                                                 "visit c-here-01 insert", "household_place H1 insert"}));
    const std::vector<std::string> township = Entities(*store_, {.division_prefix = "540425100"});
    EXPECT_EQ(township.size(), village.size() + 1);
    EXPECT_EQ(township.front(), "cadre " + std::to_string(here) + " insert");
    const std::vector<std::string> all = Entities(*store_, {.division_prefix = "540425"});
    EXPECT_EQ(std::ranges::count(all, "cadre " + std::to_string(county) + " insert"), 1);
    EXPECT_EQ(std::ranges::count(all, "cadre " + std::to_string(there) + " insert"), 1);
    EXPECT_EQ(std::ranges::count(township, "cadre " + std::to_string(county) + " insert"), 0)
        << "a county-wide cadre belongs to the county";
}

// --- SQLite: the partial unique index, the audit of tampered rows ------------------------------

TEST(SqlitePairing, TheDatabaseItselfRefusesASecondCurrentPairing) {
    const std::string path = TempPath("pairing-unique.db");
    auto store = OpenSqliteStore(path, OpenMode::kCreate).value();
    ASSERT_TRUE(store->Begin());
    ASSERT_TRUE(store->SaveOrgUnits(SmallTree(), kChange));
    const int64_t c = store->InsertCadre(MakeCadre("张伟"), kChange).value();
    ASSERT_TRUE(store->InsertPairing(MakePairing("H1", c, {2016, 1, 1}), kChange));
    ASSERT_TRUE(store->Commit());
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    const std::string insert =
        "INSERT INTO pairing (household_code, division_code, cadre_id, from_date, to_date, reason, updated_at)"
        " VALUES ('H1', '540425100201', " + std::to_string(c) + ", 20170101, ";
    EXPECT_EQ(sqlite3_exec(db, (insert + "NULL, 'x', 'now')").c_str(), nullptr, nullptr, nullptr), SQLITE_CONSTRAINT);
    EXPECT_EQ(sqlite3_exec(db, (insert + "20170201, 'x', 'now')").c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << "ended pairings are history, any number";
    EXPECT_EQ(sqlite3_exec(db, "INSERT INTO cadre (version, name, id_number, rank, division_code, updated_at)"
                               " VALUES (1, 'a', '', 9, '540425', 'now'), (1, 'b', '', 9, '540425', 'now')",
                           nullptr, nullptr, nullptr),
              SQLITE_OK)
        << "cadres without an ID number do not collide";
    sqlite3_close(db);
}

std::string MakePairingDatabase(int64_t& member, int64_t& visit_id) {
    const std::string path = TempPath("pairing-audit.db");
    auto store = OpenSqliteStore(path, OpenMode::kCreate).value();
    EXPECT_TRUE(store->Begin());
    EXPECT_TRUE(store->SaveOrgUnits(SmallTree(), kChange));
    const int64_t c = store->InsertCadre(MakeCadre("张伟"), kChange).value();
    EXPECT_TRUE(store->InsertPairing(MakePairing("H1", c, {2016, 1, 1}), kChange));
    member = store->InsertTeamMember({.village_code = "540425100201", .cadre_id = c, .from = {2016, 1, 1}}, kChange)
                 .value();
    EXPECT_TRUE(store->PutOnPostDays({member, 2016, 3, 20}, kChange));
    Visit v = MakeVisit("c-0000001", "H1", c, {2016, 5, 1});
    v.photo = PhotoType::kJpeg;
    visit_id = store->InsertVisit(v, kJpeg, kChange).value().visit.id;
    EXPECT_TRUE(store->PutHouseholdPlace({.household_code = "H1", .division_code = "540425100201", .place = {1, 2, 3},
                                          .recorded_on = {2016, 1, 1}},
                                         kChange));
    EXPECT_TRUE(store->Commit());
    return path;
}

TEST(SqlitePairingAudit, TamperedRowsAreNamed) {
    using V = std::vector<std::string>;
    int64_t member = 0, visit = 0;
    EXPECT_EQ(AuditMismatches(MakePairingDatabase(member, visit)), V{});
    {
        const std::string path = MakePairingDatabase(member, visit);
        ExecOn(path, "UPDATE cadre SET rank = 1");
        ExecOn(path, "UPDATE pairing SET to_date = 20170101");
        EXPECT_EQ(AuditMismatches(path), (V{"audit.row_mismatch cadre 1 rank", "audit.row_mismatch pairing 1 to"}));
    }
    {
        const std::string path = MakePairingDatabase(member, visit);
        ExecOn(path, "UPDATE on_post SET days = 30");
        ExecOn(path, "UPDATE team_member SET role = 1");
        EXPECT_EQ(AuditMismatches(path), (V{"audit.row_mismatch team_member " + std::to_string(member) + " role",
                                       "audit.row_mismatch on_post " + std::to_string(member) + "/2016-03 days"}));
    }
    {
        const std::string path = MakePairingDatabase(member, visit);
        ExecOn(path, "UPDATE visit SET far = 1");
        ExecOn(path, "UPDATE household_place SET lat_e6 = 9");
        EXPECT_EQ(AuditMismatches(path), (V{"audit.row_mismatch visit c-0000001 far",
                                       "audit.row_mismatch household_place H1 place"}));
    }
    {
        const std::string path = MakePairingDatabase(member, visit);
        ExecOn(path, "UPDATE visit_summary SET visits = 2");
        ExecOn(path, "INSERT INTO visit_summary VALUES ('H7', '540425100201', 20160101, 1)");
        EXPECT_EQ(AuditMismatches(path), (V{"audit.row_derived visit_summary H1 visits",
                                       "audit.row_derived visit_summary H7 last_visit visits"}));
        ExecOn(path, "DELETE FROM visit_summary");
        EXPECT_EQ(AuditMismatches(path), (V{"audit.row_derived visit_summary H1 last_visit visits"}));
    }
    {
        const std::string path = MakePairingDatabase(member, visit);
        ExecOn(path, "UPDATE visit_photo SET bytes = x'00'");
        EXPECT_EQ(AuditMismatches(path), (V{"audit.row_derived visit c-0000001 photo"}));
    }
    {
        const std::string path = MakePairingDatabase(member, visit);
        ExecOn(path, "DELETE FROM visit_photo; DELETE FROM visit");
        ExecOn(path, "INSERT INTO household_place SELECT 'H2', division_code, lat_e6, lon_e6, accuracy_m,"
                     " recorded_on, source, updated_at FROM household_place");
        EXPECT_EQ(AuditMismatches(path), (V{"audit.row_unlogged household_place H2",
                                       "audit.row_derived visit_summary H1 last_visit visits",
                                       "audit.row_missing visit c-0000001"}));
    }
}

}  // namespace
}  // namespace jz::store_test
