/* Counts the OpenMP parallel regions a program starts, for issue 5's "fewer regions per batch":
 * an LD_PRELOAD interposer on libgomp's GOMP_parallel (what GCC emits for every `omp parallel`,
 * aekit's and oneDNN's alike). A region whose `if` clause was false still calls GOMP_parallel with
 * one thread: it is counted apart, as it wakes no thread.
 *
 *   gcc -O2 -shared -fPIC -o /tmp/gomp_regions.so bench/gomp_regions.c -ldl
 *   LD_PRELOAD=/tmp/gomp_regions.so build/aekit train --data mnist:train --epochs 1 ...
 *
 * Regions per batch: run 1 and 2 epochs and divide the difference by the batches of an epoch
 * (what happens before and after training cancels out). GOMP_REGIONS_WHO=1 prints, per region,
 * the first caller frame inside the aekit binary (resolve it with addr2line -f -C -e build/aekit).
 * Not built by CMake, which builds each bench .cpp file into a benchmark. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <execinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long regions, serial;

typedef void (*gomp_parallel_fn)(void (*)(void *), void *, unsigned, unsigned);

static void print_caller(void) {
  void *frames[16];
  int n = backtrace(frames, 16);
  char **names = backtrace_symbols(frames, n);
  if (!names) return;
  for (int i = 1; i < n; ++i)
    if (strstr(names[i], "/aekit(")) {
      fprintf(stderr, "region from %s\n", names[i]);
      break;
    }
  free(names);
}

void GOMP_parallel(void (*fn)(void *), void *data, unsigned threads, unsigned flags) {
  static gomp_parallel_fn real;
  if (!real) real = (gomp_parallel_fn)dlsym(RTLD_NEXT, "GOMP_parallel");
  if (threads == 1) {
    __atomic_add_fetch(&serial, 1, __ATOMIC_RELAXED);
  } else {
    __atomic_add_fetch(&regions, 1, __ATOMIC_RELAXED);
    if (getenv("GOMP_REGIONS_WHO")) print_caller();
  }
  real(fn, data, threads, flags);
}

__attribute__((destructor)) static void report(void) {
  fprintf(stderr, "GOMP_parallel: %lu regions, %lu with a false if clause (one thread)\n", regions, serial);
}
