// Fuzz target: JSON bodies. What the server does with a request body before any store work
// (server/api.cc ParseJson: boost::json::parse with its default limits), then the household input
// every household write goes through (service/household_input.h AcceptHouseholdJson, with the
// Chayu plan and divisions), and the store's own JSON decoders (household, procedure case,
// evaluation; store/json_reader.h), which read back documents the database holds.
// Invariants: no crash, no sanitizer report, no exception escapes; what is accepted is stable: a
// household accepted from JSON is accepted again, unchanged, from the JSON the API returns for it,
// and each decoder reads back exactly what its encoder writes for a decoded value.
#include <boost/json.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/test_support.h"
#include "fuzz_support.h"
#include "service/household_input.h"
#include "store/procedure_json.h"
#include "store/store.h"

namespace {

const jz::AssemblyContext& Context() {
    static const jz::AssemblyContext context{jz::testing_support::Chayu().plan,
                                             jz::testing_support::Chayu().tree};
    return context;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    (void)Context();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    boost::json::error_code ec;
    const boost::json::value body = boost::json::parse(text, ec);
    if (!ec && body.is_object()) {
        auto accepted = jz::service::AcceptHouseholdJson(body, Context());
        if (accepted) {
            const std::string json = jz::HouseholdToJson(accepted->household);
            auto again = jz::service::AcceptHouseholdJson(boost::json::parse(json), Context());
            JZ_FUZZ_CHECK(again.has_value());
            JZ_FUZZ_CHECK(again->household == accepted->household);
            auto stored = jz::HouseholdFromJson(json);
            JZ_FUZZ_CHECK(stored.has_value());
            JZ_FUZZ_CHECK(*stored == accepted->household);
        } else {
            JZ_FUZZ_CHECK(!accepted.error().empty());
            // The field may be empty only when it is an unknown key that is itself "".
            for (const auto& e : accepted.error())
                JZ_FUZZ_CHECK(!e.code.empty() && (!e.field.empty() || e.code == "json.unknown_field"));
        }
    }

    if (auto h = jz::HouseholdFromJson(text)) {
        auto again = jz::HouseholdFromJson(jz::HouseholdToJson(*h));
        JZ_FUZZ_CHECK(again.has_value() && *again == *h);
    }
    if (auto c = jz::ProcedureCaseFromJson(text)) {
        auto again = jz::ProcedureCaseFromJson(jz::ProcedureCaseToJson(*c));
        JZ_FUZZ_CHECK(again.has_value() && *again == *c);
    }
    if (auto e = jz::EvaluationFromJson(text)) {
        auto again = jz::EvaluationFromJson(jz::EvaluationToJson(*e));
        JZ_FUZZ_CHECK(again.has_value() && *again == *e);
    }
    return 0;
}
