#include "io/pdf.h"

#include <cairo-ft.h>
#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-font.h>
#include <qrencode.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace jz::io {

namespace {

constexpr double kA4Short = 595.28;
constexpr double kA4Long = 841.89;
constexpr double kMargin = 42.52;  // 15 mm
constexpr double kFooter = 20;     // room kept for the footer at the bottom
constexpr const char* kFamily = "Noto Sans CJK SC";
constexpr double kCellPadX = 3;
constexpr double kCellPadY = 2.5;

struct Rgb {
    double r, g, b;
};
constexpr Rgb kPalette[] = {{0.18, 0.42, 0.72}, {0.85, 0.42, 0.15}, {0.30, 0.62, 0.30},
                            {0.62, 0.30, 0.62}, {0.75, 0.20, 0.20}, {0.45, 0.45, 0.45}};

PangoFontDescription* Font(double size, bool bold) {
    PangoFontDescription* desc = pango_font_description_new();
    pango_font_description_set_family(desc, kFamily);
    pango_font_description_set_absolute_size(desc, size * PANGO_SCALE);
    pango_font_description_set_weight(desc, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    return desc;
}

// Text is shaped by pango but drawn here, glyph run by glyph run, in a cairo font face made from the
// same fontconfig pattern and marked "synthesized" (an unused synthesis bit: the outlines are not
// changed). That makes cairo embed a CFF font it builds from the glyph outlines instead of
// subsetting the OpenType CFF table: cairo 1.16's CFF subsetter (Debian 12) drops subroutines some
// Noto Sans CJK glyphs need (如, 好, 她, ... printed blank, depending on which other glyphs the
// subset holds). The embedded font is then named "CairoFont-n-m" (CID Type 0C, embedded, with its
// ToUnicode map from the text given with the glyphs).
class FaceCache {
public:
    ~FaceCache() {
        for (auto& [key, face] : faces_) cairo_font_face_destroy(face);
    }
    cairo_font_face_t* Of(PangoFont* font) {
        FcPattern* pattern = pango_fc_font_get_pattern(PANGO_FC_FONT(font));
        FcChar8* file = nullptr;
        int index = 0, weight = 0, embolden = 0;
        FcPatternGetString(pattern, FC_FILE, 0, &file);
        FcPatternGetInteger(pattern, FC_INDEX, 0, &index);
        FcPatternGetInteger(pattern, FC_WEIGHT, 0, &weight);
        FcPatternGetBool(pattern, FC_EMBOLDEN, 0, &embolden);
        auto key = std::make_tuple(std::string(file ? reinterpret_cast<const char*>(file) : ""), index, weight, embolden);
        auto it = faces_.find(key);
        if (it != faces_.end()) return it->second;
        cairo_font_face_t* face = cairo_ft_font_face_create_for_pattern(pattern);
        cairo_ft_font_face_set_synthesize(face, 1u << 4);
        faces_.emplace(std::move(key), face);
        return face;
    }

private:
    std::map<std::tuple<std::string, int, int, int>, cairo_font_face_t*> faces_;
};

// Draws `layout` with its top left corner at (x0, y0) in the current source colour.
void ShowLayout(cairo_t* cr, PangoLayout* layout, FaceCache& faces, double x0, double y0) {
    const char* text = pango_layout_get_text(layout);
    PangoLayoutIter* it = pango_layout_get_iter(layout);
    std::vector<cairo_glyph_t> glyphs;
    std::vector<cairo_text_cluster_t> clusters;
    do {
        PangoLayoutRun* run = pango_layout_iter_get_run_readonly(it);
        if (!run) continue;
        PangoRectangle logical;
        pango_layout_iter_get_run_extents(it, nullptr, &logical);
        const double baseline = y0 + pango_layout_iter_get_baseline(it) / static_cast<double>(PANGO_SCALE);
        double x = x0 + logical.x / static_cast<double>(PANGO_SCALE);
        const PangoItem* item = run->item;
        const PangoGlyphString* gs = run->glyphs;
        glyphs.clear();
        clusters.clear();
        int pending = 0;  // bytes of clusters without a drawable glyph, given to the next one
        for (int i = 0; i < gs->num_glyphs;) {
            const int start = gs->log_clusters[i];
            int j = i;
            int kept = 0;
            for (; j < gs->num_glyphs && gs->log_clusters[j] == start; ++j) {
                const PangoGlyphInfo& g = gs->glyphs[j];
                if (!(g.glyph & PANGO_GLYPH_UNKNOWN_FLAG) && g.glyph != PANGO_GLYPH_EMPTY) {
                    glyphs.push_back({g.glyph, x + g.geometry.x_offset / static_cast<double>(PANGO_SCALE),
                                      baseline + g.geometry.y_offset / static_cast<double>(PANGO_SCALE)});
                    ++kept;
                }
                x += g.geometry.width / static_cast<double>(PANGO_SCALE);
            }
            const int end = j < gs->num_glyphs ? gs->log_clusters[j] : item->length;
            const int bytes = std::max(0, end - start);
            if (kept == 0) {
                pending += bytes;
            } else {
                clusters.push_back({bytes + pending, kept});
                pending = 0;
            }
            i = j;
        }
        if (glyphs.empty()) continue;
        clusters.back().num_bytes += pending;
        cairo_scaled_font_t* scaled = pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(item->analysis.font));
        if (!scaled) continue;
        cairo_matrix_t matrix;
        cairo_scaled_font_get_font_matrix(scaled, &matrix);
        cairo_save(cr);
        cairo_set_font_face(cr, faces.Of(item->analysis.font));
        cairo_set_font_matrix(cr, &matrix);
        cairo_show_text_glyphs(cr, text + item->offset, item->length, glyphs.data(), static_cast<int>(glyphs.size()),
                               clusters.data(), static_cast<int>(clusters.size()), cairo_text_cluster_flags_t{});
        cairo_restore(cr);
    } while (pango_layout_iter_next_run(it));
    pango_layout_iter_free(it);
}

}  // namespace

std::string CutUtf8(const std::string& text, size_t max_bytes) {
    if (text.size() <= max_bytes) return text;
    size_t end = max_bytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    return text.substr(0, end) + "…";
}

std::string ResolvedFontFamily() {
    PangoFontMap* map = pango_cairo_font_map_get_default();
    PangoContext* context = pango_font_map_create_context(map);
    PangoFontDescription* desc = Font(10, false);
    PangoFont* font = pango_font_map_load_font(map, context, desc);
    std::string family;
    if (font) {
        FcPattern* pattern = pango_fc_font_get_pattern(PANGO_FC_FONT(font));
        FcChar8* name = nullptr;
        if (FcPatternGetString(pattern, FC_FAMILY, 0, &name) == FcResultMatch && name)
            family = reinterpret_cast<const char*>(name);
        g_object_unref(font);
    }
    pango_font_description_free(desc);
    g_object_unref(context);
    return family;
}

int CountPdfPages(const std::string& pdf) {
    int n = 0;
    const std::string key = "/Type /Page";
    for (size_t at = pdf.find(key); at != std::string::npos; at = pdf.find(key, at + key.size()))
        if (at + key.size() >= pdf.size() || pdf[at + key.size()] != 's') ++n;
    return n;
}

struct PdfDocument::Impl {
    bool landscape;
    PdfLimits limits;
    double width, height;
    std::string title;
    std::vector<cairo_surface_t*> pages;
    cairo_t* cr = nullptr;
    double y = kMargin;
    bool page_empty = true;
    bool finished = false;
    std::string error_code;  // set when a bound is passed
    std::string error_zh, error_en;
    PangoLayout* layout = nullptr;  // reused for measuring and drawing
    FaceCache faces;

    Impl(bool l, PdfLimits lim) : landscape(l), limits(lim) {
        width = landscape ? kA4Long : kA4Short;
        height = landscape ? kA4Short : kA4Long;
        AddPage();
    }
    ~Impl() {
        if (layout) g_object_unref(layout);
        if (cr) cairo_destroy(cr);
        for (auto* s : pages) cairo_surface_destroy(s);
    }

    double bottom() const { return height - kMargin - kFooter; }
    double cw() const { return width - 2 * kMargin; }

    void AddPage() {
        if (static_cast<int>(pages.size()) >= limits.max_pages) {
            if (error_code.empty()) {
                error_code = "pdf.too_many_pages";
                error_zh = "文档超过 " + std::to_string(limits.max_pages) + " 页";
                error_en = "the document passes " + std::to_string(limits.max_pages) + " pages";
            }
            // keep drawing onto the last page so callers need no checks; Finish fails
            y = kMargin;
            return;
        }
        cairo_rectangle_t extents{0, 0, width, height};
        cairo_surface_t* s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &extents);
        pages.push_back(s);
        if (layout) {
            g_object_unref(layout);
            layout = nullptr;
        }
        if (cr) cairo_destroy(cr);
        cr = cairo_create(s);
        layout = pango_cairo_create_layout(cr);
        y = kMargin;
        page_empty = true;
    }

    // Sets the layout's text, font, width (<= 0: no wrapping) and alignment.
    void Prepare(const std::string& text, double size, bool bold, double w, PangoAlignment align,
                 bool one_line = false) {
        PangoFontDescription* desc = Font(size, bold);
        pango_layout_set_font_description(layout, desc);
        pango_font_description_free(desc);
        pango_layout_set_ellipsize(layout, one_line ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
        pango_layout_set_height(layout, -1);
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
        pango_layout_set_width(layout, w > 0 ? static_cast<int>(w * PANGO_SCALE) : -1);
        pango_layout_set_alignment(layout, align);
        pango_layout_set_text(layout, text.data(), static_cast<int>(text.size()));
    }
    std::pair<double, double> Size() {
        int w = 0, h = 0;
        pango_layout_get_size(layout, &w, &h);
        return {static_cast<double>(w) / PANGO_SCALE, static_cast<double>(h) / PANGO_SCALE};
    }
    double Measure(const std::string& text, double size, bool bold, double w) {
        Prepare(text, size, bold, w, PANGO_ALIGN_LEFT);
        return Size().second;
    }
    double NaturalWidth(const std::string& text, double size, bool bold) {
        Prepare(text, size, bold, -1, PANGO_ALIGN_LEFT);
        return Size().first;
    }
    void Draw(const std::string& text, double x, double top, double w, double size, bool bold,
              PangoAlignment align = PANGO_ALIGN_LEFT, bool one_line = false) {
        Prepare(text, size, bold, w, align, one_line);
        cairo_set_source_rgb(cr, 0, 0, 0);
        ShowLayout(cr, layout, faces, x, top);
        page_empty = false;
    }
    void Ensure(double h) {
        if (!page_empty && y + h > bottom()) AddPage();
    }
};

PdfDocument::PdfDocument(bool landscape, PdfLimits limits) : impl_(std::make_unique<Impl>(landscape, limits)) {}
PdfDocument::~PdfDocument() = default;

void PdfDocument::SetTitle(std::string title) { impl_->title = std::move(title); }
double PdfDocument::page_width() const { return impl_->width; }
double PdfDocument::page_height() const { return impl_->height; }
double PdfDocument::margin() const { return kMargin; }
double PdfDocument::content_width() const { return impl_->cw(); }
double PdfDocument::y() const { return impl_->y; }
int PdfDocument::page_count() const { return static_cast<int>(impl_->pages.size()); }
void PdfDocument::NewPage() {
    if (!impl_->page_empty) impl_->AddPage();
}
void PdfDocument::EnsureSpace(double h) { impl_->Ensure(h); }
void PdfDocument::Space(double h) { impl_->y += h; }

void PdfDocument::Title(const std::string& text) {
    auto& d = *impl_;
    std::string t = CutUtf8(text, d.limits.max_cell_bytes);
    double h = d.Measure(t, 18, true, d.cw());
    d.Ensure(h + 30);
    d.Draw(t, kMargin, d.y, d.cw(), 18, true, PANGO_ALIGN_CENTER);
    d.y += h + 8;
}

void PdfDocument::Heading(const std::string& text) {
    auto& d = *impl_;
    std::string t = CutUtf8(text, d.limits.max_cell_bytes);
    double h = d.Measure(t, 12, true, d.cw());
    d.Ensure(h + 50);  // keep the heading with the start of its content
    d.y += 6;
    d.Draw(t, kMargin, d.y, d.cw(), 12, true);
    d.y += h + 2;
    cairo_set_source_rgb(d.cr, 0.3, 0.3, 0.3);
    cairo_set_line_width(d.cr, 0.6);
    cairo_move_to(d.cr, kMargin, d.y);
    cairo_line_to(d.cr, kMargin + d.cw(), d.y);
    cairo_stroke(d.cr);
    d.y += 4;
}

void PdfDocument::Paragraph(const std::string& text, double size, bool bold) {
    auto& d = *impl_;
    std::string t = CutUtf8(text, d.limits.max_paragraph_bytes);
    // Split on lines so a long paragraph flows over pages line by line.
    size_t start = 0;
    while (start <= t.size()) {
        size_t nl = t.find('\n', start);
        std::string line = t.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
        d.Prepare(line.empty() ? " " : line, size, bold, d.cw(), PANGO_ALIGN_LEFT);
        PangoLayoutIter* it = pango_layout_get_iter(d.layout);
        // draw line by line
        std::vector<std::pair<int, int>> lines;  // byte ranges
        do {
            PangoLayoutLine* l = pango_layout_iter_get_line_readonly(it);
            lines.emplace_back(l->start_index, l->length);
        } while (pango_layout_iter_next_line(it));
        pango_layout_iter_free(it);
        std::string src = line.empty() ? " " : line;
        for (auto [s, n] : lines) {
            std::string piece = src.substr(static_cast<size_t>(s), static_cast<size_t>(n));
            double h = d.Measure(piece.empty() ? " " : piece, size, bold, -1);
            d.Ensure(h);
            d.Draw(piece, kMargin, d.y, d.cw(), size, bold);
            d.y += h;
        }
        if (nl == std::string::npos) break;
        start = nl + 1;
    }
    d.y += 3;
}

void PdfDocument::Facts(const std::vector<std::pair<std::string, std::string>>& facts, int columns) {
    auto& d = *impl_;
    if (facts.empty()) return;
    columns = std::max(1, columns);
    double colw = d.cw() / columns;
    for (size_t i = 0; i < facts.size(); i += static_cast<size_t>(columns)) {
        double h = 0;
        std::vector<std::string> texts;
        for (size_t j = i; j < std::min(facts.size(), i + static_cast<size_t>(columns)); ++j) {
            std::string t = CutUtf8(facts[j].first, d.limits.max_cell_bytes) + "：" +
                            CutUtf8(facts[j].second, d.limits.max_cell_bytes);
            h = std::max(h, d.Measure(t, 10, false, colw - 6));
            texts.push_back(std::move(t));
        }
        d.Ensure(h + 3);
        for (size_t k = 0; k < texts.size(); ++k) d.Draw(texts[k], kMargin + colw * k, d.y, colw - 6, 10, false);
        d.y += h + 3;
    }
    d.y += 3;
}

void PdfDocument::Table(const std::vector<PdfColumn>& columns, const std::vector<PdfRow>& in_rows, double fs) {
    auto& d = *impl_;
    if (columns.empty()) return;
    if (in_rows.size() > d.limits.max_table_rows && d.error_code.empty()) {
        d.error_code = "pdf.too_many_rows";
        d.error_zh = "表格超过 " + std::to_string(d.limits.max_table_rows) + " 行";
        d.error_en = "a table passes " + std::to_string(d.limits.max_table_rows) + " rows";
        return;
    }
    size_t n = columns.size();
    auto cell = [&](const PdfRow& r, size_t c) -> std::string {
        return c < r.cells.size() ? CutUtf8(r.cells[c], d.limits.max_cell_bytes) : std::string();
    };
    // Natural widths (one line) and minimum widths (a few characters).
    std::vector<double> natural(n, 0), minimum(n, 0);
    for (size_t c = 0; c < n; ++c) {
        natural[c] = d.NaturalWidth(CutUtf8(columns[c].title, d.limits.max_cell_bytes), fs, true);
        minimum[c] = std::min(natural[c], fs * 2.2);
    }
    for (const auto& r : in_rows) {
        for (size_t c = 0; c < n; ++c) {
            std::string t = cell(r, c);
            if (t.empty()) continue;
            double w = d.NaturalWidth(t, fs, r.bold);
            natural[c] = std::max(natural[c], w);
            if (columns[c].right || columns[c].nowrap) minimum[c] = std::max(minimum[c], w);  // kept whole
        }
    }
    double avail = d.cw();
    std::vector<double> widths(n);
    double sum_nat = 0, sum_min = 0;
    for (size_t c = 0; c < n; ++c) {
        natural[c] += 2 * kCellPadX + 0.5;
        minimum[c] = std::min(minimum[c] + 2 * kCellPadX + 0.5, avail / static_cast<double>(n) * 2);
        sum_nat += natural[c];
        sum_min += minimum[c];
    }
    if (sum_nat <= avail) {
        for (size_t c = 0; c < n; ++c) widths[c] = natural[c] + (avail - sum_nat) * natural[c] / sum_nat;
    } else if (sum_min >= avail) {
        for (size_t c = 0; c < n; ++c) widths[c] = avail * minimum[c] / sum_min;
    } else {
        double extra = avail - sum_min, want = sum_nat - sum_min;
        for (size_t c = 0; c < n; ++c) widths[c] = minimum[c] + extra * (natural[c] - minimum[c]) / want;
    }
    std::vector<double> xs(n + 1, kMargin);
    for (size_t c = 0; c < n; ++c) xs[c + 1] = xs[c] + widths[c];

    auto row_height = [&](const std::vector<std::string>& texts, bool bold) {
        double h = 0;
        for (size_t c = 0; c < n; ++c)
            h = std::max(h, d.Measure(texts[c].empty() ? " " : texts[c], fs, bold, widths[c] - 2 * kCellPadX));
        return h + 2 * kCellPadY;
    };
    auto draw_row = [&](const std::vector<std::string>& texts, bool bold, bool header, double h) {
        double top = d.y;
        double limit = d.bottom() - top;
        double hh = std::min(h, std::max(limit, 0.0));
        if (header) {
            cairo_set_source_rgb(d.cr, 0.90, 0.92, 0.95);
            cairo_rectangle(d.cr, xs[0], top, xs[n] - xs[0], hh);
            cairo_fill(d.cr);
        }
        cairo_save(d.cr);
        cairo_rectangle(d.cr, xs[0], top, xs[n] - xs[0], hh);
        cairo_clip(d.cr);
        for (size_t c = 0; c < n; ++c) {
            PangoAlignment a = header ? PANGO_ALIGN_CENTER : (columns[c].right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
            d.Draw(texts[c], xs[c] + kCellPadX, top + kCellPadY, widths[c] - 2 * kCellPadX, fs, bold, a);
        }
        cairo_restore(d.cr);
        cairo_set_source_rgb(d.cr, 0.35, 0.35, 0.35);
        cairo_set_line_width(d.cr, 0.5);
        for (size_t c = 0; c <= n; ++c) {
            cairo_move_to(d.cr, xs[c], top);
            cairo_line_to(d.cr, xs[c], top + hh);
        }
        cairo_move_to(d.cr, xs[0], top);
        cairo_line_to(d.cr, xs[n], top);
        cairo_move_to(d.cr, xs[0], top + hh);
        cairo_line_to(d.cr, xs[n], top + hh);
        cairo_stroke(d.cr);
        d.y = top + hh;
    };
    std::vector<std::string> head(n);
    for (size_t c = 0; c < n; ++c) head[c] = CutUtf8(columns[c].title, d.limits.max_cell_bytes);
    double head_h = row_height(head, true);
    d.Ensure(head_h * 2 + 4);
    draw_row(head, true, true, head_h);
    std::vector<std::string> texts(n);
    for (const auto& r : in_rows) {
        for (size_t c = 0; c < n; ++c) texts[c] = cell(r, c);
        double h = row_height(texts, r.bold);
        if (d.y + h > d.bottom()) {
            d.AddPage();
            draw_row(head, true, true, head_h);
        }
        draw_row(texts, r.bold, false, h);
    }
    d.y += 6;
}

void PdfDocument::Chart(const PdfChart& chart, double height) {
    auto& d = *impl_;
    if (chart.labels.empty() || chart.series.empty()) return;
    size_t points = std::min(chart.labels.size(), d.limits.max_chart_points);
    double title_h = chart.title.empty() ? 0 : d.Measure(chart.title, 10, true, d.cw()) + 4;
    double legend_h = 16;
    d.Ensure(title_h + height + legend_h + 30);
    cairo_t* cr = d.cr;
    if (!chart.title.empty()) {
        d.Draw(CutUtf8(chart.title, d.limits.max_cell_bytes), kMargin, d.y, d.cw(), 10, true, PANGO_ALIGN_CENTER);
        d.y += title_h;
    }
    double lo = 0, hi = 0;
    for (const auto& s : chart.series)
        for (size_t i = 0; i < std::min(points, s.values.size()); ++i) {
            if (std::isfinite(s.values[i])) {
                lo = std::min(lo, s.values[i]);
                hi = std::max(hi, s.values[i]);
            }
        }
    if (hi <= lo) hi = lo + 1;
    // nice step
    double raw = (hi - lo) / 5;
    double mag = std::pow(10, std::floor(std::log10(raw)));
    double step = mag;
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (m * mag >= raw) {
            step = m * mag;
            break;
        }
    double top_v = std::ceil(hi / step) * step, low_v = std::floor(lo / step) * step;
    double axis_w = 50, label_h = 28;
    double x0 = kMargin + axis_w, x1 = kMargin + d.cw() - 5;
    double y0 = d.y + 5, y1 = d.y + height - label_h;  // plot area top and bottom
    auto ypos = [&](double v) { return y1 - (v - low_v) / (top_v - low_v) * (y1 - y0); };
    cairo_set_line_width(cr, 0.4);
    for (double v = low_v; v <= top_v + step / 2; v += step) {
        double yy = ypos(v);
        cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
        cairo_move_to(cr, x0, yy);
        cairo_line_to(cr, x1, yy);
        cairo_stroke(cr);
        char buf[64];
        std::snprintf(buf, sizeof buf, "%g", v);
        d.Draw(buf, kMargin, yy - 5, axis_w - 4, 7, false, PANGO_ALIGN_RIGHT);
    }
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 0.8);
    cairo_move_to(cr, x0, y0);
    cairo_line_to(cr, x0, y1);
    cairo_line_to(cr, x1, y1);
    cairo_stroke(cr);
    double slot = (x1 - x0) / static_cast<double>(points);
    size_t ns = chart.series.size();
    for (size_t si = 0; si < ns; ++si) {
        const auto& s = chart.series[si];
        Rgb col = kPalette[si % std::size(kPalette)];
        cairo_set_source_rgb(cr, col.r, col.g, col.b);
        bool started = false;
        for (size_t i = 0; i < points; ++i) {
            double v = i < s.values.size() && std::isfinite(s.values[i]) ? s.values[i] : 0;
            if (chart.line) {
                double xx = x0 + slot * (i + 0.5), yy = ypos(v);
                if (!started) cairo_move_to(cr, xx, yy);
                else cairo_line_to(cr, xx, yy);
                started = true;
            } else {
                double bw = slot * 0.8 / static_cast<double>(ns);
                double xx = x0 + slot * i + slot * 0.1 + bw * si;
                double ya = ypos(std::max(v, 0.0)), yb = ypos(std::min(v, 0.0));
                cairo_rectangle(cr, xx, ya, bw, std::max(yb - ya, 0.3));
                cairo_fill(cr);
            }
        }
        if (chart.line) {
            cairo_set_line_width(cr, 1.5);
            cairo_stroke(cr);
            for (size_t i = 0; i < points; ++i) {
                double v = i < s.values.size() && std::isfinite(s.values[i]) ? s.values[i] : 0;
                cairo_arc(cr, x0 + slot * (i + 0.5), ypos(v), 2, 0, 2 * M_PI);
                cairo_fill(cr);
            }
        }
    }
    // Category labels on one line each (ellipsized); every k-th when the slots are narrow.
    const size_t every = std::max<size_t>(1, static_cast<size_t>(std::ceil(24.0 / slot)));
    for (size_t i = 0; i < points; i += every)
        d.Draw(CutUtf8(chart.labels[i], 60), x0 + slot * i, y1 + 3, slot * static_cast<double>(every),
               points > 12 ? 6 : 8, false, PANGO_ALIGN_CENTER, true);
    d.y += height;
    // legend
    double lx = x0;
    for (size_t si = 0; si < ns; ++si) {
        Rgb col = kPalette[si % std::size(kPalette)];
        cairo_set_source_rgb(cr, col.r, col.g, col.b);
        cairo_rectangle(cr, lx, d.y + 3, 10, 8);
        cairo_fill(cr);
        std::string name = CutUtf8(chart.series[si].name, 120);
        double w = std::min(d.NaturalWidth(name, 8, false), 200.0);
        d.Draw(name, lx + 13, d.y + 1, w + 2, 8, false);
        lx += w + 30;
    }
    d.y += legend_h;
    if (points < chart.labels.size()) {
        d.Draw("图中仅显示前 " + std::to_string(points) + " 项 / only the first " + std::to_string(points) + " shown",
               kMargin, d.y, d.cw(), 7, false);
        d.y += 10;
    }
    d.y += 6;
}

void PdfDocument::Signatures(const std::vector<std::string>& labels) {
    auto& d = *impl_;
    if (labels.empty()) return;
    d.Ensure(30.0 * static_cast<double>(labels.size()) + 10);
    d.y += 10;
    for (const auto& l : labels) {
        std::string t = CutUtf8(l, d.limits.max_cell_bytes) + "：________________        日期：______年____月____日";
        d.Draw(t, kMargin, d.y, d.cw(), 10.5, false);
        d.y += 26;
    }
}

bool PdfDocument::Qr(const std::string& payload, double x, double y, double size) {
    auto& d = *impl_;
    if (payload.size() > 1000) return false;
    QRcode* code = QRcode_encodeData(static_cast<int>(payload.size()),
                                     reinterpret_cast<const unsigned char*>(payload.data()), 0, QR_ECLEVEL_M);
    if (!code) return false;
    int w = code->width;
    double m = size / (w + 2);  // one module of quiet zone each side (the page is white anyway)
    cairo_set_source_rgb(d.cr, 0, 0, 0);
    for (int r = 0; r < w; ++r)
        for (int c = 0; c < w; ++c)
            if (code->data[r * w + c] & 1) cairo_rectangle(d.cr, x + m * (c + 1), y + m * (r + 1), m, m);
    cairo_fill(d.cr);
    QRcode_free(code);
    d.page_empty = false;
    return true;
}

void PdfDocument::TextAt(const std::string& text, double x, double y, double width, double size, bool bold) {
    auto& d = *impl_;
    d.Draw(CutUtf8(text, d.limits.max_paragraph_bytes), x, y, width, size, bold);
}

namespace {
cairo_status_t AppendBytes(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}
}  // namespace

Result<std::string> PdfDocument::Finish() {
    auto& d = *impl_;
    if (d.finished) return Fail("pdf.finished", "pdf", "文档已生成", "the document was already finished");
    d.finished = true;
    if (!d.error_code.empty()) return Fail(d.error_code, "pdf", d.error_zh, d.error_en);
    if (d.layout) {
        g_object_unref(d.layout);
        d.layout = nullptr;
    }
    if (d.cr) {
        cairo_destroy(d.cr);
        d.cr = nullptr;
    }
    std::string out;
    cairo_surface_t* pdf = cairo_pdf_surface_create_for_stream(AppendBytes, &out, d.width, d.height);
    cairo_pdf_surface_restrict_to_version(pdf, CAIRO_PDF_VERSION_1_5);
    if (!d.title.empty()) cairo_pdf_surface_set_metadata(pdf, CAIRO_PDF_METADATA_TITLE, d.title.c_str());
    cairo_pdf_surface_set_metadata(pdf, CAIRO_PDF_METADATA_CREATOR, "Jingzhun");
    cairo_t* cr = cairo_create(pdf);
    PangoLayout* layout = pango_cairo_create_layout(cr);
    PangoFontDescription* desc = Font(8, false);
    pango_layout_set_font_description(layout, desc);
    pango_font_description_free(desc);
    pango_layout_set_width(layout, static_cast<int>(d.width * PANGO_SCALE));
    pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER);
    int total = static_cast<int>(d.pages.size());
    for (int i = 0; i < total; ++i) {
        cairo_set_source_surface(cr, d.pages[static_cast<size_t>(i)], 0, 0);
        cairo_paint(cr);
        std::string footer = "第 " + std::to_string(i + 1) + " 页 / 共 " + std::to_string(total) + " 页";
        pango_layout_set_text(layout, footer.data(), static_cast<int>(footer.size()));
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        ShowLayout(cr, layout, d.faces, 0, d.height - kMargin + 4);
        cairo_show_page(cr);
    }
    g_object_unref(layout);
    cairo_destroy(cr);
    cairo_surface_finish(pdf);
    cairo_status_t st = cairo_surface_status(pdf);
    cairo_surface_destroy(pdf);
    if (st != CAIRO_STATUS_SUCCESS)
        return Fail("pdf.render_failed", "pdf", std::string("PDF 生成失败：") + cairo_status_to_string(st),
                    std::string("rendering the PDF failed: ") + cairo_status_to_string(st));
    return out;
}

}  // namespace jz::io
