#include "service/household_input.h"

#include <gtest/gtest.h>

#include "core/codes.h"
#include "generator/generator.h"
#include "core/test_support.h"

namespace jz::service {
namespace {

using testing_support::Chayu;

AssemblyContext Context() { return {Chayu().plan, Chayu().tree}; }

std::vector<Household> Generated(int n) {
    GeneratorOptions options;
    options.households = n;
    options.seed = 11;
    auto g = Generator::Create(Chayu().plan, Chayu().tree, options).value();
    std::vector<Household> out;
    Household h;
    while (g->Next(h)) out.push_back(h);
    return out;
}

// The API takes back what it gives: the JSON of any household is accepted as that household.
TEST(HouseholdInput, JsonRoundTrip) {
    for (const Household& h : Generated(300)) {
        auto accepted = AcceptHouseholdJson(boost::json::parse(HouseholdToJson(h)), Context());
        ASSERT_TRUE(accepted) << HouseholdToJson(h) << "\n" << accepted.error().front().message_en;
        EXPECT_EQ(accepted->household, h);
    }
}

boost::json::object Sample() { return boost::json::parse(HouseholdToJson(Generated(1).front())).as_object(); }

std::vector<std::string> Fields(const HouseholdInput& r) {
    std::vector<std::string> out;
    if (!r)
        for (const Error& e : r.error()) out.push_back(e.field);
    return out;
}

TEST(HouseholdInput, NamesAreAcceptedForCodes) {
    auto o = Sample();
    o["attribute"] = "一般贫困户";
    o["members"].as_array()[0].as_object()["sex"] = "男";
    auto r = AcceptHouseholdJson(o, Context());
    ASSERT_TRUE(r) << r.error().front().message_en;
    EXPECT_EQ(r->household.attribute, 1);
}

// Issue 11: 僜人 under code 97 with the name kept; the household JSON, sent back as it came (the
// web page's edit), is accepted as the same household. Control characters in a name are refused.
TEST(HouseholdInput, UnidentifiedEthnicGroupAndControlCharacters) {
    auto o = Sample();
    o["members"].as_array()[0].as_object()["ethnicity"] = "僜人";
    auto r = AcceptHouseholdJson(o, Context());
    ASSERT_TRUE(r) << r.error().front().message_en;
    EXPECT_EQ(r->household.members[0].ethnicity, codes::kEthnicityOther);
    EXPECT_EQ(r->household.members[0].ethnicity_name, "僜人");
    const std::string json = HouseholdToJson(r->household);
    EXPECT_NE(json.find(R"("ethnicity":97,"ethnicity_name":"僜人")"), std::string::npos) << json;
    auto back = AcceptHouseholdJson(boost::json::parse(json), Context());
    ASSERT_TRUE(back) << back.error().front().message_en;
    EXPECT_EQ(back->household, r->household);

    o = Sample();
    o["members"].as_array()[0].as_object()["name"] = "扎西\u202e次仁";
    auto refused = AcceptHouseholdJson(o, Context());
    ASSERT_EQ(Fields(refused), std::vector<std::string>{"members[0].name"});
    EXPECT_EQ(refused.error().front().code, "text.control_character");
    EXPECT_NE(refused.error().front().message_en.find("character 3, U+202E"), std::string::npos)
        << refused.error().front().message_en;
}

TEST(HouseholdInput, ErrorsNameTheField) {
    auto o = Sample();
    o["members"].as_array()[0].as_object()["id_number"] = "540425199001011230";
    EXPECT_EQ(Fields(AcceptHouseholdJson(o, Context())), std::vector<std::string>{"members[0].id_number"});

    o = Sample();
    o["division_code"] = "999999999999";
    EXPECT_EQ(Fields(AcceptHouseholdJson(o, Context())), std::vector<std::string>{"division_code"});

    o = Sample();
    o["colour"] = "red";
    o["members"].as_array()[0].as_object()["attribute"] = 1;  // a household field inside a member
    EXPECT_EQ(Fields(AcceptHouseholdJson(o, Context())),
              (std::vector<std::string>{"colour", "members[0].attribute"}));

    o = Sample();
    o["other_causes"] = boost::json::object{};
    o["members"].as_array()[0].as_object()["name"] = boost::json::array{boost::json::object{}};
    auto r = AcceptHouseholdJson(o, Context());
    EXPECT_EQ(Fields(r), (std::vector<std::string>{"other_causes", "members[0].name"}));
    EXPECT_EQ(r.error()[0].code, "json.type");

    o = Sample();
    o["members"] = boost::json::array{};
    EXPECT_EQ(Fields(AcceptHouseholdJson(o, Context())), std::vector<std::string>{"members"});
    o["members"] = "all";
    EXPECT_EQ(Fields(AcceptHouseholdJson(o, Context())), std::vector<std::string>{"members"});
    EXPECT_EQ(Fields(AcceptHouseholdJson(boost::json::array{}, Context())),
              std::vector<std::string>{"household"});
}

}  // namespace
}  // namespace jz::service
