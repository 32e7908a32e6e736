// Procedure cases, population, evaluations and adjustment approvals, run against every adapter; the
// JSON forms of cases and evaluations (ProcedureJson) and their properties.

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <functional>

#include "store/procedure_json.h"
#include "store/store_test_fixture.h"

namespace jz::store_test {
namespace {

TEST_P(StoreContract, CasesInsertFindUpdateWithVersionsAndChangeLog) {
    ProcedureCase c = MakeCase(ProcedureKind::kNewIdentification, "N1", 2017);
    c.id = 99;  // ignored
    c.version = 7;
    c.household = MakeHousehold("N1", 1);
    c.notice_until = Date{2017, 3, 8};
    ASSERT_TRUE(store_->Begin());
    const int64_t id = store_->InsertCase(c, kChange).value();
    const int64_t id2 = store_->InsertCase(MakeCase(ProcedureKind::kExit, "H2", 2017), kChange).value();
    ASSERT_TRUE(store_->Commit());
    EXPECT_EQ(id2, id + 1);
    EXPECT_FALSE(store_->FindCase(id2 + 1).value().has_value());
    const ProcedureCase found = store_->FindCase(id).value().value();
    ProcedureCase expected = c;
    expected.id = id;
    expected.version = 1;
    EXPECT_EQ(found, expected);

    ProcedureCase next = found;
    next.state = "appraised";
    next.notice_until.reset();
    next.exclusions = {"vehicle"};
    next.steps.push_back({"appraise",
                          {2017, 3, 2},
                          "officer",
                          "2026-11-29T02:00:00Z",
                          "passed",
                          "好",
                          "proposed",
                          "appraised"});
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->UpdateCase(found, next, kChange));
    ASSERT_TRUE(store_->Commit());
    const ProcedureCase updated = store_->FindCase(id).value().value();
    EXPECT_EQ(updated.version, 2);
    next.version = 2;
    EXPECT_EQ(updated, next);

    ASSERT_TRUE(store_->Begin());
    EXPECT_EQ(CodeOf(store_->UpdateCase(found, next, kChange)), "store.conflict");
    ProcedureCase missing = found;
    missing.id = 1000;
    EXPECT_EQ(CodeOf(store_->UpdateCase(missing, next, kChange)), "store.not_found");
    store_->Rollback();
    EXPECT_EQ(store_->FindCase(id).value().value(), updated);

    auto log = store_->ChangeLog({.entity = "procedure_case", .entity_key = std::to_string(id)}).value();
    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(log[0].action, "insert");
    EXPECT_EQ(log[0].after_json, ProcedureCaseToJson(expected));
    EXPECT_TRUE(log[0].before_json.empty());
    EXPECT_EQ(log[1].action, "update");
    EXPECT_EQ(log[1].before_json, ProcedureCaseToJson(expected));
    EXPECT_EQ(log[1].after_json, ProcedureCaseToJson(updated));
    EXPECT_EQ(ParseObject(log[1].after_json).at("kind").as_string(), "new_identification");
    EXPECT_FALSE(store_->VerifyChangeLog()->first_bad.has_value());
}

TEST_P(StoreContract, ListCasesHonoursEveryFilter) {
    ASSERT_TRUE(store_->Begin());
    std::vector<int64_t> ids;
    auto add = [&](const ProcedureCase& c) { ids.push_back(store_->InsertCase(c, kChange).value()); };
    add(MakeCase(ProcedureKind::kExit, "A", 2017));                                      // 0
    add(Closed(MakeCase(ProcedureKind::kExit, "B", 2017), "exited"));                    // 1
    add(MakeCase(ProcedureKind::kExit, "A", 2018));                                      // 2
    add(Closed(MakeCase(ProcedureKind::kFallback, "C", 2018, "540425100200"), "done"));  // 3
    add(MakeCase(ProcedureKind::kNewIdentification, "D", 2018, "540425200101"));         // 4
    add(MakeCase(ProcedureKind::kExit, "E", 2018, "5404251_0201"));                      // 5: '_' in the code
    ASSERT_TRUE(store_->Commit());
    auto list = [&](const CaseFilter& f) {
        std::vector<int64_t> out;
        const std::vector<ProcedureCase> cases = store_->ListCases(f).value();
        for (const ProcedureCase& c : cases) out.push_back(c.id);
        EXPECT_EQ(store_->CountCases(f).value(), static_cast<int64_t>(out.size()));
        return out;
    };
    auto pick = [&](std::initializer_list<int> which) {
        std::vector<int64_t> out;
        for (int i : which) out.push_back(ids[static_cast<size_t>(i)]);
        return out;
    };
    EXPECT_EQ(list({}), ids);
    EXPECT_EQ(list({.kind = ProcedureKind::kExit}), pick({0, 1, 2, 5}));
    EXPECT_EQ(list({.household_code = "A"}), pick({0, 2}));
    EXPECT_EQ(list({.division_prefix = "540425100"}), pick({0, 1, 2, 3}));
    EXPECT_EQ(list({.division_prefix = "540425100201"}), pick({0, 1, 2}));
    EXPECT_EQ(list({.division_prefix = "5404251_"}), pick({5})) << "'_' is a character, not a wildcard";
    EXPECT_EQ(list({.division_prefix = "540425%"}), std::vector<int64_t>{});
    EXPECT_EQ(list({.year = 2017}), pick({0, 1}));
    EXPECT_EQ(list({.open = true}), pick({0, 2, 4, 5}));
    EXPECT_EQ(list({.open = false}), pick({1, 3}));
    EXPECT_EQ(list({.state = "done"}), pick({3}));
    EXPECT_EQ(list({.kind = ProcedureKind::kExit, .household_code = "A", .year = 2018, .open = true}),
              pick({2}));
    EXPECT_EQ(list({.kind = ProcedureKind::kBufferEnd}), std::vector<int64_t>{});
    // Paging: ordered by id; the count ignores offset and limit.
    const CaseFilter page{.offset = 2, .limit = 3};
    std::vector<int64_t> paged;
    const std::vector<ProcedureCase> page_cases = store_->ListCases(page).value();
    for (const ProcedureCase& c : page_cases) paged.push_back(c.id);
    EXPECT_EQ(paged, pick({2, 3, 4}));
    EXPECT_EQ(store_->CountCases(page).value(), 6);
    EXPECT_EQ(store_->CountCases({.open = true, .offset = 3, .limit = 1}).value(), 4);
    EXPECT_EQ(store_->ListCases({.offset = 10}).value().size(), 0u);
    // What is listed is the whole case.
    EXPECT_EQ(store_->ListCases({.state = "exited"}).value().at(0), store_->FindCase(ids[1]).value().value());
}

TEST_P(StoreContract, PopulationIsPutReplacedAndLogged) {
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->PutPopulation({"540425100", 2017, 5000}, kChange));
    ASSERT_TRUE(store_->PutPopulation({"540425", 2017, 30000}, kChange));
    ASSERT_TRUE(store_->PutPopulation({"540425", 2016, 29000}, kChange));
    ASSERT_TRUE(store_->PutPopulation({"540425", 2017, 31000}, kChange));  // replaces
    ASSERT_TRUE(store_->Commit());
    EXPECT_EQ(store_->ListPopulation().value(),
              (std::vector<PopulationSetting>{
                  {"540425", 2016, 29000}, {"540425", 2017, 31000}, {"540425100", 2017, 5000}}));
    auto log = store_->ChangeLog({.entity = "population", .entity_key = "540425/2017"}).value();
    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(log[0].action, "insert");
    EXPECT_TRUE(log[0].before_json.empty());
    EXPECT_EQ(log[1].action, "update");
    EXPECT_EQ(ParseObject(log[1].before_json).at("rural_population").as_int64(), 30000);
    EXPECT_EQ(ParseObject(log[1].after_json).at("rural_population").as_int64(), 31000);
    EXPECT_EQ(ParseObject(log[1].after_json).at("code").as_string(), "540425");
    EXPECT_EQ(ParseObject(log[1].after_json).at("year").as_int64(), 2017);
    EXPECT_FALSE(store_->VerifyChangeLog()->first_bad.has_value());
}

TEST_P(StoreContract, EvaluationsInsertFindUpdateAndList) {
    ASSERT_TRUE(store_->Begin());
    const int64_t id = store_->InsertEvaluation(MakeEvaluation(2018), kChange).value();
    const int64_t id2 = store_->InsertEvaluation(MakeEvaluation(2019), kChange).value();
    ASSERT_TRUE(store_->Commit());
    Evaluation expected = MakeEvaluation(2018);
    expected.id = id;
    expected.version = 1;
    const Evaluation found = store_->FindEvaluation(id).value().value();
    EXPECT_EQ(found, expected);
    EXPECT_FALSE(store_->FindEvaluation(id2 + 1).value().has_value());

    Evaluation next = found;
    next.items[0].verdict = Verdict::kCorrect;
    next.items[0].recorded_by = "inspector";
    next.approval_surveyed = 100;
    next.approval_satisfied = 95;
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->UpdateEvaluation(found, next, kChange));
    EXPECT_EQ(CodeOf(store_->UpdateEvaluation(found, next, kChange)), "store.conflict");
    Evaluation missing = found;
    missing.id = 77;
    EXPECT_EQ(CodeOf(store_->UpdateEvaluation(missing, next, kChange)), "store.not_found");
    ASSERT_TRUE(store_->Commit());
    next.version = 2;
    EXPECT_EQ(store_->FindEvaluation(id).value().value(), next);
    auto all = store_->ListEvaluations().value();
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0], next);
    EXPECT_EQ(all[1].id, id2);
    EXPECT_EQ(all[1].year, 2019);

    auto log = store_->ChangeLog({.entity = "evaluation"}).value();
    ASSERT_EQ(log.size(), 3u);
    EXPECT_EQ(log[0].entity_key, std::to_string(id));
    EXPECT_EQ(log[0].after_json, EvaluationToJson(expected));
    EXPECT_EQ(log[2].action, "update");
    EXPECT_EQ(log[2].before_json, EvaluationToJson(expected));
    EXPECT_EQ(log[2].after_json, EvaluationToJson(next));
    EXPECT_EQ(ParseObject(log[2].after_json).at("seed").as_string(), "18446744073709551615");
    EXPECT_FALSE(store_->VerifyChangeLog()->first_bad.has_value());
}

TEST_P(StoreContract, AdjustmentApprovalIsOnePerYearAndCounty) {
    const AdjustmentApproval a{
        2018, "540425", "county", "2026-11-29T00:00:00Z", {2018, 12, 20}, "同意", R"({"total":{"exits":3}})"};
    EXPECT_FALSE(store_->FindAdjustmentApproval(2018, "540425").value().has_value());
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->InsertAdjustmentApproval(a, kChange));
    ASSERT_TRUE(store_->Commit());
    EXPECT_EQ(store_->FindAdjustmentApproval(2018, "540425").value(), std::optional<AdjustmentApproval>(a));
    EXPECT_FALSE(store_->FindAdjustmentApproval(2019, "540425").value().has_value());
    EXPECT_FALSE(store_->FindAdjustmentApproval(2018, "540426").value().has_value());
    ASSERT_TRUE(store_->Begin());
    AdjustmentApproval again = a;
    again.notes = "再次";
    EXPECT_EQ(CodeOf(store_->InsertAdjustmentApproval(again, kChange)), "store.duplicate");
    store_->Rollback();
    ASSERT_TRUE(store_->Begin());
    AdjustmentApproval next_year = a;
    next_year.year = 2019;
    next_year.summary_json = "not json";
    ASSERT_TRUE(store_->InsertAdjustmentApproval(next_year, kChange));
    ASSERT_TRUE(store_->Commit());
    EXPECT_EQ(store_->FindAdjustmentApproval(2018, "540425").value()->notes, "同意");
    auto log = store_->ChangeLog({.entity = "adjustment"}).value();
    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(log[0].entity_key, "2018");
    EXPECT_EQ(log[0].action, "insert");
    const boost::json::object o = ParseObject(log[0].after_json);
    EXPECT_EQ(o.at("approved_on").as_string(), "2018-12-20");
    EXPECT_EQ(o.at("summary").at("total").at("exits").as_int64(), 3);
    EXPECT_EQ(ParseObject(log[1].after_json).at("summary").as_string(), "not json");
    EXPECT_FALSE(store_->VerifyChangeLog()->first_bad.has_value());
}

TEST_P(StoreContract, DynamicWritesOutsideATransactionAreRefused) {
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->InsertHousehold(MakeHousehold("W1", 1), kChange));
    const int64_t case_id = store_->InsertCase(MakeCase(ProcedureKind::kExit, "W1", 2017), kChange).value();
    const int64_t eval_id = store_->InsertEvaluation(MakeEvaluation(2018), kChange).value();
    ASSERT_TRUE(store_->Commit());
    const HouseholdRecord h = store_->FindHousehold("W1").value().value();
    const ProcedureCase c = store_->FindCase(case_id).value().value();
    const Evaluation e = store_->FindEvaluation(eval_id).value().value();
    const std::vector<std::pair<std::string, std::function<std::string()>>> writes = {
        {"DeleteHousehold", [&] { return CodeOf(store_->DeleteHousehold(h, kChange)); }},
        {"InsertCase", [&] { return CodeOf(store_->InsertCase(c, kChange)); }},
        {"UpdateCase", [&] { return CodeOf(store_->UpdateCase(c, Closed(c, "exited"), kChange)); }},
        {"PutPopulation",
         [&] {
             return CodeOf(store_->PutPopulation({"540425", 2017, 1}, kChange));
         }},
        {"InsertEvaluation", [&] { return CodeOf(store_->InsertEvaluation(e, kChange)); }},
        {"UpdateEvaluation", [&] { return CodeOf(store_->UpdateEvaluation(e, e, kChange)); }},
        {"InsertAdjustmentApproval",
         [&] {
             return CodeOf(
                 store_->InsertAdjustmentApproval({2018, "540425", "c", "t", {2018, 1, 1}, "", ""}, kChange));
         }},
    };
    const int64_t seq = store_->LastChangeSeq().value();
    for (const auto& [name, write] : writes) EXPECT_EQ(write(), "store.no_transaction") << name;
    EXPECT_EQ(store_->LastChangeSeq().value(), seq);
    EXPECT_EQ(store_->CountHouseholds().value(), 1);
    EXPECT_EQ(store_->CountCases({}).value(), 1);
    EXPECT_EQ(store_->FindCase(case_id).value().value(), c);
    EXPECT_TRUE(store_->ListPopulation().value().empty());
    EXPECT_EQ(store_->ListEvaluations().value().size(), 1u);
    EXPECT_FALSE(store_->FindAdjustmentApproval(2018, "540425").value().has_value());
}

TEST(ProcedureJson, CaseHasTheDocumentedShape) {
    ProcedureCase c = MakeCase(ProcedureKind::kMemberChange, "H1", 2017);
    c.id = 12;
    c.version = 3;
    c.member_change = 21;
    c.member_id_number = "540425197003050013";
    const boost::json::object o = ParseObject(ProcedureCaseToJson(c));
    std::vector<std::string> keys;
    for (const auto& kv : o) keys.emplace_back(kv.key());
    EXPECT_EQ(keys,
              (std::vector<std::string>{"id", "version", "kind", "household_code", "division_code", "year",
                                        "state", "open", "persons", "steps", "household", "exclusions",
                                        "reason", "notice_until", "member_change", "member_id_number"}));
    EXPECT_EQ(o.at("kind").as_string(), "member_change");
    EXPECT_TRUE(o.at("household").is_null());
    EXPECT_TRUE(o.at("notice_until").is_null());
    EXPECT_EQ(o.at("member_change").as_int64(), 21);
    EXPECT_EQ(o.at("steps").at(0).at("date").as_string(), "2017-03-01");
    EXPECT_EQ(o.at("steps").at(0).at("to_state").as_string(), "proposed");
    c.household = MakeHousehold("H\"1", 1);
    c.household->pairing_cadre = ",\"household\":null";
    c.reason = ",\"household\":null";
    const std::string json = ProcedureCaseToJson(c);
    const boost::json::object with = ParseObject(json);
    EXPECT_EQ(with.at("household").at("household_code").as_string(), "H\"1");
    EXPECT_EQ(with.at("reason").as_string(), ",\"household\":null");
    EXPECT_EQ(ProcedureCaseFromJson(json).value(), c);
    // Keys the API adds are ignored.
    boost::json::object api = with;
    api["kind_zh"] = "成员变更";
    api["next_step"] = nullptr;
    api["allowed_steps"] = boost::json::array{"record"};
    EXPECT_EQ(ProcedureCaseFromJson(boost::json::serialize(api)).value(), c);
}

TEST(ProcedureJson, MalformedCasesAreRefusedNamingTheField) {
    const boost::json::object good =
        ParseObject(ProcedureCaseToJson(MakeCase(ProcedureKind::kExit, "H1", 2017)));
    auto field_of = [&](const std::function<void(boost::json::object&)>& change) {
        boost::json::object o = good;
        change(o);
        auto r = ProcedureCaseFromJson(boost::json::serialize(o));
        EXPECT_FALSE(r);
        return r ? std::string("(accepted)") : r.error().field;
    };
    EXPECT_EQ(field_of([](auto& o) { o["kind"] = "holiday"; }), "kind");
    EXPECT_EQ(field_of([](auto& o) { o.erase("state"); }), "state");
    EXPECT_EQ(field_of([](auto& o) { o["year"] = "2017"; }), "year");
    EXPECT_EQ(field_of([](auto& o) { o["year"] = 2017.5; }), "year");
    EXPECT_EQ(field_of([](auto& o) { o["persons"] = int64_t{1} << 40; }), "persons");
    EXPECT_EQ(field_of([](auto& o) { o["open"] = 1; }), "open");
    EXPECT_EQ(field_of([](auto& o) { o["notice_until"] = "2017-02-30"; }), "notice_until");
    EXPECT_EQ(field_of([](auto& o) { o["notice_until"] = "20170301"; }), "notice_until");
    EXPECT_EQ(field_of([](auto& o) { o["household"] = "x"; }), "household");
    EXPECT_EQ(field_of([](auto& o) {
                  o["household"] = boost::json::object{{"household_code", "H1"}};
              }),
              "division_code");
    EXPECT_EQ(field_of([](auto& o) { o["exclusions"] = boost::json::array{1}; }), "exclusions");
    EXPECT_EQ(field_of([](auto& o) { o["steps"].as_array()[0].as_object().erase("actor"); }), "actor");
    EXPECT_EQ(field_of([](auto& o) { o["steps"] = boost::json::array{1}; }), "steps");
    EXPECT_EQ(CodeOf(ProcedureCaseFromJson("[1]")), "json.invalid");
    EXPECT_EQ(CodeOf(ProcedureCaseFromJson("{\"id\":")), "json.invalid");
}

TEST(ProcedureJson, EvaluationRoundTripsWithTheSeedAsAString) {
    Evaluation e = MakeEvaluation(2018);
    e.id = 4;
    e.version = 2;
    e.non_poor_surveyed = 300;
    e.missed_found = 1;
    const std::string json = EvaluationToJson(e);
    const boost::json::object o = ParseObject(json);
    EXPECT_EQ(o.at("seed").as_string(), "18446744073709551615");
    EXPECT_EQ(o.at("items").at(1).at("verdict").as_string(), "wrongful");
    EXPECT_EQ(EvaluationFromJson(json).value(), e);
    for (const char* seed : {"", "-1", "+1", "18446744073709551616", "1x", " 1"}) {
        boost::json::object bad = o;
        bad["seed"] = seed;
        auto r = EvaluationFromJson(boost::json::serialize(bad));
        ASSERT_FALSE(r) << seed;
        EXPECT_EQ(r.error().field, "seed");
    }
    boost::json::object bad = o;
    bad["items"].as_array()[0].as_object()["verdict"] = "maybe";
    EXPECT_EQ(EvaluationFromJson(boost::json::serialize(bad)).error().field, "verdict");
}

// Text the JSON must carry: Chinese, quotes, backslashes, control characters (valid UTF-8, as all
// stored text is).
rc::Gen<std::string> GenText() {
    return rc::gen::map(rc::gen::container<std::vector<std::string>>(rc::gen::element<std::string>(
                            "a", "Z", "0", " ", "扎西", "卓玛", "\"", "\\", "/", "\n", "\t", "\x01", "\x7f",
                            ",\"household\":null", "é")),
                        [](const std::vector<std::string>& parts) {
                            std::string out;
                            for (const std::string& p : parts) out += p;
                            return out;
                        });
}

rc::Gen<Date> GenDate() {
    return rc::gen::oneOf(rc::gen::just(Date{}),
                          rc::gen::map(rc::gen::tuple(rc::gen::inRange(1900, 2101), rc::gen::inRange(1, 13),
                                                      rc::gen::inRange(1, 29)),
                                       [](const std::tuple<int, int, int>& t) {
                                           return Date{std::get<0>(t), std::get<1>(t), std::get<2>(t)};
                                       }));
}

template <class T>
std::optional<T> Maybe(const rc::Gen<T>& gen) {
    if (*rc::gen::arbitrary<bool>()) return *gen;
    return std::nullopt;
}

// Any case the model can hold comes back from its JSON, and from the store, unchanged.
RC_GTEST_PROP(ProcedureJsonProperty, CaseRoundTrip, ()) {
    ProcedureCase c;
    c.id = *rc::gen::arbitrary<int64_t>();
    c.version = *rc::gen::arbitrary<int64_t>();
    c.kind = *rc::gen::elementOf(
        std::vector<ProcedureKind>(AllProcedureKinds().begin(), AllProcedureKinds().end()));
    c.household_code = *GenText();
    c.division_code = *GenText();
    c.year = *rc::gen::arbitrary<int>();
    c.state = *GenText();
    c.open = *rc::gen::arbitrary<bool>();
    c.persons = *rc::gen::arbitrary<int>();
    const int steps = *rc::gen::inRange(0, 4);
    for (int i = 0; i < steps; ++i)
        c.steps.push_back(
            {*GenText(), *GenDate(), *GenText(), *GenText(), *GenText(), *GenText(), *GenText(), *GenText()});
    if (*rc::gen::arbitrary<bool>()) {
        Household h = MakeHousehold(*GenText(), *rc::gen::inRange(0, 1000));
        h.pairing_cadre = *GenText();
        h.phone = *GenText();
        h.identification_standard = Maybe(rc::gen::arbitrary<int>());
        h.exit_year = Maybe(rc::gen::arbitrary<int>());
        h.net_income_per_head = Maybe(rc::gen::arbitrary<int64_t>());
        h.housing_area = Maybe(rc::gen::arbitrary<int64_t>());
        h.dangerous_housing = Maybe(rc::gen::arbitrary<bool>());
        h.household_electricity = Maybe(rc::gen::arbitrary<bool>());
        h.members[0].name = *GenText();
        h.members[0].birth_date = *GenDate();
        h.members[1].schooling = Maybe(rc::gen::arbitrary<int>());
        h.members[1].months_worked = Maybe(rc::gen::arbitrary<int>());
        if (*rc::gen::arbitrary<bool>()) h.members.clear();
        c.household = h;
    }
    c.exclusions = *rc::gen::container<std::vector<std::string>>(*rc::gen::inRange(0, 3), GenText());
    c.reason = *GenText();
    c.notice_until = Maybe(GenDate());
    c.member_change = Maybe(rc::gen::arbitrary<int>());
    c.member_id_number = *GenText();
    const std::string json = ProcedureCaseToJson(c);
    auto back = ProcedureCaseFromJson(json);
    RC_ASSERT(back.has_value());
    RC_ASSERT(*back == c);
    RC_ASSERT(ProcedureCaseToJson(*back) == json);

    static auto store = OpenSqliteStore(TempPath("case-prop.db"), OpenMode::kCreate).value();
    RC_ASSERT(store->Begin().has_value());
    auto id = store->InsertCase(c, kChange);
    RC_ASSERT(id.has_value());
    RC_ASSERT(store->Commit().has_value());
    auto stored = store->FindCase(*id).value();
    RC_ASSERT(stored.has_value());
    ProcedureCase expected = c;
    expected.id = *id;
    expected.version = 1;
    RC_ASSERT(*stored == expected);
}

RC_GTEST_PROP(ProcedureJsonProperty, EvaluationRoundTrip, ()) {
    Evaluation e;
    e.id = *rc::gen::arbitrary<int64_t>();
    e.version = *rc::gen::arbitrary<int64_t>();
    e.year = *rc::gen::arbitrary<int>();
    e.division_code = *GenText();
    e.seed = *rc::gen::arbitrary<uint64_t>();
    e.population = *rc::gen::arbitrary<int64_t>();
    e.drawn_by = *GenText();
    e.drawn_at = *GenText();
    const int items = *rc::gen::inRange(0, 4);
    for (int i = 0; i < items; ++i)
        e.items.push_back({*GenText(), *GenText(),
                           *rc::gen::element(Verdict::kPending, Verdict::kCorrect, Verdict::kWrongful),
                           *GenText(), *GenText(), *GenText()});
    e.non_poor_surveyed = *rc::gen::arbitrary<int64_t>();
    e.missed_found = *rc::gen::arbitrary<int64_t>();
    e.approval_surveyed = *rc::gen::arbitrary<int64_t>();
    e.approval_satisfied = *rc::gen::arbitrary<int64_t>();
    auto back = EvaluationFromJson(EvaluationToJson(e));
    RC_ASSERT(back.has_value());
    RC_ASSERT(*back == e);
}

}  // namespace
}  // namespace jz::store_test
