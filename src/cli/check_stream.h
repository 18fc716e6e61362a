#pragma once

#include <cstddef>

#include "cli/check_ndjson_output.h"
#include "cli/profile_checker.h"
#include "cli/profile_stream.h"

namespace imgvisa {

/// `check --format ndjson -`: one record per non-blank line of `stream`, in input order, in
/// bounded memory. With `jobs` > 1 lines are checked in batches on worker threads
/// (sys/ordered_workers.h); the output is the same bytes as with one. Stops early when writing
/// fails; a failed read ends the stream with an error record.
void CheckStream(ProfileStream& stream, const ProfileChecker& checker, CheckNdjsonOutput& output,
                 std::size_t jobs);

}  // namespace imgvisa
