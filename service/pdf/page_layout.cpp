#include "pdf/page_layout.h"

#include <algorithm>

namespace wardprint::pdf {
namespace {

using leaflet::BlockKind;
using leaflet::LeafletBlock;
using leaflet::RichText;
using leaflet::TextStyle;

constexpr double kBoxBorder = 2.0;
constexpr double kBoxFill = 0.92;
constexpr double kRuleWidth = 0.6;
constexpr double kLabelColumnShare = 0.45;

// An unbreakable piece of content: one line of text, one table row, or a whole box.
// Its drawing is relative to its own top-left corner.
struct Chunk {
  double height = 0;
  double spaceBefore = 0;
  double spaceAfter = 0;
  bool keepWithNext = false;
  PageContent content;
};

double lineHeight(const TextStyle& style) { return style.size * style.leading; }

// Where the baseline sits below the top of a line box (0.8 em is about the ascent of a
// sans-serif face).
double baseline(const TextStyle& style) {
  return (lineHeight(style) - style.size) / 2 + style.size * 0.8;
}

void translate(const PageContent& content, double dx, double dy, PageContent& into) {
  for (auto rect : content.rects) {
    rect.x += dx, rect.y += dy;
    into.rects.push_back(rect);
  }
  for (auto text : content.texts) {
    text.x += dx, text.y += dy;
    into.texts.push_back(std::move(text));
  }
}

void drawLine(const Line& line, const TextStyle& style, double x, double top, PageContent& into) {
  for (const auto& fragment : line.fragments) {
    into.texts.push_back({x + fragment.x, top + baseline(style), fragment.text, fragment.bold, style.size});
  }
}

// Stacks chunks one under another, collapsing adjacent spacing to the larger of the two.
double stack(std::vector<Chunk>& chunks, double x, double top, PageContent& into) {
  double y = top;
  const Chunk* previous = nullptr;
  for (auto& chunk : chunks) {
    if (previous) y += std::max(previous->spaceAfter, chunk.spaceBefore);
    translate(chunk.content, x, y, into);
    y += chunk.height;
    previous = &chunk;
  }
  return y - top;
}

class Flow {
 public:
  Flow(const leaflet::Layout& layout, const TextMeasurer& measurer)
      : styles_(layout.styles), measurer_(measurer) {}

  std::vector<Line> wrap(const RichText& text, const TextStyle& style, double width) const {
    return wrapText(text, width, style.size, style.font == leaflet::FontRole::kBold, measurer_);
  }

  // One chunk per line, so a paragraph can continue on the next page; but never one line
  // alone at the foot of a page or the head of the next.
  void lines(const RichText& text, const TextStyle& style, double width, bool keepWithNext,
             std::vector<Chunk>& out) const {
    const auto wrapped = wrap(text, style, width);
    for (std::size_t i = 0; i < wrapped.size(); ++i) {
      Chunk chunk;
      chunk.height = lineHeight(style);
      chunk.keepWithNext = keepWithNext || (wrapped.size() > 1 && (i == 0 || i + 2 == wrapped.size()));
      if (i == 0) chunk.spaceBefore = style.spaceBefore;
      if (i + 1 == wrapped.size()) chunk.spaceAfter = style.spaceAfter;
      drawLine(wrapped[i], style, 0, 0, chunk.content);
      out.push_back(std::move(chunk));
    }
  }

  void bullets(const LeafletBlock& block, double width, std::vector<Chunk>& out) const {
    const auto& body = styles_.body;
    const double indent = body.size * 1.3;
    for (std::size_t item = 0; item < block.texts.size(); ++item) {
      const auto wrapped = wrap(block.texts[item], body, width - indent);
      for (std::size_t i = 0; i < wrapped.size(); ++i) {
        Chunk chunk;
        chunk.height = lineHeight(body);
        chunk.keepWithNext = i == 0 && wrapped.size() > 1;
        if (i == 0) {
          chunk.spaceBefore = body.size * 0.25;
          chunk.content.texts.push_back({body.size * 0.2, baseline(body), "\u2022", false, body.size});
        }
        if (i + 1 == wrapped.size()) {
          chunk.spaceAfter = item + 1 == block.texts.size() ? body.spaceAfter : body.size * 0.25;
        }
        drawLine(wrapped[i], body, indent, 0, chunk.content);
        out.push_back(std::move(chunk));
      }
    }
  }

  void rows(const LeafletBlock& block, double width, std::vector<Chunk>& out) const {
    const auto& body = styles_.body;
    const double gap = body.size;
    double labelWidth = 0;
    for (const auto& row : block.rows) {
      for (const auto& line : wrap(row.first, body, width)) labelWidth = std::max(labelWidth, line.width);
    }
    labelWidth = std::min(labelWidth, width * kLabelColumnShare);
    for (std::size_t i = 0; i < block.rows.size(); ++i) {
      const auto labelLines = wrap(block.rows[i].first, body, labelWidth);
      const auto valueLines = wrap(block.rows[i].second, body, width - labelWidth - gap);
      Chunk chunk;
      chunk.height = static_cast<double>(std::max(labelLines.size(), valueLines.size())) * lineHeight(body);
      chunk.spaceBefore = body.size * 0.2;
      chunk.spaceAfter = i + 1 == block.rows.size() ? body.spaceAfter : body.size * 0.2;
      for (std::size_t k = 0; k < labelLines.size(); ++k)
        drawLine(labelLines[k], body, 0, static_cast<double>(k) * lineHeight(body), chunk.content);
      for (std::size_t k = 0; k < valueLines.size(); ++k)
        drawLine(valueLines[k], body, labelWidth + gap, static_cast<double>(k) * lineHeight(body), chunk.content);
      out.push_back(std::move(chunk));
    }
  }

  void box(const LeafletBlock& block, double width, double maxHeight, std::vector<Chunk>& out) const {
    const double padding = styles_.body.size * 0.9;
    std::vector<Chunk> inner;
    TextStyle title = styles_.heading;
    title.spaceBefore = 0;
    lines(block.texts[0], title, width - 2 * padding, true, inner);
    for (const auto& child : block.children) add(child, width - 2 * padding, maxHeight, inner);

    Chunk chunk;
    PageContent content;
    chunk.height = stack(inner, padding, padding, content) + 2 * padding;
    if (chunk.height > maxHeight) {
      throw LayoutOverflow("the box '" + leaflet::plainText(block.texts[0]) + "' is taller than a page");
    }
    chunk.content.rects.push_back({0, 0, width, chunk.height, kBoxBorder, kBoxFill});
    translate(content, 0, 0, chunk.content);
    chunk.spaceBefore = styles_.body.size;
    chunk.spaceAfter = styles_.body.size;
    out.push_back(std::move(chunk));
  }

  void add(const LeafletBlock& block, double width, double maxHeight, std::vector<Chunk>& out) const {
    switch (block.kind) {
      case BlockKind::kTitle:
        lines(block.texts[0], styles_.title, width, true, out);
        break;
      case BlockKind::kHeading:
        lines(block.texts[0], styles_.heading, width, true, out);
        break;
      case BlockKind::kParagraph:
        lines(block.texts[0], styles_.body, width, false, out);
        break;
      case BlockKind::kBullets:
        bullets(block, width, out);
        break;
      case BlockKind::kDetails:
      case BlockKind::kContacts:
        rows(block, width, out);
        break;
      case BlockKind::kBox:
      case BlockKind::kGroup:  // TODO(issue 8): groups get their own heading band
        box(block, width, maxHeight, out);
        break;
    }
  }

 private:
  const leaflet::Styles& styles_;
  const TextMeasurer& measurer_;
};

// Splits chunks into pages. A chunk that keeps with the next moves to a new page unless
// the next chunk fits under it too.
std::vector<std::vector<std::pair<double, const Chunk*>>> paginate(const std::vector<Chunk>& chunks,
                                                                   double pageHeight) {
  std::vector<std::vector<std::pair<double, const Chunk*>>> pages(1);
  double y = 0;
  const Chunk* previous = nullptr;
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    const auto& chunk = chunks[i];
    const double gap = previous ? std::max(previous->spaceAfter, chunk.spaceBefore) : 0;
    double needed = gap + chunk.height;
    for (std::size_t k = i; k + 1 < chunks.size() && chunks[k].keepWithNext; ++k) {
      needed += std::max(chunks[k].spaceAfter, chunks[k + 1].spaceBefore) + chunks[k + 1].height;
      if (!chunks[k + 1].keepWithNext) break;
    }
    if (previous && y + needed > pageHeight) {
      pages.emplace_back();
      y = 0;
      previous = nullptr;
    }
    y += previous ? gap : 0;
    pages.back().emplace_back(y, &chunk);
    y += chunk.height;
    previous = &chunk;
  }
  return pages;
}

RichText withPageNumbers(const RichText& text, std::size_t number, std::size_t count) {
  return leaflet::substitutePlaceholders(text, [&](const std::string& name) {
    if (name == leaflet::kPageNumber) return std::to_string(number);
    if (name == leaflet::kPageCount) return std::to_string(count);
    return "{" + name + "}";
  });
}

}  // namespace

std::vector<PageContent> layoutPages(const leaflet::Leaflet& leaflet, const leaflet::Layout& layout,
                                     const TextMeasurer& measurer) {
  const Flow flow(layout, measurer);
  const auto& page = layout.page;
  const auto& margin = layout.styles.margin;
  const double width = page.width - 2 * page.margin;
  const double rule = margin.size * 0.6;

  // Measured with wide page numbers so that the real ones always fit.
  const auto headerLines = flow.wrap(withPageNumbers(leaflet.header, 888, 888), margin, width).size();
  const auto footerLines = flow.wrap(withPageNumbers(leaflet.footer, 888, 888), margin, width).size();
  const double top = page.margin + static_cast<double>(headerLines) * lineHeight(margin) + rule * 2;
  const double footerTop = page.height - page.margin - static_cast<double>(footerLines) * lineHeight(margin);
  const double bottom = footerTop - rule * 2;

  std::vector<Chunk> chunks;
  for (const auto& block : leaflet.blocks) flow.add(block, width, bottom - top, chunks);
  const auto placed = paginate(chunks, bottom - top);

  std::vector<PageContent> pages(placed.size());
  for (std::size_t n = 0; n < placed.size(); ++n) {
    auto& content = pages[n];
    const auto header = flow.wrap(withPageNumbers(leaflet.header, n + 1, placed.size()), margin, width);
    for (std::size_t i = 0; i < header.size(); ++i)
      drawLine(header[i], margin, page.margin, page.margin + static_cast<double>(i) * lineHeight(margin), content);
    content.rects.push_back({page.margin, top - rule, width, kRuleWidth, 0, 0});
    content.rects.push_back({page.margin, footerTop - rule, width, kRuleWidth, 0, 0});
    const auto footer = flow.wrap(withPageNumbers(leaflet.footer, n + 1, placed.size()), margin, width);
    for (std::size_t i = 0; i < footer.size(); ++i)
      drawLine(footer[i], margin, page.margin, footerTop + static_cast<double>(i) * lineHeight(margin), content);
    for (const auto& [y, chunk] : placed[n]) {
      translate(chunk->content, page.margin, top + y, content);
    }
  }
  return pages;
}

}  // namespace wardprint::pdf
