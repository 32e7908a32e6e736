// The file routes against the real server: creating households and importing files, hostile uploads.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <functional>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "server/api_test_support.h"

namespace jz::server::testing {
namespace {

TEST(Api, CreateAndImport) {
    const std::string officer = S().Login("officer");
    const std::string admin = S().Login("admin");
    auto [household, etag] = Fetch(admin, HouseholdIn(admin, kTownshipA, 3));
    // A new household: a fresh code and fresh ID numbers.
    json::object fresh = household;
    // A new code is its village's code and a sequence (household_code.division).
    const std::string fresh_code = std::string(household.at("division_code").as_string()) + "9999";
    fresh["household_code"] = fresh_code;
    auto& members = fresh["members"].as_array();
    members.resize(1);
    members[0].as_object()["id_number"] = MakeIdNumber("540425", {1980, 1, 1}, 901);
    members[0].as_object()["birth_date"] = "1980-01-01";
    members[0].as_object()["sex"] = 1;
    auto county_households = [&] {
        return S()
            .Send("GET", "/api/reports/progress", "", admin)
            .Json()
            .at("county")
            .at("households")
            .as_int64();
    };
    const int64_t before = county_households();
    EXPECT_EQ(county_households(), before);  // (the second answer comes from the kept report)
    Reply created = S().Send("POST", "/api/households", json::serialize(fresh), officer);
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(county_households(), before + 1);  // a change is seen at once
    EXPECT_EQ(created.headers["location"], "/api/households/" + fresh_code);
    EXPECT_EQ(S().Send("POST", "/api/households", json::serialize(fresh), officer).status, 409);
    EXPECT_EQ(S().Send("GET", "/api/households?q=" + fresh_code, "", officer).Json().at("total").as_int64(),
              1);

    // Import: the export of one village as CSV comes back unchanged; a bad row goes to the error file.
    Reply exported =
        S().Send("GET", std::string("/api/exports/registry.csv?division=") + kTownshipA + "001", "", officer);
    ASSERT_EQ(exported.status, 200);
    std::string csv = exported.body;
    const size_t header_end = csv.find('\n');
    std::string bad_row = csv.substr(header_end + 1, csv.find('\n', header_end + 1) - header_end);
    bad_row.replace(0, bad_row.find(','), "5404251000018888");
    csv += bad_row;  // the same person again in a new household: 一人多户
    Reply imported = S().Send("POST", "/api/imports?filename=village.csv", csv, officer);
    ASSERT_EQ(imported.status, 200) << imported.body;
    auto summary = imported.Json().as_object();
    EXPECT_EQ(summary.at("households").at("inserted").as_int64(), 0);
    // Both households holding the person are rejected (一人多户 within the file).
    EXPECT_EQ(summary.at("households").at("rejected").as_int64(), 2);
    const std::string url(summary.at("errors_url").as_string());
    Reply errors = S().Send("GET", url, "", officer);
    EXPECT_EQ(errors.status, 200);
    EXPECT_NE(errors.body.find("5404251000018888"), std::string::npos);
    EXPECT_EQ(S().Send("GET", url, "", S().Login("viewer")).status, 404);

    // An .xlsx body (recognised by its content) imports too: the village's workbook changes nothing.
    Reply workbook = S().Send("GET", std::string("/api/exports/registry.xlsx?division=") + kTownshipA + "001",
                              "", officer);
    ASSERT_EQ(workbook.status, 200);
    ASSERT_TRUE(workbook.body.starts_with("PK"));
    Reply again = S().Send("POST", "/api/imports?filename=village.xlsx", workbook.body, officer);
    ASSERT_EQ(again.status, 200) << again.body;
    EXPECT_GT(again.Json().at("households").at("unchanged").as_int64(), 0);
    EXPECT_EQ(again.Json().at("households").at("inserted").as_int64(), 0);
    EXPECT_EQ(again.Json().at("households").at("rejected").as_int64(), 0);
    EXPECT_FALSE(again.Json().as_object().contains("errors_url"));
    // A body that is neither is refused with the reason, and nothing changes.
    Reply junk = S().Send("POST", "/api/imports", std::string("\x01\x02not a table"), officer);
    EXPECT_EQ(junk.status, 400) << junk.body;
}

// Issue 13: the export takes the list's filters, its free-text search too, and stays in scope.
TEST(Api, ExportTakesTheListsFiltersAndScope) {
    const std::string officer = S().Login("officer");  // township A
    auto codes_of = [](const std::string& csv) {
        std::set<std::string> codes;
        for (size_t at = csv.find('\n'); at != std::string::npos && at + 1 < csv.size(); at = csv.find('\n', at + 1))
            codes.insert(csv.substr(at + 1, csv.find(',', at + 1) - at - 1));
        return codes;
    };
    auto listed = [&](const std::string& filter) {
        std::set<std::string> codes;
        Reply r = S().Send("GET", "/api/households?page_size=200&" + filter, "", officer);
        EXPECT_EQ(r.status, 200) << r.body;
        for (const auto& item : r.Json().at("items").as_array())
            codes.insert(std::string(item.at("household_code").as_string()));
        EXPECT_LE(r.Json().at("total").as_int64(), 200);
        return codes;
    };
    // A search: a household's head, by a part of the name; the export holds what the list finds.
    Reply one = S().Send("GET", "/api/households?page_size=1", "", officer);
    const std::string head(one.Json().at("items").as_array()[0].at("head_name").as_string());
    std::string q;
    for (const char c : head.substr(0, 3)) {  // the first character, percent-encoded
        char hex[4];
        std::snprintf(hex, sizeof hex, "%%%02X", static_cast<unsigned char>(c));
        q += hex;
    }
    const std::string filter = "q=" + q + "&status=0";
    Reply csv = S().Send("GET", "/api/exports/registry.csv?" + filter, "", officer);
    ASSERT_EQ(csv.status, 200) << csv.body;
    const auto exported = codes_of(csv.body);
    EXPECT_FALSE(exported.empty());
    EXPECT_EQ(exported, listed(filter));
    for (const std::string& code : exported) EXPECT_TRUE(code.starts_with(kTownshipA)) << code;
    // The .xlsx of the same filter: the same households (one row per person, after the header).
    Reply xlsx = S().Send("GET", "/api/exports/registry.xlsx?" + filter, "", officer);
    ASSERT_EQ(xlsx.status, 200);
    EXPECT_TRUE(xlsx.body.starts_with("PK"));
    // Scope: another township is not found, whatever the filters.
    EXPECT_EQ(S().Send("GET", std::string("/api/exports/registry.xlsx?status=0&division=") + kTownshipB, "", officer)
                  .status,
              404);
    // Without a division, the officer's scope only.
    for (const std::string& code : codes_of(S().Send("GET", "/api/exports/registry.csv?status=0", "", officer).body))
        EXPECT_TRUE(code.starts_with(kTownshipA)) << code;

    // The import template: the layout's header row, in either format.
    Reply tcsv = S().Send("GET", "/api/import/template?format=csv", "", officer);
    ASSERT_EQ(tcsv.status, 200);
    EXPECT_EQ(tcsv.body.substr(0, 3 + 9), "\xEF\xBB\xBF户编号");
    EXPECT_EQ(std::count(tcsv.body.begin(), tcsv.body.end(), '\n'), 1);
    Reply txlsx = S().Send("GET", "/api/import/template", "", officer);
    ASSERT_EQ(txlsx.status, 200);
    EXPECT_TRUE(txlsx.body.starts_with("PK"));
    EXPECT_EQ(S().Send("GET", "/api/import/template?format=xls", "", officer).status, 400);
}

// Issue 11's hostile uploads (bench/hostile_files.py, small versions): each is refused with its
// code and a message that shows none of the server's paths, and leaves no file behind.
TEST(Api, HostileImportsAreRefusedWithoutPaths) {
    const std::string officer = ScopedSessions().at("officer");
    const std::string files = S().dir + "/hostile";
    ASSERT_EQ(std::system(
                  ("python3 " + std::string(JZ_SOURCE_DIR) + "/bench/hostile_files.py " + files + " --mib 12")
                      .c_str()),
              0);
    const std::string data_dir = S().db + ".files";
    const std::map<std::string, std::set<std::string>> expected = {
        {"huge_row.xlsx", {"xlsx.row_out_of_range"}},
        {"bomb_inline.xlsx", {"xlsx.compression_ratio", "xlsx.too_large"}},
        {"bomb_shared.xlsx", {"xlsx.compression_ratio", "xlsx.too_large"}},
        {"bomb_workbook.xlsx", {"xlsx.compression_ratio", "xlsx.too_large"}},
        {"long_line.csv", {"csv.record_too_long"}},
    };
    for (const auto& [file, codes] : expected) {
        std::ifstream in(files + "/" + file, std::ios::binary);
        const std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        Reply r = S().Send("POST", "/api/imports?filename=" + file, body, officer);
        EXPECT_EQ(r.status, 400) << file << ": " << r.body;
        const std::string code(r.Json().at("error").at("code").as_string());
        EXPECT_TRUE(codes.contains(code)) << file << ": " << r.body;
        for (const std::string& leak : {S().dir, data_dir, std::string("tmp-"), std::string("/tmp")})
            EXPECT_EQ(r.body.find(leak), std::string::npos) << file << " shows " << leak << ": " << r.body;
        EXPECT_NE(r.body.find(file), std::string::npos) << "the upload's own name is the field: " << r.body;
    }
    for (const auto& entry : fs::directory_iterator(data_dir))
        EXPECT_FALSE(entry.path().filename().string().starts_with("tmp-")) << entry.path();

    // An import with a rejected row: neither its answer nor the import's record shows a path.
    const std::string header =
        "户编号,行政区划代码,姓名,证件号码,与户主关系,贫困户属性,主要致贫原因,识别年度\n";
    Reply partial = S().Send("POST", "/api/imports?filename=bad.csv", header + "bad,row\n", officer);
    ASSERT_EQ(partial.status, 200) << partial.body;
    EXPECT_EQ(partial.body.find("/tmp"), std::string::npos) << partial.body;
    Reply record = S().Send(
        "GET", "/api/imports/" + std::to_string(partial.Json().at("import_id").as_int64()), "", officer);
    ASSERT_EQ(record.status, 200) << record.body;
    EXPECT_EQ(record.body.find("/tmp"), std::string::npos) << record.body;
    EXPECT_EQ(record.body.find(data_dir), std::string::npos) << record.body;
}

}  // namespace
}  // namespace jz::server::testing
