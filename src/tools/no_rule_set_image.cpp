#include "imgvisa/rules/rule_set_image.h"

namespace imgvisa {

// The build tool that makes the image cannot contain it: it loads the embedded JSON.
std::string_view EmbeddedRuleSetImage() { return {}; }

}  // namespace imgvisa
