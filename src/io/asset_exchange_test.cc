// The assets' exchange file: written in .csv and .xlsx and read back as the API's bodies; a file
// without 资产编号, or with a column outside the layout, is refused.
#include "io/asset_exchange.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace jz::io {
namespace {

namespace fs = std::filesystem;

std::string Temp(const std::string& name) {
    return (fs::temp_directory_path() / ("jz-assets-" + std::to_string(::getpid()) + "-" + name)).string();
}

Asset Made(const std::string& id, std::optional<Fen> cap) {
    Asset a;
    a.id = id;
    a.project_id = "FP2017-01";
    a.kind = AssetKind::kGreenhouse;
    a.value = 12'345'67;
    a.owner = AssetOwner::kCooperative;
    a.owner_name = "种植合作社";
    a.division_code = "540425100201";
    a.total_shares = 360;
    a.cap_per_share = cap;
    a.disposed = true;
    return a;
}

TEST(AssetExchange, WrittenAndReadBackInBothFormats) {
    const std::vector<Asset> assets{Made("A-1", 150'00), Made("A-2", std::nullopt)};
    for (const char* ext : {".csv", ".xlsx"}) {
        const std::string path = Temp(std::string("round") + ext);
        auto n = WriteAssets(assets, path);
        ASSERT_TRUE(n) << n.error().ToString();
        EXPECT_EQ(*n, 2);
        auto rows = ReadAssetRows(path);
        ASSERT_TRUE(rows) << rows.error().ToString();
        ASSERT_EQ(rows->size(), 2u) << ext;
        const boost::json::object& b = (*rows)[0].body;
        EXPECT_EQ((*rows)[0].row, 2);
        EXPECT_EQ(b.at("id").as_string(), "A-1");
        EXPECT_EQ(b.at("kind").as_string(), "大棚");
        EXPECT_EQ(b.at("owner").as_string(), "cooperative");
        EXPECT_EQ(b.at("division_code").as_string(), "540425100201");
        EXPECT_EQ(b.at("total_shares").as_int64(), 360);
        EXPECT_EQ(b.at("poor_permille").as_int64(), 550);
        EXPECT_EQ(ParseCenti(std::string(b.at("value").as_string())), std::optional<int64_t>(12'345'67)) << ext;
        EXPECT_EQ(ParseCenti(std::string(b.at("cap_per_share").as_string())), std::optional<int64_t>(150'00)) << ext;
        EXPECT_FALSE(b.contains("disposed"));  // export only
        EXPECT_FALSE((*rows)[1].body.contains("cap_per_share"));
        fs::remove(path);
    }
}

TEST(AssetExchange, MissingIdColumnAndUnknownColumnsAreRefused) {
    const std::string path = Temp("bad.csv");
    std::ofstream(path) << "资产类型,总股数\n大棚,10\n";
    EXPECT_EQ(ReadAssetRows(path).error().code, "import.missing_columns");
    std::ofstream(path) << "资产编号,颜色\nA-1,红\n";
    EXPECT_EQ(ReadAssetRows(path).error().code, "import.unknown_column");
    std::ofstream(path) << "id,kind,total_shares\nA-1,4,12\n";
    auto rows = ReadAssetRows(path);
    ASSERT_TRUE(rows) << rows.error().ToString();
    EXPECT_EQ((*rows)[0].body.at("total_shares").as_int64(), 12);
    fs::remove(path);
}

}  // namespace
}  // namespace jz::io
