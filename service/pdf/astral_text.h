#pragma once

#include <map>
#include <string>
#include <string_view>

namespace wardprint::pdf {

// libharu's UTF-8 fonts cannot carry characters above U+FFFF (they become spaces), so the
// invisible text over shaped names holds a stand-in for each one, and the document's
// ToUnicode maps are rewritten afterwards (with QPDF's library, the only place it is used)
// so that copying and pdftotext give the real character back. Not thread-safe.
class AstralStandIns {
 public:
  // `text` (UTF-8) with each character above U+FFFF replaced by its stand-in, a private-use
  // character from U+E000 on (the same one for the same character). Patients' text never
  // holds private-use characters: the event rules refuse them.
  std::string substitute(std::string_view text);

  bool empty() const { return byCharacter_.empty(); }
  void clear() { byCharacter_.clear(); }

  // Rewrites every ToUnicode map libharu wrote for a UTF-8 font (an identity map) in the
  // PDF `pdf` so that each stand-in reads as its character; returns the new PDF. Output
  // is deterministic. Throws std::runtime_error if the PDF cannot be read or written.
  std::string restoreIn(const std::string& pdf) const;

 private:
  std::map<char32_t, char32_t> byCharacter_;  // character -> stand-in
};

}  // namespace wardprint::pdf
