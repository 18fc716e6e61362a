#include "imgvisa/base/outcome.h"

namespace imgvisa {

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kMet:
      return "met";
    case Outcome::kUnmet:
      return "unmet";
    case Outcome::kUnknown:
      return "unknown";
  }
  return "unknown";
}

}  // namespace imgvisa
