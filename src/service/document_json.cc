#include "service/document_json.h"

#include <initializer_list>
#include <limits>
#include <limits>
#include <optional>

#include "core/household.h"

namespace jz::service {
namespace json = boost::json;
namespace {

std::string Hundredths(int64_t v) {
    // FormatFen prints any int64 as a two-decimal string (without a unit).
    return FormatFen(v);
}

json::value CellJson(const DocValue& value, DocCellType type) {
    if (std::holds_alternative<std::monostate>(value)) return nullptr;
    if (const auto* s = std::get_if<std::string>(&value)) return json::string(*s);
    const int64_t n = std::get<int64_t>(value);
    switch (type) {
        case DocCellType::kInteger:
            return n;
        case DocCellType::kFen:
        case DocCellType::kPercent:
            return json::string(Hundredths(n));
        default:
            return json::string(std::to_string(n));
    }
}

// Strict reading: the first problem wins, naming its path.
class Reader {
  public:
    bool ok() const { return !error_; }
    const Error& error() const { return *error_; }

    void Bad(const std::string& field, std::string_view expected) {
        if (error_) return;
        error_ = Error{.code = "json.invalid",
                       .field = field,
                       .message_zh = "文档 JSON 字段 " + field + " 无效（应为" + std::string(expected) + "）",
                       .message_en = "document JSON: field " + field + " is invalid (expected " +
                                     std::string(expected) + ")"};
    }

    // The object at `v`, with exactly the keys `required` (+ `optional`).
    const json::object* Object(const json::value& v, const std::string& path, std::initializer_list<std::string_view> required,
                               std::initializer_list<std::string_view> optional = {}) {
        if (!v.is_object()) {
            Bad(path.empty() ? "document" : path, "an object");
            return nullptr;
        }
        const json::object& o = v.as_object();
        for (std::string_view k : required)
            if (!o.contains(k)) Bad(Join(path, k), "a value");
        for (const auto& kv : o) {
            bool known = false;
            for (std::string_view k : required) known = known || kv.key() == k;
            for (std::string_view k : optional) known = known || kv.key() == k;
            if (!known) Bad(Join(path, kv.key()), "no such key");
        }
        return ok() ? &o : nullptr;
    }

    std::string String(const json::object& o, const std::string& path, std::string_view key) {
        const json::value* v = o.if_contains(key);
        if (!v || !v->is_string()) {
            Bad(Join(path, key), "a string");
            return {};
        }
        return std::string(v->as_string());
    }

    Date DateOf(const json::object& o, const std::string& path, std::string_view key) {
        const std::string text = String(o, path, key);
        if (!ok()) return {};
        if (text == Date{}.ToString()) return Date{};
        const auto d = Date::Parse(text);
        if (!d || text.size() != 10 || text[4] != '-') {
            Bad(Join(path, key), "a date YYYY-MM-DD");
            return {};
        }
        return *d;
    }

    const json::array* Array(const json::object& o, const std::string& path, std::string_view key) {
        const json::value* v = o.if_contains(key);
        if (!v || !v->is_array()) {
            Bad(Join(path, key), "an array");
            return nullptr;
        }
        return &v->as_array();
    }

    bool Bool(const json::object& o, const std::string& path, std::string_view key) {
        const json::value* v = o.if_contains(key);
        if (!v || !v->is_bool()) {
            Bad(Join(path, key), "true or false");
            return false;
        }
        return v->as_bool();
    }

    int Index(const json::value& v, const std::string& path, size_t columns) {
        if (!v.is_int64() || v.as_int64() < 0 || static_cast<size_t>(v.as_int64()) >= columns) {
            Bad(path, "a column index");
            return 0;
        }
        return static_cast<int>(v.as_int64());
    }

    static std::string Join(const std::string& path, std::string_view key) {
        return path.empty() ? std::string(key) : path + "." + std::string(key);
    }
    static std::string At(const std::string& path, size_t i) { return path + "[" + std::to_string(i) + "]"; }

  private:
    std::optional<Error> error_;
};

DocValue CellFrom(Reader& r, const json::value& v, DocCellType type, const std::string& path) {
    if (v.is_null()) return std::monostate{};
    switch (type) {
        case DocCellType::kText:
            if (v.is_string()) return std::string(v.as_string());
            r.Bad(path, "a string or null");
            break;
        case DocCellType::kDate:
            if (v.is_string()) {
                const std::string_view t(v.as_string());
                if (t.size() == 10 && t[4] == '-' && Date::Parse(t)) return std::string(t);
            }
            r.Bad(path, "a date YYYY-MM-DD or null");
            break;
        case DocCellType::kInteger:
            if (v.is_int64()) return v.as_int64();
            r.Bad(path, "an integer or null");
            break;
        case DocCellType::kFen:
        case DocCellType::kPercent:
            if (v.is_string()) {
                const std::string_view t(v.as_string());
                // Exactly two decimals, as DocumentJson writes them.
                if (t.size() >= 4 && t[t.size() - 3] == '.')
                    if (auto c = ParseCenti(t)) return *c;
            }
            r.Bad(path, "a decimal string with two decimals or null");
            break;
    }
    return std::monostate{};
}

}  // namespace

json::object DocumentJson(const Document& doc) {
    json::object o;
    o["kind"] = doc.kind;
    o["title_zh"] = doc.title_zh;
    o["title_en"] = doc.title_en;
    o["unit"] = json::object{{"code", doc.unit_code}, {"name", doc.unit_name}};
    o["period"] = doc.period;
    o["from"] = doc.from.ToString();
    o["to"] = doc.to.ToString();
    o["as_of"] = doc.as_of.ToString();
    json::array facts;
    for (const DocFact& f : doc.facts)
        facts.push_back(json::object{{"label_zh", f.label_zh}, {"label_en", f.label_en}, {"value", f.value}});
    o["facts"] = std::move(facts);
    json::array sections;
    for (const DocSection& s : doc.sections) {
        json::object so;
        so["id"] = s.id;
        so["title_zh"] = s.title_zh;
        so["title_en"] = s.title_en;
        so["note_zh"] = s.note_zh;
        so["note_en"] = s.note_en;
        json::array columns;
        for (const DocColumn& c : s.columns)
            columns.push_back(json::object{{"id", c.id},
                                           {"title_zh", c.title_zh},
                                           {"title_en", c.title_en},
                                           {"type", std::string(DocCellTypeName(c.type))}});
        so["columns"] = std::move(columns);
        json::array rows;
        for (const DocRow& row : s.rows) {
            json::array cells;
            for (size_t i = 0; i < row.cells.size(); ++i)
                cells.push_back(CellJson(row.cells[i], i < s.columns.size() ? s.columns[i].type : DocCellType::kText));
            rows.push_back(json::object{{"cells", std::move(cells)}, {"total", row.total}});
        }
        so["rows"] = std::move(rows);
        if (s.chart) {
            json::array values;
            for (int v : s.chart->value_columns) values.push_back(v);
            so["chart"] = json::object{{"kind", std::string(DocChartKindName(s.chart->kind))},
                                       {"label_column", s.chart->label_column},
                                       {"value_columns", std::move(values)}};
        }
        sections.push_back(std::move(so));
    }
    o["sections"] = std::move(sections);
    json::array signatures;
    for (const std::string& s : doc.signatures) signatures.push_back(json::string(s));
    o["signatures"] = std::move(signatures);
    return o;
}

std::string DocumentJsonText(const Document& doc) { return json::serialize(DocumentJson(doc)); }

Result<Document> DocumentFromJsonValue(const json::value& v) {
    Reader r;
    Document doc;
    const json::object* o = r.Object(v, "", {"kind", "title_zh", "title_en", "unit", "period", "from", "to", "as_of",
                                             "facts", "sections", "signatures"});
    if (!o) return std::unexpected(r.error());
    doc.kind = r.String(*o, "", "kind");
    doc.title_zh = r.String(*o, "", "title_zh");
    doc.title_en = r.String(*o, "", "title_en");
    if (const json::object* unit = r.Object(o->at("unit"), "unit", {"code", "name"})) {
        doc.unit_code = r.String(*unit, "unit", "code");
        doc.unit_name = r.String(*unit, "unit", "name");
    }
    doc.period = r.String(*o, "", "period");
    doc.from = r.DateOf(*o, "", "from");
    doc.to = r.DateOf(*o, "", "to");
    doc.as_of = r.DateOf(*o, "", "as_of");
    if (const json::array* facts = r.Array(*o, "", "facts")) {
        for (size_t i = 0; i < facts->size() && r.ok(); ++i) {
            const std::string path = Reader::At("facts", i);
            if (const json::object* f = r.Object((*facts)[i], path, {"label_zh", "label_en", "value"}))
                doc.facts.push_back(DocFact{.label_zh = r.String(*f, path, "label_zh"),
                                            .label_en = r.String(*f, path, "label_en"),
                                            .value = r.String(*f, path, "value")});
        }
    }
    if (const json::array* sections = r.Array(*o, "", "sections")) {
        for (size_t i = 0; i < sections->size() && r.ok(); ++i) {
            const std::string path = Reader::At("sections", i);
            const json::object* so = r.Object((*sections)[i], path,
                                              {"id", "title_zh", "title_en", "note_zh", "note_en", "columns", "rows"},
                                              {"chart"});
            if (!so) break;
            DocSection s;
            s.id = r.String(*so, path, "id");
            s.title_zh = r.String(*so, path, "title_zh");
            s.title_en = r.String(*so, path, "title_en");
            s.note_zh = r.String(*so, path, "note_zh");
            s.note_en = r.String(*so, path, "note_en");
            if (const json::array* columns = r.Array(*so, path, "columns")) {
                for (size_t c = 0; c < columns->size() && r.ok(); ++c) {
                    const std::string cp = Reader::At(path + ".columns", c);
                    const json::object* co = r.Object((*columns)[c], cp, {"id", "title_zh", "title_en", "type"});
                    if (!co) break;
                    DocColumn col{.id = r.String(*co, cp, "id"),
                                  .title_zh = r.String(*co, cp, "title_zh"),
                                  .title_en = r.String(*co, cp, "title_en")};
                    const std::string type = r.String(*co, cp, "type");
                    if (const auto t = ParseDocCellType(type)) {
                        col.type = *t;
                    } else {
                        r.Bad(cp + ".type", "text, integer, fen, percent or date");
                    }
                    s.columns.push_back(std::move(col));
                }
            }
            if (const json::array* rows = r.Array(*so, path, "rows")) {
                for (size_t k = 0; k < rows->size() && r.ok(); ++k) {
                    const std::string rp = Reader::At(path + ".rows", k);
                    const json::object* ro = r.Object((*rows)[k], rp, {"cells", "total"});
                    if (!ro) break;
                    DocRow row;
                    row.total = r.Bool(*ro, rp, "total");
                    if (const json::array* cells = r.Array(*ro, rp, "cells")) {
                        if (cells->size() != s.columns.size()) r.Bad(rp + ".cells", "one cell per column");
                        for (size_t c = 0; c < cells->size() && r.ok(); ++c)
                            row.cells.push_back(
                                CellFrom(r, (*cells)[c], s.columns[c].type, Reader::At(rp + ".cells", c)));
                    }
                    s.rows.push_back(std::move(row));
                }
            }
            if (so->contains("chart") && r.ok()) {
                const std::string cp = path + ".chart";
                if (const json::object* co = r.Object(so->at("chart"), cp, {"kind", "label_column", "value_columns"})) {
                    DocChart chart;
                    const std::string kind = r.String(*co, cp, "kind");
                    if (kind == "bar") {
                        chart.kind = DocChart::Kind::kBar;
                    } else if (kind == "line") {
                        chart.kind = DocChart::Kind::kLine;
                    } else {
                        r.Bad(cp + ".kind", "bar or line");
                    }
                    chart.label_column = r.Index(co->at("label_column"), cp + ".label_column", s.columns.size());
                    if (const json::array* values = r.Array(*co, cp, "value_columns"))
                        for (size_t c = 0; c < values->size() && r.ok(); ++c)
                            chart.value_columns.push_back(
                                r.Index((*values)[c], Reader::At(cp + ".value_columns", c), s.columns.size()));
                    s.chart = std::move(chart);
                }
            }
            doc.sections.push_back(std::move(s));
        }
    }
    if (const json::array* signatures = r.Array(*o, "", "signatures")) {
        for (size_t i = 0; i < signatures->size(); ++i) {
            if (!(*signatures)[i].is_string()) {
                r.Bad(Reader::At("signatures", i), "a string");
                break;
            }
            doc.signatures.emplace_back((*signatures)[i].as_string());
        }
    }
    if (!r.ok()) return std::unexpected(r.error());
    return doc;
}

Result<Document> DocumentFromJson(std::string_view text) {
    boost::system::error_code ec;
    const json::value v = json::parse(text, ec);
    if (ec)
        return Fail("json.invalid", "document", "文档 JSON 无法解析：" + ec.message(),
                    "document JSON cannot be parsed: " + ec.message());
    return DocumentFromJsonValue(v);
}

}  // namespace jz::service
