#include "store/change_chain.h"

#include <sodium.h>

namespace jz {
namespace {

void Field(crypto_generichash_state& state, std::optional<std::string_view> value) {
    unsigned char length[8];
    const uint64_t n = value ? value->size() : UINT64_MAX;
    for (int i = 0; i < 8; ++i) length[i] = static_cast<unsigned char>(n >> (8 * i));
    crypto_generichash_update(&state, length, sizeof length);
    if (value && !value->empty())
        crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(value->data()),
                                  value->size());
}

}  // namespace

ChainHash HashEntry(const ChainHash& previous, const ChainEntry& e) {
    crypto_generichash_state state;
    crypto_generichash_init(&state, nullptr, 0, crypto_generichash_BYTES);
    crypto_generichash_update(&state, previous.data(), previous.size());
    const std::string seq = std::to_string(e.seq);
    const std::string import_id = e.import_id ? std::to_string(*e.import_id) : std::string();
    Field(state, seq);
    Field(state, e.at);
    Field(state, e.actor);
    Field(state, e.county_code);
    Field(state, e.entity);
    Field(state, e.entity_key);
    Field(state, e.action);
    Field(state, e.before_json);
    Field(state, e.after_json);
    Field(state, e.import_id ? std::optional<std::string_view>(import_id) : std::nullopt);
    ChainHash out;
    crypto_generichash_final(&state, out.data(), out.size());
    return out;
}

std::string ToHex(const ChainHash& hash) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string s;
    for (unsigned char b : hash) {
        s += kHex[b >> 4];
        s += kHex[b & 15];
    }
    return s;
}

}  // namespace jz
