// The shared strings of an .xlsx package (sharedStrings.xml), which can be hundreds of megabytes:
// streamed through expat, each string kept up to max_cell_bytes, rich text joined and phonetic runs
// left out.
#include <algorithm>
#include <string>

#include "io/table_internal.h"
#include "io/xlsx_package.h"

namespace jz::io::xlsx {
namespace {

class SharedStringsLoader {
  public:
    SharedStringsLoader(SharedStrings* out, size_t max_cell) : out_(out), max_cell_(max_cell) {}

    Result<void> Load(zip_t* zip, zip_int64_t index, const std::string& part, Budget& budget) {
        const std::string& name = budget.name;
        PartInput file(budget, part, budget.limits.max_shared_strings_bytes);
        if (auto opened = file.Open(zip, index); !opened) return std::unexpected(opened.error());
        ParserPtr parser(XML_ParserCreate(nullptr));
        if (!parser) return std::unexpected(FormatError(name, "内存不足", "out of memory"));
        parser_ = parser.get();
        XML_SetUserData(parser.get(), this);
        XML_SetElementHandler(parser.get(), OnStart, OnEnd);
        XML_SetCharacterDataHandler(parser.get(), OnText);
        XML_SetStartDoctypeDeclHandler(parser.get(), OnDoctype);
        while (true) {
            void* buffer = XML_GetBuffer(parser.get(), kXmlChunk);
            if (buffer == nullptr) return std::unexpected(FormatError(name, "内存不足", "out of memory"));
            auto got = file.Read(static_cast<char*>(buffer), kXmlChunk);
            if (!got) return std::unexpected(got.error());
            if (XML_ParseBuffer(parser.get(), static_cast<int>(*got), *got == 0) != XML_STATUS_OK) {
                const std::string why = doctype_ ? "DOCTYPE" : ExpatMessage(parser.get());
                return std::unexpected(FormatError(name, part + "：" + why, part + ": " + why));
            }
            if (*got == 0) break;
        }
        return {};
    }

  private:
    static void XMLCALL OnStart(void* user_data, const XML_Char* name, const XML_Char**) {
        auto* self = static_cast<SharedStringsLoader*>(user_data);
        const std::string_view local = LocalName(name);
        if (local == "si") {
            self->in_si_ = true;
            self->start_ = self->out_->pool.size();
        } else if (local == "t") {
            self->in_t_ = true;
        } else if (local == "rPh") {
            ++self->phonetic_depth_;
        }
    }

    static void XMLCALL OnEnd(void* user_data, const XML_Char* name) {
        auto* self = static_cast<SharedStringsLoader*>(user_data);
        const std::string_view local = LocalName(name);
        if (local == "si") {
            internal::DecodeXstring(self->out_->pool, self->start_);
            if (self->si_cut_) self->out_->cut.push_back(self->out_->size());
            self->out_->starts.push_back(self->out_->pool.size());
            self->in_si_ = false;
            self->si_cut_ = false;
        } else if (local == "t") {
            self->in_t_ = false;
        } else if (local == "rPh") {
            --self->phonetic_depth_;
        }
    }

    static void XMLCALL OnText(void* user_data, const XML_Char* text, int len) {
        auto* self = static_cast<SharedStringsLoader*>(user_data);
        if (self->in_si_ && self->in_t_ && self->phonetic_depth_ == 0 && !self->si_cut_) {
            // Escapes (_xHHHH_) only shrink when decoded, so cutting the raw text at the limit keeps
            // at least max_cell_ bytes' worth.
            std::string& pool = self->out_->pool;
            const size_t held = pool.size() - self->start_;
            const size_t room = self->max_cell_ - std::min(self->max_cell_, held);
            if (static_cast<size_t>(len) <= room) {
                pool.append(text, static_cast<size_t>(len));
            } else {
                pool.append(text, internal::Utf8Cut(std::string_view(text, static_cast<size_t>(len)), room));
                self->si_cut_ = true;
            }
        }
    }

    // A DOCTYPE has no place in an OOXML part; refusing it keeps entity expansion out of reach.
    static void XMLCALL OnDoctype(void* user_data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
        auto* self = static_cast<SharedStringsLoader*>(user_data);
        self->doctype_ = true;
        XML_StopParser(self->parser_, XML_FALSE);
    }

    SharedStrings* out_;
    size_t max_cell_;
    bool si_cut_ = false;
    XML_Parser parser_ = nullptr;
    bool doctype_ = false;
    bool in_si_ = false;
    bool in_t_ = false;
    int phonetic_depth_ = 0;
    size_t start_ = 0;
};

}  // namespace

Result<void> LoadSharedStrings(zip_t* zip, zip_int64_t index, const std::string& part, Budget& budget,
                               size_t max_cell, SharedStrings& out) {
    SharedStringsLoader loader(&out, max_cell);
    return loader.Load(zip, index, part, budget);
}

}  // namespace jz::io::xlsx
