#pragma once
// The thread count aekit picks when none is given (--threads 0). Two things decide:
//  - the work: one thread per kThreadWorkQuantum floating-point operations of a training batch.
//    A batch runs parallel regions (a dozen or more through the layer path; two for a plain dense
//    chain, train/data_parallel_step.h), each ending in a barrier; below that much work a second
//    thread costs more at the barriers than it saves (the seeds' MNIST model at batch 32, 42 MFLOP
//    per batch, runs on one thread; at batch 256, 335 MFLOP, on up to five).
//  - the machine: cores already busy with other runnable tasks are not counted. An aekit thread
//    that shares a core with another CPU-bound process is descheduled for whole time slices while
//    its partner waits at the next barrier, so on a 2-core machine with one busy process a
//    2-thread epoch took longer than a 1-thread one.
// OMP_NUM_THREADS, when set, is taken as the user's choice. The choice is printed in the training
// banner; results are bit-identical for a given seed and thread count, so pass --threads to
// reproduce a run exactly on a machine whose load may differ.
#include <string>

namespace aekit {

// Floating-point operations per training batch that justify one more thread.
inline constexpr double kThreadWorkQuantum = 64e6;

// The same for steps that run on aekit's worker team (worker_team.h; a recommender's rating
// rows), whose threads wait for the next loop by spinning briefly: a loop's hand-over costs about
// a microsecond there, against an OpenMP region's passive wake-up of 50-70 us on the 2-core VM,
// and the trainer's StepThreads falls back to one thread step by step wherever that is faster.
// So the quantum only keeps tiny steps off many cores: a million flops is ~30 us of work on one
// thread (the seeds' step at 2.2 MFLOP ran in 25 us on two threads against 33 us on one).
inline constexpr double kTeamWorkQuantum = 1e6;

struct ThreadChoice {
  int threads = 1;
  std::string reason;  // "auto: 335 MFLOP per batch, 2 cores, 1 busy elsewhere"
};

// The rule, without looking at the machine: cores as OpenMP counts them (affinity respected),
// busy_elsewhere the runnable tasks of other processes.
// quantum: kThreadWorkQuantum, or kTeamWorkQuantum for work on the worker team.
ThreadChoice choose_threads(double flops_per_batch, int cores, int busy_elsewhere,
                            double quantum = kThreadWorkQuantum);

// Threads of this process that are running or runnable (state R), the caller included; 1 where
// /proc/self/task cannot be read. Libraries start threads of their own before main(): OpenBLAS's
// workers spin in sched_yield() for a while after they are created, and counted as load elsewhere
// they made the default choose 1 thread on an idle machine.
int own_running_threads();

// Runnable tasks of other processes (procs_running in /proc/stat less this process's running
// threads, the smallest of a few readings a millisecond apart); 0 where /proc/stat cannot be read.
int runnable_elsewhere();

// For `threads` > 0: that many (the user's --threads). For 0: OMP_NUM_THREADS when set, otherwise
// choose_threads on this machine. Does not set anything; see set_num_threads.
ThreadChoice thread_choice(int threads, double flops_per_batch, double quantum = kThreadWorkQuantum);

}  // namespace aekit
