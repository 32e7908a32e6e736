// The web workbench's files: coding negotiation, validators and cache lifetimes (static_files.h).
#include "server/static_files.h"

#include <boost/beast/core.hpp>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <vector>

#include "server/request.h"

namespace jz::server {

namespace beast = boost::beast;
namespace fs = std::filesystem;

std::string_view CodingName(Coding c) {
    switch (c) {
        case Coding::kGzip: return "gzip";
        case Coding::kBrotli: return "br";
        case Coding::kIdentity: break;
    }
    return "";
}

std::string_view CodingSuffix(Coding c) {
    switch (c) {
        case Coding::kGzip: return ".gz";
        case Coding::kBrotli: return ".br";
        case Coding::kIdentity: break;
    }
    return "";
}

namespace {

std::string_view Trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), in thousandths; nullopt if malformed.
std::optional<int> ParseQuality(std::string_view v) {
    if (v.empty() || (v[0] != '0' && v[0] != '1')) return std::nullopt;
    int whole = v[0] - '0';
    int thousandths = 0;
    if (v.size() > 1) {
        if (v[1] != '.' || v.size() > 5) return std::nullopt;
        int scale = 100;
        for (char ch : v.substr(2)) {
            if (ch < '0' || ch > '9') return std::nullopt;
            thousandths += (ch - '0') * scale;
            scale /= 10;
        }
    }
    if (whole == 1 && thousandths != 0) return std::nullopt;
    return whole * 1000 + thousandths;
}

}  // namespace

AcceptEncoding ParseAcceptEncoding(std::string_view header) {
    std::optional<int> gzip, brotli, identity, star;
    size_t start = 0;
    while (start <= header.size()) {
        size_t end = header.find(',', start);
        if (end == std::string_view::npos) end = header.size();
        std::string_view element = header.substr(start, end - start);
        start = end + 1;
        size_t semi = element.find(';');
        std::string_view name = Trim(element.substr(0, semi));
        if (name.empty()) continue;
        int q = 1000;
        bool malformed = false;
        while (semi != std::string_view::npos) {
            size_t next = element.find(';', semi + 1);
            std::string_view param = Trim(element.substr(semi + 1, next == std::string_view::npos ? next : next - semi - 1));
            semi = next;
            size_t eq = param.find('=');
            if (eq == std::string_view::npos) {
                malformed = true;
                continue;
            }
            if (!EqualsNoCase(Trim(param.substr(0, eq)), "q")) continue;  // other parameters: ignored
            auto parsed = ParseQuality(Trim(param.substr(eq + 1)));
            if (!parsed) malformed = true;
            else q = *parsed;
        }
        if (malformed) continue;
        // The highest quality given wins when a coding is named twice.
        auto set = [q](std::optional<int>& slot) { slot = std::max(slot.value_or(0), q); };
        if (EqualsNoCase(name, "gzip") || EqualsNoCase(name, "x-gzip")) set(gzip);
        else if (EqualsNoCase(name, "br")) set(brotli);
        else if (EqualsNoCase(name, "identity")) set(identity);
        else if (name == "*") set(star);
    }
    AcceptEncoding a;
    a.gzip = gzip.value_or(star.value_or(0));
    a.brotli = brotli.value_or(star.value_or(0));
    a.identity = identity.value_or(star.value_or(1000));
    return a;
}

Coding ChooseCoding(const AcceptEncoding& accept, bool gzip_available, bool brotli_available) {
    Coding best = Coding::kIdentity;
    int best_q = accept.identity;
    if (gzip_available && accept.gzip > 0 && accept.gzip >= best_q) {
        best = Coding::kGzip;
        best_q = accept.gzip;
    }
    if (brotli_available && accept.brotli > 0 && accept.brotli >= best_q) best = Coding::kBrotli;
    return best;
}

std::string_view CacheControlFor(std::string_view served) {
    return served.starts_with("assets/") ? kImmutable : kRevalidate;
}

std::string StaticETag(uint64_t size, int64_t mtime_ns, Coding c) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "\"%llx-%llx", static_cast<unsigned long long>(size),
                  static_cast<unsigned long long>(mtime_ns));
    std::string tag = buf;
    if (c != Coding::kIdentity) tag += "-" + std::string(CodingName(c));
    return tag + "\"";
}

bool NoneMatchHits(std::string_view if_none_match, std::string_view etag) {
    auto opaque = [](std::string_view t) {
        t = Trim(t);
        if (t.starts_with("W/")) t.remove_prefix(2);
        return t;
    };
    const std::string_view want = opaque(etag);
    size_t start = 0;
    while (start <= if_none_match.size()) {
        size_t end = if_none_match.find(',', start);
        if (end == std::string_view::npos) end = if_none_match.size();
        std::string_view tag = Trim(if_none_match.substr(start, end - start));
        start = end + 1;
        if (tag == "*" || (!tag.empty() && opaque(tag) == want)) return true;
    }
    return false;
}

std::optional<Response> StaticFile(const Request& request, const fs::path& file, std::string_view cache_control) {
    std::error_code ec;
    const uint64_t size = fs::file_size(file, ec);
    if (ec) return std::nullopt;
    const auto mtime = fs::last_write_time(file, ec);
    if (ec) return std::nullopt;
    const int64_t mtime_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(mtime.time_since_epoch()).count();

    auto sibling = [&](Coding c) { return fs::path(file.string() + std::string(CodingSuffix(c))); };
    const bool has_gzip = fs::is_regular_file(sibling(Coding::kGzip), ec);
    const bool has_brotli = fs::is_regular_file(sibling(Coding::kBrotli), ec);
    // Range is not served; the full identity body is a correct answer to it (and a byte range of
    // an encoded body would be a range of the encoding, which few clients want).
    const bool ranged = request.find(http::field::range) != request.end();
    Coding coding = Coding::kIdentity;
    if (!ranged && (has_gzip || has_brotli)) {
        auto header = request.find(http::field::accept_encoding);
        if (header != request.end())
            coding = ChooseCoding(ParseAcceptEncoding(header->value()), has_gzip, has_brotli);
    }
    const std::string etag = StaticETag(size, mtime_ns, coding);
    const std::string_view type = ContentTypeOf(file);

    auto common = [&](http::fields& f) {
        f.set(http::field::cache_control, cache_control);
        f.set(http::field::etag, etag);
        if (has_gzip || has_brotli) f.set(http::field::vary, "Accept-Encoding");
        f.set(http::field::accept_ranges, "none");
    };

    if (auto inm = request.find(http::field::if_none_match); inm != request.end() && NoneMatchHits(inm->value(), etag)) {
        http::response<http::empty_body> res{http::status::not_modified, request.version()};
        common(res.base());
        res.keep_alive(request.keep_alive());
        return Response(std::move(res));
    }

    http::file_body::value_type body;
    beast::error_code bec;
    body.open(sibling(coding).c_str(), beast::file_mode::scan, bec);
    if (bec) return std::nullopt;
    const uint64_t length = body.size();
    auto headers = [&](http::fields& f) {
        f.set(http::field::content_type, type);
        if (coding != Coding::kIdentity) f.set(http::field::content_encoding, CodingName(coding));
        common(f);
    };
    if (request.method() == http::verb::head) {
        http::response<http::empty_body> head{http::status::ok, request.version()};
        headers(head.base());
        head.content_length(length);
        head.keep_alive(request.keep_alive());
        return Response(std::move(head));
    }
    http::response<http::file_body> res{std::piecewise_construct, std::make_tuple(std::move(body)),
                                        std::make_tuple(http::status::ok, request.version())};
    headers(res.base());
    res.keep_alive(request.keep_alive());
    res.prepare_payload();
    return Response(std::move(res));
}

}  // namespace jz::server
