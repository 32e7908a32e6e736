#include "cli/demo_pairing.h"

#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/codes.h"
#include "io/cadre_exchange.h"
#include "io/table.h"

namespace jz::cli {

Result<DemoPairing> MakeDemoPairing(const LoadedPlan& loaded, const GeneratorOptions& options) {
    auto generator = Generator::Create(loaded.plan, loaded.tree, options);
    if (!generator) return std::unexpected(generator.error());
    DemoPairing out;
    Household h;
    while ((*generator)->Next(h)) out.households.push_back(h);
    out.data = GeneratePairing(loaded.plan, loaded.tree, out.households, (*generator)->cadres(),
                               PairingOptions{.seed = options.seed, .as_of = options.as_of});
    const PairingData& d = out.data;
    out.counts.cadres = static_cast<int64_t>(d.cadres.size());
    out.counts.pairings = static_cast<int64_t>(d.pairings.size());
    out.counts.team_members = static_cast<int64_t>(d.team_members.size());
    out.counts.on_post = static_cast<int64_t>(d.on_post.size());
    out.counts.places = static_cast<int64_t>(d.places.size());
    out.counts.visits = static_cast<int64_t>(d.visits.size());
    for (const Visit& v : d.visits) out.counts.far_visits += v.far ? 1 : 0;
    return out;
}

Result<void> WriteDemoCadres(Store& store, const DemoPairing& pairing, const ChangeContext& change,
                             std::vector<int64_t>& cadre_ids) {
    const PairingData& d = pairing.data;
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    cadre_ids.assign(d.cadres.size() + 1, 0);  // by generated id
    for (const Cadre& c : d.cadres) {
        auto id = store.InsertCadre(c, change);
        if (!id) return std::unexpected(id.error());
        cadre_ids[static_cast<size_t>(c.id)] = *id;
    }
    for (const Pairing& p : d.pairings) {
        Pairing stored = p;
        stored.to.reset();
        stored.end_reason.clear();
        stored.cadre_id = cadre_ids[static_cast<size_t>(p.cadre_id)];
        auto id = store.InsertPairing(stored, change);
        if (!id) return std::unexpected(id.error());
        if (p.to)
            if (auto r = store.EndPairing(*id, *p.to, p.end_reason, change); !r) return std::unexpected(r.error());
    }
    std::vector<int64_t> member_ids(d.team_members.size() + 1, 0);
    for (const TeamMember& m : d.team_members) {
        TeamMember stored = m;
        stored.cadre_id = cadre_ids[static_cast<size_t>(m.cadre_id)];
        auto id = store.InsertTeamMember(stored, change);
        if (!id) return std::unexpected(id.error());
        member_ids[static_cast<size_t>(m.id)] = *id;
    }
    for (const OnPostDays& o : d.on_post) {
        OnPostDays stored = o;
        stored.member_id = member_ids[static_cast<size_t>(o.member_id)];
        if (auto r = store.PutOnPostDays(stored, change); !r) return std::unexpected(r.error());
    }
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    return {};
}

Result<void> WriteDemoVisits(Store& store, const DemoPairing& pairing, const std::vector<int64_t>& cadre_ids,
                             const ChangeContext& change) {
    const PairingData& d = pairing.data;
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    for (const GeneratedPlace& p : d.places) {
        const HouseholdPlace place{.household_code = p.household_code,
                                   .division_code = p.division_code,
                                   .place = p.place,
                                   .recorded_on = p.recorded_on,
                                   .source = "survey"};
        if (auto r = store.PutHouseholdPlace(place, change); !r) return std::unexpected(r.error());
    }
    for (const Visit& v : d.visits) {
        Visit stored = v;
        stored.cadre_id = cadre_ids[static_cast<size_t>(v.cadre_id)];
        if (auto r = store.InsertVisit(stored, {}, change); !r) return std::unexpected(r.error());
    }
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    return {};
}

namespace {

std::string Degrees(int32_t e6) {
    char text[32];
    const int64_t v = e6 < 0 ? -static_cast<int64_t>(e6) : e6;
    std::snprintf(text, sizeof text, "%s%lld.%06lld", e6 < 0 ? "-" : "", static_cast<long long>(v / 1'000'000),
                  static_cast<long long>(v % 1'000'000));
    return text;
}

std::string DateOrEmpty(const std::optional<Date>& d) { return d ? d->ToString() : std::string(); }

class CsvFile {
  public:
    Result<void> Open(const std::string& path, std::vector<std::string> header) {
        auto w = io::CreateCsvWriter(path, io::CsvEncoding::kUtf8Bom);
        if (!w) return std::unexpected(w.error());
        writer_ = std::move(*w);
        return writer_->WriteRow(header);
    }
    Result<void> Row(const std::vector<std::string>& cells) { return writer_->WriteRow(cells); }
    Result<void> Close() { return writer_->Close(); }

  private:
    std::unique_ptr<io::TableWriter> writer_;
};

}  // namespace

Result<PairingCounts> WriteGeneratedPairing(const LoadedPlan& loaded, const GeneratorOptions& options,
                                            const std::string& stem, io::LedgerFormat cadres_format,
                                            std::vector<std::string>& files) {
    auto made = MakeDemoPairing(loaded, options);
    if (!made) return std::unexpected(made.error());
    const PairingData& d = made->data;
    auto cadre_of = [&](int64_t id) -> const Cadre& { return d.cadres[static_cast<size_t>(id - 1)]; };

    const std::string cadres_path =
        stem + "-cadres" + (cadres_format == io::LedgerFormat::kXlsx ? ".xlsx" : ".csv");
    if (auto r = io::WriteCadres(d.cadres, cadres_path, cadres_format); !r) return std::unexpected(r.error());
    files.push_back(cadres_path);

    auto write = [&](const std::string& suffix, std::vector<std::string> header,
                     const std::function<Result<void>(CsvFile&)>& rows) -> Result<void> {
        const std::string path = stem + suffix;
        CsvFile file;
        if (auto r = file.Open(path, std::move(header)); !r) return r;
        if (auto r = rows(file); !r) return r;
        if (auto r = file.Close(); !r) return r;
        files.push_back(path);
        return {};
    };
    auto r = write("-pairings.csv",
                   {"household_code", "cadre_id_number", "cadre_name", "cadre_township", "from", "to", "reason",
                    "end_reason"},
                   [&](CsvFile& f) -> Result<void> {
                       for (const Pairing& p : d.pairings) {
                           const Cadre& c = cadre_of(p.cadre_id);
                           if (auto w = f.Row({p.household_code, c.id_number, c.name, c.township_code, p.from.ToString(),
                                               DateOrEmpty(p.to), p.reason, p.end_reason});
                               !w)
                               return w;
                       }
                       return {};
                   });
    if (!r) return std::unexpected(r.error());
    r = write("-teams.csv", {"village_code", "cadre_id_number", "cadre_name", "role", "from", "to"},
              [&](CsvFile& f) -> Result<void> {
                  for (const TeamMember& m : d.team_members) {
                      const Cadre& c = cadre_of(m.cadre_id);
                      if (auto w = f.Row({m.village_code, c.id_number, c.name, std::string(codes::TeamRole().NameOf(m.role)),
                                          m.from.ToString(), DateOrEmpty(m.to)});
                          !w)
                          return w;
                  }
                  return {};
              });
    if (!r) return std::unexpected(r.error());
    r = write("-on-post.csv", {"village_code", "cadre_id_number", "cadre_name", "year", "month", "days"},
              [&](CsvFile& f) -> Result<void> {
                  for (const OnPostDays& o : d.on_post) {
                      const TeamMember& m = d.team_members[static_cast<size_t>(o.member_id - 1)];
                      const Cadre& c = cadre_of(m.cadre_id);
                      if (auto w = f.Row({m.village_code, c.id_number, c.name, std::to_string(o.year),
                                          std::to_string(o.month), std::to_string(o.days)});
                          !w)
                          return w;
                  }
                  return {};
              });
    if (!r) return std::unexpected(r.error());
    r = write("-places.csv", {"household_code", "latitude", "longitude", "accuracy_m", "recorded_on"},
              [&](CsvFile& f) -> Result<void> {
                  for (const GeneratedPlace& p : d.places)
                      if (auto w = f.Row({p.household_code, Degrees(p.place.lat_e6), Degrees(p.place.lon_e6),
                                          std::to_string(p.place.accuracy_m), p.recorded_on.ToString()});
                          !w)
                          return w;
                  return {};
              });
    if (!r) return std::unexpected(r.error());
    r = write("-visits.csv",
              {"client_id", "household_code", "cadre_id_number", "cadre_name", "date", "discussed", "done", "latitude",
               "longitude", "accuracy_m", "distance_m", "far"},
              [&](CsvFile& f) -> Result<void> {
                  for (const Visit& v : d.visits) {
                      const Cadre& c = cadre_of(v.cadre_id);
                      if (auto w = f.Row({v.client_id, v.household_code, c.id_number, c.name, v.date.ToString(),
                                          v.discussed, v.done, v.place ? Degrees(v.place->lat_e6) : "",
                                          v.place ? Degrees(v.place->lon_e6) : "",
                                          v.place ? std::to_string(v.place->accuracy_m) : "",
                                          v.distance_m ? std::to_string(*v.distance_m) : "", v.far ? "1" : "0"});
                          !w)
                          return w;
                  }
                  return {};
              });
    if (!r) return std::unexpected(r.error());
    return made->counts;
}

}  // namespace jz::cli
