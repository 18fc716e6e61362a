#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <vector>

namespace imgvisa {

/// A set of small ids (fact ids, unsettled ids), iterated in ascending order. Kept as a bitset
/// because merging the reasons of unknown outcomes is the inner loop of evaluation: a merge is
/// a few ORs, and sets of ids below kInlineIds never allocate.
class IdSet {
 public:
  static constexpr std::size_t kInlineIds = 256;

  IdSet() = default;
  IdSet(std::initializer_list<std::uint16_t> ids);

  // The common cases inline: sets are cleared, filled and merged for every item evaluated.
  bool empty() const {
    std::uint64_t any = 0;
    for (std::uint64_t w : inline_) any |= w;
    return any == 0 && OverflowEmpty();
  }
  std::size_t size() const;
  bool contains(std::uint16_t id) const;
  void Insert(std::uint16_t id) {
    if (id < kInlineIds) {
      inline_[id / 64] |= std::uint64_t{1} << (id % 64);
    } else {
      InsertOverflow(id);
    }
  }
  void Merge(const IdSet& other) {
    for (std::size_t w = 0; w < kInlineWords; ++w) inline_[w] |= other.inline_[w];
    if (!other.overflow_.empty()) MergeOverflow(other);
  }
  void clear() {
    inline_.fill(0);
    overflow_.clear();
  }

  class Iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = std::uint16_t;
    using difference_type = std::ptrdiff_t;
    using pointer = const std::uint16_t*;
    using reference = std::uint16_t;
    Iterator() = default;
    std::uint16_t operator*() const { return static_cast<std::uint16_t>(id_); }
    Iterator& operator++() {
      id_ = set_->NextFrom(id_ + 1);
      return *this;
    }
    Iterator operator++(int) {
      Iterator before = *this;
      ++*this;
      return before;
    }
    bool operator==(const Iterator& other) const { return id_ == other.id_; }

   private:
    friend class IdSet;
    Iterator(const IdSet* set, std::size_t id) : set_(set), id_(id) {}
    const IdSet* set_ = nullptr;
    std::size_t id_ = 0;
  };
  /// Calls `f(id)` for each id in ascending order: a word's bits taken one by one, where the
  /// iterator looks for the next id from scratch each step.
  template <typename F>
  void ForEach(F&& f) const {
    for (std::size_t w = 0; w < WordCount(); ++w) {
      for (std::uint64_t bits = Word(w); bits != 0; bits &= bits - 1) {
        f(static_cast<std::uint16_t>(w * 64 + static_cast<std::size_t>(std::countr_zero(bits))));
      }
    }
  }

  Iterator begin() const { return Iterator(this, NextFrom(0)); }
  Iterator end() const { return Iterator(this, kEnd); }

  friend bool operator==(const IdSet& a, const IdSet& b);

 private:
  static constexpr std::size_t kInlineWords = kInlineIds / 64;
  static constexpr std::size_t kEnd = std::size_t{1} << 16;  // past every uint16_t id

  bool OverflowEmpty() const;
  void InsertOverflow(std::uint16_t id);
  void MergeOverflow(const IdSet& other);
  std::size_t WordCount() const { return kInlineWords + overflow_.size(); }
  std::uint64_t Word(std::size_t w) const {
    return w < kInlineWords ? inline_[w] : overflow_[w - kInlineWords];
  }
  /// The smallest id in the set that is ≥ `from`, or kEnd.
  std::size_t NextFrom(std::size_t from) const {
    std::size_t w = from / 64;
    if (w < kInlineWords) {
      std::uint64_t bits = inline_[w] & (~std::uint64_t{0} << (from % 64));
      while (true) {
        if (bits != 0) return w * 64 + static_cast<std::size_t>(std::countr_zero(bits));
        if (++w == kInlineWords) break;
        bits = inline_[w];
      }
    }
    return overflow_.empty() ? kEnd : NextInOverflow(std::max(from, kInlineIds));
  }
  std::size_t NextInOverflow(std::size_t from) const;

  std::array<std::uint64_t, kInlineWords> inline_{};
  std::vector<std::uint64_t> overflow_;  ///< words for ids ≥ kInlineIds, rarely any
};

}  // namespace imgvisa
