#pragma once
// Learning-rate schedules applied once per epoch, as torch.optim.lr_scheduler computes them
// (1.13). Epochs count from 0; lr_at(0) is the base rate. Specs:
//   "constant"          the base rate throughout
//   "step:N:GAMMA"      StepLR: base * GAMMA^(epoch / N), N >= 1, GAMMA > 0
//   "cosine"            CosineAnnealingLR with T_max = epochs, eta_min = 0
//   "cosine:ETA_MIN"    the same, never below ETA_MIN (>= 0)
// Cosine uses PyTorch's documented closed form, which past T_max climbs back up with period
// 2 * T_max exactly as PyTorch's recursive update does.
#include <string>

namespace aekit {

class LrSchedule {
 public:
  // Throws InputError naming the syntax above when the spec is malformed.
  static LrSchedule parse(const std::string& spec, float base_lr, int epochs);
  float lr_at(int epoch) const;

 private:
  enum class Kind { Constant, Step, Cosine };
  LrSchedule(Kind kind, double base_lr) : kind_(kind), base_lr_(base_lr) {}
  Kind kind_;
  double base_lr_;
  int step_size_ = 1;    // step
  double gamma_ = 1.0;   // step
  int t_max_ = 1;        // cosine
  double eta_min_ = 0;   // cosine
};

}  // namespace aekit
