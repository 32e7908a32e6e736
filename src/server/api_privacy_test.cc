// What a masked user (viewer) receives (issue 11): no whole ID number and no birth date anywhere,
// no search oracle, no leaks of other townships through errors.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <functional>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "server/api_test_support.h"

namespace jz::server::testing {
namespace {

// ------------------------------------------------------------------------- privacy (issue 11)

// Percent-encodes a query value.
std::string Encode(const std::string& text) {
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
            out += static_cast<char>(c);
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        }
    }
    return out;
}

// A whole ID number in a body: 17 digits and a digit or X. Returns the first found, or "".
std::string WholeIdNumberIn(const std::string& text) {
    size_t run = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c >= '0' && c <= '9') {
            if (++run >= 18) return text.substr(i + 1 - run, 18);
            continue;
        }
        if (run == 17 && (c == 'X' || c == 'x')) return text.substr(i - 17, 18);
        run = 0;
    }
    return {};
}

// Walks a viewer's JSON: no birth date anywhere, and every person-like object (an ID number beside
// a birth year) leaves at least kMinMaskedCandidates numbers.
void ExpectMasked(const json::value& v, const std::string& where, int& persons) {
    if (v.is_array()) {
        for (const json::value& x : v.as_array()) ExpectMasked(x, where, persons);
        return;
    }
    if (!v.is_object()) return;
    const json::object& o = v.as_object();
    EXPECT_FALSE(o.contains("birth_date")) << where;
    if (o.contains("id_number") && o.at("id_number").is_string() && o.contains("birth_year")) {
        MaskedPerson seen{
            std::string(o.at("id_number").as_string()),
            o.at("birth_year").is_int64() ? static_cast<int>(o.at("birth_year").as_int64()) : 0,
            o.contains("sex") && o.at("sex").is_int64() ? static_cast<int>(o.at("sex").as_int64()) : 0};
        EXPECT_GE(CandidateIdNumbers(seen), kMinMaskedCandidates) << where << ": " << seen.masked_id;
        ++persons;
    }
    for (const auto& [key, x] : o) ExpectMasked(x, where, persons);
}

// Finding 1: a viewer got "540425********7171" beside "1993-07-13" and rebuilt every number. Every
// GET route of the OpenAPI document is asked, as the viewer, for records of every kind (households,
// a member change, a deregistration's snapshot, a new identification whose step notes quote an ID
// number, an evaluation whose notes do, exports in both formats): no whole ID number and no birth
// date comes back, and every person shown leaves at least 100,000 candidate numbers.
TEST(ApiPrivacy, NothingAViewerReceivesRebuildsAnIdNumber) {
    const std::string admin = S().Login("admin");
    const std::string officer = S().Login("officer");
    const std::string A = kTownshipA;
    const std::string changed = HouseholdIn(admin, A, 7), removed = HouseholdIn(admin, A, 8);
    auto [h, etag] = Fetch(admin, changed);
    const json::object head = h["members"].as_array()[0].as_object();
    json::object newborn{{"name", "新生"},
                         {"id_number", MakeIdNumber("540425", {2017, 3, 4}, 13)},
                         {"sex", 1},
                         {"birth_date", "2017-03-04"},
                         {"relation", "之子"}};
    if (head.contains("ethnicity")) newborn["ethnicity"] = head.at("ethnicity");
    Reply member = S().Send("POST", "/api/procedures",
                            Body({{"kind", "member_change"},
                                  {"household_code", changed},
                                  {"year", 2017},
                                  {"date", "2017-03-10"},
                                  {"member_change", "新生儿"},
                                  {"person", newborn}}),
                            admin);
    ASSERT_EQ(member.status, 201) << member.body;
    Reply gone = S().Send("POST", "/api/procedures",
                          Body({{"kind", "deregistration"},
                                {"household_code", removed},
                                {"year", 2018},
                                {"date", "2018-04-01"},
                                {"reason", "moved_away"}}),
                          admin);
    ASSERT_EQ(gone.status, 201) << gone.body;
    json::object proposal = Fetch(admin, changed).first;
    const std::string division(proposal.at("division_code").as_string());
    const std::string fresh_code = division + "7777";
    proposal["household_code"] = fresh_code;
    proposal.erase("exit_year");
    proposal["status"] = 0;
    json::object m = head;
    m["id_number"] = MakeIdNumber("540425", {1985, 6, 7}, 55);
    m["birth_date"] = "1985-06-07";
    m["sex"] = 1;
    proposal["members"] = json::array{m};
    Reply opened = S().Send("POST", "/api/procedures",
                            Body({{"kind", "new_identification"},
                                  {"household", proposal},
                                  {"year", 2018},
                                  {"date", "2018-05-01"}}),
                            officer);
    ASSERT_EQ(opened.status, 201) << opened.body;
    const int64_t case_id = Obj(opened).at("id").as_int64();
    const std::string quoted = MakeIdNumber("540425", {1990, 2, 3}, 77);
    Reply stepped = Step(officer, case_id, "appraise", "2018-05-02", {{"notes", "核对 " + quoted + " 无误"}});
    ASSERT_EQ(stepped.status, 200) << stepped.body;
    Reply drawn =
        S().Send("POST", "/api/evaluations", Body({{"year", 2017}, {"size", 8}, {"seed", 11}}), admin);
    ASSERT_EQ(drawn.status, 201) << drawn.body;
    const std::string eid = std::to_string(Obj(drawn).at("id").as_int64());
    const std::string sampled(Obj(drawn).at("items").as_array()[0].at("household_code").as_string());
    ASSERT_EQ(S().Send("PUT", "/api/evaluations/" + eid + "/items/" + sampled,
                       Body({{"verdict", "correct"}, {"notes", "户主 " + quoted}}), admin)
                  .status,
              200);
    // An assistance item for a member, its note quoting an ID number (the ledger's routes below).
    const json::object ledger_item{{"household_code", changed},
                                   {"member_ids", json::array{head.at("id_number")}},
                                   {"measure", 8},
                                   {"category", CatalogCode(admin, "assistance_category", "生态")},
                                   {"kind", CatalogCode(admin, "assistance_kind", "现金")},
                                   {"start_date", "2017-03-01"},
                                   {"amount", "800.00"},
                                   {"notes", "发放 " + quoted}};
    Reply ledger = S().Send("POST", "/api/assistance", Body(ledger_item), admin);
    ASSERT_EQ(ledger.status, 201) << ledger.body;
    // A cadre with an ID number and a phone, paired with the household (its reason quoting an ID
    // number) and on its village's work team (the pairing routes below).
    const std::string cadre_phone = "13908940123";
    Reply cadre = S().Send("POST", "/api/cadres",
                           Body({{"name", "结对干部"},
                                 {"id_number", MakeIdNumber("540425", {1975, 5, 6}, 31)},
                                 {"unit", "县扶贫办"},
                                 {"rank", 2},
                                 {"phone", cadre_phone},
                                 {"township_code", A}}),
                           admin);
    ASSERT_EQ(cadre.status, 201) << cadre.body;
    const std::string cadre_id = std::to_string(Obj(cadre).at("id").as_int64());
    // (the first household of A that takes it: an exited household keeps its cadre)
    std::string paired_code;
    for (int i = 0; i < 20 && paired_code.empty(); ++i) {
        const std::string code = HouseholdIn(admin, A, i);
        Reply paired = S().Send("PUT", "/api/households/" + code + "/pairing",
                                Body({{"cadre_id", Obj(cadre).at("id")},
                                      {"from", "2035-03-01"},
                                      {"reason", "核对 " + quoted + " 后结对"},
                                      {"allow_over_quota", true}}),
                                admin);
        if (paired.status == 200) paired_code = code;
        else ASSERT_TRUE(paired.status == 409 || paired.status == 400) << paired.body;  // (exited; or
        // paired by another test from a later day)
    }
    ASSERT_FALSE(paired_code.empty());
    Reply joined = S().Send("POST", "/api/teams/members",
                            Body({{"village_code", h.at("division_code")},
                                  {"cadre_id", Obj(cadre).at("id")},
                                  {"role", 3},
                                  {"from", "2017-01-01"}}),
                            admin);
    ASSERT_EQ(joined.status, 201) << joined.body;
    EXPECT_NE(WholeIdNumberIn(S().Send("GET", "/api/cadres/" + cadre_id, "", admin).body), "");
    EXPECT_NE(S().Send("GET", "/api/households/" + paired_code + "/pairings", "", admin).body.find(quoted), std::string::npos);
    // (the full users see what the viewer must not, so the checks below can fail)
    EXPECT_NE(WholeIdNumberIn(S().Send("GET", "/api/procedures/" + std::to_string(case_id), "", admin).body),
              "");
    EXPECT_NE(WholeIdNumberIn(S().Send("GET", "/api/households/" + changed + "/plan", "", admin).body), "");

    std::vector<std::string> case_ids;
    const Reply all_cases = S().Send("GET", "/api/procedures?limit=200", "", admin);
    for (const auto& c : Obj(all_cases).at("items").as_array())
        case_ids.push_back("/api/procedures/" + std::to_string(c.at("id").as_int64()));
    const std::string name = std::string(head.at("name").as_string()).substr(0, 3);
    std::map<std::string, std::vector<std::string>> targets{
        {"/healthz", {"/healthz"}},
        {"/api/openapi.json", {"/api/openapi.json"}},
        {"/api/me", {"/api/me"}},
        {"/api/org-units", {"/api/org-units", "/api/org-units?parent=" + A}},
        {"/api/plan", {"/api/plan"}},
        {"/api/codes", {"/api/codes"}},
        {"/api/households",
         {"/api/households?page_size=200", "/api/households?division=" + A + "&page_size=200",
          "/api/households?q=" + Encode(name)}},
        {"/api/households/{code}",
         {"/api/households/" + changed, "/api/households/" + HouseholdIn(admin, A, 1)}},
        {"/api/households/{code}/history", {"/api/households/" + changed + "/history"}},
        {"/api/households/{code}/timeline",
         {"/api/households/" + changed + "/timeline", "/api/households/" + removed + "/timeline"}},
        {"/api/imports/{id}", {"/api/imports/1"}},
        {"/api/imports/{id}/errors.csv", {"/api/imports/1/errors.csv"}},
        {"/api/exports/registry.csv",
         {"/api/exports/registry.csv", "/api/exports/registry.csv?division=" + A}},
        {"/api/exports/registry.xlsx", {"/api/exports/registry.xlsx?division=" + A}},
        {"/api/import/template", {"/api/import/template", "/api/import/template?format=csv"}},
        {"/api/reports/progress", {"/api/reports/progress", "/api/reports/progress?as_of=2017-06-30"}},
        {"/api/reports/summary", {"/api/reports/summary", "/api/reports/summary?unit=" + A + "&as_of=2017-06-30"}},
        {"/api/check", {"/api/check"}},
        {"/api/reconcile", {"/api/reconcile"}},
        {"/api/audit", {"/api/audit"}},
        {"/api/users", {"/api/users"}},
        {"/api/exit-candidates",
         {"/api/exit-candidates?year=2017&limit=1000",
          "/api/exit-candidates?year=2017&which=not_ready&limit=1000&as_of=2017-06-30"}},
        {"/api/procedures", {"/api/procedures?limit=200"}},
        {"/api/procedures/{id}", case_ids},
        {"/api/incidence", {"/api/incidence?year=2017"}},
        {"/api/adjustments/{year}", {"/api/adjustments/2017", "/api/adjustments/2018"}},
        {"/api/evaluations", {"/api/evaluations"}},
        {"/api/evaluations/{id}", {"/api/evaluations/" + eid}},
        {"/api/households/{code}/plan", {"/api/households/" + changed + "/plan"}},
        {"/api/assistance", {"/api/assistance?household=" + changed, "/api/assistance?deleted=true&limit=1000"}},
        {"/api/reports/measures", {"/api/reports/measures", "/api/reports/measures?unit=" + A}},
        {"/api/reports/measures/{number}/not-reached", {"/api/reports/measures/8/not-reached?limit=1000"}},
        {"/api/visits", {"/api/visits?limit=500"}},
        {"/api/visits/{id}/photo", {"/api/visits/999999/photo"}},  // (bytes of an image, no person)
        {"/api/field/kit", {"/api/field/kit?cadre=1", "/api/field/kit?cadre=2"}},

        {"/api/cadres", {"/api/cadres", "/api/cadres?unit=" + A}},
        {"/api/cadres/{id}", {"/api/cadres/" + cadre_id}},
        {"/api/households/{code}/pairings", {"/api/households/" + paired_code + "/pairings"}},
        {"/api/pairing/proposal", {"/api/pairing/proposal", "/api/pairing/proposal?unit=" + A}},
        {"/api/teams", {"/api/teams?on=2017-06-30"}},
        {"/api/visits/overdue", {"/api/visits/overdue?limit=100000"}},
        {"/api/assets", {"/api/assets", "/api/assets?division=" + A}},
        {"/api/assets/{id}", {"/api/assets/A-2017-1", "/api/assets/A-2017-2"}},
        {"/api/households/{code}/shares", {"/api/households/" + changed + "/shares"}},

        {"/api/fund-sources", {"/api/fund-sources"}},
        {"/api/allocations", {"/api/allocations"}},
        {"/api/payees", {"/api/payees"}},
        {"/api/fund-balances", {"/api/fund-balances"}},
        {"/api/fund-entries", {"/api/fund-entries?limit=1000"}},
        {"/api/fund-reports/monthly", {"/api/fund-reports/monthly?month=2017-06"}},
        {"/api/fund-findings", {"/api/fund-findings"}},
        {"/api/projects", {"/api/projects?limit=1000"}},
        {"/api/projects/{id}", {"/api/projects/1", "/api/projects/2"}},
        {"/api/projects/{id}/notice", {"/api/projects/1/notice"}},

        // Printing: PDFs read back with pdftotext (below); the paired card as of a day after its
        // pairing began (its reason quotes an ID number).
        {"/api/households/{code}/card",
         {"/api/households/" + changed + "/card", "/api/households/" + paired_code + "/card?as_of=2036-01-01"}},
        {"/api/org-units/{code}/cards", {"/api/org-units/" + division + "/cards"}},
        {"/api/org-units/{code}/register",
         {"/api/org-units/" + division + "/register", "/api/org-units/" + A + "/register?year=2018",
          "/api/org-units/" + A + "/register?format=xlsx"}},
        // The periodic reports: counts, no person (the data-quality findings counted by rule).
        {"/api/reports/periodic",
         {"/api/reports/periodic?kind=weekly&period=2017-W26&unit=" + A,
          "/api/reports/periodic?kind=monthly&period=2017-06&unit=" + A}},
        {"/api/reports/issued", {"/api/reports/issued"}},
        {"/api/reports/issued/{id}", {"/api/reports/issued/1"}},
        {"/api/reports/issued/{id}/compare", {"/api/reports/issued/2/compare"}},
        {"/api/reports/due", {"/api/reports/due?as_of=2017-06-30"}},
    };
    // (the full users' card shows the ID numbers the viewer's must not, so the check can fail)
    const auto pdf_text = [&](const std::string& body, const std::string& name) {
        const std::string file = S().dir + "/" + name + ".pdf";
        std::ofstream(file, std::ios::binary) << body;
        return testing::Run("pdftotext -layout " + file + " -");
    };
    {
        Reply card = S().Send("GET", "/api/households/" + changed + "/card", "", admin);
        ASSERT_EQ(card.status, 200) << card.body.substr(0, 200);
        EXPECT_NE(WholeIdNumberIn(pdf_text(card.body, "admin-card")), "");
    }
    json::value doc = json::parse(OpenApiDocument());
    for (const auto& [path, ops] : doc.at("paths").as_object()) {
        if (ops.as_object().contains("get")) {
            EXPECT_TRUE(targets.contains(std::string(path))) << "add GET " << path << " to this test";
        }
    }

    const std::string viewer = S().Login("viewer");
    int persons = 0, answered = 0;
    for (const auto& [path, list] : targets)
        for (const std::string& target : list) {
            Reply r = S().Send("GET", target, "", viewer);
            if (r.status != 200) continue;  // 403/404 carry no record
            ++answered;
            std::string text = r.body;
            const bool pdf = r.body.starts_with("%PDF-");
            if (pdf) {
                text = pdf_text(r.body, "viewer");
                EXPECT_NE(text.find("页"), std::string::npos) << target;
            }
            if (target.find(".xlsx") != std::string::npos || target.find("format=xlsx") != std::string::npos) {
                const std::string file = S().dir + "/viewer.xlsx";
                std::ofstream(file, std::ios::binary) << r.body;
                text = testing::Run("unzip -p " + file + " 'xl/*'");  // (docProps hold the file's own dates)
                EXPECT_NE(text.find("<sheetData"), std::string::npos);
            }
            // (A report's chain_head hash is hex: 18 of its digits in a row are no ID number.)
            EXPECT_EQ(WholeIdNumberIn(std::regex_replace(text, std::regex(R"("hash":"[0-9a-f]{64}")"), "")),
                      "")
                << target;
            EXPECT_EQ(text.find(quoted.substr(6)), std::string::npos) << target;
            EXPECT_EQ(text.find(cadre_phone), std::string::npos) << target;  // (a cadre's phone)
            if (target.find(".csv") != std::string::npos || target.find(".xlsx") != std::string::npos) {
                EXPECT_FALSE(std::regex_search(text, std::regex("(19|20)[0-9][0-9]-[01][0-9]-[0-3][0-9]")))
                    << target;
                continue;
            }
            if (pdf || target.find("format=xlsx") != std::string::npos) continue;
            if (path != "/api/openapi.json")
                ExpectMasked(r.Json(), target, persons);  // (its schemas name fields)
        }
    EXPECT_GT(answered, 25);
    EXPECT_GT(persons, 10);  // (households, a new identification's and a deregistration's snapshots)
    // The ages a viewer's figures are computed on: the year's last day, whatever day is asked.
    Reply candidates = S().Send("GET", "/api/exit-candidates?year=2017&as_of=2017-06-30", "", viewer);
    EXPECT_EQ(Obj(candidates).at("as_of").as_string(), "2017-12-31");
    EXPECT_EQ(Obj(S().Send("GET", "/api/exit-candidates?year=2017&as_of=2017-06-30", "", admin))
                  .at("as_of")
                  .as_string(),
              "2017-06-30");
}

// Every person of the demo county, as the viewer's export gives them (masked number, birth year,
// sex): none leaves fewer than kMinMaskedCandidates numbers.
TEST(ApiPrivacy, NoPersonOfTheDemoCanBeRebuiltFromTheViewersExport) {
    Reply csv = S().Send("GET", "/api/exports/registry.csv", "", S().Login("viewer"));
    ASSERT_EQ(csv.status, 200);
    std::istringstream in(csv.body);
    std::string line;
    std::getline(in, line);
    auto split = [](const std::string& l) {
        std::vector<std::string> cells;
        std::string cell;
        std::istringstream s(l);
        while (std::getline(s, cell, ',')) cells.push_back(cell);
        return cells;
    };
    const auto header = split(line);
    const auto at = [&](const std::string& name) {
        return static_cast<size_t>(std::ranges::find(header, name) - header.begin());
    };
    const size_t id_col = at("证件号码"), birth_col = at("出生日期"), sex_col = at("性别");
    ASSERT_LT(sex_col, header.size());
    std::map<std::tuple<std::string, int, int>, int64_t> counted;
    int persons = 0;
    while (std::getline(in, line)) {
        const auto cells = split(line);
        if (cells.size() <= std::max({id_col, birth_col, sex_col})) continue;
        ASSERT_EQ(cells[birth_col].size(), 4u) << line;
        const int sex = cells[sex_col] == "男" || cells[sex_col] == "1"   ? 1
                        : cells[sex_col] == "女" || cells[sex_col] == "2" ? 2
                                                                          : 0;
        const auto key = std::tuple{cells[id_col], std::stoi(cells[birth_col]), sex};
        auto [it, fresh] = counted.try_emplace(key, 0);
        if (fresh) it->second = CandidateIdNumbers({cells[id_col], std::get<1>(key), sex});
        EXPECT_GE(it->second, kMinMaskedCandidates) << line;
        ++persons;
    }
    EXPECT_GE(persons, 6000);
}

// Finding 2: a viewer rebuilt a number from about 40 searches of growing prefixes. A masked user
// matches only whole numbers; searches are limited per session (429 with Retry-After).
TEST(ApiPrivacy, SearchIsNoOracleAndIsRateLimited) {
    const std::string admin = S().Login("admin");
    const std::string code = HouseholdIn(admin, kTownshipA, 4);
    const std::string id(Fetch(admin, code).first["members"].as_array()[0].at("id_number").as_string());
    auto total = [&](const std::string& session, const std::string& q) {
        Reply r = S().Send("GET", "/api/households?q=" + q, "", session);
        EXPECT_EQ(r.status, 200) << r.body;
        return r.status == 200 ? r.Json().at("total").as_int64() : -1;
    };
    EXPECT_GE(total(admin, id.substr(0, 14)), 1);  // a full user may search by prefix
    const std::string viewer = S().Login("viewer");
    for (size_t n : {6u, 10u, 14u, 16u, 17u}) EXPECT_EQ(total(viewer, id.substr(0, n)), 0) << n;
    Reply whole = S().Send("GET", "/api/households?q=" + id, "", viewer);
    ASSERT_EQ(whole.Json().at("total").as_int64(), 1);
    EXPECT_EQ(whole.Json().at("items").as_array()[0].at("household_code").as_string(), code);
    EXPECT_EQ(whole.Json().at("items").as_array()[0].at("head_id_number").as_string(), MaskIdNumber(id));
    // A scoped viewer does not learn that a number exists outside its township.
    EXPECT_EQ(total(ScopedSessions().at("viewer"), std::string(Fetch(admin, HouseholdIn(admin, kTownshipB, 4))
                                                                   .first["members"]
                                                                   .as_array()[0]
                                                                   .at("id_number")
                                                                   .as_string())),
              0);

    const std::string limited = S().Login("viewer");
    Reply refused;
    int granted = 0;
    for (int i = 0; i < 500 && refused.status == 0; ++i) {
        Reply r = S().Send("GET", "/api/households?q=%E6%89%8E%E8%A5%BF", "", limited);
        if (r.status == 200)
            ++granted;
        else
            refused = r;
    }
    ASSERT_EQ(refused.status, 429) << refused.body;
    EXPECT_GE(granted, 20);
    EXPECT_GE(std::stoi(refused.headers["retry-after"]), 1);
    EXPECT_EQ(refused.Json().at("error").at("code").as_string(), "search.rate_limited");
    EXPECT_EQ(S().Send("GET", "/api/households?page_size=1", "", limited).status,
              200);                                                          // lists are not searches
    EXPECT_EQ(total(S().Login("viewer"), "%E6%89%8E%E8%A5%BF") >= 0, true);  // another session is not held
}

// Finding 9: errors name only what the caller may see; a new code matches its village; an
// evaluation shows a township only its own sampled households.
TEST(ApiPrivacy, OtherTownshipsDoNotLeakThroughErrors) {
    const std::string admin = S().Login("admin");
    const std::string officer = S().Login("officer");  // township A
    const std::string in = HouseholdIn(admin, kTownshipA, 9), out = HouseholdIn(admin, kTownshipB, 9);
    json::object theirs = Fetch(admin, out).first;
    json::object mine = Fetch(officer, in).first;
    const std::string division(mine.at("division_code").as_string());
    json::object fresh = mine;
    fresh["household_code"] = division + "6666";
    fresh["members"] = json::array{theirs["members"].as_array()[0]};
    Reply r = S().Send("POST", "/api/households", Body(fresh), officer);
    ASSERT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(r.body.find(out), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("outside your area"), std::string::npos) << r.body;
    Reply county = S().Send("POST", "/api/households", Body(fresh), admin);  // the county sees the township
    ASSERT_EQ(county.status, 400);
    EXPECT_NE(county.body.find(out), std::string::npos) << county.body;
    // The same through a member change (a newborn whose number is someone's in township B).
    json::object person = theirs["members"].as_array()[0].as_object();
    person["relation"] = "之子";
    Reply joined = S().Send("POST", "/api/procedures",
                            Body({{"kind", "member_change"},
                                  {"household_code", in},
                                  {"year", 2017},
                                  {"date", "2017-03-10"},
                                  {"member_change", "新生儿"},
                                  {"person", person}}),
                            officer);
    EXPECT_GE(joined.status, 400) << joined.body;
    EXPECT_EQ(joined.body.find(out), std::string::npos) << joined.body;

    // The same through an import: the error file does not name the other township's household.
    {
        const std::string b_csv =
            S().Send("GET", "/api/exports/registry.csv?division=" + std::string(kTownshipB), "", admin).body;
        const size_t header_end = b_csv.find('\n');
        std::string row = b_csv.substr(header_end + 1, b_csv.find('\n', header_end + 1) - header_end);
        const std::string b_code = row.substr(0, row.find(','));
        const size_t second = row.find(',', row.find(',') + 1);
        row = division + "5555," + division + row.substr(second);  // the household's head, moved into A
        Reply imported = S().Send("POST", "/api/imports", b_csv.substr(0, header_end + 1) + row, officer);
        ASSERT_EQ(imported.status, 200) << imported.body;
        EXPECT_EQ(imported.Json().at("households").at("rejected").as_int64(), 1) << imported.body;
        EXPECT_EQ(imported.body.find(b_code), std::string::npos) << imported.body;
        Reply errors =
            S().Send("GET", std::string(imported.Json().at("errors_url").as_string()), "", officer);
        EXPECT_EQ(errors.body.find(b_code), std::string::npos) << errors.body;
        EXPECT_NE(errors.body.find("outside your area"), std::string::npos) << errors.body;
    }

    // A code with township B's prefix in township A's village is refused, naming the field.
    json::object spoofed = mine;
    spoofed["household_code"] = std::string(kTownshipB) + "0019999";
    spoofed["members"].as_array().resize(1);
    spoofed["members"].as_array()[0].as_object()["id_number"] = MakeIdNumber("540425", {1980, 1, 1}, 881);
    spoofed["members"].as_array()[0].as_object()["birth_date"] = "1980-01-01";
    spoofed["members"].as_array()[0].as_object()["sex"] = 1;
    Reply bad = S().Send("POST", "/api/households", Body(spoofed), officer);
    ASSERT_EQ(bad.status, 400) << bad.body;
    EXPECT_EQ(bad.Json().at("error").at("fields").at(0).at("field").as_string(), "household_code");
    EXPECT_EQ(bad.Json().at("error").at("fields").at(0).at("code").as_string(), "household_code.division");

    // Evaluations: the county's sample, a township's part of it.
    Reply drawn =
        S().Send("POST", "/api/evaluations", Body({{"year", 2017}, {"size", 40}, {"seed", 5}}), admin);
    ASSERT_EQ(drawn.status, 201) << drawn.body;
    bool other_township = false;
    for (const auto& item : Obj(drawn).at("items").as_array())
        other_township |= !item.at("division_code").as_string().starts_with(kTownshipA);
    EXPECT_TRUE(other_township);
    const std::string eid = std::to_string(Obj(drawn).at("id").as_int64());
    for (const std::string& target : {std::string("/api/evaluations"), "/api/evaluations/" + eid}) {
        Reply seen = S().Send("GET", target, "", officer);
        ASSERT_EQ(seen.status, 200) << seen.body;
        int items = 0;
        auto check = [&](const json::value& e) {
            for (const auto& item : e.at("items").as_array()) {
                EXPECT_TRUE(item.at("division_code").as_string().starts_with(kTownshipA)) << target;
                ++items;
            }
        };
        if (Obj(seen).contains("items") && !Obj(seen).contains("id"))
            for (const auto& e : Obj(seen).at("items").as_array()) check(e);
        else
            check(seen.Json());
    }
}

}  // namespace
}  // namespace jz::server::testing
