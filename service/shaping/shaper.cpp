#include "shaping/shaper.h"

#include <fribidi.h>
#include <hb.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <utility>

#include "util/utf8.h"

namespace wardprint::shaping {
namespace {

struct FontDeleter {
  void operator()(hb_font_t* font) const { hb_font_destroy(font); }
};

// Parsed fonts, shared by every Shaper for the life of the process; freed at exit.
hb_font_t* loadFont(const std::string& file, unsigned index) {
  static std::mutex mutex;
  static std::map<std::pair<std::string, unsigned>, std::unique_ptr<hb_font_t, FontDeleter>> fonts;
  const std::lock_guard<std::mutex> lock(mutex);
  auto& cached = fonts[{file, index}];
  if (cached) return cached.get();
  hb_blob_t* blob = hb_blob_create_from_file_or_fail(file.c_str());
  if (!blob) throw std::runtime_error("cannot read font file " + file);
  hb_face_t* face = hb_face_create(blob, index);
  hb_blob_destroy(blob);
  if (hb_face_get_glyph_count(face) == 0) {
    hb_face_destroy(face);
    throw std::runtime_error("no font at index " + std::to_string(index) + " in " + file);
  }
  hb_font_t* font = hb_font_create(face);
  hb_face_destroy(face);
  const int upem = static_cast<int>(hb_face_get_upem(hb_font_get_face(font)));
  hb_font_set_scale(font, upem, upem);
  hb_font_make_immutable(font);
  cached.reset(font);
  return font;
}

// Where glyph outlines go while HarfBuzz draws them: font units in, points out.
struct Pen {
  std::vector<PathStep>* out;
  double scale, originX, originY;
  double x(float v) const { return originX + v * scale; }
  double y(float v) const { return originY + v * scale; }
};

void moveTo(hb_draw_funcs_t*, void* data, hb_draw_state_t*, float x, float y, void*) {
  auto* pen = static_cast<Pen*>(data);
  pen->out->push_back({PathStep::Kind::Move, 0, 0, 0, 0, pen->x(x), pen->y(y)});
}

void lineTo(hb_draw_funcs_t*, void* data, hb_draw_state_t*, float x, float y, void*) {
  auto* pen = static_cast<Pen*>(data);
  pen->out->push_back({PathStep::Kind::Line, 0, 0, 0, 0, pen->x(x), pen->y(y)});
}

void cubicTo(hb_draw_funcs_t*, void* data, hb_draw_state_t*, float x1, float y1, float x2, float y2,
             float x, float y, void*) {
  auto* pen = static_cast<Pen*>(data);
  pen->out->push_back(
      {PathStep::Kind::Curve, pen->x(x1), pen->y(y1), pen->x(x2), pen->y(y2), pen->x(x), pen->y(y)});
}

// TrueType outlines are quadratic; PDF paths are cubic. Same curve, raised in degree.
void quadraticTo(hb_draw_funcs_t* funcs, void* data, hb_draw_state_t* state, float cx, float cy, float x,
                 float y, void* user) {
  const float x0 = state->current_x, y0 = state->current_y;
  cubicTo(funcs, data, state, x0 + 2.0f / 3.0f * (cx - x0), y0 + 2.0f / 3.0f * (cy - y0),
          x + 2.0f / 3.0f * (cx - x), y + 2.0f / 3.0f * (cy - y), x, y, user);
}

void closePath(hb_draw_funcs_t*, void* data, hb_draw_state_t*, void*) {
  static_cast<Pen*>(data)->out->push_back({PathStep::Kind::Close});
}

struct DrawFuncsDeleter {
  void operator()(hb_draw_funcs_t* funcs) const { hb_draw_funcs_destroy(funcs); }
};

hb_draw_funcs_t* drawFuncs() {
  static const std::unique_ptr<hb_draw_funcs_t, DrawFuncsDeleter> funcs([] {
    hb_draw_funcs_t* f = hb_draw_funcs_create();
    hb_draw_funcs_set_move_to_func(f, moveTo, nullptr, nullptr);
    hb_draw_funcs_set_line_to_func(f, lineTo, nullptr, nullptr);
    hb_draw_funcs_set_quadratic_to_func(f, quadraticTo, nullptr, nullptr);
    hb_draw_funcs_set_cubic_to_func(f, cubicTo, nullptr, nullptr);
    hb_draw_funcs_set_close_path_func(f, closePath, nullptr, nullptr);
    hb_draw_funcs_make_immutable(f);
    return f;
  }());
  return funcs.get();
}

std::string scriptTag(hb_script_t script) {
  char tag[5] = {};
  hb_tag_to_string(hb_script_to_iso15924_tag(script), tag);
  return tag;
}

bool isNeutralScript(hb_script_t script) {
  return script == HB_SCRIPT_COMMON || script == HB_SCRIPT_INHERITED || script == HB_SCRIPT_UNKNOWN;
}

// Joiners are drawn by no face; every other character needs a glyph.
bool needsGlyph(char32_t cp) { return cp != 0x200C && cp != 0x200D; }

// How well a face's languages fit the text's language: the longest matching prefix.
std::size_t languageFit(const Face& face, std::string_view language) {
  std::size_t best = 0;
  for (const auto& prefix : face.languages) {
    const bool matches = language.substr(0, prefix.size()) == prefix &&
                         (language.size() == prefix.size() || language[prefix.size()] == '-');
    if (matches) best = std::max(best, prefix.size());
  }
  return best;
}

// A piece of the line in one direction and one script: code points [begin, end).
struct Piece {
  std::size_t begin, end;
  bool rightToLeft;
  hb_script_t script;
};

void addUnprintable(std::vector<char32_t>& list, char32_t cp) {
  if (std::find(list.begin(), list.end(), cp) == list.end()) list.push_back(cp);
}

// Direction runs in visual order within a left-to-right line (FriBidi's levels, reversed by rule L2 of UAX #9), each
// cut by script; pieces of a right-to-left run are placed right to left.
std::vector<Piece> visualPieces(const std::u32string& cps) {
  const auto length = static_cast<FriBidiStrIndex>(cps.size());
  std::vector<FriBidiChar> chars(cps.begin(), cps.end());
  std::vector<FriBidiCharType> types(cps.size());
  std::vector<FriBidiBracketType> brackets(cps.size());
  std::vector<FriBidiLevel> levels(cps.size());
  fribidi_get_bidi_types(chars.data(), length, types.data());
  fribidi_get_bracket_types(chars.data(), length, types.data(), brackets.data());
  FriBidiParType direction = FRIBIDI_PAR_LTR;  // a fragment of a left-to-right leaflet line
  if (fribidi_get_par_embedding_levels_ex(types.data(), brackets.data(), length, &direction, levels.data()) == 0) {
    throw std::runtime_error("FriBidi could not resolve the text's directions");
  }

  struct LevelRun {
    std::size_t begin, end;
    int level;
  };
  std::vector<LevelRun> runs;
  for (std::size_t i = 0; i < cps.size(); ++i) {
    if (runs.empty() || runs.back().level != levels[i]) runs.push_back({i, i, int{levels[i]}});
    runs.back().end = i + 1;
  }
  int highest = 0, lowestOdd = 127;
  for (const auto& run : runs) {
    highest = std::max(highest, run.level);
    if (run.level % 2) lowestOdd = std::min(lowestOdd, run.level);
  }
  for (int level = highest; level >= lowestOdd && level > 0; --level) {
    for (std::size_t i = 0; i < runs.size();) {
      if (runs[i].level < level) {
        ++i;
        continue;
      }
      std::size_t j = i;
      while (j < runs.size() && runs[j].level >= level) ++j;
      std::reverse(runs.begin() + static_cast<long>(i), runs.begin() + static_cast<long>(j));
      i = j;
    }
  }

  hb_unicode_funcs_t* unicode = hb_unicode_funcs_get_default();
  std::vector<Piece> pieces;
  for (const auto& run : runs) {
    std::vector<Piece> own;
    for (std::size_t i = run.begin; i < run.end; ++i) {
      const hb_script_t script = hb_unicode_script(unicode, cps[i]);
      if (!own.empty() && (isNeutralScript(script) || own.back().script == script)) {
        own.back().end = i + 1;
      } else if (!own.empty() && isNeutralScript(own.back().script)) {
        own.back().end = i + 1;
        own.back().script = script;
      } else {
        own.push_back({i, i + 1, run.level % 2 == 1, script});
      }
    }
    if (run.level % 2) std::reverse(own.begin(), own.end());
    pieces.insert(pieces.end(), own.begin(), own.end());
  }
  return pieces;
}

}  // namespace

std::vector<Face> notoFaces(bool bold) {
  const std::string weight = bold ? "Bold" : "Regular";
  const std::string core = "/usr/share/fonts/truetype/noto/NotoSans";
  const std::string cjk = "/usr/share/fonts/opentype/noto/NotoSansCJK-" + weight + ".ttc";
  const std::vector<std::string> han = {"Hani", "Bopo"};
  return {
      {core + "-" + weight + ".ttf", 0, {"Latn", "Grek", "Cyrl", "Zyyy"}, {}},
      {core + "Arabic-" + weight + ".ttf", 0, {"Arab"}, {}},
      {core + "Hebrew-" + weight + ".ttf", 0, {"Hebr"}, {}},
      {core + "Devanagari-" + weight + ".ttf", 0, {"Deva"}, {}},
      {core + "Thai-" + weight + ".ttf", 0, {"Thai"}, {}},
      // The CJK collection: 0 Japanese, 1 Korean, 2 Simplified, 3 Traditional, 4 Hong Kong.
      {cjk, 0, {"Hani", "Hira", "Kana", "Bopo"}, {"ja"}},
      {cjk, 1, {"Hani", "Hang"}, {"ko"}},
      {cjk, 2, han, {"zh", "zh-CN", "zh-SG", "zh-Hans"}},
      {cjk, 3, han, {"zh-TW", "zh-Hant"}},
      {cjk, 4, han, {"zh-HK", "zh-MO"}},
  };
}

bool needsShaping(std::string_view text) {
  const auto cps = util::decodeUtf8(text);
  if (!cps) return false;
  hb_unicode_funcs_t* unicode = hb_unicode_funcs_get_default();
  for (const char32_t cp : *cps) {
    if (!needsGlyph(cp)) return true;
    switch (hb_unicode_general_category(unicode, cp)) {
      case HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK:
      case HB_UNICODE_GENERAL_CATEGORY_SPACING_MARK:
      case HB_UNICODE_GENERAL_CATEGORY_ENCLOSING_MARK:
        return true;
      default:
        break;
    }
    const hb_script_t script = hb_unicode_script(unicode, cp);
    if (!isNeutralScript(script) && script != HB_SCRIPT_LATIN && script != HB_SCRIPT_GREEK &&
        script != HB_SCRIPT_CYRILLIC) {
      return true;
    }
  }
  return false;
}

Shaper::Shaper(std::vector<Face> faces) : faces_(std::move(faces)) {}

Line Shaper::shape(std::string_view text, double size, std::string_view language) const {
  Line line;
  const auto decoded = util::decodeUtf8(text);
  if (!decoded || decoded->empty()) return line;
  const std::u32string& cps = *decoded;

  for (const auto& piece : visualPieces(cps)) {
    // The face: serves the piece's script, then best language fit, then has every glyph.
    const std::string tag = scriptTag(isNeutralScript(piece.script) ? HB_SCRIPT_COMMON : piece.script);
    const Face* chosen = nullptr;
    std::size_t chosenFit = 0;
    bool chosenCovers = false;
    for (const auto& face : faces_) {
      if (std::find(face.scripts.begin(), face.scripts.end(), tag) == face.scripts.end()) continue;
      hb_font_t* font = loadFont(face.file, face.index);
      bool covers = true;
      for (std::size_t i = piece.begin; i < piece.end && covers; ++i) {
        hb_codepoint_t glyph;
        covers = !needsGlyph(cps[i]) || hb_font_get_nominal_glyph(font, cps[i], &glyph);
      }
      const std::size_t fit = languageFit(face, language);
      if (!chosen || (covers && !chosenCovers) || (covers == chosenCovers && fit > chosenFit)) {
        chosen = &face;
        chosenFit = fit;
        chosenCovers = covers;
      }
    }
    if (!chosen) {
      for (std::size_t i = piece.begin; i < piece.end; ++i) {
        if (!isNeutralScript(hb_unicode_script(hb_unicode_funcs_get_default(), cps[i]))) {
          addUnprintable(line.unprintable, cps[i]);
        }
      }
      continue;
    }

    hb_font_t* font = loadFont(chosen->file, chosen->index);
    hb_buffer_t* buffer = hb_buffer_create();
    hb_buffer_add_utf32(buffer, reinterpret_cast<const uint32_t*>(cps.data()), static_cast<int>(cps.size()),
                        static_cast<unsigned>(piece.begin), static_cast<int>(piece.end - piece.begin));
    hb_buffer_set_direction(buffer, piece.rightToLeft ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
    hb_buffer_set_script(buffer, piece.script);
    hb_buffer_set_language(buffer, hb_language_from_string(language.data(), static_cast<int>(language.size())));
    hb_buffer_guess_segment_properties(buffer);
    hb_shape(font, buffer, nullptr, 0);

    unsigned count = 0;
    const hb_glyph_info_t* infos = hb_buffer_get_glyph_infos(buffer, &count);
    const hb_glyph_position_t* positions = hb_buffer_get_glyph_positions(buffer, &count);
    hb_codepoint_t dottedCircle = 0;
    const bool hasDottedCircle = hb_font_get_nominal_glyph(font, 0x25CC, &dottedCircle);
    const double scale = size / hb_face_get_upem(hb_font_get_face(font));

    Run run;
    std::u32string logical(cps.begin() + static_cast<long>(piece.begin), cps.begin() + static_cast<long>(piece.end));
    for (const char32_t cp : logical) run.text += util::encodeUtf8(cp);
    run.rightToLeft = piece.rightToLeft;
    run.faceFile = chosen->file;
    run.faceIndex = chosen->index;
    run.x = line.width;
    double penX = 0;
    for (unsigned i = 0; i < count; ++i) {
      const char32_t source = cps[infos[i].cluster];
      if (infos[i].codepoint == 0 && needsGlyph(source)) addUnprintable(line.unprintable, source);
      if (hasDottedCircle && infos[i].codepoint == dottedCircle && source != 0x25CC) {
        addUnprintable(line.unprintable, source);
      }
      run.glyphs.push_back(infos[i].codepoint);
      Pen pen{&line.outline, scale, line.width + (penX + positions[i].x_offset) * scale,
              positions[i].y_offset * scale};
      hb_font_get_glyph_shape(font, infos[i].codepoint, drawFuncs(), &pen);
      penX += positions[i].x_advance;
    }
    hb_buffer_destroy(buffer);
    run.width = penX * scale;
    line.width += run.width;
    line.runs.push_back(std::move(run));
  }
  return line;
}

}  // namespace wardprint::shaping
