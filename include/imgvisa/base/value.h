#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "imgvisa/base/date.h"

namespace imgvisa {

/// The static type of a fact or an expression, checked when the rule set loads. A country (an
/// ISO 3166-1 alpha-2 code of base/country.h) is held as a string (Value::Kind::kString), so the
/// evaluator reads it as one; its type only decides what may be compared with it and what a
/// profile may hold. kCountry comes last: the rule image stores a type as its number.
enum class ValueType : std::uint8_t {
  kBool,
  kInteger,
  kNumber,
  kString,
  kEnum,
  kDate,
  kList,
  kCountry
};

/// Every type, in the order the rule language lists them.
inline constexpr ValueType kValueTypes[] = {
    ValueType::kBool, ValueType::kInteger, ValueType::kNumber,  ValueType::kString,
    ValueType::kEnum, ValueType::kDate,    ValueType::kCountry, ValueType::kList};

/// The type's name in rule files ("country").
std::string_view ValueTypeName(ValueType type);
/// Whether a known value of the type is a Value::Kind::kString.
inline bool HoldsString(ValueType type) {
  return type == ValueType::kString || type == ValueType::kCountry;
}

/// A fact value or an intermediate result. `kAbsent` is "unknown": never false, never zero.
/// Enums hold the index of their value in the fact's declaration, dates their day number, so
/// evaluation compares integers. Lists are shared, immutable and cheap to copy.
struct Value {
  enum class Kind : std::uint8_t {
    kAbsent,
    kBool,
    kInteger,
    kNumber,
    kString,
    kEnum,
    kDate,
    kList,
    kRecords
  };
  using Record = std::vector<Value>;

  Kind kind = Kind::kAbsent;
  bool boolean = false;
  std::int64_t integer = 0;  ///< kInteger; kEnum index; kDate day number
  double number = 0;
  std::string string;
  std::shared_ptr<const std::vector<Value>> list;      ///< kList: scalars
  std::shared_ptr<const std::vector<Record>> records;  ///< kRecords: by field index

  bool known() const { return kind != Kind::kAbsent; }

  static Value Bool(bool b);
  static Value Integer(std::int64_t i);
  static Value Number(double d);
  static Value String(std::string s);
  static Value Enum(std::int64_t index);
  static Value OfDate(Date d);

  Date date() const { return Date::FromDays(static_cast<std::int32_t>(integer)); }
  double AsNumber() const { return kind == Kind::kNumber ? number : static_cast<double>(integer); }

  /// Member by member, lists and records by content (not by the pointer that shares them).
  friend bool operator==(const Value& a, const Value& b);
};

}  // namespace imgvisa
