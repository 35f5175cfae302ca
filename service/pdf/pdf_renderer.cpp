#include "pdf/pdf_renderer.h"

#include <hpdf.h>
#include <malloc.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <tuple>

#include "pdf/astral_text.h"
#include "pdf/font_chain.h"
#include "pdf/page_layout.h"
#include "shaping/shaper.h"
#include "util/utf8.h"

namespace wardprint::pdf {
namespace {

constexpr int kKeptHeapBytes = 32 * 1024 * 1024;

// libharu reports errors through a C callback; remember the first and check after each step.
struct ErrorState {
  HPDF_STATUS code = HPDF_OK;
  HPDF_STATUS detail = 0;
};

void onHaruError(HPDF_STATUS code, HPDF_STATUS detail, void* userData) {
  auto* state = static_cast<ErrorState*>(userData);
  if (state->code == HPDF_OK) *state = {code, detail};
}

HPDF_Date pdfDate(date::sys_seconds instant) {
  const auto day = date::floor<date::days>(instant);
  const date::year_month_day ymd{day};
  const date::hh_mm_ss<std::chrono::seconds> time{instant - day};
  HPDF_Date out{};
  out.year = static_cast<int>(ymd.year());
  out.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  out.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  out.hour = static_cast<int>(time.hours().count());
  out.minutes = static_cast<int>(time.minutes().count());
  out.seconds = static_cast<int>(time.seconds().count());
  out.ind = 'Z';
  return out;
}

// The invisible text for a right-to-left run, in the order poppler (pdftotext) reads back
// as the logical text: poppler reverses each stretch between left-to-right characters,
// and counts ASCII punctuation such as the hyphen in "כהן-לוי" as left-to-right. So each
// stretch between such punctuation is reversed in place and the stretches keep their order.
std::string rightToLeftForReaders(std::string_view text) {
  const auto codePoints = util::decodeUtf8(text);
  if (!codePoints) return std::string(text);
  std::u32string out = *codePoints;
  const auto isBreak = [](char32_t c) { return c < 0x80 && c != U' ' && std::ispunct(static_cast<int>(c)); };
  for (auto begin = out.begin(); begin != out.end();) {
    const auto end = std::find_if(begin, out.end(), isBreak);
    std::reverse(begin, end);
    begin = end == out.end() ? end : end + 1;
  }
  std::string bytes;
  for (const char32_t codePoint : out) bytes += util::encodeUtf8(codePoint);
  return bytes;
}

}  // namespace

class PdfRenderer::Impl : public TextMeasurer {
 public:
  Impl() : doc_(HPDF_New(onHaruError, &error_)) {
    if (!doc_) throw RenderError("libharu could not start");
    // Each leaflet allocates and frees a few MB (zlib buffers, libharu streams). By default
    // glibc gives that memory back to the kernel after every leaflet and faults it in again
    // for the next, which costs about a third of the render time; keep it instead.
    mallopt(M_TRIM_THRESHOLD, kKeptHeapBytes);
    mallopt(M_TOP_PAD, kKeptHeapBytes);
    HPDF_UseUTFEncodings(doc_);
    encodings_ = loadByteEncodings(doc_);
    check("loading encodings");
  }
  ~Impl() override { HPDF_Free(doc_); }

  std::string render(const leaflet::Leaflet& leaflet, const leaflet::Layout& layout) {
    HPDF_NewDoc(doc_);
    error_ = {};
    shapedWidths_.clear();
    shapedLines_.clear();
    standIns_.clear();
    HPDF_SetCompressionMode(doc_, HPDF_COMP_ALL);
    useFonts(layout, leaflet.faceLanguage);
    std::vector<PageContent> pages;
    try {
      pages = layoutPages(leaflet, layout, *this);
    } catch (const LayoutOverflow& overflow) {
      throw RenderError(layout.sourcePath + ": " + overflow.what());
    }
    for (const auto& content : pages) drawPage(content, layout.page);
    HPDF_SetInfoAttr(doc_, HPDF_INFO_TITLE, leaflet.title.c_str());
    HPDF_SetInfoAttr(doc_, HPDF_INFO_CREATOR, "wardprint");
    HPDF_SetInfoDateAttr(doc_, HPDF_INFO_CREATION_DATE, pdfDate(leaflet.createdAt));
    HPDF_SetInfoDateAttr(doc_, HPDF_INFO_MOD_DATE, pdfDate(leaflet.createdAt));
    check("drawing");
    const auto bytes = save();
    try {
      return standIns_.empty() ? bytes : standIns_.restoreIn(bytes);
    } catch (const std::exception& e) {
      throw RenderError(std::string("rewriting the text layer's ToUnicode maps: ") + e.what());
    }
  }

  // Text that needs shaping is checked against the shaping faces.
  std::vector<char32_t> undrawable(std::string_view text, const leaflet::Layout& layout,
                                   const std::string& faceLanguage) {
    useFonts(layout, faceLanguage);
    std::vector<char32_t> missing;
    const auto add = [&](const std::vector<char32_t>& found) {
      for (const char32_t codePoint : found) {
        if (std::find(missing.begin(), missing.end(), codePoint) == missing.end()) missing.push_back(codePoint);
      }
    };
    if (!shaping::needsShaping(text) && !regular_->needsUtf8(text) && !bold_->needsUtf8(text)) {
      add(regular_->undrawable(text));
      add(bold_->undrawable(text));
      return missing;
    }
    add(regularShaper_.shape(text, 12, language_).unprintable);
    add(boldShaper_.shape(text, 12, language_).unprintable);
    return missing;
  }

  double width(std::string_view text, leaflet::FontRole font, double size) const override {
    const bool bold = font == leaflet::FontRole::kBold;
    if (!shaped(text, bold)) return chain(font).width(text, size);
    // Shaped widths scale with the size (no hinting), so one width per text is kept.
    auto found = shapedWidths_.find({bold, std::string(text)});
    if (found == shapedWidths_.end()) {
      const double width = shaper(bold).shape(text, 1, language_).width;
      found = shapedWidths_.emplace(std::make_pair(bold, std::string(text)), width).first;
    }
    return found->second * size;
  }

 private:
  void check(const std::string& step) {
    if (error_.code == HPDF_OK) return;
    char code[32];
    std::snprintf(code, sizeof code, "0x%04X/%u", static_cast<unsigned>(error_.code),
                  static_cast<unsigned>(error_.detail));
    error_ = {};
    HPDF_ResetError(doc_);
    throw RenderError("libharu failed while " + step + " (error " + code + ")");
  }

  // TrueType files are loaded into the document once; libharu keeps them across HPDF_NewDoc.
  std::vector<std::string> loadFonts(const std::vector<std::string>& files) {
    std::vector<std::string> names;
    for (const auto& file : files) {
      auto found = loaded_.find(file);
      if (found == loaded_.end()) {
        const char* name = HPDF_LoadTTFontFromFile(doc_, file.c_str(), HPDF_TRUE);
        check("loading font " + file);
        found = loaded_.emplace(file, name).first;
      }
      names.push_back(found->second);
    }
    return names;
  }

  // Chains are made once per list of font files: they only look glyphs up, and fetch
  // font objects from whichever document is current.
  FontChain& chainFor(const std::vector<std::string>& files) {
    auto found = chains_.find(files);
    if (found == chains_.end()) {
      found = chains_.emplace(files, std::make_unique<FontChain>(doc_, loadFonts(files), encodings_)).first;
    }
    return *found->second;
  }

  void useFonts(const leaflet::Layout& layout, const std::string& faceLanguage) {
    regular_ = &chainFor(layout.regularFonts);
    bold_ = &chainFor(layout.boldFonts);
    invisibleFontName_ = loadFonts({layout.regularFonts.front()}).front();
    if (language_ != faceLanguage) shapedWidths_.clear();
    language_ = faceLanguage;
  }

  const shaping::Shaper& shaper(bool bold) const { return bold ? boldShaper_ : regularShaper_; }

  // Text one glyph per character cannot set, or that libharu would set through its UTF-8
  // encoding (which loses parts of some composite glyphs), goes through the shaper.
  bool shaped(std::string_view text, bool bold) const {
    return shaping::needsShaping(text) || chain(bold ? leaflet::FontRole::kBold : leaflet::FontRole::kRegular).needsUtf8(text);
  }

  // Shaped text: glyph outlines filled as paths, then the original characters (one string
  // per run; a right-to-left run's in the order readers undo, see rightToLeftForReaders)
  // laid over them as invisible text for copying and search,
  // each stretched to its run's width. Called inside a text object; leaves one open.
  void drawShaped(HPDF_Page page, const TextOp& text, HPDF_REAL x, HPDF_REAL y) {
    auto found = shapedLines_.find({text.bold, text.size, text.text});
    if (found == shapedLines_.end()) {
      found = shapedLines_
                  .emplace(std::make_tuple(text.bold, text.size, text.text),
                           shaper(text.bold).shape(text.text, text.size, language_))
                  .first;
    }
    const auto& line = found->second;
    HPDF_Page_EndText(page);
    for (const auto& step : line.outline) {
      const auto px = [&](double v) { return static_cast<HPDF_REAL>(x + v); };
      const auto py = [&](double v) { return static_cast<HPDF_REAL>(y + v); };
      switch (step.kind) {
        case shaping::PathStep::Kind::Move:
          HPDF_Page_MoveTo(page, px(step.x), py(step.y));
          break;
        case shaping::PathStep::Kind::Line:
          HPDF_Page_LineTo(page, px(step.x), py(step.y));
          break;
        case shaping::PathStep::Kind::Curve:
          HPDF_Page_CurveTo(page, px(step.x1), py(step.y1), px(step.x2), py(step.y2), px(step.x), py(step.y));
          break;
        case shaping::PathStep::Kind::Close:
          HPDF_Page_ClosePath(page);
          break;
      }
    }
    if (!line.outline.empty()) HPDF_Page_Fill(page);
    HPDF_Page_BeginText(page);
    HPDF_Page_SetTextRenderingMode(page, HPDF_INVISIBLE);
    HPDF_Page_SetFontAndSize(page, HPDF_GetFont(doc_, invisibleFontName_.c_str(), "UTF-8"),
                             static_cast<HPDF_REAL>(text.size));
    for (const auto& run : line.runs) {
      // Characters above U+FFFF as stand-ins: libharu's UTF-8 font cannot carry them.
      const std::string visible = standIns_.substitute(run.rightToLeft ? rightToLeftForReaders(run.text) : run.text);
      const double natural = HPDF_Page_TextWidth(page, visible.c_str());
      const double scaling = natural > 0 ? 100 * run.width / natural : 100;
      HPDF_Page_SetHorizontalScalling(
          page, static_cast<HPDF_REAL>(std::clamp(scaling, double{HPDF_MIN_HORIZONTALSCALING},
                                                  double{HPDF_MAX_HORIZONTALSCALING})));
      HPDF_Page_TextOut(page, static_cast<HPDF_REAL>(x + run.x), y, visible.c_str());
    }
    HPDF_Page_SetHorizontalScalling(page, 100);
    HPDF_Page_SetTextRenderingMode(page, HPDF_FILL);
  }

  const FontChain& chain(leaflet::FontRole font) const {
    return font == leaflet::FontRole::kBold ? *bold_ : *regular_;
  }

  void drawPage(const PageContent& content, const leaflet::PageSetup& setup) {
    const auto page = HPDF_AddPage(doc_);
    HPDF_Page_SetWidth(page, static_cast<HPDF_REAL>(setup.width));
    HPDF_Page_SetHeight(page, static_cast<HPDF_REAL>(setup.height));
    const auto flipY = [&](double y) { return static_cast<HPDF_REAL>(setup.height - y); };
    for (const auto& rect : content.rects) {
      HPDF_Page_SetGrayFill(page, static_cast<HPDF_REAL>(rect.fillGray));
      HPDF_Page_SetLineWidth(page, static_cast<HPDF_REAL>(std::max(rect.lineWidth, 0.1)));
      HPDF_Page_Rectangle(page, static_cast<HPDF_REAL>(rect.x), flipY(rect.y + rect.height),
                          static_cast<HPDF_REAL>(rect.width), static_cast<HPDF_REAL>(rect.height));
      if (rect.lineWidth > 0 && rect.fillGray < 1) {
        HPDF_Page_FillStroke(page);
      } else if (rect.lineWidth > 0) {
        HPDF_Page_Stroke(page);
      } else {
        HPDF_Page_Fill(page);
      }
    }
    double gray = 0;
    HPDF_Page_SetGrayFill(page, 0);
    HPDF_Page_BeginText(page);
    for (const auto& text : content.texts) {
      if (text.gray != gray) {
        gray = text.gray;
        HPDF_Page_SetGrayFill(page, static_cast<HPDF_REAL>(gray));
      }
      if (shaped(text.text, text.bold)) {
        drawShaped(page, text, static_cast<HPDF_REAL>(text.x), flipY(text.y));
        continue;
      }
      bool first = true;
      for (const auto& run : chain(text.bold ? leaflet::FontRole::kBold : leaflet::FontRole::kRegular).runs(text.text)) {
        HPDF_Page_SetFontAndSize(page, run.font, static_cast<HPDF_REAL>(text.size));
        if (first) {
          HPDF_Page_TextOut(page, static_cast<HPDF_REAL>(text.x), flipY(text.y), run.bytes.c_str());
        } else {
          HPDF_Page_ShowText(page, run.bytes.c_str());
        }
        first = false;
      }
    }
    HPDF_Page_EndText(page);
  }

  std::string save() {
    HPDF_SaveToStream(doc_);
    check("saving");
    std::string bytes(HPDF_GetStreamSize(doc_), '\0');
    auto size = static_cast<HPDF_UINT32>(bytes.size());
    HPDF_ReadFromStream(doc_, reinterpret_cast<HPDF_BYTE*>(bytes.data()), &size);
    bytes.resize(size);
    return bytes;
  }

  ErrorState error_;
  HPDF_Doc doc_;
  std::vector<ByteEncoding> encodings_;
  std::map<std::string, std::string> loaded_;  // font file -> libharu font name
  std::map<std::vector<std::string>, std::unique_ptr<FontChain>> chains_;
  const FontChain* regular_ = nullptr;
  const FontChain* bold_ = nullptr;
  std::string invisibleFontName_;  // the layout's first regular font, set through UTF-8
  std::string language_;           // the leaflet's faceLanguage, for choosing faces
  shaping::Shaper regularShaper_{shaping::notoFaces(false)};
  shaping::Shaper boldShaper_{shaping::notoFaces(true)};
  mutable std::map<std::pair<bool, std::string>, double> shapedWidths_;  // (bold, text) -> width at 1 pt
  // Shaped text of this leaflet by (bold, size, text): headers repeat on every page.
  std::map<std::tuple<bool, double, std::string>, shaping::Line> shapedLines_;
  AstralStandIns standIns_;  // this leaflet's characters above U+FFFF in the invisible text
};

PdfRenderer::PdfRenderer() : impl_(std::make_unique<Impl>()) {}
PdfRenderer::~PdfRenderer() = default;

std::string PdfRenderer::render(const leaflet::Leaflet& leaflet, const leaflet::Layout& layout) {
  return impl_->render(leaflet, layout);
}

std::vector<char32_t> PdfRenderer::undrawable(std::string_view text, const leaflet::Layout& layout,
                                              const std::string& faceLanguage) {
  return impl_->undrawable(text, layout, faceLanguage);
}

}  // namespace wardprint::pdf
