#pragma once
// Subnormal floats (magnitudes below 1.2e-38) cost an Intel core a microcode assist on every vector
// instruction that meets one. Training makes them: Adam's first moment of a weight whose input is
// almost always 0 (an MNIST border pixel) decays through the subnormal range. Measured on a Xeon
// (BENCHMARKS.md, issue 5, thirteenth session): the seeds' MNIST model at batch 1 trained 2.1x
// faster with them flushed, to the same weights bit for bit in that run; a Zen 4, about 18%.
// Flushing (MXCSR's FTZ: results below the normal range become 0; DAZ: such inputs read as 0)
// departs from IEEE arithmetic and from PyTorch's default, so aekit only flushes when asked
// (`--flush-denormals`, like PyTorch's torch.set_flush_denormal(True)).
namespace aekit {

// Flushes (on) or keeps (off) subnormals on the calling thread and on every thread of the OpenMP
// pool; threads created later inherit the calling thread's setting.
void set_denormal_flushing(bool on);

// Whether the calling thread flushes subnormals.
bool denormals_flushed();

}  // namespace aekit
