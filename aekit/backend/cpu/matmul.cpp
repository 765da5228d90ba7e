#include <aekit/backend/cpu/matmul.h>

#include <aekit/backend/cpu/dnnl_post_ops.h>
#include <aekit/backend/cpu/elementwise.h>
#include <aekit/backend/cpu/gemm.h>
#include <aekit/backend/cpu/small_product.h>
#include <aekit/backend/cpu/team_products.h>
#include <aekit/core/error.h>

#include <map>
#include <oneapi/dnnl/dnnl.hpp>
#include <omp.h>
#include <tuple>

namespace aekit::cpu {

namespace {

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

dnnl::engine& engine() {
  static dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  return eng;
}

// C (m x n, fp32) = op(A) (m x k) * op(B) (k x n) [+ bias] [then act]; A and B fp32 or both bf16.
struct Key {
  int64_t m, n, k;
  Activation act;
  bool bias;
  bool trans_a = false, trans_b = true;  // the dense forward's layout: W (n x k) is B transposed
  bool bf16 = false;
  int threads = 0;  // the kernel's blocking is chosen for the thread count at creation
  int64_t ldc = 0;  // C's row stride when it is a block of a wider output's columns (0: n)
  bool operator<(const Key& o) const {
    return std::tie(m, n, k, act, bias, trans_a, trans_b, bf16, threads, ldc) <
           std::tie(o.m, o.n, o.k, o.act, o.bias, o.trans_a, o.trans_b, o.bf16, o.threads, o.ldc);
  }
};

// Shapes in a training run are few (one per layer and batch size, plus a last partial batch);
// past this many the cache starts over rather than grow without bound.
constexpr std::size_t kMaxCached = 64;

struct Entry {
  dnnl::matmul prim;
  memory a, b, bias, c;
};

// A transposed operand is the same row-major buffer read through the layout "ba" (no copy): for
// the dense forward, W stored n x k is the k x n weights operand in "ba".
dnnl::matmul::primitive_desc make_primitive_desc(const Key& key) {
  const dt in_type = key.bf16 ? dt::bf16 : dt::f32;
  memory::desc a_md({key.m, key.k}, in_type, key.trans_a ? tag::ba : tag::ab);
  memory::desc b_md({key.k, key.n}, in_type, key.trans_b ? tag::ba : tag::ab);
  memory::desc c_md = key.ldc == 0 ? memory::desc({key.m, key.n}, dt::f32, tag::ab)
                                    : memory::desc({key.m, key.n}, dt::f32, memory::dims{key.ldc, 1});
  memory::desc bias_md = key.bias ? memory::desc({1, key.n}, dt::f32, tag::ab) : memory::desc();
  dnnl::post_ops po;
  append_activation(po, key.act);
  dnnl::primitive_attr attr;
  attr.set_post_ops(po);
  return {dnnl::matmul::desc(a_md, b_md, bias_md, c_md), attr, engine()};
}

Entry make_entry(const Key& key) {
  const auto pd = make_primitive_desc(key);
  Entry e{dnnl::matmul(pd), memory(pd.src_desc(), engine(), nullptr), memory(pd.weights_desc(), engine(), nullptr),
          memory(), memory(pd.dst_desc(), engine(), nullptr)};
  if (key.bias) e.bias = memory(memory::desc({1, key.n}, dt::f32, tag::ab), engine(), nullptr);
  return e;
}

void run(Key key, const void* a, const void* b, const float* bias, float* c) {
  // Per calling thread, so that two threads never share one set of memory objects.
  thread_local std::map<Key, Entry> cache;
  const OneThreadScope scope(runs_on_one_thread(key.m, key.n, key.k));
  key.threads = omp_get_max_threads();
  if (cache.size() >= kMaxCached) cache.clear();
  auto it = cache.find(key);
  if (it == cache.end()) it = cache.emplace(key, make_entry(key)).first;
  Entry& e = it->second;
  e.a.set_data_handle(const_cast<void*>(a));
  e.b.set_data_handle(const_cast<void*>(b));
  e.c.set_data_handle(c);
  thread_local dnnl::stream stream(engine());
  if (key.bias) {
    e.bias.set_data_handle(const_cast<float*>(bias));
    e.prim.execute(stream, {{DNNL_ARG_SRC, e.a}, {DNNL_ARG_WEIGHTS, e.b}, {DNNL_ARG_BIAS, e.bias},
                            {DNNL_ARG_DST, e.c}});
  } else {
    e.prim.execute(stream, {{DNNL_ARG_SRC, e.a}, {DNNL_ARG_WEIGHTS, e.b}, {DNNL_ARG_DST, e.c}});
  }
  stream.wait();
}

}  // namespace

void linear_forward(ConstMatrixView x, const float* weight, const float* bias, MatrixView y,
                    Activation act) {
  AEKIT_ASSERT(y.rows == x.rows, "linear_forward: ", x.rows, " input rows but ", y.rows,
               " output rows");
  if (x.rows == 0 || y.cols == 0) return;
  dnnl::post_ops probe;
  if (x.cols == 0 || !append_activation(probe, act)) {
    // No oneDNN equivalent (softplus) or an empty product: GEMM, then our own pass.
    gemm(false, true, x.rows, y.cols, x.cols, 1.0f, x.data, x.cols, weight, x.cols, 0.0f, y.data,
         y.cols);
    bias_activation(y, bias, act);
    return;
  }
  if (products_on_team()) {
    // Blocks of y: rows of x, or columns (rows of W and of the bias) with y's row stride kept.
    split_output_on_team(y.rows, y.cols, [&](int64_t r0, int64_t r1, int64_t c0, int64_t c1) {
      Key key{r1 - r0, c1 - c0, x.cols, act, bias != nullptr};
      key.ldc = c1 - c0 == y.cols ? 0 : y.cols;
      run(key, x.row(r0), weight + c0 * x.cols, bias != nullptr ? bias + c0 : nullptr, y.row(r0) + c0);
    });
    return;
  }
  run({x.rows, y.cols, x.cols, act, bias != nullptr}, x.data, weight, bias, y.data);
}

void linear_forward_bf16(const bf16* x, int64_t rows, int64_t in, const bf16* weight, const float* bias,
                         MatrixView y, Activation act) {
  AEKIT_ASSERT(y.rows == rows, "linear_forward_bf16: ", rows, " input rows but ", y.rows, " output rows");
  if (rows == 0 || y.cols == 0) return;
  dnnl::post_ops probe;
  const bool fused = append_activation(probe, act);
  Key key{rows, y.cols, in, fused ? act : Activation::Identity, fused && bias != nullptr};
  key.bf16 = true;
  run(key, x, weight, fused ? bias : nullptr, y.data);
  if (!fused) bias_activation(y, bias, act);  // softplus: our own pass, as in fp32
}

void matmul_bf16(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const bf16* a, const bf16* b,
                 float* c) {
  if (m == 0 || n == 0) return;
  Key key{m, n, k, Activation::Identity, false};
  key.trans_a = trans_a;
  key.trans_b = trans_b;
  key.bf16 = true;
  run(key, a, b, nullptr, c);
}

std::string linear_forward_description() {
  const Key key{256, 128, 784, Activation::Sigmoid, true};
  return std::string("oneDNN matmul + bias/activation post-ops, kernel ") + make_primitive_desc(key).impl_info_str();
}

}  // namespace aekit::cpu
