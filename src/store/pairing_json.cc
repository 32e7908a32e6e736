// Pairing records as JSON (store.h): cadres, pairings, work team members and visits. These are the
// change log's states and the API's shapes. Field names are the C++ member names; dates
// YYYY-MM-DD; a field without a value is left out when written and may be absent or null when read;
// a GeoPoint is {"lat_e6","lon_e6","accuracy_m"}; a visit's photo is "jpeg", "png" or null. The
// readers are strict inverses: every field present is type checked, and the first problem comes
// back as "json.invalid" naming the field.
//
// Cadre:      {"id","name","id_number","unit","rank","phone","township_code","active_from"?,
//              "active_to"?,"division_code"}
// Pairing:    {"id","household_code","division_code","cadre_id","from","to"?,"reason","end_reason"}
// TeamMember: {"id","village_code","cadre_id","role","from","to"?}
// Visit:      {"id","client_id","household_code","division_code","cadre_id","date","discussed","done",
//              "place"?,"photo","photo_bytes","distance_m"?,"far","recorded_by","recorded_at"}
#include <limits>

#include "store/json_reader.h"
#include "store/json_writer.h"
#include "store/store.h"

namespace jz {
namespace {

using json_reader::Reader;
using json_writer::JsonWriter;

void OptDate(JsonWriter& w, std::string_view key, const std::optional<Date>& d) {
    if (!d) return;
    w.Key(key);
    w.String(d->ToString());
}
void Str(JsonWriter& w, std::string_view key, const std::string& s) {
    w.Key(key);
    w.String(s);
}
// A string that may be absent or null (then empty).
std::string OptString(Reader& r, const boost::json::object& o, std::string_view key) {
    if (!r.Find(o, key, false)) return {};
    return r.String(o, key);
}
int64_t OptId(Reader& r, const boost::json::object& o, std::string_view key) {
    return r.OptInt(o, key, 0).value_or(0);
}

}  // namespace

std::string CadreToJson(const Cadre& c) {
    std::string out;
    out.reserve(256);
    JsonWriter w(out);
    w.Open('{');
    w.Key("id"), w.Int(c.id);
    Str(w, "name", c.name);
    Str(w, "id_number", c.id_number);
    Str(w, "unit", c.unit);
    w.Key("rank"), w.Int(c.rank);
    Str(w, "phone", c.phone);
    Str(w, "township_code", c.township_code);
    OptDate(w, "active_from", c.active_from);
    OptDate(w, "active_to", c.active_to);
    Str(w, "division_code", c.division_code);
    w.Close('}');
    return out;
}

Result<Cadre> CadreFromJson(std::string_view json) {
    Reader r("cadre");
    boost::json::value holder;
    const boost::json::object* o = r.Parse(json, holder);
    if (!o) return std::unexpected(r.error());
    Cadre c;
    c.id = OptId(r, *o, "id");
    c.name = r.String(*o, "name");
    c.id_number = OptString(r, *o, "id_number");
    c.unit = OptString(r, *o, "unit");
    c.rank = r.Int32(*o, "rank");
    c.phone = OptString(r, *o, "phone");
    c.township_code = OptString(r, *o, "township_code");
    c.active_from = r.OptDate(*o, "active_from");
    c.active_to = r.OptDate(*o, "active_to");
    c.division_code = OptString(r, *o, "division_code");
    if (!r.ok()) return std::unexpected(r.error());
    return c;
}

std::string PairingToJson(const Pairing& p) {
    std::string out;
    out.reserve(200 + p.reason.size() + p.end_reason.size());
    JsonWriter w(out);
    w.Open('{');
    w.Key("id"), w.Int(p.id);
    Str(w, "household_code", p.household_code);
    Str(w, "division_code", p.division_code);
    w.Key("cadre_id"), w.Int(p.cadre_id);
    Str(w, "from", p.from.ToString());
    OptDate(w, "to", p.to);
    Str(w, "reason", p.reason);
    Str(w, "end_reason", p.end_reason);
    w.Close('}');
    return out;
}

Result<Pairing> PairingFromJson(std::string_view json) {
    Reader r("pairing");
    boost::json::value holder;
    const boost::json::object* o = r.Parse(json, holder);
    if (!o) return std::unexpected(r.error());
    Pairing p;
    p.id = OptId(r, *o, "id");
    p.household_code = r.String(*o, "household_code");
    p.division_code = OptString(r, *o, "division_code");
    p.cadre_id = r.Int(*o, "cadre_id");
    p.from = r.DateOf(*o, "from");
    p.to = r.OptDate(*o, "to");
    p.reason = OptString(r, *o, "reason");
    p.end_reason = OptString(r, *o, "end_reason");
    if (!r.ok()) return std::unexpected(r.error());
    return p;
}

std::string TeamMemberToJson(const TeamMember& m) {
    std::string out;
    out.reserve(160);
    JsonWriter w(out);
    w.Open('{');
    w.Key("id"), w.Int(m.id);
    Str(w, "village_code", m.village_code);
    w.Key("cadre_id"), w.Int(m.cadre_id);
    w.Key("role"), w.Int(m.role);
    Str(w, "from", m.from.ToString());
    OptDate(w, "to", m.to);
    w.Close('}');
    return out;
}

Result<TeamMember> TeamMemberFromJson(std::string_view json) {
    Reader r("team member");
    boost::json::value holder;
    const boost::json::object* o = r.Parse(json, holder);
    if (!o) return std::unexpected(r.error());
    TeamMember m;
    m.id = OptId(r, *o, "id");
    m.village_code = r.String(*o, "village_code");
    m.cadre_id = r.Int(*o, "cadre_id");
    m.role = r.Int32(*o, "role");
    m.from = r.DateOf(*o, "from");
    m.to = r.OptDate(*o, "to");
    if (!r.ok()) return std::unexpected(r.error());
    return m;
}

std::string VisitToJson(const Visit& v) {
    std::string out;
    out.reserve(320 + v.discussed.size() + v.done.size());
    JsonWriter w(out);
    w.Open('{');
    w.Key("id"), w.Int(v.id);
    Str(w, "client_id", v.client_id);
    Str(w, "household_code", v.household_code);
    Str(w, "division_code", v.division_code);
    w.Key("cadre_id"), w.Int(v.cadre_id);
    Str(w, "date", v.date.ToString());
    Str(w, "discussed", v.discussed);
    Str(w, "done", v.done);
    if (v.place) {
        w.Key("place");
        w.Open('{');
        w.Key("lat_e6"), w.Int(v.place->lat_e6);
        w.Key("lon_e6"), w.Int(v.place->lon_e6);
        w.Key("accuracy_m"), w.Int(v.place->accuracy_m);
        w.Close('}');
    }
    w.Key("photo");
    if (v.photo == PhotoType::kJpeg)
        w.String("jpeg");
    else if (v.photo == PhotoType::kPng)
        w.String("png");
    else
        w.Null();
    w.Key("photo_bytes"), w.Int(v.photo_bytes);
    w.Field("distance_m", v.distance_m);
    w.Key("far"), w.Bool(v.far);
    Str(w, "recorded_by", v.recorded_by);
    Str(w, "recorded_at", v.recorded_at);
    w.Close('}');
    return out;
}

Result<Visit> VisitFromJson(std::string_view json) {
    Reader r("visit");
    boost::json::value holder;
    const boost::json::object* o = r.Parse(json, holder);
    if (!o) return std::unexpected(r.error());
    Visit v;
    v.id = OptId(r, *o, "id");
    v.client_id = r.String(*o, "client_id");
    v.household_code = r.String(*o, "household_code");
    v.division_code = OptString(r, *o, "division_code");
    v.cadre_id = r.Int(*o, "cadre_id");
    v.date = r.DateOf(*o, "date");
    v.discussed = OptString(r, *o, "discussed");
    v.done = OptString(r, *o, "done");
    if (const boost::json::value* p = r.Find(*o, "place", false)) {
        if (!p->is_object()) {
            r.Bad("place", "an object {lat_e6, lon_e6, accuracy_m}");
        } else {
            const boost::json::object& po = p->as_object();
            GeoPoint g;
            constexpr int64_t kMin = std::numeric_limits<int32_t>::min(), kMax = std::numeric_limits<int32_t>::max();
            auto field = [&](std::string_view key) -> int32_t {
                if (!r.Find(po, key, false)) {
                    r.Bad("place." + std::string(key), "an integer");
                    return 0;
                }
                auto x = r.OptInt(po, key, kMin, kMax);
                return static_cast<int32_t>(x.value_or(0));
            };
            g.lat_e6 = field("lat_e6");
            g.lon_e6 = field("lon_e6");
            g.accuracy_m = field("accuracy_m");
            v.place = g;
        }
    }
    if (const boost::json::value* p = r.Find(*o, "photo", false)) {
        if (p->is_string() && p->as_string() == "jpeg")
            v.photo = PhotoType::kJpeg;
        else if (p->is_string() && p->as_string() == "png")
            v.photo = PhotoType::kPng;
        else
            r.Bad("photo", "\"jpeg\", \"png\" or null");
    }
    v.photo_bytes = r.OptInt(*o, "photo_bytes", 0).value_or(0);
    v.distance_m = r.OptInt(*o, "distance_m", 0);
    v.far = r.OptBool(*o, "far").value_or(false);
    v.recorded_by = OptString(r, *o, "recorded_by");
    v.recorded_at = OptString(r, *o, "recorded_at");
    if (!r.ok()) return std::unexpected(r.error());
    return v;
}

}  // namespace jz
