// The GEMM roofline of a training batch: times only the matrix products a dense autoencoder's
// training step does (per layer in -> out at batch B: y = x W^T, dW = dy^T x, and dx = dy W for
// every layer but the first, as aekit's Dense and Autoencoder do), with aekit::cpu::gemm on
// random data, and nothing else. A training step cannot be faster than this, so
// (this time) / (measured step time) is the fraction of the roofline a trainer reaches.
//
//   roofline --arch 784-128-64 --batch 256 [--decoder 64-128-784] [--threads N] [--seconds 1]
//
// Prints one JSON object: seconds_per_batch (median over timed blocks), flops_per_batch
// (2 m n k summed over the products), gflops, threads. The thread count is OpenMP's (aekit's
// default: all cores) unless --threads is given.
#include <aekit/backend/cpu/gemm.h>
#include <aekit/core/tensor.h>
#include <aekit/core/threads.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::vector<int64_t> parse_sizes(const std::string& text) {
  std::vector<int64_t> sizes;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, '-')) sizes.push_back(std::stoll(part));
  return sizes;
}

struct Layer {
  int64_t in, out;
  aekit::Tensor w, dw, x, y, dy, dx;
};

void fill(aekit::Tensor& t, std::mt19937& rng) {
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  for (float& v : t.span()) v = dist(rng);
}

void step(std::vector<Layer>& layers, int64_t b) {
  using aekit::cpu::gemm;
  for (Layer& l : layers)  // forward
    gemm(false, true, b, l.out, l.in, 1.0f, l.x.data(), l.in, l.w.data(), l.in, 0.0f, l.y.data(), l.out);
  for (size_t i = layers.size(); i-- > 0;) {  // backward
    Layer& l = layers[i];
    gemm(true, false, l.out, l.in, b, 1.0f, l.dy.data(), l.out, l.x.data(), l.in, 0.0f, l.dw.data(), l.in);
    if (i > 0)
      gemm(false, false, b, l.in, l.out, 1.0f, l.dy.data(), l.out, l.w.data(), l.in, 0.0f, l.dx.data(), l.in);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string arch = "784-128-64", decoder;
  int64_t batch = 256;
  int threads = 0;
  double seconds = 1.0;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--arch") arch = value;
    else if (flag == "--decoder") decoder = value;
    else if (flag == "--batch") batch = std::stoll(value);
    else if (flag == "--threads") threads = std::stoi(value);
    else if (flag == "--seconds") seconds = std::stod(value);
    else {
      std::fprintf(stderr, "roofline: unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  if (threads > 0) aekit::set_num_threads(threads);
  std::vector<int64_t> sizes = parse_sizes(arch);
  if (decoder.empty()) {
    for (size_t i = sizes.size() - 1; i-- > 0;) sizes.push_back(sizes[i]);
  } else {
    const std::vector<int64_t> dec = parse_sizes(decoder);
    sizes.insert(sizes.end(), dec.begin() + 1, dec.end());
  }
  std::mt19937 rng(1);
  std::vector<Layer> layers;
  double flops = 0;
  for (size_t i = 0; i + 1 < sizes.size(); ++i) {
    const int64_t in = sizes[i], out = sizes[i + 1];
    Layer l{in, out, aekit::Tensor({out, in}), aekit::Tensor({out, in}), aekit::Tensor({batch, in}),
            aekit::Tensor({batch, out}), aekit::Tensor({batch, out}), aekit::Tensor({batch, in})};
    for (aekit::Tensor* t : {&l.w, &l.x, &l.dy}) fill(*t, rng);
    flops += 2.0 * batch * in * out * (i == 0 ? 2 : 3);
    layers.push_back(std::move(l));
  }
  using Clock = std::chrono::steady_clock;
  for (int i = 0; i < 3; ++i) step(layers, batch);  // warm up: JIT kernels, pages, threads
  // Blocks of steps lasting ~20 ms each, for `seconds` in all; the median block is reported.
  const auto t0 = Clock::now();
  step(layers, batch);
  const double one = std::chrono::duration<double>(Clock::now() - t0).count();
  const int per_block = std::max(1, static_cast<int>(0.02 / std::max(one, 1e-7)));
  std::vector<double> blocks;
  const auto start = Clock::now();
  while (blocks.size() < 5 || std::chrono::duration<double>(Clock::now() - start).count() < seconds) {
    const auto b0 = Clock::now();
    for (int i = 0; i < per_block; ++i) step(layers, batch);
    blocks.push_back(std::chrono::duration<double>(Clock::now() - b0).count() / per_block);
  }
  std::nth_element(blocks.begin(), blocks.begin() + blocks.size() / 2, blocks.end());
  const double median = blocks[blocks.size() / 2];
  std::printf("{\"seconds_per_batch\": %.9g, \"flops_per_batch\": %.9g, \"gflops\": %.4g, \"threads\": %d}\n",
              median, flops, flops / median * 1e-9, aekit::num_threads());
  return 0;
}
