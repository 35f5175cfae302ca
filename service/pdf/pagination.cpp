#include "pdf/pagination.h"

#include <algorithm>
#include <set>

namespace wardprint::pdf {
namespace {

constexpr double kShortPage = 0.3;   // a last page filled less than this share is short
constexpr double kFullEnough = 0.5;  // a page that gives blocks away keeps at least this share

// The height chunk i needs under `previous`, with the chunks it keeps with as long as they
// could share an empty page.
double needed(const std::vector<Chunk>& chunks, std::size_t i, const Chunk* previous,
              double pageHeight) {
  double chain = chunks[i].height;
  for (std::size_t k = i; k + 1 < chunks.size() && chunks[k].keepWithNext; ++k) {
    const double link =
        std::max(chunks[k].spaceAfter, chunks[k + 1].spaceBefore) + chunks[k + 1].height;
    if (chain + link > pageHeight) break;
    chain += link;
  }
  return (previous ? std::max(previous->spaceAfter, chunks[i].spaceBefore) : 0) + chain;
}

// Splits chunks into pages, starting a new page before any index in `breaks`.
std::vector<PlacedPage> paginateWithBreaks(const std::vector<Chunk>& chunks, double pageHeight,
                                           const std::set<std::size_t>& breaks) {
  std::vector<PlacedPage> pages(1);
  double y = 0;
  const Chunk* previous = nullptr;
  const auto place = [&](const Chunk& chunk, std::size_t index) {
    y += previous ? std::max(previous->spaceAfter, chunk.spaceBefore) : 0;
    pages.back().placed.push_back({y, &chunk, index});
    y += chunk.height;
    pages.back().filled = y;
    previous = &chunk;
  };
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    if (previous && (breaks.count(i) || y + needed(chunks, i, previous, pageHeight) > pageHeight)) {
      pages.emplace_back();
      y = 0;
      previous = nullptr;
      if (chunks[i].resume) place(*chunks[i].resume, kRepeated);
    }
    place(chunks[i], i);
  }
  return pages;
}

// Where the block before chunk `index` starts, with any chunks that keep with it.
std::size_t unitStart(const std::vector<Chunk>& chunks, std::size_t index) {
  auto start = index;
  while (true) {
    while (start > 0 && chunks[start - 1].block == chunks[start].block) --start;
    if (start == 0 || !chunks[start - 1].keepWithNext) return start;
    --start;
  }
}

}  // namespace

std::size_t PlacedPage::firstIndex() const {
  for (const auto& p : placed) {
    if (p.index != kRepeated) return p.index;
  }
  return kRepeated;
}

std::vector<PlacedPage> paginate(const std::vector<Chunk>& chunks, double pageHeight) {
  std::set<std::size_t> breaks;
  auto pages = paginateWithBreaks(chunks, pageHeight, breaks);
  while (pages.size() > 1 && pages.back().filled < kShortPage * pageHeight) {
    const auto first = pages.back().firstIndex();
    const auto previousFirst = pages[pages.size() - 2].firstIndex();
    if (first == kRepeated || previousFirst == kRepeated || first == 0) break;
    const auto start = unitStart(chunks, first - 1);
    if (start <= previousFirst) break;
    breaks = {start};  // the one page break that moves: earlier ones stay where they fell
    auto tried = paginateWithBreaks(chunks, pageHeight, breaks);
    if (tried.size() != pages.size() || tried[tried.size() - 2].filled < kFullEnough * pageHeight)
      break;
    pages = std::move(tried);
  }
  return pages;
}

}  // namespace wardprint::pdf
