#include "imgvisa/base/id_set.h"

#include <algorithm>
#include <bit>

namespace imgvisa {

IdSet::IdSet(std::initializer_list<std::uint16_t> ids) {
  for (std::uint16_t id : ids) Insert(id);
}

bool IdSet::OverflowEmpty() const {
  return std::all_of(overflow_.begin(), overflow_.end(), [](std::uint64_t w) { return w == 0; });
}

std::size_t IdSet::size() const {
  std::size_t n = 0;
  for (std::size_t w = 0; w < WordCount(); ++w)
    n += static_cast<std::size_t>(std::popcount(Word(w)));
  return n;
}

bool IdSet::contains(std::uint16_t id) const {
  const std::size_t w = id / 64;
  return w < WordCount() && ((Word(w) >> (id % 64)) & 1u) != 0;
}

void IdSet::InsertOverflow(std::uint16_t id) {
  const std::size_t w = id / 64 - kInlineWords;
  if (w >= overflow_.size()) overflow_.resize(w + 1, 0);
  overflow_[w] |= std::uint64_t{1} << (id % 64);
}

void IdSet::MergeOverflow(const IdSet& other) {
  if (overflow_.size() < other.overflow_.size()) overflow_.resize(other.overflow_.size(), 0);
  for (std::size_t w = 0; w < other.overflow_.size(); ++w) overflow_[w] |= other.overflow_[w];
}

std::size_t IdSet::NextInOverflow(std::size_t from) const {
  std::size_t w = from / 64;
  if (w >= WordCount()) return kEnd;
  std::uint64_t bits = Word(w) & (~std::uint64_t{0} << (from % 64));
  while (true) {
    if (bits != 0) return w * 64 + static_cast<std::size_t>(std::countr_zero(bits));
    if (++w >= WordCount()) return kEnd;
    bits = Word(w);
  }
}

bool operator==(const IdSet& a, const IdSet& b) {
  // Equal as sets: a word of zeros beyond the other's last word changes nothing.
  const std::size_t n = std::max(a.WordCount(), b.WordCount());
  for (std::size_t w = 0; w < n; ++w) {
    const std::uint64_t x = w < a.WordCount() ? a.Word(w) : 0;
    const std::uint64_t y = w < b.WordCount() ? b.Word(w) : 0;
    if (x != y) return false;
  }
  return true;
}

}  // namespace imgvisa
