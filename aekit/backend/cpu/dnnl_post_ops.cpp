#include <aekit/backend/cpu/dnnl_post_ops.h>

namespace aekit::cpu {

bool append_activation(dnnl::post_ops& po, Activation act) {
  using alg = dnnl::algorithm;
  switch (act) {
    case Activation::Identity: return true;
    case Activation::Sigmoid: po.append_eltwise(1.0f, alg::eltwise_logistic, 0.0f, 0.0f); return true;
    case Activation::Tanh: po.append_eltwise(1.0f, alg::eltwise_tanh, 0.0f, 0.0f); return true;
    case Activation::Relu: po.append_eltwise(1.0f, alg::eltwise_relu, 0.0f, 0.0f); return true;
    case Activation::LeakyRelu:
      po.append_eltwise(1.0f, alg::eltwise_relu, kLeakySlope, 0.0f);
      return true;
    case Activation::Elu: po.append_eltwise(1.0f, alg::eltwise_elu, kEluAlpha, 0.0f); return true;
    case Activation::Selu:
      po.append_eltwise(kSeluScale, alg::eltwise_elu, kSeluAlpha, 0.0f);
      return true;
    case Activation::Softplus: return false;
  }
  return false;
}

}  // namespace aekit::cpu
