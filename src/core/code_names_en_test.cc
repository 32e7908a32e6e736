#include "core/code_names_en.h"

#include <gtest/gtest.h>

#include "core/codes.h"

namespace jz {
namespace {

TEST(CodeNamesEn, EveryCodeOfEveryTableHasAnEnglishName) {
    for (const CodeTable* t : codes::All()) {
        EXPECT_FALSE(codes::TableLabelEn(t->id).empty()) << t->id;
        for (const CodeEntry& e : t->entries)
            EXPECT_FALSE(codes::CodeNameEn(t->id, e.code).empty()) << t->id << " " << e.code << " " << e.name;
    }
}

TEST(CodeNamesEn, UnknownTablesAndCodesHaveNone) {
    EXPECT_TRUE(codes::CodeNameEn("status", 77).empty());
    EXPECT_TRUE(codes::CodeNameEn("nope", 1).empty());
    EXPECT_EQ(codes::CodeNameEn("status", codes::kStatusNotExited), "Not exited");
}

}  // namespace
}  // namespace jz
