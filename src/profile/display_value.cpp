#include "imgvisa/profile/display_value.h"

#include <fmt/format.h>

namespace imgvisa {

std::string DisplayValue(const Value& v, const FactDecl* decl) {
  switch (v.kind) {
    case Value::Kind::kAbsent:
      return "unknown";
    case Value::Kind::kBool:
      return v.boolean ? "yes" : "no";
    case Value::Kind::kInteger:
      return std::to_string(v.integer);
    case Value::Kind::kNumber:
      return fmt::format("{}", v.number);
    case Value::Kind::kString:
      return v.string;
    case Value::Kind::kEnum:
      if (decl != nullptr && v.integer >= 0 &&
          static_cast<std::size_t>(v.integer) < decl->values.size()) {
        return decl->values[static_cast<std::size_t>(v.integer)];
      }
      return std::to_string(v.integer);
    case Value::Kind::kDate:
      return v.date().ToString();
    case Value::Kind::kList: {
      std::string out;
      for (const Value& item : *v.list) {
        if (!out.empty()) out += ", ";
        out += DisplayValue(item, decl);
      }
      return out.empty() ? "none" : out;
    }
    case Value::Kind::kRecords:
      return fmt::format("{} record{}", v.records->size(), v.records->size() == 1 ? "" : "s");
  }
  return "unknown";
}

}  // namespace imgvisa
