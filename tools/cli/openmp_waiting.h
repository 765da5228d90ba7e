#pragma once
// Every program this file is linked into (the aekit command and the benchmarks in bench/) runs with
// OMP_WAIT_POLICY=passive unless the user set OMP_WAIT_POLICY or GOMP_SPINCOUNT, and with
// OpenBLAS's shortest spin (OPENBLAS_THREAD_TIMEOUT=4) unless that is set: linking it is all it
// takes, as it acts before main() (openmp_waiting.cpp says how and why).
#include <string>

namespace aekit::cli {

// "OMP_WAIT_POLICY=passive (aekit's default)" or what the user set, for `aekit info --system`.
std::string openmp_waiting_description();

}  // namespace aekit::cli
