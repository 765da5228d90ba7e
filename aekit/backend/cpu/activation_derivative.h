#pragma once
// An activation's derivative as a function of the activation's OUTPUT (what a backward pass has
// kept), handed to a kernel as a lambda so that its loop stays one vector loop per activation.
// Shared by the activation backward passes (elementwise.cpp) and by the loss gradient taken
// straight through the output activation (losses/pointwise_loss.cpp): one definition, so the two
// compute the same floats.
#include <aekit/backend/cpu/vector_math.h>
#include <aekit/core/activation.h>

#include <cmath>

namespace aekit::cpu {

// Calls run(derivative) with the activation's derivative as a function of its output.
template <typename Run>
void with_derivative(Activation act, Run run) {
  switch (act) {
    case Activation::Identity: run([](float) { return 1.0f; }); break;
    case Activation::Sigmoid: run([](float s) { return s * (1.0f - s); }); break;
    case Activation::Tanh: run([](float t) { return 1.0f - t * t; }); break;
    case Activation::Relu: run([](float v) { return v > 0.0f ? 1.0f : 0.0f; }); break;
    case Activation::LeakyRelu: run([](float v) { return v > 0.0f ? 1.0f : kLeakySlope; }); break;
    // select_by_blend, not `?:`, where an arm computes (vector_math.h: the loop stays scalar).
    case Activation::Elu:
      // y = alpha (e^z - 1) for z <= 0, so dy/dz = alpha e^z = y + alpha.
      run([](float v) { return select_by_blend(v > 0.0f, 1.0f, v + kEluAlpha); });
      break;
    case Activation::Selu:
      // y = scale alpha (e^z - 1) for z <= 0, so dy/dz = y + scale alpha.
      run([](float v) { return select_by_blend(v > 0.0f, kSeluScale, v + kSeluScale * kSeluAlpha); });
      break;
    case Activation::Softplus:
      // dy/dz = sigmoid(z) = 1 - e^{-y}; in the linear regime (y > threshold) it is 1.
      run([](float v) { return v > kSoftplusThreshold ? 1.0f : -std::expm1(-v); });
      break;
  }
}

}  // namespace aekit::cpu
