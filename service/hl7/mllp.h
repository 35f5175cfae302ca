#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace wardprint::hl7 {

constexpr char kMllpStart = 0x0B;
constexpr char kMllpEnd = 0x1C;
constexpr char kMllpTrailer = 0x0D;

// What the decoder found in the byte stream.
struct MllpEvent {
  enum class Kind {
    kFrame,         // a complete message: payload holds it, without the framing bytes
    kGarbage,       // bytes outside a frame that are not NUL or white space (bytes = count)
    kOversize,      // a frame grew past the limit (bytes = limit + 1); the rest of it, up to
                    // its end byte, is dropped unseen
    kUnterminated,  // a new start byte arrived inside a frame: the open frame is dropped
  };
  Kind kind;
  std::string payload;    // kFrame only
  std::size_t bytes = 0;  // how many bytes the event covers (payload size for kFrame)
};

// A streaming MLLP decoder: feed it bytes as they arrive, in any split, and it returns the
// events they complete. Between frames it skips NULs, spaces, tabs, CR and LF silently and
// reports any other bytes as garbage. The end byte 0x1C completes the frame at once; the CR
// after it is swallowed, and any other byte there is read as outside a frame. One decoder per
// connection; not thread-safe.
class MllpDecoder {
 public:
  explicit MllpDecoder(std::size_t maxMessageBytes);

  std::vector<MllpEvent> feed(std::string_view bytes);

  // True while a frame is open (its end byte not yet seen): a connection that closes or
  // idles out now has sent an incomplete message.
  bool insideFrame() const {
    return state_ == State::kInside || state_ == State::kSkippingOversize;
  }

 private:
  enum class State { kOutside, kInside, kAfterEnd, kSkippingOversize };

  void byteOutside(char c, std::vector<MllpEvent>& events);
  void flushGarbage(std::vector<MllpEvent>& events);

  std::size_t maxMessageBytes_;
  State state_ = State::kOutside;
  std::string frame_;
  std::size_t garbage_ = 0;
};

// Wraps a message (an ACK) in an MLLP frame.
std::string encodeMllpFrame(std::string_view message);

}  // namespace wardprint::hl7
