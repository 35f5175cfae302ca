#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "leaflet/layout.h"
#include "leaflet/leaflet_builder.h"

namespace wardprint::pdf {

// Thrown when libharu fails or content cannot be laid out.
class RenderError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Turns leaflets into PDF bytes with libharu, embedding subsets of the layout's TrueType
// fonts. Font files are loaded once per renderer and reused for every leaflet. The same
// leaflet and layout always give the same bytes. Not thread-safe: use one per thread.
class PdfRenderer {
 public:
  PdfRenderer();
  ~PdfRenderer();
  PdfRenderer(const PdfRenderer&) = delete;
  PdfRenderer& operator=(const PdfRenderer&) = delete;

  // Throws RenderError (a box taller than a page, a libharu failure).
  std::string render(const leaflet::Leaflet& leaflet, const leaflet::Layout& layout);

  // The distinct characters of UTF-8 `text` that neither of the layout's font chains can
  // draw, in order of first appearance; `faceLanguage` as the leaflet's. Throws RenderError
  // if a font file cannot be loaded.
  std::vector<char32_t> undrawable(std::string_view text, const leaflet::Layout& layout,
                                   const std::string& faceLanguage);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wardprint::pdf
