// The reference convolutional autoencoder's last layer forward (issue 11): ConvTranspose2d
// 16x14x14 -> 1x28x28 (kernel 3, stride 2, padding 1, output_padding 1) with bias and sigmoid, on a
// batch of 128 images that arrives in oneDNN's channel-blocked layout from the layer before, at 1
// thread: narrow_deconvolution.h's kernel. Beside it the same layer on an NCHW input, which
// oneDNN computes (im2col + GEMM). CPU time per batch (the machine is shared while developing):
//
//   narrow_deconv_bench [--benchmark_filter=...]
#include <aekit/backend/cpu/convolution.h>
#include <aekit/core/threads.h>

#include <benchmark/benchmark.h>

#include <cmath>
#include <vector>

namespace {

void LastDecoderLayerForward(benchmark::State& state) {
  aekit::cpu::ConvGeometry g;
  g.batch = 128;
  g.in_channels = 16, g.in_h = 14, g.in_w = 14;
  g.out_channels = 1, g.out_h = 28, g.out_w = 28;
  g.kernel_h = g.kernel_w = 3, g.stride_h = g.stride_w = 2, g.pad_h = g.pad_w = 1;
  const bool blocked = state.range(0) != 0;
  if (blocked && !aekit::cpu::can_block_channels(g.in_channels)) {
    state.SkipWithError("no 16-channel blocks on this CPU");
    return;
  }
  g.in_layout = blocked ? aekit::cpu::ImageLayout::Blocked : aekit::cpu::ImageLayout::Plain;
  std::vector<float> x(static_cast<size_t>(g.batch * 16 * 14 * 14)), w(16 * 9), bias{0.1f}, y(g.batch * 28 * 28);
  for (size_t i = 0; i < x.size(); ++i) x[i] = std::sin(static_cast<float>(i));
  for (size_t i = 0; i < w.size(); ++i) w[i] = std::cos(static_cast<float>(i)) * 0.3f;
  aekit::set_num_threads(1);
  for (auto _ : state) {
    aekit::cpu::conv_transpose2d_forward(g, x.data(), w.data(), bias.data(), y.data(), aekit::Activation::Sigmoid);
    benchmark::DoNotOptimize(y.data());
  }
}
BENCHMARK(LastDecoderLayerForward)->ArgName("blocked")->Arg(1)->Arg(0)->Unit(benchmark::kMicrosecond)->MeasureProcessCPUTime();

}  // namespace

BENCHMARK_MAIN();
