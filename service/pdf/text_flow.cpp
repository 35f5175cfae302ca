#include "pdf/text_flow.h"

#include "util/utf8.h"

namespace wardprint::pdf {
namespace {

using leaflet::FontRole;

struct Piece {
  std::string text;
  bool bold = false;
  double width = 0;
};

struct Word {
  std::vector<Piece> pieces;
  double width = 0;
};

FontRole roleOf(bool bold) { return bold ? FontRole::kBold : FontRole::kRegular; }

std::vector<Word> splitWords(const leaflet::RichText& text, double size, bool boldBase,
                             const TextMeasurer& measurer) {
  std::vector<Word> words(1);
  for (const auto& span : text) {
    const bool bold = boldBase || span.bold;
    std::size_t start = 0;
    while (start <= span.text.size()) {
      const auto space = span.text.find(' ', start);
      const auto end = space == std::string::npos ? span.text.size() : space;
      if (end > start) {
        Piece piece{span.text.substr(start, end - start), bold, 0};
        piece.width = measurer.width(piece.text, roleOf(bold), size);
        words.back().width += piece.width;
        words.back().pieces.push_back(std::move(piece));
      }
      if (space == std::string::npos) break;
      if (!words.back().pieces.empty()) words.emplace_back();
      start = space + 1;
    }
  }
  if (words.back().pieces.empty()) words.pop_back();
  return words;
}

// Breaks a word wider than a line into parts that fit, between characters.
std::vector<Word> breakLongWord(const Word& word, double maxWidth, double size,
                                const TextMeasurer& measurer) {
  std::vector<Word> parts(1);
  for (const auto& piece : word.pieces) {
    const auto codePoints = util::decodeUtf8(piece.text).value_or(std::u32string{});
    for (const char32_t cp : codePoints) {
      const auto character = util::encodeUtf8(cp);
      const double width = measurer.width(character, roleOf(piece.bold), size);
      if (parts.back().width + width > maxWidth && parts.back().width > 0) parts.emplace_back();
      auto& part = parts.back();
      if (part.pieces.empty() || part.pieces.back().bold != piece.bold) part.pieces.push_back({"", piece.bold, 0});
      part.pieces.back().text += character;
      part.pieces.back().width += width;
      part.width += width;
    }
  }
  return parts;
}

void append(Line& line, const Word& word, double spaceWidth) {
  if (!line.fragments.empty()) {
    line.fragments.back().text += ' ';
    line.width += spaceWidth;
  }
  for (const auto& piece : word.pieces) {
    if (line.fragments.empty() || line.fragments.back().bold != piece.bold) {
      line.fragments.push_back({"", piece.bold, line.width});
    }
    line.fragments.back().text += piece.text;
    line.width += piece.width;
  }
}

}  // namespace

std::vector<Line> wrapText(const leaflet::RichText& text, double maxWidth, double size, bool boldBase,
                           const TextMeasurer& measurer) {
  const double spaceWidth = measurer.width(" ", roleOf(boldBase), size);
  std::vector<Line> lines;
  Line line;
  const auto place = [&](const Word& word) {
    if (!line.fragments.empty() && line.width + spaceWidth + word.width > maxWidth) {
      lines.push_back(std::move(line));
      line = Line{};
    }
    append(line, word, spaceWidth);
  };
  for (const auto& word : splitWords(text, size, boldBase, measurer)) {
    if (word.width <= maxWidth) {
      place(word);
      continue;
    }
    for (const auto& part : breakLongWord(word, maxWidth, size, measurer)) {
      if (!line.fragments.empty()) {
        lines.push_back(std::move(line));
        line = Line{};
      }
      append(line, part, spaceWidth);
    }
  }
  if (!line.fragments.empty()) lines.push_back(std::move(line));
  return lines;
}

}  // namespace wardprint::pdf
