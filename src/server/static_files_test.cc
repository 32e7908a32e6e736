// Coding negotiation, validators and cache lifetimes of the workbench's files (static_files.h).
#include "server/static_files.h"

#include <gtest/gtest.h>

namespace jz::server {
namespace {

TEST(AcceptEncoding, ReadsCodingsAndQualities) {
    AcceptEncoding a = ParseAcceptEncoding("gzip, deflate, br, zstd");
    EXPECT_EQ(a.gzip, 1000);
    EXPECT_EQ(a.brotli, 1000);
    EXPECT_EQ(a.identity, 1000);

    a = ParseAcceptEncoding("br;q=0.8, GZip ; Q=0.5,identity;q=0.25");
    EXPECT_EQ(a.brotli, 800);
    EXPECT_EQ(a.gzip, 500);
    EXPECT_EQ(a.identity, 250);

    a = ParseAcceptEncoding("x-gzip");
    EXPECT_EQ(a.gzip, 1000);
    EXPECT_EQ(a.brotli, 0);
}

TEST(AcceptEncoding, StarCoversWhatIsNotNamed) {
    AcceptEncoding a = ParseAcceptEncoding("*;q=0.5, gzip;q=0");
    EXPECT_EQ(a.brotli, 500);
    EXPECT_EQ(a.gzip, 0);
    EXPECT_EQ(a.identity, 500);
    a = ParseAcceptEncoding("*;q=0");
    EXPECT_EQ(a.identity, 0);
    a = ParseAcceptEncoding("*;q=0, identity");
    EXPECT_EQ(a.identity, 1000);
}

TEST(AcceptEncoding, EmptyOrMalformedAcceptsOnlyIdentity) {
    for (const char* h : {"", " , ", "gzip;q=2", "gzip;q=1.5", "gzip;q=0.1234", "gzip;q=", "gzip;q=abc", "br;q"}) {
        AcceptEncoding a = ParseAcceptEncoding(h);
        EXPECT_EQ(a.gzip, 0) << h;
        EXPECT_EQ(a.brotli, 0) << h;
        EXPECT_EQ(a.identity, 1000) << h;
    }
    EXPECT_EQ(ParseAcceptEncoding("gzip;q=1.000").gzip, 1000);
    EXPECT_EQ(ParseAcceptEncoding("gzip;q=0.001").gzip, 1);
    EXPECT_EQ(ParseAcceptEncoding("gzip;level=9").gzip, 1000);  // other parameters are ignored
}

TEST(ChooseCoding, HighestQualityThenSmallest) {
    const AcceptEncoding all = ParseAcceptEncoding("gzip, br");
    EXPECT_EQ(ChooseCoding(all, true, true), Coding::kBrotli);
    EXPECT_EQ(ChooseCoding(all, true, false), Coding::kGzip);
    EXPECT_EQ(ChooseCoding(all, false, false), Coding::kIdentity);
    EXPECT_EQ(ChooseCoding(ParseAcceptEncoding("gzip;q=1, br;q=0.5"), true, true), Coding::kGzip);
    EXPECT_EQ(ChooseCoding(ParseAcceptEncoding("gzip;q=0.5"), true, true), Coding::kIdentity);
    EXPECT_EQ(ChooseCoding(ParseAcceptEncoding("gzip;q=0.5, identity;q=0"), true, true), Coding::kGzip);
    EXPECT_EQ(ChooseCoding(ParseAcceptEncoding("br;q=0, gzip;q=0"), true, true), Coding::kIdentity);
    // Nothing acceptable is available: identity all the same.
    EXPECT_EQ(ChooseCoding(ParseAcceptEncoding("identity;q=0, br"), true, false), Coding::kIdentity);
    EXPECT_EQ(ChooseCoding(ParseAcceptEncoding(""), true, true), Coding::kIdentity);
}

TEST(StaticCache, HashedAssetsForeverEverythingElseRevalidated) {
    EXPECT_EQ(CacheControlFor("assets/index-B1x2yz.js"), "public, max-age=31536000, immutable");
    EXPECT_EQ(CacheControlFor("index.html"), "no-cache");
    EXPECT_EQ(CacheControlFor("favicon.ico"), "no-cache");
    EXPECT_EQ(CacheControlFor("assetsX/a.js"), "no-cache");
}

TEST(StaticCache, EachRepresentationHasItsTag) {
    const std::string identity = StaticETag(1234, 99, Coding::kIdentity);
    const std::string gzip = StaticETag(1234, 99, Coding::kGzip);
    const std::string brotli = StaticETag(1234, 99, Coding::kBrotli);
    EXPECT_EQ(identity, "\"4d2-63\"");
    EXPECT_EQ(gzip, "\"4d2-63-gzip\"");
    EXPECT_EQ(brotli, "\"4d2-63-br\"");
    EXPECT_NE(StaticETag(1234, 100, Coding::kIdentity), identity);

    EXPECT_TRUE(NoneMatchHits(identity, identity));
    EXPECT_TRUE(NoneMatchHits("W/" + identity, identity));
    EXPECT_TRUE(NoneMatchHits("\"x\", " + gzip + " ,\"y\"", gzip));
    EXPECT_TRUE(NoneMatchHits("*", gzip));
    EXPECT_FALSE(NoneMatchHits(identity, gzip));
    EXPECT_FALSE(NoneMatchHits("", identity));
    EXPECT_FALSE(NoneMatchHits("\"4d2-63", identity));
}

}  // namespace
}  // namespace jz::server
