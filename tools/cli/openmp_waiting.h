#pragma once
// How long an idle OpenMP thread spins before it sleeps, set for the whole aekit process.
#include <string>

namespace aekit::cli {

// The wait policy aekit runs with unless the user sets OMP_WAIT_POLICY or GOMP_SPINCOUNT.
inline constexpr const char* kDefaultWaitPolicy = "passive";

// libgomp reads its waiting policy from the environment once, while it loads, before main()
// runs: the only way to change it from inside is to set OMP_WAIT_POLICY and exec the program
// again. Does that (at most once: the second run finds the variable set) unless the user chose a
// policy. Returns only when no exec was needed or the exec failed (then libgomp's default stays).
void bound_openmp_spinning(char** argv);

// "OMP_WAIT_POLICY=passive (aekit's default)" or what the user set, for `aekit info --system`.
std::string openmp_waiting_description();

}  // namespace aekit::cli
