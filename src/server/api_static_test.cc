// The workbench's files as the server sends them (static_files.h): precompressed siblings chosen
// by Accept-Encoding, Vary, cache lifetimes, ETag and 304, HEAD, Range, the single-page app's
// fallback, and the API's answers left uncached.
#include <gtest/gtest.h>

#include <fstream>

#include "server/api_test_support.h"

namespace jz::server::testing {
namespace {

void Write(const fs::path& p, const std::string& content) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
}

// A built workbench in the served folder: index.html and a hashed script, each with .gz and .br
// siblings (their content marks which one was sent), and a PNG with none.
class StaticFiles : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        const fs::path web = fs::path(S().dir) / "web";
        Write(web / "index.html", "<!doctype html>identity index");
        Write(web / "index.html.gz", "GZ index");
        Write(web / "index.html.br", "BR index");
        Write(web / "assets/index-AbC123.js", "console.log('identity script');");
        Write(web / "assets/index-AbC123.js.gz", "GZ script");
        Write(web / "assets/index-AbC123.js.br", "BR script");
        Write(web / "assets/logo-Xy9.png", "PNG");
        Write(web / "sw.js", "self.addEventListener('fetch', () => {});");
    }
    // HEAD with a reader that expects no body (the shared client would wait for Content-Length).
    static Reply Head(const std::string& target, const std::string& accept_encoding) {
        asio::io_context ioc;
        asio::ip::tcp::socket socket(ioc);
        socket.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(S().port)});
        beast::http::request<beast::http::empty_body> req{beast::http::verb::head, target, 11};
        req.set(beast::http::field::host, "localhost");
        req.set(beast::http::field::accept_encoding, accept_encoding);
        beast::http::write(socket, req);
        beast::flat_buffer buffer;
        beast::http::response_parser<beast::http::string_body> parser;
        parser.skip(true);
        beast::error_code ec;
        beast::http::read(socket, buffer, parser, ec);
        Reply r;
        if (ec) return r;
        r.status = parser.get().result_int();
        r.body = parser.get().body();
        for (auto& f : parser.get()) {
            std::string name(f.name_string());
            for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            r.headers[name] = std::string(f.value());
        }
        return r;
    }
    static Reply Get(const std::string& target, std::map<std::string, std::string> headers = {}) {
        return S().Send("GET", target, "", "", std::move(headers));
    }
};

TEST_F(StaticFiles, NegotiatesThePrecompressedSibling) {
    Reply br = Get("/assets/index-AbC123.js", {{"Accept-Encoding", "gzip, deflate, br"}});
    EXPECT_EQ(br.status, 200);
    EXPECT_EQ(br.body, "BR script");
    EXPECT_EQ(br.headers["content-encoding"], "br");
    EXPECT_EQ(br.headers["content-type"], "text/javascript; charset=utf-8");
    EXPECT_EQ(br.headers["vary"], "Accept-Encoding");
    EXPECT_EQ(br.headers["content-length"], "9");

    Reply gz = Get("/assets/index-AbC123.js", {{"Accept-Encoding", "br;q=0.5, gzip"}});
    EXPECT_EQ(gz.body, "GZ script");
    EXPECT_EQ(gz.headers["content-encoding"], "gzip");

    Reply plain = Get("/assets/index-AbC123.js");
    EXPECT_EQ(plain.body, "console.log('identity script');");
    EXPECT_EQ(plain.headers.count("content-encoding"), 0u);
    EXPECT_EQ(plain.headers["vary"], "Accept-Encoding");

    Reply refused = Get("/assets/index-AbC123.js", {{"Accept-Encoding", "br;q=0, gzip;q=0"}});
    EXPECT_EQ(refused.body, "console.log('identity script');");
    Reply forced = Get("/assets/index-AbC123.js", {{"Accept-Encoding", "identity;q=0, gzip;q=0.1"}});
    EXPECT_EQ(forced.body, "GZ script");

    // The single-page app's fallback is index.html, negotiated the same way.
    Reply page = Get("/households/5404251000010001", {{"Accept-Encoding", "gzip"}});
    EXPECT_EQ(page.status, 200);
    EXPECT_EQ(page.body, "GZ index");
    EXPECT_EQ(page.headers["content-type"], "text/html; charset=utf-8");

    // A file with no sibling is sent as it is, with no Vary.
    Reply png = Get("/assets/logo-Xy9.png", {{"Accept-Encoding", "gzip, br"}});
    EXPECT_EQ(png.body, "PNG");
    EXPECT_EQ(png.headers.count("content-encoding"), 0u);
    EXPECT_EQ(png.headers.count("vary"), 0u);
}

TEST_F(StaticFiles, HashedAssetsAreImmutableTheIndexIsRevalidated) {
    EXPECT_EQ(Get("/assets/index-AbC123.js").headers["cache-control"], "public, max-age=31536000, immutable");
    EXPECT_EQ(Get("/assets/logo-Xy9.png").headers["cache-control"], "public, max-age=31536000, immutable");
    for (const char* page : {"/", "/index.html", "/households", "/procedures/12"}) {
        Reply r = Get(page);
        EXPECT_EQ(r.status, 200) << page;
        EXPECT_EQ(r.headers["cache-control"], "no-cache") << page;
        EXPECT_FALSE(r.headers["etag"].empty()) << page;
    }
    // A missing hashed file is a 404, never the app under a script's name, and never cached.
    Reply missing = Get("/assets/index-Old999.js");
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(missing.headers["cache-control"], "no-store");
    // The API's answers stay uncached.
    EXPECT_EQ(Get("/api/me").headers["cache-control"], "no-store");
    EXPECT_EQ(Get("/api/openapi.json").headers["cache-control"], "no-store");
    Reply download = S().Send("GET", "/api/exports/registry.csv?division=540425100001", "", S().Login("admin"));
    EXPECT_EQ(download.status, 200);
    EXPECT_EQ(download.headers["cache-control"], "no-store");
}

TEST_F(StaticFiles, IfNoneMatchAnswers304PerRepresentation) {
    Reply first = Get("/", {{"Accept-Encoding", "br"}});
    const std::string tag = first.headers["etag"];
    ASSERT_FALSE(tag.empty());
    Reply again = Get("/", {{"Accept-Encoding", "br"}, {"If-None-Match", tag}});
    EXPECT_EQ(again.status, 304);
    EXPECT_TRUE(again.body.empty());
    EXPECT_EQ(again.headers["etag"], tag);
    EXPECT_EQ(again.headers["cache-control"], "no-cache");
    EXPECT_EQ(again.headers["vary"], "Accept-Encoding");
    EXPECT_EQ(Get("/", {{"Accept-Encoding", "br"}, {"If-None-Match", "W/" + tag}}).status, 304);
    EXPECT_EQ(Get("/", {{"Accept-Encoding", "br"}, {"If-None-Match", "\"other\", " + tag}}).status, 304);
    // The identity representation has another tag: the brotli one does not validate it.
    Reply identity = Get("/", {{"If-None-Match", tag}});
    EXPECT_EQ(identity.status, 200);
    EXPECT_NE(identity.headers["etag"], tag);
    EXPECT_EQ(Get("/", {{"If-None-Match", "\"stale\""}}).status, 200);

    // A changed index.html has a new tag.
    const fs::path index = fs::path(S().dir) / "web/index.html";
    Write(index, "<!doctype html>identity index, rebuilt");
    fs::last_write_time(index, fs::last_write_time(index) + std::chrono::seconds(5));
    Reply rebuilt = Get("/", {{"If-None-Match", identity.headers["etag"]}});
    EXPECT_EQ(rebuilt.status, 200);
    EXPECT_EQ(rebuilt.body, "<!doctype html>identity index, rebuilt");
    Write(index, "<!doctype html>identity index");
}

TEST_F(StaticFiles, HeadAndRange) {
    Reply head = Head("/assets/index-AbC123.js", "gzip");
    EXPECT_EQ(head.status, 200);
    EXPECT_TRUE(head.body.empty());
    EXPECT_EQ(head.headers["content-length"], "9");
    EXPECT_EQ(head.headers["content-encoding"], "gzip");
    EXPECT_EQ(head.headers["cache-control"], "public, max-age=31536000, immutable");
    EXPECT_FALSE(head.headers["etag"].empty());

    // Range is not served: the whole identity body answers it, said so by Accept-Ranges.
    Reply ranged = Get("/assets/index-AbC123.js", {{"Accept-Encoding", "gzip, br"}, {"Range", "bytes=0-3"}});
    EXPECT_EQ(ranged.status, 200);
    EXPECT_EQ(ranged.body, "console.log('identity script');");
    EXPECT_EQ(ranged.headers.count("content-encoding"), 0u);
    EXPECT_EQ(ranged.headers["accept-ranges"], "none");
}

// The field page's service worker: a script from the root (scope /), revalidated on every visit so
// a new build's worker is seen at once; never the app's index.html when it is missing.
TEST_F(StaticFiles, ServiceWorkerIsAScriptRevalidatedEachTime) {
    Reply sw = Get("/sw.js");
    EXPECT_EQ(sw.status, 200);
    EXPECT_EQ(sw.headers["content-type"], "text/javascript; charset=utf-8");
    EXPECT_EQ(sw.headers["cache-control"], "no-cache");
    EXPECT_EQ(sw.body, "self.addEventListener('fetch', () => {});");
    const fs::path file = fs::path(S().dir) / "web/sw.js";
    fs::remove(file);
    Reply missing = Get("/sw.js");
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(missing.headers["cache-control"], "no-store");
    Write(file, "self.addEventListener('fetch', () => {});");
}

}  // namespace
}  // namespace jz::server::testing
