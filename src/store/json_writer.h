// Writing the store's JSON documents (household_json.cc, assistance_json.cc) directly into a string
// rather than through a JSON DOM: an import writes one per row, and building a tree of nodes per row
// cost more than the SQLite insert it is logged beside. The output is plain JSON; fields without a
// value are omitted (Field). Internal to the store.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace jz::json_writer {

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
    void Null() {
        Comma();
        out_ += "null";
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


}  // namespace jz::json_writer

namespace jz {
struct AssistanceRecord;
// AssistanceRecordToJson with `version` in place of record.version, into `out` (its capacity reused:
// the store's insert writes one per item without copying the record).
void AssistanceRecordJsonInto(const AssistanceRecord& record, int64_t version, std::string& out);
}  // namespace jz
