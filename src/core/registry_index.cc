#include "core/registry_index.h"

#include <algorithm>

namespace jz {
namespace {

uint64_t Bit(int code) { return code >= 0 && code < 64 ? uint64_t{1} << code : 0; }

}  // namespace

struct RegistryIndex::Filter {
    std::optional<int16_t> status, attribute;
    uint64_t measure_bit = 0;
    int cause = 0;
    bool cause_set = false, measure_set = false;
    bool any() const { return status || attribute || cause_set || measure_set; }

    explicit Filter(const IndexQuery& q) {
        if (q.status) status = static_cast<int16_t>(*q.status);
        if (q.attribute) attribute = static_cast<int16_t>(*q.attribute);
        cause_set = q.cause.has_value();
        measure_set = q.measure.has_value();
        if (q.cause) cause = *q.cause;
        if (q.measure) measure_bit = Bit(*q.measure);
    }
};

bool RegistryIndex::Test(const Entry& e, const Filter& f) {
    if (f.status && e.status != *f.status) return false;
    if (f.attribute && e.attribute != *f.attribute) return false;
    if (f.cause_set && (f.cause <= 0 || std::ranges::find(e.causes, f.cause) == e.causes.end())) return false;
    if (f.measure_set && !(e.measures & f.measure_bit)) return false;
    return true;
}

void RegistryIndex::Upsert(const HouseholdFacts& facts) {
    Remove(facts.household_code);
    Entry e;
    e.code = facts.household_code;
    e.status = static_cast<int16_t>(facts.status);
    e.attribute = static_cast<int16_t>(facts.attribute);
    auto cause_byte = [](int c) { return static_cast<uint8_t>(c > 0 && c <= 255 ? c : 0); };
    e.causes[0] = cause_byte(facts.main_cause);
    for (size_t i = 0; i < facts.other_causes.size() && i < 2; ++i) e.causes[i + 1] = cause_byte(facts.other_causes[i]);
    if (facts.main_measure) e.measures = Bit(*facts.main_measure);
    for (int m : facts.aux_measures) e.measures |= Bit(m);
    auto& bucket = villages_[facts.division_code];
    auto at = std::ranges::lower_bound(bucket, e.code, {}, &Entry::code);
    bucket.insert(at, std::move(e));
    village_of_[facts.household_code] = facts.division_code;
}

bool RegistryIndex::Remove(const std::string& code) {
    auto it = village_of_.find(code);
    if (it == village_of_.end()) return false;
    auto bucket = villages_.find(it->second);
    auto& entries = bucket->second;
    auto at = std::ranges::lower_bound(entries, code, {}, &Entry::code);
    entries.erase(at);
    if (entries.empty()) villages_.erase(bucket);
    village_of_.erase(it);
    return true;
}

void RegistryIndex::Clear() {
    villages_.clear();
    village_of_.clear();
}

IndexPage RegistryIndex::Query(const IndexQuery& q) const {
    IndexPage page;
    const Filter f(q);
    const int64_t offset = std::max<int64_t>(q.offset, 0);
    const int64_t end = offset + std::max<int64_t>(q.limit, 0);
    auto first = villages_.lower_bound(q.division_prefix);
    for (auto it = first; it != villages_.end() && it->first.starts_with(q.division_prefix); ++it) {
        const auto& entries = it->second;
        if (!f.any()) {  // every household of the village matches: skip or take by position
            const int64_t n = static_cast<int64_t>(entries.size());
            const int64_t lo = std::max<int64_t>(offset - page.total, 0);
            const int64_t hi = std::min<int64_t>(end - page.total, n);
            for (int64_t i = lo; i < hi; ++i) page.codes.push_back(entries[static_cast<size_t>(i)].code);
            page.total += n;
            continue;
        }
        for (const Entry& e : entries) {
            if (!Test(e, f)) continue;
            if (page.total >= offset && page.total < end) page.codes.push_back(e.code);
            ++page.total;
        }
    }
    return page;
}

const RegistryIndex::Entry* RegistryIndex::FindEntry(const std::string& code) const {
    auto it = village_of_.find(code);
    if (it == village_of_.end()) return nullptr;
    const auto& entries = villages_.at(it->second);
    auto at = std::ranges::lower_bound(entries, code, {}, &Entry::code);
    return &*at;
}

bool RegistryIndex::Matches(const std::string& code, const IndexQuery& q) const {
    auto it = village_of_.find(code);
    if (it == village_of_.end() || !it->second.starts_with(q.division_prefix)) return false;
    return Test(*FindEntry(code), Filter(q));
}

std::optional<std::string> RegistryIndex::DivisionOf(const std::string& code) const {
    auto it = village_of_.find(code);
    if (it == village_of_.end()) return std::nullopt;
    return it->second;
}

}  // namespace jz
