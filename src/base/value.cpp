#include "imgvisa/base/value.h"

namespace imgvisa {

std::string_view ValueTypeName(ValueType type) {
  switch (type) {
    case ValueType::kBool:
      return "bool";
    case ValueType::kInteger:
      return "integer";
    case ValueType::kNumber:
      return "number";
    case ValueType::kString:
      return "string";
    case ValueType::kEnum:
      return "enum";
    case ValueType::kDate:
      return "date";
    case ValueType::kList:
      return "list";
    case ValueType::kCountry:
      return "country";
  }
  return "?";
}

Value Value::Bool(bool b) {
  Value v;
  v.kind = Kind::kBool;
  v.boolean = b;
  return v;
}
Value Value::Integer(std::int64_t i) {
  Value v;
  v.kind = Kind::kInteger;
  v.integer = i;
  return v;
}
Value Value::Number(double d) {
  Value v;
  v.kind = Kind::kNumber;
  v.number = d;
  return v;
}
Value Value::String(std::string s) {
  Value v;
  v.kind = Kind::kString;
  v.string = std::move(s);
  return v;
}
Value Value::Enum(std::int64_t index) {
  Value v;
  v.kind = Kind::kEnum;
  v.integer = index;
  return v;
}
Value Value::OfDate(Date d) {
  Value v;
  v.kind = Kind::kDate;
  v.integer = d.days();
  return v;
}

namespace {
template <typename T>
bool SameContent(const std::shared_ptr<const T>& a, const std::shared_ptr<const T>& b) {
  if (!a || !b) return a == b;
  return *a == *b;
}
}  // namespace

bool operator==(const Value& a, const Value& b) {
  return a.kind == b.kind && a.boolean == b.boolean && a.integer == b.integer &&
         a.number == b.number && a.string == b.string && SameContent(a.list, b.list) &&
         SameContent(a.records, b.records);
}

}  // namespace imgvisa
