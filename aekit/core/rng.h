#pragma once
// One seeded random generator per run. The distributions are written out here rather than taken
// from <random>, whose distributions differ between standard libraries: the same seed gives the
// same numbers with any compiler.
#include <cstdint>
#include <random>
#include <string>

namespace aekit {

class Rng {
 public:
  explicit Rng(uint64_t seed = 0) : engine_(seed) {}
  uint64_t next_u64() { return engine_(); }
  // Uniform in [0, 1) with 24 random bits, as float.
  float uniform() { return static_cast<float>(engine_() >> 40) * 0x1.0p-24f; }
  float uniform(float low, float high) { return low + (high - low) * uniform(); }
  // Standard normal by Box-Muller (one value per call; the pair's second half is kept).
  float normal();
  float normal(float mean, float stddev) { return mean + stddev * normal(); }
  // Uniform integer in [0, n).
  uint64_t below(uint64_t n);
  // A new generator whose stream does not overlap this one's in practice (for sub-tasks).
  Rng split() { return Rng(engine_() ^ 0x9E3779B97F4A7C15ull); }
  // The whole state as text (the engine's words and the kept normal), so a checkpoint can resume
  // the stream exactly; set_state throws InputError on text state() did not write.
  std::string state() const;
  void set_state(const std::string& text);

 private:
  std::mt19937_64 engine_;
  bool has_spare_ = false;
  float spare_ = 0.0f;
};

// Fisher-Yates shuffle driven by Rng, identical on every platform.
template <typename It>
void shuffle(It first, It last, Rng& rng) {
  auto n = last - first;
  for (decltype(n) i = n - 1; i > 0; --i) {
    auto j = static_cast<decltype(n)>(rng.below(static_cast<uint64_t>(i) + 1));
    std::swap(first[i], first[j]);
  }
}

}  // namespace aekit
