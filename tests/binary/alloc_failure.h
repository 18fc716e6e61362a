#pragma once

// Fault injection for allocation failure: linking alloc_failure.cpp replaces the global
// operator new/delete of the executable with versions that can be told to throw
// std::bad_alloc at the Nth allocation (docs/reliability.md).

namespace imgvisa::testing {

/// Counts allocations from now on and makes the `n`th one (1-based) throw std::bad_alloc;
/// later ones succeed again. `n` = 0 counts without failing.
void FailAllocationAt(long n);

/// Stops counting and failing.
void StopAllocationFaults();

/// Allocations counted since the last FailAllocationAt.
long AllocationsCounted();

/// Whether the armed failure happened.
bool AllocationFailureHappened();

}  // namespace imgvisa::testing
