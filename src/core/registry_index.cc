#include "core/registry_index.h"

#include <string.h>

#include <algorithm>
#include <bit>
#include <unordered_set>

#include "core/id_number.h"

namespace jz {
namespace {

uint8_t Byte(int code) { return static_cast<uint8_t>(code >= 0 && code <= 255 ? code : 255); }
uint64_t Bit(int code) { return code >= 1 && code < 64 ? uint64_t{1} << code : 0; }

}  // namespace

struct RegistryIndex::Filter {
    int counted = 0;     // how many of the fields with per-value counts are set
    bool years = false;  // a year filter is set: those have no counts, so the bucket is scanned
    std::optional<uint8_t> status, attribute, cause;
    std::optional<int> measure;
    std::optional<int> overdue_before, planned, exited_in;
    bool impossible = false;  // a value the index cannot hold matches nothing

    explicit Filter(const IndexQuery& q) {
        auto byte = [&](const std::optional<int>& v, std::optional<uint8_t>& out) {
            if (!v) return;
            ++counted;
            if (*v < 0 || *v > 254) impossible = true;
            out = Byte(*v);
        };
        byte(q.status, status);
        byte(q.attribute, attribute);
        byte(q.cause, cause);
        if (q.cause && *q.cause == 0) impossible = true;  // 0 marks "no cause"
        planned = q.planned_exit_year;
        exited_in = q.exit_year;
        overdue_before = q.overdue_before;
        years = planned || exited_in || overdue_before;
        if (q.measure) {
            ++counted;
            measure = *q.measure;
            if (!Bit(*q.measure)) impossible = true;
        }
    }
    // A bucket's matches are known from its counts (no filter, or one counted field).
    bool countable() const { return !years && counted <= 1; }
};

void RegistryIndex::Bucket::Tally(size_t at, int delta) {
    by_status[status[at]] += delta;
    by_attribute[attribute[at]] += delta;
    const auto& c = causes[at];
    for (size_t i = 0; i < c.size(); ++i)  // each distinct cause once
        if (c[i] && std::find(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(i), c[i]) ==
                        c.begin() + static_cast<std::ptrdiff_t>(i))
            by_cause[c[i]] += delta;
    for (uint64_t bits = measures[at]; bits; bits &= bits - 1)
        by_measure[static_cast<size_t>(std::countr_zero(bits))] += delta;
}

void RegistryIndex::Bucket::Insert(size_t at, const HouseholdFacts& f) {
    const auto pos = static_cast<std::ptrdiff_t>(at);
    codes.insert(codes.begin() + pos, f.household_code);
    status.insert(status.begin() + pos, Byte(f.status));
    attribute.insert(attribute.begin() + pos, Byte(f.attribute));
    std::array<uint8_t, 3> c{};
    c[0] = f.main_cause > 0 ? Byte(f.main_cause) : 0;
    for (size_t i = 0; i < f.other_causes.size() && i < 2; ++i)
        c[i + 1] = f.other_causes[i] > 0 ? Byte(f.other_causes[i]) : 0;
    causes.insert(causes.begin() + pos, c);
    uint64_t m = f.main_measure ? Bit(*f.main_measure) : 0;
    for (int x : f.aux_measures) m |= Bit(x);
    measures.insert(measures.begin() + pos, m);
    due.insert(due.begin() + pos,
               static_cast<int16_t>(!f.exited() && f.planned_exit_year ? *f.planned_exit_year : 0));
    planned.insert(planned.begin() + pos, static_cast<int16_t>(f.planned_exit_year.value_or(0)));
    exited_in.insert(exited_in.begin() + pos,
                     static_cast<int16_t>(f.exited() && f.exit_year ? *f.exit_year : 0));
    Tally(at, +1);
}

void RegistryIndex::Bucket::Erase(size_t at) {
    Tally(at, -1);
    const auto pos = static_cast<std::ptrdiff_t>(at);
    codes.erase(codes.begin() + pos);
    status.erase(status.begin() + pos);
    attribute.erase(attribute.begin() + pos);
    causes.erase(causes.begin() + pos);
    measures.erase(measures.begin() + pos);
    due.erase(due.begin() + pos);
    planned.erase(planned.begin() + pos);
    exited_in.erase(exited_in.begin() + pos);
}

bool RegistryIndex::Bucket::Test(size_t i, const Filter& f) const {
    if (f.status && status[i] != *f.status) return false;
    if (f.attribute && attribute[i] != *f.attribute) return false;
    if (f.cause) {
        const auto& c = causes[i];
        if (c[0] != *f.cause && c[1] != *f.cause && c[2] != *f.cause) return false;
    }
    if (f.measure && !(measures[i] & Bit(*f.measure))) return false;
    if (f.overdue_before && (due[i] == 0 || due[i] >= *f.overdue_before)) return false;
    if (f.planned && planned[i] != *f.planned) return false;
    if (f.exited_in && exited_in[i] != *f.exited_in) return false;
    return true;
}

int64_t RegistryIndex::Bucket::Count(const Filter& f) const {
    if (f.status) return by_status[*f.status];
    if (f.attribute) return by_attribute[*f.attribute];
    if (f.cause) return by_cause[*f.cause];
    if (f.measure) return by_measure[static_cast<size_t>(*f.measure)];
    return static_cast<int64_t>(size());
}

RegistryIndex::RegistryIndex(RegistryIndex&& other) noexcept { *this = std::move(other); }

RegistryIndex& RegistryIndex::operator=(RegistryIndex&& other) noexcept {
    villages_ = std::move(other.villages_);
    village_of_ = std::move(other.village_of_);
    generation_ = other.generation_ + 1;
    std::lock_guard lock(cache_mutex_);
    cache_.clear();
    return *this;
}

void RegistryIndex::Upsert(const HouseholdFacts& facts) {
    Remove(facts.household_code);
    ++generation_;
    Bucket& bucket = villages_[facts.division_code];
    const auto at = std::ranges::lower_bound(bucket.codes, facts.household_code) - bucket.codes.begin();
    bucket.Insert(static_cast<size_t>(at), facts);
    village_of_[facts.household_code] = facts.division_code;
}

bool RegistryIndex::Remove(const std::string& code) {
    auto it = village_of_.find(code);
    if (it == village_of_.end()) return false;
    ++generation_;
    auto bucket = villages_.find(it->second);
    Bucket& b = bucket->second;
    const auto at = std::ranges::lower_bound(b.codes, code) - b.codes.begin();
    b.Erase(static_cast<size_t>(at));
    if (b.size() == 0) villages_.erase(bucket);
    village_of_.erase(it);
    return true;
}

void RegistryIndex::Clear() {
    ++generation_;
    villages_.clear();
    village_of_.clear();
}

IndexPage RegistryIndex::Query(const IndexQuery& q) const {
    IndexPage page;
    const Filter f(q);
    if (f.impossible) return page;
    const int64_t offset = std::max<int64_t>(q.offset, 0);
    const int64_t end = offset + std::max<int64_t>(q.limit, 0);
    auto first = villages_.lower_bound(q.division_prefix);
    auto in_prefix = [&](auto it) {
        return it != villages_.end() && it->first.starts_with(q.division_prefix);
    };

    // Each village's count of matches: known for one filter, else counted once and kept.
    std::vector<int64_t> counts;
    if (f.countable()) {
        for (auto it = first; in_prefix(it); ++it) counts.push_back(it->second.Count(f));
    } else {
        auto opt = [](const auto& v) { return v ? std::to_string(*v) : std::string("-"); };
        const std::string key = q.division_prefix + "|" + opt(q.status) + "|" + opt(q.attribute) + "|" +
                                opt(q.cause) + "|" + opt(q.measure) + "|" + opt(q.overdue_before) + "|" +
                                opt(q.planned_exit_year) + "|" + opt(q.exit_year);
        {
            std::lock_guard lock(cache_mutex_);
            auto hit = cache_.find(key);
            if (hit != cache_.end() && hit->second.generation == generation_)
                counts = hit->second.per_village;
        }
        if (counts.empty()) {
            for (auto it = first; in_prefix(it); ++it) {
                const Bucket& b = it->second;
                int64_t n = 0;
                for (size_t i = 0; i < b.size(); ++i) n += b.Test(i, f);
                counts.push_back(n);
            }
            std::lock_guard lock(cache_mutex_);
            if (cache_.size() >= 256) cache_.clear();
            cache_[key] = Counts{generation_, counts};
        }
    }
    // Visit only the villages the page falls in.
    size_t v = 0;
    for (auto it = first; in_prefix(it); ++it, ++v) {
        const Bucket& b = it->second;
        const int64_t n = counts[v];
        if (page.total + n > offset && page.total < end) {
            int64_t seen = page.total;
            for (size_t i = 0; i < b.size() && seen < end; ++i) {
                if (!b.Test(i, f)) continue;
                if (seen >= offset) page.codes.push_back(b.codes[i]);
                ++seen;
            }
        }
        page.total += n;
    }
    return page;
}

std::pair<const RegistryIndex::Bucket*, size_t> RegistryIndex::Locate(const std::string& code) const {
    auto it = village_of_.find(code);
    if (it == village_of_.end()) return {nullptr, 0};
    const Bucket& b = villages_.at(it->second);
    return {&b, static_cast<size_t>(std::ranges::lower_bound(b.codes, code) - b.codes.begin())};
}

bool RegistryIndex::Matches(const std::string& code, const IndexQuery& q) const {
    auto [bucket, at] = Locate(code);
    const Filter f(q);
    if (!bucket || f.impossible || !village_of_.at(code).starts_with(q.division_prefix)) return false;
    return bucket->Test(at, f);
}

std::optional<std::string> RegistryIndex::DivisionOf(const std::string& code) const {
    auto it = village_of_.find(code);
    if (it == village_of_.end()) return std::nullopt;
    return it->second;
}

// ------------------------------------------------------------------------------- SearchIndex

namespace {

uint64_t PackedOrZero(const std::string& id) {
    if (id.size() != 18) return 0;
    for (size_t i = 0; i < 17; ++i)
        if (id[i] < '0' || id[i] > '9') return 0;
    if ((id[17] < '0' || id[17] > '9') && id[17] != 'X') return 0;
    return PackIdNumber(id);
}

// The packed range [lo, hi) of the numbers that start with `prefix` (digits, and an X only as the
// 18th character); nullopt when no number can.
std::optional<std::pair<uint64_t, uint64_t>> PackedRange(std::string_view prefix) {
    if (prefix.empty() || prefix.size() > 18) return std::nullopt;
    for (size_t i = 0; i < prefix.size(); ++i) {
        const char c = prefix[i];
        if (c >= '0' && c <= '9') continue;
        if (c == 'X' && i == 17) continue;
        return std::nullopt;
    }
    if (prefix.size() == 18) {
        const uint64_t v = PackIdNumber(prefix);
        return std::pair{v, v + 1};
    }
    uint64_t n = 0;
    for (char c : prefix) n = n * 10 + static_cast<uint64_t>(c - '0');
    uint64_t scale = 1;
    for (size_t i = prefix.size(); i < 17; ++i) scale *= 10;
    return std::pair{n * scale * 11, (n + 1) * scale * 11};
}

}  // namespace

uint32_t SearchIndex::SlotOf(const std::string& code) {
    auto [it, fresh] = slot_of_.try_emplace(code, static_cast<uint32_t>(code_of_.size()));
    if (fresh) {
        code_of_.push_back(&it->first);
        where_.push_back(Where::kGone);
    }
    return it->second;
}

void SearchIndex::Upsert(const Household& household) {
    const uint32_t slot = SlotOf(household.household_code);
    std::vector<Member> members;
    members.reserve(household.members.size());
    for (const Person& p : household.members) members.push_back({p.name, PackedOrZero(p.id_number)});
    if (auto it = delta_.find(slot); it != delta_.end()) delta_persons_ -= it->second.size();
    delta_persons_ += members.size();
    delta_[slot] = std::move(members);
    where_[slot] = Where::kDelta;
    if (!bulk_ && delta_persons_ > kDeltaLimit) Compact();
}

bool SearchIndex::Remove(const std::string& household_code) {
    auto it = slot_of_.find(household_code);
    if (it == slot_of_.end() || where_[it->second] == Where::kGone) return false;
    const uint32_t slot = it->second;
    if (auto d = delta_.find(slot); d != delta_.end()) {
        delta_persons_ -= d->second.size();
        delta_.erase(d);
    }
    where_[slot] = Where::kGone;  // the slot stays (its base entries are skipped until the next merge)
    return true;
}

void SearchIndex::Clear() { *this = SearchIndex(); }

void SearchIndex::EndBulk() {
    bulk_ = false;
    Compact();
}

void SearchIndex::Compact() {
    std::string names;
    std::vector<uint32_t> ends, slots;
    std::vector<std::pair<uint64_t, uint32_t>> ids;
    names.reserve(names_.size() + delta_persons_ * 10);
    ends.reserve(name_end_.size() + delta_persons_);
    slots.reserve(name_slot_.size() + delta_persons_);
    ids.reserve(ids_.size() + delta_persons_);
    uint32_t start = 0;
    for (size_t i = 0; i < name_end_.size(); ++i) {
        const uint32_t end = name_end_[i];
        if (where_[name_slot_[i]] == Where::kBase) {
            names.append(names_, start, end - start + 1);
            ends.push_back(static_cast<uint32_t>(names.size() - 1));
            slots.push_back(name_slot_[i]);
        }
        start = end + 1;
    }
    for (const auto& entry : ids_)
        if (where_[entry.second] == Where::kBase) ids.push_back(entry);
    for (auto& [slot, members] : delta_) {
        for (const Member& m : members) {
            names.append(m.name);
            names.push_back('\0');
            ends.push_back(static_cast<uint32_t>(names.size() - 1));
            slots.push_back(slot);
            if (m.packed_id) ids.emplace_back(m.packed_id, slot);
        }
        where_[slot] = Where::kBase;
    }
    std::ranges::sort(ids);
    names_ = std::move(names);
    name_end_ = std::move(ends);
    name_slot_ = std::move(slots);
    ids_ = std::move(ids);
    base_persons_ = name_end_.size();
    delta_.clear();
    delta_persons_ = 0;
}

std::vector<std::string> SearchIndex::Find(std::string_view text, Match match, size_t limit,
                                           const std::function<bool(const std::string&)>& keep) const {
    std::vector<std::string> out;
    std::unordered_set<uint32_t> seen;
    auto add = [&](uint32_t slot) {
        if (out.size() >= limit || where_[slot] == Where::kGone || !seen.insert(slot).second) return;
        if (keep && !keep(*code_of_[slot])) return;
        out.push_back(*code_of_[slot]);
    };
    if (text.empty() || limit == 0) return out;
    // The household code, exactly.
    if (auto it = slot_of_.find(std::string(text)); it != slot_of_.end()) add(it->second);

    // ID numbers: a prefix for full users, the whole number for masked ones.
    std::string id(text);
    for (char& c : id) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (id.size() == 15 || id.size() == 18)
        if (auto parsed = ParseIdNumber(id)) id = parsed->value;  // a 15-digit number, upgraded
    std::optional<std::pair<uint64_t, uint64_t>> range;
    if (match == Match::kFull)
        range = PackedRange(id);
    else if (id.size() == 18)
        range = PackedRange(id);
    if (range) {
        auto lo = std::ranges::lower_bound(ids_, std::pair{range->first, uint32_t{0}});
        for (auto it = lo; it != ids_.end() && it->first < range->second && out.size() < limit; ++it)
            if (where_[it->second] == Where::kBase) add(it->second);
        for (const auto& [slot, members] : delta_)
            for (const Member& m : members)
                if (m.packed_id >= range->first && m.packed_id < range->second) add(slot);
    }

    // Names, by substring: the arena is scanned with memmem, one hit per name.
    const char* base = names_.data();
    const size_t total = names_.size();
    size_t at = 0;
    while (out.size() < limit && at < total) {
        const void* hit = memmem(base + at, total - at, text.data(), text.size());
        if (!hit) break;
        const size_t pos = static_cast<size_t>(static_cast<const char*>(hit) - base);
        const auto end = std::ranges::upper_bound(name_end_, static_cast<uint32_t>(pos));
        if (end == name_end_.end()) break;
        const size_t i = static_cast<size_t>(end - name_end_.begin());
        if (pos + text.size() <= *end && where_[name_slot_[i]] == Where::kBase) add(name_slot_[i]);
        at = pos + text.size() <= *end ? *end + 1 : pos + 1;  // next name (or past a hit across a NUL)
    }
    for (const auto& [slot, members] : delta_)
        for (const Member& m : members)
            if (m.name.find(text) != std::string::npos) add(slot);
    return out;
}

}  // namespace jz
