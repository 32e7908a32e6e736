// The assistance ledger's JSON (store.h): an item as stored (AssistanceRecord), a household's income
// in a year (IncomeRecord) and a person's cover in a year (PersonCoverage). These are the change
// log's states and the API's shapes. Money as decimal strings in yuan ("1200.5"), dates YYYY-MM-DD;
// a field without a value is left out when written and may be absent or null when read. The
// readers are strict: every field present is type checked, and the first problem comes back as
// "json.invalid" naming the field.
//
// AssistanceRecord, flat:
//   {"item_code", "household_code", "division_code", "version", "deleted", "delete_reason"?,
//    "member_ids": [..], "measure", "category", "kind", "start_date", "end_date"?, "amount"?,
//    "periodic_amount"?, "period"?, "fund_ref"?, "notes"?, "signed_on"?, "signed_by"?}
// IncomeRecord:
//   {"household_code", "year", "persons", "wage"?, "production"?, "property"?, "transfer"?,
//    "production_costs"?, "net_income_per_head"? (the typed total of a record without parts), "notes"?}
// PersonCoverage:
//   {"household_code", "id_number", "year", "basic_medical_insurance"?, "serious_illness_insurance"?,
//    "pension_insurance"?, "dibao"?, "wubao"?}
#include "store/json_reader.h"
#include "store/json_writer.h"
#include "store/store.h"

namespace jz {
namespace {

using json_reader::Reader;
using json_writer::JsonWriter;

void Money(JsonWriter& w, std::string_view key, const std::optional<Fen>& v) {
    if (!v) return;
    w.Key(key);
    w.String(FormatCenti(*v));
}
void OptDate(JsonWriter& w, std::string_view key, const std::optional<Date>& d) {
    if (!d) return;
    w.Key(key);
    w.String(d->ToString());
}
void NonEmpty(JsonWriter& w, std::string_view key, const std::string& s) {
    if (s.empty()) return;
    w.Key(key);
    w.String(s);
}

// A string that may be absent or null (then empty).
std::string OptString(Reader& r, const boost::json::object& o, std::string_view key) {
    if (!r.Find(o, key, false)) return {};
    return r.String(o, key);
}

}  // namespace

std::string AssistanceRecordToJson(const AssistanceRecord& record) {
    std::string out;
    AssistanceRecordJsonInto(record, record.version, out);
    return out;
}

void AssistanceRecordJsonInto(const AssistanceRecord& record, int64_t version, std::string& out) {
    const AssistanceItem& item = record.item;
    out.clear();
    out.reserve(320 + 24 * item.member_ids.size() + item.notes.size());
    JsonWriter w(out);
    w.Open('{');
    w.Key("item_code"), w.String(item.item_code);
    w.Key("household_code"), w.String(item.household_code);
    w.Key("division_code"), w.String(record.division_code);
    w.Key("version"), w.Int(version);
    w.Key("deleted"), w.Bool(record.deleted);
    NonEmpty(w, "delete_reason", record.delete_reason);
    w.Key("member_ids");
    w.Open('[');
    for (const std::string& id : item.member_ids) w.String(id);
    w.Close(']');
    w.Key("measure"), w.Int(item.measure);
    w.Key("category"), w.Int(item.category);
    w.Key("kind"), w.Int(item.kind);
    w.Key("start_date"), w.String(item.start_date.ToString());
    OptDate(w, "end_date", item.end_date);
    Money(w, "amount", item.amount);
    Money(w, "periodic_amount", item.periodic_amount);
    w.Field("period", item.period);
    NonEmpty(w, "fund_ref", item.fund_ref);
    NonEmpty(w, "notes", item.notes);
    OptDate(w, "signed_on", item.signed_on);
    NonEmpty(w, "signed_by", item.signed_by);
    w.Close('}');
}

Result<AssistanceRecord> AssistanceRecordFromJson(std::string_view json) {
    Reader r("assistance item");
    boost::json::value holder;
    const boost::json::object* o = r.Parse(json, holder);
    if (!o) return std::unexpected(r.error());
    AssistanceRecord rec;
    AssistanceItem& item = rec.item;
    item.item_code = OptString(r, *o, "item_code");
    item.household_code = r.String(*o, "household_code");
    rec.division_code = OptString(r, *o, "division_code");
    rec.version = r.OptInt(*o, "version", 0).value_or(0);
    rec.deleted = r.OptBool(*o, "deleted").value_or(false);
    rec.delete_reason = OptString(r, *o, "delete_reason");
    if (r.Find(*o, "member_ids", false)) item.member_ids = r.Strings(*o, "member_ids");
    item.measure = r.Int32(*o, "measure");
    item.category = r.Int32(*o, "category");
    item.kind = r.Int32(*o, "kind");
    item.start_date = r.DateOf(*o, "start_date");
    item.end_date = r.OptDate(*o, "end_date");
    item.amount = r.OptCenti(*o, "amount");
    item.periodic_amount = r.OptCenti(*o, "periodic_amount");
    item.period = r.OptInt32(*o, "period");
    item.fund_ref = OptString(r, *o, "fund_ref");
    item.notes = OptString(r, *o, "notes");
    item.signed_on = r.OptDate(*o, "signed_on");
    item.signed_by = OptString(r, *o, "signed_by");
    if (!r.ok()) return std::unexpected(r.error());
    return rec;
}

std::string IncomeRecordToJson(const IncomeRecord& record) {
    std::string out;
    out.reserve(256 + record.notes.size());
    JsonWriter w(out);
    w.Open('{');
    w.Key("household_code"), w.String(record.household_code);
    w.Key("year"), w.Int(record.year);
    w.Key("persons"), w.Int(record.persons);
    Money(w, "wage", record.wage);
    Money(w, "production", record.production);
    Money(w, "property", record.property);
    Money(w, "transfer", record.transfer);
    Money(w, "production_costs", record.production_costs);
    Money(w, "net_income_per_head", record.typed_per_head);
    NonEmpty(w, "notes", record.notes);
    w.Close('}');
    return out;
}

Result<IncomeRecord> IncomeRecordFromJson(std::string_view json) {
    Reader r("income");
    boost::json::value holder;
    const boost::json::object* o = r.Parse(json, holder);
    if (!o) return std::unexpected(r.error());
    IncomeRecord rec;
    rec.household_code = r.String(*o, "household_code");
    rec.year = r.Int32(*o, "year");
    rec.persons = r.Int32(*o, "persons");
    rec.wage = r.OptCenti(*o, "wage");
    rec.production = r.OptCenti(*o, "production");
    rec.property = r.OptCenti(*o, "property");
    rec.transfer = r.OptCenti(*o, "transfer");
    rec.production_costs = r.OptCenti(*o, "production_costs");
    rec.typed_per_head = r.OptCenti(*o, "net_income_per_head");
    rec.notes = OptString(r, *o, "notes");
    if (!r.ok()) return std::unexpected(r.error());
    return rec;
}

std::string CoverageToJson(const PersonCoverage& c) {
    std::string out;
    out.reserve(200);
    JsonWriter w(out);
    w.Open('{');
    w.Key("household_code"), w.String(c.household_code);
    w.Key("id_number"), w.String(c.id_number);
    w.Key("year"), w.Int(c.year);
    w.Field("basic_medical_insurance", c.basic_medical_insurance);
    w.Field("serious_illness_insurance", c.serious_illness_insurance);
    w.Field("pension_insurance", c.pension_insurance);
    w.Field("dibao", c.dibao);
    w.Field("wubao", c.wubao);
    w.Close('}');
    return out;
}

Result<PersonCoverage> CoverageFromJson(std::string_view json) {
    Reader r("coverage");
    boost::json::value holder;
    const boost::json::object* o = r.Parse(json, holder);
    if (!o) return std::unexpected(r.error());
    PersonCoverage c;
    c.household_code = r.String(*o, "household_code");
    c.id_number = r.String(*o, "id_number");
    c.year = r.Int32(*o, "year");
    c.basic_medical_insurance = r.OptBool(*o, "basic_medical_insurance");
    c.serious_illness_insurance = r.OptBool(*o, "serious_illness_insurance");
    c.pension_insurance = r.OptBool(*o, "pension_insurance");
    c.dibao = r.OptBool(*o, "dibao");
    c.wubao = r.OptBool(*o, "wubao");
    if (!r.ok()) return std::unexpected(r.error());
    return c;
}

}  // namespace jz
