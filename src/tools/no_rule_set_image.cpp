#include "imgvisa/evaluator.h"
#include "imgvisa/rule_set_image.h"

namespace imgvisa {

// The build tool that makes the image and the compiled conditions cannot contain them: it loads
// the embedded JSON and evaluates, if ever, by the evaluator's steps.
std::string_view EmbeddedRuleSetImage() { return {}; }
const CompiledConditions* EmbeddedCompiledConditions() { return nullptr; }

}  // namespace imgvisa
