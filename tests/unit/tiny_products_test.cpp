// The plain loops of a tiny dense layer (backend/cpu/tiny_products.h) against the definitions
// summed in double, on the seeds' 20 -> 10 and 10 -> 20 shapes and a few rows; and a dense layer
// that runs them agrees with its oneDNN products to float tolerance, forward and backward, and
// keeps oneDNN's for a layer past the size limit.
#include <aekit/backend/cpu/tiny_products.h>
#include <aekit/core/rng.h>
#include <aekit/layers/dense.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>
#include <utility>
#include <vector>

namespace aekit {
namespace {

Tensor tiny_random(int64_t rows, int64_t cols, uint64_t seed) {
  Rng rng(seed);
  Tensor t({rows, cols});
  for (float& v : t.span()) v = static_cast<float>(rng.uniform(-1, 1));
  return t;
}

TEST(TinyProducts, EqualTheDefinitions) {
  for (const auto& [n, in, out] : {std::tuple<int64_t, int64_t, int64_t>{1, 20, 10}, {1, 10, 20}, {3, 7, 5}}) {
    const Tensor x = tiny_random(n, in, 1), w = tiny_random(out, in, 2), dz = tiny_random(n, out, 3);
    Tensor y({n, out}), dw({out, in}), dx({n, in});
    dw.fill(9.0f);  // every element is written
    dx.fill(9.0f);
    cpu::tiny_forward(x.view(), w.data(), y.view());
    cpu::tiny_weight_grad(dz.view(), x.view(), dw.data());
    cpu::tiny_input_grad(dz.view(), w.data(), dx.view());
    for (int64_t r = 0; r < n; ++r)
      for (int64_t j = 0; j < out; ++j) {
        double sum = 0.0;
        for (int64_t c = 0; c < in; ++c) sum += static_cast<double>(x[r * in + c]) * w[j * in + c];
        EXPECT_NEAR(y[r * out + j], sum, 1e-5) << "y " << r << ", " << j;
      }
    for (int64_t j = 0; j < out; ++j)
      for (int64_t c = 0; c < in; ++c) {
        double sum = 0.0;
        for (int64_t r = 0; r < n; ++r) sum += static_cast<double>(dz[r * out + j]) * x[r * in + c];
        EXPECT_NEAR(dw[j * in + c], sum, 1e-5) << "dw " << j << ", " << c;
      }
    for (int64_t r = 0; r < n; ++r)
      for (int64_t c = 0; c < in; ++c) {
        double sum = 0.0;
        for (int64_t j = 0; j < out; ++j) sum += static_cast<double>(dz[r * out + j]) * w[j * in + c];
        EXPECT_NEAR(dx[r * in + c], sum, 1e-5) << "dx " << r << ", " << c;
      }
  }
}

// Forward and backward of `layer` on one row; returns y, dW, db and dx end to end.
std::vector<float> dense_pass(Dense& layer, const Tensor& x, const Tensor& dy) {
  Tensor y, dx;
  layer.forward(x.view(), y, Mode::Train);
  layer.backward(dy.view(), &dx);
  std::vector<float> all(y.span().begin(), y.span().end());
  for (const Param& p : layer.params()) all.insert(all.end(), p.grad->span().begin(), p.grad->span().end());
  all.insert(all.end(), dx.span().begin(), dx.span().end());
  return all;
}

TEST(TinyProducts, DenseLayerAgreesWithItsOneDnnProducts) {
  for (const auto& [in, out] : {std::pair<int64_t, int64_t>{20, 10}, {40, 30}}) {  // 200 and 1,200 multiply-adds
    Dense layer(in, out, Activation::Sigmoid);
    const Tensor w = tiny_random(out, in, 4), b = tiny_random(1, out, 7);
    std::copy(w.span().begin(), w.span().end(), layer.weight().data());
    std::copy(b.span().begin(), b.span().end(), layer.bias().data());
    const Tensor x = tiny_random(1, in, 5), dy = tiny_random(1, out, 6);
    const std::vector<float> onednn = dense_pass(layer, x, dy);
    layer.set_plain_small_products(true);
    const std::vector<float> plain = dense_pass(layer, x, dy);
    ASSERT_EQ(onednn.size(), plain.size());
    for (size_t i = 0; i < plain.size(); ++i) EXPECT_NEAR(plain[i], onednn[i], 1e-5) << in << " -> " << out << ": " << i;
    if (in * out > cpu::kTinyProductMacs) {
      for (size_t i = 0; i < plain.size(); ++i) EXPECT_EQ(plain[i], onednn[i]) << "past the limit: oneDNN's own, " << i;
    }
  }
}

}  // namespace
}  // namespace aekit
