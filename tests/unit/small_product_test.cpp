// cpu::gemm and cpu::linear_forward run small products on one thread (backend/cpu/small_product.h).
// That may not change a result: for every shape they send to one thread, oneDNN's product on one
// thread must give the bits of its product on two, or training at --threads 2 would change. This
// checks oneDNN itself, on this CPU, on a grid that covers the dense layers aekit builds.
#include <aekit/backend/cpu/small_product.h>
#include <aekit/core/rng.h>
#include <aekit/core/threads.h>

#include <gtest/gtest.h>
#include <oneapi/dnnl/dnnl.h>
#include <oneapi/dnnl/dnnl.hpp>

#include <cstring>
#include <vector>

namespace aekit {
namespace {

constexpr int64_t kProductSizes[] = {2, 3, 16, 30, 64, 128, 256, 784, 1000};
constexpr int64_t kDepths[] = {1, 32, 128, 256, 784, 4096};

std::vector<float> random_values(int64_t n, Rng& rng) {
  std::vector<float> v(static_cast<size_t>(n));
  for (float& x : v) x = rng.normal();
  return v;
}

bool product_same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// C = op(A) B at `threads` threads through dnnl_sgemm, as cpu::gemm calls it (B never transposed
// on the one-thread path).
std::vector<float> sgemm(char trans_a, int64_t m, int64_t n, int64_t k, const std::vector<float>& a,
                         const std::vector<float>& b, int threads) {
  set_num_threads(threads);
  std::vector<float> c(static_cast<size_t>(m * n));
  EXPECT_EQ(dnnl_sgemm(trans_a, 'N', m, n, k, 1.0f, a.data(), trans_a == 'T' ? m : k, b.data(), n, 0.0f, c.data(), n),
            dnnl_success);
  return c;
}

TEST(SmallProduct, OneThreadSgemmGivesTheBitsOfTwo) {
  Rng rng(7);
  int checked = 0;
  for (int64_t m : kProductSizes)
    for (int64_t n : kProductSizes)
      for (int64_t k : kDepths) {
        if (!cpu::runs_on_one_thread(m, n, k) || m * n * k < 4096) continue;
        const std::vector<float> a = random_values(m * k, rng), b = random_values(k * n, rng);
        for (char trans_a : {'N', 'T'}) {
          EXPECT_TRUE(product_same_bits(sgemm(trans_a, m, n, k, a, b, 1), sgemm(trans_a, m, n, k, a, b, 2)))
              << trans_a << "N m=" << m << " n=" << n << " k=" << k;
          ++checked;
        }
      }
  set_num_threads(1);
  EXPECT_GT(checked, 200);
}

// y = sigmoid(x W^T + bias) through a oneDNN matmul primitive created for `threads` threads, as
// cpu::linear_forward makes it.
std::vector<float> matmul(int64_t m, int64_t n, int64_t k, const std::vector<float>& x, const std::vector<float>& w,
                          const std::vector<float>& bias, int threads) {
  using dnnl::memory;
  using tag = memory::format_tag;
  using dt = memory::data_type;
  set_num_threads(threads);
  const dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  const memory::desc x_md({m, k}, dt::f32, tag::ab), w_md({k, n}, dt::f32, tag::ba), y_md({m, n}, dt::f32, tag::ab),
      bias_md({1, n}, dt::f32, tag::ab);
  dnnl::post_ops post_ops;
  post_ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_logistic, 0.0f, 0.0f);
  dnnl::primitive_attr attr;
  attr.set_post_ops(post_ops);
  const dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(x_md, w_md, bias_md, y_md), attr, engine);
  std::vector<float> y(static_cast<size_t>(m * n));
  memory xm(x_md, engine, const_cast<float*>(x.data())), wm(w_md, engine, const_cast<float*>(w.data())),
      bm(bias_md, engine, const_cast<float*>(bias.data())), ym(y_md, engine, y.data());
  dnnl::stream stream(engine);
  dnnl::matmul(pd).execute(stream, {{DNNL_ARG_SRC, xm}, {DNNL_ARG_WEIGHTS, wm}, {DNNL_ARG_BIAS, bm}, {DNNL_ARG_DST, ym}});
  stream.wait();
  return y;
}

TEST(SmallProduct, OneThreadMatmulGivesTheBitsOfTwo) {
  Rng rng(8);
  int checked = 0;
  for (int64_t rows : {2, 32, 256, 1024})
    for (int64_t out : kProductSizes)
      for (int64_t in : kProductSizes) {
        if (!cpu::runs_on_one_thread(rows, out, in) || rows * out * in < 4096) continue;
        const std::vector<float> x = random_values(rows * in, rng), w = random_values(out * in, rng),
                                 bias = random_values(out, rng);
        EXPECT_TRUE(product_same_bits(matmul(rows, out, in, x, w, bias, 1), matmul(rows, out, in, x, w, bias, 2)))
            << "rows=" << rows << " out=" << out << " in=" << in;
        ++checked;
      }
  set_num_threads(1);
  EXPECT_GT(checked, 50);
}

}  // namespace
}  // namespace aekit
