// Visits' routes against the real server (issue 15): a visit recorded once per client id (a retry
// answers 200 with the stored visit, two identical uploads at once make one visit), a household
// changed since the visit was recorded answered 409 with its current state until confirmed, photos
// typed by their content and sized by the plan, fields named, scope and roles, the list's filters and
// pages, and the field kit.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <thread>

#include "server/api_test_support.h"

namespace jz::server::testing {
namespace {

// Base64 (standard alphabet, padded).
std::string B64(std::string_view bytes) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const uint32_t n = (uint32_t(uint8_t(bytes[i])) << 16) | (uint32_t(uint8_t(bytes[i + 1])) << 8) | uint8_t(bytes[i + 2]);
        for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(n >> s) & 63];
    }
    if (i + 1 == bytes.size()) {
        const uint32_t n = uint32_t(uint8_t(bytes[i])) << 16;
        out += kAlphabet[(n >> 18) & 63];
        out += kAlphabet[(n >> 12) & 63];
        out += "==";
    } else if (i + 2 == bytes.size()) {
        const uint32_t n = (uint32_t(uint8_t(bytes[i])) << 16) | (uint32_t(uint8_t(bytes[i + 1])) << 8);
        out += kAlphabet[(n >> 18) & 63];
        out += kAlphabet[(n >> 12) & 63];
        out += kAlphabet[(n >> 6) & 63];
        out += '=';
    }
    return out;
}

// The start of a PNG (signature and IHDR of a 2×2 image) and of a JPEG (SOI, APP0 JFIF), padded.
std::string Png(size_t size = 64) {
    std::string p("\x89PNG\r\n\x1a\n", 8);
    p += std::string("\0\0\0\x0d", 4) + "IHDR" + std::string("\0\0\0\x02\0\0\0\x02\x08\x02\0\0\0", 13) + "CRC!";
    p.resize(std::max(size, p.size()), '\0');
    return p;
}
std::string Jpeg(size_t size = 64) {
    std::string j("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00", 11);
    j.resize(std::max(size, j.size()), '\x01');
    return j;
}

int counter = 0;
std::string NewClientId() { return "test-visit-" + std::to_string(getpid()) + "-" + std::to_string(++counter); }

// A cadre of township A (through the CLI, as the pairing routes are not this file's), and a
// household of township A paired with them: {cadre id, household code}.
struct Paired {
    int64_t cadre = 0;
    std::string household;
};
const Paired& PairedHousehold() {
    static const Paired paired = [] {
        Paired p;
        const std::string admin = S().Login("admin");
        // A household not exited (an exited one keeps its last cadre: no new pairing).
        Reply list = S().Send("GET", std::string("/api/households?division=") + kTownshipA + "&status=0&page_size=20", "", admin);
        EXPECT_EQ(list.status, 200) << list.body;
        p.household = std::string(list.Json().at("items").at(3).at("household_code").as_string());
        const std::string bin = std::string(JZ_BINARY) + " ";
        const std::string out = Run(bin + "cadre add --db " + S().db + " --name 走访测试干部 --unit 县农牧局 --rank 3 --township " +
                                    kTownshipA + " --from 2015-01-01 --json");
        json::error_code ec;
        json::value v = json::parse(out, ec);
        EXPECT_FALSE(ec) << out;
        if (!ec && v.is_object()) {
            const json::object& o = v.as_object();
            const json::value* id = o.if_contains("id");
            if (!id && o.contains("cadre")) id = o.at("cadre").as_object().if_contains("id");
            if (id && id->is_int64()) p.cadre = id->as_int64();
        }
        EXPECT_GT(p.cadre, 0) << out;
        const std::string set = Run(bin + "pairing set " + p.household + " --db " + S().db + " --cadre " +
                                    std::to_string(p.cadre) + " --reason 走访测试 --allow-over-quota --json 2>&1");
        EXPECT_NE(set.find(p.household), std::string::npos) << set;
        return p;
    }();
    return paired;
}

json::object VisitBody(const std::string& client_id, const Paired& p) {
    return {{"client_id", client_id},
            {"household_code", p.household},
            {"cadre_id", p.cadre},
            {"date", "2017-05-02"},
            {"discussed", "了解今年种植收入"},
            {"done", "协调技术员上门"},
            {"place", {{"lat", 28.661234}, {"lon", "97.465678"}, {"accuracy", 15}}}};
}

int64_t HouseholdVersion(const std::string& cookie, const std::string& code) {
    Reply r = S().Send("GET", "/api/households/" + code, "", cookie);
    EXPECT_EQ(r.status, 200) << r.body;
    return Obj(r).at("version").as_int64();
}

int64_t VisitsWithClientId(const std::string& cookie, const std::string& household, const std::string& client_id) {
    Reply r = S().Send("GET", "/api/visits?household=" + household + "&limit=500", "", cookie);
    EXPECT_EQ(r.status, 200) << r.body;
    int64_t n = 0;
    for (const auto& v : Obj(r).at("visits").as_array())
        if (v.at("client_id").as_string() == client_id) ++n;
    return n;
}

TEST(ApiVisits, AVisitIsRecordedOnceAndARetryAnswersTheStoredOne) {
    const std::string admin = S().Login("admin");
    const Paired& p = PairedHousehold();
    const std::string id = NewClientId();
    json::object body = VisitBody(id, p);
    body["household_version"] = HouseholdVersion(admin, p.household);
    Reply first = S().Send("POST", "/api/visits", Body(body), admin);
    ASSERT_EQ(first.status, 201) << first.body;
    EXPECT_TRUE(Obj(first).at("inserted").as_bool());
    const json::object& visit = Obj(first).at("visit").as_object();
    EXPECT_EQ(visit.at("client_id").as_string(), id);
    EXPECT_EQ(visit.at("household_code").as_string(), p.household);
    EXPECT_EQ(visit.at("cadre_id").as_int64(), p.cadre);
    EXPECT_EQ(visit.at("recorded_by").as_string(), "admin");
    EXPECT_EQ(visit.at("place").at("lat_e6").as_int64(), 28661234);
    const int64_t visit_id = visit.at("id").as_int64();

    // The same upload again (its answer was lost): 200, the stored visit, nothing new.
    Reply again = S().Send("POST", "/api/visits", Body(body), admin);
    ASSERT_EQ(again.status, 200) << again.body;
    EXPECT_FALSE(Obj(again).at("inserted").as_bool());
    EXPECT_EQ(Obj(again).at("visit").at("id").as_int64(), visit_id);
    EXPECT_EQ(VisitsWithClientId(admin, p.household, id), 1);

    // The same client id for another visit is refused, not merged.
    json::object other = body;
    other["date"] = "2017-05-03";
    Reply reused = S().Send("POST", "/api/visits", Body(other), admin);
    EXPECT_EQ(reused.status, 409) << reused.body;
    EXPECT_EQ(Obj(reused).at("error").at("code").as_string(), "visit.client_id_reused");
}

TEST(ApiVisits, TwoIdenticalUploadsAtOnceMakeOneVisit) {
    const std::string admin = S().Login("admin");
    const Paired& p = PairedHousehold();
    for (int round = 0; round < 5; ++round) {
        const std::string id = NewClientId();
        json::object body = VisitBody(id, p);
        body["photo"] = B64(Jpeg(4096));
        const std::string text = Body(body);
        Reply a, b;
        std::thread ta([&] { a = S().Send("POST", "/api/visits", text, admin); });
        std::thread tb([&] { b = S().Send("POST", "/api/visits", text, admin); });
        ta.join();
        tb.join();
        ASSERT_TRUE((a.status == 201 && b.status == 200) || (a.status == 200 && b.status == 201))
            << a.status << " " << a.body << " / " << b.status << " " << b.body;
        EXPECT_EQ(Obj(a).at("visit").at("id").as_int64(), Obj(b).at("visit").at("id").as_int64());
        EXPECT_NE(Obj(a).at("inserted").as_bool(), Obj(b).at("inserted").as_bool());
        EXPECT_EQ(VisitsWithClientId(admin, p.household, id), 1);
    }
}

TEST(ApiVisits, AHouseholdChangedSinceIsShownUntilTheVisitIsConfirmed) {
    const std::string admin = S().Login("admin");
    const Paired& p = PairedHousehold();
    const int64_t seen = HouseholdVersion(admin, p.household);
    // Someone changes the household while the cadre is offline.
    auto [h, etag] = Fetch(admin, p.household);
    h["phone"] = "13800000015";
    Reply put = S().Send("PUT", "/api/households/" + p.household, Body(h), admin, {{"If-Match", etag}});
    ASSERT_EQ(put.status, 200) << put.body;
    const int64_t now = HouseholdVersion(admin, p.household);
    ASSERT_GT(now, seen);

    const std::string id = NewClientId();
    json::object body = VisitBody(id, p);
    body["household_version"] = seen;
    Reply conflict = S().Send("POST", "/api/visits", Body(body), admin);
    ASSERT_EQ(conflict.status, 409) << conflict.body;
    EXPECT_EQ(Obj(conflict).at("error").at("code").as_string(), "visit.household_changed");
    const json::object& current = Obj(conflict).at("household").as_object();
    EXPECT_EQ(current.at("household_code").as_string(), p.household);
    EXPECT_EQ(current.at("version").as_int64(), now);
    EXPECT_EQ(current.at("phone").as_string(), "13800000015");
    EXPECT_EQ(VisitsWithClientId(admin, p.household, id), 0);

    // Confirmed by the user: recorded.
    body["confirm_changed"] = true;
    Reply confirmed = S().Send("POST", "/api/visits", Body(body), admin);
    ASSERT_EQ(confirmed.status, 201) << confirmed.body;
    EXPECT_EQ(VisitsWithClientId(admin, p.household, id), 1);
}

TEST(ApiVisits, APhotoIsTypedByItsContentAndLimitedInSize) {
    const std::string admin = S().Login("admin");
    const Paired& p = PairedHousehold();
    // A PNG the phone called photo.jpg: the name never travels, the content says PNG.
    json::object body = VisitBody(NewClientId(), p);
    const std::string png = Png(2048);
    body["photo"] = B64(png);
    Reply stored = S().Send("POST", "/api/visits", Body(body), admin);
    ASSERT_EQ(stored.status, 201) << stored.body;
    const int64_t id = Obj(stored).at("visit").at("id").as_int64();
    EXPECT_EQ(Obj(stored).at("visit").at("photo").as_string(), "png");
    Reply photo = S().Send("GET", "/api/visits/" + std::to_string(id) + "/photo", "", admin);
    ASSERT_EQ(photo.status, 200);
    EXPECT_EQ(photo.headers["content-type"], "image/png");
    EXPECT_EQ(photo.headers["x-content-type-options"], "nosniff");
    EXPECT_TRUE(photo.headers["cache-control"].starts_with("private")) << photo.headers["cache-control"];
    EXPECT_EQ(photo.body, png);

    // A JPEG, as a data URL claiming PNG: the content wins.
    body = VisitBody(NewClientId(), p);
    const std::string jpeg = Jpeg(1000);
    body["photo"] = "data:image/png;base64," + B64(jpeg);
    Reply j = S().Send("POST", "/api/visits", Body(body), admin);
    ASSERT_EQ(j.status, 201) << j.body;
    Reply jphoto = S().Send("GET", "/api/visits/" + std::to_string(Obj(j).at("visit").at("id").as_int64()) + "/photo", "", admin);
    EXPECT_EQ(jphoto.headers["content-type"], "image/jpeg");
    EXPECT_EQ(jphoto.body, jpeg);

    // A text file renamed .jpg: refused, naming the photo; nothing recorded.
    const std::string text_id = NewClientId();
    body = VisitBody(text_id, p);
    body["photo"] = B64("走访记录: this is text, not a picture\n");
    Reply text = S().Send("POST", "/api/visits", Body(body), admin);
    EXPECT_EQ(text.status, 422) << text.body;
    EXPECT_EQ(Obj(text).at("error").at("code").as_string(), "visit.photo");
    EXPECT_EQ(Obj(text).at("error").at("fields").at(0).at("field").as_string(), "photo");
    EXPECT_EQ(VisitsWithClientId(admin, p.household, text_id), 0);

    // Larger than the plan's photo_max_bytes (2 MiB) but inside the body limit: refused by size.
    body = VisitBody(NewClientId(), p);
    body["photo"] = B64(Jpeg(2 * 1024 * 1024 + 1));
    Reply big = S().Send("POST", "/api/visits", Body(body), admin);
    EXPECT_EQ(big.status, 422) << big.body.substr(0, 300);
    EXPECT_EQ(Obj(big).at("error").at("code").as_string(), "visit.photo");
    // Far beyond the body limit: 413 before anything is read.
    body["photo"] = B64(Jpeg(4 * 1024 * 1024));
    Reply huge = S().Send("POST", "/api/visits", Body(body), admin);
    EXPECT_EQ(huge.status, 413) << huge.body.substr(0, 300);
    // Not base64 at all.
    body["photo"] = "%%% not base64 %%%";
    Reply bad = S().Send("POST", "/api/visits", Body(body), admin);
    EXPECT_EQ(bad.status, 400) << bad.body;
}

TEST(ApiVisits, InvalidInputNamesTheField) {
    const std::string admin = S().Login("admin");
    const Paired& p = PairedHousehold();
    auto field_of = [&](json::object body) {
        Reply r = S().Send("POST", "/api/visits", Body(std::move(body)), admin);
        EXPECT_EQ(r.status, 400) << r.body;
        std::string fields;
        if (const auto* e = r.Json().as_object().if_contains("error"))
            for (const auto& f : e->at("fields").as_array()) fields += std::string(f.at("field").as_string()) + ",";
        return fields;
    };
    json::object body = VisitBody(NewClientId(), p);
    body.erase("discussed");
    EXPECT_NE(field_of(body).find("discussed"), std::string::npos);
    body = VisitBody(NewClientId(), p);
    body["date"] = "2017-02-30";
    EXPECT_NE(field_of(body).find("date"), std::string::npos);
    body = VisitBody(NewClientId(), p);
    body["client_id"] = "x";
    EXPECT_NE(field_of(body).find("client_id"), std::string::npos);
    body = VisitBody(NewClientId(), p);
    body["place"] = json::object{{"lat", 128.5}, {"lon", 97.1}};
    EXPECT_NE(field_of(body).find("place.lat"), std::string::npos);
    body = VisitBody(NewClientId(), p);
    body["colour"] = "red";
    EXPECT_NE(field_of(body).find("colour"), std::string::npos);
    body = VisitBody(NewClientId(), p);
    body["household_code"] = "540425999999999";
    EXPECT_NE(field_of(body).find("household_code"), std::string::npos);
    body = VisitBody(NewClientId(), p);
    body["cadre_id"] = 987654321;
    EXPECT_NE(field_of(body).find("cadre_id"), std::string::npos);
    Reply not_json = S().Send("POST", "/api/visits", "{", admin);
    EXPECT_EQ(not_json.status, 400);
}

TEST(ApiVisits, ScopeAndRoles) {
    const std::string admin = S().Login("admin");
    const Paired& p = PairedHousehold();
    auto& scoped = ScopedSessions();
    // A township-A officer records a visit of township A; not of township B.
    Reply mine = S().Send("POST", "/api/visits", Body(VisitBody(NewClientId(), p)), scoped["officer"]);
    EXPECT_EQ(mine.status, 201) << mine.body;
    json::object other = VisitBody(NewClientId(), p);
    other["household_code"] = HouseholdIn(admin, kTownshipB, 0);
    Reply theirs = S().Send("POST", "/api/visits", Body(other), scoped["officer"]);
    EXPECT_EQ(theirs.status, 400) << theirs.body;
    // A visit of township B, by the admin: invisible to township A.
    Reply b = S().Send("POST", "/api/visits", Body([&] {
                           json::object o = other;
                           o["photo"] = B64(Png());
                           return o;
                       }()),
                       admin);
    ASSERT_EQ(b.status, 201) << b.body;
    const std::string b_photo = "/api/visits/" + std::to_string(Obj(b).at("visit").at("id").as_int64()) + "/photo";
    EXPECT_EQ(S().Send("GET", b_photo, "", scoped["officer"]).status, 404);
    EXPECT_EQ(S().Send("GET", b_photo, "", admin).status, 200);
    Reply listed = S().Send("GET", "/api/visits?household=" + std::string(other.at("household_code").as_string()), "",
                            scoped["officer"]);
    ASSERT_EQ(listed.status, 200);
    EXPECT_TRUE(Obj(listed).at("visits").as_array().empty());
    EXPECT_EQ(S().Send("GET", "/api/visits?unit=" + std::string(kTownshipB), "", scoped["officer"]).status, 404);
    // Readers read, do not write.
    EXPECT_EQ(S().Send("POST", "/api/visits", Body(VisitBody(NewClientId(), p)), scoped["viewer"]).status, 403);
    EXPECT_EQ(S().Send("GET", "/api/visits", "", scoped["viewer"]).status, 200);
    EXPECT_EQ(S().Send("GET", "/api/visits").status, 401);
    EXPECT_EQ(S().Send("GET", "/api/visits/1/photo").status, 401);
    EXPECT_EQ(S().Send("GET", "/api/visits/999999999/photo", "", admin).status, 404);
}

TEST(ApiVisits, TheListFiltersAndPages) {
    const std::string admin = S().Login("admin");
    const Paired& p = PairedHousehold();
    for (const char* date : {"2017-01-10", "2017-02-10", "2017-03-10"}) {
        json::object body = VisitBody(NewClientId(), p);
        body["date"] = date;
        ASSERT_EQ(S().Send("POST", "/api/visits", Body(body), admin).status, 201);
    }
    const std::string base = "/api/visits?cadre=" + std::to_string(p.cadre) + "&from=2017-01-01&to=2017-03-31";
    Reply all = S().Send("GET", base, "", admin);
    ASSERT_EQ(all.status, 200) << all.body;
    const auto& visits = Obj(all).at("visits").as_array();
    ASSERT_EQ(visits.size(), 3u);
    EXPECT_EQ(visits.at(0).at("date").as_string(), "2017-03-10");  // newest first
    EXPECT_TRUE(Obj(all).at("next_before").is_null());
    Reply page1 = S().Send("GET", base + "&limit=2", "", admin);
    ASSERT_EQ(Obj(page1).at("visits").as_array().size(), 2u);
    const int64_t next = Obj(page1).at("next_before").as_int64();
    Reply page2 = S().Send("GET", base + "&limit=2&before=" + std::to_string(next), "", admin);
    ASSERT_EQ(Obj(page2).at("visits").as_array().size(), 1u);
    EXPECT_EQ(Obj(page2).at("visits").at(0).at("date").as_string(), "2017-01-10");
    EXPECT_EQ(S().Send("GET", "/api/visits?from=2017-13-01", "", admin).status, 400);
    EXPECT_EQ(S().Send("GET", "/api/visits?from=2017-03-01&to=2017-01-01", "", admin).status, 400);
    EXPECT_EQ(S().Send("GET", "/api/visits?cadre=abc", "", admin).status, 400);
    EXPECT_EQ(S().Send("GET", "/api/visits?limit=501", "", admin).status, 400);
}

TEST(ApiVisits, TheFieldKitHasTheCadresHouseholdsInScope) {
    const std::string admin = S().Login("admin");
    const Paired& p = PairedHousehold();
    Reply kit = S().Send("GET", "/api/field/kit?cadre=" + std::to_string(p.cadre), "", admin);
    ASSERT_EQ(kit.status, 200) << kit.body;
    EXPECT_EQ(Obj(kit).at("cadre").at("id").as_int64(), p.cadre);
    bool found = false;
    for (const auto& h : Obj(kit).at("households").as_array())
        if (h.at("household_code").as_string() == p.household) {
            found = true;
            EXPECT_EQ(h.at("version").as_int64(), HouseholdVersion(admin, p.household));
        }
    EXPECT_TRUE(found) << kit.body.substr(0, 500);
    // Masked for a viewer: the head's ID number.
    auto& scoped = ScopedSessions();
    Reply viewer = S().Send("GET", "/api/field/kit?cadre=" + std::to_string(p.cadre), "", scoped["viewer"]);
    ASSERT_EQ(viewer.status, 200) << viewer.body;
    for (const auto& h : Obj(viewer).at("households").as_array())
        EXPECT_NE(std::string(h.at("head_id_number").as_string()).find('*'), std::string::npos);
    EXPECT_EQ(S().Send("GET", "/api/field/kit", "", admin).status, 400);
    EXPECT_EQ(S().Send("GET", "/api/field/kit?cadre=0", "", admin).status, 400);
    EXPECT_EQ(S().Send("GET", "/api/field/kit?cadre=987654321", "", admin).status, 404);
}

}  // namespace
}  // namespace jz::server::testing
