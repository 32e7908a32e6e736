#include "core/pairing.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/codes.h"
#include "core/id_number.h"
#include "core/test_support.h"

namespace jz {
namespace {

using testing_support::Chayu;

bool HasField(const std::vector<Error>& errors, std::string_view field) {
    return std::ranges::any_of(errors, [&](const Error& e) { return e.field == field; });
}

Cadre GoodCadre() {
    Cadre c;
    c.name = "张伟";
    c.id_number = MakeIdNumber("540425", Date{1975, 3, 4}, 12);
    c.unit = "察隅县扶贫办";
    c.rank = kRankSectionChief;
    c.phone = "0894-5822001";
    c.township_code = "540425100";
    c.active_from = Date{2015, 1, 1};
    return c;
}

// --- Cadres ------------------------------------------------------------------------------------------

TEST(Cadre, ActiveOnHonoursBothBoundsAndOpenEnds) {
    Cadre c;
    EXPECT_TRUE(c.ActiveOn(Date{2016, 1, 1}));
    c.active_from = Date{2016, 3, 1};
    c.active_to = Date{2016, 12, 31};
    EXPECT_FALSE(c.ActiveOn(Date{2016, 2, 29}));
    EXPECT_TRUE(c.ActiveOn(Date{2016, 3, 1}));
    EXPECT_TRUE(c.ActiveOn(Date{2016, 12, 31}));
    EXPECT_FALSE(c.ActiveOn(Date{2017, 1, 1}));
}

TEST(Cadre, AGoodCadreHasNoProblems) {
    const auto errors = ValidateCadre(GoodCadre(), Chayu().plan);
    for (const Error& e : errors) ADD_FAILURE() << e.ToString();
    Cadre county_wide = GoodCadre();
    county_wide.township_code.clear();
    county_wide.id_number.clear();
    county_wide.phone.clear();
    county_wide.rank = kRankUnknown;
    EXPECT_TRUE(ValidateCadre(county_wide, Chayu().plan).empty());
}

TEST(Cadre, EveryProblemNamesItsField) {
    const Plan& plan = Chayu().plan;
    auto problems = [&](auto change) {
        Cadre c = GoodCadre();
        change(c);
        return ValidateCadre(c, plan);
    };
    EXPECT_TRUE(HasField(problems([](Cadre& c) { c.name.clear(); }), "name"));
    EXPECT_TRUE(HasField(problems([](Cadre& c) { c.name = std::string(51, 'a'); }), "name"));
    EXPECT_TRUE(HasField(problems([](Cadre& c) { c.name = "张\u202e伟"; }), "name"));
    EXPECT_TRUE(HasField(problems([](Cadre& c) { c.id_number = "540425197503041234"; }), "id_number"));
    // A valid number not in its normalised form (lower-case x) is refused with the form to use.
    const std::string with_x = [] {
        for (int seq = 0; seq < 1000; ++seq) {
            std::string id = MakeIdNumber("540425", Date{1975, 3, 4}, seq);
            if (id.back() == 'X') return id;
        }
        return std::string();
    }();
    ASSERT_FALSE(with_x.empty());
    const auto lower = problems([&](Cadre& c) { c.id_number = with_x.substr(0, 17) + "x"; });
    ASSERT_TRUE(HasField(lower, "id_number"));
    EXPECT_NE(lower.front().message_en.find(with_x), std::string::npos);
    EXPECT_TRUE(HasField(problems([](Cadre& c) { c.unit = std::string(101, 'u'); }), "unit"));
    EXPECT_TRUE(HasField(problems([](Cadre& c) { c.rank = 4; }), "rank"));
    EXPECT_TRUE(HasField(problems([](Cadre& c) { c.phone = "0894 5822001"; }), "phone"));
    EXPECT_TRUE(HasField(problems([](Cadre& c) { c.phone = std::string(21, '1'); }), "phone"));
    EXPECT_TRUE(HasField(problems([](Cadre& c) { c.township_code = "54042510"; }), "township_code"));
    EXPECT_TRUE(HasField(problems([](Cadre& c) { c.township_code = "540424100"; }), "township_code"));
    EXPECT_TRUE(HasField(problems([](Cadre& c) { c.active_to = Date{2014, 12, 31}; }), "active_to"));
    EXPECT_TRUE(HasField(problems([](Cadre& c) { c.active_from = Date{2015, 2, 30}; }), "active_from"));
    for (const Error& e : problems([](Cadre& c) { c.rank = 0; })) {
        EXPECT_EQ(e.code, "cadre.invalid");
        EXPECT_FALSE(e.message_zh.empty());
        EXPECT_FALSE(e.message_en.empty());
    }
}

TEST(Quota, ChayuQuotasByRankAndTheSmallestForAnUnknownRank) {
    const Plan& plan = Chayu().plan;
    EXPECT_EQ(QuotaOf(plan, kRankCounty), 3);
    EXPECT_EQ(QuotaOf(plan, kRankSectionChief), 2);
    EXPECT_EQ(QuotaOf(plan, kRankDeputyAndBelow), 1);
    EXPECT_EQ(QuotaOf(plan, kRankUnknown), 1);
    EXPECT_EQ(QuotaOf(Plan{}, kRankCounty), 1);
    Plan two;
    two.pairing_quotas = {{"county", "县级", 5}, {"section_chief", "正科", 4}};
    EXPECT_EQ(QuotaOf(two, kRankCounty), 5);
    EXPECT_EQ(QuotaOf(two, kRankDeputyAndBelow), 4);  // not in the plan: the smallest
    EXPECT_EQ(QuotaOf(two, kRankUnknown), 4);
}

// --- Assignment --------------------------------------------------------------------------------------

struct H {
    std::string code, village;
    bool needs = true;
    int64_t current = 0;
};

AssignProposal Propose(const std::vector<H>& hs, const std::vector<AssignCadre>& cadres) {
    std::vector<AssignHousehold> in;
    for (const H& h : hs) in.push_back({h.code, h.village, h.needs, h.current});
    return ProposeAssignment(in, cadres);
}

TEST(Assign, PrefersTheOwnTownshipThenTheNearestCode) {
    const std::vector<H> hs = {{"A1", "540425100201"}};
    // 540425101 shares 8 digits, 540425200 shares 6, the county-wide one counts as 6.
    const std::vector<AssignCadre> far = {{1, "540425200", 3, true}, {2, "540425101", 3, true}, {3, "", 3, true}};
    auto p = Propose(hs, far);
    ASSERT_EQ(p.pairs.size(), 1u);
    EXPECT_EQ(p.pairs[0].cadre_id, 2);
    EXPECT_FALSE(p.pairs[0].same_township);
    std::vector<AssignCadre> with_own = far;
    with_own.push_back({9, "540425100", 1, true});
    p = Propose(hs, with_own);
    ASSERT_EQ(p.pairs.size(), 1u);
    EXPECT_EQ(p.pairs[0].cadre_id, 9);
    EXPECT_TRUE(p.pairs[0].same_township);
    // Between a county-wide cadre and a cadre sharing 6 digits: the less loaded, then the lower id.
    p = Propose(hs, {{5, "540425200", 3, true}, {4, "", 3, true}});
    ASSERT_EQ(p.pairs.size(), 1u);
    EXPECT_EQ(p.pairs[0].cadre_id, 4);
}

TEST(Assign, SpreadsLoadByRatioComparedExactlyThenLowestId) {
    // Cadre 1: quota 3 with 1 kept (1/3); cadre 2: quota 2 with none (0/2).
    const std::vector<H> hs = {{"K1", "540425100201", true, 1}, {"N1", "540425100201"}, {"N2", "540425100201"},
                               {"N3", "540425100201"}};
    const auto p = Propose(hs, {{2, "540425100", 2, true}, {1, "540425100", 3, true}});
    ASSERT_EQ(p.pairs.size(), 3u);
    EXPECT_EQ(p.kept, 1);
    EXPECT_EQ(p.pairs[0].cadre_id, 2);  // N1: 0/2 < 1/3
    EXPECT_EQ(p.pairs[1].cadre_id, 1);  // N2: 1/3 < 1/2
    EXPECT_EQ(p.pairs[2].cadre_id, 2);  // N3: 1/2 < 2/3
    // Equal ratios (1/2 and 2/4, not equal in floating point for every pair, equal exactly): the
    // lower id.
    const std::vector<H> tie = {{"K1", "540425100201", true, 7}, {"K2", "540425100201", true, 4},
                                {"K3", "540425100201", true, 4}, {"N1", "540425100201"}};
    const auto t = Propose(tie, {{7, "540425100", 2, true}, {4, "540425100", 4, true}});
    ASSERT_EQ(t.pairs.size(), 1u);
    EXPECT_EQ(t.pairs[0].cadre_id, 4);
}

TEST(Assign, TakesHouseholdsInCodeOrderAndReportsByIndex) {
    // One place left: the household with the smaller code gets it, whatever its index.
    const std::vector<H> hs = {{"Z9", "540425100201"}, {"A1", "540425100201"}};
    const auto p = Propose(hs, {{1, "540425100", 1, true}});
    ASSERT_EQ(p.pairs.size(), 1u);
    EXPECT_EQ(p.pairs[0].household, 1u);
    ASSERT_EQ(p.uncovered.size(), 1u);
    EXPECT_EQ(p.uncovered[0].household, 0u);
    EXPECT_EQ(p.uncovered[0].reason, "no_capacity");
}

TEST(Assign, KeepsExistingPairsEvenOverQuotaAndUsesOnlyActiveCadresWithRoom) {
    const std::vector<H> hs = {{"K1", "540425100201", true, 1},  {"K2", "540425100201", true, 1},
                               {"X1", "540425100201", false, 0}, {"X2", "540425100201", false, 2},
                               {"N1", "540425100201"}};
    // Cadre 1 is over its quota (2 of 1); cadre 2 is full with an exited household's pairing;
    // cadre 3 is not serving; cadre 4 (another township) has room.
    const auto p = Propose(hs, {{1, "540425100", 1, true},
                                {2, "540425100", 1, true},
                                {3, "540425100", 3, false},
                                {4, "540425300", 1, true}});
    EXPECT_EQ(p.kept, 2);
    ASSERT_EQ(p.pairs.size(), 1u);
    EXPECT_EQ(p.pairs[0].household, 4u);
    EXPECT_EQ(p.pairs[0].cadre_id, 4);
    EXPECT_TRUE(p.uncovered.empty());
}

TEST(Assign, UncoveredSaysWhy) {
    const std::vector<H> hs = {{"N1", "540425100201"}};
    auto p = Propose(hs, {});
    ASSERT_EQ(p.uncovered.size(), 1u);
    EXPECT_EQ(p.uncovered[0].reason, "no_cadre");
    p = Propose(hs, {{1, "540425100", 3, false}});
    ASSERT_EQ(p.uncovered.size(), 1u);
    EXPECT_EQ(p.uncovered[0].reason, "no_cadre");
    p = Propose(hs, {{1, "540425100", 0, true}});
    ASSERT_EQ(p.uncovered.size(), 1u);
    EXPECT_EQ(p.uncovered[0].reason, "no_capacity");
}

TEST(Assign, SameAnswerWhateverTheOrderOfCadres) {
    std::vector<H> hs;
    for (int i = 0; i < 40; ++i)
        hs.push_back({"H" + std::to_string(100 + i), i % 3 ? "540425100201" : "540425201203"});
    std::vector<AssignCadre> cadres = {{5, "540425100", 2, true}, {3, "540425201", 1, true},
                                       {8, "", 3, true},          {1, "540425100", 1, true},
                                       {2, "540425202", 2, true}, {7, "540425100", 3, false}};
    const auto first = Propose(hs, cadres);
    std::ranges::reverse(cadres);
    EXPECT_EQ(Propose(hs, cadres), first);
    std::ranges::rotate(cadres, cadres.begin() + 2);
    EXPECT_EQ(Propose(hs, cadres), first);
}

// --- Work teams --------------------------------------------------------------------------------------

TEST(Team, MemberChecksAndActivity) {
    TeamMember m{0, "540425100201", 3, kRoleFirstSecretary, Date{2016, 1, 1}, std::nullopt};
    EXPECT_TRUE(ValidateTeamMember(m).empty());
    EXPECT_TRUE(m.ActiveOn(Date{2018, 1, 1}));
    EXPECT_FALSE(m.ActiveOn(Date{2015, 12, 31}));
    m.to = Date{2016, 6, 30};
    EXPECT_FALSE(m.ActiveOn(Date{2016, 7, 1}));
    TeamMember bad{0, "5404251002", 0, 7, Date{2016, 13, 1}, Date{2015, 1, 1}};
    const auto errors = ValidateTeamMember(bad);
    for (const char* field : {"village_code", "cadre_id", "role", "from"}) EXPECT_TRUE(HasField(errors, field)) << field;
    TeamMember backwards{0, "540425100201", 3, kRoleTeamMember, Date{2016, 5, 1}, Date{2016, 4, 30}};
    EXPECT_TRUE(HasField(ValidateTeamMember(backwards), "to"));
    for (const Error& e : errors) EXPECT_EQ(e.code, "team.invalid");
}

TEST(Team, OnPostDaysFitTheMonth) {
    EXPECT_TRUE(ValidateOnPostDays({1, 2016, 2, 29}).empty());
    EXPECT_TRUE(HasField(ValidateOnPostDays({1, 2017, 2, 29}), "days"));
    EXPECT_TRUE(ValidateOnPostDays({1, 2017, 1, 0}).empty());
    EXPECT_TRUE(HasField(ValidateOnPostDays({1, 2017, 4, 31}), "days"));
    EXPECT_TRUE(HasField(ValidateOnPostDays({1, 2017, 4, -1}), "days"));
    EXPECT_TRUE(HasField(ValidateOnPostDays({1, 2017, 13, 3}), "month"));
    EXPECT_TRUE(HasField(ValidateOnPostDays({1, 1999, 1, 3}), "year"));
}

// --- Visits ------------------------------------------------------------------------------------------

TEST(Visit, DistanceIsTheHaversineInWholeMetres) {
    const GeoPoint a{28'660'000, 97'470'000, 5};
    EXPECT_EQ(DistanceMetres(a, a), 0);
    // One degree of latitude on the mean sphere: 2πR / 360 = 111,195.08 m.
    EXPECT_EQ(DistanceMetres({0, 0, 0}, {1'000'000, 0, 0}), 111195);
    const GeoPoint b{28'669'000, 97'470'000, 5};  // 0.009° north: about 1 km
    EXPECT_EQ(DistanceMetres(a, b), 1001);
    EXPECT_EQ(DistanceMetres(a, b), DistanceMetres(b, a));
    // Antipodes: half the circumference, rounded.
    EXPECT_EQ(DistanceMetres({0, 0, 0}, {0, 180'000'000, 0}), 20015114);
}

std::string PngStart(uint32_t width, uint32_t height) {
    std::string s("\x89PNG\r\n\x1a\n", 8);
    s += std::string("\0\0\0\x0d", 4) + "IHDR";
    for (uint32_t v : {width, height})
        for (int shift = 24; shift >= 0; shift -= 8) s += static_cast<char>((v >> shift) & 0xFF);
    s += std::string("\x08\x02\0\0\0", 5);  // depth, colour type, compression, filter, interlace
    s += std::string(4, '\0');              // CRC (not checked)
    return s;
}

TEST(Visit, PhotosAreTypedByTheirContent) {
    EXPECT_EQ(SniffPhoto(std::string("\xFF\xD8\xFF\xE0\0\x10JFIF", 10)), PhotoType::kJpeg);
    EXPECT_EQ(SniffPhoto(std::string("\xFF\xD8\xFF\xDB\0\x43", 6)), PhotoType::kJpeg);
    EXPECT_EQ(SniffPhoto(std::string("\xFF\xD8\xFF\x00", 4)), PhotoType::kNone);  // no marker
    EXPECT_EQ(SniffPhoto(std::string("\xFF\xD8", 2)), PhotoType::kNone);
    EXPECT_EQ(SniffPhoto(PngStart(640, 480)), PhotoType::kPng);
    EXPECT_EQ(SniffPhoto(PngStart(0, 480)), PhotoType::kNone);
    EXPECT_EQ(SniffPhoto(PngStart(640, 480).substr(0, 20)), PhotoType::kNone);
    std::string not_ihdr = PngStart(640, 480);
    not_ihdr.replace(12, 4, "IDAT");
    EXPECT_EQ(SniffPhoto(not_ihdr), PhotoType::kNone);
    EXPECT_EQ(SniffPhoto("GIF89a......................................"), PhotoType::kNone);
    EXPECT_EQ(SniffPhoto("<svg xmlns='http://www.w3.org/2000/svg'/>"), PhotoType::kNone);
    EXPECT_EQ(SniffPhoto(""), PhotoType::kNone);
    EXPECT_EQ(PhotoMediaType(PhotoType::kJpeg), "image/jpeg");
    EXPECT_EQ(PhotoMediaType(PhotoType::kPng), "image/png");
    EXPECT_EQ(PhotoMediaType(PhotoType::kNone), "");
}

Visit GoodVisit() {
    Visit v;
    v.client_id = "3f2a9c1e-6b7d-4e8f-9a0b-1c2d3e4f5a6b";
    v.household_code = "5404251002010001";
    v.cadre_id = 4;
    v.date = Date{2017, 5, 2};
    v.discussed = "了解春耕情况\n讲解产业扶持政策";
    v.done = "";
    v.place = GeoPoint{28'660'000, 97'470'000, 12};
    return v;
}

TEST(Visit, AGoodVisitHasNoProblems) {
    for (const Error& e : ValidateVisit(GoodVisit(), Date{2017, 5, 2})) ADD_FAILURE() << e.ToString();
}

TEST(Visit, EveryProblemNamesItsField) {
    const Date today{2017, 6, 1};
    auto problems = [&](auto change) {
        Visit v = GoodVisit();
        change(v);
        return ValidateVisit(v, today);
    };
    EXPECT_TRUE(HasField(problems([](Visit& v) { v.client_id = "short"; }), "client_id"));
    EXPECT_TRUE(HasField(problems([](Visit& v) { v.client_id = "has space in it"; }), "client_id"));
    EXPECT_TRUE(HasField(problems([](Visit& v) { v.client_id = std::string(65, 'a'); }), "client_id"));
    EXPECT_TRUE(problems([](Visit& v) { v.client_id = std::string(64, 'a'); }).empty());
    EXPECT_TRUE(HasField(problems([](Visit& v) { v.household_code.clear(); }), "household_code"));
    EXPECT_TRUE(HasField(problems([](Visit& v) { v.household_code = "5404 2510"; }), "household_code"));
    EXPECT_TRUE(HasField(problems([](Visit& v) { v.cadre_id = 0; }), "cadre_id"));
    EXPECT_TRUE(HasField(problems([](Visit& v) { v.date = Date{2017, 6, 2}; }), "date"));
    EXPECT_TRUE(HasField(problems([](Visit& v) { v.date = Date{1999, 12, 31}; }), "date"));
    EXPECT_TRUE(HasField(problems([](Visit& v) { v.date = Date{}; }), "date"));
    EXPECT_TRUE(HasField(problems([](Visit& v) { v.discussed.clear(); }), "discussed"));
    EXPECT_TRUE(HasField(problems([](Visit& v) { v.discussed = std::string(2001, 'a'); }), "discussed"));
    EXPECT_TRUE(HasField(problems([](Visit& v) { v.done = "送\u200b化肥"; }), "done"));
    EXPECT_TRUE(HasField(problems([](Visit& v) { v.place->lat_e6 = 90'000'001; }), "place"));
    EXPECT_TRUE(HasField(problems([](Visit& v) { v.place->lon_e6 = -180'000'001; }), "place"));
    EXPECT_TRUE(HasField(problems([](Visit& v) { v.place->accuracy_m = -1; }), "place"));
    for (const Error& e : problems([](Visit& v) { v.cadre_id = -1; })) EXPECT_EQ(e.code, "visit.invalid");
}

// --- Overdue -----------------------------------------------------------------------------------------

TEST(Overdue, IntervalIsTheQuarterDividedRoundedUp) {
    Plan plan;
    EXPECT_EQ(VisitIntervalDays(plan), 46);  // default 2 a quarter
    plan.pairing.visits_per_quarter = 1;
    EXPECT_EQ(VisitIntervalDays(plan), 91);
    plan.pairing.visits_per_quarter = 3;
    EXPECT_EQ(VisitIntervalDays(plan), 31);
    plan.pairing.visits_per_quarter = 13;
    EXPECT_EQ(VisitIntervalDays(plan), 7);
}

TEST(Overdue, FromTheLastVisitUnderTheCurrentPairingMostOverdueFirst) {
    const Date on{2017, 6, 30};
    const std::vector<VisitState> states = {
        // Visited 2017-05-15: due 2017-06-30, not overdue on the due day itself.
        {"H1", "540425100201", 1, Date{2016, 1, 1}, Date{2017, 5, 15}, 1},
        // Visited 2017-05-14: due 2017-06-29, one day overdue.
        {"H2", "540425100201", 1, Date{2016, 1, 1}, Date{2017, 5, 14}, 1},
        // Never visited; paired 2017-04-01: due 2017-05-17, 44 days overdue.
        {"H3", "540425100201", 1, Date{2017, 4, 1}, std::nullopt, 0},
        // Last visited by the former cadre, before the pairing began 2017-04-01: counts from 04-01.
        {"H0", "540425100201", 2, Date{2017, 4, 1}, Date{2017, 3, 1}, 0},
        // Paired in the future: nothing due.
        {"H4", "540425100201", 2, Date{2017, 7, 1}, std::nullopt, 0},
    };
    const auto overdue = OverdueVisits(states, on, 46);
    ASSERT_EQ(overdue.size(), 3u);
    EXPECT_EQ(overdue[0], (OverdueVisit{3, Date{2017, 5, 17}, 44}));  // H0 before H3: same days, code order
    EXPECT_EQ(overdue[1], (OverdueVisit{2, Date{2017, 5, 17}, 44}));
    EXPECT_EQ(overdue[2], (OverdueVisit{1, Date{2017, 6, 29}, 1}));
}

// --- Facts -------------------------------------------------------------------------------------------

TEST(Facts, LookUpByHouseholdCodeAndCadreId) {
    PairingFacts facts;
    facts.current = {{"A1", 3, Date{2016, 1, 1}}, {"B2", 1, Date{2016, 2, 1}}, {"C3", 3, Date{2016, 3, 1}}};
    facts.cadres = {{1, "甲", "", kRankCounty, 3, 1, true}, {3, "乙", "540425100", kRankUnknown, 1, 2, false}};
    ASSERT_NE(facts.FindCurrent("B2"), nullptr);
    EXPECT_EQ(facts.FindCurrent("B2")->cadre_id, 1);
    EXPECT_EQ(facts.FindCurrent("B"), nullptr);
    EXPECT_EQ(facts.FindCurrent("D4"), nullptr);
    ASSERT_NE(facts.FindCadre(3), nullptr);
    EXPECT_EQ(facts.FindCadre(3)->name, "乙");
    EXPECT_EQ(facts.FindCadre(2), nullptr);
    EXPECT_EQ(PairingFacts{}.FindCadre(1), nullptr);
}

}  // namespace
}  // namespace jz
