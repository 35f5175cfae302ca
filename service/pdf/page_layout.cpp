#include "pdf/page_layout.h"

#include <algorithm>
#include <limits>
#include <memory>

#include "pdf/pagination.h"

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
constexpr double kBlack = 0;
constexpr double kWhite = 1;
constexpr double kFooterFloor = 8;   // points: the footer shrinks to this before it wraps
constexpr double kFooterStep = 0.5;  // points
constexpr double kUnbounded = std::numeric_limits<double>::infinity();

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

void drawLine(const Line& line, const TextStyle& style, double x, double top, PageContent& into,
              double gray = kBlack) {
  for (const auto& fragment : line.fragments) {
    into.texts.push_back(
        {x + fragment.x, top + baseline(style), fragment.text, fragment.bold, style.size, gray});
  }
}

// Stacks chunks one under another, collapsing adjacent spacing to the larger of the two;
// draws them into `into` when given. Returns the height they take.
double stack(const std::vector<Chunk>& chunks, double x, double top, PageContent* into) {
  double y = top;
  const Chunk* previous = nullptr;
  for (const auto& chunk : chunks) {
    if (previous) y += std::max(previous->spaceAfter, chunk.spaceBefore);
    if (into) translate(chunk.content, x, y, *into);
    y += chunk.height;
    previous = &chunk;
  }
  return y - top;
}

// One chunk holding all of `parts`, so that pagination cannot split them.
Chunk merge(const std::vector<Chunk>& parts) {
  Chunk whole;
  if (parts.empty()) return whole;
  whole.spaceBefore = parts.front().spaceBefore;
  whole.spaceAfter = parts.back().spaceAfter;
  whole.keepWithNext = parts.back().keepWithNext;
  whole.height = stack(parts, 0, 0, &whole.content);
  return whole;
}

// Moves a chunk's drawing right by `dx` and down by `top`, and adds `top + bottom` to its height.
Chunk inset(const Chunk& chunk, double dx, double top, double bottom) {
  Chunk out;
  out.height = chunk.height + top + bottom;
  out.keepWithNext = chunk.keepWithNext;
  translate(chunk.content, dx, top, out.content);
  return out;
}

// Parts that fit on a page become one chunk; taller ones stay separate.
void addWhole(const std::vector<Chunk>& parts, double maxHeight, std::vector<Chunk>& out) {
  if (stack(parts, 0, 0, nullptr) <= maxHeight) {
    out.push_back(merge(parts));
  } else {
    out.insert(out.end(), parts.begin(), parts.end());
  }
}

// A paragraph ending in a colon introduces what follows, so it stays with it.
bool introduces(const RichText& text) {
  auto plain = leaflet::plainText(text);
  while (!plain.empty() && plain.back() == ' ') plain.pop_back();
  return !plain.empty() && plain.back() == ':';
}

class Flow {
 public:
  Flow(const leaflet::Layout& layout, const TextMeasurer& measurer)
      : styles_(layout.styles), measurer_(measurer) {}

  std::vector<Line> wrap(const RichText& text, const TextStyle& style, double width) const {
    return wrapText(text, width, style.size, style.font == leaflet::FontRole::kBold, measurer_);
  }

  // The width of `text` set on one line.
  double width(const RichText& text, const TextStyle& style) const {
    double total = 0;
    for (const auto& line : wrap(text, style, kUnbounded)) total += line.width;
    return total;
  }

  // Every top-level block, in order. A table right after a heading repeats the heading
  // when it continues on another page.
  void addAll(const std::vector<LeafletBlock>& blocks, double width, double maxHeight,
              std::vector<Chunk>& out) const {
    std::shared_ptr<const Chunk> heading;
    for (std::size_t i = 0; i < blocks.size(); ++i) {
      const auto first = out.size();
      const auto& block = blocks[i];
      if (block.kind == BlockKind::kBox) {
        box(block, width, maxHeight, static_cast<int>(i), out);
      } else {
        add(block, width, maxHeight, heading, out);
      }
      for (auto k = first; k < out.size(); ++k) out[k].block = i;
      heading = nullptr;
      if (block.kind == BlockKind::kHeading && out.size() == first + 1) {
        auto repeated = std::make_shared<Chunk>(out[first]);
        repeated->spaceBefore = 0;
        heading = std::move(repeated);
      }
    }
  }

 private:
  // One chunk per line; but never one line alone at the foot of a page or the head of the next.
  std::vector<Chunk> lineChunks(const RichText& text, const TextStyle& style, double width,
                                bool keepWithNext, double indent = 0) const {
    const auto wrapped = wrap(text, style, width - indent);
    std::vector<Chunk> out;
    for (std::size_t i = 0; i < wrapped.size(); ++i) {
      Chunk chunk;
      chunk.height = lineHeight(style);
      chunk.keepWithNext =
          keepWithNext || (wrapped.size() > 1 && (i == 0 || i + 2 == wrapped.size()));
      if (i == 0) chunk.spaceBefore = style.spaceBefore;
      if (i + 1 == wrapped.size()) chunk.spaceAfter = style.spaceAfter;
      drawLine(wrapped[i], style, indent, 0, chunk.content);
      out.push_back(std::move(chunk));
    }
    return out;
  }

  void bullets(const LeafletBlock& block, double width, double maxHeight,
               std::vector<Chunk>& out) const {
    auto style = styles_.body;
    style.spaceBefore = style.size * 0.25;
    const double indent = style.size * 1.3;
    for (std::size_t item = 0; item < block.texts.size(); ++item) {
      style.spaceAfter =
          item + 1 == block.texts.size() ? styles_.body.spaceAfter : style.size * 0.25;
      // Like lines of a paragraph: no first or last item alone at the foot or head of a page.
      const auto count = block.texts.size();
      const bool keep = count > 1 && (item == 0 || item + 2 == count);
      auto lines = lineChunks(block.texts[item], style, width, keep, indent);
      if (lines.empty()) continue;
      lines.front().content.texts.push_back(
          {style.size * 0.2, baseline(style), "\u2022", false, style.size, kBlack});
      addWhole(lines, maxHeight, out);
    }
  }

  void rows(const LeafletBlock& block, double width, double maxHeight,
            const std::shared_ptr<const Chunk>& heading, std::vector<Chunk>& out) const {
    const auto& body = styles_.body;
    const double gap = body.size;
    double labelWidth = 0;
    for (const auto& row : block.rows) {
      for (const auto& line : wrap(row.first, body, width))
        labelWidth = std::max(labelWidth, line.width);
    }
    labelWidth = std::min(labelWidth, width * kLabelColumnShare);
    std::vector<Chunk> rows;
    for (std::size_t i = 0; i < block.rows.size(); ++i) {
      const auto labelLines = wrap(block.rows[i].first, body, labelWidth);
      const auto valueLines = wrap(block.rows[i].second, body, width - labelWidth - gap);
      Chunk chunk;
      chunk.height =
          static_cast<double>(std::max(labelLines.size(), valueLines.size())) * lineHeight(body);
      chunk.spaceBefore = body.size * 0.2;
      chunk.spaceAfter = i + 1 == block.rows.size() ? body.spaceAfter : body.size * 0.2;
      if (i > 0) chunk.resume = heading;
      for (std::size_t k = 0; k < labelLines.size(); ++k)
        drawLine(labelLines[k], body, 0, static_cast<double>(k) * lineHeight(body), chunk.content);
      for (std::size_t k = 0; k < valueLines.size(); ++k)
        drawLine(valueLines[k], body, labelWidth + gap, static_cast<double>(k) * lineHeight(body),
                 chunk.content);
      rows.push_back(std::move(chunk));
    }
    addWhole(rows, maxHeight, out);
  }

  TextStyle groupTitleStyle() const {
    auto style = styles_.heading;
    style.size = std::max(styles_.body.size, style.size * 0.9);
    style.spaceBefore = 0;
    style.spaceAfter = styles_.body.size * 0.3;
    return style;
  }

  // A group's title: white on a black band when emphasised, else under a thin rule.
  Chunk groupTitle(const LeafletBlock& group, double width) const {
    const auto style = groupTitleStyle();
    const double pad = group.emphasis ? style.size * 0.35 : 0;
    const double ruleGap = group.emphasis ? 0 : style.size * 0.4;
    const auto wrapped = wrap(group.texts[0], style, width - 2 * pad);
    Chunk title;
    title.height = ruleGap + static_cast<double>(wrapped.size()) * lineHeight(style) + 2 * pad;
    title.spaceAfter = style.spaceAfter;
    title.keepWithNext = true;
    title.content.rects.push_back(
        {0, 0, width, group.emphasis ? title.height : kRuleWidth, 0, kBlack});
    for (std::size_t k = 0; k < wrapped.size(); ++k) {
      drawLine(wrapped[k], style, pad, ruleGap + pad + static_cast<double>(k) * lineHeight(style),
               title.content, group.emphasis ? kWhite : kBlack);
    }
    return title;
  }

  Chunk group(const LeafletBlock& group, double width) const {
    std::vector<Chunk> parts{groupTitle(group, width)};
    for (const auto& child : group.children) add(child, width, kUnbounded, nullptr, parts);
    return merge(parts);
  }

  // A box's title, with the box's padding above and to the left.
  Chunk boxTitle(const RichText& text, double width, double padding) const {
    auto style = styles_.heading;
    style.spaceBefore = 0;
    auto title =
        inset(merge(lineChunks(text, style, width - 2 * padding, true)), padding, padding, 0);
    title.keepWithNext = true;
    return title;
  }

  // A box that fits on a page becomes one chunk. A taller one becomes its title and one chunk
  // per group (the children between groups form one more), each repeating the title when it
  // starts a page. `frame` < 0 draws the box's outline into the chunk itself.
  void box(const LeafletBlock& block, double width, double maxHeight, int frame,
           std::vector<Chunk>& out) const {
    const double padding = styles_.body.size * 0.9;
    const double inner = width - 2 * padding;
    const auto boxName = "the box '" + leaflet::plainText(block.texts[0]) + "'";

    std::vector<Chunk> units{boxTitle(block.texts[0], width, padding)};
    std::vector<std::string> names{boxName};
    std::vector<Chunk> loose;
    const auto flushLoose = [&] {
      if (loose.empty()) return;
      units.push_back(inset(merge(loose), padding, padding / 2, padding / 2));
      names.push_back(boxName);
      loose.clear();
    };
    for (const auto& child : block.children) {
      if (child.kind != BlockKind::kGroup) {
        add(child, inner, kUnbounded, nullptr, loose);
        continue;
      }
      flushLoose();
      units.push_back(inset(group(child, inner), padding, padding / 2, padding / 2));
      names.push_back("the group '" + leaflet::plainText(child.texts[0]) + "' in " + boxName);
    }
    flushLoose();
    units.back().height += units.size() > 1 ? padding / 2 : padding;
    units.front().spaceBefore = styles_.body.size;
    units.back().spaceAfter = styles_.body.size;
    for (auto& unit : units) unit.frame = frame;

    if (stack(units, 0, 0, nullptr) <= maxHeight) {
      auto whole = merge(units);
      whole.frame = frame;
      if (frame < 0)
        whole.content.rects.insert(whole.content.rects.begin(),
                                   {0, 0, width, whole.height, kBoxBorder, kBoxFill});
      out.push_back(std::move(whole));
      return;
    }
    // The title stays with the first group (the 999 one), and that group with the next (the
    // ward's, with its number), so a patient reading the emergency signs sees who to call.
    if (units.size() > 2) units[1].keepWithNext = true;
    auto repeated =
        boxTitle(block.texts.size() > 1 ? block.texts[1] : block.texts[0], width, padding);
    repeated.frame = frame;
    const double titleHeight = std::max(repeated.height, units.front().height);
    const auto resume = std::make_shared<const Chunk>(std::move(repeated));
    for (std::size_t i = 1; i < units.size(); ++i) {
      if (titleHeight + units[i].height > maxHeight) {
        throw LayoutOverflow(names[i] + " is taller than a page");
      }
      units[i].resume = resume;
    }
    out.insert(out.end(), units.begin(), units.end());
  }

  void add(const LeafletBlock& block, double width, double maxHeight,
           const std::shared_ptr<const Chunk>& heading, std::vector<Chunk>& out) const {
    switch (block.kind) {
      case BlockKind::kTitle:
        addWhole(lineChunks(block.texts[0], styles_.title, width, true), maxHeight, out);
        break;
      case BlockKind::kHeading:
        addWhole(lineChunks(block.texts[0], styles_.heading, width, true), maxHeight, out);
        break;
      case BlockKind::kParagraph:
        addWhole(lineChunks(block.texts[0], styles_.body, width, introduces(block.texts[0])),
                 maxHeight, out);
        break;
      case BlockKind::kBullets:
        bullets(block, width, maxHeight, out);
        break;
      case BlockKind::kDetails:
      case BlockKind::kContacts:
        rows(block, width, maxHeight, heading, out);
        break;
      case BlockKind::kBox:
        box(block, width, maxHeight, -1, out);
        break;
      case BlockKind::kGroup:
        out.push_back(group(block, width));
        break;
    }
  }

  const leaflet::Styles& styles_;
  const TextMeasurer& measurer_;
};

RichText withPageNumbers(const RichText& text, std::size_t number, std::size_t count) {
  return leaflet::substitutePlaceholders(text, [&](const std::string& name) {
    if (name == leaflet::kPageNumber) return std::to_string(number);
    if (name == leaflet::kPageCount) return std::to_string(count);
    return "{" + name + "}";
  });
}

// The margin style made small enough, down to kFooterFloor, to set `text` on one line.
TextStyle oneLineStyle(const Flow& flow, const RichText& text, TextStyle style, double width) {
  const double floor = std::min(kFooterFloor, style.size);
  while (style.size > floor && flow.width(text, style) > width) {
    style.size = std::max(floor, style.size - kFooterStep);
  }
  return style;
}

// Draws the outline and fill of each box behind the part of it on this page.
void drawFrames(const PlacedPage& page, double x, double top, double width, PageContent& into) {
  for (std::size_t k = 0; k < page.placed.size(); ++k) {
    const int frame = page.placed[k].chunk->frame;
    if (frame < 0) continue;
    auto end = k;
    while (end + 1 < page.placed.size() && page.placed[end + 1].chunk->frame == frame) ++end;
    const double y = page.placed[k].y;
    const double bottom = page.placed[end].y + page.placed[end].chunk->height;
    into.rects.push_back({x, top + y, width, bottom - y, kBoxBorder, kBoxFill});
    k = end;
  }
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
  const auto headerLines =
      flow.wrap(withPageNumbers(leaflet.header, 888, 888), margin, width).size();
  const auto footerStyle =
      oneLineStyle(flow, withPageNumbers(leaflet.footer, 888, 888), margin, width);
  const auto footerLines =
      flow.wrap(withPageNumbers(leaflet.footer, 888, 888), footerStyle, width).size();
  const double top = page.margin + static_cast<double>(headerLines) * lineHeight(margin) + rule * 2;
  const double footerTop =
      page.height - page.margin - static_cast<double>(footerLines) * lineHeight(footerStyle);
  const double bottom = footerTop - rule * 2;

  std::vector<Chunk> chunks;
  flow.addAll(leaflet.blocks, width, bottom - top, chunks);
  const auto placed = paginate(chunks, bottom - top);

  std::vector<PageContent> pages(placed.size());
  for (std::size_t n = 0; n < placed.size(); ++n) {
    auto& content = pages[n];
    const auto header =
        flow.wrap(withPageNumbers(leaflet.header, n + 1, placed.size()), margin, width);
    for (std::size_t i = 0; i < header.size(); ++i)
      drawLine(header[i], margin, page.margin,
               page.margin + static_cast<double>(i) * lineHeight(margin), content);
    content.rects.push_back({page.margin, top - rule, width, kRuleWidth, 0, 0});
    content.rects.push_back({page.margin, footerTop - rule, width, kRuleWidth, 0, 0});
    const auto footer =
        flow.wrap(withPageNumbers(leaflet.footer, n + 1, placed.size()), footerStyle, width);
    for (std::size_t i = 0; i < footer.size(); ++i) {
      drawLine(footer[i], footerStyle, page.margin,
               footerTop + static_cast<double>(i) * lineHeight(footerStyle), content);
    }
    drawFrames(placed[n], page.margin, top, width, content);
    for (const auto& p : placed[n].placed)
      translate(p.chunk->content, page.margin, top + p.y, content);
  }
  return pages;
}

}  // namespace wardprint::pdf
