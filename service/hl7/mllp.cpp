#include "hl7/mllp.h"

namespace wardprint::hl7 {
namespace {

bool ignorableBetweenFrames(char c) {
  return c == '\0' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

}  // namespace

MllpDecoder::MllpDecoder(std::size_t maxMessageBytes) : maxMessageBytes_(maxMessageBytes) {}

void MllpDecoder::flushGarbage(std::vector<MllpEvent>& events) {
  if (garbage_ == 0) return;
  events.push_back({MllpEvent::Kind::kGarbage, {}, garbage_});
  garbage_ = 0;
}

void MllpDecoder::byteOutside(char c, std::vector<MllpEvent>& events) {
  if (c == kMllpStart) {
    flushGarbage(events);
    state_ = State::kInside;
    frame_.clear();
  } else if (!ignorableBetweenFrames(c)) {
    ++garbage_;
  }
}

std::vector<MllpEvent> MllpDecoder::feed(std::string_view bytes) {
  std::vector<MllpEvent> events;
  for (const char c : bytes) {
    switch (state_) {
      case State::kOutside:
        byteOutside(c, events);
        break;
      case State::kInside:
        if (c == kMllpEnd) {
          events.push_back({MllpEvent::Kind::kFrame, frame_, frame_.size()});
          frame_.clear();
          state_ = State::kAfterEnd;
        } else if (c == kMllpStart) {
          events.push_back({MllpEvent::Kind::kUnterminated, {}, frame_.size()});
          frame_.clear();
        } else if (frame_.size() >= maxMessageBytes_) {
          events.push_back({MllpEvent::Kind::kOversize, {}, frame_.size() + 1});
          frame_.clear();
          frame_.shrink_to_fit();
          state_ = State::kSkippingOversize;
        } else {
          frame_ += c;
        }
        break;
      case State::kAfterEnd:
        state_ = State::kOutside;
        if (c != kMllpTrailer) byteOutside(c, events);
        break;
      case State::kSkippingOversize:
        // The end byte closes the oversize frame; its trailing CR is skipped as white space.
        if (c == kMllpEnd) {
          state_ = State::kAfterEnd;
        } else if (c == kMllpStart) {
          state_ = State::kInside;
        }
        break;
    }
  }
  flushGarbage(events);
  return events;
}

std::string encodeMllpFrame(std::string_view message) {
  std::string frame;
  frame.reserve(message.size() + 3);
  frame += kMllpStart;
  frame.append(message);
  frame += kMllpEnd;
  frame += kMllpTrailer;
  return frame;
}

}  // namespace wardprint::hl7
