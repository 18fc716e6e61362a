#include "imgvisa/engine/verdict.h"

namespace imgvisa {

std::string_view VerdictName(VerdictKind kind) { return kVerdictNames[static_cast<int>(kind)]; }

bool IsOpen(VerdictKind kind) {
  return kind == VerdictKind::kEligible || kind == VerdictKind::kConditional;
}

}  // namespace imgvisa
