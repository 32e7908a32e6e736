#include "store/row_diff.h"

#include <sodium.h>

#include <boost/json.hpp>
#include <algorithm>
#include <set>

namespace jz {
namespace {

bool ParseObject(std::string_view text, boost::json::value& out) {
    boost::system::error_code ec;
    out = boost::json::parse(text, ec);
    return !ec && out.is_object();
}

void DiffObjects(const boost::json::object& a, const boost::json::object& b, const std::string& prefix,
                 std::vector<std::string>& out) {
    std::set<std::string_view> keys;
    for (const auto& kv : a) keys.insert(kv.key());
    for (const auto& kv : b) keys.insert(kv.key());
    for (std::string_view k : keys) {
        const boost::json::value* x = a.if_contains(k);
        const boost::json::value* y = b.if_contains(k);
        const std::string name = prefix + std::string(k);
        if (!x || !y) {
            if (!(x && x->is_null()) && !(y && y->is_null())) out.push_back(name);
            continue;
        }
        if (*x == *y) continue;
        // Arrays of objects (members, steps, items): name the element and its field.
        if (x->is_array() && y->is_array()) {
            const auto& xa = x->get_array();
            const auto& ya = y->get_array();
            const bool objects = std::all_of(xa.begin(), xa.end(), [](auto& v) { return v.is_object(); }) &&
                                 std::all_of(ya.begin(), ya.end(), [](auto& v) { return v.is_object(); });
            if (objects && !(xa.empty() && ya.empty())) {
                for (size_t i = 0; i < std::max(xa.size(), ya.size()); ++i) {
                    const std::string element = name + "[" + std::to_string(i) + "]";
                    if (i >= xa.size() || i >= ya.size())
                        out.push_back(element);
                    else if (xa[i] != ya[i])
                        DiffObjects(xa[i].get_object(), ya[i].get_object(), element + ".", out);
                }
                continue;
            }
        }
        out.push_back(name);
    }
}

}  // namespace

std::vector<std::string> DiffJsonFields(std::string_view logged, std::string_view current) {
    std::vector<std::string> out;
    boost::json::value a, b;
    if (!ParseObject(logged, a) || !ParseObject(current, b)) {
        if (logged != current) out.emplace_back("value");
        return out;
    }
    DiffObjects(a.get_object(), b.get_object(), "", out);
    return out;
}

StateDigest DigestOf(std::string_view state) {
    StateDigest d;
    crypto_generichash(d.data(), d.size(), reinterpret_cast<const unsigned char*>(state.data()), state.size(),
                       nullptr, 0);
    return d;
}

}  // namespace jz
