#pragma once

#include <optional>
#include <stdexcept>
#include <string>

namespace wardprint::preview {

// Thrown when a PDF cannot be read or a page cannot be drawn.
class PreviewError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One page of a leaflet drawn as a PNG, and how many pages the leaflet has.
struct PageImage {
  std::string png;
  int pageCount = 0;
};

// Draws page `page` (from 1) of `pdf` at `dpi` with poppler, so that a browser shows the
// leaflet as pictures with no PDF viewer (and so no print button that skips the reason and
// the audit). nullopt when the PDF has no such page. The image never touches the disk.
// Throws PreviewError. Thread-safe: each call reads its own copy of the document.
std::optional<PageImage> renderPage(const std::string& pdf, int page, int dpi);

}  // namespace wardprint::preview
