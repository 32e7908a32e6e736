// The household as JSON for the change log. Written directly rather than through a JSON DOM: an
// import writes one of these per household, and building a tree of a few dozen nodes per household
// cost more than the SQLite insert it is logged beside. The output is plain JSON (a test parses it
// back with Boost.JSON); fields without a value are omitted.
#include <charconv>

#include "store/store.h"

namespace jz {
namespace {

class JsonWriter {
  public:
    explicit JsonWriter(std::string& out) : out_(out) {}

    void Key(std::string_view k) {
        Comma();
        Quoted(k);
        out_ += ':';
        fresh_ = true;
    }
    void String(std::string_view s) {
        Comma();
        Quoted(s);
    }
    void Quoted(std::string_view s) {
        out_ += '"';
        size_t run = 0;  // characters that need no escape are appended in runs
        for (size_t i = 0; i < s.size(); ++i) {
            const char c = s[i];
            const auto u = static_cast<unsigned char>(c);
            if (c != '"' && c != '\\' && u >= 0x20) continue;
            out_.append(s.data() + run, i - run);
            run = i + 1;
            if (u >= 0x20) {
                out_ += '\\';
                out_ += c;
            } else {
                static constexpr char kHex[] = "0123456789abcdef";
                out_ += "\\u00";
                out_ += kHex[u >> 4];
                out_ += kHex[u & 15];
            }
        }
        out_.append(s.data() + run, s.size() - run);
        out_ += '"';
    }
    void Int(int64_t v) {
        Comma();
        char buf[24];
        auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
        out_.append(buf, p);
    }
    void Bool(bool b) {
        Comma();
        out_ += b ? "true" : "false";
    }
    // A field whose value is absent is left out altogether: the change log holds a million of
    // these, and absent reads as null to any JSON consumer.
    template <class T>
    void Field(std::string_view key, const std::optional<T>& v) {
        if (!v) return;
        Key(key);
        if constexpr (std::is_same_v<T, bool>)
            Bool(*v);
        else
            Int(*v);
    }
    void Ints(const std::vector<int>& v) {
        Open('[');
        for (int x : v) Int(x);
        Close(']');
    }
    void Open(char c) {
        Comma();
        out_ += c;
        fresh_ = true;
    }
    void Close(char c) {
        out_ += c;
        fresh_ = false;
    }

  private:
    void Comma() {
        if (!fresh_) out_ += ',';
        fresh_ = false;
    }
    std::string& out_;
    bool fresh_ = true;
};

}  // namespace

std::string HouseholdToJson(const Household& h) {
    std::string out;
    out.reserve(256 + 256 * h.members.size());
    JsonWriter w(out);
    w.Open('{');
    w.Key("household_code"), w.String(h.household_code);
    w.Key("division_code"), w.String(h.division_code);
    w.Key("attribute"), w.Int(h.attribute);
    w.Field("identification_standard", h.identification_standard);
    w.Key("main_cause"), w.Int(h.main_cause);
    w.Key("other_causes"), w.Ints(h.other_causes);
    w.Key("identified_year"), w.Int(h.identified_year);
    w.Field("planned_exit_year", h.planned_exit_year);
    w.Key("status"), w.Int(h.status);
    w.Field("exit_year", h.exit_year);
    if (h.net_income_per_head) w.Key("net_income_per_head"), w.String(FormatCenti(*h.net_income_per_head));
    w.Field("main_measure", h.main_measure);
    w.Key("aux_measures"), w.Ints(h.aux_measures);
    w.Key("pairing_cadre"), w.String(h.pairing_cadre);
    w.Key("phone"), w.String(h.phone);
    w.Field("dangerous_housing", h.dangerous_housing);
    w.Field("safe_water", h.safe_water);
    w.Field("household_electricity", h.household_electricity);
    if (h.housing_area) w.Key("housing_area"), w.String(FormatCenti(*h.housing_area));
    w.Key("members");
    w.Open('[');
    for (const Person& p : h.members) {
        w.Open('{');
        w.Key("name"), w.String(p.name);
        w.Key("id_number"), w.String(p.id_number);
        w.Key("relation"), w.Int(p.relation);
        w.Key("sex"), w.Int(p.sex);
        w.Key("birth_date"), w.String(p.birth_date.ToString());
        w.Field("ethnicity", p.ethnicity);
        w.Field("education", p.education);
        w.Field("schooling", p.schooling);
        w.Field("health", p.health);
        w.Field("labour", p.labour);
        w.Field("migrant_work", p.migrant_work);
        w.Field("months_worked", p.months_worked);
        w.Close('}');
    }
    w.Close(']');
    w.Close('}');
    return out;
}

}  // namespace jz
