// How the web workbench's files are sent (docs/serving.md): the
// content coding chosen from the request's Accept-Encoding among the precompressed siblings the
// build writes (x.js.br, x.js.gz), each representation's ETag and the 304 it allows, and the cache
// lifetime by kind of file (hashed names under /assets/ forever, everything else revalidated).
// Nothing is compressed while serving. Pure functions but StaticFile, which reads the file system;
// all may run on any thread at once.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "server/http.h"

namespace jz::server {

enum class Coding { kIdentity, kGzip, kBrotli };

// The name a coding has in Content-Encoding ("" for identity), and the suffix of its file.
std::string_view CodingName(Coding c);
std::string_view CodingSuffix(Coding c);

// What an Accept-Encoding header accepts: each coding's quality in thousandths (RFC 9110 12.4.2 and
// 12.5.3). Names are compared without case, x-gzip is gzip, "*" stands for every coding not named,
// identity is acceptable unless named or matched by "*" with q=0. A malformed element (a bad
// q-value) is left out. An absent header is taken as identity only (no compression unasked).
struct AcceptEncoding {
    int gzip = 0;
    int brotli = 0;
    int identity = 1000;
    int Quality(Coding c) const {
        return c == Coding::kGzip ? gzip : c == Coding::kBrotli ? brotli : identity;
    }
};
AcceptEncoding ParseAcceptEncoding(std::string_view header);

// The coding to send among those available (identity always is): the highest quality above 0;
// on a tie brotli before gzip before identity (smaller first). When nothing acceptable is
// available (identity;q=0 and no sibling), identity all the same: RFC 9110 allows it, and a
// browser copes better with it than with a 406.
Coding ChooseCoding(const AcceptEncoding& accept, bool gzip_available, bool brotli_available);

// The Cache-Control of a workbench file: content-addressed names under /assets/ (vite puts the
// content's hash in them) are cached for a year and never revalidated; everything else (index.html,
// the single-page app's fallback) is revalidated on each use.
// `served`: the file's path relative to the web folder, with "/" ("assets/index-B1x2.js").
std::string_view CacheControlFor(std::string_view served);
inline constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
inline constexpr std::string_view kRevalidate = "no-cache";

// The strong ETag of one representation: the identity file's size and modification time, and the
// coding (each coding is a different representation, so a different tag).
std::string StaticETag(uint64_t size, int64_t mtime_ns, Coding c);
// Whether If-None-Match matches the tag (weak comparison, RFC 9110 13.1.2: "*", or any listed tag
// equal but for a W/ prefix).
bool NoneMatchHits(std::string_view if_none_match, std::string_view etag);

// Sends `file` (which exists) as the answer to a GET or HEAD: the representation negotiated from
// Accept-Encoding (identity for a Range request: Range is not served, so the full identity body
// answers it, as RFC 9110 permits), with Content-Type of the identity file, Content-Encoding, Vary:
// Accept-Encoding when siblings exist, ETag, the Cache-Control of CacheControlFor, and 304 when
// If-None-Match matches. nullopt when the file cannot be opened.
std::optional<Response> StaticFile(const Request& request, const std::filesystem::path& file,
                                   std::string_view cache_control);

}  // namespace jz::server
