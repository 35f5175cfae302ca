#pragma once

#include <cstddef>
#include <limits>
#include <memory>
#include <vector>

#include "pdf/page_layout.h"

namespace wardprint::pdf {

// A piece of content pagination never splits: a line, a paragraph, a table row, a table, a
// group of a box or a whole box. Its drawing is relative to its own top-left corner.
struct Chunk {
  double height = 0;
  double spaceBefore = 0;
  double spaceAfter = 0;
  bool keepWithNext = false;
  std::size_t block = 0;  // the top-level block it belongs to
  int frame = -1;         // chunks of one frame that share a page are drawn inside one box
  std::shared_ptr<const Chunk> resume;  // drawn above it when it starts a page: a repeated title
  PageContent content;
};

inline constexpr std::size_t kRepeated = std::numeric_limits<std::size_t>::max();

// A chunk placed `y` points below the top of the page's text area.
struct Placed {
  double y = 0;
  const Chunk* chunk = nullptr;   // into the chunks given to paginate, or a repeated title
  std::size_t index = kRepeated;  // into the chunks, or kRepeated for a repeated title
};

struct PlacedPage {
  std::vector<Placed> placed;
  double filled = 0;  // points from the top to the foot of the last chunk
  // The index of the page's first chunk that is not a repeated title, or kRepeated.
  std::size_t firstIndex() const;
};

// Splits chunks, in order, into pages `pageHeight` points tall. Spacing between chunks is
// the larger of one's spaceAfter and the next's spaceBefore, and none at the top of a page.
// A chunk that keeps with the next moves to a new page with it, as long as the two could
// share an empty page. A chunk with a `resume` that starts a page has it placed above it.
// Then a short last page (under 30% full) takes whole blocks from the page before while
// the page count stays the same and the page before stays at least half full. The pages
// point into `chunks`, which must outlive them.
std::vector<PlacedPage> paginate(const std::vector<Chunk>& chunks, double pageHeight);

}  // namespace wardprint::pdf
