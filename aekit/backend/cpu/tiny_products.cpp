#include <aekit/backend/cpu/tiny_products.h>

namespace aekit::cpu {

void tiny_forward(ConstMatrixView x, const float* w, MatrixView y) {
  const int64_t in = x.cols, out = y.cols;
  for (int64_t r = 0; r < x.rows; ++r) {
    const float* xr = x.row(r);
    float* yr = y.row(r);
    for (int64_t j = 0; j < out; ++j) {
      const float* wj = w + j * in;
      float sum = 0.0f;
      for (int64_t c = 0; c < in; ++c) sum += xr[c] * wj[c];
      yr[j] = sum;
    }
  }
}

void tiny_weight_grad(ConstMatrixView dz, ConstMatrixView x, float* dw) {
  const int64_t out = dz.cols, in = x.cols;
  for (int64_t j = 0; j < out; ++j) {
    float* dwj = dw + j * in;
    for (int64_t c = 0; c < in; ++c) dwj[c] = 0.0f;
    for (int64_t r = 0; r < dz.rows; ++r) {
      const float g = dz.row(r)[j];
      const float* xr = x.row(r);
      for (int64_t c = 0; c < in; ++c) dwj[c] += g * xr[c];
    }
  }
}

void tiny_input_grad(ConstMatrixView dz, const float* w, MatrixView dx) {
  const int64_t out = dz.cols, in = dx.cols;
  for (int64_t r = 0; r < dz.rows; ++r) {
    float* dxr = dx.row(r);
    for (int64_t c = 0; c < in; ++c) dxr[c] = 0.0f;
    for (int64_t j = 0; j < out; ++j) {
      const float g = dz.row(r)[j];
      const float* wj = w + j * in;
      for (int64_t c = 0; c < in; ++c) dxr[c] += g * wj[c];
    }
  }
}

}  // namespace aekit::cpu
