// Printing's routes (routes_print.cc): the card, a village's cards and the register/book as files
// (type, attachment name, no-store), the formats, the levels and scopes refused.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <string>

#include "server/api_test_support.h"

namespace jz::server::testing {
namespace {

std::string Village(const std::string& admin) {
    Reply units = S().Send("GET", std::string("/api/org-units?parent=") + kTownshipA, "", admin);
    return std::string(units.Json().at("items").at(0).at("code").as_string());
}

TEST(ApiPrint, CardIsAnAttachedPdfOfTheHousehold) {
    const std::string admin = S().Login("admin");
    const std::string code = HouseholdIn(admin, kTownshipA, 2);
    Reply r = S().Send("GET", "/api/households/" + code + "/card?as_of=2018-12-31", "", admin);
    ASSERT_EQ(r.status, 200) << r.body.substr(0, 200);
    EXPECT_EQ(r.headers["content-type"], "application/pdf");
    EXPECT_EQ(r.headers["content-disposition"], "attachment; filename=\"card-" + code + ".pdf\"");
    EXPECT_EQ(r.headers["cache-control"], "no-store");
    ASSERT_TRUE(r.body.starts_with("%PDF-"));
    const std::string file = S().dir + "/card.pdf";
    std::ofstream(file, std::ios::binary) << r.body;
    const std::string text = testing::Run("pdftotext -layout " + file + " -");
    EXPECT_NE(text.find(code), std::string::npos);
    EXPECT_NE(text.find("一、基本情况"), std::string::npos);
    EXPECT_NE(text.find("截至 2018-12-31"), std::string::npos);
    EXPECT_EQ(S().Send("GET", "/api/households/" + code + "/card?as_of=2018-13-01", "", admin).status, 400);
    EXPECT_EQ(S().Send("GET", "/api/households/999999999999999999/card", "", admin).status, 404);
}

// The QR code's base: the request's own host when it is the host the server listens on
// (127.0.0.1 here), never a Host header naming somewhere else.
TEST(ApiPrint, QrCodePointsAtTheServerNotAtAnyHostHeader) {
    if (testing::Run("command -v zbarimg").empty()) GTEST_SKIP() << "zbarimg not installed";
    const std::string admin = S().Login("admin");
    const std::string code = HouseholdIn(admin, kTownshipA, 3);
    auto decode = [&](const std::string& host) {
        Reply r = S().Send("GET", "/api/households/" + code + "/card", "", admin, {{"Host", host}});
        EXPECT_EQ(r.status, 200);
        const std::string file = S().dir + "/qr.pdf";
        std::ofstream(file, std::ios::binary) << r.body;
        testing::Run("rm -f " + S().dir + "/qr-*.png; pdftoppm -r 150 -f 1 -l 1 -png " + file + " " + S().dir + "/qr");
        std::string text = testing::Run("zbarimg -q --raw " + S().dir + "/qr-*.png 2>/dev/null");
        while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
        return text;
    };
    EXPECT_EQ(decode("127.0.0.1:8088"), "http://127.0.0.1:8088/households/" + code);
    EXPECT_EQ(decode("evil.example"), "http://localhost:8080/households/" + code);
    EXPECT_EQ(decode("127.0.0.1\"><x"), "http://localhost:8080/households/" + code);
}

TEST(ApiPrint, VillageCardsAndRegistersByLevelAndFormat) {
    const std::string admin = S().Login("admin");
    const std::string village = Village(admin);
    Reply cards = S().Send("GET", "/api/org-units/" + village + "/cards", "", admin);
    ASSERT_EQ(cards.status, 200);
    EXPECT_EQ(cards.headers["content-disposition"], "attachment; filename=\"cards-" + village + ".pdf\"");
    EXPECT_EQ(S().Send("GET", std::string("/api/org-units/") + kTownshipA + "/cards", "", admin).status, 400);
    EXPECT_EQ(S().Send("GET", "/api/org-units/999999999999/cards", "", admin).status, 404);

    Reply reg = S().Send("GET", "/api/org-units/" + village + "/register", "", admin);
    ASSERT_EQ(reg.status, 200);
    EXPECT_EQ(reg.headers["content-type"], "application/pdf");
    EXPECT_EQ(reg.headers["content-disposition"], "attachment; filename=\"register-" + village + ".pdf\"");
    Reply book = S().Send("GET", std::string("/api/org-units/") + kTownshipA + "/register?format=xlsx&year=2017", "", admin);
    ASSERT_EQ(book.status, 200) << book.body.substr(0, 200);
    EXPECT_EQ(book.headers["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    EXPECT_EQ(book.headers["content-disposition"],
              std::string("attachment; filename=\"book-") + kTownshipA + ".xlsx\"");
    EXPECT_TRUE(book.body.starts_with("PK"));
    EXPECT_EQ(S().Send("GET", "/api/org-units/540425/register", "", admin).status, 400);
    EXPECT_EQ(S().Send("GET", "/api/org-units/" + village + "/register?format=doc", "", admin).status, 400);
    // A township's reader: its own township, not another's.
    const std::string viewer = ScopedSessions().at("viewer");
    EXPECT_EQ(S().Send("GET", std::string("/api/org-units/") + kTownshipA + "/register", "", viewer).status, 200);
    EXPECT_EQ(S().Send("GET", std::string("/api/org-units/") + kTownshipB + "/register", "", viewer).status, 403);
}

}  // namespace
}  // namespace jz::server::testing
