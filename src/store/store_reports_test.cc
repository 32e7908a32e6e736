// Issued (frozen) reports: stored once per kind, unit and period, listed newest first, their hash in
// the change log, and a changed stored document found by audit verify.
#include <algorithm>
#include <gtest/gtest.h>

#include <filesystem>

#include "store/store_test_fixture.h"

namespace jz::store_test {
namespace {

IssuedReport MakeIssued(const std::string& kind, const std::string& unit, const std::string& period) {
    IssuedReport r;
    r.kind = kind;
    r.unit_code = unit;
    r.unit_name = "察隅县";
    r.period = period;
    r.as_of = Date{2017, 7, 9};
    r.document_json = R"({"kind":")" + kind + R"(","period":")" + period + R"("})";
    return r;
}

TEST(IssuedReportHash, IsHexBlake2b256) {
    // BLAKE2b-256 of the empty string.
    EXPECT_EQ(HexBlake2b(""), "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
    EXPECT_EQ(HexBlake2b("a").size(), 64u);
}

TEST_P(StoreContract, IssuedReportsAreStoredOnceListedAndLogged) {
    ASSERT_TRUE(store_->Begin());
    auto first = store_->InsertIssuedReport(MakeIssued("weekly", "540425", "2017-W27"), kChange);
    ASSERT_TRUE(first) << first.error().message_en;
    auto second = store_->InsertIssuedReport(MakeIssued("weekly", "540425", "2017-W28"), kChange);
    ASSERT_TRUE(second);
    auto other = store_->InsertIssuedReport(MakeIssued("monthly", "540425100", "2017-07"), kChange);
    ASSERT_TRUE(other);
    auto again = store_->InsertIssuedReport(MakeIssued("weekly", "540425", "2017-W27"), kChange);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, "store.duplicate");
    ASSERT_TRUE(store_->Commit());

    EXPECT_EQ(first->issued_by, kChange.actor);
    EXPECT_EQ(first->issued_at, kChange.at);
    EXPECT_EQ(first->hash, HexBlake2b(first->document_json));
    EXPECT_GT(second->id, first->id);
    auto found = store_->FindIssuedReport(first->id);
    ASSERT_TRUE(found && *found);
    EXPECT_EQ(**found, *first);
    EXPECT_FALSE(store_->FindIssuedReport(999).value());

    auto weekly = store_->ListIssuedReports({.unit_code = "540425", .kind = "weekly"});
    ASSERT_TRUE(weekly);
    ASSERT_EQ(weekly->size(), 2u);
    EXPECT_EQ((*weekly)[0].period, "2017-W28");  // newest first
    EXPECT_EQ(store_->CountIssuedReports({}).value(), 3);
    EXPECT_EQ(store_->CountIssuedReports({.period = "2017-07"}).value(), 1);
    EXPECT_EQ(store_->ListIssuedReports({.offset = 1, .limit = 1}).value().front().id, second->id);

    // The change-log entry carries the hash, and is the report's seq.
    ChangeLogFilter f;
    f.entity = "issued_report";
    auto log = store_->ChangeLog(f);
    ASSERT_TRUE(log);
    ASSERT_EQ(log->size(), 3u);
    EXPECT_EQ(log->front().seq, first->seq);
    EXPECT_EQ(ParseObject(log->front().after_json).at("hash").as_string(), first->hash);
}

TEST(SqliteReportsAudit, AChangedStoredReportIsFound) {
    const std::string path = TempPath("issued.db");
    {
        auto store = OpenSqliteStore(path, OpenMode::kCreate).value();
        ASSERT_TRUE(store->Begin());
        ASSERT_TRUE(store->SaveOrgUnits(SmallTree(), kChange));
        ASSERT_TRUE(store->InsertIssuedReport(MakeIssued("weekly", "540425", "2017-W27"), kChange));
        ASSERT_TRUE(store->Commit());
    }
    EXPECT_EQ(AuditMismatches(path), std::vector<std::string>{});
    ExecOn(path, "UPDATE issued_reports SET document_json = replace(document_json, 'W27', 'W28')");
    EXPECT_EQ(AuditMismatches(path), std::vector<std::string>{"audit.row_derived issued_report 1 document_json"});
    ExecOn(path, "UPDATE issued_reports SET hash = '00'");
    const auto got = AuditMismatches(path);
    EXPECT_NE(std::ranges::find(got, "audit.row_mismatch issued_report 1 hash"), got.end())
        << ::testing::PrintToString(got);
    ExecOn(path, "DELETE FROM issued_reports");
    EXPECT_EQ(AuditMismatches(path), std::vector<std::string>{"audit.row_missing issued_report 1"});
    std::filesystem::remove(path);
}

}  // namespace
}  // namespace jz::store_test
