// The .xlsx package: parts inflated within the import limits, and the small XML parts read whole
// with pugixml (relationships, the workbook).
#include "io/xlsx_package.h"

#include <algorithm>
#include <pugixml.hpp>
#include <string>
#include <utility>
#include <vector>

namespace jz::io::xlsx {
namespace {

std::string MiB(int64_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

// Parses a small part (relationships, workbook) into `doc`; the sheets themselves are streamed.
Result<void> LoadXml(pugi::xml_document& doc, const std::string& xml, const std::string& part,
                     const std::string& name) {
    const auto parsed = doc.load_buffer(xml.data(), xml.size());
    if (!parsed)
        return std::unexpected(
            FormatError(name, part + "：" + parsed.description(), part + ": " + parsed.description()));
    return {};
}

}  // namespace

Error FormatError(std::string field, const std::string& zh, const std::string& en) {
    return Error{.code = "xlsx.format", .field = std::move(field), .message_zh = "不是有效的 xlsx 文件：" + zh, .message_en = "not a valid xlsx file: " + en};
}

std::string ExpatMessage(XML_Parser parser) {
    return std::to_string(XML_GetCurrentLineNumber(parser)) + ": " +
           XML_ErrorString(XML_GetErrorCode(parser));
}

PartInput::~PartInput() {
    if (inflating_) inflateEnd(&stream_);
}

Result<void> PartInput::Open(zip_t* zip, zip_int64_t index) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(zip, static_cast<zip_uint64_t>(index), 0, &st) != 0)
        return std::unexpected(Failure(zip_strerror(zip)));
    if ((st.valid & ZIP_STAT_COMP_SIZE) != 0) compressed_ = static_cast<int64_t>(st.comp_size);
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) != 0 && st.encryption_method != ZIP_EM_NONE)
        return std::unexpected(Failure("已加密 (encrypted)"));
    const bool deflated = (st.valid & ZIP_STAT_COMP_METHOD) != 0 && st.comp_method == ZIP_CM_DEFLATE &&
                          (st.valid & ZIP_STAT_CRC) != 0;
    file_.reset(zip_fopen_index(zip, static_cast<zip_uint64_t>(index), deflated ? ZIP_FL_COMPRESSED : 0));
    if (!file_) return std::unexpected(Failure(zip_strerror(zip)));
    if (deflated) {
        if (inflateInit2(&stream_, -MAX_WBITS) != Z_OK) return std::unexpected(Failure("zlib"));
        inflating_ = true;
        expected_crc_ = st.crc;
        in_.reset(new unsigned char[kRawChunk]);
    }
    return {};
}

// Up to `size` bytes; 0 at the end of the part.
Result<size_t> PartInput::Read(char* dst, size_t size) {
    if (auto r = budget_.cancel.Check(budget_.name); !r) return std::unexpected(r.error());
    zip_int64_t got = 0;
    if (inflating_) {
        auto inflated = Inflate(dst, size);
        if (!inflated) return std::unexpected(inflated.error());
        got = static_cast<zip_int64_t>(*inflated);
    } else {
        got = zip_fread(file_.get(), dst, size);
        if (got < 0) return std::unexpected(Failure(zip_file_strerror(file_.get())));
        consumed_ = compressed_;
    }
    inflated_ += got;
    budget_.inflated += got;
    const ImportLimits& limits = budget_.limits;
    if (inflated_ > max_bytes_)
        return Fail("xlsx.too_large", budget_.name,
                    "文件中的 " + part_ + " 解压后超过 " + MiB(max_bytes_) + " 的限制",
                    part_ + " inflates to more than the limit of " + MiB(max_bytes_));
    if (budget_.inflated > limits.max_unzipped_bytes)
        return Fail("xlsx.too_large", budget_.name,
                    "文件解压后超过 " + MiB(limits.max_unzipped_bytes) + " 的限制",
                    "the file inflates to more than the limit of " + MiB(limits.max_unzipped_bytes));
    if (inflated_ > limits.ratio_floor_bytes &&
        inflated_ / std::max<int64_t>(consumed_, 1) > limits.max_compression_ratio)
        return Fail("xlsx.compression_ratio", budget_.name,
                    "文件中的 " + part_ + " 压缩比超过 " + std::to_string(limits.max_compression_ratio) +
                        ":1，疑似压缩炸弹，已拒绝",
                    part_ + " inflates more than " + std::to_string(limits.max_compression_ratio) +
                        " times its compressed size; refused as a likely zip bomb");
    return static_cast<size_t>(got);
}

Result<size_t> PartInput::Inflate(char* dst, size_t size) {
    if (ended_) return size_t{0};
    stream_.next_out = reinterpret_cast<Bytef*>(dst);
    stream_.avail_out = static_cast<uInt>(std::min<size_t>(size, UINT32_MAX));
    const uInt room = stream_.avail_out;
    while (stream_.avail_out == room) {
        if (stream_.avail_in == 0 && !input_ended_) {
            const zip_int64_t got = zip_fread(file_.get(), in_.get(), kRawChunk);
            if (got < 0) return std::unexpected(Failure(zip_file_strerror(file_.get())));
            input_ended_ = got == 0;
            consumed_ += got;
            stream_.next_in = in_.get();
            stream_.avail_in = static_cast<uInt>(got);
        }
        const int status = inflate(&stream_, Z_NO_FLUSH);
        if (status == Z_STREAM_END) {
            ended_ = true;
            break;
        }
        if (status != Z_OK && status != Z_BUF_ERROR)
            return std::unexpected(Failure("数据损坏 (corrupt data)"));
        if (status == Z_BUF_ERROR && input_ended_)
            return std::unexpected(Failure("数据不完整 (truncated data)"));
    }
    const size_t produced = room - stream_.avail_out;
    crc_ = crc32(crc_, reinterpret_cast<const Bytef*>(dst), static_cast<uInt>(produced));
    if (ended_ && crc_ != expected_crc_) return std::unexpected(Failure("CRC 校验错误 (CRC error)"));
    return produced;
}

Error PartInput::Failure(const std::string& why) const {
    return FormatError(budget_.name, part_ + "：" + why, part_ + ": " + why);
}

std::optional<zip_int64_t> LocatePart(zip_t* zip, const std::string& part) {
    const zip_int64_t index = zip_name_locate(zip, part.c_str(), ZIP_FL_NOCASE);
    if (index < 0) return std::nullopt;
    return index;
}

// The whole of a small part (at most limits.max_small_part_bytes); nullopt when the package has no
// such part.
Result<std::optional<std::string>> ReadPart(zip_t* zip, const std::string& part, Budget& budget) {
    const auto index = LocatePart(zip, part);
    if (!index) return std::optional<std::string>();
    PartInput input(budget, part, budget.limits.max_small_part_bytes);
    if (auto opened = input.Open(zip, *index); !opened) return std::unexpected(opened.error());
    std::string text;
    char buffer[64 * 1024];
    while (true) {
        auto got = input.Read(buffer, sizeof(buffer));
        if (!got) return std::unexpected(got.error());
        if (*got == 0) break;
        text.append(buffer, *got);
    }
    return std::optional<std::string>(std::move(text));
}

std::string_view DirectoryOf(std::string_view part) {
    const size_t slash = part.rfind('/');
    return slash == std::string_view::npos ? std::string_view() : part.substr(0, slash + 1);
}

// A relationship target, relative to the source part's directory unless it starts with '/'.
std::string ResolveTarget(std::string_view base_dir, std::string_view target) {
    std::string joined =
        target.starts_with('/') ? std::string(target.substr(1)) : std::string(base_dir) + std::string(target);
    std::vector<std::string_view> parts;
    std::string_view rest(joined);
    while (!rest.empty()) {
        const size_t slash = rest.find('/');
        const std::string_view segment = rest.substr(0, slash);
        rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
        if (segment.empty() || segment == ".") continue;
        if (segment == "..") {
            if (!parts.empty()) parts.pop_back();
            continue;
        }
        parts.push_back(segment);
    }
    std::string out;
    for (const auto& segment : parts) {
        if (!out.empty()) out += '/';
        out += segment;
    }
    return out;
}

Result<std::vector<Relationship>> ParseRelationships(const std::string& xml, const std::string& part,
                                                     const std::string& name) {
    pugi::xml_document doc;
    if (auto r = LoadXml(doc, xml, part, name); !r) return std::unexpected(r.error());
    std::vector<Relationship> out;
    for (const auto& node : doc.document_element().children()) {
        if (LocalName(node.name()) != "Relationship") continue;
        out.push_back(
            {node.attribute("Id").value(), node.attribute("Type").value(), node.attribute("Target").value()});
    }
    return out;
}

Result<std::vector<SheetEntry>> ParseWorkbookSheets(const std::string& xml, const std::string& part,
                                                    const std::string& name) {
    pugi::xml_document doc;
    if (auto r = LoadXml(doc, xml, part, name); !r) return std::unexpected(r.error());
    std::vector<SheetEntry> out;
    for (const auto& group : doc.document_element().children()) {
        if (LocalName(group.name()) != "sheets") continue;
        for (const auto& sheet : group.children()) {
            if (LocalName(sheet.name()) != "sheet") continue;
            SheetEntry entry{sheet.attribute("name").value(), ""};
            // The relationship id is "r:id" under whatever prefix the relationships namespace got.
            for (const auto& attribute : sheet.attributes()) {
                const std::string_view attr_name = attribute.name();
                if (attr_name.find(':') != std::string_view::npos && LocalName(attribute.name()) == "id") {
                    entry.rel_id = attribute.value();
                }
            }
            out.push_back(std::move(entry));
        }
    }
    return out;
}

bool UsesDate1904(const std::string& xml) {
    pugi::xml_document doc;
    if (!doc.load_buffer(xml.data(), xml.size())) return false;
    for (const auto& node : doc.document_element().children()) {
        if (LocalName(node.name()) != "workbookPr") continue;
        const std::string_view v = node.attribute("date1904").value();
        return v == "1" || v == "true";
    }
    return false;
}

}  // namespace jz::io::xlsx
