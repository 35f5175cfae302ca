#include "pdf/pagination.h"

#include <doctest/doctest.h>

#include <memory>

using namespace wardprint::pdf;

namespace {

Chunk chunk(double height, std::size_t block, bool keepWithNext = false) {
  Chunk out;
  out.height = height;
  out.block = block;
  out.keepWithNext = keepWithNext;
  return out;
}

// The chunk indices on each page, with kRepeated for repeated titles.
std::vector<std::vector<std::size_t>> indices(const std::vector<PlacedPage>& pages) {
  std::vector<std::vector<std::size_t>> out;
  for (const auto& page : pages) {
    out.emplace_back();
    for (const auto& placed : page.placed) out.back().push_back(placed.index);
  }
  return out;
}

using Pages = std::vector<std::vector<std::size_t>>;

}  // namespace

TEST_CASE("chunks fill a page, spaced by the larger gap, with none at the top of a page") {
  std::vector<Chunk> chunks{chunk(40, 0), chunk(40, 1), chunk(40, 2)};
  chunks[0].spaceAfter = 5;
  chunks[1].spaceBefore = 10;
  chunks[2].spaceBefore = 30;  // 40 + 10 + 40 + 30 + 40 = 160: the third moves on
  const auto pages = paginate(chunks, 150);
  CHECK(indices(pages) == Pages{{0, 1}, {2}});
  CHECK(pages[0].placed[1].y == doctest::Approx(50));
  CHECK(pages[1].placed[0].y == doctest::Approx(0));
  CHECK(pages[0].filled == doctest::Approx(90));
}

TEST_CASE("a chunk that keeps with the next moves with it, unless the two cannot share a page") {
  struct Case {
    double secondHeight;
    Pages expected;
  };
  const Case cases[] = {
      {60, {{0, 1}, {2, 3}}},  // 2 and 3 fit together on a page: 2 moves on with 3
      {120, {{0, 1, 2}, {3}}},  // they never could: 2 stays where it fits
  };
  for (const auto& c : cases) {
    CAPTURE(c.secondHeight);
    const std::vector<Chunk> chunks{chunk(40, 0), chunk(40, 1), chunk(30, 2, true),
                                    chunk(c.secondHeight, 3)};
    CHECK(indices(paginate(chunks, 130)) == c.expected);
  }
}

TEST_CASE("a chunk with a repeated title has it above when it starts a page, not otherwise") {
  auto title = std::make_shared<const Chunk>(chunk(20, 0));
  std::vector<Chunk> chunks{chunk(60, 0, true), chunk(60, 0), chunk(60, 0), chunk(60, 0)};
  for (std::size_t i = 1; i < chunks.size(); ++i) chunks[i].resume = title;
  const auto pages = paginate(chunks, 130);
  CHECK(indices(pages) == Pages{{0, 1}, {kRepeated, 2}, {kRepeated, 3}});
  CHECK(pages[1].placed[0].chunk == title.get());
  CHECK(pages[1].placed[1].y == doctest::Approx(20));
}

TEST_CASE("a short last page takes whole blocks from the page before while that stays half full") {
  struct Case {
    std::vector<double> heights;  // one chunk per block
    Pages expected;
  };
  const Case cases[] = {
      // The last page would hold only block 4 (10 of 100): it takes block 3 and then block 2.
      {{30, 30, 20, 15, 10}, {{0, 1}, {2, 3, 4}}},
      // Taking block 1 would leave the page before under half full: the last page stays short.
      {{45, 45, 20}, {{0, 1}, {2}}},
      // A last page already full enough is left alone.
      {{50, 50, 40}, {{0, 1}, {2}}},
  };
  for (const auto& c : cases) {
    std::vector<Chunk> chunks;
    for (std::size_t i = 0; i < c.heights.size(); ++i) chunks.push_back(chunk(c.heights[i], i));
    CHECK(indices(paginate(chunks, 100)) == c.expected);
  }
}

TEST_CASE("blocks moved to a short last page take the heading that keeps with them") {
  // Block 2 is a heading kept with block 3; the last page would hold only block 4.
  const std::vector<Chunk> chunks{chunk(50, 0), chunk(20, 1), chunk(10, 2, true), chunk(15, 3),
                                  chunk(20, 4)};
  CHECK(indices(paginate(chunks, 100)) == Pages{{0, 1}, {2, 3, 4}});
}
